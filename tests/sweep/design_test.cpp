// Sweep designs (sim/sweep/design.h): each design is checked for its defining
// property (every combination once; one point per stratum; the Saltelli block
// layout; Morris one-at-a-time steps on the grid), reproducibility from the seed,
// the run order, integer rounding and the refusal of bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include "sim/sweep/design.h"

namespace lokalmat::sweep {
namespace {

Factor range_factor(const std::string& key, double lo, double hi, bool integer = false) {
  Factor f;
  f.key = key;
  f.lo = lo;
  f.hi = hi;
  f.integer = integer;
  return f;
}

Factor level_factor(const std::string& key, std::vector<double> values) {
  Factor f;
  f.key = key;
  f.values = std::move(values);
  return f;
}

// k factors on ranges of different widths, so a mix-up of factors shows
std::vector<Factor> range_factors(int k) {
  std::vector<Factor> factors;
  for (int i = 0; i < k; ++i)
    factors.push_back(range_factor("x" + std::to_string(i + 1), -1.0 - i, 2.0 + 3.0 * i));
  return factors;
}

// every stored value follows from its unit coordinate
void expect_values_follow_unit(const Design& d, const std::vector<Factor>& factors) {
  ASSERT_EQ(d.unit.size(), d.values.size());
  for (std::size_t p = 0; p < d.unit.size(); ++p) {
    ASSERT_EQ(d.unit[p].size(), factors.size());
    ASSERT_EQ(d.values[p].size(), factors.size());
    for (std::size_t i = 0; i < factors.size(); ++i) {
      EXPECT_GE(d.unit[p][i], 0.0);
      EXPECT_LT(d.unit[p][i], 1.0 + 1e-15);
      EXPECT_EQ(d.values[p][i], factor_value(factors[i], d.unit[p][i])) << "point " << p << " factor " << i;
    }
  }
}

TEST(Design, Names) {
  EXPECT_EQ(design_name(DesignKind::factorial), "factorial");
  EXPECT_EQ(design_name(DesignKind::lhs), "lhs");
  EXPECT_EQ(design_name(DesignKind::sobol), "sobol");
  EXPECT_EQ(design_name(DesignKind::morris), "morris");
}

TEST(Design, FactorValueMapsAndRoundsIntegerFactors) {
  const Factor real = range_factor("fee_nok_per_kg", 2.0, 6.0);
  EXPECT_DOUBLE_EQ(factor_value(real, 0.0), 2.0);
  EXPECT_DOUBLE_EQ(factor_value(real, 0.25), 3.0);
  EXPECT_DOUBLE_EQ(factor_value(real, 0.26), 3.04);
  const Factor count = range_factor("hubs", 0.0, 10.0, true);
  EXPECT_EQ(factor_value(count, 0.26), 3.0);   // 2.6
  EXPECT_EQ(factor_value(count, 0.24), 2.0);   // 2.4
  EXPECT_EQ(factor_value(count, 0.999), 10.0); // 9.99
}

// 3 x 2 x 4 levels: 24 distinct points, each value from its factor's list
TEST(Design, FactorialHasEveryCombinationOnce) {
  const std::vector<Factor> factors = {level_factor("a", {1.0, 2.0, 3.0}), level_factor("b", {-5.0, 5.0}),
                                       level_factor("c", {0.1, 0.2, 0.4, 0.8})};
  const Design d = factorial(factors);
  EXPECT_EQ(d.kind, DesignKind::factorial);
  EXPECT_EQ(d.k, 3);
  EXPECT_EQ(d.block_size, 1);
  ASSERT_EQ(d.points(), 24);
  EXPECT_EQ(d.blocks(), 24);
  std::set<std::vector<double>> distinct(d.values.begin(), d.values.end());
  EXPECT_EQ(distinct.size(), 24U);
  for (const std::vector<double>& point : d.values)
    for (std::size_t i = 0; i < factors.size(); ++i) {
      const std::vector<double>& levels = factors[i].values;
      EXPECT_NE(std::find(levels.begin(), levels.end(), point[i]), levels.end());
    }
  // the last factor turns fastest; unit coordinates are the level positions
  EXPECT_EQ(d.values[0], (std::vector<double>{1.0, -5.0, 0.1}));
  EXPECT_EQ(d.values[1], (std::vector<double>{1.0, -5.0, 0.2}));
  EXPECT_EQ(d.values[4], (std::vector<double>{1.0, 5.0, 0.1}));
  EXPECT_EQ(d.values[23], (std::vector<double>{3.0, 5.0, 0.8}));
  EXPECT_EQ(d.unit[23], (std::vector<double>{1.0, 1.0, 1.0}));
  EXPECT_DOUBLE_EQ(d.unit[1][2], 1.0 / 3.0);
}

TEST(Design, FactorialRoundsIntegerFactorsAndCentresSingleLevels) {
  Factor count = level_factor("hubs", {1.4, 2.6});
  count.integer = true;
  const Design d = factorial({count, level_factor("fee", {7.5})});
  ASSERT_EQ(d.points(), 2);
  EXPECT_EQ(d.values[0], (std::vector<double>{1.0, 7.5}));
  EXPECT_EQ(d.values[1], (std::vector<double>{3.0, 7.5}));
  EXPECT_EQ(d.unit[0][1], 0.5);
}

// n = 50, k = 4: in every factor each of the 50 strata holds exactly one point
TEST(Design, LatinHypercubeHasOnePointPerStratum) {
  constexpr int n = 50;
  const std::vector<Factor> factors = range_factors(4);
  const Design d = latin_hypercube(factors, n, 42);
  EXPECT_EQ(d.kind, DesignKind::lhs);
  EXPECT_EQ(d.block_size, 1);
  ASSERT_EQ(d.points(), n);
  expect_values_follow_unit(d, factors);
  for (std::size_t i = 0; i < factors.size(); ++i) {
    std::vector<int> per_stratum(n, 0);
    for (const std::vector<double>& point : d.unit) {
      const auto stratum = static_cast<int>(std::floor(point[i] * n));
      ASSERT_GE(stratum, 0);
      ASSERT_LT(stratum, n);
      ++per_stratum[static_cast<std::size_t>(stratum)];
    }
    EXPECT_EQ(std::count(per_stratum.begin(), per_stratum.end(), 1), n) << "factor " << i;
  }
}

TEST(Design, LatinHypercubeIsReproducibleFromTheSeed) {
  const std::vector<Factor> factors = range_factors(4);
  const Design a = latin_hypercube(factors, 50, 7);
  const Design b = latin_hypercube(factors, 50, 7);
  const Design c = latin_hypercube(factors, 50, 8);
  EXPECT_EQ(a.unit, b.unit);
  EXPECT_EQ(a.values, b.values);
  EXPECT_NE(a.unit, c.unit);
  // a factor's column does not depend on the factors after it
  const Design fewer = latin_hypercube(range_factors(2), 50, 7);
  for (std::size_t p = 0; p < 50; ++p) {
    EXPECT_EQ(fewer.unit[p][0], a.unit[p][0]);
    EXPECT_EQ(fewer.unit[p][1], a.unit[p][1]);
  }
}

TEST(Design, LatinHypercubeRoundsIntegerFactors) {
  const Design d = latin_hypercube({range_factor("hubs", 1.0, 9.0, true), range_factor("fee", 0.0, 1.0)}, 40, 3);
  for (const std::vector<double>& point : d.values) {
    EXPECT_EQ(point[0], std::round(point[0]));
    EXPECT_GE(point[0], 1.0);
    EXPECT_LE(point[0], 9.0);
  }
}

// blocks A, B, AB^(1..k): AB^(i) is A with column i from B
TEST(Design, SaltelliHasTheBlockLayout) {
  constexpr int n_base = 64;
  constexpr int k = 3;
  const std::vector<Factor> factors = range_factors(k);
  const Design d = saltelli(factors, n_base);
  EXPECT_EQ(d.kind, DesignKind::sobol);
  EXPECT_EQ(d.k, k);
  EXPECT_EQ(d.block_size, k + 2);
  ASSERT_EQ(d.points(), n_base * (k + 2));
  EXPECT_EQ(d.blocks(), n_base);
  expect_values_follow_unit(d, factors);
  for (std::size_t b = 0; b < n_base; ++b) {
    const std::size_t first = b * (k + 2);
    const std::vector<double>& a = d.unit[first];
    const std::vector<double>& bb = d.unit[first + 1];
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<double> expected = a;
      expected[i] = bb[i];
      EXPECT_EQ(d.unit[first + 2 + i], expected) << "block " << b << " AB^(" << i + 1 << ")";
    }
  }
  // the origin of the sequence is left out: the first point is the centre of the cube
  EXPECT_EQ(d.unit[0], (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(d.unit[1], (std::vector<double>{0.5, 0.5, 0.5}));
}

// n = 1024 Sobol points: every column of A and B fills 8 equal bins evenly
// (the first 2^m points of a Sobol sequence, origin included, fill them exactly;
// leaving out the origin and adding the next point moves at most one point)
TEST(Design, SaltelliColumnsAreEvenlySpread) {
  constexpr int n_base = 1024;
  constexpr int k = 4;
  const Design d = saltelli(range_factors(k), n_base);
  for (std::size_t which = 0; which < 2; ++which) {  // A, B
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<int> bins(8, 0);
      for (std::size_t b = 0; b < n_base; ++b)
        ++bins[static_cast<std::size_t>(d.unit[b * (k + 2) + which][i] * 8)];
      for (int count : bins) EXPECT_NEAR(count, n_base / 8, 1) << (which == 0 ? "A" : "B") << " column " << i;
    }
  }
}

// k+1 points per trajectory; each step moves one factor by exactly +-delta; each
// factor moves once; every coordinate is on the p-level grid
TEST(Design, MorrisTrajectoriesMoveOneFactorAtATimeOnTheGrid) {
  constexpr int k = 5;
  constexpr int r = 40;
  for (int p : {2, 4, 6}) {
    const std::vector<Factor> factors = range_factors(k);
    const Design d = morris(factors, r, p, 11);
    EXPECT_EQ(d.kind, DesignKind::morris);
    EXPECT_EQ(d.block_size, k + 1);
    ASSERT_EQ(d.points(), r * (k + 1));
    expect_values_follow_unit(d, factors);
    const double delta = p / (2.0 * (p - 1));
    int up = 0, down = 0;
    for (std::size_t t = 0; t < r; ++t) {
      std::vector<int> moves(k, 0);
      for (std::size_t j = t * (k + 1); j < (t + 1) * (k + 1); ++j) {
        for (double u : d.unit[j]) {
          const double level = u * (p - 1);
          EXPECT_NEAR(level, std::round(level), 1e-12) << "p = " << p;
          EXPECT_GE(u, 0.0);
          EXPECT_LE(u, 1.0);
        }
        if (j == t * (k + 1)) continue;
        int changed = 0;
        for (std::size_t i = 0; i < k; ++i) {
          const double step = d.unit[j][i] - d.unit[j - 1][i];
          if (step == 0.0) continue;
          ++changed;
          ++moves[i];
          EXPECT_NEAR(std::abs(step), delta, 1e-12) << "p = " << p;
          (step > 0 ? up : down) += 1;
        }
        EXPECT_EQ(changed, 1) << "trajectory " << t << " point " << j;
      }
      EXPECT_EQ(moves, std::vector<int>(k, 1)) << "trajectory " << t;
    }
    // the B* construction draws the direction of each move
    EXPECT_GT(up, 0);
    EXPECT_GT(down, 0);
  }
}

TEST(Design, MorrisIsReproducibleFromTheSeedAndVariesTheOrder) {
  const std::vector<Factor> factors = range_factors(4);
  const Design a = morris(factors, 30, 4, 5);
  EXPECT_EQ(a.unit, morris(factors, 30, 4, 5).unit);
  EXPECT_NE(a.unit, morris(factors, 30, 4, 6).unit);
  // the factor that moves first is not always the same
  std::set<std::size_t> first_moved;
  for (std::size_t t = 0; t < 30; ++t) {
    const std::size_t start = t * 5;
    for (std::size_t i = 0; i < 4; ++i)
      if (a.unit[start + 1][i] != a.unit[start][i]) first_moved.insert(i);
  }
  EXPECT_EQ(first_moved.size(), 4U);
}

TEST(Design, MorrisRoundsIntegerFactors) {
  const Design d = morris({range_factor("hubs", 0.0, 7.0, true), range_factor("fee", 0.0, 1.0)}, 10, 4, 2);
  for (const std::vector<double>& point : d.values) EXPECT_EQ(point[0], std::round(point[0]));
}

// a permutation of all run ids, replicate 0 first
TEST(Design, RunOrderCoversEveryRunReplicateZeroFirst) {
  constexpr int replicates = 3;
  const Design d = latin_hypercube(range_factors(2), 37, 1);
  const std::vector<std::int64_t> order = run_order(d, replicates);
  ASSERT_EQ(order.size(), 37U * replicates);
  std::vector<std::int64_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i], static_cast<std::int64_t>(i));
  for (std::size_t i = 0; i < order.size(); ++i)
    EXPECT_EQ(order[i] % replicates, static_cast<std::int64_t>(i / 37)) << "position " << i;
}

// factorial and lhs: bit-reversed point order, so the first runs spread over the design
TEST(Design, RunOrderSpreadsFactorialPoints) {
  std::vector<double> levels(16);
  for (std::size_t i = 0; i < 16; ++i) levels[i] = static_cast<double>(i);
  const Design d = factorial({level_factor("x", levels)});
  const std::vector<std::int64_t> order = run_order(d, 1);
  ASSERT_EQ(order.size(), 16U);
  EXPECT_EQ(std::vector<std::int64_t>(order.begin(), order.begin() + 8),
            (std::vector<std::int64_t>{0, 8, 4, 12, 2, 10, 6, 14}));
  // with two replicates, run id = point x 2 + replicate
  const std::vector<std::int64_t> two = run_order(d, 2);
  EXPECT_EQ(std::vector<std::int64_t>(two.begin(), two.begin() + 4), (std::vector<std::int64_t>{0, 16, 8, 24}));
  EXPECT_EQ(two[16], 1);
}

// sobol and morris keep block order, so each block is complete as early as possible
TEST(Design, RunOrderKeepsSobolBlocksTogether) {
  const Design d = saltelli(range_factors(2), 8);
  const std::vector<std::int64_t> order = run_order(d, 2);
  ASSERT_EQ(order.size(), 64U);
  for (std::size_t i = 0; i < 32; ++i) EXPECT_EQ(order[i], static_cast<std::int64_t>(2 * i));
  for (std::size_t i = 32; i < 64; ++i) EXPECT_EQ(order[i], static_cast<std::int64_t>(2 * (i - 32) + 1));
}

TEST(Design, RejectsBadInput) {
  const std::vector<Factor> good = range_factors(2);
  const std::vector<Factor> none;
  std::vector<Factor> reversed = good;
  reversed[1].lo = 3.0;
  reversed[1].hi = 3.0;
  EXPECT_THROW(factorial(none), std::invalid_argument);
  EXPECT_THROW(factorial({level_factor("a", {1.0}), level_factor("b", {})}), std::invalid_argument);
  EXPECT_THROW(latin_hypercube(none, 10, 1), std::invalid_argument);
  EXPECT_THROW(latin_hypercube(good, 0, 1), std::invalid_argument);
  EXPECT_THROW(latin_hypercube(reversed, 10, 1), std::invalid_argument);
  EXPECT_THROW(saltelli(none, 10), std::invalid_argument);
  EXPECT_THROW(saltelli(good, 0), std::invalid_argument);
  EXPECT_THROW(saltelli(reversed, 10), std::invalid_argument);
  EXPECT_THROW(morris(none, 10, 4, 1), std::invalid_argument);
  EXPECT_THROW(morris(good, 0, 4, 1), std::invalid_argument);
  EXPECT_THROW(morris(good, 10, 1, 1), std::invalid_argument);
  EXPECT_THROW(morris(good, 10, 5, 1), std::invalid_argument);  // odd p leaves the grid
  EXPECT_THROW(morris(reversed, 10, 4, 1), std::invalid_argument);
  EXPECT_THROW(run_order(factorial({level_factor("a", {1.0})}), 0), std::invalid_argument);
  // the message names the factor
  try {
    (void)latin_hypercube(reversed, 10, 1);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("x2"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lokalmat::sweep
