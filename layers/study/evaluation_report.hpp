#pragma once
// What an evaluation says, in the forms its readers use (core::Evaluation in, files out):
//   evaluation_json()      DIR/evaluation.json: {"interventions": [...], "pooled": {...},
//                          "settings", "data_period", "counts", "overlaps", "warnings"}
//                          (DESIGN.md's contract; every optional measure is null with a
//                          warning saying why, never NaN);
//   evaluation_markdown()  the report.md section: a results table, one plain-English
//                          paragraph per intervention, pooled schemes, overlaps, what
//                          could not be evaluated, and the method in a few lines;
//   write_evaluation_tables()  DIR/tables/evaluation_{interventions,schemes,categories,
//                          monthly,overlaps}.csv (the monthly series are for charts);
//   write_evaluation_layers()  GeoPackage layers evaluation_targets, evaluation_buffers,
//                          evaluation_controls (EPSG:27700) carrying the results.
//
//   nlohmann::json j = evaluation_json(e, interventions, tax, settings, ctx);
//   std::string md = evaluation_markdown(e, interventions, tax, settings, ctx);

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/evaluate/evaluation.hpp"

namespace hotspot::layers {

// Labels for the report (what the numbers were computed from).
struct EvaluationContext {
  std::string title;                 // evaluation.md's heading (e.g. the study's name)
  std::string interventions_source;  // the interventions file, as the user named it
  std::string control_description;   // e.g. "the rest of the study area ('district')"
};

nlohmann::json evaluation_json(const core::Evaluation& e, std::span<const core::Intervention> interventions,
                               const core::Taxonomy& taxonomy, const core::EvaluationSettings& settings,
                               const EvaluationContext& context);

std::string evaluation_markdown(const core::Evaluation& e, std::span<const core::Intervention> interventions,
                                const core::Taxonomy& taxonomy, const core::EvaluationSettings& settings,
                                const EvaluationContext& context);

// Writes the five CSV tables into `dir` (created if missing), atomically. Returns the
// paths written. @throws IoError.
std::vector<std::filesystem::path> write_evaluation_tables(const core::Evaluation& e,
                                                           std::span<const core::Intervention> interventions,
                                                           const core::Taxonomy& taxonomy,
                                                           const std::filesystem::path& dir,
                                                           std::span<const std::filesystem::path> inputs = {});

// Adds (or replaces) the three layers in the GeoPackage at `gpkg` (created if missing;
// NOT atomic: pass an AtomicOutput's temp_path()). Returns writer warnings.
// @throws IoError.
std::vector<std::string> write_evaluation_layers(const core::Evaluation& e,
                                                 std::span<const core::Intervention> interventions,
                                                 const core::ControlAreas& controls,
                                                 const core::EvaluationSettings& settings,
                                                 const std::filesystem::path& gpkg);

}  // namespace hotspot::layers
