// The model's stylized facts V3, V4, V6 and V7 (MODEL.md §7) over replicated runs of the shipped
// Horten scenarios. Each test prints the figures it measured, so that a failure (or a pass by a
// narrow margin) can be read against MODEL.md. A Horten run of ten years takes ~25 ms in Release,
// so the whole file (~150 runs) stays within a few seconds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "sim/metrics.h"
#include "sim/model.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::with_seed;

constexpr const char* kHorten = "scenarios/horten.toml";
const std::vector<int> kCoveredTypes = {static_cast<int>(BuyerType::kindergarten), static_cast<int>(BuyerType::sfo)};

// "fruit and vegetables" of V3: the fresh produce categories of MODEL.md §2 (fresh vegetables, fruit
// and berries). Potatoes and roots are a category of their own there, storable into spring, so a
// price incentive reaches them in winter too (Norwegian storage crops; the US study's 0-1% in
// Nov-Dec concerns fresh produce) — their winter response is outside this fact.
std::vector<int> fruit_veg(const Params& p) {
  return {test::category_index(p, "fresh_vegetables"), test::category_index(p, "fruit_berries")};
}

// flows of some categories in some buyer types (municipality 0), one week
FlowSums flows(const WeekReport& r, const std::vector<int>& categories, const std::vector<int>& types) {
  FlowSums f;
  for (int t : types)
    for (int c : categories) f.add(group_sums(r, 0, t, c).flow);
  return f;
}

// local share by value as MODEL.md counts it: local channel + the wholesaler's regional sourcing
double local_share(const FlowSums& f) { return (f.local_nok + f.regional_nok) / (f.local_nok + f.wholesale_nok); }
// the local channel alone, by value
double channel_share(const FlowSums& f) { return f.local_nok / (f.local_nok + f.wholesale_nok); }

// run a scenario to its end, handing every week's report and the state after it to `visit`
void run(const Params& p, const std::function<void(const WeekReport&, const State&)>& visit) {
  Simulation sim(p);
  sim.run(p.weeks, [&](const WeekReport& r) { visit(r, sim.state()); });
}

// ---------------------------------------------------------------- V3 seasons

// V3: a local-purchase incentive raises the local share of fruit and vegetables by about 10
// points in August-October and by under 2 points in November-December (the US farm-to-school
// modelling result MODEL.md cites: +11-12% vs 0-1%).
//
// Set-up: Horten (its exception covers fresh vegetables, potatoes/roots and fruit/berries) with and
// without an incentive of 10 NOK/kg, same seeds 1-5. 10 NOK/kg covers the local price premium of
// every fruit-and-vegetable category (the largest, fruit and berries at 28 x 1.25 x 1.3 + 2 NOK fee =
// 47.5 vs 40 NOK/kg, is 7.5 NOK/kg), so it is the strongest incentive that acts through price in
// this model. The premium budget is raised to NOK 1,000,000 a year so that the incentive is fully
// funded and backing does not react to its cost: the test is about the kitchens' response.
// The share is counted in kindergartens and SFOs (the units the exception and so the incentive
// reach), by value, pooled over the weeks starting in those months in all ten years of a run.
//
// Tolerances: "about 10 points" is asserted as at least 5 points (half, allowing for a Norwegian
// setting different from the US one); "under 2 points" as |difference| < 2 points. Seed-to-seed
// variation of the difference is about 0.1 point, far inside both bounds.
TEST(Stylized3, V3IncentiveRaisesLocalFruitVegShareInAutumnNotInEarlyWinter) {
  double sum_autumn = 0, sum_winter = 0;
  constexpr int kSeeds = 5;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    double autumn[2], winter[2];
    for (int incentive : {0, 1}) {
      Overrides o = with_seed(seed, {{"municipalities.horten.policy.premium_budget_nok_per_year", "1000000.0"}});
      if (incentive) o.emplace_back("municipalities.horten.policy.local_incentive_nok_per_kg", "10.0");
      const Params p = test::load_shipped(kHorten, o);
      const std::vector<int> cats = fruit_veg(p);
      FlowSums aug_oct, nov_dec;
      run(p, [&](const WeekReport& r, const State&) {
        const int month = r.week_start.month;
        if (month >= 8 && month <= 10) aug_oct.add(flows(r, cats, kCoveredTypes));
        if (month >= 11) nov_dec.add(flows(r, cats, kCoveredTypes));
      });
      autumn[incentive] = local_share(aug_oct);
      winter[incentive] = local_share(nov_dec);
    }
    std::printf("V3 seed %d: F&V local share Aug-Oct %.4f -> %.4f with the incentive, Nov-Dec %.4f -> %.4f\n", seed,
                autumn[0], autumn[1], winter[0], winter[1]);
    sum_autumn += autumn[1] - autumn[0];
    sum_winter += winter[1] - winter[0];
  }
  const double d_autumn = sum_autumn / kSeeds, d_winter = sum_winter / kSeeds;
  std::printf("V3 mean rise: Aug-Oct %+.2f points, Nov-Dec %+.2f points (MODEL.md: about +10 and under +2)\n",
              100 * d_autumn, 100 * d_winter);
  EXPECT_GE(d_autumn, 0.05) << "the incentive should raise the Aug-Oct share by about 10 points";
  EXPECT_LT(std::abs(d_winter), 0.02);
  EXPECT_GT(d_autumn, d_winter);
}

// ---------------------------------------------------------------- V4 reliability

struct ReliabilityResult {
  double throughput_kg_per_year = 0;  // hub throughput, kg a year (mean over seeds)
  double local_kg_per_year = 0;       // local kg delivered to kitchens, kg a year
  double late_local_kg_per_year = 0;  // ... in the last two years of the run
  double participation = 0;           // share of unit-weeks with meals in which the unit ordered locally (covered units)
};

ReliabilityResult run_reliability(double reliability, int seeds) {
  ReliabilityResult out;
  double unit_weeks = 0, ordering = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    Overrides o = with_seed(seed);
    for (const char* farm : {"farm_a", "farm_b", "farm_c"})
      o.emplace_back(std::string("producers.") + farm + ".reliability", std::to_string(reliability));
    const Params p = test::load_shipped(kHorten, o);
    const double years = p.weeks / double(kWeeksPerYear);
    run(p, [&](const WeekReport& r, const State& s) {
      out.throughput_kg_per_year += r.munis[0].hub_throughput_kg / years / seeds;
      const FlowSums f = flows(r, [&] {
        std::vector<int> all(static_cast<std::size_t>(p.n_categories()));
        for (int c = 0; c < p.n_categories(); ++c) all[static_cast<std::size_t>(c)] = c;
        return all;
      }(), kCoveredTypes);
      out.local_kg_per_year += f.local_kg / years / seeds;
      if (r.week >= p.weeks - 2 * kWeeksPerYear) out.late_local_kg_per_year += f.local_kg / 2.0 / seeds;
      for (std::size_t b = 0; b < p.buyers.size(); ++b) {
        if (s.buyer_hub[b] < 0 || s.buyers.meals[b] <= 0) continue;
        unit_weeks += 1;
        ordering += s.buyers.participating[b];
      }
    });
  }
  out.participation = ordering / unit_weeks;
  return out;
}

// V4: lowering producer reliability from 0.95 to 0.6 (all three Horten farms) cuts hub trade and
// buyers' participation; below some level the local channel collapses (Krejci).
// "Cuts" is asserted as at least 10% less hub throughput and delivered kg and a lower participation
// rate; "collapse" as local kg delivered in the last two years below 10% of the level at 0.95
// (mean of seeds 1-4). The level where the channel collapses is printed; the test asserts that it
// exists on the grid, that 0.9 and above do not collapse, and that every lower level collapses too.
TEST(Stylized3, V4LowReliabilityCutsTradeAndParticipationAndCollapsesTheChannel) {
  constexpr int kSeeds = 4;
  const std::vector<double> grid = {0.95, 0.9, 0.8, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.3, 0.2};
  std::vector<ReliabilityResult> res;
  for (double rel : grid) {
    res.push_back(run_reliability(rel, kSeeds));
    const ReliabilityResult& x = res.back();
    std::printf("V4 reliability %.2f: hub throughput %.0f kg/yr, delivered %.0f kg/yr (last two years %.0f), "
                "participation %.3f\n",
                rel, x.throughput_kg_per_year, x.local_kg_per_year, x.late_local_kg_per_year, x.participation);
  }
  const ReliabilityResult& high = res[0];
  const auto at = [&](double rel) {
    return res[static_cast<std::size_t>(std::find(grid.begin(), grid.end(), rel) - grid.begin())];
  };
  const ReliabilityResult low = at(0.6);
  EXPECT_LT(low.throughput_kg_per_year, 0.9 * high.throughput_kg_per_year);
  EXPECT_LT(low.local_kg_per_year, 0.9 * high.local_kg_per_year);
  EXPECT_LT(low.participation, high.participation);

  // the highest level at which the channel has collapsed
  double collapse = -1;
  for (std::size_t i = 0; i < grid.size(); ++i)
    if (res[i].late_local_kg_per_year < 0.1 * high.late_local_kg_per_year) {
      collapse = grid[i];
      break;
    }
  std::printf("V4 the local channel collapses (late local kg < 10%% of the 0.95 level) at reliability %.2f\n", collapse);
  ASSERT_GT(collapse, 0.0) << "no collapse on the grid down to 0.2";
  EXPECT_LT(collapse, 0.9);
  for (std::size_t i = 0; i < grid.size(); ++i)
    if (grid[i] < collapse) EXPECT_LT(res[i].late_local_kg_per_year, 0.1 * high.late_local_kg_per_year) << grid[i];
}

// ---------------------------------------------------------------- V6 thresholds

struct DirectRun {
  double share_before = 0;  // local-channel share by value, 2025-01-06 to the week before the change
  double share_after = 0;   // ... from the first week after 2026-07-01 to the end of the agreement (2029)
  double share_h2_2025 = 0, share_h2_2026 = 0;
  double max_weekly_purchase = 0;  // largest weekly rise of a category's direct spend, NOK
  int exceeded = 0;                // category-weeks with the summed spend above the limit in force
  int stuck = 0;                   // category-weeks after the raise stopped far below the new limit
  std::string first_stuck;
};

DirectRun run_direct(int seed, const Overrides& extra) {
  const Params p = test::load_shipped("scenarios/horten/direct-purchase.toml", with_seed(seed, extra));
  const auto C = static_cast<std::size_t>(p.n_categories());
  std::vector<int> all(C);
  for (std::size_t c = 0; c < C; ++c) all[c] = static_cast<int>(c);
  std::vector<int> types(kBuyerTypes);
  for (int t = 0; t < kBuyerTypes; ++t) types[static_cast<std::size_t>(t)] = t;
  DirectRun out;
  FlowSums before, after, h2_2025, h2_2026;
  std::vector<double> prev(C, 0.0);
  std::vector<std::pair<std::size_t, double>> closed_after;  // (category, spend) in weeks after the raise
  run(p, [&](const WeekReport& r, const State& s) {
    const double limit = direct_limit_nok(p.procurement, s.date);
    for (std::size_t c = 0; c < C; ++c) {
      const double spent = s.policy.direct_spent_nok[c];
      // the sums: never above the limit in force (1e-9 relative: clearing and payment round differently)
      if (spent > limit * (1 + 1e-9)) ++out.exceeded;
      out.max_weekly_purchase = std::max(out.max_weekly_purchase, spent - prev[c]);
      prev[c] = s.tender_week ? 0.0 : spent;
      if (s.date > p.procurement.direct_limit_change && s.date < Date{2030, 1, 1} && s.policy.direct_closed[c])
        closed_after.emplace_back(c, spent);
    }
    const FlowSums f = flows(r, all, types);
    if (s.date < Date{2026, 6, 29}) before.add(f);
    else if (s.date > Date{2026, 7, 1} && s.date < Date{2030, 1, 1}) after.add(f);
    if (s.date >= Date{2025, 7, 1} && s.date < Date{2026, 1, 1}) h2_2025.add(f);
    if (s.date >= Date{2026, 7, 1} && s.date < Date{2027, 1, 1}) h2_2026.add(f);
  });
  // stopped means "the next purchase would pass the limit": after the raise that needs a sum within
  // one purchase of NOK 500,000; twice the largest weekly purchase seen is the allowance
  for (const auto& [c, spent] : closed_after)
    if (spent < 500000.0 - 2 * out.max_weekly_purchase && ++out.stuck == 1)
      out.first_stuck = p.categories[c].name + " stopped at " + std::to_string(spent) + " NOK";
  out.share_before = channel_share(before);
  out.share_after = channel_share(after);
  out.share_h2_2025 = channel_share(h2_2025);
  out.share_h2_2026 = channel_share(h2_2026);
  return out;
}

// V6: under direct_purchase the summed direct spend never passes the limit, and the rise from
// NOK 100,000 to 500,000 on 2026-07-01 raises the local share after that date.
// Checked every week from the State (spend per category over the agreement period), seeds 1-3;
// the rise is judged against the counterfactual with the limit kept at NOK 100,000 (same seeds,
// same weeks: 2026-07-06 to the end of the agreement at 2030-01-01) and, in the same run, against
// the weeks before the change. Also: after the raise a category is stopped only when its sum is
// within a purchase of the new limit. The shares are the local channel's share by value over all units.
TEST(Stylized3, V6DirectSpendWithinLimitAndRaisedLimitRaisesLocalShare) {
  for (int seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const DirectRun raised = run_direct(seed, {});
    const DirectRun kept = run_direct(seed, {{"procurement.direct_limit_new_nok", "100000.0"}});
    std::printf("V6 seed %d: local-channel share before %.4f, after %.4f (limit kept at 100,000: after %.4f); "
                "H2 2025 %.4f, H2 2026 %.4f; largest weekly purchase %.0f NOK\n",
                seed, raised.share_before, raised.share_after, kept.share_after, raised.share_h2_2025,
                raised.share_h2_2026, raised.max_weekly_purchase);
    EXPECT_EQ(raised.exceeded, 0);
    EXPECT_EQ(kept.exceeded, 0);
    ASSERT_LT(raised.max_weekly_purchase, 50000.0);  // the allowance below is meaningful
    EXPECT_EQ(raised.stuck, 0) << "after the raise, " << raised.first_stuck;
    // against the counterfactual: a clear margin (measured ~2.8 points; seed variation ~0.1 point)
    EXPECT_GT(raised.share_after, kept.share_after + 0.01);
    // in the same run: higher after the change than before it
    EXPECT_GT(raised.share_after, raised.share_before);
  }
}

// ---------------------------------------------------------------- V7 backing

// V7a: an election shock that pushes backing below the withdrawal level removes the instruments,
// and the local share falls. Deterministic: Horten without drift (noise 0) and with a large
// election sd (1.0); the first seed among 1-40 whose 2027 election leaves backing below the
// withdrawal level (0.25) is used. From the election week the channel is closed (backing is also
// below backing_min_exception 0.3); at the next budget year (ISO week 1 of 2028) the exception and
// the hub funding are withdrawn; the covered units' local-channel share in the year after the
// election is zero, against a clearly positive share in the year before and in the same seed
// without elections.
TEST(Stylized3, V7ElectionShockBelowWithdrawalRemovesInstrumentsAndShareFalls) {
  const Overrides shock = {{"municipalities.horten.policy.noise_sd_per_year", "0.0"},
                           {"municipalities.horten.policy.election_sd", "1.0"}};
  int seed = -1;
  int election_week = -1;
  for (int s = 1; s <= 40 && seed < 0; ++s) {
    const Params p = test::load_shipped(kHorten, with_seed(s, shock));
    Simulation sim(p);
    for (int k = 0; k < p.weeks && sim.state().iso_year <= 2027; ++k) {
      sim.step();
      if (sim.report().munis[0].elections > 0 && sim.report().iso_year == 2027) {
        if (sim.state().policy.backing[0] < p.municipalities[0].policy.withdrawal_level) seed = s, election_week = k;
        break;
      }
    }
  }
  ASSERT_GT(seed, 0) << "no seed in 1-40 with a 2027 shock below the withdrawal level";

  struct Window {
    FlowSums before, after;
  };
  auto measure = [&](const Overrides& o, bool& withdrawn_2028, int& closed_from) {
    const Params p = test::load_shipped(kHorten, with_seed(seed, o));
    const std::vector<int> cats = p.municipalities[0].exception_categories;
    Window w;
    withdrawn_2028 = false;
    closed_from = -1;
    run(p, [&](const WeekReport& r, const State& s) {
      const FlowSums f = flows(r, cats, kCoveredTypes);
      if (r.week >= election_week - kWeeksPerYear && r.week < election_week) w.before.add(f);
      if (r.week > election_week && r.week <= election_week + kWeeksPerYear) w.after.add(f);
      if (r.iso_year == 2028 && r.iso_week == 1) withdrawn_2028 = !s.policy.exception_open[0] && !s.policy.hub_funded[0];
      if (closed_from < 0 && !local_channel_open(p, s, 0)) closed_from = r.week;
    });
    return w;
  };
  bool withdrawn = false, withdrawn_calm = false;
  int closed_from = -1, closed_calm = -1;
  const Window shocked = measure(shock, withdrawn, closed_from);
  Overrides calm = shock;
  calm.emplace_back("municipalities.horten.policy.election_interval_years", "0");
  const Window quiet = measure(calm, withdrawn_calm, closed_calm);
  std::printf("V7a seed %d, 2027 election in week %d: covered local-channel share the year before %.4f, the year "
              "after %.4f (no elections: %.4f); channel closed from week %d; withdrawn at ISO week 1 of 2028: %d\n",
              seed, election_week, channel_share(shocked.before), channel_share(shocked.after),
              channel_share(quiet.after), closed_from, withdrawn ? 1 : 0);
  EXPECT_EQ(closed_from, election_week);
  EXPECT_TRUE(withdrawn);
  EXPECT_FALSE(withdrawn_calm);
  EXPECT_EQ(closed_calm, -1);
  EXPECT_GT(channel_share(shocked.before), 0.05);
  EXPECT_EQ(shocked.after.local_kg, 0.0);
  EXPECT_GT(channel_share(quiet.after), 0.05);
}

// V7b: a scheme integrated in operations survives more often than a project. Horten with its
// default noise (sd 0.05 a year) and elections (sd 0.15), seeds 1-20, integrated (as shipped)
// against a project whose funding ends mid-run (2029-12-31) and the shipped what-if whose project
// ends in 2026. Survival = the local channel open in the last week of the ten years.
TEST(Stylized3, V7IntegratedSchemeSurvivesMoreOftenThanAProject) {
  auto survivors = [](const std::string& scenario, const Overrides& extra) {
    int n = 0;
    for (int seed = 1; seed <= 20; ++seed) {
      const Params p = test::load_shipped(scenario, with_seed(seed, extra));
      Simulation sim(p);
      sim.run(p.weeks);
      n += local_channel_open(p, sim.state(), 0) ? 1 : 0;
    }
    return n;
  };
  const int integrated = survivors(kHorten, {});
  const int project_2029 = survivors(kHorten, {{"municipalities.horten.policy.integrated", "false"},
                                               {"municipalities.horten.policy.project_end", R"("2029-12-31")"}});
  const int project_2026 = survivors("scenarios/horten/project-ends-2026.toml", {});
  std::printf("V7b schemes open after ten years, of 20 seeds: integrated %d, project ending 2029 %d, project ending 2026 %d\n",
              integrated, project_2029, project_2026);
  EXPECT_GT(integrated, project_2029);
  EXPECT_GT(integrated, project_2026);
}

}  // namespace
}  // namespace lokalmat
