#pragma once
// Interventions: a policy lever moved during a run. "From week w on, scenario key k
// has value v" — applied at a week boundary, recorded, and replayable: `lokalmat run
// SCENARIO --interventions LOG` applies the same log to the same scenario and seed
// and gives the same state hash, week for week, as the run it was recorded in (the
// viewer's levers write such logs).
//
// How a lever acts: the scenario is loaded again from its resolved text with every
// intervention so far as overrides, the run's Params are replaced (the world keeps its
// farms, kitchens and markets: only levers that leave them unchanged are allowed), and
// where the key sets an instrument that the State carries (an incentive, a cap share,
// supplier development, an open exception), the instrument in force is set to the new
// value. Everything else the rules read from Params each week.
#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario.h"
#include "sim/simulation.h"

namespace lokalmat {

struct Intervention {
  int week = 0;        // applied before this week runs (0-based tick)
  std::string key;     // scenario key path, e.g. "municipalities.horten.policy.local_incentive_nok_per_kg"
  std::string value;   // TOML text, e.g. "10.0", "true", "[\"framework_exception\"]"
  std::string source;  // "FILE:LINE" of the log entry it was read from ("" for a lever moved in a run)
};

// a key a run can change mid-way; "<id>" stands for a municipality's table id
struct LeverSpec {
  std::string_view pattern;
  std::string_view label;   // plain words, for the viewer
  std::string_view unit;
};
const std::vector<LeverSpec>& levers();
// rules that can be switched on or off mid-run (they need no market that the start did not build)
const std::vector<Rule>& switchable_rules();

class Intervener {
 public:
  // the scenario as loaded (its resolved text is what later interventions override)
  explicit Intervener(const Scenario& scenario);

  // apply at the boundary before week sim.weeks_done(); throws ScenarioError naming the key
  // when it is not a lever, the value is refused, or the change would need a different world
  void apply(Simulation& sim, const std::string& key, const std::string& value);
  // the scenario after this lever, checked against `now` (the Params in force) as apply()
  // checks it, without changing anything; `m` is the municipality's index. Throws
  // ScenarioError "key 'KEY': MESSAGE" (apply() names the intervention)
  Scenario next_scenario(const Params& now, const std::string& key, const std::string& value, std::size_t& m) const;
  // count a lever as moved before week `week` (what apply() records), for a check of a whole log
  void record(Intervention iv) { log_.push_back(std::move(iv)); }
  [[nodiscard]] const std::vector<Intervention>& log() const { return log_; }
  // municipalities' table ids in Params order
  [[nodiscard]] const std::vector<std::string>& municipality_ids() const { return ids_; }

 private:
  std::string resolved_toml_;
  std::string name_;
  std::vector<std::string> ids_;
  std::vector<Intervention> log_;
};

// A run and the levers moved in it: the one loop that applies levers at week boundaries,
// for `lokalmat run --interventions` and for the viewer (its visual run and the replay it saves).
// Planned levers (a log read from a file, or levers set for a later week) are applied, in week
// order, at the boundary before the week they name; apply() moves one now.
class LeveredRun {
 public:
  explicit LeveredRun(const Scenario& scenario, std::vector<Intervention> planned = {});

  // move a lever now, at the boundary before week weeks_done() (ScenarioError when refused)
  void apply(const std::string& key, const std::string& value);
  // plan a lever for its week (after those planned for the same week)
  void plan(Intervention iv);
  // apply the planned levers due at this boundary; each applied or refused one goes to `report`
  // (with the refusal, or nullptr); without `report` a refusal throws, the lever dropped
  void apply_due(const std::function<void(const Intervention&, const std::exception*)>& report = {});
  // one week: the levers due, then the step
  void step();
  // run until `weeks` weeks are done, handing each week's report to `sink`; before each week
  // `stop` may end the run; returns the weeks done
  int run(int weeks, const std::function<void(const WeekReport&)>& sink,
          const std::function<bool()>& stop = {});

  [[nodiscard]] Simulation& simulation() { return sim_; }
  [[nodiscard]] const Simulation& simulation() const { return sim_; }
  [[nodiscard]] const Intervener& intervener() const { return intervener_; }
  [[nodiscard]] int weeks_done() const { return sim_.weeks_done(); }

 private:
  Simulation sim_;
  Intervener intervener_;
  std::vector<Intervention> planned_;  // in week order
  std::size_t next_ = 0;               // the first planned lever not yet applied
};

// the log as TOML ([[intervention]] week, key, value) and back; read_interventions
// throws ScenarioError "FILE:LINE: key 'KEY': MESSAGE" on a bad entry (the file must be
// a regular file within kMaxInputFileBytes, weeks whole numbers 0 to 2^31 - 1, in order)
std::string format_interventions(const std::vector<Intervention>& log);
std::vector<Intervention> read_interventions(const std::string& path);
// every entry of a log checked against the scenario before the run starts, in order, as
// the run would apply it: its week within the run (0 to weeks - 1), its key a lever of a
// municipality the scenario has, its value accepted; throws ScenarioError
// "FILE:LINE: key 'KEY': MESSAGE" naming the entry
void check_interventions(const Scenario& scenario, const std::vector<Intervention>& log);
// read_interventions, then check_interventions
std::vector<Intervention> read_interventions(const std::string& path, const Scenario& scenario);

}  // namespace lokalmat
