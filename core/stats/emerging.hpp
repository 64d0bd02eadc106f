#pragma once
// Emerging hot spot analysis (ArcGIS Pro "Emerging Hot Spot Analysis") on the
// space-time cube: is each location a new, intensifying, persistent, fading ...
// hot or cold spot? Plus the simpler persistent / emerging / former /
// intermittent classifier (sfhotspot's hotspot_classify) for tasking meetings.
//
//   SpaceTimeCube cube = SpaceTimeCube::build(cell, grid.size(), t.month(), PeriodScheme::months(a, b));
//   Weights w = Weights::grid_distance_band(grid, 400);
//   EmergingResult r = emerging_hotspots(cube.values(), cube.cells(), w, {}).value();
//   emerging_category_name(r.category[c]);      // "Intensifying Hot Spot"
//   r.trend[c].z;  r.bins[t * r.cells + c];      // Mann-Kendall z; Gi_Bin of one bin
//   // or in one call from incidents: emerging_on_grid(grid, cell, t.month(), scheme, 400, {})
//
// The method (../shared/research/peers.md section 2.6; every rule has a test):
// 1. Space-time Gi* per bin (cell c, period t): the neighbours are the cells
//    within the distance band of c (`spatial`, binary weights 1) in periods
//    t - time_window .. t, and c itself in periods t - time_window .. t - 1 (the
//    neighbourhood time step looks back, never forward, as ArcGIS's), plus the bin
//    itself with weight self_weight (1): the Gi* of local_stats.hpp with
//    W_i = m W_c + (m - 1) + 1, S1_i = m S1_c + (m - 1) + 1, m = periods in the
//    window. The global mean and population SD come from the "global window":
//    entire_cube (ArcGIS's default: every bin of the cube), neighbourhood_time_step
//    (the bins of periods t - time_window .. t) or individual_time_step (period t).
//    With entire_cube this equals gistar() on Weights::space_time() exactly (tested).
// 2. Benjamini-Hochberg FDR within each time slice (ArcGIS corrects each bin's p
//    for the slice's multiple tests), bins -3..3 from the adjusted p as Gi_Bin.
//    A bin is a significant hot (cold) spot when its adjusted p <= alpha and z > 0
//    (z < 0); alpha = 0.10 is ArcGIS's lowest confidence level (Gi_Bin +-1).
// 3. Mann-Kendall (mann_kendall.hpp) on each location's Gi* z series (the trend
//    that decides intensifying / diminishing; trend_z, trend_p) and on its counts.
// 4. The category, by Esri's definitions (current ArcGIS Pro / AllSource wording),
//    with "90 %" meaning hot in at least 90 % of the periods (10 hot >= 9 n):
//      final period hot and >= 90 % hot: Intensifying (z trend up, p <= trend_alpha),
//        Diminishing (trend down, significant), else Persistent;
//      final period hot and < 90 % hot: Oscillating (a significant cold spot in an
//        earlier period), else New (hot only in the final period), else Consecutive
//        (one uninterrupted run of >= 2 hot periods at the end, never hot before
//        it), else Sporadic (on and off, never cold);
//      final period not hot: Historical if >= 90 % hot (checked before the cold
//        side only when the final period is not cold);
//      the cold categories mirror these with cold / hot swapped and the trend
//        read as "intensity of low values": Intensifying Cold = z trend down.
//    Precedence where Esri's wordings overlap (documented choices, pinned by the
//    table-driven tests): the final period's sign picks the side (a location hot
//    for 90 % whose final period is cold is a cold-side category, e.g. Oscillating
//    Cold); an opposite-sign history makes it Oscillating before New/Consecutive
//    (sfdep puts New first; Esri's lists do not order them). Sporadic needs the
//    final period hot (current Esri wording; ArcMap 10.x and sfdep do not).
// 5. Simple mode (sfhotspot's hotspot_classify, parameters SimpleOptions): with
//    significance p_fdr <= critical_p per bin, recent = the last max(1,
//    floor(recent_prop n)) periods, earlier = the rest:
//      persistent: hot share of all periods >= persistent_prop (0.8);
//      emerging:   earlier hot share < hotspot_prop (0.1) and recent hot share >= recent_prop (0.2);
//      former:     earlier hot share >= hotspot_prop and recent hot share < hotspot_prop;
//      intermittent: hot share >= hotspot_prop;
//    first match wins, the same for cold, "mixed" when both sides match.
//    (sfhotspot's own code takes floor(recent_prop n) + 1 columns as "recent"; ours
//    takes exactly the recent periods.)
// Islands (cells with no spatial neighbour) are listed; their first-period bins
// have no neighbour at all: z is the self-only score, p is left out of the FDR
// family and the bin is 0. Bins with n S1 = W^2 are degenerate: z = 0, p = 1.
// Cost: one spatial lag per period (lattice prefix sums for grids) + O(cells x
// window) per period + Mann-Kendall O(periods^2) per location, on all cores:
// 100k cells x 36 months in well under a second. Memory: ~30 bytes per bin.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/grid/counts.hpp"
#include "core/stats/local_stats.hpp"
#include "core/stats/mann_kendall.hpp"
#include "core/stats/weights.hpp"

namespace hotspot::core {

class Grid;

enum class GlobalWindow : uint8_t { entire_cube, neighbourhood_time_step, individual_time_step };
const char* global_window_name(GlobalWindow w);  // "entire cube", ...

enum class EmergingCategory : uint8_t {
  no_pattern,
  new_hot, consecutive_hot, intensifying_hot, persistent_hot,
  diminishing_hot, sporadic_hot, oscillating_hot, historical_hot,
  new_cold, consecutive_cold, intensifying_cold, persistent_cold,
  diminishing_cold, sporadic_cold, oscillating_cold, historical_cold,
};
inline constexpr std::size_t kEmergingCategories = 17;
// Esri's words: "No Pattern Detected", "New Hot Spot", ..., "Historical Cold Spot".
const char* emerging_category_name(EmergingCategory c);

enum class SimpleCategory : uint8_t {
  no_pattern,
  persistent_hot, emerging_hot, former_hot, intermittent_hot,
  persistent_cold, emerging_cold, former_cold, intermittent_cold,
  mixed,
};
inline constexpr std::size_t kSimpleCategories = 10;
// "no pattern", "persistent hot spot", ..., "mixed hot and cold spot".
const char* simple_category_name(SimpleCategory c);

struct SimpleOptions {
  double hotspot_prop = 0.1;     // share of periods significant to be any hot/cold spot
  double persistent_prop = 0.8;  // ... to be persistent
  double recent_prop = 0.2;      // share of periods that are "recent"; also the recent share an emerging one needs
  double critical_p = 0.05;      // a bin counts when its FDR-adjusted p <= this
};

struct EmergingOptions {
  unsigned time_window = 1;  // neighbourhood time step: periods looked back (ArcGIS's default 1)
  GlobalWindow global_window = GlobalWindow::entire_cube;
  double alpha = 0.10;        // significant bin: FDR-adjusted p <= alpha
  double trend_alpha = 0.05;  // significant Mann-Kendall trend: p <= trend_alpha
  double self_weight = 1.0;
  SimpleOptions simple;
  unsigned threads = 0;  // 0 = all cores; results do not depend on it
};

struct EmergingResult {
  std::size_t cells = 0, periods = 0;
  // Per bin, period-major (index t * cells + c, as SpaceTimeCube and Weights::space_time):
  std::vector<double> z, p, p_fdr;  // Gi* z, two-sided p, BH-adjusted within the period
  std::vector<int8_t> bins;         // Gi_Bin -3..3 from p_fdr
  // Per location:
  std::vector<EmergingCategory> category;
  std::vector<SimpleCategory> simple;
  std::vector<MannKendall> trend;        // on the Gi* z series
  std::vector<MannKendall> count_trend;  // on the values (counts)
  std::vector<uint16_t> hot_periods, cold_periods;  // significant at alpha
  std::array<std::size_t, kEmergingCategories> category_counts{};
  std::array<std::size_t, kSimpleCategories> simple_counts{};
  std::vector<uint32_t> islands;        // cells with no spatial neighbour
  std::vector<uint32_t> flat_periods;   // individual_time_step: periods whose values are all equal (no hot spots)
  std::size_t degenerate_bins = 0;
  double mean = 0, sd = 0;              // over the whole cube
};

// values: the cube period-major (SpaceTimeCube::values()); spatial: weights over
// the cells (binary distance band as ArcGIS's fixed distance; any Weights work).
// Requires: options.alpha, trend_alpha in (0, 1). Errors: size_mismatch (values
// not cells x periods, weights not cells), too_few (fewer than 3 cells or 2
// periods), not_finite, zero_variance (every bin equal).
Result<EmergingResult, StatsError> emerging_hotspots(std::span<const double> values, std::size_t cells,
                                                     const Weights& spatial, const EmergingOptions& options = {});

// The category of one location from its per-period states (+1 significant hot,
// -1 significant cold, 0 neither; time order) and the Mann-Kendall test of its
// Gi* z series. Rules: see the header comment.
EmergingCategory classify_emerging(std::span<const int8_t> state, const MannKendall& z_trend, double trend_alpha);
SimpleCategory classify_simple(std::span<const int8_t> state, const SimpleOptions& options);

// From incidents to a result: the cube of `grid` cells x `periods` (incident i in
// cell[i], kNoZone for none), binary distance-band weights of band_m over the
// grid, emerging_hotspots(). What `hotspot stat emerging` and a study run call.
struct GridEmerging {
  SpaceTimeCube cube;
  Weights weights;
  EmergingResult result;
};
// Requires: every cell of `grid` inside() (no flag_outside grid), band_m > 0.
Result<GridEmerging, StatsError> emerging_on_grid(const Grid& grid, std::span<const uint32_t> cell,
                                                  std::span<const MonthIndex> month, const PeriodScheme& periods,
                                                  double band_m, const EmergingOptions& options = {});

}  // namespace hotspot::core
