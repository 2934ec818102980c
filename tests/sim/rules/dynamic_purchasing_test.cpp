// dynamic_purchasing (sim/rules/dynamic_purchasing.cpp) on the contract world of
// rule_test_support.h: farms qualify in any week, and call-offs among them are mini-competitions
// placed call_off_lead_weeks ahead — they see the offers of that week, the cheapest farm supplies
// first, ties go by farm id. Offers and orders are set in the State directly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "sim/model.h"
#include "tests/support/rule_test_support.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::category_index;
using test::kFarmA;
using test::kFarmB;
using test::make_contract_world;
using test::World;

World dps_world() {
  return make_contract_world({Rule::framework_exception, Rule::dynamic_purchasing}, [](Params&) {});
}

// Orders placed in week t are based on the offers posted in week t - call_off_lead_weeks (bids take
// at least 10 days): offers of 1000, 7 and 2000 kg in weeks 3, 4 and 5 — units ordering in week 5
// see the 1000 kg of week 3, at week 3's price.
TEST(DynamicPurchasing, CallOffsSeeTheOffersOfLeadWeeksAgo) {
  World w = dps_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  ASSERT_EQ(s.markets.dps[0], 1);
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
  ASSERT_EQ(s.markets.offered_kg[veg], 2000.0);  // this week's offers
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
  w0.s.markets.offered_kg[veg] = 500;
  w0.s.markets.offered_price[veg] = 30;
  form_orders(w0.p, w0.s);
  EXPECT_EQ(w0.s.buyers.local_order_kg[0 * C + veg], 0.0);
}

// A call-off is a mini-competition: the cheapest qualified farm supplies first, the next one the
// rest; at equal prices the lower farm id supplies first. Vegetables: farm_b (18 NOK/kg) before
// farm_a (22). Every other category: both farms at 40 NOK/kg, so farm_a (id 0) supplies first —
// whatever the categories' order relative to vegetables (ties must go by id, not by the ranking of
// another category).
TEST(DynamicPurchasing, CheapestFarmSuppliesFirstTiesByFarmId) {
  World w = dps_world();
  State& s = w.s;
  const std::size_t C = w.C, veg = w.veg;
  s.iso_week = 35;
  s.week = 30;
  s.markets.offered_kg.assign(s.markets.offered_kg.size(), 0.0);
  s.buyers.local_order_kg.assign(s.buyers.local_order_kg.size(), 0.0);
  s.buyers.local_desire_kg.assign(s.buyers.local_desire_kg.size(), 0.0);
  for (std::size_t c = 0; c < C; ++c) {
    s.channels.offer_kg[kFarmA * C + c] = c == veg ? 100 : 30;
    s.channels.offer_kg[kFarmB * C + c] = c == veg ? 100 : 30;
    s.channels.price[kFarmA * C + c] = c == veg ? 22 : 40;
    s.channels.price[kFarmB * C + c] = c == veg ? 18 : 40;
    s.markets.offered_kg[c] = c == veg ? 200 : 60;
    s.buyers.local_order_kg[0 * C + c] = c == veg ? 90 : 20;  // other categories: 20 kg, farm_a alone
  }
  s.buyers.local_order_kg[1 * C + veg] = 60;  // vegetables: 150 kg, farm_b 100 and farm_a 50
  clear_markets(w.p, s);
  EXPECT_EQ(s.markets.handle_ratio[0], 1.0);
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
TEST(DynamicPurchasing, AwareFarmQualifiesInAnOrdinaryWeekWhenGainBeatsEntryCost) {
  for (bool dps : {true, false}) {
    for (double unmet : {200.0, 100.0}) {
      World w = make_contract_world(dps ? std::vector<Rule>{Rule::framework_exception, Rule::dynamic_purchasing}
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
      s.markets.unmet_kg_ema.assign(s.markets.unmet_kg_ema.size(), 0.0);
      s.markets.unmet_kg_ema[veg] = unmet;
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
