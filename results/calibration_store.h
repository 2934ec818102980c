#pragma once
// The calibration file: the posterior of `lokalmat calibrate` (ABC-SMC, sim/sweep/abc.h), one
// HDF5 file, pandas-ready (results/README.md "Calibration files"):
//
//   /                      attributes: lokalmat_version, kind = "calibration", title, calibration_path,
//                          calibration_toml (resolved), base_scenario_toml, model, particles,
//                          generations (done), simulations (runs in all generations), complete (0/1),
//                          wall_seconds, fingerprint
//   /targets/observed, sd  [T] float64; attrs names, units, sources
//   /generations/<column>  [G] per generation: tolerance, acceptance_rate, simulated, proposed, ess
//   /particles/<column>    [G x N] rows, one per particle of every generation: generation (int32),
//                          candidate (int64), weight, distance; /particles/param/<key>,
//                          /particles/target/<name> float64 (the group attr names gives the order)
//   /predictive/param/<key>, /predictive/target/<name>  [M] the posterior-predictive runs (new seeds,
//                          parameters drawn by the final weights; NaN for a failed run)
//   /analysis/...          written by `lokalmat analyze` (write_analysis, results/sweep_store.h)
// Written whole through a temporary renamed over the file, sealed (results/file_seal.h).
#include <string>
#include <vector>

#include "results/file_seal.h"
#include "results/output_file.h"
#include "sim/sweep/abc.h"

namespace lokalmat {

struct CalibrationHeader {
  std::string title, path, toml, base_scenario_toml, model;
  std::vector<std::string> parameters, parameter_units;
  std::vector<std::string> targets, target_units, target_sources;
  std::vector<double> observed, sd;
  std::uint64_t fingerprint = 0;
  int particles = 0;
};

struct Predictive {
  std::vector<std::vector<double>> theta;    // [M][K]
  std::vector<std::vector<double>> outputs;  // [M][T], NaN for a failed run
};

struct CalibrationFile {
  CalibrationHeader header;
  std::vector<sweep::Generation> generations;
  Predictive predictive;
  bool complete = false;
  double wall_seconds = 0;
};

void write_calibration_file(const std::string& path, const CalibrationFile& f,
                            const OutputRules& rules = OutputRules{.force = true, .inputs = {}});

// is this a calibration file (root attribute kind = "calibration")?
bool is_calibration_file(const std::string& path);

// read and check; an unfinished one only with PartialFiles::accept; throws ResultFileError naming the file
CalibrationFile read_calibration_file(const std::string& path, PartialFiles partial = PartialFiles::refuse);

}  // namespace lokalmat
