// `hotspot stat emerging` and `hotspot stat near-repeat`: the DESIGN.md command
// forms and output columns, reproducibility, and the refusals.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
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
const char* kBox = "440000,350000,450000,360000";
}  // namespace

TEST(SpaceTimeCli, EmergingContractFormAndColumns) {
  TempDir d;
  const std::string in = (d / "p.csv").string();
  CliRun s = hotspot_cli(std::string("synth --bbox ") + kBox + " --rows 40000 --months 2022-04:2025-03 --seed 7 --out " +
                             in + " --quiet",
                         d);
  ASSERT_EQ(s.code, 0) << s.err;
  const std::string out = (d / "em.csv").string();
  CliRun e = hotspot_cli("stat emerging " + in + " --cell 250 --period month --distance 500 --time-window 1 --out " +
                             out + " --json",
                         d);
  ASSERT_EQ(e.code, 0) << e.err;
  const json j = json::parse(e.out);
  EXPECT_EQ(j["periods"], 36);
  EXPECT_EQ(j["global_window"], "entire cube");
  const std::string csv = hotspot::test::read_file(out);
  const std::string header = first_line(csv);
  EXPECT_EQ(header.substr(0, 38), "id,x,y,category,trend_z,trend_p,trend_");
  EXPECT_NE(header.find(",bin_2022-04,"), std::string::npos);
  EXPECT_TRUE(header.ends_with(",bin_2025-03"));
  const auto t = hotspot::test::read_table(out);
  ASSERT_EQ(t.rows.size(), j["cells"].get<std::size_t>());
  const std::set<std::string> esri{
      "No Pattern Detected",    "New Hot Spot",          "Consecutive Hot Spot", "Intensifying Hot Spot",
      "Persistent Hot Spot",    "Diminishing Hot Spot",  "Sporadic Hot Spot",    "Oscillating Hot Spot",
      "Historical Hot Spot",    "New Cold Spot",         "Consecutive Cold Spot", "Intensifying Cold Spot",
      "Persistent Cold Spot",   "Diminishing Cold Spot", "Sporadic Cold Spot",   "Oscillating Cold Spot",
      "Historical Cold Spot"};
  std::size_t total = 0;
  for (const auto& c : t.texts("category")) EXPECT_TRUE(esri.count(c)) << c;
  for (const auto& [name, n] : j["categories"].items()) {
    EXPECT_TRUE(esri.count(name)) << name;
    total += n.get<std::size_t>();
  }
  EXPECT_EQ(total, t.rows.size());
  // Every planted hot spot (3 per crime type) puts some cells in a hot category.
  std::size_t hot = 0;
  for (const auto& c : t.texts("category")) hot += c.find("Hot Spot") != std::string::npos;
  EXPECT_GT(hot, 20u);
  // Quarters work too.
  CliRun q = hotspot_cli("stat emerging " + in + " --cell 250 --period quarter --distance 500 --crime-type Burglary --out " +
                             (d / "q.csv").string() + " --json",
                         d);
  ASSERT_EQ(q.code, 0) << q.err;
  EXPECT_EQ(json::parse(q.out)["periods"], 12);
}

TEST(SpaceTimeCli, EmergingUsageErrors) {
  TempDir d;
  const std::string in = (d / "p.csv").string();
  ASSERT_EQ(hotspot_cli(std::string("synth --bbox ") + kBox + " --rows 2000 --months 2023-01:2023-06 --seed 1 --out " + in +
                            " --quiet",
                        d)
                .code,
            0);
  CliRun e = hotspot_cli("stat emerging " + in + " --period month --distance 500 --out " + (d / "e.csv").string(), d);
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("--cell"), std::string::npos) << e.err;
  e = hotspot_cli("stat emerging " + in + " --cell 200 --period week --distance 500 --out " + (d / "e.csv").string(), d);
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("month or quarter"), std::string::npos) << e.err;
}

TEST(SpaceTimeCli, NearRepeatContractFormColumnsAndReproducibility) {
  TempDir d;
  const std::string in = (d / "d.csv").string();
  ASSERT_EQ(hotspot_cli(std::string("synth --bbox ") + kBox +
                            " --rows 30000 --months 2023-01:2023-12 --seed 3 --format csv --out " + in + " --quiet",
                        d)
                .code,
            0);
  const std::string a = (d / "a.csv").string(), b = (d / "b.csv").string(), md = (d / "nr.md").string();
  const std::string args = "stat near-repeat " + in + " --x x --y y --date date --category category --crime-type Burglary "
                           "--space-bands 100,200,300 --time-bands 7,14 --iterations 99 --seed 3 --out ";
  CliRun r = hotspot_cli(args + a + " --markdown " + md + " --json", d);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string csv = hotspot::test::read_file(a);
  EXPECT_EQ(first_line(csv), "space_from,space_to,time_from,time_to,observed,expected,ratio,p,space_band,time_band,"
                             "expected_median");
  const auto t = hotspot::test::read_table(a);
  ASSERT_EQ(t.rows.size(), 5u * 3u);  // same location, 3 bands, more than; 2 bands + more than
  const auto from = t.numbers("space_from"), to = t.numbers("space_to");
  EXPECT_EQ(from[0], 0);
  EXPECT_EQ(to[0], 0);
  EXPECT_EQ(t.texts("space_to").back(), "inf");
  EXPECT_EQ(t.texts("time_to").back(), "inf");
  EXPECT_NE(csv.find(",\"(0, 100]\",\"[0, 7]\","), std::string::npos) << csv;  // labels, quoted (they hold a comma)
  for (double p : t.numbers("p")) {
    EXPECT_GE(p, 0.01);
    EXPECT_LE(p, 1.0);
  }
  const json j = json::parse(r.out);
  EXPECT_EQ(j["iterations"], 99);
  EXPECT_EQ(j["metric"], "manhattan");
  EXPECT_NE(hotspot::test::read_file(md).find("| same location [0, 0] |"), std::string::npos);
  // Same seed, same table.
  ASSERT_EQ(hotspot_cli(args + b + " --threads 1", d).code, 0);
  EXPECT_EQ(hotspot::test::read_file(b), csv);
  // JSON output.
  const std::string js = (d / "nr.json").string();
  ASSERT_EQ(hotspot_cli(args + js + " --metric euclidean", d).code, 0);
  const json nj = json::parse(hotspot::test::read_file(js));
  EXPECT_EQ(nj["metric"], "euclidean");
  EXPECT_EQ(nj["cells"].size(), 15u);
  EXPECT_EQ(nj["cells"][0]["space_band"], "[0, 0]");
}

TEST(SpaceTimeCli, NearRepeatRefusesPoliceUkMonths) {
  TempDir d;
  const std::string in = (d / "p.csv").string();
  ASSERT_EQ(hotspot_cli(std::string("synth --bbox ") + kBox + " --rows 1000 --months 2023-01:2023-03 --seed 1 --out " + in +
                            " --quiet",
                        d)
                .code,
            0);
  CliRun r = hotspot_cli("stat near-repeat " + in + " --space-bands 100 --time-bands 7 --out " + (d / "x.csv").string(), d);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("data.police.uk"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not the day"), std::string::npos) << r.err;
  // A generic CSV whose dates are months only is refused too.
  const auto months = d.write("m.csv", "x,y,when\n445000,355000,2023-01\n445050,355000,2023-02\n");
  r = hotspot_cli("stat near-repeat " + months.string() + " --x x --y y --date when --space-bands 100 --time-bands 7 --out " +
                      (d / "y.csv").string(),
                  d);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("no day"), std::string::npos) << r.err;
  // Bad bands are a usage error.
  r = hotspot_cli("stat near-repeat " + months.string() + " --x x --y y --date when --space-bands 200,100 --time-bands 7 "
                  "--out " + (d / "z.csv").string(),
                  d);
  EXPECT_EQ(r.code, 2);
}

// `hotspot stat matrix`: a hotpoint-acute spot (60 burglaries at two addresses, all
// between 22:00 and 23:00) among 200 incidents spread over 3 x 3 km at all hours.
TEST(SpaceTimeCli, MatrixTypesAHotpointAcuteSpotFromFromToTimes) {
  TempDir d;
  std::ostringstream csv;
  csv << "ref,x,y,from,to\n";
  uint64_t s = 12345;
  auto next = [&s] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) * 0x1.0p-53;
  };
  for (int k = 0; k < 200; ++k) {
    const int day = 1 + static_cast<int>(next() * 28), hour = static_cast<int>(next() * 24);
    csv << "B" << k << "," << 444000 + next() * 3000 << "," << 354000 + next() * 3000 << ",2023-02-"
        << (day < 10 ? "0" : "") << day << " " << (hour < 10 ? "0" : "") << hour << ":00,\n";
  }
  for (int k = 0; k < 60; ++k) {
    const int day = 1 + k % 28;
    csv << "H" << k << "," << (k % 2 ? 445510 : 445530) << ",355520,"
        << (day < 10 ? "0" : "") << day << "/02/2023 22:05,"
        << (day < 10 ? "0" : "") << day << "/02/2023 22:50\n";
  }
  const auto in = d.write("timed.csv", csv.str());
  const std::string out = (d / "matrix.csv").string();
  CliRun r = hotspot_cli("stat matrix " + in.string() + " --from from --to to --cell 100 --distance 200 --out " + out +
                             " --json",
                         d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["incidents"], 260);
  ASSERT_GE(j["hotspots"].get<int>(), 1);
  const std::string table = hotspot::test::read_file(out);
  EXPECT_EQ(first_line(table),
            "hotspot,cells,incidents,timed,locations,x,y,area_m2,spatial,temporal,peak_start_hour,peak_hours,"
            "peak_share,top_share,nni,nni_z,h00,h01,h02,h03,h04,h05,h06,h07,h08,h09,h10,h11,h12,h13,h14,h15,h16,"
            "h17,h18,h19,h20,h21,h22,h23");
  const std::string row = table.substr(table.find('\n') + 1);
  std::vector<std::string> f;
  std::stringstream ss(first_line(row));
  for (std::string c; std::getline(ss, c, ',');) f.push_back(c);
  ASSERT_EQ(f.size(), 16u + 24u);
  EXPECT_EQ(f[0], "1");
  EXPECT_GE(std::stoi(f[2]), 60);  // the planted 60 (and any background in its cells)
  EXPECT_EQ(f[8], "hotpoints");
  EXPECT_EQ(f[9], "acute");
  EXPECT_EQ(f[10], "22");  // the peak starts at 22:00
  EXPECT_EQ(f[11], "1");   // and lasts one hour
  // Month-only dates have no time of day: refused with the line.
  const auto months = d.write("m.csv", "x,y,from\n445000,355000,2023-01\n");
  r = hotspot_cli("stat matrix " + months.string() + " --from from --cell 100 --distance 200 --out " + out, d);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("m.csv:2: error: --from '2023-01' is not a date-time"), std::string::npos) << r.err;
  const auto back = d.write("b.csv", "x,y,from,to\n445000,355000,2023-01-02 10:00,2023-01-01 09:00\n");
  r = hotspot_cli("stat matrix " + back.string() + " --from from --to to --cell 100 --distance 200 --out " + out, d);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("b.csv:2: error: --to '2023-01-01 09:00' is not after --from"), std::string::npos) << r.err;
  r = hotspot_cli("stat matrix " + in.string() + " --cell 100 --distance 200 --out " + out, d);
  EXPECT_EQ(r.code, 2);
}
