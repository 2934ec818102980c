#pragma once
// The weekly outputs of MODEL.md §6. The metrics phase reduces agent state into
// sums per cell (municipality x buyer type x category), per (municipality x
// buyer type) and per municipality, always in id order so that the sums are
// bit-identical at any thread count. Every published metric is then a pure
// function of those sums (MetricDef::eval), so totals, per-category,
// per-buyer-type and per-municipality series share one definition.
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/calendar.h"

namespace lokalmat {

// flows of food and money for one (municipality, buyer type, category) cell
struct FlowSums {
  double demand_kg = 0;          // bought in all channels, kg
  double local_order_kg = 0;     // ordered from the local channel, kg
  double local_kg = 0;           // delivered by the local channel, kg
  double local_nok = 0;          // paid for local food incl. hub fee, NOK
  double wholesale_kg = 0;       // delivered by the wholesaler, kg
  double wholesale_nok = 0;      // paid to the wholesaler, NOK
  double regional_kg = 0;        // wholesaler kg sourced within the region, kg
  double regional_nok = 0;       // ... their value, NOK
  double norwegian_kg = 0;       // kg grown in Norway (local + wholesaler's Norwegian share)
  double fallback_kg = 0;        // short-notice wholesaler kg replacing failed local deliveries
  double premium_nok = 0;        // extra paid over the wholesaler's price (local premium + short-notice), NOK
  double premium_paid_nok = 0;   // ... on the purchases dearer than the list price only: what draws on the premium budget, NOK
  double organic_kg = 0;         // organic kg delivered, kg
  double co2e_kg = 0;            // transport emissions, kg CO2e
  double co2e_reference_kg = 0;  // the same food all through the wholesaler's chain, kg CO2e
  void add(const FlowSums& o);
};

// per (municipality, buyer type)
struct TypeSums {
  double meals = 0;              // eater-days served
  double budget_nok = 0;         // food budget for the week, NOK
  double admin_hours = 0;        // ordering hours
  double kitchen_waste_kg = 0;   // plate and kitchen waste, kg
  double buyers = 0;             // kitchen units
  double participating = 0;      // units ordering locally this week
  double deliveries_full = 0;    // units whose local order came in full
  double deliveries_partial = 0; // ... in part
  double deliveries_none = 0;    // ... not at all
  double satisfaction_sum = 0;   // sum of satisfaction over units
  double incentive_nok = 0;      // local-purchase incentives received, NOK
  void add(const TypeSums& o);
};

// per municipality (and once for all of them together)
struct MuniSums {
  double weeks = 0;              // how many weeks these sums cover (to average gini_hours over a run)
  double municipalities = 0;     // how many municipalities these sums cover
  double population = 0;
  double hub_capacity_kg = 0;    // planned hub capacity, kg
  double hub_throughput_kg = 0;  // kg handled by the hub
  double hub_cost_nok = 0;       // fixed + staff + vehicle cost, NOK
  double hub_fee_nok = 0;        // fees received, NOK
  double transport_km = 0;       // local vehicle km
  double work_hours = 0;         // meaningful-work hours of participants
  double staff_extra_hours = 0;  // hours staff covered for missing participants
  double participants = 0;       // active participants
  double participants_engaged = 0;  // participants with >= 1 hour this week
  double skill_sum = 0;          // sum of skill over active participants
  double contacts_sum = 0;       // sum of distinct contacts over active participants
  double gini_hours = 0;         // Gini of cumulative hours among active participants
  double active_producers = 0;   // farms active in the municipal channel
  double farm_income_nok = 0;    // farms' municipal sales income, NOK
  double farm_waste_kg = 0;      // unsold perishables and storage losses, kg
  double backing_weighted = 0;   // political backing x population
  double exception_open = 0;     // municipalities with the exception in force
  double covered_local_nok = 0;  // local-channel spend in the units and categories the exception covers, NOK
  double covered_spend_nok = 0;  // all spend in those units and categories, NOK
  double child_food_kg = 0;      // food bought by kindergartens and SFO, kg
  double child_organic_kg = 0;   // organic food among it, kg
  double child_goal_kg = 0;      // the municipality's organic goal x that food, kg (weights the goal)
  double elections = 0;          // municipalities holding an election this week
  double farm_entries = 0;       // farms that joined the municipal channel this week
  double farm_exits = 0;         // farms that left it this week
  double moves_vta = 0;          // participants who moved to adapted work (VTA) this week
  double moves_work = 0;         // ... to ordinary work
  double dropouts = 0;           // ... dropped out
  double waiting = 0;            // people on the day centres' waiting lists
  double direct_spend_period_nok = 0;  // direct purchases so far in the agreement period, NOK
  double direct_closed = 0;      // categories whose direct buying has stopped at the limit
  double tenders = 0;            // municipalities whose framework agreement was re-tendered this week
  double integrated = 0;         // municipalities whose scheme is integrated in operations
  double project_ended = 0;      // municipalities whose project has ended
  double supplier_events = 0;    // supplier development events per year in force
  double incentive_in_force = 0; // local-purchase incentive in force, NOK/kg (summed over municipalities)
  double unlawful_rules = 0;     // municipalities using a rule that is not lawful
  double trust_sum = 0;          // trust among the scheme's actors, summed over municipalities
  double trust_initial_sum = 0;  // the scenario's trust_initial, summed over municipalities
  double arenas = 0;             // co-creation arenas held this week
  double farm_visits = 0;        // children's farm visits this week
  double adopted = 0;            // municipalities that adopted the exception during the run
  double local_categories = 0;   // food categories with local deliveries this week (summed over municipalities)
  double volunteer_hours = 0;    // hours volunteers worked at hubs
  double lots_local = 0;         // lots (market x category x season) held by farms
  double competition_contracts = 0;  // simple-competition contracts (market x category x season) in force
  double tender_hours = 0;       // municipal hours spent on competitions and lot tenders
  double penalties_nok = 0;      // contract penalties farms paid, NOK
  void add(const MuniSums& o);
};

struct WeekReport {
  int week = 0;                  // 0-based tick
  Date week_start;
  int iso_year = 0;
  int iso_week = 0;
  int n_municipalities = 0;
  int n_categories = 0;
  std::vector<FlowSums> cells;   // [(m*kBuyerTypes + t)*C + c]
  std::vector<TypeSums> types;   // [m*kBuyerTypes + t]
  std::vector<MuniSums> munis;   // [m]
  MuniSums muni_total;           // all municipalities (Gini over all participants)
  std::uint64_t state_hash = 0;
};

// the sums a metric is evaluated on, for one grouping (total, a category, ...)
struct GroupSums {
  FlowSums flow;
  TypeSums type;
  MuniSums muni;
};

enum class MetricScope : std::uint8_t {
  flow,  // defined per category, per buyer type, per municipality and in total
  type,  // per buyer type, per municipality and in total
  muni,  // per municipality and in total
};

struct MetricDef {
  std::string_view name;
  std::string_view units;
  MetricScope scope;
  std::string_view description;
  double (*eval)(const GroupSums&);
};

// every weekly metric, in output order
const std::vector<MetricDef>& weekly_metrics();
const MetricDef* find_metric(std::string_view name);

// sums for one grouping; pass -1 for "all"
GroupSums group_sums(const WeekReport& r, int municipality, int buyer_type, int category);

// The four sustainability indices (MODEL.md §6), each 0..1, higher is better; evaluated on the sums
// of any grouping (a week, a run). Tagged with the UN goals they serve:
//   economic (SDG 2, 8)      mean of local farm income share (/0.30) and budget adherence
//   social (SDG 3, 8, 10)    mean of engagement rate, 1 - Gini of hours, and skill of participants
//   environmental (SDG 12, 13) mean of transport CO2e saved vs the wholesaler chain (/0.5), organic share (/0.15),
//                            and 1 - food waste share (/0.2)
//   cultural (SDG 2, 11)     mean of local products on menus (/5), trust, farm visits a year (/10)
double index_economic(const GroupSums& g);
double index_social(const GroupSums& g);
double index_environmental(const GroupSums& g);
double index_cultural(const GroupSums& g);

// Gini coefficient of non-negative values (0 = equal, 1 = one has all); values are sorted in place
double gini(std::vector<double>& values);

}  // namespace lokalmat
