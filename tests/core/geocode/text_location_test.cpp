#include "core/geocode/text_location.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace hotspot::core::geocode;

TEST(TextLocation, NothingInPlainAddresses) {
  for (const char* t : {"", "14A Station Road, Sutton NG17 5FF", "Flat 2, 12 Kings Mill Road East", "12-14 High St",
                        "2/14A Station Rd", "rear of 1234 Long Road", "SK17 6XX", "Tel 01623 123456"})
    EXPECT_FALSE(find_text_location(t).has_value()) << t;
}

TEST(TextLocation, GridReferencesWithSpacesOrWithout) {
  auto g = find_text_location("Woodland, grid ref SK 5123 5876");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->kind, TextLocationKind::grid_reference);
  EXPECT_DOUBLE_EQ(g->x, 451235.0);  // the centre of the 10 m square
  EXPECT_DOUBLE_EQ(g->y, 358765.0);
  EXPECT_NEAR(g->precision_m, 7.07, 0.01);
  EXPECT_EQ(std::string("Woodland, grid ref SK 5123 5876").substr(g->begin, g->length), "SK 5123 5876");

  auto tight = find_text_location("grid ref sk5123458765.");
  ASSERT_TRUE(tight.has_value());
  EXPECT_DOUBLE_EQ(tight->x, 451234.5);
  EXPECT_NEAR(tight->precision_m, 0.707, 0.001);

  auto km = find_text_location("GR SK 51 58 somewhere");  // 1 km square, named as a grid reference
  ASSERT_TRUE(km.has_value());
  EXPECT_DOUBLE_EQ(km->x, 451500.0);
  EXPECT_NEAR(km->precision_m, 707.1, 0.1);
}

TEST(TextLocation, ShortWordsBeforeNumbersAreNotGridReferences) {
  EXPECT_FALSE(find_text_location("rear of 1234 Long Road").has_value());
  EXPECT_FALSE(find_text_location("no 123456 on file").has_value());   // lower case, no "grid ref"
  EXPECT_FALSE(find_text_location("SK 51 58 somewhere").has_value());   // 4 digits, not said to be one
  EXPECT_TRUE(find_text_location("os ref sk 5123 5876").has_value());
  EXPECT_TRUE(find_text_location("SK 5123 5876").has_value());          // upper case, 8 digits
}

TEST(TextLocation, TooCoarseOrMalformedGridReferencesAreIgnored) {
  EXPECT_FALSE(find_text_location("SK 5 8 and nothing else 1234").has_value());   // 2 digits
  EXPECT_FALSE(find_text_location("XSK 5123 5876").has_value());                   // glued to a word
  EXPECT_FALSE(find_text_location("SK 123 4567").has_value());                     // odd split
}

TEST(TextLocation, LatitudeLongitudeInEitherOrder) {
  auto a = find_text_location("Canal towpath, 53.12345, -1.23456");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->kind, TextLocationKind::lonlat);
  EXPECT_DOUBLE_EQ(a->x, -1.23456);
  EXPECT_DOUBLE_EQ(a->y, 53.12345);
  EXPECT_NEAR(a->precision_m, 1.1, 1e-9);

  auto b = find_text_location("Wasteland (-1.1951,53.0096)");
  ASSERT_TRUE(b.has_value());
  EXPECT_DOUBLE_EQ(b->x, -1.1951);
  EXPECT_DOUBLE_EQ(b->y, 53.0096);
  EXPECT_NEAR(b->precision_m, 11.132, 0.001);

  auto c = find_text_location("lat 53.123 lon -1.234");
  ASSERT_TRUE(c.has_value());
  EXPECT_NEAR(c->precision_m, 111.32, 0.01);
}

TEST(TextLocation, DegreesNeedThreeDecimalsAndTheUk) {
  EXPECT_FALSE(find_text_location("53.1, -1.2").has_value());
  EXPECT_FALSE(find_text_location("40.7128, -74.0060").has_value());  // New York
}

TEST(TextLocation, EastingNorthingPairs) {
  for (const char* t : {"E451234 N358765", "451234, 358765", "x=451234 y=358765", "(451234 358765)",
                        "E: 451234 N: 358765"}) {
    auto e = find_text_location(t);
    ASSERT_TRUE(e.has_value()) << t;
    EXPECT_EQ(e->kind, TextLocationKind::easting_northing) << t;
    EXPECT_DOUBLE_EQ(e->x, 451234.0) << t;
    EXPECT_DOUBLE_EQ(e->y, 358765.0) << t;
    EXPECT_DOUBLE_EQ(e->precision_m, 1.0) << t;
  }
  EXPECT_FALSE(find_text_location("751234, 358765").has_value());  // off the grid
  EXPECT_FALSE(find_text_location("45123, 35876").has_value());    // 5 digits: too easy to mistake
}
