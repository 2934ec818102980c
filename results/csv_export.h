#pragma once
// CSV export of a run file, for spreadsheets (results/README.md "CSV export"):
//   weekly.csv                  one row per week: week_start, iso_week, every total metric
//   weekly_by_category.csv      one row per week and food category (long format)
//   weekly_by_buyer_type.csv    one row per week and kitchen type
//   weekly_by_municipality.csv  one row per week and municipality
//   summary.csv                 the whole-run figures: figure, value, units, description
// The header names each column with its unit in brackets, e.g. "work_hours [hours]".
// Values keep full precision (17 significant digits, so they read back to the same
// doubles); shares stay fractions 0-1 as in the file; NaN (undefined that week) is an
// empty cell.
#include <string>
#include <vector>

#include "results/file_seal.h"

namespace lokalmat {

// writes the CSV files into dir (created if missing); returns the paths written. The whole run
// file is read and checked first (results/run_file.h): an unfinished run only with
// PartialFiles::accept (then without summary.csv). Throws ResultFileError (a damaged, foreign or
// unfinished file: nothing is written) or std::runtime_error naming the file.
std::vector<std::string> export_run_csv(const std::string& run_path, const std::string& dir,
                                        PartialFiles partial = PartialFiles::refuse);

}  // namespace lokalmat
