// The report's sections: the summary table, the charts, the rules in force and the
// assumptions, each a <section> of the page that render_report (results/report.cpp) assembles.
#include "results/report_sections.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "results/svg_chart.h"

namespace lokalmat::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// a whole-run figure's place in run_figures()
std::size_t figure_index(std::string_view name) {
  const auto& defs = run_figures();
  for (std::size_t i = 0; i < defs.size(); ++i)
    if (defs[i].name == name) return i;
  throw std::logic_error("no whole-run figure " + std::string(name));
}

// colour-blind-safe (Okabe and Ito)
constexpr std::array<std::string_view, 7> kPalette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                      "#E69F00", "#56B4E9", "#000000"};
std::string colour(std::size_t i) { return std::string(kPalette[i % kPalette.size()]); }

char decimal_separator(Lang lang) { return lang == Lang::nb ? ',' : '.'; }

}  // namespace

// ---- formatting shared with the page

std::string esc(std::string_view s) { return escape_xml(std::string(s)); }

// a number for reading: thousands grouped (nb: no-break space, en: comma), the language's decimal
// separator, a true minus sign, and a + when asked
std::string format_number(double v, int decimals, Lang lang, bool sign) {
  if (!std::isfinite(v)) return "–";
  std::string digits = fmt::format("{:.{}f}", std::abs(v), decimals);
  if (std::all_of(digits.begin(), digits.end(), [](char c) { return c == '0' || c == '.'; })) v = 0;  // no "-0.0"
  const std::size_t dot = digits.find('.');
  std::string whole = digits.substr(0, dot), frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
  std::string grouped;
  const std::string sep = lang == Lang::nb ? "\u00a0" : ",";
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += sep;
    grouped += whole[i];
  }
  if (!frac.empty()) grouped += std::string(1, decimal_separator(lang)) + frac;
  if (v < 0) return "\u2212" + grouped;
  return (sign && v > 0 ? "+" : "") + grouped;
}

namespace {

std::string num_attr(double v) { return std::isfinite(v) ? fmt::format("{:.17g}", v) : "nan"; }

// days since 1970-01-01 of a civil date (Howard Hinnant's algorithm)
long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "YYYY-MM-DD" plus some days, as a decimal year (2025.5 = the middle of 2025)
double decimal_year(const std::string& iso_date, double plus_days = 0) {
  const int y = std::stoi(iso_date.substr(0, 4)), m = std::stoi(iso_date.substr(5, 2)), d = std::stoi(iso_date.substr(8, 2));
  const double day = static_cast<double>(days_from_civil(y, m, d)) + plus_days;
  int year = y;
  while (day >= static_cast<double>(days_from_civil(year + 1, 1, 1))) ++year;
  while (day < static_cast<double>(days_from_civil(year, 1, 1))) --year;
  const double start = static_cast<double>(days_from_civil(year, 1, 1));
  const double length = static_cast<double>(days_from_civil(year + 1, 1, 1)) - start;
  return year + (day - start) / length;
}

// x of each block of weeks: the middle of the block, as a decimal year
std::vector<double> block_x(const SeedRun& run, int block_weeks) {
  std::vector<double> x;
  const std::size_t b = static_cast<std::size_t>(block_weeks);
  for (std::size_t start = 0; start < run.weeks(); start += b) {
    const std::size_t len = std::min(b, run.weeks() - start);
    x.push_back(decimal_year(run.week_start[start], 3.5 * static_cast<double>(len)));
  }
  return x;
}

// mean and 5-95% of each point over the seeds, as a chart series
ChartSeries band_series(const std::vector<std::vector<double>>& per_seed, std::vector<double> x, std::string label,
                        std::string color, double scale) {
  ChartSeries s;
  s.label = std::move(label);
  s.color = std::move(color);
  s.x = std::move(x);
  const std::size_t n = per_seed.empty() ? 0 : per_seed.front().size();
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> at;
    for (const auto& v : per_seed) at.push_back(v[i]);
    const Band b = summarize(at);
    s.mean.push_back(b.mean * scale);
    s.lo.push_back(b.p05 * scale);
    s.hi.push_back(b.p95 * scale);
  }
  s.x.resize(n, kNaN);
  return s;
}

// a y axis from lo to a round number at or above the data's top
Axis value_axis(std::string label, double lo, double top, Lang lang) {
  Axis a;
  a.label = std::move(label);
  if (!std::isfinite(top) || top <= lo) top = lo + 1;
  a.ticks = numeric_ticks(lo, top, 5, decimal_separator(lang));
  if (a.ticks.back().value < top) {
    const double step = a.ticks.size() > 1 ? a.ticks[1].value - a.ticks[0].value : top - lo;
    a.ticks = numeric_ticks(lo, a.ticks.back().value + step, 5, decimal_separator(lang));
  }
  a.min = lo;
  a.max = a.ticks.back().value;
  return a;
}

double series_top(const std::vector<ChartPanel>& panels) {
  double top = 0;
  for (const auto& p : panels)
    for (const auto& s : p.series) {
      for (double v : s.hi)
        if (std::isfinite(v)) top = std::max(top, v);
      for (double v : s.mean)
        if (std::isfinite(v)) top = std::max(top, v);
    }
  return top;
}

// the years axis over every scenario's weeks
Axis year_axis(const std::vector<ScenarioRuns>& scenarios, Lang lang) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& sc : scenarios) {
    const SeedRun& r = sc.runs.front();
    if (r.weeks() == 0) continue;
    lo = std::min(lo, decimal_year(r.week_start.front()));
    hi = std::max(hi, decimal_year(r.week_start.back(), 7));
  }
  Axis a;
  a.label = std::string(tr(lang, Text::axis_year));
  a.min = std::floor(lo);
  a.max = std::max(hi, a.min + 1);
  const double span = a.max - a.min;
  const int step = span > 24 ? 5 : span > 12 ? 2 : 1;
  for (int y = static_cast<int>(a.min); y <= static_cast<int>(a.max); y += step)
    a.ticks.push_back({static_cast<double>(y), std::to_string(y)});
  return a;
}

// elections and tenders: weeks where any scenario's first run held one
std::vector<ChartMarker> calendar_markers(const std::vector<ScenarioRuns>& scenarios, Lang lang) {
  std::map<std::string, std::pair<bool, bool>> weeks;  // week_start -> (election, tender)
  for (const auto& sc : scenarios) {
    const SeedRun& r = sc.runs.front();
    for (std::size_t w = 0; w < r.weeks(); ++w) {
      if (r.series(Series::elections)[w] > 0) weeks[r.week_start[w]].first = true;
      if (r.series(Series::tenders)[w] > 0) weeks[r.week_start[w]].second = true;
    }
  }
  std::vector<ChartMarker> out;
  for (const auto& [date, what] : weeks) {
    if (what.first)
      out.push_back({decimal_year(date, 3.5), std::string(tr(lang, Text::marker_election)), "election", "#6a3d9a", true});
    if (what.second)
      out.push_back({decimal_year(date, 3.5), std::string(tr(lang, Text::marker_tender)), "tender", "#8c6d1f", true});
  }
  return out;
}

std::vector<LegendEntry> scenario_legend(const std::vector<ScenarioRuns>& scenarios) {
  std::vector<LegendEntry> out;
  for (std::size_t i = 0; i < scenarios.size(); ++i) out.push_back({scenarios[i].title, colour(i), false, true});
  return out;
}

std::string chart_section(const std::string& id, Lang lang, Text heading, const std::string& note, Chart chart) {
  chart.id = id + "-chart";
  chart.title = trf(lang, Text::chart_desc, tr(lang, heading));
  chart.band_note = std::string(tr(lang, Text::legend_band));
  return fmt::format("<section id=\"{}\" class=\"chart-section\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<figure>\n{}\n"
                     "</figure>\n</section>\n",
                     id, esc(tr(lang, heading)), esc(note), render_chart(chart));
}

// ---- the summary table

struct SummaryRow {
  const char* key;   // data-row: a /run figure name, or extra_cost_nok_per_year
  Text label;
  Text unit;
  double scale;      // shown = value x scale
  int decimals;
  bool share;        // differences in percentage points
};

constexpr std::array<SummaryRow, 12> kSummaryRows = {{
    {"local_share_value", Text::row_local_share_value, Text::unit_percent, 100, 1, true},
    {"local_share_volume", Text::row_local_share_volume, Text::unit_percent, 100, 1, true},
    {"work_hours_per_year", Text::row_work_hours, Text::unit_hours_per_year, 1, 0, false},
    {"participants_engaged_mean", Text::row_participants, Text::unit_persons, 1, 1, false},
    {"cost_per_meal_nok", Text::row_cost_per_meal, Text::unit_nok_per_meal, 1, 2, false},
    {"extra_cost_nok_per_year", Text::row_extra_cost, Text::unit_nok_per_year, 1, 0, false},
    {"farm_income_nok_per_year", Text::row_farm_income, Text::unit_nok_per_year, 1, 0, false},
    {"co2e_kg_per_year", Text::row_co2e, Text::unit_kg_co2e_per_year, 1, 0, false},
    {"index_economic", Text::row_index_economic, Text::unit_index, 1, 2, false},
    {"index_social", Text::row_index_social, Text::unit_index, 1, 2, false},
    {"index_environmental", Text::row_index_environmental, Text::unit_index, 1, 2, false},
    {"index_cultural", Text::row_index_cultural, Text::unit_index, 1, 2, false},
}};

// the row's value for one run
double row_value(const SummaryRow& row, const SeedRun& run) {
  if (std::string_view(row.key) == "extra_cost_nok_per_year")
    return run.figures[figure_index("premium_nok_per_year")] + run.figures[figure_index("hub_cost_nok_per_year")];
  return run.figures[figure_index(row.key)];
}

std::vector<double> row_values(const SummaryRow& row, const ScenarioRuns& sc) {
  std::vector<double> v;
  for (const auto& r : sc.runs) v.push_back(row_value(row, r));
  return v;
}

bool same_seeds(const ScenarioRuns& a, const ScenarioRuns& b) {
  if (a.runs.size() != b.runs.size()) return false;
  for (std::size_t i = 0; i < a.runs.size(); ++i)
    if (a.runs[i].seed != b.runs[i].seed) return false;
  return true;
}

std::string value_cell(const char* cls, const SummaryRow& row, std::size_t scenario, const Band& b, Lang lang, bool diff) {
  std::string text = format_number(b.mean * row.scale, row.decimals, lang, diff);
  if (std::isfinite(b.p05))
    text += fmt::format(" <span class=\"range\">({}&#8201;–&#8201;{})</span>", format_number(b.p05 * row.scale, row.decimals, lang, diff),
                        format_number(b.p95 * row.scale, row.decimals, lang, diff));
  if (diff && row.share) text += fmt::format(" <span class=\"unit\">{}</span>", esc(tr(lang, Text::unit_pp)));
  return fmt::format("<td class=\"{}\" data-row=\"{}\" data-scenario=\"{}\" data-mean=\"{}\" data-p05=\"{}\" data-p95=\"{}\">{}</td>",
                     cls, row.key, scenario, num_attr(b.mean), num_attr(b.p05), num_attr(b.p95), text);
}

}  // namespace

std::string summary_section(const ReportInput& in, Lang lang) {
  const auto& scs = in.scenarios;
  const ScenarioRuns& first = scs.front();
  std::string s = fmt::format("<section id=\"summary\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n", esc(tr(lang, Text::sec_summary)),
                              esc(tr(lang, Text::note_summary)));
  s += "<div class=\"table-wrap\"><table class=\"summary\">\n<thead><tr>";
  s += fmt::format("<th scope=\"col\">{}</th><th scope=\"col\">{}</th>", esc(tr(lang, Text::col_figure)), esc(tr(lang, Text::col_unit)));
  for (std::size_t i = 0; i < scs.size(); ++i) {
    s += fmt::format("<th scope=\"col\" data-scenario=\"{}\"><span class=\"swatch\" style=\"background:{}\"></span>{}{}</th>", i,
                     colour(i), esc(scs[i].title),
                     scs[i].lawful ? "" : fmt::format(" <span class=\"badge\">{}</span>", esc(tr(lang, Text::not_lawful))));
    if (i > 0) s += fmt::format("<th scope=\"col\" class=\"diff\">{}</th>", esc(trf(lang, Text::col_diff, first.title)));
  }
  s += "</tr></thead>\n<tbody>\n";
  for (const auto& row : kSummaryRows) {
    s += fmt::format("<tr><th scope=\"row\">{}</th><td class=\"unit\">{}</td>", esc(tr(lang, row.label)), esc(tr(lang, row.unit)));
    const std::vector<double> ref = row_values(row, first);
    for (std::size_t i = 0; i < scs.size(); ++i) {
      const std::vector<double> v = row_values(row, scs[i]);
      s += value_cell("value", row, i, summarize(v), lang, false);
      if (i == 0) continue;
      // the difference from the first scenario: paired seed by seed when both ran the same seeds
      Band d{kNaN, kNaN, kNaN};
      if (same_seeds(first, scs[i])) {
        std::vector<double> diffs;
        for (std::size_t k = 0; k < v.size(); ++k) diffs.push_back(v[k] - ref[k]);
        d = summarize(diffs);
      } else {
        d.mean = summarize(v).mean - summarize(ref).mean;
      }
      s += value_cell("diff", row, i, d, lang, true);
    }
    s += "</tr>\n";
  }
  s += "</tbody></table></div>\n";
  s += fmt::format("<p class=\"note\">{}</p>\n", esc(tr(lang, Text::note_extra_cost)));
  if (scs.size() > 1) s += fmt::format("<p class=\"note\">{}</p>\n", esc(trf(lang, Text::note_diff, first.title)));
  s += "</section>\n";
  return s;
}

namespace {

// ---- the charts

Chart time_chart(const ReportInput& in, Lang lang) {
  Chart c;
  c.x = year_axis(in.scenarios, lang);
  c.legend = scenario_legend(in.scenarios);
  c.panels.emplace_back();
  return c;
}

}  // namespace

std::string local_share_section(const ReportInput& in, Lang lang) {
  Chart c = time_chart(in, lang);
  for (std::size_t i = 0; i < in.scenarios.size(); ++i) {
    const auto& sc = in.scenarios[i];
    std::vector<std::vector<double>> per_seed;
    for (const auto& r : sc.runs)
      per_seed.push_back(block_ratio(r.series(Series::local_share_value), r.series(Series::food_spend_nok), kChartBlockWeeks));
    c.panels[0].series.push_back(band_series(per_seed, block_x(sc.runs.front(), kChartBlockWeeks), sc.title, colour(i), 100));
  }
  c.y = value_axis(std::string(tr(lang, Text::axis_local_share)), 0, series_top(c.panels), lang);
  c.markers = calendar_markers(in.scenarios, lang);
  return chart_section("local-share", lang, Text::sec_local_share, trf(lang, Text::note_local_share, kChartBlockWeeks), c);
}

std::string by_category_section(const ReportInput& in, Lang lang) {
  Chart c = time_chart(in, lang);
  c.panels.clear();
  c.columns = 2;
  c.panel_height = 200;
  // the categories any scenario buys, in the first scenario's order
  std::vector<std::string> names;
  for (const auto& sc : in.scenarios)
    for (const auto& n : sc.categories)
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  for (const auto& name : names) {
    ChartPanel panel;
    panel.title = std::string(category_label(lang, name));
    bool bought = false;
    for (std::size_t i = 0; i < in.scenarios.size(); ++i) {
      const auto& sc = in.scenarios[i];
      const auto col = std::find(sc.categories.begin(), sc.categories.end(), name);
      if (col == sc.categories.end()) continue;
      const std::size_t j = static_cast<std::size_t>(col - sc.categories.begin()), C = sc.categories.size();
      std::vector<std::vector<double>> per_seed;
      for (const auto& r : sc.runs) {
        std::vector<double> share(r.weeks()), spend(r.weeks());
        for (std::size_t w = 0; w < r.weeks(); ++w) {
          share[w] = r.by_category[static_cast<std::size_t>(CategorySeries::local_share_value)][w * C + j];
          spend[w] = r.by_category[static_cast<std::size_t>(CategorySeries::food_spend_nok)][w * C + j];
          if (spend[w] > 0) bought = true;
        }
        per_seed.push_back(block_ratio(share, spend, kCategoryBlockWeeks));
      }
      panel.series.push_back(
          band_series(per_seed, block_x(sc.runs.front(), kCategoryBlockWeeks), sc.title, colour(i), 100));
    }
    if (bought) c.panels.push_back(std::move(panel));
  }
  c.y = value_axis(std::string(tr(lang, Text::axis_local_share)), 0, series_top(c.panels), lang);
  return chart_section("by-category", lang, Text::sec_by_category, std::string(tr(lang, Text::note_by_category)), c);
}

std::string work_section(const ReportInput& in, Lang lang) {
  Chart c = time_chart(in, lang);
  for (std::size_t i = 0; i < in.scenarios.size(); ++i) {
    const auto& sc = in.scenarios[i];
    std::vector<std::vector<double>> per_seed;
    for (const auto& r : sc.runs) per_seed.push_back(block_mean(r.series(Series::work_hours), kChartBlockWeeks));
    c.panels[0].series.push_back(band_series(per_seed, block_x(sc.runs.front(), kChartBlockWeeks), sc.title, colour(i), 1));
  }
  c.y = value_axis(std::string(tr(lang, Text::axis_work_hours)), 0, series_top(c.panels), lang);
  return chart_section("work", lang, Text::sec_work, trf(lang, Text::note_work, kChartBlockWeeks), c);
}

std::string cost_section(const ReportInput& in, Lang lang) {
  Chart c = time_chart(in, lang);
  std::vector<ChartSeries> budgets;
  for (std::size_t i = 0; i < in.scenarios.size(); ++i) {
    const auto& sc = in.scenarios[i];
    std::vector<std::vector<double>> cost, budget;
    for (const auto& r : sc.runs) {
      cost.push_back(block_ratio(r.series(Series::cost_per_meal_nok), r.series(Series::meals), kCostBlockWeeks));
      budget.push_back(block_ratio(r.series(Series::budget_per_meal_nok), r.series(Series::meals), kCostBlockWeeks));
    }
    const auto x = block_x(sc.runs.front(), kCostBlockWeeks);
    c.panels[0].series.push_back(band_series(cost, x, sc.title, colour(i), 1));
    ChartSeries b = band_series(budget, x, trf(lang, Text::legend_budget, sc.title), colour(i), 1);
    b.lo.clear();  // the budget is a line to compare with
    b.hi.clear();
    b.dashed = true;
    budgets.push_back(std::move(b));
  }
  // one grey budget line when every scenario has the same budget (the usual case), else one each
  const bool common = std::all_of(budgets.begin(), budgets.end(), [&](const ChartSeries& b) {
    if (b.x != budgets.front().x || b.mean.size() != budgets.front().mean.size()) return false;
    for (std::size_t k = 0; k < b.mean.size(); ++k) {
      const double a = b.mean[k], r = budgets.front().mean[k];
      if (!(std::abs(a - r) <= 1e-9 * std::max(1.0, std::abs(r)) || (std::isnan(a) && std::isnan(r)))) return false;
    }
    return true;
  });
  if (common) {
    budgets.resize(1);
    budgets[0].label = std::string(tr(lang, Text::legend_budget_all));
    budgets[0].color = "#444444";
  }
  for (auto& b : budgets) {
    c.legend.push_back({b.label, b.color, true, false});
    c.panels[0].series.push_back(std::move(b));
  }
  c.y = value_axis(std::string(tr(lang, Text::axis_cost_per_meal)), 0, series_top(c.panels), lang);
  return chart_section("cost", lang, Text::sec_cost, trf(lang, Text::note_cost, kCostBlockWeeks), c);
}

std::string backing_section(const ReportInput& in, Lang lang) {
  Chart c = time_chart(in, lang);
  for (std::size_t i = 0; i < in.scenarios.size(); ++i) {
    const auto& sc = in.scenarios[i];
    std::vector<std::vector<double>> per_seed;
    for (const auto& r : sc.runs) per_seed.push_back(block_mean(r.series(Series::political_backing), kChartBlockWeeks));
    c.panels[0].series.push_back(band_series(per_seed, block_x(sc.runs.front(), kChartBlockWeeks), sc.title, colour(i), 1));
  }
  c.y = value_axis(std::string(tr(lang, Text::axis_backing)), 0, 1, lang);
  c.markers = calendar_markers(in.scenarios, lang);
  return chart_section("backing", lang, Text::sec_backing, trf(lang, Text::note_backing, kChartBlockWeeks), c);
}

std::string seasons_section(const ReportInput& in, Lang lang) {
  Chart c;
  c.legend = scenario_legend(in.scenarios);
  c.panels.emplace_back();
  std::vector<double> weeks(53);
  for (std::size_t k = 0; k < 53; ++k) weeks[k] = static_cast<double>(k + 1);
  for (std::size_t i = 0; i < in.scenarios.size(); ++i) {
    const auto& sc = in.scenarios[i];
    std::vector<std::vector<double>> per_seed;
    for (const auto& r : sc.runs)
      per_seed.push_back(share_by_week_of_year(r.series(Series::local_share_value), r.series(Series::food_spend_nok), r.iso_week));
    c.panels[0].series.push_back(band_series(per_seed, weeks, sc.title, colour(i), 100));
  }
  c.x.label = std::string(tr(lang, Text::axis_week_of_year));
  c.x.min = 1;
  c.x.max = 53;
  for (int w : {1, 5, 9, 13, 18, 22, 26, 31, 35, 39, 44, 48, 52}) c.x.ticks.push_back({static_cast<double>(w), std::to_string(w)});
  c.y = value_axis(std::string(tr(lang, Text::axis_local_share)), 0, series_top(c.panels), lang);
  return chart_section("seasons", lang, Text::sec_seasons, std::string(tr(lang, Text::note_seasons)), c);
}
// ---- rules, lawfulness, assumptions

std::string lawful_banners(const ReportInput& in, Lang lang) {
  std::string s;
  for (const auto& sc : in.scenarios)
    if (!sc.lawful)
      s += fmt::format("<div class=\"warning not-lawful\" role=\"alert\"><strong>{}</strong> <span class=\"reason\">({})</span></div>\n",
                       esc(trf(lang, Text::not_lawful_banner, sc.title)), esc(sc.lawful_reason));
  // runs read with --partial: say so where the reader starts
  for (const auto& sc : in.scenarios)
    if (sc.runs.front().weeks() < static_cast<std::size_t>(sc.weeks_planned))
      s += fmt::format("<div class=\"warning unfinished\" role=\"alert\"><strong>{}</strong></div>\n",
                       esc(trf(lang, Text::unfinished_banner, sc.title, sc.runs.front().weeks(), sc.weeks_planned)));
  return s;
}

std::string rules_section(const ReportInput& in, Lang lang) {
  std::string s = fmt::format("<section id=\"rules\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n", esc(tr(lang, Text::sec_rules)),
                              esc(tr(lang, Text::note_rules)));
  s += fmt::format("<table class=\"rules\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>"
                   "</tr></thead>\n<tbody>\n",
                   esc(tr(lang, Text::col_scenario)), esc(tr(lang, Text::col_rules)), esc(tr(lang, Text::col_file)));
  for (std::size_t i = 0; i < in.scenarios.size(); ++i) {
    const auto& sc = in.scenarios[i];
    s += fmt::format("<tr data-scenario=\"{}\" data-lawful=\"{}\"><th scope=\"row\"><span class=\"swatch\" style=\"background:{}\"></span>{}</th><td><ul>",
                     i, sc.lawful ? 1 : 0, colour(i), esc(sc.title));
    for (const auto& rule : sc.rules) {
      // "Municipality: rule"
      const auto colon = rule.find(": ");
      const std::string who = colon == std::string::npos ? "" : rule.substr(0, colon);
      const std::string name = colon == std::string::npos ? rule : rule.substr(colon + 2);
      s += fmt::format("<li>{}{} <code>{}</code></li>", who.empty() ? "" : esc(who) + ": ", esc(rule_label(lang, name)), esc(name));
    }
    s += "</ul>";
    if (sc.lawful)
      s += fmt::format("<p class=\"lawful\">{}</p>", esc(tr(lang, Text::lawful_ok)));
    else
      s += fmt::format("<div class=\"warning not-lawful\"><strong>{}</strong>: {}</div>", esc(tr(lang, Text::not_lawful)),
                       esc(sc.lawful_reason));
    s += fmt::format("</td><td><code>{}</code></td></tr>\n", esc(sc.path));
  }
  s += "</tbody></table>\n</section>\n";
  return s;
}
namespace {

// "[assume]" and "[src ...]" in a schema doc, marked up for reading
std::string source_markup(const std::string& doc, Lang lang) {
  std::string out = esc(doc);
  auto wrap = [&](const std::string& open, const char* cls, Text label) {
    for (std::size_t at = out.find(open); at != std::string::npos; at = out.find(open, at + 1)) {
      const std::size_t end = out.find(']', at);
      if (end == std::string::npos) break;
      const std::string tag = out.substr(at, end - at + 1);
      const std::string html = fmt::format("<span class=\"{}\" title=\"{}\">{}</span>", cls, esc(tr(lang, label)), tag);
      out.replace(at, tag.size(), html);
      at += html.size() - 1;
    }
  };
  wrap("[assume", "assume", Text::source_assume);
  wrap("[src", "src", Text::source_src);
  return out;
}
}  // namespace

std::string assumptions_section(const ReportInput& in, Lang lang) {
  std::string s = fmt::format("<section id=\"assumptions\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
                              esc(tr(lang, Text::sec_assumptions)), esc(tr(lang, Text::note_assumptions)));
  if (in.differences.empty()) {
    s += fmt::format("<p>{}</p>\n", esc(tr(lang, Text::note_no_differences)));
  } else {
    s += "<div class=\"table-wrap\"><table class=\"assumptions\"><thead><tr>";
    s += fmt::format("<th scope=\"col\">{}</th><th scope=\"col\">{}</th>", esc(tr(lang, Text::col_key)), esc(tr(lang, Text::col_unit)));
    for (std::size_t i = 0; i < in.scenarios.size(); ++i)
      s += fmt::format("<th scope=\"col\"><span class=\"swatch\" style=\"background:{}\"></span>{}</th>", colour(i),
                       esc(in.scenarios[i].title));
    s += fmt::format("<th scope=\"col\">{}</th></tr></thead>\n<tbody>\n", esc(tr(lang, Text::col_source)));
    for (const auto& d : in.differences) {
      s += fmt::format("<tr data-key=\"{0}\"><th scope=\"row\"><code>{0}</code></th><td class=\"unit\">{1}</td>", esc(d.key), esc(d.unit));
      for (const auto& v : d.values) s += fmt::format("<td class=\"param\"><code>{}</code></td>", esc(v));
      s += fmt::format("<td class=\"doc\">{}</td></tr>\n", d.doc.empty() ? esc(tr(lang, Text::source_none)) : source_markup(d.doc, lang));
    }
    s += "</tbody></table></div>\n";
  }
  s += fmt::format("<p class=\"note\">{}</p>\n</section>\n", esc(tr(lang, Text::note_sources)));
  return s;
}

}  // namespace lokalmat::report
