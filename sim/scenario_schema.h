#pragma once
// The scenario schema: every section a scenario file may hold, in documentation order,
// each key one row (sim/schema/key_row.h). The rows are in sim/schema/*_rows.cpp
// (the top level's below, in scenario_schema.cpp).
// Internal to lokalmat::scenario.
#include <string>
#include <string_view>
#include <vector>

#include "sim/schema/key_row.h"

namespace lokalmat::schema {

const std::vector<SectionSpec>& sections();
// the [region] sections (sim/schema/region_rows.cpp)
std::vector<SectionSpec> region_sections();
const SectionSpec& section(std::string_view path);
const KeySpec& key(const SectionSpec& s, std::string_view name);
std::string_view type_name(KeyType t);

}  // namespace lokalmat::schema

namespace lokalmat {
// one section as a Markdown table (key, type, unit, default, range, meaning)
std::string section_markdown(const schema::SectionSpec& s);

}  // namespace lokalmat
