#pragma once
// DamageTracker: which parts of the window changed since the last frame.
//
// Dear ImGui rebuilds every draw list each frame, and a GPU redraws the whole window
// without noticing. A software renderer (Mesa llvmpipe) pays for every pixel it
// shades: at 1600x1000 the full UI costs ~20 ms of CPU per frame, most of it for
// sidebars that did not change while the map pans. The tracker compares each window's
// draw list (vertices, indices, commands, in stacking order) with the previous frame's
// copy and reports the screen rectangles whose pixels may differ: the old and new
// bounds of every list that changed, appeared, disappeared or moved in the stacking
// order. The backend then redraws only those rectangles (scissored; every list is
// drawn clipped to them, so windows above a changed one stay on top) into a back
// buffer that keeps its pixels between frames (checked at start-up; see
// glfw_backend.cpp). Texture contents are invisible to the comparison: whoever draws a
// texture whose pixels changed under the same id and coordinates puts a marker in its
// draw list (a callback whose user data is the texture's generation, as map_panel.cpp
// does), which makes the list differ.
//
//   DamageTracker damage;
//   const Damage d = damage.update(*ImGui::GetDrawData());
//   if (d.full) redraw everything; else for (const DamageRect& r : d.rects) redraw r;

#include <imgui.h>

#include <string>
#include <vector>

namespace hotspot::viewer {

// A rectangle in ImGui's display coordinates (pixels, y down), half-open.
struct DamageRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  [[nodiscard]] bool empty() const { return x1 <= x0 || y1 <= y0; }
  [[nodiscard]] float area() const { return empty() ? 0.0f : (x1 - x0) * (y1 - y0); }
};

struct Damage {
  bool full = false;               // redraw the whole window
  std::vector<DamageRect> rects;   // otherwise these (whole pixels, disjoint or merged); empty = nothing changed
  [[nodiscard]] bool none() const { return !full && rects.empty(); }
};

class DamageTracker {
 public:
  struct Options {
    int max_rects = 4;             // more changed areas are merged into fewer, larger ones
    float full_fraction = 0.6f;    // damage above this fraction of the window: redraw it all
  };
  DamageTracker() = default;
  explicit DamageTracker(const Options& options) : m_options(options) {}

  // Compares `draw_data` with the previous call's and remembers it.
  Damage update(const ImDrawData& draw_data);
  // The next update() reports full damage (first frame, resize, window exposed).
  void invalidate_all() { m_full = true; }

 private:
  struct ListCopy {
    std::string owner;
    std::vector<ImDrawVert> vtx;
    std::vector<ImDrawIdx> idx;
    std::vector<ImDrawCmd> cmd;
    DamageRect bounds;
  };
  Options m_options;
  std::vector<ListCopy> m_prev;
  ImVec2 m_display_pos{0, 0}, m_display_size{0, 0};
  bool m_full = true;
};

// The pixels a draw list can touch: its vertices' bounding box within the union of its
// commands' clip rectangles and the display, widened to whole pixels (+1 for
// anti-aliased fringes). Empty for a list that draws nothing.
DamageRect draw_list_bounds(const ImDrawList& list, const ImDrawData& draw_data);

// Merges overlapping rectangles, then the pair whose union grows least until at most
// `max_rects` remain.
std::vector<DamageRect> merge_rects(std::vector<DamageRect> rects, int max_rects);

// `r` less `hole`: up to four rectangles (above, below, left, right of the hole).
std::vector<DamageRect> subtract(const DamageRect& r, const DamageRect& hole);

}  // namespace hotspot::viewer
