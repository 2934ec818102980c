#pragma once
// Helpers shared by the stylized-fact tests (tests/sim/stylized, MODEL.md §7): runs of the
// shipped scenarios to their end, and the week's flows summed over categories and kitchen types.
#include <functional>
#include <vector>

#include "sim/metrics.h"
#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat::test {

// the shipped Horten scenario
inline constexpr const char* kHorten = "scenarios/horten.toml";
// the kitchen types the Horten exception covers (kindergartens and SFOs)
inline const std::vector<int> kCoveredTypes = {static_cast<int>(BuyerType::kindergarten),
                                               static_cast<int>(BuyerType::sfo)};

// flows of some categories in some kitchen types (empty: all types) of one municipality (-1: all
// municipalities), one week, summed
FlowSums flows(const WeekReport& r, int municipality, const std::vector<int>& categories,
               const std::vector<int>& types);

// the local channel's share of the spend, by value
double channel_share(const FlowSums& f);

// run a scenario to its end, handing every week's report and the state after it to `visit`
void run_scenario(const Params& p, const std::function<void(const WeekReport&, const State&)>& visit);

}  // namespace lokalmat::test
