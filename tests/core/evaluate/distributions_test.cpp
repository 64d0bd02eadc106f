#include "core/evaluate/distributions.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace hotspot::core;

TEST(Distributions, NormalCdfMatchesKnownValues) {
  EXPECT_DOUBLE_EQ(normal_cdf(0.0), 0.5);
  EXPECT_NEAR(normal_cdf(1.96), 0.97500210485177952, 1e-15);
  EXPECT_NEAR(normal_cdf(-1.96), 1.0 - 0.97500210485177952, 1e-15);
}

TEST(Distributions, TwoSidedPHasNoCancellationInTheTail) {
  EXPECT_NEAR(two_sided_p(-2.98), 0.0028824838346800329, 1e-16);
  EXPECT_NEAR(two_sided_p(2.98), 0.0028824838346800329, 1e-16);
  EXPECT_GT(two_sided_p(20.0), 0.0);  // 5.5e-89, not rounded to 0 by 1 - cdf
  EXPECT_NEAR(two_sided_p(20.0) / 5.507248237212663e-89, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(two_sided_p(0.0), 1.0);
}

TEST(Distributions, NormalQuantileInvertsTheCdf) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(0.025), -1.959963984540054, 1e-14);
  EXPECT_DOUBLE_EQ(normal_quantile(0.5), 0.0);
  EXPECT_NEAR(normal_quantile(0.95), 1.6448536269514722, 1e-14);
  EXPECT_NEAR(normal_quantile(1e-10), -6.3613409024040557, 1e-12);
  for (double p = 0.001; p < 1.0; p += 0.0137) EXPECT_NEAR(normal_cdf(normal_quantile(p)), p, 1e-14) << p;
}

TEST(Distributions, CriticalZForConfidenceLevels) {
  EXPECT_NEAR(critical_z(0.95), 1.959963984540054, 1e-14);
  EXPECT_NEAR(critical_z(0.90), 1.6448536269514722, 1e-14);
  EXPECT_NEAR(critical_z(0.99), 2.5758293035489004, 1e-13);
}

TEST(Distributions, ChiSquareUpperTail) {
  EXPECT_NEAR(chi_square_upper(3.841458820694124, 1), 0.05, 1e-14);
  EXPECT_NEAR(chi_square_upper(10.0, 5), 0.07523524614651217, 1e-14);
  // Two degrees of freedom: exp(-x/2); four: exp(-x/2)(1 + x/2). Both branches.
  for (double x : {0.1, 0.5, 2.0, 5.0, 30.0, 200.0}) {
    EXPECT_NEAR(chi_square_upper(x, 2) / std::exp(-x / 2), 1.0, 1e-13) << x;
    EXPECT_NEAR(chi_square_upper(x, 4) / (std::exp(-x / 2) * (1 + x / 2)), 1.0, 1e-13) << x;
  }
  EXPECT_DOUBLE_EQ(chi_square_upper(0.0, 3), 1.0);
}
