// The charts: weekly series of the visual run (and, faded, of the baseline run without
// the user's levers), drawn with the draw list: axes with units, several series, and
// markers for elections (E), framework tenders (T) and interventions (I).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "viz/panels.h"

namespace lokalmat::viz {

namespace {

struct Series {
  std::string name;
  const std::vector<double>* values;
  const std::vector<double>* baseline;  // the same series of the baseline run, or null
  unsigned col;
  float thickness;
  double scale;                          // plotted value = value x scale
};

struct Chart {
  std::string title;                     // with the unit
  std::vector<Series> series;
  double y_min_floor = 0;                // the y axis starts at or below this
};

unsigned with_alpha(unsigned col, unsigned alpha) { return (col & ~IM_COL32_A_MASK) | (alpha << IM_COL32_A_SHIFT); }

// a "nice" tick step (1, 2 or 5 x 10^k) giving about `count` ticks over `span`
double nice_step(double span, int count) {
  const double raw = span / std::max(count, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-12))));
  const double f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

std::string tick_label(double v, double step) {
  if (std::abs(v) >= 10000) return fmt::format("{:.0f}k", v / 1000);
  if (step >= 1) return fmt::format("{:.0f}", v);
  if (step >= 0.1) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

// a polyline over the weeks, broken where a value is undefined (NaN)
void plot_line(ImDrawList* dl, const std::vector<double>& v, double scale, int weeks, ImVec2 lo, ImVec2 hi, double x_max,
               double y_lo, double y_hi, unsigned col, float thickness, std::vector<ImVec2>& points) {
  const float w = hi.x - lo.x, h = hi.y - lo.y;
  const int n = std::min(weeks, static_cast<int>(v.size()));
  // at most about one point per pixel: take every step-th week
  const int step = std::max(1, static_cast<int>(static_cast<float>(n) / std::max(w, 1.0f)));
  points.clear();
  auto flush = [&] {
    if (points.size() >= 2) dl->AddPolyline(points.data(), static_cast<int>(points.size()), col, 0, thickness);
    points.clear();
  };
  for (int i = 0; i < n; i += step) {
    const double y = v[static_cast<std::size_t>(i)] * scale;
    if (!std::isfinite(y)) {
      flush();
      continue;
    }
    const float px = lo.x + static_cast<float>((i + 0.5) / x_max) * w;
    const float py = hi.y - static_cast<float>((std::clamp(y, y_lo, y_hi) - y_lo) / (y_hi - y_lo)) * h;
    points.emplace_back(px, py);
  }
  flush();
}

void draw_chart(const Chart& c, const Snapshot& snap, ViewState& view, ImVec2 lo, ImVec2 size, int& hover_week_out) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const World& w = *snap.world;
  const float lh = ImGui::GetTextLineHeight();
  const ImVec2 hi(lo.x + size.x, lo.y + size.y);
  dl->PushClipRect(lo, hi, true);
  dl->AddText(ImVec2(lo.x + 6, lo.y + 2), IM_COL32(235, 235, 235, 255), c.title.c_str());
  dl->PopClipRect();
  // the plot area, inside the axis labels
  const ImVec2 plo(lo.x + 48, lo.y + lh + 8), phi(hi.x - 8, hi.y - lh - 6);
  if (phi.x - plo.x < 20 || phi.y - plo.y < 20) return;
  const int weeks = snap.history.weeks();
  // the x axis spans the whole run, or the years run so far
  const int years_run = weeks / kWeeksPerYear + 1;
  const double x_max = view.chart_whole_run ? std::max(w.weeks_planned, std::max(weeks, 1))
                                            : std::min(years_run * kWeeksPerYear, std::max(w.weeks_planned, weeks));

  // the y range over every series (and its baseline), from 0 unless values go below
  double y_lo = c.y_min_floor, y_hi = -1e300;
  for (const auto& s : c.series)
    for (const auto* v : {s.values, s.baseline})
      if (v)
        for (const double x : *v)
          if (std::isfinite(x)) {
            y_lo = std::min(y_lo, x * s.scale);
            y_hi = std::max(y_hi, x * s.scale);
          }
  if (y_hi <= y_lo) y_hi = y_lo + 1;
  const double step = nice_step(y_hi - y_lo, 4);
  y_lo = std::floor(y_lo / step) * step;
  y_hi = std::ceil(y_hi * 1.02 / step) * step;

  // y axis: grid lines and labels with the unit in the title
  for (double y = y_lo; y <= y_hi + step * 0.01; y += step) {
    const float py = phi.y - static_cast<float>((y - y_lo) / (y_hi - y_lo)) * (phi.y - plo.y);
    dl->AddLine(ImVec2(plo.x, py), ImVec2(phi.x, py), IM_COL32(60, 62, 70, 255));
    const std::string label = tick_label(y, step);
    dl->AddText(ImVec2(plo.x - 6 - ImGui::CalcTextSize(label.c_str()).x, py - lh / 2), IM_COL32(180, 180, 180, 255),
                label.c_str());
  }
  // x axis: a tick at each year, labelled with the year
  const int years = static_cast<int>(std::ceil(x_max / kWeeksPerYear));
  const int year_step = years > 12 ? 5 : years > 6 ? 2 : 1;
  for (int y = 0; y <= years; y += year_step) {
    const float px = plo.x + static_cast<float>(y * kWeeksPerYear / x_max) * (phi.x - plo.x);
    if (px > phi.x + 1) break;
    dl->AddLine(ImVec2(px, phi.y), ImVec2(px, phi.y + 4), IM_COL32(180, 180, 180, 255));
    dl->AddText(ImVec2(px - 14, phi.y + 4), IM_COL32(180, 180, 180, 255), fmt::format("{}", w.start.year + y).c_str());
  }
  dl->AddRect(plo, phi, IM_COL32(110, 110, 120, 255));

  // markers: elections, tenders, interventions
  dl->PushClipRect(plo, phi, true);
  auto marker = [&](int week, unsigned col, const char* tag) {
    const float px = plo.x + static_cast<float>((week + 0.5) / x_max) * (phi.x - plo.x);
    dl->AddLine(ImVec2(px, plo.y), ImVec2(px, phi.y), with_alpha(col, 120), 1);
    dl->AddText(ImVec2(px + 2, plo.y), col, tag);
  };
  for (const int wk : snap.history.election_weeks) marker(wk, IM_COL32(200, 130, 255, 255), "E");
  for (const int wk : snap.history.tender_weeks) marker(wk, IM_COL32(120, 220, 255, 255), "T");
  for (const auto& iv : snap.log) marker(iv.week, IM_COL32(255, 255, 255, 255), "I");

  // the baseline faded underneath, then the visual run
  std::vector<ImVec2> points;
  for (const auto& s : c.series)
    if (s.baseline && snap.compare)
      plot_line(dl, *s.baseline, s.scale, static_cast<int>(s.baseline->size()), plo, phi, x_max, y_lo, y_hi,
                with_alpha(s.col, 110), s.thickness + 1.5f, points);
  for (const auto& s : c.series)
    plot_line(dl, *s.values, s.scale, weeks, plo, phi, x_max, y_lo, y_hi, s.col, s.thickness, points);

  // the week under the mouse, in every chart
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered() && mouse.x >= plo.x && mouse.x <= phi.x && mouse.y >= plo.y && mouse.y <= phi.y)
    hover_week_out = std::clamp(static_cast<int>((mouse.x - plo.x) / (phi.x - plo.x) * x_max), 0, std::max(weeks - 1, 0));
  if (view.hover_week >= 0 && view.hover_week < weeks) {
    const float px = plo.x + static_cast<float>((view.hover_week + 0.5) / x_max) * (phi.x - plo.x);
    dl->AddLine(ImVec2(px, plo.y), ImVec2(px, phi.y), IM_COL32(255, 255, 255, 90), 1);
  }
  dl->PopClipRect();

  // a legend of the first few series in the title line, clipped to the chart
  dl->PushClipRect(lo, hi, true);
  float lx = lo.x + 10 + ImGui::CalcTextSize(c.title.c_str()).x;
  for (std::size_t i = 0; i < c.series.size() && i < 3 && c.series.size() > 1; ++i) {
    const auto& s = c.series[i];
    dl->AddLine(ImVec2(lx, lo.y + 2 + lh / 2), ImVec2(lx + 12, lo.y + 2 + lh / 2), s.col, 3);
    dl->AddText(ImVec2(lx + 15, lo.y + 2), IM_COL32(200, 200, 200, 255), s.name.c_str());
    lx += 22 + ImGui::CalcTextSize(s.name.c_str()).x;
  }
  dl->PopClipRect();

  // details at the hovered week
  if (ImGui::IsWindowHovered() && mouse.x >= lo.x && mouse.x <= hi.x && mouse.y >= lo.y && mouse.y <= hi.y &&
      view.hover_week >= 0 && view.hover_week < weeks) {
    const auto wk = static_cast<std::size_t>(view.hover_week);
    ImGui::BeginTooltip();
    ImGui::Text("week %d (%s)", view.hover_week, format_date(add_days(w.start, 7 * view.hover_week)).c_str());
    for (const auto& s : c.series) {
      const double v = wk < s.values->size() ? (*s.values)[wk] * s.scale : std::nan("");
      if (s.baseline && snap.compare && wk < s.baseline->size())
        ImGui::Text("%s: %.3g (without my levers %.3g)", s.name.c_str(), v, (*s.baseline)[wk] * s.scale);
      else
        ImGui::Text("%s: %.3g", s.name.c_str(), v);
    }
    for (const auto& iv : snap.log)
      if (iv.week == view.hover_week) ImGui::Text("I: %s = %s", iv.key.c_str(), iv.value.c_str());
    if (std::find(snap.history.election_weeks.begin(), snap.history.election_weeks.end(), view.hover_week) !=
        snap.history.election_weeks.end())
      ImGui::TextUnformatted("E: municipal election");
    if (std::find(snap.history.tender_weeks.begin(), snap.history.tender_weeks.end(), view.hover_week) !=
        snap.history.tender_weeks.end())
      ImGui::TextUnformatted("T: framework agreement re-tendered");
    ImGui::EndTooltip();
  }
}

}  // namespace

void draw_charts(const Snapshot& snap, ViewState& view, const Layout& layout) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(layout.left_w, layout.top_h), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(display.x - layout.left_w, display.y - layout.top_h), ImGuiCond_Always);
  ImGui::Begin("Charts", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoSavedSettings);
  const History& h = snap.history;
  const History* b = snap.compare ? &snap.baseline : nullptr;
  auto base = [&](const std::vector<double> History::*member) { return b ? &(b->*member) : nullptr; };

  std::vector<Chart> charts;
  {
    Chart c{"local share by value (%)", {}, 0};
    c.series.push_back({"all", &h.local_share_value, base(&History::local_share_value), IM_COL32(255, 255, 255, 255), 2.5f, 100});
    const auto& cats = snap.world->categories;
    for (std::size_t i = 0; i < h.local_share_by_category.size() && i < cats.size(); ++i)
      c.series.push_back({cats[i], &h.local_share_by_category[i],
                          b && i < b->local_share_by_category.size() ? &b->local_share_by_category[i] : nullptr,
                          colour::series(static_cast<int>(i)), 1.0f, 100});
    charts.push_back(std::move(c));
  }
  charts.push_back({"meaningful work (hours/week)",
                    {{"work hours", &h.work_hours, base(&History::work_hours), colour::series(2), 2.0f, 1}}, 0});
  charts.push_back({"participants engaged (persons)",
                    {{"engaged", &h.participants_engaged, base(&History::participants_engaged), colour::series(4), 2.0f, 1}},
                    0});
  charts.push_back({"cost per meal (NOK/eater-day)",
                    {{"cost", &h.cost_per_meal_nok, base(&History::cost_per_meal_nok), colour::series(1), 2.0f, 1},
                     {"budget", &h.budget_per_meal_nok, base(&History::budget_per_meal_nok), colour::series(8), 2.0f, 1}},
                    0});
  charts.push_back(
      {"political backing (0-1)", {{"backing", &h.backing, base(&History::backing), colour::series(3), 2.0f, 1}}, 0});
  charts.push_back({"transport emissions (t CO2e/week)",
                    {{"actual", &h.co2e_kg, base(&History::co2e_kg), colour::series(6), 2.0f, 1e-3},
                     {"all wholesale", &h.co2e_reference_kg, base(&History::co2e_reference_kg), colour::series(8), 1.0f,
                      1e-3}},
                    0});

  // a 3 x 2 grid filling the window
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float legend_h = ImGui::GetFrameHeightWithSpacing();
  constexpr int kCols = 3, kRows = 2;
  const float gap = 6;
  const float cw = (avail.x - gap * (kCols - 1)) / kCols;
  const float ch = (avail.y - legend_h - gap * (kRows - 1)) / kRows;
  int hover_week = -1;
  for (std::size_t i = 0; i < charts.size(); ++i) {
    const auto col = static_cast<float>(i % kCols), row = static_cast<float>(i / kCols);
    draw_chart(charts[i], snap, view, ImVec2(origin.x + col * (cw + gap), origin.y + row * (ch + gap)), ImVec2(cw, ch),
               hover_week);
  }
  view.hover_week = hover_week;
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + avail.y - legend_h));
  ImGui::Checkbox("whole run", &view.chart_whole_run);
  ImGui::SameLine();
  ImGui::TextDisabled("markers: E election, T framework re-tendered, I intervention%s",
                      snap.compare ? "; faded: the same run without my levers" : "");
  ImGui::End();
}

}  // namespace lokalmat::viz
