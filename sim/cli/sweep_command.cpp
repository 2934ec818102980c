#include "sim/cli/sweep_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "results/sweep_store.h"
#include "sim/cli/cluster.h"
#include "sim/cli/command_util.h"
#include "sim/sweep/sweep_run.h"

namespace lokalmat {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;


// MPI message tags
constexpr int kTagResult = 1;
constexpr int kTagDone = 2;

// what rank 0 tells every rank before the runs start
struct Plan {
  int status = 0;                     // 0 go, 1 run-time failure, 2 bad input, 3 nothing to do
  std::string message;
  std::vector<std::int64_t> pending;  // run ids still to do, in execution order

  [[nodiscard]] std::string encode() const {
    std::string s(sizeof(int) + sizeof(std::uint64_t) * 2 + message.size() + pending.size() * sizeof(std::int64_t), '\0');
    char* p = s.data();
    auto put = [&p](const void* v, std::size_t n) {
      if (n > 0) std::memcpy(p, v, n);  // an empty vector's data() may be null
      p += n;
    };
    const std::uint64_t nm = message.size(), np = pending.size();
    put(&status, sizeof status);
    put(&nm, sizeof nm);
    put(message.data(), nm);
    put(&np, sizeof np);
    put(pending.data(), np * sizeof(std::int64_t));
    return s;
  }
  static Plan decode(const std::string& s) {
    Plan pl;
    const char* p = s.data();
    auto get = [&p](void* v, std::size_t n) {
      if (n > 0) std::memcpy(v, p, n);
      p += n;
    };
    std::uint64_t nm = 0, np = 0;
    get(&pl.status, sizeof pl.status);
    get(&nm, sizeof nm);
    pl.message.assign(p, nm);
    p += nm;
    get(&np, sizeof np);
    pl.pending.resize(np);
    get(pl.pending.data(), np * sizeof(std::int64_t));
    return pl;
  }
};

// finished runs handed from the compute threads to the main thread
class RecordQueue {
 public:
  void push(RunRecord r) {
    {
      const std::lock_guard lock(m_);
      q_.push_back(std::move(r));
    }
    cv_.notify_one();
  }
  // everything waiting, after at most `wait` when nothing is
  std::vector<RunRecord> take(std::chrono::milliseconds wait) {
    std::unique_lock lock(m_);
    cv_.wait_for(lock, wait, [&] { return !q_.empty() || closed_; });
    std::vector<RunRecord> out(std::make_move_iterator(q_.begin()), std::make_move_iterator(q_.end()));
    q_.clear();
    return out;
  }
  void close() {
    {
      const std::lock_guard lock(m_);
      closed_ = true;
    }
    cv_.notify_all();
  }
  bool closed_and_empty() {
    const std::lock_guard lock(m_);
    return closed_ && q_.empty();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<RunRecord> q_;
  bool closed_ = false;
};

// this process's share of the runs, on `threads` threads, in order, until done or stopped
std::thread start_compute(const sweep::SweepDef& def, std::vector<std::int64_t> mine, int threads, RecordQueue& q) {
  return std::thread([&def, mine = std::move(mine), threads, &q] {
    tbb::task_arena arena(threads);
    std::atomic<std::size_t> next{0};
    arena.execute([&] {
      // one loop per thread, each taking the next run in order: the runs start in execution order
      tbb::parallel_for(0, threads, 1, [&](int) {
        for (std::size_t i; !stop_requested() && (i = next.fetch_add(1)) < mine.size();) q.push(sweep::execute_run(def, mine[i]));
      });
    });
    q.close();
  });
}

// runs done, failed, rate and time left: a redrawn bar on a terminal, a line every few seconds otherwise
class Progress {
 public:
  Progress(std::int64_t total, std::int64_t already, bool quiet, double line_seconds)
      : total_(total), already_(already), quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0),
        every_(tty_ ? 0.2 : line_seconds), t0_(Clock::now()), last_(t0_) {}

  void update(std::int64_t done, std::int64_t failed, bool force = false) {
    if (quiet_) return;
    const auto now = Clock::now();
    if (!force && std::chrono::duration<double>(now - last_).count() < every_) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - t0_).count();
    const std::int64_t here = done - already_;
    const double rate = secs > 0 ? static_cast<double>(here) / secs : 0;
    const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : NAN;
    const double frac = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1;
    const std::string text = fmt::format("{}/{} runs ({:.0f}%), {} failed, {:.1f} runs/s, {} left", done, total_,
                                         100 * frac, failed, rate, done == total_ ? "0 s" : format_duration(left));
    if (tty_) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(frac * kWidth);
      std::cerr << fmt::format("\r[{}{}] {}\x1b[K", std::string(static_cast<std::size_t>(filled), '#'),
                               std::string(static_cast<std::size_t>(kWidth - filled), '.'), text)
                << std::flush;
    } else {
      std::cerr << "sweep: " << text << "\n";
    }
  }
  void finish() {
    if (!quiet_ && tty_) std::cerr << "\n";
  }

 private:
  std::int64_t total_, already_;
  bool quiet_, tty_;
  double every_;
  Clock::time_point t0_, last_;
};

// the files a sweep reads: its definition, the base scenario and what that was read from
std::vector<std::string> sweep_inputs(const sweep::SweepDef& def) {
  std::vector<std::string> in = def.base.files;
  in.push_back(def.path);
  if (!def.scenario.empty()) in.push_back(def.scenario);
  return in;
}

// rank 0: the sweep file and its journal may be written here (results/output_file.h); the
// message when not (status 2: an input, a missing directory; 1: e.g. a read-only directory)
Plan check_targets(const sweep::SweepDef& def, const SweepOptions& o, bool default_out) {
  Plan plan;
  // existing files are judged by plan_runs (--resume, --force); here: the rest of the rules
  const OutputRules rules{.force = true, .inputs = sweep_inputs(def), .create_directory = default_out};
  try {
    check_output_target(o.out, rules);
    check_output_target(o.out + ".journal", rules);
  } catch (const OutputRefused& e) {
    plan.status = 2;
    plan.message = e.what();
  } catch (const std::exception& e) {
    plan.status = 1;
    plan.message = e.what();
  }
  return plan;
}

// rank 0: what is left to do, from the journal when resuming
Plan plan_runs(const sweep::SweepDef& def, const SweepHeader& header, const SweepOptions& o,
               std::vector<RunRecord>& done) {
  Plan plan;
  const std::string journal = o.out + ".journal";
  std::set<std::int64_t> finished;
  if (o.resume && fs::exists(journal)) {
    auto contents = SweepJournal::read(journal);
    if (contents.fingerprint != header.fingerprint()) {
      plan.status = 2;
      plan.message = fmt::format("{}: this journal belongs to a different sweep definition (or lokalmat version); "
                                 "start again with --force",
                                 journal);
      return plan;
    }
    if (contents.dropped_bytes > 0 && !o.quiet)
      std::cerr << fmt::format("sweep: dropped a torn last record ({} bytes) from the journal; that run runs again\n",
                               contents.dropped_bytes);
    for (auto& r : contents.records)
      if (finished.insert(r.run_id).second) done.push_back(std::move(r));
  } else if (o.resume && fs::exists(o.out)) {
    SweepFile f;
    try {
      f = read_sweep_file(o.out, PartialFiles::accept);  // finishing it is what --resume is for
    } catch (const ResultFileError& e) {  // told to every rank, like any bad input
      plan.status = 2;
      plan.message = e.what();
      return plan;
    }
    if (f.complete) {
      plan.status = 3;
      plan.message = fmt::format("{} is complete ({} runs); nothing to resume", o.out, f.records.size());
      return plan;
    }
    plan.status = 2;
    plan.message = fmt::format("{} is incomplete but its journal {} is gone; start again with --force", o.out, journal);
    return plan;
  } else if (!o.resume && !o.force && (fs::exists(o.out) || fs::exists(journal))) {
    plan.status = 2;
    plan.message = fmt::format("{} already exists; use --resume to finish it or --force to start again",
                               fs::exists(o.out) ? o.out : journal);
    return plan;
  }
  for (std::int64_t id : sweep::run_order(def.design, def.replicates))
    if (!finished.contains(id)) plan.pending.push_back(id);
  return plan;
}

// warn once when a range reaches outside what a scenario key allows: those runs will fail
void warn_out_of_range(const sweep::SweepDef& def) {
  if (def.is_test_model()) return;
  for (const auto& f : def.factors) {
    if (f.categorical()) continue;  // every level was tried when the definition was read
    const auto info = scenario_key_info(f.key);
    double lo = f.lo, hi = f.hi;
    if (def.kind == sweep::DesignKind::factorial) {
      lo = *std::min_element(f.values.begin(), f.values.end());
      hi = *std::max_element(f.values.begin(), f.values.end());
    }
    if (info && (lo < info->lo || hi > info->hi))
      std::cerr << fmt::format("sweep: warning: {} is swept over {} to {} but allows {} to {}; runs outside fail\n",
                               f.key, lo, hi, info->lo, info->hi);
  }
}

// on any way out: stop taking runs and wait for those in flight (a joinable thread must not be destroyed)
struct JoinOnExit {
  std::thread& t;
  ~JoinOnExit() {
    if (t.joinable()) {
      request_stop();
      t.join();
    }
  }
};

// what one process did, on stderr: a rank that never took part is seen at once
void report_share(const Cluster& cluster, std::int64_t runs, int threads, double seconds) {
  std::cerr << fmt::format("sweep: rank {} of {} ran {} runs on {} thread{} in {:.1f} s\n", cluster.rank(),
                           cluster.size(), runs, threads, threads > 1 ? "s" : "", seconds);
}

int worker(Cluster& cluster, const sweep::SweepDef& def, std::vector<std::int64_t> mine, int threads, bool quiet) {
  const auto t0 = Clock::now();
  RecordQueue q;
  std::thread compute = start_compute(def, std::move(mine), threads, q);
  const JoinOnExit join{compute};
  std::int64_t ran = 0;
  while (!q.closed_and_empty()) {
    for (auto& r : q.take(std::chrono::milliseconds(20))) {
      cluster.send_to_root(encode_record(r), kTagResult);
      ++ran;
    }
    cluster.progress_sends();
  }
  compute.join();
  cluster.send_to_root({}, kTagDone);
  cluster.finish_sends();
  if (!quiet) report_share(cluster, ran, threads, std::chrono::duration<double>(Clock::now() - t0).count());
  return 0;
}

}  // namespace

int sweep_command(const SweepOptions& opts) {
  if (const std::string why = Cluster::launch_problem(); !why.empty()) throw ScenarioError(why);
  Cluster cluster(nullptr, nullptr);
  SweepOptions o = opts;
  const bool default_out = o.out.empty();
  if (default_out) o.out = (fs::path("out") / (fs::path(o.file).stem().string() + ".h5")).string();
  const bool root = cluster.rank() == 0;

  // every process reads the definition (a shared file system, as on any cluster), then checks
  // the output's name
  sweep::SweepDef def;
  try {
    def = sweep::load_sweep(o.file, o.sets);
  } catch (const ScenarioError&) {
    if (root) throw;
    return 2;  // rank 0 reports it
  }
  if (const std::string why = output_path_problem(o.out); !why.empty()) {
    if (root) throw ScenarioError(fmt::format("-o {}: {}", o.out, why));
    return 2;  // rank 0 reports it
  }
  const SweepHeader header = sweep::make_header(def);
  if (o.dry_run) {
    if (root) {
      // the rules of every output too (an input, a missing directory), but no directory is made:
      // the default out/ is made by the sweep itself
      const bool made_later = default_out && !fs::exists(fs::path(o.out).parent_path());
      if (const Plan t = made_later ? Plan{} : check_targets(def, o, false); t.status != 0) {
        std::cerr << "lokalmat: " << t.message << "\n";
        return t.status;
      }
      std::cout << fmt::format("{}: {} design, {} points x {} replicates = {} runs; outputs: {}\n", o.file,
                               sweep::design_name(def.kind), def.design.points(), def.replicates, def.runs(),
                               fmt::join(header.outputs, ", "));
      for (std::size_t i = 0; i < def.factors.size(); ++i)
        std::cout << fmt::format("  {} ({})\n", def.factors[i].key, def.factors[i].unit.empty() ? "-" : def.factors[i].unit);
      warn_out_of_range(def);
    }
    return 0;
  }
  const int threads = o.threads > 0 ? o.threads : default_threads(cluster);

  // rank 0 decides what is left to do and tells everyone
  std::vector<RunRecord> records;
  Plan plan;
  if (root) {
    plan = check_targets(def, o, default_out);
    if (plan.status == 0) plan = plan_runs(def, header, o, records);
  }
  std::string bytes = root ? plan.encode() : std::string();
  cluster.broadcast(bytes);
  if (!root) plan = Plan::decode(bytes);
  if (plan.status != 0) {
    if (root) std::cerr << "lokalmat: " << plan.message << "\n";
    return plan.status == 3 ? 0 : plan.status;
  }
  std::vector<std::int64_t> mine;
  for (std::size_t j = static_cast<std::size_t>(cluster.rank()); j < plan.pending.size();
       j += static_cast<std::size_t>(cluster.size()))
    mine.push_back(plan.pending[j]);

  install_stop_handlers();
  if (!root) return worker(cluster, def, std::move(mine), threads, o.quiet);

  // rank 0: journal first, then compute and collect
  if (!o.resume || !fs::exists(o.out + ".journal")) fs::remove(o.out);
  // every snapshot replaces the last one; never an input (results/output_file.h)
  const OutputRules snapshot_rules{.force = true, .inputs = sweep_inputs(def)};
  SweepJournal journal(o.out + ".journal", header.fingerprint(), o.resume && fs::exists(o.out + ".journal"));
  const std::int64_t total = def.runs(), already = static_cast<std::int64_t>(records.size());
  std::int64_t failed = 0;
  for (const auto& r : records) failed += r.ok ? 0 : 1;
  if (!o.quiet) {
    std::cerr << fmt::format("sweep {}: {} design, {} points x {} replicates = {} runs{}; {} process{} x {} threads\n",
                             def.title.empty() ? o.file : def.title, sweep::design_name(def.kind), def.design.points(),
                             def.replicates, total,
                             already > 0 ? fmt::format(" ({} done, {} to go)", already, plan.pending.size()) : "",
                             cluster.size(), cluster.size() > 1 ? "es" : "", threads);
    warn_out_of_range(def);
  }
  const auto t0 = Clock::now();
  auto last_checkpoint = t0;
  Progress progress(total, already, o.quiet, o.progress_seconds);
  auto accept = [&](RunRecord r) {
    journal.append(r);
    failed += r.ok ? 0 : 1;
    records.push_back(std::move(r));
  };

  RecordQueue q;
  std::thread compute = start_compute(def, std::move(mine), threads, q);
  const JoinOnExit join{compute};
  int workers_left = cluster.size() - 1;
  std::int64_t ran_here = 0;
  double checkpoint_cost = 0;
  while (!q.closed_and_empty() || workers_left > 0) {
    for (auto& r : q.take(std::chrono::milliseconds(workers_left > 0 ? 2 : 50))) {
      accept(std::move(r));
      ++ran_here;
    }
    std::string msg;
    int tag = 0, source = 0;
    while (cluster.poll(msg, tag, source)) {
      if (tag == kTagDone) --workers_left;
      else accept(decode_record(msg));
    }
    progress.update(static_cast<std::int64_t>(records.size()), failed);
    // rewrite the HDF5 file now and then; never spend more than a tenth of the time on it
    const auto now = Clock::now();
    if (std::chrono::duration<double>(now - last_checkpoint).count() >= std::max(o.checkpoint_seconds, 10 * checkpoint_cost)) {
      journal.sync();
      write_sweep_file(o.out, header, records, false, std::chrono::duration<double>(now - t0).count(), snapshot_rules);
      last_checkpoint = Clock::now();
      checkpoint_cost = std::chrono::duration<double>(last_checkpoint - now).count();
    }
  }
  compute.join();
  journal.sync();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  const bool complete = static_cast<std::int64_t>(records.size()) == total;
  write_sweep_file(o.out, header, records, complete, secs, snapshot_rules);
  progress.update(static_cast<std::int64_t>(records.size()), failed, true);
  progress.finish();
  if (cluster.distributed() && !o.quiet) report_share(cluster, ran_here, threads, secs);
  if (!complete) {
    std::cerr << fmt::format("lokalmat: sweep stopped with {} of {} runs done; {} holds them (complete = 0); "
                             "finish with: lokalmat sweep {} -o {} --resume\n",
                             records.size(), total, o.out, o.file, o.out);
    return 130;
  }
  fs::remove(o.out + ".journal");
  if (!o.quiet) {
    const double rate = secs > 0 ? static_cast<double>(total - already) / secs : 0;
    std::cout << fmt::format("{} runs ({} ok, {} failed) in {:.1f} s, {:.1f} runs/s; results: {}\n", total,
                             total - failed, failed, secs, rate, o.out);
    int shown = 0;
    for (const auto& r : records)
      if (!r.ok && shown++ < 5) std::cout << fmt::format("  run {} failed: {}\n", r.run_id, r.message);
  }
  return 0;
}

}  // namespace lokalmat
