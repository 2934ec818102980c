#pragma once
// The procurement rules (MODEL.md §4), one row each. A municipality holds a set of
// them; each rule's behaviour lives in its own file in this folder
// (sim/rules/<name>.cpp, declared in sim/rules/rules.h), and the weekly phases call it
// where the rule acts. The table below is the one place that names a rule, says
// whether it is lawful, labels it for readers in Norwegian and English, and says
// whether a lever may switch it during a run.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace lokalmat {

enum class Rule : std::uint8_t {
  framework_only,       // everything through the wholesaler (status quo)
  framework_exception,  // the Horten route: chosen units buy on a local platform/hub, up to a cap
  direct_purchase,      // units buy directly from farms below the lower threshold (FOA)
  season_requirement,   // the framework tender requires produce in Norwegian season
  quota_mandate,        // counterfactual minimum local share (like Brazil's PNAE); not lawful in Norway/EEA
  simple_competition,   // a yearly competition for local supply below the national threshold
  lots,                 // the framework tender split into lots (category x season) at renewal
  dynamic_purchasing,   // farms qualify any time; call-offs among them, ordered two weeks ahead
};
inline constexpr std::size_t kRuleCount = 8;

struct RuleInfo {
  Rule rule;
  std::string_view name;             // as written in scenario files
  bool lawful;                       // may be used under Norwegian/EEA procurement law
  std::string_view unlawful_reason;  // why not, when not
  std::string_view label_nb;         // for readers of reports (bokmål)
  std::string_view label_en;
  // a lever may switch it on or off during a run: it needs no market or contract that
  // the start did not set up
  bool switchable;
};

inline constexpr std::array<RuleInfo, kRuleCount> kRuleTable = {{
    {Rule::framework_only, "framework_only", true, "", "Bare rammeavtalen", "Framework agreement only", false},
    {Rule::framework_exception, "framework_exception", true, "", "Unntak i rammeavtalen for lokal mat",
     "Exception in the framework agreement for local food", true},
    {Rule::direct_purchase, "direct_purchase", true, "", "Direktekjøp under terskelverdien",
     "Direct purchase below the threshold", false},
    {Rule::season_requirement, "season_requirement", true, "", "Krav om norsk sesongvare",
     "Norwegian-season requirement", true},
    {Rule::quota_mandate, "quota_mandate", false,
     "quota_mandate is not lawful under Norwegian/EEA procurement rules, which forbid requiring local origin "
     "(counterfactual only)",
     "Kvote for lokal mat", "Local-food quota", false},
    {Rule::simple_competition, "simple_competition", true, "", "Enkel konkurranse", "Simple competition", false},
    {Rule::lots, "lots", true, "", "Delkontrakter (kategori × sesong)", "Lots (category × season)", false},
    {Rule::dynamic_purchasing, "dynamic_purchasing", true, "", "Dynamisk innkjøpsordning",
     "Dynamic purchasing system", false},
}};

constexpr bool rule_table_in_enum_order() {
  for (std::size_t i = 0; i < kRuleTable.size(); ++i)
    if (static_cast<std::size_t>(kRuleTable[i].rule) != i) return false;
  return true;
}
static_assert(rule_table_in_enum_order(), "kRuleTable must list every Rule once, in enum order");

constexpr const RuleInfo& rule_info(Rule r) { return kRuleTable[static_cast<std::size_t>(r)]; }
constexpr std::string_view rule_name(Rule r) { return rule_info(r).name; }
constexpr bool rule_lawful(Rule r) { return rule_info(r).lawful; }
constexpr std::string_view rule_unlawful_reason(Rule r) { return rule_info(r).unlawful_reason; }
// the rule a scenario file names, if any
constexpr std::optional<Rule> find_rule(std::string_view name) {
  for (const RuleInfo& r : kRuleTable)
    if (r.name == name) return r.rule;
  return std::nullopt;
}

}  // namespace lokalmat
