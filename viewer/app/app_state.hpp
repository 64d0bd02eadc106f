#pragma once
// AppState: everything the viewer knows, owned in one place (STYLE.md section 6):
// the layers and their data, the incidents, the camera, the month window and
// crime-type filter, the selection, compare mode, the play state, the log, and the
// caches derived from them (each keyed on the versions of its inputs). Panels read
// and edit it; the renderer draws what paint() derives from it. No ImGui, no GL:
// tests build an AppState, drive it like the UI would and check the result.
//
//   AppState s;
//   apply_load(s, load_now({.path = "out/ashfield/study.gpkg"}, {}));
//   set_window(s, {month_index(2023, 4), month_index(2024, 3)});
//   const LayerPaint& p = paint(s, *find_layer(s, "wards_counts"), views(s)[0]);
//   p.legend;  p.values;  p.colours;                    // what the map and legend show

#include <array>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/geo/crs.hpp"
#include "viewer/app/aggregate.hpp"
#include "viewer/app/camera.hpp"
#include "viewer/app/classify.hpp"
#include "viewer/app/evaluation.hpp"
#include "viewer/app/incidents.hpp"
#include "viewer/app/input.hpp"
#include "viewer/app/layer.hpp"
#include "viewer/app/loader.hpp"
#include "viewer/app/point_index.hpp"

namespace hotspot::viewer {

enum class SideTab : uint8_t { inspector, compare, targets, log };
// side_by_side: two panes; swipe: one pane, before left of a draggable divider and
// after right of it; difference: one pane of after - before.
enum class CompareMode : uint8_t { off, side_by_side, difference, swipe };
enum class ViewRole : uint8_t { normal, before, after, difference };

// One map on screen: its time window and role. In side-by-side compare there are
// two, sharing one camera (synchronised pan and zoom).
struct MapView {
  ViewRole role = ViewRole::normal;
  MonthRange window;        // the months counted and drawn (after window for difference)
  MonthRange base;          // difference only: the before window
  std::string title;        // "Before: Oct 2022 – Sep 2023"
};

// Compare mode: a target area (a feature, or an area drawn on the map), its buffer,
// the go-live month and the windows either side.
struct CompareState {
  CompareMode mode = CompareMode::off;
  LayerId target_layer = kNoLayer;
  uint32_t target_feature = 0;
  std::vector<WorldPoint> drawn;  // vertices of a drawn area (>= 3 when used)
  bool drawing = false;           // the map is collecting vertices
  bool swallow_release = false;   // the double-click that finished drawing is not a selection click
  core::MonthIndex go_live = 0;
  int before_months = 12;
  int after_months = 12;
  int implementation_months = 0;  // left out from go-live (installation), as core/evaluate
  double radius_m = 250;  // target radius around a point feature
  double buffer_m = 250;  // buffer ring width
  double swipe_at = 0.5;  // swipe mode: the divider, as a fraction of the pane width
  uint64_t version = 0;   // bumped on every change

  [[nodiscard]] MonthRange before() const { return {go_live - before_months, go_live - 1}; }
  [[nodiscard]] MonthRange after() const {
    return {go_live + implementation_months, go_live + implementation_months + after_months - 1};
  }
  [[nodiscard]] bool has_target() const { return target_layer != kNoLayer || drawn.size() >= 3; }
};

// The selected features: one layer at a time (click, shift-click, box).
struct Selection {
  LayerId layer = kNoLayer;
  std::vector<uint32_t> features;  // sorted, unique
  std::optional<uint32_t> incident_row;  // a clicked incident (row of the IncidentTable)

  [[nodiscard]] bool empty() const { return features.empty() && !incident_row; }
  [[nodiscard]] bool contains(LayerId l, uint32_t f) const;
  void clear();
  void set(LayerId l, uint32_t f);
  void toggle(LayerId l, uint32_t f);  // shift-click
  void add(LayerId l, std::vector<uint32_t> fs);
};

// What the cursor is over (for the tooltip and the highlight).
struct Hit {
  LayerId layer = kNoLayer;
  uint32_t feature = 0;
  bool incident = false;  // `feature` is then an IncidentTable row
  [[nodiscard]] bool valid() const { return layer != kNoLayer; }
};

struct FlyTo {
  bool active = false;
  Camera from, to;
  double start_s = 0, duration_s = 0.6;
};

struct PlayState {
  bool playing = false;
  double next_step_s = 0;
  double interval_s = 0.8;
};

enum class LogLevel : uint8_t { info, warning, error };
struct LogEntry {
  LogLevel level = LogLevel::info;
  std::string text;
};

// Derived, cached: how one layer is coloured in one view (see paint()).
struct LayerPaint {
  uint64_t key = 0;                 // hash of every input; recomputed when it changes
  uint64_t version = 0;             // changes whenever the colours change (GPU texture key)
  Classification classes;
  std::vector<double> values;       // per feature (numeric fields; NaN = no data)
  std::vector<uint32_t> colours;    // per feature (vector) or per cell (raster), packed RGBA
  std::vector<LegendRow> legend;
  std::string title;                // "Incidents per km², Apr 2023 – Mar 2024"
  std::string subtitle;             // "Quantile, 5 classes · all crime types"
  bool windowed = false;            // the values depend on the month window
};

struct FileDialogState {
  bool open = false;
  bool as_basemap = false;
  std::string dir;
  std::string file;     // typed or clicked file name
  std::string error;
  // The listing of `listed_dir` (read when dir changes, not every frame).
  std::string listed_dir;
  std::vector<std::pair<std::string, bool>> entries;  // name, is a directory
};

// Whole-study summaries for the time panel and the overview (cached on filter_version).
struct WindowSummary {
  uint64_t key = 0;
  std::vector<uint32_t> monthly;           // per month of the period, selected crime types
  std::vector<std::size_t> by_category;    // in the window, every crime type
  std::size_t in_window = 0;               // in the window, selected crime types
};

// Compare-mode geometry and counts, recomputed when their inputs change.
struct CompareCache {
  uint64_t geometry_key = 0;
  std::optional<core::MultiPolygon> target;
  core::MultiPolygon grown;  // target + buffer ring (for drawing the ring)
  uint64_t counts_key = 0;
  std::optional<BeforeAfterCounts> counts;
  uint64_t evaluation_key = 0;
  std::optional<EvaluationRecord> evaluation;  // core/evaluate in process (evaluate_in_process)
};

struct AppState {
  // Data (draw order: layers[0] is drawn first, i.e. at the bottom).
  std::vector<Layer> layers;
  LayerId next_layer_id = 1;
  std::shared_ptr<const IncidentData> incidents;
  LayerId incidents_layer = kNoLayer;
  std::optional<EvaluationFile> evaluation;
  std::optional<RejectsTable> rejects;
  std::string title = "Hotspot";

  // Time and type: the window every windowed layer counts, and the crime types shown.
  MonthRange window;
  CategoryFilter categories;
  uint64_t filter_version = 1;  // bumped when the window or the category filter changes

  // View.
  Camera camera;                    // viewport = one map pane (half the width in side-by-side)
  bool camera_fitted = false;       // the camera was fitted to data once
  std::optional<core::Box> pending_fit;  // fit once the map knows its size (and its legend)
  // The legend of the first map pane as last drawn (0 x 0: none); fit_to() keeps the
  // data clear of it. legend_measured is false until the map has drawn once since
  // the layers last changed.
  std::array<double, 2> legend_px{0, 0};
  bool legend_measured = false;
  FlyTo fly;
  PlayState play;
  bool colour_blind = false;      // colour-blind-safe ramps everywhere
  bool show_labels = true;
  bool show_inspector_sidebar = true;

  // Interaction.
  Selection selection;
  Hit hover;
  CompareState compare;
  LayerId active_layer = kNoLayer;  // the layer the style editor edits
  SideTab tab = SideTab::inspector;
  bool tab_requested = false;     // the script or a click asked to switch tab
  FileDialogState file_dialog;
  bool box_selecting = false;
  WorldPoint box_start, box_end;
  std::string tooltip;              // the map's hover tooltip this frame ("" when none)
  // Synthetic input from scripts (input.hpp): one frame consumed per frame.
  std::deque<InputFrame> input_queue;
  double pointer_x = -1, pointer_y = -1;  // where the synthetic pointer was left
  double wait_until_s = 0;                // a script's `wait SECONDS`: keep drawing until then

  // Process.
  Loader loader;
  std::vector<LogEntry> log;
  std::string status;             // one line at the bottom ("Loaded 7 layers in 1.2 s")
  std::string pending_screenshot; // a script asked for a screenshot here
  std::string export_request;     // "png:<path>" / "geojson:<path>" (platform writes PNGs)
  double now_s = 0;               // time of the current frame (set by the frame loop)

  // Caches (derived; never the source of truth).
  std::map<LayerId, std::shared_ptr<const AreaCounts>> area_counts;
  std::map<std::pair<LayerId, int64_t>, CountMatrix> count_cache;  // (layer, window key)
  std::map<std::pair<LayerId, int>, LayerPaint> paints;           // (layer, view slot)
  std::unique_ptr<PointGrid> incident_grid;
  std::unique_ptr<core::Transformer> to_wgs84;  // for the cursor read-out
  uint64_t paint_counter = 0;
  CompareCache compare_cache;
  WindowSummary summary;
  // Where the UI drew things this frame (x, y, w, h in pixels), for --state-json and tests.
  std::map<std::string, std::array<double, 4>> ui_rects;
};

// [SECTION] layers
Layer* find_layer(AppState& s, LayerId id);
const Layer* find_layer(const AppState& s, LayerId id);
Layer* find_layer(AppState& s, std::string_view name);  // by name (exact, then case-insensitive)
// Adds loaded layers (assigning ids and unique names, placing them by draw rank),
// incidents, evaluation and rejects; logs warnings/errors; fits the camera the
// first time. Returns the ids added.
std::vector<LayerId> apply_load(AppState& s, LoadResult&& result);
void remove_layer(AppState& s, LayerId id);
// Moves a layer one step up (+1, drawn later) or down (-1) in the draw order.
void move_layer(AppState& s, LayerId id, int direction);
// Call after editing a layer's style or visibility.
void touch_style(Layer& layer);
// Fields a layer can be coloured by: its numeric and text fields plus, for polygons
// when incidents are loaded, the windowed "incidents" count (when it has no `total`).
std::vector<std::string> style_fields(const AppState& s, const Layer& layer);
// The union of every layer's bounds (an inverted box when empty).
core::Box data_bounds(const AppState& s);

// [SECTION] time and filters
void set_window(AppState& s, MonthRange window);  // clipped to the data's period
void set_category(AppState& s, core::CategoryId c, bool on);
void set_all_categories(AppState& s, bool on);
// The whole period of the loaded incidents (empty when none).
MonthRange data_period(const AppState& s);
// Advances the play state: one month forward per interval (the window keeps its
// width and wraps to the start at the end). Returns true when the window moved.
bool step_play(AppState& s, double now_s);

// [SECTION] views and paint
std::vector<MapView> views(const AppState& s);
// Incident counts per area of a polygon layer for a window (cached). nullptr when
// the layer cannot be recounted (no incidents, not polygons).
const CountMatrix* counts(AppState& s, const Layer& layer, MonthRange window);
const AreaCounts* area_counts(AppState& s, const Layer& layer);
// True when `field` of this layer is recounted from the incidents for each window.
bool is_windowed_field(const AppState& s, const Layer& layer, const std::string& field);
// Values of a field per feature for a window (NaN = no data); per_km2 divides by area.
std::vector<double> field_values(AppState& s, const Layer& layer, const std::string& field, MonthRange window,
                                 bool per_km2);
// How a layer is coloured in a view (cached by key). `slot` is the view's index.
const LayerPaint& paint(AppState& s, const Layer& layer, const MapView& view, int slot);

// [SECTION] camera
void fit_to(AppState& s, const core::Box& box, bool animate);
void update_fly(AppState& s, double now_s);

// [SECTION] hit tests and selection
// The feature under screen point p of a map drawn with `cam`, topmost first:
// small point layers, incidents (within the point radius + 3 px), filled polygons,
// then outline-only polygons.
Hit hit_test(AppState& s, const Camera& cam, const MapView& view, ScreenPoint p);
// Features of `layer` whose label point / point lies in the world box.
std::vector<uint32_t> features_in_box(AppState& s, const Layer& layer, const core::Box& box);

// Where a feature stands in a ranked target list (`hotspot rank`): its own layer's
// rank, or that of the ranked layer holding the same area (grid cells in
// targets_cells, wards in targets_wards), matched on the area's code, else on its
// geometry (64-bit cell ids do not survive as numbers). nullopt when not ranked.
struct RankedPlace {
  const Layer* layer = nullptr;  // the ranked layer
  std::size_t row = 0;           // the feature in it
  double rank = 0;
  std::size_t of = 0;            // features in the ranked layer
};
std::optional<RankedPlace> ranked_place(const AppState& s, const Layer& layer, uint32_t feature);
// A feature looked up by `code`, `name`, `id` field or "#fid".
std::optional<uint32_t> find_feature(const Layer& layer, std::string_view value);

// [SECTION] compare
// The target area of compare mode as a polygon (a point feature becomes a circle).
std::optional<core::MultiPolygon> compare_target(const AppState& s);
// Starts compare mode on a feature: go-live from its `start` field when it has one.
void compare_feature(AppState& s, LayerId layer, uint32_t feature);

// The compare target and its grown (buffer) outline, cached on compare.version.
const CompareCache& compare_geometry(AppState& s);
// Before/after counts for the compare target (cached on compare and filter versions);
// nullopt without a target or incidents.
const std::optional<BeforeAfterCounts>& compare_counts(AppState& s);

// core/evaluate's evaluation of the compare target with the compare settings and the
// crime-type filter (evaluate_in_process; cached on the same inputs as the counts).
const std::optional<EvaluationRecord>& compare_evaluation(AppState& s);
// evaluation.json's record for the compare target (matched on its `id`), or nullptr.
const EvaluationRecord* compare_published_evaluation(const AppState& s);

// Monthly totals and counts by crime type for the whole study (cached).
const WindowSummary& window_summary(AppState& s);

// [SECTION] log
void log_message(AppState& s, LogLevel level, std::string text);

}  // namespace hotspot::viewer
