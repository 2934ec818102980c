// Determinism (STYLE.md): same scenario, same seed, same binary -> bit-identical
// results whatever the number of threads. Every week's state hash and every sum
// of the weekly report are compared at 1, 2 and 4 threads and across repeats.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "sim/model.h"
#include "sim/scenario.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::RunTrace;

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

// the first week where two traces differ, or -1
int first_difference(const RunTrace& a, const RunTrace& b) {
  const std::size_t n = std::min(a.reports.size(), b.reports.size());
  for (std::size_t k = 0; k < n; ++k) {
    const WeekReport& x = a.reports[k];
    const WeekReport& y = b.reports[k];
    const bool same = a.hashes[k] == b.hashes[k] && x.state_hash == y.state_hash && x.week == y.week &&
                      x.iso_week == y.iso_week && x.iso_year == y.iso_year && x.week_start == y.week_start &&
                      same_bits(x.cells, y.cells) && same_bits(x.types, y.types) && same_bits(x.munis, y.munis) &&
                      std::memcmp(&x.muni_total, &y.muni_total, sizeof(MuniSums)) == 0;
    if (!same) return static_cast<int>(k);
  }
  return a.reports.size() == b.reports.size() ? -1 : static_cast<int>(n);
}

// the sums are plain doubles (no padding): memcmp compares every bit of them
static_assert(sizeof(FlowSums) % sizeof(double) == 0 && std::is_trivially_copyable_v<FlowSums>);
static_assert(sizeof(TypeSums) % sizeof(double) == 0 && std::is_trivially_copyable_v<TypeSums>);
static_assert(sizeof(MuniSums) % sizeof(double) == 0 && std::is_trivially_copyable_v<MuniSums>);

void expect_thread_independent(const Params& p, int weeks) {
  const RunTrace one = test::run_trace(p, weeks, 1);
  ASSERT_EQ(one.hashes.size(), static_cast<std::size_t>(weeks));
  // the hash does change from week to week (it is not a constant)
  EXPECT_NE(one.hashes.front(), one.hashes.back());
  for (int threads : {2, 4}) {
    const RunTrace t = test::run_trace(p, weeks, threads);
    EXPECT_EQ(first_difference(one, t), -1) << threads << " threads differ from 1 thread";
  }
  const RunTrace again = test::run_trace(p, weeks, 2);
  EXPECT_EQ(first_difference(one, again), -1) << "a repeat at 2 threads differs";
}

// Horten, ten years, 1 / 2 / 4 threads and a repeat
TEST(Determinism, HortenSameAtAnyThreadCount) {
  const Params p = test::load_shipped("scenarios/horten.toml");
  expect_thread_independent(p, p.weeks);
}

// another seed gives another run
TEST(Determinism, HortenOtherSeedDiffers) {
  const Params a = test::load_shipped("scenarios/horten.toml");
  const Params b = test::load_shipped("scenarios/horten.toml", {{"run.seed", "2"}});
  const RunTrace ta = test::run_trace(a, 104, 2), tb = test::run_trace(b, 104, 2);
  EXPECT_NE(ta.hashes, tb.hashes);
  EXPECT_NE(ta.hashes.back(), tb.hashes.back());
}

// a freshly initialised state hashes the same twice, and any changed value changes the hash
TEST(Determinism, HashSeesEveryChange) {
  const Params p = test::load_shipped("scenarios/horten.toml");
  State a, b;
  init_state(p, a);
  init_state(p, b);
  ASSERT_EQ(hash_state(a), hash_state(b));
  b.buyers.satisfaction[3] = std::nextafter(b.buyers.satisfaction[3], 1.0);
  EXPECT_NE(hash_state(a), hash_state(b));
  init_state(p, b);
  b.workers.hours_total[0] += 0.25;
  EXPECT_NE(hash_state(a), hash_state(b));
}

// three municipalities (farms serving two or three hubs, ~100 kitchens), ten years
TEST(Determinism, RegionSameAtAnyThreadCount) {
  const Params p = load_scenario_text(test::region_toml(), "region.toml").params;
  ASSERT_EQ(p.n_municipalities(), 3);
  State s;
  init_state(p, s);
  // the engine splits work in blocks of 16 agents: more than one block of kitchens and farms
  ASSERT_GT(p.buyers.size(), 32u);
  ASSERT_GT(p.producers.size(), 16u);
  std::size_t multi = 0;
  for (std::size_t i = 0; i < p.producers.size(); ++i)
    multi += s.producers.channel_begin[i + 1] - s.producers.channel_begin[i] >= 2 ? 1 : 0;
  ASSERT_GT(multi, 0u) << "no farm within reach of two hubs";
  expect_thread_independent(p, p.weeks);
}

}  // namespace
}  // namespace lokalmat
