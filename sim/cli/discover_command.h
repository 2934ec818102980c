#pragma once
// `lokalmat discover SWEEP.h5 --output NAME --above X` (or --below X): scenario discovery by
// PRIM (results/prim.h) over a sweep's runs. "In which box of the inputs does the output exceed
// the target?": every finished run is a point (its design point's parameter values; a choice by
// its level), a case of interest when its output is above (below) the threshold. Prints the
// peeling trajectory (coverage, density, mass of each box) and the chosen box, parameter by
// parameter, and writes both to the sweep file's /discovery/<name> (results/sweep_store.h).
#include <optional>
#include <string>

namespace lokalmat {

struct DiscoverOptions {
  std::string file;
  std::string output;                  // a kept output of the sweep
  std::optional<double> above, below;  // the case of interest: output > above, or output < below
  std::string name;                    // /discovery/<name>; default <output>_above_<x> / _below_<x>
  double peel_alpha = 0.05;
  double paste_alpha = 0.05;
  double min_mass = 0.05;
  std::optional<double> min_density;   // choose the box of largest coverage with at least this density
  bool paste = true;
  bool partial = false;
};

int discover_command(const DiscoverOptions& o);

}  // namespace lokalmat
