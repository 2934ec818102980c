#pragma once
// The sweep file: one HDF5 file per sweep, one row per run (see results/README.md).
//
//   /                 attributes: lokalmat_version, title, design, sweep_path, sweep_toml (resolved
//                     definition), base_scenario_toml, model, n_points, n_runs, replicates,
//                     first_seed, block_size, weeks, runs_ok, runs_failed, complete (0/1),
//                     wall_seconds, fingerprint (SweepHeader::fingerprint(), as in the journal)
//   /design/values    [P x K] float64, parameter values of each design point; attrs names, units
//   /design/unit      [P x K] float64, the same points in the unit cube
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
// sweep loses only the runs in flight. The HDF5 file is a snapshot written from the
// journal to SWEEP.h5.tmp and renamed over SWEEP.h5, so it is never half-written;
// `--resume` reads the journal, drops a torn last record, and runs what is missing.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lokalmat {

// one finished (or failed) run
struct RunRecord {
  std::int64_t run_id = 0;
  std::int64_t point = 0;
  std::int32_t replicate = 0;
  std::uint64_t seed = 0;
  bool ok = true;
  std::string message;            // why it failed
  double wall_seconds = 0;
  std::vector<double> outputs;    // [n_outputs], NaN when failed
  std::vector<double> weekly;     // [n_weekly_metrics x weeks] row-major, empty when not kept or failed
};

// bytes <-> record (used for the journal and for MPI messages); decode throws std::runtime_error on bad input
std::string encode_record(const RunRecord& r);
RunRecord decode_record(std::string_view bytes);

struct SweepHeader {
  std::string title;
  std::string design;                          // "factorial" | "lhs" | "sobol" | "morris"
  std::string sweep_path;
  std::string sweep_toml;                      // resolved sweep definition
  std::string base_scenario_toml;              // resolved base scenario ("" for a test model)
  std::string model;                           // "simulation" or the test model's name
  std::vector<std::string> parameters, parameter_units;
  std::vector<std::vector<double>> design_values, design_unit;  // [P][K]
  std::int64_t n_runs = 0;
  int replicates = 1;
  std::uint64_t first_seed = 1;
  int block_size = 1;
  std::vector<std::string> outputs, output_units, output_descriptions;
  std::vector<std::string> weekly_metrics, weekly_units;  // kept weekly series (may be empty)
  std::vector<std::string> week_start;         // ISO dates, [W] when weekly series are kept
  int weeks = 0;
  // a digest of everything that decides the runs; a journal only resumes a sweep with the same one
  [[nodiscard]] std::uint64_t fingerprint() const;
};

// Append-only journal of finished runs. File: magic "LOKALMAT-JOURNAL", u32 format
// version, u64 fingerprint, then per record [u32 length][payload][u32 CRC-32 of payload]
// (little-endian). A reader stops at the first record that is short or fails its CRC.
// One writer: the open journal holds an exclusive flock, so a second SweepJournal on the
// same file (in this or another process) throws instead of interleaving records. Calls
// on one object are not thread-safe (the driver appends from one thread).
class SweepJournal {
 public:
  // new journal (replaces any file at path, atomically) or, with resume, reopen an existing
  // one for appending after checking the fingerprint and cutting off a torn tail
  // (std::runtime_error: cannot create, missing, not a journal, another sweep's, in use)
  SweepJournal(std::string path, std::uint64_t fingerprint, bool resume);
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;
  void append(const RunRecord& r);   // written to the OS before it returns (survives kill -9)
  void sync();                       // fdatasync
  [[nodiscard]] const std::string& path() const { return path_; }

  struct Contents {
    std::uint64_t fingerprint = 0;
    std::vector<RunRecord> records;   // in file order; a torn or corrupt tail is dropped
    std::int64_t dropped_bytes = 0;   // how much of the tail was dropped
  };
  // throws std::runtime_error when the file is missing or not a journal
  static Contents read(const std::string& path);

 private:
  std::string path_;
  int fd_ = -1;
  std::int64_t end_ = 0;  // bytes of whole records (and header): a failed append is cut back to it
};

// Write the sweep file atomically (path.tmp, then rename): header, and the records
// (any order in; rows are written sorted by run id, a run id appearing twice keeps the first).
void write_sweep_file(const std::string& path, const SweepHeader& h, std::vector<RunRecord> records,
                      bool complete, double wall_seconds);

struct SweepFile {
  SweepHeader header;
  std::vector<RunRecord> records;  // sorted by run id (weekly series not read)
  bool complete = false;
  double wall_seconds = 0;
};
SweepFile read_sweep_file(const std::string& path);

// one table of the /analysis group: rows = parameters, columns = named values
struct AnalysisTable {
  std::string output;                       // output name
  std::string method;                       // "sobol" | "morris"
  std::vector<std::string> columns;         // e.g. S1, S1_lo, S1_hi, ...
  std::vector<std::vector<double>> values;  // [parameter][column]
  int used = 0;                             // blocks / trajectories used
};
// replace /analysis in the file (atomically: copy, write, rename) with these tables:
// /analysis/<method>/<output>/<column> [K] float64, attrs parameters, used; the group
// /analysis/<method>/<output> has attrs parameters [K], columns (in order), used
void write_analysis(const std::string& path, const std::vector<AnalysisTable>& tables,
                    const std::vector<std::string>& parameters);

}  // namespace lokalmat
