#include "sim/rules/hooks.h"

namespace lokalmat {

bool platform_by_law(const MunicipalityParams& mp) {
  bool law = false;
  for_each_rule_in_force(mp, [&](const RuleInfo& r) { law = law || r.platform_by_law; });
  return law;
}

bool any_municipality_holds(const Params& p, Rule r) {
  for (const MunicipalityParams& mp : p.municipalities)
    if (has_rule(mp, r)) return true;
  return false;
}

}  // namespace lokalmat
