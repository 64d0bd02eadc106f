// Benchmarks of issue 4, run by `scripts/bench.sh stats` (disabled in the normal
// suite: gtest's DISABLED_ prefix; the script passes --gtest_also_run_disabled_tests).
// Each prints "BENCH <name> <seconds>" for the script to collect.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "core/base/random.hpp"
#include "core/grid/grid.hpp"
#include "core/stats/kde.hpp"
#include "core/stats/local_stats.hpp"
#include "core/stats/weights.hpp"

using namespace hotspot;
using namespace hotspot::core;

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
std::vector<double> poisson_counts(std::size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> v(n);
  for (auto& e : v) e = static_cast<double>(rng.poisson(2.0));
  return v;
}
}  // namespace

TEST(StatsBench, DISABLED_GiStarMillionCellsBand250On50mCells) {
  const Grid g = Grid::over_box({CellShape::square, 50}, Box(Point(400000, 300000), Point(449999.9, 349999.9))).value();
  ASSERT_EQ(g.size(), 1000000u);
  const auto x = poisson_counts(g.size(), 1);
  const auto t0 = std::chrono::steady_clock::now();
  const Weights w = Weights::grid_distance_band(g, 250);
  const double tw = seconds_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  const GiStar r = gistar(x, w).value();
  const double tg = seconds_since(t1);
  std::printf("BENCH gistar_1m_weights %.4f\nBENCH gistar_1m_stat %.4f\nBENCH gistar_1m_total %.4f\n", tw, tg, tw + tg);
  EXPECT_EQ(w.max_neighbours(), 80u);
  EXPECT_EQ(r.z.size(), g.size());
}

TEST(StatsBench, DISABLED_GiStar100kCells) {
  const Grid g = Grid::over_box({CellShape::square, 50}, Box(Point(400000, 300000), Point(415799.9, 315799.9))).value();
  const auto x = poisson_counts(g.size(), 2);
  const auto t0 = std::chrono::steady_clock::now();
  const Weights w = Weights::grid_distance_band(g, 250);
  const GiStar r = gistar(x, w).value();
  std::printf("BENCH gistar_100k_total %.4f cells %zu\n", seconds_since(t0), g.size());
  EXPECT_EQ(r.z.size(), g.size());
}

TEST(StatsBench, DISABLED_Permutations999On100kCells) {
  const Grid g = Grid::over_box({CellShape::square, 50}, Box(Point(400000, 300000), Point(415799.9, 315799.9))).value();
  const auto x = poisson_counts(g.size(), 3);
  const Weights w = Weights::grid_distance_band(g, 250);
  const auto t0 = std::chrono::steady_clock::now();
  const PermutationResult p = permute_lags(x, w, {999, 7, 0});
  std::printf("BENCH perm999_100k %.4f cells %zu\n", seconds_since(t0), g.size());
  EXPECT_EQ(p.p_sim.size(), g.size());
}

TEST(StatsBench, DISABLED_Kde1MPointsAshfield50mRadius500) {
  // Ashfield's extent (EPSG:27700), 1M points: half uniform, half in 20 clusters.
  Rng rng(4);
  std::vector<double> x(1000000), y(1000000);
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (k % 2) {
      x[k] = rng.uniform(444000, 457000);
      y[k] = rng.uniform(344000, 362000);
    } else {
      const double cx = 445000 + 600.0 * static_cast<double>((k / 2) % 20), cy = 345000 + 800.0 * static_cast<double>((k / 2) % 20);
      x[k] = cx + 300 * rng.normal();
      y[k] = cy + 300 * rng.normal();
    }
  }
  KdeOptions o;
  o.radius_m = 500;
  o.cell_m = 50;
  o.extent = Box(Point(444000, 344000), Point(457000, 362000));
  const auto t0 = std::chrono::steady_clock::now();
  const KdeRaster r = kde(x, y, {}, o).value();
  std::printf("BENCH kde_1m %.4f raster %dx%d\n", seconds_since(t0), r.columns, r.rows);
  EXPECT_EQ(r.points, 1000000u);
}
