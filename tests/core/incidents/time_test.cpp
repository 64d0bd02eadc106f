#include "core/incidents/time.hpp"

#include <gtest/gtest.h>

using namespace hotspot::core;

TEST(Months, IndexIsMonthsSince2000January) {
  EXPECT_EQ(month_index(2000, 1), 0);
  EXPECT_EQ(month_index(2023, 5), 280);
  EXPECT_EQ(month_index(1999, 12), -1);
  EXPECT_EQ(format_month(280), "2023-05");
  EXPECT_EQ(format_month(-1), "1999-12");
  EXPECT_EQ(year_of(-13), 1998);
  EXPECT_EQ(month_of(-13), 12u);
}

TEST(Months, ParsesPoliceUkMonthStrictly) {
  EXPECT_EQ(parse_month("2022-02").value(), month_index(2022, 2));
  EXPECT_EQ(parse_month("").error().code, DateError::empty);
  EXPECT_EQ(parse_month("2022-2").error().code, DateError::bad_format);
  EXPECT_EQ(parse_month("2022-13").error().code, DateError::out_of_range);
  EXPECT_EQ(parse_month("2022-00").error().code, DateError::out_of_range);
  EXPECT_EQ(parse_month("Feb 2022").error().code, DateError::bad_format);
}

TEST(Days, CivilRoundTripAndKnownValues) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
  for (DayNumber d = -1000; d < 30000; d += 37) {
    const CivilDate c = civil_from_days(d);
    EXPECT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(format_day(19782), "2024-02-29");
  EXPECT_EQ(format_day(kNoDay), "");
  EXPECT_EQ(month_of_day(19782), month_index(2024, 2));
}

TEST(Days, RejectsImpossibleDates) {
  EXPECT_TRUE(is_valid_civil(2024, 2, 29));
  EXPECT_FALSE(is_valid_civil(2023, 2, 29));
  EXPECT_FALSE(is_valid_civil(1900, 2, 29));
  EXPECT_TRUE(is_valid_civil(2000, 2, 29));
  EXPECT_FALSE(is_valid_civil(2023, 4, 31));
  EXPECT_FALSE(is_valid_civil(2023, 13, 1));
}

TEST(DateFormat, AutomaticAcceptsCommonLayoutsDayFirst) {
  const DateFormat f = DateFormat::automatic();
  EXPECT_EQ(f.read("2023-05").value().day, kNoDay);
  EXPECT_EQ(f.read("2023-05-17").value().day, days_from_civil(2023, 5, 17));
  EXPECT_EQ(f.read("17/05/2023").value().day, days_from_civil(2023, 5, 17));
  EXPECT_EQ(f.read("03/04/2023").value().day, days_from_civil(2023, 4, 3));  // UK: 3 April
  auto t = f.read("2023-05-17T22:15:00").value();
  EXPECT_EQ(t.minute_of_day, 22 * 60 + 15);
  EXPECT_EQ(f.read("17/05/2023 08:05").value().minute_of_day, 8 * 60 + 5);
  EXPECT_EQ(f.read(" 2023-05-17 ").value().month, month_index(2023, 5));
}

TEST(DateFormat, ImpossibleDatesAreOutOfRangeNotMisread) {
  const DateFormat f = DateFormat::automatic();
  EXPECT_EQ(f.read("2023-02-30").error().code, DateError::out_of_range);
  EXPECT_EQ(f.read("31/04/2023").error().code, DateError::out_of_range);
  EXPECT_EQ(f.read("2023-05-17T25:00:00").error().code, DateError::out_of_range);
  EXPECT_EQ(f.read("yesterday").error().code, DateError::bad_format);
  EXPECT_EQ(f.read("").error().code, DateError::empty);
}

TEST(DateFormat, ExplicitPatternForUsDates) {
  auto f = DateFormat::parse("%m/%d/%Y");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->read("04/03/2023").value().day, days_from_civil(2023, 4, 3));
  EXPECT_EQ(f->read("2023-04-03").error().code, DateError::bad_format);
}

TEST(DateFormat, PatternErrorsNameTheProblem) {
  auto bad = DateFormat::parse("%Y-%q");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'%q'"), std::string::npos);
  EXPECT_FALSE(DateFormat::parse("%d/%m"));  // no year
}
