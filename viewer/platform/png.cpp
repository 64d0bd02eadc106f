#include "viewer/platform/png.hpp"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/base/error.hpp"

namespace hotspot::viewer {

void write_png(const std::string& path, const Pixels& p) {
  if (p.width <= 0 || p.height <= 0) throw IoError(path + ": empty image");
  // Screenshots are opaque: RGB compresses a quarter smaller than RGBA.
  std::vector<uint8_t> rgb(static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height) * 3);
  for (std::size_t i = 0, j = 0; j < rgb.size(); i += 4, j += 3) {
    rgb[j] = p.rgba[i];
    rgb[j + 1] = p.rgba[i + 1];
    rgb[j + 2] = p.rgba[i + 2];
  }
  if (stbi_write_png(path.c_str(), p.width, p.height, 3, rgb.data(), p.width * 3) == 0)
    throw IoError(path + ": cannot write PNG");
}

Pixels read_png(const std::string& path) {
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &n, 4);
  if (data == nullptr) throw IoError(path + ": cannot read PNG: " + (stbi_failure_reason() ? stbi_failure_reason() : "?"));
  Pixels p;
  p.width = w;
  p.height = h;
  p.rgba.assign(data, data + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  stbi_image_free(data);
  return p;
}

Pixels crop(const Pixels& src, int x, int y, int width, int height) {
  const int x0 = std::clamp(x, 0, src.width), y0 = std::clamp(y, 0, src.height);
  const int x1 = std::clamp(x + width, 0, src.width), y1 = std::clamp(y + height, 0, src.height);
  Pixels out;
  out.width = x1 - x0;
  out.height = y1 - y0;
  out.rgba.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 4);
  for (int r = 0; r < out.height; ++r)
    std::memcpy(out.rgba.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(out.width) * 4,
                src.rgba.data() + (static_cast<std::size_t>(y0 + r) * static_cast<std::size_t>(src.width) + static_cast<std::size_t>(x0)) * 4,
                static_cast<std::size_t>(out.width) * 4);
  return out;
}

}  // namespace hotspot::viewer
