#include "sim/cli/run_summary.h"

#include <fmt/format.h>

#include <cmath>

namespace lokalmat {

void RunSummary::add(const WeekReport& r) {
  const GroupSums g = group_sums(r, -1, -1, -1);
  all_.flow.add(g.flow);
  all_.type.add(g.type);
  all_.muni.add(g.muni);
  weeks_ += 1;
  engaged_sum_ += g.muni.participants_engaged;
  backing_last_ = find_metric("political_backing")->eval(g);
  gini_last_ = g.muni.gini_hours;
  trust_last_ = find_metric("trust")->eval(g);
  if (trust_first_ < 0) trust_first_ = trust_last_;
}

std::string RunSummary::table() const {
  const double years = weeks_ / 52.0;
  auto metric = [&](const char* name) { return find_metric(name)->eval(all_); };
  std::string s;
  s += fmt::format("{:<44}{:>16}\n", "whole run", fmt::format("{:.1f} years", years));
  s += fmt::format("{:<44}{:>15.2f}%\n", "local share, by value", 100 * metric("local_share_value"));
  s += fmt::format("{:<44}{:>15.2f}%\n", "local share, by volume", 100 * metric("local_share_volume"));
  s += fmt::format("{:<44}{:>15.2f}%\n", "through the local channel, by value", 100 * metric("local_channel_share_value"));
  s += fmt::format("{:<44}{:>12.0f} kg\n", "local food delivered per year", all_.flow.local_kg / years);
  s += fmt::format("{:<44}{:>9.0f} hours\n", "meaningful-work hours per year", all_.muni.work_hours / years);
  s += fmt::format("{:<44}{:>16.1f}\n", "participants engaged, mean per week", engaged_sum_ / weeks_);
  s += fmt::format("{:<44}{:>16.3f}\n", "Gini of work hours at the end", gini_last_);
  s += fmt::format("{:<44}{:>12.2f} NOK\n", "cost per meal (eater-day)", metric("cost_per_meal_nok"));
  s += fmt::format("{:<44}{:>12.2f} NOK\n", "budget per meal (eater-day)", metric("budget_per_meal_nok"));
  s += fmt::format("{:<44}{:>12.0f} NOK\n", "premium paid per year", all_.flow.premium_nok / years);
  s += fmt::format("{:<44}{:>12.0f} NOK\n", "hub cost per year", all_.muni.hub_cost_nok / years);
  s += fmt::format("{:<44}{:>12.0f} NOK\n", "farm income from municipal sales per year", all_.muni.farm_income_nok / years);
  s += fmt::format("{:<44}{:>6.0f} kg CO2e\n", "transport emissions per year", all_.flow.co2e_kg / years);
  s += fmt::format("{:<44}{:>16.2f}\n", "political backing at the end", backing_last_);
  s += fmt::format("{:<44}{:>16}\n", "trust at the start -> at the end", fmt::format("{:.2f} -> {:.2f}", trust_first_, trust_last_));
  s += fmt::format("{:<44}{:>16}\n", "indices: economic, social, environ., cultural",
                   fmt::format("{:.2f} {:.2f} {:.2f} {:.2f}", index_economic(all_), index_social(all_),
                               index_environmental(all_), index_cultural(all_)));
  return s;
}

}  // namespace lokalmat
