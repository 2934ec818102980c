// Sweep files: reading, validation and the documented key table.
//
// The keys are declared once (sweep_sections below) with type, unit, default,
// range and meaning, in the scenario schema's own form, so that validation and
// scenarios/README.md's "Sweep files" tables cannot disagree.
#include "sim/sweep/sweep_def.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <toml++/toml.h>

#include "sim/metrics.h"
#include "sim/run_totals.h"
#include "sim/scenario_schema.h"
#include "sim/scenario_text.h"
#include "sim/schema/key_reader.h"
#include "sim/sweep/calibration.h"

namespace lokalmat::sweep {

namespace {

namespace fs = std::filesystem;
using schema::KeySpec;
using schema::SectionSpec;
using scenario_text::join;
using scenario_text::suggestion;

const std::vector<SectionSpec>& sweep_sections() {
  using namespace schema;  // the row builders: text, integer, number, numbers, names, unbound, derived, ...
  static const std::vector<SectionSpec> s = {
      {"(top level)", "What is swept, how often, and from which seeds.",
       {
           text("title", unbound, "text", "", "a short title stored in the sweep file"),
           text("scenario", unbound, "path", derived, "the base scenario, relative to the sweep file (or `[model]` for an analytic test model)"),
           integer("replicates", unbound, "runs per point", 1, 1, 1e6, "runs of each design point, with seeds first_seed, first_seed + 1, ... (the same seeds at every point); points x replicates at most 1,000,000 runs"),
           integer("first_seed", unbound, "-", 1, 0, 9.2e18, "seed of replicate 0"),
       },
       {"set", "model", "design", "parameter", "output", "weekly"}},
      {"set", "Scenario keys fixed for every run, by path: `\"run.years\" = 5` (or as nested tables); not `run.seed`: the seeds are the replicates (`first_seed`, `replicates`).", {}, {}},
      {"model", "An analytic test function in place of the simulation (checks the designs and the analysis).",
       {
           text("name", unbound, "-", required, "`ishigami` (3 inputs), `sobol_g` or `linear` (one input per coefficient), `normal_mean` (1 input; the mean of n normal draws around it, from the run's seed)"),
           numbers("coefficients", unbound, "-", derived, -1e9, 1e9, "ishigami: [a, b] (default [7, 0.1]); sobol_g: a_i; linear: c_i; normal_mean: [sigma, n]"),
       },
       {}},
      {"design", "How the points are chosen.",
       {
           text("kind", unbound, "-", required, "`factorial` (every combination of the `values` lists), `lhs` (Latin hypercube), `sobol` (Saltelli 2010 on a Sobol sequence, for Sobol indices), `morris` (Morris 1991 trajectories, for elementary effects)"),
           integer("samples", unbound, "-", derived, 1, 1e6, "lhs: points; sobol: base points N (N (k + 2) points); morris: trajectories r (r (k + 1) points); not used by factorial; at most 1,000,000 points and 10,000,000 values (points x parameters)"),
           integer("levels", unbound, "-", 4, 2, 1000, "morris: grid levels p, even (step p / (2 (p - 1)), Morris 1991)"),
           boolean("second_order", unbound, false, "sobol: also the second-order indices S2 of every pair (Saltelli 2002: N (2k + 2) points instead of N (k + 2))"),
           integer("seed", unbound, "-", 1, 0, 9.2e18, "seed of the lhs and morris draws"),
       },
       {}},
      {"parameter.<n>", "`[[parameter]]`, once per varied key.",
       {
           text("key", unbound, "-", required, "a numeric scenario key by path, e.g. `municipalities.horten.hub.fee_nok_per_kg` (a table by category takes the category last), not `run.seed` (the seeds are the replicates); test models: `x1`, `x2`, ..."),
           numbers("values", unbound, "key's unit", derived, -kInf, kInf, "factorial: the levels"),
           number("min", unbound, "key's unit", derived, -kInf, kInf, "lhs, sobol, morris: lower end of the range"),
           number("max", unbound, "key's unit", derived, -kInf, kInf, "lhs, sobol, morris: upper end of the range"),
           names("choices", unbound, "-", {}, "a categorical parameter, in any design: its levels. A text key takes its values (`[\"framework_only\", \"framework_exception\"]`), a yes/no key `[true, false]`, and `key = \"scenario\"` scenario files (relative to the sweep file) in place of the base scenario. The design's value is the level's index (0, 1, ...); a sampled design takes level floor(u L) of u in [0, 1)"),
       },
       {}},
      {"output.<n>", "`[[output]]`, once per kept output; without any, every whole-run figure is kept.",
       {
           text("metric", unbound, "-", derived, "a weekly metric (results/README.md), reduced over the window"),
           text("figure", unbound, "-", derived, "or a whole-run figure (`run_figures` in results/README.md)"),
           text("reduce", unbound, "-", "pooled", "`pooled` (the metric on the window's sums, e.g. kg-weighted share), `mean`, `sum`, `min`, `max`, `last`"),
           integer("last_weeks", unbound, "weeks", 0, 0, 5200, "window: the last N weeks of the run; 0 = all weeks"),
           text("municipality", unbound, "-", "", "only this municipality, by id or name (default all)"),
           text("category", unbound, "-", "", "only this food category (metrics defined per category)"),
           text("buyer_type", unbound, "-", "", "only this buyer type (metrics defined per buyer type)"),
           text("name", unbound, "-", derived, "column name (default from metric, reduce, window and selection)"),
       },
       {}},
      {"weekly", "Weekly series kept for every run (all municipalities together, and optionally each).",
       {
           names("metrics", unbound, "-", {}, "weekly metrics to keep, [runs x weeks] each"),
           boolean("by_municipality", unbound, false, "also each municipality's series, [runs x municipalities x weeks] each; at most 250,000,000 weekly values over the sweep (runs x metrics x (1 + municipalities) x weeks)"),
       },
       {}},
  };
  return s;
}

const SectionSpec& sweep_section(std::string_view path) {
  for (const auto& s : sweep_sections())
    if (s.path == path) return s;
  throw std::logic_error("no sweep section " + std::string(path));
}

// the sweep file's keys, read with the one validator (sim/schema/key_reader.h): an
// absent key reads as its row's default, nullopt when it has none
class SweepReader {
 public:
  explicit SweepReader(std::string file) : r_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node* at, const std::string& key, const std::string& msg) const {
    r_.fail(at, key, msg);
  }
  [[nodiscard]] std::string where(const toml::node* n) const { return r_.where(n); }
  [[noreturn]] void fail_missing_at_top(const std::string& key, const std::string& msg) const {
    r_.fail_missing_at_top(key, msg);
  }

  void check_keys(const toml::table& t, const SectionSpec& spec, const std::string& prefix) const {
    r_.check_keys(t, spec, prefix);
  }

  template <class T>
  std::optional<T> get(const toml::table& t, const SectionSpec& spec, std::string_view name,
                       const std::string& prefix) const {
    const KeySpec& k = schema::key(spec, name);
    const toml::node* n = r_.value(t, k);
    if (!n) return std::nullopt;
    const std::string key = prefix + std::string(name);
    r_.check_value(*n, k, key);
    return r_.get<T>(*n, k, key);
  }
  std::optional<std::string> string(const toml::table& t, const SectionSpec& spec, std::string_view name,
                                    const std::string& prefix) const {
    return get<std::string>(t, spec, name, prefix);
  }
  std::optional<double> number(const toml::table& t, const SectionSpec& spec, std::string_view name,
                               const std::string& prefix) const {
    return get<double>(t, spec, name, prefix);
  }
  std::optional<std::int64_t> integer(const toml::table& t, const SectionSpec& spec, std::string_view name,
                                      const std::string& prefix) const {
    return get<std::int64_t>(t, spec, name, prefix);
  }
  std::vector<double> numbers(const toml::table& t, const SectionSpec& spec, std::string_view name,
                              const std::string& prefix) const {
    return get<std::vector<double>>(t, spec, name, prefix).value_or(std::vector<double>{});
  }
  std::vector<std::string> strings(const toml::table& t, const SectionSpec& spec, std::string_view name,
                                   const std::string& prefix) const {
    return get<std::vector<std::string>>(t, spec, name, prefix).value_or(std::vector<std::string>{});
  }

  const toml::table* table(const toml::table& t, std::string_view name) const {
    const toml::node* n = t.get(name);
    if (!n) return nullptr;
    if (!n->is_table()) fail(n, std::string(name), "expected a table, got " + scenario_text::type_of(*n));
    return n->as_table();
  }

  // [[name]] as a list of tables
  std::vector<const toml::table*> tables(const toml::table& t, std::string_view name) const {
    std::vector<const toml::table*> out;
    const toml::node* n = t.get(name);
    if (!n) return out;
    const toml::array* a = n->as_array();
    if (!a || !a->is_array_of_tables())
      fail(n, std::string(name), fmt::format("expected [[{}]] tables, got {}", name, scenario_text::type_of(*n)));
    for (const auto& e : *a) out.push_back(e.as_table());
    return out;
  }

 private:
  schema::KeyReader r_;
};

// a TOML value as the text an override takes
std::string toml_text(const toml::node& n) {
  std::ostringstream os;
  n.visit([&](const auto& v) {
    if constexpr (toml::is_table<decltype(v)>)
      os << toml::toml_formatter{v, toml::toml_formatter::default_flags & ~toml::format_flags::indentation};
    else
      os << toml::toml_formatter{v};
  });
  return os.str();
}

// why a sweep does not take run.seed: the seeds are its replicates
constexpr std::string_view kSeedsAreReplicates =
    "a sweep's seeds are its replicates: replicate r of every point runs with seed first_seed + r; set first_seed "
    "and replicates in the sweep file instead";

// [set]: leaves of nested tables and dotted keys, as key paths, with where each is written
void flatten_set(const SweepReader& r, const toml::table& t, const std::string& prefix, Overrides& out,
                 Overrides& written_at) {
  for (auto&& [k, v] : t) {
    const std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (path == "run.seed") r.fail(&v, "set.run.seed", std::string(kSeedsAreReplicates));
    if (const toml::table* sub = v.as_table()) flatten_set(r, *sub, path, out, written_at);
    else {
      out.emplace_back(path, toml_text(v));
      written_at.emplace_back(path, r.where(&v));
    }
  }
}

// a refusal of a [set] value names the sweep file's line (or the --set option) where it was
// given, not the override the loader saw ("<override KEY>:1")
std::string located_at_set(const std::string& message, const Overrides& written_at) {
  for (const auto& [key, where] : written_at) {
    const std::string prefix = "<override " + key + ">:1";
    if (message.rfind(prefix, 0) == 0) return where + message.substr(prefix.size());
  }
  return message;
}

std::optional<Reduce> parse_reduce(std::string_view s) {
  if (s == "pooled") return Reduce::pooled;
  if (s == "mean") return Reduce::mean;
  if (s == "sum") return Reduce::sum;
  if (s == "min") return Reduce::min;
  if (s == "max") return Reduce::max;
  if (s == "last") return Reduce::last;
  return std::nullopt;
}

std::string_view reduce_name(Reduce r) {
  switch (r) {
    case Reduce::pooled: return "pooled";
    case Reduce::mean: return "mean";
    case Reduce::sum: return "sum";
    case Reduce::min: return "min";
    case Reduce::max: return "max";
    case Reduce::last: return "last";
  }
  return "?";
}

std::optional<DesignKind> parse_kind(std::string_view s) {
  for (DesignKind k : {DesignKind::factorial, DesignKind::lhs, DesignKind::sobol, DesignKind::morris})
    if (design_name(k) == s) return k;
  return std::nullopt;
}

// the documented key paths with the "<id>"-like segments filled from `path`, so that
// a misspelt "municipalities.horten.hub.fe" can be matched to ".hub.fee_nok_per_kg"
std::vector<std::string> concrete_key_paths(const std::string& path) {
  auto split = [](const std::string& s) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot; (dot = s.find('.', start)) != std::string::npos; start = dot + 1)
      parts.push_back(s.substr(start, dot - start));
    parts.push_back(s.substr(start));
    return parts;
  };
  const auto given = split(path);
  std::vector<std::string> out;
  for (const auto& pattern : scenario_key_paths()) {
    auto parts = split(pattern);
    std::string joined;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].starts_with('<') && i < given.size()) parts[i] = given[i];
      joined += (i ? "." : "") + parts[i];
    }
    out.push_back(joined);
  }
  return out;
}

int test_model_inputs(const TestModel& m) {
  if (m.name == "ishigami") return 3;
  if (m.name == "normal_mean") return 1;
  return static_cast<int>(m.a.size());
}

void read_model(const SweepReader& r, const toml::table& mt, SweepDef& def) {
  const SectionSpec& spec = sweep_section("model");
  r.check_keys(mt, spec, "model.");
  const auto name = r.string(mt, spec, "name", "model.");
  if (!name) r.fail(&mt, "model.name", "missing: name the test model (ishigami, sobol_g or linear)");
  if (!is_test_model(*name))
    r.fail(mt.get("name"), "model.name",
           fmt::format("unknown test model '{}'; known: ishigami, sobol_g, linear, normal_mean{}", *name,
                       suggestion(*name, {"ishigami", "sobol_g", "linear", "normal_mean"})));
  def.model.name = *name;
  def.model.a = r.numbers(mt, spec, "coefficients", "model.");
  if (*name == "ishigami" && def.model.a.empty()) def.model.a = {7.0, 0.1};
  if (*name == "ishigami" && def.model.a.size() != 2)
    r.fail(mt.get("coefficients"), "model.coefficients", "ishigami takes two coefficients [a, b]");
  if (*name == "normal_mean" && (def.model.a.size() != 2 || !(def.model.a[0] > 0) || !(def.model.a[1] >= 1)))
    r.fail(mt.get("coefficients"), "model.coefficients", "normal_mean takes [sigma > 0, n >= 1]");
  if (*name != "ishigami" && def.model.a.empty())
    r.fail(&mt, "model.coefficients", fmt::format("{} needs one coefficient per input", *name));
}

// A categorical parameter: `choices` of a text or yes/no scenario key, or the scenario files
// (key = "scenario"). Each level is tried on the base scenario now, so that a misspelt rule
// name is bad input, not a column of failed runs.
void read_choices(const SweepReader& r, const toml::table& pt, const std::string& prefix, SweepDef& def,
                  const toml::table* base_root, Factor& f) {
  const toml::node* at = pt.get("choices");
  if (pt.get("values") || pt.get("min") || pt.get("max"))
    r.fail(pt.get(pt.get("values") ? "values" : pt.get("min") ? "min" : "max"), prefix + "choices",
           "a categorical parameter takes choices = [...] only, not values or a range");
  if (def.is_test_model()) r.fail(at, prefix + "choices", "a test model's inputs are numbers: give min and max");
  const toml::array* a = at->as_array();
  if (!a) r.fail(at, prefix + "choices", "expected a list of levels, got " + scenario_text::type_of(*at));
  const auto all = [a](auto pred) { return std::all_of(a->begin(), a->end(), pred); };
  const bool booleans = !a->empty() && all([](const toml::node& n) { return n.is_boolean(); });
  const bool strings = all([](const toml::node& n) { return n.is_string(); });
  std::optional<KeyInfo> info;
  if (f.key != kScenarioFactor) {
    info = scenario_key_info(f.key);
    if (!info)
      r.fail(pt.get("key"), prefix + "key",
             fmt::format("'{}' is not a scenario key{}", f.key, suggestion(f.key, concrete_key_paths(f.key))));
    if (!info->text && !info->boolean && !info->text_list)
      r.fail(at, prefix + "choices",
             fmt::format("'{}' is a {}; choices are for text, yes/no and list-of-names keys (give values or min and max)",
                         f.key, info->numeric ? "number" : "table"));
  }
  std::vector<std::string> choices;
  if (info && info->boolean) {
    if (!booleans) r.fail(at, prefix + "choices", fmt::format("'{}' is yes/no: choices = [true, false]", f.key));
    for (const auto& n : *a) choices.emplace_back(*n.value<bool>() ? "true" : "false");
  } else if (info && info->text_list) {
    // each level a list of names (a bare name is a list of one), written "a+b"
    for (const auto& n : *a) {
      std::vector<std::string> names;
      if (n.is_string()) names.push_back(*n.value<std::string>());
      else if (const toml::array* inner = n.as_array(); inner && !inner->empty() &&
               std::all_of(inner->begin(), inner->end(), [](const toml::node& e) { return e.is_string(); }))
        for (const auto& e : *inner) names.push_back(*e.value<std::string>());
      else
        r.fail(&n, prefix + "choices",
               fmt::format("'{}' is a list of names: each level is a name or a list of names, e.g. "
                           "[[\"framework_only\"], [\"framework_exception\", \"season_requirement\"]]",
                           f.key));
      for (const auto& name : names)
        if (name.empty() || name.find('+') != std::string::npos)
          r.fail(&n, prefix + "choices", fmt::format("'{}' cannot be a name in a level", name));
      choices.push_back(join(names, "+"));
    }
  } else {
    if (!strings) r.fail(at, prefix + "choices", fmt::format("'{}' takes text: choices = [\"...\", ...]", f.key));
    for (const auto& n : *a) choices.push_back(*n.value<std::string>());
  }
  if (choices.empty()) r.fail(at, prefix + "choices", "no levels: give at least one");
  for (std::size_t j = 0; j < choices.size(); ++j)
    for (std::size_t q = 0; q < j; ++q)
      if (choices[q] == choices[j]) r.fail(at, prefix + "choices", fmt::format("'{}' is listed twice", choices[j]));
  if (f.key == kScenarioFactor) {
    if (def.scenario.empty()) r.fail(at, prefix + "choices", "the sweep has no base scenario to replace");
    for (auto& c : choices) {
      const fs::path p = fs::path(def.path).parent_path() / c;
      if (!fs::exists(p)) r.fail(at, prefix + "choices", fmt::format("scenario file '{}' does not exist", p.string()));
      c = p.lexically_normal().string();  // loaded by check_levels, with the other choices
    }
    f = categorical_factor(f.key, std::move(choices));
    f.unit = "scenario file";
    return;
  }
  const auto dot = f.key.rfind('.');
  if (dot != std::string::npos && base_root && !base_root->at_path(f.key.substr(0, dot)).is_table())
    r.fail(pt.get("key"), prefix + "key",
           fmt::format("the base scenario has no '{}' (check the name of the municipality, farm or category)",
                       f.key.substr(0, dot)));
  f = categorical_factor(f.key, std::move(choices));
  f.form = info->text ? Factor::Form::text : info->text_list ? Factor::Form::text_list : Factor::Form::bare;
}

// Every level of every categorical parameter must make a valid scenario with some level of the
// other categorical parameters (the numbers at the base's values): a misspelt rule is refused
// here, with the scenario's message, not left to fail every run. A level valid only together
// with another (framework_exception needs hub.enabled = true) passes. Up to kMaxLevelChecks
// combinations per level are tried.
constexpr std::int64_t kMaxLevelChecks = 256;

void check_levels(const SweepReader& r, const std::vector<const toml::table*>& params, const SweepDef& def) {
  std::vector<std::size_t> cat;
  for (std::size_t i = 0; i < def.factors.size(); ++i)
    if (def.factors[i].categorical()) cat.push_back(i);
  for (std::size_t c : cat) {
    const Factor& f = def.factors[c];
    std::int64_t combos = 1;
    for (std::size_t o : cat)
      if (o != c) combos *= static_cast<std::int64_t>(def.factors[o].choices.size());
    combos = std::min(combos, kMaxLevelChecks);
    for (std::size_t level = 0; level < f.choices.size(); ++level) {
      std::string first_error;
      bool valid = false;
      for (std::int64_t combo = 0; combo < combos && !valid; ++combo) {
        std::string scenario = def.scenario;
        Overrides ov = def.set;
        std::int64_t rest = combo;
        for (std::size_t o : cat) {
          const Factor& g = def.factors[o];
          std::size_t l = level;
          if (o != c) {
            l = static_cast<std::size_t>(rest % static_cast<std::int64_t>(g.choices.size()));
            rest /= static_cast<std::int64_t>(g.choices.size());
          }
          if (g.key == kScenarioFactor) scenario = g.choices[l];
          else ov.emplace_back(g.key, choice_text(g, g.choices[l]));
        }
        try {
          (void)load_scenario(scenario, ov);
          valid = true;
        } catch (const ScenarioError& e) {
          if (first_error.empty()) first_error = e.what();
        }
      }
      if (!valid)
        r.fail(params[c]->get("choices"), fmt::format("parameter[{}].choices", c + 1),
               fmt::format("level '{}' of {} makes no valid scenario{}: {}", f.choices[level], f.key,
                           cat.size() > 1 ? " with any level of the other choices" : "", first_error));
    }
  }
}

// the key of a numeric parameter (a sweep's or a calibration's prior): a numeric scenario key
// that the base scenario has, or input x(i+1) of a test model; its unit and integer flag into f
void check_numeric_key(const SweepReader& r, const toml::table& pt, const std::string& prefix, const SweepDef& def,
                       const toml::table* base_root, Factor& f, std::size_t i) {
  if (f.key == kScenarioFactor)
    r.fail(pt.get("key"), prefix + "key", "key = \"scenario\" varies the scenario file: give the files as choices = [...]");
  if (def.is_test_model()) {
    const int k = test_model_inputs(def.model);
    if (f.key != fmt::format("x{}", i + 1))
      r.fail(pt.get("key"), prefix + "key",
             fmt::format("test model {} takes inputs x1..x{} in order; expected 'x{}'", def.model.name, k, i + 1));
  } else {
    const auto info = scenario_key_info(f.key);
    if (!info)
      r.fail(pt.get("key"), prefix + "key",
             fmt::format("'{}' is not a scenario key{}", f.key, suggestion(f.key, concrete_key_paths(f.key))));
    if (!info->numeric)
      r.fail(pt.get("key"), prefix + "key", fmt::format("'{}' is not a number; a sweep varies numbers", f.key));
    if (f.key == "run.seed")
      r.fail(pt.get("key"), prefix + "key", fmt::format("run.seed cannot be a parameter: {}", kSeedsAreReplicates));
    // the named municipality, producer, category ... must exist in the base scenario
    const auto dot = f.key.rfind('.');
    if (dot != std::string::npos && base_root && !base_root->at_path(f.key.substr(0, dot)).is_table())
      r.fail(pt.get("key"), prefix + "key",
             fmt::format("the base scenario has no '{}' (check the name of the municipality, farm or category)",
                         f.key.substr(0, dot)));
    f.unit = info->unit;
    f.integer = info->integer;
  }
}

void read_factor(const SweepReader& r, const toml::table& pt, std::size_t i, SweepDef& def,
                 const toml::table* base_root) {
  const SectionSpec& spec = sweep_section("parameter.<n>");
  const std::string prefix = fmt::format("parameter[{}].", i + 1);
  r.check_keys(pt, spec, prefix);
  Factor f;
  const auto key = r.string(pt, spec, "key", prefix);
  if (!key) r.fail(&pt, prefix + "key", "missing: which scenario key to vary");
  f.key = *key;
  if (pt.get("choices")) {
    read_choices(r, pt, prefix, def, base_root, f);
    for (const auto& other : def.factors)
      if (other.key == f.key) r.fail(pt.get("key"), prefix + "key", fmt::format("'{}' is varied twice", f.key));
    def.factors.push_back(std::move(f));
    return;
  }
  check_numeric_key(r, pt, prefix, def, base_root, f, i);
  f.values = r.numbers(pt, spec, "values", prefix);
  const auto lo = r.number(pt, spec, "min", prefix);
  const auto hi = r.number(pt, spec, "max", prefix);
  if (def.kind == DesignKind::factorial) {
    if (lo || hi) r.fail(pt.get(lo ? "min" : "max"), prefix + (lo ? "min" : "max"),
                         "a factorial design takes values = [...], not a range");
    if (f.values.empty()) r.fail(&pt, prefix + "values", "a factorial design needs the levels: values = [...]");
  } else {
    if (!f.values.empty())
      r.fail(pt.get("values"), prefix + "values",
             fmt::format("a {} design samples a range: give min and max, not values", design_name(def.kind)));
    if (!lo || !hi) r.fail(&pt, prefix + (lo ? "max" : "min"), "missing: the range needs min and max");
    if (!(*lo < *hi))
      r.fail(pt.get("max"), prefix + "max",
             fmt::format("max ({}) must be above min ({})", scenario_text::format_number(*hi),
                         scenario_text::format_number(*lo)));
    f.lo = *lo;
    f.hi = *hi;
  }
  for (const auto& other : def.factors)
    if (other.key == f.key) r.fail(pt.get("key"), prefix + "key", fmt::format("'{}' is varied twice", f.key));
  def.factors.push_back(std::move(f));
}

// the ids of the base scenario's municipalities (their table names)
std::vector<std::string> municipality_ids(const toml::table& base_root) {
  std::vector<std::string> ids;
  if (const toml::table* m = base_root["municipalities"].as_table())
    for (auto&& [k, v] : *m) ids.emplace_back(k.str());
  return ids;
}

int index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

void read_output(const SweepReader& r, const toml::table& ot, std::size_t i, SweepDef& def,
                 const toml::table& base_root, const SectionSpec& spec = sweep_section("output.<n>"),
                 std::string_view list = "output") {
  const std::string prefix = fmt::format("{}[{}].", list, i + 1);
  r.check_keys(ot, spec, prefix);
  OutputSpec o;
  const auto metric = r.string(ot, spec, "metric", prefix);
  const auto figure = r.string(ot, spec, "figure", prefix);
  if (metric.has_value() == figure.has_value())
    r.fail(&ot, prefix + "metric", "give either metric (a weekly metric) or figure (a whole-run figure)");
  std::vector<std::string> metric_names, figure_names;
  for (const auto& m : weekly_metrics()) metric_names.emplace_back(m.name);
  for (const auto& f : run_figures()) figure_names.emplace_back(f.name);
  const Params& p = def.base.params;
  std::vector<std::string> munis, cats, types;
  for (const auto& m : p.municipalities) munis.push_back(m.name);
  for (const auto& c : p.categories) cats.push_back(c.name);
  for (const auto& t : kBuyerTypeNames) types.emplace_back(t);
  if (figure) {
    const int f = index_of(figure_names, *figure);
    if (f < 0)
      r.fail(ot.get("figure"), prefix + "figure",
             fmt::format("unknown whole-run figure '{}'{}", *figure, suggestion(*figure, figure_names)));
    for (const char* k : {"reduce", "last_weeks", "municipality", "category", "buyer_type"})
      if (ot.get(k)) r.fail(ot.get(k), prefix + k, "a whole-run figure covers the whole run in all municipalities");
    const FigureDef& d = run_figures()[static_cast<std::size_t>(f)];
    o.metric = *figure;
    o.figure = true;
    o.units = std::string(d.unit);
    o.description = std::string(d.label) + " (whole run)";
    o.name = *figure;
  } else {
    const MetricDef* m = find_metric(*metric);
    if (!m)
      r.fail(ot.get("metric"), prefix + "metric",
             fmt::format("unknown weekly metric '{}'{}", *metric, suggestion(*metric, metric_names)));
    o.metric = *metric;
    const std::string red = *r.string(ot, spec, "reduce", prefix);
    const auto reduce = parse_reduce(red);
    if (!reduce)
      r.fail(ot.get("reduce"), prefix + "reduce",
             fmt::format("unknown reduction '{}'; use pooled, mean, sum, min, max or last", red));
    o.reduce = *reduce;
    o.last_weeks = static_cast<int>(*r.integer(ot, spec, "last_weeks", prefix));
    if (o.last_weeks > p.weeks)
      r.fail(ot.get("last_weeks"), prefix + "last_weeks",
             fmt::format("the window ({} weeks) is longer than the run ({} weeks)", o.last_weeks, p.weeks));
    o.municipality = *r.string(ot, spec, "municipality", prefix);
    o.category = *r.string(ot, spec, "category", prefix);
    o.buyer_type = *r.string(ot, spec, "buyer_type", prefix);
    // a municipality by its table id ("horten") or its name ("Horten"); kept as the name
    if (const auto name = base_root.at_path("municipalities." + o.municipality + ".name").value<std::string>();
        !o.municipality.empty() && name)
      o.municipality = *name;
    if (!o.municipality.empty() && index_of(munis, o.municipality) < 0)
      r.fail(ot.get("municipality"), prefix + "municipality",
             fmt::format("the scenario has no municipality '{}'{}", o.municipality,
                         suggestion(o.municipality, municipality_ids(base_root))));
    if (!o.category.empty()) {
      if (index_of(cats, o.category) < 0)
        r.fail(ot.get("category"), prefix + "category",
               fmt::format("the scenario has no category '{}'{}", o.category, suggestion(o.category, cats)));
      if (m->scope != MetricScope::flow)
        r.fail(ot.get("category"), prefix + "category", fmt::format("'{}' is not defined per category", o.metric));
    }
    if (!o.buyer_type.empty()) {
      if (index_of(types, o.buyer_type) < 0)
        r.fail(ot.get("buyer_type"), prefix + "buyer_type",
               fmt::format("unknown buyer type '{}'; known: {}", o.buyer_type, join(types)));
      if (m->scope == MetricScope::muni)
        r.fail(ot.get("buyer_type"), prefix + "buyer_type", fmt::format("'{}' is not defined per buyer type", o.metric));
    }
    o.units = std::string(m->units);
    std::string window = o.last_weeks == 0 ? "all weeks" : fmt::format("last {} weeks", o.last_weeks);
    std::string sel;
    for (const auto& s : {o.municipality, o.category, o.buyer_type})
      if (!s.empty()) sel += (sel.empty() ? ", " : " ") + s;
    o.description = fmt::format("{} ({} over {}{})", m->description, reduce_name(o.reduce), window, sel);
    o.name = fmt::format("{}_{}", o.metric, reduce_name(o.reduce));
    if (o.last_weeks > 0) o.name += fmt::format("_last{}w", o.last_weeks);
    for (const auto& s : {o.municipality, o.category, o.buyer_type})
      if (!s.empty()) o.name += "_" + s;
  }
  if (const auto name = r.string(ot, spec, "name", prefix)) {
    if (name->empty() || name->find('/') != std::string::npos)
      r.fail(ot.get("name"), prefix + "name", "a column name must be non-empty and hold no '/'");
    o.name = *name;
  }
  for (const auto& other : def.outputs)
    if (other.name == o.name)
      r.fail(&ot, prefix + "name", fmt::format("two outputs are named '{}'; give one a name = \"...\"", o.name));
  def.outputs.push_back(std::move(o));
}

// the design's size before it is built: points, runs and values within the limits
void check_design_size(const SweepReader& r, const toml::table& root, const toml::table& design, const SweepDef& def,
                       std::size_t n_params) {
  const auto k = static_cast<std::int64_t>(n_params);
  std::int64_t points = 1;
  std::string how;
  const toml::node* at = design.get("samples");
  std::string key = "design.samples";
  switch (def.kind) {
    case DesignKind::factorial: {
      at = root.get("parameter");
      key = "parameter";
      std::vector<std::string> levels;
      for (const auto& f : def.factors) {
        const auto n = static_cast<std::int64_t>(f.values.size());
        if (points > kMaxSweepRuns / std::max<std::int64_t>(n, 1))
          r.fail(at, key,
                 fmt::format("the parameters' levels multiply to more than the limit of {} points", kMaxSweepRuns));
        points *= n;
        levels.push_back(std::to_string(n));
      }
      how = fmt::format("{} levels", join(levels, " x "));
      break;
    }
    case DesignKind::lhs: points = def.samples, how = fmt::format("{} samples", def.samples); break;
    case DesignKind::sobol:
      points = std::int64_t{def.samples} * (def.second_order ? 2 * k + 2 : k + 2);
      how = def.second_order ? fmt::format("{} base points x (2 x {} parameters + 2)", def.samples, k)
                             : fmt::format("{} base points x ({} parameters + 2)", def.samples, k);
      break;
    case DesignKind::morris:
      points = std::int64_t{def.samples} * (k + 1);
      how = fmt::format("{} trajectories x ({} parameters + 1)", def.samples, k);
      break;
  }
  if (points > kMaxSweepRuns)
    r.fail(at, key, fmt::format("{} = {} points, more than the limit of {} points (a run each)", how, points, kMaxSweepRuns));
  if (points * k > kMaxDesignValues)
    r.fail(at, key,
           fmt::format("{} points x {} parameters = {} design values, more than the limit of {}", points, k,
                       points * k, kMaxDesignValues));
  if (points * def.replicates > kMaxSweepRuns)
    r.fail(root.get("replicates"), "replicates",
           fmt::format("{} points x {} replicates = {} runs, more than the limit of {} runs", points, def.replicates,
                       points * def.replicates, kMaxSweepRuns));
}

// the parts of a resolved definition that sweeps and calibrations share: the base scenario, the
// fixed keys and the test model
void insert_base(toml::table& t, const SweepDef& d) {
  if (!d.scenario.empty()) t.insert("scenario", d.scenario);
  if (!d.set.empty()) {
    toml::table set;
    for (const auto& [k, v] : d.set) {
      toml::table one = toml::parse("v = " + v, std::string_view("<set>"));
      set.insert(k, std::move(*one.get("v")));
    }
    t.insert("set", std::move(set));
  }
  if (d.is_test_model()) {
    toml::array a;
    for (double x : d.model.a) a.push_back(x);
    t.insert("model", toml::table{{"name", d.model.name}, {"coefficients", std::move(a)}});
  }
}

// a sweep's [[output]] or a calibration's [[target]] (without its observed value)
toml::table output_table(const OutputSpec& o) {
  toml::table ot{{"name", o.name}};
  if (o.figure) {
    ot.insert("figure", o.metric);
    return ot;
  }
  ot.insert("metric", o.metric);
  ot.insert("reduce", std::string(reduce_name(o.reduce)));
  ot.insert("last_weeks", o.last_weeks);
  if (!o.municipality.empty()) ot.insert("municipality", o.municipality);
  if (!o.category.empty()) ot.insert("category", o.category);
  if (!o.buyer_type.empty()) ot.insert("buyer_type", o.buyer_type);
  return ot;
}

std::string toml_text(const toml::table& t) {
  std::ostringstream os;
  os << toml::toml_formatter{t, toml::toml_formatter::default_flags & ~toml::format_flags::indentation};
  return os.str();
}

// a definition file's TOML; a syntax error as "file:line:column: TOML syntax error: ..."
toml::table parse_definition(const std::string& path, const char* what) {
  try {
    return toml::parse(scenario_text::read_input_file(path, what), std::string_view(path));
  } catch (const toml::parse_error& e) {
    throw ScenarioError(fmt::format("{}:{}:{}: TOML syntax error: {}", path, e.source().begin.line,
                                    e.source().begin.column, e.description()));
  }
}

// the definition with every default filled in, as stored in the sweep file
std::string resolve(const SweepDef& d) {
  toml::table t;
  t.insert("title", d.title);
  insert_base(t, d);
  t.insert("replicates", d.replicates);
  t.insert("first_seed", static_cast<std::int64_t>(d.first_seed));
  toml::table design{{"kind", std::string(design_name(d.kind))},
                     {"levels", d.levels},
                     {"seed", static_cast<std::int64_t>(d.design_seed)}};
  if (d.kind != DesignKind::factorial) design.insert("samples", d.samples);
  if (d.second_order) design.insert("second_order", true);
  t.insert("design", std::move(design));
  toml::array params;
  for (const auto& f : d.factors) {
    toml::table p{{"key", f.key}};
    if (f.categorical()) {
      toml::array c;
      for (const auto& level : f.choices) {
        if (f.form == Factor::Form::bare && f.key != kScenarioFactor) c.push_back(level == "true");
        else c.push_back(level);
      }
      p.insert("choices", std::move(c));
    } else if (d.kind == DesignKind::factorial) {
      toml::array v;
      for (double x : f.values) v.push_back(x);
      p.insert("values", std::move(v));
    } else {
      p.insert("min", f.lo);
      p.insert("max", f.hi);
    }
    params.push_back(std::move(p));
  }
  t.insert("parameter", std::move(params));
  if (!d.is_test_model()) {
    toml::array outs;
    for (const auto& o : d.outputs) outs.push_back(output_table(o));
    t.insert("output", std::move(outs));
    toml::array weekly;
    for (const auto& w : d.weekly) weekly.push_back(w);
    toml::table wt{{"metrics", std::move(weekly)}};
    if (d.weekly_by_municipality) wt.insert("by_municipality", true);
    t.insert("weekly", std::move(wt));
  }
  return toml_text(t);
}

}  // namespace

// what the runs compute, a base scenario (with [set] and --set applied; its resolved text into
// base_root) or a test model; true for a scenario
bool read_base(const SweepReader& r, const toml::table& root, const SectionSpec& top, const Overrides& extra_set,
               SweepDef& def, toml::table& base_root) {
  const std::string& path = def.path;
  // what the runs compute: a scenario or a test model
  const auto scenario = r.string(root, top, "scenario", "");
  const toml::table* model = r.table(root, "model");
  if (scenario.has_value() == (model != nullptr)) {
    const std::string why =
        "name either a base scenario (scenario = \"...\") or a test model ([model]), not both and not neither";
    if (scenario) r.fail(root.get("model"), "scenario", why);
    r.fail_missing_at_top("scenario", why);
  }
  Overrides set_written_at;  // [key, "FILE:LINE" or "--set KEY=VALUE"]
  if (const toml::table* set = r.table(root, "set")) flatten_set(r, *set, "", def.set, set_written_at);
  for (const auto& kv : extra_set) {
    if (kv.first == "run.seed")
      throw ScenarioError(fmt::format("--set run.seed={}: {}", kv.second, kSeedsAreReplicates));
    def.set.push_back(kv);
    set_written_at.emplace_back(kv.first, fmt::format("--set {}={}", kv.first, kv.second));
  }
  if (scenario) {
    def.scenario = (fs::path(path).parent_path() / *scenario).lexically_normal().string();
    if (const std::string why = scenario_text::why_unreadable(def.scenario); why == "no such file")
      r.fail(root.get("scenario"), "scenario", fmt::format("base scenario '{}' does not exist", def.scenario));
    else if (!why.empty())
      r.fail(root.get("scenario"), "scenario",
             fmt::format("'{}' cannot be the base scenario: {}; name a scenario file (TOML)", def.scenario, why));
    try {
      def.base = load_scenario(def.scenario, def.set);
    } catch (const ScenarioError& e) {
      throw ScenarioError(located_at_set(e.what(), set_written_at));
    }
    base_root = toml::parse(def.base.resolved_toml, std::string_view("<resolved base scenario>"));
  } else {
    read_model(r, *model, def);
    if (!def.set.empty()) r.fail(root.get("set"), "set", "a test model has no scenario keys to set");
  }

  return scenario.has_value();
}

SweepDef load_sweep(const std::string& path, const Overrides& extra_set) {
  SweepDef def;
  def.path = path;
  const SweepReader r(path);
  const toml::table root = parse_definition(path, "sweep file");
  const SectionSpec& top = sweep_section("(top level)");
  r.check_keys(root, top, "");
  def.title = *r.string(root, top, "title", "");
  def.replicates = static_cast<int>(*r.integer(root, top, "replicates", ""));
  def.first_seed = static_cast<std::uint64_t>(*r.integer(root, top, "first_seed", ""));

  toml::table base_root;
  const bool scenario = read_base(r, root, top, extra_set, def, base_root);

  // the design
  const toml::table* design = r.table(root, "design");
  if (!design) r.fail_missing_at_top("design", "missing: a [design] table with kind = factorial, lhs, sobol or morris");
  const SectionSpec& ds = sweep_section("design");
  r.check_keys(*design, ds, "design.");
  const auto kind = r.string(*design, ds, "kind", "design.");
  if (!kind) r.fail(design, "design.kind", "missing: factorial, lhs, sobol or morris");
  const auto k = parse_kind(*kind);
  if (!k)
    r.fail(design->get("kind"), "design.kind",
           fmt::format("unknown design '{}'; use factorial, lhs, sobol or morris{}", *kind,
                       suggestion(*kind, {"factorial", "lhs", "sobol", "morris"})));
  def.kind = *k;
  const auto samples = r.integer(*design, ds, "samples", "design.");
  if (def.kind != DesignKind::factorial && !samples)
    r.fail(design, "design.samples",
           fmt::format("missing: how many {}", def.kind == DesignKind::lhs     ? "points"
                                              : def.kind == DesignKind::sobol ? "base points"
                                                                              : "trajectories"));
  def.samples = static_cast<int>(samples.value_or(0));
  def.levels = static_cast<int>(*r.integer(*design, ds, "levels", "design."));
  def.second_order = *r.get<bool>(*design, ds, "second_order", "design.");
  if (def.second_order && def.kind != DesignKind::sobol)
    r.fail(design->get("second_order"), "design.second_order", "second-order indices need design.kind = \"sobol\"");
  def.design_seed = static_cast<std::uint64_t>(*r.integer(*design, ds, "seed", "design."));

  // the parameters
  const auto params = r.tables(root, "parameter");
  if (params.empty()) r.fail_missing_at_top("parameter", "missing: at least one [[parameter]] to vary");
  for (std::size_t i = 0; i < params.size(); ++i)
    read_factor(r, *params[i], i, def, scenario ? &base_root : nullptr);
  if (scenario) check_levels(r, params, def);
  if (def.is_test_model() && static_cast<int>(def.factors.size()) != test_model_inputs(def.model))
    r.fail(params.back(), "parameter",
           fmt::format("test model {} takes {} inputs x1..x{}; the file varies {}", def.model.name,
                       test_model_inputs(def.model), test_model_inputs(def.model), def.factors.size()));

  // the outputs
  const auto outputs = r.tables(root, "output");
  const toml::table* weekly = r.table(root, "weekly");
  if (def.is_test_model()) {
    if (!outputs.empty() || weekly)
      r.fail(root.get(outputs.empty() ? "weekly" : "output"), outputs.empty() ? "weekly" : "output",
             "a test model has one output, y");
    def.outputs.push_back({"y", "y", false, Reduce::last, 0, "", "", "", "-", "the test function's value"});
  } else {
    for (std::size_t i = 0; i < outputs.size(); ++i) read_output(r, *outputs[i], i, def, base_root);
    if (outputs.empty())
      for (const auto& f : run_figures())
        def.outputs.push_back({std::string(f.name), std::string(f.name), true, Reduce::pooled, 0, "", "", "",
                               std::string(f.unit), std::string(f.label) + " (whole run)"});
    if (weekly) {
      r.check_keys(*weekly, sweep_section("weekly"), "weekly.");
      def.weekly = r.strings(*weekly, sweep_section("weekly"), "metrics", "weekly.");
      def.weekly_by_municipality = *r.get<bool>(*weekly, sweep_section("weekly"), "by_municipality", "weekly.");
      if (def.weekly_by_municipality && def.weekly.empty())
        r.fail(weekly->get("by_municipality"), "weekly.by_municipality", "no metrics to keep: give weekly.metrics");
      std::vector<std::string> names;
      for (const auto& m : weekly_metrics()) names.emplace_back(m.name);
      for (const auto& w : def.weekly)
        if (!find_metric(w))
          r.fail(weekly->get("metrics"), "weekly.metrics", fmt::format("unknown weekly metric '{}'{}", w, suggestion(w, names)));
    }
  }

  // the points, within the limits
  check_design_size(r, root, *design, def, def.factors.size());
  try {
    switch (def.kind) {
      case DesignKind::factorial: def.design = factorial(def.factors); break;
      case DesignKind::lhs: def.design = latin_hypercube(def.factors, def.samples, def.design_seed); break;
      case DesignKind::sobol: def.design = saltelli(def.factors, def.samples, def.second_order); break;
      case DesignKind::morris: def.design = morris(def.factors, def.samples, def.levels, def.design_seed); break;
    }
  } catch (const std::invalid_argument& e) {
    r.fail(design, "design", e.what());
  }
  if (!def.weekly.empty()) {
    const double values = static_cast<double>(def.runs()) * static_cast<double>(def.weekly.size()) *
                          (1.0 + (def.weekly_by_municipality ? def.base.params.n_municipalities() : 0)) *
                          def.base.params.weeks;
    if (values > static_cast<double>(kMaxWeeklyValues))
      r.fail(weekly, "weekly",
             fmt::format("{} runs x {} metrics{} x {} weeks = {:.3g} weekly values, more than the limit of {}: keep "
                         "fewer metrics, or outputs instead of series",
                         def.runs(), def.weekly.size(),
                         def.weekly_by_municipality ? fmt::format(" x (1 + {} municipalities)", def.base.params.n_municipalities()) : "",
                         def.base.params.weeks, values, kMaxWeeklyValues));
  }
  def.resolved_toml = resolve(def);
  return def;
}

std::string choice_text(const Factor& f, const std::string& level) {
  const auto quoted = [](std::string_view s) {
    std::string q = "\"";
    for (char c : s) q += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return q + "\"";
  };
  switch (f.form) {
    case Factor::Form::bare: return level;
    case Factor::Form::text: return quoted(level);
    case Factor::Form::text_list: {
      std::string list = "[";
      std::string_view rest = level;
      for (std::size_t plus; ; rest.remove_prefix(plus + 1)) {
        plus = rest.find('+');
        list += (list.size() > 1 ? ", " : "") + quoted(rest.substr(0, plus));
        if (plus == std::string_view::npos) break;
      }
      return list + "]";
    }
  }
  return level;
}

std::string sweep_keys_markdown() {
  std::string out;
  for (const auto& s : sweep_sections()) out += section_markdown(s);
  return out;
}


// ---------------------------------------------------------------- calibration files

namespace {

const std::vector<SectionSpec>& calibration_sections() {
  using namespace schema;
  static const std::vector<SectionSpec> s = [] {
    std::vector<SectionSpec> c = {
        {"(top level)", "What is calibrated: the model, the priors, the targets.",
         {
             text("title", unbound, "text", "", "a short title stored in the calibration file"),
             text("scenario", unbound, "path", derived, "the base scenario, relative to this file (or `[model]` for an analytic test model)"),
         },
         {"set", "model", "abc", "prior", "target"}},
        {"set", "Scenario keys fixed for every run, by path, as in a sweep file; not `run.seed` (each run's seed comes from abc.seed).", {}, {}},
        sweep_section("model"),
        {"abc", "Approximate Bayesian computation by sequential Monte Carlo (Beaumont et al. 2009; adaptive tolerances).",
         {
             integer("particles", unbound, "particles", 200, 2, 1e6, "population size N of every generation"),
             integer("generations", unbound, "generations", 6, 1, 100, "at most this many generations (generation 0 is the prior)"),
             number("quantile", unbound, "share", 0.5, 0.05, 0.95, "tolerance of each generation: this quantile of the previous generation's distances (weighted)"),
             number("min_acceptance", unbound, "share", 0.02, 0, 1, "stop after a generation that accepts fewer of its simulations than this"),
             number("final_tolerance", unbound, "distance", 0, 0, 1e300, "stop once a generation's tolerance is at or below this"),
             integer("seed", unbound, "-", 1, 0, 9.2e18, "seed of every draw (prior, ancestors, kernel, run seeds)"),
             integer("predictive", unbound, "runs", 0, 0, 1e6, "posterior-predictive runs at the end, drawn by the final weights with new seeds (0 = as many as particles)"),
         },
         {}},
        {"prior.<n>", "`[[prior]]`, once per calibrated key.",
         {
             text("key", unbound, "-", required, "a numeric scenario key by path (as a sweep parameter); test models: `x1`, ..."),
             text("distribution", unbound, "-", "uniform", "`uniform`, `log_uniform` (uniform in log x; min > 0), `normal`, `truncated_normal`"),
             number("min", unbound, "key's unit", derived, -kInf, kInf, "uniform, log_uniform, truncated_normal: lower end of the support"),
             number("max", unbound, "key's unit", derived, -kInf, kInf, "uniform, log_uniform, truncated_normal: upper end"),
             number("mean", unbound, "key's unit", derived, -kInf, kInf, "normal, truncated_normal: mean"),
             number("sd", unbound, "key's unit", derived, 0, kInf, "normal, truncated_normal: standard deviation (> 0)"),
         },
         {}},
    };
    SectionSpec target = sweep_section("output.<n>");
    target.path = "target.<n>";
    target.doc = "`[[target]]`, once per observed pattern: a run's summary statistic, chosen as a sweep's `[[output]]` (these keys), with the observed value.";
    target.keys.push_back(number("observed", unbound, "output's unit", required, -kInf, kInf, "the observed value (a public figure)"));
    target.keys.push_back(number("sd", unbound, "output's unit", required, 0, kInf, "its uncertainty, one standard deviation (> 0): the distance's scale"));
    target.keys.push_back(text("source", unbound, "text", "", "where the observed value comes from (address, year)"));
    c.push_back(std::move(target));
    return c;
  }();
  return s;
}

const SectionSpec& calibration_section(std::string_view path) {
  for (const auto& s : calibration_sections())
    if (s.path == path) return s;
  throw std::logic_error("no calibration section " + std::string(path));
}

std::string resolve_calibration(const CalibrationDef& c) {
  toml::table t;
  t.insert("title", c.title);
  insert_base(t, c.model);
  t.insert("abc", toml::table{{"particles", c.abc.particles},
                              {"generations", c.abc.generations},
                              {"quantile", c.abc.quantile},
                              {"min_acceptance", c.abc.min_acceptance},
                              {"final_tolerance", c.abc.final_tolerance},
                              {"seed", static_cast<std::int64_t>(c.abc.seed)},
                              {"predictive", c.abc.predictive}});
  toml::array priors;
  for (const auto& p : c.priors)
    priors.push_back(toml::table{{"key", p.key}, {"distribution", std::string(prior_name(p.kind))}, {"min", p.lo},
                                 {"max", p.hi}, {"mean", p.mean}, {"sd", p.sd}});
  t.insert("prior", std::move(priors));
  toml::array targets;
  for (const auto& g : c.targets) {
    toml::table ot = output_table(g.output);
    ot.insert("observed", g.observed);
    ot.insert("sd", g.sd);
    ot.insert("source", g.source);
    targets.push_back(std::move(ot));
  }
  t.insert("target", std::move(targets));
  return toml_text(t);
}

std::optional<PriorKind> parse_prior(std::string_view s) {
  for (PriorKind k : {PriorKind::uniform, PriorKind::log_uniform, PriorKind::normal, PriorKind::truncated_normal})
    if (prior_name(k) == s) return k;
  return std::nullopt;
}

void read_prior(const SweepReader& r, const toml::table& pt, std::size_t i, CalibrationDef& c,
                const toml::table* base_root) {
  const SectionSpec& spec = calibration_section("prior.<n>");
  const std::string prefix = fmt::format("prior[{}].", i + 1);
  r.check_keys(pt, spec, prefix);
  Factor f;
  const auto key = r.string(pt, spec, "key", prefix);
  if (!key) r.fail(&pt, prefix + "key", "missing: which scenario key to calibrate");
  f.key = *key;
  check_numeric_key(r, pt, prefix, c.model, base_root, f, i);
  for (const auto& other : c.priors)
    if (other.key == f.key) r.fail(pt.get("key"), prefix + "key", fmt::format("'{}' has two priors", f.key));
  Prior p;
  p.key = f.key;
  p.unit = f.unit;
  p.integer = f.integer;
  const std::string dist = *r.string(pt, spec, "distribution", prefix);
  const auto kind = parse_prior(dist);
  if (!kind)
    r.fail(pt.get("distribution"), prefix + "distribution",
           fmt::format("unknown distribution '{}'; use uniform, log_uniform, normal or truncated_normal{}", dist,
                       suggestion(dist, {"uniform", "log_uniform", "normal", "truncated_normal"})));
  p.kind = *kind;
  const auto lo = r.number(pt, spec, "min", prefix), hi = r.number(pt, spec, "max", prefix);
  const auto mean = r.number(pt, spec, "mean", prefix), sd = r.number(pt, spec, "sd", prefix);
  const bool bounded = p.kind != PriorKind::normal, gaussian = p.kind == PriorKind::normal || p.kind == PriorKind::truncated_normal;
  if (bounded && (!lo || !hi)) r.fail(&pt, prefix + (lo ? "max" : "min"), fmt::format("missing: a {} prior needs min and max", dist));
  if (!bounded && (lo || hi)) r.fail(pt.get(lo ? "min" : "max"), prefix + (lo ? "min" : "max"), "a normal prior has no bounds: use truncated_normal");
  if (gaussian && (!mean || !sd)) r.fail(&pt, prefix + (mean ? "sd" : "mean"), fmt::format("missing: a {} prior needs mean and sd", dist));
  if (!gaussian && (mean || sd)) r.fail(pt.get(mean ? "mean" : "sd"), prefix + (mean ? "mean" : "sd"), fmt::format("a {} prior takes min and max only", dist));
  if (bounded) {
    if (!(*lo < *hi))
      r.fail(pt.get("max"), prefix + "max", fmt::format("max ({}) must be above min ({})", scenario_text::format_number(*hi),
                                                       scenario_text::format_number(*lo)));
    if (p.kind == PriorKind::log_uniform && !(*lo > 0))
      r.fail(pt.get("min"), prefix + "min", "a log_uniform prior needs min > 0");
    p.lo = *lo;
    p.hi = *hi;
  }
  if (gaussian) {
    if (!(*sd > 0)) r.fail(pt.get("sd"), prefix + "sd", "sd must be above 0");
    p.mean = *mean;
    p.sd = *sd;
  }
  // the prior's support must lie within what the key allows: a draw outside would fail its run
  if (!c.model.is_test_model()) {
    const auto info = scenario_key_info(p.key);
    if (info && (p.lo < info->lo || p.hi > info->hi))
      r.fail(pt.get(bounded ? "min" : "distribution"), prefix + (bounded ? "min" : "distribution"),
             fmt::format("the prior's support {} to {} reaches outside what {} allows ({} to {}); bound it (truncated_normal)",
                         scenario_text::format_number(p.lo), scenario_text::format_number(p.hi), p.key,
                         scenario_text::format_number(info->lo), scenario_text::format_number(info->hi)));
  }
  c.priors.push_back(p);
  f.lo = std::isfinite(p.lo) ? p.lo : p.mean - 10 * p.sd;
  f.hi = std::isfinite(p.hi) ? p.hi : p.mean + 10 * p.sd;
  c.model.factors.push_back(std::move(f));
}

}  // namespace

CalibrationDef load_calibration(const std::string& path, const Overrides& extra_set) {
  CalibrationDef c;
  c.path = path;
  c.model.path = path;
  const SweepReader r(path);
  const toml::table root = parse_definition(path, "calibration file");
  const SectionSpec& top = calibration_section("(top level)");
  r.check_keys(root, top, "");
  c.title = *r.string(root, top, "title", "");
  c.model.title = c.title;
  toml::table base_root;
  const bool scenario = read_base(r, root, top, extra_set, c.model, base_root);

  const SectionSpec& as = calibration_section("abc");
  const toml::table empty;
  const toml::table* abc = r.table(root, "abc");
  const toml::table& a = abc ? *abc : empty;
  r.check_keys(a, as, "abc.");
  c.abc.particles = static_cast<int>(*r.integer(a, as, "particles", "abc."));
  c.abc.generations = static_cast<int>(*r.integer(a, as, "generations", "abc."));
  c.abc.quantile = *r.number(a, as, "quantile", "abc.");
  c.abc.min_acceptance = *r.number(a, as, "min_acceptance", "abc.");
  c.abc.final_tolerance = *r.number(a, as, "final_tolerance", "abc.");
  c.abc.seed = static_cast<std::uint64_t>(*r.integer(a, as, "seed", "abc."));
  c.abc.predictive = static_cast<int>(*r.integer(a, as, "predictive", "abc."));
  if (c.abc.predictive == 0) c.abc.predictive = c.abc.particles;

  const auto priors = r.tables(root, "prior");
  if (priors.empty()) r.fail_missing_at_top("prior", "missing: at least one [[prior]] to calibrate");
  for (std::size_t i = 0; i < priors.size(); ++i) read_prior(r, *priors[i], i, c, scenario ? &base_root : nullptr);
  if (c.model.is_test_model() && static_cast<int>(c.priors.size()) != test_model_inputs(c.model.model))
    r.fail(priors.back(), "prior",
           fmt::format("test model {} takes {} inputs; the file has {} priors", c.model.model.name,
                       test_model_inputs(c.model.model), c.priors.size()));

  const auto targets = r.tables(root, "target");
  if (targets.empty()) r.fail_missing_at_top("target", "missing: at least one [[target]] with its observed value");
  const SectionSpec& ts = calibration_section("target.<n>");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const toml::table& tt = *targets[i];
    const std::string prefix = fmt::format("target[{}].", i + 1);
    r.check_keys(tt, ts, prefix);
    Target g;
    const auto observed = r.number(tt, ts, "observed", prefix);
    const auto sd = r.number(tt, ts, "sd", prefix);
    if (!observed) r.fail(&tt, prefix + "observed", "missing: the observed value");
    if (!sd || !(*sd > 0)) r.fail(sd ? tt.get("sd") : &tt, prefix + "sd", "missing or not above 0: the observation's uncertainty (one standard deviation)");
    g.observed = *observed;
    g.sd = *sd;
    g.source = *r.string(tt, ts, "source", prefix);
    if (c.model.is_test_model()) {
      for (const char* k : {"metric", "figure", "reduce", "last_weeks", "municipality", "category", "buyer_type"})
        if (tt.get(k)) r.fail(tt.get(k), prefix + k, "a test model has one output, y: give observed and sd only");
      if (targets.size() > 1) r.fail(&tt, "target", "a test model has one output, y: one target");
      g.output = {"y", "y", false, Reduce::last, 0, "", "", "", "-", "the test function's value"};
      if (const auto name = r.string(tt, ts, "name", prefix); name && *name != "y")
        r.fail(tt.get("name"), prefix + "name", "a test model's output is named y");
      c.model.outputs.push_back(g.output);
    } else {
      toml::table copy = tt;
      for (const char* k : {"observed", "sd", "source"}) copy.erase(k);
      read_output(r, copy, i, c.model, base_root, ts, "target");
      g.output = c.model.outputs.back();
    }
    c.targets.push_back(std::move(g));
  }
  c.model.kind = DesignKind::lhs;  // no design: the runs are the sampler's candidates
  c.resolved_toml = resolve_calibration(c);
  c.model.resolved_toml = c.resolved_toml;
  return c;
}

std::string calibration_keys_markdown() {
  std::string out;
  for (const auto& s : calibration_sections()) out += section_markdown(s);
  return out;
}

}  // namespace lokalmat::sweep
