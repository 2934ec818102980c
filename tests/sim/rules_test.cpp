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
using test::expect_tiny_topology;
using test::make_world;
using test::set_workers;
using test::sum_local_orders;
using test::World;

// ---------------------------------------------------------------- clearing

// orders 80 kg > offers 40 kg: every farm sells out, buyers get half of their order
TEST(Rules, ClearMarketsRationsProportionallyWhenOrdersExceedOffers) {
  World w = make_world();
  expect_tiny_topology(w);
  State& s = w.s;
  const std::size_t C = w.C, veg = static_cast<std::size_t>(category_index(w.p, "fresh_vegetables"));
  set_workers(w, 0.5);  // capacity 2 x 0.5 x 4.5 days x 4 h x 40 kg/h = 720 kg: not binding

  // offers: farm a 60 kg x 0.5 = 30 kg at 25 NOK/kg, farm b 40 kg x 0.25 = 10 kg at 30 NOK/kg
  s.producers.available_kg[0 * C + veg] = 60;
  s.producers.available_kg[1 * C + veg] = 40;
  s.channels.offer_share[0 * C + veg] = 0.5;
  s.channels.offer_share[1 * C + veg] = 0.25;
  s.producers.asking_price[0 * C + veg] = 25;
  s.producers.asking_price[1 * C + veg] = 30;
  post_offers(w.p, s);
  EXPECT_EQ(s.channels.offer_kg[0 * C + veg], 30.0);
  EXPECT_EQ(s.channels.offer_kg[1 * C + veg], 10.0);
  EXPECT_EQ(s.hubs.offered_kg[veg], 40.0);
  EXPECT_EQ(s.hubs.offered_price[veg], 26.25);  // (30 x 25 + 10 x 30) / 40

  // orders: 50 and 30 kg
  s.buyers.local_order_kg[0 * C + veg] = 50;
  s.buyers.local_order_kg[1 * C + veg] = 30;
  clear_markets(w.p, s);
  EXPECT_EQ(s.hubs.ordered_kg[veg], 80.0);
  EXPECT_EQ(s.hubs.accept_ratio[veg], 0.5);
  EXPECT_EQ(s.hubs.capacity_kg[0], 720.0);
  EXPECT_EQ(s.hubs.handle_ratio[0], 1.0);
  EXPECT_EQ(s.hubs.handled_kg[0], 40.0);
  EXPECT_EQ(s.channels.sold_kg[0 * C + veg], 30.0);
  EXPECT_EQ(s.channels.sold_kg[1 * C + veg], 10.0);
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t c = 0; c < C; ++c)
      if (c != veg) {
        EXPECT_EQ(s.channels.sold_kg[k * C + c], 0.0) << w.p.categories[c].name;
      }

  // settlement with reliability 1: each buyer gets its accepted half; the part the platform could not
  // accept is known when ordering closes and is bought from the wholesaler at the list price
  s.buyers.demand_kg[0 * C + veg] = 100;
  s.buyers.demand_kg[1 * C + veg] = 100;
  settle_deliveries(w.p, s);
  EXPECT_EQ(s.buyers.local_kg[0 * C + veg], 25.0);
  EXPECT_EQ(s.buyers.local_kg[1 * C + veg], 15.0);
  EXPECT_EQ(s.buyers.fallback_kg[0 * C + veg], 0.0);
  EXPECT_EQ(s.buyers.wholesale_kg[0 * C + veg], 75.0);  // 50 planned + 25 not accepted
  // 75 kg x 32 NOK, no short-notice premium
  EXPECT_DOUBLE_EQ(s.buyers.wholesale_nok[0 * C + veg], 75.0 * 32.0);
  EXPECT_DOUBLE_EQ(s.buyers.local_nok[0 * C + veg], 25.0 * (26.25 + 2.0));
  // the accepted order came in full: rationing at the offer is not a failed delivery
  EXPECT_EQ(s.buyers.delivery_outcome[0], DeliveryOutcome::full);
  EXPECT_EQ(s.buyers.delivery_outcome[1], DeliveryOutcome::full);
  // farms are paid their own price, the hub its fee
  EXPECT_DOUBLE_EQ(s.producers.income_week_nok[0], 30.0 * 25.0);
  EXPECT_DOUBLE_EQ(s.producers.income_week_nok[1], 10.0 * 30.0);
  EXPECT_DOUBLE_EQ(s.hubs.fee_income_nok[0], 40.0 * 2.0);
}

// offers 40 kg > orders 20 kg: every order accepted, each farm sells in proportion to its offer
TEST(Rules, ClearMarketsSharesSalesByOfferWhenOffersExceedOrders) {
  World w = make_world();
  expect_tiny_topology(w);
  State& s = w.s;
  const std::size_t C = w.C, veg = static_cast<std::size_t>(category_index(w.p, "fresh_vegetables"));
  set_workers(w, 0.5);
  s.producers.available_kg[0 * C + veg] = 60;
  s.producers.available_kg[1 * C + veg] = 40;
  s.channels.offer_share[0 * C + veg] = 0.5;
  s.channels.offer_share[1 * C + veg] = 0.25;
  post_offers(w.p, s);
  s.buyers.local_order_kg[0 * C + veg] = 12;
  s.buyers.local_order_kg[1 * C + veg] = 8;
  clear_markets(w.p, s);
  EXPECT_EQ(s.hubs.accept_ratio[veg], 1.0);
  EXPECT_EQ(s.channels.sold_kg[0 * C + veg], 15.0);  // 30 of the 40 kg offered
  EXPECT_EQ(s.channels.sold_kg[1 * C + veg], 5.0);
  EXPECT_EQ(s.hubs.handled_kg[0], 20.0);
}

// capacity 40 kg < 100 kg accepted: handle_ratio 0.4, the shortfall reaches buyers as
// partial deliveries and is bought from the wholesaler at the short-notice premium
TEST(Rules, HubCapacityRationsAndShortfallFallsBackToWholesaler) {
  World w = make_world(1, "", {}, [](Params& p) {
    p.municipalities[0].day_centre.open_days_per_week = 2;
    p.municipalities[0].day_centre.hours_per_day = 1;
  });
  State& s = w.s;
  const std::size_t C = w.C, veg = static_cast<std::size_t>(category_index(w.p, "fresh_vegetables"));
  set_workers(w, 0.5);  // capacity 0.5 x 2 days x 1 h x 40 kg/h = 40 kg

  s.producers.available_kg[0 * C + veg] = 200;
  s.producers.available_kg[1 * C + veg] = 100;
  s.channels.offer_share[0 * C + veg] = 0.75;  // 150 kg
  s.channels.offer_share[1 * C + veg] = 0.5;   // 50 kg
  s.producers.asking_price[0 * C + veg] = 25;
  s.producers.asking_price[1 * C + veg] = 25;
  post_offers(w.p, s);
  s.buyers.local_order_kg[0 * C + veg] = 60;
  s.buyers.local_order_kg[1 * C + veg] = 40;
  s.buyers.demand_kg[0 * C + veg] = 100;
  s.buyers.demand_kg[1 * C + veg] = 100;
  clear_markets(w.p, s);
  EXPECT_EQ(s.hubs.accept_ratio[veg], 1.0);
  EXPECT_EQ(s.hubs.capacity_kg[0], 40.0);
  EXPECT_DOUBLE_EQ(s.hubs.handle_ratio[0], 0.4);
  EXPECT_DOUBLE_EQ(s.hubs.handled_kg[0], 40.0);
  EXPECT_DOUBLE_EQ(s.channels.sold_kg[0 * C + veg], 30.0);  // 150 x (100/200) x 0.4
  EXPECT_DOUBLE_EQ(s.channels.sold_kg[1 * C + veg], 10.0);

  settle_deliveries(w.p, s);
  EXPECT_DOUBLE_EQ(s.buyers.local_kg[0 * C + veg], 24.0);
  EXPECT_DOUBLE_EQ(s.buyers.local_kg[1 * C + veg], 16.0);
  EXPECT_DOUBLE_EQ(s.buyers.fallback_kg[0 * C + veg], 36.0);
  EXPECT_DOUBLE_EQ(s.buyers.fallback_kg[1 * C + veg], 24.0);
  EXPECT_DOUBLE_EQ(s.buyers.wholesale_kg[0 * C + veg], 76.0);
  EXPECT_DOUBLE_EQ(s.buyers.wholesale_kg[1 * C + veg], 84.0);
  // planned 40 kg x 32 + fallback 36 kg x 32 x 1.15; planned 60 kg x 32 + fallback 24 kg x 32 x 1.15
  EXPECT_DOUBLE_EQ(s.buyers.wholesale_nok[0 * C + veg], 1280.0 + 1324.8);
  EXPECT_DOUBLE_EQ(s.buyers.wholesale_nok[1 * C + veg], 1920.0 + 883.2);
  EXPECT_DOUBLE_EQ(s.buyers.local_nok[0 * C + veg], 24.0 * 27.0);
  EXPECT_EQ(s.buyers.delivery_outcome[0], DeliveryOutcome::partial);
  EXPECT_EQ(s.buyers.delivery_outcome[1], DeliveryOutcome::partial);

  // a partial delivery costs satisfaction 0.01
  adapt(w.p, s);
  EXPECT_DOUBLE_EQ(s.buyers.satisfaction[0], 0.8 - 0.01);
}

// the vehicle bounds capacity too: 10 kg x 2 delivery days x 1 trip = 20 kg
TEST(Rules, HubCapacityBoundedByVehicle) {
  World w = make_world(2, "", {}, [](Params& p) {
    p.municipalities[0].hub.vehicle_capacity_kg = 10;
    p.municipalities[0].hub.delivery_days_per_week = 2;
    p.municipalities[0].hub.trips_per_delivery_day = 1;
  });
  State& s = w.s;
  const std::size_t C = w.C, veg = static_cast<std::size_t>(category_index(w.p, "fresh_vegetables"));
  set_workers(w, 0.5);
  s.producers.available_kg[0 * C + veg] = 100;
  s.channels.offer_share[0 * C + veg] = 1.0;
  post_offers(w.p, s);
  s.buyers.local_order_kg[0 * C + veg] = 50;
  s.buyers.local_order_kg[1 * C + veg] = 50;
  clear_markets(w.p, s);
  EXPECT_EQ(s.hubs.capacity_kg[0], 20.0);
  EXPECT_DOUBLE_EQ(s.hubs.handle_ratio[0], 0.2);
  EXPECT_DOUBLE_EQ(s.channels.sold_kg[0 * C + veg], 20.0);
}

// nobody can come: capacity 0, nothing is delivered, all falls back, satisfaction -0.05
TEST(Rules, NothingDeliveredWhenHubHasNoCapacity) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = static_cast<std::size_t>(category_index(w.p, "fresh_vegetables"));
  set_workers(w, 0.0);
  s.producers.available_kg[0 * C + veg] = 100;
  s.channels.offer_share[0 * C + veg] = 0.5;
  post_offers(w.p, s);
  s.buyers.local_order_kg[0 * C + veg] = 20;
  s.buyers.demand_kg[0 * C + veg] = 30;
  s.buyers.demand_kg[1 * C + veg] = 30;
  clear_markets(w.p, s);
  EXPECT_EQ(s.hubs.capacity_kg[0], 0.0);
  EXPECT_EQ(s.hubs.handle_ratio[0], 0.0);
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

// ---------------------------------------------------------------- participation

// satisfaction above the threshold always orders; 0 never; at the threshold (not above) with probability 0.7
// tolerance: over n = 2000 weeks the frequency has sd sqrt(p(1-p)/n) <= 0.0112, bound 0.05 (> 4 sd)
TEST(Rules, ParticipationFollowsSatisfaction) {
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

// ---------------------------------------------------------------- adaptation

// satisfaction +0.01 full, -0.01 partial, -0.05 nothing, unchanged without a local order; clamped to [0, 1]
TEST(Rules, SatisfactionMovesWithDeliveryOutcome) {
  World w = make_world();
  State& s = w.s;
  using D = DeliveryOutcome;
  auto run = [&](double sat0, D out0, double sat1, D out1) {
    s.buyers.satisfaction = {sat0, sat1};
    s.buyers.delivery_outcome = {out0, out1};
    adapt(w.p, s);
    return std::array<double, 2>{s.buyers.satisfaction[0], s.buyers.satisfaction[1]};
  };
  auto r = run(0.5, D::full, 0.5, D::partial);
  EXPECT_DOUBLE_EQ(r[0], 0.51);
  EXPECT_DOUBLE_EQ(r[1], 0.49);
  r = run(0.5, D::nothing, 0.5, D::no_order);
  EXPECT_DOUBLE_EQ(r[0], 0.45);
  EXPECT_EQ(r[1], 0.5);
  r = run(0.995, D::full, 0.03, D::nothing);
  EXPECT_EQ(r[0], 1.0);
  EXPECT_EQ(r[1], 0.0);
}

// offer shares: sold out -> x1.1 capped at 1; sell-through < 0.5 -> share x weighted
// sell-through (0.5/0.3/0.2, newest first), not below offer_share_min; otherwise unchanged
TEST(Rules, OfferShareAdaptsToSellThrough) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C;
  const auto at = [&](std::size_t k, const char* cat) { return k * C + static_cast<std::size_t>(category_index(w.p, cat)); };
  auto set = [&](std::size_t kc, double share, double offered, double sold, std::array<double, 3> hist) {
    s.channels.offer_share[kc] = share;
    s.channels.offer_kg[kc] = offered;
    s.channels.sold_kg[kc] = sold;
    s.channels.sellthrough[kc] = hist;
  };
  const std::size_t sold_out = at(0, "fresh_vegetables"), capped = at(0, "fruit_berries"),
                    low = at(0, "eggs"), floor = at(0, "dairy"), middle = at(1, "fresh_vegetables"),
                    none = at(1, "fruit_berries"), boundary = at(1, "eggs");
  set(sold_out, 0.5, 100, 100, {1, 1, 1});
  set(capped, 0.95, 80, 80, {1, 1, 1});
  set(low, 0.5, 100, 20, {0.4, 0.1, 0.9});
  set(floor, 0.1, 100, 10, {0.1, 0.1, 0.1});
  set(middle, 0.4, 100, 70, {0.2, 0.2, 0.2});
  set(none, 0.3, 0, 0, {0.6, 0.6, 0.6});
  set(boundary, 0.3, 100, 50, {0.1, 0.1, 0.1});
  adapt(w.p, s);
  EXPECT_DOUBLE_EQ(s.channels.offer_share[sold_out], 0.55);
  EXPECT_EQ(s.channels.offer_share[capped], 1.0);
  // new history {0.2, 0.4, 0.1}: 0.5 x 0.2 + 0.3 x 0.4 + 0.2 x 0.1 = 0.24
  EXPECT_DOUBLE_EQ(s.channels.offer_share[low], 0.5 * 0.24);
  EXPECT_EQ(s.channels.sellthrough[low], (std::array<double, 3>{0.2, 0.4, 0.1}));
  EXPECT_EQ(s.channels.offer_share[floor], 0.05);  // 0.1 x 0.1 = 0.01 -> offer_share_min
  EXPECT_EQ(s.channels.offer_share[middle], 0.4);
  EXPECT_EQ(s.channels.sellthrough[middle], (std::array<double, 3>{0.7, 0.2, 0.2}));
  EXPECT_EQ(s.channels.offer_share[none], 0.3);  // no offer: no cycle, nothing learnt
  EXPECT_EQ(s.channels.sellthrough[none], (std::array<double, 3>{0.6, 0.6, 0.6}));
  EXPECT_EQ(s.channels.offer_share[boundary], 0.3);  // exactly 0.5 is not below 0.5
}

// ---------------------------------------------------------------- work

// hours go least-cumulative-hours-first: the worker with fewer hours gets all of one hour
TEST(Rules, WorkGoesToFewestHoursFirst) {
  World w = make_world();
  State& s = w.s;
  set_workers(w, 1.0);  // both present all 4.5 days (18 h available each)
  s.workers.hours_total = {10.0, 2.0};
  s.hubs.handled_kg[0] = 40;  // 1 hour at 40 kg/h
  assign_work(w.p, s);
  EXPECT_EQ(s.workers.hours_week[0], 0.0);
  EXPECT_EQ(s.workers.hours_week[1], 1.0);
  EXPECT_EQ(s.workers.hours_total[1], 3.0);
  EXPECT_EQ(s.hubs.staff_extra_hours[0], 0.0);
  // skill: grows with hours x (1 - skill), decays 2% when idle
  EXPECT_DOUBLE_EQ(s.workers.skill[1], 0.5 + 0.01 * 1.0 * 0.5);
  EXPECT_DOUBLE_EQ(s.workers.skill[0], 0.5 * 0.98);
}

// equal hours so far: ties go by id, in quarter-hour blocks (0.75 h -> 0.5 and 0.25)
TEST(Rules, WorkTiesGoByIdInQuarterHours) {
  World w = make_world();
  State& s = w.s;
  set_workers(w, 1.0);
  s.hubs.handled_kg[0] = 30;
  assign_work(w.p, s);
  EXPECT_EQ(s.workers.hours_week[0], 0.5);
  EXPECT_EQ(s.workers.hours_week[1], 0.25);
}

// an absent worker gets nothing even with fewer hours; limited availability spills to staff
TEST(Rules, WorkOnlyForThosePresentAndStaffCoverTheRest) {
  {
    World w = make_world();
    State& s = w.s;
    set_workers(w, 1.0);
    s.workers.attendance[1] = 0.0;
    s.workers.hours_total = {100.0, 0.0};
    s.hubs.handled_kg[0] = 40;
    assign_work(w.p, s);
    EXPECT_EQ(s.workers.hours_week[0], 1.0);
    EXPECT_EQ(s.workers.hours_week[1], 0.0);
    EXPECT_EQ(s.hubs.staff_extra_hours[0], 0.0);
  }
  {
    // one open day of half an hour each: 2 x 0.5 h x 40 kg/h = 40 of the 80 kg; staff cover 1 h
    World w = make_world(2, "", {}, [](Params& p) {
      p.municipalities[0].day_centre.open_days_per_week = 1;
      p.municipalities[0].day_centre.hours_per_day = 0.5;
    });
    State& s = w.s;
    set_workers(w, 1.0);
    s.workers.hours_total = {10.0, 2.0};
    s.hubs.handled_kg[0] = 80;
    assign_work(w.p, s);
    EXPECT_EQ(s.workers.hours_week[0], 0.5);
    EXPECT_EQ(s.workers.hours_week[1], 0.5);
    EXPECT_DOUBLE_EQ(s.hubs.staff_extra_hours[0], 1.0);
  }
}

// nobody attends: staff cover every hour at the base productivity (80 kg / 40 kg/h)
TEST(Rules, StaffCoverWhenNobodyAttends) {
  World w = make_world();
  State& s = w.s;
  set_workers(w, 0.0);
  s.hubs.handled_kg[0] = 80;
  assign_work(w.p, s);
  EXPECT_EQ(s.workers.hours_week[0], 0.0);
  EXPECT_EQ(s.workers.hours_week[1], 0.0);
  EXPECT_DOUBLE_EQ(s.hubs.staff_extra_hours[0], 2.0);
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

// closed weeks (kindergarten ISO weeks 28-31) give zero meals and no demand; a nursing home never closes
TEST(Rules, ClosedWeeksGiveZeroMeals) {
  const World w = make_world(2, R"(
[buyers.nh]
type = "nursing_home"
municipality = "m"
eaters = 40
position_km = [2.0, 2.0]
)");
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

// elections: with no drift and no result/cost/failure signal, backing moves only in the
// weeks containing an election day (2027-09-13, ISO week 37, and four years later 2031-09-13)
TEST(Rules, BackingChangesOnlyInElectionWeeks) {
  const Overrides quiet = {{"run.years", "10"},
                           {"municipalities.m.policy.noise_sd_per_year", "0.0"},
                           {"municipalities.m.policy.result_weight_per_year", "0.0"},
                           {"municipalities.m.policy.cost_weight_per_year", "0.0"},
                           {"municipalities.m.policy.failure_weight_per_year", "0.0"},
                           {"municipalities.m.policy.backing_initial", "0.5"}};
  const World w = make_world(2, "", quiet);
  ASSERT_EQ(w.p.weeks, 520);
  const std::vector<Date> elections = {{2027, 9, 13}, {2031, 9, 13}};
  std::set<int> expected;
  for (int k = 0; k < w.p.weeks; ++k) {
    const std::int64_t d0 = days_from_civil(add_days(w.p.start, 7LL * k));
    for (const Date& e : elections)
      if (days_from_civil(e) >= d0 && days_from_civil(e) < d0 + 7) expected.insert(k);
  }
  ASSERT_EQ(expected.size(), 2u);
  ASSERT_EQ(iso_week(add_days(w.p.start, 7LL * *expected.begin())).week, 37);

  Simulation sim(w.p);
  double before = sim.state().policy.backing[0];
  std::set<int> changed, flagged;
  for (int k = 0; k < w.p.weeks; ++k) {
    sim.step();
    const double now = sim.state().policy.backing[0];
    if (now != before) changed.insert(k);
    if (sim.report().munis[0].elections != 0) flagged.insert(k);
    before = now;
  }
  EXPECT_EQ(changed, expected);
  EXPECT_EQ(flagged, expected);
}

// without elections (interval 0) and without drift, backing never moves in ten years
TEST(Rules, BackingConstantWithoutElectionsOrDrift) {
  const World w = make_world(2, "",
                             {{"run.years", "10"},
                              {"municipalities.m.policy.noise_sd_per_year", "0.0"},
                              {"municipalities.m.policy.result_weight_per_year", "0.0"},
                              {"municipalities.m.policy.cost_weight_per_year", "0.0"},
                              {"municipalities.m.policy.failure_weight_per_year", "0.0"},
                              {"municipalities.m.policy.election_interval_years", "0"},
                              {"municipalities.m.policy.backing_initial", "0.5"}});
  Simulation sim(w.p);
  for (int k = 0; k < w.p.weeks; ++k) {
    sim.step();
    ASSERT_EQ(sim.state().policy.backing[0], 0.5) << "week " << k;
  }
}

// withdrawal: backing below withdrawal_level at the budget year (ISO week 1 of 2026)
// closes the exception; local orders stop for good. A farm with eggs (year round)
// keeps local orders possible in every open week.
struct WithdrawalRun {
  int first_closed = -1;           // first week the local channel was closed
  int open_weeks_without_order = 0;  // weeks open to orders (service, channel open) with no local order
  double orders_after_close = 0;   // local kg ordered after closing
  int weeks = 0;
};

WithdrawalRun run_withdrawal(double backing) {
  const World w = make_world(2, "",
                             {{"run.years", "2"},
                              {"municipalities.m.policy.backing_initial", std::to_string(backing)},
                              {"municipalities.m.policy.withdrawal_level", "0.25"},
                              {"municipalities.m.policy.backing_min_exception", "0.1"},
                              {"municipalities.m.policy.noise_sd_per_year", "0.0"},
                              {"municipalities.m.policy.result_weight_per_year", "0.0"},
                              {"municipalities.m.policy.cost_weight_per_year", "0.0"},
                              {"municipalities.m.policy.failure_weight_per_year", "0.0"},
                              {"municipalities.m.policy.election_interval_years", "0"}},
                             [](Params& p) { p.producers[0].area_daa[static_cast<std::size_t>(category_index(p, "eggs"))] = 20; });
  WithdrawalRun out;
  Simulation sim(w.p);
  for (int k = 0; k < w.p.weeks; ++k) {
    sim.step();
    const State& s = sim.state();
    const bool open = local_channel_open(w.p, s, 0);
    if (!open && out.first_closed < 0) out.first_closed = k;
    const double kg = sum_local_orders(s);
    if (out.first_closed >= 0) out.orders_after_close += kg;
    else if (s.buyers.meals[0] > 0 && kg <= 0) ++out.open_weeks_without_order;
  }
  out.weeks = w.p.weeks;
  return out;
}

TEST(Rules, WithdrawalAtBudgetYearClosesTheException) {
  // 2025-01-06 + 51 weeks = 2025-12-29, ISO week 1 of 2026: the first budget year
  ASSERT_EQ(iso_week(add_days(Date{2025, 1, 6}, 7 * 51)).week, 1);
  const WithdrawalRun low = run_withdrawal(0.2);
  EXPECT_EQ(low.first_closed, 51);
  EXPECT_EQ(low.open_weeks_without_order, 0);
  EXPECT_EQ(low.orders_after_close, 0.0);

  // control: backing 0.3 >= withdrawal level keeps the channel open for both years
  const WithdrawalRun ok = run_withdrawal(0.3);
  EXPECT_EQ(ok.first_closed, -1);
  EXPECT_EQ(ok.open_weeks_without_order, 0);
}

// ---------------------------------------------------------------- demand

// a flexible menu moves demand toward what is on offer within its group, keeping the group's kg
TEST(Rules, MenuFlexibilityKeepsGroupTotal) {
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
  s.hubs.offered_kg[veg] = 1000;
  s.hubs.offered_price[veg] = 20;
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

}  // namespace
}  // namespace lokalmat
