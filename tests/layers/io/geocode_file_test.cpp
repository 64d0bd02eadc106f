#include "layers/io/geocode_file.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/spatial/area_set.hpp"
#include "tests/core/geocode/test_gazetteer.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
namespace geo = hotspot::core::geocode;
using hotspot::test::TempDir;

namespace {

const geo::Gazetteer& gazetteer() {
  static const geo::Gazetteer g = geo::test::make_test_gazetteer();
  return g;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    out.push_back(text.substr(pos, nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

struct FileRun {
  GeocodeFileResult result;
  std::string out;
  std::vector<core::RowIssue> issues;
};

FileRun run(const TempDir& d, const std::string& csv, GeocodeFileOptions o, const geo::Geocoder* g = nullptr) {
  const auto in = d.write("in.csv", csv);
  FileRun r;
  o.geocoder = g;
  o.issue_sink = [&](const core::RowIssue& i) { r.issues.push_back(i); };
  r.result = geocode_csv(in, d / "out.csv", o);
  r.out = hotspot::test::read_file(d / "out.csv");
  return r;
}

core::AreaSet two_squares() {
  // West square over Station Road (Sutton) and an east square; nothing else.
  core::AreaSet set;
  auto square = [](double x0, double y0, double side) {
    core::MultiPolygon mp;
    mp.resize(1);
    mp[0].outer() = {core::Point(x0, y0), core::Point(x0, y0 + side), core::Point(x0 + side, y0 + side),
                     core::Point(x0 + side, y0), core::Point(x0, y0)};
    return mp;
  };
  set.add("W1", "West Ward", square(449000, 358000, 1000));
  set.add("E1", "East Ward", square(450000, 358000, 1000));
  set.build();
  return set;
}

}  // namespace

TEST(GeocodeFile, EveryInputColumnAsItWasThenTheResults) {
  TempDir d;
  geo::Geocoder g(gazetteer());
  GeocodeFileOptions o;
  o.address_columns = {"address"};
  o.threads = 1;
  const FileRun r = run(d,
                    "id,address,notes\n"
                    "1,\"14A Station Rd, Sutton NG17 5FG\",\"a \"\"quoted\"\" note\"\n"
                    "2,4 Station Road,\"two\nlines\"\n"
                    "3,NFA,\n"
                    "4,NG17 5,sector only\n",
                    o, &g);
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;  // header, 4 rows (one spans two lines)
  EXPECT_EQ(lines[0], "id,address,notes,x,y,method,score,precision_m");
  EXPECT_EQ(lines[1], "1,\"14A Station Rd, Sutton NG17 5FG\",\"a \"\"quoted\"\" note\",449840.00,358690.00,address,100,5.0");
  EXPECT_EQ(lines[2] + "\n" + lines[3], "2,4 Station Road,\"two\nlines\",,,unmatched:ambiguous,,");
  EXPECT_EQ(lines[4], "3,NFA,,,,unmatched:empty,,");
  EXPECT_EQ(lines[5], "4,NG17 5,sector only,,,unmatched:below_threshold,35,");
  EXPECT_EQ(r.result.rows, 4u);
  EXPECT_EQ(r.result.written, 4u);
  EXPECT_EQ(r.result.matched, 1u);
  EXPECT_EQ(r.result.unmatched, 3u);
  // Every unmatched row is an issue with its physical line and the reason in words.
  ASSERT_EQ(r.issues.size(), 3u);
  EXPECT_EQ(r.issues[0].line, 3u);
  EXPECT_EQ(r.issues[0].column, 2u);
  EXPECT_EQ(r.issues[0].code, core::IssueCode::not_geocoded);
  EXPECT_EQ(r.issues[0].message.rfind("not geocoded (ambiguous): 2 streets named 'STATION ROAD' have that house", 0), 0u)
      << r.issues[0].message;
  EXPECT_EQ(r.issues[0].raw, "2,4 Station Road,\"two\nlines\"");
  EXPECT_EQ(r.issues[1].line, 5u);
  EXPECT_EQ(r.issues[1].message, "not geocoded (empty): the text says there is no address");
  EXPECT_EQ(r.issues[2].message, "not geocoded (below_threshold): best match scored 35, below the threshold 50");
  // The hit rate, by the Code-Point ward of each row's postcode.
  EXPECT_EQ(r.result.hit_rate.rows(), 4u);
  EXPECT_EQ(r.result.hit_rate.matched(), 1u);
  const auto areas = r.result.hit_rate.by_area();
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0].area, "E05010677");
  EXPECT_EQ(areas[1].area, "");
}

TEST(GeocodeFile, UnreadableRowsAreRejectedNotWritten) {
  TempDir d;
  geo::Geocoder g(gazetteer());
  GeocodeFileOptions o;
  o.address_columns = {"address"};
  const FileRun r = run(d,
                    "id,address\n"
                    "1,14A Station Rd NG17 5FG\n"
                    "2,4 Station Road,extra\n"
                    "3,\"never closes\n"
                    "4,12 Station Road NG17 5FG\n",
                    o, &g);
  EXPECT_EQ(r.result.rows, 4u);
  EXPECT_EQ(r.result.bad, 2u);
  EXPECT_EQ(r.result.written, 2u);
  EXPECT_EQ(r.result.rows, r.result.written + r.result.bad);
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].substr(0, 2), "1,");
  EXPECT_EQ(lines[2].substr(0, 2), "4,");
  ASSERT_EQ(r.issues.size(), 2u);
  EXPECT_EQ(r.issues[0].code, core::IssueCode::field_count);
  EXPECT_EQ(r.issues[0].line, 3u);
  EXPECT_EQ(r.issues[0].message, "row has 3 fields, the header has 2");
  EXPECT_EQ(r.issues[1].code, core::IssueCode::unterminated_quote);
  EXPECT_EQ(r.issues[1].line, 4u);
}

TEST(GeocodeFile, SeveralAddressColumnsPostcodeAndUprnColumns) {
  TempDir d;
  geo::Geocoder g(gazetteer());
  GeocodeFileOptions o;
  o.address_columns = {"house", "street", "town"};
  o.postcode_column = "pc";
  o.uprn_column = "uprn";
  const FileRun r = run(d,
                    "house,street,town,pc,uprn\n"
                    "14A,Station Rd,Sutton,,\n"
                    ",Station Road,,NG17 5FF,\n"
                    "x,y,z,,105\n",
                    o, &g);
  const auto lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_NE(lines[1].find(",address,100,"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find(",street,75,"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find(",uprn,100,"), std::string::npos) << lines[3];
}

TEST(GeocodeFile, TheInputDelimiterIsKept) {
  TempDir d;
  geo::Geocoder g(gazetteer());
  GeocodeFileOptions o;
  o.address_columns = {"address"};
  const FileRun r = run(d, "id;address\n1;14A Station Rd, Sutton NG17 5FG\n", o, &g);
  const auto lines = lines_of(r.out);
  EXPECT_EQ(lines[0], "id;address;x;y;method;score;precision_m");
  EXPECT_EQ(lines[1], "1;14A Station Rd, Sutton NG17 5FG;449840.00;358690.00;address;100;5.0");
}

TEST(GeocodeFile, ExplainAddsTheMatchAndWhatWasAssumed) {
  TempDir d;
  geo::Geocoder g(gazetteer());
  GeocodeFileOptions o;
  o.address_columns = {"address"};
  o.explain = true;
  const FileRun r = run(d, "address\n16A Station Road Sutton\n", o, &g);
  const auto lines = lines_of(r.out);
  EXPECT_EQ(lines[0], "address,x,y,method,score,precision_m,match,note");
  EXPECT_EQ(lines[1],
            "16A Station Road Sutton,449860.00,358690.00,address,90,5.0,\"16 STATION ROAD, SUTTON IN ASHFIELD NG17 "
            "5FG\",house letter not found; the plain number used");
}

TEST(GeocodeFile, CoordinateColumnsAndAreas) {
  TempDir d;
  const core::AreaSet areas = two_squares();
  GeocodeFileOptions o;
  o.coordinates.x = "e";
  o.coordinates.y = "n";
  o.areas = &areas;
  const FileRun r = run(d,
                    "id,e,n\n"
                    "1,449500,358500\n"   // West Ward
                    "2,450500,358500\n"   // East Ward
                    "3,460000,358500\n"   // in no polygon
                    "4,,\n"               // no location
                    "5,abc,358500\n"      // not a number
                    "6,-5,358500\n",      // off the grid
                    o);
  const auto lines = lines_of(r.out);
  EXPECT_EQ(lines[0], "id,e,n,x,y,method,score,precision_m,area_code,area_name");
  EXPECT_EQ(lines[1], "1,449500,358500,449500.00,358500.00,xy,100,,W1,West Ward");
  EXPECT_EQ(lines[2], "2,450500,358500,450500.00,358500.00,xy,100,,E1,East Ward");
  EXPECT_EQ(lines[3], "3,460000,358500,460000.00,358500.00,xy,100,,,");
  EXPECT_EQ(lines[4], "4,,,,,unmatched:no_location,,,,");
  EXPECT_EQ(lines[5], "5,abc,358500,,,unmatched:bad_number,,,,");
  EXPECT_EQ(lines[6], "6,-5,358500,,,unmatched:outside_uk,,,,");
  EXPECT_EQ(r.result.assigned, 2u);
  EXPECT_EQ(r.result.outside, 1u);
  EXPECT_EQ(r.result.outside_lines, (std::vector<uint64_t>{4}));
  ASSERT_EQ(r.issues.size(), 3u);
  EXPECT_EQ(r.issues[0].code, core::IssueCode::no_location);
  EXPECT_EQ(r.issues[1].code, core::IssueCode::bad_number);
  EXPECT_EQ(r.issues[1].message, "'abc' is not a number");
  EXPECT_EQ(r.issues[2].code, core::IssueCode::outside_uk);
}

TEST(GeocodeFile, LonLatAndGridReferenceColumns) {
  TempDir d;
  GeocodeFileOptions o;
  o.coordinates.lon = "lon";
  o.coordinates.lat = "lat";
  FileRun r = run(d, "lon,lat\n-1.256132,53.123578\n53.1,-1.2\n", o);
  auto lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[1].substr(0, 20), "-1.256132,53.123578,");
  EXPECT_NE(lines[1].find(",lonlat,100,"), std::string::npos);
  EXPECT_NE(lines[2].find("unmatched:outside_uk"), std::string::npos);
  EXPECT_EQ(r.issues.at(0).code, core::IssueCode::swapped_lonlat);
  GeocodeFileOptions g;
  g.coordinates.grid_ref = "ref";
  r = run(d, "ref\nSK 5123 5876\nXX 1\n", g);
  lines = lines_of(r.out);
  EXPECT_EQ(lines[1], "SK 5123 5876,451235.00,358765.00,grid_reference,100,7.1");
  EXPECT_EQ(lines[2], "XX 1,,,unmatched:bad_grid_reference,,");
}

TEST(GeocodeFile, HitRateByPolygonIncludesUnmatchedRowsByTheirPostcode) {
  TempDir d;
  geo::Geocoder g(gazetteer());
  const core::AreaSet areas = two_squares();
  GeocodeFileOptions o;
  o.address_columns = {"address"};
  o.areas = &areas;
  const FileRun r = run(d,
                    "address\n"
                    "\"14A Station Rd, NG17 5FG\"\n"     // located, West Ward
                    "\"99 Nowhere Lane, NG17 5\"\n"      // unmatched, sector: no postcode unit
                    "\"4 Outram Street, Hucknall\"\n"    // unmatched, no postcode
                    "\"5 Park Avenue, Kirkby\"\n",       // located, outside both squares
                    o, &g);
  const auto areas_hr = r.result.hit_rate.by_area();
  ASSERT_EQ(areas_hr.size(), 3u);
  EXPECT_EQ(areas_hr[0].area, "(outside)");
  EXPECT_EQ(areas_hr[1].area, "W1");
  EXPECT_EQ(areas_hr[1].matched, 1u);
  EXPECT_EQ(areas_hr[2].area, "");
  EXPECT_EQ(areas_hr[2].rows, 2u);
}

TEST(GeocodeFile, SameOutputForAnyThreadCount) {
  TempDir d;
  geo::Geocoder g(gazetteer());
  std::string csv = "id,address,notes\n";
  const char* queries[] = {"14A Station Rd, Sutton NG17 5FG", "4 Station Road", "5 Park Ave", "NFA",
                           "Junction of Station Road and Outram Street, Sutton", "8 Station Road, Sutton",
                           "14 Staion Rd, NG17 5FG"};
  for (int i = 0; i < 70000; ++i)
    csv += std::to_string(i) + ",\"" + queries[i % 7] + "\",reported by phone; officer attended; no further action\n";
  ASSERT_GT(csv.size(), 4u << 20);  // more than one chunk
  GeocodeFileOptions o;
  o.address_columns = {"address"};
  o.threads = 1;
  const FileRun one = run(d, csv, o, &g);
  o.threads = 2;
  const FileRun two = run(d, csv, o, &g);
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(one.issues.size(), two.issues.size());
  EXPECT_EQ(one.result.matched, two.result.matched);
  EXPECT_EQ(lines_of(one.out).size(), 70001u);
}

TEST(GeocodeFile, Errors) {
  TempDir d;
  geo::Geocoder g(gazetteer());
  GeocodeFileOptions o;
  o.address_columns = {"adress"};
  EXPECT_THROW(run(d, "address\nx\n", o, &g), UsageError);
  o.address_columns = {"address"};
  EXPECT_THROW(run(d, "address\nx\n", o, nullptr), UsageError);  // no geocoder
  GeocodeFileOptions none;
  EXPECT_THROW(run(d, "address\nx\n", none, &g), UsageError);  // no location at all
  const auto in = d.write("same.csv", "address\nx\n");
  o.geocoder = &g;
  o.inputs = {in};
  EXPECT_THROW(geocode_csv(in, in, o), UsageError);  // never over an input
}
