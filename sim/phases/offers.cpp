// Offers: farms post a share of what they have to each open market they serve (all
// of it, at the contract price, where they hold a contract); each platform sums its
// offers in ascending farm order, and keeps them for call-offs placed now and
// delivered later (dynamic purchasing).
#include <algorithm>

#include "sim/market.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/rules/contracts.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// each active farm offers a share of what it has to each of its open channels, split evenly
// over its channels
void offer_from_farms(const Params& p, State& s) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& pr = s.producers;
  auto& ch = s.channels;
  parallel_over(p.producers.size(), [&](std::size_t i) {
    const std::uint32_t k0 = pr.channel_begin[i], k1 = pr.channel_begin[i + 1];
    const double n = std::max<double>(1.0, k1 - k0);
    const bool active = pr.status[i] == FarmStatus::active;
    for (std::uint32_t k = k0; k < k1; ++k)
      for (std::size_t c = 0; c < C; ++c) {
        // under a contract only its holders offer, all they have, at the contract price
        const std::size_t slot = contracts::slot(ch.market[k], C, c, contracts::season_of(p.categories[c], s.iso_week));
        if (s.markets.contract_kind[slot] != ContractKind::none) {
          const bool holder = contracts::holds(p, s, k, c);
          const bool serves = holder && pr.status[i] != FarmStatus::exited && s.markets.open[ch.market[k]];
          ch.offer_kg[k * C + c] = serves ? pr.available_kg[i * C + c] / n : 0.0;
          ch.price[k * C + c] = s.markets.contract_price[slot] * s.price_index;
          continue;
        }
        const bool offers = active && s.markets.open[ch.market[k]] && bought_locally(p.categories[c]);
        ch.offer_kg[k * C + c] = offers ? pr.available_kg[i * C + c] * ch.offer_share[k * C + c] / n : 0.0;
        ch.price[k * C + c] = pr.asking_price[i * C + c];
      }
  });
}

// a processed category reaches a market only as far as its processor's weekly capacity: the
// farms' offers there are cut pro rata to it (each channel serves one market)
void cap_at_processor(const Params& p, State& s, std::size_t h, std::size_t c) {
  const CategoryParams& cat = p.categories[c];
  if (cat.local_route != LocalRoute::processor) return;
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& ch = s.channels;
  double kg = 0;
  for (std::uint32_t k : s.markets.channels[h]) kg += ch.offer_kg[k * C + c];
  if (kg <= cat.processing_capacity_kg_per_week) return;
  const double share = cat.processing_capacity_kg_per_week / kg;
  for (std::uint32_t k : s.markets.channels[h]) ch.offer_kg[k * C + c] *= share;
}

// the platform shows each market's offers, summed in ascending farm order, at their
// offer-weighted mean price; the week's offers are kept for later call-offs
void sum_offers(const Params& p, State& s) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& mkt = s.markets;
  const auto& ch = s.channels;
  parallel_over(mkt.municipality.size(), [&](std::size_t h) {
    for (std::size_t c = 0; c < C; ++c) {
      cap_at_processor(p, s, h, c);
      double kg = 0, value = 0;
      for (std::uint32_t k : mkt.channels[h]) {
        kg += ch.offer_kg[k * C + c];
        value += ch.offer_kg[k * C + c] * ch.price[k * C + c];
      }
      mkt.offered_kg[h * C + c] = kg;
      mkt.offered_price[h * C + c] = kg > 0 ? value / kg : 0.0;
    }
    const std::size_t slot = static_cast<std::size_t>(s.week) % mkt.offer_history.size();
    for (std::size_t c = 0; c < C; ++c) {
      mkt.offer_history[slot][h * C + c] = mkt.offered_kg[h * C + c];
      mkt.price_history[slot][h * C + c] = mkt.offered_price[h * C + c];
    }
  });
}

}  // namespace

void post_offers(const Params& p, State& s) {
  // which markets take orders this week: farms offer only there, and not in a week in which every
  // unit the market serves is closed (the buyers' calendar is known: D18)
  parallel_over(s.markets.municipality.size(), [&](std::size_t h) {
    s.markets.open[h] = market_takes_orders(p, s, h) && market_serves_this_week(p, s, h) ? 1 : 0;
  });
  offer_from_farms(p, s);
  sum_offers(p, s);
}

}  // namespace lokalmat
