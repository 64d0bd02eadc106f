#include "core/base/utf8.hpp"

#include <gtest/gtest.h>

using hotspot::core::append_utf8_repairing_cp1252;
using hotspot::core::first_invalid_utf8;

TEST(Utf8, FindsTheFirstByteThatIsNotUtf8) {
  EXPECT_EQ(first_invalid_utf8("Caf\xc3\xa9"), std::string_view::npos);
  EXPECT_EQ(first_invalid_utf8("Caf\xe9"), 3u);
  EXPECT_EQ(first_invalid_utf8("\xed\xa0\x80"), 0u);  // a surrogate
  EXPECT_EQ(first_invalid_utf8("\xc0\xaf"), 0u);      // overlong
  EXPECT_EQ(first_invalid_utf8("ab\xe2\x82"), 2u);    // truncated
}

// Excel's "CSV" in England is Windows-1252: its bytes become the characters they
// meant, valid UTF-8 stays as it is, and the undefined bytes become U+FFFD.
TEST(Utf8, Windows1252BytesAreRepairedAndUtf8IsKept) {
  std::string out;
  EXPECT_EQ(append_utf8_repairing_cp1252(out, "Caf\xe9 \x80" "5 \x96 \x93quoted\x94 \xa3" "3"), 6u);
  EXPECT_EQ(out, "Caf\xc3\xa9 \xe2\x82\xac" "5 \xe2\x80\x93 \xe2\x80\x9cquoted\xe2\x80\x9d \xc2\xa3" "3");
  EXPECT_EQ(first_invalid_utf8(out), std::string_view::npos);
  out.clear();
  EXPECT_EQ(append_utf8_repairing_cp1252(out, "already \xc3\xa9 and \xe9"), 1u);  // mixed: only the bad byte
  EXPECT_EQ(out, "already \xc3\xa9 and \xc3\xa9");
  out.clear();
  EXPECT_EQ(append_utf8_repairing_cp1252(out, "\x81\x8d"), 2u);
  EXPECT_EQ(out, "\xef\xbf\xbd\xef\xbf\xbd");
  std::string kept(1, 'x');
  EXPECT_EQ(append_utf8_repairing_cp1252(kept, "plain"), 0u);
  EXPECT_EQ(kept, "xplain");
}
