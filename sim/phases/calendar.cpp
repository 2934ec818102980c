// Calendar: the week's date and ISO week, the wholesaler's yearly price index, and
// the renewal of the framework agreement at the end of its term.
#include "sim/phases/phases.h"
#include "sim/rules/rules.h"

namespace lokalmat {

void advance_calendar(const Params& p, State& s) {
  // week k starts 7k days after the start date
  s.date = add_days(p.start, 7LL * s.week);
  const IsoWeek iw = iso_week(s.date);
  const bool new_year = s.week > 0 && iw.week == 1;
  s.iso_week = iw.week;
  s.iso_year = iw.year;
  if (new_year) s.price_index *= 1.0 + p.wholesaler.price_index_per_year;
  framework::renew_if_due(p, s);
}

}  // namespace lokalmat
