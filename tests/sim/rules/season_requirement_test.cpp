// season_requirement (sim/rules/season_requirement.cpp) on the tiny hand-built world: the
// framework tender requires produce in Norwegian season, which shows in the wholesaler's kg of
// the metrics' cells. The week's wholesale purchases are set in the State directly.
#include <gtest/gtest.h>

#include <cstddef>
#include <utility>

#include "sim/model.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;
using test::World;

// the wholesaler's Norwegian share rises to at least 0.8 and its regional share doubles, in
// season only; the local channel is untouched. Cells compared with and without the rule.
TEST(SeasonRequirement, RaisesNorwegianAndRegionalSharesInSeasonOnly) {
  auto cells = [](bool rule, int iso_week) {
    World w = make_world(2, "",
                         rule ? Overrides{{"municipalities.m.rules", R"(["framework_exception", "season_requirement"])"}}
                              : Overrides{});
    State& s = w.s;
    const std::size_t C = w.C;
    s.iso_week = iso_week;
    update_policy(w.p, s);  // the shares in force this week
    s.buyers.wholesale_kg[0 * C + w.veg] = 100;
    s.buyers.wholesale_nok[0 * C + w.veg] = 3200;
    s.buyers.demand_kg[0 * C + w.veg] = 100;
    s.buyers.wholesale_kg[0 * C + w.eggs] = 10;
    s.buyers.wholesale_nok[0 * C + w.eggs] = 450;
    s.buyers.demand_kg[0 * C + w.eggs] = 10;
    WeekReport r;
    collect_metrics(w.p, s, r);
    const auto t = static_cast<std::size_t>(BuyerType::kindergarten);
    return std::pair<FlowSums, FlowSums>{r.cells[t * C + w.veg], r.cells[t * C + w.eggs]};
  };
  // ISO week 30: vegetables in season (weeks 24-42); eggs are year-round, so always in season
  {
    const auto [veg0, eggs0] = cells(false, 30);
    const auto [veg1, eggs1] = cells(true, 30);
    EXPECT_DOUBLE_EQ(veg0.norwegian_kg, 100 * 0.5);  // in-season share 0.5
    EXPECT_DOUBLE_EQ(veg1.norwegian_kg, 100 * 0.8);  // raised to the minimum 0.8
    EXPECT_DOUBLE_EQ(veg0.regional_kg, 100 * 0.02);
    EXPECT_DOUBLE_EQ(veg1.regional_kg, 100 * 0.04);  // x 2
    EXPECT_DOUBLE_EQ(veg1.regional_nok, 2 * veg0.regional_nok);
    EXPECT_DOUBLE_EQ(eggs0.norwegian_kg, 10 * 0.99);  // already above 0.8: unchanged
    EXPECT_DOUBLE_EQ(eggs1.norwegian_kg, 10 * 0.99);
    EXPECT_DOUBLE_EQ(eggs1.regional_kg, 2 * eggs0.regional_kg);
    EXPECT_EQ(veg1.local_kg, veg0.local_kg);
    EXPECT_EQ(veg1.wholesale_nok, veg0.wholesale_nok);
  }
  // ISO week 10: vegetables out of season: identical cells
  {
    const auto [veg0, eggs0] = cells(false, 10);
    const auto [veg1, eggs1] = cells(true, 10);
    EXPECT_DOUBLE_EQ(veg0.norwegian_kg, 100 * 0.2);
    EXPECT_EQ(veg1.norwegian_kg, veg0.norwegian_kg);
    EXPECT_EQ(veg1.regional_kg, veg0.regional_kg);
    EXPECT_EQ(veg1.regional_nok, veg0.regional_nok);
    EXPECT_DOUBLE_EQ(eggs1.regional_kg, 2 * eggs0.regional_kg);
  }
}

}  // namespace
}  // namespace lokalmat
