#include "sim/sweep/levers.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <sstream>
#include <toml++/toml.h>

#include "sim/run_totals.h"
#include "sim/simulation.h"

namespace lokalmat {

namespace {

constexpr std::size_t kOutputs = kLeverOutputs.size();

// index of each lever output among the run figures
std::array<std::size_t, kOutputs> output_figures() {
  std::array<std::size_t, kOutputs> idx{};
  const auto& defs = run_figures();
  for (std::size_t o = 0; o < kOutputs; ++o)
    for (std::size_t f = 0; f < defs.size(); ++f)
      if (defs[f].name == kLeverOutputs[o]) idx[o] = f;
  return idx;
}

// the concrete key of a lever under one entry id (or the top-level key)
std::string key_under(const Lever& l, const std::string& id) {
  return l.section.empty() ? l.key : l.section + "." + id + "." + l.key;
}

// the schema has the lever's key (a lever of a capability a build does not have is left out)
bool schema_has(const Lever& l) { return scenario_key_info(key_under(l, "x")).has_value(); }

// Directions as the ODD argues them (§7.35), per output in kLeverOutputs order: local share by
// value, through the local channel, work hours, engaged, cost per meal, CO2e
std::vector<Lever> all_levers() {
  constexpr Direction S = kSmall;
  std::vector<Lever> v;
  const std::vector<std::pair<std::string, std::string>> direct = {
      {"rules", R"(["direct_purchase"])"}, {"direct_buyer_types", R"(["kindergarten", "sfo", "nursing_home"])"},
      {"hub.enabled", "false"}};
  v.push_back({"hub capacity", "municipalities", "hub.vehicle_capacity_kg", "kg per trip", "100.0", "800.0", {},
               {+1, +1, S, S, S, -1},
               "a van of 100 kg turns away accepted orders, so a bigger one delivers more local food; the meal's "
               "cost moves both ways (it spares short-notice purchases at 15% over the list price, and the kg it "
               "delivers are bought at the local price, above the list price); its work is more packing but "
               "fewer trips"});
  v.push_back({"participants", "municipalities", "day_centre.participants", "persons", "3", "12", {},
               {+1, +1, +1, +1, S, -1},
               "the hub's capacity is the hours its participants are present on delivery days: 3 are too few for "
               "what is ordered, so more deliver more local food and work, and more people share the shifts"});
  v.push_back({"shift length", "municipalities", "day_centre.shift_hours_min", "hours", "1.0", "4.0", {},
               {S, S, +1, -1, S, S},
               "the same tasks in longer shifts reach fewer people, and a day's work shorter than the minimum is "
               "still one whole shift, so more hours are given out; what the hub can handle changes a little"});
  v.push_back({"premium budget", "municipalities", "policy.premium_budget_nok_per_year", "NOK per year", "0.0",
               "300000.0", {}, {+1, +1, +1, S, S, -1},
               "money for premiums lets units buy local food dearer than the list price: more local food and work, "
               "shorter transport; the premiums are a few cents a meal and the extra work a few shifts a week"});
  v.push_back({"kitchens' local preference", "buyers", "local_preference", "0-1", "0.2", "0.6", {},
               {+1, +1, +1, S, S, -1},
               "units that want local food order more of it; its premium is a cent or so a meal, and the extra work "
               "a few shifts a week"});
  v.push_back({"farm reliability", "producers", "reliability", "probability", "0.7", "1.0", {},
               {+1, +1, 0, 0, -1, -1},
               "fewer failed deliveries keep units satisfied and ordering and spare short-notice purchases at 15% over "
               "the list price; the day centre's work follows the kg the platform accepts, not what arrives"});
  v.push_back({"supplier development events", "municipalities", "policy.supplier_development_events_per_year",
               "events per year", "0", "4", {}, {0, 0, 0, 0, 0, 0},
               "events make candidate farms aware, but a farm joins only when its share of the unmet demand pays "
               "for its admin hours and entry cost; in Horten it does not, whether aware or not"});
  v.push_back({"hub fee", "municipalities", "hub.fee_nok_per_kg", "NOK/kg", "0.0", "5.0", {},
               {-1, -1, -1, S, +1, +1},
               "the fee raises the local price, so units order less locally and pay more; the work lost is a shift "
               "or two a week"});
  v.push_back({"incentive", "municipalities", "policy.local_incentive_nok_per_kg", "NOK/kg", "0.0", "5.0", {},
               {+1, +1, +1, S, S, -1},
               "an incentive per local kg lowers its price to the unit; the unit's cost moves by the premium less the "
               "incentive, a cent or so a meal, and the extra work is a few shifts a week"});
  v.push_back({"direct-purchase limit (under direct purchase)", "", "procurement.direct_limit_new_nok", "NOK",
               "100000.0", "500000.0", direct, {+1, +1, 0, 0, S, -1},
               "the raised limit lets units buy directly for longer in each period; direct purchase has no hub, "
               "so no work"});
  return v;
}

double mean_of(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return x.empty() ? 0.0 : s / static_cast<double>(x.size());
}

}  // namespace

const std::vector<Lever>& main_levers() {
  static const std::vector<Lever> levers = [] {
    std::vector<Lever> out;
    for (Lever& l : all_levers())
      if (schema_has(l)) out.push_back(std::move(l));
    return out;
  }();
  return levers;
}

Overrides lever_overrides(const Scenario& sc, const Lever& lever, const std::string& value) {
  const toml::table root = toml::parse(sc.resolved_toml);
  auto ids = [&](const std::string& section) {
    std::vector<std::string> out;
    if (const toml::table* t = root[section].as_table())
      for (auto&& [k, v] : *t)
        if (v.is_table()) out.emplace_back(k.str());
    return out;
  };
  Overrides o;
  for (const std::string& m : ids("municipalities"))
    for (const auto& [k, v] : lever.context) o.emplace_back("municipalities." + m + "." + k, v);
  if (lever.section.empty()) {
    o.emplace_back(lever.key, value);
  } else {
    for (const std::string& id : ids(lever.section)) o.emplace_back(key_under(lever, id), value);
  }
  return o;
}

std::vector<LeverEffect> run_levers(const std::string& scenario_file, const std::vector<Lever>& levers, int seeds,
                                    std::uint64_t first_seed, const Overrides& overrides) {
  const Scenario base = load_scenario(scenario_file, overrides);
  // every (lever, setting) loaded first, so that a bad key stops the table before any run
  std::vector<Params> params;
  for (const Lever& l : levers)
    for (const std::string* value : {&l.low, &l.high}) {
      Overrides o = overrides;
      const Overrides set = lever_overrides(base, l, *value);
      o.insert(o.end(), set.begin(), set.end());
      params.push_back(load_scenario(scenario_file, o).params);
    }
  const std::size_t S = static_cast<std::size_t>(seeds);
  const auto figures = output_figures();
  std::vector<std::array<double, kOutputs>> out(params.size() * S);
  tbb::parallel_for(std::size_t{0}, out.size(), [&](std::size_t job) {
    Params p = params[job / S];
    p.seed = first_seed + job % S;
    Simulation sim(std::move(p));
    RunTotals totals;
    sim.run(sim.params().weeks, [&](const WeekReport& r) { totals.add(r); });
    const auto all = totals.figures();
    for (std::size_t o = 0; o < kOutputs; ++o) out[job][o] = all[figures[o]];
  });
  std::vector<LeverEffect> effects;
  for (std::size_t l = 0; l < levers.size(); ++l) {
    LeverEffect e;
    e.lever = &levers[l];
    for (std::size_t o = 0; o < kOutputs; ++o) {
      std::vector<double> d, low;
      for (std::size_t k = 0; k < S; ++k) {
        const double lo = out[(2 * l) * S + k][o], hi = out[(2 * l + 1) * S + k][o];
        d.push_back(hi - lo);
        low.push_back(lo);
      }
      const double m = mean_of(d);
      double ss = 0;
      for (double x : d) ss += (x - m) * (x - m);
      const double se = S > 1 ? std::sqrt(ss / static_cast<double>(S - 1) / static_cast<double>(S)) : 0.0;
      e.mean_diff[o] = m;
      e.se_diff[o] = se;
      e.low_mean[o] = mean_of(low);
      // a direction only where the change stands out of seed noise and is not a rounding remnant
      const double scale = std::max(1e-9, 1e-6 * std::abs(e.low_mean[o]));
      e.measured[o] = std::abs(m) > 2.0 * se && std::abs(m) > scale ? (m > 0 ? +1 : -1) : 0;
    }
    effects.push_back(e);
  }
  return effects;
}

std::string lever_table_markdown(const std::vector<LeverEffect>& effects, int seeds) {
  const auto& defs = run_figures();
  const auto figures = output_figures();
  auto arrow = [](Direction d) { return d == kSmall ? "~" : d > 0 ? "↑" : d < 0 ? "↓" : "·"; };
  std::ostringstream s;
  s << fmt::format("Each lever low → high, all else as in the scenario; mean change over {} seeds (paired by seed) "
                   "± twice its standard error. ↑/↓: a change beyond that; ·: none distinguishable from seed noise. "
                   "\"argued\": the directions ODD §7.35 argues, in the same order (~: too small to call).\n\n",
                   seeds);
  s << "| lever | low → high |";
  for (std::size_t o = 0; o < kOutputs; ++o) {
    const auto& d = defs[figures[o]];
    s << fmt::format(" {}{} |", d.label, d.print_unit.empty() ? "" : fmt::format(" ({})", d.scale == 100 ? "points" : d.print_unit));
  }
  s << " argued | as argued |\n|---|---|";
  for (std::size_t o = 0; o < kOutputs + 2; ++o) s << "---|";
  s << "\n";
  for (const LeverEffect& e : effects) {
    s << fmt::format("| {} | {} → {} {} |", e.lever->name, e.lever->low, e.lever->high, e.lever->unit);
    std::string argued;
    for (std::size_t o = 0; o < kOutputs; ++o) {
      const double scale = defs[figures[o]].scale;
      const int digits = scale == 100 ? 2 : (std::abs(e.low_mean[o]) >= 100 ? 0 : 2);
      s << fmt::format(" {}{:+.{}f} ± {:.{}f} |", arrow(e.measured[o]), e.mean_diff[o] * scale, digits,
                       2 * e.se_diff[o] * scale, digits);
      argued += arrow(e.lever->expected[o]);
    }
    s << fmt::format(" {} | {} |\n", argued, e.as_argued() ? "yes" : "no");
  }
  return s.str();
}

}  // namespace lokalmat
