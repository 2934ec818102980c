// Bad input refused by the loaders before anything runs: a table id over a base that
// names nothing there, files that are not regular files within the size limit, an
// intervention log checked whole against the scenario. (The program's side, exit codes
// and messages on the command line: tests/cli/bad_input_test.py.)
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/intervention.h"
#include "sim/scenario.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::error_of;
using test::TempDir;
using test::write_text;

const std::string kHorten = std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/horten.toml";

// ---------------------------------------------------------------- table ids over a base

TEST(TableIds, AMisspeltMunicipalityOverABaseIsRefusedWithTheNearestId) {
  const TempDir dir;
  const std::string child = dir.file("child.toml");
  write_text(child, "base = \"" + kHorten + "\"\n\n[municipalities.hortn.policy]\nbacking_initial = 0.2\n");
  EXPECT_EQ(error_of([&] { load_scenario(child); }),
            child + ":3: key 'municipalities.hortn': no municipality 'hortn' in the base files; did you mean "
                    "'horten'? (a table that adds a new municipality gives its name, number, population, area_km2 "
                    "or centre_km)");
}

TEST(TableIds, AMisspeltIdInAnOverrideIsRefused) {
  const std::string key = "municipalities.hortn.hub.fee_nok_per_kg";
  EXPECT_EQ(error_of([&] { load_scenario(kHorten, {{key, "5.0"}}); }),
            "<override " + key + ">:1: key '" + key +
                "': no municipality 'hortn' in the scenario; did you mean 'horten'? (a table that adds a new "
                "municipality gives its name, number, population, area_km2 or centre_km)");
  EXPECT_NE(error_of([&] { load_scenario(kHorten, {{"producers.farm_aa.organic", "true"}}); })
                .find("no producer 'farm_aa' in the scenario; did you mean 'farm_a'?"),
            std::string::npos);
}

TEST(TableIds, EntriesAddedOnPurposeLoad) {
  const TempDir dir;
  const std::string child = dir.file("child.toml");
  write_text(child, "base = \"" + kHorten +
                        "\"\n[municipalities.borre]\nname = \"Borre\"\n[producers.borre_farm]\nmunicipality = \"borre\"\n"
                        "[categories.seaweed]\nwholesale_price_nok_per_kg = 60.0\n");
  const Scenario sc = load_scenario(child);
  ASSERT_EQ(sc.params.municipalities.size(), 2U);
  EXPECT_EQ(sc.params.municipalities[0].name, "Borre");  // by table id: borre, horten
  EXPECT_EQ(sc.params.producers.size(), 44U);
  EXPECT_EQ(sc.params.categories.size(), 10U);
  // the same by override
  EXPECT_EQ(load_scenario(kHorten, {{"municipalities.borre.name", "\"Borre\""}}).params.municipalities.size(), 2U);
}

TEST(TableIds, ABaseOrTheScenarioMustBeARegularFile) {
  const TempDir dir;
  std::filesystem::create_directory(dir.path() / "somedir");
  const std::string child = dir.file("child.toml");
  write_text(child, "base = \"somedir\"\n");
  EXPECT_EQ(error_of([&] { load_scenario(child); }),
            child + ":1: key 'base': '" + dir.file("somedir") +
                "' cannot be a base: it is a directory, not a file; base must name a scenario file (TOML)");
  EXPECT_EQ(error_of([&] { load_scenario(dir.file("somedir")); }),
            dir.file("somedir") + ": cannot read scenario file: it is a directory, not a file");
  EXPECT_NE(error_of([&] { load_scenario("/dev/zero"); }).find("not a regular file"), std::string::npos);
  EXPECT_NE(error_of([&] { load_scenario(kHorten, {{"base", "\"x.toml\""}}); })
                .find("<override base>:1: key 'base': the base file cannot be set from outside the scenario"),
            std::string::npos);
}

// ---------------------------------------------------------------- intervention logs

TEST(InterventionLog, EveryEntryIsCheckedBeforeTheRunWithItsLine) {
  const Scenario sc = load_scenario(kHorten, {{"run.years", "2"}});
  const TempDir dir;
  const std::string log = dir.file("log.toml");
  const std::string key = "municipalities.horten.policy.local_incentive_nok_per_kg";
  write_text(log, "[[intervention]]\nweek = 4294967299\nkey = \"" + key + "\"\nvalue = 1.0\n");
  EXPECT_EQ(error_of([&] { read_interventions(log); }),
            log + ":2: key 'intervention.week': 4294967299 is out of range; allowed 0 to 2147483647 (and within the "
                  "run: 0 to its weeks - 1)");
  write_text(log, "[[intervention]]\nweek = 104\nkey = \"" + key + "\"\nvalue = 1.0\n");
  EXPECT_EQ(error_of([&] { read_interventions(log, sc); }),
            log + ":1: key 'intervention.week': week 104 is not in the run; allowed 0 to 103 (the run has 104 "
                  "weeks, counted from 0)");
  write_text(log, "[[intervention]]\nweek = 1\nkey = \"" + key + "\"\nvalue = 1.0\n\n[[intervention]]\nweek = 90\n"
                  "key = \"municipalities.horten.exception_cap_share\"\nvalue = 2.0\n");
  EXPECT_EQ(error_of([&] { read_interventions(log, sc); }),
            log + ":6: key 'municipalities.horten.exception_cap_share': 2 is out of range; allowed 0 to 1 (share)");
  // a good log reads back with each entry's place
  write_text(log, "[[intervention]]\nweek = 1\nkey = \"" + key + "\"\nvalue = 1.0\n");
  const auto back = read_interventions(log, sc);
  ASSERT_EQ(back.size(), 1U);
  EXPECT_EQ(back[0].source, log + ":1");
}

}  // namespace
}  // namespace lokalmat
