#pragma once
// CSV tables (RFC 4180: commas, fields optionally in double quotes) as the region
// generator reads them, with messages that name the CSV file and line and the key
// that named the table. Internal to lokalmat::scenario.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lokalmat {

struct CsvRow {
  int line = 0;                     // 1-based line in the file
  std::vector<std::string> fields;  // surrounding blanks removed
};

struct CsvTable {
  std::string path;                 // as shown in messages
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  std::string named_by;             // "key 'region.table' at file:line", appended to messages

  // throws ScenarioError "CSV:LINE: message (the table named by key '...' at FILE:LINE)"
  [[noreturn]] void fail(int line, const std::string& msg) const;
  // the index of a column by name; refused (with the nearest name) when there is none
  [[nodiscard]] std::size_t column(const std::string& name) const;
};

// read a whole file; `shown` is its name in messages
CsvTable read_csv_table(const std::filesystem::path& path, const std::string& shown, const std::string& named_by);
// a cell as a whole number or a number within [lo, hi]
std::int64_t csv_integer(const CsvTable& csv, const CsvRow& r, std::size_t col, double lo, double hi);
double csv_number(const CsvTable& csv, const CsvRow& r, std::size_t col, double lo, double hi);

}  // namespace lokalmat
