#include "core/evaluate/panel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/random.hpp"

using namespace hotspot::core;

namespace {

struct Panel {
  std::vector<double> treated, control, exposure;
  std::vector<uint8_t> after;
};

// tests/fixtures/evaluate/panel.csv: month,treated,control,after,exposure.
Panel read_panel() {
  Panel p;
  std::ifstream in(std::string(HOTSPOT_FIXTURES_DIR) + "/evaluate/panel.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string f[5];
    for (auto& s : f) std::getline(ss, s, ',');
    p.treated.push_back(std::stod(f[1]));
    p.control.push_back(std::stod(f[2]));
    p.after.push_back(static_cast<uint8_t>(std::stoi(f[3])));
    p.exposure.push_back(std::stod(f[4]));
  }
  return p;
}

// tests/fixtures/evaluate/glm_reference.csv: R's glm() (scripts/fixtures/evaluate_glm_reference.R).
std::map<std::string, double> read_reference() {
  std::map<std::string, double> ref;
  std::ifstream in(std::string(HOTSPOT_FIXTURES_DIR) + "/evaluate/glm_reference.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto comma = line.find(',');
    ref[line.substr(0, comma)] = std::stod(line.substr(comma + 1));
  }
  return ref;
}

// The long design of the month-effects model: one dummy per month, treated, and
// treated x covariate (after, or the centred month for the trend model).
void month_effects_design(const Panel& p, std::size_t months, bool trend, std::vector<double>& x,
                          std::vector<double>& y, std::size_t& columns) {
  columns = months + 2;
  x.clear();
  y.clear();
  const double centre = (static_cast<double>(months) - 1.0) / 2.0;
  for (int area = 0; area < 2; ++area)
    for (std::size_t m = 0; m < months; ++m) {
      std::vector<double> row(columns, 0.0);
      row[m] = 1.0;
      const double treated = area == 0 ? 1.0 : 0.0;
      row[months] = treated;
      row[months + 1] = treated * (trend ? static_cast<double>(m) - centre : p.after[m]);
      x.insert(x.end(), row.begin(), row.end());
      y.push_back(area == 0 ? p.treated[m] : p.control[m]);
    }
}

}  // namespace

TEST(FitPoisson, MatchesRGlmOnTheMonthEffectsDid) {
  const Panel p = read_panel();
  auto ref = read_reference();
  ASSERT_EQ(p.treated.size(), 24u);
  std::vector<double> x, y;
  std::size_t columns = 0;
  month_effects_design(p, 24, false, x, y, columns);
  auto fit = fit_poisson(x, columns, y);
  ASSERT_TRUE(fit.ok()) << fit.error().message;
  EXPECT_NEAR(fit->beta[25], ref["did_delta"], 1e-10);
  EXPECT_NEAR(fit->se[25], ref["did_se"], 1e-10);
  EXPECT_NEAR(fit->beta[24], ref["did_treated"], 1e-10);
  EXPECT_NEAR(fit->deviance, ref["did_deviance"], 1e-9);
  EXPECT_NEAR(fit->pearson_chi2, ref["did_pearson"], 1e-9);
  EXPECT_EQ(static_cast<double>(fit->df_residual), ref["did_df"]);
  ASSERT_TRUE(fit->dispersion.has_value());
  EXPECT_NEAR(*fit->dispersion, ref["did_dispersion"], 1e-10);
}

TEST(FitPoisson, MatchesRGlmWithACovariateAndAnOffset) {
  const Panel p = read_panel();
  auto ref = read_reference();
  std::vector<double> x, offset;
  for (std::size_t m = 0; m < p.treated.size(); ++m) {
    x.insert(x.end(), {1.0, static_cast<double>(m + 1), static_cast<double>(p.after[m])});
    offset.push_back(std::log(p.exposure[m]));
  }
  auto fit = fit_poisson(x, 3, p.treated, offset);
  ASSERT_TRUE(fit.ok());
  EXPECT_NEAR(fit->beta[0], ref["offset_b0"], 1e-10);
  EXPECT_NEAR(fit->beta[1], ref["offset_b1"], 1e-10);
  EXPECT_NEAR(fit->beta[2], ref["offset_b2"], 1e-10);
  EXPECT_NEAR(fit->se[0], ref["offset_se0"], 1e-10);
  EXPECT_NEAR(fit->se[1], ref["offset_se1"], 1e-10);
  EXPECT_NEAR(fit->se[2], ref["offset_se2"], 1e-10);
  EXPECT_NEAR(fit->deviance, ref["offset_deviance"], 1e-9);
}

TEST(FitPoisson, SingularDesignIsAnError) {
  const std::vector<double> x = {1, 2, 1, 2, 1, 2};  // column 2 = 2 x column 1
  const std::vector<double> y = {3, 4, 5};
  auto fit = fit_poisson(x, 2, y);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.error().code, GlmError::singular);
  EXPECT_EQ(fit_poisson({}, 1, {}).error().code, GlmError::no_data);
}

TEST(DidPanel, ClosedFormMatchesRGlm) {
  const Panel p = read_panel();
  auto ref = read_reference();
  auto d = did_panel(p.treated, p.control, p.after, 0.95);
  ASSERT_TRUE(d.ok());
  EXPECT_NEAR(d->poisson.log_ratio, ref["did_delta"], 1e-12);
  EXPECT_NEAR(d->poisson.se, ref["did_se"], 1e-10);  // R: weights of its last iteration
  ASSERT_TRUE(d->dispersion.has_value());
  EXPECT_NEAR(*d->dispersion, ref["did_dispersion"], 1e-12);
  EXPECT_EQ(d->df, 22u);
  EXPECT_EQ(d->months_used, 24u);
  // phi < 1 never narrows the interval.
  EXPECT_DOUBLE_EQ(d->quasi.se, d->poisson.se);
}

TEST(DidPanel, RateRatioIsTheReciprocalOfTheOddsRatio) {
  const Panel p = read_panel();
  auto d = did_panel(p.treated, p.control, p.after);
  double t0 = 0, t1 = 0, c0 = 0, c1 = 0;
  for (std::size_t m = 0; m < 24; ++m) (p.after[m] ? t1 : t0) += p.treated[m], (p.after[m] ? c1 : c0) += p.control[m];
  auto o = odds_ratio({t0, t1, c0, c1});
  ASSERT_TRUE(d.ok() && o.ok());
  EXPECT_NEAR(d->poisson.ratio * o->odds_ratio, 1.0, 1e-14);
  EXPECT_NEAR(d->poisson.variance, o->poisson.variance, 1e-15);
}

// Model-based: on random panels (including empty months) the closed form equals
// the IRLS fit of the full month-effects Poisson model.
TEST(DidPanel, ClosedFormEqualsTheIrlsFitOnRandomPanels) {
  hotspot::Rng rng(20240601);
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t months = 6 + rng.below(20);
    Panel p;
    for (std::size_t m = 0; m < months; ++m) {
      const bool after = m >= months / 2;
      const double level = 2.0 + 50.0 * rng.uniform();
      p.treated.push_back(static_cast<double>(rng.poisson(level * 0.2 * (after ? 0.7 : 1.0))));
      p.control.push_back(static_cast<double>(rng.poisson(level)));
      p.after.push_back(after ? 1 : 0);
    }
    auto d = did_panel(p.treated, p.control, p.after);
    if (!d) continue;  // a zero window: no finite estimate, nothing to compare
    // IRLS on the months with incidents (empty months have no finite month effect).
    Panel used;
    for (std::size_t m = 0; m < months; ++m)
      if (p.treated[m] + p.control[m] > 0) {
        used.treated.push_back(p.treated[m]);
        used.control.push_back(p.control[m]);
        used.after.push_back(p.after[m]);
      }
    std::vector<double> x, y;
    std::size_t columns = 0;
    month_effects_design(used, used.treated.size(), false, x, y, columns);
    auto fit = fit_poisson(x, columns, y);
    ASSERT_TRUE(fit.ok()) << trial;
    EXPECT_NEAR(d->poisson.log_ratio, fit->beta[columns - 1], 1e-9) << trial;
    EXPECT_NEAR(d->poisson.se, fit->se[columns - 1], 1e-9) << trial;
    ASSERT_TRUE(d->dispersion && fit->dispersion);
    EXPECT_NEAR(*d->dispersion, *fit->dispersion, 1e-8) << trial;
  }
}

TEST(DidPanel, ZeroWindowAndMissingMonthsAreErrors) {
  const std::vector<double> t = {3, 4, 0, 0}, c = {30, 40, 35, 33};
  const std::vector<uint8_t> after = {0, 0, 1, 1};
  auto d = did_panel(t, c, after);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, EffectError::zero_cell);
  const std::vector<uint8_t> all_before = {0, 0, 0, 0};
  EXPECT_EQ(did_panel(t, c, all_before).error().code, EffectError::too_few_months);
}

TEST(PreTrend, MatchesRGlmWithADifferentialTrend) {
  const Panel p = read_panel();
  auto ref = read_reference();
  const std::vector<double> t(p.treated.begin(), p.treated.begin() + 12), c(p.control.begin(), p.control.begin() + 12);
  auto r = pre_trend(t, c, 0.95);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NEAR(r->slope, ref["trend_slope"], 1e-11);
  EXPECT_NEAR(r->se, ref["trend_se"], 1e-11);
  ASSERT_TRUE(r->dispersion.has_value());
  EXPECT_NEAR(*r->dispersion, ref["trend_dispersion"], 1e-10);
  EXPECT_EQ(r->months_used, 12u);
  EXPECT_GT(r->p, 0.5);  // no pre-existing divergence in this panel
  // The same model through the general IRLS.
  Panel pre;
  pre.treated = t;
  pre.control = c;
  pre.after.assign(12, 0);
  std::vector<double> x, y;
  std::size_t columns = 0;
  month_effects_design(pre, 12, true, x, y, columns);
  auto fit = fit_poisson(x, columns, y);
  ASSERT_TRUE(fit.ok());
  EXPECT_NEAR(fit->beta[columns - 1], r->slope, 1e-10);
  EXPECT_NEAR(fit->se[columns - 1], r->se, 1e-10);
}

TEST(PreTrend, DetectsADivergingTarget) {
  std::vector<double> t, c;
  for (int m = 0; m < 12; ++m) {
    t.push_back(std::round(20.0 * std::pow(1.08, m)));  // +8% a month
    c.push_back(400.0);
  }
  auto r = pre_trend(t, c);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(std::exp(r->slope) - 1.0, 0.08, 0.01);
  EXPECT_LT(r->p, 0.001);
}

TEST(PreTrend, TooFewMonthsOrAnEmptyAreaIsAnError) {
  const std::vector<double> t2 = {3, 4}, c2 = {30, 40};
  EXPECT_EQ(pre_trend(t2, c2).error().code, EffectError::too_few_months);
  const std::vector<double> t0 = {0, 0, 0, 0}, c4 = {30, 40, 35, 33};
  EXPECT_EQ(pre_trend(t0, c4).error().code, EffectError::zero_cell);
}
