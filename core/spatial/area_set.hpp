#pragma once
// AreaSet: a set of named polygon areas (wards, LSOAs, police beats, a study
// boundary, user-drawn polygons) in the working CRS (British National Grid,
// EPSG:27700, metres), with fast point-in-polygon assignment of millions of points.
//
//   AreaSet wards;
//   wards.add("E05010673", "Abbey Hill", abbey_hill);   // MultiPolygon, metres
//   wards.add("E05010674", "Annesley & Kirkby Woodhouse", annesley);
//   wards.build();                                      // required before locate()
//   uint32_t i = wards.locate(451439, 353560);          // AreaSet::kNone if outside
//   if (i != AreaSet::kNone) std::cout << wards[i].code;
//   wards.locate_many(table.x_m(), table.y_m(), out);   // all cores
//
// Which area a point gets (the rule every caller can rely on):
//   * Boundary points count as covered: a point covered by an area's closed polygon
//     (boost::geometry::covered_by semantics, so a point on an outer edge of the
//     union, or on the edge of a hole, is inside).
//   * Among the areas covering a point, the one with the LOWEST index wins. A point
//     on the edge shared by areas 3 and 7 goes to 3; so does a shared vertex. In
//     overlapping sets (a study boundary added before its wards) the first added wins.
//   * A point covered by no area (outside every polygon, inside a hole, NaN) gets
//     kNone. Callers count and list those; nothing is dropped silently here.
// locate() agrees exactly with a loop over boost::geometry::covered_by in index
// order (tests/core/spatial/area_set_test.cpp checks it on random data).
//
// Invariants: indices are dense, in add() order, stable for the set's life.
// Every stored geometry is corrected (boost::geometry::correct: closed rings,
// clockwise outer rings, counter-clockwise holes).
//
// How locate() is fast (one array lookup for most points; see area_set.cpp):
//   1. A uniform top-level grid over bounds() (size: build()). A cell no boundary
//      comes near is "outside every area" or "inside area i", answered in O(1).
//   2. A "mixed" cell (a boundary passes within a pad of it) with more than 8
//      edges in it is split into up to 8 x 8 sub-cells, classified the same way,
//      up to 3 levels deep: an adaptive quadtree where the boundaries are dense.
//   3. A leaf cell lists, for each area whose boundary is in it, those edges and
//      the area's winding number at a reference point of the cell; the exact test
//      counts the listed edges that the segment from the reference point to the
//      query point crosses (a few edges, no whole-polygon scan).
//   4. Points within rounding distance of an edge (about 1e-6 m at BNG
//      coordinates) and areas whose geometry is invalid (boost::geometry::is_valid)
//      are decided by boost::geometry::covered_by itself, through a per-area slab
//      index of edges; that is what keeps the fast paths in exact agreement.
//   A Boost.Geometry R-tree of the area boxes serves build().
// Measured (Release, one core of the shared 2-core dev box, 1M points): Ashfield's
// 74 LSOAs, points uniform inside them: ~50M points/s (grid 1.9 MB). A synthetic
// national set (11,371 polygons, 1.1M edges, 90% of 6M points in dense urban
// areas, 10x repeated coordinates): ~6-7M points/s per core, build 1 s.
//
// Memory (bytes; documented because a national set is large):
//   top grid     4 per cell (auto size: 64 per vertex, 64 Ki..4 Mi cells, <= 16 MiB)
//   sub-cells    4 per sub-cell; 40 per split or leaf cell
//   leaf lists   12 per (leaf, area) + 4 per (leaf, edge)
//   edge index   32 per polygon edge + about 6 per edge for the slabs
// e.g. 124 MB for the synthetic national set above (1.1M edges), 1.9 MB for
// Ashfield's LSOAs; plus the Boost geometries themselves (16 per vertex).
//
// Thread-safety: const methods may be called concurrently from any number of
// threads (after build()). add() and build() need exclusive access.
//
// Robustness: geometry is used as given (after correct()). Invalid geometry
// (self-intersecting rings, overlapping parts) is still answered the way
// covered_by answers it, only more slowly; readers should repair it first
// (layers/io/area_reader.hpp does). Overlapping areas are allowed: the rule above
// decides. Does NOT snap, simplify or fill slivers between areas: a point in a
// gap between generalised boundaries is kNone.

#include <boost/geometry/index/rtree.hpp>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/geo/geometry.hpp"

namespace hotspot::core {

// One named area. A plain value; AreaSet owns a vector of them.
struct Area {
  std::string code;       // stable identifier ("E05010673"); duplicates are allowed
  std::string name;       // human name ("Abbey Hill"), may be empty
  MultiPolygon geometry;  // metres, EPSG:27700, corrected
  Box bbox;               // envelope of geometry (inverted box when empty)
  double area_m2 = 0.0;   // boost::geometry::area, holes subtracted
};

class AreaSet {
 public:
  // The "no area" sentinel returned by locate().
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  // build(kAutoGridCells) sizes the top-level lookup grid from the geometry:
  // kGridCellsPerVertex cells per polygon vertex, at least kMinAutoGridCells and
  // at most kDefaultGridCells (4 Mi cells, 16 MiB). Measured: a district's
  // boundaries answer fastest from a small grid that stays in cache; a national
  // set needs the full 4 Mi.
  static constexpr std::size_t kAutoGridCells = 0;
  static constexpr std::size_t kGridCellsPerVertex = 64;
  static constexpr std::size_t kMinAutoGridCells = std::size_t{1} << 16;
  static constexpr std::size_t kDefaultGridCells = std::size_t{1} << 22;
  // Upper bound for build(grid_cells): 64 Mi cells, 256 MiB.
  static constexpr std::size_t kMaxGridCells = std::size_t{1} << 26;

  AreaSet() = default;

  // Adds an area; corrects the geometry's orientation and closure, computes its
  // bounding box and area. Returns the new area's index (0, 1, 2, ... in order).
  // An empty geometry is allowed and contains no point. Invalidates build().
  // Requires: size() < 2^31 - 1.
  uint32_t add(std::string code, std::string name, MultiPolygon geometry);

  // Builds the R-tree, the per-area edge indexes and the lookup grid. Call after
  // the last add() and before locate(); calling it again rebuilds. `grid_cells` is
  // the target cell count of the top-level lookup grid (square cells; the count is
  // approximate), or kAutoGridCells. Cost: O(edges log edges + grid cells +
  // boundary length / cell size): 10 ms for Ashfield's LSOAs, about 1 s for
  // 11,000 polygons with a million edges.
  // Requires: grid_cells <= kMaxGridCells.
  void build(std::size_t grid_cells = kAutoGridCells);
  [[nodiscard]] bool built() const { return m_built; }

  // Index of the area covering (x, y) (metres, EPSG:27700) under the rule in the
  // header comment, or kNone. Requires: built().
  [[nodiscard]] uint32_t locate(double x, double y) const;

  // locate() for every point: out[k] = locate(x[k], y[k]). Splits the range across
  // `threads` std::threads (0 = std::thread::hardware_concurrency()); small inputs
  // run on the calling thread. Requires: built(), x.size() == y.size() == out.size().
  void locate_many(std::span<const double> x, std::span<const double> y, std::span<uint32_t> out,
                   unsigned threads = 0) const;

  [[nodiscard]] std::size_t size() const { return m_areas.size(); }
  [[nodiscard]] bool empty() const { return m_areas.empty(); }
  // Requires: i < size().
  [[nodiscard]] const Area& operator[](uint32_t i) const;
  [[nodiscard]] const std::vector<Area>& areas() const { return m_areas; }

  // Index of the first area added with this code, or nullopt.
  [[nodiscard]] std::optional<uint32_t> find_code(std::string_view code) const;

  // Envelope of every area as of the last build(); an inverted box (min > max)
  // when no area has geometry.
  [[nodiscard]] Box bounds() const { return m_bounds; }

  // Lookup-grid statistics, for benchmarks and tuning.
  struct GridStats {
    std::size_t columns = 0, rows = 0;
    double cell_m = 0.0;              // side of a square cell, metres
    std::size_t mixed_cells = 0;      // top-level cells a boundary touches
    std::size_t split_cells = 0;      // mixed cells split into sub-cells (any level)
    std::size_t leaf_cells = 0;       // mixed cells answered by an exact test
    std::size_t candidate_slots = 0;  // sum over leaf cells of the areas to test
    std::size_t cell_edges = 0;       // sum over leaf cells of the edges listed
    std::size_t bytes = 0;            // memory held by grid + edge indexes
    std::size_t slow_areas = 0;       // invalid areas, tested with covered_by only
  };
  [[nodiscard]] GridStats grid_stats() const;

 private:
  // One polygon edge (a -> b, as stored in the corrected ring).
  struct Edge {
    double ax, ay, bx, by;
  };
  // Per-area edge index. Edges m_edges[edge_begin, edge_end) belong to the area.
  // Horizontal slabs over its bounding box: slab s lists the edges whose padded
  // y-range overlaps it, m_slab_edges[m_slab_offsets[first + s] ...].
  struct SlabIndex {
    bool fast = false;   // valid geometry: the winding tests apply
    uint32_t count = 0;  // number of slabs
    uint32_t first = 0;  // index of slab 0 in m_slab_offsets
    uint32_t edge_begin = 0, edge_end = 0;
    double y0 = 0.0;     // bottom of slab 0
    double inv_h = 0.0;  // 1 / slab height
    double scale = 1.0;  // max |coordinate| of the area, for rounding bounds
  };
  // One area to test in a leaf cell. Its edges in the cell are
  // m_cell_edges[edge_begin, next slot's edge_begin). `winding` is the area's
  // winding number at the leaf's reference point, or kSlow: use covers().
  struct Slot {
    uint32_t area;
    int32_t winding;
    uint32_t edge_begin;
  };
  static constexpr int32_t kSlow = std::numeric_limits<int32_t>::min();
  // A mixed cell (a boundary crosses it), either
  //  - split (k > 0): k x k sub-cells m_sub_cells[first ...], row-major, over the
  //    cell whose lower-left corner is (x, y); inv = k / cell side. Sub-cell
  //    values are encoded like m_cells;
  //  - a leaf (k == 0): slots m_slots[first, first + count), the last one a
  //    sentinel naming the area that covers the whole cell without a boundary in
  //    it (or kNone), the answer when no other slot covers the point; (x, y) is
  //    the reference point, clear of every edge listed in the leaf.
  struct Mixed {
    double x, y, inv;
    uint32_t first, count, k;
  };
  // Build-time candidate of a mixed cell: an area and its edges in the cell,
  // edges[begin, end) of the caller's list; slow = invalid area (no edges kept).
  struct Candidate {
    uint32_t area, begin, end;
    bool slow;
  };
  // A uniform grid's index arithmetic, shared by build and query (monotone).
  struct GridMap {
    double x0 = 0.0, y0 = 0.0, cell = 1.0, inv = 1.0;
    std::size_t columns = 0, rows = 0;
    [[nodiscard]] std::size_t column_of(double x) const { return index(x - x0, columns); }
    [[nodiscard]] std::size_t row_of(double y) const { return index(y - y0, rows); }
    [[nodiscard]] std::size_t index(double d, std::size_t n) const {
      const double f = d * inv;
      if (!(f > 0.0)) return 0;
      if (f >= static_cast<double>(n)) return n - 1;
      return static_cast<std::size_t>(f);
    }
  };
  using TreeValue = std::pair<Box, uint32_t>;
  using Tree = boost::geometry::index::rtree<TreeValue, boost::geometry::index::rstar<16>>;

  static constexpr uint32_t kMixedBit = 0x80000000u;
  static constexpr double kHuge = std::numeric_limits<double>::max();

  // Transparent hash: find_code(string_view) without a temporary string.
  struct CodeHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  void build_edge_index(uint32_t i);
  void build_grid(std::size_t grid_cells);
  [[nodiscard]] bool covers(uint32_t i, double x, double y) const;
  [[nodiscard]] bool covers_in_leaf(const Slot& slot, uint32_t edge_end, const Mixed& leaf,
                                    double x, double y) const;
  [[nodiscard]] uint32_t locate_by_tree(double x, double y) const;
  [[nodiscard]] uint32_t locate_mixed(uint32_t value, double x, double y) const;
  template <typename Mark>
  void rasterise(const GridMap& grid, const Edge& edge, double pad, Mark&& mark) const;
  uint32_t classify(double x0, double y0, double side, std::vector<Candidate> candidates,
                    const std::vector<uint32_t>& edges, uint32_t fallback, int depth);
  uint32_t make_leaf(double x0, double y0, double side, const std::vector<Candidate>& candidates,
                     const std::vector<uint32_t>& edges, uint32_t fallback);
  void locate_range(std::span<const double> x, std::span<const double> y,
                    std::span<uint32_t> out) const;

  std::vector<Area> m_areas;
  std::unordered_map<std::string, uint32_t, CodeHash, std::equal_to<>> m_by_code;
  Box m_bounds{Point(kHuge, kHuge), Point(-kHuge, -kHuge)};  // inverted: empty
  bool m_built = false;

  Tree m_tree;

  std::vector<SlabIndex> m_slabs;        // per area
  std::vector<Edge> m_edges;             // all valid areas' edges, area by area
  std::vector<uint32_t> m_slab_offsets;  // per slab, into m_slab_edges (+1 per area)
  std::vector<uint32_t> m_slab_edges;    // indices into m_edges

  // Lookup grid: m_cells[row * columns + column] is an area index (< kMixedBit),
  // kNone, or kMixedBit | m where m indexes m_mixed.
  // m_query: bounds() padded by the rounding margin; points outside it are in no area.
  Box m_query{Point(kHuge, kHuge), Point(-kHuge, -kHuge)};
  GridMap m_grid;
  double m_near = 0.0;  // rounding margin of the whole set, metres
  std::vector<uint32_t> m_cells;
  std::vector<Mixed> m_mixed;
  std::vector<uint32_t> m_sub_cells;
  std::vector<Slot> m_slots;
  // Edge entries of the slots: index into m_edges | kMixedBit when the leaf's
  // reference point is on the edge's left.
  std::vector<uint32_t> m_cell_edges;
  std::size_t m_top_mixed = 0;  // mixed cells of the top-level grid (statistics)
};

}  // namespace hotspot::core
