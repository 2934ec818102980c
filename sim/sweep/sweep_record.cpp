#include "sim/sweep/sweep_record.h"

#include "sim/sweep/byte_codec.h"

namespace lokalmat {

namespace {
using bytes::ByteReader;
using bytes::ByteWriter;
using bytes::count32;
constexpr std::uint8_t kRecordVersion = 1;
}  // namespace

// version, run_id, point, replicate, seed, ok, wall_seconds, message, outputs, weekly
std::string encode_record(const RunRecord& r) {
  ByteWriter w;
  w.u8(kRecordVersion);
  w.i64(r.run_id);
  w.i64(r.point);
  w.i32(r.replicate);
  w.u64(r.seed);
  w.u8(r.ok ? 1 : 0);
  w.f64(r.wall_seconds);
  w.str(r.message);
  w.f64s(r.outputs);
  w.f64s(r.weekly);
  return w.data();
}

RunRecord decode_record(std::string_view bytes) {
  ByteReader in(bytes, "sweep record");
  if (const std::uint8_t version = in.u8(); version != kRecordVersion)
    throw std::runtime_error("sweep record: unknown format version " + std::to_string(version));
  RunRecord r;
  r.run_id = in.i64();
  r.point = in.i64();
  r.replicate = in.i32();
  r.seed = in.u64();
  const std::uint8_t ok = in.u8();
  if (ok > 1) throw std::runtime_error("sweep record: corrupt (ok flag " + std::to_string(ok) + ")");
  r.ok = ok == 1;
  r.wall_seconds = in.f64();
  r.message = in.str();
  r.outputs = in.f64s();
  r.weekly = in.f64s();
  if (in.remaining() != 0)
    throw std::runtime_error("sweep record: corrupt (" + std::to_string(in.remaining()) + " bytes after the end)");
  return r;
}

// FNV-1a over a length-prefixed serialisation (so "ab","c" and "a","bc" differ), then the
// splitmix64 finaliser to spread FNV's weak high bits. Title and paths are left out: moving
// or retitling a sweep file does not change its runs.
std::uint64_t SweepHeader::fingerprint() const {
  ByteWriter w;
  w.str("lokalmat sweep fingerprint 1");
  w.str(design);
  w.str(model);
  w.str(sweep_toml);
  w.str(base_scenario_toml);
  w.strs(parameters);
  w.u32(count32(design_values.size(), "design"));
  for (const auto& point : design_values) w.f64s(point);
  w.i64(n_runs);
  w.i32(replicates);
  w.u64(first_seed);
  w.strs(outputs);
  w.strs(weekly_metrics);
  w.strs(weekly_municipalities);
  w.i32(weeks);
  return bytes::digest(w.data());
}

}  // namespace lokalmat
