#pragma once
// Gazetteer: the reference data the geocoder matches against, as one immutable index.
//
// Three kinds of reference data, any combination:
// - ADDRESSES (a council LLPG / AddressBase / OS Open UPRN join): UPRN (optional),
//   BS 7666 parts SAO ("Flat 2") and PAO ("14A", "12-14", "Rose Cottage"), street,
//   locality, town, postcode, easting/northing;
// - POSTCODE CENTROIDS (OS Code-Point Open): postcode, positional quality, easting/
//   northing, ward and district codes;
// - STREET LINES (any line layer, e.g. OS Open Roads): street name, town (optional)
//   and the line. They give street-level points and exact junctions.
// Readers for the files are in layers/io/gazetteer_reader.hpp; GazetteerBuilder takes
// records one by one (and says which ones it cannot use), build() makes the index, and
// gazetteer_file.hpp saves/loads it so it is built once and reused.
//
// What the index holds (all flat arrays, so a saved index loads with a few copies):
// - STREETS: one per (canonical name, locality, town) (normalize.hpp), with their
//   addresses sorted by house number, a representative point and a radius: the
//   address nearest the addresses' mean (or the point of its lines nearest their
//   mean) and the distance to its farthest address or vertex;
// - name, place (town or locality, also by leading words: "SUTTON" finds "SUTTON IN
//   ASHFIELD"), postcode, sector, district and UPRN lookups, each a sorted array;
// - for each postcode unit, sector and district: the streets with an address in it
//   (or, for streets known only as lines, passing within 200 m of its centroid):
//   the candidates for a query that names that postcode;
// - postcode units with a radius (their addresses' farthest distance from the
//   centroid, else 100 m) and sectors (mean of their units, radius = the 90th
//   percentile distance of their units).
//
// Invariants (checked by tests and by the loader): every id in a range array is a
// valid index; addresses of street s are addresses()[s.first_address, +address_count),
// ordered by (number, suffix, number_end, suffix_end, building, sao).
//
// Cost: about 100 bytes per address plus the strings; build is O(n log n) (100k
// addresses + 30k postcodes: well under a second). Thread-safety: immutable after
// build(), every const method may be called from any thread.
//
//   GazetteerBuilder b;
//   b.add_address({.uprn = 100031000030, .pao = "14A", .street = "Station Rd",
//                  .town = "Sutton-in-Ashfield", .postcode = "NG17 5FF",
//                  .x_m = 449794, .y_m = 358735});
//   b.add_postcode({.postcode = "NG17 5FF", .x_m = 449877, .y_m = 358748, .quality = 10});
//   Gazetteer g = std::move(b).build();
//   for (uint32_t s : g.streets_named("STATION ROAD")) use(g.street(s));

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/geo/geometry.hpp"
#include "core/geocode/postcode.hpp"

namespace hotspot::core::geocode {

// A house number or range: "14" {14}, "14A" {14, 'A'}, "12-14" {12, 0, 14},
// "12A-12C" {12, 'A', 12, 'C'}. number == 0 means none.
struct HouseNumber {
  uint32_t number = 0;
  char suffix = 0;  // 'A'..'Z' or 0
  uint32_t number_end = 0;
  char suffix_end = 0;
  [[nodiscard]] bool empty() const { return number == 0; }
  [[nodiscard]] bool is_range() const { return number_end != 0; }
  friend bool operator==(const HouseNumber&, const HouseNumber&) = default;
};

// Splits a PAO ("14A", "12-14", "Rose Cottage", "Rose Cottage 14") into its number
// and its building name (canonical, normalize_place_name rules). Numbers above
// 99,999 are not house numbers and stay in the name.
void split_pao(std::string_view pao, HouseNumber& number, std::string& building);
// The canonical SAO identifier: "Flat 2" -> "2", "Apartment 2A" -> "2A", "Unit 3" ->
// "3", "Ground Floor Flat" -> "GROUND FLOOR", "Flat A" -> "A". Empty stays empty.
std::string normalize_sao(std::string_view sao);

// Records given to the builder (views: the builder copies what it keeps).
struct AddressRecord {
  uint64_t uprn = 0;  // 0 = none
  std::string_view sao, pao, street, locality, town, postcode;
  double x_m = 0.0, y_m = 0.0;  // EPSG:27700
};
struct PostcodeRecord {
  std::string_view postcode;
  double x_m = 0.0, y_m = 0.0;
  int quality = 10;  // Code-Point positional quality: 10 best ... 60 sector mean, 90 none
  std::string_view district_code, ward_code;  // ONS codes, may be empty
};
struct StreetLineRecord {
  std::string_view name, town, locality;  // town/locality may be empty
  std::span<const Point> vertices;        // EPSG:27700, at least 2
};

enum class GazetteerError : uint8_t {
  no_street,         // an address without a street name
  no_house,          // an address without SAO, PAO or UPRN: nothing to match
  bad_coordinates,   // not finite, or off the British National Grid
  bad_postcode,      // a postcode that is not a UK postcode
  duplicate_uprn,    // a UPRN seen before (the first is kept)
  duplicate_postcode,
  no_coordinates,    // Code-Point quality 90 (no coordinates)
  short_line,        // a street line with fewer than 2 vertices
};
const char* describe(GazetteerError e);

class Gazetteer;

namespace detail {

// The index as flat arrays (what gazetteer_file.cpp saves). Field meanings in the
// Gazetteer comment; kNone = 0xFFFFFFFF marks "no index".
struct AddressEntry {
  double x_m, y_m;
  uint64_t uprn;       // 0 = none
  uint32_t street;
  uint32_t postcode;   // into postcodes, or kNone
  uint32_t sao;        // string id of the canonical SAO, 0 = none
  uint32_t building;   // string id of the canonical building name, 0 = none
  uint32_t number, number_end;
  char suffix, suffix_end;
  uint8_t pad[6];
};
static_assert(sizeof(AddressEntry) == 56);

struct StreetEntry {
  uint32_t name, town, locality;  // string ids (canonical)
  uint32_t first_address, address_count;
  uint32_t first_vertex, vertex_count;  // lines: vertices, parts separated by NaN
  uint32_t letters;                     // letter_mask of the name
  double rep_x_m, rep_y_m;
  float radius_m;
  uint32_t name_length;
};
static_assert(sizeof(StreetEntry) == 56);

// A hashed name -> a range of a companion id array.
struct NameRange {
  uint64_t hash;
  uint32_t text;  // string id of the canonical text
  uint32_t first, count;
  uint32_t letters;  // letter_mask of the text (fuzzy pre-filter)
};
static_assert(sizeof(NameRange) == 24);

struct PostcodeEntry {
  uint64_t key;
  double x_m, y_m;
  float radius_m;
  uint8_t quality;    // Code-Point quality; 0 = derived from the addresses
  uint8_t pad[3];
  uint32_t ward, district;  // string ids of the ONS codes, 0 = unknown
  uint32_t first_street, street_count;  // into postcode_streets
  uint32_t address_count;
  uint32_t pad2;
};
static_assert(sizeof(PostcodeEntry) == 56);

struct AreaEntry {  // a sector or a district
  uint64_t key;
  double x_m, y_m;
  float radius_m;
  uint32_t units;
  uint32_t first_street, street_count;
};
static_assert(sizeof(AreaEntry) == 40);

struct UprnEntry {
  uint64_t uprn;
  uint32_t address, pad;
};

struct Vertex {
  double x_m, y_m;
};

struct GazetteerData {
  std::vector<char> chars;                // string table: string i is
  std::vector<uint32_t> string_offsets;   // chars[offsets[i], offsets[i + 1]); 0 = ""
  std::vector<AddressEntry> addresses;
  std::vector<StreetEntry> streets;
  std::vector<Vertex> vertices;
  std::vector<NameRange> names;           // street names -> name_streets
  std::vector<uint32_t> name_streets;
  std::vector<NameRange> places;          // towns and localities -> place_streets
  std::vector<uint32_t> place_streets;
  std::vector<NameRange> place_prefixes;  // leading words of places -> prefix_places
  std::vector<uint32_t> prefix_places;    // indexes into places
  std::vector<PostcodeEntry> postcodes;   // sorted by key
  std::vector<uint32_t> postcode_streets;
  std::vector<AreaEntry> sectors;         // sorted by key
  std::vector<uint32_t> sector_streets;
  std::vector<AreaEntry> districts;       // sorted by key
  std::vector<uint32_t> district_streets;
  std::vector<UprnEntry> uprns;           // sorted by uprn
  std::vector<std::string> sources;       // what it was built from ("gazetteer.csv: 13,496 addresses")
  double min_x = 0, min_y = 0, max_x = -1, max_y = -1;  // extent of everything (inverted = empty)
};

}  // namespace detail

class Gazetteer {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  using Address = detail::AddressEntry;
  using Street = detail::StreetEntry;
  using Postcode = detail::PostcodeEntry;
  using Area = detail::AreaEntry;

  Gazetteer() = default;
  // Takes over data made by GazetteerBuilder or read by load_gazetteer (trusted).
  explicit Gazetteer(detail::GazetteerData data);

  [[nodiscard]] std::span<const Address> addresses() const { return m_d.addresses; }
  [[nodiscard]] std::span<const Street> streets() const { return m_d.streets; }
  [[nodiscard]] std::span<const Postcode> postcodes() const { return m_d.postcodes; }
  [[nodiscard]] std::span<const Area> sectors() const { return m_d.sectors; }
  [[nodiscard]] const Street& street(uint32_t s) const { return m_d.streets[s]; }
  [[nodiscard]] const Address& address(uint32_t a) const { return m_d.addresses[a]; }
  [[nodiscard]] std::span<const Address> addresses_of(uint32_t street) const;
  // The street's line vertices (parts separated by a NaN vertex); empty without lines.
  [[nodiscard]] std::span<const detail::Vertex> vertices_of(uint32_t street) const;
  [[nodiscard]] std::string_view text(uint32_t string_id) const;

  // Streets whose canonical name is `canonical` (ids, ascending); empty if none.
  [[nodiscard]] std::span<const uint32_t> streets_named(std::string_view canonical) const;
  // Unique street names, for fuzzy scans: text(name.text), streets via name_streets().
  [[nodiscard]] std::span<const detail::NameRange> names() const { return m_d.names; }
  [[nodiscard]] std::span<const uint32_t> name_streets(const detail::NameRange& n) const;

  // Places (towns and localities) by canonical name, exact; and places whose leading
  // whole words are `words` ("SUTTON" -> "SUTTON IN ASHFIELD", "SUTTON BONINGTON").
  [[nodiscard]] std::optional<uint32_t> find_place(std::string_view canonical) const;
  [[nodiscard]] std::span<const uint32_t> places_starting(std::string_view canonical_words) const;
  [[nodiscard]] std::span<const detail::NameRange> places() const { return m_d.places; }
  [[nodiscard]] std::span<const uint32_t> streets_in_place(uint32_t place) const;
  [[nodiscard]] std::string_view place_name(uint32_t place) const { return text(m_d.places[place].text); }

  // Postcodes: index of the unit / sector / district, or kNone.
  [[nodiscard]] uint32_t find_postcode(PostcodeKey unit) const;
  [[nodiscard]] uint32_t find_sector(PostcodeKey sector) const;
  [[nodiscard]] uint32_t find_district(PostcodeKey district) const;
  [[nodiscard]] const Postcode& postcode(uint32_t i) const { return m_d.postcodes[i]; }
  [[nodiscard]] const Area& sector(uint32_t i) const { return m_d.sectors[i]; }
  [[nodiscard]] std::span<const uint32_t> streets_of_postcode(uint32_t i) const;
  [[nodiscard]] std::span<const uint32_t> streets_of_sector(uint32_t i) const;
  [[nodiscard]] std::span<const uint32_t> streets_of_district(uint32_t i) const;

  // Address index of a UPRN, or kNone.
  [[nodiscard]] uint32_t find_uprn(uint64_t uprn) const;

  // "FLAT 2, 14A STATION ROAD, SUTTON IN ASHFIELD, SUTTON-IN-ASHFIELD NG17 5FF".
  [[nodiscard]] std::string describe_address(uint32_t a) const;
  // "STATION ROAD, SUTTON IN ASHFIELD, SUTTON-IN-ASHFIELD".
  [[nodiscard]] std::string describe_street(uint32_t s) const;

  // Extent of the addresses, postcodes and lines (EPSG:27700); inverted when empty.
  [[nodiscard]] Box bounds() const;
  [[nodiscard]] bool empty() const { return m_d.addresses.empty() && m_d.postcodes.empty() && m_d.streets.empty(); }
  [[nodiscard]] const std::vector<std::string>& sources() const { return m_d.sources; }
  // Bytes held by the arrays.
  [[nodiscard]] std::size_t bytes() const;

  [[nodiscard]] const detail::GazetteerData& data() const { return m_d; }

 private:
  [[nodiscard]] const detail::NameRange* find_range(const std::vector<detail::NameRange>& v,
                                                    std::string_view canonical) const;
  detail::GazetteerData m_d;
};

// GazetteerBuilder: collects records, then build() makes the index. Each add_*()
// either keeps the record (returning its index among the kept records of its kind) or
// says why not; the reader turns that into a "file:line: warning" for the user.
class GazetteerBuilder {
 public:
  GazetteerBuilder();
  ~GazetteerBuilder();
  GazetteerBuilder(GazetteerBuilder&&) noexcept;
  GazetteerBuilder& operator=(GazetteerBuilder&&) noexcept;
  GazetteerBuilder(const GazetteerBuilder&) = delete;
  GazetteerBuilder& operator=(const GazetteerBuilder&) = delete;

  // Requires for all: the views stay valid during the call only.
  Result<uint32_t, GazetteerError> add_address(const AddressRecord& r);
  Result<uint32_t, GazetteerError> add_postcode(const PostcodeRecord& r);
  Result<uint32_t, GazetteerError> add_street_line(const StreetLineRecord& r);
  // A line describing one input ("gazetteer.csv: 13,496 addresses"), kept in the index.
  void add_source(std::string description);

  [[nodiscard]] std::size_t address_count() const;
  [[nodiscard]] std::size_t postcode_count() const;
  [[nodiscard]] std::size_t line_count() const;

  // Builds the index (see Gazetteer). The builder is left empty.
  [[nodiscard]] Gazetteer build() &&;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace hotspot::core::geocode
