#include "core/stats/hotspot_matrix.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/base/random.hpp"
#include "core/grid/counts.hpp"
#include "core/grid/grid.hpp"
#include "core/incidents/time.hpp"

using namespace hotspot;
using namespace hotspot::core;

namespace {
int64_t minute_of(int y, unsigned m, unsigned d, int hh, int mm) {
  return static_cast<int64_t>(days_from_civil(y, m, d)) * kMinutesPerDay + hh * 60 + mm;
}
}  // namespace

TEST(HotspotMatrix, HourOfWeekStartsOnMonday) {
  EXPECT_EQ(hour_of_week(0), 3 * 24);                             // Thu 1970-01-01 00:00
  EXPECT_EQ(hour_of_week(minute_of(2024, 1, 1, 0, 0)), 0);        // Monday
  EXPECT_EQ(hour_of_week(minute_of(2024, 1, 7, 23, 59)), 167);    // Sunday 23:59
  EXPECT_EQ(hour_of_week(minute_of(1969, 12, 31, 13, 5)), 2 * 24 + 13);  // a Wednesday, before 1970
}

// Aoristic weighting by hand: 10:30-12:30 on a Monday puts 30/120 in hour 10,
// 60/120 in hour 11 and 30/120 in hour 12; a week-long window is spread evenly.
TEST(HotspotMatrix, AoristicWeightsSpreadOneIncidentOverItsWindow) {
  HourOfWeek w{};
  add_aoristic(minute_of(2024, 1, 1, 10, 30), minute_of(2024, 1, 1, 12, 30), w);
  EXPECT_DOUBLE_EQ(w[10], 0.25);
  EXPECT_DOUBLE_EQ(w[11], 0.5);
  EXPECT_DOUBLE_EQ(w[12], 0.25);
  EXPECT_DOUBLE_EQ(std::accumulate(w.begin(), w.end(), 0.0), 1.0);
  HourOfWeek u{};
  add_aoristic(minute_of(2024, 1, 3, 9, 0), minute_of(2024, 1, 12, 9, 0), u);
  for (double h : u) EXPECT_DOUBLE_EQ(h, 1.0 / 168.0);
  // Across midnight Sunday -> Monday.
  HourOfWeek s{};
  add_aoristic(minute_of(2024, 1, 7, 23, 0), minute_of(2024, 1, 8, 1, 0), s);
  EXPECT_DOUBLE_EQ(s[167], 0.5);
  EXPECT_DOUBLE_EQ(s[0], 0.5);
  EXPECT_DOUBLE_EQ(hour_of_day(s)[23], 0.5);
}

TEST(HotspotMatrix, TemporalTypesFromThePeakWindow) {
  const MatrixOptions o;
  HourOfDay even{};
  even.fill(1.0);
  EXPECT_EQ(peak_window(even, 0.5).hours, 12);
  EXPECT_EQ(classify_temporal(even, o), TemporalPattern::diffused);
  HourOfDay night{};
  night[23] = 4;
  night[0] = 4;
  night[1] = 2;
  night[12] = 1;
  const PeakWindow p = peak_window(night, 0.5);
  EXPECT_EQ(p.start_hour, 23);  // wraps round midnight
  EXPECT_EQ(p.hours, 2);
  EXPECT_EQ(classify_temporal(night, o), TemporalPattern::acute);
  HourOfDay evening{};
  for (int h = 15; h < 23; ++h) evening[static_cast<std::size_t>(h)] = 2;
  for (int h = 0; h < 15; ++h) evening[static_cast<std::size_t>(h)] = 0.3;
  EXPECT_EQ(classify_temporal(evening, o), TemporalPattern::focused);
  EXPECT_EQ(classify_temporal(HourOfDay{}, o), TemporalPattern::unclassified);
}

TEST(HotspotMatrix, SpatialTypes) {
  const MatrixOptions o;
  // 30 incidents, 20 of them at two addresses: hotpoints.
  std::vector<double> x, y;
  for (int k = 0; k < 10; ++k) {
    x.push_back(10);
    y.push_back(10);
    x.push_back(300);
    y.push_back(250);
  }
  for (int k = 0; k < 10; ++k) {
    x.push_back(40.0 * k);
    y.push_back(400 - 30.0 * k);
  }
  SpatialMeasures m;
  EXPECT_EQ(classify_spatial(x, y, 400 * 400, o, &m), SpatialPattern::hotpoints);
  EXPECT_NEAR(m.top_share, 21.0 / 30.0, 1e-12);  // the three busiest: 10 + 10 + 1
  EXPECT_EQ(m.locations, 12u);
  // A regular lattice over the area: dispersed (NNI > 1).
  x.clear();
  y.clear();
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 8; ++j) {
      x.push_back(25 + 50.0 * i);
      y.push_back(25 + 50.0 * j);
    }
  EXPECT_EQ(classify_spatial(x, y, 400 * 400, o, &m), SpatialPattern::dispersed);
  EXPECT_GT(m.nni, 1.5);
  // 60 distinct points in a 40 m patch of a 400 m square: clustered.
  Rng rng(3);
  x.clear();
  y.clear();
  for (int k = 0; k < 60; ++k) {
    x.push_back(180 + 40 * rng.uniform());
    y.push_back(180 + 40 * rng.uniform());
  }
  EXPECT_EQ(classify_spatial(x, y, 400 * 400, o, &m), SpatialPattern::clustered);
  EXPECT_LT(m.nni_z, -5);
  // Too few to say.
  EXPECT_EQ(classify_spatial(std::vector<double>{1, 2}, std::vector<double>{1, 2}, 100, o), SpatialPattern::unclassified);
}

// Two separate groups of hot cells on a 10 x 10 grid of 100 m cells become two hot
// spots with their incidents; a night-time burglary cluster at three addresses is
// "hotpoints, acute".
TEST(HotspotMatrix, HotSpotsAreConnectedHotCellsWithTheirIncidents) {
  const Grid g = Grid::over_box({CellShape::square, 100, 0, 0}, Box(Point(0, 0), Point(999, 999))).value();
  std::vector<int8_t> bins(g.size(), 0);
  auto at = [&](int c, int r) { return g.at_lattice(c, r); };
  bins[at(1, 1)] = 3;
  bins[at(2, 2)] = 2;  // diagonal: the same hot spot (queen)
  bins[at(7, 7)] = 2;
  bins[at(8, 7)] = 1;  // 90 % only: not part of a hot spot (min_bin 2)
  std::vector<double> x, y;
  std::vector<int64_t> from, to;
  for (int k = 0; k < 30; ++k) {  // at three addresses in cell (1,1), 01:00-03:00
    x.push_back(150 + (k % 3));
    y.push_back(150);
    from.push_back(minute_of(2024, 3, static_cast<unsigned>(1 + k % 28), 1, 0));
    to.push_back(minute_of(2024, 3, static_cast<unsigned>(1 + k % 28), 3, 0));
  }
  for (int k = 0; k < 12; ++k) {  // spread over cell (7,7), any time of day
    x.push_back(705 + 7.0 * k);
    y.push_back(710 + 6.0 * (k % 5));
    from.push_back(minute_of(2024, 3, static_cast<unsigned>(1 + k), 2 * k, 0));
    to.push_back(from.back() + 1);
  }
  x.push_back(550);  // not in a hot spot
  y.push_back(550);
  from.push_back(0);
  to.push_back(1);
  std::vector<uint32_t> cell(x.size());
  g.locate_many(x, y, cell);
  const auto spots = hotspot_matrix(g, bins, cell, x, y, from, to);
  ASSERT_EQ(spots.size(), 2u);
  EXPECT_EQ(spots[0].cells, (std::vector<uint32_t>{at(1, 1), at(2, 2)}));
  EXPECT_EQ(spots[0].measures.incidents, 30u);
  EXPECT_EQ(spots[0].spatial, SpatialPattern::hotpoints);
  EXPECT_EQ(spots[0].temporal, TemporalPattern::acute);
  EXPECT_EQ(spots[0].peak.start_hour, 1);
  EXPECT_EQ(spots[0].peak.hours, 1);
  EXPECT_EQ(spots[0].timed, 30u);
  EXPECT_DOUBLE_EQ(spots[0].area_m2, 20000);
  EXPECT_EQ(spots[1].cells, (std::vector<uint32_t>{at(7, 7)}));
  EXPECT_EQ(spots[1].measures.incidents, 12u);
  EXPECT_EQ(spots[1].temporal, TemporalPattern::diffused);
  // Without times: no temporal type.
  const auto untimed = hotspot_matrix(g, bins, cell, x, y, {}, {});
  EXPECT_EQ(untimed[0].temporal, TemporalPattern::unclassified);
  EXPECT_EQ(untimed[0].spatial, SpatialPattern::hotpoints);
}
