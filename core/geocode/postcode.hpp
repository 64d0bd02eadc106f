#pragma once
// UK postcodes: parsing messy text into the canonical form and a 64-bit key.
//
// A postcode is an outward code (area letters + district: "NG17", "SW1A", "M1") and
// an inward code (sector digit + unit letters: "5FF"). Written "NG17 5FF". Coarser
// levels name groups of postcodes: the SECTOR "NG17 5" (about 3,000 addresses) and
// the DISTRICT "NG17".
//
// Accepted text (parse_postcode): any case, surrounding whitespace, no space or any
// run of spaces between the outward and inward codes ("ng175ff", "NG17  5FF"), and the
// usual typing slips in digit positions: letter O for zero and I or L for one in the
// district number and the sector digit ("NGI7 5FF" -> "NG17 5FF", "NG17 OFF" ->
// "NG17 0FF"). The shapes checked are Royal Mail's: outward A9, A99, AA9, AA99, A9A,
// AA9A; inward 9AA. Whether the postcode EXISTS is the gazetteer's question, not this
// file's (Code-Point Open lists the live ones).
//
// PostcodeKey packs the canonical text into 8 bytes, big-endian, so that keys sort in
// text order and a sector's or district's units form one contiguous key range:
//   bytes 0-3  outward code, left-aligned, space-padded   "NG17"
//   bytes 4-6  inward code, space-padded                  "5FF" / "5  " / "   "
//   byte  7    0
//
//   auto pc = parse_postcode(" ng17  5ff ");     // "NG17 5FF"
//   if (pc) { pc->text(); pc->sector().text(); }   // "NG17 5FF", "NG17 5"
//   auto d = parse_outward_code("NG17");          // district level

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotspot::core::geocode {

enum class PostcodeLevel : uint8_t { district, sector, unit };

class PostcodeKey {
 public:
  PostcodeKey() = default;
  // The key of a packed value (from sorting or a file). Requires: a value made by
  // this class (not checked).
  static PostcodeKey from_bits(uint64_t bits) {
    PostcodeKey k;
    k.m_bits = bits;
    return k;
  }

  [[nodiscard]] uint64_t bits() const { return m_bits; }
  [[nodiscard]] bool empty() const { return m_bits == 0; }
  [[nodiscard]] PostcodeLevel level() const;

  // Coarser keys. Requires: !empty(); sector() requires level() >= sector.
  [[nodiscard]] PostcodeKey sector() const;
  [[nodiscard]] PostcodeKey district() const;

  // "NG17 5FF", "NG17 5", "NG17"; "" when empty.
  [[nodiscard]] std::string text() const;
  // The outward code alone ("NG17"), and its letters ("NG"): the postcode area.
  [[nodiscard]] std::string outward() const;

  friend bool operator==(PostcodeKey a, PostcodeKey b) { return a.m_bits == b.m_bits; }
  friend bool operator<(PostcodeKey a, PostcodeKey b) { return a.m_bits < b.m_bits; }

 private:
  friend std::optional<PostcodeKey> make_postcode_key(std::string_view outward, std::string_view inward);
  uint64_t m_bits = 0;
};

// Builds a key from an outward code and an inward code of 0 (district), 1 (sector) or
// 3 (unit) characters, already upper case and checked. nullopt if the shapes are wrong.
std::optional<PostcodeKey> make_postcode_key(std::string_view outward, std::string_view inward);

// A full (unit) postcode, as described at the top of this file; nullopt otherwise.
std::optional<PostcodeKey> parse_postcode(std::string_view text);

// An outward code alone ("NG17", "ng17"): district level; nullopt otherwise.
std::optional<PostcodeKey> parse_outward_code(std::string_view text);

// A unit, a sector ("NG17 5") or a district ("NG17"), whichever the text is.
std::optional<PostcodeKey> parse_postcode_any(std::string_view text);

}  // namespace hotspot::core::geocode
