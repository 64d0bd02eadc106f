#include "core/evaluate/panel.hpp"

#include <algorithm>
#include <cmath>

#include "core/base/assert.hpp"
#include "core/evaluate/distributions.hpp"

namespace hotspot::core {

const char* describe(GlmError e) {
  switch (e) {
    case GlmError::no_data: return "no rows to fit";
    case GlmError::singular: return "the design is singular (a column is constant or a copy of others)";
    case GlmError::not_converged: return "the fit did not converge (a fitted count runs to 0 or infinity)";
  }
  return "unknown error";
}

namespace {

// In-place Cholesky factorisation of the symmetric p x p matrix `a` (row-major):
// a = L L', L in the lower triangle. False when `a` is not positive definite.
bool cholesky(std::vector<double>& a, std::size_t p) {
  double scale = 0;
  for (std::size_t i = 0; i < p; ++i) scale = std::max(scale, std::fabs(a[i * p + i]));
  const double eps = 1e-12 * std::max(scale, 1e-300);
  for (std::size_t j = 0; j < p; ++j) {
    double d = a[j * p + j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j * p + k] * a[j * p + k];
    if (!(d > eps)) return false;
    d = std::sqrt(d);
    a[j * p + j] = d;
    for (std::size_t i = j + 1; i < p; ++i) {
      double s = a[i * p + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = s / d;
    }
  }
  return true;
}

// Solves L L' x = b with the factor from cholesky().
void cholesky_solve(const std::vector<double>& l, std::size_t p, std::vector<double>& b) {
  for (std::size_t i = 0; i < p; ++i) {
    double s = b[i];
    for (std::size_t k = 0; k < i; ++k) s -= l[i * p + k] * b[k];
    b[i] = s / l[i * p + i];
  }
  for (std::size_t i = p; i-- > 0;) {
    double s = b[i];
    for (std::size_t k = i + 1; k < p; ++k) s -= l[k * p + i] * b[k];
    b[i] = s / l[i * p + i];
  }
}

double poisson_deviance(std::span<const double> y, const std::vector<double>& mu) {
  double dev = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double yi = y[i];
    dev += (yi > 0 ? yi * std::log(yi / mu[i]) : 0.0) - (yi - mu[i]);
  }
  return 2.0 * dev;
}

}  // namespace

Result<PoissonFit, GlmError> fit_poisson(std::span<const double> x, std::size_t p, std::span<const double> y,
                                         std::span<const double> offset, int max_iterations, double tolerance) {
  using R = Result<PoissonFit, GlmError>;
  HOTSPOT_ASSERT(p >= 1);
  HOTSPOT_ASSERT(x.size() == y.size() * p);
  HOTSPOT_ASSERT(offset.empty() || offset.size() == y.size());
  const std::size_t n = y.size();
  if (n == 0) return R::failure(GlmError::no_data, describe(GlmError::no_data));
  auto off = [&](std::size_t i) { return offset.empty() ? 0.0 : offset[i]; };
  std::vector<double> mu(n), eta(n), z(n), a(p * p), b(p), beta(p, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    mu[i] = y[i] + 0.1;  // R's mustart for the Poisson family
    eta[i] = std::log(mu[i]);
  }
  double dev_old = poisson_deviance(y, mu);
  auto normal_equations = [&]() {
    std::fill(a.begin(), a.end(), 0.0);
    std::fill(b.begin(), b.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double w = mu[i];
      const double* row = x.data() + i * p;
      for (std::size_t j = 0; j < p; ++j) {
        const double wx = w * row[j];
        b[j] += wx * z[i];
        for (std::size_t k = 0; k <= j; ++k) a[j * p + k] += wx * row[k];
      }
    }
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t k = j + 1; k < p; ++k) a[j * p + k] = a[k * p + j];
  };
  PoissonFit fit;
  bool converged = false;
  for (int it = 1; it <= max_iterations; ++it) {
    for (std::size_t i = 0; i < n; ++i) z[i] = eta[i] - off(i) + (y[i] - mu[i]) / mu[i];
    normal_equations();
    if (!cholesky(a, p)) return R::failure(GlmError::singular, describe(GlmError::singular));
    beta = b;
    cholesky_solve(a, p, beta);
    for (std::size_t i = 0; i < n; ++i) {
      double e = off(i);
      const double* row = x.data() + i * p;
      for (std::size_t j = 0; j < p; ++j) e += row[j] * beta[j];
      eta[i] = e;
      mu[i] = std::exp(e);
      if (!std::isfinite(mu[i]) || mu[i] <= 0.0)
        return R::failure(GlmError::not_converged, describe(GlmError::not_converged));
    }
    const double dev = poisson_deviance(y, mu);
    fit.iterations = it;
    if (std::fabs(dev - dev_old) / (std::fabs(dev) + 0.1) < tolerance) {
      converged = true;
      break;
    }
    dev_old = dev;
  }
  if (!converged) return R::failure(GlmError::not_converged, describe(GlmError::not_converged));
  // Information at the final fit, inverted column by column for the standard errors.
  for (std::size_t i = 0; i < n; ++i) z[i] = 0.0;
  normal_equations();
  if (!cholesky(a, p)) return R::failure(GlmError::singular, describe(GlmError::singular));
  fit.beta = beta;
  fit.se.resize(p);
  std::vector<double> e(p);
  for (std::size_t j = 0; j < p; ++j) {
    std::fill(e.begin(), e.end(), 0.0);
    e[j] = 1.0;
    cholesky_solve(a, p, e);
    fit.se[j] = std::sqrt(e[j]);
  }
  fit.deviance = poisson_deviance(y, mu);
  for (std::size_t i = 0; i < n; ++i) fit.pearson_chi2 += (y[i] - mu[i]) * (y[i] - mu[i]) / mu[i];
  fit.df_residual = n > p ? n - p : 0;
  if (fit.df_residual > 0) fit.dispersion = fit.pearson_chi2 / static_cast<double>(fit.df_residual);
  return fit;
}

Result<PanelDid, EffectError> did_panel(std::span<const double> treated, std::span<const double> control,
                                        std::span<const uint8_t> after, double confidence) {
  using R = Result<PanelDid, EffectError>;
  HOTSPOT_ASSERT(treated.size() == control.size() && treated.size() == after.size());
  double t[2] = {0, 0}, c[2] = {0, 0};
  std::size_t used[2] = {0, 0};
  for (std::size_t m = 0; m < treated.size(); ++m) {
    const int w = after[m] ? 1 : 0;
    t[w] += treated[m];
    c[w] += control[m];
    if (treated[m] + control[m] > 0) ++used[w];
  }
  if (used[0] == 0 || used[1] == 0)
    return R::failure(EffectError::too_few_months, "no month with incidents in the before or the after window");
  if (t[0] == 0 || t[1] == 0 || c[0] == 0 || c[1] == 0)
    return R::failure(EffectError::zero_cell, describe(EffectError::zero_cell));
  PanelDid d;
  const double log_rr = std::log(t[1]) - std::log(t[0]) - std::log(c[1]) + std::log(c[0]);
  const double var = 1.0 / t[0] + 1.0 / t[1] + 1.0 / c[0] + 1.0 / c[1];
  d.poisson = ratio_interval(log_rr, var, confidence);
  d.months_used = used[0] + used[1];
  // Fitted values of the month-effects model: each month's total split by the
  // window's treated share.
  const double share[2] = {t[0] / (t[0] + c[0]), t[1] / (t[1] + c[1])};
  double pearson = 0;
  for (std::size_t m = 0; m < treated.size(); ++m) {
    const double total = treated[m] + control[m];
    if (total <= 0) continue;
    const double s = share[after[m] ? 1 : 0];
    const double r = treated[m] - total * s;
    pearson += r * r / (total * s * (1.0 - s));
  }
  d.df = d.months_used >= 3 ? d.months_used - 2 : 0;
  if (d.df > 0) d.dispersion = pearson / static_cast<double>(d.df);
  d.quasi = ratio_interval(log_rr, var * std::max(1.0, d.dispersion.value_or(1.0)), confidence);
  return d;
}

Result<TrendTest, EffectError> pre_trend(std::span<const double> treated, std::span<const double> control,
                                         double confidence) {
  using R = Result<TrendTest, EffectError>;
  HOTSPOT_ASSERT(treated.size() == control.size());
  std::vector<double> u, y, n;
  for (std::size_t m = 0; m < treated.size(); ++m) {
    const double total = treated[m] + control[m];
    if (total <= 0) continue;
    u.push_back(static_cast<double>(m));
    y.push_back(treated[m]);
    n.push_back(total);
  }
  if (u.size() < 3)
    return R::failure(EffectError::too_few_months, "fewer than 3 months with incidents in the before window");
  double sy = 0, sn = 0, su = 0;
  for (std::size_t i = 0; i < u.size(); ++i) {
    sy += y[i];
    sn += n[i];
    su += u[i];
  }
  if (sy == 0 || sy == sn)
    return R::failure(EffectError::zero_cell, "one area has no incidents in the before window");
  const double ubar = su / static_cast<double>(u.size());
  for (auto& v : u) v -= ubar;
  double a = std::log(sy / (sn - sy)), b = 0;
  TrendTest r;
  bool converged = false;
  double i00 = 0, i01 = 0, i11 = 0;
  for (int it = 1; it <= 100; ++it) {
    double g0 = 0, g1 = 0;
    i00 = i01 = i11 = 0;
    for (std::size_t i = 0; i < u.size(); ++i) {
      const double pi = 1.0 / (1.0 + std::exp(-(a + b * u[i])));
      const double w = n[i] * pi * (1.0 - pi);
      const double res = y[i] - n[i] * pi;
      g0 += res;
      g1 += res * u[i];
      i00 += w;
      i01 += w * u[i];
      i11 += w * u[i] * u[i];
    }
    const double det = i00 * i11 - i01 * i01;
    if (!(det > 0)) return R::failure(EffectError::too_few_months, "the trend model is singular");
    const double da = (i11 * g0 - i01 * g1) / det, db = (i00 * g1 - i01 * g0) / det;
    a += da;
    b += db;
    r.iterations = it;
    if (!std::isfinite(a) || !std::isfinite(b)) break;
    if (std::fabs(da) < 1e-12 * (1.0 + std::fabs(a)) && std::fabs(db) < 1e-12 * (1.0 + std::fabs(b))) {
      converged = true;
      break;
    }
  }
  if (!converged) return R::failure(EffectError::zero_cell, "the trend model did not converge (counts too sparse)");
  // Information and Pearson statistic at the solution.
  double pearson = 0;
  i00 = i01 = i11 = 0;
  for (std::size_t i = 0; i < u.size(); ++i) {
    const double pi = 1.0 / (1.0 + std::exp(-(a + b * u[i])));
    const double w = n[i] * pi * (1.0 - pi);
    const double res = y[i] - n[i] * pi;
    i00 += w;
    i01 += w * u[i];
    i11 += w * u[i] * u[i];
    pearson += res * res / w;
  }
  const double det = i00 * i11 - i01 * i01;
  r.slope = b;
  r.se = std::sqrt(i00 / det);
  r.months_used = u.size();
  if (u.size() > 2) r.dispersion = pearson / static_cast<double>(u.size() - 2);
  r.se_adjusted = r.se * std::sqrt(std::max(1.0, r.dispersion.value_or(1.0)));
  r.z = r.slope / r.se_adjusted;
  r.p = two_sided_p(r.z);
  const double zc = critical_z(confidence);
  r.low = r.slope - zc * r.se_adjusted;
  r.high = r.slope + zc * r.se_adjusted;
  return r;
}

}  // namespace hotspot::core
