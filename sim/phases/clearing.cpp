// Clearing: on each market, orders summed in ascending buyer id are matched to the
// offers (over-subscribed categories rationed proportionally), the rules in force
// may refuse what would pass their limits, and a hub's capacity rations everything
// accepted; then the accepted kg are shared among the farms.
#include <algorithm>

#include "sim/hub.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/rules/hooks.h"

namespace lokalmat {

namespace {

// farms watch the demand they could not meet (their entry signal), smoothed over half a year
constexpr double kUnmetDemandMemoryWeeks = 26.0;

// orders against offers, category by category; returns the kg accepted on the market
double accept_orders(const Params& p, State& s, std::size_t h) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& mkt = s.markets;
  const MunicipalityParams& mp = p.municipalities[mkt.municipality[h]];
  double accepted_total = 0;
  ClearingTally tally;
  for (std::size_t c = 0; c < C; ++c) {
    double ordered = 0, desired = 0;
    for (std::uint32_t b : mkt.buyers[h]) {
      ordered += s.buyers.local_order_kg[b * C + c];
      desired += s.buyers.local_desire_kg[b * C + c];
    }
    const std::size_t hc = h * C + c;
    mkt.ordered_kg[hc] = ordered;
    const double offered = mkt.offered_kg[hc];
    mkt.accept_ratio[hc] = ordered > 0 ? std::min(1.0, offered / ordered) : 0.0;
    for_each_rule_in_force(mp, [&](const RuleInfo& r) {
      if (r.hooks->limit_acceptance) r.hooks->limit_acceptance(p, s, h, c, tally);
    });
    accepted_total += ordered * mkt.accept_ratio[hc];
    mkt.unmet_kg_ema[hc] += (std::max(0.0, desired - offered) - mkt.unmet_kg_ema[hc]) / kUnmetDemandMemoryWeeks;
  }
  return accepted_total;
}

// each farm sells in proportion to its offer
void sell_in_proportion(const Params& p, State& s, std::size_t h) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& mkt = s.markets;
  auto& ch = s.channels;
  for (std::uint32_t k : mkt.channels[h])
    for (std::size_t c = 0; c < C; ++c) {
      const double offered = mkt.offered_kg[h * C + c];
      const double take = offered > 0 ? mkt.ordered_kg[h * C + c] * mkt.accept_ratio[h * C + c] / offered : 0.0;
      ch.sold_kg[k * C + c] = ch.offer_kg[k * C + c] * take * mkt.handle_ratio[h];
    }
}

}  // namespace

void clear_markets(const Params& p, State& s) {
  auto& mkt = s.markets;
  parallel_over(mkt.municipality.size(), [&](std::size_t h) {
    const std::size_t m = mkt.municipality[h];
    const MunicipalityParams& mp = p.municipalities[m];
    const double accepted_total = accept_orders(p, s, h);
    // a hub's capacity binds (proportional rationing of everything accepted); on a direct market
    // each farm delivers what it sold
    if (mkt.kind[h] == MarketKind::direct) mkt.capacity_kg[h] = accepted_total;
    else mkt.capacity_kg[h] = s.policy.hub_funded[m] ? planned_capacity_kg(p, mp, s, h, accepted_total) : 0.0;
    mkt.handle_ratio[h] = accepted_total > 0 ? std::min(1.0, mkt.capacity_kg[h] / accepted_total) : 0.0;
    mkt.handled_kg[h] = accepted_total * mkt.handle_ratio[h];
    bool allocated = false;
    for_each_rule_in_force(mp, [&](const RuleInfo& r) {
      if (!allocated && r.hooks->allocate_sales) allocated = r.hooks->allocate_sales(p, s, h);
    });
    if (!allocated) sell_in_proportion(p, s, h);
  });
}

}  // namespace lokalmat
