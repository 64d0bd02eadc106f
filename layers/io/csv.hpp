#pragma once
// Streaming RFC 4180 CSV, built for millions of rows and for bad files.
//
// Two pieces, so records can be parsed on several threads:
// - CsvChunker reads a file in large blocks (never the whole file) and hands out
//   chunks of complete records, each with the physical line number it starts at.
//   It is quote-aware (a quoted field may hold delimiters, "" and newlines).
// - parse_records() splits a chunk into records and fields.
//
//   CsvChunker chunker("2023-05-city-of-london-street.csv");
//   const CsvHeader& h = chunker.header();         // names, delimiter, BOM removed
//   CsvChunk chunk;
//   while (chunker.next(chunk))
//     parse_records(chunk, h.delimiter, [&](const CsvRecord& r) { use(r.fields, r.line); });
//
// Robustness (tested): UTF-8 BOM; CRLF or LF; blank lines skipped and counted; a
// quote inside an unquoted field is literal; text after a closing quote is kept
// literally; a quoted field that never closes (EOF reached, or the record grows past
// max_record_bytes) makes only its first physical line a bad record
// (CsvRecord::bad = unterminated_quote) and reading resumes on the next line, so one
// stray quote never swallows the rest of a file; a line longer than max_record_bytes
// becomes one bad record (record_too_long) and is skipped without being held in memory.
// Every record and bad record carries its 1-based physical line.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::layers {

struct CsvOptions {
  char delimiter = 0;                           // 0 = detect from the header line
  std::size_t chunk_bytes = 4u << 20;           // target size of a chunk
  std::size_t max_record_bytes = 16u << 20;     // longer records are rejected
  bool has_header = true;
};

struct CsvHeader {
  std::vector<std::string> names;  // trimmed, BOM removed
  char delimiter = ',';
  uint64_t line = 1;               // physical line of the header
  // Index of a column by name, case-insensitive and trimmed; -1 if absent.
  [[nodiscard]] int find(std::string_view name) const;
};

enum class CsvBad : uint8_t { none, unterminated_quote, record_too_long };

// A chunk of complete records (or a single bad line), owned bytes.
struct CsvChunk {
  std::string bytes;        // complete records, each ending in '\n' (one may lack it at EOF)
  uint64_t first_line = 0;  // physical line of bytes[0]
  uint64_t seq = 0;         // 0, 1, 2, ... in file order
  CsvBad bad = CsvBad::none;  // when set, `bytes` is one bad record (possibly truncated)
  uint64_t bad_length = 0;    // full length in bytes of a bad record
};

struct CsvRecord {
  std::span<const std::string_view> fields;
  uint64_t line = 0;          // physical line where the record starts
  uint32_t lines = 1;         // physical lines it spans (embedded newlines)
  std::string_view raw;       // the record's text without the line ending
  CsvBad bad = CsvBad::none;  // bad records have no fields
};

class CsvChunker {
 public:
  // @throws IoError when the file cannot be opened or read, InputError when it is
  //         empty (no header line) and a header is expected.
  explicit CsvChunker(const std::filesystem::path& path, CsvOptions options = {});
  ~CsvChunker();
  CsvChunker(const CsvChunker&) = delete;
  CsvChunker& operator=(const CsvChunker&) = delete;

  [[nodiscard]] const CsvHeader& header() const { return m_header; }
  // Next chunk; false at end of file. @throws IoError on a read error.
  bool next(CsvChunk& out);

  [[nodiscard]] uint64_t file_bytes() const { return m_file_bytes; }
  [[nodiscard]] uint64_t bytes_consumed() const { return m_consumed; }

 private:
  enum class Scan { complete, need_more, unterminated };
  bool fill(std::size_t want);  // read until buffered >= want or EOF
  Scan scan_record(std::size_t from, std::size_t& end, uint32_t& newlines) const;
  void read_header();
  bool skip_long_line(CsvChunk& out);

  int m_fd = -1;
  std::string m_path;
  CsvOptions m_options;
  CsvHeader m_header;
  std::string m_buf;
  std::size_t m_begin = 0;  // first unconsumed byte in m_buf
  bool m_eof = false;
  uint64_t m_line = 1;      // physical line of m_buf[m_begin]
  uint64_t m_seq = 0;
  uint64_t m_file_bytes = 0;
  uint64_t m_consumed = 0;
};

// Splits a chunk into records. Blank lines are skipped; their count is returned.
// `fn` receives views valid only during the call. The delimiter must match the
// chunker's. Requires: chunk from CsvChunker::next().
uint64_t parse_records(const CsvChunk& chunk, char delimiter,
                       const std::function<void(const CsvRecord&)>& fn);

// Splits one line (no newline) into fields; used for headers and tests.
std::vector<std::string> split_csv_line(std::string_view line, char delimiter);

// Picks the delimiter of a header line among ',', ';', '\t' and '|' (the most
// frequent outside quotes; ',' on a tie or when none occurs).
char detect_delimiter(std::string_view header_line);

}  // namespace hotspot::layers
