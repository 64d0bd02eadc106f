#include "core/stats/weights.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/base/random.hpp"
#include "core/grid/grid.hpp"
#include "core/stats/point_index.hpp"

using namespace hotspot;
using namespace hotspot::core;

namespace {
// Naive neighbour lists: the model the fast paths must equal.
std::vector<std::vector<uint32_t>> naive_band(const std::vector<double>& x, const std::vector<double>& y, double d) {
  std::vector<std::vector<uint32_t>> nb(x.size());
  for (uint32_t i = 0; i < x.size(); ++i)
    for (uint32_t j = 0; j < x.size(); ++j)
      if (i != j && (x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j]) <= d * d) nb[i].push_back(j);
  return nb;
}
}  // namespace

TEST(Weights, DistanceBandAndKnnAgreeWithANaiveModel) {
  Rng rng(5);
  std::vector<double> x(800), y(800);
  for (std::size_t k = 0; k < x.size(); ++k) {
    x[k] = std::round(rng.uniform(0, 5000));
    y[k] = std::round(rng.uniform(0, 5000));
  }
  x[1] = x[0];  // a coincident pair: distance 0, neighbours in every band
  y[1] = y[0];
  const auto model = naive_band(x, y, 400);
  const Weights w = Weights::distance_band(x, y, 400);
  for (uint32_t i = 0; i < x.size(); ++i) {
    std::vector<uint32_t> got;
    w.for_each_neighbour(i, [&](uint32_t j, double v) {
      got.push_back(j);
      EXPECT_EQ(v, 1.0);
    });
    ASSERT_EQ(got, model[i]) << i;
  }
  EXPECT_EQ(w.weight(0, 1), 1.0);
  const Weights k = Weights::knn(x, y, 6);
  for (uint32_t i = 0; i < x.size(); i += 37) {
    std::vector<std::pair<double, uint32_t>> all;
    for (uint32_t j = 0; j < x.size(); ++j)
      if (j != i) all.emplace_back((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j]), j);
    std::sort(all.begin(), all.end());
    std::vector<uint32_t> want;
    for (int t = 0; t < 6; ++t) want.push_back(all[static_cast<std::size_t>(t)].second);
    std::sort(want.begin(), want.end());
    std::vector<uint32_t> got;
    k.for_each_neighbour(i, [&](uint32_t j, double) { got.push_back(j); });
    EXPECT_EQ(got, want) << i;
  }
  EXPECT_EQ(k.min_neighbours(), 6u);
}

TEST(Weights, LatticeBandEqualsPointBandOnCellCentres) {
  for (CellShape shape : {CellShape::square, CellShape::hex}) {
    const Grid g = Grid::over_box({shape, 50}, Box(Point(450000, 350000), Point(451500, 351000))).value();
    const std::vector<double> cx(g.centres_x().begin(), g.centres_x().end()), cy(g.centres_y().begin(), g.centres_y().end());
    // 250 m is exactly the distance of some square and hexagon neighbours: rounding of
    // the hexagons' sqrt(3) could put them either side, so hexagons use 260 m.
    const double band = shape == CellShape::square ? 250 : 260;
    const Weights lat = Weights::grid_distance_band(g, band);
    const Weights pts = Weights::distance_band(cx, cy, band);
    ASSERT_TRUE(lat.lattice());
    Rng rng(2);
    std::vector<double> v(g.size()), a(g.size()), b(g.size());
    for (auto& e : v) e = static_cast<double>(rng.below(7));
    lat.lag(v, a);
    pts.lag(v, b);
    for (uint32_t i = 0; i < g.size(); ++i) {
      ASSERT_EQ(lat.cardinality(i), pts.cardinality(i)) << i;
      ASSERT_EQ(a[i], b[i]) << i;
    }
    if (shape == CellShape::square) {
      EXPECT_EQ(lat.max_neighbours(), 80u);  // 81 lattice points in a radius-5 disc
    }
    const Weights q = Weights::grid_contiguity(g, Contiguity::queen);
    EXPECT_EQ(q.max_neighbours(), shape == CellShape::square ? 8u : 6u);
    const Weights ids = Weights::cell_contiguity(g.ids(), Contiguity::queen);
    for (uint32_t i = 0; i < g.size(); ++i) ASSERT_EQ(q.cardinality(i), ids.cardinality(i));
    const Weights idw = Weights::grid_inverse_distance(g, 120);
    const uint32_t mid = g.locate(450750, 350500);
    if (shape == CellShape::square) {  // hand-checked: d = 50, 70.7, 100, 111.8 m within 120 m
      EXPECT_NEAR(idw.row_sum(mid), 4 / 50.0 + 4 / (50 * std::sqrt(2.0)) + 4 / 100.0 + 8 / (50 * std::sqrt(5.0)), 1e-12);
    }
  }
}

TEST(Weights, RowStandardisationIslandsAndConstants) {
  // Four points on a line 100 m apart and one far away (an island).
  const std::vector<double> x{0, 100, 200, 300, 10000}, y{0, 0, 0, 0, 0};
  const Weights b = Weights::distance_band(x, y, 100);
  EXPECT_EQ(b.islands(), std::vector<uint32_t>{4});
  EXPECT_EQ(b.cardinality(1), 2u);
  const Weights w = b.row_standardised();
  EXPECT_DOUBLE_EQ(w.weight(1, 0), 0.5);
  EXPECT_DOUBLE_EQ(w.weight(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(w.row_sum(4), 0.0);
  // Hand-checked: S0 = 4 (rows with neighbours), S1 = 1/2 sum (w_ij + w_ji)^2.
  const WeightsConstants k = w.constants();
  EXPECT_DOUBLE_EQ(k.n, 4);
  EXPECT_DOUBLE_EQ(k.s0, 4);
  // pairs (0,1): (1 + .5)^2 = 2.25 twice; (1,2): (.5+.5)^2 = 1 twice; (2,3): 2.25 twice -> S1 = 5.5
  EXPECT_DOUBLE_EQ(k.s1, 5.5);
  // S2 = sum_i (row_i + col_i)^2: rows 1,1,1,1,0; cols .5,1.5,1.5,.5,0 -> 2.25+6.25+6.25+2.25
  EXPECT_DOUBLE_EQ(k.s2, 17.0);
}

TEST(Weights, SpaceTimeLooksBackOnly) {
  const std::vector<double> x{0, 100}, y{0, 0};
  const Weights s = Weights::distance_band(x, y, 100);
  const Weights st = Weights::space_time(s, 3, 1);
  EXPECT_EQ(st.size(), 6u);
  // bin (cell 0, t=0): the spatial neighbour at t=0 only.
  EXPECT_EQ(st.cardinality(0), 1u);
  // bin (cell 0, t=2) = index 4: itself at t=1 (index 2), cell 1 at t=1 (3) and t=2 (5).
  std::vector<uint32_t> got;
  st.for_each_neighbour(4, [&](uint32_t j, double) { got.push_back(j); });
  EXPECT_EQ(got, (std::vector<uint32_t>{2, 3, 5}));
}

// Points on the centres of a square lattice (a grid read back from CSV, in any
// order, with holes) get the lattice form with exactly the explicit rows'
// neighbours; a point off the lattice, or a duplicate, keeps the explicit rows.
TEST(Weights, DistanceBandDetectsLatticePointsAndKeepsTheirNeighbours) {
  Rng rng(9);
  std::vector<double> x, y;
  for (int r = 0; r < 40; ++r)
    for (int c = 0; c < 45; ++c)
      if (rng.below(10) != 0) {  // about 10% holes
        x.push_back(450025.0 + 50.0 * c);
        y.push_back(350025.0 + 50.0 * r);
      }
  // Shuffle the order: the lattice keeps the input order of the features.
  for (std::size_t k = x.size() - 1; k > 0; --k) {
    const auto j = static_cast<std::size_t>(rng.below(k + 1));
    std::swap(x[k], x[j]);
    std::swap(y[k], y[j]);
  }
  const auto naive = naive_band(x, y, 250);
  const Weights lat = Weights::distance_band(x, y, 250);
  const Weights rows = Weights::distance_band(x, y, 250, false);
  ASSERT_TRUE(lat.lattice());
  ASSERT_FALSE(rows.lattice());
  EXPECT_EQ(lat.description(), "fixed distance band 250 m");
  for (uint32_t i = 0; i < x.size(); ++i) {
    std::vector<uint32_t> got;
    lat.for_each_neighbour(i, [&](uint32_t j, double w) {
      got.push_back(j);
      EXPECT_EQ(w, 1.0);
    });
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got, naive[i]) << i;
    ASSERT_EQ(lat.cardinality(i), rows.cardinality(i)) << i;
  }
  std::vector<double> v(x.size()), a(x.size()), b(x.size());
  for (auto& e : v) e = static_cast<double>(rng.below(9));
  lat.lag(v, a);
  rows.lag(v, b);
  EXPECT_EQ(a, b);
  EXPECT_LE(lat.max_neighbours(), 80u);  // 80 in a full lattice; holes remove some
  EXPECT_GE(lat.max_neighbours(), 70u);
  // One point 0.5 m off the lattice of 50 m still lies on a 0.5 m lattice, but that
  // lattice would be far too sparse: explicit rows.
  auto off = x;
  off[7] += 0.5;
  EXPECT_FALSE(Weights::distance_band(off, y, 250).lattice());
  // A duplicate location: explicit rows (coincident points are neighbours).
  auto dx = x, dy = y;
  dx.push_back(x[3]);
  dy.push_back(y[3]);
  const Weights dup = Weights::distance_band(dx, dy, 250);
  EXPECT_FALSE(dup.lattice());
  EXPECT_EQ(dup.cardinality(3), rows.cardinality(3) + 1);
}
