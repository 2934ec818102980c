// Feedback: the signals next week's policy reads, from this week's published sums
// (the weekly report): the local share in the units and categories the exception
// covers (smoothed, and summed over the budget year so far), the rate of failed deliveries, both smoothed over a year, the premium
// spent against the premium budget and the hub's cost against its budget. Politicians judge the scheme by what is reported,
// over whole seasons, not by the week.
#include "sim/phases/phases.h"
#include "sim/state.h"
#include "sim/world.h"

namespace lokalmat {

void feed_back_results(const Params& p, const WeekReport& r, State& s) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const std::size_t M = p.municipalities.size();
  // a year's memory
  constexpr double kAlpha = 1.0 / kWeeksPerYear;
  auto& po = s.policy;
  for (std::size_t m = 0; m < M; ++m) {
    const MuniSums& ms = r.munis[m];
    if (ms.covered_spend_nok > 0)
      po.share_ema[m] += kAlpha * (ms.covered_local_nok / ms.covered_spend_nok - po.share_ema[m]);
    po.covered_local_year_nok[m] += ms.covered_local_nok;
    po.covered_spend_year_nok[m] += ms.covered_spend_nok;
    po.covered_spend_week_nok[m] = ms.covered_spend_nok;
    double full = 0, partial = 0, none = 0;
    for (int t = 0; t < kBuyerTypes; ++t) {
      const TypeSums& ts = r.types[m * kBuyerTypes + static_cast<std::size_t>(t)];
      full += ts.deliveries_full;
      partial += ts.deliveries_partial;
      none += ts.deliveries_none;
    }
    if (full + partial + none > 0)
      // outright failures (nothing came) count; partial deliveries are ordinary in local food
      po.failure_ema[m] += kAlpha * (none / (full + partial + none) - po.failure_ema[m]);
    // premiums paid and incentives given draw on the premium budget; local food cheaper than the
    // list price saves the units' food budgets, not the premium budget
    double premium = 0;
    for (std::size_t i = 0; i < kBuyerTypes * C; ++i) premium += r.cells[m * kBuyerTypes * C + i].premium_paid_nok;
    for (std::size_t t = 0; t < kBuyerTypes; ++t) premium += r.types[m * kBuyerTypes + t].incentive_nok;
    po.premium_year_nok[m] += premium;
    // the hub's running cost less the fees it took, against its budget for the weeks it was
    // funded (indexed as its costs are)
    const HubParams& hp = p.municipalities[m].hub;
    // a running project's external funding pays its part of the cost: backing sees the rest
    po.hub_net_cost_year_nok[m] += ms.hub_cost_nok * municipal_cost_share(p.municipalities[m].policy, s, m) - ms.hub_fee_nok;
    if (hp.enabled && po.hub_funded[m])
      po.hub_budget_year_nok[m] += hp.budget_nok_per_year / kWeeksPerYear * s.price_index;
  }
}

void record_state_hash(const State& s, WeekReport& r) { r.state_hash = hash_state(s); }

}  // namespace lokalmat
