#include "core/stats/local_stats.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/base/random.hpp"
#include "core/grid/cell_id.hpp"
#include "core/grid/grid.hpp"
#include "tests/core/stats/stats_fixture.hpp"

using namespace hotspot;
using namespace hotspot::core;
using hotspot::test::read_table;
using hotspot::test::stats_fixture;

namespace {

struct GridInput {
  std::vector<double> x, y, count;
  std::vector<std::string> id;
};
GridInput nottingham() {
  const auto t = read_table(stats_fixture("nottingham_burglary_grid250.csv"));
  return {t.numbers("x"), t.numbers("y"), t.numbers("count"), t.texts("cell_id")};
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

}  // namespace

// Worked example, checked by hand: five cells in a row, values 1 2 3 4 10, each
// cell's neighbours the adjacent ones (binary), Gi* with self.
//   mean = 4, S^2 = (9 + 4 + 1 + 0 + 36) / 5 = 10, S = sqrt(10)
//   cell 4 (value 10): lag + self = 4 + 10 = 14, W = 2, S1 = 2
//   z = (14 - 2*4) / (sqrt(10) * sqrt((5*2 - 4) / 4)) = 6 / (sqrt(10) * sqrt(1.5)) = 1.5491933384829668
TEST(GiStar, WorkedExampleByHand) {
  const std::vector<double> x{1, 2, 3, 4, 10};
  const Weights w = Weights::from_lists({{1}, {0, 2}, {1, 3}, {2, 4}, {3}});
  const GiStar g = gistar(x, w).value();
  EXPECT_NEAR(g.z[4], 6 / (std::sqrt(10.0) * std::sqrt(1.5)), 1e-15);
  // cell 0 (value 1): lag + self = 3, W = 2 -> z = (3 - 8) / (sqrt(10) sqrt(1.5))
  EXPECT_NEAR(g.z[0], -5 / (std::sqrt(10.0) * std::sqrt(1.5)), 1e-15);
  // cell 2: W = 3, S1 = 3: (9 - 12) / (sqrt(10) sqrt((15 - 9) / 4))
  EXPECT_NEAR(g.z[2], -3 / (std::sqrt(10.0) * std::sqrt(1.5)), 1e-15);
  EXPECT_NEAR(g.p[4], 0.12133525035848, 1e-12);  // 2 (1 - Phi(1.5492))
  EXPECT_DOUBLE_EQ(g.sd, std::sqrt(10.0));
  EXPECT_NEAR(g.g[4], 14.0 / 20.0, 1e-15);
}

TEST(GiStar, ErrorsAreValues) {
  const Weights w = Weights::from_lists({{1}, {0}, {}});
  EXPECT_EQ(gistar(std::vector<double>{1, 1, 1}, w).error().code, StatsError::zero_variance);
  EXPECT_EQ(gistar(std::vector<double>{1, 2}, Weights::from_lists({{1}, {0}})).error().code, StatsError::too_few);
  EXPECT_EQ(gistar(std::vector<double>{1, std::nan(""), 3}, w).error().code, StatsError::not_finite);
  EXPECT_EQ(gistar(std::vector<double>{1, 2, 3, 4}, w).error().code, StatsError::size_mismatch);
  const GiStar g = gistar(std::vector<double>{1, 2, 9}, w).value();
  EXPECT_EQ(g.islands, std::vector<uint32_t>{2});
  EXPECT_TRUE(std::isfinite(g.z[2]));  // self-only score, as spdep
}

TEST(GiStar, AgreesWithSpdepLocalGOnTheNottinghamGrid) {
  const GridInput in = nottingham();
  const auto band = read_table(stats_fixture("spdep_gistar_band600.csv"));
  const Weights pts = Weights::distance_band(in.x, in.y, 600);
  const GiStar a = gistar(in.count, pts).value();
  EXPECT_LT(max_abs_diff(a.z, band.numbers("z")), 1e-9);
  // The same through the grid's lattice weights.
  std::vector<CellId> ids;
  for (const auto& s : in.id) ids.push_back(CellId::from_value(std::stoull(s)));
  const Weights q = Weights::cell_contiguity(ids, Contiguity::queen);
  const auto queen = read_table(stats_fixture("spdep_gistar_queen.csv"));
  const GiStar b = gistar(in.count, q).value();
  EXPECT_LT(max_abs_diff(b.z, queen.numbers("z")), 1e-9);
  const auto card = queen.numbers("card");
  for (uint32_t i = 0; i < q.size(); ++i) ASSERT_EQ(q.cardinality(i), card[i]);
}

TEST(LocalMoran, AgreesWithSpdepLocalmoranConditionalAndTotal) {
  const GridInput in = nottingham();
  const Weights w = Weights::distance_band(in.x, in.y, 600).row_standardised();
  for (auto [variance, file] : {std::pair{MoranVariance::conditional, "spdep_localmoran_band600_conditional.csv"},
                                std::pair{MoranVariance::total, "spdep_localmoran_band600_total.csv"}}) {
    const auto ref = read_table(stats_fixture(file));
    const LocalMoran m = local_moran(in.count, w, {variance}).value();
    EXPECT_LT(max_abs_diff(m.I, ref.numbers("I")), 1e-9) << file;
    EXPECT_LT(max_abs_diff(m.E_I, ref.numbers("E_I")), 1e-9) << file;
    EXPECT_LT(max_abs_diff(m.var_I, ref.numbers("var_I")), 1e-9) << file;
    EXPECT_LT(max_abs_diff(m.z, ref.numbers("z")), 1e-9) << file;
    EXPECT_LT(max_abs_diff(m.p, ref.numbers("p")), 1e-9) << file;
  }
}

TEST(LocalMoran, IslandsHaveNoZAndQuadrantsFollowZAndLag) {
  const Weights w = Weights::from_lists({{1}, {0, 2}, {1}, {}});
  const LocalMoran m = local_moran(std::vector<double>{5, 4, 1, 2}, w).value();
  EXPECT_EQ(m.islands, std::vector<uint32_t>{3});
  EXPECT_TRUE(std::isnan(m.z[3]));
  EXPECT_EQ(m.I[3], 0.0);
  EXPECT_EQ(m.quadrant[0], Quadrant::HH);  // 5 > mean 3, lag 4 > 3
  EXPECT_EQ(m.quadrant[2], Quadrant::LH);  // 1 < 3, lag 4 > 3
}

TEST(GlobalMoran, AgreesWithSpdepMoranTest) {
  const GridInput in = nottingham();
  const Weights b = Weights::distance_band(in.x, in.y, 600);
  const auto ref = read_table(stats_fixture("spdep_moran_band600.csv"));
  const auto cases = ref.texts("case");
  for (std::size_t r = 0; r < cases.size(); ++r) {
    const bool rand = cases[r].find("randomisation") != std::string::npos;
    const Weights w = cases[r][0] == 'W' ? b.row_standardised() : b;
    const GlobalMoran m = global_moran(in.count, w, rand).value();
    EXPECT_NEAR(m.I, ref.numbers("I")[r], 1e-12) << cases[r];
    EXPECT_NEAR(m.expected, ref.numbers("expected")[r], 1e-15) << cases[r];
    EXPECT_NEAR(m.variance, ref.numbers("variance")[r], 1e-14) << cases[r];
    EXPECT_NEAR(m.z, ref.numbers("z")[r], 1e-9) << cases[r];
    EXPECT_NEAR(m.p_greater, ref.numbers("p_greater")[r], 1e-12) << cases[r];
  }
}

// R: p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.005), "BH") = 0.025 0.05 0.05 0.2 0.025
TEST(Fdr, BenjaminiHochbergAsRsPAdjust) {
  const auto q = fdr_adjust(std::vector<double>{0.01, 0.04, 0.03, 0.2, 0.005, std::nan("")});
  const std::vector<double> want{0.025, 0.05, 0.05, 0.2, 0.025};
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(q[i], want[i], 1e-15);
  EXPECT_TRUE(std::isnan(q[5]));
  const auto bins = confidence_bins(std::vector<double>{2.5, -2.5, 3, 1, 0, 4}, q);
  EXPECT_EQ(bins, (std::vector<int8_t>{2, -2, 2, 0, 0, 0}));
}

TEST(Permutations, DeterministicForAnyThreadCountAndCalibrated) {
  const GridInput in = nottingham();
  const Weights w = Weights::distance_band(in.x, in.y, 600);
  const PermutationResult one = permute_lags(in.count, w, {199, 42, 1});
  const PermutationResult two = permute_lags(in.count, w, {199, 42, 2});
  EXPECT_EQ(one.greater_equal, two.greater_equal);
  EXPECT_EQ(one.less_equal, two.less_equal);
  const PermutationResult other = permute_lags(in.count, w, {199, 43, 2});
  EXPECT_NE(one.greater_equal, other.greater_equal);
  // Strong hot spots (analytic z > 4) are extreme among the permutations too.
  const GiStar g = gistar(in.count, w).value();
  for (uint32_t i = 0; i < g.z.size(); ++i)
    if (g.z[i] > 4) {
      EXPECT_LE(one.p_sim[i], 0.02) << i;
    }
  // Under the null (values shuffled over the map) p_sim is roughly uniform: about
  // 5% of the cells reach 0.05.
  std::vector<double> noise(in.count.size());
  Rng rng(8);
  for (auto& v : noise) v = static_cast<double>(rng.poisson(1.3));
  const PermutationResult nul = permute_lags(noise, w, {199, 5, 0});
  std::size_t sig = 0, n = 0;
  for (double p : nul.p_sim)
    if (std::isfinite(p)) ++n, sig += p <= 0.05;
  EXPECT_LT(static_cast<double>(sig) / static_cast<double>(n), 0.08);
  // Weighted (row-standardised, uniform rows) and explicit weights give the same counts.
  const PermutationResult rs = permute_lags(in.count, w.row_standardised(), {99, 7, 2});
  const PermutationResult bb = permute_lags(in.count, w, {99, 7, 2});
  EXPECT_EQ(rs.greater_equal, bb.greater_equal);
}

// Conditional randomisation by hand: feature 0 (value 1) has neighbours 1 and 2
// (values 2 and 4, observed lag 6). Its own value is held, so a permuted lag is
// the sum of 2 of the OTHER four values {2, 4, 8, 16}: 6, 10, 18, 12, 20, 24, each
// with probability 1/6. So #{lag <= 6} ~ R/6 and #{lag >= 6} = R exactly; drawing
// from all five values (the own value included) would give P(lag <= 6) = 3/10.
// p_sim is two-sided: 2 (min(ge, le) + 1) / (R + 1).
TEST(Permutations, ConditionalDrawsAreUniformSubsetsOfTheOtherValues) {
  const std::vector<double> x{1, 2, 4, 8, 16};
  const Weights w = Weights::from_lists({{1, 2}, {0}, {0}, {4}, {3}});
  const unsigned R = 9999;
  const PermutationResult p = permute_lags(x, w, {R, 3, 2});
  EXPECT_EQ(p.greater_equal[0], R);
  EXPECT_NEAR(static_cast<double>(p.less_equal[0]) / R, 1.0 / 6.0, 0.015);
  EXPECT_DOUBLE_EQ(p.p_sim[0], 2.0 * (p.less_equal[0] + 1.0) / (R + 1.0));
  // Feature 1 (value 2, one neighbour of value 1): the lag is one of {1, 4, 8, 16},
  // each 1/4; observed 1 is the smallest: le ~ R/4, ge = R.
  EXPECT_EQ(p.greater_equal[1], R);
  EXPECT_NEAR(static_cast<double>(p.less_equal[1]) / R, 0.25, 0.015);
  // Weighted rows draw the same subsets: weights 2 and 3 on the two neighbours.
  const Weights ww = Weights::from_lists({{1, 2}, {0}, {0}, {4}, {3}}, {{2, 3}, {1}, {1}, {1}, {1}});
  const PermutationResult q = permute_lags(x, ww, {R, 3, 2});
  // Observed 2*2 + 3*4 = 16; the 12 ordered pairs (a, b) of distinct others give
  // 2a + 3b = 16 (2,4), 28 (2,8), 52 (2,16), 14 (4,2), 32 (4,8), 56 (4,16), 22 (8,2),
  // 28 (8,4), 64 (8,16), 38 (16,2), 44 (16,4), 56 (16,8): two are <= 16, P = 1/6.
  // and 11 are >= 16 (all but (4, 2)).
  EXPECT_NEAR(static_cast<double>(q.less_equal[0]) / R, 2.0 / 12.0, 0.015);
  EXPECT_NEAR(static_cast<double>(q.greater_equal[0]) / R, 11.0 / 12.0, 0.015);
}
