#include "sim/cli/cluster.h"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lokalmat {

namespace {

// set by Open MPI's mpirun, by MPICH/Hydra and by Slurm's srun
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v) return fallback;
  const int x = std::atoi(v);
  return x > 0 ? x : fallback;
}

void check(int rc, std::string_view what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error("MPI error in " + std::string(what));
}

}  // namespace

std::string Cluster::launch_problem() {
  if (launched_by_mpi() || env_int("SLURM_STEP_NUM_TASKS", 1) <= 1) return "";
  const char* task = std::getenv("SLURM_PROCID");
  return "this is task " + std::string(task ? task : "?") + " of " + std::to_string(env_int("SLURM_STEP_NUM_TASKS", 1)) +
         " of a Slurm step, but no MPI process manager gave it a rank, so every task would run the whole sweep: "
         "start it with `srun --mpi=pmix` (or --mpi=pmi2; `srun --mpi=list` shows what the cluster has)";
}

Cluster::Cluster(int* argc, char*** argv) {
  if (!launched_by_mpi()) return;
  int provided = 0;
  check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  initialised_ = true;
  if (provided < MPI_THREAD_FUNNELED) throw std::runtime_error("MPI does not support MPI_THREAD_FUNNELED");
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  local_size_ = env_int("OMPI_COMM_WORLD_LOCAL_SIZE", env_int("MPI_LOCALNRANKS", env_int("SLURM_NTASKS_PER_NODE", 1)));
}

Cluster::~Cluster() {
  if (!initialised_) return;
  try {
    finish_sends();
  } catch (...) {  // finalize anyway
  }
  MPI_Finalize();
}

void Cluster::broadcast(std::string& bytes) const {
  if (!initialised_) return;
  unsigned long long n = bytes.size();
  check(MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
  bytes.resize(n);
  // in pieces below INT_MAX bytes
  for (unsigned long long off = 0; off < n;) {
    const int piece = static_cast<int>(std::min<unsigned long long>(n - off, 1ULL << 30));
    check(MPI_Bcast(bytes.data() + off, piece, MPI_BYTE, 0, MPI_COMM_WORLD), "MPI_Bcast");
    off += static_cast<unsigned long long>(piece);
  }
}

struct Cluster::PendingSend {
  std::string bytes;
  MPI_Request request = MPI_REQUEST_NULL;
};

void Cluster::send_to_root(std::string bytes, int tag) {
  if (bytes.size() > (1ULL << 31) - 1) throw std::runtime_error("a run's result is too large for one MPI message");
  auto s = std::make_unique<PendingSend>();
  s->bytes = std::move(bytes);
  check(MPI_Isend(s->bytes.data(), static_cast<int>(s->bytes.size()), MPI_BYTE, 0, tag, MPI_COMM_WORLD, &s->request),
        "MPI_Isend");
  sends_.push_back(std::move(s));
}

bool Cluster::progress_sends() {
  // sends complete in order to one destination: release from the front
  while (!sends_.empty()) {
    int done = 0;
    check(MPI_Test(&sends_.front()->request, &done, MPI_STATUS_IGNORE), "MPI_Test");
    if (!done) return false;
    sends_.pop_front();
  }
  return true;
}

void Cluster::finish_sends() {
  while (!progress_sends()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

bool Cluster::poll(std::string& bytes, int& tag, int& source) const {
  if (!initialised_) return false;
  int flag = 0;
  MPI_Status st;
  check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
  if (!flag) return false;
  int count = 0;
  MPI_Get_count(&st, MPI_BYTE, &count);
  bytes.resize(static_cast<std::size_t>(count));
  check(MPI_Recv(bytes.data(), count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
        "MPI_Recv");
  tag = st.MPI_TAG;
  source = st.MPI_SOURCE;
  return true;
}

}  // namespace lokalmat
