#include "viewer/app/export.hpp"

#include "core/base/error.hpp"
#include "layers/io/vector_writer.hpp"

namespace hotspot::viewer {

std::string export_selection_geojson(AppState& s, const std::filesystem::path& path) {
  Layer* layer = find_layer(s, s.selection.layer);
  if (layer == nullptr || s.selection.features.empty() || !layer->features) return "nothing is selected";
  const auto& fs = *layer->features;
  using namespace hotspot::layers;
  LayerSpec spec;
  spec.name = layer->name;
  spec.geometry = fs.geometry == GeometryClass::polygon ? GeometryKind::multipolygon
                  : fs.geometry == GeometryClass::point ? GeometryKind::point
                  : fs.geometry == GeometryClass::line  ? GeometryKind::multilinestring
                                                        : GeometryKind::none;
  for (const auto& f : fs.fields)
    spec.fields.push_back({f.name, f.kind == FieldKind::integer ? FieldType::integer
                                   : f.kind == FieldKind::real  ? FieldType::real
                                                                : FieldType::text});
  const bool windowed = s.incidents && layer->is_polygon() && layer->areas;
  std::vector<double> window_counts;
  if (windowed) {
    spec.fields.push_back({"window", FieldType::text});
    spec.fields.push_back({"window_count", FieldType::integer});
    window_counts = field_values(s, *layer, layer->features->field_index("total") >= 0 ? "total" : "incidents", s.window, false);
  }
  try {
    VectorWriter out(path);
    auto& dst = out.add_layer(spec);
    FeatureValues v;
    for (const uint32_t f : s.selection.features) {
      v.values.clear();
      for (const auto& col : fs.fields) {
        if (col.is_null(f))
          v.values.emplace_back(std::monostate{});
        else if (col.kind == FieldKind::integer)
          v.values.emplace_back(static_cast<std::int64_t>(col.numbers[f]));
        else if (col.kind == FieldKind::real)
          v.values.emplace_back(col.numbers[f]);
        else
          v.values.emplace_back(col.text(f));
      }
      if (windowed) {
        v.values.emplace_back(format_month_range(s.window));
        v.values.emplace_back(static_cast<std::int64_t>(window_counts[f]));
      }
      if (spec.geometry == GeometryKind::multipolygon) {
        v.geometry = fs.polygons(f);
      } else if (spec.geometry == GeometryKind::point) {
        const uint32_t vx = fs.ring_offsets[fs.part_offsets[fs.feature_offsets[f]]];
        v.geometry = core::Point(fs.x_m[vx], fs.y_m[vx]);
      } else if (spec.geometry == GeometryKind::multilinestring) {
        core::MultiLineString ml;
        for (uint32_t p = fs.feature_offsets[f]; p < fs.feature_offsets[f + 1]; ++p)
          for (uint32_t r = fs.part_offsets[p]; r < fs.part_offsets[p + 1]; ++r) {
            core::LineString ls;
            for (uint32_t k = fs.ring_offsets[r]; k < fs.ring_offsets[r + 1]; ++k) ls.emplace_back(fs.x_m[k], fs.y_m[k]);
            ml.push_back(std::move(ls));
          }
        v.geometry = std::move(ml);
      } else {
        v.geometry = std::monostate{};
      }
      dst.add(v);
    }
    out.close();
  } catch (const Error& e) {
    return e.what();
  }
  log_message(s, LogLevel::info,
              "exported " + std::to_string(s.selection.features.size()) + " feature(s) to " + path.string());
  return {};
}

}  // namespace hotspot::viewer
