#include "core/stats/weights.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <thread>
#include <utility>

#include "core/grid/grid.hpp"
#include "core/spatial/area_set.hpp"
#include "core/stats/point_index.hpp"

// [SECTION] Helpers
// [SECTION] Point weights (CSR)
// [SECTION] Grid weights (lattice)
// [SECTION] Polygon contiguity
// [SECTION] Lists, space-time, row standardisation
// [SECTION] Queries: lag, weight, constants

namespace hotspot::core {

namespace {

constexpr uint32_t kNoCell = 0xFFFFFFFFu;
constexpr double kSqrt3 = 1.7320508075688772;

std::string metres(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return std::string(buf) + " m";
}

unsigned worker_count(unsigned threads, std::size_t work) {
  unsigned t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  if (work < 50000) t = 1;
  return t;
}

// Runs fn(begin, end) over [0, n) in `threads` contiguous blocks.
template <typename Fn>
void parallel_blocks(std::size_t n, unsigned threads, Fn&& fn) {
  if (threads <= 1 || n < 2) {
    fn(std::size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  const std::size_t step = (n + threads - 1) / threads;
  for (std::size_t b = 0; b < n; b += step) pool.emplace_back([&, b] { fn(b, std::min(n, b + step)); });
  for (auto& t : pool) t.join();
}

}  // namespace

// [SECTION] Helpers ----------------------------------------------------------------

void Weights::finish() {
  m_card.assign(m_n, 0);
  m_row_sum.assign(m_n, 0.0);
  m_row_sum_sq.assign(m_n, 0.0);
  m_total = 0;
  if (m_lattice && m_binary && !m_spans[0].empty()) {
    // Cardinality = the number of occupied lattice positions under the spans: the
    // clipped span lengths when every position holds a cell, else differences of
    // a per-row prefix count of occupied positions.
    const auto cols = static_cast<std::size_t>(m_cols), rows = static_cast<std::size_t>(m_rows);
    std::vector<uint32_t> occupied;
    if (!m_identity) {
      occupied.assign(rows * (cols + 1), 0);
      for (std::size_t r = 0; r < rows; ++r) {
        uint32_t* o = occupied.data() + r * (cols + 1);
        const uint32_t* g = m_grid.data() + r * cols;
        for (std::size_t c = 0; c < cols; ++c) o[c + 1] = o[c] + (g[c] != kNoCell ? 1u : 0u);
      }
    }
    parallel_blocks(m_n, worker_count(0, m_n), [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        const int32_t c = m_lc[i], r = m_lr[i];
        const int p = m_hex && (((m_row0 + r) & 1) != 0) ? 1 : 0;
        uint32_t k = 0;
        for (const Span& sp : m_spans[p]) {
          const int32_t rr = r + sp.dr;
          if (rr < 0 || rr >= m_rows) continue;
          const int32_t lo = std::max(c + sp.lo, 0), hi = std::min(c + sp.hi, m_cols - 1);
          if (lo > hi) continue;
          if (m_identity) {
            k += static_cast<uint32_t>(hi - lo + 1);
          } else {
            const uint32_t* o = occupied.data() + static_cast<std::size_t>(rr) * (cols + 1);
            k += o[hi + 1] - o[lo];
          }
        }
        m_card[i] = k;
      }
    });
  } else {
    for (uint32_t i = 0; i < m_n; ++i) {
      uint32_t c = 0;
      double s = 0, s2 = 0;
      for_each_neighbour(i, [&](uint32_t, double w) {
        ++c;
        s += w;
        s2 += w * w;
      });
      m_card[i] = c;
      m_row_sum[i] = s;
      m_row_sum_sq[i] = s2;
    }
  }
  for (std::size_t i = 0; i < m_n; ++i) {
    m_total += m_card[i];
    if (m_lattice && m_binary && !m_spans[0].empty()) {
      const double sc = m_scale.empty() ? 1.0 : m_scale[i];
      m_row_sum[i] = m_card[i] * sc;
      m_row_sum_sq[i] = m_card[i] * sc * sc;
    }
  }
}

uint32_t Weights::min_neighbours() const {
  return m_card.empty() ? 0 : *std::min_element(m_card.begin(), m_card.end());
}
uint32_t Weights::max_neighbours() const {
  return m_card.empty() ? 0 : *std::max_element(m_card.begin(), m_card.end());
}

std::vector<uint32_t> Weights::islands() const {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < m_n; ++i)
    if (m_card[i] == 0) out.push_back(i);
  return out;
}

std::size_t Weights::bytes() const {
  return m_offsets.capacity() * 8 + m_nbr.capacity() * 4 + m_w.capacity() * 8 + m_grid.capacity() * 4 +
         (m_lc.capacity() + m_lr.capacity()) * 4 + m_scale.capacity() * 8 + m_card.capacity() * 4 +
         (m_row_sum.capacity() + m_row_sum_sq.capacity()) * 8;
}

// [SECTION] Point weights (CSR) ------------------------------------------------------

Weights Weights::from_lists(const std::vector<std::vector<uint32_t>>& neighbours,
                            const std::vector<std::vector<double>>& weights) {
  HOTSPOT_ASSERT(weights.empty() || weights.size() == neighbours.size());
  Weights w;
  w.m_n = neighbours.size();
  w.m_binary = weights.empty();
  w.m_symmetric = false;  // not known: constants() looks every w_ji up
  w.m_description = "custom weights";
  std::vector<std::pair<uint32_t, double>> row;
  w.m_offsets.assign(w.m_n + 1, 0);
  for (std::size_t i = 0; i < w.m_n; ++i) {
    HOTSPOT_ASSERT(weights.empty() || weights[i].size() == neighbours[i].size());
    row.clear();
    for (std::size_t k = 0; k < neighbours[i].size(); ++k) {
      HOTSPOT_ASSERT(neighbours[i][k] < w.m_n && neighbours[i][k] != i);
      row.emplace_back(neighbours[i][k], weights.empty() ? 1.0 : weights[i][k]);
    }
    std::sort(row.begin(), row.end());
    for (std::size_t k = 1; k < row.size(); ++k) HOTSPOT_ASSERT(row[k].first != row[k - 1].first);
    for (const auto& [j, v] : row) {
      w.m_nbr.push_back(j);
      if (!w.m_binary) w.m_w.push_back(v);
    }
    w.m_offsets[i + 1] = w.m_nbr.size();
  }
  w.finish();
  return w;
}

namespace {

// Builds CSR rows from per-point neighbour searches, in parallel blocks.
template <typename RowFn>
std::vector<std::vector<uint32_t>> collect_rows(std::size_t n, RowFn&& row_fn,
                                                std::vector<std::vector<double>>* weights) {
  std::vector<std::vector<uint32_t>> rows(n);
  if (weights) weights->assign(n, {});
  const unsigned t = worker_count(0, n);
  parallel_blocks(n, t, [&](std::size_t b, std::size_t e) {
    std::vector<std::pair<uint32_t, double>> tmp;
    for (std::size_t i = b; i < e; ++i) {
      tmp.clear();
      row_fn(static_cast<uint32_t>(i), tmp);
      std::sort(tmp.begin(), tmp.end());
      rows[i].reserve(tmp.size());
      for (const auto& [j, v] : tmp) {
        rows[i].push_back(j);
        if (weights) (*weights)[i].push_back(v);
      }
    }
  });
  return rows;
}

}  // namespace

namespace {

// Whether the points are distinct centres of a square lattice of spacing s whose
// arithmetic is exact in doubles: every coordinate and s a multiple of 1/2 m below
// 2^40 m, so x_j - x_i == s (c_j - c_i) exactly and a distance band gives the same
// neighbours on the lattice as between the points. The spacing is the smallest
// positive step between consecutive points in x or y (a `hotspot grid` output is
// row-major): any spacing on which every point lies gives the right weights.
// Fills (col, row) per point and the lattice size; false when not a lattice, when
// the lattice would hold more than 16 positions per point or 2^28 in all.
bool detect_lattice(std::span<const double> x, std::span<const double> y, double& s, double& x0, double& y0,
                    int32_t& cols, int32_t& rows, std::vector<int32_t>& lc, std::vector<int32_t>& lr) {
  const std::size_t n = x.size();
  if (n < 1000) return false;  // CSR is as fast for small sets
  auto half_metres = [](double v) { return std::fabs(v) < 0x1p40 && std::floor(2 * v) == 2 * v; };
  s = std::numeric_limits<double>::infinity();
  double xmin = x[0], ymin = y[0], xmax = x[0], ymax = y[0];
  for (std::size_t i = 0; i < n; ++i) {
    if (!half_metres(x[i]) || !half_metres(y[i])) return false;
    xmin = std::min(xmin, x[i]);
    xmax = std::max(xmax, x[i]);
    ymin = std::min(ymin, y[i]);
    ymax = std::max(ymax, y[i]);
    if (i > 0) {
      const double dx = std::fabs(x[i] - x[i - 1]), dy = std::fabs(y[i] - y[i - 1]);
      if (dx > 0) s = std::min(s, dx);
      if (dy > 0) s = std::min(s, dy);
    }
  }
  if (!std::isfinite(s) || !(s > 0)) return false;
  const double cw = (xmax - xmin) / s + 1, rh = (ymax - ymin) / s + 1;
  if (cw * rh > 16.0 * static_cast<double>(n) || cw * rh > static_cast<double>(std::size_t{1} << 28)) return false;
  cols = static_cast<int32_t>(cw);
  rows = static_cast<int32_t>(rh);
  x0 = xmin;
  y0 = ymin;
  lc.resize(n);
  lr.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double c = (x[i] - xmin) / s, r = (y[i] - ymin) / s;
    if (c != std::floor(c) || r != std::floor(r) || c >= cols || r >= rows) return false;
    lc[i] = static_cast<int32_t>(c);
    lr[i] = static_cast<int32_t>(r);
  }
  return true;
}

}  // namespace

Weights Weights::distance_band(std::span<const double> x, std::span<const double> y, double band,
                               bool detect_lattice_points) {
  HOTSPOT_ASSERT(x.size() == y.size() && band >= 0);
  double s = 0, x0 = 0, y0 = 0;
  int32_t lcols = 0, lrows = 0;
  std::vector<int32_t> lc, lr;
  if (detect_lattice_points && detect_lattice(x, y, s, x0, y0, lcols, lrows, lc, lr)) {
    Weights w;
    w.m_lattice = true;
    w.m_n = x.size();
    w.m_cols = lcols;
    w.m_rows = lrows;
    w.m_grid.assign(static_cast<std::size_t>(lcols) * static_cast<std::size_t>(lrows), kNoCell);
    bool distinct = true;
    for (uint32_t i = 0; i < w.m_n && distinct; ++i) {
      uint32_t& slot = w.m_grid[static_cast<std::size_t>(lr[i]) * static_cast<std::size_t>(lcols) +
                                static_cast<std::size_t>(lc[i])];
      distinct = slot == kNoCell;
      slot = i;
    }
    if (distinct) {
      w.m_lc = std::move(lc);
      w.m_lr = std::move(lr);
      w.set_identity();
      const auto reach = static_cast<int32_t>(std::ceil(band / s)) + 1;
      for (int32_t dr = -reach; dr <= reach; ++dr)
        for (int32_t dc = -reach; dc <= reach; ++dc) {
          const double dx = s * dc, dy = s * dr;
          if ((dc != 0 || dr != 0) && dx * dx + dy * dy <= band * band) w.m_stencil[0].push_back({dc, dr, 1.0});
        }
      w.build_spans();
      w.m_description = "fixed distance band " + metres(band);
      w.finish();
      return w;
    }
  }
  PointIndex idx(x, y);
  auto rows = collect_rows(
      x.size(),
      [&](uint32_t i, std::vector<std::pair<uint32_t, double>>& out) {
        idx.within(i, band, [&](uint32_t j, double) { out.emplace_back(j, 1.0); });
      },
      nullptr);
  Weights w = from_lists(rows);
  w.m_symmetric = true;
  w.m_description = "fixed distance band " + metres(band);
  return w;
}

Weights Weights::inverse_distance(std::span<const double> x, std::span<const double> y, double band, double power,
                                  double min_distance_m) {
  HOTSPOT_ASSERT(x.size() == y.size() && band >= 0 && power > 0 && min_distance_m > 0);
  PointIndex idx(x, y);
  std::vector<std::vector<double>> weights;
  auto rows = collect_rows(
      x.size(),
      [&](uint32_t i, std::vector<std::pair<uint32_t, double>>& out) {
        idx.within(i, band, [&](uint32_t j, double d2) {
          out.emplace_back(j, std::pow(std::max(std::sqrt(d2), min_distance_m), -power));
        });
      },
      &weights);
  Weights w = from_lists(rows, weights);
  w.m_symmetric = true;
  w.m_description = "inverse distance (power " + std::to_string(power).substr(0, 4) + ") within " + metres(band);
  return w;
}

Weights Weights::knn(std::span<const double> x, std::span<const double> y, unsigned k) {
  HOTSPOT_ASSERT(x.size() == y.size() && k >= 1);
  PointIndex idx(x, y);
  auto rows = collect_rows(
      x.size(),
      [&](uint32_t i, std::vector<std::pair<uint32_t, double>>& out) {
        std::vector<uint32_t> nn;
        idx.nearest(i, k, nn);
        for (uint32_t j : nn) out.emplace_back(j, 1.0);
      },
      nullptr);
  Weights w = from_lists(rows);
  w.m_description = std::to_string(k) + " nearest neighbours";
  w.m_symmetric = false;
  return w;
}

// [SECTION] Grid weights (lattice) -----------------------------------------------------

void Weights::lattice_from(const Grid& grid) {
  HOTSPOT_ASSERT(grid.inside_count() == grid.size());
  m_lattice = true;
  m_hex = grid.shape() == CellShape::hex;
  m_n = grid.size();
  m_cols = grid.lattice_columns();
  m_rows = grid.lattice_rows();
  m_row0 = grid.lattice_row0();
  m_grid.assign(static_cast<std::size_t>(m_cols) * static_cast<std::size_t>(m_rows), kNoCell);
  m_lc.resize(m_n);
  m_lr.resize(m_n);
  for (uint32_t i = 0; i < m_n; ++i) {
    m_lc[i] = grid.lattice_column(i);
    m_lr[i] = grid.lattice_row(i);
    m_grid[static_cast<std::size_t>(m_lr[i]) * static_cast<std::size_t>(m_cols) +
           static_cast<std::size_t>(m_lc[i])] = i;
  }
  set_identity();
}

void Weights::set_identity() {
  m_identity = m_grid.size() == m_n;
  for (std::size_t k = 0; m_identity && k < m_n; ++k) m_identity = m_grid[k] == k;
}

void Weights::build_spans() {
  for (int p = 0; p < 2; ++p) {
    auto entries = m_stencil[p];
    std::sort(entries.begin(), entries.end(),
              [](const StencilEntry& a, const StencilEntry& b) { return a.dr != b.dr ? a.dr < b.dr : a.dc < b.dc; });
    m_spans[p].clear();
    for (const StencilEntry& e : entries) {
      if (!m_spans[p].empty() && m_spans[p].back().dr == e.dr && m_spans[p].back().hi + 1 == e.dc)
        m_spans[p].back().hi = e.dc;
      else
        m_spans[p].push_back({e.dr, e.dc, e.dc});
    }
  }
}

namespace {

// Centre offset (metres) from a cell on an absolute row of parity `p` to the cell
// (dc, dr) lattice steps away.
void lattice_offset(bool hex, int p, int32_t dc, int32_t dr, double s, double& dx, double& dy) {
  if (!hex) {
    dx = s * dc;
    dy = s * dr;
    return;
  }
  const int q = (p + (dr & 1)) & 1;  // parity of the neighbour's row
  dx = s * (static_cast<double>(dc) + 0.5 * (q - p));
  dy = s * 0.5 * kSqrt3 * dr;
}

}  // namespace

Weights Weights::grid_distance_band(const Grid& grid, double band) {
  HOTSPOT_ASSERT(band >= 0);
  Weights w;
  w.lattice_from(grid);
  const double s = grid.cell_m();
  const int32_t rr = static_cast<int32_t>(std::ceil(band / (w.m_hex ? 0.5 * kSqrt3 * s : s))) + 1;
  const int32_t cc = static_cast<int32_t>(std::ceil(band / s)) + 1;
  for (int p = 0; p < (w.m_hex ? 2 : 1); ++p)
    for (int32_t dr = -rr; dr <= rr; ++dr)
      for (int32_t dc = -cc; dc <= cc; ++dc) {
        double dx = 0, dy = 0;
        lattice_offset(w.m_hex, p, dc, dr, s, dx, dy);
        if ((dc != 0 || dr != 0) && dx * dx + dy * dy <= band * band) w.m_stencil[p].push_back({dc, dr, 1.0});
      }
  w.build_spans();
  w.m_description = "fixed distance band " + metres(band);
  w.finish();
  return w;
}

Weights Weights::grid_inverse_distance(const Grid& grid, double band, double power, double min_distance_m) {
  HOTSPOT_ASSERT(band >= 0 && power > 0 && min_distance_m > 0);
  Weights w;
  w.lattice_from(grid);
  w.m_binary = false;
  const double s = grid.cell_m();
  const int32_t rr = static_cast<int32_t>(std::ceil(band / (w.m_hex ? 0.5 * kSqrt3 * s : s))) + 1;
  const int32_t cc = static_cast<int32_t>(std::ceil(band / s)) + 1;
  for (int p = 0; p < (w.m_hex ? 2 : 1); ++p)
    for (int32_t dr = -rr; dr <= rr; ++dr)
      for (int32_t dc = -cc; dc <= cc; ++dc) {
        double dx = 0, dy = 0;
        lattice_offset(w.m_hex, p, dc, dr, s, dx, dy);
        const double d2 = dx * dx + dy * dy;
        if ((dc != 0 || dr != 0) && d2 <= band * band)
          w.m_stencil[p].push_back({dc, dr, std::pow(std::max(std::sqrt(d2), min_distance_m), -power)});
      }
  w.m_description = "inverse distance within " + metres(band);
  w.finish();
  return w;
}

Weights Weights::grid_contiguity(const Grid& grid, Contiguity rule) {
  Weights w;
  w.lattice_from(grid);
  if (w.m_hex) {
    // Odd-r offset coordinates: the six edge neighbours depend on the row's parity.
    w.m_stencil[0] = {{-1, 0, 1}, {1, 0, 1}, {-1, -1, 1}, {0, -1, 1}, {-1, 1, 1}, {0, 1, 1}};
    w.m_stencil[1] = {{-1, 0, 1}, {1, 0, 1}, {0, -1, 1}, {1, -1, 1}, {0, 1, 1}, {1, 1, 1}};
    w.m_description = "hexagon contiguity (6 neighbours)";
  } else if (rule == Contiguity::queen) {
    for (int32_t dr = -1; dr <= 1; ++dr)
      for (int32_t dc = -1; dc <= 1; ++dc)
        if (dc != 0 || dr != 0) w.m_stencil[0].push_back({dc, dr, 1.0});
    w.m_description = "queen contiguity";
  } else {
    w.m_stencil[0] = {{0, -1, 1}, {-1, 0, 1}, {1, 0, 1}, {0, 1, 1}};
    w.m_description = "rook contiguity";
  }
  w.build_spans();
  w.finish();
  return w;
}

Weights Weights::cell_contiguity(std::span<const CellId> ids, Contiguity rule) {
  std::vector<std::pair<uint64_t, uint32_t>> sorted(ids.size());
  for (uint32_t i = 0; i < ids.size(); ++i) sorted[i] = {ids[i].value(), i};
  std::sort(sorted.begin(), sorted.end());
  auto find = [&](CellId id) -> uint32_t {
    const auto it = std::lower_bound(sorted.begin(), sorted.end(), std::make_pair(id.value(), uint32_t{0}));
    return it != sorted.end() && it->first == id.value() ? it->second : kNoCell;
  };
  static constexpr int32_t kHexAxial[6][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, -1}, {-1, 1}};
  std::vector<std::vector<uint32_t>> rows(ids.size());
  for (uint32_t i = 0; i < ids.size(); ++i) {
    const CellId id = ids[i];
    auto add = [&](int32_t dc, int32_t dr) {
      const int64_t c = int64_t{id.column()} + dc, r = int64_t{id.row()} + dr;
      if (c < CellId::kMinIndex || c > CellId::kMaxIndex || r < CellId::kMinIndex || r > CellId::kMaxIndex) return;
      const uint32_t j = find(CellId::make(id.shape(), static_cast<int32_t>(c), static_cast<int32_t>(r)));
      if (j != kNoCell && j != i) rows[i].push_back(j);
    };
    if (id.shape() == CellShape::hex) {
      for (const auto& d : kHexAxial) add(d[0], d[1]);
    } else {
      for (int32_t dr = -1; dr <= 1; ++dr)
        for (int32_t dc = -1; dc <= 1; ++dc)
          if ((dc != 0 || dr != 0) && (rule == Contiguity::queen || dc == 0 || dr == 0)) add(dc, dr);
    }
  }
  Weights w = from_lists(rows);
  w.m_symmetric = true;
  w.m_description = rule == Contiguity::queen ? "queen contiguity" : "rook contiguity";
  return w;
}

// [SECTION] Polygon contiguity ----------------------------------------------------------

Weights Weights::polygon_contiguity(const AreaSet& areas, Contiguity rule, double snap_m) {
  struct Vertex {
    double x, y;
    uint32_t area;
  };
  std::vector<Vertex> v;
  for (uint32_t a = 0; a < areas.size(); ++a) {
    const std::size_t first = v.size();
    auto add_ring = [&](const Ring& ring) {
      for (const Point& p : ring) v.push_back({p.x(), p.y(), a});
    };
    for (const Polygon& p : areas[a].geometry) {
      add_ring(p.outer());
      for (const Ring& h : p.inners()) add_ring(h);
    }
    // Distinct vertices of this area (a closed ring repeats its first point).
    std::sort(v.begin() + static_cast<std::ptrdiff_t>(first), v.end(),
              [](const Vertex& l, const Vertex& r) { return l.x != r.x ? l.x < r.x : l.y < r.y; });
    v.erase(std::unique(v.begin() + static_cast<std::ptrdiff_t>(first), v.end(),
                        [](const Vertex& l, const Vertex& r) { return l.x == r.x && l.y == r.y; }),
            v.end());
  }
  std::sort(v.begin(), v.end(), [](const Vertex& l, const Vertex& r) { return l.x < r.x; });
  // Shared boundary points per pair (a < b): count distinct vertices of `a` that
  // meet some vertex of `b`.
  std::map<std::pair<uint32_t, uint32_t>, std::vector<std::size_t>> shared;
  for (std::size_t i = 0; i < v.size(); ++i)
    for (std::size_t k = i + 1; k < v.size() && v[k].x - v[i].x <= snap_m; ++k) {
      if (v[k].area == v[i].area || std::fabs(v[k].y - v[i].y) > snap_m) continue;
      const bool i_low = v[i].area < v[k].area;
      const auto key = i_low ? std::make_pair(v[i].area, v[k].area) : std::make_pair(v[k].area, v[i].area);
      shared[key].push_back(i_low ? i : k);
    }
  std::vector<std::vector<uint32_t>> rows(areas.size());
  for (auto& [key, pts] : shared) {
    std::sort(pts.begin(), pts.end());
    const std::size_t distinct = static_cast<std::size_t>(std::unique(pts.begin(), pts.end()) - pts.begin());
    if (distinct >= (rule == Contiguity::queen ? 1u : 2u)) {
      rows[key.first].push_back(key.second);
      rows[key.second].push_back(key.first);
    }
  }
  Weights w = from_lists(rows);
  w.m_symmetric = true;
  w.m_description = rule == Contiguity::queen ? "queen contiguity" : "rook contiguity";
  return w;
}

// [SECTION] Lists, space-time, row standardisation ----------------------------------------

Weights Weights::space_time(const Weights& spatial, std::size_t periods, unsigned time_window) {
  const std::size_t cells = spatial.size();
  std::vector<std::vector<uint32_t>> rows(cells * periods);
  std::vector<std::vector<double>> weights(cells * periods);
  HOTSPOT_ASSERT(cells * periods < kNoCell);
  for (std::size_t t = 0; t < periods; ++t)
    for (uint32_t c = 0; c < cells; ++c) {
      auto& row = rows[t * cells + c];
      auto& wr = weights[t * cells + c];
      const std::size_t t0 = t >= time_window ? t - time_window : 0;
      for (std::size_t u = t0; u <= t; ++u) {
        if (u < t) {
          row.push_back(static_cast<uint32_t>(u * cells + c));
          wr.push_back(1.0);
        }
        spatial.for_each_neighbour(c, [&](uint32_t j, double wj) {
          row.push_back(static_cast<uint32_t>(u * cells + j));
          wr.push_back(wj);
        });
      }
    }
  Weights w = from_lists(rows, spatial.binary() ? std::vector<std::vector<double>>{} : weights);
  w.m_description = spatial.description() + ", " + std::to_string(time_window) + " time step(s) back";
  w.m_symmetric = false;
  return w;
}

Weights Weights::row_standardised() const {
  Weights w = *this;
  w.m_scale.assign(m_n, 0.0);
  const std::vector<double>& old = m_scale;
  for (std::size_t i = 0; i < m_n; ++i) {
    const double base_sum = old.empty() ? m_row_sum[i] : (old[i] != 0 ? m_row_sum[i] / old[i] : 0.0);
    w.m_scale[i] = base_sum > 0 ? 1.0 / base_sum : 0.0;
    const double base_sq = old.empty() ? m_row_sum_sq[i] : (old[i] != 0 ? m_row_sum_sq[i] / (old[i] * old[i]) : 0.0);
    w.m_row_sum[i] = base_sum > 0 ? 1.0 : 0.0;
    w.m_row_sum_sq[i] = base_sq * w.m_scale[i] * w.m_scale[i];
  }
  w.m_description = m_description + ", row-standardised";
  return w;
}

// [SECTION] Queries: lag, weight, constants -------------------------------------------------

void Weights::lag_rows(std::span<const double> x, std::span<double> out, std::size_t begin, std::size_t end,
                       const double* raster, const double* prefix) const {
  if (!m_lattice) {
    for (std::size_t i = begin; i < end; ++i) {
      double s = 0;
      if (m_w.empty())
        for (uint64_t k = m_offsets[i]; k < m_offsets[i + 1]; ++k) s += x[m_nbr[k]];
      else
        for (uint64_t k = m_offsets[i]; k < m_offsets[i + 1]; ++k) s += m_w[k] * x[m_nbr[k]];
      out[i] = m_scale.empty() ? s : s * m_scale[i];
    }
    return;
  }
  const auto cols = static_cast<std::size_t>(m_cols);
  for (std::size_t i = begin; i < end; ++i) {
    const int32_t c = m_lc[i], r = m_lr[i];
    const int p = m_hex && (((m_row0 + r) & 1) != 0) ? 1 : 0;
    double s = 0;
    if (prefix) {
      for (const Span& sp : m_spans[p]) {
        const int32_t rr = r + sp.dr;
        if (rr < 0 || rr >= m_rows) continue;
        const int32_t lo = std::max(c + sp.lo, 0), hi = std::min(c + sp.hi, m_cols - 1);
        if (lo > hi) continue;
        const double* row = prefix + static_cast<std::size_t>(rr) * (cols + 1);
        s += row[hi + 1] - row[lo];
      }
    } else {
      for (const StencilEntry& e : m_stencil[p]) {
        const int32_t cc = c + e.dc, rr = r + e.dr;
        if (cc < 0 || rr < 0 || cc >= m_cols || rr >= m_rows) continue;
        s += e.w * raster[static_cast<std::size_t>(rr) * cols + static_cast<std::size_t>(cc)];
      }
    }
    out[i] = m_scale.empty() ? s : s * m_scale[i];
  }
}

void Weights::lag(std::span<const double> x, std::span<double> out, unsigned threads) const {
  HOTSPOT_ASSERT(x.size() == m_n && out.size() == m_n);
  const unsigned t = worker_count(threads, m_n);
  if (!m_lattice) {
    parallel_blocks(m_n, t, [&](std::size_t b, std::size_t e) { lag_rows(x, out, b, e, nullptr, nullptr); });
    return;
  }
  // The values on the lattice (0 where there is no cell).
  // The values on the lattice (0 where there is no cell): x itself when cell i sits
  // at lattice position i (a full box grid), else a copy.
  const auto cols = static_cast<std::size_t>(m_cols), rows = static_cast<std::size_t>(m_rows);
  std::vector<double> copy;
  if (!m_identity) {
    copy.assign(cols * rows, 0.0);
    for (std::size_t i = 0; i < m_n; ++i)
      copy[static_cast<std::size_t>(m_lr[i]) * cols + static_cast<std::size_t>(m_lc[i])] = x[i];
  }
  const double* raster = m_identity ? x.data() : copy.data();
  if (m_binary && !m_spans[0].empty()) {
    std::vector<double> prefix(rows * (cols + 1));
    parallel_blocks(rows, t, [&](std::size_t b, std::size_t e) {
      for (std::size_t r = b; r < e; ++r) {
        double* p = prefix.data() + r * (cols + 1);
        const double* v = raster + r * cols;
        p[0] = 0.0;
        for (std::size_t c = 0; c < cols; ++c) p[c + 1] = p[c] + v[c];
      }
    });
    parallel_blocks(m_n, t, [&](std::size_t b, std::size_t e) { lag_rows(x, out, b, e, nullptr, prefix.data()); });
  } else {
    parallel_blocks(m_n, t, [&](std::size_t b, std::size_t e) { lag_rows(x, out, b, e, raster, nullptr); });
  }
}

double Weights::weight(uint32_t i, uint32_t j) const {
  HOTSPOT_ASSERT(i < m_n && j < m_n);
  if (i == j) return 0.0;
  const double scale = m_scale.empty() ? 1.0 : m_scale[i];
  if (!m_lattice) {
    const auto b = m_nbr.begin() + static_cast<std::ptrdiff_t>(m_offsets[i]);
    const auto e = m_nbr.begin() + static_cast<std::ptrdiff_t>(m_offsets[i + 1]);
    const auto it = std::lower_bound(b, e, j);
    if (it == e || *it != j) return 0.0;
    return (m_w.empty() ? 1.0 : m_w[static_cast<std::size_t>(it - m_nbr.begin())]) * scale;
  }
  const int32_t dc = m_lc[j] - m_lc[i], dr = m_lr[j] - m_lr[i];
  for (const StencilEntry& e : stencil_for(i))
    if (e.dc == dc && e.dr == dr) return e.w * scale;
  return 0.0;
}

WeightsConstants Weights::constants(bool adjust_n) const {
  WeightsConstants k;
  std::vector<double> col(m_n, 0.0);
  std::size_t with = 0;
  for (uint32_t i = 0; i < m_n; ++i) {
    if (m_card[i] > 0) ++with;
    for_each_neighbour(i, [&](uint32_t j, double wij) {
      k.s0 += wij;
      col[j] += wij;
      double wji = 0;
      if (m_symmetric) {
        // Same base weight both ways; only the row scales differ.
        const double si = m_scale.empty() ? 1.0 : m_scale[i];
        const double sj = m_scale.empty() ? 1.0 : m_scale[j];
        wji = si != 0 ? wij / si * sj : weight(j, i);
      } else {
        wji = weight(j, i);
      }
      k.s1 += wij * wij + wij * wji;
    });
  }
  for (uint32_t i = 0; i < m_n; ++i) {
    const double t = m_row_sum[i] + col[i];
    k.s2 += t * t;
  }
  k.n = static_cast<double>(adjust_n ? with : m_n);
  return k;
}

}  // namespace hotspot::core
