#include "core/target/ranking.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace hotspot::core {
namespace {

TEST(Ranking, TiesAreOrderedById) {
  RankInput in;
  in.ids = {"c", "a", "d", "b"};
  in.count = {5, 5, 1, 5};
  auto r = rank_units(in);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->units.size(), 4u);
  std::vector<std::string> order;
  for (const auto& u : r->units) order.push_back(in.ids[u.unit]);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(r->units[0].rank, 1u);
  EXPECT_EQ(r->units[3].rank, 4u);
  // percentile ranks: 5 has one lower value of 4 -> 0.25; 1 has none -> 0
  EXPECT_DOUBLE_EQ(r->units[0].count_part, 0.25);
  EXPECT_DOUBLE_EQ(r->units[3].count_part, 0.0);
}

TEST(Ranking, OrderDoesNotDependOnInputOrder) {
  std::mt19937 rng(7);
  RankInput in;
  for (int i = 0; i < 200; ++i) {
    std::string id = "u";
    id += std::to_string(1000 + i);
    in.ids.push_back(id);
    in.count.push_back(static_cast<double>(rng() % 6));  // many ties
    in.gi_bin.push_back(static_cast<int8_t>(static_cast<int>(rng() % 7) - 3));
  }
  auto a = rank_units(in);
  ASSERT_TRUE(a.ok());
  // shuffle the units and rank again: the same ids in the same order
  std::vector<std::size_t> perm(in.ids.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), rng);
  RankInput s;
  for (auto p : perm) {
    s.ids.push_back(in.ids[p]);
    s.count.push_back(in.count[p]);
    s.gi_bin.push_back(in.gi_bin[p]);
  }
  auto b = rank_units(s);
  ASSERT_TRUE(b.ok());
  for (std::size_t k = 0; k < in.ids.size(); ++k) {
    EXPECT_EQ(in.ids[a->units[k].unit], s.ids[b->units[k].unit]) << "rank " << k + 1;
    EXPECT_DOUBLE_EQ(a->units[k].score, b->units[k].score);
  }
}

TEST(Ranking, ScoreIsTheSumOfItsShownParts) {
  RankInput in;
  in.ids = {"E1", "E2", "E3"};
  in.count = {10, 20, 30};
  in.denominator = {100, 1000, 0};  // E3 has no population: no rate
  in.harm_days = {365, 20, 30};
  in.gi_bin = {3, 0, 1};
  in.emerging = {EmergingCategory::intensifying_hot, EmergingCategory::no_pattern,
                 EmergingCategory::historical_hot};
  auto r = rank_units(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->no_denominator, (std::vector<uint32_t>{2}));
  for (const auto& u : r->units)
    EXPECT_DOUBLE_EQ(u.score, u.count_part + u.rate_part + u.harm_part + u.hotspot_part + u.emerging_part);
  // E1: count pct 0, rate 100/1000 (highest of the two defined; NaN counts lowest):
  // rates E1 = 100, E2 = 20, E3 = NaN -> pct E1 = 2/3; harm highest -> 2/3;
  // bin 3 -> 1; intensifying -> 1. Score = 0 + 2/3 + 2/3 + 1 + 1.
  const auto& top = r->units[0];
  EXPECT_EQ(in.ids[top.unit], "E1");
  EXPECT_NEAR(top.score, 10.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(top.rate, 100.0);
  EXPECT_EQ(top.reasons,
            "99% Gi* hot spot; Intensifying Hot Spot; 100 per 1000 (top 34%); harm 365 days (top 34%); "
            "10 incidents (top 100%)");
  // E3: count top (2/3), rate NaN -> 0, harm 1/3, bin 1 -> 1/3, historical -> 0.25
  const auto& e3 = *std::find_if(r->units.begin(), r->units.end(), [&](const RankedUnit& u) { return u.unit == 2; });
  EXPECT_TRUE(std::isnan(e3.rate));
  EXPECT_DOUBLE_EQ(e3.rate_part, 0.0);
  EXPECT_NEAR(e3.score, 2.0 / 3 + 1.0 / 3 + 1.0 / 3 + 0.25, 1e-12);
}

TEST(Ranking, WeightsScaleTheirParts) {
  RankInput in;
  in.ids = {"a", "b"};
  in.count = {1, 2};
  in.gi_bin = {3, 0};
  RankOptions o;
  o.weights.hotspot = 0;  // hotspot status ignored: b wins on count
  auto r = rank_units(in, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(in.ids[r->units[0].unit], "b");
  o.weights.hotspot = 2;
  r = rank_units(in, o);
  EXPECT_EQ(in.ids[r->units[0].unit], "a");
  EXPECT_DOUBLE_EQ(r->units[0].hotspot_part, 2.0);
}

TEST(Ranking, TopNKeepsTheFirstRows) {
  RankInput in;
  in.ids = {"a", "b", "c"};
  in.count = {1, 3, 2};
  auto r = rank_units(in, {.top_n = 2});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->units.size(), 2u);
  EXPECT_EQ(r->total_units, 3u);
  EXPECT_EQ(in.ids[r->units[1].unit], "c");
}

TEST(Ranking, RejectsBadInputWithMessages) {
  RankInput in;
  EXPECT_EQ(rank_units(in).error().code, RankError::empty);
  in.ids = {"a", "a"};
  in.count = {1, 2};
  auto r = rank_units(in);
  EXPECT_EQ(r.error().code, RankError::duplicate_id);
  EXPECT_EQ(r.error().message, "duplicate unit id 'a'");
  in.ids = {"a", "b"};
  in.count = {1, -2};
  EXPECT_EQ(rank_units(in).error().message, "unit 'b': count -2 is not a count");
  in.count = {1, 2};
  in.gi_bin = {4, 0};
  EXPECT_EQ(rank_units(in).error().code, RankError::bad_value);
  in.gi_bin = {1};
  EXPECT_EQ(rank_units(in).error().message, "gi_bin has 1 values for 2 units");
}

TEST(HarmWeights, DefaultTableCoversEveryPoliceUkTypeWithItsBasis) {
  const auto table = default_harm_weights();
  ASSERT_EQ(table.size(), std::size(kPoliceUkTypes));
  for (std::size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(table[i].category, kPoliceUkTypes[i].name);
    EXPECT_GE(table[i].days, 1.0);
    EXPECT_FALSE(table[i].basis.empty());
  }
  EXPECT_NE(std::string(default_harm_source()).find("Cambridge Crime Harm Index"), std::string::npos);
}

TEST(HarmWeights, OverridesReplaceDefaultsAndUnknownNamesAreReported) {
  Taxonomy tax = Taxonomy::police_uk();
  const CategoryId fly = tax.add_local("Fly-tipping");
  std::vector<HarmWeight> over{{"burglary", 200, ""}, {"Fly-tipping", 3, ""}, {"Arson of a unicorn", 9, ""}};
  HarmLookup h = harm_lookup(tax, over, 1.0);
  EXPECT_DOUBLE_EQ(h.days_by_category[*tax.find("Burglary")], 200);
  EXPECT_DOUBLE_EQ(h.days_by_category[*tax.find("Robbery")], 365);
  EXPECT_DOUBLE_EQ(h.days_by_category[fly], 3);
  EXPECT_EQ(h.unmatched, (std::vector<std::string>{"Arson of a unicorn"}));
  // per unit sums
  const std::vector<uint32_t> unit{0, 0, 1, kNoUnit};
  const std::vector<CategoryId> cat{*tax.find("Burglary"), fly, *tax.find("Robbery"), *tax.find("Robbery")};
  EXPECT_EQ(harm_per_unit(unit, cat, h.days_by_category, 2), (std::vector<double>{203, 365}));
  EXPECT_EQ(count_per_unit(unit, 2), (std::vector<double>{2, 1}));
}

}  // namespace
}  // namespace hotspot::core
