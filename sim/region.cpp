// Regions: the [region] section of a scenario -> ordinary municipality, buyer and
// producer tables (see region.h for the design, scenarios/README.md "Regions" for
// the user's view and scenarios/data/*.SOURCES.md for the data).
//
// The derivation, for the whole table (every row, selected or not):
//   kindergartens, SFOs, nursing homes   units = min + largest remainder of (national - min x rows) by population;
//                                        eaters = largest remainder of the national eaters by population
//                                        (over the rows that have at least one unit)
//   day-centre participants              largest remainder of round(places x food-task share) by population
//   farm holdings                        county groups: largest remainder of the national holdings by the
//                                        county table's holdings; within a group by area^a x population^b
//   active farms                         largest remainder of round(share x holdings) by farms
//   crop area per farm (daa)             national area x the group's share of the county column / group farms
// then the selected rows become tables. Largest remainder (Hamilton) keeps every
// total exact; ties go to the earlier row of the table, so the result is deterministic.
#include "sim/region.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "sim/calendar.h"
#include "sim/params.h"
#include "sim/scenario.h"
#include "sim/scenario_schema.h"
#include "sim/scenario_text.h"

namespace lokalmat {

// ---------------------------------------------------------------- the schema of [region]

namespace schema {

std::vector<SectionSpec> region_sections() {
  using T = KeyType;
  return {
      {"region",
       "Many municipalities generated from a table (see \"Regions\" above). Generated tables: "
       "`municipalities.m<number>`, `buyers.m<number>_kindergarten` / `_sfo` / `_nursing_home`, "
       "`producers.m<number>_farms` / `_farms_active`; a table the scenario writes under one of these ids is merged "
       "over the generated one, key by key.",
       {
           {"table", T::string, "path", "", 0, 0,
            "CSV table of municipalities (kommunenummer, name, county, population, area_km2, lat, lon), relative to "
            "the file that names it (required)"},
           {"counties", T::string_list, "county names", "[]", 0, 0,
            "take every municipality of these counties (the table's `county` column)"},
           {"numbers", T::string_list, "municipality numbers", "[]", 0, 0,
            "also take these municipalities, e.g. [\"3901\"]; with counties and numbers both empty, the whole table"},
       },
       {"rates", "farms", "municipality_defaults", "producer_defaults"}},
      {"region.rates",
       "National counts the table lacks; each is apportioned over the table's municipalities by population (largest "
       "remainder), so the totals are exact when the whole table is selected.",
       {
           {"kindergartens_national", T::integer, "units", "5314", 0, 1e7,
            "kindergartens in Norway [src SSB kindergarten statistics 2023: 5,314]"},
           {"kindergarten_children_national", T::integer, "children", "266916", 0, 1e8,
            "children in kindergartens [src SSB 2023: 266,916]"},
           {"sfo_units_national", T::integer, "units", "2200", 0, 1e7,
            "schools with SFO [assume: the schools with grades 1-4 among the 2,712 grunnskoler, Udir GSI 2023-24]"},
           {"sfo_children_national", T::integer, "children", "165000", 0, 1e8,
            "pupils in SFO [src SSB/Udir GSI 2022-23: about 165,000]"},
           {"nursing_homes_national", T::integer, "units", "1000", 0, 1e7,
            "nursing homes [src MODEL.md §8: ~1,000 care institutions]"},
           {"nursing_home_residents_national", T::integer, "residents", "39200", 0, 1e8,
            "nursing-home residents, one a place [src SSB 2020: ~39,200 nursing-home places]"},
           {"min_units_per_municipality", T::integer, "units", "1", 0, 1000,
            "every municipality has at least this many kindergartens, SFOs and nursing homes [assume]"},
           {"day_activity_places_national", T::integer, "places", "23000", 0, 1e7,
            "day-activity places [src SSB/NAKU: ~23,000]"},
           {"food_task_share", T::number, "share", "0.05", 0, 1,
            "share of day-activity places on food tasks: day_centre.participants [assume: ~6 of Horten's ~116]"},
       },
       {}},
      {"region.farms",
       "Farms: holdings per county group from a county table, within a group by area and population; crop areas by "
       "the county's share of each national area.",
       {
           {"county_table", T::string, "path", "\"\"", 0, 0,
            "CSV of county groups (counties, holdings, one column per category in area_daa_national), relative to the "
            "file that names it; \"\" = one national group"},
           {"holdings_national", T::integer, "farms", "37561", 0, 1e7,
            "farm holdings in Norway [src SSB agriculture statistics 2023: 37,561]"},
           {"active_share", T::number, "share", "0.05", 0, 1,
            "share of farms active in the municipal channel at the start [assume: Horten's 3 of ~45-60 holdings]"},
           {"delivery_radius_km", T::number, "km", "30", 0, 2000,
            "generated farms serve hubs within this road distance [assume]"},
           {"area_weight_exponent", T::number, "-", "1", 0, 4,
            "within a county group, farms are shared by area_km2^this x population^population_weight_exponent "
            "[assume]"},
           {"population_weight_exponent", T::number, "-", "0", 0, 4, "see area_weight_exponent [assume]"},
           {"area_daa_national", T::category_table, "daa",
            "{ fresh_vegetables = 71094.0, potatoes_roots = 126531.0, fruit_berries = 42104.0, "
            "bakery_grain = 2927450.0 }",
            0, 1e9,
            "national area by category, shared out to the farms [src SSB census 2010: field vegetables 71,094, fruit "
            "21,765 + berries 20,339 daa; SSB 2012: potatoes 126,531, cereals 2,927,450 daa]"},
       },
       {}},
      {"region.municipality_defaults",
       "Any key of `municipalities.<id>` and its `policy`, `hub` and `day_centre` tables, copied into every generated "
       "municipality (e.g. `rules`); not the generated ones (name, number, population, area_km2, centre_km, "
       "hub.position_km, day_centre.participants).",
       {},
       {"policy", "hub", "day_centre"}},
      {"region.producer_defaults",
       "Any key of `producers.<id>`, copied into every generated farm group (e.g. `reliability`, `organic`); not the "
       "generated ones (municipality, count, name, position_km, active, area_daa, delivery_radius_km).",
       {},
       {}},
  };
}

}  // namespace schema

namespace {

namespace fs = std::filesystem;
using namespace scenario_text;  // suggestion, join, format_number, type_of, merge_into
using schema::KeySpec;
using schema::KeyType;
using schema::SectionSpec;

constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean Earth radius
constexpr double kPi = 3.141592653589793;

// ---------------------------------------------------------------- messages (as in scenario.cpp)

struct Ctx {
  std::string fallback;  // file named when a node has no source (the [region] table's file)
};

constexpr std::string_view kSchemaDefault = "<schema default>";  // the source name of parsed defaults

std::string where(const toml::node* n, const Ctx& c) {
  if (n && n->source().path && *n->source().path != kSchemaDefault)
    return fmt::format("{}:{}", *n->source().path, n->source().begin.line);
  return c.fallback;
}

[[noreturn]] void fail_at(const toml::node* n, const Ctx& c, const std::string& key, const std::string& msg) {
  throw ScenarioError(fmt::format("{}: key '{}': {}", where(n, c), key, msg));
}

// ASCII lower case (for comparing names typed by hand)
std::string lower(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

// ---------------------------------------------------------------- checking values against the schema

void check_range(const toml::node* n, const Ctx& c, const std::string& key, double v, const KeySpec& k) {
  if (std::isnan(v) || v < k.lo || v > k.hi)
    fail_at(n, c, key,
            fmt::format("{} is out of range; allowed {} to {} ({})", format_number(v), format_number(k.lo),
                        format_number(k.hi), k.unit));
}

double number_of(const toml::node& n, const Ctx& c, const std::string& key, const KeySpec& k) {
  if (n.is_floating_point()) return n.as_floating_point()->get();
  if (n.is_integer()) return static_cast<double>(n.as_integer()->get());
  fail_at(&n, c, key, fmt::format("expected a number ({}), got {}", k.unit, type_of(n)));
}

// the type and range of one value, as the scenario loader checks them
void check_value(const toml::node& n, const KeySpec& k, const std::string& key, const Ctx& c,
                 const std::vector<std::string>& categories) {
  switch (k.type) {
    case KeyType::number: check_range(&n, c, key, number_of(n, c, key, k), k); break;
    case KeyType::integer:
      if (!n.is_integer()) fail_at(&n, c, key, fmt::format("expected a whole number ({}), got {}", k.unit, type_of(n)));
      check_range(&n, c, key, static_cast<double>(n.as_integer()->get()), k);
      break;
    case KeyType::boolean:
      if (!n.is_boolean()) fail_at(&n, c, key, fmt::format("expected true or false, got {}", type_of(n)));
      break;
    case KeyType::string:
      if (!n.is_string()) fail_at(&n, c, key, fmt::format("expected a string, got {}", type_of(n)));
      break;
    case KeyType::date: {
      Date d;
      if (!n.is_date() && (!n.is_string() || !parse_date(n.as_string()->get(), d)))
        fail_at(&n, c, key, "expected a date as \"YYYY-MM-DD\"");
      break;
    }
    case KeyType::point:
    case KeyType::number_list: {
      if (!n.is_array()) fail_at(&n, c, key, fmt::format("expected a list of numbers, got {}", type_of(n)));
      for (const auto& e : *n.as_array()) {
        if (!e.is_number()) fail_at(&e, c, key, "expected a list of numbers");
        check_range(&e, c, key, number_of(e, c, key, k), k);
      }
      if (k.type == KeyType::point && n.as_array()->size() != 2) fail_at(&n, c, key, "expected [x_km, y_km]");
      break;
    }
    case KeyType::integer_list:
      if (!n.is_array()) fail_at(&n, c, key, fmt::format("expected a list of whole numbers, got {}", type_of(n)));
      for (const auto& e : *n.as_array()) {
        if (!e.is_integer()) fail_at(&e, c, key, "expected a list of whole numbers");
        check_range(&e, c, key, static_cast<double>(e.as_integer()->get()), k);
      }
      break;
    case KeyType::string_list:
      if (!n.is_array()) fail_at(&n, c, key, fmt::format("expected a list of strings, got {}", type_of(n)));
      for (const auto& e : *n.as_array())
        if (!e.is_string()) fail_at(&e, c, key, "expected a list of strings");
      break;
    case KeyType::category_table:
      if (!n.is_table()) fail_at(&n, c, key, fmt::format("expected a table of category = number, got {}", type_of(n)));
      for (auto&& [ck, cv] : *n.as_table()) {
        const std::string name(ck.str());
        if (std::find(categories.begin(), categories.end(), name) == categories.end())
          throw ScenarioError(fmt::format("{}: unknown category '{}' in '{}'{}", where(&cv, c), name, key,
                                          suggestion(name, categories)));
        const std::string ckey = key + "." + name;
        if (!cv.is_number()) fail_at(&cv, c, ckey, fmt::format("expected a number ({})", k.unit));
        check_range(&cv, c, ckey, number_of(cv, c, ckey, k), k);
      }
      break;
  }
}

// refuse keys the section does not know (naming the nearest one) and keys in
// `generated`; check every value's type and range
void check_table(const toml::table& t, const SectionSpec& spec, const std::string& prefix, const Ctx& c,
                 const std::vector<std::string>& categories, const std::vector<std::string>& generated = {},
                 const std::string& generated_hint = "") {
  std::vector<std::string> valid;
  for (const auto& k : spec.keys) valid.emplace_back(k.name);
  for (const auto& s : spec.subsections) valid.emplace_back(s);
  for (auto&& [k, v] : t) {
    const std::string name(k.str());
    if (std::find(generated.begin(), generated.end(), name) != generated.end())
      fail_at(&v, c, prefix + name, fmt::format("is generated from the table; {}", generated_hint));
    if (std::find(valid.begin(), valid.end(), name) == valid.end())
      throw ScenarioError(fmt::format("{}: unknown key '{}'{}", where(&v, c), prefix + name,
                                      suggestion(name, valid, prefix)));
    const auto is_sub = std::find(spec.subsections.begin(), spec.subsections.end(), name) != spec.subsections.end();
    if (is_sub) {
      if (!v.is_table()) fail_at(&v, c, prefix + name, "expected a table");
      continue;  // the caller checks subsections with their own spec
    }
    check_value(v, schema::key(spec, name), prefix + name, c, categories);
  }
}

// the value of `name` in `t`, or the schema default (parsed into `holder`); nullptr if neither
const toml::node* value_or_default(const toml::table& t, const SectionSpec& spec, std::string_view name,
                                   toml::table& holder) {
  if (const toml::node* n = t.get(name)) return n;
  const KeySpec& k = schema::key(spec, name);
  if (k.default_toml.empty()) return nullptr;
  holder = toml::parse(fmt::format("v = {}", k.default_toml), kSchemaDefault);
  return holder.get("v");
}

// ---------------------------------------------------------------- CSV tables

struct CsvRow {
  int line = 0;
  std::vector<std::string> fields;
};

struct Csv {
  std::string path;                 // as shown in messages
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  std::string named_by;             // "key 'region.table' at file:line", appended to messages

  [[noreturn]] void fail(int line, const std::string& msg) const {
    throw ScenarioError(fmt::format("{}:{}: {} (the table named by {})", path, line, msg, named_by));
  }
  std::size_t column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
      fail(1, fmt::format("no column '{}'{}; the columns are {}", name, suggestion(name, header), join(header)));
    return static_cast<std::size_t>(it - header.begin());
  }
};

// one line of RFC 4180 CSV: commas, fields optionally in double quotes ("" inside quotes is a quote)
bool split_csv_line(std::string_view s, std::vector<std::string>& out) {
  out.clear();
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    if (quoted) {
      if (ch == '"' && i + 1 < s.size() && s[i + 1] == '"') field += '"', ++i;
      else if (ch == '"') quoted = false;
      else field += ch;
    } else if (ch == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (ch == ',') {
      out.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else {
      if (was_quoted) return false;  // text after a closing quote
      field += ch;
    }
  }
  if (quoted) return false;  // an unclosed quote
  out.push_back(std::move(field));
  return true;
}

Csv read_csv(const fs::path& path, const std::string& shown, const std::string& named_by) {
  Csv csv;
  csv.path = shown;
  csv.named_by = named_by;
  std::ifstream in(path, std::ios::binary);
  if (!in) csv.fail(1, "cannot read the file");
  std::string line;
  int n = 0;
  std::vector<std::string> fields;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 byte-order mark
    if (line.find_first_not_of(" \t") == std::string::npos) {
      if (n == 1) csv.fail(1, "the first line must be the header row");
      continue;
    }
    if (!split_csv_line(line, fields)) csv.fail(n, "malformed quotes");
    for (auto& f : fields) {  // surrounding blanks are not part of a value
      const auto b = f.find_first_not_of(" \t"), e = f.find_last_not_of(" \t");
      f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
    }
    if (n == 1) {
      csv.header = fields;
      continue;
    }
    if (fields.size() != csv.header.size())
      csv.fail(n, fmt::format("expected {} fields as in the header, found {}", csv.header.size(), fields.size()));
    csv.rows.push_back(CsvRow{n, fields});
  }
  if (csv.header.empty()) csv.fail(1, "the file is empty");
  return csv;
}

std::int64_t csv_integer(const Csv& csv, const CsvRow& r, std::size_t col, double lo, double hi) {
  const std::string& s = r.fields[col];
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    csv.fail(r.line, fmt::format("column '{}': '{}' is not a whole number", csv.header[col], s));
  if (static_cast<double>(v) < lo || static_cast<double>(v) > hi)
    csv.fail(r.line, fmt::format("column '{}': {} is out of range; allowed {} to {}", csv.header[col], v,
                                 format_number(lo), format_number(hi)));
  return v;
}

double csv_number(const Csv& csv, const CsvRow& r, std::size_t col, double lo, double hi) {
  const std::string& s = r.fields[col];
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
    csv.fail(r.line, fmt::format("column '{}': '{}' is not a number", csv.header[col], s));
  if (v < lo || v > hi)
    csv.fail(r.line, fmt::format("column '{}': {} is out of range; allowed {} to {}", csv.header[col],
                                 format_number(v), format_number(lo), format_number(hi)));
  return v;
}

// a table path: relative to the file the key is written in, else to `base_dir`
fs::path resolve_path(const toml::node& n, const std::string& text, const std::string& base_dir) {
  const fs::path p(text);
  if (p.is_absolute()) return p;
  if (n.source().path) {
    const fs::path from(*n.source().path);
    std::error_code ec;
    if (fs::is_regular_file(from, ec)) return from.parent_path() / p;
  }
  return fs::path(base_dir.empty() ? "." : base_dir) / p;
}

// ---------------------------------------------------------------- apportionment

// largest-remainder (Hamilton) apportionment of `total` over `weights`: each gets
// the floor of its quota total x w / sum(w), and the units left over go to the
// largest remainders, ties to the earlier entry. The parts always sum to `total`
// (when some weight is positive).
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights) {
  std::vector<std::int64_t> out(weights.size(), 0);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (total <= 0 || sum <= 0) return out;
  std::vector<double> rem(weights.size());
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double q = static_cast<double>(total) * weights[i] / sum;
    const double f = std::floor(q);
    out[i] = static_cast<std::int64_t>(f);
    rem[i] = q - f;
    given += out[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
  std::int64_t left = total - given;
  for (std::size_t k = 0; left > 0 && k < order.size(); ++k) {
    if (weights[order[k]] <= 0) continue;
    ++out[order[k]], --left;
  }
  // floating-point floors can only overshoot by rounding a quota up to a whole number: take those back
  for (std::size_t k = order.size(); left < 0 && k-- > 0;)
    if (out[order[k]] > 0) --out[order[k]], ++left;
  return out;
}

// ---------------------------------------------------------------- the region's settings

struct Municipality {
  int line = 0;  // line in the CSV
  std::string number, name, county;
  std::int64_t population = 0;
  double area_km2 = 0, lat = 0, lon = 0;
};

struct BuyerRate {
  std::string type;            // buyer type name
  const char* units_key;       // region.rates key of the national count of units
  const char* eaters_key;      // ... of the national count of eaters
};
const BuyerRate kBuyerRates[] = {
    {"kindergarten", "kindergartens_national", "kindergarten_children_national"},
    {"sfo", "sfo_units_national", "sfo_children_national"},
    {"nursing_home", "nursing_homes_national", "nursing_home_residents_national"},
};

// typed access to one validated section of [region]
struct Section {
  const toml::table* t;
  const SectionSpec* spec;
  std::string prefix;
  mutable std::deque<toml::table> holders;  // parsed defaults (a deque keeps earlier nodes in place)

  const toml::node* node(std::string_view name) const {
    holders.emplace_back();
    return value_or_default(*t, *spec, name, holders.back());
  }
  std::int64_t integer(std::string_view name) const { return node(name)->as_integer()->get(); }
  double number(std::string_view name) const {
    const toml::node* n = node(name);
    return n->is_integer() ? static_cast<double>(n->as_integer()->get()) : n->as_floating_point()->get();
  }
  std::string string(std::string_view name) const { return node(name)->as_string()->get(); }
};

const toml::table& subtable_or_empty(const toml::table& t, std::string_view name) {
  static const toml::table empty;
  const toml::node* n = t.get(name);
  return n && n->is_table() ? *n->as_table() : empty;
}

// enabled category names of the merged scenario (disabled ones are skipped, as the loader does)
void category_names(const toml::table& root, std::vector<std::string>& enabled, std::vector<std::string>& all) {
  const toml::node* cats = root.get("categories");
  if (!cats || !cats->is_table()) return;
  for (auto&& [k, v] : *cats->as_table()) {
    all.emplace_back(k.str());
    const toml::node* e = v.is_table() ? v.as_table()->get("enabled") : nullptr;
    if (!(e && e->is_boolean() && !e->as_boolean()->get())) enabled.emplace_back(k.str());
  }
}

// the [region.municipality_defaults] template: keys, types and ranges, and the names in its lists
void check_municipality_template(const toml::table& t, const Ctx& c, const std::vector<std::string>& all_categories) {
  const std::string pre = "region.municipality_defaults.";
  const std::string hint = "set it in an explicit municipalities.m<number> table";
  check_table(t, schema::section("municipalities.<id>"), pre, c, all_categories,
              {"name", "number", "population", "area_km2", "centre_km"}, hint);
  check_table(subtable_or_empty(t, "policy"), schema::section("municipalities.<id>.policy"), pre + "policy.", c,
              all_categories);
  check_table(subtable_or_empty(t, "hub"), schema::section("municipalities.<id>.hub"), pre + "hub.", c,
              all_categories, {"position_km"}, hint);
  check_table(subtable_or_empty(t, "day_centre"), schema::section("municipalities.<id>.day_centre"),
              pre + "day_centre.", c, all_categories, {"participants"},
              "set region.rates.food_task_share or an explicit municipalities.m<number>.day_centre table");
  // the names in its lists (a copied node loses its line, so check them here)
  auto check_names = [&](std::string_view key, const std::vector<std::string>& names, std::string_view what) {
    const toml::node* n = t.get(key);
    if (!n) return;
    for (const auto& e : *n->as_array()) {
      const std::string s = e.as_string()->get();
      if (std::find(names.begin(), names.end(), s) == names.end())
        fail_at(&e, c, pre + std::string(key),
                fmt::format("unknown {} '{}'{} ({}: {})", what, s, suggestion(s, names), what, join(names)));
    }
  };
  std::vector<std::string> rule_names;
  for (const RuleInfo& ri : kRuleTable) rule_names.emplace_back(ri.name);
  check_names("rules", rule_names, "rule");
  check_names("exception_buyer_types", {kBuyerTypeNames.begin(), kBuyerTypeNames.end()}, "buyer type");
  check_names("exception_categories", all_categories, "category");
}

bool has_string(const toml::node* list, std::string_view s) {
  if (!list || !list->is_array()) return false;
  for (const auto& e : *list->as_array())
    if (e.is_string() && e.as_string()->get() == s) return true;
  return false;
}

// an id the generator would make: "m" + 4 digits, alone or followed by "_"
bool looks_generated(std::string_view id) {
  if (id.size() < 5 || id[0] != 'm') return false;
  for (std::size_t i = 1; i < 5; ++i)
    if (id[i] < '0' || id[i] > '9') return false;
  return id.size() == 5 || id[5] == '_';
}

// merge the scenario's own tables of one kind over the generated ones and put the result in root;
// `unselected` maps the numbers of the table's other municipalities to their names
void merge_explicit(toml::table& root, std::string_view kind, toml::table generated, const Ctx& c,
                    const std::map<std::string, std::string>& unselected) {
  std::vector<std::string> ids;
  for (auto&& [k, v] : generated) ids.emplace_back(k.str());
  if (toml::node* own = root.get(kind)) {
    if (!own->is_table()) fail_at(own, c, std::string(kind), "expected a table");
    for (auto&& [k, v] : *own->as_table()) {
      const std::string id(k.str());
      toml::node* g = generated.get(id);
      if (!g) {
        // a hand-written id shaped like a generated one that matches none is a slip
        if (looks_generated(id)) {
          const auto other = unselected.find(id.substr(1, 4));
          const std::string why = other != unselected.end()
                                      ? fmt::format(" (municipality {} {} is in the table but not selected by "
                                                    "region.counties or region.numbers)",
                                                    other->first, other->second)
                                      : "";
          fail_at(&v, c, fmt::format("{}.{}", kind, id),
                  fmt::format("not a table the region generates{}{}", why,
                              suggestion(id, ids, std::string(kind) + ".")));
        }
        continue;
      }
      if (!v.is_table()) fail_at(&v, c, fmt::format("{}.{}", kind, id), "expected a table");
      // a buyer given per-unit eaters replaces the generated total (and the other way round)
      toml::table& gt = *g->as_table();
      const toml::table& ot = *v.as_table();
      if (ot.contains("eaters") && !ot.contains("eaters_total")) gt.erase("eaters_total");
      if (ot.contains("eaters_total") && !ot.contains("eaters")) gt.erase("eaters");
    }
    merge_into(generated, std::move(*own->as_table()));
  }
  root.insert_or_assign(kind, std::move(generated));
}

double round_to(double x, double unit) { return std::round(x / unit) * unit; }

}  // namespace

// ---------------------------------------------------------------- expand_region

void expand_region(toml::table& root, const std::string& base_dir) {
  toml::node* region_node = root.get("region");
  if (!region_node) return;
  Ctx c{region_node->source().path ? *region_node->source().path : std::string("scenario")};
  if (!region_node->is_table()) fail_at(region_node, c, "region", "expected a table");
  const toml::table& region = *region_node->as_table();
  std::vector<std::string> categories, all_categories;
  category_names(root, categories, all_categories);

  // check every key of [region] before using any
  const SectionSpec& rspec = schema::section("region");
  const SectionSpec& rates_spec = schema::section("region.rates");
  const SectionSpec& farms_spec = schema::section("region.farms");
  check_table(region, rspec, "region.", c, all_categories);
  const toml::table& rates_t = subtable_or_empty(region, "rates");
  const toml::table& farms_t = subtable_or_empty(region, "farms");
  const toml::table& muni_template = subtable_or_empty(region, "municipality_defaults");
  const toml::table& farm_template = subtable_or_empty(region, "producer_defaults");
  check_table(rates_t, rates_spec, "region.rates.", c, all_categories);
  check_table(farms_t, farms_spec, "region.farms.", c, all_categories);
  check_municipality_template(muni_template, c, all_categories);
  check_table(farm_template, schema::section("producers.<id>"), "region.producer_defaults.", c, all_categories,
              {"municipality", "count", "name", "position_km", "active", "area_daa", "delivery_radius_km"},
              "set it in region.farms or an explicit producers.m<number>_farms table");
  const Section rates{&rates_t, &rates_spec, "region.rates.", {}};
  const Section farms{&farms_t, &farms_spec, "region.farms.", {}};

  // the municipality table
  const toml::node* table_node = region.get("table");
  if (!table_node) fail_at(region_node, c, "region.table", "required key is missing (the CSV table of municipalities)");
  const std::string table_text = table_node->as_string()->get();
  const fs::path table_path = resolve_path(*table_node, table_text, base_dir);
  {
    std::error_code ec;
    if (!fs::is_regular_file(table_path, ec))
      fail_at(table_node, c, "region.table",
              fmt::format("file '{}' does not exist (looked for '{}')", table_text, table_path.string()));
  }
  const Csv mcsv = read_csv(table_path, table_path.string(),
                            fmt::format("key 'region.table' at {}", where(table_node, c)));
  std::vector<Municipality> munis;
  {
    const std::size_t c_num = mcsv.column("kommunenummer"), c_name = mcsv.column("name"),
                      c_county = mcsv.column("county"), c_pop = mcsv.column("population"),
                      c_area = mcsv.column("area_km2"), c_lat = mcsv.column("lat"), c_lon = mcsv.column("lon");
    std::map<std::string, int> seen;
    for (const CsvRow& r : mcsv.rows) {
      Municipality m;
      m.line = r.line;
      m.number = r.fields[c_num];
      const bool digits = std::all_of(m.number.begin(), m.number.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (m.number.size() != 4 || !digits)
        mcsv.fail(r.line, fmt::format("column 'kommunenummer': '{}' is not a 4-digit municipality number", m.number));
      if (const auto it = seen.find(m.number); it != seen.end())
        mcsv.fail(r.line, fmt::format("municipality {} is listed twice (first on line {})", m.number, it->second));
      seen.emplace(m.number, r.line);
      m.name = r.fields[c_name];
      m.county = r.fields[c_county];
      if (m.name.empty()) mcsv.fail(r.line, "column 'name' is empty");
      if (m.county.empty()) mcsv.fail(r.line, "column 'county' is empty");
      m.population = csv_integer(mcsv, r, c_pop, 0, 1e8);
      m.area_km2 = csv_number(mcsv, r, c_area, 0.01, 100000);
      m.lat = csv_number(mcsv, r, c_lat, -90, 90);
      m.lon = csv_number(mcsv, r, c_lon, -180, 180);
      munis.push_back(std::move(m));
    }
    if (munis.empty()) mcsv.fail(1, "the table has no municipality rows");
  }
  const std::size_t N = munis.size();

  // the selection: every municipality of the named counties, plus the named numbers
  std::vector<bool> selected(N, false);
  {
    std::vector<std::string> counties, numbers;
    for (const auto& m : munis) {
      if (std::find(counties.begin(), counties.end(), m.county) == counties.end()) counties.push_back(m.county);
      numbers.push_back(m.number);
    }
    const toml::node* cn = region.get("counties");
    const toml::node* nn = region.get("numbers");
    const bool any = (cn && !cn->as_array()->empty()) || (nn && !nn->as_array()->empty());
    if (!any) selected.assign(N, true);
    if (cn)
      for (const auto& e : *cn->as_array()) {
        const std::string county = e.as_string()->get();
        if (std::find(counties.begin(), counties.end(), county) == counties.end())
          fail_at(&e, c, "region.counties",
                  fmt::format("no county '{}' in {}{} (counties: {})", county, table_text, suggestion(county, counties),
                              join(counties)));
        for (std::size_t i = 0; i < N; ++i)
          if (munis[i].county == county) selected[i] = true;
      }
    if (nn)
      for (const auto& e : *nn->as_array()) {
        const std::string number = e.as_string()->get();
        const auto it = std::find(numbers.begin(), numbers.end(), number);
        if (it == numbers.end()) {
          // a name where a number belongs: name the number
          std::string hint = suggestion(number, numbers);
          for (const auto& m : munis)
            if (edit_distance(lower(m.name), lower(number)) <= std::max<std::size_t>(1, number.size() / 4))
              hint = fmt::format("; did you mean '{}' ({})?", m.number, m.name);
          fail_at(&e, c, "region.numbers",
                  fmt::format("no municipality number '{}' in {}{}", number, table_text, hint));
        }
        selected[static_cast<std::size_t>(it - numbers.begin())] = true;
      }
  }

  // population weights over the whole table
  std::vector<double> pop(N);
  for (std::size_t i = 0; i < N; ++i) pop[i] = static_cast<double>(munis[i].population);

  // kitchens: units (at least the minimum) and eaters, by population
  const std::int64_t min_units = rates.integer("min_units_per_municipality");
  std::vector<std::vector<std::int64_t>> units, eaters;
  for (const BuyerRate& br : kBuyerRates) {
    const std::int64_t total_units = rates.integer(br.units_key);
    const std::int64_t floor_units = min_units * static_cast<std::int64_t>(N);
    if (total_units < floor_units)
      fail_at(rates_t.contains(br.units_key) || !rates_t.contains("min_units_per_municipality")
                  ? rates.node(br.units_key)
                  : rates_t.get("min_units_per_municipality"),
              c, std::string("region.rates.") + br.units_key,
              fmt::format("{} is below min_units_per_municipality ({}) x {} municipalities in {} = {}", total_units,
                          min_units, N, table_text, floor_units));
    std::vector<std::int64_t> u = apportion(total_units - floor_units, pop);
    for (auto& x : u) x += min_units;
    std::vector<double> w(N);
    for (std::size_t i = 0; i < N; ++i) w[i] = u[i] > 0 ? pop[i] : 0.0;
    const std::int64_t total_eaters = rates.integer(br.eaters_key);
    if (total_eaters > 0 && std::accumulate(w.begin(), w.end(), 0.0) <= 0)
      fail_at(rates.node(br.eaters_key), c, std::string("region.rates.") + br.eaters_key,
              fmt::format("{} eaters but no {} units (or no population) to place them in", total_eaters, br.type));
    eaters.push_back(apportion(total_eaters, w));
    units.push_back(std::move(u));
  }

  // day-centre participants on food tasks, by population
  const double places = static_cast<double>(rates.integer("day_activity_places_national"));
  const auto food_places = static_cast<std::int64_t>(std::llround(places * rates.number("food_task_share")));
  const std::vector<std::int64_t> participants = apportion(food_places, pop);

  // farms: county groups from the county table (or one national group)
  std::vector<std::string> crop_names;  // categories with a national area
  std::vector<double> crop_national;
  {
    const toml::node* a = farms.node("area_daa_national");
    for (auto&& [k, v] : *a->as_table()) {
      const std::string name(k.str());
      if (std::find(categories.begin(), categories.end(), name) == categories.end()) continue;  // switched off
      crop_names.push_back(name);
      crop_national.push_back(v.is_integer() ? static_cast<double>(v.as_integer()->get())
                                             : v.as_floating_point()->get());
    }
  }
  std::vector<std::size_t> group_of(N, 0);
  std::vector<double> group_holdings{1.0};              // weights of the groups
  std::vector<std::vector<double>> group_crop{std::vector<double>(crop_names.size(), 1.0)};  // [group][crop]
  const std::string county_text = farms.string("county_table");
  if (!county_text.empty()) {
    const toml::node* cnode = farms.node("county_table");
    const fs::path cpath = resolve_path(*cnode, county_text, base_dir);
    std::error_code ec;
    if (!fs::is_regular_file(cpath, ec))
      fail_at(cnode, c, "region.farms.county_table",
              fmt::format("file '{}' does not exist (looked for '{}')", county_text, cpath.string()));
    const Csv ccsv = read_csv(cpath, cpath.string(),
                              fmt::format("key 'region.farms.county_table' at {}", where(cnode, c)));
    const std::size_t c_counties = ccsv.column("counties"), c_hold = ccsv.column("holdings");
    std::vector<std::size_t> c_crop;
    for (const auto& name : crop_names) {
      const auto it = std::find(ccsv.header.begin(), ccsv.header.end(), name);
      if (it == ccsv.header.end())
        fail_at(farms.node("area_daa_national"), c, "region.farms.area_daa_national." + name,
                fmt::format("the county table {} has no column '{}' to share it out by (columns: {})", county_text,
                            name, join(ccsv.header)));
      c_crop.push_back(static_cast<std::size_t>(it - ccsv.header.begin()));
    }
    group_holdings.clear(), group_crop.clear();
    std::map<std::string, std::pair<std::size_t, int>> group_of_county;  // county -> (group, line)
    for (const CsvRow& r : ccsv.rows) {
      const std::size_t g = group_holdings.size();
      const std::string& list = r.fields[c_counties];
      for (std::size_t pos = 0; pos <= list.size();) {
        const std::size_t end = std::min(list.find(';', pos), list.size());
        std::string county = list.substr(pos, end - pos);
        const auto b = county.find_first_not_of(' '), e = county.find_last_not_of(' ');
        county = b == std::string::npos ? "" : county.substr(b, e - b + 1);
        if (county.empty()) ccsv.fail(r.line, "column 'counties': an empty county name");
        if (const auto it = group_of_county.find(county); it != group_of_county.end())
          ccsv.fail(r.line, fmt::format("county '{}' is also in the row on line {}", county, it->second.second));
        group_of_county.emplace(county, std::make_pair(g, r.line));
        pos = end + 1;
      }
      group_holdings.push_back(static_cast<double>(csv_integer(ccsv, r, c_hold, 0, 1e8)));
      std::vector<double> crop;
      for (std::size_t k = 0; k < c_crop.size(); ++k) crop.push_back(csv_number(ccsv, r, c_crop[k], 0, 1e12));
      group_crop.push_back(std::move(crop));
    }
    if (group_holdings.empty()) ccsv.fail(1, "the county table has no rows");
    std::vector<std::string> known;
    for (const auto& [county, g] : group_of_county) known.push_back(county);
    for (std::size_t i = 0; i < N; ++i) {
      const auto it = group_of_county.find(munis[i].county);
      if (it == group_of_county.end())
        mcsv.fail(munis[i].line, fmt::format("county '{}' of municipality {} is in no row of the county table {}{}",
                                             munis[i].county, munis[i].number, county_text,
                                             suggestion(munis[i].county, known)));
      group_of[i] = it->second.first;
    }
    for (std::size_t k = 0; k < crop_names.size(); ++k) {
      double sum = 0;
      for (const auto& gc : group_crop) sum += gc[k];
      if (sum <= 0 && crop_national[k] > 0)
        fail_at(farms.node("area_daa_national"), c, "region.farms.area_daa_national." + crop_names[k],
                fmt::format("column '{}' of the county table {} is zero in every row", crop_names[k], county_text));
    }
  }
  const std::size_t G = group_holdings.size();

  // holdings per group, then per municipality within its group by area^a x population^b
  const std::int64_t holdings_national = farms.integer("holdings_national");
  const std::vector<std::int64_t> group_farms = apportion(holdings_national, group_holdings);
  const double area_exp = farms.number("area_weight_exponent"), pop_exp = farms.number("population_weight_exponent");
  std::vector<std::int64_t> farm_count(N, 0);
  for (std::size_t g = 0; g < G; ++g) {
    std::vector<std::size_t> members;
    std::vector<double> w;
    for (std::size_t i = 0; i < N; ++i)
      if (group_of[i] == g) {
        members.push_back(i);
        const double population = static_cast<double>(munis[i].population);
        w.push_back(std::pow(munis[i].area_km2, area_exp) * std::pow(population, pop_exp));
      }
    const std::vector<std::int64_t> f = apportion(group_farms[g], w);
    for (std::size_t k = 0; k < members.size(); ++k) farm_count[members[k]] = f[k];
  }
  // active farms, by farms
  std::vector<double> farm_w(N);
  for (std::size_t i = 0; i < N; ++i) farm_w[i] = static_cast<double>(farm_count[i]);
  const auto active_total = static_cast<std::int64_t>(
      std::llround(std::accumulate(farm_w.begin(), farm_w.end(), 0.0) * farms.number("active_share")));
  const std::vector<std::int64_t> active = apportion(active_total, farm_w);
  // crop area per farm in each group: the group's share of each national area over its farms
  std::vector<std::vector<double>> area_per_farm(G, std::vector<double>(crop_names.size(), 0.0));
  for (std::size_t k = 0; k < crop_names.size(); ++k) {
    double sum = 0;
    for (std::size_t g = 0; g < G; ++g) sum += group_crop[g][k];
    for (std::size_t g = 0; g < G; ++g)
      if (group_farms[g] > 0 && sum > 0)
        area_per_farm[g][k] =
            round_to(crop_national[k] * group_crop[g][k] / sum / static_cast<double>(group_farms[g]), 0.001);
  }
  const double radius_km = farms.number("delivery_radius_km");

  // planar km: equirectangular projection around the selection's mean latitude and longitude
  double lat0 = 0, lon0 = 0;
  int n_selected = 0;
  for (std::size_t i = 0; i < N; ++i)
    if (selected[i]) lat0 += munis[i].lat, lon0 += munis[i].lon, ++n_selected;
  lat0 /= n_selected, lon0 /= n_selected;
  const double deg = kPi / 180.0;

  // the generated tables
  toml::table gen_munis, gen_buyers, gen_producers;
  for (std::size_t i = 0; i < N; ++i) {
    if (!selected[i]) continue;
    const Municipality& m = munis[i];
    const std::string id = "m" + m.number;
    toml::table mt = muni_template;  // a deep copy
    mt.insert_or_assign("name", m.name);
    mt.insert_or_assign("number", m.number);
    mt.insert_or_assign("population", m.population);
    mt.insert_or_assign("area_km2", m.area_km2);
    const double x = round_to(kEarthRadiusKm * (m.lon - lon0) * deg * std::cos(lat0 * deg), 0.001);
    const double y = round_to(kEarthRadiusKm * (m.lat - lat0) * deg, 0.001);
    mt.insert_or_assign("centre_km", toml::array{x, y});
    if (!mt.contains("day_centre")) mt.insert_or_assign("day_centre", toml::table{});
    mt.get("day_centre")->as_table()->insert_or_assign("participants", participants[i]);
    gen_munis.insert_or_assign(id, std::move(mt));

    for (std::size_t k = 0; k < std::size(kBuyerRates); ++k) {
      if (units[k][i] <= 0) continue;
      toml::table bt;
      bt.insert_or_assign("type", kBuyerRates[k].type);
      bt.insert_or_assign("municipality", id);
      bt.insert_or_assign("count", units[k][i]);
      bt.insert_or_assign("eaters_total", eaters[k][i]);
      gen_buyers.insert_or_assign(id + "_" + kBuyerRates[k].type, std::move(bt));
    }

    const std::int64_t groups[2] = {farm_count[i] - active[i], active[i]};
    for (int a = 0; a < 2; ++a) {
      if (groups[a] <= 0) continue;
      toml::table pt = farm_template;
      pt.insert_or_assign("municipality", id);
      pt.insert_or_assign("name", m.name + (a ? " active farm" : " farm"));
      pt.insert_or_assign("count", groups[a]);
      pt.insert_or_assign("active", a == 1);
      pt.insert_or_assign("delivery_radius_km", radius_km);
      toml::table area;
      for (std::size_t k = 0; k < crop_names.size(); ++k)
        if (area_per_farm[group_of[i]][k] > 0) area.insert_or_assign(crop_names[k], area_per_farm[group_of[i]][k]);
      pt.insert_or_assign("area_daa", std::move(area));
      gen_producers.insert_or_assign(id + (a ? "_farms_active" : "_farms"), std::move(pt));
    }
  }

  // the scenario's own tables win, key by key
  std::map<std::string, std::string> unselected;
  for (std::size_t i = 0; i < N; ++i)
    if (!selected[i]) unselected.emplace(munis[i].number, munis[i].name);
  merge_explicit(root, "municipalities", std::move(gen_munis), c, unselected);
  merge_explicit(root, "buyers", std::move(gen_buyers), c, unselected);
  merge_explicit(root, "producers", std::move(gen_producers), c, unselected);

  // framework_exception from the template needs a hub: say so at the template's line
  // (the copies have no line of their own)
  if (has_string(muni_template.get("rules"), "framework_exception"))
    for (auto&& [k, v] : *root.get("municipalities")->as_table()) {
      if (!looks_generated(k.str()) || !v.is_table()) continue;
      const toml::table& t = *v.as_table();
      const toml::node* rules = t.get("rules");
      if (rules && rules->source().path) continue;  // the scenario's own rules: the loader names their line
      const toml::node* hub = t.get("hub");
      const toml::node* enabled = hub && hub->is_table() ? hub->as_table()->get("enabled") : nullptr;
      if (!(enabled && enabled->is_boolean() && enabled->as_boolean()->get()))
        fail_at(muni_template.get("rules"), c, "region.municipality_defaults.rules",
                fmt::format("framework_exception needs a working hub or platform, but municipalities.{} has none: set "
                            "region.municipality_defaults.hub.enabled = true",
                            k.str()));
    }

  root.erase("region");
}

}  // namespace lokalmat
