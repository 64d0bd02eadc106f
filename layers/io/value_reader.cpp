#include "layers/io/value_reader.hpp"

#include <boost/geometry/algorithms/centroid.hpp>
#include <boost/geometry/strategies/strategies.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/base/error.hpp"
#include "core/base/number.hpp"
#include "core/geo/crs.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/detail/gdal.hpp"
#include "layers/io/feature_reader.hpp"

namespace hotspot::layers {

namespace {

std::string lower_ext(const std::string& path) {
  std::string e = std::filesystem::path(path).extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

std::string list(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

int column(const CsvHeader& h, const std::string& name, const std::string& path, const char* what) {
  const int c = h.find(name);
  if (c < 0)
    throw UsageError(path + ": no " + what + " column '" + name + "' (columns: " + list(h.names) + ")");
  return c;
}

ValueTable read_csv(const std::string& path, const ValueReadOptions& o) {
  ValueTable t;
  t.source = path;
  CsvChunker chunker(path);
  const CsvHeader& h = chunker.header();
  const bool lonlat = !o.lon.empty() || !o.lat.empty();
  if (lonlat && (!o.x.empty() || !o.y.empty())) throw UsageError("give either --x/--y or --lon/--lat, not both");
  if (lonlat && (o.lon.empty() || o.lat.empty())) throw UsageError("--lon and --lat go together");
  const int cx = column(h, lonlat ? o.lon : (o.x.empty() ? "x" : o.x), path, lonlat ? "longitude" : "x");
  const int cy = column(h, lonlat ? o.lat : (o.y.empty() ? "y" : o.y), path, lonlat ? "latitude" : "y");
  const int cv = o.value.empty() ? -1 : column(h, o.value, path, "value");
  const int ci = o.id.empty() ? -1 : column(h, o.id, path, "id");
  t.value_name = o.value.empty() ? "count" : o.value;
  CsvChunk chunk;
  uint64_t row = 0;
  auto number = [&](const CsvRecord& r, int c, const char* what) {
    double v = 0;
    const auto col = static_cast<std::size_t>(c);
    const std::string_view f = col < r.fields.size() ? r.fields[col] : std::string_view();
    const NumberStatus st = parse_double(f, v);
    if (st != NumberStatus::ok)
      throw InputError(path + ":" + std::to_string(r.line) + ":" + std::to_string(c + 1) + ": error: " + what + " '" +
                       std::string(f) + "' is " + (st == NumberStatus::empty ? "empty" : "not a finite number"));
    return v;
  };
  while (chunker.next(chunk)) {
    if (chunk.bad != CsvBad::none)
      throw InputError(path + ":" + std::to_string(chunk.first_line) + ": error: " +
                       (chunk.bad == CsvBad::unterminated_quote ? "unterminated quoted field" : "line too long"));
    parse_records(chunk, h.delimiter, [&](const CsvRecord& r) {
      ++row;
      t.x_m.push_back(number(r, cx, lonlat ? "longitude" : "x"));
      t.y_m.push_back(number(r, cy, lonlat ? "latitude" : "y"));
      t.values.push_back(cv < 0 ? 1.0 : number(r, cv, "value"));
      if (ci >= 0 && static_cast<std::size_t>(ci) < r.fields.size()) t.ids.emplace_back(r.fields[static_cast<std::size_t>(ci)]);
      else t.ids.push_back(std::to_string(row));
    });
  }
  if (lonlat || (o.crs != "EPSG:27700" && o.crs != "epsg:27700" && !o.crs.empty())) {
    const core::Transformer tr = lonlat ? core::Transformer::wgs84_to_bng() : core::Transformer::create(o.crs, "EPSG:27700");
    const std::size_t failed = tr.transform(t.x_m, t.y_m);
    if (failed) throw InputError(path + ": error: " + std::to_string(failed) + " point(s) could not be transformed to EPSG:27700");
  }
  return t;
}

ValueTable read_ogr(const std::string& path, const ValueReadOptions& o) {
  FeatureReadOptions fo;
  fo.layer = o.layer;
  const FeatureSet fs = read_features(path, fo);
  ValueTable t;
  t.source = path;
  const auto field = [&](const std::string& name, const char* what) {
    const int f = fs.field_index(name);
    if (f < 0) {
      std::vector<std::string> names;
      for (const auto& c : fs.fields) names.push_back(c.name);
      throw UsageError(path + ": no " + what + " field '" + name + "' (fields: " + list(names) + ")");
    }
    return f;
  };
  const int fv = o.value.empty() ? -1 : field(o.value, "value");
  const int fi = o.id.empty() ? -1 : field(o.id, "id");
  if (fv >= 0 && !fs.fields[static_cast<std::size_t>(fv)].is_numeric())
    throw UsageError(path + ": field '" + o.value + "' is not numeric");
  t.value_name = o.value.empty() ? "count" : o.value;
  const bool polygons = fs.geometry == GeometryClass::polygon;
  if (polygons) t.polygons.emplace();
  for (std::size_t f = 0; f < fs.size(); ++f) {
    const std::string where = path + ":feature " + std::to_string(f + 1) + ": error: ";
    double x = 0, y = 0;
    if (fs.feature_class[f] == GeometryClass::point) {
      const uint32_t part = fs.feature_offsets[f];
      const uint32_t ring = fs.part_offsets[part];
      const uint32_t v = fs.ring_offsets[ring];
      x = fs.x_m[v];
      y = fs.y_m[v];
    } else if (fs.feature_class[f] == GeometryClass::polygon) {
      core::MultiPolygon mp = fs.polygons(f);
      core::Point c(0.0, 0.0);
      boost::geometry::centroid(mp, c);
      x = c.x();
      y = c.y();
      if (polygons) t.polygons->add(fi >= 0 ? fs.fields[static_cast<std::size_t>(fi)].text(f) : std::to_string(fs.fid[f]), "", std::move(mp));
    } else {
      throw InputError(where + "no point or polygon geometry");
    }
    if (polygons && fs.feature_class[f] != GeometryClass::polygon) throw InputError(where + "not a polygon in a polygon layer");
    const double v = fv < 0 ? 1.0 : fs.fields[static_cast<std::size_t>(fv)].number(f);
    if (!std::isfinite(v)) throw InputError(where + "value '" + o.value + "' is empty or not a number");
    t.x_m.push_back(x);
    t.y_m.push_back(y);
    t.values.push_back(v);
    t.ids.push_back(fi >= 0 ? fs.fields[static_cast<std::size_t>(fi)].text(f) : std::to_string(fs.fid[f]));
  }
  if (polygons) t.polygons->build();
  return t;
}

}  // namespace

ValueTable read_values(const std::string& path, const ValueReadOptions& o) {
  detail::check_local_source(path);  // before "no such file": say why
  if (!std::filesystem::exists(path)) throw UsageError(path + ": no such file");
  const std::string ext = lower_ext(path);
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt") return read_csv(path, o);
  return read_ogr(path, o);
}

}  // namespace hotspot::layers
