#pragma once
// Internal geometry helpers of the evaluation engine (not a public API):
//
// AreaMask: an exact, fast "is this point covered by this area?" for one polygon
// set, answering as boost::geometry::covered_by does. An n x n grid over the area's
// bounding box marks each cell as outside, inside or boundary (an edge passes within
// a rounding margin of the closed cell); inside/outside cells are classified by an
// even-odd scan through their centres. A point in a boundary cell is decided by the
// edges of its row band (a ray to the right, counting crossings), and a point within
// the rounding margin of an edge by covered_by itself. Most queries cost one array
// lookup, the rest a handful of edges. Requires a valid polygon set (what
// build_areas() and Boost's overlay produce); tests compare it with covered_by.
//
// Circle: a target or buffer ring that is a circle (inner radius 0) or an annulus
// around a point, as the evaluation builds them for point sites. circle_overlap():
// the exact area shared by two such true circles/annuli (lens areas combined by
// inclusion-exclusion); the 72-gons actually used differ from true circles by less
// than 0.2% of their area. overlap_area(): boost::geometry::intersection.

#include <cstdint>
#include <vector>

#include "core/geo/geometry.hpp"

namespace hotspot::core::detail {

class AreaMask {
 public:
  AreaMask() = default;
  // `geometry` must outlive the mask. Cost: O(edges + n^2).
  explicit AreaMask(const MultiPolygon& geometry, int n = 64);
  // boost::geometry::covered_by(Point(x, y), geometry).
  [[nodiscard]] bool covers(double x, double y) const;

 private:
  struct Edge {
    double ax, ay, bx, by;
  };
  [[nodiscard]] bool covers_slow(double x, double y, int row) const;

  const MultiPolygon* m_geometry = nullptr;
  double m_x0 = 0, m_y0 = 0, m_x1 = -1, m_y1 = -1;  // bbox (inverted when empty)
  double m_inv_w = 0, m_inv_h = 0, m_eps = 0;
  int m_n = 0;
  std::vector<uint8_t> m_cells;        // 0 outside, 1 inside, 2 boundary
  std::vector<uint32_t> m_band_start;  // per row band, into m_band_edges (+1)
  std::vector<Edge> m_band_edges;
};

struct Circle {
  double x = 0, y = 0;
  double inner = 0, outer = 0;  // radii; inner 0 for a disc
};
double circle_overlap(const Circle& a, const Circle& b);

double overlap_area(const MultiPolygon& a, const MultiPolygon& b);

}  // namespace hotspot::core::detail
