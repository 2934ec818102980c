// Sensitivity analysis (results/sensitivity.h) against analytic test functions
// (sim/sweep/test_models.h) whose indices are known in closed form: the designs
// of sim/sweep/design.h are evaluated with the test model and the estimators must
// find the known values inside their bootstrap intervals, or exactly where the
// model allows (Morris on a linear function). Also: the test models themselves,
// reproducible intervals, failed runs left out, and the refusal of bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
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

const TestModel ishigami{"ishigami", {7.0, 0.1}};
const TestModel sobol_g{"sobol_g", {0.0, 1.0, 4.5, 9.0, 99.0, 99.0}};

// the Ishigami function on a Saltelli design of n_base base points
std::vector<double> ishigami_outputs(int n_base) {
  return evaluate(ishigami, sweep::saltelli(uniform_factors(3, -pi, pi), n_base));
}

void expect_covers(const Estimate& e, double exact, double max_half_width, const std::string& what) {
  EXPECT_LE(e.lo, exact) << what << ": [" << e.lo << ", " << e.hi << "], estimate " << e.value;
  EXPECT_GE(e.hi, exact) << what << ": [" << e.lo << ", " << e.hi << "], estimate " << e.value;
  EXPECT_LE(e.lo, e.value) << what;
  EXPECT_GE(e.hi, e.value) << what;
  EXPECT_LT((e.hi - e.lo) / 2, max_half_width) << what << ": [" << e.lo << ", " << e.hi << "]";
}

void expect_same(const Estimate& a, const Estimate& b) {
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.lo, b.lo);
  EXPECT_EQ(a.hi, b.hi);
}

void expect_same(const SobolResult& a, const SobolResult& b) {
  EXPECT_EQ(a.variance, b.variance);
  ASSERT_EQ(a.s1_saltelli.size(), b.s1_saltelli.size());
  for (std::size_t i = 0; i < a.s1_saltelli.size(); ++i) {
    expect_same(a.s1_saltelli[i], b.s1_saltelli[i]);
    expect_same(a.s1_jansen[i], b.s1_jansen[i]);
    expect_same(a.st_jansen[i], b.st_jansen[i]);
  }
}

// ---------------------------------------------------------------- test models

TEST(TestModels, ValuesAtKnownPoints) {
  const std::vector<double> x = {pi / 2, pi / 2, 1.0};
  EXPECT_DOUBLE_EQ(ishigami(x), 1.0 + 7.0 + 0.1);
  EXPECT_DOUBLE_EQ((TestModel{"ishigami", {}})(x), 8.1);  // the customary a = 7, b = 0.1
  // G: each factor is 1 at x = 1/4 and 3/4, (2 + a) / (1 + a) at 0 and 1
  EXPECT_DOUBLE_EQ(sobol_g(std::vector<double>{0.25, 0.75, 0.25, 0.75, 0.25, 0.75}), 1.0);
  EXPECT_DOUBLE_EQ(sobol_g(std::vector<double>{0.0, 1.0, 0.25, 0.25, 0.25, 0.25}), 2.0 * 1.5);
  const TestModel linear{"linear", {1.0, -2.0, 0.5}};
  EXPECT_DOUBLE_EQ(linear(std::vector<double>{1.0, 2.0, 4.0}), 1.0 - 4.0 + 2.0);
  EXPECT_TRUE(sweep::is_test_model("ishigami"));
  EXPECT_TRUE(sweep::is_test_model("sobol_g"));
  EXPECT_TRUE(sweep::is_test_model("linear"));
  EXPECT_FALSE(sweep::is_test_model("simulation"));
}

TEST(TestModels, RejectWrongInput) {
  EXPECT_THROW((void)ishigami(std::vector<double>{1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW((void)sobol_g(std::vector<double>{0.5, 0.5}), std::invalid_argument);
  EXPECT_THROW((void)(TestModel{"linear", {1.0}})(std::vector<double>{1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW((void)(TestModel{"rosenbrock", {}})(std::vector<double>{1.0}), std::invalid_argument);
  EXPECT_THROW((void)(TestModel{"ishigami", {7.0}})(std::vector<double>{1.0, 2.0, 3.0}), std::invalid_argument);
  EXPECT_THROW((void)ishigami.exact_s1(4), std::invalid_argument);
}

// the closed forms against the values quoted in the literature
TEST(TestModels, ExactIndices) {
  const std::vector<double> s1 = ishigami.exact_s1(3), st = ishigami.exact_st(3);
  ASSERT_EQ(s1.size(), 3U);
  ASSERT_EQ(st.size(), 3U);
  const std::vector<double> s1_known = {0.3139, 0.4424, 0.0}, st_known = {0.5576, 0.4424, 0.2437};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(s1[i], s1_known[i], 1e-4) << "S1 x" << i + 1;
    EXPECT_NEAR(st[i], st_known[i], 1e-4) << "ST x" << i + 1;
  }
  // G with a = 0, 1, 4.5, 9, 99, 99 (Saltelli et al. 2010, test case)
  const std::vector<double> g_s1 = sobol_g.exact_s1(6), g_st = sobol_g.exact_st(6);
  const std::vector<double> g_s1_known = {0.7163, 0.1791, 0.0237, 0.0072, 0.0001, 0.0001};
  const std::vector<double> g_st_known = {0.7873, 0.2422, 0.0343, 0.0105, 0.0001, 0.0001};
  ASSERT_EQ(g_s1.size(), 6U);
  ASSERT_EQ(g_st.size(), 6U);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_NEAR(g_s1[i], g_s1_known[i], 1e-4) << "S1 x" << i + 1;
    EXPECT_NEAR(g_st[i], g_st_known[i], 1e-4) << "ST x" << i + 1;
    EXPECT_GT(g_st[i], g_s1[i]);  // every factor interacts in a product
  }
  const TestModel linear{"linear", {1.0, -2.0, 0.5, 0.0}};
  const std::vector<double> expected = {1.0 / 5.25, 4.0 / 5.25, 0.25 / 5.25, 0.0};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_DOUBLE_EQ(linear.exact_s1(4)[i], expected[i]);
    EXPECT_DOUBLE_EQ(linear.exact_st(4)[i], expected[i]);
  }
}

// ---------------------------------------------------------------- Sobol indices

// Ishigami (a = 7, b = 0.1), 8192 base points: the known indices lie in the 95%
// intervals of the Saltelli S1, the Jansen S1 and the Jansen ST, and the intervals are narrow
TEST(SobolIndices, IshigamiKnownIndicesInsideIntervals) {
  const std::vector<double> y = ishigami_outputs(8192);
  const SobolResult r = sobol_indices(y, 3, 1000, 0.95, 1);
  EXPECT_EQ(r.k, 3);
  EXPECT_EQ(r.blocks_used, 8192);
  // V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
  EXPECT_NEAR(r.variance, 13.8446, 0.2);
  const std::vector<double> s1 = ishigami.exact_s1(3), st = ishigami.exact_st(3);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string x = "x" + std::to_string(i + 1);
    expect_covers(r.s1_saltelli[i], s1[i], 0.05, "S1 Saltelli " + x);
    expect_covers(r.s1_jansen[i], s1[i], 0.05, "S1 Jansen " + x);
    expect_covers(r.st_jansen[i], st[i], 0.05, "ST Jansen " + x);
  }
}

// the G-function with a = 0, 1, 4.5, 9, 99, 99: one dominant factor, two negligible
TEST(SobolIndices, SobolGKnownIndicesInsideIntervals) {
  const Design d = sweep::saltelli(uniform_factors(6, 0.0, 1.0), 8192);
  const SobolResult r = sobol_indices(evaluate(sobol_g, d), 6, 1000, 0.95, 1);
  const std::vector<double> s1 = sobol_g.exact_s1(6), st = sobol_g.exact_st(6);
  for (std::size_t i = 0; i < 6; ++i) {
    const std::string x = "x" + std::to_string(i + 1);
    expect_covers(r.s1_saltelli[i], s1[i], 0.05, "S1 Saltelli " + x);
    expect_covers(r.st_jansen[i], st[i], 0.05, "ST Jansen " + x);
  }
}

// a linear model is additive: S1 = ST = c_i^2 / sum c^2, found by both first-order estimators
TEST(SobolIndices, LinearModelIsAdditive) {
  const TestModel linear{"linear", {1.0, -2.0, 0.5, 0.0}};
  const Design d = sweep::saltelli(uniform_factors(4, 0.0, 1.0), 4096);
  const SobolResult r = sobol_indices(evaluate(linear, d), 4, 500, 0.95, 3);
  const std::vector<double> exact = linear.exact_s1(4);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(r.s1_saltelli[i].value, exact[i], 0.01) << i;
    EXPECT_NEAR(r.s1_jansen[i].value, exact[i], 0.01) << i;
    EXPECT_NEAR(r.st_jansen[i].value, exact[i], 0.01) << i;
  }
  // x4 has no effect at all: AB^(4) repeats A exactly
  EXPECT_EQ(r.st_jansen[3].value, 0.0);
}

// the estimates do not depend on an additive constant in the output
TEST(SobolIndices, ShiftedOutputGivesTheSameIndices) {
  const std::vector<double> y = ishigami_outputs(1024);
  std::vector<double> shifted = y;
  for (double& v : shifted) v += 1.0e4;
  const SobolResult a = sobol_indices(y, 3, 0), b = sobol_indices(shifted, 3, 0);
  EXPECT_NEAR(a.variance, b.variance, 1e-6);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(a.s1_saltelli[i].value, b.s1_saltelli[i].value, 1e-9) << i;
    EXPECT_NEAR(a.s1_jansen[i].value, b.s1_jansen[i].value, 1e-9) << i;
    EXPECT_NEAR(a.st_jansen[i].value, b.st_jansen[i].value, 1e-9) << i;
  }
}

TEST(SobolIndices, BootstrapIsReproducibleFromTheSeed) {
  const std::vector<double> y = ishigami_outputs(1024);
  const SobolResult a = sobol_indices(y, 3, 200, 0.9, 17);
  expect_same(a, sobol_indices(y, 3, 200, 0.9, 17));
  const SobolResult other = sobol_indices(y, 3, 200, 0.9, 18);
  EXPECT_EQ(other.s1_saltelli[0].value, a.s1_saltelli[0].value);  // the estimate does not depend on the seed
  EXPECT_NE(other.s1_saltelli[0].lo, a.s1_saltelli[0].lo);
  EXPECT_NE(other.st_jansen[2].hi, a.st_jansen[2].hi);
  // a wider confidence gives a wider interval from the same replicates
  const SobolResult wide = sobol_indices(y, 3, 200, 0.99, 17);
  EXPECT_LT(wide.s1_saltelli[1].lo, a.s1_saltelli[1].lo);
  EXPECT_GT(wide.s1_saltelli[1].hi, a.s1_saltelli[1].hi);
}

TEST(SobolIndices, NoBootstrapGivesNoInterval) {
  const SobolResult r = sobol_indices(ishigami_outputs(256), 3, 0);
  EXPECT_TRUE(std::isfinite(r.s1_saltelli[0].value));
  EXPECT_TRUE(std::isnan(r.s1_saltelli[0].lo));
  EXPECT_TRUE(std::isnan(r.st_jansen[2].hi));
}

// a block with a failed run (NaN or infinite) is left out: the result equals that of
// the design without those blocks, intervals included
TEST(SobolIndices, BlocksWithNonFiniteValuesAreSkipped) {
  constexpr std::size_t block = 5;
  const std::vector<double> y = ishigami_outputs(1024);
  std::vector<double> failed = y;
  failed[3 * block + 2] = nan;                                     // an AB^(1) run of block 3
  failed[10 * block] = std::numeric_limits<double>::infinity();  // the A run of block 10
  failed[500 * block + 1] = nan;                                   // the B run of block 500
  std::vector<double> kept;
  for (std::size_t b = 0; b < 1024; ++b)
    if (b != 3 && b != 10 && b != 500) kept.insert(kept.end(), y.begin() + b * block, y.begin() + (b + 1) * block);

  const SobolResult with_failures = sobol_indices(failed, 3, 100, 0.95, 5);
  EXPECT_EQ(with_failures.blocks_used, 1021);
  expect_same(with_failures, sobol_indices(kept, 3, 100, 0.95, 5));
}

TEST(SobolIndices, RejectsBadInput) {
  const std::vector<double> y = ishigami_outputs(16);
  EXPECT_THROW(sobol_indices(std::span(y).first(y.size() - 1), 3), std::invalid_argument);
  EXPECT_THROW(sobol_indices(y, 0), std::invalid_argument);
  EXPECT_THROW(sobol_indices(y, 3, -1), std::invalid_argument);
  EXPECT_THROW(sobol_indices(y, 3, 10, 1.0), std::invalid_argument);
  EXPECT_THROW(sobol_indices(std::vector<double>{}, 3), std::invalid_argument);
  const std::vector<double> all_failed(y.size(), nan);
  EXPECT_THROW(sobol_indices(all_failed, 3), std::invalid_argument);
}

// ---------------------------------------------------------------- Morris

// y = sum c_i x_i on ranges of different widths: every elementary effect of x_i is
// c_i (hi - lo) in unit-cube coordinates, so mu = c_i (hi - lo), mu* = |mu|, sigma = 0
TEST(MorrisIndices, LinearModelEffectsAreExact) {
  const TestModel linear{"linear", {1.0, -2.0, 0.5, 0.0}};
  std::vector<Factor> factors = uniform_factors(4, 0.0, 1.0);
  factors[1].lo = -1.0, factors[1].hi = 3.0;
  factors[2].lo = 10.0, factors[2].hi = 12.0;
  factors[3].lo = 0.0, factors[3].hi = 5.0;
  const std::vector<double> mu = {1.0, -8.0, 1.0, 0.0};

  const Design d = sweep::morris(factors, 20, 4, 9);
  const MorrisResult r = morris_indices(evaluate(linear, d), d.unit, 4, 200, 0.95, 1);
  EXPECT_EQ(r.k, 4);
  EXPECT_EQ(r.trajectories_used, 20);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(r.mu[i], mu[i], 1e-12) << i;
    EXPECT_NEAR(r.mu_star[i].value, std::abs(mu[i]), 1e-12) << i;
    EXPECT_NEAR(r.mu_star[i].lo, std::abs(mu[i]), 1e-12) << i;
    EXPECT_NEAR(r.mu_star[i].hi, std::abs(mu[i]), 1e-12) << i;
    EXPECT_NEAR(r.sigma[i], 0.0, 1e-12) << i;
  }
}

// Ishigami on a 4-level grid (x_i in {-pi, -pi/3, pi/3, pi}, steps of 4 pi / 3 = 2/3
// in the unit cube): x2 enters alone as a sin^2 x2, which is 0 at one end of every
// step and 3/4 at the other, so |EE_2| = 7 x 3/4 / (2/3) = 7.875 exactly (positive on
// the step -pi..pi/3, negative on -pi/3..pi); x1 and x3 interact (b x3^4 sin x1), so
// their effects vary between trajectories
TEST(MorrisIndices, IshigamiEffects) {
  const Design d = sweep::morris(uniform_factors(3, -pi, pi), 50, 4, 4);
  const MorrisResult r = morris_indices(evaluate(ishigami, d), d.unit, 3, 200, 0.95, 1);
  EXPECT_NEAR(r.mu_star[1].value, 7.875, 1e-9);
  EXPECT_GT(r.sigma[1], 0.0);  // both steps of x2 occur
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GT(r.mu_star[i].value, 0.0) << i;
    EXPECT_LE(r.mu_star[i].lo, r.mu_star[i].value) << i;
    EXPECT_GE(r.mu_star[i].hi, r.mu_star[i].value) << i;
    EXPECT_LE(std::abs(r.mu[i]), r.mu_star[i].value + 1e-12) << i;
  }
  EXPECT_GT(r.sigma[0], 0.0);
  EXPECT_GT(r.sigma[2], 0.0);
  EXPECT_LT(r.mu_star[0].lo, r.mu_star[0].hi);  // |EE_1| depends on x3: a real interval
}

TEST(MorrisIndices, FailedTrajectoriesAreSkippedAndBootstrapIsReproducible) {
  const Design d = sweep::morris(uniform_factors(3, -pi, pi), 30, 4, 2);
  const std::vector<double> y = evaluate(ishigami, d);
  std::vector<double> failed = y;
  failed[4 * 4 + 2] = nan;  // a point inside trajectory 4
  std::vector<double> kept;
  std::vector<std::vector<double>> kept_unit;
  for (std::size_t p = 0; p < y.size(); ++p)
    if (p / 4 != 4) {
      kept.push_back(y[p]);
      kept_unit.push_back(d.unit[p]);
    }

  const MorrisResult a = morris_indices(failed, d.unit, 3, 300, 0.9, 8);
  const MorrisResult b = morris_indices(kept, kept_unit, 3, 300, 0.9, 8);
  EXPECT_EQ(a.trajectories_used, 29);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a.mu[i], b.mu[i]);
    EXPECT_EQ(a.sigma[i], b.sigma[i]);
    expect_same(a.mu_star[i], b.mu_star[i]);
  }
  const MorrisResult again = morris_indices(failed, d.unit, 3, 300, 0.9, 8);
  for (std::size_t i = 0; i < 3; ++i) expect_same(a.mu_star[i], again.mu_star[i]);
}

TEST(MorrisIndices, RejectsBadInput) {
  const Design d = sweep::morris(uniform_factors(2, 0.0, 1.0), 5, 4, 1);
  const std::vector<double> y = evaluate(TestModel{"linear", {1.0, 1.0}}, d);
  // size not a multiple of k + 1, design and outputs of different length
  EXPECT_THROW(morris_indices(std::span(y).first(y.size() - 1), d.unit, 2), std::invalid_argument);
  EXPECT_THROW(morris_indices(y, std::vector<std::vector<double>>(d.unit.begin(), d.unit.end() - 3), 2),
               std::invalid_argument);
  // not one-at-a-time: a step that moves both factors, one that moves none
  std::vector<std::vector<double>> both = d.unit;
  both[1] = {1.0 - both[0][0], 1.0 - both[0][1]};
  EXPECT_THROW(morris_indices(y, both, 2), std::invalid_argument);
  std::vector<std::vector<double>> still = d.unit;
  still[1] = still[0];
  EXPECT_THROW(morris_indices(y, still, 2), std::invalid_argument);
  EXPECT_THROW(morris_indices(std::vector<double>(y.size(), nan), d.unit, 2), std::invalid_argument);
}

}  // namespace
}  // namespace lokalmat
