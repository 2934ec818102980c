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

// the estimate with the central `confidence` interval of its bootstrap replicates;
// replicates that came out non-finite (a resample without variance) are left out,
// and without any replicate (bootstrap = 0) the interval is NaN
Estimate with_interval(double value, std::vector<double> replicates, double confidence) {
  std::erase_if(replicates, [](double v) { return !std::isfinite(v); });
  if (replicates.empty()) return {value, not_a_number, not_a_number};
  std::sort(replicates.begin(), replicates.end());
  const double tail = (1.0 - confidence) / 2.0;
  return {value, quantile(replicates, tail), quantile(replicates, 1.0 - tail)};
}

// Sobol indices of one list of base points (all blocks used, or a bootstrap resample)
struct SobolEstimates {
  double variance = 0;
  std::vector<double> s1_saltelli, s1_jansen, st_jansen;  // [k]
};

SobolEstimates estimate_sobol(std::span<const double> y, std::size_t k, const std::vector<std::size_t>& blocks) {
  // block layout: A, B, AB^(1) .. AB^(k)
  const std::size_t block_size = k + 2;
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
  return e;
}

// the three index vectors one after the other, as the bootstrap collects them
std::vector<double> flatten(const SobolEstimates& e) {
  std::vector<double> all = e.s1_saltelli;
  all.insert(all.end(), e.s1_jansen.begin(), e.s1_jansen.end());
  all.insert(all.end(), e.st_jansen.begin(), e.st_jansen.end());
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

}  // namespace

SobolResult sobol_indices(std::span<const double> y, int k, int bootstrap, double confidence, std::uint64_t seed) {
  const std::size_t n_blocks = check_input(y, k, k + 2, bootstrap, confidence, "sobol");
  const auto factors = static_cast<std::size_t>(k);
  const std::vector<std::size_t> used = finite_blocks(y, n_blocks, factors + 2);
  require(!used.empty(), "sobol: no base point with every value finite (of " + std::to_string(n_blocks) + ")");

  const SobolEstimates point = estimate_sobol(y, factors, used);
  const auto replicates = bootstrap_replicates(used, bootstrap, seed, 3 * factors,
                                               [&](const std::vector<std::size_t>& sample) {
                                                 return flatten(estimate_sobol(y, factors, sample));
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

}  // namespace lokalmat
