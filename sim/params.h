#pragma once
// Params: everything a run reads and never writes. One Params can serve a whole
// ensemble of seeds; policy agents change State (instruments in force), never
// Params. Every field is set from a scenario file (see sim/scenario.h); the
// defaults and allowed ranges live in the scenario schema, documented in
// scenarios/README.md.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/calendar.h"
#include "sim/rules/rule.h"

namespace lokalmat {

inline constexpr int kWeeksPerYear = 52;

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

struct Point {
  double x_km = 0;
  double y_km = 0;
};

struct CategoryParams {
  std::string name;
  double wholesale_price_nok_per_kg = 0;    // framework price list at the start
  double farm_cost_nok_per_kg = 0;          // a local farm's unit cost
  double outside_price_nok_per_kg = 0;      // farm-gate price in the farm's other markets
  double yield_kg_per_daa = 0;              // harvest per season on one decare
  double shelf_life_weeks = 1;              // perishables <= 2; storable crops longer
  bool storable = false;                    // kept in farm storage after harvest
  double storage_loss_per_week = 0;         // share of stored kg lost each week
  std::string menu_group;                   // categories a flexible menu may substitute within
  std::array<double, kWeeksPerYear> harvest_weight{};  // share of the season's harvest in ISO week i+1; sums to 1
  double wholesaler_norwegian_share = 0;    // share of the wholesaler's kg grown in Norway, out of season
  double wholesaler_norwegian_share_in_season = 0;  // the same in local harvest season
  double wholesaler_regional_share = 0;     // share of the wholesaler's kg sourced within the region
  double wholesaler_organic_share = 0;      // organic share of the wholesaler's kg
  double co2e_van_kg_per_tkm = 0;           // local delivery van, kg CO2e per tonne-km
  double co2e_truck_kg_per_tkm = 0;         // wholesaler's trucks, kg CO2e per tonne-km
  double upstream_km = 0;                   // mean road km from origin to the wholesaler's warehouse
};

struct BuyerTypeParams {
  double service_days_per_week = 5;         // days with meals in an open week
  std::vector<int> closed_weeks;            // ISO weeks with no service
  std::vector<double> demand_kg_per_eater_day;  // [category] food eaten per eater and service day, kg
  double budget_nok_per_eater_day = 0;      // food budget per eater and service day, NOK
  double waste_g_per_eater_day = 0;         // plate and kitchen waste, g per eater and service day
  double local_preference = 0;              // 0..1 wish to buy local when allowed
  double price_sensitivity = 0;             // how fast the wish falls with the local price premium
  double menu_flexibility = 0;              // 0..1 share of demand that can follow local plenty
  double hours_per_supplier_relation = 0;   // ordering admin hours per supplier relation and week
};

struct HubParams {
  bool enabled = false;                     // a hub/platform runs in this municipality
  Point position;                           // the day centre / hub site
  double coordinator_hours_per_week = 0;    // staff hours funded by the policy layer
  double coordinator_wage_nok_per_hour = 0; // staff cost per hour, NOK
  double fee_nok_per_kg = 0;                // fee buyers pay the hub per kg handled
  double fixed_cost_nok_per_week = 0;       // rent, vehicle, platform licence
  double vehicle_capacity_kg = 0;           // load per trip
  double delivery_days_per_week = 0;        // fixed delivery days
  double trips_per_delivery_day = 0;        // vehicle trips on a delivery day
  double van_km_cost_nok = 0;               // running cost per vehicle km, NOK
  double courier_kg_per_week = 0;           // an external courier's weekly capacity (instead of or beside the day centre), kg
  double courier_nok_per_kg = 0;            // what the courier charges, NOK/kg
};

struct DayCentreParams {
  int participants = 0;                     // people on food tasks
  double open_days_per_week = 4.5;          // days the centre is open
  double hours_per_day = 4;                 // hours a participant can work on a day present (<= 5)
  double attendance_min = 0.6;              // attendance probability per day, lowest participant
  double attendance_max = 0.95;             // ... highest participant
  double skill_initial_min = 0.1;           // initial skill 0..1, lowest
  double skill_initial_max = 0.4;           // initial skill 0..1, highest
  double productivity_kg_per_hour = 40;     // kg handled per worker-hour at skill 0.5
  double skill_productivity_gain = 0.5;     // productivity x (1 + gain x (skill - 0.5))
  double learning_per_hour = 0.01;          // skill gain per hour worked, scaled by (1 - skill)
  double skill_decay_per_idle_week = 0.02;  // share of skill lost in a week without work
  double hours_per_stop = 0.75;             // hours of work per farm or kitchen visited (contacts)
  int waiting_list = 0;                     // people waiting for a place; they fill places freed by moves
  double vta_per_year = 0.05;               // yearly chance of moving to adapted work (VTA) at skill 1
  double work_per_year = 0.02;              // yearly chance of moving to ordinary work at skill 1
  double dropout_per_year = 0.05;           // yearly chance of dropping out for someone without work
};

struct PolicyParams {
  double backing_initial = 0.5;             // political backing 0..1 at the start
  double backing_min_exception = 0.3;       // backing needed to keep the framework exception open
  double withdrawal_level = 0.25;           // below this at a budget year, instruments are withdrawn
  double reinstate_level = 0.6;             // at or above this at a budget year, withdrawn instruments return
  double local_share_target = 0.15;         // target local share by value in the allowed units
  double result_weight_per_year = 0.3;      // backing change per year per unit of (share/target - 1)
  double cost_weight_per_year = 0.5;        // backing loss per year per unit of premium over budget
  double failure_weight_per_year = 0.3;     // backing loss per year per unit of failed-delivery rate
  double noise_sd_per_year = 0.05;          // random drift of backing, sd per year
  Date first_election{2027, 9, 13};         // first municipal election in the run
  int election_interval_years = 4;          // years between elections
  double election_sd = 0.15;                // sd of the backing shift at an election
  double premium_budget_nok_per_year = 0;   // money for local premiums and incentives, NOK per year
  double local_incentive_nok_per_kg = 0;    // paid to units per kg bought locally (a meal incentive per kg), NOK/kg
  bool integrated = true;                   // integrated in ordinary operations (false: a project)
  Date project_end{2100, 1, 1};             // a project's funding ends here
  double project_continue_level = 0.75;     // a project at its end continues (and is integrated) at this backing
  int supplier_development_events_per_year = 0;  // supplier development events (outreach, courses)
  double entry_cost_cut = 0.3;              // share of farms' entry cost removed by supplier development
  double outreach_awareness = 0.3;          // chance per event that an unaware farm in reach learns of the channel
  int sectors_involved = 1;                 // sectors working together (procurement, kindergartens, SFO, nursing, day centre, agriculture, business)
  double sector_coordination_cut = 0.3;     // coordination hours saved with all 7 sectors involved
  bool adaptive = false;                    // steer instruments yearly toward the target within the budget
  double adaptive_step = 0.1;               // step of each yearly adjustment
  double quota_share = 0.3;                 // quota_mandate: minimum local share of food spend
  // collaboration and learning (MODEL.md §3)
  double trust_initial = 0;                 // trust among farmers, kitchens, day centre and politicians, 0..1
  int arenas_per_year = 0;                  // co-creation arenas (samskapingsarenaer) a year
  int farm_visits_per_year = 0;             // children's farm visits a year (visible results)
  int champions = 0;                        // kitchen units with a champion (ildsjel)
  double champion_strength = 0.2;           // a champion raises its unit's local preference by this
  double champion_spillover = 0.5;          // ... and units within champion_radius_km by this x strength
  double champion_radius_km = 3;            // reach of a champion's influence
  int volunteers = 0;                       // volunteers helping the hub
  double volunteer_hours_per_week = 2;      // hours each volunteer gives a week
};

struct MunicipalityParams {
  std::string name;
  std::string number;                       // SSB municipality number, e.g. "3901"
  Point centre;
  double area_km2 = 0;
  int population = 0;
  std::vector<Rule> rules;                  // procurement rules in force at the start
  std::vector<BuyerType> exception_buyer_types;  // who may use the framework exception
  std::vector<int> exception_categories;    // category indices allowed through the exception
  double exception_cap_share = 1;           // max share of a unit's food spend bought locally
  std::vector<BuyerType> direct_buyer_types;  // who may buy directly from farms (direct_purchase)
  PolicyParams policy;
  HubParams hub;
  DayCentreParams day_centre;
};

struct ProducerParams {
  std::string name;
  int municipality = 0;                     // home municipality index
  Point position;
  std::vector<double> area_daa;             // [category] decares grown
  bool organic = false;
  double reliability = 0.9;                 // probability an accepted order is delivered in full
  double margin = 0.25;                     // asking price = cost x (1 + margin)
  double price_noise_sd = 0.03;             // relative sd of the weekly asking price
  double admin_hours_per_week = 1;          // hours spent on municipal sales in an active week
  double offer_share_initial = 0.3;         // share of available kg offered to the local channel
  double delivery_radius_km = 30;           // serves hubs within this road distance
  bool active = true;                       // active in the municipal channel at the start
  bool aware = false;                       // knows of the channel at the start (if not active)
  double entry_cost_hours = 40;             // food-safety paperwork, registration, bids, hours
  double entry_cost_nok = 3000;             // fees and equipment to join, NOK
  double growth_per_year = 0.1;             // most the area may grow in a year, share
  double exit_income_floor_nok = 0;         // leaves when a season's municipal income is below this (0 = off)
};

struct BuyerParams {
  std::string name;
  BuyerType type = BuyerType::kindergarten;
  int municipality = 0;
  Point position;
  int eaters = 0;                           // children or residents served
  double local_preference = 0;              // 0..1 (from the type unless overridden)
};

struct WholesalerParams {
  std::string name = "framework wholesaler";
  double price_index_per_year = 0.03;       // yearly indexation of the price list
  double short_notice_premium = 0.15;       // extra cost share on fallback orders
  double warehouse_distance_km = 100;       // road km from the warehouse to the municipality
  Date contract_start{2022, 1, 1};          // start of the current framework agreement
  int contract_base_years = 2;              // 2 + 1 + 1 years, 4 at most (FOA)
  int contract_extensions = 2;
};

// behavioural constants shared by all agents (MODEL.md §3, Krejci et al.)
struct BehaviourParams {
  double road_factor = 1.3;                 // road km per straight-line km
  double satisfaction_initial = 0.8;
  double satisfaction_full = 0.01;          // change after a full delivery
  double satisfaction_partial = -0.01;      // ... after a partial one
  double satisfaction_none = -0.05;         // ... when nothing came
  double participation_threshold = 0.7;     // above: always orders; below: with probability = satisfaction
  double full_delivery_tolerance = 0;       // a delivery this close to the accepted order counts as full
  double offer_growth = 0.10;               // sold out: offer this much more next week
  double sellthrough_low = 0.5;             // below: fall back to weighted sell-through
  std::array<double, 3> sellthrough_weights{0.5, 0.3, 0.2};  // last three cycles, newest first
  double offer_share_min = 0.05;            // an active farm always offers at least this share
  double outside_market_absorb = 0.9;       // share of unsold perishables the outside market takes
  double budget_sensitivity = 2.0;          // local ordering falls by this x relative overspend
  double organic_price_premium = 0.3;       // organic farms ask this much more
  double farmer_hour_value_nok = 350;       // what a farmer's hour is worth (entry and admin costs), NOK
  double neighbour_awareness_per_year = 0.2;  // chance per year that an active neighbour makes a farm aware
  double neighbour_radius_km = 10;          // farms this close count as neighbours
  double exit_sales_ratio = 0.1;            // leaves after two seasons selling below this share of its offers
  double growth_soldout_share = 0.5;        // grows after a season sold out in at least this share of offer weeks
  double arena_trust_gain = 0.15;           // an arena closes this share of the gap between trust and 1
  double trust_decay_per_year = 0.2;        // trust lost in a year without meetings, share
  double trust_cost_cut = 0.3;              // ordering hours x (1 - this x trust)
  double trust_entry_cut = 0.3;             // farms' entry cost x (1 - this x trust)
  double visit_backing_gain = 0.01;         // backing gained from a farm visit
};

// a learning network of municipalities (MODEL.md §3): members see each other's results once a
// year and adopt the framework exception that worked for peers, after a mapping -> mobilisation
// -> change cycle
struct NetworkParams {
  bool enabled = false;
  std::vector<int> members;                 // municipality indices (all when the list is empty)
  double imitation_per_year = 0.6;          // chance a year x share of members where the scheme works
  double spontaneous_per_year = 0.02;       // chance a year of adopting without peers (members and others)
  double success_share = 0.5;               // a peer's scheme "works" when its share reaches this x its target
  int cycle_years = 1;                      // years from the decision to the change (mapping, mobilisation)
};

// national procurement rules (FOA) and the framework tender's requirements
struct ProcurementParams {
  double direct_limit_nok = 100000;         // below it a purchase is outside the procurement rules
  double direct_limit_new_nok = 500000;     // the raised limit ...
  Date direct_limit_change{2026, 7, 1};     // ... from this date
  double season_norwegian_share_min = 0.8;  // season_requirement: Norwegian share of in-season produce at least this
  double season_regional_factor = 2.0;      // season_requirement: the regional share rises by this factor in season
  double simple_competition_limit_nok = 1300000;  // national threshold: a simple competition stays below it, NOK a year
  double competition_admin_hours = 40;      // the municipality's hours to run one competition or lot tender
  double bid_cost_hours = 16;               // a farm's hours to write one bid
  double weight_price = 0.5;                // award weights (most economically advantageous tender) ...
  double weight_quality = 0.2;              // ... quality (organic) ...
  double weight_environment = 0.3;          // ... environment: transport emissions and season (FOA §7-9: >= 0.30)
  double lot_min_coverage = 0.8;            // a bid must be able to cover this share of a lot's volume
  bool group_bids = true;                   // farms too small alone may bid together
  double penalty_nok_per_kg = 5;            // contract penalty per kg a winner failed to deliver
  int call_off_lead_weeks = 2;              // dynamic purchasing: at least 10 days to bid, so orders go two weeks ahead
};

struct Params {
  Date start{2025, 1, 6};
  int weeks = 520;
  std::uint64_t seed = 1;
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
