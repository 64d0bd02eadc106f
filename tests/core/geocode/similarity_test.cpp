#include "core/geocode/similarity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <string>
#include <vector>

#include "core/base/random.hpp"

using namespace hotspot::core::geocode;

namespace {
// Reference: the full optimal string alignment DP, no bound.
int naive_osa(const std::string& a, const std::string& b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}
}  // namespace

TEST(Similarity, OsaCountsTheTypingSlipsAsOneEdit) {
  EXPECT_EQ(osa_distance("STATION", "STATION", 2), 0);
  EXPECT_EQ(osa_distance("STAITON", "STATION", 2), 1);   // swap
  EXPECT_EQ(osa_distance("STATON", "STATION", 2), 1);    // dropped
  EXPECT_EQ(osa_distance("STATTION", "STATION", 2), 1);  // doubled
  EXPECT_EQ(osa_distance("STATIPN", "STATION", 2), 1);   // neighbour key
  EXPECT_EQ(osa_distance("", "ABC", 3), 3);
  EXPECT_EQ(osa_distance("CA", "ABC", 3), 3);  // OSA, not unrestricted Damerau (which says 2)
}

TEST(Similarity, OsaStopsAtTheBound) {
  EXPECT_EQ(osa_distance("STATION ROAD", "OUTRAM STREET", 2), 3);
  EXPECT_EQ(osa_distance("AB", "ABCDEFG", 2), 3);  // length difference alone
}

TEST(SimilarityModel, BoundedOsaAgreesWithTheFullDp) {
  hotspot::Rng rng(20240403);
  const std::string alphabet = "ABCDE ";
  for (int t = 0; t < 4000; ++t) {
    std::string a, b;
    const uint64_t la = rng.below(13), lb = rng.below(13);
    for (uint64_t i = 0; i < la; ++i) a.push_back(alphabet[rng.below(alphabet.size())]);
    for (uint64_t i = 0; i < lb; ++i) b.push_back(alphabet[rng.below(alphabet.size())]);
    const int k = static_cast<int>(rng.below(5));
    const int exact = naive_osa(a, b);
    EXPECT_EQ(osa_distance(a, b, k), std::min(exact, k + 1)) << a << " / " << b << " k=" << k;
  }
}

TEST(Similarity, JaroWinklerReferenceValues) {
  // Winkler's examples.
  EXPECT_NEAR(jaro_winkler("MARTHA", "MARHTA"), 0.961, 0.001);
  EXPECT_NEAR(jaro_winkler("DWAYNE", "DUANE"), 0.840, 0.001);
  EXPECT_NEAR(jaro_winkler("DIXON", "DICKSONX"), 0.813, 0.001);
  EXPECT_DOUBLE_EQ(jaro_winkler("SAME", "SAME"), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("ABC", "XYZ"), 0.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("", ""), 1.0);
}

TEST(SimilarityModel, LetterMasksBoundTheEditDistance) {
  hotspot::Rng rng(7);
  const std::string alphabet = "ABCDEFGHIJ 0";
  for (int t = 0; t < 2000; ++t) {
    std::string a, b;
    const uint64_t la = 1 + rng.below(10), lb = 1 + rng.below(10);
    for (uint64_t i = 0; i < la; ++i) a.push_back(alphabet[rng.below(alphabet.size())]);
    for (uint64_t i = 0; i < lb; ++i) b.push_back(alphabet[rng.below(alphabet.size())]);
    // The pre-filter must never reject a pair within k edits.
    const int d = naive_osa(a, b);
    EXPECT_LE(std::popcount(letter_mask(a) ^ letter_mask(b)), 2 * d) << a << " / " << b;
  }
}

TEST(SimilarityModel, BitCountIsPopcount) {
  hotspot::Rng rng(11);
  for (int t = 0; t < 10000; ++t) {
    const auto v = static_cast<uint32_t>(rng.next());
    EXPECT_EQ(bit_count(v), std::popcount(v));
  }
  EXPECT_EQ(bit_count(0u), 0);
  EXPECT_EQ(bit_count(0xFFFFFFFFu), 32);
}
