#pragma once
// HitRate: what a geocoding run achieved, overall, by method, by unmatched reason and
// by area (ward, LSOA, ...), and the report an analyst reads.
//
// The hit rate is matched / rows. Ratcliffe (2004, "Geocoding crime and a first
// estimate of a minimum acceptable hit rate", IJGIS 18(1)) puts the minimum acceptable
// rate at 85%: below it the map's pattern can change. The report flags every area
// under that line, because a good overall rate can hide a ward whose addresses
// failed (new estates, a missing street), and such a ward would look safe on the map.
//
//   HitRate h;
//   h.add(result, "E05010677");        // area code, or "" when unknown
//   h.rate();                          // 0.97
//   std::string md = h.markdown([&](std::string_view code) { return ward_name(code); });
//
// Plain value; merge() adds another run's counts (per-thread counts, then one merge).

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/geocode/geocoder.hpp"

namespace hotspot::core::geocode {

inline constexpr double kMinimumAcceptableHitRate = 0.85;  // Ratcliffe (2004)

class HitRate {
 public:
  struct AreaCount {
    std::string area;  // code; "" = rows whose area is unknown
    uint64_t rows = 0, matched = 0;
    [[nodiscard]] double rate() const { return rows ? static_cast<double>(matched) / static_cast<double>(rows) : 0.0; }
  };

  void add(const GeocodeResult& r, std::string_view area = {});
  void merge(const HitRate& other);

  [[nodiscard]] uint64_t rows() const { return m_rows; }
  [[nodiscard]] uint64_t matched() const { return m_matched; }
  [[nodiscard]] double rate() const { return m_rows ? static_cast<double>(m_matched) / static_cast<double>(m_rows) : 0.0; }
  [[nodiscard]] uint64_t by_method(MatchMethod m) const { return m_method[static_cast<std::size_t>(m)]; }
  [[nodiscard]] uint64_t by_reason(UnmatchedReason r) const { return m_reason[static_cast<std::size_t>(r)]; }
  // By area code, ascending; the unknown area ("") last.
  [[nodiscard]] std::vector<AreaCount> by_area() const;

  // A Markdown report: totals, a table by method (with mean score), by reason, and by
  // area (names from `area_name` when given), with areas under 85% flagged.
  [[nodiscard]] std::string markdown(const std::function<std::string(std::string_view)>& area_name = {}) const;

 private:
  uint64_t m_rows = 0, m_matched = 0;
  std::array<uint64_t, static_cast<std::size_t>(MatchMethod::kCount)> m_method{};
  std::array<uint64_t, static_cast<std::size_t>(MatchMethod::kCount)> m_score_sum{};
  std::array<uint64_t, static_cast<std::size_t>(UnmatchedReason::kCount)> m_reason{};
  std::map<std::string, AreaCount, std::less<>> m_areas;
};

}  // namespace hotspot::core::geocode
