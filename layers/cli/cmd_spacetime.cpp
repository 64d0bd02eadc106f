// Space-time verbs of `hotspot stat` (registered by register_stat):
//
// hotspot stat emerging INCIDENTS... --cell M --period month|quarter --distance M
//                  [--time-window K] [--boundary B] [--hex] [--crime-type NAME]
//                  [--global-window cube|neighbourhood|step] [--alpha A] [--trend-alpha A]
//                  --out OUT.csv [--json]
//   id,x,y,category,trend_z,trend_p,trend_s,count_trend_z,count_trend_p,simple,
//   hot_periods,cold_periods,count,bin_<period>...   (one row per cell; category in
//   Esri's words; bins -3..3 per period; core/stats/emerging.hpp has the rules)
//
// hotspot stat near-repeat IN.csv --date C --space-bands M,... --time-bands D,...
//                  [--iterations N --seed S] [--metric manhattan|euclidean]
//                  [--x C --y C | --lon C --lat C] [--category C --crime-type NAME]
//                  --out OUT.csv|OUT.json [--markdown OUT.md] [--json]
//   space_from,space_to,time_from,time_to,observed,expected,ratio,p,space_band,
//   time_band,expected_median   (metres and days; same location: space_from =
//   space_to = 0; "more than" bands end in inf; core/stats/near_repeat.hpp)
//
// hotspot stat matrix IN.csv --from C [--to C] [--x C --y C] --cell M --distance M
//                  [--boundary B] [--out OUT.csv] [--json]
//   Ratcliffe's hotspot matrix: Gi* + FDR on the grid, hot spots = 8-connected cells
//   with Gi_Bin >= 2, each typed dispersed / clustered / hotpoints x diffused /
//   focused / acute from its incidents' aoristic hour-of-week profile (from/to
//   date-times: force or council records; police.uk months cannot be used).
//   hotspot,cells,incidents,timed,locations,x,y,area_m2,spatial,temporal,
//   peak_start_hour,peak_hours,peak_share,top_share,nni,nni_z,h00..h23
//   (core/stats/hotspot_matrix.hpp has the rules and cut-offs).
//
// Incidents are anything `hotspot ingest` reads; a CSV with x,y (an ingest output)
// needs no flags.

#include <CLI/CLI.hpp>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "core/base/error.hpp"
#include "core/grid/counts.hpp"
#include "core/grid/grid.hpp"
#include "core/stats/emerging.hpp"
#include "core/stats/near_repeat.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/csv_writer.hpp"
#include "layers/io/ingest.hpp"
#include "core/stats/hotspot_matrix.hpp"
#include "core/stats/local_stats.hpp"
#include "core/stats/weights.hpp"

namespace hotspot::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Process CPU seconds (every thread): the cost of the work on a loaded machine.
double process_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct SpaceTimeArgs {
  std::vector<std::string> files;
  std::string x, y, lon, lat, crs, date, date_format = "auto", category, category_value, crime_type;
  std::string out, markdown;
  // emerging
  double cell = 0, distance = 0;
  std::string period = "month", months, boundary, boundary_code, global_window = "cube";
  unsigned time_window = 1;
  bool hex = false;
  double alpha = 0.10, trend_alpha = 0.05;
  // matrix
  std::string from, to;
  // near repeat
  std::string space_bands, time_bands, metric = "manhattan";
  unsigned iterations = 999;
  uint64_t seed = 1;
  unsigned threads = 0;
  bool json = false, quiet = false;
};

std::string num(double v) {
  if (!std::isfinite(v)) return std::isinf(v) ? std::string(v > 0 ? "inf" : "-inf") : std::string();
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

int parse_epsg(const std::string& crs) {
  if (crs.empty()) return 27700;
  std::string s = crs;
  if (s.rfind("EPSG:", 0) == 0 || s.rfind("epsg:", 0) == 0) s = s.substr(5);
  int code = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), code);
  if (ec != std::errc() || p != s.data() + s.size() || code <= 0)
    throw UsageError("--crs '" + crs + "' must be EPSG:<code>, e.g. EPSG:27700");
  return code;
}

// Column mapping: as given, or the columns of a `hotspot ingest` CSV output.
layers::IngestOptions ingest_options(const SpaceTimeArgs& a, const std::vector<std::string>& files,
                                     bool want_days) {
  layers::IngestOptions o;
  o.threads = a.threads;
  o.location.lon = a.lon;
  o.location.lat = a.lat;
  o.location.x = a.x;
  o.location.y = a.y;
  o.location.epsg = parse_epsg(a.crs);
  o.date_column = a.date;
  o.date_format = a.date_format;
  o.category_column = a.category;
  o.category_value = a.category_value;
  if (files.empty()) return o;
  const std::string ext = fs::path(files[0]).extension().string();
  if (ext == ".gpkg" || ext == ".geojson" || ext == ".shp") {
    o.format = layers::InputFormat::ogr;
    if (o.date_column.empty()) o.date_column = want_days ? "day" : "month";
    if (o.category_column.empty() && o.category_value.empty()) o.category_column = "category";
    return o;
  }
  layers::CsvChunker probe(files[0]);
  const auto& h = probe.header();
  const bool police = layers::is_police_uk_header(h.names);
  if (police && o.location.empty()) {
    if (want_days)
      throw InputError(files[0] + ":1: error: this is a data.police.uk file: it gives the month of each crime, not "
                       "the day, so near repeats cannot be measured; use force or council data with dates (a CSV with "
                       "--x/--y or --lon/--lat and --date)");
    return o;
  }
  if (o.location.empty() && h.find("x") >= 0 && h.find("y") >= 0) {
    o.location.x = "x";
    o.location.y = "y";
  }
  o.format = layers::InputFormat::csv;
  if (o.date_column.empty()) {
    if (want_days && h.find("day") >= 0) o.date_column = "day";
    else if (want_days && h.find("date") >= 0) o.date_column = "date";
    else if (h.find("month") >= 0) o.date_column = "month";
  }
  if (o.category_column.empty() && o.category_value.empty()) {
    if (h.find("category") >= 0) o.category_column = "category";
    else o.category_value = "Other crime";  // one category for all: only --crime-type reads it
  }
  return o;
}

layers::IngestResult read_incidents(const SpaceTimeArgs& a, bool want_days, Console& con,
                                    std::vector<std::string>& files, core::Taxonomy& tax) {
  files = layers::expand_globs(a.files);
  tax = core::Taxonomy::police_uk();
  layers::IngestResult in = layers::ingest(files, tax, ingest_options(a, files, want_days));
  if (in.counts.rejected) {
    con.warning(thousands(in.counts.rejected) + " row(s) rejected on reading (run `hotspot ingest` for the list); " +
                thousands(in.counts.accepted) + " used");
    if (!in.issues.kept().empty()) con.line("  " + core::format_issue(in.issues.kept().front()));
  }
  if (!a.crime_type.empty()) {
    const auto id = tax.find(a.crime_type);
    if (!id) throw UsageError("--crime-type '" + a.crime_type + "' is not a known crime type");
    std::vector<char> keep(in.table.size());
    for (std::size_t i = 0; i < keep.size(); ++i) keep[i] = in.table.category()[i] == *id;
    const auto before = in.table.size();
    in.table.filter(std::span<const bool>(reinterpret_cast<const bool*>(keep.data()), keep.size()));
    con.info(thousands(in.table.size()) + " of " + thousands(before) + " incidents are " + a.crime_type);
  }
  return in;
}

std::vector<double> parse_list(const std::string& text, const char* option) {
  std::vector<double> v;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    double d = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), d);
    if (ec != std::errc() || p != part.data() + part.size() || !std::isfinite(d))
      throw UsageError(std::string(option) + " '" + text + "': '" + part + "' is not a number");
    v.push_back(d);
  }
  if (v.empty()) throw UsageError(std::string(option) + " needs at least one upper edge, e.g. 100,200,300");
  for (std::size_t k = 1; k < v.size(); ++k)
    if (!(v[k] > v[k - 1])) throw UsageError(std::string(option) + " '" + text + "' must be ascending");
  return v;
}

void write_text(const std::string& path, const std::string& text, const std::vector<std::string>& inputs) {
  std::vector<fs::path> in(inputs.begin(), inputs.end());
  layers::AtomicOutput out(path, in);
  {
    std::ofstream f(out.temp_path(), std::ios::binary);
    f << text;
    if (!f) throw IoError(path + ": cannot write");
  }
  out.commit();
}

// [SECTION] emerging --------------------------------------------------------------------

int run_emerging(const SpaceTimeArgs& a) {
  Console con("stat emerging", a.quiet || a.json);
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = process_cpu_s();
  if (!(a.cell > 0)) throw UsageError("--cell M (metres, > 0) is required");
  if (!(a.distance > 0)) throw UsageError("--distance M (the neighbourhood distance in metres, > 0) is required");
  if (a.out.empty() || fs::path(a.out).extension() != ".csv") throw UsageError("--out OUT.csv is required");
  if (a.period != "month" && a.period != "quarter") throw UsageError("--period must be month or quarter");
  if (!(a.alpha > 0 && a.alpha < 1) || !(a.trend_alpha > 0 && a.trend_alpha < 1))
    throw UsageError("--alpha and --trend-alpha must be between 0 and 1");
  core::EmergingOptions eo;
  eo.time_window = a.time_window;
  eo.alpha = a.alpha;
  eo.trend_alpha = a.trend_alpha;
  eo.threads = a.threads;
  if (a.global_window == "cube") eo.global_window = core::GlobalWindow::entire_cube;
  else if (a.global_window == "neighbourhood") eo.global_window = core::GlobalWindow::neighbourhood_time_step;
  else if (a.global_window == "step") eo.global_window = core::GlobalWindow::individual_time_step;
  else throw UsageError("--global-window must be cube, neighbourhood or step");
  std::vector<std::string> files;
  core::Taxonomy tax;
  const layers::IngestResult in = read_incidents(a, false, con, files, tax);
  const core::IncidentTable& t = in.table;
  if (t.empty()) throw InputError("no incidents to analyse");
  core::MonthIndex first = 0, last = 0;
  if (!a.months.empty()) {
    std::tie(first, last) = parse_month_range(a.months, "--months");
  } else {
    const auto [lo, hi] = std::minmax_element(t.month().begin(), t.month().end());
    first = *lo;
    last = *hi;
  }
  const core::PeriodScheme scheme =
      a.period == "month" ? core::PeriodScheme::months(first, last) : core::PeriodScheme::quarters(first, last);
  if (scheme.size() < 2)
    throw InputError("the incidents span one " + a.period + " only: emerging hot spots need at least two periods");
  const core::GridSpec spec{a.hex ? core::CellShape::hex : core::CellShape::square, a.cell, 0, 0};
  std::optional<layers::AreaReadResult> boundary;
  auto g = [&]() {
    if (!a.boundary.empty()) {
      boundary = layers::read_areas(a.boundary, {"", a.boundary_code, "", ""});
      for (const auto& w : boundary->warnings) con.warning(w);
      return core::Grid::over_boundary(spec, boundary->areas);
    }
    return core::Grid::over_points(spec, t.x_m(), t.y_m());
  }();
  if (!g) throw UsageError(std::string("grid: ") + g.error().message);
  const core::Grid& grid = *g;
  std::vector<uint32_t> cell(t.size());
  grid.locate_many(t.x_m(), t.y_m(), cell);
  const auto r0 = std::chrono::steady_clock::now();
  const double rc0 = process_cpu_s();
  auto res = core::emerging_on_grid(grid, cell, t.month(), scheme, a.distance, eo);
  if (!res) throw InputError(a.files[0] + ": error: emerging hot spots: " + res.error().message);
  const double analysis_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - r0).count();
  const double analysis_cpu_s = process_cpu_s() - rc0;
  const core::GridEmerging& ge = *res;
  const core::EmergingResult& r = ge.result;
  con.info("space-time cube: " + thousands(grid.size()) + " cells x " + std::to_string(scheme.size()) + " " +
           a.period + "s (" + scheme[0].label + " to " + scheme[scheme.size() - 1].label + "); " +
           thousands(ge.cube.unzoned()) + " incidents in no cell, " + thousands(ge.cube.outside_periods()) +
           " outside the periods");
  con.info("neighbourhood: " + ge.weights.description() + " and " + std::to_string(a.time_window) +
           " period(s) back; global window: " + core::global_window_name(eo.global_window) +
           "; FDR within each period; significant at p_fdr <= " + num(a.alpha) + ", trend at p <= " +
           num(a.trend_alpha));
  if (!r.islands.empty())
    con.warning(std::to_string(r.islands.size()) + " cell(s) have no neighbour within " + num(a.distance) +
                " m: their first period is not tested");

  std::vector<fs::path> inputs(files.begin(), files.end());
  layers::CsvWriter csv(a.out, inputs);
  std::vector<std::string> header{"id", "x", "y", "category", "trend_z", "trend_p", "trend_s", "count_trend_z",
                                  "count_trend_p", "simple", "hot_periods", "cold_periods", "count"};
  for (const auto& p : scheme.periods()) header.push_back("bin_" + p.label);
  for (const auto& h : header) csv.field(h);
  csv.end_row();
  const std::size_t cells = grid.size();
  for (uint32_t c = 0; c < cells; ++c) {
    csv.field(std::to_string(grid.id(c).value()));
    csv.field(num(grid.centre_x(c)));
    csv.field(num(grid.centre_y(c)));
    csv.field(core::emerging_category_name(r.category[c]));
    csv.field(num(r.trend[c].z));
    csv.field(num(r.trend[c].p));
    csv.field(int64_t{r.trend[c].s});
    csv.field(num(r.count_trend[c].z));
    csv.field(num(r.count_trend[c].p));
    csv.field(core::simple_category_name(r.simple[c]));
    csv.field(uint64_t{r.hot_periods[c]});
    csv.field(uint64_t{r.cold_periods[c]});
    uint64_t total = 0;
    for (std::size_t p = 0; p < r.periods; ++p) total += ge.cube.count(c, p);
    csv.field(total);
    for (std::size_t p = 0; p < r.periods; ++p) csv.field(int64_t{r.bins[p * cells + c]});
    csv.end_row();
  }
  csv.commit();
  json categories = json::object(), simple = json::object();
  std::string summary;
  for (std::size_t k = 0; k < core::kEmergingCategories; ++k) {
    const auto n = r.category_counts[k];
    if (!n) continue;
    const char* name = core::emerging_category_name(static_cast<core::EmergingCategory>(k));
    categories[name] = n;
    if (k) summary += (summary.empty() ? "" : ", ") + std::string(name) + " " + thousands(n);
  }
  for (std::size_t k = 0; k < core::kSimpleCategories; ++k)
    if (r.simple_counts[k]) simple[core::simple_category_name(static_cast<core::SimpleCategory>(k))] = r.simple_counts[k];
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu_s = process_cpu_s() - c0;
  con.info((summary.empty() ? std::string("no pattern anywhere") : summary) + "; wrote " + a.out);
  if (a.json)
    std::cout << json{{"command", "stat emerging"},
                      {"incidents", t.size()},
                      {"cells", cells},
                      {"periods", r.periods},
                      {"period", a.period},
                      {"first_period", scheme[0].label},
                      {"last_period", scheme[scheme.size() - 1].label},
                      {"cell_m", a.cell},
                      {"distance_m", a.distance},
                      {"time_window", a.time_window},
                      {"global_window", core::global_window_name(eo.global_window)},
                      {"alpha", a.alpha},
                      {"trend_alpha", a.trend_alpha},
                      {"categories", categories},
                      {"simple", simple},
                      {"islands", r.islands.size()},
                      {"incidents_in_no_cell", ge.cube.unzoned()},
                      {"incidents_outside_periods", ge.cube.outside_periods()},
                      {"ingest", {{"read", in.counts.read}, {"accepted", in.counts.accepted}, {"rejected", in.counts.rejected}}},
                      {"out", a.out},
                      {"timings", {{"analysis_s", analysis_s}, {"total_s", secs}}},
                      {"cpu_timings", {{"analysis_s", analysis_cpu_s}, {"total_s", cpu_s}}}}
                     .dump(2)
              << std::endl;
  return 0;
}

// [SECTION] near-repeat -----------------------------------------------------------------

json near_repeat_json(const core::NearRepeatTable& r) {
  json cells = json::array();
  for (std::size_t s = 0; s < r.space_bands; ++s)
    for (std::size_t t = 0; t < r.time_bands; ++t) {
      const auto& c = r.at(s, t);
      cells.push_back({{"space_band", r.space_label(s)},
                       {"time_band", r.time_label(t)},
                       {"space_from", c.space_from_m},
                       {"space_to", std::isinf(c.space_to_m) ? json(nullptr) : json(c.space_to_m)},
                       {"time_from", c.time_from_days},
                       {"time_to", c.time_to_days == std::numeric_limits<int32_t>::max() ? json(nullptr)
                                                                                        : json(c.time_to_days)},
                       {"observed", c.observed},
                       {"expected", c.expected},
                       {"expected_median", c.expected_median},
                       {"ratio", std::isfinite(c.ratio) ? json(c.ratio) : json(nullptr)},
                       {"p", c.p}});
    }
  return cells;
}

int run_near_repeat(const SpaceTimeArgs& a) {
  Console con("stat near-repeat", a.quiet || a.json);
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = process_cpu_s();
  if (a.out.empty()) throw UsageError("--out OUT.csv|OUT.json is required");
  const std::string ext = fs::path(a.out).extension().string();
  if (ext != ".csv" && ext != ".json") throw UsageError("--out must be a .csv or a .json file");
  core::NearRepeatOptions o;
  o.space_bands_m = parse_list(a.space_bands, "--space-bands");
  o.time_bands_days.clear();
  for (double e : parse_list(a.time_bands, "--time-bands")) {
    if (e != std::floor(e) || e < 0 || e > 100000) throw UsageError("--time-bands are whole days >= 0");
    o.time_bands_days.push_back(static_cast<int32_t>(e));
  }
  if (o.space_bands_m.front() <= 0) throw UsageError("--space-bands are metres > 0 (the same-location band is added)");
  if (a.metric == "manhattan") o.metric = core::DistanceMetric::manhattan;
  else if (a.metric == "euclidean") o.metric = core::DistanceMetric::euclidean;
  else throw UsageError("--metric must be manhattan or euclidean");
  if (a.iterations < 1 || a.iterations > 99999) throw UsageError("--iterations must be between 1 and 99999 (99-999 usual)");
  o.iterations = a.iterations;
  o.seed = a.seed;
  o.threads = a.threads;
  std::vector<std::string> files;
  core::Taxonomy tax;
  const layers::IngestResult in = read_incidents(a, true, con, files, tax);
  const core::IncidentTable& t = in.table;
  std::size_t no_day = 0;
  for (core::DayNumber d : t.day()) no_day += d == core::kNoDay;
  if (no_day)
    throw InputError(a.files[0] + ": error: " + thousands(no_day) + " of " + thousands(t.size()) +
                     " incidents have a month but no day (dates like 2023-05): near repeat analysis needs the date "
                     "of each incident; police.uk data cannot be used");
  const auto r0 = std::chrono::steady_clock::now();
  const double rc0 = process_cpu_s();
  auto res = core::near_repeat(t.x_m(), t.y_m(), t.day(), o);
  if (!res) {
    if (res.error().code == core::NearRepeatError::bad_bands) throw UsageError(res.error().message);
    throw InputError(a.files[0] + ": error: near repeat: " + res.error().message);
  }
  const double analysis_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - r0).count();
  const double analysis_cpu_s = process_cpu_s() - rc0;
  const core::NearRepeatTable& r = *res;
  std::vector<fs::path> inputs(files.begin(), files.end());
  if (ext == ".csv") {
    layers::CsvWriter csv(a.out, inputs);
    csv.row({"space_from", "space_to", "time_from", "time_to", "observed", "expected", "ratio", "p", "space_band",
             "time_band", "expected_median"});
    for (std::size_t s = 0; s < r.space_bands; ++s)
      for (std::size_t tb = 0; tb < r.time_bands; ++tb) {
        const auto& c = r.at(s, tb);
        csv.field(num(c.space_from_m));
        csv.field(num(c.space_to_m));
        csv.field(int64_t{c.time_from_days});
        csv.field(c.time_to_days == std::numeric_limits<int32_t>::max() ? std::string("inf")
                                                                        : std::to_string(c.time_to_days));
        csv.field(c.observed);
        csv.field(num(c.expected));
        csv.field(num(c.ratio));
        csv.field(num(c.p));
        csv.field(r.space_label(s));
        csv.field(r.time_label(tb));
        csv.field(num(c.expected_median));
        csv.end_row();
      }
    csv.commit();
  } else {
    write_text(a.out,
               json{{"incidents", r.incidents},
                    {"pairs", r.pairs},
                    {"metric", core::distance_metric_name(r.metric)},
                    {"iterations", r.iterations},
                    {"seed", r.seed},
                    {"closure", "space bands [0, 0] then (a, b]; time bands [0, d1] then (a, b]; metres and whole days"},
                    {"cells", near_repeat_json(r)}}
                       .dump(2) +
                   "\n",
               files);
  }
  if (!a.markdown.empty()) write_text(a.markdown, core::near_repeat_markdown(r), files);
  const core::NearRepeatCell& first = r.at(1, 0);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu_s = process_cpu_s() - c0;
  con.info(thousands(r.incidents) + " incidents (" + core::format_day(r.first_day) + " to " +
           core::format_day(r.last_day) + "), " + thousands(r.close_pairs) + " pairs within " +
           num(o.space_bands_m.back()) + " m; " + std::to_string(r.iterations) + " permutations (seed " +
           std::to_string(r.seed) + "); " + r.space_label(1) + " m x " + r.time_label(0) + " days: Knox ratio " +
           num(std::round(first.ratio * 100) / 100) + ", p " + num(first.p) + "; wrote " + a.out);
  if (a.json)
    std::cout << json{{"command", "stat near-repeat"},
                      {"incidents", r.incidents},
                      {"first_day", core::format_day(r.first_day)},
                      {"last_day", core::format_day(r.last_day)},
                      {"pairs", r.pairs},
                      {"close_pairs", r.close_pairs},
                      {"metric", core::distance_metric_name(r.metric)},
                      {"iterations", r.iterations},
                      {"seed", r.seed},
                      {"cells", near_repeat_json(r)},
                      {"ingest", {{"read", in.counts.read}, {"accepted", in.counts.accepted}, {"rejected", in.counts.rejected}}},
                      {"out", a.out},
                      {"markdown", a.markdown},
                      {"timings", {{"analysis_s", analysis_s}, {"total_s", secs}}},
                      {"cpu_timings", {{"analysis_s", analysis_cpu_s}, {"total_s", cpu_s}}}}
                     .dump(2)
              << std::endl;
  return 0;
}

void add_incident_options(CLI::App* s, SpaceTimeArgs& a) {
  s->add_option("--x", a.x, "CSV easting column (an ingest output's x is found by itself)");
  s->add_option("--y", a.y, "CSV northing column");
  s->add_option("--lon", a.lon, "CSV WGS84 longitude column");
  s->add_option("--lat", a.lat, "CSV WGS84 latitude column");
  s->add_option("--crs", a.crs, "CRS of --x/--y (default EPSG:27700)");
  s->add_option("--date-format", a.date_format, "date layout, e.g. %d/%m/%Y (default: automatic)");
  s->add_option("--category", a.category, "crime type column");
  s->add_option("--category-value", a.category_value, "one crime type for every row");
  s->add_option("--crime-type", a.crime_type, "analyse only this crime type (e.g. Burglary)");
  s->add_option("--threads", a.threads, "worker threads (default: all cores)");
  s->add_flag("--json", a.json, "print a JSON summary on stdout");
  s->add_flag("--quiet", a.quiet, "no messages on stderr");
}

}  // namespace

// Minutes since 1970-01-01 00:00 (local clock) of "YYYY-MM-DD[( |T)HH:MM[:SS]]" or
// "DD/MM/YYYY[ HH:MM[:SS]]"; has_time says whether a time was given.
std::optional<int64_t> parse_minute(std::string_view s, bool& has_time) {
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t k = pos; k < pos + n; ++k) {
      if (s[k] < '0' || s[k] > '9') return false;
      out = out * 10 + (s[k] - '0');
    }
    return true;
  };
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
  std::size_t rest = 0;
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
    rest = 10;
  } else if (s.size() >= 10 && s[2] == '/' && s[5] == '/') {
    if (!digits(0, 2, d) || !digits(3, 2, m) || !digits(6, 4, y)) return std::nullopt;
    rest = 10;
  } else {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) return std::nullopt;
  has_time = rest < s.size();
  if (has_time) {
    if (s[rest] != ' ' && s[rest] != 'T') return std::nullopt;
    if (!digits(rest + 1, 2, hh) || rest + 3 >= s.size() || s[rest + 3] != ':' || !digits(rest + 4, 2, mm))
      return std::nullopt;
    std::size_t end = rest + 6;
    if (end < s.size()) {
      if (s[end] != ':' || !digits(end + 1, 2, ss) || end + 3 != s.size()) return std::nullopt;
    }
    if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  }
  // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
  const int yy = y - (m <= 2 ? 1 : 0);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = int64_t{era} * 146097 + doe - 719468;
  return days * core::kMinutesPerDay + hh * 60 + mm;
}

int run_matrix(const SpaceTimeArgs& a) {
  Console con("stat matrix", a.quiet || a.json);
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = process_cpu_s();
  if (a.files.size() != 1) throw UsageError("give one CSV of incidents");
  if (a.from.empty()) throw UsageError("--from C is required: the column of the earliest date-time of each incident");
  if (!(a.cell > 0)) throw UsageError("--cell M is required (metres)");
  if (!(a.distance > 0)) throw UsageError("--distance M is required (metres; the Gi* band)");
  if (!a.lon.empty() || !a.lat.empty()) throw UsageError("stat matrix reads --x/--y in EPSG:27700 metres only");
  if (a.out.empty() || fs::path(a.out).extension() != ".csv") throw UsageError("--out OUT.csv is required");
  const std::string& file = a.files[0];
  std::ifstream in(file);
  if (!in) throw IoError(file + ": cannot open");
  std::string line;
  if (!std::getline(in, line)) throw InputError(file + ":1: error: empty file (no header)");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const char delim = layers::detect_delimiter(line);
  const auto header = layers::split_csv_line(line, delim);
  auto column = [&](const std::string& name, const char* flag) -> std::size_t {
    for (std::size_t k = 0; k < header.size(); ++k)
      if (header[k] == name) return k;
    std::string have;
    for (const auto& h : header) have += (have.empty() ? "" : ", ") + h;
    throw UsageError(std::string(flag) + " '" + name + "': no such column in " + file + " (columns: " + have + ")");
  };
  const std::size_t cx = column(a.x.empty() ? "x" : a.x, "--x"), cy = column(a.y.empty() ? "y" : a.y, "--y");
  const std::size_t cf = column(a.from, "--from");
  const bool has_to = !a.to.empty();
  const std::size_t ct = has_to ? column(a.to, "--to") : 0;
  std::vector<double> xs, ys;
  std::vector<int64_t> from, to;
  uint64_t lineno = 1;
  auto number = [&](const std::string& text, const char* what) {
    double v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v))
      throw InputError(file + ":" + std::to_string(lineno) + ": error: " + what + " '" + text + "' is not a number");
    return v;
  };
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (std::count(line.begin(), line.end(), '"') % 2 != 0)
      throw InputError(file + ":" + std::to_string(lineno) + ": error: a quoted field spans lines (not supported here)");
    const auto f = layers::split_csv_line(line, delim);
    const std::size_t need = std::max({cx, cy, cf, ct}) + 1;
    if (f.size() < need)
      throw InputError(file + ":" + std::to_string(lineno) + ": error: " + std::to_string(f.size()) + " fields, " +
                       "need at least " + std::to_string(need));
    xs.push_back(number(f[cx], "x"));
    ys.push_back(number(f[cy], "y"));
    bool tf = false, tt = false;
    const auto a0 = parse_minute(f[cf], tf);
    if (!a0)
      throw InputError(file + ":" + std::to_string(lineno) + ": error: --from '" + f[cf] +
                       "' is not a date-time (YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM; a month alone, as police.uk "
                       "gives, has no time of day)");
    int64_t b0 = *a0 + (tf ? 1 : core::kMinutesPerDay);
    if (has_to && !f[ct].empty()) {
      const auto b = parse_minute(f[ct], tt);
      if (!b) throw InputError(file + ":" + std::to_string(lineno) + ": error: --to '" + f[ct] + "' is not a date-time");
      b0 = *b + (tt ? 0 : core::kMinutesPerDay);  // a date alone: to the end of that day
      if (b0 <= *a0)
        throw InputError(file + ":" + std::to_string(lineno) + ": error: --to '" + f[ct] + "' is not after --from '" +
                         f[cf] + "'");
    }
    from.push_back(*a0);
    to.push_back(b0);
  }
  if (xs.size() < 3) throw InputError(file + ": error: fewer than 3 incidents");
  const core::GridSpec spec{core::CellShape::square, a.cell, 0, 0};
  std::optional<layers::AreaReadResult> boundary;
  auto g = [&]() {
    if (!a.boundary.empty()) {
      boundary = layers::read_areas(a.boundary, {"", a.boundary_code, "", ""});
      for (const auto& w : boundary->warnings) con.warning(w);
      return core::Grid::over_boundary(spec, boundary->areas);
    }
    return core::Grid::over_points(spec, xs, ys);
  }();
  if (!g) throw UsageError(std::string("grid: ") + g.error().message);
  const core::Grid& grid = *g;
  std::vector<uint32_t> cell(xs.size());
  grid.locate_many(xs, ys, cell);
  std::vector<double> counts(grid.size(), 0.0);
  std::size_t in_no_cell = 0;
  for (uint32_t c : cell) {
    if (c == core::Grid::kNone) ++in_no_cell;
    else counts[c] += 1;
  }
  const core::Weights w = core::Weights::grid_distance_band(grid, a.distance);
  auto gi = core::gistar(counts, w);
  if (!gi) throw InputError(file + ": error: Gi*: " + gi.error().message);
  std::vector<double> p = gi->p;
  for (uint32_t i : gi->islands) p[i] = std::nan("");
  const std::vector<int8_t> bins = core::confidence_bins(gi->z, core::fdr_adjust(p));
  const auto hs = core::hotspot_matrix(grid, bins, cell, xs, ys, from, to, {});
  layers::CsvWriter csv(a.out, std::vector<fs::path>{file});
  // Then h00 .. h23: the aoristic weight of each hour of the day.
  std::vector<std::string> columns{"hotspot",   "cells",     "incidents",       "timed",      "locations",
                                  "x",         "y",         "area_m2",         "spatial",    "temporal",
                                  "peak_start_hour", "peak_hours", "peak_share", "top_share", "nni", "nni_z"};
  for (int h = 0; h < 24; ++h) columns.push_back(std::string(h < 10 ? "h0" : "h") + std::to_string(h));
  for (const auto& h : columns) csv.field(h);
  csv.end_row();
  json types = json::object();
  for (std::size_t k = 0; k < hs.size(); ++k) {
    const core::MatrixHotspot& h = hs[k];
    csv.field(uint64_t{k + 1});
    csv.field(uint64_t{h.cells.size()});
    csv.field(uint64_t{h.measures.incidents});
    csv.field(uint64_t{h.timed});
    csv.field(uint64_t{h.measures.locations});
    for (double v : {h.x_m, h.y_m, h.area_m2}) csv.field(num(v));
    csv.field(core::spatial_pattern_name(h.spatial));
    csv.field(core::temporal_pattern_name(h.temporal));
    csv.field(int64_t{h.peak.start_hour});
    csv.field(int64_t{h.peak.hours});
    for (double v : {h.peak.share, h.measures.top_share, h.measures.nni, h.measures.nni_z}) csv.field(num(v));
    for (double v : h.hour_of_day) csv.field(num(v));
    csv.end_row();
    const std::string key = std::string(core::spatial_pattern_name(h.spatial)) + "-" +
                            core::temporal_pattern_name(h.temporal);
    types[key] = types.value(key, 0) + 1;
  }
  csv.commit();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  con.info(thousands(xs.size()) + " incidents (" + thousands(in_no_cell) + " in no cell), " + thousands(grid.size()) +
           " cells of " + num(a.cell) + " m, Gi* band " + num(a.distance) + " m with FDR: " +
           std::to_string(hs.size()) + " hot spot(s); wrote " + a.out);
  if (a.json)
    std::cout << json{{"command", "stat matrix"},
                      {"incidents", xs.size()},
                      {"incidents_in_no_cell", in_no_cell},
                      {"cells", grid.size()},
                      {"hotspots", hs.size()},
                      {"types", types},
                      {"out", a.out},
                      {"timings", {{"total_s", secs}}},
                      {"cpu_timings", {{"total_s", process_cpu_s() - c0}}}}
                     .dump(2)
              << std::endl;
  return 0;
}

Runner register_stat_spacetime(CLI::App& app) {
  auto a = std::make_shared<SpaceTimeArgs>();
  auto* em = app.add_subcommand("emerging", "emerging hot spots: space-time Gi* per period, Mann-Kendall trend, Esri's categories");
  em->add_option("INCIDENTS", a->files, "incident files (police.uk CSV, ingest output, CSV with location flags)")->required();
  em->add_option("--cell", a->cell, "cell size in metres");
  em->add_option("--period", a->period, "month (default) or quarter");
  em->add_option("--months", a->months, "YYYY-MM:YYYY-MM (default: the incidents' range)");
  em->add_option("--distance", a->distance, "neighbourhood distance in metres (binary band between cell centres)");
  em->add_option("--time-window", a->time_window, "neighbourhood time step: periods looked back (default 1)");
  em->add_option("--global-window", a->global_window, "cube (default), neighbourhood or step: the mean each bin is compared with");
  em->add_option("--boundary", a->boundary, "study boundary: every cell meeting it is analysed (else cells with incidents)");
  em->add_option("--boundary-code", a->boundary_code, "code field of --boundary");
  em->add_flag("--hex", a->hex, "hexagonal cells");
  em->add_option("--date", a->date, "date/month column of a generic CSV");
  em->add_option("--alpha", a->alpha, "a bin is significant when its FDR-adjusted p <= this (default 0.10)");
  em->add_option("--trend-alpha", a->trend_alpha, "Mann-Kendall significance (default 0.05)");
  em->add_option("--out", a->out, "OUT.csv: id,x,y,category,trend_z,trend_p,...,bin_<period>...");
  add_incident_options(em, *a);
  auto* nr = app.add_subcommand("near-repeat", "near repeats: Knox test as Ratcliffe's Near Repeat Calculator, Monte Carlo");
  nr->add_option("IN", a->files, "incidents with dates (CSV with --x/--y or --lon/--lat, or an ingest output)")->required();
  nr->add_option("--date", a->date, "date column (days: 2023-05-17, 17/05/2023, ...)");
  nr->add_option("--space-bands", a->space_bands, "upper edges in metres, e.g. 100,200,300,400 (same location and more-than bands are added)")->required();
  nr->add_option("--time-bands", a->time_bands, "upper edges in days, e.g. 7,14,21,28 (a more-than band is added)")->required();
  nr->add_option("--iterations", a->iterations, "Monte Carlo permutations of the dates (default 999)");
  nr->add_option("--seed", a->seed, "random seed (default 1)");
  nr->add_option("--metric", a->metric, "manhattan (default, as the NRC) or euclidean");
  nr->add_option("--markdown", a->markdown, "also write the heat table as Markdown (for the report)");
  nr->add_option("--out", a->out, "OUT.csv (space_from,space_to,time_from,time_to,observed,expected,ratio,p,...) or OUT.json");
  add_incident_options(nr, *a);
  auto* mx = app.add_subcommand("matrix", "Ratcliffe's hotspot matrix: spatial x temporal types of Gi* hot spots, aoristic hours");
  mx->add_option("IN", a->files, "CSV of incidents with x, y (EPSG:27700) and from/to date-times")->required();
  mx->add_option("--x", a->x, "easting column (default x)");
  mx->add_option("--y", a->y, "northing column (default y)");
  mx->add_option("--from", a->from, "earliest date-time column (YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM)");
  mx->add_option("--to", a->to, "latest date-time column (empty or absent: the from time is exact)");
  mx->add_option("--cell", a->cell, "cell size in metres");
  mx->add_option("--distance", a->distance, "Gi* distance band in metres");
  mx->add_option("--boundary", a->boundary, "study boundary: every cell meeting it is analysed (else cells with incidents)");
  mx->add_option("--boundary-code", a->boundary_code, "code field of --boundary");
  mx->add_option("--out", a->out, "OUT.csv: one row per hot spot with its types and hour-of-day profile");
  mx->add_flag("--json", a->json, "print a JSON summary on stdout");
  mx->add_flag("--quiet", a->quiet, "no messages on stderr");
  return [a, em, nr, mx] {
    if (em->parsed()) return run_emerging(*a);
    if (nr->parsed()) return run_near_repeat(*a);
    if (mx->parsed()) return run_matrix(*a);
    return -1;
  };
}

}  // namespace hotspot::cli
