#include "core/evaluate/evaluation.hpp"

#include <gtest/gtest.h>

#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/intersects.hpp>
#include <cmath>
#include <numbers>

#include "core/spatial/area_set.hpp"
#include "core/synth/synth.hpp"

using namespace hotspot::core;
namespace bg = boost::geometry;

namespace {

MultiPolygon square(double x0, double y0, double x1, double y1) {
  MultiPolygon m;
  m.resize(1);
  for (auto [x, y] : {std::pair{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}) m[0].outer().emplace_back(x, y);
  return m;
}

AreaSet one_area(const MultiPolygon& g, const std::string& code = "S") {
  AreaSet a;
  a.add(code, code, g);
  a.build();
  return a;
}

struct Builder {
  IncidentTable table;
  Taxonomy tax = Taxonomy::police_uk();
  // n incidents of `category` at (x, y) in month m.
  void add(double x, double y, MonthIndex m, const char* category, int n) {
    const CategoryId c = *tax.find(category);
    for (int k = 0; k < n; ++k) table.push_back({.x_m = x, .y_m = y, .month = m, .category = c});
  }
};

Intervention point_intervention(const std::string& id, double x, double y, MonthIndex start, double radius,
                                double buffer, std::vector<CategoryId> cats) {
  Intervention iv;
  iv.id = id;
  iv.type = InterventionType::alleygate;
  iv.name = id;
  iv.start_month = start;
  iv.geometry = MultiPoint{Point(x, y)};
  iv.radius_m = radius;
  iv.buffer_m = buffer;
  iv.categories = std::move(cats);
  return iv;
}

const MonthIndex kJan = month_index(2023, 1);
const MonthIndex kJul = month_index(2023, 7);

}  // namespace

// Hand-placed incidents: every count, ratio and test below is computed by hand.
TEST(Evaluate, CountsTargetBufferAndControlByWindowAndCategory) {
  Builder b;
  const CategoryId burglary = *b.tax.find("Burglary");
  for (int m = 0; m < 12; ++m) {
    const MonthIndex month = kJan + m;
    const bool before = month >= month_index(2023, 4) && month < kJul;
    const bool after = month >= kJul && month < month_index(2023, 10);
    b.add(1010, 1000, month, "Burglary", before ? 5 : after ? 2 : 9);   // target
    b.add(1010, 1000, month, "Anti-social behaviour", 7);               // another category
    b.add(1150, 1000, month, "Burglary", before ? 4 : after ? 6 : 1);   // buffer ring 100..200 m
    b.add(3000, 3000, month, "Burglary", 50);                            // control
  }
  b.add(6000, 6000, kJul, "Burglary", 3);  // outside the study area
  const AreaSet study = one_area(square(0, 0, 5000, 5000));
  const Intervention iv = point_intervention("AG1", 1000, 1000, kJul, 100, 100, {burglary});
  EvaluationSettings s;
  s.before_months = 3;
  s.after_months = 3;
  ControlAreas c;
  c.study_area = &study;
  const Evaluation e = evaluate(b.table, b.tax, std::span(&iv, 1), s, c);
  ASSERT_EQ(e.results.size(), 1u);
  const InterventionResult& r = e.results[0];
  ASSERT_TRUE(r.evaluated) << r.reason;
  EXPECT_EQ(r.windows.before_first, month_index(2023, 4));
  EXPECT_EQ(r.windows.before_last, month_index(2023, 6));
  EXPECT_EQ(r.windows.after_first, kJul);
  EXPECT_EQ(r.windows.after_last, month_index(2023, 9));
  EXPECT_EQ(r.target.total.before, 15u);
  EXPECT_EQ(r.target.total.after, 6u);
  EXPECT_EQ(r.buffer.total.before, 12u);
  EXPECT_EQ(r.buffer.total.after, 18u);
  EXPECT_EQ(r.control.total.before, 150u);
  EXPECT_EQ(r.control.total.after, 150u);
  ASSERT_EQ(r.categories, std::vector<CategoryId>{burglary});
  EXPECT_EQ(r.target.by_category[0].before, 15u);
  ASSERT_TRUE(r.target.change_pct.has_value());
  EXPECT_DOUBLE_EQ(*r.target.change_pct, -60.0);
  EXPECT_EQ(r.control_label, "rest of the study area");
  // Monthly series Apr..Sep.
  EXPECT_EQ(r.series_first, month_index(2023, 4));
  EXPECT_EQ(r.series_target, (std::vector<uint32_t>{5, 5, 5, 2, 2, 2}));
  EXPECT_EQ(r.series_buffer, (std::vector<uint32_t>{4, 4, 4, 6, 6, 6}));
  EXPECT_EQ(r.series_control, (std::vector<uint32_t>{50, 50, 50, 50, 50, 50}));
  // OR = (15 x 150) / (6 x 150); constant months: phi = 0, floored to 1.
  ASSERT_TRUE(r.effect.has_value());
  EXPECT_DOUBLE_EQ(r.effect->odds_ratio, 2.5);
  EXPECT_EQ(r.dispersion_mode, OverdispersionMode::monthly);
  EXPECT_DOUBLE_EQ(r.dispersion, 1.0);
  EXPECT_DOUBLE_EQ(r.effect->adjusted.variance, 1.0 / 15 + 1.0 / 6 + 2.0 / 150);
  // The monthly DiD agrees with the odds ratio.
  ASSERT_TRUE(r.did.has_value());
  EXPECT_NEAR(r.did->poisson.ratio * r.effect->odds_ratio, 1.0, 1e-14);
  // Buffer: 12 -> 18 against a flat control: OR 12/18 < 1, not significant on these counts.
  ASSERT_TRUE(r.buffer_effect.has_value());
  EXPECT_NEAR(r.buffer_effect->odds_ratio, 12.0 / 18.0, 1e-15);
  EXPECT_EQ(r.spillover, Spillover::none);
  // WDQ: SM = 6/150 - 15/150, BM = 18/150 - 12/150, TNE = (15 - 6) + (12 - 18).
  ASSERT_TRUE(r.wdq.has_value());
  EXPECT_NEAR(r.wdq->success_measure, -0.06, 1e-15);
  EXPECT_NEAR(*r.wdq->wdq, -2.0 / 3.0, 1e-14);
  EXPECT_NEAR(r.wdq->total_net_effect, 3.0, 1e-12);
  EXPECT_EQ(r.wdq->reading, WdqReading::displacement);
  // WDD: equal windows, flat control: local -9, displacement +6.
  ASSERT_TRUE(r.wdd.has_value());
  EXPECT_NEAR(r.wdd->local.estimate, -9.0, 1e-9);
  EXPECT_NEAR(r.wdd->displacement.estimate, 6.0, 1e-9);
  EXPECT_NEAR(r.wdd->total.estimate, -3.0, 1e-9);
  const double kt = r.target.area_m2 / r.control.area_m2, kb = r.buffer.area_m2 / r.control.area_m2;
  EXPECT_NEAR(r.wdd->total.se * r.wdd->total.se, 15 + 6 + 12 + 18 + 2 * 150 * (kt + kb) * (kt + kb), 1e-9);
  // Areas: target ~ pi 100^2, control = study area less target and buffer.
  EXPECT_NEAR(r.target.area_m2 / (std::numbers::pi * 100 * 100), 1.0, 0.002);
  EXPECT_NEAR(r.control.area_m2, 25e6 - r.target.area_m2 - r.buffer.area_m2, 1e-3);
  // Every incident of the evaluation months and categories is accounted for.
  EXPECT_EQ(e.elsewhere, 3u);
  EXPECT_EQ(e.in_targets + e.in_buffers + e.in_controls + e.elsewhere, e.incidents_considered);
  // Pooled over one site: the site itself.
  ASSERT_EQ(e.schemes.size(), 1u);
  EXPECT_EQ(e.schemes[0].scheme, "alleygate");
  ASSERT_TRUE(e.schemes[0].adjusted.has_value());
  EXPECT_NEAR(e.schemes[0].adjusted->fixed.ratio, 2.5, 1e-12);
}

TEST(Evaluate, WindowsExcludeImplementationMonthsAndClipToTheData) {
  Builder b;
  for (int m = 0; m < 12; ++m) b.add(3000, 3000, kJan + m, "Burglary", 10);
  const CategoryId burglary = *b.tax.find("Burglary");
  std::vector<Intervention> ivs;
  ivs.push_back(point_intervention("day", 1000, 1000, kJul, 100, 100, {burglary}));
  ivs.back().start_day = days_from_civil(2023, 7, 15);  // mid-month: July is excluded
  ivs.push_back(point_intervention("install", 2000, 1000, month_index(2023, 5), 100, 100, {burglary}));
  ivs.back().end_month = month_index(2023, 6);  // installed May-June
  ivs.push_back(point_intervention("long", 1000, 2000, kJul, 100, 100, {burglary}));
  ivs.push_back(point_intervention("too-early", 2000, 2000, kJan, 100, 100, {burglary}));
  ivs.push_back(point_intervention("too-late", 4000, 1000, month_index(2024, 1), 100, 100, {burglary}));
  EvaluationSettings s;
  s.before_months = 3;
  s.after_months = 3;
  Evaluation e = evaluate(b.table, b.tax, ivs, s);
  EXPECT_EQ(e.data_first, kJan);
  EXPECT_EQ(e.data_last, month_index(2023, 12));
  const auto& day = e.results[0];
  ASSERT_TRUE(day.evaluated);
  EXPECT_EQ(day.windows.gap_first, kJul);
  EXPECT_EQ(day.windows.gap_last, kJul);
  EXPECT_EQ(day.windows.after_first, month_index(2023, 8));
  EXPECT_EQ(day.windows.after_last, month_index(2023, 10));
  EXPECT_EQ(day.series_target.size(), 7u);  // Apr..Oct, July included for charts
  const auto& inst = e.results[1];
  EXPECT_EQ(inst.windows.before_first, month_index(2023, 2));
  EXPECT_EQ(inst.windows.after_first, kJul);
  // 12 months asked for, 6 available before July.
  s.before_months = 12;
  e = evaluate(b.table, b.tax, ivs, s);
  const auto& lng = e.results[2];
  ASSERT_TRUE(lng.evaluated);
  EXPECT_EQ(lng.windows.months_before, 6);
  ASSERT_FALSE(lng.warnings.empty());
  EXPECT_EQ(lng.warnings[0], "before window shortened to 6 months of 12: the data start in 2023-01");
  EXPECT_FALSE(e.results[3].evaluated);
  EXPECT_EQ(e.results[3].reason,
            "go-live 2023-01 leaves no before window inside the data (2023-01 to 2023-12)");
  EXPECT_FALSE(e.results[4].evaluated);
  EXPECT_EQ(e.results[4].reason,
            "the after window would start in 2024-01, after the data end in 2023-12: not yet evaluable");
}

TEST(Evaluate, OverlappingAreasAreReportedAndNotDoubleCounted) {
  Builder b;
  const CategoryId burglary = *b.tax.find("Burglary");
  for (int m = 0; m < 12; ++m) {
    b.add(1075, 1000, kJan + m, "Burglary", 2);  // in both targets
    b.add(1160, 1000, kJan + m, "Burglary", 1);  // B's target and A's buffer
    b.add(920, 1000, kJan + m, "Burglary", 1);   // A's target only
    b.add(3000, 3000, kJan + m, "Burglary", 40);
  }
  std::vector<Intervention> ivs = {point_intervention("B", 1150, 1000, month_index(2023, 8), 100, 100, {burglary}),
                                   point_intervention("A", 1000, 1000, kJul, 100, 100, {burglary})};
  EvaluationSettings s;
  s.before_months = 4;
  s.after_months = 4;
  const Evaluation e = evaluate(b.table, b.tax, ivs, s);
  const auto& rb = e.results[0];
  const auto& ra = e.results[1];
  ASSERT_TRUE(ra.evaluated && rb.evaluated);
  // A went live first: the shared part of the targets is A's.
  EXPECT_EQ(ra.target.total.before, 4u * 3u);  // (2 + 1) a month, Mar-Jun
  EXPECT_EQ(rb.target.total.before, 4u * 1u);  // only (1160, 1000), Apr-Jul
  EXPECT_EQ(ra.buffer.total.before, 0u);       // (1160, 1000) went to B's target
  bool target_target = false, target_buffer = false;
  for (const Overlap& o : e.overlaps) {
    if (o.first == 1 && o.first_role == AreaRole::target && o.second == 0 && o.second_role == AreaRole::target) {
      target_target = true;
      EXPECT_EQ(o.shared_incidents, 9u * 2u);  // the evaluation months: Mar-Nov
      EXPECT_GT(o.area_m2, 1000.0);
    }
    if (o.first == 0 && o.first_role == AreaRole::target && o.second == 1 && o.second_role == AreaRole::buffer) {
      target_buffer = true;
      EXPECT_EQ(o.shared_incidents, 9u);
    }
  }
  EXPECT_TRUE(target_target);
  EXPECT_TRUE(target_buffer);
  EXPECT_LT(rb.target.area_m2, std::numbers::pi * 100 * 100 * 0.9);  // B lost the shared part
  bool warned = false;
  for (const auto& w : rb.warnings) warned = warned || w.find("overlaps the target of A") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(Evaluate, ATargetInsideAnEarlierTargetIsNotEvaluated) {
  Builder b;
  const CategoryId burglary = *b.tax.find("Burglary");
  for (int m = 0; m < 12; ++m) {
    b.add(1000, 1000, kJan + m, "Burglary", 5);
    b.add(3000, 3000, kJan + m, "Burglary", 20);
  }
  std::vector<Intervention> ivs = {point_intervention("late", 1000, 1000, month_index(2023, 8), 100, 100, {burglary}),
                                   point_intervention("early", 1000, 1000, kJul, 100, 100, {burglary})};
  EvaluationSettings s;
  s.before_months = 4;
  s.after_months = 4;
  const Evaluation e = evaluate(b.table, b.tax, ivs, s);
  EXPECT_TRUE(e.results[1].evaluated);
  EXPECT_EQ(e.results[1].target.total.before, 20u);
  EXPECT_FALSE(e.results[0].evaluated);
  EXPECT_EQ(e.results[0].reason, "its target lies inside the target of early (live earlier or listed first), where the "
                                 "incidents are counted: nothing of its own to evaluate");
}

TEST(Evaluate, ChosenControlPolygons) {
  Builder b;
  const CategoryId burglary = *b.tax.find("Burglary");
  for (int m = 0; m < 12; ++m) {
    b.add(1000, 1000, kJan + m, "Burglary", m < 6 ? 10 : 5);
    b.add(3500, 500, kJan + m, "Burglary", 20);   // C1
    b.add(3500, 3500, kJan + m, "Burglary", 30);  // C2
  }
  AreaSet controls;
  controls.add("C1", "east", square(3000, 0, 4000, 1000));
  controls.add("C2", "north-east", square(3000, 3000, 4000, 4000));
  controls.build();
  std::vector<Intervention> ivs = {point_intervention("X", 1000, 1000, kJul, 100, 100, {burglary}),
                                   point_intervention("Y", 1000, 2500, kJul, 100, 100, {burglary})};
  ivs[0].control_codes = {"C2"};
  ivs[1].control_codes = {"C9"};
  EvaluationSettings s;
  s.before_months = 6;
  s.after_months = 6;
  s.control = ControlKind::polygons;
  ControlAreas c;
  c.polygons = &controls;
  const Evaluation e = evaluate(b.table, b.tax, ivs, s, c);
  ASSERT_TRUE(e.results[0].evaluated);
  EXPECT_EQ(e.results[0].control.total.before, 180u);
  EXPECT_EQ(e.results[0].control.total.after, 180u);
  EXPECT_EQ(e.results[0].control_label, "C2");
  EXPECT_NEAR(e.results[0].control.area_m2, 1e6, 1e-6);
  EXPECT_FALSE(e.results[1].evaluated);
  EXPECT_EQ(e.results[1].reason, "control code(s) not among the control polygons: C9");
}

TEST(Evaluate, MatchedCellsHaveTheTargetsLevelAndAvoidTreatedAreas) {
  Builder b;
  const CategoryId burglary = *b.tax.find("Burglary");
  // Target: 30 burglaries a month inside 100 m (about 950 per km2 per month).
  // Three cells of 500 m with the same density (240 a month) and background cells at 2.
  const double hot[3][2] = {{3250, 3250}, {4250, 1250}, {750, 4250}};
  for (int m = 0; m < 12; ++m) {
    b.add(1000, 1000, kJan + m, "Burglary", 30);
    for (const auto& h : hot) b.add(h[0], h[1], kJan + m, "Burglary", 240);
    for (double x = 250; x < 5000; x += 500)
      for (double y = 250; y < 5000; y += 500) b.add(x + 10, y + 10, kJan + m, "Burglary", 2);
  }
  const AreaSet study = one_area(square(0, 0, 5000, 5000));
  const Intervention iv = point_intervention("M", 1000, 1000, kJul, 100, 100, {burglary});
  EvaluationSettings s;
  s.before_months = 6;
  s.after_months = 6;
  s.control = ControlKind::matched;
  s.matched_cell_m = 500;
  s.matched_cells = 3;
  ControlAreas c;
  c.study_area = &study;
  const Evaluation e = evaluate(b.table, b.tax, std::span(&iv, 1), s, c);
  const auto& r = e.results[0];
  ASSERT_TRUE(r.evaluated) << r.reason;
  ASSERT_EQ(r.matched_cells.size(), 3u);
  for (uint32_t k : r.matched_cells) {
    const Box& box = e.cells[k].box;
    bool is_hot = false;
    for (const auto& h : hot) is_hot = is_hot || bg::covered_by(Point(h[0], h[1]), box);
    EXPECT_TRUE(is_hot) << box.min_corner().x() << "," << box.min_corner().y();
    EXPECT_FALSE(bg::intersects(box, r.areas.target));
    EXPECT_FALSE(bg::intersects(box, r.areas.buffer));
  }
  EXPECT_EQ(r.control.total.before, 3u * 6u * (240u + 2u));
  EXPECT_EQ(r.control_label, "3 matched 500 m cells");
  EXPECT_DOUBLE_EQ(r.control.area_m2, 3 * 500.0 * 500.0);
  EXPECT_DOUBLE_EQ(e.cell_m, 500.0);
}

TEST(Evaluate, EmptyTargetIsReportedNotNaN) {
  Builder b;
  const CategoryId burglary = *b.tax.find("Burglary");
  for (int m = 0; m < 12; ++m) b.add(3000, 3000, kJan + m, "Burglary", 10);
  const Intervention iv = point_intervention("E", 1000, 1000, kJul, 100, 100, {burglary});
  EvaluationSettings s;
  s.before_months = 6;
  s.after_months = 6;
  const Evaluation e = evaluate(b.table, b.tax, std::span(&iv, 1), s);
  const auto& r = e.results[0];
  ASSERT_TRUE(r.evaluated);
  EXPECT_FALSE(r.effect.has_value());
  EXPECT_FALSE(r.target.change_pct.has_value());
  bool said = false;
  for (const auto& w : r.warnings) said = said || w.find("no incidents in the treated area") != std::string::npos;
  EXPECT_TRUE(said);
  EXPECT_TRUE(e.schemes[0].sites.empty());
  EXPECT_FALSE(e.schemes[0].adjusted.has_value());
}

TEST(Evaluate, InvalidGeometryIsNotEvaluatedWithAReason) {
  Builder b;
  for (int m = 0; m < 12; ++m) b.add(3000, 3000, kJan + m, "Burglary", 10);
  Intervention iv = point_intervention("bad", 0, 0, kJul, 100, 100, {});
  iv.radius_m = -5;
  EvaluationSettings s;
  const Evaluation e = evaluate(b.table, b.tax, std::span(&iv, 1), s);
  EXPECT_FALSE(e.results[0].evaluated);
  EXPECT_EQ(e.results[0].reason, "geometry: the radius must be > 0 and the buffer width >= 0 metres");
}

// [SECTION] Recovery on synthetic truth (core/synth): a planted 30% drop in the target
// and 10% more incidents in the ring must be recovered inside the 95% intervals, with
// the displacement flagged; with nothing planted, the intervals cover "no effect".
namespace {

SynthConfig recovery_config(uint64_t seed, double per_month, const Taxonomy& tax) {
  SynthConfig cfg;
  cfg.seed = seed;
  cfg.first = month_index(2022, 1);
  cfg.last = month_index(2023, 12);
  cfg.incidents_per_month = per_month;
  cfg.bbox = Box(Point(0, 0), Point(20000, 20000));
  cfg.mix = {{*tax.find("Burglary"), 1.0}};
  cfg.hotspots_per_category = 0;
  SynthHotspot h;  // the burglary problem the gates were bought for
  h.category = *tax.find("Burglary");
  h.x_m = 10000;
  h.y_m = 10000;
  h.sigma_m = 300;
  h.share = 0.05;
  h.from = cfg.first;
  h.to = cfg.last;
  cfg.hotspots.push_back(h);
  return cfg;
}

}  // namespace

TEST(EvaluateRecovery, PlantedReductionAndDisplacementAreRecovered) {
  const Taxonomy tax = Taxonomy::police_uk();
  SynthConfig cfg = recovery_config(7, 18000, tax);
  SynthEffect ef;
  ef.name = "alley gates";
  ef.categories = {*tax.find("Burglary")};
  ef.x_m = 10000;
  ef.y_m = 10000;
  ef.radius_m = 500;
  ef.ring_m = 500;
  ef.from = month_index(2023, 1);
  ef.drop_pct = 30;
  ef.displace_pct = 10;
  cfg.effects.push_back(ef);
  SynthTruth truth;
  const IncidentTable table = synthesize(cfg, tax, &truth);
  Intervention iv = point_intervention("AG", 10000, 10000, ef.from, 500, 500, {*tax.find("Burglary")});
  EvaluationSettings s;  // 12 + 12 months, monthly over-dispersion, rest-of-data control
  s.points_per_circle = 360;
  const Evaluation e = evaluate(table, tax, std::span(&iv, 1), s);
  const auto& r = e.results[0];
  ASSERT_TRUE(r.evaluated) << r.reason;
  // Our polygons against the generator's exact circles: within 0.5%.
  EXPECT_NEAR(static_cast<double>(r.target.total.before), static_cast<double>(truth.effects[0].target_before),
              0.005 * static_cast<double>(truth.effects[0].target_before));
  EXPECT_NEAR(static_cast<double>(r.buffer.total.after), static_cast<double>(truth.effects[0].ring_after),
              0.005 * static_cast<double>(truth.effects[0].ring_after));
  // The planted effect: OR = 1 / 0.7, inside the 95% interval; significant.
  ASSERT_TRUE(r.effect.has_value());
  EXPECT_LT(r.effect->adjusted.low, 1.0 / 0.7);
  EXPECT_GT(r.effect->adjusted.high, 1.0 / 0.7);
  EXPECT_GT(r.effect->adjusted.low, 1.0);
  EXPECT_NEAR(r.effect->relative_change_pct, -30.0, 5.0);
  // The displacement: buffer OR = 1 / 1.1 inside its interval, which excludes 1.
  ASSERT_TRUE(r.buffer_effect.has_value());
  EXPECT_LT(r.buffer_effect->adjusted.low, 1.0 / 1.1);
  EXPECT_GT(r.buffer_effect->adjusted.high, 1.0 / 1.1);
  EXPECT_EQ(r.spillover, Spillover::displacement);
  ASSERT_TRUE(r.wdq.has_value());
  EXPECT_EQ(r.wdq->reading, WdqReading::displacement);
  ASSERT_TRUE(r.wdd.has_value());
  EXPECT_LT(r.wdd->local.estimate + 1.96 * r.wdd->local.se, 0.0);   // fewer than the control predicts
  EXPECT_GT(r.wdd->displacement.estimate - 1.96 * r.wdd->displacement.se, 0.0);  // more in the buffer
}

TEST(EvaluateRecovery, NoPlantedEffectIsReportedAsNone) {
  const Taxonomy tax = Taxonomy::police_uk();
  int covered = 0, quiet = 0;
  const int seeds = 20;
  for (int seed = 1; seed <= seeds; ++seed) {
    const IncidentTable table = synthesize(recovery_config(static_cast<uint64_t>(seed), 3000, tax), tax);
    const Intervention iv =
        point_intervention("AG", 10000, 10000, month_index(2023, 1), 500, 500, {*tax.find("Burglary")});
    const Evaluation e = evaluate(table, tax, std::span(&iv, 1), EvaluationSettings{});
    const auto& r = e.results[0];
    ASSERT_TRUE(r.evaluated && r.effect && r.buffer_effect) << seed;
    if (seed == 1) {
      EXPECT_LT(r.effect->adjusted.low, 1.0);
      EXPECT_GT(r.effect->adjusted.high, 1.0);
    }
    if (r.effect->adjusted.low < 1.0 && r.effect->adjusted.high > 1.0) ++covered;
    if (r.spillover == Spillover::none) ++quiet;
  }
  // 95% intervals: about 19 of 20 cover 1; 17 or more with probability 0.98.
  EXPECT_GE(covered, 17);
  EXPECT_GE(quiet, 17);
}
