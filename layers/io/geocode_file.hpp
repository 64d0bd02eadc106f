#pragma once
// geocode_csv(): the engine of `hotspot geocode`: every row of a CSV file located
// (geocoded from address columns, or read from coordinate columns), optionally
// assigned to a polygon layer, and written out with the input columns untouched.
//
// Output (DESIGN.md): every input column exactly as it was (the raw bytes of the
// record), then
//   x,y,method,score,precision_m                      always
//   area_code[,area_name]                             with options.areas
//   match,note                                        with options.explain
// x/y are EPSG:27700 metres (2 decimals). method is a core::geocode method name
// ("address", "address_fuzzy", "street", "junction", "postcode", ...; "lonlat", "xy",
// "grid_reference" for coordinate columns), or "unmatched:<reason>" with empty x/y and
// precision (reason: empty, not_found, ambiguous, conflict, below_threshold; for
// coordinate columns no_location, bad_number, outside_uk, bad_grid_reference); score is
// 0-100 (for an unmatched row, the best score that was rejected, if any). Rows that are
// not records (a quote that never closes, a line over the size limit) or have the wrong
// number of fields are not written; they, and every unmatched row, go to the issue sink
// (the rejects file) with their line number: read = written + bad.
//
// How (three passes, so memory stays ~40 bytes per row whatever the row width):
//   1. chunks of the file are parsed and located on `threads` workers, in order;
//   2. the located points are assigned to areas with AreaSet::locate_many (all cores);
//   3. the file is read again and each record is written with its results appended.
// Deterministic: the same output for any thread count.
//
// The hit rate is counted by area: the polygon of the point (or, for an unmatched row,
// of its postcode's centroid) when options.areas is given, else the ONS ward code
// Code-Point Open gives the postcode; "" when neither is known. Located points that
// fall in no polygon are counted (under the area "(outside)") and their lines listed
// (the first list_outside).
//
// @throws IoError, UsageError (a column that does not exist), InputError (no header).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/geocode/geocoder.hpp"
#include "core/geocode/hit_rate.hpp"
#include "core/incidents/issues.hpp"
#include "layers/io/ingest.hpp"

namespace hotspot::core {
class AreaSet;
}

namespace hotspot::layers {

struct GeocodeFileOptions {
  std::vector<std::string> address_columns;  // joined with ", " when several
  std::string postcode_column, uprn_column;
  LocationColumns coordinates;               // instead of addresses: lon/lat, x/y or grid_ref
  const core::geocode::Geocoder* geocoder = nullptr;  // required with address columns
  const core::AreaSet* areas = nullptr;      // polygons to assign located rows to
  bool area_names = true;                    // with areas: also write area_name
  bool explain = false;                      // add match,note columns
  unsigned threads = 0;                      // 0 = all cores
  char delimiter = 0;                        // 0 = detect
  std::size_t max_record_bytes = 16u << 20;
  std::size_t list_outside = 100;
  core::IssueLog::Sink issue_sink;           // every rejected/unmatched row, in order
  std::function<void(uint64_t done_bytes, uint64_t total_bytes)> progress;
  std::vector<std::filesystem::path> inputs; // files the output must not overwrite
};

struct GeocodeFileResult {
  uint64_t rows = 0;       // data records read (header and blank lines excluded)
  uint64_t written = 0;    // rows written to the output
  uint64_t bad = 0;        // rows not written (broken quoting, wrong field count)
  uint64_t matched = 0, unmatched = 0;  // of the written rows
  core::geocode::HitRate hit_rate;
  uint64_t assigned = 0;   // located rows that fell in a polygon
  uint64_t outside = 0;    // located rows in no polygon
  std::vector<uint64_t> outside_lines;
  // Rows (or the header) that were not UTF-8: read as Windows-1252 and written as UTF-8.
  uint64_t cp1252_rows = 0;
  uint64_t first_cp1252_line = 0;  // 0: none
  double locate_s = 0;     // pass 1: parse + geocode (or transform)
  double assign_s = 0;     // pass 2: point in polygon (wall time, all cores)
  double write_s = 0;      // pass 3
  // Process CPU time (user + sys, every thread) of each pass: the figure to read when
  // the machine is shared and wall times are inflated by the other load.
  double locate_cpu_s = 0, assign_cpu_s = 0, write_cpu_s = 0;
  unsigned threads = 1;
  uint64_t transform_cache_hits = 0, transform_cache_misses = 0;
};

GeocodeFileResult geocode_csv(const std::filesystem::path& in, const std::filesystem::path& out,
                              const GeocodeFileOptions& options);

}  // namespace hotspot::layers
