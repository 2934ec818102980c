#pragma once
// What the viewer draws: immutable snapshots published by the simulation thread.
//
// Design note: the interface never touches the live Simulation. After a week (at most
// about 60 times a second while playing) the runner copies what the panels need into a
// new Snapshot and publishes it as shared_ptr<const Snapshot>; the frame loop picks up
// the newest one and draws from it alone, so a slow week never stalls a frame and a
// frame never sees a half-stepped state. The layout of the world (positions, names,
// types) does not change during a run and is shared by every snapshot of that run.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/intervention.h"
#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat::viz {

// the world's fixed layout, built once per loaded scenario
struct World {
  int load_id = 0;                           // counts the scenarios loaded (a new one resets the view)
  std::string scenario_path;
  std::string title;
  std::uint64_t seed = 0;
  int weeks_planned = 0;                     // the scenario's run length, weeks
  Date start;
  std::vector<std::string> categories;       // [c]
  // municipalities [m]
  std::vector<std::string> muni_names;
  std::vector<std::string> muni_ids;         // scenario table ids (lever keys use them)
  std::vector<int> muni_name_rank;           // position in alphabetical order (for sorting tables)
  std::vector<Point> muni_centre;            // km
  std::vector<double> muni_radius_km;        // radius of a disc with the municipality's area
  std::vector<int> muni_population;
  // farms [p]
  std::vector<std::string> farm_names;
  std::vector<int> farm_name_rank;           // position in alphabetical order
  std::vector<int> farm_muni;
  std::vector<Point> farm_pos;               // km
  std::vector<std::uint8_t> farm_organic;
  // kitchens [b]
  std::vector<std::string> buyer_names;
  std::vector<int> buyer_name_rank;          // position in alphabetical order
  std::vector<BuyerType> buyer_type;
  std::vector<int> buyer_muni;
  std::vector<Point> buyer_pos;              // km
  std::vector<int> buyer_eaters;
  std::vector<int> buyer_market;             // market the kitchen orders local food through, or -1
  // markets (hubs and direct markets) [h]
  std::vector<MarketKind> market_kind;
  std::vector<int> market_muni;
  std::vector<Point> market_pos;             // km (the hub and day centre; a direct market's municipality centre)
  // channels (a farm's link to a market) [k]
  std::vector<std::uint32_t> channel_farm;
  std::vector<std::uint32_t> channel_market;
  // the wholesaler, drawn off the map's corner (its warehouse is far away)
  Point wholesaler_pos;                      // km
  double wholesaler_road_km = 0;             // road km from the warehouse to a municipality
  Point min_km, max_km;                      // bounds of everything above
};

// a lever's value in force for one municipality (see sim/intervention.h levers())
struct LeverValue {
  enum class Kind : std::uint8_t { number, integer, flag, rules, text } kind = Kind::text;
  double number = 0;
  bool flag = false;
  std::vector<Rule> rules;
  std::string text;                          // TOML text, for a lever the viewer has no widget for
  double lo = 0, hi = 0;                     // the schema's allowed range (number, integer)
};

// the per-week series the charts draw (all municipalities together), one value a week
struct History {
  std::vector<double> local_share_value;     // fraction
  std::vector<std::vector<double>> local_share_by_category;  // [c][week] fraction
  std::vector<double> work_hours;            // hours
  std::vector<double> participants_engaged;  // persons
  std::vector<double> cost_per_meal_nok;     // NOK per eater-day
  std::vector<double> budget_per_meal_nok;   // NOK per eater-day
  std::vector<double> backing;               // 0-1, population-weighted
  std::vector<double> co2e_kg;               // kg CO2e
  std::vector<double> co2e_reference_kg;     // the same food all through the wholesaler, kg CO2e
  std::vector<double> local_kg;              // kg delivered by local channels
  std::vector<int> election_weeks;           // weeks with an election somewhere
  std::vector<int> tender_weeks;             // weeks a framework agreement was re-tendered
  std::vector<std::uint64_t> state_hash;     // per week
  [[nodiscard]] int weeks() const { return static_cast<int>(local_share_value.size()); }
};

// per-agent state for the map and the inspector, as of the end of the last week
struct AgentView {
  // farms [p]
  std::vector<FarmStatus> farm_status;
  std::vector<double> farm_area_daa;         // all categories, daa
  std::vector<double> farm_delivered_kg;     // to municipal kitchens this week, kg
  std::vector<double> farm_income_week_nok;
  std::vector<double> farm_income_total_nok;
  // channels [k]
  std::vector<float> channel_delivered_kg;   // this week, kg
  // kitchens [b]
  std::vector<double> buyer_satisfaction;    // 0-1
  std::vector<std::uint8_t> buyer_participating;
  std::vector<double> buyer_meals;           // eater-days this week
  std::vector<double> buyer_local_kg;        // this week, kg
  std::vector<double> buyer_wholesale_kg;    // this week, kg
  std::vector<DeliveryOutcome> buyer_outcome;  // how each unit's local order came this week
  // markets [h]
  std::vector<double> market_handled_kg;     // this week, kg
  std::vector<double> market_capacity_kg;    // this week, kg
  // participants [w]
  std::vector<std::uint32_t> worker_centre;
  std::vector<WorkerStatus> worker_status;
  std::vector<double> worker_attendance;     // probability per open day
  std::vector<double> worker_skill;          // 0-1
  std::vector<double> worker_hours_week;
  std::vector<double> worker_hours_total;
  std::vector<int> worker_contacts;          // distinct farms and kitchens met
  // municipalities [m]
  std::vector<double> muni_backing;          // 0-1
  std::vector<double> muni_trust;            // 0-1
  std::vector<std::uint8_t> muni_exception_open;
  std::vector<double> muni_local_share;      // by value this week, fraction
  std::vector<double> muni_local_kg;         // this week, kg
  std::vector<double> muni_wholesale_kg;     // this week, kg
};

struct Snapshot {
  std::shared_ptr<const World> world;
  int week = 0;                              // weeks done
  Date date;                                 // first day of the next week
  bool playing = false;
  bool finished = false;                     // the scenario's run length is reached
  double weeks_per_second = 0;               // measured while playing
  int sim_threads = 0;
  History history;                           // the visual run
  bool compare = false;
  History baseline;                          // the same scenario and seed without the user's levers
  AgentView agents;
  std::vector<std::vector<LeverValue>> levers;  // [m][lever] in force, in the order of levers()
  std::vector<Intervention> log;             // interventions applied so far
  std::vector<std::string> messages;         // newest last: applied levers, refusals, saves
  std::string error;                         // a scenario that failed to load
};

}  // namespace lokalmat::viz
