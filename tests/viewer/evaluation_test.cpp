#include "viewer/app/evaluation.hpp"

#include <gtest/gtest.h>

#include <boost/geometry/algorithms/area.hpp>
#include <cmath>
#include <fstream>
#include <numbers>

#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::viewer;

namespace {

// Incidents on a line east of (0, 0): one per metre 0..999, months cycling 0..23,
// none within 3 m of the target (100 m) and buffer (200 m) edges, whose polygons
// approximate circles.
bool near_edge(int i) { return std::abs(i + 0.5 - 100) < 3 || std::abs(i + 0.5 - 200) < 3; }

IncidentData line_of_incidents() {
  IncidentData d;
  d.taxonomy = core::Taxonomy::police_uk();
  for (int i = 0; i < 1000; ++i) {
    if (near_edge(i)) continue;
    core::IncidentTable::Row r;
    r.x_m = i + 0.5;
    r.y_m = 0;
    r.month = i % 24;
    d.table.push_back(r);
  }
  d.period = {0, 23};
  return d;
}

}  // namespace

TEST(Evaluation, CountsTargetBufferAndRestPerWindow) {
  const IncidentData d = line_of_incidents();
  CategoryFilter all;
  all.enabled.assign(d.taxonomy.size(), true);
  const core::MultiPolygon target = circle(0, 0, 100);
  const BeforeAfterCounts c = before_after_counts(d, target, 100, 12, 12, 12, all);
  // Within 100 m: x in 0.5..99.5 -> 100 incidents; ring 100..200 m: 100 more.
  uint64_t target_naive_before = 0, target_naive_after = 0, ring_before = 0, ring_after = 0, rest_before = 0;
  for (int i = 0; i < 1000; ++i) {
    if (near_edge(i)) continue;
    const double x = i + 0.5;
    const int m = i % 24;
    const bool before = m < 12;
    if (x < 100) (before ? target_naive_before : target_naive_after)++;
    else if (x < 200) (before ? ring_before : ring_after)++;
    else if (before) ++rest_before;
  }
  EXPECT_EQ(c.target.before, target_naive_before);
  EXPECT_EQ(c.target.after, target_naive_after);
  EXPECT_EQ(c.buffer.before, ring_before);
  EXPECT_EQ(c.buffer.after, ring_after);
  EXPECT_EQ(c.rest.before, rest_before);
  EXPECT_EQ(c.before, (MonthRange{0, 11}));
  EXPECT_EQ(c.after, (MonthRange{12, 23}));
  EXPECT_FALSE(c.before_clipped);
  ASSERT_EQ(c.monthly_target.size(), 24u);
  uint64_t sum = 0;
  for (auto v : c.monthly_target) sum += v;
  EXPECT_EQ(sum, target_naive_before + target_naive_after);
  EXPECT_NEAR(c.target_area_km2, std::numbers::pi * 0.01, 0.0005);
  EXPECT_NEAR(c.buffer_area_km2, std::numbers::pi * (0.04 - 0.01), 0.002);
}

TEST(Evaluation, WindowsAreClippedToTheData) {
  const IncidentData d = line_of_incidents();
  CategoryFilter all;
  all.enabled.assign(d.taxonomy.size(), true);
  const BeforeAfterCounts c = before_after_counts(d, circle(0, 0, 50), 0, 20, 24, 12, all);
  EXPECT_TRUE(c.before_clipped);
  EXPECT_TRUE(c.after_clipped);
  EXPECT_EQ(c.before, (MonthRange{0, 19}));
  EXPECT_EQ(c.after, (MonthRange{20, 23}));
  EXPECT_EQ(c.buffer.before + c.buffer.after, 0u);
}

TEST(Evaluation, PercentChangeNeedsABefore) {
  const WindowPair fewer{200, 150}, from_nothing{0, 5};
  EXPECT_DOUBLE_EQ(*fewer.percent_change(), -25.0);
  EXPECT_FALSE(from_nothing.percent_change().has_value());
}

TEST(Evaluation, ReadsTheEvaluationJsonOfDesignMd) {
  hotspot::test::TempDir dir;
  const auto path = dir.path() / "evaluation.json";
  std::ofstream(path) << R"({"interventions": [
    {"id": "AG1", "target": {"before": 120, "after": 84}, "buffer": {"before": 60, "after": 66},
     "control": {"before": 5000, "after": 5100}, "odds_ratio": 1.46, "odds_ratio_ci": [1.08, 1.97],
     "wdq": 0.62, "wdd": {"estimate": -42.0, "se": 15.5, "z": -2.71}, "type": "alley gating", "n_months": 12},
    {"id": 7, "odds_ratio": 0.9}], "pooled": {}})";
  const EvaluationFile f = read_evaluation_json(path);
  EXPECT_TRUE(f.error.empty()) << f.error;
  ASSERT_EQ(f.interventions.size(), 2u);
  const EvaluationRecord* r = f.find("AG1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->target_before, 120u);
  EXPECT_EQ(r->buffer_after, 66u);
  EXPECT_DOUBLE_EQ(*r->odds_ratio, 1.46);
  EXPECT_DOUBLE_EQ(*r->odds_ratio_low, 1.08);
  EXPECT_DOUBLE_EQ(*r->wdq, 0.62);
  EXPECT_DOUBLE_EQ(*r->wdd_z, -2.71);
  ASSERT_EQ(r->other.size(), 2u);
  EXPECT_EQ(r->other[0].first, "n_months");
  EXPECT_NE(f.find("7"), nullptr);  // numeric ids are matched as text
}

TEST(Evaluation, ProblemsWithTheFileAreReportedNotThrown) {
  hotspot::test::TempDir dir;
  EXPECT_EQ(read_evaluation_json(dir.path() / "missing.json").error.find("cannot open") != std::string::npos, true);
  std::ofstream(dir.path() / "bad.json") << "{not json";
  EXPECT_NE(read_evaluation_json(dir.path() / "bad.json").error.find("not a JSON object"), std::string::npos);
  std::ofstream(dir.path() / "shape.json") << R"({"results": []})";
  EXPECT_NE(read_evaluation_json(dir.path() / "shape.json").error.find("no \"interventions\" array"), std::string::npos);
}

TEST(Evaluation, TheInProcessSeamReturnsNothingUntilCoreEvaluateExists) {
  const IncidentData d = line_of_incidents();
  EXPECT_FALSE(evaluate_in_process(d, circle(0, 0, 10), 10, 12, 12, 12).has_value());
}
