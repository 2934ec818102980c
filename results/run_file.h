#pragma once
// What every reader of a run file checks before it reads a value (results/README.md "What
// readers refuse"): the seal, that it is a lokalmat run file, and whether it is finished.
// Internal to lokalmat::results, like h5_util.h.
#include <cstddef>
#include <string>

#include "results/h5_util.h"

namespace lokalmat::h5 {

struct RunFile {
  Handle file;
  bool complete = false;   // root attribute complete = 1
  std::size_t weeks = 0;   // rows written: the length of /weekly/week_start, checked against the dates
  int weeks_planned = 0;   // root attribute weeks_planned
};

// Open a run file: the seal verified, `complete` and `weeks_planned` read, and /weekly/week_start
// [W] read and checked to hold dates. A file whose writer did not finish it (complete = 0, or
// never sealed) is refused unless `partial` is accept, with how far it got (weeks written of
// weeks planned). Throws ResultFileError naming the path.
RunFile open_run_file(const std::string& path, PartialFiles partial);

}  // namespace lokalmat::h5
