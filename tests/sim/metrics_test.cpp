// The weekly report's sums (sim/metrics.cpp): adding two sums adds every one of their fields.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <type_traits>
#include <vector>

#include "sim/metrics.h"

namespace lokalmat {
namespace {

// every field of the sums is added: fill both operands' doubles with 1.0 and expect 2.0 everywhere
// (guards against a field added to the struct and forgotten in add())
template <class T>
void expect_add_covers_every_field() {
  static_assert(std::is_trivially_copyable_v<T>);
  static_assert(sizeof(T) % sizeof(double) == 0, "the sums are expected to hold doubles only");
  constexpr std::size_t n = sizeof(T) / sizeof(double);
  const std::vector<double> ones(n, 1.0);
  T a, b;
  std::memcpy(&a, ones.data(), sizeof(T));
  std::memcpy(&b, ones.data(), sizeof(T));
  a.add(b);
  std::vector<double> out(n);
  std::memcpy(out.data(), &a, sizeof(T));
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], 2.0) << "field " << i << " of " << n;
}

TEST(Metrics, SumsAddEveryField) {
  expect_add_covers_every_field<FlowSums>();
  expect_add_covers_every_field<TypeSums>();
  expect_add_covers_every_field<MuniSums>();
}

}  // namespace
}  // namespace lokalmat
