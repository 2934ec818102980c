// The inspector: tables of farms, kitchens and day-centre participants with their state,
// sortable by any column, drawn with ImGuiListClipper (only visible rows are built), and
// tied to the map: a click on a map item selects and scrolls to its row, a click on a row
// selects (rings) the item on the map.
#include <imgui.h>

#include <algorithm>
#include <fmt/format.h>
#include <numeric>

#include "viz/panels.h"

namespace lokalmat::viz {

namespace {

const char* farm_status_short(FarmStatus s) {
  switch (s) {
    case FarmStatus::unaware: return "unaware";
    case FarmStatus::aware: return "aware";
    case FarmStatus::qualified: return "qualified";
    case FarmStatus::active: return "active";
    case FarmStatus::exited: return "exited";
  }
  return "";
}

const char* worker_status_short(WorkerStatus s) {
  switch (s) {
    case WorkerStatus::active: return "active";
    case WorkerStatus::moved_vta: return "moved to VTA";
    case WorkerStatus::moved_work: return "moved to work";
    case WorkerStatus::dropped_out: return "dropped out";
    case WorkerStatus::waiting: return "waiting";
  }
  return "";
}

// the rows in the table's sort order; re-sorted only when the sort or the snapshot changes
template <typename Key>
const std::vector<int>& sorted_rows(SortedRows& rows, int n, const Snapshot& snap, Key key) {
  int column = 0;
  bool descending = false;
  ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
  if (specs && specs->SpecsCount > 0) {
    column = specs->Specs[0].ColumnIndex;
    descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
  }
  // a new sort at once; a new week at most twice a second while playing (sorting the national
  // scenario's 37,561 farms takes milliseconds)
  const double now = ImGui::GetTime();
  const bool new_sort = rows.load_id != snap.world->load_id || rows.column != column ||
                        rows.descending != descending || static_cast<int>(rows.order.size()) != n ||
                        (specs && specs->SpecsDirty);
  const bool new_week = rows.week != snap.week && (!snap.playing || now - rows.sorted_at >= 0.5);
  if (new_sort || new_week) {
    rows.order.resize(static_cast<std::size_t>(n));
    std::iota(rows.order.begin(), rows.order.end(), 0);
    // stable: equal keys keep id order (column 0, the id, needs no sort)
    if (column != 0 || descending)
      std::stable_sort(rows.order.begin(), rows.order.end(), [&](int a, int b) {
        return descending ? key(column, b) < key(column, a) : key(column, a) < key(column, b);
      });
    rows.sorted_at = now;
    rows.week = snap.week;
    rows.load_id = snap.world->load_id;
    rows.column = column;
    rows.descending = descending;
    if (specs) specs->SpecsDirty = false;
  }
  return rows.order;
}

constexpr ImGuiTableFlags kTableFlags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders |
                                        ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                        ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;

void setup_columns(std::initializer_list<const char*> names) {
  ImGui::TableSetupScrollFreeze(1, 1);
  for (const char* n : names) ImGui::TableSetupColumn(n);
  ImGui::TableHeadersRow();
}

// a table body over sorted rows, with the clipper and the picked row scrolled to once
template <typename DrawRow>
void draw_rows(const std::vector<int>& order, ViewState& view, Pick kind, DrawRow draw_row) {
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  if (view.scroll_to_pick && view.pick == kind) {
    const auto it = std::find(order.begin(), order.end(), view.pick_index);
    if (it != order.end()) ImGui::SetScrollY(static_cast<float>(it - order.begin()) * row_h);
    view.scroll_to_pick = false;
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(order.size()), row_h);
  while (clipper.Step())
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const int i = order[static_cast<std::size_t>(r)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const bool picked = view.pick == kind && view.pick_index == i;
      ImGui::PushID(i);
      if (ImGui::Selectable(fmt::format("{}", i).c_str(), picked,
                            ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
        view.pick = kind;
        view.pick_index = i;
      }
      ImGui::PopID();
      draw_row(i);
    }
}

void text_cell(const char* s) {
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(s);
}
void number_cell(double v, const char* format = "%.1f") {
  ImGui::TableNextColumn();
  ImGui::Text(format, v);
}

}  // namespace

void draw_inspector(const Snapshot& snap, ViewState& view, const Layout& layout) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float map_w = (display.x - layout.left_w) * 0.6f;
  ImGui::SetNextWindowPos(ImVec2(layout.left_w + map_w, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(display.x - layout.left_w - map_w, layout.top_h), ImGuiCond_Always);
  ImGui::Begin("Inspector", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoSavedSettings);
  const World& w = *snap.world;
  const AgentView& a = snap.agents;
  if (!ImGui::BeginTabBar("tabs")) {
    ImGui::End();
    return;
  }
  auto tab = [&](const char* label, InspectorTab which) {
    const ImGuiTabItemFlags flags = view.tab_request && view.tab == which ? ImGuiTabItemFlags_SetSelected : 0;
    const bool open = ImGui::BeginTabItem(label, nullptr, flags);
    if (open && !view.tab_request) view.tab = which;
    return open;
  };

  if (tab("Farms", InspectorTab::farms)) {
    const int n = static_cast<int>(std::min(w.farm_pos.size(), a.farm_status.size()));
    ImGui::TextDisabled("%d farms", n);
    if (ImGui::BeginTable("farms", 8, kTableFlags)) {
      setup_columns({"id", "name", "municipality", "status", "area daa", "kg this week", "NOK this week", "NOK total"});
      const auto& order = sorted_rows(view.farm_rows, n, snap, [&](int col, int i) -> double {
        const auto u = static_cast<std::size_t>(i);
        switch (col) {
          case 1: return w.farm_name_rank[u];
          case 2: return w.muni_name_rank[static_cast<std::size_t>(w.farm_muni[u])];
          case 3: return static_cast<double>(a.farm_status[u]);
          case 4: return a.farm_area_daa[u];
          case 5: return a.farm_delivered_kg[u];
          case 6: return a.farm_income_week_nok[u];
          case 7: return a.farm_income_total_nok[u];
          default: return i;
        }
      });
      draw_rows(order, view, Pick::farm, [&](int i) {
        const auto u = static_cast<std::size_t>(i);
        text_cell(w.farm_names[u].c_str());
        text_cell(w.muni_names[static_cast<std::size_t>(w.farm_muni[u])].c_str());
        text_cell(farm_status_short(a.farm_status[u]));
        number_cell(a.farm_area_daa[u]);
        number_cell(a.farm_delivered_kg[u]);
        number_cell(a.farm_income_week_nok[u], "%.0f");
        number_cell(a.farm_income_total_nok[u], "%.0f");
      });
      ImGui::EndTable();
    }
    ImGui::EndTabItem();
  }
  if (tab("Kitchens", InspectorTab::kitchens)) {
    const int n = static_cast<int>(std::min(w.buyer_pos.size(), a.buyer_satisfaction.size()));
    ImGui::TextDisabled("%d kitchens", n);
    if (ImGui::BeginTable("kitchens", 10, kTableFlags)) {
      setup_columns({"id", "name", "type", "municipality", "eaters", "orders locally", "satisfaction", "local kg",
                     "wholesale kg", "delivery"});
      const auto& order = sorted_rows(view.kitchen_rows, n, snap, [&](int col, int i) -> double {
        const auto u = static_cast<std::size_t>(i);
        switch (col) {
          case 1: return w.buyer_name_rank[u];
          case 2: return static_cast<double>(w.buyer_type[u]);
          case 3: return w.muni_name_rank[static_cast<std::size_t>(w.buyer_muni[u])];
          case 4: return w.buyer_eaters[u];
          case 5: return a.buyer_participating[u];
          case 6: return a.buyer_satisfaction[u];
          case 7: return a.buyer_local_kg[u];
          case 8: return a.buyer_wholesale_kg[u];
          case 9: return static_cast<double>(a.buyer_outcome[u]);
          default: return i;
        }
      });
      draw_rows(order, view, Pick::kitchen, [&](int i) {
        const auto u = static_cast<std::size_t>(i);
        text_cell(w.buyer_names[u].c_str());
        text_cell(std::string(kBuyerTypeNames[static_cast<std::size_t>(w.buyer_type[u])]).c_str());
        text_cell(w.muni_names[static_cast<std::size_t>(w.buyer_muni[u])].c_str());
        number_cell(w.buyer_eaters[u], "%.0f");
        text_cell(a.buyer_participating[u] ? "yes" : "no");
        number_cell(a.buyer_satisfaction[u], "%.2f");
        number_cell(a.buyer_local_kg[u]);
        number_cell(a.buyer_wholesale_kg[u]);
        text_cell(outcome_label(a.buyer_outcome[u]));
      });
      ImGui::EndTable();
    }
    ImGui::EndTabItem();
  }
  if (tab("Participants", InspectorTab::participants)) {
    const int n = static_cast<int>(a.worker_status.size());
    ImGui::TextDisabled("%d day-centre participants and people waiting", n);
    if (ImGui::BeginTable("participants", 8, kTableFlags)) {
      setup_columns({"id", "day centre", "status", "attendance", "skill", "hours this week", "hours total", "contacts"});
      const auto& order = sorted_rows(view.participant_rows, n, snap, [&](int col, int i) -> double {
        const auto u = static_cast<std::size_t>(i);
        switch (col) {
          case 1: return a.worker_centre[u] < w.market_muni.size()
                             ? w.muni_name_rank[static_cast<std::size_t>(w.market_muni[a.worker_centre[u]])]
                             : -1;
          case 2: return static_cast<double>(a.worker_status[u]);
          case 3: return a.worker_attendance[u];
          case 4: return a.worker_skill[u];
          case 5: return a.worker_hours_week[u];
          case 6: return a.worker_hours_total[u];
          case 7: return a.worker_contacts[u];
          default: return i;
        }
      });
      draw_rows(order, view, Pick::participant, [&](int i) {
        const auto u = static_cast<std::size_t>(i);
        const auto h = a.worker_centre[u];
        text_cell(h < w.market_muni.size() ? w.muni_names[static_cast<std::size_t>(w.market_muni[h])].c_str() : "?");
        text_cell(worker_status_short(a.worker_status[u]));
        number_cell(a.worker_attendance[u], "%.2f");
        number_cell(a.worker_skill[u], "%.2f");
        number_cell(a.worker_hours_week[u]);
        number_cell(a.worker_hours_total[u]);
        number_cell(a.worker_contacts[u], "%.0f");
      });
      ImGui::EndTable();
    }
    ImGui::EndTabItem();
  }
  view.tab_request = false;
  ImGui::EndTabBar();
  ImGui::End();
}

}  // namespace lokalmat::viz
