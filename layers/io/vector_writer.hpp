#pragma once
// VectorWriter: writes layers of polygons, lines, points or plain attribute rows
// through GDAL/OGR, for the outputs other than the big incident point layer (grids,
// ward/LSOA counts, hotspot tables): up to about a million features per layer.
// For millions of points into a GeoPackage use GpkgPointWriter, which is ~10x faster.
//
// The format follows the extension (case-insensitive):
//   .gpkg           GeoPackage: many layers per file; an existing file is opened and
//                   a layer of the same name (case-insensitive) is replaced. Each
//                   layer is written in one transaction. The R-tree spatial index is
//                   built in bulk by close() (layers/io/detail/gpkg_rtree.hpp), not
//                   row by row as GDAL 3.6 would.
//   .geojson .json  GeoJSON: one layer. With Options::geojson_rfc7946 (default, as
//                   DESIGN.md asks) GDAL reprojects to WGS84 lon/lat and writes
//                   counter-clockwise exterior rings (RFC7946=YES); otherwise the
//                   coordinates stay in the layer's CRS (with a "crs" member).
//                   Coordinates have Options::geojson_precision decimals at most.
//                   RFC 7946 output writes a one-part MultiPolygon as a Polygon
//                   (GDAL's reprojection does that).
//   .csv            attribute tables only (GeometryKind::none); one layer; values
//                   quoted only when needed. GDAL ends the header of a one-column
//                   table with a comma (so that GDAL recognises it as CSV).
//   .shp            ESRI Shapefile (+ .shx .dbf .prj .cpg, UTF-8): one layer; GDAL
//                   truncates field names to 10 characters (reported in warnings()).
// A single-layer file (GeoJSON, CSV, Shapefile) that already exists is replaced.
//
// Geometry is given in the layer's CRS (LayerSpec::epsg, metres for British National
// Grid) as core types. Outer rings may be clockwise (core's convention): GeoPackage
// and non-RFC GeoJSON store them as given, Shapefile and RFC 7946 GeoJSON reorient.
// Rings that are not closed are closed. Non-finite doubles are written as NULL (no
// format represents NaN portably).
//
// Ownership: the writer owns its layers; a Layer& stays valid while the writer lives
// (add() after close() is a programming error). Not thread-safe.
//
// Cost: 200 000 grid-cell polygons with three fields into a GeoPackage take ~0.8 s
// including the spatial index (GDAL 3.6 with SPATIAL_INDEX=YES: 3.8 s); ~24 bytes
// of memory per GeoPackage feature until close() (the index boxes).
//
//   VectorWriter out(tmp.temp_path());                        // "grid.gpkg"
//   auto& cells = out.add_layer({.name = "cells", .geometry = GeometryKind::multipolygon,
//                                .fields = {{"count", FieldType::integer}}});
//   FeatureValues f;                                          // reuse: no reallocation
//   for (...) { f.geometry = cell_polygon; f.values = {std::int64_t{n}}; cells.add(f); }
//   out.close();                                              // @throws IoError

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/geo/geometry.hpp"
#include "layers/io/gpkg_point_writer.hpp"  // FieldType, FieldSpec

namespace hotspot::layers {

enum class GeometryKind { none, point, multipolygon, multilinestring };

struct LayerSpec {
  std::string name;
  GeometryKind geometry = GeometryKind::none;
  int epsg = core::kWorkingEpsg;  // the CRS of the geometry passed to add()
  std::vector<FieldSpec> fields;
  // GeoJSON only: the field written as each Feature's "id" member (RFC 7946 3.2)
  // instead of a property (GDAL's ID_FIELD); empty = no "id" member. Other formats
  // ignore it.
  std::string geojson_id_field;
};

// One attribute value: std::monostate is NULL. An int64_t may go into a real field.
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;
// The geometry of a feature: std::monostate is no geometry (NULL).
using FeatureGeometry =
    std::variant<std::monostate, core::Point, core::MultiPolygon, core::MultiLineString>;

// One feature to write. Keep one FeatureValues and overwrite it for every feature:
// its vectors and strings keep their capacity, so the loop does not allocate.
struct FeatureValues {
  FeatureGeometry geometry;
  std::vector<FieldValue> values;  // one per LayerSpec::fields entry, in order
};

enum class VectorFormat { gpkg, geojson, csv, shapefile };

// The format an output path selects, or nullopt for an unknown extension.
std::optional<VectorFormat> vector_format_for(const std::filesystem::path& path);

struct VectorWriterOptions {
  int geojson_precision = 6;       // decimals of GeoJSON coordinates (0..17)
  bool geojson_rfc7946 = true;     // WGS84 lon/lat, counter-clockwise outer rings
  bool gpkg_spatial_index = true;  // R-tree per GeoPackage geometry layer
};

class VectorWriter {
 public:
  using Options = VectorWriterOptions;

  class Layer {
   public:
    ~Layer();
    Layer(const Layer&) = delete;
    Layer& operator=(const Layer&) = delete;

    // Writes one feature.
    // Requires: the writer is not closed; the geometry alternative matches the
    // layer's GeometryKind (or is monostate); values.size() == fields.size() and
    // each value is monostate or the field's type (int64_t also for real).
    // @throws IoError naming the file, the layer and the feature's position.
    void add(const FeatureValues& feature);

    [[nodiscard]] const std::string& name() const;
    [[nodiscard]] std::uint64_t feature_count() const;

   private:
    friend class VectorWriter;
    struct Impl;
    explicit Layer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
  };

  // Opens (.gpkg that exists) or creates the output.
  // @throws UsageError for an unknown extension; IoError when the file cannot be
  //         created or opened (the message names the file and the driver).
  explicit VectorWriter(const std::filesystem::path& path, Options options = {});
  // Closes if close() was not called, swallowing errors (a destructor must not
  // throw): call close() to learn whether the file is complete.
  ~VectorWriter();
  VectorWriter(const VectorWriter&) = delete;
  VectorWriter& operator=(const VectorWriter&) = delete;

  // Adds a layer (replacing a GeoPackage layer of that name) and commits the
  // previous layer's transaction.
  // @throws UsageError for a second layer in a single-layer format, a geometry layer
  //         in a CSV, a layer name used twice, an empty/duplicate/reserved ("fid",
  //         "geom") field name or an unknown EPSG code; IoError when GDAL fails.
  Layer& add_layer(const LayerSpec& spec);

  // Commits, flushes and closes the file, then builds the GeoPackage spatial
  // indexes. Idempotent. @throws IoError.
  void close();

  [[nodiscard]] VectorFormat format() const;
  // Problems that did not stop the write (GDAL warnings such as truncated field
  // names, a spatial index rebuilt row by row), as full sentences.
  [[nodiscard]] const std::vector<std::string>& warnings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace hotspot::layers
