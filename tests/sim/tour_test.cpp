// The nearest-neighbour tour (sim/tour.cpp): large tours search a grid, and must give the
// plain scan's answer bit for bit, whatever the layout: ties, repeated positions, lines,
// clusters far apart, a start outside the stops.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/rng.h"
#include "sim/world.h"

namespace lokalmat {
namespace {

// the definition: from the start always to the nearest stop left (ties to the one listed first)
double reference_tour_km(const BehaviourParams& b, Point start, std::vector<Point> stops) {
  double km = 0;
  Point at = start;
  while (!stops.empty()) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < stops.size(); ++i)
      if (road_km(b, at, stops[i]) < road_km(b, at, stops[best])) best = i;
    km += road_km(b, at, stops[best]);
    at = stops[best];
    stops.erase(stops.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return km + road_km(b, at, start);
}

BehaviourParams behaviour(double road_factor) {
  BehaviourParams b{};
  b.road_factor = road_factor;
  return b;
}

std::vector<Point> scattered(std::uint64_t seed, int n, double width_km, double height_km) {
  Rng rng(seed, Stream::placement, 0, 0);
  std::vector<Point> v;
  for (int i = 0; i < n; ++i) v.push_back({width_km * rng.uniform(), height_km * rng.uniform()});
  return v;
}

TEST(Tour, LargeScatteredTourEqualsTheScanBitForBit) {
  const BehaviourParams b = behaviour(1.3);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto stops = scattered(seed, 700, 40.0, 25.0);
    EXPECT_EQ(tour_km(b, {20, 12}, stops), reference_tour_km(b, {20, 12}, stops)) << "seed " << seed;
  }
}

// a lattice is full of exact ties: the stop listed first must win each of them
TEST(Tour, LatticeTiesGoToTheStopListedFirst) {
  const BehaviourParams b = behaviour(1.0);
  std::vector<Point> stops;
  for (int y = 0; y < 20; ++y)
    for (int x = 0; x < 20; ++x) stops.push_back({static_cast<double>((x * 7) % 20), static_cast<double>(y)});
  EXPECT_EQ(tour_km(b, {9.5, 9.5}, stops), reference_tour_km(b, {9.5, 9.5}, stops));
  EXPECT_EQ(tour_km(b, {0, 0}, stops), reference_tour_km(b, {0, 0}, stops));
}

// many farms at one yard, some on a line, two clusters far apart, the start far outside
TEST(Tour, RepeatedPositionsLinesAndClustersEqualTheScan) {
  const BehaviourParams b = behaviour(1.7);
  std::vector<Point> stops;
  for (int i = 0; i < 120; ++i) stops.push_back({3.0, 4.0});
  for (int i = 0; i < 150; ++i) stops.push_back({0.25 * i, 0.0});
  const auto east = scattered(11, 200, 2.0, 2.0);
  for (const Point& q : east) stops.push_back({q.x_km + 500.0, q.y_km - 300.0});
  for (int i = 0; i < 60; ++i) stops.push_back(stops[static_cast<std::size_t>(i * 5)]);  // repeats listed later
  EXPECT_EQ(tour_km(b, {-1000, 800}, stops), reference_tour_km(b, {-1000, 800}, stops));
  EXPECT_EQ(tour_km(b, {3, 4}, stops), reference_tour_km(b, {3, 4}, stops));
}

TEST(Tour, SmallToursAndTheEmptyTour) {
  const BehaviourParams b = behaviour(1.3);
  EXPECT_EQ(tour_km(b, {1, 1}, {}), 0.0);
  EXPECT_DOUBLE_EQ(tour_km(b, {0, 0}, {{3, 4}}), 2 * 1.3 * 5.0);
  const auto stops = scattered(3, 20, 10.0, 10.0);
  EXPECT_EQ(tour_km(b, {5, 5}, stops), reference_tour_km(b, {5, 5}, stops));
}

}  // namespace
}  // namespace lokalmat
