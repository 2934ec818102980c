// lokalmat: the command-line front end.
//   lokalmat run FILE [-o OUT.h5] [--threads N] [--seed S] [--years Y] [--set key=value] [--interventions LOG] [--force]
//   lokalmat validate FILE...
//   lokalmat ensemble FILE... [--seeds N] [--first-seed S] [--years Y] [--threads N] [--set key=value] [--csv OUT] [--force]
//   lokalmat sweep SWEEP.toml [-o SWEEP.h5] [--threads N] [--resume] [--force]   (also under mpirun)
//   lokalmat analyze SWEEP.h5|CAL.h5 [--bootstrap B] [--confidence C] [--slices S] [--partial]
//   lokalmat calibrate CAL.toml [-o CAL.h5] [--threads N] [--resume] [--force]   (ABC-SMC; also under mpirun)
//   lokalmat discover SWEEP.h5 --output NAME (--above X | --below X) [--min-density D] ...   (PRIM)
//   lokalmat keys        (Markdown table of every scenario key)
//   lokalmat phases      (the weekly phase table)
//   lokalmat compare A.toml B.toml ... [--replicates R] [-o REPORT.html] [--lang nb|en] [--force]   (sim/cli/report_command.h)
//   lokalmat report RUN.h5 ... [-o REPORT.html] [--lang nb|en] [--partial] [--force]
//   lokalmat export RUN.h5|SWEEP.h5 --csv DIR [--partial] [--force]
// Exit codes: 0 ok, 1 run-time failure (disk, HDF5), 2 bad input (scenario or arguments, a result
// file named on the command line that is damaged, foreign or unfinished, and an output that may
// not be written: it exists and --force is not given, it is an input, its directory is missing),
// 130 interrupted.
// Outputs (results/output_file.h): every file is written through a temporary renamed into
// place; an existing one is replaced only with --force, an input never; a named output's
// directory must exist, only a default output creates its directory (out/).
//
// The program sits at the top of the house: it may use every library (the core, the
// scenarios, sweeps and the result store); none of them uses it.
#include <tbb/global_control.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <iostream>
#include <malloc.h>
#include <thread>

#include "results/file_seal.h"
#include "results/result_writer.h"
#include "sim/cli/ensemble.h"
#include "sim/cli/report_command.h"
#include "sim/cli/analyze_command.h"
#include "sim/cli/calibrate_command.h"
#include "sim/cli/discover_command.h"
#include "sim/cli/sweep_command.h"
#include "sim/intervention.h"
#include "sim/run_totals.h"
#include "sim/scenario.h"
#include "sim/simulation.h"
#include "sim/sweep/levers.h"
#include "sim/sweep/calibration.h"
#include "sim/sweep/sweep_def.h"

namespace {

using namespace lokalmat;
namespace fs = std::filesystem;

std::atomic<bool> g_interrupted{false};
extern "C" void on_signal(int) { g_interrupted = true; }

Overrides parse_sets(const std::vector<std::string>& sets) {
  Overrides out;
  for (const auto& s : sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ScenarioError(fmt::format("--set '{}': expected key=value, e.g. run.seed=7", s));
    out.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  return out;
}

// ensembles and reports run each scenario with many seeds: a fixed run.seed would be
// replaced by every one of them, so it is refused
void refuse_seed_set(const Overrides& ov, std::string_view seeds_from) {
  for (const auto& [key, value] : ov)
    if (key == "run.seed")
      throw ScenarioError(fmt::format("--set run.seed={}: the runs' seeds are {}; a fixed seed would not be used",
                                      value, seeds_from));
}

// --seed as run.seed takes it: a whole number within the schema's range, said in plain digits
CLI::Validator seed_range() {
  const auto info = scenario_key_info("run.seed");
  const auto hi = static_cast<std::int64_t>(info->hi);
  return CLI::Validator(
      [hi](std::string& text) -> std::string {
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size() || v < 0 || v > hi)
          return fmt::format("'{}' is not a seed; allowed a whole number 0 to {}", text, hi);
        return "";
      },
      fmt::format("0 to {}", hi), "seed");
}
// the rule of every output option: a name, not an empty string (which would mean the default)
const CLI::Validator kOutputName(
    [](std::string& name) { return name.empty() ? std::string("an empty name; name a file or leave the option out") : std::string(); },
    "", "output name");

int thread_count(int asked) { return asked > 0 ? asked : static_cast<int>(std::thread::hardware_concurrency()); }

// ---------------------------------------------------------------- run

struct RunOptions {
  std::string file, out, interventions;
  int threads = 0, years = 0;
  std::int64_t seed = -1;
  bool force = false, quiet = false;
  std::vector<std::string> sets;
};

void add_run_options(CLI::App& app, RunOptions& o) {
  auto* run = app.add_subcommand("run", "run a scenario and write an HDF5 result file");
  run->add_option("scenario", o.file, "scenario file (TOML)")->required();
  run->add_option("-o,--output", o.out, "result file (default out/<scenario>.h5)")->check(kOutputName);
  run->add_option("--threads", o.threads, "worker threads (default: all cores)")->check(CLI::Range(1, 1024));
  run->add_option("--seed", o.seed, "random seed (overrides run.seed)")->check(seed_range());
  run->add_option("--years", o.years, "years to simulate (overrides run.years)")->check(CLI::Range(1, 100));
  run->add_option("--set", o.sets, "override a scenario key, e.g. --set run.seed=7 (value in TOML syntax)");
  run->add_flag("--force", o.force, "replace an existing result file");
  run->add_option("--interventions", o.interventions,
                  "apply an intervention log (levers moved at given weeks, e.g. saved by lokalmat-view)")
      ->check(CLI::ExistingFile);
  run->add_flag("-q,--quiet", o.quiet, "print nothing but errors");
}

// the whole-run figures as an aligned two-column table
std::string summary_table(const RunTotals& t) {
  const auto f = t.figures();
  std::string s = fmt::format("{:<46}{:>18}\n", "whole run", fmt::format("{:.1f} years", t.weeks() / kWeeksPerYear));
  for (int i = 0; i < kFigures; ++i) {
    const FigureDef& d = run_figures()[static_cast<std::size_t>(i)];
    const double v = f[static_cast<std::size_t>(i)] * d.scale;
    const std::string value = std::abs(v) >= 1000 ? fmt::format("{:.0f}", v) : fmt::format("{:.2f}", v);
    s += fmt::format("{:<46}{:>18}\n", d.label, d.print_unit.empty() ? value : value + " " + std::string(d.print_unit));
  }
  return s;
}

// the scenario with the command line's overrides (--years as run.years replaces run.end_date)
Scenario load_for_run(const RunOptions& o) {
  Overrides ov = parse_sets(o.sets);
  if (o.seed >= 0) ov.emplace_back("run.seed", std::to_string(o.seed));
  if (o.years > 0) ov.emplace_back("run.years", std::to_string(o.years));
  return load_scenario(o.file, ov);
}

void print_run_summary(const RunOptions& o, const Scenario& sc, const RunMetadata& meta, const RunTotals& totals,
                       int threads, double secs, const std::string& path) {
  std::cout << fmt::format("{} — seed {}, {} weeks, {} threads, {:.2f} s\n", sc.title.empty() ? o.file : sc.title,
                           sc.params.seed, sc.params.weeks, threads, secs);
  if (!sc.lawful) std::cout << "NOT LAWFUL (counterfactual): " << meta.lawful_reason << "\n";
  std::cout << summary_table(totals);
  std::cout << fmt::format("results: {}\n", path);
}

int run_command(RunOptions o) {
  const Scenario sc = load_for_run(o);
  std::vector<Intervention> interventions;
  if (!o.interventions.empty()) interventions = read_interventions(o.interventions, sc);
  // the output: never one of the files read (the scenario, its bases and tables, the log)
  OutputRules rules{.force = o.force, .inputs = sc.files};
  rules.inputs.push_back(o.file);
  if (!o.interventions.empty()) rules.inputs.push_back(o.interventions);
  if (o.out.empty()) {
    o.out = (fs::path("out") / (fs::path(o.file).stem().string() + ".h5")).string();
    rules.create_directory = true;
  }
  const int threads = thread_count(o.threads);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

  RunMetadata meta = run_metadata(sc, threads, interventions.empty() ? "" : format_interventions(interventions));
  meta.scenario_path = o.file;  // as given on the command line
  ResultWriter writer(o.out, meta, std::move(rules));
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  // the weeks, with the recorded levers at the boundaries they were moved at
  const auto t0 = std::chrono::steady_clock::now();
  LeveredRun run(sc, std::move(interventions));
  RunTotals totals;
  const int done = run.run(
      sc.params.weeks,
      [&](const WeekReport& r) {
        writer.write_week(r);
        totals.add(r);
        if (!o.quiet && (r.week + 1) % kWeeksPerYear == 0)
          std::cerr << fmt::format("  year {:>3} done ({} weeks)\n", (r.week + 1) / kWeeksPerYear, r.week + 1);
      },
      [] { return g_interrupted.load(); });
  if (done < sc.params.weeks) {
    writer.write_partial();
    std::cerr << fmt::format("lokalmat: interrupted after {} of {} weeks; partial results left in {} (complete = 0)\n",
                             done, sc.params.weeks, writer.partial_path());
    return 130;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  writer.finish(secs, totals);
  if (!o.quiet) print_run_summary(o, sc, meta, totals, threads, secs, writer.path());
  return 0;
}

// ---------------------------------------------------------------- validate

struct ValidateOptions {
  std::vector<std::string> files, sets;
  bool print = false;
};

void add_validate_options(CLI::App& app, ValidateOptions& o) {
  auto* validate = app.add_subcommand("validate", "check scenario files without running them");
  validate->add_option("scenarios", o.files, "scenario files")->required();
  validate->add_option("--set", o.sets, "override a scenario key (as for run)");
  validate->add_flag("--print", o.print, "print the fully resolved scenario");
}

// every file is checked, and every error printed; exit 2 when any file is refused
int validate_command(const ValidateOptions& o) {
  const Overrides sets = parse_sets(o.sets);
  int refused = 0;
  for (const auto& f : o.files) {
    try {
      const Scenario sc = load_scenario(f, sets);
      if (o.print) std::cout << sc.resolved_toml;
      else
        std::cout << fmt::format("{}: ok ({} municipalities, {} producers, {} buyers, {} weeks)\n", f,
                                 sc.params.municipalities.size(), sc.params.producers.size(), sc.params.buyers.size(),
                                 sc.params.weeks);
    } catch (const ScenarioError& e) {
      std::cerr << "lokalmat: " << e.what() << "\n";
      ++refused;
    }
  }
  if (refused > 0 && o.files.size() > 1)
    std::cerr << fmt::format("lokalmat: {} of {} files refused\n", refused, o.files.size());
  return refused > 0 ? 2 : 0;
}

// ---------------------------------------------------------------- ensemble

struct EnsembleOptions {
  std::vector<std::string> files, sets;
  int seeds = 20, years = 0, threads = 0;
  std::uint64_t first_seed = 1;
  std::string csv;
  bool force = false;
};

void add_ensemble_options(CLI::App& app, EnsembleOptions& o) {
  auto* ensemble = app.add_subcommand("ensemble", "run scenarios with many seeds; print mean and 5-95% ranges");
  ensemble->add_option("scenarios", o.files, "scenario files")->required();
  ensemble->add_option("--seeds", o.seeds, "seeds per scenario (default 20)")->check(CLI::Range(1, 100000));
  ensemble->add_option("--first-seed", o.first_seed, "first seed (default 1)");
  ensemble->add_option("--years", o.years, "years to simulate (overrides run.years)")->check(CLI::Range(1, 100));
  ensemble->add_option("--threads", o.threads, "worker threads (default: all cores)")->check(CLI::Range(1, 1024));
  ensemble->add_option("--set", o.sets, "override a scenario key in every scenario (as for run)");
  ensemble->add_option("--csv", o.csv, "also write every run's figures to this CSV file")->check(kOutputName);
  ensemble->add_flag("--force", o.force, "replace an existing CSV file");
}

int ensemble_command(const EnsembleOptions& o) {
  Overrides ov = parse_sets(o.sets);
  refuse_seed_set(ov, "--first-seed and --seeds");
  if (o.years > 0) ov.emplace_back("run.years", std::to_string(o.years));
  const int threads = thread_count(o.threads);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  OutputRules csv_rules{.force = o.force, .inputs = o.files};
  if (!o.csv.empty()) check_output_target(o.csv, csv_rules);  // before the runs
  const auto t0 = std::chrono::steady_clock::now();
  const auto results = run_ensemble(o.files, o.seeds, o.first_seed, ov);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // the figures MODEL.md's questions need first: local share, inclusion, cost, emissions
  std::cout << fmt::format("{} seeds per scenario ({}..{}), mean [5%, 95%]; {:.1f} s on {} threads\n\n", o.seeds,
                           o.first_seed, o.first_seed + static_cast<std::uint64_t>(o.seeds) - 1, secs, threads);
  std::cout << ensemble_table(results, {0, 4, 5, 7, 12});
  if (!o.csv.empty()) {
    for (const auto& r : results) csv_rules.inputs.insert(csv_rules.inputs.end(), r.files.begin(), r.files.end());
    write_output_file(o.csv, ensemble_csv(results, o.first_seed), csv_rules);
    std::cout << "all figures of every run: " << o.csv << "\n";
  }
  return 0;
}

// ---------------------------------------------------------------- the lever table

struct LeverOptions {
  std::string file;
  std::vector<std::string> sets;
  int seeds = 10, threads = 0;
  std::uint64_t first_seed = 1;
};

void add_lever_options(CLI::App& app, LeverOptions& o) {
  auto* levers = app.add_subcommand("levers", "how each main lever moves the main outputs (low vs high, paired seeds; ODD §7.35)");
  levers->add_option("scenario", o.file, "scenario file")->required();
  levers->add_option("--seeds", o.seeds, "seeds per setting (default 10)")->check(CLI::Range(2, 100000));
  levers->add_option("--first-seed", o.first_seed, "first seed (default 1)");
  levers->add_option("--threads", o.threads, "worker threads (default: all cores)")->check(CLI::Range(1, 1024));
  levers->add_option("--set", o.sets, "override a scenario key for every run (as for run)");
}

int lever_command(const LeverOptions& o) {
  Overrides ov = parse_sets(o.sets);
  refuse_seed_set(ov, "--first-seed and --seeds");
  const int threads = thread_count(o.threads);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const auto t0 = std::chrono::steady_clock::now();
  const auto effects = run_levers(o.file, main_levers(), o.seeds, o.first_seed, ov);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << fmt::format("{}: {} levers x 2 settings x {} seeds ({}..{}); {:.1f} s on {} threads\n\n", o.file,
                           effects.size(), o.seeds, o.first_seed, o.first_seed + static_cast<std::uint64_t>(o.seeds) - 1,
                           secs, threads);
  std::cout << lever_table_markdown(effects, o.seeds);
  return 0;
}

// ---------------------------------------------------------------- sweeps

void add_sweep_options(CLI::App& app, SweepOptions& sw, std::vector<std::string>& sets) {
  auto* sweep = app.add_subcommand("sweep", "run a parameter sweep (parallel; distributed under mpirun) into one HDF5 file");
  sweep->add_option("sweep", sw.file, "sweep definition (TOML)")->required();
  sweep->add_option("-o,--output", sw.out, "sweep file (default out/<sweep>.h5)")->check(kOutputName);
  sweep->add_option("--threads", sw.threads, "worker threads per process (default: the cores each process has)")
      ->check(CLI::Range(1, 1024));
  sweep->add_flag("--resume", sw.resume, "finish an interrupted sweep: run only what its journal lacks");
  sweep->add_flag("--force", sw.force, "start again, replacing an existing sweep file");
  sweep->add_option("--set", sets, "override a scenario key in every run (as for run)");
  sweep->add_option("--checkpoint-seconds", sw.checkpoint_seconds, "rewrite the HDF5 file this often (default 5)")
      ->check(CLI::Range(0.0, 86400.0));
  sweep->add_option("--progress-seconds", sw.progress_seconds,
                    "progress line interval when the output is not a terminal (default 5)")
      ->check(CLI::Range(0.1, 86400.0));
  sweep->add_flag("-q,--quiet", sw.quiet, "print nothing but errors");
  sweep->add_flag("--dry-run", sw.dry_run, "check the definition and print the plan (points, runs, outputs); run nothing");
  sweep->get_option("--resume")->excludes(sweep->get_option("--force"));
}

void add_calibrate_options(CLI::App& app, CalibrateOptions& ca, std::vector<std::string>& sets) {
  auto* cmd = app.add_subcommand("calibrate",
                                 "calibrate scenario keys against observed patterns by approximate Bayesian computation "
                                 "(ABC-SMC; parallel, distributed under mpirun) into one HDF5 file");
  cmd->add_option("calibration", ca.file, "calibration definition (TOML)")->required();
  cmd->add_option("-o,--output", ca.out, "calibration file (default out/<calibration>.h5)")->check(kOutputName);
  cmd->add_option("--threads", ca.threads, "worker threads per process (default: the cores each process has)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--resume", ca.resume, "finish an interrupted calibration: rerun only what its journal lacks");
  cmd->add_flag("--force", ca.force, "start again, replacing an existing calibration file");
  cmd->add_option("--set", sets, "override a scenario key in every run (as for run)");
  cmd->add_option("--progress-seconds", ca.progress_seconds,
                  "progress line interval when the output is not a terminal (default 5)")
      ->check(CLI::Range(0.1, 86400.0));
  cmd->add_flag("-q,--quiet", ca.quiet, "print nothing but errors");
  cmd->add_flag("--dry-run", ca.dry_run, "check the definition and print the priors and targets; run nothing");
  cmd->get_option("--resume")->excludes(cmd->get_option("--force"));
}

void add_analyze_options(CLI::App& app, AnalyzeOptions& an) {
  auto* analyze = app.add_subcommand("analyze",
                                     "sensitivity indices of a sweep file, printed and stored: Sobol S1, ST (and S2), "
                                     "Morris, or PAWN and SRRC for Latin-hypercube and factorial sweeps; or the "
                                     "posterior of a calibration file");
  analyze->add_option("sweep_file", an.file, "sweep file (HDF5) from lokalmat sweep, or calibration file from lokalmat calibrate")
      ->required()
      ->check(CLI::ExistingFile);
  analyze->add_option("--bootstrap", an.bootstrap, "bootstrap resamples for the intervals (default 1000)")
      ->check(CLI::Range(10, 1000000));
  analyze->add_option("--confidence", an.confidence, "interval level (default 0.95)")->check(CLI::Range(0.5, 0.999));
  analyze->add_option("--seed", an.seed, "seed of the bootstrap draws (default 1)");
  analyze->add_option("--slices", an.slices, "PAWN: slices per parameter (default 10; a factorial's levels are never split)")
      ->check(CLI::Range(2, 1000));
  analyze->add_flag("--partial", an.partial,
                    "also analyse an unfinished sweep (complete = 0; only whole blocks are used)");
}

void add_discover_options(CLI::App& app, DiscoverOptions& d) {
  auto* cmd = app.add_subcommand("discover",
                                 "scenario discovery (PRIM): the box of parameter values where a sweep's output is "
                                 "above or below a threshold, with coverage, density and the peeling trajectory");
  cmd->add_option("sweep_file", d.file, "sweep file (HDF5) from lokalmat sweep")->required()->check(CLI::ExistingFile);
  cmd->add_option("--output", d.output, "the kept output that defines the cases of interest")->required();
  auto* above = cmd->add_option("--above", d.above, "a case of interest: the output above this value");
  auto* below = cmd->add_option("--below", d.below, "a case of interest: the output below this value");
  above->excludes(below);
  cmd->add_option("--name", d.name, "name of the result under /discovery (default OUTPUT_above_X or OUTPUT_below_X)");
  cmd->add_option("--peel-alpha", d.peel_alpha, "share of a box's runs one peel removes (default 0.05)")
      ->check(CLI::Range(0.001, 0.499));
  cmd->add_option("--paste-alpha", d.paste_alpha, "share of a box's runs one paste adds (default 0.05)")
      ->check(CLI::Range(0.001, 0.499));
  cmd->add_option("--min-mass", d.min_mass, "smallest share of all runs a box may hold (default 0.05)")
      ->check(CLI::Range(0.001, 1.0));
  cmd->add_option("--min-density", d.min_density,
                  "choose the box of largest coverage whose density is at least this (default: the densest box)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("!--no-paste", d.paste, "skip the pasting phase");
  cmd->add_flag("--partial", d.partial, "also use an unfinished sweep (complete = 0)");
}

// ---------------------------------------------------------------- reports (sim/cli/report_command.h)

void add_report_options(CLI::App& app, CompareOptions& cmp, ReportOptions& rep, ExportOptions& exp,
                        std::vector<std::string>& sets) {
  auto* compare = app.add_subcommand("compare", "run scenarios with many seeds and write an HTML report comparing them");
  compare->add_option("scenarios", cmp.scenarios, "scenario files; the first is the reference")->required()->check(CLI::ExistingFile);
  compare->add_option("--replicates", cmp.replicates, "seeds per scenario (default 20)")->check(CLI::Range(1, 100000));
  compare->add_option("--first-seed", cmp.first_seed, "first seed (default 1)");
  compare->add_option("--years", cmp.years, "years to simulate (overrides run.years)")->check(CLI::Range(1, 100));
  compare->add_option("--threads", cmp.threads, "worker threads (default: all cores)")->check(CLI::Range(1, 1024));
  compare->add_option("--set", sets, "override a scenario key in every scenario (as for run)");
  auto* report = app.add_subcommand("report", "write an HTML report from run files (replicates grouped by scenario)");
  report->add_option("runs", rep.files, "run files (HDF5) from lokalmat run")->required()->check(CLI::ExistingFile);
  report->add_flag("--partial", rep.partial,
                   "also read unfinished runs (a .partial file, complete = 0; their whole-run figures are blank)");
  for (auto* sub : {compare, report}) {
    sub->add_option("-o,--output", sub == compare ? cmp.out : rep.out, "the report (HTML; default out/report.html)")
        ->check(kOutputName);
    sub->add_flag("--force", sub == compare ? cmp.force : rep.force, "replace an existing report");
    sub->add_option("--lang", sub == compare ? cmp.lang : rep.lang, "language: nb (Norwegian bokmål, default) or en")
        ->check(CLI::IsMember({"nb", "en"}));
  }
  auto* export_csv = app.add_subcommand("export", "write a run file's weekly series and summary, or a sweep file's tables, as CSV files");
  export_csv->add_option("run", exp.file, "run file or sweep file (HDF5)")->required()->check(CLI::ExistingFile);
  export_csv->add_option("--csv", exp.csv_dir, "directory for the CSV files (created if missing; its parent must exist)")
      ->required()
      ->check(kOutputName);
  export_csv->add_flag("--partial", exp.partial,
                       "also export an unfinished run (a .partial file, complete = 0; no summary.csv)");
  export_csv->add_flag("--force", exp.force, "replace existing CSV files");
}

// ---------------------------------------------------------------- documentation

void add_doc_commands(CLI::App& app, bool& sweep_keys, bool& calibration_keys) {
  auto* keys = app.add_subcommand("keys", "print every scenario key with unit, default and range (Markdown)");
  keys->add_flag("--sweep", sweep_keys, "the keys of sweep files instead");
  keys->add_flag("--calibration", calibration_keys, "the keys of calibration files instead");
  app.add_subcommand("phases", "print the weekly phase table");
}

// every option of every subcommand
struct Commands {
  RunOptions run;
  ValidateOptions validate;
  EnsembleOptions ensemble;
  LeverOptions levers;
  SweepOptions sweep;
  std::vector<std::string> sweep_sets, report_sets;
  AnalyzeOptions analyze;
  DiscoverOptions discover;
  CalibrateOptions calibrate;
  std::vector<std::string> calibrate_sets;
  bool calibration_keys = false;
  CompareOptions compare;
  ReportOptions report;
  ExportOptions export_csv;
  bool sweep_keys = false;
};

int dispatch(const CLI::App& app, Commands& c) {
  const auto chosen = [&](const char* name) { return app.got_subcommand(name); };
  if (chosen("run")) return run_command(c.run);
  if (chosen("validate")) return validate_command(c.validate);
  if (chosen("ensemble")) return ensemble_command(c.ensemble);
  if (chosen("levers")) return lever_command(c.levers);
  if (chosen("sweep")) {
    c.sweep.sets = parse_sets(c.sweep_sets);
    return sweep_command(c.sweep);
  }
  if (chosen("calibrate")) {
    c.calibrate.sets = parse_sets(c.calibrate_sets);
    return calibrate_command(c.calibrate);
  }
  if (chosen("analyze")) return analyze_command(c.analyze);
  if (chosen("discover")) return discover_command(c.discover);
  if (chosen("compare")) {
    c.compare.sets = parse_sets(c.report_sets);
    refuse_seed_set(c.compare.sets, "--first-seed and --replicates");
    return compare_command(c.compare);
  }
  if (chosen("report")) return report_command(c.report);
  if (chosen("export")) return export_command(c.export_csv);
  if (chosen("keys")) {
    std::cout << (c.sweep_keys         ? sweep::sweep_keys_markdown()
                  : c.calibration_keys ? sweep::calibration_keys_markdown()
                                       : scenario_keys_markdown());
    return 0;
  }
  if (chosen("phases")) {
    std::cout << phase_table_markdown();
    return 0;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // HDF5's chunked writes allocate and free buffers at the top of the heap every
  // flush; with glibc's default trim threshold that costs a brk() pair each time
  // (measured: 26,000 brk calls, 2.8 s of system time for a 10-year Horten run).
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
  CLI::App app{"lokalmat — agent-based simulator of a municipal local-food system"};
  app.set_version_flag("--version", lokalmat_version());
  app.require_subcommand(1);
  Commands c;
  add_run_options(app, c.run);
  add_validate_options(app, c.validate);
  add_ensemble_options(app, c.ensemble);
  add_lever_options(app, c.levers);
  add_sweep_options(app, c.sweep, c.sweep_sets);
  add_analyze_options(app, c.analyze);
  add_discover_options(app, c.discover);
  add_doc_commands(app, c.sweep_keys, c.calibration_keys);
  add_calibrate_options(app, c.calibrate, c.calibrate_sets);
  add_report_options(app, c.compare, c.report, c.export_csv, c.report_sets);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    return dispatch(app, c);
  } catch (const ScenarioError& e) {
    std::cerr << "lokalmat: " << e.what() << "\n";
    return 2;
  } catch (const ResultFileError& e) {  // a damaged, foreign or unfinished result file the user named
    std::cerr << "lokalmat: " << e.what() << "\n";
    return 2;
  } catch (const OutputRefused& e) {
    std::cerr << "lokalmat: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "lokalmat: " << e.what() << "\n";
    return 1;
  }
}
