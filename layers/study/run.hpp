#pragma once
// run_study(): the batch pipeline behind `hotspot run STUDY.toml --out DIR`: every
// stage the study file asks for, in order, each skipped when its section is absent:
//   boundaries  every [boundaries.*] layer read into an AreaSet (BNG);
//   ingest      every [[inputs]] entry (addresses geocoded with the [geocode]
//               gazetteer), the study period and area applied; rejected rows
//               streamed to DIR/rejects.csv;
//   counts      incidents by month x category and by area x category for every
//               boundary layer; published area codes checked against the polygons;
//   hotspots    [grid] + [stats]: cells over the grid boundary, Gi* with FDR bins
//               (core::grid_hotspots with a given cell and band, else ArcGIS's
//               Optimized Hot Spot rules: core::optimized_hotspots);
//   kde         [stats] kde: the KDE surface (DIR/kde.tif);
//   emerging    [spacetime]: emerging hot spots on the grid's space-time cube;
//   evaluate    [evaluate]: before/after evaluation (evaluate_study.hpp);
//   rank        [rank]: cells and/or areas ranked by core::rank_units (count,
//               harm, Gi* bin, emerging category), every part of the score shown;
//   write       DIR/study.gpkg (every layer, QGIS styles), DIR/tables/*.csv,
//               DIR/geojson/*.geojson (RFC 7946), DIR/kde.tif;
//   maps        DIR/maps/*.png (legend, scale bar, north arrow);
//   then DIR/report.md + report.html (the tasking pack) and DIR/summary.json.
// Every file is written atomically (a crash never leaves a half-written file).
//
// Cache: ingest, hot spots, KDE and emerging hot spots are stored in DIR/cache/
// keyed by their input files (path, size, mtime, edge hashes) and settings
// (layers/study/run_cache.hpp); a rerun with the same key reuses them, and
// summary.json's "cache" says which stages were reused and which computed.
//
//   RunOptions o;  o.out = "out/ashfield";
//   RunResult r = run_study(load_study("data/ashfield/study.toml"), o);
//
// @throws UsageError (a study input matches no files, ...), IoError, InputError
//         (too few incidents for hot spot analysis, ...).

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/incidents/issues.hpp"
#include "layers/study/study.hpp"

namespace hotspot::layers {

struct RunOptions {
  std::filesystem::path out;
  unsigned threads = 0;
  std::function<void(const std::string& stage)> on_stage;                // "ingest", "counts", ...
  std::function<void(uint64_t done_bytes, uint64_t total_bytes)> progress;  // during ingest
  // Before each stage: its index, the number of stages and its name (a progress bar).
  std::function<void(std::size_t stage, std::size_t stages, const std::string& name)> on_step;
  bool use_cache = true;  // false: recompute everything and store nothing (--no-cache)
};

struct RunResult {
  nlohmann::json summary;
  core::IngestCounts counts;
  std::vector<std::string> warnings;        // boundary repairs, unmatched codes, ...
  std::vector<core::RowIssue> first_issues;  // the first rejected rows, for the console
  uint64_t issues_total = 0;
};

RunResult run_study(const Study& study, const RunOptions& options);

}  // namespace hotspot::layers
