#include "core/synth/synth.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/spatial/area_set.hpp"

using namespace hotspot::core;

namespace {

// A 10 km x 10 km study area at (440000, 350000).
AreaSet square_area() {
  AreaSet a;
  MultiPolygon m;
  m.resize(1);
  for (auto [x, y] : {std::pair{440000.0, 350000.0}, {440000.0, 360000.0}, {450000.0, 360000.0},
                      {450000.0, 350000.0}, {440000.0, 350000.0}})
    m[0].outer().emplace_back(x, y);
  a.add("S", "square", m);
  a.build();
  return a;
}

SynthConfig base_config(const AreaSet& area) {
  SynthConfig c;
  c.seed = 42;
  c.first = month_index(2022, 1);
  c.last = month_index(2023, 12);
  c.incidents_per_month = 500;
  c.boundary = &area;
  return c;
}

bool tables_equal(const IncidentTable& a, const IncidentTable& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a.x_m()[i] != b.x_m()[i] || a.y_m()[i] != b.y_m()[i] || a.month()[i] != b.month()[i] ||
        a.day()[i] != b.day()[i] || a.category()[i] != b.category()[i] || a.line()[i] != b.line()[i])
      return false;
  return true;
}

}  // namespace

TEST(Synth, SameSeedSameDataForAnyThreadCount) {
  const AreaSet area = square_area();
  const Taxonomy tax = Taxonomy::police_uk();
  SynthConfig a = base_config(area), b = base_config(area), c = base_config(area);
  a.threads = 1;
  b.threads = 4;
  c.seed = 43;
  const auto ta = synthesize(a, tax), tb = synthesize(b, tax), tc = synthesize(c, tax);
  EXPECT_TRUE(tables_equal(ta, tb));
  EXPECT_FALSE(tables_equal(ta, tc));
}

TEST(Synth, PoissonTotalIsNearTheExpectedVolume) {
  const AreaSet area = square_area();
  const auto t = synthesize(base_config(area), Taxonomy::police_uk());
  // 24 months x 500: Poisson sd ~ 110; seasonality averages out over whole years.
  EXPECT_NEAR(static_cast<double>(t.size()), 12000.0, 500.0);
}

TEST(Synth, TotalRowsIsExact) {
  const AreaSet area = square_area();
  SynthConfig c = base_config(area);
  c.total_rows = 12345;
  EXPECT_EQ(synthesize(c, Taxonomy::police_uk()).size(), 12345u);
}

TEST(Synth, EveryIncidentIsInsideTheBoundaryAndInTheStudyMonths) {
  const AreaSet area = square_area();
  SynthConfig c = base_config(area);
  const auto t = synthesize(c, Taxonomy::police_uk());
  for (std::size_t i = 0; i < t.size(); ++i) {
    ASSERT_NE(area.locate(t.x_m()[i], t.y_m()[i]), AreaSet::kNone);
    ASSERT_GE(t.month()[i], c.first);
    ASSERT_LE(t.month()[i], c.last);
    ASSERT_EQ(month_of_day(t.day()[i]), t.month()[i]);  // the day lies in its month
    ASSERT_EQ(t.line()[i], i + 1);
  }
}

TEST(Synth, SnappedIncidentsSitExactlyOnPopulationPoints) {
  const AreaSet area = square_area();
  SynthConfig c = base_config(area);
  for (int i = 0; i < 50; ++i)
    for (int j = 0; j < 50; ++j) c.population.emplace_back(440100.0 + i * 200, 350100.0 + j * 200);
  c.population.emplace_back(500000, 500000);  // outside: never used
  c.snap = true;
  const auto t = synthesize(c, Taxonomy::police_uk());
  std::set<std::pair<double, double>> points;
  for (const auto& p : c.population) points.emplace(p.x(), p.y());
  std::set<std::pair<double, double>> used;
  for (std::size_t i = 0; i < t.size(); ++i) {
    ASSERT_TRUE(points.count({t.x_m()[i], t.y_m()[i]})) << i;
    used.emplace(t.x_m()[i], t.y_m()[i]);
  }
  EXPECT_FALSE(used.count({500000, 500000}));
  EXPECT_LT(used.size(), t.size() / 2);  // coordinates repeat, as on police.uk
}

TEST(Synth, HotspotsConcentrateTheirShareAndEmergingOnesStartMidPeriod) {
  const AreaSet area = square_area();
  const Taxonomy tax = Taxonomy::police_uk();
  SynthConfig c = base_config(area);
  c.hotspots_per_category = 3;
  c.hotspot_share = 0.3;
  SynthTruth truth;
  const auto t = synthesize(c, tax, &truth);
  ASSERT_EQ(truth.hotspots.size(), 14u * 3u);
  const MonthIndex mid = c.first + 12;
  for (std::size_t h = 0; h < truth.hotspots.size(); ++h) {
    const auto& hs = truth.hotspots[h];
    EXPECT_EQ(hs.from, h % 3 == 2 ? mid : c.first) << h;
  }
  // Burglary: each persistent hotspot gets ~10% of burglaries, the emerging one ~5%
  // over the whole period (active for half of it).
  const CategoryId burglary = *tax.find("Burglary");
  const double burglaries = static_cast<double>(truth.category_counts[burglary]);
  for (std::size_t h = 0; h < truth.hotspots.size(); ++h) {
    if (truth.hotspots[h].category != burglary) continue;
    const double expected = burglaries * (h % 3 == 2 ? 0.05 : 0.1);
    EXPECT_NEAR(static_cast<double>(truth.hotspot_counts[h]), expected, 4 * std::sqrt(expected) + 3) << h;
  }
  // An emerging hotspot generates nothing before it starts.
  for (std::size_t h = 2; h < truth.hotspots.size(); h += 3) {
    const auto& hs = truth.hotspots[h];
    std::size_t near_before = 0, near_after = 0;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (t.category()[i] == hs.category && std::hypot(t.x_m()[i] - hs.x_m, t.y_m()[i] - hs.y_m) < hs.sigma_m)
        (t.month()[i] < mid ? near_before : near_after)++;
    EXPECT_GE(near_after + 2, near_before) << h;
  }
}

TEST(Synth, PlantedEffectRemovesAndDisplacesAsConfigured) {
  const AreaSet area = square_area();
  const Taxonomy tax = Taxonomy::police_uk();
  SynthConfig c = base_config(area);
  c.incidents_per_month = 4000;
  c.hotspots_per_category = 0;
  SynthEffect e;
  e.name = "gates";
  e.x_m = 445000;
  e.y_m = 355000;
  e.radius_m = 1500;
  e.ring_m = 1000;
  e.from = month_index(2023, 1);
  e.drop_pct = 30;
  e.displace_pct = 10;
  c.effects.push_back(e);
  SynthTruth truth;
  synthesize(c, tax, &truth);
  ASSERT_EQ(truth.effects.size(), 1u);
  const auto& et = truth.effects[0];
  EXPECT_EQ(et.months_before, 12);
  EXPECT_EQ(et.months_after, 12);
  // Uniform background: after/before in the target ~ 0.7, in the ring ~ 1.1.
  const double target_ratio = static_cast<double>(et.target_after) / static_cast<double>(et.target_before);
  const double ring_ratio = static_cast<double>(et.ring_after) / static_cast<double>(et.ring_before);
  EXPECT_NEAR(target_ratio, 0.7, 0.05);
  EXPECT_NEAR(ring_ratio, 1.1, 0.05);
  EXPECT_NEAR(static_cast<double>(et.removed) / static_cast<double>(et.removed + et.target_after), 0.3, 0.03);
  EXPECT_GT(et.displaced, 0u);
}

TEST(Synth, DefaultMixCoversEveryCurrentPoliceUkType) {
  const Taxonomy tax = Taxonomy::police_uk();
  const auto mix = default_mix(tax);
  EXPECT_EQ(mix.size(), 14u);
  double total = 0;
  for (const auto& [c, s] : mix) total += s;
  EXPECT_NEAR(total, 1.0, 0.01);
}

TEST(Synth, MapPointsStayInTheBoxAndCluster) {
  const Box box(Point(100000, 100000), Point(200000, 200000));
  const auto pts = synthetic_map_points(box, 20000, 9);
  ASSERT_EQ(pts.size(), 20000u);
  for (const auto& p : pts) {
    ASSERT_GE(p.x(), 100000);
    ASSERT_LE(p.y(), 200000);
  }
  EXPECT_EQ(synthetic_map_points(box, 100, 9).front().x(), synthetic_map_points(box, 100, 9).front().x());
}
