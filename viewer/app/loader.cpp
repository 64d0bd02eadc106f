// [SECTION] reading: vector layers, raster tables, study.toml (run or reuse), interventions
// [SECTION] the worker thread: load_now, Loader
// [SECTION] default styles: roles and styles from geometry and field names
#include "viewer/app/loader.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <variant>

#include "core/base/error.hpp"
#include "layers/io/ingest.hpp"
#include "layers/io/intervention_reader.hpp"
#include "layers/study/evaluate_study.hpp"
#include "layers/study/run.hpp"
#include "layers/study/study.hpp"

namespace hotspot::viewer {

namespace fs = std::filesystem;

namespace {

bool has_ext(const fs::path& p, std::initializer_list<const char*> exts) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* x : exts)
    if (e == x) return true;
  return false;
}

bool is_raster_path(const fs::path& p) { return has_ext(p, {".tif", ".tiff", ".asc", ".img", ".vrt", ".nc"}); }

// [SECTION] reading -------------------------------------------------------------------

// Completes a polygon/line/point layer with what the UI needs (AreaSet, label points).
void prepare_vector(Layer& layer) {
  const auto& fs = *layer.features;
  layer.typical_size_m = typical_feature_size(fs);
  if (fs.geometry == layers::GeometryClass::line) layer.mesh = std::make_shared<PolygonMesh>(line_mesh(fs));
  if (fs.geometry != layers::GeometryClass::polygon) return;
  layer.mesh = std::make_shared<PolygonMesh>(triangulate_polygons(fs));
  if (auto g = detect_regular_grid(fs)) layer.grid = std::make_shared<RegularGrid>(std::move(*g));
  auto areas = std::make_shared<core::AreaSet>();
  auto labels = std::make_shared<std::vector<WorldPoint>>();
  labels->reserve(fs.size());
  const int code = fs.field_index("code");
  const int name = fs.field_index("name");
  // Label points only for layers small enough to label (wards, LSOAs), not grids.
  const bool want_labels = fs.size() <= 5000;
  for (std::size_t f = 0; f < fs.size(); ++f) {
    core::MultiPolygon mp = fs.polygons(f);
    if (want_labels)
      labels->push_back(label_point(mp));
    std::string c = code >= 0 ? fs.fields[static_cast<std::size_t>(code)].text(f) : std::to_string(fs.fid[f]);
    std::string n = name >= 0 ? fs.fields[static_cast<std::size_t>(name)].text(f) : std::string();
    areas->add(std::move(c), std::move(n), std::move(mp));
  }
  areas->build();
  layer.areas = std::move(areas);
  if (want_labels) layer.label_points = std::move(labels);
}

std::optional<RejectsTable> read_rejects(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  RejectsTable t;
  t.path = path;
  const layers::FeatureSet fs = layers::read_features(path.string(), {});
  for (const auto& f : fs.fields) t.columns.push_back(f.name);
  t.total_rows = fs.size();
  const std::size_t n = std::min(fs.size(), RejectsTable::kMaxRows);
  t.rows.reserve(n);
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<std::string> row;
    for (const auto& f : fs.fields) row.push_back(f.text(r));
    t.rows.push_back(std::move(row));
  }
  return t;
}

void load_vector(const LoadRequest& req, const fs::path& path, LoadResult& out,
                 const std::function<void(const std::string&)>& progress) {
  const layers::DatasetInfo info = layers::describe_dataset(path.string());
  std::vector<std::string> names;
  for (const auto& l : info.layers)
    if (req.layer.empty() || l.name == req.layer) names.push_back(l.name);
  bool raster_asked = false;
  for (const auto& [source, desc] : info.raster_subdatasets)
    raster_asked = raster_asked || source.substr(source.find_last_of(':') + 1) == req.layer;
  if (!req.layer.empty() && names.empty() && !raster_asked) {
    std::string known;
    for (const auto& l : info.layers) known += (known.empty() ? "" : ", ") + l.name;
    for (const auto& r : info.raster_subdatasets)
      known += (known.empty() ? "" : ", ") + r.first.substr(r.first.find_last_of(':') + 1);
    throw UsageError(path.string() + ": no layer '" + req.layer + "'; available layers: " + known);
  }
  std::size_t k = 0;
  for (const auto& name : names) {
    ++k;
    const auto it = std::find_if(info.layers.begin(), info.layers.end(), [&](const auto& l) { return l.name == name; });
    if (it->geometry == layers::GeometryClass::none) {
      out.info.push_back(path.filename().string() + ": '" + name + "' is a table (" +
                         std::to_string(it->feature_count) + " rows), not drawn");
      continue;
    }
    progress("reading " + name + " (" + std::to_string(k) + "/" + std::to_string(names.size()) + ")");
    layers::FeatureReadOptions o;
    o.layer = name;
    auto fs = std::make_shared<layers::FeatureSet>(layers::read_features(path.string(), o));
    for (auto& w : fs->warnings) out.warnings.push_back(w);
    Layer layer;
    layer.name = name;
    layer.source = path.string();
    layer.kind = LayerKind::vector;
    if (looks_like_incidents(*fs) && !req.as_basemap && !out.incidents) {
      progress("indexing incidents");
      auto data = std::make_shared<IncidentData>(incidents_from_features(*fs));
      for (auto& w : data->warnings) out.warnings.push_back(w);
      out.incidents = std::move(data);
      out.incidents_layer = name;
    }
    layer.features = std::move(fs);
    progress("preparing " + name);
    prepare_vector(layer);
    apply_default_style(layer, req.as_basemap);
    if (layer.name == out.incidents_layer) layer.role = LayerRole::incidents;
    out.layers.push_back(std::move(layer));
  }
  // Raster tables beside the vector layers (KDE surfaces in a study.gpkg): every
  // subdataset, or the dataset's own raster when it holds just one.
  std::vector<std::pair<std::string, std::string>> rasters = info.raster_subdatasets;
  if (rasters.empty() && info.raster_bands > 0) rasters.emplace_back(path.string(), "");
  for (const auto& [source, desc] : rasters) {
    std::string name = source.substr(source.find_last_of(':') + 1);
    if (source == path.string()) name = path.stem().string() + "_raster";
    if (!req.layer.empty() && name != req.layer) continue;
    progress("reading raster " + name);
    auto grid = std::make_shared<layers::RasterGrid>(layers::read_raster(source, {}));
    for (auto& w : grid->warnings) out.warnings.push_back(w);
    if (grid->description == "Height" || grid->description.empty()) grid->description = name;  // GPKG's generic band name
    Layer layer;
    layer.name = name;
    layer.source = source;
    layer.kind = LayerKind::raster;
    layer.raster = std::move(grid);
    apply_default_style(layer, req.as_basemap);
    out.layers.push_back(std::move(layer));
  }
  out.info.push_back(path.filename().string() + ": " + std::to_string(out.layers.size()) + " map layer(s)");
}

// A raster file (a KDE GeoTIFF) as a layer, its reader's warnings passed on.
void add_raster(const fs::path& path, bool as_basemap, LoadResult& out,
                const std::function<void(const std::string&)>& progress) {
  progress("reading raster " + path.filename().string());
  auto grid = std::make_shared<layers::RasterGrid>(layers::read_raster(path.string(), {}));
  for (auto& w : grid->warnings) out.warnings.push_back(w);
  Layer layer;
  layer.name = path.stem().string();
  layer.source = path.string();
  layer.kind = LayerKind::raster;
  layer.raster = std::move(grid);
  apply_default_style(layer, as_basemap);
  out.layers.push_back(std::move(layer));
}

// The study's interventions ([evaluate] interventions = ...) as a map layer, for a
// study.gpkg that does not carry them: read with the same reader and settings as
// `hotspot evaluate` (types, radii and buffers resolved per site), so the symbols,
// rings and Compare use what the evaluation used.
std::optional<Layer> study_interventions(const layers::Study& study) {
  if (!study.evaluate || study.evaluate->interventions.empty()) return std::nullopt;
  const core::Taxonomy tax = study.taxonomy();
  const layers::InterventionReadResult read =
      layers::read_interventions(study.evaluate->interventions, tax, {.layer = study.evaluate->layer, .crs = study.evaluate->crs});
  const core::EvaluationSettings settings = layers::evaluation_settings(study, tax);
  auto fs = std::make_shared<layers::FeatureSet>();
  fs->source = study.evaluate->interventions.string();
  fs->layer = "interventions";
  fs->warnings = read.warnings;
  auto text_field = [&](const char* name) {
    layers::FieldColumn c;
    c.name = name;
    c.kind = layers::FieldKind::text;
    fs->fields.push_back(std::move(c));
  };
  for (const char* name : {"id", "type", "name", "start", "scheme", "categories"}) text_field(name);
  for (const char* name : {"radius_m", "buffer_m"}) {
    layers::FieldColumn c;
    c.name = name;
    c.kind = layers::FieldKind::real;
    fs->fields.push_back(std::move(c));
  }
  auto set_text = [](layers::FieldColumn& c, const std::string& v) {
    if (v.empty()) {
      c.codes.push_back(layers::FieldColumn::kNull);
      return;
    }
    const auto it = std::find(c.dictionary.begin(), c.dictionary.end(), v);
    c.codes.push_back(static_cast<uint32_t>(it - c.dictionary.begin()));
    if (it == c.dictionary.end()) c.dictionary.push_back(v);
  };
  int64_t fid = 0;
  std::size_t points = 0, polygons = 0;
  for (const core::Intervention& iv : read.interventions) {
    ++fid;
    if (const auto* mp = std::get_if<core::MultiPoint>(&iv.geometry)) {
      ++points;
      fs->begin_feature(layers::GeometryClass::point, fid);
      for (const auto& p : *mp) {
        fs->add_part();
        fs->add_ring();
        fs->add_vertex(p.x(), p.y());
      }
    } else if (const auto* ml = std::get_if<core::MultiLineString>(&iv.geometry)) {
      fs->begin_feature(layers::GeometryClass::line, fid);
      for (const auto& line : *ml) {
        fs->add_part();
        fs->add_ring();
        for (const auto& p : line) fs->add_vertex(p.x(), p.y());
      }
    } else if (const auto* mpoly = std::get_if<core::MultiPolygon>(&iv.geometry)) {
      ++polygons;
      fs->begin_feature(layers::GeometryClass::polygon, fid);
      for (const auto& poly : *mpoly) {
        fs->add_part();
        fs->add_ring();
        for (const auto& p : poly.outer()) fs->add_vertex(p.x(), p.y());
        for (const auto& inner : poly.inners()) {
          fs->add_ring();
          for (const auto& p : inner) fs->add_vertex(p.x(), p.y());
        }
      }
    }
    const auto t = static_cast<std::size_t>(iv.type);
    std::string cats;
    for (core::CategoryId c : iv.categories.empty() ? settings.categories[t] : iv.categories)
      cats += (cats.empty() ? "" : ";") + tax.get(c).name;
    set_text(fs->fields[0], iv.id);
    set_text(fs->fields[1], core::type_label(iv.type));
    set_text(fs->fields[2], iv.name);
    set_text(fs->fields[3], iv.start_day != core::kNoDay ? core::format_day(iv.start_day) : core::format_month(iv.start_month));
    set_text(fs->fields[4], iv.scheme);
    set_text(fs->fields[5], cats);
    fs->fields[6].numbers.push_back(iv.radius_m.value_or(settings.radius_m[t]));
    fs->fields[7].numbers.push_back(iv.buffer_m.value_or(settings.buffer_m));
  }
  fs->finish();
  if (fs->empty()) return std::nullopt;
  fs->geometry = points >= polygons ? layers::GeometryClass::point : layers::GeometryClass::polygon;
  Layer layer;
  layer.name = "interventions";
  layer.source = fs->source;
  layer.kind = LayerKind::vector;
  layer.features = std::move(fs);
  prepare_vector(layer);
  apply_default_style(layer, false);
  return layer;
}

fs::path run_or_reuse_study(const fs::path& toml, LoadResult& out, const std::function<void(const std::string&)>& progress,
                            std::optional<layers::Study>& study_out) {
  progress("reading the study file");
  const layers::Study& study = study_out.emplace(layers::load_study(toml));
  fs::path dir = study.output_dir.empty() ? study.dir / "out" : study.output_dir;
  const fs::path gpkg = dir / "study.gpkg";
  std::error_code ec;
  bool fresh = fs::exists(gpkg, ec);
  if (fresh) {
    const auto built = fs::last_write_time(gpkg, ec);
    fresh = !ec && fs::last_write_time(toml, ec) <= built;
    for (const auto& input : study.inputs) {
      if (!fresh) break;
      try {
        for (const auto& p : layers::expand_globs(input.paths))
          if (fs::last_write_time(p, ec) > built) fresh = false;
      } catch (const Error&) {
        fresh = false;
      }
    }
  }
  if (fresh) {
    out.info.push_back(toml.filename().string() + ": reusing " + gpkg.string() + " (newer than the study and its inputs)");
    return gpkg;
  }
  layers::RunOptions o;
  o.out = dir;
  o.on_stage = [&](const std::string& stage) { progress("hotspot run: " + stage); };
  const layers::RunResult r = layers::run_study(study, o);
  for (const auto& w : r.warnings) out.warnings.push_back(w);
  out.info.push_back(toml.filename().string() + ": ran the study into " + dir.string());
  return gpkg;
}

}  // namespace

// [SECTION] the worker thread ----------------------------------------------------------

LoadResult load_now(const LoadRequest& request, const std::function<void(const std::string&)>& progress_or_null) {
  const std::function<void(const std::string&)> progress =
      progress_or_null ? progress_or_null : [](const std::string&) {};
  const auto t0 = std::chrono::steady_clock::now();
  LoadResult out;
  out.request = request;
  try {
    fs::path path = request.path;
    std::error_code ec;
    if (!fs::exists(path, ec)) throw IoError(path.string() + ": no such file");
    std::optional<layers::Study> study;
    if (has_ext(path, {".toml"})) path = run_or_reuse_study(path, out, progress, study);
    if (is_raster_path(path)) {
      add_raster(path, request.as_basemap, out, progress);
      out.info.push_back(path.filename().string() + ": raster " + std::to_string(out.layers.back().raster->width) +
                         " x " + std::to_string(out.layers.back().raster->height));
    } else {
      load_vector(request, path, out, progress);
    }
    const bool has_interventions = std::any_of(out.layers.begin(), out.layers.end(),
                                               [](const Layer& l) { return l.role == LayerRole::interventions; });
    if (study && !has_interventions) {
      progress("reading the study's interventions");
      try {
        if (auto l = study_interventions(*study)) {
          out.info.push_back(l->features->source + ": " + std::to_string(l->features->size()) + " interventions");
          for (const auto& w : l->features->warnings) out.warnings.push_back(w);
          out.layers.push_back(std::move(*l));
        }
      } catch (const Error& e) {
        out.warnings.push_back(std::string("interventions: ") + e.what());
      }
    }
    if (path.filename() == "study.gpkg" && request.layer.empty()) {
      // Density surfaces `hotspot run` writes beside the GeoPackage (kde.tif, kde_*.tif).
      std::vector<fs::path> surfaces;
      for (const auto& entry : fs::directory_iterator(path.parent_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file(ec) && name.rfind("kde", 0) == 0 && is_raster_path(entry.path()))
          surfaces.push_back(entry.path());
      }
      std::sort(surfaces.begin(), surfaces.end());
      for (const auto& tif : surfaces) {
        try {
          add_raster(tif, false, out, progress);
        } catch (const Error& e) {
          out.warnings.push_back(e.what());
        }
      }
      const fs::path eval = path.parent_path() / "evaluation.json";
      if (fs::exists(eval, ec)) {
        out.evaluation = read_evaluation_json(eval);
        if (!out.evaluation->error.empty()) out.warnings.push_back(out.evaluation->error);
      }
      // Opened through its study.toml with no evaluation.json yet: the [evaluate]
      // settings come from the study file itself (Compare uses them).
      if (study && study->evaluate && (!out.evaluation || !out.evaluation->settings)) {
        if (!out.evaluation) out.evaluation.emplace();
        out.evaluation->settings = layers::evaluation_settings(*study, study->taxonomy());
        out.evaluation->control = study->evaluate->control;
      }
      progress("reading rejects.csv");
      try {
        out.rejects = read_rejects(path.parent_path() / "rejects.csv");
      } catch (const Error& e) {
        out.warnings.push_back(std::string("rejects.csv: ") + e.what());
      }
    }
    // One picture at a time: when the load has a ward/area choropleth, the other
    // fills (grids, hot spots, targets, density, evaluation areas) start hidden; they
    // are one click away in the layers panel. A file of one kind shows as it is.
    const bool has_choropleth = std::any_of(out.layers.begin(), out.layers.end(), [](const Layer& l) {
      return l.role == LayerRole::area_counts && l.visible && l.style.fill_on;
    });
    if (has_choropleth && !request.as_basemap)
      for (Layer& l : out.layers) {
        const bool fill = l.kind == LayerKind::raster || (l.is_polygon() && l.style.fill_on);
        if (fill && l.role != LayerRole::area_counts) l.visible = false;
      }
  } catch (const std::exception& e) {
    out.error = e.what();
    out.layers.clear();
    out.incidents.reset();
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

Loader::~Loader() { join(); }

void Loader::join() {
  if (m_thread.joinable()) m_thread.join();
}

void Loader::start(LoadRequest request) {
  join();
  m_busy = true;
  m_done = false;
  m_thread = std::thread([this, req = std::move(request)] {
    LoadResult r = load_now(req, [this](const std::string& p) {
      std::lock_guard lock(m_mutex);
      m_progress = p;
    });
    {
      std::lock_guard lock(m_mutex);
      m_result = std::move(r);
      m_progress.clear();
    }
    m_done = true;
  });
}

std::optional<LoadResult> Loader::poll() {
  if (!m_done.load()) return std::nullopt;
  join();
  std::optional<LoadResult> r;
  {
    std::lock_guard lock(m_mutex);
    r = std::move(m_result);
    m_result.reset();
  }
  m_done = false;
  m_busy = false;
  return r;
}

std::string Loader::progress() const {
  std::lock_guard lock(m_mutex);
  return m_progress;
}

// [SECTION] default styles ---------------------------------------------------------

namespace {

bool has_field(const layers::FeatureSet& fs, const char* name) { return fs.field_index(name) >= 0; }

// A text field whose values are Esri emerging hot spot category names.
int ehsa_field(const layers::FeatureSet& fs) {
  for (std::size_t i = 0; i < fs.fields.size(); ++i) {
    const auto& col = fs.fields[i];
    if (col.is_numeric()) continue;
    for (const auto& v : col.dictionary)
      for (auto name : ehsa_category_names())
        if (v == name) return static_cast<int>(i);
  }
  return -1;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

void apply_default_style(Layer& layer, bool as_basemap) {
  LayerStyle& s = layer.style;
  if (layer.kind == LayerKind::raster) {
    layer.role = LayerRole::density;
    s.field = "value";
    s.method = ClassMethod::equal_interval;
    s.classes = 7;
    s.ramp = Ramp::yl_or_rd;
    s.opacity = 0.75;
    return;
  }
  const auto& fs = *layer.features;
  if (as_basemap) {
    layer.role = LayerRole::basemap;
    s.method = ClassMethod::single;
    s.fill = {235, 235, 230, 255};
    s.fill_on = fs.geometry == layers::GeometryClass::polygon;
    s.outline = {150, 150, 150, 255};
    s.opacity = 1.0;
    return;
  }
  if (fs.geometry == layers::GeometryClass::point) {
    if (looks_like_incidents(fs)) {
      layer.role = LayerRole::incidents;
      // Dark stipple: reads as density over any choropleth without hiding its colours.
      s.colouring = PointColouring::single;
      s.fill = hex("252525");
      // Lighter as they get denser, so the choropleth underneath stays readable.
      s.point_radius_px = fs.size() > 20000 ? 1.2 : 1.5;
      s.opacity = fs.size() > 200000 ? 0.25 : fs.size() > 20000 ? 0.3 : 0.4;
      return;
    }
    if (has_field(fs, "type") && (has_field(fs, "start") || has_field(fs, "go_live"))) {
      layer.role = LayerRole::interventions;
      s.field = fs.fields[static_cast<std::size_t>(fs.field_index("type"))].name;
      s.method = ClassMethod::categorical;
      s.point_radius_px = 7;
      s.opacity = 1.0;
      s.label_field = has_field(fs, "name") ? "name" : "";
      s.ring_target_m = 250;
      s.ring_buffer_m = 250;
      return;
    }
    if (has_field(fs, "rank")) {
      layer.role = LayerRole::targets;
      s.point_radius_px = 6;
    }
    s.fill = hex("0072B2");
    s.point_radius_px = std::max(s.point_radius_px, 4.0);
    s.opacity = 1.0;
    return;
  }
  if (fs.geometry == layers::GeometryClass::line) {
    layer.role = LayerRole::basemap;
    s.outline = {120, 120, 120, 255};
    s.fill_on = false;
    s.opacity = 0.8;
    return;
  }
  // Polygons.
  s.outline = {80, 80, 80, 255};
  // Ranked targets first: they also carry Gi* bins and emerging categories (gi_bin,
  // emerging) as reasons, but their meaning is the rank.
  if (has_field(fs, "rank")) {
    layer.role = LayerRole::targets;
    s.field = fs.fields[static_cast<std::size_t>(fs.field_index("rank"))].name;
    s.method = ClassMethod::quantile;
    s.ramp = Ramp::purples;
    s.reverse = true;
    s.opacity = 0.8;
    return;
  }
  // A layer named for emerging hot spots is coloured by its category even when it
  // also carries the Gi* bin of the whole period.
  if (const int i = ehsa_field(fs); i >= 0 && contains(layer.name, "emerging")) {
    layer.role = LayerRole::hotspot_grid;
    s.field = fs.fields[static_cast<std::size_t>(i)].name;
    s.method = ClassMethod::ehsa;
    s.opacity = 0.85;
    s.outline_on = fs.size() < 1500;  // denser grids read better without cell edges
    s.outline = {150, 150, 150, 255};
    return;
  }
  if (const int i = fs.field_index("bin"); i >= 0 && fs.fields[static_cast<std::size_t>(i)].is_numeric()) {
    layer.role = LayerRole::hotspot_grid;
    s.field = fs.fields[static_cast<std::size_t>(i)].name;
    s.method = ClassMethod::gi_bins;
    s.opacity = 0.85;
    s.outline_on = fs.size() < 1500;  // denser grids read better without cell edges
    s.outline = {150, 150, 150, 255};
    return;
  }
  if (const int i = ehsa_field(fs); i >= 0) {
    layer.role = LayerRole::hotspot_grid;
    s.field = fs.fields[static_cast<std::size_t>(i)].name;
    s.method = ClassMethod::ehsa;
    s.opacity = 0.85;
    s.outline_on = fs.size() < 1500;  // denser grids read better without cell edges
    s.outline = {150, 150, 150, 255};
    return;
  }
  if (has_field(fs, "type") && (has_field(fs, "start") || has_field(fs, "go_live"))) {
    layer.role = LayerRole::interventions;
    s.fill_on = false;
    s.outline = hex("0072B2");
    s.opacity = 1.0;
    return;
  }
  if (has_field(fs, "total")) {
    layer.role = LayerRole::area_counts;
    if (fs.size() <= 1) {
      // A study boundary: its outline frames the map.
      s.fill_on = false;
      s.outline = {40, 40, 40, 255};
      s.opacity = 1.0;
      return;
    }
    s.field = "total";
    s.method = ClassMethod::quantile;
    s.classes = 5;
    s.ramp = Ramp::yl_or_rd;
    s.opacity = 0.8;
    s.outline = {255, 255, 255, 255};
    if (has_field(fs, "name") && fs.size() <= 60) s.label_field = "name";
    // One choropleth at a time: wards shown, finer layers (LSOAs) off by default.
    layer.visible = contains(layer.name, "ward") || (!contains(layer.name, "lsoa") && !contains(layer.name, "oa_"));
    return;
  }
  s.method = ClassMethod::single;
  s.fill = {200, 200, 200, 255};
  s.opacity = 0.5;
  if (fs.size() > 20000) s.outline_on = false;
}

int default_draw_rank(const Layer& layer) {
  switch (layer.role) {
    case LayerRole::basemap: return 0;
    case LayerRole::density: return 3;
    case LayerRole::hotspot_grid: return 2;
    case LayerRole::area_counts: return layer.style.fill_on ? 1 : 7;
    case LayerRole::incidents: return 6;
    case LayerRole::targets: return 8;
    case LayerRole::interventions: return 9;
    case LayerRole::generic:
      if (layer.is_point()) return 8;
      if (layer.is_line()) return 5;
      return 4;
  }
  return 4;
}

}  // namespace hotspot::viewer
