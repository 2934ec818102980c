#pragma once
// Helpers shared by the tests of the contract rules of MODEL.md §4 (tests/sim/rules: lots,
// simple competition, dynamic purchasing), on the tiny hand-built world of sim_test_support.h.
//
// The contract world: the two farms of the tiny world (farm_a 3 km east of the hub, farm_b 4 km
// north) and its two kindergartens, enlarged to 500 and 300 children so that a lot is worth
// bidding for. The hub gets a courier with ample capacity, so that handling never rations and
// every shortfall comes from the rule under test. Transport emission factors are set explicitly
// (van 0.5, truck 0.1 kg CO2e per tonne-km for fresh vegetables) so that the environment score
// does not depend on defaults.
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/params.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat::test {

inline constexpr std::size_t kFarmA = 0, kFarmB = 1;  // producer ids = channel ids (one hub)
inline constexpr double kVan = 0.5, kTruck = 0.1;     // kg CO2e per tonne-km, fresh vegetables

// the contract world under `rules`, with fresh vegetables as the only covered category; `edit`
// changes its Params last, `extra` is more TOML
template <class Edit>
World make_contract_world(std::vector<Rule> rules, Edit edit, std::string_view extra = "") {
  return make_world(2, extra, {}, [&](Params& p) {
    const auto veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
    MunicipalityParams& m = p.municipalities[0];
    m.rules = std::move(rules);
    m.exception_categories = {static_cast<int>(veg)};
    m.centre = {0.0, 0.0};  // the hub sits in the centre: the last leg hub -> centre is 0 km
    m.hub.courier_kg_per_week = 1e7;
    p.categories[veg].co2e_van_kg_per_tkm = kVan;
    p.categories[veg].co2e_truck_kg_per_tkm = kTruck;
    p.buyers[0].eaters = 500;
    p.buyers[1].eaters = 300;
    for (ProducerParams& f : p.producers) f.organic = false;
    edit(p);
  });
}

// the contract slot of market h (or channel k), category c and season (0 out of, 1 in season)
std::size_t slot(std::size_t h_or_k, std::size_t C, std::size_t c, int season);

// MODEL.md §4 lots: a lot's volume is what the covered units buy of the category in its season
// (their demand incl. waste, over the season's weeks the units are open), kg
double season_volume_kg(const Params& p, std::size_t c, int season);

// a farm's bid price without noise: cost x (1 + margin), x (1 + organic premium) if organic, NOK/kg
double bid_price(const Params& p, std::size_t i, std::size_t c);

}  // namespace lokalmat::test
