#include "sim/simulation.h"

#include <chrono>

#include "sim/model.h"

namespace lokalmat {

const std::array<PhaseInfo, kPhases>& phase_table() {
  static const std::array<PhaseInfo, kPhases> table = {{
      {"calendar_policy", "municipalities", "backing, elections, withdrawal and return of instruments at budget years",
       update_policy},
      {"production", "producers", "harvest by season, storage and losses, asking prices", produce},
      {"offers", "producers, then hubs", "farms post offers to each hub they serve; the platform sums them", post_offers},
      {"demand_orders", "buyers", "meals, demand with waste, menu flexibility, participation, order split", form_orders},
      {"clearing", "hubs", "orders matched to offers, hub capacity rationing (proportional, by id order)",
       clear_markets},
      {"work", "day centres", "attendance, task hours least-hours-first, skills, contacts", assign_work},
      {"delivery_settlement", "hubs, buyers, producers", "reliability draws, payments, wholesaler fallback, waste",
       settle_deliveries},
      {"adaptation", "buyers, producers", "satisfaction, offer shares", adapt},
      {"metrics", "municipalities", "deterministic sums into the weekly report, state hash", nullptr},
  }};
  return table;
}

Simulation::Simulation(Params params) : params_(std::move(params)) { init_state(params_, state_); }

void Simulation::step() {
  using clock = std::chrono::steady_clock;
  State& s = state_;
  // the calendar: week k starts 7k days after the start date
  s.date = add_days(params_.start, 7LL * s.week);
  const IsoWeek iw = iso_week(s.date);
  const bool new_year = s.week > 0 && iw.week == 1;
  s.iso_week = iw.week;
  s.iso_year = iw.year;
  if (new_year) s.price_index *= 1.0 + params_.wholesaler.price_index_per_year;

  const auto& table = phase_table();
  for (int i = 0; i < kPhases; ++i) {
    const auto t0 = clock::now();
    if (table[static_cast<std::size_t>(i)].run) table[static_cast<std::size_t>(i)].run(params_, s);
    else collect_metrics(params_, s, report_);
    phase_seconds_[static_cast<std::size_t>(i)] += std::chrono::duration<double>(clock::now() - t0).count();
  }
  ++s.week;
}

void Simulation::run(int weeks, const std::function<void(const WeekReport&)>& sink) {
  for (int i = 0; i < weeks; ++i) {
    step();
    if (sink) sink(report_);
  }
}

}  // namespace lokalmat
