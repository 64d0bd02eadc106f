#include "core/grid/grid.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/base/random.hpp"
#include "core/spatial/area_set.hpp"

using namespace hotspot;
using namespace hotspot::core;

TEST(CellId, BitLayoutRoundTripsAndIsStable) {
  const CellId id = CellId::make(CellShape::square, 4512, 3560);
  EXPECT_EQ(id.column(), 4512);
  EXPECT_EQ(id.row(), 3560);
  EXPECT_EQ(id.shape(), CellShape::square);
  // bits 59..30 column + 2^29, bits 29..0 row + 2^29, shape in 62..60.
  EXPECT_EQ(id.value(), ((uint64_t{4512} + (1u << 29)) << 30) | (uint64_t{3560} + (1u << 29)));
  const CellId h = CellId::make(CellShape::hex, -7, 12);
  EXPECT_EQ(h.column(), -7);
  EXPECT_EQ(h.row(), 12);
  EXPECT_EQ(h.value() >> 60, 1u);
  EXPECT_GE(h.as_int64(), 0);
  EXPECT_TRUE(CellId::none().is_none());
  EXPECT_FALSE(CellId::none().valid());
  EXPECT_EQ(CellId::from_value(h.value()), h);
}

TEST(Grid, RejectsBadCellSizeAndEmptyExtent) {
  EXPECT_EQ(Grid::over_box({CellShape::square, 0}, Box(Point(0, 0), Point(10, 10))).error().code,
            GridError::bad_cell_size);
  EXPECT_EQ(Grid::over_box({CellShape::square, 10}, Box(Point(10, 10), Point(0, 0))).error().code,
            GridError::empty_extent);
  EXPECT_EQ(Grid::over_box({CellShape::square, 0.001}, Box(Point(0, 0), Point(700000, 1300000))).error().code,
            GridError::too_many_cells);
}

TEST(Grid, SquareCellsAreHalfOpenAndIdsAnchoredAtTheNationalGridOrigin) {
  const Grid g = Grid::over_box({CellShape::square, 100}, Box(Point(451000, 356000), Point(451999, 356999))).value();
  EXPECT_EQ(g.size(), 100u);
  const uint32_t i = g.locate(451250, 356350);
  ASSERT_NE(i, Grid::kNone);
  EXPECT_EQ(g.id(i), CellId::make(CellShape::square, 4512, 3563));
  EXPECT_DOUBLE_EQ(g.centre_x(i), 451250);
  EXPECT_DOUBLE_EQ(g.centre_y(i), 356350);
  EXPECT_EQ(g.locate(451300, 356350), g.locate(451350, 356350));  // edge goes right
  EXPECT_NE(g.locate(451300, 356350), i);
  EXPECT_EQ(g.locate(452500, 356350), Grid::kNone);
  EXPECT_EQ(g.locate(std::nan(""), 1), Grid::kNone);
  EXPECT_EQ(g.find(g.id(i)), i);
  EXPECT_DOUBLE_EQ(g.cell_area_m2(), 10000);
  // Row-major from the south-west.
  EXPECT_LT(g.centre_y(0), g.centre_y(99));
  EXPECT_LT(g.centre_x(0), g.centre_x(1));
}

TEST(Grid, HexagonLocateIsTheNearestCentre) {
  const GridSpec spec{CellShape::hex, 100};
  const Grid g = Grid::over_box(spec, Box(Point(0, 0), Point(2000, 2000))).value();
  EXPECT_NEAR(g.cell_area_m2(), std::sqrt(3.0) / 2 * 1e4, 1e-9);
  Rng rng(3);
  for (int k = 0; k < 20000; ++k) {
    const double x = rng.uniform(200, 1800), y = rng.uniform(200, 1800);
    const uint32_t c = g.locate(x, y);
    ASSERT_NE(c, Grid::kNone);
    double best = 1e300;
    uint32_t arg = 0;
    for (uint32_t j = 0; j < g.size(); ++j) {
      const double d = std::hypot(g.centre_x(j) - x, g.centre_y(j) - y);
      if (d < best) best = d, arg = j;
    }
    ASSERT_NEAR(std::hypot(g.centre_x(c) - x, g.centre_y(c) - y), best, 1e-9) << x << "," << y;
    (void)arg;
  }
  // Adjacent centres are cell_m apart.
  const uint32_t a = g.locate(1000, 1000);
  int at_100 = 0;
  for (uint32_t j = 0; j < g.size(); ++j)
    if (std::fabs(std::hypot(g.centre_x(j) - g.centre_x(a), g.centre_y(j) - g.centre_y(a)) - 100) < 1e-6) ++at_100;
  EXPECT_EQ(at_100, 6);
  EXPECT_EQ(g.find(g.id(a)), a);
}

TEST(Grid, OverBoundaryKeepsCellsMeetingItWithAreaFractions) {
  // A right triangle with legs of 1000 m: area 500,000 m^2.
  AreaSet b;
  MultiPolygon mp;
  mp.resize(1);
  mp[0].outer() = {Point(1000, 1000), Point(1000, 2000), Point(2000, 1000), Point(1000, 1000)};
  b.add("T", "", mp);
  b.build();
  for (CellShape shape : {CellShape::square, CellShape::hex}) {
    const Grid g = Grid::over_boundary({shape, 100}, b).value();
    double area = 0;
    for (uint32_t i = 0; i < g.size(); ++i) {
      EXPECT_GT(g.area_fraction(i), 0.0);
      area += g.area_fraction(i) * g.cell_area_m2();
    }
    EXPECT_NEAR(area, 500000, 1e-6) << static_cast<int>(shape);
    // Every point inside the triangle falls in a cell of the grid.
    Rng rng(9);
    for (int k = 0; k < 5000; ++k) {
      const double x = rng.uniform(1000, 2000), y = rng.uniform(1000, 2000);
      if (x - 1000 + y - 1000 < 1000) {
        ASSERT_NE(g.locate(x, y), Grid::kNone);
      }
    }
  }
  // Cells along the diagonal of a square grid with 10 cells touched on a corner only are dropped.
  const Grid sq = Grid::over_boundary({CellShape::square, 100}, b).value();
  EXPECT_EQ(sq.size(), 55u);  // 10 + 9 + ... + 1 cells have positive overlap
  GridOptions centre;
  centre.keep = CellKeep::centre_inside;
  // Centres on the hypotenuse are covered (boundary points count as inside): c + r <= 9.
  EXPECT_EQ(Grid::over_boundary({CellShape::square, 100}, b, centre).value().size(), 55u);
  MultiPolygon shifted;
  shifted.resize(1);
  shifted[0].outer() = {Point(1000, 1000), Point(1000, 1990), Point(1990, 1000), Point(1000, 1000)};
  AreaSet b2;
  b2.add("T2", "", shifted);
  b2.build();
  EXPECT_EQ(Grid::over_boundary({CellShape::square, 100}, b2, centre).value().size(), 45u);
  GridOptions flag;
  flag.flag_outside = true;
  const Grid f = Grid::over_boundary({CellShape::square, 100}, b, flag).value();
  EXPECT_EQ(f.size(), 121u);  // the 11 x 11 lattice over the bounds
  EXPECT_EQ(f.inside_count(), 55u);
}

TEST(Grid, OverPointsKeepsOnlyCellsWithPoints) {
  const std::vector<double> x{10, 15, 250, std::nan("")}, y{10, 12, 250, 0};
  const Grid g = Grid::over_points({CellShape::square, 100}, x, y).value();
  EXPECT_EQ(g.size(), 2u);
}
