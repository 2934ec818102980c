#include "sim/farm.h"

#include <algorithm>
#include <cmath>

#include "sim/market.h"
#include "sim/world.h"

namespace lokalmat {

std::vector<double> active_farms_per_market(const State& s) {
  std::vector<double> active(s.markets.channels.size(), 0.0);
  for (std::size_t h = 0; h < active.size(); ++h)
    for (std::uint32_t k : s.markets.channels[h]) active[h] += s.producers.status[s.channels.producer[k]] == FarmStatus::active;
  return active;
}

double expected_entry_gain(const Params& p, const State& s, std::size_t i, const std::vector<double>& active_farms) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const ProducerParams& pp = p.producers[i];
  const auto& ch = s.channels;
  double gain = 0;
  bool any_open = false;
  for (std::uint32_t k = s.producers.channel_begin[i]; k < s.producers.channel_begin[i + 1]; ++k) {
    const std::size_t h = ch.market[k];
    if (!market_takes_orders(p, s, h)) continue;
    any_open = true;
    // the unmet demand is shared with the farms already active there
    const double active = active_farms[h];
    for (std::size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      if (!bought_locally(cat)) continue;
      const double potential = season_product_kg(cat, s.producers.area_daa[i * C + c]) * pp.offer_share_initial;
      const double kg = std::min(potential, kWeeksPerYear * s.markets.unmet_kg_ema[h * C + c] / (active + 1.0));
      const double margin = farm_share_of_price_nok(cat, farm_unit_price_nok(cat, pp, p.behaviour), 1.0) -
                            outside_value_nok_per_kg(cat);
      gain += kg * margin * s.price_index;
    }
  }
  if (!any_open) return 0;
  return gain - pp.admin_hours_per_week * kWeeksPerYear * p.behaviour.farmer_hour_value_nok * s.price_index;
}

bool wants_to_join(const Params& p, const State& s, std::size_t i, const std::vector<double>& active_farms) {
  const ProducerParams& pp = p.producers[i];
  const BehaviourParams& be = p.behaviour;
  const auto m = static_cast<std::size_t>(pp.municipality);
  const double cut = s.policy.supplier_events[m] > 0 ? p.municipalities[m].policy.entry_cost_cut : 0.0;
  const double cost = (pp.entry_cost_hours * be.farmer_hour_value_nok + pp.entry_cost_nok) * s.price_index *
                      (1.0 - cut) * (1.0 - be.trust_entry_cut * s.policy.trust[m]);
  return expected_entry_gain(p, s, i, active_farms) > cost;
}

std::vector<std::uint32_t> farms_that_join(const Params& p, const State& s, const std::vector<std::uint32_t>& candidates) {
  std::vector<double> sharing = active_farms_per_market(s);
  std::vector<std::pair<double, std::uint32_t>> order;  // (-gain, id): highest gain first, ties by id
  order.reserve(candidates.size());
  for (std::uint32_t i : candidates) order.emplace_back(-expected_entry_gain(p, s, i, sharing), i);
  std::sort(order.begin(), order.end());
  std::vector<std::uint32_t> joining;
  for (const auto& entry : order) {
    const std::uint32_t i = entry.second;
    if (!wants_to_join(p, s, i, sharing)) continue;
    joining.push_back(i);
    for (std::uint32_t k = s.producers.channel_begin[i]; k < s.producers.channel_begin[i + 1]; ++k)
      sharing[s.channels.market[k]] += 1.0;
  }
  return joining;
}

void enter_channel(const Params& p, State& s, std::size_t i) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  s.producers.status[i] = FarmStatus::active;
  for (std::uint32_t k = s.producers.channel_begin[i]; k < s.producers.channel_begin[i + 1]; ++k)
    for (std::size_t c = 0; c < C; ++c) {
      s.channels.offer_share[k * C + c] = p.producers[i].offer_share_initial;
      s.channels.sellthrough[k * C + c] = {1.0, 1.0, 1.0};
    }
}

ActiveFarmGrid::ActiveFarmGrid(const Params& p, const State& s) : cells_(p.municipalities.size()) {
  const BehaviourParams& be = p.behaviour;
  const double straight_km = be.neighbour_radius_km / be.road_factor;
  cell_km_ = straight_km > 0 ? straight_km : 1.0;
  for (std::size_t m = 0; m < cells_.size(); ++m) {
    for (std::uint32_t j : s.producers_of_municipality[m])
      if (s.producers.status[j] == FarmStatus::active) cells_[m].push_back({cell_of(p.producers[j].position), j});
    std::sort(cells_[m].begin(), cells_[m].end());
  }
}

int ActiveFarmGrid::neighbours(const Params& p, std::size_t m, std::size_t i) const {
  const BehaviourParams& be = p.behaviour;
  const Point at = p.producers[i].position;
  const auto [cx, cy] = cell_of(at);
  int n = 0;
  for (std::int64_t dx = -2; dx <= 2; ++dx)
    for (std::int64_t dy = -2; dy <= 2; ++dy) {
      const Cell k{cx + dx, cy + dy};
      auto it = std::lower_bound(cells_[m].begin(), cells_[m].end(), std::pair<Cell, std::uint32_t>{k, 0});
      for (; it != cells_[m].end() && it->first == k; ++it)
        if (it->second != i && road_km(be, at, p.producers[it->second].position) <= be.neighbour_radius_km) ++n;
    }
  return n;
}

ActiveFarmGrid::Cell ActiveFarmGrid::cell_of(Point q) const {
  // far-off (or not finite) positions share the outermost cells: still tested one by one
  constexpr double kLimit = 1099511627776.0;  // 2^40 cells each way
  const auto index = [&](double v) {
    const double c = std::floor(v / cell_km_);
    return static_cast<std::int64_t>(c > -kLimit ? std::min(c, kLimit) : -kLimit);
  };
  return {index(q.x_km), index(q.y_km)};
}

}  // namespace lokalmat
