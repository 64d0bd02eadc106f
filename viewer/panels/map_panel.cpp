// The map: one pane, or two synchronised panes in side-by-side compare. Shows the
// renderer's canvas for each view and turns mouse and keys into camera moves,
// selection, box selection and drawing a target area.
#include <algorithm>
#include <cmath>

#include "viewer/panels/panels.hpp"
#include "viewer/platform/map_renderer.hpp"

namespace hotspot::viewer {

namespace {

// The polygon layer a box selection applies to: the selection's, the active one, or
// the topmost visible filled polygon layer.
const Layer* box_layer(const AppState& s) {
  if (const Layer* l = find_layer(s, s.selection.layer); l && l->is_polygon()) return l;
  if (const Layer* l = find_layer(s, s.active_layer); l && l->is_polygon() && l->visible) return l;
  for (auto it = s.layers.rbegin(); it != s.layers.rend(); ++it)
    if (it->visible && it->is_polygon() && it->style.fill_on) return &*it;
  return nullptr;
}

void finish_drawing(AppState& s) {
  s.compare.drawing = false;
  if (s.compare.drawn.size() >= 3) {
    s.compare.target_layer = kNoLayer;
    if (s.compare.mode == CompareMode::off) s.compare.mode = CompareMode::side_by_side;
    s.tab = SideTab::compare;
    s.tab_requested = true;
  } else {
    s.compare.drawn.clear();
  }
  ++s.compare.version;
}

void handle_input(AppState& s, const MapView& view, ImVec2 origin, ImVec2 size) {
  ImGuiIO& io = ImGui::GetIO();
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  const ScreenPoint mouse{io.MousePos.x - origin.x, io.MousePos.y - origin.y};
  if (hovered) {
    const WorldPoint w = s.camera.to_world(mouse);
    s.ui_rects["cursor_world"] = {w.x_m, w.y_m, 0, 0};
    s.hover = hit_test(s, s.camera, view, mouse);
    if (io.MouseWheel != 0) {
      s.fly.active = false;
      s.camera.zoom_at(mouse, std::pow(1.25, static_cast<double>(io.MouseWheel)));
    }
  }
  const bool ctrl = io.KeyCtrl;
  // Pan by dragging (not while drawing or box-selecting).
  if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left) && !ctrl && !s.compare.drawing) {
    s.fly.active = false;
    s.camera.pan_px(io.MouseDelta.x, io.MouseDelta.y);
  }
  // Box selection with Ctrl + drag.
  if (active && ctrl && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    if (!s.box_selecting) s.box_start = s.camera.to_world({io.MouseClickedPos[0].x - origin.x, io.MouseClickedPos[0].y - origin.y});
    s.box_selecting = true;
    s.box_end = s.camera.to_world(mouse);
  }
  if (s.box_selecting && !io.MouseDown[0]) {
    s.box_selecting = false;
    if (const Layer* l = box_layer(s)) {
      const core::Box box(core::Point(std::min(s.box_start.x_m, s.box_end.x_m), std::min(s.box_start.y_m, s.box_end.y_m)),
                          core::Point(std::max(s.box_start.x_m, s.box_end.x_m), std::max(s.box_start.y_m, s.box_end.y_m)));
      auto fs = features_in_box(s, *l, box);
      if (!io.KeyShift) s.selection.clear();
      s.selection.add(l->id, std::move(fs));
    }
  }
  // Clicks: select, or add a vertex while drawing.
  const float drag2 = io.MouseDragMaxDistanceSqr[0];
  if (hovered && s.compare.drawing && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && !ctrl) {
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
      finish_drawing(s);
      s.compare.swallow_release = true;
    } else {
      s.compare.drawn.push_back(s.camera.to_world(mouse));
      ++s.compare.version;
    }
  }
  if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && drag2 < 9.0f && !ctrl) {
    if (s.compare.drawing || s.compare.swallow_release) {
      s.compare.swallow_release = false;
    } else {
      const Hit h = hit_test(s, s.camera, view, mouse);
      if (!h.valid()) {
        s.selection.clear();
      } else if (h.incident) {
        s.selection.clear();
        s.selection.layer = h.layer;
        s.selection.incident_row = h.feature;
      } else if (io.KeyShift) {
        s.selection.toggle(h.layer, h.feature);
      } else {
        s.selection.set(h.layer, h.feature);
      }
      if (h.valid() && s.tab != SideTab::compare) {
        s.tab = SideTab::inspector;
        s.tab_requested = true;
      }
    }
  }
  // Keys, when the map has the mouse and no text field has the keyboard.
  if (hovered && !io.WantTextInput) {
    const double step = 80;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) s.camera.pan_px(step, 0);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) s.camera.pan_px(-step, 0);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) s.camera.pan_px(0, step);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) s.camera.pan_px(0, -step);
    const ScreenPoint centre{static_cast<double>(size.x) * 0.5, static_cast<double>(size.y) * 0.5};
    for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
      const ImWchar c = io.InputQueueCharacters[i];
      if (c == '+' || c == '=') s.camera.zoom_at(centre, 1.5);
      if (c == '-' || c == '_') s.camera.zoom_at(centre, 1 / 1.5);
      if (c == 'f' || c == 'F') fit_to(s, data_bounds(s), true);
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
      if (s.compare.drawing) {
        s.compare.drawing = false;
        s.compare.drawn.clear();
        ++s.compare.version;
      } else {
        s.selection.clear();
      }
    }
    if (s.compare.drawing && (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
                              ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter))))
      finish_drawing(s);
  }
}

// Draws the part of a view's canvas between fractions f0 and f1 of the pane's width
// (the whole pane: 0, 1), opaque and marked with the canvas generation so that a
// partial redraw notices new pixels behind the same texture and coordinates.
void draw_canvas(ImDrawList* dl, const MapImage& img, ImVec2 o, ImVec2 p1, float f0, float f1, const Theme& theme) {
  if (f1 <= f0) return;
  const float w = p1.x - o.x;
  const ImVec2 a(o.x + w * f0, o.y), b(o.x + w * f1, p1.y);
  if (!img.valid) {
    dl->AddRectFilled(a, b, theme.map_background);
    return;
  }
  // Outside the canvas the texture's border is the background colour.
  const float u0 = img.u0 + (img.u1 - img.u0) * f0, u1 = img.u0 + (img.u1 - img.u0) * f1;
  dl->AddCallback(opaque_draw_callback, reinterpret_cast<void*>(static_cast<uintptr_t>(img.generation)));
  dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(img.texture)), a, b, ImVec2(u0, img.v0),
               ImVec2(u1, img.v1));
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

}  // namespace

void draw_map_panel(AppState& s, const Theme& theme, MapRenderer& renderer, ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  // No window background: the canvas covers the pane (fill rate is what a software
  // renderer pays for, so nothing is drawn twice).
  constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                     ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground;
  if (ImGui::Begin("##map", nullptr, flags)) {
    const std::vector<MapView> vs = views(s);
    const int n = static_cast<int>(vs.size());
    // Swipe: both views in one pane, before left of the divider and after right of it.
    const bool swipe = s.compare.mode == CompareMode::swipe && n == 2;
    const int panes = swipe ? 1 : n;
    const float gap = panes > 1 ? 4.0f : 0.0f;
    const float pane_w = std::floor((size.x - gap * static_cast<float>(panes - 1)) / static_cast<float>(panes));
    s.camera.set_viewport(static_cast<int>(pane_w), static_cast<int>(size.y));
    update_fly(s, s.now_s);
    renderer.retain_slots(n);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    s.ui_rects.erase("cursor_world");
    if (!ImGui::IsWindowHovered()) s.hover = {};
    for (int i = 0; i < panes; ++i) {
      const ImVec2 o(pos.x + static_cast<float>(i) * (pane_w + gap), pos.y);
      const ImVec2 p1(o.x + pane_w, o.y + size.y);
      std::size_t view_index = static_cast<std::size_t>(i);
      if (swipe) {
        s.compare.swipe_at = std::clamp(s.compare.swipe_at, 0.0, 1.0);
        const float split = static_cast<float>(s.compare.swipe_at);
        draw_canvas(dl, renderer.render(s, vs[0], 0, s.camera), o, p1, 0.0f, split, theme);
        draw_canvas(dl, renderer.render(s, vs[1], 1, s.camera), o, p1, split, 1.0f, theme);
        // The divider's handle is submitted before the pane so that it gets the mouse.
        const float x = o.x + pane_w * split;
        ImGui::SetCursorScreenPos(ImVec2(x - 8, o.y));
        ImGui::InvisibleButton("swipe_handle", ImVec2(16, size.y));
        record_item(s, "swipe_handle");
        const bool hot = ImGui::IsItemHovered() || ImGui::IsItemActive();
        if (hot) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
        if (ImGui::IsItemActive())
          s.compare.swipe_at = std::clamp(static_cast<double>((ImGui::GetIO().MousePos.x - o.x) / pane_w), 0.0, 1.0);
        // The view under the pointer answers clicks and tooltips.
        if (ImGui::GetIO().MousePos.x >= x) view_index = 1;
      } else {
        draw_canvas(dl, renderer.render(s, vs[view_index], i, s.camera), o, p1, 0.0f, 1.0f, theme);
      }
      ImGui::SetCursorScreenPos(o);
      ImGui::PushID(i);
      ImGui::InvisibleButton("pane", ImVec2(pane_w, size.y));
      handle_input(s, vs[view_index], o, ImVec2(pane_w, size.y));
      ImGui::PopID();
      PaneGeometry pane{o, ImVec2(pane_w, size.y), i, &vs[view_index], i == 0};
      if (swipe) pane.swipe = &vs;
      draw_map_overlays(s, theme, pane);
      s.ui_rects["pane" + std::to_string(i)] = {o.x, o.y, pane_w, size.y};
    }
    // What the panes and the gap cover with opaque paint (main.cpp: no clear needed there).
    s.ui_rects["map_opaque"] = {pos.x, pos.y, pane_w * static_cast<float>(panes) + gap * static_cast<float>(panes - 1), size.y};
    if (panes > 1) dl->AddRectFilled(ImVec2(pos.x + pane_w, pos.y), ImVec2(pos.x + pane_w + gap, pos.y + size.y), IM_COL32(40, 44, 52, 255));
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
}

}  // namespace hotspot::viewer
