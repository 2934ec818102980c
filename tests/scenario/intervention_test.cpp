// Interventions: levers moved during a run act from their week on, are recorded, replay
// bit for bit, and are refused with a clear message when they would need another world.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/intervention.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::error_of;
using test::TempDir;
using test::write_text;

const std::string kHorten = std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/horten.toml";
constexpr const char* kIncentive = "municipalities.horten.policy.local_incentive_nok_per_kg";

Scenario horten(int years = 2, std::uint64_t seed = 1) {
  return load_scenario(kHorten, {{"run.years", std::to_string(years)}, {"run.seed", std::to_string(seed)}});
}

// every week's state hash of a run with these interventions (applied at their weeks)
std::vector<std::uint64_t> hashes_with(const Scenario& sc, const std::vector<Intervention>& log, int threads = 2) {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  Simulation sim(sc.params);
  Intervener iv(sc);
  std::size_t next = 0;
  std::vector<std::uint64_t> h;
  for (int w = 0; w < sc.params.weeks; ++w) {
    for (; next < log.size() && log[next].week <= w; ++next) iv.apply(sim, log[next].key, log[next].value);
    sim.step();
    h.push_back(sim.report().state_hash);
  }
  return h;
}

TEST(Intervention, ALeverActsFromItsWeekOnAndNotBefore) {
  const Scenario sc = horten();
  const auto base = hashes_with(sc, {});
  const auto moved = hashes_with(sc, {{20, kIncentive, "10.0"}});
  ASSERT_EQ(base.size(), moved.size());
  for (int w = 0; w < 20; ++w) EXPECT_EQ(base[static_cast<std::size_t>(w)], moved[static_cast<std::size_t>(w)]) << w;
  EXPECT_NE(base[20], moved[20]);  // the incentive is part of the state from week 20
  // and the instrument in force is the new value
  Simulation sim(sc.params);
  Intervener iv(sc);
  for (int w = 0; w < 5; ++w) sim.step();
  iv.apply(sim, kIncentive, "10.0");
  EXPECT_EQ(sim.state().policy.incentive_nok_per_kg[0], 10.0);
  EXPECT_EQ(sim.params().municipalities[0].policy.local_incentive_nok_per_kg, 10.0);
  ASSERT_EQ(iv.log().size(), 1U);
  EXPECT_EQ(iv.log()[0].week, 5);
}

// a number as TOML text that reads back to the same double
std::string toml_number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  std::string s = buf;
  return s.find_first_of(".e") == std::string::npos ? s + ".0" : s;
}

TEST(Intervention, SettingTheValueInForceChangesNothing) {
  const Scenario sc = horten();
  const double fee = sc.params.municipalities[0].hub.fee_nok_per_kg;
  EXPECT_EQ(hashes_with(sc, {}), hashes_with(sc, {{13, "municipalities.horten.hub.fee_nok_per_kg", toml_number(fee)}}));
}

TEST(Intervention, ReplayIsBitIdenticalAtAnyThreadCount) {
  const Scenario sc = horten(2, 7);
  const std::vector<Intervention> log = {
      {8, kIncentive, "5.0"},
      {8, "municipalities.horten.exception_cap_share", "0.5"},
      {30, "municipalities.horten.rules", "[\"framework_exception\", \"season_requirement\"]"},
      {60, "municipalities.horten.policy.arenas_per_year", "6"},
  };
  const auto one = hashes_with(sc, log, 1);
  EXPECT_EQ(one, hashes_with(sc, log, 2));
  EXPECT_EQ(one, hashes_with(sc, log, 2));
  EXPECT_NE(one, hashes_with(sc, {}, 1));
}

TEST(Intervention, RemovingTheExceptionClosesTheLocalChannel) {
  const Scenario sc = horten(1);
  Simulation sim(sc.params);
  Intervener iv(sc);
  for (int w = 0; w < 20; ++w) sim.step();
  iv.apply(sim, "municipalities.horten.rules", "[]");
  EXPECT_EQ(sim.state().policy.exception_open[0], 0);
  for (int w = 0; w < 3; ++w) sim.step();  // orders in flight are settled; then nothing local
  double local_kg = 0;
  for (const auto& c : sim.report().cells) local_kg += c.local_kg;
  EXPECT_EQ(local_kg, 0.0);
}

TEST(Intervention, RefusalsSayWhy) {
  const Scenario sc = horten(1);
  Simulation sim(sc.params);
  Intervener iv(sc);
  std::string e = error_of([&] { iv.apply(sim, "municipalities.horten.policy.local_incentive_nok_per_kgg", "1.0"); });
  EXPECT_NE(e.find("not a lever"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'municipalities.horten.policy.local_incentive_nok_per_kg'"), std::string::npos) << e;
  e = error_of([&] { iv.apply(sim, "municipalities.oslo.policy.local_incentive_nok_per_kg", "1.0"); });
  EXPECT_NE(e.find("no municipality 'oslo'"), std::string::npos) << e;
  e = error_of([&] { iv.apply(sim, "municipalities.horten.exception_cap_share", "1.5"); });
  EXPECT_NE(e.find("exception_cap_share"), std::string::npos) << e;
  EXPECT_NE(e.find("0 to 1"), std::string::npos) << e;
  e = error_of([&] { iv.apply(sim, "municipalities.horten.rules", "[\"framework_exception\", \"lots\"]"); });
  EXPECT_NE(e.find("lots cannot be switched during a run"), std::string::npos) << e;
  EXPECT_TRUE(iv.log().empty());  // nothing refused is recorded
  // the exception needs a hub
  const Scenario sq = load_scenario(std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/horten-status-quo.toml",
                                    {{"run.years", "1"}});
  Simulation sim2(sq.params);
  Intervener iv2(sq);
  e = error_of([&] { iv2.apply(sim2, "municipalities.horten.rules", "[\"framework_exception\"]"); });
  EXPECT_NE(e.find("needs a working hub"), std::string::npos) << e;  // the scenario loader says it first
}

TEST(Intervention, LogRoundTripsAndBadLogsNameTheLine) {
  const std::vector<Intervention> log = {{3, kIncentive, "2.5"}, {9, "municipalities.horten.rules", "[ 'season_requirement' ]"}};
  const TempDir dir;
  write_text(dir.file("log.toml"), format_interventions(log));
  const auto back = read_interventions(dir.file("log.toml"));
  ASSERT_EQ(back.size(), 2U);
  EXPECT_EQ(back[0].week, 3);
  EXPECT_EQ(back[0].key, kIncentive);
  EXPECT_EQ(back[0].value, "2.5");
  EXPECT_EQ(back[1].value, "[ 'season_requirement' ]");
  write_text(dir.file("bad.toml"), "[[intervention]]\nweek = 9\nkey = \"k\"\nvalue = 1\n\n[[intervention]]\nweek = 2\n"
                                   "key = \"k\"\nvalue = 1\n");
  std::string e = error_of([&] { read_interventions(dir.file("bad.toml")); });
  EXPECT_NE(e.find("bad.toml:6:"), std::string::npos) << e;
  EXPECT_NE(e.find("week order"), std::string::npos) << e;
  write_text(dir.file("typo.toml"), "[[intervention]]\nweek = 1\nkey = \"k\"\nvalu = 1\n");
  e = error_of([&] { read_interventions(dir.file("typo.toml")); });
  EXPECT_NE(e.find("typo.toml:4: key 'intervention.valu'"), std::string::npos) << e;
}

TEST(Intervention, EveryLeverIsDocumented) {
  std::ifstream in(std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/README.md");
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& l : levers())
    EXPECT_NE(text.str().find("| `" + std::string(l.pattern) + "` | " + std::string(l.unit) + " |"), std::string::npos)
        << l.pattern;
}

TEST(Intervention, WorksOnAGeneratedRegion) {
  // the resolved text of a [region] scenario loads back to the same world
  const Scenario sc = load_scenario(std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/vestfold.toml", {{"run.years", "1"}});
  Simulation sim(sc.params);
  Intervener iv(sc);
  ASSERT_EQ(iv.municipality_ids().size(), sc.params.municipalities.size());
  sim.step();
  const std::string key = "municipalities." + iv.municipality_ids().back() + ".policy.local_incentive_nok_per_kg";
  iv.apply(sim, key, "4.0");
  EXPECT_EQ(sim.state().policy.incentive_nok_per_kg.back(), 4.0);
  EXPECT_EQ(sim.params().producers.size(), sc.params.producers.size());
  sim.step();
}

}  // namespace
}  // namespace lokalmat
