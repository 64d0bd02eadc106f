#pragma once
// The viewer's panels, one file each (STYLE.md section 6, like Tracy's
// TracyView_*.cpp): `void draw_x_panel(AppState&, const Theme&)`. Panels read and edit
// AppState; they keep no state of their own (no function-local statics).
//
//   layout.cpp          the fixed 1600x1000-friendly layout: menu, sidebars, map, status
//   menu_bar.cpp        File / View / Compare / Help
//   layers_panel.cpp    layer list (visibility, order, opacity) and the style editor
//   time_panel.cpp      month window (slider, drag on the monthly chart, play) and crime types
//   map_panel.cpp       the map(s): canvases from the renderer, pan/zoom/select/draw
//   map_overlays.cpp    legend, scale bar, north arrow, titles, labels, highlights, symbols
//   inspector_panel.cpp the selected feature(s): fields, counts by category, monthly chart
//   compare_panel.cpp   before/after: target, windows, evaluation or counts, chart
//   targets_panel.cpp   the ranked target list (or areas ranked by count)
//   log_panel.cpp       messages and the rejected rows (ImGuiListClipper)
//   file_dialog.cpp     open files (ImGui, no native dialog)
//   status_bar.cpp      cursor position (BNG, lon/lat, grid reference), progress

#include <imgui.h>

#include "viewer/app/app_state.hpp"
#include "viewer/panels/theme.hpp"

namespace hotspot::viewer {

class MapRenderer;

void draw_ui(AppState& s, const Theme& theme, MapRenderer& renderer);
// Records the last ImGui item's rectangle as s.ui_rects[name] (for --state-json and
// the script's `click ui NAME`).
void record_item(AppState& s, const std::string& name);

void draw_menu_bar(AppState& s, const Theme& theme);
void draw_layers_panel(AppState& s, const Theme& theme);
void draw_time_panel(AppState& s, const Theme& theme);
void draw_map_panel(AppState& s, const Theme& theme, MapRenderer& renderer, ImVec2 pos, ImVec2 size);
void draw_inspector_panel(AppState& s, const Theme& theme);
void draw_compare_panel(AppState& s, const Theme& theme);
void draw_targets_panel(AppState& s, const Theme& theme);
void draw_log_panel(AppState& s, const Theme& theme);
void draw_file_dialog(AppState& s, const Theme& theme);
void draw_status_bar(AppState& s, const Theme& theme, ImVec2 pos, ImVec2 size);

// Overlays drawn over one map pane (map_overlays.cpp).
struct PaneGeometry {
  ImVec2 origin;  // top-left of the pane on screen
  ImVec2 size;
  int slot = 0;
  const MapView* view = nullptr;
  bool show_legend = true;
  const std::vector<MapView>* swipe = nullptr;  // swipe mode: both views (before, after) share this pane
};
void draw_map_overlays(AppState& s, const Theme& theme, const PaneGeometry& pane);
// The legend box; returns its rectangle (min, max) for layout checks and tests.
ImVec4 draw_legend(AppState& s, const Theme& theme, const PaneGeometry& pane);

// Small drawing helpers shared by panels.
ImU32 im_colour(Rgba c);
// A bar chart of monthly values in the current cursor position; `highlight` months are
// drawn darker, `marker` (if in range) gets a vertical line (go-live). Returns the
// month under the mouse (or -1) so callers can make it interactive.
int draw_month_bars(const char* id, const std::vector<uint32_t>& values, MonthRange period, MonthRange highlight,
                    std::optional<core::MonthIndex> marker, ImVec2 size, const Theme& theme,
                    const std::vector<uint32_t>* second = nullptr);

}  // namespace hotspot::viewer
