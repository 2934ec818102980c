#pragma once
// The short summary `lokalmat run` prints: whole-run figures from the weekly reports.
#include <string>

#include "sim/metrics.h"

namespace lokalmat {

class RunSummary {
 public:
  void add(const WeekReport& r);
  [[nodiscard]] std::string table() const;

 private:
  GroupSums all_;        // flows summed over all weeks
  double weeks_ = 0;
  double engaged_sum_ = 0;
  double backing_last_ = 0;
  double gini_last_ = 0;
  double trust_first_ = -1, trust_last_ = 0;
};

}  // namespace lokalmat
