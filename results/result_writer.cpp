#include "results/result_writer.h"

#include <hdf5.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

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

// One weekly dataset [weeks x columns] (columns = 0: one-dimensional), its rows kept in memory
// week by week and written once, whole, when the file is (finish or write_partial): one
// H5Dwrite per dataset rather than one per block of weeks. Small datasets (a run of Horten's
// every one) are contiguous and uncompressed; a large one (Norway's by-municipality tables)
// is chunked with shuffle and deflate level 1, which halves or better such tables of floats
// at a small share of the run's time (measured in tests/bench/output_benchmark.cpp).
struct Series {
  hid_t parent = -1;  // its group, kept open by the writer
  std::string name;
  hid_t type = -1;
  std::size_t columns = 0;
  std::size_t elem = 8;
  std::vector<unsigned char> buffer;  // every row so far
  std::vector<std::pair<std::string, std::string>> text;  // string attributes
  const std::vector<std::string>* names = nullptr;        // a names attribute (the columns' groups)
};

constexpr std::size_t kCompressAboveBytes = std::size_t{1} << 20;  // larger datasets are compressed
constexpr std::size_t kChunkBytes = std::size_t{256} << 10;        // the chunk of a compressed one

Series make_series(hid_t parent, const std::string& name, hid_t type, std::size_t elem, std::size_t columns) {
  Series s;
  s.parent = parent;
  s.name = name;
  s.type = type;
  s.columns = columns;
  s.elem = elem;
  return s;
}

// the dataset of a series' `rows` rows, with its attributes
void write_series(const Series& s, std::size_t rows) {
  const int rank = s.columns == 0 ? 1 : 2;
  const std::size_t row_bytes = std::max<std::size_t>(1, s.columns) * s.elem;
  const hsize_t dims[2] = {rows, s.columns};
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  Handle space;
  if (rows == 0) {
    // an interrupted run before its first week: an empty, extendible table
    const hsize_t maxdims[2] = {H5S_UNLIMITED, s.columns};
    const hsize_t chunk[2] = {1, std::max<hsize_t>(1, s.columns)};
    space = Handle(H5Screate_simple(rank, dims, maxdims), H5Sclose);
    check(H5Pset_chunk(plist.get(), rank, chunk), "chunk");
  } else {
    space = Handle(H5Screate_simple(rank, dims, nullptr), H5Sclose);
    if (rows * row_bytes > kCompressAboveBytes) {
      const hsize_t chunk[2] = {std::min<hsize_t>(rows, std::max<std::size_t>(1, kChunkBytes / row_bytes)),
                                std::max<hsize_t>(1, s.columns)};
      check(H5Pset_chunk(plist.get(), rank, chunk), "chunk");
      check(H5Pset_shuffle(plist.get()), "shuffle");
      check(H5Pset_deflate(plist.get(), 1), "deflate");
    }
  }
  Handle d(check_id(H5Dcreate2(s.parent, s.name.c_str(), s.type, space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT),
                    s.name.c_str()),
           H5Dclose);
  if (rows > 0) check(H5Dwrite(d.get(), s.type, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.buffer.data()), s.name.c_str());
  for (const auto& [key, value] : s.text) attr_string(d.get(), key.c_str(), value);
  if (s.names) attr_strings(d.get(), "names", *s.names);
}

template <class T>
void push(Series& s, const T& v) {
  const auto* p = reinterpret_cast<const unsigned char*>(&v);
  s.buffer.insert(s.buffer.end(), p, p + sizeof(T));
}

}  // namespace

struct ResultWriter::Impl {
  h5::MemoryFile file;
  Handle weekly, by_cat, by_type, by_muni;
  Handle date_type;
  Series week_start, iso_week, hash;
  std::vector<Series> total, cat, type, muni;  // one per metric (cat/type only for scoped metrics)
  std::vector<int> cat_index, type_index;       // metric -> index in cat/type or -1
  std::size_t weeks = 0;
  int C = 0, M = 0;
  std::vector<std::string> category_names, type_names, municipality_names;

  // every dataset, with the weeks so far
  void write_datasets() {
    for (const Series* s : {&week_start, &iso_week, &hash}) write_series(*s, weeks);
    for (auto* v : {&total, &cat, &type, &muni})
      for (const Series& s : *v) write_series(s, weeks);
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

  m.category_names = meta.categories;
  m.type_names = type_names;
  m.municipality_names = meta.municipalities;
  m.date_type = string_type(10);
  m.week_start = make_series(m.weekly.get(), "week_start", m.date_type.get(), 10, 0);
  m.week_start.text = {{"units", "ISO date of the week's first day"}};
  m.iso_week = make_series(m.weekly.get(), "iso_week", H5T_NATIVE_INT32, 4, 0);
  m.iso_week.text = {{"units", "ISO week number"}};
  m.hash = make_series(root, "state_hash", H5T_NATIVE_UINT64, 8, 0);
  m.hash.text = {{"units", "64-bit hash of the model state after each week"}};

  auto describe = [](Series& s, const MetricDef& def, const std::vector<std::string>* names) {
    s.text = {{"units", std::string(def.units)}, {"description", std::string(def.description)}};
    s.names = names;
  };
  for (const MetricDef& def : weekly_metrics()) {
    const std::string name(def.name);
    m.total.push_back(make_series(m.weekly.get(), name, H5T_NATIVE_DOUBLE, 8, 0));
    describe(m.total.back(), def, nullptr);
    m.muni.push_back(make_series(m.by_muni.get(), name, H5T_NATIVE_DOUBLE, 8, static_cast<std::size_t>(m.M)));
    describe(m.muni.back(), def, &m.municipality_names);
    m.cat_index.push_back(-1);
    m.type_index.push_back(-1);
    if (def.scope == MetricScope::flow) {
      m.cat_index.back() = static_cast<int>(m.cat.size());
      m.cat.push_back(make_series(m.by_cat.get(), name, H5T_NATIVE_DOUBLE, 8, static_cast<std::size_t>(m.C)));
      describe(m.cat.back(), def, &m.category_names);
    }
    if (def.scope != MetricScope::muni) {
      m.type_index.back() = static_cast<int>(m.type.size());
      m.type.push_back(make_series(m.by_type.get(), name, H5T_NATIVE_DOUBLE, 8, kBuyerTypes));
      describe(m.type.back(), def, &m.type_names);
    }
  }
}

// not finished nor written as a .partial: the file in memory goes, and nothing is on disk
ResultWriter::~ResultWriter() = default;

void ResultWriter::write_partial() {
  Impl& m = *impl_;
  m.write_datasets();
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
  ++m.weeks;
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
  m.write_datasets();
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
