#pragma once
// State: everything that changes during a run, as structure-of-arrays stores,
// one per agent type. Per-week quantities are messages between phases: a
// parallel phase writes only the slots of the agent it is working on, and a
// later phase reads them in id order (propose in parallel, commit in order).
//
// Layout conventions: [p] one value per producer, [p*C+c] per producer and
// category (C = number of categories), [k] per channel (a producer's link to
// one hub), [k*C+c] per channel and category.
#include <array>
#include <cstdint>
#include <vector>

#include "sim/params.h"

namespace lokalmat {

// MODEL.md §3: unaware -> aware -> qualified -> active -> exited
enum class FarmStatus : std::uint8_t { unaware, aware, qualified, active, exited };
enum class WorkerStatus : std::uint8_t { active, moved_vta, moved_work, dropped_out, waiting };

struct ProducerStore {
  // topology (fixed after set-up)
  std::vector<std::uint32_t> channel_begin;  // [p+1] first channel of producer p (CSR)
  // season and stock
  std::vector<double> harvest_kg;            // [p*C+c] harvested this week, kg
  std::vector<double> stock_kg;              // [p*C+c] in storage (storable categories), kg
  std::vector<double> available_kg;          // [p*C+c] available to sell this week, kg
  std::vector<double> asking_price;          // [p*C+c] asking price this week, NOK/kg
  // outcomes
  std::vector<FarmStatus> status;            // [p]
  std::vector<double> income_week_nok;       // [p] municipal sales income this week, NOK
  std::vector<double> income_total_nok;      // [p] municipal sales income since start, NOK
  std::vector<double> outside_income_week_nok;  // [p] other markets this week, NOK
  std::vector<double> waste_week_kg;         // [p] unsold perishables and storage losses, kg
  // the farm over seasons (calendar years)
  std::vector<double> area_daa;              // [p*C+c] decares grown this season
  std::vector<double> season_offered_kg;     // [p] offered to municipal channels this season, kg
  std::vector<double> season_sold_kg;        // [p] delivered to municipal channels this season, kg
  std::vector<double> season_income_nok;     // [p] municipal income this season, NOK
  std::vector<int> low_seasons;              // [p] consecutive seasons below the exit threshold
  std::vector<int> offer_weeks;              // [p] weeks with offers this season
  std::vector<int> soldout_weeks;            // [p] weeks sold out this season
  std::vector<std::int8_t> event_week;       // [p] this week: +1 joined, -1 left, 0 nothing
};

struct ChannelStore {
  std::vector<std::uint32_t> producer;       // [k] producer of channel k
  std::vector<std::uint32_t> hub;            // [k] hub of channel k
  std::vector<double> road_km;               // [k] farm to hub, road km
  std::vector<double> offer_share;           // [k*C+c] share of available kg offered, 0..1
  std::vector<std::array<double, 3>> sellthrough;  // [k*C+c] sold/offered of the last three cycles, newest first
  std::vector<double> offer_kg;              // [k*C+c] offered this week, kg
  std::vector<double> price;                 // [k*C+c] asking price this week, NOK/kg
  std::vector<double> sold_kg;               // [k*C+c] accepted and handled by the hub, kg
  std::vector<double> delivered_kg;          // [k*C+c] actually delivered (after reliability), kg
  std::vector<std::uint8_t> contracted;      // [(k*C+c)*2+s] the farm holds this market's contract (0/1)
  std::vector<double> penalty_nok;           // [k] penalties charged this week, NOK
};

// A market is a municipality's local channel: a platform with a hub (the
// Horten pattern) or direct purchase from farms. Hubs and markets share ids.
struct HubStore {
  std::vector<MarketKind> kind;              // [h]
  std::vector<std::uint32_t> municipality;   // [h]
  std::vector<std::vector<std::uint32_t>> channels;  // [h] channel ids, ascending producer id
  std::vector<std::vector<std::uint32_t>> buyers;    // [h] buyer ids ordering through the hub
  std::vector<double> capacity_kg;           // [h] planned handling capacity this week, kg
  std::vector<double> offered_kg;            // [h*C+c] offers posted this week, kg
  std::vector<double> offered_price;         // [h*C+c] offer-weighted mean price, NOK/kg
  std::vector<double> ordered_kg;            // [h*C+c] orders placed, kg
  std::vector<double> accept_ratio;          // [h*C+c] accepted / ordered
  std::vector<double> handle_ratio;          // [h] handled / accepted (capacity rationing)
  std::vector<double> deliver_ratio;         // [h*C+c] delivered / handled (reliability)
  std::vector<double> delivered_price;       // [h*C+c] delivered-weighted mean farm price, NOK/kg
  std::vector<double> farm_km;               // [h*C+c] delivered-weighted mean farm-to-hub road km
  std::vector<double> organic_ratio;         // [h*C+c] organic share of delivered kg
  std::vector<double> handled_kg;            // [h] kg through the hub this week
  std::vector<double> route_km;              // [h] vehicle km this week
  std::vector<double> staff_extra_hours;     // [h] hours staff covered when workers fell short
  std::vector<double> courier_kg;            // [h] kg the external courier handled this week
  std::vector<double> volunteer_hours;       // [h] hours volunteers worked this week
  std::vector<double> fee_income_nok;        // [h] fees received this week, NOK
  std::vector<double> cost_nok;              // [h] running cost this week, NOK
  std::vector<double> unmet_kg_ema;          // [h*C+c] smoothed kg ordered but not on offer, per week (farms' entry signal)
  std::vector<int> suppliers;                // [h] farms that delivered this week (supplier relations of a direct market)
  // contracts won in lots or simple competitions: per market, category and season (0 off, 1 in season)
  std::vector<double> contract_price;        // [(h*C+c)*2+s] contract price at the award, NOK/kg (0 = no contract)
  std::vector<std::uint8_t> contract_kind;   // [(h*C+c)*2+s] 0 none, 1 lot, 2 simple competition
  std::vector<double> contract_value_year_nok;  // [h] simple-competition purchases this year, NOK
  std::vector<double> tender_hours;          // [h] municipal hours spent on competitions this week
  std::vector<double> penalty_nok;           // [h] contract penalties charged this week, NOK
  std::vector<std::uint8_t> dps;             // [h] a dynamic purchasing system runs on this market (0/1)
  std::vector<std::uint8_t> open;            // [h] the market takes orders this week (0/1): farms offer only there
  std::vector<std::vector<double>> offer_history;  // [week % (lead+1)][h*C+c] offers posted, kg (call-offs see old ones)
  std::vector<std::vector<double>> price_history;  // [week % (lead+1)][h*C+c] their mean price, NOK/kg
};

struct BuyerStore {
  std::vector<double> satisfaction;          // [b] with the local channel, 0..1
  std::vector<double> preference;            // [b] local preference incl. champions, 0..1
  std::vector<std::uint8_t> participating;   // [b] orders locally this week (0/1)
  std::vector<double> meals;                 // [b] eater-days served this week
  std::vector<double> budget_week_nok;       // [b] food budget for this week, NOK
  std::vector<double> spend_year_nok;        // [b] food spend since the budget year began, NOK
  std::vector<double> budget_year_nok;       // [b] budget since the budget year began, NOK
  std::vector<double> demand_kg;             // [b*C+c] to buy this week, kg
  std::vector<double> local_order_kg;        // [b*C+c] ordered from the hub, kg
  std::vector<double> local_desire_kg;       // [b*C+c] what the unit would order if it were on offer, kg
  std::vector<double> local_kg;              // [b*C+c] delivered by the hub, kg
  std::vector<double> local_nok;             // [b*C+c] paid for local food incl. hub fee, NOK
  std::vector<double> wholesale_kg;          // [b*C+c] bought from the wholesaler (planned + fallback), kg
  std::vector<double> wholesale_nok;         // [b*C+c] paid to the wholesaler, NOK
  std::vector<double> fallback_kg;           // [b*C+c] short-notice wholesaler kg, kg
  std::vector<double> admin_hours;           // [b] ordering hours this week
  std::vector<double> incentive_nok;         // [b] local-purchase incentive received this week, NOK
  std::vector<std::int8_t> delivery_outcome; // [b] -1 no local order, 0 nothing came, 1 partial, 2 full
};

struct WorkerStore {
  std::vector<std::uint32_t> centre;         // [w] day centre (= hub index)
  std::vector<double> attendance;            // [w] probability of attending on an open day
  std::vector<double> skill;                 // [w] 0..1
  std::vector<double> hours_week;            // [w] hours worked this week
  std::vector<double> hours_total;           // [w] hours worked since start
  std::vector<WorkerStatus> status;          // [w] (waiting: on the waiting list, not yet placed)
  std::vector<std::int8_t> moved_week;       // [w] this week: 1 to VTA, 2 to ordinary work, 3 dropped out, 4 placed
  std::vector<std::vector<std::uint32_t>> contacts;  // [w] distinct farms (ids) and kitchens (ids + 2^31) met, sorted
  std::vector<std::vector<std::uint32_t>> centre_workers;  // [h] workers of centre h, ascending id
};

struct PolicyStore {
  std::vector<double> backing;               // [m] political backing 0..1
  std::vector<std::uint8_t> exception_open;  // [m] framework exception in force (0/1)
  std::vector<std::uint8_t> hub_funded;      // [m] hub/coordinator funded (0/1)
  std::vector<double> share_ema;             // [m] smoothed local share by value in allowed units
  std::vector<double> failure_ema;           // [m] smoothed failed-delivery rate
  std::vector<double> premium_year_nok;      // [m] premium paid since the budget year began, NOK
  std::vector<std::uint8_t> election_week;   // [m] an election took place this week (0/1)
  std::vector<std::uint8_t> integrated;      // [m] the scheme is part of ordinary operations (0/1)
  std::vector<std::uint8_t> project_ended;   // [m] a project's funding has ended (0/1)
  std::vector<double> cap_share;             // [m] exception cap in force, share of food spend
  std::vector<double> incentive_nok_per_kg;  // [m] local-purchase incentive in force, NOK/kg
  std::vector<int> supplier_events;          // [m] supplier development events per year in force
  std::vector<double> direct_spent_nok;      // [m*C+c] direct purchases this contract period, NOK
  std::vector<std::uint8_t> direct_closed;   // [m*C+c] direct buying stopped: the next purchase would pass the limit
  std::vector<double> trust;                 // [m] trust among the scheme's actors, 0..1
  std::vector<std::uint8_t> adopted;         // [m] adopted the framework exception during the run (0/1)
  std::vector<int> adopt_year;               // [m] ISO year the adoption takes effect, or 0
  std::vector<std::uint8_t> arena_week;      // [m] a co-creation arena met this week (0/1)
  std::vector<std::uint8_t> visit_week;      // [m] a farm visit took place this week (0/1)
};

struct State {
  int week = 0;                              // ticks done so far
  Date date;                                 // first day of the current week
  int iso_week = 1;
  int iso_year = 2025;
  double price_index = 1;                    // wholesaler's yearly indexation, cumulative
  std::vector<int> hub_of_municipality;      // [m] platform market (hub) or -1
  std::vector<int> direct_of_municipality;   // [m] direct-purchase market or -1
  Date contract_end;                         // end of the framework agreement in force
  std::uint8_t tender_week = 0;              // the framework agreement was re-tendered this week (0/1)
  std::vector<int> buyer_hub;                // [b] market a buyer orders local food through, or -1
  std::vector<std::vector<std::uint32_t>> buyers_of_municipality;     // [m] ascending ids
  std::vector<std::vector<std::uint32_t>> producers_of_municipality;  // [m] ascending ids (home)
  ProducerStore producers;
  ChannelStore channels;
  HubStore hubs;
  BuyerStore buyers;
  WorkerStore workers;
  PolicyStore policy;
};

}  // namespace lokalmat
