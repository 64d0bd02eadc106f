#include "layers/cli/console.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#include "core/base/error.hpp"
#include "core/incidents/time.hpp"

namespace hotspot::cli {

Console::Console(std::string verb, bool quiet)
    : m_verb(std::move(verb)), m_quiet(quiet), m_tty(::isatty(STDERR_FILENO) != 0) {}

void Console::info(std::string_view text) const {
  if (!m_quiet) std::fprintf(stderr, "hotspot %s: %.*s\n", m_verb.c_str(), static_cast<int>(text.size()), text.data());
}

void Console::warning(std::string_view text) const {
  // Readers' warnings say "file:feature 3: warning: ..." themselves: printed as they are.
  if (text.find(": warning:") != std::string_view::npos)
    std::fprintf(stderr, "%.*s\n", static_cast<int>(text.size()), text.data());
  else
    std::fprintf(stderr, "hotspot %s: warning: %.*s\n", m_verb.c_str(), static_cast<int>(text.size()), text.data());
}

void Console::error(std::string_view text) const {
  if (text.find(": error:") != std::string_view::npos)
    std::fprintf(stderr, "%.*s\n", static_cast<int>(text.size()), text.data());
  else
    std::fprintf(stderr, "hotspot %s: error: %.*s\n", m_verb.c_str(), static_cast<int>(text.size()), text.data());
}

void Console::line(std::string_view text) const {
  if (!m_quiet) std::fprintf(stderr, "%.*s\n", static_cast<int>(text.size()), text.data());
}

void Console::progress(std::string_view label, uint64_t done, uint64_t total) {
  if (m_quiet || !m_tty || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (m_shown && now - m_last < std::chrono::milliseconds(100) && done < total) return;
  m_last = now;
  m_shown = true;
  const double f = static_cast<double>(done) / static_cast<double>(total);
  const int width = 30;
  const int fill = static_cast<int>(f * width);
  std::string bar(static_cast<std::size_t>(fill), '#');
  bar.append(static_cast<std::size_t>(width - fill), '.');
  std::fprintf(stderr, "\r%.*s [%s] %3d%%", static_cast<int>(label.size()), label.data(), bar.c_str(),
               static_cast<int>(f * 100));
  std::fflush(stderr);
}

void Console::finish_progress() {
  if (m_shown) std::fprintf(stderr, "\r\033[K");
  m_shown = false;
}

uint64_t peak_rss_bytes() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<uint64_t>(ru.ru_maxrss) * 1024u;
}

std::string thousands(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::pair<int32_t, int32_t> parse_month_range(std::string_view text, std::string_view option) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos)
    throw UsageError(std::string(option) + " '" + std::string(text) + "' must be FIRST:LAST, e.g. 2022-04:2025-03");
  auto a = core::parse_month(text.substr(0, colon));
  auto b = core::parse_month(text.substr(colon + 1));
  if (!a) throw UsageError(std::string(option) + ": " + a.error().message);
  if (!b) throw UsageError(std::string(option) + ": " + b.error().message);
  if (*b < *a) throw UsageError(std::string(option) + " '" + std::string(text) + "' ends before it starts");
  return {*a, *b};
}

}  // namespace hotspot::cli
