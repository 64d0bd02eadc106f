#include "core/geo/extent.hpp"

#include <gtest/gtest.h>

#include <limits>

using namespace hotspot::core;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

// The checks are constexpr: readers may use them in constant expressions.
static_assert(is_plausible_uk_lonlat(-1.25, 53.1));
static_assert(!is_plausible_uk_lonlat(53.1, -1.25));
static_assert(is_on_bng_grid(0.0, 0.0));

TEST(IsPlausibleUkLonLat, AcceptsTheCornersOfTheUk) {
  EXPECT_TRUE(is_plausible_uk_lonlat(-1.376821, 53.039341));  // police.uk sample, Notts
  EXPECT_TRUE(is_plausible_uk_lonlat(-6.3071, 49.9142));      // St Mary's, Isles of Scilly
  EXPECT_TRUE(is_plausible_uk_lonlat(-0.8634, 60.8608));      // Out Stack, Shetland (approx.)
  EXPECT_TRUE(is_plausible_uk_lonlat(1.7627, 52.4812));       // Lowestoft Ness
  EXPECT_TRUE(is_plausible_uk_lonlat(-8.1, 54.4));            // Co. Fermanagh, NI
  EXPECT_TRUE(is_plausible_uk_lonlat(-4.5, 54.2));            // Isle of Man
}

TEST(IsPlausibleUkLonLat, BoundsAreInclusiveAndNamed) {
  EXPECT_TRUE(is_plausible_uk_lonlat(kUkMinLonDeg, kUkMinLatDeg));
  EXPECT_TRUE(is_plausible_uk_lonlat(kUkMaxLonDeg, kUkMaxLatDeg));
  EXPECT_FALSE(is_plausible_uk_lonlat(kUkMinLonDeg - 1e-9, 55.0));
  EXPECT_FALSE(is_plausible_uk_lonlat(kUkMaxLonDeg + 1e-9, 55.0));
  EXPECT_FALSE(is_plausible_uk_lonlat(-1.0, kUkMinLatDeg - 1e-9));
  EXPECT_FALSE(is_plausible_uk_lonlat(-1.0, kUkMaxLatDeg + 1e-9));
  EXPECT_EQ(kUkMinLonDeg, -8.75);
  EXPECT_EQ(kUkMaxLonDeg, 1.9);
  EXPECT_EQ(kUkMinLatDeg, 49.8);
  EXPECT_EQ(kUkMaxLatDeg, 60.95);
}

TEST(IsPlausibleUkLonLat, RejectsElsewhereZeroAndNaN) {
  EXPECT_FALSE(is_plausible_uk_lonlat(0.0, 0.0));      // Gulf of Guinea: "coerced to 0"
  EXPECT_FALSE(is_plausible_uk_lonlat(-2.1, 49.2));    // Jersey
  EXPECT_FALSE(is_plausible_uk_lonlat(2.35, 48.86));   // Paris
  EXPECT_FALSE(is_plausible_uk_lonlat(-13.69, 57.6));  // Rockall
  EXPECT_FALSE(is_plausible_uk_lonlat(kNaN, 53.0));
  EXPECT_FALSE(is_plausible_uk_lonlat(-1.0, kNaN));
}

TEST(LooksSwappedLonLat, DetectsLatitudeInTheLongitudeColumn) {
  EXPECT_TRUE(looks_swapped_lonlat(53.039341, -1.376821));
  EXPECT_FALSE(looks_swapped_lonlat(-1.376821, 53.039341));  // correct order
  EXPECT_FALSE(looks_swapped_lonlat(2.35, 48.86));           // just not in the UK
  EXPECT_FALSE(looks_swapped_lonlat(kNaN, kNaN));
}

TEST(IsOnBngGrid, HalfOpenGridExtent) {
  EXPECT_TRUE(is_on_bng_grid(441882.01, 349299.9999));
  EXPECT_TRUE(is_on_bng_grid(0.0, 0.0));
  EXPECT_TRUE(is_on_bng_grid(699999.999, 1299999.999));
  EXPECT_FALSE(is_on_bng_grid(700000.0, 10.0));
  EXPECT_FALSE(is_on_bng_grid(10.0, 1300000.0));
  EXPECT_FALSE(is_on_bng_grid(-0.001, 10.0));
  EXPECT_FALSE(is_on_bng_grid(kNaN, 10.0));
  EXPECT_EQ(kBngMaxEastingM, 700000.0);
  EXPECT_EQ(kBngMaxNorthingM, 1300000.0);
}

TEST(LooksLikeBngGivenAsLonLat, DetectsMetresInDegreeColumns) {
  EXPECT_TRUE(looks_like_bng_given_as_lonlat(441882.01, 349299.99));
  EXPECT_FALSE(looks_like_bng_given_as_lonlat(-1.376821, 53.039341));
  EXPECT_FALSE(looks_like_bng_given_as_lonlat(999.0, 349299.99));      // not both large
  EXPECT_FALSE(looks_like_bng_given_as_lonlat(441882.01, 5000000.0));  // off the grid (UTM?)
  EXPECT_FALSE(looks_like_bng_given_as_lonlat(kNaN, 349299.99));
}
