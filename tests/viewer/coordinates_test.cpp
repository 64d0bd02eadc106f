#include "viewer/app/coordinates.hpp"

#include <gtest/gtest.h>

#include <cstdio>

using namespace hotspot;
using namespace hotspot::viewer;

TEST(CursorText, ShowsBngLatLonAndTheOsGridReference) {
  const core::Transformer t = core::Transformer::bng_to_wgs84();
  const CursorText c = cursor_text(&t, {450123, 356789});
  EXPECT_EQ(c.bng, "E 450,123 m  N 356,789 m");
  EXPECT_EQ(c.grid_ref, "SK 50123 56789");
  // pyproj (EPSG:27700 -> 4326): 53.105947 N, 1.252761 W. Within 1e-4 degrees (~10 m)
  // whatever datum grid PROJ has installed.
  double lat = 0, lon = 0;
  char ns = 0, ew = 0;
  ASSERT_EQ(std::sscanf(c.lonlat.c_str(), "%lf\u00b0 %c %lf\u00b0 %c", &lat, &ns, &lon, &ew), 4) << c.lonlat;
  EXPECT_NEAR(lat, 53.105947, 1e-4);
  EXPECT_NEAR(lon, 1.252761, 1e-4);
  EXPECT_EQ(ns, 'N');
  EXPECT_EQ(ew, 'W');
}

TEST(CursorText, WithoutATransformerTheLatLonIsEmpty) {
  const CursorText c = cursor_text(nullptr, {450000, 356000});
  EXPECT_EQ(c.bng, "E 450,000 m  N 356,000 m");
  EXPECT_TRUE(c.lonlat.empty());
  EXPECT_EQ(c.grid_ref, "SK 50000 56000");
}
