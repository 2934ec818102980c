// The rule table (sim/rules/rule.h), the one place that names a procurement rule: a row for
// every rule, in enum order, each complete; what may be switched during a run follows from what
// the rule needs at set-up; names in scenario files find their rule.
#include <gtest/gtest.h>

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "sim/rules/hooks.h"
#include "sim/rules/rule.h"

namespace lokalmat {
namespace {

// every rule has its row, in enum order, with a unique name, both labels and its own hooks
TEST(RuleTable, EveryRuleHasACompleteRowInEnumOrder) {
  ASSERT_EQ(kRuleTable.size(), kRuleCount);
  std::set<std::string_view> names, labels_nb, labels_en;
  std::set<const RuleHooks*> hooks;
  for (std::size_t i = 0; i < kRuleTable.size(); ++i) {
    const RuleInfo& r = kRuleTable[i];
    SCOPED_TRACE(std::string(r.name));
    EXPECT_EQ(static_cast<std::size_t>(r.rule), i);
    EXPECT_EQ(&rule_info(r.rule), &r);
    EXPECT_FALSE(r.name.empty());
    EXPECT_EQ(r.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string_view::npos)
        << "a scenario key is lower case with underscores";
    EXPECT_FALSE(r.label_nb.empty());
    EXPECT_FALSE(r.label_en.empty());
    EXPECT_NE(r.hooks, nullptr);
    names.insert(r.name);
    labels_nb.insert(r.label_nb);
    labels_en.insert(r.label_en);
    hooks.insert(r.hooks);
  }
  EXPECT_EQ(names.size(), kRuleCount) << "two rules share a name";
  EXPECT_EQ(labels_nb.size(), kRuleCount) << "two rules share a bokmål label";
  EXPECT_EQ(labels_en.size(), kRuleCount) << "two rules share an English label";
  EXPECT_EQ(hooks.size(), kRuleCount) << "two rules share their hooks";
}

// an unlawful rule says why (naming itself); a lawful one gives no reason; the one unlawful rule
// is the quota mandate, a counterfactual
TEST(RuleTable, UnlawfulRulesHaveAReason) {
  int unlawful = 0;
  for (const RuleInfo& r : kRuleTable) {
    SCOPED_TRACE(std::string(r.name));
    EXPECT_EQ(rule_lawful(r.rule), r.lawful);
    EXPECT_EQ(rule_unlawful_reason(r.rule), r.unlawful_reason);
    if (r.lawful) {
      EXPECT_TRUE(r.unlawful_reason.empty());
    } else {
      ++unlawful;
      EXPECT_NE(r.unlawful_reason.find(r.name), std::string_view::npos);
      EXPECT_NE(r.unlawful_reason.find("not lawful"), std::string_view::npos);
    }
  }
  EXPECT_EQ(unlawful, 1);
  EXPECT_FALSE(rule_lawful(Rule::quota_mandate));
}

// a lever may switch exactly the rules that need nothing set up at the start: no direct market,
// no purchasing system on a market, no covered units sent to the direct market. framework_only is
// the agreement every municipality has, not a lever
TEST(RuleTable, SwitchableRulesAreThoseThatNeedNoMarketAtSetUp) {
  std::set<Rule> switchable;
  for (const RuleInfo& r : kRuleTable) {
    SCOPED_TRACE(std::string(r.name));
    if (r.switchable) switchable.insert(r.rule);
    if (r.rule == Rule::framework_only) {
      EXPECT_FALSE(r.switchable);
      continue;
    }
    const bool needs_nothing_at_set_up =
        r.direct_market == DirectMarket::never && !r.purchasing_system && !r.covered_units_direct;
    EXPECT_EQ(r.switchable, needs_nothing_at_set_up);
  }
  EXPECT_EQ(switchable, (std::set<Rule>{Rule::framework_exception, Rule::season_requirement}));
}

// a rule's name finds the rule; other names find none
TEST(RuleTable, FindRuleRoundTrips) {
  for (const RuleInfo& r : kRuleTable) {
    EXPECT_EQ(rule_name(r.rule), r.name);
    const std::optional<Rule> found = find_rule(r.name);
    ASSERT_TRUE(found.has_value()) << r.name;
    EXPECT_EQ(*found, r.rule) << r.name;
  }
  for (std::string_view other : {"", "Framework_only", "framework", "lots ", "quota"})
    EXPECT_FALSE(find_rule(other).has_value()) << "'" << other << "'";
}

}  // namespace
}  // namespace lokalmat
