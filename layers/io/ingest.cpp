// [SECTION] index
//  - Helpers (numbers, trimming, messages)
//  - Schema: how the columns of one file map onto an incident
//  - Row processing (shared by CSV chunks and OGR features)
//  - CSV files: chunked, parallel, ordered
//  - OGR layers
//  - ingest(), expand_globs()

#include "layers/io/ingest.hpp"

#include <fcntl.h>
#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <mutex>
#include <filesystem>
#include <iterator>
#include <optional>
#include <thread>

#include "core/base/assert.hpp"
#include "core/base/error.hpp"
#include "core/base/number.hpp"
#include "core/base/utf8.hpp"
#include "core/geo/crs.hpp"
#include "core/geo/extent.hpp"
#include "core/geo/osgrid.hpp"
#include "core/geo/shared_transform_cache.hpp"
#include "core/geocode/geocoder.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/detail/gdal.hpp"
#include <cpl_conv.h>
#include "layers/io/detail/ordered_pipeline.hpp"

namespace hotspot::layers {

using core::IngestCounts;
using core::IssueCode;
using core::RowIssue;

// [SECTION] Helpers ------------------------------------------------------------------

namespace {

constexpr std::size_t kRawKeep = 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string quote(std::string_view s) {
  if (s.size() > 60) return "'" + std::string(s.substr(0, 57)) + "...'";
  return "'" + std::string(s) + "'";
}

std::string fmt_coord(double v) {
  char buf[32];
  const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : std::string("?");
}

uint8_t grid_ref_score(int digits) {
  switch (digits) {
    case 10: return 100;
    case 8: return 95;
    case 6: return 80;
    case 4: return 50;
    case 2: return 20;
    default: return 5;
  }
}

}  // namespace

std::optional<InputFormat> parse_input_format(std::string_view name) {
  if (name == "police-uk" || name == "police_uk" || name == "policeuk") return InputFormat::police_uk;
  if (name == "csv") return InputFormat::csv;
  if (name == "ogr") return InputFormat::ogr;
  if (name == "auto" || name.empty()) return InputFormat::automatic;
  return std::nullopt;
}

const char* input_format_name(InputFormat f) {
  switch (f) {
    case InputFormat::automatic: return "auto";
    case InputFormat::police_uk: return "police-uk";
    case InputFormat::csv: return "csv";
    case InputFormat::ogr: return "ogr";
  }
  return "auto";
}

bool is_police_uk_header(std::span<const std::string> names) {
  CsvHeader h;
  h.names.assign(names.begin(), names.end());
  return h.find("Month") >= 0 && h.find("Longitude") >= 0 && h.find("Latitude") >= 0 &&
         h.find("Crime type") >= 0 && h.find("LSOA code") >= 0;
}

// [SECTION] Schema -------------------------------------------------------------------

namespace {

enum class LocMode { lonlat, xy, grid_ref, address, none };

// How one file's columns become an incident. Column indexes are 0-based, -1 = absent.
struct Schema {
  std::string source;  // file name as given
  InputFormat format = InputFormat::csv;
  std::size_t field_count = 0;
  std::vector<std::string> names;
  LocMode loc = LocMode::lonlat;
  int lon = -1, lat = -1, x = -1, y = -1, grid = -1;
  std::vector<int> address;            // geocoded address columns
  int postcode = -1, uprn = -1;        // ... with an optional postcode and UPRN
  int epsg = 27700;
  bool police_month = false;  // police.uk Month column (YYYY-MM)
  int date = -1;
  core::DateFormat date_format = core::DateFormat::automatic();
  bool windows = false;  // IngestOptions::time_windows / date_to_column
  int date_to = -1;
  int category = -1;
  std::optional<core::CategoryId> category_const;
  int area = -1;
  int crime_id = -1;  // police.uk "Crime ID": rows without one are not compared for duplicates
  // What the location columns are called, for messages.
  std::string loc_label() const {
    switch (loc) {
      case LocMode::lonlat: return names[static_cast<std::size_t>(lon)] + "/" + names[static_cast<std::size_t>(lat)];
      case LocMode::xy: return names[static_cast<std::size_t>(x)] + "/" + names[static_cast<std::size_t>(y)];
      case LocMode::grid_ref: return names[static_cast<std::size_t>(grid)];
      case LocMode::address: return names[static_cast<std::size_t>(address.front())];
      case LocMode::none: break;
    }
    return "location";
  }
  [[nodiscard]] bool needs_transform() const {
    return loc == LocMode::lonlat || (loc == LocMode::xy && epsg != core::kWorkingEpsg);
  }
  [[nodiscard]] std::string transform_from() const {
    return loc == LocMode::lonlat ? "EPSG:4326" : "EPSG:" + std::to_string(epsg);
  }
};

std::string list_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

int require_column(const CsvHeader& h, const std::string& source, const std::string& name,
                   const char* option) {
  const int i = h.find(name);
  if (i < 0)
    throw UsageError(source + ": column '" + name + "' (" + option + ") not found; the columns are: " +
                     list_names(h.names));
  return i;
}

Schema make_schema(const CsvHeader& h, const std::string& source, InputFormat requested,
                   const IngestOptions& o, const core::Taxonomy& taxonomy) {
  Schema s;
  s.source = source;
  s.names = h.names;
  s.field_count = h.names.size();
  const bool police = is_police_uk_header(h.names);
  if (requested == InputFormat::automatic) {
    if (h.find("Outcome type") >= 0 && h.find("Crime type") < 0)
      throw InputError(source + ":1: error: this is a data.police.uk outcomes file, not a street-level "
                       "crimes file (use the *-street.csv files)");
    if (h.find("Part of a policing operation") >= 0)
      throw InputError(source + ":1: error: this is a data.police.uk stop-and-search file, not a "
                       "street-level crimes file");
    requested = police && o.location.empty() ? InputFormat::police_uk : InputFormat::csv;
  }
  s.format = requested;
  if (requested == InputFormat::police_uk) {
    if (!police)
      throw InputError(source + ":1: error: not a data.police.uk street-level CSV: the header needs "
                       "Month, Longitude, Latitude, LSOA code and Crime type; it has: " +
                       list_names(h.names));
    s.loc = LocMode::lonlat;
    s.lon = h.find("Longitude");
    s.lat = h.find("Latitude");
    if (o.time_windows || !o.date_to_column.empty())
      throw UsageError(source + ": data.police.uk files give months only: they have no times for time windows");
    s.police_month = true;
    s.date = h.find("Month");
    s.category = h.find("Crime type");
    s.area = h.find("LSOA code");
    s.crime_id = h.find("Crime ID");
    return s;
  }
  // Generic CSV: everything comes from the mapping.
  const auto& L = o.location;
  if (!L.address.empty()) {
    if (!o.geocoder) throw UsageError("--address needs a gazetteer to geocode with (--gazetteer / --postcodes)");
    s.loc = LocMode::address;
    for (const auto& c : L.address) s.address.push_back(require_column(h, source, c, "--address"));
    if (!L.postcode.empty()) s.postcode = require_column(h, source, L.postcode, "--postcode");
    if (!L.uprn.empty()) s.uprn = require_column(h, source, L.uprn, "--uprn");
  } else if (!L.lon.empty() || !L.lat.empty()) {
    if (L.lon.empty() || L.lat.empty()) throw UsageError("give both --lon and --lat");
    s.loc = LocMode::lonlat;
    s.lon = require_column(h, source, L.lon, "--lon");
    s.lat = require_column(h, source, L.lat, "--lat");
  } else if (!L.x.empty() || !L.y.empty()) {
    if (L.x.empty() || L.y.empty()) throw UsageError("give both --x and --y");
    s.loc = LocMode::xy;
    s.x = require_column(h, source, L.x, "--x");
    s.y = require_column(h, source, L.y, "--y");
    s.epsg = L.epsg;
  } else if (!L.grid_ref.empty()) {
    s.loc = LocMode::grid_ref;
    s.grid = require_column(h, source, L.grid_ref, "--grid-ref");
  } else {
    throw UsageError(source + ": not a data.police.uk street-level file, so say where the location is: "
                     "--lon/--lat, --x/--y [--crs EPSG:n] or --grid-ref; the columns are: " +
                     list_names(h.names));
  }
  if (o.date_column.empty())
    throw UsageError(source + ": give the date column with --date; the columns are: " + list_names(h.names));
  s.date = require_column(h, source, o.date_column, "--date");
  auto fmt = o.date_format == "auto" || o.date_format.empty() ? core::DateFormat::automatic()
                                                               : core::DateFormat::parse(o.date_format).value();
  s.date_format = std::move(fmt);
  s.windows = o.time_windows || !o.date_to_column.empty();
  if (!o.date_to_column.empty()) s.date_to = require_column(h, source, o.date_to_column, "--date-to");
  if (!o.category_column.empty()) {
    s.category = require_column(h, source, o.category_column, "--category");
  } else if (!o.category_value.empty()) {
    s.category_const = taxonomy.find(o.category_value);
    if (!s.category_const)
      throw UsageError("--category-value '" + o.category_value + "' is not a known crime type");
  } else {
    throw UsageError(source + ": give --category COLUMN or --category-value NAME; the columns are: " +
                     list_names(h.names));
  }
  if (!o.area_column.empty()) s.area = require_column(h, source, o.area_column, "--area");
  return s;
}

// [SECTION] Row processing -----------------------------------------------------------

struct Part {
  core::IncidentTable table;
  std::vector<TimeWindow> windows;  // per table row, when the schema asks for them
  std::vector<uint64_t> keys;       // per table row, IngestOptions::report_duplicates (0 = none)
  std::vector<RowIssue> issues;
  IngestCounts counts;
  uint64_t blank = 0;
  uint64_t bytes = 0;
};

// Per-worker state: the worker's own PROJ transformer (PROJ objects are per thread),
// used behind the cache all workers share for that source CRS.
struct WorkerState {
  std::optional<core::Transformer> transformer;
  std::string from;
  std::optional<core::geocode::Geocoder::Session> geocoder;  // address columns
  std::string address;                                        // joined address text
};

// One shared coordinate cache per source CRS, for all workers and files.
class Caches {
 public:
  core::SharedTransformCache& get(const std::string& from) {
    std::lock_guard lock(m_mutex);
    auto& c = m_caches[from];
    if (!c) c = std::make_unique<core::SharedTransformCache>();
    return *c;
  }
  uint64_t hits() const {
    uint64_t h = 0;
    for (const auto& [k, c] : m_caches) h += c->hits();
    return h;
  }
  uint64_t misses() const {
    uint64_t m = 0;
    for (const auto& [k, c] : m_caches) m += c->misses();
    return m;
  }

 private:
  std::mutex m_mutex;
  std::map<std::string, std::unique_ptr<core::SharedTransformCache>> m_caches;
};

struct Context {
  const core::Taxonomy* taxonomy;
  const IngestOptions* options;
  Caches* caches = nullptr;
};

// One input row, given as fields; returns false (and records one issue) when rejected.
class RowBuilder {
 public:
  RowBuilder(const Schema& s, const Context& ctx, Part& part, uint16_t source, WorkerState* worker = nullptr)
      : m_s(s), m_ctx(ctx), m_part(part), m_source(source), m_worker(worker) {}

  void reject(uint64_t line, uint32_t column, IssueCode code, std::string message, std::string_view raw) {
    RowIssue i;
    i.source = m_s.source;
    i.line = line;
    i.column = column;
    if (column > 0 && column <= m_s.names.size()) i.field = m_s.names[column - 1];
    i.code = code;
    i.message = std::move(message);
    i.raw = std::string(raw.substr(0, kRawKeep));
    m_part.issues.push_back(std::move(i));
    ++m_part.counts.rejected;
    ++m_part.counts.by_code[static_cast<std::size_t>(code)];
  }

  // Returns true when the row was added to the part's table. `given` is a location
  // already known in BNG (an OGR point geometry), used instead of location columns.
  bool add(std::span<const std::string_view> f, uint64_t line, std::string_view raw,
           const core::IncidentTable::Row* given = nullptr) {
    ++m_part.counts.read;
    if (f.size() != m_s.field_count) {
      reject(line, 0, IssueCode::field_count,
             "row has " + std::to_string(f.size()) + " fields, the header has " +
                 std::to_string(m_s.field_count) + delimiter_hint(f, raw),
             raw);
      return false;
    }
    core::IncidentTable::Row row;
    row.source = m_source;
    row.line = static_cast<uint32_t>(line);
    if (given) {
      row.x_m = given->x_m;
      row.y_m = given->y_m;
      row.method = given->method;
      row.score = given->score;
    } else if (!locate(f, line, raw, row)) {
      return false;
    }
    if (!date(f, line, raw, row)) return false;
    if (!category(f, line, raw, row)) return false;
    if (m_s.area >= 0) {
      const auto code = trim(f[static_cast<std::size_t>(m_s.area)]);
      if (!utf8_ok(code, m_s.area, line, raw)) return false;
      row.area = code.empty() ? StringPool::kEmpty : m_part.table.area_codes().intern(code);
    }
    if (m_s.windows) m_part.windows.push_back(m_window);
    if (m_ctx.options->report_duplicates) m_part.keys.push_back(given ? 0 : row_key(f, raw));
    m_part.table.push_back(row);
    return true;
  }

 private:
  static uint32_t col(int i) { return static_cast<uint32_t>(i + 1); }

  // Why a row may have the wrong number of fields: a single field holding another
  // delimiter (a file whose rows are split differently from its header).
  std::string delimiter_hint(std::span<const std::string_view> f, std::string_view raw) const {
    if (f.size() != 1 || m_s.field_count < 2) return {};
    for (const char d : {',', ';', '\t', '|'})
      if (raw.find(d) != std::string_view::npos)
        return std::string(" (it is split by ") + (d == '\t' ? std::string("tabs") : "'" + std::string(1, d) + "'") +
               ", the header is not)";
    return {};
  }

  // Duplicate-row key: a hash of the whole record; 0 = not compared. police.uk rows
  // without a Crime ID (anti-social behaviour) are not compared: identical ones are
  // separate incidents at the same anonymised point. (A Crime ID alone is no key:
  // police.uk publishes one crime at several locations under one ID.)
  uint64_t row_key(std::span<const std::string_view> f, std::string_view raw) const {
    if (m_s.crime_id >= 0 && trim(f[static_cast<std::size_t>(m_s.crime_id)]).empty()) return 0;
    const uint64_t h = std::hash<std::string_view>{}(raw);
    return h == 0 ? 1 : h;
  }

  // Text the table keeps (category, area code) must be UTF-8: Windows-1252 exports
  // ("\x96" for an en dash) are refused with the byte and where it is.
  bool utf8_ok(std::string_view text, int column, uint64_t line, std::string_view raw) {
    const std::size_t bad = core::first_invalid_utf8(text);
    if (bad == std::string_view::npos) return true;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[bad])));
    reject(line, col(column), IssueCode::bad_encoding,
           m_s.names[static_cast<std::size_t>(column)] + " is not UTF-8 (byte " + hex + " at character " +
               std::to_string(bad + 1) + "; a Windows-1252 export? save the file as UTF-8)",
           raw);
    return false;
  }

  bool locate(std::span<const std::string_view> f, uint64_t line, std::string_view raw,
              core::IncidentTable::Row& row) {
    switch (m_s.loc) {
      case LocMode::lonlat: {
        double lon = 0, lat = 0;
        const auto slon = f[static_cast<std::size_t>(m_s.lon)], slat = f[static_cast<std::size_t>(m_s.lat)];
        const auto a = parse_double(slon, lon), b = parse_double(slat, lat);
        if (a == NumberStatus::empty && b == NumberStatus::empty) {
          reject(line, col(m_s.lon), IssueCode::no_location,
                 "no location: " + m_s.loc_label() + " are empty", raw);
          return false;
        }
        if (!number_ok(a, slon, m_s.lon, line, raw) || !number_ok(b, slat, m_s.lat, line, raw)) return false;
        if (!core::is_plausible_uk_lonlat(lon, lat)) {
          if (core::looks_swapped_lonlat(lon, lat))
            reject(line, col(m_s.lon), IssueCode::swapped_lonlat,
                   m_s.loc_label() + " " + fmt_coord(lon) + ", " + fmt_coord(lat) +
                       " look swapped (a latitude in the longitude column)",
                   raw);
          else if (core::looks_like_bng_given_as_lonlat(lon, lat))
            reject(line, col(m_s.lon), IssueCode::outside_uk,
                   m_s.loc_label() + " " + fmt_coord(lon) + ", " + fmt_coord(lat) +
                       " look like easting/northing in metres, not longitude/latitude (use --x/--y)",
                   raw);
          else
            reject(line, col(m_s.lon), IssueCode::outside_uk,
                   m_s.loc_label() + " " + fmt_coord(lon) + ", " + fmt_coord(lat) + " is outside the UK",
                   raw);
          return false;
        }
        row.x_m = lon;  // transformed per chunk
        row.y_m = lat;
        row.method = core::GeocodeMethod::lonlat;
        row.score = 100;
        return true;
      }
      case LocMode::xy: {
        double x = 0, y = 0;
        const auto sx = f[static_cast<std::size_t>(m_s.x)], sy = f[static_cast<std::size_t>(m_s.y)];
        const auto a = parse_double(sx, x), b = parse_double(sy, y);
        if (a == NumberStatus::empty && b == NumberStatus::empty) {
          reject(line, col(m_s.x), IssueCode::no_location, "no location: " + m_s.loc_label() + " are empty",
                 raw);
          return false;
        }
        if (!number_ok(a, sx, m_s.x, line, raw) || !number_ok(b, sy, m_s.y, line, raw)) return false;
        if (m_s.epsg == core::kWorkingEpsg && !core::is_on_bng_grid(x, y)) {
          if (core::is_plausible_uk_lonlat(x, y) || core::looks_swapped_lonlat(x, y))
            reject(line, col(m_s.x), IssueCode::outside_uk,
                   m_s.loc_label() + " " + fmt_coord(x) + ", " + fmt_coord(y) +
                       " look like longitude/latitude in degrees, not easting/northing (use --lon/--lat)",
                   raw);
          else
            reject(line, col(m_s.x), IssueCode::outside_uk,
                   m_s.loc_label() + " " + fmt_coord(x) + ", " + fmt_coord(y) +
                       " is outside the British National Grid",
                   raw);
          return false;
        }
        row.x_m = x;
        row.y_m = y;
        row.method = core::GeocodeMethod::xy;
        row.score = 100;
        return true;
      }
      case LocMode::grid_ref: {
        const auto text = trim(f[static_cast<std::size_t>(m_s.grid)]);
        if (text.empty()) {
          reject(line, col(m_s.grid), IssueCode::no_location, "no location: " + m_s.loc_label() + " is empty",
                 raw);
          return false;
        }
        auto g = core::parse_grid_reference(text);
        if (!g) {
          reject(line, col(m_s.grid), IssueCode::bad_grid_reference, g.error().message, raw);
          return false;
        }
        const core::Point c = g->centre();
        row.x_m = c.x();
        row.y_m = c.y();
        row.method = core::GeocodeMethod::grid_reference;
        row.score = grid_ref_score(g->digits);
        return true;
      }
      case LocMode::address: return geocode(f, line, raw, row);
      case LocMode::none: break;
    }
    return false;
  }

  // Address columns through the geocoder (core/geocode): method and score from its result.
  bool geocode(std::span<const std::string_view> f, uint64_t line, std::string_view raw, core::IncidentTable::Row& row) {
    HOTSPOT_ASSERT(m_worker && m_ctx.options->geocoder);
    WorkerState& w = *m_worker;
    if (!w.geocoder) w.geocoder.emplace(m_ctx.options->geocoder->session());
    w.address.clear();
    for (int c : m_s.address) {
      const auto text = trim(f[static_cast<std::size_t>(c)]);
      if (text.empty()) continue;
      if (!w.address.empty()) w.address += ", ";
      w.address += text;
    }
    const auto postcode = m_s.postcode >= 0 ? f[static_cast<std::size_t>(m_s.postcode)] : std::string_view{};
    const auto uprn = m_s.uprn >= 0 ? f[static_cast<std::size_t>(m_s.uprn)] : std::string_view{};
    const core::geocode::GeocodeResult g = w.geocoder->geocode(w.address, postcode, uprn);
    if (!g.matched()) {
      std::string msg = std::string("not geocoded (") + core::geocode::reason_name(g.reason) + ")";
      if (!w.geocoder->explanation().empty()) msg += ": " + w.geocoder->explanation();
      reject(line, col(m_s.address.front()), IssueCode::not_geocoded, std::move(msg), raw);
      return false;
    }
    row.x_m = g.x_m;
    row.y_m = g.y_m;
    row.method = core::geocode::incident_method(g.method);
    row.score = g.score;
    return true;
  }

  bool number_ok(NumberStatus st, std::string_view text, int column, uint64_t line, std::string_view raw) {
    const std::string& name = m_s.names[static_cast<std::size_t>(column)];
    switch (st) {
      case NumberStatus::ok: return true;
      case NumberStatus::empty:
        reject(line, col(column), IssueCode::no_location, "no location: " + name + " is empty", raw);
        return false;
      case NumberStatus::not_a_number:
        reject(line, col(column), IssueCode::bad_number, name + " " + quote(trim(text)) + " is not a number",
               raw);
        return false;
      case NumberStatus::not_finite:
        reject(line, col(column), IssueCode::bad_number, name + " " + quote(trim(text)) + " is not finite",
               raw);
        return false;
    }
    return false;
  }

  bool date(std::span<const std::string_view> f, uint64_t line, std::string_view raw,
            core::IncidentTable::Row& row) {
    const auto text = f[static_cast<std::size_t>(m_s.date)];
    const std::string& name = m_s.names[static_cast<std::size_t>(m_s.date)];
    if (m_s.police_month) {
      auto m = core::parse_month(trim(text));
      if (!m) {
        reject(line, col(m_s.date), IssueCode::bad_date, name + ": " + m.error().message, raw);
        return false;
      }
      row.month = *m;
      row.day = core::kNoDay;
    } else {
      auto d = m_s.date_format.read(text);
      if (!d) {
        reject(line, col(m_s.date), IssueCode::bad_date, name + ": " + d.error().message, raw);
        return false;
      }
      row.month = d->month;
      row.day = d->day;
      if (m_s.windows && !window(f, line, raw, *d)) return false;
    }
    const auto& o = *m_ctx.options;
    if ((o.first_month && row.month < *o.first_month) || (o.last_month && row.month > *o.last_month)) {
      reject(line, col(m_s.date), IssueCode::out_of_period,
             name + " " + quote(trim(text)) + " is outside the study period " +
                 (o.first_month ? core::format_month(*o.first_month) : std::string("...")) + " to " +
                 (o.last_month ? core::format_month(*o.last_month) : std::string("...")),
             raw);
      return false;
    }
    return true;
  }

  // The row's time window (IngestOptions::time_windows) from its parsed date and
  // the optional date-to column.
  bool window(std::span<const std::string_view> f, uint64_t line, std::string_view raw, const core::ParsedDate& d) {
    const std::string& name = m_s.names[static_cast<std::size_t>(m_s.date)];
    if (d.day == core::kNoDay) {
      reject(line, col(m_s.date), IssueCode::bad_date, name + ": a month without a day cannot give a time window", raw);
      return false;
    }
    constexpr int64_t kDay = 1440;
    m_window.from_minute = static_cast<int64_t>(d.day) * kDay + std::max<int32_t>(0, d.minute_of_day);
    m_window.to_minute = d.minute_of_day >= 0 ? m_window.from_minute + 1 : (static_cast<int64_t>(d.day) + 1) * kDay;
    if (m_s.date_to < 0) return true;
    const auto text = f[static_cast<std::size_t>(m_s.date_to)];
    if (trim(text).empty()) return true;
    const std::string& to_name = m_s.names[static_cast<std::size_t>(m_s.date_to)];
    auto e = m_s.date_format.read(text);
    if (!e || e->day == core::kNoDay) {
      reject(line, col(m_s.date_to), IssueCode::bad_date,
             to_name + ": " + (e ? std::string("a month without a day") : e.error().message), raw);
      return false;
    }
    const int64_t to = e->minute_of_day >= 0 ? static_cast<int64_t>(e->day) * kDay + e->minute_of_day + 1
                                             : (static_cast<int64_t>(e->day) + 1) * kDay;
    if (to <= m_window.from_minute) {
      reject(line, col(m_s.date_to), IssueCode::bad_date,
             to_name + " " + quote(trim(text)) + " is before " + name + " " +
                 quote(trim(f[static_cast<std::size_t>(m_s.date)])),
             raw);
      return false;
    }
    m_window.to_minute = to;
    return true;
  }

  bool category(std::span<const std::string_view> f, uint64_t line, std::string_view raw,
                core::IncidentTable::Row& row) {
    if (m_s.category_const) {
      row.category = *m_s.category_const;
      return true;
    }
    const auto text = trim(f[static_cast<std::size_t>(m_s.category)]);
    const std::string& name = m_s.names[static_cast<std::size_t>(m_s.category)];
    if (!utf8_ok(text, m_s.category, line, raw)) return false;
    if (text.empty()) {
      reject(line, col(m_s.category), IssueCode::missing_category, name + " is empty", raw);
      return false;
    }
    auto id = m_ctx.taxonomy->find(text);
    if (!id) {
      reject(line, col(m_s.category), IssueCode::unknown_category,
             "unknown crime type " + quote(text) + " in " + name +
                 " (map it in the study's [categories] section)",
             raw);
      return false;
    }
    row.category = *id;
    return true;
  }

  const Schema& m_s;
  const Context& m_ctx;
  Part& m_part;
  uint16_t m_source;
  WorkerState* m_worker;  // the chunk's worker (address geocoding); null for OGR
  TimeWindow m_window;    // the current row's, when the schema asks for windows
};

// Transforms the part's coordinates to BNG and applies the study-area test; rows
// that fail either are removed and become issues. `raws` holds each row's raw text.
void finish_part(Part& part, const Schema& s, const Context& ctx, WorkerState& ws,
                 const std::vector<std::string_view>& raws) {
  auto& t = part.table;
  if (t.empty()) return;
  std::vector<bool> keep;
  auto drop = [&](std::size_t i, IssueCode code, std::string msg) {
    if (keep.empty()) keep.assign(t.size(), true);
    if (!keep[i]) return;
    keep[i] = false;
    RowIssue issue;
    issue.source = s.source;
    issue.line = t.line()[i];
    issue.code = code;
    issue.message = std::move(msg);
    issue.raw = std::string(raws[i].substr(0, kRawKeep));
    part.issues.push_back(std::move(issue));
    --part.counts.accepted;
    ++part.counts.rejected;
    ++part.counts.by_code[static_cast<std::size_t>(code)];
  };
  part.counts.accepted += t.size();

  if (s.needs_transform()) {
    const std::string from = s.transform_from();
    if (!ws.transformer || ws.from != from) {
      ws.transformer.emplace(core::Transformer::create(from, "EPSG:27700"));
      ws.from = from;
    }
    auto x = t.x_m_mut();
    auto y = t.y_m_mut();
    const std::size_t failed = ctx.caches->get(from).transform(*ws.transformer, x, y);
    // The raw row (in the rejects file) holds the original coordinates.
    for (std::size_t i = 0; i < t.size() && (failed > 0 || s.loc == LocMode::xy); ++i) {
      if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
        drop(i, IssueCode::transform_failed,
             s.loc_label() + " could not be transformed from " + from + " to EPSG:27700");
      else if (s.loc == LocMode::xy && !core::is_on_bng_grid(x[i], y[i]))
        drop(i, IssueCode::outside_uk,
             s.loc_label() + " (" + from + ") transform to " + fmt_coord(std::round(x[i])) + ", " +
                 fmt_coord(std::round(y[i])) + ", outside the British National Grid");
    }
  }
  if (const core::AreaSet* area = ctx.options->study_area) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!keep.empty() && !keep[i]) continue;
      if (area->locate(t.x_m()[i], t.y_m()[i]) == core::AreaSet::kNone)
        drop(i, IssueCode::outside_study_area,
             "easting/northing " + fmt_coord(std::round(t.x_m()[i])) + ", " + fmt_coord(std::round(t.y_m()[i])) +
                 " is outside the study area");
    }
  }
  if (!keep.empty() && !part.keys.empty()) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < keep.size(); ++i)
      if (keep[i]) part.keys[w++] = part.keys[i];
    part.keys.resize(w);
  }
  if (!keep.empty() && !part.windows.empty()) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < keep.size(); ++i)
      if (keep[i]) part.windows[w++] = part.windows[i];
    part.windows.resize(w);
  }
  if (!keep.empty()) {
    std::vector<char> mask(keep.begin(), keep.end());
    t.filter(std::span<const bool>(reinterpret_cast<const bool*>(mask.data()), mask.size()));
  }
  std::stable_sort(part.issues.begin(), part.issues.end(),
                   [](const RowIssue& a, const RowIssue& b) { return a.line < b.line; });
}

// [SECTION] CSV files ----------------------------------------------------------------

void process_chunk(const CsvChunk& chunk, const Schema& s, const Context& ctx, WorkerState& ws, Part& part,
                   char delimiter, double bytes_per_line) {
  part.bytes = chunk.bad == CsvBad::none ? chunk.bytes.size() : chunk.bad_length;
  const uint16_t src = part.table.add_source(s.source);
  // One reservation per chunk from the file's sampled bytes per line (+25%).
  const auto expected_rows =
      static_cast<std::size_t>(static_cast<double>(chunk.bytes.size()) / std::max(bytes_per_line, 8.0) * 1.25) + 16;
  part.table.reserve(expected_rows);
  RowBuilder builder(s, ctx, part, src, &ws);
  std::vector<std::string_view> raws;
  raws.reserve(expected_rows);
  part.blank = parse_records(chunk, delimiter, [&](const CsvRecord& r) {
    if (r.bad != CsvBad::none) {
      ++part.counts.read;
      if (r.bad == CsvBad::unterminated_quote)
        builder.reject(r.line, 0, IssueCode::unterminated_quote,
                       "a quoted field opens on this line and never closes; the line is rejected and "
                       "reading resumes on the next line",
                       r.raw);
      else
        builder.reject(r.line, 0, IssueCode::record_too_long,
                       "line of " + std::to_string(chunk.bad_length) + " bytes is longer than the limit", r.raw);
      return;
    }
    if (builder.add(r.fields, r.line, r.raw)) raws.push_back(r.raw);
  });
  finish_part(part, s, ctx, ws, raws);
}

}  // namespace

// [SECTION] OGR layers ------------------------------------------------------------

namespace {

void ingest_ogr(const std::string& path, const core::Taxonomy& taxonomy, const IngestOptions& o,
                IngestResult& result, FileSummary& summary);

}  // namespace

// [SECTION] ingest() -------------------------------------------------------------

namespace {

struct FileTotals {
  uint64_t bytes = 0;
};

// Earlier accepted rows by key (IngestOptions::report_duplicates): open addressing
// over two parallel arrays (12 bytes a slot, at most 3/4 full): 16-32 bytes per
// compared row, not the ~40 of a node-based map plus its allocations.
class DuplicateIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  // The table row that had `key` first, or kNone (and `row` is remembered).
  uint32_t check(uint64_t key, uint32_t row) {
    if ((m_used + 1) * 4 > m_keys.size() * 3) grow();
    std::size_t i = slot(key);
    while (m_keys[i] != 0) {
      if (m_keys[i] == key) return m_rows[i];
      i = (i + 1) & (m_keys.size() - 1);
    }
    m_keys[i] = key;
    m_rows[i] = row;
    ++m_used;
    return kNone;
  }

 private:
  std::size_t slot(uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & (m_keys.size() - 1);
  }
  void grow() {
    std::vector<uint64_t> keys(std::max<std::size_t>(1024, m_keys.size() * 2), 0);
    std::vector<uint32_t> rows(keys.size());
    keys.swap(m_keys);
    rows.swap(m_rows);
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (keys[k] == 0) continue;
      std::size_t i = slot(keys[k]);
      while (m_keys[i] != 0) i = (i + 1) & (m_keys.size() - 1);
      m_keys[i] = keys[k];
      m_rows[i] = rows[k];
    }
  }
  std::vector<uint64_t> m_keys;  // 0 = empty slot
  std::vector<uint32_t> m_rows;
  std::size_t m_used = 0;
};

// Reports the part's rows (just appended to `table`) that repeat earlier rows, as
// warnings merged into part.issues in line order.
void report_duplicates(Part& part, const core::IncidentTable& table, DuplicateIndex& index) {
  if (part.keys.empty()) return;
  HOTSPOT_ASSERT(part.keys.size() == part.table.size());
  const std::size_t base = table.size() - part.table.size();
  std::vector<RowIssue> warnings;
  for (std::size_t i = 0; i < part.keys.size(); ++i) {
    if (part.keys[i] == 0) continue;
    const auto row = static_cast<uint32_t>(base + i);
    const uint32_t first = index.check(part.keys[i], row);
    if (first == DuplicateIndex::kNone) continue;
    const std::string& here = table.source_name(table.source()[row]);
    const std::string& there = table.source_name(table.source()[first]);
    RowIssue w;
    w.source = here;
    w.line = table.line()[row];
    w.code = IssueCode::duplicate_row;
    w.severity = core::Severity::warning;
    w.message = "duplicate of " + (there == here ? std::string("line ") : there + ":") +
                std::to_string(table.line()[first]) + " (kept; remove one if it was exported twice)";
    warnings.push_back(std::move(w));
  }
  if (warnings.empty()) return;
  part.counts.warnings += warnings.size();
  part.counts.by_code[static_cast<std::size_t>(IssueCode::duplicate_row)] += warnings.size();
  std::vector<RowIssue> merged;
  merged.reserve(part.issues.size() + warnings.size());
  std::merge(std::make_move_iterator(part.issues.begin()), std::make_move_iterator(part.issues.end()),
             std::make_move_iterator(warnings.begin()), std::make_move_iterator(warnings.end()),
             std::back_inserter(merged), [](const RowIssue& a, const RowIssue& b) { return a.line < b.line; });
  part.issues = std::move(merged);
}

// Bytes per line of a file, from newlines counted in four 64 KiB samples spread over
// it (exact for small files). Files are often ordered by crime type (police.uk ASB
// rows are shorter), so the first chunk alone is a biased sample.
double bytes_per_line(const std::string& path, uint64_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 100.0;
  constexpr std::size_t kSample = 64u << 10;
  std::vector<char> buf(kSample);
  uint64_t bytes = 0, lines = 0;
  const int samples = size <= 4 * kSample ? 1 : 4;
  for (int k = 0; k < samples; ++k) {
    const auto offset = static_cast<off_t>(samples == 1 ? 0 : size / 4 * static_cast<uint64_t>(k));
    const ssize_t n = ::pread(fd, buf.data(), samples == 1 ? kSample : kSample, offset);
    if (n <= 0) break;
    bytes += static_cast<uint64_t>(n);
    lines += static_cast<uint64_t>(std::count(buf.begin(), buf.begin() + n, '\n'));
  }
  ::close(fd);
  return lines ? static_cast<double>(bytes) / static_cast<double>(lines) : 100.0;
}

bool looks_like_csv(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".csv" || ext == ".tsv" || ext == ".txt";
}

}  // namespace

IngestResult ingest(std::span<const std::string> paths, const core::Taxonomy& taxonomy,
                    const IngestOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  IngestResult result;
  result.issues = core::IssueLog(options.keep_issues);
  if (options.issue_sink) result.issues.set_sink(options.issue_sink);
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  result.threads = threads;
  Caches caches;
  const Context ctx{&taxonomy, &options, &caches};

  // Reserve the table once for every file, so its columns never reallocate (a
  // reallocation would briefly double memory); reserved pages that stay unused cost
  // address space, not memory.
  uint64_t total_bytes = 0;
  double estimated_rows = 0;
  std::vector<double> file_bpl;
  for (const auto& p : paths) {
    std::error_code ec;
    const auto sz = std::filesystem::file_size(p, ec);
    if (ec) {
      file_bpl.push_back(100.0);
      continue;
    }
    total_bytes += sz;
    file_bpl.push_back(bytes_per_line(p, sz));
    estimated_rows += static_cast<double>(sz) / file_bpl.back();
  }
  result.table.reserve(static_cast<std::size_t>(estimated_rows * 1.05) + 1024);
  uint64_t done_bytes = 0;
  std::size_t file_index = 0;
  std::vector<WorkerState> workers(threads);
  DuplicateIndex duplicates;

  for (const auto& path : paths) {
    const double bpl = file_index < file_bpl.size() ? file_bpl[file_index] : 100.0;
    ++file_index;
    FileSummary summary;
    summary.path = path;
    const bool csv = options.format == InputFormat::police_uk || options.format == InputFormat::csv ||
                     (options.format == InputFormat::automatic && looks_like_csv(path));
    if (!csv) {
      summary.format = InputFormat::ogr;
      ingest_ogr(path, taxonomy, options, result, summary);
      result.counts.add(summary.counts);
      result.files.push_back(std::move(summary));
      continue;
    }
    CsvOptions copt;
    copt.delimiter = options.delimiter;
    copt.max_record_bytes = options.max_record_bytes;
    CsvChunker chunker(path, copt);
    const Schema schema = make_schema(chunker.header(), path, options.format, options, taxonomy);
    summary.format = schema.format;
    const char delim = chunker.header().delimiter;

    detail::run_ordered<CsvChunk, Part>(
        threads, 2 * threads + 2, [&](CsvChunk& c) { return chunker.next(c); },
        [&](CsvChunk& c, Part& part, unsigned w) { process_chunk(c, schema, ctx, workers[w], part, delim, bpl); },
        [&](Part& part) {
          result.table.append(part.table);
          report_duplicates(part, result.table, duplicates);
          result.windows.insert(result.windows.end(), part.windows.begin(), part.windows.end());
          if (options.on_rows && !part.table.empty()) options.on_rows(part.table);
          for (auto& issue : part.issues) result.issues.add(std::move(issue));
          summary.counts.add(part.counts);
          summary.blank_lines += part.blank;
          done_bytes += part.bytes;
          if (options.progress) options.progress(done_bytes, total_bytes);
        });
    result.counts.add(summary.counts);
    result.blank_lines += summary.blank_lines;
    result.files.push_back(std::move(summary));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  result.transform_cache_hits = caches.hits();
  result.transform_cache_misses = caches.misses();
  // The pipeline used, from a worker's transformer (building one costs tens of ms).
  for (const auto& w : workers)
    if (w.transformer) {
      result.transform_pipeline = w.transformer->definition();
      break;
    }
  return result;
}

// [SECTION] OGR implementation -----------------------------------------------------

namespace {

void ingest_ogr(const std::string& path, const core::Taxonomy& taxonomy, const IngestOptions& o,
                IngestResult& result, FileSummary& summary) {
  detail::ensure_gdal();
  detail::check_local_source(path);
  detail::CplErrorCapture errors;
  detail::DatasetPtr ds(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) throw IoError(path + ": cannot open as a vector data source: " + errors.message_or("unknown format"));
  OGRLayerH layer = nullptr;
  if (o.ogr_layer.empty()) {
    if (GDALDatasetGetLayerCount(ds.get()) < 1) throw InputError(path + ": error: the data source has no layers");
    layer = GDALDatasetGetLayer(ds.get(), 0);
  } else {
    layer = GDALDatasetGetLayerByName(ds.get(), o.ogr_layer.c_str());
    if (!layer) {
      std::vector<std::string> names;
      for (int i = 0; i < GDALDatasetGetLayerCount(ds.get()); ++i)
        names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds.get(), i)));
      throw UsageError(path + ": layer '" + o.ogr_layer + "' not found; the layers are: " + list_names(names));
    }
  }
  if (!o.location.address.empty())
    throw UsageError(path + ": --address geocodes CSV inputs; the features of an OGR layer carry their own points");
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  CsvHeader h;
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
    h.names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));

  // Attributes map as for a CSV; the location is the point geometry.
  Schema s;
  s.source = path;
  s.format = InputFormat::ogr;
  s.names = h.names;
  s.field_count = h.names.size();
  s.loc = LocMode::none;
  if (o.date_column.empty()) {
    s.date = h.find("Month");
    s.police_month = s.date >= 0;
    if (s.date < 0) throw UsageError(path + ": give the date field with --date; the fields are: " + list_names(h.names));
  } else {
    s.date = require_column(h, path, o.date_column, "--date");
    if (o.date_format != "auto" && !o.date_format.empty()) s.date_format = core::DateFormat::parse(o.date_format).value();
  }
  s.windows = o.time_windows || !o.date_to_column.empty();
  if (s.windows && s.police_month)
    throw UsageError(path + ": the Month field gives months only: no times for time windows (give --date)");
  if (!o.date_to_column.empty()) s.date_to = require_column(h, path, o.date_to_column, "--date-to");
  if (!o.category_column.empty()) {
    s.category = require_column(h, path, o.category_column, "--category");
  } else if (!o.category_value.empty()) {
    s.category_const = taxonomy.find(o.category_value);
    if (!s.category_const) throw UsageError("--category-value '" + o.category_value + "' is not a known crime type");
  } else if (h.find("Crime type") >= 0) {
    s.category = h.find("Crime type");
  } else {
    throw UsageError(path + ": give --category FIELD or --category-value NAME; the fields are: " + list_names(h.names));
  }
  if (!o.area_column.empty()) s.area = require_column(h, path, o.area_column, "--area");

  // The layer's CRS (or --crs when the layer has none) to BNG.
  std::optional<core::Transformer> transformer;
  bool geographic = false;
  if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer)) {
    geographic = OSRIsGeographic(srs) != 0;
    const char* name = OSRGetAuthorityName(srs, nullptr);
    const char* code = OSRGetAuthorityCode(srs, nullptr);
    const bool is_bng = name && code && std::string(name) == "EPSG" && std::string(code) == "27700";
    if (!is_bng) {
      char* wkt = nullptr;
      const char* wkt_opts[] = {"FORMAT=WKT2_2019", nullptr};
      OSRExportToWktEx(srs, &wkt, wkt_opts);
      const std::string text = wkt ? wkt : "";
      CPLFree(wkt);
      transformer.emplace(core::Transformer::create(text, "EPSG:27700"));
    }
  } else if (o.location.epsg != core::kWorkingEpsg) {
    transformer.emplace(core::Transformer::create("EPSG:" + std::to_string(o.location.epsg), "EPSG:27700"));
    geographic = o.location.epsg == 4326;
  }

  Part part;
  const uint16_t src = part.table.add_source(path);
  Caches caches;
  const Context ctx{&taxonomy, &o, &caches};
  RowBuilder builder(s, ctx, part, src);
  std::vector<std::string> storage(h.names.size());
  std::vector<std::string_view> views(h.names.size());
  std::deque<std::string> raw_store;  // stable addresses for the raw views
  std::vector<std::string_view> raws;
  uint64_t index = 0;
  bool zero_based_fids = false;
  OGR_L_ResetReading(layer);
  for (;;) {
    detail::FeaturePtr f(OGR_L_GetNextFeature(layer));
    if (!f) break;
    ++index;
    const GIntBig fid = OGR_F_GetFID(f.get());
    // The FID names the feature (GeoPackage FIDs start at 1), but GeoJSON numbers its
    // features from 0, and line 0 means "the whole file" in an issue: count those from 1.
    if (index == 1) zero_based_fids = fid == 0;
    const uint64_t line = fid < 0 ? index : static_cast<uint64_t>(fid) + (zero_based_fids ? 1 : 0);
    for (int i = 0; i < static_cast<int>(h.names.size()); ++i) {
      auto& st = storage[static_cast<std::size_t>(i)];
      const auto type = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i));
      if (!OGR_F_IsFieldSetAndNotNull(f.get(), i)) {
        st.clear();
      } else if (type == OFTDate || type == OFTDateTime) {
        int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
        float ss = 0;
        OGR_F_GetFieldAsDateTimeEx(f.get(), i, &y, &m, &d, &hh, &mm, &ss, &tz);
        char buf[40];
        if (type == OFTDate) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        else std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, hh, mm, static_cast<int>(ss));
        st = buf;
      } else {
        st = OGR_F_GetFieldAsString(f.get(), i);
      }
      views[static_cast<std::size_t>(i)] = st;
    }
    std::string raw = "feature " + std::to_string(line);
    for (const auto& v : views) {
      raw += ',';
      raw += v;
    }
    OGRGeometryH g = OGR_F_GetGeometryRef(f.get());
    if (!g || OGR_G_IsEmpty(g) || wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint) {
      ++part.counts.read;
      builder.reject(line, 0, IssueCode::bad_geometry,
                     "feature " + std::to_string(line) + " has " +
                         (!g ? std::string("no geometry")
                             : OGR_G_IsEmpty(g) ? std::string("an empty geometry")
                                                : std::string("a ") + OGR_G_GetGeometryName(g) + ", not a point"),
                     raw);
      continue;
    }
    double x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0);
    core::IncidentTable::Row given;
    given.method = geographic ? core::GeocodeMethod::lonlat : core::GeocodeMethod::xy;
    given.score = 100;
    if (transformer) {
      const core::Point p = transformer->transform(x, y);
      x = p.x();
      y = p.y();
    }
    if (!std::isfinite(x) || !std::isfinite(y) || !core::is_on_bng_grid(x, y)) {
      ++part.counts.read;
      builder.reject(line, 0, IssueCode::outside_uk,
                     "feature " + std::to_string(line) + " point " + fmt_coord(OGR_G_GetX(g, 0)) + ", " +
                         fmt_coord(OGR_G_GetY(g, 0)) + " is outside the British National Grid",
                     raw);
      continue;
    }
    given.x_m = x;
    given.y_m = y;
    if (builder.add(views, line, raw, &given)) {
      raw_store.push_back(std::move(raw));
      raws.push_back(raw_store.back());
    }
  }
  WorkerState ws;  // coordinates are already in BNG: finish_part only checks the study area
  finish_part(part, s, ctx, ws, raws);
  result.table.append(part.table);
  result.windows.insert(result.windows.end(), part.windows.begin(), part.windows.end());
  if (o.on_rows && !part.table.empty()) o.on_rows(part.table);
  for (auto& issue : part.issues) result.issues.add(std::move(issue));
  summary.counts.add(part.counts);
}

}  // namespace

std::vector<std::string> expand_globs(std::span<const std::string> patterns) {
  std::vector<std::string> out;
  for (const auto& pattern : patterns) {
    detail::check_local_source(pattern);  // before "no such file": say why
    const bool has_magic = pattern.find_first_of("*?[") != std::string::npos;
    if (!has_magic) {
      std::error_code ec;
      if (!std::filesystem::exists(pattern, ec)) throw UsageError(pattern + ": no such file");
      out.push_back(pattern);
      continue;
    }
    glob_t g{};
    const int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
    if (rc == GLOB_NOMATCH || g.gl_pathc == 0) {
      ::globfree(&g);
      throw UsageError(pattern + ": no files match this pattern");
    }
    if (rc != 0) {
      ::globfree(&g);
      throw UsageError(pattern + ": cannot expand the pattern");
    }
    std::vector<std::string> matched(g.gl_pathv, g.gl_pathv + g.gl_pathc);
    ::globfree(&g);
    std::sort(matched.begin(), matched.end());
    out.insert(out.end(), matched.begin(), matched.end());
  }
  return out;
}

}  // namespace hotspot::layers
