#pragma once
// A farm's decision to join the municipal channel (MODEL.md §3 "Producer": aware ->
// qualified -> active), shared by the yearly review (sim/phases/production.cpp) and
// purchasing systems, where farms qualify in any week (sim/rules/dynamic_purchasing.cpp).
#include <cstddef>

#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

// a farm's expected yearly gain from joining the municipal channel, NOK: the unmet demand on
// its open markets (shared with the farms already active there) at its margin over its other
// markets, less its admin hours
double expected_entry_gain(const Params& p, const State& s, std::size_t i);
// it joins when the expected gain beats the entry cost; supplier development and trust cut that cost
bool wants_to_join(const Params& p, const State& s, std::size_t i);
// the farm enters the channel: its offers start afresh (writes only farm i's slots)
void enter_channel(const Params& p, State& s, std::size_t i);

}  // namespace lokalmat
