#pragma once
// PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), for scenario
// discovery over a sweep: which box of input values holds the runs of interest
// (a policy that fails, a market that collapses)? A pure function over a table of
// points, as the EMA Workbench's `prim` module does it with the original objective.
//
// Peeling: start from the box holding every point. Each step tries, per input,
//   numeric:     a lower peel (drop the points below the peel_alpha quantile of the
//                input among the box's points) and an upper peel (above the
//                1 - peel_alpha quantile);
//   categorical: dropping one kept level (each one, while more than one is kept),
// and takes the peel leaving the highest density (share of the box's points that
// are of interest). Ties: the peel removing fewer points, then the lower input index,
// then lower before upper (categorical: the lower level). It stops when that peel
// would leave a mass below min_mass, when no peel removes a point, or when the box's
// density is 1. Every box is kept: the trajectory.
// Pasting (Friedman & Fisher §8): from the last peeled box, each step tries to widen
// one bound of one numeric input by paste_alpha of the box's points (the nearest
// points outside the box on that input alone) or to add back one dropped level, and
// takes the widening that raises density most (ties: fewer points added, then as for
// peels), while density rises. The pasted box is appended when pasting changed it.
//
// Why it is built so:
//   - Densities are compared exactly, as fractions of integer counts, so a tie is a
//     tie on every machine and the trajectory is the same bit for bit.
//   - A box is its bounds; its points are those inside them, recounted from the data.
//     A bound is always a data value: after a peel, the min (max) of the points kept
//     along that input; an input never peeled keeps the data's min and max.
//   - Tied values are never split: a quantile cut keeps the whole group at the cut
//     value. The cut drops the m = max(1, floor(alpha n)) lowest points of n, less any
//     that are tied with the (m+1)-th; when that drops nothing (the lowest value holds
//     more than m points) it drops the lowest group instead, as the EMA Workbench does
//     for integer inputs, so an input on a few levels (a factorial design) can still be
//     peeled. An input whose points in the box all share one value is not peeled.
//     Pasting likewise adds whole groups: up to the m-th nearest point and its ties.
//   - The EMA Workbench's default objective ("lenient1") divides the gain in density by
//     the points removed; this is the original objective (density of the new box),
//     which is the one Friedman & Fisher analyse.
//
// Chosen box: the highest density among boxes with mass >= min_mass (every box of the
// trajectory has); ties: the larger coverage, then the earlier box.
// Points with a NaN input are left out (a failed run). std::invalid_argument when the
// sizes differ, no point or no case of interest remains, a categorical value is not
// a level index, an alpha is outside (0, 0.5) or min_mass outside (0, 1].
#include <string>
#include <vector>

namespace lokalmat {

struct PrimInput {             // one input dimension
  std::string name;            // for messages
  bool categorical = false;    // categorical: values are level indices 0..levels-1
  int levels = 0;              // categorical: number of levels (>= 1)
};

struct PrimBox {
  // per input [k]: numeric: the bounds, both inclusive; categorical: the lowest and
  // highest kept level (the kept set is in `levels`)
  std::vector<double> lo, hi;
  std::vector<std::vector<int>> levels;  // [k] categorical: kept levels, ascending (all at the start); numeric: empty
  double coverage = 0;           // cases of interest inside / all cases of interest
  double density = 0;            // cases of interest inside / points inside
  double mass = 0;               // points inside / all points used
  int points = 0;                // points inside
  int cases = 0;                 // cases of interest inside
  std::vector<int> restricted;   // inputs whose bounds are narrower than the data's range (fewer levels kept), ascending
};

struct PrimOptions {
  double peel_alpha = 0.05;   // share of the box's points one peel removes, in (0, 0.5)
  double paste_alpha = 0.05;  // share of the box's points one paste adds, in (0, 0.5)
  double min_mass = 0.05;     // smallest share of all points a box may hold, in (0, 1]
  bool paste = true;          // run the pasting phase
};

struct PrimResult {
  std::vector<PrimBox> trajectory;  // box 0 = all points, one per peel, then the pasted box if pasting changed the last
  int peels = 0;                    // boxes from peeling (trajectory indices 1..peels)
  bool pasted = false;              // the last box is the pasted one
  int chosen = 0;                   // index into trajectory (see above)
  int cases = 0;                    // cases of interest among the points used
  int points = 0;                   // points used (those without a NaN input)
};

// x: [n][k] input values; interest: [n], 1 = case of interest, 0 = not; inputs: [k]
PrimResult prim(const std::vector<std::vector<double>>& x, const std::vector<char>& interest,
                const std::vector<PrimInput>& inputs, const PrimOptions& options = {});

}  // namespace lokalmat
