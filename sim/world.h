#pragma once
// Small questions about the world that several phases and rules ask: distances,
// seasons, who the exception covers, the learning network, shared constants.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/params.h"

namespace lokalmat {

struct State;

// the sectors a municipality can bring together (MODEL.md §3 "Policy support"): procurement,
// kindergartens, SFO, nursing, day centre, agriculture, business
inline constexpr int kSectors = 7;
// a farm's or kitchen's contact id carries this bit for a kitchen (WorkerStore::contacts)
inline constexpr std::uint32_t kKitchenContactBit = 0x80000000u;
// kg per tonne, for emission factors given per tonne-km
inline constexpr double kKgPerTonne = 1000.0;
// grams per kg
inline constexpr double kGramsPerKg = 1000.0;

// a farm has sold out when it sold at least this share of what it offered (rounding aside)
inline constexpr double kSoldOutShare = 0.999;

// a participant with at least this many hours in a week counts as engaged in meaningful work
inline constexpr double kEngagedHoursPerWeek = 1.0;

// a noisy price never falls below this share of the price without noise
inline constexpr double kPriceNoiseFloor = 0.5;

inline double clamp01(double x) { return std::min(1.0, std::max(0.0, x)); }
bool contains(const std::vector<int>& v, int x);

// the index into a category's 52 weekly harvest weights for an ISO week (week 53 counts as 52)
int season_index(int iso_week);
// the category is harvested locally in this ISO week (every week for a year-round category)
bool in_season(const CategoryParams& cat, int iso_week);
// the category has a harvest window: some ISO weeks without harvest (not a year-round category)
bool has_harvest_window(const CategoryParams& cat);
// this ISO week is inside the category's harvest window: its Norwegian season. A year-round
// category (eggs, dairy, meat) has none, though in_season holds for it every week
bool in_harvest_window(const CategoryParams& cat, int iso_week);

// a kitchen type buys its food waste too: demand per eater-day x this (1 + waste / intake)
double waste_factor(const BuyerTypeParams& tp, std::size_t categories);

// a kitchen type serves meals in ISO week w unless w is one of its closed_weeks (holidays)
bool serves_in_week(const BuyerTypeParams& tp, int iso_week);
// the framework exception covers this kitchen type in the municipality
bool exception_covers(const MunicipalityParams& m, BuyerType t);
// the framework exception (and a quota, which is measured over the same list) covers category c
bool exception_covers_category(const MunicipalityParams& m, std::size_t c);
// the municipality is a member of the learning network
bool network_member(const Params& p, std::size_t m);
// sectors working together lower coordination cost: 1 with one sector, down to
// 1 - sector_coordination_cut with all seven
double coordination_factor(const PolicyParams& pol);
// the share of the hub's running cost the municipality pays itself this week: all of it for an
// integrated scheme or an ended project, 1 - project_grant_share while a project runs (ODD §7.23)
double municipal_cost_share(const PolicyParams& pol, const State& s, std::size_t m);
// n events a year, spread evenly over the ISO weeks (the first in week 1)
bool event_week(int per_year, int iso_week);

// A category's local supply route (ODD §7.34). Farms' harvest, stock, offers and sales are kept in
// kg of the product as kitchens buy it; prices are per kg of that product.
// A category not bought locally is kept in kg of the farm's produce and sold only outside.
// kitchens can buy it from local farms (local_route is not none)
bool bought_locally(const CategoryParams& cat);
// kg of the product from one kg of the farm's produce: the processing yield through a processor, else 1
double product_kg_per_farm_kg(const CategoryParams& cat);
// kg of the product a season's harvest on `area_daa` makes
double season_product_kg(const CategoryParams& cat, double area_daa);
// a farm's asking price before indexation and noise, NOK per kg of the product: its farm-gate
// price (unit cost x (1 + margin), organic farms more) for the produce in one kg of product, plus
// the processor's cost
double farm_unit_price_nok(const CategoryParams& cat, const ProducerParams& pp, const BehaviourParams& b);
// what the farm keeps of a price per kg of product, NOK: the processor's cost (indexed) goes to it
double farm_share_of_price_nok(const CategoryParams& cat, double price_nok_per_kg, double price_index);
// what the produce in one kg of product fetches in the farm's other markets, NOK, before indexation
double outside_value_nok_per_kg(const CategoryParams& cat);

// nearest-neighbour tour from `start` through every stop and back, road km (sim/tour.cpp)
double tour_km(const BehaviourParams& b, Point start, std::vector<Point> stops);

}  // namespace lokalmat
