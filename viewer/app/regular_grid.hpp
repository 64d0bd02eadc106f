#pragma once
// RegularGrid: recognises a polygon layer that is a regular grid of axis-aligned,
// equal rectangles (the square grids `hotspot grid` and the Gi* stages write), so the
// renderer can draw it as ONE texture (a texel per cell) instead of two triangles per
// cell: 250,000 cells cost one textured quad, and cell outlines are drawn by the
// fragment shader. Exact: every cell keeps its own colour. Hexagonal or irregular
// layers are not grids and are triangulated as usual.
//
//   if (auto g = detect_regular_grid(features)) {
//     int f = g->feature_of_cell[row * g->cols + col];   // -1: no feature there
//   }
// Rows count from the SOUTH (row 0 at y0).

#include <cstdint>
#include <optional>
#include <vector>

#include "layers/io/feature_reader.hpp"

namespace hotspot::viewer {

struct RegularGrid {
  double x0_m = 0, y0_m = 0;          // south-west corner of cell (0, 0)
  double cell_w_m = 0, cell_h_m = 0;
  int cols = 0, rows = 0;
  std::vector<int32_t> feature_of_cell;  // cols * rows, row-major from the south; -1 = empty
};

// nullopt unless every feature is one axis-aligned rectangle of the same size on one
// lattice, at most one per lattice cell, and the lattice has at most max_cells cells
// (a sparse grid over a large extent would waste texture memory). Needs >= 4 features.
std::optional<RegularGrid> detect_regular_grid(const layers::FeatureSet& features,
                                               std::size_t max_cells = std::size_t{16} << 20);

}  // namespace hotspot::viewer
