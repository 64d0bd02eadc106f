#pragma once
// UTF-8 validation for text the tool keeps and writes (crime types, area codes, names):
// GeoPackage and GeoJSON require UTF-8, and Windows exports often are Windows-1252.
//
//   if (auto i = first_invalid_utf8(text); i != std::string_view::npos) reject(...);
//
// Strict RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF, no truncated sequences.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hotspot::core {

// Index of the first byte that does not start a valid UTF-8 sequence, or npos.
inline std::size_t first_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

// Appends `s` to `out` as UTF-8: valid UTF-8 sequences as they are, every other byte
// read as Windows-1252 (the encoding of Excel's CSV exports in England), the five
// bytes Windows-1252 leaves undefined as U+FFFD. Returns the number of bytes read as
// Windows-1252 (0: `s` was UTF-8 already).
inline std::size_t append_utf8_repairing_cp1252(std::string& out, std::string_view s) {
  static constexpr char16_t kHigh[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                         0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                                         0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                         0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::size_t repaired = 0;
  while (!s.empty()) {
    const std::size_t bad = first_invalid_utf8(s);
    if (bad == std::string_view::npos) {
      out.append(s);
      break;
    }
    out.append(s.substr(0, bad));
    const auto c = static_cast<unsigned char>(s[bad]);
    const char32_t u = c < 0xA0 ? kHigh[c - 0x80] : c;  // c >= 0x80 here
    if (u < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (u >> 6)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (u >> 12)));
      out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    }
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
    ++repaired;
    s.remove_prefix(bad + 1);
  }
  return repaired;
}

}  // namespace hotspot::core
