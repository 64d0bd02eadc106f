#include "core/geocode/postcode.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace hotspot::core::geocode;

namespace {
std::string canon(std::string_view text) {
  auto k = parse_postcode(text);
  return k ? k->text() : std::string("(none)");
}
}  // namespace

TEST(Postcode, RejectsWhatIsNotAPostcode) {
  for (const char* bad : {"", " ", "NG17", "NG17 5", "17 5FF", "NG17 FF", "NG17 55F", "NGX17 5FF", "N 5FF", "NG17-5FF",
                          "STILES", "ROAD", "NG17 5FFF", "12345", "NG17 5F"})
    EXPECT_FALSE(parse_postcode(bad).has_value()) << bad;
}

TEST(Postcode, AcceptsAnySpacingAndCase) {
  EXPECT_EQ(canon("NG17 5FF"), "NG17 5FF");
  EXPECT_EQ(canon("ng175ff"), "NG17 5FF");
  EXPECT_EQ(canon("  Ng17   5fF "), "NG17 5FF");
  EXPECT_EQ(canon("NG17\t5FF"), "NG17 5FF");
}

TEST(Postcode, AcceptsEveryRoyalMailOutwardShape) {
  EXPECT_EQ(canon("M1 1AE"), "M1 1AE");        // A9
  EXPECT_EQ(canon("M60 1NW"), "M60 1NW");      // A99
  EXPECT_EQ(canon("CR2 6XH"), "CR2 6XH");      // AA9
  EXPECT_EQ(canon("DN55 1PT"), "DN55 1PT");    // AA99
  EXPECT_EQ(canon("W1A 1HQ"), "W1A 1HQ");      // A9A
  EXPECT_EQ(canon("EC1A 1BB"), "EC1A 1BB");    // AA9A
}

TEST(Postcode, CorrectsTypingSlipsInDigitPlacesOnly) {
  EXPECT_EQ(canon("NGI7 5FF"), "NG17 5FF");   // I for 1
  EXPECT_EQ(canon("NG17 OFF"), "NG17 0FF");   // O for 0 in the sector
  EXPECT_EQ(canon("NGl7 5FF"), "NG17 5FF");   // l for 1
  EXPECT_EQ(canon("NG1O 5FF"), "NG10 5FF");
  // No real digit at all: a word, not a postcode.
  EXPECT_FALSE(parse_postcode("STILES").has_value());
  EXPECT_FALSE(parse_postcode("SOLOES").has_value());
}

TEST(Postcode, LevelsSectorAndDistrict) {
  const PostcodeKey k = *parse_postcode("NG17 5FF");
  EXPECT_EQ(k.level(), PostcodeLevel::unit);
  EXPECT_EQ(k.sector().text(), "NG17 5");
  EXPECT_EQ(k.sector().level(), PostcodeLevel::sector);
  EXPECT_EQ(k.district().text(), "NG17");
  EXPECT_EQ(k.district().level(), PostcodeLevel::district);
  EXPECT_EQ(k.outward(), "NG17");
  EXPECT_EQ(k.sector().district(), k.district());
  EXPECT_TRUE(PostcodeKey().empty());
  EXPECT_EQ(PostcodeKey().text(), "");
}

TEST(Postcode, KeysSortInTextOrderAndGroupBySector) {
  std::vector<std::string> texts = {"NG17 5FF", "NG1 1AA", "NG17 4AA", "NG2 1AB", "NG17 5AA", "NG10 1AA"};
  std::vector<PostcodeKey> keys;
  for (const auto& t : texts) keys.push_back(*parse_postcode(t));
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> sorted;
  for (const auto& k : keys) sorted.push_back(k.text());
  // Outward codes are padded, so "NG1 " < "NG10" < "NG17" < "NG2 ".
  EXPECT_EQ(sorted, (std::vector<std::string>{"NG1 1AA", "NG10 1AA", "NG17 4AA", "NG17 5AA", "NG17 5FF", "NG2 1AB"}));
  // A sector's key sorts before its units: units of NG17 5 lie in [sector, next sector).
  EXPECT_LT(parse_postcode("NG17 5FF")->sector(), *parse_postcode("NG17 5AA"));
  EXPECT_EQ(PostcodeKey::from_bits(keys[2].bits()), keys[2]);
}

TEST(Postcode, PartialCodes) {
  EXPECT_EQ(parse_outward_code("ng17")->text(), "NG17");
  EXPECT_FALSE(parse_outward_code("NG").has_value());
  EXPECT_FALSE(parse_outward_code("ROAD").has_value());
  EXPECT_EQ(parse_postcode_any("NG17 5")->text(), "NG17 5");
  EXPECT_EQ(parse_postcode_any("NG17 5")->level(), PostcodeLevel::sector);
  EXPECT_EQ(parse_postcode_any("ng17")->level(), PostcodeLevel::district);
  EXPECT_EQ(parse_postcode_any("ng175ff")->level(), PostcodeLevel::unit);
  EXPECT_FALSE(parse_postcode_any("Station Road").has_value());
  EXPECT_FALSE(make_postcode_key("NG17", "5F").has_value());
  EXPECT_FALSE(make_postcode_key("17", "5FF").has_value());
}
