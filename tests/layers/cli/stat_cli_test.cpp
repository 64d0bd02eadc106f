// `hotspot grid` and `hotspot stat`: the command forms and output columns of the
// DESIGN.md contract, exit codes, and agreement with spdep through the CLI.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/core/stats/stats_fixture.hpp"
#include "tests/support/cli.hpp"
#include "tests/support/temp_dir.hpp"

using hotspot::test::TempDir;
using nlohmann::json;

namespace {
using CliRun = hotspot::test::CliResult;
CliRun hotspot_cli(const std::string& args, const TempDir& dir) { return hotspot::test::run_cli(args, dir); }
std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }
}  // namespace

TEST(StatCli, GridThenGistarLisaMoranWithContractColumns) {
  TempDir d;
  const std::string pts = hotspot::test::stats_fixture("nottingham_burglary_points.csv");
  const std::string wards = hotspot::test::stats_fixture("nottingham_wards_2022.gpkg");
  CliRun g = hotspot_cli("grid " + pts + " --category-value Burglary --cell 250 --boundary " + wards + " --by month --out " + (d / "g.csv").string() + " --json", d);
  ASSERT_EQ(g.code, 0) << g.err;
  const json gj = json::parse(g.out);
  EXPECT_EQ(gj["cells"], 1334);
  EXPECT_EQ(gj["counts"]["in_cells"], 1795);
  EXPECT_EQ(gj["keys"].size(), 12u);
  const std::string grid_csv = hotspot::test::read_file(d / "g.csv");
  EXPECT_EQ(first_line(grid_csv).substr(0, 51), "cell_id,column,row,x,y,area_fraction,count,2022-01,");
  CliRun gi = hotspot_cli("stat gistar " + (d / "g.csv").string() + " --value count --id cell_id --distance 600 "
                       "--permutations 99 --seed 3 --fdr --out " + (d / "gi.csv").string() + " --json", d);
  ASSERT_EQ(gi.code, 0) << gi.err;
  const std::string gi_csv = hotspot::test::read_file(d / "gi.csv");
  EXPECT_EQ(first_line(gi_csv), "id,z,p,p_sim,p_fdr,significant_fdr,bin,value,neighbours");
  // z through the CLI equals spdep::localG to 1e-9.
  const auto ours = hotspot::test::read_table((d / "gi.csv").string());
  const auto ref = hotspot::test::read_table(hotspot::test::stats_fixture("spdep_gistar_band600.csv"));
  const auto a = ours.numbers("z"), b = ref.numbers("z");
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-9) << i;
  CliRun li = hotspot_cli("stat lisa " + (d / "g.csv").string() + " --value count --id cell_id --contiguity queen --out " +
                       (d / "li.csv").string(), d);
  ASSERT_EQ(li.code, 0) << li.err;
  EXPECT_EQ(first_line(hotspot::test::read_file(d / "li.csv")), "id,I,E_I,var_I,z,p,quadrant,value,neighbours");
  CliRun mo = hotspot_cli("stat moran " + (d / "g.csv").string() + " --value count --distance 600 --json", d);
  ASSERT_EQ(mo.code, 0) << mo.err;
  const auto mref = hotspot::test::read_table(hotspot::test::stats_fixture("spdep_moran_band600.csv"));
  EXPECT_NEAR(json::parse(mo.out)["z"].get<double>(), mref.numbers("z")[0], 1e-9);
}

TEST(StatCli, KdeCsvAndGeoTiffAndOptimized) {
  TempDir d;
  const std::string pts = hotspot::test::stats_fixture("nottingham_burglary_points.csv");
  CliRun k = hotspot_cli("stat kde " + pts + " --radius 500 --cell 100 --out " + (d / "k.csv").string() + " --json", d);
  ASSERT_EQ(k.code, 0) << k.err;
  EXPECT_EQ(first_line(hotspot::test::read_file(d / "k.csv")), "x,y,density");
  CliRun t = hotspot_cli("stat kde " + pts + " --cell 100 --kernel triweight --out " + (d / "k.tif").string() + " --json", d);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_EQ(json::parse(t.out)["radius_rule"], "arcgis-default");
  CliRun o = hotspot_cli("stat optimized " + pts + " --boundary " + hotspot::test::stats_fixture("nottingham_wards_2022.gpkg") +
                      " --out " + (d / "o.gpkg").string() + " --json", d);
  ASSERT_EQ(o.code, 0) << o.err;
  const json oj = json::parse(o.out);
  EXPECT_GT(oj["hot"].get<int>(), 0);
  EXPECT_GT(oj["decisions"].size(), 5u);
  EXPECT_NE(oj["decisions"].dump().find("distinct locations"), std::string::npos);  // duplicates are reported
}

TEST(StatCli, UsageAndInputErrorsHaveTheirExitCodes) {
  TempDir d;
  const auto csv = d.write("v.csv", "x,y,count\n0,0,1\n100,0,2\n200,0,x\n");
  EXPECT_EQ(hotspot_cli("stat gistar " + csv.string() + " --value count --out " + (d / "o.csv").string(), d).code, 2);
  CliRun bad = hotspot_cli("stat gistar " + csv.string() + " --value count --distance 150 --out " + (d / "o.csv").string(), d);
  EXPECT_EQ(bad.code, 3);
  EXPECT_EQ(bad.err, csv.string() + ":4:3: error: value 'x' is not a finite number\n");
  EXPECT_EQ(hotspot_cli("stat kde " + csv.string() + " --kernel box --out " + (d / "k.tif").string(), d).code, 2);
  EXPECT_EQ(hotspot_cli("grid " + csv.string() + " --out " + (d / "g.csv").string(), d).code, 2);  // no --cell
}
