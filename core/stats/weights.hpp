#pragma once
// Weights: a spatial weights matrix W (w_ij for i != j), built once and used by
// every statistic (Gi*, local and global Moran, permutations, the space-time cube).
//
//   Weights w = Weights::distance_band(x, y, 250.0);           // points, binary
//   Weights g = Weights::grid_distance_band(grid, 250.0);      // grid cells (fast lattice form)
//   Weights q = Weights::polygon_contiguity(wards, Contiguity::queen);
//   if (!w.islands().empty()) warn(...);                       // no neighbours
//   std::vector<double> lag(w.size());  w.lag(values, lag);    // sum_j w_ij x_j
//   GiStar r = gistar(values, w).value();  LocalMoran m = local_moran(values, w.row_standardised()).value();
//
// Conventions (the same as spdep's listw, so statistics agree with it):
// - The diagonal is never stored: w_ii = 0. Gi* adds the cell itself with a self
//   weight (1 by default) as spdep::include.self() does.
// - Binary weights are 1 (spdep style "B"); row_standardised() divides each row by
//   its sum (style "W"); a row with no neighbours stays empty (an island).
// - distance_band: j is a neighbour of i when 0 <= d_ij <= band (inclusive,
//   compared as squared distances; coincident points are neighbours), as
//   spdep::dnearneigh(x, 0, band).
// - knn: the k nearest by (distance, index) (not symmetric; ties by index).
// - inverse_distance: w_ij = 1 / max(d_ij, min_distance_m)^power for d_ij <= band
//   (ArcGIS INVERSE_DISTANCE with a threshold; min_distance_m keeps coincident
//   points finite: 1 m by default).
// - polygon_contiguity: spdep::poly2nb's vertex rule: queen when the two polygons
//   share at least one boundary point (vertices within snap_m), rook when they
//   share at least two distinct boundary points.
// - grid_contiguity: queen = the 8 surrounding squares, rook = the 4 edge
//   neighbours; hexagons have 6 edge neighbours for both.
// Islands (no neighbours) are allowed and listed by islands(); each statistic says
// what it does with them.
//
// Representation: explicit rows (CSR: offsets, sorted neighbour indices, weights
// omitted when binary), or, for grids, the lattice form: a stencil of (dcolumn,
// drow, weight) offsets over the Grid's lattice (per row parity for hexagons),
// applied with row prefix sums when binary: Gi* on a million cells with 80
// neighbours each without storing 80 million entries. Both forms behave the same
// through this interface. An optional per-row scale holds row standardisation.
// Memory: CSR 4 bytes per entry (+8 when weighted); lattice 4 bytes per lattice
// position + 24 bytes per cell. Thread-safety: const methods may run concurrently.
//
// Limits: weights are built from cell centres / point coordinates in metres
// (EPSG:27700); there is no spherical distance. Edge cells have fewer neighbours
// (no edge correction, as in ArcGIS and spdep).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/assert.hpp"
#include "core/grid/cell_id.hpp"

namespace hotspot::core {

class AreaSet;
class Grid;

enum class Contiguity : uint8_t { queen, rook };

// The global constants of a weights matrix (Cliff and Ord), as spdep's
// spweights.constants(): n counts the rows with neighbours when adjust_n.
struct WeightsConstants {
  double n = 0;   // observations (with neighbours when adjust_n)
  double s0 = 0;  // sum_ij w_ij
  double s1 = 0;  // 1/2 sum_ij (w_ij + w_ji)^2
  double s2 = 0;  // sum_i (sum_j w_ij + sum_j w_ji)^2
};

class Weights {
 public:
  Weights() = default;

  // [Points or polygon centroids] Requires: x.size() == y.size(), band_m >= 0, k >= 1.
  // distance_band on the distinct centres of a square lattice (a grid read back
  // from CSV: coordinates and spacing in whole or half metres) builds the lattice
  // form, with the same neighbours as the explicit rows (detect_lattice = false).
  static Weights distance_band(std::span<const double> x_m, std::span<const double> y_m, double band_m,
                               bool detect_lattice = true);
  static Weights knn(std::span<const double> x_m, std::span<const double> y_m, unsigned k);
  static Weights inverse_distance(std::span<const double> x_m, std::span<const double> y_m, double band_m,
                                  double power = 1.0, double min_distance_m = 1.0);
  // [Grid cells, lattice form] Requires: every cell of `grid` inside() (build the
  // analysis grid without GridOptions::flag_outside).
  static Weights grid_distance_band(const Grid& grid, double band_m);
  static Weights grid_contiguity(const Grid& grid, Contiguity rule);
  static Weights grid_inverse_distance(const Grid& grid, double band_m, double power = 1.0,
                                       double min_distance_m = 1.0);
  // [Cells by id] Contiguity from CellIds alone (e.g. a `hotspot grid` output read
  // back): squares are neighbours when their columns and rows differ by at most 1
  // (queen) or share an edge (rook); hexagons when they share an edge. Ids of
  // different shapes never meet. Requires: distinct ids.
  static Weights cell_contiguity(std::span<const CellId> ids, Contiguity rule);
  // [Polygons] One row per area, in index order. snap_m: vertices closer than this
  // are the same point (spdep's default snap is sqrt(machine epsilon) ~ 1.5e-8).
  static Weights polygon_contiguity(const AreaSet& areas, Contiguity rule, double snap_m = 1.5e-8);
  // [Anything] Explicit lists: neighbours[i] (no i itself, no duplicates) and, when
  // not empty, weights[i] of the same length. Requires: indices < neighbours.size().
  static Weights from_lists(const std::vector<std::vector<uint32_t>>& neighbours,
                            const std::vector<std::vector<double>>& weights = {});
  // [Space-time cube] Bins (cell c, period t) numbered t * cells + c. Bin (c, t)
  // neighbours: the spatial neighbours of c at periods t - time_window .. t, and c
  // itself at periods t - time_window .. t - 1 (ArcGIS Emerging Hot Spot Analysis's
  // neighbourhood time step looks back, never forward). Weights of `spatial` are
  // kept; the cell's own past bins weigh 1.
  static Weights space_time(const Weights& spatial, std::size_t periods, unsigned time_window);

  // A copy with every row divided by its sum (spdep style "W"). Islands stay empty.
  [[nodiscard]] Weights row_standardised() const;

  [[nodiscard]] std::size_t size() const { return m_n; }
  // What it is, for messages: "fixed distance band 250 m", "queen contiguity", ...
  [[nodiscard]] const std::string& description() const { return m_description; }
  [[nodiscard]] bool binary() const { return m_binary && m_scale.empty(); }
  [[nodiscard]] bool row_standardised_flag() const { return !m_scale.empty(); }
  [[nodiscard]] bool lattice() const { return m_lattice; }
  // Every weight of row i is the same (binary, or binary row-standardised): the
  // row's lag is uniform_weight(i) times a plain sum (permutations use this).
  [[nodiscard]] bool uniform_rows() const { return m_binary; }
  [[nodiscard]] double uniform_weight(uint32_t i) const { return m_scale.empty() ? 1.0 : m_scale[i]; }

  // Neighbours of i (i itself never counted). Requires: i < size().
  [[nodiscard]] uint32_t cardinality(uint32_t i) const { return m_card[i]; }
  // sum_j w_ij and sum_j w_ij^2.
  [[nodiscard]] double row_sum(uint32_t i) const { return m_row_sum[i]; }
  [[nodiscard]] double row_sum_sq(uint32_t i) const { return m_row_sum_sq[i]; }
  [[nodiscard]] uint64_t total_neighbours() const { return m_total; }
  [[nodiscard]] uint32_t min_neighbours() const;
  [[nodiscard]] uint32_t max_neighbours() const;
  [[nodiscard]] double mean_neighbours() const {
    return m_n ? static_cast<double>(m_total) / static_cast<double>(m_n) : 0.0;
  }
  // Rows with no neighbours, ascending.
  [[nodiscard]] std::vector<uint32_t> islands() const;

  // out[i] = sum_j w_ij x_j (self excluded). Splits rows over `threads` (0 = all
  // cores); the result does not depend on the thread count.
  // Requires: x.size() == out.size() == size().
  void lag(std::span<const double> x, std::span<double> out, unsigned threads = 0) const;

  // Calls fn(j, w_ij) for each neighbour j of i (CSR: ascending j).
  template <typename Fn>
  void for_each_neighbour(uint32_t i, Fn&& fn) const;

  // w_ij (0 when j is not a neighbour of i, or j == i).
  [[nodiscard]] double weight(uint32_t i, uint32_t j) const;
  // Cliff-Ord constants. adjust_n: n counts rows with neighbours (spdep default).
  [[nodiscard]] WeightsConstants constants(bool adjust_n = true) const;
  // Bytes held.
  [[nodiscard]] std::size_t bytes() const;

 private:
  struct StencilEntry {
    int32_t dc, dr;
    double w;
  };
  // One horizontal run of a binary stencil: columns dc_lo..dc_hi of row dr.
  struct Span {
    int32_t dr, lo, hi;
  };
  void finish();                               // cardinalities, row sums, total
  void lattice_from(const Grid& grid);         // copies the lattice lookup
  void build_spans();                          // binary stencils -> spans
  [[nodiscard]] const std::vector<StencilEntry>& stencil_for(uint32_t i) const {
    return m_stencil[m_hex && (((m_row0 + m_lr[i]) & 1) != 0) ? 1 : 0];
  }
  void set_identity();                         // m_identity from m_grid
  void lag_rows(std::span<const double> x, std::span<double> out, std::size_t begin, std::size_t end,
                const double* raster, const double* prefix) const;

  std::size_t m_n = 0;
  std::string m_description;
  bool m_binary = true;
  bool m_symmetric = true;  // w_ij != 0 <=> w_ji != 0 with the same base weight
  // CSR
  std::vector<uint64_t> m_offsets;   // size n + 1
  std::vector<uint32_t> m_nbr;
  std::vector<double> m_w;           // empty when binary
  // lattice
  bool m_lattice = false;
  bool m_hex = false;
  int32_t m_cols = 0, m_rows = 0, m_row0 = 0;
  std::vector<uint32_t> m_grid;      // lattice position -> cell or 0xFFFFFFFF
  bool m_identity = false;           // every position holds a cell and cell k sits at position k
  std::vector<int32_t> m_lc, m_lr;   // lattice position of each cell
  std::vector<StencilEntry> m_stencil[2];  // by absolute row parity (squares: [0] only)
  std::vector<Span> m_spans[2];            // binary stencils only
  // row scale (row standardisation); empty = 1
  std::vector<double> m_scale;
  // derived
  std::vector<uint32_t> m_card;
  std::vector<double> m_row_sum, m_row_sum_sq;
  uint64_t m_total = 0;
};

template <typename Fn>
void Weights::for_each_neighbour(uint32_t i, Fn&& fn) const {
  HOTSPOT_ASSERT(i < m_n);
  const double scale = m_scale.empty() ? 1.0 : m_scale[i];
  if (!m_lattice) {
    for (uint64_t k = m_offsets[i]; k < m_offsets[i + 1]; ++k)
      fn(m_nbr[k], (m_w.empty() ? 1.0 : m_w[k]) * scale);
    return;
  }
  const int32_t c = m_lc[i], r = m_lr[i];
  for (const StencilEntry& e : stencil_for(i)) {
    const int32_t cc = c + e.dc, rr = r + e.dr;
    if (cc < 0 || rr < 0 || cc >= m_cols || rr >= m_rows) continue;
    const uint32_t j = m_grid[static_cast<std::size_t>(rr) * static_cast<std::size_t>(m_cols) +
                              static_cast<std::size_t>(cc)];
    if (j != 0xFFFFFFFFu) fn(j, e.w * scale);
  }
}

}  // namespace hotspot::core
