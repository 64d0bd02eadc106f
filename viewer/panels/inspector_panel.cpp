// The inspector: what is selected. One area: its name, the styled value, counts by
// crime type in the window, the monthly chart over the whole period, Gi* z/p/bin,
// the emerging hot spot category, rank and score when the layer has them, and every
// field. Several areas: a table with their counts and the sum. One incident: its
// category, month, location method and the source file and line it came from.
#include <algorithm>
#include <cmath>

#include "viewer/app/export.hpp"
#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

namespace {

void heading(const Theme& theme, const std::string& text) {
  ImGui::PushFont(theme.title);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopFont();
}

void key_value(const char* key, const std::string& value) {
  ImGui::TextDisabled("%s", key);
  ImGui::SameLine(130);
  ImGui::TextWrapped("%s", value.c_str());
}

std::string gi_sentence(double z, double p, double bin) {
  std::string s;
  if (std::isfinite(bin)) {
    const int b = static_cast<int>(std::lround(bin));
    if (b == 0) s = "not significant";
    else s = std::string(b > 0 ? "hot" : "cold") + " spot, " + (std::abs(b) == 3 ? "99" : std::abs(b) == 2 ? "95" : "90") + "% confidence";
  }
  char buf[96];
  if (std::isfinite(z) && std::isfinite(p)) std::snprintf(buf, sizeof buf, "z = %.2f, p = %.4f", z, p);
  else if (std::isfinite(z)) std::snprintf(buf, sizeof buf, "z = %.2f", z);
  else buf[0] = '\0';
  if (s.empty()) return buf;
  return buf[0] ? s + " (" + buf + ")" : s;
}

// The feature's place in a ranked target list: rank, score and the score's parts.
void rank_block(const AppState& s, const Layer& l, uint32_t f) {
  const auto place = ranked_place(s, l, f);
  if (!place) return;
  const Layer* ranked = place->layer;
  const std::size_t row = place->row;
  const auto& fs = *ranked->features;
  auto num = [&](const char* name) {
    const int i = fs.field_index(name);
    return i >= 0 && fs.fields[static_cast<std::size_t>(i)].is_numeric() ? fs.fields[static_cast<std::size_t>(i)].number(row)
                                                                          : std::nan("");
  };
  const double score = num("score");
  std::string text = format_number(place->rank, true) + " of " + format_number(static_cast<double>(place->of), true);
  if (std::isfinite(score)) text += ", score " + format_number(score, false);
  if (ranked != &l) text += " (" + ranked->name + ")";
  key_value("Rank", text);
  std::string parts;
  for (const auto& [field, label] : {std::pair{"count_part", "count"}, {"rate_part", "rate"}, {"harm_part", "harm"},
                                     {"hotspot_part", "hot spot"}, {"emerging_part", "emerging"}}) {
    const double v = num(field);
    if (!std::isfinite(v)) continue;
    if (!parts.empty()) parts += " + ";
    parts += std::string(label) + " " + format_number(v, false);
  }
  if (!parts.empty()) key_value("Score parts", parts);
  if (fs.field_index("reasons") >= 0) {
    const std::string why = ranked->field_text("reasons", row);
    if (!why.empty()) key_value("Why", why);
  }
}

void one_area(AppState& s, const Theme& theme, const Layer& l, uint32_t f) {
  const auto& fs = *l.features;
  heading(theme, l.feature_title(f));
  ImGui::TextDisabled("%s \u00b7 %s", l.name.c_str(), l.field_text("code", f).c_str());
  ImGui::Spacing();
  if (ImGui::Button("Zoom to")) fit_to(s, fs.feature_bbox(f), true);
  record_item(s, "zoom_to");
  ImGui::SameLine();
  if (ImGui::Button("Compare before/after")) compare_feature(s, l.id, f);
  record_item(s, "compare_feature");
  ImGui::Separator();

  // Statistics carried by the layer (Gi*, emerging hot spots, ranking).
  auto num = [&](std::initializer_list<const char*> names) {
    for (const char* n : names) {
      const int i = fs.field_index(n);
      if (i >= 0 && fs.fields[static_cast<std::size_t>(i)].is_numeric()) return fs.fields[static_cast<std::size_t>(i)].number(f);
    }
    return std::nan("");
  };
  const double z = num({"z", "gi_z", "gistar_z"}), p = num({"p", "gi_p", "p_fdr", "gistar_p"}), bin = num({"bin", "gi_bin"});
  if (std::isfinite(z) || std::isfinite(bin)) key_value("Gi*", gi_sentence(z, p, bin));
  for (const auto& col : fs.fields) {
    if (col.is_numeric()) continue;
    const std::string v = col.text(f);
    for (auto name : ehsa_category_names())
      if (v == name) key_value("Emerging", v);
  }
  rank_block(s, l, f);

  // Counts in the window, by crime type (core aggregation).
  if (s.incidents && l.areas) {
    const CountMatrix* m = counts(s, l, s.window);
    if (m != nullptr && f < m->areas) {
      const uint64_t total = m->total(f, s.categories);
      ImGui::PushFont(theme.bold);
      ImGui::Text("%s incidents, %s", format_number(static_cast<double>(total), true).c_str(), format_month_range(s.window).c_str());
      ImGui::PopFont();
      const double km2 = l.areas->areas()[f].area_m2 / 1e6;
      if (km2 > 0) ImGui::TextDisabled("%s per km\u00b2 (%.2f km\u00b2)", format_number(static_cast<double>(total) / km2, false).c_str(), km2);
      std::vector<std::pair<uint32_t, core::CategoryId>> rows;
      for (std::size_t c = 0; c < m->categories; ++c)
        if (m->at(f, c) > 0 && s.categories.allows(static_cast<core::CategoryId>(c)))
          rows.emplace_back(m->at(f, c), static_cast<core::CategoryId>(c));
      std::sort(rows.rbegin(), rows.rend());
      const uint32_t top = rows.empty() ? 1 : rows.front().first;
      if (ImGui::BeginTable("by_type", 2, ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("type", ImGuiTableColumnFlags_WidthStretch, 0.62f);
        ImGui::TableSetupColumn("n", ImGuiTableColumnFlags_WidthStretch, 0.38f);
        for (const auto& [n, c] : rows) {
          ImGui::TableNextRow();
          ImGui::TableSetColumnIndex(0);
          ImGui::TextUnformatted(s.incidents->taxonomy.get(c).name.c_str());
          ImGui::TableSetColumnIndex(1);
          const ImVec2 pos = ImGui::GetCursorScreenPos();
          const float w = ImGui::GetContentRegionAvail().x * 0.7f * static_cast<float>(n) / static_cast<float>(top);
          ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(pos.x, pos.y + 3), ImVec2(pos.x + w, pos.y + ImGui::GetFontSize()),
                                                    IM_COL32(0, 114, 178, 110));
          ImGui::Text(" %s", format_number(n, true).c_str());
        }
        ImGui::EndTable();
      }
      // Monthly chart over the whole period, window highlighted.
      if (const AreaCounts* ac = area_counts(s, l)) {
        ImGui::Spacing();
        ImGui::TextDisabled("Incidents per month (selected crime types)");
        const auto monthly = ac->monthly(s.incidents->table, f, s.incidents->period, s.categories);
        draw_month_bars("area_months", monthly, s.incidents->period, s.window, std::nullopt,
                        ImVec2(ImGui::GetContentRegionAvail().x, 90), theme);
      }
    }
  }
  if (ImGui::CollapsingHeader("All fields")) {
    if (ImGui::BeginTable("fields", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      for (const auto& col : fs.fields) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextDisabled("%s", col.name.c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(col.text(f).c_str());
      }
      ImGui::EndTable();
    }
  }
}

void many(AppState& s, const Theme& theme, const Layer& l) {
  heading(theme, std::to_string(s.selection.features.size()) + " features selected");
  ImGui::TextDisabled("%s", l.name.c_str());
  const bool windowed = s.incidents && l.areas;
  std::vector<double> values;
  if (windowed) values = field_values(s, l, l.features->field_index("total") >= 0 ? "total" : "incidents", s.window, false);
  double sum = 0;
  if (ImGui::BeginTable("sel", windowed ? 2 : 1, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersOuter,
                        ImVec2(0, std::min(300.0f, ImGui::GetContentRegionAvail().y - 90)))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Feature");
    if (windowed) ImGui::TableSetupColumn(("Incidents, " + format_month_range(s.window)).c_str());
    ImGui::TableHeadersRow();
    for (const uint32_t f : s.selection.features) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      if (ImGui::Selectable((l.feature_title(f) + "##" + std::to_string(f)).c_str(), false, ImGuiSelectableFlags_SpanAllColumns))
        fit_to(s, l.features->feature_bbox(f), true);
      if (windowed) {
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(format_number(values[f], true).c_str());
        sum += values[f];
      }
    }
    ImGui::EndTable();
  }
  if (windowed) ImGui::Text("Total: %s incidents", format_number(sum, true).c_str());
}

void incident(AppState& s, const Theme& theme, uint32_t row_index) {
  const auto row = s.incidents->table.row(row_index);
  heading(theme, s.incidents->taxonomy.get(row.category).name);
  key_value("Month", month_label(row.month));
  if (row.day != core::kNoDay) key_value("Date", core::format_day(row.day));
  key_value("Group", s.incidents->taxonomy.get(row.category).group);
  key_value("Located by", core::method_name(static_cast<core::GeocodeMethod>(row.method)));
  key_value("Score", std::to_string(row.score));
  key_value("Source", s.incidents->table.source_name(row.source) + ":" + std::to_string(row.line));
  key_value("Easting", format_number(row.x_m, true));
  key_value("Northing", format_number(row.y_m, true));
}

// Nothing selected: the whole study in the window, by crime type, and a hint.
void overview(AppState& s, const Theme& theme) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Click an area, cell or incident to inspect it; Shift+click adds, Ctrl+drag selects by box.");
  ImGui::PopStyleColor();
  if (!s.incidents) return;
  ImGui::Separator();
  const WindowSummary& w = window_summary(s);
  heading(theme, "Study area");
  ImGui::PushFont(theme.bold);
  ImGui::Text("%s incidents, %s", format_number(static_cast<double>(w.in_window), true).c_str(),
              format_month_range(s.window).c_str());
  ImGui::PopFont();
  std::vector<std::pair<std::size_t, core::CategoryId>> rows;
  for (std::size_t c = 0; c < w.by_category.size(); ++c)
    if (w.by_category[c] > 0 && s.categories.allows(static_cast<core::CategoryId>(c)))
      rows.emplace_back(w.by_category[c], static_cast<core::CategoryId>(c));
  std::sort(rows.rbegin(), rows.rend());
  const std::size_t top = rows.empty() ? 1 : rows.front().first;
  if (ImGui::BeginTable("overview", 2, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("type", ImGuiTableColumnFlags_WidthStretch, 0.62f);
    ImGui::TableSetupColumn("n", ImGuiTableColumnFlags_WidthStretch, 0.38f);
    for (const auto& [n, c] : rows) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(s.incidents->taxonomy.get(c).name.c_str());
      ImGui::TableSetColumnIndex(1);
      const ImVec2 pos = ImGui::GetCursorScreenPos();
      const float bar = ImGui::GetContentRegionAvail().x * 0.7f * static_cast<float>(n) / static_cast<float>(top);
      ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(pos.x, pos.y + 3), ImVec2(pos.x + bar, pos.y + ImGui::GetFontSize()),
                                                IM_COL32(0, 114, 178, 110));
      ImGui::Text(" %s", format_number(static_cast<double>(n), true).c_str());
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();
  ImGui::TextDisabled("Incidents per month (selected crime types)");
  draw_month_bars("overview_months", w.monthly, s.incidents->period, s.window, std::nullopt,
                  ImVec2(ImGui::GetContentRegionAvail().x, 90), theme);
}

}  // namespace

void draw_inspector_panel(AppState& s, const Theme& theme) {
  const Layer* l = find_layer(s, s.selection.layer);
  if (s.selection.incident_row && s.incidents) {
    incident(s, theme, *s.selection.incident_row);
  } else if (l == nullptr || s.selection.features.empty() || !l->features) {
    overview(s, theme);
    return;
  } else if (s.selection.features.size() == 1) {
    one_area(s, theme, *l, s.selection.features.front());
  } else {
    many(s, theme, *l);
  }
  ImGui::Separator();
  if (!s.selection.features.empty() && ImGui::Button("Export selection (GeoJSON)")) {
    std::filesystem::path dir = std::filesystem::path(l->source).parent_path() / "pack";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (auto err = export_selection_geojson(s, dir / ("selection-" + l->name + ".geojson")); !err.empty())
      log_message(s, LogLevel::error, "export: " + err);
  }
  if (!s.selection.features.empty()) record_item(s, "export_selection");
  if (!s.selection.features.empty()) ImGui::SameLine();
  if (ImGui::Button("Export view (PNG)")) {
    std::filesystem::path dir = l ? std::filesystem::path(l->source).parent_path() / "pack" : std::filesystem::path("pack");
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    s.export_request = "png:" + (dir / "map-view.png").string();
  }
  record_item(s, "export_png");
}

}  // namespace hotspot::viewer
