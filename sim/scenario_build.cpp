// The merged scenario table -> Scenario, one step per section, in the order the steps
// depend on each other: the run, the shared constants, the categories (which tables by
// category name), the kitchen types, the municipalities (which producers, buyers and
// the network name), then the agents.
//
// A step is read_rows() over the section's schema rows, which checks every key and
// fills every field the rows name; what is left is a named step for a key whose
// reading is special (a run length from a date, names that become indices, an entry
// that expands to `count` agents) or a check across keys.
#include "sim/scenario_build.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/rng.h"
#include "sim/scenario_schema.h"
#include "sim/scenario_text.h"
#include "sim/schema/key_reader.h"
#include "sim/schema/params_rows.h"

namespace lokalmat {

namespace {

using schema::KeyReader;
using schema::KeySpec;
using schema::read_rows;
using schema::rows_of;
using schema::SectionRows;
using scenario_text::suggestion;

// what the steps share: the reader, the scenario so far, and what earlier steps found
struct Build {
  KeyReader r;
  Scenario sc;
  std::uint64_t layout_seed = 0;        // run.layout_seed (read_run)
  std::vector<std::string> categories;  // the enabled categories, in index order
  std::vector<std::string> disabled;    // the switched-off ones
  std::vector<std::string> muni_ids;    // the municipalities' table ids, in index order

  Params& p() { return sc.params; }
};

// the table `name` of `parent`, made empty when absent
toml::table& subtable(const Build& b, toml::table& parent, std::string_view name, const std::string& key) {
  toml::node* n = parent.get(name);
  if (!n) {
    parent.insert_or_assign(name, toml::table{});
    n = parent.get(name);
  }
  if (!n->is_table()) b.r.fail(n, key, fmt::format("expected a table, got {}", scenario_text::type_of(*n)));
  return *n->as_table();
}

// the value of a key without a field, as read_rows() checked and filled it in
template <class T, class S>
T row_value(const Build& b, const toml::table& t, const SectionRows<S>& sec, std::string_view name,
            const std::string& prefix) {
  return b.r.get<T>(*t.get(name), schema::key(sec.spec, name), prefix + std::string(name));
}

Point random_point_in(Point centre, double area_km2, std::uint64_t seed, std::uint64_t id, Stream stream) {
  Rng rng(seed, stream, id, 0);
  const double radius = std::sqrt(area_km2 / 3.141592653589793);
  const double r = radius * std::sqrt(rng.uniform());
  const double a = 2.0 * 3.141592653589793 * rng.uniform();
  return Point{centre.x_km + r * std::cos(a), centre.y_km + r * std::sin(a)};
}

// ---------------------------------------------------------------- the run and the shared constants

// the top level: title and description
void read_top(Build& b, toml::table& root) {
  b.r.fill_section(root, schema::section("(top level)"), "");
  b.sc.title = root.get("title")->as_string()->get();
}

// [run]: the run length is run.years of 52 weeks, or the weeks up to run.end_date
void read_run(Build& b, toml::table& root) {
  const auto& sec = rows_of<Params>();
  toml::table& t = subtable(b, root, "run", "run");
  Params& p = b.p();
  read_rows(b.r, t, sec, "run.", p);
  p.weeks = row_value<int>(b, t, sec, "years", "run.") * kWeeksPerYear;
  if (t.contains("end_date")) {
    const Date end = row_value<Date>(b, t, sec, "end_date", "run.");
    const auto days = days_from_civil(end) - days_from_civil(p.start);
    if (days < 0)
      b.r.fail(t.get("end_date"), "run.end_date",
               fmt::format("{} is before run.start_date {}; the end must come after the start", format_date(end),
                           format_date(p.start)));
    p.weeks = static_cast<int>(days / 7 + 1);
  }
  b.layout_seed = row_value<std::uint64_t>(b, t, sec, "layout_seed", "run.");
}

// [behaviour]: the sell-through weights sum to 1
void read_behaviour(Build& b, toml::table& root) {
  toml::table& t = subtable(b, root, "behaviour", "behaviour");
  BehaviourParams& be = b.p().behaviour;
  read_rows(b.r, t, rows_of<BehaviourParams>(), "behaviour.", be);
  const auto& w = be.sellthrough_weights;
  if (std::abs(w[0] + w[1] + w[2] - 1.0) > 1e-9)
    b.r.fail(t.get("sellthrough_weights"), "behaviour.sellthrough_weights", "expected three weights that sum to 1");
}

// [procurement]: the award weights sum to 1
void read_procurement(Build& b, toml::table& root) {
  toml::table& t = subtable(b, root, "procurement", "procurement");
  ProcurementParams& pr = b.p().procurement;
  read_rows(b.r, t, rows_of<ProcurementParams>(), "procurement.", pr);
  if (std::abs(pr.weight_price + pr.weight_quality + pr.weight_environment - 1.0) > 1e-9) {
    const std::string_view at = KeyReader::first_written(t, {"weight_environment", "weight_quality", "weight_price"});
    b.r.fail(t.get(at), "procurement." + std::string(at),
             fmt::format("award weights price {} + quality {} + environment {} must sum to 1", pr.weight_price,
                         pr.weight_quality, pr.weight_environment));
  }
}

// [wholesaler]: a framework agreement runs 4 years at most (FOA)
void read_wholesaler(Build& b, toml::table& root) {
  toml::table& t = subtable(b, root, "wholesaler", "wholesaler");
  WholesalerParams& w = b.p().wholesaler;
  read_rows(b.r, t, rows_of<WholesalerParams>(), "wholesaler.", w);
  if (w.contract_base_years + w.contract_extensions > 4)
    b.r.fail(t.get("contract_extensions"), "wholesaler.contract_extensions",
             fmt::format("base {} + extensions {} years exceeds the 4-year maximum for framework agreements (FOA)",
                         w.contract_base_years, w.contract_extensions));
}

// ---------------------------------------------------------------- food categories and kitchen types

// a category's weekly harvest weights: the season's hump, or 52 weights of the scenario's own
void read_harvest(const Build& b, const toml::table& t, const std::string& pre, CategoryParams& c) {
  const auto& sec = rows_of<CategoryParams>();
  c.harvest_weight = schema::harvest_curve(row_value<bool>(b, t, sec, "year_round", pre),
                                           row_value<int>(b, t, sec, "harvest_start_week", pre),
                                           row_value<int>(b, t, sec, "harvest_end_week", pre));
  if (!t.contains("harvest_weights")) return;
  const auto hw = row_value<std::vector<double>>(b, t, sec, "harvest_weights", pre);
  double sum = 0;
  for (double x : hw) sum += x;
  if (hw.size() != kWeeksPerYear || sum <= 0)
    b.r.fail(t.get("harvest_weights"), pre + "harvest_weights",
             "expected 52 non-negative weekly weights with a positive sum");
  for (std::size_t i = 0; i < hw.size(); ++i) c.harvest_weight[i] = hw[i] / sum;
}

// a category's local supply route, one of kLocalRouteNames
void read_local_route(const Build& b, toml::table& t, const std::string& pre, CategoryParams& c) {
  const auto& sec = rows_of<CategoryParams>();
  const auto route = row_value<std::string>(b, t, sec, "local_route", pre);
  for (std::size_t i = 0; i < kLocalRouteNames.size(); ++i)
    if (kLocalRouteNames[i] == route) {
      c.local_route = static_cast<LocalRoute>(i);
      return;
    }
  const std::vector<std::string> names(kLocalRouteNames.begin(), kLocalRouteNames.end());
  b.r.fail(t.get("local_route"), pre + "local_route", KeyReader::unknown_name("local route", "local routes", route, names));
}

// [categories.<name>], in the merged table's (alphabetical) order; a switched-off
// category is skipped whole, only its `enabled` read
void read_categories(Build& b, toml::table& root) {
  const auto& sec = rows_of<CategoryParams>();
  const KeySpec& enabled = schema::key(sec.spec, "enabled");
  for (auto&& [k, v] : subtable(b, root, "categories", "categories")) {
    const std::string name(k.str());
    const std::string pre = "categories." + name + ".";
    if (!v.is_table()) b.r.fail(&v, "categories." + name, "expected a table");
    toml::table& t = *v.as_table();
    b.r.check_keys(t, sec.spec, pre);
    const toml::node* on = b.r.fill(t, enabled, pre + "enabled");
    b.r.check_value(*on, enabled, pre + "enabled");
    if (!b.r.get<bool>(*on, enabled, pre + "enabled")) {
      b.disabled.push_back(name);
      continue;
    }
    CategoryParams c;
    c.name = name;
    read_rows(b.r, t, sec, pre, c);
    read_harvest(b, t, pre, c);
    read_local_route(b, t, pre, c);
    b.p().categories.push_back(std::move(c));
    b.categories.push_back(name);
  }
  if (b.categories.empty()) b.r.fail_missing_at_top("categories", "the scenario has no enabled food category");
  b.r.set_categories(b.categories, b.disabled);
}

// [buyer_types.<type>]: the six types, each filled from the defaults and the scenario
void read_buyer_types(Build& b, toml::table& root) {
  const std::vector<std::string> type_names(kBuyerTypeNames.begin(), kBuyerTypeNames.end());
  toml::table& all = subtable(b, root, "buyer_types", "buyer_types");
  for (auto&& [k, v] : all)
    if (std::find(type_names.begin(), type_names.end(), k.str()) == type_names.end())
      b.r.fail(&v, "buyer_types." + std::string(k.str()),
               KeyReader::unknown_name("buyer type", "buyer types", std::string(k.str()), type_names));
  b.p().buyer_types.resize(kBuyerTypes);
  for (std::size_t i = 0; i < kBuyerTypes; ++i) {
    const std::string pre = "buyer_types." + type_names[i] + ".";
    toml::table& t = subtable(b, all, type_names[i], "buyer_types." + type_names[i]);
    read_rows(b.r, t, rows_of<BuyerTypeParams>(), pre, b.p().buyer_types[i]);
  }
}

// ---------------------------------------------------------------- municipalities

// the categories the exception covers; when not given all of them, written into the table
void read_exception_categories(const Build& b, toml::table& t, const std::string& pre, MunicipalityParams& m) {
  const toml::node* n = t.get("exception_categories");
  if (!n) {
    toml::array a;
    for (std::size_t c = 0; c < b.categories.size(); ++c) {
      m.exception_categories.push_back(static_cast<int>(c));
      a.push_back(b.categories[c]);
    }
    t.insert_or_assign("exception_categories", std::move(a));
    return;
  }
  for (const auto& e : *n->as_array()) {
    const std::string name = e.as_string()->get();
    if (std::find(b.disabled.begin(), b.disabled.end(), name) != b.disabled.end()) continue;
    const auto it = std::find(b.categories.begin(), b.categories.end(), name);
    if (it == b.categories.end())
      b.r.fail(&e, pre + "exception_categories",
               KeyReader::unknown_name("category", "categories", name, b.categories));
    m.exception_categories.push_back(static_cast<int>(it - b.categories.begin()));
  }
}

// [municipalities.<id>.policy]: the sectors involved, and reinstating at or above withdrawing
void read_policy(const Build& b, toml::table& t, const std::string& pre, PolicyParams& pol) {
  read_rows(b.r, t, rows_of<PolicyParams>(), pre, pol);
  const std::vector<std::string> known(schema::kSectorNames.begin(), schema::kSectorNames.end());
  schema::Names sectors;
  for (const auto& e : *t.get("sectors")->as_array()) {
    const std::string name = e.as_string()->get();
    if (std::find(known.begin(), known.end(), name) == known.end())
      b.r.fail(&e, pre + "sectors", KeyReader::unknown_name("sector", "sectors", name, known));
    sectors.push_back(e.as_string()->get());
  }
  pol.sectors_involved = schema::count_sectors(sectors);
  if (pol.reinstate_level < pol.withdrawal_level)
    b.r.fail(t.get("reinstate_level"), pre + "reinstate_level",
             fmt::format("{} is below withdrawal_level {}; it must be at or above it", pol.reinstate_level,
                         pol.withdrawal_level));
}

// [municipalities.<id>.hub]: the site defaults to the municipality's centre
void read_hub(const Build& b, toml::table& t, const std::string& pre, const Point& centre, HubParams& hub) {
  if (!t.contains("position_km")) t.insert_or_assign("position_km", toml::array{centre.x_km, centre.y_km});
  read_rows(b.r, t, rows_of<HubParams>(), pre, hub);
  // the budget defaults to the planned running cost, from this table's keys
  if (!t.contains("budget_nok_per_year")) {
    hub.budget_nok_per_year = hub.planned_budget_nok_per_year();
    t.insert_or_assign("budget_nok_per_year", hub.budget_nok_per_year);
  }
}

// [municipalities.<id>.day_centre]: each range's highest at or above its lowest
void read_day_centre(const Build& b, toml::table& t, const std::string& pre, DayCentreParams& d) {
  read_rows(b.r, t, rows_of<DayCentreParams>(), pre, d);
  if (d.attendance_max < d.attendance_min)
    b.r.fail(t.get("attendance_max"), pre + "attendance_max",
             fmt::format("{} is below attendance_min {}", d.attendance_max, d.attendance_min));
  if (d.skill_initial_max < d.skill_initial_min)
    b.r.fail(t.get("skill_initial_max"), pre + "skill_initial_max",
             fmt::format("{} is below skill_initial_min {}", d.skill_initial_max, d.skill_initial_min));
}

// the rules in force, for the summary, and whether they are lawful
void note_rules(Scenario& sc, const MunicipalityParams& m) {
  for (Rule rule : m.rules) {
    sc.rules.push_back(
        fmt::format("{}: {}{}", m.name, rule_name(rule), rule_lawful(rule) ? "" : " (NOT LAWFUL: counterfactual)"));
    if (!rule_lawful(rule)) {
      sc.lawful = false;
      const std::string reason(rule_unlawful_reason(rule));
      if (std::find(sc.unlawful_reasons.begin(), sc.unlawful_reasons.end(), reason) == sc.unlawful_reasons.end())
        sc.unlawful_reasons.push_back(reason);
    }
  }
}

// [municipalities.<id>] with its policy, hub and day centre
void read_municipalities(Build& b, toml::table& root) {
  for (auto&& [k, v] : subtable(b, root, "municipalities", "municipalities")) {
    const std::string id(k.str());
    const std::string pre = "municipalities." + id + ".";
    if (!v.is_table()) b.r.fail(&v, "municipalities." + id, "expected a table");
    toml::table& t = *v.as_table();
    MunicipalityParams m;
    m.name = id;  // unless the table names it
    read_rows(b.r, t, rows_of<MunicipalityParams>(), pre, m);
    read_exception_categories(b, t, pre, m);
    read_policy(b, subtable(b, t, "policy", pre + "policy"), pre + "policy.", m.policy);
    read_hub(b, subtable(b, t, "hub", pre + "hub"), pre + "hub.", m.centre, m.hub);
    read_day_centre(b, subtable(b, t, "day_centre", pre + "day_centre"), pre + "day_centre.", m.day_centre);
    if (has_rule(m, Rule::framework_exception) && !m.hub.enabled)
      b.r.fail(t.get("rules"), pre + "rules",
               "framework_exception needs a working hub or platform: set hub.enabled = true");
    note_rules(b.sc, m);
    b.p().municipalities.push_back(std::move(m));
    b.muni_ids.push_back(id);
  }
  if (b.p().municipalities.empty()) b.r.fail_missing_at_top("municipalities", "the scenario has no municipality");
}

// the index of a municipality named by its id at `node`
int municipality_index(const Build& b, const toml::node* node, const std::string& key) {
  const std::string id = node->as_string()->get();
  const auto it = std::find(b.muni_ids.begin(), b.muni_ids.end(), id);
  if (it == b.muni_ids.end())
    b.r.fail(node, key, fmt::format("no municipality '{}'{}", id, suggestion(id, b.muni_ids)));
  return static_cast<int>(it - b.muni_ids.begin());
}

// [network]: members by municipality id
void read_network(Build& b, toml::table& root) {
  toml::table& t = subtable(b, root, "network", "network");
  NetworkParams& n = b.p().network;
  read_rows(b.r, t, rows_of<NetworkParams>(), "network.", n);
  for (const auto& e : *t.get("members")->as_array()) n.members.push_back(municipality_index(b, &e, "network.members"));
}

// ---------------------------------------------------------------- agents

// The farms (or kitchen units) of each municipality, counted over its entries, stay within the
// limit (sim/params.h); a municipality that passes it is refused, before its agents are made, at
// its largest entry so far
class AgentsPerMunicipality {
 public:
  AgentsPerMunicipality(std::size_t municipalities, int limit, std::string_view what)
      : entries_(municipalities), limit_(limit), what_(what) {}
  void add(Build& b, const toml::table& t, const std::string& pre, int municipality, std::int64_t count) {
    const auto m = static_cast<std::size_t>(municipality);
    Entries& e = entries_[m];
    e.total += count;
    if (count > e.largest) {
      e.largest = count;
      e.key = pre + (t.contains("count") ? "count" : "municipality");
      e.node = t.contains("count") ? t.get("count") : t.get("municipality");
    }
    if (e.total > limit_)
      b.r.fail(e.node, e.key,
               fmt::format("municipality '{}' has {} {} in all; at most {} {} per municipality (allowed: 1 to {})",
                           b.p().municipalities[m].name, e.total, what_, limit_, what_, limit_));
  }

 private:
  struct Entries {
    std::int64_t total = 0, largest = 0;
    std::string key;
    const toml::node* node = nullptr;
  };
  std::vector<Entries> entries_;
  int limit_;
  std::string_view what_;
};

// [producers.<id>]: `count` alike farms; those without a position are placed at random
// within their municipality from the layout seed
void read_producers(Build& b, toml::table& root) {
  const auto& sec = rows_of<ProducerParams>();
  Params& p = b.p();
  AgentsPerMunicipality farms(p.municipalities.size(), kMaxFarmsPerMunicipality, "farms");
  for (auto&& [k, v] : subtable(b, root, "producers", "producers")) {
    const std::string id(k.str());
    const std::string pre = "producers." + id + ".";
    if (!v.is_table()) b.r.fail(&v, "producers." + id, "expected a table");
    toml::table& t = *v.as_table();
    ProducerParams base;
    base.name = id;  // unless the table names it
    read_rows(b.r, t, sec, pre, base);
    base.municipality = municipality_index(b, t.get("municipality"), pre + "municipality");
    const auto count = row_value<std::int64_t>(b, t, sec, "count", pre);
    farms.add(b, t, pre, base.municipality, count);
    const bool placed = t.contains("position_km");
    const MunicipalityParams& mp = p.municipalities[static_cast<std::size_t>(base.municipality)];
    for (std::int64_t i = 0; i < count; ++i) {
      ProducerParams pp = base;
      if (count > 1) pp.name = fmt::format("{} {}", base.name, i + 1);
      if (!placed)
        pp.position = random_point_in(mp.centre, mp.area_km2, b.layout_seed, p.producers.size(), Stream::placement);
      p.producers.push_back(std::move(pp));
    }
  }
}

// [buyers.<id>]: `count` alike units sharing eaters_total evenly (or eaters each); the
// local preference is the type's unless given
void read_buyers(Build& b, toml::table& root) {
  const auto& sec = rows_of<BuyerParams>();
  Params& p = b.p();
  AgentsPerMunicipality units(p.municipalities.size(), kMaxUnitsPerMunicipality, "kitchen units");
  for (auto&& [k, v] : subtable(b, root, "buyers", "buyers")) {
    const std::string id(k.str());
    const std::string pre = "buyers." + id + ".";
    if (!v.is_table()) b.r.fail(&v, "buyers." + id, "expected a table");
    toml::table& t = *v.as_table();
    BuyerParams base;
    base.name = id;
    read_rows(b.r, t, sec, pre, base);
    base.municipality = municipality_index(b, t.get("municipality"), pre + "municipality");
    const auto count = row_value<std::int64_t>(b, t, sec, "count", pre);
    units.add(b, t, pre, base.municipality, count);
    const bool per_unit = t.contains("eaters"), total = t.contains("eaters_total");
    if (per_unit == total)
      b.r.fail(per_unit ? t.get("eaters_total") : &t, pre + "eaters",
               "give exactly one of eaters (per unit) and eaters_total");
    const auto eaters = row_value<std::int64_t>(b, t, sec, per_unit ? "eaters" : "eaters_total", pre);
    if (!t.contains("local_preference"))
      base.local_preference = p.buyer_types[static_cast<std::size_t>(base.type)].local_preference;
    const bool placed = t.contains("position_km");
    const MunicipalityParams& mp = p.municipalities[static_cast<std::size_t>(base.municipality)];
    for (std::int64_t i = 0; i < count; ++i) {
      BuyerParams bp = base;
      if (count > 1) bp.name = fmt::format("{} {}", id, i + 1);
      bp.eaters = static_cast<int>(per_unit ? eaters : eaters / count + (i < eaters % count ? 1 : 0));
      if (!placed)
        // kitchens draw from the placement stream too, in an id range of their own
        bp.position = random_point_in(mp.centre, mp.area_km2, b.layout_seed, (std::uint64_t{1} << 40) + p.buyers.size(),
                                      Stream::placement);
      p.buyers.push_back(std::move(bp));
    }
  }
}

}  // namespace

Scenario build_scenario(toml::table& root, const std::string& file) {
  Build b{KeyReader(file), {}, 0, {}, {}, {}};
  b.sc.path = file;
  read_top(b, root);
  read_run(b, root);
  read_behaviour(b, root);
  read_procurement(b, root);
  read_wholesaler(b, root);
  read_categories(b, root);
  read_buyer_types(b, root);
  read_municipalities(b, root);
  read_network(b, root);
  read_producers(b, root);
  read_buyers(b, root);

  // the resolved scenario: the merged table with every default filled in
  std::ostringstream out;
  out << toml::toml_formatter{root, toml::toml_formatter::default_flags & ~toml::format_flags::indentation};
  b.sc.resolved_toml = out.str();
  if (b.sc.rules.empty()) b.sc.rules.emplace_back("(none)");
  return std::move(b.sc);
}

}  // namespace lokalmat
