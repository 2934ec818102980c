// The rules added with farm lifecycles, participant moves, projects, direct purchase, season
// requirement, quota mandate and the courier, on hand-built worlds of two or three agents, driven
// phase by phase (sim/model.h) with exact expectations. As in rules_test.cpp, inputs that other
// phases would produce (offers, orders, season records) are set in the State directly, so each
// expectation follows from the rule under test alone.
#include <gtest/gtest.h>

#include <cmath>

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "sim/metrics.h"
#include "sim/model.h"
#include "sim/scenario.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::category_index;
using test::tiny_world_toml;

using test::concat;
using test::kDirect;
using test::kNursingHomeToml;
using test::make_world;
using test::World;

// ---------------------------------------------------------------- direct_purchase

TEST(Rules3, DirectPurchaseBuyersOrderOnTheDirectMarket) {
  World w = make_world(2, "", kDirect);
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  ASSERT_EQ(s.hubs.kind.size(), 1u);
  ASSERT_EQ(s.hubs.kind[0], MarketKind::direct);
  EXPECT_EQ(s.hub_of_municipality[0], -1);
  EXPECT_EQ(s.direct_of_municipality[0], 0);
  EXPECT_EQ(s.buyer_hub, (std::vector<int>{0, 0}));
  EXPECT_EQ(s.hubs.channels[0].size(), 2u);  // both farms sell on it
  EXPECT_TRUE(market_open_for(w.p, s, 0));

  s.iso_week = 35;
  s.hubs.offered_kg[veg] = 1000;
  s.hubs.offered_price[veg] = 28;  // no hub fee on a direct market: 28 NOK/kg, a discount on the 32 NOK/kg list price
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

// one farm offers 2000 kg of vegetables at 25 NOK/kg; the two kindergartens order 500 + 300 kg a
// week (NOK 20,000). Five weeks reach the NOK 100,000 limit exactly (allowed: not above it); the
// sixth purchase would pass it and is refused: accept ratio 0, the category stops, and the units
// buy from the wholesaler at the list price (not at short notice). Eggs keep their own sum.
TEST(Rules3, DirectPurchaseStopsAtTheLimitPerCategory) {
  World w = make_world(2, "", kDirect);
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg, eggs = w.eggs;
  ASSERT_EQ(direct_limit_nok(w.p.procurement, s.date), 100000.0);

  auto week = [&](bool with_eggs) {
    s.producers.available_kg.assign(s.producers.available_kg.size(), 0.0);
    s.producers.available_kg[0 * C + veg] = 2000;
    s.channels.offer_share[0 * C + veg] = 1.0;
    s.producers.asking_price[0 * C + veg] = 25;
    s.producers.available_kg[1 * C + eggs] = with_eggs ? 100 : 0;
    s.channels.offer_share[1 * C + eggs] = 1.0;
    s.producers.asking_price[1 * C + eggs] = 40;
    post_offers(w.p, s);
    s.buyers.local_order_kg.assign(s.buyers.local_order_kg.size(), 0.0);
    s.buyers.local_desire_kg.assign(s.buyers.local_desire_kg.size(), 0.0);
    s.buyers.demand_kg.assign(s.buyers.demand_kg.size(), 0.0);
    s.buyers.local_order_kg[0 * C + veg] = 500;
    s.buyers.local_order_kg[1 * C + veg] = 300;
    s.buyers.demand_kg[0 * C + veg] = 600;
    s.buyers.demand_kg[1 * C + veg] = 400;
    if (with_eggs) {
      s.buyers.local_order_kg[0 * C + eggs] = 10;
      s.buyers.demand_kg[0 * C + eggs] = 12;
    }
    clear_markets(w.p, s);
    settle_deliveries(w.p, s);
  };

  for (int k = 1; k <= 5; ++k) {
    week(false);
    EXPECT_EQ(s.hubs.accept_ratio[veg], 1.0) << "week " << k;
    EXPECT_EQ(s.buyers.local_kg[0 * C + veg], 500.0) << "week " << k;
    EXPECT_EQ(s.policy.direct_spent_nok[veg], 20000.0 * k) << "week " << k;
    EXPECT_EQ(s.policy.direct_closed[veg], 0) << "week " << k;
  }
  EXPECT_EQ(s.policy.direct_spent_nok[veg], 100000.0);

  // the sixth purchase would bring the sum to 120,000 > 100,000: not made
  week(true);
  EXPECT_EQ(s.hubs.accept_ratio[veg], 0.0);
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
  EXPECT_EQ(s.hubs.accept_ratio[eggs], 1.0);
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
  EXPECT_EQ(s.hubs.accept_ratio[veg], 0.0);
  EXPECT_EQ(s.policy.direct_spent_nok[veg], 100000.0);
}

// over two and a half years with a small limit (NOK 3,000; 6,000 from 2026-07-01) the summed direct
// spend of every category stays within the limit in force every week, and the limit does bind.
// Tolerance: the clearing check and the payment compute the same value in a different order, so
// the sums may differ in the last bits (1e-9 relative).
TEST(Rules3, DirectSpendNeverExceedsTheLimitInForce) {
  const World w = make_world(2, kNursingHomeToml,
                             concat(kDirect, {{"procurement.direct_limit_nok", "3000.0"},
                                              {"procurement.direct_limit_new_nok", "6000.0"},
                                              {"run.years", "3"}}));
  Simulation sim(w.p);
  int closed_weeks = 0;
  double bought_nok = 0;
  for (int k = 0; k < 130; ++k) {
    sim.step();
    const State& s = sim.state();
    const double limit = direct_limit_nok(w.p.procurement, s.date);
    for (std::size_t c = 0; c < w.C; ++c) {
      EXPECT_LE(s.policy.direct_spent_nok[c], limit * (1 + 1e-9)) << "week " << k << " " << w.p.categories[c].name;
      closed_weeks += s.policy.direct_closed[c];
    }
    for (double x : s.buyers.local_nok) bought_nok += x;
  }
  EXPECT_GT(closed_weeks, 0) << "the limit never bound: the test does not test anything";
  EXPECT_GT(bought_nok, 3000.0);
}

// a category stopped under the NOK 100,000 limit opens again under the raised limit from
// 2026-07-01: from the first week starting after that date it is open and bought directly again
// (a nursing home, open all summer, and the kindergartens from ISO week 32).
TEST(Rules3, RaisedLimitFromJuly2026ReopensStoppedCategories) {
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
TEST(Rules3, TenderWeekResetsDirectSums) {
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

// in a whole run the agreement of 2022-01-01 (2 + 1 + 1 years) ends 2026-01-01: the week starting
// 2026-01-05 (tick 52) is the tender week, and the 2025 sums are gone after it
TEST(Rules3, TenderWeekInARunIsTheFirstWeekOfTheNewAgreement) {
  const World w = make_world(2, "", kDirect);
  Simulation sim(w.p);
  double spent_before = -1;
  for (int k = 0; k < 60; ++k) {
    sim.step();
    const State& s = sim.state();
    EXPECT_EQ(sim.report().munis[0].tenders, k == 52 ? 1.0 : 0.0) << "week " << k;
    if (k == 51) spent_before = s.policy.direct_spent_nok[w.veg];
    if (k == 52) {
      ASSERT_EQ(s.date, (Date{2026, 1, 5}));
      EXPECT_EQ(s.policy.direct_spent_nok[w.veg], 0.0);  // no vegetables in January: nothing since the reset
    }
  }
  EXPECT_GT(spent_before, 0.0) << "the 2025 season bought no vegetables directly";
}

// ---------------------------------------------------------------- season_requirement

// the wholesaler's Norwegian share rises to at least 0.8 and its regional share doubles, in
// season only; the local channel is untouched. Cells compared with and without the rule.
TEST(Rules3, SeasonRequirementRaisesNorwegianAndRegionalSharesInSeasonOnly) {
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

// ---------------------------------------------------------------- quota_mandate

// kg_a with a weak local preference (0.1) under a 30% quota and a 2% exception cap; every category
// on offer at 2 NOK below the list price (+ 2 NOK fee = the list price, no premium)
struct QuotaOrders {
  double local_value = 0;  // ordered locally x local price, NOK
  double all_value = 0;    // demand x list price, NOK
};

QuotaOrders quota_orders(bool quota, bool offer_everything) {
  World w = make_world(2, "",
                       {{"municipalities.m.rules", quota ? R"(["framework_exception", "quota_mandate"])"
                                                         : R"(["framework_exception"])"},
                        {"municipalities.m.policy.quota_share", "0.3"},
                        {"municipalities.m.exception_cap_share", "0.02"},
                        {"buyers.kg_a.local_preference", "0.1"}});
  State& s = w.s;
  const std::size_t C = w.C;
  s.iso_week = 35;
  for (std::size_t c = 0; c < C; ++c) {
    const bool on = offer_everything || c == w.veg || c == w.eggs;
    s.hubs.offered_kg[c] = on ? 1e6 : 0.0;
    s.hubs.offered_price[c] = w.p.categories[c].wholesale_price_nok_per_kg - 2.0;
  }
  form_orders(w.p, s);
  EXPECT_EQ(s.buyers.participating[0], 1);
  QuotaOrders q;
  for (std::size_t c = 0; c < C; ++c) {
    q.all_value += s.buyers.demand_kg[c] * w.p.categories[c].wholesale_price_nok_per_kg;
    q.local_value += s.buyers.local_order_kg[c] * w.p.categories[c].wholesale_price_nok_per_kg;
    if (!offer_everything && c == w.veg) EXPECT_EQ(s.buyers.local_order_kg[c], s.buyers.demand_kg[c]);
  }
  return q;
}

TEST(Rules3, QuotaMandateRaisesLocalOrdersToTheQuotaAndIgnoresTheCap) {
  // without the mandate the cap binds: 2% of the food spend
  const QuotaOrders capped = quota_orders(false, true);
  EXPECT_NEAR(capped.local_value, 0.02 * capped.all_value, 1e-12 * capped.all_value);
  // with it: preference alone would give 10%; the mandate raises it to 30%, above the cap
  const QuotaOrders q = quota_orders(true, true);
  EXPECT_NEAR(q.local_value, 0.3 * q.all_value, 1e-12 * q.all_value);
  // only vegetables and eggs on offer: all of their demand is ordered, and it falls short of 30%
  const QuotaOrders short_supply = quota_orders(true, false);
  EXPECT_GT(short_supply.local_value, 0.02 * short_supply.all_value);
  EXPECT_LT(short_supply.local_value, 0.3 * short_supply.all_value);
}

TEST(Rules3, QuotaMandateIsFlaggedNotLawful) {
  const Overrides quota = {{"municipalities.m.rules", R"(["framework_exception", "quota_mandate"])"}};
  const Scenario sc = load_scenario_text(tiny_world_toml(2, ""), "tiny.toml", quota);
  EXPECT_FALSE(sc.lawful);
  ASSERT_FALSE(sc.unlawful_reasons.empty());
  bool labelled = false;
  for (const auto& r : sc.rules) labelled |= r.find("quota_mandate") != std::string::npos && r.find("NOT LAWFUL") != std::string::npos;
  EXPECT_TRUE(labelled);
  EXPECT_FALSE(rule_lawful(Rule::quota_mandate));
  for (Rule r : {Rule::framework_only, Rule::framework_exception, Rule::direct_purchase, Rule::season_requirement})
    EXPECT_TRUE(rule_lawful(r));

  const MetricDef* unlawful = find_metric("unlawful_rules");
  ASSERT_NE(unlawful, nullptr);
  auto metric = [&](const Params& p) {
    State s;
    init_state(p, s);
    WeekReport r;
    collect_metrics(p, s, r);
    return unlawful->eval(group_sums(r, -1, -1, -1));
  };
  EXPECT_EQ(metric(sc.params), 1.0);
  const Scenario lawful = load_scenario_text(tiny_world_toml(2, ""), "tiny.toml");
  EXPECT_TRUE(lawful.lawful);
  EXPECT_EQ(metric(lawful.params), 0.0);
  // the shipped counterfactual too
  const Scenario shipped = load_scenario(test::source_path("scenarios/horten/quota-30.toml"));
  EXPECT_FALSE(shipped.lawful);
}

// ---------------------------------------------------------------- sums

// every field of the sums is added: fill both operands' doubles with 1.0 and expect 2.0 everywhere
// (guards against a field added to the struct and forgotten in add())
template <class T>
void expect_add_covers_every_field() {
  static_assert(std::is_trivially_copyable_v<T>);
  static_assert(sizeof(T) % sizeof(double) == 0, "the sums are expected to hold doubles only");
  constexpr std::size_t n = sizeof(T) / sizeof(double);
  const std::vector<double> ones(n, 1.0);
  T a, b;
  std::memcpy(&a, ones.data(), sizeof(T));
  std::memcpy(&b, ones.data(), sizeof(T));
  a.add(b);
  std::vector<double> out(n);
  std::memcpy(out.data(), &a, sizeof(T));
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], 2.0) << "field " << i << " of " << n;
}

TEST(Rules3, SumsAddEveryField) {
  expect_add_covers_every_field<FlowSums>();
  expect_add_covers_every_field<TypeSums>();
  expect_add_covers_every_field<MuniSums>();
}

}  // namespace
}  // namespace lokalmat
