#pragma once
// Grid: square (fishnet) or hexagonal cells over a box or a study boundary, in the
// working CRS (British National Grid, metres), each cell with a stable CellId.
//
//   GridSpec spec{.shape = CellShape::square, .cell_m = 100};
//   Result<Grid, GridError> g = Grid::over_boundary(spec, district);  // AreaSet, built
//   std::vector<uint32_t> cell(n);
//   g->locate_many(table.x_m(), table.y_m(), cell);   // Grid::kNone when in no cell
//   CellId id = g->id(cell[0]);  double cx = g->centre_x(cell[0]);
//
// Geometry:
// - Square cells of side cell_m; cell (column c, row r) covers
//   [ox + c*s, ox + (c+1)*s) x [oy + r*s, oy + (r+1)*s): half-open, so a point on a
//   shared edge belongs to the cell on its right / above.
// - Hexagons are pointy-top (rows of hexagons run east-west). cell_m is the
//   distance between the centres of adjacent hexagons (the width across flats), so
//   a 100 m hex grid has neighbours 100 m apart like a 100 m square grid; a hexagon
//   covers sqrt(3)/2 * cell_m^2 (86.6% of the square). Axial (q, r) centre:
//   x = ox + s*(q + r/2), y = oy + s*sqrt(3)/2*r. A point goes to the nearest centre
//   (cube rounding); a point exactly on an edge goes to the cell the rounding picks,
//   deterministically.
// - The origin (ox, oy) defaults to the National Grid false origin (0, 0): cells of
//   a given size line up, and keep their ids, across studies (see cell_id.hpp).
//
// Which cells a grid has:
// - over_box(): every cell meeting the box (for hexagons: whose bounding box meets it).
// - over_boundary(): every cell whose polygon meets the union of the AreaSet's
//   polygons (CellKeep::intersecting, what ArcGIS Optimized Hot Spot Analysis keeps
//   with a bounding polygon), or only those whose centre is covered
//   (CellKeep::centre_inside). Cells crossed by the boundary carry the fraction of
//   their area inside it (area_fraction(), 1 inside, used for rates and PAI).
//   With GridOptions::flag_outside, the other cells of the bounding lattice are kept
//   too, with inside() == false, so a layer can show them; analyses skip them.
//   Zero-count cells inside the boundary are cells like any other: the statistics
//   analyse them (what a bounding polygon is for).
// Cells are numbered 0..size()-1 row by row from the south-west (row-major over the
// lattice): the order of every output.
//
// The lattice: the cells are stored on a raster of lattice_columns() x
// lattice_rows() positions over the bounding box (for hexagons in "odd-r" offset
// coordinates: odd rows shifted half a cell east), with a 4-byte lookup per
// position. locate() is O(1). Spatial weights on grids use the lattice directly
// (core/stats/weights.hpp).
//
// Cost: 4 bytes per lattice position + 40 bytes per cell; over_boundary tests each
// boundary edge against the cells its bounding box covers and each cell centre
// with AreaSet::locate: ~20 ms for Ashfield (17 x 14 km) at 50 m.
// Limits: at most 2^28 lattice positions (GridError::too_many_cells); the
// fractions assume the boundary's areas do not overlap (overlaps count twice,
// capped at 1).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/geo/geometry.hpp"
#include "core/grid/cell_id.hpp"

namespace hotspot::core {

class AreaSet;

struct GridSpec {
  CellShape shape = CellShape::square;
  double cell_m = 100.0;       // square side, or hexagon centre spacing (across flats)
  double origin_x_m = 0.0;     // lattice origin, EPSG:27700
  double origin_y_m = 0.0;
};

enum class CellKeep : uint8_t {
  intersecting,   // the cell's polygon meets the boundary (default)
  centre_inside,  // the cell's centre is covered by the boundary
};

struct GridOptions {
  CellKeep keep = CellKeep::intersecting;
  bool flag_outside = false;  // keep the other lattice cells, flagged inside() == false
  bool area_fraction = true;  // compute area_fraction() for cells the boundary crosses
};

enum class GridError : uint8_t {
  bad_cell_size,   // cell_m not finite and > 0
  empty_extent,    // no box / the boundary has no geometry
  too_many_cells,  // more than kMaxLatticeCells lattice positions
};
const char* describe(GridError e);

class Grid {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  static constexpr std::size_t kMaxLatticeCells = std::size_t{1} << 28;

  Grid() = default;

  // Every cell meeting `box` (metres). Errors: bad_cell_size, empty_extent, too_many_cells.
  static Result<Grid, GridError> over_box(const GridSpec& spec, const Box& box);
  // Cells over the union of `boundary`'s areas (see the header comment).
  // Requires: boundary.built().
  static Result<Grid, GridError> over_boundary(const GridSpec& spec, const AreaSet& boundary,
                                               const GridOptions& options = {});
  // The cells containing at least one of the points (ArcGIS's fishnet without a
  // bounding polygon: empty cells are not analysed). NaN points are ignored.
  static Result<Grid, GridError> over_points(const GridSpec& spec, std::span<const double> x_m,
                                             std::span<const double> y_m);

  [[nodiscard]] const GridSpec& spec() const { return m_spec; }
  [[nodiscard]] CellShape shape() const { return m_spec.shape; }
  [[nodiscard]] double cell_m() const { return m_spec.cell_m; }
  // Area of one whole cell, m^2.
  [[nodiscard]] double cell_area_m2() const;
  [[nodiscard]] std::size_t size() const { return m_ids.size(); }
  [[nodiscard]] bool empty() const { return m_ids.empty(); }
  // Cells with inside() == true.
  [[nodiscard]] std::size_t inside_count() const { return m_inside_count; }

  // Requires: i < size().
  [[nodiscard]] CellId id(uint32_t i) const { return m_ids[i]; }
  [[nodiscard]] double centre_x(uint32_t i) const { return m_cx[i]; }
  [[nodiscard]] double centre_y(uint32_t i) const { return m_cy[i]; }
  [[nodiscard]] bool inside(uint32_t i) const { return m_inside[i] != 0; }
  [[nodiscard]] double area_fraction(uint32_t i) const { return m_fraction[i]; }
  // The cell's outline (closed, clockwise as Boost's default model), metres.
  [[nodiscard]] Polygon polygon(uint32_t i) const;

  [[nodiscard]] std::span<const CellId> ids() const { return m_ids; }
  [[nodiscard]] std::span<const double> centres_x() const { return m_cx; }
  [[nodiscard]] std::span<const double> centres_y() const { return m_cy; }

  // The cell containing (x, y), or kNone (outside every cell of the grid, NaN).
  // Cells flagged outside are returned too: check inside() when it matters.
  [[nodiscard]] uint32_t locate(double x_m, double y_m) const;
  // locate() for every point. Requires: x.size() == y.size() == out.size().
  void locate_many(std::span<const double> x_m, std::span<const double> y_m,
                   std::span<uint32_t> out) const;
  // Index of a cell by id, or kNone.
  [[nodiscard]] uint32_t find(CellId id) const;

  // The lattice (see the header comment). Lattice position (c, r), 0-based from the
  // south-west corner of the bounding lattice.
  [[nodiscard]] int32_t lattice_columns() const { return m_cols; }
  [[nodiscard]] int32_t lattice_rows() const { return m_rows; }
  [[nodiscard]] int32_t lattice_column(uint32_t i) const { return m_lc[i]; }
  [[nodiscard]] int32_t lattice_row(uint32_t i) const { return m_lr[i]; }
  // Cell at lattice position (c, r), or kNone (no cell there, or off the lattice).
  [[nodiscard]] uint32_t at_lattice(int32_t c, int32_t r) const {
    if (c < 0 || r < 0 || c >= m_cols || r >= m_rows) return kNone;
    return m_lattice[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_cols) +
                     static_cast<std::size_t>(c)];
  }
  // Absolute row of lattice row 0 (its parity decides hexagon offsets).
  [[nodiscard]] int32_t lattice_row0() const { return m_row0; }

 private:
  struct Lattice;  // bounding lattice construction helper (grid.cpp)
  static Result<Grid, GridError> make(const GridSpec& spec, const Box& box, Lattice& out);
  void add_cell(int32_t c, int32_t r, bool inside, double fraction);
  void centre_of(int32_t abs_col, int32_t abs_row, double& x, double& y) const;
  // Absolute (column, row) of the cell containing the point (offset coordinates).
  void cell_of(double x, double y, int64_t& abs_col, int64_t& abs_row) const;

  GridSpec m_spec;
  int32_t m_col0 = 0, m_row0 = 0;  // absolute offset column/row of lattice (0, 0)
  int32_t m_cols = 0, m_rows = 0;
  std::vector<uint32_t> m_lattice;  // row-major lattice -> cell index or kNone
  std::vector<CellId> m_ids;
  std::vector<double> m_cx, m_cy, m_fraction;
  std::vector<int32_t> m_lc, m_lr;
  std::vector<uint8_t> m_inside;
  std::size_t m_inside_count = 0;
};

}  // namespace hotspot::core
