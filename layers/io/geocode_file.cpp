// [SECTION] index
//  - Row results (compact, per row)
//  - Pass 1: locate (geocode or read coordinates), parallel and ordered
//  - Pass 2: areas and the hit rate
//  - Pass 3: write

#include "layers/io/geocode_file.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include <time.h>  // clock_gettime(CLOCK_PROCESS_CPUTIME_ID)

#include "core/base/error.hpp"
#include "core/base/number.hpp"
#include "core/base/utf8.hpp"
#include "core/geo/crs.hpp"
#include "core/geo/extent.hpp"
#include "core/geo/osgrid.hpp"
#include "core/geo/shared_transform_cache.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/csv_writer.hpp"
#include "layers/io/detail/ordered_pipeline.hpp"

namespace hotspot::layers {

namespace geo = core::geocode;
using core::IssueCode;
using core::RowIssue;

namespace {

// [SECTION] Row results ----------------------------------------------------------------

constexpr std::size_t kRawKeep = 1024;
constexpr uint32_t kNone = geo::Gazetteer::kNone;
// The hit-rate "area" of located rows that fall in no polygon.
constexpr std::string_view kOutsideArea = "(outside)";

// Methods of coordinate columns (after the geocoder's MatchMethod values).
enum : uint8_t { kLonLat = 20, kXy = 21, kGridRef = 22 };
// Reasons of coordinate columns (after UnmatchedReason values).
enum : uint8_t { kNoLocation = 10, kBadNumber = 11, kOutsideUk = 12, kBadGridRef = 13, kTransformFailed = 14 };

struct RowMeta {
  uint64_t line = 0;  // physical line of the record
  float precision_m = 0;
  uint32_t postcode = kNone;
  uint32_t address = kNone;
  uint32_t street = kNone;
  uint8_t score = 0;
  uint8_t method = static_cast<uint8_t>(geo::MatchMethod::none);
  uint8_t reason = 0;
  bool bad = false;  // not a usable record: not written
  [[nodiscard]] bool located() const { return method != static_cast<uint8_t>(geo::MatchMethod::none); }
};

const char* method_text(uint8_t m) {
  switch (m) {
    case kLonLat: return "lonlat";
    case kXy: return "xy";
    case kGridRef: return "grid_reference";
    default: return geo::method_name(static_cast<geo::MatchMethod>(m));
  }
}

const char* reason_text(uint8_t r) {
  switch (r) {
    case kNoLocation: return "no_location";
    case kBadNumber: return "bad_number";
    case kOutsideUk: return "outside_uk";
    case kBadGridRef: return "bad_grid_reference";
    case kTransformFailed: return "transform_failed";
    default: return geo::reason_name(static_cast<geo::UnmatchedReason>(r));
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string list_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

int require(const CsvHeader& h, const std::string& source, const std::string& name, const char* option) {
  const int i = h.find(name);
  if (i < 0)
    throw UsageError(source + ": column '" + name + "' (" + option + ") not found; the columns are: " +
                     list_names(h.names));
  return i;
}

// Which columns hold what.
struct Schema {
  std::vector<int> address;
  int postcode = -1, uprn = -1;
  int lon = -1, lat = -1, x = -1, y = -1, grid = -1;
  std::string transform_from;  // non-empty: coordinates need PROJ
  std::size_t fields = 0;
  [[nodiscard]] bool geocoding() const { return !address.empty(); }
};

// Per worker: a geocoding session, a transformer, scratch.
struct Worker {
  std::optional<geo::Geocoder::Session> session;
  std::optional<core::Transformer> transformer;
  std::string joined;
};

// One chunk's results.
struct Part {
  uint64_t seq = 0;
  uint64_t bytes = 0;
  std::vector<double> x, y;
  std::vector<RowMeta> meta;
  std::vector<std::string> notes;  // with explain
  std::vector<RowIssue> issues;
};

// [SECTION] Pass 1: locate -------------------------------------------------------------

class Locator {
 public:
  Locator(const Schema& s, const GeocodeFileOptions& o, const std::string& source, core::SharedTransformCache& cache)
      : m_s(s), m_o(o), m_source(source), m_cache(cache) {}

  void process(const CsvChunk& chunk, char delim, Part& part, Worker& w) const {
    part.seq = chunk.seq;
    part.bytes = chunk.bad == CsvBad::none ? chunk.bytes.size() : chunk.bad_length;
    std::vector<std::size_t> to_transform;
    parse_records(chunk, delim, [&](const CsvRecord& r) {
      RowMeta m;
      m.line = r.line;
      double x = std::numeric_limits<double>::quiet_NaN(), y = x;
      std::string note;
      if (r.bad != CsvBad::none) {
        m.bad = true;
        issue(part, r.line, 0, r.bad == CsvBad::unterminated_quote ? IssueCode::unterminated_quote : IssueCode::record_too_long,
              r.bad == CsvBad::unterminated_quote
                  ? "a quoted field opens on this line and never closes; the line is rejected and reading resumes on "
                    "the next line"
                  : "line of " + std::to_string(chunk.bad_length) + " bytes is longer than the limit",
              r.raw);
      } else if (r.fields.size() != m_s.fields) {
        m.bad = true;
        issue(part, r.line, 0, IssueCode::field_count,
              "row has " + std::to_string(r.fields.size()) + " fields, the header has " + std::to_string(m_s.fields),
              r.raw);
      } else if (m_s.geocoding()) {
        geocode(r, w, m, x, y, part, note);
      } else {
        read_coordinates(r, m, x, y, part);
        if (m.located() && !m_s.transform_from.empty()) to_transform.push_back(part.x.size());
      }
      part.x.push_back(x);
      part.y.push_back(y);
      part.meta.push_back(m);
      if (m_o.explain) part.notes.push_back(std::move(note));
    });
    if (!to_transform.empty()) {
      transform(part, w, to_transform);
      std::stable_sort(part.issues.begin(), part.issues.end(),
                       [](const RowIssue& a, const RowIssue& b) { return a.line < b.line; });
    }
  }

 private:
  void issue(Part& part, uint64_t line, uint32_t column, IssueCode code, std::string message,
             std::string_view raw) const {
    RowIssue i;
    i.source = m_source;
    i.line = line;
    i.column = column;
    i.code = code;
    i.message = std::move(message);
    i.raw = std::string(raw.substr(0, kRawKeep));
    part.issues.push_back(std::move(i));
  }

  void geocode(const CsvRecord& r, Worker& w, RowMeta& m, double& x, double& y, Part& part, std::string& note) const {
    if (!w.session) w.session.emplace(m_o.geocoder->session());
    std::string_view address;
    if (m_s.address.size() == 1) {
      address = r.fields[static_cast<std::size_t>(m_s.address[0])];
    } else {
      w.joined.clear();
      for (int c : m_s.address) {
        const std::string_view f = trim(r.fields[static_cast<std::size_t>(c)]);
        if (f.empty()) continue;
        if (!w.joined.empty()) w.joined += ", ";
        w.joined += f;
      }
      address = w.joined;
    }
    const std::string_view postcode = m_s.postcode >= 0 ? r.fields[static_cast<std::size_t>(m_s.postcode)] : std::string_view{};
    const std::string_view uprn = m_s.uprn >= 0 ? r.fields[static_cast<std::size_t>(m_s.uprn)] : std::string_view{};
    const geo::GeocodeResult g = w.session->geocode(address, postcode, uprn);
    m.score = g.score;
    m.postcode = g.postcode;
    m.address = g.address;
    m.street = g.street;
    if (m_o.explain) note = w.session->explanation();
    if (g.matched()) {
      x = g.x_m;
      y = g.y_m;
      m.precision_m = g.precision_m;
      m.method = static_cast<uint8_t>(g.method);
      return;
    }
    m.reason = static_cast<uint8_t>(g.reason);
    std::string msg = std::string("not geocoded (") + geo::reason_name(g.reason) + ")";
    if (!w.session->explanation().empty()) msg += ": " + w.session->explanation();
    issue(part, r.line, static_cast<uint32_t>(m_s.address[0] + 1), IssueCode::not_geocoded, std::move(msg), r.raw);
  }

  void reject(const CsvRecord& r, RowMeta& m, uint8_t reason, int column, IssueCode code, std::string message,
              Part& part) const {
    m.reason = reason;
    issue(part, r.line, static_cast<uint32_t>(column + 1), code, std::move(message), r.raw);
  }

  void read_coordinates(const CsvRecord& r, RowMeta& m, double& x, double& y, Part& part) const {
    auto f = [&](int i) { return trim(r.fields[static_cast<std::size_t>(i)]); };
    if (m_s.grid >= 0) {
      const std::string_view text = f(m_s.grid);
      if (text.empty()) return reject(r, m, kNoLocation, m_s.grid, IssueCode::no_location, "no location: the grid reference is empty", part);
      auto g = core::parse_grid_reference(text);
      if (!g) return reject(r, m, kBadGridRef, m_s.grid, IssueCode::bad_grid_reference, g.error().message, part);
      const core::Point c = g->centre();
      x = c.x();
      y = c.y();
      m.method = kGridRef;
      m.score = 100;
      m.precision_m = static_cast<float>(g->precision_m * std::sqrt(0.5));
      return;
    }
    const int ca = m_s.lon >= 0 ? m_s.lon : m_s.x, cb = m_s.lon >= 0 ? m_s.lat : m_s.y;
    double a = 0, b = 0;
    const auto sa = parse_double(f(ca), a), sb = parse_double(f(cb), b);
    if (sa == NumberStatus::empty && sb == NumberStatus::empty)
      return reject(r, m, kNoLocation, ca, IssueCode::no_location, "no location: the coordinates are empty", part);
    if (sa != NumberStatus::ok || sb != NumberStatus::ok) {
      const int bad = sa != NumberStatus::ok ? ca : cb;
      return reject(r, m, kBadNumber, bad, IssueCode::bad_number, "'" + std::string(f(bad)) + "' is not a number", part);
    }
    if (m_s.lon >= 0 && !core::is_plausible_uk_lonlat(a, b))
      return reject(r, m, kOutsideUk, ca, core::looks_swapped_lonlat(a, b) ? IssueCode::swapped_lonlat : IssueCode::outside_uk,
                    "longitude/latitude " + std::string(f(ca)) + ", " + std::string(f(cb)) + " is outside the UK", part);
    if (m_s.lon < 0 && m_s.transform_from.empty() && !core::is_on_bng_grid(a, b))
      return reject(r, m, kOutsideUk, ca, IssueCode::outside_uk,
                    "easting/northing " + std::string(f(ca)) + ", " + std::string(f(cb)) + " is outside the British National Grid",
                    part);
    x = a;
    y = b;
    m.method = m_s.lon >= 0 ? kLonLat : kXy;
    m.score = 100;
  }

  void transform(Part& part, Worker& w, const std::vector<std::size_t>& rows) const {
    if (!w.transformer) w.transformer.emplace(core::Transformer::create(m_s.transform_from, "EPSG:27700"));
    std::vector<double> xs(rows.size()), ys(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
      xs[k] = part.x[rows[k]];
      ys[k] = part.y[rows[k]];
    }
    m_cache.transform(*w.transformer, xs, ys);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t i = rows[k];
      if (!std::isfinite(xs[k]) || !std::isfinite(ys[k]) || !core::is_on_bng_grid(xs[k], ys[k])) {
        part.meta[i].method = static_cast<uint8_t>(geo::MatchMethod::none);
        part.meta[i].reason = kTransformFailed;
        part.x[i] = part.y[i] = std::numeric_limits<double>::quiet_NaN();
        issue(part, part.meta[i].line, 0, IssueCode::transform_failed,
              "coordinates could not be transformed from " + m_s.transform_from + " to EPSG:27700", {});
        continue;
      }
      part.x[i] = xs[k];
      part.y[i] = ys[k];
    }
  }

  const Schema& m_s;
  const GeocodeFileOptions& m_o;
  const std::string& m_source;
  core::SharedTransformCache& m_cache;
};

// [SECTION] Pass 3: write --------------------------------------------------------------

// CPU time of the whole process (all threads), seconds.
double process_cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Fixed notation with `decimals` places (std::to_chars: exact like printf, ~10x faster).
void append_number(std::string& out, double v, int decimals) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (ec == std::errc()) out.append(buf, static_cast<std::size_t>(end - buf));
}

}  // namespace

GeocodeFileResult geocode_csv(const std::filesystem::path& in, const std::filesystem::path& out,
                              const GeocodeFileOptions& o) {
  GeocodeFileResult result;
  const std::string source = in.string();
  const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  result.threads = threads;

  CsvOptions copt;
  copt.delimiter = o.delimiter;
  copt.max_record_bytes = o.max_record_bytes;
  CsvChunker chunker(in, copt);
  const CsvHeader header = chunker.header();
  const char delim = header.delimiter;
  Schema s;
  s.fields = header.names.size();
  if (!o.address_columns.empty()) {
    if (!o.geocoder) throw UsageError("--address needs a gazetteer (--gazetteer, --postcodes or --index)");
    for (const auto& c : o.address_columns) s.address.push_back(require(header, source, c, "--address"));
    if (!o.postcode_column.empty()) s.postcode = require(header, source, o.postcode_column, "--postcode");
    if (!o.uprn_column.empty()) s.uprn = require(header, source, o.uprn_column, "--uprn");
  } else if (!o.coordinates.lon.empty() || !o.coordinates.lat.empty()) {
    if (o.coordinates.lon.empty() || o.coordinates.lat.empty()) throw UsageError("give both --lon and --lat");
    s.lon = require(header, source, o.coordinates.lon, "--lon");
    s.lat = require(header, source, o.coordinates.lat, "--lat");
    s.transform_from = "EPSG:4326";
  } else if (!o.coordinates.x.empty() || !o.coordinates.y.empty()) {
    if (o.coordinates.x.empty() || o.coordinates.y.empty()) throw UsageError("give both --x and --y");
    s.x = require(header, source, o.coordinates.x, "--x");
    s.y = require(header, source, o.coordinates.y, "--y");
    if (o.coordinates.epsg != core::kWorkingEpsg) s.transform_from = "EPSG:" + std::to_string(o.coordinates.epsg);
  } else if (!o.coordinates.grid_ref.empty()) {
    s.grid = require(header, source, o.coordinates.grid_ref, "--grid-ref");
  } else {
    throw UsageError(source + ": say where the location is: --address COL [--postcode COL] (with a gazetteer), "
                              "--lon/--lat, --x/--y or --grid-ref; the columns are: " + list_names(header.names));
  }

  // Pass 1.
  const auto t1 = std::chrono::steady_clock::now();
  const double c1 = process_cpu_s();
  core::SharedTransformCache cache;
  const Locator locator(s, o, source, cache);
  std::vector<Worker> workers(threads);
  std::vector<double> xs, ys;
  std::vector<RowMeta> meta;
  std::vector<std::string> notes;
  std::vector<uint64_t> chunk_first;     // first row of each chunk, by seq
  const uint64_t total_bytes = chunker.file_bytes();
  uint64_t done_bytes = 0;
  detail::run_ordered<CsvChunk, Part>(
      threads, 2 * threads + 2, [&](CsvChunk& c) { return chunker.next(c); },
      [&](CsvChunk& c, Part& p, unsigned w) { locator.process(c, delim, p, workers[w]); },
      [&](Part& p) {
        if (chunk_first.size() <= p.seq) chunk_first.resize(p.seq + 1, 0);
        chunk_first[p.seq] = meta.size();
        xs.insert(xs.end(), p.x.begin(), p.x.end());
        ys.insert(ys.end(), p.y.begin(), p.y.end());
        meta.insert(meta.end(), p.meta.begin(), p.meta.end());
        for (auto& n : p.notes) notes.push_back(std::move(n));
        for (auto& issue : p.issues)
          if (o.issue_sink) o.issue_sink(issue);
        done_bytes += p.bytes;
        if (o.progress) o.progress(done_bytes, total_bytes);
      });
  result.locate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  result.locate_cpu_s = process_cpu_s() - c1;
  result.transform_cache_hits = cache.hits();
  result.transform_cache_misses = cache.misses();
  result.rows = meta.size();
  for (const RowMeta& m : meta) {
    if (m.bad) ++result.bad;
    else if (m.located()) ++result.matched;
    else ++result.unmatched;
  }
  result.written = result.rows - result.bad;

  // Pass 2: areas, then the hit rate by area.
  std::vector<uint32_t> area(meta.size(), core::AreaSet::kNone);
  if (o.areas) {
    const auto t2 = std::chrono::steady_clock::now();
    const double c2 = process_cpu_s();
    o.areas->locate_many(xs, ys, area, threads);
    result.assign_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count();
    result.assign_cpu_s = process_cpu_s() - c2;
    for (std::size_t i = 0; i < meta.size(); ++i) {
      if (!meta[i].located()) continue;
      if (area[i] != core::AreaSet::kNone) {
        ++result.assigned;
      } else {
        ++result.outside;
        if (result.outside_lines.size() < o.list_outside) result.outside_lines.push_back(meta[i].line);
      }
    }
  }
  if (s.geocoding()) {
    const geo::Gazetteer& gz = o.geocoder->gazetteer();
    for (std::size_t i = 0; i < meta.size(); ++i) {
      const RowMeta& m = meta[i];
      if (m.bad) continue;
      geo::GeocodeResult g;
      g.method = static_cast<geo::MatchMethod>(m.method);
      g.reason = static_cast<geo::UnmatchedReason>(m.reason);
      g.score = m.score;
      std::string_view code;
      if (o.areas) {
        uint32_t a = area[i];
        if (!m.located() && m.postcode != kNone) {
          const auto& pc = gz.postcode(m.postcode);
          a = o.areas->locate(pc.x_m, pc.y_m);
        }
        if (a != core::AreaSet::kNone) code = (*o.areas)[a].code;
        else if (m.located()) code = kOutsideArea;
      } else if (m.postcode != kNone) {
        code = gz.text(gz.postcode(m.postcode).ward);
      }
      result.hit_rate.add(g, code);
    }
  }

  // Pass 3: the output, record by record, results appended.
  const auto t3 = std::chrono::steady_clock::now();
  const double c3 = process_cpu_s();
  AtomicOutput output(out, o.inputs);
  std::FILE* file = std::fopen(output.temp_path().c_str(), "wb");
  if (!file) throw IoError(out.string() + ": cannot write");
  struct Closer {
    std::FILE*& f;
    ~Closer() {
      if (f) std::fclose(f);
    }
  } closer{file};
  // Every byte written is UTF-8: rows that are not (Excel's Windows-1252 exports) are
  // read as Windows-1252, converted, and counted.
  std::atomic<uint64_t> cp1252_rows{0}, first_cp1252_line{std::numeric_limits<uint64_t>::max()};
  auto note_cp1252 = [&](uint64_t line) {
    ++cp1252_rows;
    uint64_t seen = first_cp1252_line.load();
    while (line < seen && !first_cp1252_line.compare_exchange_weak(seen, line)) {
    }
  };
  std::string head;
  bool header_cp1252 = false;
  for (std::size_t i = 0; i < header.names.size(); ++i) {
    if (i) head.push_back(delim);
    std::string name;
    header_cp1252 = core::append_utf8_repairing_cp1252(name, header.names[i]) > 0 || header_cp1252;
    append_csv_field(head, name, delim);
  }
  if (header_cp1252) note_cp1252(1);
  for (const char* extra : {"x", "y", "method", "score", "precision_m"}) {
    head.push_back(delim);
    head += extra;
  }
  if (o.areas) {
    head.push_back(delim);
    head += "area_code";
    if (o.area_names) {
      head.push_back(delim);
      head += "area_name";
    }
  }
  if (o.explain) {
    head.push_back(delim);
    head += "match";
    head.push_back(delim);
    head += "note";
  }
  head.push_back('\n');
  bool write_failed = std::fwrite(head.data(), 1, head.size(), file) != head.size();
  CsvChunker again(in, copt);
  const geo::Gazetteer* gz = s.geocoding() ? &o.geocoder->gazetteer() : nullptr;
  detail::run_ordered<CsvChunk, std::string>(
      threads, 2 * threads + 2, [&](CsvChunk& c) { return again.next(c); },
      [&](CsvChunk& c, std::string& text, unsigned) {
        std::size_t row = c.seq < chunk_first.size() ? static_cast<std::size_t>(chunk_first[c.seq]) : meta.size();
        text.reserve(c.bytes.size() + c.bytes.size() / 2);
        std::string field;
        parse_records(c, delim, [&](const CsvRecord& r) {
          HOTSPOT_ASSERT(row < meta.size());
          const RowMeta& m = meta[row];
          if (m.bad) {
            ++row;
            return;
          }
          if (core::append_utf8_repairing_cp1252(text, r.raw) > 0) note_cp1252(r.line);
          text.push_back(delim);
          if (m.located()) {
            append_number(text, xs[row], 2);
            text.push_back(delim);
            append_number(text, ys[row], 2);
            text.push_back(delim);
            text += method_text(m.method);
            text.push_back(delim);
            text += std::to_string(m.score);
            text.push_back(delim);
            if (m.precision_m > 0) append_number(text, static_cast<double>(m.precision_m), 1);
          } else {
            text.push_back(delim);
            text.push_back(delim);
            text += "unmatched:";
            text += reason_text(m.reason);
            text.push_back(delim);
            if (m.score > 0) text += std::to_string(m.score);
            text.push_back(delim);
          }
          if (o.areas) {
            const uint32_t a = area[row];
            text.push_back(delim);
            if (a != core::AreaSet::kNone) append_csv_field(text, (*o.areas)[a].code, delim);
            if (o.area_names) {
              text.push_back(delim);
              if (a != core::AreaSet::kNone) append_csv_field(text, (*o.areas)[a].name, delim);
            }
          }
          if (o.explain) {
            field.clear();
            if (gz && m.address != kNone) field = gz->describe_address(m.address);
            else if (gz && m.street != kNone) field = gz->describe_street(m.street);
            else if (gz && m.located() && m.postcode != kNone)
              field = geo::PostcodeKey::from_bits(gz->postcode(m.postcode).key).text();
            text.push_back(delim);
            append_csv_field(text, field, delim);
            text.push_back(delim);
            append_csv_field(text, row < notes.size() ? notes[row] : std::string(), delim);
          }
          text.push_back('\n');
          ++row;
        });
      },
      [&](std::string& text) {
        if (!write_failed && !text.empty()) write_failed = std::fwrite(text.data(), 1, text.size(), file) != text.size();
      });
  if (write_failed || std::fflush(file) != 0) throw IoError(out.string() + ": write failed (disk full?)");
  std::FILE* done = file;
  file = nullptr;
  if (std::fclose(done) != 0) throw IoError(out.string() + ": write failed");
  output.commit();
  result.cp1252_rows = cp1252_rows.load();
  if (result.cp1252_rows > 0) result.first_cp1252_line = first_cp1252_line.load();
  result.write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t3).count();
  result.write_cpu_s = process_cpu_s() - c3;
  return result;
}

}  // namespace hotspot::layers
