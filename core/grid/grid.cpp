#include "core/grid/grid.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <boost/geometry/algorithms/disjoint.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/algorithms/expand.hpp>

#include "core/spatial/area_set.hpp"

// [SECTION] Lattice geometry (square and pointy-top hexagons)
// [SECTION] Building grids
// [SECTION] Boundary edges and area fractions
// [SECTION] Queries

namespace hotspot::core {

const char* describe(GridError e) {
  switch (e) {
    case GridError::bad_cell_size: return "the cell size must be a positive number of metres";
    case GridError::empty_extent: return "the extent is empty (no boundary geometry or no points)";
    case GridError::too_many_cells: return "the grid would have more than 2^28 cells: use a larger cell size";
  }
  return "unknown grid error";
}

namespace {

constexpr double kSqrt3 = 1.7320508075688772;

int64_t floor_to_i64(double v) { return static_cast<int64_t>(std::floor(v)); }

// Convex polygon (the cell) against a segment: separating axis test on the cell's
// edge normals and the segment's normal. Touching counts as meeting.
bool segment_meets_convex(const std::array<Point, 6>& poly, int n, double ax, double ay, double bx,
                          double by) {
  auto separated = [&](double nx, double ny) {
    double pmin = std::numeric_limits<double>::max(), pmax = -pmin;
    for (int k = 0; k < n; ++k) {
      const double p = nx * poly[static_cast<std::size_t>(k)].x() + ny * poly[static_cast<std::size_t>(k)].y();
      pmin = std::min(pmin, p);
      pmax = std::max(pmax, p);
    }
    const double s1 = nx * ax + ny * ay, s2 = nx * bx + ny * by;
    return std::max(s1, s2) < pmin || std::min(s1, s2) > pmax;
  };
  for (int k = 0; k < n; ++k) {
    const Point& p = poly[static_cast<std::size_t>(k)];
    const Point& q = poly[static_cast<std::size_t>((k + 1) % n)];
    if (separated(-(q.y() - p.y()), q.x() - p.x())) return false;
  }
  if (ax != bx || ay != by)
    if (separated(-(by - ay), bx - ax)) return false;
  return true;
}

// Signed area (counter-clockwise positive) of `ring` clipped to the convex,
// counter-clockwise polygon `clip` (Sutherland-Hodgman). The clipped outline may
// contain degenerate edges along the clip boundary; its signed area is still exact.
double clipped_signed_area(const Ring& ring, const std::array<Point, 6>& clip, int n,
                           std::vector<Point>& a, std::vector<Point>& b) {
  a.assign(ring.begin(), ring.end());
  if (a.size() > 1 && a.front().x() == a.back().x() && a.front().y() == a.back().y()) a.pop_back();
  for (int k = 0; k < n && !a.empty(); ++k) {
    const Point& p = clip[static_cast<std::size_t>(k)];
    const Point& q = clip[static_cast<std::size_t>((k + 1) % n)];
    const double ex = q.x() - p.x(), ey = q.y() - p.y();
    auto side = [&](const Point& v) { return ex * (v.y() - p.y()) - ey * (v.x() - p.x()); };  // >= 0 inside
    b.clear();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const Point& cur = a[i];
      const Point& prev = a[(i + a.size() - 1) % a.size()];
      const double sc = side(cur), sp = side(prev);
      if (sc >= 0) {
        if (sp < 0) {
          const double t = sp / (sp - sc);
          b.emplace_back(prev.x() + t * (cur.x() - prev.x()), prev.y() + t * (cur.y() - prev.y()));
        }
        b.push_back(cur);
      } else if (sp >= 0) {
        const double t = sp / (sp - sc);
        b.emplace_back(prev.x() + t * (cur.x() - prev.x()), prev.y() + t * (cur.y() - prev.y()));
      }
    }
    a.swap(b);
  }
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Point& p = a[i];
    const Point& q = a[(i + 1) % a.size()];
    s += p.x() * q.y() - q.x() * p.y();
  }
  return 0.5 * s;
}

}  // namespace

// [SECTION] Lattice geometry (square and pointy-top hexagons) ---------------------

struct Grid::Lattice {
  int64_t col0 = 0, row0 = 0, col1 = 0, row1 = 0;  // absolute offset range, inclusive
};

double Grid::cell_area_m2() const {
  const double s = m_spec.cell_m;
  return m_spec.shape == CellShape::square ? s * s : 0.5 * kSqrt3 * s * s;
}

void Grid::centre_of(int32_t c, int32_t r, double& x, double& y) const {
  const double s = m_spec.cell_m;
  if (m_spec.shape == CellShape::square) {
    x = m_spec.origin_x_m + s * (static_cast<double>(c) + 0.5);
    y = m_spec.origin_y_m + s * (static_cast<double>(r) + 0.5);
  } else {
    x = m_spec.origin_x_m + s * (static_cast<double>(c) + ((r & 1) != 0 ? 0.5 : 0.0));
    y = m_spec.origin_y_m + s * 0.5 * kSqrt3 * static_cast<double>(r);
  }
}

void Grid::cell_of(double x, double y, int64_t& c, int64_t& r) const {
  const double s = m_spec.cell_m;
  if (m_spec.shape == CellShape::square) {
    c = floor_to_i64((x - m_spec.origin_x_m) / s);
    r = floor_to_i64((y - m_spec.origin_y_m) / s);
    return;
  }
  // Axial fractional coordinates, then cube rounding.
  const double rf = (y - m_spec.origin_y_m) / (s * 0.5 * kSqrt3);
  const double qf = (x - m_spec.origin_x_m) / s - 0.5 * rf;
  const double sf = -qf - rf;
  double rq = std::round(qf), rr = std::round(rf), rs = std::round(sf);
  const double dq = std::fabs(rq - qf), dr = std::fabs(rr - rf), ds = std::fabs(rs - sf);
  if (dq > dr && dq > ds) rq = -rr - rs;
  else if (dr > ds) rr = -rq - rs;
  const auto q = static_cast<int64_t>(rq);
  r = static_cast<int64_t>(rr);
  c = q + (r >> 1);
}

Polygon Grid::polygon(uint32_t i) const {
  HOTSPOT_ASSERT(i < size());
  const double x = m_cx[i], y = m_cy[i], s = m_spec.cell_m;
  Polygon p;
  auto& o = p.outer();
  if (m_spec.shape == CellShape::square) {
    const double h = 0.5 * s;
    o = {Point(x - h, y - h), Point(x - h, y + h), Point(x + h, y + h), Point(x + h, y - h), Point(x - h, y - h)};
  } else {
    const double R = s / kSqrt3, hw = 0.5 * s;
    o = {Point(x, y + R),        Point(x + hw, y + 0.5 * R), Point(x + hw, y - 0.5 * R), Point(x, y - R),
         Point(x - hw, y - 0.5 * R), Point(x - hw, y + 0.5 * R), Point(x, y + R)};
  }
  return p;
}

// [SECTION] Building grids ---------------------------------------------------------

Result<Grid, GridError> Grid::make(const GridSpec& spec, const Box& box, Lattice& lat) {
  if (!(spec.cell_m > 0) || !std::isfinite(spec.cell_m) || !std::isfinite(spec.origin_x_m) ||
      !std::isfinite(spec.origin_y_m))
    return Result<Grid, GridError>::failure(GridError::bad_cell_size, describe(GridError::bad_cell_size));
  const double xmin = box.min_corner().x(), ymin = box.min_corner().y();
  const double xmax = box.max_corner().x(), ymax = box.max_corner().y();
  if (!(xmin <= xmax && ymin <= ymax) || !std::isfinite(xmin) || !std::isfinite(xmax) || !std::isfinite(ymin) ||
      !std::isfinite(ymax))
    return Result<Grid, GridError>::failure(GridError::empty_extent, describe(GridError::empty_extent));
  Grid g;
  g.m_spec = spec;
  const double s = spec.cell_m;
  const double fx0 = (xmin - spec.origin_x_m) / s, fx1 = (xmax - spec.origin_x_m) / s;
  if (spec.shape == CellShape::square) {
    const double fy0 = (ymin - spec.origin_y_m) / s, fy1 = (ymax - spec.origin_y_m) / s;
    if (fx1 - fx0 > 1e9 || fy1 - fy0 > 1e9)
      return Result<Grid, GridError>::failure(GridError::too_many_cells, describe(GridError::too_many_cells));
    lat = {floor_to_i64(fx0), floor_to_i64(fy0), floor_to_i64(fx1), floor_to_i64(fy1)};
  } else {
    const double h = 0.5 * kSqrt3 * s, R = s / kSqrt3;
    const double fy0 = (ymin - R - spec.origin_y_m) / h, fy1 = (ymax + R - spec.origin_y_m) / h;
    if (fx1 - fx0 > 1e9 || fy1 - fy0 > 1e9)
      return Result<Grid, GridError>::failure(GridError::too_many_cells, describe(GridError::too_many_cells));
    lat = {floor_to_i64(fx0) - 1, static_cast<int64_t>(std::ceil(fy0)), static_cast<int64_t>(std::ceil(fx1)),
           floor_to_i64(fy1)};
  }
  const int64_t cols = lat.col1 - lat.col0 + 1, rows = lat.row1 - lat.row0 + 1;
  if (cols <= 0 || rows <= 0)
    return Result<Grid, GridError>::failure(GridError::empty_extent, describe(GridError::empty_extent));
  if (static_cast<double>(cols) * static_cast<double>(rows) > static_cast<double>(kMaxLatticeCells) ||
      lat.col0 < CellId::kMinIndex || lat.col1 > CellId::kMaxIndex || lat.row0 < CellId::kMinIndex ||
      lat.row1 > CellId::kMaxIndex)
    return Result<Grid, GridError>::failure(GridError::too_many_cells, describe(GridError::too_many_cells));
  g.m_col0 = static_cast<int32_t>(lat.col0);
  g.m_row0 = static_cast<int32_t>(lat.row0);
  g.m_cols = static_cast<int32_t>(cols);
  g.m_rows = static_cast<int32_t>(rows);
  g.m_lattice.assign(static_cast<std::size_t>(cols * rows), kNone);
  return g;
}

void Grid::add_cell(int32_t c, int32_t r, bool in, double fraction) {
  const int32_t ac = m_col0 + c, ar = m_row0 + r;
  double x = 0, y = 0;
  centre_of(ac, ar, x, y);
  const auto i = static_cast<uint32_t>(m_ids.size());
  m_lattice[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_cols) + static_cast<std::size_t>(c)] = i;
  const int32_t id_col = m_spec.shape == CellShape::square ? ac : ac - (ar >> 1);  // hex: axial q
  m_ids.push_back(CellId::make(m_spec.shape, id_col, ar));
  m_cx.push_back(x);
  m_cy.push_back(y);
  m_lc.push_back(c);
  m_lr.push_back(r);
  m_inside.push_back(in ? 1 : 0);
  m_fraction.push_back(fraction);
  if (in) ++m_inside_count;
}

Result<Grid, GridError> Grid::over_box(const GridSpec& spec, const Box& box) {
  Lattice lat;
  auto made = make(spec, box, lat);
  if (!made) return made;
  Grid g = std::move(made).value();
  const double s = spec.cell_m, R = s / kSqrt3;
  for (int32_t r = 0; r < g.m_rows; ++r)
    for (int32_t c = 0; c < g.m_cols; ++c) {
      if (spec.shape == CellShape::hex) {
        double x = 0, y = 0;
        g.centre_of(g.m_col0 + c, g.m_row0 + r, x, y);
        if (x + 0.5 * s < box.min_corner().x() || x - 0.5 * s > box.max_corner().x() ||
            y + R < box.min_corner().y() || y - R > box.max_corner().y())
          continue;
      }
      g.add_cell(c, r, true, 1.0);
    }
  return g;
}

Result<Grid, GridError> Grid::over_points(const GridSpec& spec, std::span<const double> x,
                                          std::span<const double> y) {
  HOTSPOT_ASSERT(x.size() == y.size());
  double xmin = std::numeric_limits<double>::max(), ymin = xmin, xmax = -xmin, ymax = -xmin;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    xmin = std::min(xmin, x[k]);
    xmax = std::max(xmax, x[k]);
    ymin = std::min(ymin, y[k]);
    ymax = std::max(ymax, y[k]);
  }
  Lattice lat;
  auto made = make(spec, Box(Point(xmin, ymin), Point(xmax, ymax)), lat);
  if (!made) return made;
  Grid g = std::move(made).value();
  std::vector<uint8_t> hit(g.m_lattice.size(), 0);
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    int64_t c = 0, r = 0;
    g.cell_of(x[k], y[k], c, r);
    c -= g.m_col0;
    r -= g.m_row0;
    if (c >= 0 && r >= 0 && c < g.m_cols && r < g.m_rows)
      hit[static_cast<std::size_t>(r * g.m_cols + c)] = 1;
  }
  for (int32_t r = 0; r < g.m_rows; ++r)
    for (int32_t c = 0; c < g.m_cols; ++c)
      if (hit[static_cast<std::size_t>(r) * static_cast<std::size_t>(g.m_cols) + static_cast<std::size_t>(c)])
        g.add_cell(c, r, true, 1.0);
  return g;
}

// [SECTION] Boundary edges and area fractions --------------------------------------

Result<Grid, GridError> Grid::over_boundary(const GridSpec& spec, const AreaSet& boundary,
                                            const GridOptions& options) {
  HOTSPOT_ASSERT(boundary.built());
  Lattice lat;
  auto made = make(spec, boundary.bounds(), lat);
  if (!made) return made;
  Grid g = std::move(made).value();
  const std::size_t cols = static_cast<std::size_t>(g.m_cols);
  const double s = spec.cell_m;
  const int nv = spec.shape == CellShape::square ? 4 : 6;

  // Counter-clockwise outline of the cell at lattice (c, r).
  auto outline = [&](int32_t c, int32_t r, std::array<Point, 6>& poly) {
    double x = 0, y = 0;
    g.centre_of(g.m_col0 + c, g.m_row0 + r, x, y);
    if (spec.shape == CellShape::square) {
      const double h = 0.5 * s;
      poly[0] = Point(x - h, y - h);
      poly[1] = Point(x + h, y - h);
      poly[2] = Point(x + h, y + h);
      poly[3] = Point(x - h, y + h);
    } else {
      const double R = s / kSqrt3, hw = 0.5 * s;
      poly[0] = Point(x, y - R);
      poly[1] = Point(x + hw, y - 0.5 * R);
      poly[2] = Point(x + hw, y + 0.5 * R);
      poly[3] = Point(x, y + R);
      poly[4] = Point(x - hw, y + 0.5 * R);
      poly[5] = Point(x - hw, y - 0.5 * R);
    }
  };

  // 1. Cells the boundary's edges pass through.
  std::vector<uint8_t> edge(g.m_lattice.size(), 0);
  std::array<Point, 6> poly{};
  struct RingRef {
    const Ring* ring;
    Box box;
  };
  std::vector<RingRef> rings;
  for (const Area& area : boundary.areas())
    for (const Polygon& p : area.geometry) {
      auto add_ring = [&](const Ring& ring) {
        if (ring.size() < 2) return;
        Box b;
        boost::geometry::envelope(ring, b);
        rings.push_back({&ring, b});
        for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
          const double ax = ring[k].x(), ay = ring[k].y(), bx = ring[k + 1].x(), by = ring[k + 1].y();
          int64_t c0 = 0, r0 = 0, c1 = 0, r1 = 0;
          g.cell_of(std::min(ax, bx), std::min(ay, by), c0, r0);
          g.cell_of(std::max(ax, bx), std::max(ay, by), c1, r1);
          const int64_t pad = spec.shape == CellShape::square ? 0 : 1;
          for (int64_t r = std::max<int64_t>(r0 - pad - g.m_row0, 0);
               r <= std::min<int64_t>(r1 + pad - g.m_row0, g.m_rows - 1); ++r)
            for (int64_t c = std::max<int64_t>(c0 - pad - g.m_col0, 0);
                 c <= std::min<int64_t>(c1 + pad - g.m_col0, g.m_cols - 1); ++c) {
              const std::size_t at = static_cast<std::size_t>(r) * cols + static_cast<std::size_t>(c);
              if (edge[at]) continue;
              outline(static_cast<int32_t>(c), static_cast<int32_t>(r), poly);
              if (segment_meets_convex(poly, nv, ax, ay, bx, by)) edge[at] = 1;
            }
        }
      };
      add_ring(p.outer());
      for (const Ring& hole : p.inners()) add_ring(hole);
    }

  // 2. Centres, fractions, and the cells kept.
  std::vector<Point> wa, wb;
  const double cell_area = g.cell_area_m2();
  for (int32_t r = 0; r < g.m_rows; ++r)
    for (int32_t c = 0; c < g.m_cols; ++c) {
      const std::size_t at = static_cast<std::size_t>(r) * cols + static_cast<std::size_t>(c);
      double x = 0, y = 0;
      g.centre_of(g.m_col0 + c, g.m_row0 + r, x, y);
      const bool centre_in = boundary.locate(x, y) != AreaSet::kNone;
      double fraction = centre_in ? 1.0 : 0.0;
      bool keep = options.keep == CellKeep::intersecting ? (centre_in || edge[at]) : centre_in;
      if (edge[at]) {
        if (options.area_fraction) {
          outline(c, r, poly);
          Box cb(poly[0], poly[0]);
          for (int k = 1; k < nv; ++k) boost::geometry::expand(cb, poly[static_cast<std::size_t>(k)]);
          double inside_area = 0;
          for (const RingRef& ref : rings) {
            if (boost::geometry::disjoint(ref.box, cb)) continue;
            inside_area -= clipped_signed_area(*ref.ring, poly, nv, wa, wb);  // outer rings are clockwise
          }
          fraction = std::clamp(inside_area / cell_area, 0.0, 1.0);
          // A cell that only touches the boundary (a shared edge or corner) is not in it.
          if (options.keep == CellKeep::intersecting && !centre_in && fraction <= 1e-12) keep = false;
        } else {
          fraction = std::numeric_limits<double>::quiet_NaN();
        }
      }
      if (keep) g.add_cell(c, r, true, fraction);
      else if (options.flag_outside) g.add_cell(c, r, false, fraction);
    }
  return g;
}

// [SECTION] Queries ------------------------------------------------------------------

uint32_t Grid::locate(double x, double y) const {
  if (!std::isfinite(x) || !std::isfinite(y) || m_ids.empty()) return kNone;
  int64_t c = 0, r = 0;
  cell_of(x, y, c, r);
  c -= m_col0;
  r -= m_row0;
  if (c < 0 || r < 0 || c >= m_cols || r >= m_rows) return kNone;
  return m_lattice[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_cols) + static_cast<std::size_t>(c)];
}

void Grid::locate_many(std::span<const double> x, std::span<const double> y, std::span<uint32_t> out) const {
  HOTSPOT_ASSERT(x.size() == y.size() && x.size() == out.size());
  for (std::size_t k = 0; k < x.size(); ++k) out[k] = locate(x[k], y[k]);
}

uint32_t Grid::find(CellId id) const {
  if (id.is_none() || !id.valid() || id.shape() != m_spec.shape) return kNone;
  const int32_t ar = id.row();
  const int32_t ac = m_spec.shape == CellShape::square ? id.column() : id.column() + (ar >> 1);
  const uint32_t i = at_lattice(ac - m_col0, ar - m_row0);
  return (i != kNone && m_ids[i] == id) ? i : kNone;
}

}  // namespace hotspot::core
