#pragma once
// read_interventions(): an intervention layer (what the partnership did, where and
// when) from a CSV or any OGR source, into core::Intervention values in British
// National Grid (EPSG:27700, metres).
//
// Fields (names case-insensitive, DESIGN.md "Default input layouts"):
//   id, type, name, start           required; start = YYYY-MM or YYYY-MM-DD (go-live)
//   end                             optional end of the installation period (same forms)
//   scheme                          optional: sites pooled together (default: the type)
//   categories                      optional: crime types affected, separated by ';'
//                                   (names or aliases of the study's taxonomy)
//   radius_m, buffer_m              optional per-site target radius / buffer width
//   control                         optional control-polygon codes, separated by ';'
// type: cctv, street_lighting, alleygate, alleyway_closure, safe_space,
// target_hardening, other (and common spellings, core/evaluate/intervention.hpp).
// Geometry:
//   OGR sources (GeoJSON, GeoPackage, Shapefile, ...): the feature's geometry, point,
//   line or polygon (multi-part allowed, one kind per feature), transformed from the
//   layer's CRS (GeoJSON without "crs" is WGS84); invalid polygons are repaired with
//   MakeValid (with a warning) when GDAL has GEOS.
//   CSV: columns x,y (or easting,northing) in `crs` (default EPSG:27700), or lon,lat
//   (or longitude,latitude) in WGS84, or a WKT column (wkt or geometry) in `crs`.
//
// Strict, because a mistyped date silently moving a £100,000 scheme's go-live would
// change the answer: every problem of every row is collected, and if there is any
// the call throws InputError listing them all, compiler style
// ("interventions.csv:4: error: start '2023-13': month out of range"; OGR sources
// say "file:feature N"). Duplicate ids are errors. Harmless oddities (a repaired
// polygon, an unknown extra column) are warnings.
//
//   InterventionReadResult r = read_interventions("data/ashfield/interventions.csv", tax);
//   for (const auto& w : r.warnings) std::cerr << w << '\n';
//   core::Evaluation e = core::evaluate(table, tax, r.interventions, settings);
//
// @throws IoError (cannot open), UsageError (a required field is missing: names the
//         fields present; no geometry column in a CSV; unknown CRS), InputError (bad rows).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/evaluate/intervention.hpp"
#include "core/incidents/taxonomy.hpp"

namespace hotspot::layers {

struct InterventionReadOptions {
  std::string layer;               // OGR layer; empty = the first
  std::string crs = "EPSG:27700";  // CRS of CSV x/y or WKT columns
};

struct InterventionReadResult {
  std::vector<core::Intervention> interventions;  // in file order
  std::vector<std::string> warnings;
  std::size_t rows = 0;  // features or data rows read (== interventions.size())
};

InterventionReadResult read_interventions(const std::filesystem::path& path, const core::Taxonomy& taxonomy,
                                          const InterventionReadOptions& options = {});

}  // namespace hotspot::layers
