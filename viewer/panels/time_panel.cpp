// Time and crime types: the month window (From/To sliders, drag across the monthly
// chart, whole period, play one month at a time) and the crime-type filter that the
// points and the "total"/"incidents" counts follow.
#include <map>

#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

void draw_time_panel(AppState& s, const Theme& theme) {
  if (!s.incidents) {
    ImGui::TextWrapped("Open a study with incidents to filter by month and crime type.");
    return;
  }
  const MonthRange period = s.incidents->period;
  ImGui::PushFont(theme.bold);
  ImGui::TextUnformatted(format_month_range(s.window).c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::TextDisabled("(%d month%s)", s.window.months(), s.window.months() == 1 ? "" : "s");

  // Monthly chart: drag across it to choose the window.
  const WindowSummary& summary = window_summary(s);
  const std::vector<uint32_t>& totals = summary.monthly;
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 chart_pos = ImGui::GetCursorScreenPos();
  const int hovered = draw_month_bars("months_chart", totals, period, s.window, std::nullopt, ImVec2(w, 86), theme);
  if (ImGui::IsItemActive() && hovered >= 0) {
    const float x0 = ImGui::GetIO().MouseClickedPos[0].x;
    const float bw = w / static_cast<float>(std::max(1, period.months()));
    const int start = period.first + static_cast<int>((x0 - chart_pos.x) / bw);
    set_window(s, {std::min(start, hovered), std::max(start, hovered)});
  }
  int from = s.window.first, to = s.window.last;
  ImGui::SetNextItemWidth(-50);
  if (ImGui::SliderInt("From", &from, period.first, period.last, month_label(from).c_str())) set_window(s, {from, std::max(from, to)});
  ImGui::SetNextItemWidth(-50);
  if (ImGui::SliderInt("To", &to, period.first, period.last, month_label(to).c_str())) set_window(s, {std::min(from, to), to});
  if (ImGui::Button(s.play.playing ? "Pause" : "Play")) {
    s.play.playing = !s.play.playing;
    s.play.next_step_s = s.now_s + s.play.interval_s;
  }
  record_item(s, "play");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step the window forward one month at a time");
  ImGui::SameLine();
  if (ImGui::Button("<")) set_window(s, {s.window.first - 1, s.window.last - 1});
  record_item(s, "month_back");
  ImGui::SameLine();
  if (ImGui::Button(">")) set_window(s, {s.window.first + 1, s.window.last + 1});
  record_item(s, "month_forward");
  ImGui::SameLine();
  if (ImGui::Button("Last 12 months")) set_window(s, {period.last - 11, period.last});
  ImGui::SameLine();
  if (ImGui::Button("All")) set_window(s, period);
  record_item(s, "all_months");

  // Crime types, grouped by CSP priority group.
  ImGui::Separator();
  ImGui::PushFont(theme.bold);
  ImGui::TextUnformatted("Crime types");
  ImGui::PopFont();
  ImGui::SameLine();
  if (ImGui::SmallButton("all")) set_all_categories(s, true);
  ImGui::SameLine();
  if (ImGui::SmallButton("none")) set_all_categories(s, false);
  ImGui::SameLine();
  ImGui::TextDisabled("%zu of %zu", s.categories.count(), s.categories.enabled.size());
  const std::vector<std::size_t>& count = window_summary(s).by_category;
  if (ImGui::BeginChild("types", ImVec2(0, 0), false)) {
    std::map<std::string, std::vector<core::CategoryId>> groups;
    for (const auto& c : s.incidents->taxonomy.categories())
      if (count[c.id] > 0 || !s.categories.allows(c.id)) groups[c.group].push_back(c.id);
    for (const auto& [group, ids] : groups) {
      ImGui::TextDisabled("%s", group.c_str());
      for (const auto id : ids) {
        bool on = s.categories.allows(id);
        const std::string label = s.incidents->taxonomy.get(id).name + "  (" + format_number(static_cast<double>(count[id]), true) + ")";
        if (ImGui::Checkbox(label.c_str(), &on)) set_category(s, id, on);
      }
    }
  }
  ImGui::EndChild();
}

}  // namespace hotspot::viewer
