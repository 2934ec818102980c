#pragma once
// The scenario schema: every key a scenario file may hold, declared once.
// Internal to lokalmat::scenario.
#include <string>
#include <string_view>
#include <vector>

namespace lokalmat::schema {

enum class KeyType { number, integer, boolean, string, date, point, number_list, integer_list, string_list, category_table };

struct KeySpec {
  std::string_view name;
  KeyType type;
  std::string_view unit;
  std::string_view default_toml;  // TOML text of the default; "" = no default (required or derived)
  double lo;                      // allowed range (numbers, and each element of lists)
  double hi;
  std::string_view doc;           // meaning; [src ...] or [assume] marks where the default comes from
};

struct SectionSpec {
  std::string_view path;          // "run", "categories.<name>", "municipalities.<name>.hub"
  std::string_view doc;
  std::vector<KeySpec> keys;
  std::vector<std::string_view> subsections;  // nested tables allowed inside
};

const std::vector<SectionSpec>& sections();
// the [region] sections, declared beside the generator (sim/region.cpp)
std::vector<SectionSpec> region_sections();
const SectionSpec& section(std::string_view path);
const KeySpec& key(const SectionSpec& s, std::string_view name);
std::string_view type_name(KeyType t);

}  // namespace lokalmat::schema

namespace lokalmat {
// one section as a Markdown table (key, type, unit, default, range, meaning)
std::string section_markdown(const schema::SectionSpec& s);

}  // namespace lokalmat
