// The metrics phase (sim/phases/metrics.cpp) on the tiny hand-built world, in a week of the
// vegetable season with local trade: it only observes (the state hashes the same after it), and
// its sums are the sums of the agents' values taken by hand, in id order, so they agree exactly.
// Both kitchens are kindergartens, both farms and workers belong to the one municipality.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "sim/model.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;

// the tiny world (with `extra` TOML and overrides) run to the first week in which the hub handles
// food and a kitchen receives some
Simulation run_to_a_week_of_local_trade(std::string_view extra = "", const Overrides& overrides = {}) {
  Simulation sim(make_world(2, extra, overrides).p);
  for (int k = 0; k < 52; ++k) {
    sim.step();
    double local = 0;
    for (double x : sim.state().buyers.local_kg) local += x;
    if (sim.state().markets.handled_kg[0] > 0 && local > 0) break;
  }
  return sim;
}

// collecting the metrics changes nothing: the state hash is the same before and after, and the
// report names the state's week
TEST(MetricsPhase, CollectMetricsLeavesTheStateUnchanged) {
  const Simulation sim = run_to_a_week_of_local_trade();
  const State& s = sim.state();
  ASSERT_GT(s.markets.handled_kg[0], 0.0);
  const std::uint64_t before = hash_state(s);
  WeekReport r;
  collect_metrics(sim.params(), s, r);
  EXPECT_EQ(hash_state(s), before);
  EXPECT_EQ(r.week, s.week);
  EXPECT_EQ(r.week_start, s.date);
  EXPECT_EQ(r.iso_week, s.iso_week);
  EXPECT_EQ(r.iso_year, s.iso_year);
}

// every cell, kitchen-type and municipality sum equals the hand sum of the agents' values
TEST(MetricsPhase, SumsEqualHandSumsOnTheTinyWorld) {
  const Simulation sim = run_to_a_week_of_local_trade();
  const Params& p = sim.params();
  const State& s = sim.state();
  const auto C = static_cast<std::size_t>(p.n_categories());
  WeekReport r;
  collect_metrics(p, s, r);
  ASSERT_EQ(r.cells.size(), kBuyerTypes * C);
  ASSERT_EQ(r.types.size(), static_cast<std::size_t>(kBuyerTypes));
  ASSERT_EQ(r.munis.size(), 1u);
  const auto kg = static_cast<std::size_t>(BuyerType::kindergarten);
  const auto& bu = s.buyers;

  // cells: the two kindergartens' food and money, category by category; no other type has any
  double local_kg = 0;
  for (std::size_t c = 0; c < C; ++c) {
    const FlowSums& f = r.cells[kg * C + c];
    const std::size_t a = 0 * C + c, b = 1 * C + c;
    EXPECT_EQ(f.demand_kg, bu.demand_kg[a] + bu.demand_kg[b]) << p.categories[c].name;
    EXPECT_EQ(f.local_order_kg, bu.local_order_kg[a] + bu.local_order_kg[b]) << p.categories[c].name;
    EXPECT_EQ(f.local_kg, bu.local_kg[a] + bu.local_kg[b]) << p.categories[c].name;
    EXPECT_EQ(f.local_nok, bu.local_nok[a] + bu.local_nok[b]) << p.categories[c].name;
    EXPECT_EQ(f.wholesale_kg, bu.wholesale_kg[a] + bu.wholesale_kg[b]) << p.categories[c].name;
    EXPECT_EQ(f.wholesale_nok, bu.wholesale_nok[a] + bu.wholesale_nok[b]) << p.categories[c].name;
    EXPECT_EQ(f.fallback_kg, bu.fallback_kg[a] + bu.fallback_kg[b]) << p.categories[c].name;
    // premiums paid count only purchases dearer than the list price: never below the net premium, nor 0
    EXPECT_GE(f.premium_paid_nok, std::max(0.0, f.premium_nok)) << p.categories[c].name;
    local_kg += f.local_kg;
    for (std::size_t t = 0; t < static_cast<std::size_t>(kBuyerTypes); ++t)
      if (t != kg) EXPECT_EQ(r.cells[t * C + c].demand_kg, 0.0) << "type " << t;
  }
  ASSERT_GT(local_kg, 0.0) << "no local food this week: the sums are not tested";

  // the kindergartens' sums
  const TypeSums& ts = r.types[kg];
  EXPECT_EQ(ts.buyers, 2.0);
  EXPECT_EQ(ts.meals, bu.meals[0] + bu.meals[1]);
  EXPECT_EQ(ts.budget_nok, bu.budget_week_nok[0] + bu.budget_week_nok[1]);
  EXPECT_EQ(ts.admin_hours, bu.admin_hours[0] + bu.admin_hours[1]);
  EXPECT_EQ(ts.participating, static_cast<double>(bu.participating[0] + bu.participating[1]));
  EXPECT_EQ(ts.satisfaction_sum, bu.satisfaction[0] + bu.satisfaction[1]);
  EXPECT_EQ(ts.deliveries_full + ts.deliveries_partial + ts.deliveries_none,
            static_cast<double>((bu.delivery_outcome[0] != DeliveryOutcome::no_order) +
                                (bu.delivery_outcome[1] != DeliveryOutcome::no_order)));

  // the municipality: its hub, its two participants, its two farms, its backing
  const MuniSums& ms = r.munis[0];
  EXPECT_EQ(ms.hub_throughput_kg, s.markets.handled_kg[0]);
  EXPECT_EQ(ms.hub_capacity_kg, s.markets.capacity_kg[0]);
  EXPECT_EQ(ms.hub_fee_nok, s.markets.fee_income_nok[0]);
  EXPECT_EQ(ms.hub_cost_nok, s.markets.cost_nok[0]);
  EXPECT_EQ(ms.participants, 2.0);
  EXPECT_EQ(ms.work_hours, s.workers.hours_week[0] + s.workers.hours_week[1]);
  EXPECT_EQ(ms.skill_sum, s.workers.skill[0] + s.workers.skill[1]);
  EXPECT_EQ(ms.active_producers, 2.0);
  EXPECT_EQ(ms.farm_income_nok, s.producers.income_week_nok[0] + s.producers.income_week_nok[1]);
  EXPECT_EQ(ms.farm_waste_kg, s.producers.waste_week_kg[0] + s.producers.waste_week_kg[1]);
  EXPECT_EQ(ms.backing_weighted, s.policy.backing[0] * p.municipalities[0].population);
  EXPECT_EQ(ms.exception_open, 1.0);
  // all municipalities together: the one municipality
  EXPECT_EQ(r.muni_total.hub_throughput_kg, ms.hub_throughput_kg);
  EXPECT_EQ(r.muni_total.work_hours, ms.work_hours);
  EXPECT_EQ(r.muni_total.farm_income_nok, ms.farm_income_nok);
}

// the organic goal's output counts kindergartens and SFO only: with a nursing home in the world, its
// food is outside the sums; organic kg are the local kg at the hub's organic ratio plus the wholesaler's
// organic share of its kg; the goal is the municipality's target weighted by that food
TEST(MetricsPhase, OrganicGoalCountsKindergartensAndSfoOnly) {
  const Simulation sim = run_to_a_week_of_local_trade(test::kNursingHomeToml,
                                                      {{"municipalities.m.policy.organic_share_target", "0.3"}});
  const Params& p = sim.params();
  const State& s = sim.state();
  const auto C = static_cast<std::size_t>(p.n_categories());
  ASSERT_EQ(p.buyers.size(), 3u);
  ASSERT_EQ(p.buyers[2].type, BuyerType::nursing_home);
  WeekReport r;
  collect_metrics(p, s, r);
  const auto& bu = s.buyers;
  double food = 0, organic = 0, nursing = 0;
  for (std::size_t c = 0; c < C; ++c) {
    for (std::size_t b : {0u, 1u}) {
      food += bu.demand_kg[b * C + c];
      organic += bu.local_kg[b * C + c] * s.markets.organic_ratio[c] +
                 bu.wholesale_kg[b * C + c] * p.categories[c].wholesaler_organic_share;
    }
    nursing += bu.demand_kg[2 * C + c];
  }
  ASSERT_GT(nursing, 0.0) << "the nursing home buys food this week: its exclusion is tested";
  const MuniSums& ms = r.munis[0];
  EXPECT_DOUBLE_EQ(ms.child_food_kg, food);
  EXPECT_DOUBLE_EQ(ms.child_organic_kg, organic);
  EXPECT_DOUBLE_EQ(ms.child_goal_kg, 0.3 * food);
  EXPECT_GT(ms.child_organic_kg, 0.0);
  EXPECT_LT(ms.child_organic_kg, ms.child_food_kg);
}

}  // namespace
}  // namespace lokalmat
