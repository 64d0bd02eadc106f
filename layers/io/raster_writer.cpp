#include "layers/io/raster_writer.hpp"

#include <gdal.h>
#include <cpl_string.h>

#include <cmath>
#include <vector>

#include "core/base/error.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/detail/gdal.hpp"

namespace hotspot::layers {

void write_geotiff(const std::filesystem::path& path, const RasterData& r,
                   std::span<const std::filesystem::path> inputs) {
  if (r.columns <= 0 || r.rows <= 0 ||
      r.values.size() != static_cast<std::size_t>(r.columns) * static_cast<std::size_t>(r.rows))
    throw UsageError(path.string() + ": raster size " + std::to_string(r.columns) + " x " + std::to_string(r.rows) +
                     " does not match its " + std::to_string(r.values.size()) + " values");
  detail::ensure_gdal();
  detail::CplErrorCapture errors;
  CPLErrorReset();
  GDALDriverH driver = GDALGetDriverByName("GTiff");
  if (!driver) throw IoError(path.string() + ": GDAL has no GTiff driver");
  AtomicOutput out(path, inputs);
  char** options = nullptr;
  options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
  options = CSLSetNameValue(options, "PREDICTOR", "3");
  options = CSLSetNameValue(options, "TILED", "YES");
  options = CSLSetNameValue(options, "BIGTIFF", "IF_SAFER");
  const GDALDataType type = r.float32 ? GDT_Float32 : GDT_Float64;
  detail::DatasetPtr ds(GDALCreate(driver, out.temp_path().c_str(), r.columns, r.rows, 1, type, options));
  CSLDestroy(options);
  if (!ds) throw IoError(path.string() + ": GTiff: " + errors.message_or("cannot create the file"));
  double gt[6] = {r.x0_m, r.cell_m, 0.0, r.y1_m, 0.0, -r.cell_m};
  if (GDALSetGeoTransform(ds.get(), gt) != CE_None)
    throw IoError(path.string() + ": GTiff: " + errors.message_or("cannot set the geotransform"));
  detail::SrsPtr srs = detail::make_srs_epsg(r.epsg);
  if (GDALSetSpatialRef(ds.get(), srs.get()) != CE_None)
    throw IoError(path.string() + ": GTiff: " + errors.message_or("cannot set the CRS"));
  GDALRasterBandH band = GDALGetRasterBand(ds.get(), 1);
  GDALSetRasterNoDataValue(band, r.nodata);
  if (!r.description.empty()) GDALSetDescription(band, r.description.c_str());
  // Row by row, NaN -> nodata.
  std::vector<double> row(static_cast<std::size_t>(r.columns));
  for (int32_t y = 0; y < r.rows; ++y) {
    for (int32_t x = 0; x < r.columns; ++x) {
      const double v = r.values[static_cast<std::size_t>(y) * static_cast<std::size_t>(r.columns) +
                                static_cast<std::size_t>(x)];
      row[static_cast<std::size_t>(x)] = std::isnan(v) ? r.nodata : v;
    }
    if (GDALRasterIO(band, GF_Write, 0, y, r.columns, 1, row.data(), r.columns, 1, GDT_Float64, 0, 0) != CE_None)
      throw IoError(path.string() + ": GTiff: " + errors.message_or("cannot write row " + std::to_string(y)));
  }
  GDALFlushCache(ds.get());
  if (CPLGetLastErrorType() == CE_Failure)
    throw IoError(path.string() + ": GTiff: " + errors.message_or("cannot write the file"));
  ds.reset();  // close before the rename
  out.commit();
}

}  // namespace hotspot::layers
