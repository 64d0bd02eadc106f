#pragma once
// Geocoder: places one address (free text, an optional postcode field, an optional
// UPRN) on the British National Grid, says how (method), how sure (score 0-100) and
// how precisely (radius in metres), or says why it could not.
//
// The cascade, finest first; the first step whose result scores at least
// GeocodeOptions::min_score is taken:
//   1. uprn             the UPRN field is in the gazetteer                 score 100
//   2. address          street (exact name) + house number / flat / range   90-100
//   3. address_fuzzy    the same with a misspelt street name (Damerau-Levenshtein,
//                       1 edit up to 8 letters, 2 up to 14, 3 beyond), looked for
//                       only among the streets of the given postcode sector or
//                       district or the named town / locality                 65-87
//   4. street           the street named, without (or with an unknown) house
//                       number: its representative point, or the mean of its
//                       addresses in the given postcode, or a point interpolated
//                       between the neighbouring numbers on the same side      55-75
//      junction         "junction of X and Y": where the two streets meet (the
//                       crossing of their lines, or the midpoint of their
//                       closest addresses)                                     60-80
//   5. postcode         the postcode unit's centroid (Code-Point Open)            65
//   6. postcode_sector  the sector's centroid ("NG17 5")                           35
//   7. text_coordinates / text_grid_reference: a location written in the text,
//                       scored by its precision (85 at <= 10 m ... 20)
//   8. unmatched, with a reason: empty, not_found, ambiguous, conflict, below_threshold
// Step 7 also replaces a coarse match (street, junction, postcode, sector) when the
// written location is finer and lies inside it: the recorder's own coordinates beat a
// centroid. A sector is coarse (~1 km): its score is below the default threshold, so
// by default sector-only rows are reported unmatched (below_threshold) rather than
// piled onto sector centroids, which would make false hotspots.
//
// Ambiguity is reported, never guessed: when the streets that fit the address (its
// name, and its postcode or town when given) lie more than ambiguity_m apart and the
// house number does not single one out, the row is unmatched:ambiguous and the
// explanation lists the candidates. When exactly one of them has the house, that one
// is taken with 10 points off. Context decides before ambiguity does: a street in the
// given postcode unit beats one only in its sector, which beats one only in the
// district or the named town.
//
// A known postcode is trusted over a street: a street match farther than
// postcode_conflict_m from the centroid of the postcode written with it is rejected
// (the address is probably outside the gazetteer's streets) and the postcode is used
// instead; the explanation says so. A postcode that does not exist (a typo) is used
// only for its district.
//
// Scores, penalties and precisions are listed in geocoder.cpp ([SECTION] Scores) and
// written into every result: score 100 = certain, precision_m = the radius within
// which the true location lies (an address point is taken as 5 m).
//
// Threads: a Geocoder is immutable and may be shared; each thread geocodes through its
// own Session (scratch buffers, a PROJ transformer for written lon/lat).
//
//   Geocoder geocoder(gazetteer);                       // borrows the gazetteer
//   Geocoder::Session s = geocoder.session();
//   GeocodeResult r = s.geocode("Flat 2, 14a Station Rd, Sutton NG17 5FF");
//   if (r.matched()) use(r.x_m, r.y_m, r.score, r.precision_m);
//   else report(reason_name(r.reason), s.explanation());

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "core/geocode/address_parser.hpp"
#include "core/geocode/gazetteer.hpp"
#include "core/incidents/incident_table.hpp"

namespace hotspot::core {
class Transformer;
}

namespace hotspot::core::geocode {

enum class MatchMethod : uint8_t {
  uprn,
  address,
  address_fuzzy,
  street,
  junction,
  postcode,
  postcode_sector,
  text_coordinates,
  text_grid_reference,
  none,  // unmatched
  kCount
};
// "uprn", "address", ..., "none".
const char* method_name(MatchMethod m);
// The IncidentTable's method for a match (a junction is a street-level location).
// Requires: m != none.
GeocodeMethod incident_method(MatchMethod m);

enum class UnmatchedReason : uint8_t {
  none,             // matched
  empty,            // no address text (or only "NFA", "unknown", ...)
  not_found,        // nothing in the text matched the gazetteer
  ambiguous,        // several places fit equally well
  conflict,         // the street and the postcode given with it are far apart
  below_threshold,  // the best match scored below min_score
  kCount
};
// "empty", "not_found", "ambiguous", "conflict", "below_threshold" ("" for none).
const char* reason_name(UnmatchedReason r);

struct GeocodeResult {
  static constexpr uint32_t kNone = Gazetteer::kNone;
  double x_m = std::numeric_limits<double>::quiet_NaN();  // EPSG:27700
  double y_m = std::numeric_limits<double>::quiet_NaN();
  float precision_m = 0.0f;
  uint8_t score = 0;  // 0-100; for unmatched rows the best rejected score, if any
  MatchMethod method = MatchMethod::none;
  UnmatchedReason reason = UnmatchedReason::not_found;
  uint32_t address = kNone;  // the gazetteer address matched (uprn/address levels)
  uint32_t street = kNone;   // the street matched (address and street levels)
  uint32_t postcode = kNone; // the postcode unit used or given (if in the gazetteer)

  [[nodiscard]] bool matched() const { return method != MatchMethod::none; }
};

// Options shared by the CLI, ingest and the study file (defaults are the documented ones).
struct GeocodeOptions {
  int min_score = 50;                 // results below this are unmatched (below_threshold)
  double ambiguity_m = 250.0;         // candidates farther apart than this are different places
  double postcode_conflict_m = 1000.0;  // a street match this far from its postcode is rejected
  double junction_gap_m = 150.0;      // two streets "meet" if they come this close
  bool fuzzy = true;                  // allow misspelt street names (step 3)
  double text_margin_m = 20000.0;     // written locations farther outside the gazetteer are refused
};

class Geocoder {
 public:
  // Borrows `gazetteer`, which must outlive the Geocoder and its sessions.
  // Requires: 0 <= min_score <= 100, distances > 0.
  explicit Geocoder(const Gazetteer& gazetteer, GeocodeOptions options = {});

  class Session;
  [[nodiscard]] Session session() const;

  [[nodiscard]] const Gazetteer& gazetteer() const { return *m_gazetteer; }
  [[nodiscard]] const GeocodeOptions& options() const { return m_options; }

 private:
  const Gazetteer* m_gazetteer;
  GeocodeOptions m_options;
};

// One thread's geocoding context. Not thread-safe; cheap to create (the PROJ
// transformer for written lon/lat is made on first use, ~tens of ms).
class Geocoder::Session {
 public:
  explicit Session(const Geocoder& geocoder);
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Geocodes one row. `postcode` and `uprn` are separate fields (may be empty).
  GeocodeResult geocode(std::string_view address, std::string_view postcode = {}, std::string_view uprn = {});

  // The parts of the last address, and a one-line explanation of the last result:
  // for unmatched rows the reason in words ("'PARK AVENUE' names 2 streets more than
  // 250 m apart: PARK AVENUE, NOTTINGHAM (NG3 4JS); PARK AVENUE, HUCKNALL (NG15 7AB);
  // give a town or postcode"), for
  // matched rows what was assumed ("house 14A not found; 14 used"), or "".
  [[nodiscard]] const ParsedAddress& parsed() const;
  [[nodiscard]] const std::string& explanation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace hotspot::core::geocode
