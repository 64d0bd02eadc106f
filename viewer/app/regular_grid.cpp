#include "viewer/app/regular_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hotspot::viewer {

std::optional<RegularGrid> detect_regular_grid(const layers::FeatureSet& fs, std::size_t max_cells) {
  if (fs.size() < 4 || fs.geometry != layers::GeometryClass::polygon) return std::nullopt;
  struct Rect {
    double x0, y0, x1, y1;
  };
  std::vector<Rect> rects;
  rects.reserve(fs.size());
  for (std::size_t f = 0; f < fs.size(); ++f) {
    if (fs.feature_class[f] != layers::GeometryClass::polygon) return std::nullopt;
    if (fs.feature_offsets[f + 1] - fs.feature_offsets[f] != 1) return std::nullopt;  // one part
    const uint32_t p = fs.feature_offsets[f];
    if (fs.part_offsets[p + 1] - fs.part_offsets[p] != 1) return std::nullopt;  // no holes
    const uint32_t r = fs.part_offsets[p];
    const uint32_t v0 = fs.ring_offsets[r], v1 = fs.ring_offsets[r + 1];
    const uint32_t n = v1 - v0;
    if (n != 4 && n != 5) return std::nullopt;
    // Every vertex on the bounding box's corners, every edge axis-aligned.
    const double x0 = fs.bbox[4 * f], y0 = fs.bbox[4 * f + 1], x1 = fs.bbox[4 * f + 2], y1 = fs.bbox[4 * f + 3];
    for (uint32_t k = 0; k < n; ++k) {
      const double x = fs.x_m[v0 + k], y = fs.y_m[v0 + k];
      if ((x != x0 && x != x1) || (y != y0 && y != y1)) return std::nullopt;
      const uint32_t k2 = (k + 1) % n;
      if (fs.x_m[v0 + k2] != x && fs.y_m[v0 + k2] != y) return std::nullopt;
    }
    rects.push_back({x0, y0, x1, y1});
  }
  RegularGrid g;
  g.cell_w_m = rects[0].x1 - rects[0].x0;
  g.cell_h_m = rects[0].y1 - rects[0].y0;
  if (!(g.cell_w_m > 0 && g.cell_h_m > 0)) return std::nullopt;
  g.x0_m = std::numeric_limits<double>::infinity();
  g.y0_m = g.x0_m;
  double xmax = -g.x0_m, ymax = -g.x0_m;
  const double tol_w = g.cell_w_m * 1e-6, tol_h = g.cell_h_m * 1e-6;
  for (const Rect& r : rects) {
    if (std::abs(r.x1 - r.x0 - g.cell_w_m) > tol_w || std::abs(r.y1 - r.y0 - g.cell_h_m) > tol_h) return std::nullopt;
    g.x0_m = std::min(g.x0_m, r.x0);
    g.y0_m = std::min(g.y0_m, r.y0);
    xmax = std::max(xmax, r.x1);
    ymax = std::max(ymax, r.y1);
  }
  const double cols = std::round((xmax - g.x0_m) / g.cell_w_m), rows = std::round((ymax - g.y0_m) / g.cell_h_m);
  if (cols * rows > static_cast<double>(max_cells)) return std::nullopt;
  g.cols = static_cast<int>(cols);
  g.rows = static_cast<int>(rows);
  g.feature_of_cell.assign(static_cast<std::size_t>(g.cols) * static_cast<std::size_t>(g.rows), -1);
  for (std::size_t f = 0; f < rects.size(); ++f) {
    const double c = (rects[f].x0 - g.x0_m) / g.cell_w_m, r = (rects[f].y0 - g.y0_m) / g.cell_h_m;
    const double ci = std::round(c), ri = std::round(r);
    if (std::abs(c - ci) > 1e-6 || std::abs(r - ri) > 1e-6) return std::nullopt;  // off the lattice
    const std::size_t cell = static_cast<std::size_t>(ri) * static_cast<std::size_t>(g.cols) + static_cast<std::size_t>(ci);
    if (g.feature_of_cell[cell] != -1) return std::nullopt;  // two features in one cell
    g.feature_of_cell[cell] = static_cast<int32_t>(f);
  }
  return g;
}

}  // namespace hotspot::viewer
