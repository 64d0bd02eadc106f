#include "core/geocode/normalize.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace hotspot::core::geocode {

namespace {

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_char(char c) { return is_alpha(c) || is_digit(c) || static_cast<unsigned char>(c) >= 0x80; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Sorted (abbreviation, expansion) tables, looked up by binary search.
using Pair = std::pair<std::string_view, std::string_view>;

// Street types: abbreviations expanded anywhere but the first word.
constexpr std::array kTypeAbbrev = {
    Pair{"APP", "APPROACH"},   Pair{"APPR", "APPROACH"},  Pair{"AV", "AVENUE"},
    Pair{"AVE", "AVENUE"},     Pair{"AVN", "AVENUE"},     Pair{"BLDGS", "BUILDINGS"},
    Pair{"BLVD", "BOULEVARD"}, Pair{"BVD", "BOULEVARD"},  Pair{"CL", "CLOSE"},
    Pair{"CLS", "CLOSE"},      Pair{"COTTS", "COTTAGES"}, Pair{"CR", "CRESCENT"},
    Pair{"CRES", "CRESCENT"},  Pair{"CRESC", "CRESCENT"}, Pair{"CRS", "CRESCENT"},
    Pair{"CRT", "COURT"},      Pair{"CT", "COURT"},       Pair{"CTS", "COURTS"},
    Pair{"DR", "DRIVE"},       Pair{"DRV", "DRIVE"},      Pair{"EMB", "EMBANKMENT"},
    Pair{"EST", "ESTATE"},     Pair{"GDN", "GARDEN"},     Pair{"GDNS", "GARDENS"},
    Pair{"GN", "GREEN"},       Pair{"GR", "GROVE"},       Pair{"GRN", "GREEN"},
    Pair{"GRO", "GROVE"},      Pair{"GRV", "GROVE"},      Pair{"HTS", "HEIGHTS"},
    Pair{"LA", "LANE"},        Pair{"LN", "LANE"},        Pair{"MWS", "MEWS"},
    Pair{"PDE", "PARADE"},     Pair{"PK", "PARK"},        Pair{"PL", "PLACE"},
    Pair{"PROM", "PROMENADE"}, Pair{"RD", "ROAD"},        Pair{"SQ", "SQUARE"},
    Pair{"STR", "STREET"},     Pair{"TCE", "TERRACE"},    Pair{"TER", "TERRACE"},
    Pair{"TERR", "TERRACE"},   Pair{"VW", "VIEW"},        Pair{"WK", "WALK"},
    Pair{"WY", "WAY"},         Pair{"YD", "YARD"},
};

// Other words expanded anywhere (ordinals, qualifiers of a name).
constexpr std::array kWordAbbrev = {
    Pair{"10TH", "TENTH"}, Pair{"1ST", "FIRST"},   Pair{"2ND", "SECOND"}, Pair{"3RD", "THIRD"},
    Pair{"4TH", "FOURTH"}, Pair{"5TH", "FIFTH"},   Pair{"6TH", "SIXTH"},  Pair{"7TH", "SEVENTH"},
    Pair{"8TH", "EIGHTH"}, Pair{"9TH", "NINTH"},   Pair{"GT", "GREAT"},   Pair{"LT", "LITTLE"},
    Pair{"LWR", "LOWER"},  Pair{"MT", "MOUNT"},    Pair{"NTH", "NORTH"},  Pair{"STH", "SOUTH"},
    Pair{"UPR", "UPPER"},
};

constexpr std::array kDirectionAbbrev = {
    Pair{"E", "EAST"}, Pair{"N", "NORTH"}, Pair{"S", "SOUTH"}, Pair{"W", "WEST"},
};

// Full street type words (sorted).
constexpr auto kStreetTypes = std::to_array<std::string_view>({
    "APPROACH", "AVENUE",    "BANK",     "BOULEVARD", "BRIDGE",    "BROW",       "BUILDINGS",
    "CHASE",    "CIRCUS",    "CLOSE",    "COPSE",     "COTTAGES",  "COURT",      "COURTS",
    "CRESCENT", "CROFT",     "CROSS",    "DALE",      "DRIVE",     "EMBANKMENT", "END",
    "ESTATE",   "FIELDS",    "GARDEN",   "GARDENS",   "GARTH",     "GATE",       "GREEN",
    "GROVE",    "HEIGHTS",   "HILL",     "HOLLOW",    "LANE",      "LEA",        "LEYS",
    "LINK",     "MEADOW",    "MEADOWS",  "MEWS",      "MOUNT",     "PARADE",     "PARK",
    "PASSAGE",  "PATH",      "PLACE",    "PROMENADE", "QUAY",      "RIDGE",      "RISE",
    "ROAD",     "ROW",       "SIDE",     "SQUARE",    "STREET",    "TERRACE",    "TOP",
    "VALE",     "VIEW",      "WALK",     "WAY",       "WHARF",     "YARD",
});

template <std::size_t N>
constexpr std::string_view lookup(const std::array<Pair, N>& table, std::string_view key) {
  auto it = std::lower_bound(table.begin(), table.end(), key,
                             [](const Pair& p, std::string_view k) { return p.first < k; });
  return it != table.end() && it->first == key ? it->second : std::string_view{};
}

constexpr bool sorted_tables() {
  auto sorted = [](const auto& t) {
    return std::is_sorted(t.begin(), t.end(), [](const Pair& a, const Pair& b) { return a.first < b.first; });
  };
  return sorted(kTypeAbbrev) && sorted(kWordAbbrev) && sorted(kDirectionAbbrev) &&
         std::is_sorted(kStreetTypes.begin(), kStreetTypes.end());
}

static_assert(sorted_tables(), "the word tables must stay sorted (binary search)");

bool is_direction_word(std::string_view w) {
  return w == "NORTH" || w == "SOUTH" || w == "EAST" || w == "WEST" || w == "N" || w == "S" || w == "E" ||
         w == "W";
}

}  // namespace

bool is_street_type(std::string_view word) {
  return std::binary_search(kStreetTypes.begin(), kStreetTypes.end(), word);
}

std::string_view street_type_of(std::string_view word) {
  if (word == "ST") return "STREET";
  if (auto t = lookup(kTypeAbbrev, word); !t.empty()) return t;
  if (is_street_type(word)) {
    auto it = std::lower_bound(kStreetTypes.begin(), kStreetTypes.end(), word);
    return *it;
  }
  return {};
}

bool is_direction(std::string_view word) {
  return word == "NORTH" || word == "SOUTH" || word == "EAST" || word == "WEST";
}

bool house_number_word(std::string_view w, uint32_t& number, char& suffix) {
  std::size_t i = 0;
  while (i < w.size() && w[i] >= '0' && w[i] <= '9') ++i;
  if (i == 0 || i > 5) return false;
  uint32_t n = 0;
  std::from_chars(w.data(), w.data() + i, n);
  if (n == 0) return false;
  if (i == w.size()) {
    number = n;
    suffix = 0;
    return true;
  }
  if (i + 1 == w.size() && w[i] >= 'A' && w[i] <= 'Z') {
    number = n;
    suffix = w[i];
    return true;
  }
  return false;
}

bool is_single_letter(std::string_view w) { return w.size() == 1 && w[0] >= 'A' && w[0] <= 'Z'; }

void split_words(std::string_view text, std::string& buffer, std::vector<Word>& words) {
  buffer.clear();
  words.clear();
  // No input byte becomes more than 4 bytes ("&" -> "AND "), so with this reserve the
  // buffer never reallocates and the words can view it as they are made.
  buffer.reserve(text.size() * 4 + 8);
  uint16_t segment = 0;
  bool segment_used = false;
  std::size_t start = std::string::npos;
  auto push = [&](std::size_t begin) {
    Word w;
    w.text = std::string_view(buffer.data() + begin, buffer.size() - begin);
    w.segment = segment;
    w.numeric = !w.text.empty() && is_digit(w.text.front());
    words.push_back(w);
    segment_used = true;
    buffer.push_back(' ');
  };
  auto end_word = [&] {
    if (start == std::string::npos) return;
    push(start);
    start = std::string::npos;
  };
  auto symbol = [&](std::string_view s) {
    end_word();
    const std::size_t begin = buffer.size();
    buffer.append(s);
    push(begin);
  };
  auto next_segment = [&] {
    end_word();
    if (segment_used && segment < 0xFFFF) ++segment;
    segment_used = false;
  };
  // Previous / next non-space characters, for "12 - 14".
  auto prev_char = [&](std::size_t i) -> char {
    while (i > 0) {
      --i;
      if (text[i] != ' ' && text[i] != '\t') return text[i];
    }
    return '\0';
  };
  auto next_char = [&](std::size_t i) -> char {
    for (++i; i < text.size(); ++i)
      if (text[i] != ' ' && text[i] != '\t') return text[i];
    return '\0';
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_word_char(c)) {
      // A right single quotation mark (E2 80 99) is an apostrophe: drop it.
      if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < text.size() &&
          static_cast<unsigned char>(text[i + 1]) == 0x80 && static_cast<unsigned char>(text[i + 2]) == 0x99) {
        i += 2;
        continue;
      }
      if (start == std::string::npos) start = buffer.size();
      buffer.push_back(upper(c));
      continue;
    }
    switch (c) {
      case '\'':
      case '`':
        break;  // "KING'S" -> "KINGS"
      case '.':
        if (start != std::string::npos && i > 0 && is_digit(text[i - 1]) && i + 1 < text.size() &&
            is_digit(text[i + 1]))
          buffer.push_back('.');
        else
          end_word();
        break;
      case '-': {
        // A range between house numbers: "12-14", "12 - 14", "12A-12C".
        const std::string_view last =
            start != std::string::npos ? std::string_view(buffer).substr(start)
                                       : (words.empty() ? std::string_view{} : words.back().text);
        const bool after_number = !last.empty() && is_digit(last.front()) && is_word_char(prev_char(i));
        if (after_number && is_digit(next_char(i))) symbol("-");
        else end_word();
        break;
      }
      case '/':
      case '\\':
        symbol("/");
        break;
      case '&':
      case '+':
        symbol("AND");
        break;
      case ',':
      case ';':
      case '\n':
      case '\r':
      case '(':
      case ')':
      case '[':
      case ']':
      case '|':
        next_segment();
        break;
      default:
        end_word();
        break;
    }
  }
  end_word();
}

void expand_street_words(std::span<Word> words) {
  const std::size_t n = words.size();
  if (n == 0) return;
  // Is word i followed only by a closing direction (and nothing else)?
  auto closing_direction_after = [&](std::size_t i) { return i + 2 == n && is_direction_word(words[n - 1].text); };
  for (std::size_t i = 0; i < n; ++i) {
    Word& w = words[i];
    if (w.text == "ST") {
      w.text = i > 0 && (i + 1 == n || closing_direction_after(i)) ? "STREET" : "SAINT";
      continue;
    }
    if (i > 0) {
      if (auto t = lookup(kTypeAbbrev, w.text); !t.empty()) {
        w.text = t;
        continue;
      }
    }
    if (auto t = lookup(kWordAbbrev, w.text); !t.empty()) {
      w.text = t;
      continue;
    }
  }
  // A closing N/S/E/W after a street type is the direction ("MARKET STREET E").
  if (n >= 2 && is_street_type(words[n - 2].text))
    if (auto d = lookup(kDirectionAbbrev, words[n - 1].text); !d.empty()) words[n - 1].text = d;
}

void join_words(std::span<const Word> words, std::string& out) {
  out.clear();
  for (const Word& w : words) {
    if (!out.empty()) out.push_back(' ');
    out.append(w.text);
  }
}

std::string normalize_street_name(std::string_view text) {
  std::string buffer, out;
  std::vector<Word> words;
  split_words(text, buffer, words);
  // A name is one segment; punctuation inside it ("Smith, John Street") joins up.
  expand_street_words(words);
  join_words(words, out);
  return out;
}

std::string normalize_place_name(std::string_view text) {
  std::string buffer, out;
  std::vector<Word> words;
  split_words(text, buffer, words);
  if (!words.empty() && words[0].text == "ST" && words.size() > 1) words[0].text = "SAINT";
  join_words(words, out);
  return out;
}

uint64_t text_hash(std::string_view canonical) {
  uint64_t h = 14695981039346656037ull;
  for (char c : canonical) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511627776ull + 435;  // FNV-1a 64-bit prime
  }
  return h;
}

}  // namespace hotspot::core::geocode
