#pragma once
// Regions: many municipalities generated from a table (internal to lokalmat::scenario).
//
// A scenario with a [region] section names a CSV table of municipalities
// (scenarios/data/norway_municipalities_2024.csv), which counties and numbers to
// take, and national rates for what the table lacks. The generator writes
// ordinary scenario tables before anything is validated:
//
//   municipalities.m<number>             name, number, population, area, centre, day-centre participants
//   buyers.m<number>_kindergarten        count and eaters_total (also _sfo, _nursing_home)
//   producers.m<number>_farms            farms not active in the municipal channel at the start
//   producers.m<number>_farms_active     farms active at the start
//
// so generated agents obey the same schema as hand-written ones. A table the
// scenario writes itself under one of these ids is merged over the generated one
// key by key (the scenario's own values win). [region] is then erased: the
// resolved scenario is self-contained and loads back to the same Params.
//
// Why counts are apportioned over the whole table, not only the selection: the
// totals then equal the national counts when every municipality is selected, and
// a municipality gets the same counts whichever others are selected (Horten in
// vestfold.toml has the farms and kindergartens it has in norway.toml).
#include <set>
#include <string>
#include <toml++/toml.h>
#include <vector>

namespace lokalmat {

// expand root["region"] (if present) into municipality, producer and buyer tables
// and erase it; `base_dir` resolves a table path given on the command line (a path
// written in a file is relative to that file); throws ScenarioError naming file,
// line and key (for a CSV problem: the CSV file and its line); returns the tables it
// generated, as "municipalities.m3901", "buyers.m3901_sfo", ... (none without [region]); the CSV
// tables read are added to files_read when given
std::set<std::string> expand_region(toml::table& root, const std::string& base_dir,
                                    std::vector<std::string>* files_read = nullptr);

}  // namespace lokalmat
