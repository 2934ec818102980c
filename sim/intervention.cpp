#include "sim/intervention.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <sstream>
#include <toml++/toml.h>

#include "sim/scenario_text.h"
#include "sim/schema/key_reader.h"

namespace lokalmat {

namespace {

using scenario_text::suggestion;

// the instrument in the State that a lever sets, if any
enum class Instrument { none, incentive, cap_share, supplier_events, rules };

struct Lever {
  LeverSpec spec;
  Instrument instrument;
};

const std::vector<Lever>& lever_table() {
  static const std::vector<Lever> t = {
      {{"municipalities.<id>.rules", "procurement rules (framework_exception, season_requirement)", "-"},
       Instrument::rules},
      {{"municipalities.<id>.exception_cap_share", "most a unit may buy locally, share of its food spend", "share"},
       Instrument::cap_share},
      {{"municipalities.<id>.policy.local_incentive_nok_per_kg", "incentive per kg bought locally", "NOK/kg"},
       Instrument::incentive},
      {{"municipalities.<id>.policy.premium_budget_nok_per_year", "budget for local premiums and incentives",
        "NOK per year"},
       Instrument::none},
      {{"municipalities.<id>.policy.supplier_development_events_per_year", "supplier development events a year",
        "events per year"},
       Instrument::supplier_events},
      {{"municipalities.<id>.policy.arenas_per_year", "co-creation arenas a year", "per year"}, Instrument::none},
      {{"municipalities.<id>.policy.farm_visits_per_year", "children's farm visits a year", "per year"},
       Instrument::none},
      {{"municipalities.<id>.policy.adaptive", "steer instruments yearly toward the target", "on/off"},
       Instrument::none},
      {{"municipalities.<id>.hub.fee_nok_per_kg", "hub fee per kg", "NOK/kg"}, Instrument::none},
      {{"municipalities.<id>.hub.coordinator_hours_per_week", "coordinator hours funded", "hours per week"},
       Instrument::none},
  };
  return t;
}

// "municipalities.horten.hub.fee_nok_per_kg" -> the lever and the id "horten"
const Lever* find_lever(const std::string& key, std::string& id) {
  constexpr std::string_view head = "municipalities.";
  if (!key.starts_with(head)) return nullptr;
  const auto dot = key.find('.', head.size());
  if (dot == std::string::npos) return nullptr;
  id = key.substr(head.size(), dot - head.size());
  const std::string rest = key.substr(dot);
  for (const auto& l : lever_table())
    if (std::string_view(l.spec.pattern).substr(std::string_view("municipalities.<id>").size()) == rest) return &l;
  return nullptr;
}

std::vector<std::string> lever_keys_for(const std::string& id) {
  std::vector<std::string> out;
  for (const auto& l : lever_table())
    out.push_back("municipalities." + id + std::string(l.spec.pattern).substr(std::string("municipalities.<id>").size()));
  return out;
}

}  // namespace

const std::vector<LeverSpec>& levers() {
  static const std::vector<LeverSpec> v = [] {
    std::vector<LeverSpec> out;
    for (const auto& l : lever_table()) out.push_back(l.spec);
    return out;
  }();
  return v;
}

const std::vector<Rule>& switchable_rules() {
  // from the rule table (sim/rules/rule.h): the exception opens the platform a hub already
  // runs; the season requirement changes the framework tender's terms; the others need markets
  // or contracts set up at the start
  static const std::vector<Rule> r = [] {
    std::vector<Rule> out;
    for (const RuleInfo& ri : kRuleTable)
      if (ri.switchable) out.push_back(ri.rule);
    return out;
  }();
  return r;
}

Intervener::Intervener(const Scenario& scenario) : resolved_toml_(scenario.resolved_toml), name_(scenario.path) {
  if (name_.empty()) name_ = "<scenario>";
  // municipalities are built in the order of their table ids
  const toml::table root = toml::parse(resolved_toml_, std::string_view("<resolved scenario>"));
  if (const toml::table* m = root["municipalities"].as_table())
    for (auto&& [k, v] : *m) ids_.emplace_back(k.str());
}

Scenario Intervener::next_scenario(const Params& now, const std::string& key, const std::string& value,
                                   std::size_t& m) const {
  std::string id;
  const Lever* lever = find_lever(key, id);
  if (!lever) {
    std::vector<std::string> all;
    for (const auto& mid : ids_)
      for (auto& k : lever_keys_for(mid)) all.push_back(std::move(k));
    throw ScenarioError(fmt::format("key '{}': not a lever that can change during a run{}", key, suggestion(key, all)));
  }
  const auto it = std::find(ids_.begin(), ids_.end(), id);
  if (it == ids_.end())
    throw ScenarioError(fmt::format("key '{}': the scenario has no municipality '{}'{}", key, id, suggestion(id, ids_)));
  m = static_cast<std::size_t>(it - ids_.begin());

  // the scenario again, with every intervention so far and this one
  Overrides ov;
  for (const auto& iv : log_) ov.emplace_back(iv.key, iv.value);
  ov.emplace_back(key, value);
  Scenario next = load_scenario_text(resolved_toml_, name_, ov);
  const MunicipalityParams& before = now.municipalities[m];
  const MunicipalityParams& after = next.params.municipalities[m];
  if (lever->instrument == Instrument::rules) {
    auto has = [](const MunicipalityParams& mp, Rule r) {
      return std::find(mp.rules.begin(), mp.rules.end(), r) != mp.rules.end();
    };
    const auto& ok = switchable_rules();
    std::string can;
    for (Rule r : ok) can += fmt::format("{}{}", can.empty() ? "" : " and ", rule_name(r));
    for (const RuleInfo& ri : kRuleTable) {
      const Rule rule = ri.rule;
      if (has(before, rule) == has(after, rule) || rule == Rule::framework_only) continue;
      if (std::find(ok.begin(), ok.end(), rule) == ok.end())
        throw ScenarioError(fmt::format("key '{}': {} cannot be switched during a run (it needs markets or "
                                        "contracts set up at the start); only {} can",
                                        key, ri.name, can));
    }
  }
  return next;
}

void Intervener::apply(Simulation& sim, const std::string& key, const std::string& value) {
  std::size_t m = 0;
  Scenario next;
  try {
    next = next_scenario(sim.params(), key, value, m);
  } catch (const ScenarioError& e) {
    // "key 'K': ..." of the lever itself reads "intervention 'K': ..."; a value the loader refused keeps its place
    const std::string own = fmt::format("key '{}': ", key);
    const std::string what = e.what();
    if (what.starts_with(own)) throw ScenarioError(fmt::format("intervention '{}': {}", key, what.substr(own.size())));
    throw;
  }
  std::string id;
  const Lever* lever = find_lever(key, id);  // found: next_scenario() checked it
  State& s = sim.mutable_state();
  try {
    sim.replace_params(std::move(next.params));
  } catch (const std::invalid_argument& e) {
    throw ScenarioError(fmt::format("intervention '{}': {}", key, e.what()));
  }

  // the instruments in force follow the lever
  const MunicipalityParams& now = sim.params().municipalities[m];
  switch (lever->instrument) {
    case Instrument::incentive: s.policy.incentive_nok_per_kg[m] = now.policy.local_incentive_nok_per_kg; break;
    case Instrument::cap_share: s.policy.cap_share[m] = now.exception_cap_share; break;
    case Instrument::supplier_events:
      s.policy.supplier_events[m] = now.policy.supplier_development_events_per_year;
      break;
    case Instrument::rules:
      s.policy.exception_open[m] =
          std::find(now.rules.begin(), now.rules.end(), Rule::framework_exception) != now.rules.end() ? 1 : 0;
      break;
    case Instrument::none: break;
  }
  log_.push_back({sim.weeks_done(), key, value, ""});
}

LeveredRun::LeveredRun(const Scenario& scenario, std::vector<Intervention> planned)
    : sim_(scenario.params), intervener_(scenario), planned_(std::move(planned)) {
  std::stable_sort(planned_.begin(), planned_.end(),
                   [](const Intervention& a, const Intervention& b) { return a.week < b.week; });
}

void LeveredRun::apply(const std::string& key, const std::string& value) { intervener_.apply(sim_, key, value); }

void LeveredRun::plan(Intervention iv) {
  const auto at = std::upper_bound(planned_.begin() + static_cast<std::ptrdiff_t>(next_), planned_.end(), iv.week,
                                   [](int w, const Intervention& x) { return w < x.week; });
  planned_.insert(at, std::move(iv));
}

void LeveredRun::apply_due(const std::function<void(const Intervention&, const std::exception*)>& report) {
  for (; next_ < planned_.size() && planned_[next_].week <= sim_.weeks_done();) {
    const Intervention& iv = planned_[next_++];
    try {
      intervener_.apply(sim_, iv.key, iv.value);
    } catch (const std::exception& e) {
      if (!report) throw;
      report(iv, &e);
      continue;
    }
    if (report) report(iv, nullptr);
  }
}

void LeveredRun::step() {
  apply_due();
  sim_.step();
}

int LeveredRun::run(int weeks, const std::function<void(const WeekReport&)>& sink, const std::function<bool()>& stop) {
  while (sim_.weeks_done() < weeks) {
    apply_due();
    if (stop && stop()) break;
    sim_.step();
    if (sink) sink(sim_.report());
  }
  return sim_.weeks_done();
}

std::string format_interventions(const std::vector<Intervention>& log) {
  std::string s = "# lokalmat intervention log: each lever moved during a run, applied before the week\n"
                  "# (0-based) it names. Replay: lokalmat run SCENARIO --seed S --interventions THIS_FILE\n";
  for (const auto& iv : log) {
    toml::table t{{"week", iv.week}, {"key", iv.key}};
    std::ostringstream os;
    os << toml::toml_formatter{t};
    s += "\n[[intervention]]\n" + os.str() + "\nvalue = " + iv.value + "\n";
  }
  return s;
}

std::vector<Intervention> read_interventions(const std::string& path) {
  const std::string text = scenario_text::read_input_file(path, "intervention log");
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    throw ScenarioError(fmt::format("{}:{}: TOML syntax error: {}", path, e.source().begin.line, e.description()));
  }
  const schema::KeyReader r(path);
  std::vector<Intervention> out;
  for (auto&& [k, v] : root)
    if (k != "intervention") r.fail(&v, k.str(), "unknown; a log holds [[intervention]] tables");
  const toml::node* list_node = root.get("intervention");
  if (!list_node) return out;
  const toml::array* list = list_node->as_array();
  if (!list || !list->is_array_of_tables()) r.fail(list_node, "intervention", "expected [[intervention]] tables");
  std::int64_t last_week = 0;
  for (const auto& node : *list) {
    const toml::table& t = *node.as_table();
    for (auto&& [k, v] : t)
      if (k != "week" && k != "key" && k != "value")
        r.fail(&v, "intervention." + std::string(k.str()),
               fmt::format("unknown (week, key, value){}",
                           suggestion(k.str(), {"week", "key", "value"}, "intervention.")));
    for (const char* k : {"week", "key", "value"})
      if (!t.contains(k))
        r.fail(&t, fmt::format("intervention.{}", k), "required key is missing (an intervention has week, key and value)");
    const toml::node& week = *t.get("week");
    if (!week.is_integer())
      r.fail(&week, "intervention.week",
             fmt::format("expected a whole number (the 0-based week), got {}", scenario_text::type_of(week)));
    const std::int64_t w = week.as_integer()->get();
    if (w < 0 || w > std::numeric_limits<int>::max())
      r.fail(&week, "intervention.week",
             fmt::format("{} is out of range; allowed 0 to {} (and within the run: 0 to its weeks - 1)", w,
                         std::numeric_limits<int>::max()));
    if (w < last_week)
      r.fail(&node, "intervention.week",
             fmt::format("{} comes after week {}; the log must be in week order", w, last_week));
    last_week = w;
    const toml::node& key = *t.get("key");
    if (!key.is_string())
      r.fail(&key, "intervention.key", fmt::format("expected a string (a scenario key), got {}", scenario_text::type_of(key)));
    std::ostringstream os;
    t.get("value")->visit([&](const auto& x) { os << toml::toml_formatter{x}; });
    out.push_back({static_cast<int>(w), key.as_string()->get(), os.str(), r.where(&node)});
  }
  return out;
}

void check_interventions(const Scenario& scenario, const std::vector<Intervention>& log) {
  Intervener check(scenario);
  Params now = scenario.params;
  for (const Intervention& iv : log) {
    const std::string where = iv.source.empty() ? scenario.path : iv.source;
    if (iv.week < 0 || iv.week >= scenario.params.weeks)
      throw ScenarioError(schema::KeyReader::located(
          where, "intervention.week",
          fmt::format("week {} is not in the run; allowed 0 to {} (the run has {} weeks, counted from 0)", iv.week,
                      scenario.params.weeks - 1, scenario.params.weeks)));
    std::size_t m = 0;
    try {
      now = check.next_scenario(now, iv.key, iv.value, m).params;
    } catch (const ScenarioError& e) {
      // the lever's own refusal ("key 'K': ..."), or the loader's at the override: both at the entry's line
      std::string what = e.what();
      for (const std::string& prefix :
           {fmt::format("key '{}': ", iv.key), fmt::format("<override {}>:1: key '{}': ", iv.key, iv.key)})
        if (what.starts_with(prefix)) {
          what = what.substr(prefix.size());
          break;
        }
      throw ScenarioError(schema::KeyReader::located(where, iv.key, what));
    }
    check.record(iv);
  }
}

std::vector<Intervention> read_interventions(const std::string& path, const Scenario& scenario) {
  std::vector<Intervention> log = read_interventions(path);
  check_interventions(scenario, log);
  return log;
}

}  // namespace lokalmat
