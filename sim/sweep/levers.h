#pragma once
// The lever table (ODD §7.35): how each main lever moves the main outputs of a scenario. Each
// lever is set low and high in every municipality, kitchen entry or farm entry of the scenario
// (its other keys as they are), and the two runs of a seed share that seed, so that a lever's
// effect is the mean over seeds of the paired difference high − low with its standard error.
// A direction is called only where the mean difference is more than twice its standard error;
// otherwise the lever "does not move" the output distinguishably from seed noise. Each lever
// carries the direction the ODD argues for it, and why, so that the table says where the model
// agrees.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.h"

namespace lokalmat {

// the outputs of the lever table, as whole-run figures (sim/run_totals.h)
inline constexpr std::array<std::string_view, 6> kLeverOutputs = {
    "local_share_value", "local_channel_share_value", "work_hours_per_year",
    "participants_engaged_mean", "cost_per_meal_nok", "co2e_kg_per_year"};

// +1 rises, -1 falls, 0 does not move (within twice the standard error over seeds); as an argued
// direction also kSmall: a side effect the ODD argues is too small to call either way
using Direction = int;
inline constexpr Direction kSmall = 2;

struct Lever {
  std::string name;                  // "hub capacity"
  std::string section;               // where the key is set for every entry: "municipalities", "buyers", "producers", "" (top level)
  std::string key;                   // under each entry (or the whole key when section is ""), e.g. "hub.vehicle_capacity_kg"
  std::string unit;                  // of the values
  std::string low, high;             // TOML values
  std::vector<std::pair<std::string, std::string>> context;  // more keys under each municipality for both runs (e.g. the rule it needs)
  std::array<Direction, kLeverOutputs.size()> expected{};    // the direction the ODD argues, per output
  std::string why;                   // the argument, in a sentence (ODD §7.35)
};

// the main levers of MODEL.md's questions, with the directions the ODD argues (ODD §7.35); levers
// whose key the schema does not have are left out
const std::vector<Lever>& main_levers();

struct LeverEffect {
  const Lever* lever = nullptr;
  std::array<double, kLeverOutputs.size()> mean_diff{};  // mean over seeds of high − low, in the figure's unit (shares as fractions)
  std::array<double, kLeverOutputs.size()> se_diff{};    // its standard error
  std::array<double, kLeverOutputs.size()> low_mean{};   // the output's mean at the low setting
  std::array<Direction, kLeverOutputs.size()> measured{};
  // every output moves as argued (outputs argued kSmall are not counted)
  [[nodiscard]] bool as_argued() const {
    for (std::size_t o = 0; o < kLeverOutputs.size(); ++o)
      if (lever->expected[o] != kSmall && measured[o] != lever->expected[o]) return false;
    return true;
  }
};

// the overrides that set a lever to `value` in every entry of the scenario
Overrides lever_overrides(const Scenario& sc, const Lever& lever, const std::string& value);

// run every lever low and high with seeds first_seed .. first_seed + seeds - 1 (in parallel; the
// result does not depend on the thread count)
std::vector<LeverEffect> run_levers(const std::string& scenario_file, const std::vector<Lever>& levers, int seeds,
                                    std::uint64_t first_seed, const Overrides& overrides = {});

// the table in Markdown: one row per lever, the mean change of each output from low to high with
// its direction, the argued directions and whether the model agrees
std::string lever_table_markdown(const std::vector<LeverEffect>& effects, int seeds);

}  // namespace lokalmat
