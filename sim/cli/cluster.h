#pragma once
// The MPI processes of a distributed sweep, or just this process when lokalmat
// was not started by an MPI launcher (mpirun, srun). MPI is initialised only in
// the first case, so a plain `lokalmat sweep` never needs an MPI runtime.
// Only the thread that created the Cluster calls MPI (MPI_THREAD_FUNNELED).
#include <string>

namespace lokalmat {

class Cluster {
 public:
  Cluster(int* argc, char*** argv);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  [[nodiscard]] bool distributed() const { return size_ > 1; }
  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  // processes of this job on this machine (for a default thread count per process)
  [[nodiscard]] int local_size() const { return local_size_; }

  // rank 0's bytes to every rank
  void broadcast(std::string& bytes) const;
  // to rank 0, tagged (blocking until MPI has taken the buffer)
  void send_to_root(const std::string& bytes, int tag) const;
  // rank 0: take one waiting message, if any (non-blocking)
  bool poll(std::string& bytes, int& tag, int& source) const;

 private:
  bool initialised_ = false;
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

}  // namespace lokalmat
