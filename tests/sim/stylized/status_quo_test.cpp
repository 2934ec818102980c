// The stylized fact V1 (MODEL.md §7), the status quo, on the shipped Horten scenario under
// framework_only: every week of ten years.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/metrics.h"
#include "tests/support/sim_test_support.h"
#include "tests/support/stylized_test_support.h"

namespace lokalmat {
namespace {

// fruit and vegetables: the categories of V1
const std::vector<std::string> kFruitVeg = {"fresh_vegetables", "fruit_berries", "potatoes_roots"};

// V1 status quo: under framework_only the local share of fruit and vegetables, by value and by
// volume, is no more than the wholesaler's largest regional share of those categories (it is the
// regional sourcing alone); no kg through a local channel and no inclusion hours, every week
TEST(Stylized, V1StatusQuoLocalShareAtMostRegionalAndNoWorkHours) {
  const Params p = test::load_shipped("scenarios/horten-status-quo.toml");
  ASSERT_EQ(p.weeks, 520);
  std::vector<int> cats;
  double max_regional = 0;
  for (const auto& name : kFruitVeg) {
    cats.push_back(test::category_index(p, name));
    max_regional = std::max(max_regional, p.categories[static_cast<std::size_t>(cats.back())].wholesaler_regional_share);
  }
  ASSERT_GT(max_regional, 0.0);
  ASSERT_LT(max_regional, 0.1);  // "a few %"
  const MetricDef* value = find_metric("local_share_value");
  const MetricDef* volume = find_metric("local_share_volume");
  ASSERT_NE(value, nullptr);
  ASSERT_NE(volume, nullptr);

  // rounding allowance: the shares are ratios of sums of products, exact to ~1e-15
  constexpr double eps = 1e-12;
  int weeks_with_food = 0, failures = 0;
  FlowSums all;
  test::run_scenario(p, [&](const WeekReport& r, const State&) {
    GroupSums g;
    g.flow = test::flows(r, -1, cats, {});
    all.add(g.flow);
    EXPECT_EQ(g.flow.local_kg, 0.0) << "week " << r.week;
    EXPECT_EQ(g.flow.local_nok, 0.0) << "week " << r.week;
    EXPECT_EQ(r.muni_total.work_hours, 0.0) << "week " << r.week;
    EXPECT_EQ(r.muni_total.participants_engaged, 0.0) << "week " << r.week;
    if (g.flow.demand_kg <= 0) return;
    ++weeks_with_food;
    const double sv = value->eval(g), sk = volume->eval(g);
    if (!(sv <= max_regional + eps && sk <= max_regional + eps) && ++failures <= 5)
      ADD_FAILURE() << "week " << r.week << ": local share value " << sv << ", volume " << sk << " > " << max_regional;
  });
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(weeks_with_food, 520);  // nursing homes eat every week
  GroupSums g;
  g.flow = all;
  EXPECT_LE(value->eval(g), max_regional + eps);
  EXPECT_LE(volume->eval(g), max_regional + eps);
}

// V1, stopped only by the rule: the same Horten (its hub, its three farms, its kitchens) with the
// exception taken away. Seeds 1-5, each run with framework_only and, as the control, with the
// exception (the shipped horten.toml), neither adopting the other rule during the run. Under the
// exception the same farms offer fruit and vegetables and the kindergartens and SFOs buy them: their
// fruit-and-vegetable share by value is above the wholesaler's regional share by more than a point
// (mean less twice its standard error over the seeds; measured 4.0 ± 0.05 points). Under
// framework_only nothing goes through a local channel (the farms do not offer to a channel no unit
// may buy from), the share is at most the regional share, and there is no work at the day centre.
TEST(Stylized, V1TheRuleAloneStopsLocalBuyingWhereFarmsOfferAndKitchensWouldBuy) {
  constexpr int kSeeds = 5;
  std::vector<double> gap;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    double share[2] = {0, 0};
    for (int exception : {0, 1}) {
      // no spontaneous adoption: the municipality keeps the rule it is given for ten years
      Overrides o = test::with_seed(seed, {{"network.spontaneous_per_year", "0.0"}});
      if (!exception) o.emplace_back("municipalities.horten.rules", R"(["framework_only"])");
      const Params p = test::load_shipped(test::kHorten, o);
      ASSERT_TRUE(p.municipalities[0].hub.enabled);
      std::vector<int> cats;
      for (const auto& name : kFruitVeg) cats.push_back(test::category_index(p, name));
      const std::size_t C = static_cast<std::size_t>(p.n_categories());
      double offered = 0, hours = 0;
      FlowSums covered;
      test::run_scenario(p, [&](const WeekReport& r, const State& s) {
        covered.add(test::flows(r, 0, cats, test::kCoveredTypes));
        hours += r.muni_total.work_hours;
        for (std::size_t kc = 0; kc < s.channels.offer_kg.size(); ++kc)
          if (std::find(cats.begin(), cats.end(), static_cast<int>(kc % C)) != cats.end()) offered += s.channels.offer_kg[kc];
      });
      GroupSums g;
      g.flow = covered;
      share[exception] = find_metric("local_share_value")->eval(g);
      if (exception) {
        EXPECT_GT(offered, 1000.0) << "seed " << seed << ": the farms offer fruit and vegetables";
      } else {
        EXPECT_EQ(covered.local_kg, 0.0) << "seed " << seed;
        EXPECT_EQ(hours, 0.0) << "seed " << seed;
      }
    }
    double max_regional = 0;
    const Params p = test::load_shipped(test::kHorten);
    for (const auto& name : kFruitVeg)
      max_regional = std::max(max_regional, p.categories[static_cast<std::size_t>(test::category_index(p, name))].wholesaler_regional_share);
    EXPECT_LE(share[0], max_regional + 1e-12) << "seed " << seed;
    gap.push_back(share[1] - max_regional);
    std::printf("V1 seed %d: covered units' F&V local share %.4f under framework_only, %.4f with the exception (regional %.3f)\n",
                seed, share[0], share[1], max_regional);
  }
  double m = 0, ss = 0;
  for (double g : gap) m += g;
  m /= kSeeds;
  for (double g : gap) ss += (g - m) * (g - m);
  const double se = std::sqrt(ss / (kSeeds - 1) / kSeeds);
  std::printf("V1 the exception's share above the regional share: %.2f ± %.2f points\n", 100 * m, 100 * se);
  EXPECT_GT(m - 2 * se, 0.01) << "kitchens would buy local fruit and vegetables if the rule let them";
}

}  // namespace
}  // namespace lokalmat
