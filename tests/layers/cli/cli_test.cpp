// Golden-style tests of the `hotspot` command: exit codes, messages and outputs, as
// scripts and batch jobs see them (DESIGN.md "Interfaces other tools rely on").

#include <gtest/gtest.h>

#include <sys/stat.h>

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

std::string fixture(const std::string& rel) { return (hotspot::test::fixtures() / rel).string(); }

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST(Cli, UsageErrorsExitWithTwo) {
  TempDir d;
  EXPECT_EQ(run_cli("", d).code, 2);
  EXPECT_EQ(run_cli("frobnicate", d).code, 2);
  EXPECT_EQ(run_cli("ingest", d).code, 2);  // FILE and --out missing
  const CliResult r = run_cli("ingest /nonexistent/x.csv --out " + (d / "o.csv").string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "hotspot ingest: error: /nonexistent/x.csv: no such file\n");
  EXPECT_EQ(run_cli("--version", d).out, "0.1.0\n");
}

TEST(Cli, IngestPoliceUkToCsvWithJsonSummary) {
  TempDir d;
  const auto out = d / "first100.csv";
  const CliResult r =
      run_cli("ingest " + fixture("police-uk/2022-02-nottinghamshire-street-first100.csv") + " --out " + out.string() + " --json", d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["command"], "ingest");
  EXPECT_EQ(j["counts"]["read"], 100);
  EXPECT_EQ(j["counts"]["accepted"], 100);
  EXPECT_EQ(j["counts"]["rejected"], 0);
  EXPECT_EQ(j["inputs"][0]["format"], "police-uk");
  EXPECT_GT(j["rows_per_s"].get<double>(), 0.0);
  EXPECT_EQ(j["memory"]["bytes_per_incident"], 38);
  const std::string csv = hotspot::test::read_file(out);
  EXPECT_EQ(lines(csv), 101u);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "source,line,x,y,month,date,category,area_code,method,score");
  EXPECT_EQ(lines(hotspot::test::read_file(d / "first100.rejects.csv")), 1u);  // header only
}

TEST(Cli, IngestToGeoPackageAndRejectsFileWithLineNumbers) {
  TempDir d;
  const CliResult r = run_cli("ingest '" + fixture("police-uk/city-of-london") + "/*.csv' --out " + (d / "col.gpkg").string() +
                            " --rejects " + (d / "rej.csv").string(),
                        d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("read 9,592 rows from 12 files: 8,713 accepted, 879 rejected"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no_location"), std::string::npos);
  const std::string rej = hotspot::test::read_file(d / "rej.csv");
  EXPECT_EQ(lines(rej), 880u);
  EXPECT_NE(rej.find("2023-05-city-of-london-street.csv,749,5,Longitude,no_location,no location: Longitude/Latitude are empty,"),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(d / "col.gpkg"));
}

TEST(Cli, StrictModeWritesNoOutputAndExitsWithThree) {
  TempDir d;
  const CliResult r = run_cli("ingest " + fixture("police-uk/city-of-london/2023-05-city-of-london-street.csv") + " --out " +
                            (d / "x.gpkg").string() + " --strict",
                        d);
  EXPECT_EQ(r.code, 3);
  EXPECT_FALSE(std::filesystem::exists(d / "x.gpkg"));
  EXPECT_EQ(lines(hotspot::test::read_file(d / "x.rejects.csv")), 28u);
}

TEST(Cli, BadInputDataExitsWithThreeAndAFileLineMessage) {
  TempDir d;
  const auto p = d.write("o-outcomes.csv", "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\n");
  const CliResult r = run_cli("ingest " + p.string() + " --out " + (d / "o.csv").string(), d);
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(r.err.rfind(p.string() + ":1: error: this is a data.police.uk outcomes file", 0), 0u) << r.err;
  const auto all_bad = d.write("bad-street.csv",
                               "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                               "Crime type,Last outcome category,Context\n,2023-05,a,a,,,No Location,,,Burglary,,\n");
  EXPECT_EQ(run_cli("ingest " + all_bad.string() + " --out " + (d / "b.csv").string(), d).code, 3);
}

TEST(Cli, UnwritableOutputFolderIsARuntimeFailure) {
  TempDir d;
  const CliResult r = run_cli("ingest " + fixture("police-uk/2022-02-nottinghamshire-street-first100.csv") +
                            " --out /nonexistent/dir/x.gpkg",
                        d);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}

TEST(Cli, SynthIsDeterministicAndReadableByIngest) {
  TempDir d;
  const std::string common = " --bbox 440000,350000,460000,365000 --rows 5000 --months 2023-01:2023-12 --seed 7";
  ASSERT_EQ(run_cli("synth" + common + " --out " + (d / "a.csv").string() + " --truth " + (d / "t.json").string(), d).code, 0);
  ASSERT_EQ(run_cli("synth" + common + " --out " + (d / "b.csv").string(), d).code, 0);
  const std::string a = hotspot::test::read_file(d / "a.csv");
  EXPECT_EQ(lines(a), 5001u);
  EXPECT_EQ(a, hotspot::test::read_file(d / "b.csv"));
  const json truth = json::parse(hotspot::test::read_file(d / "t.json"));
  EXPECT_EQ(truth["total"], 5000);
  const CliResult r = run_cli("ingest " + (d / "a.csv").string() + " --out " + (d / "i.csv").string() + " --json", d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["counts"]["accepted"], 5000);
}

TEST(Cli, RunRejectsAStudyWithAnUnknownKey) {
  TempDir d;
  const auto p = d.write("study.toml", "[study]\nname = \"x\"\nnmae = \"y\"\n");
  const CliResult r = run_cli("run " + p.string() + " --out " + (d / "out").string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("study.toml:3:1: error: unknown key 'nmae' in [study]"), std::string::npos) << r.err;
}

TEST(Cli, CheckValidatesWithoutWritingAnything) {
  TempDir d;
  const CliResult r = run_cli("ingest " + fixture("police-uk/city-of-london/2023-05-city-of-london-street.csv") +
                                  " --check --json",
                              d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["counts"]["read"], 774);
  EXPECT_EQ(j["counts"]["rejected"], 27);
  EXPECT_EQ(j["outputs"]["incidents"], "");
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(d.path()))
    if (e.path().filename() != "stderr.txt") ++files;
  EXPECT_EQ(files, 0u);
  EXPECT_EQ(run_cli("ingest " + fixture("police-uk/city-of-london/2023-05-city-of-london-street.csv") + " --check --out x.csv", d).code, 2);
}

TEST(Cli, HeaderOnlyInputGivesAnEmptyButValidOutput) {
  TempDir d;
  const auto p = d.write("empty-street.csv",
                         "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                         "Crime type,Last outcome category,Context\n");
  const CliResult r = run_cli("ingest " + p.string() + " --out " + (d / "e.gpkg").string(), d);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(d / "e.gpkg"));
}

// A reader's warning already says "file:feature N: warning: ..."; the console prints
// it once, not as "hotspot ingest: warning: file:feature N: warning: ...".
TEST(Cli, ReaderWarningsArePrintedWithOnePrefix) {
  TempDir d;
  const CliResult r = run_cli("ingest " + fixture("police-uk/2022-02-nottinghamshire-street-first100.csv") + " --boundary " +
                                  fixture("bad/areas_self_intersecting.geojson") + " --out " + (d / "o.csv").string(),
                              d);
  const std::string line = fixture("bad/areas_self_intersecting.geojson") + ":feature 1: warning: ";
  EXPECT_EQ(r.err.rfind(line, 0), 0u) << r.err;  // the first line, as the reader said it
  EXPECT_EQ(r.err.find("warning: " + line), std::string::npos) << r.err;
}
