#include "viewer/app/regular_grid.hpp"

#include <gtest/gtest.h>

using namespace hotspot;
using namespace hotspot::viewer;
using hotspot::layers::FeatureSet;
using hotspot::layers::GeometryClass;

namespace {

void add_rect(FeatureSet& fs, double x0, double y0, double w, double h, int64_t fid) {
  fs.begin_feature(GeometryClass::polygon, fid);
  fs.add_part();
  fs.add_ring();
  for (auto [x, y] : {std::pair{x0, y0}, {x0, y0 + h}, {x0 + w, y0 + h}, {x0 + w, y0}, {x0, y0}}) fs.add_vertex(x, y);
}

FeatureSet grid(int cols, int rows, double cell, bool skip_one) {
  FeatureSet fs;
  fs.geometry = GeometryClass::polygon;
  int64_t fid = 1;
  for (int r = rows - 1; r >= 0; --r)  // any feature order
    for (int c = 0; c < cols; ++c)
      if (!(skip_one && r == 1 && c == 2)) add_rect(fs, 450000 + c * cell, 356000 + r * cell, cell, cell, fid++);
  fs.finish();
  return fs;
}

}  // namespace

TEST(RegularGrid, RecognisesASquareGridAndMapsCellsToFeatures) {
  const FeatureSet fs = grid(4, 3, 250, true);
  const auto g = detect_regular_grid(fs);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->cols, 4);
  EXPECT_EQ(g->rows, 3);
  EXPECT_DOUBLE_EQ(g->x0_m, 450000);
  EXPECT_DOUBLE_EQ(g->y0_m, 356000);
  EXPECT_DOUBLE_EQ(g->cell_w_m, 250);
  EXPECT_EQ(g->feature_of_cell[1 * 4 + 2], -1);  // the missing cell
  // The first feature added is the north-west cell (row 2, col 0).
  EXPECT_EQ(g->feature_of_cell[2 * 4 + 0], 0);
  std::size_t mapped = 0;
  for (int32_t f : g->feature_of_cell) mapped += f >= 0;
  EXPECT_EQ(mapped, fs.size());
}

TEST(RegularGrid, RefusesAnythingThatIsNotOneLatticeOfEqualRectangles) {
  FeatureSet uneven = grid(3, 3, 100, false);
  add_rect(uneven, 450000, 356000 + 300, 100, 120, 99);  // a taller cell
  uneven.finish();
  EXPECT_FALSE(detect_regular_grid(uneven).has_value());

  FeatureSet shifted = grid(3, 3, 100, false);
  add_rect(shifted, 450050, 356300, 100, 100, 99);  // off the lattice
  shifted.finish();
  EXPECT_FALSE(detect_regular_grid(shifted).has_value());

  FeatureSet twice = grid(3, 3, 100, false);
  add_rect(twice, 450000, 356000, 100, 100, 99);  // two features in one cell
  twice.finish();
  EXPECT_FALSE(detect_regular_grid(twice).has_value());

  FeatureSet hexish;
  hexish.geometry = GeometryClass::polygon;
  for (int i = 0; i < 5; ++i) {
    hexish.begin_feature(GeometryClass::polygon, i);
    hexish.add_part();
    hexish.add_ring();
    for (auto [x, y] : {std::pair{0.0, 0.0}, {1.0, 2.0}, {3.0, 2.0}, {4.0, 0.0}, {3.0, -2.0}, {1.0, -2.0}, {0.0, 0.0}})
      hexish.add_vertex(x + 10 * i, y);
  }
  hexish.finish();
  EXPECT_FALSE(detect_regular_grid(hexish).has_value());

  // A sparse lattice too large for one texture.
  EXPECT_FALSE(detect_regular_grid(grid(10, 10, 100, false), 50).has_value());
}
