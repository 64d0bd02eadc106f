#pragma once
// Distribution functions for the evaluation statistics: the standard normal (CDF,
// two-sided p, quantile) and the chi-square upper tail (Cochran's Q in pooling).
//
//   double p = two_sided_p(-2.98);            // 0.00288
//   double z = normal_quantile(0.975);        // 1.959963984540054
//   double q = chi_square_upper(3.841459, 1); // 0.05
//
// Accuracy: normal_cdf uses std::erfc (full double precision); normal_quantile
// refines a tail-aware start with Halley steps on that CDF until the step is below
// 1e-15 (relative), so quantile(cdf(x)) == x to about 1e-14; chi_square_upper is the
// regularised upper incomplete gamma Q(k/2, x/2) by its series (x < k/2 + 1) or
// Lentz's continued fraction, relative error below 1e-13 for df up to 10^6.

namespace hotspot::core {

// P(Z <= z) for a standard normal Z.
double normal_cdf(double z);
// P(|Z| >= |z|) = 2 * P(Z >= |z|), without cancellation for large |z|.
double two_sided_p(double z);
// The z with normal_cdf(z) == p. Requires: 0 < p < 1.
double normal_quantile(double p);
// The two-sided critical value for a confidence level: 1.959964 for 0.95.
// Requires: 0 < confidence < 1.
double critical_z(double confidence);
// P(X >= x) for X chi-square with `df` degrees of freedom. Requires: df > 0; x >= 0.
double chi_square_upper(double x, double df);

}  // namespace hotspot::core
