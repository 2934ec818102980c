// lots (sim/rules/lots.cpp, with sim/rules/contracts.cpp): the framework tender split into lots
// (category x season) at renewal, on the contract world of rule_test_support.h — the award by the
// most economically advantageous tender, group bids and the bid cost; during the contract the
// holders' offers at the contract price, their penalties when short, and a contract void when all
// its holders have exited. Inputs other phases would produce (offers, orders) are set in the State
// directly, so each expectation follows from the rule alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <tuple>
#include <vector>

#include "sim/model.h"
#include "tests/support/rule_test_support.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::bid_price;
using test::category_index;
using test::kFarmA;
using test::kFarmB;
using test::make_contract_world;
using test::season_volume_kg;
using test::slot;
using test::World;

// ---------------------------------------------------------------- the award

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

// A local organic farm 3 km from the hub bids 32.5 NOK/kg (20 x 1.25 x 1.3) for the in-season
// vegetable lot against the wholesaler's 32 NOK/kg. With the default weights (0.5 / 0.2 / 0.3) it
// loses a little on price but wins on quality (organic 1 vs 0.03) and environment (3.9 road km by
// van vs 900 km by truck, in season 1 vs Norwegian share 0.5): it wins at its own bid price.
TEST(Lots, LocalOrganicFarmBeatsWholesalerOnEnvironmentAndQuality) {
  World w = make_contract_world({Rule::framework_exception, Rule::lots}, [](Params& p) {
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
  EXPECT_EQ(w.s.markets.contract_kind[slot(0, C, veg, 1)], ContractKind::lot);
  EXPECT_DOUBLE_EQ(w.s.markets.contract_price[slot(0, C, veg, 1)], 32.5);
  EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, C, veg, 1)], 1);
  EXPECT_EQ(w.s.channels.contracted[slot(kFarmB, C, veg, 1)], 0);
  // out of season a vegetable farm has nothing to offer: the wholesaler keeps that lot
  EXPECT_EQ(w.s.markets.contract_kind[slot(0, C, veg, 0)], ContractKind::none);
  EXPECT_EQ(w.s.markets.contract_price[slot(0, C, veg, 0)], 0.0);
  // categories outside the exception are not tendered as lots
  EXPECT_EQ(w.s.markets.contract_kind[slot(0, C, w.eggs, 1)], ContractKind::none);
  EXPECT_EQ(w.s.markets.tender_hours[0], w.p.procurement.competition_admin_hours);
}

// A farm 30% dearer than the list (margin 0.6: 20 x 1.6 x 1.3 = 41.6 NOK/kg) still wins at the
// default weights; with the price weight at 0.9 (quality and environment 0.05 each) the wholesaler's
// price advantage outweighs the rest and the lot stays with it (no contract).
TEST(Lots, HighPriceWeightLetsTheWholesalerWin) {
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
    World w = make_contract_world({Rule::framework_exception, Rule::lots}, edit(wp, wq, we));
    const std::size_t C = w.C, veg = w.veg;
    const Tender farm = farm_tender(w.p, kFarmA, veg), wh = wholesaler_tender(w.p, veg, 1);
    ASSERT_DOUBLE_EQ(farm.price, 41.6);
    const double min_price = std::min(farm.price, wh.price), min_co2 = std::min(farm.co2, wh.co2);
    const double s_farm = score(w.p.procurement, farm, min_price, min_co2);
    const double s_wh = score(w.p.procurement, wh, min_price, min_co2);
    ASSERT_EQ(s_farm > s_wh, farm_wins) << "weights " << wp << " " << wq << " " << we << ": farm " << s_farm
                                        << " wholesaler " << s_wh;
    tender(w);
    EXPECT_EQ(w.s.markets.contract_kind[slot(0, C, veg, 1)], farm_wins ? ContractKind::lot : ContractKind::none) << "price weight " << wp;
    EXPECT_DOUBLE_EQ(w.s.markets.contract_price[slot(0, C, veg, 1)], farm_wins ? 41.6 : 0.0) << "price weight " << wp;
    EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, C, veg, 1)], farm_wins ? 1 : 0) << "price weight " << wp;
  }
}

// Two farms of 60% of the lot each cannot bid alone (a bid must cover lot_min_coverage = 80%); with
// group bids allowed they bid together (120%) at their capacity-weighted price and win, both
// holding the contract; without group bids the lot stays with the wholesaler.
TEST(Lots, GroupBidWinsWhereNeitherFarmIsLargeEnoughAlone) {
  for (bool group_bids : {true, false}) {
    double volume = 0;
    World w = make_contract_world({Rule::framework_exception, Rule::lots}, [&](Params& p) {
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
      EXPECT_EQ(w.s.markets.contract_kind[slot(0, C, veg, 1)], ContractKind::lot);
      EXPECT_DOUBLE_EQ(w.s.markets.contract_price[slot(0, C, veg, 1)], group_price);
      EXPECT_DOUBLE_EQ(group_price, 28.75);
      EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, C, veg, 1)], 1);
      EXPECT_EQ(w.s.channels.contracted[slot(kFarmB, C, veg, 1)], 1);
    } else {
      EXPECT_EQ(w.s.markets.contract_kind[slot(0, C, veg, 1)], ContractKind::none);
      EXPECT_EQ(w.s.markets.contract_price[slot(0, C, veg, 1)], 0.0);
      EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, C, veg, 1)], 0);
      EXPECT_EQ(w.s.channels.contracted[slot(kFarmB, C, veg, 1)], 0);
    }
  }
}

// A farm bids only when its expected contract value — min(capacity, volume) x (bid price - outside
// price) — beats its bid cost (bid_cost_hours x farmer_hour_value_nok). With the bid cost 1% above
// that value it does not bid and the wholesaler keeps the lot; 1% below, it bids and wins.
TEST(Lots, FarmBidsOnlyWhenExpectedValueBeatsBidCost) {
  for (double cost_factor : {1.01, 0.99}) {
    World w = make_contract_world({Rule::framework_exception, Rule::lots}, [&](Params& p) {
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
    EXPECT_EQ(w.s.markets.contract_kind[slot(0, w.C, w.veg, 1)], bids ? ContractKind::lot : ContractKind::none) << "bid cost x " << cost_factor;
    EXPECT_EQ(w.s.channels.contracted[slot(kFarmA, w.C, w.veg, 1)], bids ? 1 : 0) << "bid cost x " << cost_factor;
  }
}

// ---------------------------------------------------------------- during the contract

// a week in season (ISO week 35, kindergartens open) in which farm_a and farm_b have the given kg
// of vegetables: offers, orders, clearing and settlement
void sell_in_season(World& w, double kg_a, double kg_b) {
  State& s = w.s;
  s.iso_week = 35;
  s.week = 30;
  s.producers.available_kg.assign(s.producers.available_kg.size(), 0.0);
  s.producers.available_kg[kFarmA * w.C + w.veg] = kg_a;
  s.producers.available_kg[kFarmB * w.C + w.veg] = kg_b;
  post_offers(w.p, s);
  form_orders(w.p, s);
  clear_markets(w.p, s);
  settle_deliveries(w.p, s);
}

World lot_world() {
  return make_contract_world({Rule::framework_exception, Rule::lots}, [](Params& p) {
    const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
    p.producers[kFarmA].organic = true;
    p.producers[kFarmA].area_daa[veg] = 2.0;
    p.producers[kFarmB].area_daa[veg] = 0.0;
  });
}

// In season, only the holder offers (all it has, at the contract price x the price index); a
// non-holder with vegetables on hand offers none; a category without a contract is offered as
// usual. Covered units order their whole demand of the category.
TEST(Lots, DuringALotOnlyHoldersOfferAtContractPriceAndUnitsOrderAllDemand) {
  World w = lot_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg, eggs = w.eggs;
  tender(w);
  ASSERT_EQ(s.markets.contract_kind[slot(0, C, veg, 1)], ContractKind::lot);
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
  EXPECT_EQ(s.markets.offered_kg[veg], 400.0);
  EXPECT_DOUBLE_EQ(s.markets.offered_price[veg], 32.5 * 1.1);

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
TEST(Lots, HolderShortfallIsBoughtAtShortNoticeAndPenalised) {
  World w = lot_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  tender(w);
  s.price_index = 1.1;
  sell_in_season(w, 50, 0);

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
    EXPECT_NEAR(s.buyers.local_nok[bc], got * (32.5 + w.p.municipalities[0].hub.fee_nok_per_kg) * 1.1, 1e-6);  // contract price and fee indexed
    local += s.buyers.local_kg[bc];
  }
  EXPECT_NEAR(local, 50.0, 1e-9);
  const double penalty = (ordered - 50.0) * w.p.procurement.penalty_nok_per_kg * 1.1;
  EXPECT_NEAR(s.channels.penalty_nok[kFarmA], penalty, 1e-6);
  EXPECT_NEAR(s.markets.penalty_nok[0], penalty, 1e-6);
  EXPECT_EQ(s.channels.penalty_nok[kFarmB], 0.0);
  EXPECT_NEAR(s.producers.season_income_nok[kFarmA], 50.0 * 32.5 * 1.1 - penalty, 1e-6);
}

// A group's penalty is shared by its holders in proportion to their offers; the contract stays in
// force while one holder remains, and is void (the wholesaler supplies again) when all have exited.
TEST(Lots, GroupPenaltySharedByOffersAndContractVoidWhenAllHoldersExit) {
  World w = make_contract_world({Rule::framework_exception, Rule::lots}, [](Params& p) {
    const std::size_t veg = static_cast<std::size_t>(category_index(p, "fresh_vegetables"));
    const double volume = season_volume_kg(p, veg, 1);
    p.producers[kFarmA].area_daa[veg] = 0.6 * volume / 2500.0;
    p.producers[kFarmB].area_daa[veg] = 0.6 * volume / 2500.0;
  });
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  tender(w);
  ASSERT_EQ(s.markets.contract_kind[slot(0, C, veg, 1)], ContractKind::lot);
  ASSERT_EQ(s.channels.contracted[slot(kFarmA, C, veg, 1)], 1);
  ASSERT_EQ(s.channels.contracted[slot(kFarmB, C, veg, 1)], 1);

  // a week in season: farm_a offers 30 kg, farm_b 10 kg
  sell_in_season(w, 30, 10);
  const double ordered = s.buyers.local_order_kg[0 * C + veg] + s.buyers.local_order_kg[1 * C + veg];
  const double penalty = (ordered - 40.0) * w.p.procurement.penalty_nok_per_kg;
  EXPECT_NEAR(s.channels.penalty_nok[kFarmA], 0.75 * penalty, 1e-6);
  EXPECT_NEAR(s.channels.penalty_nok[kFarmB], 0.25 * penalty, 1e-6);
  EXPECT_NEAR(s.markets.penalty_nok[0], penalty, 1e-6);

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
  EXPECT_EQ(s.markets.contract_kind[slot(0, C, veg, 1)], ContractKind::lot) << "farm_b still holds the contract";
  leave(kFarmB);
  EXPECT_EQ(s.markets.contract_kind[slot(0, C, veg, 1)], ContractKind::none) << "void: all holders have exited";
  EXPECT_EQ(s.markets.contract_price[slot(0, C, veg, 1)], 0.0);

  // with the contract void, the exited farms offer nothing and units order as under the exception
  s.iso_week = 35;
  s.week = 82;
  s.producers.available_kg[kFarmA * C + veg] = 30;
  post_offers(w.p, s);
  EXPECT_EQ(s.markets.offered_kg[veg], 0.0);
  form_orders(w.p, s);
  for (std::size_t b = 0; b < 2; ++b) EXPECT_EQ(s.buyers.local_order_kg[b * C + veg], 0.0);
}

}  // namespace
}  // namespace lokalmat
