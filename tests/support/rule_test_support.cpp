#include "tests/support/rule_test_support.h"

#include <algorithm>

namespace lokalmat::test {

std::size_t slot(std::size_t h_or_k, std::size_t C, std::size_t c, int season) {
  return (h_or_k * C + c) * 2 + static_cast<std::size_t>(season);
}

double season_volume_kg(const Params& p, std::size_t c, int season) {
  double kg = 0;
  for (const BuyerParams& b : p.buyers) {
    const BuyerTypeParams& tp = p.buyer_types[static_cast<std::size_t>(b.type)];
    double intake = 0;
    for (double d : tp.demand_kg_per_eater_day) intake += d;
    const double waste_factor = 1.0 + tp.waste_g_per_eater_day / 1000.0 / intake;
    for (int wk = 1; wk <= kWeeksPerYear; ++wk) {
      const int s = p.categories[c].harvest_weight[static_cast<std::size_t>(wk - 1)] > 0 ? 1 : 0;
      if (s != season || std::count(tp.closed_weeks.begin(), tp.closed_weeks.end(), wk)) continue;
      kg += b.eaters * tp.service_days_per_week * tp.demand_kg_per_eater_day[c] * waste_factor;
    }
  }
  return kg;
}

double bid_price(const Params& p, std::size_t i, std::size_t c) {
  const ProducerParams& f = p.producers[i];
  return p.categories[c].farm_cost_nok_per_kg * (1.0 + f.margin) *
         (f.organic ? 1.0 + p.behaviour.organic_price_premium : 1.0);
}

}  // namespace lokalmat::test
