#include "core/base/number.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cstring>
#include <string>

#include "core/base/random.hpp"

using hotspot::NumberStatus;
using hotspot::parse_double;

TEST(ParseDouble, StrictWholeFieldNumbers) {
  double v = 0;
  EXPECT_EQ(parse_double(" -1.376821 ", v), NumberStatus::ok);
  EXPECT_EQ(v, -1.376821);
  EXPECT_EQ(parse_double("+451439", v), NumberStatus::ok);
  EXPECT_EQ(v, 451439.0);
  EXPECT_EQ(parse_double("5.3e1", v), NumberStatus::ok);
  EXPECT_EQ(v, 53.0);
  EXPECT_EQ(parse_double("", v), NumberStatus::empty);
  EXPECT_EQ(parse_double("   ", v), NumberStatus::empty);
  EXPECT_EQ(parse_double("12abc", v), NumberStatus::not_a_number);
  EXPECT_EQ(parse_double("1,5", v), NumberStatus::not_a_number);
  EXPECT_EQ(parse_double("+", v), NumberStatus::not_a_number);
  EXPECT_EQ(parse_double("-", v), NumberStatus::not_a_number);
  EXPECT_EQ(parse_double(".", v), NumberStatus::not_a_number);
  EXPECT_EQ(parse_double("1.2.3", v), NumberStatus::not_a_number);
  EXPECT_EQ(parse_double("nan", v), NumberStatus::not_finite);
  EXPECT_EQ(parse_double("-inf", v), NumberStatus::not_finite);
  EXPECT_EQ(parse_double("1e999", v), NumberStatus::not_finite);  // a number, but beyond a double: infinite
}

TEST(ParseDouble, FastPathIsBitIdenticalToFromChars) {
  // Model-based: random decimals in every shape the fast path takes, compared with
  // std::from_chars bit for bit.
  hotspot::Rng rng(99);
  for (int i = 0; i < 200000; ++i) {
    const int int_digits = static_cast<int>(rng.below(8));
    const int frac_digits = static_cast<int>(rng.below(9));
    std::string s = rng.below(2) ? "-" : "";
    for (int k = 0; k < int_digits; ++k) s += static_cast<char>('0' + rng.below(10));
    if (int_digits == 0) s += '0';
    if (frac_digits > 0 || rng.below(4) == 0) s += '.';
    for (int k = 0; k < frac_digits; ++k) s += static_cast<char>('0' + rng.below(10));
    double ours = 0, ref = 0;
    ASSERT_EQ(parse_double(s, ours), NumberStatus::ok) << s;
    const std::string_view body = s;
    std::from_chars(body.data(), body.data() + body.size(), ref);
    ASSERT_EQ(std::memcmp(&ours, &ref, sizeof ours), 0) << s;
  }
}
