// A farm's decision inputs (sim/farm.h): the active neighbours a farm counts at the yearly
// review come from a grid of cells, and must be the count of a pass over every farm, for any
// radius: none, less than a cell, many cells, the whole municipality.
#include <gtest/gtest.h>

#include <string>

#include "sim/farm.h"
#include "sim/rng.h"
#include "sim/world.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using namespace test;

int neighbours_by_scan(const Params& p, const State& s, std::size_t m, std::size_t i) {
  int n = 0;
  for (std::uint32_t j : s.producers_of_municipality[m])
    if (j != i && s.producers.status[j] == FarmStatus::active &&
        road_km(p.behaviour, p.producers[i].position, p.producers[j].position) <= p.behaviour.neighbour_radius_km)
      ++n;
  return n;
}

// 400 more farms spread over the municipality, plus 30 sharing one yard
constexpr std::string_view kManyFarms = R"(
[producers.many]
name = "Many farm"
municipality = "m"
count = 400
[producers.many.area_daa]
fresh_vegetables = 2.0

[producers.yard]
name = "Yard farm"
municipality = "m"
count = 30
position_km = [1.5, -2.0]
[producers.yard.area_daa]
fresh_vegetables = 2.0
)";

TEST(Farm, ActiveNeighboursFromTheGridEqualAPassOverEveryFarm) {
  for (const char* radius : {"0.0", "0.4", "3.0", "25.0", "1000.0"}) {
    World w = make_world(2, kManyFarms, {{"behaviour.neighbour_radius_km", radius}});
    // every third farm or so active, drawn reproducibly
    Rng rng(7, Stream::placement, 0, 0);
    for (auto& st : w.s.producers.status) st = rng.uniform() < 0.35 ? FarmStatus::active : FarmStatus::unaware;
    const ActiveFarmGrid grid(w.p, w.s);
    int total = 0;
    for (std::size_t i = 0; i < w.p.producers.size(); ++i) {
      const auto m = static_cast<std::size_t>(w.p.producers[i].municipality);
      const int expected = neighbours_by_scan(w.p, w.s, m, i);
      ASSERT_EQ(grid.neighbours(w.p, m, i), expected) << "farm " << i << ", radius " << radius << " km";
      total += expected;
    }
    // the test sees neighbours at all (a radius of 0 km: only the farms sharing the yard)
    EXPECT_GT(total, 0) << "radius " << radius;
  }
}

// the count per market a farm's entry decision shares the unmet demand with
TEST(Farm, ActiveFarmsPerMarketCountsEachMarketsActiveChannels) {
  World w = make_world(2, kManyFarms);
  for (std::size_t i = 0; i < w.s.producers.status.size(); ++i)
    w.s.producers.status[i] = i % 3 == 0 ? FarmStatus::active : FarmStatus::aware;
  const auto active = active_farms_per_market(w.s);
  ASSERT_EQ(active.size(), w.s.markets.channels.size());
  double expected = 0;
  for (std::uint32_t k : w.s.markets.channels[0]) expected += w.s.channels.producer[k] % 3 == 0 ? 1.0 : 0.0;
  EXPECT_EQ(active[0], expected);
  EXPECT_GT(active[0], 100.0);
}

}  // namespace
}  // namespace lokalmat
