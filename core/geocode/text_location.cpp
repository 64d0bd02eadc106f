#include "core/geocode/text_location.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "core/base/number.hpp"
#include "core/geo/extent.hpp"
#include "core/geo/osgrid.hpp"

namespace hotspot::core::geocode {

namespace {

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

struct Number {
  std::size_t begin = 0, end = 0;  // characters, sign and any one-letter prefix included
  double value = 0.0;
  int int_digits = 0, decimals = 0;
};

// Numbers that can be coordinates: not glued to a word ("14A", "NG17"), except for a
// one-letter E/N/X/Y prefix ("E451234").
std::vector<Number> scan_numbers(std::string_view t) {
  std::vector<Number> out;
  std::size_t i = 0;
  while (i < t.size()) {
    const bool sign = (t[i] == '-' || t[i] == '+') && i + 1 < t.size() && is_digit(t[i + 1]);
    if (!is_digit(t[i]) && !sign) {
      ++i;
      continue;
    }
    std::size_t begin = i;
    bool ok = true;
    if (!sign && i > 0 && is_alpha(t[i - 1])) {
      const char p = upper(t[i - 1]);
      const bool lone = i < 2 || !is_alpha(t[i - 2]);
      ok = lone && (p == 'E' || p == 'N' || p == 'X' || p == 'Y');
      begin = i - 1;
    } else if (i > 0 && (is_digit(t[i - 1]) || t[i - 1] == '.')) {
      ok = false;
    }
    std::size_t j = sign ? i + 1 : i;
    Number n;
    while (j < t.size() && is_digit(t[j])) {
      ++j;
      ++n.int_digits;
    }
    if (j + 1 < t.size() && t[j] == '.' && is_digit(t[j + 1])) {
      ++j;
      while (j < t.size() && is_digit(t[j])) {
        ++j;
        ++n.decimals;
      }
    }
    if (j < t.size() && (is_alpha(t[j]) || t[j] == '.')) ok = false;  // "14A", "1.2.3"
    if (ok && parse_double(t.substr(i, j - i), n.value) == NumberStatus::ok) {
      n.begin = begin;
      n.end = j;
      out.push_back(n);
    }
    i = j;
  }
  return out;
}

// What may stand between the two numbers of a pair: separators and an axis word.
bool pair_gap(std::string_view gap) {
  if (gap.size() > 12) return false;
  std::string letters;
  for (char c : gap) {
    if (is_alpha(c)) letters.push_back(upper(c));
    else if (c != ' ' && c != ',' && c != ';' && c != '/' && c != ':' && c != '=' && c != '\t') return false;
    else if (!letters.empty() && letters.back() != ' ') letters.push_back(' ');
  }
  while (!letters.empty() && letters.back() == ' ') letters.pop_back();
  return letters.empty() || letters == "N" || letters == "Y" || letters == "LAT" || letters == "LON" ||
         letters == "LNG" || letters == "LONG" || letters == "LATITUDE" || letters == "LONGITUDE";
}

// "grid ref", "GR", "OS ref", "NGR" just before a reference.
bool says_grid_reference(std::string_view before) {
  std::string up;
  for (char c : before) up.push_back(is_alpha(c) ? upper(c) : ' ');
  for (const char* k : {"GRID", "REF", " GR ", "NGR", " OS "}) {
    std::string padded = " " + up + " ";
    if (padded.find(k) != std::string::npos) return true;
  }
  return false;
}

std::optional<TextLocation> find_grid_reference(std::string_view t) {
  for (std::size_t i = 0; i + 3 < t.size(); ++i) {
    if (!is_alpha(t[i]) || !is_alpha(t[i + 1]) || (i > 0 && is_alnum(t[i - 1]))) continue;
    std::size_t j = i + 2;
    if (j < t.size() && t[j] == ' ') ++j;
    const std::size_t d1 = j;
    while (j < t.size() && is_digit(t[j])) ++j;
    const std::size_t n1 = j - d1;
    if (n1 == 0) continue;
    std::size_t end = j, digits = n1;
    if (j + 1 < t.size() && t[j] == ' ' && is_digit(t[j + 1])) {
      std::size_t k = j + 1;
      while (k < t.size() && is_digit(t[k])) ++k;
      if (k - (j + 1) == n1) {
        end = k;
        digits += n1;
      }
    }
    if (end < t.size() && is_alnum(t[end])) continue;
    if (digits < 4 || digits > 10 || digits % 2 != 0) continue;
    // "of 1234", "no 123456": short words before numbers. Lower-case letters or only
    // 4 digits need the text to say it is a grid reference.
    const bool upper_letters = t[i] >= 'A' && t[i] <= 'Z' && t[i + 1] >= 'A' && t[i + 1] <= 'Z';
    if ((digits < 6 || !upper_letters) && !says_grid_reference(t.substr(i >= 16 ? i - 16 : 0, i >= 16 ? 16 : i)))
      continue;
    auto g = parse_grid_reference(t.substr(i, end - i));
    if (!g) continue;
    TextLocation loc;
    loc.kind = TextLocationKind::grid_reference;
    const Point c = g->centre();
    loc.x = c.x();
    loc.y = c.y();
    loc.precision_m = g->precision_m * std::sqrt(0.5);
    loc.begin = i;
    loc.length = end - i;
    return loc;
  }
  return std::nullopt;
}

double lonlat_precision_m(int decimals) {
  if (decimals >= 5) return 1.1;
  return 111320.0 * std::pow(10.0, -decimals);
}

}  // namespace

std::optional<TextLocation> find_text_location(std::string_view text) {
  // Every form needs at least 4 digits; most address lines have fewer.
  std::size_t digits = 0;
  for (char c : text) digits += is_digit(c) ? 1u : 0u;
  if (digits < 4) return std::nullopt;
  if (auto g = find_grid_reference(text)) return g;
  const std::vector<Number> nums = scan_numbers(text);
  for (std::size_t k = 0; k + 1 < nums.size(); ++k) {
    const Number& a = nums[k];
    const Number& b = nums[k + 1];
    if (!pair_gap(text.substr(a.end, b.begin - a.end))) continue;
    TextLocation loc;
    loc.begin = a.begin;
    loc.length = b.end - a.begin;
    if (a.decimals >= 3 && b.decimals >= 3) {
      if (is_plausible_uk_lonlat(b.value, a.value)) {  // latitude first
        loc.x = b.value;
        loc.y = a.value;
      } else if (is_plausible_uk_lonlat(a.value, b.value)) {
        loc.x = a.value;
        loc.y = b.value;
      } else {
        continue;
      }
      loc.kind = TextLocationKind::lonlat;
      loc.precision_m = lonlat_precision_m(std::min(a.decimals, b.decimals));
      return loc;
    }
    const bool east_ok = a.int_digits == 6 && a.value >= 0 && a.value < kBngMaxEastingM;
    const bool north_ok = (b.int_digits == 6 || b.int_digits == 7) && b.value >= 0 && b.value < kBngMaxNorthingM;
    if (east_ok && north_ok && a.decimals <= 3 && b.decimals <= 3) {
      loc.kind = TextLocationKind::easting_northing;
      loc.x = a.value;
      loc.y = b.value;
      loc.precision_m = 1.0;
      return loc;
    }
  }
  return std::nullopt;
}

}  // namespace hotspot::core::geocode
