// The scenario schema. Each default is marked with where it comes from:
// [src ...] a public source (see docs/ODD or MODEL.md's source list),
// [assume] our assumption, [Krejci] the food-hub ABMs of Krejci and co-authors.
#include "sim/scenario_schema.h"

#include <fmt/format.h>

#include <limits>
#include <stdexcept>
#include <string>

#include "sim/scenario.h"

namespace lokalmat::schema {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
using T = KeyType;

std::vector<SectionSpec> make_sections() {
  return {
      {"(top level)", "What the file is and what it builds on.",
       {
           {"base", T::string, "path", "", 0, 0, "a scenario file this one overrides, relative to this file"},
           {"title", T::string, "text", "\"\"", 0, 0, "a short title shown in outputs"},
           {"description", T::string, "text", "\"\"", 0, 0, "what question the scenario answers"},
       },
       {"run", "behaviour", "procurement", "network", "wholesaler", "categories", "buyer_types", "municipalities", "producers", "buyers", "region"}},
      {"run", "The calendar and the random seeds.",
       {
           {"start_date", T::date, "date", "\"2025-01-06\"", 0, 0, "first day of the first week (a Monday keeps ISO weeks aligned)"},
           {"years", T::integer, "years", "10", 1, 100, "length of the run (52 weeks a year); ignored when end_date is set, except that --years or --set run.years replaces end_date"},
           {"end_date", T::date, "date", "", 0, 0, "optional: last day of the run; must be after start_date"},
           {"seed", T::integer, "-", "1", 0, 9.2e18, "seed of every random draw in the run"},
           {"layout_seed", T::integer, "-", "1", 0, 9.2e18, "seed for generated positions, so an ensemble of seeds shares one map"},
       },
       {}},
      {"behaviour", "Behavioural constants shared by all agents.",
       {
           {"road_factor", T::number, "road km per km", "1.3", 1, 3, "road distance = straight line x this [assume]"},
           {"satisfaction_initial", T::number, "0-1", "0.8", 0, 1, "kitchens' initial satisfaction with the local channel [Krejci]"},
           {"satisfaction_full", T::number, "per week", "0.01", 0, 1, "satisfaction change after a full delivery [Krejci]"},
           {"satisfaction_partial", T::number, "per week", "-0.01", -1, 0, "satisfaction change after a partial delivery [Krejci]"},
           {"satisfaction_none", T::number, "per week", "-0.05", -1, 0, "satisfaction change when nothing came [Krejci]"},
           {"participation_threshold", T::number, "0-1", "0.7", 0, 1, "above it a kitchen always orders locally, below with probability = satisfaction [Krejci]"},
           {"full_delivery_tolerance", T::number, "share", "0", 0, 1, "a delivery at least (1 - this) of the accepted order counts as full (0: only a complete delivery, as in Krejci; raise it where an order is pooled from many farms) [assume]"},
           {"offer_growth", T::number, "share", "0.1", 0, 1, "a farm that sold out offers this much more next week [Krejci]"},
           {"sellthrough_low", T::number, "share", "0.5", 0, 1, "below this sell-through a farm falls back to its weighted sell-through [Krejci]"},
           {"sellthrough_weights", T::number_list, "weights", "[0.5, 0.3, 0.2]", 0, 1, "weights of the last three cycles, newest first; must sum to 1 [Krejci]"},
           {"offer_share_min", T::number, "share", "0.05", 0, 1, "an active farm always offers at least this share [assume]"},
           {"outside_market_absorb", T::number, "share", "0.9", 0, 1, "share of unsold perishables other markets take; the rest is wasted [assume]"},
           {"budget_sensitivity", T::number, "-", "2", 0, 100, "local ordering falls by this x the relative budget overspend [assume]"},
           {"organic_price_premium", T::number, "share", "0.3", 0, 5, "organic farms ask this much more than conventional ones [assume]"},
           {"farmer_hour_value_nok", T::number, "NOK/hour", "350", 0, 10000, "value of a farmer's hour in entry and admin costs [assume]"},
           {"neighbour_awareness_per_year", T::number, "probability per year", "0.2", 0, 1, "chance an active neighbour makes an unaware farm aware of the channel [assume]"},
           {"neighbour_radius_km", T::number, "km", "10", 0, 1000, "farms this close (road km, same municipality) are neighbours [assume]"},
           {"exit_sales_ratio", T::number, "share", "0.1", 0, 1, "a farm leaves after two seasons selling below this share of what it offered [Krejci]"},
           {"growth_soldout_share", T::number, "share", "0.5", 0, 1, "a farm grows after a season sold out in at least this share of its offer weeks [assume]"},
           {"arena_trust_gain", T::number, "share", "0.15", 0, 1, "a co-creation arena closes this share of the gap between trust and 1 [assume]"},
           {"trust_decay_per_year", T::number, "share per year", "0.2", 0, 1, "trust lost in a year without meetings [assume]"},
           {"trust_cost_cut", T::number, "share", "0.3", 0, 1, "kitchens' ordering hours x (1 - this x trust) [assume]"},
           {"trust_entry_cut", T::number, "share", "0.3", 0, 1, "farms' entry cost x (1 - this x trust) [assume]"},
           {"visit_backing_gain", T::number, "0-1", "0.01", 0, 1, "backing gained from a children's farm visit, x (1 - backing) [assume]"},
       },
       {}},
      {"procurement", "National procurement rules (FOA) and framework-tender requirements.",
       {
           {"direct_limit_nok", T::number, "NOK", "100000", 0, 1e9, "below this a purchase is outside the procurement rules; similar purchases add up over the agreement period [src FOA]"},
           {"direct_limit_new_nok", T::number, "NOK", "500000", 0, 1e9, "the raised lower limit [src: 2026 amendment]"},
           {"direct_limit_change", T::date, "date", "\"2026-07-01\"", 0, 0, "the raised limit applies from this date [src]"},
           {"season_norwegian_share_min", T::number, "share", "0.8", 0, 1, "season_requirement: the wholesaler's Norwegian share of in-season produce is at least this [assume]"},
           {"season_regional_factor", T::number, "factor", "2", 1, 100, "season_requirement: the wholesaler's regional share is multiplied by this in season [assume]"},
           {"simple_competition_limit_nok", T::number, "NOK per year", "1300000", 0, 1e10, "simple_competition: contracts stay below the national threshold [src: NOK 1.3 million]"},
           {"competition_admin_hours", T::number, "hours", "40", 0, 10000, "the municipality's hours to run one competition or lot tender [assume]"},
           {"bid_cost_hours", T::number, "hours", "16", 0, 1000, "a farm's hours to write one bid [assume]"},
           {"weight_price", T::number, "weight", "0.5", 0, 1, "lots: award weight of price (weights sum to 1)"},
           {"weight_quality", T::number, "weight", "0.2", 0, 1, "lots: award weight of quality (organic share)"},
           {"weight_environment", T::number, "weight", "0.3", 0.3, 1, "lots: award weight of environment (transport CO2e, season) [src FOA §7-9: at least 0.30 from 2024]"},
           {"lot_min_coverage", T::number, "share", "0.8", 0, 1, "lots: a bid must be able to cover this share of the lot's volume [assume]"},
           {"group_bids", T::boolean, "-", "true", 0, 0, "lots: farms too small alone may bid as a group"},
           {"penalty_nok_per_kg", T::number, "NOK/kg", "5", 0, 1000, "lots: penalty per kg a winner fails to deliver [assume]"},
           {"call_off_lead_weeks", T::integer, "weeks", "2", 2, 12, "dynamic_purchasing: call-offs go this far ahead (at least 10 days to bid: 2 weeks) [src FOA §§26-4-26-7]"},
       },
       {}},
      {"network", "A learning network of municipalities: members see each other's results once a year and copy the framework exception where it works (MODEL.md §3).",
       {
           {"enabled", T::boolean, "-", "false", 0, 0, "the network exists"},
           {"members", T::string_list, "municipality ids", "[]", 0, 0, "member municipalities (empty: all); a member adopts only if its hub section is enabled"},
           {"imitation_per_year", T::number, "probability per year", "0.6", 0, 1, "chance a year of adopting, x the share of members whose scheme works [assume]"},
           {"spontaneous_per_year", T::number, "probability per year", "0.02", 0, 1, "chance a year of adopting without peers (members and non-members with a hub section) [assume]"},
           {"success_share", T::number, "share", "0.5", 0, 10, "a peer's scheme works when its local share reaches this x its target [assume]"},
           {"cycle_years", T::integer, "years", "1", 0, 10, "years from the decision to the change (mapping -> mobilisation -> change)"},
       },
       {}},
      {"wholesaler", "The framework-agreement wholesaler.",
       {
           {"name", T::string, "text", "\"framework wholesaler\"", 0, 0, "name shown in outputs"},
           {"price_index_per_year", T::number, "share per year", "0.03", -0.2, 0.5, "yearly indexation of all prices [assume]"},
           {"short_notice_premium", T::number, "share", "0.15", 0, 2, "extra cost of short-notice fallback orders [assume]"},
           {"warehouse_distance_km", T::number, "km", "100", 0, 3000, "road km from the warehouse to the municipalities [assume]"},
           {"contract_start", T::date, "date", "\"2022-01-01\"", 0, 0, "start of the framework agreement in force"},
           {"contract_base_years", T::integer, "years", "2", 1, 4, "base term; 2+1+1 years, 4 at most [src FOA]"},
           {"contract_extensions", T::integer, "years", "2", 0, 3, "one-year extensions; base + extensions <= 4 [src FOA]"},
       },
       {}},
      {"categories.<name>", "A food category. Eight are built in (see below); a scenario may change them, add its own, or switch one off.",
       {
           {"enabled", T::boolean, "-", "true", 0, 0, "false removes the category from the run"},
           {"wholesale_price_nok_per_kg", T::number, "NOK/kg", "30", 0, 10000, "framework price list at the start [assume, set per scenario]"},
           {"farm_cost_nok_per_kg", T::number, "NOK/kg", "20", 0, 10000, "a local farm's unit cost [assume]"},
           {"outside_price_nok_per_kg", T::number, "NOK/kg", "18", 0, 10000, "what a farm gets in its other markets [assume]"},
           {"yield_kg_per_daa", T::number, "kg/daa per season", "1000", 0, 100000, "harvest per decare and season"},
           {"shelf_life_weeks", T::number, "weeks", "1", 0.1, 104, "how long it keeps; storable crops sell out of store over this time"},
           {"storable", T::boolean, "-", "false", 0, 0, "kept in farm storage after harvest"},
           {"storage_loss_per_week", T::number, "share per week", "0.01", 0, 1, "share of stored kg lost each week [assume]"},
           {"menu_group", T::string, "name", "\"\"", 0, 0, "categories a flexible menu may substitute within (\"\" = none)"},
           {"year_round", T::boolean, "-", "false", 0, 0, "harvest spread evenly over the year (eggs, dairy, meat)"},
           {"harvest_start_week", T::integer, "ISO week", "24", 1, 52, "first week of the local harvest season [src: fresh produce weeks 24-42]"},
           {"harvest_end_week", T::integer, "ISO week", "42", 1, 52, "last week of the local harvest season (may wrap past new year)"},
           {"harvest_weights", T::number_list, "weights", "", 0, kInf, "optional: 52 weekly weights of the harvest, replacing the season hump"},
           {"wholesaler_norwegian_share", T::number, "share", "0.2", 0, 1, "wholesaler's Norwegian share out of season [src NIBIO 2022: ~20% F&V]"},
           {"wholesaler_norwegian_share_in_season", T::number, "share", "0.4", 0, 1, "wholesaler's Norwegian share in the local season [assume]"},
           {"wholesaler_regional_share", T::number, "share", "0.02", 0, 1, "wholesaler's kg sourced within the region (counts as local) [assume]"},
           {"wholesaler_organic_share", T::number, "share", "0.03", 0, 1, "organic share of the wholesaler's kg [assume]"},
           {"co2e_van_kg_per_tkm", T::number, "kg CO2e per tonne-km", "0.8", 0, 100, "local delivery van [assume]"},
           {"co2e_truck_kg_per_tkm", T::number, "kg CO2e per tonne-km", "0.1", 0, 100, "wholesaler's trucks [assume]"},
           {"upstream_km", T::number, "km", "500", 0, 20000, "mean road km from origin to the wholesaler's warehouse [assume]"},
       },
       {}},
      {"buyer_types.<type>", "Defaults per kitchen type: kindergarten, sfo, school, nursing_home, day_centre_canteen, central_kitchen.",
       {
           {"service_days_per_week", T::number, "days", "5", 0, 7, "days with meals in an open week"},
           {"closed_weeks", T::integer_list, "ISO weeks", "[]", 1, 53, "weeks with no service (holidays)"},
           {"budget_nok_per_eater_day", T::number, "NOK per eater-day", "20", 0, 10000, "food budget per eater and service day"},
           {"waste_g_per_eater_day", T::number, "g per eater-day", "60", 0, 5000, "kitchen and plate waste, bought and thrown away [src: 488 -> 225 g in one nursing home]"},
           {"local_preference", T::number, "0-1", "0.6", 0, 1, "wish to buy local when the rules allow [assume]"},
           {"price_sensitivity", T::number, "-", "2", 0, 50, "local ordering x exp(-this x relative premium) [assume]"},
           {"menu_flexibility", T::number, "0-1", "0.2", 0, 1, "share of a menu group's demand that can follow local plenty [assume]"},
           {"hours_per_supplier_relation", T::number, "hours per week", "0.5", 0, 40, "ordering hours per supplier relation [assume]"},
           {"demand_kg_per_eater_day", T::category_table, "kg per eater-day", "{}", 0, 10, "food eaten per eater and service day, by category"},
       },
       {}},
      {"municipalities.<id>", "A municipality, its rules and instruments.",
       {
           {"name", T::string, "text", "", 0, 0, "display name (default: the table's id)"},
           {"number", T::string, "text", "\"\"", 0, 0, "SSB municipality number, e.g. \"3901\""},
           {"centre_km", T::point, "[km, km]", "[0.0, 0.0]", -kInf, kInf, "centre in the scenario's planar coordinates"},
           {"area_km2", T::number, "km2", "100", 0.01, 100000, "area; generated positions fall within a disc of this area"},
           {"population", T::integer, "inhabitants", "0", 0, 1e8, "inhabitants (weights backing in totals)"},
           {"rules", T::string_list, "rule names", "[\"framework_only\"]", 0, 0, "procurement rules in force: framework_only, framework_exception, direct_purchase, simple_competition, lots, dynamic_purchasing, season_requirement, quota_mandate (not lawful: counterfactual)"},
           {"exception_buyer_types", T::string_list, "buyer types", "[\"kindergarten\", \"sfo\"]", 0, 0, "kitchen types the framework exception covers"},
           {"exception_categories", T::string_list, "categories", "", 0, 0, "categories the exception covers (default: all)"},
           {"exception_cap_share", T::number, "share", "1", 0, 1, "most a unit may buy locally, as a share of its food spend (an instrument the adaptive mode may raise)"},
           {"direct_buyer_types", T::string_list, "buyer types", "[]", 0, 0, "kitchen types that buy directly from farms under direct_purchase"},
       },
       {"policy", "hub", "day_centre"}},
      {"municipalities.<id>.policy", "Policy support: political backing and its dynamics.",
       {
           {"backing_initial", T::number, "0-1", "0.5", 0, 1, "political backing at the start [assume]"},
           {"backing_min_exception", T::number, "0-1", "0.3", 0, 1, "backing needed to keep the framework exception open [assume]"},
           {"withdrawal_level", T::number, "0-1", "0.25", 0, 1, "below it at a budget year (ISO week 1) instruments are withdrawn [assume]"},
           {"reinstate_level", T::number, "0-1", "0.6", 0, 1, "at or above it at a budget year withdrawn instruments return [assume]"},
           {"local_share_target", T::number, "share", "0.15", 0.001, 1, "target local share by value in the units and categories the exception covers [assume]"},
           {"result_weight_per_year", T::number, "per year", "0.3", 0, 10, "backing change per year per unit of (share/target - 1) [assume]"},
           {"cost_weight_per_year", T::number, "per year", "0.5", 0, 10, "backing loss per year per unit of premium over the premium budget [assume]"},
           {"failure_weight_per_year", T::number, "per year", "0.3", 0, 10, "backing loss per year per unit of failed-delivery rate [assume]"},
           {"noise_sd_per_year", T::number, "sd per year", "0.05", 0, 1, "random drift of backing [assume]"},
           {"first_election", T::date, "date", "\"2027-09-13\"", 0, 0, "first municipal election in the run [src: September 2027]"},
           {"election_interval_years", T::integer, "years", "4", 0, 20, "years between elections (0 = none)"},
           {"election_sd", T::number, "sd", "0.15", 0, 1, "sd of the backing shift at an election [assume]"},
           {"premium_budget_nok_per_year", T::number, "NOK per year", "0", 0, 1e10, "money for local premiums and incentives; 0 = no separate budget, no cost signal"},
           {"local_incentive_nok_per_kg", T::number, "NOK/kg", "0", 0, 1000, "incentive paid to units per kg bought locally (a per-meal incentive expressed per kg)"},
           {"integrated", T::boolean, "-", "true", 0, 0, "the scheme is part of ordinary operations; false: a project with an end date"},
           {"project_end", T::date, "date", "\"2100-01-01\"", 0, 0, "a project's funding ends here"},
           {"project_continue_level", T::number, "0-1", "0.75", 0, 1, "a project at its end continues (and is integrated) with backing at least this [assume]"},
           {"supplier_development_events_per_year", T::integer, "events per year", "0", 0, 52, "supplier development events: outreach to farms and a cut in their entry cost"},
           {"entry_cost_cut", T::number, "share", "0.3", 0, 1, "share of farms' entry cost removed by supplier development [assume]"},
           {"outreach_awareness", T::number, "probability", "0.3", 0, 1, "chance per event that an unaware farm learns of the channel [assume]"},
           {"sectors", T::string_list, "sector names", "[\"procurement\"]", 0, 0, "sectors working together: procurement, kindergartens, sfo, nursing, day_centre, agriculture, business"},
           {"sector_coordination_cut", T::number, "share", "0.3", 0, 1, "coordination hours saved with all seven sectors involved [assume]"},
           {"adaptive", T::boolean, "-", "false", 0, 0, "learning along the way: instruments steered yearly toward the target within the budget"},
           {"adaptive_step", T::number, "share", "0.1", 0, 1, "size of a yearly adjustment (cap share +step, incentive +10 x step NOK/kg, one more event)"},
           {"quota_share", T::number, "share", "0.3", 0, 1, "quota_mandate: minimum local share of food spend [src: PNAE 30%]"},
           {"trust_initial", T::number, "0-1", "0", 0, 1, "trust among farmers, kitchens, day centre and politicians at the start"},
           {"arenas_per_year", T::integer, "meetings per year", "0", 0, 52, "co-creation arenas (samskapingsarenaer); each raises trust"},
           {"farm_visits_per_year", T::integer, "visits per year", "0", 0, 52, "children's farm visits: visible results that raise backing"},
           {"champions", T::integer, "units", "0", 0, 100000, "kitchen units with a champion (ildsjel), spread evenly over the units"},
           {"champion_strength", T::number, "0-1", "0.2", 0, 1, "a champion raises its unit's local preference by this [assume]"},
           {"champion_spillover", T::number, "share", "0.5", 0, 1, "units within champion_radius_km gain this x strength [assume]"},
           {"champion_radius_km", T::number, "km", "3", 0, 1000, "reach of a champion's influence [assume]"},
           {"volunteers", T::integer, "persons", "0", 0, 100000, "volunteers who add logistics capacity at the hub"},
           {"volunteer_hours_per_week", T::number, "hours per week", "2", 0, 60, "hours each volunteer gives [assume]"},
       },
       {}},
      {"municipalities.<id>.hub", "The local channel's logistics: platform, pick-up, packing, delivery.",
       {
           {"enabled", T::boolean, "-", "false", 0, 0, "a hub/platform runs in this municipality"},
           {"position_km", T::point, "[km, km]", "", -kInf, kInf, "hub site (default: the municipality's centre)"},
           {"coordinator_hours_per_week", T::number, "hours per week", "15", 0, 400, "coordinator staff hours funded by the policy layer [assume]"},
           {"coordinator_wage_nok_per_hour", T::number, "NOK/hour", "550", 0, 10000, "staff cost per hour incl. social costs [assume]"},
           {"fee_nok_per_kg", T::number, "NOK/kg", "2", 0, 1000, "fee buyers pay per kg handled [assume]"},
           {"fixed_cost_nok_per_week", T::number, "NOK per week", "1500", 0, 1e7, "rent, vehicle lease, platform licence [assume]"},
           {"vehicle_capacity_kg", T::number, "kg per trip", "400", 0, 1e6, "load of the delivery vehicle [assume]"},
           {"delivery_days_per_week", T::number, "days", "2", 0, 7, "fixed delivery days [src: Horten delivers on fixed days]"},
           {"trips_per_delivery_day", T::number, "trips", "2", 0, 50, "vehicle trips on a delivery day [assume]"},
           {"van_km_cost_nok", T::number, "NOK/km", "4", 0, 1000, "running cost per vehicle km [assume]"},
           {"courier_kg_per_week", T::number, "kg per week", "0", 0, 1e7, "an external courier's capacity, instead of or beside the day centre"},
           {"courier_nok_per_kg", T::number, "NOK/kg", "3", 0, 1000, "what the courier charges [assume]"},
       },
       {}},
      {"municipalities.<id>.day_centre", "Day-centre participants who pick, pack and deliver.",
       {
           {"participants", T::integer, "persons", "0", 0, 100000, "participants on food tasks [assume: ~6 in Horten]"},
           {"open_days_per_week", T::number, "days", "4.5", 0, 7, "days open [src: ~4.5 days a week]"},
           {"hours_per_day", T::number, "hours", "4", 0, 5, "hours a participant can work on a day present (<= 5) [src]"},
           {"attendance_min", T::number, "probability", "0.6", 0, 1, "attendance per day, lowest participant [src: 0.6-0.95]"},
           {"attendance_max", T::number, "probability", "0.95", 0, 1, "attendance per day, highest participant [src: 0.6-0.95]"},
           {"skill_initial_min", T::number, "0-1", "0.1", 0, 1, "initial skill, lowest [assume]"},
           {"skill_initial_max", T::number, "0-1", "0.4", 0, 1, "initial skill, highest [assume]"},
           {"productivity_kg_per_hour", T::number, "kg per hour", "40", 0.1, 10000, "kg handled per worker-hour at skill 0.5 [assume]"},
           {"skill_productivity_gain", T::number, "-", "0.5", 0, 1.9, "productivity x (1 + gain x (skill - 0.5)) [assume]"},
           {"learning_per_hour", T::number, "per hour", "0.01", 0, 1, "skill gain per hour worked, x (1 - skill) [assume]"},
           {"skill_decay_per_idle_week", T::number, "share per week", "0.02", 0, 1, "skill lost in a week without work [assume]"},
           {"hours_per_stop", T::number, "hours", "0.75", 0.01, 40, "hours of work per farm or kitchen met (contacts) [assume]"},
           {"waiting_list", T::integer, "persons", "0", 0, 100000, "people waiting for a place; they fill places freed by moves"},
           {"vta_per_year", T::number, "probability per year", "0.05", 0, 1, "chance of moving to adapted work (VTA) at skill 1, x skill [assume]"},
           {"work_per_year", T::number, "probability per year", "0.02", 0, 1, "chance of moving to ordinary work at skill 1, x skill^2 [assume]"},
           {"dropout_per_year", T::number, "probability per year", "0.05", 0, 1, "chance of dropping out for someone without work that week [assume]"},
       },
       {}},
      {"producers.<id>", "A farm, or a group of `count` alike farms.",
       {
           {"municipality", T::string, "municipality id", "", 0, 0, "home municipality (required)"},
           {"count", T::integer, "farms", "1", 1, 1e6, "number of alike farms this entry makes"},
           {"name", T::string, "text", "", 0, 0, "display name (default: the table's id)"},
           {"position_km", T::point, "[km, km]", "", -kInf, kInf, "position; default generated within the municipality from run.layout_seed"},
           {"organic", T::boolean, "-", "false", 0, 0, "certified organic"},
           {"reliability", T::number, "probability", "0.9", 0, 1, "probability an accepted order is delivered in full [src MODEL: 0.9]"},
           {"margin", T::number, "share", "0.25", -0.5, 5, "asking price = unit cost x (1 + margin) [assume]"},
           {"price_noise_sd", T::number, "share", "0.03", 0, 1, "relative sd of the weekly asking price [assume]"},
           {"admin_hours_per_week", T::number, "hours per week", "1", 0, 80, "hours spent on municipal sales [assume]"},
           {"offer_share_initial", T::number, "share", "0.3", 0, 1, "share of available kg offered to the local channel at the start [assume]"},
           {"delivery_radius_km", T::number, "km", "30", 0, 2000, "serves hubs within this road distance (and always its home hub)"},
           {"active", T::boolean, "-", "true", 0, 0, "active in the municipal channel at the start"},
           {"aware", T::boolean, "-", "false", 0, 0, "if not active: already knows of the channel at the start"},
           {"entry_cost_hours", T::number, "hours", "40", 0, 10000, "food-safety paperwork, platform registration, bids [assume]"},
           {"entry_cost_nok", T::number, "NOK", "3000", 0, 1e8, "fees and equipment to join [assume]"},
           {"growth_per_year", T::number, "share", "0.1", 0, 1, "area growth after a season of demand above capacity, bounded [assume]"},
           {"exit_income_floor_nok", T::number, "NOK per season", "0", 0, 1e9, "leaves after two seasons with municipal income below this (0 = off)"},
           {"area_daa", T::category_table, "daa", "{}", 0, 1e6, "decares grown, by category"},
       },
       {}},
      {"buyers.<id>", "A kitchen unit, or a group of `count` alike units.",
       {
           {"type", T::string, "buyer type", "", 0, 0, "kindergarten, sfo, school, nursing_home, day_centre_canteen or central_kitchen (required)"},
           {"municipality", T::string, "municipality id", "", 0, 0, "municipality (required)"},
           {"count", T::integer, "units", "1", 1, 1e6, "number of units this entry makes"},
           {"eaters", T::integer, "persons per unit", "", 0, 1e6, "children or residents per unit (give this or eaters_total)"},
           {"eaters_total", T::integer, "persons", "", 0, 1e8, "children or residents over all units, split evenly"},
           {"position_km", T::point, "[km, km]", "", -kInf, kInf, "position; default generated within the municipality"},
           {"local_preference", T::number, "0-1", "", 0, 1, "overrides the type's local preference"},
       },
       {}},
  };
}
}  // namespace

const std::vector<SectionSpec>& sections() {
  static const std::vector<SectionSpec> s = [] {
    std::vector<SectionSpec> all = make_sections();
    for (auto& r : region_sections()) all.push_back(std::move(r));
    return all;
  }();
  return s;
}

const SectionSpec& section(std::string_view path) {
  for (const auto& s : sections())
    if (s.path == path) return s;
  throw std::logic_error(fmt::format("no schema section '{}'", path));
}

const KeySpec& key(const SectionSpec& s, std::string_view name) {
  for (const auto& k : s.keys)
    if (k.name == name) return k;
  throw std::logic_error(fmt::format("no schema key '{}' in '{}'", name, s.path));
}

std::string_view type_name(KeyType t) {
  switch (t) {
    case KeyType::number: return "number";
    case KeyType::integer: return "integer";
    case KeyType::boolean: return "boolean";
    case KeyType::string: return "string";
    case KeyType::date: return "date";
    case KeyType::point: return "[x, y]";
    case KeyType::number_list: return "list of numbers";
    case KeyType::integer_list: return "list of integers";
    case KeyType::string_list: return "list of strings";
    case KeyType::category_table: return "table by category";
  }
  return "?";
}

}  // namespace lokalmat::schema

namespace lokalmat {

std::string section_markdown(const schema::SectionSpec& s) {
  std::string out = fmt::format("### `{}`\n\n{}\n\n| key | type | unit | default | range | meaning |\n|---|---|---|---|---|---|\n",
                                s.path, s.doc);
  for (const auto& k : s.keys) {
    std::string range = "-";
    if (k.type == schema::KeyType::number || k.type == schema::KeyType::integer ||
        k.type == schema::KeyType::number_list || k.type == schema::KeyType::integer_list ||
        k.type == schema::KeyType::category_table) {
      auto num = [](double x) {
        if (x == std::numeric_limits<double>::infinity()) return std::string("inf");
        if (x == -std::numeric_limits<double>::infinity()) return std::string("-inf");
        return fmt::format("{:g}", x);
      };
      range = num(k.lo) + " to " + num(k.hi);
    }
    std::string def = k.default_toml.empty() ? "—" : fmt::format("`{}`", k.default_toml);
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", k.name, schema::type_name(k.type), k.unit, def, range,
                       k.doc);
  }
  return out + "\n";
}

std::string scenario_keys_markdown() {
  std::string out;
  for (const auto& s : schema::sections()) out += section_markdown(s);
  return out;
}

std::vector<std::string> scenario_key_paths() {
  std::vector<std::string> out;
  for (const auto& s : schema::sections())
    for (const auto& k : s.keys)
      out.push_back(s.path == "(top level)" ? std::string(k.name) : fmt::format("{}.{}", s.path, k.name));
  return out;
}

std::optional<KeyInfo> scenario_key_info(std::string_view path) {
  auto split = [](std::string_view s) {
    std::vector<std::string_view> parts;
    for (std::size_t dot; (dot = s.find('.')) != std::string_view::npos; s.remove_prefix(dot + 1))
      parts.push_back(s.substr(0, dot));
    parts.push_back(s);
    return parts;
  };
  const auto parts = split(path);
  for (const auto& s : schema::sections()) {
    // the section's segments, "<...>" matching any name
    const auto sec = s.path == "(top level)" ? std::vector<std::string_view>{} : split(s.path);
    if (parts.size() < sec.size() + 1) continue;
    bool match = true;
    for (std::size_t i = 0; i < sec.size() && match; ++i)
      match = sec[i].starts_with('<') || sec[i] == parts[i];
    if (!match) continue;
    for (const auto& k : s.keys) {
      if (k.name != parts[sec.size()]) continue;
      const std::size_t extra = parts.size() - sec.size() - 1;
      // a table by category takes one more segment, the category
      if (extra > (k.type == schema::KeyType::category_table ? 1U : 0U)) continue;
      KeyInfo info;
      info.pattern = s.path == "(top level)" ? std::string(k.name) : fmt::format("{}.{}", s.path, k.name);
      if (extra == 1) info.pattern += ".<category>";
      info.unit = std::string(k.unit);
      info.integer = k.type == schema::KeyType::integer;
      info.numeric = info.integer || k.type == schema::KeyType::number ||
                     (k.type == schema::KeyType::category_table && extra == 1);
      info.lo = k.lo;
      info.hi = k.hi;
      return info;
    }
  }
  return std::nullopt;
}

}  // namespace lokalmat
