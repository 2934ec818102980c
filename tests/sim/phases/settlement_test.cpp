// The delivery-and-settlement phase (sim/phases/settlement.cpp) on the tiny hand-built world:
// what reaches the kitchens, what they buy from the wholesaler instead, and the ordering hours
// their supplier relations cost. Offers and orders are set in the State directly and pass
// through the offers and clearing phases, so each expectation follows from settlement alone.
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "sim/model.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::kDirect;
using test::make_world;
using test::set_offer;
using test::set_orders;
using test::set_workers;
using test::World;

// nobody can come: capacity 0, nothing is delivered, all falls back, satisfaction -0.05
TEST(SettlementPhase, NothingDeliveredWhenHubHasNoCapacity) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  set_workers(w, 0.0);
  set_offer(w, 0, veg, 100, 0.5);
  post_offers(w.p, s);
  set_orders(w, veg, {20, 0}, {30, 30});  // kg_b orders nothing locally
  clear_markets(w.p, s);
  EXPECT_EQ(s.markets.capacity_kg[0], 0.0);
  EXPECT_EQ(s.markets.handle_ratio[0], 0.0);
  settle_deliveries(w.p, s);
  EXPECT_EQ(s.buyers.local_kg[0 * C + veg], 0.0);
  EXPECT_EQ(s.buyers.fallback_kg[0 * C + veg], 20.0);
  EXPECT_EQ(s.buyers.wholesale_kg[0 * C + veg], 30.0);
  EXPECT_EQ(s.buyers.delivery_outcome[0], DeliveryOutcome::nothing);   // ordered, nothing came
  EXPECT_EQ(s.buyers.delivery_outcome[1], DeliveryOutcome::no_order);  // did not order locally
  adapt(w.p, s);
  EXPECT_DOUBLE_EQ(s.buyers.satisfaction[0], 0.8 - 0.05);
  EXPECT_EQ(s.buyers.satisfaction[1], 0.8);
}

// one local order: a unit, a category and kg; the unit's demand of the category is 30 kg
struct Order {
  std::size_t buyer, category;
  double kg;
};
// a week of the tiny world (one channel per farm): the farms offer half of what is available
// ([farm x category], kg), the units order, every worker is present, 250 and 150 meals are
// served; offers, clearing and settlement run, and the state after them is returned
State settle_week(World w, const std::vector<double>& available, const std::vector<Order>& orders) {
  State& s = w.s;
  const std::size_t C = w.C;
  s.workers.attendance.assign(s.workers.attendance.size(), 1.0);
  for (std::size_t kc = 0; kc < available.size(); ++kc) {
    if (available[kc] <= 0) continue;
    s.producers.available_kg[kc] = available[kc];
    s.channels.offer_share[kc] = 0.5;
  }
  post_offers(w.p, s);
  for (const Order& o : orders) {
    s.buyers.local_order_kg[o.buyer * C + o.category] = o.kg;
    s.buyers.demand_kg[o.buyer * C + o.category] = 30;
  }
  s.buyers.meals = {250.0, 150.0};
  clear_markets(w.p, s);
  settle_deliveries(w.p, s);
  return s;
}

// each farm a unit buys from directly is a supplier relation (ordering hours); on the platform all
// farms are one relation. Both farms sell vegetables to both units here.
TEST(SettlementPhase, DirectSupplierRelationsCountEachFarm) {
  auto run = [](const Overrides& o) {
    const World w = make_world(2, "", o);
    const std::size_t C = w.C, veg = w.veg;
    std::vector<double> available(2 * C, 0.0);
    available[0 * C + veg] = 100;
    available[1 * C + veg] = 100;
    const State s = settle_week(w, available, {{0, veg, 20}, {1, veg, 10}});
    return std::vector<double>{s.buyers.admin_hours[0], s.buyers.admin_hours[1]};
  };
  // kindergarten: 0.5 h per relation; one sector, no trust: no cut
  EXPECT_EQ(run(kDirect), (std::vector<double>{1.5, 1.5}));  // wholesaler + 2 farms
  EXPECT_EQ(run({}), (std::vector<double>{1.0, 1.0}));       // wholesaler + the platform
}

// kg_a buys only vegetables (from farm a), kg_b only eggs (from farm b): each unit bought from
// one farm, so each has two relations (the wholesaler and its farm), not three
TEST(SettlementPhase, DirectSupplierRelationsCountOnlyTheUnitsOwnFarms) {
  const World w = make_world(2, "", kDirect);
  const std::size_t C = w.C, veg = w.veg, eggs = w.eggs;
  std::vector<double> available(2 * C, 0.0);
  available[0 * C + veg] = 100;
  available[1 * C + eggs] = 100;
  const State s = settle_week(w, available, {{0, veg, 20}, {1, eggs, 10}});
  ASSERT_EQ(s.buyers.local_kg[0 * C + veg], 20.0);
  ASSERT_EQ(s.buyers.local_kg[0 * C + eggs], 0.0);
  ASSERT_EQ(s.buyers.local_kg[1 * C + eggs], 10.0);
  EXPECT_EQ(s.buyers.admin_hours[0], 1.0);
  EXPECT_EQ(s.buyers.admin_hours[1], 1.0);
}

}  // namespace
}  // namespace lokalmat
