// The state's column lists at work: sizing the run's columns at set-up, and the
// weekly state hash (XXH3 over each column's bytes, Debian's libxxhash). Both walk State::columns, so a column added to a list is sized
// and hashed without another line of code.
#include "sim/state.h"

#include <tbb/parallel_for.h>
#define XXH_INLINE_ALL  // header only: the functions inlined here, nothing to link
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace lokalmat {

namespace {


// ---------------------------------------------------------------- sizing

struct Sizer {
  const StateSizes& n;
  template <class T>
  void operator()(T&, const char*) const {}  // scalars need no size
  template <class T>
  void operator()(std::vector<T>& column, const char*, Dim dim, Role role) const {
    if (role != Role::run) return;  // built by set-up
    if constexpr (is_vector<T>::value) {
      // a week's row per kept week (market_history), or an empty list per agent
      if (dim == Dim::market_history) column.assign(n.history, T(column_length(dim, n)));
      else column.assign(column_length(dim, n), T{});
    } else {
      column.assign(column_length(dim, n), T{});
    }
  }
};

// ---------------------------------------------------------------- hashing

// a column element whose bytes are its value: an arithmetic or enum value (a float by its bit
// pattern), or a struct or fixed-size array of such with no padding; hashed as raw bytes
template <class T>
struct raw_bytes : std::bool_constant<std::is_arithmetic_v<T> || std::is_enum_v<T> ||
                                      std::has_unique_object_representations_v<T>> {};
template <class T, std::size_t N>
struct raw_bytes<std::array<T, N>> : std::bool_constant<raw_bytes<T>::value && sizeof(std::array<T, N>) == N * sizeof(T)> {};
template <>
struct raw_bytes<bool> : std::false_type {};  // std::vector<bool> has no contiguous bytes

struct Hasher {
  std::uint64_t h = 0xcbf29ce484222325ull;
  void word(std::uint64_t x) {
    // one 64-bit word at a time: xor, then the splitmix64 finaliser (good avalanche, cheap)
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
  }
  // one value: its bit pattern (floats), its value (integers, enums), field by field (dates, arrays)
  template <class T>
  void value(const T& x) {
    if constexpr (std::is_floating_point_v<T>) {
      std::uint64_t bits;
      static_assert(sizeof(T) == sizeof bits);
      std::memcpy(&bits, &x, sizeof bits);
      word(bits);
    } else if constexpr (std::is_enum_v<T>) {
      word(static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(x)));
    } else if constexpr (std::is_integral_v<T>) {
      word(static_cast<std::uint64_t>(x));
    } else if constexpr (std::is_same_v<T, Date>) {
      word(static_cast<std::uint64_t>(x.year));
      word(static_cast<std::uint64_t>(x.month));
      word(static_cast<std::uint64_t>(x.day));
    } else if constexpr (is_vector<T>::value) {
      values(x);
    } else {
      for (const auto& e : x) value(e);  // a fixed-size array
    }
  }
  // A column: its length, then its values. A column of raw-byte elements is hashed with XXH3
  // (64-bit, the same on every platform) in fixed blocks of bytes, in parallel when long, the
  // blocks' hashes folded in block order, so the result does not depend on the number of
  // threads; a column of lists element by element.
  template <class T>
  void values(const std::vector<T>& v) {
    word(v.size());
    if constexpr (raw_bytes<T>::value) {
      constexpr std::size_t kBlockBytes = 1 << 20;
      const auto* bytes = reinterpret_cast<const unsigned char*>(v.data());
      const std::size_t n = v.size() * sizeof(T);
      if (n <= kBlockBytes) {
        word(XXH3_64bits(bytes, n));
        return;
      }
      std::vector<std::uint64_t> blocks((n + kBlockBytes - 1) / kBlockBytes);
      tbb::parallel_for(std::size_t{0}, blocks.size(), [&](std::size_t b) {
        const std::size_t begin = b * kBlockBytes;
        blocks[b] = XXH3_64bits(bytes + begin, std::min(kBlockBytes, n - begin));
      });
      for (std::uint64_t b : blocks) word(b);
    } else {
      for (const T& x : v) value(x);
    }
  }
  template <class T>
  void operator()(const T& x, const char*) { value(x); }
  template <class T>
  void operator()(const std::vector<T>& column, const char*, Dim, Role) { values(column); }
};

}  // namespace

StateSizes state_sizes(const Params& p, const State& s) {
  StateSizes n;
  n.producers = s.producers.channel_begin.empty() ? 0 : s.producers.channel_begin.size() - 1;
  n.channels = s.channels.producer.size();
  n.markets = s.markets.kind.size();
  n.buyers = s.buyer_market.size();
  n.workers = s.workers.centre.size();
  n.municipalities = s.hub_of_municipality.size();
  n.categories = static_cast<std::size_t>(p.n_categories());
  n.history = static_cast<std::size_t>(p.procurement.call_off_lead_weeks + 1);
  return n;
}

std::size_t column_length(Dim d, const StateSizes& n) {
  const std::size_t C = n.categories;
  switch (d) {
    case Dim::producer: return n.producers;
    case Dim::producer_plus_one: return n.producers + 1;
    case Dim::producer_category: return n.producers * C;
    case Dim::channel: return n.channels;
    case Dim::channel_category: return n.channels * C;
    case Dim::channel_category_season: return n.channels * C * 2;
    case Dim::market: return n.markets;
    case Dim::market_category: return n.markets * C;
    case Dim::market_category_season: return n.markets * C * 2;
    case Dim::market_history: return n.markets * C;
    case Dim::buyer: return n.buyers;
    case Dim::buyer_category: return n.buyers * C;
    case Dim::worker: return n.workers;
    case Dim::municipality: return n.municipalities;
    case Dim::municipality_category: return n.municipalities * C;
  }
  throw std::logic_error("column_length: unknown shape");
}

void size_run_columns(State& s, const StateSizes& n) { State::columns(s, Sizer{n}); }

std::uint64_t hash_state(const State& s) {
  Hasher hs;
  State::columns(s, hs);
  return hs.h;
}

}  // namespace lokalmat
