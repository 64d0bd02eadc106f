#include "core/evaluate/effect_size.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace hotspot::core;

// Hand computation (python, double precision) for a = 100, b = 75, c = 200, d = 220:
// OR = 22000/15000, VAR = 1/100 + 1/75 + 1/200 + 1/220.
TEST(OddsRatio, HandComputedExample) {
  auto r = odds_ratio({100, 75, 200, 220});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->odds_ratio, 1.4666666666666666, 1e-15);
  EXPECT_NEAR(r->poisson.variance, 0.032878787878787882, 1e-16);
  EXPECT_NEAR(r->poisson.low, 1.0279860618628311, 1e-13);
  EXPECT_NEAR(r->poisson.high, 2.0925489079229789, 1e-13);
  EXPECT_NEAR(r->poisson.z, 2.1121856577974625, 1e-13);
  EXPECT_NEAR(r->poisson.p, 0.034670528188510331, 1e-14);
  EXPECT_NEAR(r->relative_change_pct, -31.818181818181813, 1e-12);
  EXPECT_FALSE(r->zero_corrected);
  EXPECT_FALSE(r->small_counts);
  // No over-dispersion asked: the adjusted interval is the Poisson one.
  EXPECT_DOUBLE_EQ(r->adjusted.low, r->poisson.low);
  EXPECT_DOUBLE_EQ(r->inflation, 1.0);
}

TEST(OddsRatio, ReductionInTreatedAreaGivesOddsRatioAboveOne) {
  // Treated halves, control unchanged: OR = 2, relative change -50%.
  auto r = odds_ratio({200, 100, 1000, 1000});
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->odds_ratio, 2.0);
  EXPECT_NEAR(r->relative_change_pct, -50.0, 1e-12);
  EXPECT_GT(r->poisson.low, 1.0);
}

TEST(OddsRatio, OverdispersionFactorWidensTheIntervalNeverNarrows) {
  auto plain = odds_ratio({100, 75, 200, 220});
  auto wide = odds_ratio({100, 75, 200, 220}, Overdispersion::factor(2.0));
  auto floor = odds_ratio({100, 75, 200, 220}, Overdispersion::factor(0.4));
  ASSERT_TRUE(plain && wide && floor);
  EXPECT_NEAR(wide->adjusted.variance, 2 * plain->poisson.variance, 1e-15);
  EXPECT_NEAR(wide->inflation, 2.0, 1e-14);
  EXPECT_LT(wide->adjusted.low, plain->poisson.low);
  EXPECT_DOUBLE_EQ(wide->poisson.low, plain->poisson.low);  // both printed
  EXPECT_DOUBLE_EQ(floor->adjusted.variance, plain->poisson.variance);
}

TEST(OddsRatio, FarringtonFactorAppliesPerCount) {
  auto r = odds_ratio({100, 75, 200, 220}, Overdispersion::farrington());
  ASSERT_TRUE(r.ok());
  // sum over the counts of (0.0008 N + 1.2) / N.
  EXPECT_NEAR(r->adjusted.variance, 0.042654545454545459, 1e-15);
  EXPECT_DOUBLE_EQ(farrington_d(1000), 2.0);
  // Four equal counts: the same as multiplying VAR by D(N).
  auto eq = odds_ratio({500, 500, 500, 500}, Overdispersion::farrington());
  ASSERT_TRUE(eq.ok());
  EXPECT_NEAR(eq->adjusted.variance, eq->poisson.variance * farrington_d(500), 1e-15);
}

TEST(OddsRatio, NoIncidentsInTreatedOrControlIsAnErrorNotNaN) {
  auto t = odds_ratio({0, 0, 50, 60});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, EffectError::no_treated_incidents);
  auto c = odds_ratio({10, 5, 0, 0});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, EffectError::no_control_incidents);
  auto bad = odds_ratio({-1, 5, 3, 3});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, EffectError::bad_count);
}

TEST(OddsRatio, OneZeroCellAddsAHalfToEveryCell) {
  auto r = odds_ratio({8, 0, 100, 110});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->zero_corrected);
  EXPECT_TRUE(r->small_counts);
  EXPECT_NEAR(r->odds_ratio, (8.5 * 110.5) / (0.5 * 100.5), 1e-12);
  EXPECT_NEAR(r->poisson.variance, 1 / 8.5 + 1 / 0.5 + 1 / 100.5 + 1 / 110.5, 1e-15);
  EXPECT_TRUE(std::isfinite(r->poisson.low) && std::isfinite(r->poisson.high));
}

TEST(OddsRatio, SmallCountsAreFlagged) {
  auto r = odds_ratio({4, 2, 100, 100});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->small_counts);
  EXPECT_FALSE(r->zero_corrected);
}

// metafor's dat.bcg (13 BCG trials, log risk ratios): metafor's tests check rma() against
// Stata's metan: fixed -0.4303 [-0.5097, -0.3509], z -10.6247, Q 152.2330; DerSimonian-Laird
// -0.7141 [-1.0644, -0.3638] (metafor tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r).
TEST(PoolEffects, MatchesMetaforAndMetanOnTheBcgTrials) {
  const double data[13][4] = {{4, 119, 11, 128},      {6, 300, 29, 274},       {3, 228, 11, 209},
                              {62, 13536, 248, 12619}, {33, 5036, 47, 5761},    {180, 1361, 372, 1079},
                              {8, 2537, 10, 619},      {505, 87886, 499, 87892}, {29, 7470, 45, 7232},
                              {17, 1699, 65, 1600},    {186, 50448, 141, 27197}, {5, 2493, 3, 2338},
                              {27, 16886, 29, 17825}};
  std::vector<SiteEffect> sites;
  for (const auto& t : data) {
    const double y = std::log((t[0] / (t[0] + t[1])) / (t[2] / (t[2] + t[3])));
    const double v = 1 / t[0] - 1 / (t[0] + t[1]) + 1 / t[2] - 1 / (t[2] + t[3]);
    sites.push_back({y, v});
  }
  auto p = pool_effects(sites, 0.95);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->sites, 13u);
  EXPECT_NEAR(p->fixed.log_ratio, -0.4303, 5e-5);
  EXPECT_NEAR(std::log(p->fixed.low), -0.5097, 5e-5);
  EXPECT_NEAR(std::log(p->fixed.high), -0.3509, 5e-5);
  EXPECT_NEAR(p->fixed.z, -10.6247, 5e-5);
  EXPECT_NEAR(p->q, 152.2330, 5e-5);
  EXPECT_DOUBLE_EQ(p->df, 12.0);
  ASSERT_TRUE(p->q_p.has_value());
  EXPECT_LT(*p->q_p, 1e-20);
  EXPECT_NEAR(p->random.log_ratio, -0.7141, 5e-5);
  EXPECT_NEAR(std::log(p->random.low), -1.0644, 5e-5);
  EXPECT_NEAR(std::log(p->random.high), -0.3638, 5e-5);
  EXPECT_NEAR(p->tau2, 0.3088, 5e-5);
  EXPECT_NEAR(p->i2, 0.9212, 5e-5);
}

TEST(PoolEffects, OneSiteIsItsOwnPooledEffectWithoutHeterogeneityTest) {
  const SiteEffect one[] = {{0.3, 0.04}};
  auto p = pool_effects(one);
  ASSERT_TRUE(p.ok());
  EXPECT_DOUBLE_EQ(p->fixed.log_ratio, 0.3);
  EXPECT_DOUBLE_EQ(p->random.log_ratio, 0.3);
  EXPECT_DOUBLE_EQ(p->fixed.variance, 0.04);
  EXPECT_FALSE(p->q_p.has_value());
  EXPECT_DOUBLE_EQ(p->tau2, 0.0);
}

TEST(PoolEffects, HomogeneousSitesGiveZeroTau2AndEqualFixedAndRandom) {
  const SiteEffect same[] = {{0.2, 0.01}, {0.2, 0.02}, {0.2, 0.05}};
  auto p = pool_effects(same);
  ASSERT_TRUE(p.ok());
  EXPECT_DOUBLE_EQ(p->q, 0.0);
  EXPECT_DOUBLE_EQ(p->tau2, 0.0);
  EXPECT_DOUBLE_EQ(p->i2, 0.0);
  EXPECT_NEAR(p->random.log_ratio, p->fixed.log_ratio, 1e-15);
  EXPECT_NEAR(p->fixed.variance, 1.0 / (100 + 50 + 20), 1e-15);
}

TEST(PoolEffects, EmptyOrBadVarianceIsAnError) {
  EXPECT_EQ(pool_effects({}).error().code, EffectError::no_sites);
  const SiteEffect bad[] = {{0.1, 0.0}};
  EXPECT_EQ(pool_effects(bad).error().code, EffectError::bad_variance);
}
