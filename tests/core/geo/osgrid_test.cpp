#include "core/geo/osgrid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/base/random.hpp"

using namespace hotspot::core;

namespace {

GridRef parse_ok(std::string_view text) {
  auto r = parse_grid_reference(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : GridRef{};
}

std::string format_ok(double e, double n, int digits, bool spaces = true) {
  auto r = format_grid_reference(e, n, digits, spaces);
  EXPECT_TRUE(r.ok()) << e << "," << n << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : std::string();
}

}  // namespace

// --- invalid input first -----------------------------------------------------------------

TEST(ParseGridReference, RejectsEmptyAndBlankInput) {
  auto r = parse_grid_reference("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, GridRefError::empty);
  EXPECT_EQ(r.error().message, "grid reference '' is empty");
  r = parse_grid_reference("  \t ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, GridRefError::empty);
  EXPECT_EQ(r.error().message, "grid reference '  \t ' is empty");
}

TEST(ParseGridReference, RejectsLettersThatAreNotGridLetters) {
  for (const char* text : {"IX 1234", "A1 2345", "S", "5K 1234", "S K 1234", "SI", "É1"}) {
    auto r = parse_grid_reference(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, GridRefError::bad_letters) << text;
  }
  EXPECT_EQ(parse_grid_reference("IX 1234").error().message,
            "grid reference 'IX 1234' does not start with two grid letters (A-Z without I)");
}

TEST(ParseGridReference, RejectsLetterPairsOffTheNationalGrid) {
  // Well-formed letters whose 100 km square lies outside 0..700 km E, 0..1300 km N.
  // XX: 500 km square X is south of S. AA: far north-west. TE: 900 km east.
  // HE: 1400 km north. OD: 800 km east. JE: beyond both.
  for (const char* text : {"XX", "AA 1234", "TE 12 34", "HE", "od", "JE"}) {
    auto r = parse_grid_reference(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, GridRefError::outside_grid) << text;
  }
  EXPECT_EQ(parse_grid_reference("xx 1234").error().message,
            "grid reference 'xx 1234': 'XX' is not a 100 km square of the National Grid");
}

TEST(ParseGridReference, RejectsNonDigitCharacters) {
  auto r = parse_grid_reference("SK52x8");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, GridRefError::bad_character);
  EXPECT_EQ(r.error().message, "grid reference 'SK52x8': 'x' is not a digit");
  EXPECT_EQ(parse_grid_reference("SK 52-58").error().code, GridRefError::bad_character);
  EXPECT_EQ(parse_grid_reference("SK 52,58").error().code, GridRefError::bad_character);
  EXPECT_EQ(parse_grid_reference("SK\t5258").error().code, GridRefError::bad_character);
}

TEST(ParseGridReference, RejectsSpacesAnywhereButAfterTheLettersAndInTheMiddle) {
  auto r = parse_grid_reference("SK 5 2 5 8");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, GridRefError::bad_spacing);
  EXPECT_EQ(r.error().message,
            "grid reference 'SK 5 2 5 8': digits may be split only once, by one space in the "
            "middle");
  for (const char* text : {"SK  5258", "SK 52  58", "SK 5 258", "SK 525 8", "SK 52 5 8"}) {
    auto e = parse_grid_reference(text);
    ASSERT_FALSE(e.ok()) << text;
    EXPECT_EQ(e.error().code, GridRefError::bad_spacing) << text;
  }
}

TEST(ParseGridReference, RejectsAnOddNumberOfDigits) {
  auto r = parse_grid_reference("SK 123 4567");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, GridRefError::odd_digits);
  EXPECT_EQ(r.error().message,
            "grid reference 'SK 123 4567' has 7 digits: easting and northing need the same "
            "number");
  EXPECT_EQ(parse_grid_reference("SK5").error().code, GridRefError::odd_digits);
}

TEST(ParseGridReference, RejectsMoreThanTenDigits) {
  auto r = parse_grid_reference("SK 123456 123456");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, GridRefError::too_many_digits);
  EXPECT_EQ(r.error().message,
            "grid reference 'SK 123456 123456' has 12 digits: at most 10 (1 m squares)");
}

TEST(GridRefError, EveryCodeHasADescription) {
  for (const auto e : {GridRefError::empty, GridRefError::bad_letters, GridRefError::outside_grid,
                       GridRefError::bad_character, GridRefError::bad_spacing,
                       GridRefError::odd_digits, GridRefError::too_many_digits}) {
    EXPECT_STRNE(describe(e), "unknown grid reference error");
  }
}

// --- accepted forms ---------------------------------------------------------------------

TEST(ParseGridReference, AcceptsEveryDocumentedForm) {
  const GridRef km{.easting_m = 452000, .northing_m = 358000, .digits = 4, .precision_m = 1000};
  EXPECT_EQ(parse_ok("SK 52 58"), km);
  EXPECT_EQ(parse_ok("SK5258"), km);
  EXPECT_EQ(parse_ok("SK 5258"), km);
  EXPECT_EQ(parse_ok("SK52 58"), km);
  EXPECT_EQ(parse_ok("  sk 52 58\n"), km);
  EXPECT_EQ(parse_ok("Sk 52 58"), km);

  const GridRef ten_m{.easting_m = 451230, .northing_m = 358760, .digits = 8, .precision_m = 10};
  EXPECT_EQ(parse_ok("sk 5123 5876"), ten_m);
  EXPECT_EQ(parse_ok("SK51235876"), ten_m);

  const GridRef one_m{.easting_m = 451234, .northing_m = 358765, .digits = 10, .precision_m = 1};
  EXPECT_EQ(parse_ok("SK 51234 58765"), one_m);
  EXPECT_EQ(parse_ok("SK5123458765"), one_m);

  EXPECT_EQ(
      parse_ok("SK 5 5"),
      (GridRef{.easting_m = 450000, .northing_m = 350000, .digits = 2, .precision_m = 10000}));
  EXPECT_EQ(parse_ok("SK 523 587"),
            (GridRef{.easting_m = 452300, .northing_m = 358700, .digits = 6, .precision_m = 100}));
}

TEST(ParseGridReference, LettersAloneName100kmSquares) {
  // Square corners are definitions of the grid (OS "A guide to coordinate systems in Great
  // Britain", National Grid section): SV is the false origin; HP the northernmost column.
  struct Case {
    const char* letters;
    double e, n;
  };
  for (const Case& c :
       {Case{"SV", 0, 0}, Case{"HP", 400000, 1200000}, Case{"TV", 500000, 0},
        Case{"SK", 400000, 300000}, Case{"TQ", 500000, 100000}, Case{"NN", 200000, 700000},
        Case{"TG", 600000, 300000}, Case{"HL", 0, 1200000}, Case{"JM", 600000, 1200000},
        Case{"OA", 500000, 900000}, Case{"NA", 0, 900000}}) {
    const GridRef g = parse_ok(c.letters);
    EXPECT_EQ(g.easting_m, c.e) << c.letters;
    EXPECT_EQ(g.northing_m, c.n) << c.letters;
    EXPECT_EQ(g.digits, 0) << c.letters;
    EXPECT_EQ(g.precision_m, 100000) << c.letters;
  }
}

TEST(ParseGridReference, BenNevisSummitIsThe100mSquareNN166712) {
  // Ben Nevis summit, as published by Ordnance Survey: NN 166 712.
  const GridRef g = parse_ok("NN 166 712");
  EXPECT_EQ(g.easting_m, 216600);
  EXPECT_EQ(g.northing_m, 771200);
  EXPECT_EQ(g.digits, 6);
  EXPECT_EQ(g.precision_m, 100);
  EXPECT_EQ(g.centre().x(), 216650);
  EXPECT_EQ(g.centre().y(), 771250);
}

TEST(ParseGridReference, CaisterWaterTowerFromTheOsGuide) {
  // OS "A guide to coordinate systems in Great Britain", worked example:
  // E 651409.903, N 313177.270 = TG 51409 13177.
  const GridRef g = parse_ok("TG 51409 13177");
  EXPECT_EQ(g.easting_m, 651409);
  EXPECT_EQ(g.northing_m, 313177);
  EXPECT_EQ(g.precision_m, 1);
}

// --- formatting -------------------------------------------------------------------------

TEST(FormatGridReference, CaisterWaterTowerAtEveryPrecision) {
  const double e = 651409.903, n = 313177.270;
  EXPECT_EQ(format_ok(e, n, 10), "TG 51409 13177");
  EXPECT_EQ(format_ok(e, n, 8), "TG 5140 1317");
  EXPECT_EQ(format_ok(e, n, 6), "TG 514 131");
  EXPECT_EQ(format_ok(e, n, 4), "TG 51 13");
  EXPECT_EQ(format_ok(e, n, 2), "TG 5 1");
  EXPECT_EQ(format_ok(e, n, 0), "TG");
  EXPECT_EQ(format_ok(e, n, 10, false), "TG5140913177");
  EXPECT_EQ(format_ok(e, n, 0, false), "TG");
}

TEST(FormatGridReference, TruncatesToTheContainingSquareNeverRounds) {
  EXPECT_EQ(format_ok(451999.99, 358999.99, 4), "SK 51 58");
  EXPECT_EQ(format_ok(499999.999, 399999.999, 10), "SK 99999 99999");
  EXPECT_EQ(format_ok(216699.9, 771299.9, 6), "NN 166 712");
}

TEST(FormatGridReference, PadsWithLeadingZeros) {
  EXPECT_EQ(format_ok(402194, 145374, 10), "SU 02194 45374");
  EXPECT_EQ(format_ok(400005, 100000, 8), "SU 0000 0000");
  EXPECT_EQ(format_ok(0, 0, 10), "SV 00000 00000");
}

TEST(FormatGridReference, RejectsPointsOffTheGrid) {
  auto r = format_grid_reference(700000, 5, 6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, GridRefError::outside_grid);
  EXPECT_EQ(r.error().message,
            "easting 700000 northing 5 is not on the National Grid (0 <= E < 700000, 0 <= N < "
            "1300000)");
  EXPECT_FALSE(format_grid_reference(-0.5, 10, 6).ok());
  EXPECT_FALSE(format_grid_reference(10, 1300000, 6).ok());
  EXPECT_FALSE(format_grid_reference(std::nan(""), 10, 6).ok());
  EXPECT_EQ(format_ok(699999.9, 1299999.9, 10), "JM 99999 99999");
}

TEST(FormatGridReferenceDeathTest, OddDigitsAreMisuse) {
  EXPECT_DEATH((void)format_grid_reference(1000, 1000, 3), "digits must be 0, 2, 4, 6, 8 or 10");
}

TEST(GridReference, RoundTripsAtEveryPrecisionOverRandomPoints) {
  hotspot::Rng rng(27700);
  for (int i = 0; i < 20000; ++i) {
    const double e = rng.uniform(0.0, 700000.0);
    const double n = rng.uniform(0.0, 1300000.0);
    for (int digits = 0; digits <= 10; digits += 2) {
      for (const bool spaces : {true, false}) {
        const std::string text = format_ok(e, n, digits, spaces);
        const GridRef g = parse_ok(text);
        ASSERT_EQ(g.digits, digits) << text;
        ASSERT_EQ(g.precision_m, std::pow(10.0, 5 - digits / 2)) << text;
        // The square contains the point...
        ASSERT_LE(g.easting_m, e) << text;
        ASSERT_LT(e, g.easting_m + g.precision_m) << text;
        ASSERT_LE(g.northing_m, n) << text;
        ASSERT_LT(n, g.northing_m + g.precision_m) << text;
        // ...and its corner formats back to the same text.
        ASSERT_EQ(format_ok(g.easting_m, g.northing_m, digits, spaces), text);
      }
    }
  }
}

TEST(GridReference, EveryGridSquareRoundTripsItsLetters) {
  int squares = 0;
  for (int e = 0; e < 7; ++e) {
    for (int n = 0; n < 13; ++n) {
      const std::string letters = format_ok(e * 100000.0, n * 100000.0, 0);
      const GridRef g = parse_ok(letters);
      EXPECT_EQ(g.easting_m, e * 100000.0) << letters;
      EXPECT_EQ(g.northing_m, n * 100000.0) << letters;
      ++squares;
    }
  }
  EXPECT_EQ(squares, 91);
}
