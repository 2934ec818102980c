// direct_purchase (sim/rules/direct_purchase.cpp) on the tiny hand-built world without a hub:
// kindergartens (and a nursing home, when added) buy directly from the two farms on the
// municipality's direct market, below the limit in force (FOA: NOK 100,000; NOK 500,000 from
// 2026-07-01), whose sums add up over the framework agreement's period: over all food (the
// default) or per category (procurement.direct_limit_per_category). Offers and
// orders are set in the State directly where a test drives the phases one by one.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "sim/model.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::clear_orders;
using test::concat;
using test::kDirect;
using test::kNursingHomeToml;
using test::make_world;
using test::set_orders;
using test::World;

TEST(DirectPurchase, BuyersOrderOnTheDirectMarket) {
  World w = make_world(2, "", kDirect);
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  ASSERT_EQ(s.markets.kind.size(), 1u);
  ASSERT_EQ(s.markets.kind[0], MarketKind::direct);
  EXPECT_EQ(s.hub_of_municipality[0], -1);
  EXPECT_EQ(s.direct_of_municipality[0], 0);
  EXPECT_EQ(s.buyer_market, (std::vector<int>{0, 0}));
  EXPECT_EQ(s.markets.channels[0].size(), 2u);  // both farms sell on it
  EXPECT_TRUE(market_open_for(w.p, s, 0));

  s.iso_week = 35;
  s.markets.offered_kg[veg] = 1000;
  s.markets.offered_price[veg] = 28;  // no hub fee on a direct market: 28 NOK/kg, a discount on the 32 NOK/kg list price
  form_orders(w.p, s);
  for (std::size_t b = 0; b < 2; ++b) {
    ASSERT_EQ(s.buyers.participating[b], 1);
    // kindergarten preference 0.6 of its (menu-shifted) vegetable demand, raised by the discount:
    // x exp(-sensitivity 2 x (28/32 - 1)) = x exp(0.25); no budget penalty
    EXPECT_DOUBLE_EQ(s.buyers.local_order_kg[b * C + veg],
                     s.buyers.demand_kg[b * C + veg] * 0.6 * std::exp(-2.0 * (28.0 / 32.0 - 1.0)))
        << "buyer " << b;
    EXPECT_GT(s.buyers.local_order_kg[b * C + veg], 0.0);
  }
}

// one week on the direct market: farm 0 offers 2000 kg of vegetables at 25 NOK/kg and the two
// kindergartens order 500 + 300 kg (NOK 20,000); with eggs, farm 1 offers 100 kg at 40 NOK/kg
// and kindergarten 0 orders 10 kg (NOK 400)
void direct_week(World& w, bool with_eggs) {
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg, eggs = w.eggs;
  s.producers.available_kg.assign(s.producers.available_kg.size(), 0.0);
  s.producers.available_kg[0 * C + veg] = 2000;
  s.channels.offer_share[0 * C + veg] = 1.0;
  s.producers.asking_price[0 * C + veg] = 25;
  s.producers.available_kg[1 * C + eggs] = with_eggs ? 100 : 0;
  s.channels.offer_share[1 * C + eggs] = 1.0;
  s.producers.asking_price[1 * C + eggs] = 40;
  post_offers(w.p, s);
  clear_orders(s);
  set_orders(w, veg, {500, 300}, {600, 400});
  if (with_eggs) {
    s.buyers.local_order_kg[0 * C + eggs] = 10;
    s.buyers.demand_kg[0 * C + eggs] = 12;
  }
  clear_markets(w.p, s);
  settle_deliveries(w.p, s);
}

// the vegetable purchases of direct_week: Five weeks reach the NOK 100,000 limit exactly (allowed: not above it); the
// sixth purchase would pass it and is refused: accept ratio 0, the category stops, and the units
// buy from the wholesaler at the list price (not at short notice). Per category, eggs keep their
// own sum.
TEST(DirectPurchase, StopsAtTheLimitPerCategory) {
  World w = make_world(2, "", concat(kDirect, {{"procurement.direct_limit_per_category", "true"}}));
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg, eggs = w.eggs;
  ASSERT_EQ(direct_limit_nok(w.p.procurement, s.date), 100000.0);

  auto week = [&](bool with_eggs) { direct_week(w, with_eggs); };

  for (int k = 1; k <= 5; ++k) {
    week(false);
    EXPECT_EQ(s.markets.accept_ratio[veg], 1.0) << "week " << k;
    EXPECT_EQ(s.buyers.local_kg[0 * C + veg], 500.0) << "week " << k;
    EXPECT_EQ(s.policy.direct_spent_nok[veg], 20000.0 * k) << "week " << k;
    EXPECT_EQ(s.policy.direct_closed[veg], 0) << "week " << k;
  }
  EXPECT_EQ(s.policy.direct_spent_nok[veg], 100000.0);

  // the sixth purchase would bring the sum to 120,000 > 100,000: not made
  week(true);
  EXPECT_EQ(s.markets.accept_ratio[veg], 0.0);
  EXPECT_EQ(s.policy.direct_closed[veg], 1);
  EXPECT_EQ(s.policy.direct_spent_nok[veg], 100000.0);
  EXPECT_EQ(s.channels.sold_kg[0 * C + veg], 0.0);
  for (std::size_t b = 0; b < 2; ++b) {
    EXPECT_EQ(s.buyers.local_kg[b * C + veg], 0.0);
    EXPECT_EQ(s.buyers.fallback_kg[b * C + veg], 0.0);  // refused at ordering: no short-notice premium
  }
  EXPECT_EQ(s.buyers.wholesale_kg[0 * C + veg], 600.0);
  EXPECT_DOUBLE_EQ(s.buyers.wholesale_nok[0 * C + veg], 600.0 * 32.0);
  EXPECT_DOUBLE_EQ(s.buyers.wholesale_nok[1 * C + veg], 400.0 * 32.0);
  // eggs are a different category with their own sum: bought
  EXPECT_EQ(s.markets.accept_ratio[eggs], 1.0);
  EXPECT_EQ(s.policy.direct_closed[eggs], 0);
  EXPECT_EQ(s.policy.direct_spent_nok[eggs], 400.0);
  EXPECT_EQ(s.buyers.local_kg[0 * C + eggs], 10.0);

  // once stopped, units no longer order the category directly (they still order eggs)
  s.iso_week = 35;
  s.buyers.satisfaction.assign(2, 1.0);
  form_orders(w.p, s);
  ASSERT_EQ(s.buyers.participating[0], 1);
  EXPECT_EQ(s.buyers.local_order_kg[0 * C + veg], 0.0);
  EXPECT_EQ(s.buyers.local_desire_kg[0 * C + veg], 0.0);
  EXPECT_GT(s.buyers.local_order_kg[0 * C + eggs], 0.0);

  // and a stopped category stays stopped even for a purchase that would fit
  week(false);
  EXPECT_EQ(s.markets.accept_ratio[veg], 0.0);
  EXPECT_EQ(s.policy.direct_spent_nok[veg], 100000.0);
}

// The default reading: all food bought directly is one purchase. Eggs bought in the first week
// (NOK 400) count with the vegetables, so the fifth vegetable purchase would bring the sum to
// NOK 100,400 and is refused; then all direct buying stops, eggs included, even a purchase that
// would fit under the limit on its own.
TEST(DirectPurchase, StopsAtTheLimitOverAllFood) {
  World w = make_world(2, "", kDirect);
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg, eggs = w.eggs;
  ASSERT_FALSE(w.p.procurement.direct_limit_per_category);
  auto all_closed = [&] {
    for (std::size_t c = 0; c < C; ++c)
      if (!s.policy.direct_closed[c]) return false;
    return true;
  };
  auto all_spent = [&] {
    double sum = 0;
    for (std::size_t c = 0; c < C; ++c) sum += s.policy.direct_spent_nok[c];
    return sum;
  };
  direct_week(w, true);
  EXPECT_EQ(s.policy.direct_spent_nok[veg], 20000.0);
  EXPECT_EQ(s.policy.direct_spent_nok[eggs], 400.0);
  for (int k = 2; k <= 4; ++k) {
    direct_week(w, false);
    EXPECT_EQ(s.markets.accept_ratio[veg], 1.0) << "week " << k;
    EXPECT_FALSE(all_closed()) << "week " << k;
  }
  EXPECT_EQ(all_spent(), 80400.0);
  // 80,400 + 20,000 > 100,000: refused, and every category stops
  direct_week(w, false);
  EXPECT_EQ(s.markets.accept_ratio[veg], 0.0);
  EXPECT_TRUE(all_closed());
  EXPECT_EQ(all_spent(), 80400.0);
  EXPECT_EQ(s.buyers.local_kg[0 * C + veg], 0.0);
  EXPECT_EQ(s.buyers.wholesale_kg[0 * C + veg], 600.0);
  // eggs for NOK 400 would fit under the limit, but they add up with the rest: not bought
  direct_week(w, true);
  EXPECT_EQ(s.markets.accept_ratio[eggs], 0.0);
  EXPECT_EQ(s.policy.direct_spent_nok[eggs], 400.0);
  EXPECT_EQ(s.buyers.local_kg[0 * C + eggs], 0.0);
  // the week's earlier purchases count: in a fresh period, vegetables and eggs of one week are
  // checked against one sum (here both fit)
  s.policy.direct_spent_nok.assign(s.policy.direct_spent_nok.size(), 0.0);  // as at a renewal
  s.policy.direct_closed.assign(s.policy.direct_closed.size(), 0);
  direct_week(w, true);
  EXPECT_EQ(all_spent(), 20400.0);
  EXPECT_FALSE(all_closed());
}

// over two and a half years with a small limit (NOK 3,000; 6,000 from 2026-07-01) the summed direct
// spend stays within the limit in force every week, and the limit does bind: the sum over all food
// (the default reading) and, under the per-category reading, every category's sum. Tolerance: the
// clearing check and the payment compute the same value in a different order, so the sums may
// differ in the last bits (1e-9 relative).
void expect_spend_within_limit(bool per_category) {
  SCOPED_TRACE(per_category ? "per category" : "all food");
  const World w = make_world(2, kNursingHomeToml,
                             concat(kDirect, {{"procurement.direct_limit_nok", "3000.0"},
                                              {"procurement.direct_limit_new_nok", "6000.0"},
                                              {"procurement.direct_limit_per_category", per_category ? "true" : "false"},
                                              {"run.years", "3"}}));
  Simulation sim(w.p);
  int closed_weeks = 0;
  double bought_nok = 0;
  for (int k = 0; k < 130; ++k) {
    sim.step();
    const State& s = sim.state();
    const double limit = direct_limit_nok(w.p.procurement, s.date);
    double all_food = 0;
    for (std::size_t c = 0; c < w.C; ++c) {
      if (per_category)
        EXPECT_LE(s.policy.direct_spent_nok[c], limit * (1 + 1e-9)) << "week " << k << " " << w.p.categories[c].name;
      all_food += s.policy.direct_spent_nok[c];
      closed_weeks += s.policy.direct_closed[c];
    }
    if (!per_category) EXPECT_LE(all_food, limit * (1 + 1e-9)) << "week " << k;
    for (double x : s.buyers.local_nok) bought_nok += x;
  }
  EXPECT_GT(closed_weeks, 0) << "the limit never bound: the test does not test anything";
  EXPECT_GT(bought_nok, 3000.0);
}

TEST(DirectPurchase, SpendNeverExceedsTheLimitInForce) {
  expect_spend_within_limit(false);
  expect_spend_within_limit(true);
}

// a category stopped under the NOK 100,000 limit opens again under the raised limit from
// 2026-07-01: from the first week starting after that date it is open and bought directly again
// (a nursing home, open all summer, and the kindergartens from ISO week 32).
TEST(DirectPurchase, RaisedLimitFromJuly2026ReopensStoppedCategories) {
  const World w = make_world(2, kNursingHomeToml, concat(kDirect, {{"run.start_date", R"("2026-06-01")"}}));
  const std::size_t C = w.C, veg = w.veg;
  Simulation sim(w.p);
  // vegetables stopped: 99,990 NOK spent, the next purchase would pass 100,000
  sim.mutable_state().policy.direct_spent_nok[veg] = 99990;
  sim.mutable_state().policy.direct_closed[veg] = 1;
  double kg_before = 0, kg_after = 0;
  int open_after = 0, weeks_after = 0;
  std::string first_stopped;
  for (int k = 0; k < 20; ++k) {
    sim.step();
    const State& s = sim.state();
    double kg = 0;
    for (std::size_t b = 0; b < w.p.buyers.size(); ++b) kg += s.buyers.local_kg[b * C + veg];
    if (s.date < Date{2026, 6, 29}) {
      kg_before += kg;
      EXPECT_EQ(s.policy.direct_closed[veg], 1) << format_date(s.date);
    } else if (s.date > Date{2026, 7, 1}) {
      kg_after += kg;
      ++weeks_after;
      open_after += s.policy.direct_closed[veg] == 0;
      if (s.policy.direct_closed[veg] != 0 && first_stopped.empty())
        first_stopped = format_date(s.date) + " with " + std::to_string(s.policy.direct_spent_nok[veg]) + " NOK spent";
      EXPECT_LE(s.policy.direct_spent_nok[veg], 500000.0);
    }
  }
  EXPECT_EQ(kg_before, 0.0);
  EXPECT_EQ(weeks_after, 15);
  EXPECT_EQ(open_after, weeks_after) << "still stopped in the week of " << first_stopped;
  EXPECT_GT(kg_after, 0.0) << "no vegetables bought directly after the limit was raised";
}

// a new framework agreement starts new sums and reopens every category; in other weeks they stay
TEST(DirectPurchase, TenderWeekResetsDirectSums) {
  World w = make_world(2, "", kDirect);
  State& s = w.s;
  const std::size_t veg = w.veg, eggs = w.eggs;
  s.week = 10;
  s.date = Date{2025, 3, 17};
  s.policy.direct_spent_nok[veg] = 95000;
  s.policy.direct_closed[veg] = 1;
  s.policy.direct_spent_nok[eggs] = 500;
  s.tender_week = 0;
  update_policy(w.p, s);
  EXPECT_EQ(s.policy.direct_spent_nok[veg], 95000.0);
  EXPECT_EQ(s.policy.direct_closed[veg], 1);
  EXPECT_EQ(s.policy.direct_spent_nok[eggs], 500.0);
  s.tender_week = 1;
  update_policy(w.p, s);
  for (std::size_t c = 0; c < w.C; ++c) {
    EXPECT_EQ(s.policy.direct_spent_nok[c], 0.0) << w.p.categories[c].name;
    EXPECT_EQ(s.policy.direct_closed[c], 0) << w.p.categories[c].name;
  }
}

}  // namespace
}  // namespace lokalmat
