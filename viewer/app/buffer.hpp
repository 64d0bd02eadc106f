#pragma once
// buffer(): a polygon grown by a distance (GEOS, round joins): the outer edge of the
// buffer ring around a compare-mode target area. Pure geometry, metres.
//
//   core::MultiPolygon grown = buffer(target, 250);   // target + a 250 m ring

#include "core/geo/geometry.hpp"

namespace hotspot::viewer {

// `polygon` grown by distance_m (>= 0), with 8 segments per quarter circle. An empty
// result when GEOS cannot buffer the input (invalid geometry).
core::MultiPolygon buffer(const core::MultiPolygon& polygon, double distance_m);

}  // namespace hotspot::viewer
