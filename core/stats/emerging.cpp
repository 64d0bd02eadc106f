#include "core/stats/emerging.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "core/base/assert.hpp"
#include "core/grid/grid.hpp"

// [SECTION] Names
// [SECTION] Classifiers
// [SECTION] Space-time Gi*
// [SECTION] From incidents

namespace hotspot::core {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <typename T>
Result<T, StatsError> fail(StatsError e) {
  return Result<T, StatsError>::failure(e, describe(e));
}

// Runs fn(begin, end) over [0, n) split into contiguous blocks, one per thread.
// Each index is handled by exactly one call, so results never depend on threads.
template <typename Fn>
void parallel_blocks(std::size_t n, unsigned threads, Fn&& fn) {
  unsigned t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  t = static_cast<unsigned>(std::min<std::size_t>(t, std::max<std::size_t>(1, n / 1024)));
  if (t <= 1) {
    fn(std::size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  const std::size_t step = (n + t - 1) / t;
  for (unsigned k = 0; k < t; ++k) {
    const std::size_t b = std::min(n, k * step), e = std::min(n, b + step);
    if (b < e) pool.emplace_back([&fn, b, e] { fn(b, e); });
  }
  for (auto& th : pool) th.join();
}

}  // namespace

// [SECTION] Names -----------------------------------------------------------------------

const char* global_window_name(GlobalWindow w) {
  switch (w) {
    case GlobalWindow::entire_cube: return "entire cube";
    case GlobalWindow::neighbourhood_time_step: return "neighbourhood time step";
    case GlobalWindow::individual_time_step: return "individual time step";
  }
  return "?";
}

const char* emerging_category_name(EmergingCategory c) {
  switch (c) {
    case EmergingCategory::no_pattern: return "No Pattern Detected";
    case EmergingCategory::new_hot: return "New Hot Spot";
    case EmergingCategory::consecutive_hot: return "Consecutive Hot Spot";
    case EmergingCategory::intensifying_hot: return "Intensifying Hot Spot";
    case EmergingCategory::persistent_hot: return "Persistent Hot Spot";
    case EmergingCategory::diminishing_hot: return "Diminishing Hot Spot";
    case EmergingCategory::sporadic_hot: return "Sporadic Hot Spot";
    case EmergingCategory::oscillating_hot: return "Oscillating Hot Spot";
    case EmergingCategory::historical_hot: return "Historical Hot Spot";
    case EmergingCategory::new_cold: return "New Cold Spot";
    case EmergingCategory::consecutive_cold: return "Consecutive Cold Spot";
    case EmergingCategory::intensifying_cold: return "Intensifying Cold Spot";
    case EmergingCategory::persistent_cold: return "Persistent Cold Spot";
    case EmergingCategory::diminishing_cold: return "Diminishing Cold Spot";
    case EmergingCategory::sporadic_cold: return "Sporadic Cold Spot";
    case EmergingCategory::oscillating_cold: return "Oscillating Cold Spot";
    case EmergingCategory::historical_cold: return "Historical Cold Spot";
  }
  return "?";
}

const char* simple_category_name(SimpleCategory c) {
  switch (c) {
    case SimpleCategory::no_pattern: return "no pattern";
    case SimpleCategory::persistent_hot: return "persistent hot spot";
    case SimpleCategory::emerging_hot: return "emerging hot spot";
    case SimpleCategory::former_hot: return "former hot spot";
    case SimpleCategory::intermittent_hot: return "intermittent hot spot";
    case SimpleCategory::persistent_cold: return "persistent cold spot";
    case SimpleCategory::emerging_cold: return "emerging cold spot";
    case SimpleCategory::former_cold: return "former cold spot";
    case SimpleCategory::intermittent_cold: return "intermittent cold spot";
    case SimpleCategory::mixed: return "mixed hot and cold spot";
  }
  return "?";
}

// [SECTION] Classifiers -----------------------------------------------------------------

namespace {

// One side of the classification for a location whose final period has state
// `sign` (+1: the hot categories, -1: the cold ones). `up` = the trend that
// intensifies this side (z rising for hot, falling for cold) is significant;
// `down` = the opposite significant trend.
EmergingCategory classify_side(std::span<const int8_t> s, int8_t sign, bool up, bool down) {
  const std::size_t n = s.size();
  std::size_t same = 0, opposite = 0;
  for (int8_t v : s) {
    same += v == sign;
    opposite += v == -sign;
  }
  const bool hot = sign > 0;
  auto pick = [hot](EmergingCategory h, EmergingCategory c) { return hot ? h : c; };
  if (10 * same >= 9 * n) {
    if (up) return pick(EmergingCategory::intensifying_hot, EmergingCategory::intensifying_cold);
    if (down) return pick(EmergingCategory::diminishing_hot, EmergingCategory::diminishing_cold);
    return pick(EmergingCategory::persistent_hot, EmergingCategory::persistent_cold);
  }
  if (opposite > 0) return pick(EmergingCategory::oscillating_hot, EmergingCategory::oscillating_cold);
  if (same == 1) return pick(EmergingCategory::new_hot, EmergingCategory::new_cold);
  // The final run: s[n - run .. n - 1] all == sign.
  std::size_t run = 0;
  while (run < n && s[n - 1 - run] == sign) ++run;
  if (run >= 2 && run == same) return pick(EmergingCategory::consecutive_hot, EmergingCategory::consecutive_cold);
  return pick(EmergingCategory::sporadic_hot, EmergingCategory::sporadic_cold);
}

}  // namespace

EmergingCategory classify_emerging(std::span<const int8_t> state, const MannKendall& z_trend, double trend_alpha) {
  const std::size_t n = state.size();
  if (n == 0) return EmergingCategory::no_pattern;
  const bool significant = z_trend.p <= trend_alpha && z_trend.z != 0;
  const bool rising = significant && z_trend.z > 0, falling = significant && z_trend.z < 0;
  const int8_t last = state[n - 1];
  if (last > 0) return classify_side(state, 1, rising, falling);
  if (last < 0) return classify_side(state, -1, falling, rising);
  std::size_t hot = 0, cold = 0;
  for (int8_t v : state) {
    hot += v > 0;
    cold += v < 0;
  }
  if (10 * hot >= 9 * n) return EmergingCategory::historical_hot;
  if (10 * cold >= 9 * n) return EmergingCategory::historical_cold;
  return EmergingCategory::no_pattern;
}

SimpleCategory classify_simple(std::span<const int8_t> state, const SimpleOptions& o) {
  const std::size_t n = state.size();
  if (n == 0) return SimpleCategory::no_pattern;
  std::size_t recent = static_cast<std::size_t>(std::floor(o.recent_prop * static_cast<double>(n)));
  recent = std::clamp<std::size_t>(recent, 1, n);
  const std::size_t earlier = n - recent;
  auto side = [&](int8_t sign, SimpleCategory persistent, SimpleCategory emerging, SimpleCategory former,
                  SimpleCategory intermittent) {
    std::size_t all = 0, late = 0;
    for (std::size_t t = 0; t < n; ++t)
      if (state[t] == sign) {
        ++all;
        late += t >= earlier;
      }
    const double share = static_cast<double>(all) / static_cast<double>(n);
    const double recent_share = static_cast<double>(late) / static_cast<double>(recent);
    // With no earlier periods (n = 1) the earlier share is taken as 0.
    const double earlier_share = earlier ? static_cast<double>(all - late) / static_cast<double>(earlier) : 0.0;
    if (share >= o.persistent_prop) return persistent;
    if (earlier_share < o.hotspot_prop && recent_share >= o.recent_prop) return emerging;
    if (earlier_share >= o.hotspot_prop && recent_share < o.hotspot_prop) return former;
    if (share >= o.hotspot_prop) return intermittent;
    return SimpleCategory::no_pattern;
  };
  const SimpleCategory h = side(1, SimpleCategory::persistent_hot, SimpleCategory::emerging_hot,
                                SimpleCategory::former_hot, SimpleCategory::intermittent_hot);
  const SimpleCategory c = side(-1, SimpleCategory::persistent_cold, SimpleCategory::emerging_cold,
                                SimpleCategory::former_cold, SimpleCategory::intermittent_cold);
  if (h != SimpleCategory::no_pattern && c != SimpleCategory::no_pattern) return SimpleCategory::mixed;
  return h != SimpleCategory::no_pattern ? h : c;
}

// [SECTION] Space-time Gi* --------------------------------------------------------------

Result<EmergingResult, StatsError> emerging_hotspots(std::span<const double> values, std::size_t cells,
                                                     const Weights& spatial, const EmergingOptions& o) {
  HOTSPOT_ASSERT(o.alpha > 0 && o.alpha < 1 && o.trend_alpha > 0 && o.trend_alpha < 1);
  if (cells == 0 || values.size() % cells != 0 || spatial.size() != cells)
    return fail<EmergingResult>(StatsError::size_mismatch);
  const std::size_t periods = values.size() / cells;
  if (cells < 3 || periods < 2) return fail<EmergingResult>(StatsError::too_few);
  for (double v : values)
    if (!std::isfinite(v)) return fail<EmergingResult>(StatsError::not_finite);
  const std::size_t bins = values.size();
  EmergingResult r;
  r.cells = cells;
  r.periods = periods;
  r.islands = spatial.islands();

  // Per-period sums for the global windows (two-pass variances below).
  std::vector<double> slice_sum(periods, 0.0);
  double total = 0;
  for (std::size_t t = 0; t < periods; ++t) {
    double s = 0;
    for (std::size_t c = 0; c < cells; ++c) s += values[t * cells + c];
    slice_sum[t] = s;
    total += s;
  }
  r.mean = total / static_cast<double>(bins);
  double ss = 0;
  for (double v : values) ss += (v - r.mean) * (v - r.mean);
  r.sd = std::sqrt(ss / static_cast<double>(bins));
  if (!(r.sd > 0)) return fail<EmergingResult>(StatsError::zero_variance);

  // Spatial lags, one period at a time (self excluded).
  std::vector<double> lag(bins);
  for (std::size_t t = 0; t < periods; ++t)
    spatial.lag(values.subspan(t * cells, cells), std::span<double>(lag).subspan(t * cells, cells), o.threads);

  r.z.assign(bins, 0.0);
  r.p.assign(bins, 1.0);
  std::vector<uint8_t> degenerate(bins, 0);
  const double sw = o.self_weight;
  std::vector<uint8_t> flat(periods, 0);
  for (std::size_t t = 0; t < periods; ++t) {
    const std::size_t t0 = t >= o.time_window ? t - o.time_window : 0;
    const double m = static_cast<double>(t - t0 + 1);
    // The global window's n, mean and population SD.
    double n = static_cast<double>(bins), mean = r.mean, sd = r.sd;
    if (o.global_window != GlobalWindow::entire_cube) {
      const std::size_t u0 = o.global_window == GlobalWindow::individual_time_step ? t : t0;
      double sum = 0;
      for (std::size_t u = u0; u <= t; ++u) sum += slice_sum[u];
      n = static_cast<double>((t - u0 + 1) * cells);
      mean = sum / n;
      double s2 = 0;
      for (std::size_t i = u0 * cells; i < (t + 1) * cells; ++i) s2 += (values[i] - mean) * (values[i] - mean);
      sd = std::sqrt(s2 / n);
      if (!(sd > 0)) {
        flat[t] = 1;  // z = 0, p = 1 for the whole period (already set)
        continue;
      }
    }
    parallel_blocks(cells, o.threads, [&](std::size_t b, std::size_t e) {
      for (std::size_t c = b; c < e; ++c) {
        double sum = sw * values[t * cells + c];
        for (std::size_t u = t0; u <= t; ++u) sum += lag[u * cells + c];
        for (std::size_t u = t0; u < t; ++u) sum += values[u * cells + c];
        const auto ci = static_cast<uint32_t>(c);
        const double wi = m * spatial.row_sum(ci) + (m - 1) + sw;
        const double s1 = m * spatial.row_sum_sq(ci) + (m - 1) + sw * sw;
        const double v = (n * s1 - wi * wi) / (n - 1.0);
        const std::size_t i = t * cells + c;
        if (!(v > 1e-12 * s1)) {
          degenerate[i] = 1;
          continue;
        }
        r.z[i] = (sum - wi * mean) / (sd * std::sqrt(v));
        // A bin with no neighbour at all (an island's first periods with no look-back)
        // keeps its self-only score but is no test: out of the FDR family.
        const bool isolated = spatial.cardinality(ci) == 0 && t0 == t;
        r.p[i] = isolated ? kNaN : normal_p_two_sided(r.z[i]);
      }
    });
  }
  for (std::size_t t = 0; t < periods; ++t)
    if (flat[t]) r.flat_periods.push_back(static_cast<uint32_t>(t));
  for (uint8_t d : degenerate) r.degenerate_bins += d;

  // FDR within each period, then the bins.
  r.p_fdr.resize(bins);
  for (std::size_t t = 0; t < periods; ++t) {
    const std::vector<double> q = fdr_adjust(std::span<const double>(r.p).subspan(t * cells, cells));
    std::copy(q.begin(), q.end(), r.p_fdr.begin() + static_cast<std::ptrdiff_t>(t * cells));
  }
  r.bins = confidence_bins(r.z, r.p_fdr);

  // Per location: states, Mann-Kendall, categories.
  r.category.assign(cells, EmergingCategory::no_pattern);
  r.simple.assign(cells, SimpleCategory::no_pattern);
  r.trend.assign(cells, MannKendall{});
  r.count_trend.assign(cells, MannKendall{});
  r.hot_periods.assign(cells, 0);
  r.cold_periods.assign(cells, 0);
  parallel_blocks(cells, o.threads, [&](std::size_t b, std::size_t e) {
    std::vector<double> series(periods), scratch;
    std::vector<int8_t> state(periods), simple_state(periods);
    for (std::size_t c = b; c < e; ++c) {
      uint16_t hot = 0, cold = 0;
      for (std::size_t t = 0; t < periods; ++t) {
        const std::size_t i = t * cells + c;
        const double q = r.p_fdr[i];
        const int8_t sign = r.z[i] > 0 ? 1 : (r.z[i] < 0 ? -1 : 0);
        state[t] = std::isfinite(q) && q <= o.alpha ? sign : 0;
        simple_state[t] = std::isfinite(q) && q <= o.simple.critical_p ? sign : 0;
        hot += state[t] > 0;
        cold += state[t] < 0;
        series[t] = r.z[i];
      }
      r.hot_periods[c] = hot;
      r.cold_periods[c] = cold;
      r.trend[c] = mann_kendall(series, &scratch);
      for (std::size_t t = 0; t < periods; ++t) series[t] = values[t * cells + c];
      r.count_trend[c] = mann_kendall(series, &scratch);
      r.category[c] = classify_emerging(state, r.trend[c], o.trend_alpha);
      r.simple[c] = classify_simple(simple_state, o.simple);
    }
  });
  for (auto c : r.category) ++r.category_counts[static_cast<std::size_t>(c)];
  for (auto c : r.simple) ++r.simple_counts[static_cast<std::size_t>(c)];
  return r;
}

// [SECTION] From incidents --------------------------------------------------------------

Result<GridEmerging, StatsError> emerging_on_grid(const Grid& grid, std::span<const uint32_t> cell,
                                                  std::span<const MonthIndex> month, const PeriodScheme& periods,
                                                  double band_m, const EmergingOptions& options) {
  HOTSPOT_ASSERT(band_m > 0);
  GridEmerging g;
  g.cube = SpaceTimeCube::build(cell, grid.size(), month, periods);
  g.weights = Weights::grid_distance_band(grid, band_m);
  auto r = emerging_hotspots(g.cube.values(), g.cube.cells(), g.weights, options);
  if (!r) return r.error();
  g.result = std::move(r).value();
  return g;
}

}  // namespace hotspot::core
