#pragma once
// Ordnance Survey National Grid references ("SK 5123 5876") <-> British National Grid
// easting/northing (EPSG:27700, metres).
//
// A grid reference names a SQUARE, not a point: two letters name a 100 km square, then
// an equal number of easting and northing digits (0 to 5 each) narrow it down to 10 km,
// 1 km, 100 m, 10 m or 1 m. "SK 52 58" is the 1 km square whose south-west corner is
// E 452000, N 358000. Following the OS convention, formatting TRUNCATES (the reference
// names the square containing the point); it never rounds.
//
// The letters. The first letter picks a 500 km square and the second a 100 km square
// inside it, each from the same 5 x 5 layout of the alphabet without I, read from the
// north-west corner:
//     A B C D E
//     F G H J K
//     L M N O P
//     Q R S T U
//     V W X Y Z
// The grid's false origin is the south-west corner of 500 km square S, so the first
// letter is S (E 0, N 0), T (500 km, 0), N (0, 500 km), O (500 km, 500 km), H (0,
// 1000 km) or J (500 km, 1000 km). Examples: SV = (0, 0), SK = (400 km, 300 km),
// TQ = (500 km, 100 km), NN = (200 km, 700 km), HP = (400 km, 1200 km).
// Valid squares are those inside 0 <= E < 700 km, 0 <= N < 1300 km (extent.hpp); many
// of them are all sea, and they are still valid references.
//
// Accepted text (parse_grid_reference): surrounding whitespace is ignored; letters in
// any case; an optional single space between the letters and the digits; the digits
// either run together or are split by one space exactly in the middle:
//     "SK"  "SK 52 58"  "SK5258"  "sk 5123 5876"  "SK 51234 58765"  "SK5123458765"
// Rejected, with a GridRefError and a message quoting the input: "SK 5 2 5 8",
// "SK  5258", "SK 123 4567" (odd), "SK 123456 123456" (12 digits), "IX 1234" (I is not
// a grid letter), "XX" (not a square of this grid).
//
//   auto r = parse_grid_reference("NN 166 712");          // Ben Nevis, 100 m square
//   if (!r) report(r.error().message);
//   Point p = r->centre();                                // (216650, 771250)
//   auto s = format_grid_reference(651409.903, 313177.270, 10);   // "TG 51409 13177"

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/result.hpp"
#include "core/geo/geometry.hpp"

namespace hotspot::core {

// A parsed grid reference: the square it names. Invariant: digits in {0,2,4,6,8,10};
// precision_m = 10^(5 - digits/2); the square lies on the grid.
struct GridRef {
  double easting_m = 0.0;  // south-west corner of the square
  double northing_m = 0.0;
  int digits = 0;            // 0 (letters only), 2, 4, 6, 8 or 10
  double precision_m = 0.0;  // side of the square: 100000, 10000, 1000, 100, 10 or 1

  // The centre of the square: the best single point for it (error <= precision_m / sqrt 2).
  [[nodiscard]] Point centre() const {
    return Point(easting_m + precision_m / 2.0, northing_m + precision_m / 2.0);
  }
  friend bool operator==(const GridRef&, const GridRef&) = default;
};

enum class GridRefError : uint8_t {
  empty,            // nothing but whitespace
  bad_letters,      // does not start with two grid letters (A-Z without I)
  outside_grid,     // a letter pair (or an easting/northing) not on the National Grid
  bad_character,    // something other than a digit or a space after the letters
  bad_spacing,      // spaces other than one after the letters and one in the middle
  odd_digits,       // easting and northing need the same number of digits
  too_many_digits,  // more than 10 digits (finer than 1 m)
};
const char* describe(GridRefError e);

// Parses an OS grid reference (formats above). The message of an error quotes the input.
Result<GridRef, GridRefError> parse_grid_reference(std::string_view text);

// Formats the grid reference of the square of `digits` digits containing (easting_m,
// northing_m): "SK 5123 5876" with spaces, "SK51235876" without; digits 0 gives "SK".
// Errors: outside_grid when the point is not on the grid (or not finite).
// Requires: digits in {0, 2, 4, 6, 8, 10}.
Result<std::string, GridRefError> format_grid_reference(double easting_m, double northing_m,
                                                        int digits, bool spaces = true);

}  // namespace hotspot::core
