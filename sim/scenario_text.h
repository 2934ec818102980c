#pragma once
// Small helpers shared by the scenario loader and the region generator (internal to
// lokalmat::scenario): messages that name what was meant, and merging of TOML tables.
#include <cstdint>
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

// Input files (scenarios, their bases, sweep definitions, intervention logs) must be
// regular files of at most kMaxInputFileBytes (16 MiB): a directory, a device such as
// /dev/zero, a pipe or a larger file is refused before anything is read.
// why_unreadable() says in plain words why `path` cannot be read as such a file ("" when
// it can); read_input_file() reads it or throws ScenarioError "PATH: cannot read WHAT: WHY".
std::string why_unreadable(const std::string& path);
std::string read_input_file(const std::string& path, std::string_view what);

}  // namespace lokalmat::scenario_text
