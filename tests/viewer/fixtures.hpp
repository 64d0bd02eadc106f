#pragma once
// The geometry of the generated viewer fixtures (make_fixtures.cpp), shared with the
// tests that check where things are drawn. EPSG:27700 metres, inside Ashfield.

namespace hotspot::viewer::test {

inline constexpr double kGridX0 = 448000, kGridY0 = 354000, kCellM = 200;
inline constexpr int kGridN = 10;
inline constexpr int kHotCol = 6, kHotRow = 3;    // Gi* bin 3 (99% hot spot)
inline constexpr int kColdCol = 1, kColdRow = 8;  // Gi* bin -3 (99% cold spot)

inline constexpr double kKdeX0 = 448000, kKdeY0 = 354000, kKdeCellM = 20;
inline constexpr int kKdeN = 100;
inline constexpr double kKdePeakX = 449000, kKdePeakY = 355000;

// Centre of grid cell (col, row), row 0 at the south.
inline constexpr double cell_centre_x(int col) { return kGridX0 + (col + 0.5) * kCellM; }
inline constexpr double cell_centre_y(int row) { return kGridY0 + (row + 0.5) * kCellM; }

}  // namespace hotspot::viewer::test
