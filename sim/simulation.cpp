#include "sim/simulation.h"

#include <chrono>
#include <stdexcept>

#include "sim/model.h"

namespace lokalmat {

const std::array<PhaseInfo, kPhases>& phase_table() {
  static const std::array<PhaseInfo, kPhases> table = {{
      {"calendar_policy", "municipalities",
       "framework renewals, backing, elections, project ends, withdrawal/return and adaptive steering of instruments",
       update_policy},
      {"production", "producers", "yearly farm review (awareness, entry, exit, growth); harvest, storage, asking prices",
       produce},
      {"offers", "producers, then hubs", "farms post offers to each hub they serve; the platform sums them", post_offers},
      {"demand_orders", "buyers", "meals, demand with waste, menu flexibility, participation, order split", form_orders},
      {"clearing", "markets", "orders matched to offers, direct-purchase limit, hub capacity rationing (proportional, by id order)",
       clear_markets},
      {"work", "day centres", "attendance, task hours least-hours-first, skills, contacts, moves on, waiting list",
       assign_work},
      {"delivery_settlement", "markets, buyers, producers", "reliability draws, payments, incentives, wholesaler fallback, waste",
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
  // the framework agreement ends after its base term and extensions and is re-tendered
  s.tender_week = 0;
  if (s.date >= s.contract_end) {
    const int term = params_.wholesaler.contract_base_years + params_.wholesaler.contract_extensions;
    s.contract_end.year += term;
    s.tender_week = 1;
  }

  const auto& table = phase_table();
  for (int i = 0; i < kPhases; ++i) {
    const auto t0 = clock::now();
    if (table[static_cast<std::size_t>(i)].run) table[static_cast<std::size_t>(i)].run(params_, s);
    else collect_metrics(params_, s, report_);
    phase_seconds_[static_cast<std::size_t>(i)] += std::chrono::duration<double>(clock::now() - t0).count();
  }
  ++s.week;
}

void Simulation::replace_params(Params p) {
  const Params& o = params_;
  if (p.municipalities.size() != o.municipalities.size() || p.producers.size() != o.producers.size() ||
      p.buyers.size() != o.buyers.size() || p.categories.size() != o.categories.size() ||
      p.weeks != o.weeks || p.seed != o.seed)
    throw std::invalid_argument("an intervention may not change the run's world (its agents, categories, length or seed)");
  for (std::size_t m = 0; m < p.municipalities.size(); ++m)
    if (p.municipalities[m].hub.enabled != o.municipalities[m].hub.enabled)
      throw std::invalid_argument("an intervention may not open or close a hub (markets are built at the start)");
  params_ = std::move(p);
}

void Simulation::run(int weeks, const std::function<void(const WeekReport&)>& sink) {
  for (int i = 0; i < weeks; ++i) {
    step();
    if (sink) sink(report_);
  }
}

}  // namespace lokalmat
