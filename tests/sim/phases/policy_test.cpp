// The policy phase (sim/phases/policy.cpp) over whole runs of the tiny hand-built world:
// backing that moves only at elections, the exception withdrawn at a budget year when backing
// is low, and a project that ends at its date unless backing makes it part of operations. The
// policy is made quiet (no drift, no result, cost or failure signal) so that each run shows the
// one mechanism under test.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sim/model.h"
#include "sim/run_totals.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"
#include "tests/support/stylized_test_support.h"

namespace lokalmat {
namespace {

using test::category_index;
using test::concat;
using test::make_world;
using test::quiet_policy;
using test::sum_local_orders;
using test::World;

// elections: with no drift and no result/cost/failure signal, backing moves only in the
// weeks containing an election day (2027-09-13, ISO week 37, and four years later 2031-09-13)
TEST(PolicyPhase, BackingChangesOnlyInElectionWeeks) {
  const World w = make_world(2, "", concat(test::election_only_policy(0.5), {{"run.years", "10"}}));
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
TEST(PolicyPhase, BackingConstantWithoutElectionsOrDrift) {
  const World w = make_world(2, "", concat(quiet_policy(0.5), {{"run.years", "10"}}));
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
                             concat(quiet_policy(backing), {{"run.years", "2"},
                                                            {"municipalities.m.policy.withdrawal_level", "0.25"},
                                                            {"municipalities.m.policy.backing_min_exception", "0.1"}}),
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

TEST(PolicyPhase, WithdrawalAtBudgetYearClosesTheException) {
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

// a project: funding ends at project_end unless backing is high enough to continue it
struct ProjectRun {
  int first_closed = -1;  // first tick the platform channel was closed
  int reopened = 0;       // ticks open again after that
  std::uint8_t integrated = 0, ended = 0, hub_funded = 0;
};

ProjectRun run_project(double backing, bool integrated, const Overrides& more = {}) {
  // project_end 2025-03-01 (a Saturday): the first week starting on or after it is tick 8 (2025-03-03);
  // reinstate_level 0.4 so that the budget year (tick 51) would reinstate withdrawn instruments
  const World w = make_world(2, "",
                             concat(concat(quiet_policy(backing),
                                           {{"run.years", "2"},
                                            {"municipalities.m.policy.integrated", integrated ? "true" : "false"},
                                            {"municipalities.m.policy.project_end", R"("2025-03-01")"},
                                            {"municipalities.m.policy.project_continue_level", "0.75"},
                                            {"municipalities.m.policy.reinstate_level", "0.4"}}),
                                    more));
  ProjectRun out;
  Simulation sim(w.p);
  for (int k = 0; k < 70; ++k) {
    sim.step();
    const bool open = local_channel_open(w.p, sim.state(), 0);
    if (!open && out.first_closed < 0) out.first_closed = k;
    if (open && out.first_closed >= 0) ++out.reopened;
  }
  out.integrated = sim.state().policy.integrated[0];
  out.ended = sim.state().policy.project_ended[0];
  out.hub_funded = sim.state().policy.hub_funded[0];
  return out;
}

TEST(PolicyPhase, ProjectStopsAtItsEndWithoutHighBacking) {
  const ProjectRun r = run_project(0.5, false);
  EXPECT_EQ(r.first_closed, 8);
  EXPECT_EQ(r.reopened, 0);  // not reinstated at the budget year, although backing 0.5 >= 0.4
  EXPECT_EQ(r.ended, 1);
  EXPECT_EQ(r.integrated, 0);
  EXPECT_EQ(r.hub_funded, 0);
}

TEST(PolicyPhase, ProjectWithHighBackingBecomesIntegrated) {
  const ProjectRun r = run_project(0.8, false);
  EXPECT_EQ(r.first_closed, -1);
  EXPECT_EQ(r.ended, 0);
  EXPECT_EQ(r.integrated, 1);
  EXPECT_EQ(r.hub_funded, 1);
  // an integrated scheme with the same (low) backing is not touched by the date
  const ProjectRun integrated = run_project(0.5, true);
  EXPECT_EQ(integrated.first_closed, -1);
  EXPECT_EQ(integrated.ended, 0);
}

// D6: where a quota also holds, the quota's platform is the law's, not the project's: the
// exception closes at the project's end, but the hub stays funded and the quota channel open
TEST(PolicyPhase, AProjectEndLeavesAQuotasHub) {
  const ProjectRun r = run_project(0.5, false,
                                   {{"municipalities.m.rules", R"(["framework_exception", "quota_mandate"])"},
                                    {"municipalities.m.policy.quota_share", "0.3"}});
  EXPECT_EQ(r.ended, 1);
  EXPECT_EQ(r.hub_funded, 1);
  EXPECT_EQ(r.first_closed, -1);  // the quota keeps the channel open
}

// adoption (D36): a municipality without the exception sees no local food in the covered units,
// so its smoothed local share falls from the neutral start (the target) for a year; when it adopts
// at the budget year (tick 51; spontaneous_per_year 1, cycle 0) the new scheme starts neutral, as
// one in force from the start does, and that week's share then moves it by 1/52 of the way
TEST(PolicyPhase, AnAdoptedSchemeStartsFromANeutralResult) {
  const World w = make_world(2, "",
                             concat(quiet_policy(0.8), {{"run.years", "2"},
                                                        {"municipalities.m.rules", R"(["framework_only"])"},
                                                        {"network.spontaneous_per_year", "1"},
                                                        {"network.cycle_years", "0"}}));
  const double target = w.p.municipalities[0].policy.local_share_target;
  ASSERT_GT(target, 0.0);
  Simulation sim(w.p);
  for (int k = 0; k < 51; ++k) sim.step();
  ASSERT_EQ(sim.state().policy.adopted[0], 0);
  const double before = sim.state().policy.share_ema[0];
  EXPECT_LT(before, 0.5 * target);  // a year of 0% local food in the covered units
  sim.step();  // tick 51, ISO week 1 of 2026: the first budget year
  ASSERT_EQ(sim.state().policy.adopted[0], 1);
  const MuniSums& ms = sim.report().munis[0];
  ASSERT_GT(ms.covered_spend_nok, 0.0);
  const double week_share = ms.covered_local_nok / ms.covered_spend_nok;
  EXPECT_DOUBLE_EQ(sim.state().policy.share_ema[0], target + (week_share - target) / 52.0);
}

// political backing sees the hub's running cost (less its fees) against the hub's budget: with
// only the cost signal on (no drift, results, failures or elections; premiums unlimited, so they
// are never an overrun), a hub budgeted at half its cost loses backing from the second week (the first with a cost to see), one
// budgeted far above it keeps backing where it started; the overrun starts again each budget year
TEST(PolicyPhase, BackingFallsWhenTheHubCostsMoreThanItsBudget) {
  auto run = [](const char* budget) {
    const World w = make_world(2, "", concat(quiet_policy(0.8), {{"run.years", "2"},
                                                                  {"municipalities.m.policy.cost_weight_per_year", "0.5"},
                                                                  {"municipalities.m.policy.premium_budget_unlimited", "true"},
                                                                  {"municipalities.m.hub.budget_nok_per_year", budget}}));
    Simulation sim(w.p);
    std::vector<double> backing;
    double net_cost = 0, budget_so_far = 0;
    for (int k = 0; k < 60; ++k) {
      sim.step();
      backing.push_back(sim.state().policy.backing[0]);
      if (k == 50) {  // the last week of the first budget year
        net_cost = sim.state().policy.hub_net_cost_year_nok[0];
        budget_so_far = sim.state().policy.hub_budget_year_nok[0];
      }
    }
    struct Out { std::vector<double> backing; double net_cost, budget; } out{backing, net_cost, budget_so_far};
    return out;
  };
  const auto under = run("250000.0");
  const auto ample = run("1000000000.0");
  EXPECT_NEAR(under.budget, 51.0 / 52.0 * 250000.0, 1e-6);  // 51 funded weeks at price index 1
  EXPECT_GT(under.net_cost, 1.5 * under.budget);            // the tiny world's hub costs about NOK 500,000 a year
  EXPECT_EQ(under.backing[0], 0.8);  // policy reads last week's sums: nothing yet
  EXPECT_LT(under.backing[1], 0.8);
  EXPECT_LT(under.backing[50], under.backing[10]);
  EXPECT_LT(under.backing[10], under.backing[1]);
  EXPECT_GT(under.backing[50], 0.3);  // still open: the signal, not a closure, moves it
  for (double b : ample.backing) EXPECT_DOUBLE_EQ(b, 0.8);
  EXPECT_LT(ample.net_cost, ample.budget);
}

}  // namespace
}  // namespace lokalmat

namespace lokalmat {
namespace {

// trust (ODD §7.27, D17, D14): without arenas a year's weekly decay compounds to exactly
// trust_decay_per_year (0.3 -> 0.24 at 0.2, not 0.2466 as 52 steps of 0.2/52 gave), and the run's
// "trust at the start" is trust_initial, not trust after the first week
TEST(PolicyPhase, TrustLosesItsYearlyDecayInAYearWithoutMeetings) {
  const Params p = test::load_shipped(
      test::kHorten, test::with_seed(1, {{"municipalities.horten.policy.arenas_per_year", "0"}}));
  Simulation sim(p);
  RunTotals totals;
  sim.run(kWeeksPerYear, [&](const WeekReport& r) { totals.add(r); });
  double initial = 0;
  for (std::size_t m = 0; m < p.municipalities.size(); ++m) {
    const double t0 = p.municipalities[m].policy.trust_initial;
    EXPECT_NEAR(sim.state().policy.trust[m], t0 * (1.0 - p.behaviour.trust_decay_per_year), 1e-12) << m;
    initial += t0;
  }
  initial /= static_cast<double>(p.municipalities.size());
  EXPECT_GT(initial, 0.0);
  EXPECT_DOUBLE_EQ(totals.figures()[14], initial);  // "trust at the start"
  EXPECT_EQ(run_figures()[14].name, "trust_start");
}

}  // namespace
}  // namespace lokalmat
