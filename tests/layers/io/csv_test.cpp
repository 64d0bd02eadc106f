#include "layers/io/csv.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot::layers;
namespace fs = std::filesystem;

namespace {

struct Parsed {
  std::vector<std::vector<std::string>> rows;
  std::vector<uint64_t> lines;
  std::vector<CsvBad> bad;
  std::vector<std::string> raw;
  uint64_t blank = 0;
  CsvHeader header;
};

fs::path write_temp(const std::string& name, const std::string& content) {
  // One folder per process: ctest runs these tests in parallel, and they reuse names.
  const fs::path dir = hotspot::test::process_temp_dir("csv");
  fs::create_directories(dir);
  const fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

Parsed read_all(const std::string& content, CsvOptions options = {}) {
  const fs::path p = write_temp("csv_test.csv", content);
  CsvChunker chunker(p, options);
  Parsed out;
  out.header = chunker.header();
  CsvChunk chunk;
  while (chunker.next(chunk)) {
    out.blank += parse_records(chunk, chunker.header().delimiter, [&](const CsvRecord& r) {
      out.rows.emplace_back(r.fields.begin(), r.fields.end());
      out.lines.push_back(r.line);
      out.bad.push_back(r.bad);
      out.raw.emplace_back(r.raw);
    });
  }
  return out;
}

}  // namespace

TEST(CsvChunker, ReadsHeaderAndRowsWithLineNumbers) {
  auto p = read_all("a,b,c\n1,2,3\n4,5,6\n");
  EXPECT_EQ(p.header.names, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1], (std::vector<std::string>{"4", "5", "6"}));
  EXPECT_EQ(p.lines, (std::vector<uint64_t>{2, 3}));
}

TEST(CsvChunker, StripsUtf8BomAndHandlesCrlf) {
  auto p = read_all("\xEF\xBB\xBF" "Crime ID,Month\r\nabc,2023-05\r\n,2023-06\r\n");
  EXPECT_EQ(p.header.names[0], "Crime ID");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0][1], "2023-05");
  EXPECT_EQ(p.rows[1][0], "");
  EXPECT_EQ(p.raw[1], ",2023-06");
}

TEST(CsvChunker, LastRowWithoutNewlineIsRead) {
  auto p = read_all("a,b\n1,2");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0][1], "2");
}

TEST(CsvChunker, QuotedFieldsWithDelimitersEscapesAndNewlines) {
  auto p = read_all("id,text,n\n1,\"a, b\",2\n2,\"say \"\"hi\"\"\",3\n3,\"two\nlines\",4\n4,x,5\n");
  ASSERT_EQ(p.rows.size(), 4u);
  EXPECT_EQ(p.rows[0][1], "a, b");
  EXPECT_EQ(p.rows[1][1], "say \"hi\"");
  EXPECT_EQ(p.rows[2][1], "two\nlines");
  EXPECT_EQ(p.rows[2][2], "4");
  EXPECT_EQ(p.lines, (std::vector<uint64_t>{2, 3, 4, 6}));  // the 3rd record spans lines 4-5
}

TEST(CsvChunker, QuoteInsideUnquotedFieldIsLiteral) {
  auto p = read_all("a,b\n5'6\" tall,x\n12 \"The Oaks\" Rd,y\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0][0], "5'6\" tall");
  EXPECT_EQ(p.rows[1][0], "12 \"The Oaks\" Rd");
}

TEST(CsvChunker, UnterminatedQuoteRejectsOnlyItsLineAndResumes) {
  auto p = read_all("a,b\n1,ok\n2,\"never closed\n3,fine\n4,also fine\n");
  ASSERT_EQ(p.rows.size(), 4u);
  EXPECT_EQ(p.bad[0], CsvBad::none);
  EXPECT_EQ(p.bad[1], CsvBad::unterminated_quote);
  EXPECT_EQ(p.lines[1], 3u);
  EXPECT_EQ(p.raw[1], "2,\"never closed");
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"3", "fine"}));
  EXPECT_EQ(p.lines[3], 5u);
}

TEST(CsvChunker, OverlongQuotedRecordIsCutAtTheLimit) {
  CsvOptions o;
  o.max_record_bytes = 64;
  o.chunk_bytes = 16;
  std::string body = "a,b\n1,\"open";
  for (int i = 0; i < 20; ++i) body += "\nline " + std::to_string(i);
  auto p = read_all(body + "\n", o);
  ASSERT_GE(p.rows.size(), 2u);
  EXPECT_EQ(p.bad[0], CsvBad::unterminated_quote);
  EXPECT_EQ(p.lines[0], 2u);
  EXPECT_EQ(p.rows[1][0], "line 0");
  EXPECT_EQ(p.lines[1], 3u);
  EXPECT_EQ(p.rows.size(), 21u);  // every later line still read
}

TEST(CsvChunker, LineLongerThanLimitIsOneBadRecordAndNotHeldInMemory) {
  CsvOptions o;
  o.max_record_bytes = 1u << 20;
  o.chunk_bytes = 1u << 16;
  std::string big(3u << 20, 'x');
  auto p = read_all("a,b\n1,2\n" + big + ",3\n4,5\n", o);
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.bad[1], CsvBad::record_too_long);
  EXPECT_EQ(p.lines[1], 3u);
  EXPECT_LE(p.raw[1].size(), 1024u);
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(p.lines[2], 4u);
}

TEST(CsvChunker, OneMegabyteLineIsReadWithTheDefaultLimit) {
  std::string big(1u << 20, 'y');
  auto p = read_all("a,b\n" + big + ",1\n");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0][0].size(), 1u << 20);
}

TEST(CsvChunker, BlankLinesAreSkippedAndCounted) {
  auto p = read_all("a\n1\n\n\r\n2\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.blank, 2u);
  EXPECT_EQ(p.lines[1], 5u);
}

TEST(CsvChunker, DetectsSemicolonTabAndPipeDelimiters) {
  EXPECT_EQ(read_all("a;b;c\n1;2;3\n").header.delimiter, ';');
  EXPECT_EQ(read_all("a\tb\n1\t2\n").rows[0][1], "2");
  EXPECT_EQ(read_all("a|b\n1|2\n").header.names[1], "b");
  EXPECT_EQ(detect_delimiter("\"x;y\",b,c"), ',');
}

TEST(CsvChunker, ManySmallChunksGiveTheSameRecordsAsOne) {
  std::string body = "id,text\n";
  for (int i = 0; i < 500; ++i)
    body += std::to_string(i) + (i % 7 == 0 ? ",\"multi\nline, \"\"q\"\"\"\n" : ",plain\n");
  CsvOptions small;
  small.chunk_bytes = 37;
  auto a = read_all(body);
  auto b = read_all(body, small);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(a.rows.size(), 500u);
  EXPECT_EQ(a.rows[7][1], "multi\nline, \"q\"");
}

TEST(CsvChunker, EmptyFileIsAnInputErrorWithLineOne) {
  const fs::path p = write_temp("empty.csv", "");
  try {
    CsvChunker c(p);
    FAIL() << "expected InputError";
  } catch (const hotspot::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("empty.csv:1: error: the file is empty"), std::string::npos);
  }
}

TEST(CsvChunker, MissingFileIsAnIoError) {
  EXPECT_THROW(CsvChunker("/nonexistent/x.csv"), hotspot::IoError);
}

TEST(CsvChunker, HeaderOnlyFileHasNoRecords) {
  auto p = read_all("a,b\n");
  EXPECT_EQ(p.header.names.size(), 2u);
  EXPECT_TRUE(p.rows.empty());
}

TEST(CsvHeader, FindsColumnsIgnoringCaseAndSpaces) {
  CsvHeader h;
  h.names = {"Crime ID", "Month", "Longitude"};
  EXPECT_EQ(h.find("longitude"), 2);
  EXPECT_EQ(h.find(" MONTH "), 1);
  EXPECT_EQ(h.find("Latitude"), -1);
}
