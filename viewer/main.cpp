// hotspot-viewer: the map viewer. main() is the only place that exits (STYLE.md 4).
//
//   hotspot-viewer [FILE...]                      open a study.gpkg, study.toml, any OGR/GDAL file
//   hotspot-viewer FILE --screenshot out.png [--size 1600x1000] [--script steps.txt] [--state-json s.json]
//   hotspot-viewer --bench [--bench-frames N] [--size WxH]
//
// Exit codes: 0 success, 1 runtime failure (no display, a file that cannot be read,
// a script step that fails), 2 bad usage (unknown option, a script that does not parse).
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "viewer/app/app_state.hpp"
#include "viewer/app/commands.hpp"
#include "viewer/app/script.hpp"
#include "viewer/panels/panels.hpp"
#include "viewer/platform/backend.hpp"
#include "viewer/platform/map_renderer.hpp"
#include "viewer/platform/png.hpp"

namespace fs = std::filesystem;
using namespace hotspot;
using namespace hotspot::viewer;

namespace {

struct Options {
  std::vector<std::string> files;
  std::string screenshot;
  std::string script;
  std::string state_json;
  int width = 1600, height = 1000;
  bool bench = false;
  int bench_frames = 600;
  std::string bench_json;
  std::string bench_trace;                   // per-frame CSV of the motion frames
  std::string bench_layers = "points,grid";  // which synthetic layers are shown
  bool bench_gpu_only = false;               // force instanced points and triangle meshes
  bool full_redraw = false;                  // redraw the whole window every frame (no damage tracking)
  bool capture_partial = false;              // tests: screenshots show what partial redraw left on screen
  double timeout_s = 180;
};

constexpr const char* kUsage =
    "usage: hotspot-viewer [FILE...] [--screenshot OUT.png] [--size WxH] [--script STEPS.txt]\n"
    "                      [--state-json OUT.json] [--timeout SECONDS] [--full-redraw] [--capture-partial]\n"
    "       hotspot-viewer --bench [--bench-frames N] [--bench-layers points,grid] [--bench-gpu-only]\n"
    "                      [--bench-json OUT.json] [--bench-trace FRAMES.csv] [--size WxH]\n"
    "FILE: a study.gpkg from `hotspot run`, a study .toml (run or reused), or any GeoPackage,\n"
    "GeoJSON, Shapefile, FlatGeobuf or GeoTIFF. Script language: see viewer/README.md.\n";

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw UsageError(a + " needs a value");
      return argv[++i];
    };
    if (a == "--screenshot") {
      o.screenshot = value();
    } else if (a == "--script") {
      o.script = value();
    } else if (a == "--state-json") {
      o.state_json = value();
    } else if (a == "--size") {
      const std::string v = value();
      if (std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 || o.height < 240 ||
          o.width > 8192 || o.height > 8192)
        throw UsageError("--size: expected WIDTHxHEIGHT (320x240 .. 8192x8192), not '" + v + "'");
    } else if (a == "--bench") {
      o.bench = true;
    } else if (a == "--bench-frames") {
      o.bench_frames = std::max(60, std::atoi(value().c_str()));
    } else if (a == "--bench-gpu-only") {
      o.bench_gpu_only = true;
    } else if (a == "--bench-layers") {
      o.bench_layers = value();
    } else if (a == "--bench-trace") {
      o.bench_trace = value();
    } else if (a == "--bench-json") {
      o.bench_json = value();
    } else if (a == "--full-redraw") {
      o.full_redraw = true;
    } else if (a == "--capture-partial") {
      o.capture_partial = true;
    } else if (a == "--timeout") {
      o.timeout_s = std::max(1.0, std::atof(value().c_str()));
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError("unknown option " + a);
    } else {
      o.files.push_back(a);
    }
  }
  return o;
}

double thread_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}
double process_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The frame loop's shared work: apply finished loads and dropped files, run the UI.
class App {
 public:
  App(Backend& backend, const Theme& theme, MapRenderer& renderer) : m_backend(backend), m_theme(theme), m_renderer(renderer) {}

  void frame(Pixels* capture) {
    // Script input: one synthetic frame per frame; afterwards the pointer rests where
    // the script left it (buttons up).
    if (!m_state.input_queue.empty()) {
      m_last_input = m_state.input_queue.front();
      m_state.input_queue.pop_front();
      m_backend.set_input(*m_last_input);
      m_last_input = InputFrame{m_last_input->x, m_last_input->y};
    } else if (m_last_input) {
      m_backend.set_input(*m_last_input);
    }
    m_backend.begin_frame();
    m_state.now_s = m_backend.time_s();
    for (auto& f : m_backend.take_dropped_files()) m_queue.push_back({f, "", false});
    if (auto done = m_state.loader.poll()) {
      if (!done->error.empty()) m_load_errors.push_back(done->request.path + ": " + done->error);
      apply_load(m_state, std::move(*done));
    }
    if (!m_state.loader.busy() && !m_queue.empty()) {
      m_state.loader.start(m_queue.front());
      m_queue.erase(m_queue.begin());
    }
    step_play(m_state, m_state.now_s);
    m_renderer.begin_frame();
    draw_ui(m_state, m_theme, m_renderer);
    m_backend.set_title(m_state.title);
    if (auto it = m_state.ui_rects.find("map_opaque"); it != m_state.ui_rects.end()) {
      // The map panes are covered edge to edge (canvas images or a background fill, and
      // the gap between compare panes): a partial redraw need not clear them. Whole
      // pixels inside only.
      const auto& r = it->second;
      m_backend.set_opaque_area(static_cast<float>(std::ceil(r[0])), static_cast<float>(std::ceil(r[1])),
                                static_cast<float>(std::floor(r[0] + r[2])), static_cast<float>(std::floor(r[1] + r[3])));
    }
    Pixels png;
    const bool want_png = m_state.export_request.rfind("png:", 0) == 0;
    m_backend.end_frame(capture != nullptr ? capture : (want_png ? &png : nullptr));
    if (want_png) {
      const std::string path = m_state.export_request.substr(4);
      m_state.export_request.clear();
      try {
        const auto r = m_state.ui_rects.at("map");
        write_png(path, crop(png, static_cast<int>(r[0]), static_cast<int>(r[1]), static_cast<int>(r[2]), static_cast<int>(r[3])));
        log_message(m_state, LogLevel::info, "saved the map view to " + path);
      } catch (const std::exception& e) {
        log_message(m_state, LogLevel::error, std::string("export: ") + e.what());
      }
    }
    if (m_state.export_request == "quit") m_backend.request_close();
  }

  void open(const std::string& path) { m_queue.push_back({path, "", false}); }
  [[nodiscard]] bool busy() const { return m_state.loader.busy() || !m_queue.empty(); }
  AppState& state() { return m_state; }
  std::vector<std::string>& load_errors() { return m_load_errors; }

 private:
  Backend& m_backend;
  std::optional<InputFrame> m_last_input;
  const Theme& m_theme;
  MapRenderer& m_renderer;
  AppState m_state;
  std::vector<LoadRequest> m_queue;
  std::vector<std::string> m_load_errors;
};

nlohmann::json state_json(AppState& s, const MapRenderer& r) {
  nlohmann::json j;
  for (const auto& [name, rect] : s.ui_rects) j["rects"][name] = rect;
  j["camera"] = {{"centre_x_m", s.camera.centre_x_m}, {"centre_y_m", s.camera.centre_y_m},
                 {"m_per_px", s.camera.m_per_px}, {"width_px", s.camera.width_px}, {"height_px", s.camera.height_px}};
  j["window"] = {core::format_month(s.window.first), core::format_month(s.window.last)};
  j["compare"] = s.compare.mode == CompareMode::off            ? "off"
                 : s.compare.mode == CompareMode::side_by_side ? "side"
                 : s.compare.mode == CompareMode::swipe        ? "swipe"
                                                               : "difference";
  j["swipe_at"] = s.compare.swipe_at;
  for (const auto& v : views(s)) j["views"].push_back(v.title);
  for (const Layer& l : s.layers)
    j["layers"].push_back({{"name", l.name}, {"visible", l.visible}, {"role", layer_role_name(l.role)},
                           {"field", l.style.field}, {"method", class_method_name(l.style.method)}});
  j["renderer"] = {{"geometry_uploads", r.stats().geometry_uploads}, {"canvases_completed", r.stats().canvases_completed}};
  j["tooltip"] = s.tooltip;
  j["playing"] = s.play.playing;
  j["tab"] = s.tab == SideTab::inspector ? "inspector" : s.tab == SideTab::compare ? "compare" : s.tab == SideTab::targets ? "targets" : "log";
  {
    nlohmann::json sel = {{"layer", nullptr}, {"features", nlohmann::json::array()}};
    if (const Layer* l = find_layer(s, s.selection.layer)) {
      sel["layer"] = l->name;
      for (uint32_t f : s.selection.features) sel["features"].push_back(l->feature_title(f));
    }
    if (s.selection.incident_row) sel["incident_row"] = *s.selection.incident_row;
    if (const Layer* l = find_layer(s, s.selection.layer); l && s.selection.features.size() == 1)
      if (const auto place = ranked_place(s, *l, s.selection.features.front()))
        sel["rank"] = {{"rank", place->rank}, {"of", place->of}, {"layer", place->layer->name}};
    j["selection"] = sel;
  }
  if (const auto& c = compare_counts(s))
    j["compare_counts"] = {{"target", {c->target.before, c->target.after}},
                           {"buffer", {c->buffer.before, c->buffer.after}},
                           {"rest", {c->rest.before, c->rest.after}}};
  if (const auto& e = compare_evaluation(s)) {
    auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    j["compare_evaluation"] = {{"evaluated", e->evaluated},  {"reason", e->reason},
                               {"odds_ratio", opt(e->odds_ratio)}, {"odds_ratio_ci", {opt(e->odds_ratio_low), opt(e->odds_ratio_high)}},
                               {"wdq", opt(e->wdq)},            {"target", {e->target_before.value_or(0), e->target_after.value_or(0)}}};
  }
  return j;
}

// [SECTION] headless: script + screenshot ---------------------------------------------

int run_headless(const Options& o, Backend& backend, App& app, MapRenderer& renderer) {
  std::vector<ScriptCommand> commands;
  fs::path base = fs::current_path();
  if (!o.script.empty()) {
    std::ifstream in(o.script);
    if (!in) throw IoError(o.script + ": cannot open the script");
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parse_script(text.str(), o.script);
    if (!parsed) throw UsageError(parsed.error().message);
    commands = std::move(parsed).value();
    base = fs::absolute(o.script).parent_path();
  }
  for (const auto& f : o.files) app.open(f);
  const double start = backend.time_s();
  std::size_t next = 0;
  int settled = 0;
  auto check_errors = [&] {
    if (!app.load_errors().empty()) throw IoError(app.load_errors().front());
  };
  while (!backend.should_close()) {
    AppState& s = app.state();
    const bool idle = !app.busy() && renderer.idle() && !s.fly.active && s.pending_screenshot.empty() &&
                      s.input_queue.empty() && s.export_request.empty() && s.now_s >= s.wait_until_s;
    settled = idle ? settled + 1 : 0;
    // Two idle frames: ImGui has laid out every window at its final size.
    const bool ready = settled >= 3;
    if (ready && next < commands.size()) {
      const ScriptCommand& c = commands[next++];
      if (std::string err = run_command(s, c, base); !err.empty())
        throw IoError(o.script + ":" + std::to_string(c.line) + ": error: " + c.verb + ": " + err);
      settled = 0;
    } else if (ready && next >= commands.size()) {
      break;
    }
    Pixels shot;
    const bool mid_script_shot = !s.pending_screenshot.empty() && !app.busy() && renderer.idle() && settled == 0 &&
                                 next > 0 && commands[next - 1].verb == "screenshot";
    app.frame(mid_script_shot ? &shot : nullptr);
    check_errors();
    if (mid_script_shot) {
      // Render once more so the capture is of a settled frame.
      app.frame(&shot);
      write_png(s.pending_screenshot, shot);
      std::cerr << "hotspot-viewer: wrote " << s.pending_screenshot << '\n';
      s.pending_screenshot.clear();
    }
    if (backend.time_s() - start > o.timeout_s)
      throw Error("timed out after " + std::to_string(static_cast<int>(o.timeout_s)) + " s waiting for loading/drawing to finish");
  }
  Pixels shot;
  app.frame(nullptr);
  app.frame(&shot);
  check_errors();
  if (!o.screenshot.empty()) {
    write_png(o.screenshot, shot);
    std::cerr << "hotspot-viewer: wrote " << o.screenshot << " (" << shot.width << "x" << shot.height << ", "
              << backend.renderer() << ")\n";
  }
  const RedrawStats rs = backend.redraw_stats();
  std::cerr << "hotspot-viewer: frames drawn whole " << rs.full_frames << ", in part " << rs.partial_frames
            << ", unchanged " << rs.skipped_frames << " (partial redraw " << (rs.partial_enabled ? "on" : "off") << ")\n";
  if (!o.state_json.empty()) {
    std::ofstream out(o.state_json);
    out << state_json(app.state(), renderer).dump(2) << '\n';
    if (!out) throw IoError(o.state_json + ": cannot write");
  }
  return 0;
}

// [SECTION] bench ----------------------------------------------------------------------

// A synthetic district: 1,000,000 incidents in clusters over 20 x 20 km, and a grid of
// 500 x 500 = 250,000 cells of 40 m with a smooth "hot spot" value.
void make_bench_data(AppState& s) {
  const double x0 = 440000, y0 = 348000, side = 20000;
  auto data = std::make_shared<IncidentData>();
  data->taxonomy = core::Taxonomy::police_uk();
  std::mt19937_64 rng(20240401);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> n(0, 1);
  const std::size_t count = 1000000;
  auto features = std::make_shared<layers::FeatureSet>();
  features->source = "bench";
  features->layer = "incidents";
  features->geometry = layers::GeometryClass::point;
  std::vector<std::array<double, 3>> clusters;
  for (int c = 0; c < 60; ++c) clusters.push_back({x0 + side * u(rng), y0 + side * u(rng), 100 + 900 * u(rng)});
  data->table.reserve(count);
  const uint16_t src = data->table.add_source("bench");
  for (std::size_t i = 0; i < count; ++i) {
    double x, y;
    if (u(rng) < 0.7) {
      const auto& c = clusters[static_cast<std::size_t>(u(rng) * static_cast<double>(clusters.size())) % clusters.size()];
      x = c[0] + c[2] * n(rng);
      y = c[1] + c[2] * n(rng);
    } else {
      x = x0 + side * u(rng);
      y = y0 + side * u(rng);
    }
    core::IncidentTable::Row r;
    r.x_m = x;
    r.y_m = y;
    r.month = core::month_index(2022, 4) + static_cast<int>(u(rng) * 36) % 36;
    r.category = static_cast<core::CategoryId>(static_cast<int>(u(rng) * 14) % 14);
    r.source = src;
    r.line = static_cast<uint32_t>(i + 2);
    data->table.push_back(r);
    features->begin_feature(layers::GeometryClass::point, static_cast<int64_t>(i + 1));
    features->add_part();
    features->add_ring();
    features->add_vertex(x, y);
    data->feature_of_row.push_back(static_cast<uint32_t>(i));
  }
  features->finish();
  data->period = {core::month_index(2022, 4), core::month_index(2025, 3)};

  auto grid = std::make_shared<layers::FeatureSet>();
  grid->source = "bench";
  grid->layer = "grid_cells";
  grid->geometry = layers::GeometryClass::polygon;
  layers::FieldColumn value;
  value.name = "value";
  value.kind = layers::FieldKind::real;
  const int cells = 500;
  const double cell = side / cells;
  for (int r = 0; r < cells; ++r)
    for (int c = 0; c < cells; ++c) {
      const double cx = x0 + (c + 0.5) * cell, cy = y0 + (r + 0.5) * cell;
      grid->begin_feature(layers::GeometryClass::polygon, r * cells + c + 1);
      grid->add_part();
      grid->add_ring();
      for (const auto& [dx, dy] : {std::pair{-0.5, -0.5}, {-0.5, 0.5}, {0.5, 0.5}, {0.5, -0.5}, {-0.5, -0.5}})
        grid->add_vertex(cx + dx * cell, cy + dy * cell);
      double v = 0;
      for (const auto& cl : clusters) v += std::exp(-((cx - cl[0]) * (cx - cl[0]) + (cy - cl[1]) * (cy - cl[1])) / (2 * cl[2] * cl[2]));
      value.numbers.push_back(v);
    }
  grid->fields.push_back(std::move(value));
  grid->finish();

  Layer g;
  g.name = "grid_cells";
  g.source = "bench";
  g.features = grid;
  g.mesh = std::make_shared<PolygonMesh>(triangulate_polygons(*grid));
  if (auto rg = detect_regular_grid(*grid)) g.grid = std::make_shared<RegularGrid>(std::move(*rg));
  g.typical_size_m = typical_feature_size(*grid);
  g.style.field = "value";
  g.style.method = ClassMethod::quantile;
  g.style.classes = 7;
  g.style.ramp = Ramp::yl_or_rd;
  g.style.opacity = 0.8;
  g.style.outline_on = false;
  g.role = LayerRole::hotspot_grid;
  Layer p;
  p.name = "incidents";
  p.source = "bench";
  p.features = features;
  p.role = LayerRole::incidents;
  p.style.fill = hex("7a0177");
  p.style.point_radius_px = 1.5;
  p.style.opacity = 0.5;
  LoadResult r;
  r.request.path = "bench";
  r.layers.push_back(std::move(g));
  r.layers.push_back(std::move(p));
  r.incidents = data;
  r.incidents_layer = "incidents";
  apply_load(s, std::move(r));
}

struct Percentiles {
  double p50 = 0, p95 = 0, max = 0, mean = 0;
};
Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  p.p50 = v[v.size() / 2];
  p.p95 = v[std::min(v.size() - 1, v.size() * 95 / 100)];
  p.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  p.mean = sum / static_cast<double>(v.size());
  return p;
}

int run_bench(const Options& o, Backend& backend, App& app, MapRenderer& renderer) {
  AppState& s = app.state();
  const auto t0 = std::chrono::steady_clock::now();
  make_bench_data(s);
  const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  find_layer(s, std::string_view("incidents"))->visible = o.bench_layers.find("points") != std::string::npos;
  find_layer(s, std::string_view("grid_cells"))->visible = o.bench_layers.find("grid") != std::string::npos;
  // Warm up: first complete canvas (uploads every geometry once).
  int warm = 0;
  do {
    app.frame(nullptr);
  } while ((!renderer.idle() || warm++ < 3) && warm < 2000);
  // Baseline: the camera still, the canvas complete: what the UI alone costs per frame.
  std::vector<double> idle_wall, idle_proc;
  for (int f = 0; f < 60; ++f) {
    const auto w0 = std::chrono::steady_clock::now();
    const double pc0 = process_cpu_s();
    app.frame(nullptr);
    idle_wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count());
    idle_proc.push_back((process_cpu_s() - pc0) * 1e3);
  }
  const RenderStats before = renderer.stats();
  const RedrawStats redraw_before = backend.redraw_stats();
  const Camera home = s.camera;
  std::vector<double> wall, thread_cpu, proc_cpu;
  const int frames = o.bench_frames;
  std::ofstream trace;
  if (!o.bench_trace.empty()) {
    trace.open(o.bench_trace);
    trace << "frame,phase,wall_ms,main_cpu_ms,process_cpu_ms,chunks,canvases_started,canvases_completed,pixels_redrawn\n";
  }
  for (int f = 0; f < frames; ++f) {
    // A third panning, a third zooming in and out around the centre, a third both.
    const double t = static_cast<double>(f) / frames;
    const int phase = f * 3 / frames;
    Camera c = home;
    const double angle = 2 * 3.14159265358979 * t * 3;
    if (phase != 1) {
      c.centre_x_m += std::cos(angle) * 3000;
      c.centre_y_m += std::sin(angle) * 3000;
    }
    if (phase != 0) c.m_per_px = home.m_per_px * std::pow(2.0, 2.5 * std::sin(angle));
    s.fly.active = false;
    s.camera.centre_x_m = c.centre_x_m;
    s.camera.centre_y_m = c.centre_y_m;
    s.camera.m_per_px = c.m_per_px;
    const auto w0 = std::chrono::steady_clock::now();
    const double tc0 = thread_cpu_s(), pc0 = process_cpu_s();
    app.frame(nullptr);
    wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count());
    thread_cpu.push_back((thread_cpu_s() - tc0) * 1e3);
    proc_cpu.push_back((process_cpu_s() - pc0) * 1e3);
    if (trace.is_open()) {
      static RenderStats last = before;
      static RedrawStats last_redraw = redraw_before;
      const RenderStats now = renderer.stats();
      const RedrawStats now_redraw = backend.redraw_stats();
      trace << f << ',' << phase << ',' << wall.back() << ',' << thread_cpu.back() << ',' << proc_cpu.back() << ','
            << now.chunks - last.chunks << ',' << now.canvases_started - last.canvases_started << ','
            << now.canvases_completed - last.canvases_completed << ','
            << now_redraw.pixels_redrawn - last_redraw.pixels_redrawn << '\n';
      last = now;
      last_redraw = now_redraw;
    }
  }
  const RedrawStats redraw = backend.redraw_stats();
  // Time to a sharp picture after the camera stops.
  const auto settle0 = std::chrono::steady_clock::now();
  int settle_frames = 0;
  do {
    app.frame(nullptr);
    ++settle_frames;
  } while (!renderer.idle() && settle_frames < 5000);
  const double settle_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - settle0).count();
  const RenderStats after = renderer.stats();
  const Percentiles pw = percentiles(wall), pt = percentiles(thread_cpu), pp = percentiles(proc_cpu);
  nlohmann::json j = {
      {"renderer", backend.renderer()},
      {"software_renderer", backend.software_renderer()},
      {"size", std::to_string(o.width) + "x" + std::to_string(o.height)},
      {"points", s.incidents->table.size()},
      {"grid_cells", 250000},
      {"frames", frames},
      {"build_s", build_s},
      {"layers", o.bench_layers},
      {"gpu_only", o.bench_gpu_only},
      {"idle_frame_wall_ms_p50", percentiles(idle_wall).p50},
      {"idle_frame_process_cpu_ms_p50", percentiles(idle_proc).p50},
      {"frame_wall_ms", {{"p50", pw.p50}, {"p95", pw.p95}, {"max", pw.max}, {"mean", pw.mean}}},
      {"frame_main_thread_cpu_ms", {{"p50", pt.p50}, {"p95", pt.p95}, {"max", pt.max}, {"mean", pt.mean}}},
      {"frame_process_cpu_ms", {{"p50", pp.p50}, {"p95", pp.p95}, {"max", pp.max}, {"mean", pp.mean}}},
      {"geometry_uploads_during_motion", after.geometry_uploads - before.geometry_uploads},
      {"geometry_bytes_during_motion", after.geometry_bytes - before.geometry_bytes},
      {"geometry_bytes_total", after.geometry_bytes},
      {"colour_bytes_during_motion", after.colour_bytes - before.colour_bytes},
      {"splat_bytes_during_motion", after.splat_bytes - before.splat_bytes},
      {"canvases_started_during_motion", after.canvases_started - before.canvases_started},
      {"canvases_completed_during_motion", after.canvases_completed - before.canvases_completed},
      {"partial_redraw", redraw.partial_enabled},
      {"frames_redrawn_whole_during_motion", redraw.full_frames - redraw_before.full_frames},
      {"frames_redrawn_in_part_during_motion", redraw.partial_frames - redraw_before.partial_frames},
      {"frames_unchanged_during_motion", redraw.skipped_frames - redraw_before.skipped_frames},
      {"pixels_redrawn_per_frame_during_motion",
       static_cast<double>(redraw.pixels_redrawn - redraw_before.pixels_redrawn) / static_cast<double>(frames)},
      {"settle_ms", settle_ms},
      {"settle_frames", settle_frames}};
  std::cout << j.dump(2) << '\n';
  if (!o.bench_json.empty()) std::ofstream(o.bench_json) << j.dump(2) << '\n';
  std::fprintf(stderr,
               "hotspot-viewer --bench: %s, %zu points + 250,000 cells, %d frames panning/zooming\n"
               "  frame wall ms      p50 %.1f  p95 %.1f  max %.1f\n"
               "  main-thread CPU ms p50 %.1f  p95 %.1f  max %.1f\n"
               "  process CPU ms     p50 %.1f  p95 %.1f  max %.1f (includes the GL driver's threads)\n"
               "  geometry uploads during motion: %llu (%llu bytes); sharp again %.0f ms after the camera stops\n",
               backend.renderer().c_str(), s.incidents->table.size(), frames, pw.p50, pw.p95, pw.max, pt.p50, pt.p95, pt.max,
               pp.p50, pp.p95, pp.max, static_cast<unsigned long long>(after.geometry_uploads - before.geometry_uploads),
               static_cast<unsigned long long>(after.geometry_bytes - before.geometry_bytes), settle_ms);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse_args(argc, argv);
    const bool headless = !o.screenshot.empty() || !o.state_json.empty() || o.bench;
    BackendOptions bo;
    bo.width = o.width;
    bo.height = o.height;
    bo.vsync = !headless;
    bo.ignore_mouse = headless;
    bo.partial_redraw = !o.full_redraw;
    bo.capture_partial = o.capture_partial;
    auto backend = make_glfw_backend(bo);
    Theme theme;
    setup_theme(theme);
    MapRendererOptions ro;
    ro.software = backend->software_renderer();
    ro.gpu_only = o.bench_gpu_only;
    // A software rasteriser's threads add their own CPU time to every frame (the map
    // pane, canvas bands): half the main thread's usual canvas budget keeps the sum low.
    if (ro.software) ro.budget_ms = 3.0;
    MapRenderer renderer(ro);
    App app(*backend, theme, renderer);
    if (o.bench) return run_bench(o, *backend, app, renderer);
    if (headless) return run_headless(o, *backend, app, renderer);
    for (const auto& f : o.files) app.open(f);
    // Interactive: when nothing moves, loads or plays, sleep until the next input
    // event instead of redrawing (a few frames after each event let ImGui settle).
    int quiet_frames = 0;
    while (!backend->should_close()) {
      const AppState& s = app.state();
      const bool quiet = renderer.idle() && !app.busy() && !s.fly.active && !s.play.playing;
      quiet_frames = quiet ? quiet_frames + 1 : 0;
      if (quiet_frames > 4) backend->wait_events(0.5);
      app.frame(nullptr);
    }
    return 0;
  } catch (const UsageError& e) {
    std::cerr << "hotspot-viewer: " << e.what() << '\n' << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "hotspot-viewer: " << e.what() << '\n';
    return 1;
  }
}
