// The state's column lists (sim/state.h): they name every column of every store once,
// every run column has the length its shape says, and the state hash sees a change in
// any one value of any column.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/model.h"
#include "sim/simulation.h"
#include "sim/state.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {


// the byte ranges a column list covers inside one object, and the names it visits
struct Coverage {
  const unsigned char* base = nullptr;
  std::vector<std::pair<std::size_t, std::size_t>> ranges;  // [begin, end) offsets
  std::vector<std::string> names;
  template <class T>
  void add(const T& x, const char* name) {
    const auto* p = reinterpret_cast<const unsigned char*>(&x);
    ranges.emplace_back(static_cast<std::size_t>(p - base), static_cast<std::size_t>(p - base) + sizeof(T));
    names.emplace_back(name);
  }
  template <class T>
  void operator()(const T& x, const char* name) { add(x, name); }
  template <class T>
  void operator()(const std::vector<T>& x, const char* name, Dim, Role) { add(x, name); }
};

// every byte of `object` lies in a visited member, apart from alignment padding, and no member twice
template <class Store, class List>
void expect_covered(const Store& object, List list, const char* what) {
  Coverage cov;
  cov.base = reinterpret_cast<const unsigned char*>(&object);
  list(object, cov);
  std::sort(cov.ranges.begin(), cov.ranges.end());
  std::size_t at = 0;
  for (const auto& [begin, end] : cov.ranges) {
    EXPECT_GE(begin, at) << what << ": two list entries overlap (a column listed twice?)";
    EXPECT_LT(begin - std::min(begin, at), alignof(std::max_align_t))
        << what << ": bytes " << at << ".." << begin << " belong to no listed column";
    at = std::max(at, end);
  }
  EXPECT_LE(sizeof(Store) - at, alignof(std::max_align_t) - 1) << what << ": the last bytes belong to no listed column";
  std::vector<std::string> names = cov.names;
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << what << ": a name is listed twice";
}

TEST(StateColumns, ListsCoverEveryMember) {
  State s;
  expect_covered(s.producers, [](const auto& x, auto& v) { ProducerStore::columns(x, v); }, "ProducerStore");
  expect_covered(s.channels, [](const auto& x, auto& v) { ChannelStore::columns(x, v); }, "ChannelStore");
  expect_covered(s.markets, [](const auto& x, auto& v) { MarketStore::columns(x, v); }, "MarketStore");
  expect_covered(s.buyers, [](const auto& x, auto& v) { BuyerStore::columns(x, v); }, "BuyerStore");
  expect_covered(s.workers, [](const auto& x, auto& v) { WorkerStore::columns(x, v); }, "WorkerStore");
  expect_covered(s.policy, [](const auto& x, auto& v) { PolicyStore::columns(x, v); }, "PolicyStore");
  // the state itself: its scalars and topology, and each store as a whole (checked above)
  Coverage cov;
  cov.base = reinterpret_cast<const unsigned char*>(&s);
  State::columns(s, cov);
  auto range_of = [&](const auto& store) {
    const auto b = static_cast<std::size_t>(reinterpret_cast<const unsigned char*>(&store) - cov.base);
    return std::pair<std::size_t, std::size_t>{b, b + sizeof(store)};
  };
  const std::vector<std::pair<std::size_t, std::size_t>> stores = {
      range_of(s.producers), range_of(s.channels), range_of(s.markets),
      range_of(s.buyers),    range_of(s.workers),  range_of(s.policy)};
  std::vector<std::pair<std::size_t, std::size_t>> ranges = stores;
  for (const auto& r : cov.ranges) {
    bool inside = false;
    for (const auto& st : stores) inside = inside || (r.first >= st.first && r.second <= st.second);
    if (!inside) ranges.push_back(r);
  }
  std::sort(ranges.begin(), ranges.end());
  std::size_t at = 0;
  for (const auto& [begin, end] : ranges) {
    EXPECT_GE(begin, at) << "State: two list entries overlap";
    EXPECT_LT(begin - std::min(begin, at), alignof(std::max_align_t))
        << "State: bytes " << at << ".." << begin << " belong to no listed value";
    at = std::max(at, end);
  }
  EXPECT_LE(sizeof(State) - at, alignof(std::max_align_t) - 1) << "State: the last bytes belong to no listed value";
}

// every column has the length its shape gives (a list per agent: one list per agent)
struct LengthCheck {
  StateSizes n;
  std::vector<std::string> wrong;
  template <class T>
  void operator()(const T&, const char*) {}
  template <class T>
  void operator()(const std::vector<T>& column, const char* name, Dim dim, Role) {
    const std::size_t want = dim == Dim::market_history ? n.history : column_length(dim, n);
    if (column.size() != want) wrong.push_back(std::string(name) + " has " + std::to_string(column.size()) +
                                               ", expected " + std::to_string(want));
    if constexpr (is_vector<T>::value)
      if (dim == Dim::market_history)
        for (const auto& row : column)
          if (row.size() != column_length(dim, n)) wrong.push_back(std::string(name) + ": a week's row has the wrong length");
  }
};

void expect_lengths(const Params& p, const State& s, const std::string& when) {
  LengthCheck check{state_sizes(p, s), {}};
  State::columns(s, check);
  for (const auto& w : check.wrong) ADD_FAILURE() << when << ": " << w;
}

TEST(StateColumns, LengthsFollowTheShapes) {
  for (const char* file : {"scenarios/horten.toml", "scenarios/horten/lots.toml", "scenarios/horten/direct-purchase.toml"}) {
    const Params p = test::load_shipped(file, {{"run.years", "1"}});
    Simulation sim(p);
    const StateSizes n = state_sizes(p, sim.state());
    ASSERT_GT(n.producers, 0u) << file;
    ASSERT_GT(n.markets, 0u) << file;
    if (p.municipalities[0].hub.enabled) ASSERT_GT(n.workers, 0u) << file;
    expect_lengths(p, sim.state(), std::string(file) + " at set-up");
    sim.run(60);
    expect_lengths(p, sim.state(), std::string(file) + " after 60 weeks");
  }
}

// change one value of one column (the middle element; one element of a list or a row)
struct Nudge {
  std::size_t index = 0;  // which column to change
  std::size_t at = 0;
  std::string name;
  bool done = false;
  template <class T>
  static void change(T& x) {
    if constexpr (std::is_floating_point_v<T>) x = x == 0 ? 0.125 : x * 1.5;
    else if constexpr (std::is_enum_v<T>) x = static_cast<T>(static_cast<std::underlying_type_t<T>>(x) ^ 1);
    else if constexpr (std::is_integral_v<T>) x = static_cast<T>(x ^ 1);
    else if constexpr (std::is_same_v<T, Date>) x.day = x.day == 1 ? 2 : 1;
    else if constexpr (is_vector<T>::value) {
      if (x.empty()) x.emplace_back();
      else change(x[x.size() / 2]);
    } else {
      change(x[0]);  // a fixed-size array
    }
  }
  template <class T>
  void operator()(T& x, const char* n) {
    if (at++ == index) change(x), name = n, done = true;
  }
  template <class T>
  void operator()(std::vector<T>& column, const char* n, Dim, Role) {
    if (at++ != index) return;
    name = n;
    done = true;
    if (column.empty()) column.emplace_back();
    else change(column[column.size() / 2]);
  }
};

TEST(StateColumns, HashSeesEveryColumn) {
  const Params p = test::load_shipped("scenarios/horten/lots.toml", {{"run.years", "2"}});
  Simulation sim(p);
  sim.run(70);  // a season under way: most columns hold values
  const State base = sim.state();
  const std::uint64_t h0 = hash_state(base);
  std::size_t columns = 0;
  State::columns(base, [&](const auto&, const char*, auto&&...) { ++columns; });
  ASSERT_GT(columns, 100u);
  for (std::size_t i = 0; i < columns; ++i) {
    State s = base;
    Nudge nudge{i};
    State::columns(s, nudge);
    ASSERT_TRUE(nudge.done);
    EXPECT_NE(hash_state(s), h0) << "changing column '" << nudge.name << "' leaves the hash unchanged";
  }
}

}  // namespace
}  // namespace lokalmat
