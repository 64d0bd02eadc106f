// [SECTION] index
//  - Scores (every constant of the cascade, in one place)
//  - Names of methods and reasons
//  - Session: context (postcode, places)
//  - Session: street candidates (exact, fuzzy)
//  - Session: house on a street (number, range, flat, building, interpolation)
//  - Session: address and street steps
//  - Session: junctions
//  - Session: postcode, sector, written location
//  - Session: the cascade

#include "core/geocode/geocoder.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "core/base/assert.hpp"
#include "core/geo/crs.hpp"
#include "core/geo/extent.hpp"
#include "core/geocode/similarity.hpp"

namespace hotspot::core::geocode {

namespace {

// [SECTION] Scores ---------------------------------------------------------------------
// Base scores of each step, penalties, and precisions (metres).
constexpr int kUprnScore = 100;
constexpr int kAddressScore = 100;
constexpr int kStreetScore = 75;
constexpr int kInterpolatedScore = 72;
constexpr int kJunctionScore = 80;
constexpr int kPostcodeScore = 65;
constexpr int kPostcodeQuality50Score = 55;  // Code-Point "estimated within the postcode area"
constexpr int kSectorScore = 35;
constexpr int kFuzzyPenalty = 5;             // any misspelt street ...
constexpr int kFuzzyPerEdit = 8;             // ... plus this per edit
constexpr int kGlobalFuzzyPenalty = 10;      // a misspelt street with no postcode or town to narrow it
constexpr int kNoContextPenalty = 5;         // no postcode and no town at all
constexpr int kOtherUnitPenalty = 5;         // matched address in another unit of the given postcode's sector
constexpr int kFarUnitPenalty = 10;          // ... and farther than postcode_conflict_m from it
constexpr int kUniqueHousePenalty = 10;      // several streets of the name; only one has the house
constexpr int kQualifierPenalty = 5;         // "rear of", "land at", ...
constexpr int kRangeMidpointPenalty = 5;     // "12-14": the midpoint of 12 and 14
constexpr int kRangeHalfPenalty = 10;        // "12-14": only one of them exists
constexpr int kInRangePenalty = 5;           // "12": the gazetteer has "12-14"
constexpr int kSuffixPenalty = 10;           // "14A" not found: 14 used
constexpr int kAnySuffixPenalty = 5;         // "14": only 14A/14B exist (their building)
constexpr int kFlatPenalty = 5;              // flat not in the gazetteer: the building
constexpr float kAddressPrecision = 5.0f;    // an address point
constexpr float kMinStreetPrecision = 15.0f;
constexpr float kNearPrecision = 25.0f;      // added for rear of / outside / opposite / near
constexpr float kLandPrecision = 50.0f;      // added for "land at"
constexpr int kMaxInterpolationGap = 20;     // house numbers
constexpr double kOneBuildingM = 100.0;      // addresses of one house number farther apart are two houses
constexpr double kMaxInterpolationM = 300.0;

int text_score(double precision_m) {
  if (precision_m <= 10.0) return 85;
  if (precision_m <= 100.0) return 70;
  if (precision_m <= 1000.0) return 45;
  return 20;
}

// Edits allowed in a misspelt street name, by the length of its core (the name
// without its street type): none up to 3 letters, 1 up to 6, 2 up to 12, 3 beyond.
int max_edits(std::size_t core_length) {
  if (core_length <= 3) return 0;
  if (core_length <= 6) return 1;
  if (core_length <= 12) return 2;
  return 3;
}

// Plain sqrt: std::hypot's overflow care costs 5% of a geocode here, and BNG
// coordinates are far from overflowing.
double dist(double ax, double ay, double bx, double by) {
  const double dx = ax - bx, dy = ay - by;
  return std::sqrt(dx * dx + dy * dy);
}

bool contains(std::span<const uint32_t> sorted, uint32_t v) { return std::binary_search(sorted.begin(), sorted.end(), v); }

// A street name without its closing type word ("STATION ROAD" -> "STATION").
std::string_view core_of(std::string_view name) {
  const auto sp = name.rfind(' ');
  if (sp == std::string_view::npos) return name;
  return is_street_type(name.substr(sp + 1)) ? name.substr(0, sp) : name;
}

}  // namespace

// [SECTION] Names of methods and reasons -------------------------------------------------

const char* method_name(MatchMethod m) {
  switch (m) {
    case MatchMethod::uprn: return "uprn";
    case MatchMethod::address: return "address";
    case MatchMethod::address_fuzzy: return "address_fuzzy";
    case MatchMethod::street: return "street";
    case MatchMethod::junction: return "junction";
    case MatchMethod::postcode: return "postcode";
    case MatchMethod::postcode_sector: return "postcode_sector";
    case MatchMethod::text_coordinates: return "text_coordinates";
    case MatchMethod::text_grid_reference: return "text_grid_reference";
    case MatchMethod::none: return "none";
    case MatchMethod::kCount: break;
  }
  return "none";
}

GeocodeMethod incident_method(MatchMethod m) {
  switch (m) {
    case MatchMethod::uprn: return GeocodeMethod::uprn;
    case MatchMethod::address: return GeocodeMethod::address;
    case MatchMethod::address_fuzzy: return GeocodeMethod::address_fuzzy;
    case MatchMethod::street:
    case MatchMethod::junction: return GeocodeMethod::street;
    case MatchMethod::postcode: return GeocodeMethod::postcode;
    case MatchMethod::postcode_sector: return GeocodeMethod::postcode_sector;
    case MatchMethod::text_coordinates: return GeocodeMethod::text_coordinates;
    case MatchMethod::text_grid_reference: return GeocodeMethod::text_grid_reference;
    case MatchMethod::none:
    case MatchMethod::kCount: break;
  }
  HOTSPOT_ASSERT_MSG(false, "incident_method() of an unmatched result");
  return GeocodeMethod::street;
}

const char* reason_name(UnmatchedReason r) {
  switch (r) {
    case UnmatchedReason::none: return "";
    case UnmatchedReason::empty: return "empty";
    case UnmatchedReason::not_found: return "not_found";
    case UnmatchedReason::ambiguous: return "ambiguous";
    case UnmatchedReason::conflict: return "conflict";
    case UnmatchedReason::below_threshold: return "below_threshold";
    case UnmatchedReason::kCount: break;
  }
  return "";
}

Geocoder::Geocoder(const Gazetteer& gazetteer, GeocodeOptions options)
    : m_gazetteer(&gazetteer), m_options(options) {
  HOTSPOT_ASSERT(options.min_score >= 0 && options.min_score <= 100);
  HOTSPOT_ASSERT(options.ambiguity_m > 0 && options.postcode_conflict_m > 0 && options.junction_gap_m > 0);
}

Geocoder::Session Geocoder::session() const { return Session(*this); }

// A street that fits the address: how it was found and how well it fits the context.
struct Candidate {
  uint32_t street;
  int edits;  // 0 = exact name
  int level;  // 4 postcode unit, 3 sector, 2 district, 1 town/locality, 0 no context
};

// Where an address lands on one street.
// duplicate: the street has the house twice, far apart (two streets of one name that
// the gazetteer does not tell apart), and nothing in the query chooses.
enum class HouseLevel : uint8_t { none, address, street, duplicate };
struct HouseMatch {
  HouseLevel level = HouseLevel::none;
  double x = 0, y = 0;
  float precision = 0;
  int penalty = 0;
  uint32_t address = Gazetteer::kNone;
  bool interpolated = false;
  const char* note = nullptr;
};

// A located answer in progress.
struct Placement {
  bool ok = false;
  double x = 0, y = 0;
  float precision = 0;
  int score = 0;
  MatchMethod method = MatchMethod::none;
  uint32_t address = Gazetteer::kNone, street = Gazetteer::kNone;
};

struct Geocoder::Session::Impl {
  explicit Impl(const Geocoder& g) : gz(g.gazetteer()), opt(g.options()), parser(&g.gazetteer()) {}

  const Gazetteer& gz;
  GeocodeOptions opt;
  AddressParser parser;
  ParsedAddress pa;
  std::optional<Transformer> transformer;
  std::string explanation;
  // Context of the current row.
  uint32_t pc_unit = Gazetteer::kNone, pc_sector = Gazetteer::kNone, pc_district = Gazetteer::kNone;
  std::vector<uint32_t> places;
  bool ambiguous = false, conflict = false;
  int best_rejected = 0;
  // Scratch.
  std::vector<Candidate> cands, cands2;
  std::vector<const Gazetteer::Address*> m_kept;
  mutable std::vector<std::pair<double, double>> m_points_a, m_points_b;

  GeocodeResult run(std::string_view address, std::string_view postcode, std::string_view uprn);

  void resolve_context();
  [[nodiscard]] int level_of(uint32_t street) const;
  void street_candidates(std::string_view name, std::vector<Candidate>& out);
  void fuzzy_pool(std::string_view name, std::span<const uint32_t> pool, int level, std::vector<Candidate>& out) const;
  void fuzzy_candidates(std::string_view name, std::vector<Candidate>& out);
  HouseMatch match_house(uint32_t street);
  HouseMatch from_group(std::span<const Gazetteer::Address> group, int penalty);
  template <typename Keep>
  HouseMatch from_kept(std::span<const Gazetteer::Address> group, int penalty, Keep&& keep);
  HouseMatch street_point(uint32_t street) const;
  HouseMatch interpolate(uint32_t street) const;
  Placement address_step();
  Placement junction_step();
  Placement postcode_step() const;
  Placement sector_step() const;
  Placement text_step();
  bool meet(uint32_t a, uint32_t b, double& x, double& y, double& gap, bool& lines) const;
  void explain(std::string_view text) {
    if (!explanation.empty()) explanation.append("; ");
    explanation.append(text);
  }
  [[nodiscard]] std::string candidate_list(std::span<const Candidate> c) const;
};

Geocoder::Session::Session(const Geocoder& geocoder) : m_impl(std::make_unique<Impl>(geocoder)) {}
Geocoder::Session::~Session() = default;
Geocoder::Session::Session(Session&&) noexcept = default;
Geocoder::Session& Geocoder::Session::operator=(Session&&) noexcept = default;

GeocodeResult Geocoder::Session::geocode(std::string_view address, std::string_view postcode, std::string_view uprn) {
  return m_impl->run(address, postcode, uprn);
}
const ParsedAddress& Geocoder::Session::parsed() const { return m_impl->pa; }
const std::string& Geocoder::Session::explanation() const { return m_impl->explanation; }

// [SECTION] Session: context (postcode, places) ---------------------------------------

void Geocoder::Session::Impl::resolve_context() {
  pc_unit = pc_sector = pc_district = Gazetteer::kNone;
  places.clear();
  if (!pa.postcode.empty()) {
    const PostcodeLevel lv = pa.postcode.level();
    if (lv == PostcodeLevel::unit) {
      pc_unit = gz.find_postcode(pa.postcode);
      if (pc_unit == Gazetteer::kNone) {
        explain("postcode " + pa.postcode.text() + " is not in the gazetteer; its district is used");
      }
    }
    // A unit that does not exist says little about its sector (a typo is as likely in
    // the sector digit as in the unit letters): then only its district counts.
    if (lv == PostcodeLevel::sector || (lv == PostcodeLevel::unit && pc_unit != Gazetteer::kNone))
      pc_sector = gz.find_sector(pa.postcode.sector());
    pc_district = gz.find_district(pa.postcode.district());
  }
  for (const std::string& text : pa.places) {
    const std::size_t before = places.size();
    if (auto p = gz.find_place(text)) places.push_back(*p);
    for (uint32_t p : gz.places_starting(text)) places.push_back(p);
    if (places.size() == before && text.size() >= 6) {
      // A misspelt town: one edit (two for long names) from a known place.
      const int k = text.size() >= 12 ? 2 : 1;
      for (uint32_t p = 0; p < gz.places().size(); ++p)
        if (osa_distance(text, gz.place_name(p), k) <= k) places.push_back(p);
    }
  }
  std::sort(places.begin(), places.end());
  places.erase(std::unique(places.begin(), places.end()), places.end());
}

int Geocoder::Session::Impl::level_of(uint32_t s) const {
  if (pc_unit != Gazetteer::kNone && contains(gz.streets_of_postcode(pc_unit), s)) return 4;
  if (pc_sector != Gazetteer::kNone && contains(gz.streets_of_sector(pc_sector), s)) return 3;
  if (pc_district != Gazetteer::kNone && contains(gz.streets_of_district(pc_district), s)) return 2;
  for (uint32_t p : places)
    if (contains(gz.streets_in_place(p), s)) return 1;
  return 0;
}

// [SECTION] Session: street candidates (exact, fuzzy) -----------------------------------

// The streets of this name that fit the context, best context level only. With a
// postcode or a town given, streets outside both do not count; without either, all do.
void Geocoder::Session::Impl::street_candidates(std::string_view name, std::vector<Candidate>& out) {
  out.clear();
  if (name.empty()) return;
  const bool context = pc_unit != Gazetteer::kNone || pc_sector != Gazetteer::kNone ||
                       pc_district != Gazetteer::kNone || !places.empty();
  for (uint32_t s : gz.streets_named(name)) {
    const int lv = level_of(s);
    if (context && lv == 0) continue;
    out.push_back({s, 0, lv});
  }
  if (out.empty() && opt.fuzzy) {
    fuzzy_candidates(name, out);
    // A misspelt street in the given postcode unit beats one only in its sector, as an
    // exact name does ("60 Potterry Way, NG6 8UN" with Pottery Way in NG6 8UN and 8YN).
    if (pc_unit != Gazetteer::kNone)
      for (Candidate& c : out)
        if (c.level == 3 && contains(gz.streets_of_postcode(pc_unit), c.street)) c.level = 4;
  }
  if (out.empty()) return;
  int top = 0;
  for (const auto& c : out) top = std::max(top, c.level);
  std::erase_if(out, [&](const Candidate& c) { return c.level < top; });
}

void Geocoder::Session::Impl::fuzzy_pool(std::string_view name, std::span<const uint32_t> pool, int level,
                                         std::vector<Candidate>& out) const {
  const std::string_view core = core_of(name);
  const int k = max_edits(core.size());
  const uint32_t mask = letter_mask(name);
  const bool typed = core.size() != name.size();
  int best = k + 1;
  for (uint32_t s : pool) {
    const auto& st = gz.street(s);
    int e = k + 1, limit = k;
    const auto len_diff = static_cast<int>(st.name_length) - static_cast<int>(name.size());
    const bool near = k > 0 && std::abs(len_diff) <= k && bit_count(st.letters ^ mask) <= 2 * k;
    // The type-swap rule below needs a longer name that starts with the core.
    if (!near && (core.size() < 4 || st.name_length <= core.size())) continue;
    const std::string_view cand = gz.text(st.name);
    if (near) e = osa_distance(name, cand, k);
    // The right name with the wrong or no street type: "Station Street" for Station Road,
    // "Station" for Station Road. Counted as two edits, for names of 4 letters or more.
    if ((e > k || e > 2) && core.size() >= 4 && cand.size() > core.size() && cand[core.size()] == ' ' &&
        cand.compare(0, core.size(), core) == 0) {
      const std::string_view cand_core = core_of(cand);
      if (cand_core.size() != cand.size() && cand_core == core && (typed || core == name)) {
        e = 2;
        limit = std::max(limit, 2);
      }
    }
    if (e > limit || e > best) continue;
    if (e < best) {
      best = e;
      out.clear();
    }
    if (std::none_of(out.begin(), out.end(), [&](const Candidate& c) { return c.street == s; }))
      out.push_back({s, e, level});
  }
}

void Geocoder::Session::Impl::fuzzy_candidates(std::string_view name, std::vector<Candidate>& out) {
  out.clear();
  // Only where the address says to look: its postcode sector, district, or town.
  if (pc_sector != Gazetteer::kNone) fuzzy_pool(name, gz.streets_of_sector(pc_sector), 3, out);
  if (out.empty() && pc_district != Gazetteer::kNone) fuzzy_pool(name, gz.streets_of_district(pc_district), 2, out);
  if (out.empty() && !places.empty()) {
    // Each place's streets, best edit distance over all of them.
    std::vector<Candidate> one;
    int best = 99;
    for (uint32_t p : places) {
      one.clear();
      fuzzy_pool(name, gz.streets_in_place(p), 1, one);
      if (one.empty()) continue;
      if (one.front().edits < best) {
        best = one.front().edits;
        out.clear();
      }
      if (one.front().edits == best)
        for (const auto& c : one)
          if (std::none_of(out.begin(), out.end(), [&](const Candidate& o) { return o.street == c.street; }))
            out.push_back(c);
    }
  }
  const bool context = pc_unit != Gazetteer::kNone || pc_sector != Gazetteer::kNone ||
                       pc_district != Gazetteer::kNone || !places.empty();
  if (out.empty() && !context) {
    // No postcode or town at all: every street name, each counted once.
    const std::string_view core = core_of(name);
    const int k = std::min(1, max_edits(core.size()));  // riskier: at most one edit
    if (k == 0) return;
    const uint32_t mask = letter_mask(name);
    int best = k + 1;
    for (const auto& n : gz.names()) {
      if (bit_count(n.letters ^ mask) > 2 * k) continue;
      const std::string_view cand = gz.text(n.text);
      const auto diff = static_cast<int>(cand.size()) - static_cast<int>(name.size());
      if (std::abs(diff) > k) continue;
      const int e = osa_distance(name, cand, k);
      if (e > k || e > best) continue;
      if (e < best) {
        best = e;
        out.clear();
      }
      for (uint32_t s : gz.name_streets(n)) out.push_back({s, e, 0});
    }
  }
}

// [SECTION] Session: house on a street ---------------------------------------------------

// A building (addresses sharing a house number or name): one flat, the building itself,
// or the middle of all its flats. If the "building" is spread over more than
// kOneBuildingM it is two houses of one number (two streets of one name that the
// gazetteer cannot tell apart): the given postcode, or its sector, picks one; else the
// house is a duplicate (ambiguous).
HouseMatch Geocoder::Session::Impl::from_group(std::span<const Gazetteer::Address> group, int penalty) {
  auto spread = [&](auto&& keep) {
    const Gazetteer::Address* first = nullptr;
    double r = 0;
    std::size_t n = 0;
    for (const auto& a : group) {
      if (!keep(a)) continue;
      ++n;
      if (!first) first = &a;
      else r = std::max(r, dist(a.x_m, a.y_m, first->x_m, first->y_m));
    }
    return n == 0 ? -1.0 : r;
  };
  auto all = [](const Gazetteer::Address&) { return true; };
  if (spread(all) > kOneBuildingM) {
    auto in_unit = [&](const Gazetteer::Address& a) { return pc_unit != Gazetteer::kNone && a.postcode == pc_unit; };
    auto in_sector = [&](const Gazetteer::Address& a) {
      return pc_sector != Gazetteer::kNone && a.postcode != Gazetteer::kNone &&
             PostcodeKey::from_bits(gz.postcode(a.postcode).key).sector().bits() == gz.sector(pc_sector).key;
    };
    const double u = spread(in_unit), s = spread(in_sector);
    if (u >= 0 && u <= kOneBuildingM) return from_kept(group, penalty, in_unit);
    if (s >= 0 && s <= kOneBuildingM) return from_kept(group, penalty, in_sector);
    HouseMatch d;
    d.level = HouseLevel::duplicate;
    return d;
  }
  return from_kept(group, penalty, all);
}

template <typename Keep>
HouseMatch Geocoder::Session::Impl::from_kept(std::span<const Gazetteer::Address> all_addrs, int penalty, Keep&& keep) {
  std::vector<const Gazetteer::Address*>& kept = m_kept;
  kept.clear();
  for (const auto& a : all_addrs)
    if (keep(a)) kept.push_back(&a);
  HouseMatch m;
  m.level = HouseLevel::address;
  m.penalty = penalty;
  const auto* base = gz.addresses().data();
  auto take = [&](const Gazetteer::Address& a) {
    m.x = a.x_m;
    m.y = a.y_m;
    m.precision = kAddressPrecision;
    m.address = static_cast<uint32_t>(&a - base);
  };
  if (!pa.sao.empty()) {
    for (const auto* a : kept)
      if (a->sao && gz.text(a->sao) == pa.sao) {
        take(*a);
        return m;
      }
    m.penalty += kFlatPenalty;
    m.note = "flat not in the gazetteer; the building used";
  }
  if (kept.size() == 1) {
    take(*kept[0]);
    return m;
  }
  for (const auto* a : kept)
    if (!a->sao) {
      take(*a);
      return m;
    }
  double sx = 0, sy = 0;
  for (const auto* a : kept) {
    sx += a->x_m;
    sy += a->y_m;
  }
  m.x = sx / static_cast<double>(kept.size());
  m.y = sy / static_cast<double>(kept.size());
  double r = 0;
  for (const auto* a : kept) r = std::max(r, dist(a->x_m, a->y_m, m.x, m.y));
  m.precision = std::max(kAddressPrecision, static_cast<float>(r) + kAddressPrecision);
  return m;
}

HouseMatch Geocoder::Session::Impl::match_house(uint32_t street) {
  const auto addrs = gz.addresses_of(street);
  const HouseNumber& h = pa.house;
  // Addresses [first, last) with this exact number (no range).
  auto numbered = [&](uint32_t n, auto&& keep) {
    auto it = std::lower_bound(addrs.begin(), addrs.end(), n,
                               [](const Gazetteer::Address& a, uint32_t v) { return a.number < v; });
    auto first = addrs.end(), last = addrs.end();
    for (; it != addrs.end() && it->number == n; ++it) {
      if (!keep(*it)) {
        if (first != addrs.end()) break;
        continue;
      }
      if (first == addrs.end()) first = it;
      last = it + 1;
    }
    return first == addrs.end() ? std::span<const Gazetteer::Address>{}
                                : std::span<const Gazetteer::Address>(&*first, static_cast<std::size_t>(last - first));
  };
  if (!h.empty()) {
    if (h.is_range()) {
      auto exact = numbered(h.number, [&](const auto& a) {
        return a.suffix == h.suffix && a.number_end == h.number_end && a.suffix_end == h.suffix_end;
      });
      if (!exact.empty()) return from_group(exact, 0);
      auto lo = numbered(h.number, [&](const auto& a) { return a.suffix == h.suffix && a.number_end == 0; });
      auto hi = numbered(h.number_end, [&](const auto& a) { return a.suffix == h.suffix_end && a.number_end == 0; });
      if (!lo.empty() && !hi.empty()) {
        const HouseMatch a = from_group(lo, 0), b = from_group(hi, 0);
        if (a.level != HouseLevel::address || b.level != HouseLevel::address) return a.level == HouseLevel::duplicate ? a : b;
        HouseMatch m;
        m.level = HouseLevel::address;
        m.x = (a.x + b.x) / 2;
        m.y = (a.y + b.y) / 2;
        m.precision = static_cast<float>(dist(a.x, a.y, b.x, b.y) / 2) + kAddressPrecision;
        m.penalty = kRangeMidpointPenalty;
        m.address = a.address;
        return m;
      }
      if (!lo.empty()) return from_group(lo, kRangeHalfPenalty);
      if (!hi.empty()) return from_group(hi, kRangeHalfPenalty);
    } else {
      auto exact = numbered(h.number, [&](const auto& a) { return a.suffix == h.suffix && a.number_end == 0; });
      if (!exact.empty()) return from_group(exact, 0);
      // A range that holds the number ("12" in "12-14"), same side of the street.
      for (const auto& a : addrs) {
        if (a.number > h.number) break;
        if (a.number_end >= h.number && a.number % 2 == h.number % 2) {
          auto range = numbered(a.number, [&](const auto& b) { return b.number_end == a.number_end; });
          return from_group(range, kInRangePenalty);
        }
      }
      if (h.suffix) {
        auto plain = numbered(h.number, [&](const auto& a) { return a.suffix == 0 && a.number_end == 0; });
        if (!plain.empty()) {
          HouseMatch m = from_group(plain, kSuffixPenalty);
          m.note = "house letter not found; the plain number used";
          return m;
        }
      } else {
        auto lettered = numbered(h.number, [&](const auto& a) { return a.number_end == 0; });
        if (!lettered.empty()) return from_group(lettered, kAnySuffixPenalty);
      }
    }
    return HouseMatch{};
  }
  if (!pa.building.empty()) {
    // Addresses are ordered by number first: named houses without numbers come first.
    std::size_t first = addrs.size(), last = 0;
    for (std::size_t i = 0; i < addrs.size(); ++i)
      if (addrs[i].building && gz.text(addrs[i].building) == pa.building) {
        first = std::min(first, i);
        last = i + 1;
      }
    if (first < last) return from_group(addrs.subspan(first, last - first), 0);
  }
  return HouseMatch{};
}

// The street's point: the middle of its addresses in the given postcode when it has
// some there, else its representative point.
HouseMatch Geocoder::Session::Impl::street_point(uint32_t street) const {
  HouseMatch m;
  m.level = HouseLevel::street;
  const auto& st = gz.street(street);
  if (pc_unit != Gazetteer::kNone) {
    double sx = 0, sy = 0;
    std::size_t n = 0;
    for (const auto& a : gz.addresses_of(street))
      if (a.postcode == pc_unit) {
        sx += a.x_m;
        sy += a.y_m;
        ++n;
      }
    if (n > 0) {
      const double mx = sx / static_cast<double>(n), my = sy / static_cast<double>(n);
      double best = 1e300, r = 0;
      for (const auto& a : gz.addresses_of(street))
        if (a.postcode == pc_unit && dist(a.x_m, a.y_m, mx, my) < best) {
          best = dist(a.x_m, a.y_m, mx, my);
          m.x = a.x_m;
          m.y = a.y_m;
        }
      for (const auto& a : gz.addresses_of(street))
        if (a.postcode == pc_unit) r = std::max(r, dist(a.x_m, a.y_m, m.x, m.y));
      m.precision = std::max(kMinStreetPrecision, static_cast<float>(r) + 10.0f);
      return m;
    }
  }
  m.x = st.rep_x_m;
  m.y = st.rep_y_m;
  m.precision = std::max(kMinStreetPrecision, st.radius_m + 10.0f);
  return m;
}

// A number between two known numbers on the same side of the street.
HouseMatch Geocoder::Session::Impl::interpolate(uint32_t street) const {
  const uint32_t n = pa.house.number;
  if (n == 0 || pa.house.is_range()) return HouseMatch{};
  const Gazetteer::Address *lo = nullptr, *hi = nullptr;
  for (const auto& a : gz.addresses_of(street)) {
    if (a.number == 0 || a.number_end != 0 || a.number % 2 != n % 2) continue;
    if (a.number < n && (!lo || a.number > lo->number)) lo = &a;
    if (a.number > n && (!hi || a.number < hi->number)) hi = &a;
  }
  if (!lo || !hi || hi->number - lo->number > static_cast<uint32_t>(kMaxInterpolationGap)) return HouseMatch{};
  const double d = dist(lo->x_m, lo->y_m, hi->x_m, hi->y_m);
  if (d > kMaxInterpolationM) return HouseMatch{};
  const double t = static_cast<double>(n - lo->number) / static_cast<double>(hi->number - lo->number);
  HouseMatch m;
  m.level = HouseLevel::street;
  m.x = lo->x_m + t * (hi->x_m - lo->x_m);
  m.y = lo->y_m + t * (hi->y_m - lo->y_m);
  m.precision = std::max(kMinStreetPrecision, static_cast<float>(d / 2));
  m.interpolated = true;
  return m;
}

std::string Geocoder::Session::Impl::candidate_list(std::span<const Candidate> c) const {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(c.size(), 4);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i) out.append("; ");
    out.append(gz.describe_street(c[i].street));
    const auto addrs = gz.addresses_of(c[i].street);
    if (!addrs.empty() && addrs[addrs.size() / 2].postcode != Gazetteer::kNone)
      out.append(" (").append(PostcodeKey::from_bits(gz.postcode(addrs[addrs.size() / 2].postcode).key).text()).append(")");
  }
  if (c.size() > shown) out.append("; and ").append(std::to_string(c.size() - shown)).append(" more");
  return out;
}

// [SECTION] Session: address and street steps --------------------------------------------

Placement Geocoder::Session::Impl::address_step() {
  Placement p;
  street_candidates(pa.street, cands);
  if (cands.empty()) {
    if (!pa.places.empty() && !places.empty() && !gz.streets_named(pa.street).empty())
      explain("street '" + pa.street + "' is not in the town or postcode given");
    else
      explain("street '" + pa.street + "' not found");
    return p;
  }
  const bool house_given = !pa.house.empty() || !pa.building.empty();
  const bool fuzzy = cands.front().edits > 0;
  const int edits = cands.front().edits;
  const bool no_context = cands.front().level == 0;
  int penalty = 0;
  if (fuzzy) penalty += kFuzzyPenalty + kFuzzyPerEdit * edits + (no_context ? kGlobalFuzzyPenalty : 0);
  if (no_context) penalty += kNoContextPenalty;
  const int qualifier_penalty = pa.qualifier == Qualifier::none ? 0 : kQualifierPenalty;
  const float qualifier_precision =
      pa.qualifier == Qualifier::none ? 0.0f : pa.qualifier == Qualifier::land ? kLandPrecision : kNearPrecision;

  // Address level: the candidates that have the house.
  std::vector<std::pair<std::size_t, HouseMatch>> found;
  if (house_given)
    for (std::size_t i = 0; i < cands.size(); ++i) {
      HouseMatch m = match_house(cands[i].street);
      if (m.level == HouseLevel::address) found.emplace_back(i, m);
      if (m.level == HouseLevel::duplicate) {
        ambiguous = true;
        std::string msg("'");
        msg.append(gz.text(gz.street(cands[i].street).name))
            .append("' in the gazetteer has that house twice, more than ")
            .append(std::to_string(static_cast<int>(kOneBuildingM)))
            .append(" m apart (two streets of one name); give the postcode");
        explain(msg);
        return p;
      }
    }
  // Candidates more than ambiguity_m from `x, y`.
  auto far_from = [&](double x, double y, std::size_t except) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < cands.size(); ++i) {
      if (i == except) continue;
      const auto& st = gz.street(cands[i].street);
      if (dist(st.rep_x_m, st.rep_y_m, x, y) > opt.ambiguity_m + static_cast<double>(st.radius_m)) ++n;
    }
    return n;
  };
  if (!found.empty()) {
    // Two or more far apart: ambiguous, unless they are one place.
    const auto& [i0, m0] = found.front();
    for (std::size_t k = 1; k < found.size(); ++k)
      if (dist(found[k].second.x, found[k].second.y, m0.x, m0.y) > opt.ambiguity_m) {
        ambiguous = true;
        std::vector<Candidate> amb;
        for (const auto& f : found) amb.push_back(cands[f.first]);
        explain(std::to_string(found.size()) + " streets named '" + pa.street +
                "' have that house, more than " + std::to_string(static_cast<int>(opt.ambiguity_m)) +
                " m apart: " + candidate_list(amb) + "; give a town or postcode");
        return p;
      }
    auto best = std::min_element(found.begin(), found.end(),
                                 [](const auto& a, const auto& b) { return a.second.penalty < b.second.penalty; });
    const HouseMatch& m = best->second;
    int score = kAddressScore - penalty - m.penalty - qualifier_penalty;
    if (far_from(m.x, m.y, best->first) > 0) {
      score -= kUniqueHousePenalty;
      explain("several streets named '" + pa.street + "'; only one has that house");
    }
    if (pc_unit != Gazetteer::kNone && m.address != Gazetteer::kNone && gz.address(m.address).postcode != pc_unit)
      score -= kOtherUnitPenalty;
    if (m.note) explain(m.note);
    if (fuzzy) explain("street '" + pa.street + "' read as '" + std::string(gz.text(gz.street(cands[best->first].street).name)) + "'");
    p.ok = true;
    p.x = m.x;
    p.y = m.y;
    p.precision = m.precision + qualifier_precision;
    p.score = score;
    p.method = fuzzy ? MatchMethod::address_fuzzy : MatchMethod::address;
    p.address = m.address;
    p.street = cands[best->first].street;
    return p;
  }

  // Street level: one street, or several that are one place.
  const auto& s0 = gz.street(cands.front().street);
  for (std::size_t i = 1; i < cands.size(); ++i) {
    const auto& si = gz.street(cands[i].street);
    if (dist(si.rep_x_m, si.rep_y_m, s0.rep_x_m, s0.rep_y_m) >
        opt.ambiguity_m + static_cast<double>(std::max(si.radius_m, s0.radius_m))) {
      ambiguous = true;
      explain("'" + pa.street + "' names " + std::to_string(cands.size()) + " streets more than " +
              std::to_string(static_cast<int>(opt.ambiguity_m)) + " m apart: " + candidate_list(cands) +
              "; give a town or postcode");
      return p;
    }
  }
  HouseMatch m;
  if (!pa.house.empty()) {
    m = interpolate(cands.front().street);
    if (m.level != HouseLevel::none) explain("house number not in the gazetteer; interpolated between its neighbours");
    else explain("house not in the gazetteer; the street used");
  } else if (!pa.building.empty()) {
    explain("building '" + pa.building + "' not in the gazetteer; the street used");
  }
  if (m.level == HouseLevel::none) m = street_point(cands.front().street);
  if (fuzzy) explain("street '" + pa.street + "' read as '" + std::string(gz.text(s0.name)) + "'");
  p.ok = true;
  p.x = m.x;
  p.y = m.y;
  p.precision = m.precision + qualifier_precision;
  p.score = (m.interpolated ? kInterpolatedScore : kStreetScore) - penalty - qualifier_penalty;
  p.method = MatchMethod::street;
  p.street = cands.front().street;
  return p;
}

// [SECTION] Session: junctions -----------------------------------------------------------

namespace {

// Closest points of segments p1-p2 and q1-q2; returns the distance.
double segment_gap(double p1x, double p1y, double p2x, double p2y, double q1x, double q1y, double q2x, double q2y,
                   double& mx, double& my) {
  // Proper crossing first.
  const double d1x = p2x - p1x, d1y = p2y - p1y, d2x = q2x - q1x, d2y = q2y - q1y;
  const double den = d1x * d2y - d1y * d2x;
  if (den != 0.0) {
    const double t = ((q1x - p1x) * d2y - (q1y - p1y) * d2x) / den;
    const double u = ((q1x - p1x) * d1y - (q1y - p1y) * d1x) / den;
    if (t >= 0 && t <= 1 && u >= 0 && u <= 1) {
      mx = p1x + t * d1x;
      my = p1y + t * d1y;
      return 0.0;
    }
  }
  // Otherwise an end point of one segment is closest to the other.
  double best = 1e300;
  auto try_point = [&](double px, double py, double ax, double ay, double bx, double by) {
    const double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    const double t = l2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / l2, 0.0, 1.0) : 0.0;
    const double cx = ax + t * dx, cy = ay + t * dy;
    const double d = dist(px, py, cx, cy);
    if (d < best) {
      best = d;
      mx = (px + cx) / 2;
      my = (py + cy) / 2;
    }
  };
  try_point(p1x, p1y, q1x, q1y, q2x, q2y);
  try_point(p2x, p2y, q1x, q1y, q2x, q2y);
  try_point(q1x, q1y, p1x, p1y, p2x, p2y);
  try_point(q2x, q2y, p1x, p1y, p2x, p2y);
  return best;
}

}  // namespace

// Where streets a and b meet: the crossing or closest approach of their lines, else
// the midpoint of their closest addresses (or of an address and the other's line).
bool Geocoder::Session::Impl::meet(uint32_t a, uint32_t b, double& x, double& y, double& gap, bool& lines) const {
  const auto va = gz.vertices_of(a), vb = gz.vertices_of(b);
  gap = 1e300;
  // Streets whose extents (representative point + radius) are too far apart to come
  // within the junction gap do not meet: most pairs stop here.
  const auto& sa = gz.street(a);
  const auto& sb = gz.street(b);
  if (dist(sa.rep_x_m, sa.rep_y_m, sb.rep_x_m, sb.rep_y_m) >
      static_cast<double>(sa.radius_m + sb.radius_m) + opt.junction_gap_m + 1.0)
    return false;
  lines = !va.empty() && !vb.empty();
  if (lines) {
    for (std::size_t i = 0; i + 1 < va.size(); ++i) {
      if (std::isnan(va[i].x_m) || std::isnan(va[i + 1].x_m)) continue;
      for (std::size_t j = 0; j + 1 < vb.size(); ++j) {
        if (std::isnan(vb[j].x_m) || std::isnan(vb[j + 1].x_m)) continue;
        double mx = 0, my = 0;
        const double g = segment_gap(va[i].x_m, va[i].y_m, va[i + 1].x_m, va[i + 1].y_m, vb[j].x_m, vb[j].y_m,
                                     vb[j + 1].x_m, vb[j + 1].y_m, mx, my);
        if (g < gap) {
          gap = g;
          x = mx;
          y = my;
        }
      }
    }
    return gap < 1e300;
  }
  // Points of each street: its line vertices, else its addresses.
  auto points = [&](uint32_t s, std::vector<std::pair<double, double>>& out) {
    out.clear();
    const auto v = gz.vertices_of(s);
    if (!v.empty()) {
      for (const auto& q : v)
        if (!std::isnan(q.x_m)) out.emplace_back(q.x_m, q.y_m);
    } else {
      for (const auto& q : gz.addresses_of(s)) out.emplace_back(q.x_m, q.y_m);
    }
  };
  std::vector<std::pair<double, double>>& pa_pts = m_points_a;
  std::vector<std::pair<double, double>>& pb_pts = m_points_b;
  points(a, pa_pts);
  points(b, pb_pts);
  double best2 = 1e300;
  for (const auto& [ax, ay] : pa_pts)
    for (const auto& [bx, by] : pb_pts) {
      const double dx = ax - bx, dy = ay - by, g2 = dx * dx + dy * dy;
      if (g2 < best2) {
        best2 = g2;
        x = (ax + bx) / 2;
        y = (ay + by) / 2;
      }
    }
  gap = std::sqrt(best2);
  return best2 < 1e300;
}

Placement Geocoder::Session::Impl::junction_step() {
  Placement p;
  street_candidates(pa.street, cands);
  street_candidates(pa.street2, cands2);
  // A junction can straddle a town or postcode boundary: a street not found where the
  // address says is looked for anywhere (the two must still meet, which is the test).
  auto anywhere = [&](const std::string& name, std::vector<Candidate>& out) {
    const uint32_t u = pc_unit, s = pc_sector, d = pc_district;
    std::vector<uint32_t> saved;
    saved.swap(places);
    pc_unit = pc_sector = pc_district = Gazetteer::kNone;
    street_candidates(name, out);
    pc_unit = u;
    pc_sector = s;
    pc_district = d;
    places.swap(saved);
  };
  if (cands.empty() && !cands2.empty()) anywhere(pa.street, cands);
  if (cands2.empty() && !cands.empty()) anywhere(pa.street2, cands2);
  if (cands.empty() || cands2.empty()) {
    explain("junction: street '" + (cands.empty() ? pa.street : pa.street2) + "' not found");
    return p;
  }
  struct Meeting {
    double x, y, gap;
    bool lines;
    std::size_t i, j;
  };
  std::vector<Meeting> meetings;
  for (std::size_t i = 0; i < cands.size(); ++i)
    for (std::size_t j = 0; j < cands2.size(); ++j) {
      if (cands[i].street == cands2[j].street) continue;
      Meeting m{};
      m.i = i;
      m.j = j;
      if (meet(cands[i].street, cands2[j].street, m.x, m.y, m.gap, m.lines) && m.gap <= opt.junction_gap_m)
        meetings.push_back(m);
    }
  if (meetings.empty()) {
    explain("junction: '" + pa.street + "' and '" + pa.street2 + "' do not meet (no pair closer than " +
            std::to_string(static_cast<int>(opt.junction_gap_m)) + " m)");
    return p;
  }
  std::sort(meetings.begin(), meetings.end(), [](const Meeting& a, const Meeting& b) { return a.gap < b.gap; });
  const Meeting& m = meetings.front();
  for (std::size_t k = 1; k < meetings.size(); ++k)
    if (dist(meetings[k].x, meetings[k].y, m.x, m.y) > opt.ambiguity_m) {
      ambiguous = true;
      explain("'" + pa.street + "' and '" + pa.street2 + "' meet in " + std::to_string(meetings.size()) +
              " places more than " + std::to_string(static_cast<int>(opt.ambiguity_m)) + " m apart");
      return p;
    }
  const int e1 = cands[m.i].edits, e2 = cands2[m.j].edits;
  int score = kJunctionScore;
  if (e1 > 0) score -= kFuzzyPenalty + kFuzzyPerEdit * e1;
  if (e2 > 0) score -= kFuzzyPenalty + kFuzzyPerEdit * e2;
  if (cands[m.i].level == 0 && cands2[m.j].level == 0) score -= kNoContextPenalty;
  p.ok = true;
  p.x = m.x;
  p.y = m.y;
  p.precision = m.lines ? std::max(5.0f, static_cast<float>(m.gap / 2) + 5.0f) : static_cast<float>(m.gap / 2) + 15.0f;
  p.score = score;
  p.method = MatchMethod::junction;
  p.street = cands[m.i].street;
  return p;
}

// [SECTION] Session: postcode, sector, written location ---------------------------------

Placement Geocoder::Session::Impl::postcode_step() const {
  Placement p;
  if (pc_unit == Gazetteer::kNone) return p;
  const auto& pc = gz.postcode(pc_unit);
  p.ok = true;
  p.x = pc.x_m;
  p.y = pc.y_m;
  p.precision = pc.radius_m;
  p.score = pc.quality == 60 ? kSectorScore : pc.quality == 50 ? kPostcodeQuality50Score : kPostcodeScore;
  p.method = pc.quality == 60 ? MatchMethod::postcode_sector : MatchMethod::postcode;
  return p;
}

Placement Geocoder::Session::Impl::sector_step() const {
  Placement p;
  if (pc_sector == Gazetteer::kNone) return p;
  const auto& s = gz.sector(pc_sector);
  p.ok = true;
  p.x = s.x_m;
  p.y = s.y_m;
  p.precision = s.radius_m;
  p.score = kSectorScore;
  p.method = MatchMethod::postcode_sector;
  return p;
}

Placement Geocoder::Session::Impl::text_step() {
  Placement p;
  if (!pa.text_location) return p;
  const TextLocation& t = *pa.text_location;
  double x = t.x, y = t.y;
  if (t.kind == TextLocationKind::lonlat) {
    if (!transformer) transformer.emplace(Transformer::wgs84_to_bng());
    const Point q = transformer->transform(t.x, t.y);
    x = q.x();
    y = q.y();
  }
  if (!std::isfinite(x) || !std::isfinite(y) || !is_on_bng_grid(x, y)) return p;
  if (!gz.empty()) {
    const Box b = gz.bounds();
    const double m = opt.text_margin_m;
    if (x < b.min_corner().x() - m || x > b.max_corner().x() + m || y < b.min_corner().y() - m ||
        y > b.max_corner().y() + m) {
      explain("the location written in the text is more than " + std::to_string(static_cast<int>(m / 1000)) +
              " km outside the gazetteer");
      return p;
    }
  }
  p.ok = true;
  p.x = x;
  p.y = y;
  p.precision = static_cast<float>(t.precision_m);
  p.score = text_score(t.precision_m);
  p.method = t.kind == TextLocationKind::grid_reference ? MatchMethod::text_grid_reference : MatchMethod::text_coordinates;
  return p;
}

// [SECTION] Session: the cascade ---------------------------------------------------------

GeocodeResult Geocoder::Session::Impl::run(std::string_view address, std::string_view postcode, std::string_view uprn) {
  explanation.clear();
  ambiguous = conflict = false;
  best_rejected = 0;
  GeocodeResult r;
  auto finish = [&](const Placement& p) {
    r.x_m = p.x;
    r.y_m = p.y;
    r.precision_m = p.precision;
    r.score = static_cast<uint8_t>(std::clamp(p.score, 0, 100));
    r.method = p.method;
    r.reason = UnmatchedReason::none;
    r.address = p.address;
    r.street = p.street;
    if (r.postcode == GeocodeResult::kNone && p.address != Gazetteer::kNone) r.postcode = gz.address(p.address).postcode;
    return r;
  };

  // 1. UPRN.
  while (!uprn.empty() && (uprn.front() == ' ' || uprn.front() == '\t')) uprn.remove_prefix(1);
  while (!uprn.empty() && (uprn.back() == ' ' || uprn.back() == '\t' || uprn.back() == '\r')) uprn.remove_suffix(1);
  if (uprn.size() > 2 && uprn.substr(uprn.size() - 2) == ".0") uprn.remove_suffix(2);  // spreadsheets
  pa.clear();
  if (!uprn.empty()) {
    uint64_t u = 0;
    const auto [end, ec] = std::from_chars(uprn.data(), uprn.data() + uprn.size(), u);
    if (ec == std::errc() && end == uprn.data() + uprn.size() && u > 0) {
      const uint32_t a = gz.find_uprn(u);
      if (a != Gazetteer::kNone) {
        parser.parse(address, postcode, pa);
        const auto& ad = gz.address(a);
        Placement p;
        p.ok = true;
        p.x = ad.x_m;
        p.y = ad.y_m;
        p.precision = kAddressPrecision;
        p.score = kUprnScore;
        p.method = MatchMethod::uprn;
        p.address = a;
        p.street = ad.street;
        return finish(p);
      }
      explain("UPRN " + std::string(uprn) + " not in the gazetteer");
    } else {
      explain("UPRN '" + std::string(uprn) + "' is not a number");
    }
  }

  // 2-4. The address itself.
  parser.parse(address, postcode, pa);
  if (pa.empty() || (pa.no_address && pa.postcode.empty() && !pa.text_location)) {
    r.reason = UnmatchedReason::empty;
    explain(pa.no_address ? "the text says there is no address" : "no address");
    return r;
  }
  resolve_context();
  r.postcode = pc_unit;
  std::vector<Placement> steps;
  steps.reserve(4);
  Placement street;
  if (pa.junction) {
    street = junction_step();
    // "Junction of Station Road, Sutton": the second "street" was a town.
    const bool second_is_place =
        gz.find_place(pa.street2).has_value() || !gz.places_starting(pa.street2).empty();
    if (!street.ok && !ambiguous && cands2.empty() && !cands.empty() && second_is_place) {
      pa.places.insert(pa.places.begin(), pa.street2);
      pa.street2.clear();
      pa.junction = false;
      resolve_context();
      explanation.clear();
      street = address_step();
    }
  } else if (!pa.street.empty()) {
    street = address_step();
  }
  // A known postcode outranks a street far from it, unless the street lies in the
  // postcode's own sector (a slip in the unit letters).
  if (street.ok && pc_unit != Gazetteer::kNone) {
    const auto& pc = gz.postcode(pc_unit);
    const double d = dist(street.x, street.y, pc.x_m, pc.y_m);
    if (d > opt.postcode_conflict_m) {
      const bool same_sector = pc_sector != Gazetteer::kNone && street.street != Gazetteer::kNone &&
                               contains(gz.streets_of_sector(pc_sector), street.street);
      if (same_sector) {
        street.score -= kFarUnitPenalty;
        explain("postcode " + pa.postcode.text() + " is " + std::to_string(static_cast<int>(d)) +
                " m away, but the street is in its sector");
      } else {
        conflict = true;
        explain("the street found is " + std::to_string(static_cast<int>(d)) + " m from postcode " +
                pa.postcode.text() + "; the postcode is trusted");
        street.ok = false;
      }
    }
  }
  if (street.ok) steps.push_back(street);
  if (const Placement pc = postcode_step(); pc.ok) {
    if (!pa.street.empty() && !street.ok && !conflict && !ambiguous) explain("placed at the postcode");
    steps.push_back(pc);
  }
  if (const Placement sec = sector_step(); sec.ok && pc_unit == Gazetteer::kNone) steps.push_back(sec);
  const Placement text = text_step();

  const Placement* chosen = nullptr;
  for (const Placement& s : steps)
    if (s.score >= opt.min_score) {
      chosen = &s;
      break;
    }
  for (const Placement& s : steps) best_rejected = std::max(best_rejected, s.score);
  if (text.ok) {
    const bool coarse = chosen && (chosen->method == MatchMethod::street || chosen->method == MatchMethod::junction ||
                                   chosen->method == MatchMethod::postcode ||
                                   chosen->method == MatchMethod::postcode_sector);
    if (text.score >= opt.min_score &&
        (!chosen || (coarse && text.precision < chosen->precision &&
                     dist(text.x, text.y, chosen->x, chosen->y) <= static_cast<double>(chosen->precision) + 250.0))) {
      if (chosen) explain("the location written in the text refines the " + std::string(method_name(chosen->method)) + " match");
      chosen = &text;
    }
    best_rejected = std::max(best_rejected, text.score);
  }
  if (chosen) return finish(*chosen);

  // Unmatched: say why.
  r.score = static_cast<uint8_t>(std::clamp(best_rejected, 0, 100));
  if (ambiguous) r.reason = UnmatchedReason::ambiguous;
  else if (conflict) r.reason = UnmatchedReason::conflict;
  else if (best_rejected > 0) {
    r.reason = UnmatchedReason::below_threshold;
    explain("best match scored " + std::to_string(best_rejected) + ", below the threshold " +
            std::to_string(opt.min_score));
  } else {
    r.reason = UnmatchedReason::not_found;
    if (explanation.empty()) explain("nothing in the text matches the gazetteer");
  }
  return r;
}

}  // namespace hotspot::core::geocode
