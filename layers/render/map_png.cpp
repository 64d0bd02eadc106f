// [SECTION] index
//  - Palettes
//  - Canvas: pixels, blending, scanline polygons, anti-aliased strokes
//  - Font: stb_truetype glyphs
//  - MapImage: map layers, legend, cartographic furniture, PNG

#include "layers/render/map_png.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>

#include "core/base/assert.hpp"
#include "core/base/error.hpp"
#include "layers/io/atomic_output.hpp"

// stb: implementations local to this file (STB*_STATIC) so they never clash with
// another copy in the program (Dear ImGui carries its own stb_truetype).
#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC
#include <stb/stb_truetype.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace hotspot::layers {

namespace fs = std::filesystem;

// [SECTION] Palettes -----------------------------------------------------------------

namespace palette {

Rgba viridis(double t) {
  // 9 stops of matplotlib's viridis, linearly interpolated.
  static constexpr std::array<std::array<double, 3>, 9> kStops{{{68, 1, 84},
                                                                {71, 44, 122},
                                                                {59, 81, 139},
                                                                {44, 113, 142},
                                                                {33, 144, 141},
                                                                {39, 173, 129},
                                                                {92, 200, 99},
                                                                {170, 220, 50},
                                                                {253, 231, 37}}};
  if (!std::isfinite(t)) return {0, 0, 0, 0};
  t = std::clamp(t, 0.0, 1.0) * static_cast<double>(kStops.size() - 1);
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), kStops.size() - 2);
  const double f = t - static_cast<double>(i);
  auto mix = [&](int c) {
    return static_cast<uint8_t>(std::lround(kStops[i][static_cast<std::size_t>(c)] * (1 - f) +
                                            kStops[i + 1][static_cast<std::size_t>(c)] * f));
  };
  return {mix(0), mix(1), mix(2), 255};
}

Rgba gi_bin(int bin) {
  switch (bin) {
    case 3: return {178, 24, 43, 255};
    case 2: return {239, 138, 98, 255};
    case 1: return {253, 219, 199, 255};
    case -1: return {209, 229, 240, 255};
    case -2: return {103, 169, 207, 255};
    case -3: return {33, 102, 172, 255};
    default: return {238, 238, 238, 255};
  }
}

Rgba emerging(int category) {
  // Hot categories in reds/oranges, cold in blues, by Esri's legend order; the
  // emphasis (new, intensifying, persistent) is carried by lightness as well as hue.
  static constexpr std::array<Rgba, 17> kColours{{
      {238, 238, 238, 255},  // no pattern
      {253, 141, 60, 255},   // new hot
      {252, 187, 161, 255},  // consecutive hot
      {165, 15, 21, 255},    // intensifying hot
      {222, 45, 38, 255},    // persistent hot
      {251, 106, 74, 255},   // diminishing hot
      {254, 224, 144, 255},  // sporadic hot
      {231, 41, 138, 255},   // oscillating hot
      {188, 128, 189, 255},  // historical hot
      {116, 196, 118, 255},  // new cold (green-blue end kept distinct)
      {199, 233, 192, 255},  // consecutive cold
      {8, 48, 107, 255},     // intensifying cold
      {33, 113, 181, 255},   // persistent cold
      {107, 174, 214, 255},  // diminishing cold
      {198, 219, 239, 255},  // sporadic cold
      {65, 182, 196, 255},   // oscillating cold
      {158, 154, 200, 255},  // historical cold
  }};
  if (category < 0 || category >= static_cast<int>(kColours.size())) return kColours[0];
  return kColours[static_cast<std::size_t>(category)];
}

}  // namespace palette

double round_scale_length(double max_m) {
  if (!(max_m > 0)) return 0;
  const double p = std::pow(10.0, std::floor(std::log10(max_m)));
  for (double m : {5.0, 2.0, 1.0})
    if (m * p <= max_m) return m * p;
  return p;
}

namespace {

// [SECTION] Canvas ---------------------------------------------------------------------

class Canvas {
 public:
  Canvas(int w, int h) : m_w(w), m_h(h), m_px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4, 255) {}

  [[nodiscard]] int width() const { return m_w; }
  [[nodiscard]] int height() const { return m_h; }
  [[nodiscard]] const std::vector<uint8_t>& pixels() const { return m_px; }

  void blend(int x, int y, Rgba c, double coverage) {
    if (x < m_clip[0] || y < m_clip[1] || x >= m_clip[2] || y >= m_clip[3]) return;
    const double a = std::clamp(coverage, 0.0, 1.0) * c.a / 255.0;
    if (a <= 0) return;
    uint8_t* p = &m_px[(static_cast<std::size_t>(y) * static_cast<std::size_t>(m_w) + static_cast<std::size_t>(x)) * 4];
    p[0] = static_cast<uint8_t>(std::lround(p[0] * (1 - a) + c.r * a));
    p[1] = static_cast<uint8_t>(std::lround(p[1] * (1 - a) + c.g * a));
    p[2] = static_cast<uint8_t>(std::lround(p[2] * (1 - a) + c.b * a));
    p[3] = 255;
  }

  void fill_rect(double x0, double y0, double x1, double y1, Rgba c) {
    const int ix0 = std::max(0, static_cast<int>(std::lround(x0))), iy0 = std::max(0, static_cast<int>(std::lround(y0)));
    const int ix1 = std::min(m_w, static_cast<int>(std::lround(x1))), iy1 = std::min(m_h, static_cast<int>(std::lround(y1)));
    for (int y = iy0; y < iy1; ++y)
      for (int x = ix0; x < ix1; ++x) blend(x, y, c, 1.0);
  }

  // Even-odd scanline fill of rings (pixel coordinates), sampled at pixel centres:
  // adjacent polygons tile without seams or double coverage.
  void fill_rings(const std::vector<std::vector<core::Point>>& rings, Rgba c) {
    double ylo = 1e300, yhi = -1e300;
    for (const auto& r : rings)
      for (const auto& p : r) {
        ylo = std::min(ylo, p.y());
        yhi = std::max(yhi, p.y());
      }
    const int y0 = std::max(m_clip[1], static_cast<int>(std::ceil(ylo - 0.5)));
    const int y1 = std::min(m_clip[3] - 1, static_cast<int>(std::floor(yhi - 0.5)));
    for (int y = y0; y <= y1; ++y) {
      const double sy = y + 0.5;
      m_xs.clear();
      for (const auto& r : rings)
        for (std::size_t i = 0, n = r.size(); i + 1 < n; ++i) {
          const auto& a = r[i];
          const auto& b = r[i + 1];
          if ((a.y() <= sy) == (b.y() <= sy)) continue;
          m_xs.push_back(a.x() + (sy - a.y()) * (b.x() - a.x()) / (b.y() - a.y()));
        }
      std::sort(m_xs.begin(), m_xs.end());
      for (std::size_t i = 0; i + 1 < m_xs.size(); i += 2) {
        const int xa = std::max(m_clip[0], static_cast<int>(std::ceil(m_xs[i] - 0.5)));
        const int xb = std::min(m_clip[2] - 1, static_cast<int>(std::floor(m_xs[i + 1] - 0.5)));
        for (int x = xa; x <= xb; ++x) blend(x, y, c, 1.0);
      }
    }
  }

  // An anti-aliased stroke of width w (pixels) from a to b.
  void line(core::Point a, core::Point b, double w, Rgba c) {
    const double r = w / 2;
    const int x0 = static_cast<int>(std::floor(std::min(a.x(), b.x()) - r - 1));
    const int x1 = static_cast<int>(std::ceil(std::max(a.x(), b.x()) + r + 1));
    const int y0 = static_cast<int>(std::floor(std::min(a.y(), b.y()) - r - 1));
    const int y1 = static_cast<int>(std::ceil(std::max(a.y(), b.y()) + r + 1));
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    const double len2 = dx * dx + dy * dy;
    for (int y = std::max(y0, m_clip[1]); y <= std::min(y1, m_clip[3] - 1); ++y)
      for (int x = std::max(x0, m_clip[0]); x <= std::min(x1, m_clip[2] - 1); ++x) {
        const double px = x + 0.5 - a.x(), py = y + 0.5 - a.y();
        const double t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0, 1.0) : 0.0;
        const double ex = px - t * dx, ey = py - t * dy;
        const double d = std::sqrt(ex * ex + ey * ey);
        const double cov = std::clamp(r + 0.5 - d, 0.0, 1.0);
        if (cov > 0) blend(x, y, c, cov);
      }
  }

  void disc(core::Point c, double radius, Rgba fill) {
    for (int y = static_cast<int>(c.y() - radius - 1); y <= static_cast<int>(c.y() + radius + 1); ++y)
      for (int x = static_cast<int>(c.x() - radius - 1); x <= static_cast<int>(c.x() + radius + 1); ++x) {
        const double d = std::hypot(x + 0.5 - c.x(), y + 0.5 - c.y());
        blend(x, y, fill, std::clamp(radius + 0.5 - d, 0.0, 1.0));
      }
  }

  void clip(int x0, int y0, int x1, int y1) { m_clip = {std::max(0, x0), std::max(0, y0), std::min(m_w, x1), std::min(m_h, y1)}; }
  void unclip() { m_clip = {0, 0, m_w, m_h}; }

 private:
  int m_w, m_h;
  std::vector<uint8_t> m_px;
  std::array<int, 4> m_clip{0, 0, m_w, m_h};
  std::vector<double> m_xs;
};

// [SECTION] Font ------------------------------------------------------------------------

std::vector<uint32_t> utf8_codepoints(std::string_view s) {
  std::vector<uint32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    if (i + static_cast<std::size_t>(n) > s.size()) n = 1, cp = '?';
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3Fu);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

class Font {
 public:
  explicit Font(const fs::path& preferred) {
    std::vector<fs::path> candidates;
    if (!preferred.empty()) candidates.push_back(preferred);
    if (const char* env = std::getenv("HOTSPOT_FONT")) candidates.emplace_back(env);
    candidates.emplace_back("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    candidates.emplace_back("/usr/share/fonts/TTF/DejaVuSans.ttf");
    candidates.emplace_back("/usr/share/fonts/dejavu/DejaVuSans.ttf");
    for (const auto& p : candidates) {
      std::error_code ec;
      const auto size = fs::file_size(p, ec);
      if (ec || size == 0) continue;
      std::ifstream f(p, std::ios::binary);
      if (!f) continue;
      m_data.resize(size);
      f.read(m_data.data(), static_cast<std::streamsize>(size));
      if (static_cast<uint64_t>(f.gcount()) != size) continue;
      if (!m_data.empty() &&
          stbtt_InitFont(&m_info, reinterpret_cast<const unsigned char*>(m_data.data()),
                         stbtt_GetFontOffsetForIndex(reinterpret_cast<const unsigned char*>(m_data.data()), 0))) {
        m_ok = true;
        return;
      }
    }
  }
  [[nodiscard]] bool ok() const { return m_ok; }

  [[nodiscard]] double width(std::string_view text, double size) const {
    if (!m_ok) return 0;
    const float scale = stbtt_ScaleForPixelHeight(&m_info, static_cast<float>(size));
    double w = 0;
    const auto cps = utf8_codepoints(text);
    for (std::size_t i = 0; i < cps.size(); ++i) {
      int adv = 0, lsb = 0;
      stbtt_GetCodepointHMetrics(&m_info, static_cast<int>(cps[i]), &adv, &lsb);
      w += static_cast<double>(adv) * static_cast<double>(scale);
      if (i + 1 < cps.size())
        w += static_cast<double>(scale) *
             static_cast<double>(stbtt_GetCodepointKernAdvance(&m_info, static_cast<int>(cps[i]), static_cast<int>(cps[i + 1])));
    }
    return w;
  }

  // Draws text with its baseline at y, starting at x.
  void draw(Canvas& cv, double x, double y, std::string_view text, double size, Rgba c) const {
    if (!m_ok) return;
    const float scale = stbtt_ScaleForPixelHeight(&m_info, static_cast<float>(size));
    const auto cps = utf8_codepoints(text);
    double pen = x;
    for (std::size_t i = 0; i < cps.size(); ++i) {
      const int cp = static_cast<int>(cps[i]);
      int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
      const float shift = static_cast<float>(pen - std::floor(pen));
      stbtt_GetCodepointBitmapBoxSubpixel(&m_info, cp, scale, scale, shift, 0, &x0, &y0, &x1, &y1);
      const int gw = x1 - x0, gh = y1 - y0;
      if (gw > 0 && gh > 0) {
        m_glyph.assign(static_cast<std::size_t>(gw) * static_cast<std::size_t>(gh), 0);
        stbtt_MakeCodepointBitmapSubpixel(&m_info, m_glyph.data(), gw, gh, gw, scale, scale, shift, 0, cp);
        const int ox = static_cast<int>(std::floor(pen)) + x0, oy = static_cast<int>(std::lround(y)) + y0;
        for (int gy = 0; gy < gh; ++gy)
          for (int gx = 0; gx < gw; ++gx) {
            const uint8_t a = m_glyph[static_cast<std::size_t>(gy) * static_cast<std::size_t>(gw) + static_cast<std::size_t>(gx)];
            if (a) cv.blend(ox + gx, oy + gy, c, a / 255.0);
          }
      }
      int adv = 0, lsb = 0;
      stbtt_GetCodepointHMetrics(&m_info, cp, &adv, &lsb);
      pen += static_cast<double>(adv) * static_cast<double>(scale);
      if (i + 1 < cps.size())
        pen += static_cast<double>(scale) *
               static_cast<double>(stbtt_GetCodepointKernAdvance(&m_info, cp, static_cast<int>(cps[i + 1])));
    }
  }

 private:
  std::vector<char> m_data;
  stbtt_fontinfo m_info{};
  bool m_ok = false;
  mutable std::vector<unsigned char> m_glyph;
};

constexpr Rgba kInk{33, 33, 33, 255};
constexpr Rgba kWhite{255, 255, 255, 255};
constexpr Rgba kFrame{120, 120, 120, 255};

}  // namespace

// [SECTION] MapImage --------------------------------------------------------------------

struct MapImage::Impl {
  MapOptions o;
  Canvas cv;
  Font font;
  std::vector<std::string> warnings;
  // Map frame in pixels.
  int fx0 = 20, fy0 = 0, fx1 = 0, fy1 = 0;
  // World -> pixel: px = fx0 + (x - wx0) / mpp, py = fy1 - (y - wy0) / mpp.
  double wx0 = 0, wy0 = 0, mpp = 1;
  // Legend cursor (panel right of the frame).
  int lx = 0;
  double ly = 0;
  std::vector<std::array<double, 4>> label_boxes;

  explicit Impl(const MapOptions& opt) : o(opt), cv(opt.width_px, opt.height_px), font(opt.font) {
    if (!font.ok()) warnings.push_back("maps: no DejaVu Sans font found (fonts-dejavu-core); map text left out");
    const int legend_w = std::max(300, o.width_px / 4);
    const int header = o.subtitle.empty() ? 62 : 88;
    fy0 = header;
    fx1 = o.width_px - legend_w - 10;
    fy1 = o.height_px - 40;
    lx = fx1 + 24;
    ly = fy0 + 6;
    // Fit the extent (with a 3% margin) into the frame at one scale.
    const double ex0 = o.extent.min_corner().x(), ey0 = o.extent.min_corner().y();
    double ew = o.extent.max_corner().x() - ex0, eh = o.extent.max_corner().y() - ey0;
    if (!(ew > 0)) ew = 1000;
    if (!(eh > 0)) eh = 1000;
    const double fw = fx1 - fx0, fh = fy1 - fy0;
    mpp = std::max(ew * 1.06 / fw, eh * 1.06 / fh);
    wx0 = ex0 + ew / 2 - fw * mpp / 2;
    wy0 = ey0 + eh / 2 - fh * mpp / 2;
  }

  [[nodiscard]] core::Point px(double x, double y) const { return {fx0 + (x - wx0) / mpp, fy1 - (y - wy0) / mpp}; }

  void map_clip() { cv.clip(fx0, fy0, fx1, fy1); }

  std::vector<std::vector<core::Point>> rings_of(const core::Polygon& poly) const {
    std::vector<std::vector<core::Point>> rings;
    auto add = [&](const core::Ring& r) {
      std::vector<core::Point> out;
      out.reserve(r.size() + 1);
      for (const auto& p : r) out.push_back(px(p.x(), p.y()));
      if (!out.empty() && (out.front().x() != out.back().x() || out.front().y() != out.back().y())) out.push_back(out.front());
      rings.push_back(std::move(out));
    };
    add(poly.outer());
    for (const auto& h : poly.inners()) add(h);
    return rings;
  }

  void text(double x, double y, const std::string& s, double size, Rgba c) { font.draw(cv, x, y, s, size, c); }
  void halo_text(double x, double y, const std::string& s, double size, Rgba c) {
    for (int dx = -2; dx <= 2; ++dx)
      for (int dy = -2; dy <= 2; ++dy)
        if (dx * dx + dy * dy <= 5 && (dx || dy)) font.draw(cv, x + dx, y + dy, s, size, Rgba{255, 255, 255, 200});
    font.draw(cv, x, y, s, size, c);
  }

  void furniture() {
    cv.unclip();
    // Header.
    text(fx0, 38, o.title, 28, kInk);
    if (!o.subtitle.empty()) text(fx0, 70, o.subtitle, 17, Rgba{80, 80, 80, 255});
    // Frame.
    const core::Point tl{static_cast<double>(fx0), static_cast<double>(fy0)};
    const core::Point tr{static_cast<double>(fx1), static_cast<double>(fy0)};
    const core::Point bl{static_cast<double>(fx0), static_cast<double>(fy1)};
    const core::Point br{static_cast<double>(fx1), static_cast<double>(fy1)};
    cv.line(tl, tr, 1.2, kFrame);
    cv.line(tr, br, 1.2, kFrame);
    cv.line(br, bl, 1.2, kFrame);
    cv.line(bl, tl, 1.2, kFrame);
    // Scale bar, bottom left inside the frame: 4 alternating segments.
    const double len_m = round_scale_length(0.25 * (fx1 - fx0) * mpp);
    const double len_px = len_m / mpp;
    const double sx = fx0 + 24, sy = fy1 - 34, bar_h = 8;
    cv.fill_rect(sx - 8, sy - 24, sx + len_px + 44, sy + bar_h + 10, Rgba{255, 255, 255, 210});
    for (int k = 0; k < 4; ++k)
      cv.fill_rect(sx + k * len_px / 4, sy, sx + (k + 1) * len_px / 4, sy + bar_h, k % 2 ? kWhite : kInk);
    cv.line({sx, sy}, {sx + len_px, sy}, 1, kInk);
    cv.line({sx, sy + bar_h}, {sx + len_px, sy + bar_h}, 1, kInk);
    cv.line({sx + len_px, sy}, {sx + len_px, sy + bar_h}, 1, kInk);
    auto dist = [](double m) {
      char buf[32];
      if (m >= 1000) std::snprintf(buf, sizeof buf, "%g km", m / 1000);
      else std::snprintf(buf, sizeof buf, "%g m", m);
      return std::string(buf);
    };
    text(sx - 3, sy - 6, "0", 13, kInk);
    const std::string half = dist(len_m / 2), full = dist(len_m);
    text(sx + len_px / 2 - font.width(half, 13) / 2, sy - 6, half, 13, kInk);
    text(sx + len_px - font.width(full, 13) / 2, sy - 6, full, 13, kInk);
    // North arrow, top right inside the frame.
    const double ax = fx1 - 40, ay = fy0 + 30;
    cv.fill_rect(ax - 24, ay - 22, ax + 24, ay + 62, Rgba{255, 255, 255, 210});
    const core::Point tip{ax, ay + 2}, left{ax - 13, ay + 52}, right{ax + 13, ay + 52}, notch{ax, ay + 40};
    cv.fill_rings({{tip, notch, left, tip}}, kInk);
    cv.fill_rings({{tip, right, notch, tip}}, kWhite);
    cv.line(tip, right, 1.3, kInk);
    cv.line(right, notch, 1.3, kInk);
    cv.line(notch, left, 1.3, kInk);
    cv.line(left, tip, 1.3, kInk);
    text(ax - font.width("N", 18) / 2, ay - 2, "N", 18, kInk);
    // Attribution and CRS.
    text(fx0, o.height_px - 14, o.attribution + " British National Grid (EPSG:27700).", 12, Rgba{90, 90, 90, 255});
  }
};

MapImage::MapImage(const MapOptions& options) {
  HOTSPOT_ASSERT(options.width_px >= 300 && options.width_px <= 8000 && options.height_px >= 300 &&
                 options.height_px <= 8000);
  m_impl = std::make_unique<Impl>(options);
}
MapImage::~MapImage() = default;

void MapImage::raster(double x0_m, double y1_m, double cell_m, int32_t columns, int32_t rows,
                      std::span<const double> values, const std::function<Rgba(double)>& colour) {
  auto& m = *m_impl;
  m.map_clip();
  // Sample the raster at each pixel centre of the frame (nearest cell).
  for (int y = m.fy0; y < m.fy1; ++y) {
    const double wy = m.wy0 + (m.fy1 - (y + 0.5)) * m.mpp;
    const auto r = static_cast<int64_t>(std::floor((y1_m - wy) / cell_m));
    if (r < 0 || r >= rows) continue;
    for (int x = m.fx0; x < m.fx1; ++x) {
      const double wx = m.wx0 + (x + 0.5 - m.fx0) * m.mpp;
      const auto c = static_cast<int64_t>(std::floor((wx - x0_m) / cell_m));
      if (c < 0 || c >= columns) continue;
      const Rgba col = colour(values[static_cast<std::size_t>(r * columns + c)]);
      if (col.a) m.cv.blend(x, y, col, 1.0);
    }
  }
}

void MapImage::polygons(std::span<const core::MultiPolygon> shapes, std::span<const Rgba> fill) {
  HOTSPOT_ASSERT(shapes.size() == fill.size());
  auto& m = *m_impl;
  m.map_clip();
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    if (!fill[i].a) continue;
    for (const auto& poly : shapes[i]) m.cv.fill_rings(m.rings_of(poly), fill[i]);
  }
}

void MapImage::polygons(std::span<const core::Polygon> shapes, std::span<const Rgba> fill) {
  HOTSPOT_ASSERT(shapes.size() == fill.size());
  auto& m = *m_impl;
  m.map_clip();
  for (std::size_t i = 0; i < shapes.size(); ++i)
    if (fill[i].a) m.cv.fill_rings(m.rings_of(shapes[i]), fill[i]);
}

void MapImage::outlines(std::span<const core::MultiPolygon> shapes, Rgba colour, double width_px) {
  auto& m = *m_impl;
  m.map_clip();
  for (const auto& mp : shapes)
    for (const auto& poly : mp)
      for (const auto& ring : m.rings_of(poly))
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) m.cv.line(ring[i], ring[i + 1], width_px, colour);
}

void MapImage::labels(std::span<const std::string> text, std::span<const core::Point> at, double size_px) {
  HOTSPOT_ASSERT(text.size() == at.size());
  auto& m = *m_impl;
  m.map_clip();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i].empty()) continue;
    const core::Point p = m.px(at[i].x(), at[i].y());
    const double w = m.font.width(text[i], size_px);
    const std::array<double, 4> box{p.x() - w / 2 - 2, p.y() - size_px * 0.8, p.x() + w / 2 + 2, p.y() + size_px * 0.3};
    if (box[0] < m.fx0 || box[2] > m.fx1 || box[1] < m.fy0 || box[3] > m.fy1) continue;
    bool overlaps = false;
    for (const auto& b : m.label_boxes)
      if (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]) overlaps = true;
    if (overlaps) continue;
    m.label_boxes.push_back(box);
    m.halo_text(p.x() - w / 2, p.y() + size_px * 0.35, text[i], size_px, kInk);
  }
}

void MapImage::markers(std::span<const core::Point> at, std::span<const std::string> text, Rgba fill, double radius_px) {
  HOTSPOT_ASSERT(text.size() == at.size());
  auto& m = *m_impl;
  m.map_clip();
  std::vector<core::Point> drawn;
  for (std::size_t i = 0; i < at.size(); ++i) {  // in order: a marker never hides an earlier one
    const core::Point p = m.px(at[i].x(), at[i].y());
    bool clash = false;
    for (const auto& q : drawn)
      if (std::hypot(p.x() - q.x(), p.y() - q.y()) < 2 * radius_px + 2) clash = true;
    if (clash) continue;
    drawn.push_back(p);
    m.cv.disc(p, radius_px + 2, kWhite);
    m.cv.disc(p, radius_px, fill);
    const double size = radius_px * 1.15;
    m.text(p.x() - m.font.width(text[i], size) / 2, p.y() + size * 0.37, text[i], size, kWhite);
  }
}

void MapImage::legend(const std::string& title, std::span<const LegendItem> items) {
  auto& m = *m_impl;
  m.cv.unclip();
  m.text(m.lx, m.ly + 18, title, 18, kInk);
  m.ly += 34;
  for (const auto& it : items) {
    m.cv.fill_rect(m.lx, m.ly, m.lx + 30, m.ly + 20, it.fill);
    const core::Point a{static_cast<double>(m.lx), m.ly}, b{m.lx + 30.0, m.ly}, c{m.lx + 30.0, m.ly + 20}, d{static_cast<double>(m.lx), m.ly + 20};
    m.cv.line(a, b, 1, kFrame);
    m.cv.line(b, c, 1, kFrame);
    m.cv.line(c, d, 1, kFrame);
    m.cv.line(d, a, 1, kFrame);
    m.text(m.lx + 40, m.ly + 15, it.label, 15, kInk);
    m.ly += 27;
  }
  m.ly += 14;
}

void MapImage::ramp_legend(const std::string& title, const std::function<Rgba(double)>& ramp, const std::string& low,
                           const std::string& high) {
  auto& m = *m_impl;
  m.cv.unclip();
  m.text(m.lx, m.ly + 18, title, 18, kInk);
  m.ly += 32;
  const double h = 200, w = 30;
  for (int k = 0; k < static_cast<int>(h); ++k)
    m.cv.fill_rect(m.lx, m.ly + k, m.lx + w, m.ly + k + 1, ramp(1.0 - k / (h - 1)));
  m.cv.line({static_cast<double>(m.lx), m.ly}, {m.lx + w, m.ly}, 1, kFrame);
  m.cv.line({static_cast<double>(m.lx), m.ly + h}, {m.lx + w, m.ly + h}, 1, kFrame);
  m.text(m.lx + w + 10, m.ly + 12, high, 15, kInk);
  m.text(m.lx + w + 10, m.ly + h, low, 15, kInk);
  m.ly += h + 24;
}

void MapImage::note(const std::string& text) {
  auto& m = *m_impl;
  m.cv.unclip();
  // Wrap to the legend panel's width.
  const double max_w = m.o.width_px - m.lx - 16;
  std::string line;
  std::size_t pos = 0;
  auto flush = [&] {
    m.text(m.lx, m.ly + 14, line, 14, Rgba{70, 70, 70, 255});
    m.ly += 20;
    line.clear();
  };
  while (pos < text.size()) {
    std::size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(pos, end - pos);
    const std::string trial = line.empty() ? word : line + " " + word;
    if (!line.empty() && m.font.width(trial, 14) > max_w) {
      flush();
      line = word;
    } else {
      line = trial;
    }
    pos = end + 1;
  }
  if (!line.empty()) flush();
  m.ly += 8;
}

void MapImage::save(const fs::path& path) {
  auto& m = *m_impl;
  m.furniture();
  std::string png;
  stbi_write_png_to_func(
      [](void* ctx, void* data, int size) {
        static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
      },
      &png, m.cv.width(), m.cv.height(), 4, m.cv.pixels().data(), m.cv.width() * 4);
  if (png.empty()) throw IoError(path.string() + ": PNG encoding failed");
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  AtomicOutput out(path);
  {
    std::ofstream f(out.temp_path(), std::ios::binary);
    f.write(png.data(), static_cast<std::streamsize>(png.size()));
    f.flush();
    if (!f) throw IoError(path.string() + ": write failed");
  }
  out.commit();
}

const std::vector<uint8_t>& MapImage::pixels() const { return m_impl->cv.pixels(); }
int MapImage::width() const { return m_impl->cv.width(); }
int MapImage::height() const { return m_impl->cv.height(); }
core::Point MapImage::to_pixel(double x_m, double y_m) const { return m_impl->px(x_m, y_m); }
const std::vector<std::string>& MapImage::warnings() const { return m_impl->warnings; }

}  // namespace hotspot::layers
