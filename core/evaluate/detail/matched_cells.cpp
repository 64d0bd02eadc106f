#include "core/evaluate/detail/matched_cells.hpp"

#include <algorithm>
#include <cmath>

#include "core/spatial/area_set.hpp"

namespace hotspot::core::detail {

MatchedGrid::MatchedGrid(double cell_m, const Box& extent, const AreaSet* study,
                         const std::function<bool(const Box&)>& touches_treated)
    : m_cell(cell_m) {
  if (!(extent.min_corner().x() <= extent.max_corner().x() && extent.min_corner().y() <= extent.max_corner().y())) {
    m_failure = "matched control: no study area and no incidents to place the grid on";
    return;
  }
  m_x0 = static_cast<int64_t>(std::floor(extent.min_corner().x() / cell_m));
  m_y0 = static_cast<int64_t>(std::floor(extent.min_corner().y() / cell_m));
  m_cols = static_cast<int64_t>(std::floor(extent.max_corner().x() / cell_m)) - m_x0 + 1;
  m_rows = static_cast<int64_t>(std::floor(extent.max_corner().y() / cell_m)) - m_y0 + 1;
  if (m_cols * m_rows > (int64_t{1} << 24)) {
    m_failure = "matched control: " + std::to_string(m_cols * m_rows) + " cells of " +
                std::to_string(static_cast<int64_t>(cell_m)) +
                " m is too many (at most 16,777,216): use larger cells or a study area";
    m_cols = m_rows = 0;
    return;
  }
  m_index.assign(static_cast<std::size_t>(m_cols * m_rows), -1);
  for (int64_t row = 0; row < m_rows; ++row)
    for (int64_t col = 0; col < m_cols; ++col) {
      const double x = static_cast<double>(m_x0 + col) * cell_m, y = static_cast<double>(m_y0 + row) * cell_m;
      if (study && study->locate(x + cell_m / 2, y + cell_m / 2) == AreaSet::kNone) continue;
      if (touches_treated(Box(Point(x, y), Point(x + cell_m, y + cell_m)))) continue;
      m_index[static_cast<std::size_t>(row * m_cols + col)] = static_cast<int32_t>(m_candidates.size());
      m_candidates.emplace_back(col, row);
    }
  if (m_candidates.empty()) m_failure = "matched control: no cell of the grid is clear of the targets and buffers";
}

void MatchedGrid::fail(std::string reason) {
  m_failure = std::move(reason);
  m_candidates.clear();
  m_index.clear();
  m_cols = m_rows = 0;
}

int32_t MatchedGrid::candidate(double x, double y) const {
  if (m_index.empty()) return -1;
  const auto col = static_cast<int64_t>(std::floor(x / m_cell)) - m_x0;
  const auto row = static_cast<int64_t>(std::floor(y / m_cell)) - m_y0;
  if (col < 0 || col >= m_cols || row < 0 || row >= m_rows) return -1;
  return m_index[static_cast<std::size_t>(row * m_cols + col)];
}

Box MatchedGrid::box(std::size_t candidate) const {
  const double x = static_cast<double>(column(candidate)) * m_cell;
  const double y = static_cast<double>(row(candidate)) * m_cell;
  return Box(Point(x, y), Point(x + m_cell, y + m_cell));
}

double relative_trend(std::span<const double> y) {
  if (y.size() < 2) return 0.0;
  const auto n = static_cast<double>(y.size());
  double sy = 0, sty = 0, st = 0, stt = 0;
  for (std::size_t t = 0; t < y.size(); ++t) {
    const auto tt = static_cast<double>(t);
    sy += y[t];
    sty += tt * y[t];
    st += tt;
    stt += tt * tt;
  }
  const double mean = sy / n;
  const double den = n * stt - st * st;
  if (mean <= 0 || den <= 0) return 0.0;
  return (n * sty - st * sy) / den / mean;
}

std::vector<std::size_t> match_cells(std::span<const double> target_pre, double target_km2, double cell_km2,
                                     std::size_t candidates, std::size_t k,
                                     const std::function<void(std::size_t, std::vector<double>&)>& pre_series) {
  const auto months = static_cast<double>(target_pre.size());
  double t_pre = 0;
  for (double v : target_pre) t_pre += v;
  const double t_level = std::log((t_pre + 0.5) / (months * target_km2));
  const double t_trend = relative_trend(target_pre);
  std::vector<double> level, trend, series(target_pre.size());
  std::vector<std::size_t> ids;
  for (std::size_t c = 0; c < candidates; ++c) {
    pre_series(c, series);
    double pre = 0;
    for (double v : series) pre += v;
    if (pre < 1) continue;
    ids.push_back(c);
    level.push_back(std::log((pre + 0.5) / (months * cell_km2)));
    trend.push_back(relative_trend(series));
  }
  auto sd = [](const std::vector<double>& v) {
    if (v.size() < 2) return 1.0;
    double mean = 0, ss = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    for (double x : v) ss += (x - mean) * (x - mean);
    const double d = std::sqrt(ss / static_cast<double>(v.size() - 1));
    return d > 0 ? d : 1.0;
  };
  const double sl = sd(level), st = sd(trend);
  std::vector<std::pair<double, std::size_t>> ranked;
  for (std::size_t j = 0; j < ids.size(); ++j) {
    const double dl = (level[j] - t_level) / sl, dt = (trend[j] - t_trend) / st;
    ranked.emplace_back(std::sqrt(dl * dl + dt * dt), ids[j]);
  }
  const std::size_t take = std::min(k, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(take), ranked.end());
  std::vector<std::size_t> chosen;
  for (std::size_t j = 0; j < take; ++j) chosen.push_back(ranked[j].second);
  return chosen;
}

}  // namespace hotspot::core::detail
