#pragma once
// The viewer's panels: free functions over a read-only snapshot and the ViewState.
// Each draws one ImGui window; what the user asks the simulation to do goes into
// `out` as commands, which the frame loop hands to the runner.
#include "viz/snapshot.h"
#include "viz/view_state.h"


namespace lokalmat::viz {

// where each panel goes in a window of the given size (pixels)
struct Layout {
  float left_w, controls_h, top_h;
};
Layout layout_for(float width_px, float height_px);

void draw_controls(const Snapshot* snap, ViewState& view, Commands& out, const Layout& layout);
void draw_levers(const Snapshot& snap, ViewState& view, Commands& out, const Layout& layout);
void draw_map(const Snapshot& snap, ViewState& view, const Layout& layout);
void draw_charts(const Snapshot& snap, ViewState& view, const Layout& layout);
void draw_inspector(const Snapshot& snap, ViewState& view, const Layout& layout);

// a unit's delivery outcome in words (map tooltips, the inspector)
const char* outcome_label(DeliveryOutcome o);

// colours shared by the map, its legend and the charts (ImU32, ABGR)
namespace colour {
unsigned local_flow();
unsigned wholesale_flow();
unsigned kitchen(BuyerType t);
unsigned farm(FarmStatus s);
unsigned hub();
unsigned series(int i);
}  // namespace colour

}  // namespace lokalmat::viz
