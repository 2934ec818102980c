// The offers phase (sim/phases/offers.cpp) on the tiny hand-built world under both the framework
// exception (a platform with its hub) and direct purchase (a direct market beside it), so that
// each farm has two channels: channel 0 farm_a -> platform, 1 farm_a -> direct market, 2 farm_b
// -> platform, 3 farm_b -> direct market. What farms have and ask is set in the State directly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "sim/model.h"
#include "sim/rules/contracts.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;
using test::World;

// the two markets, and every farm's channels to both, checked before the offers are posted; the
// kindergartens buy on the platform and a school (school_c) directly
World two_market_world() {
  const std::string school = "\n[buyers.school_c]\ntype = \"school\"\nmunicipality = \"m\"\neaters = 100\nposition_km = [2.0, -1.0]\n";
  World w = make_world(2, school,
                       {{"municipalities.m.rules", R"(["framework_exception", "direct_purchase"])"},
                        {"municipalities.m.direct_buyer_types", R"(["school"])"}});
  EXPECT_EQ(w.s.markets.buyers, (std::vector<std::vector<std::uint32_t>>{{0, 1}, {2}}));
  EXPECT_EQ(w.s.markets.kind, (std::vector<MarketKind>{MarketKind::platform, MarketKind::direct}));
  EXPECT_EQ(w.s.producers.channel_begin, (std::vector<std::uint32_t>{0, 2, 4}));
  EXPECT_EQ(w.s.channels.market, (std::vector<std::uint32_t>{0, 1, 0, 1}));
  return w;
}

// a farm offers what it has x the channel's offer share / its number of channels (2) to each
// market; a market offers the sum of its farms' offers at their offer-weighted mean price and
// keeps both for later call-offs
TEST(OffersPhase, FarmOffersItsShareSplitOverItsChannelsAndMarketsSumThem) {
  World w = two_market_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  s.week = 5;
  s.producers.available_kg[0 * C + veg] = 60;
  s.producers.available_kg[1 * C + veg] = 40;
  s.producers.asking_price[0 * C + veg] = 25;
  s.producers.asking_price[1 * C + veg] = 30;
  s.channels.offer_share[0 * C + veg] = 0.5;
  s.channels.offer_share[1 * C + veg] = 0.25;
  s.channels.offer_share[2 * C + veg] = 0.75;
  s.channels.offer_share[3 * C + veg] = 1.0;
  post_offers(w.p, s);
  EXPECT_EQ(s.markets.open, (std::vector<std::uint8_t>{1, 1}));
  EXPECT_EQ(s.channels.offer_kg[0 * C + veg], 15.0);  // 60 x 0.5 / 2
  EXPECT_EQ(s.channels.offer_kg[1 * C + veg], 7.5);   // 60 x 0.25 / 2
  EXPECT_EQ(s.channels.offer_kg[2 * C + veg], 15.0);  // 40 x 0.75 / 2
  EXPECT_EQ(s.channels.offer_kg[3 * C + veg], 20.0);  // 40 x 1 / 2
  EXPECT_EQ(s.channels.price[0 * C + veg], 25.0);
  EXPECT_EQ(s.channels.price[3 * C + veg], 30.0);
  // the platform: 15 + 15 kg at (15 x 25 + 15 x 30) / 30; the direct market: 7.5 + 20 kg
  EXPECT_EQ(s.markets.offered_kg[0 * C + veg], 30.0);
  EXPECT_EQ(s.markets.offered_price[0 * C + veg], 27.5);
  EXPECT_EQ(s.markets.offered_kg[1 * C + veg], 27.5);
  EXPECT_DOUBLE_EQ(s.markets.offered_price[1 * C + veg], (7.5 * 25.0 + 20.0 * 30.0) / 27.5);
  // nothing else is on offer, and a category without offers has no price
  for (std::size_t h = 0; h < 2; ++h)
    for (std::size_t c = 0; c < C; ++c)
      if (c != veg) {
        EXPECT_EQ(s.markets.offered_kg[h * C + c], 0.0) << w.p.categories[c].name;
        EXPECT_EQ(s.markets.offered_price[h * C + c], 0.0) << w.p.categories[c].name;
      }
  // this week's offers are kept in the week's slot of the history
  const std::size_t slot = 5 % s.markets.offer_history.size();
  EXPECT_EQ(s.markets.offer_history[slot][1 * C + veg], 27.5);
  EXPECT_EQ(s.markets.price_history[slot][0 * C + veg], 27.5);
}

// farms offer only to markets that take orders, still splitting over all their channels; a farm
// that is not active offers nothing anywhere
TEST(OffersPhase, NoOffersToAClosedMarketOrFromAFarmNotActive) {
  World w = two_market_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  s.policy.exception_open[0] = 0;  // the platform closes; the direct market stays open
  s.producers.status[1] = FarmStatus::aware;
  s.producers.available_kg[0 * C + veg] = 60;
  s.producers.available_kg[1 * C + veg] = 40;
  for (std::size_t k = 0; k < 4; ++k) s.channels.offer_share[k * C + veg] = 0.5;
  post_offers(w.p, s);
  EXPECT_EQ(s.markets.open, (std::vector<std::uint8_t>{0, 1}));
  EXPECT_EQ(s.channels.offer_kg[0 * C + veg], 0.0);
  EXPECT_EQ(s.channels.offer_kg[1 * C + veg], 15.0);  // 60 x 0.5 / 2
  EXPECT_EQ(s.channels.offer_kg[2 * C + veg], 0.0);
  EXPECT_EQ(s.channels.offer_kg[3 * C + veg], 0.0);
  EXPECT_EQ(s.markets.offered_kg[0 * C + veg], 0.0);
  EXPECT_EQ(s.markets.offered_kg[1 * C + veg], 15.0);
}

// D18: farms know the buyers' calendar. In ISO week 29 every unit of both markets is closed (the
// kindergartens in weeks 28-31, the school in 26-33): no farm offers, a contract's holder neither,
// so the week is no cycle and the offer shares stay as they were; in week 25 they offer again
TEST(OffersPhase, NoOffersInAWeekInWhichEveryUnitOfTheMarketIsClosed) {
  World w = two_market_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  const BuyerTypeParams& kg = w.p.buyer_types[static_cast<std::size_t>(BuyerType::kindergarten)];
  ASSERT_NE(std::find(kg.closed_weeks.begin(), kg.closed_weeks.end(), 29), kg.closed_weeks.end());
  const BuyerTypeParams& school = w.p.buyer_types[static_cast<std::size_t>(BuyerType::school)];
  ASSERT_NE(std::find(school.closed_weeks.begin(), school.closed_weeks.end(), 29), school.closed_weeks.end());
  for (const BuyerTypeParams* tp : {&kg, &school})
    ASSERT_EQ(std::find(tp->closed_weeks.begin(), tp->closed_weeks.end(), 25), tp->closed_weeks.end());
  s.producers.available_kg[0 * C + veg] = 60;
  for (std::size_t k = 0; k < 4; ++k) s.channels.offer_share[k * C + veg] = 0.5;
  // farm_a holds the platform's vegetable lot (both seasons)
  for (int season : {0, 1}) {
    s.markets.contract_kind[contracts::slot(0, C, veg, season)] = ContractKind::lot;
    s.markets.contract_price[contracts::slot(0, C, veg, season)] = 20;
    s.channels.contracted[contracts::slot(0, C, veg, season)] = 1;
  }
  s.iso_week = 29;
  post_offers(w.p, s);
  EXPECT_EQ(s.markets.open, (std::vector<std::uint8_t>{0, 0}));
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(s.channels.offer_kg[k * C + veg], 0.0) << k;
  adapt(w.p, s);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(s.channels.offer_share[k * C + veg], 0.5) << k;

  s.iso_week = 25;
  post_offers(w.p, s);
  EXPECT_EQ(s.markets.open, (std::vector<std::uint8_t>{1, 1}));
  EXPECT_EQ(s.channels.offer_kg[0 * C + veg], 30.0);  // the holder: all it has, split over 2 channels
  EXPECT_EQ(s.channels.offer_kg[1 * C + veg], 15.0);  // 60 x 0.5 / 2 on the direct market
}

}  // namespace
}  // namespace lokalmat
