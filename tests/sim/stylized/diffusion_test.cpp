// The stylized fact V8 (MODEL.md §7), diffusion, over replicated runs of the shipped region of
// three counties (41 municipalities) with and without a learning network (10 years x 2 seeds x 2
// variants, ~10 s in Release on 2 cores). The test prints the figures it measured, so that a
// failure (or a pass by a narrow margin) can be read against MODEL.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/metrics.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

// adopters (municipalities that adopted the framework exception during the run) at the end of each
// of `years` years
std::vector<double> adopters_by_year(const Params& p, int years) {
  std::vector<double> out;
  Simulation sim(p);
  sim.run(years * kWeeksPerYear, [&](const WeekReport& r) {
    if (r.week % kWeeksPerYear == kWeeksPerYear - 1) out.push_back(r.muni_total.adopted);
  });
  return out;
}

std::string join(const std::vector<double>& v) {
  std::string s;
  for (double x : v) s += (s.empty() ? "" : " ") + std::to_string(static_cast<int>(x));
  return s;
}

// V8: with a learning network the count of adopters rises in an S shape — a slow start, then an
// accelerating middle phase (and possibly saturation) — and without the network much more slowly.
//
// region-network.toml (MODEL.md: "a region where one municipality starts the Horten model and the
// others are in a learning network": Vestfold, Telemark and Buskerud, 41 municipalities) vs the
// same with network.enabled = false, 10 years, seeds 1 and 2. Asserted, per seed:
//  - slow start: the largest yearly increase with the network is not in the first two years;
//  - acceleration: the largest yearly increase is more than twice the mean increase of the first
//    two years (a straight line would give 1x);
//  - the network matters: adopters after 10 years with it at least 2x those without it, and more
//    than a tenth of the region's municipalities, so that the ratio is not one of tiny counts.
// Measured adopters at the end of years 1..10:
//   seed 1  network 0 0 2 3 4 6 7 13 15 18    no network 0 0 2 3 4 5 5 5 6 6
//   seed 2  network 0 0 1 3 4 4 4 5 5 10      no network 0 0 0 1 1 1 1 1 1 1
TEST(StylizedRegion, V8NetworkSpreadsAdoptionInAnSShapeFasterThanWithout) {
  constexpr int kYears = 10;
  for (int seed : {1, 2}) {
    const Params with = test::load_shipped("scenarios/region-network.toml", test::with_seed(seed, {{"run.years", "10"}}));
    const Params without = test::load_shipped("scenarios/region-network.toml",
                                              test::with_seed(seed, {{"run.years", "10"}, {"network.enabled", "false"}}));
    const std::vector<double> a = adopters_by_year(with, kYears), b = adopters_by_year(without, kYears);
    std::printf("V8 seed %d adopters by year, network:    %s\n", seed, join(a).c_str());
    std::printf("V8 seed %d adopters by year, no network: %s\n", seed, join(b).c_str());
    ASSERT_EQ(a.size(), static_cast<std::size_t>(kYears));
    ASSERT_EQ(b.size(), static_cast<std::size_t>(kYears));
    std::vector<double> inc(kYears);
    for (int y = 0; y < kYears; ++y) inc[static_cast<std::size_t>(y)] = a[static_cast<std::size_t>(y)] - (y ? a[static_cast<std::size_t>(y - 1)] : 0.0);
    const auto peak = static_cast<int>(std::max_element(inc.begin(), inc.end()) - inc.begin());
    const double early = (inc[0] + inc[1]) / 2.0;
    EXPECT_GE(peak, 2) << "seed " << seed << ": largest yearly increase in year " << peak + 1;
    EXPECT_GT(inc[static_cast<std::size_t>(peak)], 2.0 * early) << "seed " << seed;
    EXPECT_GT(a.back(), 0.1 * static_cast<double>(with.municipalities.size())) << "seed " << seed;
    EXPECT_GE(a.back(), 2.0 * b.back()) << "seed " << seed;
  }
}

}  // namespace
}  // namespace lokalmat
