#include "layers/io/csv.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/base/error.hpp"

namespace hotspot::layers {

namespace {

constexpr std::size_t kRawKeep = 1024;  // bytes of a bad record kept for the rejects file

// Newlines in [p, p + n): memchr (SIMD) per line beats a byte loop on long lines.
uint64_t count_newlines(const char* p, std::size_t n) {
  uint64_t count = 0;
  const char* const end = p + n;
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr) {
    ++count;
    ++p;
  }
  return count;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

int CsvHeader::find(std::string_view name) const {
  name = trim(name);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (iequals(names[i], name)) return static_cast<int>(i);
  return -1;
}

char detect_delimiter(std::string_view line) {
  const char candidates[] = {',', ';', '\t', '|'};
  std::size_t counts[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    for (int k = 0; k < 4; ++k)
      if (c == candidates[k]) ++counts[k];
  }
  int best = 0;
  for (int k = 1; k < 4; ++k)
    if (counts[k] > counts[best]) best = k;
  return counts[best] == 0 ? ',' : candidates[best];
}

// ---------------------------------------------------------------------------------
// CsvChunker

CsvChunker::CsvChunker(const std::filesystem::path& path, CsvOptions options)
    : m_path(path.string()), m_options(options) {
  m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (m_fd < 0) throw IoError(m_path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(m_fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(m_fd);
      throw IoError(m_path + ": is a directory, not a CSV file");
    }
    m_file_bytes = static_cast<uint64_t>(st.st_size);
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  try {
    read_header();
  } catch (...) {
    ::close(m_fd);
    throw;
  }
}

CsvChunker::~CsvChunker() {
  if (m_fd >= 0) ::close(m_fd);
}

bool CsvChunker::fill(std::size_t want) {
  if (m_buf.size() - m_begin >= want || m_eof) return m_buf.size() - m_begin >= want;
  // Compact: drop consumed bytes so the buffer does not grow with the file.
  if (m_begin > 0) {
    m_buf.erase(0, m_begin);
    m_begin = 0;
  }
  while (m_buf.size() < want && !m_eof) {
    const std::size_t block = std::max<std::size_t>(want - m_buf.size(), 1u << 20);
    const std::size_t old = m_buf.size();
    m_buf.resize(old + block);
    ssize_t n;
    do {
      n = ::read(m_fd, m_buf.data() + old, block);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      const int e = errno;
      m_buf.resize(old);
      throw IoError(m_path + ": read error: " + std::strerror(e));
    }
    m_buf.resize(old + static_cast<std::size_t>(n));
    if (n == 0) m_eof = true;
  }
  return m_buf.size() - m_begin >= want;
}

// Finds the end of the record starting at `from` (index just past its '\n', or the
// buffer end at EOF). `newlines` is not used by callers (lines are counted per chunk).
CsvChunker::Scan CsvChunker::scan_record(std::size_t from, std::size_t& end,
                                         uint32_t& quoted_state) const {
  const char* base = m_buf.data();
  const std::size_t size = m_buf.size();
  const char delim = m_header.delimiter;
  std::size_t i = from;
  quoted_state = 0;
  for (;;) {
    // Unquoted: the record ends at the next newline unless a field-opening quote
    // comes first.
    const void* nlp = std::memchr(base + i, '\n', size - i);
    const std::size_t line_end = nlp ? static_cast<std::size_t>(static_cast<const char*>(nlp) - base) : size;
    std::size_t q = i;
    bool opened = false;
    while (q < line_end) {
      const void* qp = std::memchr(base + q, '"', line_end - q);
      if (!qp) break;
      q = static_cast<std::size_t>(static_cast<const char*>(qp) - base);
      if (q == from || base[q - 1] == delim) {
        opened = true;
        break;
      }
      ++q;  // a quote inside an unquoted field is literal
    }
    if (!opened) {
      if (nlp) {
        end = line_end + 1;
        return Scan::complete;
      }
      if (m_eof) {
        end = size;
        return Scan::complete;
      }
      return Scan::need_more;
    }
    // Quoted field: find its closing quote ("" is an escaped quote).
    std::size_t j = q + 1;
    quoted_state = 1;
    for (;;) {
      const void* rp = j < size ? std::memchr(base + j, '"', size - j) : nullptr;
      if (!rp) return m_eof ? Scan::unterminated : Scan::need_more;
      const auto r = static_cast<std::size_t>(static_cast<const char*>(rp) - base);
      if (r + 1 == size && !m_eof) return Scan::need_more;  // cannot tell "" from "
      if (r + 1 < size && base[r + 1] == '"') {
        j = r + 2;
        continue;
      }
      i = r + 1;
      break;
    }
    quoted_state = 0;
  }
}

void CsvChunker::read_header() {
  fill(64u << 10);
  if (m_buf.size() >= 3 && static_cast<unsigned char>(m_buf[0]) == 0xEF &&
      static_cast<unsigned char>(m_buf[1]) == 0xBB && static_cast<unsigned char>(m_buf[2]) == 0xBF)
    m_begin = 3;
  if (m_buf.size() == m_begin && m_eof) {
    if (m_options.has_header) throw InputError(m_path + ":1: error: the file is empty (no header line)");
    return;
  }
  // Delimiter from the first physical line.
  const std::size_t probe_end = std::min(m_buf.size(), m_begin + (64u << 10));
  std::string_view first(m_buf.data() + m_begin, probe_end - m_begin);
  if (auto nl = first.find('\n'); nl != std::string_view::npos) first = first.substr(0, nl);
  m_header.delimiter = m_options.delimiter ? m_options.delimiter : detect_delimiter(first);
  if (!m_options.has_header) return;

  std::size_t end = 0;
  uint32_t quoted = 0;
  for (;;) {
    const Scan s = scan_record(m_begin, end, quoted);
    if (s == Scan::complete) break;
    if (s == Scan::unterminated || m_buf.size() - m_begin > m_options.max_record_bytes)
      throw InputError(m_path + ":1: error: the header line has an unterminated quote or is too long");
    fill(m_buf.size() - m_begin + (1u << 20));
  }
  std::string_view line(m_buf.data() + m_begin, end - m_begin);
  const auto newlines = static_cast<uint64_t>(std::count(line.begin(), line.end(), '\n'));
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  for (auto& name : split_csv_line(line, m_header.delimiter)) m_header.names.emplace_back(trim(name));
  m_header.line = 1;
  m_consumed += end - m_begin + (m_begin == 3 ? 3 : 0);
  m_begin = end;
  m_line += newlines;
}

bool CsvChunker::skip_long_line(CsvChunk& out) {
  // A physical line longer than the limit: keep its start, discard the rest.
  out.bytes.assign(m_buf.data() + m_begin, std::min<std::size_t>(kRawKeep, m_buf.size() - m_begin));
  out.first_line = m_line;
  out.bad = CsvBad::record_too_long;
  uint64_t length = 0;
  for (;;) {
    const void* nl = std::memchr(m_buf.data() + m_begin, '\n', m_buf.size() - m_begin);
    if (nl) {
      const auto end = static_cast<std::size_t>(static_cast<const char*>(nl) - m_buf.data()) + 1;
      length += end - m_begin;
      m_consumed += end - m_begin;
      m_begin = end;
      break;
    }
    length += m_buf.size() - m_begin;
    m_consumed += m_buf.size() - m_begin;
    m_begin = m_buf.size();
    if (m_eof) break;
    fill(1u << 20);
    if (m_buf.size() == m_begin && m_eof) break;
  }
  out.bad_length = length;
  m_line += 1;
  out.seq = m_seq++;
  return true;
}

bool CsvChunker::next(CsvChunk& out) {
  out.bytes.clear();
  out.bad = CsvBad::none;
  out.bad_length = 0;
  fill(m_options.chunk_bytes);
  if (m_begin >= m_buf.size() && m_eof) return false;

  std::size_t pos = m_begin;
  // Fast path: a region without any quote character splits at its last newline (no
  // record-by-record scan), as long as no line in it is over the limit.
  {
    const std::size_t limit = std::min(m_buf.size(), m_begin + m_options.chunk_bytes);
    const char* base = m_buf.data();
    if (limit > m_begin && !std::memchr(base + m_begin, '"', limit - m_begin)) {
      const void* last = ::memrchr(base + m_begin, '\n', limit - m_begin);
      if (last) {
        const auto end = static_cast<std::size_t>(static_cast<const char*>(last) - base) + 1;
        // Every line is shorter than the region, so the limit check only matters for
        // regions larger than max_record_bytes.
        bool long_line = false;
        if (end - m_begin > m_options.max_record_bytes) {
          for (std::size_t i = m_begin; i < end;) {
            const void* nl = std::memchr(base + i, '\n', end - i);
            const auto e = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
            if (e - i > m_options.max_record_bytes) {
              long_line = true;
              break;
            }
            i = e;
          }
        }
        if (!long_line) pos = end;
      }
    }
  }
  for (;;) {
    if (pos >= m_buf.size() && m_eof) break;
    if (pos - m_begin >= m_options.chunk_bytes) break;
    std::size_t end = 0;
    uint32_t in_quotes = 0;
    const Scan s = scan_record(pos, end, in_quotes);
    if (s == Scan::complete && end - pos > m_options.max_record_bytes) {
      // A complete record over the limit is rejected like one still growing.
      if (pos > m_begin) break;
      out.bytes.assign(m_buf.data() + m_begin, std::min<std::size_t>(kRawKeep, end - m_begin));
      out.bad_length = end - m_begin;
      out.first_line = m_line;
      out.bad = CsvBad::record_too_long;
      out.seq = m_seq++;
      m_line += static_cast<uint64_t>(std::count(m_buf.begin() + static_cast<std::ptrdiff_t>(m_begin),
                                                 m_buf.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
      m_consumed += end - m_begin;
      m_begin = end;
      return true;
    }
    if (s == Scan::complete) {
      pos = end;
      if (pos - m_begin >= m_options.chunk_bytes) break;
      continue;
    }
    if (pos > m_begin) break;  // hand out the complete records first
    const bool too_long = m_buf.size() - m_begin > m_options.max_record_bytes;
    if (s == Scan::need_more && !too_long) {
      fill(m_buf.size() - m_begin + m_options.chunk_bytes);
      pos = m_begin;  // fill() compacts the buffer: indexes move
      continue;
    }
    if (!in_quotes) return skip_long_line(out);
    // An unterminated quoted field: only the record's first physical line is bad;
    // reading resumes on the next line.
    const void* nl = std::memchr(m_buf.data() + m_begin, '\n', m_buf.size() - m_begin);
    if (!nl && !m_eof) return skip_long_line(out);
    const std::size_t line_end =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - m_buf.data()) + 1 : m_buf.size();
    // A first line over the limit is too long whether or not the end of the file has
    // been seen yet: the answer must not depend on how the file was buffered (fuzz_csv).
    if (line_end - m_begin > m_options.max_record_bytes) return skip_long_line(out);
    out.bytes.assign(m_buf.data() + m_begin, std::min<std::size_t>(line_end - m_begin, kRawKeep));
    out.bad_length = line_end - m_begin;
    out.first_line = m_line;
    out.bad = CsvBad::unterminated_quote;
    out.seq = m_seq++;
    m_consumed += line_end - m_begin;
    m_begin = line_end;
    m_line += 1;
    return true;
  }
  out.bytes.assign(m_buf.data() + m_begin, pos - m_begin);
  out.first_line = m_line;
  out.seq = m_seq++;
  m_line += count_newlines(out.bytes.data(), out.bytes.size());
  m_consumed += pos - m_begin;
  m_begin = pos;
  return true;
}

// ---------------------------------------------------------------------------------
// Record parsing

uint64_t parse_records(const CsvChunk& chunk, char delimiter,
                       const std::function<void(const CsvRecord&)>& fn) {
  if (chunk.bad != CsvBad::none) {
    std::string_view raw(chunk.bytes);
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
    CsvRecord rec;
    rec.line = chunk.first_line;
    rec.raw = raw;
    rec.bad = chunk.bad;
    fn(rec);
    return 0;
  }
  const char* p = chunk.bytes.data();
  const char* const end = p + chunk.bytes.size();
  std::vector<std::string_view> fields;
  fields.reserve(32);
  std::string scratch;
  scratch.reserve(chunk.bytes.size());  // never reallocates: views into it stay valid
  uint64_t line = chunk.first_line;
  uint64_t blank = 0;

  while (p < end) {
    const char* rec_start = p;
    fields.clear();
    // Fast path: a line with no quote character is split with memchr.
    {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      const char* line_end = nl ? nl : end;
      if (!std::memchr(p, '"', static_cast<std::size_t>(line_end - p))) {
        const char* content_end = line_end > p && line_end[-1] == '\r' ? line_end - 1 : line_end;
        const char* f = p;
        for (;;) {
          const char* d = static_cast<const char*>(std::memchr(f, delimiter, static_cast<std::size_t>(content_end - f)));
          if (!d) {
            fields.emplace_back(f, static_cast<std::size_t>(content_end - f));
            break;
          }
          fields.emplace_back(f, static_cast<std::size_t>(d - f));
          f = d + 1;
        }
        p = nl ? nl + 1 : end;
        const uint64_t rec_line = line++;
        if (content_end == rec_start) {
          ++blank;
          continue;
        }
        CsvRecord rec;
        rec.fields = fields;
        rec.line = rec_line;
        rec.lines = 1;
        rec.raw = std::string_view(rec_start, static_cast<std::size_t>(content_end - rec_start));
        fn(rec);
        continue;
      }
    }
    uint32_t embedded = 0;
    bool record_done = false;
    while (!record_done) {
      if (p < end && *p == '"') {
        // Quoted field.
        const char* q = p + 1;
        const char* seg = q;
        const std::size_t scratch_start = scratch.size();
        bool used_scratch = false;
        for (;;) {
          const char* r = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(end - q)));
          if (!r) r = end;  // cannot happen for chunker output; be safe
          for (const char* c = q; c < r; ++c)
            if (*c == '\n') ++embedded;
          if (r + 1 < end && r[1] == '"') {
            scratch.append(seg, static_cast<std::size_t>(r + 1 - seg));  // keep one quote
            used_scratch = true;
            q = r + 2;
            seg = q;
            continue;
          }
          // Closing quote (or end).
          const char* after = r < end ? r + 1 : end;
          // Text between the closing quote and the delimiter is kept literally.
          const char* t = after;
          while (t < end && *t != delimiter && *t != '\n') ++t;
          const char* tail_end = t;
          if (tail_end > after && tail_end[-1] == '\r' && (t >= end || *t == '\n')) --tail_end;
          if (used_scratch || tail_end > after) {
            scratch.append(seg, static_cast<std::size_t>(r - seg));
            scratch.append(after, static_cast<std::size_t>(tail_end - after));
            fields.emplace_back(scratch.data() + scratch_start, scratch.size() - scratch_start);
          } else {
            fields.emplace_back(seg, static_cast<std::size_t>(r - seg));
          }
          p = t;
          break;
        }
      } else {
        const char* t = p;
        while (t < end && *t != delimiter && *t != '\n') ++t;
        const char* fe = t;
        if (fe > p && fe[-1] == '\r' && (t >= end || *t == '\n')) --fe;
        fields.emplace_back(p, static_cast<std::size_t>(fe - p));
        p = t;
      }
      if (p >= end) {
        record_done = true;
      } else if (*p == delimiter) {
        ++p;
      } else {  // '\n'
        ++p;
        record_done = true;
      }
    }
    std::string_view raw(rec_start, static_cast<std::size_t>(p - rec_start));
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
    const uint64_t rec_line = line;
    line += 1 + embedded;
    if (raw.empty()) {
      ++blank;
      continue;
    }
    CsvRecord rec;
    rec.fields = fields;
    rec.line = rec_line;
    rec.lines = 1 + embedded;
    rec.raw = raw;
    fn(rec);
  }
  return blank;
}

std::vector<std::string> split_csv_line(std::string_view line, char delimiter) {
  CsvChunk chunk;
  chunk.bytes.assign(line);
  chunk.first_line = 1;
  std::vector<std::string> out;
  parse_records(chunk, delimiter, [&](const CsvRecord& r) {
    if (!out.empty()) return;  // only the first record
    for (auto f : r.fields) out.emplace_back(f);
  });
  return out;
}

}  // namespace hotspot::layers
