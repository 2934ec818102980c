// The stylized fact V1 (MODEL.md §7), the status quo, on the shipped Horten scenario under
// framework_only: every week of ten years.
#include <gtest/gtest.h>

#include <algorithm>
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

}  // namespace
}  // namespace lokalmat
