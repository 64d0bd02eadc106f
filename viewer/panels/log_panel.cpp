// The log: what was opened, warnings from readers, errors; and the rows `hotspot run`
// rejected (rejects.csv beside study.gpkg), in a clipped table.
#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

void draw_log_panel(AppState& s, const Theme& theme) {
  const float avail = ImGui::GetContentRegionAvail().y;
  const float rejects_h = s.rejects ? avail * 0.5f : 0.0f;
  if (ImGui::BeginChild("log", ImVec2(0, avail - rejects_h - (s.rejects ? 8 : 0)), true)) {
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(s.log.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const LogEntry& e = s.log[static_cast<std::size_t>(i)];
        const ImVec4 colour = e.level == LogLevel::error     ? ImVec4(0.75f, 0.1f, 0.1f, 1)
                              : e.level == LogLevel::warning ? ImVec4(0.65f, 0.4f, 0.0f, 1)
                                                             : ImVec4(0.2f, 0.2f, 0.2f, 1);
        ImGui::PushStyleColor(ImGuiCol_Text, colour);
        ImGui::TextWrapped("%s", e.text.c_str());
        ImGui::PopStyleColor();
      }
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 4) ImGui::SetScrollHereY(1.0f);
  }
  ImGui::EndChild();
  if (!s.rejects) return;
  const RejectsTable& r = *s.rejects;
  ImGui::PushFont(theme.bold);
  ImGui::Text("Rejected rows: %s", format_number(static_cast<double>(r.total_rows), true).c_str());
  ImGui::PopFont();
  if (r.total_rows > r.rows.size()) {
    ImGui::SameLine();
    ImGui::TextDisabled("(first %zu shown; all are in %s)", r.rows.size(), r.path.filename().string().c_str());
  }
  const int cols = static_cast<int>(std::min<std::size_t>(r.columns.size(), 6));
  if (cols == 0) return;
  if (ImGui::BeginTable("rejects", cols,
                        ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_RowBg |
                            ImGuiTableFlags_Borders | ImGuiTableFlags_Resizable,
                        ImVec2(0, ImGui::GetContentRegionAvail().y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    for (int c = 0; c < cols; ++c) ImGui::TableSetupColumn(r.columns[static_cast<std::size_t>(c)].c_str());
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(r.rows.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        ImGui::TableNextRow();
        for (int c = 0; c < cols; ++c) {
          ImGui::TableSetColumnIndex(c);
          ImGui::TextUnformatted(r.rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(c)].c_str());
        }
      }
    ImGui::EndTable();
  }
}

}  // namespace hotspot::viewer
