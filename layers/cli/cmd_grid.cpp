// hotspot grid INCIDENTS... --cell M [--hex] [--boundary B] [--by month|quarter|year|fy|category|range:...]
//               --out OUT.gpkg|OUT.csv
// hotspot grid INCIDENTS... --areas POLYGONS [--area-id FIELD] [--area-name FIELD] [--by ...]
//               --out OUT.gpkg|OUT.csv
//
// Incidents are any input `hotspot ingest` reads (police.uk CSV, an ingest output
// CSV/GeoPackage, a generic CSV with location flags). One output feature per cell:
//   cell_id,column,row,x,y,[inside,]area_fraction,count[,<key>...]
// (x, y the cell centre in EPSG:27700; GeoPackage/GeoJSON add the cell polygon),
// or, with --areas, one per polygon of the layer, in layer order:
//   area_id,area_name,x,y,area_km2,count[,<key>...]
// (area_id the --area-id field or the feature id, "#2", "#3" appended to repeated
// ids; x, y the polygon's centroid; GeoPackage/GeoJSON add the polygon).
// --by range:A:B,C:D,... counts custom inclusive month ranges (YYYY-MM:YYYY-MM or
// one YYYY-MM; LABEL=A:B names a column, default "A_B"). Incidents outside every
// cell/area or every period are counted and reported, never dropped silently.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <boost/geometry/algorithms/centroid.hpp>
#include <boost/geometry/algorithms/is_empty.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/base/error.hpp"
#include "core/grid/counts.hpp"
#include "core/grid/grid.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/ingest.hpp"
#include "layers/io/vector_writer.hpp"

namespace hotspot::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct GridArgs {
  std::vector<std::string> files;
  double cell = 0;
  bool hex = false, keep_outside = false, centre_inside = false;
  std::string boundary, boundary_code, by, out;
  std::string areas, area_layer, area_id, area_name, areas_crs;
  std::string lon, lat, x, y, date, category, category_value;
  unsigned threads = 0;
  bool json = false, quiet = false;
};

// Location/date/category columns for an input: as given, or those of a
// `hotspot ingest` output (x, y, month, category) when the file has them.
layers::IngestOptions ingest_options(const GridArgs& a, const std::vector<std::string>& files) {
  layers::IngestOptions o;
  o.threads = a.threads;
  o.location.lon = a.lon;
  o.location.lat = a.lat;
  o.location.x = a.x;
  o.location.y = a.y;
  o.date_column = a.date;
  o.category_column = a.category;
  o.category_value = a.category_value;
  if (!o.location.empty() || files.empty()) return o;
  const std::string ext = fs::path(files[0]).extension().string();
  if (ext == ".gpkg" || ext == ".geojson" || ext == ".shp") {
    o.format = layers::InputFormat::ogr;
    if (o.date_column.empty()) o.date_column = "month";
    if (o.category_column.empty()) o.category_column = "category";
    return o;
  }
  layers::CsvChunker probe(files[0]);
  const auto& h = probe.header();
  if (layers::is_police_uk_header(h.names)) return o;
  if (h.find("x") >= 0 && h.find("y") >= 0) {
    o.format = layers::InputFormat::csv;
    o.location.x = "x";
    o.location.y = "y";
    if (o.date_column.empty() && h.find("month") >= 0) o.date_column = "month";
    if (o.category_column.empty() && o.category_value.empty() && h.find("category") >= 0) o.category_column = "category";
  }
  return o;
}

// --by range:2023-01:2023-06,after=2023-07:2023-12 -> custom periods. Ranges are
// inclusive, must not overlap; a label defaults to "FIRST_LAST" (one month: "FIRST").
core::PeriodScheme parse_ranges(const std::string& by) {
  const std::string spec = by.substr(6);  // after "range:"
  const std::string usage = "--by range:YYYY-MM:YYYY-MM[,...] (or LABEL=YYYY-MM:YYYY-MM, or one YYYY-MM)";
  if (spec.empty()) throw UsageError(usage + ": no range given");
  std::vector<core::PeriodScheme::Period> periods;
  std::size_t pos = 0;
  while (pos <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', pos), spec.size());
    std::string part = spec.substr(pos, comma - pos);
    pos = comma + 1;
    std::string label;
    if (const auto eq = part.find('='); eq != std::string::npos) {
      label = part.substr(0, eq);
      part = part.substr(eq + 1);
      if (label.empty()) throw UsageError(usage + ": empty label before '=' in '" + part + "'");
    }
    const auto colon = part.find(':');
    const std::string from = part.substr(0, colon), to = colon == std::string::npos ? from : part.substr(colon + 1);
    const auto f = core::parse_month(from), t = core::parse_month(to);
    if (!f || !t)
      throw UsageError(usage + ": '" + part + "' is not a month range (" + (f ? t : f).error().message + ")");
    if (*t < *f) throw UsageError(usage + ": range '" + part + "' ends before it starts");
    core::PeriodScheme::Period p;
    p.first = *f;
    p.last = *t;
    p.label = !label.empty() ? label : (*f == *t ? from : from + "_" + to);
    for (const auto& q : periods) {
      if (q.label == p.label) throw UsageError(usage + ": period '" + p.label + "' given twice");
      if (p.first <= q.last && q.first <= p.last)
        throw UsageError(usage + ": ranges '" + q.label + "' and '" + p.label + "' overlap");
    }
    periods.push_back(std::move(p));
  }
  return core::PeriodScheme::custom(std::move(periods));
}

// The polygon layer of --areas with one output id per area (repeated codes get
// "#2", "#3", ... so every row stays distinct) and its centroid.
struct AreaZones {
  layers::AreaReadResult read;
  std::vector<std::string> ids;
  std::vector<core::Point> centre;
};

AreaZones read_area_zones(const GridArgs& a) {
  AreaZones z{layers::read_areas(a.areas, {a.area_layer, a.area_id, a.area_name, a.areas_crs}), {}, {}};
  const auto& areas = z.read.areas;
  if (areas.empty()) throw InputError(a.areas + ": no polygons to count into");
  std::map<std::string, int> seen;
  for (uint32_t i = 0; i < areas.size(); ++i) {
    std::string id = areas[i].code;
    if (const int n = ++seen[id]; n > 1) id += "#" + std::to_string(n);
    z.ids.push_back(std::move(id));
    core::Point c(std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN());
    if (!boost::geometry::is_empty(areas[i].geometry)) boost::geometry::centroid(areas[i].geometry, c);
    z.centre.push_back(c);
  }
  return z;
}

int run_grid(const GridArgs& a) {
  Console con("grid", a.quiet || a.json);
  const auto t0 = std::chrono::steady_clock::now();
  const bool by_area = !a.areas.empty();
  if (by_area) {
    if (a.cell > 0 || a.hex || !a.boundary.empty() || a.keep_outside || a.centre_inside)
      throw UsageError("--areas counts into polygons: --cell, --hex, --boundary, --keep-outside and --centre-inside "
                       "apply to grids only");
  } else if (!(a.cell > 0)) {
    throw UsageError("--cell M (metres, > 0) is required (or --areas POLYGONS to count into polygons)");
  }
  if (a.out.empty()) throw UsageError("--out OUT.gpkg|OUT.csv is required");
  const auto fmt = layers::vector_format_for(a.out);
  if (!fmt) throw UsageError("--out must be .gpkg, .geojson, .csv or .shp");
  // Usage errors in --by before any reading.
  std::optional<core::PeriodScheme> ranges;
  if (a.by.rfind("range:", 0) == 0) ranges = parse_ranges(a.by);
  else if (!a.by.empty() && a.by != "category" && a.by != "month" && a.by != "quarter" && a.by != "year" && a.by != "fy")
    throw UsageError("--by must be month, quarter, year, fy, category or range:YYYY-MM:YYYY-MM[,...]");
  // The polygons before the incidents: a bad --areas file fails fast.
  std::optional<AreaZones> az;
  if (by_area) {
    az.emplace(read_area_zones(a));
    for (const auto& w : az->read.warnings) con.warning(w);
  }
  const core::Taxonomy tax = core::Taxonomy::police_uk();
  const std::vector<std::string> files = layers::expand_globs(a.files);
  const layers::IngestResult in = layers::ingest(files, tax, ingest_options(a, files));
  if (in.counts.rejected) {
    con.warning(thousands(in.counts.rejected) + " row(s) rejected on reading (run `hotspot ingest` for the list); " +
                thousands(in.counts.accepted) + " used");
    for (const auto& issue : in.issues.kept()) {
      con.line("  " + core::format_issue(issue));
      break;
    }
  }
  const core::IncidentTable& t = in.table;
  std::optional<core::Grid> grid;
  std::size_t zones = 0;
  std::vector<uint32_t> zone(t.size());
  if (by_area) {
    zones = az->read.areas.size();
    az->read.areas.locate_many(t.x_m(), t.y_m(), zone, a.threads);
  } else {
    core::GridSpec spec{a.hex ? core::CellShape::hex : core::CellShape::square, a.cell, 0, 0};
    auto g = [&]() {
      if (!a.boundary.empty()) {
        const layers::AreaReadResult boundary = layers::read_areas(a.boundary, {"", a.boundary_code, "", ""});
        for (const auto& w : boundary.warnings) con.warning(w);
        core::GridOptions go;
        go.keep = a.centre_inside ? core::CellKeep::centre_inside : core::CellKeep::intersecting;
        go.flag_outside = a.keep_outside;
        return core::Grid::over_boundary(spec, boundary.areas, go);
      }
      return core::Grid::over_points(spec, t.x_m(), t.y_m());
    }();
    if (!g) throw UsageError(std::string("grid: ") + g.error().message);
    grid.emplace(std::move(g).value());
    zones = grid->size();
    grid->locate_many(t.x_m(), t.y_m(), zone);
    // Incidents in cells flagged outside count as outside the grid.
    for (auto& z : zone)
      if (z != core::kNoZone && !grid->inside(z)) z = core::kNoZone;
  }
  uint64_t unzoned = 0;
  const std::vector<uint32_t> totals = core::count_by_zone(zone, zones, &unzoned);
  std::vector<std::string> keys;
  std::optional<core::CountTable> by;
  uint64_t outside_periods_all = 0;  // every incident outside every period, in a zone or not
  if (!a.by.empty()) {
    if (a.by == "category") {
      by = core::count_by_key(zone, zones, t.category(), tax.size());
      for (const auto& c : tax.categories()) keys.push_back(c.slug);
    } else {
      core::PeriodScheme ps;
      if (ranges) {
        ps = std::move(*ranges);
      } else {
        if (t.empty()) throw InputError("no incidents to count by period");
        const auto [lo, hi] = std::minmax_element(t.month().begin(), t.month().end());
        if (a.by == "month") ps = core::PeriodScheme::months(*lo, *hi);
        else if (a.by == "quarter") ps = core::PeriodScheme::quarters(*lo, *hi);
        else if (a.by == "year") ps = core::PeriodScheme::years(*lo, *hi, 1);
        else ps = core::PeriodScheme::years(*lo, *hi, 4);
      }
      by = core::count_by_period(zone, zones, t.month(), ps);
      for (const auto& p : ps.periods()) keys.push_back(p.label);
      for (const core::MonthIndex m : t.month())
        if (ps.period_of(m) < 0) ++outside_periods_all;
    }
  }
  std::vector<fs::path> inputs(files.begin(), files.end());
  if (by_area) inputs.emplace_back(a.areas);
  layers::AtomicOutput out(a.out, inputs);
  {
    layers::VectorWriter vw(out.temp_path());
    const bool geom = *fmt != layers::VectorFormat::csv;
    using layers::FieldType;
    layers::LayerSpec spec2;
    spec2.name = by_area ? "areas" : "grid";
    spec2.geometry = geom ? layers::GeometryKind::multipolygon : layers::GeometryKind::none;
    if (by_area) {
      spec2.fields = {{"area_id", FieldType::text}, {"area_name", FieldType::text}, {"x", FieldType::real},
                      {"y", FieldType::real},       {"area_km2", FieldType::real}};
    } else {
      spec2.fields = {{"cell_id", FieldType::integer}, {"column", FieldType::integer}, {"row", FieldType::integer},
                      {"x", FieldType::real},          {"y", FieldType::real}};
      if (a.keep_outside) spec2.fields.push_back({"inside", FieldType::integer});
      spec2.fields.push_back({"area_fraction", FieldType::real});
    }
    spec2.fields.push_back({"count", FieldType::integer});
    for (const auto& k : keys) spec2.fields.push_back({k, FieldType::integer});
    auto& layer = vw.add_layer(spec2);
    layers::FeatureValues f;
    for (uint32_t i = 0; i < zones; ++i) {
      if (by_area) {
        const core::Area& ar = az->read.areas[i];
        if (geom) f.geometry = ar.geometry;
        f.values = {az->ids[i], ar.name, az->centre[i].x(), az->centre[i].y(), ar.area_m2 / 1e6};
      } else {
        if (geom) f.geometry = core::MultiPolygon{grid->polygon(i)};
        const core::CellId id = grid->id(i);
        f.values = {id.as_int64(), int64_t{id.column()}, int64_t{id.row()}, grid->centre_x(i), grid->centre_y(i)};
        if (a.keep_outside) f.values.emplace_back(int64_t{grid->inside(i) ? 1 : 0});
        f.values.emplace_back(grid->area_fraction(i));
      }
      f.values.emplace_back(int64_t{totals[i]});
      if (by)
        for (std::size_t k = 0; k < keys.size(); ++k) f.values.emplace_back(int64_t{by->at(i, k)});
      layer.add(f);
    }
    vw.close();
    for (const auto& w : vw.warnings()) con.warning(w);
  }
  out.commit();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const uint64_t in_zones = t.size() - unzoned;
  const uint64_t unkeyed = by ? by->unkeyed : 0;
  std::string msg = thousands(t.size()) + " incidents: " + thousands(in_zones) + " in ";
  if (by_area)
    msg += thousands(zones) + " areas of " + a.areas + ", " + thousands(unzoned) + " outside every area";
  else
    msg += thousands(grid->inside_count()) + (a.hex ? " hexagons" : " squares") + " of " +
           std::to_string(static_cast<int64_t>(a.cell)) + " m, " + thousands(unzoned) + " outside the grid";
  if (by && a.by != "category")
    msg += "; " + thousands(outside_periods_all) + " outside every period (" + thousands(unkeyed) + " of them in " +
           (by_area ? "an area" : "a cell") + ": in count, in no period column)";
  con.info(msg + "; wrote " + a.out);
  json counts{{"read", in.counts.read}, {"accepted", in.counts.accepted}, {"rejected", in.counts.rejected}};
  if (by_area) {
    counts["in_areas"] = in_zones;
    counts["outside_areas"] = unzoned;
  } else {
    counts["in_cells"] = in_zones;
    counts["outside_grid"] = unzoned;
  }
  counts["outside_periods"] = unkeyed;
  counts["outside_periods_all"] = outside_periods_all;
  json j{{"command", "grid"}, {"counts", counts}, {"by", a.by}, {"keys", keys}, {"out", a.out},
         {"timings", {{"total_s", secs}}}};
  if (by_area) {
    j["areas"] = zones;
    j["areas_file"] = a.areas;
  } else {
    j["shape"] = a.hex ? "hex" : "square";
    j["cell_m"] = a.cell;
    j["cells"] = grid->size();
    j["cells_inside"] = grid->inside_count();
  }
  if (a.json) std::cout << j.dump(2) << std::endl;
  return 0;
}

}  // namespace

Runner register_grid(CLI::App& app) {
  auto a = std::make_shared<GridArgs>();
  app.add_option("INCIDENTS", a->files, "incident files (police.uk CSV, ingest output CSV/GeoPackage, ...)")->required();
  app.add_option("--cell", a->cell, "cell size in metres (square side; hexagon centre spacing)");
  app.add_flag("--hex", a->hex, "hexagonal cells (pointy-top)");
  app.add_option("--boundary", a->boundary, "study boundary: cells meeting it are kept, zero counts included");
  app.add_option("--boundary-code", a->boundary_code, "code field of --boundary");
  app.add_flag("--centre-inside", a->centre_inside, "keep only cells whose centre is inside the boundary");
  app.add_flag("--keep-outside", a->keep_outside, "also write the other cells of the boundary's box, inside=0");
  app.add_option("--by", a->by,
                 "extra count columns: month, quarter, year, fy (April), category, or custom month ranges "
                 "range:2023-01:2023-06,2023-07:2023-12 (LABEL=A:B names a column)");
  app.add_option("--areas", a->areas, "count into this polygon layer (wards, LSOAs, ...) instead of grid cells");
  app.add_option("--area-id,--area-code", a->area_id, "id field of --areas (default: the feature id)");
  app.add_option("--area-name", a->area_name, "name field of --areas (fills area_name)");
  app.add_option("--area-layer", a->area_layer, "layer of --areas (default: the first)");
  app.add_option("--areas-crs", a->areas_crs, "CRS of --areas when the layer has none (e.g. EPSG:27700)");
  app.add_option("--lon", a->lon, "CSV longitude column");
  app.add_option("--lat", a->lat, "CSV latitude column");
  app.add_option("--x", a->x, "CSV easting column");
  app.add_option("--y", a->y, "CSV northing column");
  app.add_option("--date", a->date, "date/month column");
  app.add_option("--category", a->category, "category column");
  app.add_option("--category-value", a->category_value, "one category for every row (no category column)");
  app.add_option("--out", a->out, "OUT.gpkg | OUT.geojson | OUT.csv");
  app.add_option("--threads", a->threads, "worker threads (default: all cores)");
  app.add_flag("--json", a->json, "print a JSON summary on stdout");
  app.add_flag("--quiet", a->quiet, "no messages on stderr");
  return [a] { return run_grid(*a); };
}

}  // namespace hotspot::cli
