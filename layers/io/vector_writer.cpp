#include "layers/io/vector_writer.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/base/assert.hpp"
#include "core/base/error.hpp"
#include "layers/io/detail/gdal.hpp"
#include "layers/io/detail/gpkg_rtree.hpp"

namespace hotspot::layers {

namespace fs = std::filesystem;

namespace {

constexpr const char* kGeometryColumn = "geom";
constexpr const char* kFidColumn = "fid";

const char* driver_name(VectorFormat f) {
  switch (f) {
    case VectorFormat::gpkg:
      return "GPKG";
    case VectorFormat::geojson:
      return "GeoJSON";
    case VectorFormat::csv:
      return "CSV";
    case VectorFormat::shapefile:
      return "ESRI Shapefile";
  }
  return "?";
}

const char* kind_name(GeometryKind k) {
  switch (k) {
    case GeometryKind::none:
      return "no";
    case GeometryKind::point:
      return "point";
    case GeometryKind::multipolygon:
      return "polygon";
    case GeometryKind::multilinestring:
      return "line";
  }
  return "?";
}

OGRwkbGeometryType ogr_geometry_type(GeometryKind k) {
  switch (k) {
    case GeometryKind::none:
      return wkbNone;
    case GeometryKind::point:
      return wkbPoint;
    case GeometryKind::multipolygon:
      return wkbMultiPolygon;
    case GeometryKind::multilinestring:
      return wkbMultiLineString;
  }
  return wkbUnknown;
}

bool matches(GeometryKind k, const FeatureGeometry& g) {
  switch (k) {
    case GeometryKind::none:
      return std::holds_alternative<std::monostate>(g);
    case GeometryKind::point:
      return !std::holds_alternative<core::MultiPolygon>(g) &&
             !std::holds_alternative<core::MultiLineString>(g);
    case GeometryKind::multipolygon:
      return !std::holds_alternative<core::Point>(g) &&
             !std::holds_alternative<core::MultiLineString>(g);
    case GeometryKind::multilinestring:
      return !std::holds_alternative<core::Point>(g) &&
             !std::holds_alternative<core::MultiPolygon>(g);
  }
  return false;
}

// Little-endian ISO WKB, with the envelope of what was written.
class WkbBuilder {
 public:
  void clear() {
    m_bytes.clear();
    m_finite = true;
    m_min_x = m_min_y = std::numeric_limits<double>::infinity();
    m_max_x = m_max_y = -std::numeric_limits<double>::infinity();
  }
  void header(std::uint32_t type) {
    m_bytes.push_back(1);
    u32(type);
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i, v >>= 8) m_bytes.push_back(static_cast<unsigned char>(v));
  }
  void xy(const core::Point& p) {
    m_finite = m_finite && std::isfinite(p.x()) && std::isfinite(p.y());
    f64(p.x());
    f64(p.y());
    m_min_x = std::min(m_min_x, p.x());
    m_max_x = std::max(m_max_x, p.x());
    m_min_y = std::min(m_min_y, p.y());
    m_max_y = std::max(m_max_y, p.y());
  }
  template <typename Range>
  void points(const Range& pts, bool close) {
    const bool add_closing = close && !pts.empty() && !equal(pts.front(), pts.back());
    u32(static_cast<std::uint32_t>(pts.size() + (add_closing ? 1 : 0)));
    for (const core::Point& p : pts) xy(p);
    if (add_closing) xy(pts.front());
  }
  void write(const core::Point& p) {
    header(1);
    xy(p);
  }
  void write(const core::MultiLineString& ml) {
    header(5);
    u32(static_cast<std::uint32_t>(ml.size()));
    for (const core::LineString& l : ml) {
      header(2);
      points(l, false);
    }
  }
  void write(const core::MultiPolygon& mp) {
    header(6);
    u32(static_cast<std::uint32_t>(mp.size()));
    for (const core::Polygon& poly : mp) {
      header(3);
      u32(static_cast<std::uint32_t>(1 + poly.inners().size()));
      points(poly.outer(), true);
      for (const core::Ring& r : poly.inners()) points(r, true);
    }
  }

  [[nodiscard]] const std::vector<unsigned char>& bytes() const { return m_bytes; }
  [[nodiscard]] bool has_extent() const { return m_min_x <= m_max_x; }
  [[nodiscard]] bool finite() const { return m_finite; }
  [[nodiscard]] detail::RtreeBox box(std::int64_t id) const {
    return detail::make_rtree_box(id, m_min_x, m_max_x, m_min_y, m_max_y);
  }

 private:
  static bool equal(const core::Point& a, const core::Point& b) {
    return a.x() == b.x() && a.y() == b.y();
  }
  void f64(double v) {
    auto bits = std::bit_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i, bits >>= 8) m_bytes.push_back(static_cast<unsigned char>(bits));
  }
  std::vector<unsigned char> m_bytes;
  double m_min_x = 0, m_min_y = 0, m_max_x = 0, m_max_y = 0;
  bool m_finite = true;
};

// Removes an existing single-layer output (a Shapefile with its sidecar files).
void remove_existing(const fs::path& path, VectorFormat format) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return;
  if (format == VectorFormat::shapefile) {
    detail::CplErrorCapture quiet;
    if (GDALDriverH d = GDALGetDriverByName(driver_name(format));
        d && GDALDeleteDataset(d, path.c_str()) == CE_None)
      return;
  }
  if (!fs::remove(path, ec) || ec)
    throw IoError(path.string() + ": cannot replace the existing file: " + ec.message());
}

}  // namespace

std::optional<VectorFormat> vector_format_for(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  if (ext == ".gpkg") return VectorFormat::gpkg;
  if (ext == ".geojson" || ext == ".json") return VectorFormat::geojson;
  if (ext == ".csv") return VectorFormat::csv;
  if (ext == ".shp") return VectorFormat::shapefile;
  return std::nullopt;
}

// [SECTION] state ---------------------------------------------------------------------------

struct VectorWriter::Impl {
  fs::path path;
  VectorFormat format = VectorFormat::gpkg;
  Options options;
  detail::DatasetPtr ds;
  std::vector<std::unique_ptr<Layer>> layers;
  bool in_transaction = false;
  bool closed = false;
  std::vector<std::string> warnings;

  [[nodiscard]] std::string where(std::string_view layer) const {
    return path.string() + ": layer '" + std::string(layer) + "': ";
  }
  void commit() {
    if (!in_transaction) return;
    in_transaction = false;
    detail::CplErrorCapture errors;
    if (GDALDatasetCommitTransaction(ds.get()) != OGRERR_NONE)
      throw IoError(where(layers.empty() ? "" : layers.back()->name()) +
                    "cannot commit the transaction: " + errors.message_or("GDAL failed"));
  }
};

struct VectorWriter::Layer::Impl {
  VectorWriter::Impl* writer = nullptr;
  LayerSpec spec;
  std::string name;  // as stored
  OGRLayerH layer = nullptr;
  detail::FeaturePtr feature;
  WkbBuilder wkb;
  bool collect_boxes = false;  // GeoPackage: the R-tree is built by close()
  std::vector<detail::RtreeBox> boxes;
  std::uint64_t count = 0;
  static constexpr std::uint64_t kWarningsKept = 5;
  std::uint64_t warnings_seen = 0;  // GDAL warnings while writing features
};

VectorWriter::Layer::Layer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
VectorWriter::Layer::~Layer() = default;
const std::string& VectorWriter::Layer::name() const { return m_impl->name; }
std::uint64_t VectorWriter::Layer::feature_count() const { return m_impl->count; }

// [SECTION] VectorWriter ------------------------------------------------------------------

VectorWriter::VectorWriter(const fs::path& path, Options options)
    : m_impl(std::make_unique<Impl>()) {
  Impl& m = *m_impl;
  m.path = path;
  m.options = options;
  const std::optional<VectorFormat> format = vector_format_for(path);
  if (!format)
    throw UsageError(path.string() + ": unknown output format '" + path.extension().string() +
                     "' (use .gpkg, .geojson, .json, .csv or .shp)");
  m.format = *format;
  HOTSPOT_ASSERT_MSG(options.geojson_precision >= 0 && options.geojson_precision <= 17,
                     "GeoJSON precision is a number of decimals");
  detail::ensure_gdal();
  if (m.format == VectorFormat::gpkg) {
    m.ds = detail::open_or_create_gpkg(path, "");
    return;
  }
  remove_existing(path, m.format);
  detail::CplErrorCapture errors;
  GDALDriverH driver = GDALGetDriverByName(driver_name(m.format));
  if (!driver) throw IoError(path.string() + ": GDAL has no " + driver_name(m.format) + " driver");
  m.ds.reset(GDALCreate(driver, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!m.ds)
    throw IoError(path.string() + ": cannot create the " + driver_name(m.format) +
                  " file: " + errors.message_or("GDAL failed"));
}

VectorWriter::~VectorWriter() {
  try {
    close();
  } catch (const std::exception&) {  // documented: call close() to see errors
  }
}

VectorFormat VectorWriter::format() const { return m_impl->format; }
const std::vector<std::string>& VectorWriter::warnings() const { return m_impl->warnings; }

VectorWriter::Layer& VectorWriter::add_layer(const LayerSpec& spec) {
  Impl& m = *m_impl;
  HOTSPOT_ASSERT_MSG(!m.closed, "add_layer() after close()");
  const bool has_geometry = spec.geometry != GeometryKind::none;
  detail::check_layer_schema(m.path, spec.name, spec.fields, has_geometry ? kGeometryColumn : "");
  const std::string where = m.where(spec.name);
  if (m.format != VectorFormat::gpkg && !m.layers.empty())
    throw UsageError(where + "a " + driver_name(m.format) +
                     " file holds one layer and already has '" + m.layers.front()->name() +
                     "' (write each layer to its own file, or use .gpkg)");
  if (m.format == VectorFormat::csv && has_geometry)
    throw UsageError(where + "a CSV file holds attribute tables only, and this layer has " +
                     kind_name(spec.geometry) + " geometry (use .gpkg, .geojson or .shp)");
  for (const auto& l : m.layers)
    if (detail::iequals_ascii(l->name(), spec.name))
      throw UsageError(where + "the layer is written twice");
  detail::SrsPtr srs;
  if (has_geometry) srs = detail::make_srs_epsg(spec.epsg);

  m.commit();
  if (m.format == VectorFormat::gpkg)
    detail::delete_layer_if_present(m.ds.get(), m.path, spec.name);

  detail::CplErrorCapture errors;
  std::vector<std::string> opts;
  switch (m.format) {
    case VectorFormat::gpkg:
      opts = {"SPATIAL_INDEX=NO", std::string("GEOMETRY_NAME=") + kGeometryColumn,
              std::string("FID=") + kFidColumn};
      break;
    case VectorFormat::geojson:
      opts = {std::string("RFC7946=") + (m.options.geojson_rfc7946 ? "YES" : "NO"),
              "COORDINATE_PRECISION=" + std::to_string(m.options.geojson_precision)};
      if (!spec.geojson_id_field.empty()) opts.push_back("ID_FIELD=" + spec.geojson_id_field);
      break;
    case VectorFormat::shapefile:
      opts = {"ENCODING=UTF-8"};
      break;
    case VectorFormat::csv:
      // GDAL 3.6's default (IF_AMBIGUOUS) also quotes Integer64 values.
      opts = {"STRING_QUOTING=IF_NEEDED"};
      break;
  }
  std::vector<char*> opt_ptrs;
  for (std::string& o : opts) opt_ptrs.push_back(o.data());
  opt_ptrs.push_back(nullptr);
  OGRLayerH layer = GDALDatasetCreateLayer(m.ds.get(), spec.name.c_str(), srs.get(),
                                           ogr_geometry_type(spec.geometry), opt_ptrs.data());
  if (!layer) throw IoError(where + "cannot create the layer: " + errors.message_or("GDAL failed"));
  detail::create_fields(layer, spec.fields, where, errors);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  if (OGR_FD_GetFieldCount(defn) != static_cast<int>(spec.fields.size()))
    throw IoError(where + "GDAL created " + std::to_string(OGR_FD_GetFieldCount(defn)) +
                  " fields, expected " + std::to_string(spec.fields.size()));
  for (const std::string& msg : errors.messages()) m.warnings.push_back(where + msg);

  auto impl = std::make_unique<Layer::Impl>();
  impl->writer = &m;
  impl->spec = spec;
  impl->name = OGR_L_GetName(layer);
  impl->layer = layer;
  impl->feature.reset(OGR_F_Create(defn));
  impl->collect_boxes =
      m.format == VectorFormat::gpkg && has_geometry && m.options.gpkg_spatial_index;
  m.layers.push_back(std::unique_ptr<Layer>(new Layer(std::move(impl))));

  if (m.format == VectorFormat::gpkg) {
    if (GDALDatasetStartTransaction(m.ds.get(), FALSE) != OGRERR_NONE)
      throw IoError(where + "cannot start a transaction: " + errors.message_or("GDAL failed"));
    m.in_transaction = true;
  }
  return *m.layers.back();
}

void VectorWriter::Layer::add(const FeatureValues& feature) {
  Impl& m = *m_impl;
  HOTSPOT_ASSERT_MSG(!m.writer->closed, "Layer::add() after the writer was closed");
  HOTSPOT_ASSERT_MSG(feature.values.size() == m.spec.fields.size(),
                     "one value per field, in order");
  HOTSPOT_ASSERT_MSG(matches(m.spec.geometry, feature.geometry),
                     "the geometry does not match the layer's GeometryKind");
  OGRFeatureH f = m.feature.get();
  OGR_F_SetFID(f, OGRNullFID);
  for (std::size_t i = 0; i < feature.values.size(); ++i) {
    const int index = static_cast<int>(i);
    const FieldType type = m.spec.fields[i].type;
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::monostate>) {
            OGR_F_SetFieldNull(f, index);
          } else if constexpr (std::is_same_v<V, std::int64_t>) {
            HOTSPOT_ASSERT_MSG(type != FieldType::text, "an integer value for a text field");
            if (type == FieldType::real)
              OGR_F_SetFieldDouble(f, index, static_cast<double>(v));
            else
              OGR_F_SetFieldInteger64(f, index, static_cast<GIntBig>(v));
          } else if constexpr (std::is_same_v<V, double>) {
            HOTSPOT_ASSERT_MSG(type == FieldType::real, "a real value for a non-real field");
            if (std::isfinite(v))
              OGR_F_SetFieldDouble(f, index, v);
            else
              OGR_F_SetFieldNull(f, index);
          } else {
            HOTSPOT_ASSERT_MSG(type == FieldType::text, "a text value for a non-text field");
            OGR_F_SetFieldString(f, index, v.c_str());
          }
        },
        feature.values[i]);
  }

  m.wkb.clear();
  const bool has_geometry = !std::holds_alternative<std::monostate>(feature.geometry);
  const std::string where = m.writer->where(m.name);
  detail::CplErrorCapture errors;
  if (has_geometry) {
    std::visit(
        [&](const auto& g) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(g)>, std::monostate>) m.wkb.write(g);
        },
        feature.geometry);
    HOTSPOT_ASSERT_MSG(m.wkb.finite(), "geometry coordinates must be finite");
    OGRGeometryH geometry = nullptr;
    const std::vector<unsigned char>& bytes = m.wkb.bytes();
    if (OGR_G_CreateFromWkbEx(bytes.data(), nullptr, &geometry, bytes.size()) != OGRERR_NONE)
      throw IoError(where + "cannot encode the geometry of feature " + std::to_string(m.count + 1) +
                    ": " + errors.message_or("GDAL failed"));
    OGR_F_SetGeometryDirectly(f, geometry);
  } else {
    OGR_F_SetGeometryDirectly(f, nullptr);
  }
  if (OGR_L_CreateFeature(m.layer, f) != OGRERR_NONE)
    throw IoError(where + "writing feature " + std::to_string(m.count + 1) + ": " +
                  errors.message_or("GDAL failed"));
  ++m.count;
  // GDAL warnings on a written feature (e.g. a Shapefile truncating a long text)
  // change the data: keep the first few, count the rest.
  for (const std::string& msg : errors.messages()) {
    if (m.warnings_seen++ < Impl::kWarningsKept)
      m.writer->warnings.push_back(where + "feature " + std::to_string(m.count) + ": " + msg);
  }
  if (m.collect_boxes && m.wkb.has_extent()) m.boxes.push_back(m.wkb.box(OGR_F_GetFID(f)));
}

void VectorWriter::close() {
  Impl& m = *m_impl;
  if (m.closed) return;
  m.closed = true;
  for (auto& l : m.layers) {
    Layer::Impl& li = *l->m_impl;
    li.feature.reset();
    if (li.warnings_seen > Layer::Impl::kWarningsKept)
      m.warnings.push_back(m.where(li.name) + "... and " +
                           std::to_string(li.warnings_seen - Layer::Impl::kWarningsKept) +
                           " more GDAL warnings");
  }
  m.commit();
  {
    detail::CplErrorCapture errors;
    CPLErrorReset();
    m.ds.reset();
    if (CPLGetLastErrorType() == CE_Failure)
      throw IoError(m.path.string() + ": cannot finish writing the " + driver_name(m.format) +
                    " file: " + errors.message_or("GDAL failed"));
  }
  if (m.format != VectorFormat::gpkg || !m.options.gpkg_spatial_index) return;
  bool any = false;
  for (const auto& l : m.layers) any = any || l->m_impl->collect_boxes;
  if (!any) return;
  detail::SqliteDb db(m.path, "");
  db.exec("BEGIN IMMEDIATE", "starting the spatial index transaction");
  for (const auto& l : m.layers) {
    Layer::Impl& li = *l->m_impl;
    if (!li.collect_boxes) continue;
    db.set_layer(li.name);
    const detail::RtreeBuild r = detail::create_gpkg_rtree(db, li.name, kGeometryColumn, kFidColumn,
                                                           li.boxes, detail::RtreeMethod::bulk);
    if (!r.warning.empty()) m.warnings.push_back(r.warning);
    std::vector<detail::RtreeBox>().swap(li.boxes);
  }
  db.set_layer("");
  db.exec("COMMIT", "committing the spatial indexes");
  db.close();
}

}  // namespace hotspot::layers
