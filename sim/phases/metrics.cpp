// Metrics: a pure observer. The week's state is reduced into the sums of the weekly
// report (sim/metrics.h) per cell (municipality x kitchen type x category), per
// (municipality x kitchen type) and per municipality, always in ascending id order,
// so every sum is bit-identical at any thread count. Every published metric is a
// function of these sums.
#include <algorithm>

#include "sim/hub.h"
#include "sim/market.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// food and money of each kitchen, by category, and the kitchen-type sums
void sum_kitchens(const Params& p, const State& s, std::size_t m, WeekReport& r) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const MunicipalityParams& mp = p.municipalities[m];
  const double sn = p.wholesaler.short_notice_premium;
  const auto& bu = s.buyers;
  for (std::uint32_t b : s.buyers_of_municipality[m]) {
    const BuyerParams& bp = p.buyers[b];
    const BuyerTypeParams& tp = p.buyer_types[static_cast<std::size_t>(bp.type)];
    const auto t = static_cast<std::size_t>(bp.type);
    // the unit's own market: the hub (platform) or the municipality's direct market
    const int mk = s.buyer_market[b];
    const auto mm = static_cast<std::size_t>(std::max(mk, 0));
    const bool platform = mk >= 0 && s.markets.kind[mm] == MarketKind::platform;
    const Point site = platform ? mp.hub.position : mp.centre;
    const double road_site = mk >= 0 ? road_km(p.behaviour, site, bp.position) : 0.0;
    const double fee = platform ? hub_fee_nok_per_kg(mp, s) : 0.0;
    const bool covered_type = exception_covers(mp, bp.type);
    const bool child_unit = bp.type == BuyerType::kindergarten || bp.type == BuyerType::sfo;
    for (std::size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      const std::size_t bc = b * C + c;
      FlowSums& f = r.cells[(m * kBuyerTypes + t) * C + c];
      const double wholesale_price = framework::wholesale_price_nok_per_kg(p, s, m, c);
      const double local_price = mk >= 0 ? s.markets.delivered_price[mm * C + c] + fee : 0.0;
      const double lk = bu.local_kg[bc], wk = bu.wholesale_kg[bc];
      // the wholesaler's Norwegian and regional shares in force this week (the policy phase)
      const double norwegian = s.policy.wholesaler_norwegian_share[m * C + c];
      const double regional = s.policy.wholesaler_regional_share[m * C + c];
      f.demand_kg += bu.demand_kg[bc];
      f.local_order_kg += bu.local_order_kg[bc];
      f.local_kg += lk;
      f.local_nok += bu.local_nok[bc];
      f.wholesale_kg += wk;
      f.wholesale_nok += bu.wholesale_nok[bc];
      f.regional_kg += wk * regional;
      f.regional_nok += bu.wholesale_nok[bc] * regional;
      f.norwegian_kg += lk + wk * norwegian;
      f.fallback_kg += bu.fallback_kg[bc];
      const double short_notice_nok = bu.fallback_kg[bc] * wholesale_price * sn;
      f.premium_nok += lk * (local_price - wholesale_price) + short_notice_nok;
      f.premium_paid_nok += lk * std::max(0.0, local_price - wholesale_price) + short_notice_nok;
      const double organic_kg = (mk >= 0 ? lk * s.markets.organic_ratio[mm * C + c] : 0.0) + wk * cat.wholesaler_organic_share;
      f.organic_kg += organic_kg;
      if (child_unit) {
        r.munis[m].child_food_kg += bu.demand_kg[bc];
        r.munis[m].child_organic_kg += organic_kg;
        r.munis[m].child_goal_kg += bu.demand_kg[bc] * mp.policy.organic_share_target;
      }
      // transport: farm -> hub (or centre) -> kitchen by van; origin -> warehouse -> kitchen by truck
      const double local_km = mk >= 0 ? s.markets.farm_km[mm * C + c] + road_site : 0.0;
      const double chain_kg_per_kg = framework::chain_co2e_kg_per_kg(p, cat);
      f.co2e_kg += lk / kKgPerTonne * local_km * cat.co2e_van_kg_per_tkm + wk * chain_kg_per_kg;
      f.co2e_reference_kg += bu.demand_kg[bc] * chain_kg_per_kg;
      if (covered_type && exception_covers_category(mp, c)) {
        r.munis[m].covered_local_nok += bu.local_nok[bc];
        r.munis[m].covered_spend_nok += bu.local_nok[bc] + bu.wholesale_nok[bc];
      }
    }
    TypeSums& ts = r.types[m * kBuyerTypes + t];
    ts.meals += bu.meals[b];
    ts.budget_nok += bu.budget_week_nok[b];
    ts.admin_hours += bu.admin_hours[b];
    ts.kitchen_waste_kg += bu.meals[b] * tp.waste_g_per_eater_day / kGramsPerKg;
    ts.buyers += 1;
    ts.participating += bu.participating[b];
    ts.deliveries_full += bu.delivery_outcome[b] == DeliveryOutcome::full ? 1 : 0;
    ts.deliveries_partial += bu.delivery_outcome[b] == DeliveryOutcome::partial ? 1 : 0;
    ts.deliveries_none += bu.delivery_outcome[b] == DeliveryOutcome::nothing ? 1 : 0;
    ts.satisfaction_sum += bu.satisfaction[b];
    ts.incentive_nok += bu.incentive_nok[b];
  }
}

// the municipality's rules, instruments, markets and contracts
void sum_policy_and_markets(const Params& p, const State& s, std::size_t m, MuniSums& ms) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const MunicipalityParams& mp = p.municipalities[m];
  ms.weeks = 1;
  ms.municipalities = 1;
  ms.population = mp.population;
  if (const int dm = s.direct_of_municipality[m]; dm >= 0) ms.transport_km += s.markets.route_km[static_cast<std::size_t>(dm)];
  for (std::size_t c = 0; c < C; ++c) {
    ms.direct_spend_period_nok += s.policy.direct_spent_nok[m * C + c];
    ms.direct_closed += s.policy.direct_closed[m * C + c];
  }
  ms.tenders = s.tender_week;
  ms.integrated = s.policy.integrated[m];
  ms.project_ended = s.policy.project_ended[m];
  ms.supplier_events = s.policy.supplier_events[m];
  ms.incentive_in_force = s.policy.incentive_nok_per_kg[m];  // the setting, in start-year NOK/kg
  for (Rule rule : mp.rules) ms.unlawful_rules = rule_lawful(rule) ? ms.unlawful_rules : 1.0;
  ms.trust_sum = s.policy.trust[m];
  ms.trust_initial_sum = p.municipalities[m].policy.trust_initial;
  for (int mk : {s.hub_of_municipality[m], s.direct_of_municipality[m]}) {
    if (mk < 0) continue;
    const auto k = static_cast<std::size_t>(mk);
    for (std::size_t slot = k * C * 2; slot < (k + 1) * C * 2; ++slot) {
      ms.lots_local += s.markets.contract_kind[slot] == ContractKind::lot;
      ms.competition_contracts += s.markets.contract_kind[slot] == ContractKind::simple_competition;
    }
    ms.tender_hours += s.markets.tender_hours[k];
    ms.penalties_nok += s.markets.penalty_nok[k];
  }
  ms.arenas = s.policy.arena_week[m];
  ms.farm_visits = s.policy.visit_week[m];
  ms.adopted = s.policy.adopted[m];
  // distinct local products on the menus this week (cultural dimension)
  for (std::size_t c = 0; c < C; ++c) {
    double kg = 0;
    for (std::uint32_t b : s.buyers_of_municipality[m]) kg += s.buyers.local_kg[b * C + c];
    ms.local_categories += kg > 0 ? 1.0 : 0.0;
  }
}

// the hub and its day centre's participants
void sum_hub(const State& s, std::size_t h, MuniSums& ms) {
  ms.hub_capacity_kg = s.markets.capacity_kg[h];
  ms.hub_throughput_kg = s.markets.handled_kg[h];
  ms.hub_cost_nok = s.markets.cost_nok[h];
  ms.hub_fee_nok = s.markets.fee_income_nok[h];
  ms.transport_km += s.markets.route_km[h];
  ms.staff_extra_hours = s.markets.staff_extra_hours[h];
  ms.volunteer_hours = s.markets.volunteer_hours[h];
  const auto& wk = s.workers;
  std::vector<double> hours;
  for (std::uint32_t w : wk.centre_workers[h]) {
    if (wk.status[w] != WorkerStatus::active) continue;
    ms.work_hours += wk.hours_week[w];
    ms.participants += 1;
    ms.participants_engaged += wk.hours_week[w] >= kEngagedHoursPerWeek ? 1 : 0;
    ms.skill_sum += wk.skill[w];
    ms.contacts_sum += static_cast<double>(wk.contacts[w].size());
    hours.push_back(wk.hours_total[w]);
  }
  for (std::uint32_t w : wk.centre_workers[h]) {
    ms.moves_vta += wk.moved_week[w] == WorkerMove::to_vta;
    ms.moves_work += wk.moved_week[w] == WorkerMove::to_work;
    ms.dropouts += wk.moved_week[w] == WorkerMove::dropped_out;
    ms.waiting += wk.status[w] == WorkerStatus::waiting;
  }
  ms.gini_hours = gini(hours);
}

// farms joining and leaving; the income and waste of the farms in the channel
void sum_farms(const State& s, std::size_t m, MuniSums& ms) {
  const auto& pr = s.producers;
  for (std::uint32_t i : s.producers_of_municipality[m]) {
    ms.farm_entries += pr.event_week[i] == FarmEvent::joined;
    ms.farm_exits += pr.event_week[i] == FarmEvent::left;
    // farm waste counts for farms in the municipal channel, whose unsold produce the scheme concerns
    if (pr.status[i] != FarmStatus::active) continue;
    ms.active_producers += 1;
    ms.farm_income_nok += pr.income_week_nok[i];
    ms.farm_waste_kg += pr.waste_week_kg[i];
  }
}

}  // namespace

void collect_metrics(const Params& p, const State& s, WeekReport& r) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const std::size_t M = p.municipalities.size();
  r.week = s.week;
  r.week_start = s.date;
  r.iso_week = s.iso_week;
  r.iso_year = s.iso_year;
  r.n_municipalities = static_cast<int>(M);
  r.n_categories = static_cast<int>(C);
  r.cells.assign(M * kBuyerTypes * C, FlowSums{});
  r.types.assign(M * kBuyerTypes, TypeSums{});
  r.munis.assign(M, MuniSums{});

  // per municipality, agents summed in ascending id order
  parallel_over(M, [&](std::size_t m) {
    sum_kitchens(p, s, m, r);
    MuniSums& ms = r.munis[m];
    sum_policy_and_markets(p, s, m, ms);
    if (const int h = s.hub_of_municipality[m]; h >= 0) sum_hub(s, static_cast<std::size_t>(h), ms);
    sum_farms(s, m, ms);
    ms.backing_weighted = s.policy.backing[m] * p.municipalities[m].population;
    ms.exception_open = local_channel_open(p, s, static_cast<int>(m)) ? 1 : 0;
    ms.elections = s.policy.election_week[m];
  });

  // all municipalities together, in municipality order; Gini over every participant
  r.muni_total = MuniSums{};
  std::vector<double> all_hours;
  for (std::size_t m = 0; m < M; ++m) r.muni_total.add(r.munis[m]);
  for (std::size_t i = 0; i < s.workers.centre.size(); ++i)
    if (s.workers.status[i] == WorkerStatus::active) all_hours.push_back(s.workers.hours_total[i]);
  r.muni_total.gini_hours = gini(all_hours);
  r.muni_total.weeks = 1;
}

}  // namespace lokalmat
