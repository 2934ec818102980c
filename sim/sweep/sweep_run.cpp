// One run of a sweep, and the sweep file's header.
#include "sim/sweep/sweep_run.h"

#include <fmt/format.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "sim/run_totals.h"
#include "sim/simulation.h"

namespace lokalmat::sweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// a parameter value as the TOML text of an override
std::string value_text(const Factor& f, double v) {
  if (f.integer) return fmt::format("{}", std::llround(v));
  std::string s = fmt::format("{:.17g}", v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // keep it a TOML float
  return s;
}

int index_or_all(const std::vector<std::string>& names, const std::string& name) {
  if (name.empty()) return -1;
  const auto it = std::find(names.begin(), names.end(), name);
  return static_cast<int>(it - names.begin());
}

// accumulates one output over the weeks of its window
class OutputReducer {
 public:
  OutputReducer(const OutputSpec& o, const Params& p) : spec_(o), metric_(o.figure ? nullptr : find_metric(o.metric)) {
    std::vector<std::string> munis, cats, types;
    for (const auto& m : p.municipalities) munis.push_back(m.name);
    for (const auto& c : p.categories) cats.push_back(c.name);
    for (const auto& t : kBuyerTypeNames) types.emplace_back(t);
    muni_ = index_or_all(munis, o.municipality);
    cat_ = index_or_all(cats, o.category);
    type_ = index_or_all(types, o.buyer_type);
    first_week_ = o.last_weeks > 0 ? p.weeks - o.last_weeks : 0;
    // a whole-run figure: its place in run_figures(), found once
    const auto& defs = run_figures();
    for (std::size_t i = 0; i < defs.size(); ++i)
      if (o.figure && defs[i].name == o.metric) figure_ = static_cast<int>(i);
  }

  void add(const WeekReport& r) {
    if (!metric_ || r.week < first_week_) return;
    const GroupSums g = group_sums(r, muni_, type_, cat_);
    if (spec_.reduce == Reduce::pooled) {
      pooled_.flow.add(g.flow);
      pooled_.type.add(g.type);
      pooled_.muni.add(g.muni);
      return;
    }
    const double v = metric_->eval(g);
    switch (spec_.reduce) {
      case Reduce::mean:
      case Reduce::sum: acc_ += v; break;
      case Reduce::min: acc_ = n_ == 0 ? v : std::min(acc_, v); break;
      case Reduce::max: acc_ = n_ == 0 ? v : std::max(acc_, v); break;
      case Reduce::last: acc_ = v; break;
      case Reduce::pooled: break;
    }
    ++n_;
  }

  [[nodiscard]] double value(const RunTotals& totals) const {
    if (spec_.figure) return figure_ < 0 ? kNaN : totals.figures()[static_cast<std::size_t>(figure_)];
    if (spec_.reduce == Reduce::pooled) return metric_->eval(pooled_);
    if (n_ == 0) return kNaN;
    return spec_.reduce == Reduce::mean ? acc_ / n_ : acc_;
  }

 private:
  const OutputSpec& spec_;
  const MetricDef* metric_;
  int muni_ = -1, cat_ = -1, type_ = -1;
  int first_week_ = 0;
  int figure_ = -1;  // index in run_figures() of a whole-run figure output
  GroupSums pooled_;
  double acc_ = 0;
  int n_ = 0;
};

void simulate(const SweepDef& def, const std::vector<double>& values, RunRecord& rec) {
  Overrides ov = def.set;
  std::string scenario = def.scenario;
  for (std::size_t i = 0; i < def.factors.size(); ++i) {
    const Factor& f = def.factors[i];
    if (!f.categorical()) ov.emplace_back(f.key, value_text(f, values[i]));
    else if (f.key == kScenarioFactor) scenario = f.choices[static_cast<std::size_t>(values[i])];
    else ov.emplace_back(f.key, choice_text(f, f.choices[static_cast<std::size_t>(values[i])]));
  }
  ov.emplace_back("run.seed", std::to_string(rec.seed));
  const Scenario sc = load_scenario(scenario, ov);
  const int weeks = sc.params.weeks;
  if (!def.weekly.empty() && weeks != def.base.params.weeks)
    throw std::runtime_error(fmt::format("this point runs {} weeks, the sweep's weekly series {}", weeks,
                                         def.base.params.weeks));

  std::vector<OutputReducer> reducers;
  reducers.reserve(def.outputs.size());
  for (const auto& o : def.outputs) reducers.emplace_back(o, sc.params);
  std::vector<const MetricDef*> weekly;
  for (const auto& w : def.weekly) weekly.push_back(find_metric(w));
  const std::size_t M = def.weekly_by_municipality ? static_cast<std::size_t>(sc.params.n_municipalities()) : 0;
  if (def.weekly_by_municipality && static_cast<int>(M) != def.base.params.n_municipalities())
    throw std::runtime_error(fmt::format("this point has {} municipalities, the sweep's series by municipality {}", M,
                                         def.base.params.n_municipalities()));
  const auto W = static_cast<std::size_t>(weeks);
  rec.weekly.assign(weekly.size() * (1 + M) * W, kNaN);

  Simulation sim(sc.params);
  RunTotals totals;
  sim.run(weeks, [&](const WeekReport& r) {
    totals.add(r);
    for (auto& red : reducers) red.add(r);
    if (!weekly.empty()) {
      const auto w = static_cast<std::size_t>(r.week);
      const GroupSums g = group_sums(r, -1, -1, -1);
      for (std::size_t m = 0; m < weekly.size(); ++m) rec.weekly[m * (1 + M) * W + w] = weekly[m]->eval(g);
      for (std::size_t j = 0; j < M; ++j) {
        const GroupSums gj = group_sums(r, static_cast<int>(j), -1, -1);
        for (std::size_t m = 0; m < weekly.size(); ++m) rec.weekly[(m * (1 + M) + 1 + j) * W + w] = weekly[m]->eval(gj);
      }
    }
  });
  for (const auto& red : reducers) rec.outputs.push_back(red.value(totals));
}

}  // namespace

namespace {

// the run at these values, into rec (its seed set); a run that throws becomes a failed record
void run_values(const SweepDef& def, const std::vector<double>& values, RunRecord& rec) {
  const auto t0 = std::chrono::steady_clock::now();
  try {
    if (def.is_test_model()) {
      rec.outputs = {def.model(values, rec.seed)};
    } else {
      // a run's own parallel phases stay inside it: a thread waiting for them does not pick up another run
      tbb::this_task_arena::isolate([&] { simulate(def, values, rec); });
    }
  } catch (const std::exception& e) {
    rec.ok = false;
    rec.message = e.what();
    rec.outputs.assign(def.outputs.size(), kNaN);
    rec.weekly.clear();
  }
  rec.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

RunRecord execute_run(const SweepDef& def, std::int64_t run_id) {
  RunRecord rec;
  rec.run_id = run_id;
  rec.point = run_id / def.replicates;
  rec.replicate = static_cast<std::int32_t>(run_id % def.replicates);
  rec.seed = def.first_seed + static_cast<std::uint64_t>(rec.replicate);
  if (run_id < 0 || run_id >= def.runs()) {
    rec.ok = false;
    rec.message = fmt::format("no run {} in this sweep", run_id);
    rec.outputs.assign(def.outputs.size(), kNaN);
    return rec;
  }
  run_values(def, def.design.values[static_cast<std::size_t>(rec.point)], rec);
  return rec;
}

RunRecord evaluate_at(const SweepDef& def, const std::vector<double>& values, std::uint64_t seed) {
  RunRecord rec;
  rec.seed = seed;
  run_values(def, values, rec);
  return rec;
}

SweepHeader make_header(const SweepDef& def) {
  SweepHeader h;
  h.title = def.title;
  h.design = std::string(design_name(def.kind));
  h.sweep_path = def.path;
  h.sweep_toml = def.resolved_toml;
  h.base_scenario_toml = def.is_test_model() ? "" : def.base.resolved_toml;
  h.model = def.is_test_model() ? def.model.name : "simulation";
  for (const auto& f : def.factors) {
    h.parameters.push_back(f.key);
    h.parameter_units.push_back(f.unit);
    h.parameter_choices.push_back(f.choices);
  }
  h.design_values = def.design.values;
  h.design_unit = def.design.unit;
  h.n_runs = def.runs();
  h.replicates = def.replicates;
  h.first_seed = def.first_seed;
  h.block_size = def.design.block_size;
  for (const auto& o : def.outputs) {
    h.outputs.push_back(o.name);
    h.output_units.push_back(o.units);
    h.output_descriptions.push_back(o.description);
  }
  h.weeks = def.is_test_model() ? 0 : def.base.params.weeks;
  h.weekly_metrics = def.weekly;
  for (const auto& w : def.weekly) h.weekly_units.emplace_back(find_metric(w)->units);
  if (def.weekly_by_municipality)
    for (const auto& m : def.base.params.municipalities) h.weekly_municipalities.push_back(m.name);
  if (!def.weekly.empty())
    for (int w = 0; w < h.weeks; ++w) h.week_start.push_back(format_date(add_days(def.base.params.start, 7 * w)));
  return h;
}

}  // namespace lokalmat::sweep
