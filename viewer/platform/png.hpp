#pragma once
// PNG files (RGB: screenshots are opaque) for screenshots and meeting-pack images (stb_image_write / stb_image
// from Debian's libstb).
//
//   write_png("view.png", pixels);            // @throws IoError
//   Pixels p = read_png("view.png");          // @throws IoError (tests)

#include <string>

#include "viewer/platform/backend.hpp"

namespace hotspot::viewer {

void write_png(const std::string& path, const Pixels& pixels);
Pixels read_png(const std::string& path);
// A sub-rectangle (clipped to the image).
Pixels crop(const Pixels& pixels, int x, int y, int width, int height);

}  // namespace hotspot::viewer
