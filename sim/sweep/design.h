#pragma once
// Sweep designs: which parameter values each run of a sweep uses.
//
// Every design is a list of points; a point gives one value per factor (a
// scenario key, or x1..xk of a test model). Points are also kept in the unit
// cube [0,1]^k, which is what the sensitivity estimators work on.
//   factorial  every combination of the factors' `values` lists, once
//   lhs        Latin hypercube: n points, exactly one in each of the n equal strata of every factor
//   sobol      Saltelli (2010) scheme on Boost.Random's Sobol sequence of dimension 2k
//              (first point, the origin, skipped): per base point b the block
//              A_b, B_b, AB_b^(1) .. AB_b^(k)  (AB^(i) = A with column i taken from B), n (k+2) points;
//              with second_order also BA_b^(1) .. BA_b^(k) (B with column i taken from A,
//              Saltelli 2002), n (2k+2) points
//   morris     r Morris (1991) trajectories of k+1 points on a p-level grid, step
//              delta = p / (2 (p - 1)); consecutive points differ in exactly one factor
// Blocks (sobol: k+2 points, or 2k+2 with second_order; morris: k+1; others: 1) are stored consecutively.
//
// Details the definitions above leave open:
//   factorial  the last factor varies fastest; a level's unit coordinate is its position
//              in the list, j / (levels - 1) (0.5 for a factor with a single level)
//   lhs        per factor a random permutation of the strata and a uniform jitter within
//              each, drawn from Philox (Stream::design) with its own counters per factor
//   sobol      Boost's engine already starts after the origin (first point 0.5, ..., 0.5);
//              u = the engine's 64-bit integer / 2^64, cut to 53 bits so that u < 1
//   morris     p must be even (p/2 grid steps per move, so every point is on the grid);
//              the B* construction: random base x* with x* + delta <= 1, a random
//              direction per factor (up from x*, or down from x* + delta) and a random
//              order of the factors; one Philox counter range per trajectory
// Bad input (no factors, lo >= hi, n < 1, an empty values list, p < 2 or odd,
// replicates < 1) throws std::invalid_argument naming the design and the factor.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lokalmat::sweep {

enum class DesignKind { factorial, lhs, sobol, morris };
std::string_view design_name(DesignKind k);

struct Factor {
  std::string key;              // scenario key path, e.g. "municipalities.horten.hub.fee_nok_per_kg", or "x1"
  std::string unit;             // from the scenario schema ("" for test models)
  std::vector<double> values;   // factorial: the levels (at least one); categorical: 0 .. L-1
  double lo = 0, hi = 1;        // lhs, sobol, morris: the range (lo < hi); categorical: 0 .. L
  bool integer = false;         // an integer key: values are rounded to the nearest integer
  // a categorical factor (a rule's name, a yes/no key, a scenario file): its L levels; the
  // design's value is the level's index, and a sampled u in [0, 1) takes level floor(u L)
  std::vector<std::string> choices;
  // how a level is written as a scenario value: a TOML string (a text key), a list of strings
  // (a list key; the level names its elements joined by '+'), or as it is (true, false; a file)
  enum class Form { bare, text, text_list } form = Form::bare;
  [[nodiscard]] bool categorical() const { return !choices.empty(); }
};

// a categorical factor's L levels as a factor: values 0 .. L-1, range 0 .. L
Factor categorical_factor(std::string key, std::vector<std::string> choices);

struct Design {
  DesignKind kind = DesignKind::factorial;
  int k = 0;                                // number of factors
  int block_size = 1;                       // sobol: k+2 (2k+2 with second order), morris: k+1, else 1
  std::vector<std::vector<double>> unit;    // [point][factor] in [0,1]
  std::vector<std::vector<double>> values;  // [point][factor] the value the run uses
  [[nodiscard]] std::int64_t points() const { return static_cast<std::int64_t>(values.size()); }
  [[nodiscard]] std::int64_t blocks() const { return points() / block_size; }
};

// value of a factor at unit coordinate u (lo + u (hi - lo), rounded for integer factors;
// categorical: the level index floor(u L), at most L - 1)
double factor_value(const Factor& f, double u);

Design factorial(const std::vector<Factor>& factors);
Design latin_hypercube(const std::vector<Factor>& factors, int n, std::uint64_t seed);
Design saltelli(const std::vector<Factor>& factors, int n_base, bool second_order = false);
Design morris(const std::vector<Factor>& factors, int trajectories, int levels, std::uint64_t seed);

// Runs: run id = point x replicates + replicate. The execution order puts every
// point of replicate 0 first, then replicate 1, ...; within a replicate the blocks
// come in an order that spreads over the design (factorial and lhs: the bit-reversal
// permutation of the point index; sobol and morris: block order, the Sobol sequence
// and the random trajectories being spread already), so a sweep stopped early still
// covers the whole design.
std::vector<std::int64_t> run_order(const Design& d, int replicates);

}  // namespace lokalmat::sweep
