#pragma once
// Plausibility checks for input coordinates: is this lon/lat in the UK, is it
// swapped, is this easting/northing on the British National Grid, were metres given
// where degrees were expected? Readers use them to reject rows with a specific issue
// code (outside_uk, swapped_lonlat) instead of placing crimes in the sea.
//
// The UK box, in WGS 84 degrees, inclusive:
//   longitude -8.75 .. 1.9    (west of Co. Fermanagh, Northern Ireland, ~-8.2; east of
//                              Lowestoft Ness, the most easterly point, ~1.76)
//   latitude  49.8  .. 60.95  (south of the Isles of Scilly, ~49.87 at Bishop Rock;
//                              north of Out Stack, Shetland, ~60.86)
// It covers Great Britain, Northern Ireland, the Isle of Man, Scilly, Orkney and
// Shetland, and lies within the area of use of PROJ's WGS 84 -> BNG Helmert
// (lon -8.82..1.92, lat 49.79..60.94) except for 0.01 degrees of sea north of Shetland.
// Limits: it is a box, not a coastline. It also contains the sea, much of the Republic of
// Ireland and a strip of the French coast (Boulogne to Calais, lon 1.6-1.9). It excludes
// the Channel Islands (lat ~49.2; police.uk does not cover them) and Rockall (lon -13.7).
//
// Every check is false for NaN.
//
//   if (!is_plausible_uk_lonlat(lon, lat)) {
//     if (looks_swapped_lonlat(lon, lat)) reject(IssueCode::swapped_lonlat);
//     else if (looks_like_bng_given_as_lonlat(lon, lat))
//       reject(IssueCode::outside_uk, "looks like easting/northing: use --x/--y");
//     else reject(IssueCode::outside_uk);
//   }

namespace hotspot::core {

inline constexpr double kUkMinLonDeg = -8.75;
inline constexpr double kUkMaxLonDeg = 1.9;
inline constexpr double kUkMinLatDeg = 49.8;
inline constexpr double kUkMaxLatDeg = 60.95;

// The British National Grid's extent (EPSG:27700), metres: 0 <= E < 700 km,
// 0 <= N < 1300 km, the area the OS grid letters name (SV at the origin, JM the
// north-east corner; see osgrid.hpp).
inline constexpr double kBngMaxEastingM = 700000.0;
inline constexpr double kBngMaxNorthingM = 1300000.0;

// Coordinates above this, given as "degrees", are taken to be metres (BNG).
inline constexpr double kMetresAsDegreesThreshold = 1000.0;

// (lon, lat) in WGS 84 degrees lies in the UK box above.
constexpr bool is_plausible_uk_lonlat(double lon_deg, double lat_deg) {
  return lon_deg >= kUkMinLonDeg && lon_deg <= kUkMaxLonDeg && lat_deg >= kUkMinLatDeg &&
         lat_deg <= kUkMaxLatDeg;
}

// The point is not in the UK box, but would be with the two values exchanged: the
// source put latitude in the longitude column (a common spreadsheet mistake).
constexpr bool looks_swapped_lonlat(double lon_deg, double lat_deg) {
  return !is_plausible_uk_lonlat(lon_deg, lat_deg) && is_plausible_uk_lonlat(lat_deg, lon_deg);
}

// (x, y) in metres lies on the British National Grid: 0 <= x < 700000, 0 <= y < 1300000.
constexpr bool is_on_bng_grid(double x_m, double y_m) {
  return x_m >= 0.0 && x_m < kBngMaxEastingM && y_m >= 0.0 && y_m < kBngMaxNorthingM;
}

// Both "degrees" are larger than 1000 and would be a point on the National Grid as
// metres: easting/northing columns mapped as longitude/latitude.
constexpr bool looks_like_bng_given_as_lonlat(double lon_deg, double lat_deg) {
  return lon_deg > kMetresAsDegreesThreshold && lat_deg > kMetresAsDegreesThreshold &&
         is_on_bng_grid(lon_deg, lat_deg);
}

}  // namespace hotspot::core
