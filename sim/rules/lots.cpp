// lots (MODEL.md §4): at each renewal of the framework agreement the tender is split
// into lots, one per covered category and season, which the municipality awards to
// the most economically advantageous tender: score = w_price x price score +
// w_quality x organic share + w_environment x environment score, with the
// environment weight at least 30% (FOA §7-9). The wholesaler bids too and wins
// ties; farms bid alone when they can cover lot_min_coverage of the lot, or together
// as a group. A lot's holders supply the covered units' whole demand of the category
// in its season for the agreement period, and pay a penalty on what they fail to
// supply or deliver.
#include <algorithm>

#include "sim/rules/contracts.h"
#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

using contracts::Bid;

// the environment score: half transport emissions (the lowest bid's over this bid's), half season
constexpr double kEnvironmentTransportHalf = 0.5;

// farms big enough bid alone; the others together, as a group weighted by their capacity
std::vector<Bid> lot_bids(const std::vector<Bid>& farm_bids, double volume, const ProcurementParams& pr) {
  std::vector<Bid> bids;
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
  return bids;
}

// the wholesaler's bid: its price list, its organic share, its chain's emissions, the agreement's
// Norwegian share in the lot's season (a year-round category's one share: it has no Norwegian season)
Bid wholesaler_bid(const Params& p, const State& s, std::size_t c, int season) {
  const CategoryParams& cat = p.categories[c];
  Bid w;
  w.price = framework::list_price_nok_per_kg(p, s, c);
  w.organic = cat.wholesaler_organic_share;
  w.co2e_per_kg = framework::chain_co2e_kg_per_kg(p, cat);
  w.seasonality = framework::agreement_norwegian_share(cat, season == 1 && has_harvest_window(cat));
  return w;
}

// the most economically advantageous tender; ties to the earlier bid (the wholesaler first)
std::size_t best_bid(std::vector<Bid>& bids, const ProcurementParams& pr) {
  double min_price = bids[0].price, min_co2 = bids[0].co2e_per_kg;
  for (const Bid& b : bids) {
    min_price = std::min(min_price, b.price);
    min_co2 = std::min(min_co2, b.co2e_per_kg);
  }
  std::size_t best = 0;
  for (std::size_t j = 0; j < bids.size(); ++j) {
    Bid& b = bids[j];
    const double env = kEnvironmentTransportHalf * (b.co2e_per_kg > 0 ? min_co2 / b.co2e_per_kg : 1.0) +
                       (1.0 - kEnvironmentTransportHalf) * b.seasonality;
    b.score = pr.weight_price * min_price / b.price + pr.weight_quality * b.organic + pr.weight_environment * env;
    if (b.score > bids[best].score) best = j;  // strict: ties to the earlier bid
  }
  return best;
}

void tender_lots(const Params& p, State& s, std::size_t h) {
  contracts::open_round(p, s, h, ContractKind::lot);
  contracts::for_each_tendered_slot(p, s, h, [&](std::size_t c, int season, double volume) {
    std::vector<Bid> bids = lot_bids(contracts::farm_bids(p, s, h, c, season, volume), volume, p.procurement);
    if (bids.empty()) return;  // the wholesaler keeps the lot uncontested
    bids.insert(bids.begin(), wholesaler_bid(p, s, c, season));  // first: it wins ties
    const Bid& best = bids[best_bid(bids, p.procurement)];
    if (best.channels.empty()) return;  // the wholesaler won
    contracts::award(p, s, h, c, season, ContractKind::lot, best.price, best.channels);
  });
}

void tender_at_renewal(const Params& p, State& s, std::size_t m) {
  for (int h : {s.hub_of_municipality[m], s.direct_of_municipality[m]})
    if (h >= 0) tender_lots(p, s, static_cast<std::size_t>(h));
}

// a lot's holders pay a penalty on what they failed to supply (ordered but not on offer) or failed
// to deliver (reliability), shared by their offers; hub capacity is not their failure
void charge_penalties(const Params& p, State& s, std::size_t h, std::size_t c, const CategorySettlement& settled) {
  if (contracts::in_force(p, s, h, c) != ContractKind::lot) return;
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& mkt = s.markets;
  auto& ch = s.channels;
  const std::size_t hc = h * C + c;
  const double shortfall =
      std::max(0.0, mkt.ordered_kg[hc] * (1.0 - mkt.accept_ratio[hc]) + settled.sold_kg - settled.delivered_kg);
  double offered = 0, holders = 0;
  for (std::uint32_t k : mkt.channels[h])
    if (contracts::holds(p, s, k, c)) {
      offered += ch.offer_kg[k * C + c];
      holders += 1;
    }
  for (std::uint32_t k : mkt.channels[h])
    if (contracts::holds(p, s, k, c)) {
      const double share = offered > 0 ? ch.offer_kg[k * C + c] / offered : 1.0 / holders;
      const double nok = shortfall * p.procurement.penalty_nok_per_kg * s.price_index * share;
      ch.penalty_nok[k] += nok;
      mkt.penalty_nok[h] += nok;
    }
}

}  // namespace

namespace rules {
const RuleHooks lots_hooks = {.framework_renewed = tender_at_renewal, .settle_category = charge_penalties};
}  // namespace rules

}  // namespace lokalmat
