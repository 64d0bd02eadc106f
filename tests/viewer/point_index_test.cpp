#include "viewer/app/point_index.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace hotspot::viewer;

TEST(PointGrid, NearestAgreesWithABruteForceSearch) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<double> u(0, 5000);
  std::vector<double> x(3000), y(3000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = 445000 + u(rng);
    y[i] = 350000 + u(rng);
  }
  const PointGrid grid(x, y, 50);
  auto even = [](uint32_t i) { return i % 2 == 0; };
  for (int q = 0; q < 300; ++q) {
    const double qx = 445000 + u(rng), qy = 350000 + u(rng), r = 30 + u(rng) / 50;
    std::optional<uint32_t> best;
    double best_d2 = r * r;
    for (uint32_t i = 0; i < x.size(); ++i) {
      const double d2 = (x[i] - qx) * (x[i] - qx) + (y[i] - qy) * (y[i] - qy);
      if (even(i) && d2 <= best_d2 && (!best || d2 < best_d2)) {
        best_d2 = d2;
        best = i;
      }
    }
    EXPECT_EQ(grid.nearest(qx, qy, r, even), best) << "query " << q;
  }
}

TEST(PointGrid, BoxQueryReturnsAcceptedPointsInIndexOrder) {
  const std::vector<double> x{0, 10, 20, 30}, y{0, 10, 20, 30};
  const PointGrid grid(x, y, 5);
  EXPECT_EQ(grid.in_box(5, 5, 25, 25, [](uint32_t) { return true; }), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(grid.in_box(-1, -1, 31, 31, [](uint32_t i) { return i != 2; }), (std::vector<uint32_t>{0, 1, 3}));
}

TEST(PointGrid, EmptyAndNonFiniteInputAreHandled) {
  const PointGrid empty(std::vector<double>{}, std::vector<double>{}, 10);
  EXPECT_TRUE(empty.empty());
  EXPECT_FALSE(empty.nearest(0, 0, 100, [](uint32_t) { return true; }).has_value());
  const std::vector<double> x{std::nan(""), 5}, y{0, 5};
  const PointGrid g(x, y, 10);
  EXPECT_EQ(g.nearest(0, 0, 100, [](uint32_t) { return true; }), 1u);
}
