#pragma once
// The MPI processes of a distributed sweep, or just this process when lokalmat
// was not started by an MPI launcher (mpirun, srun). MPI is initialised only in
// the first case, so a plain `lokalmat sweep` never needs an MPI runtime.
// A process counts as MPI-launched when its launcher set the rank variables of a
// process manager: OMPI_COMM_WORLD_SIZE (Open MPI's mpirun), PMI_SIZE / PMI_RANK
// (MPICH's Hydra, `srun --mpi=pmi2`) or PMIX_RANK (`srun --mpi=pmix`, Open MPI 5).
// Plain `srun` without --mpi (and a cluster whose MpiDefault is none) sets none of them:
// each task would take itself for the only one, so launch_problem() names the fix.
// Only the thread that created the Cluster calls MPI (MPI_THREAD_FUNNELED).
#include <deque>
#include <memory>
#include <string>

namespace lokalmat {

class Cluster {
 public:
  Cluster(int* argc, char*** argv);
  // why this process must not start ("" when it may): one of several tasks of a Slurm
  // step (SLURM_STEP_NUM_TASKS > 1) that no process manager told its rank
  static std::string launch_problem();
  ~Cluster();  // out of line: PendingSend is complete only in cluster.cpp
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  [[nodiscard]] bool distributed() const { return size_ > 1; }
  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  // processes of this job on this machine (for a default thread count per process)
  [[nodiscard]] int local_size() const { return local_size_; }

  // rank 0's bytes to every rank
  void broadcast(std::string& bytes) const;
  // to rank 0, tagged, without waiting for rank 0 to receive it (the bytes are kept until it has)
  void send_to_root(std::string bytes, int tag);
  // let sends progress and release the finished ones; true when none is left
  bool progress_sends();
  // wait until every send has been received, sleeping between checks rather than spinning
  // (a spinning wait would take a core from the runs of this process)
  void finish_sends();
  // rank 0: take one waiting message, if any (non-blocking)
  bool poll(std::string& bytes, int& tag, int& source) const;

 private:
  struct PendingSend;
  std::deque<std::unique_ptr<PendingSend>> sends_;
  bool initialised_ = false;
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

}  // namespace lokalmat
