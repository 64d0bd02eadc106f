#pragma once
// CsvWriter: buffered RFC 4180 output, written atomically (AtomicOutput): readers
// see the previous file until commit(), never a half-written one.
//
//   CsvWriter w("out/tables/counts.csv", inputs);
//   w.row({"month", "category", "count"});
//   w.field("2023-05"); w.field("Burglary"); w.field(int64_t{12}); w.end_row();
//   w.commit();   // @throws IoError (disk full, ...)
//
// Fields containing the delimiter, a quote, CR or LF are quoted ("" escapes).

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "layers/io/atomic_output.hpp"

namespace hotspot::layers {

class CsvWriter {
 public:
  // @throws IoError when the output cannot be created.
  explicit CsvWriter(const std::filesystem::path& path,
                     std::span<const std::filesystem::path> inputs = {});
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  void field(std::string_view text);
  void field(int64_t v);
  void field(uint64_t v);
  void field(double v, int decimals);  // fixed notation; NaN/inf written empty
  void empty_field();
  void end_row();
  void row(std::initializer_list<std::string_view> fields);

  // Flushes, fsyncs and renames into place. @throws IoError.
  void commit();
  [[nodiscard]] const std::filesystem::path& path() const { return m_out.target(); }

 private:
  void sep();
  void check_write();
  AtomicOutput m_out;
  std::FILE* m_file = nullptr;
  std::unique_ptr<char[]> m_buffer;
  bool m_first = true;
  bool m_failed = false;
};

// Appends `text` to `out`, quoted when needed.
void append_csv_field(std::string& out, std::string_view text, char delimiter = ',');

}  // namespace hotspot::layers
