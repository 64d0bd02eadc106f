#include "core/evaluate/distributions.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/base/assert.hpp"

namespace hotspot::core {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double two_sided_p(double z) { return std::erfc(std::fabs(z) / std::numbers::sqrt2); }

double normal_quantile(double p) {
  HOTSPOT_ASSERT_MSG(p > 0.0 && p < 1.0, "normal_quantile needs 0 < p < 1");
  // Work in the lower tail (q <= 0.5) and mirror: the CDF is accurate there.
  const bool upper = p > 0.5;
  const double q = upper ? 1.0 - p : p;
  if (q == 0.5) return 0.0;
  // Start: the tail approximation z ~ -sqrt(-2 ln q) corrected by one term, good to
  // a few percent everywhere in (0, 0.5).
  const double t = std::sqrt(-2.0 * std::log(q));
  double x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                       (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  // Halley's method on f(x) = Phi(x) - q, f' = phi(x), f'' = -x phi(x).
  for (int i = 0; i < 50; ++i) {
    const double f = normal_cdf(x) - q;
    const double d = std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
    if (d == 0.0) break;
    const double r = f / d;
    const double step = r / (1.0 + 0.5 * x * r);
    x -= step;
    if (std::fabs(step) <= 1e-15 * std::max(1.0, std::fabs(x))) break;
  }
  return upper ? -x : x;
}

double critical_z(double confidence) {
  HOTSPOT_ASSERT_MSG(confidence > 0.0 && confidence < 1.0, "confidence must be in (0, 1)");
  return normal_quantile(0.5 + confidence / 2.0);
}

namespace {

// Regularised lower incomplete gamma P(a, x) by its power series (x < a + 1).
double gamma_p_series(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < 100000; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * 1e-16) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Regularised upper incomplete gamma Q(a, x) by its continued fraction (x >= a + 1),
// evaluated with the modified Lentz method.
double gamma_q_fraction(double a, double x) {
  constexpr double tiny = std::numeric_limits<double>::min() / std::numeric_limits<double>::epsilon();
  double b = x + 1.0 - a;
  double c = 1.0 / tiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < 100000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < 1e-16) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

}  // namespace

double chi_square_upper(double x, double df) {
  HOTSPOT_ASSERT_MSG(df > 0.0, "chi-square needs df > 0");
  HOTSPOT_ASSERT_MSG(x >= 0.0, "chi-square statistic must be >= 0");
  if (x == 0.0) return 1.0;
  const double a = df / 2.0, h = x / 2.0;
  if (h < a + 1.0) return 1.0 - gamma_p_series(a, h);
  return gamma_q_fraction(a, h);
}

}  // namespace hotspot::core
