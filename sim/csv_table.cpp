#include "sim/csv_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <string_view>

#include "sim/scenario.h"
#include "sim/scenario_text.h"

namespace lokalmat {

using scenario_text::format_number;

void CsvTable::fail(int line, const std::string& msg) const {
  throw ScenarioError(fmt::format("{}:{}: {} (the table named by {})", path, line, msg, named_by));
}

std::size_t CsvTable::column(const std::string& name) const {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end())
    fail(1, fmt::format("no column '{}'{}; the columns are {}", name, scenario_text::suggestion(name, header),
                        scenario_text::join(header)));
  return static_cast<std::size_t>(it - header.begin());
}

namespace {

// one line of RFC 4180 CSV: commas, fields optionally in double quotes ("" inside quotes is a quote)
bool split_csv_line(std::string_view s, std::vector<std::string>& out) {
  out.clear();
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    if (quoted) {
      if (ch == '"' && i + 1 < s.size() && s[i + 1] == '"') field += '"', ++i;
      else if (ch == '"') quoted = false;
      else field += ch;
    } else if (ch == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (ch == ',') {
      out.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else {
      if (was_quoted) return false;  // text after a closing quote
      field += ch;
    }
  }
  if (quoted) return false;  // an unclosed quote
  out.push_back(std::move(field));
  return true;
}

}  // namespace

CsvTable read_csv_table(const std::filesystem::path& path, const std::string& shown, const std::string& named_by) {
  CsvTable csv;
  csv.path = shown;
  csv.named_by = named_by;
  // a regular file within the input limit (a device or a huge file is refused unread)
  if (const std::string why = scenario_text::why_unreadable(path.string()); !why.empty())
    csv.fail(1, "cannot read the file: " + why);
  std::ifstream in(path, std::ios::binary);
  if (!in) csv.fail(1, "cannot read the file");
  std::string line;
  int n = 0;
  std::vector<std::string> fields;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 byte-order mark
    if (line.find_first_not_of(" \t") == std::string::npos) {
      if (n == 1) csv.fail(1, "the first line must be the header row");
      continue;
    }
    if (!split_csv_line(line, fields)) csv.fail(n, "malformed quotes");
    for (auto& f : fields) {  // surrounding blanks are not part of a value
      const auto b = f.find_first_not_of(" \t"), e = f.find_last_not_of(" \t");
      f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
    }
    if (n == 1) {
      csv.header = fields;
      continue;
    }
    if (fields.size() != csv.header.size())
      csv.fail(n, fmt::format("expected {} fields as in the header, found {}", csv.header.size(), fields.size()));
    csv.rows.push_back(CsvRow{n, fields});
  }
  if (csv.header.empty()) csv.fail(1, "the file is empty");
  return csv;
}

std::int64_t csv_integer(const CsvTable& csv, const CsvRow& r, std::size_t col, double lo, double hi) {
  const std::string& s = r.fields[col];
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    csv.fail(r.line, fmt::format("column '{}': '{}' is not a whole number", csv.header[col], s));
  if (static_cast<double>(v) < lo || static_cast<double>(v) > hi)
    csv.fail(r.line, fmt::format("column '{}': {} is out of range; allowed {} to {}", csv.header[col], v,
                                 format_number(lo), format_number(hi)));
  return v;
}

double csv_number(const CsvTable& csv, const CsvRow& r, std::size_t col, double lo, double hi) {
  const std::string& s = r.fields[col];
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
    csv.fail(r.line, fmt::format("column '{}': '{}' is not a number", csv.header[col], s));
  if (v < lo || v > hi)
    csv.fail(r.line, fmt::format("column '{}': {} is out of range; allowed {} to {}", csv.header[col],
                                 format_number(v), format_number(lo), format_number(hi)));
  return v;
}

}  // namespace lokalmat
