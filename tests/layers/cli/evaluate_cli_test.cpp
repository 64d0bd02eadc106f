// `hotspot evaluate` as scripts see it: exit codes, messages, evaluation.json, and the
// recovery of a planted effect through `hotspot synth` + `hotspot evaluate`.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli.hpp"
#include "tests/support/temp_dir.hpp"

using hotspot::test::CliResult;
using hotspot::test::run_cli;
using hotspot::test::TempDir;
using nlohmann::json;

namespace {

// Incidents in `hotspot ingest`'s CSV layout: a target at (1000, 1000) that halves in
// July, a buffer ring, a flat control.
std::string incidents_csv() {
  std::string s = "source,line,x,y,month,date,category,area_code,method,score\n";
  int line = 2;
  auto add = [&](double x, double y, const std::string& month, const char* cat, int n) {
    for (int k = 0; k < n; ++k)
      s += "t.csv," + std::to_string(line++) + "," + std::to_string(x) + "," + std::to_string(y) + "," + month + ",," +
           cat + ",,xy,100\n";
  };
  for (int m = 1; m <= 12; ++m) {
    char month[8];
    std::snprintf(month, sizeof month, "2023-%02d", m);
    add(1010, 1000, month, "Burglary", m < 7 ? 10 : 5);
    add(1150, 1000, month, "Burglary", 6);
    add(3000, 3000, month, "Burglary", 60);
    add(3000, 3000, month, "Anti-social behaviour", 30);
  }
  return s;
}

}  // namespace

TEST(CliEvaluate, UsageErrorsExitWithTwo) {
  TempDir d;
  CliResult r = run_cli("evaluate --out " + (d / "o").string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "hotspot evaluate: error: give a study file, or --incidents I --interventions V --before N --after N --out DIR\n");
  const auto inc = d.write("inc.csv", incidents_csv());
  const auto iv = d.write("iv.csv", "id,type,name,start,x,y\nG,alleygate,Gates,2023-07,1000,1000\n");
  r = run_cli("evaluate --incidents " + inc.string() + " --interventions " + iv.string() + " --out " + (d / "o").string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "hotspot evaluate: error: --before and --after are required: months before and after go-live (>= 1)\n");
  r = run_cli("evaluate " + (hotspot::test::ashfield() / "study.toml").string() + " --before 6 --out " + (d / "o").string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "hotspot evaluate: error: --before belongs to the --incidents form; with a study file, set it in its [evaluate] section\n");
  EXPECT_EQ(run_cli("evaluate --incidents x --out o --bogus", d).code, 2);
}

TEST(CliEvaluate, FilesFormWritesEvaluationJson) {
  TempDir d;
  const auto inc = d.write("inc.csv", incidents_csv());
  const auto iv = d.write("iv.csv", "id,type,name,start,categories,radius_m,x,y\nG,alleygate,Gates,2023-07,Burglary,100,1000,1000\n");
  const auto out = d / "out";
  const CliResult r = run_cli("evaluate --incidents " + inc.string() + " --interventions " + iv.string() +
                                  " --before 6 --after 6 --buffer 100 --out " + out.string() + " --json",
                              d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_EQ(summary["command"], "evaluate");
  EXPECT_EQ(summary["evaluated"], 1);
  EXPECT_EQ(summary["ingest"]["accepted"], 12 * (10 + 5) / 2 * 2 / 2 + 12 * 6 + 12 * 90);
  const json j = json::parse(hotspot::test::read_file(out / "evaluation.json"));
  const json& g = j["interventions"][0];
  EXPECT_EQ(g["id"], "G");
  EXPECT_EQ(g["target"]["before"], 60);
  EXPECT_EQ(g["target"]["after"], 30);
  EXPECT_EQ(g["buffer"]["before"], 36);
  EXPECT_EQ(g["buffer"]["after"], 36);
  EXPECT_EQ(g["control"]["before"], 360);  // burglary only: the ASB is not counted
  EXPECT_EQ(g["control"]["after"], 360);
  EXPECT_DOUBLE_EQ(g["odds_ratio"].get<double>(), 2.0);
  EXPECT_GT(g["odds_ratio_ci"][0].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(g["wdq"].get<double>(), 0.0);
  EXPECT_NEAR(g["wdd"]["estimate"].get<double>(), -30.0, 1e-9);
  EXPECT_TRUE(g["wdd"]["se"].is_number());
  EXPECT_TRUE(g["wdd"]["z"].is_number());
  EXPECT_EQ(j["pooled"]["sites"], 1);
  // Without --json the console lists each intervention's result on stderr.
  const CliResult human = run_cli("evaluate --incidents " + inc.string() + " --interventions " + iv.string() +
                                      " --before 6 --after 6 --buffer 100 --out " + out.string(),
                                  d);
  ASSERT_EQ(human.code, 0) << human.err;
  EXPECT_TRUE(human.out.empty());
  EXPECT_NE(human.err.find("  G: target 60 -> 30, odds ratio 2.00 ["), std::string::npos) << human.err;
  for (const char* f : {"evaluation.md", "evaluation.gpkg", "tables/evaluation_interventions.csv",
                        "tables/evaluation_monthly.csv", "tables/evaluation_schemes.csv"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
}

TEST(CliEvaluate, BadInterventionsExitWithThreeAndListEveryRow) {
  TempDir d;
  const auto inc = d.write("inc.csv", incidents_csv());
  const auto iv = d.write("iv.csv", "id,type,name,start,x,y\nG,gates,Gates,2023-07,1000,1000\nH,cctv,Cam,July 2023,1,1\n");
  const CliResult r = run_cli("evaluate --incidents " + inc.string() + " --interventions " + iv.string() +
                                  " --before 6 --after 6 --out " + (d / "out").string(),
                              d);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find(iv.string() + ":2: error: type 'gates' is not one of cctv,"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(iv.string() + ":3: error: start 'July 2023' must be YYYY-MM or YYYY-MM-DD"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "out" / "evaluation.json"));
}

// [SECTION] Recovery through the commands: `hotspot synth --study` plants a 30% drop in
// burglary inside the gated area and 10% more in the 500 m ring around it; `hotspot
// evaluate` must recover the drop inside its 95% interval and flag the displacement.
// With nothing planted, the interval covers 1 and no spill-over is flagged.
namespace {

std::string recovery_study(double drop_pct, double displace_pct) {
  char effect[512];
  std::snprintf(effect, sizeof effect,
                "[[synth.effects]]\nname = \"Alley gates\"\ncategories = [\"Burglary\"]\nx = 450000\ny = 360000\n"
                "radius_m = 500\nring_m = 500\nfrom = \"2023-01\"\ndrop_pct = %g\ndisplace_pct = %g\n",
                drop_pct, displace_pct);
  return std::string(
             "[study]\nname = \"Recovery\"\nperiod = { from = \"2022-01\", to = \"2023-12\" }\nboundary = \"area\"\n"
             "[boundaries.area]\npath = \"area.geojson\"\ncode = \"code\"\n"
             "[[inputs]]\nformat = \"police-uk\"\npaths = [\"incidents/*-street.csv\"]\n"
             "[synth]\nseed = 11\nfrom = \"2022-01\"\nto = \"2023-12\"\nincidents_per_month = 5000\nboundary = \"area\"\n"
             "out = \"incidents\"\nhotspots_per_category = 0\n[synth.mix]\n\"Burglary\" = 1.0\n"
             "[[synth.hotspots]]\ncategory = \"Burglary\"\nx = 450000\ny = 360000\nsigma_m = 400\nshare = 0.3\n") +
         effect +
         "[evaluate]\ninterventions = \"iv.csv\"\nbuffer_m = 500\n";
}

const char* const kSquare =
    R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},
"features":[{"type":"Feature","properties":{"code":"SQ"},"geometry":{"type":"Polygon","coordinates":
[[[440000,350000],[440000,370000],[460000,370000],[460000,350000],[440000,350000]]]}}]})";

json synth_and_evaluate(const TempDir& d, const std::string& name, double drop, double displace) {
  const auto study = d.write(name + "/study.toml", recovery_study(drop, displace));
  d.write(name + "/area.geojson", kSquare);
  d.write(name + "/iv.csv", "id,type,name,start,radius_m,x,y\nAG,alleygate,Alley gates,2023-01,500,450000,360000\n");
  const CliResult s = run_cli("synth --study " + study.string() + " --quiet", d);
  EXPECT_EQ(s.code, 0) << s.err;
  const CliResult e = run_cli("evaluate " + study.string() + " --out " + (d / name / "out").string() + " --quiet", d);
  EXPECT_EQ(e.code, 0) << e.err;
  return json::parse(hotspot::test::read_file(d / name / "out" / "evaluation.json"));
}

}  // namespace

TEST(CliEvaluateRecovery, PlantedDropIsInsideTheIntervalAndDisplacementIsFlagged) {
  TempDir d;
  const json j = synth_and_evaluate(d, "planted", 30, 10);
  const json& g = j["interventions"][0];
  ASSERT_EQ(g["status"], "evaluated");
  const double low = g["odds_ratio_ci"][0].get<double>(), high = g["odds_ratio_ci"][1].get<double>();
  EXPECT_LT(low, 1.0 / 0.7);
  EXPECT_GT(high, 1.0 / 0.7);
  EXPECT_GT(low, 1.0);  // a significant reduction
  EXPECT_EQ(g["spillover"]["verdict"], "displacement");
  EXPECT_LT(g["spillover"]["ci"][0].get<double>(), 1.0 / 1.1);
  EXPECT_GT(g["spillover"]["ci"][1].get<double>(), 1.0 / 1.1);
  EXPECT_EQ(g["wdq_detail"]["reading"], "displacement");
  const std::string md = hotspot::test::read_file(d / "planted" / "out" / "evaluation.md");
  EXPECT_NE(md.find("**displacement**"), std::string::npos);
  EXPECT_NE(md.find("a significant reduction"), std::string::npos);
}

TEST(CliEvaluateRecovery, NothingPlantedReportsNoEffect) {
  TempDir d;
  const json j = synth_and_evaluate(d, "null", 0, 0);
  const json& g = j["interventions"][0];
  ASSERT_EQ(g["status"], "evaluated");
  EXPECT_LT(g["odds_ratio_ci"][0].get<double>(), 1.0);
  EXPECT_GT(g["odds_ratio_ci"][1].get<double>(), 1.0);
  EXPECT_EQ(g["spillover"]["verdict"], "none");
  const std::string md = hotspot::test::read_file(d / "null" / "out" / "evaluation.md");
  EXPECT_NE(md.find("no measurable effect"), std::string::npos);
}
