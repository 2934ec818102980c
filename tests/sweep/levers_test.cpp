// The lever table (sim/sweep/levers.h, ODD §7.35) on the default Horten scenario over 10 seeds:
// every main lever moves the main outputs in the direction the ODD argues, the table is the same
// at any thread count, and a lever is set in every entry of the scenario.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "sim/sweep/levers.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

const std::string kHorten = test::source_path("scenarios/horten.toml");

std::string arrows(const std::array<Direction, kLeverOutputs.size()>& d) {
  std::string s;
  for (Direction x : d) s += x == kSmall ? '~' : x > 0 ? '+' : x < 0 ? '-' : '0';
  return s;
}

// Each lever, low -> high, 10 seeds paired: its measured directions (a change beyond twice the
// standard error of the paired differences) are the argued ones, output by output (local share by
// value, through the local channel, work hours, engaged, cost per meal, CO2e; '~' is not counted).
// The arguments are ODD §7.35's and are printed beside the measured table.
TEST(Levers, EachMainLeverMovesTheMainOutputsAsTheOddArgues) {
  const auto effects = run_levers(kHorten, main_levers(), 10, 1);
  std::printf("%s", lever_table_markdown(effects, 10).c_str());
  ASSERT_GE(effects.size(), 9u);
  for (const LeverEffect& e : effects) {
    SCOPED_TRACE(e.lever->name + ": " + e.lever->why);
    EXPECT_TRUE(e.as_argued()) << "measured " << arrows(e.measured) << ", argued " << arrows(e.lever->expected);
  }
}

// the main levers are the ones MODEL.md's questions turn (issue list: hub capacity, participants,
// shift length, premium budget, kitchens' preference, farm reliability, supplier development,
// hub fee, incentive, direct-purchase limit), each with its argument
TEST(Levers, TheMainLeversAreTheOnesThePolicyQuestionsTurn) {
  std::vector<std::string> names;
  for (const Lever& l : main_levers()) {
    names.push_back(l.name);
    EXPECT_FALSE(l.why.empty()) << l.name;
    EXPECT_NE(l.low, l.high) << l.name;
  }
  for (const char* must : {"hub capacity", "participants", "premium budget", "kitchens' local preference",
                           "farm reliability", "supplier development events", "hub fee", "incentive",
                           "direct-purchase limit (under direct purchase)"})
    EXPECT_NE(std::find(names.begin(), names.end(), must), names.end()) << must;
}

// a lever is set in every entry of its section: Horten's six kitchen entries, four farm entries (the
// candidate pool and the three active farms), one
// municipality (with the context keys a lever needs, such as the rule it acts under)
TEST(Levers, ALeverIsSetInEveryEntryOfTheScenario) {
  const Scenario sc = load_scenario(kHorten);
  auto find = [](const char* name) {
    for (const Lever& l : main_levers())
      if (l.name == name) return l;
    ADD_FAILURE() << name;
    return Lever{};
  };
  const Overrides pref = lever_overrides(sc, find("kitchens' local preference"), "0.5");
  EXPECT_EQ(pref.size(), 6u);
  for (const auto& [k, v] : pref) {
    EXPECT_EQ(k.rfind("buyers.", 0), 0u) << k;
    EXPECT_EQ(v, "0.5");
  }
  EXPECT_EQ(lever_overrides(sc, find("farm reliability"), "1.0"),
            (Overrides{{"producers.candidates.reliability", "1.0"}, {"producers.farm_a.reliability", "1.0"},
                       {"producers.farm_b.reliability", "1.0"}, {"producers.farm_c.reliability", "1.0"}}));
  const Overrides direct = lever_overrides(sc, find("direct-purchase limit (under direct purchase)"), "500000.0");
  EXPECT_EQ(direct.back(), (std::pair<std::string, std::string>{"procurement.direct_limit_new_nok", "500000.0"}));
  EXPECT_EQ(direct.front(), (std::pair<std::string, std::string>{"municipalities.horten.rules", R"(["direct_purchase"])"}));
  // and the loaded scenario has it
  const Params p = load_scenario(kHorten, pref).params;
  for (const BuyerParams& b : p.buyers) EXPECT_DOUBLE_EQ(b.local_preference, 0.5);
}

// the same table at 1 and 2 threads, bit for bit
TEST(Levers, TheTableIsTheSameAtAnyThreadCount) {
  auto table = [](std::size_t threads) {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
    std::vector<Lever> two(main_levers().begin(), main_levers().begin() + 2);
    const auto effects = run_levers(kHorten, two, 3, 5);
    std::vector<double> out;
    for (const auto& e : effects) out.insert(out.end(), e.mean_diff.begin(), e.mean_diff.end());
    return out;
  };
  EXPECT_EQ(table(1), table(2));
}

}  // namespace
}  // namespace lokalmat
