// framework_only (sim/rules/framework_only.cpp), the status quo, over whole runs of the tiny
// hand-built world: everything through the wholesaler, whatever else the scenario sets up, and
// the framework agreement's term and renewal that every municipality has.
#include <gtest/gtest.h>

#include <cstddef>

#include "sim/model.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::kDirect;
using test::make_world;
using test::sum_local_orders;
using test::World;

// framework_only (even with a hub configured): no local order in any week
TEST(FrameworkOnly, NeverOrdersLocally) {
  // control: the same world under the exception does order locally in season
  {
    Simulation sim(make_world().p);
    double kg = 0;
    for (int k = 0; k < 52; ++k) {
      sim.step();
      kg += sum_local_orders(sim.state());
    }
    ASSERT_GT(kg, 0.0) << "control world never ordered locally";
  }
  const World w = make_world(2, "", {{"municipalities.m.rules", R"(["framework_only"])"}});
  ASSERT_FALSE(has_rule(w.p.municipalities[0], Rule::framework_exception));
  Simulation sim(w.p);
  for (int k = 0; k < 52; ++k) {
    sim.step();
    const State& s = sim.state();
    EXPECT_FALSE(local_channel_open(w.p, s, 0)) << "week " << k;
    EXPECT_EQ(sum_local_orders(s), 0.0) << "week " << k;
    for (std::size_t i = 0; i < s.buyers.local_kg.size(); ++i) EXPECT_EQ(s.buyers.local_kg[i], 0.0);
    EXPECT_EQ(s.buyers.participating[0] + s.buyers.participating[1], 0);
    EXPECT_EQ(sim.report().muni_total.work_hours, 0.0) << "week " << k;
    EXPECT_EQ(sim.report().muni_total.hub_throughput_kg, 0.0) << "week " << k;
  }
}

// in a whole run the agreement of 2022-01-01 (2 + 1 + 1 years) ends 2026-01-01: the week starting
// 2026-01-05 (tick 52) is the tender week, and the 2025 sums are gone after it
TEST(FrameworkOnly, TenderWeekInARunIsTheFirstWeekOfTheNewAgreement) {
  const World w = make_world(2, "", kDirect);
  Simulation sim(w.p);
  double spent_before = -1;
  for (int k = 0; k < 60; ++k) {
    sim.step();
    const State& s = sim.state();
    EXPECT_EQ(sim.report().munis[0].tenders, k == 52 ? 1.0 : 0.0) << "week " << k;
    if (k == 51) spent_before = s.policy.direct_spent_nok[w.veg];
    if (k == 52) {
      ASSERT_EQ(s.date, (Date{2026, 1, 5}));
      EXPECT_EQ(s.policy.direct_spent_nok[w.veg], 0.0);  // no vegetables in January: nothing since the reset
    }
  }
  EXPECT_GT(spent_before, 0.0) << "the 2025 season bought no vegetables directly";
}

}  // namespace
}  // namespace lokalmat
