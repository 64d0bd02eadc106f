#include "core/incidents/incident_table.hpp"

#include <gtest/gtest.h>

using namespace hotspot::core;

TEST(IncidentTable, StaysWithinFortyEightBytesPerIncident) {
  EXPECT_EQ(IncidentTable::kBytesPerRow, 38u);
  IncidentTable t;
  t.reserve(1000);
  EXPECT_LE(t.column_bytes(), 1000 * 48u);
}

TEST(IncidentTable, PushAndReadRowsKeepEveryField) {
  IncidentTable t;
  const uint16_t src = t.add_source("a.csv");
  const uint32_t lsoa = t.area_codes().intern("E01027925");
  t.push_back({.x_m = 451000.5, .y_m = 358000.25, .month = 280, .day = 19500, .category = 3,
               .method = GeocodeMethod::xy, .score = 90, .source = src, .line = 17, .area = lsoa});
  ASSERT_EQ(t.size(), 1u);
  const auto r = t.row(0);
  EXPECT_EQ(r.x_m, 451000.5);
  EXPECT_EQ(r.y_m, 358000.25);
  EXPECT_EQ(r.month, 280);
  EXPECT_EQ(r.day, 19500);
  EXPECT_EQ(r.category, 3);
  EXPECT_EQ(r.method, GeocodeMethod::xy);
  EXPECT_EQ(r.score, 90);
  EXPECT_EQ(t.source_name(r.source), "a.csv");
  EXPECT_EQ(r.line, 17u);
  EXPECT_EQ(t.area_codes().get(r.area), "E01027925");
}

TEST(IncidentTable, AppendRemapsSourcesAndAreaCodes) {
  IncidentTable a, b;
  a.add_source("first.csv");
  a.push_back({.x_m = 1, .source = 0, .line = 2, .area = a.area_codes().intern("A")});
  const uint16_t bs = b.add_source("second.csv");
  b.area_codes().intern("zzz");
  b.push_back({.x_m = 2, .source = bs, .line = 5, .area = b.area_codes().intern("B")});
  b.push_back({.x_m = 3, .source = bs, .line = 6, .area = b.area_codes().intern("A")});
  a.append(b);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a.source_name(a.source()[1]), "second.csv");
  EXPECT_EQ(a.area_codes().get(a.area()[1]), "B");
  EXPECT_EQ(a.area()[2], a.area()[0]);  // "A" mapped to the same id
  EXPECT_EQ(a.line()[2], 6u);
}

TEST(IncidentTable, FilterKeepsOrder) {
  IncidentTable t;
  for (int i = 0; i < 5; ++i) t.push_back({.x_m = double(i), .line = uint32_t(i + 2)});
  const bool keep[] = {true, false, true, false, true};
  t.filter(keep);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.x_m()[1], 2.0);
  EXPECT_EQ(t.line()[2], 6u);
}

TEST(GeocodeMethod, HasStableNames) {
  EXPECT_STREQ(method_name(GeocodeMethod::lonlat), "lonlat");
  EXPECT_STREQ(method_name(GeocodeMethod::postcode_sector), "postcode_sector");
}
