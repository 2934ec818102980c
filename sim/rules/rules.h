#pragma once
// What the phases ask of particular rules directly, beside the hooks (sim/rules/hooks.h):
// the framework agreement every municipality has, the exception's scheme and cap, the
// direct-purchase limit, and what a purchasing system's call-offs see.
#include <cstddef>

#include "sim/params.h"
#include "sim/rules/hooks.h"
#include "sim/state.h"

namespace lokalmat {

// sim/rules/framework_only.cpp: the framework agreement with the wholesaler (the status quo,
// and the base every other rule builds on)
namespace framework {
// the end of the agreement in force at the start: base term + extensions, renewed until after the start
Date first_agreement_end(const Params& p);
// at the end of the agreement it is re-tendered for another term (sets State::tender_week)
void renew_if_due(const Params& p, State& s);
// the wholesaler's price list this week (start-year list x price index), NOK/kg
double list_price_nok_per_kg(const Params& p, const State& s, std::size_t c);
// what municipality m's kitchens pay the wholesaler per kg this week: the list price, and the
// Norwegian price for what a season requirement moved to Norwegian origin, NOK/kg
double wholesale_price_nok_per_kg(const Params& p, const State& s, std::size_t m, std::size_t c);
// the agreement's own Norwegian share of a category's kg, in its Norwegian season (harvest
// window) or outside it; a year-round category is never in such a season
double agreement_norwegian_share(const CategoryParams& cat, bool norwegian_season);
// the Norwegian and regional shares of the wholesaler's kg this week (in or out of season)
void set_wholesaler_shares(const Params& p, State& s, std::size_t m);
// transport emissions of one kg through the wholesaler's chain (origin -> warehouse -> kitchen), kg CO2e
double chain_co2e_kg_per_kg(const Params& p, const CategoryParams& cat);
}  // namespace framework

// sim/rules/framework_exception.cpp
namespace framework_exception {
// the municipality runs the exception's scheme: the rule from the start, or adopted since
bool scheme_in_place(const MunicipalityParams& mp, const State& s, std::size_t m);
// the cap in force: a unit's local orders outside contracts at most cap_share of its food spend
void cap_orders(const State& s, std::size_t m, OrderSheet& sheet);
}  // namespace framework_exception

// sim/rules/season_requirement.cpp
namespace season_requirement {
// the wholesaler's price of category c for municipality m this week over its list price: 1 +
// norwegian_price_premium x the Norwegian share the requirement added to the agreement's own
// (exactly 1 without the rule or outside the category's harvest window)
double price_factor(const Params& p, const State& s, std::size_t m, std::size_t c);
}  // namespace season_requirement

// sim/rules/direct_purchase.cpp: the limit in force on a date (FOA: NOK 100,000; NOK 500,000 from
// 2026-07-01), NOK
double direct_limit_nok(const ProcurementParams& pr, Date week_start);

// sim/rules/dynamic_purchasing.cpp: what a call-off placed call_off_lead_weeks ago saw on market
// h (at least 10 days to bid), delivered this week
namespace dynamic_purchasing {
double call_off_kg(const Params& p, const State& s, std::size_t h, std::size_t c);
double call_off_price(const Params& p, const State& s, std::size_t h, std::size_t c);
}  // namespace dynamic_purchasing

}  // namespace lokalmat
