#pragma once
// `lokalmat calibrate CAL.toml`: approximate Bayesian computation by sequential Monte Carlo
// (sim/sweep/abc.h) of a calibration file (sim/sweep/calibration.h), spread over the cores with
// oneTBB and, under mpirun or srun --mpi=pmix, over MPI ranks, as sweeps are. Rank 0 proposes
// the candidates in batches and broadcasts each batch; every rank runs its share (candidate j of
// a batch on rank j mod size) and sends the results to rank 0, which alone decides and writes.
// A candidate's result depends only on its parameters and seed, and a generation is the first N
// accepted candidates in candidate order, so the posterior is bit-identical at any thread or
// rank count. Every finished run goes at once to a journal beside the output (OUT.h5.journal):
// after kill -9, `--resume` replays the sampler and reruns only what the journal lacks, giving
// the same file as an uninterrupted run. After the last generation, posterior-predictive runs
// (parameters drawn by the final weights, new seeds) are made for the targets' check.
// The result file: results/calibration_store.h.
#include <string>

#include "sim/scenario.h"

namespace lokalmat {

struct CalibrateOptions {
  std::string file;
  std::string out;                // default out/<calibration>.h5
  int threads = 0;                // per process; 0 = the cores this process has to itself
  bool resume = false;
  bool force = false;
  bool quiet = false;
  bool dry_run = false;           // check the definition and print the plan; run nothing
  double progress_seconds = 5;    // progress line interval when stderr is not a terminal
  Overrides sets;
};

int calibrate_command(const CalibrateOptions& o);

}  // namespace lokalmat
