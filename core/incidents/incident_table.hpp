#pragma once
// IncidentTable: the incidents of a study as a struct of arrays (one column per
// attribute), in the working CRS (British National Grid, metres).
//
// Why columns: a national year is about 6 million rows; analyses scan one or two
// columns at a time (x/y for binning, month for windows), and the budget is
// <= 48 bytes per incident. The row costs kBytesPerRow = 38 bytes:
//   x_m, y_m       double   16   easting/northing, EPSG:27700
//   month          int32     4   months since 2000-01 (core/incidents/time.hpp)
//   day            int32     4   days since 1970-01-01, kNoDay if only a month is known
//   category       uint16    2   id into the study's Taxonomy
//   method, score  uint8     2   how the location was obtained, 0-100 confidence
//   source         uint16    2   index into sources() (the input file)
//   line           uint32    4   1-based physical line (CSV) or feature number (OGR)
//   area           uint32    4   id into area_codes(): an area code carried by the
//                                input (police.uk "LSOA code"), StringPool::kEmpty if none
// Strings (file names, LSOA codes) are stored once in dictionaries.
//
// Every row traces back to its input: source(row) + line(row).
//
//   IncidentTable t;
//   uint16_t src = t.add_source("2023-05-city-of-london-street.csv");
//   t.push_back({.x_m = 532000, .y_m = 181000, .month = 280, .category = 2,
//                .source = src, .line = 2});
//   for (std::size_t i = 0; i < t.size(); ++i) use(t.x_m()[i], t.y_m()[i]);

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/string_pool.hpp"
#include "core/incidents/taxonomy.hpp"
#include "core/incidents/time.hpp"

namespace hotspot::core {

// How an incident's location was obtained. Written out by name (see method_name()).
enum class GeocodeMethod : uint8_t {
  lonlat,           // WGS84 longitude/latitude given in the input
  xy,               // projected easting/northing given in the input
  grid_reference,   // an OS grid reference column
  uprn,             // matched on UPRN in the address gazetteer
  address,          // exact address match
  address_fuzzy,    // fuzzy address match
  street,           // street + town representative point
  postcode,         // full postcode centroid
  postcode_sector,  // postcode sector centroid
  text_coordinates, // coordinates found in free text
  text_grid_reference,
  kCount
};
const char* method_name(GeocodeMethod m);

class IncidentTable {
 public:
  static constexpr std::size_t kBytesPerRow = 2 * sizeof(double) + 2 * sizeof(int32_t) +
                                              sizeof(CategoryId) + 2 * sizeof(uint8_t) +
                                              sizeof(uint16_t) + 2 * sizeof(uint32_t);
  static_assert(kBytesPerRow <= 48, "IncidentTable must stay within 48 bytes per incident");

  // A plain aggregate used to add and read single rows.
  struct Row {
    double x_m = 0;
    double y_m = 0;
    MonthIndex month = 0;
    DayNumber day = kNoDay;
    CategoryId category = 0;
    GeocodeMethod method = GeocodeMethod::lonlat;
    uint8_t score = 100;
    uint16_t source = 0;
    uint32_t line = 0;
    uint32_t area = StringPool::kEmpty;
  };

  [[nodiscard]] std::size_t size() const { return m_x.size(); }
  [[nodiscard]] bool empty() const { return m_x.empty(); }
  void reserve(std::size_t n);
  void clear();

  void push_back(const Row& r) {
    m_x.push_back(r.x_m);
    m_y.push_back(r.y_m);
    m_month.push_back(r.month);
    m_day.push_back(r.day);
    m_category.push_back(r.category);
    m_method.push_back(static_cast<uint8_t>(r.method));
    m_score.push_back(r.score);
    m_source.push_back(r.source);
    m_line.push_back(r.line);
    m_area.push_back(r.area);
  }
  // Requires: i < size().
  [[nodiscard]] Row row(std::size_t i) const;

  // Appends every row of `other`, remapping its source and area ids into this
  // table's dictionaries.
  void append(const IncidentTable& other);

  // Columns (views stay valid until the table is modified).
  [[nodiscard]] std::span<const double> x_m() const { return m_x; }
  [[nodiscard]] std::span<const double> y_m() const { return m_y; }
  [[nodiscard]] std::span<const MonthIndex> month() const { return m_month; }
  [[nodiscard]] std::span<const DayNumber> day() const { return m_day; }
  [[nodiscard]] std::span<const CategoryId> category() const { return m_category; }
  [[nodiscard]] std::span<const uint8_t> method() const { return m_method; }
  [[nodiscard]] std::span<const uint8_t> score() const { return m_score; }
  [[nodiscard]] std::span<const uint16_t> source() const { return m_source; }
  [[nodiscard]] std::span<const uint32_t> line() const { return m_line; }
  [[nodiscard]] std::span<const uint32_t> area() const { return m_area; }

  // Mutable coordinates, for in-place transforms by readers.
  [[nodiscard]] std::span<double> x_m_mut() { return m_x; }
  [[nodiscard]] std::span<double> y_m_mut() { return m_y; }
  // Mutable line numbers, for generators that number rows after assembling them.
  [[nodiscard]] std::span<uint32_t> line_mut() { return m_line; }

  // Source files. Requires: fewer than 65535 sources.
  uint16_t add_source(std::string_view name);
  [[nodiscard]] const std::string& source_name(uint16_t id) const { return m_sources[id]; }
  [[nodiscard]] const std::vector<std::string>& sources() const { return m_sources; }

  [[nodiscard]] StringPool& area_codes() { return m_area_codes; }
  [[nodiscard]] const StringPool& area_codes() const { return m_area_codes; }

  // Bytes held by the columns (capacity, not size): what the table costs in memory.
  [[nodiscard]] std::size_t column_bytes() const;

  // Keeps the rows whose flag is true, in order. Requires: keep.size() == size().
  void filter(std::span<const bool> keep);

 private:
  std::vector<double> m_x, m_y;
  std::vector<MonthIndex> m_month;
  std::vector<DayNumber> m_day;
  std::vector<CategoryId> m_category;
  std::vector<uint8_t> m_method, m_score;
  std::vector<uint16_t> m_source;
  std::vector<uint32_t> m_line, m_area;
  std::vector<std::string> m_sources;
  StringPool m_area_codes;
};

}  // namespace hotspot::core
