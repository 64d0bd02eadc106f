#include "core/stats/mann_kendall.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "tests/core/stats/stats_fixture.hpp"

using namespace hotspot::core;

namespace {
std::string spacetime_fixture(const std::string& name) {
  return std::string(HOTSPOT_FIXTURES_DIR) + "/spacetime/" + name;
}
std::vector<double> parse_values(const std::string& text) {
  std::vector<double> v;
  std::stringstream ss(text);
  double d;
  while (ss >> d) v.push_back(d);
  return v;
}
}  // namespace

// Worked by hand: 1 3 2 4. Pairs (i<j): (1,3)+ (1,2)+ (1,4)+ (3,2)- (3,4)+ (2,4)+ -> S = 4.
// Var(S) = 4*3*13/18 = 8.6667; Z = (4 - 1)/sqrt(8.6667) = 1.01905; tau = 4/6.
TEST(MannKendall, WorkedExampleByHand) {
  const MannKendall mk = mann_kendall(std::vector<double>{1, 3, 2, 4});
  EXPECT_EQ(mk.s, 4);
  EXPECT_DOUBLE_EQ(mk.var_s, 4.0 * 3 * 13 / 18);
  EXPECT_NEAR(mk.z, 3 / std::sqrt(4.0 * 3 * 13 / 18), 1e-15);
  EXPECT_NEAR(mk.tau, 4.0 / 6.0, 1e-15);
  EXPECT_NEAR(mk.p, std::erfc(mk.z / std::sqrt(2.0)), 1e-15);
  EXPECT_EQ(mk.tie_groups, 0u);
}

// Ties by hand: 1 1 2 -> S = 0 + 1 + 1 = 2; one tie group of 2: 2*1*9 = 18;
// Var(S) = (3*2*11 - 18)/18 = 48/18; Z = (2 - 1)/sqrt(48/18).
TEST(MannKendall, TieCorrectionByHand) {
  const MannKendall mk = mann_kendall(std::vector<double>{1, 1, 2});
  EXPECT_EQ(mk.s, 2);
  EXPECT_DOUBLE_EQ(mk.var_s, 48.0 / 18.0);
  EXPECT_NEAR(mk.z, 1 / std::sqrt(48.0 / 18.0), 1e-15);
  EXPECT_EQ(mk.tie_groups, 1u);
}

TEST(MannKendall, NegativeTrendUsesPlusOneContinuityCorrection) {
  const MannKendall mk = mann_kendall(std::vector<double>{5, 4, 3, 2, 1});
  EXPECT_EQ(mk.s, -10);
  EXPECT_NEAR(mk.z, -9 / std::sqrt(5.0 * 4 * 15 / 18), 1e-15);
  EXPECT_LT(mk.z, 0);
}

TEST(MannKendall, DegenerateSeriesHaveNoTrend) {
  for (const auto& x : {std::vector<double>{}, std::vector<double>{3}, std::vector<double>{2, 2, 2, 2}}) {
    const MannKendall mk = mann_kendall(x);
    EXPECT_EQ(mk.s, 0);
    EXPECT_EQ(mk.z, 0);
    EXPECT_EQ(mk.p, 1);
  }
  EXPECT_EQ(mann_kendall(std::vector<double>{2, 2, 2, 2}).var_s, 0);
}

// Against scipy.stats.kendalltau (an independent implementation):
// tests/fixtures/spacetime/mann_kendall_scipy.csv, made by
// scripts/fixtures/make_spacetime_mann_kendall.py. Ten series, five with ties.
TEST(MannKendall, AgreesWithScipyOnFixedSeriesWithTies) {
  const auto t = hotspot::test::read_table(spacetime_fixture("mann_kendall_scipy.csv"));
  ASSERT_EQ(t.rows.size(), 10u);
  const auto names = t.texts("name");
  const auto values = t.texts("values");
  const auto s = t.numbers("s"), var_s = t.numbers("var_s"), z = t.numbers("z"), p = t.numbers("p"),
             tau = t.numbers("tau");
  for (std::size_t k = 0; k < t.rows.size(); ++k) {
    const MannKendall mk = mann_kendall(parse_values(values[k]));
    EXPECT_EQ(static_cast<double>(mk.s), s[k]) << names[k];
    EXPECT_NEAR(mk.var_s, var_s[k], 1e-9 * var_s[k]) << names[k];
    EXPECT_NEAR(mk.z, z[k], 1e-9) << names[k];
    EXPECT_NEAR(mk.p, p[k], 1e-9 * std::max(p[k], 1e-6)) << names[k];
    EXPECT_NEAR(mk.tau, tau[k], 1e-12) << names[k];
  }
}
