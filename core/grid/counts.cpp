#include "core/grid/counts.hpp"

#include <algorithm>
#include <functional>

#include "core/base/assert.hpp"

namespace hotspot::core {

namespace {

std::string two_digits(int v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}

// Periods of `span` months whose first month is `start_month` (1-12), over [first, last].
std::vector<PeriodScheme::Period> aligned(MonthIndex first, MonthIndex last, int span, unsigned start_month,
                                          const std::function<std::string(MonthIndex)>& label) {
  HOTSPOT_ASSERT(first <= last);
  std::vector<PeriodScheme::Period> out;
  // First period start: the latest aligned month <= first.
  const int offset = static_cast<int>(start_month) - 1;
  int rel = first - offset;
  int start = offset + (rel >= 0 ? rel / span : -((-rel + span - 1) / span)) * span;
  for (; start <= last; start += span) {
    PeriodScheme::Period p;
    p.label = label(start);
    p.first = std::max<MonthIndex>(start, first);
    p.last = std::min<MonthIndex>(start + span - 1, last);
    p.months = p.last - p.first + 1;
    p.full_months = span;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

PeriodScheme PeriodScheme::months(MonthIndex first, MonthIndex last) {
  PeriodScheme s;
  s.m_periods = aligned(first, last, 1, 1, [](MonthIndex m) { return format_month(m); });
  s.index();
  return s;
}

PeriodScheme PeriodScheme::quarters(MonthIndex first, MonthIndex last) {
  PeriodScheme s;
  s.m_periods = aligned(first, last, 3, 1, [](MonthIndex m) {
    return std::to_string(year_of(m)) + "-Q" + std::to_string((month_of(m) - 1) / 3 + 1);
  });
  s.index();
  return s;
}

PeriodScheme PeriodScheme::years(MonthIndex first, MonthIndex last, unsigned start_month) {
  HOTSPOT_ASSERT(start_month >= 1 && start_month <= 12);
  PeriodScheme s;
  s.m_periods = aligned(first, last, 12, start_month, [start_month](MonthIndex m) {
    const int y = year_of(m);
    if (start_month == 1) return std::to_string(y);
    if (start_month == 4) return "FY" + std::to_string(y) + "/" + two_digits((y + 1) % 100);
    return std::to_string(y) + "-" + two_digits(static_cast<int>(start_month)) + "+12m";
  });
  s.index();
  return s;
}

PeriodScheme PeriodScheme::custom(std::vector<Period> periods) {
  PeriodScheme s;
  for (auto& p : periods) {
    HOTSPOT_ASSERT(p.first <= p.last);
    p.months = p.last - p.first + 1;
    if (p.full_months == 0) p.full_months = p.months;
  }
  s.m_periods = std::move(periods);
  s.index();
  return s;
}

void PeriodScheme::index() {
  m_lookup.clear();
  if (m_periods.empty()) return;
  MonthIndex lo = m_periods[0].first, hi = m_periods[0].last;
  for (const auto& p : m_periods) {
    lo = std::min(lo, p.first);
    hi = std::max(hi, p.last);
  }
  m_lo = lo;
  m_lookup.assign(static_cast<std::size_t>(hi - lo + 1), -1);
  for (std::size_t i = 0; i < m_periods.size(); ++i)
    for (MonthIndex m = m_periods[i].first; m <= m_periods[i].last; ++m) {
      auto& slot = m_lookup[static_cast<std::size_t>(m - lo)];
      HOTSPOT_ASSERT_MSG(slot == -1, "custom periods overlap");
      slot = static_cast<int32_t>(i);
    }
}

int32_t PeriodScheme::period_of(MonthIndex m) const {
  if (m < m_lo || m - m_lo >= static_cast<MonthIndex>(m_lookup.size())) return -1;
  return m_lookup[static_cast<std::size_t>(m - m_lo)];
}

uint64_t CountTable::zone_total(std::size_t zone) const {
  uint64_t s = 0;
  for (uint32_t v : row(zone)) s += v;
  return s;
}

std::vector<uint32_t> count_by_zone(std::span<const uint32_t> zone, std::size_t zones, uint64_t* unzoned) {
  std::vector<uint32_t> out(zones, 0);
  uint64_t none = 0;
  for (uint32_t z : zone) {
    if (z == kNoZone) ++none;
    else {
      HOTSPOT_ASSERT(z < zones);
      ++out[z];
    }
  }
  if (unzoned) *unzoned = none;
  return out;
}

CountTable count_by_key(std::span<const uint32_t> zone, std::size_t zones, std::span<const uint16_t> key,
                        std::size_t keys) {
  HOTSPOT_ASSERT(zone.size() == key.size());
  CountTable t;
  t.zones = zones;
  t.keys = keys;
  t.counts.assign(zones * keys, 0);
  for (std::size_t k = 0; k < zone.size(); ++k) {
    if (zone[k] == kNoZone) {
      ++t.unzoned;
      continue;
    }
    HOTSPOT_ASSERT(zone[k] < zones && key[k] < keys);
    ++t.counts[zone[k] * keys + key[k]];
  }
  return t;
}

CountTable count_by_period(std::span<const uint32_t> zone, std::size_t zones, std::span<const MonthIndex> month,
                           const PeriodScheme& periods) {
  HOTSPOT_ASSERT(zone.size() == month.size());
  CountTable t;
  t.zones = zones;
  t.keys = periods.size();
  t.counts.assign(zones * t.keys, 0);
  for (std::size_t k = 0; k < zone.size(); ++k) {
    if (zone[k] == kNoZone) {
      ++t.unzoned;
      continue;
    }
    HOTSPOT_ASSERT(zone[k] < zones);
    const int32_t p = periods.period_of(month[k]);
    if (p < 0) ++t.unkeyed;
    else ++t.counts[zone[k] * t.keys + static_cast<std::size_t>(p)];
  }
  return t;
}

SpaceTimeCube SpaceTimeCube::build(std::span<const uint32_t> zone, std::size_t cells,
                                   std::span<const MonthIndex> month, PeriodScheme periods) {
  HOTSPOT_ASSERT(zone.size() == month.size());
  SpaceTimeCube c;
  c.m_cells = cells;
  c.m_scheme = std::move(periods);
  c.m_counts.assign(cells * c.m_scheme.size(), 0);
  for (std::size_t k = 0; k < zone.size(); ++k) {
    if (zone[k] == kNoZone) {
      ++c.m_unzoned;
      continue;
    }
    HOTSPOT_ASSERT(zone[k] < cells);
    const int32_t p = c.m_scheme.period_of(month[k]);
    if (p < 0) ++c.m_unkeyed;
    else ++c.m_counts[static_cast<std::size_t>(p) * cells + zone[k]];
  }
  return c;
}

std::vector<uint32_t> SpaceTimeCube::series(std::size_t cell) const {
  std::vector<uint32_t> s(periods());
  for (std::size_t t = 0; t < periods(); ++t) s[t] = count(cell, t);
  return s;
}

std::vector<double> SpaceTimeCube::values() const { return {m_counts.begin(), m_counts.end()}; }

std::vector<uint8_t> SpaceTimeCube::ever_nonzero() const {
  std::vector<uint8_t> out(m_cells, 0);
  for (std::size_t t = 0; t < periods(); ++t)
    for (std::size_t c = 0; c < m_cells; ++c)
      if (m_counts[t * m_cells + c]) out[c] = 1;
  return out;
}

}  // namespace hotspot::core
