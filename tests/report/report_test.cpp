// The pure parts of the policy report: statistics over seeds, thinning of weekly series,
// the SVG chart, the nb/en text tables, and the in-memory recorder against a run file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <string>

#include "results/report.h"
#include "results/report_text.h"
#include "results/result_writer.h"
#include "results/svg_chart.h"
#include "sim/run_totals.h"
#include "sim/scenario.h"
#include "sim/simulation.h"

namespace lokalmat::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

// ---- statistics

TEST(ReportStats, QuantileInterpolatesBetweenOrderStatistics) {
  // type 7: h = (n - 1) q; 4 values, q = 0.05 -> h = 0.15
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.05), 1.15);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.95), 3.85);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile({7}, 0.05), 7);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

TEST(ReportStats, SummarizeSkipsUndefinedValues) {
  const std::vector<double> v = {1, kNaN, 3, 2, 4};
  const Band b = summarize(v);
  EXPECT_DOUBLE_EQ(b.mean, 2.5);
  EXPECT_DOUBLE_EQ(b.p05, 1.15);
  EXPECT_DOUBLE_EQ(b.p95, 3.85);
  const std::vector<double> none = {kNaN};
  EXPECT_TRUE(std::isnan(summarize(none).mean));
}

TEST(ReportStats, BlockRatioIsARatioOfSums) {
  // a share over a block is local NOK over food NOK, skipping weeks where the share is undefined
  const std::vector<double> share = {0.5, kNaN, 0.1, 0.2, 0.3};
  const std::vector<double> spend = {2, 0, 8, 10, 0};
  const auto r = block_ratio(share, spend, 2);
  ASSERT_EQ(r.size(), 3U);
  EXPECT_DOUBLE_EQ(r[0], 0.5);
  EXPECT_DOUBLE_EQ(r[1], (0.1 * 8 + 0.2 * 10) / 18);
  EXPECT_TRUE(std::isnan(r[2]));  // nothing bought: undefined, not zero
}

TEST(ReportStats, BlockMeanAveragesFiniteWeeks) {
  const auto m = block_mean({1, 3, kNaN, 5, 7}, 3);
  ASSERT_EQ(m.size(), 2U);
  EXPECT_DOUBLE_EQ(m[0], 2);
  EXPECT_DOUBLE_EQ(m[1], 6);
}

TEST(ReportStats, ShareByWeekOfYearPoolsTheYears) {
  const std::vector<double> share = {0.1, 0.4, 0.3, kNaN};
  const std::vector<double> spend = {1, 1, 3, 0};
  const std::vector<int> iso = {1, 2, 1, 2};
  const auto s = share_by_week_of_year(share, spend, iso);
  ASSERT_EQ(s.size(), 53U);
  EXPECT_DOUBLE_EQ(s[0], (0.1 + 0.9) / 4);
  EXPECT_DOUBLE_EQ(s[1], 0.4);
  EXPECT_TRUE(std::isnan(s[2]));
}

TEST(ReportStats, StripSeedRemovesOnlyTheRunSeed) {
  const std::string toml = "title = 'x'\n\n[run]\nlayout_seed = 1\nseed = 7\nyears = 2\n\n[other]\nseed = 3\n";
  EXPECT_EQ(strip_seed(toml), "title = 'x'\n\n[run]\nlayout_seed = 1\nyears = 2\n\n[other]\nseed = 3\n");
}

// ---- the SVG chart

Chart two_panel_chart() {
  Chart c;
  c.id = "t";
  c.title = "test";
  c.x = {"Year", 2025, 2027, {{2025, "2025"}, {2026, "2026"}}};
  c.y = {"Local share (%)", 0, 10, numeric_ticks(0, 10, 5, '.')};
  ChartSeries a{"A", "#0072B2", {2025, 2025.5, 2026, 2026.5}, {1, 2, kNaN, 4}, {0.5, 1.5, kNaN, 3}, {1.5, 2.5, kNaN, 5}, false};
  ChartSeries b{"B", "#D55E00", {2025, 2026}, {5, 6}, {}, {}, true};
  c.panels = {{"one", {a, b}}, {"two", {a}}};
  c.columns = 2;
  c.markers = {{2025.7, "Election", "election", "#6a3d9a", true}};
  c.legend = {{"A", "#0072B2", false, true}, {"B", "#D55E00", true, false}};
  c.band_note = "band: 5-95% of runs";
  return c;
}

TEST(SvgChart, DrawsOnePathPerSeriesAndABandWhereGiven) {
  const std::string svg = render_chart(two_panel_chart());
  EXPECT_EQ(count(svg, "<svg "), 1U);
  EXPECT_EQ(count(svg, "</svg>"), 1U);
  EXPECT_EQ(count(svg, "class=\"series"), 3U);
  EXPECT_EQ(count(svg, "class=\"series reference\""), 1U);  // B, dashed
  EXPECT_EQ(count(svg, "class=\"band\""), 2U);  // A in both panels; B has none
  EXPECT_EQ(count(svg, "class=\"panel\""), 2U);
  EXPECT_EQ(count(svg, "class=\"marker marker-election\""), 2U);  // in every panel
  EXPECT_EQ(count(svg, "class=\"legend-entry\""), 2U);
  EXPECT_EQ(count(svg, "stroke-dasharray=\"6 4\""), 2U);  // B's line and its legend entry
  EXPECT_NE(svg.find(">Local share (%)</text>"), std::string::npos);
  EXPECT_NE(svg.find(">Year</text>"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos) << "an undefined value must leave a gap, not a NaN coordinate";
}

TEST(SvgChart, AnUndefinedValueBreaksTheLine) {
  Chart c = two_panel_chart();
  c.panels.resize(1);
  c.panels[0].series.resize(1);
  const std::string svg = render_chart(c);
  const auto at = svg.find("class=\"series\"");
  const auto d0 = svg.find(" d=\"", at) + 4;
  const std::string d = svg.substr(d0, svg.find('"', d0) - d0);
  EXPECT_EQ(count(d, "M"), 2U) << d;  // two stretches around the NaN
  EXPECT_EQ(count(d, "L"), 1U) << d;
}

TEST(SvgChart, TextIsEscaped) {
  Chart c = two_panel_chart();
  c.panels[0].series[0].label = "A & <B>";
  const std::string svg = render_chart(c);
  EXPECT_NE(svg.find("data-series=\"A &amp; &lt;B&gt;\""), std::string::npos);
  EXPECT_EQ(svg.find("A & <B>"), std::string::npos);
}

TEST(SvgChart, NiceTicksAreRoundAndCoverTheRange) {
  EXPECT_EQ(nice_ticks(0, 7.3, 5), (std::vector<double>{0, 2, 4, 6}));
  EXPECT_EQ(nice_ticks(0, 1, 5), (std::vector<double>{0, 0.2, 0.4, 3 * 0.2, 0.8, 1}));
  EXPECT_EQ(nice_ticks(2020, 2034.5, 5), (std::vector<double>{2020, 2025, 2030}));
  const auto t = numeric_ticks(0, 1, 5, ',');
  ASSERT_EQ(t.size(), 6U);
  EXPECT_EQ(t[1].label, "0,2");
  EXPECT_EQ(t[5].label, "1,0");
}

// ---- the words

TEST(ReportText, EveryStringHasBothLanguages) {
  const auto table = text_table();
  ASSERT_EQ(table.size(), static_cast<std::size_t>(Text::count_));
  std::set<std::string_view> keys;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& e = table[i];
    EXPECT_EQ(static_cast<std::size_t>(e.id), i);
    EXPECT_TRUE(keys.insert(e.key).second) << "duplicate id " << e.key;
    EXPECT_FALSE(e.nb.empty()) << e.key << " has no bokmål";
    EXPECT_FALSE(e.en.empty()) << e.key << " has no English";
    // the same placeholders in both, so either language formats with the same arguments
    EXPECT_EQ(count(std::string(e.nb), "{}"), count(std::string(e.en), "{}")) << e.key;
  }
  for (auto labels : {rule_labels(), category_labels()})
    for (const auto& l : labels) {
      EXPECT_FALSE(l.nb.empty()) << l.name;
      EXPECT_FALSE(l.en.empty()) << l.name;
    }
}

TEST(ReportText, BokmalWordsAndFallbacks) {
  EXPECT_EQ(tr(Lang::nb, Text::marker_election), "Valg");
  EXPECT_EQ(tr(Lang::nb, Text::marker_tender), "Anbud");
  EXPECT_EQ(tr(Lang::nb, Text::not_lawful), "Ikke lovlig");
  EXPECT_EQ(tr(Lang::en, Text::not_lawful), "Not lawful");
  EXPECT_EQ(category_label(Lang::nb, "fresh_vegetables"), "Grønnsaker");
  EXPECT_EQ(category_label(Lang::nb, "seaweed"), "seaweed");  // a scenario's own category: its name
  EXPECT_EQ(rule_label(Lang::en, "quota_mandate"), "Local-food quota");
  EXPECT_EQ(parse_lang("en"), Lang::en);
  EXPECT_THROW(parse_lang("nn"), std::invalid_argument);
}

// ---- the recorder against a run file, and the page

bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

TEST(ReportData, RecorderHoldsWhatTheRunFileHolds) {
  const Scenario sc = load_scenario(LOKALMAT_SOURCE_DIR "/scenarios/horten.toml", {{"run.years", "1"}});
  const std::string path = (std::filesystem::temp_directory_path() / "lokalmat_report_test.h5").string();
  RunMetadata meta;
  meta.scenario_path = "horten.toml";
  meta.title = sc.title;
  meta.scenario_toml = sc.resolved_toml;
  meta.rules = sc.rules;
  meta.seed = sc.params.seed;
  for (const auto& c : sc.params.categories) meta.categories.push_back(c.name);
  for (const auto& m : sc.params.municipalities) meta.municipalities.push_back(m.name);
  SeedRunRecorder recorder(sc.params.seed);
  RunTotals totals;
  {
    ResultWriter writer(path, meta, OutputRules{.force = true, .inputs = {}});
    Simulation sim(sc.params);
    sim.run(sc.params.weeks, [&](const WeekReport& r) {
      writer.write_week(r);
      recorder.add(r);
      totals.add(r);
    });
    std::vector<RunFigure> figures;
    const auto values = totals.figures();
    for (std::size_t i = 0; i < values.size(); ++i)
      figures.push_back({std::string(run_figures()[i].name), std::string(run_figures()[i].unit), "", values[i]});
    writer.finish(0.0, figures);
  }
  const SeedRun memory = recorder.finish();
  const ScenarioRuns file = read_run_file(path);
  std::filesystem::remove(path);
  ASSERT_EQ(file.runs.size(), 1U);
  const SeedRun& stored = file.runs[0];
  EXPECT_EQ(stored.seed, memory.seed);
  EXPECT_EQ(stored.week_start, memory.week_start);
  EXPECT_EQ(stored.iso_week, memory.iso_week);
  for (std::size_t i = 0; i < memory.weekly.size(); ++i)
    EXPECT_TRUE(same_values(stored.weekly[i], memory.weekly[i])) << kSeriesNames[i];
  for (std::size_t i = 0; i < memory.by_category.size(); ++i)
    EXPECT_TRUE(same_values(stored.by_category[i], memory.by_category[i])) << kCategorySeriesNames[i];
  for (std::size_t i = 0; i < memory.figures.size(); ++i) EXPECT_EQ(stored.figures[i], memory.figures[i]) << i;
  EXPECT_EQ(file.categories, meta.categories);
  EXPECT_EQ(file.resolved_toml, strip_seed(sc.resolved_toml));

  // the page from two scenarios built from it: one SVG per chart section, a warning for the unlawful one
  ReportInput in;
  for (int k = 0; k < 2; ++k) {
    ScenarioRuns s = file;
    s.title = k == 0 ? "First" : "Second";
    s.lawful = k == 0;
    s.lawful_reason = k == 0 ? "" : "quota_mandate is not lawful";
    SeedRun other = stored;
    other.seed += 1;
    s.runs.push_back(other);
    in.scenarios.push_back(s);
  }
  in.version = "test";
  const std::string html = render_report(in, Lang::nb);
  EXPECT_EQ(count(html, "class=\"chart-section\""), 6U);
  EXPECT_EQ(count(html, "<svg "), 6U);
  EXPECT_EQ(count(html, "</section>"), 9U);  // the summary, six charts, the rules, the assumptions
  EXPECT_GE(count(html, "class=\"warning not-lawful\""), 2U);
  EXPECT_NE(html.find("quota_mandate is not lawful"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"nb\">"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace lokalmat::report
