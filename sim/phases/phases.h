#pragma once
// The weekly phases of MODEL.md §5, one file each in this folder, as free functions
// whose signatures show what they read (const) and write. A parallel phase writes
// only the slots of the agent it works on; the order, the parallelism and what each
// phase reads and writes are the phase table (sim/phases/phase_table.cpp), which
// Simulation::step runs and the README shows.
#include "sim/metrics.h"
#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

void advance_calendar(const Params& p, State& s);                           // calendar
void update_policy(const Params& p, State& s);                              // policy
void produce(const Params& p, State& s);                                    // production
void post_offers(const Params& p, State& s);                                // offers
void form_orders(const Params& p, State& s);                                // demand and orders
void clear_markets(const Params& p, State& s);                              // clearing
void assign_work(const Params& p, State& s);                                // work
void settle_deliveries(const Params& p, State& s);                          // delivery and settlement
void adapt(const Params& p, State& s);                                      // adaptation
void collect_metrics(const Params& p, const State& s, WeekReport& r);       // metrics (an observer)
void feed_back_results(const Params& p, const WeekReport& r, State& s);     // feedback
void record_state_hash(const State& s, WeekReport& r);                      // state hash

}  // namespace lokalmat
