// Resource limits of a scenario (sim/params.h, README "Limits"): a municipality holds at most
// 20,000 farms and 5,000 kitchen units, counted over all its entries; above that the scenario is
// refused before any agent is made, at the entry that passes the limit, with the allowed range.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::error_of;
using test::tiny_world_toml;

std::string farms(std::string_view id, long count) {
  return std::string("\n[producers.") + std::string(id) + "]\nmunicipality = \"m\"\ncount = " + std::to_string(count) +
         "\n[producers." + std::string(id) + ".area_daa]\nfresh_vegetables = 1.0\n";
}

TEST(Limits, FarmsOfAMunicipalityUpToTheLimitLoad) {
  // the tiny world has two farms of its own
  const Scenario sc = load_scenario_text(tiny_world_toml(2, farms("many", kMaxFarmsPerMunicipality - 2)), "big.toml");
  EXPECT_EQ(static_cast<int>(sc.params.producers.size()), kMaxFarmsPerMunicipality);
}

TEST(Limits, FarmsOverAllEntriesAboveTheLimitAreRefusedAtTheLargestEntry) {
  const std::string text = tiny_world_toml(2, farms("many", 15000) + farms("more", 4999));
  const std::string err = error_of([&] { load_scenario_text(text, "big.toml"); });
  EXPECT_NE(err.find("big.toml:"), std::string::npos) << err;
  EXPECT_NE(err.find("key 'producers.many.count'"), std::string::npos) << err;
  EXPECT_NE(err.find("has 20001 farms in all"), std::string::npos) << err;
  EXPECT_NE(err.find("allowed: 1 to 20000"), std::string::npos) << err;
}

TEST(Limits, OneEntryAboveTheLimitIsOutOfRange) {
  const std::string err = error_of([&] { load_scenario_text(tiny_world_toml(2, farms("many", 1000000)), "big.toml"); });
  EXPECT_NE(err.find("key 'producers.many.count'"), std::string::npos) << err;
  EXPECT_NE(err.find("allowed 1 to 20000"), std::string::npos) << err;
}

TEST(Limits, KitchenUnitsAboveTheLimitAreRefused) {
  const std::string units = "\n[buyers.many]\ntype = \"kindergarten\"\nmunicipality = \"m\"\ncount = 4000\neaters = 20\n"
                            "\n[buyers.more]\ntype = \"school\"\nmunicipality = \"m\"\ncount = 1500\neaters = 200\n";
  const std::string err = error_of([&] { load_scenario_text(tiny_world_toml(2, units), "big.toml"); });
  EXPECT_NE(err.find("key 'buyers.many.count'"), std::string::npos) << err;
  EXPECT_NE(err.find("kitchen units in all; at most 5000"), std::string::npos) << err;
}

}  // namespace
}  // namespace lokalmat
