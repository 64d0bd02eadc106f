// [SECTION] index
//   geometry    world polygons/rings on screen
//   features    selection/hover highlights, symbols of small point layers, rings
//   labels      feature labels (greedy placement without overlaps)
//   compare     the target area, its buffer ring, the area being drawn
//   furniture   title, legend, scale bar, north arrow, attribution, loading notice
#include <cmath>
#include <numbers>

#include "viewer/app/labels.hpp"
#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

namespace {

// [SECTION] geometry ------------------------------------------------------------------

ImVec2 to_screen(const Camera& cam, const PaneGeometry& pane, double x, double y) {
  const ScreenPoint p = cam.to_screen(x, y);
  return ImVec2(pane.origin.x + static_cast<float>(p.x), pane.origin.y + static_cast<float>(p.y));
}

void ring_outline(ImDrawList* dl, const Camera& cam, const PaneGeometry& pane, const layers::FeatureSet& fs,
                  std::size_t f, ImU32 colour, float thickness) {
  std::vector<ImVec2> pts;
  for (uint32_t p = fs.feature_offsets[f]; p < fs.feature_offsets[f + 1]; ++p)
    for (uint32_t r = fs.part_offsets[p]; r < fs.part_offsets[p + 1]; ++r) {
      pts.clear();
      for (uint32_t v = fs.ring_offsets[r]; v < fs.ring_offsets[r + 1]; ++v)
        pts.push_back(to_screen(cam, pane, fs.x_m[v], fs.y_m[v]));
      if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), colour, ImDrawFlags_Closed, thickness);
    }
}

void polygon_outline(ImDrawList* dl, const Camera& cam, const PaneGeometry& pane, const core::MultiPolygon& mp,
                     ImU32 colour, float thickness) {
  std::vector<ImVec2> pts;
  auto ring = [&](const core::Ring& r) {
    pts.clear();
    for (const auto& p : r) pts.push_back(to_screen(cam, pane, p.x(), p.y()));
    if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), colour, ImDrawFlags_Closed, thickness);
  };
  for (const auto& poly : mp) {
    ring(poly.outer());
    for (const auto& h : poly.inners()) ring(h);
  }
}

void text_with_halo(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const char* text) {
  const ImU32 halo = IM_COL32(255, 255, 255, 220);
  for (const ImVec2 d : {ImVec2(-1, 0), ImVec2(1, 0), ImVec2(0, -1), ImVec2(0, 1), ImVec2(-1, -1), ImVec2(1, 1),
                         ImVec2(-1, 1), ImVec2(1, -1)})
    dl->AddText(font, size, ImVec2(pos.x + d.x, pos.y + d.y), halo, text);
  dl->AddText(font, size, pos, colour, text);
}

// [SECTION] features -----------------------------------------------------------------

// A symbol per class: circle, square, triangle, diamond (cycling), dark outline.
void symbol(ImDrawList* dl, ImVec2 c, float r, int shape, ImU32 fill) {
  const ImU32 edge = IM_COL32(30, 30, 30, 255);
  switch (shape % 4) {
    case 0:
      dl->AddCircleFilled(c, r, fill, 20);
      dl->AddCircle(c, r, edge, 20, 1.5f);
      break;
    case 1:
      dl->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), fill);
      dl->AddRect(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), edge, 0, 0, 1.5f);
      break;
    case 2: {
      const ImVec2 a(c.x, c.y - r * 1.2f), b(c.x + r * 1.1f, c.y + r * 0.8f), d(c.x - r * 1.1f, c.y + r * 0.8f);
      dl->AddTriangleFilled(a, b, d, fill);
      dl->AddTriangle(a, b, d, edge, 1.5f);
      break;
    }
    default: {
      const ImVec2 a(c.x, c.y - r * 1.25f), b(c.x + r * 1.25f, c.y), d(c.x, c.y + r * 1.25f), e(c.x - r * 1.25f, c.y);
      dl->AddQuadFilled(a, b, d, e, fill);
      dl->AddQuad(a, b, d, e, edge, 1.5f);
      break;
    }
  }
}

void draw_point_layer(AppState& s, const Theme& theme, const PaneGeometry& pane, const Layer& l, ImDrawList* dl) {
  const Camera& cam = s.camera;
  const auto& fs = *l.features;
  const LayerPaint& p = paint(s, l, *pane.view, pane.slot);
  const float r = static_cast<float>(l.style.point_radius_px);
  const int fi = l.style.field.empty() ? -1 : fs.field_index(l.style.field);
  const int radius_field = fs.field_index("radius_m"), buffer_field = fs.field_index("buffer_m");
  for (std::size_t f = 0; f < fs.size(); ++f) {
    if (fs.feature_class[f] != layers::GeometryClass::point) continue;
    const uint32_t v = fs.ring_offsets[fs.part_offsets[fs.feature_offsets[f]]];
    const ImVec2 c = to_screen(cam, pane, fs.x_m[v], fs.y_m[v]);
    if (c.x < pane.origin.x - 200 || c.y < pane.origin.y - 200 || c.x > pane.origin.x + pane.size.x + 200 ||
        c.y > pane.origin.y + pane.size.y + 200)
      continue;
    // Target and buffer rings (interventions).
    double target = l.style.ring_target_m, buf = l.style.ring_buffer_m;
    if (radius_field >= 0 && fs.fields[static_cast<std::size_t>(radius_field)].number(f) > 0)
      target = fs.fields[static_cast<std::size_t>(radius_field)].number(f);
    if (buffer_field >= 0 && fs.fields[static_cast<std::size_t>(buffer_field)].number(f) >= 0 &&
        !fs.fields[static_cast<std::size_t>(buffer_field)].is_null(f))
      buf = fs.fields[static_cast<std::size_t>(buffer_field)].number(f);
    const ImU32 colour = f < p.colours.size() ? p.colours[f] : im_colour(l.style.fill);
    if (target > 0) {
      const auto rt = static_cast<float>(target / cam.m_per_px);
      dl->AddCircle(c, rt, (colour & 0x00FFFFFFu) | 0xE6000000u, 64, 2.0f);
      if (buf > 0) dl->AddCircle(c, static_cast<float>((target + buf) / cam.m_per_px), (colour & 0x00FFFFFFu) | 0x99000000u, 64, 1.0f);
    }
    int shape = 0;
    if (fi >= 0 && !p.classes.categories.empty()) shape = std::max(0, p.classes.class_of(fs.fields[static_cast<std::size_t>(fi)].text(f)));
    symbol(dl, c, r, shape, colour | 0xFF000000u);
    if (!l.style.label_field.empty() && cam.m_per_px < 40) {
      const std::string t = l.field_text(l.style.label_field, f);
      text_with_halo(dl, theme.small, theme.small->FontSize, ImVec2(c.x + r + 4, c.y - theme.small->FontSize * 0.5f),
                     theme.ink, t.c_str());
    }
  }
}

// [SECTION] labels -------------------------------------------------------------------

void draw_labels(AppState& s, const Theme& theme, const PaneGeometry& pane, const Layer& l, ImDrawList* dl) {
  if (!s.show_labels || l.style.label_field.empty() || !l.label_points) return;
  const Camera& cam = s.camera;
  if (l.typical_size_m / cam.m_per_px < 40) return;  // features too small to label legibly
  const auto& fs = *l.features;
  std::vector<LabelCandidate> cands;
  std::vector<std::string> texts;
  std::vector<std::size_t> feature;
  ImFont* font = theme.small;
  for (std::size_t f = 0; f < fs.size() && f < l.label_points->size(); ++f) {
    const WorldPoint w = (*l.label_points)[f];
    if (!std::isfinite(w.x_m)) continue;
    const ScreenPoint sp = cam.to_screen(w.x_m, w.y_m);
    const double pw = static_cast<double>(pane.size.x), ph = static_cast<double>(pane.size.y);
    if (sp.x < -50 || sp.y < -20 || sp.x > pw + 50 || sp.y > ph + 20) continue;
    std::string t = l.field_text(l.style.label_field, f);
    if (t.empty()) continue;
    const ImVec2 size = font->CalcTextSizeA(font->FontSize, 1e9f, 0, t.c_str());
    const double diag = std::hypot(fs.bbox[4 * f + 2] - fs.bbox[4 * f], fs.bbox[4 * f + 3] - fs.bbox[4 * f + 1]);
    if (diag / cam.m_per_px < static_cast<double>(size.x) * 0.6) continue;  // the label would swamp its area
    cands.push_back({sp.x, sp.y, size.x, size.y, diag});
    texts.push_back(std::move(t));
    feature.push_back(f);
  }
  const std::vector<bool> shown = place_labels(cands, pane.size.x, pane.size.y, 3);
  for (std::size_t i = 0; i < cands.size(); ++i) {
    if (!shown[i]) continue;
    const ImVec2 pos(pane.origin.x + static_cast<float>(cands[i].x - cands[i].width / 2),
                     pane.origin.y + static_cast<float>(cands[i].y - cands[i].height / 2));
    text_with_halo(dl, font, font->FontSize, pos, IM_COL32(20, 20, 20, 255), texts[i].c_str());
  }
}

// [SECTION] furniture ----------------------------------------------------------------

void draw_scale_bar(const AppState& s, const Theme& theme, const PaneGeometry& pane, ImDrawList* dl) {
  const ScaleBar bar = nice_scale_bar(s.camera.m_per_px, std::min(160.0, static_cast<double>(pane.size.x) * 0.3));
  const auto len = static_cast<float>(bar.length_px);
  const float pad = 8, h = 6;
  ImFont* font = theme.small;
  const ImVec2 label = font->CalcTextSizeA(font->FontSize, 1e9f, 0, bar.label.c_str());
  const ImVec2 zero = font->CalcTextSizeA(font->FontSize, 1e9f, 0, "0");
  // "0" above the start, the length above the end: room for both even on a short bar.
  const float bar_w = std::max(len, zero.x * 0.5f + label.x * 0.5f + 14);
  const float box_w = bar_w + zero.x * 0.5f + label.x * 0.5f + 2 * pad, box_h = h + label.y + 3 * pad - 2;
  const ImVec2 p1(pane.origin.x + pane.size.x - 12, pane.origin.y + pane.size.y - 30);
  const ImVec2 p0(p1.x - box_w, p1.y - box_h);
  dl->AddRectFilled(p0, p1, theme.panel_fill, 4);
  dl->AddRect(p0, p1, theme.panel_border, 4);
  const float x0 = p0.x + pad + zero.x * 0.5f, y = p1.y - pad - h;
  dl->AddRectFilled(ImVec2(x0, y), ImVec2(x0 + len * 0.5f, y + h), IM_COL32(30, 30, 30, 255));
  dl->AddRectFilled(ImVec2(x0 + len * 0.5f, y), ImVec2(x0 + len, y + h), IM_COL32(255, 255, 255, 255));
  dl->AddRect(ImVec2(x0, y), ImVec2(x0 + len, y + h), IM_COL32(30, 30, 30, 255));
  const float ty = y - label.y - 2;
  dl->AddText(font, font->FontSize, ImVec2(x0 - zero.x * 0.5f, ty), theme.muted, "0");
  dl->AddText(font, font->FontSize, ImVec2(x0 + len - label.x * 0.5f, ty), theme.ink, bar.label.c_str());
}

void draw_north_arrow(const Theme& theme, const PaneGeometry& pane, ImDrawList* dl, float top) {
  const ImVec2 c(pane.origin.x + pane.size.x - 34, pane.origin.y + top + 48);
  dl->AddCircleFilled(c, 24, theme.panel_fill, 32);
  dl->AddCircle(c, 24, theme.panel_border, 32);
  const ImVec2 tip(c.x, c.y - 15), left(c.x - 8, c.y + 11), right(c.x + 8, c.y + 11), mid(c.x, c.y + 5);
  dl->AddTriangleFilled(tip, mid, left, IM_COL32(30, 30, 30, 255));
  dl->AddTriangleFilled(tip, right, mid, IM_COL32(150, 150, 150, 255));
  dl->AddTriangle(tip, right, left, IM_COL32(30, 30, 30, 255), 1.0f);
  const ImVec2 ns = theme.bold->CalcTextSizeA(theme.bold->FontSize, 1e9f, 0, "N");
  dl->AddText(theme.bold, theme.bold->FontSize, ImVec2(c.x - ns.x * 0.5f, c.y - 24 - ns.y - 1), theme.ink, "N");
}

void draw_attribution(const Theme& theme, const PaneGeometry& pane, ImDrawList* dl) {
  const char* text = pane.size.x > 560
                         ? "Boundaries: ONS (OGL v3). Contains OS data \u00a9 Crown copyright and database right 2024."
                         : "ONS (OGL v3); OS data \u00a9 Crown copyright 2024";
  const float size = theme.small->FontSize * 0.85f;
  const ImVec2 ts = theme.small->CalcTextSizeA(size, 1e9f, 0, text);
  const ImVec2 pos(pane.origin.x + pane.size.x - ts.x - 10, pane.origin.y + pane.size.y - ts.y - 8);
  if (pos.x < pane.origin.x + 10) return;
  dl->AddRectFilled(ImVec2(pos.x - 4, pos.y - 2), ImVec2(pos.x + ts.x + 4, pos.y + ts.y + 2), IM_COL32(255, 255, 255, 190), 3);
  dl->AddText(theme.small, size, pos, theme.muted, text);
}

void draw_pane_title(const Theme& theme, const PaneGeometry& pane, ImDrawList* dl, const std::string& title, ImU32 accent,
                     float right_edge = 0) {
  const ImVec2 ts = theme.title->CalcTextSizeA(theme.title->FontSize, 1e9f, 0, title.c_str());
  // At the pane's top left, or ending at `right_edge` (swipe: the after map's title).
  const float x0 = right_edge > 0 ? right_edge - 12 - (ts.x + 24) : pane.origin.x + 12;
  const ImVec2 p0(x0, pane.origin.y + 12), p1(p0.x + ts.x + 24, p0.y + ts.y + 14);
  dl->AddRectFilled(p0, p1, theme.panel_fill, 4);
  dl->AddRectFilled(p0, ImVec2(p0.x + 5, p1.y), accent, 4, ImDrawFlags_RoundCornersLeft);
  dl->AddRect(p0, p1, theme.panel_border, 4);
  dl->AddText(theme.title, theme.title->FontSize, ImVec2(p0.x + 14, p0.y + 7), theme.ink, title.c_str());
}

}  // namespace

ImVec4 draw_legend(AppState& s, const Theme& theme, const PaneGeometry& pane) {
  // Legend blocks: every visible thematic layer, topmost first (at most three).
  struct Block {
    const Layer* layer;
    const LayerPaint* paint;
  };
  std::vector<Block> blocks;
  for (auto it = s.layers.rbegin(); it != s.layers.rend() && blocks.size() < 3; ++it) {
    const Layer& l = *it;
    if (!l.visible || l.role == LayerRole::basemap) continue;
    const bool thematic = l.id == s.incidents_layer || !l.style.field.empty() || l.is_point();
    if (!thematic || (l.is_polygon() && (!l.style.fill_on || l.style.opacity < 0.05))) continue;
    blocks.push_back({&l, &paint(s, l, *pane.view, pane.slot)});
  }
  if (blocks.empty()) return ImVec4(0, 0, 0, 0);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* row_font = theme.regular;
  const float row_h = row_font->FontSize + 6, sw_w = 22, sw_h = row_font->FontSize - 1, pad = 10;
  const float max_h = pane.size.y - 150;
  // Titles too wide for the pane break after their last ", " (field / window).
  const float max_w = pane.size.x * 0.6f;
  auto title_lines = [&](const std::string& t) {
    std::vector<std::string> lines{t};
    const float tw = theme.bold->CalcTextSizeA(theme.bold->FontSize, 1e9f, 0, t.c_str()).x + 2 * pad;
    const std::size_t cut = t.rfind(", ");
    if (tw > max_w && cut != std::string::npos) lines = {t.substr(0, cut), t.substr(cut + 2)};
    return lines;
  };
  // Measure.
  float w = 180, h = pad;
  std::size_t max_rows_total = static_cast<std::size_t>(std::max(3.0f, (max_h - pad * 2) / row_h - 3.0f * static_cast<float>(blocks.size())));
  for (const Block& b : blocks) {
    const auto lines = title_lines(b.paint->title);
    for (const auto& line : lines)
      w = std::max(w, theme.bold->CalcTextSizeA(theme.bold->FontSize, 1e9f, 0, line.c_str()).x + 2 * pad);
    w = std::max(w, theme.small->CalcTextSizeA(theme.small->FontSize, 1e9f, 0, b.paint->subtitle.c_str()).x + 2 * pad);
    for (const auto& r : b.paint->legend) {
      const std::string count = format_number(static_cast<double>(r.count), true);
      w = std::max(w, pad + sw_w + 8 + row_font->CalcTextSizeA(row_font->FontSize, 1e9f, 0, r.label.c_str()).x + 16 +
                          theme.small->CalcTextSizeA(theme.small->FontSize, 1e9f, 0, count.c_str()).x + pad);
    }
    const std::size_t rows = std::min(b.paint->legend.size(), max_rows_total);
    h += (theme.bold->FontSize + 2) * static_cast<float>(lines.size()) + (b.paint->subtitle.empty() ? 0 : theme.small->FontSize + 2) + 4 +
         row_h * static_cast<float>(rows) + pad;
  }
  w = std::min(w, max_w);
  const ImVec2 p0(pane.origin.x + 12, pane.origin.y + pane.size.y - 12 - h), p1(p0.x + w, pane.origin.y + pane.size.y - 12);
  dl->AddRectFilled(p0, p1, theme.panel_fill, 5);
  dl->AddRect(p0, p1, theme.panel_border, 5);
  float y = p0.y + pad;
  dl->PushClipRect(p0, p1, true);
  for (const Block& b : blocks) {
    for (const auto& line : title_lines(b.paint->title)) {
      dl->AddText(theme.bold, theme.bold->FontSize, ImVec2(p0.x + pad, y), theme.ink, line.c_str());
      y += theme.bold->FontSize + 2;
    }
    if (!b.paint->subtitle.empty()) {
      dl->AddText(theme.small, theme.small->FontSize, ImVec2(p0.x + pad, y), theme.muted, b.paint->subtitle.c_str());
      y += theme.small->FontSize + 2;
    }
    y += 4;
    std::size_t shown = 0;
    for (const auto& r : b.paint->legend) {
      if (shown++ >= max_rows_total) break;
      const ImVec2 a(p0.x + pad, y + (row_h - sw_h) * 0.5f - 1), c(a.x + sw_w, a.y + sw_h);
      if (b.layer->id == s.incidents_layer || (b.layer->is_point() && b.layer->style.field.empty())) {
        dl->AddCircleFilled(ImVec2((a.x + c.x) * 0.5f, (a.y + c.y) * 0.5f), sw_h * 0.35f, im_colour(r.colour.with_alpha(0.9)), 16);
      } else if (b.layer->is_point()) {
        symbol(dl, ImVec2((a.x + c.x) * 0.5f, (a.y + c.y) * 0.5f), sw_h * 0.4f, std::max(0, r.class_index), im_colour(r.colour));
      } else {
        dl->AddRectFilled(a, c, im_colour(r.colour.with_alpha(std::clamp(b.layer->style.opacity + 0.1, 0.0, 1.0))));
        dl->AddRect(a, c, IM_COL32(0, 0, 0, 90));
      }
      dl->AddText(row_font, row_font->FontSize, ImVec2(c.x + 8, y + 2), theme.ink, r.label.c_str());
      const std::string count = format_number(static_cast<double>(r.count), true);
      const float cw = theme.small->CalcTextSizeA(theme.small->FontSize, 1e9f, 0, count.c_str()).x;
      dl->AddText(theme.small, theme.small->FontSize, ImVec2(p1.x - pad - cw, y + 4), theme.muted, count.c_str());
      y += row_h;
    }
    y += pad;
  }
  dl->PopClipRect();
  s.ui_rects["legend" + std::to_string(pane.slot)] = {p0.x, p0.y, p1.x - p0.x, p1.y - p0.y};
  return ImVec4(p0.x, p0.y, p1.x, p1.y);
}

void draw_map_overlays(AppState& s, const Theme& theme, const PaneGeometry& pane) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p1(pane.origin.x + pane.size.x, pane.origin.y + pane.size.y);
  dl->PushClipRect(pane.origin, p1, true);
  const Camera& cam = s.camera;

  // Labels and small point layers, in draw order.
  for (const Layer& l : s.layers) {
    if (!l.visible || l.kind != LayerKind::vector) continue;
    if (l.is_polygon()) draw_labels(s, theme, pane, l, dl);
    if (l.is_point() && l.id != s.incidents_layer && l.features->size() <= 20000) draw_point_layer(s, theme, pane, l, dl);
  }

  // Compare target, buffer ring, drawing in progress.
  if (s.compare.mode != CompareMode::off || s.compare.drawing) {
    const CompareCache& cc = compare_geometry(s);
    if (cc.target) {
      if (!cc.grown.empty()) polygon_outline(dl, cam, pane, cc.grown, IM_COL32(213, 94, 0, 170), 1.5f);
      polygon_outline(dl, cam, pane, *cc.target, IM_COL32(255, 255, 255, 230), 5.0f);
      polygon_outline(dl, cam, pane, *cc.target, IM_COL32(213, 94, 0, 255), 2.5f);
    }
  }
  if (s.compare.drawing && !s.compare.drawn.empty()) {
    std::vector<ImVec2> pts;
    for (const auto& v : s.compare.drawn) pts.push_back(to_screen(cam, pane, v.x_m, v.y_m));
    pts.push_back(ImGui::GetIO().MousePos);
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), theme.accent, 0, 2.0f);
    for (std::size_t i = 0; i + 1 < pts.size(); ++i) dl->AddCircleFilled(pts[i], 4, theme.accent);
  }

  // Selection and hover highlights.
  if (const Layer* l = find_layer(s, s.selection.layer); l && l->features) {
    if (s.selection.incident_row && s.incidents && *s.selection.incident_row < s.incidents->table.size()) {
      const auto row = *s.selection.incident_row;
      const ImVec2 c = to_screen(cam, pane, s.incidents->table.x_m()[row], s.incidents->table.y_m()[row]);
      dl->AddCircle(c, static_cast<float>(l->style.point_radius_px) + 5, theme.accent, 24, 2.5f);
    }
    for (const uint32_t f : s.selection.features) {
      if (f >= l->features->size()) continue;
      if (l->features->feature_class[f] == layers::GeometryClass::point) {
        const uint32_t v = l->features->ring_offsets[l->features->part_offsets[l->features->feature_offsets[f]]];
        dl->AddCircle(to_screen(cam, pane, l->features->x_m[v], l->features->y_m[v]),
                      static_cast<float>(l->style.point_radius_px) + 5, theme.accent, 24, 2.5f);
      } else {
        ring_outline(dl, cam, pane, *l->features, f, IM_COL32(255, 255, 255, 230), 5.0f);
        ring_outline(dl, cam, pane, *l->features, f, theme.accent, 3.0f);
      }
    }
  }
  if (s.hover.valid() && !s.box_selecting) {
    if (const Layer* l = find_layer(s, s.hover.layer)) {
      if (s.hover.incident && s.incidents && s.hover.feature < s.incidents->table.size()) {
        const ImVec2 c = to_screen(cam, pane, s.incidents->table.x_m()[s.hover.feature], s.incidents->table.y_m()[s.hover.feature]);
        dl->AddCircle(c, static_cast<float>(l->style.point_radius_px) + 3, theme.highlight, 20, 2.0f);
      } else if (l->features && s.hover.feature < l->features->size() &&
                 l->features->feature_class[s.hover.feature] == layers::GeometryClass::polygon) {
        ring_outline(dl, cam, pane, *l->features, s.hover.feature, theme.highlight, 2.0f);
      }
    }
  }
  if (s.box_selecting) {
    const ImVec2 a = to_screen(cam, pane, s.box_start.x_m, s.box_start.y_m), b = to_screen(cam, pane, s.box_end.x_m, s.box_end.y_m);
    dl->AddRectFilled(ImVec2(std::min(a.x, b.x), std::min(a.y, b.y)), ImVec2(std::max(a.x, b.x), std::max(a.y, b.y)),
                      IM_COL32(0, 114, 178, 40));
    dl->AddRect(ImVec2(std::min(a.x, b.x), std::min(a.y, b.y)), ImVec2(std::max(a.x, b.x), std::max(a.y, b.y)), theme.accent, 0, 0, 1.5f);
  }

  // Furniture.
  auto accent_of = [](const MapView& v) {
    return v.role == ViewRole::before ? IM_COL32(86, 180, 233, 255)
           : v.role == ViewRole::after ? IM_COL32(213, 94, 0, 255)
                                       : IM_COL32(120, 120, 120, 255);
  };
  if (pane.swipe != nullptr) {
    // Swipe: the before map's title on the left, the after map's on the right (below
    // the north arrow's column), and the divider with a handle.
    const MapView& before = pane.swipe->front();
    const MapView& after = pane.swipe->back();
    draw_pane_title(theme, pane, dl, before.title, accent_of(before));
    draw_pane_title(theme, pane, dl, after.title, accent_of(after), p1.x - 64);
    const float x = std::round(pane.origin.x + pane.size.x * static_cast<float>(s.compare.swipe_at));
    dl->AddLine(ImVec2(x, pane.origin.y), ImVec2(x, p1.y), IM_COL32(255, 255, 255, 255), 4.0f);
    dl->AddLine(ImVec2(x, pane.origin.y), ImVec2(x, p1.y), IM_COL32(40, 44, 52, 255), 2.0f);
    const ImVec2 c(x, pane.origin.y + pane.size.y * 0.5f);
    dl->AddCircleFilled(c, 13, IM_COL32(255, 255, 255, 255), 24);
    dl->AddCircle(c, 13, IM_COL32(40, 44, 52, 255), 24, 2.0f);
    dl->AddTriangleFilled(ImVec2(c.x - 9, c.y), ImVec2(c.x - 3, c.y - 5), ImVec2(c.x - 3, c.y + 5), IM_COL32(40, 44, 52, 255));
    dl->AddTriangleFilled(ImVec2(c.x + 9, c.y), ImVec2(c.x + 3, c.y + 5), ImVec2(c.x + 3, c.y - 5), IM_COL32(40, 44, 52, 255));
  } else if (s.compare.mode != CompareMode::off) {
    draw_pane_title(theme, pane, dl, pane.view->title, accent_of(*pane.view));
  }
  if (pane.show_legend) {
    const ImVec4 legend = draw_legend(s, theme, pane);
    if (pane.slot == 0) {
      s.legend_px = {legend.z - legend.x, legend.w - legend.y};
      s.legend_measured = true;
    }
  } else if (pane.slot == 0) {
    s.legend_px = {0, 0};
    s.legend_measured = true;
  }
  // One scale bar: in the last pane (the legend sits in the first).
  if (pane.swipe != nullptr || pane.slot + 1 == static_cast<int>(views(s).size())) draw_scale_bar(s, theme, pane, dl);
  // Below the pane title in compare mode, so the two never meet.
  draw_north_arrow(theme, pane, dl, s.compare.mode != CompareMode::off ? 44.0f : 0.0f);
  draw_attribution(theme, pane, dl);
  if (s.layers.empty() && !s.loader.busy()) {
    const char* msg = "Open a study: File > Open\u2026, or drop GeoPackage / GeoJSON / Shapefile / GeoTIFF files here";
    const ImVec2 ts = theme.regular->CalcTextSizeA(theme.regular->FontSize, 1e9f, 0, msg);
    dl->AddText(theme.regular, theme.regular->FontSize,
                ImVec2(pane.origin.x + (pane.size.x - ts.x) * 0.5f, pane.origin.y + pane.size.y * 0.5f), theme.muted, msg);
  }
  if (s.loader.busy()) {
    const std::string msg = "Loading\u2026 " + s.loader.progress();
    const ImVec2 ts = theme.bold->CalcTextSizeA(theme.bold->FontSize, 1e9f, 0, msg.c_str());
    const ImVec2 a(pane.origin.x + (pane.size.x - ts.x) * 0.5f - 14, pane.origin.y + pane.size.y * 0.5f - 20);
    dl->AddRectFilled(a, ImVec2(a.x + ts.x + 28, a.y + ts.y + 20), theme.panel_fill, 6);
    dl->AddText(theme.bold, theme.bold->FontSize, ImVec2(a.x + 14, a.y + 10), theme.ink, msg.c_str());
  }
  dl->PopClipRect();

  // Tooltip for the feature under the cursor.
  if (s.hover.valid() && ImGui::IsItemHovered()) {
    const Layer* l = find_layer(s, s.hover.layer);
    if (l != nullptr) {
      std::string tip;
      if (s.hover.incident && s.incidents) {
        const auto row = s.incidents->table.row(s.hover.feature);
        tip = s.incidents->taxonomy.get(row.category).name + "\n" + month_label(row.month) + "\n" +
              s.incidents->table.source_name(row.source) + ":" + std::to_string(row.line);
      } else {
        tip = l->feature_title(s.hover.feature);
        const LayerPaint& p = paint(s, *l, *pane.view, pane.slot);
        if (!l->style.field.empty() && s.hover.feature < p.values.size() && std::isfinite(p.values[s.hover.feature]))
          tip += "\n" + p.title + ": " + format_number(p.values[s.hover.feature], p.windowed && !l->style.per_km2);
        else if (!l->style.field.empty())
          tip += "\n" + l->style.field + ": " + l->field_text(l->style.field, s.hover.feature);
      }
      ImGui::SetTooltip("%s", tip.c_str());
      s.tooltip = tip;
    }
  }
}

}  // namespace hotspot::viewer
