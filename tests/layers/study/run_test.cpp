#include "layers/study/run.hpp"

#include <gtest/gtest.h>

#include <gdal.h>
#include <ogr_api.h>

#include <cmath>
#include <fstream>
#include <sstream>
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

// Only the ingest and counts stages (the tests of those stages stay fast).
Study counts_only(Study s) {
  s.grid.reset();
  s.stats.reset();
  s.spacetime.reset();
  s.rank.reset();
  s.evaluate.reset();
  ExportSpec e;
  e.maps = false;
  s.exports = e;
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
  const Study s = counts_only(ashfield_in(d.path()));
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
  const Study s = counts_only(ashfield_in(d.path()));
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

// [SECTION] issue 7: every stage, the tasking pack and the cache

namespace {

// The grid_cells.csv row of the cell containing (x, y): its bin and category.
std::pair<int, std::string> cell_at(const std::filesystem::path& csv, double x, double y, double cell_m) {
  std::ifstream f(csv);
  std::string line;
  std::getline(f, line);  // header: id,x,y,count,z,p,p_fdr,significant_fdr,bin,category,trend_z,trend_p
  while (std::getline(f, line)) {
    std::vector<std::string> v;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) v.push_back(c);
    if (v.size() < 10) continue;
    if (std::abs(std::stod(v[1]) - x) <= cell_m / 2 && std::abs(std::stod(v[2]) - y) <= cell_m / 2)
      return {std::stoi(v[8]), v[9]};
  }
  return {-99, ""};
}

}  // namespace

TEST(RunStudy, AshfieldTaskingPackRunsEveryStage) {
  TempDir d;
  const Study s = ashfield_in(d.path());
  RunOptions o;
  o.out = d / "out";
  std::vector<std::string> steps;
  o.on_step = [&](std::size_t k, std::size_t n, const std::string& name) {
    EXPECT_LE(k, n);  // k == n: the report, the bar at 100%
    steps.push_back(name);
  };
  const RunResult r = run_study(s, o);
  EXPECT_EQ(steps, (std::vector<std::string>{"boundaries", "ingest", "counts", "hotspots", "kde", "emerging", "evaluate",
                                              "rank", "write", "maps", "report"}));
  const json j = r.summary;
  // Hot spots: 200 m cells over the district, 450 m band; the planted burglary and
  // town-centre ASB clusters are 99% hot spots.
  EXPECT_EQ(j["hotspots"]["cell_m"].get<double>(), 200);
  EXPECT_EQ(j["hotspots"]["band_m"].get<double>(), 450);
  EXPECT_GT(j["hotspots"]["hot_cells"].get<int>(), 20);
  EXPECT_EQ(cell_at(d / "out/tables/grid_cells.csv", 449700, 359000, 200).first, 3);
  EXPECT_EQ(cell_at(d / "out/tables/grid_cells.csv", 450480, 356070, 200).first, 3);
  // Emerging: around the Huthwaite ASB hotspot planted from April 2024 (in a town
  // that is a hot spot throughout), the cells are hot spots and some intensify.
  int intensifying = 0, cold = 0;
  for (double dx : {-200.0, 0.0, 200.0})
    for (double dy : {-200.0, 0.0, 200.0}) {
      const std::string c = cell_at(d / "out/tables/grid_cells.csv", 447093 + dx, 359024 + dy, 200).second;
      if (c == "Intensifying Hot Spot") ++intensifying;
      if (c.find("Cold") != std::string::npos) ++cold;
    }
  EXPECT_GE(intensifying, 1);
  EXPECT_EQ(cold, 0);
  EXPECT_GT(j["kde"]["max"].get<double>(), 100.0);  // incidents per km2 at the densest pixel
  // Ranking: the 23 wards, the top ten listed with their reasons.
  EXPECT_EQ(j["ranking"]["wards"]["units"].get<int>(), 23);
  EXPECT_EQ(j["ranking"]["wards"]["top"].size(), 10u);
  EXPECT_EQ(j["ranking"]["wards"]["top"][0]["rank"].get<int>(), 1);
  EXPECT_FALSE(j["ranking"]["wards"]["top"][0]["reasons"].get<std::string>().empty());
  EXPECT_EQ(j["evaluation"]["interventions"].get<int>() > 0, true);
  // Files.
  for (const char* f : {"report.md", "report.html", "maps/hotspots.png", "maps/density.png", "maps/emerging.png",
                        "maps/targets_wards.png", "maps/targets_cells.png", "kde.tif", "geojson/hotspots.geojson",
                        "geojson/emerging.geojson", "geojson/targets_wards.geojson", "tables/rank_wards.csv",
                        "tables/rank_cells.csv", "tables/grid_cells.csv", "evaluation.json"})
    EXPECT_TRUE(std::filesystem::exists(d / "out" / f)) << f;
  const Gpkg g(d / "out" / "study.gpkg");
  EXPECT_EQ(g.count("targets_wards"), 23);
  EXPECT_EQ(g.count("targets_cells"), 10);
  EXPECT_EQ(g.count("grid_cells"), j["hotspots"]["cells"].get<int64_t>());
  EXPECT_EQ(g.sql_int("SELECT SUM(count) FROM grid_cells"), static_cast<int64_t>(r.counts.accepted));
  // The GeoJSON of hot spots holds the significant cells only.
  {
    GDALDatasetH gj = GDALOpenEx((d / "out/geojson/hotspots.geojson").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    ASSERT_NE(gj, nullptr);
    OGRLayerH l = GDALDatasetGetLayer(gj, 0);
    EXPECT_EQ(OGR_L_GetFeatureCount(l, 1), j["hotspots"]["hot_cells"].get<int64_t>() + j["hotspots"]["cold_cells"].get<int64_t>());
    GDALClose(gj);
  }
  // The report: the sections a tasking meeting reads, with the maps.
  const std::string md = test::read_file(d / "out" / "report.md");
  for (const char* want : {"**Period covered:** 2022-04 to 2025-03", "## Key points", "## Data quality",
                           "Geocoding: no input is located by address", "## Target wards: the top 10 of 23",
                           "## Target cells: the top 10 of", "![Hot spots (Gi*)](maps/hotspots.png)",
                           "![Incident density (KDE)](maps/density.png)", "![Emerging hot spots](maps/emerging.png)",
                           "## Emerging hot spots", "## Interventions: before and after"})
    EXPECT_NE(md.find(want), std::string::npos) << want;
  const std::string html = test::read_file(d / "out" / "report.html");
  EXPECT_NE(html.find("<img src=\"maps/hotspots.png\""), std::string::npos);
  EXPECT_EQ(j["cache"]["reused"].size(), 0u);
}

TEST(RunStudy, RerunReusesTheCacheUntilAnInputOrSettingChanges) {
  TempDir d;
  Study s = ashfield_in(d.path());
  s.evaluate.reset();
  s.exports->maps = false;
  RunOptions o;
  o.out = d / "out";
  const RunResult first = run_study(s, o);
  const std::string cells = test::read_file(d / "out" / "tables" / "grid_cells.csv");
  EXPECT_EQ(first.summary["cache"]["computed"], json({"ingest", "hotspots", "kde", "emerging"}));
  // Unchanged: every cached stage reused, the same outputs.
  const RunResult second = run_study(s, o);
  EXPECT_EQ(second.summary["cache"]["reused"], json({"ingest", "hotspots", "kde", "emerging"}));
  EXPECT_EQ(second.summary["cache"]["computed"], json::array());
  EXPECT_EQ(test::read_file(d / "out" / "tables" / "grid_cells.csv"), cells);
  EXPECT_EQ(second.counts.accepted, first.counts.accepted);
  EXPECT_EQ(second.summary["hotspots"], first.summary["hotspots"]);
  // A setting of [stats] changes: ingest reused, hot spots and what depends on them recomputed.
  s.stats->band_m = 600;
  const RunResult third = run_study(s, o);
  EXPECT_EQ(third.summary["cache"]["reused"], json({"ingest", "kde"}));
  EXPECT_EQ(third.summary["cache"]["computed"], json({"hotspots", "emerging"}));
  // An input file changes: everything recomputed.
  const auto one = std::filesystem::directory_iterator(d / "incidents")->path();
  std::filesystem::last_write_time(one, std::filesystem::last_write_time(one) + std::chrono::seconds(5));
  const RunResult fourth = run_study(s, o);
  EXPECT_EQ(fourth.summary["cache"]["reused"], json::array());
  // Without the cache.
  o.use_cache = false;
  EXPECT_EQ(run_study(s, o).summary["cache"]["reused"], json::array());
}

TEST(RunStudy, PublicGeoJsonHasNoPublishedCountBelowK) {
  TempDir d;
  Study s = counts_only(ashfield_in(d.path()));
  s.exports->public_release = true;
  s.exports->min_count = 5;
  s.exports->geojson = {"lsoas_counts"};
  RunOptions o;
  o.out = d / "out";
  const RunResult r = run_study(s, o);
  GDALDatasetH gj = GDALOpenEx((d / "out/geojson/lsoas_counts.geojson").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  ASSERT_NE(gj, nullptr);
  OGRLayerH l = GDALDatasetGetLayer(gj, 0);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
  int features = 0, nulled = 0, published = 0;
  OGR_L_ResetReading(l);
  while (OGRFeatureH f = OGR_L_GetNextFeature(l)) {
    ++features;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) {
      if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i)) != OFTInteger &&
          OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i)) != OFTInteger64)
        continue;
      const std::string name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
      if (name == "id" || name == "suppressed" || name == "merged") continue;
      if (!OGR_F_IsFieldSetAndNotNull(f, i)) {
        ++nulled;
        continue;
      }
      ++published;
      EXPECT_GE(OGR_F_GetFieldAsInteger64(f, i), 5) << name;
    }
    OGR_F_Destroy(f);
  }
  GDALClose(gj);
  EXPECT_EQ(features, 74);
  EXPECT_GT(nulled, 0);      // small category counts were suppressed
  EXPECT_GT(published, 74);  // totals and the larger categories stay
  // The private GeoPackage keeps everything.
  const Gpkg g(d / "out" / "study.gpkg");
  EXPECT_EQ(g.sql_int("SELECT SUM(total) FROM lsoas_counts"), static_cast<int64_t>(r.counts.accepted));
  const json j = r.summary;
  EXPECT_TRUE(j["export"]["public"].get<bool>());
  EXPECT_GT(j["export"]["layers"][0]["disclosure"]["suppressed_values"].get<int>(), 0);
}

TEST(RunStudy, AddressInputsAreGeocodedAndTheHitRateReported) {
  TempDir d;
  d.write("asb.csv",
          "Date,Type,Address,Postcode\n"
          "2023-05-01,Anti-social behaviour,1 High Street,NG15 0AA\n"
          "2023-05-02,Anti-social behaviour,2 High Street,NG15 0AB\n"
          "2023-06-03,Criminal damage and arson,Flat 3,NG15 0AA\n"
          "2023-06-04,Anti-social behaviour,Nowhere Lane,ZZ99 9ZZ\n");
  d.write("study.toml", "[study]\nname = \"geocoding\"\n[[inputs]]\nname = \"council ASB\"\nformat = \"csv\"\n"
                        "paths = \"asb.csv\"\ndate = \"Date\"\ncategory = \"Type\"\naddress = [\"Address\"]\n"
                        "postcode = \"Postcode\"\n[geocode]\npostcodes = \"" +
                            (test::ashfield() / "postcodes" / "ashfield_area_postcodes.csv").string() + "\"\n");
  const Study s = load_study(d / "study.toml");
  RunOptions o;
  o.out = d / "out";
  const RunResult r = run_study(s, o);
  EXPECT_EQ(r.counts.read, 4u);
  EXPECT_EQ(r.counts.accepted, 3u);
  EXPECT_EQ(r.counts.rejected, 1u);
  const json g = r.summary["geocoding"];
  EXPECT_EQ(g["address_rows"].get<int>(), 4);
  EXPECT_EQ(g["geocoded"].get<int>(), 3);
  EXPECT_EQ(g["not_geocoded"].get<int>(), 1);
  EXPECT_DOUBLE_EQ(g["hit_rate"].get<double>(), 0.75);
  const std::string md = test::read_file(d / "out" / "report.md");
  EXPECT_NE(md.find("Geocoding hit rate: 3 of 4 address rows placed (75.0%)."), std::string::npos);
  EXPECT_NE(test::read_file(d / "out" / "rejects.csv").find("not_geocoded"), std::string::npos);
}
