// Scenario files: every shipped file loads and runs; bad input is refused before
// anything runs with "file:line: key 'k': message" (and the nearest valid name
// for a misspelling); base files chain; the resolved text loads back to the same
// run; every schema key is documented in scenarios/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "sim/metrics.h"
#include "sim/scenario.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- helpers

// every *.toml under scenarios/ but the sweep and calibration definitions (scenarios/sweeps/,
// scenarios/calibration/, tested in tests/sweep), found when the test runs (new files are
// covered without a rebuild)
std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(LOKALMAT_SOURCE_DIR) / "scenarios";
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".toml" && e.path().parent_path().filename() != "sweeps" &&
        e.path().parent_path().filename() != "calibration")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}


using test::error_of;
using test::write_text;

std::string text_error(const std::string& text, const Overrides& ov = {}) {
  return error_of([&] { load_scenario_text(text, "bad.toml", ov); });
}

// 1-based number of the first line containing `needle`
int line_of(const std::string& text, const std::string& needle) {
  const auto pos = text.find(needle);
  EXPECT_NE(pos, std::string::npos) << "'" << needle << "' is not in the test's own text";
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

// `text` with the one occurrence of `from` replaced by `to`
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "'" << from << "' is not in the test's own text";
  EXPECT_EQ(text.find(from, pos + 1), std::string::npos) << "'" << from << "' occurs twice";
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

std::vector<std::uint64_t> hash_sequence(const Params& p, int weeks) {
  Simulation sim(p);
  std::vector<std::uint64_t> out;
  sim.run(weeks, [&](const WeekReport& r) { out.push_back(r.state_hash); });
  return out;
}

// metrics that are ratios: undefined (NaN) when their denominator is zero
bool may_be_nan(const MetricDef& m) { return std::isnan(m.eval(GroupSums{})); }

using test::TempDir;

// a small valid scenario; the error tests change one line of it
const std::string kTown = R"(title = "minimal town"

[run]
start_date = "2025-01-06"
years = 1
seed = 3

[municipalities.town]
population = 5000
rules = ["framework_exception"]
exception_cap_share = 0.5

[municipalities.town.hub]
enabled = true
vehicle_capacity_kg = 300.0

[municipalities.town.day_centre]
participants = 3
attendance_min = 0.6
attendance_max = 0.9

[producers.farm]
municipality = "town"
organic = true
[producers.farm.area_daa]
fresh_vegetables = 5.0

[buyers.kindergartens]
type = "kindergarten"
municipality = "town"
count = 2
eaters_total = 121
)";

// ---------------------------------------------------------------- shipped scenarios

TEST(ScenarioFiles, ShippedScenariosAreFound) {
  const auto files = shipped_scenarios();
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.filename().string());
  EXPECT_NE(std::find(names.begin(), names.end(), "horten.toml"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "horten-status-quo.toml"), names.end());
}

TEST(ScenarioFiles, EveryShippedFileLoadsAndRunsOneYearWithFiniteMetrics) {
  const auto files = shipped_scenarios();
  ASSERT_FALSE(files.empty());
  const auto& defs = weekly_metrics();
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    Scenario sc;
    try {
      sc = load_scenario(file.string(), {{"run.years", "1"}});
    } catch (const ScenarioError& e) {
      ADD_FAILURE() << e.what();
      continue;
    }
    EXPECT_EQ(sc.params.weeks, kWeeksPerYear);
    EXPECT_FALSE(sc.params.municipalities.empty());
    EXPECT_FALSE(sc.params.buyers.empty());
    EXPECT_FALSE(sc.resolved_toml.empty());

    Simulation sim(sc.params);
    double spend = 0, meals = 0, kg = 0;
    int weeks = 0;
    sim.run(sc.params.weeks, [&](const WeekReport& r) {
      ++weeks;
      // totals and every municipality: a metric is finite, or NaN only if it is a ratio
      for (int m = -1; m < r.n_municipalities; ++m) {
        const GroupSums g = group_sums(r, m, -1, -1);
        for (const auto& d : defs) {
          const double v = d.eval(g);
          EXPECT_FALSE(std::isinf(v)) << d.name << " week " << r.week << " municipality " << m;
          if (std::isnan(v))
            EXPECT_TRUE(may_be_nan(d)) << d.name << " is NaN in week " << r.week << " municipality " << m;
          if (d.units == "fraction" && !std::isnan(v)) {
            EXPECT_GE(v, 0.0) << d.name << " week " << r.week;
            EXPECT_LE(v, 1.0 + 1e-12) << d.name << " week " << r.week;
          }
        }
      }
      const GroupSums all = group_sums(r, -1, -1, -1);
      spend += find_metric("food_spend_nok")->eval(all);
      meals += find_metric("meals")->eval(all);
      kg += find_metric("food_kg")->eval(all);
    });
    EXPECT_EQ(weeks, kWeeksPerYear);
    // a year of kitchens serving meals buys food
    EXPECT_GT(meals, 0.0);
    EXPECT_GT(spend, 0.0);
    EXPECT_GT(kg, 0.0);
    EXPECT_TRUE(std::isfinite(spend) && std::isfinite(meals) && std::isfinite(kg));
  }
}

TEST(ScenarioFiles, MinimalTextLoadsWithDefaultsFilledIn) {
  const Scenario sc = load_scenario_text(kTown, "town.toml");
  const Params& p = sc.params;
  EXPECT_EQ(sc.title, "minimal town");
  EXPECT_EQ(p.weeks, kWeeksPerYear);
  EXPECT_EQ(p.seed, 3u);
  ASSERT_EQ(p.municipalities.size(), 1u);
  const MunicipalityParams& m = p.municipalities[0];
  EXPECT_EQ(m.name, "town");  // the table's id when no name is given
  EXPECT_DOUBLE_EQ(m.exception_cap_share, 0.5);
  EXPECT_DOUBLE_EQ(m.hub.vehicle_capacity_kg, 300.0);
  EXPECT_DOUBLE_EQ(m.hub.fee_nok_per_kg, 2.0);  // schema default
  EXPECT_EQ(m.day_centre.participants, 3);
  // the nine built-in categories and the six buyer types
  EXPECT_EQ(p.categories.size(), 9u);
  EXPECT_EQ(p.buyer_types.size(), static_cast<std::size_t>(kBuyerTypes));
  // 121 eaters split over 2 units: 61 + 60
  ASSERT_EQ(p.buyers.size(), 2u);
  EXPECT_EQ(p.buyers[0].eaters + p.buyers[1].eaters, 121);
  EXPECT_EQ(std::max(p.buyers[0].eaters, p.buyers[1].eaters), 61);
  ASSERT_EQ(sc.rules.size(), 1u);
  EXPECT_EQ(sc.rules[0], "town: framework_exception");
}

TEST(ScenarioFiles, EndDateSetsTheNumberOfWeeks) {
  // 2025-01-06 .. 2025-03-30 is 83 days: weeks 0..11, 12 weeks
  const Scenario sc = load_scenario_text(replaced(kTown, "years = 1", "end_date = \"2025-03-30\""), "town.toml");
  EXPECT_EQ(sc.params.weeks, 12);
}

TEST(ScenarioFiles, OverridesReplaceValues) {
  const Scenario sc = load_scenario_text(kTown, "town.toml",
                                         {{"run.years", "3"}, {"municipalities.town.hub.fee_nok_per_kg", "4.5"}});
  EXPECT_EQ(sc.params.weeks, 3 * kWeeksPerYear);
  EXPECT_DOUBLE_EQ(sc.params.municipalities[0].hub.fee_nok_per_kg, 4.5);
}

// ---------------------------------------------------------------- bad input

// every refusal reads "FILE:LINE: key 'KEY': MESSAGE"
TEST(ScenarioErrors, UnknownKeyNamesFileLineFullKeyAndNearestKey) {
  const std::string text = replaced(kTown, "years = 1", "yeers = 1");
  const std::string msg = text_error(text);
  const int line = line_of(text, "yeers");
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line) + ": key 'run.yeers': unknown key; did you mean 'run.years'?");
}

TEST(ScenarioErrors, UnknownKeyInNestedSectionNamesFullPath) {
  const std::string text = replaced(kTown, "vehicle_capacity_kg = 300.0", "vehicle_capacty_kg = 300.0");
  const std::string msg = text_error(text);
  const int line = line_of(text, "vehicle_capacty_kg");
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line) +
                     ": key 'municipalities.town.hub.vehicle_capacty_kg': unknown key; did you mean "
                     "'municipalities.town.hub.vehicle_capacity_kg'?");
}

TEST(ScenarioErrors, UnknownKeyFarFromEveryKeyHasNoSuggestion) {
  const std::string text = replaced(kTown, "seed = 3", "qqqqqqqqqqqq = 3");
  const std::string msg = text_error(text);
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "qqqq")) + ": key 'run.qqqqqqqqqqqq': unknown key");
}

TEST(ScenarioErrors, UnknownTopLevelSection) {
  const std::string text = kTown + "\n[municipality.town]\npopulation = 1\n";
  const std::string msg = text_error(text);
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "[municipality.town]")) +
                     ": key 'municipality': unknown key; did you mean 'municipalities'?");
}

TEST(ScenarioErrors, WrongTypeNamesKeyAndExpectedType) {
  const std::string text = replaced(kTown, "years = 1", "years = \"ten\"");
  const std::string msg = text_error(text);
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "\"ten\"")) +
                     ": key 'run.years': expected a whole number (years), got a string");
}

TEST(ScenarioErrors, WrongTypeForBooleanAndDate) {
  {
    const std::string text = replaced(kTown, "enabled = true", "enabled = \"yes\"");
    const std::string msg = text_error(text);
    EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "\"yes\"")) +
                       ": key 'municipalities.town.hub.enabled': expected true or false, got a string");
  }
  {
    const std::string text = replaced(kTown, "start_date = \"2025-01-06\"", "start_date = \"2025-13-40\"");
    const std::string msg = text_error(text);
    EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "2025-13-40")) +
                       ": key 'run.start_date': expected a date as \"YYYY-MM-DD\"");
  }
}

TEST(ScenarioErrors, NegativeCapacityNamesAllowedRange) {
  const std::string text = replaced(kTown, "vehicle_capacity_kg = 300.0", "vehicle_capacity_kg = -5");
  const std::string msg = text_error(text);
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "= -5")) +
                     ": key 'municipalities.town.hub.vehicle_capacity_kg': -5 is out of range; allowed 0 to 1e+06 "
                     "(kg per trip)");
}

TEST(ScenarioErrors, ShareAboveOneNamesRangeZeroToOne) {
  const std::string text = replaced(kTown, "exception_cap_share = 0.5", "exception_cap_share = 1.5");
  const std::string msg = text_error(text);
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "= 1.5")) +
                     ": key 'municipalities.town.exception_cap_share': 1.5 is out of range; allowed 0 to 1 (share)");
}

TEST(ScenarioErrors, EndDateBeforeStartDate) {
  const std::string text = replaced(kTown, "years = 1", "end_date = \"2024-12-01\"");
  const std::string msg = text_error(text);
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "end_date")) +
                     ": key 'run.end_date': 2024-12-01 is before run.start_date 2025-01-06; the end must come after "
                     "the start");
}

TEST(ScenarioErrors, UnknownMunicipalityReferenceWithSuggestion) {
  std::string text = replaced(kTown, "[producers.farm]\nmunicipality = \"town\"", "[producers.farm]\nmunicipality = \"tonw\"");
  const std::string msg = text_error(text);
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "\"tonw\"")) +
                     ": key 'producers.farm.municipality': no municipality 'tonw'; did you mean 'town'?");
}

TEST(ScenarioErrors, UnknownRuleWithSuggestion) {
  const std::string text = replaced(kTown, "[\"framework_exception\"]", "[\"framework_exeption\"]");
  const std::string msg = text_error(text);
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "framework_exeption")) +
                     ": key 'municipalities.town.rules': unknown rule 'framework_exeption'; did you mean "
                     "'framework_exception'? (rules: framework_only, framework_exception, direct_purchase, "
                     "season_requirement, quota_mandate, simple_competition, lots, dynamic_purchasing)");
}

TEST(ScenarioErrors, AttendanceMinAboveMax) {
  std::string text = replaced(kTown, "attendance_min = 0.6", "attendance_min = 0.95");
  text = replaced(text, "attendance_max = 0.9", "attendance_max = 0.7");
  const std::string msg = text_error(text);
  EXPECT_EQ(msg, "bad.toml:" + std::to_string(line_of(text, "attendance_max")) +
                     ": key 'municipalities.town.day_centre.attendance_max': 0.7 is below attendance_min 0.95");
}

TEST(ScenarioErrors, MissingRequiredKeyNamesTheTablesLine) {
  const std::string text = replaced(kTown, "[producers.farm]\nmunicipality = \"town\"\n", "[producers.farm]\n");
  EXPECT_EQ(text_error(text), "bad.toml:" + std::to_string(line_of(text, "[producers.farm]")) +
                                  ": key 'producers.farm.municipality': required key is missing");
}

TEST(ScenarioErrors, UnknownCategoryInATableByCategory) {
  const std::string text = replaced(kTown, "fresh_vegetables = 5.0", "fresh_vegetable = 5.0");
  EXPECT_EQ(text_error(text), "bad.toml:" + std::to_string(line_of(text, "fresh_vegetable =")) +
                                  ": key 'producers.farm.area_daa': unknown category 'fresh_vegetable'; did you mean "
                                  "'fresh_vegetables'?");
}

TEST(ScenarioErrors, UnknownBuyerTypeTableWithSuggestionAndTheTypes) {
  const std::string text = kTown + "\n[buyer_types.kindergarden]\nlocal_preference = 0.5\n";
  EXPECT_EQ(text_error(text), "bad.toml:" + std::to_string(line_of(text, "[buyer_types.kindergarden]")) +
                                  ": key 'buyer_types.kindergarden': unknown buyer type 'kindergarden'; did you mean "
                                  "'kindergarten'? (buyer types: kindergarten, sfo, school, nursing_home, "
                                  "day_centre_canteen, central_kitchen)");
}

// a check across keys that fails on a default names the file being read (a default has no line)
TEST(ScenarioErrors, ACheckAcrossKeysFailingOnADefaultNamesTheFile) {
  const std::string text = kTown + "\n[municipalities.town.policy]\nwithdrawal_level = 0.7\n";
  EXPECT_EQ(text_error(text), "bad.toml: key 'municipalities.town.policy.reinstate_level': 0.6 is below "
                              "withdrawal_level 0.7; it must be at or above it");
}

TEST(ScenarioErrors, TomlSyntaxErrorNamesLine) {
  const std::string text = replaced(kTown, "seed = 3", "seed = = 3");
  const std::string msg = text_error(text);
  EXPECT_EQ(msg.rfind("bad.toml:" + std::to_string(line_of(text, "= = 3")) + ":", 0), 0u) << msg;
  EXPECT_NE(msg.find("TOML syntax error"), std::string::npos) << msg;
}

TEST(ScenarioErrors, UnknownKeyInOverrideIsRefused) {
  const std::string msg = text_error(kTown, {{"run.yeers", "2"}});
  EXPECT_EQ(msg, "<override run.yeers>:1: key 'run.yeers': unknown key; did you mean 'run.years'?");
}

TEST(ScenarioErrors, OverrideOutOfRangeIsRefused) {
  const std::string msg = text_error(kTown, {{"run.years", "0"}});
  EXPECT_EQ(msg, "<override run.years>:1: key 'run.years': 0 is out of range; allowed 1 to 100 (years)");
}

// ---------------------------------------------------------------- base files

TEST(ScenarioBase, ChildOverridesOneKeyOfItsBase) {
  TempDir dir;
  const fs::path base = dir.path() / "base.toml", child = dir.path() / "child.toml";
  write_text(base, kTown);
  write_text(child, "base = \"base.toml\"\n\n[municipalities.town.hub]\nfee_nok_per_kg = 3.5\n");

  const Scenario b = load_scenario(base.string());
  const Scenario c = load_scenario(child.string());
  EXPECT_EQ(c.path, child.string());
  EXPECT_DOUBLE_EQ(b.params.municipalities[0].hub.fee_nok_per_kg, 2.0);
  EXPECT_DOUBLE_EQ(c.params.municipalities[0].hub.fee_nok_per_kg, 3.5);
  // everything else comes from the base
  EXPECT_EQ(c.title, "minimal town");
  EXPECT_EQ(c.params.seed, 3u);
  EXPECT_DOUBLE_EQ(c.params.municipalities[0].hub.vehicle_capacity_kg, 300.0);
  EXPECT_TRUE(c.params.municipalities[0].hub.enabled);
  EXPECT_EQ(c.params.producers.size(), 1u);
  EXPECT_EQ(c.params.buyers.size(), 2u);
  // exactly that one key differs: the child resolves like the base with the key overridden
  const Scenario b2 = load_scenario(base.string(), {{"municipalities.town.hub.fee_nok_per_kg", "3.5"}});
  EXPECT_EQ(c.resolved_toml, b2.resolved_toml);
  EXPECT_NE(c.resolved_toml, b.resolved_toml);
}

TEST(ScenarioBase, BasesChainOverThreeFiles) {
  TempDir dir;
  fs::create_directories(dir.path() / "sub");
  write_text(dir.path() / "base.toml", kTown);
  write_text(dir.path() / "sub" / "middle.toml", "base = \"../base.toml\"\n[run]\nseed = 11\n");
  write_text(dir.path() / "sub" / "leaf.toml", "base = \"middle.toml\"\n[municipalities.town]\npopulation = 777\n");
  const Scenario s = load_scenario((dir.path() / "sub" / "leaf.toml").string());
  EXPECT_EQ(s.params.seed, 11u);
  EXPECT_EQ(s.params.municipalities[0].population, 777);
  EXPECT_DOUBLE_EQ(s.params.municipalities[0].exception_cap_share, 0.5);
}

TEST(ScenarioBase, ErrorInBaseNamesBaseFileAndLine) {
  TempDir dir;
  const fs::path base = dir.path() / "base.toml", child = dir.path() / "child.toml";
  const std::string base_text = replaced(kTown, "vehicle_capacity_kg = 300.0", "vehicle_capacity_kg = -5");
  write_text(base, base_text);
  write_text(child, "base = \"base.toml\"\n\n[run]\nseed = 9\n");
  const std::string msg = error_of([&] { load_scenario(child.string()); });
  const std::string expected = base.string() + ":" + std::to_string(line_of(base_text, "= -5")) +
                               ": key 'municipalities.town.hub.vehicle_capacity_kg': ";
  EXPECT_EQ(msg.rfind(expected, 0), 0u) << msg << "\nexpected it to start with " << expected;
  EXPECT_NE(msg.find("allowed 0 to "), std::string::npos) << msg;
}

TEST(ScenarioBase, UnknownKeyInBaseNamesBaseFileAndLine) {
  TempDir dir;
  const fs::path base = dir.path() / "base.toml", child = dir.path() / "child.toml";
  const std::string base_text = replaced(kTown, "population = 5000", "populaton = 5000");
  write_text(base, base_text);
  write_text(child, "base = \"base.toml\"\n");
  const std::string msg = error_of([&] { load_scenario(child.string()); });
  EXPECT_EQ(msg, base.string() + ":" + std::to_string(line_of(base_text, "populaton")) +
                     ": key 'municipalities.town.populaton': unknown key; did you mean 'municipalities.town.population'?");
}

TEST(ScenarioBase, ErrorInChildNamesChildFileAndLine) {
  TempDir dir;
  const fs::path base = dir.path() / "base.toml", child = dir.path() / "child.toml";
  write_text(base, kTown);
  const std::string child_text = "base = \"base.toml\"\n\n[municipalities.town]\nexception_cap_share = 1.5\n";
  write_text(child, child_text);
  const std::string msg = error_of([&] { load_scenario(child.string()); });
  const std::string expected = child.string() + ":" + std::to_string(line_of(child_text, "1.5")) +
                               ": key 'municipalities.town.exception_cap_share': ";
  EXPECT_EQ(msg.rfind(expected, 0), 0u) << msg;
}

TEST(ScenarioBase, ChildCanRepairABaseValue) {
  TempDir dir;
  write_text(dir.path() / "base.toml", replaced(kTown, "exception_cap_share = 0.5", "exception_cap_share = 1.5"));
  write_text(dir.path() / "child.toml", "base = \"base.toml\"\n[municipalities.town]\nexception_cap_share = 0.25\n");
  const Scenario s = load_scenario((dir.path() / "child.toml").string());
  EXPECT_DOUBLE_EQ(s.params.municipalities[0].exception_cap_share, 0.25);
}

TEST(ScenarioBase, MissingBaseFileIsNamed) {
  TempDir dir;
  const fs::path child = dir.path() / "child.toml";
  write_text(child, "title = \"x\"\nbase = \"nowhere.toml\"\n");
  const std::string msg = error_of([&] { load_scenario(child.string()); });
  EXPECT_EQ(msg.rfind(child.string() + ":2: key 'base': ", 0), 0u) << msg;
  EXPECT_NE(msg.find("nowhere.toml"), std::string::npos) << msg;
}

TEST(ScenarioBase, CycleIsRefused) {
  TempDir dir;
  write_text(dir.path() / "a.toml", "base = \"b.toml\"\n");
  write_text(dir.path() / "b.toml", "base = \"a.toml\"\n");
  const std::string msg = error_of([&] { load_scenario((dir.path() / "a.toml").string()); });
  EXPECT_NE(msg.find("cycle"), std::string::npos) << msg;
}

// ---------------------------------------------------------------- the resolved text

TEST(ScenarioResolved, ResolvedTextLoadsBackToTheSameRun) {
  for (const auto& file : shipped_scenarios()) {
    SCOPED_TRACE(file.string());
    const Scenario a = load_scenario(file.string());
    const Scenario b = load_scenario_text(a.resolved_toml, "resolved.toml");
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.rules, b.rules);
    EXPECT_EQ(a.params.weeks, b.params.weeks);
    EXPECT_EQ(a.params.seed, b.params.seed);
    ASSERT_EQ(a.params.producers.size(), b.params.producers.size());
    ASSERT_EQ(a.params.buyers.size(), b.params.buyers.size());
    const auto ha = hash_sequence(a.params, kWeeksPerYear);
    const auto hb = hash_sequence(b.params, kWeeksPerYear);
    ASSERT_EQ(ha.size(), static_cast<std::size_t>(kWeeksPerYear));
    for (std::size_t w = 0; w < ha.size(); ++w) ASSERT_EQ(ha[w], hb[w]) << "first divergence in week " << w;
    // the hashes change from week to week (a constant hash would prove nothing)
    EXPECT_NE(ha.front(), ha.back());
  }
}

TEST(ScenarioResolved, ResolvedTextIsAFixedPoint) {
  for (const auto& file : shipped_scenarios()) {
    SCOPED_TRACE(file.string());
    const Scenario a = load_scenario(file.string());
    const Scenario b = load_scenario_text(a.resolved_toml, "resolved.toml");
    EXPECT_EQ(a.resolved_toml, b.resolved_toml);
  }
}

TEST(ScenarioResolved, DifferentSeedsGiveDifferentHashes) {
  // guards the comparison above: the hash sequence does depend on the scenario
  const Scenario a = load_scenario_text(kTown, "town.toml");
  const Scenario b = load_scenario_text(kTown, "town.toml", {{"run.seed", "4"}});
  EXPECT_NE(hash_sequence(a.params, 8), hash_sequence(b.params, 8));
}

// ---------------------------------------------------------------- documentation

// scenarios/README.md documents a key "sec.key" either by its full path in backticks,
// or by a row "| `key` |" under a heading that names the section "`sec`"
TEST(ScenarioDocs, EveryKeyPathIsDocumentedInScenariosReadme) {
  const fs::path readme = fs::path(LOKALMAT_SOURCE_DIR) / "scenarios" / "README.md";
  ASSERT_TRUE(fs::exists(readme)) << readme << " does not exist";
  const std::string text = read_text(readme);

  // split into blocks under headings
  std::vector<std::pair<std::string, std::string>> blocks;  // heading line, body
  {
    std::istringstream in(text);
    std::string line;
    blocks.emplace_back("", "");
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] == '#') blocks.emplace_back(line, "");
      else blocks.back().second += line + "\n";
    }
  }
  const auto paths = scenario_key_paths();
  ASSERT_GT(paths.size(), 50u);
  for (const auto& path : paths) {
    if (text.find("`" + path + "`") != std::string::npos) continue;
    const auto dot = path.rfind('.');
    const std::string section = dot == std::string::npos ? "(top level)" : path.substr(0, dot);
    const std::string key = dot == std::string::npos ? path : path.substr(dot + 1);
    bool found = false;
    for (const auto& [heading, body] : blocks)
      if (heading.find("`" + section + "`") != std::string::npos && body.find("| `" + key + "` |") != std::string::npos)
        found = true;
    EXPECT_TRUE(found) << "scenario key '" << path << "' is not documented in " << readme;
  }
}

TEST(ScenarioDocs, KeyPathsAreUniqueAndMarkdownNamesThemAll) {
  const auto paths = scenario_key_paths();
  std::vector<std::string> sorted = paths;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "a key path is declared twice";
  const std::string md = scenario_keys_markdown();
  for (const auto& p : paths) {
    const auto dot = p.rfind('.');
    const std::string key = dot == std::string::npos ? p : p.substr(dot + 1);
    EXPECT_NE(md.find("| `" + key + "` |"), std::string::npos) << p;
  }
}

}  // namespace
}  // namespace lokalmat
