#pragma once
// Before/after for compare mode: what the evaluation panel shows.
//
// Two sources, and the panel always says which one it shows:
//  1. EvaluationRecord: the evaluation computed by core/evaluate. Either read from
//     DIR/evaluation.json (written by `hotspot evaluate` / `hotspot run` for the study's
//     interventions, with the study's settings), or computed in process by
//     evaluate_in_process() for whatever the analyst compares: an area, a cell, an
//     intervention, or an area drawn on the map, with the windows, buffer and crime
//     types chosen in the viewer. Either way core::evaluate() computes the odds ratio,
//     its CI, WDQ and WDD; the viewer never computes them itself.
//  2. BeforeAfterCounts: incident counts in the target area, its buffer ring and the
//     rest of the study area for the before and after windows, from core aggregation
//     (AreaSet point-in-polygon + counting): what the maps show, always available.
//
//   BeforeAfterCounts c = before_after_counts(incidents, target, 250, golive, 12, 12, filter);
//   c.target.before; c.target.after; c.monthly_target;   // chart with go-live marked
//   auto e = evaluate_in_process(incidents, target, 250, golive, 12, 12, filter);
//   if (e && e->odds_ratio) show(*e->odds_ratio, *e->odds_ratio_low, *e->odds_ratio_high);

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/evaluate/evaluation.hpp"
#include "core/geo/geometry.hpp"
#include "core/incidents/time.hpp"
#include "viewer/app/incidents.hpp"

namespace hotspot::core {
class AreaSet;
}

namespace hotspot::viewer {

struct WindowPair {
  uint64_t before = 0;
  uint64_t after = 0;
  // (after - before) / before in percent; nullopt when before == 0.
  [[nodiscard]] std::optional<double> percent_change() const;
};

struct BeforeAfterCounts {
  core::MonthIndex go_live = 0;
  MonthRange before, after;     // clipped to the data's period
  MonthRange chart;             // before.first .. after.last
  WindowPair target, buffer, rest;
  std::vector<uint32_t> monthly_target;  // per month of `chart`
  std::vector<uint32_t> monthly_buffer;
  double target_area_km2 = 0, buffer_area_km2 = 0;
  bool before_clipped = false, after_clipped = false;  // the data does not cover the whole window
};

// Windows: before = the `before_months` months before go_live, after = after_months
// months from go_live + implementation_months (the months in between are left out, as
// core/evaluate does); both clipped to incidents.period. The chart spans them all. The buffer is
// the ring from the target's edge out to `buffer_m` (Boost.Geometry buffer; 0 = none).
BeforeAfterCounts before_after_counts(const IncidentData& incidents, const core::MultiPolygon& target,
                                      double buffer_m, core::MonthIndex go_live, int before_months,
                                      int after_months, const CategoryFilter& filter, int implementation_months = 0);

// A circle (polygon with `segments` vertices) around a point: the target area of a
// point intervention.
core::MultiPolygon circle(double x_m, double y_m, double radius_m, int segments = 72);

// One intervention's results from evaluation.json. Fields that are absent are nullopt.
struct EvaluationRecord {
  std::string id;
  std::optional<uint64_t> target_before, target_after, buffer_before, buffer_after,
      control_before, control_after;
  std::optional<double> odds_ratio, odds_ratio_low, odds_ratio_high, wdq;
  std::optional<double> wdd_estimate, wdd_se, wdd_z;
  std::vector<std::pair<std::string, std::string>> other;  // further scalar fields, as text
  // Filled by evaluate_in_process() (evaluation.json carries them in `other`).
  bool in_process = false;
  bool evaluated = true;                 // false: core could not evaluate; `reason` says why
  std::string reason;
  std::optional<double> odds_ratio_p;    // two-sided, over-dispersion adjusted
  std::optional<double> relative_change_pct;  // (1/OR - 1) x 100: the target's change vs the control
  std::string wdq_reading;               // core's describe(WdqReading)
  std::string spillover;                 // "none", "displacement", "diffusion", "not_assessed"
  std::string control_label;             // "rest of the study area"
  std::string dispersion;                // how the CI was widened ("monthly, phi 1.8")
  double confidence = 0.95;              // of odds_ratio_low/high
  std::vector<std::string> warnings;     // core's warnings for this target
};
struct EvaluationFile {
  std::filesystem::path path;
  std::vector<EvaluationRecord> interventions;
  // The study's [evaluate] settings as evaluation.json records them ("settings"): the
  // viewer's compare mode starts from them and evaluates with them. nullopt when absent.
  std::optional<core::EvaluationSettings> settings;
  std::string control;              // "rest", "matched" or a [boundaries.*] key
  std::string control_description;  // "the rest of the study area ('district')"
  std::string error;  // why it could not be read ("" = fine)
  [[nodiscard]] const EvaluationRecord* find(std::string_view id) const;
};
// Reads DESIGN.md's evaluation.json. Never throws: problems go to `error`.
EvaluationFile read_evaluation_json(const std::filesystem::path& path);

// core::evaluate() for one target (any polygon: an area, a cell, a drawn area, a
// circle around a point intervention) with the viewer's windows and buffer: the
// target vs the rest of the incidents (every incident outside the target and its
// ring: the study area when the incidents are a study's), counting the crime types
// `filter` allows (with `study_area`, the rest of it, and the target and ring are
// clipped to it), over-dispersion from the monthly counts (core's default), 95%
// intervals, no implementation months: core's defaults, or, with `study`, the study's
// implementation months, over-dispersion, confidence and WDD weighting (the windows,
// buffer and crime types stay the viewer's; the control is always the rest of the
// study area). Cost: one point-in-polygon pass over the
// incidents (about 10 ms per 100,000 on one core). nullopt when the target is not a
// valid polygon; an EvaluationRecord with evaluated == false and a reason when core
// cannot evaluate it (windows outside the data, no incidents).
std::optional<EvaluationRecord> evaluate_in_process(const IncidentData& incidents,
                                                    const core::MultiPolygon& target, double buffer_m,
                                                    core::MonthIndex go_live, int before_months,
                                                    int after_months, const CategoryFilter& filter,
                                                    const core::AreaSet* study_area = nullptr,
                                                    const core::EvaluationSettings* study = nullptr,
                                                    int implementation_months = 0);

}  // namespace hotspot::viewer
