// season_requirement (MODEL.md §4): the framework tender requires produce in Norwegian
// season. It applies to produce with a Norwegian harvest season (a category with a harvest
// window; not eggs, dairy, meat or fish, which are harvested all year) and only inside that
// window. There the wholesaler sources at least season_norwegian_share_min of the category's
// kg in Norway, and its regional share (counted as local) rises by season_regional_factor.
// What it buys changes, and so does what it costs: the kg moved from imported to Norwegian
// are bought at the Norwegian price, norwegian_price_premium (a share of the list price)
// above the imported one, so the framework price the kitchens pay rises by the premium x the
// moved share (framework::wholesale_price_nok_per_kg). The kitchens' orders follow that price.
#include <algorithm>

#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

bool in_force(const Params& p, std::size_t m) {
  return has_rule(p.municipalities[m], Rule::season_requirement);
}

// after the agreement's own shares for this week (framework::set_wholesaler_shares)
void raise_in_season_shares(const Params& p, State& s, std::size_t m) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  for (std::size_t c = 0; c < C; ++c) {
    if (!in_harvest_window(p.categories[c], s.iso_week)) continue;
    double& norwegian = s.policy.wholesaler_norwegian_share[m * C + c];
    double& regional = s.policy.wholesaler_regional_share[m * C + c];
    norwegian = std::max(norwegian, p.procurement.season_norwegian_share_min);
    regional = std::min(1.0, regional * p.procurement.season_regional_factor);
  }
}

}  // namespace

namespace rules {
const RuleHooks season_requirement_hooks = {.each_week = raise_in_season_shares};
}  // namespace rules

namespace season_requirement {

double price_factor(const Params& p, const State& s, std::size_t m, std::size_t c) {
  const CategoryParams& cat = p.categories[c];
  if (!in_force(p, m) || !in_harvest_window(cat, s.iso_week)) return 1.0;
  // the share of the kg moved from imported to Norwegian: the share in force over the agreement's own
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const double moved = s.policy.wholesaler_norwegian_share[m * C + c] - framework::agreement_norwegian_share(cat, true);
  return 1.0 + cat.norwegian_price_premium * moved;
}

}  // namespace season_requirement

}  // namespace lokalmat
