// The stylized fact V4 (MODEL.md §7), reliability, over replicated runs of the shipped Horten
// scenario: unreliable farms cut hub trade and the kitchens' participation, and below some level
// the local channel collapses. The test prints the figures it measured, so that a failure (or a
// pass by a narrow margin) can be read against MODEL.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/metrics.h"
#include "tests/support/sim_test_support.h"
#include "tests/support/stylized_test_support.h"

namespace lokalmat {
namespace {

struct ReliabilityResult {
  double throughput_kg_per_year = 0;  // hub throughput, kg a year (mean over seeds)
  double local_kg_per_year = 0;       // local kg delivered to kitchens, kg a year
  double late_local_kg_per_year = 0;  // ... in the last two years of the run
  double participation = 0;           // share of unit-weeks with meals in which the unit ordered locally (covered units)
};

// one seed's run with all three Horten farms at `reliability`
ReliabilityResult run_reliability(double reliability, int seed) {
  ReliabilityResult out;
  double unit_weeks = 0, ordering = 0;
  // politics without chance: no drift and no election shocks, so that backing moves only with
  // what reliability does to results and failures (a seed's election draw would otherwise close
  // the channel whatever the farms do)
  Overrides o = test::with_seed(seed, {{"municipalities.horten.policy.noise_sd_per_year", "0.0"},
                                       {"municipalities.horten.policy.election_sd", "0.0"}});
  for (const char* farm : {"farm_a", "farm_b", "farm_c"})
    o.emplace_back(std::string("producers.") + farm + ".reliability", std::to_string(reliability));
  const Params p = test::load_shipped(test::kHorten, o);
  const double years = p.weeks / double(kWeeksPerYear);
  std::vector<int> all(static_cast<std::size_t>(p.n_categories()));
  for (int c = 0; c < p.n_categories(); ++c) all[static_cast<std::size_t>(c)] = c;
  test::run_scenario(p, [&](const WeekReport& r, const State& s) {
    out.throughput_kg_per_year += r.munis[0].hub_throughput_kg / years;
    const FlowSums f = test::flows(r, 0, all, test::kCoveredTypes);
    out.local_kg_per_year += f.local_kg / years;
    if (r.week >= p.weeks - 2 * kWeeksPerYear) out.late_local_kg_per_year += f.local_kg / 2.0;
    for (std::size_t b = 0; b < p.buyers.size(); ++b) {
      if (s.buyer_market[b] < 0 || s.buyers.meals[b] <= 0) continue;
      unit_weeks += 1;
      ordering += s.buyers.participating[b];
    }
  });
  out.participation = ordering / unit_weeks;
  return out;
}

// mean and standard error of a sample
std::pair<double, double> mean_se(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m += v;
  m /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return {m, std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()))};
}

// V4: lowering producer reliability from 0.95 to 0.6 (all three Horten farms) cuts hub trade and
// buyers' participation; below some level the local channel collapses (Krejci).
// Seeds 1-8, each against its own run at 0.95 (paired), with politics quiet (below). "Cuts": the
// mean relative cut in kg delivered through the hub, less twice its standard error, is at least 10%;
// the mean cut in the kg the hub handles (planned before the farms' reliability draws) and the mean
// fall in participation, each less twice its standard error, are above 0. (The handled kg fall only
// where kitchens' satisfaction drops below Krejci's 0.7 and they stop ordering some weeks: by 8-25%
// on 6 seeds of 8, by nothing on seeds 5 and 6.) "Collapse": a seed's collapse level is
// the highest reliability on the grid at which local kg delivered in the last two years are below
// 10% of that seed's level at 0.95, with every lower level collapsed too. Robust across seeds: every
// seed has one, they span at most two grid steps (0.1), and their mean lies clearly inside the grid
// (mean + 2 SE below 0.9, mean - 2 SE above its lowest level, 0.2).
TEST(Stylized, V4LowReliabilityCutsTradeAndParticipationAndCollapsesTheChannel) {
  constexpr int kSeeds = 8;
  const std::vector<double> grid = {0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.3, 0.2};
  const std::size_t i06 = static_cast<std::size_t>(std::find(grid.begin(), grid.end(), 0.6) - grid.begin());
  std::vector<double> cut_throughput, cut_kg, fall_participation, collapse;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    std::vector<ReliabilityResult> res;
    for (double rel : grid) res.push_back(run_reliability(rel, seed));
    const ReliabilityResult& high = res[0];
    const ReliabilityResult& low = res[i06];
    cut_throughput.push_back(1.0 - low.throughput_kg_per_year / high.throughput_kg_per_year);
    cut_kg.push_back(1.0 - low.local_kg_per_year / high.local_kg_per_year);
    fall_participation.push_back(high.participation - low.participation);
    // the highest level from which every lower level has collapsed
    double level = -1;
    for (std::size_t i = grid.size(); i-- > 0;) {
      if (res[i].late_local_kg_per_year >= 0.1 * high.late_local_kg_per_year) break;
      level = grid[i];
    }
    collapse.push_back(level);
    std::printf("V4 seed %d: at 0.6 throughput -%.1f%%, delivered -%.1f%%, participation %.3f -> %.3f; collapse at %.2f\n",
                seed, 100 * cut_throughput.back(), 100 * cut_kg.back(), high.participation, low.participation, level);
  }
  const auto [ct, st] = mean_se(cut_throughput);
  const auto [ck, sk] = mean_se(cut_kg);
  const auto [fp, sp] = mean_se(fall_participation);
  const auto [cm, cs] = mean_se(collapse);
  const double lo = *std::min_element(collapse.begin(), collapse.end());
  const double hi = *std::max_element(collapse.begin(), collapse.end());
  std::printf("V4 over %d seeds: throughput cut %.1f%% ± %.1f, delivered cut %.1f%% ± %.1f, participation fall %.3f ± %.3f; "
              "collapse level %.3f ± %.3f (%.2f-%.2f)\n",
              kSeeds, 100 * ct, 100 * st, 100 * ck, 100 * sk, fp, sp, cm, cs, lo, hi);
  EXPECT_GT(ct - 2 * st, 0.0) << "the hub handles less";
  EXPECT_GE(ck - 2 * sk, 0.10) << "the hub delivers at least 10% less";
  EXPECT_GT(fp - 2 * sp, 0.0);
  EXPECT_GT(lo, 0.0) << "a seed without a collapse on the grid down to 0.2";
  EXPECT_LE(hi - lo, 0.1 + 1e-9) << "the collapse level is not robust across seeds";
  EXPECT_LT(cm + 2 * cs, 0.9);
  EXPECT_GT(cm - 2 * cs, 0.2);
}

}  // namespace
}  // namespace lokalmat
