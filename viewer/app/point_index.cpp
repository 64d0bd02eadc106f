#include "viewer/app/point_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/base/assert.hpp"

namespace hotspot::viewer {

PointGrid::PointGrid(std::span<const double> x, std::span<const double> y, double cell_m)
    : m_x(x), m_y(y), m_cell(cell_m) {
  HOTSPOT_ASSERT(x.size() == y.size() && cell_m > 0);
  double x0 = std::numeric_limits<double>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    x0 = std::min(x0, x[i]);
    x1 = std::max(x1, x[i]);
    y0 = std::min(y0, y[i]);
    y1 = std::max(y1, y[i]);
  }
  if (x0 > x1) return;
  // Bound the cell count (memory) for sparse national extents.
  const double max_cells = 4.0e6;
  while ((x1 - x0) / m_cell * (y1 - y0) / m_cell > max_cells) m_cell *= 2;
  m_x0 = x0;
  m_y0 = y0;
  m_cols = static_cast<std::size_t>((x1 - x0) / m_cell) + 1;
  m_rows = static_cast<std::size_t>((y1 - y0) / m_cell) + 1;
  std::vector<uint32_t> cell_of(x.size(), 0xFFFFFFFFu);
  m_start.assign(m_cols * m_rows + 1, 0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    const auto c = static_cast<std::size_t>((x[i] - m_x0) / m_cell);
    const auto r = static_cast<std::size_t>((y[i] - m_y0) / m_cell);
    cell_of[i] = static_cast<uint32_t>(r * m_cols + c);
    ++m_start[cell_of[i] + 1];
  }
  for (std::size_t k = 1; k < m_start.size(); ++k) m_start[k] += m_start[k - 1];
  m_points.resize(m_start.back());
  std::vector<uint32_t> fill(m_start.begin(), m_start.end() - 1);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (cell_of[i] != 0xFFFFFFFFu) m_points[fill[cell_of[i]]++] = static_cast<uint32_t>(i);
}

std::optional<uint32_t> PointGrid::nearest(double x, double y, double radius_m,
                                           const std::function<bool(uint32_t)>& accept) const {
  if (empty()) return std::nullopt;
  const auto clampc = [](double v, std::size_t n) {
    return static_cast<std::size_t>(std::clamp(v, 0.0, static_cast<double>(n - 1)));
  };
  const std::size_t c0 = clampc(std::floor((x - radius_m - m_x0) / m_cell), m_cols);
  const std::size_t c1 = clampc(std::floor((x + radius_m - m_x0) / m_cell), m_cols);
  const std::size_t r0 = clampc(std::floor((y - radius_m - m_y0) / m_cell), m_rows);
  const std::size_t r1 = clampc(std::floor((y + radius_m - m_y0) / m_cell), m_rows);
  std::optional<uint32_t> best;
  double best_d2 = radius_m * radius_m;
  for (std::size_t r = r0; r <= r1; ++r)
    for (std::size_t c = c0; c <= c1; ++c) {
      const std::size_t cell = r * m_cols + c;
      for (uint32_t k = m_start[cell]; k < m_start[cell + 1]; ++k) {
        const uint32_t i = m_points[k];
        const double dx = m_x[i] - x, dy = m_y[i] - y;
        const double d2 = dx * dx + dy * dy;
        if (d2 > best_d2 || (d2 == best_d2 && best && *best < i)) continue;
        if (!accept(i)) continue;
        best = i;
        best_d2 = d2;
      }
    }
  return best;
}

std::vector<uint32_t> PointGrid::in_box(double x0, double y0, double x1, double y1,
                                        const std::function<bool(uint32_t)>& accept) const {
  std::vector<uint32_t> out;
  if (empty()) return out;
  const auto clampc = [](double v, std::size_t n) {
    return static_cast<std::size_t>(std::clamp(v, 0.0, static_cast<double>(n - 1)));
  };
  const std::size_t c0 = clampc(std::floor((x0 - m_x0) / m_cell), m_cols);
  const std::size_t c1 = clampc(std::floor((x1 - m_x0) / m_cell), m_cols);
  const std::size_t r0 = clampc(std::floor((y0 - m_y0) / m_cell), m_rows);
  const std::size_t r1 = clampc(std::floor((y1 - m_y0) / m_cell), m_rows);
  for (std::size_t r = r0; r <= r1; ++r)
    for (std::size_t c = c0; c <= c1; ++c) {
      const std::size_t cell = r * m_cols + c;
      for (uint32_t k = m_start[cell]; k < m_start[cell + 1]; ++k) {
        const uint32_t i = m_points[k];
        if (m_x[i] >= x0 && m_x[i] <= x1 && m_y[i] >= y0 && m_y[i] <= y1 && accept(i)) out.push_back(i);
      }
    }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace hotspot::viewer
