#pragma once
// What a procurement rule does in the weekly phases. Each rule's file
// (sim/rules/<name>.cpp) defines its RuleHooks, naming the functions it brings to
// the phases where it acts; a hook it does not need stays null. A phase calls the
// hooks of the rules in force in the order of the rule table (sim/rules/rule.h), so
// that adding a rule needs no change to the phases as long as it acts at these
// points. Signatures show what a hook reads (const) and what it writes.
#include <cstddef>
#include <cstdint>

#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

// one unit's local orders this week, as the demand-and-orders phase formed them; a rule
// that sets the unit's local share itself changes `order` and `desire` (all [C], kg)
struct OrderSheet {
  std::size_t categories = 0;
  const double* demand = nullptr;         // [c] to buy this week, kg
  const double* price = nullptr;          // [c] local price incl. hub fee, NOK/kg
  const double* list_price = nullptr;     // [c] the wholesaler's price, NOK/kg
  const double* visible_kg = nullptr;     // [c] on offer to the unit, kg
  const std::uint8_t* allowed = nullptr;  // [c] the unit may buy the category locally (0/1)
  const std::uint8_t* under_contract = nullptr;  // [c] a contract binds the unit for the category (0/1)
  double* order = nullptr;                // [c] local order, kg
  double* desire = nullptr;               // [c] what the unit would order if it were on offer, kg
  double all_value_nok = 0;               // the week's demand at the wholesaler's price, NOK
  bool participating = false;             // the unit orders locally this week
};

// what a market accepted this week so far, for limits that add up over the week's categories
struct ClearingTally {
  double simple_competition_nok = 0;  // simple-competition purchases accepted so far this week, NOK
  double direct_nok = 0;              // direct purchases accepted so far this week on the market, NOK
};

// what the farms of a market delivered of one category this week
struct CategorySettlement {
  double sold_kg = 0;       // accepted and handled by the hub, kg
  double delivered_kg = 0;  // delivered after reliability, kg
  double value_nok = 0;     // paid to the farms, NOK
};

struct RuleHooks {
  // calendar and policy, per municipality m (in parallel: write only m's and its markets' slots):
  // every week; in the week the framework agreement is renewed; in the week a year begins (the
  // first week of the run and every ISO week 1)
  void (*each_week)(const Params&, State&, std::size_t m) = nullptr;
  void (*framework_renewed)(const Params&, State&, std::size_t m) = nullptr;
  void (*year_begins)(const Params&, State&, std::size_t m) = nullptr;
  // production, once, in a week that does not start a season: farms that may join now
  // (writes ProducerStore::event_week and the joining farms' channels)
  void (*farms_join_midseason)(const Params&, State&) = nullptr;
  // demand and orders, per unit b: the rule sets the unit's local share itself; returns true
  // when it did (the platform's cap then does not apply)
  bool (*shape_orders)(const Params&, const State&, std::size_t b, OrderSheet&) = nullptr;
  // clearing, per market h and category c, once the offers are matched: may refuse what was
  // accepted (writes MarketStore::accept_ratio[h*C+c] and the rule's own counters)
  void (*limit_acceptance)(const Params&, State&, std::size_t h, std::size_t c, ClearingTally&) = nullptr;
  // clearing, per market h: share the accepted kg among the farms (ChannelStore::sold_kg);
  // returns true when it did (otherwise every farm sells in proportion to its offer)
  bool (*allocate_sales)(const Params&, State&, std::size_t h) = nullptr;
  // delivery and settlement, per market h and category c, after the farms delivered
  void (*settle_category)(const Params&, State&, std::size_t h, std::size_t c, const CategorySettlement&) = nullptr;
};

// every rule in force in a municipality, in table order
template <class F>
void for_each_rule_in_force(const MunicipalityParams& mp, F&& f) {
  for (const RuleInfo& r : kRuleTable)
    if (has_rule(mp, r.rule)) f(r);
}
// a rule in force makes the platform a matter of law, not of political backing
bool platform_by_law(const MunicipalityParams& mp);
// some municipality holds the rule
bool any_municipality_holds(const Params& p, Rule r);

}  // namespace lokalmat
