#include "layers/study/evaluate_study.hpp"

#include <chrono>
#include <fstream>
#include <map>
#include <optional>

#include <time.h>  // clock_gettime(CLOCK_PROCESS_CPUTIME_ID)

#include "core/base/error.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/ingest.hpp"

namespace hotspot::layers {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
// CPU time of the whole process (user + sys, all threads), seconds: the figure to read
// when other work shares the machine and inflates wall times.
double process_cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void write_text_atomic(const fs::path& p, const std::string& text, std::span<const fs::path> inputs) {
  AtomicOutput out(p, inputs);
  {
    std::ofstream f(out.temp_path(), std::ios::binary);
    f << text;
    f.flush();
    if (!f) throw IoError(p.string() + ": write failed");
  }
  out.commit();
}

}  // namespace

EvaluationOutputs EvaluationOutputs::in(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot create the output folder: " + ec.message());
  EvaluationOutputs o;
  o.json = dir / "evaluation.json";
  o.markdown = dir / "evaluation.md";
  o.gpkg = dir / "evaluation.gpkg";
  o.tables = dir / "tables";
  return o;
}

EvaluationRun evaluate_and_write(const core::IncidentTable& table, const core::Taxonomy& tax,
                                 const InterventionReadResult& read, const core::EvaluationSettings& settings,
                                 const core::ControlAreas& controls, const EvaluationContext& context,
                                 const EvaluationOutputs& out) {
  const auto t0 = Clock::now();
  const double c0 = process_cpu_s();
  EvaluationRun run;
  const core::Evaluation e = core::evaluate(table, tax, read.interventions, settings, controls);
  const double evaluate_s = since(t0);
  const double evaluate_cpu_s = process_cpu_s() - c0;
  run.interventions = e.results.size();
  for (const auto& r : e.results) run.evaluated += r.evaluated ? 1 : 0;
  run.warnings = read.warnings;
  for (const auto& w : e.warnings) run.warnings.push_back(w);
  for (const auto& r : e.results) {
    const std::string& id = read.interventions[r.index].id;
    if (!r.evaluated) run.warnings.push_back(id + ": not evaluated: " + r.reason);
    for (const auto& w : r.warnings) run.warnings.push_back(id + ": " + w);
  }
  run.json = evaluation_json(e, read.interventions, tax, settings, context);
  run.markdown = evaluation_markdown(e, read.interventions, tax, settings, context);
  const auto tw = Clock::now();
  const double cw = process_cpu_s();
  if (!out.json.empty()) {
    write_text_atomic(out.json, run.json.dump(2) + "\n", out.inputs);
    run.written.push_back(out.json);
  }
  if (!out.markdown.empty()) {
    const std::string title = context.title.empty() ? "Intervention evaluation" : context.title;
    write_text_atomic(out.markdown, "# " + title + "\n\n" + run.markdown, out.inputs);
    run.written.push_back(out.markdown);
  }
  if (!out.tables.empty())
    for (auto& p : write_evaluation_tables(e, read.interventions, tax, out.tables, out.inputs)) run.written.push_back(p);
  if (!out.gpkg.empty()) {
    AtomicOutput gpkg(out.gpkg, out.inputs);
    for (auto& w : write_evaluation_layers(e, read.interventions, controls, settings, gpkg.temp_path()))
      run.warnings.push_back(w);
    gpkg.commit();
    run.written.push_back(out.gpkg);
  }
  const double write_s = since(tw);
  const double write_cpu_s = process_cpu_s() - cw;
  run.seconds = since(t0);
  json outputs = json::array();
  // The summary keeps the first 50 warnings (all of them are in evaluation.json).
  json first_warnings = json::array();
  for (std::size_t k = 0; k < run.warnings.size() && k < 50; ++k) first_warnings.push_back(run.warnings[k]);
  for (const auto& p : run.written) outputs.push_back(p.string());
  run.summary = {{"command", "evaluate"},
                 {"interventions", run.interventions},
                 {"evaluated", run.evaluated},
                 {"data_period", run.json["data_period"]},
                 {"counts", run.json["counts"]},
                 {"pooled", run.json["pooled"]},
                 {"outputs", outputs},
                 {"warnings", first_warnings},
                 {"warnings_total", run.warnings.size()},
                 {"timings",
                  {{"evaluate_s", evaluate_s},
                   {"geometry_s", e.geometry_s},
                   {"locate_s", e.locate_s},
                   {"measures_s", e.measures_s},
                   {"write_s", write_s},
                   {"evaluate_cpu_s", evaluate_cpu_s},
                   {"write_cpu_s", write_cpu_s}}}};
  return run;
}

core::EvaluationSettings evaluation_settings(const Study& study, const core::Taxonomy& tax) {
  if (!study.evaluate)
    throw UsageError(study.file.string() + ": error: the study has no [evaluate] section (see data/ashfield/study.toml)");
  const EvaluateSpec& spec = *study.evaluate;
  core::EvaluationSettings s;
  s.before_months = spec.before_months;
  s.after_months = spec.after_months;
  s.implementation_months = spec.implementation_months;
  s.buffer_m = spec.buffer_m;
  for (const auto& [type, radius] : spec.radius_m)
    s.radius_m[static_cast<std::size_t>(core::parse_intervention_type(type).value())] = radius;
  for (const auto& [type, names] : spec.categories) {
    auto& list = s.categories[static_cast<std::size_t>(core::parse_intervention_type(type).value())];
    for (const auto& n : names) list.push_back(tax.find(n).value());
  }
  s.control = spec.control == "rest"      ? core::ControlKind::rest
              : spec.control == "matched" ? core::ControlKind::matched
                                          : core::ControlKind::polygons;
  s.matched_cell_m = spec.matched_cell_m;
  s.matched_cells = spec.matched_cells;
  s.overdispersion = spec.overdispersion == "monthly"      ? core::OverdispersionMode::monthly
                     : spec.overdispersion == "farrington" ? core::OverdispersionMode::farrington
                     : spec.overdispersion == "none"       ? core::OverdispersionMode::none
                                                           : core::OverdispersionMode::fixed;
  s.overdispersion_factor = spec.overdispersion_factor;
  s.confidence = spec.confidence;
  s.wdd_area_weights = spec.wdd_area_weights;
  s.data_first = study.first_month;
  s.data_last = study.last_month;
  return s;
}

EvaluationRun evaluate_study(const Study& study, const core::IncidentTable& table, const core::Taxonomy& tax,
                             const BoundaryLookup& boundary, const EvaluationOutputs& outputs, unsigned threads) {
  core::EvaluationSettings settings = evaluation_settings(study, tax);
  settings.threads = threads;
  const EvaluateSpec& spec = *study.evaluate;
  const InterventionReadResult read = read_interventions(spec.interventions, tax, {spec.layer, spec.crs});
  if (read.interventions.empty())
    throw InputError(spec.interventions.string() + ": error: no interventions in the file");
  core::ControlAreas controls;
  EvaluationContext ctx;
  ctx.title = study.name + ": intervention evaluation";
  std::error_code ec;
  const fs::path rel = fs::relative(spec.interventions, study.dir, ec);
  ctx.interventions_source = ec || rel.empty() ? spec.interventions.string() : rel.string();
  if (!study.study_area.empty()) {
    controls.study_area = boundary(study.study_area);
    if (!controls.study_area)
      throw UsageError(study.file.string() + ": error: the study boundary '" + study.study_area + "' is not loaded");
  }
  if (settings.control == core::ControlKind::polygons) {
    controls.polygons = boundary(spec.control);
    if (!controls.polygons)
      throw UsageError(study.file.string() + ":" + std::to_string(spec.line) + ": error: [evaluate] control = '" +
                       spec.control + "' is not a loaded [boundaries.*] layer");
    ctx.control_description = "polygons of [boundaries." + spec.control +
                              "]: each intervention's `control` codes, or all of them when it names none";
  } else if (settings.control == core::ControlKind::matched) {
    ctx.control_description = std::to_string(settings.matched_cells) + " comparison cells of " +
                              std::to_string(static_cast<int>(settings.matched_cell_m)) +
                              " m matched to each target's pre-period level and trend" +
                              (controls.study_area ? " inside the study area ('" + study.study_area + "')" : std::string());
  } else {
    ctx.control_description = controls.study_area ? "the rest of the study area ('" + study.study_area + "')"
                                                   : "every incident outside the targets and buffers";
  }
  EvaluationOutputs out = outputs;
  out.inputs.push_back(spec.interventions);
  return evaluate_and_write(table, tax, read, settings, controls, ctx, out);
}

EvaluationRun run_evaluate_study(const Study& study, const StudyEvaluateOptions& o) {
  auto stage = [&](const char* s) {
    if (o.on_stage) o.on_stage(s);
  };
  if (!study.evaluate)
    throw UsageError(study.file.string() + ": error: the study has no [evaluate] section (see data/ashfield/study.toml)");
  if (o.out.empty()) throw UsageError("evaluate: no output folder given (--out DIR)");
  const core::Taxonomy tax = study.taxonomy();
  // Boundaries: the study area and the control polygons, if any.
  stage("boundaries");
  std::map<std::string, AreaReadResult> loaded;
  std::vector<std::string> warnings;
  auto load = [&](const std::string& key) {
    if (key.empty() || loaded.count(key)) return;
    const BoundarySpec* b = study.boundary(key);
    if (!b) return;
    AreaReadResult r = read_areas(b->path.string(), {b->layer, b->code_field, b->name_field, ""});
    for (auto& w : r.warnings) warnings.push_back(std::move(w));
    loaded.emplace(key, std::move(r));
  };
  load(study.study_area);
  if (study.evaluate->control != "rest" && study.evaluate->control != "matched") load(study.evaluate->control);
  const BoundaryLookup lookup = [&](const std::string& key) -> const core::AreaSet* {
    auto it = loaded.find(key);
    return it == loaded.end() ? nullptr : &it->second.areas;
  };
  // Incidents: every [[inputs]] entry, study period and area applied.
  stage("ingest");
  const auto ti = Clock::now();
  core::IncidentTable table;
  core::IngestCounts counts;
  std::vector<fs::path> input_files;
  for (const auto& in : study.inputs) {
    std::vector<std::string> files;
    try {
      files = expand_globs(in.paths);
    } catch (const UsageError& e) {
      std::string hint;
      if (study.synth)
        hint = "; if this is the synthetic data, generate it first: hotspot synth --study " + study.file.string();
      throw UsageError(study.file.string() + ":" + std::to_string(in.line) + ": error: input '" + in.name + "': " +
                       e.what() + hint);
    }
    for (const auto& f : files) input_files.emplace_back(f);
    IngestOptions io = ingest_options(study, in);
    io.study_area = lookup(study.study_area);
    io.threads = o.threads;
    io.keep_issues = 0;
    IngestResult r = ingest(files, tax, io);
    counts.add(r.counts);
    if (table.empty()) table = std::move(r.table);
    else table.append(r.table);
  }
  const double ingest_s = since(ti);
  if (counts.rejected > 0)
    warnings.push_back(std::to_string(counts.rejected) + " of " + std::to_string(counts.read) +
                       " input rows were rejected (run `hotspot run` or `hotspot ingest` to list them)");
  stage("evaluate");
  EvaluationOutputs outputs = EvaluationOutputs::in(o.out);
  outputs.inputs = input_files;
  outputs.inputs.push_back(study.file);
  EvaluationRun run = evaluate_study(study, table, tax, lookup, outputs, o.threads);
  run.warnings.insert(run.warnings.begin(), warnings.begin(), warnings.end());
  json first_warnings = json::array();
  for (std::size_t k = 0; k < run.warnings.size() && k < 50; ++k) first_warnings.push_back(run.warnings[k]);
  run.summary["warnings"] = first_warnings;
  run.summary["warnings_total"] = run.warnings.size();
  run.summary["study"] = study.name;
  run.summary["study_file"] = study.file.string();
  run.summary["ingest"] = {{"read", counts.read}, {"accepted", counts.accepted}, {"rejected", counts.rejected},
                           {"seconds", ingest_s}};
  return run;
}

}  // namespace hotspot::layers
