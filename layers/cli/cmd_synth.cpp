// hotspot synth (--boundary B | --bbox ...) --rows N --months YYYY-MM:YYYY-MM
//               --seed S --out OUT.csv|DIR [--truth TRUTH.json]
// hotspot synth --study STUDY.toml          (the study's [synth] recipe)

#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "core/base/error.hpp"
#include "core/spatial/area_set.hpp"
#include "core/synth/synth.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/police_uk_writer.hpp"
#include "layers/study/study.hpp"
#include "layers/study/synth_study.hpp"

namespace hotspot::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct SynthArgs {
  std::string study;
  std::string boundary, boundary_code, bbox;
  uint64_t rows = 0;
  double per_month = 0;
  std::string months;
  uint64_t seed = 1;
  std::string out, truth, population, lsoa, lsoa_code, lsoa_name;
  std::size_t map_points = 0;
  bool snap = false;
  std::string force = "Synthetic Police";
  std::string format = "police-uk";
  int hotspots_per_category = 3;
  double hotspot_share = 0.35;
  unsigned threads = 0;
  bool json = false, quiet = false;
};

core::Box parse_bbox(const std::string& text) {
  std::vector<double> v;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    try {
      std::size_t used = 0;
      v.push_back(std::stod(part, &used));
      if (used != part.size()) throw std::invalid_argument(part);
    } catch (...) {
      throw UsageError("--bbox '" + text + "': '" + part + "' is not a number");
    }
  }
  if (v.size() != 4 || v[2] <= v[0] || v[3] <= v[1])
    throw UsageError("--bbox '" + text + "' must be XMIN,YMIN,XMAX,YMAX in EPSG:27700 metres with XMIN < XMAX, YMIN < YMAX");
  return core::Box(core::Point(v[0], v[1]), core::Point(v[2], v[3]));
}

int run_synth(const SynthArgs& a) {
  Console con("synth", a.quiet || a.json);
  const auto t0 = std::chrono::steady_clock::now();
  if (!a.study.empty()) {
    const layers::Study study = layers::load_study(a.study);
    const layers::SynthRun r = layers::synthesize_study(study, a.threads);
    con.info("wrote " + thousands(r.rows) + " synthetic incidents in " + std::to_string(r.files.size()) +
             " police.uk-format files under " + study.synth->out.string() + "; truth: " + r.truth.string());
    if (a.json)
      std::cout << json{{"command", "synth"},
                        {"study", study.file.string()},
                        {"rows", r.rows},
                        {"files", r.files.size()},
                        {"out", study.synth->out.string()},
                        {"truth", r.truth.string()},
                        {"timings", {{"total_s", r.seconds}}}}
                       .dump(2)
                << std::endl;
    return 0;
  }
  if (a.out.empty()) throw UsageError("--out is required (or --study STUDY.toml)");
  if (a.months.empty()) throw UsageError("--months FIRST:LAST is required (or --study STUDY.toml)");
  if (a.boundary.empty() == a.bbox.empty()) throw UsageError("give exactly one of --boundary B and --bbox XMIN,YMIN,XMAX,YMAX");
  if ((a.rows == 0) == (a.per_month <= 0)) throw UsageError("give exactly one of --rows N and --per-month N");
  if (a.format != "police-uk" && a.format != "csv") throw UsageError("--format must be police-uk or csv");
  const core::Taxonomy tax = core::Taxonomy::police_uk();

  core::SynthConfig cfg;
  std::tie(cfg.first, cfg.last) = parse_month_range(a.months, "--months");
  cfg.seed = a.seed;
  cfg.total_rows = a.rows;
  cfg.incidents_per_month = a.per_month;
  cfg.hotspots_per_category = a.hotspots_per_category;
  cfg.hotspot_share = a.hotspot_share;
  cfg.threads = a.threads;
  std::optional<layers::AreaReadResult> boundary, lsoas;
  if (!a.boundary.empty()) {
    boundary = layers::read_areas(a.boundary, {"", a.boundary_code, "", ""});
    cfg.boundary = &boundary->areas;
  } else {
    cfg.bbox = parse_bbox(a.bbox);
  }
  if (!a.population.empty()) cfg.population = layers::read_points_csv(a.population);
  else if (a.map_points > 0) {
    const core::Box box = boundary ? boundary->areas.bounds() : cfg.bbox;
    cfg.population = core::synthetic_map_points(box, a.map_points, a.seed);
    cfg.population_jitter_m = 50;
  }
  cfg.snap = a.snap;
  if (cfg.snap && cfg.population.empty())
    throw UsageError("--snap needs points to snap to: --population P.csv or --map-points N");
  if (!a.lsoa.empty()) {
    lsoas = layers::read_areas(a.lsoa, {"", a.lsoa_code, a.lsoa_name, ""});
    cfg.area_codes = &lsoas->areas;
  }

  core::SynthTruth truth;
  const core::IncidentTable table = core::synthesize(cfg, tax, &truth);
  const double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<fs::path> files;
  if (a.format == "csv") {
    layers::write_dated_csv(table, tax, a.out);
    files.push_back(a.out);
  } else {
    layers::PoliceUkWriteOptions wo;
    wo.force = a.force;
    wo.seed = a.seed;
    if (lsoas)
      wo.area_name = [&](std::string_view code) -> std::string {
        auto i = lsoas->areas.find_code(code);
        return i ? lsoas->areas[*i].name : std::string();
      };
    files = layers::write_police_uk(table, tax, a.out, wo);
  }
  if (!a.truth.empty()) {
    layers::AtomicOutput out(a.truth);
    std::ofstream(out.temp_path()) << layers::truth_to_json(cfg, truth, tax).dump(2) << '\n';
    out.commit();
  }
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  con.info("wrote " + thousands(table.size()) + " synthetic incidents (" + std::to_string(files.size()) +
           (files.size() == 1 ? " file" : " files") + ") to " + a.out + (a.truth.empty() ? "" : "; truth: " + a.truth));
  if (a.json)
    std::cout << json{{"command", "synth"},
                      {"rows", table.size()},
                      {"files", files.size()},
                      {"out", a.out},
                      {"truth", a.truth},
                      {"seed", a.seed},
                      {"timings", {{"generate_s", gen_s}, {"total_s", total_s}}}}
                     .dump(2)
              << std::endl;
  return 0;
}

}  // namespace

Runner register_synth(CLI::App& app) {
  auto a = std::make_shared<SynthArgs>();
  app.add_option("--study", a->study, "generate the study's [synth] recipe (all other options ignored)");
  app.add_option("--boundary", a->boundary, "polygon layer the incidents fall in");
  app.add_option("--boundary-code", a->boundary_code, "code field of --boundary");
  app.add_option("--bbox", a->bbox, "XMIN,YMIN,XMAX,YMAX in EPSG:27700 metres (instead of --boundary)");
  app.add_option("--rows", a->rows, "exactly this many incidents (before planted effects)");
  app.add_option("--per-month", a->per_month, "expected incidents per month (Poisson), instead of --rows");
  app.add_option("--months", a->months, "FIRST:LAST, e.g. 2022-04:2025-03");
  app.add_option("--seed", a->seed, "random seed (same seed, same data)");
  app.add_option("--out", a->out, "OUT.csv (one file) or a folder (one police.uk file per month)");
  app.add_option("--truth", a->truth, "write what was planted to this JSON file");
  app.add_option("--population", a->population, "CSV of easting/northing points weighting the background");
  app.add_option("--map-points", a->map_points, "generate N police.uk-like anonymous map points (no --population)");
  app.add_flag("--snap", a->snap, "snap incidents to the nearest population/map point, as police.uk does");
  app.add_option("--lsoa", a->lsoa, "LSOA polygons: fills LSOA code/name by point in polygon");
  app.add_option("--lsoa-code", a->lsoa_code, "code field of --lsoa");
  app.add_option("--lsoa-name", a->lsoa_name, "name field of --lsoa");
  app.add_option("--force", a->force, "force name for 'Reported by'/'Falls within'");
  app.add_option("--format", a->format, "police-uk (default) or csv (with day dates)");
  app.add_option("--hotspots-per-category", a->hotspots_per_category, "automatic hotspots per crime type (default 3)");
  app.add_option("--hotspot-share", a->hotspot_share, "share of each crime type in its hotspots (default 0.35)");
  app.add_option("--threads", a->threads, "worker threads (default: all cores)");
  app.add_flag("--json", a->json, "print a JSON summary on stdout");
  app.add_flag("--quiet", a->quiet, "no messages on stderr");
  return [a] { return run_synth(*a); };
}

}  // namespace hotspot::cli
