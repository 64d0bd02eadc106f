#include "layers/study/run_cache.hpp"

#include <fstream>

#include "layers/io/atomic_output.hpp"

namespace hotspot::layers {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'H', 'S', 'C', 'A', 'C', 'H', 'E', '1'};

uint64_t fnv1a(const char* p, std::size_t n, uint64_t h = 1469598103934665603ull) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::optional<CacheBlob> RunCache::load(const std::string& stage, const std::string& key) const {
  if (!m_enabled) return std::nullopt;
  const fs::path path = m_dir / (stage + ".bin");
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  CacheBlob b;
  b.bytes().resize(size);
  f.read(b.bytes().data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(f.gcount()) != size) return std::nullopt;
  try {
    for (char c : kMagic)
      if (b.get<char>() != c) return std::nullopt;
    if (b.get_string() != key) return std::nullopt;
    const auto hash = b.get<uint64_t>();
    const auto payload = b.get<uint64_t>();
    const std::size_t header = sizeof kMagic + sizeof(uint64_t) + key.size() + 2 * sizeof(uint64_t);
    if (b.bytes().size() != header + payload) return std::nullopt;
    if (fnv1a(b.bytes().data() + header, payload) != hash) return std::nullopt;
  } catch (const InputError&) {
    return std::nullopt;
  }
  return b;  // positioned at the payload
}

std::string RunCache::store(const std::string& stage, const std::string& key, const CacheBlob& payload) const {
  if (!m_enabled) return {};
  try {
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    if (ec) return "cache: cannot create " + m_dir.string() + ": " + ec.message();
    CacheBlob head;
    for (char c : kMagic) head.put(c);
    head.put_string(key);
    head.put<uint64_t>(fnv1a(payload.bytes().data(), payload.bytes().size()));
    head.put<uint64_t>(payload.bytes().size());
    AtomicOutput out(m_dir / (stage + ".bin"));
    {
      std::ofstream f(out.temp_path(), std::ios::binary);
      f.write(head.bytes().data(), static_cast<std::streamsize>(head.bytes().size()));
      f.write(payload.bytes().data(), static_cast<std::streamsize>(payload.bytes().size()));
      f.flush();
      if (!f) return "cache: cannot write " + (m_dir / (stage + ".bin")).string();
    }
    out.commit();
  } catch (const Error& e) {
    return std::string("cache: ") + e.what();
  }
  return {};
}

std::string RunCache::file_key(std::span<const fs::path> files) {
  std::string key;
  std::vector<char> buf(64 * 1024);
  for (const auto& p : files) {
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    if (ec) throw IoError(p.string() + ": cannot read: " + ec.message());
    const auto mtime = fs::last_write_time(p, ec).time_since_epoch().count();
    std::ifstream f(p, std::ios::binary);
    if (!f) throw IoError(p.string() + ": cannot open");
    f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    uint64_t h = fnv1a(buf.data(), static_cast<std::size_t>(f.gcount()));
    if (size > buf.size()) {
      f.clear();
      f.seekg(static_cast<std::streamoff>(size - buf.size()));
      f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      h = fnv1a(buf.data(), static_cast<std::size_t>(f.gcount()), h);
    }
    key += p.string() + "|" + std::to_string(size) + "|" + std::to_string(mtime) + "|" + std::to_string(h) + "\n";
  }
  return key;
}

}  // namespace hotspot::layers
