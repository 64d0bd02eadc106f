#include "core/incidents/incident_table.hpp"

#include <algorithm>

#include "core/base/assert.hpp"

namespace hotspot::core {

const char* method_name(GeocodeMethod m) {
  switch (m) {
    case GeocodeMethod::lonlat: return "lonlat";
    case GeocodeMethod::xy: return "xy";
    case GeocodeMethod::grid_reference: return "grid_reference";
    case GeocodeMethod::uprn: return "uprn";
    case GeocodeMethod::address: return "address";
    case GeocodeMethod::address_fuzzy: return "address_fuzzy";
    case GeocodeMethod::street: return "street";
    case GeocodeMethod::postcode: return "postcode";
    case GeocodeMethod::postcode_sector: return "postcode_sector";
    case GeocodeMethod::text_coordinates: return "text_coordinates";
    case GeocodeMethod::text_grid_reference: return "text_grid_reference";
    case GeocodeMethod::kCount: break;
  }
  return "unknown";
}

void IncidentTable::reserve(std::size_t n) {
  m_x.reserve(n);
  m_y.reserve(n);
  m_month.reserve(n);
  m_day.reserve(n);
  m_category.reserve(n);
  m_method.reserve(n);
  m_score.reserve(n);
  m_source.reserve(n);
  m_line.reserve(n);
  m_area.reserve(n);
}

void IncidentTable::clear() {
  m_x.clear();
  m_y.clear();
  m_month.clear();
  m_day.clear();
  m_category.clear();
  m_method.clear();
  m_score.clear();
  m_source.clear();
  m_line.clear();
  m_area.clear();
}

IncidentTable::Row IncidentTable::row(std::size_t i) const {
  HOTSPOT_ASSERT(i < size());
  return Row{m_x[i],      m_y[i],      m_month[i], m_day[i],  m_category[i],
             static_cast<GeocodeMethod>(m_method[i]), m_score[i], m_source[i],
             m_line[i],   m_area[i]};
}

void IncidentTable::append(const IncidentTable& other) {
  std::vector<uint16_t> source_map(other.m_sources.size());
  for (std::size_t i = 0; i < other.m_sources.size(); ++i) source_map[i] = add_source(other.m_sources[i]);
  std::vector<uint32_t> area_map(other.m_area_codes.size());
  for (std::size_t i = 0; i < other.m_area_codes.size(); ++i)
    area_map[i] = m_area_codes.intern(other.m_area_codes.get(static_cast<uint32_t>(i)));

  m_x.insert(m_x.end(), other.m_x.begin(), other.m_x.end());
  m_y.insert(m_y.end(), other.m_y.begin(), other.m_y.end());
  m_month.insert(m_month.end(), other.m_month.begin(), other.m_month.end());
  m_day.insert(m_day.end(), other.m_day.begin(), other.m_day.end());
  m_category.insert(m_category.end(), other.m_category.begin(), other.m_category.end());
  m_method.insert(m_method.end(), other.m_method.begin(), other.m_method.end());
  m_score.insert(m_score.end(), other.m_score.begin(), other.m_score.end());
  m_line.insert(m_line.end(), other.m_line.begin(), other.m_line.end());
  m_source.reserve(m_source.size() + other.size());
  for (uint16_t s : other.m_source) m_source.push_back(source_map[s]);
  m_area.reserve(m_area.size() + other.size());
  for (uint32_t a : other.m_area) m_area.push_back(area_map[a]);
}

uint16_t IncidentTable::add_source(std::string_view name) {
  for (std::size_t i = 0; i < m_sources.size(); ++i)
    if (m_sources[i] == name) return static_cast<uint16_t>(i);
  HOTSPOT_ASSERT_MSG(m_sources.size() < 0xFFFF, "too many source files for one table");
  m_sources.emplace_back(name);
  return static_cast<uint16_t>(m_sources.size() - 1);
}

std::size_t IncidentTable::column_bytes() const {
  return m_x.capacity() * sizeof(double) + m_y.capacity() * sizeof(double) +
         m_month.capacity() * sizeof(MonthIndex) + m_day.capacity() * sizeof(DayNumber) +
         m_category.capacity() * sizeof(CategoryId) + m_method.capacity() + m_score.capacity() +
         m_source.capacity() * sizeof(uint16_t) + m_line.capacity() * sizeof(uint32_t) +
         m_area.capacity() * sizeof(uint32_t);
}

void IncidentTable::filter(std::span<const bool> keep) {
  HOTSPOT_ASSERT(keep.size() == size());
  std::size_t out = 0;
  for (std::size_t i = 0; i < keep.size(); ++i) {
    if (!keep[i]) continue;
    m_x[out] = m_x[i];
    m_y[out] = m_y[i];
    m_month[out] = m_month[i];
    m_day[out] = m_day[i];
    m_category[out] = m_category[i];
    m_method[out] = m_method[i];
    m_score[out] = m_score[i];
    m_source[out] = m_source[i];
    m_line[out] = m_line[i];
    m_area[out] = m_area[i];
    ++out;
  }
  m_x.resize(out);
  m_y.resize(out);
  m_month.resize(out);
  m_day.resize(out);
  m_category.resize(out);
  m_method.resize(out);
  m_score.resize(out);
  m_source.resize(out);
  m_line.resize(out);
  m_area.resize(out);
}

}  // namespace hotspot::core
