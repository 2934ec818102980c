// PRIM (results/prim.h): exact trajectories on hand-built lines (one point per peel,
// tied values, constant inputs), the box of a known rule in uniform data, the
// trajectory's invariants recounted from the data, pasting, a categorical input,
// determinism and the rejection of bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/prim.h"

namespace lokalmat {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

using Points = std::vector<std::vector<double>>;

// uniform in [0, 1) from the top 53 bits: the same on every standard library
// (std::uniform_real_distribution is not)
double uniform01(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * 0x1.0p-53; }

struct Sample {
  Points x;
  std::vector<char> interest;
};

// n points uniform in [0,1]^3; interest = x1 > 0.7 && x2 < 0.4, each flag flipped
// with probability `noise` inside the region and set with probability `noise / 2`
// outside it (noise = 0: the rule exactly)
Sample uniform_box(std::size_t n, std::uint64_t seed, double noise = 0.0) {
  std::mt19937_64 g(seed);
  Sample s;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = uniform01(g), b = uniform01(g), c = uniform01(g), u = uniform01(g);
    const bool in = a > 0.7 && b < 0.4;
    s.x.push_back({a, b, c});
    s.interest.push_back(in ? u >= noise : u < noise / 2);
  }
  return s;
}

const std::vector<PrimInput> three_numeric{{"x1"}, {"x2"}, {"x3"}};

bool inside(const PrimBox& box, const std::vector<PrimInput>& inputs, const std::vector<double>& point) {
  for (std::size_t j = 0; j < inputs.size(); ++j) {
    if (inputs[j].categorical) {
      const auto& kept = box.levels[j];
      if (std::find(kept.begin(), kept.end(), static_cast<int>(point[j])) == kept.end()) return false;
    } else if (point[j] < box.lo[j] || point[j] > box.hi[j]) {
      return false;
    }
  }
  return true;
}

// every box's counts and shares recounted from the data; restricted from its bounds
void expect_recounts(const PrimResult& r, const Points& x, const std::vector<char>& interest,
                     const std::vector<PrimInput>& inputs) {
  int used = 0, cases = 0;
  std::vector<double> lo(inputs.size(), std::numeric_limits<double>::infinity());
  std::vector<double> hi(inputs.size(), -std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::any_of(x[i].begin(), x[i].end(), [](double v) { return std::isnan(v); })) continue;
    ++used;
    cases += interest[i];
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      lo[j] = std::min(lo[j], x[i][j]);
      hi[j] = std::max(hi[j], x[i][j]);
    }
  }
  ASSERT_EQ(r.points, used);
  ASSERT_EQ(r.cases, cases);
  for (std::size_t b = 0; b < r.trajectory.size(); ++b) {
    const PrimBox& box = r.trajectory[b];
    int points = 0, in_cases = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (std::any_of(x[i].begin(), x[i].end(), [](double v) { return std::isnan(v); })) continue;
      if (!inside(box, inputs, x[i])) continue;
      ++points;
      in_cases += interest[i];
    }
    EXPECT_EQ(box.points, points) << "box " << b;
    EXPECT_EQ(box.cases, in_cases) << "box " << b;
    EXPECT_DOUBLE_EQ(box.mass, static_cast<double>(points) / used) << "box " << b;
    EXPECT_DOUBLE_EQ(box.coverage, static_cast<double>(in_cases) / cases) << "box " << b;
    EXPECT_DOUBLE_EQ(box.density, static_cast<double>(in_cases) / points) << "box " << b;
    std::vector<int> restricted;
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      const bool narrower = inputs[j].categorical
                                ? box.levels[j].size() < static_cast<std::size_t>(inputs[j].levels)
                                : box.lo[j] > lo[j] || box.hi[j] < hi[j];
      if (narrower) restricted.push_back(static_cast<int>(j));
    }
    EXPECT_EQ(box.restricted, restricted) << "box " << b;
  }
}

// ---------------------------------------------------------------- hand-built lines

// x = 0..19, interest x >= 15. With 20 points and alpha 0.05 a peel removes one point:
// the lowest (a non-case) always leaves the denser box, until the box is {15..19}.
TEST(PrimLine, PeelsOnePointAtATimeUpToTheCases) {
  Points x;
  std::vector<char> interest;
  for (int i = 0; i < 20; ++i) {
    x.push_back({static_cast<double>(i)});
    interest.push_back(i >= 15);
  }
  const PrimResult r = prim(x, interest, {{"x"}});
  ASSERT_EQ(r.trajectory.size(), 16u);
  EXPECT_EQ(r.peels, 15);
  EXPECT_FALSE(r.pasted);  // a pure box cannot get denser
  for (int b = 0; b <= 15; ++b) {
    const PrimBox& box = r.trajectory[static_cast<std::size_t>(b)];
    EXPECT_EQ(box.lo[0], b);
    EXPECT_EQ(box.hi[0], 19);
    EXPECT_EQ(box.points, 20 - b);
    EXPECT_EQ(box.cases, 5);
  }
  EXPECT_EQ(r.chosen, 15);
  const PrimBox& chosen = r.trajectory[15];
  EXPECT_EQ(chosen.density, 1.0);
  EXPECT_EQ(chosen.coverage, 1.0);
  EXPECT_EQ(chosen.mass, 0.25);
  EXPECT_EQ(chosen.restricted, std::vector<int>{0});
  expect_recounts(r, x, interest, {{"x"}});
}

// x = 0, 1, 1, 1, 2, ..., 7 (10 points), interest x >= 4. alpha 0.2: m = 2 points, but
// the second-lowest value 1 is tied with the third, so the first peel drops only x = 0
// and keeps the group of 1s whole.
TEST(PrimTies, CutKeepsTheTiedGroupWhole) {
  const std::vector<double> values{0, 1, 1, 1, 2, 3, 4, 5, 6, 7};
  Points x;
  std::vector<char> interest;
  for (double v : values) {
    x.push_back({v});
    interest.push_back(v >= 4);
  }
  PrimOptions o;
  o.peel_alpha = 0.2;
  const PrimResult r = prim(x, interest, {{"x"}}, o);
  ASSERT_GE(r.trajectory.size(), 3u);
  EXPECT_EQ(r.trajectory[1].lo[0], 1);
  EXPECT_EQ(r.trajectory[1].points, 9);
  // 9 points: m = 1, the lowest value holds three: the cut below the second point drops
  // nothing, so the lowest group goes whole
  EXPECT_EQ(r.trajectory[2].lo[0], 2);
  EXPECT_EQ(r.trajectory[2].points, 6);
  const PrimBox& chosen = r.trajectory[static_cast<std::size_t>(r.chosen)];
  EXPECT_EQ(chosen.lo[0], 4);
  EXPECT_EQ(chosen.hi[0], 7);
  EXPECT_EQ(chosen.density, 1.0);
  expect_recounts(r, x, interest, {{"x"}});
}

// x = 0, 0, 1, 1, ..., 9, 9 (a two-replicate factorial), interest x >= 7: each peel
// drops one whole level (2 points), never half of one.
TEST(PrimTies, FewLevelsArePeeledAGroupAtATime) {
  Points x;
  std::vector<char> interest;
  for (int v = 0; v < 10; ++v)
    for (int rep = 0; rep < 2; ++rep) {
      x.push_back({static_cast<double>(v)});
      interest.push_back(v >= 7);
    }
  const PrimResult r = prim(x, interest, {{"x"}});
  ASSERT_EQ(r.trajectory.size(), 8u);
  for (int b = 0; b < 8; ++b) {
    EXPECT_EQ(r.trajectory[static_cast<std::size_t>(b)].lo[0], b);
    EXPECT_EQ(r.trajectory[static_cast<std::size_t>(b)].points, 20 - 2 * b);
  }
  EXPECT_EQ(r.chosen, 7);
  EXPECT_EQ(r.trajectory[7].density, 1.0);
}

// an input whose values are all equal offers no peel: with no other input, the
// trajectory is box 0 alone; beside an informative input it is never restricted
TEST(PrimTies, ConstantInputIsNotPeeled) {
  Points x;
  std::vector<char> interest;
  for (int i = 0; i < 40; ++i) {
    x.push_back({3.0, static_cast<double>(i)});
    interest.push_back(i >= 30);
  }
  const PrimResult alone = prim({{1.0}, {1.0}, {1.0}}, {1, 0, 0}, {{"c"}});
  ASSERT_EQ(alone.trajectory.size(), 1u);
  EXPECT_EQ(alone.peels, 0);
  EXPECT_EQ(alone.chosen, 0);

  const PrimResult r = prim(x, interest, {{"c"}, {"x"}});
  const PrimBox& chosen = r.trajectory[static_cast<std::size_t>(r.chosen)];
  EXPECT_EQ(chosen.restricted, std::vector<int>{1});
  EXPECT_EQ(chosen.lo[0], 3.0);
  EXPECT_EQ(chosen.lo[1], 30.0);
  EXPECT_EQ(chosen.density, 1.0);
  EXPECT_EQ(chosen.coverage, 1.0);
}

// equal densities: the peel removing fewer points wins, then the lower input
TEST(PrimTies, EqualDensityPrefersTheSmallerPeelThenTheLowerInput) {
  // 12 points, 6 cases (density 1/2). Peeling a's lowest group (a = 0: 4 points,
  // 2 cases) and b's (b = 0: 2 points, 1 case) both leave density 1/2; the upper peels
  // each drop a case (5/11).
  const Points x{{0, 5}, {0, 5}, {0, 5}, {0, 5}, {5, 0}, {5, 0}, {9, 5}, {5, 9}, {5, 5}, {5, 5}, {5, 5}, {5, 5}};
  const std::vector<char> interest{1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0};
  const PrimResult r = prim(x, interest, {{"a"}, {"b"}});
  ASSERT_GE(r.trajectory.size(), 2u);
  EXPECT_EQ(r.trajectory[1].restricted, std::vector<int>{1});
  EXPECT_EQ(r.trajectory[1].lo[1], 5);
  EXPECT_EQ(r.trajectory[1].points, 10);
  EXPECT_EQ(r.trajectory[1].cases, 5);

  // two copies of one column: every peel ties, and input 0 takes it
  Points twins;
  std::vector<char> twin_interest;
  for (int i = 0; i < 20; ++i) {
    twins.push_back({static_cast<double>(i), static_cast<double>(i)});
    twin_interest.push_back(i >= 10);
  }
  const PrimResult t = prim(twins, twin_interest, {{"a"}, {"b"}});
  ASSERT_EQ(t.trajectory.size(), 11u);
  for (std::size_t b = 1; b < t.trajectory.size(); ++b) EXPECT_EQ(t.trajectory[b].restricted, std::vector<int>{0});
}

// ---------------------------------------------------------------- uniform data

// the rule x1 > 0.7 && x2 < 0.4 in 2,000 uniform points: the chosen box is that box
TEST(PrimUniform, FindsTheBoxOfTheRule) {
  const Sample s = uniform_box(2000, 20240501);
  const PrimResult r = prim(s.x, s.interest, three_numeric);
  const PrimBox& box = r.trajectory[static_cast<std::size_t>(r.chosen)];
  EXPECT_GT(box.density, 0.9);
  EXPECT_GT(box.coverage, 0.8);
  EXPECT_NEAR(box.lo[0], 0.7, 0.05);
  EXPECT_NEAR(box.hi[1], 0.4, 0.05);
  EXPECT_EQ(box.restricted, (std::vector<int>{0, 1}));
  // x3 unrestricted: its bounds are the data's range
  double lo3 = 1, hi3 = 0;
  for (const auto& p : s.x) {
    lo3 = std::min(lo3, p[2]);
    hi3 = std::max(hi3, p[2]);
  }
  EXPECT_EQ(box.lo[2], lo3);
  EXPECT_EQ(box.hi[2], hi3);
  // x1's upper and x2's lower bounds were never peeled either
  EXPECT_EQ(box.hi[0], r.trajectory[0].hi[0]);
  EXPECT_EQ(box.lo[1], r.trajectory[0].lo[1]);

  // pinned for this seed (a change in the algorithm shows here first)
  EXPECT_EQ(r.cases, 255);
  EXPECT_EQ(r.peels, 42);
  EXPECT_FALSE(r.pasted);
  EXPECT_EQ(r.chosen, 42);
  EXPECT_EQ(box.points, 240);
  EXPECT_EQ(box.cases, 240);
  std::cout << "chosen box " << r.chosen << " of " << r.trajectory.size() << " (" << r.peels << " peels): x1 ["
            << box.lo[0] << ", " << box.hi[0] << "], x2 [" << box.lo[1] << ", " << box.hi[1] << "], x3 ["
            << box.lo[2] << ", " << box.hi[2] << "], density " << box.density << ", coverage " << box.coverage
            << ", mass " << box.mass << "\n";
}

TEST(PrimUniform, TrajectoryInvariants) {
  for (const double noise : {0.0, 0.1}) {
    SCOPED_TRACE(noise);
    const Sample s = uniform_box(2000, 7, noise);
    const PrimResult r = prim(s.x, s.interest, three_numeric);
    ASSERT_GE(r.trajectory.size(), 2u);
    ASSERT_EQ(r.trajectory.size(), static_cast<std::size_t>(r.peels + 1 + (r.pasted ? 1 : 0)));

    // box 0: every point
    const PrimBox& all = r.trajectory[0];
    EXPECT_EQ(all.coverage, 1.0);
    EXPECT_EQ(all.mass, 1.0);
    EXPECT_EQ(all.points, 2000);
    EXPECT_EQ(all.density, static_cast<double>(r.cases) / 2000);
    EXPECT_TRUE(all.restricted.empty());

    // peeling: each box inside the one before and lighter, of at least min_mass
    for (int b = 1; b <= r.peels; ++b) {
      const PrimBox& prev = r.trajectory[static_cast<std::size_t>(b - 1)];
      const PrimBox& box = r.trajectory[static_cast<std::size_t>(b)];
      EXPECT_LT(box.mass, prev.mass) << "box " << b;
      EXPECT_GE(box.mass, 0.05) << "box " << b;
      for (std::size_t j = 0; j < 3; ++j) {
        EXPECT_GE(box.lo[j], prev.lo[j]);
        EXPECT_LE(box.hi[j], prev.hi[j]);
      }
      // one peel moves one bound of one input
      int moved = 0;
      for (std::size_t j = 0; j < 3; ++j) moved += (box.lo[j] != prev.lo[j]) + (box.hi[j] != prev.hi[j]);
      EXPECT_EQ(moved, 1) << "box " << b;
    }
    // the chosen box: no box is denser, none as dense covers more
    const PrimBox& chosen = r.trajectory[static_cast<std::size_t>(r.chosen)];
    for (std::size_t b = 0; b < r.trajectory.size(); ++b) {
      EXPECT_LE(r.trajectory[b].density, chosen.density) << "box " << b;
      if (r.trajectory[b].density == chosen.density) {
        EXPECT_LE(r.trajectory[b].coverage, chosen.coverage) << "box " << b;
      }
    }
    expect_recounts(r, s.x, s.interest, three_numeric);
  }
}

// a noisy rule: peeling stops at min_mass short of a pure box, and pasting widens the
// last peeled box to a denser one
TEST(PrimPaste, WidensTheLastPeeledBoxToADenserOne) {
  const Sample s = uniform_box(2000, 20240501, 0.1);
  const PrimResult r = prim(s.x, s.interest, three_numeric);
  ASSERT_TRUE(r.pasted);
  const PrimBox& peeled = r.trajectory[static_cast<std::size_t>(r.peels)];
  const PrimBox& pasted = r.trajectory.back();
  EXPECT_LT(peeled.density, 1.0);
  EXPECT_LT(peeled.mass * (1 - 0.05), 0.05);  // one more peel would have gone below min_mass
  EXPECT_GT(pasted.density, peeled.density);
  EXPECT_GT(pasted.points, peeled.points);
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_LE(pasted.lo[j], peeled.lo[j]);
    EXPECT_GE(pasted.hi[j], peeled.hi[j]);
  }
  // pinned for this seed
  EXPECT_EQ(r.peels, 60);
  EXPECT_EQ(peeled.points, 101);
  EXPECT_EQ(pasted.points, 127);
  EXPECT_EQ(pasted.cases, 117);
  EXPECT_EQ(r.chosen, 55);  // a peeled box a little denser still (118 of 128) than the pasted one
  expect_recounts(r, s.x, s.interest, three_numeric);

  // without pasting: the same peels, nothing after them
  PrimOptions o;
  o.paste = false;
  const PrimResult unpasted = prim(s.x, s.interest, three_numeric, o);
  EXPECT_FALSE(unpasted.pasted);
  ASSERT_EQ(unpasted.trajectory.size(), r.trajectory.size() - 1);
  EXPECT_EQ(unpasted.trajectory.back().points, peeled.points);
  EXPECT_EQ(unpasted.trajectory.back().lo, peeled.lo);
}

TEST(PrimUniform, MinMassBoundsEveryBox) {
  const Sample s = uniform_box(2000, 20240501);
  PrimOptions o;
  o.min_mass = 0.3;
  const PrimResult r = prim(s.x, s.interest, three_numeric, o);
  for (const PrimBox& box : r.trajectory) EXPECT_GE(box.mass, 0.3);
  // the rule's box holds 12% of the points: peeling stops at a box still impure
  const PrimBox& last = r.trajectory[static_cast<std::size_t>(r.peels)];
  EXPECT_LT(last.density, 1.0);
  EXPECT_LT(last.mass * (1 - o.peel_alpha), 0.3);  // one more peel would have gone below
}

// ---------------------------------------------------------------- categorical

// interest = (level == 2) && x1 > 0.5 with a 3-level input: the box keeps level 2 only
TEST(PrimCategorical, KeepsTheLevelOfInterest) {
  std::mt19937_64 g(99);
  Points x;
  std::vector<char> interest;
  for (int i = 0; i < 1500; ++i) {
    const double x1 = uniform01(g);
    const double level = std::floor(3 * uniform01(g));
    x.push_back({x1, level});
    interest.push_back(level == 2 && x1 > 0.5);
  }
  const std::vector<PrimInput> inputs{{"x1"}, {"c", true, 3}};
  const PrimResult r = prim(x, interest, inputs);
  const PrimBox& box = r.trajectory[static_cast<std::size_t>(r.chosen)];
  EXPECT_EQ(box.levels[1], std::vector<int>{2});
  EXPECT_EQ(box.lo[1], 2);
  EXPECT_EQ(box.hi[1], 2);
  EXPECT_TRUE(box.levels[0].empty());
  EXPECT_NEAR(box.lo[0], 0.5, 0.05);
  EXPECT_GT(box.density, 0.9);
  EXPECT_GT(box.coverage, 0.8);
  EXPECT_EQ(box.restricted, (std::vector<int>{0, 1}));
  // box 0 keeps every level
  EXPECT_EQ(r.trajectory[0].levels[1], (std::vector<int>{0, 1, 2}));
  // one level goes per categorical peel
  for (int b = 1; b <= r.peels; ++b)
    EXPECT_GE(r.trajectory[static_cast<std::size_t>(b)].levels[1].size() + 1,
              r.trajectory[static_cast<std::size_t>(b - 1)].levels[1].size());
  expect_recounts(r, x, interest, inputs);
}

// ---------------------------------------------------------------- determinism, input

void expect_same(const PrimResult& a, const PrimResult& b) {
  ASSERT_EQ(a.trajectory.size(), b.trajectory.size());
  EXPECT_EQ(a.chosen, b.chosen);
  EXPECT_EQ(a.peels, b.peels);
  EXPECT_EQ(a.pasted, b.pasted);
  EXPECT_EQ(a.points, b.points);
  EXPECT_EQ(a.cases, b.cases);
  for (std::size_t i = 0; i < a.trajectory.size(); ++i) {
    const PrimBox &p = a.trajectory[i], &q = b.trajectory[i];
    EXPECT_EQ(p.lo, q.lo) << "box " << i;
    EXPECT_EQ(p.hi, q.hi) << "box " << i;
    EXPECT_EQ(p.levels, q.levels) << "box " << i;
    EXPECT_EQ(p.points, q.points) << "box " << i;
    EXPECT_EQ(p.cases, q.cases) << "box " << i;
    EXPECT_EQ(p.density, q.density) << "box " << i;
    EXPECT_EQ(p.coverage, q.coverage) << "box " << i;
    EXPECT_EQ(p.mass, q.mass) << "box " << i;
    EXPECT_EQ(p.restricted, q.restricted) << "box " << i;
  }
}

TEST(PrimDeterminism, SameInputSameTrajectory) {
  const Sample s = uniform_box(2000, 3, 0.1);
  const PrimResult a = prim(s.x, s.interest, three_numeric);
  const PrimResult b = prim(s.x, s.interest, three_numeric);
  ASSERT_GT(a.trajectory.size(), 10u);
  expect_same(a, b);
}

// a point with a NaN input (a failed run) changes nothing
TEST(PrimInput, PointsWithNaNAreLeftOut) {
  const Sample s = uniform_box(500, 11);
  Sample with_nan = s;
  with_nan.x.insert(with_nan.x.begin() + 17, {nan, 0.1, 0.5});
  with_nan.interest.insert(with_nan.interest.begin() + 17, 1);
  with_nan.x.push_back({0.9, 0.2, nan});
  with_nan.interest.push_back(1);
  const PrimResult a = prim(s.x, s.interest, three_numeric);
  const PrimResult b = prim(with_nan.x, with_nan.interest, three_numeric);
  EXPECT_EQ(b.points, 500);
  expect_same(a, b);
  expect_recounts(b, with_nan.x, with_nan.interest, three_numeric);
}

TEST(PrimInput, BadInputThrows) {
  const Points x{{0.1, 0}, {0.5, 1}, {0.9, 2}};
  const std::vector<char> interest{0, 1, 1};
  const std::vector<PrimInput> inputs{{"x1"}, {"c", true, 3}};
  EXPECT_NO_THROW(prim(x, interest, inputs));

  EXPECT_THROW(prim(x, {0, 1}, inputs), std::invalid_argument);                        // sizes differ
  EXPECT_THROW(prim({{0.1, 0}, {0.5}, {0.9, 2}}, interest, inputs), std::invalid_argument);  // a short row
  EXPECT_THROW(prim({}, {}, inputs), std::invalid_argument);                           // no points
  EXPECT_THROW(prim({{nan, 0}, {0.5, nan}}, {1, 1}, inputs), std::invalid_argument);   // none without NaN
  EXPECT_THROW(prim(x, {0, 0, 0}, inputs), std::invalid_argument);                     // no case of interest
  EXPECT_THROW(prim(x, {0, 2, 1}, inputs), std::invalid_argument);                     // a flag not 0/1
  EXPECT_THROW(prim(x, interest, {}), std::invalid_argument);                          // no inputs
  EXPECT_THROW(prim({{0.1, 3}, {0.5, 1}, {0.9, 2}}, interest, inputs), std::invalid_argument);  // level 3 of 3
  EXPECT_THROW(prim({{0.1, 0.5}, {0.5, 1}, {0.9, 2}}, interest, inputs), std::invalid_argument);  // not a level
  EXPECT_THROW(prim(x, interest, {{"x1"}, {"c", true, 0}}), std::invalid_argument);    // no levels

  for (const double alpha : {0.0, -0.1, 0.5, 0.7, nan}) {
    PrimOptions peel;
    peel.peel_alpha = alpha;
    EXPECT_THROW(prim(x, interest, inputs, peel), std::invalid_argument) << alpha;
    PrimOptions paste;
    paste.paste_alpha = alpha;
    EXPECT_THROW(prim(x, interest, inputs, paste), std::invalid_argument) << alpha;
  }
  for (const double mass : {0.0, -0.5, 1.01, nan}) {
    PrimOptions o;
    o.min_mass = mass;
    EXPECT_THROW(prim(x, interest, inputs, o), std::invalid_argument) << mass;
  }
  PrimOptions whole;
  whole.min_mass = 1.0;  // allowed: only box 0
  EXPECT_EQ(prim(x, interest, inputs, whole).trajectory.size(), 1u);

  // the message names the problem
  try {
    prim(x, {0, 0, 0}, inputs);
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("no case of interest"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lokalmat
