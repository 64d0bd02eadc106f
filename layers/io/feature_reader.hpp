#pragma once
// read_features(): any OGR vector layer (GeoPackage, GeoJSON, Shapefile, FlatGeobuf,
// ...) into a FeatureSet: a drawable, columnar copy of the layer in British National
// Grid (EPSG:27700, metres). describe_dataset(): what layers and rasters a file holds.
// This is how the viewer (and anything else that needs "a layer, whatever it is")
// reads geodata; the layer's fields are kept generically, so new layers (grid cells
// with Gi* z/p/bin, emerging hot spot categories, interventions, ranked targets)
// need no change here.
//
//   DatasetInfo info = describe_dataset("out/ashfield/study.gpkg");
//   for (const LayerInfo& l : info.layers) std::cout << l.name << '\n';
//   FeatureSet wards = read_features("out/ashfield/study.gpkg", {.layer = "wards_counts"});
//   int total = wards.field_index("total");
//   for (std::size_t f = 0; f < wards.size(); ++f)
//     use(wards.fields[total].number(f), wards.feature_bbox(f));
//
// Geometry layout (GeoArrow-like offsets, one flat vertex array; no per-feature heap
// objects, so a million incidents cost ~40 bytes each plus their fields):
//   vertices  x_m[v], y_m[v]
//   ring r    vertices [ring_offsets[r], ring_offsets[r + 1])
//   part p    rings    [part_offsets[p], part_offsets[p + 1])   (a polygon with its
//             holes, one linestring, or one point)
//   feature f parts    [feature_offsets[f], feature_offsets[f + 1])
// A feature's GeometryClass says how to read its parts; a feature without geometry
// has no parts. Polygon rings are as stored (closed, any orientation): the first
// ring of a part is the outer ring, the others its holes.
//
// Fields: one FieldColumn per OGR field, values per feature. Numbers (integer,
// real) are doubles, NaN for NULL (integers beyond 2^53 lose precision: no such
// field in our layers); text and dates are dictionary-encoded (a code per feature
// into `dictionary`, FieldColumn::kNull for NULL), because crime layers repeat the
// same few values (month, category, area code) a million times.
//
// Coordinates are transformed from the layer's CRS to EPSG:27700 (OGR/PROJ,
// traditional GIS axis order). A GeoJSON file without "crs" is WGS84 (RFC 7946);
// any other layer without a CRS is refused unless FeatureReadOptions::assume_crs
// names one. Curved geometries are linearised. Nothing is dropped silently:
// a feature whose geometry cannot be transformed keeps its fields, gets no
// geometry and a warning ("file:feature N: warning: ...").
//
// @throws IoError    the file cannot be opened or read.
// @throws UsageError the layer does not exist (lists those that do); the layer has
//                    no CRS and none is assumed.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/geo/geometry.hpp"

namespace hotspot::layers {

enum class GeometryClass : uint8_t { none, point, line, polygon };
const char* geometry_class_name(GeometryClass c);  // "none", "point", "line", "polygon"

enum class FieldKind : uint8_t { integer, real, text, date };

// One attribute column of a FeatureSet. See the header comment for the encoding.
struct FieldColumn {
  static constexpr uint32_t kNull = std::numeric_limits<uint32_t>::max();

  std::string name;
  FieldKind kind = FieldKind::text;
  std::vector<double> numbers;          // integer/real fields: one per feature, NaN = NULL
  std::vector<uint32_t> codes;          // text/date fields: one per feature, kNull = NULL
  std::vector<std::string> dictionary;  // text/date fields: the distinct values, first-seen order

  [[nodiscard]] bool is_numeric() const {
    return kind == FieldKind::integer || kind == FieldKind::real;
  }
  // Requires: f < feature count. NaN for NULL or text fields.
  [[nodiscard]] double number(std::size_t f) const {
    return is_numeric() ? numbers[f] : std::numeric_limits<double>::quiet_NaN();
  }
  [[nodiscard]] bool is_null(std::size_t f) const {
    return is_numeric() ? std::isnan(numbers[f]) : codes[f] == kNull;
  }
  // The value as text: numbers formatted (integers without decimals), "" for NULL.
  [[nodiscard]] std::string text(std::size_t f) const;
};

// A whole layer, drawable and queryable. A plain value (movable, copyable).
struct FeatureSet {
  std::string source;  // the path it was read from
  std::string layer;   // the layer name
  GeometryClass geometry = GeometryClass::none;  // the layer's class (most common one)

  std::vector<double> x_m, y_m;             // vertices, EPSG:27700 metres
  std::vector<uint32_t> ring_offsets{0};    // size rings + 1
  std::vector<uint32_t> part_offsets{0};    // size parts + 1
  std::vector<uint32_t> feature_offsets{0}; // size features + 1
  std::vector<GeometryClass> feature_class; // per feature
  std::vector<int64_t> fid;                 // per feature: OGR FID
  std::vector<double> bbox;                 // per feature: min x, min y, max x, max y (NaN if none)

  std::vector<FieldColumn> fields;
  std::vector<std::string> warnings;  // "file:feature N: warning: ...", in order

  [[nodiscard]] std::size_t size() const { return feature_class.size(); }
  [[nodiscard]] bool empty() const { return feature_class.empty(); }
  // Index of the field named `name` (exact, then case-insensitive), or -1.
  [[nodiscard]] int field_index(std::string_view name) const;
  // Requires: f < size().
  [[nodiscard]] core::Box feature_bbox(std::size_t f) const;
  // Envelope of every feature; an inverted box when nothing has geometry.
  [[nodiscard]] core::Box bounds() const;
  // Requires: f < size(). The feature's polygons (parts of a polygon feature) as a
  // core MultiPolygon (corrected orientation), for point-in-polygon and areas.
  [[nodiscard]] core::MultiPolygon polygons(std::size_t f) const;

  // Builders (used by readers, tests and in-memory layers). A feature is opened by
  // begin_feature, filled with add_part/add_ring/add_vertex, and closed implicitly by
  // the next begin_feature or by finish().
  void begin_feature(GeometryClass c, int64_t feature_fid);
  void add_part();     // requires: an open feature
  void add_ring();     // requires: an open part
  void add_vertex(double x, double y);  // requires: an open ring
  void finish();       // computes the bounding boxes of features added since the last finish()
};

struct FeatureReadOptions {
  std::string layer;       // layer name; empty = the first layer
  std::string assume_crs;  // CRS for a layer that has none ("EPSG:27700"); empty = refuse
  // Called now and then with (features read, features in the layer); the count is
  // an estimate for formats that cannot count quickly.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

// What a dataset holds. A raster dataset has rasters and usually no layers.
struct LayerInfo {
  std::string name;
  GeometryClass geometry = GeometryClass::none;
  int64_t feature_count = -1;  // -1 when the driver cannot tell cheaply
  std::vector<std::string> fields;
};
struct DatasetInfo {
  std::string path;
  std::string driver;             // GDAL short name ("GPKG", "GeoJSON", "GTiff")
  std::vector<LayerInfo> layers;  // vector layers, in dataset order
  int raster_bands = 0;           // > 0 when the dataset is (also) a raster
  int raster_width = 0, raster_height = 0;
  // Raster tables of a container (a GeoPackage holding KDE surfaces beside its
  // vector layers): GDAL's SUBDATASETS, each {name to pass to read_raster(), its
  // table/description}. Empty for single rasters and pure vector files.
  std::vector<std::pair<std::string, std::string>> raster_subdatasets;
};

// @throws IoError when GDAL cannot open the file as vector or raster.
DatasetInfo describe_dataset(const std::string& path);

// See the header comment.
FeatureSet read_features(const std::string& path, const FeatureReadOptions& options);

}  // namespace hotspot::layers
