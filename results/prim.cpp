#include "results/prim.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <stdexcept>

namespace lokalmat {
namespace {

// floor(alpha n) of a share computed in doubles: 0.07 * 100 is 7.000000000000001 but
// 0.29 * 100 is 28.999999999999996, so nudge up before flooring
constexpr double kCountSlack = 1e-9;

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("prim: " + message);
}

// the points used (no NaN input), one column per input
struct Table {
  std::size_t n = 0;                         // points used
  std::size_t k = 0;                         // inputs
  std::vector<std::vector<double>> column;   // [k][n] input values
  std::vector<char> interest;                // [n] 1 = case of interest
  std::vector<double> min, max;              // [k] the data's range per input
  std::int64_t cases = 0;                    // cases of interest
};

// a box as the algorithm moves it; its points are the ones inside these bounds
struct Bounds {
  std::vector<double> lo, hi;             // [k] numeric: inclusive bounds
  std::vector<std::vector<char>> kept;    // [k][levels] categorical: 1 = level kept
};

// points and cases of interest (inside a box, or removed or added by a move)
struct Count {
  std::int64_t points = 0;
  std::int64_t cases = 0;
};

// density a > density b, exactly (cross-multiplied counts; both boxes non-empty)
bool denser(Count a, Count b) { return a.cases * b.points > b.cases * a.points; }
bool as_dense(Count a, Count b) { return a.cases * b.points == b.cases * a.points; }

// one candidate peel or paste: the input it moves and the box it leads to
struct Move {
  std::size_t input = 0;
  Bounds next;
  Count change;  // points and cases removed (peel) or added (paste)
  Count after;   // inside the new box
};

// the shared preference: the denser new box, then the smaller change; a move found
// later (higher input, upper side, higher level) must be strictly better to win
bool better(const Move& a, const Move& b) {
  if (denser(a.after, b.after)) return true;
  return as_dense(a.after, b.after) && a.change.points < b.change.points;
}

std::size_t level_of(double value) { return static_cast<std::size_t>(value); }

bool inside(const Table& t, const std::vector<PrimInput>& inputs, const Bounds& b, std::size_t i) {
  for (std::size_t j = 0; j < t.k; ++j) {
    const double v = t.column[j][i];
    if (inputs[j].categorical ? !b.kept[j][level_of(v)] : (v < b.lo[j] || v > b.hi[j])) return false;
  }
  return true;
}

// the inputs on which point i lies outside box b
std::size_t violations(const Table& t, const std::vector<PrimInput>& inputs, const Bounds& b, std::size_t i,
                       std::size_t& last) {
  std::size_t count = 0;
  for (std::size_t j = 0; j < t.k; ++j) {
    const double v = t.column[j][i];
    if (inputs[j].categorical ? !b.kept[j][level_of(v)] : (v < b.lo[j] || v > b.hi[j])) {
      ++count;
      last = j;
    }
  }
  return count;
}

std::vector<std::size_t> members(const Table& t, const std::vector<PrimInput>& inputs, const Bounds& b) {
  std::vector<std::size_t> in;
  for (std::size_t i = 0; i < t.n; ++i)
    if (inside(t, inputs, b, i)) in.push_back(i);
  return in;
}

Count count_of(const Table& t, const std::vector<std::size_t>& points) {
  Count c;
  c.points = static_cast<std::int64_t>(points.size());
  for (std::size_t i : points) c.cases += t.interest[i];
  return c;
}

// the box as reported: shares recounted from the points inside its bounds
PrimBox describe(const Table& t, const std::vector<PrimInput>& inputs, const Bounds& b) {
  PrimBox box;
  box.lo = b.lo;
  box.hi = b.hi;
  box.levels.resize(t.k);
  for (std::size_t j = 0; j < t.k; ++j) {
    if (inputs[j].categorical) {
      for (std::size_t l = 0; l < b.kept[j].size(); ++l)
        if (b.kept[j][l]) box.levels[j].push_back(static_cast<int>(l));
      box.lo[j] = box.levels[j].empty() ? 0 : box.levels[j].front();
      box.hi[j] = box.levels[j].empty() ? 0 : box.levels[j].back();
      if (box.levels[j].size() < b.kept[j].size()) box.restricted.push_back(static_cast<int>(j));
    } else if (b.lo[j] > t.min[j] || b.hi[j] < t.max[j]) {
      box.restricted.push_back(static_cast<int>(j));
    }
  }
  const Count c = count_of(t, members(t, inputs, b));
  box.points = static_cast<int>(c.points);
  box.cases = static_cast<int>(c.cases);
  box.mass = static_cast<double>(c.points) / static_cast<double>(t.n);
  box.coverage = static_cast<double>(c.cases) / static_cast<double>(t.cases);
  box.density = c.points > 0 ? static_cast<double>(c.cases) / static_cast<double>(c.points) : 0.0;
  return box;
}

// check the arguments and gather the points without a NaN input
Table read_table(const std::vector<std::vector<double>>& x, const std::vector<char>& interest,
                 const std::vector<PrimInput>& inputs, const PrimOptions& o) {
  require(!inputs.empty(), "no inputs given");
  require(x.size() == interest.size(), std::to_string(x.size()) + " points but " + std::to_string(interest.size()) +
                                           " interest flags");
  require(o.peel_alpha > 0.0 && o.peel_alpha < 0.5,
          "peel_alpha = " + std::to_string(o.peel_alpha) + ", must lie strictly between 0 and 0.5");
  require(o.paste_alpha > 0.0 && o.paste_alpha < 0.5,
          "paste_alpha = " + std::to_string(o.paste_alpha) + ", must lie strictly between 0 and 0.5");
  require(o.min_mass > 0.0 && o.min_mass <= 1.0,
          "min_mass = " + std::to_string(o.min_mass) + ", must lie in (0, 1]");
  for (const PrimInput& in : inputs)
    require(!in.categorical || in.levels >= 1,
            "categorical input '" + in.name + "' has " + std::to_string(in.levels) + " levels, at least 1 needed");

  Table t;
  t.k = inputs.size();
  t.column.resize(t.k);
  for (std::size_t i = 0; i < x.size(); ++i) {
    require(x[i].size() == t.k, "point " + std::to_string(i) + " has " + std::to_string(x[i].size()) +
                                    " values, " + std::to_string(t.k) + " inputs given");
    require(interest[i] == 0 || interest[i] == 1,
            "interest of point " + std::to_string(i) + " is " + std::to_string(int{interest[i]}) + ", must be 0 or 1");
    // a failed run leaves NaN: it has no place in any box
    if (std::any_of(x[i].begin(), x[i].end(), [](double v) { return std::isnan(v); })) continue;
    for (std::size_t j = 0; j < t.k; ++j) {
      const double v = x[i][j];
      if (inputs[j].categorical)
        require(v >= 0 && v < inputs[j].levels && v == std::floor(v),
                "point " + std::to_string(i) + ": categorical input '" + inputs[j].name + "' has value " +
                    std::to_string(v) + ", not a level index in 0.." + std::to_string(inputs[j].levels - 1));
      t.column[j].push_back(v);
    }
    t.interest.push_back(interest[i]);
    t.cases += interest[i];
  }
  t.n = t.interest.size();
  require(t.n > 0, "no points without a NaN input among " + std::to_string(x.size()));
  require(t.cases > 0, "no case of interest among the " + std::to_string(t.n) + " points used");

  t.min.resize(t.k);
  t.max.resize(t.k);
  for (std::size_t j = 0; j < t.k; ++j) {
    const auto [lo, hi] = std::minmax_element(t.column[j].begin(), t.column[j].end());
    t.min[j] = *lo;
    t.max[j] = *hi;
  }
  return t;
}

// m = max(1, floor(alpha n)): how many of n points a peel or paste moves
std::size_t step_points(double alpha, std::size_t n) {
  const auto m = static_cast<std::size_t>(std::floor(alpha * static_cast<double>(n) + kCountSlack));
  return std::max<std::size_t>(1, m);
}

// the candidate peels of box b (points `in`, counts `now`), in the tie-break order
std::vector<Move> peels(const Table& t, const std::vector<PrimInput>& inputs, const Bounds& b,
                        const std::vector<std::size_t>& in, Count now, double alpha) {
  std::vector<Move> moves;
  // a move removing the points of `in` for which `removed` holds
  const auto add = [&](std::size_t j, Bounds next, const std::function<bool(std::size_t)>& removed) {
    Move mv{j, std::move(next), {}, {}};
    for (std::size_t i : in)
      if (removed(i)) {
        ++mv.change.points;
        mv.change.cases += t.interest[i];
      }
    mv.after = {now.points - mv.change.points, now.cases - mv.change.cases};
    if (mv.change.points > 0 && mv.after.points > 0) moves.push_back(std::move(mv));
  };

  const std::size_t nb = in.size();
  for (std::size_t j = 0; j < t.k; ++j) {
    const std::vector<double>& col = t.column[j];
    if (inputs[j].categorical) {
      // drop one kept level, while more than one is kept
      const auto kept = std::count(b.kept[j].begin(), b.kept[j].end(), char{1});
      if (kept < 2) continue;
      for (std::size_t l = 0; l < b.kept[j].size(); ++l) {
        if (!b.kept[j][l]) continue;
        Bounds next = b;
        next.kept[j][l] = 0;
        add(j, std::move(next), [&](std::size_t i) { return level_of(col[i]) == l; });
      }
      continue;
    }
    if (nb < 2) continue;
    std::vector<double> v;
    v.reserve(nb);
    for (std::size_t i : in) v.push_back(col[i]);
    std::sort(v.begin(), v.end());
    const std::size_t m = step_points(alpha, nb);  // < nb / 2 as alpha < 0.5, so v[m] exists

    // lower peel: drop the values below v[m], keeping its tied group whole; when that
    // drops nothing, the lowest group; nothing when all values are tied
    auto keep_from = static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), v[m]) - v.begin());
    if (keep_from == 0) keep_from = static_cast<std::size_t>(std::upper_bound(v.begin(), v.end(), v[0]) - v.begin());
    if (keep_from < nb) {
      Bounds next = b;
      next.lo[j] = v[keep_from];
      const double lo = next.lo[j];
      add(j, std::move(next), [&](std::size_t i) { return col[i] < lo; });
    }

    // upper peel, the mirror image: drop the values above v[nb - 1 - m]
    auto keep_to = static_cast<std::size_t>(std::upper_bound(v.begin(), v.end(), v[nb - 1 - m]) - v.begin());
    if (keep_to == nb) keep_to = static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), v[nb - 1]) - v.begin());
    if (keep_to > 0) {
      Bounds next = b;
      next.hi[j] = v[keep_to - 1];
      const double hi = next.hi[j];
      add(j, std::move(next), [&](std::size_t i) { return col[i] > hi; });
    }
  }
  return moves;
}

// the candidate pastes of box b (counts `now`), in the tie-break order: the points a
// paste may add lie outside the box on the pasted input alone
std::vector<Move> pastes(const Table& t, const std::vector<PrimInput>& inputs, const Bounds& b, Count now,
                         double alpha) {
  // per input, the points outside the box on that input only
  std::vector<std::vector<std::size_t>> outside_on(t.k);
  for (std::size_t i = 0; i < t.n; ++i) {
    std::size_t j = 0;
    if (violations(t, inputs, b, i, j) == 1) outside_on[j].push_back(i);
  }

  std::vector<Move> moves;
  const std::size_t m = step_points(alpha, static_cast<std::size_t>(now.points));
  const auto add = [&](std::size_t j, Bounds next, const std::vector<std::size_t>& added) {
    Move mv{j, std::move(next), count_of(t, added), {}};
    mv.after = {now.points + mv.change.points, now.cases + mv.change.cases};
    if (mv.change.points > 0) moves.push_back(std::move(mv));
  };

  for (std::size_t j = 0; j < t.k; ++j) {
    const std::vector<double>& col = t.column[j];
    if (inputs[j].categorical) {
      // add back one dropped level
      for (std::size_t l = 0; l < b.kept[j].size(); ++l) {
        if (b.kept[j][l]) continue;
        std::vector<std::size_t> added;
        for (std::size_t i : outside_on[j])
          if (level_of(col[i]) == l) added.push_back(i);
        Bounds next = b;
        next.kept[j][l] = 1;
        add(j, std::move(next), added);
      }
      continue;
    }
    // widen a bound to the m-th nearest value outside it, with all its ties
    std::vector<double> below, above;
    for (std::size_t i : outside_on[j]) (col[i] < b.lo[j] ? below : above).push_back(col[i]);
    std::sort(below.begin(), below.end(), std::greater<>());
    std::sort(above.begin(), above.end());
    if (!below.empty()) {
      Bounds next = b;
      next.lo[j] = below[std::min(m, below.size()) - 1];
      std::vector<std::size_t> added;
      for (std::size_t i : outside_on[j])
        if (col[i] >= next.lo[j] && col[i] < b.lo[j]) added.push_back(i);
      add(j, std::move(next), added);
    }
    if (!above.empty()) {
      Bounds next = b;
      next.hi[j] = above[std::min(m, above.size()) - 1];
      std::vector<std::size_t> added;
      for (std::size_t i : outside_on[j])
        if (col[i] <= next.hi[j] && col[i] > b.hi[j]) added.push_back(i);
      add(j, std::move(next), added);
    }
  }
  return moves;
}

// the best of the moves under `better` (the first found among equals); null when none
const Move* best_of(const std::vector<Move>& moves) {
  const Move* best = nullptr;
  for (const Move& m : moves)
    if (best == nullptr || better(m, *best)) best = &m;
  return best;
}

}  // namespace

PrimResult prim(const std::vector<std::vector<double>>& x, const std::vector<char>& interest,
                const std::vector<PrimInput>& inputs, const PrimOptions& options) {
  const Table t = read_table(x, interest, inputs, options);

  // box 0: every point; numeric bounds at the data's range, every level kept
  Bounds box;
  box.lo = t.min;
  box.hi = t.max;
  box.kept.resize(t.k);
  for (std::size_t j = 0; j < t.k; ++j)
    if (inputs[j].categorical) box.kept[j].assign(static_cast<std::size_t>(inputs[j].levels), 1);

  PrimResult result;
  result.cases = static_cast<int>(t.cases);
  result.points = static_cast<int>(t.n);
  result.trajectory.push_back(describe(t, inputs, box));

  // peeling: the densest peel while the box keeps min_mass and is not pure
  std::vector<std::size_t> in = members(t, inputs, box);
  Count now = count_of(t, in);
  while (now.cases < now.points) {
    const std::vector<Move> moves = peels(t, inputs, box, in, now, options.peel_alpha);
    const Move* best = best_of(moves);
    if (best == nullptr) break;
    const double mass = static_cast<double>(best->after.points) / static_cast<double>(t.n);
    if (mass < options.min_mass) break;
    box = best->next;
    in = members(t, inputs, box);
    now = count_of(t, in);
    result.trajectory.push_back(describe(t, inputs, box));
    ++result.peels;
  }

  // pasting: the widening that raises density most, while one does
  if (options.paste) {
    bool changed = false;
    for (;;) {
      const std::vector<Move> moves = pastes(t, inputs, box, now, options.paste_alpha);
      const Move* best = best_of(moves);
      if (best == nullptr || !denser(best->after, now)) break;
      box = best->next;
      now = count_of(t, members(t, inputs, box));
      changed = true;
    }
    if (changed) {
      result.trajectory.push_back(describe(t, inputs, box));
      result.pasted = true;
    }
  }

  // chosen: the densest box of enough mass; ties: more cases (coverage), then the earlier
  for (std::size_t b = 1; b < result.trajectory.size(); ++b) {
    const PrimBox& cand = result.trajectory[b];
    const PrimBox& best = result.trajectory[static_cast<std::size_t>(result.chosen)];
    if (cand.mass < options.min_mass) continue;
    const Count c{cand.points, cand.cases}, d{best.points, best.cases};
    if (denser(c, d) || (as_dense(c, d) && c.cases > d.cases)) result.chosen = static_cast<int>(b);
  }
  return result;
}

}  // namespace lokalmat
