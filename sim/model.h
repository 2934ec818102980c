#pragma once
// The weekly phases of MODEL.md §5 as free functions over (const Params&, State&).
// Each phase writes only the slots of the agent it works on; the order and the
// parallelism are fixed by the phase table in sim/simulation.h.
#include "sim/metrics.h"
#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

// build the initial state (agents, channels, day centres, storage spin-up)
void init_state(const Params& p, State& s);

void update_policy(const Params& p, State& s);         // 1 calendar and policy
void produce(const Params& p, State& s);               // 2 production
void post_offers(const Params& p, State& s);           // 3 offers
void form_orders(const Params& p, State& s);           // 4 demand and orders
void clear_markets(const Params& p, State& s);         // 5 clearing
void assign_work(const Params& p, State& s);           // 6 work
void settle_deliveries(const Params& p, State& s);     // 7 delivery and settlement
void adapt(const Params& p, State& s);                 // 8 adaptation
void collect_metrics(const Params& p, State& s, WeekReport& r);  // 9 metrics

// whether the platform (hub) channel is open to the covered buyers of municipality m this week
bool local_channel_open(const Params& p, const State& s, int m);
// whether market h takes orders in general this week: a direct market, a purchasing system, or a
// platform whose exception (or quota) is open
bool market_open(const Params& p, const State& s, std::size_t h);
// ... or at least for the categories of a contract (lots, simple competition)
bool market_takes_orders(const Params& p, const State& s, std::size_t h);
// whether buyer b may order from its local market this week
bool market_open_for(const Params& p, const State& s, std::size_t b);
// the direct-purchase limit in force on a date (FOA: NOK 100,000; NOK 500,000 from 2026-07-01), NOK
double direct_limit_nok(const ProcurementParams& pr, Date d);
// productivity of a participant, kg per hour
double worker_productivity(const DayCentreParams& d, double skill);

}  // namespace lokalmat
