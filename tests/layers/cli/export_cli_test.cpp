// `hotspot export` as scripts see it: GeoJSON/GeoPackage/CSV from a GeoPackage,
// public exports with disclosure control, and the exit codes of bad usage.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/layers/io/export_fixture.hpp"
#include "tests/support/cli.hpp"
#include "tests/support/temp_dir.hpp"

using hotspot::test::CliResult;
using hotspot::test::TempDir;
using nlohmann::json;

namespace {

// `hotspot export ARGS`, through the shared helper.
hotspot::test::CliResult export_cli(const std::string& args, const TempDir& dir) {
  return hotspot::test::run_cli("export " + args, dir);
}

std::string fixture(const TempDir& dir) {
  const auto src = dir / "study.gpkg";
  hotspot::test::write_export_fixture(src, {{"A", 40, 2, 38}, {"B", 12, 6, 6}, {"C", 3, 1, 2}, {"D", 25, 10, 15}},
                                      {0, 1, 7, 9, 12, 3});
  return src.string();
}

TEST(ExportCli, WritesGeoJsonGeoPackageAndTables) {
  TempDir dir;
  const std::string src = fixture(dir);
  const CliResult r = export_cli(src + " --geojson " + (dir / "gj").string() + " --gpkg " + (dir / "out.gpkg").string() +
                                  " --tables " + (dir / "tables").string() + " --json",
                              dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["public"], false);
  ASSERT_EQ(j["layers"].size(), 5u);
  EXPECT_EQ(j["layers"][0]["layer"], "wards_counts");
  EXPECT_EQ(j["layers"][0]["features"], 4);
  EXPECT_EQ(j["outputs"].size(), 4u + 5u + 1u);  // 4 GeoJSON, 5 CSV, 1 GeoPackage
  const json wards = json::parse(hotspot::test::read_file(dir / "gj" / "wards_counts.geojson"));
  EXPECT_EQ(wards["features"][2]["properties"]["total"], 3);  // private: everything kept
}

TEST(ExportCli, PublicExportSuppressesBelowK) {
  TempDir dir;
  const std::string src = fixture(dir);
  const CliResult r = export_cli(src + " --geojson " + (dir / "gj").string() + " --public --min-count 5 --json", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["min_count"], 5);
  EXPECT_EQ(j["layers"][0]["suppressed_features"], 1);  // ward C
  EXPECT_EQ(j["layers"][1]["suppressed_features"], 3);  // cells 0, 1, 3
  EXPECT_EQ(j["layers"][3]["skipped"], true);           // incidents: no point precision
  const json wards = json::parse(hotspot::test::read_file(dir / "gj" / "wards_counts.geojson"));
  EXPECT_TRUE(wards["features"][2]["properties"]["total"].is_null());
  EXPECT_EQ(wards["features"][2]["properties"]["suppressed"], 1);
  EXPECT_NE(r.err.find("wards_counts: 4 features, 1 suppressed below k"), std::string::npos) << r.err;
}

TEST(ExportCli, DisclosureOptionsNeedPublic) {
  TempDir dir;
  const CliResult r = export_cli(fixture(dir) + " --geojson " + (dir / "gj").string() + " --min-count 5", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("apply to public exports: add --public"), std::string::npos) << r.err;
}

TEST(ExportCli, PasswordInPostgisConnectionIsRefusedWithoutEchoingIt) {
  TempDir dir;
  const CliResult r = export_cli(fixture(dir) + " --to postgis 'PG:host=x dbname=y password=hunter2'", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("password=***"), std::string::npos) << r.err;
}

TEST(ExportCli, NothingToExportIsBadUsage) {
  TempDir dir;
  const CliResult r = export_cli(fixture(dir), dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("nothing to export"), std::string::npos) << r.err;
}

}  // namespace
