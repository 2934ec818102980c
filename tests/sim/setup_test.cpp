// Set-up (sim/setup.cpp) of the tiny hand-built world and its variants: the topology (markets,
// which market each kitchen orders through, the farms' channels, the day-centre participants)
// and the starting values the scenario gives.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "sim/model.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::expect_tiny_topology;
using test::kDirect;
using test::make_world;
using test::World;

using Ids = std::vector<std::uint32_t>;

// one platform with its hub at the origin; both kindergartens order through it; one channel per
// farm to it, at road distance (x 1.3) from the farm; the two participants of its day centre
TEST(Setup, TinyWorldTopology) {
  const World w = make_world();
  expect_tiny_topology(w);
  const State& s = w.s;
  EXPECT_EQ(s.markets.kind, (std::vector<MarketKind>{MarketKind::platform}));
  EXPECT_EQ(s.markets.municipality, (Ids{0}));
  EXPECT_EQ(s.markets.dps, (std::vector<std::uint8_t>{0}));
  EXPECT_EQ(s.hub_of_municipality, (std::vector<int>{0}));
  EXPECT_EQ(s.direct_of_municipality, (std::vector<int>{-1}));
  EXPECT_EQ(s.buyer_market, (std::vector<int>{0, 0}));
  EXPECT_EQ(s.buyers_of_municipality, (std::vector<Ids>{{0, 1}}));
  EXPECT_EQ(s.producers_of_municipality, (std::vector<Ids>{{0, 1}}));
  EXPECT_EQ(s.producers.channel_begin, (Ids{0, 1, 2}));
  EXPECT_EQ(s.channels.market, (Ids{0, 0}));
  EXPECT_EQ(s.markets.channels, (std::vector<Ids>{{0, 1}}));
  EXPECT_DOUBLE_EQ(s.channels.road_km[0], 1.3 * 3.0);  // farm_a at (3, 0)
  EXPECT_DOUBLE_EQ(s.channels.road_km[1], 1.3 * 4.0);  // farm_b at (0, 4)
  EXPECT_EQ(s.workers.centre, (Ids{0, 0}));
  EXPECT_EQ(s.workers.centre_workers, (std::vector<Ids>{{0, 1}}));
}

// the calendar of 2025-01-06, the agreement in force to 2026-01-01, and the scenario's (or the
// defaults') starting values of kitchens, farms, channels, participants and policy
TEST(Setup, TinyWorldStartingValues) {
  const World w = make_world();
  const State& s = w.s;
  const std::size_t C = w.C;
  EXPECT_EQ(s.week, 0);
  EXPECT_EQ(s.date, (Date{2025, 1, 6}));
  EXPECT_EQ(s.iso_year, 2025);
  EXPECT_EQ(s.iso_week, 2);
  EXPECT_EQ(s.contract_end, (Date{2026, 1, 1}));
  EXPECT_EQ(s.price_index, 1.0);
  EXPECT_EQ(s.tender_week, 0);
  // kitchens: satisfaction_initial 0.8, the kindergarten's local preference 0.6, no order yet
  EXPECT_EQ(s.buyers.satisfaction, (std::vector<double>{0.8, 0.8}));
  EXPECT_EQ(s.buyers.preference, (std::vector<double>{0.6, 0.6}));
  EXPECT_EQ(s.buyers.delivery_outcome, (std::vector<DeliveryOutcome>{DeliveryOutcome::no_order, DeliveryOutcome::no_order}));
  // farms: active, with the scenario's areas; nothing storable grown, so nothing in store
  EXPECT_EQ(s.producers.status, (std::vector<FarmStatus>{FarmStatus::active, FarmStatus::active}));
  for (std::size_t c = 0; c < C; ++c) {
    EXPECT_EQ(s.producers.area_daa[0 * C + c], c == w.veg ? 10.0 : 0.0) << w.p.categories[c].name;
    EXPECT_EQ(s.producers.area_daa[1 * C + c], c == w.veg ? 5.0 : 0.0) << w.p.categories[c].name;
  }
  for (double kg : s.producers.stock_kg) EXPECT_EQ(kg, 0.0);
  // channels: the initial offer share 0.3 and a full sell-through record
  for (std::size_t kc = 0; kc < 2 * C; ++kc) {
    EXPECT_EQ(s.channels.offer_share[kc], 0.3);
    EXPECT_EQ(s.channels.sellthrough[kc], (std::array<double, 3>{1.0, 1.0, 1.0}));
  }
  // participants: active, attendance in [0.6, 0.95] and skill in [0.1, 0.4] as drawn
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(s.workers.status[i], WorkerStatus::active);
    EXPECT_GE(s.workers.attendance[i], 0.6);
    EXPECT_LE(s.workers.attendance[i], 0.95);
    EXPECT_GE(s.workers.skill[i], 0.1);
    EXPECT_LE(s.workers.skill[i], 0.4);
  }
  // policy: the scenario's backing, the exception open and the hub funded, the result signal at
  // its target (neutral), no cap, incentive, supplier events or trust
  EXPECT_EQ(s.policy.backing[0], 0.8);
  EXPECT_EQ(s.policy.exception_open[0], 1);
  EXPECT_EQ(s.policy.hub_funded[0], 1);
  EXPECT_EQ(s.policy.share_ema[0], 0.15);
  EXPECT_EQ(s.policy.cap_share[0], 1.0);
  EXPECT_EQ(s.policy.incentive_nok_per_kg[0], 0.0);
  EXPECT_EQ(s.policy.supplier_events[0], 0);
  EXPECT_EQ(s.policy.trust[0], 0.0);
}

// the rules in force decide the markets: direct purchase without a hub gives one direct market
// and no day centre; beside the exception it adds a direct market, and each farm serves both;
// a dynamic purchasing system runs on the platform
TEST(Setup, MarketsFollowTheRulesInForce) {
  {
    const World w = make_world(2, "", kDirect);
    const State& s = w.s;
    EXPECT_EQ(s.markets.kind, (std::vector<MarketKind>{MarketKind::direct}));
    EXPECT_EQ(s.hub_of_municipality, (std::vector<int>{-1}));
    EXPECT_EQ(s.direct_of_municipality, (std::vector<int>{0}));
    EXPECT_EQ(s.buyer_market, (std::vector<int>{0, 0}));
    EXPECT_EQ(s.producers.channel_begin, (Ids{0, 1, 2}));
    EXPECT_TRUE(s.workers.centre.empty());
  }
  {
    const World w = make_world(2, "", {{"municipalities.m.rules", R"(["framework_exception", "direct_purchase"])"}});
    const State& s = w.s;
    EXPECT_EQ(s.markets.kind, (std::vector<MarketKind>{MarketKind::platform, MarketKind::direct}));
    EXPECT_EQ(s.hub_of_municipality, (std::vector<int>{0}));
    EXPECT_EQ(s.direct_of_municipality, (std::vector<int>{1}));
    EXPECT_EQ(s.buyer_market, (std::vector<int>{0, 0}));  // the exception covers kindergartens: the platform
    EXPECT_EQ(s.markets.buyers, (std::vector<Ids>{{0, 1}, {}}));
    EXPECT_EQ(s.producers.channel_begin, (Ids{0, 2, 4}));
    EXPECT_EQ(s.channels.market, (Ids{0, 1, 0, 1}));
    EXPECT_EQ(s.workers.centre, (Ids{0, 0}));  // the day centre belongs to the platform's hub
  }
  {
    const World w = make_world(2, "", {{"municipalities.m.rules", R"(["framework_exception", "dynamic_purchasing"])"}});
    EXPECT_EQ(w.s.markets.kind, (std::vector<MarketKind>{MarketKind::platform}));
    EXPECT_EQ(w.s.markets.dps, (std::vector<std::uint8_t>{1}));
  }
}

// a waiting list beyond the centre's places: those places are taken by the lowest ids
TEST(Setup, WaitingListAfterTheCentresPlaces) {
  const World w = make_world(2, "", {{"municipalities.m.day_centre.waiting_list", "2"}});
  EXPECT_EQ(w.s.workers.centre, (Ids{0, 0, 0, 0}));
  EXPECT_EQ(w.s.workers.status, (std::vector<WorkerStatus>{WorkerStatus::active, WorkerStatus::active,
                                                          WorkerStatus::waiting, WorkerStatus::waiting}));
}

// one champion among the two kindergartens sits in the second (ids spread evenly): its unit's
// preference rises by champion_strength (0.2), and a unit within champion_radius_km (kg_a is
// 1.3 x sqrt(5) = 2.9 road km from kg_b) by strength x spillover (0.5); beyond the radius, not at all
TEST(Setup, ChampionsRaiseTheirOwnAndTheirNeighboursPreference) {
  const Overrides one_champion = {{"municipalities.m.policy.champions", "1"}};
  {
    const World w = make_world(2, "", one_champion);
    EXPECT_DOUBLE_EQ(w.s.buyers.preference[1], 0.6 + 0.2);
    EXPECT_DOUBLE_EQ(w.s.buyers.preference[0], 0.6 + 0.2 * 0.5);
  }
  {
    const World w = make_world(2, "", test::concat(one_champion, {{"municipalities.m.policy.champion_radius_km", "2.5"}}));
    EXPECT_DOUBLE_EQ(w.s.buyers.preference[1], 0.6 + 0.2);
    EXPECT_EQ(w.s.buyers.preference[0], 0.6);
  }
}

}  // namespace
}  // namespace lokalmat
