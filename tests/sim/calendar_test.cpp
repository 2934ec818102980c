// Calendar arithmetic (sim/calendar.h): ISO weeks drive seasons, holidays and
// dated rule changes, so they are checked against known dates and against the
// C library's own ISO-8601 week (strftime %G/%V) over forty years.
#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

#include "sim/calendar.h"

namespace lokalmat {
namespace {

// known ISO weeks, including years with 53 weeks and week 1 starting in December
TEST(Calendar, IsoWeekOfKnownDates) {
  struct Case {
    Date date;
    int year, week;
  };
  const std::vector<Case> cases = {
      {{2025, 1, 6}, 2025, 2},    // the default start date (a Monday)
      {{2026, 12, 28}, 2026, 53}, // 2026 has 53 ISO weeks
      {{2027, 1, 3}, 2026, 53},   // Sunday still in week 53 of 2026
      {{2027, 1, 4}, 2027, 1},
      {{2024, 12, 30}, 2025, 1},  // Monday in December that belongs to 2025
      {{2025, 1, 5}, 2025, 1},
      {{2021, 1, 3}, 2020, 53},
      {{2027, 9, 13}, 2027, 37},  // first municipal election of a default run
      {{2025, 12, 29}, 2026, 1},
      {{2016, 1, 1}, 2015, 53},
  };
  for (const Case& c : cases) {
    const IsoWeek w = iso_week(c.date);
    EXPECT_EQ(w.year, c.year) << format_date(c.date);
    EXPECT_EQ(w.week, c.week) << format_date(c.date);
  }
}

// an independent oracle: glibc's strftime %G-%V over 2000..2040, every day
TEST(Calendar, IsoWeekAgreesWithStrftimeEveryDay) {
  const std::int64_t first = days_from_civil(Date{2000, 1, 1});
  const std::int64_t last = days_from_civil(Date{2040, 12, 31});
  int mismatches = 0;
  for (std::int64_t d = first; d <= last; ++d) {
    const Date date = civil_from_days(d);
    std::tm tm{};
    tm.tm_year = date.year - 1900;
    tm.tm_mon = date.month - 1;
    tm.tm_mday = date.day;
    tm.tm_hour = 12;
    const std::time_t t = timegm(&tm);  // also fills tm_wday / tm_yday
    std::tm norm{};
    gmtime_r(&t, &norm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%G %V", &norm);
    int y = 0, w = 0;
    ASSERT_EQ(std::sscanf(buf, "%d %d", &y, &w), 2);
    const IsoWeek iw = iso_week(date);
    if (iw.year != y || iw.week != w) {
      if (++mismatches <= 5) ADD_FAILURE() << format_date(date) << ": got " << iw.year << "-W" << iw.week
                                            << ", strftime says " << y << "-W" << w;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

// impossible dates and malformed text are refused, and the output is untouched
TEST(Calendar, ParseDateRejectsImpossibleAndMalformed) {
  const std::vector<std::string> bad = {
      "2025-02-30", "2025-02-29", "2100-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
      "2025-01-32", "",           "2025-1-6",   "2025/01/06", "06-01-2025", "abcd-ef-gh", "2025-01-06x",
      "2025-01-06 ", "20250106",  "2025-01-6x", "2025--1-06"};
  for (const std::string& text : bad) {
    Date out{1999, 9, 9};
    EXPECT_FALSE(parse_date(text, out)) << "'" << text << "'";
    EXPECT_EQ(out, (Date{1999, 9, 9})) << "'" << text << "' changed the output";
  }
}

// strictly "YYYY-MM-DD": no signs or blanks smuggled into the fixed-width fields
TEST(Calendar, ParseDateRejectsSignsAndBlanksInFields) {
  const std::vector<std::string> bad = {" 2025-1-06", "2025-+1-06", "2025- 1-06", "2025-01-+6", "2025-01- 6",
                                        "+202-01-06"};
  for (const std::string& text : bad) {
    Date out{1999, 9, 9};
    EXPECT_FALSE(parse_date(text, out)) << "'" << text << "' accepted as " << format_date(out);
  }
}

// valid dates parse, including leap days, and format back to the same text
TEST(Calendar, ParseAndFormatRoundTrip) {
  for (const std::string text : {"2025-01-06", "2024-02-29", "2000-02-29", "2026-07-01", "1970-01-01", "2099-12-31"}) {
    Date d;
    ASSERT_TRUE(parse_date(text, d)) << text;
    EXPECT_EQ(format_date(d), text);
  }
  Date d;
  ASSERT_TRUE(parse_date("2026-07-01", d));
  EXPECT_EQ(d, (Date{2026, 7, 1}));
}

// add_days: epoch, month and leap-year boundaries, and round trips over offsets
TEST(Calendar, AddDaysRoundTrips) {
  EXPECT_EQ(days_from_civil(Date{1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil(Date{2000, 3, 1}) - days_from_civil(Date{2000, 2, 28}), 2);  // 2000 is a leap year
  EXPECT_EQ(days_from_civil(Date{1900, 3, 1}) - days_from_civil(Date{1900, 2, 28}), 1);  // 1900 is not
  EXPECT_EQ(add_days(Date{2024, 2, 28}, 1), (Date{2024, 2, 29}));
  EXPECT_EQ(add_days(Date{2025, 2, 28}, 1), (Date{2025, 3, 1}));
  EXPECT_EQ(add_days(Date{2025, 12, 31}, 1), (Date{2026, 1, 1}));
  EXPECT_EQ(add_days(Date{2025, 1, 6}, 7 * 520), (Date{2034, 12, 25}));  // end of a default 10-year run
  EXPECT_EQ(add_days(Date{2026, 1, 1}, -1), (Date{2025, 12, 31}));

  const std::vector<Date> starts = {{2025, 1, 6}, {2024, 2, 29}, {1999, 12, 31}, {2026, 7, 1}, {1970, 1, 1}};
  for (const Date& d : starts)
    for (std::int64_t k : {-100000LL, -366LL, -1LL, 0LL, 1LL, 6LL, 7LL, 59LL, 365LL, 366LL, 3640LL, 100000LL}) {
      const Date e = add_days(d, k);
      EXPECT_EQ(add_days(e, -k), d) << format_date(d) << " + " << k;
      EXPECT_EQ(days_from_civil(e) - days_from_civil(d), k) << format_date(d) << " + " << k;
      Date parsed;
      if (e.year >= 1000 && e.year <= 9999) {
        ASSERT_TRUE(parse_date(format_date(e), parsed)) << format_date(e);
        EXPECT_EQ(parsed, e);
      }
    }
}

// weeks of a run: every tick starts 7 days later and ISO weeks advance by one or restart at 1
TEST(Calendar, WeeklyTicksAdvanceIsoWeeks) {
  const Date start{2025, 1, 6};
  IsoWeek prev = iso_week(start);
  for (int k = 1; k < 520; ++k) {
    const IsoWeek w = iso_week(add_days(start, 7LL * k));
    if (w.year == prev.year) {
      EXPECT_EQ(w.week, prev.week + 1) << "tick " << k;
    } else {
      EXPECT_EQ(w.year, prev.year + 1) << "tick " << k;
      EXPECT_EQ(w.week, 1) << "tick " << k;
      EXPECT_TRUE(prev.week == 52 || prev.week == 53) << "tick " << k;
    }
    prev = w;
  }
}

}  // namespace
}  // namespace lokalmat
