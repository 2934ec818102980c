#pragma once
// Params: everything a run reads and never writes. One Params can serve a whole
// ensemble of seeds; policy agents change State (instruments in force), never
// Params. Every field is set from a scenario file (see sim/scenario.h). A key's
// default, unit and allowed range live only in its schema row (sim/schema/), which
// names the field it fills: each struct's constructor applies its section's rows,
// so a default-constructed struct is the schema's defaults. The fields below
// carry no default of their own; those with an initializer are keys the schema
// gives no default (required, or derived by the loader) or no key at all.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/calendar.h"
#include "sim/rules/rule.h"

namespace lokalmat {

inline constexpr int kWeeksPerYear = 52;

// Resource limits of one scenario (README "Limits"): every weekly loop is linear in farms and
// kitchen units, and a municipality at these limits runs a year in seconds on one core.
// Norway's largest municipality has a few hundred farm holdings and kitchen units.
inline constexpr int kMaxFarmsPerMunicipality = 20000;
inline constexpr int kMaxUnitsPerMunicipality = 5000;

// municipal kitchen types (MODEL.md §3 "Municipal buyer")
enum class BuyerType : std::uint8_t { kindergarten, sfo, school, nursing_home, day_centre_canteen, central_kitchen };
inline constexpr int kBuyerTypes = 6;
inline constexpr std::array<std::string_view, kBuyerTypes> kBuyerTypeNames = {
    "kindergarten", "sfo", "school", "nursing_home", "day_centre_canteen", "central_kitchen"};

// kinds of local market a municipality can run
enum class MarketKind : std::uint8_t {
  platform,  // shared ordering platform; the hub (day centre) picks up, packs and delivers
  direct,    // units buy directly from farms; each farm delivers itself
};

// how a food category reaches kitchens from local farms (categories.<name>.local_route)
enum class LocalRoute : std::uint8_t {
  farm,       // bought as the farm harvests it (vegetables, potatoes, fruit, eggs)
  processor,  // through a local processor (a mill): yield, cost per kg and weekly capacity
  none,       // not bought locally: farms in the channel do not offer it
};
inline constexpr std::array<std::string_view, 3> kLocalRouteNames = {"farm", "processor", "none"};

struct Point {
  double x_km = 0;
  double y_km = 0;
};

struct CategoryParams {
  CategoryParams();  // the schema's defaults (sim/schema/params_rows.cpp)
  std::string name;
  double wholesale_price_nok_per_kg;        // framework price list at the start
  double farm_cost_nok_per_kg;              // a local farm's unit cost, per kg of its produce
  double outside_price_nok_per_kg;          // farm-gate price in the farm's other markets, per kg of its produce
  double yield_kg_per_daa;                  // harvest per season on one decare, kg of the farm's produce
  LocalRoute local_route = LocalRoute::farm;  // read by a named step of the loader (local_route)
  double processing_yield;                  // processor: kg of the product as bought per kg of farm produce
  double processing_cost_nok_per_kg;        // processor: its cost and margin per kg of the product
  double processing_capacity_kg_per_week;   // processor: kg of the product a week, per municipal market
  double shelf_life_weeks;                  // perishables <= 2; storable crops longer
  bool storable;                            // kept in farm storage after harvest
  double storage_loss_per_week;             // share of stored kg lost each week
  std::string menu_group;                   // categories a flexible menu may substitute within
  std::array<double, kWeeksPerYear> harvest_weight;  // share of the season's harvest in ISO week i+1; sums to 1
                                                      // (from year_round, harvest_*_week, harvest_weights)
  double wholesaler_norwegian_share;        // share of the wholesaler's kg grown in Norway, out of season
  double wholesaler_norwegian_share_in_season;      // the same in local harvest season
  double norwegian_price_premium;           // a Norwegian kg over an imported one in the wholesaler's price, share of the list price
  double wholesaler_regional_share;         // share of the wholesaler's kg sourced within the region
  double wholesaler_organic_share;          // organic share of the wholesaler's kg
  double co2e_van_kg_per_tkm;               // local delivery van, kg CO2e per tonne-km
  double co2e_truck_kg_per_tkm;             // wholesaler's trucks, kg CO2e per tonne-km
  double upstream_km;                       // mean road km from origin to the wholesaler's warehouse
};

struct BuyerTypeParams {
  BuyerTypeParams();  // the schema's defaults (sim/schema/params_rows.cpp)
  double service_days_per_week;             // days with meals in an open week
  std::vector<int> closed_weeks;            // ISO weeks with no service
  std::vector<double> demand_kg_per_eater_day;  // [category] food eaten per eater and service day, kg
  double budget_nok_per_eater_day;          // food budget per eater and service day, NOK
  double waste_g_per_eater_day;             // plate and kitchen waste, g per eater and service day
  double local_preference;                  // 0..1 wish to buy local when allowed
  double price_sensitivity;                 // how fast the wish falls with the local price premium
  double menu_flexibility;                  // 0..1 share of demand that can follow local plenty
  double hours_per_supplier_relation;       // ordering admin hours per supplier relation and week
};

struct HubParams {
  HubParams();  // the schema's defaults (sim/schema/municipality_rows.cpp)
  bool enabled;                             // a hub/platform runs in this municipality
  Point position;                           // the day centre / hub site
  double coordinator_hours_per_week;        // staff hours funded by the policy layer
  double coordinator_wage_nok_per_hour;     // staff cost per hour, NOK
  double fee_nok_per_kg;                    // fee buyers pay the hub per kg handled
  double fixed_cost_nok_per_week;           // rent, vehicle, platform licence
  double vehicle_capacity_kg;               // load per trip
  double delivery_days_per_week;            // fixed delivery days
  double trips_per_delivery_day;            // vehicle trips on a delivery day
  double van_km_cost_nok;                   // running cost per vehicle km, NOK
  double van_speed_km_per_hour;             // average speed on the delivery route, km/h
  double courier_kg_per_week;               // an external courier's weekly capacity (instead of or beside the day centre), kg
  double courier_nok_per_kg;                // what the courier charges, NOK/kg
  double budget_margin_share;               // the hub's budget above its planned fixed and coordinator cost, share
  double budget_nok_per_year;               // what the municipality budgets a year for the hub's running cost, NOK (at price index 1)
  // the planned running cost the default budget is set from: a year of the fixed cost and the
  // coordinator's hours at their wage, plus the margin (for the van, extra staff, a courier)
  double planned_budget_nok_per_year() const {
    return kWeeksPerYear * (fixed_cost_nok_per_week + coordinator_hours_per_week * coordinator_wage_nok_per_hour) *
           (1.0 + budget_margin_share);
  }
};

struct DayCentreParams {
  DayCentreParams();  // the schema's defaults (sim/schema/municipality_rows.cpp)
  int participants;                         // people on food tasks
  double open_days_per_week;                // days the centre is open
  double hours_per_day;                     // hours a participant can work on a day present (<= 5)
  double attendance_min;                    // attendance probability per day, lowest participant
  double attendance_max;                    // ... highest participant
  double skill_initial_min;                 // initial skill 0..1, lowest
  double skill_initial_max;                 // initial skill 0..1, highest
  double productivity_kg_per_hour;          // kg handled per worker-hour at skill 0.5
  double skill_productivity_gain;           // productivity x (1 + gain x (skill - 0.5))
  double learning_per_hour;                 // skill gain per hour worked, scaled by (1 - skill)
  double skill_decay_per_idle_week;         // share of skill lost in a week without work
  double hours_per_stop;                    // hours at a farm or kitchen stop: loading, handing over, a word
  double hours_per_order;                   // platform work per kitchen x category order in a week, hours
  double shift_hours_min;                   // a shift is at least this long (at most hours_per_day), hours
  int waiting_list;                         // people waiting for a place; they fill places freed by moves
  double vta_per_year;                      // yearly chance of moving to adapted work (VTA) at skill 1
  double work_per_year;                     // yearly chance of moving to ordinary work at skill 1
  double dropout_per_year;                  // yearly chance of dropping out for someone without work
};

struct PolicyParams {
  PolicyParams();  // the schema's defaults (sim/schema/municipality_rows.cpp)
  double backing_initial;                   // political backing 0..1 at the start
  double backing_min_exception;             // backing needed to keep the framework exception open
  double withdrawal_level;                  // below this at a budget year, instruments are withdrawn
  double reinstate_level;                   // at or above this at a budget year, withdrawn instruments return
  double local_share_target;                // target local share by value in the allowed units
  double organic_share_target;              // goal for organic food in kindergartens and SFO, share by kg (an output's yardstick)
  double result_weight_per_year;            // backing change per year per unit of (share/target - 1)
  double cost_weight_per_year;              // backing loss per year per unit of premium over budget
  double failure_weight_per_year;           // backing loss per year per unit of failed-delivery rate
  double noise_sd_per_year;                 // random drift of backing, sd per year
  Date first_election;                      // first municipal election in the run
  int election_interval_years;              // years between elections
  double election_sd;                       // sd of the backing shift at an election
  double premium_budget_nok_per_year;       // money for local premiums and incentives, NOK per year (sim/premium_budget.h)
  bool premium_budget_unlimited;            // no limit on premiums and incentives
  double local_incentive_nok_per_kg;        // paid to units per kg bought locally (a meal incentive per kg), NOK/kg
  bool integrated;                          // integrated in ordinary operations (false: a project)
  Date project_end;                         // a project's funding ends here
  double project_continue_level;            // a project at its end continues (and is integrated) at this backing
  double project_grant_share;               // share of the hub's running cost a running project's external funding pays
  int supplier_development_events_per_year;      // supplier development events (outreach, courses)
  double entry_cost_cut;                    // share of farms' entry cost removed by supplier development
  double outreach_awareness;                // chance per event that an unaware farm in reach learns of the channel
  int sectors_involved;                     // from the sectors key: sectors working together (procurement, kindergartens, SFO, nursing, day centre, agriculture, business)
  double sector_coordination_cut;           // coordination hours saved with all 7 sectors involved
  bool adaptive;                            // steer instruments yearly toward the target within the budget
  double adaptive_step;                     // step of each yearly adjustment
  double quota_share;                       // quota_mandate: minimum local share of food spend
  // collaboration and learning (MODEL.md §3)
  double trust_initial;                     // trust among farmers, kitchens, day centre and politicians, 0..1
  int arenas_per_year;                      // co-creation arenas (samskapingsarenaer) a year
  int farm_visits_per_year;                 // children's farm visits a year (visible results)
  int champions;                            // kitchen units with a champion (ildsjel)
  double champion_strength;                 // a champion raises its unit's local preference by this
  double champion_spillover;                // ... and units within champion_radius_km by this x strength
  double champion_radius_km;                // reach of a champion's influence
  int volunteers;                           // volunteers helping the hub
  double volunteer_hours_per_week;          // hours each volunteer gives a week
};

struct MunicipalityParams {
  MunicipalityParams();  // the schema's defaults (sim/schema/municipality_rows.cpp)
  std::string name;
  std::string number;                       // SSB municipality number, e.g. "3901"
  Point centre;
  double area_km2;
  int population;
  std::vector<Rule> rules;                  // procurement rules in force at the start
  std::vector<BuyerType> exception_buyer_types;  // who may use the framework exception
  std::vector<int> exception_categories;    // category indices allowed through the exception
  double exception_cap_share;               // max share of a unit's food spend bought locally
  std::vector<BuyerType> direct_buyer_types;  // who may buy directly from farms (direct_purchase)
  PolicyParams policy;
  HubParams hub;
  DayCentreParams day_centre;
};

struct ProducerParams {
  ProducerParams();  // the schema's defaults (sim/schema/agent_rows.cpp)
  std::string name;
  int municipality = 0;                     // home municipality index (required: no default)
  Point position;
  std::vector<double> area_daa;             // [category] decares grown
  bool organic;
  double reliability;                       // probability an accepted order is delivered in full
  double margin;                            // asking price = cost x (1 + margin)
  double price_noise_sd;                    // relative sd of the weekly asking price
  double admin_hours_per_week;              // hours spent on municipal sales in an active week
  double offer_share_initial;               // share of available kg offered to the local channel
  double delivery_radius_km;                // serves hubs within this road distance
  bool active;                              // active in the municipal channel at the start
  bool aware;                               // knows of the channel at the start (if not active)
  double entry_cost_hours;                  // food-safety paperwork, registration, bids, hours
  double entry_cost_nok;                    // fees and equipment to join, NOK
  double growth_per_year;                   // most the area may grow in a year, share
  double exit_income_floor_nok;             // leaves when a season's municipal income is below this (0 = off)
};

struct BuyerParams {
  BuyerParams();  // the schema's defaults (sim/schema/agent_rows.cpp)
  std::string name;
  BuyerType type = BuyerType::kindergarten;  // required: no default
  int municipality = 0;                     // municipality index (required: no default)
  Point position;
  int eaters = 0;                           // children or residents served (from eaters or eaters_total)
  double local_preference = 0;              // 0..1 (no default: from the type unless overridden)
};

struct WholesalerParams {
  WholesalerParams();  // the schema's defaults (sim/schema/params_rows.cpp)
  std::string name;
  double price_index_per_year;              // yearly indexation of the price list
  double short_notice_premium;              // extra cost share on fallback orders
  double warehouse_distance_km;             // road km from the warehouse to the municipality
  Date contract_start;                      // start of the current framework agreement
  int contract_base_years;                  // 2 + 1 + 1 years, 4 at most (FOA)
  int contract_extensions;
};

// behavioural constants shared by all agents (MODEL.md §3, Krejci et al.)
struct BehaviourParams {
  BehaviourParams();  // the schema's defaults (sim/schema/params_rows.cpp)
  double road_factor;                       // road km per straight-line km
  double satisfaction_initial;
  double satisfaction_full;                 // change after a full delivery
  double satisfaction_partial;              // ... after a partial one
  double satisfaction_none;                 // ... when nothing came
  double participation_threshold;           // above: always orders; below: with probability = satisfaction
  double full_delivery_tolerance;           // a delivery this close to the accepted order counts as full
  double fill_memory_weeks;                 // a unit's expected fill: exponential average of its order weeks, weight 1/this on the newest
  double offer_growth;                      // sold out: offer this much more next week
  double sellthrough_low;                   // below: fall back to weighted sell-through
  std::array<double, 3> sellthrough_weights;                 // last three cycles, newest first
  double offer_share_min;                   // an active farm always offers at least this share
  double outside_market_absorb;             // share of unsold perishables the outside market takes
  double budget_sensitivity;                // local ordering falls by this x relative overspend
  double organic_price_premium;             // organic farms ask this much more
  double farmer_hour_value_nok;             // what a farmer's hour is worth (entry and admin costs), NOK
  double neighbour_awareness_per_year;        // chance per year that an active neighbour makes a farm aware
  double neighbour_radius_km;               // farms this close count as neighbours
  double exit_sales_ratio;                  // leaves after two seasons selling below this share of its offers
  double growth_soldout_share;              // a product grows after a season sold out in at least this share of its offer weeks
  double growth_min_local_share;            // ... and if municipal channels took at least this share of its harvest
  double arena_trust_gain;                  // an arena closes this share of the gap between trust and 1
  double trust_decay_per_year;              // trust lost in a year without meetings, share
  double trust_cost_cut;                    // ordering hours x (1 - this x trust)
  double trust_entry_cut;                   // farms' entry cost x (1 - this x trust)
  double visit_backing_gain;                // backing gained from a farm visit
};

// a learning network of municipalities (MODEL.md §3): members see each other's results once a
// year and adopt the framework exception that worked for peers, after a mapping -> mobilisation
// -> change cycle
struct NetworkParams {
  NetworkParams();  // the schema's defaults (sim/schema/params_rows.cpp)
  bool enabled;
  std::vector<int> members;                 // municipality indices (all when the list is empty)
  double imitation_per_year;                // chance a year x share of members where the scheme works
  double spontaneous_per_year;              // chance a year of adopting without peers (members and others)
  double success_share;                     // a peer's scheme "works" when its share reaches this x its target
  int cycle_years;                          // years from the decision to the change (mapping, mobilisation)
};

// national procurement rules (FOA) and the framework tender's requirements
struct ProcurementParams {
  ProcurementParams();  // the schema's defaults (sim/schema/params_rows.cpp)
  double direct_limit_nok;                  // below it a purchase is outside the procurement rules
  double direct_limit_new_nok;              // the raised limit ...
  Date direct_limit_change;                 // ... from this date
  bool direct_limit_per_category;           // each category its own purchase (else all food bought directly is one)
  double season_norwegian_share_min;        // season_requirement: Norwegian share of in-season produce at least this
  double season_regional_factor;            // season_requirement: the regional share rises by this factor in season
  double simple_competition_limit_nok;            // national threshold: a simple competition stays below it, NOK a year
  double competition_admin_hours;           // the municipality's hours to run one competition or lot tender
  double bid_cost_hours;                    // a farm's hours to write one bid
  double weight_price;                      // award weights (most economically advantageous tender) ...
  double weight_quality;                    // ... quality (organic) ...
  double weight_environment;                // ... environment: transport emissions and season (FOA §7-9: >= 0.30)
  double lot_min_coverage;                  // a bid must be able to cover this share of a lot's volume
  bool group_bids;                          // farms too small alone may bid together
  double penalty_nok_per_kg;                // contract penalty per kg a winner failed to deliver
  int call_off_lead_weeks;                  // dynamic purchasing: at least 10 days to bid, so orders go two weeks ahead
};

struct Params {
  Params();  // the schema's defaults (sim/schema/params_rows.cpp)
  Date start;
  int weeks;                                // run length (from run.years or run.end_date)
  std::uint64_t seed;
  BehaviourParams behaviour;
  ProcurementParams procurement;
  NetworkParams network;
  WholesalerParams wholesaler;
  std::vector<CategoryParams> categories;
  std::vector<BuyerTypeParams> buyer_types;  // [kBuyerTypes]
  std::vector<MunicipalityParams> municipalities;
  std::vector<ProducerParams> producers;
  std::vector<BuyerParams> buyers;

  [[nodiscard]] int n_categories() const { return static_cast<int>(categories.size()); }
  [[nodiscard]] int n_municipalities() const { return static_cast<int>(municipalities.size()); }
};

[[nodiscard]] bool has_rule(const MunicipalityParams& m, Rule r);
[[nodiscard]] double road_km(const BehaviourParams& b, Point a, Point c);

}  // namespace lokalmat
