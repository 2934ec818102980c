// framework_exception — the Horten route (MODEL.md §4): an exception in the framework
// agreement lets the covered units (exception_buyer_types) buy the covered categories
// (exception_categories) on the local platform, which the day-centre hub serves, up
// to a cap on each unit's local share of its food spend. The platform is open while
// the exception is in force, the hub is funded and political backing stays at or
// above backing_min_exception (sim/market.cpp); the policy phase withdraws and
// reinstates it (sim/phases/policy.cpp). A municipality of the learning network may
// adopt the scheme during a run.
#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace rules {
const RuleHooks framework_exception_hooks = {};
}  // namespace rules

namespace framework_exception {

bool scheme_in_place(const MunicipalityParams& mp, const State& s, std::size_t m) {
  return has_rule(mp, Rule::framework_exception) || s.policy.adopted[m];
}

void cap_orders(const State& s, std::size_t m, OrderSheet& sheet) {
  const std::size_t C = sheet.categories;
  double capped_value = 0;
  for (std::size_t c = 0; c < C; ++c)
    if (!sheet.under_contract[c]) capped_value += sheet.order[c] * sheet.price[c];
  const double cap_value = s.policy.cap_share[m] * sheet.all_value_nok;
  if (capped_value > cap_value && capped_value > 0) {
    const double scale = cap_value / capped_value;
    for (std::size_t c = 0; c < C; ++c)
      if (!sheet.under_contract[c]) sheet.order[c] *= scale;
  }
}

}  // namespace framework_exception
}  // namespace lokalmat
