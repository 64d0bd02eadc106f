#pragma once
// Internal to the evaluation engine: the automatically matched comparison cells of
// ControlKind::matched (the rule is documented in core/evaluate/evaluation.hpp).
//
// MatchedGrid: square cells of cell_m aligned to the National Grid over an extent;
// candidates are the cells whose centre is in the study area (when there is one) and
// that touch no treated area. Cells are addressed by candidate index.
//
// match_cells(): the k candidates nearest a target in (level, relative trend) over
// its before window, each feature scaled by its standard deviation across the
// candidates that had at least one incident; ties by candidate index.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/geo/geometry.hpp"

namespace hotspot::core {
class AreaSet;
}

namespace hotspot::core::detail {

class MatchedGrid {
 public:
  MatchedGrid() = default;
  // `touches_treated(box)`: whether the cell's square touches any target or buffer.
  // failure() says why no grid could be built (too many cells, empty extent).
  MatchedGrid(double cell_m, const Box& extent, const AreaSet* study,
              const std::function<bool(const Box&)>& touches_treated);

  [[nodiscard]] const std::string& failure() const { return m_failure; }
  [[nodiscard]] std::size_t size() const { return m_candidates.size(); }
  // Candidate index of the cell holding (x, y), or -1.
  [[nodiscard]] int32_t candidate(double x, double y) const;
  [[nodiscard]] Box box(std::size_t candidate) const;
  [[nodiscard]] int64_t column(std::size_t candidate) const { return m_x0 + m_candidates[candidate].first; }
  [[nodiscard]] int64_t row(std::size_t candidate) const { return m_y0 + m_candidates[candidate].second; }
  [[nodiscard]] double cell_m() const { return m_cell; }
  // Forgets every candidate (with a reason), e.g. when the tallies would be too large.
  void fail(std::string reason);

 private:
  double m_cell = 0;
  int64_t m_x0 = 0, m_y0 = 0, m_cols = 0, m_rows = 0;
  std::vector<int32_t> m_index;                         // grid cell -> candidate or -1
  std::vector<std::pair<int64_t, int64_t>> m_candidates;  // (column, row) from the origin
  std::string m_failure;
};

// The OLS slope of y over 0..n-1 divided by the mean of y; 0 when undefined.
double relative_trend(std::span<const double> y);

// `pre_series(candidate, out)` fills out (size = target_pre.size()) with the
// candidate's before-window counts. Returns at most k candidates, nearest first.
std::vector<std::size_t> match_cells(std::span<const double> target_pre, double target_km2, double cell_km2,
                                     std::size_t candidates, std::size_t k,
                                     const std::function<void(std::size_t, std::vector<double>&)>& pre_series);

}  // namespace hotspot::core::detail
