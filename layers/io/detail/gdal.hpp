#pragma once
// Internal GDAL/OGR helpers for layers/io: one-time driver registration, owning
// handles (unique_ptr with the right destroy function) and error capture.
// Never included from a public header (tests/check_layering.sh).
//
//   ensure_gdal();
//   CplErrorCapture errors;                       // collects CPLError messages
//   DatasetPtr ds(GDALOpenEx(path, GDAL_OF_VECTOR, nullptr, nullptr, nullptr));
//   if (!ds) throw IoError(path + ": " + errors.message_or("cannot open"));

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>
#include <string>
#include <vector>

namespace hotspot::layers::detail {

// Registers GDAL/OGR drivers once (thread-safe), switches off GDAL's network access
// (/vsicurl/ and friends: nothing reaches the network) and quietens PROJ.
void ensure_gdal();

// Refuses a data source that would be read over the network: URLs ("https://..."),
// GDAL's network file systems (/vsicurl/, /vsis3/, /vsigs/, /vsiaz/, ... also inside
// /vsizip/) and network driver connection strings ("WFS:http...", "ES:", ...).
// Local files, local archives (/vsizip/file.zip/...) and PostgreSQL/PostGIS ("PG:",
// credentials from libpq's environment and service files) pass. Setting the
// environment variable HOTSPOT_ALLOW_NETWORK=1 allows remote sources explicitly.
// @throws UsageError naming the source.
void check_local_source(const std::string& path);
// True when HOTSPOT_ALLOW_NETWORK=1.
bool network_allowed();

struct DatasetCloser {
  void operator()(GDALDatasetH h) const {
    if (h) GDALClose(h);
  }
};
struct FeatureDestroyer {
  void operator()(OGRFeatureH h) const {
    if (h) OGR_F_Destroy(h);
  }
};
struct GeometryDestroyer {
  void operator()(OGRGeometryH h) const {
    if (h) OGR_G_DestroyGeometry(h);
  }
};
struct SrsReleaser {
  void operator()(OGRSpatialReferenceH h) const {
    if (h) OSRRelease(h);
  }
};
struct TransformDestroyer {
  void operator()(OGRCoordinateTransformationH h) const {
    if (h) OCTDestroyCoordinateTransformation(h);
  }
};

using DatasetPtr = std::unique_ptr<std::remove_pointer_t<GDALDatasetH>, DatasetCloser>;
using FeaturePtr = std::unique_ptr<std::remove_pointer_t<OGRFeatureH>, FeatureDestroyer>;
using GeometryPtr = std::unique_ptr<std::remove_pointer_t<OGRGeometryH>, GeometryDestroyer>;
using SrsPtr = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsReleaser>;
using TransformPtr =
    std::unique_ptr<std::remove_pointer_t<OGRCoordinateTransformationH>, TransformDestroyer>;

// A spatial reference from "EPSG:n", WKT or anything OSRSetFromUserInput takes, in
// traditional GIS axis order (x = longitude/easting). @throws UsageError naming it.
SrsPtr make_srs(const std::string& definition);
SrsPtr make_srs_epsg(int epsg);

// [SECTION] opening OGR sources: what every reader of vector files does first.
//
//   DatasetPtr ds = open_for_reading(path, GDAL_OF_VECTOR);
//   OGRLayerH layer = find_layer(ds.get(), path, options.layer, &warnings);
//   TransformPtr to_bng = transform_to_bng(layer_crs(ds.get(), layer, path, options.assume_crs).get(), where);

// Opens a local data source read-only (ensure_gdal, check_local_source). `flags`:
// GDAL_OF_VECTOR and/or GDAL_OF_RASTER. @throws IoError "PATH: cannot open: <why>".
DatasetPtr open_for_reading(const std::string& path, unsigned flags);
// The names of the dataset's layers, and "a, b, c" ("(none)" when empty).
std::vector<std::string> layer_names(GDALDatasetH ds);
std::string join_names(const std::vector<std::string>& names);
// The layer called `name`, or the first when `name` is empty (adding a warning to
// `warnings`, when given, if there are several). @throws InputError when there is no
// layer, UsageError naming the available ones when `name` is not one of them.
OGRLayerH find_layer(GDALDatasetH ds, const std::string& path, const std::string& name,
                     std::vector<std::string>* warnings = nullptr);
// The CRS of a layer's coordinates, in traditional GIS axis order: its own, else
// `assume_crs`, else OGC:CRS84 for GeoJSON (RFC 7946). @throws UsageError when none
// applies (a shapefile without .prj), saying how to give one.
SrsPtr layer_crs(GDALDatasetH ds, OGRLayerH layer, const std::string& path, const std::string& assume_crs);
// A transformation from `source` to EPSG:27700 (the working CRS), or null when
// `source` is it already. `where` prefixes the error. @throws IoError.
TransformPtr transform_to_bng(OGRSpatialReferenceH source, const std::string& where);

// Collects CPLError messages raised while it lives (per thread), instead of GDAL
// printing them to stderr. Nest-safe.
class CplErrorCapture {
 public:
  CplErrorCapture();
  ~CplErrorCapture();
  CplErrorCapture(const CplErrorCapture&) = delete;
  CplErrorCapture& operator=(const CplErrorCapture&) = delete;

  [[nodiscard]] const std::vector<std::string>& messages() const { return m_messages; }
  // The last failure/warning message, or `fallback` when GDAL said nothing.
  [[nodiscard]] std::string message_or(const std::string& fallback) const;
  void clear() { m_messages.clear(); }

 private:
  static void handler(CPLErr level, CPLErrorNum num, const char* msg);
  std::vector<std::string> m_messages;
};

}  // namespace hotspot::layers::detail
