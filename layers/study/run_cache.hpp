#pragma once
// RunCache: the intermediate results `hotspot run` keeps in DIR/cache/ so that a
// rerun with unchanged inputs and settings skips the work (ingest, Gi*, KDE,
// emerging hot spots).
//
// Each entry is one file DIR/cache/<stage>.bin holding a key and a payload. The key
// is a text that names everything the stage's result depends on: every input file's
// path, size, modification time and a hash of its first and last 64 KiB, and the
// JSON of the study settings the stage reads (and the key of the stage before it).
// A lookup compares the stored key with the wanted one byte for byte: any change
// (a file touched, a setting edited, a new program version) is a miss. Entries are
// written atomically, so a crash leaves the previous entry or none.
//
//   std::string key = RunCache::file_key(files) + settings.dump();
//   if (auto r = cache.load("ingest", key)) { table = read_table(*r); }
//   else { ...; CacheBlob b; write_table(b, table); cache.store("ingest", key, b); }
//
// Limits: a file rewritten with the same size within the same mtime tick and the
// same first and last 64 KiB is not noticed (make has the same blind spot, with
// less); payloads are native-endian (the cache is per machine).

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "core/base/error.hpp"

namespace hotspot::layers {

// A byte buffer with typed appends and reads (trivially copyable values, vectors
// of them, strings).
class CacheBlob {
 public:
  template <typename T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&v);
    m_bytes.insert(m_bytes.end(), p, p + sizeof(T));
  }
  void put_string(const std::string& s) {
    put<uint64_t>(s.size());
    m_bytes.insert(m_bytes.end(), s.begin(), s.end());
  }
  template <typename T>
  void put_vector(std::span<const T> v) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<uint64_t>(v.size());
    const auto* p = reinterpret_cast<const char*>(v.data());
    m_bytes.insert(m_bytes.end(), p, p + v.size() * sizeof(T));
  }

  template <typename T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    need(sizeof(T));
    T v;
    std::memcpy(&v, m_bytes.data() + m_pos, sizeof(T));
    m_pos += sizeof(T);
    return v;
  }
  std::string get_string() {
    const auto n = get<uint64_t>();
    need(n);
    std::string s(m_bytes.data() + m_pos, n);
    m_pos += n;
    return s;
  }
  template <typename T>
  std::vector<T> get_vector() {
    const auto n = get<uint64_t>();
    if (n > (m_bytes.size() - m_pos) / sizeof(T)) throw InputError("cache entry is truncated");
    std::vector<T> v(n);
    if (n != 0) std::memcpy(v.data(), m_bytes.data() + m_pos, n * sizeof(T));  // v.data() may be null
    m_pos += n * sizeof(T);
    return v;
  }

  [[nodiscard]] std::vector<char>& bytes() { return m_bytes; }
  [[nodiscard]] const std::vector<char>& bytes() const { return m_bytes; }

 private:
  void need(std::size_t n) const {
    if (n > m_bytes.size() - m_pos) throw InputError("cache entry is truncated");
  }
  std::vector<char> m_bytes;
  std::size_t m_pos = 0;
};

class RunCache {
 public:
  // dir: DIR/cache (created on first store). enabled = false: every load misses and
  // nothing is stored (`hotspot run --no-cache`).
  RunCache(std::filesystem::path dir, bool enabled) : m_dir(std::move(dir)), m_enabled(enabled) {}

  // The payload stored under `stage` if its key equals `key`; nullopt otherwise
  // (no entry, another key, a damaged file).
  std::optional<CacheBlob> load(const std::string& stage, const std::string& key) const;
  // Stores atomically. A failure to write the cache is not an error of the run: it
  // is returned as a warning sentence (empty when stored).
  std::string store(const std::string& stage, const std::string& key, const CacheBlob& payload) const;

  // The part of a key that identifies input files (path, size, mtime, edge hashes).
  // @throws IoError when a file cannot be read.
  static std::string file_key(std::span<const std::filesystem::path> files);

  [[nodiscard]] bool enabled() const { return m_enabled; }
  [[nodiscard]] const std::filesystem::path& dir() const { return m_dir; }

 private:
  std::filesystem::path m_dir;
  bool m_enabled;
};

}  // namespace hotspot::layers
