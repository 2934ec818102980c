// The nearest-neighbour tour (sim/world.h): from the start, always to the nearest stop not yet
// visited (ties to the stop listed first), then back to the start.
//
// A scan of every remaining stop at each step costs stops^2 road distances, which made a hub
// with thousands of farms take seconds per simulated week. Large tours look for the nearest stop
// in a grid of cells about one stop wide instead, widening the search ring by ring until no
// unseen cell can hold a nearer stop; the grid is rebuilt smaller as stops are visited. The
// answer is the scan's, bit for bit: the same distance function decides, on the same
// candidates, with the same tie rule (stops at one position are one grid entry, visited
// together at distance 0, in the order the scan visits them).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "sim/world.h"

namespace lokalmat {

namespace {

// below this many stops the plain scan is as fast as the grid
constexpr std::size_t kGridFromStops = 64;

double scan_tour_km(const BehaviourParams& b, Point start, std::vector<Point> stops) {
  double km = 0;
  Point at = start;
  while (!stops.empty()) {
    std::size_t best = 0;
    double best_km = road_km(b, at, stops[0]);
    for (std::size_t i = 1; i < stops.size(); ++i) {
      const double d = road_km(b, at, stops[i]);
      if (d < best_km) best_km = d, best = i;  // strict: ties go to the lower index
    }
    km += best_km;
    at = stops[best];
    stops.erase(stops.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return km + road_km(b, at, start);
}

// the stops not yet visited, as distinct positions in the order of their first listing (so a
// lower id is a stop listed earlier: the scan's tie rule), binned in square cells
class StopGrid {
 public:
  StopGrid(const std::vector<Point>& positions, std::vector<std::uint32_t> alive, Point start)
      : positions_(positions), alive_(std::move(alive)) {
    double x0 = start.x_km, x1 = start.x_km, y0 = start.y_km, y1 = start.y_km;
    for (std::uint32_t u : alive_) {
      x0 = std::min(x0, positions_[u].x_km), x1 = std::max(x1, positions_[u].x_km);
      y0 = std::min(y0, positions_[u].y_km), y1 = std::max(y1, positions_[u].y_km);
    }
    const double n = static_cast<double>(alive_.size());
    const double w = x1 - x0, h = y1 - y0;
    cell_km_ = std::max({std::sqrt(w * h / n), std::max(w, h) / n, 1e-9});
    x0_ = x0, y0_ = y0;
    nx_ = static_cast<std::int64_t>(w / cell_km_) + 1;
    ny_ = static_cast<std::int64_t>(h / cell_km_) + 1;
    cells_.assign(static_cast<std::size_t>(nx_ * ny_), {});
    for (std::uint32_t u : alive_) cells_[cell_index(positions_[u])].push_back(u);  // ascending ids in each cell
  }

  [[nodiscard]] std::size_t size() const { return left_; }

  // the nearest stop to `at` (ties to the lower id), removed from the grid
  std::uint32_t take_nearest(const BehaviourParams& b, Point at, double& best_km) {
    const auto [cx, cy] = cell_of(at);
    std::uint32_t best = UINT32_MAX;
    best_km = 0;
    const std::int64_t rings = std::max(nx_, ny_);
    for (std::int64_t r = 0; r <= rings; ++r) {
      // a stop in ring r is at least (r - 1) cells away; one more ring of slack keeps
      // rounding at a cell's edge from hiding a nearer stop
      if (best != UINT32_MAX && static_cast<double>(r - 2) * cell_km_ * b.road_factor > best_km) break;
      for (std::int64_t y = cy - r; y <= cy + r; ++y) {
        if (y < 0 || y >= ny_) continue;
        const bool edge_row = y == cy - r || y == cy + r;
        for (std::int64_t x = cx - r; x <= cx + r; x += (edge_row || r == 0) ? 1 : 2 * r) {
          if (x < 0 || x >= nx_) continue;
          for (std::uint32_t u : cells_[static_cast<std::size_t>(y * nx_ + x)]) {
            const double d = road_km(b, at, positions_[u]);
            if (best == UINT32_MAX || d < best_km || (d == best_km && u < best)) best = u, best_km = d;
          }
        }
      }
    }
    auto& cell = cells_[cell_index(positions_[best])];
    cell.erase(std::find(cell.begin(), cell.end(), best));
    --left_;
    return best;
  }

  // the ids still in the grid, ascending
  [[nodiscard]] std::vector<std::uint32_t> remaining() const {
    std::vector<std::uint32_t> out;
    for (const auto& cell : cells_) out.insert(out.end(), cell.begin(), cell.end());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::pair<std::int64_t, std::int64_t> cell_of(Point q) const {
    const auto clamp = [](double v, std::int64_t n) {
      return std::clamp(static_cast<std::int64_t>(std::floor(v)), std::int64_t{0}, n - 1);
    };
    return {clamp((q.x_km - x0_) / cell_km_, nx_), clamp((q.y_km - y0_) / cell_km_, ny_)};
  }
  std::size_t cell_index(Point q) const {
    const auto [x, y] = cell_of(q);
    return static_cast<std::size_t>(y * nx_ + x);
  }

  const std::vector<Point>& positions_;
  std::vector<std::uint32_t> alive_;
  std::size_t left_ = alive_.size();
  double x0_ = 0, y0_ = 0, cell_km_ = 1;
  std::int64_t nx_ = 1, ny_ = 1;
  std::vector<std::vector<std::uint32_t>> cells_;
};

double grid_tour_km(const BehaviourParams& b, Point start, const std::vector<Point>& stops) {
  // distinct positions in the order of first listing; a repeated position is visited with its first
  // listing, at distance 0 each (adding +0 km changes nothing)
  std::vector<std::uint32_t> order(stops.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t c) {
    return stops[a].x_km < stops[c].x_km || (stops[a].x_km == stops[c].x_km && stops[a].y_km < stops[c].y_km);
  });
  std::vector<std::uint32_t> first_listing;  // per distinct position, its first index in `stops`
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Point q = stops[order[k]];
    if (k == 0 || q.x_km != stops[order[k - 1]].x_km || q.y_km != stops[order[k - 1]].y_km)
      first_listing.push_back(order[k]);
  }
  std::sort(first_listing.begin(), first_listing.end());
  std::vector<Point> positions;
  positions.reserve(first_listing.size());
  for (std::uint32_t i : first_listing) positions.push_back(stops[i]);
  std::vector<std::uint32_t> alive(positions.size());
  for (std::uint32_t u = 0; u < alive.size(); ++u) alive[u] = u;

  double km = 0;
  Point at = start;
  auto grid = std::make_unique<StopGrid>(positions, std::move(alive), start);
  std::size_t built_with = grid->size();
  while (grid->size() > 0) {
    double step_km = 0;
    const std::uint32_t u = grid->take_nearest(b, at, step_km);
    km += step_km;
    at = positions[u];
    // fewer stops, smaller grid: rings of empty cells would slow every later step
    if (grid->size() > 0 && grid->size() * 4 < built_with) {
      grid = std::make_unique<StopGrid>(positions, grid->remaining(), at);
      built_with = grid->size();
    }
  }
  return km + road_km(b, at, start);
}

}  // namespace

double tour_km(const BehaviourParams& b, Point start, std::vector<Point> stops) {
  // positions whose differences stay finite (not NaN, not near the largest double) can be binned
  const auto binnable = [](Point q) { return std::abs(q.x_km) < 1e150 && std::abs(q.y_km) < 1e150; };
  if (stops.size() < kGridFromStops || !binnable(start) || !std::all_of(stops.begin(), stops.end(), binnable))
    return scan_tour_km(b, start, std::move(stops));
  return grid_tour_km(b, start, stops);
}

}  // namespace lokalmat
