// Every key declared once (sim/schema/): a default-constructed Params struct is the
// schema's defaults, section by section; a loaded scenario leaves the sections it does
// not set exactly at those defaults, so no default is written a second time in the
// loader, the built-in defaults file or params.h; every default is within its range and
// prints as the TOML the documentation shows; each row's provenance is a field whose
// mark ends the documented meaning.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <toml++/toml.h>
#include <type_traits>
#include <variant>
#include <vector>

#include "sim/scenario.h"
#include "sim/scenario_schema.h"
#include "sim/schema/key_reader.h"
#include "sim/schema/params_rows.h"

namespace lokalmat {
namespace {

using schema::Default;
using schema::KeyRow;
using schema::KeySpec;
using schema::rows_of;

// ---------------------------------------------------------------- helpers

template <class E>
E enum_named(std::string_view s) {
  for (std::size_t i = 0; i < schema::EnumNames<E>::count; ++i)
    if (schema::EnumNames<E>::name(i) == s) return static_cast<E>(i);
  ADD_FAILURE() << "no such name " << s;
  return E{};
}

// a row's default as the value of a field of type T, worked out here (not by the
// schema's own default_as), so that the test does not take the constructor's word
template <class T>
T expected_value(const Default& d) {
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, bool> || std::is_same_v<T, Date> ||
                std::is_same_v<T, Point>) {
    return std::get<T>(d);
  } else if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(std::get<std::int64_t>(d));
  } else if constexpr (std::is_same_v<T, std::string>) {
    return std::string(std::get<std::string_view>(d));
  } else if constexpr (std::is_same_v<T, std::vector<int>>) {
    T out;
    for (auto x : std::get<std::vector<std::int64_t>>(d)) out.push_back(static_cast<int>(x));
    return out;
  } else if constexpr (std::is_same_v<T, std::vector<double>>) {
    if (const auto* v = std::get_if<std::vector<double>>(&d)) return *v;
    EXPECT_TRUE(std::get<schema::CategoryAmounts>(d).empty());
    return {};
  } else if constexpr (std::is_same_v<T, std::array<double, 3>>) {
    const auto& v = std::get<std::vector<double>>(d);
    EXPECT_EQ(v.size(), 3u);
    return {v.at(0), v.at(1), v.at(2)};
  } else if constexpr (std::is_same_v<T, BuyerType>) {
    return enum_named<BuyerType>(std::get<std::string_view>(d));
  } else {  // lists of enum values
    T out;
    for (auto s : std::get<schema::Names>(d)) out.push_back(enum_named<typename T::value_type>(s));
    return out;
  }
}

template <class T>
bool same(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, Point>) return a.x_km == b.x_km && a.y_km == b.y_km;
  else return a == b;
}

// the keys whose field differs between a and b; a table by category counts as equal when
// one side has no categories and the other only zeros (a struct built without the
// scenario's categories has none)
template <class S>
std::vector<std::string> differing_fields(const S& a, const S& b) {
  std::vector<std::string> out;
  for (const KeyRow<S>& row : rows_of<S>().rows)
    std::visit(
        [&](auto m) {
          if constexpr (!std::is_same_v<decltype(m), std::monostate>) {
            const auto& x = a.*m;
            const auto& y = b.*m;
            using T = std::remove_cvref_t<decltype(x)>;
            bool equal = same(x, y);
            if constexpr (std::is_same_v<T, std::vector<double>>)
              if (row.key.type == schema::KeyType::category_table && (x.empty() || y.empty())) {
                const auto& full = x.empty() ? y : x;
                equal = std::all_of(full.begin(), full.end(), [](double v) { return v == 0.0; });
              }
            if (!equal) out.emplace_back(row.key.name);
          }
        },
        row.member);
  return out;
}

// every key with a field and a fixed default: does the default-constructed struct hold it?
template <class S>
void expect_struct_is_schema_defaults() {
  const S s{};
  int checked = 0;
  for (const KeyRow<S>& row : rows_of<S>().rows) {
    if (!schema::has_default(row.key.def)) continue;
    std::visit(
        [&](auto m) {
          if constexpr (!std::is_same_v<decltype(m), std::monostate>) {
            using T = std::remove_cvref_t<decltype(s.*m)>;
            EXPECT_TRUE(same(s.*m, expected_value<T>(row.key.def)))
                << rows_of<S>().spec.path << "." << row.key.name << ": the struct's default is not the schema's";
            ++checked;
          }
        },
        row.member);
  }
  EXPECT_GT(checked, 0) << rows_of<S>().spec.path;
}

std::string printed(const toml::node& n) {
  std::ostringstream os;
  toml::table t;
  t.insert("v", n);
  os << t;
  return os.str();
}

// ---------------------------------------------------------------- a struct is its section's defaults

TEST(SchemaDefaults, DefaultConstructedStructsAreTheSchemaDefaults) {
  expect_struct_is_schema_defaults<Params>();
  expect_struct_is_schema_defaults<BehaviourParams>();
  expect_struct_is_schema_defaults<ProcurementParams>();
  expect_struct_is_schema_defaults<NetworkParams>();
  expect_struct_is_schema_defaults<WholesalerParams>();
  expect_struct_is_schema_defaults<CategoryParams>();
  expect_struct_is_schema_defaults<BuyerTypeParams>();
  expect_struct_is_schema_defaults<MunicipalityParams>();
  expect_struct_is_schema_defaults<PolicyParams>();
  expect_struct_is_schema_defaults<HubParams>();
  expect_struct_is_schema_defaults<DayCentreParams>();
  expect_struct_is_schema_defaults<ProducerParams>();
  // a buyer entry's keys all need the scenario (type, municipality, eaters) or derive
  // from it (local preference, position): none has a fixed default
  for (const auto& row : rows_of<BuyerParams>().rows)
    EXPECT_FALSE(schema::has_default(row.key.def) && !std::holds_alternative<std::monostate>(row.member))
        << row.key.name;
}

TEST(SchemaDefaults, FieldsDerivedFromKeysWithoutAFieldFollowThoseKeysDefaults) {
  auto def_of = [](const auto& rows, std::string_view name) -> const Default& {
    for (const auto& row : rows)
      if (row.key.name == name) return row.key.def;
    throw std::logic_error("no row " + std::string(name));
  };
  // run.years of 52 weeks
  EXPECT_EQ(Params{}.weeks, std::get<std::int64_t>(def_of(rows_of<Params>().rows, "years")) * kWeeksPerYear);
  // the season's hump of the default season
  const auto& c = rows_of<CategoryParams>().rows;
  const auto curve = schema::harvest_curve(std::get<bool>(def_of(c, "year_round")),
                                           static_cast<int>(std::get<std::int64_t>(def_of(c, "harvest_start_week"))),
                                           static_cast<int>(std::get<std::int64_t>(def_of(c, "harvest_end_week"))));
  EXPECT_EQ(CategoryParams{}.harvest_weight, curve);
  double sum = 0;
  for (double w : curve) sum += w;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_EQ(curve[23], CategoryParams{}.harvest_weight[23]);
  EXPECT_GT(curve[23], 0.0);  // ISO week 24 is in the default season
  EXPECT_EQ(curve[0], 0.0);
  // the sectors named by default
  EXPECT_EQ(PolicyParams{}.sectors_involved,
            schema::count_sectors(std::get<schema::Names>(def_of(rows_of<PolicyParams>().rows, "sectors"))));
  EXPECT_EQ(PolicyParams{}.sectors_involved, 1);
}

// the fields whose struct defaults once disagreed with the schema: the schema's values,
// which every loaded scenario used, are what a hand-built struct now holds
TEST(SchemaDefaults, FormerlyDisagreeingFieldsHoldTheSchemasValues) {
  const BuyerTypeParams bt;
  EXPECT_EQ(bt.local_preference, 0.6);
  EXPECT_EQ(bt.budget_nok_per_eater_day, 20.0);
  EXPECT_EQ(bt.hours_per_supplier_relation, 0.5);
  const HubParams hub;
  EXPECT_EQ(hub.fee_nok_per_kg, 2.0);
  EXPECT_EQ(hub.vehicle_capacity_kg, 400.0);
  EXPECT_EQ(hub.coordinator_wage_nok_per_hour, 550.0);
  const CategoryParams cat;
  EXPECT_EQ(cat.wholesale_price_nok_per_kg, 30.0);
  EXPECT_EQ(cat.yield_kg_per_daa, 1000.0);
  EXPECT_EQ(cat.upstream_km, 500.0);
  const MunicipalityParams m;
  EXPECT_EQ(m.area_km2, 100.0);
  EXPECT_EQ(m.rules, std::vector<Rule>{Rule::framework_only});
  EXPECT_EQ(m.exception_buyer_types, (std::vector<BuyerType>{BuyerType::kindergarten, BuyerType::sfo}));
}

// ---------------------------------------------------------------- a loaded scenario's unset sections

const char* const kBare = R"(
[categories.extra]

[municipalities.m]

[producers.farm]
municipality = "m"

[buyers.kg]
type = "kindergarten"
municipality = "m"
eaters = 10
)";

TEST(SchemaDefaults, UnsetSectionsOfALoadedScenarioAreTheDefaultConstructedStructs) {
  const Scenario sc = load_scenario_text(kBare, "bare.toml");
  const Params& p = sc.params;
  const Params fresh;
  EXPECT_EQ(p.start, fresh.start);
  EXPECT_EQ(p.weeks, fresh.weeks);
  EXPECT_EQ(p.seed, fresh.seed);
  EXPECT_EQ(differing_fields(p, fresh), std::vector<std::string>{});
  EXPECT_EQ(differing_fields(p.behaviour, BehaviourParams{}), std::vector<std::string>{});
  EXPECT_EQ(differing_fields(p.procurement, ProcurementParams{}), std::vector<std::string>{});
  EXPECT_EQ(differing_fields(p.network, NetworkParams{}), std::vector<std::string>{});
  EXPECT_EQ(differing_fields(p.wholesaler, WholesalerParams{}), std::vector<std::string>{});

  // a category the scenario adds without a key
  const auto extra = std::find_if(p.categories.begin(), p.categories.end(), [](const auto& c) { return c.name == "extra"; });
  ASSERT_NE(extra, p.categories.end());
  EXPECT_EQ(differing_fields(*extra, CategoryParams{}), std::vector<std::string>{});
  EXPECT_EQ(extra->harvest_weight, CategoryParams{}.harvest_weight);

  // a municipality with nothing set: its name is its id, the exception covers every category
  ASSERT_EQ(p.municipalities.size(), 1u);
  const MunicipalityParams& m = p.municipalities[0];
  EXPECT_EQ(differing_fields(m, MunicipalityParams{}), std::vector<std::string>{"name"});
  EXPECT_EQ(m.name, "m");
  EXPECT_EQ(m.exception_categories.size(), p.categories.size());
  EXPECT_EQ(differing_fields(m.policy, PolicyParams{}), std::vector<std::string>{});
  EXPECT_EQ(m.policy.sectors_involved, PolicyParams{}.sectors_involved);
  EXPECT_EQ(differing_fields(m.hub, HubParams{}), std::vector<std::string>{});  // the site: the centre, [0, 0]
  EXPECT_EQ(differing_fields(m.day_centre, DayCentreParams{}), std::vector<std::string>{});

  // a farm with only its municipality: named by its id, placed at random
  ASSERT_EQ(p.producers.size(), 1u);
  EXPECT_EQ(differing_fields(p.producers[0], ProducerParams{}), (std::vector<std::string>{"name", "position_km"}));
  EXPECT_EQ(p.producers[0].area_daa, std::vector<double>(p.categories.size(), 0.0));
  // a kitchen takes its type's local preference
  ASSERT_EQ(p.buyers.size(), 1u);
  EXPECT_EQ(p.buyers[0].local_preference,
            p.buyer_types[static_cast<std::size_t>(BuyerType::kindergarten)].local_preference);
}

// the built-in defaults (sim/defaults.toml) are data of the built-in categories and
// kitchen types, not a second place for the other sections' defaults
TEST(SchemaDefaults, BuiltInDefaultsFileHoldsOnlyCategoriesAndKitchenTypes) {
  const toml::table t = toml::parse_file(std::string(LOKALMAT_SOURCE_DIR) + "/sim/defaults.toml");
  for (auto&& [k, v] : t) EXPECT_TRUE(k.str() == "categories" || k.str() == "buyer_types") << k.str();
}

// ---------------------------------------------------------------- every row

TEST(SchemaRows, EveryDefaultIsInRangeAndPrintsAsDocumented) {
  int n = 0;
  for (const auto& s : schema::sections())
    for (const KeySpec& k : s.keys) {
      if (!schema::has_default(k.def)) {
        EXPECT_EQ(schema::default_text(k), "") << s.path << "." << k.name;
        continue;
      }
      SCOPED_TRACE(std::string(s.path) + "." + std::string(k.name));
      toml::table t;
      schema::insert_default(t, k);
      const toml::node* v = t.get(k.name);
      ASSERT_NE(v, nullptr);
      // of its own type and within its own range
      schema::KeyReader r("schema");
      std::vector<std::string> cats;
      if (const toml::table* c = v->as_table())
        for (auto&& [name, x] : *c) cats.emplace_back(name.str());
      r.set_categories(cats);
      EXPECT_NO_THROW(r.check_value(*v, k, std::string(k.name)));
      // the documented text is the same TOML value
      const toml::table parsed = toml::parse("v = " + schema::default_text(k));
      EXPECT_EQ(printed(*parsed.get("v")), printed(*v)) << schema::default_text(k);
      EXPECT_EQ(parsed.get("v")->type(), v->type());
      ++n;
    }
  EXPECT_GT(n, 150);
}

TEST(SchemaRows, ProvenanceIsAFieldWhoseMarkEndsTheDocumentedMeaning) {
  int marked = 0, assumed = 0, sourced = 0, krejci = 0;
  for (const auto& s : schema::sections())
    for (const KeySpec& k : s.keys) {
      SCOPED_TRACE(std::string(s.path) + "." + std::string(k.name));
      const std::string mark = schema::provenance_mark(k.source);
      EXPECT_EQ(k.doc, mark.empty() ? std::string(k.meaning) : std::string(k.meaning) + " " + mark);
      // no mark hides in the meaning itself
      for (const char* m : {"[src", "[assume", "[Krejci"})
        EXPECT_EQ(std::string(k.meaning).find(m), std::string::npos) << k.meaning;
      marked += !mark.empty();
      assumed += k.source.basis == schema::Basis::assume;
      sourced += k.source.basis == schema::Basis::src;
      krejci += k.source.basis == schema::Basis::krejci;
    }
  EXPECT_GT(assumed, 50);
  EXPECT_GT(sourced, 10);
  EXPECT_GT(krejci, 5);
  EXPECT_EQ(marked, assumed + sourced + krejci);
  // the mark's form
  EXPECT_EQ(schema::provenance_mark(schema::src("FOA §7-9", "at least 0.30 from 2024")),
            "[src FOA §7-9: at least 0.30 from 2024]");
  EXPECT_EQ(schema::provenance_mark(schema::src_note("2026 amendment")), "[src: 2026 amendment]");
  EXPECT_EQ(schema::provenance_mark(schema::assume()), "[assume]");
  EXPECT_EQ(schema::provenance_mark(schema::assume_set_per_scenario()), "[assume, set per scenario]");
  EXPECT_EQ(schema::provenance_mark(schema::krejci()), "[Krejci]");
  EXPECT_EQ(schema::provenance_mark({}), "");
}

// a key is declared once: no section names a key twice, and every Params field a row
// names is named by one row only
TEST(SchemaRows, NoKeyIsDeclaredTwice) {
  for (const auto& s : schema::sections()) {
    std::vector<std::string> names;
    for (const KeySpec& k : s.keys) names.emplace_back(k.name);
    for (const auto& sub : s.subsections) names.emplace_back(sub);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << s.path;
  }
  auto fields_once = [](const auto& sec) {
    for (std::size_t i = 0; i < sec.rows.size(); ++i)
      for (std::size_t j = i + 1; j < sec.rows.size(); ++j)
        if (!std::holds_alternative<std::monostate>(sec.rows[i].member) && sec.rows[i].member == sec.rows[j].member)
          ADD_FAILURE() << sec.spec.path << ": " << sec.rows[i].key.name << " and " << sec.rows[j].key.name
                        << " fill one field";
  };
  fields_once(rows_of<Params>());
  fields_once(rows_of<BehaviourParams>());
  fields_once(rows_of<ProcurementParams>());
  fields_once(rows_of<NetworkParams>());
  fields_once(rows_of<WholesalerParams>());
  fields_once(rows_of<CategoryParams>());
  fields_once(rows_of<BuyerTypeParams>());
  fields_once(rows_of<MunicipalityParams>());
  fields_once(rows_of<PolicyParams>());
  fields_once(rows_of<HubParams>());
  fields_once(rows_of<DayCentreParams>());
  fields_once(rows_of<ProducerParams>());
  fields_once(rows_of<BuyerParams>());
}

// the rules key names every rule of the rule table (sim/rules/rule.h), so a new rule's row and
// the scenario documentation cannot drift apart
TEST(Schema, RulesKeyDocumentsEveryRuleInTheTable) {
  const schema::KeySpec& rules = schema::key(schema::section("municipalities.<id>"), "rules");
  for (const RuleInfo& r : kRuleTable)
    EXPECT_NE(rules.doc.find(r.name), std::string_view::npos) << "the rules key does not name " << r.name;
}

}  // namespace
}  // namespace lokalmat
