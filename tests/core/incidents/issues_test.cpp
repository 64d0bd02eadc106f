#include "core/incidents/issues.hpp"

#include <gtest/gtest.h>

using namespace hotspot::core;

TEST(RowIssue, FormatsLikeACompiler) {
  RowIssue i{.source = "incidents.csv", .line = 1042, .column = 5, .code = IssueCode::bad_number,
             .message = "latitude 'abc' is not a number"};
  EXPECT_EQ(format_issue(i), "incidents.csv:1042:5: error: latitude 'abc' is not a number");
  i.column = 0;
  i.severity = Severity::warning;
  EXPECT_EQ(format_issue(i), "incidents.csv:1042: warning: latitude 'abc' is not a number");
}

TEST(IssueCode, EveryCodeHasANameAndDescription) {
  for (std::size_t c = 0; c < kIssueCodeCount; ++c) {
    const auto code = static_cast<IssueCode>(c);
    EXPECT_STRNE(issue_code_name(code), "unknown") << c;
    EXPECT_STRNE(describe(code), "unknown issue") << c;
  }
}

TEST(IssueLog, CountsEverythingKeepsTheFirstNAndFeedsTheSink) {
  IssueLog log(2);
  int sunk = 0;
  log.set_sink([&](const RowIssue&) { ++sunk; });
  for (int i = 0; i < 5; ++i)
    log.add({.source = "f", .line = uint64_t(i + 2), .code = i < 3 ? IssueCode::no_location : IssueCode::bad_date});
  EXPECT_EQ(log.total(), 5u);
  EXPECT_EQ(log.kept().size(), 2u);
  EXPECT_EQ(log.dropped(), 3u);
  EXPECT_EQ(log.total(IssueCode::no_location), 3u);
  EXPECT_EQ(log.total(IssueCode::bad_date), 2u);
  EXPECT_EQ(sunk, 5);
}

TEST(IssueLog, AppendPreservesOrderAndTotals) {
  IssueLog a(100), b(100);
  a.add({.line = 2, .code = IssueCode::bad_date});
  b.add({.line = 7, .code = IssueCode::no_location});
  b.add({.line = 9, .code = IssueCode::no_location});
  a.append(std::move(b));
  ASSERT_EQ(a.kept().size(), 3u);
  EXPECT_EQ(a.kept()[2].line, 9u);
  EXPECT_EQ(a.total(IssueCode::no_location), 2u);
}

TEST(IngestCounts, BalancedMeansReadEqualsAcceptedPlusRejected) {
  IngestCounts c{.read = 10, .accepted = 7, .rejected = 3};
  EXPECT_TRUE(c.balanced());
  c.rejected = 2;
  EXPECT_FALSE(c.balanced());
}
