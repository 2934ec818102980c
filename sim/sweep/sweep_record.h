#pragma once
// What a sweep produces, independent of how it is stored: one record per finished (or
// failed) run, and the header that describes the whole sweep. The records travel
// between MPI ranks and into the journal as bytes (encode_record / decode_record); the
// result store writes both into the sweep file (results/sweep_store.h).
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
  // [n_weekly_metrics x (1 + M) x weeks] row-major: per metric the total, then the M
  // municipalities' series when they are kept (M = 0 otherwise); empty when not kept or failed
  std::vector<double> weekly;
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
  std::vector<std::vector<std::string>> parameter_choices;  // [K] a categorical parameter's levels (its values are their indices); empty for a number
  std::vector<std::vector<double>> design_values, design_unit;  // [P][K]
  std::int64_t n_runs = 0;
  int replicates = 1;
  std::uint64_t first_seed = 1;
  int block_size = 1;
  std::vector<std::string> outputs, output_units, output_descriptions;
  std::vector<std::string> weekly_metrics, weekly_units;  // kept weekly series (may be empty)
  std::vector<std::string> weekly_municipalities;          // their municipalities when kept each (may be empty)
  std::vector<std::string> week_start;         // ISO dates, [W] when weekly series are kept
  int weeks = 0;
  // a digest of everything that decides the runs; a journal only resumes a sweep with the same one
  [[nodiscard]] std::uint64_t fingerprint() const;
};

}  // namespace lokalmat
