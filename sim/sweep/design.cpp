#include "sim/sweep/design.h"

#include <boost/random/sobol.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "sim/rng.h"

namespace lokalmat::sweep {
namespace {

// which design draws from Stream::design, kept in the Rng's week slot so that the
// Latin hypercube and the Morris trajectories of one seed are unrelated
constexpr std::uint64_t lhs_draws = 0;
constexpr std::uint64_t morris_draws = 1;

// designs are held in memory and counted in int (SweepDef::samples), so refuse anything larger
constexpr std::int64_t max_points = std::numeric_limits<int>::max();

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

std::string factor_name(const Factor& f, std::size_t index) {
  return f.key.empty() ? fmt::format("factor {}", index + 1) : fmt::format("factor '{}'", f.key);
}

// a design over ranges needs at least one factor, each with a finite range lo < hi
void check_ranges(const std::vector<Factor>& factors, std::string_view design) {
  require(!factors.empty(), fmt::format("{} design: no factors (k = 0)", design));
  for (std::size_t i = 0; i < factors.size(); ++i) {
    const Factor& f = factors[i];
    require(std::isfinite(f.lo) && std::isfinite(f.hi) && f.lo < f.hi,
            fmt::format("{} design: {} has range lo = {}, hi = {}; lo must be below hi", design,
                        factor_name(f, i), f.lo, f.hi));
  }
}

double rounded_if_integer(const Factor& f, double v) { return f.integer ? std::round(v) : v; }

Design empty_design(DesignKind kind, std::size_t k, int block_size, std::int64_t points) {
  Design d;
  d.kind = kind;
  d.k = static_cast<int>(k);
  d.block_size = block_size;
  d.unit.reserve(static_cast<std::size_t>(points));
  d.values.reserve(static_cast<std::size_t>(points));
  return d;
}

// append a point given in the unit cube; the values follow from the factors' ranges
void add_unit_point(Design& d, const std::vector<Factor>& factors, std::vector<double> unit) {
  std::vector<double> values(factors.size());
  for (std::size_t i = 0; i < factors.size(); ++i) values[i] = factor_value(factors[i], unit[i]);
  d.unit.push_back(std::move(unit));
  d.values.push_back(std::move(values));
}

// 0 .. n-1 in random order (Fisher-Yates, from the back)
std::vector<std::size_t> shuffled_indices(std::size_t n, Rng& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.index(i)]);
  return order;
}

// Boost's Sobol engine yields w = 64 bit integers, u = x / 2^64; keeping the top 53
// bits gives the same point as a double that is never rounded up to 1 (a Sobol point
// among the first 2^m has only m significant bits, so nothing is lost)
double sobol_unit(boost::random::sobol& sequence) {
  static_assert(boost::random::sobol::max() == std::numeric_limits<std::uint64_t>::max());
  return static_cast<double>(sequence() >> 11) * 0x1.0p-53;
}

// point indices in bit-reversed order (0, n/2, n/4, 3n/4, ...), indices >= n skipped
std::vector<std::int64_t> bit_reversal_order(std::int64_t n) {
  std::vector<std::int64_t> order;
  order.reserve(static_cast<std::size_t>(n));
  const auto bits = static_cast<int>(std::bit_width(static_cast<std::uint64_t>(n - 1)));
  const std::uint64_t span = std::uint64_t{1} << bits;
  for (std::uint64_t i = 0; i < span; ++i) {
    std::uint64_t reversed = 0;
    for (int b = 0; b < bits; ++b) reversed |= ((i >> b) & 1U) << (bits - 1 - b);
    if (reversed < static_cast<std::uint64_t>(n)) order.push_back(static_cast<std::int64_t>(reversed));
  }
  return order;
}

}  // namespace

std::string_view design_name(DesignKind k) {
  switch (k) {
    case DesignKind::factorial: return "factorial";
    case DesignKind::lhs: return "lhs";
    case DesignKind::sobol: return "sobol";
    case DesignKind::morris: return "morris";
  }
  return "unknown";
}

double factor_value(const Factor& f, double u) {
  if (f.categorical())
    return std::min(std::floor(u * static_cast<double>(f.choices.size())), static_cast<double>(f.choices.size() - 1));
  return rounded_if_integer(f, f.lo + u * (f.hi - f.lo));
}

Factor categorical_factor(std::string key, std::vector<std::string> choices) {
  Factor f;
  f.key = std::move(key);
  f.unit = "level";
  for (std::size_t j = 0; j < choices.size(); ++j) f.values.push_back(static_cast<double>(j));
  f.lo = 0;
  f.hi = static_cast<double>(choices.size());
  f.choices = std::move(choices);
  return f;
}

Design factorial(const std::vector<Factor>& factors) {
  require(!factors.empty(), "factorial design: no factors (k = 0)");
  std::int64_t points = 1;
  for (std::size_t i = 0; i < factors.size(); ++i) {
    const std::vector<double>& levels = factors[i].values;
    require(!levels.empty(), fmt::format("factorial design: {} has no values", factor_name(factors[i], i)));
    for (double v : levels)
      require(std::isfinite(v),
              fmt::format("factorial design: {} has a non-finite value", factor_name(factors[i], i)));
    // checked before multiplying, so the count cannot overflow
    require(points <= max_points / static_cast<std::int64_t>(levels.size()),
            fmt::format("factorial design: more than the limit of {} points", max_points));
    points *= static_cast<std::int64_t>(levels.size());
  }

  // an odometer over the level indices, the last factor turning fastest; a level's
  // unit coordinate is its position in the list, 0 .. 1 (a single level sits at 0.5)
  const std::size_t k = factors.size();
  Design d = empty_design(DesignKind::factorial, k, 1, points);
  std::vector<std::size_t> level(k, 0);
  for (std::int64_t p = 0; p < points; ++p) {
    std::vector<double> unit(k), values(k);
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t n_levels = factors[i].values.size();
      unit[i] = n_levels == 1 ? 0.5 : static_cast<double>(level[i]) / static_cast<double>(n_levels - 1);
      values[i] = rounded_if_integer(factors[i], factors[i].values[level[i]]);
    }
    d.unit.push_back(std::move(unit));
    d.values.push_back(std::move(values));
    for (std::size_t i = k; i-- > 0;) {
      if (++level[i] < factors[i].values.size()) break;
      level[i] = 0;
    }
  }
  return d;
}

Design latin_hypercube(const std::vector<Factor>& factors, int n, std::uint64_t seed) {
  check_ranges(factors, "lhs");
  require(n >= 1, fmt::format("lhs design: n = {} points, at least 1 needed", n));

  // each factor has its own draws (stratum permutation, then the jitter within each
  // stratum), so adding a factor leaves the columns of the others unchanged
  const std::size_t k = factors.size();
  const auto n_points = static_cast<std::size_t>(n);
  std::vector<std::vector<double>> unit(n_points, std::vector<double>(k));
  for (std::size_t i = 0; i < k; ++i) {
    Rng rng(seed, Stream::design, i, lhs_draws);
    const std::vector<std::size_t> stratum = shuffled_indices(n_points, rng);
    for (std::size_t p = 0; p < n_points; ++p)
      unit[p][i] = (static_cast<double>(stratum[p]) + rng.uniform()) / static_cast<double>(n);
  }

  Design d = empty_design(DesignKind::lhs, k, 1, n);
  for (std::vector<double>& point : unit) add_unit_point(d, factors, std::move(point));
  return d;
}

Design saltelli(const std::vector<Factor>& factors, int n_base, bool second_order) {
  check_ranges(factors, "sobol");
  require(n_base >= 1, fmt::format("sobol design: n = {} base points, at least 1 needed", n_base));
  const std::size_t k = factors.size();
  require(2 * k <= BOOST_RANDOM_SOBOL_MAX_DIMENSION,
          fmt::format("sobol design: k = {} factors, at most {} supported by the Sobol sequence", k,
                      BOOST_RANDOM_SOBOL_MAX_DIMENSION / 2));
  const auto block_size = static_cast<int>(second_order ? 2 * k + 2 : k + 2);
  require(n_base <= max_points / block_size,
          fmt::format("sobol design: {} base points of {} runs each, more than the limit of {} points", n_base,
                      block_size, max_points));
  const std::int64_t points = std::int64_t{n_base} * block_size;

  // point j of the 2k-dimensional sequence gives A_j (first k coordinates) and B_j
  // (last k); Boost's engine already starts after the origin (its first point is
  // 0.5, ..., 0.5), which Saltelli et al. (2010) leave out because it is degenerate
  boost::random::sobol sequence(2 * k);
  Design d = empty_design(DesignKind::sobol, k, block_size, points);
  std::vector<double> a(k), b(k);
  for (int j = 0; j < n_base; ++j) {
    for (double& u : a) u = sobol_unit(sequence);
    for (double& u : b) u = sobol_unit(sequence);
    add_unit_point(d, factors, a);
    add_unit_point(d, factors, b);
    // AB^(i): A with column i taken from B
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<double> ab = a;
      ab[i] = b[i];
      add_unit_point(d, factors, std::move(ab));
    }
    // BA^(i): B with column i taken from A (Saltelli 2002), for the second-order indices
    for (std::size_t i = 0; second_order && i < k; ++i) {
      std::vector<double> ba = b;
      ba[i] = a[i];
      add_unit_point(d, factors, std::move(ba));
    }
  }
  return d;
}

Design morris(const std::vector<Factor>& factors, int trajectories, int levels, std::uint64_t seed) {
  check_ranges(factors, "morris");
  require(trajectories >= 1, fmt::format("morris design: r = {} trajectories, at least 1 needed", trajectories));
  // Morris (1991) takes p even: the step p / (2 (p - 1)) is then p/2 grid intervals,
  // so every point stays on the grid and all levels are sampled equally often
  require(levels >= 2, fmt::format("morris design: p = {} levels, at least 2 needed", levels));
  require(levels % 2 == 0, fmt::format("morris design: p = {} levels; p must be even so that the step "
                                       "delta = p / (2 (p - 1)) stays on the p-level grid",
                                       levels));
  const std::size_t k = factors.size();
  require(static_cast<std::int64_t>(trajectories) <= max_points / static_cast<std::int64_t>(k + 1),
          fmt::format("morris design: {} trajectories of {} points, more than the limit of {} points",
                      trajectories, k + 1, max_points));

  // positions are counted in grid intervals 0 .. p-1 and converted to the unit cube
  // only when stored, so that every coordinate is exactly l / (p - 1)
  const int step = levels / 2;
  const auto last_level = static_cast<double>(levels - 1);
  const auto to_unit = [&](const std::vector<int>& position) {
    std::vector<double> unit(k);
    for (std::size_t i = 0; i < k; ++i) unit[i] = static_cast<double>(position[i]) / last_level;
    return unit;
  };

  // the B* construction of Morris (1991): a random base x* on the levels where
  // x* + delta <= 1, a random direction per factor (+delta from x*, or -delta from
  // x* + delta) and a random order in which the factors move, one at a time
  Design d = empty_design(DesignKind::morris, k, static_cast<int>(k) + 1,
                          std::int64_t{trajectories} * static_cast<std::int64_t>(k + 1));
  for (int t = 0; t < trajectories; ++t) {
    Rng rng(seed, Stream::design, static_cast<std::uint64_t>(t), morris_draws);
    std::vector<int> position(k), direction(k);
    for (int& l : position) l = static_cast<int>(rng.index(static_cast<std::uint64_t>(levels - step)));
    for (std::size_t i = 0; i < k; ++i) {
      direction[i] = rng.bernoulli(0.5) ? 1 : -1;
      if (direction[i] < 0) position[i] += step;
    }
    const std::vector<std::size_t> order = shuffled_indices(k, rng);
    add_unit_point(d, factors, to_unit(position));
    for (std::size_t i : order) {
      position[i] += direction[i] * step;
      add_unit_point(d, factors, to_unit(position));
    }
  }
  return d;
}

std::vector<std::int64_t> run_order(const Design& d, int replicates) {
  require(replicates >= 1, fmt::format("run order: {} replicates, at least 1 needed", replicates));
  const std::int64_t points = d.points();
  if (points == 0) return {};

  // the order of the points within each replicate
  std::vector<std::int64_t> point_order;
  if (d.kind == DesignKind::factorial || d.kind == DesignKind::lhs) {
    point_order = bit_reversal_order(points);
  } else {
    point_order.resize(static_cast<std::size_t>(points));
    std::iota(point_order.begin(), point_order.end(), std::int64_t{0});
  }

  std::vector<std::int64_t> order;
  order.reserve(static_cast<std::size_t>(points * replicates));
  for (int r = 0; r < replicates; ++r)
    for (std::int64_t p : point_order) order.push_back(p * replicates + r);
  return order;
}

}  // namespace lokalmat::sweep
