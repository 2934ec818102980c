#include "tests/support/sim_test_support.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <unistd.h>

#include "sim/simulation.h"

namespace lokalmat::test {

std::string source_path(std::string_view relative) {
  return std::string(LOKALMAT_SOURCE_DIR) + "/" + std::string(relative);
}

Params load_shipped(std::string_view relative, const Overrides& overrides) {
  return load_scenario(source_path(relative), overrides).params;
}

int category_index(const Params& p, std::string_view name) {
  for (int c = 0; c < p.n_categories(); ++c)
    if (p.categories[static_cast<std::size_t>(c)].name == name) return c;
  ADD_FAILURE() << "no category named " << name;
  return -1;
}

bool near_relative(double a, double b, double tol, double floor) {
  const double scale = std::max({std::abs(a), std::abs(b), floor});
  return std::abs(a - b) <= tol * scale;
}

std::string tiny_world_toml(int participants, std::string_view extra) {
  std::string t = R"(
title = "tiny world"
[run]
start_date = "2025-01-06"
years = 1
seed = 11

[municipalities.m]
rules = ["framework_exception"]
exception_buyer_types = ["kindergarten", "sfo"]
[municipalities.m.policy]
backing_initial = 0.8
noise_sd_per_year = 0.0
[municipalities.m.hub]
enabled = true
position_km = [0.0, 0.0]
fee_nok_per_kg = 2.0
vehicle_capacity_kg = 100000.0
[municipalities.m.day_centre]
participants = )" + std::to_string(participants) + R"(

[producers.farm_a]
municipality = "m"
position_km = [3.0, 0.0]
reliability = 1.0
price_noise_sd = 0.0
[producers.farm_a.area_daa]
fresh_vegetables = 10.0

[producers.farm_b]
municipality = "m"
position_km = [0.0, 4.0]
reliability = 1.0
price_noise_sd = 0.0
[producers.farm_b.area_daa]
fresh_vegetables = 5.0

[buyers.kg_a]
type = "kindergarten"
municipality = "m"
eaters = 50
position_km = [1.0, 1.0]

[buyers.kg_b]
type = "kindergarten"
municipality = "m"
eaters = 30
position_km = [-1.0, 2.0]
)";
  t += extra;
  return t;
}

std::string region_toml() {
  std::string t = R"(
title = "three municipalities"
[run]
start_date = "2025-01-06"
years = 10
seed = 5
layout_seed = 3
)";
  const char* ids[] = {"a", "b", "c"};
  const double x[] = {0.0, 15.0, 30.0};
  for (int i = 0; i < 3; ++i) {
    const std::string m = ids[i];
    const std::string cx = std::to_string(x[i]);
    t += "\n[municipalities." + m + "]\ncentre_km = [" + cx + ", 0.0]\narea_km2 = 80.0\npopulation = " +
         std::to_string(20000 + 5000 * i) +
         "\nrules = [\"framework_exception\"]\nexception_buyer_types = [\"kindergarten\", \"sfo\"]\n"
         "[municipalities." + m + ".policy]\nbacking_initial = 0.7\nlocal_share_target = 0.1\n"
         "[municipalities." + m + ".hub]\nenabled = true\nvehicle_capacity_kg = " + std::to_string(i == 0 ? 50 : 300 + 100 * i) +
         "\n[municipalities." + m + ".day_centre]\nparticipants = " + std::to_string(4 + 2 * i) + "\n";
    t += "\n[producers.farms_" + m + "]\nmunicipality = \"" + m + "\"\ncount = 7\norganic = " +
         (i == 1 ? "true" : "false") + "\nreliability = " + (i == 2 ? "0.75" : "0.9") +
         "\n[producers.farms_" + m + ".area_daa]\nfresh_vegetables = 6.0\npotatoes_roots = 8.0\n"
         "fruit_berries = 2.0\neggs = 3.0\nbakery_grain = 20.0\n";
    t += "\n[buyers.kindergartens_" + m + "]\ntype = \"kindergarten\"\nmunicipality = \"" + m +
         "\"\ncount = 20\neaters_total = 1300\nlocal_preference = 0.4\n";
    t += "\n[buyers.sfo_" + m + "]\ntype = \"sfo\"\nmunicipality = \"" + m +
         "\"\ncount = 8\neaters_total = 700\n";
    t += "\n[buyers.nursing_" + m + "]\ntype = \"nursing_home\"\nmunicipality = \"" + m +
         "\"\ncount = 2\neaters = 50\n";
  }
  return t;
}

RunTrace run_trace(const Params& p, int weeks, int threads) {
  RunTrace out;
  out.hashes.reserve(static_cast<std::size_t>(weeks));
  out.reports.reserve(static_cast<std::size_t>(weeks));
  // the global limit lets an arena have more threads than the machine has cores
  // (oneTBB otherwise caps workers at the hardware concurrency minus one)
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  arena.execute([&] {
    EXPECT_EQ(tbb::this_task_arena::max_concurrency(), threads);
    Simulation sim(p);
    sim.run(weeks, [&](const WeekReport& r) {
      out.hashes.push_back(r.state_hash);
      out.reports.push_back(r);
    });
  });
  return out;
}

TempDir::TempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  path_ = std::filesystem::temp_directory_path() / ("lokalmat-test-" + std::to_string(::getpid()) + "-" +
                                                    info->test_suite_name() + "-" + info->name());
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p);
  out << text;
  EXPECT_TRUE(out.good()) << "cannot write " << p;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected a ScenarioError, got another exception: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected a ScenarioError, but the scenario loaded";
  return "";
}

}  // namespace lokalmat::test
