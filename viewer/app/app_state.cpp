// [SECTION] helpers · selection · layers · time · views and paint · camera · hit tests ·
// summary. Compare mode (target, counts, core/evaluate in process): compare.cpp.
#include "viewer/app/app_state.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>

#include "core/base/error.hpp"
#include "viewer/app/hash.hpp"

namespace hotspot::viewer {

// [SECTION] helpers ------------------------------------------------------------------

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// The category a count field holds (field names are slugs with '_' for '-').
std::optional<core::CategoryId> category_of_field(const core::Taxonomy& tax, std::string_view field) {
  for (const auto& c : tax.categories()) {
    std::string under = c.slug;
    std::replace(under.begin(), under.end(), '-', '_');
    if (field == under || field == c.slug) return c.id;
  }
  return std::nullopt;
}

// "Incidents" or the selected crime types ("Burglary, Robbery +2").
std::string filter_label(const AppState& s) {
  if (!s.incidents || s.categories.all()) return "Incidents";
  std::string names;
  std::size_t n = 0;
  for (std::size_t c = 0; c < s.categories.enabled.size(); ++c)
    if (s.categories.enabled[c] && ++n <= 2)
      names += (names.empty() ? "" : ", ") + s.incidents->taxonomy.get(static_cast<core::CategoryId>(c)).name;
  if (n > 2) names += " +" + std::to_string(n - 2);
  return n == 0 ? std::string("Incidents (no crime type selected)") : names;
}

std::string human_field(const AppState& s, const Layer& layer, const std::string& field) {
  if (is_windowed_field(s, layer, field)) {
    if (field == "total" || field == "incidents") {
      if (s.categories.all() || !s.incidents) return "Incidents";
      std::string names;
      std::size_t n = 0;
      for (std::size_t c = 0; c < s.categories.enabled.size(); ++c)
        if (s.categories.enabled[c]) {
          if (++n <= 2) names += (names.empty() ? "" : ", ") + s.incidents->taxonomy.get(static_cast<core::CategoryId>(c)).name;
        }
      if (n > 2) names += " +" + std::to_string(n - 2);
      return n == 0 ? std::string("Incidents (no crime type selected)") : names;
    }
    if (auto c = category_of_field(s.incidents->taxonomy, field)) return s.incidents->taxonomy.get(*c).name;
  }
  if (field == "z" || field == "gi_z") return "Gi* z-score";
  if (field == "p" || field == "gi_p") return "Gi* p-value";
  if (field == "bin" || field == "gi_bin") return "Gi* hot and cold spots";
  return field;
}

}  // namespace

// [SECTION] selection -----------------------------------------------------------------

bool Selection::contains(LayerId l, uint32_t f) const {
  return l == layer && std::binary_search(features.begin(), features.end(), f);
}
void Selection::clear() {
  layer = kNoLayer;
  features.clear();
  incident_row.reset();
}
void Selection::set(LayerId l, uint32_t f) {
  clear();
  layer = l;
  features = {f};
}
void Selection::toggle(LayerId l, uint32_t f) {
  incident_row.reset();
  if (l != layer) {
    set(l, f);
    return;
  }
  auto it = std::lower_bound(features.begin(), features.end(), f);
  if (it != features.end() && *it == f)
    features.erase(it);
  else
    features.insert(it, f);
  if (features.empty()) layer = kNoLayer;
}
void Selection::add(LayerId l, std::vector<uint32_t> fs) {
  incident_row.reset();
  if (l != layer) {
    features.clear();
    layer = l;
  }
  features.insert(features.end(), fs.begin(), fs.end());
  std::sort(features.begin(), features.end());
  features.erase(std::unique(features.begin(), features.end()), features.end());
  if (features.empty()) layer = kNoLayer;
}

// [SECTION] layers --------------------------------------------------------------------

Layer* find_layer(AppState& s, LayerId id) {
  for (auto& l : s.layers)
    if (l.id == id) return &l;
  return nullptr;
}
const Layer* find_layer(const AppState& s, LayerId id) {
  for (const auto& l : s.layers)
    if (l.id == id) return &l;
  return nullptr;
}
Layer* find_layer(AppState& s, std::string_view name) {
  for (auto& l : s.layers)
    if (l.name == name) return &l;
  for (auto& l : s.layers)
    if (iequals(l.name, name)) return &l;
  return nullptr;
}

void touch_style(Layer& layer) { ++layer.style_version; }

void log_message(AppState& s, LogLevel level, std::string text) {
  if (level != LogLevel::info) s.status = text;
  s.log.push_back({level, std::move(text)});
  if (s.log.size() > 5000) s.log.erase(s.log.begin(), s.log.begin() + 1000);
}

core::Box data_bounds(const AppState& s) {
  constexpr double kHuge = std::numeric_limits<double>::max();
  double x0 = kHuge, y0 = kHuge, x1 = -kHuge, y1 = -kHuge;
  for (const auto& l : s.layers) {
    if (l.role == LayerRole::basemap && s.layers.size() > 1) continue;  // a national basemap must not zoom out the study
    const core::Box b = l.bounds();
    if (b.min_corner().x() > b.max_corner().x()) continue;
    x0 = std::min(x0, b.min_corner().x());
    y0 = std::min(y0, b.min_corner().y());
    x1 = std::max(x1, b.max_corner().x());
    y1 = std::max(y1, b.max_corner().y());
  }
  return core::Box(core::Point(x0, y0), core::Point(x1, y1));
}

std::vector<LayerId> apply_load(AppState& s, LoadResult&& result) {
  std::vector<LayerId> added;
  if (!result.error.empty()) {
    log_message(s, LogLevel::error, "cannot open " + result.request.path + ": " + result.error);
    return added;
  }
  for (auto& text : result.info) log_message(s, LogLevel::info, text);
  for (auto& w : result.warnings) log_message(s, LogLevel::warning, w);
  for (auto& layer : result.layers) {
    layer.id = s.next_layer_id++;
    std::string base = layer.name;
    for (int k = 2; find_layer(s, std::string_view(layer.name)) != nullptr; ++k)
      layer.name = base + " (" + std::to_string(k) + ")";
    const bool is_incidents = result.incidents && base == result.incidents_layer && !s.incidents;
    if (is_incidents) {
      s.incidents = result.incidents;
      s.incidents_layer = layer.id;
      s.categories.enabled.assign(s.incidents->taxonomy.size(), true);
      s.window = s.incidents->period;
      ++s.filter_version;
      s.incident_grid.reset();
      if (s.compare.go_live == 0 && !s.window.empty()) s.compare.go_live = s.window.first + s.window.months() / 2;
    } else if (layer.role == LayerRole::incidents) {
      layer.role = LayerRole::generic;  // a second incident layer is drawn, not counted
    }
    const int rank = default_draw_rank(layer);
    auto pos = std::find_if(s.layers.begin(), s.layers.end(), [&](const Layer& l) { return default_draw_rank(l) > rank; });
    added.push_back(layer.id);
    s.layers.insert(pos, std::move(layer));
  }
  if (result.evaluation) {
    s.evaluation = std::move(result.evaluation);
    // Compare mode starts from the study's own evaluation settings.
    if (const auto& st = s.evaluation->settings) {
      s.compare.before_months = st->before_months;
      s.compare.after_months = st->after_months;
      s.compare.implementation_months = st->implementation_months;
      s.compare.buffer_m = st->buffer_m;
      ++s.compare.version;
      char msg[240];
      std::snprintf(msg, sizeof msg,
                    "Compare uses the study's evaluation settings: %d months before, %d after, %d left out from go-live, "
                    "%.0f m buffer ring, %s over-dispersion, %.0f%% intervals",
                    st->before_months, st->after_months, st->implementation_months, st->buffer_m,
                    core::overdispersion_name(st->overdispersion), st->confidence * 100);
      log_message(s, LogLevel::info, msg);
    }
  }
  if (result.rejects) {
    log_message(s, result.rejects->total_rows ? LogLevel::warning : LogLevel::info,
                result.rejects->path.string() + ": " + std::to_string(result.rejects->total_rows) +
                    " rejected rows (see the Log tab)");
    s.rejects = std::move(result.rejects);
  }
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", result.seconds);
  s.status = "Opened " + std::filesystem::path(result.request.path).filename().string() + ": " +
             std::to_string(added.size()) + " layer(s) in " + secs + " s";
  if (!added.empty() && s.title == "Hotspot")
    s.title = "Hotspot \u2014 " + std::filesystem::path(result.request.path).filename().string();
  s.legend_measured = false;  // new layers: the legend changes; fit once it is drawn
  if (!s.camera_fitted && !added.empty()) {
    s.pending_fit = data_bounds(s);
    s.camera_fitted = true;
  }
  return added;
}

void remove_layer(AppState& s, LayerId id) {
  auto it = std::find_if(s.layers.begin(), s.layers.end(), [&](const Layer& l) { return l.id == id; });
  if (it == s.layers.end()) return;
  if (id == s.incidents_layer) {
    s.incidents.reset();
    s.incidents_layer = kNoLayer;
    s.area_counts.clear();
    s.count_cache.clear();
    s.incident_grid.reset();
    ++s.filter_version;
  }
  if (s.selection.layer == id) s.selection.clear();
  if (s.compare.target_layer == id) s.compare.target_layer = kNoLayer;
  s.area_counts.erase(id);
  for (auto c = s.count_cache.begin(); c != s.count_cache.end();)
    c = c->first.first == id ? s.count_cache.erase(c) : std::next(c);
  for (auto p = s.paints.begin(); p != s.paints.end();) p = p->first.first == id ? s.paints.erase(p) : std::next(p);
  s.layers.erase(it);
}

void move_layer(AppState& s, LayerId id, int direction) {
  auto it = std::find_if(s.layers.begin(), s.layers.end(), [&](const Layer& l) { return l.id == id; });
  if (it == s.layers.end()) return;
  const auto i = static_cast<std::ptrdiff_t>(it - s.layers.begin());
  const std::ptrdiff_t j = i + direction;
  if (j < 0 || j >= static_cast<std::ptrdiff_t>(s.layers.size())) return;
  std::swap(s.layers[static_cast<std::size_t>(i)], s.layers[static_cast<std::size_t>(j)]);
}

bool is_windowed_field(const AppState& s, const Layer& layer, const std::string& field) {
  if (!s.incidents || !layer.is_polygon() || !layer.areas) return false;
  if (field == "incidents") return layer.features->field_index("total") < 0;
  if (field == "total") return true;
  return category_of_field(s.incidents->taxonomy, field).has_value() && layer.features->field_index(field) >= 0;
}

std::vector<std::string> style_fields(const AppState& s, const Layer& layer) {
  std::vector<std::string> out;
  if (layer.kind == LayerKind::raster) return {"value"};
  if (!layer.features) return out;
  if (layer.is_polygon() && s.incidents && layer.areas && layer.features->field_index("total") < 0)
    out.emplace_back("incidents");
  for (const auto& f : layer.features->fields) out.push_back(f.name);
  return out;
}

// [SECTION] time ----------------------------------------------------------------------

MonthRange data_period(const AppState& s) { return s.incidents ? s.incidents->period : MonthRange{}; }

void set_window(AppState& s, MonthRange window) {
  const MonthRange period = data_period(s);
  if (!period.empty()) {
    window.first = std::clamp(window.first, period.first, period.last);
    window.last = std::clamp(window.last, window.first, period.last);
  }
  if (window == s.window) return;
  s.window = window;
  ++s.filter_version;
}

void set_category(AppState& s, core::CategoryId c, bool on) {
  if (c >= s.categories.enabled.size() || s.categories.enabled[c] == on) return;
  s.categories.enabled[c] = on;
  ++s.filter_version;
}

void set_all_categories(AppState& s, bool on) {
  std::fill(s.categories.enabled.begin(), s.categories.enabled.end(), on);
  ++s.filter_version;
}

bool step_play(AppState& s, double now_s) {
  if (!s.play.playing) return false;
  if (now_s < s.play.next_step_s) return false;
  s.play.next_step_s = now_s + s.play.interval_s;
  const MonthRange period = data_period(s);
  if (period.empty()) return false;
  const int width = std::max(1, s.window.months());
  MonthRange next{s.window.first + 1, s.window.last + 1};
  if (next.last > period.last) next = {period.first, period.first + width - 1};
  set_window(s, next);
  return true;
}

// [SECTION] views and paint ----------------------------------------------------------

std::vector<MapView> views(const AppState& s) {
  switch (s.compare.mode) {
    case CompareMode::off: return {{ViewRole::normal, s.window, {}, format_month_range(s.window)}};
    case CompareMode::side_by_side:
    case CompareMode::swipe:
      return {{ViewRole::before, s.compare.before(), {}, "Before: " + format_month_range(s.compare.before())},
              {ViewRole::after, s.compare.after(), {}, "After: " + format_month_range(s.compare.after())}};
    case CompareMode::difference:
      return {{ViewRole::difference, s.compare.after(), s.compare.before(),
               "Change: " + format_month_range(s.compare.after()) + " vs " + format_month_range(s.compare.before())}};
  }
  return {};
}

const AreaCounts* area_counts(AppState& s, const Layer& layer) {
  if (!s.incidents || !layer.areas) return nullptr;
  auto it = s.area_counts.find(layer.id);
  if (it == s.area_counts.end())
    it = s.area_counts
             .emplace(layer.id, std::make_shared<AreaCounts>(s.incidents->table, *layer.areas, s.incidents->taxonomy.size()))
             .first;
  return it->second.get();
}

const CountMatrix* counts(AppState& s, const Layer& layer, MonthRange window) {
  const AreaCounts* ac = area_counts(s, layer);
  if (ac == nullptr) return nullptr;
  const auto key = std::make_pair(layer.id, static_cast<int64_t>(hash_range(window)));
  auto it = s.count_cache.find(key);
  if (it == s.count_cache.end()) {
    if (s.count_cache.size() > 24) s.count_cache.clear();
    it = s.count_cache.emplace(key, ac->count(s.incidents->table, window)).first;
  }
  return &it->second;
}

std::vector<double> field_values(AppState& s, const Layer& layer, const std::string& field, MonthRange window,
                                 bool per_km2) {
  std::vector<double> v;
  if (!layer.features) return v;
  const auto& fs = *layer.features;
  if (is_windowed_field(s, layer, field)) {
    const CountMatrix* m = counts(s, layer, window);
    if (field == "total" || field == "incidents")
      v = m->totals(s.categories);
    else
      v = m->column(*category_of_field(s.incidents->taxonomy, field));
  } else {
    const int i = fs.field_index(field);
    if (i < 0 || !fs.fields[static_cast<std::size_t>(i)].is_numeric()) return std::vector<double>(fs.size(), kNaN);
    v = fs.fields[static_cast<std::size_t>(i)].numbers;
  }
  if (per_km2) {
    const int a = fs.field_index("area_km2");
    for (std::size_t f = 0; f < v.size(); ++f) {
      double km2 = a >= 0 ? fs.fields[static_cast<std::size_t>(a)].number(f) : kNaN;
      if (!(km2 > 0) && layer.areas && f < layer.areas->size())
        km2 = layer.areas->areas()[f].area_m2 / 1e6;
      v[f] = km2 > 0 ? v[f] / km2 : kNaN;
    }
  }
  return v;
}

namespace {

Ramp effective_ramp(const AppState& s, Ramp r) {
  if (!s.colour_blind) return r;
  return ramp_info(r).kind == RampKind::diverging ? Ramp::pu_or : Ramp::viridis;
}

// Symmetric classes around zero for differences (after - before).
Classification diverging_classes(const std::vector<double>& values, Ramp ramp, bool integers) {
  double m = 0;
  for (const double v : values)
    if (std::isfinite(v)) m = std::max(m, std::abs(v));
  if (integers) m = std::max(1.0, std::ceil(m));
  if (m == 0) m = 1;
  Classification c;
  c.method = ClassMethod::equal_interval;
  const int n = 7;
  for (int i = 0; i <= n; ++i) c.edges.push_back(-m + 2 * m * i / n);
  c.colours = ramp_classes(ramp, n);
  for (int i = 0; i < n; ++i) {
    const double lo = c.edges[static_cast<std::size_t>(i)], hi = c.edges[static_cast<std::size_t>(i + 1)];
    if (i == n / 2)
      c.labels.push_back("little change (" + format_number(lo, integers && std::abs(lo) >= 10) + " to " +
                         format_number(hi, integers && std::abs(hi) >= 10) + ")");
    else {
      // Appended piece by piece: GCC 12 reports a false -Wrestrict on `const char* + string`.
      std::string label(lo >= 0 ? "+" : "");
      label += format_number(lo, integers);
      label += " to ";
      label += hi > 0 ? "+" : "";
      label += format_number(hi, integers);
      c.labels.push_back(std::move(label));
    }
  }
  return c;
}

void paint_incidents(AppState& s, const Layer& layer, const MapView& view, LayerPaint& p) {
  const auto& tax = s.incidents->taxonomy;
  const std::size_t ncat = tax.size();
  p.colours.assign(ncat, layer.style.fill.packed());
  std::vector<std::size_t> shown(ncat, 0);
  const auto month = s.incidents->table.month();
  const auto cat = s.incidents->table.category();
  std::size_t total = 0;
  for (std::size_t i = 0; i < s.incidents->table.size(); ++i)
    if (view.window.contains(month[i]) && s.categories.allows(cat[i])) {
      ++shown[cat[i]];
      ++total;
    }
  p.title = "Incidents (points)";
  p.subtitle = format_number(static_cast<double>(total), true) + " shown";
  if (layer.style.colouring == PointColouring::single) {
    p.legend.push_back({layer.style.fill, s.categories.all() ? "All crime types" : filter_label(s), total, 0});
    return;
  }
  // Colour by CSP group (8 groups: exactly the Okabe-Ito palette) or by category.
  std::vector<std::string> keys;
  std::vector<std::size_t> key_of(ncat);
  for (std::size_t c = 0; c < ncat; ++c) {
    const auto& cc = tax.get(static_cast<core::CategoryId>(c));
    const std::string& k = layer.style.colouring == PointColouring::group ? cc.group : cc.name;
    auto it = std::find(keys.begin(), keys.end(), k);
    key_of[c] = static_cast<std::size_t>(it - keys.begin());
    if (it == keys.end()) keys.push_back(k);
  }
  std::vector<std::size_t> key_count(keys.size(), 0);
  for (std::size_t c = 0; c < ncat; ++c) key_count[key_of[c]] += shown[c];
  // Palette order: most frequent first.
  std::vector<std::size_t> order(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key_count[a] > key_count[b]; });
  std::vector<Rgba> colour_of_key(keys.size(), Rgba{150, 150, 150, 255});
  std::size_t other = 0;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const std::size_t k = order[r];
    if (key_count[k] == 0) continue;
    if (r < kCategoricalColours) {
      colour_of_key[k] = categorical_colour(r);
      p.legend.push_back({colour_of_key[k], keys[k], key_count[k], static_cast<int>(k)});
    } else {
      other += key_count[k];
    }
  }
  if (other > 0) p.legend.push_back({Rgba{150, 150, 150, 255}, "Other", other, -1});
  for (std::size_t c = 0; c < ncat; ++c) p.colours[c] = colour_of_key[key_of[c]].packed();
}

}  // namespace

const LayerPaint& paint(AppState& s, const Layer& layer, const MapView& view, int slot) {
  const LayerStyle& st = layer.style;
  const bool windowed = layer.kind == LayerKind::vector && !st.field.empty() && is_windowed_field(s, layer, st.field);
  const bool is_incidents = layer.id == s.incidents_layer && s.incidents;
  uint64_t key = mix_hash(layer.id, layer.style_version);
  key = mix_hash(key, layer.geometry_version);
  key = mix_hash(key, s.colour_blind ? 1 : 0);
  key = mix_hash(key, static_cast<uint64_t>(view.role));
  if (windowed || is_incidents) {
    key = mix_hash(key, hash_range(view.window));
    key = mix_hash(key, hash_range(view.base));
    key = mix_hash(key, s.filter_version);
    key = mix_hash(key, s.compare.version);
    key = mix_hash(key, static_cast<uint64_t>(s.compare.mode));
  }
  LayerPaint& p = s.paints[{layer.id, slot}];
  if (p.key == key && key != 0) return p;
  p = LayerPaint{};
  p.key = key;
  p.version = ++s.paint_counter;
  p.windowed = windowed;

  if (is_incidents) {
    paint_incidents(s, layer, view, p);
    return p;
  }
  const Ramp ramp = effective_ramp(s, st.ramp);
  // Rasters: a colour per cell; no data and values <= 0 (no density) are transparent.
  if (layer.kind == LayerKind::raster) {
    const auto& g = *layer.raster;
    std::vector<double> positive;
    positive.reserve(g.values.size());
    for (const float v : g.values)
      if (std::isfinite(v) && v > 0) positive.push_back(static_cast<double>(v));
    NumericClassOptions o;
    o.method = st.method == ClassMethod::quantile || st.method == ClassMethod::natural_breaks ||
                       st.method == ClassMethod::equal_interval
                   ? st.method
                   : ClassMethod::equal_interval;
    o.classes = st.classes;
    o.ramp = ramp;
    o.reverse = st.reverse;
    p.classes = classify_numeric(positive, o);
    p.colours.resize(g.values.size());
    for (std::size_t i = 0; i < g.values.size(); ++i) {
      const auto v = static_cast<double>(g.values[i]);
      p.colours[i] = std::isfinite(v) && v > 0 ? p.classes.colour_of(v).packed() : 0u;
    }
    p.legend = legend_rows(p.classes, positive);
    p.title = g.description;
    p.subtitle = std::string(class_method_name(o.method)) + ", " + std::to_string(p.classes.class_count()) + " classes";
    return p;
  }
  const auto& fs = *layer.features;
  const std::size_t n = fs.size();
  const int fi = st.field.empty() ? -1 : fs.field_index(st.field);
  const bool virtual_field = windowed && fi < 0;
  const bool numeric_field = virtual_field || (fi >= 0 && fs.fields[static_cast<std::size_t>(fi)].is_numeric());

  if (st.field.empty() || st.method == ClassMethod::single || (fi < 0 && !virtual_field)) {
    p.classes.method = ClassMethod::single;
    p.classes.colours = {st.fill};
    p.classes.labels = {layer.name};
    p.colours.assign(n, st.fill.packed());
    p.legend.push_back({st.fill, layer.name, n, 0});
    p.title = layer.name;
    return p;
  }
  std::string window_text;
  if (windowed) window_text = view.role == ViewRole::difference ? view.title : format_month_range(view.window);

  if (numeric_field && is_numeric_method(st.method)) {
    const bool integers = windowed && !st.per_km2;
    if (view.role == ViewRole::difference && windowed) {
      const std::vector<double> after = field_values(s, layer, st.field, view.window, st.per_km2);
      const std::vector<double> before = field_values(s, layer, st.field, view.base, st.per_km2);
      p.values.resize(n);
      for (std::size_t f = 0; f < n; ++f) p.values[f] = after[f] - before[f];
      p.classes = diverging_classes(p.values, effective_ramp(s, Ramp::rd_bu), integers);
      p.title = "Change in " + human_field(s, layer, st.field) + (st.per_km2 ? " per km\u00b2" : "");
      p.subtitle = "after \u2212 before; red = more, blue = fewer";
    } else {
      p.values = field_values(s, layer, st.field, view.window, st.per_km2);
      if (st.method == ClassMethod::gi_bins) {
        p.classes = gi_bin_classes(s.colour_blind);
      } else {
        // Breaks: from this window; over both windows in side-by-side compare (so both
        // maps share one legend); or over the whole study period when asked.
        std::vector<double> basis = p.values;
        if (windowed && (s.compare.mode == CompareMode::side_by_side || s.compare.mode == CompareMode::swipe)) {
          const MonthRange other = view.role == ViewRole::before ? s.compare.after() : s.compare.before();
          const std::vector<double> o = field_values(s, layer, st.field, other, st.per_km2);
          basis.insert(basis.end(), o.begin(), o.end());
        } else if (windowed && st.breaks_over_period) {
          // Monthly averages over the period, scaled to the window's length.
          const MonthRange period = data_period(s);
          basis = field_values(s, layer, st.field, period, st.per_km2);
          const double scale = static_cast<double>(view.window.months()) / std::max(1, period.months());
          for (double& b : basis) b *= scale;
        }
        NumericClassOptions o;
        o.method = st.method;
        o.classes = st.classes;
        o.ramp = ramp;
        o.reverse = st.reverse;
        o.integers = integers;
        p.classes = classify_numeric(basis, o);
      }
      p.title = human_field(s, layer, st.field) + (st.per_km2 ? " per km\u00b2" : "");
      std::string how = st.method == ClassMethod::gi_bins ? std::string("Getis-Ord Gi*")
                                                           : std::string(class_method_name(st.method)) + ", " +
                                                                 std::to_string(p.classes.class_count()) + " classes";
      if (st.method == ClassMethod::natural_breaks) how = "natural breaks, " + std::to_string(p.classes.class_count()) + " classes";
      if (st.method == ClassMethod::equal_interval) how = "equal interval, " + std::to_string(p.classes.class_count()) + " classes";
      p.subtitle = how;
    }
    if (!window_text.empty() && view.role != ViewRole::difference) p.title += ", " + window_text;
    p.colours.resize(n);
    for (std::size_t f = 0; f < n; ++f) p.colours[f] = p.classes.colour_of(p.values[f]).packed();
    p.legend = legend_rows(p.classes, p.values);
    return p;
  }
  // Text fields: EHSA categories or categorical.
  if (fi < 0) return p;
  const auto& col = fs.fields[static_cast<std::size_t>(fi)];
  if (col.is_numeric()) {
    // Categorical colouring of numeric codes: use their text.
    std::vector<std::string> dict;
    std::vector<uint32_t> codes(n, layers::FieldColumn::kNull);
    std::map<std::string, uint32_t> seen;
    for (std::size_t f = 0; f < n; ++f) {
      if (col.is_null(f)) continue;
      auto [it, ins] = seen.try_emplace(col.text(f), static_cast<uint32_t>(dict.size()));
      if (ins) dict.push_back(it->first);
      codes[f] = it->second;
    }
    p.classes = classify_categories(dict, codes);
    p.colours.resize(n);
    for (std::size_t f = 0; f < n; ++f)
      p.colours[f] = codes[f] == layers::FieldColumn::kNull ? p.classes.no_data.packed() : p.classes.colour_of(dict[codes[f]]).packed();
    p.legend = legend_rows(p.classes, dict, codes);
  } else {
    p.classes = st.method == ClassMethod::ehsa ? ehsa_classes() : classify_categories(col.dictionary, col.codes);
    std::vector<uint32_t> colour_of_code(col.dictionary.size());
    for (std::size_t k = 0; k < col.dictionary.size(); ++k) colour_of_code[k] = p.classes.colour_of(col.dictionary[k]).packed();
    p.colours.resize(n);
    for (std::size_t f = 0; f < n; ++f)
      p.colours[f] = col.codes[f] == layers::FieldColumn::kNull ? p.classes.no_data.packed() : colour_of_code[col.codes[f]];
    p.legend = legend_rows(p.classes, col.dictionary, col.codes);
    if (st.method == ClassMethod::ehsa) {
      // Only the categories present, so the legend stays short.
      std::erase_if(p.legend, [](const LegendRow& r) { return r.count == 0; });
    }
  }
  p.title = st.method == ClassMethod::ehsa ? "Emerging hot spots" : human_field(s, layer, st.field);
  p.subtitle = st.method == ClassMethod::ehsa ? "Esri categories (" + st.field + ")" : "categories";
  return p;
}

// [SECTION] camera --------------------------------------------------------------------

void fit_to(AppState& s, const core::Box& box, bool animate) {
  if (box.min_corner().x() > box.max_corner().x()) return;
  if (s.camera.width_px <= 1 || s.camera.height_px <= 1) {
    s.pending_fit = box;
    return;
  }
  Camera target = s.camera;
  target.fit_beside_legend(box, 36, s.legend_px[0] + 12, s.legend_px[1] + 12);
  if (animate) {
    s.fly = {true, s.camera, target, s.now_s, 0.6};
  } else {
    s.fly.active = false;
    s.camera = target;
  }
}

void update_fly(AppState& s, double now_s) {
  if (s.pending_fit && s.camera.width_px > 1 && s.legend_measured) {
    const core::Box b = *s.pending_fit;
    s.pending_fit.reset();
    fit_to(s, b, false);
  }
  if (!s.fly.active) return;
  const double t = (now_s - s.fly.start_s) / s.fly.duration_s;
  Camera c = interpolate(s.fly.from, s.fly.to, t);
  c.set_viewport(s.camera.width_px, s.camera.height_px);
  s.camera = c;
  if (t >= 1) s.fly.active = false;
}

// [SECTION] hit tests -----------------------------------------------------------------

namespace {

bool small_point_layer(const Layer& l) { return l.is_point() && l.features->size() <= 20000; }

std::optional<uint32_t> nearest_feature_point(const Layer& l, WorldPoint w, double radius_m) {
  const auto& fs = *l.features;
  std::optional<uint32_t> best;
  double best_d2 = radius_m * radius_m;
  for (std::size_t f = 0; f < fs.size(); ++f) {
    if (fs.feature_class[f] != layers::GeometryClass::point) continue;
    const uint32_t v = fs.ring_offsets[fs.part_offsets[fs.feature_offsets[f]]];
    const double dx = fs.x_m[v] - w.x_m, dy = fs.y_m[v] - w.y_m;
    const double d2 = dx * dx + dy * dy;
    if (d2 <= best_d2) {
      best_d2 = d2;
      best = static_cast<uint32_t>(f);
    }
  }
  return best;
}

}  // namespace

Hit hit_test(AppState& s, const Camera& cam, const MapView& view, ScreenPoint p) {
  const WorldPoint w = cam.to_world(p);
  for (auto it = s.layers.rbegin(); it != s.layers.rend(); ++it) {
    const Layer& l = *it;
    if (!l.visible || l.kind != LayerKind::vector) continue;
    if (l.id == s.incidents_layer && s.incidents) {
      if (!s.incident_grid)
        s.incident_grid = std::make_unique<PointGrid>(s.incidents->table.x_m(), s.incidents->table.y_m(), 50.0);
      const auto month = s.incidents->table.month();
      const auto cat = s.incidents->table.category();
      const double r = (l.style.point_radius_px + 3) * cam.m_per_px;
      auto hit = s.incident_grid->nearest(w.x_m, w.y_m, r, [&](uint32_t i) {
        return view.window.contains(month[i]) && s.categories.allows(cat[i]);
      });
      if (hit) return {l.id, *hit, true};
      continue;
    }
    if (small_point_layer(l)) {
      if (auto f = nearest_feature_point(l, w, (l.style.point_radius_px + 3) * cam.m_per_px)) return {l.id, *f, false};
      continue;
    }
    if (l.is_polygon() && l.areas && l.style.fill_on) {
      const uint32_t a = l.areas->locate(w.x_m, w.y_m);
      if (a != core::AreaSet::kNone) return {l.id, a, false};
    }
  }
  for (auto it = s.layers.rbegin(); it != s.layers.rend(); ++it) {
    const Layer& l = *it;
    if (!l.visible || !l.is_polygon() || !l.areas || l.style.fill_on) continue;
    const uint32_t a = l.areas->locate(w.x_m, w.y_m);
    if (a != core::AreaSet::kNone) return {l.id, a, false};
  }
  return {};
}

std::vector<uint32_t> features_in_box(AppState&, const Layer& layer, const core::Box& box) {
  std::vector<uint32_t> out;
  if (!layer.features) return out;
  const auto& fs = *layer.features;
  auto inside = [&](double x, double y) {
    return x >= box.min_corner().x() && x <= box.max_corner().x() && y >= box.min_corner().y() &&
           y <= box.max_corner().y();
  };
  for (std::size_t f = 0; f < fs.size(); ++f) {
    double x = (fs.bbox[4 * f] + fs.bbox[4 * f + 2]) * 0.5, y = (fs.bbox[4 * f + 1] + fs.bbox[4 * f + 3]) * 0.5;
    if (layer.label_points && f < layer.label_points->size() && std::isfinite((*layer.label_points)[f].x_m)) {
      x = (*layer.label_points)[f].x_m;
      y = (*layer.label_points)[f].y_m;
    }
    if (inside(x, y)) out.push_back(static_cast<uint32_t>(f));
  }
  return out;
}

std::optional<uint32_t> find_feature(const Layer& layer, std::string_view value) {
  if (!layer.features) return std::nullopt;
  const auto& fs = *layer.features;
  if (!value.empty() && value.front() == '#') {
    const std::string num(value.substr(1));
    for (std::size_t f = 0; f < fs.size(); ++f)
      if (std::to_string(fs.fid[f]) == num) return static_cast<uint32_t>(f);
  }
  for (const char* key : {"code", "name", "id", "NAME", "CODE"}) {
    const int i = fs.field_index(key);
    if (i < 0) continue;
    const auto& col = fs.fields[static_cast<std::size_t>(i)];
    for (std::size_t f = 0; f < fs.size(); ++f)
      if (col.text(f) == value) return static_cast<uint32_t>(f);
  }
  return std::nullopt;
}

std::optional<RankedPlace> ranked_place(const AppState& s, const Layer& l, uint32_t f) {
  if (!l.features || f >= l.features->size()) return std::nullopt;
  auto rank_of = [](const Layer& t, std::size_t r) {
    const int i = t.features->field_index("rank");
    return i >= 0 && t.features->fields[static_cast<std::size_t>(i)].is_numeric()
               ? t.features->fields[static_cast<std::size_t>(i)].number(r)
               : kNaN;
  };
  if (l.features->field_index("rank") >= 0) {
    const double r = rank_of(l, f);
    if (!std::isfinite(r)) return std::nullopt;
    return RankedPlace{&l, f, r, l.features->size()};
  }
  const std::string code = l.features->field_index("code") >= 0 ? l.field_text("code", f) : std::string();
  const auto& bb = l.features->bbox;
  auto same_area = [&](const Layer& t, std::size_t r) {
    if (!code.empty() && t.features->field_index("id") >= 0) return t.field_text("id", r) == code;
    const auto& tb = t.features->bbox;
    for (std::size_t k = 0; k < 4; ++k)
      if (!(std::abs(tb[4 * r + k] - bb[4 * f + k]) <= 0.5)) return false;
    return true;
  };
  for (const Layer& t : s.layers) {
    if (t.role != LayerRole::targets || !t.features || &t == &l) continue;
    for (std::size_t r = 0; r < t.features->size(); ++r)
      if (same_area(t, r)) {
        const double rank = rank_of(t, r);
        if (std::isfinite(rank)) return RankedPlace{&t, r, rank, t.features->size()};
      }
  }
  return std::nullopt;
}

// [SECTION] summary ------------------------------------------------------------------

const WindowSummary& window_summary(AppState& s) {
  WindowSummary& w = s.summary;
  const uint64_t key = mix_hash(s.filter_version, s.incidents_layer);
  if (w.key == key || !s.incidents) return w;
  w.key = key;
  const auto& t = s.incidents->table;
  w.monthly = monthly_totals(t, s.incidents->period, s.categories);
  w.by_category.assign(s.incidents->taxonomy.size(), 0);
  w.in_window = 0;
  const auto month = t.month();
  const auto cat = t.category();
  for (std::size_t i = 0; i < t.size(); ++i)
    if (s.window.contains(month[i])) {
      ++w.by_category[cat[i]];
      if (s.categories.allows(cat[i])) ++w.in_window;
    }
  return w;
}

}  // namespace hotspot::viewer
