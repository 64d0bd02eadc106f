#pragma once
// optimized_hotspots(): ArcGIS Optimized Hot Spot Analysis for incident points,
// the one-call default for analysts (`hotspot stat optimized`, `hotspot run`):
// it chooses the grid and the scale from the data, runs Gi* with FDR on the cell
// counts, and records every decision as a sentence.
//
//   OptimizedOptions o;  o.boundary = &district;              // keep zero cells inside it
//   OptimizedResult r = optimized_hotspots(table.x_m(), table.y_m(), o).value();
//   for (const auto& line : r.decisions) std::cerr << line << '\n';
//   r.grid; r.counts; r.gi.z; r.p_fdr; r.bins;                // one entry per cell
//
// The rules (../shared/research/peers.md section 2.3, Esri's OptimizedHotSpotAnalysis.py):
// 1. Minimum: 60 incidents without a boundary, 30 with one (kMinIncidents*).
// 2. Duplicates: coincident incidents are counted (police.uk snaps every crime to
//    one of ~750,000 map points) and the nearest-neighbour rules use the distinct
//    locations, so coincident points never give a zero distance.
// 3. Locational outliers: distinct locations whose nearest-neighbour distance d
//    has (d - mean) / sd >= 3 (population sd). They are reported; without a
//    boundary they do not widen the fishnet (incidents there fall in no cell and
//    are counted as such).
// 4. Cell size (unless given): a = mean, m = median of the distinct locations'
//    nearest-neighbour distances; cell = max(a, m) * max(2, max(a, m) / min(a, m)).
// 5. Grid: over the boundary (every cell meeting it; zero counts analysed) or over
//    the incidents (cells with at least one incident, as ArcGIS without a
//    bounding polygon).
// 6. Scale (unless given): incremental spatial autocorrelation: global Moran's I
//    (row-standardised binary distance bands) at 10 distances from the smallest
//    that gives every cell a neighbour, in steps of the mean nearest-neighbour
//    distance between cells, stopping before a band averages more than 500
//    neighbours. The first peak with z > 1.96 wins; else the highest significant
//    z; else the k-nearest-neighbour fallback: k = 5 % of the cells clamped to
//    [3, 30], distance = mean distance to the k-th nearest cell, capped at one
//    standard distance of the cells.
// 7. Gi* (binary fixed distance band, self included) with Benjamini-Hochberg FDR at
//    90/95/99 % giving the bins -3..3.
// Limits: a fixed band means edge cells have fewer neighbours; the grid is square
// unless OptimizedOptions::shape says otherwise.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/grid/grid.hpp"
#include "core/stats/local_stats.hpp"

namespace hotspot::core {

class AreaSet;

struct OptimizedOptions {
  const AreaSet* boundary = nullptr;  // study boundary (built); nullptr = cells with incidents only
  CellShape shape = CellShape::square;
  double cell_m = 0;                  // 0 = rule 4
  double band_m = 0;                  // 0 = rule 6
  unsigned threads = 0;
};

struct IsaBand {
  double distance_m = 0;
  double mean_neighbours = 0;
  double I = 0, z = 0;
};

enum class OptimizedError : uint8_t { too_few_incidents, one_location, grid, zero_variance, statistic };
const char* describe(OptimizedError e);

struct OptimizedResult {
  std::vector<std::string> decisions;  // every decision, in order
  std::size_t incidents = 0;           // with finite coordinates
  std::size_t locations = 0;           // distinct locations
  std::size_t outlier_locations = 0;
  std::size_t incidents_in_no_cell = 0;
  double nn_mean_m = 0, nn_median_m = 0;
  double cell_m = 0, band_m = 0;
  std::string band_rule;               // "given", "first peak", "highest z", "k nearest neighbours"
  std::vector<IsaBand> isa;
  Grid grid;
  std::vector<double> counts;          // incidents per cell
  std::vector<uint32_t> neighbours;    // per cell, at band_m (self not counted)
  GiStar gi;
  std::vector<double> p_fdr;
  std::vector<int8_t> bins;
  std::size_t hot = 0, cold = 0;       // cells with bin > 0 / < 0
};

inline constexpr std::size_t kMinIncidentsNoBoundary = 60;
inline constexpr std::size_t kMinIncidentsWithBoundary = 30;

Result<OptimizedResult, OptimizedError> optimized_hotspots(std::span<const double> x_m, std::span<const double> y_m,
                                                           const OptimizedOptions& options);

// Gi* + FDR bins for fixed cells and a fixed band: the same output without the
// searches (what a study file with explicit cell and band asks for).
Result<OptimizedResult, OptimizedError> grid_hotspots(std::span<const double> x_m, std::span<const double> y_m,
                                                      const OptimizedOptions& options);

}  // namespace hotspot::core
