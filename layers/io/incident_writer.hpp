#pragma once
// Writers for incidents and for rejected rows.
//
// write_incidents() chooses the format by extension: ".gpkg" writes a point layer
// (EPSG:27700, with a bulk-built spatial index) into a GeoPackage; ".csv" writes
// one row per incident. Both are atomic (see AtomicOutput). Columns / fields:
//   source, line, x, y, month, date, category, area_code, method, score
// (x/y in metres, 2 decimals in CSV; month "YYYY-MM"; date "YYYY-MM-DD" or empty).
//
// RejectsWriter streams every rejected row as it is found:
//   source,line,column,field,code,message,raw
// so a million bad rows never sit in memory, and the file is complete and atomic
// when commit() is called.

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/incidents/incident_table.hpp"
#include "core/incidents/issues.hpp"
#include "core/incidents/taxonomy.hpp"

namespace hotspot::layers {

class CsvWriter;

struct IncidentWriteOptions {
  std::string layer = "incidents";  // GeoPackage layer name
};

// Returns warnings that did not stop the write (e.g. the spatial index rebuilt row by
// row). @throws IoError; UsageError for an unknown extension.
std::vector<std::string> write_incidents(const core::IncidentTable& table, const core::Taxonomy& taxonomy,
                     const std::filesystem::path& out, std::span<const std::filesystem::path> inputs = {},
                     const IncidentWriteOptions& options = {});

// Adds the incident point layer to a GeoPackage at `gpkg` (created if missing), not
// atomically: for callers assembling a temporary file that they commit themselves.
std::vector<std::string> add_incident_layer(const core::IncidentTable& table, const core::Taxonomy& taxonomy,
                        const std::filesystem::path& gpkg, const std::string& layer = "incidents");

// IncidentStream: writes incidents while they are still being read. push() hands a
// chunk of rows to a writer thread (blocking when 8 chunks are queued); finish()
// waits for the writer and commits the file atomically. Destroyed without finish()
// (an error, --strict), it leaves nothing behind.
//
//   IncidentStream out("incidents.gpkg", tax, inputs);
//   options.on_rows = [&](const IncidentTable& rows) { out.push(rows); };
//   ingest(files, tax, options);
//   out.finish();                         // @throws IoError (from the writer thread too)
class IncidentStream {
 public:
  IncidentStream(const std::filesystem::path& out, const core::Taxonomy& taxonomy,
                 std::span<const std::filesystem::path> inputs = {}, const IncidentWriteOptions& options = {});
  ~IncidentStream();
  IncidentStream(const IncidentStream&) = delete;
  IncidentStream& operator=(const IncidentStream&) = delete;

  void push(const core::IncidentTable& rows);  // @throws the writer's error, if any
  std::vector<std::string> finish();           // warnings; @throws IoError

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

class RejectsWriter {
 public:
  explicit RejectsWriter(const std::filesystem::path& path,
                         std::span<const std::filesystem::path> inputs = {});
  ~RejectsWriter();
  RejectsWriter(const RejectsWriter&) = delete;
  RejectsWriter& operator=(const RejectsWriter&) = delete;

  // Errors only; warnings are not rejects.
  void write(const core::RowIssue& issue);
  void commit();
  [[nodiscard]] uint64_t rows() const { return m_rows; }

 private:
  std::unique_ptr<CsvWriter> m_csv;
  uint64_t m_rows = 0;
};

}  // namespace hotspot::layers
