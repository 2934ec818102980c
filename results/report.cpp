// The policy report: its model (runs in memory or read from run files, grouped by scenario),
// the statistics over seeds, and the page assembled from its sections (results/report_sections.h).
#include "results/report.h"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "results/h5_util.h"
#include "results/run_file.h"
#include "results/report_sections.h"
#include "sim/calendar.h"
#include "sim/params.h"

namespace lokalmat::report {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kSeriesCount = static_cast<std::size_t>(Series::count_);
constexpr std::size_t kCategorySeriesCount = static_cast<std::size_t>(CategorySeries::count_);
}  // namespace

// ---------------------------------------------------------------- the model

void SeedRunRecorder::add(const WeekReport& r) {
  // the metric definitions the writer evaluates, on the same sums (sim/metrics.h)
  static const auto defs = [] {
    std::array<const MetricDef*, kSeriesCount + kCategorySeriesCount> d{};
    for (std::size_t i = 0; i < kSeriesCount; ++i) d[i] = find_metric(kSeriesNames[i]);
    for (std::size_t i = 0; i < kCategorySeriesCount; ++i) d[kSeriesCount + i] = find_metric(kCategorySeriesNames[i]);
    for (const auto* p : d)
      if (!p) throw std::logic_error("a report series names no weekly metric");
    return d;
  }();
  run_.week_start.push_back(format_date(r.week_start));
  run_.iso_week.push_back(r.iso_week);
  const GroupSums all = group_sums(r, -1, -1, -1);
  for (std::size_t i = 0; i < kSeriesCount; ++i) run_.weekly[i].push_back(defs[i]->eval(all));
  for (int c = 0; c < r.n_categories; ++c) {
    const GroupSums g = group_sums(r, -1, -1, c);
    for (std::size_t i = 0; i < kCategorySeriesCount; ++i) run_.by_category[i].push_back(defs[kSeriesCount + i]->eval(g));
  }
  totals_.add(r);
}

SeedRun SeedRunRecorder::finish() {
  run_.figures = totals_.figures();
  return std::move(run_);
}

ScenarioRuns read_run_file(const std::string& path, PartialFiles partial) {
  try {
    // the seal, the kind of file, finished or not, and its weeks W (results/run_file.h)
    h5::RunFile run_file = h5::open_run_file(path, partial);
    const hid_t root = run_file.file.get();
    const hsize_t W = run_file.weeks;
    if (run_file.complete && !h5::has_link(root, "run"))
      throw ResultFileError("no /run group (written by an older lokalmat?)");
    ScenarioRuns sc;
    sc.path = h5::read_attr_string(root, "scenario_path");
    sc.title = h5::read_attr_string(root, "title");
    sc.resolved_toml = strip_seed(h5::read_attr_string(root, "scenario_toml"));
    if (h5::has_attr(root, "interventions")) sc.interventions = h5::read_attr_string(root, "interventions");
    sc.rules = h5::read_attr_strings(root, "rules");
    sc.lawful = h5::read_attr_scalar<std::int32_t>(root, "lawful") != 0;
    sc.lawful_reason = h5::read_attr_string(root, "lawful_reason");
    sc.weeks_planned = run_file.weeks_planned;
    SeedRun run;
    run.seed = h5::read_attr_scalar<std::uint64_t>(root, "seed");
    h5::Handle weekly = h5::open_group(root, "weekly");
    run.week_start = h5::read_strings(weekly.get(), "week_start", {W});
    for (const auto& d : h5::read_dataset<std::int32_t>(weekly.get(), "iso_week", {W})) run.iso_week.push_back(d);
    for (std::size_t i = 0; i < kSeriesCount; ++i)
      run.weekly[i] = h5::read_dataset<double>(weekly.get(), std::string(kSeriesNames[i]), {W});
    // the category columns: as many as the group's names, in every table
    h5::Handle by_cat = h5::open_group(weekly.get(), "by_category");
    sc.categories = h5::read_attr_strings(by_cat.get(), "names");
    const hsize_t C = sc.categories.size();
    for (std::size_t i = 0; i < kCategorySeriesCount; ++i)
      run.by_category[i] = h5::read_dataset<double>(by_cat.get(), std::string(kCategorySeriesNames[i]), {W, C});
    // the whole-run figures: written when the run finished (undefined, NaN, for an unfinished run)
    run.figures.fill(kNaN);
    if (run_file.complete) {
      h5::Handle figures = h5::open_group(root, "run");
      const auto& defs = run_figures();
      for (std::size_t i = 0; i < defs.size(); ++i)
        run.figures[i] = h5::read_dataset<double>(figures.get(), std::string(defs[i].name), {}).front();
    }
    sc.runs.push_back(std::move(run));
    return sc;
  } catch (...) {
    rethrow_naming(path);
  }
}

std::string strip_seed(const std::string& toml) {
  std::string out, table;
  std::size_t pos = 0;
  while (pos < toml.size()) {
    std::size_t end = toml.find('\n', pos);
    end = end == std::string::npos ? toml.size() : end + 1;
    const std::string_view line(toml.data() + pos, end - pos);
    if (line.starts_with('[')) table = std::string(line.substr(0, line.find(']') + 1));
    const bool seed_line = table == "[run]" && (line.starts_with("seed =") || line.starts_with("seed="));
    if (!seed_line) out += line;
    pos = end;
  }
  return out;
}

std::vector<ScenarioRuns> group_by_scenario(std::vector<ScenarioRuns> single_runs) {
  std::vector<ScenarioRuns> out;
  for (auto& r : single_runs) {
    auto it = std::find_if(out.begin(), out.end(), [&](const ScenarioRuns& s) {
      return s.resolved_toml == r.resolved_toml && s.interventions == r.interventions;
    });
    if (it == out.end()) {
      out.push_back(std::move(r));
      continue;
    }
    for (auto& run : r.runs) {
      for (const auto& have : it->runs)
        if (have.seed == run.seed)
          throw std::runtime_error(fmt::format("two files hold the same run ({}, seed {})", it->path, run.seed));
      // the statistics over seeds are taken week by week: replicates of unequal length (an
      // unfinished run read with --partial) cannot be put side by side
      const SeedRun& have = it->runs.front();
      if (have.weeks() != run.weeks())
        throw ResultFileError(fmt::format("{}: seed {} has {} weeks, seed {} has {}; a report needs runs of one "
                                          "scenario to have the same weeks",
                                          it->path, have.seed, have.weeks(), run.seed, run.weeks()));
      it->runs.push_back(std::move(run));
    }
  }
  for (auto& s : out)
    std::sort(s.runs.begin(), s.runs.end(), [](const SeedRun& a, const SeedRun& b) { return a.seed < b.seed; });
  return out;
}

// ---------------------------------------------------------------- statistics

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

Band summarize(std::span<const double> values) {
  std::vector<double> v;
  for (double x : values)
    if (std::isfinite(x)) v.push_back(x);
  if (v.empty()) return {kNaN, kNaN, kNaN};
  double sum = 0;
  for (double x : v) sum += x;
  return {sum / static_cast<double>(v.size()), quantile(v, 0.05), quantile(v, 0.95)};
}

std::vector<double> block_ratio(const std::vector<double>& share, const std::vector<double>& weight, int block_weeks) {
  std::vector<double> out;
  const std::size_t b = static_cast<std::size_t>(std::max(1, block_weeks));
  for (std::size_t start = 0; start < share.size(); start += b) {
    double num = 0, den = 0;
    for (std::size_t i = start; i < std::min(share.size(), start + b); ++i)
      if (std::isfinite(share[i]) && std::isfinite(weight[i])) {
        num += share[i] * weight[i];
        den += weight[i];
      }
    out.push_back(den > 0 ? num / den : kNaN);
  }
  return out;
}

std::vector<double> block_mean(const std::vector<double>& values, int block_weeks) {
  std::vector<double> out;
  const std::size_t b = static_cast<std::size_t>(std::max(1, block_weeks));
  for (std::size_t start = 0; start < values.size(); start += b) {
    double sum = 0;
    int n = 0;
    for (std::size_t i = start; i < std::min(values.size(), start + b); ++i)
      if (std::isfinite(values[i])) {
        sum += values[i];
        ++n;
      }
    out.push_back(n > 0 ? sum / n : kNaN);
  }
  return out;
}

std::vector<double> share_by_week_of_year(const std::vector<double>& share, const std::vector<double>& weight,
                                          const std::vector<int>& iso_week) {
  std::vector<double> num(53, 0.0), den(53, 0.0);
  for (std::size_t i = 0; i < share.size(); ++i) {
    const int w = iso_week[i];
    if (w < 1 || w > 53 || !std::isfinite(share[i]) || !std::isfinite(weight[i])) continue;
    num[static_cast<std::size_t>(w - 1)] += share[i] * weight[i];
    den[static_cast<std::size_t>(w - 1)] += weight[i];
  }
  std::vector<double> out(53);
  for (std::size_t k = 0; k < 53; ++k) out[k] = den[k] > 0 ? num[k] / den[k] : kNaN;
  return out;
}

// ---------------------------------------------------------------- the page

namespace {

constexpr std::string_view kStyle = R"(
:root{color-scheme:light}
body{font-family:"DejaVu Sans","Segoe UI",Roboto,Helvetica,Arial,sans-serif;max-width:980px;margin:1.5em auto;padding:0 1em;color:#1a1a1a;line-height:1.45;background:#fff}
h1{font-size:1.6em;margin:.2em 0 .4em}
h2{font-size:1.25em;margin:1.6em 0 .3em;border-bottom:2px solid #0072B2;padding-bottom:.15em}
p.lead{font-size:1.05em}
p.how{background:#f3f6fa;border-left:4px solid #0072B2;padding:.5em .8em}
p.note{color:#444;font-size:.9em;margin:.3em 0 .6em}
table{border-collapse:collapse;width:100%;font-size:.88em;margin:.4em 0}
th,td{border-bottom:1px solid #ddd;padding:.35em .45em;text-align:left;vertical-align:top}
table.summary td.value,table.summary td.diff{text-align:right;white-space:nowrap}
table.summary thead th{vertical-align:bottom}
td.diff,th.diff{background:#f7f7f7}
.range{color:#666;font-size:.85em;display:block}
.unit{color:#555}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.35em;border-radius:2px;vertical-align:baseline}
.badge{background:#b00020;color:#fff;padding:0 .35em;border-radius:3px;font-size:.8em;white-space:nowrap}
.warning{border:2px solid #b00020;background:#fdecee;color:#600;padding:.5em .8em;margin:.6em 0}
p.lawful{color:#1b5e20;margin:.2em 0}
ul{margin:.2em 0;padding-left:1.2em}
code{font-size:.9em}
.assume{background:#fff3cd}
.src{background:#e3f2e1}
.table-wrap{overflow-x:auto}
figure{margin:.5em 0}
svg.chart{width:100%;height:auto}
footer{margin-top:2em;color:#666;font-size:.85em;border-top:1px solid #ddd;padding-top:.5em}
@media print{
  body{max-width:none;margin:0;font-size:10pt}
  section{break-inside:avoid-page}
  .chart-section{break-inside:avoid}
  .table-wrap{overflow:visible}
  h2{break-after:avoid}
}
@page{size:A4;margin:14mm}
)";

}  // namespace

std::string render_report(const ReportInput& in, Lang lang) {
  if (in.scenarios.empty()) throw std::invalid_argument("a report needs at least one scenario");
  for (const auto& sc : in.scenarios)
    if (sc.runs.empty() || sc.runs.front().weeks() == 0)
      throw std::invalid_argument("scenario '" + sc.title + "' has no runs with weeks");
  const auto& first = in.scenarios.front();
  const double years = static_cast<double>(first.runs.front().weeks()) / kWeeksPerYear;
  std::uint64_t lo_seed = first.runs.front().seed, hi_seed = lo_seed;
  for (const auto& sc : in.scenarios)
    for (const auto& r : sc.runs) {
      lo_seed = std::min(lo_seed, r.seed);
      hi_seed = std::max(hi_seed, r.seed);
    }

  std::string h = fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
                              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                              "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
                              lang_code(lang), esc(tr(lang, Text::doc_title)), kStyle);
  h += fmt::format("<header>\n<h1>{}</h1>\n<p class=\"lead\">{}</p>\n<p class=\"how\">{}</p>\n", esc(tr(lang, Text::doc_title)),
                   esc(trf(lang, Text::lead, in.scenarios.size(), first.runs.size(), format_number(years, years == std::floor(years) ? 0 : 1, lang))),
                   esc(tr(lang, Text::how_to_read)));
  h += lawful_banners(in, lang);
  h += "</header>\n<main>\n";
  h += summary_section(in, lang);
  h += local_share_section(in, lang);
  h += by_category_section(in, lang);
  h += work_section(in, lang);
  h += cost_section(in, lang);
  h += backing_section(in, lang);
  h += seasons_section(in, lang);
  h += rules_section(in, lang);
  h += assumptions_section(in, lang);
  h += fmt::format("</main>\n<footer><p>{} {}</p></footer>\n</body>\n</html>\n", esc(trf(lang, Text::generated_by, in.version)),
                   esc(trf(lang, Text::seeds_line, lo_seed, hi_seed)));
  return h;
}

}  // namespace lokalmat::report
