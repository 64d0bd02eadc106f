#include "layers/io/gazetteer_reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/base/error.hpp"
#include "core/geocode/gazetteer_file.hpp"
#include "core/geocode/geocoder.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
namespace geo = hotspot::core::geocode;
using hotspot::test::TempDir;

namespace {

std::filesystem::path fixture(const std::string& name) { return hotspot::test::fixtures() / "geocode" / name; }

template <typename E, typename Fn>
std::string message_of(Fn&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception: " << e.what();
    return {};
  }
  ADD_FAILURE() << "no exception";
  return {};
}

}  // namespace

TEST(GazetteerReader, NoSourceIsAUsageError) {
  EXPECT_EQ(message_of<UsageError>([] { (void)load_gazetteer({}); }),
            "no gazetteer: give an address CSV (--gazetteer), Code-Point Open postcodes (--postcodes), street lines "
            "(--streets) or a saved index");
}

TEST(GazetteerReader, MissingColumnsAndUnknownMappingPartsAreUsageErrors) {
  TempDir d;
  const auto p = d.write("g.csv", "uprn,pao,road,x,y\n1,14,Station Road,449800,358700\n");
  const std::string msg = message_of<UsageError>([&] {
    GazetteerSources s;
    s.addresses = p;
    (void)load_gazetteer(s);
  });
  EXPECT_EQ(msg, p.string() + ": no column 'street' (the street); the columns are: uprn, pao, road, x, y");
  GazetteerColumns c;
  EXPECT_EQ(message_of<UsageError>([&] { parse_gazetteer_columns("streetname=ROAD", c); }).rfind(
                "--gazetteer-columns: unknown part 'streetname'; the parts are: uprn, sao, pao", 0),
            0u);
  EXPECT_THROW(parse_gazetteer_columns("street", c), UsageError);
  parse_gazetteer_columns("street=road, locality=", c);
  EXPECT_EQ(c.street, "road");
  EXPECT_TRUE(c.locality.empty());
  GazetteerSources s;
  s.addresses = p;
  s.columns = c;
  const GazetteerLoad g = load_gazetteer(s);
  EXPECT_EQ(g.addresses_kept, 1u);
  // Optional parts that are missing are said once, not per row.
  ASSERT_GE(g.warnings.size(), 1u);
  EXPECT_NE(g.warnings[0].find("no column 'sao' (the sao)"), std::string::npos) << g.warnings[0];
}

TEST(GazetteerReader, TheFixtureInTheDefaultLayout) {
  GazetteerSources s;
  s.addresses = fixture("gazetteer.csv");
  s.postcodes = fixture("codepoint_ng_sectors.csv");
  const GazetteerLoad g = load_gazetteer(s);
  EXPECT_EQ(g.addresses_read, 13496u);
  EXPECT_EQ(g.addresses_kept, 13496u);
  EXPECT_EQ(g.postcodes_read, 10773u);
  EXPECT_EQ(g.postcodes_kept + g.postcodes_without_coordinates, 10773u);
  EXPECT_EQ(g.warning_count, 0u) << (g.warnings.empty() ? "" : g.warnings[0]);
  EXPECT_FALSE(g.from_index);
  EXPECT_EQ(g.gazetteer.addresses().size(), 13496u);
  ASSERT_EQ(g.gazetteer.sources().size(), 2u);
  EXPECT_EQ(g.gazetteer.sources()[0], fixture("gazetteer.csv").string() + ": 13,496 addresses");
  EXPECT_LT(g.seconds, 5.0);
}

TEST(GazetteerReader, BadRowsAreSkippedWithTheirLine) {
  TempDir d;
  const auto p = d.write("g.csv",
                         "uprn,sao,pao,street,locality,town,postcode,x,y\n"
                         "1,,14,Station Road,,Sutton,NG17 5FF,449800,358700\n"    // 2 fine
                         "2,,16,,,Sutton,NG17 5FF,449820,358700\n"                // 3 no street
                         "3,,18,Station Road,,Sutton,NG17 5FF,abc,358700\n"       // 4 bad x
                         "1,,20,Station Road,,Sutton,NG17 5FF,449860,358700\n"    // 5 duplicate UPRN
                         "5,,22,Station Road,,Sutton,NOT A PC,449880,358700\n"    // 6 kept, no postcode
                         "x6,,24,Station Road,,Sutton,NG17 5FF,449900,358700\n"   // 7 kept, no UPRN
                         "7,,26,Station Road,Sutton\n"                            // 8 too few fields
                         "8,,28,Station Road,,Sutton,NG17 5FF,-5,358700\n");      // 9 off the grid
  GazetteerSources s;
  s.addresses = p;
  const GazetteerLoad g = load_gazetteer(s);
  EXPECT_EQ(g.addresses_read, 8u);
  EXPECT_EQ(g.addresses_kept, 3u);
  const std::string at = p.string() + ":";
  ASSERT_EQ(g.warnings.size(), 7u);
  EXPECT_EQ(g.warnings[0], at + "3: warning: the address has no street name; skipped");
  EXPECT_EQ(g.warnings[1], at + "4: warning: coordinates 'abc', '358700' are not numbers; skipped");
  EXPECT_EQ(g.warnings[2], at + "5: warning: UPRN 1 seen before (the first is kept); skipped");
  EXPECT_EQ(g.warnings[3], at + "6: warning: 'NOT A PC' is not a UK postcode; the address is kept without it");
  EXPECT_EQ(g.warnings[4], at + "7: warning: UPRN 'x6' is not a number; the address is kept without it");
  EXPECT_EQ(g.warnings[5], at + "8: warning: row has 5 fields, the header has 9; skipped");
  EXPECT_EQ(g.warnings[6],
            at + "9: warning: coordinates are not a point on the British National Grid; skipped");
  // Warnings are capped, never silently: the count goes on.
  s.keep_warnings = 2;
  const GazetteerLoad capped = load_gazetteer(s);
  EXPECT_EQ(capped.warnings.size(), 2u);
  EXPECT_EQ(capped.warning_count, 7u);
}

TEST(GazetteerReader, AddressBaseStyleColumnsAndLonLat) {
  TempDir d;
  const auto p = d.write("ab.csv",
                         "UPRN,SAO_TEXT,PAO_START_NUMBER,PAO_START_SUFFIX,PAO_END_NUMBER,PAO_TEXT,STREET_DESCRIPTION,"
                         "TOWN_NAME,POSTCODE_LOCATOR,LONGITUDE,LATITUDE\n"
                         "10,Flat 2,14,A,,,STATION ROAD,SUTTON-IN-ASHFIELD,NG17 5FF,-1.256132,53.123578\n"
                         "11,,12,,14,,STATION ROAD,SUTTON-IN-ASHFIELD,NG17 5FF,-1.2561,53.1236\n"
                         "12,,,,,ROSE COTTAGE,STATION ROAD,SUTTON-IN-ASHFIELD,NG17 5FF,-1.2560,53.1236\n");
  GazetteerSources s;
  s.addresses = p;
  parse_gazetteer_columns(
      "uprn=UPRN,sao=SAO_TEXT,pao=PAO_START_NUMBER,pao_suffix=PAO_START_SUFFIX,pao_end=PAO_END_NUMBER,"
      "pao_text=PAO_TEXT,street=STREET_DESCRIPTION,locality=,town=TOWN_NAME,postcode=POSTCODE_LOCATOR,x=LONGITUDE,"
      "y=LATITUDE,crs=EPSG:4326",
      s.columns);
  const GazetteerLoad g = load_gazetteer(s);
  EXPECT_EQ(g.addresses_kept, 3u);
  EXPECT_EQ(g.warning_count, 0u) << g.warnings.front();
  const auto& gz = g.gazetteer;
  const uint32_t a = gz.find_uprn(10);
  ASSERT_NE(a, geo::Gazetteer::kNone);
  EXPECT_EQ(gz.describe_address(a), "FLAT 2, 14A STATION ROAD, SUTTON IN ASHFIELD NG17 5FF");
  // The Helmert transformation: NG17 5FF's centroid is (449877, 358748) on the grid.
  EXPECT_NEAR(gz.address(a).x_m, 449877, 10);
  EXPECT_NEAR(gz.address(a).y_m, 358748, 10);
  EXPECT_EQ(gz.describe_address(gz.find_uprn(11)), "12-14 STATION ROAD, SUTTON IN ASHFIELD NG17 5FF");
  EXPECT_EQ(gz.describe_address(gz.find_uprn(12)), "ROSE COTTAGE, STATION ROAD, SUTTON IN ASHFIELD NG17 5FF");
}

TEST(GazetteerReader, WholeAddressTextColumn) {
  TempDir d;
  const auto p = d.write("t.csv",
                         "id,full_address,e,n\n"
                         "1,\"Flat 2, 14a Station Rd, Skegby, Sutton-in-Ashfield NG17 5FF\",449800,358700\n"
                         "2,\"Rose Cottage, Outram Street, Sutton-in-Ashfield\",449700,358800\n");
  GazetteerSources s;
  s.addresses = p;
  parse_gazetteer_columns("address=full_address,uprn=,x=e,y=n,postcode=", s.columns);
  const GazetteerLoad g = load_gazetteer(s);
  ASSERT_EQ(g.addresses_kept, 2u);
  EXPECT_EQ(g.gazetteer.describe_address(0),
            "FLAT 2, 14A STATION ROAD, SKEGBY, SUTTON IN ASHFIELD NG17 5FF");
  EXPECT_EQ(g.gazetteer.describe_address(1), "ROSE COTTAGE, OUTRAM STREET, SUTTON IN ASHFIELD");
}

TEST(GazetteerReader, CodePointWithAndWithoutHeader) {
  // As published: no header.
  GazetteerSources a;
  a.postcodes = hotspot::test::ashfield() / "postcodes" / "codepoint_open_ashfield.csv";
  const GazetteerLoad cp = load_gazetteer(a);
  EXPECT_EQ(cp.postcodes_read, 2740u);
  EXPECT_EQ(cp.postcodes_kept, 2740u);
  const auto& g = cp.gazetteer;
  const uint32_t i = g.find_postcode(*geo::parse_postcode("NG15 0AA"));
  ASSERT_NE(i, geo::Gazetteer::kNone);
  EXPECT_DOUBLE_EQ(g.postcode(i).x_m, 451439.0);
  EXPECT_EQ(g.text(g.postcode(i).ward), "E05010674");
  EXPECT_EQ(g.text(g.postcode(i).district), "E07000170");
  // With a header naming the columns.
  GazetteerSources b;
  b.postcodes = hotspot::test::ashfield() / "postcodes" / "ashfield_area_postcodes.csv";
  const GazetteerLoad area = load_gazetteer(b);
  EXPECT_EQ(area.postcodes_read, 4120u);
  EXPECT_EQ(area.postcodes_kept, 4120u);
  const uint32_t j = area.gazetteer.find_postcode(*geo::parse_postcode("NG15 0AA"));
  EXPECT_EQ(area.gazetteer.text(area.gazetteer.postcode(j).ward), "E05010674");
}

TEST(GazetteerReader, CodePointRowsWithoutCoordinatesAreCountedNotWarned) {
  TempDir d;
  const auto p = d.write("cp.csv",
                         "\"NG17 5FF\",10,449877,358748,\"E92000001\",\"E19000001\",\"E18000004\",\"E10000024\",\"E07000170\",\"E05010677\"\n"
                         "\"NG17 9ZZ\",90,0,0,\"E92000001\",\"\",\"\",\"\",\"\",\"\"\n"
                         "\"NOTAPC\",10,449877,358748,\"\",\"\",\"\",\"\",\"\",\"\"\n");
  GazetteerSources s;
  s.postcodes = p;
  const GazetteerLoad g = load_gazetteer(s);
  EXPECT_EQ(g.postcodes_read, 3u);
  EXPECT_EQ(g.postcodes_kept, 1u);
  EXPECT_EQ(g.postcodes_without_coordinates, 1u);
  ASSERT_EQ(g.warnings.size(), 1u);
  EXPECT_EQ(g.warnings[0], p.string() + ":3: warning: 'NOTAPC' is not a UK postcode; skipped");
}

TEST(GazetteerReader, StreetLinesFromAnOgrLayer) {
  GazetteerSources s;
  s.addresses = fixture("gazetteer.csv");
  s.streets = fixture("streets.geojson");
  s.street_options.town_field = "town";
  const GazetteerLoad g = load_gazetteer(s);
  EXPECT_EQ(g.lines_read, 679u);
  EXPECT_EQ(g.lines_kept, 679u);
  // Every line found its street: no street is known only as a line.
  std::size_t with_lines = 0;
  for (uint32_t i = 0; i < g.gazetteer.streets().size(); ++i) {
    EXPECT_FALSE(g.gazetteer.addresses_of(i).empty());
    with_lines += g.gazetteer.vertices_of(i).empty() ? 0u : 1u;
  }
  EXPECT_GE(with_lines, 670u);
  EXPECT_EQ(message_of<UsageError>([&] {
              GazetteerSources bad;
              bad.streets = fixture("streets.geojson");
              bad.street_options.name_field = "name1";
              (void)load_gazetteer(bad);
            }),
            fixture("streets.geojson").string() + ": no field 'name1' (the street name); the fields are: name, town");
}

TEST(GazetteerReader, SavedIndexLoadsAloneAndIsRecognisedByItsHeader) {
  TempDir d;
  GazetteerSources s;
  s.addresses = fixture("gazetteer.csv");
  s.postcodes = fixture("codepoint_ng_sectors.csv");
  const GazetteerLoad built = load_gazetteer(s);
  save_gazetteer_index(built.gazetteer, d / "g.hsgaz");
  GazetteerSources by_index;
  by_index.index = d / "g.hsgaz";
  const GazetteerLoad loaded = load_gazetteer(by_index);
  EXPECT_TRUE(loaded.from_index);
  EXPECT_EQ(loaded.gazetteer.addresses().size(), 13496u);
  EXPECT_LT(loaded.seconds, 0.5);
  EXPECT_EQ(loaded.gazetteer.sources(), built.gazetteer.sources());
  // --gazetteer may name the index too.
  GazetteerSources as_gazetteer;
  as_gazetteer.addresses = d / "g.hsgaz";
  EXPECT_TRUE(load_gazetteer(as_gazetteer).from_index);
  // But not together with CSVs.
  as_gazetteer.postcodes = fixture("codepoint_ng_sectors.csv");
  EXPECT_NE(message_of<UsageError>([&] { (void)load_gazetteer(as_gazetteer); }).find("is a saved gazetteer index"),
            std::string::npos);
  // The index is never written over an input.
  EXPECT_THROW(save_gazetteer_index(built.gazetteer, fixture("gazetteer.csv"), {fixture("gazetteer.csv")}), UsageError);
}
