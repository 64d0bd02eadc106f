#pragma once
// Exports for the meeting pack: the selected features as GeoJSON (RFC 7946, WGS84,
// through layers/io's VectorWriter, every field kept). The PNG of the current view
// is written by the platform (it owns the pixels).
//
//   std::string err = export_selection_geojson(state, "pack/selected_wards.geojson");

#include <filesystem>
#include <string>

#include "viewer/app/app_state.hpp"

namespace hotspot::viewer {

// Writes the selection (or, with nothing selected, nothing and an error). Returns ""
// on success, else the reason. Windowed count fields are written as stored; the
// current window's counts are added as `window_count` with the window in
// `window` (so the export matches the map).
std::string export_selection_geojson(AppState& s, const std::filesystem::path& path);

}  // namespace hotspot::viewer
