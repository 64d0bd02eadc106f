#include "viewer/app/point_splat.hpp"

#include <gtest/gtest.h>

using namespace hotspot;
using namespace hotspot::viewer;

namespace {

core::IncidentTable table_of(std::initializer_list<std::tuple<double, double, int, int>> rows) {
  core::IncidentTable t;
  for (auto [x, y, m, c] : rows) {
    core::IncidentTable::Row r;
    r.x_m = x;
    r.y_m = y;
    r.month = m;
    r.category = static_cast<core::CategoryId>(c);
    t.push_back(r);
  }
  return t;
}

uint32_t at(const SplatImage& img, int x, int y) { return img.pixels[static_cast<std::size_t>(y * img.width + x)]; }

SplatStyle style(std::size_t categories) {
  SplatStyle s;
  s.colour_of_category.assign(categories, Rgba{200, 0, 0, 255});
  s.filter.enabled.assign(categories, true);
  s.window = {0, 100};
  s.radius_px = 2;
  return s;
}

}  // namespace

TEST(PointSplat, DrawsAnOpaqueDiscAtThePointsPixel) {
  const auto t = table_of({{105.5, 94.5, 10, 0}});  // pixel (5, 5) with 1 m pixels from (100, 100)
  SplatImage img(20, 20);
  const std::size_t n = splat_incidents(t, 0, t.size(), style(1), {100, 100, 1}, img);
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(at(img, 5, 5), (Rgba{200, 0, 0, 255}).packed());
  EXPECT_EQ(at(img, 5, 9), 0u);  // beyond the radius
  EXPECT_EQ(at(img, 12, 5), 0u);
  // The rim is anti-aliased: partial alpha.
  const uint32_t rim = at(img, 7, 5);
  EXPECT_GT(rim >> 24, 0u);
  EXPECT_LT(rim >> 24, 255u);
}

TEST(PointSplat, FollowsTheMonthWindowAndTheCrimeTypeFilter) {
  const auto t = table_of({{102.5, 97.5, 5, 0}, {110.5, 97.5, 50, 0}, {115.5, 97.5, 5, 1}});
  SplatStyle s = style(2);
  s.window = {0, 10};
  s.filter.enabled = {true, false};
  SplatImage img(20, 5);
  EXPECT_EQ(splat_incidents(t, 0, t.size(), s, {100, 100, 1}, img), 1u);
  EXPECT_NE(at(img, 2, 2), 0u);
  EXPECT_EQ(at(img, 10, 2), 0u);  // outside the window
  EXPECT_EQ(at(img, 15, 2), 0u);  // filtered crime type
}

TEST(PointSplat, OpacityAndOverlapsBlendOver) {
  const auto t = table_of({{105.5, 94.5, 1, 0}, {105.5, 94.5, 1, 0}});
  SplatStyle s = style(1);
  s.opacity = 0.5;
  SplatImage one(10, 10), two(10, 10);
  splat_incidents(t, 0, 1, s, {100, 100, 1}, one);
  splat_incidents(t, 0, 2, s, {100, 100, 1}, two);
  EXPECT_NEAR(static_cast<double>(at(one, 5, 5) >> 24), 128, 1);
  EXPECT_NEAR(static_cast<double>(at(two, 5, 5) >> 24), 191, 2);  // 1 - 0.5 * 0.5
}

TEST(PointSplat, ChunksGiveTheSameImageAsOnePass) {
  core::IncidentTable t;
  for (int i = 0; i < 500; ++i) {
    core::IncidentTable::Row r;
    r.x_m = 100 + (i * 37 % 100);
    r.y_m = 100 - (i * 53 % 100);
    r.month = i % 12;
    r.category = static_cast<core::CategoryId>(i % 3);
    t.push_back(r);
  }
  SplatStyle s = style(3);
  SplatImage whole(100, 100), parts(100, 100);
  splat_incidents(t, 0, t.size(), s, {100, 100, 1}, whole);
  for (std::size_t b = 0; b < t.size(); b += 77) splat_incidents(t, b, b + 77, s, {100, 100, 1}, parts);
  EXPECT_EQ(whole.pixels, parts.pixels);
}

// The renderer splats the incidents in spatial (Morton) order for speed. Discs of one
// colour composite the same in any order, so the picture matches the table-order one
// (to rounding); months and the crime-type filter still apply.
TEST(PointSplat, SpatialOrderGivesTheSamePictureAsTableOrder) {
  core::IncidentTable t;
  for (int i = 0; i < 4000; ++i) {
    core::IncidentTable::Row r;
    r.x_m = 100 + (i * 37 % 200) * 0.5 + (i % 7) * 0.1;
    r.y_m = 100 - (i * 53 % 200) * 0.5;
    r.month = i % 12;
    r.category = static_cast<core::CategoryId>(i % 3);
    t.push_back(r);
  }
  SplatStyle s = style(3);
  s.opacity = 0.35;
  s.window = {2, 9};
  s.filter.enabled = {true, false, true};
  const SplatPoints sorted = SplatPoints::from(t);
  ASSERT_EQ(sorted.points.size(), t.size());
  SplatImage table_order(100, 100), spatial_order(100, 100);
  const std::size_t a = splat_incidents(t, 0, t.size(), s, {100, 100, 1}, table_order);
  std::size_t b = 0;
  for (std::size_t from = 0; from < t.size(); from += 333) b += splat_points(sorted, from, from + 333, s, {100, 100, 1}, spatial_order);
  EXPECT_EQ(a, b);
  EXPECT_GT(a, 1000u);
  int worst = 0;
  for (std::size_t i = 0; i < table_order.pixels.size(); ++i)
    for (int shift = 0; shift < 32; shift += 8) {
      const int x = static_cast<int>((table_order.pixels[i] >> shift) & 0xFF), y = static_cast<int>((spatial_order.pixels[i] >> shift) & 0xFF);
      worst = std::max(worst, std::abs(x - y));
    }
  EXPECT_LE(worst, 3);
}
