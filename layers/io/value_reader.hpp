#pragma once
// read_values(): the input of `hotspot stat`: one value per feature from any point
// or polygon layer (GeoPackage, GeoJSON, Shapefile, ... through OGR), or from a CSV
// with x, y (or lon, lat) columns, as ArcGIS's statistics run on any feature class.
// A `hotspot grid` output is such a file (cells with x, y and counts).
//
//   ValueReadOptions o;  o.value = "count";  o.id = "cell_id";
//   ValueTable t = read_values("grid.csv", o);        // CSV: columns x, y by default
//   Weights w = t.polygons ? Weights::polygon_contiguity(*t.polygons, Contiguity::queen)
//                          : Weights::distance_band(t.x_m, t.y_m, 250);
//
// Location: CSV by ValueReadOptions::x/y (default "x", "y"; EPSG from crs, default
// 27700) or lon/lat (WGS84); OGR layers by their geometry, transformed to
// EPSG:27700: points as they are, polygons by their centroid (boost::geometry
// centroid of the corrected polygons; kept whole in `polygons` for contiguity).
// Ids: the id column/field as text, else the CSV data row number (1-based) or the
// OGR FID. Value: a numeric column/field; with an empty `value`, every feature
// counts 1 (KDE of points).
// Strict: a missing or non-numeric value or coordinate stops the read with
// InputError "file:line: error: ..." (the statistics need every feature; nothing is
// skipped silently).
//
// @throws IoError (cannot open), UsageError (a column/field that does not exist:
//         lists those that do; both x/y and lon/lat or neither), InputError.

#include <optional>
#include <string>
#include <vector>

#include "core/spatial/area_set.hpp"

namespace hotspot::layers {

struct ValueReadOptions {
  std::string value;             // numeric column; empty = 1 per feature
  std::string id;                // id column; empty = row number / FID
  std::string x, y;              // CSV projected columns (default "x", "y" when lon/lat unset)
  std::string lon, lat;          // CSV WGS84 columns
  std::string crs = "EPSG:27700";  // CRS of x/y
  std::string layer;             // OGR layer; empty = the first
};

struct ValueTable {
  std::string source;
  std::vector<std::string> ids;
  std::vector<double> x_m, y_m, values;
  std::optional<core::AreaSet> polygons;  // polygon layers: one area per feature (built)
  std::string value_name;                 // the value column, or "count"
};

ValueTable read_values(const std::string& path, const ValueReadOptions& options);

}  // namespace hotspot::layers
