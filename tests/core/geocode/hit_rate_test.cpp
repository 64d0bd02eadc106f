#include "core/geocode/hit_rate.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace hotspot::core::geocode;

namespace {
GeocodeResult matched(MatchMethod m, uint8_t score) {
  GeocodeResult r;
  r.method = m;
  r.score = score;
  r.reason = UnmatchedReason::none;
  return r;
}
GeocodeResult unmatched(UnmatchedReason why) {
  GeocodeResult r;
  r.reason = why;
  return r;
}
}  // namespace

TEST(HitRate, CountsByMethodReasonAndArea) {
  HitRate h;
  for (int i = 0; i < 9; ++i) h.add(matched(MatchMethod::address, 100), "E05010677");
  h.add(unmatched(UnmatchedReason::ambiguous), "E05010677");
  h.add(matched(MatchMethod::postcode, 65), "E05010688");
  h.add(unmatched(UnmatchedReason::not_found), "E05010688");
  h.add(unmatched(UnmatchedReason::empty), "");
  EXPECT_EQ(h.rows(), 13u);
  EXPECT_EQ(h.matched(), 10u);
  EXPECT_NEAR(h.rate(), 10.0 / 13.0, 1e-12);
  EXPECT_EQ(h.by_method(MatchMethod::address), 9u);
  EXPECT_EQ(h.by_method(MatchMethod::none), 3u);
  EXPECT_EQ(h.by_reason(UnmatchedReason::ambiguous), 1u);
  const auto areas = h.by_area();
  ASSERT_EQ(areas.size(), 3u);
  EXPECT_EQ(areas[0].area, "E05010677");
  EXPECT_DOUBLE_EQ(areas[0].rate(), 0.9);
  EXPECT_EQ(areas[1].area, "E05010688");
  EXPECT_EQ(areas[2].area, "");  // unknown last
}

TEST(HitRate, MergeAddsUp) {
  HitRate a, b;
  a.add(matched(MatchMethod::street, 75), "X");
  b.add(unmatched(UnmatchedReason::conflict), "X");
  b.add(matched(MatchMethod::street, 75), "Y");
  a.merge(b);
  EXPECT_EQ(a.rows(), 3u);
  EXPECT_EQ(a.matched(), 2u);
  EXPECT_EQ(a.by_method(MatchMethod::street), 2u);
  EXPECT_EQ(a.by_reason(UnmatchedReason::conflict), 1u);
  EXPECT_EQ(a.by_area()[0].rows, 2u);
}

TEST(HitRate, ReportFlagsAreasUnderTheMinimum) {
  HitRate h;
  for (int i = 0; i < 9; ++i) h.add(matched(MatchMethod::address, 100), "E05010677");
  h.add(unmatched(UnmatchedReason::ambiguous), "E05010677");
  for (int i = 0; i < 4; ++i) h.add(matched(MatchMethod::postcode, 65), "E05010688");
  h.add(unmatched(UnmatchedReason::not_found), "E05010688");
  const std::string md = h.markdown([](std::string_view code) { return code == "E05010677" ? "Sutton Central" : ""; });
  EXPECT_NE(md.find("Matched 13 of 15 rows: **86.7%**"), std::string::npos) << md;
  EXPECT_NE(md.find("| address | 9 | 60.0% | 100 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| ambiguous | 1 | 6.7% |"), std::string::npos) << md;
  EXPECT_NE(md.find("| E05010677 | Sutton Central | 10 | 9 | 90.0% |"), std::string::npos) << md;
  EXPECT_NE(md.find("| E05010688 |  | 5 | 4 | **80.0%** (under 85%) |"), std::string::npos) << md;
}
