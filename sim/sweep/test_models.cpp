#include "sim/sweep/test_models.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "sim/rng.h"

namespace lokalmat::sweep {
namespace {

// the customary Ishigami parameters, used when a sweep file gives none
constexpr double ishigami_a_default = 7.0;
constexpr double ishigami_b_default = 0.1;

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

struct IshigamiParams {
  double a, b;
};

IshigamiParams ishigami_params(const std::vector<double>& p) {
  if (p.empty()) return {ishigami_a_default, ishigami_b_default};
  require(p.size() == 2, "ishigami: expects two parameters {a, b}, got " + std::to_string(p.size()));
  return {p[0], p[1]};
}

void require_inputs(const TestModel& m, std::size_t expected, std::size_t got) {
  require(got == expected,
          m.name + ": expects " + std::to_string(expected) + " inputs, got " + std::to_string(got));
}

// the variance terms of the Ishigami function with x_i uniform on [-pi, pi]
// (Sobol & Levitan 1999): V1 from sin x1 (1 + b x3^4), V2 from a sin^2 x2, V13 the
// x1-x3 interaction, V3 = 0
struct IshigamiVariance {
  double v1, v2, v13, total;
};

IshigamiVariance ishigami_variance(IshigamiParams p) {
  constexpr double pi4 = std::numbers::pi * std::numbers::pi * std::numbers::pi * std::numbers::pi;
  constexpr double pi8 = pi4 * pi4;
  const double v1 = 0.5 * (1.0 + p.b * pi4 / 5.0) * (1.0 + p.b * pi4 / 5.0);
  const double v2 = p.a * p.a / 8.0;
  const double v13 = p.b * p.b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
  return {v1, v2, v13, v1 + v2 + v13};
}

// the partial variance of one factor of the G-function, 1 / (3 (1 + a_i)^2)
double sobol_g_partial(double a) { return 1.0 / (3.0 * (1.0 + a) * (1.0 + a)); }

// first-order (total == false) or total indices of the three models, empty when no closed form applies
std::vector<double> exact_indices(const TestModel& m, int k, bool total) {
  require(k >= 1, m.name + ": k = " + std::to_string(k) + " factors, at least 1 needed");
  const auto n = static_cast<std::size_t>(k);
  if (m.name == "ishigami") {
    require_inputs(m, 3, n);
    const IshigamiVariance v = ishigami_variance(ishigami_params(m.a));
    if (total) return {(v.v1 + v.v13) / v.total, v.v2 / v.total, v.v13 / v.total};
    return {v.v1 / v.total, v.v2 / v.total, 0.0};
  }
  if (m.name == "sobol_g") {
    require_inputs(m, m.a.size(), n);
    // V = prod (1 + V_i) - 1; the total effect of i is V_i times the product over the others
    double product = 1.0;
    for (double a : m.a) product *= 1.0 + sobol_g_partial(a);
    const double variance = product - 1.0;
    std::vector<double> s(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double vi = sobol_g_partial(m.a[i]);
      s[i] = total ? vi * (product / (1.0 + vi)) / variance : vi / variance;
    }
    return s;
  }
  if (m.name == "linear") {
    // with the x_i uniform on ranges of equal width an additive model has S1 = ST = c_i^2 / sum c^2
    require_inputs(m, m.a.size(), n);
    double sum_sq = 0.0;
    for (double c : m.a) sum_sq += c * c;
    if (sum_sq == 0.0) return {};  // constant output: the indices are undefined
    std::vector<double> s(n);
    for (std::size_t i = 0; i < n; ++i) s[i] = m.a[i] * m.a[i] / sum_sq;
    return s;
  }
  return {};
}

}  // namespace

double TestModel::operator()(std::span<const double> x, std::uint64_t seed) const {
  if (name == "ishigami") {
    require_inputs(*this, 3, x.size());
    const IshigamiParams p = ishigami_params(a);
    const double s2 = std::sin(x[1]);
    const double x3_2 = x[2] * x[2];
    return std::sin(x[0]) + p.a * s2 * s2 + p.b * x3_2 * x3_2 * std::sin(x[0]);
  }
  if (name == "sobol_g") {
    require_inputs(*this, a.size(), x.size());
    double y = 1.0;
    for (std::size_t i = 0; i < x.size(); ++i) y *= (std::abs(4.0 * x[i] - 2.0) + a[i]) / (1.0 + a[i]);
    return y;
  }
  if (name == "linear") {
    require_inputs(*this, a.size(), x.size());
    double y = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) y += a[i] * x[i];
    return y;
  }
  if (name == "normal_mean") {
    require_inputs(*this, 1, x.size());
    require(a.size() == 2 && a[0] > 0 && a[1] >= 1, "normal_mean: coefficients [sigma > 0, n >= 1]");
    // the mean of n draws from N(x1, sigma^2) is N(x1, sigma^2 / n): one draw of it
    Rng r(seed, Stream::test_model, 0, 0);
    return x[0] + a[0] / std::sqrt(a[1]) * r.normal();
  }
  throw std::invalid_argument("unknown test model '" + name + "' (ishigami, sobol_g, linear, normal_mean)");
}

std::vector<double> TestModel::exact_s1(int k) const { return exact_indices(*this, k, false); }

std::vector<std::vector<double>> TestModel::exact_s2(int k) const {
  require(k >= 1, name + ": k = " + std::to_string(k) + " factors, at least 1 needed");
  const auto n = static_cast<std::size_t>(k);
  std::vector<std::vector<double>> s(n, std::vector<double>(n, 0.0));
  if (name == "ishigami") {
    // the only interaction is x1-x3
    require_inputs(*this, 3, n);
    const IshigamiVariance v = ishigami_variance(ishigami_params(a));
    s[0][2] = s[2][0] = v.v13 / v.total;
    return s;
  }
  if (name == "sobol_g") {
    // the G-function's variance terms are products: V_ij = V_i V_j
    require_inputs(*this, a.size(), n);
    double product = 1.0;
    for (double ai : a) product *= 1.0 + sobol_g_partial(ai);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (i != j) s[i][j] = sobol_g_partial(a[i]) * sobol_g_partial(a[j]) / (product - 1.0);
    return s;
  }
  if (name == "linear") {
    require_inputs(*this, a.size(), n);
    return s;  // additive: no interactions
  }
  return {};
}
std::vector<double> TestModel::exact_st(int k) const { return exact_indices(*this, k, true); }

bool is_test_model(std::string_view name) {
  return name == "ishigami" || name == "sobol_g" || name == "linear" || name == "normal_mean";
}

}  // namespace lokalmat::sweep
