#include "core/geocode/gazetteer_file.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/geocode/detail/xxhash.hpp"

namespace hotspot::core::geocode {

namespace {

constexpr char kMagic[8] = {'H', 'S', 'G', 'A', 'Z', 'I', 'D', 'X'};
constexpr uint32_t kByteOrderMark = 0x01020304u;
constexpr std::size_t kHeaderSize = 64;
constexpr std::size_t kTableEntrySize = 32;
constexpr std::size_t kSectionCount = 20;
// Header + table, and the bytes the header checksum covers (fixed-size arrays: GCC 12
// reports false null dereferences through vector data() here).
using HeadBytes = std::array<unsigned char, kHeaderSize + kTableEntrySize * kSectionCount>;
using CoveredBytes = std::array<unsigned char, 56 + kTableEntrySize * kSectionCount>;

uint64_t head_checksum(const unsigned char* header, const unsigned char* table) {
  CoveredBytes covered{};
  std::memcpy(covered.data(), header, 56);
  std::memcpy(covered.data() + 56, table, kTableEntrySize * kSectionCount);
  return detail::xxh64(covered.data(), covered.size());
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// A section: which array of GazetteerData, under what id and name.
struct Section {
  uint32_t id;
  const char* name;
  uint32_t record_size;
  // For saving: the bytes; for loading: where they go.
  const void* data = nullptr;
  uint64_t count = 0;
};

template <typename T>
Section make(uint32_t id, const char* name, const std::vector<T>& v) {
  return Section{id, name, static_cast<uint32_t>(sizeof(T)), v.data(), v.size()};
}

std::string join_sources(const std::vector<std::string>& s) {
  std::string out;
  for (const auto& line : s) {
    if (!out.empty()) out.push_back('\n');
    out += line;
  }
  return out;
}

// The sections in file order. `sources` and `extent` are filled by the caller.
std::vector<Section> sections_of(const detail::GazetteerData& d, const std::string& sources,
                                 const std::array<double, 4>& extent) {
  return {
      make(1, "strings", d.chars),
      make(2, "string offsets", d.string_offsets),
      make(3, "addresses", d.addresses),
      make(4, "streets", d.streets),
      make(5, "street vertices", d.vertices),
      make(6, "street names", d.names),
      make(7, "street name lists", d.name_streets),
      make(8, "places", d.places),
      make(9, "place street lists", d.place_streets),
      make(10, "place prefixes", d.place_prefixes),
      make(11, "place prefix lists", d.prefix_places),
      make(12, "postcodes", d.postcodes),
      make(13, "postcode street lists", d.postcode_streets),
      make(14, "sectors", d.sectors),
      make(15, "sector street lists", d.sector_streets),
      make(16, "districts", d.districts),
      make(17, "district street lists", d.district_streets),
      make(18, "UPRNs", d.uprns),
      Section{19, "sources", 1, sources.data(), sources.size()},
      Section{20, "extent", 8, extent.data(), 4},
  };
}

void put32(unsigned char* p, uint32_t v) { std::memcpy(p, &v, 4); }
void put64(unsigned char* p, uint64_t v) { std::memcpy(p, &v, 8); }
uint32_t get32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t get64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

uint64_t align8(uint64_t v) { return (v + 7) & ~uint64_t{7}; }

[[noreturn]] void corrupt(const std::filesystem::path& path, const std::string& what) {
  throw InputError(path.string() + ": error: damaged gazetteer index (" + what +
                   "); rebuild it with hotspot geocode --save-index");
}

}  // namespace

void save_gazetteer(const Gazetteer& g, const std::filesystem::path& path) {
  const detail::GazetteerData& d = g.data();
  const std::string sources = join_sources(d.sources);
  const std::array<double, 4> extent{d.min_x, d.min_y, d.max_x, d.max_y};
  const std::vector<Section> sections = sections_of(d, sources, extent);

  HeadBytes head{};
  std::memcpy(head.data(), kMagic, 8);
  put32(head.data() + 8, kGazetteerFormatVersion);
  put32(head.data() + 12, kByteOrderMark);
  put32(head.data() + 16, static_cast<uint32_t>(sections.size()));
  uint64_t offset = align8(head.size());
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const Section& s = sections[i];
    unsigned char* e = head.data() + kHeaderSize + kTableEntrySize * i;
    const uint64_t bytes = s.count * s.record_size;
    put32(e, s.id);
    put32(e + 4, s.record_size);
    put64(e + 8, offset);
    put64(e + 16, s.count);
    put64(e + 24, detail::xxh64(s.data, static_cast<std::size_t>(bytes)));
    offset = align8(offset + bytes);
  }
  put64(head.data() + 24, offset);  // file size
  put64(head.data() + 56, head_checksum(head.data(), head.data() + kHeaderSize));

  File f(std::fopen(path.c_str(), "wb"));
  if (!f) throw IoError(path.string() + ": cannot write: " + std::strerror(errno));
  static constexpr char kZeros[8] = {};
  uint64_t written = 0;
  auto write = [&](const void* p, std::size_t n) {
    if (n && std::fwrite(p, 1, n, f.get()) != n) throw IoError(path.string() + ": write failed: " + std::strerror(errno));
    written += n;
  };
  write(head.data(), head.size());
  write(kZeros, static_cast<std::size_t>(align8(written) - written));
  for (const Section& s : sections) {
    write(s.data, static_cast<std::size_t>(s.count * s.record_size));
    write(kZeros, static_cast<std::size_t>(align8(written) - written));
  }
  if (std::fflush(f.get()) != 0) throw IoError(path.string() + ": write failed: " + std::strerror(errno));
  std::FILE* raw = f.release();
  if (std::fclose(raw) != 0) throw IoError(path.string() + ": write failed: " + std::strerror(errno));
}

bool is_gazetteer_index(const std::filesystem::path& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return false;
  char magic[8] = {};
  return std::fread(magic, 1, 8, f.get()) == 8 && std::memcmp(magic, kMagic, 8) == 0;
}

namespace {

template <typename T>
void read_section(std::FILE* f, const std::filesystem::path& path, const Section& want, uint64_t offset,
                  uint64_t count, uint64_t checksum, std::vector<T>& out) {
  out.resize(static_cast<std::size_t>(count));
  const auto bytes = static_cast<std::size_t>(count * sizeof(T));
  if (bytes > 0) {
    if (std::fseek(f, static_cast<long>(offset), SEEK_SET) != 0 || std::fread(out.data(), 1, bytes, f) != bytes)
      throw IoError(path.string() + ": read failed in section '" + want.name + "'");
  }
  if (detail::xxh64(out.data(), bytes) != checksum) corrupt(path, std::string("checksum mismatch in section '") + want.name + "'");
}

void check(bool ok, const std::filesystem::path& path, const char* what) {
  if (!ok) corrupt(path, what);
}

// Every stored index points inside its array (a crafted file must not read out of bounds).
void validate(const detail::GazetteerData& d, const std::filesystem::path& path) {
  using detail::NameRange;
  const uint32_t kNone = Gazetteer::kNone;
  // An empty gazetteer has no string table at all.
  check((d.string_offsets.empty() && d.chars.empty()) ||
            (!d.string_offsets.empty() && d.string_offsets.front() == 0 && d.string_offsets.back() == d.chars.size() &&
             std::is_sorted(d.string_offsets.begin(), d.string_offsets.end())),
        path, "string table");
  const std::size_t strings = d.string_offsets.empty() ? 0 : d.string_offsets.size() - 1;
  auto str = [&](uint32_t id) { return id < strings; };
  auto range = [](uint32_t first, uint32_t count, std::size_t size) {
    return static_cast<uint64_t>(first) + count <= size;
  };
  for (const auto& a : d.addresses)
    check(a.street < d.streets.size() && (a.postcode == kNone || a.postcode < d.postcodes.size()) && str(a.sao) &&
              str(a.building),
          path, "address record");
  for (const auto& s : d.streets)
    check(str(s.name) && str(s.town) && str(s.locality) && range(s.first_address, s.address_count, d.addresses.size()) &&
              range(s.first_vertex, s.vertex_count, d.vertices.size()),
          path, "street record");
  auto ranges = [&](const std::vector<NameRange>& v, const std::vector<uint32_t>& ids, std::size_t target,
                    const char* what) {
    for (const auto& r : v) check(str(r.text) && range(r.first, r.count, ids.size()), path, what);
    for (uint32_t id : ids) check(id < target, path, what);
    check(std::is_sorted(v.begin(), v.end(), [](const NameRange& a, const NameRange& b) { return a.hash < b.hash; }),
          path, what);
  };
  ranges(d.names, d.name_streets, d.streets.size(), "street name index");
  ranges(d.places, d.place_streets, d.streets.size(), "place index");
  ranges(d.place_prefixes, d.prefix_places, d.places.size(), "place prefix index");
  for (const auto& p : d.postcodes)
    check(str(p.ward) && str(p.district) && range(p.first_street, p.street_count, d.postcode_streets.size()), path,
          "postcode record");
  for (uint32_t s : d.postcode_streets) check(s < d.streets.size(), path, "postcode street list");
  check(std::is_sorted(d.postcodes.begin(), d.postcodes.end(), [](const auto& a, const auto& b) { return a.key < b.key; }),
        path, "postcode order");
  auto areas = [&](const std::vector<detail::AreaEntry>& v, const std::vector<uint32_t>& ids, const char* what) {
    for (const auto& a : v) check(range(a.first_street, a.street_count, ids.size()), path, what);
    for (uint32_t s : ids) check(s < d.streets.size(), path, what);
    check(std::is_sorted(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.key < b.key; }), path, what);
  };
  areas(d.sectors, d.sector_streets, "sector index");
  areas(d.districts, d.district_streets, "district index");
  for (const auto& u : d.uprns) check(u.address < d.addresses.size(), path, "UPRN index");
  check(std::is_sorted(d.uprns.begin(), d.uprns.end(), [](const auto& a, const auto& b) { return a.uprn < b.uprn; }),
        path, "UPRN order");
}

}  // namespace

Gazetteer load_gazetteer(const std::filesystem::path& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw IoError(path.string() + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(::fileno(f.get()), &st) != 0) throw IoError(path.string() + ": cannot read: " + std::strerror(errno));
  const auto file_size = static_cast<uint64_t>(st.st_size);
  unsigned char header[kHeaderSize] = {};
  if (file_size < 8 || std::fread(header, 1, std::min<uint64_t>(file_size, kHeaderSize), f.get()) == 0 ||
      std::memcmp(header, kMagic, 8) != 0)
    throw InputError(path.string() + ": error: not a Hotspot gazetteer index (no HSGAZIDX header)");
  if (file_size < kHeaderSize) corrupt(path, "truncated header");
  const uint32_t version = get32(header + 8);
  if (version != kGazetteerFormatVersion)
    throw InputError(path.string() + ": error: gazetteer index format version " + std::to_string(version) +
                     "; this hotspot reads version " + std::to_string(kGazetteerFormatVersion) +
                     ": rebuild it with hotspot geocode --save-index");
  if (get32(header + 12) != kByteOrderMark)
    throw InputError(path.string() + ": error: gazetteer index written on a machine of another byte order; rebuild it");
  const uint32_t count = get32(header + 16);
  const uint64_t size = get64(header + 24);
  if (size != file_size)
    corrupt(path, "the header says " + std::to_string(size) + " bytes, the file has " + std::to_string(file_size) +
                      (file_size < size ? ": truncated" : ""));
  if (count != kSectionCount) corrupt(path, std::to_string(count) + " sections, expected " + std::to_string(kSectionCount));
  if (kHeaderSize + kTableEntrySize * count > file_size) corrupt(path, "truncated section table");
  std::array<unsigned char, kTableEntrySize * kSectionCount> table{};
  if (std::fread(table.data(), 1, table.size(), f.get()) != table.size())
    throw IoError(path.string() + ": read failed in the section table");
  if (head_checksum(header, table.data()) != get64(header + 56)) corrupt(path, "header checksum mismatch");

  detail::GazetteerData d;
  std::string sources;
  std::array<double, 4> extent{};
  const std::vector<Section> want = sections_of(d, sources, extent);
  std::vector<double> extent_v;
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* e = table.data() + kTableEntrySize * i;
    const Section& w = want[i];
    const uint32_t id = get32(e), record = get32(e + 4);
    const uint64_t offset = get64(e + 8), n = get64(e + 16), sum = get64(e + 24);
    if (id != w.id) corrupt(path, "section " + std::to_string(i) + " has id " + std::to_string(id));
    if (record != w.record_size)
      corrupt(path, std::string("section '") + w.name + "' has " + std::to_string(record) + "-byte records, expected " +
                        std::to_string(w.record_size));
    if (n > file_size || offset > file_size || n * record > file_size - offset)
      corrupt(path, std::string("section '") + w.name + "' runs past the end of the file");
    switch (id) {
      case 1: read_section(f.get(), path, w, offset, n, sum, d.chars); break;
      case 2: read_section(f.get(), path, w, offset, n, sum, d.string_offsets); break;
      case 3: read_section(f.get(), path, w, offset, n, sum, d.addresses); break;
      case 4: read_section(f.get(), path, w, offset, n, sum, d.streets); break;
      case 5: read_section(f.get(), path, w, offset, n, sum, d.vertices); break;
      case 6: read_section(f.get(), path, w, offset, n, sum, d.names); break;
      case 7: read_section(f.get(), path, w, offset, n, sum, d.name_streets); break;
      case 8: read_section(f.get(), path, w, offset, n, sum, d.places); break;
      case 9: read_section(f.get(), path, w, offset, n, sum, d.place_streets); break;
      case 10: read_section(f.get(), path, w, offset, n, sum, d.place_prefixes); break;
      case 11: read_section(f.get(), path, w, offset, n, sum, d.prefix_places); break;
      case 12: read_section(f.get(), path, w, offset, n, sum, d.postcodes); break;
      case 13: read_section(f.get(), path, w, offset, n, sum, d.postcode_streets); break;
      case 14: read_section(f.get(), path, w, offset, n, sum, d.sectors); break;
      case 15: read_section(f.get(), path, w, offset, n, sum, d.sector_streets); break;
      case 16: read_section(f.get(), path, w, offset, n, sum, d.districts); break;
      case 17: read_section(f.get(), path, w, offset, n, sum, d.district_streets); break;
      case 18: read_section(f.get(), path, w, offset, n, sum, d.uprns); break;
      case 19: {
        std::vector<char> text;
        read_section(f.get(), path, w, offset, n, sum, text);
        sources.assign(text.begin(), text.end());
        break;
      }
      case 20:
        if (n != 4) corrupt(path, "extent");
        read_section(f.get(), path, w, offset, n, sum, extent_v);
        break;
      default: corrupt(path, "unknown section id " + std::to_string(id));
    }
  }
  validate(d, path);
  std::size_t pos = 0;
  while (pos < sources.size()) {
    const std::size_t nl = sources.find('\n', pos);
    d.sources.push_back(sources.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  d.min_x = extent_v[0];
  d.min_y = extent_v[1];
  d.max_x = extent_v[2];
  d.max_y = extent_v[3];
  return Gazetteer(std::move(d));
}

}  // namespace hotspot::core::geocode
