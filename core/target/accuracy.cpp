// Hotspot accuracy: hit rate, PAI, PPAI, PEI and Levine's RRI for the top shares of
// area. See accuracy.hpp for the definitions and the selection rule.

#include "core/target/accuracy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace hotspot::core {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

// Units taken in `order` while their cumulative area fits `limit_m2` (the first one
// always). Returns how many.
std::size_t take_within(const std::vector<uint32_t>& order, std::span<const double> area, double limit_m2,
                        bool first_always) {
  const double tol = limit_m2 * 1e-9;
  double sum = 0;
  std::size_t k = 0;
  for (uint32_t u : order) {
    if (sum + area[u] > limit_m2 + tol && !(first_always && k == 0)) break;
    sum += area[u];
    ++k;
  }
  return k;
}

}  // namespace

const char* describe(AccuracyError e) {
  switch (e) {
    case AccuracyError::empty: return "there are no units to evaluate";
    case AccuracyError::size_mismatch: return "prediction, fit_count, test_count and area_m2 differ in length";
    case AccuracyError::bad_value:
      return "a count is negative or not a number, an area is not positive, or an area share is outside (0, 1]";
  }
  return "unknown accuracy error";
}

Result<AccuracyTable, AccuracyError> hotspot_accuracy(const AccuracyInput& in, const AccuracyOptions& o) {
  using R = Result<AccuracyTable, AccuracyError>;
  const std::size_t n = in.prediction.size();
  if (n == 0) return R::failure(AccuracyError::empty, describe(AccuracyError::empty));
  if (in.fit_count.size() != n || in.test_count.size() != n || in.area_m2.size() != n)
    return R::failure(AccuracyError::size_mismatch,
                      "prediction has " + std::to_string(n) + " units, fit_count " + std::to_string(in.fit_count.size()) +
                          ", test_count " + std::to_string(in.test_count.size()) + ", area_m2 " +
                          std::to_string(in.area_m2.size()));
  for (std::size_t i = 0; i < n; ++i) {
    auto bad_count = [](double v) { return !std::isfinite(v) || v < 0; };
    if (bad_count(in.fit_count[i]) || bad_count(in.test_count[i]))
      return R::failure(AccuracyError::bad_value, "unit " + std::to_string(i) + ": a count is negative or not a number");
    if (!std::isfinite(in.area_m2[i]) || in.area_m2[i] <= 0)
      return R::failure(AccuracyError::bad_value, "unit " + std::to_string(i) + ": area is not positive");
  }
  for (double s : o.area_shares)
    if (!(s > 0 && s <= 1))
      return R::failure(AccuracyError::bad_value, "area share " + std::to_string(s) + " is outside (0, 1]");
  if (!(o.ppai_alpha >= 0 && o.ppai_alpha <= 1))
    return R::failure(AccuracyError::bad_value, "PPAI alpha is outside [0, 1]");

  AccuracyTable t;
  t.units = n;
  t.ppai_alpha = o.ppai_alpha;
  for (std::size_t i = 0; i < n; ++i) {
    t.total_area_m2 += in.area_m2[i];
    t.test_total += in.test_count[i];
    t.fit_total += in.fit_count[i];
  }
  // The prediction order: NaN predictions are never selected.
  std::vector<uint32_t> order;
  order.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    if (!std::isnan(in.prediction[i])) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (in.prediction[a] != in.prediction[b]) return in.prediction[a] > in.prediction[b];
    if (in.fit_count[a] != in.fit_count[b]) return in.fit_count[a] > in.fit_count[b];
    return a < b;
  });
  // The best possible order for the test period: densest first (exact for equal
  // areas; a greedy bound otherwise).
  std::vector<uint32_t> best(n);
  std::iota(best.begin(), best.end(), 0u);
  std::sort(best.begin(), best.end(), [&](uint32_t a, uint32_t b) {
    const double da = in.test_count[a] / in.area_m2[a], db = in.test_count[b] / in.area_m2[b];
    if (da != db) return da > db;
    return a < b;
  });

  for (double share : o.area_shares) {
    AccuracyRow r;
    r.target_area_share = share;
    const std::size_t k = order.empty() ? 0 : take_within(order, in.area_m2, share * t.total_area_m2, true);
    r.units = k;
    for (std::size_t j = 0; j < k; ++j) {
      const uint32_t u = order[j];
      r.area_m2 += in.area_m2[u];
      r.hits += in.test_count[u];
      r.fit_hits += in.fit_count[u];
    }
    r.area_share = r.area_m2 / t.total_area_m2;
    const std::size_t kb = take_within(best, in.area_m2, r.area_m2, false);
    for (std::size_t j = 0; j < kb; ++j) r.best_hits += in.test_count[best[j]];
    r.best_hits = std::max(r.best_hits, r.hits);
    r.hit_rate = ratio(r.hits, t.test_total);
    r.pai = r.area_share > 0 ? r.hit_rate / r.area_share : kNaN;
    r.ppai = r.area_share > 0 ? r.hit_rate / std::pow(r.area_share, o.ppai_alpha) : kNaN;
    r.pei = t.test_total > 0 ? ratio(r.hits, r.best_hits) : kNaN;
    if (t.test_total > 0 && t.fit_total > 0 && r.fit_hits > 0)
      r.rri = (r.hits / r.fit_hits) / (t.test_total / t.fit_total);
    else
      r.rri = kNaN;
    if (r.units == 0) r.pai = r.ppai = r.pei = r.rri = kNaN;
    t.rows.push_back(r);
  }
  return t;
}

}  // namespace hotspot::core
