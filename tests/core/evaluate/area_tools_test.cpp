// Internal helpers of the evaluation engine (core/evaluate/detail/area_tools.hpp):
// model-based checks against Boost.Geometry.

#include "core/evaluate/detail/area_tools.hpp"

#include <gtest/gtest.h>

#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/intersection.hpp>
#include <cmath>

#include "core/base/random.hpp"
#include "core/evaluate/intervention.hpp"

using namespace hotspot::core;
namespace bg = boost::geometry;

TEST(AreaMask, AgreesWithCoveredByOnRandomPointsIncludingEdgesAndVertices) {
  hotspot::Rng rng(99);
  const MultiPolygon ring = build_areas(MultiPoint{Point(450000, 350000)}, 100, 250).value().buffer;
  const MultiPolygon lines =
      build_areas(MultiLineString{LineString{Point(450000, 350000), Point(450400, 350100), Point(450500, 350500)}}, 50, 100)
          .value()
          .buffer;
  for (const MultiPolygon* g : {&ring, &lines}) {
    const detail::AreaMask mask(*g);
    // Random points over the bounding box and a margin around it.
    for (int k = 0; k < 20000; ++k) {
      const double x = 449500 + rng.uniform() * 1600, y = 349500 + rng.uniform() * 1600;
      ASSERT_EQ(mask.covers(x, y), bg::covered_by(Point(x, y), *g)) << x << "," << y;
    }
    // On the boundary: vertices are covered; edge midpoints (rounded off the line or
    // not) get covered_by's answer.
    for (const Polygon& p : *g) {
      const Ring& r = p.outer();
      for (std::size_t k = 0; k + 1 < r.size(); ++k) {
        EXPECT_TRUE(mask.covers(r[k].x(), r[k].y()));
        const double mx = (r[k].x() + r[k + 1].x()) / 2, my = (r[k].y() + r[k + 1].y()) / 2;
        EXPECT_EQ(mask.covers(mx, my), bg::covered_by(Point(mx, my), *g));
      }
    }
  }
  EXPECT_FALSE(detail::AreaMask(MultiPolygon{}).covers(0, 0));
}

TEST(CircleOverlap, LensAreasMatchTheirPolygonsWithinTheirApproximation) {
  const double pi = std::acos(-1.0);
  // Discs of radius 100 and 100 at distance 100: 2 r^2 acos(d/2r) - (d/2) sqrt(4r^2 - d^2).
  const detail::Circle a{0, 0, 0, 100}, b{100, 0, 0, 100};
  EXPECT_NEAR(detail::circle_overlap(a, b), 2 * 1e4 * std::acos(0.5) - 50 * std::sqrt(3e4), 1e-9);
  EXPECT_NEAR(detail::circle_overlap(a, {500, 0, 0, 100}), 0.0, 1e-12);           // apart
  EXPECT_NEAR(detail::circle_overlap(a, {10, 0, 0, 300}), pi * 1e4, 1e-9);         // inside
  EXPECT_NEAR(detail::circle_overlap({0, 0, 100, 350}, {0, 0, 0, 100}), 0.0, 1e-9);  // ring vs its own hole
  // Against Boost on the 360-gons the evaluation would build: within their 0.005%.
  for (double d : {0.0, 50.0, 150.0, 300.0, 420.0}) {
    const auto p = build_areas(MultiPoint{Point(0, 0)}, 100, 250, 360).value();
    const auto q = build_areas(MultiPoint{Point(d, 30)}, 80, 200, 360).value();
    const detail::Circle pt{0, 0, 0, 100}, pb{0, 0, 100, 350}, qt{d, 30, 0, 80}, qb{d, 30, 80, 280};
    const std::pair<const MultiPolygon*, const MultiPolygon*> pairs[] = {
        {&p.target, &q.target}, {&p.target, &q.buffer}, {&p.buffer, &q.target}, {&p.buffer, &q.buffer}};
    const std::pair<detail::Circle, detail::Circle> circles[] = {{pt, qt}, {pt, qb}, {pb, qt}, {pb, qb}};
    for (int k = 0; k < 4; ++k) {
      const double boost_area = detail::overlap_area(*pairs[k].first, *pairs[k].second);
      const double lens = detail::circle_overlap(circles[k].first, circles[k].second);
      EXPECT_NEAR(lens, boost_area, 5e-4 * std::max(1.0, boost_area) + 2.0) << d << " " << k;
    }
  }
}
