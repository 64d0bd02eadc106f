#pragma once
// parse_double(): strict number parsing for input fields.
//
// The whole (trimmed) field must be a number: "12abc" is not 12, "" is not 0 (PDAL's
// "Setting to 0" puts crimes in the Gulf of Guinea). NaN and infinities are reported,
// not returned as values, and so is a number beyond a double's range ("1e999":
// not_finite). A leading '+' is accepted.
//
// Plain decimals ("-1.376821", "451439") take a fast exact path: at most 15 digits
// form an integer m < 2^53, and m / 10^k (10^k exact for k <= 22) is a single
// correctly rounded division, so the result is bit-identical to std::from_chars.
// Everything else (exponents, more digits) goes to std::from_chars.
//
//   double v;
//   if (parse_double(field, v) == NumberStatus::ok) use(v);

#include <string_view>

namespace hotspot {

enum class NumberStatus { ok, empty, not_a_number, not_finite };

NumberStatus parse_double(std::string_view text, double& value);

}  // namespace hotspot
