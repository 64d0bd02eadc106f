#include "core/stats/hotspot_matrix.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/base/assert.hpp"
#include "core/grid/counts.hpp"
#include "core/grid/grid.hpp"
#include "core/stats/point_index.hpp"
#include "core/stats/weights.hpp"

namespace hotspot::core {

namespace {
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

int hour_of_week(int64_t minute) {
  const int64_t day = floor_div(minute, kMinutesPerDay);
  const int64_t weekday = ((day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; Monday = 0
  const int64_t hour = (minute - day * kMinutesPerDay) / 60;
  return static_cast<int>(weekday * 24 + hour);
}

void add_aoristic(int64_t from, int64_t to, HourOfWeek& profile, double weight) {
  HOTSPOT_ASSERT(to > from);
  const double length = static_cast<double>(to - from);
  if (to - from >= kMinutesPerWeek) {
    for (double& h : profile) h += weight / 168.0;
    return;
  }
  for (int64_t cur = from; cur < to;) {
    const int64_t next = std::min(to, (floor_div(cur, 60) + 1) * 60);
    profile[static_cast<std::size_t>(hour_of_week(cur))] += weight * static_cast<double>(next - cur) / length;
    cur = next;
  }
}

HourOfDay hour_of_day(const HourOfWeek& w) {
  HourOfDay d{};
  for (std::size_t h = 0; h < 168; ++h) d[h % 24] += w[h];
  return d;
}

const char* spatial_pattern_name(SpatialPattern p) {
  switch (p) {
    case SpatialPattern::dispersed: return "dispersed";
    case SpatialPattern::clustered: return "clustered";
    case SpatialPattern::hotpoints: return "hotpoints";
    case SpatialPattern::unclassified: return "unclassified";
  }
  return "?";
}

const char* temporal_pattern_name(TemporalPattern p) {
  switch (p) {
    case TemporalPattern::diffused: return "diffused";
    case TemporalPattern::focused: return "focused";
    case TemporalPattern::acute: return "acute";
    case TemporalPattern::unclassified: return "unclassified";
  }
  return "?";
}

PeakWindow peak_window(const HourOfDay& profile, double share) {
  const double total = std::accumulate(profile.begin(), profile.end(), 0.0);
  PeakWindow best;
  if (!(total > 0)) {
    best.share = 0;
    return best;
  }
  for (int len = 1; len <= 24; ++len) {
    double top = -1;
    int top_start = 0;
    for (int s = 0; s < 24; ++s) {
      double sum = 0;
      for (int k = 0; k < len; ++k) sum += profile[static_cast<std::size_t>((s + k) % 24)];
      if (sum > top) {
        top = sum;
        top_start = s;
      }
    }
    // A relative tolerance so that an exact half (12 of 24 even hours) counts.
    if (top >= share * total * (1 - 1e-12)) {
      best.start_hour = top_start;
      best.hours = len;
      best.share = top / total;
      return best;
    }
  }
  return best;
}

TemporalPattern classify_temporal(const HourOfDay& profile, const MatrixOptions& o) {
  const PeakWindow w = peak_window(profile, o.window_share);
  if (!(w.share > 0)) return TemporalPattern::unclassified;
  if (w.hours <= o.acute_hours) return TemporalPattern::acute;
  if (w.hours <= o.focused_hours) return TemporalPattern::focused;
  return TemporalPattern::diffused;
}

SpatialPattern classify_spatial(std::span<const double> x_m, std::span<const double> y_m, double area_m2,
                                const MatrixOptions& o, SpatialMeasures* out) {
  HOTSPOT_ASSERT(x_m.size() == y_m.size());
  SpatialMeasures m;
  m.incidents = x_m.size();
  std::vector<std::pair<double, double>> pts(x_m.size());
  for (std::size_t i = 0; i < x_m.size(); ++i) pts[i] = {x_m[i], y_m[i]};
  std::sort(pts.begin(), pts.end());
  std::vector<double> ux, uy;
  std::vector<std::size_t> counts;
  for (std::size_t i = 0; i < pts.size();) {
    std::size_t j = i + 1;
    while (j < pts.size() && pts[j] == pts[i]) ++j;
    ux.push_back(pts[i].first);
    uy.push_back(pts[i].second);
    counts.push_back(j - i);
    i = j;
  }
  m.locations = ux.size();
  std::vector<std::size_t> sorted = counts;
  std::sort(sorted.rbegin(), sorted.rend());
  std::size_t top = 0;
  for (std::size_t k = 0; k < sorted.size() && k < o.hotpoint_locations; ++k) top += sorted[k];
  m.top_share = m.incidents ? static_cast<double>(top) / static_cast<double>(m.incidents) : 0.0;
  m.nni = m.nni_z = std::numeric_limits<double>::quiet_NaN();
  if (ux.size() >= 2 && area_m2 > 0) {
    PointIndex index(ux, uy);
    std::vector<uint32_t> nn;
    std::vector<double> d2;
    double sum = 0;
    for (uint32_t i = 0; i < ux.size(); ++i) {
      index.nearest(i, 1, nn, &d2);
      sum += std::sqrt(d2[0]);
    }
    const double k = static_cast<double>(ux.size());
    const double observed = sum / k, expected = 0.5 * std::sqrt(area_m2 / k);
    const double se = 0.26136 / std::sqrt(k * k / area_m2);
    m.nni = observed / expected;
    m.nni_z = (observed - expected) / se;
  }
  if (out) *out = m;
  if (m.incidents < o.min_incidents) return SpatialPattern::unclassified;
  if (m.top_share >= o.hotpoint_share) return SpatialPattern::hotpoints;
  if (std::isfinite(m.nni_z) && m.nni_z <= -o.clustered_z) return SpatialPattern::clustered;
  return SpatialPattern::dispersed;
}

std::vector<MatrixHotspot> hotspot_matrix(const Grid& grid, std::span<const int8_t> bins, std::span<const uint32_t> cell,
                                          std::span<const double> x_m, std::span<const double> y_m,
                                          std::span<const int64_t> from, std::span<const int64_t> to,
                                          const MatrixOptions& o) {
  HOTSPOT_ASSERT(bins.size() == grid.size());
  HOTSPOT_ASSERT(cell.size() == x_m.size() && x_m.size() == y_m.size());
  HOTSPOT_ASSERT(from.size() == to.size() && (from.empty() || from.size() == cell.size()));
  // Connected groups of hot cells (queen contiguity), numbered in cell order.
  const Weights queen = Weights::grid_contiguity(grid, Contiguity::queen);
  constexpr uint32_t kNone = 0xFFFFFFFFu;
  std::vector<uint32_t> group(grid.size(), kNone);
  std::vector<MatrixHotspot> spots;
  std::vector<uint32_t> stack;
  for (uint32_t c = 0; c < grid.size(); ++c) {
    if (bins[c] < o.min_bin || group[c] != kNone) continue;
    const auto g = static_cast<uint32_t>(spots.size());
    spots.emplace_back();
    group[c] = g;
    stack.assign(1, c);
    while (!stack.empty()) {
      const uint32_t k = stack.back();
      stack.pop_back();
      spots[g].cells.push_back(k);
      queen.for_each_neighbour(k, [&](uint32_t j, double) {
        if (bins[j] >= o.min_bin && group[j] == kNone) {
          group[j] = g;
          stack.push_back(j);
        }
      });
    }
    std::sort(spots[g].cells.begin(), spots[g].cells.end());
  }
  // Incidents of each hot spot.
  std::vector<std::vector<uint32_t>> members(spots.size());
  for (uint32_t i = 0; i < cell.size(); ++i)
    if (cell[i] != kNoZone && cell[i] < grid.size() && group[cell[i]] != kNone) members[group[cell[i]]].push_back(i);
  std::vector<double> xs, ys;
  for (std::size_t g = 0; g < spots.size(); ++g) {
    MatrixHotspot& h = spots[g];
    for (uint32_t c : h.cells) {
      h.x_m += grid.centre_x(c);
      h.y_m += grid.centre_y(c);
      h.area_m2 += grid.cell_area_m2() * grid.area_fraction(c);
    }
    h.x_m /= static_cast<double>(h.cells.size());
    h.y_m /= static_cast<double>(h.cells.size());
    xs.clear();
    ys.clear();
    for (uint32_t i : members[g]) {
      xs.push_back(x_m[i]);
      ys.push_back(y_m[i]);
      if (!from.empty() && to[i] > from[i]) {
        add_aoristic(from[i], to[i], h.hour_of_week);
        ++h.timed;
      }
    }
    h.spatial = classify_spatial(xs, ys, h.area_m2, o, &h.measures);
    h.hour_of_day = hour_of_day(h.hour_of_week);
    h.peak = peak_window(h.hour_of_day, o.window_share);
    h.temporal = h.timed >= o.min_incidents ? classify_temporal(h.hour_of_day, o) : TemporalPattern::unclassified;
  }
  std::stable_sort(spots.begin(), spots.end(), [](const MatrixHotspot& a, const MatrixHotspot& b) {
    return a.measures.incidents > b.measures.incidents;
  });
  return spots;
}

}  // namespace hotspot::core
