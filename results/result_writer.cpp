#include "results/result_writer.h"

#include <hdf5.h>

#include <stdexcept>

#include "results/file_seal.h"
#include "results/h5_memory_file.h"
#include "results/h5_util.h"
#include "sim/params.h"

namespace lokalmat {

namespace {

using h5::attr_scalar;
using h5::attr_string;
using h5::attr_strings;
using h5::check;
using h5::check_id;
using h5::Handle;
using h5::string_type;

// an extendible dataset [weeks x columns] (columns = 0: one-dimensional), appended in row blocks
struct Series {
  Handle dset;
  hid_t type = -1;
  std::size_t columns = 0;
  std::vector<unsigned char> buffer;  // rows not yet written
  std::size_t elem = 8;
};

Series make_series(hid_t parent, const std::string& name, hid_t type, std::size_t elem, std::size_t columns,
                   std::size_t chunk_rows) {
  Series s;
  s.type = type;
  s.columns = columns;
  s.elem = elem;
  const int rank = columns == 0 ? 1 : 2;
  const hsize_t dims[2] = {0, columns};
  const hsize_t maxdims[2] = {H5S_UNLIMITED, columns};
  const hsize_t chunk[2] = {chunk_rows, std::max<hsize_t>(1, columns)};
  Handle space(H5Screate_simple(rank, dims, maxdims), H5Sclose);
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  check(H5Pset_chunk(plist.get(), rank, chunk), "chunk");
  check(H5Pset_deflate(plist.get(), 4), "deflate");
  s.dset = Handle(check_id(H5Dcreate2(parent, name.c_str(), type, space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT),
                           name.c_str()),
                  H5Dclose);
  return s;
}

void append_rows(Series& s, std::size_t rows) {
  if (rows == 0) return;
  const std::size_t cols = std::max<std::size_t>(1, s.columns);
  const int rank = s.columns == 0 ? 1 : 2;
  Handle space(H5Dget_space(s.dset.get()), H5Sclose);
  hsize_t dims[2] = {0, 0};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  const hsize_t start[2] = {dims[0], 0};
  const hsize_t count[2] = {rows, s.columns};
  hsize_t newdims[2] = {dims[0] + rows, s.columns};
  check(H5Dset_extent(s.dset.get(), newdims), "extend");
  Handle fspace(H5Dget_space(s.dset.get()), H5Sclose);
  check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
  Handle mspace(H5Screate_simple(rank, count, nullptr), H5Sclose);
  check(H5Dwrite(s.dset.get(), s.type, mspace.get(), fspace.get(), H5P_DEFAULT, s.buffer.data()), "write rows");
  s.buffer.clear();
  (void)cols;
}

template <class T>
void push(Series& s, const T& v) {
  const auto* p = reinterpret_cast<const unsigned char*>(&v);
  s.buffer.insert(s.buffer.end(), p, p + sizeof(T));
}

constexpr std::size_t kChunkRows = 64;  // weeks per chunk; rows go to HDF5 a whole chunk at a time

}  // namespace

struct ResultWriter::Impl {
  h5::MemoryFile file;
  Handle weekly, by_cat, by_type, by_muni;
  Handle date_type;
  Series week_start, iso_week, hash;
  std::vector<Series> total, cat, type, muni;  // one per metric (cat/type only for scoped metrics)
  std::vector<int> cat_index, type_index;       // metric -> index in cat/type or -1
  std::size_t pending = 0;
  std::size_t weeks = 0;
  int C = 0, M = 0;

  void flush_rows() {
    for (Series* s : {&week_start, &iso_week, &hash}) append_rows(*s, pending);
    for (auto* v : {&total, &cat, &type, &muni})
      for (Series& s : *v) append_rows(s, pending);
    pending = 0;
  }

  // every handle but the file's, before its bytes are taken
  void close_objects() {
    for (auto* v : {&total, &cat, &type, &muni}) v->clear();
    week_start = Series{};
    iso_week = Series{};
    hash = Series{};
    by_cat.reset();
    by_type.reset();
    by_muni.reset();
    weekly.reset();
    date_type.reset();
  }

  // the file's bytes, with every HDF5 handle closed before any of them is written
  std::string close_to_image() {
    close_objects();
    std::string bytes = file.image();
    file.close();
    return bytes;
  }
};

ResultWriter::ResultWriter(std::string path, const RunMetadata& meta, OutputRules rules)
    : impl_(std::make_unique<Impl>()), path_(std::move(path)), rules_(std::move(rules)) {
  check_output_target(path_, rules_);
  rules_.create_directory = false;  // made now if it was to be
  Impl& m = *impl_;
  m.C = static_cast<int>(meta.categories.size());
  m.M = static_cast<int>(meta.municipalities.size());
  m.file = h5::MemoryFile::create();
  const hid_t root = m.file.get();
  attr_string(root, "lokalmat_version", LOKALMAT_VERSION);
  attr_scalar(root, "seed", meta.seed);
  attr_string(root, "scenario_toml", meta.scenario_toml);
  attr_string(root, "scenario_path", meta.scenario_path);
  attr_string(root, "title", meta.title);
  attr_strings(root, "rules", meta.rules);
  attr_scalar(root, "lawful", meta.lawful ? 1 : 0);
  attr_string(root, "lawful_reason", meta.lawful_reason);
  attr_string(root, "interventions", meta.interventions);
  attr_scalar(root, "weeks_planned", meta.weeks_planned);
  attr_scalar(root, "threads", meta.threads);
  attr_scalar(root, "complete", 0);

  m.weekly = Handle(H5Gcreate2(root, "weekly", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  m.by_cat = Handle(H5Gcreate2(m.weekly.get(), "by_category", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  m.by_type = Handle(H5Gcreate2(m.weekly.get(), "by_buyer_type", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  m.by_muni = Handle(H5Gcreate2(m.weekly.get(), "by_municipality", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  const std::vector<std::string> type_names(kBuyerTypeNames.begin(), kBuyerTypeNames.end());
  attr_strings(m.by_cat.get(), "names", meta.categories);
  attr_strings(m.by_type.get(), "names", type_names);
  attr_strings(m.by_muni.get(), "names", meta.municipalities);

  m.date_type = string_type(10);
  m.week_start = make_series(m.weekly.get(), "week_start", m.date_type.get(), 10, 0, kChunkRows);
  attr_string(m.week_start.dset.get(), "units", "ISO date of the week's first day");
  m.iso_week = make_series(m.weekly.get(), "iso_week", H5T_NATIVE_INT32, 4, 0, kChunkRows);
  attr_string(m.iso_week.dset.get(), "units", "ISO week number");
  m.hash = make_series(root, "state_hash", H5T_NATIVE_UINT64, 8, 0, kChunkRows);
  attr_string(m.hash.dset.get(), "units", "64-bit hash of the model state after each week");

  auto describe = [](hid_t d, const MetricDef& def, const std::vector<std::string>* names) {
    attr_string(d, "units", std::string(def.units));
    attr_string(d, "description", std::string(def.description));
    if (names) attr_strings(d, "names", *names);
  };
  for (const MetricDef& def : weekly_metrics()) {
    const std::string name(def.name);
    m.total.push_back(make_series(m.weekly.get(), name, H5T_NATIVE_DOUBLE, 8, 0, kChunkRows));
    describe(m.total.back().dset.get(), def, nullptr);
    m.muni.push_back(make_series(m.by_muni.get(), name, H5T_NATIVE_DOUBLE, 8, static_cast<std::size_t>(m.M), kChunkRows));
    describe(m.muni.back().dset.get(), def, &meta.municipalities);
    m.cat_index.push_back(-1);
    m.type_index.push_back(-1);
    if (def.scope == MetricScope::flow) {
      m.cat_index.back() = static_cast<int>(m.cat.size());
      m.cat.push_back(make_series(m.by_cat.get(), name, H5T_NATIVE_DOUBLE, 8, static_cast<std::size_t>(m.C), kChunkRows));
      describe(m.cat.back().dset.get(), def, &meta.categories);
    }
    if (def.scope != MetricScope::muni) {
      m.type_index.back() = static_cast<int>(m.type.size());
      m.type.push_back(make_series(m.by_type.get(), name, H5T_NATIVE_DOUBLE, 8, kBuyerTypes, kChunkRows));
      describe(m.type.back().dset.get(), def, &type_names);
    }
  }
}

// not finished nor written as a .partial: the file in memory goes, and nothing is on disk
ResultWriter::~ResultWriter() = default;

void ResultWriter::write_partial() {
  Impl& m = *impl_;
  m.flush_rows();
  OutputRules partial = rules_;
  partial.force = true;  // a .partial of an earlier interrupted run of this output is replaced
  h5::write_image(partial_path(), m.close_to_image(), partial);
}

void ResultWriter::write_week(const WeekReport& r) {
  Impl& m = *impl_;
  const std::string date = format_date(r.week_start);
  m.week_start.buffer.insert(m.week_start.buffer.end(), date.begin(), date.begin() + 10);
  push(m.iso_week, static_cast<std::int32_t>(r.iso_week));
  push(m.hash, r.state_hash);
  const auto& defs = weekly_metrics();
  const GroupSums all = group_sums(r, -1, -1, -1);
  for (std::size_t i = 0; i < defs.size(); ++i) push(m.total[i], defs[i].eval(all));
  for (int mm = 0; mm < m.M; ++mm) {
    const GroupSums g = group_sums(r, mm, -1, -1);
    for (std::size_t i = 0; i < defs.size(); ++i) push(m.muni[i], defs[i].eval(g));
  }
  for (int c = 0; c < m.C; ++c) {
    const GroupSums g = group_sums(r, -1, -1, c);
    for (std::size_t i = 0; i < defs.size(); ++i)
      if (m.cat_index[i] >= 0) push(m.cat[static_cast<std::size_t>(m.cat_index[i])], defs[i].eval(g));
  }
  for (int t = 0; t < kBuyerTypes; ++t) {
    const GroupSums g = group_sums(r, -1, t, -1);
    for (std::size_t i = 0; i < defs.size(); ++i)
      if (m.type_index[i] >= 0) push(m.type[static_cast<std::size_t>(m.type_index[i])], defs[i].eval(g));
  }
  ++m.pending;
  ++m.weeks;
  if (m.pending >= kChunkRows) m.flush_rows();
}

RunMetadata run_metadata(const Scenario& sc, int threads, std::string interventions_toml) {
  RunMetadata meta;
  meta.scenario_path = sc.path;
  meta.title = sc.title;
  meta.scenario_toml = sc.resolved_toml;
  meta.rules = sc.rules;
  meta.lawful = sc.lawful;
  for (const auto& r : sc.unlawful_reasons) meta.lawful_reason += (meta.lawful_reason.empty() ? "" : "; ") + r;
  meta.interventions = std::move(interventions_toml);
  meta.seed = sc.params.seed;
  meta.weeks_planned = sc.params.weeks;
  meta.threads = threads;
  for (const auto& c : sc.params.categories) meta.categories.push_back(c.name);
  for (const auto& m : sc.params.municipalities) meta.municipalities.push_back(m.name);
  return meta;
}

void ResultWriter::finish(double wall_seconds, const RunTotals& totals) {
  std::vector<RunFigure> figures;
  const auto values = totals.figures();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const FigureDef& d = run_figures()[i];
    figures.push_back({std::string(d.name), std::string(d.unit), std::string(d.label), values[i]});
  }
  finish(wall_seconds, figures);
}

void ResultWriter::finish(double wall_seconds, const std::vector<RunFigure>& figures) {
  Impl& m = *impl_;
  m.flush_rows();
  const hid_t root = m.file.get();
  // the whole run: one scalar dataset per figure, with its units
  if (!figures.empty()) {
    Handle run(H5Gcreate2(root, "run", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    for (const RunFigure& f : figures) {
      Handle space(H5Screate(H5S_SCALAR), H5Sclose);
      Handle d(check_id(H5Dcreate2(run.get(), f.name.c_str(), H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                                   H5P_DEFAULT),
                        f.name.c_str()),
               H5Dclose);
      check(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &f.value), f.name.c_str());
      attr_string(d.get(), "units", f.units);
      attr_string(d.get(), "description", f.description);
    }
  }
  Handle a(check_id(H5Aopen(root, "complete", H5P_DEFAULT), "open complete"), H5Aclose);
  const int one = 1;
  check(H5Awrite(a.get(), H5T_NATIVE_INT, &one), "complete");
  a.reset();
  attr_scalar(root, "weeks", static_cast<int>(m.weeks));
  attr_scalar(root, "wall_seconds", wall_seconds);
  h5::write_image(path_, m.close_to_image(), rules_);
}

}  // namespace lokalmat
