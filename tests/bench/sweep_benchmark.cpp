// Sweep throughput: runs of a sweep definition spread over threads the way
// `lokalmat sweep` spreads them (each thread takes the next run id). Reports
// runs per second; compare Arg(1) with Arg(2) for the speed-up on two cores.
// The whole program (journal, HDF5 file, MPI) is timed in the README with
// `/usr/bin/time lokalmat sweep scenarios/sweeps/horten-lhs-1000.toml`.
#include <benchmark/benchmark.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>

#include "sim/sweep/sweep_run.h"

namespace {

using namespace lokalmat;

// 100 runs of the 1,000-run Latin hypercube sweep of Horten (10 years each)
void BM_SweepHortenRuns(benchmark::State& st) {
  const sweep::SweepDef def = sweep::load_sweep(LOKALMAT_SOURCE_DIR "/scenarios/sweeps/horten-lhs-1000.toml");
  const int threads = static_cast<int>(st.range(0));
  constexpr std::int64_t kRuns = 100;
  tbb::task_arena arena(threads);
  for (auto _ : st) {
    std::atomic<std::int64_t> next{0}, failed{0};
    arena.execute([&] {
      tbb::parallel_for(0, threads, 1, [&](int) {
        for (std::int64_t id; (id = next.fetch_add(1)) < kRuns;)
          if (!sweep::execute_run(def, id).ok) failed.fetch_add(1);
      });
    });
    if (failed > 0) st.SkipWithError("a run failed");
  }
  st.counters["runs_per_s"] = benchmark::Counter(static_cast<double>(kRuns), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SweepHortenRuns)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// the Ishigami test model: the sweep machinery without the simulation
void BM_SweepIshigamiRuns(benchmark::State& st) {
  const sweep::SweepDef def = sweep::load_sweep(LOKALMAT_SOURCE_DIR "/scenarios/sweeps/ishigami.toml");
  for (auto _ : st)
    for (std::int64_t id = 0; id < 1000; ++id) benchmark::DoNotOptimize(sweep::execute_run(def, id));
  st.counters["runs_per_s"] = benchmark::Counter(1000, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SweepIshigamiRuns)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
