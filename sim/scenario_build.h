#pragma once
// The merged scenario table -> Scenario (internal to lokalmat::scenario): each section
// read by a loop over its schema rows, with a named step for each key whose reading is
// special. Defaults are written into the table, which is then the resolved scenario.
#include <string>
#include <toml++/toml.h>

#include "sim/scenario.h"

namespace lokalmat {

// throws ScenarioError "file:line: key 'k': message"; `root` gains every default
Scenario build_scenario(toml::table& root, const std::string& file);

}  // namespace lokalmat
