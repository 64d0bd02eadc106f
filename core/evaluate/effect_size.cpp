#include "core/evaluate/effect_size.hpp"

#include <algorithm>
#include <cmath>

#include "core/base/assert.hpp"
#include "core/evaluate/distributions.hpp"

namespace hotspot::core {

const char* describe(EffectError e) {
  switch (e) {
    case EffectError::no_treated_incidents:
      return "no incidents in the treated area in either window: no effect can be measured";
    case EffectError::no_control_incidents:
      return "no incidents in the control area in either window: no comparison is possible";
    case EffectError::bad_count: return "a count is negative or not finite";
    case EffectError::no_sites: return "no site has an effect to pool";
    case EffectError::bad_variance: return "a site's variance is not positive and finite";
    case EffectError::zero_cell:
      return "one area has no incidents in one window: the log rate ratio is not finite";
    case EffectError::too_few_months: return "too few months with incidents for the test";
  }
  return "unknown error";
}

double farrington_d(double count) { return 0.0008 * count + 1.2; }

RatioInterval ratio_interval(double log_ratio, double variance, double confidence) {
  HOTSPOT_ASSERT(variance > 0.0 && std::isfinite(variance));
  RatioInterval r;
  r.log_ratio = log_ratio;
  r.ratio = std::exp(log_ratio);
  r.variance = variance;
  r.se = std::sqrt(variance);
  const double zc = critical_z(confidence);
  r.low = std::exp(log_ratio - zc * r.se);
  r.high = std::exp(log_ratio + zc * r.se);
  r.z = log_ratio / r.se;
  r.p = two_sided_p(r.z);
  return r;
}

Result<OddsRatio, EffectError> odds_ratio(const TwoByTwo& t, Overdispersion od, double confidence) {
  const double cells[4] = {t.treated_before, t.treated_after, t.control_before, t.control_after};
  for (double v : cells)
    if (!(v >= 0.0) || !std::isfinite(v)) return Result<OddsRatio, EffectError>::failure(EffectError::bad_count, describe(EffectError::bad_count));
  if (t.treated_before == 0.0 && t.treated_after == 0.0)
    return Result<OddsRatio, EffectError>::failure(EffectError::no_treated_incidents,
                                                   describe(EffectError::no_treated_incidents));
  if (t.control_before == 0.0 && t.control_after == 0.0)
    return Result<OddsRatio, EffectError>::failure(EffectError::no_control_incidents,
                                                   describe(EffectError::no_control_incidents));
  OddsRatio r;
  r.counts = t;
  r.confidence = confidence;
  r.zero_corrected = std::any_of(std::begin(cells), std::end(cells), [](double v) { return v == 0.0; });
  r.small_counts = std::any_of(std::begin(cells), std::end(cells), [](double v) { return v < 5.0; });
  const double add = r.zero_corrected ? 0.5 : 0.0;
  const double a = t.treated_before + add, b = t.treated_after + add;
  const double c = t.control_before + add, d = t.control_after + add;
  r.odds_ratio = (a * d) / (b * c);
  r.relative_change_pct = (1.0 / r.odds_ratio - 1.0) * 100.0;
  const double log_or = std::log(a) + std::log(d) - std::log(b) - std::log(c);
  const double var = 1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d;
  r.poisson = ratio_interval(log_or, var, confidence);
  double adjusted = var;
  switch (od.kind) {
    case Overdispersion::Kind::none: break;
    case Overdispersion::Kind::factor: adjusted = var * std::max(1.0, od.phi); break;
    case Overdispersion::Kind::farrington:
      adjusted = farrington_d(a) / a + farrington_d(b) / b + farrington_d(c) / c + farrington_d(d) / d;
      break;
  }
  r.adjusted = ratio_interval(log_or, adjusted, confidence);
  r.inflation = adjusted / var;
  return r;
}

Result<PooledEffect, EffectError> pool_effects(std::span<const SiteEffect> sites, double confidence) {
  using R = Result<PooledEffect, EffectError>;
  if (sites.empty()) return R::failure(EffectError::no_sites, describe(EffectError::no_sites));
  double sw = 0, swy = 0, sw2 = 0;
  for (const auto& s : sites) {
    if (!(s.variance > 0.0) || !std::isfinite(s.variance) || !std::isfinite(s.log_effect))
      return R::failure(EffectError::bad_variance, describe(EffectError::bad_variance));
    const double w = 1.0 / s.variance;
    sw += w;
    swy += w * s.log_effect;
    sw2 += w * w;
  }
  PooledEffect p;
  p.sites = sites.size();
  const double fixed = swy / sw;
  p.fixed = ratio_interval(fixed, 1.0 / sw, confidence);
  for (const auto& s : sites) p.q += (s.log_effect - fixed) * (s.log_effect - fixed) / s.variance;
  p.df = static_cast<double>(sites.size()) - 1.0;
  if (sites.size() > 1) {
    p.q_p = chi_square_upper(p.q, p.df);
    p.i2 = p.q > 0.0 ? std::max(0.0, (p.q - p.df) / p.q) : 0.0;
    const double denom = sw - sw2 / sw;
    p.tau2 = denom > 0.0 ? std::max(0.0, (p.q - p.df) / denom) : 0.0;
  }
  double rw = 0, rwy = 0;
  for (const auto& s : sites) {
    const double w = 1.0 / (s.variance + p.tau2);
    rw += w;
    rwy += w * s.log_effect;
  }
  p.random = ratio_interval(rwy / rw, 1.0 / rw, confidence);
  return p;
}

}  // namespace hotspot::core
