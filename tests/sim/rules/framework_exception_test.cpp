// framework_exception (sim/rules/framework_exception.cpp), the Horten route, on the tiny
// hand-built world: only the kitchen types the exception names order locally, and their local
// orders stay within the cap. What the offers phase would post is set in the State directly.
#include <gtest/gtest.h>

#include <cstddef>

#include "sim/model.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::kNursingHomeToml;
using test::make_world;
using test::World;

// a type outside the exception (nursing home) never orders locally, however satisfied
TEST(FrameworkException, TypesOutsideTheExceptionNeverOrderLocally) {
  World w = make_world(2, kNursingHomeToml);
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  ASSERT_EQ(w.p.buyers[2].type, BuyerType::nursing_home);
  s.iso_week = 30;
  s.markets.offered_kg[veg] = 1000;
  s.markets.offered_price[veg] = 20;
  s.buyers.satisfaction.assign(3, 1.0);
  form_orders(w.p, s);
  EXPECT_EQ(s.buyers.participating[2], 0);
  EXPECT_EQ(s.buyers.local_order_kg[2 * C + veg], 0.0);
  EXPECT_GT(s.buyers.demand_kg[2 * C + veg], 0.0);  // a nursing home eats in week 30
}

// the exception's cap: local orders are scaled so their value is at most cap x the unit's food spend
TEST(FrameworkException, CapBoundsLocalOrderValue) {
  World w = make_world(2, "", {{"municipalities.m.exception_cap_share", "0.02"}});
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  s.iso_week = 35;
  s.markets.offered_kg[veg] = 1000;
  s.markets.offered_price[veg] = 20;  // + 2 NOK fee = 22 NOK/kg, below the wholesaler's 32: no premium
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

}  // namespace
}  // namespace lokalmat
