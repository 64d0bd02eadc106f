#pragma once
// The `hotspot evaluate` stage: interventions and incidents in, the evaluation's
// files out (core/evaluate/evaluation.hpp computes; evaluation_report.hpp formats).
//
// Three entry points, from the most to the least already loaded:
//   evaluate_and_write()  data in memory (the --incidents form of the command);
//   evaluate_study()      a study's [evaluate] section over incidents and boundaries
//                         that run_study() has already loaded: how `hotspot run`
//                         includes the evaluation (its markdown goes into report.md);
//   run_evaluate_study()  `hotspot evaluate STUDY.toml --out DIR`: reads the boundaries
//                         and ingests the study's inputs itself, then evaluate_study().
//
// Files (EvaluationOutputs::in(DIR)): DIR/evaluation.json, DIR/evaluation.md,
// DIR/evaluation.gpkg (evaluation_targets, evaluation_buffers, evaluation_controls) and
// DIR/tables/evaluation_{interventions,schemes,categories,monthly,overlaps}.csv, each
// written atomically. Inside `hotspot run`, point `gpkg` at the run's temporary
// study.gpkg (write_evaluation_layers) and `tables` at DIR/tables.
//
//   EvaluationRun r = run_evaluate_study(load_study("data/ashfield/study.toml"), {.out = "out/eval"});
//   for (const auto& w : r.warnings) std::cerr << w << '\n';
//   std::cout << r.summary.dump(2);
//
// @throws UsageError (no [evaluate] section, a control key that is not a boundary),
//         InputError (bad interventions: every bad row listed), IoError.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/evaluate/evaluation.hpp"
#include "layers/io/intervention_reader.hpp"
#include "layers/study/evaluation_report.hpp"
#include "layers/study/study.hpp"

namespace hotspot::layers {

struct EvaluationOutputs {
  std::filesystem::path json;      // evaluation.json; empty = not written
  std::filesystem::path markdown;  // evaluation.md; empty = not written
  std::filesystem::path gpkg;      // the layers; empty = not written
  std::filesystem::path tables;    // folder of the CSV tables; empty = not written
  std::vector<std::filesystem::path> inputs;  // files that must never be overwritten

  // The standard layout under `dir` (created if missing).
  static EvaluationOutputs in(const std::filesystem::path& dir);
};

struct EvaluationRun {
  nlohmann::json json;     // the content of evaluation.json
  nlohmann::json summary;  // for --json and summary.json: counts, pooled, outputs, timings
  std::string markdown;    // the report.md section (starts with "## ")
  std::vector<std::string> warnings;  // reader warnings, notes, "ID: warning" per intervention
  std::vector<std::filesystem::path> written;
  std::size_t interventions = 0, evaluated = 0;
  double seconds = 0;      // evaluation and writing (not reading)
};

EvaluationRun evaluate_and_write(const core::IncidentTable& table, const core::Taxonomy& taxonomy,
                                 const InterventionReadResult& interventions, const core::EvaluationSettings& settings,
                                 const core::ControlAreas& controls, const EvaluationContext& context,
                                 const EvaluationOutputs& outputs);

// The [evaluate] section as core settings: intervention types and crime types
// resolved; the study period (if any) is the data period. @throws UsageError when the
// study has no [evaluate] section.
core::EvaluationSettings evaluation_settings(const Study& study, const core::Taxonomy& taxonomy);

// A [boundaries.*] layer by key, already read and built (nullptr if unknown).
using BoundaryLookup = std::function<const core::AreaSet*(const std::string& key)>;

EvaluationRun evaluate_study(const Study& study, const core::IncidentTable& table, const core::Taxonomy& taxonomy,
                             const BoundaryLookup& boundary, const EvaluationOutputs& outputs, unsigned threads = 0);

struct StudyEvaluateOptions {
  std::filesystem::path out;  // DIR
  unsigned threads = 0;
  std::function<void(const std::string& stage)> on_stage;  // "boundaries", "ingest", "evaluate"
};

// Also fills summary["ingest"] with the rows read, accepted and rejected.
EvaluationRun run_evaluate_study(const Study& study, const StudyEvaluateOptions& options);

}  // namespace hotspot::layers
