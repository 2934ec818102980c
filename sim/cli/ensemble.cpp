#include "sim/cli/ensemble.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "results/csv_export.h"  // csv_text: the one rule for CSV text cells
#include "results/report.h"
#include "sim/simulation.h"

namespace lokalmat {

std::vector<EnsembleResult> run_ensemble(const std::vector<std::string>& files, int seeds, std::uint64_t first_seed,
                                         const Overrides& overrides, const WeekObserver& observe) {
  // load everything first, so a bad file stops the ensemble before any run
  std::vector<Scenario> scenarios;
  for (const auto& f : files) scenarios.push_back(load_scenario(f, overrides));
  std::vector<EnsembleResult> out(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    out[i].scenario = files[i];
    out[i].title = scenarios[i].title;
    out[i].files = scenarios[i].files;
    out[i].lawful = scenarios[i].lawful;
    out[i].runs.resize(static_cast<std::size_t>(seeds));
  }
  // every (scenario, seed) run is independent and writes only its own slot
  const std::size_t n = files.size() * static_cast<std::size_t>(seeds);
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t job) {
    const std::size_t i = job / static_cast<std::size_t>(seeds), k = job % static_cast<std::size_t>(seeds);
    Params p = scenarios[i].params;
    p.seed = first_seed + k;
    Simulation sim(std::move(p));
    RunTotals totals;
    sim.run(sim.params().weeks, [&](const WeekReport& r) {
      totals.add(r);
      if (observe) observe(i, k, r);
    });
    out[i].runs[k] = totals.figures();
  });
  return out;
}

// one definition of the quantile for the ensemble table and the report
double quantile(std::vector<double> v, double q) { return report::quantile(std::move(v), q); }

namespace {
std::vector<double> column(const EnsembleResult& r, int f) {
  std::vector<double> v;
  for (const auto& run : r.runs) v.push_back(run[static_cast<std::size_t>(f)]);
  return v;
}
}  // namespace

std::string ensemble_table(const std::vector<EnsembleResult>& results, const std::vector<int>& figures) {
  const auto& defs = run_figures();
  std::string s = "| scenario |";
  for (int f : figures) {
    const auto& d = defs[static_cast<std::size_t>(f)];
    s += fmt::format(" {}{} |", d.label, d.print_unit.empty() ? "" : fmt::format(" ({})", d.print_unit));
  }
  s += "\n|---|";
  for (std::size_t i = 0; i < figures.size(); ++i) s += "---|";
  s += "\n";
  for (const auto& r : results) {
    s += fmt::format("| {}{} |", r.scenario, r.lawful ? "" : " (NOT LAWFUL)");
    for (int f : figures) {
      const auto& d = defs[static_cast<std::size_t>(f)];
      std::vector<double> v = column(r, f);
      double mean = 0;
      for (double x : v) mean += x;
      mean /= static_cast<double>(v.size());
      const int digits = d.scale == 100 ? 2 : (std::abs(mean) >= 100 ? 0 : 2);
      s += fmt::format(" {:.{}f} [{:.{}f}, {:.{}f}] |", mean * d.scale, digits, quantile(v, 0.05) * d.scale, digits,
                       quantile(v, 0.95) * d.scale, digits);
    }
    s += "\n";
  }
  return s;
}

std::string ensemble_csv(const std::vector<EnsembleResult>& results, std::uint64_t first_seed) {
  const auto& defs = run_figures();
  std::string s = "scenario,seed";
  for (const auto& d : defs) (s += ',') += csv_text(fmt::format("{} ({})", d.name, d.unit));
  s += "\n";
  for (const auto& r : results)
    for (std::size_t k = 0; k < r.runs.size(); ++k) {
      s += fmt::format("{},{}", csv_text(r.scenario), first_seed + k);
      for (double x : r.runs[k]) s += fmt::format(",{:.17g}", x);
      s += "\n";
    }
  return s;
}

}  // namespace lokalmat
