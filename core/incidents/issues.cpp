#include "core/incidents/issues.hpp"

namespace hotspot::core {

const char* issue_code_name(IssueCode code) {
  switch (code) {
    case IssueCode::field_count: return "field_count";
    case IssueCode::unterminated_quote: return "unterminated_quote";
    case IssueCode::record_too_long: return "record_too_long";
    case IssueCode::bad_encoding: return "bad_encoding";
    case IssueCode::no_location: return "no_location";
    case IssueCode::bad_number: return "bad_number";
    case IssueCode::outside_uk: return "outside_uk";
    case IssueCode::swapped_lonlat: return "swapped_lonlat";
    case IssueCode::outside_study_area: return "outside_study_area";
    case IssueCode::bad_grid_reference: return "bad_grid_reference";
    case IssueCode::bad_geometry: return "bad_geometry";
    case IssueCode::transform_failed: return "transform_failed";
    case IssueCode::not_geocoded: return "not_geocoded";
    case IssueCode::bad_date: return "bad_date";
    case IssueCode::out_of_period: return "out_of_period";
    case IssueCode::unknown_category: return "unknown_category";
    case IssueCode::missing_category: return "missing_category";
    case IssueCode::duplicate_row: return "duplicate_row";
    case IssueCode::kCount: break;
  }
  return "unknown";
}

const char* describe(IssueCode code) {
  switch (code) {
    case IssueCode::field_count: return "wrong number of fields";
    case IssueCode::unterminated_quote: return "quoted field never closes";
    case IssueCode::record_too_long: return "record longer than the limit";
    case IssueCode::bad_encoding: return "text is not valid UTF-8";
    case IssueCode::no_location: return "no location (police.uk publishes some crimes without one)";
    case IssueCode::bad_number: return "coordinate is not a finite number";
    case IssueCode::outside_uk: return "coordinates outside the UK";
    case IssueCode::swapped_lonlat: return "longitude and latitude look swapped";
    case IssueCode::outside_study_area: return "outside the study area";
    case IssueCode::bad_grid_reference: return "OS grid reference does not parse";
    case IssueCode::bad_geometry: return "null, empty or non-point geometry";
    case IssueCode::transform_failed: return "coordinate transformation failed";
    case IssueCode::not_geocoded: return "address could not be geocoded";
    case IssueCode::bad_date: return "missing, malformed or impossible date";
    case IssueCode::out_of_period: return "date outside the study period";
    case IssueCode::unknown_category: return "unknown crime type";
    case IssueCode::missing_category: return "crime type is empty";
    case IssueCode::duplicate_row: return "duplicate of an earlier row";
    case IssueCode::kCount: break;
  }
  return "unknown issue";
}

std::string format_issue(const RowIssue& issue) {
  std::string out = issue.source;
  if (issue.line > 0) {
    out += ':';
    out += std::to_string(issue.line);
    if (issue.column > 0) {
      out += ':';
      out += std::to_string(issue.column);
    }
  }
  out += issue.severity == Severity::error ? ": error: " : ": warning: ";
  out += issue.message;
  return out;
}

void IngestCounts::add(const IngestCounts& other) {
  read += other.read;
  accepted += other.accepted;
  rejected += other.rejected;
  warnings += other.warnings;
  for (std::size_t i = 0; i < kIssueCodeCount; ++i) by_code[i] += other.by_code[i];
}

void IssueLog::add(RowIssue issue) {
  ++m_total;
  ++m_by_code[static_cast<std::size_t>(issue.code)];
  if (m_sink) m_sink(issue);
  if (m_kept.size() < m_keep) m_kept.push_back(std::move(issue));
}

void IssueLog::append(IssueLog&& other) {
  for (auto& issue : other.m_kept) add(std::move(issue));
  // Issues the other log counted but did not keep are counted here too.
  const uint64_t unkept = other.m_total - other.m_kept.size();
  if (unkept > 0) {
    m_total += unkept;
    for (std::size_t i = 0; i < kIssueCodeCount; ++i) {
      uint64_t kept_i = 0;
      for (const auto& k : other.m_kept)
        if (static_cast<std::size_t>(k.code) == i) ++kept_i;
      m_by_code[i] += other.m_by_code[i] - kept_i;
    }
  }
  other.clear();
}

void IssueLog::clear() {
  m_kept.clear();
  m_total = 0;
  m_by_code.fill(0);
}

}  // namespace hotspot::core
