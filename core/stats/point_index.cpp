#include "core/stats/point_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/base/assert.hpp"

namespace hotspot::core {

PointIndex::PointIndex(std::span<const double> x, std::span<const double> y) : m_x(x), m_y(y) {
  HOTSPOT_ASSERT(x.size() == y.size());
  HOTSPOT_ASSERT(x.size() < 0xFFFFFFFFu);
  double xmin = std::numeric_limits<double>::max(), ymin = xmin, xmax = -xmin, ymax = -xmin;
  std::size_t finite = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    ++finite;
    xmin = std::min(xmin, x[k]);
    xmax = std::max(xmax, x[k]);
    ymin = std::min(ymin, y[k]);
    ymax = std::max(ymax, y[k]);
  }
  if (finite == 0) {
    m_start.assign(2, 0);
    return;
  }
  const double w = std::max(xmax - xmin, 1e-9), h = std::max(ymax - ymin, 1e-9);
  // About two points per bucket, at most 2^22 buckets.
  const double buckets = std::clamp(static_cast<double>(finite) / 2.0, 1.0, 4194304.0);
  m_bucket = std::max(std::sqrt(w * h / buckets), std::max(w, h) / 4096.0);
  m_inv = 1.0 / m_bucket;
  m_x0 = xmin;
  m_y0 = ymin;
  m_cols = static_cast<int64_t>(w * m_inv) + 1;
  m_rows = static_cast<int64_t>(h * m_inv) + 1;
  const auto nb = static_cast<std::size_t>(m_cols * m_rows);
  m_start.assign(nb + 1, 0);
  std::vector<uint32_t> bucket_of(x.size(), 0xFFFFFFFFu);
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    const auto b = static_cast<uint32_t>(bucket_y(y[k]) * m_cols + bucket_x(x[k]));
    bucket_of[k] = b;
    ++m_start[b + 1];
  }
  for (std::size_t b = 0; b < nb; ++b) m_start[b + 1] += m_start[b];
  m_items.resize(finite);
  std::vector<uint32_t> fill(m_start.begin(), m_start.end() - 1);
  for (std::size_t k = 0; k < x.size(); ++k)
    if (bucket_of[k] != 0xFFFFFFFFu) m_items[fill[bucket_of[k]]++] = static_cast<uint32_t>(k);
}

int64_t PointIndex::bucket_x(double x) const {
  return std::clamp(static_cast<int64_t>(std::floor((x - m_x0) * m_inv)), int64_t{0}, m_cols - 1);
}
int64_t PointIndex::bucket_y(double y) const {
  return std::clamp(static_cast<int64_t>(std::floor((y - m_y0) * m_inv)), int64_t{0}, m_rows - 1);
}

void PointIndex::within(uint32_t i, double r, const std::function<void(uint32_t, double)>& fn) const {
  HOTSPOT_ASSERT(i < size());
  const double xi = m_x[i], yi = m_y[i];
  if (!std::isfinite(xi) || !std::isfinite(yi) || m_items.empty() || !(r >= 0)) return;
  const double r2 = r * r;
  const int64_t c0 = bucket_x(xi - r), c1 = bucket_x(xi + r), r0 = bucket_y(yi - r), r1 = bucket_y(yi + r);
  for (int64_t br = r0; br <= r1; ++br)
    for (int64_t bc = c0; bc <= c1; ++bc) {
      const auto b = static_cast<std::size_t>(br * m_cols + bc);
      for (uint32_t k = m_start[b]; k < m_start[b + 1]; ++k) {
        const uint32_t j = m_items[k];
        if (j == i) continue;
        const double dx = m_x[j] - xi, dy = m_y[j] - yi;
        const double d2 = dx * dx + dy * dy;
        if (d2 <= r2) fn(j, d2);
      }
    }
}

void PointIndex::nearest(uint32_t i, unsigned k, std::vector<uint32_t>& out, std::vector<double>* d2_out) const {
  HOTSPOT_ASSERT(i < size());
  out.clear();
  if (d2_out) d2_out->clear();
  const double xi = m_x[i], yi = m_y[i];
  if (!std::isfinite(xi) || !std::isfinite(yi) || m_items.empty() || k == 0) return;
  const int64_t bc = bucket_x(xi), br = bucket_y(yi);
  // Candidates as (d2, j), kept sorted; grow the ring until the ring's inner
  // distance exceeds the k-th best distance.
  std::vector<std::pair<double, uint32_t>> best;
  best.reserve(k + 1);
  auto consider = [&](uint32_t j) {
    if (j == i) return;
    const double dx = m_x[j] - xi, dy = m_y[j] - yi;
    const std::pair<double, uint32_t> cand(dx * dx + dy * dy, j);
    if (best.size() == k && !(cand < best.back())) return;
    best.insert(std::upper_bound(best.begin(), best.end(), cand), cand);
    if (best.size() > k) best.pop_back();
  };
  const int64_t max_ring = std::max(m_cols, m_rows);
  for (int64_t ring = 0; ring <= max_ring; ++ring) {
    // The ring's buckets are at least (ring - 1) buckets away from the point.
    if (best.size() == k && ring > 0) {
      const double inner = static_cast<double>(ring - 1) * m_bucket;
      if (inner > 0 && inner * inner > best.back().first) break;
    }
    for (int64_t r = br - ring; r <= br + ring; ++r) {
      if (r < 0 || r >= m_rows) continue;
      const bool edge_row = (r == br - ring || r == br + ring);
      for (int64_t c = bc - ring; c <= bc + ring; c += (edge_row ? 1 : 2 * ring)) {
        if (c >= 0 && c < m_cols) {
          const auto b = static_cast<std::size_t>(r * m_cols + c);
          for (uint32_t t = m_start[b]; t < m_start[b + 1]; ++t) consider(m_items[t]);
        }
        if (!edge_row && ring == 0) break;
      }
    }
  }
  for (const auto& [d2, j] : best) {
    out.push_back(j);
    if (d2_out) d2_out->push_back(d2);
  }
}

double PointIndex::nearest_nonzero_distance(uint32_t i) const {
  // Coincident points can be many (police.uk snapping): ask for more until a
  // non-zero distance appears.
  std::vector<uint32_t> nn;
  std::vector<double> d2;
  for (unsigned k = 8;; k *= 4) {
    nearest(i, k, nn, &d2);
    for (double v : d2)
      if (v > 0) return std::sqrt(v);
    if (nn.size() < k) return std::numeric_limits<double>::infinity();
  }
}

}  // namespace hotspot::core
