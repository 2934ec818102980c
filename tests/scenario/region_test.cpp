// Regions generated from a table ([region], sim/region.cpp): the exact derivation
// on a three-row table worked out by hand; the national totals of norway.toml;
// Vestfold's six municipalities with Horten's own settings winning; bad input
// refused with file, line, key (CSV file and line for table problems) and a
// suggestion; the resolved text reloading to the same run; Norway running a year.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "sim/metrics.h"
#include "sim/scenario.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- helpers

std::string source(const std::string& relative) { return std::string(LOKALMAT_SOURCE_DIR) + "/" + relative; }

// the great-circle distance between two points (degrees) on a sphere of radius r km (haversine)
double great_circle_km(double lat1, double lon1, double lat2, double lon2, double r) {
  const double deg = 3.141592653589793 / 180;
  const double a = std::pow(std::sin((lat2 - lat1) * deg / 2), 2) +
                   std::cos(lat1 * deg) * std::cos(lat2 * deg) * std::pow(std::sin((lon2 - lon1) * deg / 2), 2);
  return 2 * r * std::asin(std::sqrt(a));
}


using test::error_of;
using test::write_text;

// 1-based number of the first line containing `needle`
int line_of(const std::string& text, const std::string& needle) {
  const auto pos = text.find(needle);
  EXPECT_NE(pos, std::string::npos) << "'" << needle << "' is not in the test's own text";
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

// `text` with the one occurrence of `from` replaced by `to`
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "'" << from << "' is not in the test's own text";
  EXPECT_EQ(text.find(from, pos + 1), std::string::npos) << "'" << from << "' occurs twice";
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::vector<std::uint64_t> hash_sequence(const Params& p, int weeks) {
  Simulation sim(p);
  std::vector<std::uint64_t> out;
  sim.run(weeks, [&](const WeekReport& r) { out.push_back(r.state_hash); });
  return out;
}

int category(const Params& p, const std::string& name) {
  for (int c = 0; c < p.n_categories(); ++c)
    if (p.categories[static_cast<std::size_t>(c)].name == name) return c;
  ADD_FAILURE() << "no category " << name;
  return 0;
}

int municipality(const Params& p, const std::string& number) {
  for (int m = 0; m < p.n_municipalities(); ++m)
    if (p.municipalities[static_cast<std::size_t>(m)].number == number) return m;
  ADD_FAILURE() << "no municipality " << number;
  return -1;
}

// what was generated for one municipality, summed from the expanded Params
struct Counts {
  std::map<BuyerType, int> units, eaters;
  int farms = 0, active = 0, organic = 0;
};
Counts counts_of(const Params& p, int m) {
  Counts c;
  for (const auto& b : p.buyers)
    if (b.municipality == m) ++c.units[b.type], c.eaters[b.type] += b.eaters;
  for (const auto& f : p.producers)
    if (f.municipality == m) c.farms += 1, c.active += f.active ? 1 : 0, c.organic += f.organic ? 1 : 0;
  return c;
}

using test::TempDir;

// ---------------------------------------------------------------- a three-row table, worked out by hand

// populations 6000/3000/1000 (shares 0.6/0.3/0.1), areas 100/300/50; a quoted name with a comma
const std::string kTinyCsv =
    "kommunenummer,name,county,population,area_km2,lat,lon,coord_type\n"
    "0001,Alpha,North,6000,100,60.0,10.0,centroid\n"
    "0002,Beta,North,3000,300,60.0,11.0,centroid\n"
    "0003,\"Gamma, by the sea\",South,1000,50,59.0,10.0,interior_point\n";

const std::string kTinyCounties =
    "region,counties,holdings,fresh_vegetables,grain_flour\n"
    "the north,North,3,30,10\n"
    "the south,South,1,10,0\n";

const std::string kTinyScenario = R"(title = "tiny region"
[run]
years = 1
seed = 5

[region]
table = "towns.csv"
counties = ["North", "South"]

[region.rates]
kindergartens_national = 14
kindergarten_children_national = 101
sfo_units_national = 5
sfo_children_national = 50
nursing_homes_national = 3
nursing_home_residents_national = 10
min_units_per_municipality = 1
day_activity_places_national = 200
food_task_share = 0.1

[region.farms]
county_table = "counties.csv"
holdings_national = 10
active_share = 0.25
delivery_radius_km = 25.0
area_daa_national = { fresh_vegetables = 400.0, grain_flour = 100.0 }

[region.municipality_defaults]
rules = ["framework_only"]

[region.municipality_defaults.policy]
backing_initial = 0.4

[region.producer_defaults]
reliability = 0.8
)";

// the tiny region's files in `dir`; returns the scenario's path
std::string write_tiny(const TempDir& dir, const std::string& scenario = kTinyScenario,
                       const std::string& csv = kTinyCsv, const std::string& counties = kTinyCounties) {
  write_text(dir.path() / "towns.csv", csv);
  write_text(dir.path() / "counties.csv", counties);
  write_text(dir.path() / "tiny.toml", scenario);
  return dir.file("tiny.toml");
}

TEST(RegionDerivation, ExactCountsOnATinyTable) {
  TempDir dir;
  const Scenario sc = load_scenario(write_tiny(dir));
  const Params& p = sc.params;
  ASSERT_EQ(p.n_municipalities(), 3);
  const int a = municipality(p, "0001"), b = municipality(p, "0002"), g = municipality(p, "0003");
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  ASSERT_GE(g, 0);
  EXPECT_EQ(p.municipalities[static_cast<std::size_t>(a)].name, "Alpha");
  EXPECT_EQ(p.municipalities[static_cast<std::size_t>(g)].name, "Gamma, by the sea");
  EXPECT_EQ(p.municipalities[static_cast<std::size_t>(b)].population, 3000);
  EXPECT_DOUBLE_EQ(p.municipalities[static_cast<std::size_t>(b)].area_km2, 300.0);

  const Counts ca = counts_of(p, a), cb = counts_of(p, b), cg = counts_of(p, g);
  // kindergartens: 1 each + 11 by population: quotas 6.6/3.3/1.1 -> 6/3/1, the last unit to Alpha (0.6)
  EXPECT_EQ(ca.units.at(BuyerType::kindergarten), 8);
  EXPECT_EQ(cb.units.at(BuyerType::kindergarten), 4);
  EXPECT_EQ(cg.units.at(BuyerType::kindergarten), 2);
  // children 101: 60.6/30.3/10.1 -> 60/30/10 and one more to Alpha
  EXPECT_EQ(ca.eaters.at(BuyerType::kindergarten), 61);
  EXPECT_EQ(cb.eaters.at(BuyerType::kindergarten), 30);
  EXPECT_EQ(cg.eaters.at(BuyerType::kindergarten), 10);
  // SFOs: 1 each + 2: quotas 1.2/0.6/0.2 -> 1/0/0, the last to Beta (0.6); pupils 30/15/5 exactly
  EXPECT_EQ(ca.units.at(BuyerType::sfo), 2);
  EXPECT_EQ(cb.units.at(BuyerType::sfo), 2);
  EXPECT_EQ(cg.units.at(BuyerType::sfo), 1);
  EXPECT_EQ(ca.eaters.at(BuyerType::sfo), 30);
  EXPECT_EQ(cb.eaters.at(BuyerType::sfo), 15);
  EXPECT_EQ(cg.eaters.at(BuyerType::sfo), 5);
  // nursing homes: the minimum only; residents 6/3/1
  EXPECT_EQ(ca.units.at(BuyerType::nursing_home), 1);
  EXPECT_EQ(cg.units.at(BuyerType::nursing_home), 1);
  EXPECT_EQ(ca.eaters.at(BuyerType::nursing_home), 6);
  EXPECT_EQ(cb.eaters.at(BuyerType::nursing_home), 3);
  EXPECT_EQ(cg.eaters.at(BuyerType::nursing_home), 1);
  // eaters_total is split evenly over a municipality's units: 61 over 8 = 8 x 7 + 5 x 1
  std::vector<int> alpha_kg;
  for (const auto& u : p.buyers)
    if (u.municipality == a && u.type == BuyerType::kindergarten) alpha_kg.push_back(u.eaters);
  EXPECT_EQ(*std::max_element(alpha_kg.begin(), alpha_kg.end()), 8);
  EXPECT_EQ(*std::min_element(alpha_kg.begin(), alpha_kg.end()), 7);
  // day centre: round(200 x 0.1) = 20 by population
  EXPECT_EQ(p.municipalities[static_cast<std::size_t>(a)].day_centre.participants, 12);
  EXPECT_EQ(p.municipalities[static_cast<std::size_t>(b)].day_centre.participants, 6);
  EXPECT_EQ(p.municipalities[static_cast<std::size_t>(g)].day_centre.participants, 2);

  // farms: groups 10 x 3/4 = 7.5, 2.5 -> 7/2, the tie to the earlier row: 8 north, 2 south;
  // north by area 100:300 -> 2 and 6
  EXPECT_EQ(ca.farms, 2);
  EXPECT_EQ(cb.farms, 6);
  EXPECT_EQ(cg.farms, 2);
  // active: round(0.25 x 10) = 3 by farms: quotas 0.6/1.8/0.6 -> 0/1/0, then Beta (0.8) and Alpha (0.6, before Gamma)
  EXPECT_EQ(ca.active, 1);
  EXPECT_EQ(cb.active, 2);
  EXPECT_EQ(cg.active, 0);
  // crop area per farm: vegetables north 400 x 30/40 / 8 = 37.5, south 400 x 10/40 / 2 = 50;
  // grain north 100 / 8 = 12.5, south none
  const int veg = category(p, "fresh_vegetables"), grain = category(p, "grain_flour");
  for (const auto& f : p.producers) {
    const bool north = f.municipality != g;
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(veg)], north ? 37.5 : 50.0) << f.name;
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(grain)], north ? 12.5 : 0.0) << f.name;
    EXPECT_DOUBLE_EQ(f.delivery_radius_km, 25.0);
    EXPECT_DOUBLE_EQ(f.reliability, 0.8);  // from region.producer_defaults
  }
  // the template reaches every municipality
  for (const auto& m : p.municipalities) {
    EXPECT_DOUBLE_EQ(m.policy.backing_initial, 0.4) << m.name;
    EXPECT_FALSE(m.hub.enabled);
  }

  // centres: transverse Mercator km on the sphere, central meridian and origin the mean longitude
  // and latitude (59.667, 10.333)
  const double lat0 = (60.0 + 60.0 + 59.0) / 3, lon0 = 31.0 / 3, deg = 3.141592653589793 / 180, r = 6371.0088;
  auto tm = [&](double lat, double lon) {
    const double dl = (lon - lon0) * deg, phi = lat * deg;
    return Point{r * std::atanh(std::cos(phi) * std::sin(dl)), r * (std::atan2(std::tan(phi), std::cos(dl)) - lat0 * deg)};
  };
  const Point ac = p.municipalities[static_cast<std::size_t>(a)].centre;
  const Point gc = p.municipalities[static_cast<std::size_t>(g)].centre;
  EXPECT_NEAR(ac.x_km, tm(60.0, 10.0).x_km, 6e-4);
  EXPECT_NEAR(ac.y_km, tm(60.0, 10.0).y_km, 6e-4);
  EXPECT_NEAR(gc.y_km, tm(59.0, 10.0).y_km, 6e-4);
  // Alpha and Beta lie one degree of longitude apart at 60 N: 55.6 km on the sphere
  const Point bc = p.municipalities[static_cast<std::size_t>(b)].centre;
  EXPECT_NEAR(std::hypot(bc.x_km - ac.x_km, bc.y_km - ac.y_km), great_circle_km(60.0, 10.0, 60.0, 11.0, r), 0.05);
  // generated farms and kitchens lie within their municipality's disc
  for (const auto& f : p.producers) {
    const auto& m = p.municipalities[static_cast<std::size_t>(f.municipality)];
    EXPECT_LE(std::hypot(f.position.x_km - m.centre.x_km, f.position.y_km - m.centre.y_km),
              std::sqrt(m.area_km2 / 3.141592653589793) + 1e-9);
  }

  // the resolved scenario is self-contained
  EXPECT_EQ(sc.resolved_toml.find("[region"), std::string::npos);
}

TEST(RegionDerivation, ASelectionKeepsEachMunicipalitysCounts) {
  TempDir dir;
  const std::string path = write_tiny(dir, replaced(kTinyScenario, "counties = [\"North\", \"South\"]",
                                                     "counties = [\"North\"]"));
  const Params p = load_scenario(path).params;
  ASSERT_EQ(p.n_municipalities(), 2);  // Gamma is in the south
  const Counts ca = counts_of(p, municipality(p, "0001")), cb = counts_of(p, municipality(p, "0002"));
  // the same as with the whole table: the counts are apportioned over every row
  EXPECT_EQ(ca.units.at(BuyerType::kindergarten), 8);
  EXPECT_EQ(cb.units.at(BuyerType::kindergarten), 4);
  EXPECT_EQ(ca.farms, 2);
  EXPECT_EQ(cb.farms, 6);
  EXPECT_EQ(cb.active, 2);
  // numbers add to the counties; both empty take the whole table
  const Params q = load_scenario(path, {{"region.numbers", "[\"0003\"]"}}).params;
  EXPECT_EQ(q.n_municipalities(), 3);
  const Params all = load_scenario(path, {{"region.counties", "[]"}}).params;
  EXPECT_EQ(all.n_municipalities(), 3);
  const Params one = load_scenario(path, {{"region.counties", "[]"}, {"region.numbers", "[\"0002\"]"}}).params;
  ASSERT_EQ(one.n_municipalities(), 1);
  EXPECT_EQ(one.municipalities[0].name, "Beta");
  // a lone municipality's centre is the origin
  EXPECT_NEAR(one.municipalities[0].centre.x_km, 0.0, 1e-12);
  EXPECT_NEAR(one.municipalities[0].centre.y_km, 0.0, 1e-12);
}

TEST(RegionDerivation, WithoutACountyTableOneNationalGroupAndTheDefaultAreas) {
  TempDir dir;
  std::string text = replaced(kTinyScenario, "county_table = \"counties.csv\"\n", "");
  text = replaced(text, "area_daa_national = { fresh_vegetables = 400.0, grain_flour = 100.0 }\n", "");
  const Params p = load_scenario(write_tiny(dir, text)).params;
  // 10 farms by area 100/300/50: quotas 2.22/6.67/1.11 -> 2/6/1, the last to Beta
  EXPECT_EQ(counts_of(p, municipality(p, "0001")).farms, 2);
  EXPECT_EQ(counts_of(p, municipality(p, "0002")).farms, 7);
  EXPECT_EQ(counts_of(p, municipality(p, "0003")).farms, 1);
  // every farm grows a tenth of the default national areas (SSB 2010/2012), and keeps a tenth of
  // the national livestock in decare-equivalents (milk 2022, meat 2022, eggs 2018)
  for (const auto& f : p.producers) {
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(category(p, "fresh_vegetables"))], 7109.4);
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(category(p, "potatoes_roots"))], 12653.1);
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(category(p, "fruit_berries"))], 4210.4);
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(category(p, "grain_flour"))], 292745.0);
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(category(p, "dairy"))], 213062.9);
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(category(p, "meat"))], 605973.3);
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(category(p, "eggs"))], 23566.7);
    EXPECT_DOUBLE_EQ(f.area_daa[static_cast<std::size_t>(category(p, "fish"))], 0.0);
  }
}

TEST(RegionDerivation, ScenarioTablesWinOverGeneratedOnes) {
  TempDir dir;
  const std::string text = kTinyScenario + R"(
[municipalities.m0002]
rules = ["framework_exception"]
[municipalities.m0002.policy]
backing_initial = 0.9
[municipalities.m0002.hub]
enabled = true
[municipalities.m0002.day_centre]
participants = 3

[buyers.m0001_kindergarten]
count = 2
eaters = 40

[producers.m0002_farms_active]
organic = true

[producers.extra]
municipality = "m0003"
[producers.extra.area_daa]
fresh_vegetables = 1.0
)";
  const Params p = load_scenario(write_tiny(dir, text)).params;
  const int a = municipality(p, "0001"), b = municipality(p, "0002"), g = municipality(p, "0003");
  const auto& beta = p.municipalities[static_cast<std::size_t>(b)];
  EXPECT_EQ(beta.name, "Beta");  // generated values not named stay
  EXPECT_EQ(beta.population, 3000);
  EXPECT_TRUE(has_rule(beta, Rule::framework_exception));
  EXPECT_TRUE(beta.hub.enabled);
  EXPECT_DOUBLE_EQ(beta.policy.backing_initial, 0.9);
  EXPECT_EQ(beta.day_centre.participants, 3);
  EXPECT_DOUBLE_EQ(p.municipalities[static_cast<std::size_t>(a)].policy.backing_initial, 0.4);
  // per-unit eaters replace the generated total
  const Counts ca = counts_of(p, a), cb = counts_of(p, b), cg = counts_of(p, g);
  EXPECT_EQ(ca.units.at(BuyerType::kindergarten), 2);
  EXPECT_EQ(ca.eaters.at(BuyerType::kindergarten), 80);
  EXPECT_EQ(cb.organic, 2);  // Beta's two active farms
  EXPECT_EQ(cb.farms, 6);
  EXPECT_EQ(cg.farms, 3);  // 2 generated + the hand-written one
}

// ---------------------------------------------------------------- the shipped regions

TEST(RegionShipped, NorwayTotalsEqualTheNationalCounts) {
  const Scenario sc = load_scenario(source("scenarios/norway.toml"), {{"run.years", "1"}});
  const Params& p = sc.params;
  ASSERT_EQ(p.n_municipalities(), 357);
  long population = 0;
  int participants = 0;
  for (const auto& m : p.municipalities) population += m.population, participants += m.day_centre.participants;
  EXPECT_EQ(population, 5550203L);  // SSB, 1 January 2024
  // 5% of 23,000 day-activity places; Horten's own 6 equal its generated share
  EXPECT_EQ(participants, 1150);
  std::map<BuyerType, long> units, eaters;
  for (const auto& b : p.buyers) ++units[b.type], eaters[b.type] += b.eaters;
  EXPECT_EQ(units[BuyerType::kindergarten], 5314);
  EXPECT_EQ(eaters[BuyerType::kindergarten], 266916);
  EXPECT_EQ(units[BuyerType::sfo], 2200);
  EXPECT_EQ(eaters[BuyerType::sfo], 165000);
  EXPECT_EQ(units[BuyerType::nursing_home], 1000);
  EXPECT_EQ(eaters[BuyerType::nursing_home], 39200);
  EXPECT_EQ(units.size(), 3u);  // no other kitchen types are generated
  // farms: 37,561 holdings, 5% active
  ASSERT_EQ(p.producers.size(), 37561u);
  const auto active = std::count_if(p.producers.begin(), p.producers.end(), [](const auto& f) { return f.active; });
  EXPECT_EQ(active, 1878);
  // crop areas add up to the national areas, within the 0.0005 daa a farm's area is rounded by
  const std::map<std::string, double> national = {{"fresh_vegetables", 71094.0},
                                                  {"potatoes_roots", 126531.0},
                                                  {"fruit_berries", 42104.0},
                                                  {"grain_flour", 2927450.0}};
  for (const auto& [name, area] : national) {
    const int c = category(p, name);
    double sum = 0;
    for (const auto& f : p.producers) sum += f.area_daa[static_cast<std::size_t>(c)];
    EXPECT_NEAR(sum, area, 0.0005 * static_cast<double>(p.producers.size())) << name;
  }
  // Vestfold grows over a fifth of Norway's vegetables [src]: 27% of the 2010 field-vegetable area
  const int veg = category(p, "fresh_vegetables");
  double vestfold = 0, all = 0;
  for (const auto& f : p.producers) {
    const double v = f.area_daa[static_cast<std::size_t>(veg)];
    all += v;
    if (p.municipalities[static_cast<std::size_t>(f.municipality)].number.rfind("39", 0) == 0) vestfold += v;
  }
  EXPECT_NEAR(vestfold / all, 19183.0 / 70822.0, 1e-4);
  // Oslo, the largest: 1 + 4,957 x 717,710 / 5,550,203 = 642.0 kindergartens
  const Counts oslo = counts_of(p, municipality(p, "0301"));
  EXPECT_NEAR(oslo.units.at(BuyerType::kindergarten), 642, 1);
}

// D16: distances between generated municipalities are great-circle distances within 1% across the
// whole of Norway (58-71 N, 5-31 E), where an equirectangular projection around the mean latitude
// was off by -13% to +38% east-west. Every pair of every 7th municipality of the table, at least
// 20 km apart
TEST(RegionShipped, NorwayDistancesAreGreatCircleDistancesWithinOnePercent) {
  const Scenario sc = load_scenario(source("scenarios/norway.toml"), {{"run.years", "1"}});
  const Params& p = sc.params;
  std::ifstream csv(source("scenarios/data/norway_municipalities_2024.csv"));
  std::string line;
  std::getline(csv, line);  // kommunenummer,name,county,population,area_km2,lat,lon,...
  std::map<std::string, std::pair<double, double>> where;
  while (std::getline(csv, line)) {
    std::vector<std::string> f;
    std::string cell;
    bool quoted = false;
    for (char ch : line) {
      if (ch == '"') quoted = !quoted;
      else if (ch == ',' && !quoted) f.push_back(cell), cell.clear();
      else cell += ch;
    }
    f.push_back(cell);
    where[f[0]] = {std::stod(f[5]), std::stod(f[6])};
  }
  ASSERT_EQ(where.size(), 357u);
  double worst = 0;
  int pairs = 0;
  for (std::size_t i = 0; i < p.municipalities.size(); i += 7)
    for (std::size_t j = i + 7; j < p.municipalities.size(); j += 7) {
      const auto& a = p.municipalities[i];
      const auto& b = p.municipalities[j];
      const auto [lat1, lon1] = where.at(a.number);
      const auto [lat2, lon2] = where.at(b.number);
      const double sphere = great_circle_km(lat1, lon1, lat2, lon2, 6371.0088);
      if (sphere < 20) continue;
      const double planar = std::hypot(a.centre.x_km - b.centre.x_km, a.centre.y_km - b.centre.y_km);
      worst = std::max(worst, std::abs(planar / sphere - 1));
      ++pairs;
    }
  std::printf("Norway: %d pairs of municipalities, largest relative distance error %.4f\n", pairs, worst);
  EXPECT_GT(pairs, 1000);
  EXPECT_LT(worst, 0.01);
}

TEST(RegionShipped, VestfoldHasSixMunicipalitiesAndHortensSettingsWin) {
  const Scenario vf = load_scenario(source("scenarios/vestfold.toml"), {{"run.years", "1"}});
  const Params& p = vf.params;
  ASSERT_EQ(p.n_municipalities(), 6);
  std::vector<std::string> names;
  for (const auto& m : p.municipalities) names.push_back(m.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"Færder", "Holmestrand", "Horten", "Larvik", "Sandefjord", "Tønsberg"}));
  const int h = municipality(p, "3901");
  ASSERT_GE(h, 0);
  const auto& horten = p.municipalities[static_cast<std::size_t>(h)];
  EXPECT_EQ(horten.name, "Horten");
  EXPECT_EQ(horten.population, 27939);
  EXPECT_DOUBLE_EQ(horten.area_km2, 70.95);
  EXPECT_TRUE(has_rule(horten, Rule::framework_exception));
  EXPECT_TRUE(horten.hub.enabled);
  EXPECT_EQ(horten.day_centre.participants, 6);
  EXPECT_DOUBLE_EQ(horten.policy.backing_initial, 0.7);
  EXPECT_DOUBLE_EQ(horten.policy.local_share_target, 0.10);
  EXPECT_DOUBLE_EQ(horten.hub.vehicle_capacity_kg, 400.0);
  for (const auto& m : p.municipalities) {
    if (m.number == "3901") continue;
    EXPECT_FALSE(has_rule(m, Rule::framework_exception)) << m.name;
    EXPECT_TRUE(has_rule(m, Rule::framework_only)) << m.name;
    EXPECT_FALSE(m.hub.enabled) << m.name;
  }
  // Horten's kitchens order as in horten.toml, its active farms are organic
  for (const auto& b : p.buyers)
    if (b.municipality == h && (b.type == BuyerType::kindergarten || b.type == BuyerType::sfo))
      EXPECT_DOUBLE_EQ(b.local_preference, 0.35);
  const Counts ch = counts_of(p, h);
  EXPECT_GT(ch.active, 0);
  EXPECT_EQ(ch.organic, ch.active);
  // Vestfold's share of the national holdings: 37,561 x 1,632 / 46,624 = 1,314.8 -> 1,315
  EXPECT_EQ(p.producers.size(), 1315u);
  // the same counts for Horten as in the national scenario (apportioned over the whole table)
  const Params n = load_scenario(source("scenarios/norway.toml"), {{"run.years", "1"}}).params;
  const Counts cn = counts_of(n, municipality(n, "3901"));
  EXPECT_EQ(cn.units, ch.units);
  EXPECT_EQ(cn.eaters, ch.eaters);
  EXPECT_EQ(cn.farms, ch.farms);
  EXPECT_EQ(cn.active, ch.active);
  EXPECT_EQ(n.municipalities[static_cast<std::size_t>(municipality(n, "3901"))].day_centre.participants, 6);
}

TEST(RegionShipped, ResolvedTextReloadsToTheSameRun) {
  for (const char* file : {"scenarios/vestfold.toml", "scenarios/norway.toml"}) {
    SCOPED_TRACE(file);
    const Scenario a = load_scenario(source(file), {{"run.years", "1"}});
    EXPECT_EQ(a.resolved_toml.find("[region"), std::string::npos);
    const Scenario b = load_scenario_text(a.resolved_toml, "resolved.toml");
    EXPECT_EQ(a.resolved_toml, b.resolved_toml);
    ASSERT_EQ(a.params.producers.size(), b.params.producers.size());
    ASSERT_EQ(a.params.buyers.size(), b.params.buyers.size());
    if (std::string(file) == "scenarios/norway.toml") continue;  // the year of Norway is run below
    const auto ha = hash_sequence(a.params, kWeeksPerYear), hb = hash_sequence(b.params, kWeeksPerYear);
    ASSERT_EQ(ha.size(), static_cast<std::size_t>(kWeeksPerYear));
    EXPECT_EQ(ha, hb);
    EXPECT_NE(ha.front(), ha.back());
  }
}

// one year of Norway at 1 and 2 threads: the same state hashes, Horten's hub trading,
// and the resolved text giving the same year; the wall times are printed (timings belong
// in benchmarks, so nothing is asserted about them)
TEST(RegionShipped, NorwayRunsOneYearAtOneAndTwoThreads) {
  const Scenario sc = load_scenario(source("scenarios/norway.toml"), {{"run.years", "1"}});
  ASSERT_EQ(sc.params.weeks, kWeeksPerYear);
  const int h = municipality(sc.params, "3901");
  std::vector<std::vector<std::uint64_t>> hashes;
  for (int threads : {1, 2}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    Simulation sim(sc.params);
    std::vector<std::uint64_t> hs;
    double horten_hub_kg = 0, other_hub_kg = 0, meals = 0;
    const auto t0 = std::chrono::steady_clock::now();
    sim.run(sc.params.weeks, [&](const WeekReport& r) {
      hs.push_back(r.state_hash);
      for (int m = 0; m < r.n_municipalities; ++m) {
        const double kg = find_metric("hub_throughput_kg")->eval(group_sums(r, m, -1, -1));
        (m == h ? horten_hub_kg : other_hub_kg) += kg;
      }
      meals += find_metric("meals")->eval(group_sums(r, -1, -1, -1));
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "[ norway  ] one year at " << threads << " thread(s): " << seconds << " s wall\n";
    RecordProperty("wall_seconds_threads_" + std::to_string(threads), std::to_string(seconds));
    EXPECT_GT(horten_hub_kg, 0.0);    // Horten's hub trades
    EXPECT_EQ(other_hub_kg, 0.0);     // nobody else has one
    EXPECT_GT(meals, 1e6);            // ~8,500 kitchens serve meals
    hashes.push_back(std::move(hs));
  }
  EXPECT_EQ(hashes[0], hashes[1]);
  ASSERT_EQ(hashes[0].size(), static_cast<std::size_t>(kWeeksPerYear));
  // the resolved text runs the same year
  const Scenario again = load_scenario_text(sc.resolved_toml, "resolved.toml");
  EXPECT_EQ(hash_sequence(again.params, kWeeksPerYear), hashes[0]);
}

// ---------------------------------------------------------------- bad input

// the message of loading the tiny region written with these texts
std::string load_error(const TempDir& dir, const std::string& scenario, const std::string& csv = kTinyCsv,
                       const std::string& counties = kTinyCounties, const Overrides& ov = {}) {
  const std::string path = write_tiny(dir, scenario, csv, counties);
  return error_of([&] { load_scenario(path, ov); });
}

TEST(RegionErrors, UnknownKeyNamesFileLineKeyAndNearestKey) {
  TempDir dir;
  const std::string text = replaced(kTinyScenario, "counties = [\"North\", \"South\"]", "countys = [\"North\"]");
  const std::string msg = load_error(dir, text);
  EXPECT_EQ(msg, dir.file("tiny.toml") + ":" + std::to_string(line_of(text, "countys")) +
                     ": key 'region.countys': unknown key; did you mean 'region.counties'?");
  // in a subsection too
  const std::string text2 = replaced(kTinyScenario, "food_task_share = 0.1", "food_task_shar = 0.1");
  const std::string msg2 = load_error(dir, text2);
  EXPECT_EQ(msg2, dir.file("tiny.toml") + ":" + std::to_string(line_of(text2, "food_task_shar")) +
                      ": key 'region.rates.food_task_shar': unknown key; did you mean 'region.rates.food_task_share'?");
}

TEST(RegionErrors, WrongTypeAndOutOfRange) {
  TempDir dir;
  const std::string t1 = replaced(kTinyScenario, "counties = [\"North\", \"South\"]", "counties = \"North\"");
  const std::string m1 = load_error(dir, t1);
  EXPECT_EQ(m1, dir.file("tiny.toml") + ":" + std::to_string(line_of(t1, "counties =")) +
                    ": key 'region.counties': expected a list of strings, got a string");

  const std::string t2 = replaced(kTinyScenario, "food_task_share = 0.1", "food_task_share = 1.5");
  const std::string m2 = load_error(dir, t2);
  EXPECT_EQ(m2, dir.file("tiny.toml") + ":" + std::to_string(line_of(t2, "= 1.5")) +
                    ": key 'region.rates.food_task_share': 1.5 is out of range; allowed 0 to 1 (share)");

  const std::string t3 = replaced(kTinyScenario, "holdings_national = 10", "holdings_national = 10.5");
  const std::string m3 = load_error(dir, t3);
  EXPECT_EQ(m3, dir.file("tiny.toml") + ":" + std::to_string(line_of(t3, "= 10.5")) +
                    ": key 'region.farms.holdings_national': expected a whole number (farms), got a number");

  // fewer units than the minimum in every municipality
  const std::string t4 = replaced(kTinyScenario, "nursing_homes_national = 3", "nursing_homes_national = 2");
  const std::string m4 = load_error(dir, t4);
  EXPECT_EQ(m4, dir.file("tiny.toml") + ":" + std::to_string(line_of(t4, "nursing_homes_national = 2")) +
                    ": key 'region.rates.nursing_homes_national': 2 is below min_units_per_municipality (1) x 3 "
                    "municipalities in towns.csv = 3");
}

TEST(RegionErrors, MissingTableFileAndMissingKey) {
  TempDir dir;
  const std::string t1 = replaced(kTinyScenario, "table = \"towns.csv\"", "table = \"nowhere.csv\"");
  const std::string m1 = load_error(dir, t1);
  EXPECT_TRUE(starts_with(m1, dir.file("tiny.toml") + ":" + std::to_string(line_of(t1, "nowhere")) +
                                  ": key 'region.table': "))
      << m1;
  EXPECT_NE(m1.find("'nowhere.csv' does not exist"), std::string::npos) << m1;

  const std::string t2 = replaced(kTinyScenario, "county_table = \"counties.csv\"", "county_table = \"c.csv\"");
  EXPECT_NE(load_error(dir, t2).find("key 'region.farms.county_table': file 'c.csv' does not exist"),
            std::string::npos);

  const std::string t3 = replaced(kTinyScenario, "table = \"towns.csv\"\n", "");
  const std::string m3 = load_error(dir, t3);
  EXPECT_EQ(m3, dir.file("tiny.toml") + ":" + std::to_string(line_of(t3, "[region]")) +
                    ": key 'region.table': required key is missing (the CSV table of municipalities)");
}

TEST(RegionErrors, MalformedCsvRowNamesTheCsvFileAndLine) {
  TempDir dir;
  const std::string csv_file = dir.file("towns.csv");
  // not a number
  const std::string m1 = load_error(dir, kTinyScenario, replaced(kTinyCsv, ",3000,", ",3k00,"));
  EXPECT_TRUE(starts_with(m1, csv_file + ":3: column 'population': '3k00' is not a whole number")) << m1;
  EXPECT_NE(m1.find("region.table"), std::string::npos) << m1;  // which key named the table
  // a field missing
  const std::string m2 = load_error(dir, kTinyScenario, replaced(kTinyCsv, "0002,Beta,North,", "0002,Beta,"));
  EXPECT_TRUE(starts_with(m2, csv_file + ":3: expected 8 fields as in the header, found 7")) << m2;
  // out of range
  const std::string m3 = load_error(dir, kTinyScenario, replaced(kTinyCsv, ",59.0,10.0,", ",95.0,10.0,"));
  EXPECT_TRUE(starts_with(m3, csv_file + ":4: column 'lat': 95 is out of range; allowed -90 to 90")) << m3;
  // a misspelt column
  const std::string m4 = load_error(dir, kTinyScenario, replaced(kTinyCsv, ",population,", ",populaton,"));
  EXPECT_TRUE(starts_with(m4, csv_file + ":1: no column 'population'; did you mean 'populaton'?")) << m4;
  // a number listed twice, an unclosed quote
  const std::string m5 = load_error(dir, kTinyScenario, replaced(kTinyCsv, "0002,Beta", "0001,Beta"));
  EXPECT_TRUE(starts_with(m5, csv_file + ":3: municipality 0001 is listed twice (first on line 2)")) << m5;
  const std::string m6 = load_error(dir, kTinyScenario, replaced(kTinyCsv, "\"Gamma, by the sea\"", "\"Gamma"));
  EXPECT_TRUE(starts_with(m6, csv_file + ":4: malformed quotes")) << m6;
  // the county table: a bad number, a county in no row
  const std::string m7 = load_error(dir, kTinyScenario, kTinyCsv, replaced(kTinyCounties, "North,3,", "North,x,"));
  EXPECT_TRUE(starts_with(m7, dir.file("counties.csv") + ":2: column 'holdings': 'x' is not a whole number")) << m7;
  EXPECT_NE(m7.find("region.farms.county_table"), std::string::npos) << m7;
  const std::string m8 = load_error(dir, kTinyScenario, kTinyCsv, replaced(kTinyCounties, ",South,", ",Sooth,"));
  EXPECT_TRUE(starts_with(m8, csv_file + ":4: county 'South' of municipality 0003 is in no row of the county table"))
      << m8;
  EXPECT_NE(m8.find("did you mean 'Sooth'"), std::string::npos) << m8;
}

TEST(RegionErrors, UnknownCountyAndNumberWithSuggestions) {
  TempDir dir;
  const std::string t1 = replaced(kTinyScenario, "counties = [\"North\", \"South\"]", "counties = [\"Nort\"]");
  const std::string m1 = load_error(dir, t1);
  EXPECT_TRUE(starts_with(m1, dir.file("tiny.toml") + ":" + std::to_string(line_of(t1, "Nort")) +
                                  ": key 'region.counties': no county 'Nort'"))
      << m1;
  EXPECT_NE(m1.find("did you mean 'North'"), std::string::npos) << m1;

  const std::string t2 = replaced(kTinyScenario, "counties = [\"North\", \"South\"]", "numbers = [\"0004\"]");
  const std::string m2 = load_error(dir, t2);
  EXPECT_NE(m2.find("key 'region.numbers': no municipality number '0004'"), std::string::npos) << m2;
  EXPECT_NE(m2.find("did you mean '000"), std::string::npos) << m2;
  // a name where the number belongs
  const std::string t3 = replaced(kTinyScenario, "counties = [\"North\", \"South\"]", "numbers = [\"beta\"]");
  EXPECT_NE(load_error(dir, t3).find("did you mean '0002' (Beta)?"), std::string::npos);
  // in the shipped table: Vestfold misspelt
  const std::string m4 = error_of([] {
    load_scenario(source("scenarios/vestfold.toml"), {{"region.counties", "[\"Vestfol\"]"}});
  });
  EXPECT_NE(m4.find("no county 'Vestfol'"), std::string::npos) << m4;
  EXPECT_NE(m4.find("did you mean 'Vestfold'"), std::string::npos) << m4;
}

TEST(RegionErrors, TemplatesAndGeneratedIds) {
  TempDir dir;
  // a generated key in the template
  const std::string t1 = replaced(kTinyScenario, "rules = [\"framework_only\"]", "population = 5");
  const std::string m1 = load_error(dir, t1);
  EXPECT_TRUE(starts_with(m1, dir.file("tiny.toml") + ":" + std::to_string(line_of(t1, "population = 5")) +
                                  ": key 'region.municipality_defaults.population': is generated"))
      << m1;
  // a misspelt rule, a misspelt key in a template subsection, a wrong value type
  const std::string t2 = replaced(kTinyScenario, "rules = [\"framework_only\"]", "rules = [\"framework_onyl\"]");
  const std::string m2 = load_error(dir, t2);
  EXPECT_EQ(m2, dir.file("tiny.toml") + ":" + std::to_string(line_of(t2, "framework_onyl")) +
                    ": key 'region.municipality_defaults.rules': unknown rule 'framework_onyl'; did you mean "
                    "'framework_only'? (rules: framework_only, framework_exception, direct_purchase, "
                    "season_requirement, quota_mandate, simple_competition, lots, dynamic_purchasing)");
  const std::string t3 = replaced(kTinyScenario, "backing_initial = 0.4", "backing_initail = 0.4");
  EXPECT_EQ(load_error(dir, t3), dir.file("tiny.toml") + ":" + std::to_string(line_of(t3, "backing_initail")) +
                                     ": key 'region.municipality_defaults.policy.backing_initail': unknown key; did "
                                     "you mean 'region.municipality_defaults.policy.backing_initial'?");
  const std::string t4 = replaced(kTinyScenario, "reliability = 0.8", "reliability = 1.8");
  EXPECT_EQ(load_error(dir, t4), dir.file("tiny.toml") + ":" + std::to_string(line_of(t4, "= 1.8")) +
                                     ": key 'region.producer_defaults.reliability': 1.8 is out of range; allowed 0 "
                                     "to 1 (probability)");
  // the exception from the template without a hub: named at the template's line
  const std::string t5 = replaced(kTinyScenario, "rules = [\"framework_only\"]", "rules = [\"framework_exception\"]");
  const std::string m5 = load_error(dir, t5);
  EXPECT_TRUE(starts_with(m5, dir.file("tiny.toml") + ":" + std::to_string(line_of(t5, "framework_exception")) +
                                  ": key 'region.municipality_defaults.rules': framework_exception needs"))
      << m5;
  // a hand-written table under an id the region does not generate
  const std::string t6 = kTinyScenario + "\n[municipalities.m0020]\nrules = [\"framework_only\"]\n";
  const std::string m6 = load_error(dir, t6);
  EXPECT_TRUE(starts_with(m6, dir.file("tiny.toml") + ":")) << m6;
  EXPECT_NE(m6.find("key 'municipalities.m0020': not a table the region generates"), std::string::npos) << m6;
  EXPECT_NE(m6.find("did you mean 'municipalities.m000"), std::string::npos) << m6;
  // ... or a municipality of the table that is not selected
  const std::string t6b = replaced(kTinyScenario, "counties = [\"North\", \"South\"]", "counties = [\"North\"]") +
                          "\n[producers.m0003_farms]\nreliability = 0.5\n";
  const std::string m6b = load_error(dir, t6b);
  EXPECT_TRUE(starts_with(m6b, dir.file("tiny.toml") + ":" + std::to_string(line_of(t6b, "[producers.m0003_farms]")) +
                                   ": key 'producers.m0003_farms': not a table the region generates (municipality "
                                   "0003 Gamma, by the sea is in the table but not selected"))
      << m6b;
  // the minimum against a default count: named at the minimum's line
  std::string t6c = replaced(kTinyScenario, "sfo_units_national = 5\n", "");
  t6c = replaced(t6c, "kindergartens_national = 14\n", "");  // 5,314 >= 3 x 800; SFO's 2,200 is not
  t6c = replaced(t6c, "min_units_per_municipality = 1", "min_units_per_municipality = 800");
  const std::string m6c = load_error(dir, t6c);
  EXPECT_TRUE(starts_with(m6c, dir.file("tiny.toml") + ":" + std::to_string(line_of(t6c, "= 800")) +
                                   ": key 'region.rates.sfo_units_national': 2200 is below"))
      << m6c;
  const std::string t7 = kTinyScenario + "\n[buyers.m0001_kindergarden]\ncount = 2\n";
  EXPECT_NE(load_error(dir, t7).find("did you mean 'buyers.m0001_kindergarten'"), std::string::npos);
  // a category the county table has no column for, a misspelt category
  const std::string t8 = replaced(kTinyScenario, "grain_flour = 100.0", "potatoes_roots = 100.0");
  EXPECT_NE(load_error(dir, t8).find("key 'region.farms.area_daa_national.potatoes_roots': the county table "
                                     "counties.csv has no column 'potatoes_roots'"),
            std::string::npos);
  const std::string t9 = replaced(kTinyScenario, "grain_flour = 100.0", "grain_flor = 100.0");
  EXPECT_EQ(load_error(dir, t9), dir.file("tiny.toml") + ":" + std::to_string(line_of(t9, "grain_flor")) +
                                     ": key 'region.farms.area_daa_national': unknown category 'grain_flor'; did "
                                     "you mean 'grain_flour'?");
}

}  // namespace
}  // namespace lokalmat
