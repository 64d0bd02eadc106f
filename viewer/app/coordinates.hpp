#pragma once
// The cursor position as an analyst reads it: British National Grid easting and
// northing, WGS84 latitude/longitude (core's PROJ Transformer) and the OS grid
// reference (core/geo/osgrid), e.g.
//   "E 450,123 m  N 356,789 m"   "53.12345° N  1.23456° W"   "SK 50123 56789"

#include <memory>
#include <string>

#include "core/geo/crs.hpp"
#include "viewer/app/camera.hpp"

namespace hotspot::viewer {

struct CursorText {
  std::string bng;
  std::string lonlat;
  std::string grid_ref;
};

// Formats one position. The transformer must be BNG -> WGS84 (core::Transformer::bng_to_wgs84());
// without one the lon/lat text is empty.
CursorText cursor_text(const core::Transformer* bng_to_wgs84, WorldPoint p);

}  // namespace hotspot::viewer
