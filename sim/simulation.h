#pragma once
// The weekly step as a table of named phases run in a fixed order (MODEL.md §5):
// sim/phases/phase_table.cpp. The same table is printed by `lokalmat phases` and
// shown in the README.
//
// Threads: the phases use oneTBB's current arena. Callers choose the number of
// threads with tbb::global_control or a tbb::task_arena; results are
// bit-identical whatever they choose (see tests/sim/determinism_test.cpp).
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "sim/metrics.h"
#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

struct PhaseInfo {
  std::string_view name;
  std::string_view parallel_over;  // "serial" when the phase is serial
  std::string_view writes;         // what the phase writes (and, for observers, that they read State only)
  std::string_view what;
  // runs the phase; each row calls its phase function with the constness that function declares
  void (*run)(const Params&, State&, WeekReport&);
};

inline constexpr int kPhases = 12;
const std::array<PhaseInfo, kPhases>& phase_table();
// the phase table as Markdown (`lokalmat phases`, the README)
std::string phase_table_markdown();

class Simulation {
 public:
  explicit Simulation(Params params);

  // run one week: all phases in order; the report is ready afterwards
  void step();
  // run `weeks` weeks, handing each week's report to `sink`
  void run(int weeks, const std::function<void(const WeekReport&)>& sink = {});

  [[nodiscard]] const Params& params() const { return params_; }
  [[nodiscard]] const State& state() const { return state_; }
  // mutable access for interventions applied between weeks
  [[nodiscard]] State& mutable_state() { return state_; }
  // replace the parameters between weeks (an intervention); the world must keep its shape:
  // the same municipalities, farms, kitchens, categories and markets (throws std::invalid_argument)
  void replace_params(Params params);
  [[nodiscard]] const WeekReport& report() const { return report_; }
  [[nodiscard]] int weeks_done() const { return state_.week; }
  // cumulative wall seconds spent in each phase
  [[nodiscard]] const std::array<double, kPhases>& phase_seconds() const { return phase_seconds_; }

 private:
  Params params_;
  State state_;
  WeekReport report_;
  std::array<double, kPhases> phase_seconds_{};
};

}  // namespace lokalmat
