#pragma once
// write_geotiff(): a single-band north-up raster (a KDE surface, a dual-KDE ratio)
// to a GeoTIFF in British National Grid, atomically (AtomicOutput): readers see the
// previous file until the new one is complete.
//
//   RasterData r{.x0_m = kde.x0, .y1_m = kde.y1, .cell_m = kde.cell_m,
//                .columns = kde.columns, .rows = kde.rows, .values = kde.values};
//   r.description = "burglary density, incidents per km2 (quartic, 500 m)";
//   write_geotiff("out/kde_burglary.tif", r);          // @throws IoError
//
// Layout: values[row * columns + column], row 0 the NORTH row (GeoTIFF order);
// pixel (c, r) covers [x0 + c cell, x0 + (c+1) cell] x [y1 - (r+1) cell, y1 - r cell].
// NaN values are written as the no-data value (-9999 by default; GDAL_NODATA tag).
// Float64 by default (the values are exact kernel sums; float32 on request halves
// the file). DEFLATE compression with the floating-point predictor, 256 x 256 tiles.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "core/geo/geometry.hpp"

namespace hotspot::layers {

struct RasterData {
  double x0_m = 0;  // west edge
  double y1_m = 0;  // north edge
  double cell_m = 1;
  int32_t columns = 0, rows = 0;
  std::span<const double> values;  // columns * rows, row 0 north
  int epsg = core::kWorkingEpsg;
  double nodata = -9999.0;
  bool float32 = false;
  std::string description;         // band description (units, kernel, radius)
};

// @throws IoError (cannot create/write, GDAL failure: names the file and the driver);
//         UsageError when values.size() != columns * rows or the size is not positive.
void write_geotiff(const std::filesystem::path& path, const RasterData& raster,
                   std::span<const std::filesystem::path> inputs = {});

}  // namespace hotspot::layers
