// Disclosure control: suppression (primary and complementary), merging, points.

#include "layers/io/disclosure.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/base/error.hpp"
#include "tests/layers/io/export_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace hotspot::layers {
namespace {

using test::TempDir;

FeatureSet wards_layer(const TempDir& dir, const std::vector<test::WardRow>& rows) {
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, rows, {1, 2});
  return read_features(src.string(), {.layer = "wards_counts"});
}
double value(const FeatureSet& s, const char* field, std::size_t f) {
  return s.fields[static_cast<std::size_t>(s.field_index(field))].number(f);
}

TEST(Disclosure, CountFieldsAreIntegerFieldsExceptIdsBinsAndRanks) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, {{"A", 1, 1, 0}}, {1});
  EXPECT_EQ(disclosure_count_fields(read_features(src.string(), {.layer = "wards_counts"})),
            (std::vector<std::string>{"total", "burglary", "anti_social_behaviour"}));
  EXPECT_EQ(disclosure_count_fields(read_features(src.string(), {.layer = "cells"})), (std::vector<std::string>{"count"}));
}

TEST(Disclosure, PrivateExportChangesNothing) {
  TempDir dir;
  FeatureSet w = wards_layer(dir, {{"A", 1, 1, 0}, {"B", 2, 1, 1}});
  const DisclosureReport r = apply_disclosure(w, {.public_release = false, .min_count = 10});
  EXPECT_EQ(r.suppressed_features, 0u);
  EXPECT_EQ(value(w, "total", 0), 1);
  EXPECT_EQ(w.field_index("suppressed"), -1);
}

TEST(Disclosure, TryingToPublishBelowKSuppressesTheNumbers) {
  TempDir dir;
  FeatureSet w = wards_layer(dir, {{"A", 40, 2, 38}, {"B", 12, 6, 6}, {"C", 3, 1, 2}, {"D", 25, 10, 15}});
  const DisclosureReport r = apply_disclosure(w, {.public_release = true, .min_count = 5});
  ASSERT_EQ(w.size(), 4u);  // shapes stay
  EXPECT_EQ(r.suppressed_features, 1u);
  // C: every number but the area goes
  EXPECT_TRUE(std::isnan(value(w, "total", 2)));
  EXPECT_TRUE(std::isnan(value(w, "burglary", 2)));
  EXPECT_DOUBLE_EQ(value(w, "area_km2", 2), 1.0);
  EXPECT_EQ(value(w, "suppressed", 2), 1);
  // A: burglary 2 < 5 suppressed, and asb 38 with it (40 - 38 would give it back)
  EXPECT_DOUBLE_EQ(value(w, "total", 0), 40);
  EXPECT_TRUE(std::isnan(value(w, "burglary", 0)));
  EXPECT_TRUE(std::isnan(value(w, "anti_social_behaviour", 0)));
  EXPECT_EQ(value(w, "suppressed", 0), 2);
  // B and D published whole
  EXPECT_DOUBLE_EQ(value(w, "burglary", 1), 6);
  EXPECT_DOUBLE_EQ(value(w, "anti_social_behaviour", 3), 15);
  EXPECT_EQ(value(w, "suppressed", 3), 0);
  EXPECT_EQ(r.suppressed_values, 2u);
}

TEST(Disclosure, NoPublishedCountBelowKOnRandomLayers) {
  TempDir dir;
  std::mt19937 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<test::WardRow> rows;
    for (int i = 0; i < 4; ++i) {
      const auto b = static_cast<int64_t>(rng() % 9), a = static_cast<int64_t>(rng() % 9);
      rows.push_back({std::string(1, static_cast<char>('A' + i)), a + b, b, a});
    }
    std::vector<int64_t> cells;
    for (int i = 0; i < 48; ++i) cells.push_back(static_cast<int64_t>(rng() % 12));
    std::string file = "t";
    file += std::to_string(trial);
    file += ".gpkg";
    const auto src = dir / file;
    test::write_export_fixture(src, rows, cells);
    for (const char* layer : {"wards_counts", "cells"}) {
      for (auto mode : {DisclosureMode::suppress, DisclosureMode::merge}) {
        FeatureSet s = read_features(src.string(), {.layer = layer});
        const int64_t k = 1 + static_cast<int64_t>(rng() % 8);
        apply_disclosure(s, {.public_release = true, .min_count = k, .mode = mode});
        for (const auto& name : disclosure_count_fields(s))
          for (std::size_t f = 0; f < s.size(); ++f) {
            const double v = s.fields[static_cast<std::size_t>(s.field_index(name))].number(f);
            if (!std::isnan(v)) {
              EXPECT_GE(v, static_cast<double>(k)) << layer << " " << name << " trial " << trial;
            }
          }
      }
    }
  }
}

TEST(Disclosure, MergeFoldsSmallAreasIntoTheirSmallestNeighbour) {
  TempDir dir;
  // a row of squares A B C D with totals 2, 10, 3, 20; k = 5:
  // A (2) joins B (its only neighbour) -> A+B 12; C (3) then joins A+B (12 < 20) -> 15
  FeatureSet w = wards_layer(dir, {{"A", 2, 1, 1}, {"B", 10, 5, 5}, {"C", 3, 1, 2}, {"D", 20, 10, 10}});
  const DisclosureReport r = apply_disclosure(w, {.public_release = true, .min_count = 5, .mode = DisclosureMode::merge});
  EXPECT_EQ(r.merged_features, 2u);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w.fields[static_cast<std::size_t>(w.field_index("code"))].text(0), "A + B + C");
  EXPECT_DOUBLE_EQ(value(w, "total", 0), 15);
  EXPECT_DOUBLE_EQ(value(w, "burglary", 0), 7);
  EXPECT_DOUBLE_EQ(value(w, "anti_social_behaviour", 0), 8);
  EXPECT_NEAR(value(w, "area_km2", 0), 3.0, 1e-9);
  EXPECT_EQ(value(w, "merged", 0), 2);
  EXPECT_EQ(value(w, "merged", 1), 0);
  const core::Box b = w.feature_bbox(0);
  EXPECT_DOUBLE_EQ(b.min_corner().x(), 450000);
  EXPECT_DOUBLE_EQ(b.max_corner().x(), 453000);
}

TEST(Disclosure, PointsAreSnappedToThePrecisionAndFilteredByCategory) {
  TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, {{"A", 1, 1, 0}}, {1});
  FeatureSet p = read_features(src.string(), {.layer = "incidents"});
  const DisclosureReport r =
      apply_disclosure(p, {.public_release = true, .min_count = 5, .point_precision_m = 250, .categories = {"burglary"}});
  EXPECT_EQ(r.dropped_points, 1u);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_DOUBLE_EQ(p.x_m[0], 451125);  // 451234 -> centre of [451000, 451250)
  EXPECT_DOUBLE_EQ(p.y_m[0], 355625);  // 355678 -> centre of [355500, 355750)
  FeatureSet q = read_features(src.string(), {.layer = "incidents"});
  const DisclosureReport refused = apply_disclosure(q, {.public_release = true, .min_count = 5});
  EXPECT_TRUE(refused.refused);
  EXPECT_EQ(refused.note, "a point layer is published only with a point precision (point_precision_m > 0)");
}

TEST(Disclosure, CountFieldsOfCategoriesNotAllowedAreRemoved) {
  TempDir dir;
  FeatureSet w = wards_layer(dir, {{"A", 40, 20, 20}});
  const DisclosureReport r =
      apply_disclosure(w, {.public_release = true, .min_count = 5, .categories = {"Anti-social behaviour"}});
  EXPECT_EQ(r.removed_fields, (std::vector<std::string>{"burglary"}));
  EXPECT_EQ(w.field_index("burglary"), -1);
  EXPECT_DOUBLE_EQ(value(w, "anti_social_behaviour", 0), 20);
}

TEST(Disclosure, PublicWithoutKOrPrecisionIsAUsageError) {
  TempDir dir;
  FeatureSet w = wards_layer(dir, {{"A", 40, 20, 20}});
  EXPECT_THROW(apply_disclosure(w, {.public_release = true}), UsageError);
}

}  // namespace
}  // namespace hotspot::layers
