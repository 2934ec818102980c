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
//   Second-order indices (Saltelli 2002 design, blocks A, B, AB^(1..k), BA^(1..k)):
//     V_ij^c = mean_j f(BA^(i))_j f(AB^(j))_j - f(A)_j f(B)_j  (values centred on the mean),
//     S2_ij = V_ij^c / V - S1_i - S1_j  (S1 by Saltelli 2010), as in SALib.
//   PAWN (Pianosi & Wagener 2015, 2018, the given-data form): per factor, the points are cut
//   into `slices` groups of about equal size by the factor's value (tied values in one group:
//   a factorial's levels are groups of their own); the index is the median (and the maximum)
//   over the groups of the Kolmogorov-Smirnov distance between the output's distribution in
//   the group and over all points. ks_critical is the two-sample KS distance at the 5% level
//   for a group of the mean size against all points, 1.358 sqrt(1/n_group + 1/n): a median
//   below it shows no detectable influence. Its bootstrap interval is the replicates' central
//   range moved so that their median falls on the estimate (resampling with replacement repeats
//   points, which widens every KS distance), clipped to [0, 1].
//   SRRC: standardised rank regression coefficients, the least-squares fit of the output's
//   ranks on the factors' ranks (average ranks for ties), both standardised; r2 of the fit
//   tells how much of the ranks a monotone additive model explains (SRRC means little
//   below about 0.7). A factor that does not vary gets NaN and stays out of the fit.
//   Seed share: the mean over points with at least two finished replicates of the
//   within-point variance (n - 1), divided by the variance of all those runs (n - 1).
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
  bool second_order = false;
  std::vector<std::vector<Estimate>> s2;  // [k][k] when second_order: S2 of i < j, mirrored; NaN on the diagonal
};

// y: n_blocks x (k+2) values (second_order: n_blocks x (2k+2)), block layout as sim/sweep/design.h
SobolResult sobol_indices(std::span<const double> y, int k, int bootstrap = 1000, double confidence = 0.95,
                          std::uint64_t seed = 1, bool second_order = false);

struct MorrisResult {
  int k = 0;
  int trajectories_used = 0;
  std::vector<double> mu, sigma;  // [k]
  std::vector<Estimate> mu_star;  // [k]
};

// y: n_traj x (k+1) values; unit: the same points' unit-cube coordinates [point][k]
MorrisResult morris_indices(std::span<const double> y, const std::vector<std::vector<double>>& unit, int k,
                            int bootstrap = 1000, double confidence = 0.95, std::uint64_t seed = 1);

// PAWN and SRRC work on any set of points (Latin hypercube, factorial, random): y [n] and
// the points' unit-cube coordinates [n][k]; points with a non-finite y are left out.
struct PawnResult {
  int k = 0;
  int points_used = 0;
  int slices = 0;
  double ks_critical = 0;
  std::vector<Estimate> median, max;  // [k]
};
PawnResult pawn_indices(std::span<const double> y, const std::vector<std::vector<double>>& unit, int k,
                        int slices = 10, int bootstrap = 1000, double confidence = 0.95, std::uint64_t seed = 1);

struct RankRegressionResult {
  int k = 0;
  int points_used = 0;
  double r2 = 0;
  std::vector<Estimate> srrc;  // [k]
};
RankRegressionResult srrc_indices(std::span<const double> y, const std::vector<std::vector<double>>& unit, int k,
                                  int bootstrap = 1000, double confidence = 0.95, std::uint64_t seed = 1);

struct SeedShare {
  double share = 0;  // NaN when no point has two finished replicates or the runs do not vary
  int points = 0;    // points with at least two finished replicates
  int runs = 0;      // their runs
};
// y [n] run values (non-finite: left out), point [n] the design point of each run
SeedShare seed_variance_share(std::span<const double> y, std::span<const std::int64_t> point);

// Do the dropped runs cluster in a region of the inputs? Per factor, the two-sample
// Kolmogorov-Smirnov test of the dropped runs' unit coordinates against the kept ones':
// p from every split of the runs into two groups of those sizes when there are at most
// 50,000 splits (the exact p), else from 1999 random splits of the same runs (Philox, fixed seed) when either side has
// fewer than 25 runs (and there are at most 20,000), else the asymptotic p with Stephens'
// small-sample correction (Press et al. 2007 §14.3.3). Each input is tested at level alpha,
// so with k inputs and drops scattered at random about k alpha of sweeps get a warning;
// the p is given with it.
struct DropCluster {
  int factor = 0;
  double ks = 0, p = 1;
  double lo = 0, hi = 0;  // the dropped runs' range, unit coordinates
};
// the factors with p < alpha, most significant first
std::vector<DropCluster> clustered_drops(const std::vector<std::vector<double>>& dropped,
                                         const std::vector<std::vector<double>>& kept, int k, double alpha = 0.05);

// Kolmogorov's Q_KS(lambda) = 2 sum_j (-1)^(j-1) exp(-2 j^2 lambda^2), the p of a KS distance
double kolmogorov_q(double lambda);

}  // namespace lokalmat
