#pragma once
// Console output for the `hotspot` command: human messages and a progress bar on
// stderr (the bar only on a terminal), machine output (--json) on stdout.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace hotspot::cli {

class Console {
 public:
  Console(std::string verb, bool quiet);
  void info(std::string_view text) const;      // "hotspot ingest: text"
  void warning(std::string_view text) const;   // "hotspot ingest: warning: text"; "f:3: warning: ..." as is
  void error(std::string_view text) const;     // compiler-style messages pass through
  void line(std::string_view text) const;      // raw line (quiet aware)
  // Progress: shown on a TTY at most 10 times a second; finish() clears it.
  void progress(std::string_view label, uint64_t done, uint64_t total);
  void finish_progress();
  [[nodiscard]] bool quiet() const { return m_quiet; }

 private:
  std::string m_verb;
  bool m_quiet;
  bool m_tty;
  bool m_shown = false;
  std::chrono::steady_clock::time_point m_last{};
};

// Peak resident memory of this process so far, in bytes.
uint64_t peak_rss_bytes();
// 1234567 -> "1,234,567".
std::string thousands(uint64_t v);
// "2022-04:2025-03" -> first/last month. @throws UsageError.
std::pair<int32_t, int32_t> parse_month_range(std::string_view text, std::string_view option);

}  // namespace hotspot::cli
