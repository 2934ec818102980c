// Opening a run file for reading (results/run_file.h).
#include "results/run_file.h"

#include <fmt/format.h>

#include "sim/calendar.h"

namespace lokalmat::h5 {

RunFile open_run_file(const std::string& path, PartialFiles partial) try {
  SealState seal{};
  RunFile r;
  r.file = open_file_read(path, &seal);
  const hid_t root = r.file.get();
  if (!has_attr(root, "complete") || !has_attr(root, "lokalmat_version"))
    throw ResultFileError("not a lokalmat run file (no 'complete' or 'lokalmat_version' attribute)");
  const auto complete = read_attr_scalar<std::int32_t>(root, "complete");
  if (complete != 0 && complete != 1)
    throw ResultFileError(fmt::format("attribute 'complete' of / is {}, expected 0 or 1", complete));
  r.complete = complete == 1;
  r.weeks_planned = read_attr_scalar<std::int32_t>(root, "weeks_planned");
  if (seal == SealState::never_sealed && r.complete)
    throw ResultFileError("damaged: marked complete, but never sealed");

  // the weeks written, each a date
  Handle weekly = open_group(root, "weekly");
  const std::vector<std::string> dates = read_strings(weekly.get(), "week_start", {kAny});
  r.weeks = dates.size();
  for (std::size_t w = 0; w < dates.size(); ++w) {
    Date d{};
    if (dates[w].size() != 10 || !parse_date(dates[w], d))
      throw ResultFileError(fmt::format("/weekly/week_start[{}] is '{}', not a date YYYY-MM-DD", w, dates[w]));
  }
  if (r.complete && has_attr(root, "weeks")) {
    const auto weeks = read_attr_scalar<std::int32_t>(root, "weeks");
    if (weeks < 0 || static_cast<std::size_t>(weeks) != r.weeks)
      throw ResultFileError(fmt::format("attribute 'weeks' of / is {}, but /weekly/week_start has {} weeks", weeks,
                                        r.weeks));
  }

  // an unfinished run only when asked for
  if (partial == PartialFiles::refuse && (!r.complete || seal == SealState::never_sealed))
    throw ResultFileError(fmt::format(
        "not a finished run (complete = 0{}): {} of {} weeks written; read it with --partial if that is what you "
        "want",
        seal == SealState::never_sealed ? ", never sealed: its writer was stopped before it closed the file" : "",
        r.weeks, r.weeks_planned));
  return r;
} catch (...) {
  rethrow_naming(path);
}

}  // namespace lokalmat::h5
