#pragma once
// Scenario files (TOML) -> Params.
//
// A scenario is data: a TOML file that may name a `base` file and override it,
// merged over the built-in defaults (sim/defaults.toml: the default food
// categories and buyer types). Every key is declared once, as a schema row
// (sim/schema/) with its type, unit, default, allowed range, documentation,
// provenance and the Params field it fills; scenarios/README.md is generated
// from the same rows. Unknown keys, wrong types and values out of range are
// refused before anything runs as "file:line: key 'k': message" (for a misspelt
// key with the nearest valid one, for a value out of range the range and unit).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "sim/params.h"

namespace lokalmat {

class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Scenario {
  Params params;
  std::string path;           // the file it was loaded from
  std::vector<std::string> files;  // every file read: the scenario, its base files, region tables (outputs never replace these)
  std::string title;
  std::string resolved_toml;  // the fully resolved scenario (base, defaults and overrides applied)
  std::vector<std::string> rules;  // "municipality: rule" for every rule in force at the start
  bool lawful = true;              // false when a rule is not lawful under Norwegian/EEA rules
  std::vector<std::string> unlawful_reasons;  // why not
};

// the largest scenario, base, sweep or intervention file that is read: 16 MiB (the
// shipped files are a few KB); larger files, directories and devices are refused
inline constexpr std::uintmax_t kMaxInputFileBytes = std::uintmax_t{16} << 20;

// key=value overrides applied after the files, e.g. {"run.seed", "7"}; the value is TOML
using Overrides = std::vector<std::pair<std::string, std::string>>;

// load, merge and validate; throws ScenarioError with "file:line: key 'k': message"
Scenario load_scenario(const std::string& path, const Overrides& overrides = {});
// the same from TOML text (for tests); `name` stands for the file name in messages
Scenario load_scenario_text(const std::string& text, const std::string& name, const Overrides& overrides = {});

// Markdown documentation of every key (the tables in scenarios/README.md)
std::string scenario_keys_markdown();
// every documented key path, e.g. "municipalities.<name>.hub.fee_nok_per_kg"
std::vector<std::string> scenario_key_paths();

// what the schema says of one concrete key path, e.g. "municipalities.horten.hub.fee_nok_per_kg"
// or, for a table by category, "municipalities.horten.policy.incentive_nok_per_kg.vegetables"
struct KeyInfo {
  std::string pattern;  // the documented path, e.g. "municipalities.<id>.hub.fee_nok_per_kg"
  std::string unit;
  bool numeric = false;  // a number or an integer (what a sweep can vary)
  bool integer = false;
  bool boolean = false;   // a yes/no key (true or false)
  bool text = false;      // a string key (a route's name, ...)
  bool text_list = false; // a list of strings (the rules in force, ...)
  double lo = 0, hi = 0;  // allowed range
};
// nullopt when no documented key matches
std::optional<KeyInfo> scenario_key_info(std::string_view path);

std::string lokalmat_version();

}  // namespace lokalmat
