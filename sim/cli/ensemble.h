#pragma once
// Ensembles: several scenarios, each run with many seeds in parallel, summarised
// as mean and 5-95% range of the whole-run figures.
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "sim/run_totals.h"
#include "sim/scenario.h"

namespace lokalmat {

struct EnsembleResult {
  std::string scenario;                            // file
  std::string title;
  std::vector<std::string> files;                  // every file the scenario was read from (Scenario::files)
  bool lawful = true;
  std::vector<std::array<double, kFigures>> runs;  // [seed] figures, in seed order
};

// sees every week of every run: (scenario index, seed index, the week's report). Called from the
// worker running that (scenario, seed), so it must write only that run's own slot.
using WeekObserver = std::function<void(std::size_t scenario, std::size_t seed_index, const WeekReport& week)>;

// run every scenario with seeds first_seed .. first_seed + seeds - 1 (runs in parallel)
std::vector<EnsembleResult> run_ensemble(const std::vector<std::string>& files, int seeds, std::uint64_t first_seed,
                                         const Overrides& overrides, const WeekObserver& observe = {});

// quantile by linear interpolation between order statistics (Hyndman-Fan type 7; results/report.h)
double quantile(std::vector<double> values, double q);

// the table: one row per scenario, columns "mean [5%, 95%]" for the chosen figures
std::string ensemble_table(const std::vector<EnsembleResult>& results, const std::vector<int>& figures);
// all figures of all runs as CSV (scenario, seed, figure columns with units in the header)
std::string ensemble_csv(const std::vector<EnsembleResult>& results, std::uint64_t first_seed);

}  // namespace lokalmat
