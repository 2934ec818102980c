#pragma once
// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC), the population
// Monte Carlo scheme of Beaumont, Cornuet, Marin & Robert (2009, Biometrika 96:983) with
// adaptive tolerances as in Del Moral, Doucet & Jasra (2012, Stat. Comput. 22:1009) and
// pyABC: a quantile of the previous generation's distances.
//
//   generation 0: N candidates drawn from the prior, all accepted (tolerance +inf);
//   generation t: tolerance e_t = the `quantile` (weighted) of generation t-1's distances;
//     candidate c picks an ancestor j by the weights of t-1, moves it by a normal kernel
//     with covariance 2 x the weighted covariance of generation t-1 (Beaumont et al. 2009),
//     in the working coordinates (log x for a log-uniform prior); a candidate outside the
//     prior's support is not simulated; a simulated one is accepted when its distance is at
//     most e_t; the first N accepted candidates in candidate order are generation t, with
//     weights w_i proportional to prior(theta_i) / sum_j W_j K(theta_i | theta_j);
//   stop after `generations`, or after a generation whose acceptance rate (accepted /
//     simulated) is below min_acceptance, or once a tolerance is at or below final_tolerance.
//
// Determinism: candidate c of generation t depends only on (seed, t, c) and generation
// t-1 (its own Philox counters), and a generation is the first N accepted candidates in
// candidate order, so the result is the same whatever evaluates the candidates, in what
// order or how many at once: any thread count, any number of MPI ranks, a resumed run.
// The caller proposes candidates (propose), simulates those in the support, and offers
// them back in candidate order (offer) until the generation is full.
#include <cstdint>
#include <vector>

#include "sim/sweep/calibration.h"

namespace lokalmat::sweep {

struct Particle {
  std::vector<double> theta;    // [K] parameter values
  double weight = 0;            // normalised over the generation
  double distance = 0;
  std::vector<double> outputs;  // [T] the run's summary statistics
  std::int64_t candidate = 0;   // which candidate of its generation it was
};

struct Generation {
  int index = 0;
  double tolerance = 0;          // +inf in generation 0
  std::int64_t proposed = 0;     // candidates up to the last accepted one
  std::int64_t simulated = 0;    // of those, in the prior's support (each one run)
  double acceptance_rate = 0;    // N / simulated
  double ess = 0;                // effective sample size 1 / sum w^2
  std::vector<Particle> particles;
};

struct Candidate {
  std::vector<double> theta;
  bool in_support = true;
  std::uint64_t seed = 0;        // the run's seed
};

class AbcSampler {
 public:
  AbcSampler(std::vector<Prior> priors, AbcSettings settings);

  [[nodiscard]] int generation() const { return static_cast<int>(done_.size()); }  // the one being filled
  [[nodiscard]] double tolerance() const { return tolerance_; }
  [[nodiscard]] bool finished() const { return finished_; }
  [[nodiscard]] const std::vector<Generation>& generations() const { return done_; }
  // the generation being filled: its particles so far and the runs it has simulated
  [[nodiscard]] int accepted() const { return static_cast<int>(current_.particles.size()); }
  [[nodiscard]] std::int64_t simulated() const { return current_.simulated; }

  // candidate c of the current generation
  [[nodiscard]] Candidate propose(std::int64_t c) const;
  // candidate c evaluated (distance +inf for a failed run, ignored outside the support);
  // candidates must come in order 0, 1, 2, ...; true once the generation has N particles
  bool offer(std::int64_t c, const Candidate& cand, double distance, std::vector<double> outputs);
  // close the full generation: weights, the next tolerance and kernel, the stopping rule
  void finish_generation();

  // the seed of posterior-predictive run i (after the last generation) and its parameters,
  // drawn by the final weights
  [[nodiscard]] Candidate predictive(std::int64_t i) const;

 private:
  std::vector<double> to_work(const std::vector<double>& theta) const;
  double prior_work_density(const std::vector<double>& z) const;

  std::vector<Prior> priors_;
  AbcSettings s_;
  std::vector<Generation> done_;
  Generation current_;
  double tolerance_;
  bool finished_ = false;
  // generation t-1 in working coordinates, its cumulative weights, the kernel's Cholesky factor
  std::vector<std::vector<double>> prev_z_;
  std::vector<double> prev_w_, prev_cum_;
  std::vector<std::vector<double>> chol_;  // lower triangular L, Sigma = L L^T
  double log_det_ = 0;
  std::vector<std::vector<double>> sigma_inv_;
};

// the weighted q-quantile of values (sorted by value, the first whose cumulative weight reaches q)
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q);

}  // namespace lokalmat::sweep
