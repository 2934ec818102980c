// The calendar phase (sim/phases/calendar.cpp) on the tiny hand-built world, started on Monday
// 2024-12-30 (ISO week 1 of 2025): the week's date and ISO week, the wholesaler's price index
// raised once in the first week of each new ISO year, and the framework agreement re-tendered in
// the first week on or after its end. The phase runs alone, week after week.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "sim/model.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

using test::make_world;
using test::World;

World week_one_world() { return make_world(2, "", {{"run.start_date", R"("2024-12-30")"}, {"run.years", "3"}}); }

// week k starts 7k days after the start date, in the ISO week and year of that date: across the
// turn of 2025 (52 ISO weeks) and of 2026 (53 ISO weeks)
TEST(CalendarPhase, DateAndIsoWeekOfEachWeek) {
  World w = week_one_world();
  State& s = w.s;
  struct Want {
    int week;
    Date date;
    int iso_year, iso_week;
  };
  for (const Want& want : std::vector<Want>{{0, {2024, 12, 30}, 2025, 1},
                                            {1, {2025, 1, 6}, 2025, 2},
                                            {51, {2025, 12, 22}, 2025, 52},
                                            {52, {2025, 12, 29}, 2026, 1},
                                            {104, {2026, 12, 28}, 2026, 53},
                                            {105, {2027, 1, 4}, 2027, 1}}) {
    s.week = want.week;
    advance_calendar(w.p, s);
    EXPECT_EQ(s.date, want.date) << "week " << want.week;
    EXPECT_EQ(s.iso_year, want.iso_year) << "week " << want.week;
    EXPECT_EQ(s.iso_week, want.iso_week) << "week " << want.week;
  }
}

// the price index rises by price_index_per_year (3%) in ISO week 1 of 2026 (week 52) and of 2027
// (week 105), once each, and not in week 0 although the run starts in an ISO week 1
TEST(CalendarPhase, PriceIndexRisesOnceAtEachNewIsoYear) {
  World w = week_one_world();
  State& s = w.s;
  ASSERT_EQ(s.price_index, 1.0);
  const double rise = 1.0 + w.p.wholesaler.price_index_per_year;
  ASSERT_EQ(rise, 1.03);
  std::set<int> raised;
  double before = s.price_index;
  for (int k = 0; k < 150; ++k) {
    s.week = k;
    advance_calendar(w.p, s);
    if (s.price_index != before) raised.insert(k);
    before = s.price_index;
    if (k == 52) EXPECT_EQ(s.price_index, 1.0 * rise);
    if (k == 105) EXPECT_EQ(s.price_index, 1.0 * rise * rise);
  }
  EXPECT_EQ(raised, (std::set<int>{52, 105}));
}

// the agreement of 2022-01-01 (2 + 1 + 1 years) ends 2026-01-01: the week starting 2026-01-05
// (week 53) is the tender week, the only one until the next end, 2030-01-01
TEST(CalendarPhase, AgreementRenewedInTheFirstWeekOnOrAfterItsEnd) {
  World w = week_one_world();
  State& s = w.s;
  ASSERT_EQ(s.contract_end, (Date{2026, 1, 1}));
  std::set<int> tenders;
  for (int k = 0; k < 150; ++k) {
    s.week = k;
    advance_calendar(w.p, s);
    if (s.tender_week) tenders.insert(k);
  }
  EXPECT_EQ(tenders, (std::set<int>{53}));
  EXPECT_EQ(s.contract_end, (Date{2030, 1, 1}));
}

}  // namespace
}  // namespace lokalmat
