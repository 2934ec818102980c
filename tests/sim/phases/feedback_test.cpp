// The feedback phase (sim/phases/feedback.cpp) on the tiny hand-built world: the signals next
// week's policy reads, from a weekly report built by hand. Each signal keeps a year's memory
// (1/52 of the gap a week) or sums over the year; the phase writes nothing else.
#include <gtest/gtest.h>

#include <cstddef>

#include "sim/model.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;
using test::World;

// a report of the tiny world with every sum zero
WeekReport empty_report(const Params& p) {
  const auto M = static_cast<std::size_t>(p.n_municipalities());
  const auto C = static_cast<std::size_t>(p.n_categories());
  WeekReport r;
  r.cells.assign(M * kBuyerTypes * C, FlowSums{});
  r.types.assign(M * kBuyerTypes, TypeSums{});
  r.munis.assign(M, MuniSums{});
  return r;
}

// the kitchen-type sums of municipality 0
TypeSums& type_sums(WeekReport& r, BuyerType t) { return r.types[static_cast<std::size_t>(t)]; }

// the smoothed local share moves by 1/52 of the gap to the covered share the report gives
// (covered local NOK / covered spend); a week without covered spend leaves it
TEST(FeedbackPhase, ShareEmaMovesByAWeekOfTheGapToTheReportedShare) {
  World w = make_world();
  State& s = w.s;
  ASSERT_EQ(s.policy.share_ema[0], 0.15);  // starts at local_share_target
  WeekReport r = empty_report(w.p);
  feed_back_results(w.p, r, s);
  EXPECT_EQ(s.policy.share_ema[0], 0.15);
  r.munis[0].covered_local_nok = 300;
  r.munis[0].covered_spend_nok = 1000;
  feed_back_results(w.p, r, s);
  EXPECT_DOUBLE_EQ(s.policy.share_ema[0], 0.15 + (0.3 - 0.15) / 52.0);
}

// the smoothed failure rate counts only outright failures (nothing came) among the units with a
// local order: partial deliveries are ordinary in local food and pull it down like full ones
TEST(FeedbackPhase, FailureEmaCountsOnlyOutrightFailures) {
  World w = make_world();
  State& s = w.s;
  s.policy.failure_ema[0] = 0.1;
  WeekReport r = empty_report(w.p);
  feed_back_results(w.p, r, s);  // no local orders: nothing to learn
  EXPECT_EQ(s.policy.failure_ema[0], 0.1);
  // 3 full, 4 partial, 1 nothing: a failure rate of 1/8, whatever the kitchen types
  type_sums(r, BuyerType::kindergarten).deliveries_full = 3;
  type_sums(r, BuyerType::sfo).deliveries_partial = 4;
  type_sums(r, BuyerType::nursing_home).deliveries_none = 1;
  feed_back_results(w.p, r, s);
  const double after = 0.1 + (0.125 - 0.1) / 52.0;
  EXPECT_DOUBLE_EQ(s.policy.failure_ema[0], after);
  // partial deliveries only: no failure this week
  WeekReport partial = empty_report(w.p);
  type_sums(partial, BuyerType::kindergarten).deliveries_partial = 5;
  feed_back_results(w.p, partial, s);
  EXPECT_DOUBLE_EQ(s.policy.failure_ema[0], after - after / 52.0);
}

// the premium spent this year adds the week's premiums paid over the wholesaler's price (every
// cell) and the incentives given (every kitchen type); local food cheaper than the list price
// (a negative net premium) does not refill the premium budget
TEST(FeedbackPhase, PremiumYearAddsPremiumsAndIncentives) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C;
  s.policy.premium_year_nok[0] = 1000;
  WeekReport r = empty_report(w.p);
  r.cells[static_cast<std::size_t>(BuyerType::kindergarten) * C + w.veg].premium_paid_nok = 120;
  r.cells[static_cast<std::size_t>(BuyerType::sfo) * C + w.eggs].premium_paid_nok = 30;
  r.cells[static_cast<std::size_t>(BuyerType::sfo) * C + w.eggs].premium_nok = -400;  // net: cheaper food elsewhere
  type_sums(r, BuyerType::kindergarten).incentive_nok = 50;
  feed_back_results(w.p, r, s);
  EXPECT_EQ(s.policy.premium_year_nok[0], 1200.0);
  feed_back_results(w.p, r, s);
  EXPECT_EQ(s.policy.premium_year_nok[0], 1400.0);
}

// the hub's year so far adds its running cost less its fees every week, and its budget (a 52nd of
// the yearly budget, at the week's price index) only in weeks the hub is funded
TEST(FeedbackPhase, HubYearAddsItsCostLessFeesAndItsBudgetWhileFunded) {
  World w = make_world(2, "", {{"municipalities.m.hub.budget_nok_per_year", "520000.0"}});
  State& s = w.s;
  ASSERT_TRUE(w.p.municipalities[0].hub.enabled);
  s.policy.hub_funded[0] = 1;
  s.price_index = 1.04;
  WeekReport r = empty_report(w.p);
  r.munis[0].hub_cost_nok = 11000;
  r.munis[0].hub_fee_nok = 600;
  feed_back_results(w.p, r, s);
  EXPECT_DOUBLE_EQ(s.policy.hub_net_cost_year_nok[0], 10400.0);
  EXPECT_DOUBLE_EQ(s.policy.hub_budget_year_nok[0], 10000.0 * 1.04);
  s.policy.hub_funded[0] = 0;  // unfunded: no cost is charged, and no budget accrues
  r.munis[0].hub_cost_nok = r.munis[0].hub_fee_nok = 0;
  feed_back_results(w.p, r, s);
  EXPECT_DOUBLE_EQ(s.policy.hub_net_cost_year_nok[0], 10400.0);
  EXPECT_DOUBLE_EQ(s.policy.hub_budget_year_nok[0], 10000.0 * 1.04);
}

// the phase writes its signals (the share, smoothed and summed over the year with last week's
// spend, the failure rate, the premium and the hub's cost and budget so far this year) and
// nothing else: with them put back, the state hashes as before
TEST(FeedbackPhase, WritesOnlyThePolicySignals) {
  World w = make_world();
  WeekReport r = empty_report(w.p);
  r.munis[0].covered_local_nok = 300;
  r.munis[0].covered_spend_nok = 1000;
  r.munis[0].hub_cost_nok = 9000;
  type_sums(r, BuyerType::kindergarten).deliveries_none = 1;
  type_sums(r, BuyerType::kindergarten).incentive_nok = 50;
  w.s.policy.hub_funded[0] = 1;
  const State before = w.s;
  feed_back_results(w.p, r, w.s);
  State s = w.s;
  EXPECT_NE(s.policy.share_ema, before.policy.share_ema);
  EXPECT_NE(s.policy.failure_ema, before.policy.failure_ema);
  EXPECT_NE(s.policy.premium_year_nok, before.policy.premium_year_nok);
  EXPECT_NE(s.policy.hub_net_cost_year_nok, before.policy.hub_net_cost_year_nok);
  EXPECT_NE(s.policy.hub_budget_year_nok, before.policy.hub_budget_year_nok);
  EXPECT_DOUBLE_EQ(s.policy.covered_local_year_nok[0], before.policy.covered_local_year_nok[0] + 300);
  EXPECT_DOUBLE_EQ(s.policy.covered_spend_year_nok[0], before.policy.covered_spend_year_nok[0] + 1000);
  EXPECT_DOUBLE_EQ(s.policy.covered_spend_week_nok[0], 1000);
  s.policy.share_ema = before.policy.share_ema;
  s.policy.failure_ema = before.policy.failure_ema;
  s.policy.premium_year_nok = before.policy.premium_year_nok;
  s.policy.hub_net_cost_year_nok = before.policy.hub_net_cost_year_nok;
  s.policy.hub_budget_year_nok = before.policy.hub_budget_year_nok;
  s.policy.covered_local_year_nok = before.policy.covered_local_year_nok;
  s.policy.covered_spend_year_nok = before.policy.covered_spend_year_nok;
  s.policy.covered_spend_week_nok = before.policy.covered_spend_week_nok;
  EXPECT_EQ(hash_state(s), hash_state(before));
}

}  // namespace
}  // namespace lokalmat
