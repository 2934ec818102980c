#pragma once
// A calibration definition (TOML): the model (a base scenario or a test model), priors over
// scenario keys, target patterns (summary statistics of a run with observed values and their
// uncertainty), and the settings of approximate Bayesian computation by sequential Monte Carlo
// (sim/sweep/abc.h). Documented key by key in scenarios/README.md ("Calibration files"); the
// example is scenarios/calibration/horten.toml. Bad input is refused before any run, naming
// the file, line and key, as for scenarios and sweeps.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/sweep/sweep_def.h"

namespace lokalmat::sweep {

enum class PriorKind { uniform, log_uniform, normal, truncated_normal };
std::string_view prior_name(PriorKind k);

struct Prior {
  std::string key;  // scenario key (or x1 .. xk of a test model)
  std::string unit;
  PriorKind kind = PriorKind::uniform;
  double lo = -std::numeric_limits<double>::infinity();  // support (uniform, log_uniform, truncated_normal)
  double hi = std::numeric_limits<double>::infinity();
  double mean = 0, sd = 1;                                // normal, truncated_normal
  bool integer = false;                                   // an integer key: a run uses the nearest integer
  // the prior's density at x, up to a constant (0 outside the support)
  [[nodiscard]] double density(double x) const;
  // the working coordinate the sampler perturbs in (log x for log_uniform, else x) and back
  [[nodiscard]] double to_work(double x) const;
  [[nodiscard]] double from_work(double z) const;
  // the density of the working coordinate (the Jacobian of log included), up to a constant
  [[nodiscard]] double work_density(double z) const;
};

struct Target {
  OutputSpec output;   // what a run reports (as a sweep's [[output]])
  double observed = 0;
  double sd = 1;       // the observation's uncertainty, one standard deviation, the output's unit
  std::string source;  // where the observed value comes from
};

struct AbcSettings {
  int particles = 200;          // population size N
  int generations = 6;          // at most
  double quantile = 0.5;        // tolerance of generation t: this quantile of generation t-1's distances
  double min_acceptance = 0.02; // stop after a generation that accepts fewer of its simulations
  double final_tolerance = 0;   // stop once a tolerance is at or below this
  std::uint64_t seed = 1;
  int predictive = 0;           // posterior-predictive runs at the end (0 = particles)
};

struct CalibrationDef {
  std::string path;
  std::string title;
  SweepDef model;               // scenario or test model, set, base; factors = the priors' keys, outputs = the targets
  std::vector<Prior> priors;
  std::vector<Target> targets;
  AbcSettings abc;
  std::string resolved_toml;    // the definition with every default filled in
  [[nodiscard]] std::uint64_t fingerprint() const;
};

// load and validate; throws ScenarioError "file:line: key 'k': message"
CalibrationDef load_calibration(const std::string& path, const Overrides& extra_set = {});

// Markdown documentation of every calibration-file key (scenarios/README.md)
std::string calibration_keys_markdown();

// the distance of a run's outputs (in target order) from the targets:
// sqrt(mean_i ((simulated_i - observed_i) / sd_i)^2); +inf when a value is not finite
double target_distance(const std::vector<Target>& targets, const std::vector<double>& simulated);

}  // namespace lokalmat::sweep
