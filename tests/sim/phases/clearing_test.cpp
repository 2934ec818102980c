// The clearing phase (sim/phases/clearing.cpp) on the tiny hand-built world: orders matched to
// offers in proportion, the hub's capacity from its workers and its vehicle, and sales shared
// among the farms. Offers, orders and attendance are set in the State directly, so each
// expectation follows from clearing alone (and from settlement, where a test follows the food on).
#include <gtest/gtest.h>

#include <cstddef>

#include "sim/model.h"
#include "sim/world.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::expect_tiny_topology;
using test::make_world;
using test::set_offer;
using test::set_orders;
using test::set_workers;
using test::World;

// orders 80 kg > offers 40 kg: every farm sells out, buyers get half of their order
TEST(ClearingPhase, RationsProportionallyWhenOrdersExceedOffers) {
  World w = make_world();
  expect_tiny_topology(w);
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  set_workers(w, 0.5);  // 2 x 0.5 x 2 delivery days x 4 h = 8 hours present: not binding

  // offers: farm a 60 kg x 0.5 = 30 kg at 25 NOK/kg, farm b 40 kg x 0.25 = 10 kg at 30 NOK/kg
  set_offer(w, 0, veg, 60, 0.5, 25);
  set_offer(w, 1, veg, 40, 0.25, 30);
  post_offers(w.p, s);
  EXPECT_EQ(s.channels.offer_kg[0 * C + veg], 30.0);
  EXPECT_EQ(s.channels.offer_kg[1 * C + veg], 10.0);
  EXPECT_EQ(s.markets.offered_kg[veg], 40.0);
  EXPECT_EQ(s.markets.offered_price[veg], 26.25);  // (30 x 25 + 10 x 30) / 40

  // orders: 50 and 30 kg
  s.buyers.local_order_kg[0 * C + veg] = 50;
  s.buyers.local_order_kg[1 * C + veg] = 30;
  clear_markets(w.p, s);
  EXPECT_EQ(s.markets.ordered_kg[veg], 80.0);
  EXPECT_EQ(s.markets.accept_ratio[veg], 0.5);
  // the hours present less the stops at both farms and kitchens (4 x 0.25 h), the tour at 40 km/h and
  // two order lines (2 x 0.05 h), at 40 kg/h
  const double tour = tour_km(w.p.behaviour, {0.0, 0.0}, {{3.0, 0.0}, {0.0, 4.0}, {1.0, 1.0}, {-1.0, 2.0}});
  EXPECT_DOUBLE_EQ(s.markets.capacity_kg[0], (8.0 - 1.0 - tour / 40 - 0.1) * 40);
  EXPECT_EQ(s.markets.handle_ratio[0], 1.0);
  EXPECT_EQ(s.markets.handled_kg[0], 40.0);
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
  EXPECT_DOUBLE_EQ(s.markets.fee_income_nok[0], 40.0 * 2.0);
}

// offers 40 kg > orders 20 kg: every order accepted, each farm sells in proportion to its offer
TEST(ClearingPhase, SharesSalesByOfferWhenOffersExceedOrders) {
  World w = make_world();
  expect_tiny_topology(w);
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  set_workers(w, 0.5);
  set_offer(w, 0, veg, 60, 0.5);
  set_offer(w, 1, veg, 40, 0.25);
  post_offers(w.p, s);
  s.buyers.local_order_kg[0 * C + veg] = 12;
  s.buyers.local_order_kg[1 * C + veg] = 8;
  clear_markets(w.p, s);
  EXPECT_EQ(s.markets.accept_ratio[veg], 1.0);
  EXPECT_EQ(s.channels.sold_kg[0 * C + veg], 15.0);  // 30 of the 40 kg offered
  EXPECT_EQ(s.channels.sold_kg[1 * C + veg], 5.0);
  EXPECT_EQ(s.markets.handled_kg[0], 20.0);
}

// capacity 40 kg < 100 kg accepted: handle_ratio 0.4, the shortfall reaches buyers as
// partial deliveries and is bought from the wholesaler at the short-notice premium
TEST(ClearingPhase, HubCapacityRationsAndShortfallFallsBackToWholesaler) {
  World w = make_world(1, "", {}, [](Params& p) {
    auto& d = p.municipalities[0].day_centre;
    d.hours_per_day = 1;
    // no time for stops, driving or orders (beyond the schema's ranges on purpose): all hours pack
    d.hours_per_stop = 0;
    d.hours_per_order = 0;
    p.municipalities[0].hub.van_speed_km_per_hour = 1e300;
  });
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  set_workers(w, 0.5);  // capacity 0.5 x 2 delivery days x 1 h x 40 kg/h = 40 kg

  set_offer(w, 0, veg, 200, 0.75, 25);  // 150 kg
  set_offer(w, 1, veg, 100, 0.5, 25);   // 50 kg
  post_offers(w.p, s);
  set_orders(w, veg, {60, 40}, {100, 100});
  clear_markets(w.p, s);
  EXPECT_EQ(s.markets.accept_ratio[veg], 1.0);
  EXPECT_EQ(s.markets.capacity_kg[0], 40.0);
  EXPECT_DOUBLE_EQ(s.markets.handle_ratio[0], 0.4);
  EXPECT_DOUBLE_EQ(s.markets.handled_kg[0], 40.0);
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
TEST(ClearingPhase, HubCapacityBoundedByVehicle) {
  World w = make_world(2, "", {}, [](Params& p) {
    p.municipalities[0].hub.vehicle_capacity_kg = 10;
    p.municipalities[0].hub.delivery_days_per_week = 2;
    p.municipalities[0].hub.trips_per_delivery_day = 1;
  });
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  set_workers(w, 0.5);
  set_offer(w, 0, veg, 100, 1.0);
  post_offers(w.p, s);
  s.buyers.local_order_kg[0 * C + veg] = 50;
  s.buyers.local_order_kg[1 * C + veg] = 50;
  clear_markets(w.p, s);
  EXPECT_EQ(s.markets.capacity_kg[0], 20.0);
  EXPECT_DOUBLE_EQ(s.markets.handle_ratio[0], 0.2);
  EXPECT_DOUBLE_EQ(s.channels.sold_kg[0 * C + veg], 20.0);
}

}  // namespace
}  // namespace lokalmat
