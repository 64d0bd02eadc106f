// `hotspot geocode` as scripts call it (DESIGN.md): the contract form, exit codes,
// messages, the JSON summary, the saved index, and the hit rate by ward.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli.hpp"
#include "tests/support/temp_dir.hpp"

using hotspot::test::CliResult;
using hotspot::test::run_cli;
using hotspot::test::TempDir;
using nlohmann::json;

namespace {

std::string fx(const std::string& name) { return (hotspot::test::fixtures() / "geocode" / name).string(); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string gazetteer_args() { return " --gazetteer " + fx("gazetteer.csv") + " --postcodes " + fx("codepoint_ng_sectors.csv"); }

}  // namespace

TEST(GeocodeCli, UsageErrorsExitWithTwo) {
  TempDir d;
  const std::string out = " --out " + (d / "o.csv").string();
  CliResult r = run_cli("geocode " + fx("messy.csv") + " --address address" + out, d);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "hotspot geocode: error: no gazetteer: give an address CSV (--gazetteer), Code-Point Open postcodes "
            "(--postcodes), street lines (--streets) or a saved index\n");
  r = run_cli("geocode " + fx("messy.csv") + gazetteer_args() + out, d);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("say where the location is"), std::string::npos) << r.err;
  r = run_cli("geocode " + fx("messy.csv") + " --address address" + gazetteer_args(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "hotspot geocode: error: --out OUT.csv is required\n");
  r = run_cli("geocode " + fx("messy.csv") + " --address adress" + gazetteer_args() + out, d);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("column 'adress' (--address) not found; the columns are: id, address, postcode"), std::string::npos)
      << r.err;
  r = run_cli("geocode " + fx("messy.csv") + " --address address --gazetteer-columns road=x" + gazetteer_args() + out, d);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown part 'road'"), std::string::npos) << r.err;
  r = run_cli("geocode " + fx("messy.csv") + " --address address --min-score 101" + gazetteer_args() + out, d);
  EXPECT_EQ(r.code, 2);
}

TEST(GeocodeCli, TheContractFormWritesEveryRowRejectsAndAJsonSummary) {
  TempDir d;
  const auto out = d / "geocoded.csv";
  const CliResult r = run_cli("geocode " + fx("messy.csv") + " --address address --postcode postcode" +
                                  gazetteer_args() + " --out " + out.string() + " --json",
                              d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["command"], "geocode");
  EXPECT_EQ(j["counts"]["rows"], 2000);
  EXPECT_EQ(j["counts"]["written"], 2000);
  const int located = j["counts"]["located"];
  EXPECT_GE(located, 1900);
  EXPECT_GE(j["hit_rate"]["rate"].get<double>(), 0.95);
  EXPECT_GT(j["hit_rate"]["by_method"]["address"].get<int>(), 1000);
  EXPECT_GT(j["hit_rate"]["by_reason"]["ambiguous"].get<int>(), 10);
  EXPECT_EQ(j["hit_rate"]["area_source"], "Code-Point ward of the postcode");
  EXPECT_EQ(j["gazetteer"]["addresses"], 13496);
  EXPECT_FALSE(j["gazetteer"]["from_index"].get<bool>());
  EXPECT_GT(j["rows_per_s"].get<double>(), 0.0);
  const auto lines = lines_of(hotspot::test::read_file(out));
  ASSERT_EQ(lines.size(), 2001u);
  EXPECT_EQ(lines[0],
            "id,address,postcode,uprn,variant,expect,truth_kind,truth_x,truth_y,truth_x2,truth_y2,"
            "x,y,method,score,precision_m");
  // Unmatched rows: empty x/y, the reason in method; all of them in the rejects file.
  std::size_t unmatched = 0;
  for (const auto& l : lines)
    if (l.find(",,unmatched:") != std::string::npos) ++unmatched;
  EXPECT_EQ(unmatched, 2000u - static_cast<std::size_t>(located));
  const auto rejects = lines_of(hotspot::test::read_file(d / "geocoded.rejects.csv"));
  EXPECT_EQ(rejects.size(), 1 + unmatched);
  EXPECT_EQ(rejects[0], "source,line,column,field,code,message,raw");
  EXPECT_NE(rejects[1].find(",not_geocoded,"), std::string::npos);
}

TEST(GeocodeCli, SavedIndexLoadsFastAndGivesTheSameOutput) {
  TempDir d;
  const auto idx = d / "ng.hsgaz";
  CliResult r = run_cli("geocode" + gazetteer_args() + " --save-index " + idx.string() + " --json", d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["gazetteer"]["index"], idx.string());
  r = run_cli("geocode " + fx("messy.csv") + " --address address --postcode postcode --uprn uprn" + gazetteer_args() +
                  " --out " + (d / "a.csv").string(),
              d);
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_cli("geocode " + fx("messy.csv") + " --address address --postcode postcode --uprn uprn --index " +
                  idx.string() + " --out " + (d / "b.csv").string() + " --json",
              d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_TRUE(j["gazetteer"]["from_index"].get<bool>());
  EXPECT_LT(j["gazetteer"]["load_s"].get<double>(), 0.5);
  EXPECT_EQ(hotspot::test::read_file(d / "a.csv"), hotspot::test::read_file(d / "b.csv"));
  // A damaged index is bad input: exit 3 and a message saying what to do.
  std::string bytes = hotspot::test::read_file(idx);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
  const auto bad = d.write("bad.hsgaz", bytes);
  r = run_cli("geocode " + fx("messy.csv") + " --address address --index " + bad.string() + " --out " +
                  (d / "c.csv").string(),
              d);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find(bad.string() + ": error: damaged gazetteer index (checksum mismatch in section"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("rebuild it with hotspot geocode --save-index"), std::string::npos);
}

TEST(GeocodeCli, WardPolygonsGiveAreaColumnsTheReportAndOutsideCounts) {
  TempDir d;
  const std::string wards = (hotspot::test::ashfield() / "boundaries" / "ashfield_wards_2024.geojson").string();
  const auto report = d / "report.md";
  const CliResult r = run_cli("geocode " + fx("messy.csv") + " --address address --postcode postcode" +
                                  gazetteer_args() + " --areas " + wards + " --area-code WD24CD --area-name WD24NM" +
                                  " --out " + (d / "o.csv").string() + " --report " + report.string() + " --json",
                              d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["areas"]["polygons"], 23);
  const int assigned = j["areas"]["assigned"], outside = j["areas"]["outside"];
  EXPECT_EQ(assigned + outside, j["counts"]["located"].get<int>());
  EXPECT_GT(assigned, 400);   // the Ashfield rows
  EXPECT_GT(outside, 1000);   // Nottingham City is outside Ashfield's wards
  EXPECT_EQ(j["areas"]["outside_lines"].size(), 100u);
  EXPECT_EQ(j["hit_rate"]["area_source"], "polygons");
  const auto lines = lines_of(hotspot::test::read_file(d / "o.csv"));
  EXPECT_NE(lines[0].find(",precision_m,area_code,area_name"), std::string::npos);
  const std::string md = hotspot::test::read_file(report);
  EXPECT_NE(md.find("## Geocoding hit rate"), std::string::npos);
  EXPECT_NE(md.find("| E05010677 | Sutton Central & New Cross |"), std::string::npos) << md;
  EXPECT_NE(md.find("| (outside) | located, but outside every polygon |"), std::string::npos) << md;
  EXPECT_NE(md.find("located rows fall outside every polygon"), std::string::npos);
}

// Builds on the Code-Point reality check (tests/layers/io/area_reader_test.cpp):
// geocoding Ashfield's postcodes through the whole pipeline and reporting by ward
// polygon must agree with the ward Code-Point Open gives each postcode.
TEST(GeocodeCli, PostcodeGeocodesReportedByWardAgreeWithCodePoint) {
  TempDir d;
  const std::string postcodes = (hotspot::test::ashfield() / "postcodes" / "ashfield_area_postcodes.csv").string();
  const std::string wards = (hotspot::test::ashfield() / "boundaries" / "ashfield_wards_2024.geojson").string();
  const auto out = d / "o.csv";
  const CliResult r = run_cli("geocode " + postcodes + " --address postcode --postcodes " + postcodes + " --areas " +
                                  wards + " --area-code WD24CD --out " + out.string() + " --json",
                              d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["counts"]["rows"], 4120);
  EXPECT_EQ(j["counts"]["located"], 4120);
  EXPECT_EQ(j["hit_rate"]["by_method"]["postcode"], 4120);
  const auto lines = lines_of(hotspot::test::read_file(out));
  ASSERT_EQ(lines.size(), 4121u);
  // Columns: ...,admin_district_code,admin_district_name,admin_ward_code,admin_ward_name,x,y,method,score,precision_m,area_code
  std::size_t ashfield = 0, agree = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f;
    std::string field;
    bool quoted = false;
    for (char c : lines[i]) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) {
        f.push_back(field);
        field.clear();
      } else field.push_back(c);
    }
    f.push_back(field);
    ASSERT_EQ(f.size(), 18u) << lines[i];
    if (f[8] != "E07000170") continue;
    ++ashfield;
    if (f[10] == f[17]) ++agree;
  }
  std::printf("  %zu of %zu Ashfield postcodes geocoded into their Code-Point ward\n", agree, ashfield);
  EXPECT_EQ(ashfield, 2740u);
  EXPECT_GE(agree, 2735u);
}

TEST(GeocodeCli, NothingLocatedIsBadInput) {
  TempDir d;
  const auto in = d.write("in.csv", "id,address\n1,NFA\n2,Unknown\n");
  const CliResult r =
      run_cli("geocode " + in.string() + " --address address" + gazetteer_args() + " --out " + (d / "o.csv").string(), d);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("no row could be located (2 rows)"), std::string::npos) << r.err;
}

// `hotspot ingest` geocodes address columns with the same geocoder (and the same
// gazetteer flags) as `hotspot geocode`; unplaced rows are rejected with their line.
TEST(GeocodeCli, IngestGeocodesAddressColumnsWithTheSameGeocoder) {
  TempDir d;
  const auto in = d.write("asb.csv",
                          "Reported,Type,House,Street,Postcode\n"
                          "03/05/2023,Anti-social behaviour,3,Station Rd,NG17 1EN\n"
                          "04/05/2023,Anti-social behaviour,5-7,\"station road, Sutton in Ashfield\",\n"
                          "05/05/2023,Burglary,,,NG17 5AB\n"
                          "06/05/2023,Burglary,,,\n");
  const auto out = d / "o.csv";
  const CliResult r = run_cli("ingest " + in.string() + " --format csv --address House,Street --postcode Postcode" +
                                  " --date Reported --category Type" + gazetteer_args() + " --out " + out.string() +
                                  " --json",
                              d);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["counts"]["read"], 4);
  EXPECT_EQ(j["counts"]["accepted"], 3);
  EXPECT_EQ(j["counts"]["rejected"], 1);
  EXPECT_EQ(j["geocode"]["by_method"]["address"], 2);
  EXPECT_EQ(j["geocode"]["by_method"]["postcode"], 1);
  EXPECT_EQ(j["geocode"]["not_geocoded"], 1);
  const auto lines = lines_of(hotspot::test::read_file(out));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "source,line,x,y,month,date,category,area_code,method,score");
  EXPECT_NE(lines[1].find(",2,449724.51,358717.32,2023-05,2023-05-03,Anti-social behaviour,,address,"),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[2].find(",3,449741.91,358721.96,2023-05,2023-05-04,"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find(",4,449407.00,358406.00,2023-05,2023-05-05,Burglary,,postcode,"), std::string::npos)
      << lines[3];
  const auto rejects = lines_of(hotspot::test::read_file(d / "o.rejects.csv"));
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_NE(rejects[1].find(",5,"), std::string::npos) << rejects[1];
  EXPECT_NE(rejects[1].find("not_geocoded"), std::string::npos) << rejects[1];

  // Gazetteer flags without --address, and --address without a gazetteer, are usage errors.
  EXPECT_EQ(run_cli("ingest " + in.string() + " --format csv --date Reported --category Type" + gazetteer_args() +
                        " --out " + out.string(),
                    d)
                .code,
            2);
  const CliResult no_gaz = run_cli(
      "ingest " + in.string() + " --format csv --address Street --date Reported --category Type --out " + out.string(), d);
  EXPECT_EQ(no_gaz.code, 2);
  EXPECT_NE(no_gaz.err.find("--address needs a gazetteer"), std::string::npos) << no_gaz.err;
}
