// hotspot geocode IN.csv --address C [--postcode C] --gazetteer G.csv
//                [--postcodes CODEPOINT.csv] --out OUT.csv [--rejects R.csv] [--json]
//
// Places every row of IN.csv (from its address columns through the gazetteer, or from
// coordinate columns), optionally assigns it to polygons (--areas), and writes every
// input column followed by x,y,method,score,precision_m; unmatched rows keep empty x/y
// and say why in method ("unmatched:ambiguous") and go to the rejects file with their
// line. Prints the hit rate overall, by method and by area (ward), and can save the
// gazetteer as an index that later runs load in milliseconds (--save-index). Without
// IN.csv it only reads (and checks, and optionally saves) the gazetteer.

#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
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
#include "layers/io/geocode_file.hpp"
#include "layers/io/incident_writer.hpp"

namespace hotspot::cli {

namespace fs = std::filesystem;
namespace geo = core::geocode;
using nlohmann::json;

namespace {

struct GeocodeArgs {
  std::string in;
  std::vector<std::string> address;
  std::string postcode, uprn;
  std::string gazetteer, gazetteer_columns, postcodes, streets, index, save_index;
  std::string street_layer, street_name = "name", street_town, street_locality, streets_crs;
  std::string lon, lat, x, y, crs, grid_ref;
  std::string areas, area_layer, area_code, area_name;
  int min_score = geo::GeocodeOptions{}.min_score;
  double ambiguity_m = geo::GeocodeOptions{}.ambiguity_m;
  double conflict_m = geo::GeocodeOptions{}.postcode_conflict_m;
  bool no_fuzzy = false, explain = false;
  std::string out, rejects, report;
  unsigned threads = 0;
  bool json = false, quiet = false;
};

int parse_epsg(const std::string& crs) {
  if (crs.empty()) return core::kWorkingEpsg;
  std::string s = crs;
  if (s.rfind("EPSG:", 0) == 0 || s.rfind("epsg:", 0) == 0) s = s.substr(5);
  int code = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), code);
  if (ec != std::errc() || end != s.data() + s.size() || code <= 0)
    throw UsageError("--crs '" + crs + "' must be EPSG:<code>, e.g. EPSG:27700");
  return code;
}

fs::path default_rejects(const fs::path& out) {
  fs::path r = out;
  r.replace_extension();
  r += ".rejects.csv";
  return r;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

int run_geocode(const GeocodeArgs& a) {
  Console con("geocode", a.quiet || a.json);
  const auto t0 = std::chrono::steady_clock::now();
  const bool addresses = !a.address.empty();
  const bool coordinates = !a.lon.empty() || !a.lat.empty() || !a.x.empty() || !a.y.empty() || !a.grid_ref.empty();
  if (addresses && coordinates) throw UsageError("give either --address (geocode) or coordinate columns, not both");
  if (!a.in.empty() && a.out.empty()) throw UsageError("--out OUT.csv is required");
  const bool any_gazetteer = !a.gazetteer.empty() || !a.postcodes.empty() || !a.streets.empty() || !a.index.empty();
  if (a.in.empty() && !any_gazetteer)
    throw UsageError("give IN.csv to geocode, or a gazetteer to check (and --save-index to save it as an index)");
  if (!a.in.empty() && !addresses && !coordinates)
    throw UsageError("say where the location is: --address COL [--postcode COL], --lon/--lat, --x/--y or --grid-ref");
  if (a.min_score < 0 || a.min_score > 100) throw UsageError("--min-score must be 0-100");
  if (!(a.ambiguity_m > 0) || !(a.conflict_m > 0)) throw UsageError("--ambiguity-m and --conflict-m must be positive");

  // The gazetteer: from CSVs (and lines), or a saved index.
  std::optional<layers::GazetteerLoad> gaz;
  std::vector<fs::path> inputs;
  if (!a.in.empty()) inputs.emplace_back(a.in);
  // Without IN.csv the command checks the gazetteer: warnings, counts, load time.
  const bool want_gazetteer = addresses || !a.save_index.empty() || a.in.empty();
  if (want_gazetteer) {
    layers::GazetteerSources src;
    src.addresses = a.gazetteer;
    if (!a.gazetteer_columns.empty()) layers::parse_gazetteer_columns(a.gazetteer_columns, src.columns);
    src.postcodes = a.postcodes;
    src.streets = a.streets;
    src.street_options = {a.street_layer, a.street_name, a.street_town, a.street_locality, a.streets_crs};
    src.index = a.index;
    for (const auto& p : {a.gazetteer, a.postcodes, a.streets, a.index})
      if (!p.empty()) inputs.emplace_back(p);
    gaz.emplace(layers::load_gazetteer(src));
    for (const auto& w : gaz->warnings) con.line(w);
    if (gaz->warning_count > gaz->warnings.size())
      con.line("  ... and " + thousands(gaz->warning_count - gaz->warnings.size()) + " more gazetteer warnings");
    const auto& g = gaz->gazetteer;
    con.info(std::string(gaz->from_index ? "loaded index: " : "gazetteer: ") + thousands(g.addresses().size()) +
             " addresses, " + thousands(g.streets().size()) + " streets, " + thousands(g.postcodes().size()) +
             " postcodes in " + fixed(gaz->seconds, 2) + " s");
    if (!a.save_index.empty()) {
      layers::save_gazetteer_index(g, a.save_index, inputs);
      con.info("saved the index to " + a.save_index);
    }
  }
  std::optional<geo::Geocoder> geocoder;
  if (addresses) {
    geo::GeocodeOptions opt;
    opt.min_score = a.min_score;
    opt.ambiguity_m = a.ambiguity_m;
    opt.postcode_conflict_m = a.conflict_m;
    opt.fuzzy = !a.no_fuzzy;
    geocoder.emplace(gaz->gazetteer, opt);
  }

  // Polygons to assign rows to (wards, LSOAs, beats, ...).
  std::optional<layers::AreaReadResult> areas;
  if (!a.areas.empty()) {
    areas.emplace(layers::read_areas(a.areas, {a.area_layer, a.area_code, a.area_name, ""}));
    for (const auto& w : areas->warnings) con.warning(w);
    inputs.emplace_back(a.areas);
  }

  json j = {{"command", "geocode"}};
  if (gaz) {
    const auto& g = gaz->gazetteer;
    j["gazetteer"] = {{"addresses", g.addresses().size()},
                      {"streets", g.streets().size()},
                      {"postcodes", g.postcodes().size()},
                      {"from_index", gaz->from_index},
                      {"sources", g.sources()},
                      {"warnings", gaz->warning_count},
                      {"load_s", gaz->seconds},
                      {"bytes", g.bytes()},
                      {"index", a.save_index}};
  }
  if (a.in.empty()) {
    if (a.json) std::cout << j.dump(2) << std::endl;
    return 0;
  }

  const fs::path out = a.out;
  const fs::path rejects_path = a.rejects.empty() ? default_rejects(out) : fs::path(a.rejects);
  for (const auto& in : inputs)
    if (layers::same_file(in, rejects_path) || (!a.report.empty() && layers::same_file(in, a.report)))
      throw UsageError(rejects_path.string() + ": refusing to overwrite an input file");
  if (out.has_parent_path() && !fs::is_directory(out.parent_path()))
    throw IoError(out.string() + ": output folder '" + out.parent_path().string() + "' does not exist");
  layers::RejectsWriter rejects(rejects_path, inputs);

  layers::GeocodeFileOptions o;
  o.address_columns = a.address;
  o.postcode_column = a.postcode;
  o.uprn_column = a.uprn;
  o.coordinates.lon = a.lon;
  o.coordinates.lat = a.lat;
  o.coordinates.x = a.x;
  o.coordinates.y = a.y;
  o.coordinates.epsg = parse_epsg(a.crs);
  o.coordinates.grid_ref = a.grid_ref;
  o.geocoder = geocoder ? &*geocoder : nullptr;
  o.areas = areas ? &areas->areas : nullptr;
  o.area_names = !a.area_name.empty();
  o.explain = a.explain;
  o.threads = a.threads;
  o.inputs = inputs;
  std::vector<core::RowIssue> first_issues;
  o.issue_sink = [&](const core::RowIssue& issue) {
    rejects.write(issue);
    if (first_issues.size() < 10) first_issues.push_back(issue);
  };
  o.progress = [&](uint64_t done, uint64_t total) { con.progress("locating", done, total); };
  const layers::GeocodeFileResult r = layers::geocode_csv(a.in, out, o);
  con.finish_progress();
  rejects.commit();
  if (r.cp1252_rows > 0)
    con.warning(a.in + ":" + std::to_string(r.first_cp1252_line) + ": warning: " + thousands(r.cp1252_rows) +
                " row(s) are not UTF-8 (first on this line): read as Windows-1252 and written as UTF-8; save the file "
                "as CSV UTF-8 to be sure of the characters");
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // Human summary.
  con.info("read " + thousands(r.rows) + " rows: " + thousands(r.matched) + " located (" +
           fixed(r.written ? 100.0 * static_cast<double>(r.matched) / static_cast<double>(r.written) : 0.0, 1) + "%), " +
           thousands(r.unmatched) + " unmatched" + (r.bad ? ", " + thousands(r.bad) + " unreadable (not written)" : ""));
  if (addresses) {
    const auto& h = r.hit_rate;
    for (std::size_t m = 0; m < static_cast<std::size_t>(geo::MatchMethod::none); ++m)
      if (const uint64_t n = h.by_method(static_cast<geo::MatchMethod>(m))) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "  %-22s %10s", geo::method_name(static_cast<geo::MatchMethod>(m)), thousands(n).c_str());
        con.line(buf);
      }
    for (std::size_t k = 1; k < static_cast<std::size_t>(geo::UnmatchedReason::kCount); ++k)
      if (const uint64_t n = h.by_reason(static_cast<geo::UnmatchedReason>(k))) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "  unmatched:%-12s %10s", geo::reason_name(static_cast<geo::UnmatchedReason>(k)),
                      thousands(n).c_str());
        con.line(buf);
      }
    if (h.rows() > 0 && h.rate() < geo::kMinimumAcceptableHitRate)
      con.warning("hit rate " + fixed(100.0 * h.rate(), 1) + "% is below the 85% minimum acceptable (Ratcliffe 2004): "
                  "maps from these rows may mislead");
    std::size_t low = 0;
    for (const auto& area : h.by_area())
      if (!area.area.empty() && area.area != "(outside)" && area.rate() < geo::kMinimumAcceptableHitRate) ++low;
    if (low) con.warning(std::to_string(low) + " areas have a hit rate under 85%" +
                         (a.report.empty() ? std::string(" (--report R.md lists them)") : "; see " + a.report));
  }
  if (areas) {
    con.info(thousands(r.assigned) + " located rows in " + a.areas + ", " + thousands(r.outside) +
             " outside every polygon" + (r.outside ? " (lines listed in --json)" : ""));
  }
  for (const auto& issue : first_issues) con.line("  " + core::format_issue(issue));
  if (rejects.rows() > first_issues.size())
    con.line("  ... and " + thousands(rejects.rows() - first_issues.size()) + " more in " + rejects_path.string());
  con.info("wrote " + thousands(r.written) + " rows to " + out.string() + "; rejects: " + rejects_path.string());

  if (!a.report.empty() && addresses) {
    std::string md = "# Geocoding report: " + a.in + "\n\n";
    if (gaz) {
      md += "Gazetteer:\n\n";
      for (const auto& src : gaz->gazetteer.sources()) md += "- " + src + "\n";
      md += "\n";
    }
    const auto* area_set = areas ? &areas->areas : nullptr;
    md += r.hit_rate.markdown([&](std::string_view code) {
      if (code == "(outside)") return std::string("located, but outside every polygon");
      if (!area_set) return std::string();
      const auto i = area_set->find_code(code);
      return i ? (*area_set)[*i].name : std::string();
    });
    if (areas) {
      md += "\n" + thousands(r.outside) + " located rows fall outside every polygon of " + a.areas + ".\n";
      if (!r.outside_lines.empty()) {
        md += "Their lines (first " + std::to_string(r.outside_lines.size()) + "):";
        for (uint64_t l : r.outside_lines) md += " " + std::to_string(l);
        md += "\n";
      }
    }
    layers::AtomicOutput rep(a.report, inputs);
    if (std::FILE* f = std::fopen(rep.temp_path().c_str(), "wb")) {
      const bool ok = std::fwrite(md.data(), 1, md.size(), f) == md.size();
      if (std::fclose(f) != 0 || !ok) throw IoError(a.report + ": write failed");
      rep.commit();
    } else {
      throw IoError(a.report + ": cannot write");
    }
  }

  if (a.json) {
    j["input"] = a.in;
    j["counts"] = {{"rows", r.rows},
                   {"written", r.written},
                   {"located", r.matched},
                   {"unmatched", r.unmatched},
                   {"unreadable", r.bad}};
    if (addresses) {
      const auto& h = r.hit_rate;
      json by_method = json::object(), by_reason = json::object(), by_area = json::array();
      for (std::size_t m = 0; m < static_cast<std::size_t>(geo::MatchMethod::none); ++m)
        if (const uint64_t n = h.by_method(static_cast<geo::MatchMethod>(m)))
          by_method[geo::method_name(static_cast<geo::MatchMethod>(m))] = n;
      for (std::size_t k = 1; k < static_cast<std::size_t>(geo::UnmatchedReason::kCount); ++k)
        if (const uint64_t n = h.by_reason(static_cast<geo::UnmatchedReason>(k)))
          by_reason[geo::reason_name(static_cast<geo::UnmatchedReason>(k))] = n;
      for (const auto& area : h.by_area())
        by_area.push_back({{"area", area.area}, {"rows", area.rows}, {"matched", area.matched}, {"hit_rate", area.rate()}});
      j["hit_rate"] = {{"rate", h.rate()},
                       {"matched", h.matched()},
                       {"rows", h.rows()},
                       {"minimum_acceptable", geo::kMinimumAcceptableHitRate},
                       {"by_method", by_method},
                       {"by_reason", by_reason},
                       {"by_area", by_area},
                       {"area_source", areas ? "polygons" : "Code-Point ward of the postcode"}};
    }
    if (areas)
      j["areas"] = {{"path", a.areas},
                    {"polygons", areas->areas.size()},
                    {"assigned", r.assigned},
                    {"outside", r.outside},
                    {"outside_lines", r.outside_lines}};
    j["timings"] = {{"locate_s", r.locate_s},         {"assign_s", r.assign_s},
                    {"write_s", r.write_s},           {"total_s", total_s},
                    {"locate_cpu_s", r.locate_cpu_s}, {"assign_cpu_s", r.assign_cpu_s},
                    {"write_cpu_s", r.write_cpu_s}};
    j["rows_per_s"] = r.locate_s > 0 ? static_cast<double>(r.rows) / r.locate_s : 0.0;
    j["points_per_s"] = r.assign_s > 0 ? static_cast<double>(r.written) / r.assign_s : 0.0;
    j["threads"] = r.threads;
    j["transform"] = {{"cache_hits", r.transform_cache_hits}, {"cache_misses", r.transform_cache_misses}};
    j["memory"] = {{"peak_rss_bytes", peak_rss_bytes()}};
    j["outputs"] = {{"out", out.string()}, {"rejects", rejects_path.string()}, {"report", a.report}};
    std::cout << j.dump(2) << std::endl;
  }
  if (r.written > 0 && r.matched == 0) {
    con.error("no row could be located (" + thousands(r.written) + " rows): check the column mapping (" +
              (addresses ? "--address/--postcode" : "coordinates") + ") and the gazetteer");
    return 3;
  }
  return 0;
}

}  // namespace

Runner register_geocode(CLI::App& app) {
  auto a = std::make_shared<GeocodeArgs>();
  app.add_option("in", a->in, "CSV file to geocode (omit to only build an index with --save-index)");
  app.add_option("--address", a->address, "address column(s); several are joined with \", \"")->delimiter(',');
  app.add_option("--postcode", a->postcode, "postcode column");
  app.add_option("--uprn", a->uprn, "UPRN column (matched first)");
  app.add_option("--gazetteer", a->gazetteer, "address gazetteer CSV (uprn,sao,pao,street,locality,town,postcode,x,y) or a saved index");
  app.add_option("--gazetteer-columns", a->gazetteer_columns,
                 "other gazetteer layouts: part=column,... (parts: uprn, sao, pao, pao_suffix, pao_end, pao_end_suffix, "
                 "pao_text, street, locality, town, postcode, x, y, address, crs)");
  app.add_option("--postcodes", a->postcodes, "OS Code-Point Open CSV (postcode centroids)");
  app.add_option("--streets", a->streets, "street line layer (any OGR source) for street points and junctions");
  app.add_option("--street-layer", a->street_layer, "layer of --streets");
  app.add_option("--street-name-field", a->street_name, "street name field of --streets (default: name)");
  app.add_option("--street-town-field", a->street_town, "town field of --streets");
  app.add_option("--street-locality-field", a->street_locality, "locality field of --streets");
  app.add_option("--streets-crs", a->streets_crs, "CRS of --streets when it has none");
  app.add_option("--index", a->index, "a saved gazetteer index (instead of --gazetteer/--postcodes/--streets)");
  app.add_option("--save-index", a->save_index, "save the gazetteer as an index for later runs");
  app.add_option("--lon", a->lon, "longitude column (instead of --address: locate by coordinates)");
  app.add_option("--lat", a->lat, "latitude column");
  app.add_option("--x", a->x, "easting column");
  app.add_option("--y", a->y, "northing column");
  app.add_option("--crs", a->crs, "CRS of --x/--y (default EPSG:27700)");
  app.add_option("--grid-ref", a->grid_ref, "OS grid reference column");
  app.add_option("--areas", a->areas, "polygons (wards, LSOAs, ...) to assign rows to and report the hit rate by");
  app.add_option("--area-layer", a->area_layer, "layer of --areas");
  app.add_option("--area-code", a->area_code, "code field of --areas (default: the feature id)");
  app.add_option("--area-name", a->area_name, "name field of --areas (adds an area_name column)");
  app.add_option("--min-score", a->min_score, "lowest score accepted, 0-100 (default 50: postcode sectors are refused)");
  app.add_option("--ambiguity-m", a->ambiguity_m, "candidates farther apart than this are ambiguous (default 250)");
  app.add_option("--conflict-m", a->conflict_m, "a street this far from its postcode is refused (default 1000)");
  app.add_flag("--no-fuzzy", a->no_fuzzy, "no misspelt street names");
  app.add_flag("--explain", a->explain, "add match and note columns (the gazetteer address matched, what was assumed)");
  app.add_option("--out", a->out, "output CSV: every input column, then x,y,method,score,precision_m");
  app.add_option("--rejects", a->rejects, "unmatched and unreadable rows with line numbers (default: OUT.rejects.csv)");
  app.add_option("--report", a->report, "hit-rate report (Markdown): by method, by reason, by area");
  app.add_option("--threads", a->threads, "worker threads (default: all cores)");
  app.add_flag("--json", a->json, "print a JSON summary on stdout");
  app.add_flag("--quiet", a->quiet, "no progress or summary on stderr");
  return [a] { return run_geocode(*a); };
}

}  // namespace hotspot::cli
