#pragma once
// The levers of sim/intervention.h as the viewer shows them: each lever's value in force
// for a municipality (read from the run's Params), and a widget's value back as the TOML
// text an intervention carries.
#include <string>
#include <string_view>
#include <vector>

#include "sim/params.h"
#include "viz/snapshot.h"

namespace lokalmat::viz {

// "municipalities.<id>.hub.fee_nok_per_kg" for municipality id "horten"
std::string lever_key(std::string_view pattern, const std::string& muni_id);

// every lever of levers(), in order, for one municipality
std::vector<LeverValue> lever_values(const MunicipalityParams& m, const std::string& muni_id);

// TOML text of a value: 2.5 -> "2.5", 10 -> "10.0" (a float key), rules -> ["a", "b"]
std::string toml_number(double v);
std::string toml_rules(const std::vector<Rule>& rules);

}  // namespace lokalmat::viz
