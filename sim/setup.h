#pragma once
// Set-up: the initial state of a run from its parameters. The world's topology first
// (markets, which market each kitchen orders through, the farms' channels, the
// day-centre participants), which fixes the length of every column; then the run's
// columns sized from the column lists (sim/state.h); then their starting values.
#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

void init_state(const Params& p, State& s);

}  // namespace lokalmat
