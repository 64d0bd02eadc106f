#include "viewer/app/triangulate.hpp"

#include <gtest/gtest.h>

#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#include <cmath>

#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::viewer;
using hotspot::layers::FeatureSet;
using hotspot::layers::GeometryClass;

namespace {

void add_ring(FeatureSet& fs, const std::vector<std::pair<double, double>>& pts) {
  fs.add_ring();
  for (auto [x, y] : pts) fs.add_vertex(x, y);
}

}  // namespace

TEST(Triangulate, ASquareIsTwoTrianglesAndFourOutlineEdges) {
  FeatureSet fs;
  fs.begin_feature(GeometryClass::polygon, 1);
  fs.add_part();
  add_ring(fs, {{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}});
  fs.finish();
  const PolygonMesh m = triangulate_polygons(fs);
  EXPECT_EQ(m.triangles.size(), 6u);
  EXPECT_EQ(m.lines.size(), 8u);
  EXPECT_EQ(m.vertex_count(), 4u);  // the closing vertex is not repeated
  EXPECT_NEAR(m.area_m2(), 100.0, 1e-9);
  EXPECT_EQ(m.fallbacks, 0u);
}

TEST(Triangulate, ConcavePolygonsWithHolesKeepTheirArea) {
  FeatureSet fs;
  // An L shape with a square hole.
  fs.begin_feature(GeometryClass::polygon, 1);
  fs.add_part();
  add_ring(fs, {{0, 0}, {0, 30}, {10, 30}, {10, 10}, {30, 10}, {30, 0}, {0, 0}});
  add_ring(fs, {{2, 2}, {6, 2}, {6, 6}, {2, 6}, {2, 2}});
  // A second feature: two parts.
  fs.begin_feature(GeometryClass::polygon, 2);
  fs.add_part();
  add_ring(fs, {{100, 0}, {100, 5}, {105, 5}, {105, 0}, {100, 0}});
  fs.add_part();
  add_ring(fs, {{200, 0}, {200, 1}, {201, 1}, {201, 0}, {200, 0}});
  fs.finish();
  const PolygonMesh m = triangulate_polygons(fs);
  const double expected = (30 * 10 + 10 * 20 - 16) + 25 + 1;
  EXPECT_NEAR(m.area_m2(), expected, 1e-6);
  EXPECT_EQ(m.fallbacks, 0u);
  // Every triangle belongs to one feature.
  for (std::size_t t = 0; t < m.triangles.size(); t += 3) {
    EXPECT_EQ(m.feature[m.triangles[t]], m.feature[m.triangles[t + 1]]);
    EXPECT_EQ(m.feature[m.triangles[t]], m.feature[m.triangles[t + 2]]);
  }
}

TEST(Triangulate, RealWardsTriangulateToTheirArea) {
  const FeatureSet fs = layers::read_features((hotspot::test::ashfield() / "boundaries" / "ashfield_wards_2024.geojson").string(), {});
  const PolygonMesh m = triangulate_polygons(fs);
  double area = 0;
  for (std::size_t f = 0; f < fs.size(); ++f) area += std::abs(boost::geometry::area(fs.polygons(f)));
  // Float vertices relative to the layer origin: well under a square metre per ward.
  EXPECT_NEAR(m.area_m2(), area, area * 1e-5);
  EXPECT_EQ(m.fallbacks, 0u);
  EXPECT_LT(std::abs(m.origin_x_m - 450000), 10000);
}

TEST(Triangulate, LineMeshHasOneSegmentPerEdge) {
  FeatureSet fs;
  fs.begin_feature(GeometryClass::line, 1);
  fs.add_part();
  add_ring(fs, {{0, 0}, {5, 0}, {5, 5}});
  fs.finish();
  const PolygonMesh m = line_mesh(fs);
  EXPECT_EQ(m.lines.size(), 4u);
  EXPECT_TRUE(m.triangles.empty());
}
