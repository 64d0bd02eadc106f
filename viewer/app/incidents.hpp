#pragma once
// Incidents in the viewer: a point layer with a `month` (YYYY-MM) and a `category`
// field (the `incidents` layer `hotspot run` writes, or any such file) becomes a
// core::IncidentTable, the input of every count the viewer shows. Also the month
// windows and crime-type filter that drive those counts.
//
//   if (looks_like_incidents(features)) {
//     IncidentData d = incidents_from_features(features);
//     d.table.size(); d.period;               // rows; first..last month present
//   }
//
// Features whose month does not parse or that have no point geometry are still drawn
// if they have a location, but cannot be counted: they are counted in `uncounted`
// and described in `warnings` (nothing disappears silently).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/incidents/incident_table.hpp"
#include "core/incidents/taxonomy.hpp"
#include "core/incidents/time.hpp"
#include "layers/io/feature_reader.hpp"

namespace hotspot::viewer {

// Inclusive range of months. Empty when last < first.
struct MonthRange {
  core::MonthIndex first = 0;
  core::MonthIndex last = -1;
  [[nodiscard]] bool empty() const { return last < first; }
  [[nodiscard]] bool contains(core::MonthIndex m) const { return m >= first && m <= last; }
  [[nodiscard]] int months() const { return empty() ? 0 : last - first + 1; }
  friend bool operator==(const MonthRange&, const MonthRange&) = default;
};
// "Apr 2023".
std::string month_label(core::MonthIndex m);
// "Apr 2023 – Mar 2024", "May 2023" for one month, "no months" when empty.
std::string format_month_range(MonthRange r);
// The intersection of two ranges (empty if disjoint).
MonthRange intersect(MonthRange a, MonthRange b);

struct IncidentData {
  core::IncidentTable table;             // one row per countable feature
  core::Taxonomy taxonomy;               // police.uk types + every other name found
  std::vector<uint32_t> feature_of_row;  // row -> feature index in the source layer
  MonthRange period;                     // first..last month present (empty if no rows)
  std::size_t uncounted = 0;             // features that are not rows
  std::vector<std::string> warnings;
};

// True for a point layer with text fields `month` and `category`.
bool looks_like_incidents(const layers::FeatureSet& features);

// See the header comment. Category names unknown to police.uk's taxonomy become
// local categories (group "local"): the viewer shows what the file holds.
IncidentData incidents_from_features(const layers::FeatureSet& features);

// The crime types shown and counted ("total" fields, points); all on by default.
struct CategoryFilter {
  std::vector<bool> enabled;  // by CategoryId
  [[nodiscard]] bool all() const;
  [[nodiscard]] std::size_t count() const;
  [[nodiscard]] bool allows(core::CategoryId c) const { return c >= enabled.size() || enabled[c]; }
};

// Number of incidents per month of `period` (index 0 = period.first) passing `filter`.
std::vector<uint32_t> monthly_totals(const core::IncidentTable& table, MonthRange period,
                                     const CategoryFilter& filter);

}  // namespace hotspot::viewer
