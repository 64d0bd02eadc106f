// `hotspot grid --areas` (counts per polygon of any layer) and `--by range:...`
// (custom month ranges): exact counts on the real Ashfield wards, with a hand-made
// incidents file whose true wards are known (points at interior points of four
// wards, computed with geopandas' representative_point in EPSG:27700, and points
// outside the district), and the errors for bad --areas files and ranges.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "layers/io/feature_reader.hpp"
#include "tests/support/cli.hpp"
#include "tests/support/temp_dir.hpp"

using hotspot::test::run_cli;
using hotspot::test::TempDir;
using nlohmann::json;

namespace {

std::string wards() { return (hotspot::test::ashfield() / "boundaries" / "ashfield_wards_2024.geojson").string(); }

// Abbey Hill E05010673 (3), Annesley & Kirkby Woodhouse E05010674 (2), Hucknall
// Central E05010678 (2), Selston E05010689 (1), outside the district (2).
std::string write_incidents(const TempDir& d) {
  return d.write("incidents.csv",
                 "x,y,month,category\n"
                            "451590.2,356816.7,2023-01,Burglary\n"
                            "451590.2,356816.7,2023-03,Burglary\n"
                            "451590.2,356816.7,2023-08,Anti-social behaviour\n"
                            "450243.4,352436.4,2023-06,Burglary\n"
                            "450243.4,352436.4,2023-07,Vehicle crime\n"
                            "453299.2,349029.4,2023-12,Anti-social behaviour\n"
                            "453299.2,349029.4,2024-02,Anti-social behaviour\n"
                            "446404.4,353384.4,2022-11,Burglary\n"
                            "440000,340000,2023-02,Burglary\n"
                            "440000,340000,2025-01,Burglary\n")
      .string();
}

struct Csv {
  std::vector<std::string> header;
  std::map<std::string, std::vector<std::string>> rows;  // by first column
};
Csv read_csv(const std::filesystem::path& p) {
  Csv c;
  std::istringstream in(hotspot::test::read_file(p));
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (first) c.header = cells;
    else c.rows[cells.at(0)] = cells;
    first = false;
  }
  return c;
}

}  // namespace

TEST(GridCli, AreasCountsByCustomRangeOnAshfieldWards) {
  TempDir d;
  const std::string inc = write_incidents(d);
  const auto out = d / "wards.csv";
  const auto r = run_cli("grid " + inc + " --areas " + wards() +
                             " --area-id WD24CD --area-name WD24NM --by range:2023-01:2023-06,2023-07:2023-12 --out " +
                             out.string() + " --json",
                         d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["areas"], 23);
  EXPECT_EQ(j["counts"]["read"], 10);
  EXPECT_EQ(j["counts"]["in_areas"], 8);
  EXPECT_EQ(j["counts"]["outside_areas"], 2);
  EXPECT_EQ(j["counts"]["outside_periods"], 2);      // 2022-11 Selston, 2024-02 Hucknall Central
  EXPECT_EQ(j["counts"]["outside_periods_all"], 3);  // and 2025-01 outside the district
  EXPECT_EQ(j["keys"], json::array({"2023-01_2023-06", "2023-07_2023-12"}));
  EXPECT_FALSE(j.contains("cells"));

  const Csv c = read_csv(out);
  EXPECT_EQ(c.header, (std::vector<std::string>{"area_id", "area_name", "x", "y", "area_km2", "count",
                                                "2023-01_2023-06", "2023-07_2023-12"}));
  ASSERT_EQ(c.rows.size(), 23u);
  const std::map<std::string, std::vector<std::string>> expect = {{"E05010673", {"3", "2", "1"}},
                                                                   {"E05010674", {"2", "1", "1"}},
                                                                   {"E05010678", {"2", "0", "1"}},
                                                                   {"E05010689", {"1", "0", "0"}}};
  int total = 0;
  for (const auto& [id, row] : c.rows) {
    ASSERT_EQ(row.size(), 8u) << id;
    const auto e = expect.find(id);
    const std::vector<std::string> want = e != expect.end() ? e->second : std::vector<std::string>{"0", "0", "0"};
    EXPECT_EQ(std::vector<std::string>(row.begin() + 5, row.end()), want) << id;
    total += std::stoi(row[5]);
  }
  EXPECT_EQ(total, 8);
  EXPECT_EQ(c.rows.at("E05010673")[1], "Abbey Hill");
  // x, y: the ward's centroid; area in km2 (Abbey Hill 2.905 km2 by geopandas).
  EXPECT_NEAR(std::stod(c.rows.at("E05010673")[4]), 2.9049, 0.001);
  EXPECT_NEAR(std::stod(c.rows.at("E05010673")[2]), 451771, 5.0);
  EXPECT_NEAR(std::stod(c.rows.at("E05010673")[3]), 356614, 5.0);
  // The same run without --json says it on stderr.
  const auto h = run_cli("grid " + inc + " --areas " + wards() +
                             " --area-id WD24CD --by range:2023-01:2023-06,2023-07:2023-12 --out " + out.string(),
                         d);
  ASSERT_EQ(h.code, 0) << h.err;
  EXPECT_NE(h.err.find("10 incidents: 8 in 23 areas of "), std::string::npos) << h.err;
  EXPECT_NE(h.err.find("2 outside every area; 3 outside every period (2 of them in an area: in count, in no period column)"),
            std::string::npos)
      << h.err;
}

TEST(GridCli, AreasByCategoryToGeoPackageWithPolygons) {
  TempDir d;
  const std::string inc = write_incidents(d);
  const auto out = d / "wards.gpkg";
  const auto r = run_cli("grid " + inc + " --areas " + wards() + " --area-id WD24CD --by category --out " +
                             out.string() + " --json",
                         d);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto fs = hotspot::layers::read_features(out.string(), {});
  ASSERT_EQ(fs.size(), 23u);
  const int id = fs.field_index("area_id"), count = fs.field_index("count"), burglary = fs.field_index("burglary"),
            asb = fs.field_index("anti-social-behaviour"), vehicle = fs.field_index("vehicle-crime");
  ASSERT_GE(id, 0);
  ASSERT_GE(count, 0);
  ASSERT_GE(burglary, 0);
  ASSERT_GE(asb, 0);
  ASSERT_GE(vehicle, 0);
  std::map<std::string, std::vector<double>> got;
  for (std::size_t f = 0; f < fs.size(); ++f) {
    EXPECT_EQ(fs.feature_class[f], hotspot::layers::GeometryClass::polygon);
    const auto num = [&](int k) { return fs.fields[static_cast<std::size_t>(k)].number(f); };
    got[fs.fields[static_cast<std::size_t>(id)].text(f)] = {num(count), num(burglary), num(asb), num(vehicle)};
  }
  EXPECT_EQ(got.at("E05010673"), (std::vector<double>{3, 2, 1, 0}));
  EXPECT_EQ(got.at("E05010674"), (std::vector<double>{2, 1, 0, 1}));
  EXPECT_EQ(got.at("E05010678"), (std::vector<double>{2, 0, 2, 0}));
  EXPECT_EQ(got.at("E05010689"), (std::vector<double>{1, 1, 0, 0}));
  EXPECT_EQ(got.at("E05010695"), (std::vector<double>{0, 0, 0, 0}));  // Underwood: none
  // The polygon's box is the ward's (Abbey Hill lies around 451,800 E 356,600 N).
  for (std::size_t f = 0; f < fs.size(); ++f)
    if (fs.fields[static_cast<std::size_t>(id)].text(f) == "E05010673") {
      const auto b = fs.feature_bbox(f);
      EXPECT_LT(b.min_corner().x(), 451590.2);
      EXPECT_GT(b.max_corner().x(), 451590.2);
      EXPECT_LT(b.min_corner().y(), 356816.7);
      EXPECT_GT(b.max_corner().y(), 356816.7);
    }
  const json j = json::parse(r.out);
  EXPECT_EQ(j["counts"]["outside_areas"], 2);
  EXPECT_EQ(j["counts"]["outside_periods"], 0);  // no periods with --by category
}

TEST(GridCli, CustomRangesOnCellsWithLabels) {
  TempDir d;
  const std::string inc = write_incidents(d);
  const auto out = d / "cells.csv";
  const auto r = run_cli("grid " + inc + " --cell 1000 --by range:before=2023-01:2023-06,after=2023-07:2023-12,2024-02 --out " +
                             out.string() + " --json",
                         d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["keys"], json::array({"before", "after", "2024-02"}));
  EXPECT_EQ(j["counts"]["in_cells"], 10);
  EXPECT_EQ(j["counts"]["outside_periods"], 2);  // 2022-11 and 2025-01
  const Csv c = read_csv(out);
  EXPECT_EQ(c.header, (std::vector<std::string>{"cell_id", "column", "row", "x", "y", "area_fraction", "count", "before",
                                                "after", "2024-02"}));
  // Sum each period column over the cells: 4 before, 3 after, 1 in February 2024.
  std::vector<int> sums(4, 0);
  for (const auto& [id, row] : c.rows)
    for (std::size_t k = 0; k < 4; ++k) sums[k] += std::stoi(row.at(6 + k));
  EXPECT_EQ(sums, (std::vector<int>{10, 4, 3, 1}));
}

TEST(GridCli, BadAreasFilesAndRangesAreClearErrors) {
  TempDir d;
  const std::string inc = write_incidents(d);
  const auto out = d / "o.csv";
  auto r = run_cli("grid " + inc + " --areas " + (d / "missing.geojson").string() + " --out " + out.string(), d);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("missing.geojson: cannot open"), std::string::npos) << r.err;
  // A point layer is not a polygon layer: bad input data.
  d.write("points.geojson",
          R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":1},)"
          R"("geometry":{"type":"Point","coordinates":[-1.25,53.1]}}]})");
  r = run_cli("grid " + inc + " --areas " + (d / "points.geojson").string() + " --out " + out.string(), d);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("points.geojson: layer 'points' has Point geometries, not polygons"), std::string::npos) << r.err;
  r = run_cli("grid " + inc + " --areas " + wards() + " --area-id WD99CD --out " + out.string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("has no field 'WD99CD' (the code field); available fields: WD24CD, WD24NM"), std::string::npos)
      << r.err;
  r = run_cli("grid " + inc + " --areas " + wards() + " --cell 200 --out " + out.string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--cell, --hex, --boundary, --keep-outside and --centre-inside apply to grids only"),
            std::string::npos)
      << r.err;
  r = run_cli("grid " + inc + " --areas " + wards() + " --by range:2023-01:2023-06,2023-05:2023-12 --out " + out.string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("ranges '2023-01_2023-06' and '2023-05_2023-12' overlap"), std::string::npos) << r.err;
  r = run_cli("grid " + inc + " --areas " + wards() + " --by range:2023-06:2023-01 --out " + out.string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("range '2023-06:2023-01' ends before it starts"), std::string::npos) << r.err;
  r = run_cli("grid " + inc + " --areas " + wards() + " --by range:2023-13 --out " + out.string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("'2023-13' is not a month range"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));  // nothing written on any error
}
