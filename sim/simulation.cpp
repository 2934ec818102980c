#include "sim/simulation.h"

#include <chrono>
#include <stdexcept>

#include "sim/setup.h"

namespace lokalmat {

Simulation::Simulation(Params params) : params_(std::move(params)) { init_state(params_, state_); }

void Simulation::step() {
  using clock = std::chrono::steady_clock;
  const auto& table = phase_table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto t0 = clock::now();
    table[i].run(params_, state_, report_);
    phase_seconds_[i] += std::chrono::duration<double>(clock::now() - t0).count();
  }
  ++state_.week;  // the week is done
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
