#include "viewer/app/classify.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

using namespace hotspot::viewer;

namespace {

// Sum of squared deviations within classes for a given set of edges (the Jenks objective).
double within_ssd(const std::vector<double>& sorted, const std::vector<double>& edges) {
  double total = 0;
  std::size_t i = 0;
  for (std::size_t c = 0; c + 1 < edges.size(); ++c) {
    std::vector<double> v;
    for (; i < sorted.size() && (sorted[i] <= edges[c + 1] || c + 2 == edges.size()); ++i) v.push_back(sorted[i]);
    if (v.empty()) continue;
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    for (double x : v) total += (x - mean) * (x - mean);
  }
  return total;
}

}  // namespace

TEST(Classify, EqualIntervalSplitsTheRangeEvenly) {
  const std::vector<double> v{0, 1, 2, 3, 10};
  const Classification c = classify_numeric(v, {.method = ClassMethod::equal_interval, .classes = 5});
  ASSERT_EQ(c.edges.size(), 6u);
  EXPECT_DOUBLE_EQ(c.edges[1], 2);
  EXPECT_DOUBLE_EQ(c.edges[5], 10);
  EXPECT_EQ(c.class_of(0.0), 0);
  EXPECT_EQ(c.class_of(2.0), 0);  // upper edge is inclusive
  EXPECT_EQ(c.class_of(2.5), 1);
  EXPECT_EQ(c.class_of(10.0), 4);
  EXPECT_EQ(c.class_of(std::numeric_limits<double>::quiet_NaN()), -1);
}

TEST(Classify, QuantilePutsAboutTheSameNumberInEachClass) {
  std::vector<double> v(1000);
  std::iota(v.begin(), v.end(), 0.0);
  std::shuffle(v.begin(), v.end(), std::mt19937(3));
  const Classification c = classify_numeric(v, {.method = ClassMethod::quantile, .classes = 4});
  ASSERT_EQ(c.class_count(), 4u);
  const auto rows = legend_rows(c, v);
  for (const auto& r : rows) EXPECT_EQ(r.count, 250u) << r.label;
}

TEST(Classify, QuantileMergesCutsThatCoincideInsteadOfMakingEmptyClasses) {
  // Count data: mostly zeros.
  std::vector<double> v(90, 0.0);
  for (int i = 1; i <= 10; ++i) v.push_back(i);
  const Classification c = classify_numeric(v, {.method = ClassMethod::quantile, .classes = 5, .integers = true});
  EXPECT_LT(c.class_count(), 5u);
  for (const auto& r : legend_rows(c, v)) EXPECT_GT(r.count, 0u) << r.label;
}

TEST(Classify, IntegerLabelsDoNotOverlap) {
  const std::vector<double> v{0, 3, 3, 7, 12, 30, 96};
  const Classification c = classify_numeric(v, {.method = ClassMethod::equal_interval, .classes = 3, .integers = true});
  ASSERT_EQ(c.labels.size(), 3u);
  EXPECT_EQ(c.labels[0], "0 \u2013 32");
  EXPECT_EQ(c.labels[1], "33 \u2013 64");
  EXPECT_EQ(c.labels[2], "65 \u2013 96");
}

TEST(Classify, NaturalBreaksFindTheOptimalSplitOfSmallData) {
  const std::vector<double> sorted{1, 2, 3, 10, 11, 12, 30, 31};
  const auto edges = jenks_edges(sorted, 3);
  ASSERT_EQ(edges.size(), 4u);
  EXPECT_DOUBLE_EQ(edges[1], 3);
  EXPECT_DOUBLE_EQ(edges[2], 12);
}

TEST(Classify, NaturalBreaksBeatEveryOtherSplitOnRandomData) {
  // Model check: on small data compare with every possible pair of cut positions.
  std::mt19937 rng(11);
  std::lognormal_distribution<double> d(1, 1);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> v(25);
    for (double& x : v) x = std::round(d(rng) * 10);
    std::sort(v.begin(), v.end());
    const auto jenks = jenks_edges(v, 3);
    const double best = within_ssd(v, jenks);
    for (std::size_t a = 0; a + 1 < v.size(); ++a)
      for (std::size_t b = a + 1; b + 1 < v.size(); ++b) {
        if (v[a] == v[a + 1] || v[b] == v[b + 1]) continue;  // a cut must separate values
        const std::vector<double> e{v.front(), v[a], v[b], v.back()};
        EXPECT_LE(best, within_ssd(v, e) + 1e-6) << "trial " << trial;
      }
  }
}

TEST(Classify, NaturalBreaksOnLargeDataAreComputedOnASample) {
  std::vector<double> v(50000);
  std::mt19937 rng(5);
  std::exponential_distribution<double> d(0.1);
  for (double& x : v) x = d(rng);
  const Classification c = classify_numeric(v, {.method = ClassMethod::natural_breaks, .classes = 5});
  EXPECT_EQ(c.class_count(), 5u);
  EXPECT_TRUE(std::is_sorted(c.edges.begin(), c.edges.end()));
  EXPECT_DOUBLE_EQ(c.edges.front(), *std::min_element(v.begin(), v.end()));
  EXPECT_DOUBLE_EQ(c.edges.back(), *std::max_element(v.begin(), v.end()));
}

TEST(Classify, NoFiniteValueGivesOneNoDataClass) {
  const std::vector<double> v{std::nan(""), std::nan("")};
  const Classification c = classify_numeric(v, {.method = ClassMethod::quantile});
  EXPECT_EQ(c.class_count(), 1u);
  EXPECT_EQ(c.labels[0], "no data");
}

TEST(Classify, GiBinsAreRedForHotAndBlueForColdWithConfidenceLabels) {
  const Classification c = gi_bin_classes(false);
  EXPECT_EQ(c.colour_of(3.0), hex("d73027"));
  EXPECT_EQ(c.colour_of(-3.0), hex("4575b4"));
  EXPECT_EQ(c.class_of(0.0), 3);
  EXPECT_EQ(c.class_of(4.0), -1);
  EXPECT_EQ(c.class_of(2.5), -1);  // bins are integers
  const auto rows = legend_rows(c, std::vector<double>{3, 3, 0, -1});
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows.front().label, "Hot spot, 99% confidence");  // hottest first
  EXPECT_EQ(rows.front().count, 2u);
  EXPECT_EQ(rows.back().label, "Cold spot, 99% confidence");
}

TEST(Classify, ColourBlindSafeGiBinsArePurpleAndOrange) {
  const Classification c = gi_bin_classes(true);
  EXPECT_EQ(c.colour_of(3.0), hex("b35806"));
  EXPECT_EQ(c.colour_of(-3.0), hex("542788"));
}

TEST(Classify, EmergingHotSpotCategoriesUseEsrisNames) {
  const Classification c = ehsa_classes();
  EXPECT_EQ(c.class_count(), 17u);
  EXPECT_GE(c.class_of("Intensifying Hot Spot"), 0);
  EXPECT_GE(c.class_of("No Pattern Detected"), 0);
  EXPECT_EQ(c.class_of("Intensifying hot spot"), -1);  // exact names only
  EXPECT_NE(c.colour_of("New Hot Spot"), c.colour_of("New Cold Spot"));
}

TEST(Classify, CategoriesAreOrderedByFrequencyAndTheRestIsOther) {
  std::vector<std::string> dict;
  std::vector<uint32_t> codes;
  for (int k = 0; k < 10; ++k) {
    dict.push_back("type" + std::to_string(k));
    for (int n = 0; n <= k; ++n) codes.push_back(static_cast<uint32_t>(k));
  }
  const Classification c = classify_categories(dict, codes);
  ASSERT_EQ(c.class_count(), kCategoricalColours);
  EXPECT_EQ(c.categories.front(), "type9");  // most frequent first
  EXPECT_EQ(c.colour_of("type0"), c.other);
  const auto rows = legend_rows(c, dict, codes);
  EXPECT_EQ(rows.back().label, "Other");
  EXPECT_EQ(rows.back().count, 3u);  // type0 (1) + type1 (2)
}

TEST(Classify, MethodNamesRoundTrip) {
  for (const ClassMethod m : {ClassMethod::single, ClassMethod::equal_interval, ClassMethod::quantile,
                              ClassMethod::natural_breaks, ClassMethod::gi_bins, ClassMethod::ehsa, ClassMethod::categorical})
    EXPECT_EQ(find_class_method(class_method_name(m)), m);
  EXPECT_FALSE(find_class_method("kmeans").has_value());
}

TEST(Classify, FormatsNumbersForLegends) {
  EXPECT_EQ(format_number(1234567, true), "1,234,567");
  EXPECT_EQ(format_number(-1234, true), "-1,234");
  EXPECT_EQ(format_number(12.345, false), "12.3");
  EXPECT_EQ(format_number(0.0342, false), "0.03");
  EXPECT_EQ(format_number(std::nan(""), false), "no data");
}

// A KDE surface's smallest value is floating-point dust above zero: the legend says 0,
// not 6.1e-08; genuinely small values keep their digits.
TEST(Classify, ALowerBoundThatIsZeroButForRoundingReadsZero) {
  const std::vector<double> dust{6.1e-08, 500, 1000, 11045};
  const Classification c = classify_numeric(dust, {.method = ClassMethod::equal_interval, .classes = 7});
  ASSERT_FALSE(c.labels.empty());
  EXPECT_EQ(c.labels.front().rfind("0 \u2013 ", 0), 0u) << c.labels.front();
  const std::vector<double> small{0.002, 0.004, 0.006};
  const Classification d = classify_numeric(small, {.method = ClassMethod::equal_interval, .classes = 2});
  EXPECT_EQ(d.labels.front(), "0.002 \u2013 0.004");
}
