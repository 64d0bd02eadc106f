#pragma once
// Monthly panels: a treated and a control area counted month by month.
//
// fit_poisson(): Poisson regression with a log link, fitted by iteratively reweighted
// least squares (IRLS) on a dense design (a few dozen columns): what R's
// glm(family = poisson) does, to the same convergence rule (|dev - dev_old| /
// (|dev| + 0.1) < tolerance). Standard errors from the inverse Fisher information at
// the final fit; dispersion = Pearson chi2 / residual df (quasi-Poisson).
// tests/fixtures/evaluate/glm_reference.csv holds R's answers (scripts/fixtures/
// evaluate_glm_reference.R regenerates them).
//
// did_panel(): difference in differences on monthly counts, the model
//   count[area, month] ~ Poisson(mu),  log mu = month + area + delta * treated * after
// (one effect per month: seasonality and district-wide trends cancel). With two areas
// its maximum-likelihood estimate has a closed form (the Poisson model conditioned on
// each month's total is a binomial model for the treated share):
//   exp(delta) = (T1 / T0) / (C1 / C0) = 1 / odds ratio,   VAR(delta) = 1/T0+1/T1+1/C0+1/C1
// so the rate ratio of ratios agrees exactly with the Farrington-Welsh odds ratio; what
// the panel adds is the month-to-month check of the Poisson assumption: the Pearson
// dispersion phi of this model (df = months - 2), used to widen the interval
// (quasi-Poisson: SE * sqrt(max(1, phi))). Months with no incident in either area carry
// no information and are left out (R would keep them with a fitted 0 and one more
// residual df). tests/core/evaluate/panel_test.cpp checks the closed form against
// fit_poisson() on the full month-effects design.
//
// pre_trend(): are the pre-period trends comparable? The same month-effects model on
// the before window with a differential linear trend instead of the after term:
//   log mu = month + area + beta * treated * (t - mean t)
// fitted as the equivalent binomial model for the treated share (logit link, IRLS).
// beta is the monthly change of log(treated / control); exp(beta) - 1 the treated
// area's extra growth per month. Its SE is widened by the Pearson dispersion like
// did_panel(). A small p says the areas were already diverging before the
// intervention: the control is then a doubtful counterfactual.
//
//   auto d = did_panel(target_monthly, control_monthly, after_flags, 0.95);
//   if (d) report(d->poisson.ratio, d->quasi.low, d->quasi.high, d->dispersion);

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/base/result.hpp"
#include "core/evaluate/effect_size.hpp"

namespace hotspot::core {

enum class GlmError : uint8_t { no_data, singular, not_converged };
const char* describe(GlmError e);

struct PoissonFit {
  std::vector<double> beta;  // one per column
  std::vector<double> se;    // sqrt(diag((X' W X)^-1))
  double deviance = 0;
  double pearson_chi2 = 0;
  std::size_t df_residual = 0;  // rows - columns
  std::optional<double> dispersion;  // pearson_chi2 / df_residual; none when df == 0
  int iterations = 0;
};

// x: rows x columns, row-major. offset: empty or one per row. y: counts >= 0.
// Requires: x.size() == y.size() * columns; columns >= 1.
Result<PoissonFit, GlmError> fit_poisson(std::span<const double> x, std::size_t columns,
                                         std::span<const double> y, std::span<const double> offset = {},
                                         int max_iterations = 100, double tolerance = 1e-12);

struct PanelDid {
  RatioInterval poisson;            // rate ratio of ratios exp(delta), Poisson variance
  std::optional<double> dispersion; // Pearson phi, df = months_used - 2 (none if df < 1)
  RatioInterval quasi;              // variance * max(1, phi)
  std::size_t months_used = 0;      // months with at least one incident in either area
  std::size_t df = 0;
};

// treated[m], control[m]: counts per month; after[m]: 0 before, 1 after (months of an
// implementation period must not be passed). Fails with zero_cell when an area has no
// incident in a window, too_few_months without a usable month in each window.
// Requires: equal lengths.
Result<PanelDid, EffectError> did_panel(std::span<const double> treated, std::span<const double> control,
                                        std::span<const uint8_t> after, double confidence = 0.95);

struct TrendTest {
  double slope = 0;       // beta: change of log(treated/control) per month
  double se = 0;          // Poisson (binomial) SE
  std::optional<double> dispersion;  // Pearson phi, df = months_used - 2
  double se_adjusted = 0; // se * sqrt(max(1, phi))
  double z = 0, p = 1;    // from se_adjusted
  double low = 0, high = 0;  // slope -+ z_crit se_adjusted
  std::size_t months_used = 0;
  int iterations = 0;
};

// treated[m], control[m]: the before window's monthly counts. Needs at least 3 months
// with incidents (too_few_months) and incidents in both areas (zero_cell).
Result<TrendTest, EffectError> pre_trend(std::span<const double> treated, std::span<const double> control,
                                         double confidence = 0.95);

}  // namespace hotspot::core
