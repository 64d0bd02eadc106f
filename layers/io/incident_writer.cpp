#include "layers/io/incident_writer.hpp"

#include <algorithm>
#include <cctype>

#include "core/base/error.hpp"
#include "core/geo/geometry.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv_writer.hpp"
#include "layers/io/gpkg_point_writer.hpp"

namespace hotspot::layers {

namespace {

std::string lower_ext(const std::filesystem::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

void write_csv(const core::IncidentTable& t, const core::Taxonomy& tax, const std::filesystem::path& out,
               std::span<const std::filesystem::path> inputs) {
  CsvWriter w(out, inputs);
  w.row({"source", "line", "x", "y", "month", "date", "category", "area_code", "method", "score"});
  // Month and date strings repeat: format each distinct value once.
  std::vector<std::string> month_text;
  core::MonthIndex month_base = 0;
  if (!t.empty()) {
    const auto [lo, hi] = std::minmax_element(t.month().begin(), t.month().end());
    month_base = *lo;
    for (core::MonthIndex m = *lo; m <= *hi; ++m) month_text.push_back(core::format_month(m));
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    w.field(t.source_name(t.source()[i]));
    w.field(static_cast<uint64_t>(t.line()[i]));
    w.field(t.x_m()[i], 2);
    w.field(t.y_m()[i], 2);
    w.field(month_text[static_cast<std::size_t>(t.month()[i] - month_base)]);
    if (t.day()[i] == core::kNoDay) w.empty_field();
    else w.field(core::format_day(t.day()[i]));
    w.field(tax.get(t.category()[i]).name);
    w.field(t.area_codes().get(t.area()[i]));
    w.field(core::method_name(static_cast<core::GeocodeMethod>(t.method()[i])));
    w.field(static_cast<uint64_t>(t.score()[i]));
    w.end_row();
  }
  w.commit();
}

}  // namespace

std::vector<std::string> add_incident_layer(const core::IncidentTable& t, const core::Taxonomy& tax, const std::filesystem::path& gpkg,
                        const std::string& layer) {
  {
    using FT = FieldType;
    GpkgPointWriter w(gpkg, layer, core::kWorkingEpsg,
                      {{"source", FT::text},   {"line", FT::integer},      {"month", FT::text},
                       {"date", FT::text},     {"category", FT::text},     {"area_code", FT::text},
                       {"method", FT::text},   {"score", FT::integer}});
    std::vector<std::string> month_text;
    core::MonthIndex month_base = 0;
    if (!t.empty()) {
      const auto [lo, hi] = std::minmax_element(t.month().begin(), t.month().end());
      month_base = *lo;
      for (core::MonthIndex m = *lo; m <= *hi; ++m) month_text.push_back(core::format_month(m));
    }
    std::string day;
    for (std::size_t i = 0; i < t.size(); ++i) {
      w.begin_row(t.x_m()[i], t.y_m()[i]);
      w.set(0, std::string_view(t.source_name(t.source()[i])));
      w.set(1, static_cast<int64_t>(t.line()[i]));
      w.set(2, std::string_view(month_text[static_cast<std::size_t>(t.month()[i] - month_base)]));
      if (t.day()[i] == core::kNoDay) {
        w.set_null(3);
      } else {
        day = core::format_day(t.day()[i]);
        w.set(3, std::string_view(day));
      }
      w.set(4, std::string_view(tax.get(t.category()[i]).name));
      const auto area = t.area()[i];
      if (area == StringPool::kEmpty) w.set_null(5);
      else w.set(5, t.area_codes().get(area));
      w.set(6, std::string_view(core::method_name(static_cast<core::GeocodeMethod>(t.method()[i]))));
      w.set(7, static_cast<int64_t>(t.score()[i]));
      w.end_row();
    }
    w.finish();
    return w.warnings();
  }
}

namespace {

std::vector<std::string> write_gpkg(const core::IncidentTable& t, const core::Taxonomy& tax, const std::filesystem::path& out,
                std::span<const std::filesystem::path> inputs, const IncidentWriteOptions& options) {
  AtomicOutput atomic(out, inputs);
  auto warnings = add_incident_layer(t, tax, atomic.temp_path(), options.layer);
  atomic.commit();
  return warnings;
}

}  // namespace

std::vector<std::string> write_incidents(const core::IncidentTable& table, const core::Taxonomy& taxonomy,
                     const std::filesystem::path& out, std::span<const std::filesystem::path> inputs,
                     const IncidentWriteOptions& options) {
  const std::string ext = lower_ext(out);
  if (ext == ".csv") {
    write_csv(table, taxonomy, out, inputs);
    return {};
  }
  if (ext == ".gpkg") return write_gpkg(table, taxonomy, out, inputs, options);
  throw UsageError(out.string() + ": unknown output format '" + ext + "' (use .gpkg or .csv)");
}

RejectsWriter::RejectsWriter(const std::filesystem::path& path, std::span<const std::filesystem::path> inputs)
    : m_csv(std::make_unique<CsvWriter>(path, inputs)) {
  m_csv->row({"source", "line", "column", "field", "code", "message", "raw"});
}

RejectsWriter::~RejectsWriter() = default;

void RejectsWriter::write(const core::RowIssue& issue) {
  if (issue.severity != core::Severity::error) return;
  m_csv->field(issue.source);
  m_csv->field(issue.line);
  if (issue.column) m_csv->field(static_cast<uint64_t>(issue.column));
  else m_csv->empty_field();
  m_csv->field(issue.field);
  m_csv->field(core::issue_code_name(issue.code));
  m_csv->field(issue.message);
  m_csv->field(issue.raw);
  m_csv->end_row();
  ++m_rows;
}

void RejectsWriter::commit() { m_csv->commit(); }

}  // namespace hotspot::layers
