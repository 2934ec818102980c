// Local supply routes (ODD §7.34, sim/world.cpp and cap_at_processor in sim/phases/offers.cpp):
// a category bought as harvested, through a processor (grain milled into flour) or not locally
// at all (bread), on the tiny hand-built world (one platform; farm i's one channel is channel i).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>

#include "sim/model.h"
#include "sim/scenario.h"
#include "sim/world.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;
using test::World;

// the 1-based line of the first occurrence of `needle` in `text`
int line_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  return at == std::string::npos ? 0 : 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

std::size_t index_of(const World& w, const char* name) {
  return static_cast<std::size_t>(test::category_index(w.p, name));
}

// the built-in routes: grain through a mill, milk through a farm dairy and meat through a small
// slaughterhouse, bread not bought locally, the rest as harvested
TEST(LocalRoute, BuiltInRoutesAreFlourThroughAMillAndNoLocalBread) {
  const World w = make_world();
  for (const CategoryParams& cat : w.p.categories) {
    SCOPED_TRACE(cat.name);
    const bool processed = cat.name == "grain_flour" || cat.name == "dairy" || cat.name == "meat";
    const LocalRoute expected = processed                    ? LocalRoute::processor
                                : cat.name == "bread_bakery" ? LocalRoute::none
                                                             : LocalRoute::farm;
    EXPECT_EQ(cat.local_route, expected);
    EXPECT_EQ(bought_locally(cat), expected != LocalRoute::none);
  }
}

// Flour from a farm's grain: 10 daa x 450 kg of grain x 0.8 = 3,600 kg of flour a season. The
// kitchens' price per kg of flour is the farm-gate price of the 1.25 kg of grain in it, NOK 4.0 x
// 1.25 (margin) / 0.8 = 6.25, plus NOK 8 of milling = 14.25; the farm keeps 6.25 of it, which
// is its grain price per kg of grain (5.0) per kg of flour. Its other markets pay 4.8 / 0.8 = 6.0
// for the grain in a kg of flour. A category bought as harvested is unchanged by any of this.
TEST(LocalRoute, FlourIsTheFarmsGrainPriceThroughTheMillsYieldPlusMilling) {
  const World w = make_world();
  const CategoryParams& flour = w.p.categories[index_of(w, "grain_flour")];
  const ProducerParams& farm = w.p.producers[0];
  ASSERT_FALSE(farm.organic);
  ASSERT_DOUBLE_EQ(farm.margin, 0.25);
  EXPECT_DOUBLE_EQ(season_product_kg(flour, 10.0), 3600.0);
  EXPECT_DOUBLE_EQ(farm_unit_price_nok(flour, farm, w.p.behaviour), 14.25);
  EXPECT_DOUBLE_EQ(farm_share_of_price_nok(flour, 14.25, 1.0), 6.25);
  EXPECT_DOUBLE_EQ(farm_share_of_price_nok(flour, 14.25 * 1.1, 1.1), 6.25 * 1.1);  // milling is indexed too
  EXPECT_DOUBLE_EQ(outside_value_nok_per_kg(flour), 6.0);
  const CategoryParams& veg = w.p.categories[w.veg];
  EXPECT_DOUBLE_EQ(season_product_kg(veg, 2.0), 2.0 * veg.yield_kg_per_daa);
  EXPECT_DOUBLE_EQ(farm_unit_price_nok(veg, farm, w.p.behaviour), veg.farm_cost_nok_per_kg * 1.25);
  EXPECT_DOUBLE_EQ(farm_share_of_price_nok(veg, 40.0, 1.3), 40.0);
  EXPECT_DOUBLE_EQ(outside_value_nok_per_kg(veg), veg.outside_price_nok_per_kg);
}

// bread is not bought locally: a farm that has some offers none of it, while it offers its
// vegetables as before
TEST(LocalRoute, NothingIsOfferedOfACategoryNotBoughtLocally) {
  World w = make_world();
  const std::size_t bread = index_of(w, "bread_bakery");
  test::set_offer(w, 0, bread, 100, 1.0, 40.0);
  test::set_offer(w, 0, w.veg, 100, 1.0, 25.0);
  post_offers(w.p, w.s);
  EXPECT_EQ(w.s.channels.offer_kg[0 * w.C + bread], 0.0);
  EXPECT_EQ(w.s.markets.offered_kg[0 * w.C + bread], 0.0);
  EXPECT_EQ(w.s.channels.offer_kg[0 * w.C + w.veg], 100.0);
}

// The mill makes at most its weekly capacity for the market: farms offering 200 + 100 kg of
// flour against 100 kg of capacity offer a third each (66.7 + 33.3 kg); under the capacity
// nothing is cut.
TEST(LocalRoute, TheMillsWeeklyCapacityCutsTheFarmsOffersProRata) {
  World w = make_world();
  const std::size_t flour = index_of(w, "grain_flour");
  ASSERT_DOUBLE_EQ(w.p.categories[flour].processing_capacity_kg_per_week, 100.0);
  test::set_offer(w, 0, flour, 200, 1.0, 14.0);
  test::set_offer(w, 1, flour, 100, 1.0, 15.0);
  post_offers(w.p, w.s);
  EXPECT_DOUBLE_EQ(w.s.channels.offer_kg[0 * w.C + flour], 200.0 / 3.0);
  EXPECT_DOUBLE_EQ(w.s.channels.offer_kg[1 * w.C + flour], 100.0 / 3.0);
  EXPECT_DOUBLE_EQ(w.s.markets.offered_kg[0 * w.C + flour], 100.0);
  EXPECT_DOUBLE_EQ(w.s.markets.offered_price[0 * w.C + flour], (200.0 * 14.0 + 100.0 * 15.0) / 300.0);
  test::set_offer(w, 0, flour, 60, 1.0, 14.0);
  test::set_offer(w, 1, flour, 30, 1.0, 15.0);
  post_offers(w.p, w.s);
  EXPECT_DOUBLE_EQ(w.s.markets.offered_kg[0 * w.C + flour], 90.0);
}

// a route that is not one of the three is refused at its line, with the nearest name; a yield of
// 0 with the allowed range
TEST(LocalRoute, AnUnknownRouteOrAYieldOfZeroIsRefusedAtItsLine) {
  const std::string extra = "\n[categories.grain_flour]\nlocal_route = \"procesor\"\n";
  const std::string text = test::tiny_world_toml(2, extra);
  const std::string line = std::to_string(line_of(text, "local_route = \"procesor\""));
  EXPECT_EQ(test::error_of([&] { load_scenario_text(text, "tiny.toml"); }),
            "tiny.toml:" + line + ": key 'categories.grain_flour.local_route': unknown local route 'procesor'; "
            "did you mean 'processor'? (local routes: farm, processor, none)");
  const std::string zero = test::tiny_world_toml(2, "\n[categories.grain_flour]\nprocessing_yield = 0.0\n");
  EXPECT_EQ(test::error_of([&] { load_scenario_text(zero, "tiny.toml"); }),
            "tiny.toml:" + std::to_string(line_of(zero, "processing_yield = 0.0")) +
                ": key 'categories.grain_flour.processing_yield': 0 is out of range; allowed 0.01 to 10 (kg per kg)");
}

}  // namespace
}  // namespace lokalmat
