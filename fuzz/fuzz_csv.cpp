// Fuzzes the streaming CSV reader (layers/io/csv): CsvChunker + parse_records.
// The first input byte picks the options (delimiter, header, limits); the rest is the
// file, held in a memfd so nothing touches the disk. Invariants:
// - records come in file order with strictly increasing physical lines, never past
//   the file's last line;
// - the result does not depend on how the file is cut into chunks: a tiny chunk size
//   and the default give exactly the same records, fields, lines and blank count;
// - a header is split the same way by split_csv_line as by the chunker.
// Any error must be a hotspot::Error (empty file, unterminated header, ...).
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "layers/io/csv.hpp"

namespace {

using namespace hotspot::layers;

struct Parsed {
  std::vector<std::string> header;
  std::vector<std::string> records;  // "line|bad|lines|field\x1Ffield..."
  uint64_t blank = 0;
  bool threw = false;
};

Parsed parse(const std::string& path, const CsvOptions& opt, uint64_t max_line) {
  Parsed p;
  try {
    CsvChunker chunker(path, opt);
    p.header = chunker.header().names;
    CsvChunk chunk;
    uint64_t last_line = 0;
    uint64_t seq = 0;
    while (chunker.next(chunk)) {
      if (chunk.seq != seq++) std::abort();
      p.blank += parse_records(chunk, chunker.header().delimiter, [&](const CsvRecord& r) {
        if (r.line <= last_line || r.line > max_line) std::abort();
        if (r.line < chunk.first_line) std::abort();
        if (r.bad != CsvBad::none && !r.fields.empty()) std::abort();
        last_line = r.line;
        std::string s = std::to_string(r.line) + "|" + std::to_string(static_cast<int>(r.bad)) + "|" +
                        std::to_string(r.lines) + "|";
        for (auto f : r.fields) {
          s.append(f);
          s.push_back('\x1F');
        }
        p.records.push_back(std::move(s));
      });
    }
    if (chunker.bytes_consumed() > chunker.file_bytes()) std::abort();
  } catch (const hotspot::Error&) {
    p.threw = true;
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const int fd = ::memfd_create("fuzz_csv", 0);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  const uint8_t cfg = data[0];
  ++data;
  --size;
  if (::ftruncate(fd, 0) != 0) std::abort();
  if (size && ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) std::abort();

  CsvOptions opt;
  const char delims[] = {0, ',', ';', '\t'};
  opt.delimiter = delims[cfg & 3];
  opt.has_header = (cfg & 4) == 0;
  opt.max_record_bytes = (cfg & 8) ? 64 : (16u << 20);
  const uint64_t max_line = 1 + static_cast<uint64_t>(std::count(data, data + size, '\n'));

  CsvOptions big = opt;
  big.chunk_bytes = 4u << 20;
  CsvOptions tiny = opt;
  tiny.chunk_bytes = 1 + ((cfg >> 4) & 15);
  const Parsed a = parse(path, big, max_line);
  const Parsed b = parse(path, tiny, max_line);
  if (a.threw != b.threw || a.header != b.header || a.records != b.records || a.blank != b.blank) {
    // Say what differs before aborting: the crash report is then a bug report.
    std::fprintf(stderr, "chunk size %zu vs %zu: threw %d/%d, blank %llu/%llu, records %zu/%zu\n", big.chunk_bytes,
                 tiny.chunk_bytes, a.threw, b.threw, static_cast<unsigned long long>(a.blank),
                 static_cast<unsigned long long>(b.blank), a.records.size(), b.records.size());
    for (std::size_t i = 0; i < std::min(a.records.size(), b.records.size()); ++i)
      if (a.records[i] != b.records[i]) {
        std::fprintf(stderr, "record %zu:\n  big:  %.300s\n  tiny: %.300s\n", i, a.records[i].c_str(),
                     b.records[i].c_str());
        break;
      }
    std::abort();
  }
  return 0;
}
