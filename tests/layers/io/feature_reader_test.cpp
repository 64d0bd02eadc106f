#include "layers/io/feature_reader.hpp"

#include <gtest/gtest.h>

#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#include <cmath>
#include <fstream>
#include <string>

#include "core/base/error.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/vector_writer.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;

namespace {

const std::string kWards = (test::ashfield() / "boundaries" / "ashfield_wards_2024.geojson").string();

template <typename E, typename Fn>
std::string message_of(Fn&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no exception of the expected type";
  return {};
}

}  // namespace

TEST(FeatureReader, ReadsEveryWardAsAPolygonInBritishNationalGrid) {
  const FeatureSet fs = read_features(kWards, {});
  ASSERT_EQ(fs.size(), 23u);
  EXPECT_EQ(fs.geometry, GeometryClass::polygon);
  const core::Box b = fs.bounds();
  // Ashfield lies around E 440-460 km, N 345-365 km (transformed from WGS84).
  EXPECT_GT(b.min_corner().x(), 440000);
  EXPECT_LT(b.max_corner().x(), 460000);
  EXPECT_GT(b.min_corner().y(), 344000);
  EXPECT_LT(b.max_corner().y(), 366000);
  EXPECT_TRUE(fs.warnings.empty());
}

TEST(FeatureReader, KeepsFieldsDictionaryEncoded) {
  const FeatureSet fs = read_features(kWards, {});
  const int code = fs.field_index("WD24CD"), name = fs.field_index("wd24nm");  // case-insensitive fallback
  ASSERT_GE(code, 0);
  ASSERT_GE(name, 0);
  const FieldColumn& c = fs.fields[static_cast<std::size_t>(code)];
  EXPECT_FALSE(c.is_numeric());
  EXPECT_EQ(c.codes.size(), fs.size());
  EXPECT_EQ(c.dictionary.size(), 23u);  // every ward code is distinct
  EXPECT_EQ(c.text(0).substr(0, 3), "E05");
  EXPECT_TRUE(std::isnan(c.number(0)));
}

TEST(FeatureReader, PolygonsMatchTheAreaReader) {
  const FeatureSet fs = read_features(kWards, {});
  const AreaReadResult areas = read_areas(kWards, {.code_field = "WD24CD"});
  ASSERT_EQ(areas.areas.size(), fs.size());
  for (std::size_t f = 0; f < fs.size(); ++f)
    EXPECT_NEAR(std::abs(boost::geometry::area(fs.polygons(f))), areas.areas.areas()[f].area_m2, 1.0) << "feature " << f;
}

TEST(FeatureReader, OffsetsDescribeFeaturesPartsRingsAndVertices) {
  const FeatureSet fs = read_features(kWards, {});
  ASSERT_EQ(fs.feature_offsets.size(), fs.size() + 1);
  EXPECT_EQ(fs.ring_offsets.back(), fs.x_m.size());
  EXPECT_EQ(fs.part_offsets.back() + 1, fs.ring_offsets.size());
  EXPECT_EQ(fs.feature_offsets.back() + 1, fs.part_offsets.size());
  for (std::size_t f = 0; f < fs.size(); ++f) EXPECT_LE(fs.feature_offsets[f], fs.feature_offsets[f + 1]);
}

TEST(FeatureReader, ReadsPointsNumbersAndNullsFromAGeoPackage) {
  test::TempDir dir;
  const auto path = dir.path() / "points.gpkg";
  {
    VectorWriter out(path);
    auto& l = out.add_layer({.name = "sites",
                             .geometry = GeometryKind::point,
                             .fields = {{"n", FieldType::integer}, {"score", FieldType::real}, {"label", FieldType::text}}});
    l.add({core::Point(451000, 358000), {std::int64_t{7}, 0.5, std::string("a")}});
    l.add({core::Point(452000, 359000), {std::monostate{}, std::monostate{}, std::monostate{}}});
    out.close();
  }
  const DatasetInfo info = describe_dataset(path.string());
  ASSERT_EQ(info.layers.size(), 1u);
  EXPECT_EQ(info.layers[0].name, "sites");
  EXPECT_EQ(info.layers[0].geometry, GeometryClass::point);
  EXPECT_EQ(info.layers[0].feature_count, 2);
  const FeatureSet fs = read_features(path.string(), {.layer = "sites"});
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(fs.geometry, GeometryClass::point);
  EXPECT_DOUBLE_EQ(fs.x_m[0], 451000);
  EXPECT_DOUBLE_EQ(fs.y_m[1], 359000);
  const FieldColumn& n = fs.fields[static_cast<std::size_t>(fs.field_index("n"))];
  EXPECT_EQ(n.kind, FieldKind::integer);
  EXPECT_EQ(n.text(0), "7");
  EXPECT_TRUE(n.is_null(1));
  const FieldColumn& label = fs.fields[static_cast<std::size_t>(fs.field_index("label"))];
  EXPECT_EQ(label.codes[1], FieldColumn::kNull);
  EXPECT_EQ(label.text(1), "");
}

TEST(FeatureReader, ANamedLayerThatDoesNotExistListsTheLayers) {
  const std::string msg = message_of<UsageError>([] { read_features(kWards, {.layer = "nope"}); });
  EXPECT_NE(msg.find("no layer 'nope'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("available layers:"), std::string::npos) << msg;
}

TEST(FeatureReader, AMissingFileIsAnIoError) {
  const std::string msg = message_of<IoError>([] { read_features("/nonexistent/x.gpkg", {}); });
  EXPECT_NE(msg.find("/nonexistent/x.gpkg: cannot open"), std::string::npos) << msg;
}

TEST(FeatureReader, AShapefileWithoutACrsIsRefusedUnlessOneIsAssumed) {
  test::TempDir dir;
  const auto shp = dir.path() / "cells.shp";
  {
    VectorWriter out(shp);
    auto& l = out.add_layer({.name = "cells", .geometry = GeometryKind::point, .fields = {{"v", FieldType::integer}}});
    l.add({core::Point(450000, 355000), {std::int64_t{1}}});
    out.close();
  }
  std::filesystem::remove(dir.path() / "cells.prj");
  const std::string msg = message_of<UsageError>([&] { read_features(shp.string(), {}); });
  EXPECT_NE(msg.find("has no coordinate reference system"), std::string::npos) << msg;
  const FeatureSet fs = read_features(shp.string(), {.assume_crs = "EPSG:27700"});
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_DOUBLE_EQ(fs.x_m[0], 450000);
}

// 64-bit cell ids (hotspot's Morton/H3-style cell_id) are beyond a double's 2^53:
// such a column is kept as text, every digit exact; small integers stay numbers.
TEST(FeatureReader, IntegersBeyondTwoToThe53AreKeptExactAsText) {
  hotspot::test::TempDir d;
  const auto path = d.write("cells.geojson", R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"cell_id": 12, "n": 1}, "geometry": {"type": "Point", "coordinates": [-1.2, 53.1]}},
    {"type": "Feature", "properties": {"cell_id": 576463168759400168, "n": 2}, "geometry": {"type": "Point", "coordinates": [-1.2, 53.1]}},
    {"type": "Feature", "properties": {"cell_id": null, "n": 3}, "geometry": {"type": "Point", "coordinates": [-1.2, 53.1]}}]})");
  const FeatureSet fs = read_features(path.string(), {});
  const int id = fs.field_index("cell_id"), n = fs.field_index("n");
  ASSERT_GE(id, 0);
  ASSERT_GE(n, 0);
  const FieldColumn& c = fs.fields[static_cast<std::size_t>(id)];
  EXPECT_EQ(c.kind, FieldKind::text);
  EXPECT_EQ(c.text(0), "12");
  EXPECT_EQ(c.text(1), "576463168759400168");
  EXPECT_TRUE(c.is_null(2));
  EXPECT_EQ(fs.fields[static_cast<std::size_t>(n)].kind, FieldKind::integer);
  EXPECT_DOUBLE_EQ(fs.fields[static_cast<std::size_t>(n)].number(2), 3);
}
