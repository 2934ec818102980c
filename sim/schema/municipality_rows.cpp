// The rows of a municipality and of its policy, hub and day centre (see
// sim/schema/params_rows.cpp for what a row holds), and the structs' constructors.
#include "sim/schema/params_rows.h"

namespace lokalmat::schema {

// [municipalities.<id>]
template <>
const SectionRows<MunicipalityParams>& rows_of<MunicipalityParams>() {
  using M = MunicipalityParams;
  static const SectionRows<MunicipalityParams> s{"municipalities.<id>", "A municipality, its rules and instruments. A file with a base (and --set) changes the municipalities below it; a table id that names none of them (nor one the region generates) is refused as a misspelling, with the nearest id, unless the table adds a new municipality by giving its name, number, population, area_km2 or centre_km.", {
    text("name", &M::name, "text", derived, "display name (default: the table's id)"),
    text("number", &M::number, "text", "", "SSB municipality number, e.g. \"3901\""),
    point("centre_km", &M::centre, Point{0.0, 0.0}, "centre in the scenario's planar coordinates"),
    number("area_km2", &M::area_km2, "km2", 100, 0.01, 100000, "area; generated positions fall within a disc of this area"),
    integer("population", &M::population, "inhabitants", 0, 0, 1e8, "inhabitants (weights backing in totals)"),
    names("rules", &M::rules, "rule names", {"framework_only"}, "procurement rules in force: framework_only, framework_exception, direct_purchase, simple_competition, lots, dynamic_purchasing, season_requirement, quota_mandate (not lawful: counterfactual)"),
    names("exception_buyer_types", &M::exception_buyer_types, "buyer types", {"kindergarten", "sfo"}, "kitchen types the framework exception covers"),
    names("exception_categories", unbound, "categories", derived, "categories the exception covers (default: all)"),
    number("exception_cap_share", &M::exception_cap_share, "share", 1, 0, 1, "most a unit may buy locally, as a share of its food spend (an instrument the adaptive mode may raise)"),
    names("direct_buyer_types", &M::direct_buyer_types, "buyer types", {}, "kitchen types that buy directly from farms under direct_purchase"),
  }, {"policy", "hub", "day_centre"}};
  return s;
}

// [municipalities.<id>.policy]
template <>
const SectionRows<PolicyParams>& rows_of<PolicyParams>() {
  using Po = PolicyParams;
  static const SectionRows<PolicyParams> s{"municipalities.<id>.policy", "Policy support: political backing and its dynamics.", {
    number("backing_initial", &Po::backing_initial, "0-1", 0.5, 0, 1, "political backing at the start", assume()),
    number("backing_min_exception", &Po::backing_min_exception, "0-1", 0.3, 0, 1, "backing needed to keep the framework exception open", assume()),
    number("withdrawal_level", &Po::withdrawal_level, "0-1", 0.25, 0, 1, "below it at a budget year (ISO week 1) instruments are withdrawn", assume()),
    number("reinstate_level", &Po::reinstate_level, "0-1", 0.6, 0, 1, "at or above it at a budget year withdrawn instruments return", assume()),
    number("local_share_target", &Po::local_share_target, "share", 0.15, 0.001, 1, "target local share by value in the units and categories the exception covers", assume()),
    number("organic_share_target", &Po::organic_share_target, "share", 0.15, 0, 1, "goal for the organic share of food in kindergartens and SFO, by kg: the yardstick of organic_goal_kindergarten_sfo (no rule acts on it)", src_note("Horten: a 15% organic goal in kindergartens and SFO")),
    number("result_weight_per_year", &Po::result_weight_per_year, "per year", 0.3, 0, 10, "backing change per year per unit of (share/target - 1)", assume()),
    number("cost_weight_per_year", &Po::cost_weight_per_year, "per year", 0.5, 0, 10, "backing loss per year per unit of the scheme's overrun: premiums over the premium budget plus the hub's cost less fees over the hub's budget, as a share of the two budgets", assume()),
    number("failure_weight_per_year", &Po::failure_weight_per_year, "per year", 0.3, 0, 10, "backing loss per year per unit of failed-delivery rate", assume()),
    number("noise_sd_per_year", &Po::noise_sd_per_year, "sd per year", 0.05, 0, 1, "random drift of backing", assume()),
    date("first_election", &Po::first_election, Date{2027, 9, 13}, "first municipal election in the run", src_note("September 2027")),
    integer("election_interval_years", &Po::election_interval_years, "years", 4, 0, 20, "years between elections (0 = none)"),
    number("election_sd", &Po::election_sd, "sd", 0.15, 0, 1, "sd of the backing shift at an election", assume()),
    number("premium_budget_nok_per_year", &Po::premium_budget_nok_per_year, "NOK per year", 0, 0, 1e10, "money for buying local food above the wholesaler's list price and for the incentive, a budget year; once spent, units buy locally only at or below the list price and no incentive is paid until the next budget year; 0 = no money for premiums"),
    boolean("premium_budget_unlimited", &Po::premium_budget_unlimited, false, "no limit on premiums and incentives (premium_budget_nok_per_year is then not used)"),
    number("local_incentive_nok_per_kg", &Po::local_incentive_nok_per_kg, "NOK/kg", 0, 0, 1000, "incentive paid to units per kg bought locally (a per-meal incentive expressed per kg)"),
    boolean("integrated", &Po::integrated, true, "the scheme is part of ordinary operations; false: a project with an end date"),
    date("project_end", &Po::project_end, Date{2100, 1, 1}, "a project's funding ends here"),
    number("project_continue_level", &Po::project_continue_level, "0-1", 0.75, 0, 1, "a project at its end continues (and is integrated) with backing at least this", assume()),
    number("project_grant_share", &Po::project_grant_share, "share", 0.5, 0, 1, "share of the hub's running cost that a project's external funding pays until the project ends (an integrated scheme pays all of it): backing sees only the municipality's part, and a budget year withdraws a running project's instruments only below withdrawal_level x (1 - this share), since stopping early forfeits the grant", assume()),
    integer("supplier_development_events_per_year", &Po::supplier_development_events_per_year, "events per year", 0, 0, 52, "supplier development events: outreach to farms and a cut in their entry cost"),
    number("entry_cost_cut", &Po::entry_cost_cut, "share", 0.3, 0, 1, "share of farms' entry cost removed by supplier development", assume()),
    number("outreach_awareness", &Po::outreach_awareness, "probability", 0.3, 0, 1, "chance per event that an unaware farm learns of the channel", assume()),
    names("sectors", unbound, "sector names", {"procurement"}, "sectors working together: procurement, kindergartens, sfo, nursing, day_centre, agriculture, business"),
    number("sector_coordination_cut", &Po::sector_coordination_cut, "share", 0.3, 0, 1, "coordination hours saved with all seven sectors involved", assume()),
    boolean("adaptive", &Po::adaptive, false, "learning along the way: instruments steered yearly toward the target within the budget"),
    number("adaptive_step", &Po::adaptive_step, "share", 0.1, 0, 1, "size of a yearly adjustment (cap share +step, incentive +10 x step NOK/kg, one more event)"),
    number("quota_share", &Po::quota_share, "share", 0.3, 0, 1, "quota_mandate: minimum local share of food spend", src_note("PNAE 30%")),
    number("trust_initial", &Po::trust_initial, "0-1", 0, 0, 1, "trust among farmers, kitchens, day centre and politicians at the start"),
    integer("arenas_per_year", &Po::arenas_per_year, "meetings per year", 0, 0, 52, "co-creation arenas (samskapingsarenaer); each raises trust"),
    integer("farm_visits_per_year", &Po::farm_visits_per_year, "visits per year", 0, 0, 52, "children's farm visits: visible results that raise backing"),
    integer("champions", &Po::champions, "units", 0, 0, 100000, "kitchen units with a champion (ildsjel), spread evenly over the units"),
    number("champion_strength", &Po::champion_strength, "0-1", 0.2, 0, 1, "a champion raises its unit's local preference by this", assume()),
    number("champion_spillover", &Po::champion_spillover, "share", 0.5, 0, 1, "units within champion_radius_km gain this x strength", assume()),
    number("champion_radius_km", &Po::champion_radius_km, "km", 3, 0, 1000, "reach of a champion's influence", assume()),
    integer("volunteers", &Po::volunteers, "persons", 0, 0, 100000, "volunteers who add logistics capacity at the hub"),
    number("volunteer_hours_per_week", &Po::volunteer_hours_per_week, "hours per week", 2, 0, 60, "hours each volunteer gives", assume()),
  }};
  return s;
}

// [municipalities.<id>.hub]
template <>
const SectionRows<HubParams>& rows_of<HubParams>() {
  using H = HubParams;
  static const SectionRows<HubParams> s{"municipalities.<id>.hub", "The local channel's logistics: platform, pick-up, packing, delivery.", {
    boolean("enabled", &H::enabled, false, "a hub/platform runs in this municipality"),
    point("position_km", &H::position, derived, "hub site (default: the municipality's centre)"),
    number("coordinator_hours_per_week", &H::coordinator_hours_per_week, "hours per week", 15, 0, 400, "coordinator staff hours funded by the policy layer", assume()),
    number("coordinator_wage_nok_per_hour", &H::coordinator_wage_nok_per_hour, "NOK/hour", 550, 0, 10000, "staff cost per hour incl. social costs", assume()),
    number("fee_nok_per_kg", &H::fee_nok_per_kg, "NOK/kg", 2, 0, 1000, "fee buyers pay per kg handled", assume()),
    number("fixed_cost_nok_per_week", &H::fixed_cost_nok_per_week, "NOK per week", 1500, 0, 1e7, "rent, vehicle lease, platform licence", assume()),
    number("vehicle_capacity_kg", &H::vehicle_capacity_kg, "kg per trip", 400, 0, 1e6, "load of the delivery vehicle", assume()),
    number("delivery_days_per_week", &H::delivery_days_per_week, "days", 2, 0, 7, "fixed delivery days", src_note("Horten delivers on fixed days")),
    number("trips_per_delivery_day", &H::trips_per_delivery_day, "trips", 2, 0, 50, "vehicle trips on a delivery day", assume()),
    number("van_km_cost_nok", &H::van_km_cost_nok, "NOK/km", 4, 0, 1000, "running cost per vehicle km", assume()),
    number("van_speed_km_per_hour", &H::van_speed_km_per_hour, "km per hour", 40, 1, 120, "average speed on the delivery route, stops excluded; a participant rides along, so route km / speed are work hours", assume()),
    number("courier_kg_per_week", &H::courier_kg_per_week, "kg per week", 0, 0, 1e7, "an external courier's capacity, instead of or beside the day centre"),
    number("courier_nok_per_kg", &H::courier_nok_per_kg, "NOK/kg", 3, 0, 1000, "what the courier charges", assume()),
    number("budget_margin_share", &H::budget_margin_share, "share", 0.1, 0, 10, "the default hub budget's margin over a year of the fixed cost and the coordinator's hours, for the van, extra staff and a courier", assume()),
    number("budget_nok_per_year", &H::budget_nok_per_year, "NOK per year", derived, 1, 1e10, "what the municipality budgets a year for the hub's running cost (at price index 1; indexed as the costs are): political backing sees the hub's cost less its fees above this, with premiums above the premium budget, as an overrun (set it high to leave the hub's cost out). Default: 52 x (fixed_cost_nok_per_week + coordinator_hours_per_week x coordinator_wage_nok_per_hour) x (1 + budget_margin_share), NOK 557,700 at the defaults"),
  }};
  return s;
}

// [municipalities.<id>.day_centre]
template <>
const SectionRows<DayCentreParams>& rows_of<DayCentreParams>() {
  using D = DayCentreParams;
  static const SectionRows<DayCentreParams> s{"municipalities.<id>.day_centre", "Day-centre participants who pick, pack and deliver.", {
    integer("participants", &D::participants, "persons", 0, 0, 100000, "participants on food tasks", assume("~6 in Horten")),
    number("open_days_per_week", &D::open_days_per_week, "days", 4.5, 0, 7, "days open", src_note("~4.5 days a week")),
    number("hours_per_day", &D::hours_per_day, "hours", 4, 0, 5, "hours a participant can work on a day present (<= 5)", src()),
    number("attendance_min", &D::attendance_min, "probability", 0.6, 0, 1, "attendance per day, lowest participant", src_note("0.6-0.95")),
    number("attendance_max", &D::attendance_max, "probability", 0.95, 0, 1, "attendance per day, highest participant", src_note("0.6-0.95")),
    number("skill_initial_min", &D::skill_initial_min, "0-1", 0.1, 0, 1, "initial skill, lowest", assume()),
    number("skill_initial_max", &D::skill_initial_max, "0-1", 0.4, 0, 1, "initial skill, highest", assume()),
    number("productivity_kg_per_hour", &D::productivity_kg_per_hour, "kg per hour", 40, 0.1, 10000, "kg handled per worker-hour at skill 0.5", assume()),
    number("skill_productivity_gain", &D::skill_productivity_gain, "-", 0.5, 0, 1.9, "productivity x (1 + gain x (skill - 0.5))", assume()),
    number("learning_per_hour", &D::learning_per_hour, "per hour", 0.01, 0, 1, "skill gain per hour worked, x (1 - skill)", assume()),
    number("skill_decay_per_idle_week", &D::skill_decay_per_idle_week, "share per week", 0.02, 0, 1, "skill lost in a week without work", assume()),
    number("hours_per_stop", &D::hours_per_stop, "hours", 0.25, 0.01, 40, "hours at each farm or kitchen stop of a van tour: loading, handing over, a word (and a contact)", assume()),
    number("hours_per_order", &D::hours_per_order, "hours", 0.05, 0, 10, "platform work per kitchen order in a category and week: checking, labelling, confirming", assume()),
    number("shift_hours_min", &D::shift_hours_min, "hours", 2, 0.25, 5, "a shift on a delivery day is at least this long (at most hours_per_day): work comes in meaningful blocks, not minutes", assume()),
    integer("waiting_list", &D::waiting_list, "persons", 0, 0, 100000, "people waiting for a place; they fill places freed by moves"),
    number("vta_per_year", &D::vta_per_year, "probability per year", 0.05, 0, 1, "chance of moving to adapted work (VTA) at skill 1, x skill", assume()),
    number("work_per_year", &D::work_per_year, "probability per year", 0.02, 0, 1, "chance of moving to ordinary work at skill 1, x skill^2", assume()),
    number("dropout_per_year", &D::dropout_per_year, "probability per year", 0.05, 0, 1, "chance of dropping out for someone without work that week", assume()),
  }};
  return s;
}

}  // namespace lokalmat::schema

namespace lokalmat {

// ---------------------------------------------------------------- the structs' defaults

MunicipalityParams::MunicipalityParams() { schema::apply_defaults(*this, schema::rows_of<MunicipalityParams>().rows); }
HubParams::HubParams() {
  schema::apply_defaults(*this, schema::rows_of<HubParams>().rows);
  budget_nok_per_year = planned_budget_nok_per_year();
}
DayCentreParams::DayCentreParams() { schema::apply_defaults(*this, schema::rows_of<DayCentreParams>().rows); }

PolicyParams::PolicyParams() {
  const auto& rows = schema::rows_of<PolicyParams>().rows;
  schema::apply_defaults(*this, rows);
  sectors_involved = schema::count_sectors(schema::default_of<schema::Names>(rows, "sectors"));
}

}  // namespace lokalmat
