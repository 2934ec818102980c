// Sweep definitions and single runs of a sweep: what a file means, what it refuses,
// and that a run's outputs are the reductions they claim to be.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "sim/run_totals.h"
#include "sim/simulation.h"
#include "sim/sweep/sweep_run.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat::sweep {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::error_of;
using test::write_text;

const std::string kHorten = std::string(LOKALMAT_SOURCE_DIR) + "/scenarios/horten.toml";

std::string factorial_text(const std::string& outputs = "") {
  return "title = \"t\"\nscenario = \"" + kHorten +
         "\"\nreplicates = 2\nfirst_seed = 5\n[set]\n\"run.years\" = 1\n[design]\nkind = \"factorial\"\n"
         "[[parameter]]\nkey = \"municipalities.horten.hub.fee_nok_per_kg\"\nvalues = [0.0, 3.0]\n"
         "[[parameter]]\nkey = \"municipalities.horten.day_centre.participants\"\nvalues = [2, 8, 12]\n" +
         outputs;
}

SweepDef load_text(const TempDir& dir, const std::string& text) {
  const std::string path = dir.file("s.toml");
  write_text(path, text);
  return load_sweep(path);
}

TEST(SweepDef, EveryShippedSweepLoads) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(LOKALMAT_SOURCE_DIR) / "scenarios" / "sweeps")) {
    if (e.path().extension() != ".toml") continue;
    SCOPED_TRACE(e.path().string());
    const SweepDef d = load_sweep(e.path().string());
    EXPECT_GT(d.runs(), 0);
    EXPECT_FALSE(d.outputs.empty());
    EXPECT_EQ(static_cast<int>(d.design.values.front().size()), static_cast<int>(d.factors.size()));
    ++n;
  }
  EXPECT_GE(n, 4);
}

TEST(SweepDef, FactorialPointsSeedsAndDefaultOutputs) {
  const TempDir dir;
  const SweepDef d = load_text(dir, factorial_text());
  EXPECT_EQ(d.design.points(), 6);
  EXPECT_EQ(d.runs(), 12);
  EXPECT_EQ(d.base.params.weeks, 52);  // [set] applies to the base
  // participants is an integer key, the fee a number with a unit
  EXPECT_TRUE(d.factors[1].integer);
  EXPECT_FALSE(d.factors[0].integer);
  EXPECT_EQ(d.factors[0].unit, "NOK/kg");
  // without [[output]], every whole-run figure is kept
  ASSERT_EQ(static_cast<int>(d.outputs.size()), kFigures);
  EXPECT_TRUE(d.outputs[0].figure);
  // replicate r runs with first_seed + r, at every point
  const RunRecord r = execute_run(d, 7);  // point 3, replicate 1
  EXPECT_EQ(r.point, 3);
  EXPECT_EQ(r.replicate, 1);
  EXPECT_EQ(r.seed, 6U);
}

TEST(SweepDef, ResolvedDefinitionLoadsToTheSameDesign) {
  const TempDir dir;
  const SweepDef d = load_text(dir, factorial_text());
  const SweepDef again = load_text(dir, d.resolved_toml);
  EXPECT_EQ(again.design.values, d.design.values);
  EXPECT_EQ(again.resolved_toml, d.resolved_toml);
  EXPECT_EQ(make_header(again).fingerprint(), make_header(d).fingerprint());
}

TEST(SweepRun, OutputsAreTheReductionsTheyName) {
  const TempDir dir;
  const SweepDef d = load_text(dir, factorial_text(R"(
[[output]]
metric = "local_share_value"
[[output]]
metric = "work_hours"
reduce = "sum"
last_weeks = 10
[[output]]
metric = "work_hours"
reduce = "max"
[[output]]
metric = "local_kg"
reduce = "mean"
category = "eggs"
[[output]]
figure = "local_share_value"
[weekly]
metrics = ["work_hours"]
)"));
  ASSERT_EQ(d.outputs.size(), 5U);
  EXPECT_EQ(d.outputs[1].name, "work_hours_sum_last10w");
  EXPECT_EQ(d.outputs[3].name, "local_kg_mean_eggs");
  const RunRecord r = execute_run(d, 9);
  ASSERT_TRUE(r.ok) << r.message;

  // the same run by hand
  Overrides ov = d.set;
  ov.emplace_back("municipalities.horten.hub.fee_nok_per_kg", "3.0");
  ov.emplace_back("municipalities.horten.day_centre.participants", "8");
  ov.emplace_back("run.seed", "6");
  const Scenario sc = load_scenario(kHorten, ov);
  Simulation sim(sc.params);
  RunTotals totals;
  GroupSums all;
  std::vector<double> work;
  double eggs = 0;
  int egg_cat = -1;
  for (int c = 0; c < sc.params.n_categories(); ++c)
    if (sc.params.categories[static_cast<std::size_t>(c)].name == "eggs") egg_cat = c;
  sim.run(sc.params.weeks, [&](const WeekReport& w) {
    totals.add(w);
    const GroupSums g = group_sums(w, -1, -1, -1);
    all.flow.add(g.flow);
    all.type.add(g.type);
    all.muni.add(g.muni);
    work.push_back(find_metric("work_hours")->eval(g));
    eggs += find_metric("local_kg")->eval(group_sums(w, -1, -1, egg_cat));
  });
  EXPECT_EQ(r.outputs[0], find_metric("local_share_value")->eval(all));
  double last10 = 0, most = work.front();
  for (std::size_t w = work.size() - 10; w < work.size(); ++w) last10 += work[w];
  for (double x : work) most = std::max(most, x);
  EXPECT_EQ(r.outputs[1], last10);
  EXPECT_EQ(r.outputs[2], most);
  EXPECT_EQ(r.outputs[3], eggs / static_cast<double>(work.size()));
  EXPECT_GT(r.outputs[3], 0.0);
  // pooled over all weeks is the whole-run figure of the same name
  EXPECT_DOUBLE_EQ(r.outputs[4], r.outputs[0]);
  ASSERT_EQ(r.weekly.size(), work.size());
  EXPECT_EQ(r.weekly, work);
  // and again: a run is a pure function of (definition, run id)
  const RunRecord again = execute_run(d, 9);
  EXPECT_EQ(again.outputs, r.outputs);
}

TEST(SweepRun, AFailingPointIsRecordedNotThrown) {
  const TempDir dir;
  std::string text = factorial_text();
  text.replace(text.find("values = [0.0, 3.0]"), 19, "values = [0.0, -3.0]");
  const SweepDef d = load_text(dir, text);
  const RunRecord bad = execute_run(d, 6);  // point 3: fee -3
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.message.find("fee_nok_per_kg"), std::string::npos) << bad.message;
  ASSERT_EQ(bad.outputs.size(), d.outputs.size());
  EXPECT_TRUE(std::isnan(bad.outputs[0]));
  EXPECT_TRUE(execute_run(d, 0).ok);
}

TEST(SweepRun, TestModelRunsEvaluateTheFunction) {
  const TempDir dir;
  const SweepDef d = load_text(dir, R"(
[model]
name = "ishigami"
[design]
kind = "lhs"
samples = 10
[[parameter]]
key = "x1"
min = -3.0
max = 3.0
[[parameter]]
key = "x2"
min = -3.0
max = 3.0
[[parameter]]
key = "x3"
min = -3.0
max = 3.0
)");
  ASSERT_EQ(d.outputs.size(), 1U);
  for (std::int64_t id = 0; id < d.runs(); ++id) {
    const RunRecord r = execute_run(d, id);
    const auto& x = d.design.values[static_cast<std::size_t>(id)];
    const double y = std::sin(x[0]) + 7 * std::sin(x[1]) * std::sin(x[1]) + 0.1 * std::pow(x[2], 4) * std::sin(x[0]);
    EXPECT_NEAR(r.outputs[0], y, 1e-12);
  }
}

TEST(SweepDef, RefusalsNameFileLineAndKey) {
  const TempDir dir;
  const std::string path = dir.file("s.toml");
  auto refuse = [&](const std::string& text) {
    write_text(path, text);
    return error_of([&] { load_sweep(path); });
  };
  const std::string head = "scenario = \"" + kHorten + "\"\n[design]\nkind = \"lhs\"\nsamples = 4\n";
  // the one wording of scenario files: "FILE:LINE: key 'KEY': MESSAGE"
  std::string e = refuse(head + "[[parameter]]\nkey = \"municipalities.horten.hub.fee_nok_per_kgg\"\nmin = 0.0\nmax = 1.0\n");
  EXPECT_EQ(e, path + ":6: key 'parameter[1].key': 'municipalities.horten.hub.fee_nok_per_kgg' is not a scenario "
                      "key; did you mean 'municipalities.horten.hub.fee_nok_per_kg'?");
  e = refuse(head + "[[parameter]]\nkey = \"municipalities.horten.hub.fee_nok_per_kg\"\nmin = 2.0\nmax = 1.0\n");
  EXPECT_EQ(e, path + ":8: key 'parameter[1].max': max (1) must be above min (2)");
  e = refuse(head + "[[parameter]]\nkey = \"municipalities.horten.rules\"\nmin = 0.0\nmax = 1.0\n");
  EXPECT_EQ(e, path + ":6: key 'parameter[1].key': 'municipalities.horten.rules' is not a number; a sweep varies "
                      "numbers");
  e = refuse(head + "[[parameter]]\nkey = \"run.layout_seed\"\nmin = 0.0\nmax = 9.0\n[[output]]\nmetric = \"work_hours\"\n"
             "municipality = \"hortn\"\n");
  EXPECT_EQ(e, path + ":11: key 'output[1].municipality': the scenario has no municipality 'hortn'; did you mean "
                      "'horten'?");
  // an unknown key names the nearest; a value out of range the allowed range and its unit
  e = refuse("replicate = 2\n" + head);
  EXPECT_EQ(e, path + ":1: key 'replicate': unknown key; did you mean 'replicates'?");
  e = refuse("replicates = 0\n" + head);
  EXPECT_EQ(e, path + ":1: key 'replicates': 0 is out of range; allowed 1 to 1e+06 (runs per point)");
  e = refuse("title = 3\n" + head);
  EXPECT_EQ(e, path + ":1: key 'title': expected a string, got a whole number");
  e = refuse("[model]\nname = \"ishigami\"\n[design]\nkind = \"sobol\"\nsamples = 8\n[[parameter]]\nkey = \"x1\"\n"
             "min = 0.0\nmax = 1.0\n");
  EXPECT_NE(e.find("takes 3 inputs"), std::string::npos) << e;
  e = refuse("title = \"no design\"\nscenario = \"" + kHorten + "\"\n");
  EXPECT_NE(e.find("design"), std::string::npos) << e;
}

// the seeds are the replicates; a design is refused above the limits before it is built
TEST(SweepDef, SeedsAreReplicatesAndDesignsHaveLimits) {
  const TempDir dir;
  const std::string path = dir.file("s.toml");
  auto refuse = [&](const std::string& text, const Overrides& set = {}) {
    write_text(path, text);
    return error_of([&] { load_sweep(path, set); });
  };
  const std::string head = "scenario = \"" + kHorten + "\"\n[design]\nkind = \"lhs\"\nsamples = 4\n";
  const std::string param = "[[parameter]]\nkey = \"municipalities.horten.hub.fee_nok_per_kg\"\nmin = 0.0\nmax = 1.0\n";
  std::string e = refuse(head + "[[parameter]]\nkey = \"run.seed\"\nmin = 0\nmax = 9\n");
  EXPECT_EQ(e.rfind(path + ":6: key 'parameter[1].key': run.seed cannot be a parameter: a sweep's seeds are its "
                           "replicates", 0), 0U) << e;
  e = refuse("scenario = \"" + kHorten + "\"\n[set]\n\"run.seed\" = 3\n[design]\nkind = \"lhs\"\nsamples = 4\n" + param);
  EXPECT_EQ(e.rfind(path + ":3: key 'set.run.seed': a sweep's seeds are its replicates", 0), 0U) << e;
  e = refuse(head + param, {{"run.seed", "7"}});
  EXPECT_EQ(e.rfind("--set run.seed=7: a sweep's seeds are its replicates", 0), 0U) << e;
  EXPECT_NE(e.find("set first_seed and replicates"), std::string::npos) << e;
  // points, runs and values
  const std::string scenario = "scenario = \"" + kHorten + "\"\n";
  e = refuse("replicates = 2\n" + scenario + "[design]\nkind = \"lhs\"\nsamples = 600000\n" + param);
  EXPECT_EQ(e, path + ":1: key 'replicates': 600000 points x 2 replicates = 1200000 runs, more than the limit of "
                      "1000000 runs");
  const std::string param2 =
      "[[parameter]]\nkey = \"municipalities.horten.policy.local_incentive_nok_per_kg\"\nmin = 0.0\nmax = 1.0\n";
  e = refuse(scenario + "[design]\nkind = \"morris\"\nsamples = 400000\n" + param + param2);
  EXPECT_EQ(e, path + ":4: key 'design.samples': 400000 trajectories x (2 parameters + 1) = 1200000 points, more than "
                      "the limit of 1000000 points (a run each)");
}

}  // namespace
}  // namespace lokalmat::sweep
