// export_layers(): GeoJSON (RFC 7946) and GeoPackage round trips through GDAL, CSV
// tables, QGIS styles in layer_styles, atomic writes.

#include "layers/io/export.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/base/error.hpp"
#include "layers/io/feature_reader.hpp"
#include "tests/layers/io/export_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace hotspot::layers {
namespace {

using nlohmann::json;
using test::TempDir;

std::vector<test::WardRow> wards() {
  return {{"A", 40, 2, 38}, {"B", 12, 6, 6}, {"C", 3, 1, 2}, {"D", 25, 10, 15}};
}
std::vector<int64_t> cells() {
  std::vector<int64_t> c;
  for (int i = 0; i < 64; ++i) c.push_back((i * 7) % 13);
  return c;
}

// Signed area of a lon/lat ring (shoelace): > 0 counter-clockwise.
double signed_area(const json& ring) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  return a / 2;
}

// Largest number of decimals of any coordinate in the text (each "coordinates"
// array runs to the '}' closing its geometry; property values are not looked at).
int max_decimals(const std::string& text) {
  std::regex num(R"(-?\d+\.(\d+))");
  int best = 0;
  for (std::size_t at = text.find("\"coordinates\""); at != std::string::npos;
       at = text.find("\"coordinates\"", at + 1)) {
    const std::string coords = text.substr(at, text.find('}', at) - at);
    for (auto it = std::sregex_iterator(coords.begin(), coords.end(), num); it != std::sregex_iterator(); ++it)
      best = std::max(best, static_cast<int>((*it)[1].length()));
  }
  return best;
}

TEST(ExportLayers, GeoJsonIsRfc7946WithIdsTypedPropertiesAndCounterClockwiseRings) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  ExportOptions o;
  o.source = src;
  o.geojson_dir = dir / "geojson";
  const ExportReport r = export_layers(o);
  // every geometry layer, not the attribute table
  EXPECT_TRUE(std::filesystem::exists(dir / "geojson" / "wards_counts.geojson"));
  EXPECT_TRUE(std::filesystem::exists(dir / "geojson" / "incidents.geojson"));
  EXPECT_FALSE(std::filesystem::exists(dir / "geojson" / "monthly_counts.geojson"));
  EXPECT_EQ(r.written.size(), 4u);

  const std::string text = test::read_file(dir / "geojson" / "wards_counts.geojson");
  const json j = json::parse(text);
  EXPECT_FALSE(j.contains("crs"));  // RFC 7946: WGS84 implied
  ASSERT_EQ(j["features"].size(), 4u);
  const json& a = j["features"][0];
  EXPECT_EQ(a["id"], "A");
  EXPECT_TRUE(a["properties"]["total"].is_number_integer());
  EXPECT_EQ(a["properties"]["total"], 40);
  EXPECT_EQ(a["properties"]["code"], "A");
  EXPECT_TRUE(a["properties"]["area_km2"].is_number_float());
  const json& ring = a["geometry"]["coordinates"][0];
  EXPECT_GT(signed_area(ring), 0) << "exterior ring must be counter-clockwise (right-hand rule)";
  // lon/lat order near Sutton-in-Ashfield
  EXPECT_NEAR(ring[0][0].get<double>(), -1.27, 0.05);
  EXPECT_NEAR(ring[0][1].get<double>(), 53.1, 0.1);
  EXPECT_EQ(max_decimals(text), 6);
  // cells get their cell_id as the feature id, integers stay integers
  const json c = json::parse(test::read_file(dir / "geojson" / "cells.geojson"));
  EXPECT_EQ(c["features"][3]["id"], 1003);
  EXPECT_TRUE(c["features"][3]["properties"]["bin"].is_number_integer());
}

TEST(ExportLayers, GeoJsonReadsBackThroughGdalAtTheSamePlace) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  ExportOptions o;
  o.source = src;
  o.geojson_dir = dir / "geojson";
  export_layers(o);
  const FeatureSet back = read_features((dir / "geojson" / "wards_counts.geojson").string(), {});
  ASSERT_EQ(back.size(), 4u);
  EXPECT_EQ(back.fields[static_cast<std::size_t>(back.field_index("total"))].kind, FieldKind::integer);
  EXPECT_EQ(back.fields[static_cast<std::size_t>(back.field_index("total"))].number(3), 25);
  const core::Box b = back.feature_bbox(1);  // ward B: 451000..452000 x 355000..356000
  // 6 decimals of a degree is ~0.1 m; the WGS84 round trip (Helmert both ways) keeps it within 0.5 m
  EXPECT_NEAR(b.min_corner().x(), 451000, 0.5);
  EXPECT_NEAR(b.max_corner().x(), 452000, 0.5);
  EXPECT_NEAR(b.min_corner().y(), 355000, 0.5);
  EXPECT_NEAR(b.max_corner().y(), 356000, 0.5);
}

TEST(ExportLayers, CoordinatePrecisionIsSetPerExport) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  ExportOptions o;
  o.source = src;
  o.layers = {"wards_counts"};
  o.geojson_dir = dir / "geojson";
  o.precision = 3;
  export_layers(o);
  EXPECT_EQ(max_decimals(test::read_file(dir / "geojson" / "wards_counts.geojson")), 3);
}

TEST(ExportLayers, GeoPackageRoundTripKeepsEveryLayerAndValueInBng) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  ExportOptions o;
  o.source = src;
  o.gpkg = dir / "out" / "styled.gpkg";
  std::filesystem::create_directories(dir / "out");
  export_layers(o);
  const DatasetInfo info = describe_dataset(o.gpkg->string());
  std::vector<std::string> names;
  for (const auto& l : info.layers) names.push_back(l.name);
  for (const char* want : {"wards_counts", "cells", "emerging", "incidents", "monthly_counts"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  const FeatureSet c = read_features(o.gpkg->string(), {.layer = "cells"});
  ASSERT_EQ(c.size(), 64u);
  const auto& count = c.fields[static_cast<std::size_t>(c.field_index("count"))];
  for (std::size_t i = 0; i < 64; ++i) EXPECT_EQ(count.number(i), static_cast<double>((i * 7) % 13));
  EXPECT_DOUBLE_EQ(c.feature_bbox(17).min_corner().x(), 450250);  // exact: no reprojection
  EXPECT_DOUBLE_EQ(c.feature_bbox(17).min_corner().y(), 356250);
  const FeatureSet p = read_features(o.gpkg->string(), {.layer = "incidents"});
  EXPECT_DOUBLE_EQ(p.x_m[0], 451234);
}

TEST(ExportLayers, GeoPackageCarriesQgisStylesPerLayer) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  ExportOptions o;
  o.source = src;
  o.gpkg = dir / "styled.gpkg";
  export_layers(o);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(o.gpkg->c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::map<std::string, std::string> qml;
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT f_table_name, styleQML, useAsDefault FROM layer_styles", -1, &st, nullptr),
            SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    qml[reinterpret_cast<const char*>(sqlite3_column_text(st, 0))] = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    EXPECT_EQ(sqlite3_column_int(st, 2), 1);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  ASSERT_EQ(qml.size(), 4u);  // the geometry layers
  EXPECT_NE(qml["cells"].find("type=\"categorizedSymbol\" attr=\"bin\""), std::string::npos);
  EXPECT_NE(qml["cells"].find("214,47,39,255"), std::string::npos);  // 99 % hot: red
  EXPECT_NE(qml["cells"].find("69,117,181,255"), std::string::npos);  // 99 % cold: blue
  EXPECT_NE(qml["wards_counts"].find("type=\"graduatedSymbol\" attr=\"total\""), std::string::npos);
  EXPECT_NE(qml["emerging"].find("value=\"New Hot Spot\""), std::string::npos);
  EXPECT_NE(qml["incidents"].find("singleSymbol"), std::string::npos);
  // quantile breaks of the ward totals 3, 12, 25, 40
  EXPECT_NE(qml["wards_counts"].find("upper=\"40\""), std::string::npos);
  // layer_styles is not exported as a layer of its own on the next export
  ExportOptions again;
  again.source = *o.gpkg;
  again.tables_dir = dir / "tables";
  const ExportReport r = export_layers(again);
  for (const auto& l : r.layers) EXPECT_NE(l.layer, "layer_styles");
}

TEST(ExportLayers, CsvTablesAlongside) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  ExportOptions o;
  o.source = src;
  o.tables_dir = dir / "tables";
  export_layers(o);
  const std::string csv = test::read_file(dir / "tables" / "wards_counts.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "code,name,area_km2,total,burglary,anti_social_behaviour");
  EXPECT_NE(csv.find("\nA,Ward A,1,40,2,38\n"), std::string::npos) << csv;
  EXPECT_EQ(test::read_file(dir / "tables" / "monthly_counts.csv"), "month,total\n2023-05,12\n");
}

TEST(ExportLayers, PublicExportPublishesNoCountBelowK) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  ExportOptions o;
  o.source = src;
  o.geojson_dir = dir / "geojson";
  o.gpkg = dir / "public.gpkg";
  o.disclosure = {.public_release = true, .min_count = 5};
  const ExportReport r = export_layers(o);
  // the incident points are left out without a point precision
  bool incidents_skipped = false;
  for (const auto& l : r.layers)
    if (l.layer == "incidents") incidents_skipped = l.skipped;
  EXPECT_TRUE(incidents_skipped);
  EXPECT_FALSE(std::filesystem::exists(dir / "geojson" / "incidents.geojson"));
  // ward C (total 3) is published without numbers; no count anywhere below 5
  for (const std::string& layer : {std::string("wards_counts"), std::string("cells")}) {
    for (const std::string& path : {(dir / "public.gpkg").string(), (dir / "geojson" / (layer + ".geojson")).string()}) {
      const FeatureSet s = read_features(path, {.layer = path.ends_with(".gpkg") ? layer : ""});
      for (const auto& name : {"total", "count", "burglary", "anti_social_behaviour"}) {
        const int fi = s.field_index(name);
        if (fi < 0) continue;
        for (std::size_t f = 0; f < s.size(); ++f) {
          const double v = s.fields[static_cast<std::size_t>(fi)].number(f);
          if (!std::isnan(v)) {
            EXPECT_GE(v, 5) << path << " " << name << " feature " << f;
          }
        }
      }
    }
  }
  const FeatureSet w = read_features((dir / "public.gpkg").string(), {.layer = "wards_counts"});
  ASSERT_EQ(w.size(), 4u);
  const auto& total = w.fields[static_cast<std::size_t>(w.field_index("total"))];
  EXPECT_TRUE(std::isnan(total.number(2)));
  EXPECT_EQ(w.fields[static_cast<std::size_t>(w.field_index("suppressed"))].number(2), 1);
  EXPECT_EQ(w.fields[static_cast<std::size_t>(w.field_index("code"))].text(2), "C");
}

TEST(ExportLayers, PublicExportCannotOverwriteItsPrivateSource) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  ExportOptions o;
  o.source = src;
  o.gpkg = src;
  o.disclosure = {.public_release = true, .min_count = 5};
  EXPECT_THROW(export_layers(o), UsageError);
}

TEST(ExportLayers, FailedWriteLeavesThePreviousFilesIntact) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  const auto old = dir.write("geojson/wards_counts.geojson", "OLD");
  dir.write("geojson/cells.geojson/keep.txt", "a folder where the file must go: the rename fails");
  ExportOptions o;
  o.source = src;
  o.layers = {"cells", "wards_counts"};
  o.geojson_dir = dir / "geojson";
  EXPECT_THROW(export_layers(o), Error);
  EXPECT_EQ(test::read_file(old), "OLD");  // the previous output is untouched
  for (const auto& e : std::filesystem::directory_iterator(dir / "geojson"))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << "left behind: " << e.path();
}

TEST(ExportLayers, UnknownLayerIsAUsageErrorListingTheLayers) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, wards(), cells());
  ExportOptions o;
  o.source = src;
  o.layers = {"lsoas"};
  o.geojson_dir = dir / "geojson";
  try {
    export_layers(o);
    FAIL() << "no throw";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("no layer 'lsoas' (layers: "), std::string::npos) << e.what();
  }
}

TEST(ExportLayers, PublicDecimalsFollowThePointPrecision) {
  EXPECT_EQ(public_decimals_for(250), 3);
  EXPECT_EQ(public_decimals_for(1000), 3);
  EXPECT_EQ(public_decimals_for(2500), 2);
  EXPECT_EQ(public_decimals_for(10), 5);
}

}  // namespace
}  // namespace hotspot::layers
