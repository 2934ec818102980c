// Benchmarks of the weekly step on the shipped scenarios.
//   build/bin/step_benchmark                      all benchmarks
//   build/bin/step_benchmark --benchmark_filter=Horten
// BM_HortenTenYears: one whole 10-year run of scenarios/horten.toml (no file output),
// at 1 and 2 threads. BM_HortenPhases: the same, reporting seconds per phase as counters.
// BM_NorwayYear: a year of scenarios/norway.toml; BM_NorwayStateHash: the weekly state hash of
// Norway's state alone; BM_NorwayAdoptionYear: a year of scenarios/norway-adoption.toml.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <string>

#include "sim/scenario.h"
#include "sim/simulation.h"
#include "sim/state.h"

namespace {

using namespace lokalmat;

const Params& horten() {
  static const Params p = load_scenario(std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/horten.toml").params;
  return p;
}

void BM_HortenTenYears(benchmark::State& st) {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(st.range(0)));
  for (auto _ : st) {
    Simulation sim(horten());
    sim.run(horten().weeks);
    benchmark::DoNotOptimize(sim.report().state_hash);
  }
  st.counters["weeks_per_s"] = benchmark::Counter(static_cast<double>(horten().weeks) * static_cast<double>(st.iterations()),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HortenTenYears)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_HortenPhases(benchmark::State& st) {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(st.range(0)));
  std::array<double, kPhases> total{};
  for (auto _ : st) {
    Simulation sim(horten());
    sim.run(horten().weeks);
    for (int i = 0; i < kPhases; ++i) total[static_cast<std::size_t>(i)] += sim.phase_seconds()[static_cast<std::size_t>(i)];
  }
  // microseconds per week in each phase
  const double weeks = static_cast<double>(horten().weeks) * static_cast<double>(st.iterations());
  for (int i = 0; i < kPhases; ++i)
    st.counters[std::string(phase_table()[static_cast<std::size_t>(i)].name) + "_us"] =
        total[static_cast<std::size_t>(i)] / weeks * 1e6;
}
BENCHMARK(BM_HortenPhases)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

const Params& norway() {
  static const Params p = load_scenario(std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/norway.toml", {{"run.years", "1"}}).params;
  return p;
}

// one year of all 357 municipalities, with seconds per phase and week as counters
void BM_NorwayYear(benchmark::State& st) {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(st.range(0)));
  std::array<double, kPhases> total{};
  for (auto _ : st) {
    Simulation sim(norway());
    sim.run(norway().weeks);
    for (int i = 0; i < kPhases; ++i) total[static_cast<std::size_t>(i)] += sim.phase_seconds()[static_cast<std::size_t>(i)];
  }
  const double weeks = static_cast<double>(norway().weeks) * static_cast<double>(st.iterations());
  for (int i = 0; i < kPhases; ++i)
    st.counters[std::string(phase_table()[static_cast<std::size_t>(i)].name) + "_ms"] =
        total[static_cast<std::size_t>(i)] / weeks * 1e3;
}
BENCHMARK(BM_NorwayYear)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

// a year of every municipality with the Horten model and the learning network
void BM_NorwayAdoptionYear(benchmark::State& st) {
  static const Params p =
      load_scenario(std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/norway-adoption.toml", {{"run.years", "1"}}).params;
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(st.range(0)));
  for (auto _ : st) {
    Simulation sim(p);
    sim.run(p.weeks);
    benchmark::DoNotOptimize(sim.report().state_hash);
  }
}
BENCHMARK(BM_NorwayAdoptionYear)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

// the weekly state hash alone (sim/state.cpp) of Norway's state after a week, against a step's cost
void BM_NorwayStateHash(benchmark::State& st) {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(st.range(0)));
  Simulation sim(norway());
  sim.run(1);
  for (auto _ : st) benchmark::DoNotOptimize(hash_state(sim.state()));
}
BENCHMARK(BM_NorwayStateHash)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
