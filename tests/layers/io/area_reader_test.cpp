#include "layers/io/area_reader.hpp"

#include <gdal.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/geometry/algorithms/distance.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/error.hpp"

using hotspot::InputError;
using hotspot::IoError;
using hotspot::UsageError;
using hotspot::core::AreaSet;
using hotspot::core::Point;
using namespace hotspot::layers;
namespace fs = std::filesystem;

namespace {

const std::string kBoundaries = std::string(HOTSPOT_SOURCE_DIR) + "/data/ashfield/boundaries/";
const std::string kWards = kBoundaries + "ashfield_wards_2024.geojson";
const std::string kLsoas = kBoundaries + "ashfield_lsoa_2011.geojson";
const std::string kDistrict = kBoundaries + "ashfield_district_2022.geojson";
const std::string kPostcodes =
    std::string(HOTSPOT_SOURCE_DIR) + "/data/ashfield/postcodes/ashfield_area_postcodes.csv";

AreaReadResult read_wards() {
  return read_areas(kWards, {.code_field = "WD24CD", .name_field = "WD24NM"});
}

double total_area_m2(const AreaSet& set) {
  double sum = 0;
  for (const auto& a : set.areas()) sum += a.area_m2;
  return sum;
}

// The message of the exception `fn` throws as E; fails the test if it throws
// anything else or nothing.
template <typename E, typename Fn>
std::string message_of(Fn&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception: " << e.what();
    return {};
  }
  ADD_FAILURE() << "no exception";
  return {};
}

// A temporary file removed at the end of the test.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : m_path(fs::temp_directory_path() /
               ("hotspot_area_reader_" + std::to_string(::getpid()) + "_" + name)) {
    std::ofstream(m_path) << content;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(m_path, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] std::string path() const { return m_path.string(); }

 private:
  fs::path m_path;
};

// ogr2ogr through the GDAL API: writes `src` to `dst` with the given options.
void translate(const std::string& src, const std::string& dst, std::vector<std::string> args) {
  GDALAllRegister();
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
  ASSERT_NE(options, nullptr);
  GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  ASSERT_NE(in, nullptr) << src;
  int failed = 0;
  GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &in, options, &failed);
  EXPECT_EQ(failed, 0) << dst;
  if (out) GDALClose(out);
  GDALClose(in);
  GDALVectorTranslateOptionsFree(options);
}

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : m_path(fs::temp_directory_path() /
               ("hotspot_area_reader_" + std::to_string(::getpid()) + "_" + name)) {
    fs::remove_all(m_path);
    fs::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (m_path / name).string(); }

 private:
  fs::path m_path;
};

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

}  // namespace

// --- error paths first ------------------------------------------------------------

TEST(AreaReader, MissingFileThrowsIoErrorNamingIt) {
  const std::string path = "/nonexistent/wards.geojson";
  const std::string msg = message_of<IoError>([&] { (void)read_areas(path, {.code_field = "x"}); });
  EXPECT_EQ(msg, path + ": cannot open: No such file or directory");
}

TEST(AreaReader, FileGdalCannotReadThrowsIoErrorWithGdalsReason) {
  TempFile f("garbage.geojson", "this is not { json");
  const std::string msg =
      message_of<IoError>([&] { (void)read_areas(f.path(), {.code_field = "x"}); });
  EXPECT_EQ(msg.rfind(f.path() + ": cannot open: ", 0), 0u) << msg;
  EXPECT_GT(msg.size(), (f.path() + ": cannot open: ").size() + 5) << msg;
  std::printf("  %s\n", msg.c_str());
}

TEST(AreaReader, MissingCodeFieldListsAvailableFields) {
  const std::string msg =
      message_of<UsageError>([] { (void)read_areas(kWards, {.code_field = "WD23CD"}); });
  EXPECT_NE(msg.find("no field 'WD23CD'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("available fields: WD24CD, WD24NM"), std::string::npos) << msg;
}

TEST(AreaReader, MissingNameFieldNamesIt) {
  const std::string msg = message_of<UsageError>(
      [] { (void)read_areas(kWards, {.code_field = "WD24CD", .name_field = "NAME"}); });
  EXPECT_NE(msg.find("no field 'NAME' (the name field)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("WD24NM"), std::string::npos) << msg;
}

TEST(AreaReader, MissingLayerListsAvailableLayers) {
  const std::string msg = message_of<UsageError>(
      [] { (void)read_areas(kWards, {.layer = "wards", .code_field = "WD24CD"}); });
  EXPECT_NE(msg.find("no layer 'wards'; available layers: ashfield_wards_may2024_bgc"),
            std::string::npos)
      << msg;
}

TEST(AreaReader, PointLayerIsNotAPolygonLayer) {
  TempFile f("points.geojson", R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "a"},
     "geometry": {"type": "Point", "coordinates": [-1.2, 53.1]}}]})");
  const std::string msg =
      message_of<InputError>([&] { (void)read_areas(f.path(), {.code_field = "code"}); });
  EXPECT_NE(msg.find("Point geometries, not polygons"), std::string::npos) << msg;
}

TEST(AreaReader, LayerWithoutCrsIsRefusedUnlessOneIsAssumed) {
  // A CSV with WKT polygons has no CRS (unlike GeoJSON, which is WGS84 by default).
  TempFile f(
      "nocrs.csv",
      "code,WKT\n"
      "a,\"POLYGON ((450000 350000,451000 350000,451000 351000,450000 351000,450000 350000))\"\n");
  const std::string msg =
      message_of<UsageError>([&] { (void)read_areas(f.path(), {.code_field = "code"}); });
  EXPECT_NE(msg.find("has no coordinate reference system"), std::string::npos) << msg;

  const AreaReadResult r = read_areas(f.path(), {.code_field = "code", .assume_crs = "EPSG:27700"});
  ASSERT_EQ(r.areas.size(), 1u);
  EXPECT_NEAR(r.areas[0].area_m2, 1e6, 1e-6);
  EXPECT_EQ(r.areas.locate(450500, 350500), 0u);
}

TEST(AreaReader, CurvePolygonsAreLinearised) {
  // A circle of radius 100 m as a curve polygon (two half-circle arcs).
  TempFile f("curve.csv",
             "code,WKT\n"
             "disc,\"CURVEPOLYGON (CIRCULARSTRING (450000 350100,450100 350000,450000 349900,"
             "449900 350000,450000 350100))\"\n");
  const AreaReadResult r = read_areas(f.path(), {.code_field = "code", .assume_crs = "EPSG:27700"});
  ASSERT_EQ(r.areas.size(), 1u);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_NEAR(r.areas[0].area_m2, 31415.9, 100.0);
  EXPECT_EQ(r.areas.locate(450000, 350099), 0u);
  EXPECT_EQ(r.areas.locate(450071, 350071), AreaSet::kNone);  // just outside the arc
}

TEST(AreaReader, NullAndSelfIntersectingGeometriesAreReportedAndCounted) {
  // Feature 1: fine; 2: null geometry; 3: a bow-tie (self-intersecting);
  // 4: duplicate code; 5: a point in a mixed layer. BNG coordinates via a crs member.
  TempFile f("bad.geojson", R"({"type": "FeatureCollection",
    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
    "features": [
    {"type": "Feature", "properties": {"code": "ok", "name": "Square"},
     "geometry": {"type": "Polygon", "coordinates": [[[0,0],[10,0],[10,10],[0,10],[0,0]]]}},
    {"type": "Feature", "properties": {"code": "null", "name": "Nothing"}, "geometry": null},
    {"type": "Feature", "properties": {"code": "bowtie", "name": "Bow tie"},
     "geometry": {"type": "Polygon", "coordinates": [[[20,0],[30,10],[30,0],[20,10],[20,0]]]}},
    {"type": "Feature", "properties": {"code": "ok", "name": "Again"},
     "geometry": {"type": "Polygon", "coordinates": [[[40,0],[50,0],[50,10],[40,10],[40,0]]]}},
    {"type": "Feature", "properties": {"code": "pt", "name": "Point"},
     "geometry": {"type": "Point", "coordinates": [5, 5]}}
  ]})");
  const AreaReadResult r = read_areas(f.path(), {.code_field = "code", .name_field = "name"});
  EXPECT_EQ(r.features_read, 5u);
  EXPECT_EQ(r.skipped, 2u);
  ASSERT_EQ(r.areas.size(), 3u);
  EXPECT_EQ(r.features_read, r.areas.size() + r.skipped);
  for (const auto& w : r.warnings) std::printf("  %s\n", w.c_str());
  ASSERT_EQ(r.warnings.size(), 4u);
  const std::string prefix = f.path() + ":feature ";
  EXPECT_EQ(r.warnings[0], prefix + "2: warning: feature 'null' has no geometry; skipped");
  EXPECT_EQ(
      r.warnings[1].rfind(prefix + "3: warning: feature 'bowtie' has an invalid geometry (", 0), 0u)
      << r.warnings[1];
  EXPECT_NE(r.warnings[1].find("repaired with MakeValid"), std::string::npos) << r.warnings[1];
  EXPECT_EQ(r.warnings[2], prefix +
                               "4: warning: duplicate code 'ok' (first at feature 1); both kept, "
                               "lookups by code find the first");
  EXPECT_EQ(r.warnings[3], prefix + "5: warning: feature 'pt' is a Point, not a polygon; skipped");

  // The repaired bow-tie is two triangles of 25 m2 each, touching at (25, 5).
  EXPECT_EQ(r.areas[1].code, "bowtie");
  EXPECT_EQ(r.areas[1].geometry.size(), 2u);
  EXPECT_NEAR(r.areas[1].area_m2, 50.0, 1e-9);
  EXPECT_EQ(r.areas.locate(21, 5), 1u);
  EXPECT_EQ(r.areas.locate(25, 9), AreaSet::kNone);  // the empty wedge
  EXPECT_EQ(r.areas.grid_stats().slow_areas, 0u);    // repaired: the fast path
  EXPECT_EQ(r.areas.find_code("ok"), 0u);
  EXPECT_EQ(r.areas[2].name, "Again");
}

TEST(AreaReader, GeoJsonWithoutCrsMemberIsWgs84) {
  // RFC 7946: lon/lat. A 0.01 x 0.01 degree box around Kirkby-in-Ashfield.
  TempFile f("nocrs.geojson", R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "box"},
     "geometry": {"type": "Polygon", "coordinates":
       [[[-1.25, 53.09], [-1.24, 53.09], [-1.24, 53.10], [-1.25, 53.10], [-1.25, 53.09]]]}}]})");
  const AreaReadResult r = read_areas(f.path(), {.code_field = "code"});
  ASSERT_EQ(r.areas.size(), 1u);
  // About 670 m east-west by 1,110 m north-south.
  EXPECT_NEAR(r.areas[0].area_m2, 0.745e6, 0.01e6);
  const auto b = r.areas.bounds();
  EXPECT_NEAR(b.min_corner().x(), 450000, 2000);
  EXPECT_NEAR(b.min_corner().y(), 355000, 2000);
}

TEST(AreaReader, EmptyCodeFieldUsesFeatureIds) {
  TempFile f("fid.geojson", R"({"type": "FeatureCollection",
    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
    "features": [
    {"type": "Feature", "properties": {},
     "geometry": {"type": "Polygon", "coordinates": [[[0,0],[10,0],[10,10],[0,10],[0,0]]]}},
    {"type": "Feature", "properties": {},
     "geometry": {"type": "MultiPolygon", "coordinates": [[[[20,0],[30,0],[30,10],[20,0]]]]}}
  ]})");
  const AreaReadResult r = read_areas(f.path(), {});
  ASSERT_EQ(r.areas.size(), 2u);
  EXPECT_EQ(r.areas[0].code, "0");
  EXPECT_EQ(r.areas[1].code, "1");
  EXPECT_TRUE(r.warnings.empty());
}

TEST(AreaReader, GeoPackageLayerInBritishNationalGridIsReadByName) {
  TempDir dir("gpkg");
  const std::string gpkg = dir.file("areas.gpkg");
  translate(kWards, gpkg, {"-f", "GPKG", "-t_srs", "EPSG:27700", "-nln", "wards"});
  translate(kLsoas, gpkg, {"-update", "-t_srs", "EPSG:27700", "-nln", "lsoas"});

  const AreaReadResult wards =
      read_areas(gpkg, {.layer = "wards", .code_field = "WD24CD", .name_field = "WD24NM"});
  EXPECT_TRUE(wards.warnings.empty());
  ASSERT_EQ(wards.areas.size(), 23u);
  EXPECT_NEAR(total_area_m2(wards.areas) / total_area_m2(read_wards().areas), 1.0, 1e-6);
  EXPECT_EQ(wards.areas.locate(451439, 353560), *wards.areas.find_code("E05010674"));

  const AreaReadResult lsoas = read_areas(gpkg, {.layer = "lsoas", .code_field = "LSOA11CD"});
  EXPECT_EQ(lsoas.areas.size(), 74u);

  // No layer named: the first, with a warning that there are others.
  const AreaReadResult first = read_areas(gpkg, {.code_field = "WD24CD"});
  EXPECT_EQ(first.areas.size(), 23u);
  ASSERT_EQ(first.warnings.size(), 1u);
  EXPECT_EQ(first.warnings[0], gpkg +
                                   ": warning: 2 layers; reading the first, 'wards' (choose one "
                                   "by name; available: wards, lsoas)");

  const std::string msg = message_of<UsageError>(
      [&] { (void)read_areas(gpkg, {.layer = "beats", .code_field = "code"}); });
  EXPECT_EQ(msg, gpkg + ": no layer 'beats'; available layers: wards, lsoas");
}

TEST(AreaReader, ShapefileIsReadAndOneWithoutPrjIsRefused) {
  TempDir dir("shp");
  const std::string shp = dir.file("lsoas.shp");
  translate(kLsoas, shp, {"-f", "ESRI Shapefile"});
  const AreaReadResult r = read_areas(shp, {.code_field = "LSOA11CD", .name_field = "LSOA11NM"});
  ASSERT_EQ(r.areas.size(), 74u);
  EXPECT_NEAR(
      total_area_m2(r.areas) / total_area_m2(read_areas(kLsoas, {.code_field = "LSOA11CD"}).areas),
      1.0, 1e-6);

  fs::remove(dir.file("lsoas.prj"));
  const std::string msg =
      message_of<UsageError>([&] { (void)read_areas(shp, {.code_field = "LSOA11CD"}); });
  EXPECT_NE(msg.find(shp + ": layer 'lsoas' has no coordinate reference system"), std::string::npos)
      << msg;
  const AreaReadResult assumed =
      read_areas(shp, {.code_field = "LSOA11CD", .assume_crs = "EPSG:4326"});
  EXPECT_NEAR(total_area_m2(assumed.areas) / total_area_m2(r.areas), 1.0, 1e-9);
}

// --- the bundled Ashfield boundaries ------------------------------------------------

TEST(AreaReader, AshfieldWardsLoadWithCodesAndNames) {
  const AreaReadResult r = read_wards();
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  EXPECT_EQ(r.features_read, 23u);
  EXPECT_EQ(r.skipped, 0u);
  ASSERT_EQ(r.areas.size(), 23u);
  for (uint32_t i = 0; i < 23; ++i) {
    const std::string expected = "E050106" + std::to_string(73 + i);
    ASSERT_TRUE(r.areas.find_code(expected).has_value()) << expected;
    EXPECT_FALSE(r.areas[*r.areas.find_code(expected)].name.empty());
  }
  EXPECT_EQ(r.areas[*r.areas.find_code("E05010673")].name, "Abbey Hill");
  EXPECT_EQ(r.areas.grid_stats().slow_areas, 0u);
  // Metres in British National Grid: Ashfield lies around (450000, 355000).
  const auto b = r.areas.bounds();
  EXPECT_GT(b.min_corner().x(), 440000);
  EXPECT_LT(b.max_corner().x(), 462000);
  EXPECT_GT(b.min_corner().y(), 342000);
  EXPECT_LT(b.max_corner().y(), 366000);
}

TEST(AreaReader, AshfieldWardsAddUpToTheDistrict) {
  const AreaReadResult wards = read_wards();
  const AreaReadResult district = read_areas(kDistrict, {});
  ASSERT_EQ(district.areas.size(), 1u);
  const double w = total_area_m2(wards.areas), d = total_area_m2(district.areas);
  std::printf("  wards %.3f km2, district %.3f km2\n", w / 1e6, d / 1e6);
  EXPECT_NEAR(w / d, 1.0, 0.01);
  EXPECT_NEAR(d / 1e6, 109.5, 3.0);  // ONS: Ashfield is about 110 km2
}

TEST(AreaReader, AshfieldLsoasLoad) {
  const AreaReadResult r = read_areas(kLsoas, {.code_field = "LSOA11CD", .name_field = "LSOA11NM"});
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  EXPECT_EQ(r.areas.size(), 74u);
  EXPECT_EQ(r.skipped, 0u);
  for (const auto& a : r.areas.areas()) EXPECT_EQ(a.code.rfind("E01", 0), 0u) << a.code;
  const AreaReadResult district = read_areas(kDistrict, {});
  EXPECT_NEAR(total_area_m2(r.areas) / total_area_m2(district.areas), 1.0, 0.01);
}

// The reality check: Code-Point Open gives every Ashfield postcode its ward; the
// postcode centroids (EPSG:27700, 1 m) must fall in that ward's polygon, except
// where the generalised boundaries cut corners.
TEST(AreaReader, AshfieldPostcodesFallInTheirCodePointWard) {
  const AreaReadResult r = read_wards();
  std::ifstream in(kPostcodes);
  ASSERT_TRUE(in) << kPostcodes;
  std::string line;
  std::getline(in, line);
  const auto header = split_csv_line(line);
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  for (const char* c :
       {"postcode", "easting", "northing", "admin_district_code", "admin_ward_code"})
    ASSERT_TRUE(col.count(c)) << c;

  std::size_t total = 0, agree = 0;
  while (std::getline(in, line)) {
    const auto f = split_csv_line(line);
    if (f.size() < header.size() || f[col["admin_district_code"]] != "E07000170") continue;
    ++total;
    const double x = std::stod(f[col["easting"]]), y = std::stod(f[col["northing"]]);
    const std::string& expected = f[col["admin_ward_code"]];
    const uint32_t got = r.areas.locate(x, y);
    const std::string got_code = got == AreaSet::kNone ? "(none)" : r.areas[got].code;
    if (got_code == expected) {
      ++agree;
      continue;
    }
    const auto want = r.areas.find_code(expected);
    const double distance =
        want ? boost::geometry::distance(Point(x, y), r.areas[*want].geometry) : -1.0;
    std::printf("  %s at (%.0f, %.0f): Code-Point ward %s, located in %s, %.1f m from %s\n",
                f[col["postcode"]].c_str(), x, y, expected.c_str(), got_code.c_str(), distance,
                expected.c_str());
  }
  std::printf("  %zu of %zu Ashfield postcodes fall in their Code-Point ward\n", agree, total);
  EXPECT_EQ(total, 2740u);
  EXPECT_GE(agree, 2735u);
}
