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
// empty cell. Text cells that a spreadsheet would run as a formula are defused (csv_text).
#include <string>
#include <string_view>
#include <vector>

#include "results/file_seal.h"
#include "results/output_file.h"

namespace lokalmat {

// writes the CSV files into dir (created when missing; its parent must exist) by `rules`
// (results/output_file.h: an existing file is replaced only with force); returns the paths
// written. The whole run file is read and checked first (results/run_file.h): an unfinished run
// only with PartialFiles::accept (then without summary.csv); then every target is checked before
// the first is written. Throws ResultFileError (a damaged, foreign or unfinished file: nothing is
// written), OutputRefused for a target that may not be written, or std::runtime_error naming the
// file on a read or write failure.
std::vector<std::string> export_run_csv(const std::string& run_path, const std::string& dir, const OutputRules& rules,
                                        PartialFiles partial = PartialFiles::refuse);

// CSV export of a sweep file, one file per table:
//   runs.csv                            one row per run: run_id, point, replicate, seed, status, message,
//                                       wall_seconds, every parameter value, every kept output
//   design.csv                          one row per design point: the values and their unit-cube coordinates
//   weekly_<metric>.csv                 the kept weekly series, long: run_id, point, replicate, week_start, value
//   weekly_by_municipality_<metric>.csv each municipality's, when kept: ..., municipality, week_start, value
//   analysis_<method>_<output>.csv      after `lokalmat analyze`: a row per parameter, a column per index
//   analysis_sobol_<output>_S2.csv      second-order indices, a row per pair
// Same rules, refusals and cell forms as export_run_csv; an unfinished sweep only with
// PartialFiles::accept.
std::vector<std::string> export_sweep_csv(const std::string& sweep_path, const std::string& dir,
                                          const OutputRules& rules, PartialFiles partial = PartialFiles::refuse);

// One CSV text cell, as every CSV file lokalmat writes has them (RFC 4180 quoting, and
// OWASP's rule against CSV injection): a cell that begins with '=', '+', '-', '@', a tab or a
// carriage return gets a leading apostrophe inside quotes, so a spreadsheet shows it as text
// instead of running it as a formula; a cell with a comma, a quote or a line break is quoted,
// quotes doubled. Numbers are not text cells: they are written as they are.
std::string csv_text(std::string_view text);

}  // namespace lokalmat
