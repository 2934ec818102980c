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

// one run at these parameter values (one per factor, as a design point holds them) with this
// seed: a calibration's candidate; run_id and point are 0
RunRecord evaluate_at(const SweepDef& def, const std::vector<double>& values, std::uint64_t seed);

// the header of the sweep file for this definition
SweepHeader make_header(const SweepDef& def);

}  // namespace lokalmat::sweep
