#include "layers/io/police_uk_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>

#include "core/base/error.hpp"
#include "core/base/random.hpp"
#include "core/geo/crs.hpp"
#include "layers/io/csv_writer.hpp"

namespace hotspot::layers {

namespace {

namespace fs = std::filesystem;

const char* const kHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context";

// Outcomes as police.uk words them; a synthetic crime gets one at random.
const char* const kOutcomes[] = {"Investigation complete; no suspect identified",
                                 "Unable to prosecute suspect",
                                 "Under investigation",
                                 "Status update unavailable",
                                 "Awaiting court outcome",
                                 "Offender given a caution",
                                 "Local resolution"};

void append_fixed(std::string& out, double v, int decimals) {
  char buf[40];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  out.append(buf, static_cast<std::size_t>(p - buf));
}

void append_int(std::string& out, uint64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(p - buf));
}

// One row into `line`. lon/lat are already in WGS84.
void format_row(std::string& line, const core::IncidentTable& t, const core::Taxonomy& tax, std::size_t i,
                double lon, double lat, const std::string& month, const std::string& force,
                const std::string& area_name, uint64_t seed) {
  const core::Category& cat = tax.get(t.category()[i]);
  const bool asb = cat.slug == "anti-social-behaviour";
  hotspot::Rng rng = hotspot::Rng(seed).stream(0x5EED0000ULL + static_cast<uint64_t>(t.line()[i]));
  if (!asb) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int w = 0; w < 4; ++w) {
      uint64_t v = rng.next();
      for (int k = 0; k < 16; ++k) {
        line.push_back(kHex[v & 0xF]);
        v >>= 4;
      }
    }
  }
  line.push_back(',');
  line += month;
  line.push_back(',');
  append_csv_field(line, force);
  line.push_back(',');
  append_csv_field(line, force);
  line.push_back(',');
  append_fixed(line, lon, 6);
  line.push_back(',');
  append_fixed(line, lat, 6);
  line += ",On or near Synthetic Location ";
  // Identical coordinates get identical location text, as on police.uk.
  const auto key = static_cast<uint64_t>(t.x_m()[i] * 10.0) * 1000003ULL ^ static_cast<uint64_t>(t.y_m()[i] * 10.0);
  append_int(line, key % 100000);
  line.push_back(',');
  append_csv_field(line, t.area_codes().get(t.area()[i]));
  line.push_back(',');
  append_csv_field(line, area_name);
  line.push_back(',');
  append_csv_field(line, cat.name);
  line.push_back(',');
  if (!asb) line += kOutcomes[rng.below(std::size(kOutcomes))];
  line += ",\n";
}

std::string slug(const std::string& s) { return core::slugify(s); }

class RawFile {
 public:
  explicit RawFile(const fs::path& p) : m_out(p) {
    m_f = std::fopen(m_out.temp_path().c_str(), "wb");
    if (!m_f) throw IoError(p.string() + ": cannot create: " + std::strerror(errno));
  }
  ~RawFile() {
    if (m_f) std::fclose(m_f);
  }
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;
  void write(const std::string& s) {
    if (std::fwrite(s.data(), 1, s.size(), m_f) != s.size())
      throw IoError(m_out.target().string() + ": write failed: " + std::strerror(errno));
  }
  void commit() {
    const int rc = std::fclose(m_f);
    m_f = nullptr;
    if (rc != 0) throw IoError(m_out.target().string() + ": write failed: " + std::strerror(errno));
    m_out.commit();
  }

 private:
  AtomicOutput m_out;
  std::FILE* m_f = nullptr;
};

}  // namespace

std::vector<fs::path> write_police_uk(const core::IncidentTable& t, const core::Taxonomy& tax, const fs::path& out,
                                      const PoliceUkWriteOptions& o) {
  // WGS84 coordinates, police.uk style. Snapped data repeats points: the cache helps.
  std::vector<double> lon(t.x_m().begin(), t.x_m().end()), lat(t.y_m().begin(), t.y_m().end());
  core::TransformCache cache(core::Transformer::bng_to_wgs84());
  cache.transform(lon, lat);

  std::map<uint32_t, std::string> names;  // area id -> name
  auto area_name = [&](uint32_t id) -> const std::string& {
    auto it = names.find(id);
    if (it != names.end()) return it->second;
    std::string n = o.area_name && id != StringPool::kEmpty ? o.area_name(t.area_codes().get(id)) : std::string();
    return names.emplace(id, std::move(n)).first->second;
  };

  std::string ext = out.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool single = ext == ".csv";
  std::vector<fs::path> written;
  std::string buffer;
  buffer.reserve(8u << 20);

  // Rows grouped by month, in table order within a month.
  std::map<core::MonthIndex, std::vector<uint32_t>> by_month;
  if (!single)
    for (std::size_t i = 0; i < t.size(); ++i) by_month[t.month()[i]].push_back(static_cast<uint32_t>(i));

  // Writes rows index_of(0 .. n-1) of the table.
  auto write_rows = [&](RawFile& f, std::size_t n, auto&& index_of) {
    buffer = kHeader;
    buffer.push_back('\n');
    std::string month;
    core::MonthIndex last_month = std::numeric_limits<core::MonthIndex>::min();
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = index_of(k);
      if (t.month()[i] != last_month) {
        last_month = t.month()[i];
        month = core::format_month(last_month);
      }
      format_row(buffer, t, tax, i, lon[i], lat[i], month, o.force, area_name(t.area()[i]), o.seed);
      if (buffer.size() > (4u << 20)) {
        f.write(buffer);
        buffer.clear();
      }
    }
    f.write(buffer);
    buffer.clear();
  };

  if (single) {
    if (out.has_parent_path()) fs::create_directories(out.parent_path());
    RawFile f(out);
    write_rows(f, t.size(), [](std::size_t k) { return k; });
    f.commit();
    written.push_back(out);
    return written;
  }
  fs::create_directories(out);
  const std::string force_slug = slug(o.force);
  for (const auto& [m, rows] : by_month) {
    const fs::path p = out / (core::format_month(m) + "-" + force_slug + "-street.csv");
    RawFile f(p);
    write_rows(f, rows.size(), [&rows](std::size_t k) { return static_cast<std::size_t>(rows[k]); });
    f.commit();
    written.push_back(p);
  }
  return written;
}

void write_dated_csv(const core::IncidentTable& t, const core::Taxonomy& tax, const fs::path& out) {
  std::vector<double> lon(t.x_m().begin(), t.x_m().end()), lat(t.y_m().begin(), t.y_m().end());
  core::TransformCache cache(core::Transformer::bng_to_wgs84());
  cache.transform(lon, lat);
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  CsvWriter w(out);
  w.row({"id", "date", "month", "category", "x", "y", "lon", "lat", "area_code"});
  for (std::size_t i = 0; i < t.size(); ++i) {
    w.field(static_cast<uint64_t>(t.line()[i]));
    w.field(core::format_day(t.day()[i]));
    w.field(core::format_month(t.month()[i]));
    w.field(tax.get(t.category()[i]).name);
    w.field(t.x_m()[i], 2);
    w.field(t.y_m()[i], 2);
    w.field(lon[i], 6);
    w.field(lat[i], 6);
    w.field(t.area_codes().get(t.area()[i]));
    w.end_row();
  }
  w.commit();
}

}  // namespace hotspot::layers
