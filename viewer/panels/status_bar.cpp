// The status bar: cursor position (BNG, lon/lat, OS grid reference), loading progress
// and the last message.
#include "viewer/app/coordinates.hpp"
#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

void draw_status_bar(AppState& s, const Theme& theme, ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 4));
  if (ImGui::Begin("##status", nullptr, flags)) {
    ImGui::PushFont(theme.small);
    const auto it = s.ui_rects.find("cursor_world");
    if (it != s.ui_rects.end()) {
      if (!s.to_wgs84) {
        try {
          s.to_wgs84 = std::make_unique<core::Transformer>(core::Transformer::bng_to_wgs84());
        } catch (const std::exception& e) {
          log_message(s, LogLevel::warning, std::string("no lon/lat read-out: ") + e.what());
          s.to_wgs84 = nullptr;
        }
      }
      const CursorText t = cursor_text(s.to_wgs84.get(), {it->second[0], it->second[1]});
      ImGui::Text("%s   |   %s   |   %s", t.bng.c_str(), t.lonlat.c_str(), t.grid_ref.c_str());
    } else {
      ImGui::TextColored(ImVec4(0.4f, 0.4f, 0.4f, 1), "Move the pointer over the map for coordinates");
    }
    ImGui::SameLine(size.x * 0.58f);
    const std::string progress = s.loader.progress();
    if (s.loader.busy())
      ImGui::TextColored(ImVec4(0.0f, 0.45f, 0.70f, 1), "Loading: %s", progress.empty() ? "\u2026" : progress.c_str());
    else
      ImGui::TextUnformatted(s.status.c_str());
    ImGui::PopFont();
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

}  // namespace hotspot::viewer
