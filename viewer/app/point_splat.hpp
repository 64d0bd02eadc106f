#pragma once
// A CPU rasteriser for incident points: draws filtered incidents as anti-aliased
// discs into an RGBA image (premultiplied alpha), for the map renderer to upload as
// one texture.
//
// Why it exists: on a software OpenGL (Mesa llvmpipe, what CI and remote desktops
// have) every primitive costs ~0.7-1.4 us of CPU, so a million instanced points take
// over a second per frame, while this loop draws them in ~10-20 ms. On a hardware
// GPU the renderer draws the same discs GPU-instanced instead; both give the same
// picture (same radius, colours and "over" blending in row order).
//
//   SplatImage img(width, height);
//   SplatView view{.left_m = x0, .top_m = y1, .m_per_px = mpp};
//   splat_incidents(table, 0, table.size(), style, view, img);   // may be called in chunks

#include <cstdint>
#include <span>
#include <vector>

#include "core/incidents/incident_table.hpp"
#include "viewer/app/color.hpp"
#include "viewer/app/incidents.hpp"

namespace hotspot::viewer {

struct SplatImage {
  int width = 0, height = 0;
  std::vector<uint32_t> pixels;  // row 0 at the TOP; premultiplied RGBA8 packed 0xAABBGGRR
  SplatImage() = default;
  SplatImage(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0) {}
  void clear() { std::fill(pixels.begin(), pixels.end(), 0u); }
};

// World -> image pixels: pixel (0, 0)'s top-left corner is at (left_m, top_m).
struct SplatView {
  double left_m = 0, top_m = 0, m_per_px = 1;
};

struct SplatStyle {
  std::vector<Rgba> colour_of_category;  // straight alpha; missing categories use `fallback`
  Rgba fallback{180, 30, 30, 255};
  CategoryFilter filter;
  MonthRange window;
  double radius_px = 2.5;
  double opacity = 1.0;
};

// Draws rows [begin, end) of `table` that pass the style's window and filter, in
// table order. Returns the number of discs drawn (inside the image or partly).
std::size_t splat_incidents(const core::IncidentTable& table, std::size_t begin, std::size_t end,
                            const SplatStyle& style, const SplatView& view, SplatImage& image);

// The incidents re-ordered along a Morton (Z-order) curve of their position, 16 bytes
// each. Splatting in table order touches image rows at random (a cache miss per
// disc row: ~120 ns a point on a 1335x1432 canvas); in this order neighbouring
// points share cache lines (~4x faster). Where discs of different types overlap,
// which lies on top follows this order rather than the table's.
struct SplatPoints {
  struct Point {
    float dx_m, dy_m;  // from the origin
    core::MonthIndex month;
    core::CategoryId category;
  };
  double origin_x_m = 0, origin_y_m = 0;
  std::vector<Point> points;
  static SplatPoints from(const core::IncidentTable& table);
};

// Draws points [begin, end) of `points` (in their spatial order), as splat_incidents.
std::size_t splat_points(const SplatPoints& points, std::size_t begin, std::size_t end, const SplatStyle& style,
                         const SplatView& view, SplatImage& image);

}  // namespace hotspot::viewer
