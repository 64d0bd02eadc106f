#include "core/geocode/normalize.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace hotspot::core::geocode;

namespace {
// "WORD WORD | WORD" with " | " between segments.
std::string words_of(std::string_view text) {
  std::string buffer, out;
  std::vector<Word> words;
  split_words(text, buffer, words);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += words[i].segment != words[i - 1].segment ? " | " : " ";
    out += words[i].text;
  }
  return out;
}
}  // namespace

TEST(Normalize, SplitFoldsCaseAndDropsApostrophesAndFullStops) {
  EXPECT_EQ(words_of("St. Mary's Gate"), "ST MARYS GATE");
  EXPECT_EQ(words_of("King\xE2\x80\x99s Road"), "KINGS ROAD");  // a typographic apostrophe
  EXPECT_EQ(words_of("  lots   of   space  "), "LOTS OF SPACE");
}

TEST(Normalize, SplitSegmentsAtCommasSemicolonsBracketsAndLineBreaks) {
  EXPECT_EQ(words_of("Flat 2, 14a Station Rd; Sutton\nNotts (UK)"), "FLAT 2 | 14A STATION RD | SUTTON | NOTTS | UK");
  EXPECT_EQ(words_of(",, ,Station Road,,"), "STATION ROAD");
}

TEST(Normalize, SplitKeepsRangesSlashesAndAmpersands) {
  EXPECT_EQ(words_of("12-14 High St"), "12 - 14 HIGH ST");
  EXPECT_EQ(words_of("12 - 14 High St"), "12 - 14 HIGH ST");
  EXPECT_EQ(words_of("Sutton-in-Ashfield"), "SUTTON IN ASHFIELD");  // hyphens between letters
  EXPECT_EQ(words_of("2/14A"), "2 / 14A");
  EXPECT_EQ(words_of("R/O 33"), "R / O 33");
  EXPECT_EQ(words_of("Smith & Sons"), "SMITH AND SONS");
  EXPECT_EQ(words_of("53.1234,-1.2"), "53.1234 | 1.2");
}

TEST(Normalize, WordsMarkNumbersAndSegments) {
  std::string buffer;
  std::vector<Word> words;
  split_words("14A Station Rd, Sutton", buffer, words);
  ASSERT_EQ(words.size(), 4u);
  EXPECT_TRUE(words[0].numeric);
  EXPECT_FALSE(words[1].numeric);
  EXPECT_EQ(words[3].segment, 1);
}

TEST(Normalize, StreetAbbreviationsExpandExceptAsTheFirstWord) {
  EXPECT_EQ(normalize_street_name("Station Rd"), "STATION ROAD");
  EXPECT_EQ(normalize_street_name("Kings Mill Rd E"), "KINGS MILL ROAD EAST");
  EXPECT_EQ(normalize_street_name("Elm Ave"), "ELM AVENUE");
  EXPECT_EQ(normalize_street_name("Beech Cl"), "BEECH CLOSE");
  EXPECT_EQ(normalize_street_name("Oak Cres"), "OAK CRESCENT");
  EXPECT_EQ(normalize_street_name("Ash Dr"), "ASH DRIVE");
  EXPECT_EQ(normalize_street_name("Rose Gdns"), "ROSE GARDENS");
  EXPECT_EQ(normalize_street_name("Hazel Gr"), "HAZEL GROVE");
  EXPECT_EQ(normalize_street_name("Mill Ln"), "MILL LANE");
  EXPECT_EQ(normalize_street_name("Market Pl"), "MARKET PLACE");
  EXPECT_EQ(normalize_street_name("Trinity Sq"), "TRINITY SQUARE");
  EXPECT_EQ(normalize_street_name("Albert Ter"), "ALBERT TERRACE");
  EXPECT_EQ(normalize_street_name("Millers Ct"), "MILLERS COURT");
  EXPECT_EQ(normalize_street_name("Rope Wk"), "ROPE WALK");
  EXPECT_EQ(normalize_street_name("Dr Johnson Way"), "DR JOHNSON WAY");  // first word: a doctor
}

TEST(Normalize, StIsStreetAtTheEndAndSaintElsewhere) {
  EXPECT_EQ(normalize_street_name("St James St"), "SAINT JAMES STREET");
  EXPECT_EQ(normalize_street_name("Outram St"), "OUTRAM STREET");
  EXPECT_EQ(normalize_street_name("Market St E"), "MARKET STREET EAST");
  EXPECT_EQ(normalize_street_name("St. Mary's Gate"), "SAINT MARYS GATE");
  EXPECT_EQ(normalize_street_name("Saint Marys Gate"), "SAINT MARYS GATE");
}

TEST(Normalize, OrdinalsAndOtherWords) {
  EXPECT_EQ(normalize_street_name("1st Avenue"), "FIRST AVENUE");
  EXPECT_EQ(normalize_street_name("First Avenue"), "FIRST AVENUE");
  EXPECT_EQ(normalize_street_name("3rd Ave"), "THIRD AVENUE");
  EXPECT_EQ(normalize_street_name("Gt Northern Rd"), "GREAT NORTHERN ROAD");
  EXPECT_EQ(normalize_street_name("Upr Parliament St"), "UPPER PARLIAMENT STREET");
  EXPECT_EQ(normalize_street_name("Smith & Sons Yd"), "SMITH AND SONS YARD");
}

TEST(Normalize, DirectionOnlyAfterAStreetType) {
  EXPECT_EQ(normalize_street_name("Forest Rd W"), "FOREST ROAD WEST");
  EXPECT_EQ(normalize_street_name("Plot E"), "PLOT E");  // not after a type: left alone
}

TEST(Normalize, PlaceNames) {
  EXPECT_EQ(normalize_place_name("Sutton-in-Ashfield"), "SUTTON IN ASHFIELD");
  EXPECT_EQ(normalize_place_name("sutton in ashfield"), "SUTTON IN ASHFIELD");
  EXPECT_EQ(normalize_place_name("St Ann's"), "SAINT ANNS");
  EXPECT_EQ(normalize_place_name("Annesley & Kirkby Woodhouse"), "ANNESLEY AND KIRKBY WOODHOUSE");
  // No street expansions in places: "Rd" stays (a place is not a street).
  EXPECT_EQ(normalize_place_name("Mill Rd"), "MILL RD");
}

TEST(Normalize, StreetTypeOfAWord) {
  EXPECT_EQ(street_type_of("RD"), "ROAD");
  EXPECT_EQ(street_type_of("ST"), "STREET");
  EXPECT_EQ(street_type_of("LEYS"), "LEYS");
  EXPECT_EQ(street_type_of("STATION"), "");
  EXPECT_TRUE(is_street_type("CLOSE"));
  EXPECT_FALSE(is_street_type("CL"));
  EXPECT_TRUE(is_direction("EAST"));
  EXPECT_FALSE(is_direction("E"));
}

TEST(Normalize, TextHashIsStableAndDistinguishes) {
  EXPECT_EQ(text_hash("STATION ROAD"), text_hash("STATION ROAD"));
  EXPECT_NE(text_hash("STATION ROAD"), text_hash("STATION STREET"));
  EXPECT_EQ(text_hash(""), 14695981039346656037ull);  // FNV-1a offset basis
}
