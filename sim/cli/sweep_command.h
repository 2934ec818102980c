#pragma once
// `lokalmat sweep` (`lokalmat analyze` is in sim/cli/analyze_command.h).
//
// sweep: every run of a sweep definition, spread over the cores with oneTBB and,
// under mpirun, over MPI ranks (rank r takes every size-th pending run; rank 0 also
// collects the results and is the only process that writes). Finished runs go to
// the journal at once and the HDF5 sweep file is rewritten from them every few
// seconds and at the end (results/sweep_store.h), so a sweep killed at any moment
// resumes with --resume, repeating no finished run.
#include <string>

#include "sim/scenario.h"

namespace lokalmat {

struct SweepOptions {
  std::string file;                 // sweep definition (TOML)
  std::string out;                  // sweep file (HDF5); default out/<sweep>.h5
  int threads = 0;                  // per process; 0 = the cores this process has to itself
  bool resume = false;
  bool force = false;
  bool quiet = false;
  bool dry_run = false;             // print the plan, run nothing
  double checkpoint_seconds = 5;    // how often the HDF5 file is rewritten from the journal
  double progress_seconds = 5;      // progress line interval when stderr is not a terminal
  Overrides sets;                   // extra scenario overrides for every run
};

int sweep_command(const SweepOptions& o);


}  // namespace lokalmat
