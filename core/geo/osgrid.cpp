#include "core/geo/osgrid.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>

#include "core/base/assert.hpp"
#include "core/geo/extent.hpp"

namespace hotspot::core {

namespace detail {
namespace {

constexpr std::string_view kLetters = "ABCDEFGHJKLMNOPQRSTUVWXYZ";  // 25: no I
constexpr int kSquare100kmM = 100000;
constexpr int kSquare500kmM = 500000;
constexpr std::array<int, 6> kPrecisionM = {100000, 10000, 1000, 100, 10, 1};  // by digits/2

// Index of `c` in kLetters (any case), or -1.
int letter_index(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c < 'A' || c > 'Z' || c == 'I') return -1;
  const int i = c - 'A';
  return c > 'I' ? i - 1 : i;
}

struct SquareOrigin {
  int easting_m;
  int northing_m;
};

// South-west corner of the 100 km square named by two letter indexes. The 5 x 5 layout
// is read from the north-west; 500 km square S (col 2, row 3) is the false origin.
SquareOrigin square_origin(int first, int second) {
  const int e500 = first % 5 - 2;
  const int n500 = 3 - first / 5;
  const int e100 = second % 5;
  const int n100 = 4 - second / 5;
  return {e500 * kSquare500kmM + e100 * kSquare100kmM, n500 * kSquare500kmM + n100 * kSquare100kmM};
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view text) { return "grid reference '" + std::string(text) + "'"; }

std::string number(double v) {
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed);
  return std::string(buf.data(), r.ptr);
}

}  // namespace
}  // namespace detail

const char* describe(GridRefError e) {
  switch (e) {
    case GridRefError::empty:
      return "grid reference is empty";
    case GridRefError::bad_letters:
      return "grid reference does not start with two grid letters";
    case GridRefError::outside_grid:
      return "not on the National Grid";
    case GridRefError::bad_character:
      return "grid reference has a character that is not a digit";
    case GridRefError::bad_spacing:
      return "grid reference digits are split in the wrong place";
    case GridRefError::odd_digits:
      return "grid reference has an odd number of digits";
    case GridRefError::too_many_digits:
      return "grid reference has more than 10 digits";
  }
  return "unknown grid reference error";
}

Result<GridRef, GridRefError> parse_grid_reference(std::string_view text) {
  using R = Result<GridRef, GridRefError>;
  const std::string_view s = detail::trim(text);
  if (s.empty()) return R::failure(GridRefError::empty, detail::quoted(text) + " is empty");

  const int first = s.size() >= 2 ? detail::letter_index(s[0]) : -1;
  const int second = s.size() >= 2 ? detail::letter_index(s[1]) : -1;
  if (first < 0 || second < 0) {
    return R::failure(
        GridRefError::bad_letters,
        detail::quoted(text) + " does not start with two grid letters (A-Z without I)");
  }
  const detail::SquareOrigin sq = detail::square_origin(first, second);
  if (!is_on_bng_grid(sq.easting_m, sq.northing_m)) {
    std::string pair{detail::kLetters[static_cast<std::size_t>(first)],
                     detail::kLetters[static_cast<std::size_t>(second)]};
    return R::failure(
        GridRefError::outside_grid,
        detail::quoted(text) + ": '" + pair + "' is not a 100 km square of the National Grid");
  }

  // The rest: one optional space, then digits with at most one space, in the middle.
  std::string_view rest = s.substr(2);
  if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  std::array<char, 10> digits{};
  std::size_t n = 0;
  std::size_t spaces = 0;
  std::size_t space_at = 0;  // number of digits before the (last) space
  for (const char c : rest) {
    if (c >= '0' && c <= '9') {
      if (n < digits.size()) digits[n] = c;
      ++n;
    } else if (c == ' ') {
      ++spaces;
      space_at = n;
    } else {
      return R::failure(GridRefError::bad_character,
                        detail::quoted(text) + ": '" + std::string(1, c) + "' is not a digit");
    }
  }
  if (n > 10) {
    return R::failure(
        GridRefError::too_many_digits,
        detail::quoted(text) + " has " + std::to_string(n) + " digits: at most 10 (1 m squares)");
  }
  if (n % 2 != 0) {
    return R::failure(GridRefError::odd_digits,
                      detail::quoted(text) + " has " + std::to_string(n) +
                          " digits: easting and northing need the same number");
  }
  if (spaces > 1 || (spaces == 1 && (n == 0 || space_at != n / 2))) {
    return R::failure(
        GridRefError::bad_spacing,
        detail::quoted(text) + ": digits may be split only once, by one space in the middle");
  }

  const std::size_t half = n / 2;
  const int precision = detail::kPrecisionM[half];
  int e = 0;
  int north = 0;
  for (std::size_t i = 0; i < half; ++i) {
    e = e * 10 + (digits[i] - '0');
    north = north * 10 + (digits[half + i] - '0');
  }
  return GridRef{.easting_m = static_cast<double>(sq.easting_m + e * precision),
                 .northing_m = static_cast<double>(sq.northing_m + north * precision),
                 .digits = static_cast<int>(n),
                 .precision_m = static_cast<double>(precision)};
}

Result<std::string, GridRefError> format_grid_reference(double easting_m, double northing_m,
                                                        int digits, bool spaces) {
  using R = Result<std::string, GridRefError>;
  HOTSPOT_ASSERT_MSG(digits >= 0 && digits <= 10 && digits % 2 == 0,
                     "grid reference digits must be 0, 2, 4, 6, 8 or 10");
  if (!is_on_bng_grid(easting_m, northing_m)) {
    return R::failure(GridRefError::outside_grid,
                      "easting " + detail::number(easting_m) + " northing " +
                          detail::number(northing_m) +
                          " is not on the National Grid (0 <= E < 700000, 0 <= N < 1300000)");
  }
  // Truncation: the square containing the point. On the grid both are in [0, 1.3e6).
  const auto e = static_cast<int>(std::floor(easting_m));
  const auto n = static_cast<int>(std::floor(northing_m));
  const int e100 = e / detail::kSquare100kmM;
  const int n100 = n / detail::kSquare100kmM;
  const int first = (3 - n100 / 5) * 5 + (e100 / 5 + 2);
  const int second = (4 - n100 % 5) * 5 + e100 % 5;
  std::string out{detail::kLetters[static_cast<std::size_t>(first)],
                  detail::kLetters[static_cast<std::size_t>(second)]};
  if (digits == 0) return out;

  const auto half = static_cast<std::size_t>(digits / 2);
  const int precision = detail::kPrecisionM[half];
  auto append = [&](int within_square_m) {
    std::string d = std::to_string(within_square_m / precision);
    out.append(half - d.size(), '0');
    out += d;
  };
  if (spaces) out += ' ';
  append(e % detail::kSquare100kmM);
  if (spaces) out += ' ';
  append(n % detail::kSquare100kmM);
  return out;
}

}  // namespace hotspot::core
