// The rules of the weekly step (MODEL.md §3 and §5).
//
// Design: every phase is a loop over one agent type whose body writes only that
// agent's own slots, so a tbb::parallel_for over agents gives the same result
// whatever the partition. Anything that combines agents (a hub summing the
// offers of its farms, a municipality summing its kitchens) loops over a fixed,
// ascending id list inside one task. Random draws come from counter-based
// streams keyed by (seed, stream, agent id, week), never from shared state.
#include "sim/model.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <queue>

#include "sim/rng.h"

namespace lokalmat {

namespace {

using std::size_t;

template <class F>
void parallel_over(size_t n, F&& body) {
  // grain 16: agents are cheap, and the split does not affect results
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 16), [&](const tbb::blocked_range<size_t>& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) body(i);
  });
}

double clamp01(double x) { return std::min(1.0, std::max(0.0, x)); }

int season_index(int iso_week) { return std::min(iso_week, kWeeksPerYear) - 1; }

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool type_allowed(const MunicipalityParams& m, BuyerType t) {
  return std::find(m.exception_buyer_types.begin(), m.exception_buyer_types.end(), t) !=
         m.exception_buyer_types.end();
}

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

// hub handling capacity from the expected attendance of its participants,
// bounded by vehicle capacity and trips (MODEL.md §3 "Hub")
double planned_capacity_kg(const MunicipalityParams& mp, const State& s, size_t h) {
  const DayCentreParams& d = mp.day_centre;
  double kg = 0;
  for (std::uint32_t w : s.workers.centre_workers[h]) {
    if (s.workers.status[w] != WorkerStatus::active) continue;
    kg += s.workers.attendance[w] * d.open_days_per_week * d.hours_per_day * worker_productivity(d, s.workers.skill[w]);
  }
  const double vehicle_kg = mp.hub.vehicle_capacity_kg * mp.hub.delivery_days_per_week * mp.hub.trips_per_delivery_day;
  const double volunteers_kg = mp.policy.volunteers * mp.policy.volunteer_hours_per_week * d.productivity_kg_per_hour;
  return std::min(kg + volunteers_kg, vehicle_kg) + mp.hub.courier_kg_per_week;
}

// nearest-neighbour tour from the hub through every stop and back, road km
double tour_km(const BehaviourParams& b, Point start, std::vector<Point> stops) {
  double km = 0;
  Point at = start;
  while (!stops.empty()) {
    size_t best = 0;
    double best_km = road_km(b, at, stops[0]);
    for (size_t i = 1; i < stops.size(); ++i) {
      const double d = road_km(b, at, stops[i]);
      if (d < best_km) best_km = d, best = i;  // strict: ties go to the lower index
    }
    km += best_km;
    at = stops[best];
    stops.erase(stops.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return km + road_km(b, at, start);
}

void insert_sorted_unique(std::vector<std::uint32_t>& v, std::uint32_t x) {
  auto it = std::lower_bound(v.begin(), v.end(), x);
  if (it == v.end() || *it != x) v.insert(it, x);
}

constexpr std::uint32_t kKitchenContactBit = 0x80000000u;

// sectors working together lower coordination cost (MODEL.md §3 "Policy support"): 1 with one
// sector, down to 1 - sector_coordination_cut with all seven
bool network_member(const Params& p, size_t m) {
  if (!p.network.enabled) return false;
  return p.network.members.empty() ||
         std::find(p.network.members.begin(), p.network.members.end(), static_cast<int>(m)) != p.network.members.end();
}

// n events a year, spread evenly over the ISO weeks (the first in week 1)
bool event_week(int per_year, int iso_week) {
  if (per_year <= 0 || iso_week > kWeeksPerYear) return false;
  const int spacing = std::max(1, kWeeksPerYear / per_year);
  return (iso_week - 1) % spacing == 0 && (iso_week - 1) / spacing < per_year;
}

double coordination_factor(const PolicyParams& pol) {
  const int n = std::clamp(pol.sectors_involved, 1, 7);
  return 1.0 - pol.sector_coordination_cut * (n - 1) / 6.0;
}

}  // namespace

bool has_rule(const MunicipalityParams& m, Rule r) {
  return std::find(m.rules.begin(), m.rules.end(), r) != m.rules.end();
}

double road_km(const BehaviourParams& b, Point a, Point c) {
  return b.road_factor * std::hypot(a.x_km - c.x_km, a.y_km - c.y_km);
}

double worker_productivity(const DayCentreParams& d, double skill) {
  return d.productivity_kg_per_hour * (1.0 + d.skill_productivity_gain * (skill - 0.5));
}

bool local_channel_open(const Params& p, const State& s, int m) {
  const auto mm = static_cast<size_t>(m);
  const auto& mp = p.municipalities[mm];
  if (s.hub_of_municipality[mm] < 0) return false;
  // a mandate is law: it does not wait for political backing
  if (has_rule(mp, Rule::quota_mandate)) return s.policy.hub_funded[mm] != 0;
  return (has_rule(mp, Rule::framework_exception) || s.policy.adopted[mm]) && s.policy.exception_open[mm] &&
         s.policy.hub_funded[mm] && s.policy.backing[mm] >= mp.policy.backing_min_exception;
}

double direct_limit_nok(const ProcurementParams& pr, Date week_start) {
  // the raised limit applies from the week that contains the change date (weeks are the model's tick)
  return days_from_civil(week_start) + 6 >= days_from_civil(pr.direct_limit_change) ? pr.direct_limit_new_nok
                                                                                  : pr.direct_limit_nok;
}

// ---------------------------------------------------------------- set-up

namespace {

// the calendar at the start, and the framework agreement in force: base term + extensions,
// re-tendered at its end
void start_calendar(const Params& p, State& s) {
  s.date = p.start;
  const IsoWeek iw = iso_week(p.start);
  s.iso_week = iw.week;
  s.iso_year = iw.year;
  const int term = p.wholesaler.contract_base_years + p.wholesaler.contract_extensions;
  s.contract_end = Date{p.wholesaler.contract_start.year + term, p.wholesaler.contract_start.month,
                        p.wholesaler.contract_start.day};
  while (s.contract_end <= p.start) s.contract_end.year += term;
}

// markets: a platform where a hub runs, a direct market where units may buy directly
void build_markets(const Params& p, State& s) {
  const size_t M = p.municipalities.size();
  s.hub_of_municipality.assign(M, -1);
  s.direct_of_municipality.assign(M, -1);
  for (size_t m = 0; m < M; ++m) {
    const auto& mp = p.municipalities[m];
    if (mp.hub.enabled) {
      s.hub_of_municipality[m] = static_cast<int>(s.hubs.municipality.size());
      s.hubs.municipality.push_back(static_cast<std::uint32_t>(m));
      s.hubs.kind.push_back(MarketKind::platform);
    }
    const bool contracts = has_rule(mp, Rule::lots) || has_rule(mp, Rule::simple_competition) ||
                           has_rule(mp, Rule::dynamic_purchasing);
    if (has_rule(mp, Rule::direct_purchase) ||
        ((has_rule(mp, Rule::quota_mandate) || contracts) && !mp.hub.enabled)) {
      s.direct_of_municipality[m] = static_cast<int>(s.hubs.municipality.size());
      s.hubs.municipality.push_back(static_cast<std::uint32_t>(m));
      s.hubs.kind.push_back(MarketKind::direct);
    }
  }
  const size_t H = s.hubs.municipality.size();
  s.hubs.channels.assign(H, {});
  s.hubs.buyers.assign(H, {});
  s.hubs.dps.resize(H);
  for (size_t h = 0; h < H; ++h)
    s.hubs.dps[h] = has_rule(p.municipalities[s.hubs.municipality[h]], Rule::dynamic_purchasing) ? 1 : 0;
}

// a kitchen buys locally on the platform when the exception (or a quota) covers its type,
// otherwise directly from farms where the municipality allows it
void assign_buyers(const Params& p, State& s) {
  const size_t M = p.municipalities.size(), B = p.buyers.size();
  s.buyer_hub.assign(B, -1);
  s.buyers_of_municipality.assign(M, {});
  for (size_t b = 0; b < B; ++b) {
    const auto m = static_cast<size_t>(p.buyers[b].municipality);
    const auto& mp = p.municipalities[m];
    const BuyerType t = p.buyers[b].type;
    s.buyers_of_municipality[m].push_back(static_cast<std::uint32_t>(b));
    const bool covered = type_allowed(mp, t);
    const bool contracts = has_rule(mp, Rule::lots) || has_rule(mp, Rule::simple_competition) ||
                           has_rule(mp, Rule::dynamic_purchasing);
    // covered units use the hub wherever one can run: the exception, a quota, contracts, or a later adoption
    const bool platform = covered;
    const bool direct = std::find(mp.direct_buyer_types.begin(), mp.direct_buyer_types.end(), t) !=
                            mp.direct_buyer_types.end() ||
                        (covered && (has_rule(mp, Rule::quota_mandate) || contracts));
    if (platform && s.hub_of_municipality[m] >= 0) s.buyer_hub[b] = s.hub_of_municipality[m];
    else if (direct && s.direct_of_municipality[m] >= 0) s.buyer_hub[b] = s.direct_of_municipality[m];
    if (s.buyer_hub[b] >= 0) s.hubs.buyers[static_cast<size_t>(s.buyer_hub[b])].push_back(static_cast<std::uint32_t>(b));
  }
}

// channels: a farm serves the markets of its home municipality and every hub within its delivery radius
void build_channels(const Params& p, State& s) {
  const size_t M = p.municipalities.size(), P = p.producers.size(), H = s.hubs.municipality.size();
  auto& ch = s.channels;
  s.producers_of_municipality.assign(M, {});
  s.producers.channel_begin.assign(P + 1, 0);
  for (size_t i = 0; i < P; ++i) {
    const ProducerParams& pp = p.producers[i];
    s.producers_of_municipality[static_cast<size_t>(pp.municipality)].push_back(static_cast<std::uint32_t>(i));
    s.producers.channel_begin[i] = static_cast<std::uint32_t>(ch.producer.size());
    for (size_t h = 0; h < H; ++h) {
      const auto& mh = p.municipalities[s.hubs.municipality[h]];
      const Point site = s.hubs.kind[h] == MarketKind::platform ? mh.hub.position : mh.centre;
      const double km = road_km(p.behaviour, pp.position, site);
      const bool home = static_cast<size_t>(pp.municipality) == s.hubs.municipality[h];
      if (!home && km > pp.delivery_radius_km) continue;
      s.hubs.channels[h].push_back(static_cast<std::uint32_t>(ch.producer.size()));
      ch.producer.push_back(static_cast<std::uint32_t>(i));
      ch.hub.push_back(static_cast<std::uint32_t>(h));
      ch.road_km.push_back(km);
    }
  }
  s.producers.channel_begin[P] = static_cast<std::uint32_t>(ch.producer.size());
}

// day-centre participants, one centre per hub, then the waiting list; attributes drawn per person
// (attendance is fixed; the starting skills are returned, for the run's skill column)
std::vector<double> build_workers(const Params& p, State& s) {
  const size_t H = s.hubs.municipality.size();
  auto& wk = s.workers;
  std::vector<double> skills;
  wk.centre_workers.assign(H, {});
  for (size_t h = 0; h < H; ++h) {
    if (s.hubs.kind[h] != MarketKind::platform) continue;
    const DayCentreParams& d = p.municipalities[s.hubs.municipality[h]].day_centre;
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
  const size_t C = static_cast<size_t>(p.n_categories());
  const size_t P = p.producers.size();
  auto& pr = s.producers;
  for (size_t i = 0; i < P; ++i)
    pr.status[i] = p.producers[i].active  ? FarmStatus::active
                   : p.producers[i].aware ? FarmStatus::aware
                                          : FarmStatus::unaware;
  for (size_t i = 0; i < P; ++i)
    for (size_t c = 0; c < C; ++c) pr.area_daa[i * C + c] = p.producers[i].area_daa[c];
  const int start_index = season_index(iso_week(p.start).week);
  for (size_t i = 0; i < P; ++i)
    for (size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      if (!cat.storable) continue;
      // two years of harvest, outside sales and losses ending the week before the start
      double stock = 0;
      const double season_kg = p.producers[i].area_daa[c] * cat.yield_kg_per_daa;
      for (int k = 0; k < 2 * kWeeksPerYear; ++k) {
        const int wk = (start_index + k) % kWeeksPerYear;
        stock = stock * (1.0 - cat.storage_loss_per_week) + season_kg * cat.harvest_weight[static_cast<size_t>(wk)];
        stock -= stock / std::max(1.0, cat.shelf_life_weeks);
      }
      pr.stock_kg[i * C + c] = stock;
    }
  // a farm's channels start with its initial offer share and a full sell-through record
  auto& ch = s.channels;
  for (size_t k = 0; k < ch.producer.size(); ++k)
    for (size_t c = 0; c < C; ++c) {
      ch.offer_share[k * C + c] = p.producers[ch.producer[k]].offer_share_initial;
      ch.sellthrough[k * C + c] = {1.0, 1.0, 1.0};
    }
}

// kitchens: satisfaction, and champions (ildsjeler), who raise their own unit's local
// preference, and more weakly their neighbours'
void start_buyers(const Params& p, State& s) {
  const size_t M = p.municipalities.size(), B = p.buyers.size();
  auto& bu = s.buyers;
  std::fill(bu.satisfaction.begin(), bu.satisfaction.end(), p.behaviour.satisfaction_initial);
  std::fill(bu.delivery_outcome.begin(), bu.delivery_outcome.end(), -1);
  bu.preference.resize(B);
  for (size_t b = 0; b < B; ++b) bu.preference[b] = p.buyers[b].local_preference;
  for (size_t m = 0; m < M; ++m) {
    const PolicyParams& pol = p.municipalities[m].policy;
    const auto& ids = s.buyers_of_municipality[m];
    const size_t n = std::min<size_t>(static_cast<size_t>(pol.champions), ids.size());
    std::vector<std::uint8_t> champion(ids.size(), 0);
    for (size_t j = 0; j < n; ++j) champion[(2 * j + 1) * ids.size() / (2 * n)] = 1;  // spread evenly by id
    for (size_t i = 0; i < ids.size(); ++i) {
      double gain = champion[i] ? pol.champion_strength : 0.0;
      for (size_t j = 0; j < ids.size() && gain == 0.0; ++j)
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
  for (size_t h = 0; h < wk.centre_workers.size(); ++h) {
    if (wk.centre_workers[h].empty()) continue;
    const DayCentreParams& d = p.municipalities[s.hubs.municipality[h]].day_centre;
    for (size_t i = 0; i < wk.centre_workers[h].size(); ++i)
      wk.status[wk.centre_workers[h][i]] = static_cast<int>(i) < d.participants ? WorkerStatus::active
                                                                                 : WorkerStatus::waiting;
  }
}

// policy support: the instruments the scenario starts with
void start_policy(const Params& p, State& s) {
  auto& po = s.policy;
  for (size_t m = 0; m < p.municipalities.size(); ++m) {
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

bool market_open(const Params& p, const State& s, size_t h) {
  if (s.hubs.dps[h]) return true;                           // a purchasing system the municipality has set up
  if (s.hubs.kind[h] == MarketKind::direct) return true;    // the law allows it; the limit binds in clearing
  return local_channel_open(p, s, static_cast<int>(s.hubs.municipality[h]));
}

bool market_takes_orders(const Params& p, const State& s, size_t h) {
  const size_t C = static_cast<size_t>(p.n_categories());
  for (size_t slot = h * C * 2; slot < (h + 1) * C * 2; ++slot)
    if (s.hubs.contract_kind[slot] != 0) return true;  // a contract's categories, whatever else holds
  return market_open(p, s, h);
}

bool market_open_for(const Params& p, const State& s, size_t b) {
  const int h = s.buyer_hub[b];
  return h >= 0 && market_open(p, s, static_cast<size_t>(h));
}

// ---------------------------------------------------------------- contracts: lots and simple competitions

namespace {

// season of a category in an ISO week: 1 when it is harvested locally, 0 otherwise
int season_of(const CategoryParams& cat, int iso_week) {
  return cat.harvest_weight[static_cast<size_t>(season_index(iso_week))] > 0 ? 1 : 0;
}

size_t contract_slot(size_t h, size_t C, size_t c, int season) { return (h * C + c) * 2 + static_cast<size_t>(season); }

// kg a market's covered units buy of a category over the weeks of one season in a year
double lot_volume_kg(const Params& p, const State& s, size_t h, size_t c, int season) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const MunicipalityParams& mp = p.municipalities[s.hubs.municipality[h]];
  const CategoryParams& cat = p.categories[c];
  double kg = 0;
  for (std::uint32_t b : s.hubs.buyers[h]) {
    const BuyerParams& bp = p.buyers[b];
    if (!type_allowed(mp, bp.type)) continue;
    const BuyerTypeParams& tp = p.buyer_types[static_cast<size_t>(bp.type)];
    double intake = 0;
    for (size_t k = 0; k < C; ++k) intake += tp.demand_kg_per_eater_day[k];
    const double waste_factor = intake > 0 ? 1.0 + tp.waste_g_per_eater_day / 1000.0 / intake : 1.0;
    for (int w = 1; w <= kWeeksPerYear; ++w)
      if (season_of(cat, w) == season && !contains(tp.closed_weeks, w))
        kg += bp.eaters * tp.service_days_per_week * tp.demand_kg_per_eater_day[c] * waste_factor;
  }
  return kg;
}

// what a farm can deliver of a category over one season of a year, kg; a storable crop is sold
// half at harvest and half from store after it [assume]
double season_capacity_kg(const Params& p, const State& s, size_t i, size_t c, int season) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const CategoryParams& cat = p.categories[c];
  const double crop = s.producers.area_daa[i * C + c] * cat.yield_kg_per_daa;
  double in_season = 0;
  for (int w = 1; w <= kWeeksPerYear; ++w)
    if (season_of(cat, w) == 1) in_season += cat.harvest_weight[static_cast<size_t>(w - 1)];
  if (cat.storable) return crop * 0.5 * (season == 1 ? in_season : 1.0);
  return season == 1 ? crop * in_season : 0.0;
}

struct Bid {
  std::vector<std::uint32_t> channels;  // farms bidding (their channels into the market); empty = the wholesaler
  double price = 0;                     // NOK/kg
  double capacity_kg = 0;
  double organic = 0;                   // organic share
  double co2e_per_kg = 0;               // transport kg CO2e per kg
  double seasonality = 0;               // 1 local in season, 0.5 local from store, wholesaler: Norwegian share
  double score = 0;
};

// Award the lots (kind 1, at a framework renewal) or a simple competition (kind 2, yearly) of market h.
// Lots: most economically advantageous tender, score = w_price x price score + w_quality x quality +
// w_env x environment score (FOA §7-9: w_env >= 0.30), the wholesaler bidding too; a bid must cover
// lot_min_coverage of the lot, alone or as a group. Simple competition: among farms only, lowest
// price first until the volume is covered; the price is the highest accepted bid.
void award_contracts(const Params& p, State& s, size_t h, std::uint8_t kind) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const size_t m = s.hubs.municipality[h];
  const MunicipalityParams& mp = p.municipalities[m];
  const ProcurementParams& pr = p.procurement;
  const BehaviourParams& be = p.behaviour;
  auto& hu = s.hubs;
  auto& ch = s.channels;
  const Point site = hu.kind[h] == MarketKind::platform ? mp.hub.position : mp.centre;
  // a new round replaces the contracts of its kind
  for (size_t c = 0; c < C; ++c)
    for (int season = 0; season < 2; ++season) {
      const size_t slot = contract_slot(h, C, c, season);
      if (hu.contract_kind[slot] != kind) continue;
      hu.contract_kind[slot] = 0;
      hu.contract_price[slot] = 0;
      for (std::uint32_t k : hu.channels[h]) ch.contracted[contract_slot(k, C, c, season)] = 0;
    }
  hu.tender_hours[h] += pr.competition_admin_hours;
  const double bid_cost = pr.bid_cost_hours * be.farmer_hour_value_nok * s.price_index;

  for (int c_int : mp.exception_categories) {
    const auto c = static_cast<size_t>(c_int);
    const CategoryParams& cat = p.categories[c];
    for (int season = 0; season < 2; ++season) {
      const double volume = lot_volume_kg(p, s, h, c, season);
      if (volume <= 0) continue;
      // farms bid when the expected value beats the bid cost
      std::vector<Bid> farm_bids;
      for (std::uint32_t k : hu.channels[h]) {
        const size_t i = ch.producer[k];
        const FarmStatus st = s.producers.status[i];
        if (st != FarmStatus::active && st != FarmStatus::aware && st != FarmStatus::qualified) continue;
        const double cap = season_capacity_kg(p, s, i, c, season);
        if (cap <= 0) continue;
        const ProducerParams& pp = p.producers[i];
        Rng rng(p.seed, Stream::tender, k, static_cast<std::uint64_t>(s.week) * C * 2 + c * 2 + static_cast<size_t>(season));
        const double organic = pp.organic ? 1.0 + be.organic_price_premium : 1.0;
        const double price = cat.farm_cost_nok_per_kg * (1.0 + pp.margin) * organic * s.price_index *
                             std::max(0.5, 1.0 + pp.price_noise_sd * rng.normal());
        const double expected = std::min(cap, volume) * (price - cat.outside_price_nok_per_kg * s.price_index);
        if (expected <= bid_cost) continue;
        Bid b;
        b.channels = {k};
        b.price = price;
        b.capacity_kg = cap;
        b.organic = pp.organic ? 1.0 : 0.0;
        b.co2e_per_kg = (ch.road_km[k] + road_km(be, site, mp.centre)) * cat.co2e_van_kg_per_tkm / 1000.0;
        b.seasonality = season == 1 ? 1.0 : 0.5;
        farm_bids.push_back(b);
      }
      std::vector<Bid> bids;
      if (kind == 1) {
        // lots: farms big enough bid alone; the others may bid as a group
        Bid group;
        for (const Bid& b : farm_bids) {
          if (b.capacity_kg >= pr.lot_min_coverage * volume) bids.push_back(b);
          group.channels.push_back(b.channels[0]);
          group.capacity_kg += b.capacity_kg;
          group.price += b.price * b.capacity_kg;
          group.organic += b.organic * b.capacity_kg;
          group.co2e_per_kg += b.co2e_per_kg * b.capacity_kg;
          group.seasonality += b.seasonality * b.capacity_kg;
        }
        if (pr.group_bids && group.channels.size() > 1 && group.capacity_kg >= pr.lot_min_coverage * volume) {
          group.price /= group.capacity_kg;
          group.organic /= group.capacity_kg;
          group.co2e_per_kg /= group.capacity_kg;
          group.seasonality /= group.capacity_kg;
          bids.push_back(group);
        }
        if (bids.empty()) continue;  // the wholesaler keeps the lot uncontested
        Bid wholesaler;
        wholesaler.price = cat.wholesale_price_nok_per_kg * s.price_index;
        wholesaler.organic = cat.wholesaler_organic_share;
        wholesaler.co2e_per_kg = (cat.upstream_km + p.wholesaler.warehouse_distance_km) * cat.co2e_truck_kg_per_tkm / 1000.0;
        wholesaler.seasonality = season == 1 ? cat.wholesaler_norwegian_share_in_season : cat.wholesaler_norwegian_share;
        bids.insert(bids.begin(), wholesaler);  // first: it wins ties
        double min_price = bids[0].price, min_co2 = bids[0].co2e_per_kg;
        for (const Bid& b : bids) {
          min_price = std::min(min_price, b.price);
          min_co2 = std::min(min_co2, b.co2e_per_kg);
        }
        size_t best = 0;
        for (size_t j = 0; j < bids.size(); ++j) {
          Bid& b = bids[j];
          const double env = 0.5 * (b.co2e_per_kg > 0 ? min_co2 / b.co2e_per_kg : 1.0) + 0.5 * b.seasonality;
          b.score = pr.weight_price * min_price / b.price + pr.weight_quality * b.organic + pr.weight_environment * env;
          if (b.score > bids[best].score) best = j;  // strict: ties to the earlier bid
        }
        if (bids[best].channels.empty()) continue;  // the wholesaler won
        const size_t slot = contract_slot(h, C, c, season);
        hu.contract_kind[slot] = kind;
        hu.contract_price[slot] = bids[best].price / s.price_index;
        for (std::uint32_t k : bids[best].channels) ch.contracted[contract_slot(k, C, c, season)] = 1;
      } else {
        // simple competition: lowest price first (ties by channel id) until the volume is covered
        std::vector<size_t> order(farm_bids.size());
        for (size_t j = 0; j < order.size(); ++j) order[j] = j;
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return farm_bids[a].price < farm_bids[b].price; });
        double covered = 0, price = 0;
        const size_t slot = contract_slot(h, C, c, season);
        for (size_t j : order) {
          if (covered >= volume) break;
          covered += farm_bids[j].capacity_kg;
          price = farm_bids[j].price;
          ch.contracted[contract_slot(farm_bids[j].channels[0], C, c, season)] = 1;
          hu.contract_kind[slot] = kind;
        }
        if (hu.contract_kind[slot]) hu.contract_price[slot] = price / s.price_index;
      }
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- 1 calendar and policy

void update_policy(const Params& p, State& s) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const bool budget_year = s.iso_week == 1 && s.week > 0;
  const double week_of_year = std::max(1, s.iso_week);
  // the week the raised direct-purchase limit takes effect (FOA amendment, 2026-07-01)
  const std::int64_t d0 = days_from_civil(s.date);
  const std::int64_t change = days_from_civil(p.procurement.direct_limit_change);
  const bool limit_changes = change >= d0 && change < d0 + 7 && s.week > 0;
  // the learning network: members see last year's results of their peers (read before anyone changes)
  double members = 0, working = 0;
  if (p.network.enabled)
    for (size_t m = 0; m < p.municipalities.size(); ++m) {
      if (!network_member(p, m)) continue;
      const auto& mp = p.municipalities[m];
      members += 1;
      const bool has_scheme = has_rule(mp, Rule::framework_exception) || s.policy.adopted[m];
      working += has_scheme && local_channel_open(p, s, static_cast<int>(m)) &&
                 s.policy.share_ema[m] >= p.network.success_share * mp.policy.local_share_target;
    }
  parallel_over(p.municipalities.size(), [&](size_t m) {
    const MunicipalityParams& mp = p.municipalities[m];
    const PolicyParams& pol = mp.policy;
    auto& po = s.policy;
    Rng rng(p.seed, Stream::policy, m, static_cast<std::uint64_t>(s.week));
    const bool scheme = has_rule(mp, Rule::framework_exception) || po.adopted[m];

    // the wholesaler's Norwegian and regional shares this week; a season requirement in the tender
    // raises them in season
    const bool season_rule = has_rule(mp, Rule::season_requirement);
    for (size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      const bool in_season = cat.harvest_weight[static_cast<size_t>(season_index(s.iso_week))] > 0;
      double norwegian = in_season ? cat.wholesaler_norwegian_share_in_season : cat.wholesaler_norwegian_share;
      double regional = cat.wholesaler_regional_share;
      if (season_rule && in_season) {
        norwegian = std::max(norwegian, p.procurement.season_norwegian_share_min);
        regional = std::min(1.0, regional * p.procurement.season_regional_factor);
      }
      po.wholesaler_norwegian_share[m * C + c] = norwegian;
      po.wholesaler_regional_share[m * C + c] = regional;
    }

    // direct purchases add up over the framework agreement's period; a new agreement starts a new sum,
    // and a raised limit reopens the categories that the old one had stopped
    if (s.tender_week)
      for (size_t c = 0; c < C; ++c) po.direct_spent_nok[m * C + c] = 0;
    if (s.tender_week || limit_changes)
      for (size_t c = 0; c < C; ++c) po.direct_closed[m * C + c] = 0;

    // lots are tendered at a framework renewal; a simple competition is announced every budget year
    for (int h : {s.hub_of_municipality[m], s.direct_of_municipality[m]}) {
      if (h < 0) continue;
      const auto hh = static_cast<size_t>(h);
      s.hubs.tender_hours[hh] = 0;
      // a contract whose holders have all left is void: the wholesaler supplies again
      for (size_t c = 0; c < C; ++c)
        for (int season = 0; season < 2; ++season) {
          const size_t slot = contract_slot(hh, C, c, season);
          if (!s.hubs.contract_kind[slot]) continue;
          bool held = false;
          for (std::uint32_t k : s.hubs.channels[hh]) held = held || s.channels.contracted[contract_slot(k, C, c, season)];
          if (!held) s.hubs.contract_kind[slot] = 0, s.hubs.contract_price[slot] = 0;
        }
      if (has_rule(mp, Rule::lots) && s.tender_week) award_contracts(p, s, hh, 1);
      if (has_rule(mp, Rule::simple_competition) && (budget_year || s.week == 0)) {
        s.hubs.contract_value_year_nok[hh] = 0;
        award_contracts(p, s, hh, 2);
      }
    }

    // a project whose funding ends continues only with high backing, and is then integrated
    if (scheme && !po.integrated[m] && !po.project_ended[m] && s.date >= pol.project_end) {
      if (po.backing[m] >= pol.project_continue_level) {
        po.integrated[m] = 1;
      } else {
        po.project_ended[m] = 1;
        po.exception_open[m] = 0;
        po.hub_funded[m] = 0;
      }
    }

    // at a budget year (ISO week 1), instruments are withdrawn below the withdrawal level
    // and return at the reinstate level (not after a project has ended)
    if (budget_year) {
      if (po.backing[m] < pol.withdrawal_level) {
        po.exception_open[m] = 0;
        if (!has_rule(mp, Rule::quota_mandate)) po.hub_funded[m] = 0;  // a mandate's logistics are not politics'
      } else if (po.backing[m] >= pol.reinstate_level && !po.project_ended[m]) {
        if (scheme) po.exception_open[m] = 1;
        if (mp.hub.enabled) po.hub_funded[m] = 1;
      }
      // learning along the way: steer the instruments toward the target within the premium budget
      if (pol.adaptive && scheme && po.exception_open[m]) {
        const bool below_target = po.share_ema[m] < pol.local_share_target;
        const bool within_budget =
            pol.premium_budget_nok_per_year <= 0 || po.premium_year_nok[m] < pol.premium_budget_nok_per_year;
        if (below_target && within_budget) {
          po.supplier_events[m] = std::min(12, po.supplier_events[m] + 1);
          po.cap_share[m] = std::min(1.0, po.cap_share[m] + pol.adaptive_step);
          if (pol.premium_budget_nok_per_year > 0) po.incentive_nok_per_kg[m] += pol.adaptive_step * 10.0;
        } else if (!within_budget) {
          po.incentive_nok_per_kg[m] = std::max(0.0, po.incentive_nok_per_kg[m] - pol.adaptive_step * 10.0);
        }
      }
      po.premium_year_nok[m] = 0;
    }

    // backing follows visible results and costs, plus noise (MODEL.md §3 "Policy support")
    double result = 0, cost = 0, failure = 0;
    if (scheme && po.exception_open[m]) {
      result = pol.local_share_target > 0 ? po.share_ema[m] / pol.local_share_target - 1.0 : 0.0;
      result = std::min(result, 1.0);  // results beyond twice the target win no further backing
      failure = po.failure_ema[m];
      if (pol.premium_budget_nok_per_year > 0) {
        const double budget_so_far = pol.premium_budget_nok_per_year * week_of_year / kWeeksPerYear;
        cost = std::max(0.0, po.premium_year_nok[m] / budget_so_far - 1.0);
      }
    }
    double delta = (pol.result_weight_per_year * result - pol.cost_weight_per_year * cost -
                    pol.failure_weight_per_year * failure) / kWeeksPerYear;
    delta += pol.noise_sd_per_year / std::sqrt(static_cast<double>(kWeeksPerYear)) * rng.normal();
    // bounded drift: gains shrink as backing nears 1, losses as it nears 0
    delta *= delta > 0 ? 1.0 - po.backing[m] : po.backing[m];

    // municipal elections shift backing by a random draw
    po.election_week[m] = election_in_week(pol, s.date) ? 1 : 0;
    const double shock = rng.normal();
    if (po.election_week[m]) delta += pol.election_sd * shock;

    // co-creation arenas build trust, which decays without meetings; farm visits make results visible
    po.trust[m] -= po.trust[m] * p.behaviour.trust_decay_per_year / kWeeksPerYear;
    po.arena_week[m] = event_week(pol.arenas_per_year, s.iso_week) ? 1 : 0;
    if (po.arena_week[m]) po.trust[m] += p.behaviour.arena_trust_gain * (1.0 - po.trust[m]);
    po.visit_week[m] = scheme && po.exception_open[m] && event_week(pol.farm_visits_per_year, s.iso_week) ? 1 : 0;
    if (po.visit_week[m]) delta += p.behaviour.visit_backing_gain * (1.0 - po.backing[m]);
    po.backing[m] = clamp01(po.backing[m] + delta);

    // adoption: peers' working schemes are copied with some probability (members), or found alone;
    // the change comes after the mapping and mobilisation years
    const double u_adopt = rng.uniform();
    if (budget_year && !scheme && mp.hub.enabled) {
      if (po.adopt_year[m] == 0) {
        double chance = p.network.spontaneous_per_year;
        if (p.network.enabled && network_member(p, m) && members > 0)
          chance += p.network.imitation_per_year * working / members;
        if (u_adopt < chance) po.adopt_year[m] = s.iso_year + p.network.cycle_years;
      }
      if (po.adopt_year[m] != 0 && s.iso_year >= po.adopt_year[m]) {
        po.adopted[m] = 1;
        po.exception_open[m] = 1;
        po.hub_funded[m] = 1;
      }
    }
  });
}

// ---------------------------------------------------------------- 2 production

namespace {

// a farm's expected yearly gain from joining the municipal channel, NOK (MODEL.md §3 "joins")
double expected_entry_gain(const Params& p, const State& s, size_t i) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const ProducerParams& pp = p.producers[i];
  const auto& ch = s.channels;
  double gain = 0;
  bool any_open = false;
  for (std::uint32_t k = s.producers.channel_begin[i]; k < s.producers.channel_begin[i + 1]; ++k) {
    const size_t h = ch.hub[k];
    if (!market_takes_orders(p, s, h)) continue;
    any_open = true;
    // the unmet demand is shared with the farms already active there
    double active = 0;
    for (std::uint32_t k2 : s.hubs.channels[h]) active += s.producers.status[ch.producer[k2]] == FarmStatus::active;
    const double organic = pp.organic ? 1.0 + p.behaviour.organic_price_premium : 1.0;
    for (size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      const double potential = s.producers.area_daa[i * C + c] * cat.yield_kg_per_daa * pp.offer_share_initial;
      const double kg = std::min(potential, kWeeksPerYear * s.hubs.unmet_kg_ema[h * C + c] / (active + 1.0));
      const double margin = cat.farm_cost_nok_per_kg * (1.0 + pp.margin) * organic - cat.outside_price_nok_per_kg;
      gain += kg * margin * s.price_index;
    }
  }
  if (!any_open) return 0;
  return gain - pp.admin_hours_per_week * kWeeksPerYear * p.behaviour.farmer_hour_value_nok * s.price_index;
}

// join when the expected gain beats the entry cost; supplier development and trust cut that cost
bool wants_to_join(const Params& p, const State& s, size_t i) {
  const ProducerParams& pp = p.producers[i];
  const BehaviourParams& be = p.behaviour;
  const auto m = static_cast<size_t>(pp.municipality);
  const double cut = s.policy.supplier_events[m] > 0 ? p.municipalities[m].policy.entry_cost_cut : 0.0;
  const double cost = (pp.entry_cost_hours * be.farmer_hour_value_nok + pp.entry_cost_nok) * s.price_index *
                      (1.0 - cut) * (1.0 - be.trust_entry_cut * s.policy.trust[m]);
  return expected_entry_gain(p, s, i) > cost;
}

// a farm enters the municipal channel: offers start afresh
void enter_channel(const Params& p, State& s, size_t i) {
  const size_t C = static_cast<size_t>(p.n_categories());
  s.producers.status[i] = FarmStatus::active;
  for (std::uint32_t k = s.producers.channel_begin[i]; k < s.producers.channel_begin[i + 1]; ++k)
    for (size_t c = 0; c < C; ++c) {
      s.channels.offer_share[k * C + c] = p.producers[i].offer_share_initial;
      s.channels.sellthrough[k * C + c] = {1.0, 1.0, 1.0};
    }
}

// dynamic purchasing: aware farms with a channel into a purchasing system may qualify any week
void qualify_farms(const Params& p, State& s) {
  auto& pr = s.producers;
  parallel_over(p.producers.size(), [&](size_t i) {
    pr.event_week[i] = 0;
    if (pr.status[i] != FarmStatus::aware) return;
    bool dps = false;
    for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k) dps = dps || s.hubs.dps[s.channels.hub[k]];
    if (dps && wants_to_join(p, s, i)) pr.event_week[i] = 1;
  });
  parallel_over(p.producers.size(), [&](size_t i) {
    if (pr.event_week[i] > 0) enter_channel(p, s, i);
  });
}

// the yearly review before a new season: awareness, entry, exit (Krejci), growth
void review_farms(const Params& p, State& s) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const BehaviourParams& be = p.behaviour;
  auto& pr = s.producers;
  // decide in parallel from last season and the statuses as they stand; each farm writes only itself
  parallel_over(p.producers.size(), [&](size_t i) {
    const ProducerParams& pp = p.producers[i];
    const auto m = static_cast<size_t>(pp.municipality);
    Rng rng(p.seed, Stream::entry, i, static_cast<std::uint64_t>(s.week));
    pr.event_week[i] = 0;
    switch (pr.status[i]) {
      case FarmStatus::active: {
        const bool low = pr.season_offered_kg[i] > 0 &&
                         (pr.season_sold_kg[i] < be.exit_sales_ratio * pr.season_offered_kg[i] ||
                          (pp.exit_income_floor_nok > 0 && pr.season_income_nok[i] < pp.exit_income_floor_nok));
        pr.low_seasons[i] = low ? pr.low_seasons[i] + 1 : 0;
        if (pr.low_seasons[i] >= 2) {
          pr.event_week[i] = -1;
        } else if (pr.offer_weeks[i] > 0 && pr.soldout_weeks[i] >= be.growth_soldout_share * pr.offer_weeks[i]) {
          // demand above capacity for a season: grow, bounded, for the next season
          for (size_t c = 0; c < C; ++c) pr.area_daa[i * C + c] *= 1.0 + pp.growth_per_year;
        }
        break;
      }
      case FarmStatus::unaware: {
        // outreach at supplier development events, and active neighbours, make a farm aware
        int neighbours = 0;
        for (std::uint32_t j : s.producers_of_municipality[m])
          if (j != i && pr.status[j] == FarmStatus::active &&
              road_km(be, pp.position, p.producers[j].position) <= be.neighbour_radius_km)
            ++neighbours;
        const double stay = std::pow(1.0 - p.municipalities[m].policy.outreach_awareness, s.policy.supplier_events[m]) *
                            std::pow(1.0 - be.neighbour_awareness_per_year, neighbours);
        if (rng.uniform() >= stay) pr.event_week[i] = 2;  // becomes aware (applied below, as others read statuses)
        break;
      }
      case FarmStatus::aware: {
        if (wants_to_join(p, s, i)) pr.event_week[i] = 1;
        break;
      }
      default: break;
    }
  });
  // apply the decisions; a season starts afresh
  parallel_over(p.producers.size(), [&](size_t i) {
    if (pr.event_week[i] == 2) {
      pr.status[i] = FarmStatus::aware;
      pr.event_week[i] = 0;
    } else if (pr.event_week[i] > 0) {
      enter_channel(p, s, i);
    } else if (pr.event_week[i] < 0) {
      // a farm that leaves gives up its contracts
      pr.status[i] = FarmStatus::exited;
      for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k)
        for (size_t slot = k * C * 2; slot < (k + 1) * C * 2; ++slot) s.channels.contracted[slot] = 0;
    }
    pr.season_offered_kg[i] = pr.season_sold_kg[i] = pr.season_income_nok[i] = 0;
    pr.offer_weeks[i] = pr.soldout_weeks[i] = 0;
  });
}

}  // namespace

void produce(const Params& p, State& s) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const auto w = static_cast<size_t>(season_index(s.iso_week));
  auto& pr = s.producers;
  const bool any_dps = std::any_of(s.hubs.dps.begin(), s.hubs.dps.end(), [](std::uint8_t d) { return d != 0; });
  if (s.iso_week == 1 && s.week > 0) review_farms(p, s);
  else if (any_dps) qualify_farms(p, s);
  else std::fill(pr.event_week.begin(), pr.event_week.end(), 0);
  parallel_over(p.producers.size(), [&](size_t i) {
    const ProducerParams& pp = p.producers[i];
    Rng rng(p.seed, Stream::pricing, i, static_cast<std::uint64_t>(s.week));
    pr.waste_week_kg[i] = 0;
    for (size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      const size_t ic = i * C + c;
      // weekly harvest = area x yield x season weight
      const double harvest = pr.area_daa[ic] * cat.yield_kg_per_daa * cat.harvest_weight[w];
      pr.harvest_kg[ic] = harvest;
      if (cat.storable) {
        const double loss = pr.stock_kg[ic] * cat.storage_loss_per_week;
        pr.stock_kg[ic] += harvest - loss;
        pr.waste_week_kg[i] += loss;
        pr.available_kg[ic] = pr.stock_kg[ic];
      } else {
        pr.available_kg[ic] = harvest;
      }
      // asking price = unit cost x (1 + margin), indexed, with noise; only farms in the channel ask
      if (pr.status[i] != FarmStatus::active) {
        pr.asking_price[ic] = 0;
        continue;
      }
      const double noise = std::max(0.5, 1.0 + pp.price_noise_sd * rng.normal());
      const double organic = pp.organic ? 1.0 + p.behaviour.organic_price_premium : 1.0;
      pr.asking_price[ic] = cat.farm_cost_nok_per_kg * (1.0 + pp.margin) * organic * s.price_index * noise;
    }
  });
}

// ---------------------------------------------------------------- 3 offers

void post_offers(const Params& p, State& s) {
  const size_t C = static_cast<size_t>(p.n_categories());
  auto& pr = s.producers;
  auto& ch = s.channels;
  // which markets take orders this week: farms offer only there
  parallel_over(s.hubs.municipality.size(), [&](size_t h) { s.hubs.open[h] = market_takes_orders(p, s, h) ? 1 : 0; });
  // each active farm offers a share of what it has to each of its open channels
  parallel_over(p.producers.size(), [&](size_t i) {
    const std::uint32_t k0 = pr.channel_begin[i], k1 = pr.channel_begin[i + 1];
    const double n = std::max<double>(1.0, k1 - k0);
    const bool active = pr.status[i] == FarmStatus::active;
    for (std::uint32_t k = k0; k < k1; ++k)
      for (size_t c = 0; c < C; ++c) {
        // under a contract only its holders offer, all they have, at the contract price
        const size_t slot = contract_slot(ch.hub[k], C, c, season_of(p.categories[c], s.iso_week));
        if (s.hubs.contract_kind[slot]) {
          const bool holder = ch.contracted[contract_slot(k, C, c, season_of(p.categories[c], s.iso_week))];
          ch.offer_kg[k * C + c] = holder && pr.status[i] != FarmStatus::exited ? pr.available_kg[i * C + c] / n : 0.0;
          ch.price[k * C + c] = s.hubs.contract_price[slot] * s.price_index;
          continue;
        }
        const bool offers = active && s.hubs.open[ch.hub[k]];
        ch.offer_kg[k * C + c] = offers ? pr.available_kg[i * C + c] * ch.offer_share[k * C + c] / n : 0.0;
        ch.price[k * C + c] = pr.asking_price[i * C + c];
      }
  });
  // the platform shows each hub's offers, summed in ascending farm order
  parallel_over(s.hubs.municipality.size(), [&](size_t h) {
    for (size_t c = 0; c < C; ++c) {
      double kg = 0, value = 0;
      for (std::uint32_t k : s.hubs.channels[h]) {
        kg += ch.offer_kg[k * C + c];
        value += ch.offer_kg[k * C + c] * ch.price[k * C + c];
      }
      s.hubs.offered_kg[h * C + c] = kg;
      s.hubs.offered_price[h * C + c] = kg > 0 ? value / kg : 0.0;
    }
    // what was on offer this week, for call-offs placed now and delivered later
    const size_t slot = static_cast<size_t>(s.week) % s.hubs.offer_history.size();
    for (size_t c = 0; c < C; ++c) {
      s.hubs.offer_history[slot][h * C + c] = s.hubs.offered_kg[h * C + c];
      s.hubs.price_history[slot][h * C + c] = s.hubs.offered_price[h * C + c];
    }
  });
}

// ---------------------------------------------------------------- 4 demand and orders

void form_orders(const Params& p, State& s) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const bool budget_year = s.iso_week == 1 && s.week > 0;
  auto& bu = s.buyers;
  parallel_over(p.buyers.size(), [&](size_t b) {
    const BuyerParams& bp = p.buyers[b];
    const BuyerTypeParams& tp = p.buyer_types[static_cast<size_t>(bp.type)];
    const auto m = static_cast<size_t>(bp.municipality);
    const MunicipalityParams& mp = p.municipalities[m];
    const int h = s.buyer_hub[b];
    Rng rng(p.seed, Stream::participation, b, static_cast<std::uint64_t>(s.week));
    if (budget_year) bu.spend_year_nok[b] = bu.budget_year_nok[b] = 0;

    // meals this week: closed weeks (holidays) have none
    const double days = contains(tp.closed_weeks, s.iso_week) ? 0.0 : tp.service_days_per_week;
    const double eater_days = bp.eaters * days;
    bu.meals[b] = eater_days;
    bu.budget_week_nok[b] = eater_days * tp.budget_nok_per_eater_day * s.price_index;

    // demand per category: what is eaten plus the waste, which is bought too
    double intake = 0;
    for (size_t c = 0; c < C; ++c) intake += tp.demand_kg_per_eater_day[c];
    const double waste_factor = intake > 0 ? 1.0 + tp.waste_g_per_eater_day / 1000.0 / intake : 1.0;
    double* demand = &bu.demand_kg[b * C];
    for (size_t c = 0; c < C; ++c) demand[c] = eater_days * tp.demand_kg_per_eater_day[c] * waste_factor;

    const auto hh = static_cast<size_t>(std::max(h, 0));
    const bool direct = h >= 0 && s.hubs.kind[hh] == MarketKind::direct;
    // contracts won in lots or simple competitions bind the covered units for their categories
    const bool covered = h >= 0 && type_allowed(mp, bp.type);
    auto contract = [&](size_t c) -> std::uint8_t {
      return covered ? s.hubs.contract_kind[contract_slot(hh, C, c, season_of(p.categories[c], s.iso_week))] : 0;
    };
    bool any_contract = false;
    for (size_t c = 0; c < C; ++c) any_contract = any_contract || contract(c) != 0;
    const bool market_open = market_open_for(p, s, b);
    // what the unit sees on offer: this week's offers; in a dynamic purchasing system the bids of the
    // call-off placed call_off_lead_weeks ago (at least 10 days to bid), delivered this week
    const bool dps = h >= 0 && s.hubs.dps[hh];
    const int lead = p.procurement.call_off_lead_weeks;
    const auto past = static_cast<size_t>((s.week + 1) % (lead + 1));  // = (week - lead) mod (lead + 1)
    auto visible_kg = [&](size_t c) {
      if (!dps) return s.hubs.offered_kg[hh * C + c];
      return s.week >= lead ? s.hubs.offer_history[past][hh * C + c] : 0.0;
    };
    auto visible_price = [&](size_t c) {
      return dps ? s.hubs.price_history[past][hh * C + c] : s.hubs.offered_price[hh * C + c];
    };
    const bool open = eater_days > 0 && (market_open || any_contract);
    // categories this unit may buy locally: contract categories; the exception's list on the platform;
    // on a direct market every category whose direct purchases have not reached the limit
    auto allowed = [&](size_t c) {
      if (contract(c)) return true;
      if (!market_open) return false;
      return direct ? s.policy.direct_closed[m * C + c] == 0 : contains(mp.exception_categories, static_cast<int>(c));
    };

    // a flexible menu shifts part of each menu group toward what is on offer locally
    if (open && tp.menu_flexibility > 0) {
      auto on_offer = [&](size_t c) { return allowed(c) && visible_kg(c) > 0; };
      for (size_t c = 0; c < C; ++c) {
        const std::string& group = p.categories[c].menu_group;
        if (group.empty()) continue;
        bool first = true;  // handle each group once, at its first category
        for (size_t c2 = 0; c2 < c; ++c2)
          if (p.categories[c2].menu_group == group) first = false;
        if (!first) continue;
        double total = 0, weight_sum = 0;
        for (size_t c2 = c; c2 < C; ++c2)
          if (p.categories[c2].menu_group == group) {
            total += demand[c2];
            weight_sum += demand[c2] * (on_offer(c2) ? 2.0 : 1.0);
          }
        if (weight_sum <= 0) continue;
        for (size_t c2 = c; c2 < C; ++c2)
          if (p.categories[c2].menu_group == group) {
            const double share = demand[c2] * (on_offer(c2) ? 2.0 : 1.0) / weight_sum;
            demand[c2] = (1.0 - tp.menu_flexibility) * demand[c2] + tp.menu_flexibility * total * share;
          }
      }
    }

    // participation (Krejci): always above the threshold, else with probability = satisfaction
    const double sat = bu.satisfaction[b];
    const double draw = rng.uniform();
    bu.participating[b] = open && (sat > p.behaviour.participation_threshold || draw < sat) ? 1 : 0;

    // split orders: the local channel gets what preference, price (less any incentive) and budget headroom accept
    double* order = &bu.local_order_kg[b * C];
    double* desire = &bu.local_desire_kg[b * C];
    double local_value = 0, all_value = 0;
    const double fee = direct ? 0.0 : mp.hub.fee_nok_per_kg;
    const double incentive = s.policy.incentive_nok_per_kg[m];
    const double budget_factor =
        bu.budget_year_nok[b] > 0
            ? clamp01(1.0 - p.behaviour.budget_sensitivity * std::max(0.0, bu.spend_year_nok[b] / bu.budget_year_nok[b] - 1.0))
            : 1.0;
    std::vector<double> price(C, 0.0);
    for (size_t c = 0; c < C; ++c) {
      order[c] = desire[c] = 0;
      const double wholesale_price = p.categories[c].wholesale_price_nok_per_kg * s.price_index;
      all_value += demand[c] * wholesale_price;
      if (eater_days > 0 && contract(c) == 1) {
        // a lot: the winner supplies the unit's whole demand of the category this season
        price[c] = visible_price(c) + fee;
        order[c] = desire[c] = demand[c];
        continue;
      }
      if (!bu.participating[b] || !allowed(c)) continue;
      const double offered = visible_kg(c);
      price[c] = visible_price(c) + fee;
      // relative price of local food against the list price, after any incentive: a premium lowers
      // the wish to buy local, a discount raises it (never beyond the whole demand)
      const double premium = offered > 0 ? (price[c] - incentive) / wholesale_price - 1.0 : 0.0;
      const double price_factor = std::exp(-tp.price_sensitivity * premium);
      desire[c] = std::min(demand[c], demand[c] * bu.preference[b] * price_factor * budget_factor);
      order[c] = std::min(desire[c], offered);
      local_value += order[c] * price[c];
    }
    const bool quota = has_rule(mp, Rule::quota_mandate) && type_allowed(mp, bp.type);
    if (quota && bu.participating[b]) {
      // the mandate: at least quota_share of the food spend from local farms, as far as there is food on offer
      const double required = mp.policy.quota_share * all_value;
      double max_value = 0;
      for (size_t c = 0; c < C; ++c)
        if (allowed(c)) max_value += std::min(demand[c], visible_kg(c)) * price[c];
      if (local_value < required && max_value > local_value) {
        const double lambda = std::min(1.0, (required - local_value) / (max_value - local_value));
        local_value = 0;
        for (size_t c = 0; c < C; ++c) {
          if (!allowed(c)) continue;
          const double top = std::min(demand[c], visible_kg(c));
          order[c] += lambda * (top - order[c]);
          desire[c] = std::max(desire[c], order[c]);
          local_value += order[c] * price[c];
        }
      }
    } else if (!direct) {
      // the exception's cap (in force): local purchases at most a share of the unit's food spend
      double capped_value = 0;
      for (size_t c = 0; c < C; ++c)
        if (!contract(c)) capped_value += order[c] * price[c];
      const double cap_value = s.policy.cap_share[m] * all_value;
      if (capped_value > cap_value && capped_value > 0) {
        const double scale = cap_value / capped_value;
        for (size_t c = 0; c < C; ++c)
          if (!contract(c)) order[c] *= scale;
      }
    }
  });
}

// ---------------------------------------------------------------- 5 clearing

void clear_markets(const Params& p, State& s) {
  const size_t C = static_cast<size_t>(p.n_categories());
  auto& hu = s.hubs;
  auto& ch = s.channels;
  const double limit = direct_limit_nok(p.procurement, s.date);
  parallel_over(hu.municipality.size(), [&](size_t h) {
    const size_t m = hu.municipality[h];
    const MunicipalityParams& mp = p.municipalities[m];
    const bool direct = hu.kind[h] == MarketKind::direct;
    const bool limited = direct && has_rule(mp, Rule::direct_purchase);
    // orders summed in ascending buyer id; over-subscribed categories are rationed proportionally
    double accepted_total = 0;
    double competition_week_nok = 0;  // simple-competition purchases accepted so far this week
    for (size_t c = 0; c < C; ++c) {
      double ordered = 0, desired = 0;
      for (std::uint32_t b : hu.buyers[h]) {
        ordered += s.buyers.local_order_kg[b * C + c];
        desired += s.buyers.local_desire_kg[b * C + c];
      }
      const size_t hc = h * C + c;
      hu.ordered_kg[hc] = ordered;
      const double offered = hu.offered_kg[hc];
      hu.accept_ratio[hc] = ordered > 0 ? std::min(1.0, offered / ordered) : 0.0;
      // FOA: similar purchases add up over the agreement period; the purchase that would pass the
      // limit is not made, and direct buying of the category stops (no splitting to stay below)
      if (limited && hu.accept_ratio[hc] > 0) {
        const double value = ordered * hu.accept_ratio[hc] * hu.offered_price[hc];
        if (s.policy.direct_closed[m * C + c] || s.policy.direct_spent_nok[m * C + c] + value > limit) {
          s.policy.direct_closed[m * C + c] = 1;
          hu.accept_ratio[hc] = 0;
        }
      }
      // a simple competition's contracts stay below the national threshold over the year
      const size_t slot = contract_slot(h, C, c, season_of(p.categories[c], s.iso_week));
      if (hu.contract_kind[slot] == 2 && hu.accept_ratio[hc] > 0) {
        const double value = ordered * hu.accept_ratio[hc] * hu.offered_price[hc];
        if (hu.contract_value_year_nok[h] + competition_week_nok + value > p.procurement.simple_competition_limit_nok)
          hu.accept_ratio[hc] = 0;
        else
          competition_week_nok += value;
      }
      accepted_total += ordered * hu.accept_ratio[hc];
      // farms watch the demand they could not meet (their entry signal), smoothed over half a year
      hu.unmet_kg_ema[hc] += (std::max(0.0, desired - offered) - hu.unmet_kg_ema[hc]) / 26.0;
    }
    // a hub's capacity binds (proportional rationing of everything accepted); on a direct market
    // each farm delivers what it sold
    if (direct) hu.capacity_kg[h] = accepted_total;
    else hu.capacity_kg[h] = s.policy.hub_funded[m] ? planned_capacity_kg(mp, s, h) : 0.0;
    hu.handle_ratio[h] = accepted_total > 0 ? std::min(1.0, hu.capacity_kg[h] / accepted_total) : 0.0;
    hu.handled_kg[h] = accepted_total * hu.handle_ratio[h];
    if (hu.dps[h]) {
      // call-offs are mini-competitions: the cheapest qualified farms supply first (ties by farm id)
      std::vector<std::uint32_t> ranked;
      for (size_t c = 0; c < C; ++c) {
        ranked = hu.channels[h];  // ascending farm id
        std::stable_sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
          return ch.price[a * C + c] < ch.price[b * C + c];
        });
        double left = hu.ordered_kg[h * C + c] * hu.accept_ratio[h * C + c] * hu.handle_ratio[h];
        for (std::uint32_t k : ranked) {
          ch.sold_kg[k * C + c] = std::min(ch.offer_kg[k * C + c], left);
          left -= ch.sold_kg[k * C + c];
        }
      }
      return;
    }
    // each farm sells in proportion to its offer
    for (std::uint32_t k : hu.channels[h])
      for (size_t c = 0; c < C; ++c) {
        const double offered = hu.offered_kg[h * C + c];
        const double take = offered > 0 ? hu.ordered_kg[h * C + c] * hu.accept_ratio[h * C + c] / offered : 0.0;
        ch.sold_kg[k * C + c] = ch.offer_kg[k * C + c] * take * hu.handle_ratio[h];
      }
  });
}

// ---------------------------------------------------------------- 6 work

void assign_work(const Params& p, State& s) {
  const size_t C = static_cast<size_t>(p.n_categories());
  auto& wk = s.workers;
  auto& hu = s.hubs;
  parallel_over(hu.municipality.size(), [&](size_t h) {
    hu.staff_extra_hours[h] = 0;
    hu.courier_kg[h] = 0;
    hu.volunteer_hours[h] = 0;
    if (hu.kind[h] != MarketKind::platform) return;  // farms deliver direct sales themselves
    const DayCentreParams& d = p.municipalities[hu.municipality[h]].day_centre;
    const auto& ids = wk.centre_workers[h];

    // attendance: open days drawn one by one (a half day counts half)
    std::vector<double> available(ids.size(), 0.0);
    const double full_days = std::floor(d.open_days_per_week);
    const double part_day = d.open_days_per_week - full_days;
    for (size_t i = 0; i < ids.size(); ++i) {
      const std::uint32_t w = ids[i];
      wk.hours_week[w] = 0;
      Rng rng(p.seed, Stream::attendance, w, static_cast<std::uint64_t>(s.week));
      const int days = rng.binomial(static_cast<int>(full_days), wk.attendance[w]);
      const double part = rng.bernoulli(wk.attendance[w]) ? part_day : 0.0;
      if (wk.status[w] == WorkerStatus::active) available[i] = (days + part) * d.hours_per_day;
    }

    // hours go in quarter-hour blocks to those present, least hours so far first, ties by id
    double kg_left = hu.handled_kg[h];
    constexpr double kBlock = 0.25;
    using Entry = std::pair<double, std::uint32_t>;  // (hours so far, position)
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    for (size_t i = 0; i < ids.size(); ++i)
      if (available[i] > 0) queue.emplace(wk.hours_total[ids[i]], static_cast<std::uint32_t>(i));
    while (kg_left > 1e-9 && !queue.empty()) {
      const auto [hours, i] = queue.top();
      queue.pop();
      const std::uint32_t w = ids[i];
      const double prod = worker_productivity(d, wk.skill[w]);
      const double block = std::min({kBlock, available[i], kg_left / prod});
      wk.hours_week[w] += block;
      available[i] -= block;
      kg_left -= block * prod;
      if (available[i] > 1e-12) queue.emplace(hours + block, i);
    }
    // what participants could not handle goes to volunteers, the courier if there is one, and then to staff
    const HubParams& hp = p.municipalities[hu.municipality[h]].hub;
    const PolicyParams& pol = p.municipalities[hu.municipality[h]].policy;
    const double volunteer_kg =
        std::min(std::max(0.0, kg_left), pol.volunteers * pol.volunteer_hours_per_week * d.productivity_kg_per_hour);
    hu.volunteer_hours[h] = volunteer_kg / d.productivity_kg_per_hour;
    kg_left -= volunteer_kg;
    hu.courier_kg[h] = std::min(std::max(0.0, kg_left), hp.courier_kg_per_week);
    kg_left -= hu.courier_kg[h];
    hu.staff_extra_hours[h] = kg_left > 1e-9 ? kg_left / d.productivity_kg_per_hour : 0.0;

    // the week's stops: farms that sold, then kitchens served
    std::vector<std::uint32_t> stops;
    for (std::uint32_t k : hu.channels[h]) {
      double kg = 0;
      for (size_t c = 0; c < C; ++c) kg += s.channels.sold_kg[k * C + c];
      if (kg > 0) stops.push_back(s.channels.producer[k]);
    }
    if (hu.handle_ratio[h] > 0)
      for (std::uint32_t b : hu.buyers[h]) {
        double kg = 0;
        for (size_t c = 0; c < C; ++c) kg += s.buyers.local_order_kg[b * C + c] * hu.accept_ratio[h * C + c];
        if (kg > 0) stops.push_back(b | kKitchenContactBit);
      }

    // skills grow with hours (learning curve) and decay when idle; contacts from the stops worked
    size_t cursor = 0;
    for (std::uint32_t w : ids) {
      const double hrs = wk.hours_week[w];
      wk.hours_total[w] += hrs;
      if (hrs > 0) {
        wk.skill[w] = std::min(1.0, wk.skill[w] + d.learning_per_hour * hrs * (1.0 - wk.skill[w]));
        const auto n_stops = static_cast<size_t>(std::ceil(hrs / d.hours_per_stop));
        for (size_t j = 0; j < n_stops && !stops.empty(); ++j, ++cursor)
          insert_sorted_unique(wk.contacts[w], stops[cursor % stops.size()]);
      } else {
        wk.skill[w] *= 1.0 - d.skill_decay_per_idle_week;
      }
    }

    // moves on: adapted work (VTA) and ordinary work grow likelier with skill; people without work drop out
    int freed = 0;
    for (std::uint32_t w : ids) {
      wk.moved_week[w] = 0;
      if (wk.status[w] != WorkerStatus::active) continue;
      Rng rng(p.seed, Stream::moves, w, static_cast<std::uint64_t>(s.week));
      const double u = rng.uniform();
      const double p_vta = d.vta_per_year / kWeeksPerYear * wk.skill[w];
      const double p_work = d.work_per_year / kWeeksPerYear * wk.skill[w] * wk.skill[w];
      const double p_drop = wk.hours_week[w] > 0 ? 0.0 : d.dropout_per_year / kWeeksPerYear;
      if (u < p_vta) wk.status[w] = WorkerStatus::moved_vta, wk.moved_week[w] = 1;
      else if (u < p_vta + p_work) wk.status[w] = WorkerStatus::moved_work, wk.moved_week[w] = 2;
      else if (u < p_vta + p_work + p_drop) wk.status[w] = WorkerStatus::dropped_out, wk.moved_week[w] = 3;
      if (wk.moved_week[w]) ++freed;
    }
    // places freed are filled from the waiting list, first come first served
    for (std::uint32_t w : ids) {
      if (freed == 0) break;
      if (wk.status[w] != WorkerStatus::waiting) continue;
      wk.status[w] = WorkerStatus::active;
      wk.moved_week[w] = 4;
      --freed;
    }
  });
}

// ---------------------------------------------------------------- 7 delivery and settlement

void settle_deliveries(const Params& p, State& s) {
  const size_t C = static_cast<size_t>(p.n_categories());
  auto& hu = s.hubs;
  auto& ch = s.channels;
  auto& bu = s.buyers;
  auto& pr = s.producers;
  const double sn = p.wholesaler.short_notice_premium;

  // reliability: a farm delivers an accepted order in full with probability = reliability
  parallel_over(hu.municipality.size(), [&](size_t h) {
    const size_t m = hu.municipality[h];
    const MunicipalityParams& mp = p.municipalities[m];
    const bool direct = hu.kind[h] == MarketKind::direct;
    std::vector<double> sold(C, 0.0), delivered(C, 0.0), value(C, 0.0), km(C, 0.0), organic(C, 0.0);
    hu.suppliers[h] = 0;
    hu.penalty_nok[h] = 0;
    for (std::uint32_t k : hu.channels[h]) ch.penalty_nok[k] = 0;
    for (std::uint32_t k : hu.channels[h]) {
      const ProducerParams& pp = p.producers[ch.producer[k]];
      Rng rng(p.seed, Stream::delivery, k, static_cast<std::uint64_t>(s.week));
      const double u_full = rng.uniform(), u_part = rng.uniform();
      const double fraction = u_full < pp.reliability ? 1.0 : u_part;
      for (size_t c = 0; c < C; ++c) {
        const size_t kc = k * C + c;
        ch.delivered_kg[kc] = ch.sold_kg[kc] * fraction;
        sold[c] += ch.sold_kg[kc];
        delivered[c] += ch.delivered_kg[kc];
        value[c] += ch.delivered_kg[kc] * ch.price[kc];
        km[c] += ch.delivered_kg[kc] * ch.road_km[k];
        organic[c] += pp.organic ? ch.delivered_kg[kc] : 0.0;
      }
      hu.suppliers[h] += fraction > 0 && std::any_of(&ch.sold_kg[k * C], &ch.sold_kg[k * C] + C, [](double x) { return x > 0; });
    }
    double fees = 0;
    for (size_t c = 0; c < C; ++c) {
      const size_t hc = h * C + c;
      hu.deliver_ratio[hc] = sold[c] > 0 ? delivered[c] / sold[c] : 0.0;
      hu.delivered_price[hc] = delivered[c] > 0 ? value[c] / delivered[c] : 0.0;
      hu.farm_km[hc] = delivered[c] > 0 ? km[c] / delivered[c] : 0.0;
      hu.organic_ratio[hc] = delivered[c] > 0 ? organic[c] / delivered[c] : 0.0;
      if (!direct) fees += delivered[c] * mp.hub.fee_nok_per_kg;
      const size_t slot = contract_slot(h, C, c, season_of(p.categories[c], s.iso_week));
      if (hu.contract_kind[slot] == 2) hu.contract_value_year_nok[h] += value[c];
      if (hu.contract_kind[slot] == 1) {
        // a lot's holders pay a penalty on what they failed to supply (ordered but not on offer) or
        // failed to deliver (reliability), shared by their offers; hub capacity is not their failure
        const double shortfall =
            std::max(0.0, hu.ordered_kg[hc] * (1.0 - hu.accept_ratio[hc]) + sold[c] - delivered[c]);
        double offered = 0, holders = 0;
        for (std::uint32_t k : hu.channels[h])
          if (ch.contracted[contract_slot(k, C, c, season_of(p.categories[c], s.iso_week))]) {
            offered += ch.offer_kg[k * C + c];
            holders += 1;
          }
        for (std::uint32_t k : hu.channels[h])
          if (ch.contracted[contract_slot(k, C, c, season_of(p.categories[c], s.iso_week))]) {
            const double share = offered > 0 ? ch.offer_kg[k * C + c] / offered : 1.0 / holders;
            const double nok = shortfall * p.procurement.penalty_nok_per_kg * s.price_index * share;
            ch.penalty_nok[k] += nok;
            hu.penalty_nok[h] += nok;
          }
      }
      // direct purchases paid count toward the limit of the agreement period
      if (direct && has_rule(mp, Rule::direct_purchase)) s.policy.direct_spent_nok[m * C + c] += value[c];
    }
    hu.fee_income_nok[h] = fees;
  });

  // kitchens receive, pay, and buy the shortfall from the wholesaler at short notice
  parallel_over(p.buyers.size(), [&](size_t b) {
    const int h = s.buyer_hub[b];
    const auto hh = static_cast<size_t>(std::max(h, 0));
    const auto m = static_cast<size_t>(p.buyers[b].municipality);
    const MunicipalityParams& mp = p.municipalities[m];
    const bool direct = h >= 0 && hu.kind[hh] == MarketKind::direct;
    const double fee = direct ? 0.0 : mp.hub.fee_nok_per_kg;
    double accepted_total = 0, delivered_total = 0, ordered_total = 0, spend = 0;
    for (size_t c = 0; c < C; ++c) {
      const size_t bc = b * C + c;
      const double ordered = bu.local_order_kg[bc];
      double accepted = 0, delivered = 0;
      if (h >= 0 && ordered > 0) {
        accepted = ordered * hu.accept_ratio[hh * C + c];
        delivered = accepted * hu.handle_ratio[hh] * hu.deliver_ratio[hh * C + c];
      }
      const double wholesale_price = p.categories[c].wholesale_price_nok_per_kg * s.price_index;
      // what the platform could not accept is known when ordering closes: bought at the list price;
      // what was accepted but not delivered (hub capacity, farm failures) is bought at short notice,
      // and so is all a lot's winner fails to supply
      const bool lot = h >= 0 && hu.contract_kind[contract_slot(hh, C, c, season_of(p.categories[c], s.iso_week))] == 1 &&
                       type_allowed(mp, p.buyers[b].type);
      if (lot || (h >= 0 && hu.dps[hh])) accepted = ordered;  // a call-off or a lot not supplied is a failed delivery
      const double planned = bu.demand_kg[bc] - accepted;
      bu.local_kg[bc] = delivered;
      bu.local_nok[bc] = delivered > 0 ? delivered * (hu.delivered_price[hh * C + c] + fee) : 0.0;
      bu.fallback_kg[bc] = accepted - delivered;
      bu.wholesale_kg[bc] = planned + bu.fallback_kg[bc];
      bu.wholesale_nok[bc] = planned * wholesale_price + bu.fallback_kg[bc] * wholesale_price * (1.0 + sn);
      ordered_total += ordered;
      accepted_total += accepted;
      delivered_total += delivered;
      spend += bu.local_nok[bc] + bu.wholesale_nok[bc];
    }
    // outcome of the accepted local order: full, partial, or nothing came
    if (ordered_total <= 0 || accepted_total <= 0) bu.delivery_outcome[b] = -1;
    else if (delivered_total >= accepted_total * (1.0 - p.behaviour.full_delivery_tolerance - 1e-9))
      bu.delivery_outcome[b] = 2;
    else if (delivered_total > 0) bu.delivery_outcome[b] = 1;
    else bu.delivery_outcome[b] = 0;
    // the municipality pays the local-purchase incentive to the unit
    bu.incentive_nok[b] = delivered_total * s.policy.incentive_nok_per_kg[m];
    bu.spend_year_nok[b] += spend - bu.incentive_nok[b];
    bu.budget_year_nok[b] += bu.budget_week_nok[b];
    // every supplier relation costs ordering hours: the wholesaler, and the platform as one relation
    // or each farm a unit bought from directly; sectors working together cut coordination
    const BuyerTypeParams& tp = p.buyer_types[static_cast<size_t>(p.buyers[b].type)];
    double relations = bu.meals[b] > 0 ? 1.0 : 0.0;
    if (accepted_total > 0 && !direct) relations += 1.0;
    if (delivered_total > 0 && direct)
      for (std::uint32_t k : hu.channels[hh]) {
        bool supplied = false;  // the farm delivered a category this unit received
        for (size_t c = 0; c < C && !supplied; ++c)
          supplied = bu.local_kg[b * C + c] > 0 && ch.delivered_kg[k * C + c] > 0;
        relations += supplied ? 1.0 : 0.0;
      }
    bu.admin_hours[b] = relations * tp.hours_per_supplier_relation * coordination_factor(mp.policy) *
                        (1.0 - p.behaviour.trust_cost_cut * s.policy.trust[m]);
  });

  // farms are paid for what they delivered; the rest goes to other markets, to storage or to waste
  parallel_over(p.producers.size(), [&](size_t i) {
    double income = 0, outside_income = 0, offered = 0, sold = 0, put_in = 0;
    const double n_channels = std::max<double>(1.0, pr.channel_begin[i + 1] - pr.channel_begin[i]);
    for (size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      const size_t ic = i * C + c;
      double delivered = 0;
      for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k) {
        delivered += ch.delivered_kg[k * C + c];
        income += ch.delivered_kg[k * C + c] * ch.price[k * C + c];
        // what the farm put into the channel: a perishable's offer; for a storable crop only the new
        // harvest's share (its stock is offered again every week and would be counted many times)
        if (ch.offer_kg[k * C + c] > 0)  // only what it offered on an open market counts
          put_in += cat.storable ? pr.harvest_kg[ic] * ch.offer_share[k * C + c] / n_channels : ch.offer_kg[k * C + c];
        offered += ch.offer_kg[k * C + c];
        sold += ch.sold_kg[k * C + c];
      }
      const double outside_price = cat.outside_price_nok_per_kg * s.price_index;
      if (cat.storable) {
        pr.stock_kg[ic] = std::max(0.0, pr.stock_kg[ic] - delivered);
        const double outside = pr.stock_kg[ic] / std::max(1.0, cat.shelf_life_weeks);
        pr.stock_kg[ic] -= outside;
        outside_income += outside * outside_price;
      } else {
        const double unsold = std::max(0.0, pr.available_kg[ic] - delivered);
        const double outside = unsold * p.behaviour.outside_market_absorb;
        outside_income += outside * outside_price;
        pr.waste_week_kg[i] += unsold - outside;
      }
    }
    pr.income_week_nok[i] = income;
    pr.income_total_nok[i] += income;
    pr.outside_income_week_nok[i] = outside_income;
    // the season's record: what the farm offered, sold and earned in municipal channels
    pr.season_offered_kg[i] += put_in;
    if (offered > 0) {
      pr.offer_weeks[i] += 1;
      pr.soldout_weeks[i] += sold >= 0.999 * offered ? 1 : 0;
    }
    for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k)
      for (size_t c = 0; c < C; ++c) pr.season_sold_kg[i] += ch.delivered_kg[k * C + c];
    double penalties = 0;
    for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k) penalties += ch.penalty_nok[k];
    pr.season_income_nok[i] += income - penalties;
  });

  // hub route and running cost
  parallel_over(hu.municipality.size(), [&](size_t h) {
    const size_t m = hu.municipality[h];
    const HubParams& hp = p.municipalities[m].hub;
    if (hu.kind[h] == MarketKind::direct) {
      // each farm that delivered drives its own round through the units served
      std::vector<Point> units;
      for (std::uint32_t b : hu.buyers[h]) {
        double kg = 0;
        for (size_t c = 0; c < C; ++c) kg += bu.local_kg[b * C + c];
        if (kg > 0) units.push_back(p.buyers[b].position);
      }
      // approximated as: to the municipality's centre and back, plus one round of the units from there
      hu.route_km[h] = 0;
      const Point centre = p.municipalities[m].centre;
      const double round = units.empty() ? 0.0 : tour_km(p.behaviour, centre, units);
      for (std::uint32_t k : hu.channels[h]) {
        double kg = 0;
        for (size_t c = 0; c < C; ++c) kg += ch.delivered_kg[k * C + c];
        if (kg > 0 && !units.empty())
          hu.route_km[h] += 2.0 * road_km(p.behaviour, p.producers[ch.producer[k]].position, centre) + round;
      }
      hu.cost_nok[h] = 0;  // farms carry their own delivery in their price
      return;
    }
    std::vector<Point> stops;
    for (std::uint32_t k : hu.channels[h]) {
      double kg = 0;
      for (size_t c = 0; c < C; ++c) kg += ch.delivered_kg[k * C + c];
      if (kg > 0) stops.push_back(p.producers[ch.producer[k]].position);
    }
    double kg_out = 0;
    for (std::uint32_t b : hu.buyers[h]) {
      double kg = 0;
      for (size_t c = 0; c < C; ++c) kg += bu.local_kg[b * C + c];
      if (kg > 0) stops.push_back(p.buyers[b].position);
      kg_out += kg;
    }
    const double trips = hp.vehicle_capacity_kg > 0 ? std::ceil(kg_out / hp.vehicle_capacity_kg) : 0.0;
    hu.route_km[h] = stops.empty() ? 0.0 : std::max(1.0, trips) * tour_km(p.behaviour, hp.position, stops);
    const double wage = hp.coordinator_wage_nok_per_hour * s.price_index;
    hu.cost_nok[h] = s.policy.hub_funded[m]
                         ? hp.fixed_cost_nok_per_week * s.price_index +
                               hp.coordinator_hours_per_week * coordination_factor(p.municipalities[m].policy) * wage +
                               hu.staff_extra_hours[h] * wage + hu.route_km[h] * hp.van_km_cost_nok * s.price_index +
                               hu.courier_kg[h] * hp.courier_nok_per_kg * s.price_index
                         : 0.0;
  });
}

// ---------------------------------------------------------------- 8 adaptation

void adapt(const Params& p, State& s) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const BehaviourParams& be = p.behaviour;
  // satisfaction: +0.01 full, -0.01 partial, -0.05 nothing came (Krejci); trust makes a partial delivery easier to bear
  parallel_over(p.buyers.size(), [&](size_t b) {
    double& sat = s.buyers.satisfaction[b];
    const double trust = s.policy.trust[static_cast<size_t>(p.buyers[b].municipality)];
    switch (s.buyers.delivery_outcome[b]) {
      case 2: sat += be.satisfaction_full; break;
      case 1: sat += be.satisfaction_partial * (1.0 - trust); break;
      case 0: sat += be.satisfaction_none; break;
      default: break;
    }
    sat = clamp01(sat);
  });
  // offers, per product: sold out -> offer more; much unsold -> weighted sell-through of the last three cycles
  auto& ch = s.channels;
  parallel_over(p.producers.size(), [&](size_t i) {
    for (std::uint32_t k = s.producers.channel_begin[i]; k < s.producers.channel_begin[i + 1]; ++k)
      for (size_t c = 0; c < C; ++c) {
        const size_t kc = k * C + c;
        const double offered = ch.offer_kg[kc];
        if (offered <= 0) continue;  // no cycle this week
        auto& hist = ch.sellthrough[kc];
        hist = {ch.sold_kg[kc] / offered, hist[0], hist[1]};
        double& share = ch.offer_share[kc];
        if (hist[0] >= 0.999) {
          share = std::min(1.0, share * (1.0 + be.offer_growth));
        } else if (hist[0] < be.sellthrough_low) {
          const double weighted = be.sellthrough_weights[0] * hist[0] + be.sellthrough_weights[1] * hist[1] +
                                  be.sellthrough_weights[2] * hist[2];
          share = std::max(be.offer_share_min, share * weighted);
        }
      }
  });
}

// ---------------------------------------------------------------- 9 metrics

void collect_metrics(const Params& p, State& s, WeekReport& r) {
  const size_t C = static_cast<size_t>(p.n_categories());
  const size_t M = p.municipalities.size();
  r.week = s.week;
  r.week_start = s.date;
  r.iso_week = s.iso_week;
  r.iso_year = s.iso_year;
  r.n_municipalities = static_cast<int>(M);
  r.n_categories = static_cast<int>(C);
  r.cells.assign(M * kBuyerTypes * C, FlowSums{});
  r.types.assign(M * kBuyerTypes, TypeSums{});
  r.munis.assign(M, MuniSums{});
  const double sn = p.wholesaler.short_notice_premium;

  // per municipality, agents summed in ascending id order
  parallel_over(M, [&](size_t m) {
    const MunicipalityParams& mp = p.municipalities[m];
    const int h = s.hub_of_municipality[m];
    const auto hh = static_cast<size_t>(std::max(h, 0));
    for (std::uint32_t b : s.buyers_of_municipality[m]) {
      const BuyerParams& bp = p.buyers[b];
      const BuyerTypeParams& tp = p.buyer_types[static_cast<size_t>(bp.type)];
      const auto t = static_cast<size_t>(bp.type);
      // the unit's own market: the hub (platform) or the municipality's direct market
      const int mk = s.buyer_hub[b];
      const auto mm = static_cast<size_t>(std::max(mk, 0));
      const bool platform = mk >= 0 && s.hubs.kind[mm] == MarketKind::platform;
      const Point site = platform ? mp.hub.position : mp.centre;
      const double road_site = mk >= 0 ? road_km(p.behaviour, site, bp.position) : 0.0;
      const double fee = platform ? mp.hub.fee_nok_per_kg : 0.0;
      const bool allowed_type = type_allowed(mp, bp.type);
      for (size_t c = 0; c < C; ++c) {
        const CategoryParams& cat = p.categories[c];
        const size_t bc = b * C + c;
        FlowSums& f = r.cells[(m * kBuyerTypes + t) * C + c];
        const double wholesale_price = cat.wholesale_price_nok_per_kg * s.price_index;
        const double local_price = mk >= 0 ? s.hubs.delivered_price[mm * C + c] + fee : 0.0;
        const double lk = s.buyers.local_kg[bc], wk = s.buyers.wholesale_kg[bc];
        // the wholesaler's Norwegian and regional shares in force this week (the policy phase)
        const double norwegian = s.policy.wholesaler_norwegian_share[m * C + c];
        const double regional = s.policy.wholesaler_regional_share[m * C + c];
        f.demand_kg += s.buyers.demand_kg[bc];
        f.local_order_kg += s.buyers.local_order_kg[bc];
        f.local_kg += lk;
        f.local_nok += s.buyers.local_nok[bc];
        f.wholesale_kg += wk;
        f.wholesale_nok += s.buyers.wholesale_nok[bc];
        f.regional_kg += wk * regional;
        f.regional_nok += s.buyers.wholesale_nok[bc] * regional;
        f.norwegian_kg += lk + wk * norwegian;
        f.fallback_kg += s.buyers.fallback_kg[bc];
        f.premium_nok += lk * (local_price - wholesale_price) + s.buyers.fallback_kg[bc] * wholesale_price * sn;
        f.organic_kg += (mk >= 0 ? lk * s.hubs.organic_ratio[mm * C + c] : 0.0) + wk * cat.wholesaler_organic_share;
        // transport: farm -> hub (or centre) -> kitchen by van; origin -> warehouse -> kitchen by truck
        const double local_km = mk >= 0 ? s.hubs.farm_km[mm * C + c] + road_site : 0.0;
        const double chain_kg_per_kg =
            (cat.upstream_km + p.wholesaler.warehouse_distance_km) * cat.co2e_truck_kg_per_tkm / 1000.0;
        f.co2e_kg += lk / 1000.0 * local_km * cat.co2e_van_kg_per_tkm + wk * chain_kg_per_kg;
        f.co2e_reference_kg += s.buyers.demand_kg[bc] * chain_kg_per_kg;
        if (allowed_type && contains(mp.exception_categories, static_cast<int>(c))) {
          r.munis[m].covered_local_nok += s.buyers.local_nok[bc];
          r.munis[m].covered_spend_nok += s.buyers.local_nok[bc] + s.buyers.wholesale_nok[bc];
        }
      }
      TypeSums& ts = r.types[m * kBuyerTypes + t];
      ts.meals += s.buyers.meals[b];
      ts.budget_nok += s.buyers.budget_week_nok[b];
      ts.admin_hours += s.buyers.admin_hours[b];
      ts.kitchen_waste_kg += s.buyers.meals[b] * tp.waste_g_per_eater_day / 1000.0;
      ts.buyers += 1;
      ts.participating += s.buyers.participating[b];
      ts.deliveries_full += s.buyers.delivery_outcome[b] == 2 ? 1 : 0;
      ts.deliveries_partial += s.buyers.delivery_outcome[b] == 1 ? 1 : 0;
      ts.deliveries_none += s.buyers.delivery_outcome[b] == 0 ? 1 : 0;
      ts.satisfaction_sum += s.buyers.satisfaction[b];
      ts.incentive_nok += s.buyers.incentive_nok[b];
    }

    MuniSums& ms = r.munis[m];
    ms.weeks = 1;
    ms.municipalities = 1;
    ms.population = mp.population;
    if (const int dm = s.direct_of_municipality[m]; dm >= 0) ms.transport_km += s.hubs.route_km[static_cast<size_t>(dm)];
    for (size_t c = 0; c < C; ++c) {
      ms.direct_spend_period_nok += s.policy.direct_spent_nok[m * C + c];
      ms.direct_closed += s.policy.direct_closed[m * C + c];
    }
    ms.tenders = s.tender_week;
    ms.integrated = s.policy.integrated[m];
    ms.project_ended = s.policy.project_ended[m];
    ms.supplier_events = s.policy.supplier_events[m];
    ms.incentive_in_force = s.policy.incentive_nok_per_kg[m];
    for (Rule rule : mp.rules) ms.unlawful_rules = rule_lawful(rule) ? ms.unlawful_rules : 1.0;
    ms.trust_sum = s.policy.trust[m];
    for (int mk : {s.hub_of_municipality[m], s.direct_of_municipality[m]}) {
      if (mk < 0) continue;
      const auto k = static_cast<size_t>(mk);
      for (size_t slot = k * C * 2; slot < (k + 1) * C * 2; ++slot) {
        ms.lots_local += s.hubs.contract_kind[slot] == 1;
        ms.competition_contracts += s.hubs.contract_kind[slot] == 2;
      }
      ms.tender_hours += s.hubs.tender_hours[k];
      ms.penalties_nok += s.hubs.penalty_nok[k];
    }
    ms.arenas = s.policy.arena_week[m];
    ms.farm_visits = s.policy.visit_week[m];
    ms.adopted = s.policy.adopted[m];
    // distinct local products on the menus this week (cultural dimension)
    for (size_t c = 0; c < C; ++c) {
      double kg = 0;
      for (std::uint32_t b : s.buyers_of_municipality[m]) kg += s.buyers.local_kg[b * C + c];
      ms.local_categories += kg > 0 ? 1.0 : 0.0;
    }
    if (h >= 0) {
      ms.hub_capacity_kg = s.hubs.capacity_kg[hh];
      ms.hub_throughput_kg = s.hubs.handled_kg[hh];
      ms.hub_cost_nok = s.hubs.cost_nok[hh];
      ms.hub_fee_nok = s.hubs.fee_income_nok[hh];
      ms.transport_km += s.hubs.route_km[hh];
      ms.staff_extra_hours = s.hubs.staff_extra_hours[hh];
      ms.volunteer_hours = s.hubs.volunteer_hours[hh];
      std::vector<double> hours;
      for (std::uint32_t wid : s.workers.centre_workers[hh]) {
        if (s.workers.status[wid] != WorkerStatus::active) continue;
        ms.work_hours += s.workers.hours_week[wid];
        ms.participants += 1;
        ms.participants_engaged += s.workers.hours_week[wid] >= 1.0 ? 1 : 0;
        ms.skill_sum += s.workers.skill[wid];
        ms.contacts_sum += static_cast<double>(s.workers.contacts[wid].size());
        hours.push_back(s.workers.hours_total[wid]);
      }
      for (std::uint32_t wid : s.workers.centre_workers[hh]) {
        ms.moves_vta += s.workers.moved_week[wid] == 1;
        ms.moves_work += s.workers.moved_week[wid] == 2;
        ms.dropouts += s.workers.moved_week[wid] == 3;
        ms.waiting += s.workers.status[wid] == WorkerStatus::waiting;
      }
      ms.gini_hours = gini(hours);
    }
    for (std::uint32_t i : s.producers_of_municipality[m]) {
      ms.farm_entries += s.producers.event_week[i] > 0;
      ms.farm_exits += s.producers.event_week[i] < 0;
      // farm waste counts for farms in the municipal channel, whose unsold produce the scheme concerns
      if (s.producers.status[i] != FarmStatus::active) continue;
      ms.active_producers += 1;
      ms.farm_income_nok += s.producers.income_week_nok[i];
      ms.farm_waste_kg += s.producers.waste_week_kg[i];
    }
    ms.backing_weighted = s.policy.backing[m] * mp.population;
    ms.exception_open = local_channel_open(p, s, static_cast<int>(m)) ? 1 : 0;
    ms.elections = s.policy.election_week[m];
  });

  // all municipalities together, in municipality order; Gini over every participant
  r.muni_total = MuniSums{};
  std::vector<double> all_hours;
  for (size_t m = 0; m < M; ++m) r.muni_total.add(r.munis[m]);
  for (size_t i = 0; i < s.workers.centre.size(); ++i)
    if (s.workers.status[i] == WorkerStatus::active) all_hours.push_back(s.workers.hours_total[i]);
  r.muni_total.gini_hours = gini(all_hours);
  r.muni_total.weeks = 1;

  // signals policy reads next week: smoothed local share, failures, premium spent
  // a year's memory: politicians judge the scheme over whole seasons, not by the week
  constexpr double kAlpha = 1.0 / kWeeksPerYear;
  for (size_t m = 0; m < M; ++m) {
    auto& po = s.policy;
    const MuniSums& ms = r.munis[m];
    if (ms.covered_spend_nok > 0)
      po.share_ema[m] += kAlpha * (ms.covered_local_nok / ms.covered_spend_nok - po.share_ema[m]);
    double full = 0, partial = 0, none = 0;
    for (int t = 0; t < kBuyerTypes; ++t) {
      const TypeSums& ts = r.types[m * kBuyerTypes + static_cast<size_t>(t)];
      full += ts.deliveries_full;
      partial += ts.deliveries_partial;
      none += ts.deliveries_none;
    }
    if (full + partial + none > 0)
      // outright failures (nothing came) count; partial deliveries are ordinary in local food
      po.failure_ema[m] += kAlpha * (none / (full + partial + none) - po.failure_ema[m]);
    double premium = 0;  // premiums paid and incentives given draw on the premium budget
    for (size_t i = 0; i < kBuyerTypes * C; ++i) premium += r.cells[m * kBuyerTypes * C + i].premium_nok;
    for (size_t t = 0; t < kBuyerTypes; ++t) premium += r.types[m * kBuyerTypes + t].incentive_nok;
    po.premium_year_nok[m] += premium;
  }
  r.state_hash = hash_state(s);
}

}  // namespace lokalmat

