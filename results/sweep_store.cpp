#include "results/sweep_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <utility>

#include "results/h5_util.h"

namespace lokalmat {

namespace {

namespace fs = std::filesystem;
using h5::attr_scalar;
using h5::attr_string;
using h5::attr_strings;
using h5::check;
using h5::check_id;
using h5::create_group;
using h5::Handle;
using h5::has_link;
using h5::open_group;
using h5::read_attr_scalar;
using h5::read_attr_string;
using h5::read_attr_strings;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- little-endian bytes --------------------------------------------------------------

// a count that must fit the u32 length prefixes of the formats below
std::uint32_t count32(std::size_t n, const char* what) {
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

// CRC-32 as in zlib, gzip and PNG (reflected polynomial 0xEDB88320), one table lookup a byte
constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t c = 0xFFFFFFFFU;
  for (char ch : bytes) c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

// ---- the journal file -----------------------------------------------------------------

constexpr std::uint8_t kRecordVersion = 1;
constexpr std::string_view kJournalMagic = "LOKALMAT-JOURNAL";
constexpr std::uint32_t kJournalVersion = 1;
constexpr std::size_t kJournalHeaderBytes = kJournalMagic.size() + 4 + 8;  // magic, version, fingerprint

std::string system_error_text(const std::string& what, const std::string& path, int err) {
  return what + " '" + path + "': " + std::strerror(err);
}

// a file descriptor closed on scope exit unless released (so a throwing constructor leaks none)
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      close_now();
      fd_ = o.release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { close_now(); }
  [[nodiscard]] int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  void close_now() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_;
};

// all of bytes, across partial writes and signals; false with errno set on an error
bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// one writer per journal: a second one would interleave its records with ours
void lock_exclusive(int fd, const std::string& path) {
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK)
      throw std::runtime_error("journal '" + path + "' is in use by another lokalmat sweep (or another journal object)");
    return;  // a file system without locks: go on unguarded rather than refuse to run
  }
}

// make a rename durable: the new directory entry is written when the directory is synced
void sync_directory(const std::string& file) {
  const fs::path dir = fs::path(file).parent_path();
  UniqueFd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

std::string read_whole_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(system_error_text(std::string("cannot open the ") + what, path, errno));
  in.seekg(0, std::ios::end);
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw std::runtime_error(std::string("cannot read the ") + what + " '" + path + "'");
  return bytes;
}

std::string journal_header(std::uint64_t fingerprint) {
  ByteWriter w;
  w.bytes(kJournalMagic);
  w.u32(kJournalVersion);
  w.u64(fingerprint);
  return w.data();
}

struct ParsedJournal {
  SweepJournal::Contents contents;
  std::int64_t good_bytes = 0;  // header and whole records: where the next record goes
};

// the header, then records until the end or the first one that is short, fails its CRC
// or does not decode: a crash can only tear the last record, so nothing after it is trusted
ParsedJournal parse_journal(std::string_view bytes, const std::string& path) {
  if (bytes.size() < kJournalHeaderBytes || bytes.substr(0, kJournalMagic.size()) != kJournalMagic)
    throw std::runtime_error("'" + path + "' is not a sweep journal");
  ByteReader in(bytes, "journal '" + path + "'");
  in.take(kJournalMagic.size());
  if (const std::uint32_t version = in.u32(); version != kJournalVersion)
    throw std::runtime_error("journal '" + path + "' has format version " + std::to_string(version) +
                             "; this program reads version " + std::to_string(kJournalVersion));
  ParsedJournal j;
  j.contents.fingerprint = in.u64();
  std::size_t good = in.position();
  while (in.remaining() >= 8) {
    const std::uint32_t length = in.u32();
    if (length > in.remaining() - 4) break;
    const std::string_view payload = in.take(length);
    if (in.u32() != crc32(payload)) break;
    try {
      j.contents.records.push_back(decode_record(payload));
    } catch (const std::runtime_error&) {
      break;
    }
    good = in.position();
  }
  j.good_bytes = static_cast<std::int64_t>(good);
  j.contents.dropped_bytes = static_cast<std::int64_t>(bytes.size() - good);
  return j;
}

// ---- the sweep file -------------------------------------------------------------------

// names become HDF5 link names: no '/' (a path separator), not empty or "."
void check_names(const std::vector<std::string>& names, const char* what) {
  for (const auto& n : names)
    if (n.empty() || n == "." || n.find('/') != std::string::npos)
      throw std::runtime_error(std::string("sweep file: ") + what + " name '" + n + "' cannot name a dataset");
}

// a list of units or descriptions: one per name, or none at all ("" each)
void check_labels(const std::vector<std::string>& labels, const std::vector<std::string>& names, const char* what) {
  if (!labels.empty() && labels.size() != names.size())
    throw std::runtime_error(std::string("sweep file: ") + std::to_string(labels.size()) + " " + what + " for " +
                             std::to_string(names.size()) + " names");
}
std::string label(const std::vector<std::string>& labels, std::size_t i) { return i < labels.size() ? labels[i] : ""; }

void check_header(const SweepHeader& h) {
  check_names(h.parameters, "parameter");
  check_names(h.outputs, "output");
  check_names(h.weekly_metrics, "weekly metric");
  check_labels(h.parameter_units, h.parameters, "parameter units");
  check_labels(h.output_units, h.outputs, "output units");
  check_labels(h.output_descriptions, h.outputs, "output descriptions");
  check_labels(h.weekly_units, h.weekly_metrics, "weekly units");
  for (const auto* table : {&h.design_values, &h.design_unit})
    for (const auto& row : *table)
      if (row.size() != h.parameters.size())
        throw std::runtime_error("sweep file: a design point has " + std::to_string(row.size()) + " values for " +
                                 std::to_string(h.parameters.size()) + " parameters");
  if (!h.weekly_metrics.empty() && !h.week_start.empty() && h.week_start.size() != static_cast<std::size_t>(h.weeks))
    throw std::runtime_error("sweep file: " + std::to_string(h.week_start.size()) + " week start dates for " +
                             std::to_string(h.weeks) + " weeks");
}

void check_record(const SweepHeader& h, const RunRecord& r) {
  const std::string run = "sweep file: run " + std::to_string(r.run_id);
  if (r.point < 0 || static_cast<std::size_t>(r.point) >= h.design_values.size())
    throw std::runtime_error(run + " has point " + std::to_string(r.point) + ", outside the design's " +
                             std::to_string(h.design_values.size()) + " points");
  if (r.ok && r.outputs.size() != h.outputs.size())
    throw std::runtime_error(run + " has " + std::to_string(r.outputs.size()) + " outputs; the sweep has " +
                             std::to_string(h.outputs.size()));
  const std::size_t weekly = h.weekly_metrics.size() * static_cast<std::size_t>(std::max(h.weeks, 0));
  if (r.ok && !r.weekly.empty() && r.weekly.size() != weekly)
    throw std::runtime_error(run + " has " + std::to_string(r.weekly.size()) + " weekly values; the sweep keeps " +
                             std::to_string(weekly));
}

// [rows x k] row-major
std::vector<double> flatten(const std::vector<std::vector<double>>& rows) {
  std::vector<double> out;
  for (const auto& row : rows) out.insert(out.end(), row.begin(), row.end());
  return out;
}

// one [R] column of /runs, one value per record
template <class T, class Field>
Handle write_column(hid_t group, const std::string& name, const std::vector<RunRecord>& rows, Field field,
                    const std::string& units) {
  std::vector<T> v;
  v.reserve(rows.size());
  for (const RunRecord& r : rows) v.push_back(static_cast<T>(field(r)));
  Handle d = h5::write_dataset(group, name, {v.size()}, v.data());
  attr_string(d.get(), "units", units);
  return d;
}

void write_root_attributes(hid_t root, const SweepHeader& h, const std::vector<RunRecord>& rows, bool complete,
                           double wall_seconds) {
  const auto ok = static_cast<std::int64_t>(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.ok; }));
  attr_string(root, "lokalmat_version", LOKALMAT_VERSION);
  attr_string(root, "title", h.title);
  attr_string(root, "design", h.design);
  attr_string(root, "sweep_path", h.sweep_path);
  attr_string(root, "sweep_toml", h.sweep_toml);
  attr_string(root, "base_scenario_toml", h.base_scenario_toml);
  attr_string(root, "model", h.model);
  attr_scalar(root, "n_points", static_cast<std::int64_t>(h.design_values.size()));
  attr_scalar(root, "n_runs", h.n_runs);
  attr_scalar(root, "replicates", h.replicates);
  attr_scalar(root, "first_seed", h.first_seed);
  attr_scalar(root, "block_size", h.block_size);
  attr_scalar(root, "weeks", h.weeks);
  attr_scalar(root, "runs_ok", ok);
  attr_scalar(root, "runs_failed", static_cast<std::int64_t>(rows.size()) - ok);
  attr_scalar(root, "complete", complete ? 1 : 0);
  attr_scalar(root, "wall_seconds", wall_seconds);
  attr_scalar(root, "fingerprint", h.fingerprint());
}

// /design/values and /design/unit, [P x K]; the columns are named by the names attribute
void write_design(hid_t root, const SweepHeader& h) {
  Handle design = create_group(root, "design");
  auto write_points = [&](const char* name, const std::vector<std::vector<double>>& rows) {
    const std::vector<double> flat = flatten(rows);
    Handle d = h5::write_dataset(design.get(), name, {rows.size(), h.parameters.size()}, flat.data());
    attr_strings(d.get(), "names", h.parameters);
    return d;
  };
  std::vector<std::string> units(h.parameters.size());
  for (std::size_t k = 0; k < units.size(); ++k) units[k] = label(h.parameter_units, k);
  attr_strings(write_points("values", h.design_values).get(), "units", units);
  attr_string(write_points("unit", h.design_unit).get(), "units", "unit-cube coordinate, 0-1");
}

void write_runs(hid_t root, const SweepHeader& h, const std::vector<RunRecord>& rows) {
  Handle runs = create_group(root, "runs");
  const hid_t g = runs.get();
  write_column<std::int64_t>(g, "run_id", rows, [](const RunRecord& r) { return r.run_id; }, "run number in the sweep");
  write_column<std::int64_t>(g, "point", rows, [](const RunRecord& r) { return r.point; },
                             "design point: row of /design/values");
  write_column<std::int32_t>(g, "replicate", rows, [](const RunRecord& r) { return r.replicate; },
                             "replicate number at its design point");
  write_column<std::uint64_t>(g, "seed", rows, [](const RunRecord& r) { return r.seed; }, "run.seed of the run");
  write_column<double>(g, "wall_seconds", rows, [](const RunRecord& r) { return r.wall_seconds; }, "seconds");
  std::vector<std::string> status, message;
  for (const RunRecord& r : rows) {
    status.emplace_back(r.ok ? "ok" : "failed");
    message.push_back(r.message);
  }
  attr_string(h5::write_strings(g, "status", status).get(), "units", "ok | failed");
  attr_string(h5::write_strings(g, "message", message).get(), "units", "the error of a failed run");

  // the parameters of each run: its design point's values
  Handle param = create_group(g, "param");
  attr_strings(param.get(), "names", h.parameters);
  for (std::size_t k = 0; k < h.parameters.size(); ++k)
    write_column<double>(param.get(), h.parameters[k], rows,
                         [&](const RunRecord& r) { return h.design_values[static_cast<std::size_t>(r.point)][k]; },
                         label(h.parameter_units, k));

  // outputs: NaN for a failed run, whatever its record holds
  Handle output = create_group(g, "output");
  attr_strings(output.get(), "names", h.outputs);
  for (std::size_t j = 0; j < h.outputs.size(); ++j) {
    Handle d = write_column<double>(output.get(), h.outputs[j], rows,
                                    [&](const RunRecord& r) { return r.ok ? r.outputs[j] : kNaN; },
                                    label(h.output_units, j));
    attr_string(d.get(), "description", label(h.output_descriptions, j));
  }
}

// /weekly/<metric> [R x W]: a run's rows of its [metrics x weeks] block; NaN when failed or not kept
void write_weekly(hid_t root, const SweepHeader& h, const std::vector<RunRecord>& rows) {
  Handle weekly = create_group(root, "weekly");
  attr_strings(weekly.get(), "names", h.weekly_metrics);
  Handle dates = h5::write_strings(weekly.get(), "week_start", h.week_start, 10);  // as in the run file
  attr_string(dates.get(), "units", "ISO date of the week's first day");
  const auto W = static_cast<std::size_t>(std::max(h.weeks, 0));
  for (std::size_t m = 0; m < h.weekly_metrics.size(); ++m) {
    std::vector<double> table(rows.size() * W, kNaN);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const RunRecord& r = rows[i];
      if (!r.ok || r.weekly.empty()) continue;
      std::copy_n(r.weekly.begin() + static_cast<std::ptrdiff_t>(m * W), W,
                  table.begin() + static_cast<std::ptrdiff_t>(i * W));
    }
    Handle d = h5::write_dataset(weekly.get(), h.weekly_metrics[m], {rows.size(), W}, table.data(), true);
    attr_string(d.get(), "units", label(h.weekly_units, m));
  }
}

// write `path` through `path.tmp`: a reader only ever sees the old file or the whole new one
template <class Write>
void replace_atomically(const std::string& path, Write write) {
  const std::string tmp = path + ".tmp";
  try {
    write(tmp);
    fs::rename(tmp, path);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

std::vector<std::vector<double>> read_table(hid_t group, const std::string& name) {
  std::vector<hsize_t> dims;
  const std::vector<double> flat = h5::read_dataset<double>(group, name, &dims);
  if (dims.size() != 2) throw std::runtime_error("sweep file: " + name + " is not a table");
  std::vector<std::vector<double>> rows(dims[0]);
  for (std::size_t p = 0; p < rows.size(); ++p)
    rows[p].assign(flat.begin() + static_cast<std::ptrdiff_t>(p * dims[1]),
                   flat.begin() + static_cast<std::ptrdiff_t>((p + 1) * dims[1]));
  return rows;
}

// a /runs column, checked to have a value for every run
template <class T>
std::vector<T> read_column(hid_t group, const std::string& name, std::size_t rows) {
  std::vector<T> v = h5::read_dataset<T>(group, name);
  if (v.size() != rows)
    throw std::runtime_error("sweep file: " + name + " has " + std::to_string(v.size()) + " rows, not " +
                             std::to_string(rows));
  return v;
}

Handle open_file(const std::string& path, unsigned flags) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr noise
  const hid_t id = H5Fopen(path.c_str(), flags, H5P_DEFAULT);
  if (id < 0) throw std::runtime_error("cannot open the sweep file '" + path + "' (missing, or not HDF5)");
  return {id, H5Fclose};
}

}  // namespace

// ---- records --------------------------------------------------------------------------

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
  w.i32(weeks);
  std::uint64_t x = 0xcbf29ce484222325ULL;
  for (char c : w.data()) x = (x ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// ---- journal --------------------------------------------------------------------------

SweepJournal::SweepJournal(std::string path, std::uint64_t fingerprint, bool resume) : path_(std::move(path)) {
  UniqueFd fd;
  if (resume) {
    fd = UniqueFd(::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
    if (fd.get() < 0) throw std::runtime_error(system_error_text("cannot open the journal", path_, errno));
    lock_exclusive(fd.get(), path_);
    // read under the lock: no other writer can be half-way through a record
    const ParsedJournal j = parse_journal(read_whole_file(path_, "journal"), path_);
    if (j.contents.fingerprint != fingerprint) {
      char ids[64];
      std::snprintf(ids, sizeof ids, "%016llx, this sweep %016llx",
                    static_cast<unsigned long long>(j.contents.fingerprint),
                    static_cast<unsigned long long>(fingerprint));
      throw std::runtime_error("journal '" + path_ + "' belongs to a different sweep definition (fingerprint " + ids +
                               ")");
    }
    // cut off a torn tail, so the records appended now follow the last good one
    if (j.contents.dropped_bytes > 0 && (::ftruncate(fd.get(), j.good_bytes) != 0 || ::fdatasync(fd.get()) != 0))
      throw std::runtime_error(system_error_text("cannot cut the torn tail off the journal", path_, errno));
    end_ = j.good_bytes;
  } else {
    // never replace a journal that another sweep is still writing
    if (const UniqueFd old(::open(path_.c_str(), O_RDONLY | O_CLOEXEC)); old.get() >= 0) lock_exclusive(old.get(), path_);
    if (const auto dir = fs::path(path_).parent_path(); !dir.empty()) fs::create_directories(dir);
    // the header goes to a new file renamed into place, so a journal never lacks its header
    const std::string tmp = path_ + ".tmp";
    fd = UniqueFd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw std::runtime_error(system_error_text("cannot create the journal", tmp, errno));
    lock_exclusive(fd.get(), tmp);
    const std::string header = journal_header(fingerprint);
    if (!write_all(fd.get(), header) || ::fdatasync(fd.get()) != 0)
      throw std::runtime_error(system_error_text("cannot write the journal", tmp, errno));
    fs::rename(tmp, path_);
    sync_directory(path_);
    end_ = static_cast<std::int64_t>(header.size());
  }
  fd_ = fd.release();
}

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void SweepJournal::append(const RunRecord& r) {
  const std::string payload = encode_record(r);
  ByteWriter w;
  w.u32(count32(payload.size(), "journal record"));
  w.bytes(payload);
  w.u32(crc32(payload));
  // one write (looped only when the kernel takes part of it); the page cache then holds
  // it, so only a power loss, not a killed process, can lose it (sync() covers that)
  if (!write_all(fd_, w.data())) {
    const int err = errno;
    // cut a partly written record off: left there it would hide every record appended after it
    const bool cut = ::ftruncate(fd_, end_) == 0;
    throw std::runtime_error(system_error_text("cannot append to the journal", path_, err) +
                             (cut ? "" : " (and a torn record is left at its end)"));
  }
  end_ += static_cast<std::int64_t>(w.data().size());
}

void SweepJournal::sync() {
  if (::fdatasync(fd_) != 0) throw std::runtime_error(system_error_text("cannot sync the journal", path_, errno));
}

SweepJournal::Contents SweepJournal::read(const std::string& path) {
  if (!fs::exists(path)) throw std::runtime_error("no journal '" + path + "'");
  return parse_journal(read_whole_file(path, "journal"), path).contents;
}

// ---- sweep file -----------------------------------------------------------------------

void write_sweep_file(const std::string& path, const SweepHeader& h, std::vector<RunRecord> records, bool complete,
                      double wall_seconds) {
  check_header(h);
  // rows by run id; a run recorded twice (run again after a resume) keeps its first record
  std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.run_id < b.run_id; });
  records.erase(std::unique(records.begin(), records.end(),
                            [](const auto& a, const auto& b) { return a.run_id == b.run_id; }),
                records.end());
  for (const RunRecord& r : records) check_record(h, r);
  if (const auto dir = fs::path(path).parent_path(); !dir.empty()) fs::create_directories(dir);

  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr noise
  replace_atomically(path, [&](const std::string& tmp) {
    Handle file(check_id(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "cannot create the sweep file"),
                H5Fclose);
    write_root_attributes(file.get(), h, records, complete, wall_seconds);
    write_design(file.get(), h);
    write_runs(file.get(), h, records);
    if (!h.weekly_metrics.empty()) write_weekly(file.get(), h, records);
    file.close("close the sweep file");
  });
}

SweepFile read_sweep_file(const std::string& path) {
  Handle file = open_file(path, H5F_ACC_RDONLY);
  const hid_t root = file.get();
  SweepFile out;
  SweepHeader& h = out.header;
  h.title = read_attr_string(root, "title");
  h.design = read_attr_string(root, "design");
  h.sweep_path = read_attr_string(root, "sweep_path");
  h.sweep_toml = read_attr_string(root, "sweep_toml");
  h.base_scenario_toml = read_attr_string(root, "base_scenario_toml");
  h.model = read_attr_string(root, "model");
  h.n_runs = read_attr_scalar<std::int64_t>(root, "n_runs");
  h.replicates = read_attr_scalar<std::int32_t>(root, "replicates");
  h.first_seed = read_attr_scalar<std::uint64_t>(root, "first_seed");
  h.block_size = read_attr_scalar<std::int32_t>(root, "block_size");
  h.weeks = read_attr_scalar<std::int32_t>(root, "weeks");
  out.complete = read_attr_scalar<std::int32_t>(root, "complete") != 0;
  out.wall_seconds = read_attr_scalar<double>(root, "wall_seconds");

  // the design: parameter names and units from the attributes of /design/values
  {
    Handle design = open_group(root, "design");
    Handle values = h5::open_dataset(design.get(), "values");
    h.parameters = read_attr_strings(values.get(), "names");
    h.parameter_units = read_attr_strings(values.get(), "units");
    h.design_values = read_table(design.get(), "values");
    h.design_unit = read_table(design.get(), "unit");
  }

  // the runs, column by column
  Handle runs = open_group(root, "runs");
  const hid_t g = runs.get();
  const std::vector<std::int64_t> run_id = h5::read_dataset<std::int64_t>(g, "run_id");
  const std::size_t R = run_id.size();
  const auto point = read_column<std::int64_t>(g, "point", R);
  const auto replicate = read_column<std::int32_t>(g, "replicate", R);
  const auto seed = read_column<std::uint64_t>(g, "seed", R);
  const auto wall = read_column<double>(g, "wall_seconds", R);
  const std::vector<std::string> status = h5::read_strings(g, "status");
  const std::vector<std::string> message = h5::read_strings(g, "message");
  if (status.size() != R || message.size() != R) throw std::runtime_error("sweep file: status or message rows differ");
  Handle output = open_group(g, "output");
  h.outputs = read_attr_strings(output.get(), "names");
  std::vector<std::vector<double>> outputs;
  for (const std::string& name : h.outputs) {
    Handle d = h5::open_dataset(output.get(), name);
    h.output_units.push_back(read_attr_string(d.get(), "units"));
    h.output_descriptions.push_back(read_attr_string(d.get(), "description"));
    outputs.push_back(read_column<double>(output.get(), name, R));
  }
  out.records.resize(R);
  for (std::size_t i = 0; i < R; ++i) {
    RunRecord& r = out.records[i];
    r.run_id = run_id[i];
    r.point = point[i];
    r.replicate = replicate[i];
    r.seed = seed[i];
    r.ok = status[i] == "ok";
    r.message = message[i];
    r.wall_seconds = wall[i];
    for (const auto& column : outputs) r.outputs.push_back(column[i]);
  }

  // the weekly series' names, units and calendar (not their values)
  if (has_link(root, "weekly")) {
    Handle weekly = open_group(root, "weekly");
    h.weekly_metrics = read_attr_strings(weekly.get(), "names");
    for (const std::string& name : h.weekly_metrics)
      h.weekly_units.push_back(read_attr_string(h5::open_dataset(weekly.get(), name).get(), "units"));
    h.week_start = h5::read_strings(weekly.get(), "week_start");
  }
  return out;
}

// ---- analysis -------------------------------------------------------------------------

void write_analysis(const std::string& path, const std::vector<AnalysisTable>& tables,
                    const std::vector<std::string>& parameters) {
  for (const AnalysisTable& t : tables) {
    check_names({t.method, t.output}, "analysis");
    check_names(t.columns, "analysis column");
    bool rectangular = t.values.size() == parameters.size();
    for (const auto& row : t.values) rectangular = rectangular && row.size() == t.columns.size();
    if (!rectangular)
      throw std::runtime_error("analysis " + t.method + "/" + t.output + ": values are not [" +
                               std::to_string(parameters.size()) + " parameters x " +
                               std::to_string(t.columns.size()) + " columns]");
  }
  replace_atomically(path, [&](const std::string& tmp) {
    fs::copy_file(path, tmp, fs::copy_options::overwrite_existing);
    Handle file = open_file(tmp, H5F_ACC_RDWR);
    const hid_t root = file.get();
    // unlinking leaves the old tables' bytes unused in the file (h5repack reclaims them)
    if (has_link(root, "analysis")) check(H5Ldelete(root, "analysis", H5P_DEFAULT), "delete /analysis");
    Handle analysis = create_group(root, "analysis");
    for (const AnalysisTable& t : tables) {
      Handle method =
          has_link(analysis.get(), t.method) ? open_group(analysis.get(), t.method) : create_group(analysis.get(), t.method);
      if (has_link(method.get(), t.output))
        throw std::runtime_error("analysis: two tables for " + t.method + "/" + t.output);
      Handle table = create_group(method.get(), t.output);
      attr_strings(table.get(), "parameters", parameters);
      attr_strings(table.get(), "columns", t.columns);
      attr_scalar(table.get(), "used", t.used);
      // one dataset a column, over the parameters
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        std::vector<double> column;
        for (const auto& row : t.values) column.push_back(row[c]);
        Handle d = h5::write_dataset(table.get(), t.columns[c], {column.size()}, column.data());
        attr_strings(d.get(), "parameters", parameters);
        attr_scalar(d.get(), "used", t.used);
      }
    }
    analysis.reset();
    file.close("close the sweep file");
  });
}

}  // namespace lokalmat
