#include "core/stats/mann_kendall.hpp"

#include <algorithm>
#include <cmath>

#include "core/base/assert.hpp"
#include "core/stats/local_stats.hpp"

namespace hotspot::core {

MannKendall mann_kendall(std::span<const double> x, std::vector<double>* scratch) {
  MannKendall r;
  const std::size_t n = x.size();
  r.n = n;
  for (double v : x) HOTSPOT_ASSERT(std::isfinite(v));
  if (n < 2) return r;
  int64_t s = 0;
  for (std::size_t i = 0; i + 1 < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) s += (x[j] > x[i]) - (x[j] < x[i]);
  r.s = s;
  const double nd = static_cast<double>(n);
  r.tau = static_cast<double>(s) / (nd * (nd - 1) / 2);
  std::vector<double> local;
  std::vector<double>& sorted = scratch ? *scratch : local;
  sorted.assign(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  double ties = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && sorted[j] == sorted[i]) ++j;
    const double t = static_cast<double>(j - i);
    if (j - i > 1) {
      ties += t * (t - 1) * (2 * t + 5);
      ++r.tie_groups;
    }
    i = j;
  }
  r.var_s = (nd * (nd - 1) * (2 * nd + 5) - ties) / 18.0;
  if (!(r.var_s > 0) || s == 0) {
    r.z = 0;
    r.p = 1;
    return r;
  }
  const double sd = std::sqrt(r.var_s);
  r.z = s > 0 ? (static_cast<double>(s) - 1) / sd : (static_cast<double>(s) + 1) / sd;
  r.p = normal_p_two_sided(r.z);
  return r;
}

}  // namespace hotspot::core
