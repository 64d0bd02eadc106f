#include "layers/io/area_reader.hpp"

#include <cpl_error.h>
#include <ogr_geometry.h>  // OGRGeometryFactory::haveGEOS (no C API for it in GDAL 3.6)

#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/base/error.hpp"
#include "layers/io/detail/gdal.hpp"

namespace hotspot::layers {

namespace {

using core::MultiPolygon;
using core::Point;
using core::Polygon;
using core::Ring;
using detail::GeometryPtr;

std::vector<std::string> field_names(OGRFeatureDefnH defn) {
  std::vector<std::string> names;
  const int n = OGR_FD_GetFieldCount(defn);
  for (int i = 0; i < n; ++i) names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
  return names;
}

// Field index by exact name, falling back to OGR's case-insensitive match.
int field_index(OGRFeatureDefnH defn, const std::string& name) {
  const int n = OGR_FD_GetFieldCount(defn);
  for (int i = 0; i < n; ++i)
    if (name == OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))) return i;
  return OGR_FD_GetFieldIndex(defn, name.c_str());
}

bool is_polygonal_type(OGRwkbGeometryType t) {
  t = wkbFlatten(t);
  return OGR_GT_IsSubClassOf(t, wkbCurvePolygon) || OGR_GT_IsSubClassOf(t, wkbMultiSurface);
}

// Appends the polygonal parts of `g` (Polygon, MultiPolygon, collections of them)
// to `out`; sets `dropped` when a non-empty non-polygonal part is left out.
void collect_polygons(OGRGeometryH g, MultiPolygon& out, bool& dropped) {
  if (g == nullptr || OGR_G_IsEmpty(g)) return;
  const OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
  if (t == wkbPolygon) {
    Polygon poly;
    const int rings = OGR_G_GetGeometryCount(g);
    for (int r = 0; r < rings; ++r) {
      OGRGeometryH ring = OGR_G_GetGeometryRef(g, r);
      Ring& dst = r == 0 ? poly.outer() : poly.inners().emplace_back();
      const int n = OGR_G_GetPointCount(ring);
      dst.reserve(static_cast<std::size_t>(n));
      for (int k = 0; k < n; ++k) dst.emplace_back(OGR_G_GetX(ring, k), OGR_G_GetY(ring, k));
    }
    out.push_back(std::move(poly));
  } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
    const int n = OGR_G_GetGeometryCount(g);
    for (int i = 0; i < n; ++i) collect_polygons(OGR_G_GetGeometryRef(g, i), out, dropped);
  } else {
    dropped = true;
  }
}

class Reader {
 public:
  Reader(std::string path, const AreaReadOptions& options)
      : m_path(std::move(path)), m_options(options) {}

  AreaReadResult run() {
    detail::DatasetPtr ds = detail::open_for_reading(m_path, GDAL_OF_VECTOR);
    detail::CplErrorCapture errors;
    OGRLayerH layer = detail::find_layer(ds.get(), m_path, m_options.layer, &m_result.warnings);
    const std::string layer_name = OGR_L_GetName(layer);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const int code_index = required_field(defn, layer_name, m_options.code_field, "code");
    const int name_index = required_field(defn, layer_name, m_options.name_field, "name");
    check_geometry_type(layer, layer_name);
    setup_transform(ds.get(), layer, layer_name);
    m_have_geos = OGRGeometryFactory::haveGEOS();

    OGR_L_ResetReading(layer);
    for (;;) {
      CPLErrorReset();
      detail::FeaturePtr feature(OGR_L_GetNextFeature(layer));
      if (!feature) {
        if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal)
          throw IoError(m_path + ": layer '" + layer_name + "': read failed after feature " +
                        std::to_string(m_result.features_read) + ": " +
                        errors.message_or("unknown GDAL error"));
        break;
      }
      ++m_result.features_read;
      read_feature(feature.get(), code_index, name_index);
    }
    if (m_result.areas.empty() && m_non_polygonal > 0 && m_result.features_read == m_non_polygonal)
      throw InputError(m_path + ": layer '" + layer_name +
                       "' has no polygon features (not a polygon layer)");
    // A boundary with features but no usable area would silently put every incident
    // "outside" it: refuse it, with the first reason.
    if (m_result.areas.empty() && m_result.features_read > 0) {
      std::string first = m_result.warnings.empty() ? std::string() : m_result.warnings.front();
      if (auto k = first.find(": warning: "); k != std::string::npos) first = first.substr(k + 11);
      throw InputError(m_path + ": layer '" + layer_name + "': none of its " +
                       std::to_string(m_result.features_read) + " features is a usable polygon" +
                       (first.empty() ? std::string() : " (first: " + first + ")"));
    }
    m_result.areas.build();
    return std::move(m_result);
  }

 private:
  int required_field(OGRFeatureDefnH defn, const std::string& layer_name, const std::string& field,
                     const char* role) const {
    if (field.empty()) return -1;
    const int index = field_index(defn, field);
    if (index < 0)
      throw UsageError(m_path + ": layer '" + layer_name + "' has no field '" + field + "' (the " +
                       role + " field); available fields: " + detail::join_names(field_names(defn)));
    return index;
  }

  void check_geometry_type(OGRLayerH layer, const std::string& layer_name) const {
    const OGRwkbGeometryType t = wkbFlatten(OGR_L_GetGeomType(layer));
    if (t == wkbNone)
      throw InputError(m_path + ": layer '" + layer_name +
                       "' has no geometry column (not a polygon layer)");
    // Unknown / GeometryCollection: mixed layers (GeoJSON); decided per feature.
    if (t == wkbUnknown || t == wkbGeometryCollection || is_polygonal_type(t)) return;
    throw InputError(m_path + ": layer '" + layer_name + "' has " + OGRGeometryTypeToName(t) +
                     " geometries, not polygons");
  }

  void setup_transform(GDALDatasetH ds, OGRLayerH layer, const std::string& layer_name) {
    const detail::SrsPtr source = detail::layer_crs(ds, layer, m_path, m_options.assume_crs);
    m_geographic = OSRIsGeographic(source.get()) != 0;
    m_transform = detail::transform_to_bng(source.get(), m_path + ": layer '" + layer_name + "'");
  }

  std::string where(std::size_t feature) const {
    return m_path + ":feature " + std::to_string(feature) + ": warning: ";
  }

  void skip(const std::string& message) {
    m_result.warnings.push_back(where(m_result.features_read) + message + "; skipped");
    ++m_result.skipped;
  }

  void read_feature(OGRFeatureH feature, int code_index, int name_index) {
    const std::size_t number = m_result.features_read;
    std::string code;
    if (code_index < 0)
      code = std::to_string(OGR_F_GetFID(feature));
    else if (OGR_F_IsFieldSetAndNotNull(feature, code_index))
      code = OGR_F_GetFieldAsString(feature, code_index);
    std::string name;
    if (name_index >= 0 && OGR_F_IsFieldSetAndNotNull(feature, name_index))
      name = OGR_F_GetFieldAsString(feature, name_index);
    const std::string label = "feature '" + code + "'";

    OGRGeometryH borrowed = OGR_F_GetGeometryRef(feature);
    if (borrowed == nullptr || OGR_G_IsEmpty(borrowed)) {
      skip(label + " has no geometry");
      return;
    }
    GeometryPtr geom(OGR_G_HasCurveGeometry(borrowed, TRUE)
                         ? OGR_G_GetLinearGeometry(borrowed, 0, nullptr)
                         : OGR_G_Clone(borrowed));
    if (!geom) {
      skip(label + " has a curved geometry that could not be linearised");
      return;
    }
    const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(geom.get()));
    if (!is_polygonal_type(type) && type != wkbGeometryCollection) {
      ++m_non_polygonal;
      skip(label + " is a " + OGRGeometryTypeToName(type) + ", not a polygon");
      return;
    }
    if (m_transform && m_geographic) {
      // Metres in a layer that says degrees (a GeoJSON without "crs" holding BNG).
      OGREnvelope env;
      OGR_G_GetEnvelope(geom.get(), &env);
      if (env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 || env.MaxY > 90) {
        char xy[64];
        std::snprintf(xy, sizeof xy, "%.0f, %.0f", env.MinX, env.MinY);
        skip(label + " has coordinates (" + xy +
             ") that are not longitude/latitude although the layer says so (a GeoJSON file "
             "without a \"crs\" member is WGS84); if they are British National Grid metres, "
             "give the CRS (EPSG:27700)");
        return;
      }
    }
    if (m_transform) {
      detail::CplErrorCapture errors;
      if (OGR_G_Transform(geom.get(), m_transform.get()) != OGRERR_NONE) {
        skip(label + " could not be transformed to EPSG:27700 (" + errors.message_or("PROJ error") +
             ")");
        return;
      }
    }

    std::string repaired;  // warning text when the geometry was repaired
    if (m_have_geos) {
      detail::CplErrorCapture errors;
      if (!OGR_G_IsValid(geom.get())) {
        const std::string reason = errors.message_or("not a valid polygon");
        GeometryPtr valid(OGR_G_MakeValid(geom.get()));
        if (!valid) {
          skip(label + " has an invalid geometry (" + reason + ") that MakeValid could not repair");
          return;
        }
        geom = std::move(valid);
        repaired = label + " has an invalid geometry (" + reason + "); repaired with MakeValid";
      }
    }

    MultiPolygon polygons;
    bool dropped = false;
    collect_polygons(geom.get(), polygons, dropped);
    if (!repaired.empty()) {
      if (dropped) repaired += ", keeping only its polygonal parts";
      m_result.warnings.push_back(where(number) + repaired);
    } else if (dropped) {
      m_result.warnings.push_back(where(number) + label +
                                  " is a collection; its non-polygonal parts were dropped");
    }
    if (polygons.empty()) {
      skip(label + " has no polygonal part");
      return;
    }
    if (!m_have_geos) {
      std::string reason;
      MultiPolygon corrected = polygons;
      boost::geometry::correct(corrected);
      if (!boost::geometry::is_valid(corrected, reason))
        m_result.warnings.push_back(where(number) + label + " has an invalid geometry (" + reason +
                                    "); kept as is: this GDAL has no GEOS to repair it");
    }

    if (code_index >= 0 && code.empty())
      m_result.warnings.push_back(where(number) + "feature has an empty code");
    if (auto [it, inserted] = m_first_seen.try_emplace(code, number); !inserted)
      m_result.warnings.push_back(where(number) + "duplicate code '" + code +
                                  "' (first at feature " + std::to_string(it->second) +
                                  "); both kept, lookups by code find the first");
    m_result.areas.add(std::move(code), std::move(name), std::move(polygons));
  }

  std::string m_path;
  const AreaReadOptions& m_options;
  AreaReadResult m_result;
  detail::TransformPtr m_transform;
  bool m_have_geos = false;
  bool m_geographic = false;  // the layer's CRS is in degrees
  std::size_t m_non_polygonal = 0;
  std::unordered_map<std::string, std::size_t> m_first_seen;
};

}  // namespace

AreaReadResult read_areas(const std::string& path, const AreaReadOptions& options) {
  return Reader(path, options).run();
}

}  // namespace hotspot::layers
