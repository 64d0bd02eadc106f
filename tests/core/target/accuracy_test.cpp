#include "core/target/accuracy.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace hotspot::core {
namespace {

// Ten cells of 100 m2 (A = 1000 m2). Predicted order = index order. Worked by hand:
//   fit  5 4 3 2 1 1 1 1 1 1   (N1 = 20)
//   test 4 2 6 1 1 1 1 1 2 1   (N  = 20)
// top 10%: cell 0: n = 4, n1 = 5, a/A = 0.1 -> H 0.2, PAI 2.0, PPAI(0.5) 0.2/sqrt(0.1),
//          n* = 6 (cell 2) -> PEI 4/6, RRI (4/5)/(20/20) = 0.8
// top 20%: cells 0,1: n = 6, n1 = 9 -> H 0.3, PAI 1.5, n* = 6+4 = 10 -> PEI 0.6, RRI 6/9
// top 50%: cells 0..4: n = 14, n1 = 15 -> H 0.7, PAI 1.4, n* = 6+4+2+2+1 = 15 -> PEI 14/15, RRI 14/15
AccuracyInput worked_example() {
  AccuracyInput in;
  in.prediction = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  in.fit_count = {5, 4, 3, 2, 1, 1, 1, 1, 1, 1};
  in.test_count = {4, 2, 6, 1, 1, 1, 1, 1, 2, 1};
  in.area_m2.assign(10, 100.0);
  return in;
}

TEST(HotspotAccuracy, MatchesTheHandWorkedExample) {
  auto r = hotspot_accuracy(worked_example(), {.area_shares = {0.1, 0.2, 0.5}, .ppai_alpha = 0.5});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const AccuracyTable& t = *r;
  EXPECT_DOUBLE_EQ(t.total_area_m2, 1000);
  EXPECT_DOUBLE_EQ(t.test_total, 20);
  EXPECT_DOUBLE_EQ(t.fit_total, 20);
  ASSERT_EQ(t.rows.size(), 3u);
  const AccuracyRow& a = t.rows[0];
  EXPECT_EQ(a.units, 1u);
  EXPECT_DOUBLE_EQ(a.area_share, 0.1);
  EXPECT_DOUBLE_EQ(a.hits, 4);
  EXPECT_DOUBLE_EQ(a.hit_rate, 0.2);
  EXPECT_DOUBLE_EQ(a.pai, 2.0);
  EXPECT_NEAR(a.ppai, 0.2 / std::sqrt(0.1), 1e-12);
  EXPECT_DOUBLE_EQ(a.best_hits, 6);
  EXPECT_NEAR(a.pei, 4.0 / 6.0, 1e-12);
  EXPECT_NEAR(a.rri, 0.8, 1e-12);
  const AccuracyRow& b = t.rows[1];
  EXPECT_EQ(b.units, 2u);
  EXPECT_NEAR(b.pai, 1.5, 1e-12);
  EXPECT_NEAR(b.pei, 0.6, 1e-12);
  EXPECT_NEAR(b.rri, 6.0 / 9.0, 1e-12);
  EXPECT_NEAR(b.ppai, 0.3 / std::sqrt(0.2), 1e-12);
  const AccuracyRow& c = t.rows[2];
  EXPECT_EQ(c.units, 5u);
  EXPECT_NEAR(c.hit_rate, 0.7, 1e-12);
  EXPECT_NEAR(c.pai, 1.4, 1e-12);
  EXPECT_NEAR(c.pei, 14.0 / 15.0, 1e-12);
  EXPECT_NEAR(c.rri, 14.0 / 15.0, 1e-12);
}

TEST(HotspotAccuracy, RriIsLevinesRatioOfChangeInsideToChangeOverall) {
  AccuracyInput in = worked_example();
  for (double& v : in.test_count) v *= 3;  // everything tripled: hotspots kept their share
  auto r = hotspot_accuracy(in, {.area_shares = {0.1}});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->rows[0].rri, 0.8, 1e-12);  // (12/5) / (60/20)
  EXPECT_NEAR(r->rows[0].pai, 2.0, 1e-12);  // shares unchanged
}

TEST(HotspotAccuracy, SmallShareStillTakesTheTopUnitAndReportsItsRealArea) {
  auto r = hotspot_accuracy(worked_example(), {});  // 1, 2, 5, 10 %
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 4u);
  for (const auto& row : r->rows) {
    EXPECT_EQ(row.units, 1u);
    EXPECT_DOUBLE_EQ(row.area_share, 0.1);  // coverage reported beside PAI, not the 1% asked for
    EXPECT_DOUBLE_EQ(row.pai, 2.0);
  }
  EXPECT_DOUBLE_EQ(r->rows[0].target_area_share, 0.01);
}

TEST(HotspotAccuracy, TiesInPredictionGoToTheHigherFittingCountThenIndex) {
  AccuracyInput in = worked_example();
  in.prediction.assign(10, 1.0);  // all tied: order by fit count (cell 0 has 5)
  auto r = hotspot_accuracy(in, {.area_shares = {0.1}});
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->rows[0].fit_hits, 5);
  EXPECT_DOUBLE_EQ(r->rows[0].hits, 4);
}

TEST(HotspotAccuracy, UndefinedMeasuresAreNaNNotZero) {
  AccuracyInput in = worked_example();
  in.test_count.assign(10, 0.0);
  auto r = hotspot_accuracy(in, {.area_shares = {0.1}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isnan(r->rows[0].hit_rate));
  EXPECT_TRUE(std::isnan(r->rows[0].pai));
  EXPECT_TRUE(std::isnan(r->rows[0].rri));
}

TEST(HotspotAccuracy, RejectsBadInputWithCodes) {
  AccuracyInput in = worked_example();
  in.area_m2[3] = 0;
  auto r = hotspot_accuracy(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, AccuracyError::bad_value);
  EXPECT_EQ(r.error().message, "unit 3: area is not positive");
  in = worked_example();
  in.test_count.pop_back();
  EXPECT_EQ(hotspot_accuracy(in).error().code, AccuracyError::size_mismatch);
  EXPECT_EQ(hotspot_accuracy(AccuracyInput{}).error().code, AccuracyError::empty);
  EXPECT_EQ(hotspot_accuracy(worked_example(), {.area_shares = {1.5}}).error().code, AccuracyError::bad_value);
}

}  // namespace
}  // namespace hotspot::core
