#include "core/incidents/time.hpp"

#include <cstdio>

namespace hotspot::core {

const char* describe(DateError e) {
  switch (e) {
    case DateError::empty: return "date is empty";
    case DateError::bad_format: return "date does not match the expected format";
    case DateError::out_of_range: return "date is impossible or out of range";
  }
  return "date error";
}

DayNumber days_from_civil(int year, unsigned month, unsigned day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

CivilDate civil_from_days(DayNumber days) {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{y + (m <= 2 ? 1 : 0), m, d};
}

int year_of(MonthIndex m) {
  const int q = m >= 0 ? m / 12 : -((-m + 11) / 12);
  return 2000 + q;
}

unsigned month_of(MonthIndex m) {
  const int r = ((m % 12) + 12) % 12;
  return static_cast<unsigned>(r + 1);
}

MonthIndex month_of_day(DayNumber d) {
  const CivilDate c = civil_from_days(d);
  return month_index(c.year, c.month);
}

std::string format_month(MonthIndex m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", year_of(m), month_of(m));
  return buf;
}

std::string format_day(DayNumber d) {
  if (d == kNoDay) return {};
  const CivilDate c = civil_from_days(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
  return buf;
}

bool is_valid_civil(int year, unsigned month, unsigned day) {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const unsigned last = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= last;
}

namespace {

struct Fields {
  int year = -1;
  int month = -1;
  int day = -1;
  int hour = -1;
  int minute = -1;
  int second = -1;
};

// Reads `min`..`max` ASCII digits at text[pos]. Returns -1 if fewer than `min`.
int read_digits(std::string_view text, std::size_t& pos, int min, int max) {
  int value = 0;
  int n = 0;
  while (n < max && pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++n;
  }
  return n >= min ? value : -1;
}

// Matches one pattern. Returns false when the text does not have its shape.
bool match(std::string_view pattern, std::string_view text, Fields& f) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      const char d = pattern[++i];
      int* target = nullptr;
      int min = 1, max = 2;
      switch (d) {
        case 'Y': target = &f.year; min = max = 4; break;
        case 'm': target = &f.month; break;
        case 'd': target = &f.day; break;
        case 'H': target = &f.hour; break;
        case 'M': target = &f.minute; break;
        case 'S': target = &f.second; break;
        case '%':
          if (pos >= text.size() || text[pos] != '%') return false;
          ++pos;
          continue;
        default: return false;
      }
      const int v = read_digits(text, pos, min, max);
      if (v < 0) return false;
      *target = v;
    } else {
      if (pos >= text.size() || text[pos] != pattern[i]) return false;
      ++pos;
    }
  }
  return pos == text.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

DateFormat DateFormat::automatic() {
  DateFormat f;
  f.m_pattern = "auto";
  f.m_patterns = {"%Y-%m",          "%Y-%m-%d",          "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ",
                  "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",    "%d/%m/%Y",
                  "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y/%m/%d"};
  return f;
}

Result<DateFormat, DateError> DateFormat::parse(std::string_view pattern) {
  bool has_y = false, has_m = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    if (i + 1 >= pattern.size())
      return Result<DateFormat, DateError>::failure(DateError::bad_format,
                                                    "date format ends with a lone '%'");
    const char d = pattern[++i];
    switch (d) {
      case 'Y': has_y = true; break;
      case 'm': has_m = true; break;
      case 'd': case 'H': case 'M': case 'S': case '%': break;
      default:
        return Result<DateFormat, DateError>::failure(
            DateError::bad_format, std::string("date format directive '%") + d +
                                       "' is not supported (use %Y %m %d %H %M %S)");
    }
  }
  if (!has_y || !has_m)
    return Result<DateFormat, DateError>::failure(
        DateError::bad_format, "date format '" + std::string(pattern) + "' needs %Y and %m");
  DateFormat f;
  f.m_pattern = std::string(pattern);
  f.m_patterns = {f.m_pattern};
  return f;
}

Result<ParsedDate, DateError> DateFormat::read(std::string_view text) const {
  using R = Result<ParsedDate, DateError>;
  text = trim(text);
  if (text.empty()) return R::failure(DateError::empty, "date is empty");
  for (const auto& p : m_patterns) {
    Fields f;
    if (!match(p, text, f)) continue;
    const bool has_day = f.day >= 0;
    const int day = has_day ? f.day : 1;
    if (f.year < 1900 || f.year > 2100)
      return R::failure(DateError::out_of_range,
                        "date '" + std::string(text) + "' is outside the years 1900 to 2100");
    if (f.month < 1 || f.month > 12 ||
        !is_valid_civil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(day))) {
      // "05/17/2023" read day-first: month 17. Say what probably happened.
      const bool month_first = f.month > 12 && f.day >= 1 && f.day <= 12;
      return R::failure(DateError::out_of_range,
                        "date '" + std::string(text) + "' is not a real calendar date" +
                            (month_first ? std::string(" (month first? give the date format, e.g. %m/%d/%Y)")
                                         : std::string()));
    }
    if ((f.hour > 23) || (f.minute > 59) || (f.second > 60))
      return R::failure(DateError::out_of_range,
                        "time in '" + std::string(text) + "' is out of range");
    ParsedDate out{month_index(f.year, static_cast<unsigned>(f.month))};
    if (has_day)
      out.day = days_from_civil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(day));
    if (f.hour >= 0) out.minute_of_day = f.hour * 60 + (f.minute >= 0 ? f.minute : 0);
    return out;
  }
  if (m_pattern == "auto")
    return R::failure(DateError::bad_format,
                      "date '" + std::string(text) +
                          "' is not in a known layout (YYYY-MM, YYYY-MM-DD[ HH:MM], DD/MM/YYYY[ HH:MM], "
                          "YYYY/MM/DD); give the date format for others");
  return R::failure(DateError::bad_format, "date '" + std::string(text) +
                                               "' does not match the format '" + m_pattern + "'");
}

Result<MonthIndex, DateError> parse_month(std::string_view text) {
  using R = Result<MonthIndex, DateError>;
  if (text.empty()) return R::failure(DateError::empty, "month is empty");
  Fields f;
  if (text.size() != 7 || !match("%Y-%m", text, f))
    return R::failure(DateError::bad_format,
                      "month '" + std::string(text) + "' is not in the form YYYY-MM");
  if (f.month < 1 || f.month > 12 || f.year < 1900 || f.year > 2100)
    return R::failure(DateError::out_of_range, "month '" + std::string(text) + "' is out of range");
  return month_index(f.year, static_cast<unsigned>(f.month));
}

}  // namespace hotspot::core
