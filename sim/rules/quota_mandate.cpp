// quota_mandate (MODEL.md §4) — a counterfactual, NOT LAWFUL in Norway or the EEA,
// whose procurement rules forbid requiring local origin; like Brazil's school-meal
// programme (PNAE: at least 30% from family farms). The covered units must buy at
// least quota_share of their food spend from local farms, as far as there is food on
// offer. The quota binds the municipality over its budget year, as PNAE's binds the body that
// receives the funds: each week its units aim at the share that brings the year so far back to
// the quota (quota_share_this_week), so that units with food on offer make up for those without.
// A unit knows from its own order weeks what share of a local order of each category arrives
// (BuyerStore::expected_fill) and orders enough that what it expects to arrive meets that share
// (ODD §7.8). A mandate is law, not politics: its platform stays open and funded whatever
// the backing (the rule table's platform_by_law). Every output of a run using it
// carries the label.
#include <algorithm>

#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// the share of this week's covered spend that brings the municipality's budget year so far back
// to the quota: q + (q S_y - L_y) / S_w, with the year's covered local spend L_y and spend S_y so
// far and last week's covered spend S_w as this week's estimate (just q without one), in 0..1
double quota_share_this_week(const MunicipalityParams& mp, const State& s, std::size_t m) {
  const double q = mp.policy.quota_share;
  const auto& po = s.policy;
  if (po.covered_spend_week_nok[m] <= 0) return q;
  return clamp01(q + (q * po.covered_spend_year_nok[m] - po.covered_local_year_nok[m]) / po.covered_spend_week_nok[m]);
}

// The unit's local orders rise toward the quota, in proportion over the categories on offer,
// as far as it takes for what it expects to arrive to meet the quota as the quota is measured:
// local spend over all spend in the categories the quota covers, over the budget year (ODD
// §7.8). With the week's share q, order o_c, expected fill f_c, local price p_c, list price
// w_c, demand d_c and the short-notice premium sn (what was ordered and did not come is bought at
// short notice), the week's expected local spend is L = sum f_c o_c p_c and its spend
// S = sum (f_c o_c p_c + (1 - f_c) o_c w_c (1 + sn) + (d_c - o_c) w_c), so L >= q S is
//   sum o_c [f_c p_c (1 - q) + q w_c (f_c (1 + sn) - sn)] >= q sum d_c w_c,
// linear in the orders. A category whose weight is not positive (so little of it arrives that
// ordering more of it costs more at short notice than it adds) is not raised.
bool meet_quota(const Params& p, const State& s, std::size_t b, OrderSheet& sheet) {
  const BuyerParams& bp = p.buyers[b];
  const auto m = static_cast<std::size_t>(bp.municipality);
  const MunicipalityParams& mp = p.municipalities[m];
  if (!exception_covers(mp, bp.type) || !sheet.participating) return false;
  const std::size_t C = sheet.categories;
  const double q = quota_share_this_week(mp, s, m);
  const double sn = p.wholesaler.short_notice_premium;
  const double* fill = &s.buyers.expected_fill[b * C];
  auto weight = [&](std::size_t c) {
    return fill[c] * sheet.price[c] * (1.0 - q) + q * sheet.list_price[c] * (fill[c] * (1.0 + sn) - sn);
  };
  auto raised = [&](std::size_t c) { return sheet.allowed[c] && exception_covers_category(mp, c) && weight(c) > 0; };
  // a raised category's order at most: what is on offer, up to the demand
  auto top = [&](std::size_t c) { return std::max(sheet.order[c], std::min(sheet.demand[c], sheet.visible_kg[c])); };
  // the right side, and the left side with the orders as they are and with every raised one at its top
  double required = 0, now = 0, most = 0;
  for (std::size_t c = 0; c < C; ++c) {
    if (!exception_covers_category(mp, c)) continue;
    required += q * sheet.demand[c] * sheet.list_price[c];
    if (!sheet.allowed[c]) continue;
    now += sheet.order[c] * weight(c);
    most += (raised(c) ? top(c) : sheet.order[c]) * weight(c);
  }
  if (now < required && most > now) {
    const double lambda = std::min(1.0, (required - now) / (most - now));
    for (std::size_t c = 0; c < C; ++c)
      if (raised(c)) {
        sheet.order[c] += lambda * (top(c) - sheet.order[c]);
        sheet.desire[c] = std::max(sheet.desire[c], sheet.order[c]);
      }
  }
  return true;
}

}  // namespace

namespace rules {
const RuleHooks quota_mandate_hooks = {.shape_orders = meet_quota};
}  // namespace rules

}  // namespace lokalmat
