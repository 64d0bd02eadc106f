#pragma once
// Incident counts per area (ward, LSOA, grid cell, drawn target area) for any time
// window: the numbers behind the month slider, compare mode, the inspector and the
// "areas by incidents" ranking. The viewer computes no statistics: this is the
// same point-in-polygon count `hotspot run` writes to the *_counts layers (core's
// AreaSet decides which area a point is in, under its documented boundary rule), so
// over the whole study period the recounted totals equal the stored ones (tested).
//
// Cost: the constructor locates every incident once (AreaSet::locate_many, all
// cores; ~20 ms for a million points in a district's LSOAs); each count() is one
// linear pass over the month and category columns (~3 ms per million incidents), so
// dragging the month slider recounts every frame without a stall.
//
//   AreaCounts counts(incidents.table, *wards.areas, incidents.taxonomy.size());
//   CountMatrix m = counts.count(incidents.table, {month_index(2023, 4), month_index(2024, 3)});
//   uint64_t burglary_in_ward_3 = m.at(3, burglary_id);
//   uint64_t total = m.total(3, filter);

#include <cstdint>
#include <span>
#include <vector>

#include "core/incidents/incident_table.hpp"
#include "core/spatial/area_set.hpp"
#include "viewer/app/incidents.hpp"

namespace hotspot::viewer {

// Counts per (area, category). Plain value.
struct CountMatrix {
  std::size_t areas = 0;
  std::size_t categories = 0;
  std::vector<uint32_t> counts;  // [area * categories + category]
  MonthRange window;

  [[nodiscard]] uint32_t at(std::size_t area, std::size_t category) const {
    return category < categories ? counts[area * categories + category] : 0;
  }
  // Sum over the categories the filter allows.
  [[nodiscard]] uint64_t total(std::size_t area, const CategoryFilter& filter) const;
  // total() for every area.
  [[nodiscard]] std::vector<double> totals(const CategoryFilter& filter) const;
  // One category for every area.
  [[nodiscard]] std::vector<double> column(std::size_t category) const;
};

class AreaCounts {
 public:
  // Locates every incident of `table` in `areas` (which must be built). `categories`
  // is the taxonomy size. `threads` as AreaSet::locate_many.
  AreaCounts(const core::IncidentTable& table, const core::AreaSet& areas, std::size_t categories,
             unsigned threads = 0);

  // Requires: `table` is the table given to the constructor.
  [[nodiscard]] CountMatrix count(const core::IncidentTable& table, MonthRange window) const;
  // Incidents per month of `period` in one area, passing `filter`. Requires: area < areas().
  [[nodiscard]] std::vector<uint32_t> monthly(const core::IncidentTable& table, uint32_t area,
                                              MonthRange period, const CategoryFilter& filter) const;

  [[nodiscard]] std::size_t areas() const { return m_areas; }
  // Area index of every incident row (AreaSet::kNone outside every area).
  [[nodiscard]] std::span<const uint32_t> area_of() const { return m_area_of; }
  // Incidents in no area (outside the layer, in a gap between generalised boundaries).
  [[nodiscard]] std::size_t outside() const { return m_outside; }

 private:
  std::size_t m_areas = 0;
  std::size_t m_categories = 0;
  std::vector<uint32_t> m_area_of;
  std::size_t m_outside = 0;
};

}  // namespace hotspot::viewer
