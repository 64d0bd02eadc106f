#pragma once
// Hotspot accuracy: how well a hotspot layer fitted on one period predicts where
// incidents happen in the next, so a tasking meeting can trust the map.
//
//   AccuracyInput in;
//   in.prediction = gistar_z_fit;     // per unit: higher = hotter (fitted on period 1)
//   in.fit_count  = counts_period1;   // incidents per unit, fitting period
//   in.test_count = counts_period2;   // incidents per unit, test period
//   in.area_m2    = cell_areas;       // per unit (cell area x area_fraction)
//   Result<AccuracyTable, AccuracyError> t = hotspot_accuracy(in, {});
//   for (const AccuracyRow& r : t->rows) print(r.target_area_share, r.pai, r.area_share, r.hit_rate);
//
// Selection: units are sorted by prediction descending (ties by fitting-period count
// descending, then by index), and taken while the cumulative area stays within the
// target share of the study area (the first unit is always taken, so a row is never
// empty); area_share reports the share actually selected, which is <= the target
// unless one unit alone exceeds it. Units with a NaN prediction are never selected.
//
// Definitions, with n = test incidents inside the selection, N = all test
// incidents, a = selected area, A = study area (sum of area_m2), n1/N1 the same in
// the fitting period, n* = the most test incidents any selection of units of the
// same area could hold (units sorted by test count, taken while their area fits a):
//   hit rate  H    = n / N
//   PAI            = (n / N) / (a / A)           Chainey, Tompson & Uhlig (2008),
//                                                Security Journal 21:4-28
//   PPAI           = (n / N) / (a / A)^alpha     "penalised" PAI: alpha in [0, 1]
//                                                (0 = hit rate, 1 = PAI); default 0.5
//   PEI            = n / n*  (= PAI / PAI*)      Hunt (2016): the share of the best
//                                                possible PAI for the same area
//   RRI            = (n / n1) / (N / N1)         Levine (2008), Security Journal
//                                                21:295-302, "Recapture Rate Index":
//                                                the change inside the hotspots
//                                                relative to the change overall;
//                                                1 = the hotspots kept their share,
//                                                > 1 = they concentrated more.
//                                                (apwheele/ptools calls a different
//                                                ratio "RRI"; this is Levine's.)
// Undefined values are NaN (N = 0: H, PAI, PPAI, PEI; n1 = 0 or N = 0: RRI).
//
// Limits: PAI rewards small areas (always read it with a and the coverage, which
// the table reports); a grid of equal cells makes a/A a share of cells; boundary
// cells should carry their inside area (Grid::area_fraction) or they count whole.

#include <cstdint>
#include <span>
#include <vector>

#include "core/base/result.hpp"

namespace hotspot::core {

struct AccuracyInput {
  std::vector<double> prediction;  // per unit: hotspot score fitted on the first period
  std::vector<double> fit_count;   // per unit: incidents in the fitting period
  std::vector<double> test_count;  // per unit: incidents in the test period
  std::vector<double> area_m2;     // per unit: area (> 0)
};

struct AccuracyOptions {
  std::vector<double> area_shares{0.01, 0.02, 0.05, 0.10};  // top 1/2/5/10% of area
  double ppai_alpha = 0.5;
};

enum class AccuracyError : uint8_t {
  empty,          // no units
  size_mismatch,  // the four columns differ in length
  bad_value,      // a negative / non-finite count, an area <= 0, a share outside (0, 1]
};
const char* describe(AccuracyError e);

struct AccuracyRow {
  double target_area_share = 0;  // asked for (0.01 = top 1%)
  std::size_t units = 0;         // units selected
  double area_m2 = 0;            // a
  double area_share = 0;         // a / A (the coverage of the study area)
  double hits = 0;               // n (test period)
  double hit_rate = 0;           // n / N
  double pai = 0, ppai = 0, pei = 0, rri = 0;
  double fit_hits = 0;           // n1 (fitting period)
  double best_hits = 0;          // n*
};

struct AccuracyTable {
  std::vector<AccuracyRow> rows;  // one per AccuracyOptions::area_shares entry, in order
  double total_area_m2 = 0;       // A
  double test_total = 0;          // N
  double fit_total = 0;           // N1
  double ppai_alpha = 0.5;
  std::size_t units = 0;
};

Result<AccuracyTable, AccuracyError> hotspot_accuracy(const AccuracyInput& input,
                                                      const AccuracyOptions& options = {});

}  // namespace hotspot::core
