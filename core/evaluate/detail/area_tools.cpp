#include "core/evaluate/detail/area_tools.hpp"

// Boost.Geometry's overlay code trips GCC 12's -Wmaybe-uninitialized (false positives
// inside the headers, at -O3); silence it for them only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/algorithms/intersection.hpp>
#include <boost/geometry/algorithms/is_empty.hpp>
#pragma GCC diagnostic pop

#include <algorithm>
#include <cmath>
#include <numbers>

namespace bg = boost::geometry;

namespace hotspot::core::detail {

namespace {

template <typename Fn>
void for_each_ring(const MultiPolygon& mp, Fn&& fn) {
  for (const Polygon& poly : mp) {
    fn(poly.outer());
    for (const Ring& hole : poly.inners()) fn(hole);
  }
}

}  // namespace

AreaMask::AreaMask(const MultiPolygon& geometry, int n) : m_geometry(&geometry), m_n(n) {
  if (bg::is_empty(geometry)) return;
  const Box box = bg::return_envelope<Box>(geometry);
  m_x0 = box.min_corner().x();
  m_y0 = box.min_corner().y();
  m_x1 = box.max_corner().x();
  m_y1 = box.max_corner().y();
  const double w = (m_x1 - m_x0) / n, h = (m_y1 - m_y0) / n;
  m_inv_w = w > 0 ? 1.0 / w : 0.0;
  m_inv_h = h > 0 ? 1.0 / h : 0.0;
  const auto nn = static_cast<std::size_t>(n);
  m_cells.assign(nn * nn, 0);
  // Rounding margin: far above the error of the crossing arithmetic, far below a metre.
  const double scale = std::max({1.0, std::fabs(m_x0), std::fabs(m_y0), std::fabs(m_x1), std::fabs(m_y1)});
  m_eps = 1e-9 * scale;
  auto col = [&](double x) { return std::clamp(static_cast<int>(std::floor((x - m_x0) * m_inv_w)), 0, n - 1); };
  auto row = [&](double y) { return std::clamp(static_cast<int>(std::floor((y - m_y0) * m_inv_h)), 0, n - 1); };
  // Boundary cells: every cell an edge's (padded) bounding box touches; row bands:
  // the edges whose padded y-range meets each band.
  std::vector<std::vector<Edge>> bands(nn);
  for_each_ring(geometry, [&](const Ring& ring) {
    for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
      const Point& p = ring[k];
      const Point& q = ring[k + 1];
      const int c0 = col(std::min(p.x(), q.x()) - m_eps), c1 = col(std::max(p.x(), q.x()) + m_eps);
      const int r0 = row(std::min(p.y(), q.y()) - m_eps), r1 = row(std::max(p.y(), q.y()) + m_eps);
      for (int r = r0; r <= r1; ++r) {
        bands[static_cast<std::size_t>(r)].push_back({p.x(), p.y(), q.x(), q.y()});
        for (int c = c0; c <= c1; ++c) m_cells[static_cast<std::size_t>(r) * nn + static_cast<std::size_t>(c)] = 2;
      }
    }
  });
  m_band_start.assign(nn + 1, 0);
  for (std::size_t r = 0; r < nn; ++r) {
    m_band_start[r + 1] = m_band_start[r] + static_cast<uint32_t>(bands[r].size());
    m_band_edges.insert(m_band_edges.end(), bands[r].begin(), bands[r].end());
  }
  // Other cells: even-odd parity of the horizontal line through their centres.
  std::vector<double> crossings;
  for (int r = 0; r < n; ++r) {
    const double y = m_y0 + (r + 0.5) * h;
    crossings.clear();
    for_each_ring(geometry, [&](const Ring& ring) {
      for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
        const Point& p = ring[k];
        const Point& q = ring[k + 1];
        if ((p.y() > y) != (q.y() > y)) crossings.push_back(p.x() + (y - p.y()) * (q.x() - p.x()) / (q.y() - p.y()));
      }
    });
    std::sort(crossings.begin(), crossings.end());
    for (int c = 0; c < n; ++c) {
      uint8_t& cell = m_cells[static_cast<std::size_t>(r) * nn + static_cast<std::size_t>(c)];
      if (cell == 2) continue;
      const double x = m_x0 + (c + 0.5) * w;
      const auto left = std::lower_bound(crossings.begin(), crossings.end(), x) - crossings.begin();
      cell = (left % 2 == 1) ? 1 : 0;
    }
  }
}

bool AreaMask::covers(double x, double y) const {
  if (!(x >= m_x0 && x <= m_x1 && y >= m_y0 && y <= m_y1)) return false;
  if (m_inv_w == 0 || m_inv_h == 0) return bg::covered_by(Point(x, y), *m_geometry);
  const int c = std::min(m_n - 1, static_cast<int>((x - m_x0) * m_inv_w));
  const int r = std::min(m_n - 1, static_cast<int>((y - m_y0) * m_inv_h));
  const uint8_t v = m_cells[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_n) + static_cast<std::size_t>(c)];
  if (v == 2) return covers_slow(x, y, r);
  return v == 1;
}

// A ray from (x, y) to the right, crossing the edges of the row band (half-open rule);
// a point within the rounding margin of an edge goes to covered_by.
bool AreaMask::covers_slow(double x, double y, int row) const {
  bool inside = false;
  for (uint32_t k = m_band_start[static_cast<std::size_t>(row)]; k < m_band_start[static_cast<std::size_t>(row) + 1]; ++k) {
    const Edge& e = m_band_edges[k];
    const double dx = e.bx - e.ax, dy = e.by - e.ay;
    const double len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? ((x - e.ax) * dx + (y - e.ay) * dy) / len2 : 0.0;
    const double tc = std::clamp(t, 0.0, 1.0);
    const double px = e.ax + tc * dx - x, py = e.ay + tc * dy - y;
    if (px * px + py * py <= m_eps * m_eps * 16) return bg::covered_by(Point(x, y), *m_geometry);
    if ((e.ay > y) != (e.by > y)) {
      const double xc = e.ax + (y - e.ay) * dx / dy;
      if (xc > x) inside = !inside;
    }
  }
  return inside;
}

namespace {

// Area of the intersection of two discs of radius r1, r2 whose centres are d apart.
double lens(double r1, double r2, double d) {
  if (r1 <= 0 || r2 <= 0) return 0.0;
  if (d >= r1 + r2) return 0.0;
  const double small = std::min(r1, r2);
  if (d <= std::fabs(r1 - r2)) return std::numbers::pi * small * small;
  const double a1 = std::acos(std::clamp((d * d + r1 * r1 - r2 * r2) / (2 * d * r1), -1.0, 1.0));
  const double a2 = std::acos(std::clamp((d * d + r2 * r2 - r1 * r1) / (2 * d * r2), -1.0, 1.0));
  const double k = (-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2);
  return r1 * r1 * a1 + r2 * r2 * a2 - 0.5 * std::sqrt(std::max(0.0, k));
}

}  // namespace

double circle_overlap(const Circle& a, const Circle& b) {
  const double d = std::hypot(a.x - b.x, a.y - b.y);
  return std::max(0.0, lens(a.outer, b.outer, d) - lens(a.inner, b.outer, d) - lens(a.outer, b.inner, d) +
                           lens(a.inner, b.inner, d));
}

double overlap_area(const MultiPolygon& a, const MultiPolygon& b) {
  MultiPolygon out;
  bg::intersection(a, b, out);
  return bg::area(out);
}

}  // namespace hotspot::core::detail
