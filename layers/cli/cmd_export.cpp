// hotspot export IN [--layers L,...] [--geojson DIR] [--gpkg OUT.gpkg] [--tables DIR]
//                   [--to postgis "PG:..."] [--schema S] [--public --min-count K
//                   [--merge] --point-precision M --categories "A;B"] [--precision N] [--json]
// hotspot export STUDY.toml [--out DIR]      (the study's [export] section, from DIR/study.gpkg)
// (layers/io/export.hpp.) IN is a GeoPackage (study.gpkg) or any OGR source.

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/io/export.hpp"
#include "layers/study/study.hpp"

namespace hotspot::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct ExportArgs {
  std::string in, layers, geojson, gpkg, tables, out;
  std::vector<std::string> to;
  std::string schema, prefix;  // schema: default [export] postgis_schema, else "hotspot"
  bool is_public = false, merge = false, no_styles = false, json = false, quiet = false;
  int64_t min_count = -1;
  double point_precision = -1;
  std::string categories;
  int precision = -1;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + sep) {
    if (c == sep) {
      while (!cur.empty() && cur.back() == ' ') cur.pop_back();
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (!(c == ' ' && cur.empty())) {
      cur += c;
    }
  }
  return out;
}

int run_export(const ExportArgs& a) {
  Console con("export", a.quiet);
  layers::ExportOptions o;
  bool from_study = fs::path(a.in).extension() == ".toml";
  if (from_study) {
    const layers::Study study = layers::load_study(a.in);
    const layers::ExportSpec spec = study.exports.value_or(layers::ExportSpec{});
    const fs::path dir = !a.out.empty() ? fs::path(a.out) : study.output_dir;
    if (dir.empty()) throw UsageError(a.in + ": the study sets no output folder: give --out DIR");
    o.source = dir / "study.gpkg";
    if (!fs::exists(o.source))
      throw UsageError(o.source.string() + ": no such file (run `hotspot run " + a.in + " --out " + dir.string() +
                       "` first)");
    o.inputs.push_back(study.file);
    const fs::path base = spec.public_release ? dir / "public" : dir;
    if (!(spec.geojson.size() == 1 && spec.geojson[0] == "none")) o.geojson_dir = base / "geojson";
    for (const auto& l : spec.geojson)
      if (l != "all" && l != "none") o.layers.push_back(l);
    if (spec.public_release) o.tables_dir = base / "tables";  // private tables: `hotspot run` writes them
    if (spec.public_release) o.gpkg = base / "study.gpkg";
    else if (spec.gpkg) o.gpkg = o.source;  // styles only, in place
    if (!spec.postgis.empty())
      o.postgis = layers::PostgisTarget{spec.postgis, a.schema.empty() ? spec.postgis_schema : a.schema, a.prefix};
    o.precision = spec.precision;
    o.disclosure.public_release = spec.public_release;
    o.disclosure.min_count = spec.min_count;
    o.disclosure.categories = spec.categories;
    o.disclosure.point_precision_m = spec.incidents ? (a.point_precision > 0 ? a.point_precision : 0) : 0;
    if (!spec.incidents) o.exclude.push_back("incidents");  // the points stay in the private GeoPackage only
  } else {
    o.source = a.in;
    o.layers = split(a.layers, ',');
    if (!a.geojson.empty()) o.geojson_dir = fs::path(a.geojson);
    if (!a.gpkg.empty()) o.gpkg = fs::path(a.gpkg);
    if (!a.tables.empty()) o.tables_dir = fs::path(a.tables);
  }
  if (!a.to.empty()) {
    if (a.to.size() != 2 || a.to[0] != "postgis")
      throw UsageError("--to: write --to postgis \"PG:dbname=... host=...\" (the only target so far)");
    o.postgis = layers::PostgisTarget{a.to[1], a.schema.empty() ? std::string("hotspot") : a.schema, a.prefix};
  }
  if (a.precision >= 0) o.precision = a.precision;
  if (a.is_public) o.disclosure.public_release = true;
  if (a.min_count >= 0) o.disclosure.min_count = a.min_count;
  if (a.point_precision >= 0) o.disclosure.point_precision_m = a.point_precision;
  if (!a.categories.empty()) o.disclosure.categories = split(a.categories, ';');
  if (a.merge) o.disclosure.mode = layers::DisclosureMode::merge;
  if (!o.disclosure.public_release && (a.min_count >= 0 || a.point_precision >= 0 || !a.categories.empty() || a.merge))
    throw UsageError("--min-count, --point-precision, --categories and --merge apply to public exports: add --public");
  o.styles = !a.no_styles;

  const layers::ExportReport r = layers::export_layers(o);
  for (const auto& w : r.warnings) con.warning(w);
  json layers_json = json::array();
  for (const auto& l : r.layers) {
    const auto& d = l.disclosure;
    std::string line = l.layer + ": " + (l.skipped ? "left out (" + l.note + ")" : thousands(l.features) + " features");
    if (o.disclosure.public_release && !l.skipped) {
      if (d.suppressed_features) line += ", " + thousands(d.suppressed_features) + " suppressed below k";
      if (d.suppressed_values) line += ", " + thousands(d.suppressed_values) + " counts suppressed";
      if (d.merged_features) line += ", " + thousands(d.merged_features) + " merged into neighbours";
      if (d.snapped_points) line += ", points snapped to " + std::to_string(static_cast<int64_t>(o.disclosure.point_precision_m)) + " m";
      if (d.dropped_points) line += ", " + thousands(d.dropped_points) + " points of other categories dropped";
    }
    con.info(line);
    layers_json.push_back({{"layer", l.layer},
                           {"geometry", l.geometry},
                           {"features", l.features},
                           {"skipped", l.skipped},
                           {"note", l.note},
                           {"suppressed_features", d.suppressed_features},
                           {"suppressed_values", d.suppressed_values},
                           {"merged_features", d.merged_features},
                           {"dropped_points", d.dropped_points},
                           {"removed_fields", d.removed_fields}});
  }
  json files = json::array();
  for (const auto& p : r.written) {
    files.push_back(p.string());
    con.info("wrote " + p.string());
  }
  json pg = nullptr;
  if (r.postgis) {
    pg = {{"connection", r.postgis->connection}, {"tables", json::array()}};
    for (const auto& t : r.postgis->layers) {
      pg["tables"].push_back({{"layer", t.layer}, {"table", t.table}, {"features", t.features}});
      con.info("PostGIS " + t.table + ": " + thousands(t.features) + " features");
    }
  }
  if (a.json) {
    json j = {{"source", o.source.string()},
              {"public", o.disclosure.public_release},
              {"min_count", o.disclosure.min_count},
              {"layers", layers_json},
              {"outputs", files},
              {"postgis", pg},
              {"warnings", r.warnings},
              {"seconds", r.seconds}};
    std::cout << j.dump(2) << '\n';
  }
  return 0;
}

}  // namespace

Runner register_export(CLI::App& app) {
  auto a = std::make_shared<ExportArgs>();
  app.add_option("in", a->in, "a GeoPackage (study.gpkg) or any OGR source; or a study file (its [export] section)")
      ->required();
  app.add_option("--out", a->out, "with a study file: its output folder (default: the study's output)");
  app.add_option("--layers", a->layers, "layers to export, comma-separated (default: every layer)");
  app.add_option("--geojson", a->geojson, "folder for one RFC 7946 GeoJSON file per layer");
  app.add_option("--gpkg", a->gpkg, "one GeoPackage with every layer and its QGIS style");
  app.add_option("--tables", a->tables, "folder for one CSV attribute table per layer");
  app.add_option("--to", a->to, "--to postgis \"PG:service=... | dbname=... host=...\" (password via ~/.pgpass or a service file)")
      ->expected(2);
  app.add_option("--schema", a->schema, "PostGIS schema (default hotspot)");
  app.add_option("--prefix", a->prefix, "prefix of every PostGIS table name");
  app.add_option("--precision", a->precision, "GeoJSON coordinate decimals (default 6)");
  app.add_flag("--public", a->is_public, "a public export: apply disclosure control");
  app.add_option("--min-count", a->min_count, "public: areas/cells with fewer incidents are suppressed (k)");
  app.add_flag("--merge", a->merge, "public: merge polygons below k into a neighbour instead of suppressing them");
  app.add_option("--point-precision", a->point_precision,
                 "public: snap point layers to this grid in metres (without it, point layers are left out)");
  app.add_option("--categories", a->categories, "public: crime types allowed, separated by ';'");
  app.add_flag("--no-styles", a->no_styles, "do not write QGIS styles into the GeoPackage");
  app.add_flag("--json", a->json, "print the JSON summary on stdout");
  app.add_flag("--quiet", a->quiet, "no messages on stderr");
  return [a] { return run_export(*a); };
}

}  // namespace hotspot::cli
