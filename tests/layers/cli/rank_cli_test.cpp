// `hotspot rank` as scripts see it: the bundled Ashfield study ranked by cells and
// wards, the accuracy table of --evaluate, and the exit codes of bad usage.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli.hpp"
#include "tests/support/temp_dir.hpp"

using hotspot::test::CliResult;
using hotspot::test::TempDir;
using nlohmann::json;

namespace {

// `hotspot rank ARGS`, through the shared helper.
hotspot::test::CliResult rank_cli(const std::string& args, const TempDir& dir) {
  return hotspot::test::run_cli("rank " + args, dir);
}

TEST(RankCli, RanksAshfieldCellsAndWardsAndEvaluatesAccuracy) {
  TempDir dir;
  const std::string study = (hotspot::test::ashfield() / "study.toml").string();
  const CliResult r =
      rank_cli(study + " --out " + dir.path().string() + " --units cells,wards --top 5 --evaluate --json --threads 2", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["rankings"].size(), 2u);
  const json& cells = j["rankings"][0];
  EXPECT_EQ(cells["units"], "cells");
  ASSERT_EQ(cells["top"].size(), 5u);
  // every part shown and adding up to the score
  for (const auto& t : cells["top"]) {
    const auto& p = t["parts"];
    EXPECT_NEAR(t["score"].get<double>(),
                p["count"].get<double>() + p["rate"].get<double>() + p["harm"].get<double>() +
                    p["hotspot"].get<double>() + p["emerging"].get<double>(),
                1e-9);
    EXPECT_FALSE(t["reasons"].get<std::string>().empty());
  }
  // the top cell is a significant Gi* hot spot
  EXPECT_EQ(cells["top"][0]["gi_bin"], 3);
  const json& wards = j["rankings"][1];
  EXPECT_EQ(wards["units"], "wards");
  EXPECT_EQ(wards["top"][0]["id"].get<std::string>().substr(0, 3), "E05");
  // scores never increase down the list
  for (std::size_t k = 1; k < wards["top"].size(); ++k)
    EXPECT_LE(wards["top"][k]["score"].get<double>(), wards["top"][k - 1]["score"].get<double>());

  // accuracy: 2022-04..2023-09 fitted, 2023-10..2025-03 tested; planted hot spots persist
  const json& acc = j["accuracy"];
  EXPECT_EQ(acc["fit"][0], "2022-04");
  EXPECT_EQ(acc["test"][1], "2025-03");
  bool saw_gistar = false;
  for (const auto& l : acc["layers"]) {
    ASSERT_EQ(l["rows"].size(), 4u);
    EXPECT_DOUBLE_EQ(l["rows"][0]["top_pct"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(l["rows"][3]["top_pct"].get<double>(), 10.0);
    if (l["units"] == "cells" && l["method"] == "gistar") {
      saw_gistar = true;
      // concentrated, persistent hot spots: 10 % of the area holds far more than 10 % of the crime
      EXPECT_GT(l["rows"][3]["pai"].get<double>(), 2.0);
      EXPECT_LE(l["rows"][3]["coverage_pct"].get<double>(), 10.0 + 1e-9);
      EXPECT_GT(l["rows"][3]["rri"].get<double>(), 0.5);
      EXPECT_LE(l["rows"][3]["pei"].get<double>(), 1.0 + 1e-12);
    }
  }
  EXPECT_TRUE(saw_gistar);
  EXPECT_TRUE(std::filesystem::exists(dir / "targets_cells.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "targets_wards.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "targets.gpkg"));
  const std::string acc_csv = hotspot::test::read_file(dir / "accuracy.csv");
  EXPECT_EQ(acc_csv.substr(0, acc_csv.find('\n')),
            "units,method,top_pct,selected,area_km2,coverage_pct,hits,test_total,hit_rate,pai,ppai,pei,rri");
  const std::string targets = hotspot::test::read_file(dir / "targets_wards.csv");
  EXPECT_EQ(targets.substr(0, targets.find('\n')),
            "rank,id,name,score,count,rate,harm_days,gi_bin,emerging,count_part,rate_part,harm_part,hotspot_part,"
            "emerging_part,area_km2,reasons");
}

TEST(RankCli, PrintsTheAccuracyTableForPeople) {
  TempDir dir;
  const std::string study = (hotspot::test::ashfield() / "study.toml").string();
  const CliResult r = rank_cli(study + " --out " + dir.path().string() + " --units wards --evaluate --quiet", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("top 10 of 23 wards"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Levine's (2008) Recapture Rate Index"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  wards    counts     1%"), std::string::npos) << r.out;
}

TEST(RankCli, UnknownUnitIsBadUsage) {
  TempDir dir;
  const std::string study = (hotspot::test::ashfield() / "study.toml").string();
  const CliResult r = rank_cli(study + " --out " + dir.path().string() + " --units parishes", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("[rank] units: 'parishes' is neither \"cells\" nor a [boundaries.*] key"), std::string::npos)
      << r.err;
}

TEST(RankCli, MissingOutIsBadUsage) {
  TempDir dir;
  const CliResult r = rank_cli((hotspot::test::ashfield() / "study.toml").string(), dir);
  EXPECT_EQ(r.code, 2);
}

}  // namespace
