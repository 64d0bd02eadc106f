// Layers: the list (visibility, draw order, remove), then the style editor of the
// active layer (field, classification, ramp, opacity, outlines, labels, points).
#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

namespace {

const char* kMethods[] = {"Single colour", "Equal interval", "Quantile", "Natural breaks (Jenks)",
                          "Gi* confidence bins", "Emerging hot spot categories", "Categories"};
constexpr ClassMethod kMethodIds[] = {ClassMethod::single, ClassMethod::equal_interval, ClassMethod::quantile,
                                      ClassMethod::natural_breaks, ClassMethod::gi_bins, ClassMethod::ehsa,
                                      ClassMethod::categorical};

void ramp_swatch(Ramp r, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const int steps = 24;
  for (int i = 0; i < steps; ++i) {
    const float x0 = p.x + size.x * static_cast<float>(i) / steps, x1 = p.x + size.x * static_cast<float>(i + 1) / steps;
    dl->AddRectFilled(ImVec2(x0, p.y), ImVec2(x1, p.y + size.y), im_colour(ramp_colour(r, (i + 0.5) / steps)));
  }
  ImGui::Dummy(size);
}

void colour_edit(const char* label, Rgba& c, bool& changed) {
  float f[4] = {c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f};
  if (ImGui::ColorEdit3(label, f, ImGuiColorEditFlags_NoInputs)) {
    c = {static_cast<uint8_t>(f[0] * 255.0f + 0.5f), static_cast<uint8_t>(f[1] * 255.0f + 0.5f),
         static_cast<uint8_t>(f[2] * 255.0f + 0.5f), c.a};
    changed = true;
  }
}

void style_editor(AppState& s, Layer& l, const Theme& theme) {
  LayerStyle& st = l.style;
  bool changed = false;
  ImGui::PushFont(theme.bold);
  ImGui::Text("Style: %s", l.name.c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("%s \u00b7 %s", layer_role_name(l.role),
                      l.kind == LayerKind::raster
                          ? (std::to_string(l.raster->width) + " x " + std::to_string(l.raster->height) + " cells").c_str()
                          : (format_number(static_cast<double>(l.features->size()), true) + " " +
                             layers::geometry_class_name(l.features->geometry) + " features").c_str());
  float opacity = static_cast<float>(st.opacity);
  ImGui::SetNextItemWidth(-90);
  if (ImGui::SliderFloat("Opacity", &opacity, 0.0f, 1.0f, "%.2f")) {
    st.opacity = opacity;
    changed = true;
  }
  const bool incidents = l.id == s.incidents_layer && s.incidents;
  if (incidents) {
    const char* modes[] = {"One colour", "By CSP priority group", "By crime type"};
    int m = static_cast<int>(st.colouring);
    ImGui::SetNextItemWidth(-90);
    if (ImGui::Combo("Colour", &m, modes, 3)) {
      st.colouring = static_cast<PointColouring>(m);
      changed = true;
    }
    if (st.colouring == PointColouring::single) colour_edit("Point colour", st.fill, changed);
    float r = static_cast<float>(st.point_radius_px);
    ImGui::SetNextItemWidth(-90);
    if (ImGui::SliderFloat("Radius px", &r, 0.5f, 8.0f, "%.1f")) {
      st.point_radius_px = r;
      changed = true;
    }
    if (changed) touch_style(l);
    return;
  }
  if (l.is_point() && l.role == LayerRole::interventions) {
    float tr = static_cast<float>(st.ring_target_m), br = static_cast<float>(st.ring_buffer_m);
    ImGui::SetNextItemWidth(-90);
    if (ImGui::SliderFloat("Target m", &tr, 0, 1000, "%.0f")) {
      st.ring_target_m = tr;
      changed = true;
    }
    ImGui::SetNextItemWidth(-90);
    if (ImGui::SliderFloat("Buffer m", &br, 0, 1000, "%.0f")) {
      st.ring_buffer_m = br;
      changed = true;
    }
  }
  // Field and method.
  const auto fields = style_fields(s, l);
  std::string preview = st.field.empty() ? std::string("(single colour)") : st.field;
  ImGui::SetNextItemWidth(-90);
  if (ImGui::BeginCombo("Colour by", preview.c_str())) {
    if (ImGui::Selectable("(single colour)", st.field.empty())) {
      st.field.clear();
      st.method = ClassMethod::single;
      changed = true;
    }
    for (const auto& f : fields) {
      std::string label = f;
      if (is_windowed_field(s, l, f)) label += "  (recounted per window)";
      if (ImGui::Selectable(label.c_str(), st.field == f)) {
        st.field = f;
        if (st.method == ClassMethod::single) st.method = ClassMethod::quantile;
        if (f == "bin" || f == "gi_bin") st.method = ClassMethod::gi_bins;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  if (!st.field.empty()) {
    int mi = 0;
    for (int i = 0; i < 7; ++i)
      if (kMethodIds[i] == st.method) mi = i;
    ImGui::SetNextItemWidth(-90);
    if (ImGui::Combo("Method", &mi, kMethods, 7)) {
      st.method = kMethodIds[mi];
      changed = true;
    }
    if (st.method == ClassMethod::equal_interval || st.method == ClassMethod::quantile ||
        st.method == ClassMethod::natural_breaks) {
      ImGui::SetNextItemWidth(-90);
      if (ImGui::SliderInt("Classes", &st.classes, 2, kMaxClasses)) changed = true;
      ImGui::SetNextItemWidth(-90);
      if (ImGui::BeginCombo("Ramp", std::string(ramp_info(st.ramp).name).c_str())) {
        for (const RampInfo& r : all_ramps()) {
          ImGui::PushID(static_cast<int>(r.id));
          if (ImGui::Selectable("##ramp", st.ramp == r.id, 0, ImVec2(0, 18))) {
            st.ramp = r.id;
            changed = true;
          }
          ImGui::SameLine(4);
          ramp_swatch(r.id, ImVec2(90, 16));
          ImGui::SameLine();
          ImGui::Text("%s%s", std::string(r.name).c_str(), r.kind == RampKind::diverging ? " (diverging)" : "");
          ImGui::PopID();
        }
        ImGui::EndCombo();
      }
      if (ImGui::Checkbox("Reverse", &st.reverse)) changed = true;
      if (l.is_polygon()) {
        ImGui::SameLine();
        if (ImGui::Checkbox("Per km\u00b2", &st.per_km2)) changed = true;
      }
      if (is_windowed_field(s, l, st.field)) {
        if (ImGui::Checkbox("Fixed breaks over the whole period", &st.breaks_over_period)) changed = true;
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip("Keep the class breaks of the whole study period (scaled to the window length),\n"
                            "so colours mean the same while the month window moves or plays.");
      }
    }
  } else {
    colour_edit("Fill", st.fill, changed);
  }
  if (l.is_polygon()) {
    if (ImGui::Checkbox("Fill", &st.fill_on)) changed = true;
    ImGui::SameLine();
    if (ImGui::Checkbox("Outlines", &st.outline_on)) changed = true;
    ImGui::SameLine();
    colour_edit("##outline", st.outline, changed);
    // Labels.
    ImGui::SetNextItemWidth(-90);
    if (ImGui::BeginCombo("Labels", st.label_field.empty() ? "(none)" : st.label_field.c_str())) {
      if (ImGui::Selectable("(none)", st.label_field.empty())) {
        st.label_field.clear();
        changed = true;
      }
      for (const auto& f : l.features->fields)
        if (ImGui::Selectable(f.name.c_str(), st.label_field == f.name)) {
          st.label_field = f.name;
          changed = true;
        }
      ImGui::EndCombo();
    }
  }
  if (changed) touch_style(l);
}

}  // namespace

void draw_layers_panel(AppState& s, const Theme& theme) {
  if (ImGui::Button("Open\u2026")) {
    s.file_dialog.open = true;
    s.file_dialog.as_basemap = false;
  }
  ImGui::SameLine();
  if (ImGui::Button("Basemap\u2026")) {
    s.file_dialog.open = true;
    s.file_dialog.as_basemap = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Fit")) fit_to(s, data_bounds(s), true);
  record_item(s, "fit");
  if (s.layers.empty()) {
    ImGui::Spacing();
    ImGui::TextWrapped("No data yet. Open a study (study.toml or the study.gpkg that `hotspot run` writes), "
                       "or drop GeoPackage, GeoJSON, Shapefile or GeoTIFF files on the window.");
    return;
  }
  if (s.active_layer == kNoLayer || find_layer(s, s.active_layer) == nullptr) {
    // The topmost thematic layer is the natural one to style.
    for (auto it = s.layers.rbegin(); it != s.layers.rend(); ++it)
      if (it->visible && !it->style.field.empty()) {
        s.active_layer = it->id;
        break;
      }
    if (s.active_layer == kNoLayer) s.active_layer = s.layers.back().id;
  }
  const float list_h = std::min(ImGui::GetFrameHeightWithSpacing() * static_cast<float>(s.layers.size()) + 8,
                                ImGui::GetContentRegionAvail().y * 0.42f);
  LayerId remove = kNoLayer, up = kNoLayer, down = kNoLayer;
  if (ImGui::BeginChild("layer_list", ImVec2(0, list_h), true)) {
    // Top of the list = drawn last (on top), as in every GIS.
    for (auto it = s.layers.rbegin(); it != s.layers.rend(); ++it) {
      Layer& l = *it;
      ImGui::PushID(static_cast<int>(l.id));
      if (ImGui::Checkbox("##vis", &l.visible)) touch_style(l);
      ImGui::SameLine();
      const float buttons_w = 70;
      if (ImGui::Selectable(l.name.c_str(), s.active_layer == l.id, 0,
                            ImVec2(ImGui::GetContentRegionAvail().x - buttons_w, 0)))
        s.active_layer = l.id;
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s\n%s (%s)", l.source.c_str(), l.name.c_str(), layer_role_name(l.role));
      ImGui::SameLine();
      if (ImGui::ArrowButton("##up", ImGuiDir_Up)) up = l.id;
      ImGui::SameLine(0, 2);
      if (ImGui::ArrowButton("##down", ImGuiDir_Down)) down = l.id;
      ImGui::SameLine(0, 2);
      if (ImGui::SmallButton("x")) remove = l.id;
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
  if (up != kNoLayer) move_layer(s, up, +1);
  if (down != kNoLayer) move_layer(s, down, -1);
  if (remove != kNoLayer) remove_layer(s, remove);
  if (Layer* l = find_layer(s, s.active_layer)) {
    ImGui::Spacing();
    if (ImGui::BeginChild("style", ImVec2(0, 0), false)) style_editor(s, *l, theme);
    ImGui::EndChild();
  }
}

}  // namespace hotspot::viewer
