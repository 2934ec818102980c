#include "sim/market.h"

#include "sim/rules/hooks.h"
#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

Point market_site(const Params& p, const State& s, std::size_t h) {
  const MunicipalityParams& mp = p.municipalities[s.markets.municipality[h]];
  return s.markets.kind[h] == MarketKind::platform ? mp.hub.position : mp.centre;
}

bool local_channel_open(const Params& p, const State& s, int m) {
  const auto mm = static_cast<std::size_t>(m);
  const auto& mp = p.municipalities[mm];
  if (s.hub_of_municipality[mm] < 0) return false;
  // a mandate is law: it does not wait for political backing
  if (platform_by_law(mp)) return s.policy.hub_funded[mm] != 0;
  return framework_exception::scheme_in_place(mp, s, mm) && s.policy.exception_open[mm] && s.policy.hub_funded[mm] &&
         s.policy.backing[mm] >= mp.policy.backing_min_exception;
}

bool market_open(const Params& p, const State& s, std::size_t h) {
  if (s.markets.dps[h]) return true;                           // a purchasing system the municipality has set up
  if (s.markets.kind[h] == MarketKind::direct) return true;    // the law allows it; the limit binds in clearing
  return local_channel_open(p, s, static_cast<int>(s.markets.municipality[h]));
}

bool market_takes_orders(const Params& p, const State& s, std::size_t h) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  for (std::size_t slot = h * C * 2; slot < (h + 1) * C * 2; ++slot)
    if (s.markets.contract_kind[slot] != ContractKind::none) return true;  // a contract's categories, whatever else holds
  return market_open(p, s, h);
}

bool market_serves_this_week(const Params& p, const State& s, std::size_t h) {
  for (std::uint32_t b : s.markets.buyers[h]) {
    if (serves_in_week(p.buyer_types[static_cast<std::size_t>(p.buyers[b].type)], s.iso_week)) return true;
  }
  return false;
}

bool market_open_for(const Params& p, const State& s, std::size_t b) {
  const int h = s.buyer_market[b];
  return h >= 0 && market_open(p, s, static_cast<std::size_t>(h));
}

}  // namespace lokalmat
