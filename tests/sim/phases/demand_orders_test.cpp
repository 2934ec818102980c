// The demand-and-orders phase (sim/phases/demand_orders.cpp) on the tiny hand-built world:
// meals and demand in open and closed weeks, the flexible menu, and participation in the local
// channel. What the offers phase would post is set in the State directly.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <vector>

#include "sim/model.h"
#include "sim/rules/rules.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::category_index;
using test::kNursingHomeToml;
using test::make_world;
using test::World;

// satisfaction above the threshold always orders; 0 never; at the threshold (not above) with probability 0.7
// tolerance: over n = 2000 weeks the frequency has sd sqrt(p(1-p)/n) <= 0.0112, bound 0.05 (> 4 sd)
TEST(DemandOrdersPhase, ParticipationFollowsSatisfaction) {
  World w = make_world();
  State& s = w.s;
  s.iso_week = 10;  // kindergartens open, not a budget year
  constexpr int n = 2000;
  auto count = [&](double sat0, double sat1) {
    std::array<int, 2> k{0, 0};
    for (int week = 1; week <= n; ++week) {
      s.week = week;
      s.buyers.satisfaction[0] = sat0;
      s.buyers.satisfaction[1] = sat1;
      form_orders(w.p, s);
      k[0] += s.buyers.participating[0];
      k[1] += s.buyers.participating[1];
    }
    return k;
  };
  const auto high_zero = count(0.71, 0.0);
  EXPECT_EQ(high_zero[0], n);
  EXPECT_EQ(high_zero[1], 0);
  const auto at_half = count(0.7, 0.5);
  EXPECT_LT(at_half[0], n);  // 0.7 is not above the threshold 0.7
  EXPECT_NEAR(at_half[0] / double(n), 0.7, 0.05);
  EXPECT_NEAR(at_half[1] / double(n), 0.5, 0.05);
}

// closed weeks (kindergarten ISO weeks 28-31) give zero meals and no demand; a nursing home never closes
TEST(DemandOrdersPhase, ClosedWeeksGiveZeroMeals) {
  const World w = make_world(2, kNursingHomeToml);
  const auto kg = static_cast<std::size_t>(BuyerType::kindergarten);
  const auto nh = static_cast<std::size_t>(BuyerType::nursing_home);
  Simulation sim(w.p);
  int closed_seen = 0;
  for (int k = 0; k < 52; ++k) {
    sim.step();
    const WeekReport& r = sim.report();
    const bool closed = r.iso_week >= 28 && r.iso_week <= 31;
    closed_seen += closed ? 1 : 0;
    const GroupSums g = group_sums(r, 0, static_cast<int>(kg), -1);
    if (closed) {
      EXPECT_EQ(r.types[kg].meals, 0.0) << "ISO week " << r.iso_week;
      EXPECT_EQ(g.flow.demand_kg, 0.0) << "ISO week " << r.iso_week;
      EXPECT_EQ(g.flow.local_order_kg, 0.0) << "ISO week " << r.iso_week;
    } else {
      EXPECT_EQ(r.types[kg].meals, 80.0 * 5.0) << "ISO week " << r.iso_week;
      EXPECT_GT(g.flow.demand_kg, 0.0);
    }
    EXPECT_EQ(r.types[nh].meals, 40.0 * 7.0) << "ISO week " << r.iso_week;
  }
  EXPECT_EQ(closed_seen, 4);
}

// a flexible menu moves demand toward what is on offer within its group, keeping the group's kg
TEST(DemandOrdersPhase, MenuFlexibilityKeepsGroupTotal) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C;
  const auto veg = static_cast<std::size_t>(category_index(w.p, "fresh_vegetables"));
  const auto pot = static_cast<std::size_t>(category_index(w.p, "potatoes_roots"));
  const auto fruit = static_cast<std::size_t>(category_index(w.p, "fruit_berries"));
  s.iso_week = 35;  // kindergartens open
  // reference demand with the channel closed (no shift)
  s.policy.exception_open[0] = 0;
  form_orders(w.p, s);
  const std::vector<double> base(s.buyers.demand_kg.begin(), s.buyers.demand_kg.begin() + static_cast<long>(C));
  s.policy.exception_open[0] = 1;
  s.markets.offered_kg[veg] = 1000;
  s.markets.offered_price[veg] = 20;
  form_orders(w.p, s);
  const double* d = &s.buyers.demand_kg[0];
  const double group_before = base[veg] + base[pot] + base[fruit];
  const double group_after = d[veg] + d[pot] + d[fruit];
  EXPECT_NEAR(group_after, group_before, 1e-12 * group_before);
  // kindergarten flexibility 0.3; vegetables weighted 2 (on offer): share 2 x 0.06 / 0.21 of the group
  EXPECT_NEAR(d[veg], 0.7 * base[veg] + 0.3 * group_before * (2 * 0.06 / 0.21), 1e-12 * group_before);
  EXPECT_GT(d[veg], base[veg]);
  EXPECT_LT(d[pot], base[pot]);
  EXPECT_LT(d[fruit], base[fruit]);
  // categories outside the group are untouched
  const auto dairy = static_cast<std::size_t>(category_index(w.p, "dairy"));
  EXPECT_EQ(d[dairy], base[dairy]);
}

// the premium budget binds (sim/premium_budget.h): above the wholesaler's list price a unit orders
// locally only while the year's premiums are below the budget; at or below the list price it
// orders whatever the budget; 0 is no money for premiums; unlimited never stops it
TEST(DemandOrdersPhase, PremiumBudgetBindsOrdersAboveTheListPrice) {
  auto veg_order = [](const Overrides& o, double premium_year, double times_list_price) {
    World w = make_world(2, "", o);
    State& s = w.s;
    s.iso_week = 35;  // kindergartens open
    const double list = framework::list_price_nok_per_kg(w.p, s, w.veg);
    s.markets.offered_kg[w.veg] = 1000;
    s.markets.offered_price[w.veg] = times_list_price * list - w.p.municipalities[0].hub.fee_nok_per_kg;
    s.policy.premium_year_nok[0] = premium_year;
    form_orders(w.p, s);
    return s.buyers.local_order_kg[0 * w.C + w.veg];
  };
  const Overrides budget{{"municipalities.m.policy.premium_budget_nok_per_year", "1000.0"}};
  const Overrides unlimited{{"municipalities.m.policy.premium_budget_unlimited", "true"}};
  const double above = veg_order(budget, 999, 1.2);
  EXPECT_GT(above, 0.0);
  EXPECT_EQ(veg_order(budget, 1000, 1.2), 0.0);   // the year's money is spent
  EXPECT_EQ(veg_order({}, 0, 1.2), 0.0);          // no money for premiums
  EXPECT_EQ(veg_order(unlimited, 1e12, 1.2), above);
  const double below = veg_order(budget, 1000, 0.9);  // below the list price: no premium to pay
  EXPECT_GT(below, above);
  EXPECT_EQ(veg_order({}, 0, 0.9), below);
  EXPECT_EQ(veg_order(unlimited, 0, 0.9), below);
}

// kitchens' food budgets bind: a unit that has spent more than its budget so far this year orders
// less of the local food priced above the list price (by budget_sensitivity x its relative
// overspend), and as much as before of local food at or below the list price, which saves it money
TEST(DemandOrdersPhase, AUnitOverItsFoodBudgetCutsOnlyLocalFoodAboveTheListPrice) {
  auto veg_order = [](double spent_share_of_budget, double times_list_price) {
    World w = make_world(2, "", {{"municipalities.m.policy.premium_budget_unlimited", "true"},
                                 {"behaviour.budget_sensitivity", "2.0"}});
    State& s = w.s;
    s.iso_week = 35;  // kindergartens open
    const double list = framework::list_price_nok_per_kg(w.p, s, w.veg);
    s.markets.offered_kg[w.veg] = 1000;
    s.markets.offered_price[w.veg] = times_list_price * list - w.p.municipalities[0].hub.fee_nok_per_kg;
    s.buyers.budget_year_nok[0] = 10000;
    s.buyers.spend_year_nok[0] = spent_share_of_budget * 10000;
    form_orders(w.p, s);
    return s.buyers.local_order_kg[0 * w.C + w.veg];
  };
  const double within = veg_order(0.9, 1.2);
  ASSERT_GT(within, 0.0);
  EXPECT_DOUBLE_EQ(veg_order(1.0, 1.2), within);               // at the budget: no cut
  EXPECT_NEAR(veg_order(1.25, 1.2), 0.5 * within, 1e-9 * within);  // 25% over: 1 - 2 x 0.25
  EXPECT_EQ(veg_order(1.6, 1.2), 0.0);                          // 60% over: nothing above the list price
  const double cheap = veg_order(0.9, 0.9);
  EXPECT_GT(cheap, within);
  EXPECT_DOUBLE_EQ(veg_order(1.6, 0.9), cheap);                 // below the list price: not cut
}

}  // namespace
}  // namespace lokalmat
