#pragma once
// Theme: fonts, colours and sizes of the viewer, chosen for a big screen in a
// tasking meeting (15 px DejaVu Sans, light UI, high-contrast map furniture).

#include <imgui.h>

#include <array>

namespace hotspot::viewer {

struct Theme {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;
  ImFont* small = nullptr;
  ImFont* title = nullptr;
  float left_width = 340;    // layers + time
  float right_width = 370;   // inspector / compare / targets / log
  float status_height = 26;
  ImU32 map_background = IM_COL32(241, 243, 244, 255);
  ImU32 ink = IM_COL32(33, 37, 41, 255);
  ImU32 muted = IM_COL32(95, 99, 104, 255);
  ImU32 accent = IM_COL32(0, 114, 178, 255);       // Okabe-Ito blue: selection, drawing
  ImU32 highlight = IM_COL32(0, 188, 212, 255);    // hover
  ImU32 panel_fill = IM_COL32(255, 255, 255, 236);
  ImU32 panel_border = IM_COL32(0, 0, 0, 60);
  // Glyph ranges kept alive for the font atlas: Latin-1, dashes, arrows, minus.
  std::array<ImWchar, 11> glyph_ranges{0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x2193, 0x2212, 0x2212, 0x2264, 0x2265, 0};
};

// Loads the fonts (DejaVu Sans from fonts-dejavu-core when present, else ImGui's
// built-in font) and sets the light style. Call once after ImGui::CreateContext.
void setup_theme(Theme& theme);

}  // namespace hotspot::viewer
