// The work phase (sim/phases/work.cpp) on the tiny hand-built world: the hub's hours shared
// least-hours-first in quarter-hour blocks among the participants present, the courier and
// staff for the rest, skills, and participants moving on with the waiting list filling their
// places. Attendance, skills and the kg handled are set in the State directly.
#include <gtest/gtest.h>

#include <vector>

#include "sim/model.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;
using test::World;

// a week of work at the tiny world's hub: the participants' attendance (skill 0.5: 40 kg/h), their
// hours so far (left at 0 when empty) and the kg the hub handled; the state after the work phase
State work_week(World w, const std::vector<double>& attendance, const std::vector<double>& hours_total,
                double handled_kg) {
  w.s.workers.attendance = attendance;
  w.s.workers.skill.assign(attendance.size(), 0.5);
  if (!hours_total.empty()) w.s.workers.hours_total = hours_total;
  w.s.markets.handled_kg[0] = handled_kg;
  assign_work(w.p, w.s);
  return w.s;
}

// hours go least-cumulative-hours-first: the worker with fewer hours gets all of one hour
TEST(WorkPhase, GoesToFewestHoursFirst) {
  // both present all 4.5 days (18 h available each); 40 kg: 1 hour at 40 kg/h
  const State s = work_week(make_world(), {1.0, 1.0}, {10.0, 2.0}, 40);
  EXPECT_EQ(s.workers.hours_week[0], 0.0);
  EXPECT_EQ(s.workers.hours_week[1], 1.0);
  EXPECT_EQ(s.workers.hours_total[1], 3.0);
  EXPECT_EQ(s.markets.staff_extra_hours[0], 0.0);
  // skill: grows with hours x (1 - skill), decays 2% when idle
  EXPECT_DOUBLE_EQ(s.workers.skill[1], 0.5 + 0.01 * 1.0 * 0.5);
  EXPECT_DOUBLE_EQ(s.workers.skill[0], 0.5 * 0.98);
}

// equal hours so far: ties go by id, in quarter-hour blocks (0.75 h -> 0.5 and 0.25)
TEST(WorkPhase, TiesGoByIdInQuarterHours) {
  const State s = work_week(make_world(), {1.0, 1.0}, {}, 30);
  EXPECT_EQ(s.workers.hours_week[0], 0.5);
  EXPECT_EQ(s.workers.hours_week[1], 0.25);
}

// an absent worker gets nothing even with fewer hours; limited availability spills to staff
TEST(WorkPhase, OnlyForThosePresentAndStaffCoverTheRest) {
  {
    const State s = work_week(make_world(), {1.0, 0.0}, {100.0, 0.0}, 40);
    EXPECT_EQ(s.workers.hours_week[0], 1.0);
    EXPECT_EQ(s.workers.hours_week[1], 0.0);
    EXPECT_EQ(s.markets.staff_extra_hours[0], 0.0);
  }
  {
    // one open day of half an hour each: 2 x 0.5 h x 40 kg/h = 40 of the 80 kg; staff cover 1 h
    const World w = make_world(2, "", {}, [](Params& p) {
      p.municipalities[0].day_centre.open_days_per_week = 1;
      p.municipalities[0].day_centre.hours_per_day = 0.5;
    });
    const State s = work_week(w, {1.0, 1.0}, {10.0, 2.0}, 80);
    EXPECT_EQ(s.workers.hours_week[0], 0.5);
    EXPECT_EQ(s.workers.hours_week[1], 0.5);
    EXPECT_DOUBLE_EQ(s.markets.staff_extra_hours[0], 1.0);
  }
}

// nobody attends: staff cover every hour at the base productivity (80 kg / 40 kg/h)
TEST(WorkPhase, StaffCoverWhenNobodyAttends) {
  const State s = work_week(make_world(), {0.0, 0.0}, {}, 80);
  EXPECT_EQ(s.workers.hours_week[0], 0.0);
  EXPECT_EQ(s.workers.hours_week[1], 0.0);
  EXPECT_DOUBLE_EQ(s.markets.staff_extra_hours[0], 2.0);
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
  s.markets.handled_kg[0] = 0;
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
  s.markets.handled_kg[0] = 20;
  assign_work(w.p, s);
  EXPECT_EQ(s.workers.hours_week[0], 0.0);
  EXPECT_GT(s.workers.hours_week[2], 0.0);
  EXPECT_EQ(s.workers.hours_week[3], 0.0);
}

// one participant with half an hour (20 kg at 40 kg/h); a courier for 30 kg a week; staff the rest
TEST(WorkPhase, CourierTakesWhatParticipantsCannotBeforeStaff) {
  auto run = [](double kg) {
    const World w = make_world(1, "", {{"municipalities.m.hub.courier_kg_per_week", "30.0"}}, [](Params& p) {
      p.municipalities[0].day_centre.open_days_per_week = 1;
      p.municipalities[0].day_centre.hours_per_day = 0.5;
    });
    const State s = work_week(w, {1.0}, {}, kg);
    return std::vector<double>{s.workers.hours_week[0], s.markets.courier_kg[0], s.markets.staff_extra_hours[0]};
  };
  EXPECT_EQ(run(80), (std::vector<double>{0.5, 30.0, 0.75}));  // 20 + 30 + 30 kg / 40 kg/h
  EXPECT_EQ(run(40), (std::vector<double>{0.5, 20.0, 0.0}));
  EXPECT_EQ(run(10), (std::vector<double>{0.25, 0.0, 0.0}));
}

}  // namespace
}  // namespace lokalmat
