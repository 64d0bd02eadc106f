#pragma once
// Camera: the map view's transform between British National Grid (EPSG:27700,
// metres) and screen pixels, plus the map furniture that depends only on it
// (scale bar). Pure math: no ImGui, no GL; unit-tested in tests/viewer/camera_test.cpp.
//
// Screen convention: pixels, origin at the TOP-LEFT of the map viewport, y down.
// World convention: easting x to the right, northing y up (north is always up:
// BNG grid north; the north arrow says "grid north").
//
//   Camera cam;
//   cam.set_viewport(900, 950);
//   cam.fit(layer_bounds, 24);                     // whole layer, 24 px margin
//   cam.zoom_at({450, 475}, 2.0);                  // 2x closer, cursor point fixed
//   ScreenPoint p = cam.to_screen(451000, 358000);
//   WorldPoint w = cam.to_world(p);
//   ScaleBar bar = nice_scale_bar(cam.m_per_px, 140);   // "1 km", 118 px
//
// Invariants: m_per_px in [kMinMetresPerPixel, kMaxMetresPerPixel]; viewport >= 1x1.

#include <string>

#include "core/geo/geometry.hpp"

namespace hotspot::viewer {

struct ScreenPoint {
  double x = 0, y = 0;  // pixels from the viewport's top-left corner
};
struct WorldPoint {
  double x_m = 0, y_m = 0;  // EPSG:27700
};

class Camera {
 public:
  static constexpr double kMinMetresPerPixel = 0.02;   // ~ a house fills the screen
  static constexpr double kMaxMetresPerPixel = 5000.0;  // ~ Great Britain in 250 px

  double centre_x_m = 450000;  // the world point at the viewport centre
  double centre_y_m = 357000;
  double m_per_px = 20;        // metres per screen pixel (the zoom)
  int width_px = 1;
  int height_px = 1;

  void set_viewport(int width, int height);
  [[nodiscard]] ScreenPoint to_screen(double x_m, double y_m) const {
    return {(x_m - centre_x_m) / m_per_px + width_px * 0.5,
            height_px * 0.5 - (y_m - centre_y_m) / m_per_px};
  }
  [[nodiscard]] WorldPoint to_world(ScreenPoint p) const {
    return {centre_x_m + (p.x - width_px * 0.5) * m_per_px,
            centre_y_m - (p.y - height_px * 0.5) * m_per_px};
  }
  // The world rectangle the viewport shows.
  [[nodiscard]] core::Box visible_box() const;

  // Zooms by `factor` (> 1 closer) keeping the world point under `anchor` fixed.
  // Clamped to the zoom limits. Requires: factor > 0.
  void zoom_at(ScreenPoint anchor, double factor);
  // Moves the map with the cursor: dragging by (dx, dy) pixels moves the content by
  // as much (the centre moves the opposite way).
  void pan_px(double dx, double dy);
  // Shows `box` whole, centred, with `margin_px` free on every side. An empty or
  // inverted box leaves the camera unchanged; a point-sized box zooms to 1 m/px.
  void fit(const core::Box& box, double margin_px);
  // As fit(), keeping a legend of `legend_w_px` x `legend_h_px` in the bottom-left
  // corner clear of the data: the box is fitted beside the legend (a column on the
  // left) or above it (a band at the bottom), whichever shows it larger. When both
  // would shrink the map by more than a third, the legend is allowed to overlap.
  void fit_beside_legend(const core::Box& box, double margin_px, double legend_w_px, double legend_h_px);

  friend bool operator==(const Camera&, const Camera&) = default;
};

// Camera interpolation for "fly to": at t = 0 `from`, at t = 1 `to`; the zoom is
// interpolated geometrically (constant speed in zoom levels), the centre linearly in
// screen space of the coarser end, so the flight neither lurches nor overshoots.
Camera interpolate(const Camera& from, const Camera& to, double t);

// A scale bar of a "nice" length (1, 2 or 5 times a power of ten metres) no longer
// than max_px on screen.
struct ScaleBar {
  double length_m = 0;
  double length_px = 0;
  std::string label;  // "500 m", "2 km"
};
// Requires: m_per_px > 0, max_px > 0.
ScaleBar nice_scale_bar(double m_per_px, double max_px);

// "350 m", "1.2 km", "15 km": a distance for labels (metres below 1 km).
std::string format_distance(double metres);

}  // namespace hotspot::viewer
