#pragma once
// AddressParser: one line of messy address text -> its parts (ParsedAddress).
//
// What it understands (tests/core/geocode/address_parser_test.cpp has one case each):
//   "14a Station Rd, Sutton in Ashfield NG17 5FF"  house 14A, street STATION ROAD,
//                                                  place SUTTON IN ASHFIELD, postcode
//   "flat 2 12 kings mill road east"               sao 2, house 12, KINGS MILL ROAD EAST
//   "Flat 2, 14a" / "2/14A" / "Apartment 2, 14A"   sao 2, house 14A
//   "12-14 Station Rd"                             house range 12-14
//   "rear of 33 Outram St" / "R/O" / "land at" /   qualifier (rear, land, outside,
//   "o/s" / "opp" / "near" / "adj to"              opposite, near, adjacent) + the address
//   "junction of X and Y" / "X j/w Y" / "X/Y" /    a junction of two streets
//   "Jct X/Y" / "corner of X and Y"
//   "Rose Cottage, Station Road"                   building name + street
//   "NG175FF", "ng17  5ff", postcode column        the postcode (unit, sector "NG17 5"
//                                                  or district "NG17"), any spacing/case
//   "... SK 5123 5876" / "53.12,-1.23" / "E.. N.." a location written in the text
//   "NFA", "No fixed abode", "Unknown", "N/K"      no address at all
// Street and place are told apart without commas ("14 station rd sutton in ashfield")
// with the gazetteer's vocabulary, in this order: the longest leading run of words
// that is a known street; else the longest trailing run that is a known place (or the
// leading words of one, "SUTTON"); else everything up to the last street type word.
// Without a gazetteer only the last rule applies.
//
// Limits: one address per line; a house number written after the street ("Station
// Road 14") is not recognised; "2 14A Station Road" is read as flat 2 at 14A.
//
// Not thread-safe (scratch buffers): one parser per thread. The gazetteer is borrowed.
//
//   AddressParser p(&gazetteer);
//   ParsedAddress a;
//   p.parse("Flat 2, 14A Station Rd, Sutton NG17 5FF", "", a);
//   a.sao == "2"; a.house.number == 14; a.street == "STATION ROAD"; a.places[0] == "SUTTON"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geocode/gazetteer.hpp"
#include "core/geocode/normalize.hpp"
#include "core/geocode/postcode.hpp"
#include "core/geocode/text_location.hpp"

namespace hotspot::core::geocode {

// Where the incident is relative to the address ("rear of 33 Outram St").
enum class Qualifier : uint8_t { none, rear, land, outside, opposite, near, adjacent };
const char* qualifier_name(Qualifier q);

struct ParsedAddress {
  std::string sao;                  // canonical SAO identifier ("2", "2A", "GROUND FLOOR")
  HouseNumber house;                // house number or range
  std::string building;             // building name (canonical)
  std::string street;               // canonical street (the first street of a junction)
  std::string street2;              // the other street of a junction
  std::vector<std::string> places;  // canonical place texts, in order of appearance
  PostcodeKey postcode;             // unit, sector or district; empty when none
  bool postcode_from_column = false;
  Qualifier qualifier = Qualifier::none;
  bool junction = false;
  bool no_address = false;          // the text says there is no address ("NFA")
  std::optional<TextLocation> text_location;

  void clear();
  // True when nothing was found at all (empty text, or only punctuation).
  [[nodiscard]] bool empty() const;
};

class AddressParser {
 public:
  // `gazetteer` (may be null) supplies the known street and place names.
  explicit AddressParser(const Gazetteer* gazetteer = nullptr) : m_gazetteer(gazetteer) {}

  // Parses `address`; `postcode_column` (may be empty) is a separate postcode field,
  // which wins over a postcode found in the text.
  void parse(std::string_view address, std::string_view postcode_column, ParsedAddress& out);

 private:
  using Words = std::vector<Word>;
  void combine_slashes();
  void take_postcode(ParsedAddress& out);
  void take_qualifier(ParsedAddress& out);
  bool take_junction(ParsedAddress& out);
  // Parses flats/house numbers/building names from m_words[i...]; returns the index of
  // the first street word.
  std::size_t take_house(std::size_t i, ParsedAddress& out);
  // Splits words [begin, end) into street and trailing place; returns the end of the street.
  std::size_t split_street(std::size_t begin, std::size_t end);
  void street_text(std::size_t begin, std::size_t end, std::string& out);
  void place_text(std::size_t begin, std::size_t end, std::string& out);
  void add_places(std::size_t begin, ParsedAddress& out);
  [[nodiscard]] bool known_street(std::size_t begin, std::size_t end);
  [[nodiscard]] bool known_place(std::size_t begin, std::size_t end);
  [[nodiscard]] std::size_t segment_end(std::size_t i) const;

  const Gazetteer* m_gazetteer;
  std::string m_text, m_buffer, m_scratch;
  Words m_words, m_tmp;
};

}  // namespace hotspot::core::geocode
