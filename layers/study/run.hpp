#pragma once
// run_study(): the batch pipeline behind `hotspot run STUDY.toml --out DIR`.
//
// Stages so far (later issues add grids, statistics, evaluation and ranking to the
// same pipeline):
//   1. boundaries: every [boundaries.*] layer read into an AreaSet (BNG);
//   2. ingest: every [[inputs]] entry, with the study period and study area applied;
//      every rejected row streamed to DIR/rejects.csv;
//   3. counts: incidents by month x category; by area x category for every boundary
//      layer (point in polygon); and, where an input carries area codes (police.uk
//      "LSOA code"), the counts by those published codes plus a check of how often
//      the published code agrees with the point-in-polygon area;
//   4. outputs, each written atomically (a crash never leaves a half-written file):
//      DIR/study.gpkg         incidents (points) + month_counts + <key>_counts layers
//      DIR/tables/*.csv       the same tables as CSV
//      DIR/geojson/*.geojson  the area count layers, RFC 7946 (WGS84)
//      DIR/rejects.csv        every rejected row: source,line,column,field,code,message,raw
//      DIR/report.md          data quality and counts, readable
//      DIR/summary.json       the summary (also printed by --json)
//
//   RunOptions o;  o.out = "out/ashfield";
//   RunResult r = run_study(load_study("data/ashfield/study.toml"), o);
//
// @throws UsageError (a study input matches no files, ...), IoError, InputError.

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
