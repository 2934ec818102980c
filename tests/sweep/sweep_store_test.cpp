// The sweep store: the record codec, the crash-safe journal (torn tails, resume,
// one writer), the fingerprint, and the sweep file as read back by the C++ reader,
// by the HDF5 C API and by h5py (results/read_sweep.py).
#include "results/sweep_store.h"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/h5_util.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// doubles as bit patterns, so NaN == NaN and -0 != 0 in comparisons
std::vector<std::uint64_t> bits(const std::vector<double>& v) {
  std::vector<std::uint64_t> out;
  for (double x : v) out.push_back(std::bit_cast<std::uint64_t>(x));
  return out;
}

void expect_same_record(const RunRecord& a, const RunRecord& b) {
  EXPECT_EQ(a.run_id, b.run_id);
  EXPECT_EQ(a.point, b.point);
  EXPECT_EQ(a.replicate, b.replicate);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.ok, b.ok);
  EXPECT_EQ(a.message, b.message);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(a.wall_seconds), std::bit_cast<std::uint64_t>(b.wall_seconds));
  EXPECT_EQ(bits(a.outputs), bits(b.outputs));
  EXPECT_EQ(bits(a.weekly), bits(b.weekly));
}

std::vector<std::int64_t> ids_of(const std::vector<RunRecord>& records) {
  std::vector<std::int64_t> ids;
  for (const auto& r : records) ids.push_back(r.run_id);
  return ids;
}

// a finished run of the test sweep below: point = id / 2, two replicates a point
RunRecord ok_run(std::int64_t id, std::size_t weekly_values = 0) {
  RunRecord r;
  r.run_id = id;
  r.point = id / 2;
  r.replicate = static_cast<std::int32_t>(id % 2);
  r.seed = 100 + static_cast<std::uint64_t>(id);
  r.wall_seconds = 0.25 * static_cast<double>(id + 1);
  r.outputs = {1.5 * static_cast<double>(id), -static_cast<double>(id)};
  for (std::size_t i = 0; i < weekly_values; ++i) r.weekly.push_back(static_cast<double>(id) * 100 + static_cast<double>(i));
  return r;
}

RunRecord failed_run(std::int64_t id, std::string message) {
  RunRecord r = ok_run(id);
  r.ok = false;
  r.message = std::move(message);
  r.outputs.clear();
  return r;
}

// 3 design points x 2 replicates of two parameters (one a dotted scenario key path), two outputs
SweepHeader test_header() {
  SweepHeader h;
  h.title = "test sweep";
  h.design = "lhs";
  h.sweep_path = "sweeps/test.toml";
  h.sweep_toml = "[sweep]\ndesign = \"lhs\"\n";
  h.base_scenario_toml = "";
  h.model = "ishigami";
  h.parameters = {"municipalities.horten.hub.fee_nok_per_kg", "x2"};
  h.parameter_units = {"NOK/kg", "1"};
  h.design_values = {{1.0, -2.0}, {2.5, 0.0}, {4.0, 3.5}};
  h.design_unit = {{0.1, 0.2}, {0.5, 0.5}, {0.9, 0.8}};
  h.n_runs = 6;
  h.replicates = 2;
  h.first_seed = 100;
  h.block_size = 1;
  h.outputs = {"y", "local_share_value"};
  h.output_units = {"1", "fraction"};
  h.output_descriptions = {"the Ishigami function", "local share by value"};
  return h;
}

// the same sweep keeping two weekly series of 3 weeks
SweepHeader weekly_header() {
  SweepHeader h = test_header();
  h.weekly_metrics = {"local_share_value", "meals"};
  h.weekly_units = {"fraction", "eater-days"};
  h.weeks = 3;
  h.week_start = {"2025-01-06", "2025-01-13", "2025-01-20"};
  return h;
}

void append_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << bytes;
  ASSERT_TRUE(out.good());
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no std::runtime_error thrown";
  return "";
}

// ---- records ----

TEST(SweepRecord, RoundTripKeepsEveryFieldBitForBit) {
  RunRecord r;
  r.run_id = -7;
  r.point = 1234567890123;
  r.replicate = -3;
  r.seed = std::numeric_limits<std::uint64_t>::max();
  r.ok = true;
  r.wall_seconds = 12.5;
  r.message = std::string(100000, 'x') + "æøå \xE2\x82\xAC" + std::string(1, '\0') + "after a NUL";
  r.outputs = {kNaN, -0.0, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min(),
               -1e300};
  r.weekly = {1, 2, kNaN, 4};
  expect_same_record(decode_record(encode_record(r)), r);
}

TEST(SweepRecord, RoundTripsEmptyVectorsAndAFailedRun) {
  expect_same_record(decode_record(encode_record(RunRecord{})), RunRecord{});
  const RunRecord failed = failed_run(4, "scenario error: unknown key");
  const RunRecord back = decode_record(encode_record(failed));
  expect_same_record(back, failed);
  EXPECT_FALSE(back.ok);
  EXPECT_TRUE(back.outputs.empty());
}

TEST(SweepRecord, EveryTruncationThrows) {
  RunRecord r = ok_run(3, 4);
  r.message = "short";
  const std::string bytes = encode_record(r);
  for (std::size_t n = 0; n < bytes.size(); ++n)
    EXPECT_THROW(decode_record(std::string_view(bytes).substr(0, n)), std::runtime_error) << n << " bytes";
}

TEST(SweepRecord, GarbageThrowsWithoutReadingOutOfBounds) {
  const std::string good = encode_record(ok_run(3));
  EXPECT_THROW(decode_record(good + "x"), std::runtime_error);  // trailing bytes
  std::string bad_version = good;
  bad_version[0] = 9;
  EXPECT_NE(message_of([&] { decode_record(bad_version); }).find("version 9"), std::string::npos);
  std::string bad_flag = good;
  bad_flag[1 + 8 + 8 + 4 + 8] = 2;  // the ok byte after version, run_id, point, replicate, seed
  EXPECT_THROW(decode_record(bad_flag), std::runtime_error);
  // a list claiming 2^32-1 values must fail on the length, not try to allocate them
  RunRecord empty;
  std::string huge = encode_record(empty);
  huge.replace(huge.size() - 8, 4, "\xff\xff\xff\xff");  // the outputs count
  EXPECT_THROW(decode_record(huge), std::runtime_error);

  // random bytes: either a clean exception or, rarely, a record; never a crash
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 80, '\0');
    for (char& c : junk) c = static_cast<char>(rng() & 0xff);
    if (!junk.empty() && rng() % 2) junk[0] = 1;  // a valid version byte half the time
    try {
      (void)decode_record(junk);
    } catch (const std::runtime_error&) {
    }
  }
}

// ---- journal ----

TEST(SweepJournal, AppendedRecordsReadBackInOrder) {
  TempDir dir;
  const std::string path = dir.file("sweep.h5.journal");
  std::vector<RunRecord> written;
  {
    SweepJournal j(path, 0xabcdef, false);
    EXPECT_EQ(j.path(), path);
    for (std::int64_t id : {4, 0, 2, 5}) {
      written.push_back(id == 2 ? failed_run(id, "it broke") : ok_run(id, 3));
      j.append(written.back());
    }
    j.sync();
    // appended records are readable at once, while the journal is open (as after kill -9)
    EXPECT_EQ(SweepJournal::read(path).records.size(), written.size());
  }
  const SweepJournal::Contents c = SweepJournal::read(path);
  EXPECT_EQ(c.fingerprint, 0xabcdefU);
  EXPECT_EQ(c.dropped_bytes, 0);
  ASSERT_EQ(c.records.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) expect_same_record(c.records[i], written[i]);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(SweepJournal, TornTailIsDroppedAndResumeAppendsAfterTheLastGoodRecord) {
  TempDir dir;
  const std::string path = dir.file("j");
  {
    SweepJournal j(path, 7, false);
    for (std::int64_t id = 0; id < 5; ++id) j.append(ok_run(id));
  }
  // a kill during the last write leaves part of it
  fs::resize_file(path, fs::file_size(path) - 3);
  const auto torn_size = static_cast<std::int64_t>(fs::file_size(path));
  const SweepJournal::Contents torn = SweepJournal::read(path);
  EXPECT_EQ(ids_of(torn.records), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_GT(torn.dropped_bytes, 0);
  EXPECT_LT(torn.dropped_bytes, torn_size);
  {
    SweepJournal j(path, 7, true);
    // the torn bytes are gone before anything is appended
    EXPECT_EQ(static_cast<std::int64_t>(fs::file_size(path)), torn_size - torn.dropped_bytes);
    j.append(ok_run(9));
  }
  const SweepJournal::Contents resumed = SweepJournal::read(path);
  EXPECT_EQ(ids_of(resumed.records), (std::vector<std::int64_t>{0, 1, 2, 3, 9}));
  EXPECT_EQ(resumed.dropped_bytes, 0);
  expect_same_record(resumed.records.back(), ok_run(9));
}

TEST(SweepJournal, GarbageTailIsDropped) {
  TempDir dir;
  const std::string path = dir.file("j");
  {
    SweepJournal j(path, 7, false);
    for (std::int64_t id = 0; id < 3; ++id) j.append(ok_run(id));
  }
  const std::string garbage("\x10\x00\x00\x00garbage!", 12);  // claims 16 bytes, has 8
  append_bytes(path, garbage);
  const SweepJournal::Contents c = SweepJournal::read(path);
  EXPECT_EQ(ids_of(c.records), (std::vector<std::int64_t>{0, 1, 2}));
  EXPECT_EQ(c.dropped_bytes, static_cast<std::int64_t>(garbage.size()));
  {
    SweepJournal j(path, 7, true);
    j.append(ok_run(3));
  }
  EXPECT_EQ(ids_of(SweepJournal::read(path).records), (std::vector<std::int64_t>{0, 1, 2, 3}));
}

TEST(SweepJournal, CorruptRecordDropsItAndEverythingAfter) {
  TempDir dir;
  const std::string path = dir.file("j");
  std::vector<std::uintmax_t> ends;  // file size after each record
  {
    SweepJournal j(path, 7, false);
    for (std::int64_t id = 0; id < 4; ++id) {
      j.append(ok_run(id));
      ends.push_back(fs::file_size(path));
    }
  }
  // flip one byte inside record 2's payload: its CRC no longer matches
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(ends[1] + 10));
    f.put('\x5a');
  }
  const SweepJournal::Contents c = SweepJournal::read(path);
  EXPECT_EQ(ids_of(c.records), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(c.dropped_bytes, static_cast<std::int64_t>(ends[3] - ends[1]));
}

TEST(SweepJournal, ResumeRefusesAnotherSweepsJournal) {
  TempDir dir;
  const std::string path = dir.file("j");
  {
    SweepJournal j(path, 1, false);
    j.append(ok_run(0));
  }
  const std::string msg = message_of([&] { SweepJournal j(path, 2, true); });
  EXPECT_NE(msg.find("different sweep definition"), std::string::npos) << msg;
  EXPECT_EQ(SweepJournal::read(path).records.size(), 1U);  // untouched
}

TEST(SweepJournal, NewJournalReplacesAnOldOne) {
  TempDir dir;
  const std::string path = dir.file("j");
  {
    SweepJournal j(path, 1, false);
    for (std::int64_t id = 0; id < 3; ++id) j.append(ok_run(id));
  }
  { SweepJournal j(path, 2, false); }
  const SweepJournal::Contents c = SweepJournal::read(path);
  EXPECT_EQ(c.fingerprint, 2U);
  EXPECT_TRUE(c.records.empty());
  EXPECT_EQ(c.dropped_bytes, 0);
}

TEST(SweepJournal, MissingAndForeignFilesThrow) {
  TempDir dir;
  EXPECT_THROW(SweepJournal::read(dir.file("missing")), std::runtime_error);
  EXPECT_THROW(SweepJournal(dir.file("missing"), 1, true), std::runtime_error);
  test::write_text(dir.path() / "text", "this is not a journal, it is a longer text file\n");
  EXPECT_NE(message_of([&] { SweepJournal::read(dir.file("text")); }).find("not a sweep journal"), std::string::npos);
  EXPECT_THROW(SweepJournal(dir.file("text"), 1, true), std::runtime_error);
}

TEST(SweepJournal, OnlyOneWriterAtATime) {
  TempDir dir;
  const std::string path = dir.file("j");
  {
    SweepJournal first(path, 1, false);
    first.append(ok_run(0));
    EXPECT_NE(message_of([&] { SweepJournal second(path, 1, true); }).find("in use"), std::string::npos);
    EXPECT_THROW(SweepJournal(path, 1, false), std::runtime_error);  // nor replaced under it
    first.append(ok_run(1));
  }
  SweepJournal again(path, 1, true);  // free once the first is closed
  again.append(ok_run(2));
  EXPECT_EQ(ids_of(SweepJournal::read(path).records), (std::vector<std::int64_t>{0, 1, 2}));
}

// ---- fingerprint ----

TEST(SweepFingerprint, ChangesWithEverythingThatDecidesTheRuns) {
  const SweepHeader base = weekly_header();
  const std::uint64_t fp = base.fingerprint();
  EXPECT_EQ(weekly_header().fingerprint(), fp);
  const std::vector<std::pair<const char*, std::function<void(SweepHeader&)>>> changes = {
      {"design", [](SweepHeader& h) { h.design = "sobol"; }},
      {"model", [](SweepHeader& h) { h.model = "simulation"; }},
      {"sweep_toml", [](SweepHeader& h) { h.sweep_toml += " "; }},
      {"base_scenario_toml", [](SweepHeader& h) { h.base_scenario_toml = "x = 1"; }},
      {"parameters", [](SweepHeader& h) { h.parameters[1] = "x3"; }},
      {"design value", [](SweepHeader& h) { h.design_values[2][1] = std::nextafter(3.5, 4.0); }},
      {"design value sign of zero", [](SweepHeader& h) { h.design_values[1][1] = -0.0; }},
      {"n_runs", [](SweepHeader& h) { h.n_runs = 7; }},
      {"replicates", [](SweepHeader& h) { h.replicates = 3; }},
      {"first_seed", [](SweepHeader& h) { h.first_seed = 101; }},
      {"outputs", [](SweepHeader& h) { h.outputs.pop_back(); }},
      {"weekly_metrics", [](SweepHeader& h) { h.weekly_metrics.clear(); }},
      {"weeks", [](SweepHeader& h) { h.weeks = 4; }},
      // strings are length-prefixed: moving a character between neighbours is a change
      {"name boundary", [](SweepHeader& h) { h.outputs = {"yl", "ocal_share_value"}; }},
  };
  for (const auto& [what, change] : changes) {
    SweepHeader h = base;
    change(h);
    EXPECT_NE(h.fingerprint(), fp) << what;
  }
  // where the sweep file lives and how it is labelled do not decide the runs
  SweepHeader relabelled = base;
  relabelled.title = "another title";
  relabelled.sweep_path = "elsewhere.toml";
  relabelled.output_units = {"a", "b"};
  EXPECT_EQ(relabelled.fingerprint(), fp);
}

// ---- the sweep file ----

// a [rows x cols] float64 dataset read with the HDF5 C API
std::vector<double> read_doubles(const std::string& file, const std::string& name, std::vector<hsize_t>* dims) {
  h5::Handle f(h5::check_id(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open"), H5Fclose);
  return h5::read_dataset<double>(f.get(), name, dims);
}

TEST(SweepFile, RoundTripSortsDropsDuplicatesAndMarksFailedRuns) {
  TempDir dir;
  const std::string path = dir.file("out/sweep.h5");
  // a named output's directory must exist (results/output_file.h): refused, nothing created
  EXPECT_THROW(write_sweep_file(path, test_header(), {ok_run(0)}, true, 1), OutputRefused);
  EXPECT_FALSE(fs::exists(dir.file("out")));
  fs::create_directory(dir.file("out"));
  RunRecord first_one = ok_run(1);
  RunRecord second_one = ok_run(1);
  second_one.outputs = {99, 99};
  const std::vector<RunRecord> in = {ok_run(5), first_one, ok_run(3), ok_run(0), second_one,
                                     failed_run(2, "hub capacity must be positive")};
  const SweepHeader h = test_header();
  write_sweep_file(path, h, in, true, 42.5);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  const SweepFile back = read_sweep_file(path);
  EXPECT_TRUE(back.complete);
  EXPECT_EQ(back.wall_seconds, 42.5);
  EXPECT_EQ(ids_of(back.records), (std::vector<std::int64_t>{0, 1, 2, 3, 5}));
  expect_same_record(back.records[1], first_one);  // the first of the two run-1 records
  const RunRecord& failed = back.records[2];
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.message, "hub capacity must be positive");
  ASSERT_EQ(failed.outputs.size(), 2U);
  EXPECT_TRUE(std::isnan(failed.outputs[0]) && std::isnan(failed.outputs[1]));
  for (std::size_t i : {0U, 3U, 4U}) expect_same_record(back.records[i], ok_run(back.records[i].run_id));

  // the header comes back whole: the same fingerprint resumes the same journal
  const SweepHeader& g = back.header;
  EXPECT_EQ(g.fingerprint(), h.fingerprint());
  EXPECT_EQ(g.title, h.title);
  EXPECT_EQ(g.sweep_path, h.sweep_path);
  EXPECT_EQ(g.parameter_units, h.parameter_units);
  EXPECT_EQ(g.design_values, h.design_values);
  EXPECT_EQ(g.design_unit, h.design_unit);
  EXPECT_EQ(g.block_size, h.block_size);
  EXPECT_EQ(g.output_units, h.output_units);
  EXPECT_EQ(g.output_descriptions, h.output_descriptions);
  EXPECT_TRUE(g.weekly_metrics.empty());

  // each run's parameters are its design point's values, under the dotted key path
  std::vector<hsize_t> dims;
  const std::vector<double> fee = read_doubles(path, "runs/param/municipalities.horten.hub.fee_nok_per_kg", &dims);
  EXPECT_EQ(dims, (std::vector<hsize_t>{5}));
  EXPECT_EQ(fee, (std::vector<double>{1.0, 1.0, 2.5, 2.5, 4.0}));  // points 0, 0, 1, 1, 2
  h5::Handle f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  EXPECT_EQ(h5::read_attr_scalar<std::int64_t>(f.get(), "runs_ok"), 4);
  EXPECT_EQ(h5::read_attr_scalar<std::int64_t>(f.get(), "runs_failed"), 1);
  EXPECT_EQ(h5::read_attr_scalar<std::uint64_t>(f.get(), "fingerprint"), h.fingerprint());
  EXPECT_EQ(h5::read_strings(f.get(), "runs/status"), (std::vector<std::string>{"ok", "ok", "failed", "ok", "ok"}));
  const h5::Handle y = h5::open_dataset(f.get(), "runs/output/y");
  EXPECT_EQ(h5::read_attr_string(y.get(), "units"), "1");
}

TEST(SweepFile, ZeroRunsGiveEmptyDatasets) {
  TempDir dir;
  const std::string path = dir.file("sweep.h5");
  write_sweep_file(path, weekly_header(), {}, false, 0);
  const SweepFile back = read_sweep_file(path, PartialFiles::accept);
  EXPECT_FALSE(back.complete);
  EXPECT_TRUE(back.records.empty());
  EXPECT_EQ(back.header.weekly_metrics, weekly_header().weekly_metrics);
  std::vector<hsize_t> dims;
  EXPECT_TRUE(read_doubles(path, "runs/wall_seconds", &dims).empty());
  EXPECT_EQ(dims, (std::vector<hsize_t>{0}));
  EXPECT_TRUE(read_doubles(path, "weekly/meals", &dims).empty());
  EXPECT_EQ(dims, (std::vector<hsize_t>{0, 3}));
}

TEST(SweepFile, WeeklySeriesHaveARowPerRunAndNaNForFailedRuns) {
  TempDir dir;
  const std::string path = dir.file("sweep.h5");
  const SweepHeader h = weekly_header();
  // a run's weekly block is [metrics x weeks]: local_share_value for 3 weeks, then meals
  write_sweep_file(path, h, {ok_run(2, 6), failed_run(1, "boom"), ok_run(0, 6)}, true, 1);
  std::vector<hsize_t> dims;
  const std::vector<double> meals = read_doubles(path, "weekly/meals", &dims);
  EXPECT_EQ(dims, (std::vector<hsize_t>{3, 3}));
  EXPECT_EQ(bits(meals), bits({3, 4, 5, kNaN, kNaN, kNaN, 203, 204, 205}));
  const std::vector<double> share = read_doubles(path, "weekly/local_share_value", &dims);
  EXPECT_EQ(bits(share), bits({0, 1, 2, kNaN, kNaN, kNaN, 200, 201, 202}));
  const SweepFile back = read_sweep_file(path);
  EXPECT_EQ(back.header.week_start, h.week_start);
  EXPECT_EQ(back.header.weekly_units, h.weekly_units);
  EXPECT_EQ(back.header.fingerprint(), h.fingerprint());
  EXPECT_TRUE(back.records[0].weekly.empty());  // weekly series are not read back
}

TEST(SweepFile, ASnapshotReplacesTheLastOne) {
  TempDir dir;
  const std::string path = dir.file("sweep.h5");
  write_sweep_file(path, test_header(), {ok_run(0)}, false, 1);
  write_sweep_file(path, test_header(), {ok_run(0), ok_run(1), ok_run(2)}, true, 2);
  EXPECT_EQ(ids_of(read_sweep_file(path).records), (std::vector<std::int64_t>{0, 1, 2}));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(SweepFile, ABadRecordLeavesTheLastSnapshotUntouched) {
  TempDir dir;
  const std::string path = dir.file("sweep.h5");
  write_sweep_file(path, test_header(), {ok_run(0)}, false, 1);
  RunRecord outside = ok_run(1);
  outside.point = 3;  // the design has 3 points
  EXPECT_NE(message_of([&] { write_sweep_file(path, test_header(), {ok_run(0), outside}, false, 1); })
                .find("outside the design"),
            std::string::npos);
  RunRecord short_outputs = ok_run(1);
  short_outputs.outputs.pop_back();
  EXPECT_THROW(write_sweep_file(path, test_header(), {short_outputs}, false, 1), std::runtime_error);
  EXPECT_EQ(ids_of(read_sweep_file(path, PartialFiles::accept).records), (std::vector<std::int64_t>{0}));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_THROW(read_sweep_file(dir.file("missing.h5")), std::runtime_error);
}

std::vector<AnalysisTable> sobol_and_morris() {
  AnalysisTable sobol{"y", "sobol", {"S1", "S1_lo", "S1_hi"}, {{0.3, 0.2, 0.4}, {0.5, 0.45, 0.55}}, 100};
  AnalysisTable morris{"local_share_value", "morris", {"mu", "mu_star", "sigma"}, {{1, 2, 3}, {4, 5, 6}}, 20};
  return {sobol, morris};
}

TEST(SweepFile, WriteAnalysisReplacesTheAnalysisGroup) {
  TempDir dir;
  const std::string path = dir.file("sweep.h5");
  const SweepHeader h = test_header();
  write_sweep_file(path, h, {ok_run(0), ok_run(1)}, true, 1);
  write_analysis(path, sobol_and_morris(), h.parameters);
  std::vector<hsize_t> dims;
  EXPECT_EQ(read_doubles(path, "analysis/morris/local_share_value/mu_star", &dims), (std::vector<double>{2, 5}));

  // a second analysis replaces the first entirely
  AnalysisTable sobol{"y", "sobol", {"S1", "ST"}, {{0.1, 0.2}, {0.7, 0.8}}, 64};
  write_analysis(path, {sobol}, h.parameters);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_EQ(read_doubles(path, "analysis/sobol/y/ST", &dims), (std::vector<double>{0.2, 0.8}));
  EXPECT_EQ(dims, (std::vector<hsize_t>{2}));
  h5::Handle f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  EXPECT_FALSE(h5::has_link(f.get(), "analysis/morris"));
  EXPECT_FALSE(h5::has_link(f.get(), "analysis/sobol/y/S1_lo"));
  const h5::Handle table = h5::open_group(f.get(), "analysis/sobol/y");
  EXPECT_EQ(h5::read_attr_strings(table.get(), "parameters"), h.parameters);
  EXPECT_EQ(h5::read_attr_strings(table.get(), "columns"), (std::vector<std::string>{"S1", "ST"}));
  EXPECT_EQ(h5::read_attr_scalar<std::int32_t>(table.get(), "used"), 64);
  const h5::Handle s1 = h5::open_dataset(f.get(), "analysis/sobol/y/S1");
  EXPECT_EQ(h5::read_attr_strings(s1.get(), "parameters"), h.parameters);
  EXPECT_EQ(h5::read_attr_scalar<std::int32_t>(s1.get(), "used"), 64);
  f.reset();
  // the runs are untouched
  EXPECT_EQ(ids_of(read_sweep_file(path).records), (std::vector<std::int64_t>{0, 1}));
}

TEST(SweepFile, WriteAnalysisRejectsRaggedTablesAndKeepsTheFile) {
  TempDir dir;
  const std::string path = dir.file("sweep.h5");
  write_sweep_file(path, test_header(), {ok_run(0)}, true, 1);
  write_analysis(path, sobol_and_morris(), test_header().parameters);
  AnalysisTable ragged{"y", "sobol", {"S1", "ST"}, {{0.1, 0.2}, {0.7}}, 64};
  EXPECT_THROW(write_analysis(path, {ragged}, test_header().parameters), std::runtime_error);
  AnalysisTable twice = sobol_and_morris()[0];
  EXPECT_THROW(write_analysis(path, {twice, twice}, test_header().parameters), std::runtime_error);
  std::vector<hsize_t> dims;
  EXPECT_EQ(read_doubles(path, "analysis/sobol/y/S1", &dims), (std::vector<double>{0.3, 0.5}));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

// ---- h5py and pandas read the file as documented ----

// run a command, returning its exit status and what it printed (stdout and stderr)
int run_command(const std::string& command, std::string& output) {
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) output.append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

TEST(SweepFileH5py, ReadSweepPyPrintsRunsOutputsAndAnalysis) {
  TempDir dir;
  const std::string path = dir.file("sweep.h5");
  const SweepHeader h = weekly_header();
  write_sweep_file(path, h, {ok_run(0, 6), ok_run(1, 6), failed_run(2, "hub capacity must be positive"), ok_run(3, 6)},
                   false, 3);
  write_analysis(path, sobol_and_morris(), h.parameters);
  const std::string csv = dir.file("runs.csv");
  std::string out;
  const int rc = run_command(std::string(LOKALMAT_H5PY_PYTHON) + " " +
                                 quoted(test::source_path("results/read_sweep.py")) + " " + quoted(path) + " --csv " +
                                 quoted(csv),
                             out);
  ASSERT_EQ(rc, 0) << out;
  for (const char* expected : {"runs in the file: 4 of 6 (ok 3, failed 1)", "complete = 0",
                               "municipalities.horten.hub.fee_nok_per_kg", "hub capacity must be positive",
                               "sobol indices of y (100 base points used)", "morris indices of local_share_value"})
    EXPECT_NE(out.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << out;
  std::ifstream in(csv);
  std::string header_line;
  std::getline(in, header_line);
  EXPECT_EQ(header_line,
            "run_id,point,replicate,seed,status,message,wall_seconds,municipalities.horten.hub.fee_nok_per_kg,x2,y,"
            "local_share_value");
}

// what a reader writing their own h5py code sees: types, shapes, strings, empty files
constexpr const char* kH5pyCheck = R"PY(
import sys, h5py, numpy as np
full, empty = sys.argv[1], sys.argv[2]
with h5py.File(full, "r") as f:
    a = f.attrs
    assert isinstance(a["title"], str) and a["design"] == "lhs", a["title"]
    assert a["first_seed"].dtype == np.uint64 and int(a["n_runs"]) == 6
    assert list(f["design/values"].attrs["names"]) == ["municipalities.horten.hub.fee_nok_per_kg", "x2"]
    assert f["design/values"].shape == (3, 2) and f["design/values"].dtype == np.float64
    r = f["runs"]
    assert r["run_id"].dtype == np.int64 and r["replicate"].dtype == np.int32 and r["seed"].dtype == np.uint64
    assert list(r["status"].asstr()[()]) == ["ok", "failed"], r["status"][()]
    assert r["status"][0] == b"ok"  # without asstr(): bytes
    assert list(r["message"].asstr()[()]) == ["", "boom \u00e6\u00f8\u00e5"]
    y = r["output/y"][()]
    assert y[0] == 0 and np.isnan(y[1]) and r["output/y"].attrs["units"] == "1"
    assert r["param/municipalities.horten.hub.fee_nok_per_kg"].attrs["units"] == "NOK/kg"
    assert f["weekly/meals"].shape == (2, 3) and np.isnan(f["weekly/meals"][1]).all()
    assert f["weekly/week_start"][0] == b"2025-01-06"
with h5py.File(empty, "r") as f:
    for name in ("run_id", "status", "message", "wall_seconds", "output/y"):
        v = f["runs"][name][()]
        assert v.shape == (0,), (name, v.shape)
    assert f["runs/status"].asstr()[()].shape == (0,)
    assert f["weekly/meals"][()].shape == (0, 3)
print("h5py ok")
)PY";

TEST(SweepFileH5py, TypesShapesAndStringsAsDocumented) {
  TempDir dir;
  const std::string full = dir.file("full.h5");
  const std::string empty = dir.file("empty.h5");
  write_sweep_file(full, weekly_header(), {ok_run(0, 6), failed_run(1, "boom æøå")}, true, 1);
  write_sweep_file(empty, weekly_header(), {}, false, 0);
  const std::string script = dir.file("check.py");
  test::write_text(script, kH5pyCheck);
  std::string out;
  const int rc =
      run_command(std::string(LOKALMAT_H5PY_PYTHON) + " " + quoted(script) + " " + quoted(full) + " " + quoted(empty), out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("h5py ok"), std::string::npos) << out;
}

}  // namespace
}  // namespace lokalmat
