#pragma once
// String similarity for fuzzy street and place names.
//
// osa_distance(): the optimal string alignment distance (Damerau-Levenshtein where
// no substring is edited twice): insertions, deletions, substitutions and swaps of
// two adjacent characters each cost 1, so "STAITON" is one edit from "STATION" (the
// typing slips seen in partner data: a neighbour key, a doubled or dropped letter,
// two letters swapped). Bounded: it stops as soon as the distance must exceed
// `max_edits` and then returns max_edits + 1, so scanning many candidates is cheap
// (O(len * (2 * max_edits + 1)) per pair).
//
// jaro_winkler(): the Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, at most 4
// prefix characters), used to rank candidates at the same edit distance: a slip late
// in a name is more likely than one in its first letters.
//
// letter_mask(): a 32-bit set of the characters present (A-Z, 0-9 folded, space); two
// strings within k edits differ in at most 2k mask bits, a cheap pre-filter.
//
// Bytes are compared as given (callers normalise to upper-case ASCII first).
//
//   osa_distance("STATON ROAD", "STATION ROAD", 2);   // 1
//   jaro_winkler("MARTHA", "MARHTA");                   // 0.961

#include <cstdint>
#include <string_view>

namespace hotspot::core::geocode {

// Requires: max_edits <= 8.
int osa_distance(std::string_view a, std::string_view b, int max_edits);

double jaro_winkler(std::string_view a, std::string_view b);

uint32_t letter_mask(std::string_view s);

// Bits set in v (inline SWAR: without -mpopcnt, std::popcount is a library call).
constexpr int bit_count(uint32_t v) {
  v = v - ((v >> 1) & 0x55555555u);
  v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
  return static_cast<int>((((v + (v >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
}

}  // namespace hotspot::core::geocode
