#pragma once
// `lokalmat analyze SWEEP.h5`: the sensitivity analysis of a sweep file, printed and
// written into the file's /analysis group (results/sweep_store.h).
//
// By design: sobol -> S1 (Saltelli 2010 and Jansen), ST (Jansen), and S2 (Saltelli 2002)
// when the sweep has the second-order design; morris -> mu, mu*, sigma; lhs and
// factorial -> PAWN (moment-independent) and SRRC (standardised rank regression). The
// estimators are in results/sensitivity.h.
//
// For every output it states what it used: the runs (a failed run, or one whose output is
// not finite, is dropped, with the reasons counted), the points or blocks left, the share
// of the variance between runs that is seed noise (when points have replicates; the
// indices use each point's mean over its finished replicates), and a warning when the
// dropped runs cluster in a region of an input (the indices then describe the rest).
#include <cstdint>
#include <string>

namespace lokalmat {

struct AnalyzeOptions {
  std::string file;
  int bootstrap = 1000;
  double confidence = 0.95;
  std::uint64_t seed = 1;
  int slices = 10;       // PAWN: groups per factor
  bool partial = false;  // also analyse an unfinished sweep (complete = 0): only whole blocks are used
};

int analyze_command(const AnalyzeOptions& o);

}  // namespace lokalmat
