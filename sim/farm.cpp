#include "sim/farm.h"

#include <algorithm>

#include "sim/market.h"
#include "sim/world.h"

namespace lokalmat {

double expected_entry_gain(const Params& p, const State& s, std::size_t i) {
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
    double active = 0;
    for (std::uint32_t k2 : s.markets.channels[h]) active += s.producers.status[ch.producer[k2]] == FarmStatus::active;
    for (std::size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      const double potential = s.producers.area_daa[i * C + c] * cat.yield_kg_per_daa * pp.offer_share_initial;
      const double kg = std::min(potential, kWeeksPerYear * s.markets.unmet_kg_ema[h * C + c] / (active + 1.0));
      const double margin = farm_unit_price_nok(cat, pp, p.behaviour) - cat.outside_price_nok_per_kg;
      gain += kg * margin * s.price_index;
    }
  }
  if (!any_open) return 0;
  return gain - pp.admin_hours_per_week * kWeeksPerYear * p.behaviour.farmer_hour_value_nok * s.price_index;
}

bool wants_to_join(const Params& p, const State& s, std::size_t i) {
  const ProducerParams& pp = p.producers[i];
  const BehaviourParams& be = p.behaviour;
  const auto m = static_cast<std::size_t>(pp.municipality);
  const double cut = s.policy.supplier_events[m] > 0 ? p.municipalities[m].policy.entry_cost_cut : 0.0;
  const double cost = (pp.entry_cost_hours * be.farmer_hour_value_nok + pp.entry_cost_nok) * s.price_index *
                      (1.0 - cut) * (1.0 - be.trust_entry_cut * s.policy.trust[m]);
  return expected_entry_gain(p, s, i) > cost;
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

}  // namespace lokalmat
