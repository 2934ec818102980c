#include "sim/run_totals.h"

#include "sim/params.h"

namespace lokalmat {

const std::array<FigureDef, kFigures>& run_figures() {
  static const std::array<FigureDef, kFigures> defs = {{
      {"local_share_value", "fraction", "local share, by value", 100, "%"},
      {"local_share_volume", "fraction", "local share, by volume", 100, "%"},
      {"local_channel_share_value", "fraction", "through the local channel, by value", 100, "%"},
      {"local_kg_per_year", "kg per year", "local food delivered per year", 1, "kg"},
      {"work_hours_per_year", "hours per year", "meaningful-work hours per year", 1, "hours"},
      {"participants_engaged_mean", "persons", "participants engaged, mean per week", 1, ""},
      {"gini_hours_end", "0-1", "Gini of work hours at the end", 1, ""},
      {"cost_per_meal_nok", "NOK per eater-day", "cost per meal (eater-day)", 1, "NOK"},
      {"budget_per_meal_nok", "NOK per eater-day", "budget per meal (eater-day)", 1, "NOK"},
      {"premium_nok_per_year", "NOK per year", "premium paid per year", 1, "NOK"},
      {"hub_cost_nok_per_year", "NOK per year", "hub cost per year", 1, "NOK"},
      {"farm_income_nok_per_year", "NOK per year", "farm income from municipal sales per year, less penalties", 1, "NOK"},
      {"co2e_kg_per_year", "kg CO2e per year", "transport emissions per year", 1, "kg CO2e"},
      {"backing_end", "0-1", "political backing at the end", 1, ""},
      {"trust_start", "0-1", "trust at the start", 1, ""},
      {"trust_end", "0-1", "trust at the end", 1, ""},
      {"index_economic", "0-1", "economic index (SDG 2, 8)", 1, ""},
      {"index_social", "0-1", "social index (SDG 3, 8, 10)", 1, ""},
      {"index_environmental", "0-1", "environmental index (SDG 12, 13)", 1, ""},
      {"index_cultural", "0-1", "cultural index (SDG 2, 11)", 1, ""},
  }};
  return defs;
}

void RunTotals::add(const WeekReport& r) {
  const GroupSums g = group_sums(r, -1, -1, -1);
  all_.flow.add(g.flow);
  all_.type.add(g.type);
  all_.muni.add(g.muni);
  weeks_ += 1;
  backing_last_ = find_metric("political_backing")->eval(g);
  gini_last_ = g.muni.gini_hours;
  trust_last_ = find_metric("trust")->eval(g);
  // trust at the start is the scenario's trust_initial, before the first week's decay and arenas
  if (trust_first_ < 0) trust_first_ = g.muni.municipalities > 0 ? g.muni.trust_initial_sum / g.muni.municipalities : 0.0;
}

std::array<double, kFigures> RunTotals::figures() const {
  const double years = weeks_ / kWeeksPerYear;
  auto metric = [&](const char* name) { return find_metric(name)->eval(all_); };
  return {metric("local_share_value"),
          metric("local_share_volume"),
          metric("local_channel_share_value"),
          all_.flow.local_kg / years,
          all_.muni.work_hours / years,
          all_.muni.participants_engaged / weeks_,
          gini_last_,
          metric("cost_per_meal_nok"),
          metric("budget_per_meal_nok"),
          all_.flow.premium_nok / years,
          all_.muni.hub_cost_nok / years,
          (all_.muni.farm_income_nok - all_.muni.penalties_nok) / years,
          all_.flow.co2e_kg / years,
          backing_last_,
          trust_first_,
          trust_last_,
          index_economic(all_),
          index_social(all_),
          index_environmental(all_),
          index_cultural(all_)};
}

}  // namespace lokalmat
