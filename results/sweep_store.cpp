// The sweep file (HDF5): written atomically from the records, read back, and the
// /analysis group that `lokalmat analyze` adds. The journal is results/sweep_journal.cpp.
#include "results/sweep_store.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <utility>

#include "results/file_seal.h"
#include "results/h5_memory_file.h"
#include "results/h5_util.h"

namespace lokalmat {

namespace {

namespace fs = std::filesystem;
using h5::attr_scalar;
using h5::attr_string;
using h5::attr_strings;
using h5::check;
using h5::check_id;
using h5::create_group;
using h5::Handle;
using h5::has_link;
using h5::open_group;
using h5::read_attr_scalar;
using h5::read_attr_string;
using h5::read_attr_strings;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- the sweep file -------------------------------------------------------------------

// names become HDF5 link names: no '/' (a path separator), not empty or "."
void check_names(const std::vector<std::string>& names, const char* what) {
  for (const auto& n : names)
    if (n.empty() || n == "." || n.find('/') != std::string::npos)
      throw std::runtime_error(std::string("sweep file: ") + what + " name '" + n + "' cannot name a dataset");
}

// a list of units or descriptions: one per name, or none at all ("" each)
void check_labels(const std::vector<std::string>& labels, const std::vector<std::string>& names, const char* what) {
  if (!labels.empty() && labels.size() != names.size())
    throw std::runtime_error(std::string("sweep file: ") + std::to_string(labels.size()) + " " + what + " for " +
                             std::to_string(names.size()) + " names");
}
std::string label(const std::vector<std::string>& labels, std::size_t i) { return i < labels.size() ? labels[i] : ""; }

void check_header(const SweepHeader& h) {
  check_names(h.parameters, "parameter");
  check_names(h.outputs, "output");
  check_names(h.weekly_metrics, "weekly metric");
  check_labels(h.parameter_units, h.parameters, "parameter units");
  check_labels(h.output_units, h.outputs, "output units");
  check_labels(h.output_descriptions, h.outputs, "output descriptions");
  check_labels(h.weekly_units, h.weekly_metrics, "weekly units");
  for (const auto* table : {&h.design_values, &h.design_unit})
    for (const auto& row : *table)
      if (row.size() != h.parameters.size())
        throw std::runtime_error("sweep file: a design point has " + std::to_string(row.size()) + " values for " +
                                 std::to_string(h.parameters.size()) + " parameters");
  if (!h.weekly_metrics.empty() && !h.week_start.empty() && h.week_start.size() != static_cast<std::size_t>(h.weeks))
    throw std::runtime_error("sweep file: " + std::to_string(h.week_start.size()) + " week start dates for " +
                             std::to_string(h.weeks) + " weeks");
}

void check_record(const SweepHeader& h, const RunRecord& r) {
  const std::string run = "sweep file: run " + std::to_string(r.run_id);
  if (r.point < 0 || static_cast<std::size_t>(r.point) >= h.design_values.size())
    throw std::runtime_error(run + " has point " + std::to_string(r.point) + ", outside the design's " +
                             std::to_string(h.design_values.size()) + " points");
  if (r.ok && r.outputs.size() != h.outputs.size())
    throw std::runtime_error(run + " has " + std::to_string(r.outputs.size()) + " outputs; the sweep has " +
                             std::to_string(h.outputs.size()));
  const std::size_t weekly = h.weekly_metrics.size() * (1 + h.weekly_municipalities.size()) *
                             static_cast<std::size_t>(std::max(h.weeks, 0));
  if (r.ok && !r.weekly.empty() && r.weekly.size() != weekly)
    throw std::runtime_error(run + " has " + std::to_string(r.weekly.size()) + " weekly values; the sweep keeps " +
                             std::to_string(weekly));
}

// [rows x k] row-major
std::vector<double> flatten(const std::vector<std::vector<double>>& rows) {
  std::vector<double> out;
  for (const auto& row : rows) out.insert(out.end(), row.begin(), row.end());
  return out;
}

// one [R] column of /runs, one value per record
template <class T, class Field>
Handle write_column(hid_t group, const std::string& name, const std::vector<RunRecord>& rows, Field field,
                    const std::string& units) {
  std::vector<T> v;
  v.reserve(rows.size());
  for (const RunRecord& r : rows) v.push_back(static_cast<T>(field(r)));
  Handle d = h5::write_dataset(group, name, {v.size()}, v.data());
  attr_string(d.get(), "units", units);
  return d;
}

void write_root_attributes(hid_t root, const SweepHeader& h, const std::vector<RunRecord>& rows, bool complete,
                           double wall_seconds) {
  const auto ok = static_cast<std::int64_t>(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.ok; }));
  attr_string(root, "lokalmat_version", LOKALMAT_VERSION);
  attr_string(root, "title", h.title);
  attr_string(root, "design", h.design);
  attr_string(root, "sweep_path", h.sweep_path);
  attr_string(root, "sweep_toml", h.sweep_toml);
  attr_string(root, "base_scenario_toml", h.base_scenario_toml);
  attr_string(root, "model", h.model);
  attr_scalar(root, "n_points", static_cast<std::int64_t>(h.design_values.size()));
  attr_scalar(root, "n_runs", h.n_runs);
  attr_scalar(root, "replicates", h.replicates);
  attr_scalar(root, "first_seed", h.first_seed);
  attr_scalar(root, "block_size", h.block_size);
  attr_scalar(root, "weeks", h.weeks);
  attr_scalar(root, "runs_ok", ok);
  attr_scalar(root, "runs_failed", static_cast<std::int64_t>(rows.size()) - ok);
  attr_scalar(root, "complete", complete ? 1 : 0);
  attr_scalar(root, "wall_seconds", wall_seconds);
  attr_scalar(root, "fingerprint", h.fingerprint());
}

// /design/values and /design/unit, [P x K]; the columns are named by the names attribute
void write_design(hid_t root, const SweepHeader& h) {
  Handle design = create_group(root, "design");
  auto write_points = [&](const char* name, const std::vector<std::vector<double>>& rows) {
    const std::vector<double> flat = flatten(rows);
    Handle d = h5::write_dataset(design.get(), name, {rows.size(), h.parameters.size()}, flat.data());
    attr_strings(d.get(), "names", h.parameters);
    return d;
  };
  std::vector<std::string> units(h.parameters.size());
  for (std::size_t k = 0; k < units.size(); ++k) units[k] = label(h.parameter_units, k);
  attr_strings(write_points("values", h.design_values).get(), "units", units);
  attr_string(write_points("unit", h.design_unit).get(), "units", "unit-cube coordinate, 0-1");
  // a categorical parameter's levels: its values are their indices
  bool any = false;
  for (const auto& c : h.parameter_choices) any = any || !c.empty();
  if (!any) return;
  Handle choices = create_group(design.get(), "choices");
  for (std::size_t k = 0; k < h.parameters.size() && k < h.parameter_choices.size(); ++k)
    if (!h.parameter_choices[k].empty()) h5::write_strings(choices.get(), h.parameters[k], h.parameter_choices[k]);
}

void write_runs(hid_t root, const SweepHeader& h, const std::vector<RunRecord>& rows) {
  Handle runs = create_group(root, "runs");
  const hid_t g = runs.get();
  write_column<std::int64_t>(g, "run_id", rows, [](const RunRecord& r) { return r.run_id; }, "run number in the sweep");
  write_column<std::int64_t>(g, "point", rows, [](const RunRecord& r) { return r.point; },
                             "design point: row of /design/values");
  write_column<std::int32_t>(g, "replicate", rows, [](const RunRecord& r) { return r.replicate; },
                             "replicate number at its design point");
  write_column<std::uint64_t>(g, "seed", rows, [](const RunRecord& r) { return r.seed; }, "run.seed of the run");
  write_column<double>(g, "wall_seconds", rows, [](const RunRecord& r) { return r.wall_seconds; }, "seconds");
  std::vector<std::string> status, message;
  for (const RunRecord& r : rows) {
    status.emplace_back(r.ok ? "ok" : "failed");
    message.push_back(r.message);
  }
  attr_string(h5::write_strings(g, "status", status).get(), "units", "ok | failed");
  attr_string(h5::write_strings(g, "message", message).get(), "units", "the error of a failed run");

  // the parameters of each run: its design point's values
  Handle param = create_group(g, "param");
  attr_strings(param.get(), "names", h.parameters);
  for (std::size_t k = 0; k < h.parameters.size(); ++k) {
    Handle d = write_column<double>(param.get(), h.parameters[k], rows,
                                    [&](const RunRecord& r) { return h.design_values[static_cast<std::size_t>(r.point)][k]; },
                                    label(h.parameter_units, k));
    if (k < h.parameter_choices.size() && !h.parameter_choices[k].empty())
      attr_strings(d.get(), "choices", h.parameter_choices[k]);
  }

  // outputs: NaN for a failed run, whatever its record holds
  Handle output = create_group(g, "output");
  attr_strings(output.get(), "names", h.outputs);
  for (std::size_t j = 0; j < h.outputs.size(); ++j) {
    Handle d = write_column<double>(output.get(), h.outputs[j], rows,
                                    [&](const RunRecord& r) { return r.ok ? r.outputs[j] : kNaN; },
                                    label(h.output_units, j));
    attr_string(d.get(), "description", label(h.output_descriptions, j));
  }
}

// /weekly/<metric> [R x W]: a run's rows of its [metrics x (1 + M) x weeks] block; NaN when failed
// or not kept; with the municipalities' series also /weekly/by_municipality/<metric> [R x M x W]
void write_weekly(hid_t root, const SweepHeader& h, const std::vector<RunRecord>& rows) {
  Handle weekly = create_group(root, "weekly");
  attr_strings(weekly.get(), "names", h.weekly_metrics);
  Handle dates = h5::write_strings(weekly.get(), "week_start", h.week_start, 10);  // as in the run file
  attr_string(dates.get(), "units", "ISO date of the week's first day");
  const auto W = static_cast<std::size_t>(std::max(h.weeks, 0));
  const std::size_t M = h.weekly_municipalities.size();
  Handle by_muni;
  if (M > 0) {
    by_muni = create_group(weekly.get(), "by_municipality");
    attr_strings(by_muni.get(), "names", h.weekly_municipalities);
  }
  for (std::size_t m = 0; m < h.weekly_metrics.size(); ++m) {
    // series s of metric m (0 = the total, 1 + j = municipality j), [R x W] each
    const auto series = [&](std::size_t first, std::size_t count) {
      std::vector<double> table(rows.size() * count * W, kNaN);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const RunRecord& r = rows[i];
        if (!r.ok || r.weekly.empty()) continue;
        std::copy_n(r.weekly.begin() + static_cast<std::ptrdiff_t>((m * (1 + M) + first) * W), count * W,
                    table.begin() + static_cast<std::ptrdiff_t>(i * count * W));
      }
      return table;
    };
    Handle d = h5::write_dataset(weekly.get(), h.weekly_metrics[m], {rows.size(), W}, series(0, 1).data(), true);
    attr_string(d.get(), "units", label(h.weekly_units, m));
    if (M == 0) continue;
    Handle dm = h5::write_dataset(by_muni.get(), h.weekly_metrics[m], {rows.size(), M, W}, series(1, M).data(), true);
    attr_string(dm.get(), "units", label(h.weekly_units, m));
    attr_strings(dm.get(), "municipalities", h.weekly_municipalities);
  }
}

// a [rows x cols] table of /design, as rows
std::vector<std::vector<double>> read_table(hid_t group, const std::string& name, hsize_t rows, hsize_t cols) {
  const std::vector<double> flat = h5::read_dataset<double>(group, name, {rows, cols});
  std::vector<std::vector<double>> out(rows);
  for (std::size_t p = 0; p < out.size(); ++p)
    out[p].assign(flat.begin() + static_cast<std::ptrdiff_t>(p * cols),
                  flat.begin() + static_cast<std::ptrdiff_t>((p + 1) * cols));
  return out;
}

}  // namespace

// ---- sweep file -----------------------------------------------------------------------

void write_sweep_file(const std::string& path, const SweepHeader& h, std::vector<RunRecord> records, bool complete,
                      double wall_seconds, const OutputRules& rules) {
  check_header(h);
  // rows by run id; a run recorded twice (run again after a resume) keeps its first record
  std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.run_id < b.run_id; });
  records.erase(std::unique(records.begin(), records.end(),
                            [](const auto& a, const auto& b) { return a.run_id == b.run_id; }),
                records.end());
  for (const RunRecord& r : records) check_record(h, r);

  // built in memory, every handle closed, then written whole (results/h5_memory_file.h)
  std::string image;
  {
    h5::MemoryFile file = h5::MemoryFile::create();
    write_root_attributes(file.get(), h, records, complete, wall_seconds);
    write_design(file.get(), h);
    write_runs(file.get(), h, records);
    if (!h.weekly_metrics.empty()) write_weekly(file.get(), h, records);
    image = file.image();
    file.close();
  }
  h5::write_image(path, std::move(image), rules);
}

bool is_sweep_file(const std::string& path) {
  try {
    Handle file = h5::open_file_read(path);
    return h5::has_attr(file.get(), "n_runs") && h5::has_attr(file.get(), "design") && has_link(file.get(), "runs");
  } catch (const std::exception&) {
    return false;  // not HDF5, or damaged: the run-file reader says what is wrong
  }
}

SweepFile read_sweep_file(const std::string& path, PartialFiles partial) try {
  // the seal before HDF5 reads a byte (results/file_seal.h)
  SealState seal{};
  Handle file = h5::open_file_read(path, &seal);
  const hid_t root = file.get();
  SweepFile out;
  SweepHeader& h = out.header;
  if (!h5::has_attr(root, "complete") || !h5::has_attr(root, "n_runs") || !h5::has_attr(root, "design"))
    throw ResultFileError("not a lokalmat sweep file (no 'complete', 'n_runs' or 'design' attribute)");
  h.title = read_attr_string(root, "title");
  h.design = read_attr_string(root, "design");
  h.sweep_path = read_attr_string(root, "sweep_path");
  h.sweep_toml = read_attr_string(root, "sweep_toml");
  h.base_scenario_toml = read_attr_string(root, "base_scenario_toml");
  h.model = read_attr_string(root, "model");
  h.n_runs = read_attr_scalar<std::int64_t>(root, "n_runs");
  h.replicates = read_attr_scalar<std::int32_t>(root, "replicates");
  h.first_seed = read_attr_scalar<std::uint64_t>(root, "first_seed");
  h.block_size = read_attr_scalar<std::int32_t>(root, "block_size");
  h.weeks = read_attr_scalar<std::int32_t>(root, "weeks");
  out.complete = read_attr_scalar<std::int32_t>(root, "complete") != 0;
  out.wall_seconds = read_attr_scalar<double>(root, "wall_seconds");
  if (seal == SealState::never_sealed && out.complete)
    throw ResultFileError("damaged: marked complete, but never sealed");

  // the design: parameter names and units from the attributes of /design/values, [P x K]
  {
    Handle design = open_group(root, "design");
    Handle values = h5::open_dataset(design.get(), "values");
    h.parameters = read_attr_strings(values.get(), "names");
    const hsize_t K = h.parameters.size();
    h.parameter_units = read_attr_strings(values.get(), "units", K);
    const auto n_points = read_attr_scalar<std::int64_t>(root, "n_points");
    if (n_points < 0) throw ResultFileError("attribute 'n_points' of / is " + std::to_string(n_points));
    const auto P = static_cast<hsize_t>(n_points);
    h.design_values = read_table(design.get(), "values", P, K);
    h.design_unit = read_table(design.get(), "unit", P, K);
    h.parameter_choices.assign(K, {});
    if (has_link(design.get(), "choices")) {
      Handle choices = open_group(design.get(), "choices");
      for (std::size_t k = 0; k < K; ++k) {
        if (!has_link(choices.get(), h.parameters[k])) continue;
        h.parameter_choices[k] = h5::read_strings(choices.get(), h.parameters[k]);
        const auto levels = static_cast<double>(h.parameter_choices[k].size());
        for (const auto& point : h.design_values)
          if (!(point[k] >= 0 && point[k] < levels && point[k] == std::floor(point[k])))
            throw ResultFileError("/design/values: " + h.parameters[k] + " is " + std::to_string(point[k]) +
                                  ", not one of its " + std::to_string(h.parameter_choices[k].size()) + " levels");
      }
    }
  }

  // the runs, column by column, each [R]
  Handle runs = open_group(root, "runs");
  const hid_t g = runs.get();
  const std::vector<std::int64_t> run_id = h5::read_dataset<std::int64_t>(g, "run_id", {h5::kAny});
  const hsize_t R = run_id.size();
  const auto point = h5::read_dataset<std::int64_t>(g, "point", {R});
  const auto replicate = h5::read_dataset<std::int32_t>(g, "replicate", {R});
  const auto seed = h5::read_dataset<std::uint64_t>(g, "seed", {R});
  const auto wall = h5::read_dataset<double>(g, "wall_seconds", {R});
  const std::vector<std::string> status = h5::read_strings(g, "status", {R});
  const std::vector<std::string> message = h5::read_strings(g, "message", {R});
  Handle output = open_group(g, "output");
  h.outputs = read_attr_strings(output.get(), "names");
  std::vector<std::vector<double>> outputs;
  for (const std::string& name : h.outputs) {
    Handle d = h5::open_dataset(output.get(), name);
    h.output_units.push_back(read_attr_string(d.get(), "units"));
    h.output_descriptions.push_back(read_attr_string(d.get(), "description"));
    outputs.push_back(h5::read_dataset<double>(output.get(), name, {R}));
  }
  out.records.resize(R);
  for (std::size_t i = 0; i < R; ++i) {
    RunRecord& r = out.records[i];
    r.run_id = run_id[i];
    r.point = point[i];
    r.replicate = replicate[i];
    r.seed = seed[i];
    if (status[i] != "ok" && status[i] != "failed")
      throw ResultFileError("/runs/status[" + std::to_string(i) + "] is '" + status[i] + "', not ok or failed");
    r.ok = status[i] == "ok";
    r.message = message[i];
    r.wall_seconds = wall[i];
    for (const auto& column : outputs) r.outputs.push_back(column[i]);
    if (r.point < 0 || static_cast<std::size_t>(r.point) >= h.design_values.size())
      throw ResultFileError("/runs/point[" + std::to_string(i) + "] is " + std::to_string(r.point) + ", outside the " +
                            std::to_string(h.design_values.size()) + " design points");
  }

  // the weekly series' names, units and calendar (not their values)
  if (has_link(root, "weekly")) {
    Handle weekly = open_group(root, "weekly");
    h.weekly_metrics = read_attr_strings(weekly.get(), "names");
    for (const std::string& name : h.weekly_metrics)
      h.weekly_units.push_back(read_attr_string(h5::open_dataset(weekly.get(), name).get(), "units"));
    h.week_start = h5::read_strings(weekly.get(), "week_start", {h5::kAny});
    if (has_link(weekly.get(), "by_municipality"))
      h.weekly_municipalities = read_attr_strings(open_group(weekly.get(), "by_municipality").get(), "names");
  }

  // an unfinished sweep only when asked for
  if (partial == PartialFiles::refuse && (!out.complete || seal == SealState::never_sealed))
    throw ResultFileError("not a finished sweep (complete = 0): " + std::to_string(R) + " of " +
                          std::to_string(h.n_runs) + " runs done; finish it with lokalmat sweep --resume, or read it "
                          "with --partial if that is what you want");
  return out;
} catch (...) {
  rethrow_naming(path);
}

// ---- analysis -------------------------------------------------------------------------

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error("cannot read '" + path + "'");
  return bytes;
}

}  // namespace

namespace {

// the file's bytes opened in memory, changed there by `change` and written back whole, atomically;
// a sealed file stays sealed (an older unsealed one cannot be)
template <class Change>
void modify_file(const std::string& path, const Change& change) {
  const SealState seal = verify_seal(path);
  std::string image;
  {
    h5::MemoryFile file = h5::MemoryFile::open(read_bytes(path), path);
    change(file.get());
    image = file.image();
    file.close();
  }
  // the file the user asked to add to: replaced, as documented
  h5::write_image(path, std::move(image), OutputRules{.force = true, .inputs = {}},
                  seal == SealState::sealed ? h5::Seal::yes : h5::Seal::no);
}

}  // namespace

void write_analysis(const std::string& path, const std::vector<AnalysisTable>& tables,
                    const std::vector<std::string>& parameters) {
  for (const AnalysisTable& t : tables) {
    check_names({t.method, t.output}, "analysis");
    check_names(t.columns, "analysis column");
    const std::vector<std::string>& rows = t.rows.empty() ? parameters : t.rows;
    bool rectangular = t.values.size() == rows.size();
    for (const auto& row : t.values) rectangular = rectangular && row.size() == t.columns.size();
    for (const auto& [name, m] : t.matrices) {
      check_names({name}, "analysis matrix");
      rectangular = rectangular && m.size() == parameters.size();
      for (const auto& row : m) rectangular = rectangular && row.size() == parameters.size();
    }
    if (!rectangular)
      throw std::runtime_error("analysis " + t.method + "/" + t.output + ": values are not [" +
                               std::to_string(rows.size()) + " rows x " +
                               std::to_string(t.columns.size()) + " columns]");
  }
  modify_file(path, [&](hid_t root) {
    // unlinking leaves the old tables' bytes unused in the file (h5repack reclaims them)
    if (has_link(root, "analysis")) check(H5Ldelete(root, "analysis", H5P_DEFAULT), "delete /analysis");
    Handle analysis = create_group(root, "analysis");
    for (const AnalysisTable& t : tables) {
      Handle method =
          has_link(analysis.get(), t.method) ? open_group(analysis.get(), t.method) : create_group(analysis.get(), t.method);
      if (has_link(method.get(), t.output))
        throw std::runtime_error("analysis: two tables for " + t.method + "/" + t.output);
      Handle table = create_group(method.get(), t.output);
      const std::vector<std::string>& rows = t.rows.empty() ? parameters : t.rows;
      attr_strings(table.get(), "parameters", rows);
      attr_strings(table.get(), "columns", t.columns);
      attr_scalar(table.get(), "used", t.used);
      // one dataset a column, over the parameters
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        std::vector<double> column;
        for (const auto& row : t.values) column.push_back(row[c]);
        Handle d = h5::write_dataset(table.get(), t.columns[c], {column.size()}, column.data());
        attr_strings(d.get(), "parameters", rows);
        attr_scalar(d.get(), "used", t.used);
      }
      for (const auto& [name, m] : t.matrices) {
        std::vector<double> flat;
        for (const auto& row : m) flat.insert(flat.end(), row.begin(), row.end());
        Handle d = h5::write_dataset(table.get(), name, {parameters.size(), parameters.size()}, flat.data());
        attr_strings(d.get(), "parameters", parameters);
      }
      for (const auto& [name, v] : t.numbers) attr_scalar(table.get(), name.c_str(), v);
      for (const auto& [name, v] : t.texts) attr_string(table.get(), name.c_str(), v);
    }
  });
}

void write_discovery(const std::string& path, const DiscoveryTable& t, const std::vector<std::string>& parameters) {
  check_names({t.name}, "discovery");
  const std::size_t B = t.coverage.size();
  bool shaped = t.density.size() == B && t.mass.size() == B && t.points.size() == B && t.cases.size() == B &&
                t.lo.size() == B && t.hi.size() == B;
  for (std::size_t b = 0; shaped && b < B; ++b) shaped = t.lo[b].size() == parameters.size() && t.hi[b].size() == parameters.size();
  if (!shaped) throw std::runtime_error("discovery " + t.name + ": the trajectory's tables differ in size");
  modify_file(path, [&](hid_t root) {
    Handle discovery = has_link(root, "discovery") ? open_group(root, "discovery") : create_group(root, "discovery");
    if (has_link(discovery.get(), t.name)) check(H5Ldelete(discovery.get(), t.name.c_str(), H5P_DEFAULT), "delete");
    Handle g = create_group(discovery.get(), t.name);
    attr_strings(g.get(), "parameters", parameters);
    attr_string(g.get(), "output", t.output);
    attr_string(g.get(), "condition", t.condition);
    attr_scalar(g.get(), "chosen", t.chosen);
    attr_strings(g.get(), "chosen_box", t.chosen_box);
    for (const auto& [name, v] : t.numbers) attr_scalar(g.get(), name.c_str(), v);
    const std::pair<const char*, const std::vector<double>*> columns[] = {
        {"coverage", &t.coverage}, {"density", &t.density}, {"mass", &t.mass}, {"points", &t.points}, {"cases", &t.cases}};
    for (const auto& [name, v] : columns) h5::write_dataset(g.get(), name, {B}, v->data());
    for (const auto& [name, m] : {std::pair{"lo", &t.lo}, std::pair{"hi", &t.hi}}) {
      const std::vector<double> flat = flatten(*m);
      Handle d = h5::write_dataset(g.get(), name, {B, parameters.size()}, flat.data());
      attr_strings(d.get(), "parameters", parameters);
    }
  });
}

}  // namespace lokalmat
