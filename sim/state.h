#pragma once
// State: everything that changes during a run, as structure-of-arrays stores,
// one per agent type. Per-week quantities are messages between phases: a
// parallel phase writes only the slots of the agent it is working on, and a
// later phase reads them in id order (propose in parallel, commit in order).
//
// Layout conventions: [p] one value per producer, [p*C+c] per producer and
// category (C = number of categories), [k] per channel (a producer's link to
// one hub), [k*C+c] per channel and category.
//
// Every column is declared once more, in its store's column list (`columns`): the
// list sizes and zero-fills the run's columns at set-up and is what the weekly state
// hash reads, in list order (sim/state.cpp). A test checks that the lists cover every
// byte of every store (tests/sim/state_test.cpp), so no column can be left out of
// the hash.
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "sim/params.h"

namespace lokalmat {

// true for std::vector<T>: a column's element may be a list (a list per agent, a week's row)
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

// the shape of a column: which agents it has a value for (C categories, 2 seasons)
enum class Dim : std::uint8_t {
  producer,                 // [p]
  producer_plus_one,        // [p+1] (CSR offsets)
  producer_category,        // [p*C+c]
  channel,                  // [k]
  channel_category,         // [k*C+c]
  channel_category_season,  // [(k*C+c)*2+s]
  market,                   // [h]
  market_category,          // [h*C+c]
  market_category_season,   // [(h*C+c)*2+s]
  market_history,           // [week % (call_off_lead_weeks+1)][h*C+c]
  buyer,                    // [b]
  buyer_category,           // [b*C+c]
  worker,                   // [w]
  municipality,             // [m]
  municipality_category,    // [m*C+c]
};

// who writes a column
enum class Role : std::uint8_t {
  setup,  // built by set-up (topology, drawn attributes) and never written afterwards
  run,    // sized and zero-filled from the list at set-up, given its starting values, then written by the phases
};

// MODEL.md §3: unaware -> aware -> qualified -> active -> exited
enum class FarmStatus : std::uint8_t { unaware, aware, qualified, active, exited };
enum class WorkerStatus : std::uint8_t { active, moved_vta, moved_work, dropped_out, waiting };
// what happened to a farm in the municipal channel this week
enum class FarmEvent : std::int8_t { left = -1, none = 0, joined = 1, became_aware = 2 };
// what happened to a participant this week
enum class WorkerMove : std::int8_t { none = 0, to_vta = 1, to_work = 2, dropped_out = 3, placed = 4 };
// how a unit's accepted local order came this week
enum class DeliveryOutcome : std::int8_t { no_order = -1, nothing = 0, partial = 1, full = 2 };
// a contract on a market for a category and season: none, a lot (lots) or a simple competition's
enum class ContractKind : std::uint8_t { none = 0, lot = 1, simple_competition = 2 };

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
  std::vector<int> offer_weeks;              // [p*C+c] weeks with offers of the category this season
  std::vector<int> soldout_weeks;            // [p*C+c] weeks the category sold out this season
  std::vector<double> season_harvest_kg;     // [p*C+c] harvested this season, kg (as sold: flour for grain)
  std::vector<double> season_delivered_kg;   // [p*C+c] delivered to municipal channels this season, kg
  std::vector<FarmEvent> event_week;         // [p] this week: joined, left, nothing (became_aware only inside the review)
  // every column, once (see the top of this file)
  template <class Self, class Visit>
  static void columns(Self& s, Visit&& visit) {
    visit(s.channel_begin, "channel_begin", Dim::producer_plus_one, Role::setup);
    visit(s.harvest_kg, "harvest_kg", Dim::producer_category, Role::run);
    visit(s.stock_kg, "stock_kg", Dim::producer_category, Role::run);
    visit(s.available_kg, "available_kg", Dim::producer_category, Role::run);
    visit(s.asking_price, "asking_price", Dim::producer_category, Role::run);
    visit(s.status, "status", Dim::producer, Role::run);
    visit(s.income_week_nok, "income_week_nok", Dim::producer, Role::run);
    visit(s.income_total_nok, "income_total_nok", Dim::producer, Role::run);
    visit(s.outside_income_week_nok, "outside_income_week_nok", Dim::producer, Role::run);
    visit(s.waste_week_kg, "waste_week_kg", Dim::producer, Role::run);
    visit(s.area_daa, "area_daa", Dim::producer_category, Role::run);
    visit(s.season_offered_kg, "season_offered_kg", Dim::producer, Role::run);
    visit(s.season_sold_kg, "season_sold_kg", Dim::producer, Role::run);
    visit(s.season_income_nok, "season_income_nok", Dim::producer, Role::run);
    visit(s.low_seasons, "low_seasons", Dim::producer, Role::run);
    visit(s.offer_weeks, "offer_weeks", Dim::producer_category, Role::run);
    visit(s.soldout_weeks, "soldout_weeks", Dim::producer_category, Role::run);
    visit(s.season_harvest_kg, "season_harvest_kg", Dim::producer_category, Role::run);
    visit(s.season_delivered_kg, "season_delivered_kg", Dim::producer_category, Role::run);
    visit(s.event_week, "event_week", Dim::producer, Role::run);
  }
};

struct ChannelStore {
  std::vector<std::uint32_t> producer;       // [k] producer of channel k
  std::vector<std::uint32_t> market;         // [k] market of channel k (a hub's platform or a direct market)
  std::vector<double> road_km;               // [k] farm to hub, road km
  std::vector<double> offer_share;           // [k*C+c] share of available kg offered, 0..1
  std::vector<std::array<double, 3>> sellthrough;  // [k*C+c] sold/offered of the last three cycles, newest first
  std::vector<double> offer_kg;              // [k*C+c] offered this week, kg
  std::vector<double> price;                 // [k*C+c] asking price this week, NOK/kg
  std::vector<double> sold_kg;               // [k*C+c] accepted and handled by the hub, kg
  std::vector<double> delivered_kg;          // [k*C+c] actually delivered (after reliability), kg
  std::vector<std::uint8_t> contracted;      // [(k*C+c)*2+s] the farm holds this market's contract (0/1)
  std::vector<double> penalty_nok;           // [k] penalties charged this week, NOK
  // every column, once (see the top of this file)
  template <class Self, class Visit>
  static void columns(Self& s, Visit&& visit) {
    visit(s.producer, "producer", Dim::channel, Role::setup);
    visit(s.market, "market", Dim::channel, Role::setup);
    visit(s.road_km, "road_km", Dim::channel, Role::setup);
    visit(s.offer_share, "offer_share", Dim::channel_category, Role::run);
    visit(s.sellthrough, "sellthrough", Dim::channel_category, Role::run);
    visit(s.offer_kg, "offer_kg", Dim::channel_category, Role::run);
    visit(s.price, "price", Dim::channel_category, Role::run);
    visit(s.sold_kg, "sold_kg", Dim::channel_category, Role::run);
    visit(s.delivered_kg, "delivered_kg", Dim::channel_category, Role::run);
    visit(s.contracted, "contracted", Dim::channel_category_season, Role::run);
    visit(s.penalty_nok, "penalty_nok", Dim::channel, Role::run);
  }
};

// A market is a municipality's local channel: a platform with a hub (the
// Horten pattern) or direct purchase from farms. A platform market and its hub share the id h.
struct MarketStore {
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
  std::vector<ContractKind> contract_kind;   // [(h*C+c)*2+s] the contract in force
  std::vector<double> contract_value_year_nok;  // [h] simple-competition purchases this year, NOK
  std::vector<double> tender_hours;          // [h] municipal hours spent on competitions this week
  std::vector<double> penalty_nok;           // [h] contract penalties charged this week, NOK
  std::vector<std::uint8_t> dps;             // [h] a dynamic purchasing system runs on this market (0/1)
  std::vector<std::uint8_t> open;            // [h] the market takes orders this week (0/1): farms offer only there
  std::vector<std::vector<double>> offer_history;  // [week % (lead+1)][h*C+c] offers posted, kg (call-offs see old ones)
  std::vector<std::vector<double>> price_history;  // [week % (lead+1)][h*C+c] their mean price, NOK/kg
  // every column, once (see the top of this file)
  template <class Self, class Visit>
  static void columns(Self& s, Visit&& visit) {
    visit(s.kind, "kind", Dim::market, Role::setup);
    visit(s.municipality, "municipality", Dim::market, Role::setup);
    visit(s.channels, "channels", Dim::market, Role::setup);
    visit(s.buyers, "buyers", Dim::market, Role::setup);
    visit(s.capacity_kg, "capacity_kg", Dim::market, Role::run);
    visit(s.offered_kg, "offered_kg", Dim::market_category, Role::run);
    visit(s.offered_price, "offered_price", Dim::market_category, Role::run);
    visit(s.ordered_kg, "ordered_kg", Dim::market_category, Role::run);
    visit(s.accept_ratio, "accept_ratio", Dim::market_category, Role::run);
    visit(s.handle_ratio, "handle_ratio", Dim::market, Role::run);
    visit(s.deliver_ratio, "deliver_ratio", Dim::market_category, Role::run);
    visit(s.delivered_price, "delivered_price", Dim::market_category, Role::run);
    visit(s.farm_km, "farm_km", Dim::market_category, Role::run);
    visit(s.organic_ratio, "organic_ratio", Dim::market_category, Role::run);
    visit(s.handled_kg, "handled_kg", Dim::market, Role::run);
    visit(s.route_km, "route_km", Dim::market, Role::run);
    visit(s.staff_extra_hours, "staff_extra_hours", Dim::market, Role::run);
    visit(s.courier_kg, "courier_kg", Dim::market, Role::run);
    visit(s.volunteer_hours, "volunteer_hours", Dim::market, Role::run);
    visit(s.fee_income_nok, "fee_income_nok", Dim::market, Role::run);
    visit(s.cost_nok, "cost_nok", Dim::market, Role::run);
    visit(s.unmet_kg_ema, "unmet_kg_ema", Dim::market_category, Role::run);
    visit(s.suppliers, "suppliers", Dim::market, Role::run);
    visit(s.contract_price, "contract_price", Dim::market_category_season, Role::run);
    visit(s.contract_kind, "contract_kind", Dim::market_category_season, Role::run);
    visit(s.contract_value_year_nok, "contract_value_year_nok", Dim::market, Role::run);
    visit(s.tender_hours, "tender_hours", Dim::market, Role::run);
    visit(s.penalty_nok, "penalty_nok", Dim::market, Role::run);
    visit(s.dps, "dps", Dim::market, Role::setup);
    visit(s.open, "open", Dim::market, Role::run);
    visit(s.offer_history, "offer_history", Dim::market_history, Role::run);
    visit(s.price_history, "price_history", Dim::market_history, Role::run);
  }
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
  std::vector<double> expected_fill;         // [b*C+c] share of a local order the unit expects to arrive, 0..1
  std::vector<double> local_nok;             // [b*C+c] paid for local food incl. hub fee, NOK
  std::vector<double> wholesale_kg;          // [b*C+c] bought from the wholesaler (planned + fallback), kg
  std::vector<double> wholesale_nok;         // [b*C+c] paid to the wholesaler, NOK
  std::vector<double> fallback_kg;           // [b*C+c] short-notice wholesaler kg, kg
  std::vector<double> admin_hours;           // [b] ordering hours this week
  std::vector<double> incentive_nok;         // [b] local-purchase incentive received this week, NOK
  std::vector<DeliveryOutcome> delivery_outcome;  // [b] how the accepted local order came
  // every column, once (see the top of this file)
  template <class Self, class Visit>
  static void columns(Self& s, Visit&& visit) {
    visit(s.satisfaction, "satisfaction", Dim::buyer, Role::run);
    visit(s.preference, "preference", Dim::buyer, Role::setup);
    visit(s.participating, "participating", Dim::buyer, Role::run);
    visit(s.meals, "meals", Dim::buyer, Role::run);
    visit(s.budget_week_nok, "budget_week_nok", Dim::buyer, Role::run);
    visit(s.spend_year_nok, "spend_year_nok", Dim::buyer, Role::run);
    visit(s.budget_year_nok, "budget_year_nok", Dim::buyer, Role::run);
    visit(s.demand_kg, "demand_kg", Dim::buyer_category, Role::run);
    visit(s.local_order_kg, "local_order_kg", Dim::buyer_category, Role::run);
    visit(s.local_desire_kg, "local_desire_kg", Dim::buyer_category, Role::run);
    visit(s.local_kg, "local_kg", Dim::buyer_category, Role::run);
    visit(s.expected_fill, "expected_fill", Dim::buyer_category, Role::run);
    visit(s.local_nok, "local_nok", Dim::buyer_category, Role::run);
    visit(s.wholesale_kg, "wholesale_kg", Dim::buyer_category, Role::run);
    visit(s.wholesale_nok, "wholesale_nok", Dim::buyer_category, Role::run);
    visit(s.fallback_kg, "fallback_kg", Dim::buyer_category, Role::run);
    visit(s.admin_hours, "admin_hours", Dim::buyer, Role::run);
    visit(s.incentive_nok, "incentive_nok", Dim::buyer, Role::run);
    visit(s.delivery_outcome, "delivery_outcome", Dim::buyer, Role::run);
  }
};

struct WorkerStore {
  std::vector<std::uint32_t> centre;         // [w] day centre (= hub index)
  std::vector<double> attendance;            // [w] probability of attending on an open day
  std::vector<double> skill;                 // [w] 0..1
  std::vector<double> hours_week;            // [w] hours worked this week
  std::vector<double> hours_total;           // [w] hours worked since start
  std::vector<WorkerStatus> status;          // [w] (waiting: on the waiting list, not yet placed)
  std::vector<WorkerMove> moved_week;        // [w] this week: to adapted work (VTA), to ordinary work, dropped out, placed
  std::vector<std::vector<std::uint32_t>> contacts;  // [w] distinct farms (ids) and kitchens (ids + 2^31) met, sorted
  std::vector<std::vector<std::uint32_t>> centre_workers;  // [h] workers of centre h, ascending id
  // every column, once (see the top of this file)
  template <class Self, class Visit>
  static void columns(Self& s, Visit&& visit) {
    visit(s.centre, "centre", Dim::worker, Role::setup);
    visit(s.attendance, "attendance", Dim::worker, Role::setup);
    visit(s.skill, "skill", Dim::worker, Role::run);
    visit(s.hours_week, "hours_week", Dim::worker, Role::run);
    visit(s.hours_total, "hours_total", Dim::worker, Role::run);
    visit(s.status, "status", Dim::worker, Role::run);
    visit(s.moved_week, "moved_week", Dim::worker, Role::run);
    visit(s.contacts, "contacts", Dim::worker, Role::run);
    visit(s.centre_workers, "centre_workers", Dim::market, Role::setup);
  }
};

struct PolicyStore {
  std::vector<double> backing;               // [m] political backing 0..1
  std::vector<std::uint8_t> exception_open;  // [m] framework exception in force (0/1)
  std::vector<std::uint8_t> hub_funded;      // [m] hub/coordinator funded (0/1)
  std::vector<double> share_ema;             // [m] smoothed local share by value in allowed units
  std::vector<double> covered_local_year_nok;   // [m] local spend in the covered units and categories since the budget year began, NOK
  std::vector<double> covered_spend_year_nok;   // [m] all spend in them since the budget year began, NOK
  std::vector<double> covered_spend_week_nok;   // [m] all spend in them last week, NOK
  std::vector<double> failure_ema;           // [m] smoothed failed-delivery rate
  std::vector<double> premium_year_nok;      // [m] premium paid since the budget year began, NOK
  std::vector<double> hub_net_cost_year_nok; // [m] the hub's running cost less its fees since the budget year began, NOK
  std::vector<double> hub_budget_year_nok;   // [m] the hub's budget for the weeks it was funded since the budget year began, NOK
  std::vector<std::uint8_t> election_week;   // [m] an election took place this week (0/1)
  std::vector<std::uint8_t> integrated;      // [m] the scheme is part of ordinary operations (0/1)
  std::vector<std::uint8_t> project_ended;   // [m] a project's funding has ended (0/1)
  std::vector<double> cap_share;             // [m] exception cap in force, share of food spend
  std::vector<double> incentive_nok_per_kg;  // [m] local-purchase incentive in force, NOK/kg
  std::vector<int> supplier_events;          // [m] supplier development events per year in force
  std::vector<double> direct_spent_nok;      // [m*C+c] direct purchases this contract period, NOK
  std::vector<std::uint8_t> direct_closed;   // [m*C+c] direct buying stopped: the next purchase would pass the limit
  std::vector<double> wholesaler_norwegian_share;  // [m*C+c] Norwegian share of the wholesaler's kg this week (season_requirement raises it)
  std::vector<double> wholesaler_regional_share;   // [m*C+c] regional share of the wholesaler's kg this week, counted as local
  std::vector<double> trust;                 // [m] trust among the scheme's actors, 0..1
  std::vector<std::uint8_t> adopted;         // [m] adopted the framework exception during the run (0/1)
  std::vector<int> adopt_year;               // [m] ISO year the adoption takes effect, or 0
  std::vector<std::uint8_t> arena_week;      // [m] a co-creation arena met this week (0/1)
  std::vector<std::uint8_t> visit_week;      // [m] a farm visit took place this week (0/1)
  // every column, once (see the top of this file)
  template <class Self, class Visit>
  static void columns(Self& s, Visit&& visit) {
    visit(s.backing, "backing", Dim::municipality, Role::run);
    visit(s.exception_open, "exception_open", Dim::municipality, Role::run);
    visit(s.hub_funded, "hub_funded", Dim::municipality, Role::run);
    visit(s.share_ema, "share_ema", Dim::municipality, Role::run);
    visit(s.covered_local_year_nok, "covered_local_year_nok", Dim::municipality, Role::run);
    visit(s.covered_spend_year_nok, "covered_spend_year_nok", Dim::municipality, Role::run);
    visit(s.covered_spend_week_nok, "covered_spend_week_nok", Dim::municipality, Role::run);
    visit(s.failure_ema, "failure_ema", Dim::municipality, Role::run);
    visit(s.premium_year_nok, "premium_year_nok", Dim::municipality, Role::run);
    visit(s.hub_net_cost_year_nok, "hub_net_cost_year_nok", Dim::municipality, Role::run);
    visit(s.hub_budget_year_nok, "hub_budget_year_nok", Dim::municipality, Role::run);
    visit(s.election_week, "election_week", Dim::municipality, Role::run);
    visit(s.integrated, "integrated", Dim::municipality, Role::run);
    visit(s.project_ended, "project_ended", Dim::municipality, Role::run);
    visit(s.cap_share, "cap_share", Dim::municipality, Role::run);
    visit(s.incentive_nok_per_kg, "incentive_nok_per_kg", Dim::municipality, Role::run);
    visit(s.supplier_events, "supplier_events", Dim::municipality, Role::run);
    visit(s.direct_spent_nok, "direct_spent_nok", Dim::municipality_category, Role::run);
    visit(s.direct_closed, "direct_closed", Dim::municipality_category, Role::run);
    visit(s.wholesaler_norwegian_share, "wholesaler_norwegian_share", Dim::municipality_category, Role::run);
    visit(s.wholesaler_regional_share, "wholesaler_regional_share", Dim::municipality_category, Role::run);
    visit(s.trust, "trust", Dim::municipality, Role::run);
    visit(s.adopted, "adopted", Dim::municipality, Role::run);
    visit(s.adopt_year, "adopt_year", Dim::municipality, Role::run);
    visit(s.arena_week, "arena_week", Dim::municipality, Role::run);
    visit(s.visit_week, "visit_week", Dim::municipality, Role::run);
  }
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
  std::vector<int> buyer_market;                // [b] market a buyer orders local food through, or -1
  std::vector<std::vector<std::uint32_t>> buyers_of_municipality;     // [m] ascending ids
  std::vector<std::vector<std::uint32_t>> producers_of_municipality;  // [m] ascending ids (home)
  ProducerStore producers;
  ChannelStore channels;
  MarketStore markets;
  BuyerStore buyers;
  WorkerStore workers;
  PolicyStore policy;

  // every value of the state, once: scalars as visit(x, name), columns as visit(column, name, dim, role)
  template <class Self, class Visit>
  static void columns(Self& s, Visit&& visit) {
    visit(s.week, "week");
    visit(s.date, "date");
    visit(s.iso_week, "iso_week");
    visit(s.iso_year, "iso_year");
    visit(s.price_index, "price_index");
    visit(s.contract_end, "contract_end");
    visit(s.tender_week, "tender_week");
    visit(s.hub_of_municipality, "hub_of_municipality", Dim::municipality, Role::setup);
    visit(s.direct_of_municipality, "direct_of_municipality", Dim::municipality, Role::setup);
    visit(s.buyer_market, "buyer_market", Dim::buyer, Role::setup);
    visit(s.buyers_of_municipality, "buyers_of_municipality", Dim::municipality, Role::setup);
    visit(s.producers_of_municipality, "producers_of_municipality", Dim::municipality, Role::setup);
    ProducerStore::columns(s.producers, visit);
    ChannelStore::columns(s.channels, visit);
    MarketStore::columns(s.markets, visit);
    BuyerStore::columns(s.buyers, visit);
    WorkerStore::columns(s.workers, visit);
    PolicyStore::columns(s.policy, visit);
  }
};

// how many agents of each kind a world has: the lengths of its columns
struct StateSizes {
  std::size_t producers = 0, channels = 0, markets = 0, buyers = 0, workers = 0, municipalities = 0;
  std::size_t categories = 0;
  std::size_t history = 1;  // weeks of offers a market keeps (call_off_lead_weeks + 1)
};
// the sizes of the world a state was built for: its topology (Role::setup columns) and the parameters
StateSizes state_sizes(const Params& p, const State& s);
// the length of a column of shape `d` (for market_history: of each week's row)
std::size_t column_length(Dim d, const StateSizes& n);
// size and zero-fill every Role::run column from the lists (set-up, after the topology is built)
void size_run_columns(State& s, const StateSizes& n);
// 64-bit hash of every value of the state (bit patterns), in column-list order; the same at
// any thread count: large columns are hashed in fixed blocks and folded in block order
std::uint64_t hash_state(const State& s);

}  // namespace lokalmat
