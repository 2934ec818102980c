// The stylized facts of the seasons (MODEL.md §7) on the shipped Horten scenario: V2, the local
// share of fresh vegetables and the inclusion hours follow the growing season; V3, a local-purchase
// incentive raises the local share of fruit and vegetables in autumn and hardly in early winter.
// Each test prints the figures it measured, so that a failure (or a pass by a narrow margin) can be
// read against MODEL.md. A Horten run of ten years takes ~25 ms in Release.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/metrics.h"
#include "tests/support/sim_test_support.h"
#include "tests/support/stylized_test_support.h"

namespace lokalmat {
namespace {

// ---------------------------------------------------------------- V2 the season

// the fresh-vegetable local share (local channel + wholesaler's regional kg over demand) in
// kindergartens and SFOs, as kg summed over the given ISO weeks of all years of a run
struct Seasonal {
  double share_summer = 0;     // ISO weeks 24-42
  double share_winter = 0;     // ISO weeks 6-16
  double local_kg_winter = 0;  // local-channel fresh vegetables in weeks 6-16
  double hours_autumn = 0;     // mean work hours per week, ISO weeks 33-42
  double hours_winter = 0;     // ... weeks 6-16
};

Seasonal seasonal(const Params& p) {
  const int veg = test::category_index(p, "fresh_vegetables");
  FlowSums summer, winter;
  double hours_autumn = 0, hours_winter = 0;
  int n_autumn = 0, n_winter = 0;
  Seasonal out;
  test::run_scenario(p, [&](const WeekReport& r, const State&) {
    const FlowSums f = test::flows(r, -1, {veg}, test::kCoveredTypes);
    if (r.iso_week >= 24 && r.iso_week <= 42) summer.add(f);
    if (r.iso_week >= 6 && r.iso_week <= 16) {
      winter.add(f);
      hours_winter += r.muni_total.work_hours;
      ++n_winter;
    }
    if (r.iso_week >= 33 && r.iso_week <= 42) {
      hours_autumn += r.muni_total.work_hours;
      ++n_autumn;
    }
  });
  out.share_summer = (summer.local_kg + summer.regional_kg) / summer.demand_kg;
  out.share_winter = (winter.local_kg + winter.regional_kg) / winter.demand_kg;
  out.local_kg_winter = winter.local_kg;
  out.hours_autumn = hours_autumn / n_autumn;
  out.hours_winter = hours_winter / n_winter;
  return out;
}

// V2 Horten, seeds 1-4: in season the share is clearly above zero, in late winter near zero,
// and inclusion hours follow the season.
// thresholds: "clearly above zero" = above 0.10, five times the wholesaler's regional share
// (0.02), so the local channel itself supplies at least 8 points; "near zero" = no more than the
// regional share + 0.01 (fresh vegetables keep one week, so out of season only the wholesaler's
// regional sourcing can count as local).
TEST(Stylized, V2HortenSeasonalLocalShareAndWorkHours) {
  for (int seed : {1, 2, 3, 4}) {
    const Params p = test::load_shipped(test::kHorten, test::with_seed(seed));
    ASSERT_EQ(p.weeks, 520);
    const double regional =
        p.categories[static_cast<std::size_t>(test::category_index(p, "fresh_vegetables"))].wholesaler_regional_share;
    const Seasonal s = seasonal(p);
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::printf("V2 seed %d: fresh-veg local share weeks 24-42 %.4f, weeks 6-16 %.4f; work hours/week 33-42 %.2f, 6-16 %.2f\n",
                seed, s.share_summer, s.share_winter, s.hours_autumn, s.hours_winter);
    EXPECT_GT(s.share_summer, 0.10);
    EXPECT_LE(s.share_winter, regional + 0.01);
    EXPECT_EQ(s.local_kg_winter, 0.0);
    EXPECT_GT(s.hours_autumn, s.hours_winter);
    EXPECT_GT(s.hours_autumn, 0.0);
  }
}

// ---------------------------------------------------------------- V3 an incentive by season

// "fruit and vegetables" of V3: the fresh produce categories of MODEL.md §2 (fresh vegetables, fruit
// and berries). Potatoes and roots are a category of their own there, storable into spring, so a
// price incentive reaches them in winter too (Norwegian storage crops; the US study's 0-1% in
// Nov-Dec concerns fresh produce) — their winter response is outside this fact.
std::vector<int> fruit_veg(const Params& p) {
  return {test::category_index(p, "fresh_vegetables"), test::category_index(p, "fruit_berries")};
}

// local share by value as MODEL.md counts it: local channel + the wholesaler's regional sourcing
double local_share(const FlowSums& f) { return (f.local_nok + f.regional_nok) / (f.local_nok + f.wholesale_nok); }

// V3: a local-purchase incentive raises the local share of fruit and vegetables by about 10
// points in August-October and by under 2 points in November-December (the US farm-to-school
// modelling result MODEL.md cites: +11-12% vs 0-1%).
//
// Set-up: Horten (its exception covers fresh vegetables, potatoes/roots and fruit/berries) with and
// without an incentive of 10 NOK/kg, same seeds 1-5. 10 NOK/kg covers the local price premium of
// every fruit-and-vegetable category (the largest, fruit and berries at 28 x 1.25 x 1.3 + 2 NOK fee =
// 47.5 vs 40 NOK/kg, is 7.5 NOK/kg), so it is the strongest incentive that acts through price in
// this model. The premium budget is raised to NOK 1,000,000 a year so that the incentive is fully
// funded and backing does not react to its cost, and the day centre has 24 participants instead of 6
// so that the hub's capacity (its task hours, sim/hub.h) does not ration what kitchens order: the test
// is about the kitchens' response, as the source's was (US schools buying through distributors).
// With 6 participants the hub is full in about 4 of 10 autumn weeks under the incentive and
// rations every category in proportion (ODD §7.5); the test asserts that it is never full here.
// The share is counted in kindergartens and SFOs (the units the exception and so the incentive
// reach), by value, pooled over the weeks starting in those months in all ten years of a run.
//
// Tolerances: "about 10 points" (the source: +11-12%) is asserted as a mean rise of at least 8
// points less twice its standard error over the seeds and at most 14 points plus twice it; "under
// 2 points" as |mean difference| < 2 points. Measured: +11.95 ± 0.11 points in August-October and
// +0.00 in November-December. The model gave less (+4.6 points, an expected failure) until farms
// knew the buyers' calendar (D18): they counted the kindergartens' and SFOs' summer closure (ISO
// weeks 28-31) as weeks of unsold offers and cut their offer shares to the floor just before the
// autumn harvest. The farms' supply still matters: with their fruit and vegetable areas tripled the
// same incentive raises the share by more, paired by seed (more than twice the standard error of
// the paired differences; +0.55 ± 0.10 points).
struct V3Run {
  double autumn = 0, winter = 0;
};
V3Run v3_run(int seed, bool incentive, double area_factor) {
  Overrides o = test::with_seed(seed, {{"municipalities.horten.policy.premium_budget_nok_per_year", "1000000.0"},
                                       {"municipalities.horten.day_centre.participants", "24"}});
  if (incentive) o.emplace_back("municipalities.horten.policy.local_incentive_nok_per_kg", "10.0");
  if (area_factor != 1.0) {
    const std::vector<std::pair<std::string, double>> areas{
        {"farm_a.area_daa.fresh_vegetables", 12}, {"farm_a.area_daa.potatoes_roots", 15}, {"farm_a.area_daa.fruit_berries", 3},
        {"farm_b.area_daa.fresh_vegetables", 6},  {"farm_b.area_daa.potatoes_roots", 5},  {"farm_c.area_daa.fresh_vegetables", 4},
        {"farm_c.area_daa.fruit_berries", 5}};
    for (const auto& [key, daa] : areas) o.emplace_back("producers." + key, std::to_string(daa * area_factor));
  }
  const Params p = test::load_shipped(test::kHorten, o);
  const std::vector<int> cats = fruit_veg(p);
  FlowSums aug_oct, nov_dec;
  test::run_scenario(p, [&](const WeekReport& r, const State&) {
    const int month = r.week_start.month;
    if (month >= 8 && month <= 10) aug_oct.add(test::flows(r, 0, cats, test::kCoveredTypes));
    EXPECT_LT(r.munis[0].hub_throughput_kg, r.munis[0].hub_capacity_kg)
        << test::kUnexpectedFailure << " the hub is full in week " << r.week;
    if (month >= 11) nov_dec.add(test::flows(r, 0, cats, test::kCoveredTypes));
  });
  return {local_share(aug_oct), local_share(nov_dec)};
}

// mean and standard error of a sample
std::pair<double, double> mean_se(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m += v;
  m /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return {m, std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()))};
}

TEST(Stylized, V3IncentiveRaisesLocalFruitVegShareInAutumnNotInEarlyWinter) {
  constexpr int kSeeds = 5;
  std::vector<double> d_autumn, d_winter, d_autumn_more, extra;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const V3Run base = v3_run(seed, false, 1), with = v3_run(seed, true, 1);
    const V3Run base3 = v3_run(seed, false, 3), with3 = v3_run(seed, true, 3);
    std::printf("V3 seed %d: F&V local share Aug-Oct %.4f -> %.4f with the incentive (tripled areas %.4f -> %.4f), "
                "Nov-Dec %.4f -> %.4f\n",
                seed, base.autumn, with.autumn, base3.autumn, with3.autumn, base.winter, with.winter);
    d_autumn.push_back(with.autumn - base.autumn);
    d_winter.push_back(with.winter - base.winter);
    d_autumn_more.push_back(with3.autumn - base3.autumn);
    extra.push_back(d_autumn_more.back() - d_autumn.back());
  }
  const auto [ma, sa] = mean_se(d_autumn);
  const auto [mw, sw] = mean_se(d_winter);
  const auto [m3, s3] = mean_se(d_autumn_more);
  const auto [me, se] = mean_se(extra);
  std::printf("V3 mean rise: Aug-Oct %+.2f ± %.2f points, Nov-Dec %+.2f ± %.2f (MODEL.md: about +10 and under +2); "
              "with tripled areas Aug-Oct %+.2f ± %.2f, paired extra %+.2f ± %.2f\n",
              100 * ma, 100 * sa, 100 * mw, 100 * sw, 100 * m3, 100 * s3, 100 * me, 100 * se);
  EXPECT_GE(ma - 2 * sa, 0.08) << " the incentive should raise the Aug-Oct share by about 10 points (source: +11-12%)";
  EXPECT_LE(ma + 2 * sa, 0.14) << " about 10 points, not far more (source: +11-12%)";
  EXPECT_LT(std::abs(mw), 0.02) << test::kUnexpectedFailure;
  EXPECT_GT(ma - 2 * sa, 0.0) << test::kUnexpectedFailure << " the incentive raises the autumn share";
  EXPECT_GT(me - 2 * se, 0.0) << test::kUnexpectedFailure
                              << " more fruit and vegetables on the farms should let the incentive act more";
}

}  // namespace
}  // namespace lokalmat
