// The bad-input corpus (tests/fixtures/bad/, README.md there): one test per case,
// through every input path (ingest: police.uk, generic CSV, OGR; boundaries; the
// gazetteer and geocode inputs; intervention files; stat value files; the study
// file). Each ends in an exact "file:line: reason" error or reject row, with exact
// counts: never a crash, a hang or a row dropped without a record.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/base/utf8.hpp"
#include "core/geo/crs.hpp"
#include "core/incidents/taxonomy.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/gazetteer_reader.hpp"
#include "layers/io/ingest.hpp"
#include "layers/io/intervention_reader.hpp"
#include "layers/io/value_reader.hpp"
#include "layers/study/study.hpp"
#include "tests/support/cli.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
using core::IssueCode;
using core::Severity;
using hotspot::test::run_cli;
using hotspot::test::TempDir;

namespace {

std::string bad(const std::string& name) { return (test::fixtures() / "bad" / name).string(); }

IngestResult ingest_file(const std::string& path, IngestOptions o = {}) {
  const std::vector<std::string> files{path};
  o.threads = 2;
  return ingest(files, core::Taxonomy::police_uk(), o);
}

// "file:line:col: error: message" of every kept issue, in order.
std::vector<std::string> messages(const IngestResult& r) {
  std::vector<std::string> out;
  for (const auto& i : r.issues.kept()) out.push_back(core::format_issue(i));
  return out;
}

template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception: ") + e.what();
  }
  return "no exception";
}

void expect_balanced(const IngestResult& r) {
  EXPECT_TRUE(r.counts.balanced()) << r.counts.read << " != " << r.counts.accepted << " + " << r.counts.rejected;
  EXPECT_EQ(r.table.size(), r.counts.accepted);
}

}  // namespace

// --- CSV shape ------------------------------------------------------------------

TEST(BadInput, EmptyFileIsAnInputErrorAtLineOne) {
  EXPECT_EQ(message_of<InputError>([] { (void)ingest_file(bad("empty.csv")); }),
            bad("empty.csv") + ":1: error: the file is empty (no header line)");
  TempDir d;
  const auto r = run_cli("ingest " + bad("empty.csv") + " --out " + (d / "o.csv").string(), d);
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(r.err, bad("empty.csv") + ":1: error: the file is empty (no header line)\n");
  EXPECT_FALSE(std::filesystem::exists(d / "o.csv"));
}

TEST(BadInput, HeaderOnlyFileReadsNoRows) {
  const auto r = ingest_file(bad("header_only.csv"));
  EXPECT_EQ(r.counts.read, 0u);
  EXPECT_EQ(r.counts.rejected, 0u);
  EXPECT_EQ(r.issues.total(), 0u);
  expect_balanced(r);
}

TEST(BadInput, TruncatedLastRowIsRejectedAsFieldCount) {
  const auto r = ingest_file(bad("truncated.csv"));
  EXPECT_EQ(r.counts.read, 4u);
  EXPECT_EQ(r.counts.accepted, 3u);
  EXPECT_EQ(r.counts.rejected, 1u);
  EXPECT_EQ(messages(r), std::vector<std::string>{bad("truncated.csv") + ":5: error: row has 5 fields, the header has 12"});
  EXPECT_EQ(r.issues.kept()[0].code, IssueCode::field_count);
  expect_balanced(r);
}

TEST(BadInput, RowsSplitByAnotherDelimiterThanTheHeaderSaySo) {
  const auto r = ingest_file(bad("wrong_delimiter.csv"));
  EXPECT_EQ(r.counts.read, 2u);
  EXPECT_EQ(r.counts.rejected, 2u);
  const std::string why = ": error: row has 1 fields, the header has 12 (it is split by ';', the header is not)";
  EXPECT_EQ(messages(r), (std::vector<std::string>{bad("wrong_delimiter.csv") + ":2" + why,
                                                   bad("wrong_delimiter.csv") + ":3" + why}));
  TempDir d;
  const auto cli = run_cli("ingest " + bad("wrong_delimiter.csv") + " --out " + (d / "o.csv").string(), d);
  EXPECT_EQ(cli.code, 3);  // nothing usable
  EXPECT_NE(cli.err.find("no row could be used (2 read, all rejected)"), std::string::npos) << cli.err;
  EXPECT_FALSE(std::filesystem::exists(d / "o.csv"));
}

TEST(BadInput, SemicolonFileIsDetectedAndRead) {
  const auto r = ingest_file(bad("semicolons.csv"));
  EXPECT_EQ(r.counts.read, 2u);
  EXPECT_EQ(r.counts.accepted, 2u);
  EXPECT_EQ(r.issues.total(), 0u);
}

TEST(BadInput, UnbalancedQuoteRejectsOnlyItsLine) {
  const auto r = ingest_file(bad("unbalanced_quote.csv"));
  EXPECT_EQ(r.counts.read, 4u);
  EXPECT_EQ(r.counts.accepted, 3u);
  EXPECT_EQ(messages(r), std::vector<std::string>{
                             bad("unbalanced_quote.csv") +
                             ":3: error: a quoted field opens on this line and never closes; the line is rejected "
                             "and reading resumes on the next line"});
  EXPECT_EQ(r.issues.kept()[0].code, IssueCode::unterminated_quote);
  // The rows after it keep their physical lines.
  ASSERT_EQ(r.table.size(), 3u);
  EXPECT_EQ(r.table.line()[1], 4u);
  EXPECT_EQ(r.table.line()[2], 5u);
}

TEST(BadInput, EmbeddedNewlinesKeepPhysicalLineNumbers) {
  const auto r = ingest_file(bad("embedded_newlines.csv"));
  EXPECT_EQ(r.counts.read, 4u);
  EXPECT_EQ(r.counts.accepted, 4u);
  EXPECT_EQ(r.blank_lines, 1u);
  ASSERT_EQ(r.table.size(), 4u);
  EXPECT_EQ(r.table.line()[0], 2u);
  EXPECT_EQ(r.table.line()[1], 3u);  // spans lines 3-5
  EXPECT_EQ(r.table.line()[2], 6u);
  EXPECT_EQ(r.table.line()[3], 8u);  // after the blank line 7
}

TEST(BadInput, Windows1252BytesInKeptTextAreRejectedAsBadEncoding) {
  const auto r = ingest_file(bad("cp1252.csv"));
  EXPECT_EQ(r.counts.read, 4u);
  EXPECT_EQ(r.counts.accepted, 2u);  // f1: the bad byte is in Location, which is not kept
  EXPECT_EQ(r.counts.by_code[static_cast<std::size_t>(IssueCode::bad_encoding)], 2u);
  EXPECT_EQ(messages(r),
            (std::vector<std::string>{
                bad("cp1252.csv") + ":3:10: error: Crime type is not UTF-8 (byte 0x96 at character 17; a "
                                    "Windows-1252 export? save the file as UTF-8)",
                bad("cp1252.csv") + ":4:8: error: LSOA code is not UTF-8 (byte 0xE9 at character 9; a "
                                    "Windows-1252 export? save the file as UTF-8)"}));
  // Everything kept is UTF-8.
  for (std::size_t a = 0; a < r.table.area_codes().size(); ++a)
    EXPECT_EQ(core::first_invalid_utf8(r.table.area_codes().get(static_cast<uint32_t>(a))), std::string_view::npos);
  expect_balanced(r);
}

TEST(BadInput, OneMegabyteLinesAreRejectedWithoutHoldingThem) {
  TempDir d;
  std::string text = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                     "Crime type,Last outcome category,Context\n";
  const std::string good = "a,2023-05,P,P,-1.264,53.127,On or near X,E01028012,Ashfield 001A,Burglary,,\n";
  text += good;
  text += std::string(1u << 20, 'x') + "\n";                                        // line 3: 1 MB, one field
  text += "b,2023-05,P,P,-1.264,53.127,\"" + std::string(1u << 20, 'y') + "\",E01028012,A,Burglary,,\n";  // line 4
  text += "c" + good.substr(1);                                                       // line 5
  const auto p = d.write("long.csv", text);
  IngestOptions o;
  o.max_record_bytes = 512u << 10;  // a 512 KiB limit: both long lines are over it
  const auto r = ingest_file(p.string(), o);
  EXPECT_EQ(r.counts.read, 4u);
  EXPECT_EQ(r.counts.accepted, 2u);
  EXPECT_EQ(r.counts.by_code[static_cast<std::size_t>(IssueCode::record_too_long)], 2u);
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             p.string() + ":3: error: line of 1048577 bytes is longer than the limit",
                             p.string() + ":4: error: line of 1048630 bytes is longer than the limit"}));
  for (const auto& i : r.issues.kept()) EXPECT_LE(i.raw.size(), 1024u);  // the rejects file keeps the start
  ASSERT_EQ(r.table.size(), 2u);
  EXPECT_EQ(r.table.line()[1], 5u);
  // With the default limit (16 MB) the 1 MB lines are ordinary rows: line 3 has one
  // field, line 4 a long Location (not kept) and is accepted.
  const auto r2 = ingest_file(p.string());
  EXPECT_EQ(r2.counts.accepted, 3u);
  EXPECT_EQ(messages(r2), std::vector<std::string>{p.string() + ":3: error: row has 1 fields, the header has 12"});
}

// --- numbers and coordinates -------------------------------------------------------

TEST(BadInput, NanInfOverflowAndHexCoordinatesAreRejectedExponentsRead) {
  const auto r = ingest_file(bad("numbers.csv"));
  EXPECT_EQ(r.counts.read, 8u);
  EXPECT_EQ(r.counts.accepted, 1u);  // g4: -1.264E+00, 5.3127e1
  const std::string f = bad("numbers.csv");
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             f + ":2:5: error: Longitude 'NaN' is not finite",
                             f + ":3:6: error: Latitude 'inf' is not finite",
                             f + ":4:5: error: Longitude '-1e999' is not finite",
                             f + ":6:5: error: Longitude '0x1p0' is not a number",
                             f + ":7:5: error: Longitude '-1,264' is not a number",
                             f + ":8:5: error: no location: Longitude/Latitude are empty",
                             f + ":9:6: error: no location: Latitude is empty"}));
  ASSERT_EQ(r.table.size(), 1u);
  EXPECT_EQ(r.table.line()[0], 5u);
  expect_balanced(r);
}

TEST(BadInput, SwappedAndProjectedCoordinatesInLonLatColumnsAreNamed) {
  const auto r = ingest_file(bad("coordinates.csv"));
  const std::string f = bad("coordinates.csv");
  EXPECT_EQ(r.counts.accepted, 1u);
  EXPECT_EQ(messages(r),
            (std::vector<std::string>{
                f + ":2:5: error: Longitude/Latitude 53.127, -1.264 look swapped (a latitude in the longitude column)",
                f + ":3:5: error: Longitude/Latitude 451234, 358765 look like easting/northing in metres, not "
                    "longitude/latitude (use --x/--y)",
                f + ":4:5: error: Longitude/Latitude 2.35, 48.85 is outside the UK"}));
  EXPECT_EQ(r.issues.kept()[0].code, IssueCode::swapped_lonlat);
}

// --- dates and categories ---------------------------------------------------------

TEST(BadInput, DatesInSeveralFormatsAndImpossibleDates) {
  IngestOptions o;
  o.location.x = "easting";
  o.location.y = "northing";
  o.date_column = "reported";
  o.category_column = "type";
  const auto r = ingest_file(bad("dates.csv"), o);
  const std::string f = bad("dates.csv") + ":";
  EXPECT_EQ(r.counts.read, 17u);
  EXPECT_EQ(r.counts.accepted, 6u);  // ISO, UK day-first, with times, 29/02/2024, YYYY-MM
  EXPECT_EQ(messages(r),
            (std::vector<std::string>{
                f + "6:4: error: reported: date '17-May-2023' is not in a known layout (YYYY-MM, YYYY-MM-DD[ HH:MM], "
                    "DD/MM/YYYY[ HH:MM], YYYY/MM/DD); give the date format for others",
                f + "7:4: error: reported: date '31/02/2023' is not a real calendar date",
                f + "8:4: error: reported: date '29/02/2023' is not a real calendar date",
                f + "10:4: error: reported: date '2023-02-30' is not a real calendar date",
                f + "11:4: error: reported: date '13/13/2023' is not a real calendar date",
                f + "12:4: error: reported: date 'yesterday' is not in a known layout (YYYY-MM, YYYY-MM-DD[ HH:MM], "
                    "DD/MM/YYYY[ HH:MM], YYYY/MM/DD); give the date format for others",
                f + "13:4: error: reported: date is empty",
                f + "14:4: error: reported: date '05/17/2023' is not a real calendar date (month first? give the "
                    "date format, e.g. %m/%d/%Y)",
                f + "16:4: error: reported: date '1899-12-31' is outside the years 1900 to 2100",
                f + "17:2: error: easting/northing -1.264, 53.127 look like longitude/latitude in degrees, not "
                    "easting/northing (use --lon/--lat)",
                f + "18:4: error: reported: date '17.05.2023' is not in a known layout (YYYY-MM, YYYY-MM-DD[ HH:MM], "
                    "DD/MM/YYYY[ HH:MM], YYYY/MM/DD); give the date format for others"}));
  EXPECT_EQ(r.issues.total(), 11u);
  EXPECT_EQ(r.counts.by_code[static_cast<std::size_t>(IssueCode::bad_date)], 10u);
  expect_balanced(r);
}

TEST(BadInput, PoliceUkMonthsMustBeYearDashMonth) {
  const auto r = ingest_file(bad("months.csv"));
  const std::string f = bad("months.csv") + ":";
  EXPECT_EQ(r.counts.accepted, 1u);
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             f + "2:2: error: Month: month '2023-5' is not in the form YYYY-MM",
                             f + "3:2: error: Month: month '2023-13' is out of range",
                             f + "4:2: error: Month: month 'May 2023' is not in the form YYYY-MM",
                             f + "5:2: error: Month: month is empty",
                             f + "6:2: error: Month: month '2023-05-17' is not in the form YYYY-MM"}));
}

TEST(BadInput, UnknownAndMissingCrimeTypes) {
  const auto r = ingest_file(bad("crime_types.csv"));
  const std::string f = bad("crime_types.csv") + ":";
  EXPECT_EQ(r.counts.accepted, 2u);  // "burglary" matches case-insensitively
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             f + "2:10: error: unknown crime type 'Burglry' in Crime type (map it in the study's "
                                 "[categories] section)",
                             f + "3:10: error: Crime type is empty"}));
}

// --- duplicates --------------------------------------------------------------------

TEST(BadInput, DuplicateRowsAreKeptCountedAndListed) {
  const auto r = ingest_file(bad("duplicates.csv"));
  const std::string f = bad("duplicates.csv") + ":";
  EXPECT_EQ(r.counts.read, 6u);
  EXPECT_EQ(r.counts.accepted, 6u);  // reported, not rejected
  EXPECT_EQ(r.counts.rejected, 0u);
  EXPECT_EQ(r.counts.warnings, 2u);
  EXPECT_EQ(r.counts.by_code[static_cast<std::size_t>(IssueCode::duplicate_row)], 2u);
  // Crime ID j1 three times; the two identical ASB rows (no Crime ID) are not duplicates.
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             f + "4: warning: duplicate of line 2 (kept; remove one if it was exported twice)",
                             f + "7: warning: duplicate of line 2 (kept; remove one if it was exported twice)"}));
  EXPECT_EQ(r.issues.kept()[0].severity, Severity::warning);
}

TEST(BadInput, TheSameFileGivenTwiceIsReportedAcrossFiles) {
  const std::vector<std::string> files{bad("truncated.csv"), bad("truncated.csv")};
  IngestOptions o;
  o.threads = 2;
  const auto r = ingest(files, core::Taxonomy::police_uk(), o);
  EXPECT_EQ(r.counts.accepted, 6u);
  EXPECT_EQ(r.counts.warnings, 3u);
  const auto m = messages(r);
  ASSERT_EQ(m.size(), 5u);  // truncated row x2, 3 duplicates
  EXPECT_EQ(m[0], bad("truncated.csv") + ":5: error: row has 5 fields, the header has 12");
  EXPECT_EQ(m[1], bad("truncated.csv") + ":2: warning: duplicate of line 2 (kept; remove one if it was exported twice)");
  EXPECT_EQ(m[3], bad("truncated.csv") + ":4: warning: duplicate of line 4 (kept; remove one if it was exported twice)");
  IngestOptions off = o;
  off.report_duplicates = false;
  EXPECT_EQ(ingest(files, core::Taxonomy::police_uk(), off).counts.warnings, 0u);
}

TEST(BadInput, GenericCsvDuplicatesCompareWholeRows) {
  TempDir d;
  const auto p = d.write("asb.csv",
                         "when,easting,northing,type\n"
                         "2023-05-17,451234,358765,Burglary\n"
                         "2023-05-17,451234,358765,Burglary\n"
                         "2023-05-17,451234,358766,Burglary\n"
                         "2023-05-17,451234,358765,Burglary\n");
  IngestOptions o;
  o.location.x = "easting";
  o.location.y = "northing";
  o.date_column = "when";
  o.category_column = "type";
  const auto r = ingest_file(p.string(), o);
  EXPECT_EQ(r.counts.accepted, 4u);
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             p.string() + ":3: warning: duplicate of line 2 (kept; remove one if it was exported twice)",
                             p.string() + ":5: warning: duplicate of line 2 (kept; remove one if it was exported twice)"}));
}

// --- boundaries (GeoJSON through OGR) ---------------------------------------------

TEST(BadInput, BoundaryWindingDoesNotMatter) {
  const auto r = read_areas(bad("areas_winding.geojson"), {"", "code", "", ""});
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  ASSERT_EQ(r.areas.size(), 3u);
  // Centres of A (clockwise), B (counter-clockwise), and C's hole (clockwise ring).
  const auto tr = core::Transformer::create("EPSG:4326", "EPSG:27700");
  const auto a = tr.transform(-1.29, 53.11), b = tr.transform(-1.25, 53.11), hole = tr.transform(-1.21, 53.11),
             c = tr.transform(-1.218, 53.102);
  EXPECT_EQ(r.areas.locate(a.x(), a.y()), 0u);
  EXPECT_EQ(r.areas.locate(b.x(), b.y()), 1u);
  EXPECT_EQ(r.areas.locate(c.x(), c.y()), 2u);
  EXPECT_EQ(r.areas.locate(hole.x(), hole.y()), core::AreaSet::kNone);
}

TEST(BadInput, SelfIntersectingBoundaryIsRepairedWithAWarning) {
  const auto r = read_areas(bad("areas_self_intersecting.geojson"), {"", "code", "", ""});
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].rfind(bad("areas_self_intersecting.geojson") +
                                    ":feature 1: warning: feature 'BOWTIE' has an invalid geometry (Self-intersection",
                                0),
            0u)
      << r.warnings[0];
  EXPECT_NE(r.warnings[0].find("); repaired with MakeValid"), std::string::npos);
  EXPECT_EQ(r.areas.size(), 2u);
}

TEST(BadInput, EmptyAndNullGeometriesAreSkippedWithWarnings) {
  const auto r = read_areas(bad("areas_empty.geojson"), {"", "code", "", ""});
  const std::string f = bad("areas_empty.geojson");
  EXPECT_EQ(r.warnings, (std::vector<std::string>{f + ":feature 1: warning: feature 'EMPTY' has no geometry; skipped",
                                                  f + ":feature 2: warning: feature 'NULL' has no geometry; skipped"}));
  EXPECT_EQ(r.features_read, 3u);
  EXPECT_EQ(r.skipped, 2u);
  EXPECT_EQ(r.areas.size(), 1u);
}

TEST(BadInput, MixedGeometryTypesKeepOnlyPolygons) {
  const auto r = read_areas(bad("areas_mixed.geojson"), {"", "code", "", ""});
  const std::string f = bad("areas_mixed.geojson");
  EXPECT_EQ(r.warnings,
            (std::vector<std::string>{f + ":feature 1: warning: feature 'P' is a Point, not a polygon; skipped",
                                      f + ":feature 2: warning: feature 'L' is a Line String, not a polygon; skipped"}));
  EXPECT_EQ(r.areas.size(), 2u);  // the polygon and the two-part multipolygon
  EXPECT_EQ(r.features_read, r.areas.size() + r.skipped);
}

TEST(BadInput, WrongGeoJsonNestingIsSkippedWithAWarning) {
  const auto r = read_areas(bad("areas_wrong_nesting.geojson"), {"", "code", "", ""});
  EXPECT_EQ(r.warnings, std::vector<std::string>{bad("areas_wrong_nesting.geojson") +
                                                 ":feature 1: warning: feature 'SHALLOW' has no geometry; skipped"});
  EXPECT_EQ(r.areas.size(), 1u);
}

TEST(BadInput, MetresInAGeoJsonWithoutCrsAreRefusedNamingTheCause) {
  const std::string f = bad("areas_bng_no_crs.geojson");
  EXPECT_EQ(message_of<InputError>([&] { (void)read_areas(f, {"", "code", "", ""}); }),
            f + ": layer 'areas_bng_no_crs': none of its 1 features is a usable polygon (first: feature 'X' has "
                "coordinates (450000, 355000) that are not longitude/latitude although the layer says so (a GeoJSON "
                "file without a \"crs\" member is WGS84); if they are British National Grid metres, give the CRS "
                "(EPSG:27700); skipped)");
  // A "crs" member naming EPSG:27700 is honoured.
  const auto r = read_areas(bad("areas_bng_crs.geojson"), {"", "code", "", ""});
  ASSERT_EQ(r.areas.size(), 1u);
  EXPECT_EQ(r.areas.locate(451000, 356000), 0u);
}

TEST(BadInput, BrokenGeoJsonIsAnIoError) {
  const std::string f = bad("areas_not_json.geojson");
  const std::string m = message_of<IoError>([&] { (void)read_areas(f, {"", "code", "", ""}); });
  EXPECT_EQ(m.rfind(f + ": cannot open: ", 0), 0u) << m;
}

// --- OGR incidents -----------------------------------------------------------------

TEST(BadInput, OgrIncidentsWithNonPointGeometriesAreRejected) {
  IngestOptions o;
  o.category_value = "Burglary";
  o.date_column = "code";  // not a date: the one point is a bad_date
  const auto r = ingest_file(bad("areas_mixed.geojson"), o);
  const std::string f = bad("areas_mixed.geojson") + ":";
  EXPECT_EQ(r.counts.read, 4u);
  EXPECT_EQ(r.counts.rejected, 4u);
  EXPECT_EQ(r.counts.by_code[static_cast<std::size_t>(IssueCode::bad_geometry)], 3u);
  // GeoJSON numbers features from 0; issues count them from 1 (line 0 means "the file").
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             f + "1:1: error: code: date 'P' is not in a known layout (YYYY-MM, YYYY-MM-DD[ HH:MM], "
                                 "DD/MM/YYYY[ HH:MM], YYYY/MM/DD); give the date format for others",
                             f + "2: error: feature 2 has a LINESTRING, not a point",
                             f + "3: error: feature 3 has a POLYGON, not a point",
                             f + "4: error: feature 4 has a MULTIPOLYGON, not a point"}));
}

// --- gazetteer and geocode inputs ---------------------------------------------------

TEST(BadInput, GazetteerRowsThatCannotBeUsedAreWarnedByLine) {
  GazetteerSources s;
  s.addresses = bad("gazetteer.csv");
  const GazetteerLoad g = load_gazetteer(s);
  const std::string f = bad("gazetteer.csv") + ":";
  EXPECT_EQ(g.warnings, (std::vector<std::string>{
                            f + "3: warning: coordinates 'abc', '358717.32' are not numbers; skipped",
                            f + "4: warning: row has 7 fields, the header has 9; skipped",
                            f + "5: warning: coordinates are not a point on the British National Grid; skipped",
                            f + "6: warning: 'NOT A POSTCODE' is not a UK postcode; the address is kept without it",
                            f + "7: warning: a quoted field never closes; skipped"}));
  EXPECT_EQ(g.addresses_read, 7u);
  EXPECT_EQ(g.addresses_kept, 3u);
}

TEST(BadInput, GeocodeInputProblemsAreRejectRowsWithLines) {
  TempDir d;
  const auto r = run_cli("geocode " + bad("geocode_input.csv") + " --address address --gazetteer " +
                             bad("gazetteer.csv") + " --out " + (d / "gc.csv").string() + " --json",
                         d);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string rej = test::read_file(d / "gc.rejects.csv");
  const std::string f = bad("geocode_input.csv");
  EXPECT_EQ(rej, "source,line,column,field,code,message,raw\n" + f +
                     ",3,2,,not_geocoded,not geocoded (empty): no address,\"2,\"\n" + f +
                     ",5,2,,not_geocoded,not geocoded (empty): the text says there is no address,\"4,\"\"NFA\"\"\"\n" + f +
                     ",7,,,unterminated_quote,a quoted field opens on this line and never closes; the line is "
                     "rejected and reading resumes on the next line,\"6,\"\"unterminated\"\n");
  const auto counts = nlohmann::json::parse(r.out)["counts"];
  EXPECT_EQ(counts["rows"], 6);
  EXPECT_EQ(counts["located"], 3);
  EXPECT_EQ(counts["unmatched"], 2);
  EXPECT_EQ(counts["unreadable"], 1);  // the open quote: in the rejects file, not in the output
  EXPECT_EQ(counts["written"], 5);
}

// A Windows-1252 address list (Excel's "CSV" in England): geocoded, and written as
// UTF-8 with a warning naming the first such line, never copied as invalid bytes.
TEST(BadInput, GeocodeWritesUtf8FromAWindows1252File) {
  TempDir d;
  const auto in = d.write("addresses.csv", "ref,address\n1,\"1 Station Road, Sutton-in-Ashfield\"\n"
                                           "2,\"Caf\xe9, 1 Station Road \x96 Sutton-in-Ashfield\"\n");
  const auto r = run_cli("geocode " + in.string() + " --address address --gazetteer " + bad("gazetteer.csv") +
                             " --out " + (d / "gc.csv").string(),
                         d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(in.string() + ":3: warning: 1 row(s) are not UTF-8 (first on this line): read as "
                                     "Windows-1252 and written as UTF-8"),
            std::string::npos)
      << r.err;
  const std::string out = test::read_file(d / "gc.csv");
  EXPECT_EQ(core::first_invalid_utf8(out), std::string_view::npos);
  EXPECT_NE(out.find("Caf\xc3\xa9, 1 Station Road \xe2\x80\x93 Sutton-in-Ashfield"), std::string::npos) << out;
}

// --- interventions and value files ------------------------------------------------

TEST(BadInput, InterventionFileListsEveryProblem) {
  const std::string f = bad("interventions.csv");
  EXPECT_EQ(message_of<InputError>([&] { (void)read_interventions(f, core::Taxonomy::police_uk()); }),
            f + ":3: error: start '2023-13': month '2023-13' is out of range\n" + f +
                ":4: error: type 'moon_lasers' is not one of cctv, street_lighting, alleygate, alleyway_closure, "
                "safe_space, target_hardening, other\n" +
                f + ":5: error: duplicate id 'S1' (first at " + f + ":2)\n" + f +
                ":6: error: start '31/02/2023' must be YYYY-MM or YYYY-MM-DD\n" + f +
                ":7: error: location '', '' is not a pair of numbers\n" + f +
                ":8: error: location 'NaN', '358765' is not a pair of numbers");
}

TEST(BadInput, StatValueFilesStopAtTheFirstBadValue) {
  ValueReadOptions o;
  o.value = "count";
  EXPECT_EQ(message_of<InputError>([&] { (void)read_values(bad("values_not_number.csv"), o); }),
            bad("values_not_number.csv") + ":3:4: error: value 'x' is not a finite number");
  EXPECT_EQ(message_of<InputError>([&] { (void)read_values(bad("values_empty.csv"), o); }),
            bad("values_empty.csv") + ":3:4: error: value '' is empty");
  EXPECT_EQ(message_of<InputError>([&] { (void)read_values(bad("values_inf.csv"), o); }),
            bad("values_inf.csv") + ":3:2: error: x 'inf' is not a finite number");
  TempDir d;
  const auto r = run_cli("stat gistar " + bad("values_not_number.csv") + " --value count --distance 300 --out " +
                             (d / "g.csv").string(),
                         d);
  EXPECT_EQ(r.code, 3);
  EXPECT_FALSE(std::filesystem::exists(d / "g.csv"));
}

// --- the study file ----------------------------------------------------------------

TEST(BadInput, StudyFileErrorsNameTheKeyAndLine) {
  auto msg = [](const std::string& name) {
    return message_of<UsageError>([&] { (void)load_study(bad(name)); });
  };
  EXPECT_EQ(msg("study_unknown_key.toml"),
            bad("study_unknown_key.toml") + ":8:1: error: unknown key 'pathz' in [[inputs]] (did you mean 'paths'?)");
  EXPECT_EQ(msg("study_wrong_type.toml"), bad("study_wrong_type.toml") +
                                              ":4:19: error: [study] period from must be a month string like "
                                              "\"2023-05\", got an integer");
  EXPECT_EQ(msg("study_bad_value.toml"),
            bad("study_bad_value.toml") + ":4:19: error: [study] period from '2023-00': month '2023-00' is out of range");
  EXPECT_EQ(msg("study_not_toml.toml"), bad("study_not_toml.toml") +
                                            ":1:7: error: Error while parsing table header: expected ']', saw '\\n'");
  EXPECT_EQ(msg("study_cp1252.toml"), bad("study_cp1252.toml") + ":2:11: error: Encountered invalid utf-8 sequence");
  EXPECT_EQ(msg("study_not_finite.toml"),
            bad("study_not_finite.toml") + ":8:12: error: [evaluate] buffer_m must be a finite number, got inf");
  TempDir d;
  const auto r = run_cli("run " + bad("study_unknown_key.toml") + " --out " + (d / "out").string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(std::filesystem::exists(d / "out" / "study.gpkg"));
}
