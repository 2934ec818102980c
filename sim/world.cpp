#include "sim/world.h"

#include <algorithm>
#include <cmath>

#include "sim/state.h"

namespace lokalmat {

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool has_rule(const MunicipalityParams& m, Rule r) {
  return std::find(m.rules.begin(), m.rules.end(), r) != m.rules.end();
}

double road_km(const BehaviourParams& b, Point a, Point c) {
  return b.road_factor * std::hypot(a.x_km - c.x_km, a.y_km - c.y_km);
}

int season_index(int iso_week) { return std::min(iso_week, kWeeksPerYear) - 1; }

bool in_season(const CategoryParams& cat, int iso_week) {
  return cat.harvest_weight[static_cast<std::size_t>(season_index(iso_week))] > 0;
}

bool has_harvest_window(const CategoryParams& cat) {
  return std::any_of(cat.harvest_weight.begin(), cat.harvest_weight.end(), [](double v) { return v <= 0; });
}

bool in_harvest_window(const CategoryParams& cat, int iso_week) { return has_harvest_window(cat) && in_season(cat, iso_week); }

double waste_factor(const BuyerTypeParams& tp, std::size_t categories) {
  double intake = 0;
  for (std::size_t k = 0; k < categories; ++k) intake += tp.demand_kg_per_eater_day[k];
  return intake > 0 ? 1.0 + tp.waste_g_per_eater_day / kGramsPerKg / intake : 1.0;
}

bool exception_covers(const MunicipalityParams& m, BuyerType t) {
  return std::find(m.exception_buyer_types.begin(), m.exception_buyer_types.end(), t) !=
         m.exception_buyer_types.end();
}

bool exception_covers_category(const MunicipalityParams& m, std::size_t c) {
  return contains(m.exception_categories, static_cast<int>(c));
}

bool network_member(const Params& p, std::size_t m) {
  if (!p.network.enabled) return false;
  return p.network.members.empty() ||
         std::find(p.network.members.begin(), p.network.members.end(), static_cast<int>(m)) != p.network.members.end();
}

double coordination_factor(const PolicyParams& pol) {
  const int n = std::clamp(pol.sectors_involved, 1, kSectors);
  return 1.0 - pol.sector_coordination_cut * (n - 1) / static_cast<double>(kSectors - 1);
}

bool serves_in_week(const BuyerTypeParams& tp, int iso_week) { return !contains(tp.closed_weeks, iso_week); }

double municipal_cost_share(const PolicyParams& pol, const State& s, std::size_t m) {
  const bool project_runs = !s.policy.integrated[m] && !s.policy.project_ended[m] && s.date < pol.project_end;
  return project_runs ? 1.0 - pol.project_grant_share : 1.0;
}

bool event_week(int per_year, int iso_week) {
  if (per_year <= 0 || iso_week > kWeeksPerYear) return false;
  const int spacing = std::max(1, kWeeksPerYear / per_year);
  return (iso_week - 1) % spacing == 0 && (iso_week - 1) / spacing < per_year;
}

bool bought_locally(const CategoryParams& cat) { return cat.local_route != LocalRoute::none; }

double product_kg_per_farm_kg(const CategoryParams& cat) {
  return cat.local_route == LocalRoute::processor ? cat.processing_yield : 1.0;
}

double season_product_kg(const CategoryParams& cat, double area_daa) {
  return area_daa * cat.yield_kg_per_daa * product_kg_per_farm_kg(cat);
}

double farm_unit_price_nok(const CategoryParams& cat, const ProducerParams& pp, const BehaviourParams& b) {
  const double organic = pp.organic ? 1.0 + b.organic_price_premium : 1.0;
  const double gate = cat.farm_cost_nok_per_kg * (1.0 + pp.margin) * organic;
  if (cat.local_route != LocalRoute::processor) return gate;
  return gate / cat.processing_yield + cat.processing_cost_nok_per_kg;
}

double farm_share_of_price_nok(const CategoryParams& cat, double price_nok_per_kg, double price_index) {
  if (cat.local_route != LocalRoute::processor) return price_nok_per_kg;
  return price_nok_per_kg - cat.processing_cost_nok_per_kg * price_index;
}

double outside_value_nok_per_kg(const CategoryParams& cat) {
  if (cat.local_route != LocalRoute::processor) return cat.outside_price_nok_per_kg;
  return cat.outside_price_nok_per_kg / cat.processing_yield;
}

}  // namespace lokalmat
