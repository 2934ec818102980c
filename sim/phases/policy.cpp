// Policy: what the rules in force do as the week begins (the wholesaler's shares,
// renewals, yearly competitions), and policy support (MODEL.md §3): projects ending,
// instruments withdrawn and reinstated at a budget year, adaptive steering, political
// backing with its results, costs, noise and elections, trust from co-creation
// arenas, and adoption through the learning network.
#include <algorithm>
#include <cmath>

#include "sim/market.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/premium_budget.h"
#include "sim/rng.h"
#include "sim/rules/contracts.h"
#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// the adaptive mode adds at most this many supplier development events a year
constexpr int kMaxSupplierEventsPerYear = 12;
// ... and moves the incentive by this many NOK/kg per unit of adaptive_step
constexpr double kAdaptiveIncentiveNokPerKgPerStep = 10.0;

// an election takes place in the week starting at `week_start` (MODEL.md §3:
// every four years from September 2027)
bool election_in_week(const PolicyParams& pol, Date week_start) {
  if (pol.election_interval_years <= 0) return false;
  const std::int64_t d0 = days_from_civil(week_start);
  for (int year : {week_start.year, add_days(week_start, 6).year}) {
    const int k = year - pol.first_election.year;
    if (k < 0 || k % pol.election_interval_years != 0) continue;
    const std::int64_t e = days_from_civil(Date{year, pol.first_election.month, pol.first_election.day});
    if (e >= d0 && e < d0 + 7) return true;
  }
  return false;
}

// the learning network: how many members there are, and how many have a scheme that works
// (last year's results, read before anyone changes this week)
struct NetworkView {
  double members = 0;
  double working = 0;
};
NetworkView view_network(const Params& p, const State& s) {
  NetworkView v;
  if (!p.network.enabled) return v;
  for (std::size_t m = 0; m < p.municipalities.size(); ++m) {
    if (!network_member(p, m)) continue;
    const auto& mp = p.municipalities[m];
    v.members += 1;
    v.working += framework_exception::scheme_in_place(mp, s, m) && local_channel_open(p, s, static_cast<int>(m)) &&
                 s.policy.share_ema[m] >= p.network.success_share * mp.policy.local_share_target;
  }
  return v;
}

// the rules' week: the agreement's shares, then each rule in force as the week, a renewal or
// a year begins; contracts whose holders left are void
void run_rules(const Params& p, State& s, std::size_t m) {
  const MunicipalityParams& mp = p.municipalities[m];
  framework::set_wholesaler_shares(p, s, m);
  for (int h : {s.hub_of_municipality[m], s.direct_of_municipality[m]}) {
    if (h < 0) continue;
    s.markets.tender_hours[static_cast<std::size_t>(h)] = 0;
    contracts::void_unheld(p, s, static_cast<std::size_t>(h));
  }
  const bool year_begins = s.week == 0 || s.iso_week == 1;
  for_each_rule_in_force(mp, [&](const RuleInfo& r) {
    if (r.hooks->each_week) r.hooks->each_week(p, s, m);
  });
  if (s.tender_week)
    for_each_rule_in_force(mp, [&](const RuleInfo& r) {
      if (r.hooks->framework_renewed) r.hooks->framework_renewed(p, s, m);
    });
  if (year_begins)
    for_each_rule_in_force(mp, [&](const RuleInfo& r) {
      if (r.hooks->year_begins) r.hooks->year_begins(p, s, m);
    });
}

// a project whose funding ends continues only with high backing, and is then integrated
void end_project(const MunicipalityParams& mp, State& s, std::size_t m, bool scheme) {
  const PolicyParams& pol = mp.policy;
  auto& po = s.policy;
  if (!scheme || po.integrated[m] || po.project_ended[m] || s.date < pol.project_end) return;
  if (po.backing[m] >= pol.project_continue_level) {
    po.integrated[m] = 1;
  } else {
    po.project_ended[m] = 1;
    po.exception_open[m] = 0;
    if (!platform_by_law(mp)) po.hub_funded[m] = 0;  // a mandate's logistics outlive the project
  }
}

// at a budget year (ISO week 1), instruments are withdrawn below the withdrawal level and return
// at the reinstate level (not after a project has ended); the adaptive mode steers them toward the
// target within the premium budget; the premium spent starts again
void review_budget_year(const MunicipalityParams& mp, State& s, std::size_t m, bool scheme) {
  const PolicyParams& pol = mp.policy;
  auto& po = s.policy;
  // stopping a running project early forfeits its grant: the municipality withdraws only at a
  // backing below the withdrawal level scaled by the part of the cost it pays itself
  if (po.backing[m] < pol.withdrawal_level * municipal_cost_share(pol, s, m)) {
    po.exception_open[m] = 0;
    if (!platform_by_law(mp)) po.hub_funded[m] = 0;  // a mandate's logistics are not politics'
  } else if (po.backing[m] >= pol.reinstate_level && !po.project_ended[m]) {
    if (scheme) po.exception_open[m] = 1;
    if (mp.hub.enabled) po.hub_funded[m] = 1;
  }
  if (pol.adaptive && scheme && po.exception_open[m]) {
    const bool below_target = po.share_ema[m] < pol.local_share_target;
    // the year just ended: did its premiums stay within the budget?
    const bool within_budget = premium_money_left(pol, s, m);
    if (below_target && within_budget) {
      po.supplier_events[m] = std::min(kMaxSupplierEventsPerYear, po.supplier_events[m] + 1);
      po.cap_share[m] = std::min(1.0, po.cap_share[m] + pol.adaptive_step);
      if (pol.premium_budget_unlimited || pol.premium_budget_nok_per_year > 0)  // an incentive needs money
        po.incentive_nok_per_kg[m] += pol.adaptive_step * kAdaptiveIncentiveNokPerKgPerStep;
    } else if (!within_budget) {
      po.incentive_nok_per_kg[m] =
          std::max(0.0, po.incentive_nok_per_kg[m] - pol.adaptive_step * kAdaptiveIncentiveNokPerKgPerStep);
    }
  }
  po.premium_year_nok[m] = 0;
  po.hub_net_cost_year_nok[m] = po.hub_budget_year_nok[m] = 0;
  po.covered_local_year_nok[m] = po.covered_spend_year_nok[m] = 0;
}

// the scheme's cost beyond its budget, as a share of the budget (0 within it). Premiums: the
// premium budget binds from the week after it is reached, so the overrun is that week's premiums
// and what needs no premium purchase (sim/premium_budget.h); spending the budget early in the year
// is no overrun; without money there is nothing to overrun, and an unlimited budget has none. The
// hub: its running cost less its fees since the budget year began, against its budget for the
// weeks it was funded (spread evenly over the year, as its costs are)
double scheme_overrun_share(const MunicipalityParams& mp, const State& s, std::size_t m) {
  const PolicyParams& pol = mp.policy;
  const auto& po = s.policy;
  double over = 0, budget = 0;
  if (!pol.premium_budget_unlimited && pol.premium_budget_nok_per_year > 0) {
    over += std::max(0.0, po.premium_year_nok[m] - premium_budget_nok(pol, s));
    budget += premium_budget_nok(pol, s);
  }
  if (mp.hub.enabled && po.hub_budget_year_nok[m] > 0) {
    over += std::max(0.0, po.hub_net_cost_year_nok[m] - po.hub_budget_year_nok[m]);
    budget += po.hub_budget_year_nok[m];
  }
  return budget > 0 ? over / budget : 0.0;
}

// backing follows visible results and costs, plus noise (MODEL.md §3 "Policy support"); municipal
// elections shift it by a random draw; co-creation arenas build trust, which decays without
// meetings, and farm visits make results visible
void move_backing(const Params& p, State& s, std::size_t m, bool scheme, Rng& rng) {
  const PolicyParams& pol = p.municipalities[m].policy;
  auto& po = s.policy;
  double result = 0, cost = 0, failure = 0;
  if (scheme && po.exception_open[m]) {
    result = pol.local_share_target > 0 ? po.share_ema[m] / pol.local_share_target - 1.0 : 0.0;
    result = std::min(result, 1.0);  // results beyond twice the target win no further backing
    failure = po.failure_ema[m];
    cost = scheme_overrun_share(p.municipalities[m], s, m);
  }
  double delta = (pol.result_weight_per_year * result - pol.cost_weight_per_year * cost -
                  pol.failure_weight_per_year * failure) / kWeeksPerYear;
  delta += pol.noise_sd_per_year / std::sqrt(static_cast<double>(kWeeksPerYear)) * rng.normal();
  // bounded drift: gains shrink as backing nears 1, losses as it nears 0
  delta *= delta > 0 ? 1.0 - po.backing[m] : po.backing[m];

  po.election_week[m] = election_in_week(pol, s.date) ? 1 : 0;
  const double shock = rng.normal();
  if (po.election_week[m]) delta += pol.election_sd * shock;

  // the weekly loss compounds to trust_decay_per_year over a year without meetings
  po.trust[m] *= std::pow(1.0 - p.behaviour.trust_decay_per_year, 1.0 / kWeeksPerYear);
  po.arena_week[m] = event_week(pol.arenas_per_year, s.iso_week) ? 1 : 0;
  if (po.arena_week[m]) po.trust[m] += p.behaviour.arena_trust_gain * (1.0 - po.trust[m]);
  po.visit_week[m] = scheme && po.exception_open[m] && event_week(pol.farm_visits_per_year, s.iso_week) ? 1 : 0;
  if (po.visit_week[m]) delta += p.behaviour.visit_backing_gain * (1.0 - po.backing[m]);
  po.backing[m] = clamp01(po.backing[m] + delta);
}

// adoption: peers' working schemes are copied with some probability (members), or found alone;
// the change comes after the mapping and mobilisation years
void consider_adoption(const Params& p, State& s, std::size_t m, bool scheme, const NetworkView& net, Rng& rng) {
  const MunicipalityParams& mp = p.municipalities[m];
  auto& po = s.policy;
  const double u_adopt = rng.uniform();
  const bool budget_year = s.iso_week == 1 && s.week > 0;
  if (!budget_year || scheme || !mp.hub.enabled) return;
  if (po.adopt_year[m] == 0) {
    double chance = p.network.spontaneous_per_year;
    if (p.network.enabled && network_member(p, m) && net.members > 0)
      chance += p.network.imitation_per_year * net.working / net.members;
    if (u_adopt < chance) po.adopt_year[m] = s.iso_year + p.network.cycle_years;
  }
  if (po.adopt_year[m] != 0 && s.iso_year >= po.adopt_year[m]) {
    // the new scheme starts neutral, as a scheme in force from the start does (start_policy): the
    // local share smoothed over the years before it existed is no result of it (D36)
    po.share_ema[m] = mp.policy.local_share_target;
    po.adopted[m] = 1;
    po.exception_open[m] = 1;
    po.hub_funded[m] = 1;
  }
}

}  // namespace

void update_policy(const Params& p, State& s) {
  const bool budget_year = s.iso_week == 1 && s.week > 0;
  const NetworkView net = view_network(p, s);
  parallel_over(p.municipalities.size(), [&](std::size_t m) {
    const MunicipalityParams& mp = p.municipalities[m];
    Rng rng(p.seed, Stream::policy, m, static_cast<std::uint64_t>(s.week));
    const bool scheme = framework_exception::scheme_in_place(mp, s, m);
    run_rules(p, s, m);
    end_project(mp, s, m, scheme);
    if (budget_year) review_budget_year(mp, s, m, scheme);
    move_backing(p, s, m, scheme, rng);
    consider_adoption(p, s, m, scheme, net, rng);
  });
}

}  // namespace lokalmat
