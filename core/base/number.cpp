#include "core/base/number.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace hotspot {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool parse_plain_decimal(std::string_view s, double& v) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) ++i;
  uint64_t m = 0;
  int digits = 0, decimals = -1;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      m = m * 10 + static_cast<uint64_t>(c - '0');
      if (++digits > 15) return false;
      if (decimals >= 0) ++decimals;
    } else if (c == '.' && decimals < 0) {
      decimals = 0;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  const double value = static_cast<double>(m) / kPow10[decimals < 0 ? 0 : decimals];
  v = negative ? -value : value;
  return true;
}

}  // namespace

NumberStatus parse_double(std::string_view s, double& v) {
  s = trim(s);
  if (s.empty()) return NumberStatus::empty;
  if (s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return NumberStatus::not_a_number;
  if (parse_plain_decimal(s, v)) return NumberStatus::ok;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  // "1e999": a number, but not one a double can hold.
  if (ec == std::errc::result_out_of_range && p == s.data() + s.size()) return NumberStatus::not_finite;
  if (ec != std::errc() || p != s.data() + s.size()) return NumberStatus::not_a_number;
  if (!std::isfinite(v)) return NumberStatus::not_finite;
  return NumberStatus::ok;
}

}  // namespace hotspot
