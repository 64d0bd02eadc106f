#include "viewer/panels/theme.hpp"

#include <filesystem>

namespace hotspot::viewer {

namespace {
constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";
}

void setup_theme(Theme& theme) {
  ImGuiIO& io = ImGui::GetIO();
  const std::string dir = kFontDir;
  const bool have = std::filesystem::exists(dir + "DejaVuSans.ttf") && std::filesystem::exists(dir + "DejaVuSans-Bold.ttf");
  if (have) {
    theme.regular = io.Fonts->AddFontFromFileTTF((dir + "DejaVuSans.ttf").c_str(), 15.0f, nullptr, theme.glyph_ranges.data());
    theme.bold = io.Fonts->AddFontFromFileTTF((dir + "DejaVuSans-Bold.ttf").c_str(), 15.0f, nullptr, theme.glyph_ranges.data());
    theme.small = io.Fonts->AddFontFromFileTTF((dir + "DejaVuSans.ttf").c_str(), 13.0f, nullptr, theme.glyph_ranges.data());
    theme.title = io.Fonts->AddFontFromFileTTF((dir + "DejaVuSans-Bold.ttf").c_str(), 18.0f, nullptr, theme.glyph_ranges.data());
  }
  if (theme.regular == nullptr) {
    theme.regular = io.Fonts->AddFontDefault();
    theme.bold = theme.small = theme.title = theme.regular;
  }
  io.FontDefault = theme.regular;

  ImGui::StyleColorsLight();
  ImGuiStyle& st = ImGui::GetStyle();
  st.WindowRounding = 0;
  st.FrameRounding = 3;
  st.GrabRounding = 3;
  st.TabRounding = 3;
  st.WindowBorderSize = 1;
  st.FramePadding = ImVec2(6, 4);
  st.ItemSpacing = ImVec2(8, 5);
  st.ScrollbarSize = 13;
  ImVec4* c = st.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.975f, 0.978f, 0.982f, 1.0f);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.93f, 0.94f, 0.95f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.0f, 0.447f, 0.698f, 0.20f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.0f, 0.447f, 0.698f, 0.30f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.0f, 0.447f, 0.698f, 0.45f);
  c[ImGuiCol_CheckMark] = ImVec4(0.0f, 0.447f, 0.698f, 1.0f);
  c[ImGuiCol_SliderGrab] = ImVec4(0.0f, 0.447f, 0.698f, 0.85f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(0.0f, 0.35f, 0.60f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.0f, 0.447f, 0.698f, 0.14f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.0f, 0.447f, 0.698f, 0.30f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.0f, 0.447f, 0.698f, 0.45f);
  c[ImGuiCol_Tab] = ImVec4(0.0f, 0.447f, 0.698f, 0.12f);
  c[ImGuiCol_TabHovered] = ImVec4(0.0f, 0.447f, 0.698f, 0.35f);
  c[ImGuiCol_TabActive] = ImVec4(0.0f, 0.447f, 0.698f, 0.30f);
  c[ImGuiCol_Text] = ImVec4(0.13f, 0.145f, 0.16f, 1.0f);
}

}  // namespace hotspot::viewer
