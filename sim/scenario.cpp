// Scenario loading: parse, merge base files and built-in defaults, apply
// overrides, validate every key against the schema, and build Params.
//
// Missing keys are filled in from the schema's defaults *into the merged
// table*, so the table printed at the end is the fully resolved scenario: it
// loads back to the same Params.
#include "sim/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "sim/region.h"
#include "sim/rng.h"
#include "sim/scenario_schema.h"
#include "sim/scenario_text.h"

namespace lokalmat {

extern const char* const kDefaultsToml;  // generated from sim/defaults.toml

std::string lokalmat_version() { return LOKALMAT_VERSION; }

namespace {

namespace fs = std::filesystem;
using schema::KeySpec;
using schema::KeyType;
using schema::SectionSpec;
using scenario_text::format_number;
using scenario_text::merge_into;
using scenario_text::suggestion;
using scenario_text::type_of;
std::string join_names(const std::vector<std::string>& v) { return scenario_text::join(v); }

// ---------------------------------------------------------------- messages

std::string where(const toml::node* n, const std::string& fallback_file) {
  if (n && n->source().path) return fmt::format("{}:{}", *n->source().path, n->source().begin.line);
  return fallback_file;
}

[[noreturn]] void fail_at(const toml::node* n, const std::string& fallback_file, const std::string& key,
                          const std::string& msg) {
  throw ScenarioError(fmt::format("{}: key '{}': {}", where(n, fallback_file), key, msg));
}

// ---------------------------------------------------------------- parsing and merging

toml::table parse_text(const std::string& text, const std::string& name) {
  try {
    return toml::parse(std::string_view(text), std::string_view(name));
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw ScenarioError(fmt::format("{}:{}:{}: TOML syntax error: {}", name, src.begin.line, src.begin.column,
                                    e.description()));
  }
}

toml::table load_file_chain(const fs::path& path, std::set<std::string>& seen, const toml::node* from) {
  const std::string canon = fs::weakly_canonical(path).string();
  if (!fs::exists(path)) {
    if (from) fail_at(from, path.string(), "base", fmt::format("file '{}' does not exist", path.string()));
    throw ScenarioError(fmt::format("{}: cannot open scenario file: no such file", path.string()));
  }
  if (!seen.insert(canon).second)
    fail_at(from, path.string(), "base", fmt::format("'{}' is named as a base twice (a cycle)", path.string()));
  std::ifstream in(path);
  if (!in) throw ScenarioError(fmt::format("{}: cannot read scenario file", path.string()));
  std::stringstream buf;
  buf << in.rdbuf();
  toml::table t = parse_text(buf.str(), path.string());
  if (const toml::node* b = t.get("base")) {
    if (!b->is_string()) fail_at(b, path.string(), "base", "expected a string (a file path)");
    const fs::path base_path = path.parent_path() / b->value<std::string>().value();
    toml::table base = load_file_chain(base_path, seen, b);
    t.erase("base");
    merge_into(base, std::move(t));
    return base;
  }
  return t;
}

// ---------------------------------------------------------------- typed reading with the schema

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  // refuse keys the section does not know, naming the nearest valid one
  void check_keys(const toml::table& t, const SectionSpec& spec, const std::string& prefix) const {
    std::vector<std::string> valid;
    for (const auto& k : spec.keys) valid.emplace_back(k.name);
    for (const auto& s : spec.subsections) valid.emplace_back(s);
    for (auto&& [k, v] : t) {
      if (std::find(valid.begin(), valid.end(), k.str()) != valid.end()) continue;
      const toml::node* at = &v;
      throw ScenarioError(fmt::format("{}: unknown key '{}'{}", where(at, file_), prefix + std::string(k.str()),
                                      suggestion(k.str(), valid, prefix)));
    }
  }

  // the node for `name`, inserting the schema default when absent; nullptr when no default
  const toml::node* get(toml::table& t, const SectionSpec& spec, std::string_view name) const {
    const KeySpec& k = schema::key(spec, name);
    if (const toml::node* n = t.get(name)) return n;
    if (k.default_toml.empty()) return nullptr;
    toml::table d = toml::parse(fmt::format("v = {}", k.default_toml), std::string_view("<schema default>"));
    t.insert_or_assign(name, std::move(*d.get("v")));
    return t.get(name);
  }

  double number(toml::table& t, const SectionSpec& spec, std::string_view name, const std::string& prefix) const {
    const toml::node* n = get(t, spec, name);
    const KeySpec& k = schema::key(spec, name);
    const std::string key = prefix + std::string(name);
    if (!n) fail_at(nullptr, file_, key, "required key is missing");
    double v = 0;
    if (n->is_floating_point()) v = n->as_floating_point()->get();
    else if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
    else fail_at(n, file_, key, fmt::format("expected a number ({}), got {}", k.unit, type_of(*n)));
    check_range(n, key, v, k);
    return v;
  }

  std::int64_t integer(toml::table& t, const SectionSpec& spec, std::string_view name, const std::string& prefix) const {
    const toml::node* n = get(t, spec, name);
    const KeySpec& k = schema::key(spec, name);
    const std::string key = prefix + std::string(name);
    if (!n) fail_at(nullptr, file_, key, "required key is missing");
    if (!n->is_integer()) fail_at(n, file_, key, fmt::format("expected a whole number ({}), got {}", k.unit, type_of(*n)));
    const std::int64_t v = n->as_integer()->get();
    check_range(n, key, static_cast<double>(v), k);
    return v;
  }

  bool boolean(toml::table& t, const SectionSpec& spec, std::string_view name, const std::string& prefix) const {
    const toml::node* n = get(t, spec, name);
    const std::string key = prefix + std::string(name);
    if (!n) fail_at(nullptr, file_, key, "required key is missing");
    if (!n->is_boolean()) fail_at(n, file_, key, fmt::format("expected true or false, got {}", type_of(*n)));
    return n->as_boolean()->get();
  }

  // a string, or `fallback` when the key is absent and has no default
  std::string string(toml::table& t, const SectionSpec& spec, std::string_view name, const std::string& prefix,
                     const char* fallback = nullptr) const {
    const toml::node* n = get(t, spec, name);
    const std::string key = prefix + std::string(name);
    if (!n) {
      if (fallback) return fallback;
      fail_at(nullptr, file_, key, "required key is missing");
    }
    if (!n->is_string()) fail_at(n, file_, key, fmt::format("expected a string, got {}", type_of(*n)));
    return n->as_string()->get();
  }

  Date date(toml::table& t, const SectionSpec& spec, std::string_view name, const std::string& prefix) const {
    const toml::node* n = get(t, spec, name);
    const std::string key = prefix + std::string(name);
    if (!n) fail_at(nullptr, file_, key, "required key is missing");
    Date d;
    if (n->is_date()) {
      const toml::date td = n->as_date()->get();
      d = Date{td.year, td.month, td.day};
    } else if (!n->is_string() || !parse_date(n->as_string()->get(), d)) {
      fail_at(n, file_, key, "expected a date as \"YYYY-MM-DD\"");
    }
    return d;
  }

  bool has(const toml::table& t, std::string_view name) const { return t.contains(name); }

  Point point(toml::table& t, const SectionSpec& spec, std::string_view name, const std::string& prefix) const {
    const toml::node* n = get(t, spec, name);
    const std::string key = prefix + std::string(name);
    if (!n) fail_at(nullptr, file_, key, "required key is missing");
    const auto v = numbers(n, key, schema::key(spec, name));
    if (v.size() != 2) fail_at(n, file_, key, "expected [x_km, y_km]");
    return Point{v[0], v[1]};
  }

  std::vector<double> number_list(toml::table& t, const SectionSpec& spec, std::string_view name,
                                  const std::string& prefix) const {
    const toml::node* n = get(t, spec, name);
    if (!n) return {};
    return numbers(n, prefix + std::string(name), schema::key(spec, name));
  }

  std::vector<int> integer_list(toml::table& t, const SectionSpec& spec, std::string_view name,
                                const std::string& prefix) const {
    const toml::node* n = get(t, spec, name);
    const std::string key = prefix + std::string(name);
    const KeySpec& k = schema::key(spec, name);
    std::vector<int> out;
    if (!n) return out;
    if (!n->is_array()) fail_at(n, file_, key, fmt::format("expected a list of whole numbers, got {}", type_of(*n)));
    for (const auto& e : *n->as_array()) {
      if (!e.is_integer()) fail_at(&e, file_, key, "expected a list of whole numbers");
      const auto v = e.as_integer()->get();
      check_range(&e, key, static_cast<double>(v), k);
      out.push_back(static_cast<int>(v));
    }
    return out;
  }

  std::vector<std::pair<std::string, const toml::node*>> string_list(toml::table& t, const SectionSpec& spec,
                                                                      std::string_view name,
                                                                      const std::string& prefix) const {
    const toml::node* n = get(t, spec, name);
    const std::string key = prefix + std::string(name);
    std::vector<std::pair<std::string, const toml::node*>> out;
    if (!n) return out;
    if (!n->is_array()) fail_at(n, file_, key, fmt::format("expected a list of strings, got {}", type_of(*n)));
    for (const auto& e : *n->as_array()) {
      if (!e.is_string()) fail_at(&e, file_, key, "expected a list of strings");
      out.emplace_back(e.as_string()->get(), &e);
    }
    return out;
  }

  // a table keyed by category name -> number; unknown names refused
  std::vector<double> category_table(toml::table& t, const SectionSpec& spec, std::string_view name,
                                     const std::string& prefix, const std::vector<std::string>& categories,
                                     const std::vector<std::string>& disabled) const {
    const toml::node* n = get(t, spec, name);
    const std::string key = prefix + std::string(name);
    const KeySpec& k = schema::key(spec, name);
    std::vector<double> out(categories.size(), 0.0);
    if (!n) return out;
    if (!n->is_table()) fail_at(n, file_, key, fmt::format("expected a table of category = number, got {}", type_of(*n)));
    for (auto&& [ck, cv] : *n->as_table()) {
      const std::string cname(ck.str());
      const std::string ckey = key + "." + cname;
      if (std::find(disabled.begin(), disabled.end(), cname) != disabled.end()) continue;
      const auto it = std::find(categories.begin(), categories.end(), cname);
      if (it == categories.end())
        throw ScenarioError(fmt::format("{}: unknown category '{}' in '{}'{}", where(&cv, file_), cname, key,
                                        suggestion(cname, categories)));
      double v = 0;
      if (cv.is_floating_point()) v = cv.as_floating_point()->get();
      else if (cv.is_integer()) v = static_cast<double>(cv.as_integer()->get());
      else fail_at(&cv, file_, ckey, fmt::format("expected a number ({})", k.unit));
      check_range(&cv, ckey, v, k);
      out[static_cast<std::size_t>(it - categories.begin())] = v;
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  void check_range(const toml::node* n, const std::string& key, double v, const KeySpec& k) const {
    if (std::isnan(v) || v < k.lo || v > k.hi)
      fail_at(n, file_, key,
              fmt::format("{} is out of range; allowed {} to {} ({})", format_number(v), format_number(k.lo),
                          format_number(k.hi), k.unit));
  }

  std::vector<double> numbers(const toml::node* n, const std::string& key, const KeySpec& k) const {
    if (!n->is_array()) fail_at(n, file_, key, fmt::format("expected a list of numbers, got {}", type_of(*n)));
    std::vector<double> out;
    for (const auto& e : *n->as_array()) {
      double v = 0;
      if (e.is_floating_point()) v = e.as_floating_point()->get();
      else if (e.is_integer()) v = static_cast<double>(e.as_integer()->get());
      else fail_at(&e, file_, key, "expected a list of numbers");
      check_range(&e, key, v, k);
      out.push_back(v);
    }
    return out;
  }

  std::string file_;
};

toml::table& subtable(toml::table& parent, std::string_view name, const Reader& r, const std::string& key) {
  toml::node* n = parent.get(name);
  if (!n) {
    parent.insert_or_assign(name, toml::table{});
    n = parent.get(name);
  }
  if (!n->is_table()) fail_at(n, r.file(), key, "expected a table");
  return *n->as_table();
}

// the 52 weekly harvest weights: a raised-cosine hump over the season, or flat
std::array<double, kWeeksPerYear> harvest_curve(bool year_round, int start, int end) {
  std::array<double, kWeeksPerYear> w{};
  if (year_round) {
    w.fill(1.0 / kWeeksPerYear);
    return w;
  }
  const int len = (end - start + kWeeksPerYear) % kWeeksPerYear + 1;
  double sum = 0;
  for (int i = 0; i < len; ++i) {
    const double x = (i + 0.5) / len;  // 0..1 across the season
    const double v = 0.5 - 0.5 * std::cos(2.0 * 3.141592653589793 * x);
    w[static_cast<std::size_t>((start - 1 + i) % kWeeksPerYear)] = v;
    sum += v;
  }
  for (double& v : w) v /= sum;
  return w;
}

Point random_point_in(Point centre, double area_km2, std::uint64_t seed, std::uint64_t id, Stream stream) {
  Rng rng(seed, stream, id, 0);
  const double radius = std::sqrt(area_km2 / 3.141592653589793);
  const double r = radius * std::sqrt(rng.uniform());
  const double a = 2.0 * 3.141592653589793 * rng.uniform();
  return Point{centre.x_km + r * std::cos(a), centre.y_km + r * std::sin(a)};
}

// ---------------------------------------------------------------- the scenario -> Params

Scenario build(toml::table& root, const std::string& file) {
  Reader r(file);
  Scenario sc;
  sc.path = file;
  Params& p = sc.params;
  const SectionSpec& top = schema::section("(top level)");
  r.check_keys(root, top, "");
  sc.title = r.string(root, top, "title", "");
  r.string(root, top, "description", "");

  // run
  {
    const SectionSpec& spec = schema::section("run");
    toml::table& t = subtable(root, "run", r, "run");
    r.check_keys(t, spec, "run.");
    p.start = r.date(t, spec, "start_date", "run.");
    p.seed = static_cast<std::uint64_t>(r.integer(t, spec, "seed", "run."));
    const auto years = r.integer(t, spec, "years", "run.");
    p.weeks = static_cast<int>(years) * kWeeksPerYear;
    if (r.has(t, "end_date")) {
      const Date end = r.date(t, spec, "end_date", "run.");
      const auto days = days_from_civil(end) - days_from_civil(p.start);
      if (days < 0)
        fail_at(t.get("end_date"), file, "run.end_date",
                fmt::format("{} is before run.start_date {}; the end must come after the start", format_date(end),
                            format_date(p.start)));
      p.weeks = static_cast<int>(days / 7 + 1);
    }
  }
  const std::uint64_t layout_seed =
      static_cast<std::uint64_t>(r.integer(*root["run"].as_table(), schema::section("run"), "layout_seed", "run."));

  // behaviour
  {
    const SectionSpec& spec = schema::section("behaviour");
    toml::table& t = subtable(root, "behaviour", r, "behaviour");
    r.check_keys(t, spec, "behaviour.");
    auto& b = p.behaviour;
    const std::string pre = "behaviour.";
    b.road_factor = r.number(t, spec, "road_factor", pre);
    b.satisfaction_initial = r.number(t, spec, "satisfaction_initial", pre);
    b.satisfaction_full = r.number(t, spec, "satisfaction_full", pre);
    b.satisfaction_partial = r.number(t, spec, "satisfaction_partial", pre);
    b.satisfaction_none = r.number(t, spec, "satisfaction_none", pre);
    b.participation_threshold = r.number(t, spec, "participation_threshold", pre);
    b.full_delivery_tolerance = r.number(t, spec, "full_delivery_tolerance", pre);
    b.offer_growth = r.number(t, spec, "offer_growth", pre);
    b.sellthrough_low = r.number(t, spec, "sellthrough_low", pre);
    const auto w = r.number_list(t, spec, "sellthrough_weights", pre);
    if (w.size() != 3 || std::abs(w[0] + w[1] + w[2] - 1.0) > 1e-9)
      fail_at(t.get("sellthrough_weights"), file, pre + "sellthrough_weights", "expected three weights that sum to 1");
    b.sellthrough_weights = {w[0], w[1], w[2]};
    b.offer_share_min = r.number(t, spec, "offer_share_min", pre);
    b.outside_market_absorb = r.number(t, spec, "outside_market_absorb", pre);
    b.budget_sensitivity = r.number(t, spec, "budget_sensitivity", pre);
    b.organic_price_premium = r.number(t, spec, "organic_price_premium", pre);
    b.farmer_hour_value_nok = r.number(t, spec, "farmer_hour_value_nok", pre);
    b.neighbour_awareness_per_year = r.number(t, spec, "neighbour_awareness_per_year", pre);
    b.neighbour_radius_km = r.number(t, spec, "neighbour_radius_km", pre);
    b.exit_sales_ratio = r.number(t, spec, "exit_sales_ratio", pre);
    b.growth_soldout_share = r.number(t, spec, "growth_soldout_share", pre);
    b.arena_trust_gain = r.number(t, spec, "arena_trust_gain", pre);
    b.trust_decay_per_year = r.number(t, spec, "trust_decay_per_year", pre);
    b.trust_cost_cut = r.number(t, spec, "trust_cost_cut", pre);
    b.trust_entry_cut = r.number(t, spec, "trust_entry_cut", pre);
    b.visit_backing_gain = r.number(t, spec, "visit_backing_gain", pre);
  }

  // procurement rules
  {
    const SectionSpec& spec = schema::section("procurement");
    toml::table& t = subtable(root, "procurement", r, "procurement");
    r.check_keys(t, spec, "procurement.");
    auto& pr = p.procurement;
    const std::string pre = "procurement.";
    pr.direct_limit_nok = r.number(t, spec, "direct_limit_nok", pre);
    pr.direct_limit_new_nok = r.number(t, spec, "direct_limit_new_nok", pre);
    pr.direct_limit_change = r.date(t, spec, "direct_limit_change", pre);
    pr.season_norwegian_share_min = r.number(t, spec, "season_norwegian_share_min", pre);
    pr.season_regional_factor = r.number(t, spec, "season_regional_factor", pre);
    pr.simple_competition_limit_nok = r.number(t, spec, "simple_competition_limit_nok", pre);
    pr.competition_admin_hours = r.number(t, spec, "competition_admin_hours", pre);
    pr.bid_cost_hours = r.number(t, spec, "bid_cost_hours", pre);
    pr.weight_price = r.number(t, spec, "weight_price", pre);
    pr.weight_quality = r.number(t, spec, "weight_quality", pre);
    pr.weight_environment = r.number(t, spec, "weight_environment", pre);
    if (std::abs(pr.weight_price + pr.weight_quality + pr.weight_environment - 1.0) > 1e-9)
      fail_at(t.get("weight_environment"), file, pre + "weight_environment",
              fmt::format("award weights price {} + quality {} + environment {} must sum to 1", pr.weight_price,
                          pr.weight_quality, pr.weight_environment));
    pr.lot_min_coverage = r.number(t, spec, "lot_min_coverage", pre);
    pr.group_bids = r.boolean(t, spec, "group_bids", pre);
    pr.penalty_nok_per_kg = r.number(t, spec, "penalty_nok_per_kg", pre);
    pr.call_off_lead_weeks = static_cast<int>(r.integer(t, spec, "call_off_lead_weeks", pre));
  }

  // wholesaler
  {
    const SectionSpec& spec = schema::section("wholesaler");
    toml::table& t = subtable(root, "wholesaler", r, "wholesaler");
    r.check_keys(t, spec, "wholesaler.");
    auto& w = p.wholesaler;
    const std::string pre = "wholesaler.";
    w.name = r.string(t, spec, "name", pre);
    w.price_index_per_year = r.number(t, spec, "price_index_per_year", pre);
    w.short_notice_premium = r.number(t, spec, "short_notice_premium", pre);
    w.warehouse_distance_km = r.number(t, spec, "warehouse_distance_km", pre);
    w.contract_start = r.date(t, spec, "contract_start", pre);
    w.contract_base_years = static_cast<int>(r.integer(t, spec, "contract_base_years", pre));
    w.contract_extensions = static_cast<int>(r.integer(t, spec, "contract_extensions", pre));
    if (w.contract_base_years + w.contract_extensions > 4)
      fail_at(t.get("contract_extensions"), file, pre + "contract_extensions",
              fmt::format("base {} + extensions {} years exceeds the 4-year maximum for framework agreements (FOA)",
                          w.contract_base_years, w.contract_extensions));
  }

  // categories (alphabetical: the order of the merged table)
  std::vector<std::string> cat_names, disabled;
  {
    const SectionSpec& spec = schema::section("categories.<name>");
    toml::table& all = subtable(root, "categories", r, "categories");
    for (auto&& [k, v] : all) {
      const std::string name(k.str());
      const std::string pre = "categories." + name + ".";
      if (!v.is_table()) fail_at(&v, file, "categories." + name, "expected a table");
      toml::table& t = *v.as_table();
      r.check_keys(t, spec, pre);
      if (!r.boolean(t, spec, "enabled", pre)) {
        disabled.push_back(name);
        continue;
      }
      CategoryParams c;
      c.name = name;
      c.wholesale_price_nok_per_kg = r.number(t, spec, "wholesale_price_nok_per_kg", pre);
      c.farm_cost_nok_per_kg = r.number(t, spec, "farm_cost_nok_per_kg", pre);
      c.outside_price_nok_per_kg = r.number(t, spec, "outside_price_nok_per_kg", pre);
      c.yield_kg_per_daa = r.number(t, spec, "yield_kg_per_daa", pre);
      c.shelf_life_weeks = r.number(t, spec, "shelf_life_weeks", pre);
      c.storable = r.boolean(t, spec, "storable", pre);
      c.storage_loss_per_week = r.number(t, spec, "storage_loss_per_week", pre);
      c.menu_group = r.string(t, spec, "menu_group", pre);
      const bool year_round = r.boolean(t, spec, "year_round", pre);
      const int hs = static_cast<int>(r.integer(t, spec, "harvest_start_week", pre));
      const int he = static_cast<int>(r.integer(t, spec, "harvest_end_week", pre));
      c.harvest_weight = harvest_curve(year_round, hs, he);
      if (r.has(t, "harvest_weights")) {
        const auto hw = r.number_list(t, spec, "harvest_weights", pre);
        double sum = 0;
        for (double x : hw) sum += x;
        if (hw.size() != kWeeksPerYear || sum <= 0)
          fail_at(t.get("harvest_weights"), file, pre + "harvest_weights",
                  "expected 52 non-negative weekly weights with a positive sum");
        for (std::size_t i = 0; i < hw.size(); ++i) c.harvest_weight[i] = hw[i] / sum;
      }
      c.wholesaler_norwegian_share = r.number(t, spec, "wholesaler_norwegian_share", pre);
      c.wholesaler_norwegian_share_in_season = r.number(t, spec, "wholesaler_norwegian_share_in_season", pre);
      c.wholesaler_regional_share = r.number(t, spec, "wholesaler_regional_share", pre);
      c.wholesaler_organic_share = r.number(t, spec, "wholesaler_organic_share", pre);
      c.co2e_van_kg_per_tkm = r.number(t, spec, "co2e_van_kg_per_tkm", pre);
      c.co2e_truck_kg_per_tkm = r.number(t, spec, "co2e_truck_kg_per_tkm", pre);
      c.upstream_km = r.number(t, spec, "upstream_km", pre);
      p.categories.push_back(std::move(c));
      cat_names.push_back(name);
    }
    if (p.categories.empty()) throw ScenarioError(file + ": the scenario has no enabled food category");
  }

  // buyer types: fixed names
  std::vector<std::string> type_names(kBuyerTypeNames.begin(), kBuyerTypeNames.end());
  {
    const SectionSpec& spec = schema::section("buyer_types.<type>");
    toml::table& all = subtable(root, "buyer_types", r, "buyer_types");
    for (auto&& [k, v] : all)
      if (std::find(type_names.begin(), type_names.end(), k.str()) == type_names.end())
        throw ScenarioError(fmt::format("{}: unknown buyer type '{}'{}; the types are {}", where(&v, file), k.str(),
                                        suggestion(k.str(), type_names), join_names(type_names)));
    p.buyer_types.resize(kBuyerTypes);
    for (int i = 0; i < kBuyerTypes; ++i) {
      const std::string name(kBuyerTypeNames[static_cast<std::size_t>(i)]);
      const std::string pre = "buyer_types." + name + ".";
      toml::table& t = subtable(all, name, r, "buyer_types." + name);
      r.check_keys(t, spec, pre);
      BuyerTypeParams& bt = p.buyer_types[static_cast<std::size_t>(i)];
      bt.service_days_per_week = r.number(t, spec, "service_days_per_week", pre);
      bt.closed_weeks = r.integer_list(t, spec, "closed_weeks", pre);
      bt.budget_nok_per_eater_day = r.number(t, spec, "budget_nok_per_eater_day", pre);
      bt.waste_g_per_eater_day = r.number(t, spec, "waste_g_per_eater_day", pre);
      bt.local_preference = r.number(t, spec, "local_preference", pre);
      bt.price_sensitivity = r.number(t, spec, "price_sensitivity", pre);
      bt.menu_flexibility = r.number(t, spec, "menu_flexibility", pre);
      bt.hours_per_supplier_relation = r.number(t, spec, "hours_per_supplier_relation", pre);
      bt.demand_kg_per_eater_day = r.category_table(t, spec, "demand_kg_per_eater_day", pre, cat_names, disabled);
    }
  }

  // municipalities
  std::vector<std::string> muni_ids;
  {
    toml::table& all = subtable(root, "municipalities", r, "municipalities");
    const SectionSpec& spec = schema::section("municipalities.<id>");
    const SectionSpec& pspec = schema::section("municipalities.<id>.policy");
    const SectionSpec& hspec = schema::section("municipalities.<id>.hub");
    const SectionSpec& dspec = schema::section("municipalities.<id>.day_centre");
    std::vector<std::string> rule_names;
    for (const RuleInfo& ri : kRuleTable) rule_names.emplace_back(ri.name);
    for (auto&& [k, v] : all) {
      const std::string id(k.str());
      const std::string pre = "municipalities." + id + ".";
      if (!v.is_table()) fail_at(&v, file, "municipalities." + id, "expected a table");
      toml::table& t = *v.as_table();
      r.check_keys(t, spec, pre);
      MunicipalityParams m;
      m.name = r.string(t, spec, "name", pre, id.c_str());
      m.number = r.string(t, spec, "number", pre);
      m.centre = r.point(t, spec, "centre_km", pre);
      m.area_km2 = r.number(t, spec, "area_km2", pre);
      m.population = static_cast<int>(r.integer(t, spec, "population", pre));
      for (const auto& [name, node] : r.string_list(t, spec, "rules", pre)) {
        const auto it = std::find(rule_names.begin(), rule_names.end(), name);
        if (it == rule_names.end())
          fail_at(node, file, pre + "rules",
                  fmt::format("unknown rule '{}'{} (rules: {})", name, suggestion(name, rule_names), join_names(rule_names)));
        m.rules.push_back(static_cast<Rule>(it - rule_names.begin()));
      }
      for (const auto& [name, node] : r.string_list(t, spec, "exception_buyer_types", pre)) {
        const auto it = std::find(type_names.begin(), type_names.end(), name);
        if (it == type_names.end())
          fail_at(node, file, pre + "exception_buyer_types",
                  fmt::format("unknown buyer type '{}'{}", name, suggestion(name, type_names)));
        m.exception_buyer_types.push_back(static_cast<BuyerType>(it - type_names.begin()));
      }
      if (r.has(t, "exception_categories")) {
        for (const auto& [name, node] : r.string_list(t, spec, "exception_categories", pre)) {
          if (std::find(disabled.begin(), disabled.end(), name) != disabled.end()) continue;
          const auto it = std::find(cat_names.begin(), cat_names.end(), name);
          if (it == cat_names.end())
            fail_at(node, file, pre + "exception_categories",
                    fmt::format("unknown category '{}'{}", name, suggestion(name, cat_names)));
          m.exception_categories.push_back(static_cast<int>(it - cat_names.begin()));
        }
      } else {
        toml::array a;
        for (std::size_t c = 0; c < cat_names.size(); ++c) {
          m.exception_categories.push_back(static_cast<int>(c));
          a.push_back(cat_names[c]);
        }
        t.insert_or_assign("exception_categories", std::move(a));
      }
      m.exception_cap_share = r.number(t, spec, "exception_cap_share", pre);
      for (const auto& [name, node] : r.string_list(t, spec, "direct_buyer_types", pre)) {
        const auto it = std::find(type_names.begin(), type_names.end(), name);
        if (it == type_names.end())
          fail_at(node, file, pre + "direct_buyer_types",
                  fmt::format("unknown buyer type '{}'{}", name, suggestion(name, type_names)));
        m.direct_buyer_types.push_back(static_cast<BuyerType>(it - type_names.begin()));
      }

      toml::table& pt = subtable(t, "policy", r, pre + "policy");
      const std::string ppre = pre + "policy.";
      r.check_keys(pt, pspec, ppre);
      PolicyParams& pol = m.policy;
      pol.backing_initial = r.number(pt, pspec, "backing_initial", ppre);
      pol.backing_min_exception = r.number(pt, pspec, "backing_min_exception", ppre);
      pol.withdrawal_level = r.number(pt, pspec, "withdrawal_level", ppre);
      pol.reinstate_level = r.number(pt, pspec, "reinstate_level", ppre);
      if (pol.reinstate_level < pol.withdrawal_level)
        fail_at(pt.get("reinstate_level"), file, ppre + "reinstate_level",
                fmt::format("{} is below withdrawal_level {}; it must be at or above it", pol.reinstate_level,
                            pol.withdrawal_level));
      pol.local_share_target = r.number(pt, pspec, "local_share_target", ppre);
      pol.result_weight_per_year = r.number(pt, pspec, "result_weight_per_year", ppre);
      pol.cost_weight_per_year = r.number(pt, pspec, "cost_weight_per_year", ppre);
      pol.failure_weight_per_year = r.number(pt, pspec, "failure_weight_per_year", ppre);
      pol.noise_sd_per_year = r.number(pt, pspec, "noise_sd_per_year", ppre);
      pol.first_election = r.date(pt, pspec, "first_election", ppre);
      pol.election_interval_years = static_cast<int>(r.integer(pt, pspec, "election_interval_years", ppre));
      pol.election_sd = r.number(pt, pspec, "election_sd", ppre);
      pol.premium_budget_nok_per_year = r.number(pt, pspec, "premium_budget_nok_per_year", ppre);
      pol.local_incentive_nok_per_kg = r.number(pt, pspec, "local_incentive_nok_per_kg", ppre);
      pol.integrated = r.boolean(pt, pspec, "integrated", ppre);
      pol.project_end = r.date(pt, pspec, "project_end", ppre);
      pol.project_continue_level = r.number(pt, pspec, "project_continue_level", ppre);
      pol.supplier_development_events_per_year =
          static_cast<int>(r.integer(pt, pspec, "supplier_development_events_per_year", ppre));
      pol.entry_cost_cut = r.number(pt, pspec, "entry_cost_cut", ppre);
      pol.outreach_awareness = r.number(pt, pspec, "outreach_awareness", ppre);
      {
        static const std::vector<std::string> kSectors = {"procurement", "kindergartens", "sfo", "nursing",
                                                          "day_centre", "agriculture", "business"};
        std::set<std::string> seen_sectors;
        for (const auto& [name, node] : r.string_list(pt, pspec, "sectors", ppre)) {
          if (std::find(kSectors.begin(), kSectors.end(), name) == kSectors.end())
            fail_at(node, file, ppre + "sectors",
                    fmt::format("unknown sector '{}'{} (sectors: {})", name, suggestion(name, kSectors), join_names(kSectors)));
          seen_sectors.insert(name);
        }
        pol.sectors_involved = std::max<int>(1, static_cast<int>(seen_sectors.size()));
      }
      pol.sector_coordination_cut = r.number(pt, pspec, "sector_coordination_cut", ppre);
      pol.adaptive = r.boolean(pt, pspec, "adaptive", ppre);
      pol.adaptive_step = r.number(pt, pspec, "adaptive_step", ppre);
      pol.quota_share = r.number(pt, pspec, "quota_share", ppre);
      pol.trust_initial = r.number(pt, pspec, "trust_initial", ppre);
      pol.arenas_per_year = static_cast<int>(r.integer(pt, pspec, "arenas_per_year", ppre));
      pol.farm_visits_per_year = static_cast<int>(r.integer(pt, pspec, "farm_visits_per_year", ppre));
      pol.champions = static_cast<int>(r.integer(pt, pspec, "champions", ppre));
      pol.champion_strength = r.number(pt, pspec, "champion_strength", ppre);
      pol.champion_spillover = r.number(pt, pspec, "champion_spillover", ppre);
      pol.champion_radius_km = r.number(pt, pspec, "champion_radius_km", ppre);
      pol.volunteers = static_cast<int>(r.integer(pt, pspec, "volunteers", ppre));
      pol.volunteer_hours_per_week = r.number(pt, pspec, "volunteer_hours_per_week", ppre);

      toml::table& ht = subtable(t, "hub", r, pre + "hub");
      const std::string hpre = pre + "hub.";
      r.check_keys(ht, hspec, hpre);
      HubParams& hub = m.hub;
      hub.enabled = r.boolean(ht, hspec, "enabled", hpre);
      if (!r.has(ht, "position_km")) {
        toml::array a{m.centre.x_km, m.centre.y_km};
        ht.insert_or_assign("position_km", std::move(a));
      }
      hub.position = r.point(ht, hspec, "position_km", hpre);
      hub.coordinator_hours_per_week = r.number(ht, hspec, "coordinator_hours_per_week", hpre);
      hub.coordinator_wage_nok_per_hour = r.number(ht, hspec, "coordinator_wage_nok_per_hour", hpre);
      hub.fee_nok_per_kg = r.number(ht, hspec, "fee_nok_per_kg", hpre);
      hub.fixed_cost_nok_per_week = r.number(ht, hspec, "fixed_cost_nok_per_week", hpre);
      hub.vehicle_capacity_kg = r.number(ht, hspec, "vehicle_capacity_kg", hpre);
      hub.delivery_days_per_week = r.number(ht, hspec, "delivery_days_per_week", hpre);
      hub.trips_per_delivery_day = r.number(ht, hspec, "trips_per_delivery_day", hpre);
      hub.van_km_cost_nok = r.number(ht, hspec, "van_km_cost_nok", hpre);
      hub.courier_kg_per_week = r.number(ht, hspec, "courier_kg_per_week", hpre);
      hub.courier_nok_per_kg = r.number(ht, hspec, "courier_nok_per_kg", hpre);

      toml::table& dt = subtable(t, "day_centre", r, pre + "day_centre");
      const std::string dpre = pre + "day_centre.";
      r.check_keys(dt, dspec, dpre);
      DayCentreParams& d = m.day_centre;
      d.participants = static_cast<int>(r.integer(dt, dspec, "participants", dpre));
      d.open_days_per_week = r.number(dt, dspec, "open_days_per_week", dpre);
      d.hours_per_day = r.number(dt, dspec, "hours_per_day", dpre);
      d.attendance_min = r.number(dt, dspec, "attendance_min", dpre);
      d.attendance_max = r.number(dt, dspec, "attendance_max", dpre);
      if (d.attendance_max < d.attendance_min)
        fail_at(dt.get("attendance_max"), file, dpre + "attendance_max",
                fmt::format("{} is below attendance_min {}", d.attendance_max, d.attendance_min));
      d.skill_initial_min = r.number(dt, dspec, "skill_initial_min", dpre);
      d.skill_initial_max = r.number(dt, dspec, "skill_initial_max", dpre);
      if (d.skill_initial_max < d.skill_initial_min)
        fail_at(dt.get("skill_initial_max"), file, dpre + "skill_initial_max",
                fmt::format("{} is below skill_initial_min {}", d.skill_initial_max, d.skill_initial_min));
      d.productivity_kg_per_hour = r.number(dt, dspec, "productivity_kg_per_hour", dpre);
      d.skill_productivity_gain = r.number(dt, dspec, "skill_productivity_gain", dpre);
      d.learning_per_hour = r.number(dt, dspec, "learning_per_hour", dpre);
      d.skill_decay_per_idle_week = r.number(dt, dspec, "skill_decay_per_idle_week", dpre);
      d.hours_per_stop = r.number(dt, dspec, "hours_per_stop", dpre);
      d.waiting_list = static_cast<int>(r.integer(dt, dspec, "waiting_list", dpre));
      d.vta_per_year = r.number(dt, dspec, "vta_per_year", dpre);
      d.work_per_year = r.number(dt, dspec, "work_per_year", dpre);
      d.dropout_per_year = r.number(dt, dspec, "dropout_per_year", dpre);

      if (has_rule(m, Rule::framework_exception) && !hub.enabled)
        fail_at(t.get("rules"), file, pre + "rules",
                "framework_exception needs a working hub or platform: set hub.enabled = true");
      for (Rule rule : m.rules) {
        sc.rules.push_back(fmt::format("{}: {}{}", m.name, rule_name(rule),
                                       rule_lawful(rule) ? "" : " (NOT LAWFUL: counterfactual)"));
        if (!rule_lawful(rule)) {
          sc.lawful = false;
          const std::string reason(rule_unlawful_reason(rule));
          if (std::find(sc.unlawful_reasons.begin(), sc.unlawful_reasons.end(), reason) == sc.unlawful_reasons.end())
            sc.unlawful_reasons.push_back(reason);
        }
      }
      p.municipalities.push_back(std::move(m));
      muni_ids.push_back(id);
    }
    if (p.municipalities.empty()) throw ScenarioError(file + ": the scenario has no municipality");
  }
  // the learning network
  {
    const SectionSpec& spec = schema::section("network");
    toml::table& t = subtable(root, "network", r, "network");
    r.check_keys(t, spec, "network.");
    NetworkParams& n = p.network;
    const std::string pre = "network.";
    n.enabled = r.boolean(t, spec, "enabled", pre);
    for (const auto& [id, node] : r.string_list(t, spec, "members", pre)) {
      const auto it = std::find(muni_ids.begin(), muni_ids.end(), id);
      if (it == muni_ids.end())
        fail_at(node, file, pre + "members", fmt::format("no municipality '{}'{}", id, suggestion(id, muni_ids)));
      n.members.push_back(static_cast<int>(it - muni_ids.begin()));
    }
    n.imitation_per_year = r.number(t, spec, "imitation_per_year", pre);
    n.spontaneous_per_year = r.number(t, spec, "spontaneous_per_year", pre);
    n.success_share = r.number(t, spec, "success_share", pre);
    n.cycle_years = static_cast<int>(r.integer(t, spec, "cycle_years", pre));
  }
  auto municipality_index = [&](toml::table& t, const SectionSpec& spec, const std::string& pre) {
    const std::string id = r.string(t, spec, "municipality", pre);
    const auto it = std::find(muni_ids.begin(), muni_ids.end(), id);
    if (it == muni_ids.end())
      fail_at(t.get("municipality"), file, pre + "municipality",
              fmt::format("no municipality '{}'{}", id, suggestion(id, muni_ids)));
    return static_cast<int>(it - muni_ids.begin());
  };

  // producers
  {
    const SectionSpec& spec = schema::section("producers.<id>");
    toml::table& all = subtable(root, "producers", r, "producers");
    for (auto&& [k, v] : all) {
      const std::string id(k.str());
      const std::string pre = "producers." + id + ".";
      if (!v.is_table()) fail_at(&v, file, "producers." + id, "expected a table");
      toml::table& t = *v.as_table();
      r.check_keys(t, spec, pre);
      ProducerParams base;
      base.municipality = municipality_index(t, spec, pre);
      const auto count = r.integer(t, spec, "count", pre);
      base.name = r.string(t, spec, "name", pre, id.c_str());
      base.organic = r.boolean(t, spec, "organic", pre);
      base.reliability = r.number(t, spec, "reliability", pre);
      base.margin = r.number(t, spec, "margin", pre);
      base.price_noise_sd = r.number(t, spec, "price_noise_sd", pre);
      base.admin_hours_per_week = r.number(t, spec, "admin_hours_per_week", pre);
      base.offer_share_initial = r.number(t, spec, "offer_share_initial", pre);
      base.delivery_radius_km = r.number(t, spec, "delivery_radius_km", pre);
      base.active = r.boolean(t, spec, "active", pre);
      base.aware = r.boolean(t, spec, "aware", pre);
      base.entry_cost_hours = r.number(t, spec, "entry_cost_hours", pre);
      base.entry_cost_nok = r.number(t, spec, "entry_cost_nok", pre);
      base.growth_per_year = r.number(t, spec, "growth_per_year", pre);
      base.exit_income_floor_nok = r.number(t, spec, "exit_income_floor_nok", pre);
      base.area_daa = r.category_table(t, spec, "area_daa", pre, cat_names, disabled);
      const bool placed = r.has(t, "position_km");
      if (placed) base.position = r.point(t, spec, "position_km", pre);
      const MunicipalityParams& mp = p.municipalities[static_cast<std::size_t>(base.municipality)];
      for (std::int64_t i = 0; i < count; ++i) {
        ProducerParams pp = base;
        if (count > 1) pp.name = fmt::format("{} {}", base.name, i + 1);
        if (!placed)
          pp.position = random_point_in(mp.centre, mp.area_km2, layout_seed, p.producers.size(), Stream::placement);
        p.producers.push_back(std::move(pp));
      }
    }
  }

  // buyers
  {
    const SectionSpec& spec = schema::section("buyers.<id>");
    toml::table& all = subtable(root, "buyers", r, "buyers");
    for (auto&& [k, v] : all) {
      const std::string id(k.str());
      const std::string pre = "buyers." + id + ".";
      if (!v.is_table()) fail_at(&v, file, "buyers." + id, "expected a table");
      toml::table& t = *v.as_table();
      r.check_keys(t, spec, pre);
      BuyerParams base;
      base.name = id;
      const std::string type = r.string(t, spec, "type", pre);
      const auto it = std::find(type_names.begin(), type_names.end(), type);
      if (it == type_names.end())
        fail_at(t.get("type"), file, pre + "type",
                fmt::format("unknown buyer type '{}'{}; the types are {}", type, suggestion(type, type_names),
                            join_names(type_names)));
      base.type = static_cast<BuyerType>(it - type_names.begin());
      base.municipality = municipality_index(t, spec, pre);
      const auto count = r.integer(t, spec, "count", pre);
      const bool per_unit = r.has(t, "eaters"), total = r.has(t, "eaters_total");
      if (per_unit == total)
        fail_at(per_unit ? t.get("eaters_total") : nullptr, file, pre + "eaters",
                "give exactly one of eaters (per unit) and eaters_total");
      const std::int64_t eaters = per_unit ? r.integer(t, spec, "eaters", pre) : r.integer(t, spec, "eaters_total", pre);
      base.local_preference = r.has(t, "local_preference")
                                  ? r.number(t, spec, "local_preference", pre)
                                  : p.buyer_types[static_cast<std::size_t>(base.type)].local_preference;
      const bool placed = r.has(t, "position_km");
      if (placed) base.position = r.point(t, spec, "position_km", pre);
      const MunicipalityParams& mp = p.municipalities[static_cast<std::size_t>(base.municipality)];
      for (std::int64_t i = 0; i < count; ++i) {
        BuyerParams bp = base;
        if (count > 1) bp.name = fmt::format("{} {}", id, i + 1);
        bp.eaters = static_cast<int>(per_unit ? eaters : eaters / count + (i < eaters % count ? 1 : 0));
        if (!placed)
          // kitchens draw from the placement stream too, in an id range of their own
          bp.position = random_point_in(mp.centre, mp.area_km2, layout_seed, (std::uint64_t{1} << 40) + p.buyers.size(),
                                        Stream::placement);
        p.buyers.push_back(std::move(bp));
      }
    }
  }

  std::ostringstream out;
  out << toml::toml_formatter{root, toml::toml_formatter::default_flags & ~toml::format_flags::indentation};
  sc.resolved_toml = out.str();
  if (sc.rules.empty()) sc.rules.emplace_back("(none)");
  return sc;
}

void apply_overrides(toml::table& root, const Overrides& overrides) {
  for (const auto& [path, value] : overrides) {
    toml::table parsed = parse_text(fmt::format("v = {}", value), fmt::format("<override {}>", path));
    toml::table* t = &root;
    std::string_view rest = path;
    for (std::size_t dot; (dot = rest.find('.')) != std::string_view::npos; rest.remove_prefix(dot + 1)) {
      const std::string part(rest.substr(0, dot));
      toml::node* n = t->get(part);
      if (!n) {
        t->insert_or_assign(part, toml::table{});
        n = t->get(part);
      }
      if (!n->is_table()) throw ScenarioError(fmt::format("<override {}>: '{}' is not a table", path, part));
      t = n->as_table();
    }
    t->insert_or_assign(std::string(rest), std::move(*parsed.get("v")));
    // a run length given as years replaces an end date from the files
    if (path == "run.years") t->erase("end_date");
  }
}

Scenario finish(toml::table merged, const std::string& file, const Overrides& overrides, const std::string& dir) {
  toml::table root = parse_text(kDefaultsToml, "<built-in defaults>");
  merge_into(root, std::move(merged));
  apply_overrides(root, overrides);
  expand_region(root, dir);
  return build(root, file);
}

}  // namespace

Scenario load_scenario(const std::string& path, const Overrides& overrides) {
  std::set<std::string> seen;
  return finish(load_file_chain(fs::path(path), seen, nullptr), path, overrides,
                fs::path(path).parent_path().string());
}

Scenario load_scenario_text(const std::string& text, const std::string& name, const Overrides& overrides) {
  toml::table t = parse_text(text, name);
  if (t.contains("base")) throw ScenarioError(name + ": 'base' needs a file on disk; use load_scenario");
  return finish(std::move(t), name, overrides, ".");
}

}  // namespace lokalmat
