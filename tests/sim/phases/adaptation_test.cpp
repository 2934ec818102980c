// The adaptation phase (sim/phases/adaptation.cpp) on the tiny hand-built world: kitchens'
// satisfaction after the week's deliveries, and farms' offer shares after their sell-through.
// The week's outcomes are set in the State directly.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>

#include "sim/model.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::category_index;
using test::make_world;
using test::World;

// satisfaction +0.01 full, -0.01 partial, -0.05 nothing, unchanged without a local order; clamped to [0, 1]
TEST(AdaptationPhase, SatisfactionMovesWithDeliveryOutcome) {
  World w = make_world();
  State& s = w.s;
  using D = DeliveryOutcome;
  auto run = [&](double sat0, D out0, double sat1, D out1) {
    s.buyers.satisfaction = {sat0, sat1};
    s.buyers.delivery_outcome = {out0, out1};
    adapt(w.p, s);
    return std::array<double, 2>{s.buyers.satisfaction[0], s.buyers.satisfaction[1]};
  };
  auto r = run(0.5, D::full, 0.5, D::partial);
  EXPECT_DOUBLE_EQ(r[0], 0.51);
  EXPECT_DOUBLE_EQ(r[1], 0.49);
  r = run(0.5, D::nothing, 0.5, D::no_order);
  EXPECT_DOUBLE_EQ(r[0], 0.45);
  EXPECT_EQ(r[1], 0.5);
  r = run(0.995, D::full, 0.03, D::nothing);
  EXPECT_EQ(r[0], 1.0);
  EXPECT_EQ(r[1], 0.0);
}

// offer shares: sold out -> x1.1 capped at 1; sell-through < 0.5 -> share x weighted
// sell-through (0.5/0.3/0.2, newest first), not below offer_share_min; otherwise unchanged
TEST(AdaptationPhase, OfferShareAdaptsToSellThrough) {
  World w = make_world();
  State& s = w.s;
  const std::size_t C = w.C;
  const auto at = [&](std::size_t k, const char* cat) { return k * C + static_cast<std::size_t>(category_index(w.p, cat)); };
  auto set = [&](std::size_t kc, double share, double offered, double sold, std::array<double, 3> hist) {
    s.channels.offer_share[kc] = share;
    s.channels.offer_kg[kc] = offered;
    s.channels.sold_kg[kc] = sold;
    s.channels.sellthrough[kc] = hist;
  };
  const std::size_t sold_out = at(0, "fresh_vegetables"), capped = at(0, "fruit_berries"),
                    low = at(0, "eggs"), floor = at(0, "dairy"), middle = at(1, "fresh_vegetables"),
                    none = at(1, "fruit_berries"), boundary = at(1, "eggs");
  set(sold_out, 0.5, 100, 100, {1, 1, 1});
  set(capped, 0.95, 80, 80, {1, 1, 1});
  set(low, 0.5, 100, 20, {0.4, 0.1, 0.9});
  set(floor, 0.1, 100, 10, {0.1, 0.1, 0.1});
  set(middle, 0.4, 100, 70, {0.2, 0.2, 0.2});
  set(none, 0.3, 0, 0, {0.6, 0.6, 0.6});
  set(boundary, 0.3, 100, 50, {0.1, 0.1, 0.1});
  adapt(w.p, s);
  EXPECT_DOUBLE_EQ(s.channels.offer_share[sold_out], 0.55);
  EXPECT_EQ(s.channels.offer_share[capped], 1.0);
  // new history {0.2, 0.4, 0.1}: 0.5 x 0.2 + 0.3 x 0.4 + 0.2 x 0.1 = 0.24
  EXPECT_DOUBLE_EQ(s.channels.offer_share[low], 0.5 * 0.24);
  EXPECT_EQ(s.channels.sellthrough[low], (std::array<double, 3>{0.2, 0.4, 0.1}));
  EXPECT_EQ(s.channels.offer_share[floor], 0.05);  // 0.1 x 0.1 = 0.01 -> offer_share_min
  EXPECT_EQ(s.channels.offer_share[middle], 0.4);
  EXPECT_EQ(s.channels.sellthrough[middle], (std::array<double, 3>{0.7, 0.2, 0.2}));
  EXPECT_EQ(s.channels.offer_share[none], 0.3);  // no offer: no cycle, nothing learnt
  EXPECT_EQ(s.channels.sellthrough[none], (std::array<double, 3>{0.6, 0.6, 0.6}));
  EXPECT_EQ(s.channels.offer_share[boundary], 0.3);  // exactly 0.5 is not below 0.5
}

}  // namespace
}  // namespace lokalmat
