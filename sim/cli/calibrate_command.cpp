#include "sim/cli/calibrate_command.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "results/calibration_store.h"
#include "results/sweep_journal.h"
#include "sim/cli/cluster.h"
#include "sim/cli/command_util.h"
#include "sim/sweep/abc.h"
#include "sim/sweep/byte_codec.h"
#include "sim/sweep/sweep_run.h"

namespace lokalmat {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using sweep::AbcSampler;
using sweep::Candidate;
using sweep::CalibrationDef;

constexpr int kTagResult = 11;
constexpr int kTagBatchDone = 12;
// run ids: generation << 40 | candidate; the posterior-predictive runs as generation 1000
constexpr int kPredictiveGeneration = 1000;
std::int64_t run_key(int generation, std::int64_t candidate) {
  return (static_cast<std::int64_t>(generation) << 40) + candidate;
}

// one run to make: its key, seed and parameter values
struct Job {
  std::int64_t id = 0;
  std::uint64_t seed = 0;
  std::vector<double> theta;
};

std::string encode_jobs(const std::vector<Job>& jobs) {
  bytes::ByteWriter w;
  w.u32(bytes::count32(jobs.size(), "jobs"));
  for (const Job& j : jobs) {
    w.i64(j.id);
    w.u64(j.seed);
    w.f64s(j.theta);
  }
  return w.data();
}

std::vector<Job> decode_jobs(const std::string& s) {
  bytes::ByteReader in(s, "calibration batch");
  std::vector<Job> jobs(in.u32());
  for (Job& j : jobs) {
    j.id = in.i64();
    j.seed = in.u64();
    j.theta = in.f64s();
  }
  return jobs;
}

// this process's jobs of a batch (j mod size == rank), on its threads
std::vector<RunRecord> run_share(const CalibrationDef& def, const std::vector<Job>& jobs, const Cluster& cluster,
                                 tbb::task_arena& arena) {
  std::vector<std::size_t> mine;
  for (std::size_t j = static_cast<std::size_t>(cluster.rank()); j < jobs.size(); j += static_cast<std::size_t>(cluster.size()))
    mine.push_back(j);
  std::vector<RunRecord> out(mine.size());
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, mine.size(), [&](std::size_t i) {
      const Job& job = jobs[mine[i]];
      out[i] = sweep::evaluate_at(def.model, job.theta, job.seed);
      out[i].run_id = job.id;
      out[i].point = job.id >> 40;
    });
  });
  return out;
}

int worker(Cluster& cluster, const CalibrationDef& def, int threads) {
  tbb::task_arena arena(threads);
  for (;;) {
    std::string bytes;
    cluster.broadcast(bytes);
    if (bytes.empty()) break;  // the calibration is over
    for (const RunRecord& r : run_share(def, decode_jobs(bytes), cluster, arena))
      cluster.send_to_root(encode_record(r), kTagResult);
    cluster.send_to_root({}, kTagBatchDone);
    cluster.progress_sends();
  }
  cluster.finish_sends();
  return 0;
}

// rank 0: runs the jobs everywhere, journals and caches each result
class Runner {
 public:
  Runner(const CalibrationDef& def, Cluster& cluster, int threads, SweepJournal& journal,
         std::map<std::int64_t, RunRecord>& cache)
      : def_(def), cluster_(cluster), arena_(threads), journal_(journal), cache_(cache) {}

  void run(const std::vector<Job>& jobs) {
    if (jobs.empty()) return;
    if (cluster_.distributed()) {
      std::string bytes = encode_jobs(jobs);
      cluster_.broadcast(bytes);
    }
    for (RunRecord& r : run_share(def_, jobs, cluster_, arena_)) keep(std::move(r));
    for (int waiting = cluster_.size() - 1; waiting > 0;) {
      std::string msg;
      int tag = 0, source = 0;
      if (!cluster_.poll(msg, tag, source)) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        continue;
      }
      if (tag == kTagBatchDone) --waiting;
      else keep(decode_record(msg));
    }
    runs_ += static_cast<std::int64_t>(jobs.size());
  }
  void finish() {
    if (!cluster_.distributed()) return;
    std::string none;
    cluster_.broadcast(none);
  }
  [[nodiscard]] std::int64_t runs() const { return runs_; }

 private:
  void keep(RunRecord r) {
    journal_.append(r);
    cache_[r.run_id] = std::move(r);
  }
  const CalibrationDef& def_;
  Cluster& cluster_;
  tbb::task_arena arena_;
  SweepJournal& journal_;
  std::map<std::int64_t, RunRecord>& cache_;
  std::int64_t runs_ = 0;
};

CalibrationHeader make_header(const CalibrationDef& def) {
  CalibrationHeader h;
  h.title = def.title;
  h.path = def.path;
  h.toml = def.resolved_toml;
  h.base_scenario_toml = def.model.is_test_model() ? "" : def.model.base.resolved_toml;
  h.model = def.model.is_test_model() ? def.model.model.name : "simulation";
  for (const auto& p : def.priors) {
    h.parameters.push_back(p.key);
    h.parameter_units.push_back(p.unit);
  }
  for (const auto& t : def.targets) {
    h.targets.push_back(t.output.name);
    h.target_units.push_back(t.output.units);
    h.target_sources.push_back(t.source);
    h.observed.push_back(t.observed);
    h.sd.push_back(t.sd);
  }
  h.fingerprint = def.fingerprint();
  h.particles = def.abc.particles;
  return h;
}

// progress within a generation: a redrawn line on a terminal, a line every few seconds otherwise
class GenerationProgress {
 public:
  GenerationProgress(bool quiet, double line_seconds)
      : quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0), every_(tty_ ? 0.2 : line_seconds) {}
  void start() { t0_ = last_ = Clock::now(); }
  void update(const AbcSampler& s, int particles, int generations) {
    if (quiet_) return;
    const int accepted = s.accepted();
    const std::int64_t simulated = s.simulated();
    const auto now = Clock::now();
    if (std::chrono::duration<double>(now - last_).count() < every_) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - t0_).count();
    // the runs still needed at this generation's acceptance so far, at its pace so far
    const double rate = simulated > 0 ? static_cast<double>(accepted) / static_cast<double>(simulated) : 0;
    const double left = accepted > 0 && simulated > 0
                            ? static_cast<double>(particles - accepted) / rate * secs / static_cast<double>(simulated)
                            : NAN;
    const std::string text = fmt::format(
        "generation {} of at most {}: {}/{} accepted of {} runs ({:.1f}%), tolerance {:.4g}, {} left in this generation",
        s.generation(), generations, accepted, particles, simulated, 100 * rate, s.tolerance(), format_duration(left));
    if (tty_) std::cerr << "\r" << text << "\x1b[K" << std::flush;
    else std::cerr << "calibrate: " << text << "\n";
  }
  void end_line() {
    if (!quiet_ && tty_) std::cerr << "\r\x1b[K";
  }

 private:
  bool quiet_, tty_;
  double every_;
  Clock::time_point t0_, last_;
};

}  // namespace

int calibrate_command(const CalibrateOptions& opts) {
  if (const std::string why = Cluster::launch_problem(); !why.empty()) throw ScenarioError(why);
  Cluster cluster(nullptr, nullptr);
  CalibrateOptions o = opts;
  const bool default_out = o.out.empty();
  if (default_out) o.out = (fs::path("out") / (fs::path(o.file).stem().string() + ".h5")).string();
  const bool root = cluster.rank() == 0;
  CalibrationDef def;
  try {
    def = sweep::load_calibration(o.file, o.sets);
  } catch (const ScenarioError&) {
    if (root) throw;
    return 2;
  }
  if (const std::string why = output_path_problem(o.out); !why.empty()) {
    if (root) throw ScenarioError(fmt::format("-o {}: {}", o.out, why));
    return 2;
  }
  if (o.dry_run) {
    if (!root) return 0;
    std::cout << fmt::format("{}: {} particles, at most {} generations; {} priors, {} targets; {} predictive runs\n",
                             o.file, def.abc.particles, def.abc.generations, def.priors.size(), def.targets.size(),
                             def.abc.predictive);
    for (const auto& p : def.priors)
      std::cout << fmt::format("  prior {} ({}): {}\n", p.key, p.unit.empty() ? "-" : p.unit,
                               p.kind == sweep::PriorKind::normal ? fmt::format("normal {:g} +- {:g}", p.mean, p.sd)
                               : p.kind == sweep::PriorKind::truncated_normal
                                   ? fmt::format("normal {:g} +- {:g} in {:g} to {:g}", p.mean, p.sd, p.lo, p.hi)
                                   : fmt::format("{} {:g} to {:g}", sweep::prior_name(p.kind), p.lo, p.hi));
    for (const auto& t : def.targets)
      std::cout << fmt::format("  target {}: {:g} +- {:g} {}{}\n", t.output.name, t.observed, t.sd, t.output.units,
                               t.source.empty() ? "" : " (" + t.source.substr(0, 60) + (t.source.size() > 60 ? "...)" : ")"));
    return 0;
  }
  const int threads = o.threads > 0 ? o.threads : default_threads(cluster);

  // rank 0 checks the target and the journal, then tells everyone whether to go on
  const std::string journal_path = o.out + ".journal";
  std::string verdict;
  std::map<std::int64_t, RunRecord> cache;
  if (root) {
    std::vector<std::string> inputs = def.model.base.files;
    inputs.push_back(def.path);
    try {
      check_output_target(o.out, {.force = true, .inputs = inputs, .create_directory = default_out});
      check_output_target(journal_path, {.force = true, .inputs = inputs, .create_directory = default_out});
      if (o.resume && fs::exists(journal_path)) {
        auto contents = SweepJournal::read(journal_path);
        if (contents.fingerprint != def.fingerprint())
          verdict = fmt::format("{}: this journal belongs to a different calibration (or lokalmat version); start again "
                                "with --force",
                                journal_path);
        for (auto& r : contents.records) cache.emplace(r.run_id, std::move(r));
      } else if (o.resume && fs::exists(o.out)) {
        verdict = fmt::format("{} has no journal to resume from (it is complete, or its journal is gone); start again "
                              "with --force",
                              o.out);
      } else if (!o.resume && !o.force && (fs::exists(o.out) || fs::exists(journal_path))) {
        verdict = fmt::format("{} already exists; use --resume to finish it or --force to start again",
                              fs::exists(o.out) ? o.out : journal_path);
      }
    } catch (const std::exception& e) {
      verdict = e.what();
    }
  }
  std::string go = root ? verdict : std::string();
  cluster.broadcast(go);
  if (!go.empty()) {
    if (root) throw ScenarioError(go);
    return 2;
  }
  install_stop_handlers();
  if (!root) return worker(cluster, def, threads);

  const bool resuming = o.resume && fs::exists(journal_path);
  if (!resuming) fs::remove(o.out);
  SweepJournal journal(journal_path, def.fingerprint(), resuming);
  Runner runner(def, cluster, threads, journal, cache);
  const CalibrationHeader header = make_header(def);
  const std::vector<std::string> inputs = [&] {
    std::vector<std::string> in = def.model.base.files;
    in.push_back(def.path);
    return in;
  }();
  const OutputRules rules{.force = true, .inputs = inputs};
  const auto t0 = Clock::now();
  const auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  if (!o.quiet)
    std::cerr << fmt::format("calibrate {}: {} particles, at most {} generations, {} priors, {} targets{}; {} process{} "
                             "x {} threads\n",
                             def.title.empty() ? o.file : def.title, def.abc.particles, def.abc.generations,
                             def.priors.size(), def.targets.size(),
                             resuming ? fmt::format(" (resuming: {} runs in the journal)", cache.size()) : "",
                             cluster.size(), cluster.size() > 1 ? "es" : "", threads);

  AbcSampler sampler(def.priors, def.abc);
  GenerationProgress progress(o.quiet, o.progress_seconds);
  const std::int64_t batch = std::max<std::int64_t>(16, 4 * threads * cluster.size());
  CalibrationFile file{header, {}, {}, false, 0};
  bool stopped = false;
  while (!sampler.finished() && !stopped) {
    const int gen = sampler.generation();
    progress.start();
    bool full = false;
    for (std::int64_t c0 = 0; !full; c0 += batch) {
      if (stop_requested()) {
        stopped = true;
        break;
      }
      std::vector<Candidate> cands;
      std::vector<Job> jobs;
      for (std::int64_t c = c0; c < c0 + batch; ++c) {
        cands.push_back(sampler.propose(c));
        if (cands.back().in_support && !cache.contains(run_key(gen, c)))
          jobs.push_back({run_key(gen, c), cands.back().seed, cands.back().theta});
      }
      runner.run(jobs);
      for (std::int64_t c = c0; c < c0 + batch && !full; ++c) {
        const Candidate& cand = cands[static_cast<std::size_t>(c - c0)];
        double distance = INFINITY;
        std::vector<double> outputs;
        if (cand.in_support) {
          const RunRecord& r = cache.at(run_key(gen, c));
          if (r.ok) {
            outputs = r.outputs;
            distance = sweep::target_distance(def.targets, outputs);
          }
        }
        full = sampler.offer(c, cand, distance, outputs);
      }
      progress.update(sampler, def.abc.particles, def.abc.generations);
    }
    if (stopped) break;
    sampler.finish_generation();
    progress.end_line();
    const auto& g = sampler.generations().back();
    if (!o.quiet)
      std::cerr << fmt::format("generation {}: tolerance {:.4g}, {} of {} runs accepted ({:.1f}%), ESS {:.0f}, {:.1f} s\n",
                               g.index, g.tolerance, g.particles.size(), g.simulated, 100 * g.acceptance_rate, g.ess,
                               seconds());
    file.generations = sampler.generations();
    file.wall_seconds = seconds();
    journal.sync();
    write_calibration_file(o.out, file, rules);
  }
  if (!stopped) {
    // posterior-predictive runs: parameters by the final weights, new seeds
    std::vector<Job> jobs;
    std::vector<Candidate> draws;
    for (std::int64_t i = 0; i < def.abc.predictive; ++i) {
      draws.push_back(sampler.predictive(i));
      if (!cache.contains(run_key(kPredictiveGeneration, i)))
        jobs.push_back({run_key(kPredictiveGeneration, i), draws.back().seed, draws.back().theta});
    }
    if (!stop_requested()) runner.run(jobs);
    stopped = stop_requested();
    if (!stopped)
      for (std::int64_t i = 0; i < def.abc.predictive; ++i) {
        const RunRecord& r = cache.at(run_key(kPredictiveGeneration, i));
        file.predictive.theta.push_back(draws[static_cast<std::size_t>(i)].theta);
        file.predictive.outputs.push_back(r.ok ? r.outputs : std::vector<double>(def.targets.size(), NAN));
      }
  }
  runner.finish();
  journal.sync();
  file.generations = sampler.generations();
  file.wall_seconds = seconds();
  file.complete = !stopped;
  write_calibration_file(o.out, file, rules);
  if (stopped) {
    std::cerr << fmt::format("lokalmat: calibration stopped after {} generations; {} holds them (complete = 0); "
                             "finish with: lokalmat calibrate {} -o {} --resume\n",
                             file.generations.size(), o.out, o.file, o.out);
    return 130;
  }
  fs::remove(journal_path);
  if (!o.quiet) {
    std::int64_t total = 0;
    for (const auto& g : file.generations) total += g.simulated;
    std::cout << fmt::format("{} generations, {} runs and {} predictive runs in {:.1f} s ({} runs made{}); final "
                             "tolerance {:.4g}; results: {}\n",
                             file.generations.size(), total, def.abc.predictive, file.wall_seconds, runner.runs(),
                             resuming ? ", the rest from the journal" : ", with those past a generation's last particle",
                             file.generations.back().tolerance, o.out);
    std::cout << fmt::format("posterior summary: lokalmat analyze {}\n", o.out);
  }
  return 0;
}

}  // namespace lokalmat
