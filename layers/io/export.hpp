#pragma once
// export_layers(): publish the layers of a study GeoPackage (or any OGR source) as
// the partnership's GIS and web maps want them, in one call:
//   <geojson_dir>/<layer>.geojson  RFC 7946: WGS84 lon/lat, counter-clockwise outer
//                                  rings (right-hand rule), an "id" on every feature,
//                                  typed properties (integers stay integers),
//                                  coordinates with `precision` decimals (default 6);
//   <gpkg>                         one GeoPackage with every layer (EPSG:27700) and a
//                                  QGIS style per layer in layer_styles (qgis_style.hpp);
//   <tables_dir>/<layer>.csv       the attribute table of every layer;
//   PostGIS                        every layer into one schema (postgis.hpp).
// Disclosure control (disclosure.hpp) is applied to every output when the rules say
// public_release; a private export keeps everything. Public exports leave out the
// incident point layer unless point_precision_m > 0 (then its points are snapped).
//
//   ExportOptions o;
//   o.source = "out/ashfield/study.gpkg";
//   o.geojson_dir = "out/ashfield/public/geojson";
//   o.disclosure = {.public_release = true, .min_count = 5};
//   ExportReport r = export_layers(o);                 // @throws IoError, UsageError
//
// Atomic: each file is written to a temporary sibling and renamed over the old one
// (AtomicOutput), so a crash or a full disk leaves the previous outputs intact;
// PostGIS layers are swapped in one transaction each.
//
// Which layers: ExportOptions::layers (names, case-insensitive), or every vector
// layer of the source. GeoJSON needs geometry: attribute-only layers (monthly
// tables) go to tables_dir only. Raster layers (KDE GeoTIFF) are not exported here.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "layers/io/disclosure.hpp"
#include "layers/io/postgis.hpp"

namespace hotspot::layers {

struct ExportOptions {
  std::filesystem::path source;                 // a GeoPackage or any OGR source
  std::vector<std::string> layers;              // empty = every vector layer
  std::vector<std::string> exclude;             // layers left out (case-insensitive)
  std::optional<std::filesystem::path> geojson_dir;
  std::optional<std::filesystem::path> gpkg;    // styled GeoPackage (may be `source` itself: styles only)
  std::optional<std::filesystem::path> tables_dir;
  std::optional<PostgisTarget> postgis;
  int precision = 6;                            // GeoJSON decimals (0..15)
  bool styles = true;                           // write QGIS styles into the GeoPackage
  DisclosureRules disclosure;
  std::vector<std::filesystem::path> inputs;    // files the export must never overwrite
};

struct ExportLayerReport {
  std::string layer;
  std::string geometry;          // "polygon", "point", "line", "none"
  std::size_t features = 0;      // written (after disclosure control)
  DisclosureReport disclosure;
  bool skipped = false;          // refused by disclosure control or not exportable
  std::string note;              // why it was skipped
};

struct ExportReport {
  std::vector<ExportLayerReport> layers;
  std::vector<std::filesystem::path> written;   // files, in the order written
  std::optional<PostgisReport> postgis;
  std::vector<std::string> warnings;
  double seconds = 0;
};

ExportReport export_layers(const ExportOptions& options);

// Lower-precision decimals a public point layer may be written with: the GeoJSON
// decimals of longitude/latitude that do not resolve finer than `precision_m`
// (1e-5 degree ~ 1.1 m of latitude): e.g. 250 m -> 3 decimals. At least 0.
int public_decimals_for(double precision_m);

}  // namespace hotspot::layers
