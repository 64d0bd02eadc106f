#pragma once
// find_text_location(): coordinates or an OS grid reference written inside free text,
// the last step of the geocoding cascade ("Field behind allotments, SK 5123 5876",
// "footpath (53.12345, -1.23456)", "E451234 N358765").
//
// What is recognised, anywhere in the text:
// - an OS grid reference with 4 to 10 digits ("SK 5123 5876", "SK51235876",
//   "sk 51234 58765"; letters-only and 2-digit references are too coarse to be useful
//   and too easy to mistake for words, so they are ignored); precision: half the
//   diagonal of the square it names (7.1 m for 8 digits);
// - a WGS 84 latitude/longitude pair in either order, each with at least 3 decimals,
//   inside the UK box of core/geo/extent.hpp ("53.12345, -1.23456", "-1.23456 53.12345",
//   "lat 53.1 lon -1.2" is refused: 1 decimal is 7 km); precision from the decimals
//   (3: 111 m, 4: 11 m, 5 or more: 1.1 m);
// - a British National Grid easting/northing pair: a 6-digit easting below 700000 and
//   a 6- or 7-digit northing below 1300000, optionally prefixed E/N, X/Y, with ":" or
//   "=" ("E451234 N358765", "451234, 358765", "x=451234 y=358765"); precision 1 m.
// The first recognisable location in the text wins; its span lets the address parser
// ignore those characters.
//
// Limits: a pair of 6-digit numbers is read as easting/northing even if it was meant
// as something else (the geocoder only uses text locations when no address matched,
// and checks that they fall near the gazetteer). Degrees-minutes-seconds are not read.
//
//   auto t = find_text_location("Woodland, grid ref SK 5123 5876");
//   // t->kind == grid_reference, t->x == 451235, t->y == 358765, t->precision_m ~ 7.1

#include <cstddef>
#include <optional>
#include <string_view>

namespace hotspot::core::geocode {

enum class TextLocationKind : unsigned char { grid_reference, lonlat, easting_northing };

struct TextLocation {
  TextLocationKind kind = TextLocationKind::grid_reference;
  // lonlat: x = longitude, y = latitude (degrees, WGS 84); otherwise easting and
  // northing in metres (EPSG:27700; a grid reference gives its square's centre).
  double x = 0.0, y = 0.0;
  double precision_m = 0.0;  // radius within which the point lies
  std::size_t begin = 0, length = 0;  // the characters of `text` it was read from
};

std::optional<TextLocation> find_text_location(std::string_view text);

}  // namespace hotspot::core::geocode
