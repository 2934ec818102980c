#include "sim/rules/contracts.h"

#include <algorithm>

#include "sim/market.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace lokalmat::contracts {

namespace {

// what a farm can deliver of a category over one season of a year, kg; a storable crop is sold
// half at harvest and half from store after it [assume]
double season_capacity_kg(const Params& p, const State& s, std::size_t i, std::size_t c, int season) {
  constexpr double kStorableShareAtHarvest = 0.5;
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const CategoryParams& cat = p.categories[c];
  const double crop = bought_locally(cat) ? season_product_kg(cat, s.producers.area_daa[i * C + c]) : 0.0;
  double share_in_season = 0;
  for (int w = 1; w <= kWeeksPerYear; ++w)
    if (season_of(cat, w) == 1) share_in_season += cat.harvest_weight[static_cast<std::size_t>(w - 1)];
  if (cat.storable) return crop * kStorableShareAtHarvest * (season == 1 ? share_in_season : 1.0);
  return season == 1 ? crop * share_in_season : 0.0;
}

}  // namespace

int season_of(const CategoryParams& cat, int iso_week) { return in_season(cat, iso_week) ? 1 : 0; }

ContractKind in_force(const Params& p, const State& s, std::size_t h, std::size_t c) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  return s.markets.contract_kind[slot(h, C, c, season_of(p.categories[c], s.iso_week))];
}

bool holds(const Params& p, const State& s, std::size_t k, std::size_t c) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  return s.channels.contracted[slot(k, C, c, season_of(p.categories[c], s.iso_week))] != 0;
}

void void_unheld(const Params& p, State& s, std::size_t h) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  for (std::size_t c = 0; c < C; ++c)
    for (int season = 0; season < 2; ++season) {
      const std::size_t sl = slot(h, C, c, season);
      if (s.markets.contract_kind[sl] == ContractKind::none) continue;
      bool held = false;
      for (std::uint32_t k : s.markets.channels[h]) held = held || s.channels.contracted[slot(k, C, c, season)];
      if (!held) s.markets.contract_kind[sl] = ContractKind::none, s.markets.contract_price[sl] = 0;
    }
}

void open_round(const Params& p, State& s, std::size_t h, ContractKind kind) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& mkt = s.markets;
  for (std::size_t c = 0; c < C; ++c)
    for (int season = 0; season < 2; ++season) {
      const std::size_t sl = slot(h, C, c, season);
      if (mkt.contract_kind[sl] != kind) continue;
      mkt.contract_kind[sl] = ContractKind::none;
      mkt.contract_price[sl] = 0;
      for (std::uint32_t k : mkt.channels[h]) s.channels.contracted[slot(k, C, c, season)] = 0;
    }
  mkt.tender_hours[h] += p.procurement.competition_admin_hours;
}

double volume_kg(const Params& p, const State& s, std::size_t h, std::size_t c, int season) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const MunicipalityParams& mp = p.municipalities[s.markets.municipality[h]];
  const CategoryParams& cat = p.categories[c];
  double kg = 0;
  for (std::uint32_t b : s.markets.buyers[h]) {
    const BuyerParams& bp = p.buyers[b];
    if (!exception_covers(mp, bp.type)) continue;
    const BuyerTypeParams& tp = p.buyer_types[static_cast<std::size_t>(bp.type)];
    const double waste = waste_factor(tp, C);
    for (int w = 1; w <= kWeeksPerYear; ++w)
      if (season_of(cat, w) == season && serves_in_week(tp, w))
        kg += bp.eaters * tp.service_days_per_week * tp.demand_kg_per_eater_day[c] * waste;
  }
  return kg;
}

std::vector<Bid> farm_bids(const Params& p, const State& s, std::size_t h, std::size_t c, int season, double volume) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const MunicipalityParams& mp = p.municipalities[s.markets.municipality[h]];
  const BehaviourParams& be = p.behaviour;
  const CategoryParams& cat = p.categories[c];
  const auto& ch = s.channels;
  const Point site = market_site(p, s, h);
  const double bid_cost = p.procurement.bid_cost_hours * be.farmer_hour_value_nok * s.price_index;
  std::vector<Bid> bids;
  for (std::uint32_t k : s.markets.channels[h]) {
    const std::size_t i = ch.producer[k];
    const FarmStatus st = s.producers.status[i];
    if (st != FarmStatus::active && st != FarmStatus::aware && st != FarmStatus::qualified) continue;
    const double cap = season_capacity_kg(p, s, i, c, season);
    if (cap <= 0) continue;
    const ProducerParams& pp = p.producers[i];
    Rng rng(p.seed, Stream::tender, k,
            static_cast<std::uint64_t>(s.week) * C * 2 + c * 2 + static_cast<std::size_t>(season));
    const double price = farm_unit_price_nok(cat, pp, be) * s.price_index *
                         std::max(kPriceNoiseFloor, 1.0 + pp.price_noise_sd * rng.normal());
    const double expected = std::min(cap, volume) * (farm_share_of_price_nok(cat, price, s.price_index) - outside_value_nok_per_kg(cat) * s.price_index);
    if (expected <= bid_cost) continue;
    Bid b;
    b.channels = {k};
    b.price = price;
    b.capacity_kg = cap;
    b.organic = pp.organic ? 1.0 : 0.0;
    b.co2e_per_kg = (ch.road_km[k] + road_km(be, site, mp.centre)) * cat.co2e_van_kg_per_tkm / kKgPerTonne;
    b.seasonality = season == 1 ? 1.0 : 0.5;
    bids.push_back(b);
  }
  return bids;
}

void award(const Params& p, State& s, std::size_t h, std::size_t c, int season, ContractKind kind, double price,
           const std::vector<std::uint32_t>& channels) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const std::size_t sl = slot(h, C, c, season);
  s.markets.contract_kind[sl] = kind;
  s.markets.contract_price[sl] = price / s.price_index;  // kept in start-year prices
  for (std::uint32_t k : channels) s.channels.contracted[slot(k, C, c, season)] = 1;
}

}  // namespace lokalmat::contracts
