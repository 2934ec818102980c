#include "sim/cli/analyze_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>
#include <map>
#include <stdexcept>

#include "results/calibration_store.h"
#include "results/sensitivity.h"
#include "sim/sweep/abc.h"
#include "results/sweep_store.h"
#include "sim/scenario.h"

namespace lokalmat {

namespace {

// one output's runs as the analysis sees them
struct OutputRuns {
  std::vector<double> point_mean;                  // [P] mean over the usable replicates, NaN when none
  std::vector<double> values;                      // the usable runs' values
  std::vector<std::int64_t> points;                // and their points
  int runs = 0, failed = 0, not_finite = 0;        // of the finished (or failed) runs in the file
  struct Reason {
    std::string text;     // the first message of its kind
    int runs = 0;
    bool differ = false;  // the kind's messages differ (in their numbers)
  };
  std::vector<Reason> reasons;  // why runs were dropped, most frequent first
  std::vector<std::vector<double>> dropped_unit, kept_unit;  // per run, unit coordinates
  std::vector<std::int64_t> dropped_points;
  [[nodiscard]] int used() const { return runs - failed - not_finite; }
  [[nodiscard]] int dropped() const { return failed + not_finite; }
};

OutputRuns gather(const SweepFile& f, std::size_t output) {
  const SweepHeader& h = f.header;
  const std::size_t P = h.design_values.size();
  OutputRuns o;
  std::vector<double> sum(P, 0), n(P, 0);
  // reasons counted by their wording with the numbers left out (each failed run names its own value)
  std::map<std::string, OutputRuns::Reason> why;
  const auto count = [&why](const std::string& reason) {
    std::string key;
    for (std::size_t i = 0; i < reason.size(); ++i) {
      const bool digit = std::isdigit(static_cast<unsigned char>(reason[i])) != 0;
      if (digit && (key.empty() || key.back() != '#')) key += '#';
      else if (!digit && !(reason[i] == '.' && !key.empty() && key.back() == '#')) key += reason[i];
    }
    OutputRuns::Reason& r = why[key];
    if (r.runs++ == 0) r.text = reason;
    else r.differ = r.differ || reason != r.text;
  };
  for (const auto& r : f.records) {
    ++o.runs;
    const auto p = static_cast<std::size_t>(r.point);
    const double v = r.ok ? r.outputs[output] : NAN;
    if (r.ok && std::isfinite(v)) {
      sum[p] += v;
      n[p] += 1;
      o.values.push_back(v);
      o.points.push_back(r.point);
      o.kept_unit.push_back(h.design_unit[p]);
      continue;
    }
    if (!r.ok) {
      ++o.failed;
      count("failed: " + (r.message.empty() ? std::string("(no message)") : r.message));
    } else {
      ++o.not_finite;
      count("the output is not a number (e.g. a share of nothing)");
    }
    o.dropped_unit.push_back(h.design_unit[p]);
    o.dropped_points.push_back(r.point);
  }
  o.point_mean.resize(P);
  for (std::size_t i = 0; i < P; ++i) o.point_mean[i] = n[i] > 0 ? sum[i] / n[i] : NAN;
  for (const auto& [key, reason] : why) o.reasons.push_back(reason);
  std::stable_sort(o.reasons.begin(), o.reasons.end(), [](const auto& a, const auto& b) { return a.runs > b.runs; });
  return o;
}

std::string ci(const Estimate& e) { return fmt::format("{:8.4f} [{:7.4f}, {:7.4f}]", e.value, e.lo, e.hi); }

// what the tables' attributes record of the runs behind them
struct RunFacts {
  std::vector<std::pair<std::string, double>> numbers;
  std::vector<std::pair<std::string, std::string>> texts;
};

// prints "runs: ..." and the reasons, the seed share, and the warnings about where drops lie;
// returns the same facts for the tables' attributes
RunFacts report_runs(const SweepFile& f, const OutputRuns& o) {
  const SweepHeader& h = f.header;
  std::string runs = fmt::format("runs: {} of {} used", o.used(), o.runs);
  std::string reasons;
  if (o.dropped() > 0) {
    runs += fmt::format("; {} dropped ({} failed, {} without a finite value)", o.dropped(), o.failed, o.not_finite);
    for (std::size_t i = 0; i < o.reasons.size(); ++i) {
      if (i == 3) {
        reasons += fmt::format("; and {} other reasons", o.reasons.size() - 3);
        break;
      }
      reasons += fmt::format("{}{} x {}{}", i > 0 ? "; " : "", o.reasons[i].runs, o.reasons[i].text,
                             o.reasons[i].differ ? " (the first of them; the values differ)" : "");
    }
  }
  if (!f.complete) runs += fmt::format("; the sweep is unfinished ({} of {} runs done)", f.records.size(), h.n_runs);
  std::cout << runs << "\n";
  if (!reasons.empty()) std::cout << "  dropped: " << reasons << "\n";

  const SeedShare seeds = seed_variance_share(o.values, o.points);
  std::string seed_line;
  if (h.replicates < 2)
    seed_line = "seed noise: not measured (1 replicate per point; replicates >= 2 separates it from the parameters' effects)";
  else if (seeds.points == 0 || !std::isfinite(seeds.share))
    seed_line = "seed noise: not measured (no point has two finished replicates with varying values)";
  else
    seed_line = fmt::format("seed noise: {:.1f}% of the variance between runs (within-point variance over {} points "
                            "with {} replicates); the indices use each point's mean over its replicates",
                            100 * seeds.share, seeds.points, h.replicates);
  std::cout << seed_line << "\n";

  std::string warnings;
  const int k = static_cast<int>(h.parameters.size());
  for (const DropCluster& c : clustered_drops(o.dropped_unit, o.kept_unit, k)) {
    const auto fi = static_cast<std::size_t>(c.factor);
    double lo = INFINITY, hi = -INFINITY;
    for (std::int64_t p : o.dropped_points) {
      lo = std::min(lo, h.design_values[static_cast<std::size_t>(p)][fi]);
      hi = std::max(hi, h.design_values[static_cast<std::size_t>(p)][fi]);
    }
    const std::string w = fmt::format(
        "the dropped runs cluster in {} ({:.4g} to {:.4g} {}, {:.0f}-{:.0f}% of its swept range; KS p = {:.3g}): the "
        "indices describe the rest of the inputs only",
        h.parameters[fi], lo, hi, h.parameter_units[fi].empty() ? "" : h.parameter_units[fi], 100 * c.lo, 100 * c.hi,
        c.p);
    std::cout << "warning: " << w << "\n";
    warnings += (warnings.empty() ? "" : "\n") + w;
  }
  return {{{"runs", o.runs},
           {"runs_used", o.used()},
           {"runs_failed", o.failed},
           {"runs_not_finite", o.not_finite},
           {"seed_variance_share", seeds.share},
           {"seed_points", seeds.points}},
          {{"dropped_reasons", reasons}, {"warnings", warnings}}};
}

std::size_t name_width(const SweepHeader& h) {
  std::size_t width = 9;
  for (const auto& p : h.parameters) width = std::max(width, p.size());
  return width;
}

void analyze_sobol(const AnalyzeOptions& o, const SweepHeader& h, const OutputRuns& runs, AnalysisTable& t) {
  const int k = static_cast<int>(h.parameters.size());
  const bool second = h.block_size == 2 * k + 2;
  const SobolResult s = sobol_indices(runs.point_mean, k, o.bootstrap, o.confidence, o.seed, second);
  const std::size_t width = name_width(h);
  const auto blocks = static_cast<std::int64_t>(runs.point_mean.size()) / h.block_size;
  t.used = s.blocks_used;
  t.numbers.emplace_back("blocks", static_cast<double>(blocks));
  t.columns = {"S1", "S1_lo", "S1_hi", "S1_jansen", "S1_jansen_lo", "S1_jansen_hi", "ST", "ST_lo", "ST_hi"};
  std::cout << fmt::format("Sobol indices from {} of {} base points (a base point is left out when any of its {} runs "
                           "is), {:.0f}% bootstrap intervals ({} resamples); variance {:.6g}\n",
                           s.blocks_used, blocks, h.block_size, 100 * o.confidence, o.bootstrap, s.variance);
  std::cout << fmt::format("{:<{}}  {:>27}  {:>27}  {:>27}\n", "parameter", width, "S1 (Saltelli 2010)", "S1 (Jansen)",
                           "ST (Jansen)");
  for (int i = 0; i < k; ++i) {
    const auto iu = static_cast<std::size_t>(i);
    const auto &a = s.s1_saltelli[iu], &b = s.s1_jansen[iu], &c = s.st_jansen[iu];
    t.values.push_back({a.value, a.lo, a.hi, b.value, b.lo, b.hi, c.value, c.lo, c.hi});
    std::cout << fmt::format("{:<{}}  {}  {}  {}\n", h.parameters[iu], width, ci(a), ci(b), ci(c));
  }
  if (!second) return;
  std::vector<std::vector<double>> s2(s.s2.size()), lo(s.s2.size()), hi(s.s2.size());
  std::cout << "second-order indices S2 (Saltelli 2002), every pair:\n";
  for (std::size_t i = 0; i < s.s2.size(); ++i)
    for (std::size_t j = 0; j < s.s2.size(); ++j) {
      s2[i].push_back(s.s2[i][j].value);
      lo[i].push_back(s.s2[i][j].lo);
      hi[i].push_back(s.s2[i][j].hi);
      if (j > i)
        std::cout << fmt::format("{:<{}}  {}\n", h.parameters[i] + " x " + h.parameters[j], 2 * width + 3, ci(s.s2[i][j]));
    }
  t.matrices = {{"S2", s2}, {"S2_lo", lo}, {"S2_hi", hi}};
}

void analyze_morris(const AnalyzeOptions& o, const SweepHeader& h, const OutputRuns& runs, AnalysisTable& t) {
  const int k = static_cast<int>(h.parameters.size());
  const MorrisResult m = morris_indices(runs.point_mean, h.design_unit, k, o.bootstrap, o.confidence, o.seed);
  const std::size_t width = name_width(h);
  t.used = m.trajectories_used;
  t.numbers.emplace_back("blocks", static_cast<double>(runs.point_mean.size() / static_cast<std::size_t>(h.block_size)));
  t.columns = {"mu", "mu_star", "mu_star_lo", "mu_star_hi", "sigma"};
  std::cout << fmt::format("Morris elementary effects from {} of {} trajectories (per unit of the scaled range 0..1), "
                           "{:.0f}% bootstrap intervals for mu*\n",
                           m.trajectories_used, runs.point_mean.size() / static_cast<std::size_t>(h.block_size),
                           100 * o.confidence);
  std::cout << fmt::format("{:<{}}  {:>10}  {:>27}  {:>10}\n", "parameter", width, "mu", "mu*", "sigma");
  for (int i = 0; i < k; ++i) {
    const auto iu = static_cast<std::size_t>(i);
    t.values.push_back({m.mu[iu], m.mu_star[iu].value, m.mu_star[iu].lo, m.mu_star[iu].hi, m.sigma[iu]});
    std::cout << fmt::format("{:<{}}  {:10.4g}  {}  {:10.4g}\n", h.parameters[iu], width, m.mu[iu], ci(m.mu_star[iu]),
                             m.sigma[iu]);
  }
}

// Latin hypercube and factorial sweeps: PAWN and SRRC, two tables
void analyze_sample(const AnalyzeOptions& o, const SweepHeader& h, const OutputRuns& runs, AnalysisTable& pawn,
                    AnalysisTable& srrc) {
  const int k = static_cast<int>(h.parameters.size());
  // a categorical parameter by its level (index / (L - 1)), not the u that was drawn for it
  std::vector<std::vector<double>> coords = h.design_unit;
  for (std::size_t i = 0; i < h.parameter_choices.size(); ++i) {
    const auto levels = static_cast<double>(h.parameter_choices[i].size());
    if (levels == 0) continue;
    for (std::size_t p = 0; p < coords.size(); ++p)
      coords[p][i] = levels > 1 ? h.design_values[p][i] / (levels - 1) : 0.5;
  }
  const PawnResult p = pawn_indices(runs.point_mean, coords, k, o.slices, o.bootstrap, o.confidence, o.seed);
  RankRegressionResult r = srrc_indices(runs.point_mean, coords, k, o.bootstrap, o.confidence, o.seed);
  // choices have no order beyond two: a rank coefficient of three rule sets means nothing
  bool unordered = false;
  for (std::size_t i = 0; i < h.parameter_choices.size(); ++i)
    if (h.parameter_choices[i].size() > 2) {
      r.srrc[i] = {NAN, NAN, NAN};
      unordered = true;
    }
  const std::size_t width = name_width(h);
  pawn.method = "pawn";
  srrc.method = "srrc";
  pawn.used = p.points_used;
  srrc.used = r.points_used;
  pawn.columns = {"median", "median_lo", "median_hi", "max", "max_lo", "max_hi"};
  srrc.columns = {"SRRC", "SRRC_lo", "SRRC_hi"};
  pawn.numbers.emplace_back("slices", p.slices);
  pawn.numbers.emplace_back("ks_critical", p.ks_critical);
  srrc.numbers.emplace_back("r2", r.r2);
  std::cout << fmt::format("from {} of {} points, {:.0f}% bootstrap intervals ({} resamples)\n", p.points_used,
                           runs.point_mean.size(), 100 * o.confidence, o.bootstrap);
  std::cout << fmt::format("PAWN: Kolmogorov-Smirnov distance of the output's distribution with the parameter held in "
                           "one of {} slices from its distribution over all points (median and largest over the "
                           "slices); {}\n",
                           p.slices,
                           p.ks_critical < 1 ? fmt::format("a median below {:.3f} shows no influence at the 5% level",
                                                           p.ks_critical)
                                             : "with this few points a slice, no distance is significant at the 5% level");
  std::cout << fmt::format("SRRC: standardised rank regression coefficients; the ranks' linear fit explains R2 = "
                           "{:.3f} of the output's ranks{}\n",
                           r.r2, r.r2 < 0.7 ? " (below 0.7: the output is not monotone in the parameters, read PAWN)" : "");
  if (unordered)
    std::cout << "SRRC is not given for choices of more than two levels (they have no order); of two, it is the "
                 "direction from the first to the second\n";
  std::cout << fmt::format("{:<{}}  {:>27}  {:>27}  {:>27}\n", "parameter", width, "PAWN median", "PAWN max", "SRRC");
  for (int i = 0; i < k; ++i) {
    const auto iu = static_cast<std::size_t>(i);
    const auto &m = p.median[iu], &x = p.max[iu], &c = r.srrc[iu];
    pawn.values.push_back({m.value, m.lo, m.hi, x.value, x.lo, x.hi});
    srrc.values.push_back({c.value, c.lo, c.hi});
    std::cout << fmt::format("{:<{}}  {}  {}  {}\n", h.parameters[iu], width, ci(m), ci(x), ci(c));
  }
}


// ---------------------------------------------------------------- calibration files

// weighted mean, sd and quantiles of one column of a generation
struct Summary {
  double mean = 0, sd = 0, median = 0, lo = 0, hi = 0;
};
Summary summarise(const std::vector<double>& x, const std::vector<double>& w, double confidence) {
  Summary s;
  double total = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    s.mean += w[i] * x[i];
    total += w[i];
  }
  s.mean /= total;
  for (std::size_t i = 0; i < x.size(); ++i) s.sd += w[i] * (x[i] - s.mean) * (x[i] - s.mean);
  s.sd = std::sqrt(s.sd / total);
  s.median = sweep::weighted_quantile(x, w, 0.5);
  s.lo = sweep::weighted_quantile(x, w, (1 - confidence) / 2);
  s.hi = sweep::weighted_quantile(x, w, (1 + confidence) / 2);
  return s;
}

// how much the targets narrowed a parameter: its posterior sd over its prior sd
std::string identification(double ratio) {
  if (!std::isfinite(ratio)) return "-";
  if (ratio < 0.5) return "identified";
  if (ratio < 0.8) return "partly";
  return "not identified";
}

int analyze_calibration(const AnalyzeOptions& o) {
  const CalibrationFile f = read_calibration_file(o.file, o.partial ? PartialFiles::accept : PartialFiles::refuse);
  const CalibrationHeader& h = f.header;
  if (f.generations.empty()) throw ScenarioError(fmt::format("{}: no generation finished yet", o.file));
  const sweep::Generation& prior = f.generations.front();
  const sweep::Generation& post = f.generations.back();
  const std::size_t K = h.parameters.size(), T = h.targets.size();
  std::int64_t runs = 0;
  for (const auto& g : f.generations) runs += g.simulated;
  std::cout << fmt::format("{}\nposterior: generation {} of {} particles (tolerance {:.4g}, ESS {:.0f}), after {} runs "
                           "in {} generations{}\n",
                           h.title, post.index, post.particles.size(), post.tolerance, post.ess, runs,
                           f.generations.size(), f.complete ? "" : "; the calibration is unfinished");
  const auto column = [](const sweep::Generation& g, std::size_t k) {
    std::vector<double> x, w;
    for (const auto& p : g.particles) {
      x.push_back(p.theta[k]);
      w.push_back(p.weight);
    }
    return std::pair{x, w};
  };
  std::size_t width = 9;
  for (const auto& p : h.parameters) width = std::max(width, p.size());
  AnalysisTable params;
  params.method = "posterior";
  params.output = "parameters";
  params.columns = {"mean", "sd", "median", "lo", "hi", "prior_mean", "prior_sd", "sd_ratio"};
  params.used = static_cast<int>(post.particles.size());
  const int pct = static_cast<int>(std::lround(100 * o.confidence));
  std::cout << fmt::format("{:<{}}  {:>11}  {:>11}  {:>25}  {:>11}  {:>9}  {}\n", "parameter", width, "prior mean",
                           "post. mean", fmt::format("{}% credible interval", pct), "post. sd", "sd ratio",
                           "by the targets");
  std::vector<std::vector<double>> xs(K);
  std::vector<double> w;
  for (std::size_t k = 0; k < K; ++k) {
    const auto [px, pw] = column(prior, k);
    const auto [x, wk] = column(post, k);
    const Summary a = summarise(px, pw, o.confidence), b = summarise(x, wk, o.confidence);
    const double ratio = a.sd > 0 ? b.sd / a.sd : NAN;
    params.values.push_back({b.mean, b.sd, b.median, b.lo, b.hi, a.mean, a.sd, ratio});
    std::cout << fmt::format("{:<{}}  {:>11.4g}  {:>11.4g}  {:>25}  {:>11.4g}  {:>9.2f}  {}\n", h.parameters[k], width,
                             a.mean, b.mean, fmt::format("[{:.4g}, {:.4g}]", b.lo, b.hi), b.sd, ratio,
                             identification(ratio));
    xs[k] = x;
    w = wk;
  }
  std::cout << "(sd ratio: posterior sd / prior sd; below 0.5 the targets identify the parameter, above 0.8 they do "
               "not)\n";
  // weighted correlations
  std::vector<std::vector<double>> corr(K, std::vector<double>(K, 1.0));
  std::vector<double> mean(K, 0.0), sd(K, 0.0);
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t i = 0; i < w.size(); ++i) mean[k] += w[i] * xs[k][i];
    for (std::size_t i = 0; i < w.size(); ++i) sd[k] += w[i] * (xs[k][i] - mean[k]) * (xs[k][i] - mean[k]);
    sd[k] = std::sqrt(sd[k]);
  }
  for (std::size_t a = 0; a < K; ++a)
    for (std::size_t b = 0; b < K; ++b) {
      if (a == b) continue;
      double c = 0;
      for (std::size_t i = 0; i < w.size(); ++i) c += w[i] * (xs[a][i] - mean[a]) * (xs[b][i] - mean[b]);
      corr[a][b] = sd[a] > 0 && sd[b] > 0 ? c / (sd[a] * sd[b]) : NAN;
    }
  params.matrices = {{"correlation", corr}};
  if (K > 1) {
    std::cout << "\nposterior correlations (weighted):\n";
    for (std::size_t a = 0; a < K; ++a)
      for (std::size_t b = a + 1; b < K; ++b)
        std::cout << fmt::format("  {} x {}: {:+.2f}{}\n", h.parameters[a], h.parameters[b], corr[a][b],
                                 std::abs(corr[a][b]) >= 0.5 ? "  (the targets tie them: a ridge)" : "");
  }

  // the posterior-predictive check: fresh runs at posterior draws against the observed values
  AnalysisTable check;
  check.method = "predictive";
  check.output = "targets";
  check.rows = h.targets;
  check.columns = {"observed", "sd", "mean", "lo", "hi", "observed_quantile", "runs"};
  check.used = static_cast<int>(f.predictive.outputs.size());
  std::cout << fmt::format("\nposterior-predictive check ({} runs at posterior draws, new seeds):\n",
                           f.predictive.outputs.size());
  std::size_t tw = 6;
  for (const auto& t : h.targets) tw = std::max(tw, t.size());
  std::cout << fmt::format("{:<{}}  {:>13}  {:>13}  {:>29}  {:>9}  {}\n", "target", tw, "observed", "predicted",
                           fmt::format("{}% predictive interval", pct), "quantile", "");
  int outside = 0;
  for (std::size_t t = 0; t < T; ++t) {
    std::vector<double> y, wy;
    for (const auto& out : f.predictive.outputs)
      if (std::isfinite(out[t])) {
        y.push_back(out[t]);
        wy.push_back(1.0);
      }
    if (y.empty()) {
      check.values.push_back({h.observed[t], h.sd[t], NAN, NAN, NAN, NAN, 0});
      std::cout << fmt::format("{:<{}}  no predictive run finished\n", h.targets[t], tw);
      continue;
    }
    const Summary s = summarise(y, wy, o.confidence);
    double below = 0;
    for (double v : y) below += v < h.observed[t] ? 1 : v == h.observed[t] ? 0.5 : 0;
    const double q = below / static_cast<double>(y.size());
    const bool in = h.observed[t] >= s.lo && h.observed[t] <= s.hi;
    outside += in ? 0 : 1;
    check.values.push_back({h.observed[t], h.sd[t], s.mean, s.lo, s.hi, q, static_cast<double>(y.size())});
    std::cout << fmt::format("{:<{}}  {:>13.5g}  {:>13.5g}  {:>29}  {:>9.2f}  {}\n", h.targets[t], tw, h.observed[t],
                             s.mean, fmt::format("[{:.5g}, {:.5g}]", s.lo, s.hi), q,
                             in ? "" : "outside: the model does not reproduce it at the posterior");
  }
  std::cout << fmt::format("(quantile: the share of predictive runs below the observed value; near 0 or 1 the "
                           "calibrated model misses the pattern){}\n",
                           outside > 0 ? fmt::format("; {} of {} targets outside", outside, T) : "");
  params.numbers = {{"generation", post.index}, {"tolerance", post.tolerance}, {"ess", post.ess},
                    {"runs", static_cast<double>(runs)}, {"confidence", o.confidence}};
  check.numbers = {{"confidence", o.confidence}, {"targets_outside", outside}};
  write_analysis(o.file, {params, check}, h.parameters);
  std::cout << fmt::format("\nwritten to {} (/analysis/posterior/parameters, /analysis/predictive/targets)\n", o.file);
  return 0;
}

}  // namespace

int analyze_command(const AnalyzeOptions& o) {
  if (is_calibration_file(o.file)) return analyze_calibration(o);
  const SweepFile f = read_sweep_file(o.file, o.partial ? PartialFiles::accept : PartialFiles::refuse);
  const SweepHeader& h = f.header;
  if (h.design != "sobol" && h.design != "morris" && h.design != "lhs" && h.design != "factorial")
    throw ScenarioError(fmt::format("{}: design '{}' has no analysis", o.file, h.design));
  if (!f.complete)
    std::cerr << fmt::format("analyze: warning: {} is incomplete ({} of {} runs); only whole blocks are used\n", o.file,
                             f.records.size(), h.n_runs);
  std::vector<AnalysisTable> tables;
  for (std::size_t out = 0; out < h.outputs.size(); ++out) {
    const OutputRuns runs = gather(f, out);
    std::cout << fmt::format("\n{} ({}){}\n", h.outputs[out], h.output_units[out],
                             h.output_descriptions[out].empty() ? "" : " — " + h.output_descriptions[out]);
    const RunFacts facts = report_runs(f, runs);
    try {
      std::vector<AnalysisTable> these(h.design == "lhs" || h.design == "factorial" ? 2 : 1);
      for (auto& t : these) {
        t.output = h.outputs[out];
        t.method = h.design;
      }
      if (h.design == "sobol") analyze_sobol(o, h, runs, these[0]);
      else if (h.design == "morris") analyze_morris(o, h, runs, these[0]);
      else analyze_sample(o, h, runs, these[0], these[1]);
      for (auto& t : these) {
        t.numbers.insert(t.numbers.end(), facts.numbers.begin(), facts.numbers.end());
        t.texts.insert(t.texts.end(), facts.texts.begin(), facts.texts.end());
        tables.push_back(std::move(t));
      }
    } catch (const std::invalid_argument& e) {
      std::cout << "  not analysable: " << e.what() << "\n";
    }
  }
  write_analysis(o.file, tables, h.parameters);
  std::string where;
  for (const auto& t : tables)
    if (where.find("/analysis/" + t.method) == std::string::npos)
      where += (where.empty() ? "" : ", ") + ("/analysis/" + t.method);
  std::cout << fmt::format("\nindices written to {} ({})\n", o.file, where.empty() ? "none" : where);
  return 0;
}

}  // namespace lokalmat
