#pragma once
// The sweep file: one HDF5 file per sweep, one row per run (see results/README.md).
//
//   /                 attributes: lokalmat_version, title, design, sweep_path, sweep_toml (resolved
//                     definition), base_scenario_toml, model, n_points, n_runs, replicates,
//                     first_seed, block_size, weeks, runs_ok, runs_failed, complete (0/1),
//                     wall_seconds, fingerprint (SweepHeader::fingerprint(), as in the journal)
//   /design/values    [P x K] float64, parameter values of each design point; attrs names, units
//   /design/unit      [P x K] float64, the same points in the unit cube
//   /design/choices/<key> [L] string, a categorical parameter's levels (its values are their
//                     indices 0 .. L-1; /runs/param/<key> has them as attribute choices)
//   /runs/run_id      [R] int64   (rows sorted by run id)
//   /runs/point       [R] int64
//   /runs/replicate   [R] int32
//   /runs/seed        [R] uint64
//   /runs/status      [R] string  "ok" | "failed"
//   /runs/message     [R] string  the error of a failed run ("" when ok)
//   /runs/wall_seconds[R] float64
//   /runs/param/<key> [R] float64 (attr units); group attr names [K] gives the order
//   /runs/output/<name> [R] float64 (attrs units, description); NaN for a failed run;
//                     group attr names gives the order
//   /weekly/<metric>  [R x W] float64, when the sweep keeps weekly series (NaN rows for failed
//                     runs); group attr names; /weekly/week_start [W] fixed 10-byte ISO dates
//   /analysis/...     written by `lokalmat analyze` (write_analysis below)
// Strings: attributes and /runs/status, /runs/message are variable-length UTF-8 (h5py:
// attributes read as str, the datasets as bytes unless read with .asstr()), as in the run file.
//
// Crash safety: finished runs go first to an append-only journal (SWEEP.h5.journal,
// one length-prefixed, CRC-checked record per run, flushed at once), so a killed
// sweep loses only the runs in flight. The HDF5 file is a snapshot built in memory
// from the records and written through a temporary renamed over SWEEP.h5
// (results/output_file.h), so it is never half-written; `--resume` reads the journal,
// drops a torn last record, and runs what is missing.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "results/file_seal.h"
#include "results/output_file.h"
#include "results/sweep_journal.h"
#include "sim/sweep/sweep_record.h"

namespace lokalmat {

// Write the sweep file atomically (a temporary renamed into place, results/output_file.h):
// header, and the records (any order in; rows are written sorted by run id, a run id
// appearing twice keeps the first). `rules` by default replace an existing file: a sweep
// rewrites its own file at every checkpoint, after its command checked the target once.
void write_sweep_file(const std::string& path, const SweepHeader& h, std::vector<RunRecord> records,
                      bool complete, double wall_seconds, const OutputRules& rules = OutputRules{.force = true, .inputs = {}});

struct SweepFile {
  SweepHeader header;
  std::vector<RunRecord> records;  // sorted by run id (weekly series not read)
  bool complete = false;
  double wall_seconds = 0;
};
// The sweep file, its shapes and values checked first (results/README.md "What readers refuse").
// An unfinished sweep (complete = 0) only with PartialFiles::accept. Throws ResultFileError (a
// damaged, foreign or unfinished file) or std::runtime_error naming the file.
SweepFile read_sweep_file(const std::string& path, PartialFiles partial = PartialFiles::refuse);

// whether the file at path is a sweep file (an HDF5 file with the sweep's root attributes),
// so that a command taking run or sweep files can tell them apart; false for anything else
bool is_sweep_file(const std::string& path);

// one table of the /analysis group: rows = parameters, columns = named values
struct AnalysisTable {
  std::string output;                       // output name
  std::string method;                       // "sobol" | "morris" | "pawn" | "srrc"
  std::vector<std::string> columns;         // e.g. S1, S1_lo, S1_hi, ...
  std::vector<std::vector<double>> values;  // [parameter][column]
  int used = 0;                             // blocks / trajectories / points used
  // [K x K] tables (Sobol S2, S2_lo, S2_hi), by name
  std::vector<std::pair<std::string, std::vector<std::vector<double>>>> matrices;
  // further attributes of the table's group: counts, shares, notes
  std::vector<std::pair<std::string, double>> numbers;
  std::vector<std::pair<std::string, std::string>> texts;
  std::vector<std::string> rows;            // the rows' names when they are not the parameters (e.g. targets)
};
// replace /analysis in the file (atomically: read, change in memory, write a temporary and
// rename it over the file) with these tables:
// /analysis/<method>/<output>/<column> [K] float64, attrs parameters, used; the group
// /analysis/<method>/<output> has attrs parameters [K], columns (in order), used, and the
// table's numbers and texts; each matrix is a [K x K] dataset beside the columns
void write_analysis(const std::string& path, const std::vector<AnalysisTable>& tables,
                    const std::vector<std::string>& parameters);

// one scenario-discovery result (`lokalmat discover`): the PRIM peeling trajectory over a sweep
struct DiscoveryTable {
  std::string name;                            // group name under /discovery
  std::string output, condition;               // e.g. "local_share_value_pooled", "> 0.1"
  std::vector<double> coverage, density, mass;  // [B] per box of the trajectory
  std::vector<double> points, cases;           // [B]
  std::vector<std::vector<double>> lo, hi;     // [B x K] bounds in the parameters' values (a choice: level index)
  int chosen = 0;
  std::vector<std::string> chosen_box;         // the chosen box in words, one line per restricted parameter
  std::vector<std::pair<std::string, double>> numbers;  // further attributes: runs, cases, peel_alpha, ...
};
// replace /discovery/<name> in the file (atomically, as write_analysis; other tables are kept):
// datasets coverage, density, mass, points, cases [B], lo, hi [B x K]; attrs parameters, output,
// condition, chosen, chosen_box and the numbers
void write_discovery(const std::string& path, const DiscoveryTable& t, const std::vector<std::string>& parameters);

}  // namespace lokalmat
