#pragma once
// read_areas(): read any OGR polygon layer (GeoJSON, GeoPackage, Shapefile, ...)
// into a built core::AreaSet in British National Grid (EPSG:27700, metres).
//
//   AreaReadOptions opt;
//   opt.code_field = "WD24CD";
//   opt.name_field = "WD24NM";
//   AreaReadResult r = read_areas("data/ashfield/boundaries/ashfield_wards_2024.geojson", opt);
//   for (const auto& w : r.warnings) std::cerr << w << '\n';
//   uint32_t ward = r.areas.locate(451439, 353560);
//
// Coordinates are transformed from the layer's CRS to EPSG:27700 with OGR/PROJ in
// traditional GIS axis order (x = longitude/easting). A GeoJSON file without a
// "crs" member is WGS84 (RFC 7946). Any other layer without a CRS is refused
// unless AreaReadOptions::assume_crs names one. Note: without the OSTN15 grid
// installed, PROJ's WGS84 -> BNG transformation is the Helmert one (a few metres).
//
// Features, in layer order; "feature N" is the 1-based position in that order:
// - Polygon, MultiPolygon (and curve polygons, linearised) become one area each,
//   in order: area index = position among the features kept.
// - No geometry or an empty one: a warning, the feature is skipped.
// - Not polygonal (a point or line in a mixed layer): a warning, skipped.
// - Invalid (self-intersection, ...): repaired with OGR_G_MakeValid (needs GDAL
//   built with GEOS, checked at run time) keeping only the polygonal parts, with a
//   warning. Without GEOS the geometry is kept as is with a warning (AreaSet still
//   answers the way boost::geometry::covered_by does, more slowly).
// - A code seen before: a warning; both are kept, find_code() returns the first.
// Nothing is dropped without a warning; features_read == areas.size() + skipped.
// Warnings read like a compiler's: "wards.geojson:feature 7: warning: ...".
//
// @throws IoError     the file cannot be opened ("path: cannot open: <GDAL message>")
//                     or read, or the CRS transformation cannot be set up.
// @throws UsageError  the layer does not exist (lists the available layers); a
//                     code/name field does not exist (names it, lists the fields);
//                     the layer has no CRS and none is assumed.
// @throws InputError  the layer is not a polygon layer (points, lines, no geometry).

#include <cstddef>
#include <string>
#include <vector>

#include "core/spatial/area_set.hpp"

namespace hotspot::layers {

struct AreaReadOptions {
  std::string layer;       // layer name; empty = the first (usually only) layer
  std::string code_field;  // the area code ("WD24CD"); empty = use the feature FID
  std::string name_field;  // optional human name ("WD24NM"); empty = no names
  std::string assume_crs;  // CRS for a layer that has none ("EPSG:27700"); empty = refuse
};

struct AreaReadResult {
  core::AreaSet areas;                // built, ready for locate()
  std::vector<std::string> warnings;  // "file:feature N: warning: ...", in order
  std::size_t features_read = 0;      // features in the layer
  std::size_t skipped = 0;            // features that did not become an area
};

// See the header comment. The returned AreaSet is built.
AreaReadResult read_areas(const std::string& path, const AreaReadOptions& options);

}  // namespace hotspot::layers
