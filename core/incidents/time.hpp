#pragma once
// Calendar time for incidents: month indexes, day numbers and date parsing.
//
// Representation (documented here because every module relies on it):
// - MonthIndex: months since 2000-01 (2000-01 = 0, 2023-05 = 280; negative before 2000).
//   police.uk publishes months only, so the month is the one time every incident has.
// - DayNumber: days since 1970-01-01 (proleptic Gregorian), or kNoDay when the source
//   gives only a month. Near-repeat analysis needs days; police.uk data has none.
//
//   auto m = parse_month("2023-05");               // Result: 280
//   auto d = parse_date("31/01/2024", DateFormat::parse("%d/%m/%Y").value());
//   std::string s = format_month(280);            // "2023-05"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace hotspot::core {

using MonthIndex = int32_t;
using DayNumber = int32_t;
inline constexpr DayNumber kNoDay = std::numeric_limits<int32_t>::min();

enum class DateError : uint8_t {
  empty,          // the field is empty
  bad_format,     // does not match the expected format
  out_of_range,   // month 13, day 32, 30 February, year before 1900 or after 2100
};
const char* describe(DateError e);

// Days from 1970-01-01 for a valid civil date (Howard Hinnant's algorithm).
DayNumber days_from_civil(int year, unsigned month, unsigned day);
struct CivilDate {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};
CivilDate civil_from_days(DayNumber days);

constexpr MonthIndex month_index(int year, unsigned month) {
  return static_cast<MonthIndex>((year - 2000) * 12 + static_cast<int>(month) - 1);
}
int year_of(MonthIndex m);
unsigned month_of(MonthIndex m);  // 1..12
MonthIndex month_of_day(DayNumber d);

std::string format_month(MonthIndex m);  // "2023-05"
std::string format_day(DayNumber d);     // "2023-05-17"; "" for kNoDay

bool is_valid_civil(int year, unsigned month, unsigned day);

// A parsed date: always a month; a day when the format carries one; minutes since
// midnight when it carries a time (-1 otherwise).
struct ParsedDate {
  MonthIndex month;
  DayNumber day = kNoDay;
  int32_t minute_of_day = -1;
};

// A date layout written with strftime-like fields: %Y (4-digit year), %m (month
// 1-2 digits), %d (day 1-2 digits), %H, %M, %S (time, 1-2 digits); any other
// character must match literally; a trailing 'T' or space before the time may also
// be written literally. DateFormat::automatic() accepts, in this order: YYYY-MM,
// YYYY-MM-DD, YYYY-MM-DD[T ]HH:MM[:SS], DD/MM/YYYY[ HH:MM[:SS]] (UK day-first),
// YYYY/MM/DD. US month-first dates must be asked for explicitly ("%m/%d/%Y").
class DateFormat {
 public:
  static DateFormat automatic();
  // Errors name the bad directive. Requires a year and a month field.
  static Result<DateFormat, DateError> parse(std::string_view pattern);

  [[nodiscard]] Result<ParsedDate, DateError> read(std::string_view text) const;
  [[nodiscard]] const std::string& pattern() const { return m_pattern; }

 private:
  std::vector<std::string> m_patterns;  // tried in order (one unless automatic)
  std::string m_pattern;                // as given, or "auto"
};

// police.uk's "YYYY-MM". Strict: exactly 7 characters.
Result<MonthIndex, DateError> parse_month(std::string_view text);

}  // namespace hotspot::core
