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

std::string farm_toml(std::string_view id, double x_km, double y_km, double vegetables_daa,
                      std::string_view more_keys) {
  const std::string table = "producers." + std::string(id);
  return "\n[" + table + "]\nmunicipality = \"m\"\nposition_km = [" + std::to_string(x_km) + ", " +
         std::to_string(y_km) + "]\n" + std::string(more_keys) + "reliability = 1.0\nprice_noise_sd = 0.0\n[" + table +
         ".area_daa]\nfresh_vegetables = " + std::to_string(vegetables_daa) + "\n";
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
participants = )" + std::to_string(participants) + "\n";
  t += farm_toml("farm_a", 3.0, 0.0, 10.0);
  t += farm_toml("farm_b", 0.0, 4.0, 5.0);
  t += R"(
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
         "fruit_berries = 2.0\neggs = 3.0\ngrain_flour = 20.0\n";
    t += "\n[buyers.kindergartens_" + m + "]\ntype = \"kindergarten\"\nmunicipality = \"" + m +
         "\"\ncount = 20\neaters_total = 1300\nlocal_preference = 0.4\n";
    t += "\n[buyers.sfo_" + m + "]\ntype = \"sfo\"\nmunicipality = \"" + m +
         "\"\ncount = 8\neaters_total = 700\n";
    t += "\n[buyers.nursing_" + m + "]\ntype = \"nursing_home\"\nmunicipality = \"" + m +
         "\"\ncount = 2\neaters = 50\n";
  }
  return t;
}

World make_world(int participants, std::string_view extra, const Overrides& overrides) {
  return make_world(participants, extra, overrides, [](Params&) {});
}

void expect_tiny_topology(const World& w) {
  ASSERT_EQ(w.p.producers.size(), 2u);
  ASSERT_EQ(w.p.producers[0].name, "farm_a");
  ASSERT_EQ(w.p.buyers[0].name, "kg_a");
  ASSERT_EQ(w.s.markets.municipality.size(), 1u);
  ASSERT_EQ(w.s.channels.producer.size(), 2u);  // one channel per farm, to the home hub
  ASSERT_EQ(w.s.channels.producer[0], 0u);
  ASSERT_EQ(w.s.channels.producer[1], 1u);
  ASSERT_EQ(w.s.markets.buyers[0], (std::vector<std::uint32_t>{0, 1}));
}

void set_workers(World& w, double attendance, double skill) {
  for (std::size_t i = 0; i < w.s.workers.attendance.size(); ++i) {
    w.s.workers.attendance[i] = attendance;
    w.s.workers.skill[i] = skill;
  }
}

void set_offer(World& w, std::size_t i, std::size_t c, double available_kg, double share,
               std::optional<double> price_nok_per_kg) {
  w.s.producers.available_kg[i * w.C + c] = available_kg;
  w.s.channels.offer_share[i * w.C + c] = share;
  if (price_nok_per_kg) w.s.producers.asking_price[i * w.C + c] = *price_nok_per_kg;
}

void clear_orders(State& s) {
  s.buyers.local_order_kg.assign(s.buyers.local_order_kg.size(), 0.0);
  s.buyers.local_desire_kg.assign(s.buyers.local_desire_kg.size(), 0.0);
  s.buyers.demand_kg.assign(s.buyers.demand_kg.size(), 0.0);
}

void set_orders(World& w, std::size_t c, std::array<double, 2> order_kg, std::array<double, 2> demand_kg) {
  for (std::size_t b = 0; b < 2; ++b) {
    w.s.buyers.local_order_kg[b * w.C + c] = order_kg[b];
    w.s.buyers.demand_kg[b * w.C + c] = demand_kg[b];
  }
}

Overrides election_only_policy(double backing) {
  return {{"municipalities.m.policy.backing_initial", std::to_string(backing)},
          {"municipalities.m.policy.noise_sd_per_year", "0.0"},
          {"municipalities.m.policy.result_weight_per_year", "0.0"},
          {"municipalities.m.policy.cost_weight_per_year", "0.0"},
          {"municipalities.m.policy.failure_weight_per_year", "0.0"}};
}

Overrides quiet_policy(double backing) {
  return concat(election_only_policy(backing), {{"municipalities.m.policy.election_interval_years", "0"}});
}

Overrides concat(Overrides a, const Overrides& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Overrides with_seed(int seed, Overrides o) {
  o.emplace_back("run.seed", std::to_string(seed));
  return o;
}

double sum_local_orders(const State& s) {
  double kg = 0;
  for (double x : s.buyers.local_order_kg) kg += x;
  return kg;
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
