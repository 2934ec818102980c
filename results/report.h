#pragma once
// The policy report: one self-contained HTML page comparing scenarios, each run with
// many seeds, for readers who do not open HDF5 (README "Reports for policy makers").
//
// The model is scenarios x seeds x weekly series. It is filled either from runs in
// memory (SeedRunRecorder, fed the same WeekReports a ResultWriter writes) or from
// run files (read_run_file), and the two give the same numbers: both evaluate the
// same metric definitions on the same sums. The page shows, per scenario, the mean
// over seeds and the 5-95% range (quantiles of the seeds' values): the table from the
// whole-run figures (/run), the charts from the weekly series, thinned into blocks of
// weeks by ratios of sums (a share over four weeks is the four weeks' local NOK over
// their food NOK, never a mean of weekly shares).
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "results/file_seal.h"
#include "results/report_text.h"
#include "sim/metrics.h"
#include "sim/run_totals.h"

namespace lokalmat::report {

// the weekly total series a report keeps (names of /weekly/<metric>)
enum class Series : int {
  local_share_value,
  food_spend_nok,
  work_hours,
  cost_per_meal_nok,
  budget_per_meal_nok,
  meals,
  political_backing,
  elections,
  tenders,
  count_
};
inline constexpr std::array<std::string_view, static_cast<std::size_t>(Series::count_)> kSeriesNames = {
    "local_share_value", "food_spend_nok", "work_hours",        "cost_per_meal_nok", "budget_per_meal_nok",
    "meals",             "political_backing", "elections", "tenders"};
// ... and per food category (names of /weekly/by_category/<metric>)
enum class CategorySeries : int { local_share_value, food_spend_nok, count_ };
inline constexpr std::array<std::string_view, static_cast<std::size_t>(CategorySeries::count_)> kCategorySeriesNames = {
    "local_share_value", "food_spend_nok"};

// one seed's run
struct SeedRun {
  std::uint64_t seed = 0;
  std::vector<std::string> week_start;  // [W] ISO dates of each week's Monday
  std::vector<int> iso_week;            // [W] ISO week numbers
  std::array<std::vector<double>, static_cast<std::size_t>(Series::count_)> weekly;  // [series][W]
  std::array<std::vector<double>, static_cast<std::size_t>(CategorySeries::count_)> by_category;  // [series][W x C], row-major
  std::array<double, kFigures> figures{};  // whole-run figures, in run_figures() order

  [[nodiscard]] const std::vector<double>& series(Series s) const { return weekly[static_cast<std::size_t>(s)]; }
  [[nodiscard]] std::size_t weeks() const { return week_start.size(); }
};

// one scenario: its description and its runs, one per seed
struct ScenarioRuns {
  std::string path;            // scenario file as given
  std::string title;
  std::string resolved_toml;   // the fully resolved scenario without its seed (the same for every replicate)
  std::string interventions;   // levers moved during the runs (run files' `interventions`), "" for none
  std::vector<std::string> rules;  // "Municipality: rule"
  bool lawful = true;
  std::string lawful_reason;
  std::vector<std::string> categories;
  int weeks_planned = 0;       // weeks each run was asked for (a run read with --partial may have fewer)
  std::vector<SeedRun> runs;   // in seed order
};

// a parameter that differs between the scenarios (filled by the caller, who can read TOML)
struct ParameterDifference {
  std::string key;                  // resolved key path, e.g. municipalities.horten.hub.enabled
  std::string unit;
  std::vector<std::string> values;  // [scenario]; "—" where a scenario does not set it
  std::string doc;                  // the schema's meaning, with [src ...] / [assume]
};

struct ReportInput {
  std::vector<ScenarioRuns> scenarios;  // the first is the reference for differences
  std::vector<ParameterDifference> differences;
  std::string version;
};

// records one simulation in memory: the values a run file would hold
class SeedRunRecorder {
 public:
  SeedRunRecorder() = default;
  explicit SeedRunRecorder(std::uint64_t seed) { run_.seed = seed; }
  void add(const WeekReport& r);
  // the run, with its whole-run figures
  SeedRun finish();

 private:
  SeedRun run_;
  RunTotals totals_;
};

// one run file, its shapes checked (results/README.md "What readers refuse"): a finished run
// with /run, or with PartialFiles::accept also an unfinished one (its figures NaN). Throws
// ResultFileError (a damaged, foreign or unfinished file) or std::runtime_error naming the file.
ScenarioRuns read_run_file(const std::string& path, PartialFiles partial = PartialFiles::refuse);
// gather run files into scenarios: equal resolved scenarios apart from run.seed (and equal
// intervention logs) are replicates of one scenario (kept in the order first seen, runs
// sorted by seed)
std::vector<ScenarioRuns> group_by_scenario(std::vector<ScenarioRuns> single_runs);
// the resolved TOML without the seed line of its [run] table
std::string strip_seed(const std::string& resolved_toml);

// ---- statistics over seeds ----

// quantile by linear interpolation between order statistics (Hyndman-Fan type 7)
double quantile(std::vector<double> values, double q);

struct Band {
  double mean = 0, p05 = 0, p95 = 0;  // NaN when no value is finite
};
// mean and 5-95% range of the finite values
Band summarize(std::span<const double> values);

// per-seed series thinned into blocks of `block_weeks` (the last block may be shorter)
//   share of a block = sum(share x weight) / sum(weight) over weeks where both are finite
std::vector<double> block_ratio(const std::vector<double>& share, const std::vector<double>& weight, int block_weeks);
//   mean of the finite values of a block
std::vector<double> block_mean(const std::vector<double>& values, int block_weeks);
// share by ISO week of year (index 0 = week 1, 53 entries), ratio of sums over all years
std::vector<double> share_by_week_of_year(const std::vector<double>& share, const std::vector<double>& weight,
                                          const std::vector<int>& iso_week);

// the HTML page
std::string render_report(const ReportInput& input, Lang lang);

// how many weeks a chart's point combines
inline constexpr int kChartBlockWeeks = 4;
inline constexpr int kCategoryBlockWeeks = 13;  // a quarter: categories are small and seasonal
inline constexpr int kCostBlockWeeks = 13;      // a quarter: a holiday month has few meals, and its NOK per meal jumps

}  // namespace lokalmat::report
