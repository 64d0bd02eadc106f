#include "viewer/app/point_splat.hpp"

#include <algorithm>
#include <cmath>

namespace hotspot::viewer {

namespace {

// Coverage (0..255) of a disc of radius r centred on pixel (0, 0)'s centre, for a
// (2k+1)^2 kernel, by 4x4 supersampling.
std::vector<uint8_t> disc_kernel(double r, int k) {
  const int size = 2 * k + 1;
  std::vector<uint8_t> cov(static_cast<std::size_t>(size * size), 0);
  for (int y = -k; y <= k; ++y)
    for (int x = -k; x <= k; ++x) {
      int inside = 0;
      for (int sy = 0; sy < 4; ++sy)
        for (int sx = 0; sx < 4; ++sx) {
          const double px = x - 0.5 + (sx + 0.5) / 4.0, py = y - 0.5 + (sy + 0.5) / 4.0;
          if (px * px + py * py <= r * r) ++inside;
        }
      cov[static_cast<std::size_t>((y + k) * size + (x + k))] = static_cast<uint8_t>(inside * 255 / 16);
    }
  return cov;
}

inline uint32_t blend_over(uint32_t dst, uint32_t src_r, uint32_t src_g, uint32_t src_b, uint32_t src_a,
                           uint32_t cov) {
  // src is straight alpha; effective alpha = a * cov / 255.
  const uint32_t a = (src_a * cov + 127) / 255;
  const uint32_t inv = 255 - a;
  const uint32_t dr = dst & 0xFF, dg = (dst >> 8) & 0xFF, db = (dst >> 16) & 0xFF, da = dst >> 24;
  const uint32_t r = (src_r * a + dr * inv + 127) / 255;
  const uint32_t g = (src_g * a + dg * inv + 127) / 255;
  const uint32_t b = (src_b * a + db * inv + 127) / 255;
  const uint32_t oa = a + (da * inv + 127) / 255;
  return r | g << 8 | b << 16 | std::min(oa, 255u) << 24;
}

}  // namespace

std::size_t splat_incidents(const core::IncidentTable& table, std::size_t begin, std::size_t end,
                            const SplatStyle& style, const SplatView& view, SplatImage& image) {
  const double r = std::max(0.5, style.radius_px);
  const int k = static_cast<int>(std::ceil(r));
  const int size = 2 * k + 1;
  const std::vector<uint8_t> kernel = disc_kernel(r, k);
  // Per-category colour and enable flag, looked up per point.
  const std::size_t ncat = std::max<std::size_t>(style.colour_of_category.size(), 1);
  std::vector<uint32_t> rgba(ncat);
  std::vector<bool> on(ncat);
  for (std::size_t c = 0; c < ncat; ++c) {
    Rgba col = c < style.colour_of_category.size() ? style.colour_of_category[c] : style.fallback;
    col.a = static_cast<uint8_t>(std::lround(col.a * std::clamp(style.opacity, 0.0, 1.0)));
    rgba[c] = col.packed();
    on[c] = style.filter.allows(static_cast<core::CategoryId>(c));
  }
  Rgba fb = style.fallback;
  fb.a = static_cast<uint8_t>(std::lround(fb.a * std::clamp(style.opacity, 0.0, 1.0)));
  const uint32_t fallback = fb.packed();

  const auto xs = table.x_m(), ys = table.y_m();
  const auto month = table.month();
  const auto cat = table.category();
  const double inv = 1.0 / view.m_per_px;
  const int w = image.width, h = image.height;
  std::size_t drawn = 0;
  end = std::min(end, table.size());
  for (std::size_t i = begin; i < end; ++i) {
    if (!style.window.contains(month[i])) continue;
    const core::CategoryId c = cat[i];
    if (c < on.size() && !on[c]) continue;
    if (c >= on.size() && !style.filter.allows(c)) continue;
    const double fx = (xs[i] - view.left_m) * inv, fy = (view.top_m - ys[i]) * inv;
    if (!(fx > -k - 1 && fy > -k - 1 && fx < w + k + 1 && fy < h + k + 1)) continue;
    const int cx = static_cast<int>(std::floor(fx)), cy = static_cast<int>(std::floor(fy));
    const uint32_t col = c < rgba.size() ? rgba[c] : fallback;
    const uint32_t sr = col & 0xFF, sg = (col >> 8) & 0xFF, sb = (col >> 16) & 0xFF, sa = col >> 24;
    ++drawn;
    const int y0 = std::max(0, cy - k), y1 = std::min(h - 1, cy + k);
    const int x0 = std::max(0, cx - k), x1 = std::min(w - 1, cx + k);
    for (int y = y0; y <= y1; ++y) {
      const std::size_t krow = static_cast<std::size_t>((y - cy + k) * size);
      uint32_t* row = &image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(w)];
      for (int x = x0; x <= x1; ++x) {
        const uint32_t cov = kernel[krow + static_cast<std::size_t>(x - cx + k)];
        if (cov != 0) row[x] = blend_over(row[x], sr, sg, sb, sa, cov);
      }
    }
  }
  return drawn;
}

}  // namespace hotspot::viewer
