#pragma once
// One run of a sweep: the base scenario with the point's parameter values and the
// replicate's seed, simulated (or the test model evaluated), reduced to the kept
// outputs. A run that throws comes back as a failed record with the message; it
// never takes the sweep down. The result depends only on (definition, run id), so
// it is bit-identical whatever thread or MPI rank computes it.
#include <cstdint>

#include "sim/sweep/sweep_record.h"
#include "sim/sweep/sweep_def.h"

namespace lokalmat::sweep {

RunRecord execute_run(const SweepDef& def, std::int64_t run_id);

// the header of the sweep file for this definition
SweepHeader make_header(const SweepDef& def);

}  // namespace lokalmat::sweep
