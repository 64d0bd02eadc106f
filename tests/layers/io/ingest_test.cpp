#include "layers/io/ingest.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/geo/crs.hpp"
#include "core/spatial/area_set.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
using core::IssueCode;
using hotspot::test::TempDir;

namespace {

const char* const kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n";

std::string police_row(const std::string& lon, const std::string& lat, const std::string& month = "2023-05",
                       const std::string& type = "Burglary", const std::string& lsoa = "E01027925") {
  static int crime_id = 0;  // each row its own crime (one Crime ID twice is a duplicate_row warning)
  return "abc" + std::to_string(++crime_id) + "," + month + ",Nottinghamshire Police,Nottinghamshire Police," + lon + "," + lat +
         ",On or near Station Road," + lsoa + ",Ashfield 015A," + type + ",Under investigation,\n";
}

IngestResult ingest_one(const std::filesystem::path& p, IngestOptions o = {}) {
  const std::vector<std::string> files{p.string()};
  return ingest(files, core::Taxonomy::police_uk(), o);
}

// The single issue of a one-bad-row file.
core::RowIssue only_issue(const IngestResult& r) {
  EXPECT_EQ(r.issues.kept().size(), 1u);
  return r.issues.kept().empty() ? core::RowIssue{} : r.issues.kept().front();
}

}  // namespace

// --- real police.uk files ---------------------------------------------------------

TEST(IngestPoliceUk, RealNottinghamshireSampleIsReadCompletely) {
  const auto p = test::fixtures() / "police-uk" / "2022-02-nottinghamshire-street-first100.csv";
  const auto r = ingest_one(p);
  EXPECT_EQ(r.counts.read, 100u);
  EXPECT_EQ(r.counts.accepted, 100u);
  EXPECT_EQ(r.counts.rejected, 0u);
  ASSERT_EQ(r.table.size(), 100u);
  const auto tax = core::Taxonomy::police_uk();
  std::map<std::string, int> by_type;
  for (auto c : r.table.category()) ++by_type[tax.get(c).name];
  EXPECT_EQ(by_type["Anti-social behaviour"], 20);  // ASB rows have an empty Crime ID: still read
  EXPECT_EQ(by_type["Violence and sexual offences"], 47);
  EXPECT_EQ(by_type["Burglary"], 7);
  // Row 1 (line 2): -1.376821, 53.039341 -> BNG, via the same PROJ pipeline as cs2cs.
  const core::Point expect = core::Transformer::wgs84_to_bng().transform(-1.376821, 53.039341);
  EXPECT_NEAR(r.table.x_m()[0], expect.x(), 1e-6);
  EXPECT_NEAR(r.table.y_m()[0], expect.y(), 1e-6);
  EXPECT_NEAR(r.table.x_m()[0], 441900, 1000);  // west of Ashfield, Amber Valley
  EXPECT_EQ(r.table.line()[0], 2u);
  EXPECT_EQ(r.table.month()[0], core::month_index(2022, 2));
  EXPECT_EQ(r.table.area_codes().get(r.table.area()[0]), "E01019420");
  EXPECT_EQ(r.table.day()[0], core::kNoDay);
}

TEST(IngestPoliceUk, RealCityOfLondonYearRejectsExactlyTheRowsWithoutLocation) {
  const std::vector<std::string> files =
      expand_globs(std::vector<std::string>{(test::fixtures() / "police-uk" / "city-of-london" / "*.csv").string()});
  ASSERT_EQ(files.size(), 12u);
  const auto r = ingest(files, core::Taxonomy::police_uk(), IngestOptions{});
  EXPECT_EQ(r.counts.read, 9592u);  // wc -l minus 12 headers
  EXPECT_EQ(r.counts.rejected, 879u);  // rows with empty Longitude/Latitude, counted with awk
  EXPECT_EQ(r.counts.by_code[static_cast<std::size_t>(IssueCode::no_location)], 879u);
  EXPECT_EQ(r.counts.accepted, 8713u);
  EXPECT_TRUE(r.counts.balanced());
  ASSERT_EQ(r.files.size(), 12u);
  EXPECT_EQ(r.files[0].counts.read, 774u);
  EXPECT_EQ(r.files[0].counts.rejected, 27u);
  const auto& first = r.issues.kept().front();
  EXPECT_EQ(first.line, 749u);  // the first row without a location in 2023-05
  EXPECT_EQ(first.code, IssueCode::no_location);
  EXPECT_EQ(core::format_issue(first).substr(first.source.size()),
            ":749:5: error: no location: Longitude/Latitude are empty");
  // Repeated police.uk map points hit the transform cache.
  EXPECT_GT(r.transform_cache_hits, r.transform_cache_misses);
}

TEST(IngestPoliceUk, ResultIsIdenticalForAnyThreadCount) {
  const std::vector<std::string> files =
      expand_globs(std::vector<std::string>{(test::fixtures() / "police-uk" / "city-of-london" / "*.csv").string()});
  IngestOptions one, two;
  one.threads = 1;
  two.threads = 3;
  const auto a = ingest(files, core::Taxonomy::police_uk(), one);
  const auto b = ingest(files, core::Taxonomy::police_uk(), two);
  ASSERT_EQ(a.table.size(), b.table.size());
  for (std::size_t i = 0; i < a.table.size(); ++i) {
    ASSERT_EQ(a.table.x_m()[i], b.table.x_m()[i]);
    ASSERT_EQ(a.table.line()[i], b.table.line()[i]);
    ASSERT_EQ(a.table.source_name(a.table.source()[i]), b.table.source_name(b.table.source()[i]));
  }
  ASSERT_EQ(a.issues.kept().size(), b.issues.kept().size());
  for (std::size_t i = 0; i < a.issues.kept().size(); ++i) EXPECT_EQ(a.issues.kept()[i].line, b.issues.kept()[i].line);
}

TEST(IngestPoliceUk, EveryRejectIsStreamedToTheSinkInInputOrder) {
  const auto p = test::fixtures() / "police-uk" / "city-of-london" / "2023-05-city-of-london-street.csv";
  IngestOptions o;
  o.keep_issues = 3;
  std::vector<uint64_t> lines;
  o.issue_sink = [&](const core::RowIssue& i) { lines.push_back(i.line); };
  const auto r = ingest_one(p, o);
  EXPECT_EQ(lines.size(), 27u);
  EXPECT_TRUE(std::is_sorted(lines.begin(), lines.end()));
  EXPECT_EQ(r.issues.kept().size(), 3u);
  EXPECT_EQ(r.issues.total(), 27u);
}

TEST(IngestPoliceUk, OutcomesFileIsRefusedWithAClearMessage) {
  TempDir d;
  const auto p = d.write("2023-05-x-outcomes.csv",
                         "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA "
                         "name,Outcome type\n");
  try {
    ingest_one(p);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(":1: error: this is a data.police.uk outcomes file"), std::string::npos);
  }
}

TEST(IngestPoliceUk, HeaderOnlyFileHasNoRows) {
  TempDir d;
  const auto r = ingest_one(d.write("empty-street.csv", kPoliceHeader));
  EXPECT_EQ(r.counts.read, 0u);
  EXPECT_TRUE(r.table.empty());
}

// --- one test per reject reason -----------------------------------------------------

TEST(IngestRejects, WrongFieldCountNamesBothCounts) {
  TempDir d;
  const auto r = ingest_one(d.write("a.csv", std::string(kPoliceHeader) + "abc,2023-05,x\n"));
  const auto i = only_issue(r);
  EXPECT_EQ(i.code, IssueCode::field_count);
  EXPECT_EQ(i.line, 2u);
  EXPECT_EQ(i.message, "row has 3 fields, the header has 12");
  EXPECT_EQ(i.raw, "abc,2023-05,x");
}

TEST(IngestRejects, UnterminatedQuoteRejectsOneLineAndKeepsTheRest) {
  TempDir d;
  const auto r = ingest_one(d.write("a.csv", std::string(kPoliceHeader) + "\"abc,2023-05,broken\n" +
                                                 police_row("-1.25", "53.1") + police_row("-1.26", "53.1")));
  EXPECT_EQ(r.counts.read, 3u);
  EXPECT_EQ(r.counts.accepted, 2u);
  EXPECT_EQ(only_issue(r).code, IssueCode::unterminated_quote);
  EXPECT_EQ(only_issue(r).line, 2u);
}

TEST(IngestRejects, RecordLongerThanTheLimitIsRejected) {
  TempDir d;
  IngestOptions o;
  o.max_record_bytes = 4096;
  const auto r = ingest_one(
      d.write("a.csv", std::string(kPoliceHeader) + std::string(10000, 'x') + "\n" + police_row("-1.25", "53.1")), o);
  EXPECT_EQ(r.counts.read, 2u);
  EXPECT_EQ(only_issue(r).code, IssueCode::record_too_long);
  EXPECT_EQ(r.counts.accepted, 1u);
}

TEST(IngestRejects, NotANumberNotFiniteAndExponentNotation) {
  TempDir d;
  const auto r = ingest_one(d.write("a.csv", std::string(kPoliceHeader) + police_row("abc", "53.1") +
                                                 police_row("-1.25", "nan") + police_row("-1.25", "inf") +
                                                 police_row("-1.25e0", "5.31e1")));
  ASSERT_EQ(r.issues.kept().size(), 3u);
  EXPECT_EQ(r.issues.kept()[0].message, "Longitude 'abc' is not a number");
  EXPECT_EQ(r.issues.kept()[0].column, 5u);
  EXPECT_EQ(r.issues.kept()[1].message, "Latitude 'nan' is not finite");
  EXPECT_EQ(r.issues.kept()[1].column, 6u);
  EXPECT_EQ(r.issues.kept()[2].code, IssueCode::bad_number);
  EXPECT_EQ(r.counts.accepted, 1u);  // exponent notation is a valid number
}

TEST(IngestRejects, NoLocationWhenBothOrOneCoordinateIsEmpty) {
  TempDir d;
  const auto r =
      ingest_one(d.write("a.csv", std::string(kPoliceHeader) + police_row("", "") + police_row("-1.25", "")));
  ASSERT_EQ(r.issues.kept().size(), 2u);
  EXPECT_EQ(r.issues.kept()[0].code, IssueCode::no_location);
  EXPECT_EQ(r.issues.kept()[1].message, "no location: Latitude is empty");
}

TEST(IngestRejects, OutsideTheUkSwappedAndMetresGivenAsDegrees) {
  TempDir d;
  const auto r = ingest_one(d.write("a.csv", std::string(kPoliceHeader) + police_row("-74.0", "40.7") +
                                                 police_row("53.1", "-1.25") + police_row("451439", "353560")));
  ASSERT_EQ(r.issues.kept().size(), 3u);
  EXPECT_EQ(r.issues.kept()[0].code, IssueCode::outside_uk);
  EXPECT_EQ(r.issues.kept()[0].message, "Longitude/Latitude -74, 40.7 is outside the UK");
  EXPECT_EQ(r.issues.kept()[1].code, IssueCode::swapped_lonlat);
  EXPECT_EQ(r.issues.kept()[2].code, IssueCode::outside_uk);
  EXPECT_NE(r.issues.kept()[2].message.find("look like easting/northing in metres"), std::string::npos);
  EXPECT_EQ(r.counts.accepted, 0u);
}

TEST(IngestRejects, BadAndEmptyMonths) {
  TempDir d;
  const auto r = ingest_one(d.write("a.csv", std::string(kPoliceHeader) + police_row("-1.25", "53.1", "2023-13") +
                                                 police_row("-1.25", "53.1", "May 2023") +
                                                 police_row("-1.25", "53.1", "")));
  ASSERT_EQ(r.issues.kept().size(), 3u);
  for (const auto& i : r.issues.kept()) EXPECT_EQ(i.code, IssueCode::bad_date);
  EXPECT_EQ(r.issues.kept()[0].message, "Month: month '2023-13' is out of range");
  EXPECT_EQ(r.issues.kept()[2].message, "Month: month is empty");
}

TEST(IngestRejects, OutOfStudyPeriod) {
  TempDir d;
  IngestOptions o;
  o.first_month = core::month_index(2023, 1);
  o.last_month = core::month_index(2023, 12);
  const auto r = ingest_one(d.write("a.csv", std::string(kPoliceHeader) + police_row("-1.25", "53.1", "2022-12") +
                                                 police_row("-1.25", "53.1", "2023-06")),
                            o);
  EXPECT_EQ(only_issue(r).code, IssueCode::out_of_period);
  EXPECT_EQ(only_issue(r).message, "Month '2022-12' is outside the study period 2023-01 to 2023-12");
  EXPECT_EQ(r.counts.accepted, 1u);
}

TEST(IngestRejects, UnknownAndMissingCrimeTypes) {
  TempDir d;
  const auto r = ingest_one(d.write("a.csv", std::string(kPoliceHeader) +
                                                 police_row("-1.25", "53.1", "2023-05", "Burglery") +
                                                 police_row("-1.25", "53.1", "2023-05", "")));
  ASSERT_EQ(r.issues.kept().size(), 2u);
  EXPECT_EQ(r.issues.kept()[0].code, IssueCode::unknown_category);
  EXPECT_NE(r.issues.kept()[0].message.find("unknown crime type 'Burglery'"), std::string::npos);
  EXPECT_EQ(r.issues.kept()[1].code, IssueCode::missing_category);
}

TEST(IngestRejects, StudyAliasesMakeLocalSpellingsKnown) {
  TempDir d;
  auto tax = core::Taxonomy::police_uk();
  tax.add_alias("ASB - Nuisance", *tax.find("Anti-social behaviour"));
  const std::vector<std::string> files{
      d.write("a.csv", std::string(kPoliceHeader) + police_row("-1.25", "53.1", "2023-05", "ASB - Nuisance")).string()};
  const auto r = ingest(files, tax, IngestOptions{});
  EXPECT_EQ(r.counts.accepted, 1u);
  EXPECT_EQ(r.table.category()[0], *tax.find("Anti-social behaviour"));
}

TEST(IngestRejects, OutsideTheStudyArea) {
  TempDir d;
  core::AreaSet area;
  core::MultiPolygon square;
  square.resize(1);
  const auto c = core::Transformer::wgs84_to_bng().transform(-1.25, 53.1);
  for (auto [dx, dy] : {std::pair{-500, -500}, {-500, 500}, {500, 500}, {500, -500}, {-500, -500}})
    square[0].outer().emplace_back(c.x() + dx, c.y() + dy);
  area.add("A", "study", square);
  area.build();
  IngestOptions o;
  o.study_area = &area;
  const auto r =
      ingest_one(d.write("a.csv", std::string(kPoliceHeader) + police_row("-1.25", "53.1") + police_row("-1.3", "53.1")),
                 o);
  EXPECT_EQ(r.counts.accepted, 1u);
  EXPECT_EQ(only_issue(r).code, IssueCode::outside_study_area);
  EXPECT_EQ(only_issue(r).line, 3u);
  EXPECT_TRUE(r.counts.balanced());
}

// --- generic CSV -----------------------------------------------------------------

TEST(IngestCsv, LonLatWithUkDatesAndACategoryColumn) {
  TempDir d;
  const auto p = d.write("council.csv",
                         "ref;when;type;lng;lat;lsoa\n"
                         "1;17/05/2023;Anti-social behaviour;-1.25;53.1;E01027925\n"
                         "2;31/02/2023;Burglary;-1.25;53.1;\n"
                         "3;2023-06-01;Burglary;-1.26;53.11;\n");
  IngestOptions o;
  o.location.lon = "lng";
  o.location.lat = "lat";
  o.date_column = "when";
  o.category_column = "type";
  o.area_column = "lsoa";
  const auto r = ingest_one(p, o);
  EXPECT_EQ(r.files[0].format, InputFormat::csv);
  EXPECT_EQ(r.counts.accepted, 2u);
  EXPECT_EQ(only_issue(r).code, IssueCode::bad_date);
  EXPECT_EQ(only_issue(r).message, "when: date '31/02/2023' is not a real calendar date");
  EXPECT_EQ(r.table.day()[0], core::days_from_civil(2023, 5, 17));
  EXPECT_EQ(r.table.area_codes().get(r.table.area()[0]), "E01027925");
  EXPECT_EQ(r.table.area()[1], StringPool::kEmpty);
}

TEST(IngestCsv, EastingNorthingInBngAndLonLatGivenAsXy) {
  TempDir d;
  const auto p = d.write("xy.csv", "x,y,date\n451439,353560,2023-05-01\n-1.25,53.1,2023-05-02\n");
  IngestOptions o;
  o.location.x = "x";
  o.location.y = "y";
  o.date_column = "date";
  o.category_value = "Burglary";
  const auto r = ingest_one(p, o);
  ASSERT_EQ(r.table.size(), 1u);
  EXPECT_EQ(r.table.x_m()[0], 451439.0);
  EXPECT_EQ(static_cast<core::GeocodeMethod>(r.table.method()[0]), core::GeocodeMethod::xy);
  EXPECT_NE(only_issue(r).message.find("look like longitude/latitude in degrees"), std::string::npos);
}

TEST(IngestCsv, ProjectedInputInAnotherCrsIsTransformed) {
  TempDir d;
  // The Ashfield point 451439, 353560 expressed in UTM zone 30N (EPSG:32630).
  const auto utm = core::Transformer::create("EPSG:27700", "EPSG:32630").transform(451439, 353560);
  const auto p = d.write("utm.csv", "e,n,date\n" + std::to_string(utm.x()) + "," + std::to_string(utm.y()) +
                                        ",2023-05-01\n");
  IngestOptions o;
  o.location.x = "e";
  o.location.y = "n";
  o.location.epsg = 32630;
  o.date_column = "date";
  o.category_value = "Burglary";
  const auto r = ingest_one(p, o);
  ASSERT_EQ(r.table.size(), 1u);
  EXPECT_NEAR(r.table.x_m()[0], 451439, 0.01);
  EXPECT_NEAR(r.table.y_m()[0], 353560, 0.01);
}

TEST(IngestCsv, GridReferencesAreLocatedAtTheCentreOfTheirSquare) {
  TempDir d;
  const auto p = d.write("g.csv", "gr,date\nSK 5143 5356,2023-05-01\nSK 512,2023-05-01\nXX 1234,2023-05-01\n");
  IngestOptions o;
  o.location.grid_ref = "gr";
  o.date_column = "date";
  o.category_value = "Anti-social behaviour";
  const auto r = ingest_one(p, o);
  ASSERT_EQ(r.table.size(), 1u);
  EXPECT_EQ(r.table.x_m()[0], 451435.0);  // 10 m square 451430-451440: centre
  EXPECT_EQ(r.table.y_m()[0], 353565.0);
  EXPECT_EQ(static_cast<core::GeocodeMethod>(r.table.method()[0]), core::GeocodeMethod::grid_reference);
  EXPECT_EQ(r.table.score()[0], 95);
  ASSERT_EQ(r.issues.kept().size(), 2u);
  EXPECT_EQ(r.issues.kept()[0].code, IssueCode::bad_grid_reference);  // odd digits
  EXPECT_EQ(r.issues.kept()[1].code, IssueCode::bad_grid_reference);  // no such square
}

TEST(IngestCsv, MissingMappingIsAUsageErrorListingTheColumns) {
  TempDir d;
  const auto p = d.write("c.csv", "a,b,c\n1,2,3\n");
  try {
    ingest_one(p);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("the columns are: a, b, c"), std::string::npos);
  }
  IngestOptions o;
  o.location.lon = "lon";
  o.location.lat = "b";
  o.date_column = "c";
  o.category_value = "Burglary";
  try {
    ingest_one(p, o);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("column 'lon' (--lon) not found"), std::string::npos);
  }
}

// --- OGR sources --------------------------------------------------------------------

TEST(IngestOgr, GeoJsonPointsAreReadAndOtherGeometriesRejected) {
  TempDir d;
  const auto p = d.write(
      "pts.geojson",
      R"({"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"when":"2023-05-01","type":"Burglary"},"geometry":{"type":"Point","coordinates":[-1.25,53.1]}},
 {"type":"Feature","properties":{"when":"2023-05-02","type":"Burglary"},"geometry":{"type":"LineString","coordinates":[[-1.25,53.1],[-1.26,53.1]]}},
 {"type":"Feature","properties":{"when":"2023-05-03","type":"Burglary"},"geometry":null},
 {"type":"Feature","properties":{"when":"2023-05-04","type":"Nonsense"},"geometry":{"type":"Point","coordinates":[-1.25,53.1]}}
]})");
  IngestOptions o;
  o.date_column = "when";
  o.category_column = "type";
  const auto r = ingest_one(p, o);
  EXPECT_EQ(r.files[0].format, InputFormat::ogr);
  EXPECT_EQ(r.counts.read, 4u);
  EXPECT_EQ(r.counts.accepted, 1u);
  EXPECT_TRUE(r.counts.balanced());
  ASSERT_EQ(r.issues.kept().size(), 3u);
  EXPECT_EQ(r.issues.kept()[0].code, IssueCode::bad_geometry);
  EXPECT_EQ(r.issues.kept()[1].code, IssueCode::bad_geometry);
  EXPECT_EQ(r.issues.kept()[2].code, IssueCode::unknown_category);
  const core::Point expect = core::Transformer::wgs84_to_bng().transform(-1.25, 53.1);
  EXPECT_NEAR(r.table.x_m()[0], expect.x(), 1e-6);
}

TEST(ExpandGlobs, SortsMatchesAndRejectsPatternsThatMatchNothing) {
  TempDir d;
  d.write("2023-02-x-street.csv", "");
  d.write("2023-01-x-street.csv", "");
  const auto files = expand_globs(std::vector<std::string>{(d.path() / "*-street.csv").string()});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_NE(files[0].find("2023-01"), std::string::npos);
  EXPECT_THROW(expand_globs(std::vector<std::string>{(d.path() / "*.gpkg").string()}), UsageError);
  EXPECT_THROW(expand_globs(std::vector<std::string>{(d.path() / "missing.csv").string()}), UsageError);
}
