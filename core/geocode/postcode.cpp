#include "core/geocode/postcode.hpp"

#include <array>

namespace hotspot::core::geocode {

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Royal Mail's outward shapes: A9, A99, AA9, AA99, A9A, AA9A.
bool valid_outward(std::string_view o) {
  if (o.size() < 2 || o.size() > 4 || !is_upper(o[0])) return false;
  const std::size_t area = is_upper(o[1]) ? 2 : 1;
  if (area >= o.size() || !is_digit(o[area])) return false;
  const std::size_t rest = o.size() - area - 1;  // characters after the first digit
  if (rest == 0) return true;
  if (rest != 1) return false;
  const char last = o[area + 1];
  if (is_digit(last)) return true;
  // The letters Royal Mail uses in the last place of A9A and AA9A districts.
  const std::string_view letters = area == 1 ? "ABCDEFGHJKPSTUW" : "ABEHMNPRVWXY";
  return letters.find(last) != std::string_view::npos;
}

bool valid_inward(std::string_view i) {
  return i.size() == 3 && is_digit(i[0]) && is_upper(i[1]) && is_upper(i[2]);
}

char as_digit(char c) {
  if (c == 'O') return '0';
  if (c == 'I' || c == 'L') return '1';
  return c;
}

// The outward code with typing slips in its digit positions corrected, or "" when no
// reading is a valid shape. Tries the text as it is first.
std::string fix_outward(std::string_view o) {
  if (valid_outward(o)) return std::string(o);
  if (o.size() < 2 || o.size() > 4 || !is_upper(o[0])) return {};
  for (std::size_t area = 1; area <= 2 && area < o.size(); ++area) {
    std::string f(o);
    if (area == 2 && !is_upper(f[1])) continue;
    f[area] = as_digit(f[area]);
    // A letter in the last place of AA9A / A9A is never O, I or L: those are digits.
    if (f.size() == area + 2 && (f[area + 1] == 'O' || f[area + 1] == 'I' || f[area + 1] == 'L'))
      f[area + 1] = as_digit(f[area + 1]);
    if (valid_outward(f)) return f;
  }
  return {};
}

}  // namespace

std::optional<PostcodeKey> make_postcode_key(std::string_view outward, std::string_view inward) {
  if (!valid_outward(outward)) return std::nullopt;
  if (!(inward.empty() || (inward.size() == 1 && is_digit(inward[0])) || valid_inward(inward)))
    return std::nullopt;
  std::array<char, 8> b{' ', ' ', ' ', ' ', ' ', ' ', ' ', '\0'};
  for (std::size_t i = 0; i < outward.size(); ++i) b[i] = outward[i];
  for (std::size_t i = 0; i < inward.size(); ++i) b[4 + i] = inward[i];
  uint64_t bits = 0;
  for (char c : b) bits = (bits << 8) | static_cast<uint8_t>(c);
  PostcodeKey k;
  k.m_bits = bits;
  return k;
}

PostcodeLevel PostcodeKey::level() const {
  const auto byte = [&](int i) { return static_cast<char>((m_bits >> (8 * (7 - i))) & 0xFF); };
  if (byte(4) == ' ') return PostcodeLevel::district;
  if (byte(5) == ' ') return PostcodeLevel::sector;
  return PostcodeLevel::unit;
}

PostcodeKey PostcodeKey::sector() const {
  PostcodeKey k;
  // Blank the two unit letters (bytes 5 and 6).
  k.m_bits = (m_bits & ~uint64_t{0xFFFF00}) | (uint64_t{0x2020} << 8);
  return k;
}

PostcodeKey PostcodeKey::district() const {
  PostcodeKey k;
  k.m_bits = (m_bits & ~uint64_t{0xFFFFFF00}) | (uint64_t{0x202020} << 8);
  return k;
}

std::string PostcodeKey::outward() const {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>((m_bits >> (8 * (7 - i))) & 0xFF);
    if (c != ' ' && c != '\0') out.push_back(c);
  }
  return out;
}

std::string PostcodeKey::text() const {
  if (empty()) return {};
  std::string out = outward();
  std::string in;
  for (int i = 4; i < 7; ++i) {
    const char c = static_cast<char>((m_bits >> (8 * (7 - i))) & 0xFF);
    if (c != ' ') in.push_back(c);
  }
  if (!in.empty()) {
    out.push_back(' ');
    out += in;
  }
  return out;
}

std::optional<PostcodeKey> parse_postcode(std::string_view text) {
  // A space inside the text is where the writer split outward from inward: "NG17 FF"
  // is not NG1 7FF. Without one, the inward code is the last three characters.
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (const auto sp = text.find_last_of(" \t"); sp != std::string_view::npos) {
    std::size_t inward = 0;
    for (char ch : text.substr(sp + 1)) inward += is_space(ch) ? 0u : 1u;
    if (inward != 3) return std::nullopt;
  }
  std::array<char, 8> c{};
  std::size_t n = 0;
  for (char ch : text) {
    if (is_space(ch)) continue;
    ch = to_upper(ch);
    if (!is_upper(ch) && !is_digit(ch)) return std::nullopt;
    if (n == c.size()) return std::nullopt;
    c[n++] = ch;
  }
  if (n < 5 || n > 7) return std::nullopt;
  // Slips are corrected only in text that has real digits: "STILES" is not ST1 1ES.
  std::size_t digits = 0;
  for (std::size_t i = 0; i < n; ++i) digits += is_digit(c[i]) ? 1u : 0u;
  if (digits == 0) return std::nullopt;
  std::string inward(c.data() + n - 3, 3);
  inward[0] = as_digit(inward[0]);
  if (!valid_inward(inward)) return std::nullopt;
  const std::string outward = fix_outward(std::string_view(c.data(), n - 3));
  if (outward.empty()) return std::nullopt;
  return make_postcode_key(outward, inward);
}

std::optional<PostcodeKey> parse_outward_code(std::string_view text) {
  std::string o;
  for (char ch : text) {
    if (is_space(ch)) continue;
    ch = to_upper(ch);
    if (!is_upper(ch) && !is_digit(ch)) return std::nullopt;
    if (o.size() == 4) return std::nullopt;
    o.push_back(ch);
  }
  if (o.find_first_of("0123456789") == std::string::npos) return std::nullopt;
  const std::string f = fix_outward(o);
  if (f.empty()) return std::nullopt;
  return make_postcode_key(f, {});
}

std::optional<PostcodeKey> parse_postcode_any(std::string_view text) {
  if (auto unit = parse_postcode(text)) return unit;
  // A sector: the outward code, a space, one digit.
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  const auto space = text.find_last_of(" \t");
  if (space != std::string_view::npos) {
    const std::string_view digit = text.substr(space + 1);
    if (digit.size() == 1) {
      const char d = as_digit(to_upper(digit[0]));
      if (auto district = parse_outward_code(text.substr(0, space)))
        if (is_digit(d)) return make_postcode_key(district->outward(), std::string_view(&d, 1));
    }
  }
  return parse_outward_code(text);
}

}  // namespace hotspot::core::geocode
