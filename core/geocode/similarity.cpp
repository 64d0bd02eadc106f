#include "core/geocode/similarity.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "core/base/assert.hpp"

namespace hotspot::core::geocode {

namespace {

constexpr int kFar = 1 << 20;

// Three DP rows over b, for a band of width 2k+1 around the diagonal.
int osa_banded(std::string_view a, std::string_view b, int k, int* prev2, int* prev, int* cur) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  for (int j = 0; j <= m; ++j) prev[j] = j <= k ? j : kFar;
  for (int j = 0; j <= m; ++j) prev2[j] = kFar;
  for (int i = 1; i <= n; ++i) {
    const int lo = std::max(1, i - k), hi = std::min(m, i + k);
    for (int j = 0; j <= m; ++j) cur[j] = kFar;
    cur[0] = i <= k ? i : kFar;
    int row_min = cur[0];
    const char ca = a[static_cast<std::size_t>(i - 1)];
    for (int j = lo; j <= hi; ++j) {
      const char cb = b[static_cast<std::size_t>(j - 1)];
      int v = prev[j - 1] + (ca == cb ? 0 : 1);
      v = std::min(v, prev[j] + 1);
      v = std::min(v, cur[j - 1] + 1);
      if (i > 1 && j > 1 && ca == b[static_cast<std::size_t>(j - 2)] &&
          a[static_cast<std::size_t>(i - 2)] == cb)
        v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > k) return k + 1;
    int* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return std::min(prev[m], k + 1);
}

}  // namespace

int osa_distance(std::string_view a, std::string_view b, int max_edits) {
  HOTSPOT_ASSERT(max_edits >= 0 && max_edits <= 8);
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max_edits) return max_edits + 1;
  if (a == b) return 0;
  if (m < 128) {
    std::array<int, 129> r0{}, r1{}, r2{};
    return osa_banded(a, b, max_edits, r0.data(), r1.data(), r2.data());
  }
  std::vector<int> r0(static_cast<std::size_t>(m) + 1), r1(r0.size()), r2(r0.size());
  return osa_banded(a, b, max_edits, r0.data(), r1.data(), r2.data());
}

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const std::size_t la = a.size(), lb = b.size();
  const std::size_t window = std::max(la, lb) / 2 > 0 ? std::max(la, lb) / 2 - 1 : 0;
  std::vector<char> ma(la, 0), mb(lb, 0);
  std::size_t matches = 0;
  for (std::size_t i = 0; i < la; ++i) {
    const std::size_t lo = i > window ? i - window : 0, hi = std::min(lb, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (mb[j] || a[i] != b[j]) continue;
      ma[i] = mb[j] = 1;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  for (std::size_t i = 0, j = 0; i < la; ++i) {
    if (!ma[i]) continue;
    while (!mb[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(la) + m / static_cast<double>(lb) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

uint32_t letter_mask(std::string_view s) {
  uint32_t mask = 0;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') mask |= 1u << (c - 'A');
    else if (c >= '0' && c <= '9') mask |= 1u << 26;
    else if (c == ' ') mask |= 1u << 27;
    else mask |= 1u << 28;
  }
  return mask;
}

}  // namespace hotspot::core::geocode
