#pragma once
// A farm's decision to join the municipal channel (MODEL.md §3 "Producer": aware ->
// qualified -> active), shared by the yearly review (sim/phases/production.cpp) and
// purchasing systems, where farms qualify in any week (sim/rules/dynamic_purchasing.cpp).
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

// the farms active on each market [h], counted once before farms decide (a count per farm
// would make every decision cost a pass over its market's farms: quadratic in farms)
std::vector<double> active_farms_per_market(const State& s);
// a farm's expected yearly gain from joining the municipal channel, NOK: the unmet demand on
// its open markets (shared with the farms already active there) at its margin over its other
// markets, less its admin hours; active_farms from active_farms_per_market
double expected_entry_gain(const Params& p, const State& s, std::size_t i, const std::vector<double>& active_farms);
// it joins when the expected gain beats the entry cost; supplier development and trust cut that cost
bool wants_to_join(const Params& p, const State& s, std::size_t i, const std::vector<double>& active_farms);
// which of the aware farms `candidates` join in one round of decisions (the yearly review, or a
// week's qualification to a purchasing system): in the order of their expected gain (highest
// first, ties by id), each joins while its gain, with the unmet demand shared with the farms
// active and those already joining on each of its markets, beats its entry cost. So no more farms
// join than the unmet demand pays for (free entry), however many decide at once (D35). Serial
// in that order, so the same at any thread count; returned in the order they decided
std::vector<std::uint32_t> farms_that_join(const Params& p, const State& s, const std::vector<std::uint32_t>& candidates);
// The active farms of each municipality binned in square cells at least as wide as the
// neighbour radius (straight-line km), so that counting a farm's active neighbours looks at
// the cells around it, not at every farm: linear in farms rather than quadratic. The count is
// that of a pass over every farm: the same test decides, on the farms of the 5 x 5 cells
// around (one cell more each way than geometry needs, so that rounding at a cell's edge
// cannot lose a neighbour). Built from the statuses as they stand.
class ActiveFarmGrid {
 public:
  ActiveFarmGrid(const Params& p, const State& s);
  // active farms of municipality m other than farm i within the neighbour radius, road km
  [[nodiscard]] int neighbours(const Params& p, std::size_t m, std::size_t i) const;

 private:
  using Cell = std::pair<std::int64_t, std::int64_t>;
  [[nodiscard]] Cell cell_of(Point q) const;
  double cell_km_ = 1.0;
  std::vector<std::vector<std::pair<Cell, std::uint32_t>>> cells_;  // [m] (cell, farm), sorted
};
// the farm enters the channel: its offers start afresh (writes only farm i's slots)
void enter_channel(const Params& p, State& s, std::size_t i);

}  // namespace lokalmat
