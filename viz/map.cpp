// The map: municipality areas, farms, kitchens by type, hubs (day centres), and the
// week's food flows as lines whose width is kg and whose colour is the channel.
//
// Drawn straight into the window's draw list in screen space, culled to the view: the
// national scenario has ~37,600 farms and ~8,500 kitchens, so farms are small quads, and
// when many kitchens are in view their flows are summed per municipality (one line from
// the hub or the wholesaler to the municipality's centre) and lines thinner than a pixel
// are skipped.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "viz/panels.h"

namespace lokalmat::viz {

namespace {

constexpr float kMaxFlowPx = 12;            // the week's largest flow, pixels wide
constexpr int kAggregateKitchens = 300;     // more kitchens than this in view: flows per municipality
constexpr std::size_t kManyFlows = 1000;    // more flows than this: skip those thinner than ViewState::min_flow_px
constexpr float kPickRadiusPx = 6;
constexpr float kFilledAreaMaxPx = 60;      // municipality discs wider than this are drawn as a rim

// km <-> screen pixels for the current view (y grows up in km, down on screen)
struct Transform {
  ImVec2 origin;      // screen position of the view centre
  Point centre_km;
  double px_per_km;
  [[nodiscard]] ImVec2 to_screen(Point p) const {
    return {origin.x + static_cast<float>((p.x_km - centre_km.x_km) * px_per_km),
            origin.y - static_cast<float>((p.y_km - centre_km.y_km) * px_per_km)};
  }
  [[nodiscard]] Point to_km(ImVec2 s) const {
    return {centre_km.x_km + (s.x - origin.x) / px_per_km, centre_km.y_km - (s.y - origin.y) / px_per_km};
  }
};

bool inside(ImVec2 p, ImVec2 lo, ImVec2 hi, float margin) {
  return p.x >= lo.x - margin && p.x <= hi.x + margin && p.y >= lo.y - margin && p.y <= hi.y + margin;
}

float dist2(ImVec2 a, ImVec2 b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }

const char* farm_status_name(FarmStatus s) {
  switch (s) {
    case FarmStatus::unaware: return "unaware of the channel";
    case FarmStatus::aware: return "aware";
    case FarmStatus::qualified: return "qualified";
    case FarmStatus::active: return "active in the municipal channel";
    case FarmStatus::exited: return "left the channel";
  }
  return "";
}

// the more telling status wins a shared grid cell
int farm_status_priority(FarmStatus s) {
  switch (s) {
    case FarmStatus::unaware: return 0;
    case FarmStatus::aware: return 1;
    case FarmStatus::qualified: return 2;
    case FarmStatus::exited: return 3;
    case FarmStatus::active: return 4;
  }
  return 0;
}

// many points on screen as one quad per occupied cell of a coarse grid: the vertex count is
// bounded by the view's size, not by the number of agents (a software renderer pays for each)
class ScreenGrid {
 public:
  ScreenGrid(ImVec2 lo, ImVec2 hi, float cell_px)
      : lo_(lo), cell_(std::max(cell_px, 1.0f)),
        cols_(static_cast<int>((hi.x - lo.x) / cell_) + 1), rows_(static_cast<int>((hi.y - lo.y) / cell_) + 1),
        code_(static_cast<std::size_t>(cols_) * static_cast<std::size_t>(rows_), 0),
        rank_(code_.size(), 0) {}
  // a point with a colour code (> 0) and a rank: the highest rank keeps the cell
  void mark(ImVec2 s, int code, int rank) {
    const int cx = static_cast<int>((s.x - lo_.x) / cell_), cy = static_cast<int>((s.y - lo_.y) / cell_);
    if (cx < 0 || cy < 0 || cx >= cols_ || cy >= rows_) return;
    const auto i = static_cast<std::size_t>(cy) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(cx);
    if (rank >= rank_[i]) {
      rank_[i] = static_cast<std::uint8_t>(rank);
      code_[i] = static_cast<std::uint8_t>(code);
    }
  }
  template <typename Colour>
  void draw(ImDrawList* dl, Colour colour_of) const {
    for (int cy = 0; cy < rows_; ++cy)
      for (int cx = 0; cx < cols_; ++cx) {
        const auto i = static_cast<std::size_t>(cy) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(cx);
        if (!code_[i]) continue;
        const ImVec2 a(lo_.x + static_cast<float>(cx) * cell_, lo_.y + static_cast<float>(cy) * cell_);
        dl->AddRectFilled(a, ImVec2(a.x + cell_ - 1, a.y + cell_ - 1), colour_of(code_[i]));
      }
  }

 private:
  ImVec2 lo_;
  float cell_;
  int cols_, rows_;
  std::vector<std::uint8_t> code_, rank_;
};

struct Flow {
  Point from, to;
  double kg;
  unsigned col;
};

// the week's flows, per kitchen or summed per municipality; only those ending in view (a line
// from the far wholesaler to a kitchen off screen would only cross it)
template <typename InView>
std::vector<Flow> collect_flows(const Snapshot& snap, const ViewState& view, bool per_municipality, InView in_view) {
  const World& w = *snap.world;
  const AgentView& a = snap.agents;
  std::vector<Flow> flows;
  // farm -> market (hub)
  if (view.show_local_flows)
    for (std::size_t k = 0; k < w.channel_farm.size() && k < a.channel_delivered_kg.size(); ++k)
      if (a.channel_delivered_kg[k] > 0 &&
          (in_view(w.farm_pos[w.channel_farm[k]]) || in_view(w.market_pos[w.channel_market[k]])))
        flows.push_back({w.farm_pos[w.channel_farm[k]], w.market_pos[w.channel_market[k]],
                         a.channel_delivered_kg[k], colour::local_flow()});
  const std::size_t nb = std::min(w.buyer_pos.size(), a.buyer_local_kg.size());
  if (!per_municipality) {
    for (std::size_t b = 0; b < nb; ++b) {
      if (!in_view(w.buyer_pos[b])) continue;
      if (view.show_local_flows && a.buyer_local_kg[b] > 0 && w.buyer_market[b] >= 0)
        flows.push_back({w.market_pos[static_cast<std::size_t>(w.buyer_market[b])], w.buyer_pos[b],
                         a.buyer_local_kg[b], colour::local_flow()});
      if (view.show_wholesale_flows && a.buyer_wholesale_kg[b] > 0)
        flows.push_back({w.wholesaler_pos, w.buyer_pos[b], a.buyer_wholesale_kg[b], colour::wholesale_flow()});
    }
    return flows;
  }
  // summed per municipality: hub -> centre (local), wholesaler -> centre
  const std::size_t nm = w.muni_centre.size();
  std::vector<double> local(nm, 0), wholesale(nm, 0);
  std::vector<int> market(nm, -1);
  for (std::size_t b = 0; b < nb; ++b) {
    const auto m = static_cast<std::size_t>(w.buyer_muni[b]);
    if (w.buyer_market[b] >= 0) {
      local[m] += a.buyer_local_kg[b];
      market[m] = w.buyer_market[b];
    }
    wholesale[m] += a.buyer_wholesale_kg[b];
  }
  for (std::size_t m = 0; m < nm; ++m) {
    if (!in_view(w.muni_centre[m])) continue;
    if (view.show_local_flows && local[m] > 0 && market[m] >= 0)
      flows.push_back({w.market_pos[static_cast<std::size_t>(market[m])], w.muni_centre[m], local[m],
                       colour::local_flow()});
    if (view.show_wholesale_flows && wholesale[m] > 0)
      flows.push_back({w.wholesaler_pos, w.muni_centre[m], wholesale[m], colour::wholesale_flow()});
  }
  return flows;
}

struct LegendRow {
  int shape;  // 0 square, 1 circle, 2 diamond, 3 line, 4 disc outline
  unsigned col;
  std::string text;
};

std::vector<LegendRow> legend_rows(double kg_at_max) {
  std::vector<LegendRow> rows = {
      {0, colour::farm(FarmStatus::active), "farm, active"},
      {0, colour::farm(FarmStatus::unaware), "farm, not selling locally"},
      {0, colour::farm(FarmStatus::exited), "farm, left the channel"},
  };
  for (int t = 0; t < kBuyerTypes; ++t)
    rows.push_back({1, colour::kitchen(static_cast<BuyerType>(t)), std::string(kBuyerTypeNames[static_cast<std::size_t>(t)])});
  rows.push_back({2, colour::hub(), "hub and day centre"});
  rows.push_back({4, IM_COL32(90, 200, 110, 255), "municipality, exception open"});
  rows.push_back({4, IM_COL32(150, 150, 160, 255), "municipality, framework only"});
  rows.push_back({3, colour::local_flow(), "local channel"});
  rows.push_back({3, colour::wholesale_flow(), "wholesaler"});
  rows.push_back({-1, 0, fmt::format("line {:.0f} px = {:.0f} kg/week", kMaxFlowPx, kg_at_max)});
  return rows;
}

// the legend's width in pixels
float legend_width(const std::vector<LegendRow>& rows) {
  float w = 0;
  for (const auto& r : rows) w = std::max(w, ImGui::CalcTextSize(r.text.c_str()).x + (r.shape >= 0 ? 26.0f : 8.0f));
  return w + 8;
}

void draw_legend(ImDrawList* dl, ImVec2 top_right, const std::vector<LegendRow>& rows) {
  const float lh = ImGui::GetTextLineHeight();
  const ImVec2 lo(top_right.x - legend_width(rows) - 6, top_right.y + 6);
  const ImVec2 hi(top_right.x - 6, lo.y + static_cast<float>(rows.size()) * lh + 8);
  dl->AddRectFilled(lo, hi, IM_COL32(20, 20, 28, 215), 4);
  float y = lo.y + 4;
  for (const LegendRow& r : rows) {
    if (r.shape < 0) {
      dl->AddText(ImVec2(lo.x + 8, y), IM_COL32(200, 200, 200, 255), r.text.c_str());
      y += lh;
      continue;
    }
    const ImVec2 c(lo.x + 12, y + lh * 0.5f);
    switch (r.shape) {
      case 0: dl->AddRectFilled(ImVec2(c.x - 3, c.y - 3), ImVec2(c.x + 3, c.y + 3), r.col); break;
      case 1: dl->AddCircleFilled(c, 4, r.col, 8); break;
      case 2: dl->AddQuadFilled(ImVec2(c.x, c.y - 6), ImVec2(c.x + 6, c.y), ImVec2(c.x, c.y + 6), ImVec2(c.x - 6, c.y), r.col); break;
      case 3: dl->AddLine(ImVec2(c.x - 8, c.y), ImVec2(c.x + 8, c.y), r.col, 3); break;
      case 4: dl->AddCircle(c, 6, r.col, 16, 1.5f); break;
    }
    dl->AddText(ImVec2(lo.x + 26, y), IM_COL32(230, 230, 230, 255), r.text.c_str());
    y += lh;
  }
}

void draw_scale_bar(ImDrawList* dl, ImVec2 bottom_left, double px_per_km) {
  // the largest 1-2-5 length under 120 px
  double km = 1e-3;
  for (const double step : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0})
    if (step * px_per_km <= 120) km = step;
  const auto px = static_cast<float>(km * px_per_km);
  const ImVec2 a(bottom_left.x + 10, bottom_left.y - 12), b(a.x + px, a.y);
  dl->AddLine(a, b, IM_COL32(240, 240, 240, 255), 2);
  dl->AddText(ImVec2(a.x, a.y - 16), IM_COL32(240, 240, 240, 255), fmt::format("{:g} km", km).c_str());
}

// this frame's canvas: where it is on screen, its draw list, and how km map to it
struct Canvas {
  ImDrawList* dl;
  ImVec2 lo, hi;
  Transform tf;
  [[nodiscard]] bool shows(ImVec2 s, float margin) const { return inside(s, lo, hi, margin); }
  [[nodiscard]] bool shows(Point p) const { return inside(tf.to_screen(p), lo, hi, 0); }
};

// what the mouse is over: the nearest item within a few pixels; of items equally near, the one
// considered last (farms, then kitchens, then markets)
struct Hover {
  bool track = false;  // the mouse is over the map and not dragging it
  ImVec2 mouse;
  float best = kPickRadiusPx * kPickRadiusPx;
  Pick kind = Pick::none;
  int index = -1;
  void consider(Pick k, int i, ImVec2 s) {
    if (!track) return;
    const float d = dist2(s, mouse);
    if (d <= best) {
      best = d;
      kind = k;
      index = i;
    }
  }
};

// the layer toggles above the map; true when "fit" was pressed
bool draw_toggles(ViewState& view) {
  ImGui::Checkbox("areas", &view.show_areas);
  ImGui::SameLine();
  ImGui::Checkbox("farms", &view.show_farms);
  ImGui::SameLine();
  ImGui::Checkbox("idle farms", &view.show_idle_farms);
  ImGui::SameLine();
  ImGui::Checkbox("kitchens", &view.show_kitchens);
  ImGui::SameLine();
  ImGui::Checkbox("local", &view.show_local_flows);
  ImGui::SameLine();
  ImGui::Checkbox("wholesale", &view.show_wholesale_flows);
  ImGui::SameLine();
  ImGui::Checkbox("legend", &view.show_legend);
  ImGui::SameLine();
  return ImGui::Button("fit");
}

// the whole world in view, left of the legend when it is shown
void fit_view(const World& w, ViewState& view, ImVec2 size) {
  const float legend_px = view.show_legend ? legend_width(legend_rows(0)) + 12 : 0;
  const double free_x = std::max(size.x - legend_px, size.x * 0.5f);
  const double span_x = std::max(w.max_km.x_km - w.min_km.x_km, 1.0);
  const double span_y = std::max(w.max_km.y_km - w.min_km.y_km, 1.0);
  view.px_per_km = 0.95 * std::min(free_x / span_x, size.y / span_y);
  // the world's centre sits in the middle of the free part
  const double shift_km = (size.x - free_x) / 2 / view.px_per_km;
  view.view_centre_km = {(w.min_km.x_km + w.max_km.x_km) / 2 + shift_km, (w.min_km.y_km + w.max_km.y_km) / 2};
}

// centre on the municipality asked for by name or table id, its area a third of the view's height
void focus_view(const World& w, ViewState& view, ImVec2 size) {
  for (std::size_t m = 0; m < w.muni_names.size(); ++m)
    if (w.muni_names[m] == view.focus || (m < w.muni_ids.size() && w.muni_ids[m] == view.focus)) {
      view.view_centre_km = w.muni_centre[m];
      view.px_per_km = size.y / (6 * std::max(w.muni_radius_km[m], 0.5));
    }
  view.focus.clear();
}

// zoom about the mouse (wheel) and pan by dragging the canvas, the last item drawn; true while dragging
bool zoom_and_pan(ViewState& view, Transform& tf, bool hovered) {
  const ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    const Point under = tf.to_km(io.MousePos);
    view.px_per_km = std::clamp(view.px_per_km * std::pow(1.2, io.MouseWheel), 1e-3, 1e5);
    tf.px_per_km = view.px_per_km;
    const Point after = tf.to_km(io.MousePos);
    view.view_centre_km.x_km += under.x_km - after.x_km;
    view.view_centre_km.y_km += under.y_km - after.y_km;
    tf.centre_km = view.view_centre_km;
  }
  const bool dragging = ImGui::IsItemActive() && (ImGui::IsMouseDragging(ImGuiMouseButton_Left) ||
                                                  ImGui::IsMouseDragging(ImGuiMouseButton_Right));
  if (dragging) {
    view.view_centre_km.x_km -= io.MouseDelta.x / view.px_per_km;
    view.view_centre_km.y_km += io.MouseDelta.y / view.px_per_km;
    tf.centre_km = view.view_centre_km;
  }
  return dragging;
}

// municipality areas: discs of the municipality's area, green where the exception is open
void draw_areas(const Canvas& c, const World& w, const AgentView& a) {
  for (std::size_t m = 0; m < w.muni_centre.size(); ++m) {
    const ImVec2 centre = c.tf.to_screen(w.muni_centre[m]);
    const auto r = static_cast<float>(w.muni_radius_km[m] * c.tf.px_per_km);
    if (!c.shows(centre, r)) continue;
    const bool open = m < a.muni_exception_open.size() && a.muni_exception_open[m];
    const int segments = std::clamp(static_cast<int>(r / 2), 12, 64);
    const ImU32 fill = open ? IM_COL32(60, 140, 80, 60) : IM_COL32(120, 120, 140, 40);
    // a software renderer pays for every pixel: a large area gets a tinted band inside its rim
    if (r < kFilledAreaMaxPx) c.dl->AddCircleFilled(centre, r, fill, segments);
    else c.dl->AddCircle(centre, r - 5, fill, segments, 10);
    if (r > 3) c.dl->AddCircle(centre, r, open ? IM_COL32(90, 200, 110, 200) : IM_COL32(150, 150, 160, 140), segments, 1);
    if (r > 40) {
      const std::string& name = w.muni_names[m];
      c.dl->AddText(ImVec2(centre.x - ImGui::CalcTextSize(name.c_str()).x / 2, centre.y - r + 4),
                    IM_COL32(220, 220, 230, 200), name.c_str());
    }
  }
}

struct FlowLayer {
  bool per_municipality = false;  // too many kitchens in view: flows summed per municipality
  double max_kg = 0;              // the widest line's kg (for the legend)
};

// the week's flows, wholesale underneath and local on top, per kitchen or per municipality
FlowLayer draw_flows(const Canvas& c, const Snapshot& snap, const ViewState& view) {
  // kitchens in view decide whether flows are drawn per kitchen or per municipality
  int kitchens_in_view = 0;
  for (const auto& p : snap.world->buyer_pos)
    if (c.shows(p)) ++kitchens_in_view;
  FlowLayer layer;
  layer.per_municipality = kitchens_in_view > kAggregateKitchens;
  const std::vector<Flow> flows =
      collect_flows(snap, view, layer.per_municipality, [&](Point p) { return c.shows(p); });
  for (const auto& f : flows) layer.max_kg = std::max(layer.max_kg, f.kg);
  for (int pass = 0; pass < 2; ++pass)  // wholesale underneath, local on top
    for (const auto& f : flows) {
      if ((f.col == colour::local_flow()) != (pass == 1)) continue;
      // every flow is at least a pixel wide, unless there are many (then hairlines are skipped)
      const auto width = static_cast<float>(kMaxFlowPx * f.kg / layer.max_kg);
      if (flows.size() > kManyFlows && width < view.min_flow_px) continue;
      const ImVec2 s0 = c.tf.to_screen(f.from), s1 = c.tf.to_screen(f.to);
      if (std::max(s0.x, s1.x) < c.lo.x || std::min(s0.x, s1.x) > c.hi.x || std::max(s0.y, s1.y) < c.lo.y ||
          std::min(s0.y, s1.y) > c.hi.y)
        continue;
      c.dl->AddLine(s0, s1, f.col, std::max(width, 1.0f));
    }
  return layer;
}

// farms: small quads, bigger when zoomed in; when many are in view, one quad per occupied
// cell of a coarse screen grid (an active farm wins its cell, so the few that sell show)
void draw_farms(const Canvas& c, const World& w, const AgentView& a, const ViewState& view, Hover& hover) {
  const float farm_px = c.tf.px_per_km > 20 ? 3.5f : c.tf.px_per_km > 3 ? 2.0f : 1.0f;
  ScreenGrid grid(c.lo, c.hi, 2 * farm_px + 1);
  for (std::size_t p = 0; p < w.farm_pos.size() && p < a.farm_status.size(); ++p) {
    const FarmStatus st = a.farm_status[p];
    const bool idle = st != FarmStatus::active;
    if (idle && !view.show_idle_farms) continue;
    const ImVec2 s = c.tf.to_screen(w.farm_pos[p]);
    if (!c.shows(s, 4)) continue;
    hover.consider(Pick::farm, static_cast<int>(p), s);
    if (idle) grid.mark(s, static_cast<int>(st) + 1, 1 + farm_status_priority(st));
    else c.dl->AddRectFilled(ImVec2(s.x - farm_px - 1, s.y - farm_px - 1), ImVec2(s.x + farm_px + 1, s.y + farm_px + 1),
                             colour::farm(st));
  }
  grid.draw(c.dl, [](int code) { return colour::farm(static_cast<FarmStatus>(code - 1)); });
}

// kitchens: circles coloured by type when few are in view, ringed when they order locally this
// week; small quads on the grid when many are
void draw_kitchens(const Canvas& c, const World& w, const AgentView& a, bool circles, Hover& hover) {
  const float kitchen_px = c.tf.px_per_km > 20 ? 4.5f : c.tf.px_per_km > 3 ? 3.0f : 1.5f;
  ScreenGrid grid(c.lo, c.hi, 2 * kitchen_px + 1);
  for (std::size_t b = 0; b < w.buyer_pos.size(); ++b) {
    const ImVec2 s = c.tf.to_screen(w.buyer_pos[b]);
    if (!c.shows(s, 5)) continue;
    hover.consider(Pick::kitchen, static_cast<int>(b), s);
    if (!circles) {
      grid.mark(s, static_cast<int>(w.buyer_type[b]) + 1, 1);
      continue;
    }
    c.dl->AddCircleFilled(s, kitchen_px, colour::kitchen(w.buyer_type[b]), 8);
    if (b < a.buyer_participating.size() && a.buyer_participating[b] && kitchen_px > 2)
      c.dl->AddCircle(s, kitchen_px + 1.5f, colour::local_flow(), 10, 1.5f);
  }
  grid.draw(c.dl, [](int code) { return colour::kitchen(static_cast<BuyerType>(code - 1)); });
}

// hubs (day centres) as diamonds, a direct market as an outline; the wholesaler off the map's corner
void draw_markets(const Canvas& c, const World& w, Hover& hover) {
  for (std::size_t h = 0; h < w.market_pos.size(); ++h) {
    const ImVec2 s = c.tf.to_screen(w.market_pos[h]);
    if (!c.shows(s, 8)) continue;
    const float r = 7;
    const ImVec2 q0(s.x, s.y - r), q1(s.x + r, s.y), q2(s.x, s.y + r), q3(s.x - r, s.y);
    if (w.market_kind[h] == MarketKind::platform) c.dl->AddQuadFilled(q0, q1, q2, q3, colour::hub());
    else c.dl->AddQuad(q0, q1, q2, q3, colour::hub(), 2);
    hover.consider(Pick::market, static_cast<int>(h), s);
  }
  const ImVec2 s = c.tf.to_screen(w.wholesaler_pos);
  c.dl->AddRectFilled(ImVec2(s.x - 7, s.y - 5), ImVec2(s.x + 7, s.y + 5), colour::wholesale_flow());
  c.dl->AddText(ImVec2(s.x + 10, s.y - 7), IM_COL32(230, 200, 170, 255),
                fmt::format("wholesaler ({:.0f} road km)", w.wholesaler_road_km).c_str());
}

// a municipality when nothing smaller is under the mouse: the smallest area holding it
void hover_municipality(const Canvas& c, const World& w, Hover& hover) {
  if (!hover.track || hover.kind != Pick::none || !c.shows(hover.mouse, 0)) return;
  const Point km = c.tf.to_km(hover.mouse);
  double smallest = 1e300;
  for (std::size_t m = 0; m < w.muni_centre.size(); ++m) {
    const double dx = km.x_km - w.muni_centre[m].x_km, dy = km.y_km - w.muni_centre[m].y_km;
    const double r = w.muni_radius_km[m];
    if (dx * dx + dy * dy <= r * r && r < smallest) {
      smallest = r;
      hover.kind = Pick::municipality;
      hover.index = static_cast<int>(m);
    }
  }
}

// where a picked item is on the map (a participant: at their day centre); null when out of range
const Point* position_of(const World& w, const AgentView& a, Pick kind, int i) {
  const auto u = static_cast<std::size_t>(i);
  switch (kind) {
    case Pick::farm: return u < w.farm_pos.size() ? &w.farm_pos[u] : nullptr;
    case Pick::kitchen: return u < w.buyer_pos.size() ? &w.buyer_pos[u] : nullptr;
    case Pick::market: return u < w.market_pos.size() ? &w.market_pos[u] : nullptr;
    case Pick::municipality: return u < w.muni_centre.size() ? &w.muni_centre[u] : nullptr;
    case Pick::participant:
      return u < a.worker_centre.size() && a.worker_centre[u] < w.market_pos.size() ? &w.market_pos[a.worker_centre[u]]
                                                                                     : nullptr;
    case Pick::none: return nullptr;
  }
  return nullptr;
}

// the item under the mouse, described in a tooltip
void draw_tooltip(const World& w, const AgentView& a, Pick kind, int index) {
  const auto i = static_cast<std::size_t>(index);
  ImGui::BeginTooltip();
  switch (kind) {
    case Pick::farm:
      ImGui::Text("%s", w.farm_names[i].c_str());
      ImGui::Text("%s, %s%s", w.muni_names[static_cast<std::size_t>(w.farm_muni[i])].c_str(),
                  farm_status_name(a.farm_status[i]), w.farm_organic[i] ? ", organic" : "");
      ImGui::Text("area %.0f daa; delivered %.0f kg this week", a.farm_area_daa[i], a.farm_delivered_kg[i]);
      ImGui::Text("municipal income %.0f NOK this week, %.0f NOK since the start", a.farm_income_week_nok[i],
                  a.farm_income_total_nok[i]);
      break;
    case Pick::kitchen:
      ImGui::Text("%s (%s)", w.buyer_names[i].c_str(),
                  std::string(kBuyerTypeNames[static_cast<std::size_t>(w.buyer_type[i])]).c_str());
      ImGui::Text("%d eaters, %.0f meals this week", w.buyer_eaters[i], a.buyer_meals[i]);
      ImGui::Text("local %.1f kg, wholesaler %.1f kg this week", a.buyer_local_kg[i], a.buyer_wholesale_kg[i]);
      ImGui::Text("satisfaction %.2f; %s; local delivery: %s", a.buyer_satisfaction[i],
                  a.buyer_participating[i] ? "orders locally" : "does not order locally",
                  outcome_label(a.buyer_outcome[i]));
      break;
    case Pick::market:
      ImGui::Text("%s of %s", w.market_kind[i] == MarketKind::platform ? "hub and day centre" : "direct market",
                  w.muni_names[static_cast<std::size_t>(w.market_muni[i])].c_str());
      ImGui::Text("handled %.0f kg of %.0f kg capacity this week", a.market_handled_kg[i], a.market_capacity_kg[i]);
      break;
    case Pick::municipality:
      ImGui::Text("%s (population %d)", w.muni_names[i].c_str(), w.muni_population[i]);
      ImGui::Text("local share %.1f %% by value this week", 100 * a.muni_local_share[i]);
      ImGui::Text("local %.0f kg, wholesaler %.0f kg this week", a.muni_local_kg[i], a.muni_wholesale_kg[i]);
      ImGui::Text("backing %.2f, trust %.2f, exception %s", a.muni_backing[i], a.muni_trust[i],
                  a.muni_exception_open[i] ? "open" : "closed");
      ImGui::TextDisabled("click: edit its levers");
      break;
    default: break;
  }
  ImGui::EndTooltip();
}

// a click (not a drag) picks the item under the mouse and its table row or lever panel
void pick_on_click(ViewState& view, const Hover& hover) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool was_drag = io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] >= io.MouseDragThreshold * io.MouseDragThreshold;
  if (!hover.track || !ImGui::IsMouseReleased(ImGuiMouseButton_Left) || was_drag || hover.kind == Pick::none) return;
  view.pick = hover.kind;
  view.pick_index = hover.index;
  view.scroll_to_pick = true;
  switch (hover.kind) {
    case Pick::farm: view.tab = InspectorTab::farms; view.tab_request = true; break;
    case Pick::kitchen: view.tab = InspectorTab::kitchens; view.tab_request = true; break;
    case Pick::market: view.tab = InspectorTab::participants; view.tab_request = true; break;
    case Pick::municipality: view.lever_muni = hover.index; break;
    default: break;
  }
}

}  // namespace

void draw_map(const Snapshot& snap, ViewState& view, const Layout& layout) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float map_w = (display.x - layout.left_w) * 0.6f;
  ImGui::SetNextWindowPos(ImVec2(layout.left_w, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(map_w, layout.top_h), ImGuiCond_Always);
  ImGui::Begin("Map", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoSavedSettings);
  const World& w = *snap.world;
  const AgentView& a = snap.agents;

  // what is shown
  const bool fit = draw_toggles(view);

  // the canvas takes the rest of the window and the mouse
  const ImVec2 lo = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 50.0f);
  size.y = std::max(size.y, 50.0f);
  const ImVec2 hi(lo.x + size.x, lo.y + size.y);
  ImGui::InvisibleButton("canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();

  // where the view is: the world fitted (first frame, or on request), a municipality asked for,
  // then the mouse's zoom and pan
  if (fit || view.px_per_km <= 0) fit_view(w, view, size);
  if (!view.focus.empty()) focus_view(w, view, size);
  Transform tf{ImVec2(lo.x + size.x / 2, lo.y + size.y / 2), view.view_centre_km, view.px_per_km};
  const bool dragging = zoom_and_pan(view, tf, hovered);

  const Canvas c{ImGui::GetWindowDrawList(), lo, hi, tf};
  c.dl->PushClipRect(lo, hi, true);
  c.dl->AddRect(lo, hi, IM_COL32(70, 74, 84, 255));
  Hover hover;
  hover.track = hovered && !dragging;
  hover.mouse = ImGui::GetIO().MousePos;

  // the layers, bottom to top; farms, kitchens and markets are candidates for the mouse
  if (view.show_areas) draw_areas(c, w, a);
  const FlowLayer flows = draw_flows(c, snap, view);
  if (view.show_farms) draw_farms(c, w, a, view, hover);
  if (view.show_kitchens) draw_kitchens(c, w, a, !flows.per_municipality, hover);
  draw_markets(c, w, hover);
  hover_municipality(c, w, hover);

  // the selected item ringed, the legend, the scale, and a note when flows are summed
  if (const Point* p = position_of(w, a, view.pick, view.pick_index))
    c.dl->AddCircle(c.tf.to_screen(*p), 10, IM_COL32(255, 255, 255, 255), 20, 2);
  if (view.show_legend) draw_legend(c.dl, ImVec2(hi.x, lo.y), legend_rows(flows.max_kg));
  draw_scale_bar(c.dl, ImVec2(lo.x, hi.y), c.tf.px_per_km);
  if (flows.per_municipality)
    c.dl->AddText(ImVec2(lo.x + 150, hi.y - 8 - ImGui::GetTextLineHeight()), IM_COL32(200, 200, 200, 255),
                  "flows summed per municipality (zoom in for kitchens)");
  c.dl->PopClipRect();

  // details under the mouse; a click picks
  if (hover.kind != Pick::none) draw_tooltip(w, a, hover.kind, hover.index);
  pick_on_click(view, hover);
  ImGui::End();
}

const char* outcome_label(DeliveryOutcome o) {
  switch (o) {
    case DeliveryOutcome::nothing: return "nothing came";
    case DeliveryOutcome::partial: return "partial";
    case DeliveryOutcome::full: return "full";
    case DeliveryOutcome::no_order: break;
  }
  return "no local order";
}

}  // namespace lokalmat::viz
