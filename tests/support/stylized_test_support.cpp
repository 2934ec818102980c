#include "tests/support/stylized_test_support.h"

#include "sim/simulation.h"

namespace lokalmat::test {

FlowSums flows(const WeekReport& r, int municipality, const std::vector<int>& categories,
               const std::vector<int>& types) {
  FlowSums f;
  auto add_type = [&](int t) {
    for (int c : categories) f.add(group_sums(r, municipality, t, c).flow);
  };
  if (types.empty()) add_type(-1);
  else for (int t : types) add_type(t);
  return f;
}

double channel_share(const FlowSums& f) { return f.local_nok / (f.local_nok + f.wholesale_nok); }

void run_scenario(const Params& p, const std::function<void(const WeekReport&, const State&)>& visit) {
  Simulation sim(p);
  sim.run(p.weeks, [&](const WeekReport& r) { visit(r, sim.state()); });
}

}  // namespace lokalmat::test
