// The analyses added beside Sobol S1/ST and Morris (results/sensitivity.h), each against
// values known in closed form or by construction:
//   second-order Sobol indices on the G-function and Ishigami (Saltelli 2002 design);
//   PAWN and SRRC on Latin-hypercube and factorial designs;
//   the share of variance due to seeds; where dropped runs cluster.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

#include "results/sensitivity.h"
#include "sim/sweep/design.h"
#include "sim/sweep/test_models.h"
#include "tests/sweep/analytic_designs.h"

namespace lokalmat {
namespace {

using sweep::Design;
using sweep::Factor;
using sweep::TestModel;

constexpr double pi = std::numbers::pi;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

using test::evaluate;
using test::uniform_factors;

void expect_covers(const Estimate& e, double exact, double max_half_width, const std::string& what) {
  EXPECT_LE(e.lo, exact) << what << ": [" << e.lo << ", " << e.hi << "], estimate " << e.value;
  EXPECT_GE(e.hi, exact) << what << ": [" << e.lo << ", " << e.hi << "], estimate " << e.value;
  EXPECT_LT((e.hi - e.lo) / 2, max_half_width) << what << ": [" << e.lo << ", " << e.hi << "]";
}

// ---------------------------------------------------------------- second order

TEST(SobolSecondOrder, DesignAddsTheBAPoints) {
  const auto factors = uniform_factors(3, 0.0, 1.0);
  const Design first = sweep::saltelli(factors, 16);
  const Design second = sweep::saltelli(factors, 16, true);
  EXPECT_EQ(first.block_size, 5);
  EXPECT_EQ(second.block_size, 8);
  ASSERT_EQ(second.points(), 16 * 8);
  for (std::size_t b = 0; b < 16; ++b) {
    // A, B and AB^(i) are those of the first-order design
    for (std::size_t p = 0; p < 5; ++p) EXPECT_EQ(second.unit[b * 8 + p], first.unit[b * 5 + p]);
    const auto& a = second.unit[b * 8];
    const auto& bb = second.unit[b * 8 + 1];
    for (std::size_t i = 0; i < 3; ++i) {
      const auto& ba = second.unit[b * 8 + 5 + i];  // B with column i from A
      for (std::size_t j = 0; j < 3; ++j) EXPECT_EQ(ba[j], j == i ? a[j] : bb[j]) << "block " << b << " BA" << i;
    }
  }
}

// S2_ij = V_i V_j / V for the G-function; a = 0, 1, 4.5, 9: every pair differs in size
TEST(SobolSecondOrder, SobolGKnownS2InsideIntervals) {
  const TestModel g{"sobol_g", {0.0, 1.0, 4.5, 9.0}};
  const Design d = sweep::saltelli(uniform_factors(4, 0.0, 1.0), 16384, true);
  const SobolResult r = sobol_indices(evaluate(g, d), 4, 500, 0.95, 1, true);
  ASSERT_TRUE(r.second_order);
  const auto exact = g.exact_s2(4);
  EXPECT_NEAR(exact[0][1], 0.0597, 0.0005);  // (1/3)(1/12) / V, V = prod(1 + V_i) - 1 = 0.4652
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(std::isnan(r.s2[i][i].value));
    for (std::size_t j = i + 1; j < 4; ++j) {
      expect_covers(r.s2[i][j], exact[i][j], 0.03, "S2 x" + std::to_string(i + 1) + " x" + std::to_string(j + 1));
      EXPECT_EQ(r.s2[i][j].value, r.s2[j][i].value);
    }
  }
}

// Ishigami: the only interaction is x1-x3, S13 = 0.2437
TEST(SobolSecondOrder, IshigamiHasOnlyTheX1X3Interaction) {
  const TestModel ishigami{"ishigami", {7.0, 0.1}};
  const Design d = sweep::saltelli(uniform_factors(3, -pi, pi), 8192, true);
  const SobolResult r = sobol_indices(evaluate(ishigami, d), 3, 500, 0.95, 1, true);
  const auto exact = ishigami.exact_s2(3);
  EXPECT_NEAR(exact[0][2], 0.2437, 0.0001);
  expect_covers(r.s2[0][2], exact[0][2], 0.08, "S2 x1 x3");
  expect_covers(r.s2[0][1], 0.0, 0.08, "S2 x1 x2");
  expect_covers(r.s2[1][2], 0.0, 0.08, "S2 x2 x3");
}

// the first-order and total indices only use A, B and AB: bit for bit those of the k+2 design
TEST(SobolSecondOrder, FirstOrderAndTotalUnchangedBySecondOrderDesign) {
  const TestModel g{"sobol_g", {0.0, 1.0, 9.0}};
  const auto factors = uniform_factors(3, 0.0, 1.0);
  const SobolResult a = sobol_indices(evaluate(g, sweep::saltelli(factors, 512)), 3, 100, 0.9, 7);
  const SobolResult b = sobol_indices(evaluate(g, sweep::saltelli(factors, 512, true)), 3, 100, 0.9, 7, true);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a.s1_saltelli[i].value, b.s1_saltelli[i].value);
    EXPECT_EQ(a.s1_saltelli[i].lo, b.s1_saltelli[i].lo);
    EXPECT_EQ(a.st_jansen[i].hi, b.st_jansen[i].hi);
  }
  // and a first-order analysis refuses a second-order design's values (wrong block size)
  EXPECT_THROW(sobol_indices(std::vector<double>(7 * 3, 1.0), 3), std::invalid_argument);
}

// ---------------------------------------------------------------- PAWN and SRRC

Design lhs(int k, int n, std::uint64_t seed = 3) { return sweep::latin_hypercube(uniform_factors(k, 0.0, 1.0), n, seed); }

// y = 3 x1 + x2 + 0 x3: an additive monotone model, SRRC close to the standardised
// coefficients 3/sqrt(10) and 1/sqrt(10), R2 near 1; x3 has no influence by either index
TEST(RankRegression, LinearModelCoefficients) {
  const Design d = lhs(3, 2000);
  const TestModel linear{"linear", {3.0, 1.0, 0.0}};
  const RankRegressionResult r = srrc_indices(evaluate(linear, d), d.unit, 3, 300, 0.95, 1);
  EXPECT_EQ(r.points_used, 2000);
  EXPECT_GT(r.r2, 0.97);
  EXPECT_NEAR(r.srrc[0].value, 3.0 / std::sqrt(10.0), 0.04);
  EXPECT_NEAR(r.srrc[1].value, 1.0 / std::sqrt(10.0), 0.04);
  expect_covers(r.srrc[2], 0.0, 0.03, "SRRC x3");
  // a decreasing effect has a negative coefficient
  const TestModel down{"linear", {-2.0, 0.0, 0.0}};
  const RankRegressionResult n = srrc_indices(evaluate(down, d), d.unit, 3, 0, 0.95, 1);
  EXPECT_NEAR(n.srrc[0].value, -1.0, 1e-12);  // the ranks of y are those of x1, reversed
  EXPECT_NEAR(n.r2, 1.0, 1e-12);
}

TEST(Pawn, LinearModelFindsTheInfluentialInputs) {
  const Design d = lhs(3, 2000);
  const TestModel linear{"linear", {3.0, 1.0, 0.0}};
  const PawnResult p = pawn_indices(evaluate(linear, d), d.unit, 3, 10, 300, 0.95, 1);
  EXPECT_EQ(p.points_used, 2000);
  EXPECT_EQ(p.slices, 10);
  // 1.358 sqrt(1/200 + 1/2000)
  EXPECT_NEAR(p.ks_critical, 1.358 * std::sqrt(1.0 / 200 + 1.0 / 2000), 1e-12);
  EXPECT_GT(p.median[0].value, 0.5);
  EXPECT_GT(p.median[1].value, p.ks_critical);
  EXPECT_LT(p.median[1].value, p.median[0].value);
  EXPECT_LT(p.median[2].value, p.ks_critical);
  EXPECT_GE(p.max[0].value, p.median[0].value);
  EXPECT_LE(p.median[0].lo, p.median[0].value);
  EXPECT_GE(p.median[0].hi, p.median[0].value);
}

// y = (x1 - 1/2) x2: x2 leaves the mean at 0 and only widens the spread, so a rank
// regression sees nothing of it, but a moment-independent index does
TEST(Pawn, SeesAnInputThatOnlyChangesTheSpread) {
  const Design d = lhs(2, 4000);
  std::vector<double> y;
  for (const auto& u : d.unit) y.push_back((u[0] - 0.5) * u[1]);
  const PawnResult p = pawn_indices(y, d.unit, 2, 10, 200, 0.95, 1);
  const RankRegressionResult r = srrc_indices(y, d.unit, 2, 200, 0.95, 1);
  EXPECT_GT(p.median[1].value, 2 * p.ks_critical);
  expect_covers(r.srrc[1], 0.0, 0.05, "SRRC x2");
}

// a full factorial: each level is one group, and an input the output ignores has the same
// output distribution at every level, so its PAWN index is exactly 0; for y = level of x1
// (3 levels) the distances are 2/3, 1/3, 2/3
TEST(Pawn, FactorialLevelsAreTheGroups) {
  std::vector<Factor> f(2);
  f[0].key = "x1";
  f[0].values = {1, 2, 3};
  f[1].key = "x2";
  f[1].values = {10, 20, 30, 40, 50};
  const Design d = sweep::factorial(f);
  std::vector<double> y;
  for (const auto& x : d.values) y.push_back(x[0]);
  const PawnResult p = pawn_indices(y, d.unit, 2, 10, 0, 0.95, 1);
  EXPECT_DOUBLE_EQ(p.median[0].value, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(p.max[0].value, 2.0 / 3.0);
  EXPECT_EQ(p.median[1].value, 0.0);
  EXPECT_EQ(p.max[1].value, 0.0);
  const RankRegressionResult r = srrc_indices(y, d.unit, 2, 0, 0.95, 1);
  EXPECT_NEAR(r.srrc[0].value, 1.0, 1e-12);
  EXPECT_NEAR(r.srrc[1].value, 0.0, 1e-12);
}

TEST(Pawn, FailedPointsLeftOutAndBadInputRefused) {
  const Design d = lhs(2, 200);
  const TestModel linear{"linear", {1.0, 0.0}};
  std::vector<double> y = evaluate(linear, d);
  y[5] = nan;
  y[17] = INFINITY;
  EXPECT_EQ(pawn_indices(y, d.unit, 2, 10, 0).points_used, 198);
  EXPECT_EQ(srrc_indices(y, d.unit, 2, 0).points_used, 198);
  EXPECT_THROW(pawn_indices(y, d.unit, 2, 1), std::invalid_argument);                    // one slice
  EXPECT_THROW(pawn_indices(std::vector<double>(3, 1.0), d.unit, 2), std::invalid_argument);  // sizes differ
  EXPECT_THROW(srrc_indices(std::vector<double>{1.0, nan, nan}, {{0.1, 0.2}, {0.3, 0.4}, {0.5, 0.6}}, 2),
               std::invalid_argument);  // fewer than 3 usable points
}

TEST(Pawn, BootstrapReproducibleFromTheSeed) {
  const Design d = lhs(2, 300);
  const TestModel linear{"linear", {1.0, 0.5}};
  const auto y = evaluate(linear, d);
  const PawnResult a = pawn_indices(y, d.unit, 2, 10, 100, 0.9, 5);
  const PawnResult b = pawn_indices(y, d.unit, 2, 10, 100, 0.9, 5);
  const PawnResult c = pawn_indices(y, d.unit, 2, 10, 100, 0.9, 6);
  EXPECT_EQ(a.median[1].lo, b.median[1].lo);
  EXPECT_EQ(a.median[1].hi, b.median[1].hi);
  EXPECT_NE(a.median[1].lo, c.median[1].lo);
}

// ---------------------------------------------------------------- seeds and drops

TEST(SeedShare, ExactOnASmallCase) {
  // two points, two replicates each: within-point variances 2 and 2; all four runs 0, 2, 10, 12
  // have variance 104 / 3
  const std::vector<double> y = {0, 10, 2, 12};
  const std::vector<std::int64_t> point = {0, 1, 0, 1};
  const SeedShare s = seed_variance_share(y, point);
  EXPECT_EQ(s.points, 2);
  EXPECT_EQ(s.runs, 4);
  EXPECT_NEAR(s.share, 2.0 / (104.0 / 3.0), 1e-12);
}

// a point effect of variance 3 and noise of variance 1: a quarter of the variance is seeds
TEST(SeedShare, RecoversTheNoiseShare) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> effect(0.0, std::sqrt(3.0)), noise(0.0, 1.0);
  std::vector<double> y;
  std::vector<std::int64_t> point;
  for (std::int64_t p = 0; p < 4000; ++p) {
    const double e = effect(rng);
    for (int r = 0; r < 4; ++r) {
      y.push_back(e + noise(rng));
      point.push_back(p);
    }
  }
  y[3] = nan;  // a failed run: its point keeps 3 replicates
  const SeedShare s = seed_variance_share(y, point);
  EXPECT_EQ(s.points, 4000);
  EXPECT_EQ(s.runs, 15999);
  EXPECT_NEAR(s.share, 0.25, 0.015);
  // one replicate per point: nothing to measure
  const SeedShare none = seed_variance_share(std::vector<double>{1, 2, 3}, std::vector<std::int64_t>{0, 1, 2});
  EXPECT_EQ(none.points, 0);
  EXPECT_TRUE(std::isnan(none.share));
}

TEST(DroppedRuns, KolmogorovDistribution) {
  EXPECT_NEAR(kolmogorov_q(1.358), 0.05, 0.001);  // the 5% critical value
  EXPECT_NEAR(kolmogorov_q(1.0), 0.2700, 0.0001);
  EXPECT_NEAR(kolmogorov_q(0.5), 0.9639, 0.0001);
  EXPECT_EQ(kolmogorov_q(0.05), 1.0);
  EXPECT_LT(kolmogorov_q(3.0), 1e-7);
}

// 2 of 10 runs dropped, both at the top of x1's range: flagged for x1 only
TEST(DroppedRuns, ClusterAtOneEndIsFlagged) {
  const std::vector<std::vector<double>> dropped = {{0.95, 0.5}, {0.85, 0.45}};
  const std::vector<std::vector<double>> kept = {{0.05, 0.95}, {0.15, 0.05}, {0.25, 0.85}, {0.35, 0.15},
                                                 {0.45, 0.75}, {0.55, 0.25}, {0.65, 0.65}, {0.75, 0.35}};
  const auto c = clustered_drops(dropped, kept, 2);
  ASSERT_EQ(c.size(), 1U);
  EXPECT_EQ(c[0].factor, 0);
  EXPECT_EQ(c[0].ks, 1.0);
  EXPECT_LT(c[0].p, 0.05);
  EXPECT_EQ(c[0].lo, 0.85);
  EXPECT_EQ(c[0].hi, 0.95);
}

// drops spread evenly over every input's levels (a 10 x 10 x 10 grid, the points with
// i + j + l divisible by 10) have exactly the kept runs' distribution: never flagged
TEST(DroppedRuns, EvenlySpreadDropsAreNotFlagged) {
  std::vector<std::vector<double>> dropped, kept;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j)
      for (int l = 0; l < 10; ++l)
        ((i + j + l) % 10 == 0 ? dropped : kept).push_back({i / 9.0, j / 9.0, l / 9.0});
  EXPECT_TRUE(clustered_drops(dropped, kept, 3).empty());
  EXPECT_TRUE(clustered_drops({}, kept, 3).empty());
}

// the test has its stated size: drops at random are flagged in about alpha of the cases,
// with few drops (the permutation p) and with many (the asymptotic p)
TEST(DroppedRuns, RandomDropsFlaggedAtTheStatedRate) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (const int n_dropped : {4, 60}) {
    int flagged = 0;
    constexpr int kRepeats = 300;
    for (int rep = 0; rep < kRepeats; ++rep) {
      std::vector<std::vector<double>> dropped, kept;
      for (int p = 0; p < 200; ++p) (p < n_dropped ? dropped : kept).push_back({u(rng)});
      flagged += clustered_drops(dropped, kept, 1).empty() ? 0 : 1;
    }
    const double rate = static_cast<double>(flagged) / kRepeats;
    EXPECT_GT(rate, 0.01) << n_dropped << " dropped";
    EXPECT_LT(rate, 0.10) << n_dropped << " dropped";
  }
}

}  // namespace
}  // namespace lokalmat
