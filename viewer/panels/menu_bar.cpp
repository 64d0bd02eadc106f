// The main menu: File / View / Compare / Help.
#include <chrono>
#include <ctime>
#include <filesystem>

#include "viewer/app/export.hpp"
#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

namespace {

// pack/ beside the first loaded file (or the working folder), created on demand.
std::filesystem::path pack_dir(const AppState& s) {
  std::filesystem::path dir = s.layers.empty() ? std::filesystem::current_path()
                                               : std::filesystem::path(s.layers.front().source).parent_path();
  dir /= "pack";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  return dir;
}

std::string stamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

}  // namespace

void draw_menu_bar(AppState& s, const Theme&) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open\u2026", "Ctrl+O")) {
      s.file_dialog.open = true;
      s.file_dialog.as_basemap = false;
    }
    if (ImGui::MenuItem("Open basemap\u2026")) {
      s.file_dialog.open = true;
      s.file_dialog.as_basemap = true;
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Export selection as GeoJSON", nullptr, false, !s.selection.features.empty())) {
      const auto path = pack_dir(s) / ("selection-" + stamp() + ".geojson");
      if (auto err = export_selection_geojson(s, path); !err.empty()) log_message(s, LogLevel::error, "export: " + err);
    }
    if (ImGui::MenuItem("Export view as PNG")) s.export_request = "png:" + (pack_dir(s) / ("map-" + stamp() + ".png")).string();
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) s.export_request = "quit";
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Fit to data", "F")) fit_to(s, data_bounds(s), true);
    ImGui::MenuItem("Labels", nullptr, &s.show_labels);
    if (ImGui::MenuItem("Colour-blind-safe colours", nullptr, s.colour_blind)) s.colour_blind = !s.colour_blind;
    ImGui::MenuItem("Details sidebar", nullptr, &s.show_inspector_sidebar);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Compare")) {
    auto item = [&](const char* label, CompareMode m) {
      if (ImGui::MenuItem(label, nullptr, s.compare.mode == m)) {
        s.compare.mode = m;
        ++s.compare.version;
        if (m != CompareMode::off) {
          s.tab = SideTab::compare;
          s.tab_requested = true;
        }
      }
    };
    item("Off", CompareMode::off);
    item("Before | after, side by side", CompareMode::side_by_side);
    item("Before | after, swipe", CompareMode::swipe);
    item("Difference (after \u2212 before)", CompareMode::difference);
    ImGui::Separator();
    if (ImGui::MenuItem("Draw a target area on the map")) {
      s.compare.drawn.clear();
      s.compare.drawing = true;
      s.compare.target_layer = kNoLayer;
      ++s.compare.version;
      s.tab = SideTab::compare;
      s.tab_requested = true;
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::TextUnformatted("Map: drag to pan, wheel or +/- to zoom, arrows to pan,");
    ImGui::TextUnformatted("F to fit, click to select, Shift+click to add,");
    ImGui::TextUnformatted("Ctrl+drag to select by box, Esc to clear.");
    ImGui::TextUnformatted("Drawing a target area: click vertices, Enter or");
    ImGui::TextUnformatted("double-click to finish, Esc to cancel.");
    ImGui::TextUnformatted("Drop GeoPackage/GeoJSON/Shapefile/GeoTIFF files on the window to open them.");
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

}  // namespace hotspot::viewer
