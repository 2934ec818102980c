#include "sim/cli/report_command.h"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <toml++/toml.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "results/csv_export.h"
#include "results/sweep_store.h"
#include "results/output_file.h"
#include "results/report.h"
#include "sim/cli/ensemble.h"
#include "sim/scenario.h"
#include "sim/scenario_schema.h"  // the keys' documentation, for the assumptions table

namespace lokalmat {

namespace {

namespace fs = std::filesystem;

// ---- the parameters that differ between scenarios

// a TOML value as a reader sees it: numbers in their shortest exact form, lists in brackets
std::string value_text(const toml::node& n) {
  if (const auto* a = n.as_array()) {
    std::string s = "[";
    for (std::size_t i = 0; i < a->size(); ++i) s += (i ? ", " : "") + value_text(*a->get(i));
    return s + "]";
  }
  if (const auto* v = n.as_floating_point()) return fmt::format("{}", v->get());
  if (const auto* v = n.as_integer()) return fmt::format("{}", v->get());
  if (const auto* v = n.as_boolean()) return v->get() ? "true" : "false";
  if (const auto* v = n.as_string()) return v->get();
  std::ostringstream os;  // dates, times and tables in TOML's own notation
  n.visit([&](const auto& v) { os << v; });
  return os.str();
}

// every leaf of a table as "dotted.key" -> value text
void flatten(const toml::table& t, const std::string& prefix, std::map<std::string, std::string>& out) {
  for (const auto& [k, v] : t) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = v.as_table()) flatten(*sub, key, out);
    else out[key] = value_text(v);
  }
}

// the schema's documentation of a resolved key (with its [src ...] / [assume] marks), or ""
std::string key_doc(const std::string& path, std::string* unit) {
  const auto info = scenario_key_info(path);
  if (!info) return "";
  *unit = info->unit;
  for (const auto& s : schema::sections())
    for (const auto& k : s.keys) {
      const std::string pattern = s.path == "(top level)" ? std::string(k.name) : fmt::format("{}.{}", s.path, k.name);
      if (info->pattern == pattern || info->pattern == pattern + ".<category>") return std::string(k.doc);
    }
  return "";
}

// keys whose value is not the same in every scenario (the run's seed, title and description aside: they
// are shown elsewhere)
std::vector<report::ParameterDifference> parameter_differences(const std::vector<report::ScenarioRuns>& scenarios) {
  std::vector<std::map<std::string, std::string>> flat(scenarios.size());
  std::map<std::string, bool> keys;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    try {
      flatten(toml::parse(scenarios[i].resolved_toml), "", flat[i]);
    } catch (const toml::parse_error& e) {  // a run file lokalmat did not write (unsealed): say which
      throw ResultFileError(fmt::format("the run file of '{}' holds a scenario_toml that is not TOML: {}",
                                        scenarios[i].path, e.description()));
    }
    for (const auto& [k, v] : flat[i]) keys[k] = true;
  }
  std::vector<report::ParameterDifference> out;
  for (const auto& [key, unused] : keys) {
    if (key == "run.seed" || key == "title" || key == "description") continue;
    report::ParameterDifference d;
    d.key = key;
    for (const auto& f : flat) {
      const auto it = f.find(key);
      d.values.push_back(it == f.end() ? "—" : it->second);
    }
    if (std::all_of(d.values.begin(), d.values.end(), [&](const std::string& v) { return v == d.values.front(); })) continue;
    d.doc = key_doc(key, &d.unit);
    out.push_back(std::move(d));
  }
  return out;
}

// where a report goes: -o, or by default out/report.html (which may create out/), by the rules of
// results/output_file.h (checked at once, before any run)
struct ReportTarget {
  std::string path;
  OutputRules rules;
};
ReportTarget report_target(const std::string& out, bool force, std::vector<std::string> inputs) {
  ReportTarget t{out.empty() ? std::string("out/report.html") : out,
                 OutputRules{.force = force, .inputs = std::move(inputs), .create_directory = out.empty()}};
  check_output_target(t.path, t.rules);
  t.rules.create_directory = false;
  return t;
}

// written through a temporary renamed into place, so a reader never sees half a page
void write_report(std::vector<report::ScenarioRuns> scenarios, const std::string& lang_code, const ReportTarget& out) {
  const report::Lang lang = report::parse_lang(lang_code);
  report::ReportInput in;
  in.differences = parameter_differences(scenarios);
  in.scenarios = std::move(scenarios);
  in.version = lokalmat_version();
  write_output_file(out.path, report::render_report(in, lang), out.rules);
}

}  // namespace

int compare_command(const CompareOptions& o) {
  report::parse_lang(o.lang);  // a wrong --lang stops before the runs
  Overrides ov(o.sets.begin(), o.sets.end());
  if (o.years > 0) ov.emplace_back("run.years", std::to_string(o.years));
  const int n_threads = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(n_threads));
  ReportTarget target = report_target(o.out, o.force, o.scenarios);
  const auto t0 = std::chrono::steady_clock::now();

  // every (scenario, seed) run records its weeks into its own slot
  const auto R = static_cast<std::size_t>(o.replicates);
  std::vector<report::SeedRunRecorder> recorders;
  for (std::size_t i = 0; i < o.scenarios.size(); ++i)
    for (std::size_t k = 0; k < R; ++k) recorders.emplace_back(o.first_seed + k);
  const auto ensemble = run_ensemble(o.scenarios, o.replicates, o.first_seed, ov,
                                     [&](std::size_t i, std::size_t k, const WeekReport& r) { recorders[i * R + k].add(r); });

  std::vector<report::ScenarioRuns> scenarios;
  for (std::size_t i = 0; i < o.scenarios.size(); ++i) {
    const Scenario sc = load_scenario(o.scenarios[i], ov);
    target.rules.inputs.insert(target.rules.inputs.end(), sc.files.begin(), sc.files.end());
    report::ScenarioRuns s;
    s.path = o.scenarios[i];
    s.title = sc.title.empty() ? o.scenarios[i] : sc.title;
    s.resolved_toml = report::strip_seed(sc.resolved_toml);
    s.rules = sc.rules;
    s.lawful = sc.lawful;
    s.weeks_planned = sc.params.weeks;
    for (const auto& r : sc.unlawful_reasons) s.lawful_reason += (s.lawful_reason.empty() ? "" : "; ") + r;
    for (const auto& c : sc.params.categories) s.categories.push_back(c.name);
    for (std::size_t k = 0; k < R; ++k) s.runs.push_back(recorders[i * R + k].finish());
    scenarios.push_back(std::move(s));
  }
  write_report(std::move(scenarios), o.lang, target);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << fmt::format("{} scenarios x {} seeds ({}..{}), {:.1f} s on {} threads\n", ensemble.size(), o.replicates,
                           o.first_seed, o.first_seed + R - 1, secs, n_threads);
  std::cout << fmt::format("report: {}\n", target.path);
  return 0;
}

int report_command(const ReportOptions& o) {
  report::parse_lang(o.lang);
  const ReportTarget target = report_target(o.out, o.force, o.files);
  // one file after another: Debian's serial HDF5 library is not thread-safe
  std::vector<report::ScenarioRuns> single;
  const PartialFiles partial = o.partial ? PartialFiles::accept : PartialFiles::refuse;
  for (const auto& f : o.files) single.push_back(report::read_run_file(f, partial));
  auto scenarios = report::group_by_scenario(std::move(single));
  std::cout << fmt::format("{} run files, {} scenarios:\n", o.files.size(), scenarios.size());
  for (const auto& s : scenarios) {
    const std::size_t weeks = s.runs.front().weeks();
    std::cout << fmt::format("  {} ({} runs{})\n", s.title, s.runs.size(),
                             weeks < static_cast<std::size_t>(s.weeks_planned)
                                 ? fmt::format("; unfinished: {} of {} weeks", weeks, s.weeks_planned)
                                 : "");
  }
  write_report(std::move(scenarios), o.lang, target);
  std::cout << fmt::format("report: {}\n", target.path);
  return 0;
}

int export_command(const ExportOptions& o) {
  const OutputRules rules{.force = o.force, .inputs = {o.file}};
  const PartialFiles partial = o.partial ? PartialFiles::accept : PartialFiles::refuse;
  // a sweep file (lokalmat sweep) or a run file (lokalmat run)
  const auto written = is_sweep_file(o.file) ? export_sweep_csv(o.file, o.csv_dir, rules, partial)
                                             : export_run_csv(o.file, o.csv_dir, rules, partial);
  for (const auto& path : written) std::cout << path << "\n";
  return 0;
}

}  // namespace lokalmat
