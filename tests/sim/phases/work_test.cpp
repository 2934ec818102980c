// The work phase (sim/phases/work.cpp) on the tiny hand-built world: the hub's week as tasks
// (sim/hub.h), handed out in shifts on delivery days least-cumulative-hours-first among the
// participants present, volunteers, the courier and staff for the rest, skills, contacts, and
// participants moving on with the waiting list filling their places. Attendance, skills, the
// farms that sold and the kitchens served are set in the State directly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/hub.h"
#include "sim/model.h"
#include "sim/world.h"
#include "tests/support/sim_test_support.h"
#include "tests/support/stylized_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;
using test::World;

// this week farm_a (channel 0) sold `kg` of vegetables through the hub and kg_a (buyer 0) ordered them
void one_farm_one_kitchen(World& w, double kg) {
  w.s.channels.sold_kg[0 * w.C + w.veg] = kg;
  w.s.buyers.local_order_kg[0 * w.C + w.veg] = kg;
  w.s.markets.accept_ratio[w.veg] = kg > 0 ? 1.0 : 0.0;
  w.s.markets.handle_ratio[0] = kg > 0 ? 1.0 : 0.0;
  w.s.markets.handled_kg[0] = kg;
}

// a week of work at the tiny world's hub: the participants' attendance (skill 0.5: 40 kg/h), their
// hours so far (left at 0 when empty) and the kg farm_a sold to kg_a; the state after the work phase
State work_week(World w, const std::vector<double>& attendance, const std::vector<double>& hours_total, double kg) {
  w.s.workers.attendance = attendance;
  w.s.workers.skill.assign(attendance.size(), 0.5);
  if (!hours_total.empty()) w.s.workers.hours_total = hours_total;
  one_farm_one_kitchen(w, kg);
  assign_work(w.p, w.s);
  return w.s;
}

// the tasks of that week: one tour from the hub (0, 0) to farm_a (3, 0) and kg_a (1, 1)
HubTasks tiny_tasks(const World& w, double kg) {
  const double route = tour_km(w.p.behaviour, {0.0, 0.0}, {{3.0, 0.0}, {1.0, 1.0}});
  HubTasks t;
  t.tours = 1;
  t.route_km = route;
  t.kg = kg;
  t.stop_hours = 2 * 0.25;     // two stops x 0.25 h
  t.driving_hours = route / 40;  // at 40 km/h
  t.packing_hours = kg / 40;     // at 40 kg/h
  t.platform_hours = 0.05;       // one order line
  return t;
}

// the task hours are the sum of the stops, the drive, the packing and the platform work
TEST(HubTasks, StopsDrivingPackingAndPlatformWork) {
  World w = make_world();
  one_farm_one_kitchen(w, 80);
  const HubStops stops = hub_stops(w.p, w.s, 0, false);
  EXPECT_EQ(stops.farms, std::vector<std::uint32_t>{0});
  EXPECT_EQ(stops.kitchens, std::vector<std::uint32_t>{0});
  EXPECT_EQ(stops.order_lines, 1);
  const HubTasks t = hub_tasks(w.p, w.p.municipalities[0], stops, 80);
  const HubTasks want = tiny_tasks(w, 80);
  EXPECT_GT(want.route_km, 2 * std::hypot(3.0, 0.0) - 1e-9);  // out to the far farm and back, at least
  EXPECT_DOUBLE_EQ(t.route_km, want.route_km);
  EXPECT_DOUBLE_EQ(t.stop_hours, 0.5);
  EXPECT_DOUBLE_EQ(t.driving_hours, want.driving_hours);
  EXPECT_DOUBLE_EQ(t.packing_hours, 2.0);
  EXPECT_DOUBLE_EQ(t.platform_hours, 0.05);
  EXPECT_DOUBLE_EQ(t.hours(), 0.5 + want.driving_hours + 2.0 + 0.05);
  // a load above the van's capacity takes two tours: stops and driving double, packing does not
  w.p.municipalities[0].hub.vehicle_capacity_kg = 50;
  const HubTasks two = hub_tasks(w.p, w.p.municipalities[0], stops, 80);
  EXPECT_EQ(two.tours, 2.0);
  EXPECT_DOUBLE_EQ(two.stop_hours, 1.0);
  EXPECT_DOUBLE_EQ(two.route_km, 2 * want.route_km);
  EXPECT_DOUBLE_EQ(two.packing_hours, 2.0);
  // no stops, no work
  EXPECT_EQ(hub_tasks(w.p, w.p.municipalities[0], HubStops{}, 0).hours(), 0.0);
}

// a small week is one shift of the minimum length a delivery day, least hours first: the worker with
// fewer hours so far gets both days' shifts (2 h + 2 h), the other none; nothing is left for staff
TEST(WorkPhase, ShiftsGoToFewestHoursFirstAtTheMinimumLength) {
  const World w = make_world();
  const State s = work_week(w, {1.0, 1.0}, {10.0, 2.0}, 40);
  ASSERT_LT(tiny_tasks(w, 40).hours() / 2, 2.0);  // a day's work is shorter than a shift
  EXPECT_EQ(s.workers.hours_week[0], 0.0);
  EXPECT_EQ(s.workers.hours_week[1], 4.0);
  EXPECT_EQ(s.workers.hours_total[1], 6.0);
  EXPECT_EQ(s.markets.staff_extra_hours[0], 0.0);
  // skill: grows with hours x (1 - skill), decays 2% when idle
  EXPECT_DOUBLE_EQ(s.workers.skill[1], 0.5 + 0.01 * 4.0 * 0.5);
  EXPECT_DOUBLE_EQ(s.workers.skill[0], 0.5 * 0.98);
  // the shift's worker met both stops
  EXPECT_EQ(s.workers.contacts[1].size(), 2u);
  EXPECT_TRUE(s.workers.contacts[0].empty());
}

// equal hours so far: day 1 goes to the lower id, day 2 to the other, who now has fewer hours
TEST(WorkPhase, TiesGoByIdThenTheLeastHoursThisWeek) {
  const State s = work_week(make_world(), {1.0, 1.0}, {}, 40);
  EXPECT_EQ(s.workers.hours_week[0], 2.0);
  EXPECT_EQ(s.workers.hours_week[1], 2.0);
}

// a big week: each day needs more shifts than two participants can take; both work a shift each
// day, each at least the minimum and at most a day's hours, and staff cover the rest of the task hours
TEST(WorkPhase, MoreWorkThanParticipantsGoesToStaffAfterOneShiftEachADay) {
  const World w = make_world();
  const double kg = 640;
  const State s = work_week(w, {1.0, 1.0}, {}, kg);
  const double day = tiny_tasks(w, kg).hours() / 2;
  const double n = std::max(std::floor(day / 2.0), std::ceil(day / 4.0));
  const double shift = day / n;
  ASSERT_GE(shift, 2.0);
  ASSERT_LE(shift, 4.0);
  EXPECT_DOUBLE_EQ(s.workers.hours_week[0], 2 * shift);
  EXPECT_DOUBLE_EQ(s.workers.hours_week[1], 2 * shift);
  EXPECT_NEAR(s.markets.staff_extra_hours[0], 2 * (day - 2 * shift), 1e-9);
}

// an absent worker gets nothing even with fewer hours
TEST(WorkPhase, OnlyForThosePresent) {
  const State s = work_week(make_world(), {1.0, 0.0}, {100.0, 0.0}, 40);
  EXPECT_EQ(s.workers.hours_week[0], 4.0);
  EXPECT_EQ(s.workers.hours_week[1], 0.0);
  EXPECT_EQ(s.markets.staff_extra_hours[0], 0.0);
}

// nobody attends: staff cover every task hour at the standard pace
TEST(WorkPhase, StaffCoverWhenNobodyAttends) {
  const World w = make_world();
  const State s = work_week(w, {0.0, 0.0}, {}, 80);
  EXPECT_EQ(s.workers.hours_week[0], 0.0);
  EXPECT_EQ(s.workers.hours_week[1], 0.0);
  EXPECT_DOUBLE_EQ(s.markets.staff_extra_hours[0], tiny_tasks(w, 80).hours());
}

// worker 0 moves on to adapted work for certain (skill ~1, vta_per_year 104: probability >= 1 a week),
// worker 1 never (skill 0, no dropout); the place freed goes to the lowest-id waiting person (2)
// the same week, and 3 keeps waiting
TEST(WorkPhase, MoveFreesAPlaceFilledFromTheWaitingListSameWeek) {
  World w = make_world(2, "", {{"municipalities.m.day_centre.waiting_list", "2"}}, [](Params& p) {
    auto& d = p.municipalities[0].day_centre;
    d.vta_per_year = 104;  // beyond the schema's range on purpose: a certain move
    d.work_per_year = 0;
    d.dropout_per_year = 0;
  });
  State& s = w.s;
  ASSERT_EQ(s.workers.status.size(), 4u);
  EXPECT_EQ(s.workers.status[2], WorkerStatus::waiting);
  EXPECT_EQ(s.workers.status[3], WorkerStatus::waiting);
  s.workers.attendance.assign(4, 1.0);
  s.workers.skill = {1.0, 0.0, 0.5, 0.5};
  one_farm_one_kitchen(w, 0);
  assign_work(w.p, s);
  EXPECT_EQ(s.workers.status[0], WorkerStatus::moved_vta);
  EXPECT_EQ(s.workers.moved_week[0], WorkerMove::to_vta);
  EXPECT_EQ(s.workers.status[1], WorkerStatus::active);
  EXPECT_EQ(s.workers.status[2], WorkerStatus::active);
  EXPECT_EQ(s.workers.moved_week[2], WorkerMove::placed);
  EXPECT_EQ(s.workers.status[3], WorkerStatus::waiting);

  WeekReport r;
  collect_metrics(w.p, s, r);
  EXPECT_EQ(r.munis[0].moves_vta, 1.0);
  EXPECT_EQ(r.munis[0].waiting, 1.0);
  EXPECT_EQ(r.munis[0].participants, 2.0);

  // the next week the newcomer works and the one who left does not
  s.workers.hours_total = {0.0, 100.0, 0.0, 0.0};
  one_farm_one_kitchen(w, 20);
  assign_work(w.p, s);
  EXPECT_EQ(s.workers.hours_week[0], 0.0);
  EXPECT_GT(s.workers.hours_week[2], 0.0);
  EXPECT_EQ(s.workers.hours_week[3], 0.0);
}

// one participant who can work half an hour a day; a courier for 30 kg a week; staff the rest. The
// courier takes the kg the uncovered hours stand for (the week's kg per task hour)
TEST(WorkPhase, CourierTakesWhatParticipantsCannotBeforeStaff) {
  const World w = make_world(1, "", {{"municipalities.m.hub.courier_kg_per_week", "30.0"}}, [](Params& p) {
    p.municipalities[0].day_centre.hours_per_day = 0.5;
  });
  for (double kg : {80.0, 20.0}) {
    const State s = work_week(w, {1.0}, {}, kg);
    const double week = tiny_tasks(w, kg).hours();
    const double left = std::max(0.0, week - 2 * 0.5);  // two shifts of half an hour
    const double courier = std::min(30.0, left * kg / week);
    EXPECT_EQ(s.workers.hours_week[0], 1.0) << kg;
    EXPECT_DOUBLE_EQ(s.markets.courier_kg[0], courier) << kg;
    EXPECT_NEAR(s.markets.staff_extra_hours[0], left - courier * week / kg, 1e-9) << kg;
  }
}

// D11: an idle participant loses skill_decay_per_idle_week of their skill; the waiting list does not
// work yet and keeps the skill drawn, so a person placed from it joins with that skill
TEST(WorkPhase, OnlyParticipantsLoseSkillWhenIdle) {
  World w = make_world(2, "", {{"municipalities.m.day_centre.waiting_list", "2"}}, [](Params& p) {
    auto& d = p.municipalities[0].day_centre;
    d.vta_per_year = 0;
    d.work_per_year = 0;
    d.dropout_per_year = 0;
  });
  State& s = w.s;
  ASSERT_EQ(s.workers.status[2], WorkerStatus::waiting);
  const double decay = w.p.municipalities[0].day_centre.skill_decay_per_idle_week;
  ASSERT_GT(decay, 0.0);
  s.workers.attendance.assign(4, 0.0);
  s.workers.skill = {0.5, 0.8, 0.5, 0.3};
  one_farm_one_kitchen(w, 0);
  assign_work(w.p, s);
  EXPECT_DOUBLE_EQ(s.workers.skill[0], 0.5 * (1.0 - decay));
  EXPECT_DOUBLE_EQ(s.workers.skill[1], 0.8 * (1.0 - decay));
  EXPECT_EQ(s.workers.skill[2], 0.5);
  EXPECT_EQ(s.workers.skill[3], 0.3);
}

// Horten over seeds 1-3: with more participants for the same work the number engaged (>= 1 hour a
// week) never falls, and whoever works in a week works at least the 2-hour minimum shift
TEST(WorkPhase, HortenEngagedNeverFallsAsParticipantsRise) {
  for (int seed = 1; seed <= 3; ++seed) {
    double last_engaged = 0;
    for (int n : {3, 6, 12, 24}) {
      const Params p = test::load_shipped(
          test::kHorten, test::with_seed(seed, {{"municipalities.horten.day_centre.participants", std::to_string(n)},
                                                {"run.years", "2"}}));
      double engaged = 0, hours = 0, weeks = 0;
      double shortest = 1e9;
      test::run_scenario(p, [&](const WeekReport& r, const State& s) {
        engaged += r.munis[0].participants_engaged;
        hours += r.munis[0].work_hours;
        weeks += 1;
        for (double h : s.workers.hours_week)
          if (h > 0) shortest = std::min(shortest, h);
      });
      engaged /= weeks;
      EXPECT_GE(engaged, last_engaged) << "seed " << seed << ", " << n << " participants";
      EXPECT_GE(shortest, 2.0 - 1e-9) << "every shift is at least the 2-hour minimum";
      EXPECT_GT(hours / weeks, 5.0) << "Horten's week has hours of work";
      last_engaged = engaged;
    }
  }
}

}  // namespace
}  // namespace lokalmat
