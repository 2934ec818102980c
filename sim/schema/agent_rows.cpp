// The rows of a producer and of a buyer entry (see sim/schema/params_rows.cpp for what
// a row holds), and the structs' constructors. An entry may stand for `count` alike
// agents; the loader expands it.
#include "sim/schema/params_rows.h"

namespace lokalmat::schema {

// [producers.<id>]
template <>
const SectionRows<ProducerParams>& rows_of<ProducerParams>() {
  using Pd = ProducerParams;
  static const SectionRows<ProducerParams> s{"producers.<id>", "A farm, or a group of `count` alike farms. Over a base (and by --set), a table id that names no farm below is refused as a misspelling unless the table gives its municipality (a new farm).", {
    text("municipality", unbound, "municipality id", required, "home municipality (required)"),
    integer("count", unbound, "farms", 1, 1, kMaxFarmsPerMunicipality, "number of alike farms this entry makes (a municipality has at most 20,000 farms)"),
    text("name", &Pd::name, "text", derived, "display name (default: the table's id)"),
    point("position_km", &Pd::position, derived, "position; default generated within the municipality from run.layout_seed"),
    boolean("organic", &Pd::organic, false, "certified organic"),
    number("reliability", &Pd::reliability, "probability", 0.9, 0, 1, "probability an accepted order is delivered in full", src("MODEL", "0.9")),
    number("margin", &Pd::margin, "share", 0.25, -0.5, 5, "asking price = unit cost x (1 + margin)", assume()),
    number("price_noise_sd", &Pd::price_noise_sd, "share", 0.03, 0, 1, "relative sd of the weekly asking price", assume()),
    number("admin_hours_per_week", &Pd::admin_hours_per_week, "hours per week", 1, 0, 80, "hours spent on municipal sales", assume()),
    number("offer_share_initial", &Pd::offer_share_initial, "share", 0.3, 0, 1, "share of available kg offered to the local channel at the start", assume()),
    number("delivery_radius_km", &Pd::delivery_radius_km, "km", 30, 0, 2000, "serves hubs within this road distance (and always its home hub)"),
    boolean("active", &Pd::active, true, "active in the municipal channel at the start"),
    boolean("aware", &Pd::aware, false, "if not active: already knows of the channel at the start"),
    number("entry_cost_hours", &Pd::entry_cost_hours, "hours", 40, 0, 10000, "food-safety paperwork, platform registration, bids", assume()),
    number("entry_cost_nok", &Pd::entry_cost_nok, "NOK", 3000, 0, 1e8, "fees and equipment to join", assume()),
    number("growth_per_year", &Pd::growth_per_year, "share", 0.1, 0, 1, "area growth after a season of demand above capacity, bounded", assume()),
    number("exit_income_floor_nok", &Pd::exit_income_floor_nok, "NOK per season", 0, 0, 1e9, "leaves after two seasons with municipal income below this (0 = off)"),
    by_category("area_daa", &Pd::area_daa, "daa", {}, 0, 1e6, "decares grown, by category"),
  }};
  return s;
}

// [buyers.<id>]
template <>
const SectionRows<BuyerParams>& rows_of<BuyerParams>() {
  using By = BuyerParams;
  static const SectionRows<BuyerParams> s{"buyers.<id>", "A kitchen unit, or a group of `count` alike units. Over a base (and by --set), a table id that names no unit below is refused as a misspelling unless the table gives its municipality (a new unit).", {
    text("type", &By::type, "buyer type", required, "kindergarten, sfo, school, nursing_home, day_centre_canteen or central_kitchen (required)"),
    text("municipality", unbound, "municipality id", required, "municipality (required)"),
    integer("count", unbound, "units", 1, 1, kMaxUnitsPerMunicipality, "number of units this entry makes (a municipality has at most 5,000 units)"),
    integer("eaters", unbound, "persons per unit", derived, 0, 1e6, "children or residents per unit (give this or eaters_total)"),
    integer("eaters_total", unbound, "persons", derived, 0, 1e8, "children or residents over all units, split evenly"),
    point("position_km", &By::position, derived, "position; default generated within the municipality"),
    number("local_preference", &By::local_preference, "0-1", derived, 0, 1, "overrides the type's local preference"),
  }};
  return s;
}

}  // namespace lokalmat::schema

namespace lokalmat {

// ---------------------------------------------------------------- the structs' defaults

ProducerParams::ProducerParams() { schema::apply_defaults(*this, schema::rows_of<ProducerParams>().rows); }
BuyerParams::BuyerParams() { schema::apply_defaults(*this, schema::rows_of<BuyerParams>().rows); }

}  // namespace lokalmat
