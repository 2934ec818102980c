#pragma once
// ViewState: everything the interface remembers between frames (what the user is
// looking at and editing), kept in one struct instead of function-local statics, so
// each panel is a plain function of (snapshot, view state) and tests can set it up.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/params.h"
#include "viz/sim_runner.h"

namespace lokalmat::viz {

enum class Pick : std::uint8_t { none, municipality, farm, kitchen, market, participant };
enum class InspectorTab : std::uint8_t { farms, kitchens, participants };

// a table's row order under its current sort, and what it was computed for
struct SortedRows {
  std::vector<int> order;
  int load_id = -1;            // the scenario load and week it was sorted for
  int week = -1;
  int column = -1;             // sort column
  bool descending = false;
  double sorted_at = 0;        // ImGui time of the last sort, seconds
};

struct ViewState {
  // map: what is shown and where (km at the view's centre, pixels per km)
  Point view_centre_km;
  double px_per_km = 0;        // 0: fit the world on the next frame
  bool show_areas = true;
  bool show_farms = true;
  bool show_idle_farms = true; // farms not active in the municipal channel
  bool show_kitchens = true;
  bool show_local_flows = true;
  bool show_wholesale_flows = true;
  bool show_legend = true;
  std::string focus;           // a municipality (name or id) to centre the map on, once
  float min_flow_px = 0.6f;    // flows thinner than this many pixels are skipped
  // the selected item (map click or table row)
  Pick pick = Pick::none;
  int pick_index = -1;
  bool scroll_to_pick = false; // the inspector scrolls to the picked row once
  // inspector
  InspectorTab tab = InspectorTab::farms;
  bool tab_request = false;    // select `tab` on the next frame
  SortedRows farm_rows, kitchen_rows, participant_rows;
  // levers
  int lever_muni = 0;          // municipality the lever panel edits
  std::string muni_filter;     // picker filter text
  std::vector<std::string> lever_text;  // [lever] text field for levers without a widget
  int dragged_lever = -1;      // the lever slider being dragged, and its value
  double dragged_value = 0;
  int world_seen = -1;         // load_id of the last frame's world: a new one resets the view
  // controls
  std::string scenario_path;   // path field of "open another scenario"
  std::vector<std::string> shipped_scenarios;
  int seed = 1;
  float weeks_per_second = 10;
  bool full_speed = false;
  bool compare = false;
  std::string save_path = kDefaultSavePath;
  bool save_replace = false;
  // charts: the week under the mouse (-1 none); the x axis over the whole run or the years so far
  int hover_week = -1;
  bool chart_whole_run = false;
  // frame timing shown in the controls
  double fps = 0;
};

// commands the panels produce this frame; the frame loop sends them to the runner
using Commands = std::vector<Command>;

}  // namespace lokalmat::viz
