#include "viewer/app/aggregate.hpp"

#include "core/base/assert.hpp"

namespace hotspot::viewer {

uint64_t CountMatrix::total(std::size_t area, const CategoryFilter& filter) const {
  uint64_t sum = 0;
  for (std::size_t c = 0; c < categories; ++c)
    if (filter.allows(static_cast<core::CategoryId>(c))) sum += counts[area * categories + c];
  return sum;
}

std::vector<double> CountMatrix::totals(const CategoryFilter& filter) const {
  std::vector<double> out(areas);
  for (std::size_t a = 0; a < areas; ++a) out[a] = static_cast<double>(total(a, filter));
  return out;
}

std::vector<double> CountMatrix::column(std::size_t category) const {
  std::vector<double> out(areas, 0.0);
  if (category >= categories) return out;
  for (std::size_t a = 0; a < areas; ++a) out[a] = counts[a * categories + category];
  return out;
}

AreaCounts::AreaCounts(const core::IncidentTable& table, const core::AreaSet& areas,
                       std::size_t categories, unsigned threads)
    : m_areas(areas.size()), m_categories(categories), m_area_of(table.size()) {
  HOTSPOT_ASSERT(areas.built());
  areas.locate_many(table.x_m(), table.y_m(), m_area_of, threads);
  for (const uint32_t a : m_area_of)
    if (a == core::AreaSet::kNone) ++m_outside;
}

CountMatrix AreaCounts::count(const core::IncidentTable& table, MonthRange window) const {
  HOTSPOT_ASSERT(table.size() == m_area_of.size());
  CountMatrix m;
  m.areas = m_areas;
  m.categories = m_categories;
  m.window = window;
  m.counts.assign(m_areas * m_categories, 0);
  const auto month = table.month();
  const auto cat = table.category();
  for (std::size_t i = 0; i < m_area_of.size(); ++i) {
    const uint32_t a = m_area_of[i];
    if (a == core::AreaSet::kNone || !window.contains(month[i]) || cat[i] >= m_categories) continue;
    ++m.counts[a * m_categories + cat[i]];
  }
  return m;
}

std::vector<uint32_t> AreaCounts::monthly(const core::IncidentTable& table, uint32_t area,
                                          MonthRange period, const CategoryFilter& filter) const {
  HOTSPOT_ASSERT(area < m_areas);
  std::vector<uint32_t> out(static_cast<std::size_t>(period.months()), 0);
  const auto month = table.month();
  const auto cat = table.category();
  for (std::size_t i = 0; i < m_area_of.size(); ++i)
    if (m_area_of[i] == area && period.contains(month[i]) && filter.allows(cat[i]))
      ++out[static_cast<std::size_t>(month[i] - period.first)];
  return out;
}

}  // namespace hotspot::viewer
