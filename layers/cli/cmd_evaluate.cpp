// hotspot evaluate STUDY.toml --out DIR
// hotspot evaluate --incidents I... --interventions V --before N --after N [--buffer M]
//                  [--control rest|matched|C] --out DIR
// (DESIGN.md "Interfaces other tools rely on"; layers/study/evaluate_study.hpp.)

#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/base/error.hpp"
#include "core/base/number.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/incident_writer.hpp"
#include "layers/io/ingest.hpp"
#include "layers/io/intervention_reader.hpp"
#include "layers/study/evaluate_study.hpp"
#include "layers/study/study.hpp"

namespace hotspot::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct EvaluateArgs {
  std::string study;
  std::vector<std::string> incidents;
  std::string interventions, interventions_layer, interventions_crs = "EPSG:27700";
  int before = 0, after = 0, implementation = 0;
  double buffer = 250, radius = 0;
  std::string categories;
  std::string control = "rest", control_code, control_layer;
  std::string boundary, boundary_code;
  double cell = 250;
  int cells = 10;
  std::string overdispersion = "monthly";
  double confidence = 0.95;
  bool no_area_weights = false;
  std::string from, to;
  std::string format = "auto", lon, lat, x, y, crs, date, category;
  std::string out, rejects;
  unsigned threads = 0;
  bool json = false, quiet = false;
};

int parse_epsg(const std::string& crs) {
  if (crs.empty()) return 27700;
  std::string s = crs;
  if (s.rfind("EPSG:", 0) == 0 || s.rfind("epsg:", 0) == 0) s = s.substr(5);
  try {
    std::size_t used = 0;
    const int code = std::stoi(s, &used);
    if (used == s.size() && code > 0) return code;
  } catch (...) {
  }
  throw UsageError("--crs '" + crs + "' must be EPSG:<code>, e.g. EPSG:27700");
}

// At most this many warnings and result lines on the console; the rest are counted
// (every warning is in evaluation.json and evaluation.md).
constexpr std::size_t kConsoleWarnings = 20;
constexpr std::size_t kConsoleResults = 50;

void print_outcome(const Console& con, const layers::EvaluationRun& r) {
  for (std::size_t k = 0; k < r.warnings.size() && k < kConsoleWarnings; ++k) con.warning(r.warnings[k]);
  if (r.warnings.size() > kConsoleWarnings)
    con.warning("... and " + thousands(r.warnings.size() - kConsoleWarnings) +
                " more warnings: every one is in evaluation.json (\"warnings\" of each intervention) and evaluation.md");
  const json& list = r.json["interventions"];
  std::size_t shown = 0, evaluated = 0;
  for (const auto& j : list) {
    if (j["status"] != "evaluated") continue;
    if (++evaluated > kConsoleResults) continue;
    ++shown;
    std::string line = j["id"].get<std::string>() + ": target " + std::to_string(j["target"]["before"].get<uint64_t>()) +
                       " -> " + std::to_string(j["target"]["after"].get<uint64_t>());
    if (!j["odds_ratio"].is_null()) {
      char buf[160];
      std::snprintf(buf, sizeof buf, ", odds ratio %.2f [%.2f, %.2f], change against control %+.0f%%",
                    j["odds_ratio"].get<double>(), j["odds_ratio_ci"][0].get<double>(),
                    j["odds_ratio_ci"][1].get<double>(), j["relative_change_pct"].get<double>());
      line += buf;
    }
    line += ", spill-over: " + j["spillover"]["verdict"].get<std::string>();
    con.line("  " + line);
  }
  if (evaluated > shown) con.line("  ... and " + thousands(evaluated - shown) + " more in evaluation.md");
  con.info("evaluated " + std::to_string(r.evaluated) + " of " + std::to_string(r.interventions) +
           " interventions; outputs: evaluation.json, evaluation.md, evaluation.gpkg, tables/evaluation_*.csv");
}

int run_study_form(const EvaluateArgs& a, const Console& con) {
  const layers::Study study = layers::load_study(a.study);
  layers::StudyEvaluateOptions o;
  o.out = !a.out.empty() ? fs::path(a.out) : (!study.output_dir.empty() ? study.output_dir : study.dir / "out");
  o.threads = a.threads;
  o.on_stage = [&](const std::string& stage) { con.info(stage + "..."); };
  const layers::EvaluationRun r = layers::run_evaluate_study(study, o);
  print_outcome(con, r);
  if (a.json) std::cout << r.summary.dump(2) << std::endl;
  return 0;
}

int run_files_form(const EvaluateArgs& a, const Console& con) {
  if (a.incidents.empty() || a.interventions.empty())
    throw UsageError("give a study file, or --incidents I --interventions V --before N --after N --out DIR");
  if (a.before < 1 || a.after < 1) throw UsageError("--before and --after are required: months before and after go-live (>= 1)");
  if (a.out.empty()) throw UsageError("--out DIR is required");
  const core::Taxonomy tax = core::Taxonomy::police_uk();

  core::EvaluationSettings s;
  s.before_months = a.before;
  s.after_months = a.after;
  s.implementation_months = a.implementation;
  if (a.implementation < 0) throw UsageError("--implementation must be >= 0 months");
  if (a.buffer < 0) throw UsageError("--buffer must be >= 0 metres");
  s.buffer_m = a.buffer;
  if (a.radius < 0) throw UsageError("--radius must be > 0 metres");
  if (a.radius > 0) s.radius_m.fill(a.radius);
  if (!a.categories.empty()) {
    std::vector<core::CategoryId> ids;
    std::string item;
    for (std::size_t i = 0; i <= a.categories.size(); ++i) {
      if (i == a.categories.size() || a.categories[i] == ';') {
        if (!item.empty()) {
          auto id = tax.find(item);
          if (!id) throw UsageError("--categories: '" + item + "' is not a police.uk crime type");
          ids.push_back(*id);
        }
        item.clear();
      } else {
        item.push_back(a.categories[i]);
      }
    }
    for (auto& list : s.categories) list = ids;
  }
  s.matched_cell_m = a.cell;
  s.matched_cells = a.cells;
  if (a.cell <= 0 || a.cells < 1) throw UsageError("--cell must be > 0 metres and --cells >= 1");
  if (a.overdispersion == "monthly") s.overdispersion = core::OverdispersionMode::monthly;
  else if (a.overdispersion == "farrington") s.overdispersion = core::OverdispersionMode::farrington;
  else if (a.overdispersion == "none") s.overdispersion = core::OverdispersionMode::none;
  else {
    double f = 0;
    if (parse_double(a.overdispersion, f) != NumberStatus::ok || f < 1.0)
      throw UsageError("--overdispersion must be monthly, farrington, none or a factor >= 1");
    s.overdispersion = core::OverdispersionMode::fixed;
    s.overdispersion_factor = f;
  }
  if (!(a.confidence >= 0.5 && a.confidence < 1.0)) throw UsageError("--confidence must be at least 0.5 and below 1");
  s.confidence = a.confidence;
  s.wdd_area_weights = !a.no_area_weights;
  s.threads = a.threads;
  if (!a.from.empty()) {
    auto m = core::parse_month(a.from);
    if (!m) throw UsageError("--from: " + m.error().message);
    s.data_first = *m;
  }
  if (!a.to.empty()) {
    auto m = core::parse_month(a.to);
    if (!m) throw UsageError("--to: " + m.error().message);
    s.data_last = *m;
  }

  // Areas.
  std::optional<layers::AreaReadResult> boundary, control_polygons;
  core::ControlAreas controls;
  layers::EvaluationContext ctx;
  ctx.interventions_source = a.interventions;
  if (!a.boundary.empty()) {
    boundary = layers::read_areas(a.boundary, {"", a.boundary_code, "", ""});
    for (const auto& w : boundary->warnings) con.warning(w);
    controls.study_area = &boundary->areas;
  }
  if (a.control == "rest") {
    s.control = core::ControlKind::rest;
    ctx.control_description = boundary ? "the rest of the study area (" + a.boundary + ")"
                                       : "every incident outside the targets and buffers";
  } else if (a.control == "matched") {
    s.control = core::ControlKind::matched;
    ctx.control_description = std::to_string(a.cells) + " comparison cells matched to each target's pre-period level and trend";
  } else {
    s.control = core::ControlKind::polygons;
    control_polygons = layers::read_areas(a.control, {a.control_layer, a.control_code, "", ""});
    for (const auto& w : control_polygons->warnings) con.warning(w);
    controls.polygons = &control_polygons->areas;
    ctx.control_description = "polygons of " + a.control + " (each intervention's `control` codes, or all of them)";
  }

  // Interventions.
  const layers::InterventionReadResult iv =
      layers::read_interventions(a.interventions, tax, {a.interventions_layer, a.interventions_crs});
  if (iv.interventions.empty()) throw InputError(a.interventions + ": error: no interventions in the file");

  // Incidents: police.uk files, hotspot's own CSV/GeoPackage (x, y, month, category), or a mapping.
  layers::IngestOptions io;
  auto fmt = layers::parse_input_format(a.format);
  if (!fmt) throw UsageError("--format '" + a.format + "' must be police-uk, csv, ogr or auto");
  io.format = *fmt;
  io.location.lon = a.lon;
  io.location.lat = a.lat;
  io.location.x = a.x;
  io.location.y = a.y;
  io.location.epsg = parse_epsg(a.crs);
  io.date_column = a.date;
  io.category_column = a.category;
  io.first_month = s.data_first;
  io.last_month = s.data_last;
  io.threads = a.threads;
  io.keep_issues = 5;
  const std::vector<std::string> files = layers::expand_globs(a.incidents);
  if (io.location.empty() && io.date_column.empty() && io.category_column.empty() && !files.empty()) {
    const fs::path first(files.front());
    std::string ext = first.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool own = false;
    if (ext == ".csv") {
      layers::CsvChunker peek(first);
      const auto& h = peek.header();
      own = h.find("x") >= 0 && h.find("y") >= 0 && h.find("month") >= 0 && h.find("category") >= 0 &&
            h.find("Longitude") < 0;
      if (own) {
        io.location.x = "x";
        io.location.y = "y";
      }
    } else if (ext != ".tsv" && ext != ".txt") {
      own = true;  // an OGR layer: hotspot ingest's GeoPackage has month and category fields
    }
    if (own) {
      io.date_column = "month";
      io.category_column = "category";
    }
  }
  std::optional<layers::RejectsWriter> rejects;
  std::vector<fs::path> inputs(files.begin(), files.end());
  if (!a.rejects.empty()) {
    rejects.emplace(a.rejects, inputs);
    io.issue_sink = [&](const core::RowIssue& issue) { rejects->write(issue); };
  }
  con.info("reading incidents...");
  layers::IngestResult in = layers::ingest(files, tax, io);
  if (rejects) rejects->commit();
  con.info("read " + thousands(in.counts.read) + " rows: " + thousands(in.counts.accepted) + " accepted, " +
           thousands(in.counts.rejected) + " rejected");
  for (const auto& issue : in.issues.kept()) con.line("  " + core::format_issue(issue));
  if (in.counts.read > 0 && in.counts.accepted == 0) throw InputError("no incident row could be used");

  con.info("evaluating...");
  layers::EvaluationOutputs outputs = layers::EvaluationOutputs::in(a.out);
  outputs.inputs = inputs;
  outputs.inputs.emplace_back(a.interventions);
  ctx.title = "Intervention evaluation";
  layers::EvaluationRun r = layers::evaluate_and_write(in.table, tax, iv, s, controls, ctx, outputs);
  r.summary["ingest"] = {{"read", in.counts.read}, {"accepted", in.counts.accepted}, {"rejected", in.counts.rejected},
                         {"seconds", in.seconds}};
  print_outcome(con, r);
  if (a.json) std::cout << r.summary.dump(2) << std::endl;
  return 0;
}

int run_evaluate(const EvaluateArgs& a, const CLI::App& app) {
  Console con("evaluate", a.quiet || a.json);
  if (!a.study.empty()) {
    for (const char* opt : {"--incidents", "--interventions", "--before", "--after", "--buffer", "--control",
                            "--radius", "--categories", "--boundary", "--implementation", "--overdispersion"})
      if (app.count(opt) > 0)
        throw UsageError(std::string(opt) + " belongs to the --incidents form; with a study file, set it in its [evaluate] section");
    return run_study_form(a, con);
  }
  return run_files_form(a, con);
}

}  // namespace

Runner register_evaluate(CLI::App& app) {
  auto a = std::make_shared<EvaluateArgs>();
  app.add_option("study", a->study, "a study file with an [evaluate] section (or use --incidents ...)");
  app.add_option("--incidents", a->incidents, "incident files: police.uk CSVs, hotspot ingest output (CSV or GeoPackage), or CSV/OGR with a mapping")
      ->expected(1, -1);
  app.add_option("--interventions", a->interventions, "interventions: CSV or OGR layer with id,type,name,start (+ geometry or x/y)");
  app.add_option("--interventions-layer", a->interventions_layer, "OGR layer of --interventions");
  app.add_option("--interventions-crs", a->interventions_crs, "CRS of CSV x/y or WKT in --interventions (default EPSG:27700)");
  app.add_option("--before", a->before, "months before go-live");
  app.add_option("--after", a->after, "months after go-live (after any implementation months)");
  app.add_option("--implementation", a->implementation, "months from go-live left out (installation), default 0");
  app.add_option("--buffer", a->buffer, "buffer ring width in metres (default 250)");
  app.add_option("--radius", a->radius, "target radius in metres for point and line sites of every type (default: per type)");
  app.add_option("--categories", a->categories, "crime types counted, separated by ';' (default: each site's own, else all)");
  app.add_option("--control", a->control, "rest (default), matched, or a polygon file of control areas");
  app.add_option("--control-code", a->control_code, "code field of the control polygons (matched to the interventions' control column)");
  app.add_option("--control-layer", a->control_layer, "OGR layer of the control polygons");
  app.add_option("--boundary", a->boundary, "study area polygons: the rest-of-area control and matched cells stay inside it");
  app.add_option("--boundary-code", a->boundary_code, "code field of --boundary");
  app.add_option("--cell", a->cell, "matched control: cell size in metres (default 250)");
  app.add_option("--cells", a->cells, "matched control: cells per intervention (default 10)");
  app.add_option("--overdispersion", a->overdispersion, "monthly (default), farrington, none, or a factor >= 1");
  app.add_option("--confidence", a->confidence, "confidence level of every interval (default 0.95)");
  app.add_flag("--no-area-weights", a->no_area_weights, "WDD without area weights (counts as they are)");
  app.add_option("--from", a->from, "first month of the data period (YYYY-MM); default: the incidents' first");
  app.add_option("--to", a->to, "last month of the data period (YYYY-MM); default: the incidents' last");
  app.add_option("--format", a->format, "incident format: police-uk, csv, ogr or auto (default)");
  app.add_option("--lon", a->lon, "incident longitude column (WGS84)");
  app.add_option("--lat", a->lat, "incident latitude column (WGS84)");
  app.add_option("--x", a->x, "incident easting column");
  app.add_option("--y", a->y, "incident northing column");
  app.add_option("--crs", a->crs, "CRS of --x/--y (default EPSG:27700)");
  app.add_option("--date", a->date, "incident date column");
  app.add_option("--category", a->category, "incident crime type column");
  app.add_option("--rejects", a->rejects, "write rejected incident rows here");
  app.add_option("--out", a->out, "output folder")->required();
  app.add_option("--threads", a->threads, "worker threads (default: all cores)");
  app.add_flag("--json", a->json, "print the JSON summary on stdout");
  app.add_flag("--quiet", a->quiet, "no progress or messages on stderr");
  return [a, &app] { return run_evaluate(*a, app); };
}

}  // namespace hotspot::cli
