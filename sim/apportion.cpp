#include "sim/apportion.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lokalmat {

std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights) {
  std::vector<std::int64_t> out(weights.size(), 0);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (total <= 0 || sum <= 0) return out;
  std::vector<double> rem(weights.size());
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double q = static_cast<double>(total) * weights[i] / sum;
    const double f = std::floor(q);
    out[i] = static_cast<std::int64_t>(f);
    rem[i] = q - f;
    given += out[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
  std::int64_t left = total - given;
  for (std::size_t k = 0; left > 0 && k < order.size(); ++k) {
    if (weights[order[k]] <= 0) continue;
    ++out[order[k]], --left;
  }
  // floating-point floors can only overshoot by rounding a quota up to a whole number: take those back
  for (std::size_t k = order.size(); left < 0 && k-- > 0;)
    if (out[order[k]] > 0) --out[order[k]], ++left;
  return out;
}

}  // namespace lokalmat
