#pragma once
// The procurement rules (MODEL.md §4), one row each. A municipality holds a set of
// them. The table below is the one place that names a rule, says whether it is
// lawful, labels it for readers in Norwegian and English, says whether a lever may
// switch it during a run and what markets it needs at the start, and points to what
// the rule does in the weekly phases: its hooks (sim/rules/hooks.h), defined in the
// rule's own file, sim/rules/<name>.cpp. A phase calls the hooks of the rules in
// force in table order; a rule acts nowhere else.
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

// what a rule does in the weekly phases (sim/rules/hooks.h); each rule's file defines its own
struct RuleHooks;
namespace rules {
extern const RuleHooks framework_only_hooks;
extern const RuleHooks framework_exception_hooks;
extern const RuleHooks direct_purchase_hooks;
extern const RuleHooks season_requirement_hooks;
extern const RuleHooks quota_mandate_hooks;
extern const RuleHooks simple_competition_hooks;
extern const RuleHooks lots_hooks;
extern const RuleHooks dynamic_purchasing_hooks;
}  // namespace rules

// whether a rule needs a direct market (units buying from farms that deliver themselves)
enum class DirectMarket : std::uint8_t {
  never,
  always,       // direct purchase: a market of its own beside any platform
  without_hub,  // where no hub runs, the rule's units buy on a direct market instead
};

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
  DirectMarket direct_market;
  // the units the exception covers may buy on the direct market (contracts, a quota)
  bool covered_units_direct;
  // its markets run a purchasing system: farms qualify in any week, call-offs go ahead
  bool purchasing_system;
  // law, not politics: the platform stays open and funded whatever the backing
  bool platform_by_law;
  const RuleHooks* hooks;
};

inline constexpr std::array<RuleInfo, kRuleCount> kRuleTable = {{
    {.rule = Rule::framework_only, .name = "framework_only", .lawful = true,
     .unlawful_reason = "",
     .label_nb = "Bare rammeavtalen", .label_en = "Framework agreement only",
     .switchable = false, .direct_market = DirectMarket::never, .covered_units_direct = false,
     .purchasing_system = false, .platform_by_law = false, .hooks = &rules::framework_only_hooks},
    {.rule = Rule::framework_exception, .name = "framework_exception", .lawful = true,
     .unlawful_reason = "",
     .label_nb = "Unntak i rammeavtalen for lokal mat", .label_en = "Exception in the framework agreement for local food",
     .switchable = true, .direct_market = DirectMarket::never, .covered_units_direct = false,
     .purchasing_system = false, .platform_by_law = false, .hooks = &rules::framework_exception_hooks},
    {.rule = Rule::direct_purchase, .name = "direct_purchase", .lawful = true,
     .unlawful_reason = "",
     .label_nb = "Direktekjøp under terskelverdien", .label_en = "Direct purchase below the threshold",
     .switchable = false, .direct_market = DirectMarket::always, .covered_units_direct = false,
     .purchasing_system = false, .platform_by_law = false, .hooks = &rules::direct_purchase_hooks},
    {.rule = Rule::season_requirement, .name = "season_requirement", .lawful = true,
     .unlawful_reason = "",
     .label_nb = "Krav om norsk sesongvare", .label_en = "Norwegian-season requirement",
     .switchable = true, .direct_market = DirectMarket::never, .covered_units_direct = false,
     .purchasing_system = false, .platform_by_law = false, .hooks = &rules::season_requirement_hooks},
    {.rule = Rule::quota_mandate, .name = "quota_mandate", .lawful = false,
     .unlawful_reason = "quota_mandate is not lawful under Norwegian/EEA procurement rules, which forbid requiring "
                        "local origin (counterfactual only)",
     .label_nb = "Kvote for lokal mat", .label_en = "Local-food quota",
     .switchable = false, .direct_market = DirectMarket::without_hub, .covered_units_direct = true,
     .purchasing_system = false, .platform_by_law = true, .hooks = &rules::quota_mandate_hooks},
    {.rule = Rule::simple_competition, .name = "simple_competition", .lawful = true,
     .unlawful_reason = "",
     .label_nb = "Enkel konkurranse", .label_en = "Simple competition",
     .switchable = false, .direct_market = DirectMarket::without_hub, .covered_units_direct = true,
     .purchasing_system = false, .platform_by_law = false, .hooks = &rules::simple_competition_hooks},
    {.rule = Rule::lots, .name = "lots", .lawful = true,
     .unlawful_reason = "",
     .label_nb = "Delkontrakter (kategori × sesong)", .label_en = "Lots (category × season)",
     .switchable = false, .direct_market = DirectMarket::without_hub, .covered_units_direct = true,
     .purchasing_system = false, .platform_by_law = false, .hooks = &rules::lots_hooks},
    {.rule = Rule::dynamic_purchasing, .name = "dynamic_purchasing", .lawful = true,
     .unlawful_reason = "",
     .label_nb = "Dynamisk innkjøpsordning", .label_en = "Dynamic purchasing system",
     .switchable = false, .direct_market = DirectMarket::without_hub, .covered_units_direct = true,
     .purchasing_system = true, .platform_by_law = false, .hooks = &rules::dynamic_purchasing_hooks},
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
