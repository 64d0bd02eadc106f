#pragma once
// Row issues: how every reader accounts for the rows it could not use.
//
// Invariant, tested for every reader: counts.read == counts.accepted + counts.rejected.
// A rejected row produces exactly one RowIssue with severity error; warnings (a kept
// row with something worth saying) never change the counts.
//
// Messages are formatted like a compiler's (tippecanoe, libosmium):
//   "incidents.csv:1042:5: error: latitude 'abc' is not a number"
//
//   IssueLog log(/*keep=*/1000);
//   log.add(RowIssue{...});                  // every issue is counted
//   log.total(IssueCode::no_location);       // by code
//   for (const RowIssue& i : log.kept()) ...  // the first 1000, in input order

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hotspot::core {

enum class IssueCode : uint8_t {
  // Row-shape problems
  field_count,         // the row has fewer/more fields than the header
  unterminated_quote,  // a quoted field never closes; the physical line is rejected
  record_too_long,     // a record longer than the reader's limit
  bad_encoding,        // bytes that are not UTF-8 where text is required
  // Location
  no_location,         // no coordinates at all (police.uk publishes such rows)
  bad_number,          // not a number, NaN or infinite
  outside_uk,          // coordinates outside the UK / the British National Grid
  swapped_lonlat,      // longitude and latitude look swapped (rejected, not fixed)
  outside_study_area,  // inside the UK but outside the study boundary
  bad_grid_reference,  // an OS grid reference that does not parse
  bad_geometry,        // OGR feature with a null, empty or non-point geometry
  transform_failed,    // PROJ could not transform the point
  not_geocoded,        // an address that the geocoder could not place
  // Attributes
  bad_date,            // empty, malformed or impossible date/month
  out_of_period,       // a valid date outside the study period
  unknown_category,    // a crime type the taxonomy does not know
  missing_category,    // the category field is empty
  // Warnings (row kept)
  duplicate_row,       // an identical row was seen before
  kCount               // not a code: the number of codes
};
inline constexpr std::size_t kIssueCodeCount = static_cast<std::size_t>(IssueCode::kCount);

// Stable machine name, used in rejects files and JSON ("no_location").
const char* issue_code_name(IssueCode code);
// One-line human description ("no location (police.uk publishes some crimes without one)").
const char* describe(IssueCode code);

enum class Severity : uint8_t { error, warning };

struct RowIssue {
  std::string source;   // file name as given on the command line / in the study
  uint64_t line = 0;    // 1-based physical line (CSV) or feature index/FID (OGR); 0 = file
  uint32_t column = 0;  // 1-based field number, 0 = the whole row
  std::string field;    // field name when known ("Latitude")
  IssueCode code = IssueCode::bad_number;
  Severity severity = Severity::error;
  std::string message;  // "latitude 'abc' is not a number"
  std::string raw;      // the raw record text (for the rejects file), may be truncated
};

// "file:line:col: error: message" (col omitted when 0; line omitted when 0).
std::string format_issue(const RowIssue& issue);

struct IngestCounts {
  uint64_t read = 0;      // data records seen (header excluded)
  uint64_t accepted = 0;  // records that became incidents
  uint64_t rejected = 0;  // records with an error issue
  uint64_t warnings = 0;
  std::array<uint64_t, kIssueCodeCount> by_code{};

  void add(const IngestCounts& other);
  [[nodiscard]] bool balanced() const { return read == accepted + rejected; }
};

// Collects issues: counts all of them, keeps the first `keep` in full, and passes
// every one to an optional sink (the CLI streams them to the rejects file).
class IssueLog {
 public:
  using Sink = std::function<void(const RowIssue&)>;

  explicit IssueLog(std::size_t keep = 1000) : m_keep(keep) {}
  void set_sink(Sink sink) { m_sink = std::move(sink); }

  void add(RowIssue issue);
  // Appends another log's kept issues and totals (used to merge per-chunk logs in
  // input order). The other log must not have dropped any issue (keep large enough).
  void append(IssueLog&& other);

  [[nodiscard]] const std::vector<RowIssue>& kept() const { return m_kept; }
  [[nodiscard]] uint64_t total() const { return m_total; }
  [[nodiscard]] uint64_t total(IssueCode code) const {
    return m_by_code[static_cast<std::size_t>(code)];
  }
  [[nodiscard]] uint64_t dropped() const { return m_total - m_kept.size(); }
  void clear();

 private:
  std::size_t m_keep;
  std::vector<RowIssue> m_kept;
  uint64_t m_total = 0;
  std::array<uint64_t, kIssueCodeCount> m_by_code{};
  Sink m_sink;
};

}  // namespace hotspot::core
