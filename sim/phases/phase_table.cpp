// The weekly step as a table: each row is a phase of MODEL.md §5 and the function that
// runs it, in the order they run. Simulation::step runs the rows; `lokalmat phases`
// prints them and the README's phase table is that print.
#include "sim/phases/phases.h"
#include "sim/simulation.h"

namespace lokalmat {

const std::array<PhaseInfo, kPhases>& phase_table() {
  static const std::array<PhaseInfo, kPhases> table = {{
      {"calendar", "serial", "State: calendar", "the week's date and ISO week; the price index at a new year; the framework agreement renewed at the end of its term",
       [](const Params& p, State& s, WeekReport&) { advance_calendar(p, s); }},
      {"policy", "municipalities", "State: policy, contracts",
       "the rules' week (wholesaler shares, renewals, yearly competitions); projects ending; withdrawal and return at a budget year; adaptive steering; backing, elections, trust, adoption",
       [](const Params& p, State& s, WeekReport&) { update_policy(p, s); }},
      {"production", "producers", "State: producers",
       "the yearly farm review (awareness, entry, exit, growth) or mid-season entry; harvest, storage, asking prices",
       [](const Params& p, State& s, WeekReport&) { produce(p, s); }},
      {"offers", "producers, then markets", "State: channels, markets",
       "farms post offers to each open market they serve; each market sums them",
       [](const Params& p, State& s, WeekReport&) { post_offers(p, s); }},
      {"demand_orders", "buyers", "State: buyers",
       "meals, demand with waste, menu flexibility, participation, the split of orders shaped by the rules in force",
       [](const Params& p, State& s, WeekReport&) { form_orders(p, s); }},
      {"clearing", "markets", "State: markets, channels",
       "orders matched to offers (proportional, by id order), the rules' limits, hub capacity, sales shared among farms",
       [](const Params& p, State& s, WeekReport&) { clear_markets(p, s); }},
      {"work", "day centres", "State: workers, markets",
       "attendance on delivery days, the hub's tasks in shifts least-hours-first, volunteers, courier and staff, skills, contacts, moves on, waiting list",
       [](const Params& p, State& s, WeekReport&) { assign_work(p, s); }},
      {"delivery_settlement", "markets, buyers, producers", "State: markets, buyers, producers",
       "reliability draws, the rules' settlement (penalties, limits), payments, incentives, wholesaler fallback, waste, routes and hub cost",
       [](const Params& p, State& s, WeekReport&) { settle_deliveries(p, s); }},
      {"adaptation", "buyers, producers", "State: buyers, channels", "satisfaction, offer shares",
       [](const Params& p, State& s, WeekReport&) { adapt(p, s); }},
      {"metrics", "municipalities", "the weekly report (reads State only)",
       "deterministic sums of the week into the weekly report, in id order",
       [](const Params& p, State& s, WeekReport& r) { collect_metrics(p, s, r); }},
      {"feedback", "serial", "State: policy signals (reads the report)",
       "the signals next week's policy reads: smoothed local share and failed deliveries, premium spent",
       [](const Params& p, State& s, WeekReport& r) { feed_back_results(p, r, s); }},
      {"state_hash", "fixed blocks", "the weekly report (reads State only)",
       "64-bit hash of every state column, so a divergence names its first week",
       [](const Params&, State& s, WeekReport& r) { record_state_hash(s, r); }},
  }};
  return table;
}

std::string phase_table_markdown() {
  std::string out = "| # | phase | parallel over | writes | what happens |\n|---|---|---|---|---|\n";
  int i = 1;
  for (const PhaseInfo& ph : phase_table()) {
    out += "| " + std::to_string(i++);
    for (std::string_view cell : {ph.name, ph.parallel_over, ph.writes, ph.what}) out += " | " + std::string(cell);
    out += " |\n";
  }
  return out;
}

}  // namespace lokalmat
