#pragma once
// read_raster(): one band of any GDAL raster (GeoTIFF from `hotspot stat kde`, ...)
// as a north-up grid of floats in British National Grid (EPSG:27700, metres), ready
// to be drawn as a texture or sampled at a point.
//
//   RasterGrid kde = read_raster("out/ashfield/kde_burglary.tif", {});
//   float d = kde.sample(451000, 358000);          // NaN outside or at no-data
//   auto [lo, hi] = kde.value_range();             // finite values only
//
// Layout: values[row * width + column], row 0 at the TOP (north), as GDAL stores
// it; cell (column, row) covers x in [origin_x_m + column * cell_w_m, + cell_w_m) and
// y in (origin_y_m - (row + 1) * cell_h_m, origin_y_m - row * cell_h_m]. No-data cells
// are NaN (the band's no-data value is also kept in `nodata`).
//
// A raster in another CRS, or rotated, is warped to EPSG:27700 on read (GDAL warped
// VRT, bilinear; the `warped` flag says so). A raster without a CRS is taken as
// EPSG:27700 unless RasterReadOptions::assume_crs says otherwise; a warning notes it.
//
// @throws IoError    the file cannot be opened or read as a raster.
// @throws UsageError the band does not exist; the raster is larger than max_cells.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/geo/geometry.hpp"

namespace hotspot::layers {

struct RasterGrid {
  std::string source;
  int band = 1;
  std::string description;  // the band's description, or the file name
  int width = 0, height = 0;
  double origin_x_m = 0, origin_y_m = 0;  // top-left corner
  double cell_w_m = 1, cell_h_m = 1;      // positive
  std::vector<float> values;              // width * height, row 0 at the top; NaN = no data
  std::optional<double> nodata;
  bool warped = false;
  std::vector<std::string> warnings;

  [[nodiscard]] core::Box bounds() const {
    return core::Box(core::Point(origin_x_m, origin_y_m - height * cell_h_m),
                     core::Point(origin_x_m + width * cell_w_m, origin_y_m));
  }
  // The value of the cell containing (x, y), NaN outside or at no data.
  [[nodiscard]] float sample(double x_m, double y_m) const {
    const double c = std::floor((x_m - origin_x_m) / cell_w_m);
    const double r = std::floor((origin_y_m - y_m) / cell_h_m);
    if (!(c >= 0 && r >= 0 && c < width && r < height)) return std::nanf("");
    return values[static_cast<std::size_t>(r) * static_cast<std::size_t>(width) +
                  static_cast<std::size_t>(c)];
  }
  // Smallest and largest finite values; (NaN, NaN) when there are none.
  [[nodiscard]] std::pair<double, double> value_range() const;
};

struct RasterReadOptions {
  int band = 1;                             // 1-based, as GDAL counts
  std::string assume_crs;                   // for a raster without a CRS; empty = EPSG:27700
  std::size_t max_cells = std::size_t{64} << 20;  // refuse larger rasters (memory: 4 bytes a cell)
};

// See the header comment.
RasterGrid read_raster(const std::string& path, const RasterReadOptions& options);

}  // namespace hotspot::layers
