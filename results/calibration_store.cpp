#include "results/calibration_store.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "results/h5_memory_file.h"
#include "results/h5_util.h"

namespace lokalmat {

namespace {

using h5::attr_scalar;
using h5::attr_string;
using h5::attr_strings;
using h5::create_group;
using h5::Handle;
using h5::has_link;
using h5::open_group;
using h5::read_attr_scalar;
using h5::read_attr_string;
using h5::read_attr_strings;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class T>
void column(hid_t g, const std::string& name, const std::vector<T>& v, const std::string& units = "") {
  Handle d = h5::write_dataset(g, name, {v.size()}, v.data());
  if (!units.empty()) attr_string(d.get(), "units", units);
}

// a named group of columns, [rows] each: /x/param/<key> and the like
void named_columns(hid_t parent, const char* group, const std::vector<std::string>& names,
                   const std::vector<std::string>& units, const std::vector<std::vector<double>>& columns) {
  Handle g = create_group(parent, group);
  attr_strings(g.get(), "names", names);
  for (std::size_t k = 0; k < names.size(); ++k) column(g.get(), names[k], columns[k], k < units.size() ? units[k] : "");
}

}  // namespace

void write_calibration_file(const std::string& path, const CalibrationFile& f, const OutputRules& rules) {
  const CalibrationHeader& h = f.header;
  const std::size_t K = h.parameters.size(), T = h.targets.size();
  std::string image;
  {
    h5::MemoryFile file = h5::MemoryFile::create();
    const hid_t root = file.get();
    std::int64_t simulations = 0;
    for (const auto& g : f.generations) simulations += g.simulated;
    attr_string(root, "lokalmat_version", LOKALMAT_VERSION);
    attr_string(root, "kind", "calibration");
    attr_string(root, "title", h.title);
    attr_string(root, "calibration_path", h.path);
    attr_string(root, "calibration_toml", h.toml);
    attr_string(root, "base_scenario_toml", h.base_scenario_toml);
    attr_string(root, "model", h.model);
    attr_scalar(root, "particles", h.particles);
    attr_scalar(root, "generations", static_cast<std::int32_t>(f.generations.size()));
    attr_scalar(root, "simulations", simulations);
    attr_scalar(root, "complete", f.complete ? 1 : 0);
    attr_scalar(root, "wall_seconds", f.wall_seconds);
    attr_scalar(root, "fingerprint", h.fingerprint);
    {
      Handle targets = create_group(root, "targets");
      attr_strings(targets.get(), "names", h.targets);
      attr_strings(targets.get(), "units", h.target_units);
      attr_strings(targets.get(), "sources", h.target_sources);
      column(targets.get(), "observed", h.observed);
      column(targets.get(), "sd", h.sd);
    }
    {
      Handle gens = create_group(root, "generations");
      std::vector<double> tolerance, acceptance, ess;
      std::vector<std::int64_t> simulated, proposed;
      for (const auto& g : f.generations) {
        tolerance.push_back(g.tolerance);
        acceptance.push_back(g.acceptance_rate);
        ess.push_back(g.ess);
        simulated.push_back(g.simulated);
        proposed.push_back(g.proposed);
      }
      column(gens.get(), "tolerance", tolerance, "distance (+inf in generation 0)");
      column(gens.get(), "acceptance_rate", acceptance, "accepted / simulated");
      column(gens.get(), "simulated", simulated, "runs");
      column(gens.get(), "proposed", proposed, "candidates, with those outside the prior");
      column(gens.get(), "ess", ess, "particles (effective sample size)");
    }
    {
      Handle parts = create_group(root, "particles");
      std::vector<std::int32_t> generation;
      std::vector<std::int64_t> candidate;
      std::vector<double> weight, distance;
      std::vector<std::vector<double>> theta(K), outputs(T);
      for (const auto& g : f.generations)
        for (const auto& p : g.particles) {
          generation.push_back(g.index);
          candidate.push_back(p.candidate);
          weight.push_back(p.weight);
          distance.push_back(p.distance);
          for (std::size_t k = 0; k < K; ++k) theta[k].push_back(p.theta[k]);
          for (std::size_t t = 0; t < T; ++t) outputs[t].push_back(t < p.outputs.size() ? p.outputs[t] : kNaN);
        }
      column(parts.get(), "generation", generation);
      column(parts.get(), "candidate", candidate);
      column(parts.get(), "weight", weight, "normalised within the generation");
      column(parts.get(), "distance", distance, "sqrt(mean ((simulated - observed) / sd)^2)");
      named_columns(parts.get(), "param", h.parameters, h.parameter_units, theta);
      named_columns(parts.get(), "target", h.targets, h.target_units, outputs);
    }
    {
      Handle pred = create_group(root, "predictive");
      std::vector<std::vector<double>> theta(K), outputs(T);
      for (std::size_t i = 0; i < f.predictive.theta.size(); ++i) {
        for (std::size_t k = 0; k < K; ++k) theta[k].push_back(f.predictive.theta[i][k]);
        for (std::size_t t = 0; t < T; ++t) outputs[t].push_back(f.predictive.outputs[i][t]);
      }
      named_columns(pred.get(), "param", h.parameters, h.parameter_units, theta);
      named_columns(pred.get(), "target", h.targets, h.target_units, outputs);
    }
    image = file.image();
    file.close();
  }
  h5::write_image(path, std::move(image), rules);
}

bool is_calibration_file(const std::string& path) {
  try {
    Handle file = h5::open_file_read(path);
    return h5::has_attr(file.get(), "kind") && read_attr_string(file.get(), "kind") == "calibration";
  } catch (const std::exception&) {
    return false;
  }
}

CalibrationFile read_calibration_file(const std::string& path, PartialFiles partial) try {
  SealState seal{};
  Handle file = h5::open_file_read(path, &seal);
  const hid_t root = file.get();
  if (!h5::has_attr(root, "kind") || read_attr_string(root, "kind") != "calibration")
    throw ResultFileError("not a lokalmat calibration file (no attribute kind = \"calibration\")");
  CalibrationFile f;
  CalibrationHeader& h = f.header;
  h.title = read_attr_string(root, "title");
  h.path = read_attr_string(root, "calibration_path");
  h.toml = read_attr_string(root, "calibration_toml");
  h.base_scenario_toml = read_attr_string(root, "base_scenario_toml");
  h.model = read_attr_string(root, "model");
  h.particles = read_attr_scalar<std::int32_t>(root, "particles");
  h.fingerprint = read_attr_scalar<std::uint64_t>(root, "fingerprint");
  f.complete = read_attr_scalar<std::int32_t>(root, "complete") != 0;
  f.wall_seconds = read_attr_scalar<double>(root, "wall_seconds");
  if (seal == SealState::never_sealed && f.complete) throw ResultFileError("damaged: marked complete, but never sealed");
  if (partial == PartialFiles::refuse && !f.complete)
    throw ResultFileError("not a finished calibration (complete = 0); finish it with lokalmat calibrate --resume, or "
                          "read it with --partial");
  {
    Handle targets = open_group(root, "targets");
    h.targets = read_attr_strings(targets.get(), "names");
    const hsize_t T = h.targets.size();
    h.target_units = read_attr_strings(targets.get(), "units", T);
    h.target_sources = read_attr_strings(targets.get(), "sources", T);
    h.observed = h5::read_dataset<double>(targets.get(), "observed", {T});
    h.sd = h5::read_dataset<double>(targets.get(), "sd", {T});
  }
  Handle gens = open_group(root, "generations");
  const auto G = static_cast<hsize_t>(read_attr_scalar<std::int32_t>(root, "generations"));
  const auto tolerance = h5::read_dataset<double>(gens.get(), "tolerance", {G});
  const auto acceptance = h5::read_dataset<double>(gens.get(), "acceptance_rate", {G});
  const auto ess = h5::read_dataset<double>(gens.get(), "ess", {G});
  const auto simulated = h5::read_dataset<std::int64_t>(gens.get(), "simulated", {G});
  const auto proposed = h5::read_dataset<std::int64_t>(gens.get(), "proposed", {G});
  Handle parts = open_group(root, "particles");
  const auto generation = h5::read_dataset<std::int32_t>(parts.get(), "generation", {h5::kAny});
  const hsize_t R = generation.size();
  const auto candidate = h5::read_dataset<std::int64_t>(parts.get(), "candidate", {R});
  const auto weight = h5::read_dataset<double>(parts.get(), "weight", {R});
  const auto distance = h5::read_dataset<double>(parts.get(), "distance", {R});
  Handle param = open_group(parts.get(), "param");
  h.parameters = read_attr_strings(param.get(), "names");
  std::vector<std::vector<double>> theta, outputs;
  for (const auto& k : h.parameters) {
    theta.push_back(h5::read_dataset<double>(param.get(), k, {R}));
    Handle d = h5::open_dataset(param.get(), k);
    h.parameter_units.push_back(h5::has_attr(d.get(), "units") ? read_attr_string(d.get(), "units") : "");
  }
  Handle target = open_group(parts.get(), "target");
  for (const auto& t : h.targets) outputs.push_back(h5::read_dataset<double>(target.get(), t, {R}));
  f.generations.resize(G);
  for (std::size_t g = 0; g < G; ++g) {
    f.generations[g] = {static_cast<int>(g), tolerance[g], proposed[g], simulated[g], acceptance[g], ess[g], {}};
  }
  for (std::size_t r = 0; r < R; ++r) {
    if (generation[r] < 0 || static_cast<hsize_t>(generation[r]) >= G)
      throw ResultFileError("/particles/generation[" + std::to_string(r) + "] is " + std::to_string(generation[r]));
    sweep::Particle p;
    for (const auto& col : theta) p.theta.push_back(col[r]);
    for (const auto& col : outputs) p.outputs.push_back(col[r]);
    p.weight = weight[r];
    p.distance = distance[r];
    p.candidate = candidate[r];
    f.generations[static_cast<std::size_t>(generation[r])].particles.push_back(std::move(p));
  }
  Handle pred = open_group(root, "predictive");
  Handle pp = open_group(pred.get(), "param"), pt = open_group(pred.get(), "target");
  std::vector<std::vector<double>> ptheta, pout;
  for (const auto& k : h.parameters) ptheta.push_back(h5::read_dataset<double>(pp.get(), k, {h5::kAny}));
  const hsize_t M = ptheta.empty() ? 0 : ptheta.front().size();
  for (const auto& t : h.targets) pout.push_back(h5::read_dataset<double>(pt.get(), t, {M}));
  for (hsize_t i = 0; i < M; ++i) {
    std::vector<double> th, out;
    for (const auto& col : ptheta) {
      if (col.size() != M) throw ResultFileError("/predictive/param: columns of different lengths");
      th.push_back(col[i]);
    }
    for (const auto& col : pout) out.push_back(col[i]);
    f.predictive.theta.push_back(std::move(th));
    f.predictive.outputs.push_back(std::move(out));
  }
  return f;
} catch (...) {
  rethrow_naming(path);
}

}  // namespace lokalmat
