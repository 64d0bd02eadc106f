#include "layers/io/vector_writer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/correct.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/base/error.hpp"
#include "layers/io/detail/gdal.hpp"

using namespace hotspot;
using namespace hotspot::layers;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir = fs::temp_directory_path() / ("hotspot_vw_" + std::to_string(::getpid()) + "_" +
                                         info->test_suite_name() + "_" + info->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }
  [[nodiscard]] fs::path operator/(const std::string& name) const { return m_dir / name; }

 private:
  fs::path m_dir;
};

std::string sqlite_one(const fs::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  std::string out = "<error>";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK) {
    out = "<no row>";
    if (sqlite3_step(s) == SQLITE_ROW)
      out = sqlite3_column_type(s, 0) == SQLITE_NULL
                ? "NULL"
                : reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

detail::DatasetPtr open_gdal(const fs::path& path) {
  detail::ensure_gdal();
  detail::DatasetPtr ds(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr));
  if (!ds) throw std::runtime_error("GDAL cannot open " + path.string());
  return ds;
}

// A 100 m square with a 20 m square hole at (x, y), in core's convention (outer
// ring clockwise, hole counter-clockwise): area 10 000 - 400 = 9 600 m^2.
core::MultiPolygon square_with_hole(double x, double y) {
  core::Polygon p;
  p.outer() = {{x, y}, {x, y + 100}, {x + 100, y + 100}, {x + 100, y}, {x, y}};
  p.inners().push_back(
      {{x + 40, y + 40}, {x + 60, y + 40}, {x + 60, y + 60}, {x + 40, y + 60}, {x + 40, y + 40}});
  return core::MultiPolygon{p};
}

const std::vector<FieldSpec> kCellFields = {
    {"cell_id", FieldType::text}, {"count", FieldType::integer}, {"rate", FieldType::real}};

void write_cells(VectorWriter& out, const std::string& name = "cells") {
  auto& cells =
      out.add_layer({.name = name, .geometry = GeometryKind::multipolygon, .fields = kCellFields});
  FeatureValues f;
  f.geometry = square_with_hole(451000, 358000);
  f.values = {std::string("A1"), std::int64_t{12}, 0.25};
  cells.add(f);
  f.geometry = square_with_hole(451200, 358000);
  f.values = {std::string("A2"), std::monostate{}, std::numeric_limits<double>::quiet_NaN()};
  cells.add(f);
  EXPECT_EQ(cells.feature_count(), 2u);
}

}  // namespace

// [SECTION] formats -------------------------------------------------------------------

TEST(VectorWriter, PolygonWithHoleToGeoPackageReadsBackWithAreaAndAttributes) {
  TempDir dir;
  const auto path = dir / "grid.gpkg";
  {
    VectorWriter out(path);
    EXPECT_EQ(out.format(), VectorFormat::gpkg);
    write_cells(out);
    out.close();
    EXPECT_TRUE(out.warnings().empty()) << out.warnings().front();
  }
  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "cells");
  ASSERT_NE(layer, nullptr);
  ASSERT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 2);
  EXPECT_STREQ(OSRGetAuthorityCode(OGR_L_GetSpatialRef(layer), nullptr), "27700");
  EXPECT_EQ(wkbFlatten(OGR_L_GetGeomType(layer)), wkbMultiPolygon);
  detail::FeaturePtr a(OGR_L_GetFeature(layer, 1));
  detail::FeaturePtr b(OGR_L_GetFeature(layer, 2));
  ASSERT_TRUE(a && b);
  EXPECT_STREQ(OGR_F_GetFieldAsString(a.get(), 0), "A1");
  EXPECT_EQ(OGR_F_GetFieldAsInteger64(a.get(), 1), 12);
  EXPECT_EQ(OGR_F_GetFieldAsDouble(a.get(), 2), 0.25);
  EXPECT_STREQ(OGR_F_GetFieldAsString(b.get(), 0), "A2");
  EXPECT_TRUE(OGR_F_IsFieldNull(b.get(), 1));
  EXPECT_TRUE(OGR_F_IsFieldNull(b.get(), 2)) << "NaN is written as NULL";
  EXPECT_DOUBLE_EQ(OGR_G_Area(OGR_F_GetGeometryRef(a.get())), 9600.0);
  // The spatial index was built in bulk by close() and GDAL uses it.
  EXPECT_TRUE(OGR_L_TestCapability(layer, OLCFastSpatialFilter));
  OGR_L_SetSpatialFilterRect(layer, 451250, 358010, 451260, 358020);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 1);
  EXPECT_EQ(sqlite_one(path, "SELECT rtreecheck('rtree_cells_geom')"), "ok");
  EXPECT_EQ(sqlite_one(path, "PRAGMA integrity_check"), "ok");
}

TEST(VectorWriter, GeoJsonRfc7946IsLonLatWithSixDecimalsAndCounterClockwiseRings) {
  TempDir dir;
  const auto path = dir / "grid.geojson";
  {
    VectorWriter out(path);
    write_cells(out);
    out.close();
  }
  const std::string text = slurp(path);
  const auto json = nlohmann::json::parse(text);
  ASSERT_EQ(json["features"].size(), 2u);
  EXPECT_FALSE(json.contains("crs"));
  const auto& f0 = json["features"][0];
  EXPECT_EQ(f0["properties"]["cell_id"], "A1");
  EXPECT_EQ(f0["properties"]["count"], 12);
  EXPECT_TRUE(json["features"][1]["properties"]["rate"].is_null());
  // GDAL's RFC 7946 reprojection writes a one-part MultiPolygon as a Polygon.
  const auto& geometry = f0["geometry"];
  const auto& rings =
      geometry["type"] == "Polygon" ? geometry["coordinates"] : geometry["coordinates"][0];
  ASSERT_EQ(rings.size(), 2u) << "outer ring and hole";
  const auto signed_area = [](const nlohmann::json& ring) {
    double a = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
      a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
           ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    return a / 2;
  };
  EXPECT_GT(signed_area(rings[0]), 0) << "exterior ring counter-clockwise";
  EXPECT_LT(signed_area(rings[1]), 0) << "hole clockwise";
  for (const auto& pt : rings[0]) {  // near Hucknall, Nottinghamshire
    EXPECT_NEAR(pt[0].get<double>(), -1.2387, 0.002);
    EXPECT_NEAR(pt[1].get<double>(), 53.1172, 0.002);
  }
  // No coordinate has more than 6 decimals.
  const std::regex seven_decimals(R"(\d\.\d{7,})");
  EXPECT_FALSE(std::regex_search(text, seven_decimals));
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(-1\.\d{4,6}\b)")));

  // GDAL reads it back: area in square degrees, same shape.
  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayer(ds.get(), 0);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 2);
}

TEST(VectorWriter, GeoJsonWithoutRfc7946KeepsGridCoordinates) {
  TempDir dir;
  const auto path = dir / "grid.json";
  {
    VectorWriter out(path, {.geojson_precision = 2, .geojson_rfc7946 = false});
    write_cells(out);
    out.close();
  }
  const auto json = nlohmann::json::parse(slurp(path));
  EXPECT_EQ(json["crs"]["properties"]["name"], "urn:ogc:def:crs:EPSG::27700");
  const auto& first = json["features"][0]["geometry"]["coordinates"][0][0][0];
  EXPECT_EQ(first[0].get<double>(), 451000.0);
  EXPECT_EQ(first[1].get<double>(), 358000.0);
  auto ds = open_gdal(path);
  detail::FeaturePtr f(OGR_L_GetNextFeature(GDALDatasetGetLayer(ds.get(), 0)));
  EXPECT_DOUBLE_EQ(OGR_G_Area(OGR_F_GetGeometryRef(f.get())), 9600.0);
}

TEST(VectorWriter, AttributeTableToGeoPackageAndCsv) {
  TempDir dir;
  for (const char* name : {"wards.gpkg", "wards.csv"}) {
    const auto path = dir / name;
    {
      VectorWriter out(path);
      auto& t = out.add_layer({.name = "ward_counts",
                               .fields = {{"ward", FieldType::text},
                                          {"incidents", FieldType::integer},
                                          {"rate_per_1000", FieldType::real}}});
      t.add({.values = {std::string("Hucknall North"), std::int64_t{42}, 3.5}});
      t.add({.values = {std::string("Kirkby, \"Central\""), std::int64_t{7}, std::monostate{}}});
      out.close();
    }
    auto ds = open_gdal(path);
    OGRLayerH layer = GDALDatasetGetLayer(ds.get(), 0);
    ASSERT_NE(layer, nullptr) << name;
    EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 2) << name;
    OGR_L_ResetReading(layer);
    detail::FeaturePtr f(OGR_L_GetNextFeature(layer));
    EXPECT_STREQ(OGR_F_GetFieldAsString(f.get(), 0), "Hucknall North") << name;
    EXPECT_EQ(OGR_F_GetFieldAsInteger64(f.get(), 1), 42) << name;
    EXPECT_EQ(OGR_F_GetFieldAsDouble(f.get(), 2), 3.5) << name;
    f.reset(OGR_L_GetNextFeature(layer));
    EXPECT_STREQ(OGR_F_GetFieldAsString(f.get(), 0), "Kirkby, \"Central\"") << name;
  }
  EXPECT_EQ(slurp(dir / "wards.csv"),
            "ward,incidents,rate_per_1000\n"
            "Hucknall North,42,3.5\n"
            "\"Kirkby, \"\"Central\"\"\",7,\n");
  EXPECT_EQ(sqlite_one(dir / "wards.gpkg", "SELECT data_type FROM gpkg_contents"), "attributes");
}

TEST(VectorWriter, TwoLayersInOneGeoPackageAndReplacingOneOnReopen) {
  TempDir dir;
  const auto path = dir / "study.gpkg";
  {
    VectorWriter out(path);
    write_cells(out, "cells");
    auto& lines = out.add_layer({.name = "routes",
                                 .geometry = GeometryKind::multilinestring,
                                 .fields = {{"name", FieldType::text}}});
    core::MultiLineString ml{core::LineString{{0, 0}, {30, 40}}, core::LineString{{0, 0}, {0, 5}}};
    lines.add({.geometry = ml, .values = {std::string("r1")}});
    auto& pts = out.add_layer({.name = "targets", .geometry = GeometryKind::point});
    pts.add({.geometry = core::Point(451050, 358050)});
    pts.add({});  // no geometry
    out.close();
  }
  {
    auto ds = open_gdal(path);
    ASSERT_EQ(GDALDatasetGetLayerCount(ds.get()), 3);
    OGRLayerH routes = GDALDatasetGetLayerByName(ds.get(), "routes");
    detail::FeaturePtr r(OGR_L_GetNextFeature(routes));
    EXPECT_DOUBLE_EQ(OGR_G_Length(OGR_F_GetGeometryRef(r.get())), 55.0);
    OGRLayerH targets = GDALDatasetGetLayerByName(ds.get(), "targets");
    EXPECT_EQ(OGR_L_GetFeatureCount(targets, TRUE), 2);
    EXPECT_EQ(sqlite_one(path, "SELECT count(*) FROM rtree_targets_geom"), "1");
  }
  {
    VectorWriter out(path);  // reopen: replace "CELLS", keep the others
    auto& cells = out.add_layer(
        {.name = "CELLS", .geometry = GeometryKind::multipolygon, .fields = kCellFields});
    cells.add(
        {.geometry = square_with_hole(0, 0), .values = {std::string("B1"), std::int64_t{1}, 1.0}});
    out.close();
  }
  auto ds = open_gdal(path);
  EXPECT_EQ(GDALDatasetGetLayerCount(ds.get()), 3);
  OGRLayerH cells = GDALDatasetGetLayerByName(ds.get(), "CELLS");
  ASSERT_NE(cells, nullptr);
  EXPECT_EQ(OGR_L_GetFeatureCount(cells, TRUE), 1);
  for (const char* rtree : {"rtree_CELLS_geom", "rtree_routes_geom", "rtree_targets_geom"})
    EXPECT_EQ(sqlite_one(path, std::string("SELECT rtreecheck('") + rtree + "')"), "ok") << rtree;
  EXPECT_EQ(sqlite_one(path, "PRAGMA integrity_check"), "ok");
}

TEST(VectorWriter, ShapefileRoundTripsPolygonsWithUtf8Text) {
  TempDir dir;
  const auto path = dir / "cells.shp";
  {
    VectorWriter out(path);
    auto& l = out.add_layer({.name = "cells",
                             .geometry = GeometryKind::multipolygon,
                             .fields = {{"name", FieldType::text}}});
    l.add({.geometry = square_with_hole(451000, 358000), .values = {std::string("Café")}});
    out.close();
  }
  EXPECT_TRUE(fs::exists(dir / "cells.dbf"));
  EXPECT_TRUE(fs::exists(dir / "cells.prj"));
  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayer(ds.get(), 0);
  detail::FeaturePtr f(OGR_L_GetNextFeature(layer));
  ASSERT_TRUE(f);
  EXPECT_STREQ(OGR_F_GetFieldAsString(f.get(), 0), "Café");
  EXPECT_DOUBLE_EQ(OGR_G_Area(OGR_F_GetGeometryRef(f.get())), 9600.0);
}

TEST(VectorWriter, ShapefileLimitsAreReportedAsWarnings) {
  TempDir dir;
  const std::string where = (dir / "t.shp").string() + ": layer 't': ";
  VectorWriter out(dir / "t.shp");
  auto& l = out.add_layer(
      {.name = "t",
       .geometry = GeometryKind::point,
       .fields = {{"incidents_per_1000", FieldType::real}, {"note", FieldType::text}}});
  ASSERT_EQ(out.warnings().size(), 1u);
  EXPECT_EQ(out.warnings()[0], where +
                                   "Normalized/laundered field name: 'incidents_per_1000' "
                                   "to 'incidents_'");
  for (int i = 0; i < 8; ++i)
    l.add({.geometry = core::Point(i, i), .values = {1.5, std::string(300, 'x')}});
  out.close();
  ASSERT_EQ(out.warnings().size(), 2u);  // GDAL warns once per layer about truncation
  EXPECT_EQ(out.warnings()[1].rfind(where + "feature 1: Value 'xxx", 0), 0u) << out.warnings()[1];
  EXPECT_NE(out.warnings()[1].find("truncated to 254 characters"), std::string::npos);
}

TEST(VectorWriter, SpatialIndexOfManyPolygonsMatchesBruteForce) {
  TempDir dir;
  const auto path = dir / "many.gpkg";
  std::vector<std::pair<double, double>> origins;
  std::mt19937_64 rng(21);
  std::uniform_real_distribution<double> u(0, 50'000);
  {
    VectorWriter out(path);
    auto& l = out.add_layer({.name = "cells", .geometry = GeometryKind::multipolygon});
    FeatureValues f;
    for (int i = 0; i < 5'000; ++i) {
      origins.emplace_back(u(rng), u(rng));
      f.geometry = square_with_hole(origins.back().first, origins.back().second);
      l.add(f);
    }
    out.close();
  }
  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "cells");
  for (int q = 0; q < 20; ++q) {
    const double x0 = u(rng), y0 = u(rng), x1 = x0 + 3000, y1 = y0 + 2000;
    std::set<GIntBig> expected, got;
    for (std::size_t i = 0; i < origins.size(); ++i) {
      const auto [ox, oy] = origins[i];
      if (ox <= x1 && ox + 100 >= x0 && oy <= y1 && oy + 100 >= y0)
        expected.insert(static_cast<GIntBig>(i + 1));
    }
    OGR_L_SetSpatialFilterRect(layer, x0, y0, x1, y1);
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
      got.insert(OGR_F_GetFID(f));
      OGR_F_Destroy(f);
    }
    EXPECT_EQ(got, expected) << "rectangle " << q;
  }
  EXPECT_EQ(sqlite_one(path, "SELECT rtreecheck('rtree_cells_geom')"), "ok");
}

TEST(VectorWriter, DestructorClosesTheFile) {
  TempDir dir;
  const auto path = dir / "auto.geojson";
  {
    VectorWriter out(path);
    write_cells(out);
  }
  EXPECT_EQ(nlohmann::json::parse(slurp(path))["features"].size(), 2u);
}

TEST(VectorWriter, ReplacesAnExistingSingleLayerFile) {
  TempDir dir;
  const auto path = dir / "t.csv";
  std::ofstream(path) << "old,content\n1,2\n";
  {
    VectorWriter out(path);
    out.add_layer({.name = "t", .fields = {{"a", FieldType::integer}, {"b", FieldType::text}}})
        .add({.values = {std::int64_t{5}, std::string("007")}});
    out.close();
  }
  EXPECT_EQ(slurp(path), "a,b\n5,007\n");
}

// [SECTION] misuse and errors -----------------------------------------------------------

TEST(VectorWriter, UnknownExtensionIsAUsageError) {
  TempDir dir;
  try {
    VectorWriter out(dir / "grid.xlsx");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "grid.xlsx").string() +
                                         ": unknown output format '.xlsx' (use .gpkg, "
                                         ".geojson, .json, .csv or .shp)");
  }
  EXPECT_EQ(vector_format_for("A.GPKG"), VectorFormat::gpkg);
  EXPECT_EQ(vector_format_for("a.json"), VectorFormat::geojson);
  EXPECT_EQ(vector_format_for("a"), std::nullopt);
}

TEST(VectorWriter, CsvRefusesGeometryAndSingleLayerFormatsRefuseASecondLayer) {
  TempDir dir;
  {
    VectorWriter out(dir / "grid.csv");
    try {
      out.add_layer({.name = "cells", .geometry = GeometryKind::multipolygon});
      FAIL();
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()),
                (dir / "grid.csv").string() +
                    ": layer 'cells': a CSV file holds attribute tables only, and this layer "
                    "has polygon geometry (use .gpkg, .geojson or .shp)");
    }
  }
  VectorWriter out(dir / "grid.geojson");
  out.add_layer({.name = "a", .geometry = GeometryKind::point});
  EXPECT_THROW(out.add_layer({.name = "b", .geometry = GeometryKind::point}), UsageError);
}

TEST(VectorWriter, ALayerWrittenTwiceOrABadFieldIsAUsageError) {
  TempDir dir;
  VectorWriter out(dir / "x.gpkg");
  out.add_layer({.name = "a"});
  EXPECT_THROW(out.add_layer({.name = "A"}), UsageError);
  EXPECT_THROW(out.add_layer({.name = "b", .fields = {{"fid", FieldType::integer}}}), UsageError);
  EXPECT_THROW(out.add_layer({.name = "c", .geometry = GeometryKind::point, .epsg = 1}),
               UsageError);
}

TEST(VectorWriter, AnUnwritableFolderIsAnIoError) {
  EXPECT_THROW(VectorWriter("/nonexistent-dir/x.geojson"), IoError);
  EXPECT_THROW(VectorWriter("/nonexistent-dir/x.gpkg"), IoError);
}

TEST(VectorWriterDeathTest, AWrongOrNonFiniteGeometryIsAProgrammingError) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TempDir dir;
  const auto path = dir / "x.gpkg";
  EXPECT_DEATH(
      {
        VectorWriter out(path);
        out.add_layer({.name = "a", .geometry = GeometryKind::point})
            .add({.geometry = square_with_hole(0, 0)});
      },
      "does not match the layer's GeometryKind");
  EXPECT_DEATH(
      {
        VectorWriter out(path);
        out.add_layer({.name = "b", .geometry = GeometryKind::point})
            .add({.geometry = core::Point(std::numeric_limits<double>::quiet_NaN(), 0)});
      },
      "geometry coordinates must be finite");
}
