#include "sim/sweep/abc.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "sim/rng.h"

namespace lokalmat::sweep {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Philox counters of the calibration stream: (generation, candidate) as the agent and week
// slots, a third purpose in the seed's high bits, so that proposals, run seeds and the
// predictive draws never share a counter
enum class Draw : std::uint64_t { proposal = 0, run_seed = 1, predictive = 2, predictive_seed = 3 };

Rng draws(std::uint64_t seed, Draw what, std::uint64_t generation, std::uint64_t candidate) {
  return Rng(seed ^ (static_cast<std::uint64_t>(what) << 60), Stream::calibration, generation, candidate);
}

// a run seed below 2^62 (run.seed takes 0 .. 9.2e18)
std::uint64_t run_seed(std::uint64_t seed, Draw what, std::uint64_t generation, std::uint64_t candidate) {
  Rng r = draws(seed, what, generation, candidate);
  return static_cast<std::uint64_t>(r.uniform() * 0x1.0p62);
}

// a draw from the prior (the normal by inversion-free rejection for the truncated one)
double draw_prior(const Prior& p, Rng& r) {
  switch (p.kind) {
    case PriorKind::uniform: return r.uniform(p.lo, p.hi);
    case PriorKind::log_uniform: return std::exp(r.uniform(std::log(p.lo), std::log(p.hi)));
    case PriorKind::normal: return r.normal(p.mean, p.sd);
    case PriorKind::truncated_normal:
      for (int tries = 0; tries < 100000; ++tries)
        if (const double x = r.normal(p.mean, p.sd); x >= p.lo && x <= p.hi) return x;
      throw std::runtime_error("truncated normal prior of " + p.key + ": the support holds almost no mass");
  }
  return 0;
}

// lower Cholesky factor of a symmetric positive-definite matrix; false when it is not
bool cholesky(const std::vector<std::vector<double>>& a, std::vector<std::vector<double>>& l) {
  const std::size_t n = a.size();
  l.assign(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      double s = a[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
      if (i == j) {
        if (!(s > 0)) return false;
        l[i][i] = std::sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  return true;
}

// ||L^-1 d||^2 by forward substitution
double mahalanobis(const std::vector<std::vector<double>>& l, const std::vector<double>& d) {
  std::vector<double> y(d.size());
  double q = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    double s = d[i];
    for (std::size_t k = 0; k < i; ++k) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
    q += y[i] * y[i];
  }
  return q;
}

}  // namespace

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double cum = 0;
  for (std::size_t i : order) {
    cum += weights[i];
    if (cum >= q * total) return values[i];
  }
  return values[order.back()];
}

AbcSampler::AbcSampler(std::vector<Prior> priors, AbcSettings settings)
    : priors_(std::move(priors)), s_(settings), tolerance_(kInfinity) {
  if (priors_.empty()) throw std::invalid_argument("abc: no prior");
  if (s_.particles < 2) throw std::invalid_argument("abc: at least 2 particles");
  current_.index = 0;
  current_.tolerance = kInfinity;
}

std::vector<double> AbcSampler::to_work(const std::vector<double>& theta) const {
  std::vector<double> z(theta.size());
  for (std::size_t i = 0; i < theta.size(); ++i) z[i] = priors_[i].to_work(theta[i]);
  return z;
}

double AbcSampler::prior_work_density(const std::vector<double>& z) const {
  double d = 1;
  for (std::size_t i = 0; i < z.size(); ++i) d *= priors_[i].work_density(z[i]);
  return d;
}

Candidate AbcSampler::propose(std::int64_t c) const {
  const auto t = static_cast<std::uint64_t>(current_.index);
  Rng r = draws(s_.seed, Draw::proposal, t, static_cast<std::uint64_t>(c));
  Candidate cand;
  cand.seed = run_seed(s_.seed, Draw::run_seed, t, static_cast<std::uint64_t>(c));
  const std::size_t k = priors_.size();
  cand.theta.resize(k);
  if (current_.index == 0) {
    for (std::size_t i = 0; i < k; ++i) cand.theta[i] = draw_prior(priors_[i], r);
    return cand;
  }
  // an ancestor by the previous weights, moved by the kernel
  const double u = r.uniform() * prev_cum_.back();
  const auto j = static_cast<std::size_t>(std::upper_bound(prev_cum_.begin(), prev_cum_.end(), u) - prev_cum_.begin());
  const std::vector<double>& base = prev_z_[std::min(j, prev_z_.size() - 1)];
  std::vector<double> e(k);
  for (double& x : e) x = r.normal();
  std::vector<double> z(k);
  for (std::size_t i = 0; i < k; ++i) {
    z[i] = base[i];
    for (std::size_t q = 0; q <= i; ++q) z[i] += chol_[i][q] * e[q];
  }
  cand.in_support = prior_work_density(z) > 0;
  for (std::size_t i = 0; i < k; ++i) cand.theta[i] = priors_[i].from_work(z[i]);
  return cand;
}

bool AbcSampler::offer(std::int64_t c, const Candidate& cand, double distance, std::vector<double> outputs) {
  if (finished_) throw std::logic_error("abc: offer after the last generation");
  if (c != current_.proposed) throw std::logic_error("abc: candidates out of order");
  ++current_.proposed;
  if (!cand.in_support) return false;
  ++current_.simulated;
  if (!(distance <= tolerance_)) return false;  // a failed run (+inf, NaN) is never accepted
  current_.particles.push_back({cand.theta, 0.0, distance, std::move(outputs), c});
  return static_cast<int>(current_.particles.size()) >= s_.particles;
}

void AbcSampler::finish_generation() {
  Generation& g = current_;
  if (static_cast<int>(g.particles.size()) < s_.particles) throw std::logic_error("abc: generation not full");
  const std::size_t n = g.particles.size(), k = priors_.size();
  // weights: uniform in generation 0, else prior / mixture of kernels around the previous generation
  std::vector<double> logw(n, 0.0);
  if (g.index > 0) {
    std::vector<double> log_prev_w(prev_w_.size());
    for (std::size_t j = 0; j < prev_w_.size(); ++j) log_prev_w[j] = std::log(prev_w_[j]);
    for (std::size_t i = 0; i < n; ++i) {
      const std::vector<double> z = to_work(g.particles[i].theta);
      std::vector<double> terms(prev_z_.size());
      double top = -kInfinity;
      for (std::size_t j = 0; j < prev_z_.size(); ++j) {
        std::vector<double> d(k);
        for (std::size_t q = 0; q < k; ++q) d[q] = z[q] - prev_z_[j][q];
        terms[j] = log_prev_w[j] - 0.5 * mahalanobis(chol_, d);
        top = std::max(top, terms[j]);
      }
      double sum = 0;
      for (double t : terms) sum += std::exp(t - top);
      logw[i] = std::log(prior_work_density(z)) - (top + std::log(sum));
    }
  }
  const double top = *std::max_element(logw.begin(), logw.end());
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += (g.particles[i].weight = std::exp(logw[i] - top));
  double sum_sq = 0;
  for (auto& p : g.particles) {
    p.weight /= total;
    sum_sq += p.weight * p.weight;
  }
  g.ess = 1.0 / sum_sq;
  g.tolerance = tolerance_;
  g.acceptance_rate = static_cast<double>(n) / static_cast<double>(std::max<std::int64_t>(g.simulated, 1));

  // the next generation's ancestors and kernel: 2 x the weighted covariance (working coordinates)
  prev_z_.clear();
  prev_w_.clear();
  prev_cum_.clear();
  std::vector<double> mean(k, 0.0), distances, weights;
  double cum = 0;
  for (const auto& p : g.particles) {
    prev_z_.push_back(to_work(p.theta));
    prev_w_.push_back(p.weight);
    prev_cum_.push_back(cum += p.weight);
    for (std::size_t q = 0; q < k; ++q) mean[q] += p.weight * prev_z_.back()[q];
    distances.push_back(p.distance);
    weights.push_back(p.weight);
  }
  std::vector<std::vector<double>> cov(k, std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b) cov[a][b] += 2.0 * prev_w_[i] * (prev_z_[i][a] - mean[a]) * (prev_z_[i][b] - mean[b]);
  // a collapsed direction keeps a small spread, so the kernel stays proper
  for (std::size_t a = 0; a < k; ++a) cov[a][a] += 1e-12 * (1.0 + std::abs(mean[a]) * std::abs(mean[a]));
  if (!cholesky(cov, chol_)) {
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b)
        if (a != b) cov[a][b] = 0;
    if (!cholesky(cov, chol_)) throw std::runtime_error("abc: the particles' covariance is not positive");
  }
  const double next = weighted_quantile(distances, weights, s_.quantile);

  done_.push_back(std::move(g));
  const Generation& last = done_.back();
  finished_ = static_cast<int>(done_.size()) >= s_.generations || last.acceptance_rate < s_.min_acceptance ||
              (last.index > 0 && last.tolerance <= s_.final_tolerance);
  current_ = Generation{};
  current_.index = static_cast<int>(done_.size());
  tolerance_ = next;
  current_.tolerance = next;
}

Candidate AbcSampler::predictive(std::int64_t i) const {
  if (done_.empty()) throw std::logic_error("abc: no generation yet");
  const Generation& g = done_.back();
  Rng r = draws(s_.seed, Draw::predictive, static_cast<std::uint64_t>(g.index), static_cast<std::uint64_t>(i));
  const double u = r.uniform();
  double cum = 0;
  std::size_t j = 0;
  for (; j + 1 < g.particles.size(); ++j)
    if ((cum += g.particles[j].weight) > u) break;
  Candidate c;
  c.theta = g.particles[j].theta;
  c.seed = run_seed(s_.seed, Draw::predictive_seed, static_cast<std::uint64_t>(g.index), static_cast<std::uint64_t>(i));
  return c;
}

}  // namespace lokalmat::sweep
