// The stylized fact V8 (MODEL.md §7), diffusion, over replicated runs of the shipped region of
// three counties (41 municipalities) with and without a learning network (10 years x 8 seeds x 2
// variants, about two minutes in Release on 2 cores). The test prints the figures it measured, so
// that a failure (or a pass by a narrow margin) can be read against MODEL.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "sim/metrics.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

constexpr int kYears = 10;
constexpr int kSeeds = 8;  // seeds 1..8
// this test is registered as an expected failure: it passes while an assertion tagged kExpected
// (the S-shape) fails and no assertion tagged kUnexpected does (tests/CMakeLists.txt)
constexpr const char* kExpected = test::kExpectedFailure;
constexpr const char* kUnexpected = test::kUnexpectedFailure;

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

std::string join(const std::vector<double>& v, int decimals = 0) {
  std::string s;
  char buf[32];
  for (double x : v) {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
    s += (s.empty() ? "" : " ") + std::string(buf);
  }
  return s;
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }

// standard error of the mean of v (sample standard deviation / sqrt(n))
double standard_error(const std::vector<double>& v) {
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
}

// V8: with a learning network the count of adopters rises in an S shape — a slow start, an
// accelerating middle and saturation — and without the network much more slowly.
//
// region-network.toml (MODEL.md: "a region where one municipality starts the Horten model and the
// others are in a learning network": Vestfold, Telemark and Buskerud, 41 municipalities, Horten
// with the exception from the start) vs the same with network.enabled = false, 10 years, seeds
// 1..8. Both arms of a seed draw the same policy stream (the same u per municipality and budget
// year), so the comparison is paired.
//
// Nobody can adopt before year 3: the first budget year is the first week of year 2 and adoption
// takes cycle_years (1) of mapping and mobilisation, so the end-of-year counts of years 1 and 2 are
// 0 by construction (asserted, so that the window below stays right) and the curve is judged on
// the yearly increases d_y of the mean adopters over seeds, years 3..10. Asserted:
//  - slow start: the largest increase d_peak is not in years 3 or 4, the first two years in which
//    anyone can adopt (a concave curve, fastest at the start, fails here);
//  - acceleration: d_peak > 2 x the mean of d_3 and d_4 (a straight line gives 1x), and the
//    difference exceeds 2 standard errors of the per-seed differences (so that the noise of eight
//    seeds picked at its largest year cannot pass for an acceleration);
//  - saturation: the peak is no later than year 8, and the mean increase after it is below half of
//    d_peak, again by more than 2 standard errors (a convex curve without saturation, and a noisy
//    straight line, fail here);
//  - the network matters: at year 10 the mean paired difference (with - without) exceeds 2 of its
//    standard errors; the mean with the network is at least 2x the mean without ("much more
//    slowly") and more than a tenth of the region's municipalities, so that the ratio is not one of
//    tiny counts.
//
// Measured adopters at the end of years 1..10 (work from tasks, D36, grain as flour, D34, and egg
// farms in the generated regions, ODD §7.33):
//   seed 1  network 0 0 2 3 4 5 5 5 6 6      no network 0 0 2 3 4 5 5 5 6 6
//   seed 2  network 0 0 1 3 3 3 3 3 3 3      no network 0 0 0 1 1 1 1 1 1 1
//   seed 3  network 0 0 3 4 4 6 6 7 8 9      no network 0 0 3 3 3 3 3 4 5 5
//   seed 4  network 0 0 2 3 5 7 11 16 16 18  no network 0 0 1 1 3 3 3 4 4 4
//   seed 5  network 0 0 1 1 2 2 3 4 5 5      no network 0 0 0 0 1 1 1 2 2 2
//   seed 6  network 0 0 1 1 2 4 4 4 5 5      no network 0 0 1 1 2 4 4 4 5 5
//   seed 7  network 0 0 2 2 4 4 5 7 7 8      no network 0 0 0 0 0 0 0 1 1 2
//   seed 8  network 0 0 0 1 3 3 3 3 3 4      no network 0 0 0 1 3 3 3 3 3 4
//   mean    network 0 0 1.50 2.25 3.38 4.25 5.00 6.12 6.62 7.25
//           no network 0 0 0.88 1.25 2.12 2.50 2.50 3.00 3.38 3.62
// Yearly increases of the mean with the network, years 3..10: 1.50 0.75 1.12 0.88 0.75 1.12 0.50
// 0.62 — largest in year 3 (slow start fails), 1.5 against 1.12 a year in years 3-4 (acceleration
// fails), 0.82 a year after it — close to a straight line. The network effect at year 10: paired
// difference 3.62, standard error 1.67 (holds), and 7.25 vs 3.62 is 2.0x, at the 2x of "much more
// slowly" by a hair (6.38 vs 3.62, 1.8x, before the generated farms kept hens; 8.25 vs 3.62 before
// grain was sold as flour).
// Before work from tasks (main 0aaf7c7) the mean with the network was 1.50 2.25 3.88 5.25 7.12 9.62
// 10.88 13.75 in years 3..10: accelerating, largest increase in year 10, no saturation by then.
//
// EXPECTED FAILURE (tests/sim/CMakeLists.txt): the S-shape assertions fail for a reason inside the
// model, not the test. The learning network is the Bass form MODEL.md describes — a member adopts
// with chance spontaneous + imitation x (members whose scheme works) / members — but with hub
// capacity from task times the adopters' schemes rarely work (median first-year covered local
// share 0.8% against the success level of 5%), so working peers stay at 0-5 of 41 and the
// imitation term never grows: adoption runs at a constant rate. sim/ODD.md §1.2 (V8) and §7.28.
TEST(StylizedRegion, V8NetworkSpreadsAdoptionInAnSShapeFasterThanWithout) {
  std::vector<std::vector<double>> with_curves, without_curves;
  std::size_t municipalities = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const Params with = test::load_shipped("scenarios/region-network.toml", test::with_seed(seed, {{"run.years", "10"}}));
    const Params without = test::load_shipped("scenarios/region-network.toml",
                                              test::with_seed(seed, {{"run.years", "10"}, {"network.enabled", "false"}}));
    municipalities = with.municipalities.size();
    with_curves.push_back(adopters_by_year(with, kYears));
    without_curves.push_back(adopters_by_year(without, kYears));
    std::printf("V8 seed %d adopters by year, network:    %s\n", seed, join(with_curves.back()).c_str());
    std::printf("V8 seed %d adopters by year, no network: %s\n", seed, join(without_curves.back()).c_str());
    ASSERT_EQ(with_curves.back().size(), static_cast<std::size_t>(kYears)) << kUnexpected;
    ASSERT_EQ(without_curves.back().size(), static_cast<std::size_t>(kYears)) << kUnexpected;
    // nobody can adopt in years 1 and 2 (see above): the window of the S-shape starts in year 3
    for (int y : {0, 1}) {
      ASSERT_EQ(with_curves.back()[static_cast<std::size_t>(y)], 0.0) << kUnexpected << " seed " << seed << ", year " << y + 1;
      ASSERT_EQ(without_curves.back()[static_cast<std::size_t>(y)], 0.0) << kUnexpected << " seed " << seed << ", year " << y + 1;
    }
  }

  // per seed and year: adopters, and the yearly increase (index y = year y + 1)
  auto at = [](const std::vector<std::vector<double>>& curves, std::size_t y) {
    std::vector<double> v;
    for (const auto& c : curves) v.push_back(c[y]);
    return v;
  };
  auto increase = [](const std::vector<double>& c, std::size_t y) { return c[y] - (y ? c[y - 1] : 0.0); };
  std::vector<double> mean_with(kYears), mean_without(kYears), inc(kYears);
  for (std::size_t y = 0; y < kYears; ++y) {
    mean_with[y] = mean(at(with_curves, y));
    mean_without[y] = mean(at(without_curves, y));
    inc[y] = mean_with[y] - (y ? mean_with[y - 1] : 0.0);
  }
  std::printf("V8 mean adopters by year, network:    %s\n", join(mean_with, 2).c_str());
  std::printf("V8 mean adopters by year, no network: %s\n", join(mean_without, 2).c_str());
  std::printf("V8 yearly increases of the mean with the network: %s\n", join(inc, 2).c_str());

  // the S-shape, on years 3..10 (indices 2..9)
  constexpr std::size_t kFirst = 2;
  const auto peak = static_cast<std::size_t>(std::max_element(inc.begin() + kFirst, inc.end()) - inc.begin());
  const double early = (inc[kFirst] + inc[kFirst + 1]) / 2.0;
  std::vector<double> accel, satur;  // per seed: d_peak - early mean; d_peak - mean after the peak
  double after = 0;
  for (std::size_t y = peak + 1; y < kYears; ++y) after += inc[y];
  after = peak + 1 < kYears ? after / static_cast<double>(kYears - peak - 1) : inc[peak];
  for (const auto& c : with_curves) {
    accel.push_back(increase(c, peak) - (increase(c, kFirst) + increase(c, kFirst + 1)) / 2.0);
    double a = 0;
    for (std::size_t y = peak + 1; y < kYears; ++y) a += increase(c, y);
    satur.push_back(increase(c, peak) - (peak + 1 < kYears ? a / static_cast<double>(kYears - peak - 1) : increase(c, peak)));
  }
  std::printf("V8 largest increase %.2f in year %zu; years 3-4 %.2f a year; after the peak %.2f a year\n", inc[peak],
              peak + 1, early, after);
  EXPECT_GE(peak, kFirst + 2) << kExpected << " V8 S-shape: no slow start, the largest yearly increase (" << inc[peak]
                              << ") is in year " << peak + 1;
  EXPECT_GT(inc[peak], 2.0 * early) << kExpected << " V8 S-shape: no acceleration, largest increase " << inc[peak]
                                    << " vs " << early << " a year in years 3-4";
  EXPECT_GT(mean(accel), 2.0 * standard_error(accel))
      << kExpected << " V8 S-shape: acceleration within the seed spread, " << mean(accel) << " vs standard error " << standard_error(accel);
  EXPECT_LE(peak, static_cast<std::size_t>(7)) << kExpected << " V8 S-shape: no saturation seen, the largest increase is in year " << peak + 1;
  EXPECT_LT(after, 0.5 * inc[peak]) << kExpected << " V8 S-shape: no saturation, " << after << " a year after the peak vs "
                                    << inc[peak];
  EXPECT_GT(mean(satur), 2.0 * standard_error(satur))
      << kExpected << " V8 S-shape: saturation within the seed spread, " << mean(satur) << " vs standard error " << standard_error(satur);

  // the network effect at year 10, paired by seed
  const std::vector<double> with_end = at(with_curves, kYears - 1), without_end = at(without_curves, kYears - 1);
  std::vector<double> diff;
  for (std::size_t i = 0; i < with_end.size(); ++i) diff.push_back(with_end[i] - without_end[i]);
  std::printf("V8 year 10: network %.2f, no network %.2f, paired difference %.2f (standard error %.2f)\n",
              mean(with_end), mean(without_end), mean(diff), standard_error(diff));
  EXPECT_GT(mean(diff), 2.0 * standard_error(diff))
      << kUnexpected << " V8 network effect: difference " << mean(diff) << " within 2 standard errors (" << standard_error(diff) << ")";
  // "much more slowly" without it: at least twice the adopters with the network. It failed from
  // grain sold as flour (D34: fewer adopters' schemes work) until the generated farms kept hens
  // (2.0x); tagged as part of the known failure, as it holds by a hair
  EXPECT_GE(mean(with_end), 2.0 * mean(without_end))
      << kExpected << " V8 network effect: not much faster, " << mean(with_end) << " vs " << mean(without_end);
  EXPECT_GT(mean(with_end), 0.1 * static_cast<double>(municipalities))
      << kUnexpected << " V8 network effect: " << mean(with_end) << " adopters of " << municipalities;
}

}  // namespace
}  // namespace lokalmat
