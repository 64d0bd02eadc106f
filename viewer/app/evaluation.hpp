#pragma once
// Before/after for compare mode: what the evaluation panel shows.
//
// Two sources, and the panel always says which one it shows:
//  1. EvaluationRecord: the evaluation computed by core/evaluate and written by
//     `hotspot evaluate` / `hotspot run` to DIR/evaluation.json (DESIGN.md: counts per
//     area and window, odds ratio with CI, WDQ, WDD). The viewer reads and shows it;
//     it never computes an odds ratio or a WDQ itself. THE SEAM: when core/evaluate
//     gains an in-process API, evaluate_in_process() is where the viewer calls it for
//     areas drawn on the map; until then it returns nullopt.
//  2. BeforeAfterCounts: incident counts in the target area, its buffer ring and the
//     rest of the study area for the before and after windows, from core aggregation
//     (AreaSet point-in-polygon + counting). Labelled "counts, not an evaluation".
//
//   BeforeAfterCounts c = before_after_counts(incidents, target, 250, golive, 12, 12, filter);
//   c.target.before; c.target.after; c.monthly_target;   // chart with go-live marked

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/geo/geometry.hpp"
#include "core/incidents/time.hpp"
#include "viewer/app/incidents.hpp"

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

// Windows: before = the `before_months` months before go_live, after = go_live and the
// following after_months - 1 months; both clipped to incidents.period. The buffer is
// the ring from the target's edge out to `buffer_m` (Boost.Geometry buffer; 0 = none).
BeforeAfterCounts before_after_counts(const IncidentData& incidents, const core::MultiPolygon& target,
                                      double buffer_m, core::MonthIndex go_live, int before_months,
                                      int after_months, const CategoryFilter& filter);

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
};
struct EvaluationFile {
  std::filesystem::path path;
  std::vector<EvaluationRecord> interventions;
  std::string error;  // why it could not be read ("" = fine)
  [[nodiscard]] const EvaluationRecord* find(std::string_view id) const;
};
// Reads DESIGN.md's evaluation.json. Never throws: problems go to `error`.
EvaluationFile read_evaluation_json(const std::filesystem::path& path);

// The seam for core/evaluate (see the header comment). Returns nullopt until core
// offers an in-process evaluation.
std::optional<EvaluationRecord> evaluate_in_process(const IncidentData& incidents,
                                                    const core::MultiPolygon& target, double buffer_m,
                                                    core::MonthIndex go_live, int before_months,
                                                    int after_months);

}  // namespace hotspot::viewer
