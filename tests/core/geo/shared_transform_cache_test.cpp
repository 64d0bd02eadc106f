#include "core/geo/shared_transform_cache.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "core/base/random.hpp"

using namespace hotspot::core;

namespace {

// Random UK lon/lat with many repeats (police.uk-like), plus a point PROJ rejects.
void make_points(std::vector<double>& x, std::vector<double>& y, std::size_t n, std::size_t unique, uint64_t seed) {
  hotspot::Rng rng(seed);
  std::vector<double> ux(unique), uy(unique);
  for (std::size_t i = 0; i < unique; ++i) {
    ux[i] = rng.uniform(-5.5, 1.5);
    uy[i] = rng.uniform(50.2, 55.5);
  }
  x.resize(n);
  y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = rng.below(unique);
    x[i] = ux[k];
    y[i] = uy[k];
  }
}

bool bits_equal(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }

}  // namespace

TEST(SharedTransformCache, BitIdenticalToTheTransformerAndCountsUniqueMisses) {
  std::vector<double> x, y;
  make_points(x, y, 50000, 5000, 1);
  std::vector<double> ex(x), ey(y);
  const Transformer t = Transformer::wgs84_to_bng();
  t.transform(ex, ey);
  std::set<std::pair<double, double>> unique;
  for (std::size_t i = 0; i < x.size(); ++i) unique.emplace(x[i], y[i]);

  SharedTransformCache cache;
  std::vector<double> cx(x), cy(y);
  EXPECT_EQ(cache.transform(t, cx, cy), 0u);
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_TRUE(bits_equal(cx[i], ex[i])) << i;
    ASSERT_TRUE(bits_equal(cy[i], ey[i])) << i;
  }
  EXPECT_EQ(cache.misses(), unique.size());
  EXPECT_EQ(cache.hits() + cache.misses(), x.size());
  // A second pass is all hits.
  std::vector<double> dx(x), dy(y);
  cache.transform(t, dx, dy);
  EXPECT_EQ(cache.misses(), unique.size());
  EXPECT_EQ(dx, cx);
}

TEST(SharedTransformCache, ConcurrentThreadsAgreeWithTheTransformer) {
  std::vector<double> x, y;
  make_points(x, y, 200000, 20000, 2);
  std::vector<double> ex(x), ey(y);
  Transformer::wgs84_to_bng().transform(ex, ey);
  SharedTransformCache cache(4096);  // small: shards fill up and clear under load
  constexpr std::size_t kThreads = 4;
  std::vector<std::vector<double>> rx(kThreads), ry(kThreads);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < kThreads; ++t)
    pool.emplace_back([&, t] {
      const Transformer mine = Transformer::wgs84_to_bng();
      rx[t] = x;
      ry[t] = y;
      for (std::size_t b = 0; b < x.size(); b += 7919) {  // uneven chunks, as ingest sends
        const std::size_t len = std::min<std::size_t>(7919, x.size() - b);
        cache.transform(mine, std::span(rx[t]).subspan(b, len), std::span(ry[t]).subspan(b, len));
      }
    });
  for (auto& th : pool) th.join();
  for (std::size_t t = 0; t < kThreads; ++t)
    for (std::size_t i = 0; i < x.size(); ++i) {
      ASSERT_TRUE(bits_equal(rx[t][i], ex[i])) << t << " " << i;
      ASSERT_TRUE(bits_equal(ry[t][i], ey[i])) << t << " " << i;
    }
  EXPECT_EQ(cache.hits() + cache.misses(), kThreads * x.size());
  EXPECT_LE(cache.bytes(), 2 * 4096 * 32u + 64 * 2048 * 32u);
}

TEST(SharedTransformCache, FailuresAreNaNAndCounted) {
  const Transformer t = Transformer::create("EPSG:27700", "EPSG:4326");
  SharedTransformCache cache;
  std::vector<double> x{451000, 1e30, 451000}, y{358000, 1e30, 358000};
  const std::size_t failed = cache.transform(t, x, y);
  EXPECT_EQ(failed, 1u);
  EXPECT_TRUE(std::isnan(x[1]));
  EXPECT_FALSE(std::isnan(x[0]));
  EXPECT_EQ(x[0], x[2]);
  std::vector<double> x2{1e30}, y2{1e30};
  EXPECT_EQ(cache.transform(t, x2, y2), 1u);  // a cached failure still counts
}
