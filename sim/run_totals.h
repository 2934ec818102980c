#pragma once
// Whole-run figures (MODEL.md §6 "per run"): the weekly report sums added over all
// weeks, and the figures a policy maker reads, each with its unit. Used by the
// run summary, ensembles, and (later) reports and sweeps.
#include <array>
#include <string_view>

#include "sim/metrics.h"

namespace lokalmat {

// one whole-run figure: name, unit, and how to print it
struct FigureDef {
  std::string_view name;
  std::string_view unit;
  std::string_view label;  // plain-language label
  double scale;            // printed value = value x scale (e.g. 100 for %)
  std::string_view print_unit;
};

inline constexpr int kFigures = 20;
const std::array<FigureDef, kFigures>& run_figures();

class RunTotals {
 public:
  void add(const WeekReport& r);
  // the figures, in the order of run_figures()
  [[nodiscard]] std::array<double, kFigures> figures() const;
  [[nodiscard]] double weeks() const { return weeks_; }
  [[nodiscard]] const GroupSums& sums() const { return all_; }

 private:
  GroupSums all_;  // all weeks, all municipalities
  double weeks_ = 0;
  double backing_last_ = 0;
  double trust_first_ = -1, trust_last_ = 0;
  double gini_last_ = 0;
};

}  // namespace lokalmat
