#include "sim/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/params.h"

namespace lokalmat {

void FlowSums::add(const FlowSums& o) {
  demand_kg += o.demand_kg;
  local_order_kg += o.local_order_kg;
  local_kg += o.local_kg;
  local_nok += o.local_nok;
  wholesale_kg += o.wholesale_kg;
  wholesale_nok += o.wholesale_nok;
  regional_kg += o.regional_kg;
  regional_nok += o.regional_nok;
  norwegian_kg += o.norwegian_kg;
  fallback_kg += o.fallback_kg;
  premium_nok += o.premium_nok;
  premium_paid_nok += o.premium_paid_nok;
  organic_kg += o.organic_kg;
  co2e_kg += o.co2e_kg;
  co2e_reference_kg += o.co2e_reference_kg;
}

void TypeSums::add(const TypeSums& o) {
  meals += o.meals;
  budget_nok += o.budget_nok;
  admin_hours += o.admin_hours;
  kitchen_waste_kg += o.kitchen_waste_kg;
  buyers += o.buyers;
  participating += o.participating;
  deliveries_full += o.deliveries_full;
  deliveries_partial += o.deliveries_partial;
  deliveries_none += o.deliveries_none;
  satisfaction_sum += o.satisfaction_sum;
  incentive_nok += o.incentive_nok;
}

void MuniSums::add(const MuniSums& o) {
  weeks += o.weeks;
  municipalities += o.municipalities;
  population += o.population;
  hub_capacity_kg += o.hub_capacity_kg;
  hub_throughput_kg += o.hub_throughput_kg;
  hub_cost_nok += o.hub_cost_nok;
  hub_fee_nok += o.hub_fee_nok;
  transport_km += o.transport_km;
  work_hours += o.work_hours;
  staff_extra_hours += o.staff_extra_hours;
  participants += o.participants;
  participants_engaged += o.participants_engaged;
  skill_sum += o.skill_sum;
  contacts_sum += o.contacts_sum;
  gini_hours += o.gini_hours;  // not additive: totals are computed directly, see WeekReport::muni_total
  active_producers += o.active_producers;
  farm_income_nok += o.farm_income_nok;
  farm_waste_kg += o.farm_waste_kg;
  backing_weighted += o.backing_weighted;
  exception_open += o.exception_open;
  covered_local_nok += o.covered_local_nok;
  covered_spend_nok += o.covered_spend_nok;
  child_food_kg += o.child_food_kg;
  child_organic_kg += o.child_organic_kg;
  child_goal_kg += o.child_goal_kg;
  elections += o.elections;
  farm_entries += o.farm_entries;
  farm_exits += o.farm_exits;
  moves_vta += o.moves_vta;
  moves_work += o.moves_work;
  dropouts += o.dropouts;
  waiting += o.waiting;
  direct_spend_period_nok += o.direct_spend_period_nok;
  direct_closed += o.direct_closed;
  tenders += o.tenders;
  integrated += o.integrated;
  project_ended += o.project_ended;
  supplier_events += o.supplier_events;
  incentive_in_force += o.incentive_in_force;
  unlawful_rules += o.unlawful_rules;
  trust_sum += o.trust_sum;
  trust_initial_sum += o.trust_initial_sum;
  arenas += o.arenas;
  farm_visits += o.farm_visits;
  adopted += o.adopted;
  local_categories += o.local_categories;
  volunteer_hours += o.volunteer_hours;
  lots_local += o.lots_local;
  competition_contracts += o.competition_contracts;
  tender_hours += o.tender_hours;
  penalties_nok += o.penalties_nok;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// a ratio that is undefined (NaN) when nothing was there to divide
double ratio(double num, double den) { return den > 0 ? num / den : kNaN; }
double spend(const FlowSums& f) { return f.local_nok + f.wholesale_nok; }

std::vector<MetricDef> make_metrics() {
  using S = MetricScope;
  return {
      // local share counts the local channel plus the wholesaler's regional sourcing
      {"local_share_value", "fraction", S::flow,
       "local food (local channel + wholesaler's regional share) / all food, by value",
       [](const GroupSums& g) { return ratio(g.flow.local_nok + g.flow.regional_nok, spend(g.flow)); }},
      {"local_share_volume", "fraction", S::flow,
       "local food (local channel + wholesaler's regional share) / all food, by kg",
       [](const GroupSums& g) { return ratio(g.flow.local_kg + g.flow.regional_kg, g.flow.demand_kg); }},
      {"local_channel_share_value", "fraction", S::flow, "food bought through the local channel / all food, by value",
       [](const GroupSums& g) { return ratio(g.flow.local_nok, spend(g.flow)); }},
      {"norwegian_share_volume", "fraction", S::flow, "food grown in Norway / all food, by kg",
       [](const GroupSums& g) { return ratio(g.flow.norwegian_kg, g.flow.demand_kg); }},
      {"organic_share_volume", "fraction", S::flow, "organic food / all food, by kg",
       [](const GroupSums& g) { return ratio(g.flow.organic_kg, g.flow.demand_kg); }},
      {"food_spend_nok", "NOK", S::flow, "all food bought, incl. hub fees and short-notice premiums",
       [](const GroupSums& g) { return spend(g.flow); }},
      {"local_spend_nok", "NOK", S::flow, "paid for food from the local channel, incl. hub fees",
       [](const GroupSums& g) { return g.flow.local_nok; }},
      {"wholesale_spend_nok", "NOK", S::flow, "paid to the framework wholesaler",
       [](const GroupSums& g) { return g.flow.wholesale_nok; }},
      {"premium_nok", "NOK", S::flow, "paid above the wholesaler's list price (local premium + short-notice fallback)",
       [](const GroupSums& g) { return g.flow.premium_nok; }},
      {"food_kg", "kg", S::flow, "all food bought", [](const GroupSums& g) { return g.flow.demand_kg; }},
      {"local_order_kg", "kg", S::flow, "ordered from the local channel",
       [](const GroupSums& g) { return g.flow.local_order_kg; }},
      {"local_kg", "kg", S::flow, "delivered by the local channel", [](const GroupSums& g) { return g.flow.local_kg; }},
      {"fallback_kg", "kg", S::flow, "bought from the wholesaler at short notice because a local order fell short",
       [](const GroupSums& g) { return g.flow.fallback_kg; }},
      {"local_fill_rate", "fraction", S::flow, "local kg delivered / local kg ordered (NaN when nothing was ordered)",
       [](const GroupSums& g) { return ratio(g.flow.local_kg, g.flow.local_order_kg); }},
      {"co2e_kg", "kg CO2e", S::flow, "transport emissions of all food bought (farm-hub-kitchen and wholesaler chain)",
       [](const GroupSums& g) { return g.flow.co2e_kg; }},
      {"meals", "eater-days", S::type, "meals served: one eater fed for one service day",
       [](const GroupSums& g) { return g.type.meals; }},
      {"cost_per_meal_nok", "NOK per eater-day", S::type, "food spend / meals (NaN in weeks with no meals)",
       [](const GroupSums& g) { return ratio(spend(g.flow), g.type.meals); }},
      {"budget_per_meal_nok", "NOK per eater-day", S::type, "food budget / meals",
       [](const GroupSums& g) { return ratio(g.type.budget_nok, g.type.meals); }},
      {"admin_hours", "hours", S::type, "kitchens' ordering hours", [](const GroupSums& g) { return g.type.admin_hours; }},
      {"buyers_participating", "units", S::type, "kitchen units ordering from the local channel this week",
       [](const GroupSums& g) { return g.type.participating; }},
      {"satisfaction_mean", "0-1", S::type, "kitchens' mean satisfaction with the local channel",
       [](const GroupSums& g) { return ratio(g.type.satisfaction_sum, g.type.buyers); }},
      {"incentive_nok", "NOK", S::type, "local-purchase incentives the municipality paid to its units",
       [](const GroupSums& g) { return g.type.incentive_nok; }},
      {"deliveries_full", "units", S::type, "units whose accepted local order came in full",
       [](const GroupSums& g) { return g.type.deliveries_full; }},
      {"deliveries_partial", "units", S::type, "units whose accepted local order came in part",
       [](const GroupSums& g) { return g.type.deliveries_partial; }},
      {"deliveries_failed", "units", S::type, "units whose accepted local order did not come at all",
       [](const GroupSums& g) { return g.type.deliveries_none; }},
      {"hub_capacity_kg", "kg", S::muni, "planned hub handling capacity",
       [](const GroupSums& g) { return g.muni.hub_capacity_kg; }},
      {"hub_throughput_kg", "kg", S::muni, "kg picked, packed and delivered by the hub",
       [](const GroupSums& g) { return g.muni.hub_throughput_kg; }},
      {"hub_capacity_use", "fraction", S::muni, "hub throughput / capacity",
       [](const GroupSums& g) { return ratio(g.muni.hub_throughput_kg, g.muni.hub_capacity_kg); }},
      {"hub_cost_nok", "NOK", S::muni, "hub running cost: fixed cost, coordinator and cover hours, vehicle km",
       [](const GroupSums& g) { return g.muni.hub_cost_nok; }},
      {"transport_km", "km", S::muni, "local channel vehicle km", [](const GroupSums& g) { return g.muni.transport_km; }},
      {"work_hours", "hours", S::muni, "meaningful-work hours of day-centre participants",
       [](const GroupSums& g) { return g.muni.work_hours; }},
      {"staff_cover_hours", "hours", S::muni, "hub hours covered by staff when too few participants came",
       [](const GroupSums& g) { return g.muni.staff_extra_hours; }},
      {"participants", "persons", S::muni, "active day-centre participants on food tasks",
       [](const GroupSums& g) { return g.muni.participants; }},
      {"participants_engaged", "persons", S::muni, "participants with at least one hour of work this week",
       [](const GroupSums& g) { return g.muni.participants_engaged; }},
      {"gini_hours", "0-1", S::muni, "Gini coefficient of cumulative work hours among participants",
       [](const GroupSums& g) { return ratio(g.muni.gini_hours, g.muni.weeks); }},
      {"skill_mean", "0-1", S::muni, "participants' mean skill",
       [](const GroupSums& g) { return ratio(g.muni.skill_sum, g.muni.participants); }},
      {"contacts_mean", "persons", S::muni, "distinct farms and kitchens each participant has met, mean",
       [](const GroupSums& g) { return ratio(g.muni.contacts_sum, g.muni.participants); }},
      {"active_local_producers", "farms", S::muni, "farms active in the municipal local channel",
       [](const GroupSums& g) { return g.muni.active_producers; }},
      {"farm_income_nok", "NOK", S::muni, "farms' income from municipal sales, less contract penalties",
       [](const GroupSums& g) { return g.muni.farm_income_nok - g.muni.penalties_nok; }},
      {"food_waste_kg", "kg", S::muni, "kitchen waste + unsold farm produce that was lost",
       [](const GroupSums& g) { return g.type.kitchen_waste_kg + g.muni.farm_waste_kg; }},
      {"political_backing", "0-1", S::muni, "political backing for the scheme, population-weighted mean",
       [](const GroupSums& g) { return ratio(g.muni.backing_weighted, g.muni.population); }},
      {"covered_local_share_value", "fraction", S::muni,
       "local-channel share by value in the units and categories the framework exception covers",
       [](const GroupSums& g) { return ratio(g.muni.covered_local_nok, g.muni.covered_spend_nok); }},
      {"organic_share_kindergarten_sfo", "fraction", S::muni,
       "organic food / all food in kindergartens and SFO, by kg (local organic farms and the wholesaler's organic share)",
       [](const GroupSums& g) { return ratio(g.muni.child_organic_kg, g.muni.child_food_kg); }},
      {"organic_goal_kindergarten_sfo", "fraction", S::muni,
       "the organic goal for kindergartens and SFO (policy.organic_share_target), weighted by their food kg: "
       "compare organic_share_kindergarten_sfo with it",
       [](const GroupSums& g) { return ratio(g.muni.child_goal_kg, g.muni.child_food_kg); }},
      {"exception_in_force", "municipalities", S::muni, "municipalities where the framework exception is open",
       [](const GroupSums& g) { return g.muni.exception_open; }},
      {"elections", "municipalities", S::muni, "municipalities holding an election this week",
       [](const GroupSums& g) { return g.muni.elections; }},
      {"tenders", "municipalities", S::muni, "municipalities whose framework agreement was re-tendered this week",
       [](const GroupSums& g) { return g.muni.tenders; }},
      {"farm_entries", "farms", S::muni, "farms that joined the municipal channel this week",
       [](const GroupSums& g) { return g.muni.farm_entries; }},
      {"farm_exits", "farms", S::muni, "farms that left the municipal channel this week",
       [](const GroupSums& g) { return g.muni.farm_exits; }},
      {"moves_vta", "persons", S::muni, "participants who moved on to adapted work (VTA) this week",
       [](const GroupSums& g) { return g.muni.moves_vta; }},
      {"moves_work", "persons", S::muni, "participants who moved on to ordinary work this week",
       [](const GroupSums& g) { return g.muni.moves_work; }},
      {"dropouts", "persons", S::muni, "participants who dropped out this week",
       [](const GroupSums& g) { return g.muni.dropouts; }},
      {"waiting_list", "persons", S::muni, "people waiting for a day-centre place",
       [](const GroupSums& g) { return g.muni.waiting; }},
      {"direct_spend_period_nok", "NOK", S::muni,
       "direct purchases so far in the framework agreement's period (summed over categories and municipalities)",
       [](const GroupSums& g) { return g.muni.direct_spend_period_nok; }},
      {"direct_categories_stopped", "categories", S::muni,
       "categories whose direct buying stopped because the next purchase would pass the limit",
       [](const GroupSums& g) { return g.muni.direct_closed; }},
      {"integrated_schemes", "municipalities", S::muni, "municipalities whose scheme is integrated in operations",
       [](const GroupSums& g) { return g.muni.integrated; }},
      {"projects_ended", "municipalities", S::muni, "municipalities whose project funding has ended",
       [](const GroupSums& g) { return g.muni.project_ended; }},
      {"supplier_events_per_year", "events per year", S::muni, "supplier development events in force",
       [](const GroupSums& g) { return g.muni.supplier_events; }},
      {"incentive_nok_per_kg", "NOK/kg", S::muni, "local-purchase incentive in force (mean over municipalities)",
       [](const GroupSums& g) { return ratio(g.muni.incentive_in_force, g.muni.municipalities); }},
      {"unlawful_rules", "municipalities", S::muni,
       "municipalities using a rule that is not lawful under Norwegian/EEA rules (quota_mandate)",
       [](const GroupSums& g) { return g.muni.unlawful_rules; }},
      {"trust", "0-1", S::muni, "trust among farmers, kitchens, day centre and politicians (mean over municipalities)",
       [](const GroupSums& g) { return ratio(g.muni.trust_sum, g.muni.municipalities); }},
      {"arenas", "meetings", S::muni, "co-creation arenas held this week",
       [](const GroupSums& g) { return g.muni.arenas; }},
      {"farm_visits", "visits", S::muni, "children's farm visits this week",
       [](const GroupSums& g) { return g.muni.farm_visits; }},
      {"adopters", "municipalities", S::muni, "municipalities that adopted the framework exception during the run",
       [](const GroupSums& g) { return g.muni.adopted; }},
      {"local_products_on_menu", "categories", S::muni,
       "food categories with local deliveries this week (seasonal menu diversity; mean over municipalities)",
       [](const GroupSums& g) { return ratio(g.muni.local_categories, g.muni.municipalities); }},
      {"volunteer_hours", "hours", S::muni, "hours volunteers worked at the hubs",
       [](const GroupSums& g) { return g.muni.volunteer_hours; }},
      {"lots_held_locally", "lots", S::muni, "lots (market x category x season) won by farms in a lot tender",
       [](const GroupSums& g) { return g.muni.lots_local; }},
      {"competition_contracts", "contracts", S::muni, "simple-competition contracts (market x category x season) in force",
       [](const GroupSums& g) { return g.muni.competition_contracts; }},
      {"tender_hours", "hours", S::muni, "municipal hours spent running competitions and lot tenders",
       [](const GroupSums& g) { return g.muni.tender_hours; }},
      {"contract_penalties_nok", "NOK", S::muni, "penalties farms paid for failing to deliver a lot",
       [](const GroupSums& g) { return g.muni.penalties_nok; }},
      // the four sustainability indices, each 0..1 (higher is better); see indices() in sim/metrics.h
      {"index_economic", "0-1", S::type, "economic index (SDG 2, 8): local-channel share of food spend (hub fees included) and budget adherence",
       [](const GroupSums& g) { return index_economic(g); }},
      {"index_social", "0-1", S::muni, "social index (SDG 3, 8, 10): engagement, fairness of hours, skill",
       [](const GroupSums& g) { return index_social(g); }},
      {"index_environmental", "0-1", S::type,
       "environmental index (SDG 12, 13): transport CO2e saved, organic share, kitchens' food waste",
       [](const GroupSums& g) { return index_environmental(g); }},
      {"index_cultural", "0-1", S::muni, "cultural index (SDG 2, 11): local products on menus, trust, farm visits",
       [](const GroupSums& g) { return index_cultural(g); }},
  };
}

}  // namespace

// ---- the four sustainability indices (MODEL.md §6), in the spirit of the KS/SSB indicator taxonomy.
// Each is the mean of a few indicators scaled to 0..1; the scaling constants are reference levels
// [assume], written here once.

double index_economic(const GroupSums& g) {
  // local-channel share of food spend (what kitchens pay for local food, hub fees included), full marks
  // at 30% (the PNAE quota level); farm income itself is the farm_income_nok output
  const double spend = g.flow.local_nok + g.flow.wholesale_nok;
  const double local = spend > 0 ? std::min(1.0, g.flow.local_nok / spend / 0.3) : 0.0;
  // budget adherence: full marks within budget, zero at 20% over
  const double over = g.type.budget_nok > 0 ? std::max(0.0, spend / g.type.budget_nok - 1.0) : 0.0;
  const double budget = std::max(0.0, 1.0 - over / 0.2);
  return (local + budget) / 2.0;
}

double index_social(const GroupSums& g) {
  // engagement rate, equality of hours (1 - Gini) and skill among day-centre participants; 0 without any
  if (g.muni.participants <= 0) return 0.0;
  const double engaged = g.muni.participants_engaged / g.muni.participants;
  const double gini = g.muni.weeks > 0 ? g.muni.gini_hours / g.muni.weeks : 0.0;  // mean over the weeks summed
  const double equal = 1.0 - std::min(1.0, std::max(0.0, gini));
  const double skill = g.muni.skill_sum / g.muni.participants;
  return (engaged + equal + skill) / 3.0;
}

double index_environmental(const GroupSums& g) {
  // transport CO2e saved against the wholesaler chain (full marks at 50% saved), organic share
  // (full marks at the 15% goal), kitchens' food waste as a share of food bought (zero at 20%); farms'
  // unsold produce lost is in the food_waste_kg output, not in the index
  const double saved = g.flow.co2e_reference_kg > 0
                           ? std::clamp(1.0 - g.flow.co2e_kg / g.flow.co2e_reference_kg, 0.0, 0.5) / 0.5
                           : 0.0;
  const double organic = g.flow.demand_kg > 0 ? std::min(1.0, g.flow.organic_kg / g.flow.demand_kg / 0.15) : 0.0;
  const double waste = g.flow.demand_kg > 0 ? std::max(0.0, 1.0 - g.type.kitchen_waste_kg / g.flow.demand_kg / 0.2) : 0.0;
  return (saved + organic + waste) / 3.0;
}

double index_cultural(const GroupSums& g) {
  // local products on menus (full marks at 5 categories), trust, farm visits (full marks at 10 a year)
  if (g.muni.municipalities <= 0) return 0.0;
  const double products = std::min(1.0, g.muni.local_categories / g.muni.municipalities / 5.0);
  const double trust = g.muni.trust_sum / g.muni.municipalities;
  const double visits = std::min(1.0, g.muni.farm_visits * kWeeksPerYear / g.muni.municipalities / 10.0);
  return (products + trust + visits) / 3.0;
}

const std::vector<MetricDef>& weekly_metrics() {
  static const std::vector<MetricDef> defs = make_metrics();
  return defs;
}

const MetricDef* find_metric(std::string_view name) {
  for (const auto& d : weekly_metrics())
    if (d.name == name) return &d;
  return nullptr;
}

GroupSums group_sums(const WeekReport& r, int municipality, int buyer_type, int category) {
  GroupSums g;
  const int C = r.n_categories;
  for (int m = 0; m < r.n_municipalities; ++m) {
    if (municipality >= 0 && m != municipality) continue;
    for (int t = 0; t < kBuyerTypes; ++t) {
      if (buyer_type >= 0 && t != buyer_type) continue;
      g.type.add(r.types[static_cast<std::size_t>(m * kBuyerTypes + t)]);
      for (int c = 0; c < C; ++c) {
        if (category >= 0 && c != category) continue;
        g.flow.add(r.cells[static_cast<std::size_t>((m * kBuyerTypes + t) * C + c)]);
      }
    }
  }
  g.muni = municipality >= 0 ? r.munis[static_cast<std::size_t>(municipality)] : r.muni_total;
  return g;
}

double gini(std::vector<double>& v) {
  const std::size_t n = v.size();
  if (n == 0) return 0;
  std::sort(v.begin(), v.end());
  double cum = 0, weighted = 0;
  for (std::size_t i = 0; i < n; ++i) {
    cum += v[i];
    weighted += static_cast<double>(i + 1) * v[i];
  }
  if (cum <= 0) return 0;
  const double nn = static_cast<double>(n);
  return (2.0 * weighted) / (nn * cum) - (nn + 1.0) / nn;
}

}  // namespace lokalmat
