#pragma once
// Calendar arithmetic for the weekly tick: civil dates, ISO week numbers.
// A tick is one week starting on the run's start date (default a Monday).
#include <cstdint>
#include <string>

namespace lokalmat {

struct Date {
  int year = 2025;
  int month = 1;
  int day = 6;
  auto operator<=>(const Date&) const = default;
};

// days since 1970-01-01 (proleptic Gregorian)
std::int64_t days_from_civil(Date d);
Date civil_from_days(std::int64_t days);
// parse "YYYY-MM-DD"; returns false on a malformed or impossible date
bool parse_date(const std::string& text, Date& out);
std::string format_date(Date d);
Date add_days(Date d, std::int64_t days);

struct IsoWeek {
  int year;  // ISO week-numbering year
  int week;  // 1..53
};
IsoWeek iso_week(Date d);

}  // namespace lokalmat
