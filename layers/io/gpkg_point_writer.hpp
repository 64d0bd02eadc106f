#pragma once
// GpkgPointWriter: writes one point layer into a GeoPackage fast. A million rows
// of 8 fields take ~2 s of CPU, spatial index included; GDAL 3.6 through
// OGR_L_CreateFeature takes ~20 s, most of it building the index row by row.
//
// How: GDAL creates the file (when missing) and the empty layer, so every piece of
// GeoPackage metadata is GDAL's own (gpkg_spatial_ref_sys with the EPSG definition,
// gpkg_contents, gpkg_geometry_columns, gpkg_ogr_contents, application_id,
// user_version). The rows then go straight through SQLite: multi-row INSERTs of 64
// rows, one transaction, no per-row allocation. finish() builds the R-tree spatial
// index in bulk (layers/io/detail/gpkg_rtree.hpp), adds GDAL's R-tree triggers and
// the gpkg_extensions row, and fills in the layer extent and feature count.
//
// The layer: geometry column "geom" (Point, in `epsg`), primary key "fid" (1, 2, ...
// in row order), then `fields` in order. Field types map to GeoPackage INTEGER
// (int64), REAL and TEXT. Fields not set in a row are NULL.
//
// Durability: while loading, SQLite runs with synchronous=OFF and an in-memory
// rollback journal. A crash or power cut during the write can leave the file
// corrupt, so write to a temporary file and rename it when done (AtomicOutput, which
// fsyncs before renaming). Without finish() the destructor rolls the rows back: the
// file keeps the layer GDAL created, empty.
//
// Cost: ~24 bytes of memory per row until finish() (the index boxes); the file
// takes ~75 bytes per row plus the text (174 MB for a million incident rows). Not
// thread-safe; one writer per file at a time.
//
//   AtomicOutput out("incidents.gpkg");
//   GpkgPointWriter w(out.temp_path(), "incidents", 27700,
//                     {{"month", FieldType::text}, {"score", FieldType::integer}});
//   for (std::size_t i = 0; i < t.size(); ++i) {
//     w.begin_row(t.x_m[i], t.y_m[i]);
//     w.set(0, month_text(i));            // std::string_view: copied, not kept
//     w.set(1, std::int64_t{t.score[i]});
//     w.end_row();
//   }
//   w.finish();                           // index + commit; @throws IoError
//   for (const auto& m : w.warnings()) log(m);
//   out.commit();

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::layers {

// The type of an attribute field, shared by GpkgPointWriter and VectorWriter.
enum class FieldType {
  integer,  // 64-bit signed (GeoPackage INTEGER, OGR Integer64)
  real,     // double (REAL)
  text,     // UTF-8 (TEXT)
};

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::text;
};

// How finish() builds the spatial index.
enum class SpatialIndexBuild {
  bulk,         // packed R-tree written directly (default; ~0.5 s per million rows)
  incremental,  // SQLite inserts one row at a time, as GDAL 3.6 does (~13 s per
                // million); what bulk falls back to if its self-check fails
};

struct GpkgPointWriterOptions {
  SpatialIndexBuild index = SpatialIndexBuild::bulk;
};

class GpkgPointWriter {
 public:
  using Options = GpkgPointWriterOptions;

  // Creates `path` as a GeoPackage if it does not exist, or opens it and replaces a
  // layer named `layer` (compared case-insensitively, as SQLite does) if there is one.
  // @throws UsageError for an empty layer name, an unknown EPSG code, an empty,
  //         duplicate or reserved ("fid", "geom") field name;
  //         IoError when the file cannot be created or opened, is not a GeoPackage,
  //         or GDAL/SQLite fail (the message names the file and the layer).
  GpkgPointWriter(const std::filesystem::path& path, std::string layer, int epsg,
                  std::vector<FieldSpec> fields, Options options = {});
  // Without finish(): rolls back the rows (the file keeps the empty layer). No throw.
  ~GpkgPointWriter();
  GpkgPointWriter(const GpkgPointWriter&) = delete;
  GpkgPointWriter& operator=(const GpkgPointWriter&) = delete;

  // Starts a row at (x, y) in the layer's CRS.
  // Requires: no row open, not finished, x and y finite (callers filter out rows
  // without a location; empty points are never written).
  void begin_row(double x, double y);
  // Set field `field` (index into `fields`) of the open row. The text is copied.
  // Requires: a row open, field < fields.size(), and the field's type: integer
  // (or real, converted) for set(int64_t), real for set(double), text for
  // set(string_view). Setting a field twice keeps the last value.
  void set(std::size_t field, std::int64_t v);
  void set(std::size_t field, int v) { set(field, std::int64_t{v}); }
  void set(std::size_t field, double v);
  void set(std::size_t field, std::string_view v);
  void set_null(std::size_t field);
  // Ends the row. Rows are written 64 at a time, so a write error (e.g. "database
  // or disk is full") surfaces here for the batch it completes, or in finish().
  // @throws IoError naming the rows ("writing row 1025 to 1088: ...").
  void end_row();

  // Commits the rows, builds the spatial index, updates the extent and the feature
  // count, closes the file. Requires: no row open; called once.
  // @throws IoError; the writer is then unusable and the destructor rolls back.
  void finish();

  // Rows ended so far (buffered rows included).
  [[nodiscard]] std::uint64_t row_count() const;
  // Problems that did not stop the write, as full sentences naming the file and the
  // layer (e.g. the bulk index failed its self-check and was rebuilt row by row).
  [[nodiscard]] const std::vector<std::string>& warnings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace hotspot::layers
