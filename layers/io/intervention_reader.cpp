#include "layers/io/intervention_reader.hpp"

#include <cpl_error.h>
#include <ogr_geometry.h>  // OGRGeometryFactory::haveGEOS (no C API for it in GDAL 3.6)

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>

#include "core/base/error.hpp"
#include "core/base/number.hpp"
#include "core/incidents/time.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/detail/gdal.hpp"

namespace hotspot::layers {

namespace {

namespace fs = std::filesystem;
using core::Intervention;
using core::InterventionGeometry;
using detail::GeometryPtr;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ';' || text[i] == '|') {
      const auto item = trim(text.substr(start, i - start));
      if (!item.empty()) out.emplace_back(item);
      start = i + 1;
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(none)" : out;
}

// Column positions by role; -1 when absent.
struct Columns {
  int id = -1, type = -1, name = -1, start = -1, end = -1, scheme = -1, categories = -1;
  int radius = -1, buffer = -1, control = -1;
  int x = -1, y = -1, lon = -1, lat = -1, wkt = -1;
  std::vector<std::string> unused;
};

Columns map_columns(const std::vector<std::string>& names, const std::string& source) {
  Columns c;
  auto find = [&](std::initializer_list<const char*> candidates, int& slot) {
    for (const char* want : candidates)
      for (std::size_t i = 0; i < names.size(); ++i)
        if (lower(trim(names[i])) == want && slot < 0) slot = static_cast<int>(i);
  };
  find({"id"}, c.id);
  find({"type"}, c.type);
  find({"name"}, c.name);
  find({"start"}, c.start);
  find({"end"}, c.end);
  find({"scheme"}, c.scheme);
  find({"categories", "category"}, c.categories);
  find({"radius_m", "radius"}, c.radius);
  find({"buffer_m", "buffer"}, c.buffer);
  find({"control", "control_codes"}, c.control);
  find({"x", "easting"}, c.x);
  find({"y", "northing"}, c.y);
  find({"lon", "longitude"}, c.lon);
  find({"lat", "latitude"}, c.lat);
  find({"wkt", "geometry"}, c.wkt);
  std::vector<std::string> missing;
  if (c.id < 0) missing.emplace_back("id");
  if (c.type < 0) missing.emplace_back("type");
  if (c.name < 0) missing.emplace_back("name");
  if (c.start < 0) missing.emplace_back("start");
  if (!missing.empty())
    throw UsageError(source + ": interventions need the fields id, type, name and start; missing: " + join(missing) +
                     "; the fields are: " + join(names));
  const int used[] = {c.id, c.type, c.name, c.start, c.end, c.scheme, c.categories, c.radius,
                      c.buffer, c.control, c.x, c.y, c.lon, c.lat, c.wkt};
  for (std::size_t i = 0; i < names.size(); ++i)
    if (std::find(std::begin(used), std::end(used), static_cast<int>(i)) == std::end(used)) c.unused.push_back(names[i]);
  return c;
}

// "YYYY-MM" or "YYYY-MM-DD": the month and, for the second form, the day.
std::string parse_date(std::string_view text, core::MonthIndex& month, core::DayNumber& day) {
  text = trim(text);
  day = core::kNoDay;
  const std::string quoted = "'" + std::string(text) + "'";
  if (text.empty()) return "is empty";
  if (text.size() == 7) {
    auto m = core::parse_month(text);
    if (!m) return quoted + ": " + m.error().message;
    month = *m;
    return {};
  }
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    auto parsed = core::DateFormat::parse("%Y-%m-%d").value().read(text);
    if (!parsed) return quoted + ": " + core::describe(parsed.error().code);
    month = parsed->month;
    day = parsed->day;
    return {};
  }
  return quoted + " must be YYYY-MM or YYYY-MM-DD";
}

class Reader {
 public:
  Reader(fs::path path, const core::Taxonomy& taxonomy, const InterventionReadOptions& options)
      : m_path(std::move(path)), m_source(m_path.string()), m_tax(taxonomy), m_options(options) {}

  InterventionReadResult run() {
    std::error_code ec;
    detail::check_local_source(m_source);  // before "no such file": say why
    if (!fs::exists(m_path, ec)) throw IoError(m_source + ": no such file");
    const std::string ext = lower(m_path.extension().string());
    if (ext == ".csv" || ext == ".tsv" || ext == ".txt") read_csv();
    else read_ogr();
    if (!m_errors.empty()) {
      std::string all;
      for (const auto& e : m_errors) all += (all.empty() ? "" : "\n") + e;
      throw InputError(all);
    }
    m_result.rows = m_result.interventions.size();
    return std::move(m_result);
  }

 private:
  void error(const std::string& where, const std::string& what) { m_errors.push_back(where + ": error: " + what); }

  // The attributes of one row (values by column position; "" for NULL).
  void add_row(const std::string& where, const std::vector<std::string>& v, const Columns& c,
               std::optional<InterventionGeometry> geometry) {
    const std::size_t before = m_errors.size();
    Intervention iv;
    iv.source = where;
    iv.id = std::string(trim(v[static_cast<std::size_t>(c.id)]));
    if (iv.id.empty()) error(where, "id is empty");
    const std::string type(trim(v[static_cast<std::size_t>(c.type)]));
    if (auto t = core::parse_intervention_type(type)) {
      iv.type = *t;
    } else {
      std::string known;
      for (std::size_t k = 0; k < core::kInterventionTypeCount; ++k)
        known += (k ? ", " : "") + std::string(core::type_name(static_cast<core::InterventionType>(k)));
      error(where, "type '" + type + "' is not one of " + known);
    }
    iv.name = std::string(trim(v[static_cast<std::size_t>(c.name)]));
    if (auto e = parse_date(v[static_cast<std::size_t>(c.start)], iv.start_month, iv.start_day); !e.empty())
      error(where, "start " + e);
    if (c.end >= 0 && !trim(v[static_cast<std::size_t>(c.end)]).empty()) {
      core::MonthIndex end = 0;
      core::DayNumber end_day = core::kNoDay;
      if (auto e = parse_date(v[static_cast<std::size_t>(c.end)], end, end_day); !e.empty()) error(where, "end " + e);
      else if (end < iv.start_month) error(where, "end " + core::format_month(end) + " is before start " + core::format_month(iv.start_month));
      else iv.end_month = end;
    }
    if (c.scheme >= 0) iv.scheme = std::string(trim(v[static_cast<std::size_t>(c.scheme)]));
    if (c.categories >= 0)
      for (const auto& name : split_list(v[static_cast<std::size_t>(c.categories)])) {
        auto id = m_tax.find(name);
        if (!id) error(where, "categories: '" + name + "' is not a known crime type");
        else iv.categories.push_back(*id);
      }
    auto distance = [&](int col, const char* field, bool zero_ok) -> std::optional<double> {
      if (col < 0) return std::nullopt;
      const auto text = trim(v[static_cast<std::size_t>(col)]);
      if (text.empty()) return std::nullopt;
      double d = 0;
      if (parse_double(text, d) != NumberStatus::ok) {
        error(where, std::string(field) + " '" + std::string(text) + "' is not a number");
        return std::nullopt;
      }
      if (zero_ok ? d < 0 : d <= 0) {
        error(where, std::string(field) + " " + std::string(text) + " must be " + (zero_ok ? ">= 0" : "> 0") + " metres");
        return std::nullopt;
      }
      return d;
    };
    iv.radius_m = distance(c.radius, "radius_m", false);
    iv.buffer_m = distance(c.buffer, "buffer_m", true);
    if (c.control >= 0) iv.control_codes = split_list(v[static_cast<std::size_t>(c.control)]);
    if (!iv.id.empty()) {
      auto [it, inserted] = m_ids.try_emplace(iv.id, where);
      if (!inserted) error(where, "duplicate id '" + iv.id + "' (first at " + it->second + ")");
    }
    if (!geometry) return;  // the caller reported why
    iv.geometry = std::move(*geometry);
    if (m_errors.size() == before) m_result.interventions.push_back(std::move(iv));
  }

  // OGR geometry (already in EPSG:27700) to a core geometry; "" or the reason it cannot be.
  std::string convert(OGRGeometryH g, InterventionGeometry& out, const std::string& where) {
    if (g == nullptr || OGR_G_IsEmpty(g)) return "has no geometry";
    GeometryPtr linear(OGR_G_HasCurveGeometry(g, TRUE) ? OGR_G_GetLinearGeometry(g, 0, nullptr) : OGR_G_Clone(g));
    if (!linear) return "has a curved geometry that could not be linearised";
    core::MultiPoint points;
    core::MultiLineString lines;
    core::MultiPolygon polygons;
    bool bad = false;
    auto visit = [&](auto&& self, OGRGeometryH part) -> void {
      if (part == nullptr || OGR_G_IsEmpty(part)) return;
      const OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(part));
      switch (t) {
        case wkbPoint: points.emplace_back(OGR_G_GetX(part, 0), OGR_G_GetY(part, 0)); break;
        case wkbLineString: {
          core::LineString ls;
          for (int k = 0; k < OGR_G_GetPointCount(part); ++k) ls.emplace_back(OGR_G_GetX(part, k), OGR_G_GetY(part, k));
          lines.push_back(std::move(ls));
          break;
        }
        case wkbPolygon: {
          core::Polygon poly;
          for (int r = 0; r < OGR_G_GetGeometryCount(part); ++r) {
            OGRGeometryH ring = OGR_G_GetGeometryRef(part, r);
            core::Ring& dst = r == 0 ? poly.outer() : poly.inners().emplace_back();
            for (int k = 0; k < OGR_G_GetPointCount(ring); ++k) dst.emplace_back(OGR_G_GetX(ring, k), OGR_G_GetY(ring, k));
          }
          polygons.push_back(std::move(poly));
          break;
        }
        case wkbMultiPoint:
        case wkbMultiLineString:
        case wkbMultiPolygon:
        case wkbGeometryCollection:
          for (int i = 0; i < OGR_G_GetGeometryCount(part); ++i) self(self, OGR_G_GetGeometryRef(part, i));
          break;
        default: bad = true;
      }
    };
    GeometryPtr work = std::move(linear);
    const OGRwkbGeometryType top = wkbFlatten(OGR_G_GetGeometryType(work.get()));
    if ((top == wkbPolygon || top == wkbMultiPolygon) && m_have_geos) {
      detail::CplErrorCapture errors;
      if (!OGR_G_IsValid(work.get())) {
        const std::string reason = errors.message_or("not a valid polygon");
        GeometryPtr valid(OGR_G_MakeValid(work.get()));
        if (!valid) return "has an invalid polygon (" + reason + ") that MakeValid could not repair";
        work = std::move(valid);
        m_result.warnings.push_back(where + ": warning: invalid polygon (" + reason + ") repaired with MakeValid");
      }
    }
    visit(visit, work.get());
    const int kinds = (points.empty() ? 0 : 1) + (lines.empty() ? 0 : 1) + (polygons.empty() ? 0 : 1);
    if (bad) return "has a geometry type that is not a point, line or polygon";
    if (kinds == 0) return "has no geometry";
    if (kinds > 1) {
      if (!polygons.empty() && top != wkbGeometryCollection) {
        // MakeValid can leave slivers of lower dimension: keep the polygons.
        out = std::move(polygons);
        return {};
      }
      return "mixes points, lines and polygons in one feature (split it into one feature per kind)";
    }
    if (!points.empty()) out = std::move(points);
    else if (!lines.empty()) out = std::move(lines);
    else out = std::move(polygons);
    return {};
  }

  detail::TransformPtr make_transform(detail::SrsPtr source) {
    detail::SrsPtr target = detail::make_srs_epsg(core::kWorkingEpsg);
    if (OSRIsSame(source.get(), target.get())) return nullptr;
    detail::CplErrorCapture errors;
    detail::TransformPtr t(OCTNewCoordinateTransformation(source.get(), target.get()));
    if (!t) throw IoError(m_source + ": cannot transform to EPSG:27700: " + errors.message_or("PROJ found no transformation"));
    return t;
  }

  void read_csv() {
    detail::ensure_gdal();
    m_have_geos = OGRGeometryFactory::haveGEOS();
    CsvChunker chunker(m_path);
    const CsvHeader& h = chunker.header();
    const Columns c = map_columns(h.names, m_source);
    if (!c.unused.empty()) m_result.warnings.push_back(m_source + ": warning: columns not used: " + join(c.unused));
    enum class Loc { xy, lonlat, wkt } loc;
    if (c.x >= 0 && c.y >= 0) loc = Loc::xy;
    else if (c.lon >= 0 && c.lat >= 0) loc = Loc::lonlat;
    else if (c.wkt >= 0) loc = Loc::wkt;
    else
      throw UsageError(m_source + ": say where each intervention is: columns x,y (or easting,northing), lon,lat or wkt; the columns are: " +
                       join(h.names));
    detail::TransformPtr transform = make_transform(detail::make_srs(loc == Loc::lonlat ? std::string("EPSG:4326") : m_options.crs));
    detail::SrsPtr wkt_srs = loc == Loc::wkt ? detail::make_srs(m_options.crs) : nullptr;
    CsvChunk chunk;
    std::vector<std::string> values;
    while (chunker.next(chunk)) {
      parse_records(chunk, h.delimiter, [&](const CsvRecord& r) {
        const std::string where = m_source + ":" + std::to_string(r.line);
        if (r.bad != CsvBad::none) {
          error(where, r.bad == CsvBad::unterminated_quote ? "a quoted field never ends" : "the line is too long");
          return;
        }
        if (r.fields.size() != h.names.size()) {
          error(where, "has " + std::to_string(r.fields.size()) + " fields, the header has " + std::to_string(h.names.size()));
          return;
        }
        values.assign(r.fields.begin(), r.fields.end());
        std::optional<InterventionGeometry> geometry;
        std::string why;
        if (loc == Loc::wkt) {
          std::string text(trim(values[static_cast<std::size_t>(c.wkt)]));
          if (text.empty()) {
            why = "wkt is empty";
          } else {
            std::vector<char> buf(text.begin(), text.end());
            buf.push_back('\0');
            char* p = buf.data();
            OGRGeometryH g = nullptr;
            detail::CplErrorCapture errors;
            if (OGR_G_CreateFromWkt(&p, nullptr, &g) != OGRERR_NONE || g == nullptr) {
              why = "wkt '" + text.substr(0, 40) + (text.size() > 40 ? "...'" : "'") + " is not valid WKT";
            } else {
              GeometryPtr owned(g);
              if (transform && OGR_G_Transform(owned.get(), transform.get()) != OGRERR_NONE)
                why = "its geometry could not be transformed to EPSG:27700";
              else {
                InterventionGeometry out;
                why = convert(owned.get(), out, where);
                if (why.empty()) geometry = std::move(out);
              }
            }
          }
        } else {
          const int ix = loc == Loc::xy ? c.x : c.lon, iy = loc == Loc::xy ? c.y : c.lat;
          const auto tx = trim(values[static_cast<std::size_t>(ix)]), ty = trim(values[static_cast<std::size_t>(iy)]);
          double x = 0, y = 0;
          if (parse_double(tx, x) != NumberStatus::ok || parse_double(ty, y) != NumberStatus::ok) {
            why = "location '" + std::string(tx) + "', '" + std::string(ty) + "' is not a pair of numbers";
          } else if (loc == Loc::lonlat && (std::fabs(x) > 180 || std::fabs(y) > 90)) {
            why = "lon/lat " + std::string(tx) + ", " + std::string(ty) + " is outside -180..180, -90..90";
          } else {
            if (transform) {
              int ok = 0;
              OCTTransformEx(transform.get(), 1, &x, &y, nullptr, &ok);
              if (!ok || !std::isfinite(x) || !std::isfinite(y)) why = "the location could not be transformed to EPSG:27700";
            }
            if (why.empty()) geometry = core::MultiPoint{core::Point(x, y)};
          }
        }
        if (!why.empty()) error(where, why);
        add_row(where, values, c, std::move(geometry));
      });
    }
  }

  void read_ogr() {
    detail::DatasetPtr ds = detail::open_for_reading(m_source, GDAL_OF_VECTOR);
    m_have_geos = OGRGeometryFactory::haveGEOS();
    OGRLayerH layer = detail::find_layer(ds.get(), m_source, m_options.layer, &m_result.warnings);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    std::vector<std::string> names;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
    const Columns c = map_columns(names, m_source);
    if (!c.unused.empty()) m_result.warnings.push_back(m_source + ": warning: fields not used: " + join(c.unused));
    detail::SrsPtr source;
    if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer)) {
      source.reset(OSRClone(srs));
      OSRSetAxisMappingStrategy(source.get(), OAMS_TRADITIONAL_GIS_ORDER);
    } else {
      const char* driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds.get()));
      if (driver != nullptr && std::string_view(driver).rfind("GeoJSON", 0) == 0) source = detail::make_srs("OGC:CRS84");
      else source = detail::make_srs(m_options.crs);
    }
    detail::TransformPtr transform = make_transform(std::move(source));
    OGR_L_ResetReading(layer);
    std::vector<std::string> values(names.size());
    std::size_t number = 0;
    for (;;) {
      detail::FeaturePtr f(OGR_L_GetNextFeature(layer));
      if (!f) break;
      ++number;
      const std::string where = m_source + ":feature " + std::to_string(number);
      for (int i = 0; i < static_cast<int>(names.size()); ++i)
        values[static_cast<std::size_t>(i)] = OGR_F_IsFieldSetAndNotNull(f.get(), i) ? OGR_F_GetFieldAsString(f.get(), i) : "";
      std::optional<InterventionGeometry> geometry;
      OGRGeometryH g = OGR_F_GetGeometryRef(f.get());
      std::string why;
      if (g == nullptr || OGR_G_IsEmpty(g)) {
        why = "has no geometry";
      } else {
        GeometryPtr owned(OGR_G_Clone(g));
        if (transform && OGR_G_Transform(owned.get(), transform.get()) != OGRERR_NONE) {
          why = "its geometry could not be transformed to EPSG:27700";
        } else {
          InterventionGeometry out;
          why = convert(owned.get(), out, where);
          if (why.empty()) geometry = std::move(out);
        }
      }
      if (!why.empty()) error(where, why);
      add_row(where, values, c, std::move(geometry));
    }
  }

  fs::path m_path;
  std::string m_source;
  const core::Taxonomy& m_tax;
  const InterventionReadOptions& m_options;
  InterventionReadResult m_result;
  std::vector<std::string> m_errors;
  std::map<std::string, std::string> m_ids;  // id -> where first seen
  bool m_have_geos = false;
};

}  // namespace

InterventionReadResult read_interventions(const fs::path& path, const core::Taxonomy& taxonomy,
                                          const InterventionReadOptions& options) {
  return Reader(path, taxonomy, options).run();
}

}  // namespace hotspot::layers
