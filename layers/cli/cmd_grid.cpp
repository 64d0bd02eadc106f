// hotspot grid INCIDENTS... --cell M [--hex] [--boundary B] [--by month|quarter|year|fy|category]
//               --out OUT.gpkg|OUT.csv
//
// Incidents are any input `hotspot ingest` reads (police.uk CSV, an ingest output
// CSV/GeoPackage, a generic CSV with location flags). One output feature per cell:
//   cell_id,column,row,x,y,[inside,]area_fraction,count[,<key>...]
// (x, y the cell centre in EPSG:27700; GeoPackage/GeoJSON add the cell polygon).

#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
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

int run_grid(const GridArgs& a) {
  Console con("grid", a.quiet || a.json);
  const auto t0 = std::chrono::steady_clock::now();
  if (!(a.cell > 0)) throw UsageError("--cell M (metres, > 0) is required");
  if (a.out.empty()) throw UsageError("--out OUT.gpkg|OUT.csv is required");
  const auto fmt = layers::vector_format_for(a.out);
  if (!fmt) throw UsageError("--out must be .gpkg, .geojson, .csv or .shp");
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
  core::GridSpec spec{a.hex ? core::CellShape::hex : core::CellShape::square, a.cell, 0, 0};
  std::optional<layers::AreaReadResult> boundary;
  auto g = [&]() {
    if (!a.boundary.empty()) {
      boundary = layers::read_areas(a.boundary, {"", a.boundary_code, "", ""});
      for (const auto& w : boundary->warnings) con.warning(w);
      core::GridOptions go;
      go.keep = a.centre_inside ? core::CellKeep::centre_inside : core::CellKeep::intersecting;
      go.flag_outside = a.keep_outside;
      return core::Grid::over_boundary(spec, boundary->areas, go);
    }
    return core::Grid::over_points(spec, t.x_m(), t.y_m());
  }();
  if (!g) throw UsageError(std::string("grid: ") + g.error().message);
  const core::Grid& grid = *g;
  std::vector<uint32_t> zone(t.size());
  grid.locate_many(t.x_m(), t.y_m(), zone);
  // Incidents in cells flagged outside count as outside the grid.
  for (auto& z : zone)
    if (z != core::kNoZone && !grid.inside(z)) z = core::kNoZone;
  uint64_t unzoned = 0;
  const std::vector<uint32_t> totals = core::count_by_zone(zone, grid.size(), &unzoned);
  std::vector<std::string> keys;
  std::optional<core::CountTable> by;
  if (!a.by.empty()) {
    if (a.by == "category") {
      by = core::count_by_key(zone, grid.size(), t.category(), tax.size());
      for (const auto& c : tax.categories()) keys.push_back(c.slug);
    } else {
      if (t.empty()) throw InputError("no incidents to count by period");
      const auto [lo, hi] = std::minmax_element(t.month().begin(), t.month().end());
      core::PeriodScheme ps;
      if (a.by == "month") ps = core::PeriodScheme::months(*lo, *hi);
      else if (a.by == "quarter") ps = core::PeriodScheme::quarters(*lo, *hi);
      else if (a.by == "year") ps = core::PeriodScheme::years(*lo, *hi, 1);
      else if (a.by == "fy") ps = core::PeriodScheme::years(*lo, *hi, 4);
      else throw UsageError("--by must be month, quarter, year, fy or category");
      by = core::count_by_period(zone, grid.size(), t.month(), ps);
      for (const auto& p : ps.periods()) keys.push_back(p.label);
    }
  }
  std::vector<fs::path> inputs(files.begin(), files.end());
  layers::AtomicOutput out(a.out, inputs);
  {
    layers::VectorWriter vw(out.temp_path());
    const bool geom = *fmt != layers::VectorFormat::csv;
    using layers::FieldType;
    layers::LayerSpec spec2;
    spec2.name = "grid";
    spec2.geometry = geom ? layers::GeometryKind::multipolygon : layers::GeometryKind::none;
    spec2.fields = {{"cell_id", FieldType::integer}, {"column", FieldType::integer}, {"row", FieldType::integer},
                    {"x", FieldType::real},          {"y", FieldType::real}};
    if (a.keep_outside) spec2.fields.push_back({"inside", FieldType::integer});
    spec2.fields.push_back({"area_fraction", FieldType::real});
    spec2.fields.push_back({"count", FieldType::integer});
    for (const auto& k : keys) spec2.fields.push_back({k, FieldType::integer});
    auto& layer = vw.add_layer(spec2);
    layers::FeatureValues f;
    for (uint32_t i = 0; i < grid.size(); ++i) {
      if (geom) f.geometry = core::MultiPolygon{grid.polygon(i)};
      const core::CellId id = grid.id(i);
      f.values = {id.as_int64(), int64_t{id.column()}, int64_t{id.row()}, grid.centre_x(i), grid.centre_y(i)};
      if (a.keep_outside) f.values.emplace_back(int64_t{grid.inside(i) ? 1 : 0});
      f.values.emplace_back(grid.area_fraction(i));
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
  const uint64_t in_cells = t.size() - unzoned;
  con.info(thousands(t.size()) + " incidents: " + thousands(in_cells) + " in " + thousands(grid.inside_count()) +
           (a.hex ? " hexagons" : " squares") + " of " + std::to_string(static_cast<int64_t>(a.cell)) + " m, " +
           thousands(unzoned) + " outside the grid; wrote " + a.out);
  if (a.json)
    std::cout << json{{"command", "grid"},
                      {"shape", a.hex ? "hex" : "square"},
                      {"cell_m", a.cell},
                      {"cells", grid.size()},
                      {"cells_inside", grid.inside_count()},
                      {"counts", {{"read", in.counts.read},
                                  {"accepted", in.counts.accepted},
                                  {"rejected", in.counts.rejected},
                                  {"in_cells", in_cells},
                                  {"outside_grid", unzoned},
                                  {"outside_periods", by ? by->unkeyed : 0}}},
                      {"by", a.by},
                      {"keys", keys},
                      {"out", a.out},
                      {"timings", {{"total_s", secs}}}}
                     .dump(2)
              << std::endl;
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
  app.add_option("--by", a->by, "extra count columns: month, quarter, year, fy (April) or category");
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
