// hotspot stat gistar IN --value F (--distance M | --knn K | --contiguity queen|rook
//                  | --inverse-distance M) [--permutations N --seed S] [--fdr] --out OUT.csv
// hotspot stat lisa   IN --value F (same weights) [--permutations N --seed S] [--fdr] --out OUT.csv
// hotspot stat moran  IN --value F (same weights) --json
// hotspot stat kde    IN --radius M --cell M [--kernel quartic|...] [--weight F]
//                  [--extent XMIN,YMIN,XMAX,YMAX] --out OUT.tif|OUT.csv
// hotspot stat optimized INCIDENTS [--boundary B] [--cell M] [--distance M] --out OUT.gpkg|OUT.csv
//
// IN is a CSV with x, y (or --lon/--lat) or any OGR point/polygon layer
// (layers/io/value_reader.hpp); a `hotspot grid` output works as it is.

#include <CLI/CLI.hpp>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "core/base/error.hpp"
#include "core/grid/grid.hpp"
#include "core/stats/kde.hpp"
#include "core/stats/local_stats.hpp"
#include "core/stats/optimized.hpp"
#include "core/stats/weights.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv_writer.hpp"
#include "layers/io/raster_writer.hpp"
#include "layers/io/value_reader.hpp"
#include "layers/io/vector_writer.hpp"

namespace hotspot::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct StatArgs {
  std::string in, value, id, x, y, lon, lat, crs = "EPSG:27700", layer;
  double distance = 0, inverse_distance = 0, power = 1;
  unsigned knn = 0;
  std::string contiguity, style;
  unsigned permutations = 0;
  uint64_t seed = 1;
  bool fdr = false, total = false;
  double alpha = 0.05;
  std::string out;
  // kde
  double radius = 0, cell = 0;
  std::string kernel = "quartic", weight, extent, per = "km2", denominator, denominator_weight, dual = "ratio";
  double min_denominator = 0;
  bool float32 = false;
  // optimized
  std::string boundary, boundary_code;
  bool hex = false;
  unsigned threads = 0;
  bool json = false, quiet = false;
};

// Wall and process CPU seconds per phase (CPU sums every thread: on a loaded
// machine it is the figure that says what the work costs).
double process_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
struct Phases {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now(), last = start;
  double cpu0 = process_cpu_s(), cpu_last = cpu0;
  json wall = json::object(), cpu = json::object();
  void lap(const char* name) {
    const auto now = std::chrono::steady_clock::now();
    const double c = process_cpu_s();
    wall[std::string(name) + "_s"] = std::chrono::duration<double>(now - last).count();
    cpu[std::string(name) + "_s"] = c - cpu_last;
    last = now;
    cpu_last = c;
  }
  json timings() {
    wall["total_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    cpu["total_s"] = process_cpu_s() - cpu0;
    return wall;
  }
};

// Features that share their location with another one (police.uk snaps every crime
// to one of ~750,000 anonymised map points, so duplicates are normal in points).
std::size_t shared_locations(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<std::pair<double, double>> xy(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) xy[i] = {x[i], y[i]};
  std::sort(xy.begin(), xy.end());
  std::size_t shared = 0;
  for (std::size_t i = 0; i < xy.size();) {
    std::size_t j = i + 1;
    while (j < xy.size() && xy[j] == xy[i]) ++j;
    if (j - i > 1) shared += j - i;
    i = j;
  }
  return shared;
}

// Says how many features share a location (points only), for the summary.
std::size_t report_shared(const layers::ValueTable& t, Console& con) {
  if (t.polygons) return 0;
  const std::size_t shared = shared_locations(t.x_m, t.y_m);
  if (shared > 0)
    con.info(thousands(shared) + " of " + thousands(t.x_m.size()) +
             " features share their location with another (normal for police.uk data, which snaps every crime "
             "to an anonymised map point): a distance band counts coincident features as neighbours");
  return shared;
}

// Shortest text that reads back to the same double ("" for NaN / infinity).
std::string num(double v) {
  if (!std::isfinite(v)) return {};
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

layers::ValueTable read_input(const StatArgs& a, bool need_value) {
  if (need_value && a.value.empty()) throw UsageError("--value F is required (the numeric field to analyse)");
  layers::ValueReadOptions o;
  o.value = a.value;
  o.id = a.id;
  o.x = a.x;
  o.y = a.y;
  o.lon = a.lon;
  o.lat = a.lat;
  o.crs = a.crs;
  o.layer = a.layer;
  return layers::read_values(a.in, o);
}

// The CellIds of a `hotspot grid` output (its cell_id column), if the input is one.
std::optional<std::vector<core::CellId>> cell_ids(const layers::ValueTable& t) {
  std::vector<core::CellId> ids;
  for (const auto& s : t.ids) {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    const auto id = core::CellId::from_value(v);
    if (!id.valid()) return std::nullopt;
    ids.push_back(id);
  }
  return ids;
}

void check_weights_args(const StatArgs& a) {
  const int given = (a.distance > 0) + (a.knn > 0) + (!a.contiguity.empty()) + (a.inverse_distance > 0);
  if (given != 1)
    throw UsageError("give exactly one of --distance M, --knn K, --contiguity queen|rook, --inverse-distance M");
  if (!a.contiguity.empty() && a.contiguity != "queen" && a.contiguity != "rook")
    throw UsageError("--contiguity must be queen or rook");
  if (!a.style.empty() && a.style != "B" && a.style != "W") throw UsageError("--style must be B (binary) or W (row-standardised)");
}

core::Weights build_weights(const StatArgs& a, const layers::ValueTable& t, bool default_row_standardised,
                            Console& con) {
  check_weights_args(a);
  core::Weights w;
  if (a.distance > 0) w = core::Weights::distance_band(t.x_m, t.y_m, a.distance);
  else if (a.knn > 0) w = core::Weights::knn(t.x_m, t.y_m, a.knn);
  else if (a.inverse_distance > 0) w = core::Weights::inverse_distance(t.x_m, t.y_m, a.inverse_distance, a.power);
  else {
    if (a.contiguity != "queen" && a.contiguity != "rook") throw UsageError("--contiguity must be queen or rook");
    const auto rule = a.contiguity == "queen" ? core::Contiguity::queen : core::Contiguity::rook;
    if (t.polygons) w = core::Weights::polygon_contiguity(*t.polygons, rule);
    else if (auto ids = cell_ids(t)) w = core::Weights::cell_contiguity(*ids, rule);
    else
      throw UsageError("--contiguity needs polygons (a polygon layer) or grid cells (--id cell_id of a `hotspot grid` "
                       "output); " + a.in + " has points");
  }
  const std::string style = a.style.empty() ? (default_row_standardised ? "W" : "B") : a.style;
  if (style != "B" && style != "W") throw UsageError("--style must be B (binary) or W (row-standardised)");
  if (style == "W") w = w.row_standardised();
  con.info("weights: " + w.description() + "; neighbours min " + std::to_string(w.min_neighbours()) + ", mean " +
           num(std::round(w.mean_neighbours() * 10) / 10) + ", max " + std::to_string(w.max_neighbours()));
  const auto islands = w.islands();
  if (!islands.empty()) {
    std::string list;
    for (std::size_t k = 0; k < islands.size() && k < 10; ++k) list += (k ? ", " : "") + t.ids[islands[k]];
    if (islands.size() > 10) list += ", ... and " + std::to_string(islands.size() - 10) + " more";
    con.warning(std::to_string(islands.size()) + " feature(s) have no neighbours (islands): " + list);
  }
  return w;
}

void check_out(const std::string& out, const char* ext) {
  if (out.empty()) throw UsageError("--out is required");
  if (fs::path(out).extension() != ext) throw UsageError(std::string("--out must be a ") + ext + " file");
}

json weights_json(const core::Weights& w) {
  return {{"description", w.description()},
          {"min_neighbours", w.min_neighbours()},
          {"mean_neighbours", w.mean_neighbours()},
          {"max_neighbours", w.max_neighbours()},
          {"islands", w.islands().size()}};
}

int run_gistar(const StatArgs& a) {
  Console con("stat gistar", a.quiet || a.json);
  Phases ph;
  check_out(a.out, ".csv");
  check_weights_args(a);
  const layers::ValueTable t = read_input(a, true);
  const std::size_t shared = report_shared(t, con);
  ph.lap("read");
  const core::Weights w = build_weights(a, t, false, con);
  ph.lap("weights");
  auto r = core::gistar(t.values, w);
  if (!r) throw InputError(a.in + ": error: Gi*: " + r.error().message);
  const core::GiStar& g = *r;
  ph.lap("gistar");
  std::optional<core::PermutationResult> perm;
  if (a.permutations > 0) {
    perm = core::permute_lags(t.values, w, {a.permutations, a.seed, a.threads});
    ph.lap("permutations");
  }
  // Islands are out of the FDR family and never binned.
  std::vector<double> p_family = perm ? perm->p_sim : g.p;
  for (uint32_t i : g.islands) p_family[i] = std::nan("");
  std::vector<double> p_fdr;
  if (a.fdr) p_fdr = core::fdr_adjust(p_family);
  const std::vector<int8_t> bins = core::confidence_bins(g.z, a.fdr ? p_fdr : p_family);
  ph.lap("fdr");
  layers::CsvWriter csv(a.out, std::vector<fs::path>{a.in});
  std::vector<std::string> header{"id", "z", "p"};
  if (perm) header.push_back("p_sim");
  if (a.fdr) {
    header.push_back("p_fdr");
    header.push_back("significant_fdr");
  }
  for (const char* h : {"bin", "value", "neighbours"}) header.push_back(h);
  for (const auto& h : header) csv.field(h);
  csv.end_row();
  int hot = 0, cold = 0;
  for (uint32_t i = 0; i < t.values.size(); ++i) {
    csv.field(t.ids[i]);
    csv.field(num(g.z[i]));
    csv.field(num(g.p[i]));
    if (perm) csv.field(num(perm->p_sim[i]));
    if (a.fdr) {
      csv.field(num(p_fdr[i]));
      csv.field(std::isfinite(p_fdr[i]) ? (p_fdr[i] <= a.alpha ? "1" : "0") : "");
    }
    csv.field(int64_t{bins[i]});
    csv.field(num(t.values[i]));
    csv.field(uint64_t{w.cardinality(i)});
    csv.end_row();
    hot += bins[i] > 0;
    cold += bins[i] < 0;
  }
  csv.commit();
  ph.lap("write");
  const json timings = ph.timings();
  con.info("Gi* on " + thousands(t.values.size()) + " features: " + std::to_string(hot) + " hot and " +
           std::to_string(cold) + " cold at 90% or more" + (a.fdr ? " (FDR)" : "") + "; wrote " + a.out);
  if (a.json)
    std::cout << json{{"command", "stat gistar"},
                      {"features", t.values.size()},
                      {"value", t.value_name},
                      {"weights", weights_json(w)},
                      {"permutations", a.permutations},
                      {"seed", a.seed},
                      {"fdr", a.fdr},
                      {"hot", hot},
                      {"cold", cold},
                      {"islands", g.islands.size()},
                      {"shared_locations", shared},
                      {"out", a.out},
                      {"timings", timings},
                      {"cpu_timings", ph.cpu}}
                     .dump(2)
              << std::endl;
  return 0;
}

int run_lisa(const StatArgs& a) {
  Console con("stat lisa", a.quiet || a.json);
  Phases ph;
  check_out(a.out, ".csv");
  check_weights_args(a);
  const layers::ValueTable t = read_input(a, true);
  const std::size_t shared = report_shared(t, con);
  ph.lap("read");
  const core::Weights w = build_weights(a, t, true, con);
  ph.lap("weights");
  core::LocalMoranOptions lo;
  lo.variance = a.total ? core::MoranVariance::total : core::MoranVariance::conditional;
  auto r = core::local_moran(t.values, w, lo);
  if (!r) throw InputError(a.in + ": error: local Moran's I: " + r.error().message);
  const core::LocalMoran& m = *r;
  ph.lap("lisa");
  std::optional<core::PermutationResult> perm;
  if (a.permutations > 0) {
    perm = core::permute_lags(t.values, w, {a.permutations, a.seed, a.threads});
    ph.lap("permutations");
  }
  const std::vector<double>& p_family = perm ? perm->p_sim : m.p;
  std::vector<double> p_fdr;
  if (a.fdr) p_fdr = core::fdr_adjust(p_family);
  const std::vector<double>& p_class = a.fdr ? p_fdr : p_family;
  layers::CsvWriter csv(a.out, std::vector<fs::path>{a.in});
  std::vector<std::string> header{"id", "I", "E_I", "var_I", "z", "p"};
  if (perm) header.push_back("p_sim");
  header.push_back("quadrant");
  if (a.fdr) {
    header.push_back("p_fdr");
    header.push_back("significant_fdr");
  }
  header.push_back("value");
  header.push_back("neighbours");
  for (const auto& h : header) csv.field(h);
  csv.end_row();
  std::map<std::string, int> classes;
  for (uint32_t i = 0; i < t.values.size(); ++i) {
    csv.field(t.ids[i]);
    for (double v : {m.I[i], m.E_I[i], m.var_I[i], m.z[i], m.p[i]}) csv.field(num(v));
    if (perm) csv.field(num(perm->p_sim[i]));
    const bool sig = std::isfinite(p_class[i]) && p_class[i] <= a.alpha;
    const std::string q = sig ? core::quadrant_name(m.quadrant[i]) : "ns";
    ++classes[q];
    csv.field(q);
    if (a.fdr) {
      csv.field(num(p_fdr[i]));
      csv.field(std::isfinite(p_fdr[i]) ? (p_fdr[i] <= a.alpha ? "1" : "0") : "");
    }
    csv.field(num(t.values[i]));
    csv.field(uint64_t{w.cardinality(i)});
    csv.end_row();
  }
  csv.commit();
  ph.lap("write");
  const json timings = ph.timings();
  std::string summary;
  for (const auto& [k, v] : classes) summary += (summary.empty() ? "" : ", ") + k + " " + std::to_string(v);
  con.info("local Moran's I on " + thousands(t.values.size()) + " features (" +
           (a.total ? "total" : "conditional") + " randomisation): " + summary + "; wrote " + a.out);
  if (a.json)
    std::cout << json{{"command", "stat lisa"},
                      {"features", t.values.size()},
                      {"value", t.value_name},
                      {"weights", weights_json(w)},
                      {"variance", a.total ? "total" : "conditional"},
                      {"permutations", a.permutations},
                      {"seed", a.seed},
                      {"classes", classes},
                      {"islands", m.islands.size()},
                      {"shared_locations", shared},
                      {"out", a.out},
                      {"timings", timings},
                      {"cpu_timings", ph.cpu}}
                     .dump(2)
              << std::endl;
  return 0;
}

int run_moran(const StatArgs& a) {
  Console con("stat moran", a.quiet || a.json);
  check_weights_args(a);
  const layers::ValueTable t = read_input(a, true);
  const core::Weights w = build_weights(a, t, true, con);
  auto r = core::global_moran(t.values, w, !a.total);
  if (!r) throw InputError(a.in + ": error: Moran's I: " + r.error().message);
  const json j = {{"command", "stat moran"},
                  {"features", t.values.size()},
                  {"value", t.value_name},
                  {"weights", weights_json(w)},
                  {"assumption", a.total ? "normality" : "randomisation"},
                  {"I", r->I},
                  {"expected", r->expected},
                  {"variance", r->variance},
                  {"z", r->z},
                  {"p", r->p},
                  {"p_greater", r->p_greater},
                  {"n", r->constants.n},
                  {"islands", r->islands.size()}};
  if (a.json) std::cout << j.dump(2) << std::endl;
  else
    std::cout << "Moran's I " << num(r->I) << " (expected " << num(r->expected) << "), z " << num(r->z)
              << ", p " << num(r->p) << " two-sided (" << num(r->p_greater) << " one-sided, greater); "
              << w.description() << '\n';
  return 0;
}

core::Box parse_extent(const std::string& text) {
  std::vector<double> v;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    double d = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), d);
    if (ec != std::errc() || p != part.data() + part.size()) throw UsageError("--extent '" + text + "': '" + part + "' is not a number");
    v.push_back(d);
  }
  if (v.size() != 4 || v[2] <= v[0] || v[3] <= v[1])
    throw UsageError("--extent '" + text + "' must be XMIN,YMIN,XMAX,YMAX (EPSG:27700 metres) with XMIN < XMAX, YMIN < YMAX");
  return core::Box(core::Point(v[0], v[1]), core::Point(v[2], v[3]));
}

int run_kde(const StatArgs& a) {
  Console con("stat kde", a.quiet || a.json);
  Phases ph;
  if (a.out.empty()) throw UsageError("--out OUT.tif|OUT.csv is required");
  const std::string ext = fs::path(a.out).extension().string();
  if (ext != ".tif" && ext != ".tiff" && ext != ".csv") throw UsageError("--out must be a .tif or a .csv file");
  core::KdeOptions o;
  auto k = core::parse_kernel(a.kernel);
  if (!k) throw UsageError("--kernel '" + a.kernel + "' must be quartic, triangular, uniform, epanechnikov, triweight or gaussian");
  o.kernel = *k;
  o.radius_m = a.radius;
  o.cell_m = a.cell;
  o.threads = a.threads;
  if (a.radius < 0 || a.cell < 0) throw UsageError("--radius and --cell must be positive metres");
  if (!a.extent.empty()) o.extent = parse_extent(a.extent);
  if (a.per == "km2") o.unit = core::DensityUnit::per_km2;
  else if (a.per == "ha") o.unit = core::DensityUnit::per_hectare;
  else if (a.per == "m2") o.unit = core::DensityUnit::per_m2;
  else throw UsageError("--per must be km2, ha or m2");
  StatArgs pa = a;
  pa.value = a.weight;
  const layers::ValueTable t = read_input(pa, false);
  std::vector<double> w;
  if (!a.weight.empty()) w = t.values;
  ph.lap("read");
  Result<core::KdeRaster, core::KdeError> r = Result<core::KdeRaster, core::KdeError>::failure(core::KdeError::no_points, "");
  std::size_t den_points = 0;
  if (!a.denominator.empty()) {
    StatArgs da = pa;
    da.in = a.denominator;
    da.value = a.denominator_weight;
    const layers::ValueTable d = read_input(da, false);
    den_points = d.values.size();
    std::vector<double> dw;
    if (!a.denominator_weight.empty()) dw = d.values;
    if (a.dual != "ratio" && a.dual != "difference") throw UsageError("--dual must be ratio or difference");
    r = core::dual_kde(t.x_m, t.y_m, w, d.x_m, d.y_m, dw, o,
                       a.dual == "ratio" ? core::DualMode::ratio : core::DualMode::difference, a.min_denominator);
  } else {
    r = core::kde(t.x_m, t.y_m, w, o);
  }
  if (!r) throw InputError(a.in + ": error: KDE: " + r.error().message);
  const core::KdeRaster& k2 = *r;
  ph.lap("compute");
  if (k2.locations < k2.points_in_reach)
    con.info(thousands(k2.points_in_reach) + " points within reach of the raster at " + thousands(k2.locations) +
             " distinct locations (coincident points are normal in police.uk data: each location's kernel is "
             "added once, with the summed weight)");
  const std::string what = std::string(core::kernel_name(k2.kernel)) + " kernel, radius " + num(k2.radius_m) + " m" +
                           (k2.radius_from_rule ? " (ArcGIS default rule)" : "") + ", cell " + num(k2.cell_m) + " m";
  if (ext == ".csv") {
    layers::CsvWriter csv(a.out, std::vector<fs::path>{a.in});
    csv.row({"x", "y", "density"});
    for (int32_t row = 0; row < k2.rows; ++row)
      for (int32_t c = 0; c < k2.columns; ++c) {
        csv.field(num(k2.centre_x(c)));
        csv.field(num(k2.centre_y(row)));
        csv.field(num(k2.at(c, row)));
        csv.end_row();
      }
    csv.commit();
  } else {
    layers::RasterData rd;
    rd.x0_m = k2.x0;
    rd.y1_m = k2.y1;
    rd.cell_m = k2.cell_m;
    rd.columns = k2.columns;
    rd.rows = k2.rows;
    rd.values = k2.values;
    rd.float32 = a.float32;
    rd.description = (a.denominator.empty() ? std::string(core::density_unit_name(k2.unit))
                                            : "dual KDE " + a.dual) + ", " + what;
    layers::write_geotiff(a.out, rd, std::vector<fs::path>{a.in});
  }
  ph.lap("write");
  const json timings = ph.timings();
  con.info("KDE of " + thousands(k2.points) + " points: " + what + ", " + std::to_string(k2.columns) + " x " +
           std::to_string(k2.rows) + " cells, " + core::density_unit_name(k2.unit) + "; wrote " + a.out);
  if (a.json)
    std::cout << json{{"command", "stat kde"},
                      {"points", k2.points},
                      {"denominator_points", den_points},
                      {"kernel", core::kernel_name(k2.kernel)},
                      {"radius_m", k2.radius_m},
                      {"radius_rule", k2.radius_from_rule ? "arcgis-default" : "given"},
                      {"cell_m", k2.cell_m},
                      {"columns", k2.columns},
                      {"rows", k2.rows},
                      {"extent", {k2.x0, k2.y1 - k2.rows * k2.cell_m, k2.x0 + k2.columns * k2.cell_m, k2.y1}},
                      {"unit", core::density_unit_name(k2.unit)},
                      {"total_weight", k2.total_weight},
                      {"points_in_reach", k2.points_in_reach},
                      {"locations", k2.locations},
                      {"out", a.out},
                      {"timings", timings},
                      {"cpu_timings", ph.cpu}}
                     .dump(2)
              << std::endl;
  return 0;
}

int run_optimized(const StatArgs& a) {
  Console con("stat optimized", a.quiet || a.json);
  const auto t0 = std::chrono::steady_clock::now();
  if (a.out.empty()) throw UsageError("--out OUT.gpkg|OUT.csv is required");
  const auto fmt = layers::vector_format_for(a.out);
  if (!fmt) throw UsageError("--out must be .gpkg, .geojson, .csv or .shp");
  const layers::ValueTable t = read_input(a, false);
  std::optional<layers::AreaReadResult> boundary;
  core::OptimizedOptions o;
  if (!a.boundary.empty()) {
    boundary = layers::read_areas(a.boundary, {"", a.boundary_code, "", ""});
    for (const auto& wmsg : boundary->warnings) con.warning(wmsg);
    o.boundary = &boundary->areas;
  }
  o.cell_m = a.cell;
  o.band_m = a.distance;
  o.shape = a.hex ? core::CellShape::hex : core::CellShape::square;
  o.threads = a.threads;
  auto r = core::optimized_hotspots(t.x_m, t.y_m, o);
  if (!r) throw InputError(a.in + ": error: " + r.error().message);
  const core::OptimizedResult& res = *r;
  for (const auto& d : res.decisions) con.info(d);
  layers::AtomicOutput out(a.out, std::vector<fs::path>{a.in});
  {
    layers::VectorWriter vw(out.temp_path());
    const bool geom = *fmt != layers::VectorFormat::csv;
    layers::LayerSpec spec;
    spec.name = "optimized_hotspots";
    spec.geometry = geom ? layers::GeometryKind::multipolygon : layers::GeometryKind::none;
    using layers::FieldType;
    spec.fields = {{"cell_id", FieldType::integer}, {"x", FieldType::real},       {"y", FieldType::real},
                   {"count", FieldType::integer},   {"neighbours", FieldType::integer}, {"z", FieldType::real},
                   {"p", FieldType::real},          {"p_fdr", FieldType::real},   {"bin", FieldType::integer}};
    auto& layer = vw.add_layer(spec);
    layers::FeatureValues f;
    for (uint32_t i = 0; i < res.grid.size(); ++i) {
      if (geom) f.geometry = core::MultiPolygon{res.grid.polygon(i)};
      f.values = {res.grid.id(i).as_int64(), res.grid.centre_x(i),  res.grid.centre_y(i),
                  static_cast<int64_t>(res.counts[i]), int64_t{res.neighbours[i]}, res.gi.z[i],
                  res.gi.p[i], res.p_fdr[i], int64_t{res.bins[i]}};
      layer.add(f);
    }
    vw.close();
  }
  out.commit();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  con.info("wrote " + std::to_string(res.grid.size()) + " cells to " + a.out);
  if (a.json) {
    json isa = json::array();
    for (const auto& b : res.isa)
      isa.push_back({{"distance_m", b.distance_m}, {"mean_neighbours", b.mean_neighbours}, {"I", b.I}, {"z", b.z}});
    std::cout << json{{"command", "stat optimized"},
                      {"incidents", res.incidents},
                      {"locations", res.locations},
                      {"outlier_locations", res.outlier_locations},
                      {"incidents_in_no_cell", res.incidents_in_no_cell},
                      {"nn_mean_m", res.nn_mean_m},
                      {"nn_median_m", res.nn_median_m},
                      {"cell_m", res.cell_m},
                      {"band_m", res.band_m},
                      {"band_rule", res.band_rule},
                      {"isa", isa},
                      {"cells", res.grid.size()},
                      {"hot", res.hot},
                      {"cold", res.cold},
                      {"decisions", res.decisions},
                      {"out", a.out},
                      {"timings", {{"total_s", secs}}}}
                     .dump(2)
              << std::endl;
  }
  return 0;
}

void add_input(CLI::App* s, StatArgs& a, bool value_required) {
  s->add_option("IN", a.in, "CSV with x,y (or --lon/--lat) or any OGR point/polygon layer")->required();
  if (value_required) s->add_option("--value", a.value, "numeric field to analyse (e.g. count)");
  s->add_option("--id", a.id, "id column carried to the output (a grid's cell_id enables --contiguity)");
  s->add_option("--x", a.x, "CSV easting column (default x)");
  s->add_option("--y", a.y, "CSV northing column (default y)");
  s->add_option("--lon", a.lon, "CSV WGS84 longitude column");
  s->add_option("--lat", a.lat, "CSV WGS84 latitude column");
  s->add_option("--crs", a.crs, "CRS of --x/--y (default EPSG:27700)");
  s->add_option("--layer", a.layer, "OGR layer name (default: the first)");
  s->add_option("--threads", a.threads, "worker threads (default: all cores)");
  s->add_flag("--json", a.json, "print a JSON summary on stdout");
  s->add_flag("--quiet", a.quiet, "no messages on stderr");
}

void add_weights(CLI::App* s, StatArgs& a, const char* default_style) {
  s->add_option("--distance", a.distance, "fixed distance band in metres (binary weights)");
  s->add_option("--knn", a.knn, "k nearest neighbours");
  s->add_option("--contiguity", a.contiguity, "queen or rook (polygons, or grid cells by cell id)");
  s->add_option("--inverse-distance", a.inverse_distance, "inverse distance weights within this band (metres)");
  s->add_option("--power", a.power, "inverse distance power (default 1)");
  s->add_option("--style", a.style, std::string("B binary or W row-standardised (default ") + default_style + ")");
}

void add_perm(CLI::App* s, StatArgs& a) {
  s->add_option("--permutations", a.permutations, "conditional permutations for p_sim (e.g. 999)");
  s->add_option("--seed", a.seed, "random seed of the permutations (default 1)");
  s->add_flag("--fdr", a.fdr, "Benjamini-Hochberg FDR: p_fdr, significant_fdr; bins from p_fdr");
  s->add_option("--alpha", a.alpha, "significance level of significant_fdr / quadrants (default 0.05)");
}

}  // namespace

Runner register_stat(CLI::App& app) {
  auto a = std::make_shared<StatArgs>();
  app.require_subcommand(1);
  auto* gi = app.add_subcommand("gistar", "Getis-Ord Gi* hot spots (z, p, bins; permutations, FDR)");
  add_input(gi, *a, true);
  add_weights(gi, *a, "B");
  add_perm(gi, *a);
  gi->add_option("--out", a->out, "OUT.csv: id,z,p[,p_sim][,p_fdr,significant_fdr],bin,value,neighbours");
  auto* li = app.add_subcommand("lisa", "Anselin local Moran's I clusters and outliers");
  add_input(li, *a, true);
  add_weights(li, *a, "W");
  add_perm(li, *a);
  li->add_flag("--total", a->total, "total randomisation moments (Anselin 1995) instead of conditional");
  li->add_option("--out", a->out, "OUT.csv: id,I,E_I,var_I,z,p[,p_sim],quadrant,...");
  auto* mo = app.add_subcommand("moran", "global Moran's I (spdep::moran.test, randomisation)");
  add_input(mo, *a, true);
  add_weights(mo, *a, "W");
  mo->add_flag("--normality", a->total, "variance under normality instead of randomisation");
  auto* kd = app.add_subcommand("kde", "kernel density surface (GeoTIFF or CSV)");
  add_input(kd, *a, false);
  kd->add_option("--radius", a->radius, "search radius / bandwidth in metres (default: ArcGIS's rule)");
  kd->add_option("--cell", a->cell, "cell size in metres (default: shorter side / 250)");
  kd->add_option("--kernel", a->kernel, "quartic (default), triangular, uniform, epanechnikov, triweight, gaussian");
  kd->add_option("--weight", a->weight, "weight (population) field");
  kd->add_option("--extent", a->extent, "XMIN,YMIN,XMAX,YMAX in EPSG:27700 metres");
  kd->add_option("--per", a->per, "density unit: km2 (default), ha or m2");
  kd->add_option("--denominator", a->denominator, "dual KDE: second point set (e.g. dwellings, last year)");
  kd->add_option("--denominator-weight", a->denominator_weight, "weight field of --denominator");
  kd->add_option("--dual", a->dual, "ratio (default) or difference");
  kd->add_option("--min-denominator", a->min_denominator, "ratio: nodata where the denominator density is below this");
  kd->add_flag("--float32", a->float32, "GeoTIFF in float32 (default float64)");
  kd->add_option("--out", a->out, "OUT.tif or OUT.csv (x,y,density at cell centres)");
  auto* op = app.add_subcommand("optimized", "Optimized Hot Spot Analysis: grid and scale from the data, Gi* + FDR");
  add_input(op, *a, false);
  op->add_option("--boundary", a->boundary, "study boundary polygons: zero-count cells inside are analysed");
  op->add_option("--boundary-code", a->boundary_code, "code field of --boundary");
  op->add_option("--cell", a->cell, "cell size in metres (default: from nearest-neighbour distances)");
  op->add_option("--distance", a->distance, "distance band in metres (default: incremental spatial autocorrelation)");
  op->add_flag("--hex", a->hex, "hexagonal cells");
  op->add_option("--out", a->out, "OUT.gpkg|OUT.geojson|OUT.csv: cell_id,x,y,count,neighbours,z,p,p_fdr,bin");
  Runner spacetime = register_stat_spacetime(app);
  return [a, gi, li, mo, kd, op, spacetime] {
    if (const int rc = spacetime(); rc >= 0) return rc;
    if (gi->parsed()) return run_gistar(*a);
    if (li->parsed()) return run_lisa(*a);
    if (mo->parsed()) return run_moran(*a);
    if (kd->parsed()) return run_kde(*a);
    if (op->parsed()) return run_optimized(*a);
    return 2;
  };
}

}  // namespace hotspot::cli
