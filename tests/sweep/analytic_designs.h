#pragma once
// What the tests of the sensitivity estimators share: factors x1 .. xk uniform on one range,
// and an analytic test model evaluated at every point of a design.
#include <string>
#include <vector>

#include "sim/sweep/design.h"
#include "sim/sweep/test_models.h"

namespace lokalmat::test {

inline std::vector<sweep::Factor> uniform_factors(int k, double lo, double hi) {
  std::vector<sweep::Factor> factors(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) {
    factors[static_cast<std::size_t>(i)].key = "x" + std::to_string(i + 1);
    factors[static_cast<std::size_t>(i)].lo = lo;
    factors[static_cast<std::size_t>(i)].hi = hi;
  }
  return factors;
}

// the model's output at every point of the design, in design order
inline std::vector<double> evaluate(const sweep::TestModel& model, const sweep::Design& d) {
  std::vector<double> y;
  y.reserve(d.values.size());
  for (const std::vector<double>& x : d.values) y.push_back(model(x));
  return y;
}

}  // namespace lokalmat::test
