#include "viewer/app/camera.hpp"

#include <gtest/gtest.h>

using namespace hotspot;
using namespace hotspot::viewer;

namespace {
Camera make(double cx, double cy, double mpp, int w, int h) {
  Camera c;
  c.centre_x_m = cx;
  c.centre_y_m = cy;
  c.m_per_px = mpp;
  c.set_viewport(w, h);
  return c;
}
}  // namespace

TEST(Camera, ScreenAndWorldAreInversesWithNorthUp) {
  const Camera c = make(450000, 356000, 10, 900, 600);
  const ScreenPoint centre = c.to_screen(450000, 356000);
  EXPECT_DOUBLE_EQ(centre.x, 450);
  EXPECT_DOUBLE_EQ(centre.y, 300);
  // 100 m north is 10 px up; 100 m east is 10 px right.
  EXPECT_DOUBLE_EQ(c.to_screen(450000, 356100).y, 290);
  EXPECT_DOUBLE_EQ(c.to_screen(450100, 356000).x, 460);
  const WorldPoint w = c.to_world({123.5, 456.25});
  const ScreenPoint back = c.to_screen(w.x_m, w.y_m);
  EXPECT_NEAR(back.x, 123.5, 1e-9);
  EXPECT_NEAR(back.y, 456.25, 1e-9);
}

TEST(Camera, ZoomKeepsThePointUnderTheCursorFixed) {
  Camera c = make(450000, 356000, 10, 900, 600);
  const ScreenPoint cursor{700, 100};
  const WorldPoint before = c.to_world(cursor);
  c.zoom_at(cursor, 2.0);
  EXPECT_DOUBLE_EQ(c.m_per_px, 5);
  const WorldPoint after = c.to_world(cursor);
  EXPECT_NEAR(after.x_m, before.x_m, 1e-6);
  EXPECT_NEAR(after.y_m, before.y_m, 1e-6);
}

TEST(Camera, ZoomIsClampedToTheLimits) {
  Camera c = make(450000, 356000, 10, 900, 600);
  c.zoom_at({0, 0}, 1e9);
  EXPECT_DOUBLE_EQ(c.m_per_px, Camera::kMinMetresPerPixel);
  c.zoom_at({0, 0}, 1e-12);
  EXPECT_DOUBLE_EQ(c.m_per_px, Camera::kMaxMetresPerPixel);
}

TEST(Camera, DraggingMovesTheMapWithTheCursor) {
  Camera c = make(450000, 356000, 10, 900, 600);
  const ScreenPoint before = c.to_screen(451000, 357000);
  c.pan_px(30, -20);
  const ScreenPoint after = c.to_screen(451000, 357000);
  EXPECT_NEAR(after.x - before.x, 30, 1e-9);
  EXPECT_NEAR(after.y - before.y, -20, 1e-9);
}

TEST(Camera, FitShowsTheWholeBoxWithTheMargin) {
  Camera c = make(0, 0, 1, 1000, 500);
  c.fit(core::Box(core::Point(440000, 345000), core::Point(460000, 365000)), 25);
  // 20 km tall in 450 usable pixels: the height decides.
  EXPECT_NEAR(c.m_per_px, 20000.0 / 450.0, 1e-9);
  EXPECT_DOUBLE_EQ(c.centre_x_m, 450000);
  const ScreenPoint top_left = c.to_screen(440000, 365000);
  EXPECT_NEAR(top_left.y, 25, 1e-9);
  EXPECT_GT(top_left.x, 25);
}

TEST(Camera, FitBesideTheLegendKeepsATallDistrictClearOfIt) {
  // A tall district (10 km x 20 km) in a 900 x 950 pane with a 250 x 300 legend at
  // the bottom left: the height decides either way, so it is fitted right of the legend.
  Camera c = make(0, 0, 1, 900, 950);
  const core::Box tall(core::Point(445000, 345000), core::Point(455000, 365000));
  c.fit_beside_legend(tall, 36, 250, 300);
  EXPECT_NEAR(c.m_per_px, 20000.0 / (950 - 72), 1e-9);  // as large as a plain fit
  const ScreenPoint left = c.to_screen(445000, 355000), right = c.to_screen(455000, 355000);
  EXPECT_GE(left.x, 36 + 250 - 1e-6);                  // clear of the legend column
  // Centred in the rest: 286 .. 864 px.
  EXPECT_NEAR((left.x + right.x) / 2, (36 + 250 + 900 - 36) / 2.0, 1e-6);
  EXPECT_NEAR(c.to_screen(0, 365000).y, 36, 1e-9);
}

TEST(Camera, FitBesideTheLegendPutsAWideAreaAboveIt) {
  // A wide area (40 km x 10 km) in 1000 x 800: a band at the bottom costs nothing.
  Camera c = make(0, 0, 1, 1000, 800);
  c.fit_beside_legend(core::Box(core::Point(430000, 350000), core::Point(470000, 360000)), 36, 250, 300);
  EXPECT_NEAR(c.m_per_px, 40000.0 / (1000 - 72), 1e-9);
  EXPECT_LE(c.to_screen(450000, 350000).y, 800 - 36 - 300 + 1e-6);  // the bottom edge is above the legend
  EXPECT_DOUBLE_EQ(c.centre_x_m, 450000);
}

TEST(Camera, FitBesideTheLegendLetsItOverlapWhenAvoidingItCostsTooMuch) {
  // A square area in a small square pane with a big legend: avoiding it would halve the map.
  Camera c = make(0, 0, 1, 400, 400);
  const core::Box square(core::Point(0, 0), core::Point(1000, 1000));
  c.fit_beside_legend(square, 20, 250, 300);
  Camera plain = make(0, 0, 1, 400, 400);
  plain.fit(square, 20);
  EXPECT_EQ(c, plain);
}

TEST(Camera, FitIgnoresAnEmptyBox) {
  Camera c = make(1, 2, 3, 100, 100);
  c.fit(core::Box(core::Point(10, 10), core::Point(0, 0)), 10);
  EXPECT_DOUBLE_EQ(c.centre_x_m, 1);
  EXPECT_DOUBLE_EQ(c.m_per_px, 3);
}

TEST(Camera, FlightInterpolatesZoomGeometricallyAndEndsExactly) {
  const Camera a = make(0, 0, 100, 800, 600), b = make(1000, 2000, 1, 800, 600);
  const Camera mid = interpolate(a, b, 0.5);
  EXPECT_NEAR(mid.m_per_px, 10, 1e-9);  // geometric mean of 100 and 1
  EXPECT_NEAR(mid.centre_x_m, 500, 1e-9);
  const Camera end = interpolate(a, b, 1.0);
  EXPECT_DOUBLE_EQ(end.m_per_px, 1);
  EXPECT_DOUBLE_EQ(end.centre_y_m, 2000);
  EXPECT_DOUBLE_EQ(interpolate(a, b, -1).m_per_px, 100);
}

TEST(ScaleBar, PicksOneTwoOrFiveTimesAPowerOfTen) {
  const ScaleBar a = nice_scale_bar(10, 150);  // up to 1500 m
  EXPECT_DOUBLE_EQ(a.length_m, 1000);
  EXPECT_DOUBLE_EQ(a.length_px, 100);
  EXPECT_EQ(a.label, "1 km");
  const ScaleBar b = nice_scale_bar(3, 150);  // up to 450 m
  EXPECT_DOUBLE_EQ(b.length_m, 200);
  EXPECT_EQ(b.label, "200 m");
  const ScaleBar c = nice_scale_bar(40, 140);  // up to 5600 m
  EXPECT_DOUBLE_EQ(c.length_m, 5000);
  EXPECT_EQ(c.label, "5 km");
  for (double mpp : {0.03, 0.7, 9.0, 55.0, 900.0}) {
    const ScaleBar s = nice_scale_bar(mpp, 160);
    EXPECT_LE(s.length_px, 160 + 1e-9) << mpp;
    EXPECT_GT(s.length_px, 160 / 5.0 - 1e-9) << mpp;  // never less than a fifth of the room
  }
}

TEST(ScaleBar, FormatsDistances) {
  EXPECT_EQ(format_distance(350), "350 m");
  EXPECT_EQ(format_distance(1500), "1.5 km");
  EXPECT_EQ(format_distance(20000), "20 km");
}
