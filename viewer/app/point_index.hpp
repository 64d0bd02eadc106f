#pragma once
// PointGrid: a uniform grid over a set of points for "which point is near the
// cursor" (hover and click on a million incidents). Built once, queried per frame.
//
//   PointGrid grid(table.x_m(), table.y_m(), 50.0);          // 50 m cells
//   auto hit = grid.nearest(x, y, 12.0, [&](uint32_t i) { return shown(i); });
//
// Memory: 4 bytes per point + 4 per cell. Query: the cells within the radius only.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace hotspot::viewer {

class PointGrid {
 public:
  PointGrid() = default;
  // Requires: x.size() == y.size(); cell_m > 0. Non-finite points are left out.
  PointGrid(std::span<const double> x, std::span<const double> y, double cell_m);

  // The index of the nearest point within radius_m of (x, y) that `accept` accepts,
  // or nullopt. Ties go to the lower index.
  [[nodiscard]] std::optional<uint32_t> nearest(double x, double y, double radius_m,
                                                const std::function<bool(uint32_t)>& accept) const;
  // Every accepted point inside the box, in index order.
  [[nodiscard]] std::vector<uint32_t> in_box(double x0, double y0, double x1, double y1,
                                             const std::function<bool(uint32_t)>& accept) const;
  [[nodiscard]] bool empty() const { return m_cols == 0; }

 private:
  std::span<const double> m_x, m_y;
  double m_x0 = 0, m_y0 = 0, m_cell = 1;
  std::size_t m_cols = 0, m_rows = 0;
  std::vector<uint32_t> m_start;   // per cell + 1: offsets into m_points
  std::vector<uint32_t> m_points;  // point indices, grouped by cell, ascending within a cell
};

}  // namespace hotspot::viewer
