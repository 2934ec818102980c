// The delivery-and-settlement phase (sim/phases/settlement.cpp) on the tiny hand-built world:
// what reaches the kitchens, what they buy from the wholesaler instead, and the ordering hours
// their supplier relations cost. Offers and orders are set in the State directly and pass
// through the offers and clearing phases, so each expectation follows from settlement alone.
#include <gtest/gtest.h>

#include <cstddef>
#include <utility>
#include <vector>

#include "sim/hub.h"
#include "sim/model.h"
#include "sim/premium_budget.h"
#include "sim/rules/contracts.h"
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

// D8: the courier's price per kg includes its transport: the van drives the part of the tour the
// kg it carries itself stand for (half the kg: half the km), and nothing when the courier carries
// all; the hub's cost charges each kg once, by van km or by the courier's price
TEST(SettlementPhase, TheVanDoesNotDriveTheCouriersKg) {
  World w = make_world(2, "", {{"municipalities.m.hub.courier_kg_per_week", "100.0"}});
  const std::size_t C = w.C, veg = w.veg;
  std::vector<double> available(2 * C, 0.0);
  available[0 * C + veg] = 100;
  auto week = [&](double courier_share) {
    World v = w;
    const State first = settle_week(v, available, {{0, veg, 20}, {1, veg, 10}});
    const double kg = first.buyers.local_kg[0 * C + veg] + first.buyers.local_kg[1 * C + veg];
    v.s.markets.courier_kg[0] = courier_share * kg;
    return settle_week(v, available, {{0, veg, 20}, {1, veg, 10}});
  };
  const State none = week(0.0), half = week(0.5), all = week(1.0);
  ASSERT_GT(none.markets.route_km[0], 0.0);
  EXPECT_DOUBLE_EQ(half.markets.route_km[0], 0.5 * none.markets.route_km[0]);
  EXPECT_EQ(all.markets.route_km[0], 0.0);
  const HubParams& hp = w.p.municipalities[0].hub;
  const double kg = none.buyers.local_kg[0 * C + veg] + none.buyers.local_kg[1 * C + veg];
  EXPECT_NEAR(all.markets.cost_nok[0] - none.markets.cost_nok[0],
              (kg * hp.courier_nok_per_kg - none.markets.route_km[0] * hp.van_km_cost_nok) * none.price_index, 1e-9);
}

// D22: a farm's season record counts the new harvest of a storable crop it put into a channel at
// the share it offered: its offer share on the open market, all of it as a contract's holder
TEST(SettlementPhase, AHolderPutsItsWholeHarvestOfAStorableCropIn) {
  World w = make_world();
  const std::size_t C = w.C;
  std::size_t c = C;
  for (std::size_t j = 0; j < C && c == C; ++j)
    if (w.p.categories[j].storable && w.p.categories[j].local_route == LocalRoute::farm) c = j;
  ASSERT_LT(c, C);
  std::vector<double> available(2 * C, 0.0);
  available[0 * C + c] = 1000;
  w.s.producers.harvest_kg[0 * C + c] = 200;
  const State open = settle_week(w, available, {{0, c, 20}});
  EXPECT_DOUBLE_EQ(open.producers.season_offered_kg[0], 200 * 0.5);  // offer share 0.5 (settle_week)

  const auto h = static_cast<std::size_t>(w.s.hub_of_municipality[0]);
  for (int season : {0, 1}) {
    w.s.markets.contract_kind[contracts::slot(h, C, c, season)] = ContractKind::lot;
    w.s.markets.contract_price[contracts::slot(h, C, c, season)] = 10;
    w.s.channels.contracted[contracts::slot(w.s.producers.channel_begin[0], C, c, season)] = 1;
  }
  const State held = settle_week(w, available, {{0, c, 20}});
  EXPECT_DOUBLE_EQ(held.producers.season_offered_kg[0], 200.0);
  EXPECT_EQ(held.producers.season_offered_kg[1], 0.0);  // farm_b holds nothing and offers nothing
}

// D7: the hub fee, the incentive and the premium budget are in start-year NOK and move with the
// price index as every other price does: at an index of 1.5 the fee income is 1.5 times the fee
// per kg delivered, and a budget of NOK 1,000 holds NOK 1,499 of premiums but not NOK 1,500
TEST(SettlementPhase, FeeIncentiveAndPremiumBudgetMoveWithThePriceIndex) {
  World w = make_world(2, "", {{"municipalities.m.policy.local_incentive_nok_per_kg", "4.0"},
                               {"municipalities.m.policy.premium_budget_nok_per_year", "1000.0"}});
  const std::size_t C = w.C, veg = w.veg;
  w.s.price_index = 1.5;
  std::vector<double> available(2 * C, 0.0);
  available[0 * C + veg] = 100;
  const State s = settle_week(w, available, {{0, veg, 20}});
  const double kg = s.buyers.local_kg[0 * C + veg];
  ASSERT_GT(kg, 0.0);
  const MunicipalityParams& mp = w.p.municipalities[0];
  EXPECT_DOUBLE_EQ(s.markets.fee_income_nok[0], kg * mp.hub.fee_nok_per_kg * 1.5);
  EXPECT_DOUBLE_EQ(s.buyers.incentive_nok[0], kg * 4.0 * 1.5);
  State t = s;
  t.policy.premium_year_nok[0] = 1499;
  EXPECT_TRUE(premium_money_left(mp.policy, t, 0));
  t.policy.premium_year_nok[0] = 1500;
  EXPECT_FALSE(premium_money_left(mp.policy, t, 0));
}

}  // namespace
}  // namespace lokalmat
