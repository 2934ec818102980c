// quota_mandate (sim/rules/quota_mandate.cpp), a counterfactual minimum local share like Brazil's
// PNAE, on the tiny hand-built world: units order up to the quota whatever the exception's cap,
// and a scenario holding the rule is flagged as not lawful in Norway and the EEA. What the offers
// phase would post is set in the State directly.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "sim/metrics.h"
#include "sim/model.h"
#include "sim/scenario.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;
using test::tiny_world_toml;
using test::World;

// kg_a with a weak local preference (0.1) under a 30% quota and a 2% exception cap; every category
// on offer at 2 NOK below the list price (+ 2 NOK fee = the list price, no premium)
struct QuotaOrders {
  double local_value = 0;  // ordered locally x list price (here also the local price), NOK
  double all_value = 0;    // demand x list price, NOK
};

// what the unit knows before ordering: its expected fill of every category and its
// municipality's covered spend so far this budget year (and last week's)
struct QuotaHistory {
  double fill = 1.0;
  double local_year_nok = 0, spend_year_nok = 0, spend_week_nok = 0;
};

QuotaOrders quota_orders(bool quota, bool offer_everything, const QuotaHistory& history = {}) {
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
    s.markets.offered_kg[c] = on ? 1e6 : 0.0;
    s.markets.offered_price[c] = w.p.categories[c].wholesale_price_nok_per_kg - 2.0;
  }
  for (std::size_t c = 0; c < C; ++c) s.buyers.expected_fill[c] = history.fill;
  s.policy.covered_local_year_nok[0] = history.local_year_nok;
  s.policy.covered_spend_year_nok[0] = history.spend_year_nok;
  s.policy.covered_spend_week_nok[0] = history.spend_week_nok;
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

TEST(QuotaMandate, RaisesLocalOrdersToTheQuotaAndIgnoresTheCap) {
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

// a unit that has seen half of its local orders arrive orders so that what it expects to arrive
// meets the quota as it is measured: expected local spend L = f x ordered value, expected spend
// S = L + (1 - f) x ordered kg at the list price x (1 + short-notice premium) + the rest at the
// list price (here the local price is the list price)
TEST(QuotaMandate, OrdersForTheLossesTheUnitHasSeen) {
  const double f = 0.5;
  const QuotaOrders full = quota_orders(true, true);
  const QuotaOrders lossy = quota_orders(true, true, {.fill = f});
  const double sn = test::make_world(2, "").p.wholesaler.short_notice_premium;
  ASSERT_GT(sn, 0.0);
  const double L = f * lossy.local_value;
  const double S = L + (1.0 - f) * lossy.local_value * (1.0 + sn) + (lossy.all_value - lossy.local_value);
  EXPECT_NEAR(L / S, 0.3, 1e-12);
  EXPECT_GT(lossy.local_value, 1.9 * full.local_value);
}

// the quota binds the municipality's budget year: behind it, units aim above the quota this week
// (here at all their demand); ahead of it, they order what preference alone gives (10%)
TEST(QuotaMandate, TheMunicipalityMakesUpTheYearsShortfall) {
  // 20% of NOK 1,000 so far, NOK 100 a week: 0.3 + (300 - 200) / 100 > 1, so every kg on offer
  const QuotaOrders behind = quota_orders(true, true, {.local_year_nok = 200, .spend_year_nok = 1000, .spend_week_nok = 100});
  EXPECT_NEAR(behind.local_value, behind.all_value, 1e-12 * behind.all_value);
  // 20.5% of NOK 1,000: 0.3 + (300 - 205) / 1000 = 0.395 of this week
  const QuotaOrders some = quota_orders(true, true, {.local_year_nok = 205, .spend_year_nok = 1000, .spend_week_nok = 1000});
  EXPECT_NEAR(some.local_value, 0.395 * some.all_value, 1e-12 * some.all_value);
  // 40% so far: 0.3 + (300 - 400) / 100 < 0, so the quota asks nothing this week
  const QuotaOrders ahead = quota_orders(true, true, {.local_year_nok = 400, .spend_year_nok = 1000, .spend_week_nok = 100});
  EXPECT_NEAR(ahead.local_value, 0.1 * ahead.all_value, 1e-9 * ahead.all_value);
}

TEST(QuotaMandate, IsFlaggedNotLawful) {
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

}  // namespace
}  // namespace lokalmat
