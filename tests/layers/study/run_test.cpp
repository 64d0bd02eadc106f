#include "layers/study/run.hpp"

#include <gtest/gtest.h>

#include <gdal.h>
#include <ogr_api.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/geo/crs.hpp"
#include "layers/study/study.hpp"
#include "layers/study/synth_study.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
using hotspot::test::TempDir;
using nlohmann::json;

namespace {

// The bundled study with its synthetic incidents generated into `dir`.
Study ashfield_in(const std::filesystem::path& dir) {
  Study s = load_study(test::ashfield() / "study.toml");
  s.synth->out = dir / "incidents";
  s.inputs[0].paths = {(dir / "incidents" / "*-street.csv").string()};
  synthesize_study(s, 0);
  return s;
}

struct Gpkg {
  explicit Gpkg(const std::filesystem::path& p) {
    GDALAllRegister();
    ds = GDALOpenEx(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  }
  ~Gpkg() {
    if (ds) GDALClose(ds);
  }
  int64_t count(const char* layer) const {
    OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
    return l ? OGR_L_GetFeatureCount(l, 1) : -1;
  }
  int64_t sql_int(const std::string& sql) const {
    OGRLayerH l = GDALDatasetExecuteSQL(ds, sql.c_str(), nullptr, nullptr);
    if (!l) return -1;
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    const int64_t v = f ? OGR_F_GetFieldAsInteger64(f, 0) : -1;
    if (f) OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, l);
    return v;
  }
  GDALDatasetH ds = nullptr;
};

}  // namespace

TEST(RunStudy, AshfieldEndToEndAccountsForEveryIncident) {
  TempDir d;
  const Study s = ashfield_in(d.path());
  RunOptions o;
  o.out = d / "out";
  const RunResult r = run_study(s, o);
  EXPECT_TRUE(r.counts.balanced());
  EXPECT_GT(r.counts.read, 45000u);
  EXPECT_EQ(r.counts.rejected, 0u);  // synthetic data is clean and inside the district

  for (const char* f : {"study.gpkg", "report.md", "summary.json", "rejects.csv", "tables/monthly_counts.csv",
                        "tables/wards_counts.csv", "tables/lsoas_counts.csv", "tables/published_area_counts.csv",
                        "geojson/wards_counts.geojson", "geojson/lsoas_counts.geojson"})
    EXPECT_TRUE(std::filesystem::exists(d / ("out/" + std::string(f)))) << f;
  for (const auto& e : std::filesystem::directory_iterator(d / "out"))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();

  const Gpkg g(d / "out" / "study.gpkg");
  ASSERT_NE(g.ds, nullptr);
  EXPECT_EQ(g.count("incidents"), static_cast<int64_t>(r.counts.accepted));
  EXPECT_EQ(g.count("wards_counts"), 23);
  EXPECT_EQ(g.count("lsoas_counts"), 74);
  EXPECT_EQ(g.count("monthly_counts"), 36);
  // Every incident lies in exactly one ward and one LSOA (the study area is the district).
  EXPECT_EQ(g.sql_int("SELECT SUM(total) FROM wards_counts"), static_cast<int64_t>(r.counts.accepted));
  EXPECT_EQ(g.sql_int("SELECT SUM(total) FROM lsoas_counts"), static_cast<int64_t>(r.counts.accepted));
  EXPECT_EQ(g.sql_int("SELECT SUM(total) FROM monthly_counts"), static_cast<int64_t>(r.counts.accepted));
  EXPECT_EQ(g.sql_int("SELECT SUM(burglary) FROM wards_counts"),
            g.sql_int("SELECT COUNT(*) FROM incidents WHERE category = 'Burglary'"));

  const json summary = json::parse(test::read_file(d / "out" / "summary.json"));
  EXPECT_EQ(summary["counts"]["read"].get<uint64_t>(), r.counts.read);
  EXPECT_EQ(summary["areas"]["wards"]["outside"].get<uint64_t>(), 0u);
  EXPECT_GT(summary["published_area_codes"]["agreement"].get<double>(), 0.99);
  const std::string report = test::read_file(d / "out" / "report.md");
  EXPECT_NE(report.find("## Data quality"), std::string::npos);
  EXPECT_NE(report.find("## wards: the ten areas with most incidents"), std::string::npos);
}

TEST(RunStudy, PlantedEffectCountsSurviveThePoliceUkRoundTrip) {
  // synth -> police.uk CSV (lon/lat, 6 decimals) -> ingest -> GeoPackage: the counts in
  // each planted target/ring match truth.json (up to points moved across a circle by
  // the ~0.1 m rounding of published coordinates).
  TempDir d;
  const Study s = ashfield_in(d.path());
  RunOptions o;
  o.out = d / "out";
  run_study(s, o);
  const json truth = json::parse(test::read_file(d / "incidents" / "truth.json"));
  const Gpkg g(d / "out" / "study.gpkg");
  for (const auto& e : truth["effects"]) {
    std::string cats;
    for (const auto& c : e["categories"]) cats += (cats.empty() ? "'" : ",'") + c.get<std::string>() + "'";
    const double x = e["x"], y = e["y"], r = e["radius_m"], ring = e["ring_m"];
    const std::string from = e["from"];
    auto count = [&](double r0, double r1, bool after) {
      char sql[1024];
      std::snprintf(sql, sizeof sql,
                    "SELECT COUNT(*) FROM incidents WHERE category IN (%s) AND month %s '%s' AND "
                    "((ST_X(geom)-%f)*(ST_X(geom)-%f)+(ST_Y(geom)-%f)*(ST_Y(geom)-%f)) > %f AND "
                    "((ST_X(geom)-%f)*(ST_X(geom)-%f)+(ST_Y(geom)-%f)*(ST_Y(geom)-%f)) <= %f",
                    cats.c_str(), after ? ">=" : "<", from.c_str(), x, x, y, y, r0 * r0, x, x, y, y, r1 * r1);
      return static_cast<double>(g.sql_int(sql));
    };
    EXPECT_NEAR(count(-1, r, false), e["target"]["before"].get<double>(), 1) << e["name"];
    EXPECT_NEAR(count(-1, r, true), e["target"]["after"].get<double>(), 1) << e["name"];
    EXPECT_NEAR(count(r, r + ring, false), e["ring"]["before"].get<double>(), 1) << e["name"];
    EXPECT_NEAR(count(r, r + ring, true), e["ring"]["after"].get<double>(), 1) << e["name"];
  }
}

TEST(RunStudy, RerunReplacesOutputsAndLeavesNoTemporaries) {
  TempDir d;
  const Study s = ashfield_in(d.path());
  RunOptions o;
  o.out = d / "out";
  run_study(s, o);
  const auto first = test::read_file(d / "out" / "tables" / "wards_counts.csv");
  run_study(s, o);
  EXPECT_EQ(test::read_file(d / "out" / "tables" / "wards_counts.csv"), first);
  std::size_t tmp = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(d / "out"))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) ++tmp;
  EXPECT_EQ(tmp, 0u);
}

TEST(RunStudy, MissingInputsExplainHowToGenerateThem) {
  TempDir d;
  Study s = load_study(test::ashfield() / "study.toml");
  s.inputs[0].paths = {(d.path() / "nothing" / "*-street.csv").string()};
  RunOptions o;
  o.out = d / "out";
  try {
    run_study(s, o);
    FAIL();
  } catch (const UsageError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("no files match"), std::string::npos) << m;
    EXPECT_NE(m.find("hotspot synth --study"), std::string::npos) << m;
  }
}
