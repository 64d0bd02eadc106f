#include "core/stats/near_repeat.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/incidents/taxonomy.hpp"
#include "core/synth/synth.hpp"

using namespace hotspot;
using namespace hotspot::core;

namespace {

// Six incidents, worked by hand (x, y in metres, day):
//   A (0, 0) 0   B (0, 0) 3   C (50, 30) 10   D (150, 0) 12   E (1000, 1000) 40   F (70, 70) 50
// Bands: space [0,0], (0,100], (100,200], (200,inf); time [0,7], (7,14], (14,inf).
// The 15 pairs, Manhattan metres / days apart -> cell:
//   A-B 0/3 same,[0,7]        A-C 80/10 (0,100],(7,14]    A-D 150/12 (100,200],(7,14]
//   A-E 2000/40 more,more     A-F 140/50 (100,200],more   B-C 80/7 (0,100],[0,7] (closed)
//   B-D 150/9 (100,200],(7,14] B-E 2000/37 more,more      B-F 140/47 (100,200],more
//   C-D 130/2 (100,200],[0,7] C-E 1920/30 more,more       C-F 60/40 (0,100],more
//   D-E 1850/28 more,more     D-F 150/38 (100,200],more   E-F 1860/10 more,(7,14]
// Euclidean: A-F and B-F are 98.99 m: they move to (0,100].
struct Example {
  std::vector<double> x{0, 0, 50, 150, 1000, 70}, y{0, 0, 30, 0, 1000, 70};
  std::vector<DayNumber> day{0, 3, 10, 12, 40, 50};
};

NearRepeatOptions example_options(DistanceMetric m) {
  NearRepeatOptions o;
  o.space_bands_m = {100, 200};
  o.time_bands_days = {7, 14};
  o.metric = m;
  o.iterations = 99;
  o.seed = 5;
  return o;
}

std::vector<std::vector<uint64_t>> observed(const NearRepeatTable& t) {
  std::vector<std::vector<uint64_t>> o(t.space_bands, std::vector<uint64_t>(t.time_bands));
  for (std::size_t s = 0; s < t.space_bands; ++s)
    for (std::size_t c = 0; c < t.time_bands; ++c) o[s][c] = t.at(s, c).observed;
  return o;
}

}  // namespace

TEST(NearRepeat, WorkedExamplePairCountsByHandManhattan) {
  const Example e;
  const NearRepeatTable t = near_repeat(e.x, e.y, e.day, example_options(DistanceMetric::manhattan)).value();
  ASSERT_EQ(t.space_bands, 4u);
  ASSERT_EQ(t.time_bands, 3u);
  const std::vector<std::vector<uint64_t>> expected{{1, 0, 0}, {1, 1, 1}, {1, 2, 3}, {0, 1, 4}};
  EXPECT_EQ(observed(t), expected);
  EXPECT_EQ(t.pairs, 15u);
  EXPECT_EQ(t.close_pairs, 10u);
}

TEST(NearRepeat, WorkedExamplePairCountsByHandEuclidean) {
  const Example e;
  const NearRepeatTable t = near_repeat(e.x, e.y, e.day, example_options(DistanceMetric::euclidean)).value();
  const std::vector<std::vector<uint64_t>> expected{{1, 0, 0}, {1, 1, 3}, {1, 2, 1}, {0, 1, 4}};
  EXPECT_EQ(observed(t), expected);
}

TEST(NearRepeat, BandsAreExactIntervalsWithTheirClosureStated) {
  const Example e;
  const NearRepeatTable t = near_repeat(e.x, e.y, e.day, example_options(DistanceMetric::manhattan)).value();
  EXPECT_EQ(t.space_label(0), "[0, 0]");
  EXPECT_EQ(t.space_label(1), "(0, 100]");
  EXPECT_EQ(t.space_label(2), "(100, 200]");
  EXPECT_EQ(t.space_label(3), "(200, inf)");
  EXPECT_EQ(t.time_label(0), "[0, 7]");
  EXPECT_EQ(t.time_label(1), "(7, 14]");
  EXPECT_EQ(t.time_label(2), "(14, inf)");
  EXPECT_EQ(t.at(3, 2).space_to_m, std::numeric_limits<double>::infinity());
  // Edges: exactly 100 m and 7 days is in (0, 100] x [0, 7]; 100.5 m and 8 days is not.
  const std::vector<double> x{0, 100, 500, 600.5}, y{0, 0, 0, 0};
  const std::vector<DayNumber> d{0, 7, 1000, 1008};
  const NearRepeatTable u = near_repeat(x, y, d, example_options(DistanceMetric::manhattan)).value();
  EXPECT_EQ(u.at(1, 0).observed, 1u);
  EXPECT_EQ(u.at(2, 1).observed, 1u);
}

// Expected counts: each permutation keeps every pair (15) and the one pair at the
// same location, so the means keep those totals; p is (#{E >= O} + 1) / (R + 1).
TEST(NearRepeat, MonteCarloKeepsTotalsAndGivesPseudoP) {
  const Example e;
  const NearRepeatTable t = near_repeat(e.x, e.y, e.day, example_options(DistanceMetric::manhattan)).value();
  double total = 0, same = 0;
  for (std::size_t s = 0; s < t.space_bands; ++s)
    for (std::size_t c = 0; c < t.time_bands; ++c) {
      const NearRepeatCell& cell = t.at(s, c);
      total += cell.expected;
      if (s == 0) same += cell.expected;
      EXPECT_DOUBLE_EQ(cell.p, (cell.ge + 1.0) / 100.0);
      EXPECT_GE(cell.p, 0.01);
      EXPECT_LE(cell.p, 1.0);
    }
  EXPECT_NEAR(total, 15.0, 1e-9);
  EXPECT_NEAR(same, 1.0, 1e-12);
}

TEST(NearRepeat, SeededAndIndependentOfThreads) {
  const Example e;
  NearRepeatOptions a = example_options(DistanceMetric::manhattan), b = a;
  a.threads = 1;
  b.threads = 2;
  const NearRepeatTable ta = near_repeat(e.x, e.y, e.day, a).value();
  const NearRepeatTable tb = near_repeat(e.x, e.y, e.day, b).value();
  for (std::size_t k = 0; k < ta.cells.size(); ++k) {
    EXPECT_EQ(ta.cells[k].expected, tb.cells[k].expected);
    EXPECT_EQ(ta.cells[k].p, tb.cells[k].p);
  }
  b.seed = 6;
  const NearRepeatTable tc = near_repeat(e.x, e.y, e.day, b).value();
  bool differs = false;
  for (std::size_t k = 0; k < ta.cells.size(); ++k) differs |= ta.cells[k].expected != tc.cells[k].expected;
  EXPECT_TRUE(differs);
}

TEST(NearRepeat, RefusesMonthOnlyDataAndBadBands) {
  const Example e;
  std::vector<DayNumber> days = e.day;
  days[2] = kNoDay;
  const auto r = near_repeat(e.x, e.y, days, example_options(DistanceMetric::manhattan));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, NearRepeatError::no_days);
  EXPECT_NE(r.error().message.find("police.uk"), std::string::npos);
  NearRepeatOptions o = example_options(DistanceMetric::manhattan);
  o.space_bands_m = {200, 100};
  EXPECT_EQ(near_repeat(e.x, e.y, e.day, o).error().code, NearRepeatError::bad_bands);
  o = example_options(DistanceMetric::manhattan);
  o.time_bands_days = {};
  EXPECT_EQ(near_repeat(e.x, e.y, e.day, o).error().code, NearRepeatError::bad_bands);
  o = example_options(DistanceMetric::manhattan);
  o.iterations = 0;
  EXPECT_EQ(near_repeat(e.x, e.y, e.day, o).error().code, NearRepeatError::bad_iterations);
  EXPECT_EQ(near_repeat(std::vector<double>{1}, std::vector<double>{1}, std::vector<DayNumber>{1},
                        example_options(DistanceMetric::manhattan))
                .error()
                .code,
            NearRepeatError::too_few);
}

TEST(NearRepeat, MarkdownHeatTable) {
  const Example e;
  const NearRepeatTable t = near_repeat(e.x, e.y, e.day, example_options(DistanceMetric::manhattan)).value();
  const std::string md = near_repeat_markdown(t);
  EXPECT_NE(md.find("| distance (m) \\ days apart | [0, 7] | (7, 14] | (14, inf) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| same location [0, 0] |"), std::string::npos);
  EXPECT_NE(md.find("| (200, inf) |"), std::string::npos);
  EXPECT_NE(md.find("right-closed"), std::string::npos);
}

namespace {

// Burglaries over a 10 x 10 km box for a year, no planted hot spots; optionally a
// planted near-repeat process: 30% of burglaries are followed within 7 days by
// another within 100 m (10% of those at the same address).
IncidentTable burglaries(bool near_repeats) {
  const Taxonomy tax = Taxonomy::police_uk();
  SynthConfig cfg;
  cfg.seed = 99;
  cfg.first = month_index(2023, 1);
  cfg.last = month_index(2023, 12);
  cfg.bbox = Box(Point(440000, 350000), Point(450000, 360000));
  cfg.incidents_per_month = 500;
  cfg.mix = {{*tax.find("Burglary"), 1.0}};
  cfg.hotspots_per_category = 0;
  if (near_repeats) cfg.near_repeats.push_back({*tax.find("Burglary"), 0.3, 100, 7, 0.1});
  SynthTruth truth;
  IncidentTable t = synthesize(cfg, tax, &truth);
  EXPECT_EQ(near_repeats, truth.near_repeat_follow_ups > 0);
  return t;
}

NearRepeatOptions nrc_defaults() {
  NearRepeatOptions o;
  o.space_bands_m = {100, 200, 300, 400, 500};
  o.time_bands_days = {7, 14, 21, 28};
  o.iterations = 199;
  o.seed = 11;
  return o;
}

}  // namespace

// The planted process shows: Knox ratios well above 1 (p at its minimum) in the
// close bands, and about 1 far away.
TEST(NearRepeat, PlantedNearRepeatProcessShowsInTheCloseBands) {
  const IncidentTable t = burglaries(true);
  const NearRepeatTable r = near_repeat(t.x_m(), t.y_m(), t.day(), nrc_defaults()).value();
  const NearRepeatCell& close = r.at(1, 0);  // (0, 100] m, [0, 7] days
  EXPECT_GT(close.ratio, 3.0);
  EXPECT_DOUBLE_EQ(close.p, 1.0 / 200.0);
  EXPECT_GT(r.at(0, 0).ratio, 3.0);  // repeats at the same address
  EXPECT_DOUBLE_EQ(r.at(0, 0).p, 1.0 / 200.0);
  // Far in space or time: about 1.
  for (std::size_t s = 3; s < r.space_bands; ++s)
    for (std::size_t c = 2; c < r.time_bands; ++c) EXPECT_NEAR(r.at(s, c).ratio, 1.0, 0.2) << s << "," << c;
  EXPECT_NEAR(r.at(r.space_bands - 1, r.time_bands - 1).ratio, 1.0, 0.01);
}

// A random process (the same burglaries without follow-ups): no close cell stands
// out (no ratio >= 1.3 with p <= 0.01 anywhere).
TEST(NearRepeat, RandomProcessShowsNone) {
  const IncidentTable t = burglaries(false);
  const NearRepeatTable r = near_repeat(t.x_m(), t.y_m(), t.day(), nrc_defaults()).value();
  for (std::size_t s = 1; s < r.space_bands; ++s)
    for (std::size_t c = 0; c < r.time_bands; ++c) {
      const NearRepeatCell& cell = r.at(s, c);
      EXPECT_FALSE(cell.ratio >= 1.3 && cell.p <= 0.01) << r.space_label(s) << " x " << r.time_label(c) << ": ratio "
                                                       << cell.ratio << " p " << cell.p;
      EXPECT_NEAR(cell.ratio, 1.0, 0.35) << r.space_label(s) << " x " << r.time_label(c);
    }
}
