#include "core/evaluate/intervention.hpp"

#include <gtest/gtest.h>

#include <boost/geometry/algorithms/covered_by.hpp>
#include <cmath>
#include <limits>
#include <numbers>

using namespace hotspot::core;
namespace bg = boost::geometry;

TEST(InterventionType, NamesAndCommonSpellings) {
  EXPECT_EQ(parse_intervention_type("cctv"), InterventionType::cctv);
  EXPECT_EQ(parse_intervention_type("CCTV"), InterventionType::cctv);
  EXPECT_EQ(parse_intervention_type("Street lighting"), InterventionType::street_lighting);
  EXPECT_EQ(parse_intervention_type("street-lighting"), InterventionType::street_lighting);
  EXPECT_EQ(parse_intervention_type("alley gate"), InterventionType::alleygate);
  EXPECT_EQ(parse_intervention_type("Alley gating"), InterventionType::alleygate);
  EXPECT_EQ(parse_intervention_type("alleyway_closure"), InterventionType::alleyway_closure);
  EXPECT_EQ(parse_intervention_type(" safe space "), InterventionType::safe_space);
  EXPECT_EQ(parse_intervention_type("target hardening"), InterventionType::target_hardening);
  EXPECT_EQ(parse_intervention_type("other"), InterventionType::other);
  EXPECT_FALSE(parse_intervention_type("drone").has_value());
  EXPECT_FALSE(parse_intervention_type("").has_value());
  for (std::size_t t = 0; t < kInterventionTypeCount; ++t) {
    const auto type = static_cast<InterventionType>(t);
    EXPECT_EQ(parse_intervention_type(type_name(type)), type);  // names round-trip
  }
}

TEST(BuildAreas, PointGivesACircleAndARing) {
  const InterventionGeometry g = MultiPoint{Point(450000, 350000)};
  auto a = build_areas(g, 250, 250);
  ASSERT_TRUE(a.ok()) << a.error().message;
  const double pi = std::numbers::pi;
  EXPECT_NEAR(a->target_m2 / (pi * 250 * 250), 1.0, 0.002);
  EXPECT_NEAR(a->buffer_m2 / (pi * (500.0 * 500.0 - 250.0 * 250.0)), 1.0, 0.002);
  EXPECT_TRUE(bg::covered_by(Point(450000, 350000), a->target));
  EXPECT_FALSE(bg::covered_by(Point(450000, 350000), a->buffer));
  EXPECT_TRUE(bg::covered_by(Point(450375, 350000), a->buffer));
  EXPECT_FALSE(bg::covered_by(Point(450375, 350000), a->target));
  EXPECT_FALSE(bg::covered_by(Point(450510, 350000), a->buffer));
  EXPECT_STREQ(geometry_kind(g), "point");
}

TEST(BuildAreas, LineGivesACorridorWithRoundEnds) {
  const InterventionGeometry g = MultiLineString{LineString{Point(0, 0), Point(400, 0)}};
  auto a = build_areas(g, 50, 100);
  ASSERT_TRUE(a.ok());
  const double pi = std::numbers::pi;
  EXPECT_NEAR(a->target_m2 / (2 * 50 * 400 + pi * 50 * 50), 1.0, 0.002);
  EXPECT_NEAR(a->buffer_m2 / (2 * 150 * 400 + pi * 150 * 150 - (2 * 50 * 400 + pi * 50 * 50)), 1.0, 0.002);
  EXPECT_TRUE(bg::covered_by(Point(200, 40), a->target));
  EXPECT_TRUE(bg::covered_by(Point(200, 120), a->buffer));
  EXPECT_STREQ(geometry_kind(g), "line");
}

TEST(BuildAreas, PolygonIsItsOwnTargetWhateverTheRadius) {
  Polygon sq;
  for (auto [x, y] : {std::pair{0.0, 0.0}, {0.0, 100.0}, {100.0, 100.0}, {100.0, 0.0}, {0.0, 0.0}})
    sq.outer().emplace_back(x, y);
  const InterventionGeometry g = MultiPolygon{sq};
  auto a = build_areas(g, 0, 50);
  ASSERT_TRUE(a.ok());
  EXPECT_NEAR(a->target_m2, 10000.0, 1e-6);
  // Square grown by 50 m with round corners, less the square.
  EXPECT_NEAR(a->buffer_m2 / (4 * 100 * 50 + std::numbers::pi * 50 * 50), 1.0, 0.002);
  EXPECT_STREQ(geometry_kind(g), "polygon");
}

TEST(BuildAreas, ZeroBufferGivesNoRing) {
  auto a = build_areas(MultiPoint{Point(0, 0)}, 100, 0);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->buffer.empty());
  EXPECT_DOUBLE_EQ(a->buffer_m2, 0.0);
}

TEST(BuildAreas, BadInputIsAnErrorValue) {
  EXPECT_EQ(build_areas(MultiPoint{}, 100, 100).error().code, GeometryError::empty);
  EXPECT_EQ(build_areas(MultiPoint{Point(std::numeric_limits<double>::quiet_NaN(), 0)}, 100, 100).error().code,
            GeometryError::not_finite);
  EXPECT_EQ(build_areas(MultiPoint{Point(0, 0)}, 0, 100).error().code, GeometryError::bad_distance);
  EXPECT_EQ(build_areas(MultiPoint{Point(0, 0)}, 100, -1).error().code, GeometryError::bad_distance);
  // A self-intersecting ring (its last edge cuts the first), and the message says so.
  Polygon bow;
  for (auto [x, y] : {std::pair{0.0, 0.0}, {0.0, 100.0}, {100.0, 100.0}, {100.0, 0.0}, {-50.0, 50.0}, {0.0, 0.0}})
    bow.outer().emplace_back(x, y);
  auto a = build_areas(MultiPolygon{bow}, 0, 50);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, GeometryError::invalid);
  EXPECT_EQ(a.error().message.rfind("the polygon is not valid: ", 0), 0u) << a.error().message;
  EXPECT_NE(a.error().message.find("self-intersection"), std::string::npos) << a.error().message;
}
