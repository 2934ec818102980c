// season_requirement (MODEL.md §4): the framework tender requires produce in Norwegian
// season. The wholesaler then sources at least season_norwegian_share_min of its
// in-season produce in Norway, and its regional share (counted as local) rises by
// season_regional_factor. Only the origin of the wholesaler's kg changes: not the kg,
// the price or the local channel (see the ODD's defect list).
#include <algorithm>

#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// after the agreement's own shares for this week (framework::set_wholesaler_shares)
void raise_in_season_shares(const Params& p, State& s, std::size_t m) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  for (std::size_t c = 0; c < C; ++c) {
    if (!in_season(p.categories[c], s.iso_week)) continue;
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

}  // namespace lokalmat
