#include "layers/io/raster_reader.hpp"

#include <gdal_alg.h>
#include <gdalwarper.h>
#include <cpl_conv.h>

#include <filesystem>
#include <limits>

#include "core/base/error.hpp"
#include "layers/io/detail/gdal.hpp"

namespace hotspot::layers {

std::pair<double, double> RasterGrid::value_range() const {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const float v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, static_cast<double>(v));
    hi = std::max(hi, static_cast<double>(v));
  }
  if (lo > hi) return {std::nan(""), std::nan("")};
  return {lo, hi};
}

namespace {

std::string wkt_of(OGRSpatialReferenceH srs) {
  char* wkt = nullptr;
  OSRExportToWkt(srs, &wkt);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

}  // namespace

RasterGrid read_raster(const std::string& path, const RasterReadOptions& options) {
  detail::ensure_gdal();
  detail::CplErrorCapture errors;
  detail::check_local_source(path);  // nothing is read from the network
  detail::DatasetPtr ds(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                                   nullptr, nullptr, nullptr));
  if (!ds) {
    std::string reason = errors.message_or("not a raster GDAL can read");
    if (reason.rfind(path + ": ", 0) == 0) reason.erase(0, path.size() + 2);
    throw IoError(path + ": cannot open: " + reason);
  }
  RasterGrid grid;
  grid.source = path;
  grid.band = options.band;
  const int bands = GDALGetRasterCount(ds.get());
  if (options.band < 1 || options.band > bands)
    throw UsageError(path + ": no band " + std::to_string(options.band) + " (the raster has " +
                     std::to_string(bands) + ")");

  // The source CRS, and whether the raster must be warped to EPSG:27700.
  detail::SrsPtr target = detail::make_srs_epsg(core::kWorkingEpsg);
  detail::SrsPtr source;
  if (OGRSpatialReferenceH srs = GDALGetSpatialRef(ds.get())) {
    source.reset(OSRClone(srs));
    OSRSetAxisMappingStrategy(source.get(), OAMS_TRADITIONAL_GIS_ORDER);
  } else {
    source = options.assume_crs.empty() ? detail::make_srs_epsg(core::kWorkingEpsg)
                                        : detail::make_srs(options.assume_crs);
    grid.warnings.push_back(path + ": warning: the raster has no CRS; taken as " +
                            (options.assume_crs.empty() ? std::string("EPSG:27700")
                                                        : options.assume_crs));
  }
  double gt[6] = {0, 1, 0, 0, 0, -1};
  const bool has_gt = GDALGetGeoTransform(ds.get(), gt) == CE_None;
  if (!has_gt) grid.warnings.push_back(path + ": warning: the raster has no georeferencing");
  const bool north_up = gt[2] == 0.0 && gt[4] == 0.0 && gt[1] > 0.0 && gt[5] < 0.0;

  detail::DatasetPtr warped;
  GDALDatasetH read_from = ds.get();
  if (has_gt && (!OSRIsSame(source.get(), target.get()) || !north_up)) {
    const std::string src_wkt = wkt_of(source.get()), dst_wkt = wkt_of(target.get());
    warped.reset(GDALAutoCreateWarpedVRT(ds.get(), src_wkt.c_str(), dst_wkt.c_str(), GRA_Bilinear,
                                         0.125, nullptr));
    if (!warped)
      throw IoError(path + ": cannot warp the raster to EPSG:27700: " +
                    errors.message_or("GDAL could not create a warped VRT"));
    read_from = warped.get();
    grid.warped = true;
    GDALGetGeoTransform(read_from, gt);
  }
  grid.width = GDALGetRasterXSize(read_from);
  grid.height = GDALGetRasterYSize(read_from);
  const auto cells = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
  if (cells > options.max_cells)
    throw UsageError(path + ": the raster has " + std::to_string(cells) +
                     " cells, more than the limit of " + std::to_string(options.max_cells));
  grid.origin_x_m = gt[0];
  grid.origin_y_m = gt[3];
  grid.cell_w_m = gt[1];
  grid.cell_h_m = -gt[5];

  GDALRasterBandH band = GDALGetRasterBand(read_from, options.band);
  int has_nodata = 0;
  const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
  if (has_nodata) grid.nodata = nodata;
  if (const char* d = GDALGetDescription(band); d != nullptr && *d != '\0')
    grid.description = d;
  else
    grid.description = std::filesystem::path(path).stem().string();

  grid.values.resize(cells);
  if (cells > 0 && GDALRasterIO(band, GF_Read, 0, 0, grid.width, grid.height, grid.values.data(),
                                grid.width, grid.height, GDT_Float32, 0, 0) != CE_None)
    throw IoError(path + ": cannot read band " + std::to_string(options.band) + ": " +
                  errors.message_or("GDAL read failed"));
  if (has_nodata) {
    const auto nd = static_cast<float>(nodata);
    for (float& v : grid.values)
      if (v == nd || (std::isnan(nd) && std::isnan(v))) v = std::numeric_limits<float>::quiet_NaN();
  }
  return grid;
}

}  // namespace hotspot::layers
