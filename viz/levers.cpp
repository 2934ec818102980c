#include "viz/levers.h"

#include <fmt/format.h>

#include <cmath>

#include "sim/intervention.h"
#include "sim/scenario.h"

namespace lokalmat::viz {

namespace {

constexpr std::string_view kMuniPattern = "municipalities.<id>";

// the value in force of the lever whose key ends in `tail` (".hub.fee_nok_per_kg"), if the viewer knows it
bool read_lever(const MunicipalityParams& m, std::string_view tail, LeverValue& v) {
  using K = LeverValue::Kind;
  const auto number = [&](double x) { v.kind = K::number; v.number = x; };
  const auto integer = [&](int x) { v.kind = K::integer; v.number = x; };
  const auto flag = [&](bool x) { v.kind = K::flag; v.flag = x; };
  if (tail == ".rules") { v.kind = K::rules; v.rules = m.rules; }
  else if (tail == ".exception_cap_share") number(m.exception_cap_share);
  else if (tail == ".policy.local_incentive_nok_per_kg") number(m.policy.local_incentive_nok_per_kg);
  else if (tail == ".policy.premium_budget_nok_per_year") number(m.policy.premium_budget_nok_per_year);
  else if (tail == ".policy.supplier_development_events_per_year") integer(m.policy.supplier_development_events_per_year);
  else if (tail == ".policy.arenas_per_year") integer(m.policy.arenas_per_year);
  else if (tail == ".policy.farm_visits_per_year") integer(m.policy.farm_visits_per_year);
  else if (tail == ".policy.adaptive") flag(m.policy.adaptive);
  else if (tail == ".hub.fee_nok_per_kg") number(m.hub.fee_nok_per_kg);
  else if (tail == ".hub.coordinator_hours_per_week") number(m.hub.coordinator_hours_per_week);
  else return false;
  return true;
}

}  // namespace

std::string lever_key(std::string_view pattern, const std::string& muni_id) {
  if (!pattern.starts_with(kMuniPattern)) return std::string(pattern);
  return "municipalities." + muni_id + std::string(pattern.substr(kMuniPattern.size()));
}

std::vector<LeverValue> lever_values(const MunicipalityParams& m, const std::string& muni_id) {
  std::vector<LeverValue> out;
  for (const LeverSpec& spec : levers()) {
    LeverValue v;
    const std::string_view pattern = spec.pattern;
    const std::string_view tail =
        pattern.starts_with(kMuniPattern) ? pattern.substr(kMuniPattern.size()) : std::string_view{};
    // a lever the viewer has no reader for is shown as a TOML text field
    if (!read_lever(m, tail, v)) v.kind = LeverValue::Kind::text;
    if (const auto info = scenario_key_info(lever_key(pattern, muni_id))) {
      v.lo = info->lo;
      v.hi = info->hi;
      if (v.kind == LeverValue::Kind::number && info->integer) v.kind = LeverValue::Kind::integer;
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::string toml_number(double v) {
  if (!std::isfinite(v)) return "0.0";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string toml_rules(const std::vector<Rule>& rules) {
  std::string s = "[";
  for (std::size_t i = 0; i < rules.size(); ++i)
    s += fmt::format("{}\"{}\"", i ? ", " : "", rule_name(rules[i]));
  return s + "]";
}

}  // namespace lokalmat::viz
