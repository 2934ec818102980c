#include "sim/cli/discover_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <stdexcept>

#include "results/prim.h"
#include "results/sweep_store.h"
#include "sim/scenario.h"
#include "sim/scenario_text.h"

namespace lokalmat {

namespace {

// a parameter's range or kept choices in words
std::string bounds_text(const SweepHeader& h, std::size_t k, const PrimBox& box) {
  const auto& choices = h.parameter_choices[k];
  if (!choices.empty()) {
    std::vector<std::string> kept;
    for (int level : box.levels[k]) kept.push_back(choices[static_cast<std::size_t>(level)]);
    return fmt::format("{} in {{{}}}", h.parameters[k], scenario_text::join(kept, ", "));
  }
  const std::string unit = h.parameter_units[k].empty() || h.parameter_units[k] == "-" ? "" : " " + h.parameter_units[k];
  return fmt::format("{} from {:.4g} to {:.4g}{}", h.parameters[k], box.lo[k], box.hi[k], unit);
}

std::string number_name(double x) {
  std::string s = fmt::format("{:g}", x);
  std::replace(s.begin(), s.end(), '.', 'p');
  std::replace(s.begin(), s.end(), '-', 'm');
  return s;
}

}  // namespace

int discover_command(const DiscoverOptions& o) {
  if (o.above.has_value() == o.below.has_value())
    throw ScenarioError("discover: give the case of interest with --above X or --below X (one of them)");
  const SweepFile f = read_sweep_file(o.file, o.partial ? PartialFiles::accept : PartialFiles::refuse);
  const SweepHeader& h = f.header;
  const auto it = std::find(h.outputs.begin(), h.outputs.end(), o.output);
  if (it == h.outputs.end())
    throw ScenarioError(fmt::format("{}: no output '{}'; the sweep keeps: {}", o.file, o.output,
                                    scenario_text::join(h.outputs, ", ")));
  const auto out = static_cast<std::size_t>(it - h.outputs.begin());
  const double threshold = o.above ? *o.above : *o.below;
  const std::string condition = fmt::format("{} {:g}", o.above ? ">" : "<", threshold);

  // every run with a finite output is a point
  std::vector<std::vector<double>> x;
  std::vector<char> interest;
  int dropped = 0;
  for (const auto& r : f.records) {
    const double y = r.ok ? r.outputs[out] : NAN;
    if (!std::isfinite(y)) {
      ++dropped;
      continue;
    }
    x.push_back(h.design_values[static_cast<std::size_t>(r.point)]);
    interest.push_back(o.above ? y > threshold : y < threshold);
  }
  std::vector<PrimInput> inputs;
  for (std::size_t k = 0; k < h.parameters.size(); ++k)
    inputs.push_back({h.parameters[k], !h.parameter_choices[k].empty(), static_cast<int>(h.parameter_choices[k].size())});
  PrimResult p;
  try {
    p = prim(x, interest, inputs, {.peel_alpha = o.peel_alpha, .paste_alpha = o.paste_alpha, .min_mass = o.min_mass,
                                   .paste = o.paste});
  } catch (const std::invalid_argument& e) {
    throw ScenarioError(fmt::format("{}: {} {}: {}", o.file, o.output, condition, e.what()));
  }
  int chosen = p.chosen;
  if (o.min_density) {
    // the largest coverage among the boxes dense enough (ties: the earlier box)
    int best = -1;
    for (std::size_t b = 0; b < p.trajectory.size(); ++b)
      if (p.trajectory[b].density >= *o.min_density &&
          (best < 0 || p.trajectory[b].coverage > p.trajectory[static_cast<std::size_t>(best)].coverage))
        best = static_cast<int>(b);
    if (best < 0)
      throw ScenarioError(fmt::format("discover: no box reaches density {:g} (the densest has {:.3f})", *o.min_density,
                                      p.trajectory[static_cast<std::size_t>(p.chosen)].density));
    chosen = best;
  }

  std::cout << fmt::format("{} {} ({}): {} of {} runs are cases{}\n", o.output, condition, h.output_units[out],
                           p.cases, p.points, dropped > 0 ? fmt::format(" ({} runs without a value left out)", dropped) : "");
  std::cout << fmt::format("PRIM peeling trajectory (peel {:g}, min mass {:g}{}):\n", o.peel_alpha, o.min_mass,
                           p.pasted ? ", the last box pasted" : "");
  std::cout << fmt::format("{:>4}  {:>8}  {:>8}  {:>8}  {:>6}  {}\n", "box", "coverage", "density", "mass", "runs",
                           "restricted");
  for (std::size_t b = 0; b < p.trajectory.size(); ++b) {
    const PrimBox& box = p.trajectory[b];
    std::cout << fmt::format("{:>4}  {:8.3f}  {:8.3f}  {:8.3f}  {:6}  {}{}\n", b, box.coverage, box.density, box.mass,
                             box.points, box.restricted.size(), static_cast<int>(b) == chosen ? "   <- chosen" : "");
  }
  const PrimBox& best = p.trajectory[static_cast<std::size_t>(chosen)];
  DiscoveryTable t;
  t.name = o.name.empty() ? fmt::format("{}_{}_{}", o.output, o.above ? "above" : "below", number_name(threshold)) : o.name;
  t.output = o.output;
  t.condition = condition;
  t.chosen = chosen;
  std::cout << fmt::format("\nbox {}: {:.0f}% of the cases are inside it (coverage), {:.0f}% of the runs inside it are "
                           "cases (density; {:.0f}% over all runs), {:.0f}% of all runs (mass):\n",
                           chosen, 100 * best.coverage, 100 * best.density,
                           100.0 * p.cases / std::max(1, p.points), 100 * best.mass);
  for (int k : best.restricted) {
    t.chosen_box.push_back(bounds_text(h, static_cast<std::size_t>(k), best));
    std::cout << "  " << t.chosen_box.back() << "\n";
  }
  if (best.restricted.empty()) std::cout << "  (no parameter restricted: the cases are spread over the whole sweep)\n";
  for (const auto& box : p.trajectory) {
    t.coverage.push_back(box.coverage);
    t.density.push_back(box.density);
    t.mass.push_back(box.mass);
    t.points.push_back(box.points);
    t.cases.push_back(box.cases);
    t.lo.push_back(box.lo);
    t.hi.push_back(box.hi);
  }
  t.numbers = {{"threshold", threshold},  {"runs", p.points},         {"cases", p.cases},
               {"runs_left_out", dropped}, {"peel_alpha", o.peel_alpha}, {"paste_alpha", o.paste_alpha},
               {"min_mass", o.min_mass},   {"peels", p.peels},           {"pasted", p.pasted ? 1 : 0}};
  write_discovery(o.file, t, h.parameters);
  std::cout << fmt::format("\ntrajectory written to {} (/discovery/{})\n", o.file, t.name);
  return 0;
}

}  // namespace lokalmat
