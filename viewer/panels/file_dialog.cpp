// A file dialog built with ImGui: folders and openable files (GeoPackage, GeoJSON,
// Shapefile, FlatGeobuf, GeoTIFF, study files), a path field, Open / Cancel.
#include <algorithm>
#include <filesystem>

#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

namespace fs = std::filesystem;

namespace {

bool openable(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* x : {".gpkg", ".geojson", ".json", ".shp", ".fgb", ".tif", ".tiff", ".toml", ".gml", ".kml", ".csv"})
    if (e == x) return true;
  return false;
}

void list(FileDialogState& d) {
  d.entries.clear();
  d.listed_dir = d.dir;
  std::error_code ec;
  for (fs::directory_iterator it(d.dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    const bool dir = it->is_directory(ec);
    if (dir || openable(it->path())) d.entries.emplace_back(name, dir);
  }
  std::sort(d.entries.begin(), d.entries.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second : a.first < b.first;
  });
}

}  // namespace

void draw_file_dialog(AppState& s, const Theme& theme) {
  FileDialogState& d = s.file_dialog;
  if (!d.open) return;
  if (d.dir.empty()) {
    std::error_code ec;
    d.dir = s.layers.empty() ? fs::current_path(ec).string() : fs::path(s.layers.front().source).parent_path().string();
  }
  if (d.listed_dir != d.dir) list(d);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(640, 480));
  ImGui::SetNextWindowFocus();
  if (ImGui::Begin(d.as_basemap ? "Open a basemap" : "Open data", &d.open,
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize)) {
    ImGui::PushFont(theme.bold);
    ImGui::TextUnformatted(d.dir.c_str());
    ImGui::PopFont();
    if (ImGui::Button("Up")) {
      d.dir = fs::path(d.dir).parent_path().string();
      d.file.clear();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("GeoPackage, GeoJSON, Shapefile, FlatGeobuf, GeoTIFF, study .toml");
    if (ImGui::BeginChild("files", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 2), true)) {
      ImGuiListClipper clipper;
      clipper.Begin(static_cast<int>(d.entries.size()));
      std::string enter;
      while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
          const auto& [name, is_dir] = d.entries[static_cast<std::size_t>(i)];
          const std::string label = (is_dir ? "[dir]  " : "       ") + name;
          if (ImGui::Selectable(label.c_str(), d.file == name, ImGuiSelectableFlags_AllowDoubleClick)) {
            if (is_dir && ImGui::IsMouseDoubleClicked(0))
              enter = name;
            else
              d.file = name;
            if (!is_dir && ImGui::IsMouseDoubleClicked(0)) {
              if (!s.loader.busy()) s.loader.start({(fs::path(d.dir) / name).string(), "", d.as_basemap});
              d.open = false;
            }
          }
        }
      if (!enter.empty()) {
        d.dir = (fs::path(d.dir) / enter).string();
        d.file.clear();
      }
    }
    ImGui::EndChild();
    char buf[1024];
    const std::string current = d.file;
    std::snprintf(buf, sizeof buf, "%s", current.c_str());
    ImGui::SetNextItemWidth(-220);
    if (ImGui::InputText("##file", buf, sizeof buf)) d.file = buf;
    ImGui::SameLine();
    const bool can_open = !d.file.empty() && !s.loader.busy();
    if (!can_open) ImGui::BeginDisabled();
    if (ImGui::Button("Open", ImVec2(100, 0))) {
      const fs::path p = fs::path(d.file).is_absolute() ? fs::path(d.file) : fs::path(d.dir) / d.file;
      std::error_code ec;
      if (fs::is_directory(p, ec)) {
        d.dir = p.string();
        d.file.clear();
      } else {
        s.loader.start({p.string(), "", d.as_basemap});
        d.open = false;
      }
    }
    if (!can_open) ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(100, 0))) d.open = false;
  }
  ImGui::End();
}

}  // namespace hotspot::viewer
