#include "layers/io/feature_reader.hpp"

#include <cpl_error.h>
#include <cpl_string.h>

#include <algorithm>
#include <boost/geometry/algorithms/correct.hpp>
#include <cctype>
#include <charconv>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "core/base/assert.hpp"
#include "core/base/error.hpp"
#include "layers/io/detail/gdal.hpp"

namespace hotspot::layers {

const char* geometry_class_name(GeometryClass c) {
  switch (c) {
    case GeometryClass::none: return "none";
    case GeometryClass::point: return "point";
    case GeometryClass::line: return "line";
    case GeometryClass::polygon: return "polygon";
  }
  return "none";
}

std::string FieldColumn::text(std::size_t f) const {
  if (!is_numeric()) return codes[f] == kNull ? std::string() : dictionary[codes[f]];
  const double v = numbers[f];
  if (std::isnan(v)) return {};
  char buf[64];
  std::to_chars_result r{};
  if (kind == FieldKind::integer && std::abs(v) < 9.0e15)
    r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
  else
    r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  return std::string(buf, r.ptr);
}

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto ca = static_cast<unsigned char>(a[i]), cb = static_cast<unsigned char>(b[i]);
    if (std::tolower(ca) != std::tolower(cb)) return false;
  }
  return true;
}

}  // namespace

int FeatureSet::field_index(std::string_view name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (iequals(fields[i].name, name)) return static_cast<int>(i);
  return -1;
}

core::Box FeatureSet::feature_bbox(std::size_t f) const {
  HOTSPOT_ASSERT(f < size());
  return core::Box(core::Point(bbox[4 * f], bbox[4 * f + 1]),
                   core::Point(bbox[4 * f + 2], bbox[4 * f + 3]));
}

core::Box FeatureSet::bounds() const {
  constexpr double kHuge = std::numeric_limits<double>::max();
  double x0 = kHuge, y0 = kHuge, x1 = -kHuge, y1 = -kHuge;
  for (std::size_t f = 0; f < size(); ++f) {
    if (std::isnan(bbox[4 * f])) continue;
    x0 = std::min(x0, bbox[4 * f]);
    y0 = std::min(y0, bbox[4 * f + 1]);
    x1 = std::max(x1, bbox[4 * f + 2]);
    y1 = std::max(y1, bbox[4 * f + 3]);
  }
  return core::Box(core::Point(x0, y0), core::Point(x1, y1));
}

core::MultiPolygon FeatureSet::polygons(std::size_t f) const {
  HOTSPOT_ASSERT(f < size());
  core::MultiPolygon out;
  if (feature_class[f] != GeometryClass::polygon) return out;
  for (uint32_t p = feature_offsets[f]; p < feature_offsets[f + 1]; ++p) {
    core::Polygon poly;
    for (uint32_t r = part_offsets[p]; r < part_offsets[p + 1]; ++r) {
      core::Ring& ring = r == part_offsets[p] ? poly.outer() : poly.inners().emplace_back();
      ring.reserve(ring_offsets[r + 1] - ring_offsets[r]);
      for (uint32_t v = ring_offsets[r]; v < ring_offsets[r + 1]; ++v)
        ring.emplace_back(x_m[v], y_m[v]);
    }
    out.push_back(std::move(poly));
  }
  boost::geometry::correct(out);
  return out;
}

void FeatureSet::begin_feature(GeometryClass c, int64_t feature_fid) {
  // The new feature has no parts yet: it ends where it starts.
  feature_class.push_back(c);
  fid.push_back(feature_fid);
  feature_offsets.push_back(static_cast<uint32_t>(part_offsets.size() - 1));
}

void FeatureSet::add_part() {
  HOTSPOT_ASSERT(!feature_class.empty());
  part_offsets.push_back(static_cast<uint32_t>(ring_offsets.size() - 1));
  feature_offsets.back() = static_cast<uint32_t>(part_offsets.size() - 1);
}

void FeatureSet::add_ring() {
  HOTSPOT_ASSERT(part_offsets.size() > 1);
  ring_offsets.push_back(static_cast<uint32_t>(x_m.size()));
  part_offsets.back() = static_cast<uint32_t>(ring_offsets.size() - 1);
}

void FeatureSet::add_vertex(double x, double y) {
  HOTSPOT_ASSERT(ring_offsets.size() > 1);
  x_m.push_back(x);
  y_m.push_back(y);
  ring_offsets.back() = static_cast<uint32_t>(x_m.size());
}

void FeatureSet::finish() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t f = bbox.size() / 4; f < size(); ++f) {
    double x0 = nan, y0 = nan, x1 = nan, y1 = nan;
    const uint32_t r0 = part_offsets[feature_offsets[f]];
    const uint32_t r1 = part_offsets[feature_offsets[f + 1]];
    for (uint32_t v = ring_offsets[r0]; v < ring_offsets[r1]; ++v) {
      const double x = x_m[v], y = y_m[v];
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      if (std::isnan(x0)) {
        x0 = x1 = x;
        y0 = y1 = y;
      } else {
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
      }
    }
    bbox.insert(bbox.end(), {x0, y0, x1, y1});
  }
}

namespace {

GeometryClass class_of(OGRwkbGeometryType t) {
  t = wkbFlatten(t);
  if (t == wkbPoint || t == wkbMultiPoint) return GeometryClass::point;
  if (OGR_GT_IsSubClassOf(t, wkbCurve) || OGR_GT_IsSubClassOf(t, wkbMultiCurve))
    return GeometryClass::line;
  if (OGR_GT_IsSubClassOf(t, wkbCurvePolygon) || OGR_GT_IsSubClassOf(t, wkbMultiSurface) ||
      t == wkbPolyhedralSurface || t == wkbTIN)
    return GeometryClass::polygon;
  return GeometryClass::none;
}

std::vector<std::string> field_names(OGRFeatureDefnH defn) {
  std::vector<std::string> names;
  const int n = OGR_FD_GetFieldCount(defn);
  for (int i = 0; i < n; ++i) names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
  return names;
}

class Reader {
 public:
  Reader(std::string path, const FeatureReadOptions& options)
      : m_path(std::move(path)), m_options(options) {}

  FeatureSet run() {
    detail::DatasetPtr ds = detail::open_for_reading(m_path, GDAL_OF_VECTOR);
    OGRLayerH layer = detail::find_layer(ds.get(), m_path, m_options.layer);
    m_set.source = m_path;
    m_set.layer = OGR_L_GetName(layer);
    setup_fields(OGR_L_GetLayerDefn(layer));
    setup_transform(ds.get(), layer);

    const GIntBig count = OGR_L_GetFeatureCount(layer, FALSE);
    const uint64_t total = count > 0 ? static_cast<uint64_t>(count) : 0;
    if (total > 0) reserve(total);

    detail::CplErrorCapture errors;
    OGR_L_ResetReading(layer);
    std::size_t class_counts[4] = {0, 0, 0, 0};
    for (uint64_t n = 0;; ++n) {
      CPLErrorReset();
      detail::FeaturePtr feature(OGR_L_GetNextFeature(layer));
      if (!feature) {
        if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal)
          throw IoError(m_path + ": layer '" + m_set.layer + "': read failed after feature " +
                        std::to_string(n) + ": " + errors.message_or("unknown GDAL error"));
        break;
      }
      read_feature(feature.get(), n + 1);
      ++class_counts[static_cast<std::size_t>(m_set.feature_class.back())];
      if (m_options.progress && (n & 0xFFFu) == 0) m_options.progress(n, std::max(total, n));
    }
    m_set.finish();
    // The layer's class: the declared one, or the most common among the features.
    m_set.geometry = class_of(OGR_L_GetGeomType(layer));
    if (m_set.geometry == GeometryClass::none) {
      std::size_t best = 0;
      for (std::size_t c = 1; c < 4; ++c)
        if (class_counts[c] > best) {
          best = class_counts[c];
          m_set.geometry = static_cast<GeometryClass>(c);
        }
    }
    if (m_options.progress) m_options.progress(m_set.size(), m_set.size());
    return std::move(m_set);
  }

 private:
  void setup_fields(OGRFeatureDefnH defn) {
    const int n = OGR_FD_GetFieldCount(defn);
    m_set.fields.resize(static_cast<std::size_t>(n));
    m_dictionaries.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
      FieldColumn& col = m_set.fields[static_cast<std::size_t>(i)];
      col.name = OGR_Fld_GetNameRef(fd);
      switch (OGR_Fld_GetType(fd)) {
        case OFTInteger:
        case OFTInteger64: col.kind = FieldKind::integer; break;
        case OFTReal: col.kind = FieldKind::real; break;
        case OFTDate:
        case OFTDateTime: col.kind = FieldKind::date; break;
        default: col.kind = FieldKind::text; break;
      }
    }
  }

  void setup_transform(GDALDatasetH ds, OGRLayerH layer) {
    if (wkbFlatten(OGR_L_GetGeomType(layer)) == wkbNone) return;
    const detail::SrsPtr source = detail::layer_crs(ds, layer, m_path, m_options.assume_crs);
    m_transform = detail::transform_to_bng(source.get(), m_path + ": layer '" + m_set.layer + "'");
  }

  void reserve(uint64_t n) {
    const auto count = static_cast<std::size_t>(n);
    m_set.feature_class.reserve(count);
    m_set.fid.reserve(count);
    m_set.feature_offsets.reserve(count + 1);
    for (FieldColumn& col : m_set.fields) {
      if (col.is_numeric())
        col.numbers.reserve(count);
      else
        col.codes.reserve(count);
    }
  }

  void warn(uint64_t number, const std::string& message) {
    m_set.warnings.push_back(m_path + ":feature " + std::to_string(number) + ": warning: " + message);
  }

  // Integers beyond 2^53 (H3 / Morton cell ids) lose digits as doubles.
  static constexpr GIntBig kExactInDouble = GIntBig{1} << 53;

  // Turns integer column i into a text column, keeping the values read so far (exact:
  // they were all within 2^53).
  void to_text(std::size_t i) {
    FieldColumn& col = m_set.fields[i];
    auto& dict = m_dictionaries[i];
    col.kind = FieldKind::text;
    col.codes.reserve(col.numbers.capacity());
    for (double v : col.numbers) {
      if (std::isnan(v)) {
        col.codes.push_back(FieldColumn::kNull);
        continue;
      }
      const std::string s = std::to_string(static_cast<long long>(v));
      auto [it, inserted] = dict.try_emplace(s, static_cast<uint32_t>(col.dictionary.size()));
      if (inserted) col.dictionary.push_back(s);
      col.codes.push_back(it->second);
    }
    col.numbers.clear();
    col.numbers.shrink_to_fit();
  }

  void read_feature(OGRFeatureH feature, uint64_t number) {
    // Fields first: they are kept even when the geometry is not.
    for (std::size_t i = 0; i < m_set.fields.size(); ++i) {
      FieldColumn& col = m_set.fields[i];
      const int fi = static_cast<int>(i);
      const bool set = OGR_F_IsFieldSetAndNotNull(feature, fi) != 0;
      if (col.kind == FieldKind::integer) {
        const GIntBig v = set ? OGR_F_GetFieldAsInteger64(feature, fi) : 0;
        if (set && (v > kExactInDouble || v < -kExactInDouble)) {
          to_text(i);  // a 64-bit id: its digits would not survive as a number
        } else {
          col.numbers.push_back(set ? static_cast<double>(v) : std::numeric_limits<double>::quiet_NaN());
          continue;
        }
      }
      if (col.kind == FieldKind::real) {
        col.numbers.push_back(set ? OGR_F_GetFieldAsDouble(feature, fi)
                                  : std::numeric_limits<double>::quiet_NaN());
      } else if (!set) {
        col.codes.push_back(FieldColumn::kNull);
      } else {
        const char* s = OGR_F_GetFieldAsString(feature, fi);
        auto& dict = m_dictionaries[i];
        auto [it, inserted] = dict.try_emplace(s, static_cast<uint32_t>(col.dictionary.size()));
        if (inserted) col.dictionary.emplace_back(s);
        col.codes.push_back(it->second);
      }
    }

    const int64_t fid = OGR_F_GetFID(feature);
    OGRGeometryH borrowed = OGR_F_GetGeometryRef(feature);
    if (borrowed == nullptr || OGR_G_IsEmpty(borrowed)) {
      m_set.begin_feature(GeometryClass::none, fid);
      return;
    }
    // Fast path: a plain point needs no clone when no transformation is needed.
    const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(borrowed));
    if (type == wkbPoint && !m_transform) {
      m_set.begin_feature(GeometryClass::point, fid);
      m_set.add_part();
      m_set.add_ring();
      m_set.add_vertex(OGR_G_GetX(borrowed, 0), OGR_G_GetY(borrowed, 0));
      return;
    }
    detail::GeometryPtr geom(OGR_G_HasCurveGeometry(borrowed, TRUE)
                                 ? OGR_G_GetLinearGeometry(borrowed, 0, nullptr)
                                 : OGR_G_Clone(borrowed));
    if (geom && m_transform) {
      detail::CplErrorCapture errors;
      if (OGR_G_Transform(geom.get(), m_transform.get()) != OGRERR_NONE) {
        warn(number, "geometry could not be transformed to EPSG:27700 (" +
                         errors.message_or("PROJ error") + "); kept without geometry");
        geom.reset();
      }
    }
    if (!geom) {
      m_set.begin_feature(GeometryClass::none, fid);
      return;
    }
    GeometryClass cls = first_class(geom.get());
    m_set.begin_feature(cls, fid);
    bool dropped = false;
    append(geom.get(), cls, dropped);
    if (dropped)
      warn(number, std::string("a geometry collection mixing kinds; only its ") +
                       geometry_class_name(cls) + " parts are drawn");
  }

  static GeometryClass first_class(OGRGeometryH g) {
    const OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t != wkbGeometryCollection) return class_of(t);
    const int n = OGR_G_GetGeometryCount(g);
    for (int i = 0; i < n; ++i) {
      OGRGeometryH sub = OGR_G_GetGeometryRef(g, i);
      if (!OGR_G_IsEmpty(sub)) {
        const GeometryClass c = first_class(sub);
        if (c != GeometryClass::none) return c;
      }
    }
    return GeometryClass::none;
  }

  void append_ring(OGRGeometryH ring) {
    m_set.add_ring();
    const int n = OGR_G_GetPointCount(ring);
    for (int k = 0; k < n; ++k) m_set.add_vertex(OGR_G_GetX(ring, k), OGR_G_GetY(ring, k));
  }

  void append(OGRGeometryH g, GeometryClass want, bool& dropped) {
    if (OGR_G_IsEmpty(g)) return;
    const OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint) {
      if (want != GeometryClass::point) {
        dropped = true;
        return;
      }
      m_set.add_part();
      m_set.add_ring();
      m_set.add_vertex(OGR_G_GetX(g, 0), OGR_G_GetY(g, 0));
    } else if (t == wkbLineString || t == wkbLinearRing) {
      if (want != GeometryClass::line) {
        dropped = true;
        return;
      }
      m_set.add_part();
      append_ring(g);
    } else if (t == wkbPolygon || t == wkbTriangle) {
      if (want != GeometryClass::polygon) {
        dropped = true;
        return;
      }
      m_set.add_part();
      const int rings = OGR_G_GetGeometryCount(g);
      for (int r = 0; r < rings; ++r) append_ring(OGR_G_GetGeometryRef(g, r));
    } else {
      // Multi* and collections (after linearisation every member is one of the above).
      const int n = OGR_G_GetGeometryCount(g);
      for (int i = 0; i < n; ++i) append(OGR_G_GetGeometryRef(g, i), want, dropped);
    }
  }

  std::string m_path;
  const FeatureReadOptions& m_options;
  FeatureSet m_set;
  detail::TransformPtr m_transform;
  std::vector<std::unordered_map<std::string, uint32_t>> m_dictionaries;
};

}  // namespace

DatasetInfo describe_dataset(const std::string& path) {
  detail::DatasetPtr ds = detail::open_for_reading(path, GDAL_OF_VECTOR | GDAL_OF_RASTER);
  DatasetInfo info;
  info.path = path;
  if (GDALDriverH driver = GDALGetDatasetDriver(ds.get()))
    info.driver = GDALGetDriverShortName(driver);
  const int count = GDALDatasetGetLayerCount(ds.get());
  for (int i = 0; i < count; ++i) {
    OGRLayerH layer = GDALDatasetGetLayer(ds.get(), i);
    LayerInfo l;
    l.name = OGR_L_GetName(layer);
    l.geometry = class_of(OGR_L_GetGeomType(layer));
    l.feature_count = OGR_L_GetFeatureCount(layer, FALSE);
    l.fields = field_names(OGR_L_GetLayerDefn(layer));
    info.layers.push_back(std::move(l));
  }
  info.raster_bands = GDALGetRasterCount(ds.get());
  if (info.raster_bands > 0) {
    info.raster_width = GDALGetRasterXSize(ds.get());
    info.raster_height = GDALGetRasterYSize(ds.get());
  }
  // SUBDATASET_<n>_NAME=GPKG:file:table, SUBDATASET_<n>_DESC=table - description.
  if (char** sub = GDALGetMetadata(ds.get(), "SUBDATASETS")) {
    for (int n = 1;; ++n) {
      std::string key("SUBDATASET_");
      key += std::to_string(n);
      const std::string name_key = key + "_NAME", desc_key = key + "_DESC";
      const char* name = CSLFetchNameValue(sub, name_key.c_str());
      if (name == nullptr) break;
      const char* desc = CSLFetchNameValue(sub, desc_key.c_str());
      info.raster_subdatasets.emplace_back(name, desc != nullptr ? desc : name);
    }
  }
  return info;
}

FeatureSet read_features(const std::string& path, const FeatureReadOptions& options) {
  return Reader(path, options).run();
}

}  // namespace hotspot::layers
