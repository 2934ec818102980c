#pragma once
// Fixed-width little-endian encoding of sweep records, journal headers and fingerprints,
// the same whatever the host's byte order. The reader checks every read against the
// bytes left, so garbage throws instead of overreading.
#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lokalmat::bytes {

// a count that must fit the u32 length prefixes of the formats below
inline std::uint32_t count32(std::size_t n, const char* what) {
  if (n > std::numeric_limits<std::uint32_t>::max())
    throw std::runtime_error(std::string(what) + ": too long to encode (" + std::to_string(n) + ")");
  return static_cast<std::uint32_t>(n);
}

// appends fixed-width little-endian values, whatever the host's byte order
class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { put(v, 4); }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void u64(std::uint64_t v) { put(v, 8); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }  // bitwise: NaN, -0 and inf survive
  void bytes(std::string_view s) { out_.append(s); }
  void str(std::string_view s) {  // u32 length, then the bytes
    u32(count32(s.size(), "string"));
    bytes(s);
  }
  void strs(const std::vector<std::string>& v) {
    u32(count32(v.size(), "string list"));
    for (const auto& s : v) str(s);
  }
  void f64s(const std::vector<double>& v) {  // u32 count, then the values
    u32(count32(v.size(), "value list"));
    for (double x : v) f64(x);
  }
  [[nodiscard]] const std::string& data() const { return out_; }

 private:
  void put(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
  }
  std::string out_;
};

// reads what ByteWriter wrote; every read checks the bytes left, so garbage throws, never overreads
class ByteReader {
 public:
  ByteReader(std::string_view in, std::string what) : in_(in), what_(std::move(what)) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::uint64_t u64() { return get(8); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  double f64() { return std::bit_cast<double>(u64()); }
  std::string str() { return std::string(take(u32())); }
  std::vector<double> f64s() {
    const std::uint32_t n = u32();
    // check before allocating: a garbage count must not ask for gigabytes
    if (n > remaining() / 8) fail("a list of " + std::to_string(n) + " values");
    std::vector<double> v(n);
    for (double& x : v) x = f64();
    return v;
  }
  std::string_view take(std::size_t n) {
    if (n > remaining()) fail(std::to_string(n) + " bytes");
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  [[nodiscard]] std::size_t remaining() const { return in_.size() - pos_; }
  [[nodiscard]] std::size_t position() const { return pos_; }
  [[noreturn]] void fail(const std::string& wanted) const {
    throw std::runtime_error(what_ + ": truncated or corrupt (wanted " + wanted + " at byte " + std::to_string(pos_) +
                             " of " + std::to_string(in_.size()) + ")");
  }

 private:
  std::uint64_t get(int n) {
    const std::string_view b = take(static_cast<std::size_t>(n));
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= std::uint64_t{static_cast<unsigned char>(b[static_cast<std::size_t>(i)])} << (8 * i);
    return v;
  }
  std::string_view in_;
  std::string what_;
  std::size_t pos_ = 0;
};

// FNV-1a over the bytes, then the splitmix64 finaliser to spread FNV's weak high bits:
// a digest of a length-prefixed serialisation (so "ab","c" and "a","bc" differ)
inline std::uint64_t digest(std::string_view data) {
  std::uint64_t x = 0xcbf29ce484222325ULL;
  for (char c : data) x = (x ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace lokalmat::bytes
