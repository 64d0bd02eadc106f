#pragma once
// Internal to layers/study: what `hotspot run` stores in its cache (run_cache.hpp)
// for each stage, and how it is read back: the IncidentTable, the hot spot result
// (its grid rebuilt and checked against the stored cell ids), the KDE raster and the
// parts of an emerging hot spot result the outputs use. The get_* functions throw
// InputError on an inconsistent entry (the caller treats it as a cache miss).

#include <optional>
#include <string>
#include <vector>

#include "core/incidents/incident_table.hpp"
#include "core/incidents/issues.hpp"
#include "core/stats/emerging.hpp"
#include "core/stats/kde.hpp"
#include "core/stats/optimized.hpp"
#include "layers/study/run_cache.hpp"

namespace hotspot::core {
class AreaSet;
}

namespace hotspot::layers::detail::payload {

void put_table(CacheBlob& b, const core::IncidentTable& t);
core::IncidentTable get_table(CacheBlob& b);
void put_issue(CacheBlob& b, const core::RowIssue& i);
core::RowIssue get_issue(CacheBlob& b);
void put_strings(CacheBlob& b, const std::vector<std::string>& v);
std::vector<std::string> get_strings(CacheBlob& b);
void put_hotspots(CacheBlob& b, const core::OptimizedResult& r);
// nullopt when the rebuilt grid differs from the stored one.
std::optional<core::OptimizedResult> get_hotspots(CacheBlob& b, const core::AreaSet* boundary, core::CellShape shape);
void put_kde(CacheBlob& b, const core::KdeRaster& k);
core::KdeRaster get_kde(CacheBlob& b);
void put_emerging(CacheBlob& b, const core::EmergingResult& r, const std::vector<std::string>& periods);
core::EmergingResult get_emerging(CacheBlob& b, std::vector<std::string>& periods);

}  // namespace hotspot::layers::detail::payload
