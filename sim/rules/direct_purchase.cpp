// direct_purchase (MODEL.md §4): units of the types in direct_buyer_types buy directly
// from farms, which deliver themselves, below the lower threshold of the procurement
// rules (FOA: NOK 100,000 excl. VAT; NOK 500,000 from 2026-07-01). Similar purchases
// add up over the framework agreement's period: by default all food the municipality
// buys directly is one purchase (goods that belong together are valued together, for
// the whole municipality), with procurement.direct_limit_per_category each category is
// one. The purchase that would pass the limit is not made and direct buying of what
// adds up with it stops until a new period, or until the raised limit takes effect (no
// splitting to stay below it).
#include "sim/rules/rules.h"

namespace lokalmat {

double direct_limit_nok(const ProcurementParams& pr, Date week_start) {
  // the raised limit applies from the week that contains the change date (weeks are the model's tick)
  return days_from_civil(week_start) + 6 >= days_from_civil(pr.direct_limit_change) ? pr.direct_limit_new_nok
                                                                                  : pr.direct_limit_nok;
}

namespace {

// the week the raised limit takes effect reopens the categories that the old one had stopped
void reopen_at_raised_limit(const Params& p, State& s, std::size_t m) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const std::int64_t d0 = days_from_civil(s.date);
  const std::int64_t change = days_from_civil(p.procurement.direct_limit_change);
  const bool limit_changes = change >= d0 && change < d0 + 7 && s.week > 0;
  if (limit_changes)
    for (std::size_t c = 0; c < C; ++c) s.policy.direct_closed[m * C + c] = 0;
}

// a new agreement starts a new period: a new sum, and every category open again
void start_period(const Params& p, State& s, std::size_t m) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  for (std::size_t c = 0; c < C; ++c) {
    s.policy.direct_spent_nok[m * C + c] = 0;
    s.policy.direct_closed[m * C + c] = 0;
  }
}

// the purchase that would pass the limit is refused, and what adds up with it closes: the
// category, or (all food one purchase) every category. Categories are checked in ascending
// order on the municipality's one direct market, so the week's sum is the same at any thread
// count.
void refuse_above_limit(const Params& p, State& s, std::size_t h, std::size_t c, ClearingTally& tally) {
  auto& mkt = s.markets;
  if (mkt.kind[h] != MarketKind::direct) return;
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const std::size_t m = mkt.municipality[h], hc = h * C + c;
  if (mkt.accept_ratio[hc] <= 0) return;
  const double value = mkt.ordered_kg[hc] * mkt.accept_ratio[hc] * mkt.offered_price[hc];
  const double limit = direct_limit_nok(p.procurement, s.date);
  auto& spent = s.policy.direct_spent_nok;
  auto& closed = s.policy.direct_closed;
  if (p.procurement.direct_limit_per_category) {
    if (closed[m * C + c] || spent[m * C + c] + value > limit) {
      closed[m * C + c] = 1;
      mkt.accept_ratio[hc] = 0;
    }
    return;
  }
  double spent_all = tally.direct_nok;  // accepted earlier this week, paid at settlement
  for (std::size_t c2 = 0; c2 < C; ++c2) spent_all += spent[m * C + c2];
  if (closed[m * C + c] || spent_all + value > limit) {
    for (std::size_t c2 = 0; c2 < C; ++c2) closed[m * C + c2] = 1;
    mkt.accept_ratio[hc] = 0;
  } else {
    tally.direct_nok += value;
  }
}

// what was paid counts toward the limit of the period
void count_spend(const Params& p, State& s, std::size_t h, std::size_t c, const CategorySettlement& settled) {
  if (s.markets.kind[h] != MarketKind::direct) return;
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  s.policy.direct_spent_nok[s.markets.municipality[h] * C + c] += settled.value_nok;
}

}  // namespace

namespace rules {
const RuleHooks direct_purchase_hooks = {.each_week = reopen_at_raised_limit,
                                         .framework_renewed = start_period,
                                         .limit_acceptance = refuse_above_limit,
                                         .settle_category = count_spend};
}  // namespace rules

}  // namespace lokalmat
