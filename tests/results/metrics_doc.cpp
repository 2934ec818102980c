// lokalmat_metrics_doc: prints the table of weekly metrics (results/README.md,
// between the "metrics table" markers) from the code's own definitions, so the
// documentation cannot drift from weekly_metrics(). The results.readme test
// compares the two; `results_test.py readme --update` rewrites the README.
#include <cmath>
#include <iostream>
#include <string>

#include "sim/metrics.h"

namespace {

using lokalmat::MetricScope;

std::string breakdowns(MetricScope s) {
  switch (s) {
    case MetricScope::flow: return "category, buyer type, municipality";
    case MetricScope::type: return "buyer type, municipality";
    case MetricScope::muni: return "municipality";
  }
  return "?";
}

}  // namespace

int main() {
  std::cout << "| metric | units | breakdowns | NaN possible | meaning |\n|---|---|---|---|---|\n";
  for (const auto& m : lokalmat::weekly_metrics()) {
    // a metric that is undefined on empty sums is a ratio: NaN in a week (or group) where
    // its denominator is zero
    const bool ratio = std::isnan(m.eval(lokalmat::GroupSums{}));
    std::cout << "| `" << m.name << "` | " << m.units << " | " << breakdowns(m.scope) << " | "
              << (ratio ? "yes" : "no") << " | " << m.description << " |\n";
  }
  return 0;
}
