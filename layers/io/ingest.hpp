#pragma once
// ingest(): read incident files into one IncidentTable in British National Grid,
// accounting for every row.
//
// Inputs, detected per file (or forced with IngestOptions::format):
// - data.police.uk street-level CSV (the 12-column header; located by Longitude/
//   Latitude, dated by Month, typed by "Crime type", LSOA code kept as the area code);
// - any other CSV/TSV with a column mapping: lon/lat (WGS84), x/y with an EPSG code,
//   or an OS grid reference; a date column with a format; a category column or one
//   category for the whole file; an optional area-code column;
// - any OGR point layer (GeoPackage, GeoJSON, Shapefile, ...) with the same field mapping.
//
// CSV files are streamed in chunks and parsed on `threads` workers; the result is
// identical for any thread count. Each worker transforms lon/lat through its own
// PROJ transformer behind an exact cache (police.uk repeats coordinates heavily).
//
// Every data row ends up accepted (a row of the table) or rejected (one error issue
// with file, line, column and reason); counts.read == accepted + rejected, per file
// and in total. Whole-file problems (unreadable, not CSV, missing columns) throw.
//
//   IngestOptions opt;                       // police.uk files need no mapping
//   IngestResult r = ingest(expand_globs({"data/2023-*-street.csv"}), tax, opt);
//   r.table.size();  r.counts.rejected;  r.issues.kept();
//
// @throws IoError (cannot open/read), UsageError (bad mapping: a column that does
//         not exist, names the available columns), InputError (a file that cannot be
//         this format: "file:1: error: ...").

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/incidents/incident_table.hpp"
#include "core/incidents/issues.hpp"
#include "core/incidents/taxonomy.hpp"

namespace hotspot::core {
class AreaSet;
}
namespace hotspot::core::geocode {
class Geocoder;
}

namespace hotspot::layers {

enum class InputFormat { automatic, police_uk, csv, ogr };
// "police-uk", "csv", "ogr", "auto". nullopt if unknown.
std::optional<InputFormat> parse_input_format(std::string_view name);
const char* input_format_name(InputFormat f);

struct LocationColumns {
  std::string lon, lat;   // WGS84 longitude/latitude columns
  std::string x, y;       // projected easting/northing columns ...
  int epsg = 27700;       // ... in this CRS
  std::string grid_ref;   // an OS grid reference column ("SK 5123 5876")
  // Address columns, geocoded with IngestOptions::geocoder (core/geocode): the text of
  // these columns joined with ", ", plus an optional postcode and UPRN column. Rows the
  // geocoder cannot place are rejected as not_geocoded with its reason.
  std::vector<std::string> address;
  std::string postcode, uprn;
  [[nodiscard]] bool empty() const { return lon.empty() && x.empty() && grid_ref.empty() && address.empty(); }
};

struct IngestOptions {
  InputFormat format = InputFormat::automatic;
  LocationColumns location;        // required for generic CSV / optional for OGR
  std::string date_column;         // generic CSV/OGR; police.uk uses Month
  std::string date_format = "auto";  // see core::DateFormat
  std::string category_column;     // generic CSV/OGR; police.uk uses "Crime type"
  std::string category_value;      // one category for every row (when no column)
  std::string area_column;         // an area code carried by the input (e.g. LSOA)
  std::string ogr_layer;           // OGR layer name; empty = the first layer
  std::optional<core::MonthIndex> first_month, last_month;  // study period, inclusive
  const core::AreaSet* study_area = nullptr;  // reject points outside it
  // Time windows for aoristic analysis (core/stats/hotspot_matrix.hpp): with
  // time_windows or a date_to_column, IngestResult::windows holds each accepted
  // row's [from, to) in minutes since 1970-01-01 on the local clock. from = the date
  // column (its time, or 00:00); to = the date_to_column's date-time + 1 minute (a
  // date alone: the end of that day), or, when there is none or it is empty, the
  // end of the from minute (a time) or of the day (a date). Rows with no day
  // (months only) or a window ending before it starts are rejected (bad_date).
  // police.uk files (months only) cannot give windows: UsageError.
  bool time_windows = false;
  std::string date_to_column;
  // Geocodes location.address columns (layers/io/gazetteer_reader.hpp loads one);
  // borrowed, shared by the workers (each geocodes through its own session).
  const core::geocode::Geocoder* geocoder = nullptr;
  unsigned threads = 0;            // 0 = hardware concurrency
  char delimiter = 0;              // 0 = detect
  std::size_t max_record_bytes = 16u << 20;  // longer CSV records are rejected (record_too_long)
  std::size_t keep_issues = 1000;  // issues kept in memory (all are counted/streamed)
  // Reports accepted rows that repeat an earlier accepted row (of any file of this
  // call) as duplicate_row warnings: the row is kept, counted and listed, never
  // rejected. Rows are compared by their whole text (a 64-bit hash); data.police.uk
  // rows without a Crime ID (anti-social behaviour) are not compared: identical ones
  // are separate incidents at the same anonymised point. OGR features are not
  // compared. Cost while ingest() runs: 8 bytes per row plus a 12-byte slot per
  // compared row at most 3/4 full (measured: +46 MB peak RSS on 1 million police.uk
  // rows); set false to skip it on national-scale runs.
  bool report_duplicates = true;
  core::IssueLog::Sink issue_sink; // receives every issue, in input order
  std::function<void(uint64_t done_bytes, uint64_t total_bytes)> progress;
  // Receives every accepted chunk of rows, in input order, as it is merged (on the
  // calling thread): lets a writer start before reading ends. The rows are also in
  // the result's table.
  std::function<void(const core::IncidentTable& rows)> on_rows;
};

// An incident's possible time: [from, to) in minutes since 1970-01-01 (local clock).
struct TimeWindow {
  int64_t from_minute = 0, to_minute = 0;
};

struct FileSummary {
  std::string path;
  InputFormat format = InputFormat::automatic;
  core::IngestCounts counts;
  uint64_t blank_lines = 0;
};

struct IngestResult {
  core::IncidentTable table;
  std::vector<TimeWindow> windows;  // one per table row when IngestOptions asks for them
  core::IssueLog issues;
  core::IngestCounts counts;
  std::vector<FileSummary> files;
  uint64_t blank_lines = 0;
  uint64_t transform_cache_hits = 0;
  uint64_t transform_cache_misses = 0;
  std::string transform_pipeline;  // the PROJ pipeline used for lon/lat, if any
  double seconds = 0;              // wall time of parse + transform + categorise
  unsigned threads = 1;

  IngestResult() : issues(1000) {}
};

IngestResult ingest(std::span<const std::string> paths, const core::Taxonomy& taxonomy,
                    const IngestOptions& options);

// Expands shell-style patterns ("incidents/2023-*.csv"); plain paths pass through.
// Results are sorted per pattern. @throws UsageError naming a pattern that matches
// nothing or a path that does not exist.
std::vector<std::string> expand_globs(std::span<const std::string> patterns);

// True when a CSV header is data.police.uk's street-level layout.
bool is_police_uk_header(std::span<const std::string> names);

}  // namespace hotspot::layers
