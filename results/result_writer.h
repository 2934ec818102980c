#pragma once
// The HDF5 result store of one run. Layout (see results/README.md):
//   /                       attributes: lokalmat_version, seed, scenario_toml, rules, title, complete, ...
//   /weekly/week_start      [W] ISO dates of each week's Monday
//   /weekly/<metric>        [W] all municipalities together (units attribute)
//   /weekly/by_category/<metric>     [W x C]
//   /weekly/by_buyer_type/<metric>   [W x T]
//   /weekly/by_municipality/<metric> [W x M]
//   /state_hash             [W] uint64
// The file is built in memory, week by week (results/h5_memory_file.h), and written to
// OUT.h5 with complete = 1 only when the run finished (through a temporary renamed into
// place, results/output_file.h). An interrupted run (SIGINT, SIGTERM) writes the weeks it
// has to OUT.h5.partial, marked complete = 0, the same way; a killed one (kill -9, a crash)
// leaves no file, so every file on disk opens.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "results/output_file.h"
#include "sim/metrics.h"
#include "sim/run_totals.h"
#include "sim/scenario.h"

namespace lokalmat {

// one whole-run figure for the /run group
struct RunFigure {
  std::string name;
  std::string units;
  std::string description;
  double value = 0;
};

struct RunMetadata {
  std::string scenario_path;
  std::string title;
  std::string scenario_toml;           // fully resolved scenario text
  std::vector<std::string> rules;      // "municipality: rule"
  bool lawful = true;                  // every rule lawful under Norwegian/EEA procurement rules
  std::string lawful_reason;           // why not, when not
  std::string interventions;           // the intervention log applied (TOML, sim/intervention.h), "" for none
  std::vector<std::string> categories;
  std::vector<std::string> municipalities;
  std::uint64_t seed = 0;
  int weeks_planned = 0;
  int threads = 0;
};

// the metadata of a run of this scenario: what it is, its rules, the threads it used, and the
// intervention log it applied (TOML, sim/intervention.h; "" for none)
RunMetadata run_metadata(const Scenario& sc, int threads, std::string interventions_toml = "");

class ResultWriter {
 public:
  // checks `path` at once by `rules` (an existing file without force, an input, a missing
  // directory: OutputRefused), so a run that could not be saved does not start
  ResultWriter(std::string path, const RunMetadata& meta, OutputRules rules);
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  void write_week(const WeekReport& r);
  // the weeks so far to partial_path(), complete = 0 (an interrupted run); the writer is done
  void write_partial();
  // write the whole-run figures (/run), mark complete and write the file
  void finish(double wall_seconds, const std::vector<RunFigure>& figures = {});
  // the same with the figures of these totals (run_figures(), sim/run_totals.h)
  void finish(double wall_seconds, const RunTotals& totals);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string partial_path() const { return path_ + ".partial"; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  OutputRules rules_;
};

}  // namespace lokalmat
