#include "viewer/app/commands.hpp"

#include <cstdlib>

#include "viewer/app/export.hpp"
#include "viewer/app/input.hpp"

namespace hotspot::viewer {

namespace fs = std::filesystem;

namespace {

std::string layer_names(const AppState& s) {
  std::string out;
  for (const auto& l : s.layers) out += (out.empty() ? "" : ", ") + l.name;
  return out.empty() ? "(none loaded)" : out;
}

fs::path resolve(const fs::path& base, const std::string& p) {
  fs::path path(p);
  return path.is_absolute() ? path : base / path;
}

}  // namespace

std::string run_command(AppState& s, const ScriptCommand& c, const fs::path& base) {
  const auto& a = c.args;
  const std::string& v = c.verb;
  auto need_layer = [&](const std::string& name, Layer*& out) -> std::string {
    out = find_layer(s, std::string_view(name));
    if (out == nullptr) return "no layer '" + name + "' (layers: " + layer_names(s) + ")";
    return {};
  };
  Layer* layer = nullptr;

  if (v == "open" || v == "basemap") {
    LoadRequest r;
    r.path = resolve(base, a[0]).string();
    if (a.size() == 3) r.layer = a[2];
    r.as_basemap = v == "basemap";
    if (s.loader.busy()) return "the viewer is still loading";
    s.loader.start(r);
    return {};
  }
  if (v == "show" || v == "hide") {
    if (auto e = need_layer(a[0], layer); !e.empty()) return e;
    layer->visible = v == "show";
    touch_style(*layer);
    return {};
  }
  if (v == "style") {
    if (auto e = need_layer(a[0], layer); !e.empty()) return e;
    const auto fields = style_fields(s, *layer);
    if (std::find(fields.begin(), fields.end(), a[1]) == fields.end()) {
      std::string known;
      for (const auto& f : fields) known += (known.empty() ? "" : ", ") + f;
      return "layer '" + layer->name + "' has no field '" + a[1] + "' (fields: " + known + ")";
    }
    LayerStyle& st = layer->style;
    st.field = a[1];
    st.fill_on = true;
    if (a.size() > 2) {
      if (auto m = find_class_method(a[2])) st.method = *m;
    } else if (st.method == ClassMethod::single) {
      st.method = ClassMethod::quantile;
    }
    if (const std::string n = option_value(a, "classes"); !n.empty()) st.classes = std::atoi(n.c_str());
    if (const std::string r = option_value(a, "ramp"); !r.empty()) st.ramp = *find_ramp(r);
    st.reverse = has_flag(a, "reverse");
    st.per_km2 = has_flag(a, "per-km2");
    touch_style(*layer);
    return {};
  }
  if (v == "opacity") {
    if (auto e = need_layer(a[0], layer); !e.empty()) return e;
    layer->style.opacity = std::strtod(a[1].c_str(), nullptr);
    touch_style(*layer);
    return {};
  }
  if (v == "labels") {
    if (auto e = need_layer(a[0], layer); !e.empty()) return e;
    if (a[1] == "off") {
      layer->style.label_field.clear();
    } else {
      if (layer->features == nullptr || layer->features->field_index(a[1]) < 0)
        return "layer '" + layer->name + "' has no field '" + a[1] + "'";
      layer->style.label_field = a[1];
    }
    touch_style(*layer);
    return {};
  }
  if (v == "points") {
    if (auto e = need_layer(a[0], layer); !e.empty()) return e;
    layer->style.colouring = a[1] == "group" ? PointColouring::group
                             : a[1] == "category" ? PointColouring::category
                                                  : PointColouring::single;
    if (const std::string r = option_value(a, "radius"); !r.empty()) layer->style.point_radius_px = std::strtod(r.c_str(), nullptr);
    touch_style(*layer);
    return {};
  }
  if (v == "categories") {
    if (!s.incidents) return "no incidents loaded";
    if (a.size() == 1 && a[0] == "all") {
      set_all_categories(s, true);
      return {};
    }
    std::vector<core::CategoryId> ids;
    for (const auto& name : a) {
      auto id = s.incidents->taxonomy.find(name);
      if (!id) id = s.incidents->taxonomy.find_slug(name);
      if (!id) return "unknown crime type '" + name + "'";
      ids.push_back(*id);
    }
    set_all_categories(s, false);
    for (auto id : ids) set_category(s, id, true);
    return {};
  }
  if (v == "months") {
    if (!s.incidents) return "no incidents loaded";
    set_window(s, {*core::parse_month(a[0]), *core::parse_month(a[1])});
    return {};
  }
  if (v == "compare") {
    if (a.size() == 1 && a[0] == "off") {
      s.compare.mode = CompareMode::off;
      ++s.compare.version;
      return {};
    }
    if (!s.incidents) return "no incidents loaded";
    if (auto e = need_layer(a[0], layer); !e.empty()) return e;
    const auto f = find_feature(*layer, a[1]);
    if (!f) return "layer '" + layer->name + "' has no feature '" + a[1] + "' (matched against code, name, id, #fid)";
    compare_feature(s, layer->id, *f);
    s.compare.go_live = *core::parse_month(option_value(a, "golive"));
    if (has_flag(a, "before")) s.compare.before_months = std::max(1, std::atoi(option_value(a, "before").c_str()));
    if (has_flag(a, "after")) s.compare.after_months = std::max(1, std::atoi(option_value(a, "after").c_str()));
    if (has_flag(a, "buffer")) s.compare.buffer_m = std::strtod(option_value(a, "buffer").c_str(), nullptr);
    if (has_flag(a, "radius")) s.compare.radius_m = std::strtod(option_value(a, "radius").c_str(), nullptr);
    const std::string mode = option_value(a, "mode");
    s.compare.mode = mode == "difference" ? CompareMode::difference
                     : mode == "swipe"    ? CompareMode::swipe
                                          : CompareMode::side_by_side;
    ++s.compare.version;
    return {};
  }
  if (v == "swipe") {
    if (s.compare.mode != CompareMode::swipe) return "not in swipe mode (compare ... mode swipe)";
    s.compare.swipe_at = std::stod(a[0]);
    return {};
  }
  if (v == "zoom") {
    if (a[0] == "layer") {
      if (auto e = need_layer(a[1], layer); !e.empty()) return e;
      fit_to(s, layer->bounds(), false);
    } else if (a[0] == "feature") {
      if (auto e = need_layer(a[1], layer); !e.empty()) return e;
      const auto f = find_feature(*layer, a[2]);
      if (!f) return "layer '" + layer->name + "' has no feature '" + a[2] + "'";
      fit_to(s, layer->features->feature_bbox(*f), false);
    } else if (a[0] == "extent") {
      fit_to(s,
             core::Box(core::Point(std::strtod(a[1].c_str(), nullptr), std::strtod(a[2].c_str(), nullptr)),
                       core::Point(std::strtod(a[3].c_str(), nullptr), std::strtod(a[4].c_str(), nullptr))),
             false);
    } else {
      s.fly.active = false;
      s.camera.centre_x_m = std::strtod(a[1].c_str(), nullptr);
      s.camera.centre_y_m = std::strtod(a[2].c_str(), nullptr);
      s.camera.m_per_px = std::clamp(std::strtod(a[3].c_str(), nullptr), Camera::kMinMetresPerPixel,
                                     Camera::kMaxMetresPerPixel);
    }
    s.camera_fitted = true;
    return {};
  }
  if (v == "select") {
    if (a.size() == 1 && a[0] == "none") {
      s.selection.clear();
      return {};
    }
    if (auto e = need_layer(a[0], layer); !e.empty()) return e;
    std::vector<uint32_t> fs;
    for (std::size_t i = 1; i < a.size(); ++i) {
      const auto f = find_feature(*layer, a[i]);
      if (!f) return "layer '" + layer->name + "' has no feature '" + a[i] + "'";
      fs.push_back(*f);
    }
    s.selection.clear();
    s.selection.add(layer->id, std::move(fs));
    return {};
  }
  if (v == "panel") {
    s.tab = a[0] == "compare" ? SideTab::compare : a[0] == "targets" ? SideTab::targets
                               : a[0] == "log"   ? SideTab::log
                                                 : SideTab::inspector;
    s.tab_requested = true;
    return {};
  }
  if (v == "colourblind") {
    s.colour_blind = a[0] == "on";
    return {};
  }
  if (v == "wait") {  // loading and drawing finish anyway; SECONDS keeps frames (and play) going
    if (!a.empty()) s.wait_until_s = s.now_s + std::stod(a[0]);
    return {};
  }
  if (v == "screenshot") {
    s.pending_screenshot = resolve(base, a[0]).string();
    return {};
  }
  if (v == "export") {
    const fs::path path = resolve(base, a[1]);
    if (a[0] == "png") {  // the frame loop writes the map view (as the Export view button)
      s.export_request = "png:" + path.string();
      return {};
    }
    if (s.selection.features.empty()) return "nothing is selected";
    return export_selection_geojson(s, path);
  }
  if (v == "drop") {  // as if the file were dropped on the window
    ScriptCommand resolved = c;
    resolved.args[0] = resolve(base, a[0]).string();
    return queue_input(s, resolved);
  }
  if (is_input_command(v)) return queue_input(s, c);
  return "unknown command '" + v + "'";
}

}  // namespace hotspot::viewer
