// Production: a new season starts with the yearly farm review (awareness, entry, exit
// after Krejci et al., growth); in other weeks the rules in force may let farms join
// (a purchasing system). Then each farm harvests by season, stores what keeps, and
// asks its price.
#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/calendar.h"
#include "sim/farm.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/rng.h"
#include "sim/rules/contracts.h"
#include "sim/rules/hooks.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// an active farm leaves after this many seasons in a row below the exit threshold (Krejci)
constexpr int kLowSeasonsToLeave = 2;

// an active farm's season: leave after low seasons; else grow (bounded) each product that sold
// out in most of its offer weeks and of which the municipal channels took a real part of the
// harvest, and only that product
FarmEvent review_active_farm(const Params& p, State& s, std::size_t i) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const ProducerParams& pp = p.producers[i];
  const BehaviourParams& be = p.behaviour;
  auto& pr = s.producers;
  const bool low = pr.season_offered_kg[i] > 0 &&
                   (pr.season_sold_kg[i] < be.exit_sales_ratio * pr.season_offered_kg[i] ||
                    (pp.exit_income_floor_nok > 0 && pr.season_income_nok[i] < pp.exit_income_floor_nok * s.price_index));
  pr.low_seasons[i] = low ? pr.low_seasons[i] + 1 : 0;
  if (pr.low_seasons[i] >= kLowSeasonsToLeave) return FarmEvent::left;
  for (std::size_t c = 0; c < C; ++c) {
    const std::size_t ic = i * C + c;
    const bool sold_out = pr.offer_weeks[ic] > 0 && pr.soldout_weeks[ic] >= be.growth_soldout_share * pr.offer_weeks[ic];
    const bool matters = pr.season_delivered_kg[ic] >= be.growth_min_local_share * pr.season_harvest_kg[ic];
    if (sold_out && matters) pr.area_daa[ic] *= 1.0 + pp.growth_per_year;
  }
  return FarmEvent::none;
}

// outreach at supplier development events, and active neighbours, make an unaware farm aware
FarmEvent review_unaware_farm(const Params& p, const State& s, const ActiveFarmGrid& grid, std::size_t i, Rng& rng) {
  const ProducerParams& pp = p.producers[i];
  const BehaviourParams& be = p.behaviour;
  const auto m = static_cast<std::size_t>(pp.municipality);
  const int neighbours = grid.neighbours(p, m, i);
  const double stay = std::pow(1.0 - p.municipalities[m].policy.outreach_awareness, s.policy.supplier_events[m]) *
                      std::pow(1.0 - be.neighbour_awareness_per_year, neighbours);
  return rng.uniform() >= stay ? FarmEvent::became_aware : FarmEvent::none;
}

// the yearly review before a new season; farms decide in parallel from last season and the
// statuses as they stand (each writes only itself), and the decisions are applied afterwards
void review_farms(const Params& p, State& s) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& pr = s.producers;
  const ActiveFarmGrid grid(p, s);
  parallel_over(p.producers.size(), [&](std::size_t i) {
    Rng rng(p.seed, Stream::entry, i, static_cast<std::uint64_t>(s.week));
    switch (pr.status[i]) {
      case FarmStatus::active: pr.event_week[i] = review_active_farm(p, s, i); break;
      case FarmStatus::unaware: pr.event_week[i] = review_unaware_farm(p, s, grid, i, rng); break;
      default: break;  // aware farms decide together below
    }
  });
  // aware farms join as far as the unmet demand pays for them all (D35), in the statuses as they
  // stood before the review
  std::vector<std::uint32_t> aware;
  for (std::size_t i = 0; i < p.producers.size(); ++i)
    if (pr.status[i] == FarmStatus::aware) aware.push_back(static_cast<std::uint32_t>(i));
  for (std::uint32_t i : farms_that_join(p, s, aware)) pr.event_week[i] = FarmEvent::joined;
  // apply the decisions; a season starts afresh
  parallel_over(p.producers.size(), [&](std::size_t i) {
    if (pr.event_week[i] == FarmEvent::became_aware) {
      pr.status[i] = FarmStatus::aware;
      pr.event_week[i] = FarmEvent::none;
    } else if (pr.event_week[i] == FarmEvent::joined) {
      enter_channel(p, s, i);
    } else if (pr.event_week[i] == FarmEvent::left) {
      // a farm that leaves gives up its contracts
      pr.status[i] = FarmStatus::exited;
      for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k)
        for (std::size_t slot = k * C * 2; slot < (k + 1) * C * 2; ++slot) s.channels.contracted[slot] = 0;
    }
    pr.season_offered_kg[i] = pr.season_sold_kg[i] = pr.season_income_nok[i] = 0;
    for (std::size_t ic = i * C; ic < (i + 1) * C; ++ic) {
      pr.offer_weeks[ic] = pr.soldout_weeks[ic] = 0;
      pr.season_harvest_kg[ic] = pr.season_delivered_kg[ic] = 0;
    }
  });
}

// weekly harvest = area x yield x season weight; storable crops go into store (with losses);
// farms in the channel ask unit cost x (1 + margin), indexed, with noise
void harvest_and_price(const Params& p, State& s) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const auto w = static_cast<std::size_t>(season_index(s.iso_week));
  // an ISO year with 53 weeks repeats week 52's weight in week 53; every week of that year is
  // scaled so the year still harvests one season's product (28 December is in the last ISO week)
  const bool long_year = iso_week(Date{s.iso_year, 12, 28}).week > kWeeksPerYear;
  std::vector<double> year_scale(C, 1.0);
  if (long_year)
    for (std::size_t c = 0; c < C; ++c) year_scale[c] = 1.0 / (1.0 + p.categories[c].harvest_weight[kWeeksPerYear - 1]);
  auto& pr = s.producers;
  parallel_over(p.producers.size(), [&](std::size_t i) {
    const ProducerParams& pp = p.producers[i];
    Rng rng(p.seed, Stream::pricing, i, static_cast<std::uint64_t>(s.week));
    pr.waste_week_kg[i] = 0;
    for (std::size_t c = 0; c < C; ++c) {
      const CategoryParams& cat = p.categories[c];
      const std::size_t ic = i * C + c;
      const double harvest = season_product_kg(cat, pr.area_daa[ic]) * cat.harvest_weight[w] * year_scale[c];
      pr.harvest_kg[ic] = harvest;
      pr.season_harvest_kg[ic] += harvest;
      if (cat.storable) {
        const double loss = pr.stock_kg[ic] * cat.storage_loss_per_week;
        pr.stock_kg[ic] += harvest - loss;
        pr.waste_week_kg[i] += loss;
        pr.available_kg[ic] = pr.stock_kg[ic];
      } else {
        pr.available_kg[ic] = harvest;
      }
      if (pr.status[i] != FarmStatus::active) {
        pr.asking_price[ic] = 0;
        continue;
      }
      const double noise = std::max(kPriceNoiseFloor, 1.0 + pp.price_noise_sd * rng.normal());
      pr.asking_price[ic] = farm_unit_price_nok(cat, pp, p.behaviour) * s.price_index * noise;
    }
  });
}

// an aware farm that won a contract (a lot or a competition) supplies as a farm of the channel
// does: it enters it this week, counts as active and is reviewed as active from then on
void enter_contract_holders(const Params& p, State& s) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& pr = s.producers;
  parallel_over(p.producers.size(), [&](std::size_t i) {
    if (pr.status[i] != FarmStatus::aware) return;
    bool holds = false;
    for (std::size_t sl = pr.channel_begin[i] * C * 2; sl < pr.channel_begin[i + 1] * C * 2 && !holds; ++sl)
      holds = s.channels.contracted[sl] != 0;
    if (!holds) return;
    enter_channel(p, s, i);
    pr.event_week[i] = FarmEvent::joined;
  });
}

}  // namespace

void produce(const Params& p, State& s) {
  std::fill(s.producers.event_week.begin(), s.producers.event_week.end(), FarmEvent::none);
  if (s.iso_week == 1 && s.week > 0) {
    review_farms(p, s);
    // contracts whose holders all left at the review are void before anyone orders on them
    parallel_over(s.markets.municipality.size(), [&](std::size_t h) { contracts::void_unheld(p, s, h); });
  } else {
    for (const RuleInfo& r : kRuleTable)
      if (r.hooks->farms_join_midseason && any_municipality_holds(p, r.rule)) r.hooks->farms_join_midseason(p, s);
  }
  enter_contract_holders(p, s);
  harvest_and_price(p, s);
}

}  // namespace lokalmat
