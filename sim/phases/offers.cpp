// Offers: farms post a share of what they have to each open market they serve (all
// of it, at the contract price, where they hold a contract); each platform sums its
// offers in ascending farm order, and keeps them for call-offs placed now and
// delivered later (dynamic purchasing).
#include <algorithm>

#include "sim/market.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/rules/contracts.h"

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
        const std::size_t slot = contracts::slot(ch.hub[k], C, c, contracts::season_of(p.categories[c], s.iso_week));
        if (s.hubs.contract_kind[slot] != ContractKind::none) {
          const bool holder = contracts::holds(p, s, k, c);
          ch.offer_kg[k * C + c] = holder && pr.status[i] != FarmStatus::exited ? pr.available_kg[i * C + c] / n : 0.0;
          ch.price[k * C + c] = s.hubs.contract_price[slot] * s.price_index;
          continue;
        }
        const bool offers = active && s.hubs.open[ch.hub[k]];
        ch.offer_kg[k * C + c] = offers ? pr.available_kg[i * C + c] * ch.offer_share[k * C + c] / n : 0.0;
        ch.price[k * C + c] = pr.asking_price[i * C + c];
      }
  });
}

// the platform shows each market's offers, summed in ascending farm order, at their
// offer-weighted mean price; the week's offers are kept for later call-offs
void sum_offers(const Params& p, State& s) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& hu = s.hubs;
  const auto& ch = s.channels;
  parallel_over(hu.municipality.size(), [&](std::size_t h) {
    for (std::size_t c = 0; c < C; ++c) {
      double kg = 0, value = 0;
      for (std::uint32_t k : hu.channels[h]) {
        kg += ch.offer_kg[k * C + c];
        value += ch.offer_kg[k * C + c] * ch.price[k * C + c];
      }
      hu.offered_kg[h * C + c] = kg;
      hu.offered_price[h * C + c] = kg > 0 ? value / kg : 0.0;
    }
    const std::size_t slot = static_cast<std::size_t>(s.week) % hu.offer_history.size();
    for (std::size_t c = 0; c < C; ++c) {
      hu.offer_history[slot][h * C + c] = hu.offered_kg[h * C + c];
      hu.price_history[slot][h * C + c] = hu.offered_price[h * C + c];
    }
  });
}

}  // namespace

void post_offers(const Params& p, State& s) {
  // which markets take orders this week: farms offer only there
  parallel_over(s.hubs.municipality.size(),
                [&](std::size_t h) { s.hubs.open[h] = market_takes_orders(p, s, h) ? 1 : 0; });
  offer_from_farms(p, s);
  sum_offers(p, s);
}

}  // namespace lokalmat
