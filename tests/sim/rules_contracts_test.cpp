// The contract rules of MODEL.md §4 — lots (award by most economically advantageous tender, group
// bids, bid cost, holders' offers and penalties, void contracts), simple competition (cheapest first,
// uniform price, yearly value limit) and the dynamic purchasing system (call-off lead time, price
// ranking, qualification any week) — on the tiny hand-built world of tests/support, driven phase by
// phase with exact expectations. Inputs other phases would produce (offers, orders, unmet demand)
// are set in the State directly, so each expectation follows from the rule under test alone.
//
// The worlds: the two farms of the tiny world (farm_a 3 km east of the hub, farm_b 4 km north) and
// its two kindergartens, enlarged to 500 and 300 children so that a lot is worth bidding for. The
// hub gets a courier with ample capacity, so that handling never rations and every shortfall comes
// from the rule under test. Transport emission factors are set explicitly (van 0.5, truck 0.1 kg
// CO2e per tonne-km for fresh vegetables) so that the environment score does not depend on defaults.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "sim/model.h"
#include "sim/scenario.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::category_index;
using test::tiny_world_toml;

using test::World;

constexpr std::size_t kFarmA = 0, kFarmB = 1;  // producer ids = channel ids (one hub)
constexpr double kVan = 0.5, kTruck = 0.1;     // kg CO2e per tonne-km, fresh vegetables

// the tiny world under `rules`, with fresh vegetables as the only covered category
template <class Edit>
World make_world(std::vector<Rule> rules, Edit edit, std::string_view extra = "") {
  return test::make_world(2, extra, {}, [&](Params& p) {
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

std::size_t slot(std::size_t h_or_k, std::size_t C, std::size_t c, int season) {
  return (h_or_k * C + c) * 2 + static_cast<std::size_t>(season);
}

// MODEL.md §4 lots: a lot's volume is what the covered units buy of the category in its season
// (their demand incl. waste, over the season's weeks the units are open)
double season_volume_kg(const Params& p, std::size_t c, int season) {
  double kg = 0;
  for (const BuyerParams& b : p.buyers) {
    const BuyerTypeParams& tp = p.buyer_types[static_cast<std::size_t>(b.type)];
    double intake = 0;
    for (double d : tp.demand_kg_per_eater_day) intake += d;
    const double waste_factor = 1.0 + tp.waste_g_per_eater_day / 1000.0 / intake;
    for (int wk = 1; wk <= kWeeksPerYear; ++wk) {
      const int s = p.categories[c].harvest_weight[static_cast<std::size_t>(wk - 1)] > 0 ? 1 : 0;
      if (s != season || std::count(tp.closed_weeks.begin(), tp.closed_weeks.end(), wk)) continue;
      kg += b.eaters * tp.service_days_per_week * tp.demand_kg_per_eater_day[c] * waste_factor;
    }
  }
  return kg;
}

// a farm's bid price without noise: cost x (1 + margin), x (1 + organic premium) if organic
double bid_price(const Params& p, std::size_t i, std::size_t c) {
  const ProducerParams& f = p.producers[i];
  return p.categories[c].farm_cost_nok_per_kg * (1.0 + f.margin) *
         (f.organic ? 1.0 + p.behaviour.organic_price_premium : 1.0);
}

// MEAT score of MODEL.md §4: w_price x min_price/price + w_quality x organic
//                            + w_env x (0.5 x min_co2/co2 + 0.5 x seasonality)
struct Tender {
  double price, organic, co2, seasonality;
};
double score(const ProcurementParams& pr, const Tender& t, double min_price, double min_co2) {
  return pr.weight_price * min_price / t.price + pr.weight_quality * t.organic +
         pr.weight_environment * (0.5 * min_co2 / t.co2 + 0.5 * t.seasonality);
}
Tender wholesaler_tender(const Params& p, std::size_t c, int season) {
  const CategoryParams& cat = p.categories[c];
  return {cat.wholesale_price_nok_per_kg, cat.wholesaler_organic_share,
          (cat.upstream_km + p.wholesaler.warehouse_distance_km) * cat.co2e_truck_kg_per_tkm / 1000.0,
          season == 1 ? cat.wholesaler_norwegian_share_in_season : cat.wholesaler_norwegian_share};
}
Tender farm_tender(const Params& p, std::size_t i, std::size_t c) {
  // farm -> hub by van (the hub is the centre), in season
  const double km = road_km(p.behaviour, p.producers[i].position, Point{0, 0});
  return {bid_price(p, i, c), p.producers[i].organic ? 1.0 : 0.0, km * p.categories[c].co2e_van_kg_per_tkm / 1000.0,
          1.0};
}

// run the tender of a framework renewal (phase 1 in a week the agreement is re-tendered)
void tender(World& w) {
  w.s.tender_week = 1;
  update_policy(w.p, w.s);
  w.s.tender_week = 0;
}

// ---------------------------------------------------------------- lots: the award

// A local organic farm 3 km from the hub bids 32.5 NOK/kg (20 x 1.25 x 1.3) for the in-season
// vegetable lot against the wholesaler's 32 NOK/kg. With the default weights (0.5 / 0.2 / 0.3) it
// loses a little on price but wins on quality (organic 1 vs 0.03) and environment (3.9 road km by
// van vs 900 km by truck, in season 1 vs Norwegian share 0.5): it wins at its own bid price.
TEST(Contracts, LocalOrganicFarmBeatsWholesalerOnEnvironmentAndQuality) {
  World w = make_world({Rule::framework_exception, Rule::lots}, [](Params& p) {
    const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
    p.producers[kFarmA].organic = true;
    p.producers[kFarmA].area_daa[veg] = 2.0;  // 5,000 kg a season: covers the lot alone
    p.producers[kFarmB].area_daa[veg] = 0.0;  // no vegetables: no bid
  });
  const std::size_t C = w.C, veg = w.veg;
  const double volume = season_volume_kg(w.p, veg, 1);
  ASSERT_GE(2.0 * 2500.0, w.p.procurement.lot_min_coverage * volume) << "volume " << volume;

  const Tender farm = farm_tender(w.p, kFarmA, veg), wh = wholesaler_tender(w.p, veg, 1);
  ASSERT_DOUBLE_EQ(farm.price, 32.5);
  ASSERT_GT(farm.price, wh.price);  // the farm is dearer
  const double min_price = std::min(farm.price, wh.price), min_co2 = std::min(farm.co2, wh.co2);
  const double s_farm = score(w.p.procurement, farm, min_price, min_co2);
  const double s_wh = score(w.p.procurement, wh, min_price, min_co2);
  ASSERT_GT(s_farm, s_wh);  // 0.5 x 32/32.5 + 0.2 + 0.3 x 1 = 0.992 vs 0.5 + 0.006 + 0.3 x (0.5 x 0.022 + 0.25)

  tender(w);
  // in season: the farm holds the lot at its bid price (price index 1 at the award)
  EXPECT_EQ(w.s.hubs.contract_kind[slot(0, C, veg, 1)], ContractKind::lot);
  EXPECT_DOUBLE_EQ(w.s.hubs.contract_price[slot(0, C, veg, 1)], 32.5);
  EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, C, veg, 1)], 1);
  EXPECT_EQ(w.s.channels.contracted[slot(kFarmB, C, veg, 1)], 0);
  // out of season a vegetable farm has nothing to offer: the wholesaler keeps that lot
  EXPECT_EQ(w.s.hubs.contract_kind[slot(0, C, veg, 0)], ContractKind::none);
  EXPECT_EQ(w.s.hubs.contract_price[slot(0, C, veg, 0)], 0.0);
  // categories outside the exception are not tendered as lots
  EXPECT_EQ(w.s.hubs.contract_kind[slot(0, C, w.eggs, 1)], ContractKind::none);
  EXPECT_EQ(w.s.hubs.tender_hours[0], w.p.procurement.competition_admin_hours);
}

// A farm 30% dearer than the list (margin 0.6: 20 x 1.6 x 1.3 = 41.6 NOK/kg) still wins at the
// default weights; with the price weight at 0.9 (quality and environment 0.05 each) the wholesaler's
// price advantage outweighs the rest and the lot stays with it (no contract).
TEST(Contracts, HighPriceWeightLetsTheWholesalerWin) {
  auto edit = [](double wp, double wq, double we) {
    return [=](Params& p) {
      const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
      p.producers[kFarmA].organic = true;
      p.producers[kFarmA].margin = 0.6;
      p.producers[kFarmA].area_daa[veg] = 2.0;
      p.producers[kFarmB].area_daa[veg] = 0.0;
      p.procurement.weight_price = wp;
      p.procurement.weight_quality = wq;
      p.procurement.weight_environment = we;
    };
  };
  for (const auto& [wp, wq, we, farm_wins] :
       std::vector<std::tuple<double, double, double, bool>>{{0.5, 0.2, 0.3, true}, {0.9, 0.05, 0.05, false}}) {
    World w = make_world({Rule::framework_exception, Rule::lots}, edit(wp, wq, we));
    const std::size_t C = w.C, veg = w.veg;
    const Tender farm = farm_tender(w.p, kFarmA, veg), wh = wholesaler_tender(w.p, veg, 1);
    ASSERT_DOUBLE_EQ(farm.price, 41.6);
    const double min_price = std::min(farm.price, wh.price), min_co2 = std::min(farm.co2, wh.co2);
    const double s_farm = score(w.p.procurement, farm, min_price, min_co2);
    const double s_wh = score(w.p.procurement, wh, min_price, min_co2);
    ASSERT_EQ(s_farm > s_wh, farm_wins) << "weights " << wp << " " << wq << " " << we << ": farm " << s_farm
                                        << " wholesaler " << s_wh;
    tender(w);
    EXPECT_EQ(w.s.hubs.contract_kind[slot(0, C, veg, 1)], farm_wins ? ContractKind::lot : ContractKind::none) << "price weight " << wp;
    EXPECT_DOUBLE_EQ(w.s.hubs.contract_price[slot(0, C, veg, 1)], farm_wins ? 41.6 : 0.0) << "price weight " << wp;
    EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, C, veg, 1)], farm_wins ? 1 : 0) << "price weight " << wp;
  }
}

// Two farms of 60% of the lot each cannot bid alone (a bid must cover lot_min_coverage = 80%); with
// group bids allowed they bid together (120%) at their capacity-weighted price and win, both
// holding the contract; without group bids the lot stays with the wholesaler.
TEST(Contracts, GroupBidWinsWhereNeitherFarmIsLargeEnoughAlone) {
  for (bool group_bids : {true, false}) {
    double volume = 0;
    World w = make_world({Rule::framework_exception, Rule::lots}, [&](Params& p) {
      const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
      p.buyers[0].eaters = 500;
      p.buyers[1].eaters = 300;
      volume = season_volume_kg(p, veg, 1);
      p.producers[kFarmA].organic = true;     // 32.5 NOK/kg
      p.producers[kFarmB].organic = false;    // 25 NOK/kg
      p.producers[kFarmA].area_daa[veg] = 0.6 * volume / 2500.0;
      p.producers[kFarmB].area_daa[veg] = 0.6 * volume / 2500.0;
      p.procurement.group_bids = group_bids;
    });
    const std::size_t C = w.C, veg = w.veg;
    ASSERT_LT(0.6, w.p.procurement.lot_min_coverage);
    tender(w);
    const double cap = w.s.producers.area_daa[kFarmA * C + veg] * 2500.0;
    if (group_bids) {
      // the group's price is the capacity-weighted mean of its members' bids: (32.5 + 25) / 2
      const double group_price = (32.5 * cap + 25.0 * cap) / (2 * cap);
      EXPECT_EQ(w.s.hubs.contract_kind[slot(0, C, veg, 1)], ContractKind::lot);
      EXPECT_DOUBLE_EQ(w.s.hubs.contract_price[slot(0, C, veg, 1)], group_price);
      EXPECT_DOUBLE_EQ(group_price, 28.75);
      EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, C, veg, 1)], 1);
      EXPECT_EQ(w.s.channels.contracted[slot(kFarmB, C, veg, 1)], 1);
    } else {
      EXPECT_EQ(w.s.hubs.contract_kind[slot(0, C, veg, 1)], ContractKind::none);
      EXPECT_EQ(w.s.hubs.contract_price[slot(0, C, veg, 1)], 0.0);
      EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, C, veg, 1)], 0);
      EXPECT_EQ(w.s.channels.contracted[slot(kFarmB, C, veg, 1)], 0);
    }
  }
}

// A farm bids only when its expected contract value — min(capacity, volume) x (bid price - outside
// price) — beats its bid cost (bid_cost_hours x farmer_hour_value_nok). With the bid cost 1% above
// that value it does not bid and the wholesaler keeps the lot; 1% below, it bids and wins.
TEST(Contracts, FarmBidsOnlyWhenExpectedValueBeatsBidCost) {
  for (double cost_factor : {1.01, 0.99}) {
    World w = make_world({Rule::framework_exception, Rule::lots}, [&](Params& p) {
      const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
      p.producers[kFarmA].organic = true;
      p.producers[kFarmA].area_daa[veg] = 2.0;
      p.producers[kFarmB].area_daa[veg] = 0.0;
      const double volume = season_volume_kg(p, veg, 1);
      const double value = std::min(2.0 * 2500.0, volume) * (32.5 - p.categories[veg].outside_price_nok_per_kg);
      p.procurement.bid_cost_hours = cost_factor * value / p.behaviour.farmer_hour_value_nok;
    });
    tender(w);
    const bool bids = cost_factor < 1.0;
    EXPECT_EQ(w.s.hubs.contract_kind[slot(0, w.C, w.veg, 1)], bids ? ContractKind::lot : ContractKind::none) << "bid cost x " << cost_factor;
    EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, w.C, w.veg, 1)], bids ? 1 : 0) << "bid cost x " << cost_factor;
  }
}

// ---------------------------------------------------------------- lots: during the contract

World lot_world() {
  return make_world({Rule::framework_exception, Rule::lots}, [](Params& p) {
    const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
    p.producers[kFarmA].organic = true;
    p.producers[kFarmA].area_daa[veg] = 2.0;
    p.producers[kFarmB].area_daa[veg] = 0.0;
  });
}

// In season, only the holder offers (all it has, at the contract price x the price index); a
// non-holder with vegetables on hand offers none; a category without a contract is offered as
// usual. Covered units order their whole demand of the category.
TEST(Contracts, DuringALotOnlyHoldersOfferAtContractPriceAndUnitsOrderAllDemand) {
  World w = lot_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg, eggs = w.eggs;
  tender(w);
  ASSERT_EQ(s.hubs.contract_kind[slot(0, C, veg, 1)], ContractKind::lot);
  ASSERT_EQ(s.producers.status[kFarmB], FarmStatus::active);

  s.iso_week = 35;  // in season, kindergartens open
  s.week = 30;
  s.price_index = 1.1;
  s.producers.available_kg.assign(s.producers.available_kg.size(), 0.0);
  s.producers.available_kg[kFarmA * C + veg] = 400;
  s.producers.available_kg[kFarmB * C + veg] = 300;  // on hand, but no contract
  s.producers.available_kg[kFarmB * C + eggs] = 50;
  s.channels.offer_share[kFarmB * C + eggs] = 0.5;
  s.producers.asking_price[kFarmB * C + veg] = 20;
  s.producers.asking_price[kFarmB * C + eggs] = 40;
  post_offers(w.p, s);
  EXPECT_EQ(s.channels.offer_kg[kFarmA * C + veg], 400.0);  // all it has
  EXPECT_DOUBLE_EQ(s.channels.price[kFarmA * C + veg], 32.5 * 1.1);
  EXPECT_EQ(s.channels.offer_kg[kFarmB * C + veg], 0.0);
  EXPECT_EQ(s.channels.offer_kg[kFarmB * C + eggs], 25.0);
  EXPECT_EQ(s.channels.price[kFarmB * C + eggs], 40.0);
  EXPECT_EQ(s.hubs.offered_kg[veg], 400.0);
  EXPECT_DOUBLE_EQ(s.hubs.offered_price[veg], 32.5 * 1.1);

  form_orders(w.p, s);
  for (std::size_t b = 0; b < 2; ++b) {
    EXPECT_GT(s.buyers.demand_kg[b * C + veg], 0.0);
    EXPECT_EQ(s.buyers.local_order_kg[b * C + veg], s.buyers.demand_kg[b * C + veg]) << "buyer " << b;
    EXPECT_EQ(s.buyers.local_order_kg[b * C + eggs], 0.0) << "eggs are outside the exception";
  }
}

// The holder has 50 kg against the units' whole demand: the 50 kg are delivered at the contract
// price, the rest is bought from the wholesaler at short notice (list price x 1.15), and the holder
// pays penalty_nok_per_kg (x price index) on every kg short.
TEST(Contracts, HolderShortfallIsBoughtAtShortNoticeAndPenalised) {
  World w = lot_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  tender(w);
  s.iso_week = 35;
  s.week = 30;
  s.price_index = 1.1;
  s.producers.available_kg.assign(s.producers.available_kg.size(), 0.0);
  s.producers.available_kg[kFarmA * C + veg] = 50;
  post_offers(w.p, s);
  form_orders(w.p, s);
  clear_markets(w.p, s);
  settle_deliveries(w.p, s);

  const double ordered = s.buyers.local_order_kg[0 * C + veg] + s.buyers.local_order_kg[1 * C + veg];
  ASSERT_GT(ordered, 50.0);
  EXPECT_DOUBLE_EQ(s.channels.delivered_kg[kFarmA * C + veg], 50.0);
  const double wholesale = 32.0 * 1.1, sn = w.p.wholesaler.short_notice_premium;
  double local = 0;
  for (std::size_t b = 0; b < 2; ++b) {
    const std::size_t bc = b * C + veg;
    const double want = s.buyers.local_order_kg[bc];
    const double got = want * 50.0 / ordered;  // the holder's 50 kg shared in proportion to the orders
    EXPECT_NEAR(s.buyers.local_kg[bc], got, 1e-9) << "buyer " << b;
    EXPECT_NEAR(s.buyers.fallback_kg[bc], want - got, 1e-9) << "buyer " << b;
    EXPECT_NEAR(s.buyers.wholesale_nok[bc], (want - got) * wholesale * (1.0 + sn), 1e-6) << "buyer " << b;
    EXPECT_NEAR(s.buyers.local_nok[bc], got * (32.5 * 1.1 + w.p.municipalities[0].hub.fee_nok_per_kg), 1e-6);
    local += s.buyers.local_kg[bc];
  }
  EXPECT_NEAR(local, 50.0, 1e-9);
  const double penalty = (ordered - 50.0) * w.p.procurement.penalty_nok_per_kg * 1.1;
  EXPECT_NEAR(s.channels.penalty_nok[kFarmA], penalty, 1e-6);
  EXPECT_NEAR(s.hubs.penalty_nok[0], penalty, 1e-6);
  EXPECT_EQ(s.channels.penalty_nok[kFarmB], 0.0);
  EXPECT_NEAR(s.producers.season_income_nok[kFarmA], 50.0 * 32.5 * 1.1 - penalty, 1e-6);
}

// A group's penalty is shared by its holders in proportion to their offers; the contract stays in
// force while one holder remains, and is void (the wholesaler supplies again) when all have exited.
TEST(Contracts, GroupPenaltySharedByOffersAndContractVoidWhenAllHoldersExit) {
  World w = make_world({Rule::framework_exception, Rule::lots}, [](Params& p) {
    const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
    const double volume = season_volume_kg(p, veg, 1);
    p.producers[kFarmA].area_daa[veg] = 0.6 * volume / 2500.0;
    p.producers[kFarmB].area_daa[veg] = 0.6 * volume / 2500.0;
  });
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  tender(w);
  ASSERT_EQ(s.hubs.contract_kind[slot(0, C, veg, 1)], ContractKind::lot);
  ASSERT_EQ(s.channels.contracted[slot(kFarmA, C, veg, 1)], 1);
  ASSERT_EQ(s.channels.contracted[slot(kFarmB, C, veg, 1)], 1);

  // a week in season: farm_a offers 30 kg, farm_b 10 kg
  s.iso_week = 35;
  s.week = 30;
  s.producers.available_kg.assign(s.producers.available_kg.size(), 0.0);
  s.producers.available_kg[kFarmA * C + veg] = 30;
  s.producers.available_kg[kFarmB * C + veg] = 10;
  post_offers(w.p, s);
  form_orders(w.p, s);
  clear_markets(w.p, s);
  settle_deliveries(w.p, s);
  const double ordered = s.buyers.local_order_kg[0 * C + veg] + s.buyers.local_order_kg[1 * C + veg];
  const double penalty = (ordered - 40.0) * w.p.procurement.penalty_nok_per_kg;
  EXPECT_NEAR(s.channels.penalty_nok[kFarmA], 0.75 * penalty, 1e-6);
  EXPECT_NEAR(s.channels.penalty_nok[kFarmB], 0.25 * penalty, 1e-6);
  EXPECT_NEAR(s.hubs.penalty_nok[0], penalty, 1e-6);

  // at the yearly review farm_a leaves (a second season selling under 10% of its offers)
  auto leave = [&](std::size_t i) {
    for (std::size_t j = 0; j < 2; ++j) {
      s.producers.season_offered_kg[j] = 100;
      s.producers.season_sold_kg[j] = j == i ? 0.0 : 100.0;
      s.producers.low_seasons[j] = j == i ? 1 : 0;
    }
    s.iso_week = 1;
    s.week = 52;
    produce(w.p, s);
    ASSERT_EQ(s.producers.status[i], FarmStatus::exited);
    s.iso_week = 2;
    s.week = 53;
    update_policy(w.p, s);
  };
  leave(kFarmA);
  EXPECT_EQ(s.channels.contracted[slot(kFarmA, C, veg, 1)], 0);
  EXPECT_EQ(s.hubs.contract_kind[slot(0, C, veg, 1)], ContractKind::lot) << "farm_b still holds the contract";
  leave(kFarmB);
  EXPECT_EQ(s.hubs.contract_kind[slot(0, C, veg, 1)], ContractKind::none) << "void: all holders have exited";
  EXPECT_EQ(s.hubs.contract_price[slot(0, C, veg, 1)], 0.0);

  // with the contract void, the exited farms offer nothing and units order as under the exception
  s.iso_week = 35;
  s.week = 82;
  s.producers.available_kg[kFarmA * C + veg] = 30;
  post_offers(w.p, s);
  EXPECT_EQ(s.hubs.offered_kg[veg], 0.0);
  form_orders(w.p, s);
  for (std::size_t b = 0; b < 2; ++b) EXPECT_EQ(s.buyers.local_order_kg[b * C + veg], 0.0);
}

// ---------------------------------------------------------------- simple competition

constexpr const char* kFarmC = R"(
[producers.farm_c]
municipality = "m"
position_km = [2.0, 2.0]
reliability = 1.0
price_noise_sd = 0.0
[producers.farm_c.area_daa]
fresh_vegetables = 1.0
)";

// Three farms bid 28, 26 and 24 NOK/kg (farm_a, farm_b, farm_c: margins 0.4, 0.3, 0.2) with 50%,
// 60% and 50% of the volume. Cheapest first until the volume is covered: farm_c (50%) and farm_b
// (110%) are accepted, farm_a is not; all accepted farms are paid the highest accepted bid, 26 NOK/kg. The wholesaler does not
// take part.
TEST(Contracts, SimpleCompetitionCheapestFirstAtTheHighestAcceptedBid) {
  World w = make_world(
      {Rule::framework_exception, Rule::simple_competition},
      [](Params& p) {
        const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
        const double volume = season_volume_kg(p, veg, 1);
        // listed in an order other than price (a 28, b 26, c 24), so the order must come from the ranking
        const double share[] = {0.5, 0.6, 0.5}, margin[] = {0.4, 0.3, 0.2};
        for (std::size_t i = 0; i < 3; ++i) {
          p.producers[i].area_daa[veg] = share[i] * volume / 2500.0;
          p.producers[i].margin = margin[i];
        }
      },
      kFarmC);
  const std::size_t C = w.C, veg = w.veg;
  ASSERT_DOUBLE_EQ(bid_price(w.p, 0, veg), 28.0);
  ASSERT_DOUBLE_EQ(bid_price(w.p, 1, veg), 26.0);
  ASSERT_DOUBLE_EQ(bid_price(w.p, 2, veg), 24.0);
  // announced at the start (week 0) and every budget year
  update_policy(w.p, w.s);
  EXPECT_EQ(w.s.hubs.contract_kind[slot(0, C, veg, 1)], ContractKind::simple_competition);
  EXPECT_DOUBLE_EQ(w.s.hubs.contract_price[slot(0, C, veg, 1)], 26.0);
  EXPECT_EQ(w.s.channels.contracted[slot(2, C, veg, 1)], 1);  // farm_c, 24: first
  EXPECT_EQ(w.s.channels.contracted[slot(1, C, veg, 1)], 1);  // farm_b, 26: covers the rest
  EXPECT_EQ(w.s.channels.contracted[slot(0, C, veg, 1)], 0);  // farm_a, 28: not needed
  EXPECT_EQ(w.s.hubs.contract_kind[slot(0, C, veg, 0)], ContractKind::none);   // nothing to offer out of season
}

// The simple competition's purchases stay below the yearly value limit: with the limit at NOK
// 10,000 and 200 kg a week at 26 NOK/kg (NOK 5,200), the first week is bought, the second would
// bring the year to NOK 10,400 and is refused (accept ratio 0; the units buy at the list price,
// not at short notice), and a new year starts a new sum.
TEST(Contracts, SimpleCompetitionYearlyValueLimitStopsPurchases) {
  World w = make_world(
      {Rule::framework_exception, Rule::simple_competition},
      [](Params& p) {
        const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
        const double volume = season_volume_kg(p, veg, 1);
        p.producers[0].area_daa[veg] = 0.5 * volume / 2500.0;
        p.producers[0].margin = 0.2;  // 24
        p.producers[1].area_daa[veg] = 0.6 * volume / 2500.0;
        p.producers[1].margin = 0.3;  // 26
        p.procurement.simple_competition_limit_nok = 10000;
      });
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  update_policy(w.p, s);
  ASSERT_DOUBLE_EQ(s.hubs.contract_price[slot(0, C, veg, 1)], 26.0);

  auto week = [&]() {
    s.iso_week = 35;
    s.producers.available_kg.assign(s.producers.available_kg.size(), 0.0);
    s.producers.available_kg[0 * C + veg] = 150;
    s.producers.available_kg[1 * C + veg] = 150;
    post_offers(w.p, s);
    s.buyers.local_order_kg.assign(s.buyers.local_order_kg.size(), 0.0);
    s.buyers.local_desire_kg.assign(s.buyers.local_desire_kg.size(), 0.0);
    s.buyers.demand_kg.assign(s.buyers.demand_kg.size(), 0.0);
    s.buyers.local_order_kg[0 * C + veg] = 120;
    s.buyers.local_order_kg[1 * C + veg] = 80;
    s.buyers.demand_kg[0 * C + veg] = 150;
    s.buyers.demand_kg[1 * C + veg] = 100;
    clear_markets(w.p, s);
    settle_deliveries(w.p, s);
  };
  week();
  EXPECT_EQ(s.hubs.offered_price[veg], 26.0);
  EXPECT_EQ(s.hubs.accept_ratio[veg], 1.0);
  EXPECT_DOUBLE_EQ(s.hubs.contract_value_year_nok[0], 5200.0);
  EXPECT_DOUBLE_EQ(s.buyers.local_kg[0 * C + veg], 120.0);
  week();
  EXPECT_EQ(s.hubs.accept_ratio[veg], 0.0);
  EXPECT_DOUBLE_EQ(s.hubs.contract_value_year_nok[0], 5200.0);
  EXPECT_EQ(s.buyers.local_kg[0 * C + veg], 0.0);
  EXPECT_EQ(s.buyers.fallback_kg[0 * C + veg], 0.0);
  EXPECT_DOUBLE_EQ(s.buyers.wholesale_nok[0 * C + veg], 150.0 * 32.0);
  // a new budget year re-runs the competition and starts a new sum
  s.iso_week = 1;
  s.week = 52;
  update_policy(w.p, s);
  EXPECT_EQ(s.hubs.contract_value_year_nok[0], 0.0);
  EXPECT_EQ(s.hubs.contract_kind[slot(0, C, veg, 1)], ContractKind::simple_competition);
  week();
  EXPECT_EQ(s.hubs.accept_ratio[veg], 1.0);
}

// ---------------------------------------------------------------- dynamic purchasing

World dps_world() {
  return make_world({Rule::framework_exception, Rule::dynamic_purchasing}, [](Params&) {});
}

// Orders placed in week t are based on the offers posted in week t - call_off_lead_weeks (bids take
// at least 10 days): offers of 1000, 7 and 2000 kg in weeks 3, 4 and 5 — units ordering in week 5
// see the 1000 kg of week 3, at week 3's price.
TEST(Contracts, DpsCallOffsSeeTheOffersOfLeadWeeksAgo) {
  World w = dps_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  ASSERT_EQ(s.hubs.dps[0], 1);
  ASSERT_EQ(w.p.procurement.call_off_lead_weeks, 2);
  const double kg[] = {1000, 7, 2000}, price[] = {30.0, 20.0, 45.0};
  for (int t = 3; t <= 5; ++t) {
    s.week = t;
    s.iso_week = 30 + t;
    s.producers.available_kg.assign(s.producers.available_kg.size(), 0.0);
    s.producers.available_kg[kFarmA * C + veg] = kg[t - 3];
    s.channels.offer_share[kFarmA * C + veg] = 1.0;
    s.producers.asking_price[kFarmA * C + veg] = price[t - 3];
    post_offers(w.p, s);
  }
  ASSERT_EQ(s.hubs.offered_kg[veg], 2000.0);  // this week's offers
  form_orders(w.p, s);
  const BuyerTypeParams& kg_type = w.p.buyer_types[static_cast<std::size_t>(BuyerType::kindergarten)];
  const double fee = w.p.municipalities[0].hub.fee_nok_per_kg;
  for (std::size_t b = 0; b < 2; ++b) {
    ASSERT_EQ(s.buyers.participating[b], 1);
    // desire = demand x preference x exp(-sensitivity x premium), at week 3's price 30 + fee 2 = 32
    // (no premium over the 32 NOK/kg list price)
    const double desire = s.buyers.demand_kg[b * C + veg] * s.buyers.preference[b] *
                          std::exp(-kg_type.price_sensitivity * ((price[0] + fee) / 32.0 - 1.0));
    EXPECT_DOUBLE_EQ(s.buyers.local_desire_kg[b * C + veg], desire) << "buyer " << b;
    EXPECT_DOUBLE_EQ(s.buyers.local_order_kg[b * C + veg], std::min(desire, 1000.0)) << "buyer " << b;
    EXPECT_GT(s.buyers.local_order_kg[b * C + veg], 7.0) << "not week 4's offer";
  }
  // before the first call-off's lead time has passed there is nothing to see
  World w0 = dps_world();
  w0.s.iso_week = 35;
  w0.s.week = 1;
  w0.s.hubs.offered_kg[veg] = 500;
  w0.s.hubs.offered_price[veg] = 30;
  form_orders(w0.p, w0.s);
  EXPECT_EQ(w0.s.buyers.local_order_kg[0 * C + veg], 0.0);
}

// A call-off is a mini-competition: the cheapest qualified farm supplies first, the next one the
// rest; at equal prices the lower farm id supplies first. Vegetables: farm_b (18 NOK/kg) before
// farm_a (22). Every other category: both farms at 40 NOK/kg, so farm_a (id 0) supplies first —
// whatever the categories' order relative to vegetables (ties must go by id, not by the ranking of
// another category).
TEST(Contracts, DpsCheapestFarmSuppliesFirstTiesByFarmId) {
  World w = dps_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  s.iso_week = 35;
  s.week = 30;
  s.hubs.offered_kg.assign(s.hubs.offered_kg.size(), 0.0);
  s.buyers.local_order_kg.assign(s.buyers.local_order_kg.size(), 0.0);
  s.buyers.local_desire_kg.assign(s.buyers.local_desire_kg.size(), 0.0);
  for (std::size_t c = 0; c < C; ++c) {
    s.channels.offer_kg[kFarmA * C + c] = c == veg ? 100 : 30;
    s.channels.offer_kg[kFarmB * C + c] = c == veg ? 100 : 30;
    s.channels.price[kFarmA * C + c] = c == veg ? 22 : 40;
    s.channels.price[kFarmB * C + c] = c == veg ? 18 : 40;
    s.hubs.offered_kg[c] = c == veg ? 200 : 60;
    s.buyers.local_order_kg[0 * C + c] = c == veg ? 90 : 20;  // other categories: 20 kg, farm_a alone
  }
  s.buyers.local_order_kg[1 * C + veg] = 60;  // vegetables: 150 kg, farm_b 100 and farm_a 50
  clear_markets(w.p, s);
  EXPECT_EQ(s.hubs.handle_ratio[0], 1.0);
  EXPECT_EQ(s.channels.sold_kg[kFarmB * C + veg], 100.0);
  EXPECT_EQ(s.channels.sold_kg[kFarmA * C + veg], 50.0);
  for (std::size_t c = 0; c < C; ++c) {
    if (c == veg) continue;
    EXPECT_EQ(s.channels.sold_kg[kFarmA * C + c], 20.0)
        << w.p.categories[c].name << " (index " << c << ", vegetables " << veg << "): equal price, lower id first";
    EXPECT_EQ(s.channels.sold_kg[kFarmB * C + c], 0.0)
        << w.p.categories[c].name << " (index " << c << ", vegetables " << veg << "): equal price, lower id first";
  }
}

// Under a dynamic purchasing system an aware farm may qualify in any ordinary week (not only at the
// yearly review) once its expected yearly gain beats its entry cost. farm_b (20 daa, aware) sees
// unmet vegetable demand of E kg a week shared with the one active farm: it expects
// min(20 x 2500 x 0.3, 52 x E / 2) kg x (25 - 16) NOK/kg, less 1 h x 52 weeks x 350 NOK of admin,
// against an entry cost of 40 h x 350 + 3000 = NOK 17,000. E = 200 gives 46,800 - 18,200 = 28,600:
// it joins; E = 100 gives 5,200: it stays aware. Without a purchasing system it stays aware either
// way until the yearly review.
TEST(Contracts, DpsAwareFarmQualifiesInAnOrdinaryWeekWhenGainBeatsEntryCost) {
  for (bool dps : {true, false}) {
    for (double unmet : {200.0, 100.0}) {
      World w = make_world(dps ? std::vector<Rule>{Rule::framework_exception, Rule::dynamic_purchasing}
                               : std::vector<Rule>{Rule::framework_exception},
                           [](Params& p) {
                             const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
                             p.producers[kFarmB].area_daa[veg] = 20.0;
                             p.producers[kFarmB].active = false;
                             p.producers[kFarmB].aware = true;
                           });
      State& s = w.s;
      const std::size_t veg = w.veg;
      ASSERT_EQ(s.producers.status[kFarmB], FarmStatus::aware);
      ASSERT_EQ(s.policy.supplier_events[0], 0);
      ASSERT_EQ(s.policy.trust[0], 0.0);
      const ProducerParams& fb = w.p.producers[kFarmB];
      const double kg = std::min(20.0 * 2500.0 * fb.offer_share_initial, 52.0 * unmet / 2.0);
      const double gain = kg * (20.0 * 1.25 - 16.0) - fb.admin_hours_per_week * 52.0 * 350.0;
      const double cost = fb.entry_cost_hours * 350.0 + fb.entry_cost_nok;
      ASSERT_EQ(cost, 17000.0);
      s.hubs.unmet_kg_ema.assign(s.hubs.unmet_kg_ema.size(), 0.0);
      s.hubs.unmet_kg_ema[veg] = unmet;
      s.week = 20;
      s.iso_week = 21;  // an ordinary week
      produce(w.p, s);
      const bool joins = dps && gain > cost;
      EXPECT_EQ(s.producers.status[kFarmB], joins ? FarmStatus::active : FarmStatus::aware)
          << "dps " << dps << " unmet " << unmet << " gain " << gain;
      EXPECT_EQ(s.producers.event_week[kFarmB], joins ? FarmEvent::joined : FarmEvent::none);
      if (joins) {
        EXPECT_GT(s.producers.asking_price[kFarmB * w.C + veg], 0.0);  // it asks a price this very week
      }
    }
  }
}

}  // namespace
}  // namespace lokalmat
