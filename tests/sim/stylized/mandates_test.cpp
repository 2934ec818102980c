// The stylized fact V5 (MODEL.md §7), mandates, over replicated runs of the shipped Norway
// scenario with a 30% quota (357 municipalities, ~37,600 farms; 4 years x 2 seeds, ~22 s in
// Release on 2 cores). The test prints the figures it measured, so that a failure (or a pass by a
// narrow margin) can be read against MODEL.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <numeric>
#include <vector>

#include "sim/metrics.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

// covered_local_share_value of each municipality over one year: the local-channel spend over all
// spend in the units and categories the quota covers, summed over the year's weeks (the metric's
// sums, so weeks with more spend weigh more — a yearly share as the PNAE figures are).
std::vector<double> yearly_covered_share(const Params& p, int year_index) {
  const int M = p.n_municipalities();
  std::vector<double> local(static_cast<std::size_t>(M), 0.0), spend(static_cast<std::size_t>(M), 0.0);
  Simulation sim(p);
  sim.run((year_index + 1) * kWeeksPerYear, [&](const WeekReport& r) {
    if (r.week / kWeeksPerYear != year_index) return;
    for (int m = 0; m < M; ++m) {
      local[static_cast<std::size_t>(m)] += r.munis[static_cast<std::size_t>(m)].covered_local_nok;
      spend[static_cast<std::size_t>(m)] += r.munis[static_cast<std::size_t>(m)].covered_spend_nok;
    }
  });
  std::vector<double> share;
  for (int m = 0; m < M; ++m)
    if (spend[static_cast<std::size_t>(m)] > 0)
      share.push_back(local[static_cast<std::size_t>(m)] / spend[static_cast<std::size_t>(m)]);
  return share;
}

// V5: a 30% quota across many municipalities with uneven farm density gives a mean share below
// 30% and a sizeable minority of municipalities missing it (PNAE: mean 21.8% over 2010-16, a third
// of municipalities missing in 2022).
//
// Measured in the second year of norway-quota-30.toml (the first is the farms' entry: they learn of
// the calls at supplier development events and join at the yearly review), seeds 1 and 2.
// Tolerances: "mean below 30%" is asserted as stated. "A sizeable minority missing" is asserted as
// a share of municipalities below the quota between 15% (about half of PNAE's third, allowing for a
// different country) and 50% (a minority). The spread across municipalities must be real: the
// interquartile range of municipal shares at least 5 points (uneven farm density is the cause
// MODEL.md names).
//
// The quota covers all food the units buy, as PNAE's covers all food bought with the programme's
// funds; the generated farms grow crops and keep livestock (dairy, meat, eggs) by county (ODD
// §7.33), and milk and meat reach kitchens through local processors (§7.34). The quota binds the
// municipality over its budget year, and units order for the losses they have seen (§7.8).
//
// KNOWN FAILURE (ODD §1.2, V5). Year 4, seeds 1/2: mean 27.06% / 27.06% (PNAE 21.8%), 59.9% /
// 59.1% of municipalities below 30%, but most of them by less than a tenth of a point: the
// interquartile range is 29.4-30.0% (0.6 points). Every municipality whose farms can supply the
// quota buys it to the krone and no more, since nothing in the model makes a municipality with
// the supply buy well above the quota (kitchens' preference at a premium price gives less), and
// its yearly controller approaches the quota from below; so the spread comes only from the
// municipalities without the supply (p10 18%), and "missing" is a toss-up at the quota. PNAE's
// municipalities spread widely above 30%. Before (the quota over crops, each unit on its own week,
// no losses foreseen): mean 15.8%, every municipality missing, interquartile range 13.6-19.7%.
// The assertions are the fact as stated; the test is registered as an expected failure
// (tests/sim/CMakeLists.txt): it passes while the share missing the quota is a majority or the
// spread is narrow, and the rest holds, and fails once the fact holds, so that the mark is
// removed then.
TEST(StylizedRegion, V5QuotaMeanBelowThirtyWithASizeableMinorityMissing) {
  for (int seed : {1, 2}) {
    const Params p = test::load_shipped("scenarios/norway-quota-30.toml", test::with_seed(seed, {{"run.years", "4"}}));
    std::vector<double> share = yearly_covered_share(p, 3);
    ASSERT_GT(share.size(), 300u);
    std::sort(share.begin(), share.end());
    const double n = static_cast<double>(share.size());
    const double mean = std::accumulate(share.begin(), share.end(), 0.0) / n;
    const double missing =
        static_cast<double>(std::count_if(share.begin(), share.end(), [&](double x) { return x < p.municipalities[0].policy.quota_share; })) / n;
    auto q = [&](double f) { return share[static_cast<std::size_t>(f * (n - 1))]; };
    const double far_below =
        static_cast<double>(std::count_if(share.begin(), share.end(), [&](double x) { return x < p.municipalities[0].policy.quota_share - 0.01; })) / n;
    std::printf("V5 seed %d: %zu municipalities, mean covered local share %.4f, missing the 30%% quota %.3f (by more than "
                "a point %.3f); min %.4f p10 %.4f p25 %.4f median %.4f p75 %.4f p90 %.4f max %.4f\n",
                seed, share.size(), mean, missing, far_below, share.front(), q(0.1), q(0.25), q(0.5), q(0.75), q(0.9), share.back());
    EXPECT_LT(mean, 0.30) << "seed " << seed << " " << test::kUnexpectedFailure;
    EXPECT_GE(missing, 0.15) << "seed " << seed << " " << test::kUnexpectedFailure;
    // the part the model does not reproduce: a wide spread, and a minority missing the quota
    EXPECT_GE(q(0.75) - q(0.25), 0.05) << "seed " << seed << " " << test::kExpectedFailure
                                        << " (municipalities with the supply buy the quota and no more, ODD §1.2)";
    EXPECT_LT(missing, 0.50) << "seed " << seed << " " << test::kExpectedFailure
                             << " (the yearly controller approaches the quota from below, ODD §1.2)";
  }
}

}  // namespace
}  // namespace lokalmat
