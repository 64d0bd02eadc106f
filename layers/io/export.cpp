// export_layers(): GeoJSON, a styled GeoPackage, CSV tables and PostGIS from one
// source, with disclosure control. See export.hpp.
//
// [SECTION] FeatureSet -> VectorWriter
// [SECTION] export_layers

#include "layers/io/export.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/base/error.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/qgis_style.hpp"
#include "layers/io/vector_writer.hpp"

namespace hotspot::layers {
namespace fs = std::filesystem;
namespace {

// [SECTION] FeatureSet -> VectorWriter ---------------------------------------------

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

GeometryKind kind_of(GeometryClass c) {
  switch (c) {
    case GeometryClass::point: return GeometryKind::point;
    case GeometryClass::line: return GeometryKind::multilinestring;
    case GeometryClass::polygon: return GeometryKind::multipolygon;
    case GeometryClass::none: return GeometryKind::none;
  }
  return GeometryKind::none;
}

FieldType field_type(FieldKind k) {
  switch (k) {
    case FieldKind::integer: return FieldType::integer;
    case FieldKind::real: return FieldType::real;
    default: return FieldType::text;
  }
}

FeatureGeometry geometry_of(const FeatureSet& s, std::size_t f, GeometryClass layer_class) {
  if (s.feature_class[f] != layer_class || s.feature_offsets[f] == s.feature_offsets[f + 1]) return std::monostate{};
  switch (layer_class) {
    case GeometryClass::point: {
      const uint32_t v = s.ring_offsets[s.part_offsets[s.feature_offsets[f]]];
      return core::Point(s.x_m[v], s.y_m[v]);
    }
    case GeometryClass::line: {
      core::MultiLineString ml;
      for (uint32_t p = s.feature_offsets[f]; p < s.feature_offsets[f + 1]; ++p)
        for (uint32_t r = s.part_offsets[p]; r < s.part_offsets[p + 1]; ++r) {
          auto& l = ml.emplace_back();
          for (uint32_t v = s.ring_offsets[r]; v < s.ring_offsets[r + 1]; ++v) l.emplace_back(s.x_m[v], s.y_m[v]);
        }
      return ml;
    }
    case GeometryClass::polygon: return s.polygons(f);
    case GeometryClass::none: break;
  }
  return std::monostate{};
}

FieldValue value_of(const FieldColumn& c, std::size_t f) {
  if (c.is_null(f)) return std::monostate{};
  switch (c.kind) {
    case FieldKind::integer: return static_cast<std::int64_t>(c.numbers[f]);
    case FieldKind::real: return c.numbers[f];
    default: return c.dictionary[c.codes[f]];
  }
}

// Writes `s` as one layer of `out`. With `geojson_id`, a first field "id" carries the
// feature id (the layer's id, cell_id or code field, else the source FID) and
// becomes the GeoJSON Feature "id" member. `with_geometry` false: attributes only.
std::size_t write_layer(VectorWriter& out, const FeatureSet& s, bool geojson_id, bool with_geometry) {
  LayerSpec spec;
  spec.name = s.layer;
  spec.geometry = with_geometry ? kind_of(s.geometry) : GeometryKind::none;
  int id_source = -1;
  bool add_id = false;
  if (geojson_id) {
    for (const char* n : {"id", "cell_id", "code"})
      if (id_source < 0) id_source = s.field_index(n);
    const bool has_id_field = s.field_index("id") >= 0 && lower(s.fields[static_cast<std::size_t>(s.field_index("id"))].name) == "id";
    add_id = !has_id_field;
    if (add_id) {
      const bool text_id = id_source >= 0 && !s.fields[static_cast<std::size_t>(id_source)].is_numeric();
      spec.fields.push_back({"id", text_id ? FieldType::text : FieldType::integer});
    }
    spec.geojson_id_field = "id";
  }
  for (const auto& c : s.fields) spec.fields.push_back({c.name, field_type(c.kind)});
  auto& layer = out.add_layer(spec);
  FeatureValues fv;
  for (std::size_t f = 0; f < s.size(); ++f) {
    fv.values.clear();
    if (add_id) {
      if (id_source >= 0) {
        const auto& c = s.fields[static_cast<std::size_t>(id_source)];
        if (c.is_numeric() && !c.is_null(f)) fv.values.emplace_back(static_cast<std::int64_t>(c.numbers[f]));
        else if (c.is_numeric()) fv.values.emplace_back(static_cast<std::int64_t>(s.fid[f]));
        else fv.values.emplace_back(c.is_null(f) ? std::to_string(s.fid[f]) : c.dictionary[c.codes[f]]);
      } else {
        fv.values.emplace_back(static_cast<std::int64_t>(s.fid[f]));
      }
    }
    for (const auto& c : s.fields) fv.values.push_back(value_of(c, f));
    fv.geometry = with_geometry ? geometry_of(s, f, s.geometry) : FeatureGeometry{};
    layer.add(fv);
  }
  return s.size();
}

bool is_internal_layer(const std::string& name) {
  const std::string n = lower(name);
  return n == "layer_styles" || n.rfind("rtree_", 0) == 0 || n.rfind("gpkg_", 0) == 0;
}

}  // namespace

int public_decimals_for(double precision_m) {
  // The fewest decimals whose step (in metres of latitude) is at most half the
  // precision: the snapped points stay apart, nothing finer is written.
  if (!(precision_m > 0)) return 6;
  for (int d = 0; d <= 9; ++d)
    if (111320.0 * std::pow(10.0, -d) <= precision_m / 2) return d;
  return 9;
}

// [SECTION] export_layers ------------------------------------------------------------

ExportReport export_layers(const ExportOptions& o) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  if (o.precision < 0 || o.precision > 15)
    throw UsageError("GeoJSON precision " + std::to_string(o.precision) + " is not 0..15 decimals");
  if (!o.geojson_dir && !o.gpkg && !o.tables_dir && !o.postgis)
    throw UsageError("nothing to export: give a GeoJSON folder, a GeoPackage, a tables folder or a PostGIS target");
  const bool publish = o.disclosure.public_release;
  if (o.gpkg && fs::exists(*o.gpkg) && fs::exists(o.source) && same_file(*o.gpkg, o.source) && publish)
    throw UsageError(o.gpkg->string() + ": a public export cannot be written over its own (private) source");

  ExportReport report;
  const DatasetInfo info = describe_dataset(o.source.string());
  std::vector<std::string> names;
  if (o.layers.empty()) {
    for (const auto& l : info.layers)
      if (!is_internal_layer(l.name)) names.push_back(l.name);
  } else {
    for (const auto& want : o.layers) {
      auto it = std::find_if(info.layers.begin(), info.layers.end(),
                             [&](const LayerInfo& l) { return lower(l.name) == lower(want); });
      if (it == info.layers.end()) {
        std::string have;
        for (const auto& l : info.layers)
          if (!is_internal_layer(l.name)) have += (have.empty() ? "" : ", ") + l.name;
        throw UsageError(o.source.string() + ": no layer '" + want + "' (layers: " + have + ")");
      }
      names.push_back(it->name);
    }
  }
  std::erase_if(names, [&](const std::string& n) {
    return std::any_of(o.exclude.begin(), o.exclude.end(), [&](const std::string& x) { return lower(x) == lower(n); });
  });

  // Read and control every layer first: nothing is written if one cannot be read.
  std::vector<FeatureSet> sets;
  for (const auto& name : names) {
    FeatureReadOptions ro;
    ro.layer = name;
    ro.assume_crs = "EPSG:27700";
    FeatureSet s = read_features(o.source.string(), ro);
    ExportLayerReport lr;
    lr.layer = name;
    lr.geometry = geometry_class_name(s.geometry);
    lr.disclosure = apply_disclosure(s, o.disclosure);
    for (const auto& w : s.warnings) report.warnings.push_back(w);
    if (lr.disclosure.refused) {
      lr.skipped = true;
      lr.note = lr.disclosure.note;
      report.warnings.push_back("layer '" + name + "' left out of the public export: " + lr.note);
    } else {
      lr.features = s.size();
      sets.push_back(std::move(s));
    }
    report.layers.push_back(std::move(lr));
  }

  std::vector<fs::path> inputs = o.inputs;
  inputs.push_back(o.source);
  VectorWriterOptions vo;
  vo.geojson_precision = o.precision;

  if (o.geojson_dir) {
    fs::create_directories(*o.geojson_dir);
    for (const auto& s : sets) {
      if (s.geometry == GeometryClass::none) continue;
      VectorWriterOptions lo = vo;
      if (publish && s.geometry == GeometryClass::point)
        lo.geojson_precision = std::min(o.precision, public_decimals_for(o.disclosure.point_precision_m));
      const fs::path target = *o.geojson_dir / (s.layer + ".geojson");
      AtomicOutput out(target, inputs);
      VectorWriter w(out.temp_path(), lo);
      write_layer(w, s, /*geojson_id=*/true, /*with_geometry=*/true);
      w.close();
      for (const auto& m : w.warnings()) report.warnings.push_back(m);
      out.commit();
      report.written.push_back(target);
    }
  }
  if (o.tables_dir) {
    fs::create_directories(*o.tables_dir);
    for (const auto& s : sets) {
      const fs::path target = *o.tables_dir / (s.layer + ".csv");
      AtomicOutput out(target, inputs);
      VectorWriter w(out.temp_path(), vo);
      write_layer(w, s, /*geojson_id=*/false, /*with_geometry=*/false);
      w.close();
      out.commit();
      report.written.push_back(target);
    }
  }
  if (o.gpkg) {
    const bool in_place = fs::exists(*o.gpkg) && fs::exists(o.source) && same_file(*o.gpkg, o.source);
    if (in_place) {
      // Styles only, on a copy renamed over the original (atomic).
      AtomicOutput out(*o.gpkg);
      fs::copy_file(o.source, out.temp_path(), fs::copy_options::overwrite_existing);
      if (o.styles) write_layer_styles(out.temp_path(), auto_styles(out.temp_path()));
      out.commit();
    } else {
      AtomicOutput out(*o.gpkg, inputs);
      {
        VectorWriter w(out.temp_path(), vo);
        for (const auto& s : sets) write_layer(w, s, /*geojson_id=*/false, /*with_geometry=*/true);
        w.close();
        for (const auto& m : w.warnings()) report.warnings.push_back(m);
      }
      if (o.styles) write_layer_styles(out.temp_path(), auto_styles(out.temp_path()));
      out.commit();
    }
    report.written.push_back(*o.gpkg);
  }
  if (o.postgis) report.postgis = write_postgis(*o.postgis, sets);
  report.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return report;
}

}  // namespace hotspot::layers
