#pragma once
// A small hand-made gazetteer with known geometry, shared by the geocode tests.
//
// SUTTON (town SUTTON-IN-ASHFIELD, locality Sutton in Ashfield):
//   STATION ROAD along y = 358700 from x = 449700 eastwards: odd numbers on the north
//   side (y = 358710), even on the south (y = 358690), 20 m apart:
//     1, 3, 5-7 (one building), 9, 11, 13 (Flats 1-3), 15, 17, 19, Rose Cottage
//     2, 4, 6, 10, 12, 14, 14A, 16, 18, 20      (no 8: interpolation)
//   postcode NG17 5FF west of x = 449800, NG17 5FG east of it.
//   OUTRAM STREET north from (449800, 358700): odd at x = 449790, even at x = 449810,
//   y = 358720 + 15 k: 1..9 and 2..10; postcode NG17 5FG. Junction: (449800, 358700).
// NOTTINGHAM: STATION ROAD at y = 341000 from x = 456000: 1..9 odd, 2..10 even; NG7 1AA.
// PARK AVENUE twice: Kirkby in Ashfield (452000, 356000) 1..5 (NG17 7AA), and
// Hucknall (town NOTTINGHAM, 453000, 349000) 1..3 (NG15 7AA). No 4 or 5 in Hucknall.
// Postcodes (Code-Point style): the above, plus NG17 5FH 1.4 km from Station Road
// (same sector, no addresses) and NG17 8AB (4 km away, another sector).
// UPRNs: 100 + the position of the address in this list (see make_test_gazetteer).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/geocode/gazetteer.hpp"

namespace hotspot::core::geocode::test {

struct TestAddress {
  std::string sao, pao, street, locality, town, postcode;
  double x, y;
};

inline std::vector<TestAddress> test_addresses() {
  std::vector<TestAddress> out;
  const std::string sl = "Sutton in Ashfield", st = "Sutton-in-Ashfield";
  auto station = [&](const std::string& sao, const std::string& pao, int slot, bool north) {
    const double x = 449700 + 20.0 * slot;
    out.push_back({sao, pao, "Station Road", sl, st, x < 449800 ? "NG17 5FF" : "NG17 5FG", x, north ? 358710.0 : 358690.0});
  };
  int slot = 0;
  for (const char* n : {"1", "3", "5-7", "9", "11"}) station("", n, slot++, true);
  for (int f = 1; f <= 3; ++f) station("Flat " + std::to_string(f), "13", slot, true);
  ++slot;
  for (const char* n : {"15", "17", "19", "Rose Cottage"}) station("", n, slot++, true);
  slot = 0;
  for (const char* n : {"2", "4", "6", "", "10", "12", "14", "14A", "16", "18", "20"}) {
    if (*n) station("", n, slot, false);
    ++slot;
  }
  for (int k = 0; k < 5; ++k) {
    out.push_back({"", std::to_string(2 * k + 1), "Outram Street", sl, st, "NG17 5FG", 449790.0, 358720 + 15.0 * k});
    out.push_back({"", std::to_string(2 * k + 2), "Outram Street", sl, st, "NG17 5FG", 449810.0, 358720 + 15.0 * k});
  }
  for (int k = 0; k < 5; ++k) {
    out.push_back({"", std::to_string(2 * k + 1), "Station Road", "", "Nottingham", "NG7 1AA", 456000 + 20.0 * k, 341010.0});
    out.push_back({"", std::to_string(2 * k + 2), "Station Road", "", "Nottingham", "NG7 1AA", 456000 + 20.0 * k, 340990.0});
  }
  for (int k = 1; k <= 5; ++k)
    out.push_back({"", std::to_string(k), "Park Avenue", "Kirkby in Ashfield", st, "NG17 7AA", 452000 + 15.0 * k, 356000.0});
  for (int k = 1; k <= 3; ++k)
    out.push_back({"", std::to_string(k), "Park Avenue", "Hucknall", "Nottingham", "NG15 7AA", 453000 + 15.0 * k, 349000.0});
  return out;
}

inline void add_test_postcodes(GazetteerBuilder& b) {
  struct P {
    const char* pc;
    double x, y;
    const char* ward;
  };
  for (const P& p : {P{"NG17 5FF", 449750, 358700, "E05010677"}, P{"NG17 5FG", 449850, 358700, "E05010677"},
                     P{"NG17 5FH", 451250, 358200, "E05010688"}, P{"NG17 8AB", 452500, 355000, "E05010685"},
                     P{"NG7 1AA", 456040, 341000, "E05012288"}, P{"NG17 7AA", 452040, 356000, "E05010673"},
                     P{"NG15 7AA", 453030, 349000, "E05010678"}}) {
    PostcodeRecord r;
    r.postcode = p.pc;
    r.x_m = p.x;
    r.y_m = p.y;
    r.quality = 10;
    r.ward_code = p.ward;
    r.district_code = "E07000170";
    EXPECT_TRUE(b.add_postcode(r).ok()) << p.pc;
  }
}

// The gazetteer above; with_lines adds the lines of Sutton's Station Road and Outram Street.
inline Gazetteer make_test_gazetteer(bool with_lines = false) {
  GazetteerBuilder b;
  uint64_t uprn = 100;
  for (const auto& a : test_addresses()) {
    AddressRecord r;
    r.uprn = uprn++;
    r.sao = a.sao;
    r.pao = a.pao;
    r.street = a.street;
    r.locality = a.locality;
    r.town = a.town;
    r.postcode = a.postcode;
    r.x_m = a.x;
    r.y_m = a.y;
    auto added = b.add_address(r);
    EXPECT_TRUE(added.ok()) << a.pao << " " << a.street;
  }
  add_test_postcodes(b);
  if (with_lines) {
    const std::vector<Point> station = {Point(449690, 358700), Point(449920, 358700)};
    const std::vector<Point> outram = {Point(449800, 358700), Point(449800, 358800)};
    EXPECT_TRUE(b.add_street_line({"Station Road", "Sutton-in-Ashfield", "", station}).ok());
    EXPECT_TRUE(b.add_street_line({"Outram Street", "", "", outram}).ok());
  }
  return std::move(b).build();
}

}  // namespace hotspot::core::geocode::test
