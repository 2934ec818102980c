// The rules of the weekly step on hand-built worlds of two or three agents,
// driven phase by phase (sim/model.h) with exact expectations. Inputs that other
// phases would produce (offers, orders, attendance) are set in the State
// directly, so each expectation follows from the rule under test alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <vector>

#include "sim/model.h"
#include "sim/scenario.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::category_index;
using test::make_world;
using test::sum_local_orders;
using test::World;

// ---------------------------------------------------------------- the exception

// a type outside the exception (nursing home) never orders locally, however satisfied
TEST(Rules, TypesOutsideTheExceptionNeverOrderLocally) {
  World w = make_world(2, R"(
[buyers.nh]
type = "nursing_home"
municipality = "m"
eaters = 40
position_km = [2.0, 2.0]
)");
  State& s = w.s;
  const std::size_t C = w.C, veg = static_cast<std::size_t>(category_index(w.p, "fresh_vegetables"));
  ASSERT_EQ(w.p.buyers[2].type, BuyerType::nursing_home);
  s.iso_week = 30;
  s.hubs.offered_kg[veg] = 1000;
  s.hubs.offered_price[veg] = 20;
  s.buyers.satisfaction.assign(3, 1.0);
  form_orders(w.p, s);
  EXPECT_EQ(s.buyers.participating[2], 0);
  EXPECT_EQ(s.buyers.local_order_kg[2 * C + veg], 0.0);
  EXPECT_GT(s.buyers.demand_kg[2 * C + veg], 0.0);  // a nursing home eats in week 30
}

// the exception's cap: local orders are scaled so their value is at most cap x the unit's food spend
TEST(Rules, ExceptionCapBoundsLocalOrderValue) {
  World w = make_world(2, "", {{"municipalities.m.exception_cap_share", "0.02"}});
  State& s = w.s;
  const std::size_t C = w.C, veg = static_cast<std::size_t>(category_index(w.p, "fresh_vegetables"));
  s.iso_week = 35;
  s.hubs.offered_kg[veg] = 1000;
  s.hubs.offered_price[veg] = 20;  // + 2 NOK fee = 22 NOK/kg, below the wholesaler's 32: no premium
  form_orders(w.p, s);
  for (std::size_t b = 0; b < 2; ++b) {
    ASSERT_EQ(s.buyers.participating[b], 1);
    double all_value = 0;
    for (std::size_t c = 0; c < C; ++c) all_value += s.buyers.demand_kg[b * C + c] * w.p.categories[c].wholesale_price_nok_per_kg;
    const double local_value = s.buyers.local_order_kg[b * C + veg] * 22.0;
    // uncapped the unit would order 0.6 (preference) of its vegetable demand, far above 2% of its spend
    EXPECT_GT(0.6 * s.buyers.demand_kg[b * C + veg] * 22.0, 0.02 * all_value);
    EXPECT_NEAR(local_value, 0.02 * all_value, 1e-12 * all_value) << "buyer " << b;
  }
}

// ---------------------------------------------------------------- rules over whole runs

// framework_only (even with a hub configured): no local order in any week
TEST(Rules, FrameworkOnlyNeverOrdersLocally) {
  // control: the same world under the exception does order locally in season
  {
    Simulation sim(make_world().p);
    double kg = 0;
    for (int k = 0; k < 52; ++k) {
      sim.step();
      kg += sum_local_orders(sim.state());
    }
    ASSERT_GT(kg, 0.0) << "control world never ordered locally";
  }
  const World w = make_world(2, "", {{"municipalities.m.rules", R"(["framework_only"])"}});
  ASSERT_FALSE(has_rule(w.p.municipalities[0], Rule::framework_exception));
  Simulation sim(w.p);
  for (int k = 0; k < 52; ++k) {
    sim.step();
    const State& s = sim.state();
    EXPECT_FALSE(local_channel_open(w.p, s, 0)) << "week " << k;
    EXPECT_EQ(sum_local_orders(s), 0.0) << "week " << k;
    for (std::size_t i = 0; i < s.buyers.local_kg.size(); ++i) EXPECT_EQ(s.buyers.local_kg[i], 0.0);
    EXPECT_EQ(s.buyers.participating[0] + s.buyers.participating[1], 0);
    EXPECT_EQ(sim.report().muni_total.work_hours, 0.0) << "week " << k;
    EXPECT_EQ(sim.report().muni_total.hub_throughput_kg, 0.0) << "week " << k;
  }
}

}  // namespace
}  // namespace lokalmat
