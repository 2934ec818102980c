#include "results/csv_export.h"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "results/h5_util.h"
#include "results/run_file.h"
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

  // every file this export writes, checked before the first is written
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

}  // namespace lokalmat
