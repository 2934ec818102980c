// The production phase (sim/phases/production.cpp) on the tiny hand-built world: the yearly farm
// review in ISO week 1 — an aware farm joins when its expected gain beats its entry cost, a farm
// selling little two seasons running leaves, one that sold out most weeks grows — and the next
// season's harvest. The season's records and the unmet demand are set in the State directly.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sim/calendar.h"
#include "sim/model.h"
#include "sim/rules/contracts.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;
using test::World;

// farm_c: aware, not active, 20 km away (no neighbours), vegetables only, `area` daa.
// Its expected yearly gain: min(area x 2500 kg/daa x offer share 0.3, 52 x unmet / (2 active + 1))
// x margin (20 x 1.25 - 16 = 9 NOK/kg) - 1 admin hour x 52 x 350 NOK; its entry cost
// (40 h x 350 + 3000) = 17,000 NOK, x 0.7 with supplier development.
World entry_world(double area, int supplier_events) {
  const std::string farm_c = test::farm_toml("farm_c", 20.0, 20.0, area, "active = false\naware = true\n");
  World w = make_world(2, farm_c,
                       {{"municipalities.m.policy.supplier_development_events_per_year", std::to_string(supplier_events)}});
  EXPECT_EQ(w.p.producers[2].name, "farm_c");
  EXPECT_EQ(w.s.producers.status[2], FarmStatus::aware);
  return w;
}

// the yearly review runs in ISO week 1 (not the first tick)
void at_budget_year(State& s) {
  s.week = 52;
  s.iso_week = 1;
}

TEST(ProductionPhase, AwareFarmWithPositiveGainJoinsAtTheBudgetYear) {
  // 10 daa: 7,500 kg x 9 - 18,200 = 49,300 NOK > 17,000
  {
    World w = entry_world(10, 0);
    w.s.markets.unmet_kg_ema[w.veg] = 1000;  // 52 x 1000 / 3 = 17,333 kg unmet a year: not the bound
    w.s.week = 30;
    w.s.iso_week = 30;  // not a budget year: no review
    produce(w.p, w.s);
    EXPECT_EQ(w.s.producers.status[2], FarmStatus::aware);
    at_budget_year(w.s);
    w.s.channels.offer_share[2 * w.C + w.veg] = 0.9;
    produce(w.p, w.s);
    EXPECT_EQ(w.s.producers.status[2], FarmStatus::active);
    EXPECT_EQ(w.s.producers.event_week[2], FarmEvent::joined);
    EXPECT_EQ(w.s.channels.offer_share[2 * w.C + w.veg], 0.3);  // starts at its initial offer share
  }
  // no unmet demand: the gain is -18,200 NOK; stays aware
  {
    World w = entry_world(10, 0);
    at_budget_year(w.s);
    produce(w.p, w.s);
    EXPECT_EQ(w.s.producers.status[2], FarmStatus::aware);
    EXPECT_EQ(w.s.producers.event_week[2], FarmEvent::none);
  }
}

// 5 daa: 3,750 kg x 9 - 18,200 = 15,550 NOK: below the full cost 17,000, above the cut cost 11,900
TEST(ProductionPhase, SupplierDevelopmentCutsTheEntryCost) {
  for (int events : {0, 2}) {
    World w = entry_world(5, events);
    w.s.markets.unmet_kg_ema[w.veg] = 1000;
    at_budget_year(w.s);
    produce(w.p, w.s);
    EXPECT_EQ(w.s.producers.status[2], events > 0 ? FarmStatus::active : FarmStatus::aware) << events << " events";
  }
}

// selling under 10% of what it offered for two seasons running: out; one good season resets the count
TEST(ProductionPhase, FarmSellingLittleTwoSeasonsRunningExits) {
  World w = make_world();
  State& s = w.s;
  auto season = [&](std::size_t i, double offered, double sold) {
    s.producers.season_offered_kg[i] = offered;
    s.producers.season_sold_kg[i] = sold;
    for (std::size_t c = 0; c < w.C; ++c) s.producers.offer_weeks[i * w.C + c] = 0;  // no growth question
  };
  at_budget_year(s);
  season(0, 1000, 99.9);
  season(1, 1000, 100);  // exactly 10%: not below
  produce(w.p, s);
  EXPECT_EQ(s.producers.status[0], FarmStatus::active);
  EXPECT_EQ(s.producers.low_seasons[0], 1);
  EXPECT_EQ(s.producers.low_seasons[1], 0);
  EXPECT_EQ(s.producers.season_offered_kg[0], 0.0);  // a new season starts

  season(0, 1000, 50);
  season(1, 1000, 300);
  produce(w.p, s);
  EXPECT_EQ(s.producers.status[0], FarmStatus::exited);
  EXPECT_EQ(s.producers.event_week[0], FarmEvent::left);
  EXPECT_EQ(s.producers.status[1], FarmStatus::active);

  // an exited farm offers nothing
  s.producers.available_kg[0 * w.C + w.veg] = 100;
  s.producers.available_kg[1 * w.C + w.veg] = 100;
  post_offers(w.p, s);
  EXPECT_EQ(s.channels.offer_kg[0 * w.C + w.veg], 0.0);
  EXPECT_GT(s.channels.offer_kg[1 * w.C + w.veg], 0.0);

  // low, good, low: still in
  season(1, 1000, 10);
  produce(w.p, s);
  season(1, 1000, 500);
  produce(w.p, s);
  season(1, 1000, 10);
  produce(w.p, s);
  EXPECT_EQ(s.producers.status[1], FarmStatus::active);
  EXPECT_EQ(s.producers.low_seasons[1], 1);
}

// a product sold out in at least half the weeks it was offered, with the channels taking at least
// a fifth of its harvest: its area grows by growth_per_year (10%) for the next season
TEST(ProductionPhase, FarmSoldOutMostWeeksGrowsNextSeason) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  at_budget_year(s);
  for (std::size_t i = 0; i < 2; ++i) {
    s.producers.season_offered_kg[i] = 1000;
    s.producers.season_sold_kg[i] = 900;
    s.producers.offer_weeks[i * C + veg] = 20;
    s.producers.season_harvest_kg[i * C + veg] = 4000;
    s.producers.season_delivered_kg[i * C + veg] = 900;
  }
  s.producers.soldout_weeks[0 * C + veg] = 10;
  s.producers.soldout_weeks[1 * C + veg] = 9;
  produce(w.p, s);
  EXPECT_DOUBLE_EQ(s.producers.area_daa[0 * C + veg], 10.0 * 1.1);
  EXPECT_EQ(s.producers.area_daa[1 * C + veg], 5.0);
  // the next season's harvest comes from the grown area, and it grows once a year only
  s.week = 81;
  s.iso_week = 30;
  produce(w.p, s);
  EXPECT_DOUBLE_EQ(s.producers.area_daa[0 * C + veg], 10.0 * 1.1);
  EXPECT_DOUBLE_EQ(s.producers.harvest_kg[0 * C + veg], 10.0 * 1.1 * 2500.0 * w.p.categories[veg].harvest_weight[29]);
  EXPECT_DOUBLE_EQ(s.producers.harvest_kg[1 * C + veg], 5.0 * 2500.0 * w.p.categories[veg].harvest_weight[29]);
}

// growth is per product (D13): a farm whose vegetables sold out grows its vegetables, not its eggs,
// which did not sell out; and a product that sold out every week but of which the channels took
// under a fifth of the harvest (here 3%, as farm A's local sales once were) does not grow
TEST(ProductionPhase, OnlyTheProductThatSoldOutAndMattersGrows) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg, eggs = w.eggs;
  auto& pr = s.producers;
  at_budget_year(s);
  pr.area_daa[0 * C + eggs] = 4.0;
  pr.season_offered_kg = {1000, 1000};
  pr.season_sold_kg = {900, 900};
  // farm 0: vegetables sold out in 15 of 20 weeks, 900 of 4,000 kg delivered; eggs in 2 of 20
  pr.offer_weeks[0 * C + veg] = 20, pr.soldout_weeks[0 * C + veg] = 15;
  pr.season_harvest_kg[0 * C + veg] = 4000, pr.season_delivered_kg[0 * C + veg] = 900;
  pr.offer_weeks[0 * C + eggs] = 20, pr.soldout_weeks[0 * C + eggs] = 2;
  pr.season_harvest_kg[0 * C + eggs] = 1200, pr.season_delivered_kg[0 * C + eggs] = 600;
  // farm 1: vegetables sold out every week, but 120 of 4,000 kg delivered (3%)
  pr.offer_weeks[1 * C + veg] = 20, pr.soldout_weeks[1 * C + veg] = 20;
  pr.season_harvest_kg[1 * C + veg] = 4000, pr.season_delivered_kg[1 * C + veg] = 120;
  produce(w.p, s);
  EXPECT_DOUBLE_EQ(pr.area_daa[0 * C + veg], 10.0 * 1.1);
  EXPECT_EQ(pr.area_daa[0 * C + eggs], 4.0);
  EXPECT_EQ(pr.area_daa[1 * C + veg], 5.0);
  // at a 2% threshold farm 1's 3% is enough
  World w2 = make_world(2, "", {{"behaviour.growth_min_local_share", "0.02"}});
  auto& p2 = w2.s.producers;
  at_budget_year(w2.s);
  p2.season_offered_kg = {1000, 1000};
  p2.season_sold_kg = {900, 900};
  p2.offer_weeks[1 * C + veg] = 20, p2.soldout_weeks[1 * C + veg] = 20;
  p2.season_harvest_kg[1 * C + veg] = 4000, p2.season_delivered_kg[1 * C + veg] = 120;
  produce(w2.p, w2.s);
  EXPECT_DOUBLE_EQ(p2.area_daa[1 * C + veg], 5.0 * 1.1);
}

// the season's per-product record: every harvest adds to season_harvest_kg and every delivery to
// season_delivered_kg; the review at the budget year starts them afresh
TEST(ProductionPhase, TheSeasonRecordsHarvestPerProductAndStartsAfresh) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  s.week = 30, s.iso_week = 30;
  produce(w.p, s);
  const double h = s.producers.harvest_kg[0 * C + veg];
  ASSERT_GT(h, 0.0);
  EXPECT_DOUBLE_EQ(s.producers.season_harvest_kg[0 * C + veg], h);
  s.week = 31, s.iso_week = 31;
  produce(w.p, s);
  EXPECT_DOUBLE_EQ(s.producers.season_harvest_kg[0 * C + veg], h + s.producers.harvest_kg[0 * C + veg]);
  s.producers.season_delivered_kg[0 * C + veg] = 50;
  at_budget_year(s);
  produce(w.p, s);
  EXPECT_EQ(s.producers.season_delivered_kg[0 * C + veg], 0.0);
  EXPECT_DOUBLE_EQ(s.producers.season_harvest_kg[0 * C + veg], s.producers.harvest_kg[0 * C + veg]);
}

// the harvest of vegetables over every week of ISO year `year` (the yearly review left out)
double harvest_of_iso_year(World w, int year) {
  State& s = w.s;
  s.iso_year = year;
  const int weeks = iso_week(Date{year, 12, 28}).week;
  double kg = 0;
  for (int wk = 1; wk <= weeks; ++wk) {
    s.week = 0, s.iso_week = wk;
    produce(w.p, s);
    kg += s.producers.harvest_kg[0 * w.C + w.veg];
  }
  return kg;
}

// D12: an ISO year with 53 weeks (2026) harvests one season's product, as a 52-week year (2027)
// does: a year-round crop spreads it evenly over the 53 weeks, and a season that misses week 52
// is not scaled at all
TEST(ProductionPhase, AYearOf53WeeksHarvestsOneSeason) {
  ASSERT_EQ(iso_week(Date{2026, 12, 28}).week, 53);
  ASSERT_EQ(iso_week(Date{2027, 12, 28}).week, 52);
  World seasonal = make_world();
  ASSERT_EQ(seasonal.p.categories[seasonal.veg].harvest_weight[51], 0.0);
  const double season = harvest_of_iso_year(seasonal, 2027);
  ASSERT_GT(season, 0.0);
  EXPECT_DOUBLE_EQ(harvest_of_iso_year(seasonal, 2026), season);

  World all_year = make_world(2, "", {}, [](Params& p) {
    for (auto& c : p.categories) c.harvest_weight.fill(1.0 / 52);
  });
  EXPECT_NEAR(harvest_of_iso_year(all_year, 2027), season, 1e-9 * season);
  EXPECT_NEAR(harvest_of_iso_year(all_year, 2026), season, 1e-9 * season);
  State& s = all_year.s;
  s.iso_year = 2026;
  s.week = 0, s.iso_week = 53;
  produce(all_year.p, s);
  EXPECT_NEAR(s.producers.harvest_kg[0 * all_year.C + all_year.veg], season / 53, 1e-9 * season);
}

// D21: an aware farm that won a contract (here a lot on vegetables) enters the channel in the week
// it holds it: active, counted as an entry, its offer shares starting afresh
TEST(ProductionPhase, AnAwareFarmThatWonAContractEntersTheChannel) {
  World w = entry_world(10, 0);
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  const auto h = static_cast<std::size_t>(s.hub_of_municipality[0]);
  const std::size_t k = s.producers.channel_begin[2];
  ASSERT_LT(k, s.producers.channel_begin[3]);
  ASSERT_EQ(s.channels.market[k], h);
  s.week = 30, s.iso_week = 30;
  produce(w.p, s);
  EXPECT_EQ(s.producers.status[2], FarmStatus::aware);  // no contract: still aware mid-season

  for (int season : {0, 1}) {
    s.markets.contract_kind[contracts::slot(h, C, veg, season)] = ContractKind::lot;
    s.channels.contracted[contracts::slot(k, C, veg, season)] = 1;
  }
  s.channels.offer_share[k * C + veg] = 0.9;
  s.week = 31, s.iso_week = 31;
  produce(w.p, s);
  EXPECT_EQ(s.producers.status[2], FarmStatus::active);
  EXPECT_EQ(s.producers.event_week[2], FarmEvent::joined);
  EXPECT_EQ(s.channels.offer_share[k * C + veg], w.p.producers[2].offer_share_initial);
  EXPECT_EQ(s.producers.event_week[0], FarmEvent::none);
}

// D25: at the yearly review a farm leaves with its lot; the lot no one holds is void in the same
// week, before anyone orders on it, while a contract another farm still holds stays
TEST(ProductionPhase, ALotWhoseHoldersAllLeftIsVoidAtTheReview) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg, eggs = w.eggs;
  const auto h = static_cast<std::size_t>(s.hub_of_municipality[0]);
  const std::size_t k0 = s.producers.channel_begin[0], k1 = s.producers.channel_begin[1];
  for (int season : {0, 1}) {
    s.markets.contract_kind[contracts::slot(h, C, veg, season)] = ContractKind::lot;
    s.markets.contract_price[contracts::slot(h, C, veg, season)] = 20;
    s.channels.contracted[contracts::slot(k0, C, veg, season)] = 1;
    s.markets.contract_kind[contracts::slot(h, C, eggs, season)] = ContractKind::lot;
    s.channels.contracted[contracts::slot(k1, C, eggs, season)] = 1;
  }
  at_budget_year(s);
  s.producers.low_seasons[0] = 1;  // its second low season: farm_a leaves
  s.producers.season_offered_kg[0] = 1000, s.producers.season_sold_kg[0] = 50;
  s.producers.season_offered_kg[1] = 1000, s.producers.season_sold_kg[1] = 500;
  for (std::size_t ic = 0; ic < 2 * C; ++ic) s.producers.offer_weeks[ic] = 0;  // no growth question
  produce(w.p, s);
  ASSERT_EQ(s.producers.status[0], FarmStatus::exited);
  ASSERT_EQ(s.producers.status[1], FarmStatus::active);
  for (int season : {0, 1}) {
    EXPECT_EQ(s.markets.contract_kind[contracts::slot(h, C, veg, season)], ContractKind::none) << season;
    EXPECT_EQ(s.markets.contract_price[contracts::slot(h, C, veg, season)], 0.0) << season;
    EXPECT_EQ(s.markets.contract_kind[contracts::slot(h, C, eggs, season)], ContractKind::lot) << season;
  }
}

// D35: aware farms that decide at the same review share the unmet demand with each other, not
// only with the farms already active. farm_c and farm_d (aware, 10 daa of vegetables each): with
// 300 kg a week unmet, the first to join expects 52 x 300 / (2 active + 1) = 5,200 kg x 9 - 18,200
// = NOK 28,600 > 17,000; the second, sharing with it too, 52 x 300 / 4 = 3,900 kg: NOK 16,900 <
// 17,000. So one joins (the lower id, their gains being equal); with 1,000 kg a week both do
TEST(ProductionPhase, AwareFarmsJoinOnlyAsFarAsTheUnmetDemandPaysForThemAll) {
  for (const auto& [unmet, joining] : std::vector<std::pair<double, int>>{{300.0, 1}, {1000.0, 2}}) {
    const std::string more = test::farm_toml("farm_c", 20.0, 20.0, 10.0, "active = false\naware = true\n") +
                             test::farm_toml("farm_d", -20.0, 20.0, 10.0, "active = false\naware = true\n");
    World w = make_world(2, more);
    ASSERT_EQ(w.p.producers[3].name, "farm_d");
    w.s.markets.unmet_kg_ema[w.veg] = unmet;
    at_budget_year(w.s);
    produce(w.p, w.s);
    EXPECT_EQ(w.s.producers.status[2], FarmStatus::active) << unmet;
    EXPECT_EQ(w.s.producers.status[3], joining == 2 ? FarmStatus::active : FarmStatus::aware) << unmet;
  }
}

}  // namespace
}  // namespace lokalmat
