// quota_mandate (MODEL.md §4) — a counterfactual, NOT LAWFUL in Norway or the EEA,
// whose procurement rules forbid requiring local origin; like Brazil's school-meal
// programme (PNAE: at least 30% from family farms). The covered units must buy at
// least quota_share of their food spend from local farms, as far as there is food on
// offer. A mandate is law, not politics: its platform stays open and funded whatever
// the backing (the rule table's platform_by_law). Every output of a run using it
// carries the label.
#include <algorithm>

#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// the unit's local orders rise toward the quota, in proportion over the categories on offer
bool meet_quota(const Params& p, const State&, std::size_t b, OrderSheet& sheet) {
  const BuyerParams& bp = p.buyers[b];
  const MunicipalityParams& mp = p.municipalities[static_cast<std::size_t>(bp.municipality)];
  if (!exception_covers(mp, bp.type) || !sheet.participating) return false;
  const std::size_t C = sheet.categories;
  const double required = mp.policy.quota_share * sheet.all_value_nok;
  double max_value = 0;
  for (std::size_t c = 0; c < C; ++c)
    if (sheet.allowed[c]) max_value += std::min(sheet.demand[c], sheet.visible_kg[c]) * sheet.price[c];
  if (sheet.local_value_nok < required && max_value > sheet.local_value_nok) {
    const double lambda = std::min(1.0, (required - sheet.local_value_nok) / (max_value - sheet.local_value_nok));
    sheet.local_value_nok = 0;
    for (std::size_t c = 0; c < C; ++c) {
      if (!sheet.allowed[c]) continue;
      const double top = std::min(sheet.demand[c], sheet.visible_kg[c]);
      sheet.order[c] += lambda * (top - sheet.order[c]);
      sheet.desire[c] = std::max(sheet.desire[c], sheet.order[c]);
      sheet.local_value_nok += sheet.order[c] * sheet.price[c];
    }
  }
  return true;
}

}  // namespace

namespace rules {
const RuleHooks quota_mandate_hooks = {.shape_orders = meet_quota};
}  // namespace rules

}  // namespace lokalmat
