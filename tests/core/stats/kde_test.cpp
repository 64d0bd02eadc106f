#include "core/stats/kde.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/base/random.hpp"

using namespace hotspot;
using namespace hotspot::core;

TEST(Kde, EveryKernelIntegratesToTheTotalWeight) {
  const std::vector<double> x{1000, 1300}, y{2000, 2100}, w{1, 2.5};
  for (Kernel k : {Kernel::quartic, Kernel::triangular, Kernel::uniform, Kernel::epanechnikov, Kernel::triweight,
                   Kernel::gaussian}) {
    KdeOptions o;
    o.kernel = k;
    o.radius_m = 200;
    o.cell_m = 2;
    o.unit = DensityUnit::per_m2;
    const KdeRaster r = kde(x, y, w, o).value();
    double sum = 0;
    for (double v : r.values) sum += v;
    EXPECT_NEAR(sum * 4.0, 3.5, k == Kernel::uniform ? 2e-3 : 2e-4) << kernel_name(k);
  }
}

TEST(Kde, ExactAtPixelCentresAgainstANaiveSumAndThreadIndependent) {
  Rng rng(11);
  std::vector<double> x(400), y(400);
  for (std::size_t k = 0; k < x.size(); ++k) {
    x[k] = rng.uniform(0, 3000);
    y[k] = rng.uniform(0, 2000);
  }
  KdeOptions o;
  o.radius_m = 350;
  o.cell_m = 50;
  o.threads = 1;
  const KdeRaster a = kde(x, y, {}, o).value();
  o.threads = 3;
  const KdeRaster b = kde(x, y, {}, o).value();
  EXPECT_EQ(a.values, b.values);
  // Quartic 3/(pi h^2) (1 - u^2)^2, per km^2.
  for (int32_t r = 0; r < a.rows; r += 7)
    for (int32_t c = 0; c < a.columns; c += 5) {
      double s = 0;
      for (std::size_t k = 0; k < x.size(); ++k) {
        const double u2 = (std::pow(a.centre_x(c) - x[k], 2) + std::pow(a.centre_y(r) - y[k], 2)) / (350.0 * 350.0);
        if (u2 < 1) s += (1 - u2) * (1 - u2);
      }
      ASSERT_NEAR(a.at(c, r), s * 3 / (std::numbers::pi * 350 * 350) * 1e6, 1e-9 * (1 + std::fabs(a.at(c, r))));
    }
  // The default extent is snapped to the cell size and covers the reach.
  EXPECT_EQ(std::fmod(a.x0, 50.0), 0.0);
  EXPECT_LE(a.x0, -350.0);
}

// ArcGIS's rule by hand: 4 points at the corners of a 200 m square: mean centre in
// the middle, every distance 141.42 m (= median), SD = 141.42 m;
// h = 0.9 * min(141.42, sqrt(1/ln 2) * 141.42) * 4^-0.2 = 0.9 * 141.42 * 0.757858
TEST(Kde, ArcgisDefaultRadiusByHand) {
  const std::vector<double> x{0, 200, 0, 200}, y{0, 0, 200, 200};
  EXPECT_NEAR(arcgis_default_radius(x, y, {}), 0.9 * std::sqrt(2.0) * 100 * std::pow(4.0, -0.2), 1e-9);
  EXPECT_NEAR(arcgis_default_radius(x, y, std::vector<double>{1, 1, 1, 1}), 0.9 * std::sqrt(2.0) * 100 * std::pow(4.0, -0.2), 1e-9);
  EXPECT_EQ(arcgis_default_radius(std::vector<double>{5, 5}, std::vector<double>{5, 5}, {}), 0.0);
  KdeOptions o;
  EXPECT_EQ(kde(std::vector<double>{5, 5}, std::vector<double>{5, 5}, {}, o).error().code, KdeError::bad_radius);
  EXPECT_EQ(kde(std::vector<double>{std::nan("")}, std::vector<double>{1}, {}, o).error().code, KdeError::no_points);
  EXPECT_EQ(kde(x, y, std::vector<double>{1, -1, 1, 1}, o).error().code, KdeError::bad_weight);
  const KdeRaster r = kde(x, y, {}, o).value();
  EXPECT_TRUE(r.radius_from_rule);
  EXPECT_NEAR(r.cell_m, 200.0 / 250, 1e-12);
}

TEST(Kde, DualRatioAndDifference) {
  const std::vector<double> x{0, 100}, y{0, 0};
  KdeOptions o;
  o.radius_m = 300;
  o.cell_m = 25;
  const KdeRaster single = kde(x, y, {}, o).value();
  const KdeRaster ratio =
      dual_kde(x, y, std::vector<double>{2, 2}, x, y, {}, o, DualMode::ratio, 1e-9).value();
  const KdeRaster diff = dual_kde(x, y, std::vector<double>{2, 2}, x, y, {}, o, DualMode::difference, 0).value();
  ASSERT_EQ(ratio.values.size(), single.values.size());
  for (std::size_t k = 0; k < single.values.size(); ++k) {
    if (single.values[k] > 1e-9) {
      EXPECT_NEAR(ratio.values[k], 2.0, 1e-12);
    } else {
      EXPECT_TRUE(std::isnan(ratio.values[k]));
    }
    EXPECT_NEAR(diff.values[k], single.values[k], 1e-9);
  }
}

// Coincident points (police.uk's snapped locations) are merged into one weighted
// location: the surface is the naive sum over every copy. Points outside a given
// extent still add their kernel to the pixels within reach; points beyond the
// reach of every pixel add nothing and change nothing.
TEST(Kde, DuplicatesAndPointsOutsideTheExtentAreTheNaiveSum) {
  Rng rng(21);
  std::vector<double> x, y, w;
  for (int k = 0; k < 300; ++k) {
    const double px = std::round(rng.uniform(-400, 2400)), py = std::round(rng.uniform(-400, 1400));
    const int copies = 1 + static_cast<int>(rng.below(4));
    for (int c = 0; c < copies; ++c) {
      x.push_back(px);
      y.push_back(py);
      w.push_back(0.5 + static_cast<double>(rng.below(3)));
    }
  }
  x.push_back(1e6);  // far away: no pixel within reach
  y.push_back(1e6);
  w.push_back(1);
  KdeOptions o;
  o.radius_m = 300;
  o.cell_m = 40;
  o.extent = Box(Point(0, 0), Point(2000, 1000));
  for (Kernel k : {Kernel::quartic, Kernel::uniform, Kernel::triangular, Kernel::gaussian}) {
    o.kernel = k;
    o.threads = 1;
    const KdeRaster a = kde(x, y, w, o).value();
    o.threads = 2;
    EXPECT_EQ(kde(x, y, w, o).value().values, a.values) << kernel_name(k);
    EXPECT_EQ(a.points, x.size());
    ASSERT_EQ(a.columns, 50);
    ASSERT_EQ(a.rows, 25);
    const double h = 300, reach = h * kernel_reach(k);
    for (int32_t r = 0; r < a.rows; r += 3)
      for (int32_t c = 0; c < a.columns; c += 4) {
        double s = 0;
        for (std::size_t p = 0; p < x.size(); ++p) {
          const double dx = a.centre_x(c) - x[p], dy = a.centre_y(r) - y[p];
          if (dx * dx + dy * dy <= reach * reach) s += w[p] * kernel_profile(k, (dx * dx + dy * dy) / (h * h));
        }
        const double want = s * kernel_constant(k) / (h * h) * 1e6;
        ASSERT_NEAR(a.at(c, r), want, 1e-9 * (1 + want)) << kernel_name(k) << " " << c << "," << r;
      }
  }
}
