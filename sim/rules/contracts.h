#pragma once
// Contracts won in a competition, shared by lots and simple competitions
// (sim/rules/lots.cpp, sim/rules/simple_competition.cpp). A market holds at most
// one contract per category and season (in season: harvested locally; out of
// season), awarded to one farm or a group; while it runs, only its holders offer
// that category there, at the contract price, and the covered units buy from them.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat::contracts {

// season of a category in an ISO week: 1 when it is harvested locally, 0 otherwise
int season_of(const CategoryParams& cat, int iso_week);
// the slot of market h (or channel k) for a category and season in the contract columns
inline std::size_t slot(std::size_t h, std::size_t C, std::size_t c, int season) {
  return (h * C + c) * 2 + static_cast<std::size_t>(season);
}
// the contract in force on market h for category c this week
ContractKind in_force(const Params& p, const State& s, std::size_t h, std::size_t c);
// the channel k holds the contract of its market for category c this week
bool holds(const Params& p, const State& s, std::size_t k, std::size_t c);

// a contract whose holders have all left is void: the wholesaler supplies again
void void_unheld(const Params& p, State& s, std::size_t h);
// a new round of `kind` on market h: its contracts of that kind end, and running it costs the
// municipality its hours
void open_round(const Params& p, State& s, std::size_t h, ContractKind kind);

// a bid in a competition: one farm, a group, or the wholesaler (no channels)
struct Bid {
  std::vector<std::uint32_t> channels;  // farms bidding (their channels into the market); empty = the wholesaler
  double price = 0;                     // NOK/kg
  double capacity_kg = 0;
  double organic = 0;                   // organic share
  double co2e_per_kg = 0;               // transport kg CO2e per kg
  double seasonality = 0;               // 1 local in season, 0.5 local from store, wholesaler: Norwegian share
  double score = 0;
};

// kg a market's covered units buy of a category over the weeks of one season in a year
double volume_kg(const Params& p, const State& s, std::size_t h, std::size_t c, int season);
// every slot a round on market h tenders: the covered categories in and out of season that the
// covered units buy (volume > 0, kg a year), in category order
template <class F>
void for_each_tendered_slot(const Params& p, const State& s, std::size_t h, F&& f) {
  for (int c_int : p.municipalities[s.markets.municipality[h]].exception_categories) {
    const auto c = static_cast<std::size_t>(c_int);
    for (int season = 0; season < 2; ++season) {
      const double volume = volume_kg(p, s, h, c, season);
      if (volume > 0) f(c, season, volume);
    }
  }
}
// the farms' bids for a category and season of market h: every farm that could supply it bids
// when the expected value beats the cost of writing a bid (in channel order)
std::vector<Bid> farm_bids(const Params& p, const State& s, std::size_t h, std::size_t c, int season, double volume);
// award a contract of `kind` at `price` (NOK/kg, this week's prices) to the channels of a bid
void award(const Params& p, State& s, std::size_t h, std::size_t c, int season, ContractKind kind, double price,
           const std::vector<std::uint32_t>& channels);

}  // namespace lokalmat::contracts
