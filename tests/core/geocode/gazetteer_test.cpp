#include "core/geocode/gazetteer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/core/geocode/test_gazetteer.hpp"

using namespace hotspot::core;
using namespace hotspot::core::geocode;

namespace {
AddressRecord record(const char* pao, const char* street, double x = 449800, double y = 358700) {
  AddressRecord r;
  r.pao = pao;
  r.street = street;
  r.town = "Sutton-in-Ashfield";
  r.x_m = x;
  r.y_m = y;
  return r;
}
}  // namespace

TEST(Gazetteer, BuilderSaysWhichRecordsItCannotUse) {
  GazetteerBuilder b;
  auto no_street = b.add_address(record("1", ""));
  ASSERT_FALSE(no_street.ok());
  EXPECT_EQ(no_street.error().code, GazetteerError::no_street);
  auto no_house = b.add_address(record("", "Station Road"));
  ASSERT_FALSE(no_house.ok());
  EXPECT_EQ(no_house.error().code, GazetteerError::no_house);
  auto off_grid = b.add_address(record("1", "Station Road", -5, 100));
  ASSERT_FALSE(off_grid.ok());
  EXPECT_EQ(off_grid.error().code, GazetteerError::bad_coordinates);
  auto nan = b.add_address(record("1", "Station Road", std::nan(""), 100));
  EXPECT_EQ(nan.error().code, GazetteerError::bad_coordinates);
  AddressRecord bad_pc = record("1", "Station Road");
  bad_pc.postcode = "NOT A POSTCODE";
  auto pc = b.add_address(bad_pc);
  ASSERT_FALSE(pc.ok());
  EXPECT_EQ(pc.error().code, GazetteerError::bad_postcode);
  EXPECT_EQ(pc.error().message, "'NOT A POSTCODE' is not a UK postcode");
  AddressRecord u = record("1", "Station Road");
  u.uprn = 42;
  EXPECT_TRUE(b.add_address(u).ok());
  auto dup = b.add_address(u);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, GazetteerError::duplicate_uprn);
  EXPECT_EQ(dup.error().message, "UPRN 42 seen before (the first is kept)");
  // A UPRN alone is enough to be matched by UPRN.
  AddressRecord only_uprn = record("", "Station Road");
  only_uprn.uprn = 43;
  EXPECT_TRUE(b.add_address(only_uprn).ok());

  EXPECT_EQ(b.add_postcode({"NG17 5FF", 0, 0, 90, "", ""}).error().code, GazetteerError::no_coordinates);
  EXPECT_EQ(b.add_postcode({"NG17", 449000, 358000, 10, "", ""}).error().code, GazetteerError::bad_postcode);
  EXPECT_TRUE(b.add_postcode({"NG17 5FF", 449750, 358700, 10, "", ""}).ok());
  EXPECT_EQ(b.add_postcode({"ng175ff", 449750, 358700, 10, "", ""}).error().code, GazetteerError::duplicate_postcode);
  const std::vector<Point> one = {Point(449000, 358000)};
  EXPECT_EQ(b.add_street_line({"Station Road", "", "", one}).error().code, GazetteerError::short_line);
  EXPECT_EQ(b.address_count(), 2u);
  EXPECT_EQ(b.postcode_count(), 1u);
  for (auto e : {GazetteerError::no_street, GazetteerError::no_house, GazetteerError::bad_coordinates,
                 GazetteerError::bad_postcode, GazetteerError::duplicate_uprn, GazetteerError::duplicate_postcode,
                 GazetteerError::no_coordinates, GazetteerError::short_line})
    EXPECT_STRNE(describe(e), "unknown gazetteer error");
}

TEST(Gazetteer, PaoAndSaoParts) {
  HouseNumber n;
  std::string building;
  split_pao("14A", n, building);
  EXPECT_EQ(n, (HouseNumber{14, 'A', 0, 0}));
  EXPECT_TRUE(building.empty());
  split_pao("12-14", n, building);
  EXPECT_EQ(n, (HouseNumber{12, 0, 14, 0}));
  split_pao("12a - 12c", n, building);
  EXPECT_EQ(n, (HouseNumber{12, 'A', 12, 'C'}));
  split_pao("Rose Cottage", n, building);
  EXPECT_TRUE(n.empty());
  EXPECT_EQ(building, "ROSE COTTAGE");
  split_pao("Rose Cottage 14", n, building);
  EXPECT_EQ(n.number, 14u);
  EXPECT_EQ(building, "ROSE COTTAGE");
  split_pao("123456", n, building);  // not a house number
  EXPECT_TRUE(n.empty());
  EXPECT_EQ(normalize_sao("Flat 2"), "2");
  EXPECT_EQ(normalize_sao("Apartment 2A"), "2A");
  EXPECT_EQ(normalize_sao("flat 2 a"), "2A");
  EXPECT_EQ(normalize_sao("Unit 3"), "3");
  EXPECT_EQ(normalize_sao("Ground Floor Flat"), "GROUND FLOOR");
  EXPECT_EQ(normalize_sao("Flat"), "FLAT");
  EXPECT_EQ(normalize_sao(""), "");
}

TEST(Gazetteer, StreetsAndTheirAddressesInHouseOrder) {
  const Gazetteer g = test::make_test_gazetteer();
  const auto sutton = g.streets_named("STATION ROAD");
  ASSERT_EQ(sutton.size(), 2u);  // Sutton and Nottingham
  const auto& st = g.street(sutton[0]);
  EXPECT_EQ(g.text(st.town), "SUTTON IN ASHFIELD");
  const auto addrs = g.addresses_of(sutton[0]);
  ASSERT_FALSE(addrs.empty());
  for (std::size_t i = 1; i < addrs.size(); ++i) EXPECT_LE(addrs[i - 1].number, addrs[i].number);
  EXPECT_EQ(addrs.front().number, 0u);  // the named house first
  EXPECT_EQ(g.text(addrs.front().building), "ROSE COTTAGE");
  // The representative point is one of its addresses; the radius reaches them all.
  bool is_address = false;
  for (const auto& a : addrs) {
    is_address = is_address || (a.x_m == st.rep_x_m && a.y_m == st.rep_y_m);
    EXPECT_LE(std::hypot(a.x_m - st.rep_x_m, a.y_m - st.rep_y_m), static_cast<double>(st.radius_m) + 1e-3);
  }
  EXPECT_TRUE(is_address);
  EXPECT_TRUE(g.streets_named("NO SUCH ROAD").empty());
}

TEST(Gazetteer, OneNameInOneTownFarApartIsTwoStreets) {
  GazetteerBuilder b;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(b.add_address(record(std::to_string(i + 1).c_str(), "Nuthall Road", 454000 + 15.0 * i, 341000)).ok());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(b.add_address(record(std::to_string(i + 50).c_str(), "Nuthall Road", 455500 + 15.0 * i, 341000)).ok());
  const Gazetteer g = std::move(b).build();
  ASSERT_EQ(g.streets_named("NUTHALL ROAD").size(), 2u);
  for (uint32_t s : g.streets_named("NUTHALL ROAD")) EXPECT_EQ(g.addresses_of(s).size(), 5u);
}

TEST(Gazetteer, PostcodesSectorsDistrictsAndTheirStreets) {
  const Gazetteer g = test::make_test_gazetteer();
  const uint32_t ff = g.find_postcode(*parse_postcode("NG17 5FF"));
  ASSERT_NE(ff, Gazetteer::kNone);
  EXPECT_EQ(g.text(g.postcode(ff).ward), "E05010677");
  EXPECT_GT(g.postcode(ff).address_count, 0u);
  EXPECT_GE(g.postcode(ff).radius_m, 10.0f);
  const uint32_t fh = g.find_postcode(*parse_postcode("NG17 5FH"));
  EXPECT_EQ(g.postcode(fh).address_count, 0u);
  EXPECT_FLOAT_EQ(g.postcode(fh).radius_m, 100.0f);  // no addresses: the default
  EXPECT_EQ(g.streets_of_postcode(fh).size(), 0u);
  const uint32_t sector = g.find_sector(*parse_postcode_any("NG17 5"));
  ASSERT_NE(sector, Gazetteer::kNone);
  EXPECT_EQ(g.sector(sector).units, 3u);
  EXPECT_NEAR(g.sector(sector).x_m, (449750.0 + 449850.0 + 451250.0) / 3, 1e-6);
  EXPECT_EQ(g.streets_of_sector(sector).size(), 2u);  // Station Road and Outram Street (Sutton)
  const uint32_t district = g.find_district(*parse_outward_code("NG17"));
  EXPECT_EQ(g.streets_of_district(district).size(), 3u);  // + Park Avenue (Kirkby)
  EXPECT_EQ(g.find_postcode(*parse_postcode("NG17 5XX")), Gazetteer::kNone);
}

TEST(Gazetteer, PostcodesOnlyTheAddressesKnowAreDerived) {
  GazetteerBuilder b;
  AddressRecord r = record("1", "Station Road", 449800, 358700);
  r.postcode = "NG17 5FF";
  EXPECT_TRUE(b.add_address(r).ok());
  r = record("3", "Station Road", 449820, 358700);
  r.postcode = "NG17 5FF";
  EXPECT_TRUE(b.add_address(r).ok());
  const Gazetteer g = std::move(b).build();
  const uint32_t p = g.find_postcode(*parse_postcode("NG17 5FF"));
  ASSERT_NE(p, Gazetteer::kNone);
  EXPECT_EQ(g.postcode(p).quality, 0u);
  EXPECT_DOUBLE_EQ(g.postcode(p).x_m, 449810.0);
}

TEST(Gazetteer, PlacesByNameAndByLeadingWords) {
  const Gazetteer g = test::make_test_gazetteer();
  ASSERT_TRUE(g.find_place("SUTTON IN ASHFIELD").has_value());
  ASSERT_TRUE(g.find_place("HUCKNALL").has_value());
  EXPECT_FALSE(g.find_place("SUTTON").has_value());
  EXPECT_EQ(g.places_starting("SUTTON").size(), 1u);  // town and locality normalise alike
  EXPECT_EQ(g.places_starting("KIRKBY IN").size(), 1u);
  EXPECT_TRUE(g.places_starting("ASHFIELD").empty());  // leading words only
  const uint32_t hucknall = *g.find_place("HUCKNALL");
  ASSERT_EQ(g.streets_in_place(hucknall).size(), 1u);
  EXPECT_EQ(g.text(g.street(g.streets_in_place(hucknall)[0]).name), "PARK AVENUE");
}

TEST(Gazetteer, UprnsAndDescriptions) {
  const Gazetteer g = test::make_test_gazetteer();
  const uint32_t a = g.find_uprn(105);  // the sixth address: Flat 1, 13 Station Road
  ASSERT_NE(a, Gazetteer::kNone);
  EXPECT_EQ(g.describe_address(a), "FLAT 1, 13 STATION ROAD, SUTTON IN ASHFIELD NG17 5FG");
  EXPECT_EQ(g.find_uprn(99999), Gazetteer::kNone);
  EXPECT_EQ(g.describe_street(g.address(a).street), "STATION ROAD, SUTTON IN ASHFIELD");
  const Box b = g.bounds();
  EXPECT_LE(b.min_corner().x(), 449700);
  EXPECT_GE(b.max_corner().x(), 456000);
  EXPECT_GT(g.bytes(), 0u);
}

TEST(Gazetteer, LinesJoinTheirStreetOrMakeTheirOwn) {
  const Gazetteer g = test::make_test_gazetteer(true);
  const auto station = g.streets_named("STATION ROAD");
  ASSERT_EQ(station.size(), 2u);  // the line joined Sutton's Station Road
  EXPECT_EQ(g.vertices_of(station[0]).size(), 2u);
  EXPECT_TRUE(g.vertices_of(station[1]).empty());
  // The representative point is on the line now.
  EXPECT_DOUBLE_EQ(g.street(station[0]).rep_y_m, 358700.0);

  GazetteerBuilder b;
  const std::vector<Point> line = {Point(450000, 360000), Point(450300, 360000)};
  EXPECT_TRUE(b.add_street_line({"Lonely Lane", "", "", line}).ok());
  EXPECT_TRUE(b.add_postcode({"NG17 2AA", 450150, 360050, 10, "", ""}).ok());
  const Gazetteer only = std::move(b).build();
  ASSERT_EQ(only.streets_named("LONELY LANE").size(), 1u);
  const uint32_t s = only.streets_named("LONELY LANE")[0];
  EXPECT_TRUE(only.addresses_of(s).empty());
  // A line-only street belongs to the postcodes within 200 m of it.
  const uint32_t pc = only.find_postcode(*parse_postcode("NG17 2AA"));
  ASSERT_EQ(only.streets_of_postcode(pc).size(), 1u);
  EXPECT_EQ(only.streets_of_postcode(pc)[0], s);
}
