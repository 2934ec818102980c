// The controls panel (play, pause, step, reset, speed, seed, scenario, compare, save,
// messages) and the levers panel (the policy levers of sim/intervention.h).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "sim/intervention.h"
#include "viz/levers.h"
#include "viz/panels.h"

namespace lokalmat::viz {

Layout layout_for(float width_px, float height_px) {
  return {std::clamp(width_px * 0.27f, 300.0f, 420.0f), height_px * 0.44f, height_px * 0.56f};
}

namespace colour {
unsigned local_flow() { return IM_COL32(40, 170, 60, 200); }
unsigned wholesale_flow() { return IM_COL32(230, 120, 30, 170); }
unsigned kitchen(BuyerType t) {
  switch (t) {
    case BuyerType::kindergarten: return IM_COL32(250, 200, 40, 255);
    case BuyerType::sfo: return IM_COL32(80, 160, 250, 255);
    case BuyerType::school: return IM_COL32(120, 110, 240, 255);
    case BuyerType::nursing_home: return IM_COL32(230, 90, 200, 255);
    case BuyerType::day_centre_canteen: return IM_COL32(90, 220, 220, 255);
    case BuyerType::central_kitchen: return IM_COL32(240, 240, 240, 255);
  }
  return IM_COL32_WHITE;
}
unsigned farm(FarmStatus s) {
  switch (s) {
    case FarmStatus::active: return IM_COL32(60, 200, 70, 255);
    case FarmStatus::qualified: return IM_COL32(150, 200, 80, 255);
    case FarmStatus::aware: return IM_COL32(140, 140, 90, 230);
    case FarmStatus::unaware: return IM_COL32(110, 110, 100, 200);
    case FarmStatus::exited: return IM_COL32(150, 60, 50, 220);
  }
  return IM_COL32_WHITE;
}
unsigned hub() { return IM_COL32(255, 80, 80, 255); }
unsigned series(int i) {
  static constexpr unsigned kPalette[] = {IM_COL32(90, 200, 250, 255),  IM_COL32(250, 170, 60, 255),
                                          IM_COL32(120, 220, 110, 255), IM_COL32(240, 100, 140, 255),
                                          IM_COL32(190, 140, 250, 255), IM_COL32(250, 230, 90, 255),
                                          IM_COL32(100, 230, 210, 255), IM_COL32(220, 130, 90, 255),
                                          IM_COL32(160, 160, 160, 255), IM_COL32(250, 120, 220, 255)};
  return kPalette[static_cast<unsigned>(i) % (sizeof kPalette / sizeof kPalette[0])];
}
}  // namespace colour

namespace {

constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;

void place(float x, float y, float w, float h) {
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Always);
}

// remember a slider's value while it is dragged (the snapshot still holds the value in force)
void track_drag(ViewState& view, int lever, double value) {
  if (ImGui::IsItemActive()) {
    view.dragged_lever = lever;
    view.dragged_value = value;
  } else if (view.dragged_lever == lever) {
    view.dragged_lever = -1;
  }
}

bool is_refusal(const std::string& m) {
  return m.starts_with("refused") || m.starts_with("cannot") || m.starts_with("save failed");
}

}  // namespace

void draw_controls(const Snapshot* snap, ViewState& view, Commands& out, const Layout& layout) {
  place(0, 0, layout.left_w, layout.controls_h);
  ImGui::Begin("Run", nullptr, kPanelFlags);
  if (!snap || !snap->world) {
    ImGui::TextWrapped("%s", snap && !snap->error.empty() ? snap->error.c_str() : "loading the scenario...");
  } else {
    const World& w = *snap->world;
    // a newly loaded scenario: fit the map, take its seed, forget the picked item
    if (view.world_seen != w.load_id) {
      view.world_seen = w.load_id;
      view.px_per_km = 0;
      view.seed = static_cast<int>(w.seed);
      view.pick = Pick::none;
      view.pick_index = -1;
      // the levers start at the first municipality with a hub (where most levers act)
      view.lever_muni = w.market_muni.empty() ? 0 : w.market_muni.front();
      for (std::size_t h = 0; h < w.market_kind.size(); ++h)
        if (w.market_kind[h] == MarketKind::platform) {
          view.lever_muni = w.market_muni[h];
          break;
        }
    }
    ImGui::TextWrapped("%s", w.title.empty() ? w.scenario_path.c_str() : w.title.c_str());
    ImGui::Text("week %d of %d  (%s)  seed %llu", snap->week, w.weeks_planned, format_date(snap->date).c_str(),
                static_cast<unsigned long long>(w.seed));
    // play, pause, step a week, step a year
    if (snap->playing) {
      if (ImGui::Button("Pause")) out.emplace_back(cmd::Pause{});
    } else if (ImGui::Button("Play")) {
      out.emplace_back(cmd::Play{});
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(snap->finished);
    if (ImGui::Button("+1 week")) out.emplace_back(cmd::Step{1});
    ImGui::SameLine();
    if (ImGui::Button("+1 year")) out.emplace_back(cmd::Step{kWeeksPerYear});
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Reset")) out.emplace_back(cmd::Load{w.scenario_path, static_cast<std::uint64_t>(view.seed)});
    // speed
    ImGui::SetNextItemWidth(150);
    ImGui::BeginDisabled(view.full_speed);
    if (ImGui::SliderFloat("##speed", &view.weeks_per_second, 1, 200, "%.0f weeks/s", ImGuiSliderFlags_Logarithmic))
      out.emplace_back(cmd::SetSpeed{view.weeks_per_second});
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Checkbox("full speed", &view.full_speed))
      out.emplace_back(cmd::SetSpeed{view.full_speed ? 0.0 : view.weeks_per_second});
    ImGui::Text("%.1f weeks/s on %d threads, %.0f fps", snap->weeks_per_second, snap->sim_threads, view.fps);
    // seed and scenario: take effect on reset / open
    ImGui::SetNextItemWidth(100);
    ImGui::InputInt("seed", &view.seed);
    view.seed = std::max(view.seed, 0);
    ImGui::SetNextItemWidth(layout.left_w - 90);
    ImGui::InputText("##scenario", &view.scenario_path);
    ImGui::SameLine();
    if (ImGui::Button("Open"))
      out.emplace_back(cmd::Load{view.scenario_path, static_cast<std::uint64_t>(view.seed)});
    if (!view.shipped_scenarios.empty()) {
      ImGui::SetNextItemWidth(layout.left_w - 90);
      if (ImGui::BeginCombo("##shipped", "shipped scenarios")) {
        for (const auto& s : view.shipped_scenarios)
          if (ImGui::Selectable(s.c_str(), s == view.scenario_path)) view.scenario_path = s;
        ImGui::EndCombo();
      }
    }
    // compare with a run without the levers moved
    if (ImGui::Checkbox("compare with a run without my levers", &view.compare))
      out.emplace_back(cmd::Compare{view.compare});
    // save results and the intervention log
    ImGui::SetNextItemWidth(layout.left_w - 150);
    ImGui::InputText("##save", &view.save_path);
    ImGui::SameLine();
    if (ImGui::Button("Save")) out.emplace_back(cmd::Save{view.save_path, view.save_replace});
    ImGui::SameLine();
    ImGui::Checkbox("replace", &view.save_replace);
  }
  // messages, newest first; refusals in red
  ImGui::Separator();
  ImGui::BeginChild("messages");
  if (snap)
    for (auto it = snap->messages.rbegin(); it != snap->messages.rend(); ++it) {
      if (is_refusal(*it)) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 100, 255));
      ImGui::TextWrapped("%s", it->c_str());
      if (is_refusal(*it)) ImGui::PopStyleColor();
    }
  ImGui::EndChild();
  ImGui::End();
}

void draw_levers(const Snapshot& snap, ViewState& view, Commands& out, const Layout& layout) {
  const float h = ImGui::GetIO().DisplaySize.y - layout.controls_h;
  place(0, layout.controls_h, layout.left_w, h);
  ImGui::Begin("Levers", nullptr, kPanelFlags);
  const World& w = *snap.world;
  const int n_muni = static_cast<int>(snap.levers.size());
  if (n_muni == 0) {
    ImGui::TextUnformatted("no municipality");
    ImGui::End();
    return;
  }
  view.lever_muni = std::clamp(view.lever_muni, 0, n_muni - 1);
  // municipality picker (with a filter for the national scenario)
  if (n_muni > 1) {
    ImGui::SetNextItemWidth(layout.left_w - 24);
    if (ImGui::BeginCombo("##muni", w.muni_names[static_cast<std::size_t>(view.lever_muni)].c_str(),
                          ImGuiComboFlags_HeightLarge)) {
      ImGui::SetNextItemWidth(-1);
      ImGui::InputTextWithHint("##filter", "filter", &view.muni_filter);
      for (int m = 0; m < n_muni; ++m) {
        const std::string& name = w.muni_names[static_cast<std::size_t>(m)];
        if (!view.muni_filter.empty() && name.find(view.muni_filter) == std::string::npos) continue;
        if (ImGui::Selectable(name.c_str(), m == view.lever_muni)) view.lever_muni = m;
      }
      ImGui::EndCombo();
    }
  }
  const auto m = static_cast<std::size_t>(view.lever_muni);
  const std::string& id = w.muni_ids.size() > m ? w.muni_ids[m] : w.muni_names[m];
  ImGui::TextDisabled("changes apply before week %d and are logged", snap.week);
  const auto& specs = levers();
  view.lever_text.resize(specs.size());
  for (std::size_t i = 0; i < specs.size() && i < snap.levers[m].size(); ++i) {
    const LeverSpec& spec = specs[i];
    const LeverValue& v = snap.levers[m][i];
    const std::string key = lever_key(spec.pattern, id);
    ImGui::PushID(static_cast<int>(i));
    ImGui::Separator();
    ImGui::TextWrapped("%.*s (%.*s)", static_cast<int>(spec.label.size()), spec.label.data(),
                       static_cast<int>(spec.unit.size()), spec.unit.data());
    ImGui::SetNextItemWidth(layout.left_w - 40);
    switch (v.kind) {
      case LeverValue::Kind::rules: {
        // the rules that can be switched during a run, as toggles; the others are shown as they are
        for (const Rule r : switchable_rules()) {
          bool on = std::find(v.rules.begin(), v.rules.end(), r) != v.rules.end();
          const std::string name(rule_name(r));
          if (ImGui::Checkbox(name.c_str(), &on)) {
            std::vector<Rule> next;
            for (const Rule x : v.rules)
              if (x != r && !(on && x == Rule::framework_only)) next.push_back(x);
            if (on) next.push_back(r);
            if (next.empty()) next.push_back(Rule::framework_only);
            out.emplace_back(cmd::Lever{key, toml_rules(next)});
          }
        }
        ImGui::TextDisabled("in force: %s", toml_rules(v.rules).c_str());
        break;
      }
      case LeverValue::Kind::flag: {
        bool on = v.flag;
        if (ImGui::Checkbox("on", &on)) out.emplace_back(cmd::Lever{key, on ? "true" : "false"});
        break;
      }
      case LeverValue::Kind::integer: {
        // while dragging, the slider shows the dragged value; it is sent on release
        int x = static_cast<int>(view.dragged_lever == static_cast<int>(i) ? view.dragged_value : v.number);
        const int hi = static_cast<int>(std::min(v.hi > v.lo ? v.hi : 100.0, 52.0));
        ImGui::SliderInt("##v", &x, static_cast<int>(v.lo), std::max(hi, x));
        track_drag(view, static_cast<int>(i), x);
        if (ImGui::IsItemDeactivatedAfterEdit()) out.emplace_back(cmd::Lever{key, std::to_string(x)});
        break;
      }
      case LeverValue::Kind::number: {
        // a slider over the schema's range, logarithmic for wide ones (NOK 0 to 10^10);
        // ctrl+click types a value
        double x = view.dragged_lever == static_cast<int>(i) ? view.dragged_value : v.number;
        const double lo = v.lo;
        const double hi = v.hi > v.lo ? v.hi : lo + 1;
        const bool wide = hi - lo > 100;
        ImGui::SliderScalar("##v", ImGuiDataType_Double, &x, &lo, &hi, hi > 1e4 ? "%.0f" : "%.2f",
                            (wide ? ImGuiSliderFlags_Logarithmic : 0) | ImGuiSliderFlags_AlwaysClamp);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nctrl+click to type a value", key.c_str());
        track_drag(view, static_cast<int>(i), x);
        if (ImGui::IsItemDeactivatedAfterEdit()) out.emplace_back(cmd::Lever{key, toml_number(x)});
        break;
      }
      case LeverValue::Kind::text: {
        ImGui::InputTextWithHint("##v", "TOML value", &view.lever_text[i]);
        ImGui::SameLine();
        if (ImGui::Button("set")) out.emplace_back(cmd::Lever{key, view.lever_text[i]});
        break;
      }
    }
    ImGui::PopID();
  }
  // the log so far
  ImGui::Separator();
  ImGui::Text("intervention log (%zu)", snap.log.size());
  for (const auto& iv : snap.log) ImGui::TextWrapped("week %d: %s = %s", iv.week, iv.key.c_str(), iv.value.c_str());
  ImGui::End();
}

}  // namespace lokalmat::viz
