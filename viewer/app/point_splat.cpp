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

// round(v / 255) for v <= 255 * 255, in each 16-bit lane of a 0x00FF00FF-masked word.
inline uint32_t div255_lanes(uint32_t v) {
  v += 0x00800080u;
  return ((v + ((v >> 8) & 0x00FF00FFu)) >> 8) & 0x00FF00FFu;
}

// Premultiplied "over": dst * (255 - a) / 255 + src, two channels per multiply.
// `src` is premultiplied by its alpha `a` (and the disc's coverage).
inline uint32_t blend_over(uint32_t dst, uint32_t src, uint32_t inv) {
  const uint32_t rb = div255_lanes((dst & 0x00FF00FFu) * inv);
  const uint32_t ga = div255_lanes(((dst >> 8) & 0x00FF00FFu) * inv);
  return src + (rb | ga << 8);  // no carries: each channel sums to <= 255
}

// The disc loop, over any source with size(), x(i), y(i) (metres), month(i), category(i).
template <typename Points>
std::size_t splat(const Points& pts, std::size_t begin, std::size_t end, const SplatStyle& style, const SplatView& view,
                  SplatImage& image) {
  const double r = std::max(0.5, style.radius_px);
  const int k = static_cast<int>(std::ceil(r));
  const int size = 2 * k + 1;
  const std::vector<uint8_t> kernel = disc_kernel(r, k);
  // Per category: enabled?, and for each kernel cell the premultiplied colour at that
  // coverage and 255 - its alpha (so a pixel costs two multiplies).
  const std::size_t ncat = std::max<std::size_t>(style.colour_of_category.size(), 1) + 1;  // + fallback
  const std::size_t cells = kernel.size();
  std::vector<uint32_t> src(ncat * cells), inv_alpha(ncat * cells);
  std::vector<bool> on(ncat - 1);
  const double opacity = std::clamp(style.opacity, 0.0, 1.0);
  for (std::size_t c = 0; c < ncat; ++c) {
    Rgba col = c < style.colour_of_category.size() ? style.colour_of_category[c] : style.fallback;
    if (c + 1 < ncat) on[c] = style.filter.allows(static_cast<core::CategoryId>(c));
    const uint32_t alpha = static_cast<uint32_t>(std::lround(col.a * opacity));
    for (std::size_t k2 = 0; k2 < cells; ++k2) {
      const uint32_t a = (alpha * kernel[k2] + 127) / 255;
      auto pre = [&](uint32_t v) { return (v * a + 127) / 255; };
      src[c * cells + k2] = pre(col.r) | pre(col.g) << 8 | pre(col.b) << 16 | a << 24;
      inv_alpha[c * cells + k2] = 255 - a;
    }
  }
  const std::size_t fallback_row = (ncat - 1) * cells;

  const double inv = 1.0 / view.m_per_px;
  const int w = image.width, h = image.height;
  std::size_t drawn = 0;
  end = std::min(end, pts.size());
  for (std::size_t i = begin; i < end; ++i) {
    if (!style.window.contains(pts.month(i))) continue;
    const core::CategoryId c = pts.category(i);
    if (c < on.size() ? !on[c] : !style.filter.allows(c)) continue;
    const double fx = (pts.x(i) - view.left_m) * inv, fy = (view.top_m - pts.y(i)) * inv;
    if (!(fx > -k - 1 && fy > -k - 1 && fx < w + k + 1 && fy < h + k + 1)) continue;
    const int cx = static_cast<int>(std::floor(fx)), cy = static_cast<int>(std::floor(fy));
    const std::size_t base = c < on.size() ? static_cast<std::size_t>(c) * cells : fallback_row;
    const uint32_t* csrc = &src[base];
    const uint32_t* cinv = &inv_alpha[base];
    ++drawn;
    const int y0 = std::max(0, cy - k), y1 = std::min(h - 1, cy + k);
    const int x0 = std::max(0, cx - k), x1 = std::min(w - 1, cx + k);
    for (int y = y0; y <= y1; ++y) {
      const std::size_t krow = static_cast<std::size_t>((y - cy + k) * size);
      uint32_t* row = &image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(w)];
      for (int x = x0; x <= x1; ++x) {
        const std::size_t kc = krow + static_cast<std::size_t>(x - cx + k);
        if (kernel[kc] != 0) row[x] = blend_over(row[x], csrc[kc], cinv[kc]);
      }
    }
  }
  return drawn;
}

struct TablePoints {
  std::span<const double> xs, ys;
  std::span<const core::MonthIndex> months;
  std::span<const core::CategoryId> cats;
  [[nodiscard]] std::size_t size() const { return xs.size(); }
  [[nodiscard]] double x(std::size_t i) const { return xs[i]; }
  [[nodiscard]] double y(std::size_t i) const { return ys[i]; }
  [[nodiscard]] core::MonthIndex month(std::size_t i) const { return months[i]; }
  [[nodiscard]] core::CategoryId category(std::size_t i) const { return cats[i]; }
};

struct SortedPoints {
  const SplatPoints& p;
  [[nodiscard]] std::size_t size() const { return p.points.size(); }
  [[nodiscard]] double x(std::size_t i) const { return p.origin_x_m + static_cast<double>(p.points[i].dx_m); }
  [[nodiscard]] double y(std::size_t i) const { return p.origin_y_m + static_cast<double>(p.points[i].dy_m); }
  [[nodiscard]] core::MonthIndex month(std::size_t i) const { return p.points[i].month; }
  [[nodiscard]] core::CategoryId category(std::size_t i) const { return p.points[i].category; }
};

// Interleaves the low 16 bits of x and y (x in the even bits).
uint32_t morton(uint32_t x, uint32_t y) {
  auto spread = [](uint32_t v) {
    v &= 0xFFFFu;
    v = (v | (v << 8)) & 0x00FF00FFu;
    v = (v | (v << 4)) & 0x0F0F0F0Fu;
    v = (v | (v << 2)) & 0x33333333u;
    v = (v | (v << 1)) & 0x55555555u;
    return v;
  };
  return spread(x) | spread(y) << 1;
}

}  // namespace

std::size_t splat_incidents(const core::IncidentTable& table, std::size_t begin, std::size_t end,
                            const SplatStyle& style, const SplatView& view, SplatImage& image) {
  return splat(TablePoints{table.x_m(), table.y_m(), table.month(), table.category()}, begin, end, style, view, image);
}

std::size_t splat_points(const SplatPoints& points, std::size_t begin, std::size_t end, const SplatStyle& style,
                         const SplatView& view, SplatImage& image) {
  return splat(SortedPoints{points}, begin, end, style, view, image);
}

SplatPoints SplatPoints::from(const core::IncidentTable& table) {
  SplatPoints out;
  const std::size_t n = table.size();
  if (n == 0) return out;
  const auto xs = table.x_m(), ys = table.y_m();
  double x0 = xs[0], y0 = ys[0], x1 = xs[0], y1 = ys[0];
  for (std::size_t i = 1; i < n; ++i) {
    x0 = std::min(x0, xs[i]);
    x1 = std::max(x1, xs[i]);
    y0 = std::min(y0, ys[i]);
    y1 = std::max(y1, ys[i]);
  }
  out.origin_x_m = x0;
  out.origin_y_m = y0;
  // Morton keys on a 65536 x 65536 lattice over the extent, then a stable sort.
  const double span = std::max({x1 - x0, y1 - y0, 1.0});
  const double scale = 65535.0 / span;
  std::vector<std::pair<uint32_t, uint32_t>> keyed(n);
  for (std::size_t i = 0; i < n; ++i)
    keyed[i] = {morton(static_cast<uint32_t>((xs[i] - x0) * scale), static_cast<uint32_t>((ys[i] - y0) * scale)),
                static_cast<uint32_t>(i)};
  std::sort(keyed.begin(), keyed.end());  // (key, row): ties keep table order
  const auto months = table.month();
  const auto cats = table.category();
  out.points.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = keyed[k].second;
    out.points[k] = {static_cast<float>(xs[i] - x0), static_cast<float>(ys[i] - y0), months[i], cats[i]};
  }
  return out;
}

}  // namespace hotspot::viewer
