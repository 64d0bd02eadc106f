#pragma once
// PointIndex: a uniform bucket grid over a fixed set of points (metres) for the
// neighbour searches behind spatial weights and nearest-neighbour rules:
// all points within a distance, and the k nearest.
//
//   PointIndex idx(x, y);                       // spans must outlive idx
//   idx.within(i, 250.0, [&](uint32_t j, double d2) { ... });   // j != i, d <= 250
//   std::vector<uint32_t> nn;  idx.nearest(i, 8, nn);           // 8 nearest, j != i
//
// Ties: nearest() orders by (distance, index): the lower index wins a tie, so the
// result is deterministic (spdep/dbscan leave tie order to the k-d tree).
// Coincident points are at distance 0: they are each other's nearest neighbours
// and inside every band. Non-finite points are never returned and find nothing.
// Cost: O(n) to build (about 2 points per bucket); within() visits the buckets
// overlapping the disc; nearest() grows rings of buckets until the k-th distance
// is certain. Thread-safety: const methods may run concurrently.

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace hotspot::core {

class PointIndex {
 public:
  PointIndex(std::span<const double> x_m, std::span<const double> y_m);

  [[nodiscard]] std::size_t size() const { return m_x.size(); }

  // Calls fn(j, squared distance) for every j != i with distance <= radius_m
  // (compared as squared distances), in no particular order.
  void within(uint32_t i, double radius_m, const std::function<void(uint32_t, double)>& fn) const;
  // The k nearest j != i by (distance, index), nearest first (fewer if size() <= k).
  // `d2` (optional) receives their squared distances.
  void nearest(uint32_t i, unsigned k, std::vector<uint32_t>& out, std::vector<double>* d2 = nullptr) const;
  // Distance from i to its nearest neighbour at a distance > 0 (coincident points
  // skipped), or +inf when every other point coincides with i.
  [[nodiscard]] double nearest_nonzero_distance(uint32_t i) const;

 private:
  [[nodiscard]] int64_t bucket_x(double x) const;
  [[nodiscard]] int64_t bucket_y(double y) const;
  std::span<const double> m_x, m_y;
  double m_x0 = 0, m_y0 = 0, m_bucket = 1, m_inv = 1;
  int64_t m_cols = 1, m_rows = 1;
  std::vector<uint32_t> m_start;  // CSR over buckets (row-major), size cols*rows+1
  std::vector<uint32_t> m_items;  // point indices sorted by bucket
};

}  // namespace hotspot::core
