#include "results/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "sim/rng.h"

namespace lokalmat {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// where dropped runs lie: a permutation test when either side has fewer runs than this
constexpr std::size_t kPermutationBelow = 25;
constexpr std::size_t kPermutationMaxRuns = 20000;  // beyond: the asymptotic p
constexpr int kPermutations = 1999;
constexpr double kExactSplits = 50000;  // up to this many splits, all of them (the exact p)

// n choose m, as a double (capped: only compared with kExactSplits)
double combinations(std::size_t n, std::size_t m) {
  double c = 1;
  for (std::size_t j = 0; j < m && c <= 1e12; ++j) c = c * static_cast<double>(n - j) / static_cast<double>(j + 1);
  return c;
}
constexpr std::uint64_t kPermutationSeed = 1;

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

// the checks shared by both analyses; returns the number of blocks in y
std::size_t check_input(std::span<const double> y, int k, int block_size, int bootstrap, double confidence,
                        const std::string& method) {
  require(k >= 1, method + ": k = " + std::to_string(k) + " factors, at least 1 needed");
  require(bootstrap >= 0, method + ": bootstrap = " + std::to_string(bootstrap) + ", must not be negative");
  require(confidence > 0.0 && confidence < 1.0,
          method + ": confidence = " + std::to_string(confidence) + ", must lie strictly between 0 and 1");
  const auto size = static_cast<std::size_t>(block_size);
  require(y.size() % size == 0, method + ": " + std::to_string(y.size()) +
                                    " values is not a multiple of the block size " + std::to_string(block_size));
  return y.size() / size;
}

// the blocks (base points, trajectories) whose values are all finite: a failed run
// leaves NaN in its block, and an estimate over a partial block would be biased
std::vector<std::size_t> finite_blocks(std::span<const double> y, std::size_t n_blocks, std::size_t block_size) {
  std::vector<std::size_t> used;
  for (std::size_t b = 0; b < n_blocks; ++b) {
    const auto block = y.subspan(b * block_size, block_size);
    if (std::all_of(block.begin(), block.end(), [](double v) { return std::isfinite(v); })) used.push_back(b);
  }
  return used;
}

// Percentile bootstrap: replicate r resamples the used blocks with replacement,
// drawing from its own Philox counters (agent slot = r), so it is the same whatever
// the number of replicates. `estimate` maps a list of blocks to a fixed number of
// values; the result is [value][replicate].
template <class Estimator>
std::vector<std::vector<double>> bootstrap_replicates(const std::vector<std::size_t>& blocks, int bootstrap,
                                                      std::uint64_t seed, std::size_t n_values,
                                                      const Estimator& estimate) {
  std::vector<std::vector<double>> replicates(n_values, std::vector<double>(static_cast<std::size_t>(bootstrap)));
  std::vector<std::size_t> sample(blocks.size());
  for (int r = 0; r < bootstrap; ++r) {
    Rng rng(seed, Stream::bootstrap, static_cast<std::uint64_t>(r), 0);
    for (std::size_t& b : sample) b = blocks[rng.index(blocks.size())];
    const std::vector<double> values = estimate(sample);
    for (std::size_t v = 0; v < n_values; ++v) replicates[v][static_cast<std::size_t>(r)] = values[v];
  }
  return replicates;
}

// quantile q of sorted values, interpolated linearly between order statistics
// (Hyndman & Fan type 7, the default of R and NumPy)
double quantile(const std::vector<double>& sorted, double q) {
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto i = static_cast<std::size_t>(std::floor(h));
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (h - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

// The estimate with the central `confidence` interval of its bootstrap replicates;
// replicates that came out non-finite (a resample without variance) are left out, and
// without any replicate (bootstrap = 0) the interval is NaN. Centred: the replicates' spread
// placed around the estimate, their median moved onto it and the ends clipped to [0, 1] (a
// resample with replacement repeats points, which widens every KS distance between empirical
// distributions; the shift would otherwise put the interval above the estimate).
Estimate with_interval(double value, std::vector<double> replicates, double confidence, bool centred = false) {
  std::erase_if(replicates, [](double v) { return !std::isfinite(v); });
  if (replicates.empty() || (centred && !std::isfinite(value))) return {value, not_a_number, not_a_number};
  std::sort(replicates.begin(), replicates.end());
  const double tail = (1.0 - confidence) / 2.0;
  const double lo = quantile(replicates, tail), hi = quantile(replicates, 1.0 - tail);
  if (!centred) return {value, lo, hi};
  const double shift = quantile(replicates, 0.5) - value;
  return {value, std::max(0.0, lo - shift), std::min(1.0, hi - shift)};
}

// Sobol indices of one list of base points (all blocks used, or a bootstrap resample)
struct SobolEstimates {
  double variance = 0;
  std::vector<double> s1_saltelli, s1_jansen, st_jansen;  // [k]
  std::vector<double> s2;                                 // second order: the pairs i < j in row order
};

SobolEstimates estimate_sobol(std::span<const double> y, std::size_t k, const std::vector<std::size_t>& blocks,
                              bool second_order) {
  // block layout: A, B, AB^(1) .. AB^(k), then BA^(1) .. BA^(k) in the second-order design
  const std::size_t block_size = second_order ? 2 * k + 2 : k + 2;
  const auto f_a = [&](std::size_t b) { return y[b * block_size]; };
  const auto f_b = [&](std::size_t b) { return y[b * block_size + 1]; };
  const auto f_ab = [&](std::size_t b, std::size_t i) { return y[b * block_size + 2 + i]; };
  const auto n = static_cast<double>(blocks.size());

  // mean and population variance of the 2N values f(A), f(B)
  double sum = 0;
  for (std::size_t b : blocks) sum += f_a(b) + f_b(b);
  const double mean = sum / (2.0 * n);
  double sum_sq = 0;
  for (std::size_t b : blocks) sum_sq += (f_a(b) - mean) * (f_a(b) - mean) + (f_b(b) - mean) * (f_b(b) - mean);

  SobolEstimates e;
  e.variance = sum_sq / (2.0 * n);
  e.s1_saltelli.resize(k);
  e.s1_jansen.resize(k);
  e.st_jansen.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    double saltelli = 0, jansen_first = 0, jansen_total = 0;
    for (std::size_t b : blocks) {
      // f(B) centred on the mean: the expectation is unchanged (f(AB) - f(A) has mean 0),
      // but the estimate no longer depends on an additive constant in the output
      saltelli += (f_b(b) - mean) * (f_ab(b, i) - f_a(b));
      jansen_first += (f_b(b) - f_ab(b, i)) * (f_b(b) - f_ab(b, i));
      jansen_total += (f_a(b) - f_ab(b, i)) * (f_a(b) - f_ab(b, i));
    }
    e.s1_saltelli[i] = saltelli / n / e.variance;
    e.s1_jansen[i] = (e.variance - jansen_first / (2.0 * n)) / e.variance;
    e.st_jansen[i] = jansen_total / (2.0 * n) / e.variance;
  }
  if (!second_order) return e;
  const auto f_ba = [&](std::size_t b, std::size_t i) { return y[b * block_size + 2 + k + i]; };
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j) {
      // the closed index V_i + V_j + V_ij: f(BA^(i)) and f(AB^(j)) share x_i (from A) and x_j (from B)
      double closed = 0;
      for (std::size_t b : blocks)
        closed += (f_ba(b, i) - mean) * (f_ab(b, j) - mean) - (f_a(b) - mean) * (f_b(b) - mean);
      e.s2.push_back(closed / n / e.variance - e.s1_saltelli[i] - e.s1_saltelli[j]);
    }
  return e;
}

// the three index vectors one after the other, as the bootstrap collects them
std::vector<double> flatten(const SobolEstimates& e) {
  std::vector<double> all = e.s1_saltelli;
  all.insert(all.end(), e.s1_jansen.begin(), e.s1_jansen.end());
  all.insert(all.end(), e.st_jansen.begin(), e.st_jansen.end());
  all.insert(all.end(), e.s2.begin(), e.s2.end());
  return all;
}

// mean |EE| per factor over a list of trajectories
std::vector<double> mean_abs_effects(const std::vector<std::vector<double>>& effects, std::size_t k,
                                     const std::vector<std::size_t>& trajectories) {
  std::vector<double> mu_star(k, 0.0);
  for (std::size_t t : trajectories)
    for (std::size_t i = 0; i < k; ++i) mu_star[i] += std::abs(effects[t][i]);
  for (double& m : mu_star) m /= static_cast<double>(trajectories.size());
  return mu_star;
}

// Elementary effects of one trajectory, [factor]: each step must move exactly one
// factor and every factor must move exactly once (Morris 1991); NaN where y is not finite.
std::vector<double> elementary_effects(std::span<const double> y, const std::vector<std::vector<double>>& unit,
                                       std::size_t k, std::size_t trajectory) {
  const std::string where = "morris: trajectory " + std::to_string(trajectory);
  const std::size_t first = trajectory * (k + 1);
  std::vector<double> effects(k, not_a_number);
  std::vector<bool> moved(k, false);
  for (std::size_t p = first; p < first + k; ++p) {
    const std::vector<double>& from = unit[p];
    const std::vector<double>& to = unit[p + 1];
    std::size_t factor = k;
    for (std::size_t i = 0; i < k; ++i) {
      if (from[i] == to[i]) continue;
      require(factor == k, where + ": points " + std::to_string(p) + " and " + std::to_string(p + 1) +
                               " differ in more than one factor");
      factor = i;
    }
    require(factor < k, where + ": points " + std::to_string(p) + " and " + std::to_string(p + 1) + " are equal");
    require(!moved[factor], where + ": factor " + std::to_string(factor + 1) + " moves twice");
    moved[factor] = true;
    // delta signed, in unit-cube coordinates
    effects[factor] = (y[p + 1] - y[p]) / (to[factor] - from[factor]);
  }
  return effects;
}

// the two-sample Kolmogorov-Smirnov distance sup |F_a - F_b| of two sorted samples
double ks_distance(const std::vector<double>& a, const std::vector<double>& b) {
  const auto na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  std::size_t i = 0, j = 0;
  double d = 0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] <= x) ++i;
    while (j < b.size() && b[j] <= x) ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
  }
  return d;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2.0;
}

// The PAWN groups of factor i over a list of points: sorted by the factor's value, cut
// into `slices` runs of about equal size, a run of tied values never split (so a
// factorial's level is one group). Each group lists positions in `points`.
std::vector<std::vector<std::size_t>> pawn_groups(const std::vector<std::vector<double>>& unit,
                                                  const std::vector<std::size_t>& points, std::size_t i,
                                                  std::size_t slices) {
  std::vector<std::size_t> order(points.size());
  for (std::size_t p = 0; p < order.size(); ++p) order[p] = p;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return unit[points[a]][i] < unit[points[b]][i]; });
  std::vector<std::vector<std::size_t>> groups;
  std::size_t last_slice = slices;  // none yet
  for (std::size_t r = 0; r < order.size();) {
    std::size_t end = r;
    while (end < order.size() && unit[points[order[end]]][i] == unit[points[order[r]]][i]) ++end;
    const std::size_t slice = r * slices / order.size();
    if (slice != last_slice) groups.emplace_back();
    last_slice = slice;
    groups.back().insert(groups.back().end(), order.begin() + static_cast<std::ptrdiff_t>(r),
                         order.begin() + static_cast<std::ptrdiff_t>(end));
    r = end;
  }
  return groups;
}

// PAWN median and maximum per factor (2k values: medians, then maxima) over a list of points
std::vector<double> estimate_pawn(std::span<const double> y, const std::vector<std::vector<double>>& unit,
                                  std::size_t k, std::size_t slices, const std::vector<std::size_t>& points) {
  std::vector<double> all(points.size());
  for (std::size_t p = 0; p < points.size(); ++p) all[p] = y[points[p]];
  std::sort(all.begin(), all.end());
  std::vector<double> out(2 * k, not_a_number);
  for (std::size_t i = 0; i < k; ++i) {
    const auto groups = pawn_groups(unit, points, i, slices);
    if (groups.size() < 2) continue;  // the factor does not vary here
    std::vector<double> distances;
    for (const auto& g : groups) {
      std::vector<double> part(g.size());
      for (std::size_t q = 0; q < g.size(); ++q) part[q] = y[points[g[q]]];
      std::sort(part.begin(), part.end());
      distances.push_back(ks_distance(part, all));
    }
    out[i] = median_of(distances);
    out[k + i] = *std::max_element(distances.begin(), distances.end());
  }
  return out;
}

// average ranks (1..n), ties sharing the mean of their positions
std::vector<double> ranks_of(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  for (std::size_t p = 0; p < order.size(); ++p) order[p] = p;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t s = 0; s < order.size();) {
    std::size_t e = s;
    while (e < order.size() && v[order[e]] == v[order[s]]) ++e;
    const double mean_rank = (static_cast<double>(s) + static_cast<double>(e - 1)) / 2.0 + 1.0;
    for (std::size_t q = s; q < e; ++q) r[order[q]] = mean_rank;
    s = e;
  }
  return r;
}

// standardise in place (mean 0, population sd 1); false when the values do not vary
bool standardise(std::vector<double>& v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / static_cast<double>(v.size()));
  if (!(sd > 0)) return false;
  for (double& x : v) x = (x - mean) / sd;
  return true;
}

// solve the symmetric system a x = b by Gaussian elimination with partial pivoting;
// false when it is singular
bool solve(std::vector<std::vector<double>> a, std::vector<double>& b) {
  const std::size_t m = b.size();
  for (std::size_t c = 0; c < m; ++c) {
    std::size_t piv = c;
    for (std::size_t r = c + 1; r < m; ++r)
      if (std::abs(a[r][c]) > std::abs(a[piv][c])) piv = r;
    if (!(std::abs(a[piv][c]) > 1e-12)) return false;
    std::swap(a[c], a[piv]);
    std::swap(b[c], b[piv]);
    for (std::size_t r = c + 1; r < m; ++r) {
      const double f = a[r][c] / a[c][c];
      for (std::size_t q = c; q < m; ++q) a[r][q] -= f * a[c][q];
      b[r] -= f * b[c];
    }
  }
  for (std::size_t c = m; c-- > 0;) {
    for (std::size_t q = c + 1; q < m; ++q) b[c] -= a[c][q] * b[q];
    b[c] /= a[c][c];
  }
  return true;
}

// SRRC per factor, then r2 (k + 1 values) over a list of points
std::vector<double> estimate_srrc(std::span<const double> y, const std::vector<std::vector<double>>& unit,
                                  std::size_t k, const std::vector<std::size_t>& points) {
  std::vector<double> out(k + 1, not_a_number);
  std::vector<double> yr(points.size());
  for (std::size_t p = 0; p < points.size(); ++p) yr[p] = y[points[p]];
  yr = ranks_of(yr);
  if (!standardise(yr)) return out;
  std::vector<std::size_t> active;
  std::vector<std::vector<double>> x;  // [active factor][point]
  for (std::size_t i = 0; i < k; ++i) {
    std::vector<double> xi(points.size());
    for (std::size_t p = 0; p < points.size(); ++p) xi[p] = unit[points[p]][i];
    xi = ranks_of(xi);
    if (!standardise(xi)) continue;
    active.push_back(i);
    x.push_back(std::move(xi));
  }
  const std::size_t m = active.size();
  if (m == 0) return out;
  std::vector<std::vector<double>> xtx(m, std::vector<double>(m, 0.0));
  std::vector<double> xty(m, 0.0);
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t b = a; b < m; ++b) {
      double s = 0;
      for (std::size_t p = 0; p < points.size(); ++p) s += x[a][p] * x[b][p];
      xtx[a][b] = xtx[b][a] = s;
    }
    for (std::size_t p = 0; p < points.size(); ++p) xty[a] += x[a][p] * yr[p];
  }
  if (!solve(xtx, xty)) return out;
  double ss_res = 0;
  for (std::size_t p = 0; p < points.size(); ++p) {
    double fit = 0;
    for (std::size_t a = 0; a < m; ++a) fit += xty[a] * x[a][p];
    ss_res += (yr[p] - fit) * (yr[p] - fit);
  }
  for (std::size_t a = 0; a < m; ++a) out[active[a]] = xty[a];
  out[k] = 1.0 - ss_res / static_cast<double>(points.size());  // the standardised ranks sum to n in squares
  return out;
}

// the points whose value is finite; `what` names the analysis for the error
std::vector<std::size_t> finite_points(std::span<const double> y, const std::vector<std::vector<double>>& unit,
                                       int k, int bootstrap, double confidence, const std::string& what) {
  check_input(y, k, 1, bootstrap, confidence, what);
  require(unit.size() == y.size(), what + ": " + std::to_string(unit.size()) + " points in the design but " +
                                       std::to_string(y.size()) + " values");
  for (const std::vector<double>& point : unit)
    require(point.size() == static_cast<std::size_t>(k), what + ": a design point has " +
                                                             std::to_string(point.size()) + " coordinates, expected " +
                                                             std::to_string(k));
  const std::vector<std::size_t> used = finite_blocks(y, y.size(), 1);
  require(used.size() >= 3, what + ": " + std::to_string(used.size()) + " points with a finite value (of " +
                                std::to_string(y.size()) + "), at least 3 needed");
  return used;
}

}  // namespace

SobolResult sobol_indices(std::span<const double> y, int k, int bootstrap, double confidence, std::uint64_t seed,
                          bool second_order) {
  const int block = second_order ? 2 * k + 2 : k + 2;
  const std::size_t n_blocks = check_input(y, k, block, bootstrap, confidence, "sobol");
  const auto factors = static_cast<std::size_t>(k);
  const std::vector<std::size_t> used = finite_blocks(y, n_blocks, static_cast<std::size_t>(block));
  require(!used.empty(), "sobol: no base point with every value finite (of " + std::to_string(n_blocks) + ")");

  const std::size_t pairs = second_order ? factors * (factors - 1) / 2 : 0;
  const SobolEstimates point = estimate_sobol(y, factors, used, second_order);
  const auto replicates = bootstrap_replicates(used, bootstrap, seed, 3 * factors + pairs,
                                               [&](const std::vector<std::size_t>& sample) {
                                                 return flatten(estimate_sobol(y, factors, sample, second_order));
                                               });

  SobolResult r;
  r.k = k;
  r.blocks_used = static_cast<int>(used.size());
  r.variance = point.variance;
  // replicates are in the order of flatten(): S1 Saltelli, S1 Jansen, ST Jansen
  for (std::size_t i = 0; i < factors; ++i) {
    r.s1_saltelli.push_back(with_interval(point.s1_saltelli[i], replicates[i], confidence));
    r.s1_jansen.push_back(with_interval(point.s1_jansen[i], replicates[factors + i], confidence));
    r.st_jansen.push_back(with_interval(point.st_jansen[i], replicates[2 * factors + i], confidence));
  }
  r.second_order = second_order;
  if (second_order) {
    r.s2.assign(factors, std::vector<Estimate>(factors, Estimate{not_a_number, not_a_number, not_a_number}));
    std::size_t pair = 0;
    for (std::size_t i = 0; i < factors; ++i)
      for (std::size_t j = i + 1; j < factors; ++j, ++pair)
        r.s2[i][j] = r.s2[j][i] = with_interval(point.s2[pair], replicates[3 * factors + pair], confidence);
  }
  return r;
}

MorrisResult morris_indices(std::span<const double> y, const std::vector<std::vector<double>>& unit, int k,
                            int bootstrap, double confidence, std::uint64_t seed) {
  const std::size_t n_traj = check_input(y, k, k + 1, bootstrap, confidence, "morris");
  const auto factors = static_cast<std::size_t>(k);
  require(unit.size() == y.size(), "morris: " + std::to_string(unit.size()) + " points in the design but " +
                                       std::to_string(y.size()) + " values");
  for (const std::vector<double>& point : unit)
    require(point.size() == factors, "morris: a design point has " + std::to_string(point.size()) +
                                         " coordinates, expected " + std::to_string(k));

  // every trajectory's structure is checked, even where its values are not finite
  std::vector<std::vector<double>> effects(n_traj);
  for (std::size_t t = 0; t < n_traj; ++t) effects[t] = elementary_effects(y, unit, factors, t);
  const std::vector<std::size_t> used = finite_blocks(y, n_traj, factors + 1);
  require(!used.empty(), "morris: no trajectory with every value finite (of " + std::to_string(n_traj) + ")");
  const auto n = static_cast<double>(used.size());

  MorrisResult r;
  r.k = k;
  r.trajectories_used = static_cast<int>(used.size());
  r.mu.assign(factors, 0.0);
  r.sigma.assign(factors, 0.0);
  for (std::size_t t : used)
    for (std::size_t i = 0; i < factors; ++i) r.mu[i] += effects[t][i];
  for (double& m : r.mu) m /= n;
  // sample standard deviation (divisor n - 1), undefined for a single trajectory
  for (std::size_t i = 0; i < factors; ++i) {
    double sum_sq = 0;
    for (std::size_t t : used) sum_sq += (effects[t][i] - r.mu[i]) * (effects[t][i] - r.mu[i]);
    r.sigma[i] = used.size() > 1 ? std::sqrt(sum_sq / (n - 1.0)) : not_a_number;
  }

  const std::vector<double> mu_star = mean_abs_effects(effects, factors, used);
  const auto replicates = bootstrap_replicates(used, bootstrap, seed, factors,
                                               [&](const std::vector<std::size_t>& sample) {
                                                 return mean_abs_effects(effects, factors, sample);
                                               });
  for (std::size_t i = 0; i < factors; ++i)
    r.mu_star.push_back(with_interval(mu_star[i], replicates[i], confidence));
  return r;
}

PawnResult pawn_indices(std::span<const double> y, const std::vector<std::vector<double>>& unit, int k, int slices,
                        int bootstrap, double confidence, std::uint64_t seed) {
  require(slices >= 2, "pawn: " + std::to_string(slices) + " slices, at least 2 needed");
  const std::vector<std::size_t> used = finite_points(y, unit, k, bootstrap, confidence, "pawn");
  const auto factors = static_cast<std::size_t>(k);
  const auto s = static_cast<std::size_t>(slices);
  const std::vector<double> point = estimate_pawn(y, unit, factors, s, used);
  const auto replicates = bootstrap_replicates(used, bootstrap, seed, 2 * factors,
                                               [&](const std::vector<std::size_t>& sample) {
                                                 return estimate_pawn(y, unit, factors, s, sample);
                                               });
  PawnResult r;
  r.k = k;
  r.points_used = static_cast<int>(used.size());
  r.slices = slices;
  const auto n = static_cast<double>(used.size());
  double groups = 0;
  for (std::size_t i = 0; i < factors; ++i) {
    r.median.push_back(with_interval(point[i], replicates[i], confidence, true));
    r.max.push_back(with_interval(point[factors + i], replicates[factors + i], confidence, true));
    groups += static_cast<double>(std::max<std::size_t>(pawn_groups(unit, used, i, s).size(), 1));
  }
  const double group_size = n / (groups / static_cast<double>(factors));
  r.ks_critical = 1.358 * std::sqrt(1.0 / group_size + 1.0 / n);
  return r;
}

RankRegressionResult srrc_indices(std::span<const double> y, const std::vector<std::vector<double>>& unit, int k,
                                  int bootstrap, double confidence, std::uint64_t seed) {
  const std::vector<std::size_t> used = finite_points(y, unit, k, bootstrap, confidence, "srrc");
  const auto factors = static_cast<std::size_t>(k);
  const std::vector<double> point = estimate_srrc(y, unit, factors, used);
  const auto replicates = bootstrap_replicates(used, bootstrap, seed, factors,
                                               [&](const std::vector<std::size_t>& sample) {
                                                 auto v = estimate_srrc(y, unit, factors, sample);
                                                 v.pop_back();
                                                 return v;
                                               });
  RankRegressionResult r;
  r.k = k;
  r.points_used = static_cast<int>(used.size());
  r.r2 = point[factors];
  for (std::size_t i = 0; i < factors; ++i) r.srrc.push_back(with_interval(point[i], replicates[i], confidence));
  return r;
}

SeedShare seed_variance_share(std::span<const double> y, std::span<const std::int64_t> point) {
  require(y.size() == point.size(), "seed share: " + std::to_string(y.size()) + " values but " +
                                        std::to_string(point.size()) + " point numbers");
  std::vector<std::size_t> order;
  for (std::size_t r = 0; r < y.size(); ++r)
    if (std::isfinite(y[r])) order.push_back(r);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return point[a] < point[b]; });
  SeedShare s;
  double within = 0, sum = 0;
  std::vector<double> kept;
  for (std::size_t a = 0; a < order.size();) {
    std::size_t e = a;
    while (e < order.size() && point[order[e]] == point[order[a]]) ++e;
    if (e - a >= 2) {
      double mean = 0;
      for (std::size_t q = a; q < e; ++q) mean += y[order[q]];
      mean /= static_cast<double>(e - a);
      double ss = 0;
      for (std::size_t q = a; q < e; ++q) {
        ss += (y[order[q]] - mean) * (y[order[q]] - mean);
        kept.push_back(y[order[q]]);
        sum += y[order[q]];
      }
      within += ss / static_cast<double>(e - a - 1);
      ++s.points;
    }
    a = e;
  }
  s.runs = static_cast<int>(kept.size());
  if (s.points == 0) {
    s.share = not_a_number;
    return s;
  }
  const double mean = sum / static_cast<double>(kept.size());
  double ss = 0;
  for (double v : kept) ss += (v - mean) * (v - mean);
  const double total = ss / static_cast<double>(kept.size() - 1);
  s.share = total > 0 ? within / s.points / total : not_a_number;
  return s;
}

double kolmogorov_q(double lambda) {
  if (lambda < 0.2) return 1.0;  // the series converges slowly there, and Q is 1 to 9 digits
  const double a2 = -2.0 * lambda * lambda;
  double fac = 2.0, sum = 0.0, previous = 0.0;
  for (int j = 1; j <= 100; ++j) {
    const double term = fac * std::exp(a2 * j * j);
    sum += term;
    if (std::abs(term) <= 0.001 * previous || std::abs(term) <= 1e-8 * sum) return std::clamp(sum, 0.0, 1.0);
    fac = -fac;
    previous = std::abs(term);
  }
  return 1.0;
}

std::vector<DropCluster> clustered_drops(const std::vector<std::vector<double>>& dropped,
                                         const std::vector<std::vector<double>>& kept, int k, double alpha) {
  std::vector<DropCluster> out;
  if (dropped.empty() || kept.empty()) return out;
  const std::size_t n1 = dropped.size(), n2 = kept.size(), n = n1 + n2;
  const double ne = std::sqrt(static_cast<double>(n1) * static_cast<double>(n2) / static_cast<double>(n));
  // few runs on one side: the asymptotic p is poor, a permutation test is cheap
  const bool permute = std::min(n1, n2) < kPermutationBelow && n <= kPermutationMaxRuns;
  for (int i = 0; i < k; ++i) {
    const auto iu = static_cast<std::size_t>(i);
    std::vector<double> all;
    for (const auto& p : dropped) all.push_back(p.at(iu));
    for (const auto& p : kept) all.push_back(p.at(iu));
    // the KS distance of a split, given which runs (by position in `all`) are on the dropped side:
    // one walk over the values in order, tied values stepping together
    std::vector<std::size_t> order(n);
    for (std::size_t j = 0; j < n; ++j) order[j] = j;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return all[a] < all[b]; });
    const auto distance = [&](const std::vector<char>& side) {
      double c1 = 0, c2 = 0, dmax = 0;
      for (std::size_t j = 0; j < n;) {
        const double v = all[order[j]];
        for (; j < n && all[order[j]] == v; ++j) (side[order[j]] ? c1 : c2) += 1;
        dmax = std::max(dmax, std::abs(c1 / static_cast<double>(n1) - c2 / static_cast<double>(n2)));
      }
      return dmax;
    };
    std::vector<char> side(n, 0);
    std::fill(side.begin(), side.begin() + static_cast<std::ptrdiff_t>(n1), 1);
    const double d = distance(side);
    double p = 1;
    if (permute && combinations(n, n1) <= kExactSplits) {
      // every split of the same runs into n1 and n2: the exact p
      std::vector<std::size_t> c(n1);
      for (std::size_t j = 0; j < n1; ++j) c[j] = j;
      double as_far = 0, splits = 0;
      for (;;) {
        std::fill(side.begin(), side.end(), 0);
        for (std::size_t j : c) side[j] = 1;
        as_far += distance(side) >= d - 1e-12 ? 1 : 0;
        splits += 1;
        std::size_t j = n1;  // the next combination in lexicographic order
        while (j > 0 && c[j - 1] == n - n1 + j - 1) --j;
        if (j == 0) break;
        ++c[j - 1];
        for (std::size_t q = j; q < n1; ++q) c[q] = c[q - 1] + 1;
      }
      p = as_far / splits;
    } else if (permute) {
      // the share of random splits of the same runs at least as far apart (Philox, fixed seed)
      int as_far = 0;
      std::vector<std::size_t> pick(n);
      for (int r = 0; r < kPermutations; ++r) {
        Rng rng(kPermutationSeed, Stream::bootstrap, static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(i) + 1);
        for (std::size_t j = 0; j < n; ++j) pick[j] = j;
        std::fill(side.begin(), side.end(), 0);
        for (std::size_t j = 0; j < n1; ++j) {
          std::swap(pick[j], pick[j + rng.index(n - j)]);
          side[pick[j]] = 1;
        }
        as_far += distance(side) >= d - 1e-12 ? 1 : 0;
      }
      p = (1.0 + as_far) / (1.0 + kPermutations);
    } else {
      p = kolmogorov_q((ne + 0.12 + 0.11 / ne) * d);
    }
    if (p < alpha) {
      const auto [lo, hi] = std::minmax_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n1));
      out.push_back({i, d, p, *lo, *hi});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const DropCluster& x, const DropCluster& y) { return x.p < y.p; });
  return out;
}

}  // namespace lokalmat
