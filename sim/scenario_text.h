#pragma once
// Small helpers shared by the scenario loader and the region generator (internal to
// lokalmat::scenario): messages that name what was meant, and merging of TOML tables.
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace lokalmat::scenario_text {

// Levenshtein distance between two words
std::size_t edit_distance(std::string_view a, std::string_view b);
// "; did you mean 'prefix+x'?" when a candidate is close enough, else ""
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates,
                       const std::string& prefix = "");
std::string join(const std::vector<std::string>& v, std::string_view sep = ", ");
// a number as a person reads it ("inf" for infinity)
std::string format_number(double x);
// what kind of TOML value a node holds, in words
std::string type_of(const toml::node& n);
// move every key of `over` into `base`, merging tables key by key (moves keep the source lines)
void merge_into(toml::table& base, toml::table&& over);

}  // namespace lokalmat::scenario_text
