#pragma once
// Counting incidents into zones (grid cells or the areas of any AreaSet) by
// category and by period, and the space-time cube (cells x periods) that the
// space-time analyses share.
//
//   std::vector<uint32_t> zone(table.size());
//   grid.locate_many(table.x_m(), table.y_m(), zone);        // or wards.locate_many(...)
//   CountTable by_cat = count_by_key(zone, grid.size(), table.category(), taxonomy.size());
//   PeriodScheme q = PeriodScheme::quarters(month_index(2022, 4), month_index(2025, 3));
//   CountTable by_q = count_by_period(zone, grid.size(), table.month(), q);
//   SpaceTimeCube cube = SpaceTimeCube::build(zone, grid.size(), table.month(), PeriodScheme::months(a, b));
//   std::span<const uint32_t> march = cube.slice(11);         // every cell, one period
//
// A zone index is a cell index (Grid::locate) or an area index (AreaSet::locate);
// kNoZone (0xFFFFFFFF, the value of Grid::kNone and AreaSet::kNone) means "in no
// zone": such incidents are counted in `unzoned`, never dropped silently.
// Invariant (tested): sum of counts + unzoned + unkeyed == incidents given.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/incidents/time.hpp"

namespace hotspot::core {

inline constexpr uint32_t kNoZone = 0xFFFFFFFFu;

// Periods over months: calendar months, quarters (Jan-Mar, ...), years starting in
// any month (April: financial years), or custom inclusive month ranges. Periods
// partially covered by [first, last] are kept whole in the labels and report how
// many of their months fall in the range.
class PeriodScheme {
 public:
  struct Period {
    std::string label;               // "2023-05", "2023-Q2", "2023", "FY2023/24", custom
    MonthIndex first = 0, last = 0;  // inclusive, clipped to the scheme's range
    int months = 0;                  // months of the period inside the range
    int full_months = 0;             // months a whole period has (1, 3, 12, custom)
  };
  // Requires: first <= last.
  static PeriodScheme months(MonthIndex first, MonthIndex last);
  static PeriodScheme quarters(MonthIndex first, MonthIndex last);
  // start_month 1 = calendar years ("2023"), 4 = UK financial years ("FY2023/24").
  static PeriodScheme years(MonthIndex first, MonthIndex last, unsigned start_month = 1);
  // Requires: ranges do not overlap; each first <= last.
  static PeriodScheme custom(std::vector<Period> periods);

  [[nodiscard]] std::size_t size() const { return m_periods.size(); }
  [[nodiscard]] const Period& operator[](std::size_t i) const { return m_periods[i]; }
  [[nodiscard]] const std::vector<Period>& periods() const { return m_periods; }
  // Index of the period holding `m`, or -1.
  [[nodiscard]] int32_t period_of(MonthIndex m) const;

 private:
  void index();
  std::vector<Period> m_periods;
  MonthIndex m_lo = 0;
  std::vector<int32_t> m_lookup;  // month - m_lo -> period or -1
};

// Counts of zones x keys (row-major: counts[zone * keys + key]).
struct CountTable {
  std::size_t zones = 0, keys = 0;
  std::vector<uint32_t> counts;
  uint64_t unzoned = 0;  // incidents in no zone
  uint64_t unkeyed = 0;  // incidents in a zone but with no key (a month outside every period)

  [[nodiscard]] uint32_t at(std::size_t zone, std::size_t key) const { return counts[zone * keys + key]; }
  [[nodiscard]] std::span<const uint32_t> row(std::size_t zone) const {
    return std::span<const uint32_t>(counts).subspan(zone * keys, keys);
  }
  [[nodiscard]] uint64_t zone_total(std::size_t zone) const;
};

// Incidents per zone (unzoned ones counted in *unzoned when given).
std::vector<uint32_t> count_by_zone(std::span<const uint32_t> zone, std::size_t zones, uint64_t* unzoned = nullptr);
// Incidents per zone and key (e.g. category). Requires: every key < keys.
CountTable count_by_key(std::span<const uint32_t> zone, std::size_t zones, std::span<const uint16_t> key,
                        std::size_t keys);
// Incidents per zone and period.
CountTable count_by_period(std::span<const uint32_t> zone, std::size_t zones, std::span<const MonthIndex> month,
                           const PeriodScheme& periods);

// The space-time cube: counts of cells x periods, stored period-major so a
// period's slice is contiguous (Gi* per time slice) and bin (c, t) has the index
// t * cells + c (the numbering of Weights::space_time).
class SpaceTimeCube {
 public:
  static SpaceTimeCube build(std::span<const uint32_t> zone, std::size_t cells, std::span<const MonthIndex> month,
                             PeriodScheme periods);

  [[nodiscard]] std::size_t cells() const { return m_cells; }
  [[nodiscard]] std::size_t periods() const { return m_scheme.size(); }
  [[nodiscard]] const PeriodScheme& scheme() const { return m_scheme; }
  [[nodiscard]] uint32_t count(std::size_t cell, std::size_t period) const { return m_counts[period * m_cells + cell]; }
  [[nodiscard]] std::span<const uint32_t> slice(std::size_t period) const {
    return std::span<const uint32_t>(m_counts).subspan(period * m_cells, m_cells);
  }
  // The cell's counts over time (a copy: the cube is period-major).
  [[nodiscard]] std::vector<uint32_t> series(std::size_t cell) const;
  // Every bin as doubles, period-major (the input of space-time Gi*).
  [[nodiscard]] std::vector<double> values() const;
  [[nodiscard]] uint64_t unzoned() const { return m_unzoned; }
  [[nodiscard]] uint64_t outside_periods() const { return m_unkeyed; }
  // Cells with at least one incident in any period (ArcGIS analyses only those
  // when there is no boundary).
  [[nodiscard]] std::vector<uint8_t> ever_nonzero() const;

 private:
  std::size_t m_cells = 0;
  PeriodScheme m_scheme;
  std::vector<uint32_t> m_counts;
  uint64_t m_unzoned = 0, m_unkeyed = 0;
};

}  // namespace hotspot::core
