// The window layout: a menu bar, a left sidebar (layers over time), the map in the
// middle, a right sidebar (tabs), a status bar. Fixed proportions, never overlapping,
// sized for 1600x1000 and readable down to ~1200x800.
#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

namespace {

constexpr ImGuiWindowFlags kFixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                    ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;

void record(AppState& s, const char* name, ImVec2 pos, ImVec2 size) {
  s.ui_rects[name] = {pos.x, pos.y, size.x, size.y};
}

}  // namespace

void record_item(AppState& s, const std::string& name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  s.ui_rects[name] = {a.x, a.y, b.x - a.x, b.y - a.y};
}

void draw_ui(AppState& s, const Theme& theme, MapRenderer& renderer) {
  s.ui_rects.clear();
  s.tooltip.clear();
  draw_menu_bar(s, theme);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float menu_h = ImGui::GetFrameHeight();
  const ImVec2 origin(vp->Pos.x, vp->Pos.y + menu_h);
  const float width = vp->Size.x, height = vp->Size.y - menu_h - theme.status_height;
  const float left_w = std::min(theme.left_width, width * 0.28f);
  const float right_w = s.show_inspector_sidebar ? std::min(theme.right_width, width * 0.28f) : 0.0f;

  // Left: layers (top) and time (bottom).
  const float time_h = std::min(390.0f, height * 0.46f);
  ImGui::SetNextWindowPos(origin);
  ImGui::SetNextWindowSize(ImVec2(left_w, height - time_h));
  if (ImGui::Begin("Layers", nullptr, kFixed)) draw_layers_panel(s, theme);
  ImGui::End();
  record(s, "layers", origin, ImVec2(left_w, height - time_h));
  ImGui::SetNextWindowPos(ImVec2(origin.x, origin.y + height - time_h));
  ImGui::SetNextWindowSize(ImVec2(left_w, time_h));
  if (ImGui::Begin("Time and crime types", nullptr, kFixed)) draw_time_panel(s, theme);
  ImGui::End();
  record(s, "time", ImVec2(origin.x, origin.y + height - time_h), ImVec2(left_w, time_h));

  // Right: tabs.
  if (right_w > 0) {
    const ImVec2 pos(origin.x + width - right_w, origin.y);
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(ImVec2(right_w, height));
    if (ImGui::Begin("Details", nullptr, kFixed)) {
      if (ImGui::BeginTabBar("tabs")) {
        auto tab = [&](const char* label, SideTab t, void (*draw)(AppState&, const Theme&)) {
          const ImGuiTabItemFlags flags = s.tab_requested && s.tab == t ? ImGuiTabItemFlags_SetSelected : 0;
          if (ImGui::BeginTabItem(label, nullptr, flags)) {
            if (!s.tab_requested) s.tab = t;
            draw(s, theme);
            ImGui::EndTabItem();
          }
        };
        tab("Inspector", SideTab::inspector, draw_inspector_panel);
        tab("Compare", SideTab::compare, draw_compare_panel);
        tab("Targets", SideTab::targets, draw_targets_panel);
        tab("Log", SideTab::log, draw_log_panel);
        s.tab_requested = false;
        ImGui::EndTabBar();
      }
    }
    ImGui::End();
    record(s, "details", pos, ImVec2(right_w, height));
  }

  // Map in the middle.
  const ImVec2 map_pos(origin.x + left_w, origin.y);
  const ImVec2 map_size(width - left_w - right_w, height);
  draw_map_panel(s, theme, renderer, map_pos, map_size);
  record(s, "map", map_pos, map_size);

  draw_status_bar(s, theme, ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - theme.status_height),
                  ImVec2(width, theme.status_height));
  record(s, "status", ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - theme.status_height), ImVec2(width, theme.status_height));
  draw_file_dialog(s, theme);
}

ImU32 im_colour(Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }

int draw_month_bars(const char* id, const std::vector<uint32_t>& values, MonthRange period, MonthRange highlight,
                    std::optional<core::MonthIndex> marker, ImVec2 size, const Theme& theme,
                    const std::vector<uint32_t>* second) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 255));
  dl->AddRect(p0, p1, IM_COL32(0, 0, 0, 40));
  const int n = static_cast<int>(values.size());
  if (n == 0) return -1;
  uint32_t top = 1;
  for (auto v : values) top = std::max(top, v);
  if (second)
    for (auto v : *second) top = std::max(top, v);
  const float label_h = ImGui::GetFontSize() * 0.9f;
  const float chart_h = size.y - label_h - 6;
  const float bw = size.x / static_cast<float>(n);
  int hovered_month = -1;
  for (int i = 0; i < n; ++i) {
    const core::MonthIndex m = period.first + i;
    const float h = chart_h * static_cast<float>(values[static_cast<std::size_t>(i)]) / static_cast<float>(top);
    const float x0 = p0.x + bw * static_cast<float>(i) + 1, x1 = p0.x + bw * static_cast<float>(i + 1) - 1;
    const bool on = highlight.contains(m);
    dl->AddRectFilled(ImVec2(x0, p0.y + 3 + chart_h - h), ImVec2(std::max(x0 + 1, x1), p0.y + 3 + chart_h),
                      on ? IM_COL32(0, 114, 178, 230) : IM_COL32(150, 170, 190, 160));
    if (second) {
      const float h2 = chart_h * static_cast<float>((*second)[static_cast<std::size_t>(i)]) / static_cast<float>(top);
      const float xm = (x0 + x1) * 0.5f;
      dl->AddRectFilled(ImVec2(xm, p0.y + 3 + chart_h - h2), ImVec2(std::max(xm + 1, x1), p0.y + 3 + chart_h),
                        IM_COL32(230, 159, 0, 220));
    }
    if (hovered && ImGui::GetIO().MousePos.x >= x0 - 1 && ImGui::GetIO().MousePos.x < x1 + 1) hovered_month = m;
    if (core::month_of(m) == 1 || i == 0) {
      const std::string y = std::to_string(core::year_of(m));
      dl->AddLine(ImVec2(x0 - 1, p0.y + 3), ImVec2(x0 - 1, p0.y + 3 + chart_h), IM_COL32(0, 0, 0, 35));
      dl->AddText(theme.small, theme.small->FontSize, ImVec2(x0, p0.y + chart_h + 4), theme.muted, y.c_str());
    }
  }
  if (marker && period.contains(*marker)) {
    const float x = p0.x + bw * static_cast<float>(*marker - period.first);
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + 3 + chart_h), IM_COL32(213, 94, 0, 255), 2.0f);
    dl->AddText(theme.small, theme.small->FontSize, ImVec2(x + 3, p0.y + 2), IM_COL32(213, 94, 0, 255), "go-live");
  }
  if (hovered_month >= 0) {
    const auto i = static_cast<std::size_t>(hovered_month - period.first);
    std::string tip = month_label(hovered_month) + ": " + format_number(values[i], true);
    if (second) tip += " (buffer " + format_number((*second)[i], true) + ")";
    ImGui::SetTooltip("%s", tip.c_str());
  }
  return hovered_month;
}

}  // namespace hotspot::viewer
