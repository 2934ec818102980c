// Demand and orders: each kitchen's meals and food demand for the week (waste is bought
// too), a flexible menu leaning toward what is on offer locally, participation in the
// local channel (Krejci et al.), and the split of the demand between the local
// channel and the wholesaler. The rules in force shape the orders: contracts bind
// their categories, a quota raises the local share, the exception's cap limits it.
#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/hub.h"
#include "sim/market.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/premium_budget.h"
#include "sim/rng.h"
#include "sim/rules/contracts.h"
#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// in a flexible menu, a category on offer locally counts this many times its demand in its group
constexpr double kOnOfferMenuWeight = 2.0;

// what a unit sees of its local market this week
struct MarketView {
  int h = -1;                          // its market, or -1
  bool direct = false;                 // a direct market (farms deliver, no hub fee)
  bool open = false;                   // the market takes the unit's orders
  std::vector<ContractKind> contract;  // [c] a contract binding the unit (covered units only)
  std::vector<std::uint8_t> allowed;   // [c] the unit may buy the category locally
  std::vector<double> visible_kg;      // [c] on offer: this week's offers, or a call-off's (purchasing system)
  bool any_contract = false;
};

// meals this week (closed weeks have none), the week's budget, and demand per category: what is
// eaten plus the waste, which is bought too; returns the eater-days
double plan_demand(const Params& p, State& s, std::size_t b) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const BuyerParams& bp = p.buyers[b];
  const BuyerTypeParams& tp = p.buyer_types[static_cast<std::size_t>(bp.type)];
  auto& bu = s.buyers;
  const double days = serves_in_week(tp, s.iso_week) ? tp.service_days_per_week : 0.0;
  const double eater_days = bp.eaters * days;
  bu.meals[b] = eater_days;
  bu.budget_week_nok[b] = eater_days * tp.budget_nok_per_eater_day * s.price_index;
  const double waste = waste_factor(tp, C);
  for (std::size_t c = 0; c < C; ++c) bu.demand_kg[b * C + c] = eater_days * tp.demand_kg_per_eater_day[c] * waste;
  return eater_days;
}

// (fills `v` in place: the phase reuses one view per thread, so no unit allocates)
void view_market(const Params& p, const State& s, std::size_t b, MarketView& v) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const BuyerParams& bp = p.buyers[b];
  const auto m = static_cast<std::size_t>(bp.municipality);
  const MunicipalityParams& mp = p.municipalities[m];
  v.h = s.buyer_market[b];
  v.any_contract = false;
  const auto hh = static_cast<std::size_t>(std::max(v.h, 0));
  v.direct = v.h >= 0 && s.markets.kind[hh] == MarketKind::direct;
  v.open = market_open_for(p, s, b);
  // contracts won in lots or simple competitions bind the covered units for their categories
  const bool covered = v.h >= 0 && exception_covers(mp, bp.type);
  const bool dps = v.h >= 0 && s.markets.dps[hh];
  v.contract.assign(C, ContractKind::none);
  v.allowed.assign(C, 0);
  v.visible_kg.assign(C, 0.0);
  for (std::size_t c = 0; c < C; ++c) {
    if (covered) v.contract[c] = contracts::in_force(p, s, hh, c);
    v.any_contract = v.any_contract || v.contract[c] != ContractKind::none;
    if (v.h >= 0) v.visible_kg[c] = dps ? dynamic_purchasing::call_off_kg(p, s, hh, c) : s.markets.offered_kg[hh * C + c];
    // contract categories; the exception's list on the platform; on a direct market every category
    // whose direct purchases have not reached the limit
    if (v.contract[c] != ContractKind::none) v.allowed[c] = 1;
    else if (v.open)
      v.allowed[c] = v.direct ? s.policy.direct_closed[m * C + c] == 0
                              : exception_covers_category(mp, c);
  }
}

// the price the unit sees locally, before any hub fee: this week's offers, or a call-off's
double visible_price(const Params& p, const State& s, const MarketView& v, std::size_t c) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const auto hh = static_cast<std::size_t>(std::max(v.h, 0));
  return v.h >= 0 && s.markets.dps[hh] ? dynamic_purchasing::call_off_price(p, s, hh, c)
                                    : s.markets.offered_price[hh * C + c];
}

// per-unit working arrays, one set per thread (the phase reuses them from unit to unit)
struct OrderScratch {
  MarketView view;
  std::vector<double> price;                // [c] local price incl. hub fee, NOK/kg
  std::vector<double> list_price;           // [c] the wholesaler's price, NOK/kg
  std::vector<std::uint8_t> under_contract; // [c]
};

// a flexible menu shifts part of each menu group toward what is on offer locally
void follow_local_plenty(const Params& p, const BuyerTypeParams& tp, const MarketView& v, double* demand) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto on_offer = [&](std::size_t c) { return v.allowed[c] && v.visible_kg[c] > 0; };
  auto weight = [&](std::size_t c) { return on_offer(c) ? kOnOfferMenuWeight : 1.0; };
  for (std::size_t c = 0; c < C; ++c) {
    const std::string& group = p.categories[c].menu_group;
    if (group.empty()) continue;
    bool first = true;  // handle each group once, at its first category
    for (std::size_t c2 = 0; c2 < c; ++c2)
      if (p.categories[c2].menu_group == group) first = false;
    if (!first) continue;
    double total = 0, weight_sum = 0;
    for (std::size_t c2 = c; c2 < C; ++c2)
      if (p.categories[c2].menu_group == group) {
        total += demand[c2];
        weight_sum += demand[c2] * weight(c2);
      }
    if (weight_sum <= 0) continue;
    for (std::size_t c2 = c; c2 < C; ++c2)
      if (p.categories[c2].menu_group == group) {
        const double share = demand[c2] * weight(c2) / weight_sum;
        demand[c2] = (1.0 - tp.menu_flexibility) * demand[c2] + tp.menu_flexibility * total * share;
      }
  }
}

// the local channel gets what preference, price (less any incentive) and budget headroom (for food
// above the list price) accept,
// above the list price only while the premium budget has money (sim/premium_budget.h); then the
// rules in force shape the orders, or the platform's cap limits them
void split_orders(const Params& p, State& s, std::size_t b, const MarketView& v, double eater_days,
                  OrderScratch& scratch) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const BuyerParams& bp = p.buyers[b];
  const BuyerTypeParams& tp = p.buyer_types[static_cast<std::size_t>(bp.type)];
  const auto m = static_cast<std::size_t>(bp.municipality);
  const MunicipalityParams& mp = p.municipalities[m];
  auto& bu = s.buyers;
  const double* demand = &bu.demand_kg[b * C];
  double* order = &bu.local_order_kg[b * C];
  double* desire = &bu.local_desire_kg[b * C];
  double all_value = 0;
  const double fee = v.direct ? 0.0 : hub_fee_nok_per_kg(mp, s);
  const bool premium_money = premium_money_left(mp.policy, s, m);
  const double incentive = incentive_paid_nok_per_kg(mp.policy, s, m);
  const double budget_factor =
      bu.budget_year_nok[b] > 0
          ? clamp01(1.0 - p.behaviour.budget_sensitivity * std::max(0.0, bu.spend_year_nok[b] / bu.budget_year_nok[b] - 1.0))
          : 1.0;
  std::vector<double>& price = scratch.price;
  std::vector<std::uint8_t>& under_contract = scratch.under_contract;
  std::vector<double>& list_price = scratch.list_price;
  price.assign(C, 0.0);
  list_price.assign(C, 0.0);
  under_contract.assign(C, 0);
  for (std::size_t c = 0; c < C; ++c) {
    order[c] = desire[c] = 0;
    under_contract[c] = v.contract[c] != ContractKind::none ? 1 : 0;
    const double wholesale_price = list_price[c] = framework::wholesale_price_nok_per_kg(p, s, m, c);
    all_value += demand[c] * wholesale_price;
    if (eater_days > 0 && v.contract[c] == ContractKind::lot) {
      // a lot: the winner supplies the unit's whole demand of the category this season
      price[c] = visible_price(p, s, v, c) + fee;
      order[c] = desire[c] = demand[c];
      continue;
    }
    if (!bu.participating[b] || !v.allowed[c]) continue;
    const double offered = v.visible_kg[c];
    price[c] = visible_price(p, s, v, c) + fee;
    // relative price of local food against the list price, after any incentive: a premium lowers
    // the wish to buy local, a discount raises it (never beyond the whole demand)
    const double premium = offered > 0 ? (price[c] - incentive) / wholesale_price - 1.0 : 0.0;
    const double price_factor = std::exp(-tp.price_sensitivity * premium);
    // a unit over its food budget so far this year buys less local food that costs it more than
    // the list price; local food at or below the list price saves it money and is not cut
    desire[c] = std::min(demand[c], demand[c] * bu.preference[b] * price_factor * (premium > 0 ? budget_factor : 1.0));
    if (!premium_money && offered > 0 && price[c] > wholesale_price) desire[c] = 0;  // no money above the list price
    order[c] = std::min(desire[c], offered);
  }
  OrderSheet sheet{.categories = C,
                   .demand = demand,
                   .price = price.data(),
                   .list_price = list_price.data(),
                   .visible_kg = v.visible_kg.data(),
                   .allowed = v.allowed.data(),
                   .under_contract = under_contract.data(),
                   .order = order,
                   .desire = desire,
                   .all_value_nok = all_value,
                   .participating = bu.participating[b] != 0};
  bool shaped = false;
  for_each_rule_in_force(mp, [&](const RuleInfo& r) {
    if (!shaped && r.hooks->shape_orders) shaped = r.hooks->shape_orders(p, s, b, sheet);
  });
  if (!shaped && !v.direct) framework_exception::cap_orders(s, m, sheet);
}

}  // namespace

void form_orders(const Params& p, State& s) {
  const bool budget_year = s.iso_week == 1 && s.week > 0;
  auto& bu = s.buyers;
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  parallel_over(p.buyers.size(), [&](std::size_t b) {
    const BuyerTypeParams& tp = p.buyer_types[static_cast<std::size_t>(p.buyers[b].type)];
    Rng rng(p.seed, Stream::participation, b, static_cast<std::uint64_t>(s.week));
    if (budget_year) bu.spend_year_nok[b] = bu.budget_year_nok[b] = 0;
    const double eater_days = plan_demand(p, s, b);
    thread_local OrderScratch scratch;
    MarketView& v = scratch.view;
    view_market(p, s, b, v);
    const bool open = eater_days > 0 && (v.open || v.any_contract);
    if (open && tp.menu_flexibility > 0) follow_local_plenty(p, tp, v, &bu.demand_kg[b * C]);
    // participation (Krejci): always above the threshold, else with probability = satisfaction
    const double sat = bu.satisfaction[b];
    const double draw = rng.uniform();
    bu.participating[b] = open && (sat > p.behaviour.participation_threshold || draw < sat) ? 1 : 0;
    split_orders(p, s, b, v, eater_days, scratch);
  });
}

}  // namespace lokalmat
