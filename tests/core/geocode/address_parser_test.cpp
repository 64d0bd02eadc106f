#include "core/geocode/address_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace hotspot::core::geocode;

namespace {

// A gazetteer that knows a few street and place names (for the no-comma splits).
Gazetteer small_gazetteer() {
  GazetteerBuilder b;
  auto add = [&](const char* pao, const char* street, const char* locality, const char* town, const char* pc, double x,
                 double y) {
    AddressRecord r;
    r.pao = pao;
    r.street = street;
    r.locality = locality;
    r.town = town;
    r.postcode = pc;
    r.x_m = x;
    r.y_m = y;
    EXPECT_TRUE(b.add_address(r).ok());
  };
  add("14A", "Station Road", "Sutton in Ashfield", "Sutton-in-Ashfield", "NG17 5FF", 449794, 358735);
  add("12", "Kings Mill Road East", "Sutton in Ashfield", "Sutton-in-Ashfield", "NG17 4HA", 450746, 359329);
  add("1", "Forest Road West", "", "Nottingham", "NG7 4EQ", 456000, 341000);
  add("2", "Park Road", "West Bridgford", "Nottingham", "NG2 7AA", 458000, 337000);
  return std::move(b).build();
}

struct Parsed {
  ParsedAddress a;
  explicit Parsed(std::string_view text, std::string_view postcode = {}, const Gazetteer* g = nullptr) {
    AddressParser p(g);
    p.parse(text, postcode, a);
  }
};

}  // namespace

TEST(AddressParser, EmptyAndNoAddressText) {
  EXPECT_TRUE(Parsed("").a.empty());
  EXPECT_TRUE(Parsed(" , ,").a.empty());
  for (const char* t : {"NFA", "No fixed abode", "Unknown", "N/K", "n/k", "Address withheld", "Not known", "TBC"}) {
    const Parsed p(t);
    EXPECT_TRUE(p.a.no_address) << t;
    EXPECT_TRUE(p.a.street.empty()) << t;
  }
}

TEST(AddressParser, TheIssueExamples) {
  const Gazetteer g = small_gazetteer();
  const Parsed a("14a Station Rd, Sutton in Ashfield NG17 5FF", "", &g);
  EXPECT_EQ(a.a.house, (HouseNumber{14, 'A', 0, 0}));
  EXPECT_EQ(a.a.street, "STATION ROAD");
  ASSERT_EQ(a.a.places.size(), 1u);
  EXPECT_EQ(a.a.places[0], "SUTTON IN ASHFIELD");
  EXPECT_EQ(a.a.postcode.text(), "NG17 5FF");

  const Parsed b("flat 2 12 kings mill road east");
  EXPECT_EQ(b.a.sao, "2");
  EXPECT_EQ(b.a.house.number, 12u);
  EXPECT_EQ(b.a.street, "KINGS MILL ROAD EAST");
  EXPECT_TRUE(b.a.places.empty());

  const Parsed c("rear of 33 Outram St");
  EXPECT_EQ(c.a.qualifier, Qualifier::rear);
  EXPECT_EQ(c.a.house.number, 33u);
  EXPECT_EQ(c.a.street, "OUTRAM STREET");
}

TEST(AddressParser, FlatForms) {
  for (const char* t : {"Flat 2, 14a Station Road", "2/14A Station Road", "Apartment 2, 14A Station Road",
                        "Flat 2 14A Station Road", "FLAT 2, 14A, STATION ROAD", "Apt 2 14A Station Rd",
                        "2 14A Station Road"}) {
    const Parsed p(t);
    EXPECT_EQ(p.a.sao, "2") << t;
    EXPECT_EQ(p.a.house, (HouseNumber{14, 'A', 0, 0})) << t;
    EXPECT_EQ(p.a.street, "STATION ROAD") << t;
  }
  const Parsed floor("Ground Floor Flat, 9 Albert Street");
  EXPECT_EQ(floor.a.sao, "GROUND FLOOR");
  EXPECT_EQ(floor.a.house.number, 9u);
}

TEST(AddressParser, HouseRangesAndLetters) {
  EXPECT_EQ(Parsed("12-14 Station Rd").a.house, (HouseNumber{12, 0, 14, 0}));
  EXPECT_EQ(Parsed("12 - 14 Station Rd").a.house, (HouseNumber{12, 0, 14, 0}));
  EXPECT_EQ(Parsed("12A-12C Station Rd").a.house, (HouseNumber{12, 'A', 12, 'C'}));
  EXPECT_EQ(Parsed("14 A Station Rd").a.house, (HouseNumber{14, 'A', 0, 0}));
  EXPECT_EQ(Parsed("14, Station Road, Sutton").a.house.number, 14u);
  EXPECT_EQ(Parsed("14, Station Road, Sutton").a.street, "STATION ROAD");
}

TEST(AddressParser, Qualifiers) {
  const std::vector<std::pair<const char*, Qualifier>> cases = {
      {"Rear of 33 Outram St", Qualifier::rear},       {"R/O 33 Outram St", Qualifier::rear},
      {"r / o 33 Outram St", Qualifier::rear},         {"To the rear of 33 Outram St", Qualifier::rear},
      {"Land at 33 Outram St", Qualifier::land},       {"Land adjacent to 33 Outram St", Qualifier::land},
      {"o/s 33 Outram St", Qualifier::outside},        {"Outside 33 Outram St", Qualifier::outside},
      {"Opp 33 Outram St", Qualifier::opposite},       {"opposite 33 Outram St", Qualifier::opposite},
      {"Near 33 Outram St", Qualifier::near},          {"adj to 33 Outram St", Qualifier::adjacent},
      {"Garages rear of 33 Outram St", Qualifier::rear}, {"Car park behind 33 Outram St", Qualifier::rear}};
  for (const auto& [text, q] : cases) {
    const Parsed p(text);
    EXPECT_EQ(p.a.qualifier, q) << text;
    EXPECT_EQ(p.a.house.number, 33u) << text;
    EXPECT_EQ(p.a.street, "OUTRAM STREET") << text;
  }
  // A street that starts with a qualifier word is still a street.
  EXPECT_EQ(Parsed("Rear Lane").a.street, "REAR LANE");
}

TEST(AddressParser, Junctions) {
  for (const char* t : {"Junction of Station Road and Outram Street, Sutton", "junction of Station Rd & Outram St, Sutton",
                        "Jct Station Rd/Outram St, Sutton", "Station Rd j/w Outram St, Sutton",
                        "Corner of Station Road and Outram Street, Sutton", "Station Road / Outram Street, Sutton",
                        "Station Road junction with Outram Street, Sutton", "Station Road and Outram Street, Sutton",
                        "Junction of Station Road, Outram Street, Sutton"}) {
    const Parsed p(t);
    EXPECT_TRUE(p.a.junction) << t;
    EXPECT_EQ(p.a.street, "STATION ROAD") << t;
    EXPECT_EQ(p.a.street2, "OUTRAM STREET") << t;
    ASSERT_EQ(p.a.places.size(), 1u) << t;
    EXPECT_EQ(p.a.places[0], "SUTTON") << t;
  }
  // Not junctions: a street called Junction Road, a flat, a house range.
  EXPECT_FALSE(Parsed("Junction Road, Sutton").a.junction);
  EXPECT_EQ(Parsed("Junction Road, Sutton").a.street, "JUNCTION ROAD");
  EXPECT_FALSE(Parsed("2/14 Station Road").a.junction);
  EXPECT_FALSE(Parsed("Smith and Sons Yard").a.junction);
}

TEST(AddressParser, BuildingNames) {
  const Parsed p("Rose Cottage, Station Road, Sutton");
  EXPECT_EQ(p.a.building, "ROSE COTTAGE");
  EXPECT_EQ(p.a.street, "STATION ROAD");
  EXPECT_TRUE(p.a.house.empty());
  const Parsed q("Unit 3, Acme House, 14 Station Road");
  EXPECT_EQ(q.a.sao, "3");
  EXPECT_EQ(q.a.building, "ACME HOUSE");
  EXPECT_EQ(q.a.house.number, 14u);
}

TEST(AddressParser, PostcodesAnywhereAnyShape) {
  EXPECT_EQ(Parsed("14 Station Road NG175FF").a.postcode.text(), "NG17 5FF");
  EXPECT_EQ(Parsed("14 Station Road ng17  5ff").a.postcode.text(), "NG17 5FF");
  EXPECT_EQ(Parsed("NG17 5FF 14 Station Road").a.street, "STATION ROAD");
  EXPECT_EQ(Parsed("14 Station Road, NG17 5").a.postcode.level(), PostcodeLevel::sector);
  EXPECT_EQ(Parsed("14 Station Road, NG17").a.postcode.level(), PostcodeLevel::district);
  EXPECT_EQ(Parsed("14 Station Road, NG17").a.street, "STATION ROAD");
  // The postcode column wins over one in the text; the text's is still removed.
  const Parsed p("14 Station Road NG17 5FG", "ng17 5ff");
  EXPECT_EQ(p.a.postcode.text(), "NG17 5FF");
  EXPECT_TRUE(p.a.postcode_from_column);
  EXPECT_EQ(p.a.street, "STATION ROAD");
  EXPECT_TRUE(Parsed("NG17 5FF").a.street.empty());
}

TEST(AddressParser, StreetAndPlaceWithoutCommas) {
  const Gazetteer g = small_gazetteer();
  // Known street first: "FOREST ROAD WEST" is a street, not FOREST ROAD in "West".
  const Parsed a("1 forest road west nottingham", "", &g);
  EXPECT_EQ(a.a.street, "FOREST ROAD WEST");
  ASSERT_EQ(a.a.places.size(), 1u);
  EXPECT_EQ(a.a.places[0], "NOTTINGHAM");
  // A misspelt street before a known place: split at the place.
  const Parsed b("14 statin road sutton in ashfield", "", &g);
  EXPECT_EQ(b.a.street, "STATIN ROAD");
  EXPECT_EQ(b.a.places.at(0), "SUTTON IN ASHFIELD");
  // A known place by its leading word.
  const Parsed c("14 statin road sutton", "", &g);
  EXPECT_EQ(c.a.street, "STATIN ROAD");
  EXPECT_EQ(c.a.places.at(0), "SUTTON");
  // Without vocabulary: up to the last street type word.
  const Parsed d("14 statin road sutton in ashfield");
  EXPECT_EQ(d.a.street, "STATIN ROAD");
  EXPECT_EQ(d.a.places.at(0), "SUTTON IN ASHFIELD");
  // A name that ends in a type word is all street ("LEYS" is a type too).
  EXPECT_EQ(Parsed("7 Summer Leys Lane").a.street, "SUMMER LEYS LANE");
}

TEST(AddressParser, LocationsInTheTextAreSetAside) {
  const Parsed p("Field behind the allotments, grid ref SK 5123 5876");
  ASSERT_TRUE(p.a.text_location.has_value());
  EXPECT_EQ(p.a.text_location->kind, TextLocationKind::grid_reference);
  EXPECT_TRUE(p.a.postcode.empty());  // SK 5123 is not a postcode
}

// Misspelt streets the gazetteer cannot name: an abbreviated closing direction stays in
// the street ("FORST RD W" is FORST ROAD WEST, not FORST ROAD in a place "W"), and a
// type word that opens the name does not end it ("MOUNT PLEAANT" is not MOUNT).
TEST(AddressParser, MisspeltStreetsKeepTheirDirectionAndOpeningTypeWord) {
  const Gazetteer g = small_gazetteer();
  for (const Gazetteer* gz : {static_cast<const Gazetteer*>(nullptr), &g}) {
    const Parsed a("43 Forst Rd W, NG15 7HZ", "", gz);
    EXPECT_EQ(a.a.street, "FORST ROAD WEST");
    EXPECT_TRUE(a.a.places.empty());
    const Parsed b("43 forst road e", "", gz);
    EXPECT_EQ(b.a.street, "FORST ROAD EAST");
    const Parsed c("16 Mount Pleaant, Nottingham", "", gz);
    EXPECT_EQ(c.a.street, "MOUNT PLEAANT");
    ASSERT_EQ(c.a.places.size(), 1u);
    EXPECT_EQ(c.a.places[0], "NOTTINGHAM");
    // A type word later in the text still ends the street.
    const Parsed d("16 mount street sutton", "", gz);
    EXPECT_EQ(d.a.street, "MOUNT STREET");
  }
}
