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
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "sim/apportion.h"
#include "sim/csv_table.h"
#include "sim/params.h"
#include "sim/scenario.h"
#include "sim/scenario_schema.h"
#include "sim/scenario_text.h"
#include "sim/schema/key_reader.h"

namespace lokalmat {

namespace {

namespace fs = std::filesystem;
using namespace scenario_text;  // suggestion, join, merge_into
using schema::KeyReader;
using schema::SectionSpec;

constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean Earth radius
constexpr double kPi = 3.141592653589793;

// ASCII lower case (for comparing names typed by hand)
std::string lower(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

double round_to(double x, double unit) { return std::round(x / unit) * unit; }

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

// typed access to one checked section of [region]; an absent key reads as its row's default
struct Section {
  const KeyReader* r;
  const toml::table* t;
  const SectionSpec* spec;

  const toml::node* node(std::string_view name) const { return r->value(*t, schema::key(*spec, name)); }
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
void check_municipality_template(const KeyReader& r, const toml::table& t, const std::vector<std::string>& all_categories) {
  const std::string pre = "region.municipality_defaults.";
  const std::string hint = "set it in an explicit municipalities.m<number> table";
  r.check_table(t, schema::section("municipalities.<id>"), pre, {"name", "number", "population", "area_km2", "centre_km"},
                hint);
  r.check_table(subtable_or_empty(t, "policy"), schema::section("municipalities.<id>.policy"), pre + "policy.");
  r.check_table(subtable_or_empty(t, "hub"), schema::section("municipalities.<id>.hub"), pre + "hub.", {"position_km"},
                hint);
  r.check_table(subtable_or_empty(t, "day_centre"), schema::section("municipalities.<id>.day_centre"),
                pre + "day_centre.", {"participants"},
                "set region.rates.food_task_share or an explicit municipalities.m<number>.day_centre table");
  // the names in its lists (a copied node loses its line, so check them here)
  auto check_names = [&](std::string_view key, const std::vector<std::string>& names, std::string_view one,
                         std::string_view many) {
    const toml::node* n = t.get(key);
    if (!n) return;
    for (const auto& e : *n->as_array()) {
      const std::string s = e.as_string()->get();
      if (std::find(names.begin(), names.end(), s) == names.end())
        r.fail(&e, pre + std::string(key), KeyReader::unknown_name(one, many, s, names));
    }
  };
  std::vector<std::string> rule_names;
  for (const RuleInfo& ri : kRuleTable) rule_names.emplace_back(ri.name);
  check_names("rules", rule_names, "rule", "rules");
  check_names("exception_buyer_types", {kBuyerTypeNames.begin(), kBuyerTypeNames.end()}, "buyer type", "buyer types");
  check_names("exception_categories", all_categories, "category", "categories");
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
void merge_explicit(const KeyReader& r, toml::table& root, std::string_view kind, toml::table generated,
                    const std::map<std::string, std::string>& unselected, std::set<std::string>& generated_ids) {
  std::vector<std::string> ids;
  for (auto&& [k, v] : generated) {
    ids.emplace_back(k.str());
    generated_ids.insert(fmt::format("{}.{}", kind, k.str()));
  }
  if (toml::node* own = root.get(kind)) {
    if (!own->is_table()) r.fail(own, kind, "expected a table");
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
          r.fail(&v, fmt::format("{}.{}", kind, id),
                 fmt::format("not a table the region generates{}{}", why, suggestion(id, ids, std::string(kind) + ".")));
        }
        continue;
      }
      if (!v.is_table()) r.fail(&v, fmt::format("{}.{}", kind, id), "expected a table");
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

// ---------------------------------------------------------------- the steps of the expansion

// what the steps share: [region] and its checked sections, and the municipality table
struct Region {
  Region(const std::string& file, const toml::table& region)
      : r(file),
        t(region),
        rates_t(subtable_or_empty(region, "rates")),
        farms_t(subtable_or_empty(region, "farms")),
        muni_template(subtable_or_empty(region, "municipality_defaults")),
        farm_template(subtable_or_empty(region, "producer_defaults")),
        rates{&r, &rates_t, &schema::section("region.rates")},
        farms{&r, &farms_t, &schema::section("region.farms")} {}

  KeyReader r;                          // names the [region] table's file for values without a line
  const toml::table& t;
  const toml::table& rates_t;
  const toml::table& farms_t;
  const toml::table& muni_template;
  const toml::table& farm_template;
  Section rates, farms;
  std::vector<std::string> categories;  // the scenario's enabled categories
  std::string table_text;               // the municipality table as [region] names it
  std::vector<std::string> files;       // the CSV tables read
  CsvTable mcsv;
  std::vector<Municipality> munis;      // every row of the table
};

// check every key of [region] before using any
void check_region(const Region& g, const std::vector<std::string>& all_categories) {
  const KeyReader& r = g.r;
  r.check_table(g.t, schema::section("region"), "region.");
  r.check_table(g.rates_t, schema::section("region.rates"), "region.rates.");
  r.check_table(g.farms_t, schema::section("region.farms"), "region.farms.");
  check_municipality_template(r, g.muni_template, all_categories);
  r.check_table(g.farm_template, schema::section("producers.<id>"), "region.producer_defaults.",
                {"municipality", "count", "name", "position_km", "active", "area_daa", "delivery_radius_km"},
                "set it in region.farms or an explicit producers.m<number>_farms table");
}

// the municipality table: number, name, county, population, area and position of every row
void read_municipality_table(Region& g, const toml::node* region_node, const std::string& base_dir) {
  const toml::node* table_node = g.t.get("table");
  if (!table_node) g.r.fail(region_node, "region.table", "required key is missing (the CSV table of municipalities)");
  g.table_text = table_node->as_string()->get();
  const fs::path table_path = resolve_path(*table_node, g.table_text, base_dir);
  std::error_code ec;
  if (!fs::is_regular_file(table_path, ec))
    g.r.fail(table_node, "region.table",
             fmt::format("file '{}' does not exist (looked for '{}')", g.table_text, table_path.string()));
  g.files.push_back(table_path.string());
  g.mcsv = read_csv_table(table_path, table_path.string(), fmt::format("key 'region.table' at {}", g.r.where(table_node)));
  const CsvTable& mcsv = g.mcsv;
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
    g.munis.push_back(std::move(m));
  }
  if (g.munis.empty()) mcsv.fail(1, "the table has no municipality rows");
}

// the selection: every municipality of the named counties, plus the named numbers
// (the whole table when neither is named)
std::vector<bool> select_municipalities(const Region& g) {
  const std::size_t N = g.munis.size();
  std::vector<bool> selected(N, false);
  std::vector<std::string> counties, numbers;
  for (const auto& m : g.munis) {
    if (std::find(counties.begin(), counties.end(), m.county) == counties.end()) counties.push_back(m.county);
    numbers.push_back(m.number);
  }
  const toml::node* cn = g.t.get("counties");
  const toml::node* nn = g.t.get("numbers");
  const bool any = (cn && !cn->as_array()->empty()) || (nn && !nn->as_array()->empty());
  if (!any) selected.assign(N, true);
  if (cn)
    for (const auto& e : *cn->as_array()) {
      const std::string county = e.as_string()->get();
      if (std::find(counties.begin(), counties.end(), county) == counties.end())
        g.r.fail(&e, "region.counties",
                 fmt::format("no county '{}' in {}{} (counties: {})", county, g.table_text,
                             suggestion(county, counties), join(counties)));
      for (std::size_t i = 0; i < N; ++i)
        if (g.munis[i].county == county) selected[i] = true;
    }
  if (nn)
    for (const auto& e : *nn->as_array()) {
      const std::string number = e.as_string()->get();
      const auto it = std::find(numbers.begin(), numbers.end(), number);
      if (it == numbers.end()) {
        // a name where a number belongs: name the number
        std::string hint = suggestion(number, numbers);
        for (const auto& m : g.munis)
          if (edit_distance(lower(m.name), lower(number)) <= std::max<std::size_t>(1, number.size() / 4))
            hint = fmt::format("; did you mean '{}' ({})?", m.number, m.name);
        g.r.fail(&e, "region.numbers", fmt::format("no municipality number '{}' in {}{}", number, g.table_text, hint));
      }
      selected[static_cast<std::size_t>(it - numbers.begin())] = true;
    }
  return selected;
}

// kitchens of each rate's type: units (at least the minimum) and eaters, by population
struct Kitchens {
  std::vector<std::vector<std::int64_t>> units, eaters;  // [rate][municipality]
};
Kitchens count_kitchens(const Region& g, const std::vector<double>& pop) {
  const std::size_t N = g.munis.size();
  const std::int64_t min_units = g.rates.integer("min_units_per_municipality");
  Kitchens k;
  for (const BuyerRate& br : kBuyerRates) {
    const std::int64_t total_units = g.rates.integer(br.units_key);
    const std::int64_t floor_units = min_units * static_cast<std::int64_t>(N);
    if (total_units < floor_units)
      g.r.fail(g.rates_t.contains(br.units_key) || !g.rates_t.contains("min_units_per_municipality")
                   ? g.rates.node(br.units_key)
                   : g.rates_t.get("min_units_per_municipality"),
               std::string("region.rates.") + br.units_key,
               fmt::format("{} is below min_units_per_municipality ({}) x {} municipalities in {} = {}", total_units,
                           min_units, N, g.table_text, floor_units));
    std::vector<std::int64_t> u = apportion(total_units - floor_units, pop);
    for (auto& x : u) x += min_units;
    std::vector<double> w(N);
    for (std::size_t i = 0; i < N; ++i) w[i] = u[i] > 0 ? pop[i] : 0.0;
    const std::int64_t total_eaters = g.rates.integer(br.eaters_key);
    if (total_eaters > 0 && std::accumulate(w.begin(), w.end(), 0.0) <= 0)
      g.r.fail(g.rates.node(br.eaters_key), std::string("region.rates.") + br.eaters_key,
               fmt::format("{} eaters but no {} units (or no population) to place them in", total_eaters, br.type));
    k.eaters.push_back(apportion(total_eaters, w));
    k.units.push_back(std::move(u));
  }
  return k;
}

// the farm groups: counties grouped by the county table (or one national group), with
// each group's weight for holdings and for each crop's national area
struct FarmGroups {
  std::vector<std::string> crop_names;              // categories with a national area
  std::vector<double> crop_national;                // daa
  std::vector<std::size_t> group_of;                // [municipality]
  std::vector<double> holdings{1.0};                // [group] weights of the national holdings
  std::vector<std::vector<double>> crop;            // [group][crop] weights of each national area
};
FarmGroups read_farm_groups(Region& g, const std::string& base_dir) {
  FarmGroups f;
  for (auto&& [k, v] : *g.farms.node("area_daa_national")->as_table()) {
    const std::string name(k.str());
    if (std::find(g.categories.begin(), g.categories.end(), name) == g.categories.end()) continue;  // switched off
    f.crop_names.push_back(name);
    f.crop_national.push_back(v.is_integer() ? static_cast<double>(v.as_integer()->get()) : v.as_floating_point()->get());
  }
  const std::size_t N = g.munis.size();
  f.group_of.assign(N, 0);
  f.crop.assign(1, std::vector<double>(f.crop_names.size(), 1.0));
  const std::string county_text = g.farms.string("county_table");
  if (county_text.empty()) return f;
  const toml::node* cnode = g.farms.node("county_table");
  const fs::path cpath = resolve_path(*cnode, county_text, base_dir);
  std::error_code ec;
  if (!fs::is_regular_file(cpath, ec))
    g.r.fail(cnode, "region.farms.county_table",
             fmt::format("file '{}' does not exist (looked for '{}')", county_text, cpath.string()));
  g.files.push_back(cpath.string());
  const CsvTable ccsv =
      read_csv_table(cpath, cpath.string(), fmt::format("key 'region.farms.county_table' at {}", g.r.where(cnode)));
  const std::size_t c_counties = ccsv.column("counties"), c_hold = ccsv.column("holdings");
  std::vector<std::size_t> c_crop;
  for (const auto& name : f.crop_names) {
    const auto it = std::find(ccsv.header.begin(), ccsv.header.end(), name);
    if (it == ccsv.header.end())
      g.r.fail(g.farms.node("area_daa_national"), "region.farms.area_daa_national." + name,
               fmt::format("the county table {} has no column '{}' to share it out by (columns: {})", county_text,
                           name, join(ccsv.header)));
    c_crop.push_back(static_cast<std::size_t>(it - ccsv.header.begin()));
  }
  f.holdings.clear(), f.crop.clear();
  std::map<std::string, std::pair<std::size_t, int>> group_of_county;  // county -> (group, line)
  for (const CsvRow& r : ccsv.rows) {
    const std::size_t grp = f.holdings.size();
    const std::string& list = r.fields[c_counties];
    for (std::size_t pos = 0; pos <= list.size();) {
      const std::size_t end = std::min(list.find(';', pos), list.size());
      std::string county = list.substr(pos, end - pos);
      const auto b = county.find_first_not_of(' '), e = county.find_last_not_of(' ');
      county = b == std::string::npos ? "" : county.substr(b, e - b + 1);
      if (county.empty()) ccsv.fail(r.line, "column 'counties': an empty county name");
      if (const auto it = group_of_county.find(county); it != group_of_county.end())
        ccsv.fail(r.line, fmt::format("county '{}' is also in the row on line {}", county, it->second.second));
      group_of_county.emplace(county, std::make_pair(grp, r.line));
      pos = end + 1;
    }
    f.holdings.push_back(static_cast<double>(csv_integer(ccsv, r, c_hold, 0, 1e8)));
    std::vector<double> crop;
    for (std::size_t k = 0; k < c_crop.size(); ++k) crop.push_back(csv_number(ccsv, r, c_crop[k], 0, 1e12));
    f.crop.push_back(std::move(crop));
  }
  if (f.holdings.empty()) ccsv.fail(1, "the county table has no rows");
  std::vector<std::string> known;
  for (const auto& [county, grp] : group_of_county) known.push_back(county);
  for (std::size_t i = 0; i < N; ++i) {
    const auto it = group_of_county.find(g.munis[i].county);
    if (it == group_of_county.end())
      g.mcsv.fail(g.munis[i].line, fmt::format("county '{}' of municipality {} is in no row of the county table {}{}",
                                               g.munis[i].county, g.munis[i].number, county_text,
                                               suggestion(g.munis[i].county, known)));
    f.group_of[i] = it->second.first;
  }
  for (std::size_t k = 0; k < f.crop_names.size(); ++k) {
    double sum = 0;
    for (const auto& gc : f.crop) sum += gc[k];
    if (sum <= 0 && f.crop_national[k] > 0)
      g.r.fail(g.farms.node("area_daa_national"), "region.farms.area_daa_national." + f.crop_names[k],
               fmt::format("column '{}' of the county table {} is zero in every row", f.crop_names[k], county_text));
  }
  return f;
}

// farms per municipality, the active ones among them, and each group's crop area per farm
struct Farms {
  std::vector<std::int64_t> count, active;        // [municipality]
  std::vector<std::vector<double>> area_per_farm;  // [group][crop] daa
};
Farms count_farms(const Region& g, const FarmGroups& f) {
  const std::size_t N = g.munis.size(), G = f.holdings.size();
  Farms out;
  // holdings per group, then per municipality within its group by area^a x population^b
  const std::vector<std::int64_t> group_farms = apportion(g.farms.integer("holdings_national"), f.holdings);
  const double area_exp = g.farms.number("area_weight_exponent");
  const double pop_exp = g.farms.number("population_weight_exponent");
  out.count.assign(N, 0);
  for (std::size_t grp = 0; grp < G; ++grp) {
    std::vector<std::size_t> members;
    std::vector<double> w;
    for (std::size_t i = 0; i < N; ++i)
      if (f.group_of[i] == grp) {
        members.push_back(i);
        const double population = static_cast<double>(g.munis[i].population);
        w.push_back(std::pow(g.munis[i].area_km2, area_exp) * std::pow(population, pop_exp));
      }
    const std::vector<std::int64_t> share = apportion(group_farms[grp], w);
    for (std::size_t k = 0; k < members.size(); ++k) out.count[members[k]] = share[k];
  }
  // active farms, by farms
  std::vector<double> farm_w(N);
  for (std::size_t i = 0; i < N; ++i) farm_w[i] = static_cast<double>(out.count[i]);
  const auto active_total = static_cast<std::int64_t>(
      std::llround(std::accumulate(farm_w.begin(), farm_w.end(), 0.0) * g.farms.number("active_share")));
  out.active = apportion(active_total, farm_w);
  // crop area per farm in each group: the group's share of each national area over its farms
  out.area_per_farm.assign(G, std::vector<double>(f.crop_names.size(), 0.0));
  for (std::size_t k = 0; k < f.crop_names.size(); ++k) {
    double sum = 0;
    for (std::size_t grp = 0; grp < G; ++grp) sum += f.crop[grp][k];
    for (std::size_t grp = 0; grp < G; ++grp)
      if (group_farms[grp] > 0 && sum > 0)
        out.area_per_farm[grp][k] =
            round_to(f.crop_national[k] * f.crop[grp][k] / sum / static_cast<double>(group_farms[grp]), 0.001);
  }
  return out;
}

// the generated municipality, buyer and producer tables of the selected rows
struct Generated {
  toml::table munis, buyers, producers;
};
Generated write_tables(const Region& g, const std::vector<bool>& selected, const Kitchens& kitchens,
                       const std::vector<std::int64_t>& participants, const FarmGroups& groups, const Farms& farms) {
  const std::size_t N = g.munis.size();
  // planar km: a transverse Mercator projection (on the sphere) with the selection's mean longitude
  // as its central meridian and its mean latitude as the origin; its scale error grows with the
  // distance from the central meridian, (x/R)^2 / 2, under 1% within 900 km of it (all of Norway)
  double lat0 = 0, lon0 = 0;
  int n_selected = 0;
  for (std::size_t i = 0; i < N; ++i)
    if (selected[i]) lat0 += g.munis[i].lat, lon0 += g.munis[i].lon, ++n_selected;
  lat0 /= n_selected, lon0 /= n_selected;
  const double deg = kPi / 180.0;
  const double radius_km = g.farms.number("delivery_radius_km");

  Generated out;
  for (std::size_t i = 0; i < N; ++i) {
    if (!selected[i]) continue;
    const Municipality& m = g.munis[i];
    const std::string id = "m" + m.number;
    toml::table mt = g.muni_template;  // a deep copy
    mt.insert_or_assign("name", m.name);
    mt.insert_or_assign("number", m.number);
    mt.insert_or_assign("population", m.population);
    mt.insert_or_assign("area_km2", m.area_km2);
    const double dlon = (m.lon - lon0) * deg, phi = m.lat * deg;
    const double b = std::cos(phi) * std::sin(dlon);
    const double x = round_to(kEarthRadiusKm * std::atanh(b), 0.001);
    const double y = round_to(kEarthRadiusKm * (std::atan2(std::tan(phi), std::cos(dlon)) - lat0 * deg), 0.001);
    mt.insert_or_assign("centre_km", toml::array{x, y});
    if (!mt.contains("day_centre")) mt.insert_or_assign("day_centre", toml::table{});
    mt.get("day_centre")->as_table()->insert_or_assign("participants", participants[i]);
    out.munis.insert_or_assign(id, std::move(mt));

    for (std::size_t k = 0; k < std::size(kBuyerRates); ++k) {
      if (kitchens.units[k][i] <= 0) continue;
      toml::table bt;
      bt.insert_or_assign("type", kBuyerRates[k].type);
      bt.insert_or_assign("municipality", id);
      bt.insert_or_assign("count", kitchens.units[k][i]);
      bt.insert_or_assign("eaters_total", kitchens.eaters[k][i]);
      out.buyers.insert_or_assign(id + "_" + kBuyerRates[k].type, std::move(bt));
    }

    const std::int64_t sizes[2] = {farms.count[i] - farms.active[i], farms.active[i]};
    for (int a = 0; a < 2; ++a) {
      if (sizes[a] <= 0) continue;
      toml::table pt = g.farm_template;
      pt.insert_or_assign("municipality", id);
      pt.insert_or_assign("name", m.name + (a ? " active farm" : " farm"));
      pt.insert_or_assign("count", sizes[a]);
      pt.insert_or_assign("active", a == 1);
      pt.insert_or_assign("delivery_radius_km", radius_km);
      toml::table area;
      const auto& per_farm = farms.area_per_farm[groups.group_of[i]];
      for (std::size_t k = 0; k < groups.crop_names.size(); ++k)
        if (per_farm[k] > 0) area.insert_or_assign(groups.crop_names[k], per_farm[k]);
      pt.insert_or_assign("area_daa", std::move(area));
      out.producers.insert_or_assign(id + (a ? "_farms_active" : "_farms"), std::move(pt));
    }
  }
  return out;
}

// framework_exception from the template needs a hub: say so at the template's line
// (the copies have no line of their own)
void check_template_exception(const Region& g, const toml::table& root) {
  if (!has_string(g.muni_template.get("rules"), "framework_exception")) return;
  for (auto&& [k, v] : *root.get("municipalities")->as_table()) {
    if (!looks_generated(k.str()) || !v.is_table()) continue;
    const toml::table& t = *v.as_table();
    const toml::node* rules = t.get("rules");
    if (rules && rules->source().path) continue;  // the scenario's own rules: the loader names their line
    const toml::node* hub = t.get("hub");
    const toml::node* enabled = hub && hub->is_table() ? hub->as_table()->get("enabled") : nullptr;
    if (!(enabled && enabled->is_boolean() && enabled->as_boolean()->get()))
      g.r.fail(g.muni_template.get("rules"), "region.municipality_defaults.rules",
               fmt::format("framework_exception needs a working hub or platform, but municipalities.{} has none: set "
                           "region.municipality_defaults.hub.enabled = true",
                           k.str()));
  }
}

}  // namespace

// ---------------------------------------------------------------- expand_region

std::set<std::string> expand_region(toml::table& root, const std::string& base_dir,
                                    std::vector<std::string>* files_read) {
  std::set<std::string> generated_ids;
  toml::node* region_node = root.get("region");
  if (!region_node) return generated_ids;
  const std::string file = region_node->source().path ? *region_node->source().path : std::string("scenario");
  if (!region_node->is_table()) KeyReader(file).fail(region_node, "region", "expected a table");
  Region g(file, *region_node->as_table());
  std::vector<std::string> all_categories;
  category_names(root, g.categories, all_categories);
  g.r.set_categories(all_categories);

  check_region(g, all_categories);
  read_municipality_table(g, region_node, base_dir);
  const std::vector<bool> selected = select_municipalities(g);

  // counts over the whole table, by population
  std::vector<double> pop(g.munis.size());
  for (std::size_t i = 0; i < g.munis.size(); ++i) pop[i] = static_cast<double>(g.munis[i].population);
  const Kitchens kitchens = count_kitchens(g, pop);
  // day-centre participants on food tasks, by population
  const double places = static_cast<double>(g.rates.integer("day_activity_places_national"));
  const auto food_places = static_cast<std::int64_t>(std::llround(places * g.rates.number("food_task_share")));
  const std::vector<std::int64_t> participants = apportion(food_places, pop);
  const FarmGroups groups = read_farm_groups(g, base_dir);
  if (files_read) files_read->insert(files_read->end(), g.files.begin(), g.files.end());
  const Farms farms = count_farms(g, groups);

  // the selected rows as tables; the scenario's own tables win, key by key
  Generated gen = write_tables(g, selected, kitchens, participants, groups, farms);
  std::map<std::string, std::string> unselected;
  for (std::size_t i = 0; i < g.munis.size(); ++i)
    if (!selected[i]) unselected.emplace(g.munis[i].number, g.munis[i].name);
  merge_explicit(g.r, root, "municipalities", std::move(gen.munis), unselected, generated_ids);
  merge_explicit(g.r, root, "buyers", std::move(gen.buyers), unselected, generated_ids);
  merge_explicit(g.r, root, "producers", std::move(gen.producers), unselected, generated_ids);
  check_template_exception(g, root);

  root.erase("region");
  return generated_ids;
}

}  // namespace lokalmat
