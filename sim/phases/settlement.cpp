// Delivery and settlement: farms deliver what they sold in full with probability
// `reliability`, otherwise a random part; kitchens receive and pay (hub fee, any
// incentive), and buy what did not come from the wholesaler at short notice; the
// rules in force settle their contracts and limits; farms are paid and sell the rest
// to other markets, to storage or to waste; the hub's route and running cost.
#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/hub.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/premium_budget.h"
#include "sim/rng.h"
#include "sim/rules/contracts.h"
#include "sim/rules/hooks.h"
#include "sim/rules/rules.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// a delivery this close below the accepted kg, beyond the tolerance, still counts as full (rounding)
constexpr double kFullDeliveryRounding = 1e-9;

// reliability: a farm delivers an accepted order in full with probability = reliability, otherwise
// a random part of it; per category the market's delivered ratios, prices, distances and organic
// share; the rules in force settle what was delivered; the hub's fees
void deliver_to_market(const Params& p, State& s, std::size_t h) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& mkt = s.markets;
  auto& ch = s.channels;
  const MunicipalityParams& mp = p.municipalities[mkt.municipality[h]];
  const bool direct = mkt.kind[h] == MarketKind::direct;
  std::vector<double> sold(C, 0.0), delivered(C, 0.0), value(C, 0.0), km(C, 0.0), organic(C, 0.0);
  mkt.suppliers[h] = 0;
  mkt.penalty_nok[h] = 0;
  for (std::uint32_t k : mkt.channels[h]) ch.penalty_nok[k] = 0;
  for (std::uint32_t k : mkt.channels[h]) {
    const ProducerParams& pp = p.producers[ch.producer[k]];
    Rng rng(p.seed, Stream::delivery, k, static_cast<std::uint64_t>(s.week));
    const double u_full = rng.uniform(), u_part = rng.uniform();
    const double fraction = u_full < pp.reliability ? 1.0 : u_part;
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t kc = k * C + c;
      ch.delivered_kg[kc] = ch.sold_kg[kc] * fraction;
      sold[c] += ch.sold_kg[kc];
      delivered[c] += ch.delivered_kg[kc];
      value[c] += ch.delivered_kg[kc] * ch.price[kc];
      km[c] += ch.delivered_kg[kc] * ch.road_km[k];
      organic[c] += pp.organic ? ch.delivered_kg[kc] : 0.0;
    }
    mkt.suppliers[h] += fraction > 0 && std::any_of(&ch.sold_kg[k * C], &ch.sold_kg[k * C] + C, [](double x) { return x > 0; });
  }
  double fees = 0;
  for (std::size_t c = 0; c < C; ++c) {
    const std::size_t hc = h * C + c;
    mkt.deliver_ratio[hc] = sold[c] > 0 ? delivered[c] / sold[c] : 0.0;
    mkt.delivered_price[hc] = delivered[c] > 0 ? value[c] / delivered[c] : 0.0;
    mkt.farm_km[hc] = delivered[c] > 0 ? km[c] / delivered[c] : 0.0;
    mkt.organic_ratio[hc] = delivered[c] > 0 ? organic[c] / delivered[c] : 0.0;
    if (!direct) fees += delivered[c] * hub_fee_nok_per_kg(mp, s);
    const CategorySettlement settled{.sold_kg = sold[c], .delivered_kg = delivered[c], .value_nok = value[c]};
    for_each_rule_in_force(mp, [&](const RuleInfo& r) {
      if (r.hooks->settle_category) r.hooks->settle_category(p, s, h, c, settled);
    });
  }
  mkt.fee_income_nok[h] = fees;
}

// every supplier relation costs ordering hours: the wholesaler, and the platform as one relation or
// each farm a unit bought from directly; sectors working together and trust cut them
double ordering_hours(const Params& p, const State& s, std::size_t b, bool direct, double accepted_kg,
                      double delivered_kg) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const auto m = static_cast<std::size_t>(p.buyers[b].municipality);
  const BuyerTypeParams& tp = p.buyer_types[static_cast<std::size_t>(p.buyers[b].type)];
  const auto hh = static_cast<std::size_t>(std::max(s.buyer_market[b], 0));
  double relations = s.buyers.meals[b] > 0 ? 1.0 : 0.0;
  if (accepted_kg > 0 && !direct) relations += 1.0;
  if (delivered_kg > 0 && direct)
    for (std::uint32_t k : s.markets.channels[hh]) {
      bool supplied = false;  // the farm delivered a category this unit received
      for (std::size_t c = 0; c < C && !supplied; ++c)
        supplied = s.buyers.local_kg[b * C + c] > 0 && s.channels.delivered_kg[k * C + c] > 0;
      relations += supplied ? 1.0 : 0.0;
    }
  return relations * tp.hours_per_supplier_relation * coordination_factor(p.municipalities[m].policy) *
         (1.0 - p.behaviour.trust_cost_cut * s.policy.trust[m]);
}

// kitchens receive, pay, and buy the shortfall from the wholesaler at short notice
void receive_and_pay(const Params& p, State& s, std::size_t b) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& bu = s.buyers;
  const auto& mkt = s.markets;
  const int h = s.buyer_market[b];
  const auto hh = static_cast<std::size_t>(std::max(h, 0));
  const auto m = static_cast<std::size_t>(p.buyers[b].municipality);
  const MunicipalityParams& mp = p.municipalities[m];
  const bool direct = h >= 0 && mkt.kind[hh] == MarketKind::direct;
  const double fee = direct ? 0.0 : hub_fee_nok_per_kg(mp, s);
  const double sn = p.wholesaler.short_notice_premium;
  double accepted_total = 0, delivered_total = 0, ordered_total = 0, spend = 0;
  for (std::size_t c = 0; c < C; ++c) {
    const std::size_t bc = b * C + c;
    const double ordered = bu.local_order_kg[bc];
    double accepted = 0, delivered = 0;
    if (h >= 0 && ordered > 0) {
      accepted = ordered * mkt.accept_ratio[hh * C + c];
      delivered = accepted * mkt.handle_ratio[hh] * mkt.deliver_ratio[hh * C + c];
    }
    const double wholesale_price = framework::wholesale_price_nok_per_kg(p, s, m, c);
    // what the platform could not accept is known when ordering closes: bought at the list price;
    // what was accepted but not delivered (hub capacity, farm failures) is bought at short notice,
    // and so is all a lot's winner fails to supply; a call-off or a lot not supplied is a failed delivery
    const bool lot = h >= 0 && contracts::in_force(p, s, hh, c) == ContractKind::lot &&
                     exception_covers(mp, p.buyers[b].type);
    if (lot || (h >= 0 && mkt.dps[hh])) accepted = ordered;
    const double planned = bu.demand_kg[bc] - accepted;
    bu.local_kg[bc] = delivered;
    bu.local_nok[bc] = delivered > 0 ? delivered * (mkt.delivered_price[hh * C + c] + fee) : 0.0;
    bu.fallback_kg[bc] = accepted - delivered;
    bu.wholesale_kg[bc] = planned + bu.fallback_kg[bc];
    bu.wholesale_nok[bc] = planned * wholesale_price + bu.fallback_kg[bc] * wholesale_price * (1.0 + sn);
    ordered_total += ordered;
    accepted_total += accepted;
    delivered_total += delivered;
    // what arrived of what was ordered, remembered over fill_memory_weeks order weeks
    if (ordered > 0) bu.expected_fill[bc] += (delivered / ordered - bu.expected_fill[bc]) / p.behaviour.fill_memory_weeks;
    spend += bu.local_nok[bc] + bu.wholesale_nok[bc];
  }
  // outcome of the accepted local order: full, partial, or nothing came
  if (ordered_total <= 0 || accepted_total <= 0) bu.delivery_outcome[b] = DeliveryOutcome::no_order;
  else if (delivered_total >= accepted_total * (1.0 - p.behaviour.full_delivery_tolerance - kFullDeliveryRounding))
    bu.delivery_outcome[b] = DeliveryOutcome::full;
  else if (delivered_total > 0) bu.delivery_outcome[b] = DeliveryOutcome::partial;
  else bu.delivery_outcome[b] = DeliveryOutcome::nothing;
  // the municipality pays the local-purchase incentive to the unit, while the premium budget has money
  bu.incentive_nok[b] = delivered_total * incentive_paid_nok_per_kg(p.municipalities[m].policy, s, m);
  bu.spend_year_nok[b] += spend - bu.incentive_nok[b];
  bu.budget_year_nok[b] += bu.budget_week_nok[b];
  bu.admin_hours[b] = ordering_hours(p, s, b, direct, accepted_total, delivered_total);
}

// farms are paid for what they delivered; the rest goes to other markets, to storage or to waste;
// the season's record of what the farm offered, sold and earned in municipal channels
void pay_farm(const Params& p, State& s, std::size_t i) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& pr = s.producers;
  const auto& ch = s.channels;
  double income = 0, outside_income = 0, put_in = 0;
  const double n_channels = std::max<double>(1.0, pr.channel_begin[i + 1] - pr.channel_begin[i]);
  for (std::size_t c = 0; c < C; ++c) {
    const CategoryParams& cat = p.categories[c];
    const std::size_t ic = i * C + c;
    double delivered = 0, offered = 0, sold = 0;
    for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k) {
      delivered += ch.delivered_kg[k * C + c];
      income += ch.delivered_kg[k * C + c] * farm_share_of_price_nok(cat, ch.price[k * C + c], s.price_index);
      // what the farm put into the channel: a perishable's offer; for a storable crop only the new
      // harvest's share (its stock is offered again every week and would be counted many times)
      // only what it offered on an open market counts; a contract's holder offers all it has
      if (ch.offer_kg[k * C + c] > 0) {
        const bool holder = contracts::in_force(p, s, ch.market[k], c) != ContractKind::none && contracts::holds(p, s, k, c);
        const double share = holder ? 1.0 : ch.offer_share[k * C + c];
        put_in += cat.storable ? pr.harvest_kg[ic] * share / n_channels : ch.offer_kg[k * C + c];
      }
      offered += ch.offer_kg[k * C + c];
      sold += ch.sold_kg[k * C + c];
    }
    // the category's season, for growth (§7.29): weeks offered, weeks sold out, kg delivered
    if (offered > 0) {
      pr.offer_weeks[ic] += 1;
      pr.soldout_weeks[ic] += sold >= kSoldOutShare * offered ? 1 : 0;
    }
    pr.season_delivered_kg[ic] += delivered;
    const double outside_price = outside_value_nok_per_kg(cat) * s.price_index;
    if (cat.storable) {
      pr.stock_kg[ic] = std::max(0.0, pr.stock_kg[ic] - delivered);
      const double outside = pr.stock_kg[ic] / std::max(1.0, cat.shelf_life_weeks);
      pr.stock_kg[ic] -= outside;
      outside_income += outside * outside_price;
    } else {
      const double unsold = std::max(0.0, pr.available_kg[ic] - delivered);
      const double outside = unsold * p.behaviour.outside_market_absorb;
      outside_income += outside * outside_price;
      pr.waste_week_kg[i] += unsold - outside;
    }
  }
  pr.income_week_nok[i] = income;
  pr.income_total_nok[i] += income;
  pr.outside_income_week_nok[i] = outside_income;
  pr.season_offered_kg[i] += put_in;
  for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k)
    for (std::size_t c = 0; c < C; ++c) pr.season_sold_kg[i] += ch.delivered_kg[k * C + c];
  double penalties = 0;
  for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k) penalties += ch.penalty_nok[k];
  pr.season_income_nok[i] += income - penalties;
}

double delivered_kg_of_channel(const State& s, std::size_t C, std::size_t k) {
  double kg = 0;
  for (std::size_t c = 0; c < C; ++c) kg += s.channels.delivered_kg[k * C + c];
  return kg;
}
double local_kg_of_buyer(const State& s, std::size_t C, std::size_t b) {
  double kg = 0;
  for (std::size_t c = 0; c < C; ++c) kg += s.buyers.local_kg[b * C + c];
  return kg;
}

// on a direct market each farm that delivered drives its own round through the units served,
// approximated as: to the municipality's centre and back, plus one round of the units from there;
// farms carry their own delivery in their price
void route_direct_market(const Params& p, State& s, std::size_t h) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& mkt = s.markets;
  std::vector<Point> units;
  for (std::uint32_t b : mkt.buyers[h])
    if (local_kg_of_buyer(s, C, b) > 0) units.push_back(p.buyers[b].position);
  mkt.route_km[h] = 0;
  const Point centre = p.municipalities[mkt.municipality[h]].centre;
  const double round = units.empty() ? 0.0 : tour_km(p.behaviour, centre, units);
  for (std::uint32_t k : mkt.channels[h])
    if (delivered_kg_of_channel(s, C, k) > 0 && !units.empty())
      mkt.route_km[h] += 2.0 * road_km(p.behaviour, p.producers[s.channels.producer[k]].position, centre) + round;
  mkt.cost_nok[h] = 0;
}

// the hub's van collects from the farms that delivered and serves the kitchens, in as many trips as
// the load needs; its running cost: fixed, coordinator, extra staff, vehicle km and courier
void route_hub(const Params& p, State& s, std::size_t h) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& mkt = s.markets;
  const std::size_t m = mkt.municipality[h];
  const HubParams& hp = p.municipalities[m].hub;
  std::vector<Point> stops;
  for (std::uint32_t k : mkt.channels[h])
    if (delivered_kg_of_channel(s, C, k) > 0) stops.push_back(p.producers[s.channels.producer[k]].position);
  double kg_out = 0;
  for (std::uint32_t b : mkt.buyers[h]) {
    const double kg = local_kg_of_buyer(s, C, b);
    if (kg > 0) stops.push_back(p.buyers[b].position);
    kg_out += kg;
  }
  // the courier's price per kg includes its transport: the van drives the part of the tour its own
  // kg stand for, in the trips its own load needs
  const double van_kg = std::max(0.0, kg_out - mkt.courier_kg[h]);
  const double van_share = kg_out > 0 ? van_kg / kg_out : 1.0;
  mkt.route_km[h] = stops.empty() || van_share <= 0
                        ? 0.0
                        : van_tours(hp, van_kg) * tour_km(p.behaviour, hp.position, stops) * van_share;
  const double wage = hp.coordinator_wage_nok_per_hour * s.price_index;
  mkt.cost_nok[h] = s.policy.hub_funded[m]
                       ? hp.fixed_cost_nok_per_week * s.price_index +
                             hp.coordinator_hours_per_week * coordination_factor(p.municipalities[m].policy) * wage +
                             mkt.staff_extra_hours[h] * wage + mkt.route_km[h] * hp.van_km_cost_nok * s.price_index +
                             mkt.courier_kg[h] * hp.courier_nok_per_kg * s.price_index
                       : 0.0;
}

}  // namespace

void settle_deliveries(const Params& p, State& s) {
  parallel_over(s.markets.municipality.size(), [&](std::size_t h) { deliver_to_market(p, s, h); });
  parallel_over(p.buyers.size(), [&](std::size_t b) { receive_and_pay(p, s, b); });
  parallel_over(p.producers.size(), [&](std::size_t i) { pay_farm(p, s, i); });
  parallel_over(s.markets.municipality.size(), [&](std::size_t h) {
    if (s.markets.kind[h] == MarketKind::direct) route_direct_market(p, s, h);
    else route_hub(p, s, h);
  });
}

}  // namespace lokalmat
