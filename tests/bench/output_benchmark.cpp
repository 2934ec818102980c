// Benchmarks of the result file against the simulation it records (issue: output at the speed
// of the model). Each pair runs the same weeks with and without the HDF5 run file
// (results/result_writer.h, written to a temporary directory), so the file's cost is their
// difference; the "file_share" counter is that cost over the simulation's.
//   build/bin/output_benchmark
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "results/result_writer.h"
#include "sim/run_totals.h"
#include "sim/scenario.h"
#include "sim/simulation.h"

namespace {

using namespace lokalmat;
namespace fs = std::filesystem;

const Scenario& scenario(const std::string& file, int years) {
  static std::map<std::string, Scenario> cache;
  const std::string key = file + ":" + std::to_string(years);
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache.emplace(key, load_scenario(std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/" + file,
                                          {{"run.years", std::to_string(years)}}))
             .first;
  return it->second;
}

// seconds of the simulation alone and of simulation + file, per iteration
void run_pair(benchmark::State& st, const Scenario& sc) {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(st.range(0)));
  const fs::path dir = fs::temp_directory_path() / "lokalmat-output-benchmark";
  fs::create_directories(dir);
  const std::string out = (dir / "run.h5").string();
  double sim_only = 0, with_file = 0;
  for (auto _ : st) {
    auto t0 = std::chrono::steady_clock::now();
    {
      Simulation sim(sc.params);
      sim.run(sc.params.weeks, [](const WeekReport& r) { benchmark::DoNotOptimize(r.state_hash); });
    }
    auto t1 = std::chrono::steady_clock::now();
    {
      const RunMetadata meta = run_metadata(sc, static_cast<int>(st.range(0)));
      ResultWriter writer(out, meta, OutputRules{.force = true, .inputs = {}});
      Simulation sim(sc.params);
      RunTotals totals;
      sim.run(sc.params.weeks, [&](const WeekReport& r) {
        writer.write_week(r);
        totals.add(r);
      });
      writer.finish(0, totals);
    }
    auto t2 = std::chrono::steady_clock::now();
    sim_only += std::chrono::duration<double>(t1 - t0).count();
    with_file += std::chrono::duration<double>(t2 - t1).count();
  }
  const auto n = static_cast<double>(st.iterations());
  st.counters["sim_ms"] = sim_only / n * 1e3;
  st.counters["with_file_ms"] = with_file / n * 1e3;
  st.counters["file_share"] = (with_file - sim_only) / sim_only;
  st.counters["file_MB"] = static_cast<double>(fs::file_size(out)) / 1e6;
  fs::remove_all(dir);
}

void BM_HortenTenYearsFile(benchmark::State& st) { run_pair(st, scenario("horten.toml", 10)); }
BENCHMARK(BM_HortenTenYearsFile)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_NorwayYearFile(benchmark::State& st) { run_pair(st, scenario("norway.toml", 1)); }
BENCHMARK(BM_NorwayYearFile)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
