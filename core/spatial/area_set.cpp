#include "core/spatial/area_set.hpp"

// [SECTION] Tolerances (why the fast test agrees with covered_by)
// [SECTION] Adding areas
// [SECTION] Edge index (per-area slabs)
// [SECTION] Exact test
// [SECTION] Lookup grid
// [SECTION] Queries

#include <algorithm>
#include <array>
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/algorithms/expand.hpp>
#include <boost/geometry/algorithms/is_empty.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>
#include <boost/iterator/function_output_iterator.hpp>
#include <cmath>
#include <iterator>
#include <limits>
#include <thread>

#include "core/base/assert.hpp"

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace hotspot::core {

//-----------------------------------------------------------------------------
// [SECTION] Tolerances
//-----------------------------------------------------------------------------
// boost::geometry::covered_by (cartesian winding strategy) treats a point as on
// the boundary when a side determinant is within ~epsilon of zero or when its x/y
// equal a vertex's within epsilon * |coordinate| (about 3e-10 m at BNG
// magnitudes). Our own winding test therefore only answers when the point is
// clearly away from every edge: farther than kNearFactor * M (M = the largest
// |coordinate| involved; about 1e-6 m at BNG magnitudes, 4,500 times Boost's
// tolerance and far above the rounding error of the determinant). Closer points
// are handed to covered_by. The grid uses the same idea with a larger pad, so a
// cell is "inside" or "outside" only when every point in it is at least that far
// from every boundary.
namespace {

constexpr double kNearFactor = 1e-12;
// A cell is never smaller than this fraction of the coordinate magnitude, so
// that cell arithmetic stays far above rounding.
constexpr double kMinCellFactor = 1e-9;
// Fraction of a cell added around each edge when it is rasterised into the grid.
constexpr double kCellPadFraction = 1e-3;
// Edges per slab of the per-area edge index (on average).
constexpr uint32_t kEdgesPerSlab = 4;
constexpr uint32_t kMaxSlabs = 1u << 16;
// A mixed cell with more edges than this is split (up to kMaxDepth levels deep,
// into at most kMaxSplit x kMaxSplit sub-cells at a time).
constexpr std::size_t kLeafEdges = 8;
constexpr int kMaxDepth = 3;
constexpr std::size_t kMaxSplit = 8;
// Below this many points locate_many() does not start threads.
constexpr std::size_t kMinPointsPerThread = 16384;

double magnitude(const Box& b) {
  return std::max({1.0, std::fabs(b.min_corner().x()), std::fabs(b.min_corner().y()),
                   std::fabs(b.max_corner().x()), std::fabs(b.max_corner().y())});
}

bool box_is_empty(const Box& b) {
  return !(b.min_corner().x() <= b.max_corner().x() && b.min_corner().y() <= b.max_corner().y());
}

Box inverted_box() {
  Box b;
  bg::assign_inverse(b);
  return b;
}

// Boost's point-in-ring ignores rings with fewer than 4 points (closed), so do we.
constexpr std::size_t kMinRingPoints = 4;

template <typename Fn>
void for_each_ring(const MultiPolygon& mp, Fn&& fn) {
  for (const Polygon& poly : mp) {
    fn(poly.outer());
    for (const Ring& hole : poly.inners()) fn(hole);
  }
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Adding areas
//-----------------------------------------------------------------------------

uint32_t AreaSet::add(std::string code, std::string name, MultiPolygon geometry) {
  HOTSPOT_ASSERT_MSG(m_areas.size() < kMixedBit - 1, "AreaSet holds at most 2^31 - 1 areas");
  bg::correct(geometry);
  Area area;
  area.code = std::move(code);
  area.name = std::move(name);
  area.geometry = std::move(geometry);
  area.bbox =
      bg::is_empty(area.geometry) ? inverted_box() : bg::return_envelope<Box>(area.geometry);
  area.area_m2 = bg::area(area.geometry);
  const auto index = static_cast<uint32_t>(m_areas.size());
  m_by_code.try_emplace(area.code, index);  // first one wins
  m_areas.push_back(std::move(area));
  m_built = false;
  return index;
}

const Area& AreaSet::operator[](uint32_t i) const {
  HOTSPOT_ASSERT(i < m_areas.size());
  return m_areas[i];
}

std::optional<uint32_t> AreaSet::find_code(std::string_view code) const {
  const auto it = m_by_code.find(code);
  if (it == m_by_code.end()) return std::nullopt;
  return it->second;
}

void AreaSet::build(std::size_t grid_cells) {
  HOTSPOT_ASSERT(grid_cells <= kMaxGridCells);
  if (grid_cells == kAutoGridCells) {
    std::size_t vertices = 0;
    for (const Area& a : m_areas)
      for_each_ring(a.geometry, [&](const Ring& r) { vertices += r.size(); });
    grid_cells = std::clamp(vertices * kGridCellsPerVertex, kMinAutoGridCells, kDefaultGridCells);
  }
  m_bounds = inverted_box();
  std::vector<TreeValue> boxes;
  boxes.reserve(m_areas.size());
  for (uint32_t i = 0; i < m_areas.size(); ++i) {
    const Box& b = m_areas[i].bbox;
    if (box_is_empty(b)) continue;
    bg::expand(m_bounds, b);
    boxes.emplace_back(b, i);
  }
  m_tree = Tree(boxes.begin(), boxes.end());  // packing (STR) bulk load

  m_slabs.assign(m_areas.size(), SlabIndex{});
  m_edges.clear();
  m_slab_offsets.clear();
  m_slab_edges.clear();
  for (uint32_t i = 0; i < m_areas.size(); ++i) build_edge_index(i);

  build_grid(grid_cells);
  m_built = true;
}

//-----------------------------------------------------------------------------
// [SECTION] Edge index (per-area slabs)
//-----------------------------------------------------------------------------
// For a valid area, every edge of every ring (outer and holes, all polygons) goes
// into the horizontal slabs its padded y-range overlaps. The winding number of
// the point, summed over all rings, is -1 inside a valid multipolygon (outer rings
// clockwise, holes counter-clockwise, parts disjoint) and 0 outside. Invalid
// areas get no edges and are tested with covered_by.

void AreaSet::build_edge_index(uint32_t i) {
  const Area& area = m_areas[i];
  SlabIndex& s = m_slabs[i];
  s = SlabIndex{};
  s.edge_begin = s.edge_end = static_cast<uint32_t>(m_edges.size());
  if (box_is_empty(area.bbox) || !bg::is_valid(area.geometry)) return;

  for (const Polygon& poly : area.geometry) {
    if (poly.outer().size() < kMinRingPoints) continue;
    auto add_ring = [&](const Ring& ring) {
      if (ring.size() < kMinRingPoints) return;
      for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
        const Point& a = ring[k];
        const Point& b = ring[k + 1];
        if (a.x() == b.x() && a.y() == b.y()) continue;
        m_edges.push_back(Edge{a.x(), a.y(), b.x(), b.y()});
      }
    };
    add_ring(poly.outer());
    for (const Ring& hole : poly.inners()) add_ring(hole);
  }
  HOTSPOT_ASSERT_MSG(m_edges.size() < kMixedBit, "AreaSet edge index limited to 2^31 edges");
  s.edge_end = static_cast<uint32_t>(m_edges.size());
  const uint32_t edge_count = s.edge_end - s.edge_begin;

  s.fast = true;
  s.scale = magnitude(area.bbox);
  const double near = kNearFactor * s.scale;
  const double y0 = area.bbox.min_corner().y();
  const double height = area.bbox.max_corner().y() - y0;
  s.count = std::clamp<uint32_t>(edge_count / kEdgesPerSlab, 1, kMaxSlabs);
  if (!(height > 0.0)) s.count = 1;
  s.y0 = y0;
  s.inv_h = s.count > 1 ? static_cast<double>(s.count) / height : 0.0;
  s.first = static_cast<uint32_t>(m_slab_offsets.size());

  auto slab_of = [&s](double y) -> uint32_t {
    const double f = (y - s.y0) * s.inv_h;
    if (!(f > 0.0)) return 0;
    if (f >= static_cast<double>(s.count)) return s.count - 1;
    return static_cast<uint32_t>(f);
  };

  // Two passes: count the entries per slab, then fill (CSR layout).
  std::vector<uint32_t> counts(s.count + 1, 0);
  for (uint32_t e = s.edge_begin; e < s.edge_end; ++e) {
    const Edge& edge = m_edges[e];
    const uint32_t lo = slab_of(std::min(edge.ay, edge.by) - near);
    const uint32_t hi = slab_of(std::max(edge.ay, edge.by) + near);
    for (uint32_t k = lo; k <= hi; ++k) ++counts[k + 1];
  }
  const auto base = static_cast<uint32_t>(m_slab_edges.size());
  for (uint32_t k = 0; k < s.count; ++k) counts[k + 1] += counts[k];
  for (uint32_t k = 0; k <= s.count; ++k) m_slab_offsets.push_back(base + counts[k]);
  m_slab_edges.resize(base + counts[s.count]);
  for (uint32_t e = s.edge_begin; e < s.edge_end; ++e) {
    const Edge& edge = m_edges[e];
    const uint32_t lo = slab_of(std::min(edge.ay, edge.by) - near);
    const uint32_t hi = slab_of(std::max(edge.ay, edge.by) + near);
    for (uint32_t k = lo; k <= hi; ++k) m_slab_edges[base + counts[k]++] = e;
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Exact test
//-----------------------------------------------------------------------------
namespace {

// Orientation of p relative to a -> b (> 0: left), and whether its sign is
// beyond doubt: |det| above a bound on its rounding error that is also far above
// Boost's own "on the segment" tolerance (see [SECTION] Tolerances).
struct Side {
  double det;
  bool clear;
};
inline Side side(double ax, double ay, double bx, double by, double px, double py, double near) {
  const double dx = bx - ax, dy = by - ay, dpx = px - ax, dpy = py - ay;
  const double det = dx * dpy - dy * dpx;
  const double tol = near * (std::fabs(dx) + std::fabs(dy) + std::fabs(dpx) + std::fabs(dpy));
  return {det, std::fabs(det) > tol};
}

}  // namespace

// Slab test: the winding number over the edges in the point's slab (a horizontal
// ray to the right), Sunday's crossing rule.
bool AreaSet::covers(uint32_t i, double x, double y) const {
  const Area& area = m_areas[i];
  const SlabIndex& s = m_slabs[i];
  if (!s.fast) return bg::covered_by(Point(x, y), area.geometry);

  const double scale = std::max({s.scale, std::fabs(x), std::fabs(y)});
  const double near = kNearFactor * scale;
  if (x < area.bbox.min_corner().x() - near || x > area.bbox.max_corner().x() + near ||
      y < area.bbox.min_corner().y() - near || y > area.bbox.max_corner().y() + near)
    return false;

  uint32_t slab = 0;
  if (s.count > 1) {
    const double f = (y - s.y0) * s.inv_h;
    slab = !(f > 0.0)                          ? 0
           : f >= static_cast<double>(s.count) ? s.count - 1
                                               : static_cast<uint32_t>(f);
  }
  const uint32_t* it = m_slab_edges.data() + m_slab_offsets[s.first + slab];
  const uint32_t* end = m_slab_edges.data() + m_slab_offsets[s.first + slab + 1];
  int winding = 0;
  for (; it != end; ++it) {
    const Edge& e = m_edges[*it];
    if (y < std::min(e.ay, e.by) - near || y > std::max(e.ay, e.by) + near) continue;
    const Side sd = side(e.ax, e.ay, e.bx, e.by, x, y, near);
    if (!sd.clear) return bg::covered_by(Point(x, y), area.geometry);  // on or near the edge
    if (e.ay <= y) {
      if (e.by > y && sd.det > 0.0) ++winding;  // upward crossing, point on its left
    } else if (e.by <= y && sd.det < 0.0) {
      --winding;  // downward crossing, point on its right
    }
  }
  return winding != 0;
}

// Leaf test: the winding number at the leaf's reference point R is known; walk
// from R to p and count the edges of this area in the cell that the segment R-p
// crosses (+1 when p ends up on an edge's left, -1 on its right). Every edge
// that can cross R-p is listed, because R-p lies inside the cell. Anything
// close to degenerate (p near an edge line, R-p through a vertex) goes to
// covers().
bool AreaSet::covers_in_leaf(const Slot& slot, uint32_t edge_end, const Mixed& leaf, double x,
                             double y) const {
  if (slot.winding == kSlow) return covers(slot.area, x, y);
  int winding = slot.winding;
  const double near = m_near;
  for (uint32_t k = slot.edge_begin; k < edge_end; ++k) {
    const uint32_t entry = m_cell_edges[k];
    const Edge& e = m_edges[entry & ~kMixedBit];
    const Side p_side = side(e.ax, e.ay, e.bx, e.by, x, y, near);
    if (!p_side.clear) return covers(slot.area, x, y);
    const bool p_left = p_side.det > 0.0;
    const bool ref_left = (entry & kMixedBit) != 0;
    if (p_left == ref_left) continue;
    const Side a_side = side(leaf.x, leaf.y, x, y, e.ax, e.ay, near);
    const Side b_side = side(leaf.x, leaf.y, x, y, e.bx, e.by, near);
    if (!a_side.clear || !b_side.clear) return covers(slot.area, x, y);
    if ((a_side.det > 0.0) != (b_side.det > 0.0)) winding += p_left ? 1 : -1;
  }
  return winding != 0;
}

uint32_t AreaSet::locate_by_tree(double x, double y) const {
  std::vector<uint32_t> hits;
  m_tree.query(bgi::intersects(Point(x, y)),
               boost::make_function_output_iterator(
                   [&hits](const TreeValue& v) { hits.push_back(v.second); }));
  std::sort(hits.begin(), hits.end());
  for (const uint32_t i : hits)
    if (covers(i, x, y)) return i;
  return kNone;
}

//-----------------------------------------------------------------------------
// [SECTION] Lookup grid
//-----------------------------------------------------------------------------
// The top-level grid has square cells over bounds() padded by a rounding margin.
// A mixed cell with many edges is split into k x k sub-cells, recursively (up to
// kMaxDepth levels), classified the same way; the others become leaves.
// GridMap's column_of/row_of are monotone in x/y (subtract, multiply, floor,
// clamp) and build and query use the same functions, so "every boundary point
// maps to a marked cell" holds in floating point, not only in exact arithmetic.
// Every edge is rasterised with a pad (a fraction of the cell plus the rounding
// margin), so a point in an unmarked cell is clear of every boundary.

template <typename Mark>
void AreaSet::rasterise(const GridMap& grid, const Edge& edge, double pad, Mark&& mark) const {
  const double ax = edge.ax, ay = edge.ay, bx = edge.bx, by = edge.by;
  const double ylo = std::min(ay, by) - pad, yhi = std::max(ay, by) + pad;
  const std::size_t r0 = grid.row_of(ylo), r1 = grid.row_of(yhi);
  const double dy = by - ay;
  for (std::size_t r = r0; r <= r1; ++r) {
    double xlo = std::min(ax, bx), xhi = std::max(ax, bx);
    if (r0 != r1 && std::fabs(dy) > 0.0) {
      // Clip the edge to the row's padded y-interval.
      const double sy0 = std::max(ylo, grid.y0 + static_cast<double>(r) * grid.cell - pad);
      const double sy1 = std::min(yhi, grid.y0 + static_cast<double>(r + 1) * grid.cell + pad);
      const double t0 = std::clamp((sy0 - ay) / dy, 0.0, 1.0);
      const double t1 = std::clamp((sy1 - ay) / dy, 0.0, 1.0);
      const double x0 = ax + t0 * (bx - ax), x1 = ax + t1 * (bx - ax);
      xlo = std::max(xlo, std::min(x0, x1));
      xhi = std::min(xhi, std::max(x0, x1));
    }
    const std::size_t c1 = grid.column_of(xhi + pad);
    for (std::size_t c = grid.column_of(xlo - pad); c <= c1; ++c) mark(r * grid.columns + c);
  }
}

void AreaSet::build_grid(std::size_t grid_cells) {
  m_cells.clear();
  m_mixed.clear();
  m_sub_cells.clear();
  m_slots.clear();
  m_cell_edges.clear();
  m_top_mixed = 0;
  m_grid = GridMap{};
  m_query = inverted_box();
  if (box_is_empty(m_bounds)) return;

  const double scale = magnitude(m_bounds);
  const double near = kNearFactor * scale;
  const double min_cell = kMinCellFactor * scale;
  const double width = std::max(m_bounds.max_corner().x() - m_bounds.min_corner().x(), min_cell);
  const double height = std::max(m_bounds.max_corner().y() - m_bounds.min_corner().y(), min_cell);
  const auto target = static_cast<double>(grid_cells);
  double cell = std::sqrt(width * height / target);
  cell = std::max({cell, min_cell, width / target, height / target});
  const double grid_pad = 4.0 * near;  // points farther out than this are in no area
  // The leaf test's tolerance covers every coordinate a query can have.
  m_near = kNearFactor * (scale + grid_pad + cell);
  GridMap& g = m_grid;
  g.cell = cell;
  g.inv = 1.0 / cell;
  g.x0 = m_bounds.min_corner().x() - grid_pad;
  g.y0 = m_bounds.min_corner().y() - grid_pad;
  g.columns =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((width + 2 * grid_pad) * g.inv)));
  g.rows = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil((height + 2 * grid_pad) * g.inv)));
  m_query = Box(Point(m_bounds.min_corner().x() - grid_pad, m_bounds.min_corner().y() - grid_pad),
                Point(m_bounds.max_corner().x() + grid_pad, m_bounds.max_corner().y() + grid_pad));
  const std::size_t ncells = g.columns * g.rows;
  HOTSPOT_ASSERT(ncells < kMixedBit);

  // 1. Rasterise every edge into the cells it may touch. Valid areas record
  //    (cell, edge); invalid ones record (cell, kMixedBit | area) once per cell
  //    (m_cells holds "last area that marked this cell" meanwhile). Entries come
  //    out grouped by ascending area.
  const double pad = kCellPadFraction * cell + 4.0 * near;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;  // (cell, edge or kMixedBit | area)
  std::vector<uint32_t> edge_area(m_edges.size());
  m_cells.assign(ncells, kNone);
  for (uint32_t i = 0; i < m_areas.size(); ++i) {
    const SlabIndex& s = m_slabs[i];
    if (s.fast) {
      for (uint32_t e = s.edge_begin; e < s.edge_end; ++e) {
        edge_area[e] = i;
        rasterise(g, m_edges[e], pad,
                  [&](std::size_t c) { pairs.emplace_back(static_cast<uint32_t>(c), e); });
      }
      continue;
    }
    for_each_ring(m_areas[i].geometry, [&](const Ring& ring) {
      for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
        const Edge edge{ring[k].x(), ring[k].y(), ring[k + 1].x(), ring[k + 1].y()};
        rasterise(g, edge, pad, [&](std::size_t c) {
          if (m_cells[c] == i) return;
          m_cells[c] = i;
          pairs.emplace_back(static_cast<uint32_t>(c), kMixedBit | i);
        });
      }
    });
  }

  // 2. Group the entries by cell (stable counting sort: areas stay ascending).
  std::vector<uint32_t> start(ncells + 1, 0);
  for (const auto& p : pairs) ++start[p.first + 1];
  for (std::size_t c = 0; c < ncells; ++c) start[c + 1] += start[c];
  std::vector<uint32_t> by_cell(pairs.size());
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (const auto& p : pairs) by_cell[fill[p.first]++] = p.second;
  }
  pairs.clear();
  pairs.shrink_to_fit();

  // 3. Mixed cells. Candidates: the areas with a boundary in the cell. Fallback:
  //    the lowest-index area covering the whole cell (its boundary is elsewhere,
  //    so the centre decides; the R-tree finds the areas to ask).
  std::vector<Candidate> candidates;
  std::vector<uint32_t> around;
  for (std::size_t c = 0; c < ncells; ++c) {
    const uint32_t b = start[c], e = start[c + 1];
    if (b == e) {
      m_cells[c] = kNone;  // filled in step 4
      continue;
    }
    ++m_top_mixed;
    candidates.clear();
    for (uint32_t k = b; k < e; ++k) {
      const uint32_t key = by_cell[k];
      const bool slow = (key & kMixedBit) != 0;
      const uint32_t area = slow ? key & ~kMixedBit : edge_area[key];
      if (!candidates.empty() && candidates.back().area == area)
        candidates.back().end = k + 1;
      else
        candidates.push_back({area, k, k + 1, slow});
    }
    const double cx0 = g.x0 + static_cast<double>(c % g.columns) * cell;
    const double cy0 = g.y0 + static_cast<double>(c / g.columns) * cell;
    around.clear();
    m_tree.query(bgi::intersects(Box(Point(cx0, cy0), Point(cx0 + cell, cy0 + cell))),
                 boost::make_function_output_iterator(
                     [&around](const TreeValue& v) { around.push_back(v.second); }));
    std::sort(around.begin(), around.end());
    uint32_t fallback = kNone;
    for (const uint32_t j : around) {
      const bool has_boundary = std::binary_search(
          candidates.begin(), candidates.end(), Candidate{j, 0, 0, false},
          [](const Candidate& l, const Candidate& r) { return l.area < r.area; });
      if (!has_boundary && covers(j, cx0 + 0.5 * cell, cy0 + 0.5 * cell)) {
        fallback = j;
        break;
      }
    }
    // Slow candidates keep no edge entries: their key is not an edge index.
    for (Candidate& cand : candidates)
      if (cand.slow) cand.begin = cand.end = 0;
    m_cells[c] = classify(cx0, cy0, cell, candidates, by_cell, fallback, 0);
  }

  // 4. Cells no boundary touches: every point in one has the same answer, and so
  //    does a run of such cells along a row (no boundary separates them). One
  //    exact lookup per run.
  for (std::size_t row = 0; row < g.rows; ++row) {
    uint32_t* line = m_cells.data() + row * g.columns;
    const uint32_t* first = start.data() + row * g.columns;
    bool known = false;
    uint32_t state = kNone;
    const double cy = g.y0 + (static_cast<double>(row) + 0.5) * cell;
    for (std::size_t col = 0; col < g.columns; ++col) {
      if (first[col] != first[col + 1]) {
        known = false;
        continue;
      }
      if (!known) {
        state = locate_by_tree(g.x0 + (static_cast<double>(col) + 0.5) * cell, cy);
        known = true;
      }
      line[col] = state;
    }
  }
}

// The value of a mixed cell with lower-left corner (x0, y0) and side `side`:
// an area or kNone when no candidate remains, else a leaf or a split.
uint32_t AreaSet::classify(double x0, double y0, double side_m, std::vector<Candidate> candidates,
                           const std::vector<uint32_t>& edges, uint32_t fallback, int depth) {
  while (!candidates.empty() && candidates.back().area > fallback) candidates.pop_back();
  if (candidates.empty()) return fallback;
  std::size_t edge_count = 0;
  for (const Candidate& cand : candidates) edge_count += cand.end - cand.begin;
  if (edge_count <= kLeafEdges || depth >= kMaxDepth)
    return make_leaf(x0, y0, side_m, candidates, edges, fallback);

  // Split into k x k sub-cells and classify each from this cell's candidates.
  const auto k = static_cast<uint32_t>(
      std::clamp<std::size_t>((edge_count + kLeafEdges / 2) / (kLeafEdges / 2), 2, kMaxSplit));
  GridMap sub;
  sub.x0 = x0;
  sub.y0 = y0;
  sub.cell = side_m / k;
  sub.inv = static_cast<double>(k) / side_m;
  sub.columns = sub.rows = k;
  const auto index = static_cast<uint32_t>(m_mixed.size());
  const auto first = static_cast<uint32_t>(m_sub_cells.size());
  m_mixed.push_back(Mixed{x0, y0, sub.inv, first, 0, k});
  m_sub_cells.resize(first + k * k, kNone);
  HOTSPOT_ASSERT(m_mixed.size() < kMixedBit && m_sub_cells.size() < kMixedBit);

  // (sub-cell, position in this cell's edge list): positions ascend, so each
  // sub-cell's entries stay grouped by ascending area.
  const double pad = kCellPadFraction * sub.cell + 4.0 * m_near;
  std::vector<std::pair<uint32_t, uint32_t>> entries;
  for (const Candidate& cand : candidates)
    for (uint32_t pos = cand.begin; pos < cand.end; ++pos)
      rasterise(sub, m_edges[edges[pos]], pad,
                [&](std::size_t s) { entries.emplace_back(static_cast<uint32_t>(s), pos); });
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& l, const auto& r) { return l.first < r.first; });

  std::vector<uint32_t> sub_edges;
  std::vector<Candidate> sub_candidates;
  std::size_t next = 0;
  for (uint32_t s = 0; s < k * k; ++s) {
    sub_edges.clear();
    sub_candidates.clear();
    std::size_t ci = 0;  // candidates[ci] owns the current entry
    for (; next < entries.size() && entries[next].first == s; ++next) {
      const uint32_t pos = entries[next].second;
      while (candidates[ci].end <= pos) ++ci;
      const auto at = static_cast<uint32_t>(sub_edges.size());
      sub_edges.push_back(edges[pos]);
      if (!sub_candidates.empty() && sub_candidates.back().area == candidates[ci].area)
        sub_candidates.back().end = at + 1;
      else
        sub_candidates.push_back({candidates[ci].area, at, at + 1, false});
    }
    // Invalid areas have no edges to rasterise: they stay candidates everywhere.
    bool merged_slow = false;
    for (const Candidate& cand : candidates)
      if (cand.slow) {
        sub_candidates.push_back({cand.area, 0, 0, true});
        merged_slow = true;
      }
    if (merged_slow)
      std::sort(sub_candidates.begin(), sub_candidates.end(),
                [](const Candidate& l, const Candidate& r) { return l.area < r.area; });
    const double sx0 = x0 + static_cast<double>(s % k) * sub.cell;
    const double sy0 = y0 + static_cast<double>(s / k) * sub.cell;
    // A candidate without a boundary in the sub-cell covers all of it or none.
    uint32_t sub_fallback = fallback;
    std::size_t sc = 0;
    for (const Candidate& cand : candidates) {
      while (sc < sub_candidates.size() && sub_candidates[sc].area < cand.area) ++sc;
      if (sc < sub_candidates.size() && sub_candidates[sc].area == cand.area) continue;
      if (cand.area < sub_fallback &&
          covers(cand.area, sx0 + 0.5 * sub.cell, sy0 + 0.5 * sub.cell)) {
        sub_fallback = cand.area;
        break;
      }
    }
    const uint32_t value =
        classify(sx0, sy0, sub.cell, sub_candidates, sub_edges, sub_fallback, depth + 1);
    m_sub_cells[first + s] = value;
  }
  return kMixedBit | index;
}

// A leaf: a reference point clear of every listed edge (the first of a few fixed
// points in the cell that is), and per candidate its winding number there and
// its edges in the cell. A candidate whose edges the point is not clear of is
// tested with covers() instead.
uint32_t AreaSet::make_leaf(double x0, double y0, double side_m,
                            const std::vector<Candidate>& candidates,
                            const std::vector<uint32_t>& edges, uint32_t fallback) {
  static constexpr std::array<std::pair<double, double>, 7> kRefs = {{{0.5, 0.5},
                                                                      {0.25, 0.25},
                                                                      {0.75, 0.75},
                                                                      {0.25, 0.75},
                                                                      {0.75, 0.25},
                                                                      {0.375, 0.625},
                                                                      {0.625, 0.375}}};
  double rx = x0 + 0.5 * side_m, ry = y0 + 0.5 * side_m;
  std::size_t best = std::numeric_limits<std::size_t>::max();
  for (const auto& [fx, fy] : kRefs) {
    const double px = x0 + fx * side_m, py = y0 + fy * side_m;
    std::size_t failures = 0;
    for (const Candidate& cand : candidates)
      for (uint32_t k = cand.begin; k < cand.end; ++k) {
        const Edge& e = m_edges[edges[k]];
        if (!side(e.ax, e.ay, e.bx, e.by, px, py, m_near).clear) ++failures;
      }
    if (failures < best) {
      best = failures;
      rx = px;
      ry = py;
    }
    if (failures == 0) break;
  }

  const auto index = static_cast<uint32_t>(m_mixed.size());
  const auto first = static_cast<uint32_t>(m_slots.size());
  for (const Candidate& cand : candidates) {
    const auto edge_begin = static_cast<uint32_t>(m_cell_edges.size());
    bool slow = cand.slow;
    for (uint32_t k = cand.begin; k < cand.end && !slow; ++k) {
      const Edge& e = m_edges[edges[k]];
      const Side sd = side(e.ax, e.ay, e.bx, e.by, rx, ry, m_near);
      slow = !sd.clear;
      m_cell_edges.push_back(edges[k] | (sd.det > 0.0 ? kMixedBit : 0u));
    }
    if (slow) {
      m_cell_edges.resize(edge_begin);
      m_slots.push_back(Slot{cand.area, kSlow, edge_begin});
    } else {
      // Valid geometry: the winding number is -1 inside (clockwise outer rings).
      m_slots.push_back(Slot{cand.area, covers(cand.area, rx, ry) ? -1 : 0, edge_begin});
    }
  }
  m_slots.push_back(Slot{fallback, 0, static_cast<uint32_t>(m_cell_edges.size())});
  m_mixed.push_back(Mixed{rx, ry, 0.0, first, static_cast<uint32_t>(m_slots.size()) - first, 0});
  HOTSPOT_ASSERT(m_mixed.size() < kMixedBit && m_slots.size() < kMixedBit &&
                 m_cell_edges.size() < kMixedBit);
  return kMixedBit | index;
}

//-----------------------------------------------------------------------------
// [SECTION] Queries
//-----------------------------------------------------------------------------

uint32_t AreaSet::locate_mixed(uint32_t value, double x, double y) const {
  for (;;) {
    const Mixed& m = m_mixed[value & ~kMixedBit];
    if (m.k != 0) {
      const double fx = (x - m.x) * m.inv, fy = (y - m.y) * m.inv;
      const double last = static_cast<double>(m.k - 1);
      // Same clamp-and-floor as GridMap::index, written out for speed.
      const auto col = static_cast<uint32_t>(!(fx > 0.0) ? 0.0 : fx >= last + 1 ? last : fx);
      const auto row = static_cast<uint32_t>(!(fy > 0.0) ? 0.0 : fy >= last + 1 ? last : fy);
      value = m_sub_cells[m.first + row * m.k + col];
      if (value < kMixedBit || value == kNone) return value;
      continue;
    }
    const Slot* slot = m_slots.data() + m.first;
    const Slot* sentinel = slot + m.count - 1;
    for (; slot != sentinel; ++slot)
      if (covers_in_leaf(*slot, slot[1].edge_begin, m, x, y)) return slot->area;
    return sentinel->area;
  }
}

uint32_t AreaSet::locate(double x, double y) const {
  HOTSPOT_ASSERT_MSG(m_built, "AreaSet::build() must be called after add() and before locate()");
  // Written so that NaN fails the test.
  if (!(x >= m_query.min_corner().x() && x <= m_query.max_corner().x() &&
        y >= m_query.min_corner().y() && y <= m_query.max_corner().y()))
    return kNone;
  const uint32_t v = m_cells[m_grid.row_of(y) * m_grid.columns + m_grid.column_of(x)];
  if (v < kMixedBit || v == kNone) return v;
  return locate_mixed(v, x, y);
}

void AreaSet::locate_range(std::span<const double> x, std::span<const double> y,
                           std::span<uint32_t> out) const {
  for (std::size_t k = 0; k < x.size(); ++k) out[k] = locate(x[k], y[k]);
}

void AreaSet::locate_many(std::span<const double> x, std::span<const double> y,
                          std::span<uint32_t> out, unsigned threads) const {
  HOTSPOT_ASSERT(x.size() == y.size() && x.size() == out.size());
  HOTSPOT_ASSERT_MSG(m_built, "AreaSet::build() must be called after add() and before locate()");
  const std::size_t n = x.size();
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers =
      std::min<std::size_t>(threads, std::max<std::size_t>(1, n / kMinPointsPerThread));
  if (workers <= 1) {
    locate_range(x, y, out);
    return;
  }
  const std::size_t chunk = (n + workers - 1) / workers;
  std::vector<std::jthread> pool;
  pool.reserve(workers - 1);
  for (std::size_t w = 1; w < workers; ++w) {
    const std::size_t b = std::min(n, w * chunk), len = std::min(n, b + chunk) - b;
    pool.emplace_back([this, x, y, out, b, len] {
      locate_range(x.subspan(b, len), y.subspan(b, len), out.subspan(b, len));
    });
  }
  const std::size_t len0 = std::min(n, chunk);
  locate_range(x.subspan(0, len0), y.subspan(0, len0), out.subspan(0, len0));
  // The jthreads join when `pool` goes out of scope.
}

AreaSet::GridStats AreaSet::grid_stats() const {
  GridStats g;
  g.columns = m_grid.columns;
  g.rows = m_grid.rows;
  g.cell_m = m_grid.cell;
  g.mixed_cells = m_top_mixed;
  for (const Mixed& m : m_mixed) (m.k != 0 ? g.split_cells : g.leaf_cells) += 1;
  g.candidate_slots = m_slots.size() - g.leaf_cells;
  g.cell_edges = m_cell_edges.size();
  for (uint32_t i = 0; i < m_slabs.size(); ++i)
    if (!m_slabs[i].fast && !box_is_empty(m_areas[i].bbox)) ++g.slow_areas;
  g.bytes = m_cells.size() * sizeof(uint32_t) + m_mixed.size() * sizeof(Mixed) +
            m_sub_cells.size() * sizeof(uint32_t) + m_slots.size() * sizeof(Slot) +
            m_cell_edges.size() * sizeof(uint32_t) + m_edges.size() * sizeof(Edge) +
            m_slab_offsets.size() * sizeof(uint32_t) + m_slab_edges.size() * sizeof(uint32_t) +
            m_slabs.size() * sizeof(SlabIndex);
  return g;
}

}  // namespace hotspot::core
