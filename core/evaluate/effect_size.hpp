#pragma once
// Relative effect size (the odds ratio of Farrington & Welsh) for one before/after,
// treated/control comparison, its over-dispersion adjustment, and inverse-variance
// pooling of several sites into one scheme-level effect.
//
// The 2x2 table (crime counts over equal or unequal windows; lengths cancel):
//                 before   after
//   treated (E)     a        b
//   control (C)     c        d
//   RES = OR = (a*d) / (b*c)         > 1: crime fell in E relative to C
//   ln OR, VAR(ln OR) = 1/a + 1/b + 1/c + 1/d      (Poisson counts)
//   CI = exp(ln OR -+ z * sqrt(VAR));  z = ln OR / sqrt(VAR);  p two-sided
//   relative change in E = (1/OR - 1) * 100 %      (-25 = a quarter fewer than expected)
// Source: Farrington, Gill, Waples & Argomaniz (2007), J Exp Criminol 3:21-38,
// Appendix "Measuring effect sizes" (research/peers.md 2.10).
//
// Zero and tiny counts (never a silent NaN or infinity):
//   - a = b = 0 (no incident in the treated area in either window) or c = d = 0:
//     no effect can be measured: EffectError::no_treated_incidents / no_control_incidents;
//   - another zero cell: 0.5 is added to every cell (Haldane-Anscombe correction),
//     flagged by `zero_corrected`; the interval is rough;
//   - any cell below 5: `small_counts` is set; the normal approximation is poor.
//
// Over-dispersion (crime counts vary more than Poisson; Marchant 2004 vs Farrington &
// Welsh 2004). The Poisson variance is always reported; `adjusted` applies one of:
//   - Overdispersion::factor(phi): VAR * phi (e.g. phi = the Pearson dispersion of the
//     monthly counts, core/evaluate/panel.hpp); phi < 1 is raised to 1 (never narrower);
//   - Overdispersion::farrington(): each count N contributes D(N)/N instead of 1/N,
//     with D(N) = 0.0008 N + 1.2, the variance/mean ratio Farrington et al. (2007)
//     estimated for crime counts of size N (research/peers.md 2.10 marks this value
//     [L]: taken from the literature, not checked against the paper). Per count, so a
//     district-sized control (tens of thousands) does not inflate a small target's
//     variance by the control's D; with four equal counts it equals VAR * D(N).
//     Note the floor: each count adds at least 0.0008 to VAR, so no comparison is
//     ever more precise than SE(ln OR) = 0.057.
//
//   auto r = odds_ratio({66, 51, 13200, 13900}, Overdispersion::factor(1.3));
//   if (r) use(r->odds_ratio, r->adjusted.low, r->adjusted.high, r->relative_change_pct);
//
// Pooling (pool_effects): fixed effect = inverse-variance weighted mean of ln OR
// (w = 1/VAR); random effects = DerSimonian & Laird (1986): Q = sum w (y - y_fixed)^2,
// tau^2 = max(0, (Q - (k-1)) / (sum w - sum w^2 / sum w)), w* = 1/(VAR + tau^2).
// Heterogeneity: Q with k-1 df and its p, I^2 = max(0, (Q - (k-1)) / Q).
// Sites must be independent: sites sharing one control area (the rest of a district)
// are positively correlated and the pooled interval is then somewhat too narrow.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/base/result.hpp"

namespace hotspot::core {

enum class EffectError : uint8_t {
  no_treated_incidents,  // a = b = 0
  no_control_incidents,  // c = d = 0
  bad_count,             // negative or non-finite count (a programming error upstream)
  no_sites,              // pooling an empty list
  bad_variance,          // a site variance that is not positive and finite
  zero_cell,             // a window with no incidents in one area: no finite log ratio
  too_few_months,        // a panel test with fewer usable months than it needs
};
const char* describe(EffectError e);

struct TwoByTwo {
  double treated_before = 0, treated_after = 0;
  double control_before = 0, control_after = 0;
};

// How VAR(ln OR) is widened for over-dispersion.
struct Overdispersion {
  enum class Kind : uint8_t { none, factor, farrington };
  Kind kind = Kind::none;
  double phi = 1.0;  // for Kind::factor

  static Overdispersion none() { return {}; }
  static Overdispersion factor(double phi) { return {Kind::factor, phi}; }
  static Overdispersion farrington() { return {Kind::farrington, 1.0}; }
};

// D(N) = 0.0008 N + 1.2 (see the header comment).
double farrington_d(double count);

// A ratio with its interval on the log scale.
struct RatioInterval {
  double ratio = 1;     // exp(log_ratio)
  double log_ratio = 0;
  double variance = 0;  // of log_ratio
  double se = 0;
  double low = 1, high = 1;  // exp(log_ratio -+ z se)
  double z = 0;              // log_ratio / se
  double p = 1;              // two-sided
};

struct OddsRatio {
  TwoByTwo counts;           // as given
  bool zero_corrected = false;  // 0.5 added to every cell
  bool small_counts = false;    // some cell below 5
  double odds_ratio = 1;     // (a d) / (b c), after any zero correction
  double relative_change_pct = 0;  // (1/OR - 1) * 100
  RatioInterval poisson;     // VAR = 1/a + 1/b + 1/c + 1/d
  RatioInterval adjusted;    // over-dispersion applied (== poisson for none)
  double inflation = 1;      // adjusted.variance / poisson.variance
  double confidence = 0.95;
};

// Requires: 0 < confidence < 1.
Result<OddsRatio, EffectError> odds_ratio(const TwoByTwo& counts, Overdispersion od = {}, double confidence = 0.95);

// A ratio interval from a log ratio and its variance. Requires: variance > 0.
RatioInterval ratio_interval(double log_ratio, double variance, double confidence);

struct SiteEffect {
  double log_effect = 0;  // ln OR of the site
  double variance = 0;    // VAR(ln OR) of the site, > 0
};

struct PooledEffect {
  std::size_t sites = 0;
  RatioInterval fixed;
  RatioInterval random;
  double q = 0;               // Cochran's Q
  double df = 0;              // sites - 1
  std::optional<double> q_p;  // P(chi2_df >= Q); none for a single site
  double i2 = 0;              // I^2 in [0, 1]
  double tau2 = 0;            // DerSimonian-Laird between-site variance
};

Result<PooledEffect, EffectError> pool_effects(std::span<const SiteEffect> sites, double confidence = 0.95);

}  // namespace hotspot::core
