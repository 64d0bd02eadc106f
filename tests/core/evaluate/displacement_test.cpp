#include "core/evaluate/displacement.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace hotspot::core;

// blackthrive/streetlamp's hand-computed example (research/peers.md 2.9):
// A0 = 100, A1 = 50, B0 = 100, B1 = 150, C0 = C1 = 100 -> WDQ = -1.
TEST(Wdq, StreetlampWorkedExample) {
  auto w = wdq({100, 50, 100, 150, 100, 100});
  ASSERT_TRUE(w.ok());
  EXPECT_DOUBLE_EQ(w->success_measure, -0.5);
  EXPECT_DOUBLE_EQ(w->buffer_measure, 0.5);
  ASSERT_TRUE(w->wdq.has_value());
  EXPECT_DOUBLE_EQ(*w->wdq, -1.0);
  EXPECT_DOUBLE_EQ(w->total_net_effect, 0.0);  // 50 prevented, 50 displaced
  EXPECT_EQ(w->reading, WdqReading::displacement);
  EXPECT_FALSE(w->unstable);
}

TEST(Wdq, DiffusionOfBenefits) {
  // Target -40%, buffer -20%, control flat: WDQ = (-0.2) / (-0.4) = 0.5.
  auto w = wdq({100, 60, 100, 80, 100, 100});
  ASSERT_TRUE(w.ok());
  EXPECT_DOUBLE_EQ(*w->wdq, 0.5);
  EXPECT_EQ(w->reading, WdqReading::diffusion);
  EXPECT_DOUBLE_EQ(w->total_net_effect, 60.0);
  // The control's trend enters every ratio: control doubling, target flat = success.
  auto c = wdq({100, 100, 100, 200, 100, 200});
  ASSERT_TRUE(c.ok());
  EXPECT_DOUBLE_EQ(c->success_measure, 0.5 - 1.0);
  EXPECT_DOUBLE_EQ(c->buffer_measure, 0.0);
  EXPECT_EQ(c->reading, WdqReading::no_spillover);
  EXPECT_DOUBLE_EQ(c->total_net_effect, 100.0);
}

TEST(Wdq, DisplacementExceedingTheGainIsNetHarm) {
  auto w = wdq({100, 50, 100, 160, 100, 100});
  ASSERT_TRUE(w.ok());
  EXPECT_NEAR(*w->wdq, -1.2, 1e-15);
  EXPECT_EQ(w->reading, WdqReading::displacement_exceeds_gain);
  EXPECT_LT(w->total_net_effect, 0.0);
}

TEST(Wdq, NoSuccessIsNotInterpreted) {
  auto w = wdq({100, 110, 100, 150, 100, 100});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->reading, WdqReading::no_success);
  EXPECT_STREQ(name(w->reading), "no_success");
}

TEST(Wdq, SuccessMeasureNearZeroIsUnstable) {
  auto w = wdq({100, 95, 100, 120, 100, 100});  // SM = -0.05, 5% of A0/C0
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->unstable);
  EXPECT_NEAR(*w->wdq, -4.0, 1e-12);  // huge, and meaningless: hence the flag
  auto zero = wdq({100, 100, 100, 120, 100, 100});
  ASSERT_TRUE(zero.ok());
  EXPECT_FALSE(zero->wdq.has_value());
  EXPECT_TRUE(zero->unstable);
}

TEST(Wdq, EmptyControlWindowIsAnError) {
  auto w = wdq({100, 50, 100, 150, 0, 100});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, EffectError::no_control_incidents);
}

// Wheeler & Ratcliffe (2018)'s example, as in apwheele/ptools tests/testthat/test-wdd.R:
// wdd(control = c(308, 318), treated = c(207, 110), disp_control = c(150, 140),
//     disp_treated = c(178, 157)) -> -118, SE sqrt(1568), Z -2.98.
TEST(Wdd, PaperExampleRegression) {
  WddCounts c;
  c.control_before = 308;
  c.control_after = 318;
  c.treated_before = 207;
  c.treated_after = 110;
  c.disp_control_before = 150;
  c.disp_control_after = 140;
  c.disp_before = 178;
  c.disp_after = 157;
  const Wdd r = wdd(c);
  EXPECT_DOUBLE_EQ(r.local.estimate, -107.0);
  EXPECT_DOUBLE_EQ(r.local.se, std::sqrt(943.0));
  EXPECT_DOUBLE_EQ(r.displacement.estimate, -11.0);
  EXPECT_DOUBLE_EQ(r.displacement.se, std::sqrt(625.0));
  EXPECT_DOUBLE_EQ(r.total.estimate, -118.0);
  EXPECT_DOUBLE_EQ(r.total.se, std::sqrt(1568.0));
  EXPECT_NEAR(r.z, -2.98, 0.005);
  EXPECT_NEAR(r.z, -118.0 / std::sqrt(1568.0), 1e-14);
  // ptools' default alpha = 0.1: a 90% interval.
  EXPECT_NEAR(r.low, -118.0 - 1.6448536269514722 * std::sqrt(1568.0), 1e-9);
  EXPECT_NEAR(r.high, -118.0 + 1.6448536269514722 * std::sqrt(1568.0), 1e-9);
  EXPECT_NEAR(r.p, 0.0028824838346800329, 2e-4);
}

TEST(Wdd, TimeWeightsGiveRatesPerUnitTime) {
  // ptools' documented example wdd(c(20,20), c(20,10), time_weights = c(2,1)): two years
  // before, one after. Local = (10 - 20/2) - (20 - 20/2) = -10; Var = 10 + 20/4 + 20 + 20/4.
  WddCounts c;
  c.control_before = 20;
  c.control_after = 20;
  c.treated_before = 20;
  c.treated_after = 10;
  WddWeights w;
  w.time_before = 2;
  w.time_after = 1;
  const Wdd r = wdd(c, w);
  EXPECT_DOUBLE_EQ(r.local.estimate, -10.0);
  EXPECT_DOUBLE_EQ(r.local.se, std::sqrt(40.0));
  EXPECT_DOUBLE_EQ(r.displacement.estimate, 0.0);
  EXPECT_DOUBLE_EQ(r.total.estimate, -10.0);
}

TEST(Wdd, AreaWeightsScaleTheControlToTheTargetsSize) {
  // A control 10 times the target's area: its change counts a tenth.
  WddCounts c;
  c.treated_before = 50;
  c.treated_after = 30;
  c.control_before = 1000;
  c.control_after = 1100;
  WddWeights w;
  w.area_control = 10;
  const Wdd r = wdd(c, w);
  EXPECT_DOUBLE_EQ(r.local.estimate, -20.0 - 10.0);
  EXPECT_DOUBLE_EQ(r.local.se * r.local.se, 80.0 + 2100.0 / 100.0);
}

TEST(Wdd, SharedControlAddsItsCoefficientsBeforeSquaring) {
  WddCounts c;
  c.treated_before = 20;
  c.treated_after = 10;
  c.disp_before = 30;
  c.disp_after = 20;
  c.control_before = 100;
  c.control_after = 100;
  c.shared_control = true;
  const Wdd r = wdd(c);
  EXPECT_DOUBLE_EQ(r.local.estimate, -10.0);
  EXPECT_DOUBLE_EQ(r.displacement.estimate, -10.0);
  EXPECT_DOUBLE_EQ(r.total.estimate, -20.0);
  // 20 + 10 + 30 + 20 + (1 + 1)^2 100 + (1 + 1)^2 100, not the 480 of independent controls.
  EXPECT_DOUBLE_EQ(r.total.se, std::sqrt(880.0));
}
