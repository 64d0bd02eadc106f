#include "viewer/app/camera.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>

#include "core/base/assert.hpp"

namespace hotspot::viewer {

void Camera::set_viewport(int width, int height) {
  width_px = std::max(1, width);
  height_px = std::max(1, height);
}

core::Box Camera::visible_box() const {
  const double hw = width_px * 0.5 * m_per_px, hh = height_px * 0.5 * m_per_px;
  return core::Box(core::Point(centre_x_m - hw, centre_y_m - hh),
                   core::Point(centre_x_m + hw, centre_y_m + hh));
}

void Camera::zoom_at(ScreenPoint anchor, double factor) {
  HOTSPOT_ASSERT(factor > 0);
  const WorldPoint before = to_world(anchor);
  m_per_px = std::clamp(m_per_px / factor, kMinMetresPerPixel, kMaxMetresPerPixel);
  const WorldPoint after = to_world(anchor);
  centre_x_m += before.x_m - after.x_m;
  centre_y_m += before.y_m - after.y_m;
}

void Camera::pan_px(double dx, double dy) {
  centre_x_m -= dx * m_per_px;
  centre_y_m += dy * m_per_px;
}

void Camera::fit(const core::Box& box, double margin_px) {
  const double x0 = box.min_corner().x(), y0 = box.min_corner().y();
  const double x1 = box.max_corner().x(), y1 = box.max_corner().y();
  if (!(x1 >= x0 && y1 >= y0) || !std::isfinite(x0) || !std::isfinite(x1)) return;
  centre_x_m = (x0 + x1) * 0.5;
  centre_y_m = (y0 + y1) * 0.5;
  const double usable_w = std::max(1.0, width_px - 2 * margin_px);
  const double usable_h = std::max(1.0, height_px - 2 * margin_px);
  double mpp = std::max((x1 - x0) / usable_w, (y1 - y0) / usable_h);
  if (mpp <= 0) mpp = 1.0;
  m_per_px = std::clamp(mpp, kMinMetresPerPixel, kMaxMetresPerPixel);
}

void Camera::fit_beside_legend(const core::Box& box, double margin_px, double legend_w_px, double legend_h_px) {
  fit(box, margin_px);
  const double x0 = box.min_corner().x(), y0 = box.min_corner().y();
  const double x1 = box.max_corner().x(), y1 = box.max_corner().y();
  if (!(x1 >= x0 && y1 >= y0) || !std::isfinite(x0) || !std::isfinite(x1) || legend_w_px <= 0 || legend_h_px <= 0) return;
  const double full = m_per_px;
  auto mpp_for = [&](double w, double h) {
    if (w < 1 || h < 1) return std::numeric_limits<double>::infinity();
    return std::max((x1 - x0) / w, (y1 - y0) / h);
  };
  // Beside: the data right of the legend column; above: the data over the legend band.
  const double beside = mpp_for(width_px - 2 * margin_px - legend_w_px, height_px - 2 * margin_px);
  const double above = mpp_for(width_px - 2 * margin_px, height_px - 2 * margin_px - legend_h_px);
  const double best = std::min(beside, above);
  if (!(best > 0) || best > full * 1.5) return;  // the legend would cost too much of the map
  m_per_px = std::clamp(best, kMinMetresPerPixel, kMaxMetresPerPixel);
  if (beside <= above)
    centre_x_m = (x0 + x1) * 0.5 - legend_w_px * 0.5 * m_per_px;
  else
    centre_y_m = (y0 + y1) * 0.5 - legend_h_px * 0.5 * m_per_px;
}

Camera interpolate(const Camera& from, const Camera& to, double t) {
  t = std::clamp(t, 0.0, 1.0);
  // Smoothstep: eases in and out.
  const double s = t * t * (3 - 2 * t);
  Camera c = to;
  c.m_per_px = from.m_per_px * std::pow(to.m_per_px / from.m_per_px, s);
  c.centre_x_m = from.centre_x_m + (to.centre_x_m - from.centre_x_m) * s;
  c.centre_y_m = from.centre_y_m + (to.centre_y_m - from.centre_y_m) * s;
  return c;
}

ScaleBar nice_scale_bar(double m_per_px, double max_px) {
  HOTSPOT_ASSERT(m_per_px > 0 && max_px > 0);
  const double max_m = m_per_px * max_px;
  const double p = std::pow(10.0, std::floor(std::log10(max_m)));
  double length = p;
  for (const double k : {5.0, 2.0, 1.0})
    if (k * p <= max_m) {
      length = k * p;
      break;
    }
  return {length, length / m_per_px, format_distance(length)};
}

std::string format_distance(double metres) {
  char buf[32];
  if (metres < 1000) {
    std::snprintf(buf, sizeof buf, "%.0f m", metres);
  } else if (metres < 10000 && std::fmod(metres, 1000.0) != 0.0) {
    std::snprintf(buf, sizeof buf, "%.1f km", metres / 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f km", metres / 1000);
  }
  return buf;
}

}  // namespace hotspot::viewer
