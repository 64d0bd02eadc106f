#include "layers/io/raster_reader.hpp"

#include <gdal.h>
#include <gtest/gtest.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;

namespace {

// A w x h float GeoTIFF; value(c, r) = 10 * r + c; `nodata` at (0, 0) when set.
std::string make_tif(const std::filesystem::path& dir, const char* name, int epsg, double x0, double y_top, double cell,
                     int w, int h, bool with_nodata) {
  GDALAllRegister();
  const std::string path = (dir / name).string();
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path.c_str(), w, h, 1, GDT_Float32, nullptr);
  double gt[6] = {x0, cell, 0, y_top, 0, -cell};
  GDALSetGeoTransform(ds, gt);
  if (epsg > 0) {
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, epsg);
    GDALSetSpatialRef(ds, srs);
    OSRDestroySpatialReference(srs);
  }
  std::vector<float> v(static_cast<std::size_t>(w * h));
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) v[static_cast<std::size_t>(r * w + c)] = static_cast<float>(10 * r + c);
  GDALRasterBandH band = GDALGetRasterBand(ds, 1);
  if (with_nodata) {
    v[0] = -9999.0f;
    GDALSetRasterNoDataValue(band, -9999.0);
  }
  EXPECT_EQ(GDALRasterIO(band, GF_Write, 0, 0, w, h, v.data(), w, h, GDT_Float32, 0, 0), CE_None);
  GDALClose(ds);
  return path;
}

}  // namespace

TEST(RasterReader, ReadsABritishNationalGridRasterAsIs) {
  test::TempDir dir;
  const std::string path = make_tif(dir.path(), "kde.tif", 27700, 450000, 360000, 50, 8, 6, true);
  const RasterGrid g = read_raster(path, {});
  EXPECT_EQ(g.width, 8);
  EXPECT_EQ(g.height, 6);
  EXPECT_FALSE(g.warped);
  EXPECT_DOUBLE_EQ(g.origin_x_m, 450000);
  EXPECT_DOUBLE_EQ(g.origin_y_m, 360000);
  EXPECT_DOUBLE_EQ(g.cell_w_m, 50);
  EXPECT_DOUBLE_EQ(g.cell_h_m, 50);
  const core::Box b = g.bounds();
  EXPECT_DOUBLE_EQ(b.min_corner().y(), 360000 - 6 * 50);
  // Row 2, column 3 covers x 450150..450200, y 359850..359900.
  EXPECT_FLOAT_EQ(g.sample(450175, 359875), 23.0f);
  EXPECT_TRUE(std::isnan(g.sample(449999, 359875)));  // outside
  EXPECT_TRUE(std::isnan(g.values[0]));               // no data
  ASSERT_TRUE(g.nodata.has_value());
  const auto [lo, hi] = g.value_range();
  EXPECT_DOUBLE_EQ(lo, 1.0);
  EXPECT_DOUBLE_EQ(hi, 57.0);
}

TEST(RasterReader, WarpsARasterInAnotherCrsToBritishNationalGrid) {
  test::TempDir dir;
  const std::string path = make_tif(dir.path(), "wgs84.tif", 4326, -1.30, 53.12, 0.001, 40, 30, false);
  const RasterGrid g = read_raster(path, {});
  EXPECT_TRUE(g.warped);
  const core::Box b = g.bounds();
  EXPECT_GT(b.min_corner().x(), 440000);
  EXPECT_LT(b.max_corner().x(), 460000);
  EXPECT_GT(b.min_corner().y(), 350000);
  EXPECT_LT(b.max_corner().y(), 365000);
  const auto [lo, hi] = g.value_range();
  EXPECT_GE(lo, 0.0);
  EXPECT_LE(hi, 329.0);
}

TEST(RasterReader, ARasterWithoutACrsIsTakenAsBritishNationalGridWithAWarning) {
  test::TempDir dir;
  const std::string path = make_tif(dir.path(), "nocrs.tif", 0, 450000, 360000, 10, 4, 4, false);
  const RasterGrid g = read_raster(path, {});
  EXPECT_FALSE(g.warped);
  ASSERT_EQ(g.warnings.size(), 1u);
  EXPECT_NE(g.warnings[0].find("has no CRS; taken as EPSG:27700"), std::string::npos) << g.warnings[0];
}

TEST(RasterReader, AMissingBandIsAUsageError) {
  test::TempDir dir;
  const std::string path = make_tif(dir.path(), "one.tif", 27700, 450000, 360000, 10, 4, 4, false);
  try {
    read_raster(path, {.band = 2});
    ADD_FAILURE() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("no band 2 (the raster has 1)"), std::string::npos) << e.what();
  }
}

TEST(RasterReader, ARasterLargerThanTheLimitIsRefused) {
  test::TempDir dir;
  const std::string path = make_tif(dir.path(), "big.tif", 27700, 450000, 360000, 10, 20, 20, false);
  EXPECT_THROW(read_raster(path, {.max_cells = 100}), UsageError);
}

TEST(RasterReader, ANonRasterFileIsAnIoError) {
  EXPECT_THROW(read_raster((test::ashfield() / "study.toml").string(), {}), IoError);
}
