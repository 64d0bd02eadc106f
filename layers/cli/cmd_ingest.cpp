// hotspot ingest FILE... [--format police-uk|csv|ogr] [location flags] [--date C]
//                [--category C] --out OUT.gpkg|OUT.csv [--rejects R.csv] [--json]

#include <CLI/CLI.hpp>
#include <array>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/base/error.hpp"
#include "core/geocode/geocoder.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/gazetteer_reader.hpp"
#include "layers/io/incident_writer.hpp"
#include "layers/io/ingest.hpp"
#include "layers/study/study.hpp"

namespace hotspot::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct IngestArgs {
  std::vector<std::string> files;
  std::string format = "auto";
  std::string lon, lat, x, y, crs, grid_ref;
  std::string date, date_format = "auto";
  std::string category, category_value, area, layer;
  std::string boundary, boundary_code;
  std::string from, to, study;
  std::string out, rejects;
  bool strict = false, check = false, json = false, quiet = false;
  unsigned threads = 0;
  // Address columns, geocoded as `hotspot geocode` and the study file do (issue 3).
  std::vector<std::string> address;
  std::string postcode, uprn, gazetteer, gazetteer_columns, postcodes, streets, index;
  int min_score = 0;
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

std::filesystem::path default_rejects(const fs::path& out) {
  fs::path r = out;
  r.replace_extension();
  r += ".rejects.csv";
  return r;
}

int run_ingest(const IngestArgs& a) {
  Console con("ingest", a.quiet || a.json);
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<layers::Study> study;
  if (!a.study.empty()) study = layers::load_study(a.study);
  const core::Taxonomy tax = study ? study->taxonomy() : core::Taxonomy::police_uk();

  layers::IngestOptions o;
  auto fmt = layers::parse_input_format(a.format);
  if (!fmt) throw UsageError("--format '" + a.format + "' must be police-uk, csv, ogr or auto");
  o.format = *fmt;
  o.location.lon = a.lon;
  o.location.lat = a.lat;
  o.location.x = a.x;
  o.location.y = a.y;
  o.location.epsg = parse_epsg(a.crs);
  o.location.grid_ref = a.grid_ref;
  // Address columns: one gazetteer and geocoder, the same as `hotspot geocode` and the
  // study pipeline use; from the flags, else from the --study's [geocode] section.
  o.location.address = a.address;
  o.location.postcode = a.postcode;
  o.location.uprn = a.uprn;
  std::optional<layers::GazetteerLoad> gazetteer;
  std::optional<core::geocode::Geocoder> geocoder;
  const bool gazetteer_flags = !a.gazetteer.empty() || !a.postcodes.empty() || !a.streets.empty() || !a.index.empty();
  if (a.address.empty() && (gazetteer_flags || !a.postcode.empty() || !a.uprn.empty()))
    throw UsageError("--gazetteer, --postcodes, --streets, --index, --postcode and --uprn need --address COL");
  if (!a.address.empty()) {
    layers::GazetteerSources src;
    int min_score = a.min_score;
    if (gazetteer_flags) {
      src.addresses = a.gazetteer;
      if (!a.gazetteer_columns.empty()) layers::parse_gazetteer_columns(a.gazetteer_columns, src.columns);
      src.postcodes = a.postcodes;
      src.streets = a.streets;
      src.index = a.index;
    } else if (study && study->geocode) {
      src.addresses = study->geocode->gazetteer;
      if (!study->geocode->columns.empty()) layers::parse_gazetteer_columns(study->geocode->columns, src.columns);
      src.postcodes = study->geocode->postcodes;
      src.streets = study->geocode->streets;
      if (min_score == 0) min_score = study->geocode->min_score;
    } else {
      throw UsageError("--address needs a gazetteer: --gazetteer G.csv, --postcodes CODEPOINT.csv, --streets, "
                       "--index, or a --study with a [geocode] section");
    }
    if (min_score < 0 || min_score > 100) throw UsageError("--min-score must be 0-100");
    gazetteer.emplace(layers::load_gazetteer(src));
    for (const auto& w : gazetteer->warnings) con.warning(w);
    if (gazetteer->warning_count > gazetteer->warnings.size())
      con.warning("gazetteer: ... and " + thousands(gazetteer->warning_count - gazetteer->warnings.size()) +
                  " more rows skipped with a warning");
    core::geocode::GeocodeOptions go;
    if (min_score > 0) go.min_score = min_score;
    geocoder.emplace(gazetteer->gazetteer, go);
    o.geocoder = &*geocoder;
  }
  o.date_column = a.date;
  o.date_format = a.date_format;
  if (o.date_format != "auto") {
    auto check = core::DateFormat::parse(o.date_format);
    if (!check) throw UsageError("--date-format: " + check.error().message);
  }
  o.category_column = a.category;
  o.category_value = a.category_value;
  o.area_column = a.area;
  o.ogr_layer = a.layer;
  o.threads = a.threads;
  if (study) {
    o.first_month = study->first_month;
    o.last_month = study->last_month;
  }
  if (!a.from.empty()) {
    auto m = core::parse_month(a.from);
    if (!m) throw UsageError("--from: " + m.error().message);
    o.first_month = *m;
  }
  if (!a.to.empty()) {
    auto m = core::parse_month(a.to);
    if (!m) throw UsageError("--to: " + m.error().message);
    o.last_month = *m;
  }
  std::optional<layers::AreaReadResult> boundary;
  std::string boundary_path = a.boundary, boundary_code = a.boundary_code;
  if (boundary_path.empty() && study && !study->study_area.empty()) {
    const auto* b = study->boundary(study->study_area);
    boundary_path = b->path.string();
    boundary_code = b->code_field;
  }
  if (!boundary_path.empty()) {
    boundary = layers::read_areas(boundary_path, {"", boundary_code, "", ""});
    for (const auto& w : boundary->warnings) con.warning(w);
    o.study_area = &boundary->areas;
  }

  const std::vector<std::string> files = layers::expand_globs(a.files);
  std::vector<fs::path> inputs(files.begin(), files.end());
  const fs::path out = a.out;
  // --check writes nothing unless --rejects is given (counts and first issues are printed).
  const fs::path rejects_path = !a.rejects.empty() ? fs::path(a.rejects) : a.check ? fs::path() : default_rejects(out);
  for (const auto& in : inputs)
    if (!rejects_path.empty() && layers::same_file(in, rejects_path))
      throw UsageError(rejects_path.string() + ": refusing to overwrite an input file");
  // Check the output can be written before reading gigabytes.
  if (!a.check && out.has_parent_path() && !fs::is_directory(out.parent_path()))
    throw IoError(out.string() + ": output folder '" + out.parent_path().string() + "' does not exist");
  std::optional<layers::RejectsWriter> rejects;
  if (!rejects_path.empty()) {
    rejects.emplace(rejects_path, inputs);
    o.issue_sink = [&](const core::RowIssue& issue) { rejects->write(issue); };
  }
  o.keep_issues = 10;
  o.progress = [&](uint64_t done, uint64_t total) { con.progress("reading", done, total); };
  // The output is written while the input is read (a writer thread), unless --check.
  std::optional<layers::IncidentStream> stream;
  if (!a.check) {
    stream.emplace(out, tax, inputs);
    o.on_rows = [&](const core::IncidentTable& rows) { stream->push(rows); };
  }

  layers::IngestResult r = layers::ingest(files, tax, o);
  con.finish_progress();
  const double read_s = r.seconds;
  const uint64_t rss_after_read = peak_rss_bytes();

  const bool strict_fail = a.strict && r.counts.rejected > 0;
  const bool nothing_usable = r.counts.read > 0 && r.counts.accepted == 0;
  const bool write = stream && !strict_fail && !nothing_usable;
  const auto tw = std::chrono::steady_clock::now();
  if (write)
    for (const auto& w : stream->finish()) con.warning(w);
  stream.reset();  // unfinished: its temporary file is removed
  const double write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - tw).count();
  if (rejects) rejects->commit();
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // Human summary.
  con.info("read " + thousands(r.counts.read) + " rows from " + std::to_string(files.size()) +
           (files.size() == 1 ? " file" : " files") + ": " + thousands(r.counts.accepted) + " accepted, " +
           thousands(r.counts.rejected) + " rejected");
  for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
    if (r.counts.by_code[c]) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "  %-20s %10s  %s", core::issue_code_name(static_cast<core::IssueCode>(c)),
                    thousands(r.counts.by_code[c]).c_str(), core::describe(static_cast<core::IssueCode>(c)));
      con.line(buf);
    }
  if (r.blank_lines) con.info(thousands(r.blank_lines) + " blank lines skipped");
  for (const auto& issue : r.issues.kept()) con.line("  " + core::format_issue(issue));
  if (r.issues.dropped() > 0)
    con.line("  ... and " + thousands(r.issues.dropped()) + " more" +
             (rejects_path.empty() ? std::string(" (give --rejects R.csv to list them all)") : " in " + rejects_path.string()));
  if (write)
    con.info("wrote " + thousands(r.table.size()) + " incidents to " + out.string() + "; rejects: " +
             rejects_path.string());
  else if (a.check)
    con.info(std::string("checked only (--check): no output written") +
             (rejects_path.empty() ? "" : "; rejects: " + rejects_path.string()));

  if (a.json) {
    json by_reason = json::object();
    for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
      if (r.counts.by_code[c]) by_reason[core::issue_code_name(static_cast<core::IssueCode>(c))] = r.counts.by_code[c];
    json files_json = json::array();
    for (const auto& f : r.files)
      files_json.push_back({{"path", f.path},
                            {"format", layers::input_format_name(f.format)},
                            {"read", f.counts.read},
                            {"accepted", f.counts.accepted},
                            {"rejected", f.counts.rejected}});
    json j = {{"command", "ingest"},
              {"inputs", files_json},
              {"counts",
               {{"read", r.counts.read},
                {"accepted", r.counts.accepted},
                {"rejected", r.counts.rejected},
                {"blank_lines", r.blank_lines},
                {"by_reason", by_reason}}},
              // read_s: parse + transform + categorise (and, unless --check, feeding the
              // writer thread); write_s: what writing took after reading ended.
              {"timings", {{"read_s", read_s}, {"write_s", write_s}, {"total_s", total_s}}},
              {"rows_per_s", read_s > 0 ? static_cast<double>(r.counts.read) / read_s : 0.0},
              {"threads", r.threads},
              {"transform",
               {{"pipeline", r.transform_pipeline},
                {"cache_hits", r.transform_cache_hits},
                {"cache_misses", r.transform_cache_misses}}},
              {"memory",
               {{"peak_rss_after_read_bytes", rss_after_read},
                {"peak_rss_bytes", peak_rss_bytes()},
                {"table_bytes", r.table.column_bytes()},
                {"bytes_per_incident", core::IncidentTable::kBytesPerRow}}},
              {"outputs", {{"incidents", write ? out.string() : ""}, {"rejects", rejects_path.string()}}}};
    if (geocoder) {
      // Accepted rows by how they were located (the address geocoder's methods).
      json by_method = json::object();
      std::array<uint64_t, 256> n{};
      for (uint8_t m : r.table.method()) ++n[m];
      for (std::size_t m = 0; m < n.size(); ++m)
        if (n[m]) by_method[core::method_name(static_cast<core::GeocodeMethod>(m))] = n[m];
      j["geocode"] = {{"by_method", by_method},
                      {"not_geocoded", r.counts.by_code[static_cast<std::size_t>(core::IssueCode::not_geocoded)]},
                      {"gazetteer",
                       {{"addresses", gazetteer->gazetteer.addresses().size()},
                        {"postcodes", gazetteer->gazetteer.postcodes().size()},
                        {"from_index", gazetteer->from_index},
                        {"warnings", gazetteer->warning_count}}}};
    }
    std::cout << j.dump(2) << std::endl;
  }
  if (strict_fail) {
    con.error("--strict: " + thousands(r.counts.rejected) + " rows rejected; no output written" +
              (rejects_path.empty() ? std::string() : "; rejects: " + rejects_path.string()));
    return 3;
  }
  if (nothing_usable) {
    con.error("no row could be used (" + thousands(r.counts.read) + " read, all rejected)" +
              (rejects_path.empty() ? std::string() : "; see " + rejects_path.string()));
    return 3;
  }
  return 0;
}

}  // namespace

Runner register_ingest(CLI::App& app) {
  auto a = std::make_shared<IngestArgs>();
  app.add_option("files", a->files, "incident files or shell patterns (police.uk CSVs, CSV, any OGR point layer)")
      ->required();
  app.add_option("--format", a->format, "police-uk, csv, ogr or auto (default: detect per file)");
  app.add_option("--lon", a->lon, "longitude column (WGS84)");
  app.add_option("--lat", a->lat, "latitude column (WGS84)");
  app.add_option("--x", a->x, "easting column");
  app.add_option("--y", a->y, "northing column");
  app.add_option("--crs", a->crs, "CRS of --x/--y, e.g. EPSG:27700 (default)");
  app.add_option("--grid-ref", a->grid_ref, "OS grid reference column (\"SK 5123 5876\")");
  app.add_option("--date", a->date, "date column (generic CSV/OGR)");
  app.add_option("--date-format", a->date_format, "date layout, e.g. %d/%m/%Y (default: auto, UK day-first)");
  app.add_option("--category", a->category, "crime type column");
  app.add_option("--category-value", a->category_value, "one crime type for every row");
  app.add_option("--area", a->area, "area code column carried to the output (e.g. LSOA code)");
  app.add_option("--layer", a->layer, "OGR layer name");
  app.add_option("--boundary", a->boundary, "study area polygons: rows outside are rejected");
  app.add_option("--boundary-code", a->boundary_code, "code field of --boundary");
  app.add_option("--from", a->from, "first month kept (YYYY-MM)");
  app.add_option("--to", a->to, "last month kept (YYYY-MM)");
  app.add_option("--study", a->study, "study file: local categories, aliases, period and boundary");
  app.add_option("--address", a->address, "address column(s), geocoded (several are joined with \", \")")
      ->delimiter(',');
  app.add_option("--postcode", a->postcode, "postcode column (with --address)");
  app.add_option("--uprn", a->uprn, "UPRN column (with --address; matched first)");
  app.add_option("--gazetteer", a->gazetteer, "address gazetteer CSV or a saved index (as hotspot geocode)");
  app.add_option("--gazetteer-columns", a->gazetteer_columns, "column mapping of --gazetteer (as hotspot geocode)");
  app.add_option("--postcodes", a->postcodes, "OS Code-Point Open CSV (postcode centroids)");
  app.add_option("--streets", a->streets, "street line layer (any OGR source)");
  app.add_option("--index", a->index, "a saved gazetteer index (hotspot geocode --save-index)");
  app.add_option("--min-score", a->min_score, "lowest geocoding score accepted, 0-100 (default 50)");
  auto* out_opt = app.add_option("--out", a->out, "output: OUT.gpkg (point layer, EPSG:27700) or OUT.csv");
  auto* check_opt = app.add_flag("--check", a->check, "validate only: count and report rejects, write no output");
  out_opt->excludes(check_opt);
  app.add_option("--rejects", a->rejects, "rejected rows CSV (default: OUT.rejects.csv)");
  app.add_flag("--strict", a->strict, "any rejected row is an error (exit 3, no output written)");
  app.add_option("--threads", a->threads, "worker threads (default: all cores)");
  app.add_flag("--json", a->json, "print a JSON summary on stdout");
  app.add_flag("--quiet", a->quiet, "no progress or summary on stderr");
  return [a] {
    if (a->out.empty() && !a->check) throw UsageError("--out OUT.gpkg|OUT.csv is required (or --check)");
    return run_ingest(*a);
  };
}

}  // namespace hotspot::cli
