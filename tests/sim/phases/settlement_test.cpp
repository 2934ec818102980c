// The delivery-and-settlement phase (sim/phases/settlement.cpp) on the tiny hand-built world:
// what reaches the kitchens, what they buy from the wholesaler instead, and the ordering hours
// their supplier relations cost. Offers and orders are set in the State directly and pass
// through the offers and clearing phases, so each expectation follows from settlement alone.
#include <gtest/gtest.h>

#include <cstddef>
#include <utility>
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

// the municipality pays the local-purchase incentive (NOK 5/kg here) for what arrived, while the
// year's premiums are below the premium budget (sim/premium_budget.h); once they reach it, or with
// no money at all, nothing is paid; an unlimited budget always pays
TEST(SettlementPhase, TheIncentiveIsPaidOnlyWhileThePremiumBudgetHasMoney) {
  auto settle = [](const Overrides& o, double premium_year) {
    World w = make_world(2, "", o);
    const std::size_t C = w.C, veg = w.veg;
    w.s.policy.incentive_nok_per_kg[0] = 5;
    w.s.policy.premium_year_nok[0] = premium_year;
    std::vector<double> available(2 * C, 0.0);
    available[0 * C + veg] = 100;
    const State s = settle_week(w, available, {{0, veg, 20}});
    return std::pair(s.buyers.incentive_nok[0], s.buyers.local_kg[0 * C + veg]);
  };
  const Overrides budget{{"municipalities.m.policy.premium_budget_nok_per_year", "1000.0"}};
  const Overrides unlimited{{"municipalities.m.policy.premium_budget_unlimited", "true"}};
  const auto [paid, kg] = settle(budget, 999);
  ASSERT_GT(kg, 0.0);
  EXPECT_DOUBLE_EQ(paid, 5 * kg);
  EXPECT_EQ(settle(budget, 1000).first, 0.0);  // the budget is spent
  EXPECT_EQ(settle({}, 0).first, 0.0);         // no money for premiums (the default 0)
  EXPECT_DOUBLE_EQ(settle(unlimited, 1e12).first, 5 * settle(unlimited, 1e12).second);
  EXPECT_EQ(settle(budget, 1000).second, kg);  // what arrives does not depend on the incentive
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
