#include "results/csv_export.h"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "results/h5_util.h"
#include "results/run_file.h"
#include "results/sweep_store.h"
#include "sim/metrics.h"
#include "sim/run_totals.h"

namespace lokalmat {

namespace {

namespace fs = std::filesystem;


// shortest text that reads back to the same double; NaN as an empty cell
std::string number(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

std::string units_of(hid_t parent, const std::string& name) {
  h5::Handle d = h5::open_dataset(parent, name);
  return h5::has_attr(d.get(), "units") ? h5::read_attr_string(d.get(), "units") : std::string();
}

std::string header(const std::string& name, const std::string& units) {
  return csv_text(units.empty() ? name : fmt::format("{} [{}]", name, units));
}

bool is_float_dataset(hid_t parent, const std::string& name) {
  if (!h5::has_link(parent, name)) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name(parent, name.c_str(), &info, H5P_DEFAULT) < 0 || info.type != H5O_TYPE_DATASET) return false;
  h5::Handle d = h5::open_dataset(parent, name);
  h5::Handle t(H5Dget_type(d.get()), H5Tclose);
  return H5Tget_class(t.get()) == H5T_FLOAT;
}

// the metrics of a group: the weekly metrics present, in their documented order (each must then
// be a numeric table: read_dataset checks), then any other float datasets by name
std::vector<std::string> metric_names(hid_t group) {
  std::vector<std::string> names;
  for (const auto& def : weekly_metrics())
    if (h5::has_link(group, std::string(def.name))) names.emplace_back(def.name);
  for (const auto& n : h5::link_names(group))
    if (std::find(names.begin(), names.end(), n) == names.end() && is_float_dataset(group, n)) names.push_back(n);
  return names;
}

// one CSV file's rows, read before any file is written
struct Table {
  std::string name;
  std::vector<std::vector<std::string>> rows;
};

// one CSV file, written through a temporary renamed into place (results/output_file.h)
class CsvFile {
 public:
  CsvFile(const fs::path& path, const OutputRules& rules) : out_(path.string(), rules) {}
  void row(const std::vector<std::string>& cells) {
    line_.clear();
    for (std::size_t i = 0; i < cells.size(); ++i) (line_ += i ? "," : "") += cells[i];
    line_ += "\n";
    out_.write(line_);
  }
  std::string close() {
    out_.commit();
    return out_.path();
  }

 private:
  OutputFile out_;
  std::string line_;
};

// the CSV directory: made when missing (not its parents: a named output's directory must exist)
void make_csv_directory(const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  if (fs::exists(fs::symlink_status(dir, ec)))
    throw OutputRefused(fmt::format("--csv '{}' is not a directory", dir));
  const fs::path parent = fs::path(dir).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw OutputRefused(fmt::format("--csv '{}': the directory '{}' does not exist", dir, parent.string()));
  if (!fs::create_directory(dir, ec) && ec)
    throw std::runtime_error(fmt::format("cannot create the directory '{}': {}", dir, ec.message()));
}

// a parameter's value in a sweep's CSV: a categorical parameter's level by name
std::string parameter_cell(const SweepHeader& h, std::size_t k, double v) {
  if (k < h.parameter_choices.size() && !h.parameter_choices[k].empty())
    return csv_text(h.parameter_choices[k][static_cast<std::size_t>(v)]);
  return number(v);
}

// every file of an export, checked before the first is written, then written one by one
std::vector<std::string> write_tables(const std::string& dir, const std::vector<Table>& tables,
                                      const OutputRules& rules) {
  make_csv_directory(dir);
  for (const Table& t : tables) check_output_target((fs::path(dir) / t.name).string(), rules);
  std::vector<std::string> written;
  for (const Table& t : tables) {
    CsvFile csv(fs::path(dir) / t.name, rules);
    for (const auto& row : t.rows) csv.row(row);
    written.push_back(csv.close());
  }
  return written;
}

}  // namespace

std::string csv_text(std::string_view text) {
  const bool formula = !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
  if (!formula && text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = formula ? "\"'" : "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> export_run_csv(const std::string& run_path, const std::string& dir, const OutputRules& rules,
                                        PartialFiles partial) {
  if (dir.empty()) throw OutputRefused("--csv: the directory name is empty; name a directory");
  // every table is read and checked before the first file is written: a damaged or foreign run
  // file is refused with nothing written
  std::vector<Table> tables;
  try {
    h5::RunFile run_file = h5::open_run_file(run_path, partial);
    const hid_t root = run_file.file.get();
    const hsize_t W = run_file.weeks;
    h5::Handle weekly = h5::open_group(root, "weekly");
    const auto week_start = h5::read_strings(weekly.get(), "week_start", {W});
    const auto iso_week = h5::read_dataset<std::int32_t>(weekly.get(), "iso_week", {W});

    // the totals: one row per week
    {
      const auto names = metric_names(weekly.get());
      std::vector<std::vector<double>> columns;
      Table& t = tables.emplace_back(Table{"weekly.csv", {}});
      std::vector<std::string> head = {"week_start [ISO date]", "iso_week [ISO week]"};
      for (const auto& n : names) {
        columns.push_back(h5::read_dataset<double>(weekly.get(), n, {W}));
        head.push_back(header(n, units_of(weekly.get(), n)));
      }
      t.rows.push_back(head);
      for (std::size_t w = 0; w < W; ++w) {
        std::vector<std::string> cells = {csv_text(week_start[w]), std::to_string(iso_week[w])};
        for (const auto& col : columns) cells.push_back(number(col[w]));
        t.rows.push_back(cells);
      }
    }

    // the breakdowns: one row per week and group member, as many members as the group's names
    const std::pair<const char*, const char*> groups[] = {
        {"by_category", "category"}, {"by_buyer_type", "buyer_type"}, {"by_municipality", "municipality"}};
    for (const auto& [group_name, column_name] : groups) {
      if (!h5::has_link(weekly.get(), group_name)) continue;
      h5::Handle g = h5::open_group(weekly.get(), group_name);
      const auto members = h5::read_attr_strings(g.get(), "names");
      const hsize_t M = members.size();
      const auto names = metric_names(g.get());
      std::vector<std::vector<double>> columns;  // [metric][W x members]
      std::vector<std::string> head = {"week_start [ISO date]", "iso_week [ISO week]", column_name};
      for (const auto& n : names) {
        columns.push_back(h5::read_dataset<double>(g.get(), n, {W, M}));
        head.push_back(header(n, units_of(g.get(), n)));
      }
      Table& t = tables.emplace_back(Table{fmt::format("weekly_{}.csv", group_name), {head}});
      for (std::size_t w = 0; w < W; ++w)
        for (std::size_t j = 0; j < M; ++j) {
          std::vector<std::string> cells = {csv_text(week_start[w]), std::to_string(iso_week[w]),
                                            csv_text(members[j])};
          for (const auto& col : columns) cells.push_back(number(col[w * M + j]));
          t.rows.push_back(cells);
        }
    }

    // the whole-run figures (a finished run only)
    if (h5::has_link(root, "run")) {
      h5::Handle run = h5::open_group(root, "run");
      Table& t = tables.emplace_back(Table{"summary.csv", {{"figure", "value", "units", "description"}}});
      // the summary's order (sim/run_totals.h), then any figure this program does not know
      std::vector<std::string> names;
      for (const auto& d : run_figures())
        if (h5::has_link(run.get(), std::string(d.name))) names.emplace_back(d.name);
      for (const auto& n : h5::link_names(run.get()))
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      for (const auto& n : names) {
        const double value = h5::read_dataset<double>(run.get(), n, {}).front();
        h5::Handle d = h5::open_dataset(run.get(), n);
        const std::string units = h5::has_attr(d.get(), "units") ? h5::read_attr_string(d.get(), "units") : "";
        const std::string description =
            h5::has_attr(d.get(), "description") ? h5::read_attr_string(d.get(), "description") : "";
        t.rows.push_back({csv_text(n), number(value), csv_text(units), csv_text(description)});
      }
    }
  } catch (...) {
    rethrow_naming(run_path);
  }

  return write_tables(dir, tables, rules);
}

std::vector<std::string> export_sweep_csv(const std::string& sweep_path, const std::string& dir,
                                          const OutputRules& rules, PartialFiles partial) {
  if (dir.empty()) throw OutputRefused("--csv: the directory name is empty; name a directory");
  std::vector<Table> tables;
  try {
    const SweepFile f = read_sweep_file(sweep_path, partial);
    const SweepHeader& h = f.header;
    const auto with_unit = [](const std::string& name, const std::string& unit) {
      return header(name, unit.empty() || unit == "-" ? std::string() : unit);
    };
    // one row per run: its point, replicate, seed, status, parameter values and outputs
    {
      std::vector<std::string> head = {"run_id", "point", "replicate", "seed", "status", "message", "wall_seconds [s]"};
      for (std::size_t k = 0; k < h.parameters.size(); ++k) head.push_back(with_unit(h.parameters[k], h.parameter_units[k]));
      for (std::size_t o = 0; o < h.outputs.size(); ++o) head.push_back(with_unit(h.outputs[o], h.output_units[o]));
      Table& t = tables.emplace_back(Table{"runs.csv", {head}});
      for (const RunRecord& r : f.records) {
        std::vector<std::string> cells = {std::to_string(r.run_id), std::to_string(r.point), std::to_string(r.replicate),
                                          std::to_string(r.seed), r.ok ? "ok" : "failed", csv_text(r.message),
                                          number(r.wall_seconds)};
        const auto& point = h.design_values[static_cast<std::size_t>(r.point)];
        for (std::size_t k = 0; k < point.size(); ++k) cells.push_back(parameter_cell(h, k, point[k]));
        for (double v : r.outputs) cells.push_back(number(v));
        t.rows.push_back(std::move(cells));
      }
    }
    // one row per design point: its parameter values and its unit-cube coordinates
    {
      std::vector<std::string> head = {"point"};
      for (std::size_t k = 0; k < h.parameters.size(); ++k) head.push_back(with_unit(h.parameters[k], h.parameter_units[k]));
      for (const auto& p : h.parameters) head.push_back(csv_text(p + " (unit cube)"));
      Table& t = tables.emplace_back(Table{"design.csv", {head}});
      for (std::size_t p = 0; p < h.design_values.size(); ++p) {
        std::vector<std::string> cells = {std::to_string(p)};
        for (std::size_t k = 0; k < h.design_values[p].size(); ++k) cells.push_back(parameter_cell(h, k, h.design_values[p][k]));
        for (double v : h.design_unit[p]) cells.push_back(number(v));
        t.rows.push_back(std::move(cells));
      }
    }
    h5::Handle file = h5::open_file_read(sweep_path);
    const hid_t root = file.get();
    // the kept weekly series, long: one row per run and week
    if (!h.weekly_metrics.empty() && h5::has_link(root, "weekly")) {
      h5::Handle weekly = h5::open_group(root, "weekly");
      const auto R = static_cast<hsize_t>(f.records.size());
      const auto W = static_cast<hsize_t>(h.week_start.size());
      for (std::size_t m = 0; m < h.weekly_metrics.size(); ++m) {
        const std::string& name = h.weekly_metrics[m];
        const auto values = h5::read_dataset<double>(weekly.get(), name, {R, W});
        Table& t = tables.emplace_back(Table{fmt::format("weekly_{}.csv", name),
                                             {{"run_id", "point", "replicate", "week_start [ISO date]",
                                               with_unit(name, h.weekly_units[m])}}});
        for (std::size_t r = 0; r < R; ++r)
          for (std::size_t w = 0; w < W; ++w)
            t.rows.push_back({std::to_string(f.records[r].run_id), std::to_string(f.records[r].point),
                              std::to_string(f.records[r].replicate), csv_text(h.week_start[w]),
                              number(values[r * W + w])});
        if (h.weekly_municipalities.empty()) continue;
        // each municipality's series, long: one row per run, municipality and week
        h5::Handle by_muni = h5::open_group(weekly.get(), "by_municipality");
        const auto M = static_cast<hsize_t>(h.weekly_municipalities.size());
        const auto each = h5::read_dataset<double>(by_muni.get(), name, {R, M, W});
        Table& tm = tables.emplace_back(Table{fmt::format("weekly_by_municipality_{}.csv", name),
                                              {{"run_id", "point", "replicate", "municipality", "week_start [ISO date]",
                                                with_unit(name, h.weekly_units[m])}}});
        for (std::size_t r = 0; r < R; ++r)
          for (std::size_t j = 0; j < M; ++j)
            for (std::size_t w = 0; w < W; ++w)
              tm.rows.push_back({std::to_string(f.records[r].run_id), std::to_string(f.records[r].point),
                                 std::to_string(f.records[r].replicate), csv_text(h.weekly_municipalities[j]),
                                 csv_text(h.week_start[w]), number(each[(r * M + j) * W + w])});
      }
    }
    // the analysis tables: one file per method and output, a row per parameter
    if (h5::has_link(root, "analysis")) {
      h5::Handle analysis = h5::open_group(root, "analysis");
      for (const auto& method : h5::link_names(analysis.get())) {
        h5::Handle mg = h5::open_group(analysis.get(), method);
        for (const auto& output : h5::link_names(mg.get())) {
          h5::Handle g = h5::open_group(mg.get(), output);
          const auto columns = h5::read_attr_strings(g.get(), "columns");
          const auto parameters = h5::read_attr_strings(g.get(), "parameters");
          const auto K = static_cast<hsize_t>(parameters.size());
          std::vector<std::vector<double>> values;
          std::vector<std::string> head = {"parameter"};
          for (const auto& c : columns) {
            values.push_back(h5::read_dataset<double>(g.get(), c, {K}));
            head.push_back(csv_text(c));
          }
          Table& t = tables.emplace_back(Table{fmt::format("analysis_{}_{}.csv", method, output), {head}});
          for (std::size_t k = 0; k < K; ++k) {
            std::vector<std::string> cells = {csv_text(parameters[k])};
            for (const auto& col : values) cells.push_back(number(col[k]));
            t.rows.push_back(std::move(cells));
          }
          if (!h5::has_link(g.get(), "S2")) continue;
          // second-order Sobol indices, one row per pair
          const auto s2 = h5::read_dataset<double>(g.get(), "S2", {K, K});
          const auto lo = h5::read_dataset<double>(g.get(), "S2_lo", {K, K});
          const auto hi = h5::read_dataset<double>(g.get(), "S2_hi", {K, K});
          Table& pairs = tables.emplace_back(Table{fmt::format("analysis_{}_{}_S2.csv", method, output),
                                                   {{"parameter_i", "parameter_j", "S2", "S2_lo", "S2_hi"}}});
          for (std::size_t i = 0; i < K; ++i)
            for (std::size_t j = i + 1; j < K; ++j)
              pairs.rows.push_back({csv_text(parameters[i]), csv_text(parameters[j]), number(s2[i * K + j]),
                                    number(lo[i * K + j]), number(hi[i * K + j])});
        }
      }
    }
  } catch (...) {
    rethrow_naming(sweep_path);
  }
  return write_tables(dir, tables, rules);
}

}  // namespace lokalmat
