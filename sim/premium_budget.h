#pragma once
// The premium budget (MODEL.md §3, "Policy support"): the money a municipality sets aside each
// budget year for buying local food above the wholesaler's list price and for the local-purchase
// incentive. It binds: while the year's premiums and incentives have not reached it, units may buy
// locally at a premium and are paid the incentive; once they have, neither until the next budget
// year. 0 is no money for premiums (local food only at or below the list price, no incentive);
// policy.premium_budget_unlimited is no limit. The week's spend is known at its end (the feedback
// phase), so the budget binds from the week after it is reached: the year's spend passes it by the
// week's premiums and incentives in which it was reached, and by what is paid later without a
// premium purchase (short-notice fallback premiums, deliveries dearer than the offer ordered).
// What draws on it: premiums paid on purchases dearer than the list price and the incentives
// (FlowSums::premium_paid_nok; ODD §7.7, §7.20). Purchases the law or a contract requires (a
// quota, a lot) are not held back by it.
#include <cstddef>

#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

// this budget year's premium budget in the year's prices (the key is in start-year NOK, as every
// other money amount of a scenario; only the law's direct-purchase limits are fixed amounts)
inline double premium_budget_nok(const PolicyParams& pol, const State& s) {
  return pol.premium_budget_nok_per_year * s.price_index;
}

// whether municipality m has premium money left this budget year
inline bool premium_money_left(const PolicyParams& pol, const State& s, std::size_t m) {
  return pol.premium_budget_unlimited || s.policy.premium_year_nok[m] < premium_budget_nok(pol, s);
}

// the local-purchase incentive paid this week, NOK/kg in this year's prices: the one in force
// (kept in start-year NOK) while there is money
inline double incentive_paid_nok_per_kg(const PolicyParams& pol, const State& s, std::size_t m) {
  return premium_money_left(pol, s, m) ? s.policy.incentive_nok_per_kg[m] * s.price_index : 0.0;
}

}  // namespace lokalmat
