// Tasking: the ranked target list. A layer with a `rank` field (`hotspot rank`) is
// shown as a table in rank order; until the study has one, areas are ranked by their
// incident count in the window (core aggregation), and the panel says so. Clicking a
// row selects the feature and flies to it.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

namespace {

void select_and_fly(AppState& s, const Layer& l, uint32_t f) {
  s.selection.set(l.id, f);
  fit_to(s, l.features->feature_bbox(f), true);
}

}  // namespace

void draw_targets_panel(AppState& s, const Theme& theme) {
  // A ranked target layer, if any.
  const Layer* ranked = nullptr;
  for (const Layer& l : s.layers)
    if (l.features && l.features->field_index("rank") >= 0 && l.features->fields[static_cast<std::size_t>(l.features->field_index("rank"))].is_numeric())
      ranked = &l;
  if (ranked != nullptr) {
    const auto& fs = *ranked->features;
    const auto& rank = fs.fields[static_cast<std::size_t>(fs.field_index("rank"))];
    ImGui::PushFont(theme.bold);
    ImGui::Text("Ranked targets (%s)", ranked->name.c_str());
    ImGui::PopFont();
    std::vector<uint32_t> order(fs.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const double ra = rank.number(a), rb = rank.number(b);
      if (std::isnan(ra)) return false;
      if (std::isnan(rb)) return true;
      return ra < rb;
    });
    // Numeric columns after rank: up to three more (score, PAI, counts...).
    std::vector<std::size_t> cols;
    for (std::size_t i = 0; i < fs.fields.size() && cols.size() < 3; ++i)
      if (fs.fields[i].is_numeric() && fs.fields[i].name != "rank") cols.push_back(i);
    if (ImGui::BeginTable("ranked", static_cast<int>(2 + cols.size()),
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH,
                          ImVec2(0, ImGui::GetContentRegionAvail().y))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn("Rank", ImGuiTableColumnFlags_WidthFixed, 42);
      ImGui::TableSetupColumn("Target");
      for (auto c : cols) ImGui::TableSetupColumn(fs.fields[c].name.c_str());
      ImGui::TableHeadersRow();
      ImGuiListClipper clipper;
      clipper.Begin(static_cast<int>(order.size()));
      while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
          const uint32_t f = order[static_cast<std::size_t>(i)];
          ImGui::TableNextRow();
          ImGui::TableSetColumnIndex(0);
          if (ImGui::Selectable((rank.text(f) + "##r" + std::to_string(f)).c_str(), s.selection.contains(ranked->id, f),
                                ImGuiSelectableFlags_SpanAllColumns))
            select_and_fly(s, *ranked, f);
          if (i < 10) record_item(s, "target_row" + std::to_string(i + 1));
          ImGui::TableSetColumnIndex(1);
          ImGui::TextUnformatted(ranked->feature_title(f).c_str());
          for (std::size_t k = 0; k < cols.size(); ++k) {
            ImGui::TableSetColumnIndex(static_cast<int>(2 + k));
            ImGui::TextUnformatted(format_number(fs.fields[cols[k]].number(f), fs.fields[cols[k]].kind == layers::FieldKind::integer).c_str());
          }
        }
      ImGui::EndTable();
    }
    return;
  }
  // Fallback: areas ranked by incident count in the window.
  const Layer* areas = nullptr;
  for (auto it = s.layers.rbegin(); it != s.layers.rend(); ++it)
    if (it->visible && it->is_polygon() && it->areas && it->features->size() > 1 && it->style.fill_on) {
      areas = &*it;
      break;
    }
  if (areas == nullptr || !s.incidents) {
    ImGui::TextWrapped("No ranked target list in this study yet (`hotspot rank` adds one). With incidents and "
                       "an area layer shown, areas are ranked here by their incident count.");
    return;
  }
  ImGui::PushFont(theme.bold);
  ImGui::Text("%s ranked by incidents", areas->name.c_str());
  ImGui::PopFont();
  ImGui::TextWrapped("%s, %s. Counts from core aggregation; a ranked target list appears here when the study has "
                     "one (`hotspot rank`).",
                     format_month_range(s.window).c_str(),
                     s.categories.all() ? "all crime types" : (std::to_string(s.categories.count()) + " crime types").c_str());
  const std::vector<double> v = field_values(s, *areas, areas->features->field_index("total") >= 0 ? "total" : "incidents", s.window, false);
  std::vector<uint32_t> order(v.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return v[a] > v[b]; });
  if (ImGui::BeginTable("by_count", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH,
                        ImVec2(0, ImGui::GetContentRegionAvail().y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, 30);
    ImGui::TableSetupColumn("Area");
    ImGui::TableSetupColumn("Incidents", ImGuiTableColumnFlags_WidthFixed, 72);
    ImGui::TableSetupColumn("per km\u00b2", ImGuiTableColumnFlags_WidthFixed, 66);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(order.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const uint32_t f = order[static_cast<std::size_t>(i)];
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        if (ImGui::Selectable((std::to_string(i + 1) + "##a" + std::to_string(f)).c_str(), s.selection.contains(areas->id, f),
                              ImGuiSelectableFlags_SpanAllColumns))
          select_and_fly(s, *areas, f);
        if (i < 10) record_item(s, "area_row" + std::to_string(i + 1));
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(areas->feature_title(f).c_str());
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(format_number(v[f], true).c_str());
        ImGui::TableSetColumnIndex(3);
        const double km2 = areas->areas->areas()[f].area_m2 / 1e6;
        ImGui::TextUnformatted(km2 > 0 ? format_number(v[f] / km2, false).c_str() : "");
      }
    ImGui::EndTable();
  }
}

}  // namespace hotspot::viewer
