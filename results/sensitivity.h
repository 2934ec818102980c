#pragma once
// Global sensitivity analysis of a sweep's outputs (pure functions; the CLI reads
// the sweep file and writes the indices back into it).
//   Sobol indices from a Saltelli (2010) design (sim/sweep/design.h, block layout
//   A, B, AB^(1..k)): first order S1 by the Saltelli 2010 estimator
//     V_i = mean_j f(B)_j (f(AB^(i))_j - f(A)_j)
//   and by Jansen (1999)   V_i = V - mean_j (f(B)_j - f(AB^(i))_j)^2 / 2,
//   total order ST by Jansen  VT_i = mean_j (f(A)_j - f(AB^(i))_j)^2 / 2,
//   divided by V, the variance of all f(A) and f(B) values.
//   V is the population variance (divisor 2N) of the 2N values, matching the 1/N
//   means of Saltelli et al. (2010) (and SALib). In the Saltelli estimator f(B) is
//   centred on the mean of those values first: the expectation is unchanged, but the
//   estimate no longer depends on an additive constant in the output (an output in
//   the thousands of NOK would otherwise swamp it with noise).
//   Confidence intervals: percentile bootstrap over base points (resampled with
//   replacement), draws from Philox with the given seed (so they are reproducible).
//   Morris elementary effects EE = (y(x + delta e_i) - y(x)) / delta in unit-cube
//   coordinates (delta signed), per factor: mu (mean EE), mu* (mean |EE|, with a
//   bootstrap interval over trajectories), sigma (standard deviation of EE, n - 1).
//   Each step of a trajectory must move exactly one factor and each factor must move
//   once, else std::invalid_argument.
// Blocks with a non-finite value (a failed run) are left out; the count used is reported.
// Interval ends are quantiles (1 - confidence)/2 and (1 + confidence)/2 of the
// replicates, interpolated between order statistics (Hyndman & Fan type 7); they are
// NaN when bootstrap = 0. An index is NaN when V = 0 (a constant output), sigma when
// a single trajectory is used. std::invalid_argument when k < 1, y.size() is not a
// multiple of the block size, no block is usable, bootstrap < 0 or confidence is
// outside (0, 1).
#include <cstdint>
#include <span>
#include <vector>

namespace lokalmat {

struct Estimate {
  double value = 0;
  double lo = 0, hi = 0;  // bootstrap confidence interval
};

struct SobolResult {
  int k = 0;
  int blocks_used = 0;        // base points with every value finite
  double variance = 0;        // V
  std::vector<Estimate> s1_saltelli, s1_jansen, st_jansen;  // [k]
};

// y: n_blocks x (k+2) values, block layout as sim/sweep/design.h
SobolResult sobol_indices(std::span<const double> y, int k, int bootstrap = 1000, double confidence = 0.95,
                          std::uint64_t seed = 1);

struct MorrisResult {
  int k = 0;
  int trajectories_used = 0;
  std::vector<double> mu, sigma;  // [k]
  std::vector<Estimate> mu_star;  // [k]
};

// y: n_traj x (k+1) values; unit: the same points' unit-cube coordinates [point][k]
MorrisResult morris_indices(std::span<const double> y, const std::vector<std::vector<double>>& unit, int k,
                            int bootstrap = 1000, double confidence = 0.95, std::uint64_t seed = 1);

}  // namespace lokalmat
