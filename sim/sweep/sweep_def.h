#pragma once
// A sweep definition (TOML): a base scenario (or an analytic test model), the
// parameters to vary with their levels or ranges, a design, replicate seeds, and
// the outputs to keep. Documented key by key in scenarios/README.md ("Sweep files"),
// examples in scenarios/sweeps/. Bad input is refused before any run, naming the
// file, line and key, as for scenarios.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.h"
#include "sim/sweep/design.h"
#include "sim/sweep/test_models.h"

namespace lokalmat::sweep {

// the parameter key that varies the scenario file itself (choices = the files)
inline constexpr std::string_view kScenarioFactor = "scenario";

// a categorical level as the TOML value of a scenario override: a quoted string for a text
// key, as it is (true, false) for a yes/no key
std::string choice_text(const Factor& f, const std::string& level);

// how an output reduces a weekly metric over its window of weeks
enum class Reduce {
  mean,    // mean of the weekly values
  sum,     // sum of the weekly values
  min,
  max,
  last,    // the value in the last week
  pooled,  // the metric evaluated on the sums over the window (e.g. kg-weighted local share)
};

struct OutputSpec {
  std::string name;         // column name in the sweep file
  std::string metric;       // weekly metric (results/README.md) or whole-run figure name
  bool figure = false;      // a whole-run figure (the `lokalmat run` summary), not a weekly metric
  Reduce reduce = Reduce::pooled;
  int last_weeks = 0;       // window: the last N weeks of the run; 0 = all weeks
  std::string municipality; // restrict to one municipality ("" = all)
  std::string category;     // restrict to one food category ("" = all)
  std::string buyer_type;   // restrict to one buyer type ("" = all)
  std::string units;
  std::string description;
};

// Resource limits, checked before any design is built (a design is held in memory):
// at most kMaxSweepRuns runs (design points x replicates) and kMaxDesignValues design
// values (points x parameters). Documented in scenarios/README.md ("Sweep files").
inline constexpr std::int64_t kMaxSweepRuns = 1'000'000;
inline constexpr std::int64_t kMaxDesignValues = 10'000'000;
// at most this many weekly values kept over the whole sweep (runs x metrics x (1 + municipalities) x
// weeks; 8 bytes each, held in memory by the collecting process)
inline constexpr std::int64_t kMaxWeeklyValues = 250'000'000;

struct SweepDef {
  std::string path;                 // the sweep file
  std::string title;
  std::string scenario;             // base scenario file (resolved relative to the sweep file); "" for a test model
  Overrides set;                    // fixed overrides applied to every run
  TestModel model;                  // when model.name is not empty, the runs evaluate it instead of simulating
  std::vector<Factor> factors;
  DesignKind kind = DesignKind::factorial;
  int samples = 0;                  // lhs: points; sobol: base points; morris: trajectories
  int levels = 4;                   // morris grid levels
  bool second_order = false;        // sobol: the Saltelli 2002 design with the BA^(i) points too
  std::uint64_t design_seed = 1;    // lhs and morris draws
  int replicates = 1;
  std::uint64_t first_seed = 1;     // replicate r runs with seed first_seed + r (the same at every point)
  std::vector<OutputSpec> outputs;
  std::vector<std::string> weekly;  // weekly metrics kept per run (all municipalities together)
  bool weekly_by_municipality = false;  // and per municipality
  std::string resolved_toml;        // the definition with every default filled in
  Design design;
  Scenario base;                    // the base scenario as loaded (with `set` applied)

  [[nodiscard]] bool is_test_model() const { return !model.name.empty(); }
  [[nodiscard]] std::int64_t runs() const { return design.points() * replicates; }
};

// load and validate; throws ScenarioError "file:line: key 'k': message"
SweepDef load_sweep(const std::string& path, const Overrides& extra_set = {});

// Markdown documentation of every sweep-file key (scenarios/README.md)
std::string sweep_keys_markdown();

}  // namespace lokalmat::sweep
