// [SECTION] index
//  - PAO / SAO parsing
//  - Gazetteer queries
//  - GazetteerBuilder: records
//  - GazetteerBuilder::build(): streets, lines, postcodes, sectors, name indexes

#include "core/geocode/gazetteer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/base/string_pool.hpp"
#include "core/geo/extent.hpp"
#include "core/geocode/normalize.hpp"
#include "core/geocode/similarity.hpp"

namespace hotspot::core::geocode {

using detail::AddressEntry;
using detail::AreaEntry;
using detail::NameRange;
using detail::PostcodeEntry;
using detail::StreetEntry;
using detail::Vertex;

namespace {

constexpr uint32_t kNone = Gazetteer::kNone;
// Addresses of one street name and town farther than this from all the others make
// a separate street (metres).
constexpr double kStreetGapM = 400.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double dist(double ax, double ay, double bx, double by) {
  const double dx = ax - bx, dy = ay - by;
  return std::sqrt(dx * dx + dy * dy);
}

}  // namespace

// [SECTION] PAO / SAO parsing ----------------------------------------------------------

void split_pao(std::string_view pao, HouseNumber& number, std::string& building) {
  number = {};
  building.clear();
  std::string buffer;
  std::vector<Word> words;
  split_words(pao, buffer, words);
  std::size_t i = 0;
  auto take_number = [&](std::size_t at, uint32_t& n, char& suffix) -> std::size_t {
    if (at >= words.size() || !house_number_word(words[at].text, n, suffix)) return 0;
    // "14 A": a lone letter after a plain number is its suffix.
    if (suffix == 0 && at + 1 < words.size() && is_single_letter(words[at + 1].text) &&
        (at + 2 == words.size() || words[at + 2].text == "-")) {
      suffix = words[at + 1].text[0];
      return 2;
    }
    return 1;
  };
  if (std::size_t used = take_number(0, number.number, number.suffix)) {
    i = used;
    if (i + 1 < words.size() && words[i].text == "-") {
      if (std::size_t used2 = take_number(i + 1, number.number_end, number.suffix_end)) i += 1 + used2;
    }
  } else if (words.size() >= 2) {
    // "ROSE COTTAGE 14": a name then a number.
    uint32_t n = 0;
    char s = 0;
    if (house_number_word(words.back().text, n, s)) {
      number.number = n;
      number.suffix = s;
      words.pop_back();
    }
  }
  for (; i < words.size(); ++i) {
    if (!building.empty()) building.push_back(' ');
    building.append(words[i].text);
  }
}

std::string normalize_sao(std::string_view sao) {
  std::string buffer, out;
  std::vector<Word> words;
  split_words(sao, buffer, words);
  static constexpr std::string_view kFlatWords[] = {"FLAT",   "FLT",   "FLATS", "APARTMENT", "APT",
                                                    "APPT",   "APTS",  "UNIT",  "MAISONETTE", "ROOM",
                                                    "STUDIO", "SUITE", "BEDSIT", "NO",        "NUMBER"};
  std::vector<Word> kept;
  for (const Word& w : words) {
    bool drop = false;
    for (std::string_view f : kFlatWords) drop = drop || w.text == f;
    if (!drop) kept.push_back(w);
  }
  if (kept.empty()) kept = words;
  // "2 A" -> "2A".
  if (kept.size() == 2 && kept[0].numeric && is_single_letter(kept[1].text)) {
    out = std::string(kept[0].text) + std::string(kept[1].text);
    return out;
  }
  join_words(kept, out);
  return out;
}

const char* describe(GazetteerError e) {
  switch (e) {
    case GazetteerError::no_street: return "the address has no street name";
    case GazetteerError::no_house: return "the address has no SAO, PAO or UPRN";
    case GazetteerError::bad_coordinates: return "coordinates are not a point on the British National Grid";
    case GazetteerError::bad_postcode: return "not a UK postcode";
    case GazetteerError::duplicate_uprn: return "UPRN seen before (the first is kept)";
    case GazetteerError::duplicate_postcode: return "postcode seen before (the first is kept)";
    case GazetteerError::no_coordinates: return "postcode without coordinates (Code-Point quality 90)";
    case GazetteerError::short_line: return "street line with fewer than 2 vertices";
  }
  return "unknown gazetteer error";
}

// [SECTION] Gazetteer queries ---------------------------------------------------------

Gazetteer::Gazetteer(detail::GazetteerData data) : m_d(std::move(data)) {}

std::string_view Gazetteer::text(uint32_t id) const {
  if (id + 1 >= m_d.string_offsets.size()) return {};
  return std::string_view(m_d.chars.data() + m_d.string_offsets[id], m_d.string_offsets[id + 1] - m_d.string_offsets[id]);
}

std::span<const Gazetteer::Address> Gazetteer::addresses_of(uint32_t s) const {
  const Street& st = m_d.streets[s];
  return std::span<const Address>(m_d.addresses).subspan(st.first_address, st.address_count);
}

std::span<const detail::Vertex> Gazetteer::vertices_of(uint32_t s) const {
  const Street& st = m_d.streets[s];
  return std::span<const Vertex>(m_d.vertices).subspan(st.first_vertex, st.vertex_count);
}

const NameRange* Gazetteer::find_range(const std::vector<NameRange>& v, std::string_view canonical) const {
  const uint64_t h = text_hash(canonical);
  auto it = std::lower_bound(v.begin(), v.end(), h, [](const NameRange& r, uint64_t k) { return r.hash < k; });
  for (; it != v.end() && it->hash == h; ++it)
    if (text(it->text) == canonical) return &*it;
  return nullptr;
}

std::span<const uint32_t> Gazetteer::streets_named(std::string_view canonical) const {
  const NameRange* r = find_range(m_d.names, canonical);
  return r ? name_streets(*r) : std::span<const uint32_t>{};
}

std::span<const uint32_t> Gazetteer::name_streets(const NameRange& n) const {
  return std::span<const uint32_t>(m_d.name_streets).subspan(n.first, n.count);
}

std::optional<uint32_t> Gazetteer::find_place(std::string_view canonical) const {
  const NameRange* r = find_range(m_d.places, canonical);
  if (!r) return std::nullopt;
  return static_cast<uint32_t>(r - m_d.places.data());
}

std::span<const uint32_t> Gazetteer::places_starting(std::string_view words) const {
  const NameRange* r = find_range(m_d.place_prefixes, words);
  return r ? std::span<const uint32_t>(m_d.prefix_places).subspan(r->first, r->count) : std::span<const uint32_t>{};
}

std::span<const uint32_t> Gazetteer::streets_in_place(uint32_t place) const {
  const NameRange& r = m_d.places[place];
  return std::span<const uint32_t>(m_d.place_streets).subspan(r.first, r.count);
}

namespace {
template <typename T>
uint32_t find_key(const std::vector<T>& v, uint64_t key) {
  auto it = std::lower_bound(v.begin(), v.end(), key, [](const T& e, uint64_t k) { return e.key < k; });
  return it != v.end() && it->key == key ? static_cast<uint32_t>(it - v.begin()) : kNone;
}
}  // namespace

uint32_t Gazetteer::find_postcode(PostcodeKey unit) const { return find_key(m_d.postcodes, unit.bits()); }
uint32_t Gazetteer::find_sector(PostcodeKey sector) const { return find_key(m_d.sectors, sector.bits()); }
uint32_t Gazetteer::find_district(PostcodeKey district) const { return find_key(m_d.districts, district.bits()); }

std::span<const uint32_t> Gazetteer::streets_of_postcode(uint32_t i) const {
  const Postcode& p = m_d.postcodes[i];
  return std::span<const uint32_t>(m_d.postcode_streets).subspan(p.first_street, p.street_count);
}
std::span<const uint32_t> Gazetteer::streets_of_sector(uint32_t i) const {
  const Area& a = m_d.sectors[i];
  return std::span<const uint32_t>(m_d.sector_streets).subspan(a.first_street, a.street_count);
}
std::span<const uint32_t> Gazetteer::streets_of_district(uint32_t i) const {
  const Area& a = m_d.districts[i];
  return std::span<const uint32_t>(m_d.district_streets).subspan(a.first_street, a.street_count);
}

uint32_t Gazetteer::find_uprn(uint64_t uprn) const {
  auto it = std::lower_bound(m_d.uprns.begin(), m_d.uprns.end(), uprn,
                             [](const detail::UprnEntry& e, uint64_t k) { return e.uprn < k; });
  return it != m_d.uprns.end() && it->uprn == uprn ? it->address : kNone;
}

std::string Gazetteer::describe_street(uint32_t s) const {
  const Street& st = m_d.streets[s];
  std::string out(text(st.name));
  if (st.locality) out.append(", ").append(text(st.locality));
  if (st.town && st.town != st.locality) out.append(", ").append(text(st.town));
  return out;
}

std::string Gazetteer::describe_address(uint32_t a) const {
  // Built with append(): GCC 12 reports a false -Wrestrict on "literal" + std::string.
  const Address& ad = m_d.addresses[a];
  std::string out;
  if (ad.sao) {
    const std::string_view sao = text(ad.sao);
    if ((!sao.empty() && sao[0] >= '0' && sao[0] <= '9') || sao.size() == 1) out.append("FLAT ");
    out.append(sao).append(", ");
  }
  if (ad.building) out.append(text(ad.building)).append(ad.number ? " " : ", ");
  if (ad.number) {
    out.append(std::to_string(ad.number));
    if (ad.suffix) out.push_back(ad.suffix);
    if (ad.number_end) {
      out.push_back('-');
      out.append(std::to_string(ad.number_end));
      if (ad.suffix_end) out.push_back(ad.suffix_end);
    }
    out.push_back(' ');
  }
  out.append(describe_street(ad.street));
  if (ad.postcode != kNone) out.append(" ").append(PostcodeKey::from_bits(m_d.postcodes[ad.postcode].key).text());
  return out;
}

Box Gazetteer::bounds() const { return Box(Point(m_d.min_x, m_d.min_y), Point(m_d.max_x, m_d.max_y)); }

std::size_t Gazetteer::bytes() const {
  auto b = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  return b(m_d.chars) + b(m_d.string_offsets) + b(m_d.addresses) + b(m_d.streets) + b(m_d.vertices) +
         b(m_d.names) + b(m_d.name_streets) + b(m_d.places) + b(m_d.place_streets) + b(m_d.place_prefixes) +
         b(m_d.prefix_places) + b(m_d.postcodes) + b(m_d.postcode_streets) + b(m_d.sectors) +
         b(m_d.sector_streets) + b(m_d.districts) + b(m_d.district_streets) + b(m_d.uprns);
}

// [SECTION] GazetteerBuilder: records -----------------------------------------------

struct GazetteerBuilder::Impl {
  struct RawAddress {
    double x, y;
    uint64_t uprn;
    uint32_t name, town, locality, sao, building;
    uint64_t postcode;  // key bits, 0 = none
    HouseNumber number;
  };
  struct RawPostcode {
    uint64_t key;
    double x, y;
    int quality;
    uint32_t district, ward;
  };
  struct RawLine {
    uint32_t name, town, locality;
    uint32_t first, count;
  };
  StringPool strings;
  std::vector<RawAddress> addresses;
  std::unordered_set<uint64_t> uprns;
  std::vector<RawPostcode> postcodes;
  std::unordered_set<uint64_t> postcode_keys;
  std::vector<RawLine> lines;
  std::vector<Vertex> line_vertices;
  std::vector<std::string> sources;
  // Scratch.
  std::string building;
};

GazetteerBuilder::GazetteerBuilder() : m_impl(std::make_unique<Impl>()) {}
GazetteerBuilder::~GazetteerBuilder() = default;
GazetteerBuilder::GazetteerBuilder(GazetteerBuilder&&) noexcept = default;
GazetteerBuilder& GazetteerBuilder::operator=(GazetteerBuilder&&) noexcept = default;

std::size_t GazetteerBuilder::address_count() const { return m_impl->addresses.size(); }
std::size_t GazetteerBuilder::postcode_count() const { return m_impl->postcodes.size(); }
std::size_t GazetteerBuilder::line_count() const { return m_impl->lines.size(); }
void GazetteerBuilder::add_source(std::string description) { m_impl->sources.push_back(std::move(description)); }

Result<uint32_t, GazetteerError> GazetteerBuilder::add_address(const AddressRecord& r) {
  using R = Result<uint32_t, GazetteerError>;
  Impl& m = *m_impl;
  if (!std::isfinite(r.x_m) || !std::isfinite(r.y_m) || !is_on_bng_grid(r.x_m, r.y_m))
    return R::failure(GazetteerError::bad_coordinates, describe(GazetteerError::bad_coordinates));
  const std::string name = normalize_street_name(r.street);
  if (name.empty()) return R::failure(GazetteerError::no_street, describe(GazetteerError::no_street));
  Impl::RawAddress a{};
  a.x = r.x_m;
  a.y = r.y_m;
  a.uprn = r.uprn;
  split_pao(r.pao, a.number, m.building);
  const std::string sao = normalize_sao(r.sao);
  if (a.number.empty() && m.building.empty() && sao.empty() && r.uprn == 0)
    return R::failure(GazetteerError::no_house, describe(GazetteerError::no_house));
  if (!r.postcode.empty()) {
    auto pc = parse_postcode(r.postcode);
    if (!pc)
      return R::failure(GazetteerError::bad_postcode,
                        std::string("'").append(r.postcode).append("' is ").append(describe(GazetteerError::bad_postcode)));
    a.postcode = pc->bits();
  }
  if (r.uprn != 0 && !m.uprns.insert(r.uprn).second)
    return R::failure(GazetteerError::duplicate_uprn,
                      std::string("UPRN ").append(std::to_string(r.uprn)).append(" seen before (the first is kept)"));
  a.name = m.strings.intern(name);
  a.town = m.strings.intern(normalize_place_name(r.town));
  a.locality = m.strings.intern(normalize_place_name(r.locality));
  a.sao = m.strings.intern(sao);
  a.building = m.strings.intern(m.building);
  m.addresses.push_back(a);
  return static_cast<uint32_t>(m.addresses.size() - 1);
}

Result<uint32_t, GazetteerError> GazetteerBuilder::add_postcode(const PostcodeRecord& r) {
  using R = Result<uint32_t, GazetteerError>;
  Impl& m = *m_impl;
  auto pc = parse_postcode(r.postcode);
  if (!pc)
    return R::failure(GazetteerError::bad_postcode,
                      std::string("'").append(r.postcode).append("' is ").append(describe(GazetteerError::bad_postcode)));
  if (r.quality >= 90 || (r.x_m == 0.0 && r.y_m == 0.0))
    return R::failure(GazetteerError::no_coordinates, pc->text() + ": " + describe(GazetteerError::no_coordinates));
  if (!std::isfinite(r.x_m) || !std::isfinite(r.y_m) || !is_on_bng_grid(r.x_m, r.y_m))
    return R::failure(GazetteerError::bad_coordinates, describe(GazetteerError::bad_coordinates));
  if (!m.postcode_keys.insert(pc->bits()).second)
    return R::failure(GazetteerError::duplicate_postcode, pc->text() + ": " + describe(GazetteerError::duplicate_postcode));
  m.postcodes.push_back({pc->bits(), r.x_m, r.y_m, r.quality, m.strings.intern(r.district_code),
                         m.strings.intern(r.ward_code)});
  return static_cast<uint32_t>(m.postcodes.size() - 1);
}

Result<uint32_t, GazetteerError> GazetteerBuilder::add_street_line(const StreetLineRecord& r) {
  using R = Result<uint32_t, GazetteerError>;
  Impl& m = *m_impl;
  const std::string name = normalize_street_name(r.name);
  if (name.empty()) return R::failure(GazetteerError::no_street, describe(GazetteerError::no_street));
  if (r.vertices.size() < 2) return R::failure(GazetteerError::short_line, describe(GazetteerError::short_line));
  for (const Point& p : r.vertices)
    if (!std::isfinite(p.x()) || !std::isfinite(p.y()) || !is_on_bng_grid(p.x(), p.y()))
      return R::failure(GazetteerError::bad_coordinates, describe(GazetteerError::bad_coordinates));
  Impl::RawLine l{m.strings.intern(name), m.strings.intern(normalize_place_name(r.town)),
                  m.strings.intern(normalize_place_name(r.locality)),
                  static_cast<uint32_t>(m.line_vertices.size()), static_cast<uint32_t>(r.vertices.size())};
  for (const Point& p : r.vertices) m.line_vertices.push_back({p.x(), p.y()});
  m.lines.push_back(l);
  return static_cast<uint32_t>(m.lines.size() - 1);
}

// [SECTION] GazetteerBuilder::build() -------------------------------------------------

namespace {

// Closest point of segment (a, b) to p; returns the distance.
double project(const Vertex& a, const Vertex& b, double px, double py, double& qx, double& qy) {
  const double dx = b.x_m - a.x_m, dy = b.y_m - a.y_m;
  const double l2 = dx * dx + dy * dy;
  double t = l2 > 0 ? ((px - a.x_m) * dx + (py - a.y_m) * dy) / l2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  qx = a.x_m + t * dx;
  qy = a.y_m + t * dy;
  return dist(px, py, qx, qy);
}

// Distance from p to a polyline with NaN-separated parts, and the closest point.
double polyline_distance(std::span<const Vertex> v, double px, double py, double& qx, double& qy) {
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    if (std::isnan(v[i].x_m) || std::isnan(v[i + 1].x_m)) continue;
    double cx = 0, cy = 0;
    const double d = project(v[i], v[i + 1], px, py, cx, cy);
    if (d < best) {
      best = d;
      qx = cx;
      qy = cy;
    }
  }
  return best;
}

// A uniform grid over points, for "postcodes near this point".
class PointGrid {
 public:
  PointGrid(std::span<const PostcodeEntry> pts, double cell) : m_cell(cell) {
    for (uint32_t i = 0; i < pts.size(); ++i) m_cells[key(pts[i].x_m, pts[i].y_m)].push_back(i);
  }
  template <typename Fn>
  void near(double x, double y, double r, Fn&& fn) const {
    const auto cx = static_cast<int64_t>(std::floor(x / m_cell)), cy = static_cast<int64_t>(std::floor(y / m_cell));
    const auto k = static_cast<int64_t>(std::ceil(r / m_cell));
    for (int64_t i = cx - k; i <= cx + k; ++i)
      for (int64_t j = cy - k; j <= cy + k; ++j)
        if (auto it = m_cells.find(pack(i, j)); it != m_cells.end())
          for (uint32_t p : it->second) fn(p);
  }

 private:
  static uint64_t pack(int64_t i, int64_t j) {
    return (static_cast<uint64_t>(i) << 32) ^ static_cast<uint64_t>(static_cast<uint32_t>(j));
  }
  uint64_t key(double x, double y) const {
    return pack(static_cast<int64_t>(std::floor(x / m_cell)), static_cast<int64_t>(std::floor(y / m_cell)));
  }
  double m_cell;
  std::unordered_map<uint64_t, std::vector<uint32_t>> m_cells;
};

// Sorts and dedupes (group, id) pairs and writes per-group ranges.
template <typename Entry>
void fill_ranges(std::vector<std::pair<uint32_t, uint32_t>>& pairs, std::vector<Entry>& groups,
                 std::vector<uint32_t>& ids) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  ids.clear();
  ids.reserve(pairs.size());
  for (auto& g : groups) {
    g.first_street = 0;
    g.street_count = 0;
  }
  std::size_t i = 0;
  while (i < pairs.size()) {
    const uint32_t g = pairs[i].first;
    groups[g].first_street = static_cast<uint32_t>(ids.size());
    while (i < pairs.size() && pairs[i].first == g) ids.push_back(pairs[i++].second);
    groups[g].street_count = static_cast<uint32_t>(ids.size()) - groups[g].first_street;
  }
}

// Builds a NameRange index: texts (string ids) -> sorted id lists.
void build_name_index(const std::map<uint32_t, std::vector<uint32_t>>& by_text, const StringPool& strings,
                      std::vector<NameRange>& out, std::vector<uint32_t>& ids) {
  out.clear();
  ids.clear();
  for (const auto& [text, list] : by_text) {
    NameRange r{};
    r.hash = text_hash(strings.get(text));
    r.letters = letter_mask(strings.get(text));
    r.text = text;
    r.first = static_cast<uint32_t>(ids.size());
    r.count = static_cast<uint32_t>(list.size());
    ids.insert(ids.end(), list.begin(), list.end());
    out.push_back(r);
  }
  // Sort by hash, keeping each range's ids where they are.
  std::stable_sort(out.begin(), out.end(), [](const NameRange& a, const NameRange& b) { return a.hash < b.hash; });
}

}  // namespace

Gazetteer GazetteerBuilder::build() && {
  Impl& m = *m_impl;
  detail::GazetteerData d;
  d.sources = std::move(m.sources);

  // Streets from the addresses: one per (name, locality, town), in first-seen order.
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> street_of;
  std::vector<uint32_t> addr_street(m.addresses.size());
  for (std::size_t i = 0; i < m.addresses.size(); ++i) {
    const auto& a = m.addresses[i];
    auto [it, added] = street_of.try_emplace({a.name, a.locality, a.town}, static_cast<uint32_t>(d.streets.size()));
    if (added) {
      StreetEntry s{};
      s.name = a.name;
      s.town = a.town;
      s.locality = a.locality;
      d.streets.push_back(s);
    }
    addr_street[i] = it->second;
  }
  // One name in one town can be several streets ("Station Road" twice in a city with no
  // localities): addresses more than kStreetGapM from every other address of the name
  // start a street of their own (single linkage), so a street's point is never the
  // middle of two places.
  {
    std::vector<std::vector<uint32_t>> members(d.streets.size());
    for (uint32_t i = 0; i < m.addresses.size(); ++i) members[addr_street[i]].push_back(i);
    const std::size_t keys = d.streets.size();
    for (std::size_t s = 0; s < keys; ++s) {
      const auto& list = members[s];
      if (list.size() < 2) continue;
      std::vector<uint32_t> parent(list.size());
      std::iota(parent.begin(), parent.end(), 0u);
      auto find = [&](uint32_t v) {
        while (parent[v] != v) v = parent[v] = parent[parent[v]];
        return v;
      };
      // Sorted by x, so only pairs within the gap in x are compared.
      std::vector<uint32_t> by_x(list.size());
      std::iota(by_x.begin(), by_x.end(), 0u);
      std::sort(by_x.begin(), by_x.end(), [&](uint32_t a, uint32_t b) { return m.addresses[list[a]].x < m.addresses[list[b]].x; });
      for (std::size_t a = 0; a < by_x.size(); ++a)
        for (std::size_t b = a + 1; b < by_x.size(); ++b) {
          const auto& pa = m.addresses[list[by_x[a]]];
          const auto& pb = m.addresses[list[by_x[b]]];
          if (pb.x - pa.x > kStreetGapM) break;
          if (dist(pa.x, pa.y, pb.x, pb.y) <= kStreetGapM) parent[find(by_x[a])] = find(by_x[b]);
        }
      // Clusters in order of their first address; the first keeps the street's id.
      std::map<uint32_t, uint32_t> street_of_root;
      for (uint32_t k = 0; k < list.size(); ++k) {
        const uint32_t root = find(k);
        auto [it, added] = street_of_root.try_emplace(root, static_cast<uint32_t>(s));
        if (added && street_of_root.size() > 1) {
          it->second = static_cast<uint32_t>(d.streets.size());
          const StreetEntry copy = d.streets[s];
          d.streets.push_back(copy);
        }
        addr_street[list[k]] = it->second;
      }
    }
  }
  const std::size_t address_streets = d.streets.size();

  // Lines: attach each to the nearest street of its name (and town, when it has one)
  // whose addresses come within 300 m of it; otherwise it is a street of its own.
  std::vector<std::vector<uint32_t>> street_lines(d.streets.size());
  {
    std::unordered_map<uint32_t, std::vector<uint32_t>> streets_by_name;
    for (uint32_t s = 0; s < d.streets.size(); ++s) streets_by_name[d.streets[s].name].push_back(s);
    std::vector<std::vector<uint32_t>> addrs_of(d.streets.size());
    for (uint32_t i = 0; i < m.addresses.size(); ++i) addrs_of[addr_street[i]].push_back(i);
    std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> line_only;
    for (uint32_t li = 0; li < m.lines.size(); ++li) {
      const auto& l = m.lines[li];
      const std::span<const Vertex> v(m.line_vertices.data() + l.first, l.count);
      uint32_t best = kNone;
      double best_d = 300.0;
      if (auto it = streets_by_name.find(l.name); it != streets_by_name.end()) {
        for (uint32_t s : it->second) {
          if (s >= address_streets) continue;
          const auto& st = d.streets[s];
          if (l.town && l.town != st.town && l.town != st.locality) continue;
          for (uint32_t ai : addrs_of[s]) {
            double qx = 0, qy = 0;
            const double dd = polyline_distance(v, m.addresses[ai].x, m.addresses[ai].y, qx, qy);
            if (dd < best_d) {
              best_d = dd;
              best = s;
            }
          }
        }
      }
      if (best == kNone) {
        auto [it2, added] = line_only.try_emplace({l.name, l.locality, l.town}, static_cast<uint32_t>(d.streets.size()));
        if (added) {
          StreetEntry s{};
          s.name = l.name;
          s.town = l.town;
          s.locality = l.locality;
          d.streets.push_back(s);
          street_lines.emplace_back();
        }
        best = it2->second;
      }
      street_lines[best].push_back(li);
    }
  }

  // Postcodes: Code-Point records, plus postcodes only the addresses know (their mean).
  for (const auto& p : m.postcodes) {
    PostcodeEntry e{};
    e.key = p.key;
    e.x_m = p.x;
    e.y_m = p.y;
    e.quality = static_cast<uint8_t>(std::clamp(p.quality, 0, 255));
    e.district = p.district;
    e.ward = p.ward;
    d.postcodes.push_back(e);
  }
  {
    std::map<uint64_t, std::pair<std::pair<double, double>, uint32_t>> derived;  // key -> (sum, count)
    for (const auto& a : m.addresses)
      if (a.postcode && !m.postcode_keys.count(a.postcode)) {
        auto& [sum, n] = derived[a.postcode];
        sum.first += a.x;
        sum.second += a.y;
        ++n;
      }
    for (const auto& [key, v] : derived) {
      PostcodeEntry e{};
      e.key = key;
      e.x_m = v.first.first / v.second;
      e.y_m = v.first.second / v.second;
      e.quality = 0;
      d.postcodes.push_back(e);
    }
  }
  std::sort(d.postcodes.begin(), d.postcodes.end(), [](const PostcodeEntry& a, const PostcodeEntry& b) { return a.key < b.key; });
  auto postcode_index = [&](uint64_t key) { return key ? find_key(d.postcodes, key) : kNone; };

  // Addresses, grouped by street and ordered by house within it.
  std::vector<uint32_t> order(m.addresses.size());
  std::iota(order.begin(), order.end(), 0u);
  auto house_key = [&](uint32_t i) {
    const auto& a = m.addresses[i];
    return std::make_tuple(addr_street[i], a.number.number, a.number.suffix, a.number.number_end, a.number.suffix_end,
                           m.strings.get(a.building), m.strings.get(a.sao), i);
  };
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return house_key(x) < house_key(y); });
  d.addresses.reserve(order.size());
  for (uint32_t i : order) {
    const auto& a = m.addresses[i];
    AddressEntry e{};
    e.x_m = a.x;
    e.y_m = a.y;
    e.uprn = a.uprn;
    e.street = addr_street[i];
    e.postcode = postcode_index(a.postcode);
    e.sao = a.sao;
    e.building = a.building;
    e.number = a.number.number;
    e.suffix = a.number.suffix;
    e.number_end = a.number.number_end;
    e.suffix_end = a.number.suffix_end;
    auto& st = d.streets[e.street];
    if (st.address_count == 0) st.first_address = static_cast<uint32_t>(d.addresses.size());
    ++st.address_count;
    d.addresses.push_back(e);
    if (e.uprn) d.uprns.push_back({e.uprn, static_cast<uint32_t>(d.addresses.size() - 1), 0});
  }
  std::sort(d.uprns.begin(), d.uprns.end(), [](const auto& a, const auto& b) { return a.uprn < b.uprn; });

  // Street vertices and representative points.
  for (uint32_t s = 0; s < d.streets.size(); ++s) {
    auto& st = d.streets[s];
    st.first_vertex = static_cast<uint32_t>(d.vertices.size());
    for (uint32_t li : street_lines[s]) {
      if (d.vertices.size() > st.first_vertex) d.vertices.push_back({kNaN, kNaN});
      const auto& l = m.lines[li];
      d.vertices.insert(d.vertices.end(), m.line_vertices.begin() + l.first, m.line_vertices.begin() + l.first + l.count);
    }
    st.vertex_count = static_cast<uint32_t>(d.vertices.size()) - st.first_vertex;
    const std::string_view name = m.strings.get(st.name);
    st.letters = letter_mask(name);
    st.name_length = static_cast<uint32_t>(name.size());
    const std::span<const AddressEntry> addrs(d.addresses.data() + st.first_address, st.address_count);
    const std::span<const Vertex> verts(d.vertices.data() + st.first_vertex, st.vertex_count);
    double mx = 0, my = 0;
    std::size_t n = 0;
    for (const auto& v : verts)
      if (!std::isnan(v.x_m)) {
        mx += v.x_m;
        my += v.y_m;
        ++n;
      }
    if (n == 0)
      for (const auto& a : addrs) {
        mx += a.x_m;
        my += a.y_m;
        ++n;
      }
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    if (!verts.empty()) {
      polyline_distance(verts, mx, my, st.rep_x_m, st.rep_y_m);
    } else {
      double best = std::numeric_limits<double>::infinity();
      for (const auto& a : addrs)
        if (const double dd = dist(a.x_m, a.y_m, mx, my); dd < best) {
          best = dd;
          st.rep_x_m = a.x_m;
          st.rep_y_m = a.y_m;
        }
    }
    double r = 0;
    for (const auto& a : addrs) r = std::max(r, dist(a.x_m, a.y_m, st.rep_x_m, st.rep_y_m));
    for (const auto& v : verts)
      if (!std::isnan(v.x_m)) r = std::max(r, dist(v.x_m, v.y_m, st.rep_x_m, st.rep_y_m));
    st.radius_m = static_cast<float>(r);
  }

  // Postcode radii (their addresses' farthest distance) and postcode -> streets.
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (const auto& a : d.addresses) {
    if (a.postcode == kNone) continue;
    auto& p = d.postcodes[a.postcode];
    ++p.address_count;
    p.radius_m = std::max(p.radius_m, static_cast<float>(dist(a.x_m, a.y_m, p.x_m, p.y_m)));
    pairs.emplace_back(a.postcode, a.street);
  }
  for (auto& p : d.postcodes)
    if (p.address_count == 0) p.radius_m = p.quality >= 50 ? 250.0f : 100.0f;
    else p.radius_m = std::max(p.radius_m, 10.0f);
  // Streets known only as lines: the postcodes within 200 m of their vertices and midpoints.
  if (d.streets.size() > address_streets && !d.postcodes.empty()) {
    const PointGrid grid(d.postcodes, 250.0);
    for (uint32_t s = static_cast<uint32_t>(address_streets); s < d.streets.size(); ++s) {
      const auto verts = std::span<const Vertex>(d.vertices).subspan(d.streets[s].first_vertex, d.streets[s].vertex_count);
      auto visit = [&](double x, double y) {
        grid.near(x, y, 200.0, [&](uint32_t p) {
          if (dist(d.postcodes[p].x_m, d.postcodes[p].y_m, x, y) <= 200.0) pairs.emplace_back(p, s);
        });
      };
      for (std::size_t i = 0; i < verts.size(); ++i) {
        if (std::isnan(verts[i].x_m)) continue;
        visit(verts[i].x_m, verts[i].y_m);
        if (i + 1 < verts.size() && !std::isnan(verts[i + 1].x_m))
          visit((verts[i].x_m + verts[i + 1].x_m) / 2, (verts[i].y_m + verts[i + 1].y_m) / 2);
      }
    }
  }
  fill_ranges(pairs, d.postcodes, d.postcode_streets);

  // Sectors and districts: consecutive runs of the sorted postcodes.
  auto build_areas = [&](bool sector, std::vector<AreaEntry>& areas, std::vector<uint32_t>& ids) {
    std::vector<std::pair<uint32_t, uint32_t>> area_pairs;
    std::size_t i = 0;
    while (i < d.postcodes.size()) {
      const PostcodeKey k = PostcodeKey::from_bits(d.postcodes[i].key);
      const uint64_t key = (sector ? k.sector() : k.district()).bits();
      std::size_t j = i;
      double sx = 0, sy = 0;
      std::size_t n = 0;
      while (j < d.postcodes.size()) {
        const PostcodeKey kj = PostcodeKey::from_bits(d.postcodes[j].key);
        if ((sector ? kj.sector() : kj.district()).bits() != key) break;
        if (d.postcodes[j].quality < 60) {
          sx += d.postcodes[j].x_m;
          sy += d.postcodes[j].y_m;
          ++n;
        }
        ++j;
      }
      if (n == 0)
        for (std::size_t q = i; q < j; ++q) {
          sx += d.postcodes[q].x_m;
          sy += d.postcodes[q].y_m;
          ++n;
        }
      AreaEntry a{};
      a.key = key;
      a.x_m = sx / static_cast<double>(n);
      a.y_m = sy / static_cast<double>(n);
      a.units = static_cast<uint32_t>(j - i);
      std::vector<double> ds;
      for (std::size_t q = i; q < j; ++q) ds.push_back(dist(d.postcodes[q].x_m, d.postcodes[q].y_m, a.x_m, a.y_m));
      std::sort(ds.begin(), ds.end());
      const double p90 = ds[std::min(ds.size() - 1, static_cast<std::size_t>(0.9 * static_cast<double>(ds.size())))];
      a.radius_m = static_cast<float>(std::max(p90, 100.0));
      const auto index = static_cast<uint32_t>(areas.size());
      for (std::size_t q = i; q < j; ++q)
        for (uint32_t s : std::span<const uint32_t>(d.postcode_streets)
                              .subspan(d.postcodes[q].first_street, d.postcodes[q].street_count))
          area_pairs.emplace_back(index, s);
      areas.push_back(a);
      i = j;
    }
    fill_ranges(area_pairs, areas, ids);
  };
  build_areas(true, d.sectors, d.sector_streets);
  build_areas(false, d.districts, d.district_streets);
  // Postcodes positioned at their sector's mean (quality 60) are only as good as it.
  for (auto& p : d.postcodes)
    if (p.quality == 60) {
      const uint32_t s = find_key(d.sectors, PostcodeKey::from_bits(p.key).sector().bits());
      if (s != kNone) p.radius_m = std::max(p.radius_m, d.sectors[s].radius_m);
    }

  // Name and place indexes.
  {
    std::map<uint32_t, std::vector<uint32_t>> by_name, by_place;
    for (uint32_t s = 0; s < d.streets.size(); ++s) {
      by_name[d.streets[s].name].push_back(s);
      if (d.streets[s].town) by_place[d.streets[s].town].push_back(s);
      if (d.streets[s].locality && d.streets[s].locality != d.streets[s].town)
        by_place[d.streets[s].locality].push_back(s);
    }
    build_name_index(by_name, m.strings, d.names, d.name_streets);
    build_name_index(by_place, m.strings, d.places, d.place_streets);
    // Every run of leading words of every place ("SUTTON", "SUTTON IN", ...).
    std::map<uint32_t, std::vector<uint32_t>> by_prefix;
    for (uint32_t p = 0; p < d.places.size(); ++p) {
      const std::string_view name = m.strings.get(d.places[p].text);
      std::size_t pos = 0;
      for (;;) {
        const std::size_t sp = name.find(' ', pos);
        const std::string_view prefix = name.substr(0, sp);
        by_prefix[m.strings.intern(prefix)].push_back(p);
        if (sp == std::string_view::npos) break;
        pos = sp + 1;
      }
    }
    for (auto& [k, v] : by_prefix) std::sort(v.begin(), v.end());
    build_name_index(by_prefix, m.strings, d.place_prefixes, d.prefix_places);
  }

  // The string table, in id order.
  d.string_offsets.reserve(m.strings.size() + 1);
  d.string_offsets.push_back(0);
  for (uint32_t i = 0; i < m.strings.size(); ++i) {
    const std::string_view s = m.strings.get(i);
    d.chars.insert(d.chars.end(), s.begin(), s.end());
    d.string_offsets.push_back(static_cast<uint32_t>(d.chars.size()));
  }

  // Extent.
  double x0 = std::numeric_limits<double>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
  auto grow = [&](double x, double y) {
    if (std::isnan(x)) return;
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  };
  for (const auto& a : d.addresses) grow(a.x_m, a.y_m);
  for (const auto& p : d.postcodes) grow(p.x_m, p.y_m);
  for (const auto& v : d.vertices) grow(v.x_m, v.y_m);
  if (x0 <= x1) {
    d.min_x = x0;
    d.min_y = y0;
    d.max_x = x1;
    d.max_y = y1;
  }
  m_impl = std::make_unique<Impl>();
  return Gazetteer(std::move(d));
}

}  // namespace hotspot::core::geocode
