// The rows of the run, the shared constants, the national rules, the network, the
// wholesaler, the food categories and the kitchen types. A row: key, field, unit,
// default, allowed range, meaning, and where the default comes from ([src ...] a
// public source, [assume] our assumption, [Krejci] the food-hub ABMs of Krejci and
// co-authors). The constructors below give each struct the rows' defaults.
#include <algorithm>
#include <cmath>
#include <set>

#include "sim/schema/params_rows.h"

namespace lokalmat::schema {

// [run]: the calendar and the seeds
template <>
const SectionRows<Params>& rows_of<Params>() {
  using P = Params;
  static const SectionRows<Params> s{"run", "The calendar and the random seeds.", {
    date("start_date", &P::start, Date{2025, 1, 6}, "first day of the first week (a Monday keeps ISO weeks aligned)"),
    integer("years", unbound, "years", 10, 1, 100, "length of the run (52 weeks a year); ignored when end_date is set, except that --years or --set run.years replaces end_date"),
    date("end_date", unbound, derived, "optional: last day of the run; must be after start_date"),
    integer("seed", &P::seed, "-", 1, 0, 9.2e18, "seed of every random draw in the run"),
    integer("layout_seed", unbound, "-", 1, 0, 9.2e18, "seed for generated positions, so an ensemble of seeds shares one map"),
  }};
  return s;
}

// [behaviour]
template <>
const SectionRows<BehaviourParams>& rows_of<BehaviourParams>() {
  using B = BehaviourParams;
  static const SectionRows<BehaviourParams> s{"behaviour", "Behavioural constants shared by all agents.", {
    number("road_factor", &B::road_factor, "road km per km", 1.3, 1, 3, "road distance = straight line x this", assume()),
    number("satisfaction_initial", &B::satisfaction_initial, "0-1", 0.8, 0, 1, "kitchens' initial satisfaction with the local channel", krejci()),
    number("satisfaction_full", &B::satisfaction_full, "per week", 0.01, 0, 1, "satisfaction change after a full delivery", krejci()),
    number("satisfaction_partial", &B::satisfaction_partial, "per week", -0.01, -1, 0, "satisfaction change after a partial delivery", krejci()),
    number("satisfaction_none", &B::satisfaction_none, "per week", -0.05, -1, 0, "satisfaction change when nothing came", krejci()),
    number("participation_threshold", &B::participation_threshold, "0-1", 0.7, 0, 1, "above it a kitchen always orders locally, below with probability = satisfaction", krejci()),
    number("full_delivery_tolerance", &B::full_delivery_tolerance, "share", 0, 0, 1, "a delivery at least (1 - this) of the accepted order counts as full (0: only a complete delivery, as in Krejci; raise it where an order is pooled from many farms)", assume()),
    number("fill_memory_weeks", &B::fill_memory_weeks, "weeks", 8, 1, 520, "a unit's expected fill (the share of its local order's value that arrives) is the exponential average of its order weeks, weight 1/this on the newest; a unit under quota_mandate orders the quota's share divided by it, so as to comply after the losses it has seen", assume()),
    number("offer_growth", &B::offer_growth, "share", 0.1, 0, 1, "a farm that sold out offers this much more next week", krejci()),
    number("sellthrough_low", &B::sellthrough_low, "share", 0.5, 0, 1, "below this sell-through a farm falls back to its weighted sell-through", krejci()),
    numbers("sellthrough_weights", &B::sellthrough_weights, "weights", {0.5, 0.3, 0.2}, 0, 1, "weights of the last three cycles, newest first; must sum to 1", krejci()),
    number("offer_share_min", &B::offer_share_min, "share", 0.05, 0, 1, "an active farm always offers at least this share", assume()),
    number("outside_market_absorb", &B::outside_market_absorb, "share", 0.9, 0, 1, "share of unsold perishables other markets take; the rest is wasted", assume()),
    number("budget_sensitivity", &B::budget_sensitivity, "-", 2, 0, 100, "a unit over its food budget so far this year orders local food priced above the list price (after any incentive) less: by this x its relative overspend; cheaper local food is not cut", assume()),
    number("organic_price_premium", &B::organic_price_premium, "share", 0.3, 0, 5, "organic farms ask this much more than conventional ones", assume()),
    number("farmer_hour_value_nok", &B::farmer_hour_value_nok, "NOK/hour", 350, 0, 10000, "value of a farmer's hour in entry and admin costs", assume()),
    number("neighbour_awareness_per_year", &B::neighbour_awareness_per_year, "probability per year", 0.2, 0, 1, "chance an active neighbour makes an unaware farm aware of the channel", assume()),
    number("neighbour_radius_km", &B::neighbour_radius_km, "km", 10, 0, 1000, "farms this close (road km, same municipality) are neighbours", assume()),
    number("exit_sales_ratio", &B::exit_sales_ratio, "share", 0.1, 0, 1, "a farm leaves after two seasons selling below this share of what it offered", krejci()),
    number("growth_soldout_share", &B::growth_soldout_share, "share", 0.5, 0, 1, "a farm grows a product (only that one) after a season in which it sold out in at least this share of the weeks it offered it", assume()),
    number("growth_min_local_share", &B::growth_min_local_share, "share", 0.2, 0, 1, "... and only if the municipal channels took at least this share of the season's harvest of it: a farm does not expand a crop for a buyer of a few percent of it", assume()),
    number("arena_trust_gain", &B::arena_trust_gain, "share", 0.15, 0, 1, "a co-creation arena closes this share of the gap between trust and 1", assume()),
    number("trust_decay_per_year", &B::trust_decay_per_year, "share per year", 0.2, 0, 1, "trust lost in a year without meetings", assume()),
    number("trust_cost_cut", &B::trust_cost_cut, "share", 0.3, 0, 1, "kitchens' ordering hours x (1 - this x trust)", assume()),
    number("trust_entry_cut", &B::trust_entry_cut, "share", 0.3, 0, 1, "farms' entry cost x (1 - this x trust)", assume()),
    number("visit_backing_gain", &B::visit_backing_gain, "0-1", 0.01, 0, 1, "backing gained from a children's farm visit, x (1 - backing)", assume()),
  }};
  return s;
}

// [procurement]
template <>
const SectionRows<ProcurementParams>& rows_of<ProcurementParams>() {
  using Pr = ProcurementParams;
  static const SectionRows<ProcurementParams> s{"procurement", "National procurement rules (FOA) and framework-tender requirements.", {
    number("direct_limit_nok", &Pr::direct_limit_nok, "NOK", 100000, 0, 1e9, "below this a purchase is outside the procurement rules; similar purchases add up over the agreement period", src("FOA")),
    number("direct_limit_new_nok", &Pr::direct_limit_new_nok, "NOK", 500000, 0, 1e9, "the raised lower limit", src_note("2026 amendment")),
    date("direct_limit_change", &Pr::direct_limit_change, Date{2026, 7, 1}, "the raised limit applies from this date", src()),
    boolean("direct_limit_per_category", &Pr::direct_limit_per_category, false, "false: all food a municipality buys directly in the period adds up against one limit (the cautious reading: goods that belong together are valued together, for the whole municipality); true: each food category is a purchase of its own", src("FOA, veileder ch. 5.4; sfj.no", "goods that belong together are valued together, for the whole municipality")),
    number("season_norwegian_share_min", &Pr::season_norwegian_share_min, "share", 0.8, 0, 1, "season_requirement: the wholesaler's Norwegian share of in-season produce is at least this", assume()),
    number("season_regional_factor", &Pr::season_regional_factor, "factor", 2, 1, 100, "season_requirement: the wholesaler's regional share is multiplied by this in season", assume()),
    number("simple_competition_limit_nok", &Pr::simple_competition_limit_nok, "NOK per year", 1300000, 0, 1e10, "simple_competition: contracts stay below the national threshold", src_note("NOK 1.3 million")),
    number("competition_admin_hours", &Pr::competition_admin_hours, "hours", 40, 0, 10000, "the municipality's hours to run one competition or lot tender", assume()),
    number("bid_cost_hours", &Pr::bid_cost_hours, "hours", 16, 0, 1000, "a farm's hours to write one bid", assume()),
    number("weight_price", &Pr::weight_price, "weight", 0.5, 0, 1, "lots: award weight of price (weights sum to 1)"),
    number("weight_quality", &Pr::weight_quality, "weight", 0.2, 0, 1, "lots: award weight of quality (organic share)"),
    number("weight_environment", &Pr::weight_environment, "weight", 0.3, 0.3, 1, "lots: award weight of environment (transport CO2e, season)", src("FOA §7-9", "at least 0.30 from 2024")),
    number("lot_min_coverage", &Pr::lot_min_coverage, "share", 0.8, 0, 1, "lots: a bid must be able to cover this share of the lot's volume", assume()),
    boolean("group_bids", &Pr::group_bids, true, "lots: farms too small alone may bid as a group"),
    number("penalty_nok_per_kg", &Pr::penalty_nok_per_kg, "NOK/kg", 5, 0, 1000, "lots: penalty per kg a winner fails to deliver", assume()),
    integer("call_off_lead_weeks", &Pr::call_off_lead_weeks, "weeks", 2, 2, 12, "dynamic_purchasing: call-offs go this far ahead (at least 10 days to bid: 2 weeks)", src("FOA §§26-4-26-7")),
  }};
  return s;
}

// [network]
template <>
const SectionRows<NetworkParams>& rows_of<NetworkParams>() {
  using N = NetworkParams;
  static const SectionRows<NetworkParams> s{"network", "A learning network of municipalities: members see each other's results once a year and copy the framework exception where it works (MODEL.md §3).", {
    boolean("enabled", &N::enabled, false, "the network exists"),
    names("members", unbound, "municipality ids", {}, "member municipalities (empty: all); a member adopts only if its hub section is enabled"),
    number("imitation_per_year", &N::imitation_per_year, "probability per year", 0.6, 0, 1, "chance a year of adopting, x the share of members whose scheme works", assume()),
    number("spontaneous_per_year", &N::spontaneous_per_year, "probability per year", 0.02, 0, 1, "chance a year of adopting without peers (members and non-members with a hub section)", assume()),
    number("success_share", &N::success_share, "share", 0.5, 0, 10, "a peer's scheme works when its local share reaches this x its target", assume()),
    integer("cycle_years", &N::cycle_years, "years", 1, 0, 10, "years from the decision to the change (mapping -> mobilisation -> change)"),
  }};
  return s;
}

// [wholesaler]
template <>
const SectionRows<WholesalerParams>& rows_of<WholesalerParams>() {
  using W = WholesalerParams;
  static const SectionRows<WholesalerParams> s{"wholesaler", "The framework-agreement wholesaler.", {
    text("name", &W::name, "text", "framework wholesaler", "name shown in outputs"),
    number("price_index_per_year", &W::price_index_per_year, "share per year", 0.03, -0.2, 0.5, "yearly indexation of all prices", assume()),
    number("short_notice_premium", &W::short_notice_premium, "share", 0.15, 0, 2, "extra cost of short-notice fallback orders", assume()),
    number("warehouse_distance_km", &W::warehouse_distance_km, "km", 100, 0, 3000, "road km from the warehouse to the municipalities", assume()),
    date("contract_start", &W::contract_start, Date{2022, 1, 1}, "start of the framework agreement in force"),
    integer("contract_base_years", &W::contract_base_years, "years", 2, 1, 4, "base term; 2+1+1 years, 4 at most", src("FOA")),
    integer("contract_extensions", &W::contract_extensions, "years", 2, 0, 3, "one-year extensions; base + extensions <= 4", src("FOA")),
  }};
  return s;
}

// [categories.<name>]
template <>
const SectionRows<CategoryParams>& rows_of<CategoryParams>() {
  using C = CategoryParams;
  static const SectionRows<CategoryParams> s{"categories.<name>", "A food category. Nine are built in (see below); a scenario may change them, add its own, or switch one off. Over the built-in ones and a base, a new name must give its wholesale_price_nok_per_kg, else it is refused as a misspelling (a file without a base may add categories freely); --set on a switched-off category is refused.", {
    boolean("enabled", unbound, true, "false removes the category from the run"),
    number("wholesale_price_nok_per_kg", &C::wholesale_price_nok_per_kg, "NOK/kg", 30, 0, 10000, "framework price list at the start", assume_set_per_scenario()),
    number("farm_cost_nok_per_kg", &C::farm_cost_nok_per_kg, "NOK/kg", 20, 0, 10000, "a local farm's unit cost", assume()),
    number("outside_price_nok_per_kg", &C::outside_price_nok_per_kg, "NOK/kg", 18, 0, 10000, "what a farm gets in its other markets", assume()),
    number("yield_kg_per_daa", &C::yield_kg_per_daa, "kg/daa per season", 1000, 0, 100000, "harvest per decare and season, kg of the farm's produce"),
    text("local_route", unbound, "name", "farm",
         "how kitchens buy it from local farms: farm (as harvested), processor (through a local processor such as a mill: processing_yield, processing_cost_nok_per_kg, processing_capacity_kg_per_week), none (not bought locally: farms in the channel do not offer it)"),
    number("processing_yield", &C::processing_yield, "kg per kg", 1, 0.01, 10, "local_route = processor: kg of the product as kitchens buy it from one kg of the farm's produce (a mill: kg of flour per kg of grain)", assume()),
    number("processing_cost_nok_per_kg", &C::processing_cost_nok_per_kg, "NOK/kg", 0, 0, 10000, "local_route = processor: the processor's cost and margin per kg of the product, added to the farm's price; the farm is paid the rest", assume()),
    number("processing_capacity_kg_per_week", &C::processing_capacity_kg_per_week, "kg per week", 0, 0, 1e9, "local_route = processor: kg of the product the processor can make a week for one municipal market (0: none); the farms' offers there are cut pro rata to it", assume()),
    number("shelf_life_weeks", &C::shelf_life_weeks, "weeks", 1, 0.1, 104, "how long it keeps; storable crops sell out of store over this time"),
    boolean("storable", &C::storable, false, "kept in farm storage after harvest"),
    number("storage_loss_per_week", &C::storage_loss_per_week, "share per week", 0.01, 0, 1, "share of stored kg lost each week", assume()),
    text("menu_group", &C::menu_group, "name", "", "categories a flexible menu may substitute within (\"\" = none)"),
    boolean("year_round", unbound, false, "harvest spread evenly over the year (eggs, dairy, meat)"),
    integer("harvest_start_week", unbound, "ISO week", 24, 1, 52, "first week of the local harvest season", src_note("fresh produce weeks 24-42")),
    integer("harvest_end_week", unbound, "ISO week", 42, 1, 52, "last week of the local harvest season (may wrap past new year)"),
    numbers("harvest_weights", unbound, "weights", derived, 0, kInf, "optional: 52 weekly weights of the harvest, replacing the season hump"),
    number("wholesaler_norwegian_share", &C::wholesaler_norwegian_share, "share", 0.2, 0, 1, "wholesaler's Norwegian share out of season", src("NIBIO 2022", "~20% F&V")),
    number("wholesaler_norwegian_share_in_season", &C::wholesaler_norwegian_share_in_season, "share", 0.4, 0, 1, "wholesaler's Norwegian share in the local season", assume()),
    number("norwegian_price_premium", &C::norwegian_price_premium, "share of the list price", 0.2, -0.5, 2,
           "season_requirement: each kg the tender moves from imported to Norwegian costs this much more (negative: less); the framework price rises by this x the moved share",
           src("grontprodusentene.no market and price information, 2020 and 2022",
               "Norwegian producer price vs import price with duty and freight, per kg: carrots -1% (ISO weeks 45-51 2020) and +23% (the 7 weeks to week 47 2022), white cabbage +52% (the 7 weeks to week 33 2022); passing it on as the same share of the list price is [assume]")),
    number("wholesaler_regional_share", &C::wholesaler_regional_share, "share", 0.02, 0, 1, "wholesaler's kg sourced within the region (counts as local)", assume()),
    number("wholesaler_organic_share", &C::wholesaler_organic_share, "share", 0.03, 0, 1, "organic share of the wholesaler's kg", assume()),
    number("co2e_van_kg_per_tkm", &C::co2e_van_kg_per_tkm, "kg CO2e per tonne-km", 0.8, 0, 100, "local delivery van", assume()),
    number("co2e_truck_kg_per_tkm", &C::co2e_truck_kg_per_tkm, "kg CO2e per tonne-km", 0.1, 0, 100, "wholesaler's trucks", assume()),
    number("upstream_km", &C::upstream_km, "km", 500, 0, 20000, "mean road km from origin to the wholesaler's warehouse", assume()),
  }};
  return s;
}

// [buyer_types.<type>]
template <>
const SectionRows<BuyerTypeParams>& rows_of<BuyerTypeParams>() {
  using BT = BuyerTypeParams;
  static const SectionRows<BuyerTypeParams> s{"buyer_types.<type>", "Defaults per kitchen type: kindergarten, sfo, school, nursing_home, day_centre_canteen, central_kitchen.", {
    number("service_days_per_week", &BT::service_days_per_week, "days", 5, 0, 7, "days with meals in an open week"),
    integers("closed_weeks", &BT::closed_weeks, "ISO weeks", {}, 1, 53, "weeks with no service (holidays)"),
    number("budget_nok_per_eater_day", &BT::budget_nok_per_eater_day, "NOK per eater-day", 20, 0, 10000, "food budget per eater and service day"),
    number("waste_g_per_eater_day", &BT::waste_g_per_eater_day, "g per eater-day", 60, 0, 5000, "kitchen and plate waste, bought and thrown away", src_note("488 -> 225 g in one nursing home")),
    number("local_preference", &BT::local_preference, "0-1", 0.6, 0, 1, "wish to buy local when the rules allow", assume()),
    number("price_sensitivity", &BT::price_sensitivity, "-", 2, 0, 50, "local ordering x exp(-this x relative premium)", assume()),
    number("menu_flexibility", &BT::menu_flexibility, "0-1", 0.2, 0, 1, "share of a menu group's demand that can follow local plenty", assume()),
    number("hours_per_supplier_relation", &BT::hours_per_supplier_relation, "hours per week", 0.5, 0, 40, "ordering hours per supplier relation", assume()),
    by_category("demand_kg_per_eater_day", &BT::demand_kg_per_eater_day, "kg per eater-day", {}, 0, 10, "food eaten per eater and service day, by category"),
  }};
  return s;
}

std::array<double, kWeeksPerYear> harvest_curve(bool year_round, int start_week, int end_week) {
  std::array<double, kWeeksPerYear> w{};
  if (year_round) {
    w.fill(1.0 / kWeeksPerYear);
    return w;
  }
  const int len = (end_week - start_week + kWeeksPerYear) % kWeeksPerYear + 1;
  double sum = 0;
  for (int i = 0; i < len; ++i) {
    const double x = (i + 0.5) / len;  // 0..1 across the season
    const double v = 0.5 - 0.5 * std::cos(2.0 * 3.141592653589793 * x);
    w[static_cast<std::size_t>((start_week - 1 + i) % kWeeksPerYear)] = v;
    sum += v;
  }
  for (double& v : w) v /= sum;
  return w;
}

int count_sectors(const Names& sectors) {
  const std::set<std::string_view> distinct(sectors.begin(), sectors.end());
  return std::max(1, static_cast<int>(distinct.size()));
}

}  // namespace lokalmat::schema

namespace lokalmat {

// ---------------------------------------------------------------- the structs' defaults

Params::Params() {
  const auto& rows = schema::rows_of<Params>().rows;
  schema::apply_defaults(*this, rows);
  // the run length: run.years of 52 weeks (run.end_date has no default)
  weeks = schema::default_of<int>(rows, "years") * kWeeksPerYear;
}

BehaviourParams::BehaviourParams() { schema::apply_defaults(*this, schema::rows_of<BehaviourParams>().rows); }
ProcurementParams::ProcurementParams() { schema::apply_defaults(*this, schema::rows_of<ProcurementParams>().rows); }
NetworkParams::NetworkParams() { schema::apply_defaults(*this, schema::rows_of<NetworkParams>().rows); }
WholesalerParams::WholesalerParams() { schema::apply_defaults(*this, schema::rows_of<WholesalerParams>().rows); }
BuyerTypeParams::BuyerTypeParams() { schema::apply_defaults(*this, schema::rows_of<BuyerTypeParams>().rows); }

CategoryParams::CategoryParams() {
  const auto& rows = schema::rows_of<CategoryParams>().rows;
  schema::apply_defaults(*this, rows);
  // the season's hump from the default season
  harvest_weight = schema::harvest_curve(schema::default_of<bool>(rows, "year_round"),
                                         schema::default_of<int>(rows, "harvest_start_week"),
                                         schema::default_of<int>(rows, "harvest_end_week"));
}

}  // namespace lokalmat
