#include "viewer/app/aggregate.hpp"

#include <gtest/gtest.h>

#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#include <random>

using namespace hotspot;
using namespace hotspot::viewer;

namespace {

core::MultiPolygon rect(double x0, double y0, double x1, double y1) {
  core::Polygon p;
  p.outer() = {{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}};
  return core::MultiPolygon{p};
}

}  // namespace

TEST(AreaCounts, AgreesWithANaiveCountForRandomWindowsAndFilters) {
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> u(0, 1);
  core::AreaSet areas;
  for (int i = 0; i < 12; ++i) {
    const double x = 1000 * u(rng), y = 1000 * u(rng), w = 50 + 300 * u(rng), h = 50 + 300 * u(rng);
    areas.add("A" + std::to_string(i), "", rect(x, y, x + w, y + h));  // overlapping on purpose
  }
  areas.build();
  core::IncidentTable t;
  const std::size_t ncat = 4;
  for (int i = 0; i < 4000; ++i) {
    core::IncidentTable::Row r;
    r.x_m = 1200 * u(rng) - 100;
    r.y_m = 1200 * u(rng) - 100;
    r.month = static_cast<int>(u(rng) * 24);
    r.category = static_cast<core::CategoryId>(static_cast<int>(u(rng) * 4) % 4);
    t.push_back(r);
  }
  const AreaCounts counts(t, areas, ncat, 2);
  std::size_t outside = 0;
  for (int trial = 0; trial < 10; ++trial) {
    const int a = static_cast<int>(u(rng) * 24), b = static_cast<int>(u(rng) * 24);
    const MonthRange w{std::min(a, b), std::max(a, b)};
    CategoryFilter filter;
    filter.enabled = {true, u(rng) < 0.5, true, u(rng) < 0.5};
    const CountMatrix m = counts.count(t, w);
    // Model: the first area (index order) whose closed polygon covers the point.
    std::vector<uint64_t> expected(areas.size(), 0);
    std::vector<uint64_t> expected_cat(areas.size() * ncat, 0);
    outside = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      uint32_t hit = core::AreaSet::kNone;
      for (uint32_t k = 0; k < areas.size() && hit == core::AreaSet::kNone; ++k)
        if (boost::geometry::covered_by(core::Point(t.x_m()[i], t.y_m()[i]), areas[k].geometry)) hit = k;
      if (hit == core::AreaSet::kNone) {
        ++outside;
        continue;
      }
      if (!w.contains(t.month()[i])) continue;
      ++expected_cat[hit * ncat + t.category()[i]];
      if (filter.allows(t.category()[i])) ++expected[hit];
    }
    for (std::size_t k = 0; k < areas.size(); ++k) {
      EXPECT_EQ(m.total(k, filter), expected[k]) << "area " << k << " trial " << trial;
      for (std::size_t c = 0; c < ncat; ++c) EXPECT_EQ(m.at(k, c), expected_cat[k * ncat + c]);
    }
  }
  EXPECT_EQ(counts.outside(), outside);
}

TEST(AreaCounts, MonthlySeriesSumToTheWindowTotal) {
  core::AreaSet areas;
  areas.add("A", "", rect(0, 0, 10, 10));
  areas.build();
  core::IncidentTable t;
  for (int m = 0; m < 12; ++m)
    for (int k = 0; k <= m; ++k) {
      core::IncidentTable::Row r;
      r.x_m = 5;
      r.y_m = 5;
      r.month = m;
      t.push_back(r);
    }
  const AreaCounts counts(t, areas, 1);
  CategoryFilter all;
  all.enabled = {true};
  const auto monthly = counts.monthly(t, 0, {0, 11}, all);
  ASSERT_EQ(monthly.size(), 12u);
  EXPECT_EQ(monthly[0], 1u);
  EXPECT_EQ(monthly[11], 12u);
  EXPECT_EQ(counts.count(t, {3, 5}).total(0, all), 4u + 5u + 6u);
  EXPECT_EQ(monthly_totals(t, {3, 5}, all), (std::vector<uint32_t>{4, 5, 6}));
}
