#pragma once
// Counter-based random numbers. Every draw is a pure function of
// (seed, stream, agent id, week, draw index), computed with Philox4x64-10 from
// Random123: no generator state is carried between agents, threads or weeks, so
// results do not depend on the order in which agents are processed, and adding a
// draw to one rule (one stream) never shifts the numbers another rule sees.
// Distribution transforms are written here, not taken from <random>, because the
// standard library's distributions differ between implementations.
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace lokalmat {

// one stream per phase or rule; never renumber existing streams
enum class Stream : std::uint64_t {
  placement = 1,     // generated agent positions (set-up)
  attributes = 2,    // generated agent attributes (set-up)
  policy = 3,        // backing noise, elections
  participation = 4, // buyer participation draws
  attendance = 5,    // day-centre attendance
  delivery = 6,      // producer reliability
  pricing = 7,       // price noise
  entry = 8,         // farms learning of the channel
  moves = 9,         // participants moving on or dropping out
  tender = 10,       // bid prices in competitions and lot tenders
  design = 11,       // sweep designs: Latin hypercube permutations and jitter, Morris trajectories
  bootstrap = 12,    // resampling for the confidence intervals of sensitivity indices
  calibration = 13,  // ABC-SMC: prior draws, ancestors, perturbations, run seeds (sim/sweep/abc.h)
  test_model = 14,   // the noise of stochastic test models (sim/sweep/test_models.h)
};

class Rng {
 public:
  Rng(std::uint64_t seed, Stream stream, std::uint64_t agent, std::uint64_t week)
      : key_{{seed, static_cast<std::uint64_t>(stream)}}, agent_(agent), week_(week) {}

  // uniform on [0, 1) with 53 random bits; draw index advances by one
  double uniform() {
    if (used_ == 4) refill();
    const std::uint64_t bits = block_[used_++] >> 11;
    return static_cast<double>(bits) * 0x1.0p-53;
  }
  // uniform on (0, 1], safe for log()
  double uniform_open0() { return 1.0 - uniform(); }
  bool bernoulli(double p) { return uniform() < p; }
  // standard normal by Box-Muller (both halves consumed for simplicity of counting)
  double normal() {
    const double u1 = uniform_open0();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // uniform integer in [0, n), n > 0 (bias below n / 2^53, negligible for any n used here);
  // the check guards against the product rounding up to n
  std::uint64_t index(std::uint64_t n) {
    const auto i = static_cast<std::uint64_t>(uniform() * static_cast<double>(n));
    return i < n ? i : n - 1;
  }
  // binomial by summed Bernoulli draws (n is small here: days in a week)
  int binomial(int n, double p) {
    int k = 0;
    for (int i = 0; i < n; ++i) k += bernoulli(p) ? 1 : 0;
    return k;
  }

 private:
  void refill() {
    using Philox = r123::Philox4x64;
    const Philox::ctr_type ctr{{agent_, week_, block_index_++, 0}};
    block_ = philox_(ctr, key_);
    used_ = 0;
  }
  r123::Philox4x64 philox_;
  r123::Philox4x64::key_type key_;
  std::uint64_t agent_;
  std::uint64_t week_;
  std::uint64_t block_index_ = 0;
  r123::Philox4x64::ctr_type block_{};
  int used_ = 4;
};

}  // namespace lokalmat
