#include "sim/calendar.h"

#include <cstdio>
#include <string>

namespace lokalmat {

// Howard Hinnant's civil-date algorithms (public domain formulation)
std::int64_t days_from_civil(Date d) {
  const int y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(d.month + (d.month > 2 ? -3 : 9));
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

bool parse_date(const std::string& text, Date& out) {
  // exactly YYYY-MM-DD: digits and two dashes, no signs or blanks
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return false;
  const int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)), d = std::stoi(text.substr(8, 2));
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const Date cand{y, m, d};
  if (civil_from_days(days_from_civil(cand)) != cand) return false;  // e.g. 2025-02-30
  out = cand;
  return true;
}

std::string format_date(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Date add_days(Date d, std::int64_t days) { return civil_from_days(days_from_civil(d) + days); }

IsoWeek iso_week(Date d) {
  // weekday: Monday = 0 .. Sunday = 6 (1970-01-01 was a Thursday)
  const std::int64_t days = days_from_civil(d);
  const int wd = static_cast<int>(((days % 7) + 7 + 3) % 7);
  // the ISO year is the year of this week's Thursday
  const Date thursday = civil_from_days(days - wd + 3);
  const std::int64_t jan1 = days_from_civil(Date{thursday.year, 1, 1});
  const int week = static_cast<int>((days_from_civil(thursday) - jan1) / 7 + 1);
  return IsoWeek{thursday.year, week};
}

}  // namespace lokalmat
