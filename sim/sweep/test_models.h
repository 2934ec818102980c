#pragma once
// Analytic test functions that stand in for the simulation in a sweep file
// (model = "ishigami" ...), so the designs and the sensitivity analysis are checked
// against known values.
//   ishigami  y = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i in [-pi, pi] (Ishigami & Homma 1990)
//             a = 7, b = 0.1: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437
//   sobol_g   y = prod (|4 x_i - 2| + a_i) / (1 + a_i), x_i in [0, 1] (Saltelli & Sobol 1995)
//   linear    y = sum c_i x_i (Morris: elementary effect of x_i is c_i (hi - lo) in unit steps, sigma 0)
//   normal_mean  y = the mean of n draws from N(x1, sigma^2), coefficients [sigma, n]: a stochastic
//             model (its noise from the run's seed) whose posterior is known in closed form: with a
//             normal prior N(m, s^2) on x1 and an observed mean ybar, x1 | ybar is normal with
//             variance v = 1 / (1/s^2 + n/sigma^2) and mean v (m/s^2 + n ybar/sigma^2)
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lokalmat::sweep {

struct TestModel {
  std::string name;                // "ishigami", "sobol_g", "linear", "normal_mean"
  std::vector<double> a;           // ishigami: {a, b} (empty: 7, 0.1); sobol_g: a_i; linear: c_i
  [[nodiscard]] double operator()(std::span<const double> x) const { return (*this)(x, 0); }
  // with the run's seed (only normal_mean draws from it)
  [[nodiscard]] double operator()(std::span<const double> x, std::uint64_t seed) const;
  // analytic first-order and total indices (empty when the function has none in closed form);
  // x uniform on the ranges above (linear: on ranges of equal width); k must match the model
  // (ishigami: 3, others: a.size()), else std::invalid_argument, as for operator() on a wrong-sized x
  [[nodiscard]] std::vector<double> exact_s1(int k) const;
  [[nodiscard]] std::vector<double> exact_st(int k) const;
  // analytic second-order indices [k][k] (symmetric, 0 on the diagonal); empty as above
  [[nodiscard]] std::vector<std::vector<double>> exact_s2(int k) const;
};

// the names accepted in sweep files
bool is_test_model(std::string_view name);

}  // namespace lokalmat::sweep
