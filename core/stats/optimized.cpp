#include "core/stats/optimized.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <limits>
#include <utility>

#include "core/spatial/area_set.hpp"
#include "core/stats/point_index.hpp"
#include "core/stats/weights.hpp"

namespace hotspot::core {

namespace {

__attribute__((format(printf, 1, 2))) std::string fmt(const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

Result<OptimizedResult, OptimizedError> fail(OptimizedError e, std::string msg) {
  return Result<OptimizedResult, OptimizedError>::failure(e, std::move(msg));
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size();
  return m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}

// Rule 7 (and the shared tail of both entry points): counts, weights, Gi*, FDR.
Result<OptimizedResult, OptimizedError> finish(OptimizedResult r, std::span<const double> x,
                                               std::span<const double> y) {
  std::vector<uint32_t> cell(x.size());
  r.grid.locate_many(x, y, cell);
  r.counts.assign(r.grid.size(), 0.0);
  r.incidents_in_no_cell = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    if (cell[k] == Grid::kNone) ++r.incidents_in_no_cell;
    else r.counts[cell[k]] += 1;
  }
  if (r.incidents_in_no_cell)
    r.decisions.push_back(fmt("%zu incident(s) fall in no cell of the grid (outside the boundary or locational "
                              "outliers) and are not analysed.",
                              r.incidents_in_no_cell));
  const Weights w = Weights::grid_distance_band(r.grid, r.band_m);
  r.neighbours.resize(w.size());
  for (uint32_t i = 0; i < w.size(); ++i) r.neighbours[i] = w.cardinality(i);
  r.decisions.push_back(fmt("Weights: %s; neighbours per cell min %u, mean %.1f, max %u.", w.description().c_str(),
                            w.min_neighbours(), w.mean_neighbours(), w.max_neighbours()));
  const auto islands = w.islands();
  if (!islands.empty())
    r.decisions.push_back(fmt("%zu cell(s) have no neighbour within %.0f m (islands): their Gi* compares the cell "
                              "with the whole area only; they are left out of the FDR and never binned.",
                              islands.size(), r.band_m));
  auto gi = gistar(r.counts, w);
  if (!gi) {
    if (gi.error().code == StatsError::zero_variance)
      return fail(OptimizedError::zero_variance, "every cell has the same count: no hot spot analysis is possible");
    return fail(OptimizedError::statistic, gi.error().message);
  }
  r.gi = std::move(gi).value();
  std::vector<double> p = r.gi.p;
  for (uint32_t i : islands) p[i] = std::numeric_limits<double>::quiet_NaN();
  r.p_fdr = fdr_adjust(p);
  r.bins = confidence_bins(r.gi.z, r.p_fdr);
  r.hot = r.cold = 0;
  for (int8_t b : r.bins) {
    if (b > 0) ++r.hot;
    if (b < 0) ++r.cold;
  }
  r.decisions.push_back(fmt("Gi* with Benjamini-Hochberg FDR: %zu hot spot cell(s) and %zu cold spot cell(s) "
                            "significant at 90%% or more, of %zu cells.",
                            r.hot, r.cold, r.grid.size()));
  return r;
}

Result<OptimizedResult, OptimizedError> make_grid(OptimizedResult& r, std::span<const double> gx,
                                                  std::span<const double> gy, const OptimizedOptions& o) {
  GridSpec spec{o.shape, r.cell_m, 0, 0};
  auto g = o.boundary ? Grid::over_boundary(spec, *o.boundary) : Grid::over_points(spec, gx, gy);
  if (!g) return fail(OptimizedError::grid, g.error().message);
  r.grid = std::move(g).value();
  r.decisions.push_back(o.boundary ? fmt("Grid: %zu %s cells of %.0f m over the boundary (zero counts kept).",
                                         r.grid.size(), o.shape == CellShape::hex ? "hexagon" : "square", r.cell_m)
                                   : fmt("Grid: %zu %s cells of %.0f m holding at least one incident (no boundary: "
                                         "empty cells are not analysed).",
                                         r.grid.size(), o.shape == CellShape::hex ? "hexagon" : "square", r.cell_m));
  return r;
}

}  // namespace

const char* describe(OptimizedError e) {
  switch (e) {
    case OptimizedError::too_few_incidents: return "too few incidents for hot spot analysis";
    case OptimizedError::one_location: return "every incident is at the same location";
    case OptimizedError::grid: return "the grid could not be built";
    case OptimizedError::zero_variance: return "every cell has the same count";
    case OptimizedError::statistic: return "the statistic failed";
  }
  return "unknown error";
}

Result<OptimizedResult, OptimizedError> optimized_hotspots(std::span<const double> x, std::span<const double> y,
                                                           const OptimizedOptions& o) {
  HOTSPOT_ASSERT(x.size() == y.size());
  OptimizedResult r;
  // Rule 1: enough incidents.
  std::vector<std::pair<double, double>> pts;
  pts.reserve(x.size());
  for (std::size_t k = 0; k < x.size(); ++k)
    if (std::isfinite(x[k]) && std::isfinite(y[k])) pts.emplace_back(x[k], y[k]);
  r.incidents = pts.size();
  const std::size_t need = o.boundary ? kMinIncidentsWithBoundary : kMinIncidentsNoBoundary;
  if (r.incidents < need)
    return fail(OptimizedError::too_few_incidents,
                fmt("%zu incidents: Optimized Hot Spot Analysis needs at least %zu %s", r.incidents, need,
                    o.boundary ? "with a boundary" : "without a boundary (30 with one)"));
  r.decisions.push_back(fmt("%zu incidents with coordinates (of %zu given).", r.incidents, x.size()));
  // Rule 2: distinct locations.
  std::sort(pts.begin(), pts.end());
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  r.locations = pts.size();
  if (r.locations < 2) return fail(OptimizedError::one_location, "every incident is at the same location");
  r.decisions.push_back(fmt("%zu distinct locations: %zu incident(s) share a location with another (police.uk snaps "
                            "each crime to an anonymous map point); nearest-neighbour rules use distinct locations.",
                            r.locations, r.incidents - r.locations));
  std::vector<double> ux(pts.size()), uy(pts.size());
  for (std::size_t k = 0; k < pts.size(); ++k) {
    ux[k] = pts[k].first;
    uy[k] = pts[k].second;
  }
  // Rule 3: nearest-neighbour distances and outliers.
  PointIndex idx(ux, uy);
  std::vector<double> nn(pts.size());
  std::vector<uint32_t> tmp;
  std::vector<double> d2;
  for (uint32_t k = 0; k < pts.size(); ++k) {
    idx.nearest(k, 1, tmp, &d2);
    nn[k] = std::sqrt(d2.at(0));
  }
  double mean = 0;
  for (double d : nn) mean += d;
  mean /= static_cast<double>(nn.size());
  double var = 0;
  for (double d : nn) var += (d - mean) * (d - mean);
  const double sd = std::sqrt(var / static_cast<double>(nn.size()));
  r.nn_mean_m = mean;
  r.nn_median_m = median_of(nn);
  std::vector<uint8_t> outlier(nn.size(), 0);
  for (std::size_t k = 0; k < nn.size(); ++k)
    if (sd > 0 && (nn[k] - mean) / sd >= 3.0) {
      outlier[k] = 1;
      ++r.outlier_locations;
    }
  r.decisions.push_back(fmt("Nearest-neighbour distance between distinct locations: mean %.1f m, median %.1f m, "
                            "sd %.1f m; %zu locational outlier(s) (3 sd or more above the mean).",
                            mean, r.nn_median_m, sd, r.outlier_locations));
  // Rule 4: cell size.
  if (o.cell_m > 0) {
    r.cell_m = o.cell_m;
    r.decisions.push_back(fmt("Cell size %.0f m (given).", r.cell_m));
  } else {
    const double hi = std::max(mean, r.nn_median_m), lo = std::min(mean, r.nn_median_m);
    const double scale = std::max(2.0, lo > 0 ? hi / lo : 2.0);
    r.cell_m = hi * scale;
    r.decisions.push_back(fmt("Cell size %.1f m = max(mean, median) %.1f m x max(2, max/min) %.2f.", r.cell_m, hi,
                              scale));
  }
  // Rule 5: grid (without a boundary, outlier locations do not widen it).
  std::vector<double> gx, gy;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    const auto it = std::lower_bound(pts.begin(), pts.end(), std::make_pair(x[k], y[k]));
    if (outlier[static_cast<std::size_t>(it - pts.begin())]) continue;
    gx.push_back(x[k]);
    gy.push_back(y[k]);
  }
  if (auto g = make_grid(r, gx, gy, o); !g) return g;
  if (r.grid.size() < 3) return fail(OptimizedError::grid, fmt("only %zu cell(s): use a smaller cell", r.grid.size()));
  // Rule 6: scale.
  if (o.band_m > 0) {
    r.band_m = o.band_m;
    r.band_rule = "given";
    r.decisions.push_back(fmt("Distance band %.0f m (given).", r.band_m));
  } else {
    // Counts first (Moran's I needs them).
    std::vector<uint32_t> cell(x.size());
    r.grid.locate_many(x, y, cell);
    std::vector<double> counts(r.grid.size(), 0.0);
    for (uint32_t c : cell)
      if (c != Grid::kNone) counts[c] += 1;
    PointIndex cidx(r.grid.centres_x(), r.grid.centres_y());
    double start = 0, step = 0;
    for (uint32_t i = 0; i < r.grid.size(); ++i) {
      cidx.nearest(i, 1, tmp, &d2);
      const double d = std::sqrt(d2.at(0));
      start = std::max(start, d);
      step += d;
    }
    step /= static_cast<double>(r.grid.size());
    r.decisions.push_back(fmt("Incremental spatial autocorrelation: 10 bands from %.1f m (every cell has a neighbour) "
                              "in steps of %.1f m (mean distance between neighbouring cells).",
                              start, step));
    for (int b = 0; b < 10; ++b) {
      const double d = start + b * step;
      const Weights w = Weights::grid_distance_band(r.grid, d);
      if (w.mean_neighbours() > 500) {
        r.decisions.push_back(fmt("Band %.1f m averages %.0f neighbours (> 500): the search stops.", d,
                                  w.mean_neighbours()));
        break;
      }
      auto m = global_moran(counts, w.row_standardised());
      IsaBand band{d, w.mean_neighbours(), m ? m->I : 0.0, m ? m->z : 0.0};
      r.isa.push_back(band);
      r.decisions.push_back(fmt("  band %.1f m: mean neighbours %.1f, Moran's I %.4f, z %.2f", d, band.mean_neighbours,
                                band.I, band.z));
    }
    int chosen = -1;
    for (std::size_t b = 1; b + 1 < r.isa.size(); ++b)
      if (r.isa[b].z > 1.96 && r.isa[b].z > r.isa[b - 1].z && r.isa[b].z > r.isa[b + 1].z) {
        chosen = static_cast<int>(b);
        r.band_rule = "first peak";
        break;
      }
    if (chosen < 0) {
      for (std::size_t b = 0; b < r.isa.size(); ++b)
        if (r.isa[b].z > 1.96 && (chosen < 0 || r.isa[b].z > r.isa[static_cast<std::size_t>(chosen)].z))
          chosen = static_cast<int>(b);
      if (chosen >= 0) r.band_rule = "highest z";
    }
    if (chosen >= 0) {
      r.band_m = r.isa[static_cast<std::size_t>(chosen)].distance_m;
      r.decisions.push_back(fmt("Distance band %.1f m: the %s of the spatial autocorrelation (z %.2f).", r.band_m,
                                r.band_rule.c_str(), r.isa[static_cast<std::size_t>(chosen)].z));
    } else {
      const auto k = static_cast<unsigned>(
          std::clamp<std::size_t>(r.grid.size() / 20, 3, std::min<std::size_t>(30, r.grid.size() - 1)));
      double sum = 0;
      for (uint32_t i = 0; i < r.grid.size(); ++i) {
        cidx.nearest(i, k, tmp, &d2);
        sum += std::sqrt(d2.back());
      }
      double mx = 0, my = 0;
      for (uint32_t i = 0; i < r.grid.size(); ++i) {
        mx += r.grid.centre_x(i);
        my += r.grid.centre_y(i);
      }
      mx /= static_cast<double>(r.grid.size());
      my /= static_cast<double>(r.grid.size());
      double ss = 0;
      for (uint32_t i = 0; i < r.grid.size(); ++i)
        ss += (r.grid.centre_x(i) - mx) * (r.grid.centre_x(i) - mx) + (r.grid.centre_y(i) - my) * (r.grid.centre_y(i) - my);
      const double std_distance = std::sqrt(ss / static_cast<double>(r.grid.size()));
      r.band_m = std::min(sum / static_cast<double>(r.grid.size()), std_distance);
      r.band_rule = "k nearest neighbours";
      r.decisions.push_back(fmt("No significant peak: distance band %.1f m = mean distance to the %u-th nearest cell "
                                "(5%% of cells in [3, 30]), capped at one standard distance (%.1f m).",
                                r.band_m, k, std_distance));
    }
  }
  return finish(std::move(r), x, y);
}

Result<OptimizedResult, OptimizedError> grid_hotspots(std::span<const double> x, std::span<const double> y,
                                                      const OptimizedOptions& o) {
  HOTSPOT_ASSERT(x.size() == y.size() && o.cell_m > 0 && o.band_m > 0);
  OptimizedResult r;
  for (std::size_t k = 0; k < x.size(); ++k)
    if (std::isfinite(x[k]) && std::isfinite(y[k])) ++r.incidents;
  r.cell_m = o.cell_m;
  r.band_m = o.band_m;
  r.band_rule = "given";
  if (auto g = make_grid(r, x, y, o); !g) return g;
  return finish(std::move(r), x, y);
}

}  // namespace hotspot::core
