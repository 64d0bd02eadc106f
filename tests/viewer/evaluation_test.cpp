#include "viewer/app/evaluation.hpp"

#include <gtest/gtest.h>

#include <boost/geometry/algorithms/area.hpp>
#include <cmath>
#include <fstream>
#include <numbers>

#include "core/spatial/area_set.hpp"
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

namespace {

// Incidents placed to give known counts: `n` copies at (x, 0) in month m.
void add(IncidentData& d, double x_m, core::MonthIndex month, int n, core::CategoryId category = 0) {
  for (int i = 0; i < n; ++i) {
    core::IncidentTable::Row r;
    r.x_m = x_m;
    r.y_m = static_cast<double>(i % 7);  // a few metres apart, well inside their areas
    r.month = month;
    r.category = category;
    d.table.push_back(r);
  }
}

// Target: the 100 m circle at (0, 0); buffer ring 100..200 m; control: the rest.
// Go-live month 12; before = months 0..11, after = 12..23. Counts per window:
//   target 40 -> 20, buffer 30 -> 36, control 400 -> 400.
IncidentData before_after_study() {
  IncidentData d;
  d.taxonomy = core::Taxonomy::police_uk();
  for (core::MonthIndex m = 0; m < 12; ++m) {
    add(d, 10, m, m < 4 ? 4 : 3);        // 4*4 + 8*3 = 40 before
    add(d, 150, m, m < 6 ? 3 : 2);       // 6*3 + 6*2 = 30 before
    add(d, 900, m, m % 2 == 0 ? 30 : 36, m % 2 == 0 ? 0 : 1);  // 6*30 + 6*36 = 396, + 4 below
  }
  add(d, 900, 0, 4, 2);
  for (core::MonthIndex m = 12; m < 24; ++m) {
    add(d, 10, m, m < 20 ? 2 : 1);       // 8*2 + 4*1 = 20 after
    add(d, 150, m, 3);                   // 36 after
    add(d, 900, m, m % 3 == 0 ? 31 : 33, m % 2 == 0 ? 0 : 1);  // 4*31 + 8*33 = 388, + 12 below
  }
  add(d, 900, 23, 12, 2);
  d.period = {0, 23};
  return d;
}

}  // namespace

TEST(Evaluation, InProcessEvaluationIsCoreEvaluateOnTheTargetBufferAndRest) {
  const IncidentData d = before_after_study();
  core::AreaSet study;  // a 2 km square around everything: the control is the rest of it
  core::Polygon square;
  square.outer() = {{-1000, -1000}, {-1000, 1000}, {1000, 1000}, {1000, -1000}, {-1000, -1000}};
  study.add("S", "study", core::MultiPolygon{square});
  study.build();
  const auto e = evaluate_in_process(d, circle(0, 0, 100), 100, 12, 12, 12, CategoryFilter{}, &study);
  ASSERT_TRUE(e.has_value());
  ASSERT_TRUE(e->evaluated) << e->reason;
  EXPECT_TRUE(e->in_process);
  EXPECT_EQ(e->target_before, 40u);
  EXPECT_EQ(e->target_after, 20u);
  EXPECT_EQ(e->buffer_before, 30u);
  EXPECT_EQ(e->buffer_after, 36u);
  EXPECT_EQ(e->control_before, 400u);
  EXPECT_EQ(e->control_after, 400u);
  EXPECT_EQ(e->control_label, "rest of the study area");
  // Farrington & Welsh: OR = (a d) / (b c) = (40 * 400) / (20 * 400) = 2: the target
  // halved while the control stayed level; relative change (1/OR - 1) = -50%.
  ASSERT_TRUE(e->odds_ratio.has_value());
  EXPECT_NEAR(*e->odds_ratio, 2.0, 1e-12);
  EXPECT_NEAR(*e->relative_change_pct, -50.0, 1e-9);
  // The interval is at least as wide as the Poisson one: exp(ln 2 -+ 1.96 sqrt(1/40 + 1/20 + 2/400)).
  const double se = std::sqrt(1.0 / 40 + 1.0 / 20 + 2.0 / 400);
  EXPECT_LE(*e->odds_ratio_low, std::exp(std::log(2.0) - 1.959963984540054 * se) + 1e-9);
  EXPECT_GE(*e->odds_ratio_high, std::exp(std::log(2.0) + 1.959963984540054 * se) - 1e-9);
  EXPECT_LT(*e->odds_ratio_low, 2.0);
  // Bowers & Johnson: SM = 20/400 - 40/400 = -0.05, BM = 36/400 - 30/400 = 0.015,
  // WDQ = BM / SM = -0.3: displacement smaller than the gain.
  ASSERT_TRUE(e->wdq.has_value());
  EXPECT_NEAR(*e->wdq, -0.3, 1e-12);
  EXPECT_FALSE(e->wdq_reading.empty());
  EXPECT_TRUE(e->wdd_estimate.has_value());
}

TEST(Evaluation, InProcessEvaluationCountsOnlyTheSelectedCrimeTypes) {
  const IncidentData d = before_after_study();
  CategoryFilter only_first;
  only_first.enabled.assign(d.taxonomy.size(), false);
  only_first.enabled[0] = true;
  const auto e = evaluate_in_process(d, circle(0, 0, 100), 100, 12, 12, 12, only_first);
  ASSERT_TRUE(e && e->evaluated) << (e ? e->reason : "nullopt");
  EXPECT_EQ(e->target_before, 40u);  // every target and buffer incident is category 0
  EXPECT_EQ(e->control_label, "everything outside the targets and buffers");  // no study area given
  EXPECT_EQ(e->control_before, 180u);  // 6 months x 30
  EXPECT_EQ(e->control_after, 194u);   // even months: 12, 18 (31 each) and 14, 16, 20, 22 (33 each)
}

TEST(Evaluation, InProcessEvaluationSaysWhyItCannotEvaluate) {
  const IncidentData d = before_after_study();
  CategoryFilter none;
  none.enabled.assign(d.taxonomy.size(), false);
  const auto e = evaluate_in_process(d, circle(0, 0, 100), 100, 12, 12, 12, none);
  ASSERT_TRUE(e.has_value());
  EXPECT_FALSE(e->evaluated);
  EXPECT_EQ(e->reason, "no crime type is selected");
  // A go-live after the data: core refuses, with its reason.
  const auto late = evaluate_in_process(d, circle(0, 0, 100), 100, 40, 12, 12, CategoryFilter{});
  ASSERT_TRUE(late.has_value());
  EXPECT_FALSE(late->evaluated);
  EXPECT_FALSE(late->reason.empty());
  EXPECT_FALSE(late->odds_ratio.has_value());
}

// The study's [evaluate] settings, as evaluation.json records them, reach the viewer:
// read back field by field, and used by the in-process evaluation (confidence and
// over-dispersion here; windows and buffer stay the viewer's).
TEST(Evaluation, TheStudysSettingsAreReadAndUsedInProcess) {
  hotspot::test::TempDir dir;
  const auto path = dir.path() / "evaluation.json";
  std::ofstream(path) << R"({"interventions": [{"id": "AG1", "odds_ratio": 1.5, "odds_ratio_ci": [1.1, 2.0]}],
    "settings": {"before_months": 9, "after_months": 6, "implementation_months": 2, "buffer_m": 150.0,
                 "confidence": 0.9, "overdispersion": "none", "wdd_area_weights": false,
                 "control": "wards", "control_description": "the wards 'wards'",
                 "radius_m": {"cctv": 120.0, "alleygate": 40.0, "nonsense": 5}}})";
  const EvaluationFile f = read_evaluation_json(path);
  ASSERT_TRUE(f.error.empty()) << f.error;
  ASSERT_TRUE(f.settings.has_value());
  EXPECT_EQ(f.settings->before_months, 9);
  EXPECT_EQ(f.settings->after_months, 6);
  EXPECT_EQ(f.settings->implementation_months, 2);
  EXPECT_DOUBLE_EQ(f.settings->buffer_m, 150.0);
  EXPECT_DOUBLE_EQ(f.settings->confidence, 0.9);
  EXPECT_EQ(f.settings->overdispersion, core::OverdispersionMode::none);
  EXPECT_FALSE(f.settings->wdd_area_weights);
  EXPECT_DOUBLE_EQ(f.settings->radius_m[static_cast<std::size_t>(core::InterventionType::cctv)], 120.0);
  EXPECT_DOUBLE_EQ(f.settings->radius_m[static_cast<std::size_t>(core::InterventionType::alleygate)], 40.0);
  EXPECT_EQ(f.control, "wards");
  EXPECT_EQ(f.control_description, "the wards 'wards'");
  ASSERT_EQ(f.interventions.size(), 1u);
  EXPECT_DOUBLE_EQ(f.interventions[0].confidence, 0.9);

  const IncidentData d = before_after_study();
  const auto defaults = evaluate_in_process(d, circle(0, 0, 100), 100, 12, 12, 12, CategoryFilter{});
  const auto study = evaluate_in_process(d, circle(0, 0, 100), 100, 12, 12, 12, CategoryFilter{}, nullptr, &*f.settings);
  ASSERT_TRUE(defaults && defaults->evaluated && study && study->evaluated);
  EXPECT_DOUBLE_EQ(defaults->confidence, 0.95);
  EXPECT_DOUBLE_EQ(study->confidence, 0.9);
  EXPECT_EQ(study->dispersion.rfind("none", 0), 0u) << study->dispersion;
  EXPECT_EQ(defaults->dispersion.rfind("monthly", 0), 0u) << defaults->dispersion;
  // No over-dispersion and a 90% interval: exactly the Poisson interval at z = 1.645.
  const double se = std::sqrt(1.0 / 40 + 1.0 / 20 + 1.0 / static_cast<double>(*study->control_before) +
                              1.0 / static_cast<double>(*study->control_after));
  EXPECT_NEAR(*study->odds_ratio_low, *study->odds_ratio * std::exp(-1.6448536269514722 * se), 1e-9);
  EXPECT_LT(*study->odds_ratio_high - *study->odds_ratio_low, *defaults->odds_ratio_high - *defaults->odds_ratio_low);
}

// Implementation months are left out between the windows, in the counts as in core.
TEST(Evaluation, ImplementationMonthsAreLeftOutOfBothWindows) {
  const IncidentData d = line_of_incidents();
  CategoryFilter all;
  all.enabled.assign(d.taxonomy.size(), true);
  const BeforeAfterCounts c = before_after_counts(d, circle(0, 0, 100), 0, 10, 6, 6, all, 3);
  EXPECT_EQ(c.before.first, 4);
  EXPECT_EQ(c.before.last, 9);
  EXPECT_EQ(c.after.first, 13);
  EXPECT_EQ(c.after.last, 18);
  EXPECT_EQ(c.chart.first, 4);
  EXPECT_EQ(c.chart.last, 18);
  uint64_t after = 0;
  for (int i = 0; i < 100; ++i)
    if (!near_edge(i) && i % 24 >= 13 && i % 24 <= 18) ++after;
  EXPECT_EQ(c.target.after, after);
  const auto e = evaluate_in_process(d, circle(0, 0, 100), 0, 10, 6, 6, all, nullptr, nullptr, 3);
  ASSERT_TRUE(e && e->evaluated) << (e ? e->reason : "nullopt");
  EXPECT_EQ(e->target_after, after);
  EXPECT_EQ(e->target_before, c.target.before);
}
