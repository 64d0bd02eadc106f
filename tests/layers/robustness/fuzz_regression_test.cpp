// Inputs found by the fuzzers (fuzz/, scripts/fuzz.sh), kept as regression tests.
// Each names the target that found it and what was wrong.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "layers/io/csv.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot::layers;
using hotspot::test::TempDir;

namespace {

// "line:bad" of every record, reading with the given chunk size.
std::vector<std::string> records(const std::filesystem::path& p, std::size_t chunk_bytes, std::size_t max_record) {
  CsvOptions o;
  o.chunk_bytes = chunk_bytes;
  o.max_record_bytes = max_record;
  CsvChunker c(p, o);
  std::vector<std::string> out;
  CsvChunk chunk;
  while (c.next(chunk))
    parse_records(chunk, c.header().delimiter, [&](const CsvRecord& r) {
      out.push_back(std::to_string(r.line) + ":" + std::to_string(static_cast<int>(r.bad)));
    });
  return out;
}

}  // namespace

// fuzz_csv: an unterminated quoted field on the last line, longer than the record
// limit, was record_too_long when the reader had not yet seen the end of the file and
// unterminated_quote when it had, so the answer depended on the chunk size. A first
// line over the limit is now always record_too_long.
TEST(FuzzRegression, UnterminatedQuoteOverTheLimitDoesNotDependOnChunkSize) {
  TempDir d;
  // The header read asks for exactly 64 KiB: a file of that size is fully buffered
  // without the reader knowing it has reached the end.
  std::string text = "a,b\n";
  while (text.size() < (64u << 10) - 200) text += "1,2\n";
  text += "3,\"" + std::string((64u << 10) - text.size() - 3, 'x');
  ASSERT_EQ(text.size(), 64u << 10);
  const auto p = d.write("f.csv", text);
  const auto big = records(p, 4u << 20, 64);
  const auto tiny = records(p, 1, 64);
  EXPECT_EQ(big, tiny);
  ASSERT_FALSE(big.empty());
  const auto last_line = 1 + std::count(text.begin(), text.end(), '\n');  // 16335
  EXPECT_EQ(big.back(), std::to_string(last_line) + ":" + std::to_string(static_cast<int>(CsvBad::record_too_long)));
  EXPECT_EQ(big.size(), static_cast<std::size_t>(last_line - 1));
}
