// Counter-based random numbers (sim/rng.h): pure functions of
// (seed, stream, agent, week, draw index), with hand-written transforms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/rng.h"

namespace lokalmat {
namespace {

std::vector<double> draws(Rng rng, int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (double& x : v) x = rng.uniform();
  return v;
}

// same key and counter: the same numbers, bit for bit, across block refills
TEST(Rng, SameKeyAndCounterGiveSameNumbers) {
  const auto a = draws(Rng(42, Stream::delivery, 7, 100), 37);
  const auto b = draws(Rng(42, Stream::delivery, 7, 100), 37);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "draw " << i;
  // the numbers are not all one value
  EXPECT_NE(a[0], a[1]);
  EXPECT_NE(a[3], a[4]);  // across the first Philox block boundary
}

// changing any one coordinate of the key or counter changes the sequence
TEST(Rng, DifferentSeedStreamAgentOrWeekGiveDifferentNumbers) {
  const auto base = draws(Rng(42, Stream::delivery, 7, 100), 8);
  const std::vector<std::vector<double>> others = {
      draws(Rng(43, Stream::delivery, 7, 100), 8),     // seed
      draws(Rng(42, Stream::attendance, 7, 100), 8),   // stream
      draws(Rng(42, Stream::delivery, 8, 100), 8),     // agent
      draws(Rng(42, Stream::delivery, 7, 101), 8),     // week
      draws(Rng(42, Stream::delivery, 100, 7), 8),     // agent and week swapped
  };
  for (std::size_t o = 0; o < others.size(); ++o) {
    int equal = 0;
    for (std::size_t i = 0; i < base.size(); ++i) equal += base[i] == others[o][i] ? 1 : 0;
    EXPECT_EQ(equal, 0) << "variant " << o;
  }
}

// draw counting: a normal consumes exactly two uniforms
TEST(Rng, NormalConsumesTwoUniforms) {
  Rng a(5, Stream::policy, 1, 2), b(5, Stream::policy, 1, 2);
  (void)a.normal();
  b.uniform();
  b.uniform();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.uniform(), b.uniform()) << i;
}

// uniform on [0, 1): range, mean and variance over 1e5 draws.
// tolerance: the sd of the mean of n uniforms is sqrt(1/12/n) = 9.1e-4 for n = 1e5,
// so 0.005 is > 5 sd; the sample variance has sd ~ sqrt(1/180/n) = 2.4e-4, bound 0.002.
TEST(Rng, UniformMeanAndVariance) {
  constexpr int n = 100000;
  double sum = 0, sum2 = 0, lo = 1, hi = 0;
  // spread over agents and weeks as the model does, a few draws each
  for (int i = 0; i < n / 10; ++i) {
    Rng rng(1, Stream::participation, static_cast<std::uint64_t>(i % 997), static_cast<std::uint64_t>(i / 997));
    for (int j = 0; j < 10; ++j) {
      const double u = rng.uniform();
      sum += u;
      sum2 += u * u;
      lo = std::min(lo, u);
      hi = std::max(hi, u);
    }
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  EXPECT_GE(lo, 0.0);
  EXPECT_LT(hi, 1.0);
  EXPECT_NEAR(mean, 0.5, 0.005);
  EXPECT_NEAR(var, 1.0 / 12.0, 0.002);
  // the extremes are approached: with 1e5 draws the min is below 1e-3 with probability 1 - e^-100
  EXPECT_LT(lo, 1e-3);
  EXPECT_GT(hi, 1.0 - 1e-3);
}

// uniform_open0 is on (0, 1]: safe for log
TEST(Rng, UniformOpen0NeverZero) {
  Rng rng(3, Stream::pricing, 0, 0);
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.uniform_open0();
    ASSERT_GT(u, 0.0);
    ASSERT_LE(u, 1.0);
  }
}

// standard normal: mean 0, sd 1, symmetric tails over 1e5 draws.
// tolerance: sd of the mean is 1/sqrt(n) = 3.2e-3, bound 0.02 (> 6 sd); sd of the sample
// sd is ~1/sqrt(2n) = 2.2e-3, bound 0.02; P(|z| > 1.96) = 0.05 with sd 6.9e-4, bound 0.005.
TEST(Rng, NormalMeanAndSd) {
  constexpr int n = 100000;
  double sum = 0, sum2 = 0;
  int tails = 0;
  for (int i = 0; i < n / 4; ++i) {
    Rng rng(9, Stream::policy, static_cast<std::uint64_t>(i), 3);
    for (int j = 0; j < 4; ++j) {
      const double z = rng.normal();
      ASSERT_TRUE(std::isfinite(z));
      sum += z;
      sum2 += z * z;
      tails += std::abs(z) > 1.959963984540054 ? 1 : 0;
    }
  }
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(sd, 1.0, 0.02);
  EXPECT_NEAR(static_cast<double>(tails) / n, 0.05, 0.005);
  // location and scale
  Rng a(9, Stream::policy, 0, 3), b(9, Stream::policy, 0, 3);
  EXPECT_DOUBLE_EQ(a.normal(10.0, 2.0), 10.0 + 2.0 * b.normal());
}

// bernoulli and binomial edge cases are exact; binomial mean within tolerance.
// tolerance: binomial(5, 0.3) has sd 1.02; the mean of 2e4 has sd 7.2e-3, bound 0.05.
TEST(Rng, BernoulliAndBinomial) {
  Rng rng(2, Stream::attendance, 4, 4);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(rng.bernoulli(0.0));
    EXPECT_TRUE(rng.bernoulli(1.0));
    EXPECT_EQ(rng.binomial(4, 1.0), 4);
    EXPECT_EQ(rng.binomial(4, 0.0), 0);
  }
  double sum = 0;
  constexpr int n = 20000;
  for (int i = 0; i < n; ++i) {
    Rng r(2, Stream::attendance, static_cast<std::uint64_t>(i), 0);
    const int k = r.binomial(5, 0.3);
    ASSERT_GE(k, 0);
    ASSERT_LE(k, 5);
    sum += k;
  }
  EXPECT_NEAR(sum / n, 1.5, 0.05);
}

}  // namespace
}  // namespace lokalmat
