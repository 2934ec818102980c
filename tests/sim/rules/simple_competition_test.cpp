// simple_competition (sim/rules/simple_competition.cpp, with sim/rules/contracts.cpp): a yearly
// competition for local supply below the national threshold, on the contract world of
// rule_test_support.h — cheapest bids first until the volume is covered, all paid the highest
// accepted bid, and purchases stopped at the yearly value limit. Offers and orders are set in the
// State directly.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "sim/model.h"
#include "tests/support/rule_test_support.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::bid_price;
using test::category_index;
using test::clear_orders;
using test::make_contract_world;
using test::season_volume_kg;
using test::set_orders;
using test::slot;
using test::World;

// a third farm, farm_c, 2 km east and 2 km north of the hub, with 1 daa of vegetables
std::string farm_c_toml() { return test::farm_toml("farm_c", 2.0, 2.0, 1.0); }

// Three farms bid 28, 26 and 24 NOK/kg (farm_a, farm_b, farm_c: margins 0.4, 0.3, 0.2) with 50%,
// 60% and 50% of the volume. Cheapest first until the volume is covered: farm_c (50%) and farm_b
// (110%) are accepted, farm_a is not; all accepted farms are paid the highest accepted bid, 26 NOK/kg. The wholesaler does not
// take part.
TEST(SimpleCompetition, CheapestFirstAtTheHighestAcceptedBid) {
  World w = make_contract_world(
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
      farm_c_toml());
  const std::size_t C = w.C, veg = w.veg;
  ASSERT_DOUBLE_EQ(bid_price(w.p, 0, veg), 28.0);
  ASSERT_DOUBLE_EQ(bid_price(w.p, 1, veg), 26.0);
  ASSERT_DOUBLE_EQ(bid_price(w.p, 2, veg), 24.0);
  // announced at the start (week 0) and every budget year
  update_policy(w.p, w.s);
  EXPECT_EQ(w.s.markets.contract_kind[slot(0, C, veg, 1)], ContractKind::simple_competition);
  EXPECT_DOUBLE_EQ(w.s.markets.contract_price[slot(0, C, veg, 1)], 26.0);
  EXPECT_EQ(w.s.channels.contracted[slot(2, C, veg, 1)], 1);  // farm_c, 24: first
  EXPECT_EQ(w.s.channels.contracted[slot(1, C, veg, 1)], 1);  // farm_b, 26: covers the rest
  EXPECT_EQ(w.s.channels.contracted[slot(0, C, veg, 1)], 0);  // farm_a, 28: not needed
  EXPECT_EQ(w.s.markets.contract_kind[slot(0, C, veg, 0)], ContractKind::none);   // nothing to offer out of season
}

// The simple competition's purchases stay below the yearly value limit: with the limit at NOK
// 10,000 and 200 kg a week at 26 NOK/kg (NOK 5,200), the first week is bought, the second would
// bring the year to NOK 10,400 and is refused (accept ratio 0; the units buy at the list price,
// not at short notice), and a new year starts a new sum.
TEST(SimpleCompetition, YearlyValueLimitStopsPurchases) {
  World w = make_contract_world(
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
  ASSERT_DOUBLE_EQ(s.markets.contract_price[slot(0, C, veg, 1)], 26.0);

  auto week = [&]() {
    s.iso_week = 35;
    s.producers.available_kg.assign(s.producers.available_kg.size(), 0.0);
    s.producers.available_kg[0 * C + veg] = 150;
    s.producers.available_kg[1 * C + veg] = 150;
    post_offers(w.p, s);
    clear_orders(s);
    set_orders(w, veg, {120, 80}, {150, 100});
    clear_markets(w.p, s);
    settle_deliveries(w.p, s);
  };
  week();
  EXPECT_EQ(s.markets.offered_price[veg], 26.0);
  EXPECT_EQ(s.markets.accept_ratio[veg], 1.0);
  EXPECT_DOUBLE_EQ(s.markets.contract_value_year_nok[0], 5200.0);
  EXPECT_DOUBLE_EQ(s.buyers.local_kg[0 * C + veg], 120.0);
  week();
  EXPECT_EQ(s.markets.accept_ratio[veg], 0.0);
  EXPECT_DOUBLE_EQ(s.markets.contract_value_year_nok[0], 5200.0);
  EXPECT_EQ(s.buyers.local_kg[0 * C + veg], 0.0);
  EXPECT_EQ(s.buyers.fallback_kg[0 * C + veg], 0.0);
  EXPECT_DOUBLE_EQ(s.buyers.wholesale_nok[0 * C + veg], 150.0 * 32.0);
  // a new budget year re-runs the competition and starts a new sum
  s.iso_week = 1;
  s.week = 52;
  update_policy(w.p, s);
  EXPECT_EQ(s.markets.contract_value_year_nok[0], 0.0);
  EXPECT_EQ(s.markets.contract_kind[slot(0, C, veg, 1)], ContractKind::simple_competition);
  week();
  EXPECT_EQ(s.markets.accept_ratio[veg], 1.0);
}

}  // namespace
}  // namespace lokalmat
