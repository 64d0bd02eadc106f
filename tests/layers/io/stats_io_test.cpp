// layers/io for the statistics: the GeoTIFF writer, the value reader, and the
// reference values that need GDAL to read (spdep on ward polygons, QGIS rasters).

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <numbers>

#include "core/base/error.hpp"
#include "core/stats/kde.hpp"
#include "core/stats/local_stats.hpp"
#include "core/stats/weights.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/raster_reader.hpp"
#include "layers/io/raster_writer.hpp"
#include "layers/io/value_reader.hpp"
#include "tests/core/stats/stats_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using hotspot::test::read_table;
using hotspot::test::stats_fixture;
using hotspot::test::TempDir;

TEST(RasterWriter, GeoTiffRoundTripsValuesGeoreferenceAndNoData) {
  TempDir d;
  const std::vector<double> v{1.5, 2.25, std::nan(""), 4, 5, 6.125};
  layers::RasterData r;
  r.x0_m = 450000;
  r.y1_m = 350000;
  r.cell_m = 50;
  r.columns = 3;
  r.rows = 2;
  r.values = v;
  r.description = "test";
  const auto path = d / "k.tif";
  layers::write_geotiff(path, r);
  const layers::RasterGrid g = layers::read_raster(path.string(), {});
  EXPECT_EQ(g.width, 3);
  EXPECT_EQ(g.height, 2);
  EXPECT_DOUBLE_EQ(g.origin_x_m, 450000);
  EXPECT_DOUBLE_EQ(g.origin_y_m, 350000);
  EXPECT_FLOAT_EQ(g.values[1], 2.25f);
  EXPECT_TRUE(std::isnan(g.values[2]));
  EXPECT_FLOAT_EQ(g.values[5], 6.125f);
  r.columns = 4;
  EXPECT_THROW(layers::write_geotiff(path, r), UsageError);
}

TEST(ValueReader, CsvNeedsEveryValueAndNamesTheLine) {
  TempDir d;
  const auto ok = d.write("v.csv", "id,x,y,count\na,1,2,3\nb,4,5,6\n");
  layers::ValueReadOptions o;
  o.value = "count";
  o.id = "id";
  const layers::ValueTable t = layers::read_values(ok.string(), o);
  EXPECT_EQ(t.ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.values, (std::vector<double>{3, 6}));
  const auto bad = d.write("bad.csv", "id,x,y,count\na,1,2,3\nb,4,5,lots\n");
  try {
    (void)layers::read_values(bad.string(), o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), bad.string() + ":3:4: error: value 'lots' is not a finite number");
  }
  o.value = "nope";
  EXPECT_THROW((void)layers::read_values(ok.string(), o), UsageError);
}

// spdep on polygons: poly2nb queen/rook, localmoran and moran.test on the 20
// Nottingham wards, and localG with 4 nearest centroids.
TEST(StatsReference, WardPolygonsAgreeWithSpdep) {
  const auto ref = read_table(stats_fixture("spdep_wards.csv"));
  layers::ValueReadOptions o;
  o.id = "ward_code";
  layers::ValueTable t = layers::read_values(stats_fixture("nottingham_wards_2022.gpkg"), o);
  ASSERT_TRUE(t.polygons);
  ASSERT_EQ(t.ids, ref.texts("ward_code"));
  t.values = ref.numbers("count");
  const auto q = core::Weights::polygon_contiguity(*t.polygons, core::Contiguity::queen);
  const auto r = core::Weights::polygon_contiguity(*t.polygons, core::Contiguity::rook);
  const auto cq = ref.numbers("card_queen"), cr = ref.numbers("card_rook");
  for (uint32_t i = 0; i < q.size(); ++i) {
    EXPECT_EQ(q.cardinality(i), cq[i]) << t.ids[i];
    EXPECT_EQ(r.cardinality(i), cr[i]) << t.ids[i];
  }
  const core::GiStar g = core::gistar(t.values, q).value();
  const core::LocalMoran m = core::local_moran(t.values, q.row_standardised()).value();
  const auto gq = ref.numbers("gistar_queen"), I = ref.numbers("I"), z = ref.numbers("z");
  for (uint32_t i = 0; i < q.size(); ++i) {
    EXPECT_NEAR(g.z[i], gq[i], 1e-9);
    EXPECT_NEAR(m.I[i], I[i], 1e-9);
    EXPECT_NEAR(m.z[i], z[i], 1e-9);
  }
  // Centroids agree with sf's to a millimetre; then the 4-NN Gi*.
  const auto cx = ref.numbers("centroid_x"), cy = ref.numbers("centroid_y");
  for (uint32_t i = 0; i < q.size(); ++i) EXPECT_NEAR(t.x_m[i], cx[i], 1e-3);
  const core::GiStar gk = core::gistar(t.values, core::Weights::knn(t.x_m, t.y_m, 4)).value();
  const auto gk_ref = ref.numbers("gistar_knn4");
  for (uint32_t i = 0; i < q.size(); ++i) EXPECT_NEAR(gk.z[i], gk_ref[i], 1e-9);
  const auto mr = read_table(stats_fixture("spdep_wards_moran.csv"));
  const core::GlobalMoran gm = core::global_moran(t.values, q.row_standardised()).value();
  EXPECT_NEAR(gm.I, mr.numbers("I")[0], 1e-12);
  EXPECT_NEAR(gm.z, mr.numbers("z")[0], 1e-9);
}

// QGIS 3.22 Heatmap (quartic, radius 500 m, 50 m pixels) on the same points. Our
// density times pi r^2 / 3 is QGIS's "Raw" value. Measured: the totals agree to
// 1e-6 (float32); single pixels differ by up to ~3% of the peak because QGIS places
// each kernel off the pixel centres vertically; "Scaled" is 7.25x ours (the
// 116-for-16 constant, qgis/QGIS#60616).
TEST(StatsReference, KdeAgainstQgisHeatmap) {
  const layers::RasterGrid raw = layers::read_raster(stats_fixture("qgis_heatmap_raw_r500_p50.tif"), {});
  const layers::RasterGrid scaled = layers::read_raster(stats_fixture("qgis_heatmap_scaled_r500_p50.tif"), {});
  layers::ValueReadOptions o;
  const layers::ValueTable pts = layers::read_values(stats_fixture("nottingham_burglary_points.csv"), o);
  core::KdeOptions k;
  k.radius_m = 500;
  k.cell_m = 50;
  k.unit = core::DensityUnit::per_m2;
  k.extent = core::Box(core::Point(raw.origin_x_m, raw.origin_y_m - raw.height * 50.0),
                       core::Point(raw.origin_x_m + raw.width * 50.0, raw.origin_y_m));
  const core::KdeRaster ours = core::kde(pts.x_m, pts.y_m, {}, k).value();
  ASSERT_EQ(ours.columns, raw.width);
  ASSERT_EQ(ours.rows, raw.height);
  const double to_raw = std::numbers::pi * 500 * 500 / 3;
  double sum_ours = 0, sum_qgis = 0, max_diff = 0, peak = 0;
  std::vector<double> ratio;
  for (std::size_t i = 0; i < ours.values.size(); ++i) {
    const double a = ours.values[i] * to_raw;
    const double q = std::isnan(raw.values[i]) ? 0.0 : static_cast<double>(raw.values[i]);  // QGIS writes 0 as no-data
    sum_ours += a;
    sum_qgis += q;
    max_diff = std::max(max_diff, std::fabs(a - q));
    peak = std::max(peak, a);
    if (ours.values[i] * 1e6 > 1 && !std::isnan(scaled.values[i])) ratio.push_back(static_cast<double>(scaled.values[i]) / ours.values[i]);
  }
  EXPECT_NEAR(sum_qgis / sum_ours, 1.0, 2e-6);
  EXPECT_LT(max_diff, 0.05 * peak);
  std::sort(ratio.begin(), ratio.end());
  EXPECT_NEAR(ratio[ratio.size() / 2], 7.25, 0.01);
}
