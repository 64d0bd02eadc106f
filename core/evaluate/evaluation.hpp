#pragma once
// evaluate(): before/after evaluation of interventions against incidents: did crime
// fall where we acted, more than elsewhere, and did it move next door or did the
// benefit spread? (DESIGN.md; the measures are in effect_size.hpp, displacement.hpp
// and panel.hpp, each with its sources.)
//
//   EvaluationSettings s;  s.before_months = 12;  s.after_months = 12;  s.buffer_m = 250;
//   ControlAreas c;  c.study_area = &district;             // rest-of-district control
//   Evaluation e = evaluate(table, taxonomy, interventions, s, c);
//   for (const InterventionResult& r : e.results)
//     if (r.effect) print(r.target.total.before, r.target.total.after, r.effect->odds_ratio);
//
// [SECTION] What is counted
// Per intervention: its categories (its own list, else the study's default for its
// type, else every category), over three windows of months around go-live:
//   before          the `before_months` months before the go-live month;
//   implementation  excluded months from go-live: max(implementation_months, the
//                   installation period start..end when given, 1 when the go-live date
//                   has a day after the 1st: a month only partly treated);
//   after           the `after_months` months after that.
// Windows are clipped to the data period (a warning says so); an intervention whose
// before window lies entirely before the data, or whose after window starts after
// it, is not evaluated (`reason` says why). The monthly series cover before..after
// including the implementation months (for charts).
//
// [SECTION] Areas, overlaps and controls
// Target and buffer per intervention (intervention.hpp). Every incident is counted
// ONCE: one AreaSet holds every target (by go-live, then input order), then every
// buffer (same order), then the control polygons; the first area covering a point
// takes it (AreaSet's rule). So a target always wins over another intervention's
// buffer, an earlier scheme over a later one, and no control ever contains a target
// or a buffer. Overlapping areas are reported (Evaluation::overlaps: the pair, the
// overlap's area and how many incidents in it were counted for the first one only),
// and the loser's effective area shrinks accordingly (areas for WDD's weights).
// With a study area, targets and buffers reaching outside it are clipped to it.
// Controls (ControlKind):
//   rest      the rest of the study area (ControlAreas::study_area), or, without one,
//             every incident outside all targets and buffers (area: the incidents'
//             bounding box, a rough figure used only by WDD's density weights);
//   polygons  chosen polygons (ControlAreas::polygons): the intervention's
//             control_codes, or all polygons when it names none;
//   matched   automatically matched comparison cells: a grid of matched_cell_m
//             squares aligned to the National Grid over the study area (or the
//             incidents' extent); candidates are cells whose centre is in the study
//             area, that touch no target or buffer and that had at least one incident
//             of the intervention's categories in its before window. For each
//             candidate: level L = ln((pre count + 0.5) / (months x km2)) and relative
//             trend R = OLS slope of its monthly pre counts / their mean. The
//             `matched_cells` candidates nearest the target in (L, R), each feature
//             scaled by its standard deviation across candidates, form the control
//             (ties by cell position). Matching on density and trend guards against
//             regression to the mean (targets are picked because they were hot).
// The displacement comparison uses the same control (WDD's shared_control).
//
// [SECTION] Measures per intervention
//   counts   target/buffer/control x before/after, in total and per category, % change;
//   effect   odds ratio target vs control (Poisson and over-dispersion-adjusted);
//   spill    odds ratio buffer vs control: buffer rose significantly against the
//            control -> displacement; fell -> diffusion of benefits (Spillover);
//   wdq      Bowers & Johnson's WDQ, success measure, total net effect, reading;
//   wdd      Wheeler & Ratcliffe's WDD, time weights (before/after months) and, when
//            wdd_area_weights, area weights, in "crimes in the target (buffer) over
//            the after window": WDD_local = (T1 - T0 mA/mB) - (C1 - C0 mA/mB) aT/aC;
//   did      monthly difference in differences (panel.hpp): the rate ratio of ratios
//            (exactly 1 / odds ratio) and the Pearson dispersion of the month panel;
//   trend    pre-period trend comparison (panel.hpp pre_trend).
// Over-dispersion (OverdispersionMode): `monthly` (default) multiplies VAR(ln OR) by
// the panel's Pearson dispersion phi (>= 1), estimated separately for the target and
// for the buffer comparison; when phi cannot be estimated (fewer than 6 months with
// incidents, a zero window) it falls back to `farrington` with a warning. `farrington`:
// per-count D(N) = 0.0008 N + 1.2 (effect_size.hpp); `fixed`: a given factor; `none`.
// Both intervals are always kept (OddsRatio::poisson and ::adjusted).
//
// [SECTION] Pooling
// Per scheme (the intervention's scheme, else its type) and overall: inverse-variance
// fixed and DerSimonian-Laird random effects over the sites with an effect, with the
// adjusted variances (primary) and the Poisson ones (effect_size.hpp pool_effects).
//
// Cost: one locate pass over the incidents in the evaluation months (AreaSet,
// multi-threaded), a histogram per area x month x category, then per intervention
// work independent of the number of incidents. 1,000 interventions over 6 million
// incidents: see BENCHMARKS.md.
//
// Errors: data problems are values, never exceptions or NaN: an intervention that
// cannot be evaluated has evaluated == false and a reason; measures that cannot be
// computed are empty optionals with a warning saying why.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/evaluate/displacement.hpp"
#include "core/evaluate/effect_size.hpp"
#include "core/evaluate/intervention.hpp"
#include "core/evaluate/panel.hpp"
#include "core/geo/geometry.hpp"
#include "core/incidents/incident_table.hpp"
#include "core/incidents/taxonomy.hpp"

namespace hotspot::core {

class AreaSet;

enum class ControlKind : uint8_t { rest, polygons, matched };
const char* control_kind_name(ControlKind k);  // "rest", "polygons", "matched"

enum class OverdispersionMode : uint8_t { none, monthly, farrington, fixed };
const char* overdispersion_name(OverdispersionMode m);  // "none", "monthly", ...

// Default target radius (metres) for point and line interventions of each type.
// Illustrative planning values, not from a standard: cctv 100 (a camera's useful
// view along a street), street_lighting 50 (either side of the lit street),
// alleygate 50, alleyway_closure 50, safe_space 100, target_hardening 100, other 100.
std::array<double, kInterventionTypeCount> default_radii_m();

struct EvaluationSettings {
  int before_months = 12;          // >= 1
  int after_months = 12;           // >= 1
  int implementation_months = 0;   // >= 0, excluded from go-live on
  double buffer_m = 250;           // default buffer width (>= 0)
  std::array<double, kInterventionTypeCount> radius_m = default_radii_m();
  std::array<std::vector<CategoryId>, kInterventionTypeCount> categories{};  // per type; empty = all
  ControlKind control = ControlKind::rest;
  double matched_cell_m = 250;     // > 0
  int matched_cells = 10;          // >= 1
  OverdispersionMode overdispersion = OverdispersionMode::monthly;
  double overdispersion_factor = 1.0;  // for OverdispersionMode::fixed (>= 1)
  double confidence = 0.95;        // for every interval (0 < c < 1)
  bool wdd_area_weights = true;
  int points_per_circle = 72;
  std::optional<MonthIndex> data_first, data_last;  // the data period; default: the incidents' months
  unsigned threads = 0;            // for locating incidents; 0 = all cores
};

// The polygons a control is drawn from. Both optional (see the header comment).
struct ControlAreas {
  const AreaSet* study_area = nullptr;  // rest-of-area control; matched cells inside it; clipping
  const AreaSet* polygons = nullptr;    // ControlKind::polygons
};

struct WindowCounts {
  uint64_t before = 0, after = 0;
};

struct AreaCounts {
  WindowCounts total;
  std::vector<WindowCounts> by_category;  // parallel to InterventionResult::categories
  double area_m2 = 0;                     // effective area (overlaps removed)
  std::optional<double> change_pct;       // (after - before) / before x 100; none if before == 0
};

struct Windows {
  MonthIndex go_live = 0;
  MonthIndex before_first = 0, before_last = -1;  // inclusive; empty when last < first
  MonthIndex gap_first = 0, gap_last = -1;        // implementation months (excluded)
  MonthIndex after_first = 0, after_last = -1;
  int months_before = 0, months_after = 0;        // after clipping to the data
};

enum class Spillover : uint8_t {
  not_assessed,  // no buffer, or no buffer comparison possible
  none,          // the buffer's change is not significantly different from the control's
  displacement,  // the buffer rose significantly against the control
  diffusion,     // the buffer fell significantly against the control
};
const char* spillover_name(Spillover s);  // "not_assessed", "none", "displacement", "diffusion"

struct InterventionResult {
  std::size_t index = 0;  // into the interventions given to evaluate()
  bool evaluated = false;
  std::string reason;     // why not evaluated
  std::vector<std::string> warnings;

  std::string scheme;                  // as pooled
  std::vector<CategoryId> categories;  // those counted
  bool all_categories = false;         // no list applied: every category
  double radius_m = 0, buffer_m = 0;
  std::string radius_source;           // "interventions file", "default for cctv", "polygon"
  bool has_areas = false;
  InterventionAreas areas;             // target and buffer polygons (clipped), nominal areas
  Windows windows;

  AreaCounts target, buffer, control;
  std::string control_label;           // "rest of the study area", "E05010673, E05010674", "10 matched 250 m cells"
  std::vector<uint32_t> matched_cells;  // indices into Evaluation::cells

  // Monthly counts of the categories, months series_first ... (before_first..after_last).
  MonthIndex series_first = 0;
  std::vector<uint32_t> series_target, series_buffer, series_control;

  std::optional<OddsRatio> effect;         // target vs control
  std::optional<OddsRatio> buffer_effect;  // buffer vs control
  std::optional<Wdq> wdq;
  std::optional<Wdd> wdd;
  std::optional<PanelDid> did;             // target vs control, monthly
  std::optional<PanelDid> buffer_did;      // buffer vs control, monthly (its phi)
  std::optional<TrendTest> pre_trend;
  OverdispersionMode dispersion_mode = OverdispersionMode::none;  // what was applied
  double dispersion = 1.0;                 // phi applied (monthly/fixed), 1 otherwise
  Spillover spillover = Spillover::not_assessed;
};

enum class AreaRole : uint8_t { target, buffer };
const char* role_name(AreaRole r);

struct Overlap {
  std::size_t first = 0, second = 0;  // interventions; `first` keeps the shared incidents
  AreaRole first_role = AreaRole::target, second_role = AreaRole::target;
  double area_m2 = 0;
  uint64_t shared_incidents = 0;  // incidents (evaluation months, any category) in both
};

struct SchemeResult {
  std::string scheme;
  std::vector<std::size_t> sites;        // interventions with an effect
  std::size_t interventions = 0;         // interventions in the scheme
  std::optional<PooledEffect> adjusted;  // pooled with the adjusted variances
  std::optional<PooledEffect> poisson;   // pooled with the Poisson variances
  WindowCounts target, buffer;           // summed over its evaluated sites (disjoint areas)
};

struct MatchedCell {
  Box box;
  int64_t column = 0, row = 0;  // in the National Grid-aligned grid of cell_m squares
};

struct Evaluation {
  std::vector<InterventionResult> results;  // input order
  std::vector<SchemeResult> schemes;        // sorted by name
  SchemeResult overall;                     // every site with an effect
  std::vector<Overlap> overlaps;
  std::vector<MatchedCell> cells;           // matched cells used by any result
  double cell_m = 0;
  std::vector<std::string> warnings;        // not tied to one intervention
  MonthIndex data_first = 0, data_last = -1;
  uint64_t incidents_considered = 0;        // in the evaluation months and categories
  uint64_t in_targets = 0, in_buffers = 0, in_controls = 0, elsewhere = 0;
  double geometry_s = 0, locate_s = 0, measures_s = 0;
};

// See the header comment. Requires: settings in range (see EvaluationSettings);
// controls.polygons for ControlKind::polygons; every polygon set built().
Evaluation evaluate(const IncidentTable& incidents, const Taxonomy& taxonomy,
                    std::span<const Intervention> interventions, const EvaluationSettings& settings,
                    const ControlAreas& controls = {});

}  // namespace hotspot::core
