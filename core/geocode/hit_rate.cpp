#include "core/geocode/hit_rate.hpp"

#include <cstdio>

namespace hotspot::core::geocode {

namespace {

std::string percent(uint64_t part, uint64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;
}

}  // namespace

void HitRate::add(const GeocodeResult& r, std::string_view area) {
  ++m_rows;
  if (r.matched()) {
    ++m_matched;
    m_score_sum[static_cast<std::size_t>(r.method)] += r.score;
  } else {
    ++m_reason[static_cast<std::size_t>(r.reason)];
  }
  ++m_method[static_cast<std::size_t>(r.method)];
  auto it = m_areas.find(area);
  if (it == m_areas.end()) it = m_areas.emplace(std::string(area), AreaCount{std::string(area), 0, 0}).first;
  ++it->second.rows;
  if (r.matched()) ++it->second.matched;
}

void HitRate::merge(const HitRate& o) {
  m_rows += o.m_rows;
  m_matched += o.m_matched;
  for (std::size_t i = 0; i < m_method.size(); ++i) {
    m_method[i] += o.m_method[i];
    m_score_sum[i] += o.m_score_sum[i];
  }
  for (std::size_t i = 0; i < m_reason.size(); ++i) m_reason[i] += o.m_reason[i];
  for (const auto& [code, c] : o.m_areas) {
    auto& mine = m_areas[code];
    mine.area = code;
    mine.rows += c.rows;
    mine.matched += c.matched;
  }
}

std::vector<HitRate::AreaCount> HitRate::by_area() const {
  std::vector<AreaCount> out;
  for (const auto& [code, c] : m_areas)
    if (!code.empty()) out.push_back(c);
  if (auto it = m_areas.find(std::string_view{}); it != m_areas.end()) out.push_back(it->second);
  return out;
}

std::string HitRate::markdown(const std::function<std::string(std::string_view)>& area_name) const {
  std::string md;
  md += "## Geocoding hit rate\n\n";
  md += "Matched " + std::to_string(m_matched) + " of " + std::to_string(m_rows) + " rows: **" +
        percent(m_matched, m_rows) + "** (minimum acceptable: 85%, Ratcliffe 2004).\n\n";
  md += "| method | rows | share | mean score |\n|---|---:|---:|---:|\n";
  for (std::size_t i = 0; i < m_method.size(); ++i) {
    const auto m = static_cast<MatchMethod>(i);
    if (m == MatchMethod::none || m_method[i] == 0) continue;
    char mean[16];
    std::snprintf(mean, sizeof mean, "%.0f", static_cast<double>(m_score_sum[i]) / static_cast<double>(m_method[i]));
    md += std::string("| ") + method_name(m) + " | " + std::to_string(m_method[i]) + " | " + percent(m_method[i], m_rows) +
          " | " + mean + " |\n";
  }
  if (m_rows > m_matched) {
    md += "\n| unmatched, because | rows | share |\n|---|---:|---:|\n";
    for (std::size_t i = 1; i < m_reason.size(); ++i)
      if (m_reason[i])
        md += std::string("| ") + reason_name(static_cast<UnmatchedReason>(i)) + " | " + std::to_string(m_reason[i]) +
              " | " + percent(m_reason[i], m_rows) + " |\n";
  }
  const auto areas = by_area();
  if (!areas.empty() && !(areas.size() == 1 && areas[0].area.empty())) {
    md += "\n| area | name | rows | matched | hit rate |\n|---|---|---:|---:|---:|\n";
    for (const auto& a : areas) {
      const std::string name = a.area.empty() ? "(unknown area)" : area_name ? area_name(a.area) : std::string();
      const bool low = a.rate() < kMinimumAcceptableHitRate;
      md += "| " + (a.area.empty() ? std::string("-") : a.area) + " | " + name + " | " + std::to_string(a.rows) +
            " | " + std::to_string(a.matched) + " | " + (low ? "**" : "") + percent(a.matched, a.rows) +
            (low ? "** (under 85%)" : "") + " |\n";
    }
  }
  return md;
}

}  // namespace hotspot::core::geocode
