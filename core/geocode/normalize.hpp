#pragma once
// Address text normalisation: the one canonical spelling that both the gazetteer and
// the queries are reduced to before they are compared.
//
// Canonical text is upper-case ASCII words separated by single spaces:
//   "St. Mary's Gate"          -> "SAINT MARYS GATE"
//   "Kings Mill Rd E"          -> "KINGS MILL ROAD EAST"
//   "Sutton-in-Ashfield"       -> "SUTTON IN ASHFIELD"
//   "1st Ave"                  -> "FIRST AVENUE"
//   "Smith & Sons Yd"          -> "SMITH AND SONS YARD"
//
// The rules (every one is tested in tests/core/geocode/normalize_test.cpp):
// - case is folded; apostrophes vanish ("KING'S" -> "KINGS"); full stops and hyphens
//   between letters separate words; "&" and "+" are AND;
// - commas, semicolons, line breaks and brackets end a SEGMENT (the parts of an address
//   line: "Flat 2, 14A Station Rd, Sutton"); the parser uses segments, names do not;
// - "-" between two numbers is kept as a word ("12-14": a house range), and "/" is
//   always a word of its own ("2/14A": flat 2 at 14A; "R/O": rear of; "X/Y": a junction);
// - street words: the usual abbreviations of street types are expanded (Rd, St, Ave,
//   Av, Cl, Cres, Cr, Dr, Gdns, Gr, Gro, Ln, La, Pl, Sq, Ter, Terr, Tce, Ct, Crt, Wk,
//   Wy, Pde, Pk, Grn, Vw, Blvd, Hts, Est, Mws, ...) when they are not the first word;
//   "ST" is STREET as the last word (or before a closing direction) and SAINT
//   elsewhere; a single N, S, E or W after a street type is the direction; ordinals
//   1st..10th are written as words; Gt, Lt, Upr, Lwr, Mt, Nth, Sth are expanded.
// Limits: ASCII only (other bytes are kept as they are, so "CAFÉ" stays itself);
// no phonetic folding; abbreviations not in the table are left alone.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::core::geocode {

// One word of normalised text.
struct Word {
  std::string_view text;  // upper case; views the caller's buffer or a static table
  uint16_t segment = 0;   // which comma-separated part of the text (0, 1, ...)
  bool numeric = false;   // starts with a digit ("14", "14A", "2ND")
};

// Splits `text` into words by the rules above (case, punctuation, segments). The
// characters go into `buffer` (cleared first) and the words view it, so both must
// outlive `words`. Nothing is expanded yet.
void split_words(std::string_view text, std::string& buffer, std::vector<Word>& words);

// A house-number word: "14" -> 14, "14A" -> 14 'A'; false for anything else, 0, or
// numbers above 99,999 (not house numbers). Upper-case words (after split_words).
bool house_number_word(std::string_view w, uint32_t& number, char& suffix);
// One letter A-Z ("14 A": a suffix; "Flat A": an identifier).
bool is_single_letter(std::string_view w);

// Expands abbreviations in the words of ONE street name, in place (views become
// static strings where a word is replaced). Position rules as above.
void expand_street_words(std::span<Word> words);

// True for a full street type word: ROAD, STREET, AVENUE, CLOSE, ... (after expansion).
bool is_street_type(std::string_view word);
// True for NORTH, SOUTH, EAST, WEST (after expansion).
bool is_direction(std::string_view word);
// The full street type a single word stands for when it ends a street name ("RD" ->
// ROAD, "ST" -> STREET, "ROAD" -> ROAD); empty when it is not a street type.
std::string_view street_type_of(std::string_view word);

// The canonical form of a street name, of a place (town/locality) name, and of a
// building name: the words joined by single spaces. Street names get the street word
// expansions; places and buildings only case, punctuation and "&".
std::string normalize_street_name(std::string_view text);
std::string normalize_place_name(std::string_view text);

// Joins words with single spaces into `out` (cleared first).
void join_words(std::span<const Word> words, std::string& out);

// 64-bit hash of canonical text (FNV-1a), used for the gazetteer's name indexes.
uint64_t text_hash(std::string_view canonical);

}  // namespace hotspot::core::geocode
