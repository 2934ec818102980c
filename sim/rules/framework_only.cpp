// framework_only — the status quo (MODEL.md §4): everything through the framework
// agreement with the national wholesaler. Every municipality has the agreement; this
// file holds what it is: its term (2 + 1 + 1 years, FOA), its renewal, the
// wholesaler's price list and where its food comes from. The rule itself adds
// nothing to the agreement, so it has no hooks.
#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace rules {
const RuleHooks framework_only_hooks = {};
}  // namespace rules

namespace framework {

namespace {
int term_years(const WholesalerParams& w) { return w.contract_base_years + w.contract_extensions; }
}  // namespace

Date first_agreement_end(const Params& p) {
  const int term = term_years(p.wholesaler);
  Date end{p.wholesaler.contract_start.year + term, p.wholesaler.contract_start.month, p.wholesaler.contract_start.day};
  while (end <= p.start) end.year += term;
  return end;
}

void renew_if_due(const Params& p, State& s) {
  s.tender_week = 0;
  if (s.date >= s.contract_end) {
    s.contract_end.year += term_years(p.wholesaler);
    s.tender_week = 1;
  }
}

double list_price_nok_per_kg(const Params& p, const State& s, std::size_t c) {
  return p.categories[c].wholesale_price_nok_per_kg * s.price_index;
}

double wholesale_price_nok_per_kg(const Params& p, const State& s, std::size_t m, std::size_t c) {
  return list_price_nok_per_kg(p, s, c) * season_requirement::price_factor(p, s, m, c);
}

double agreement_norwegian_share(const CategoryParams& cat, bool norwegian_season) {
  return norwegian_season ? cat.wholesaler_norwegian_share_in_season : cat.wholesaler_norwegian_share;
}

// the in-season share holds in the harvest window only: a year-round category (eggs, dairy, meat,
// fish) has its one share all year, though its local farms harvest every week
void set_wholesaler_shares(const Params& p, State& s, std::size_t m) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  for (std::size_t c = 0; c < C; ++c) {
    const CategoryParams& cat = p.categories[c];
    s.policy.wholesaler_norwegian_share[m * C + c] = agreement_norwegian_share(cat, in_harvest_window(cat, s.iso_week));
    s.policy.wholesaler_regional_share[m * C + c] = cat.wholesaler_regional_share;
  }
}

double chain_co2e_kg_per_kg(const Params& p, const CategoryParams& cat) {
  return (cat.upstream_km + p.wholesaler.warehouse_distance_km) * cat.co2e_truck_kg_per_tkm / kKgPerTonne;
}

}  // namespace framework
}  // namespace lokalmat
