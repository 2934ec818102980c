// simple_competition (MODEL.md §4): every budget year (and at the start) the
// municipality runs a simple competition for the covered categories among local
// farms, below the national threshold (simple_competition_limit_nok a year). The
// lowest bids win, in price order, until the year's volume is covered; the contract
// price is the highest accepted bid. Purchases under the contracts stop for the rest
// of the year once they would pass the threshold.
#include <algorithm>
#include <numeric>

#include "sim/rules/contracts.h"
#include "sim/rules/rules.h"

namespace lokalmat {

namespace {

void run_competition(const Params& p, State& s, std::size_t h) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  s.markets.contract_value_year_nok[h] = 0;
  contracts::open_round(p, s, h, ContractKind::simple_competition);
  contracts::for_each_tendered_slot(p, s, h, [&](std::size_t c, int season, double volume) {
    const std::vector<contracts::Bid> bids = contracts::farm_bids(p, s, h, c, season, volume);
    // lowest price first (ties by channel id) until the volume is covered
    std::vector<std::size_t> order(bids.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return bids[a].price < bids[b].price; });
    double covered = 0, price = 0;
    std::vector<std::uint32_t> winners;
    for (std::size_t j : order) {
      if (covered >= volume) break;
      covered += bids[j].capacity_kg;
      price = bids[j].price;
      winners.push_back(bids[j].channels[0]);
    }
    if (!winners.empty()) {
      contracts::award(p, s, h, c, season, ContractKind::simple_competition, price, winners);
    } else if (const std::size_t sl = contracts::slot(h, C, c, season);
               s.markets.contract_kind[sl] != ContractKind::none) {
      // no bid: a lot held in the same slot loses its price (kept as found: see the ODD's defect list)
      s.markets.contract_price[sl] = 0;
    }
  });
}

void compete_each_year(const Params& p, State& s, std::size_t m) {
  for (int h : {s.hub_of_municipality[m], s.direct_of_municipality[m]})
    if (h >= 0) run_competition(p, s, static_cast<std::size_t>(h));
}

// the contracts stay below the national threshold over the year
void stay_below_threshold(const Params& p, State& s, std::size_t h, std::size_t c, ClearingTally& tally) {
  auto& mkt = s.markets;
  const std::size_t hc = h * static_cast<std::size_t>(p.n_categories()) + c;
  if (contracts::in_force(p, s, h, c) != ContractKind::simple_competition || mkt.accept_ratio[hc] <= 0) return;
  const double value = mkt.ordered_kg[hc] * mkt.accept_ratio[hc] * mkt.offered_price[hc];
  if (mkt.contract_value_year_nok[h] + tally.simple_competition_nok + value > p.procurement.simple_competition_limit_nok)
    mkt.accept_ratio[hc] = 0;
  else
    tally.simple_competition_nok += value;
}

void count_purchases(const Params& p, State& s, std::size_t h, std::size_t c, const CategorySettlement& settled) {
  if (contracts::in_force(p, s, h, c) == ContractKind::simple_competition)
    s.markets.contract_value_year_nok[h] += settled.value_nok;
}

}  // namespace

namespace rules {
const RuleHooks simple_competition_hooks = {.year_begins = compete_each_year,
                                            .limit_acceptance = stay_below_threshold,
                                            .settle_category = count_purchases};
}  // namespace rules

}  // namespace lokalmat
