#include "layers/io/csv_writer.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/base/error.hpp"

namespace hotspot::layers {

namespace {
constexpr std::size_t kBufferBytes = 1u << 20;

bool needs_quotes(std::string_view s, char delimiter) {
  for (char c : s)
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') return true;
  return false;
}
}  // namespace

void append_csv_field(std::string& out, std::string_view text, char delimiter) {
  if (!needs_quotes(text, delimiter)) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

CsvWriter::CsvWriter(const std::filesystem::path& path, std::span<const std::filesystem::path> inputs)
    : m_out(path, inputs) {
  m_file = std::fopen(m_out.temp_path().c_str(), "wb");
  if (!m_file) throw IoError(path.string() + ": cannot create: " + std::strerror(errno));
  m_buffer = std::make_unique<char[]>(kBufferBytes);
  std::setvbuf(m_file, m_buffer.get(), _IOFBF, kBufferBytes);
}

CsvWriter::~CsvWriter() {
  if (m_file) std::fclose(m_file);
}

void CsvWriter::sep() {
  if (!m_first) std::fputc(',', m_file);
  m_first = false;
}

void CsvWriter::field(std::string_view text) {
  sep();
  if (!needs_quotes(text, ',')) {
    std::fwrite(text.data(), 1, text.size(), m_file);
    return;
  }
  std::string quoted;
  append_csv_field(quoted, text);
  std::fwrite(quoted.data(), 1, quoted.size(), m_file);
}

void CsvWriter::field(int64_t v) {
  sep();
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::fwrite(buf, 1, static_cast<std::size_t>(p - buf), m_file);
}

void CsvWriter::field(uint64_t v) {
  sep();
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::fwrite(buf, 1, static_cast<std::size_t>(p - buf), m_file);
}

void CsvWriter::field(double v, int decimals) {
  sep();
  if (!std::isfinite(v)) return;
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::fwrite(buf, 1, static_cast<std::size_t>(p - buf), m_file);
}

void CsvWriter::empty_field() { sep(); }

void CsvWriter::end_row() {
  std::fputc('\n', m_file);
  m_first = true;
  if (std::ferror(m_file)) check_write();
}

void CsvWriter::row(std::initializer_list<std::string_view> fields) {
  for (auto f : fields) field(f);
  end_row();
}

void CsvWriter::check_write() {
  if (std::ferror(m_file) && !m_failed) {
    m_failed = true;
    throw IoError(m_out.target().string() + ": write failed: " + std::strerror(errno));
  }
}

void CsvWriter::commit() {
  if (!m_file) throw IoError(m_out.target().string() + ": already committed");
  const bool write_error = std::ferror(m_file) != 0;
  const int flush_rc = std::fflush(m_file);
  const int e = errno;
  const int close_rc = std::fclose(m_file);
  m_file = nullptr;
  if (write_error || flush_rc != 0 || close_rc != 0)
    throw IoError(m_out.target().string() + ": write failed: " + std::strerror(e ? e : EIO));
  m_out.commit();
}

}  // namespace hotspot::layers
