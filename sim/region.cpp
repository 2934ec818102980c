#include "sim/region.h"

#include "sim/scenario.h"
#include "sim/scenario_schema.h"

namespace lokalmat {

namespace schema {
std::vector<SectionSpec> region_sections() { return {}; }
}  // namespace schema

void expand_region(toml::table& root, const std::string& /*base_dir*/) {
  if (root.contains("region")) throw ScenarioError("[region] tables are not supported by this build");
}

}  // namespace lokalmat
