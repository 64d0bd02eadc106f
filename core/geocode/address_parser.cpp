// [SECTION] index
//  - Word tables (flats, qualifiers, junctions, "no address")
//  - parse(): location in text, postcode, junction, qualifier, house, street/place

#include "core/geocode/address_parser.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace hotspot::core::geocode {

namespace {

// [SECTION] Word tables --------------------------------------------------------------

bool one_of(std::string_view w, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), w) != set.end();
}

bool is_flat_word(std::string_view w) {
  return one_of(w, {"FLAT", "FLT", "APARTMENT", "APT", "APPT", "MAISONETTE", "UNIT", "ROOM", "STUDIO", "SUITE",
                    "BEDSIT"});
}

bool is_floor_word(std::string_view w) {
  return one_of(w, {"GROUND", "FIRST", "SECOND", "THIRD", "FOURTH", "TOP", "UPPER", "LOWER", "BASEMENT"});
}

// Words that on their own say "there is no address".
bool is_no_address_word(std::string_view w) {
  return one_of(w, {"NFA", "NO", "FIXED", "ABODE", "UNKNOWN", "NOT", "KNOWN", "N/K", "N/A", "NK", "TBC", "TBA",
                    "VARIOUS", "LOCATIONS", "LOCATION", "ADDRESS", "WITHHELD", "GIVEN", "NONE", "NIL", "SEE",
                    "UPRN", "REFUSED", "NULL", "UNSPECIFIED", "STATED", "PROVIDED", "AND", "OR"});
}

bool is_junction_lead(std::string_view w) {
  return one_of(w, {"JUNCTION", "JCT", "JUNC", "JNCT", "JNC", "CORNER", "CNR", "J/O"});
}

// A flat identifier: "2", "2A", "A", "G1".
bool is_identifier(std::string_view w) {
  if (w.empty() || w.size() > 4 || w == "/" || w == "-") return false;
  uint32_t n = 0;
  char s = 0;
  if (house_number_word(w, n, s) || is_single_letter(w)) return true;
  bool digit = false;
  for (char c : w) {
    if (c >= '0' && c <= '9') digit = true;
    else if (c < 'A' || c > 'Z') return false;
  }
  return digit;
}

struct Phrase {
  std::array<std::string_view, 5> words;
  Qualifier qualifier;
  bool only_first;  // only at the very start of the text
};

// Longest phrases first, so "LAND REAR OF" wins over "LAND".
constexpr std::array kQualifiers = {
    Phrase{{"LAND", "TO", "THE", "REAR", "OF"}, Qualifier::land, false},
    Phrase{{"TO", "THE", "REAR", "OF"}, Qualifier::rear, false},
    Phrase{{"LAND", "ADJACENT", "TO"}, Qualifier::land, false},
    Phrase{{"LAND", "ADJ", "TO"}, Qualifier::land, false},
    Phrase{{"LAND", "REAR", "OF"}, Qualifier::land, false},
    Phrase{{"IN", "FRONT", "OF"}, Qualifier::outside, false},
    Phrase{{"TO", "REAR", "OF"}, Qualifier::rear, false},
    Phrase{{"LAND", "AT"}, Qualifier::land, false},
    Phrase{{"LAND", "ADJ"}, Qualifier::land, false},
    Phrase{{"LAND", "ADJOINING"}, Qualifier::land, false},
    Phrase{{"LAND", "OFF"}, Qualifier::land, false},
    Phrase{{"LAND", "NEAR"}, Qualifier::land, false},
    Phrase{{"LAND", "BEHIND"}, Qualifier::land, false},
    Phrase{{"REAR", "OF"}, Qualifier::rear, false},
    Phrase{{"FRONT", "OF"}, Qualifier::outside, false},
    Phrase{{"OPP", "TO"}, Qualifier::opposite, false},
    Phrase{{"OPPOSITE", "TO"}, Qualifier::opposite, false},
    Phrase{{"ADJ", "TO"}, Qualifier::adjacent, false},
    Phrase{{"ADJACENT", "TO"}, Qualifier::adjacent, false},
    Phrase{{"NEXT", "TO"}, Qualifier::adjacent, false},
    Phrase{{"NEAR", "TO"}, Qualifier::near, false},
    Phrase{{"OUTSIDE", "OF"}, Qualifier::outside, false},
    Phrase{{"R/O"}, Qualifier::rear, false},
    Phrase{{"REAR"}, Qualifier::rear, false},
    Phrase{{"BEHIND"}, Qualifier::rear, false},
    Phrase{{"O/S"}, Qualifier::outside, false},
    Phrase{{"OUTSIDE"}, Qualifier::outside, false},
    Phrase{{"OPP"}, Qualifier::opposite, false},
    Phrase{{"OPPOSITE"}, Qualifier::opposite, false},
    Phrase{{"ADJ"}, Qualifier::adjacent, false},
    Phrase{{"ADJACENT"}, Qualifier::adjacent, false},
    Phrase{{"ADJOINING"}, Qualifier::adjacent, false},
    Phrase{{"NEAR"}, Qualifier::near, false},
    Phrase{{"NR"}, Qualifier::near, false},
    Phrase{{"BY"}, Qualifier::near, true},
    Phrase{{"OFF"}, Qualifier::near, true},
    Phrase{{"AT"}, Qualifier::none, true},
};

std::size_t phrase_length(const Phrase& p) {
  std::size_t n = 0;
  while (n < p.words.size() && !p.words[n].empty()) ++n;
  return n;
}

}  // namespace

const char* qualifier_name(Qualifier q) {
  switch (q) {
    case Qualifier::none: return "none";
    case Qualifier::rear: return "rear";
    case Qualifier::land: return "land";
    case Qualifier::outside: return "outside";
    case Qualifier::opposite: return "opposite";
    case Qualifier::near: return "near";
    case Qualifier::adjacent: return "adjacent";
  }
  return "none";
}

void ParsedAddress::clear() {
  sao.clear();
  house = {};
  building.clear();
  street.clear();
  street2.clear();
  places.clear();
  postcode = {};
  postcode_from_column = false;
  qualifier = Qualifier::none;
  junction = false;
  no_address = false;
  text_location.reset();
}

bool ParsedAddress::empty() const {
  return sao.empty() && house.empty() && building.empty() && street.empty() && places.empty() &&
         postcode.empty() && !text_location && !no_address;
}

// [SECTION] parse() --------------------------------------------------------------------

std::size_t AddressParser::segment_end(std::size_t i) const {
  const uint16_t seg = m_words[i].segment;
  while (i < m_words.size() && m_words[i].segment == seg) ++i;
  return i;
}

void AddressParser::combine_slashes() {
  // "R / O" -> "R/O", and the other slashed abbreviations.
  static constexpr std::array<std::string_view, 7> kSlashed = {"R/O", "O/S", "J/W", "J/O", "N/K", "N/A", "C/O"};
  std::size_t out = 0;
  for (std::size_t i = 0; i < m_words.size(); ++i) {
    std::string_view combined;
    if (i + 2 < m_words.size() && m_words[i + 1].text == "/" && is_single_letter(m_words[i].text) &&
        is_single_letter(m_words[i + 2].text)) {
      const char pair[3] = {m_words[i].text[0], '/', m_words[i + 2].text[0]};
      for (std::string_view k : kSlashed)
        if (k == std::string_view(pair, 3)) combined = k;
    }
    m_words[out] = m_words[i];
    if (!combined.empty()) {
      m_words[out].text = combined;
      i += 2;
    }
    ++out;
  }
  m_words.resize(out);
}

void AddressParser::take_postcode(ParsedAddress& out) {
  const std::size_t n = m_words.size();
  std::size_t at = n, len = 0;
  PostcodeKey found;
  std::string joined;
  auto has_digit = [](std::string_view w) { return w.find_first_of("0123456789") != std::string_view::npos; };
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view w = m_words[i].text;
    if (w.size() >= 5 && w.size() <= 7 && has_digit(w) && !m_words[i].numeric) {
      if (auto pc = parse_postcode(w)) {
        at = i;
        len = 1;
        found = *pc;
      }
    }
    if (i + 1 < n && w.size() >= 2 && w.size() <= 4 && !m_words[i].numeric && m_words[i + 1].text.size() == 3) {
      joined.assign(w);
      joined.append(m_words[i + 1].text);
      if (parse_outward_code(w))
        if (auto pc = parse_postcode(joined)) {
          at = i;
          len = 2;
          found = *pc;
        }
    }
  }
  if (at == n && n >= 1) {
    // A sector ("NG17 5") or a district ("NG17") ending the text.
    const std::string_view last = m_words[n - 1].text;
    if (n >= 2 && last.size() == 1 && last[0] >= '0' && last[0] <= '9' && !m_words[n - 2].numeric) {
      if (auto d = parse_outward_code(m_words[n - 2].text)) {
        found = *make_postcode_key(d->outward(), last);
        at = n - 2;
        len = 2;
      }
    }
    if (at == n && n >= 2 && !m_words[n - 1].numeric && has_digit(last)) {
      if (auto d = parse_outward_code(last)) {
        found = *d;
        at = n - 1;
        len = 1;
      }
    }
  }
  if (at == n) return;
  if (!out.postcode_from_column) out.postcode = found;
  m_words.erase(m_words.begin() + static_cast<std::ptrdiff_t>(at),
                m_words.begin() + static_cast<std::ptrdiff_t>(at + len));
}

void AddressParser::take_qualifier(ParsedAddress& out) {
  if (m_words.empty()) return;
  const std::size_t seg_end = segment_end(0);
  for (std::size_t p = 0; p < std::min<std::size_t>(4, seg_end); ++p) {
    const std::string_view first = m_words[p].text;
    if (first.empty() || first[0] < 'A' || first[0] > 'Z') {
      if (m_words[p].numeric) return;
      continue;
    }
    for (const Phrase& ph : kQualifiers) {
      if (ph.words[0] != first) continue;
      if (ph.only_first && p > 0) continue;
      const std::size_t len = phrase_length(ph);
      if (p + len >= seg_end + 1 || p + len > m_words.size()) continue;
      bool match = true;
      for (std::size_t k = 0; k < len && match; ++k) match = m_words[p + k].text == ph.words[k];
      // Something must follow the qualifier ("Rear of 33 ..."), and more than a street
      // type: "Rear Lane" and "Outside Row" are streets.
      if (!match || p + len >= m_words.size()) continue;
      const std::size_t rest = seg_end - (p + len);
      if (rest == 1 && !street_type_of(m_words[p + len].text).empty()) continue;
      if (rest == 2 && !street_type_of(m_words[p + len].text).empty() && is_direction(m_words[p + len + 1].text))
        continue;
      out.qualifier = ph.qualifier;
      m_words.erase(m_words.begin(), m_words.begin() + static_cast<std::ptrdiff_t>(p + len));
      return;
    }
    // Descriptions before a qualifier ("GARAGES REAR OF", "CAR PARK BEHIND") are
    // words without digits; a number means the address has started.
    if (m_words[p].numeric) return;
  }
}

bool AddressParser::take_junction(ParsedAddress& out) {
  const std::size_t n = m_words.size();
  std::size_t i = 0;
  if (i < n && (m_words[i].text == "AT" || m_words[i].text == "ON")) ++i;
  bool lead = false, connector = false;
  if (i < n && is_junction_lead(m_words[i].text)) {
    lead = true;
    ++i;
    if (i < n && one_of(m_words[i].text, {"OF", "WITH", "BETWEEN", "AT"})) {
      ++i;
      connector = true;
    }
  }
  if (i >= n) return false;
  // "Junction Road, Sutton" is a street called Junction Road.
  if (lead && !connector && !street_type_of(m_words[i].text).empty() &&
      (i + 1 == segment_end(i) || is_direction(m_words[i + 1].text)))
    return false;
  const std::size_t x_begin = i;
  const std::size_t seg_end = segment_end(i);
  std::size_t sep = n, y_begin = n;
  for (std::size_t k = x_begin + 1; k < seg_end; ++k) {
    const std::string_view w = m_words[k].text;
    const bool prev_ok = !m_words[k - 1].numeric && m_words[k - 1].text != "/";
    const bool next_ok = k + 1 < n && !m_words[k + 1].numeric;
    if (!prev_ok || !next_ok) continue;
    std::size_t skip = 1;
    bool is_sep = false;
    if (w == "J/W" || w == "JW" || w == "J/O") {
      is_sep = true;
    } else if (w == "/") {
      is_sep = true;
    } else if (is_junction_lead(w)) {
      is_sep = true;
      if (k + 1 < seg_end && one_of(m_words[k + 1].text, {"WITH", "OF", "AND"})) skip = 2;
    } else if (w == "AT" && k + 1 < seg_end && is_junction_lead(m_words[k + 1].text)) {
      is_sep = true;
      skip = 2;
      if (k + 2 < seg_end && one_of(m_words[k + 2].text, {"WITH", "OF"})) skip = 3;
    } else if (w == "AND" || w == "WITH") {
      // "X Road and Y Street": both sides must end in a street type (or the text says junction).
      if (lead) {
        is_sep = true;
      } else if (!street_type_of(m_words[k - 1].text).empty()) {
        const std::size_t ye = segment_end(k + 1 < n ? k + 1 : k);
        for (std::size_t q = k + 1; q < ye; ++q) is_sep = is_sep || !street_type_of(m_words[q].text).empty();
      }
    }
    if (is_sep) {
      sep = k;
      y_begin = k + skip;
      break;
    }
  }
  // "Junction of X, Y" with the streets in two segments.
  if (sep == n && lead && seg_end < n) {
    sep = seg_end;
    y_begin = seg_end;
  }
  if (sep == n || y_begin >= n || sep <= x_begin) return false;
  // Nothing numeric in X: "2/14A" is a flat, not a junction.
  for (std::size_t k = x_begin; k < sep; ++k)
    if (m_words[k].numeric && !lead) return false;
  const std::size_t y_seg_end = segment_end(y_begin);
  const std::size_t y_end = split_street(y_begin, y_seg_end);
  out.junction = true;
  street_text(x_begin, sep, out.street);
  street_text(y_begin, y_end, out.street2);
  if (y_end < y_seg_end) {
    std::string place;
    place_text(y_end, y_seg_end, place);
    if (!place.empty()) out.places.push_back(std::move(place));
  }
  add_places(y_seg_end, out);
  return !out.street.empty() && !out.street2.empty();
}

std::size_t AddressParser::take_house(std::size_t i, ParsedAddress& out) {
  const std::size_t n = m_words.size();
  while (i < n) {
    const uint16_t seg = m_words[i].segment;
    std::size_t seg_end = segment_end(i);
    // Flats: "FLAT 2", "APARTMENT 2A", "GROUND FLOOR FLAT", "BASEMENT FLAT".
    if (is_flat_word(m_words[i].text)) {
      if (i + 1 < seg_end && is_identifier(m_words[i + 1].text)) {
        out.sao = std::string(m_words[i + 1].text);
        i += 2;
      } else {
        ++i;
      }
    } else if (is_floor_word(m_words[i].text) && i + 1 < seg_end &&
               (m_words[i + 1].text == "FLOOR" || m_words[i + 1].text == "FLAT")) {
      out.sao = std::string(m_words[i].text);
      if (m_words[i + 1].text == "FLOOR") {
        out.sao += " FLOOR";
        ++i;
      }
      ++i;
      if (i < seg_end && is_flat_word(m_words[i].text)) ++i;
    }
    if (i >= n) return i;
    if (m_words[i].segment != seg) continue;  // the flat was its own segment
    seg_end = segment_end(i);
    uint32_t num = 0;
    char suf = 0;
    if (house_number_word(m_words[i].text, num, suf)) {
      uint32_t num2 = 0;
      char suf2 = 0;
      if (i + 2 < n && m_words[i + 1].text == "/" && house_number_word(m_words[i + 2].text, num2, suf2)) {
        out.sao = std::string(m_words[i].text);  // "2/14A": flat 2 at 14A
        out.house = {num2, suf2, 0, 0};
        i += 3;
      } else if (i + 2 < n && m_words[i + 1].text == "-" && house_number_word(m_words[i + 2].text, num2, suf2)) {
        out.house = {num, suf, num2, suf2};
        i += 3;
      } else if (i + 1 < seg_end && out.sao.empty() && house_number_word(m_words[i + 1].text, num2, suf2)) {
        out.sao = std::string(m_words[i].text);  // "2 14A Station Road": flat 2 at 14A
        out.house = {num2, suf2, 0, 0};
        i += 2;
      } else {
        out.house = {num, suf, 0, 0};
        ++i;
        // "14 A Station Road": a lone letter after the number is its suffix.
        if (suf == 0 && i + 1 < seg_end && is_single_letter(m_words[i].text) && street_type_of(m_words[i + 1].text).empty()) {
          out.house.suffix = m_words[i].text[0];
          ++i;
        }
      }
      return i;
    }
    // A building name: a segment without numbers, not a street, before another segment.
    if (out.building.empty() && seg_end < n) {
      bool numbers = false;
      for (std::size_t k = i; k < seg_end; ++k) numbers = numbers || m_words[k].numeric;
      if (!numbers && street_type_of(m_words[seg_end - 1].text).empty() && !known_street(i, seg_end)) {
        place_text(i, seg_end, out.building);
        i = seg_end;
        continue;
      }
    }
    return i;
  }
  return i;
}

bool AddressParser::known_street(std::size_t begin, std::size_t end) {
  if (!m_gazetteer || begin >= end) return false;
  street_text(begin, end, m_scratch);
  return !m_gazetteer->streets_named(m_scratch).empty();
}

bool AddressParser::known_place(std::size_t begin, std::size_t end) {
  if (!m_gazetteer || begin >= end) return false;
  place_text(begin, end, m_scratch);
  return m_gazetteer->find_place(m_scratch).has_value() || !m_gazetteer->places_starting(m_scratch).empty();
}

std::size_t AddressParser::split_street(std::size_t begin, std::size_t end) {
  if (end - begin <= 1) return end;
  if (m_gazetteer) {
    for (std::size_t k = end; k > begin; --k)
      if (known_street(begin, k)) return k;
    for (std::size_t k = begin + 1; k < end; ++k)
      if (known_place(k, end)) return k;
  }
  // Up to the last street type word (and a direction after it), unless the text
  // ends with one: "SUMER LEYS LANE" is a street (LEYS is a type too), "FOREST ROAD
  // WEST" as well, and so is a misspelt "FORST RD W" (the abbreviated direction is
  // part of the name, expanded later; it is not a place called "W").
  auto direction = [](std::string_view w) {
    return is_direction(w) || w == "N" || w == "S" || w == "E" || w == "W";
  };
  const bool ends_typed = !street_type_of(m_words[end - 1].text).empty() ||
                          (end - begin >= 2 && direction(m_words[end - 1].text) &&
                           !street_type_of(m_words[end - 2].text).empty());
  if (ends_typed) return end;
  // A type word that opens the text is part of the name, not its end: a misspelt
  // "MOUNT PLEAANT" is one street, not MOUNT in a place called PLEAANT.
  for (std::size_t k = end - 1; k-- > begin + 1;) {
    if (street_type_of(m_words[k].text).empty()) continue;
    std::size_t e = k + 1;
    if (e < end - 1 && direction(m_words[e].text)) ++e;
    return e;
  }
  return end;
}

void AddressParser::street_text(std::size_t begin, std::size_t end, std::string& out) {
  m_tmp.assign(m_words.begin() + static_cast<std::ptrdiff_t>(begin), m_words.begin() + static_cast<std::ptrdiff_t>(end));
  expand_street_words(m_tmp);
  join_words(m_tmp, out);
}

void AddressParser::place_text(std::size_t begin, std::size_t end, std::string& out) {
  m_tmp.assign(m_words.begin() + static_cast<std::ptrdiff_t>(begin), m_words.begin() + static_cast<std::ptrdiff_t>(end));
  if (m_tmp.size() > 1 && m_tmp[0].text == "ST") m_tmp[0].text = "SAINT";
  join_words(m_tmp, out);
}

void AddressParser::add_places(std::size_t begin, ParsedAddress& out) {
  std::size_t i = begin;
  while (i < m_words.size()) {
    const std::size_t e = segment_end(i);
    std::string place;
    place_text(i, e, place);
    if (!place.empty()) out.places.push_back(std::move(place));
    i = e;
  }
}

void AddressParser::parse(std::string_view address, std::string_view postcode_column, ParsedAddress& out) {
  out.clear();
  std::string_view text = address;
  if (auto loc = find_text_location(address)) {
    out.text_location = loc;
    m_text.assign(address);
    for (std::size_t k = loc->begin; k < loc->begin + loc->length && k < m_text.size(); ++k) m_text[k] = ' ';
    text = m_text;
  }
  split_words(text, m_buffer, m_words);
  combine_slashes();
  if (!postcode_column.empty())
    if (auto pc = parse_postcode_any(postcode_column)) {
      out.postcode = *pc;
      out.postcode_from_column = true;
    }
  take_postcode(out);
  if (!m_words.empty() &&
      std::all_of(m_words.begin(), m_words.end(), [](const Word& w) { return is_no_address_word(w.text); })) {
    out.no_address = true;
    m_words.clear();
  }
  if (m_words.empty()) return;
  if (take_junction(out)) return;
  out.junction = false;
  out.street.clear();
  out.street2.clear();
  out.places.clear();
  take_qualifier(out);
  const std::size_t i = take_house(0, out);
  if (i >= m_words.size()) return;
  const std::size_t seg_end = segment_end(i);
  const std::size_t street_end = split_street(i, seg_end);
  street_text(i, street_end, out.street);
  if (street_end < seg_end) {
    std::string place;
    place_text(street_end, seg_end, place);
    if (!place.empty()) out.places.push_back(std::move(place));
  }
  add_places(seg_end, out);
}

}  // namespace hotspot::core::geocode
