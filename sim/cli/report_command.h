#pragma once
// The policy report from the command line (README "Reports for policy makers"):
//   lokalmat compare A.toml B.toml ... --replicates R -o REPORT.html   run, then report
//   lokalmat report RUN.h5 ... -o REPORT.html                          report from run files
//   lokalmat export RUN.h5 --csv DIR                                   CSV files for spreadsheets
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace lokalmat {

struct CompareOptions {
  std::vector<std::string> scenarios;  // scenario files; the first is the reference
  int replicates = 20;                 // seeds per scenario
  std::uint64_t first_seed = 1;
  std::string out;                     // "": the default, out/report.html
  bool force = false;                  // replace an existing report
  std::string lang = "nb";
  int threads = 0;                     // 0: all cores
  int years = 0;                       // 0: the scenarios' run.years
  std::vector<std::pair<std::string, std::string>> sets;  // --set key=value for every scenario
};

struct ReportOptions {
  std::vector<std::string> files;  // run files (HDF5); same scenario apart from the seed = replicates
  std::string out;                 // "": the default, out/report.html
  bool force = false;              // replace an existing report
  std::string lang = "nb";
  bool partial = false;            // also read unfinished runs (.partial, complete = 0)
};

struct ExportOptions {
  std::string file;     // run file (HDF5)
  std::string csv_dir;  // where the CSV files go
  bool partial = false; // also export an unfinished run (.partial, complete = 0)
  bool force = false;   // replace existing CSV files
};

int compare_command(const CompareOptions& o);
int report_command(const ReportOptions& o);
int export_command(const ExportOptions& o);

}  // namespace lokalmat
