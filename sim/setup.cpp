// Set-up (sim/setup.h): topology, then the run's columns from the lists, then starting values.
#include "sim/setup.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/rng.h"
#include "sim/rules/hooks.h"
#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// the calendar at the start, and the end of the framework agreement in force
void start_calendar(const Params& p, State& s) {
  s.date = p.start;
  const IsoWeek iw = iso_week(p.start);
  s.iso_week = iw.week;
  s.iso_year = iw.year;
  s.contract_end = framework::first_agreement_end(p);
}

// markets: a platform where a hub runs, a direct market where units may buy directly
void build_markets(const Params& p, State& s) {
  const std::size_t M = p.municipalities.size();
  s.hub_of_municipality.assign(M, -1);
  s.direct_of_municipality.assign(M, -1);
  for (std::size_t m = 0; m < M; ++m) {
    const auto& mp = p.municipalities[m];
    if (mp.hub.enabled) {
      s.hub_of_municipality[m] = static_cast<int>(s.markets.municipality.size());
      s.markets.municipality.push_back(static_cast<std::uint32_t>(m));
      s.markets.kind.push_back(MarketKind::platform);
    }
    bool direct = false;
    for_each_rule_in_force(mp, [&](const RuleInfo& r) {
      direct = direct || r.direct_market == DirectMarket::always ||
               (r.direct_market == DirectMarket::without_hub && !mp.hub.enabled);
    });
    if (direct) {
      s.direct_of_municipality[m] = static_cast<int>(s.markets.municipality.size());
      s.markets.municipality.push_back(static_cast<std::uint32_t>(m));
      s.markets.kind.push_back(MarketKind::direct);
    }
  }
  const std::size_t H = s.markets.municipality.size();
  s.markets.channels.assign(H, {});
  s.markets.buyers.assign(H, {});
  s.markets.dps.resize(H);
  for (std::size_t h = 0; h < H; ++h) {
    bool dps = false;
    for_each_rule_in_force(p.municipalities[s.markets.municipality[h]],
                           [&](const RuleInfo& r) { dps = dps || r.purchasing_system; });
    s.markets.dps[h] = dps ? 1 : 0;
  }
}

// a kitchen buys locally on the platform when the exception (or a quota) covers its type,
// otherwise directly from farms where the municipality allows it
void assign_buyers(const Params& p, State& s) {
  const std::size_t M = p.municipalities.size(), B = p.buyers.size();
  s.buyer_market.assign(B, -1);
  s.buyers_of_municipality.assign(M, {});
  for (std::size_t b = 0; b < B; ++b) {
    const auto m = static_cast<std::size_t>(p.buyers[b].municipality);
    const auto& mp = p.municipalities[m];
    const BuyerType t = p.buyers[b].type;
    s.buyers_of_municipality[m].push_back(static_cast<std::uint32_t>(b));
    const bool covered = exception_covers(mp, t);
    bool covered_direct = false;  // a rule in force lets covered units buy on the direct market
    for_each_rule_in_force(mp, [&](const RuleInfo& r) { covered_direct = covered_direct || r.covered_units_direct; });
    // covered units use the hub wherever one can run: the exception, a quota, contracts, or a later adoption
    const bool platform = covered;
    const bool direct = std::find(mp.direct_buyer_types.begin(), mp.direct_buyer_types.end(), t) !=
                            mp.direct_buyer_types.end() ||
                        (covered && covered_direct);
    if (platform && s.hub_of_municipality[m] >= 0) s.buyer_market[b] = s.hub_of_municipality[m];
    else if (direct && s.direct_of_municipality[m] >= 0) s.buyer_market[b] = s.direct_of_municipality[m];
    if (s.buyer_market[b] >= 0) s.markets.buyers[static_cast<std::size_t>(s.buyer_market[b])].push_back(static_cast<std::uint32_t>(b));
  }
}

// channels: a farm serves the markets of its home municipality and every hub within its delivery radius
void build_channels(const Params& p, State& s) {
  const std::size_t M = p.municipalities.size(), P = p.producers.size(), H = s.markets.municipality.size();
  auto& ch = s.channels;
  s.producers_of_municipality.assign(M, {});
  s.producers.channel_begin.assign(P + 1, 0);
  for (std::size_t i = 0; i < P; ++i) {
    const ProducerParams& pp = p.producers[i];
    s.producers_of_municipality[static_cast<std::size_t>(pp.municipality)].push_back(static_cast<std::uint32_t>(i));
    s.producers.channel_begin[i] = static_cast<std::uint32_t>(ch.producer.size());
    for (std::size_t h = 0; h < H; ++h) {
      const auto& mh = p.municipalities[s.markets.municipality[h]];
      const Point site = s.markets.kind[h] == MarketKind::platform ? mh.hub.position : mh.centre;
      const double km = road_km(p.behaviour, pp.position, site);
      const bool home = static_cast<std::size_t>(pp.municipality) == s.markets.municipality[h];
      if (!home && km > pp.delivery_radius_km) continue;
      s.markets.channels[h].push_back(static_cast<std::uint32_t>(ch.producer.size()));
      ch.producer.push_back(static_cast<std::uint32_t>(i));
      ch.market.push_back(static_cast<std::uint32_t>(h));
      ch.road_km.push_back(km);
    }
  }
  s.producers.channel_begin[P] = static_cast<std::uint32_t>(ch.producer.size());
}

// day-centre participants, one centre per hub, then the waiting list; attributes drawn per person
// (attendance is fixed; the starting skills are returned, for the run's skill column)
std::vector<double> build_workers(const Params& p, State& s) {
  const std::size_t H = s.markets.municipality.size();
  auto& wk = s.workers;
  std::vector<double> skills;
  wk.centre_workers.assign(H, {});
  for (std::size_t h = 0; h < H; ++h) {
    if (s.markets.kind[h] != MarketKind::platform) continue;
    const DayCentreParams& d = p.municipalities[s.markets.municipality[h]].day_centre;
    for (int i = 0; i < d.participants + d.waiting_list; ++i) {
      const auto id = static_cast<std::uint32_t>(wk.centre.size());
      Rng rng(p.seed, Stream::attributes, id, 0);
      wk.centre.push_back(static_cast<std::uint32_t>(h));
      wk.attendance.push_back(rng.uniform(d.attendance_min, d.attendance_max));
      skills.push_back(rng.uniform(d.skill_initial_min, d.skill_initial_max));
      wk.centre_workers[h].push_back(id);
    }
  }
  return skills;
}

// producers: status, areas and storage spin-up (last season's crop in store at the start)
void start_producers(const Params& p, State& s) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const std::size_t P = p.producers.size();
  auto& pr = s.producers;
  for (std::size_t i = 0; i < P; ++i)
    pr.status[i] = p.producers[i].active  ? FarmStatus::active
                   : p.producers[i].aware ? FarmStatus::aware
                                          : FarmStatus::unaware;
  for (std::size_t i = 0; i < P; ++i)
    for (std::size_t c = 0; c < C; ++c) pr.area_daa[i * C + c] = p.producers[i].area_daa[c];
  const int start_index = season_index(iso_week(p.start).week);
  for (std::size_t i = 0; i < P; ++i)
    for (std::size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      if (!cat.storable) continue;
      // two years of harvest, outside sales and losses ending the week before the start
      double stock = 0;
      const double season_kg = season_product_kg(cat, p.producers[i].area_daa[c]);
      for (int k = 0; k < 2 * kWeeksPerYear; ++k) {
        const int wk = (start_index + k) % kWeeksPerYear;
        stock = stock * (1.0 - cat.storage_loss_per_week) + season_kg * cat.harvest_weight[static_cast<std::size_t>(wk)];
        stock -= stock / std::max(1.0, cat.shelf_life_weeks);
      }
      pr.stock_kg[i * C + c] = stock;
    }
  // a farm's channels start with its initial offer share and a full sell-through record
  auto& ch = s.channels;
  for (std::size_t k = 0; k < ch.producer.size(); ++k)
    for (std::size_t c = 0; c < C; ++c) {
      ch.offer_share[k * C + c] = p.producers[ch.producer[k]].offer_share_initial;
      ch.sellthrough[k * C + c] = {1.0, 1.0, 1.0};
    }
}

// kitchens: satisfaction, and champions (ildsjeler), who raise their own unit's local
// preference, and more weakly their neighbours'
void start_buyers(const Params& p, State& s) {
  const std::size_t M = p.municipalities.size(), B = p.buyers.size();
  auto& bu = s.buyers;
  std::fill(bu.satisfaction.begin(), bu.satisfaction.end(), p.behaviour.satisfaction_initial);
  std::fill(bu.expected_fill.begin(), bu.expected_fill.end(), 1.0);  // no experience yet: what is ordered comes
  std::fill(bu.delivery_outcome.begin(), bu.delivery_outcome.end(), DeliveryOutcome::no_order);
  bu.preference.resize(B);
  for (std::size_t b = 0; b < B; ++b) bu.preference[b] = p.buyers[b].local_preference;
  for (std::size_t m = 0; m < M; ++m) {
    const PolicyParams& pol = p.municipalities[m].policy;
    const auto& ids = s.buyers_of_municipality[m];
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(pol.champions), ids.size());
    std::vector<std::uint8_t> champion(ids.size(), 0);
    for (std::size_t j = 0; j < n; ++j) champion[(2 * j + 1) * ids.size() / (2 * n)] = 1;  // spread evenly by id
    for (std::size_t i = 0; i < ids.size(); ++i) {
      double gain = champion[i] ? pol.champion_strength : 0.0;
      for (std::size_t j = 0; j < ids.size() && gain == 0.0; ++j)
        if (champion[j] && road_km(p.behaviour, p.buyers[ids[i]].position, p.buyers[ids[j]].position) <=
                               pol.champion_radius_km)
          gain = pol.champion_strength * pol.champion_spillover;
      bu.preference[ids[i]] = clamp01(bu.preference[ids[i]] + gain);
    }
  }
}

// participants: their starting skill; those beyond a centre's places wait for one
void start_workers(const Params& p, State& s, const std::vector<double>& skills) {
  auto& wk = s.workers;
  wk.skill = skills;
  for (std::size_t h = 0; h < wk.centre_workers.size(); ++h) {
    if (wk.centre_workers[h].empty()) continue;
    const DayCentreParams& d = p.municipalities[s.markets.municipality[h]].day_centre;
    for (std::size_t i = 0; i < wk.centre_workers[h].size(); ++i)
      wk.status[wk.centre_workers[h][i]] = static_cast<int>(i) < d.participants ? WorkerStatus::active
                                                                                 : WorkerStatus::waiting;
  }
}

// policy support: the instruments the scenario starts with
void start_policy(const Params& p, State& s) {
  auto& po = s.policy;
  for (std::size_t m = 0; m < p.municipalities.size(); ++m) {
    const auto& mp = p.municipalities[m];
    po.backing[m] = mp.policy.backing_initial;
    po.exception_open[m] = has_rule(mp, Rule::framework_exception) ? 1 : 0;
    po.hub_funded[m] = mp.hub.enabled ? 1 : 0;
    // start neutral: no result signal until the scheme has produced some
    po.share_ema[m] = mp.policy.local_share_target;
    po.integrated[m] = mp.policy.integrated ? 1 : 0;
    po.cap_share[m] = mp.exception_cap_share;
    po.incentive_nok_per_kg[m] = mp.policy.local_incentive_nok_per_kg;
    po.supplier_events[m] = mp.policy.supplier_development_events_per_year;
    po.trust[m] = mp.policy.trust_initial;
  }
}

}  // namespace

void init_state(const Params& p, State& s) {
  s = State{};
  start_calendar(p, s);
  // the world's topology first: it fixes the length of every other column
  build_markets(p, s);
  assign_buyers(p, s);
  build_channels(p, s);
  const std::vector<double> skills = build_workers(p, s);
  size_run_columns(s, state_sizes(p, s));
  // then the starting values that are not zero
  start_producers(p, s);
  start_buyers(p, s);
  start_workers(p, s, skills);
  start_policy(p, s);
}

}  // namespace lokalmat
