#include "core/stats/kde.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <thread>
#include <tuple>
#include <utility>

#include <boost/geometry/algorithms/expand.hpp>

namespace hotspot::core {

namespace {
constexpr double kPi = std::numbers::pi;

Result<KdeRaster, KdeError> fail(KdeError e) { return Result<KdeRaster, KdeError>::failure(e, describe(e)); }

template <Kernel K>
inline double profile(double u2) {
  if constexpr (K == Kernel::quartic) {
    const double t = std::max(0.0, 1.0 - u2);
    return t * t;
  } else if constexpr (K == Kernel::triangular) {
    return u2 < 1.0 ? 1.0 - std::sqrt(u2) : 0.0;
  } else if constexpr (K == Kernel::uniform) {
    return u2 <= 1.0 ? 1.0 : 0.0;
  } else if constexpr (K == Kernel::epanechnikov) {
    return std::max(0.0, 1.0 - u2);
  } else if constexpr (K == Kernel::triweight) {
    const double t = std::max(0.0, 1.0 - u2);
    return t * t * t;
  } else {
    return u2 <= 25.0 ? std::exp(-0.5 * u2) : 0.0;
  }
}

double unit_factor(DensityUnit u) {
  switch (u) {
    case DensityUnit::per_km2: return 1e6;
    case DensityUnit::per_hectare: return 1e4;
    case DensityUnit::per_m2: return 1.0;
  }
  return 1e6;
}

struct Layout {
  double x0, y1, cell;
  int32_t cols, rows;
};

// The points binned by the raster row they fall in, with coincident points merged
// (police.uk snaps every crime to an anonymised map point: a year of a district's
// incidents sits on a few thousand locations). Bucket k holds points whose row
// index floor((y1 - y) / cell) is k - pad; points further than the kernel's reach
// from every pixel centre are dropped (they add nothing). Within a bucket, points
// are in (x, y) order and a merged point's weight is the sum of its copies in input
// order, so the layout (and hence every pixel's summation order) depends only on
// the input, never on the thread count.
struct Binned {
  std::vector<double> x, y, w;
  std::vector<std::size_t> start;  // bucket k: [start[k], start[k + 1])
  int32_t pad = 0;
  std::size_t points = 0;  // before merging
};

Binned bin_points(const Layout& L, std::span<const double> x, std::span<const double> y,
                  std::span<const double> w, double reach, unsigned threads) {
  Binned b;
  b.pad = static_cast<int32_t>(std::ceil(reach / L.cell)) + 2;
  const int32_t buckets = L.rows + 2 * b.pad;
  const double xlo = L.x0 - reach - L.cell, xhi = L.x0 + L.cols * L.cell + reach + L.cell;
  std::vector<int32_t> key(x.size(), -1);
  std::vector<std::size_t> count(static_cast<std::size_t>(buckets) + 1, 0);
  for (std::size_t p = 0; p < x.size(); ++p) {
    if (!std::isfinite(x[p]) || !std::isfinite(y[p]) || x[p] < xlo || x[p] > xhi) continue;
    if (!w.empty() && w[p] == 0) continue;
    const double row = std::floor((L.y1 - y[p]) / L.cell);
    if (row < -b.pad || row >= L.rows + b.pad) continue;
    key[p] = static_cast<int32_t>(row) + b.pad;
    ++count[static_cast<std::size_t>(key[p]) + 1];
  }
  for (std::size_t k = 1; k < count.size(); ++k) count[k] += count[k - 1];
  const std::size_t m = count.back();
  b.points = m;
  std::vector<uint32_t> order(m);
  {
    std::vector<std::size_t> next(count.begin(), count.end() - 1);
    for (std::size_t p = 0; p < x.size(); ++p)
      if (key[p] >= 0) order[next[static_cast<std::size_t>(key[p])]++] = static_cast<uint32_t>(p);
  }
  // Sort each bucket by (x, y, input index) and merge coincident points.
  b.x.resize(m);
  b.y.resize(m);
  b.w.resize(m);
  std::vector<std::size_t> kept(static_cast<std::size_t>(buckets), 0);
  std::atomic<int32_t> next_bucket{0};
  auto worker = [&] {
    for (int32_t k = next_bucket++; k < buckets; k = next_bucket++) {
      const std::size_t lo = count[static_cast<std::size_t>(k)], hi = count[static_cast<std::size_t>(k) + 1];
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(lo), order.begin() + static_cast<std::ptrdiff_t>(hi),
                [&](uint32_t a, uint32_t c) {
                  if (x[a] != x[c]) return x[a] < x[c];
                  if (y[a] != y[c]) return y[a] < y[c];
                  return a < c;
                });
      std::size_t out = lo;
      for (std::size_t q = lo; q < hi; ++q) {
        const uint32_t p = order[q];
        const double wp = w.empty() ? 1.0 : w[p];
        if (out > lo && b.x[out - 1] == x[p] && b.y[out - 1] == y[p]) {
          b.w[out - 1] += wp;
        } else {
          b.x[out] = x[p];
          b.y[out] = y[p];
          b.w[out] = wp;
          ++out;
        }
      }
      kept[static_cast<std::size_t>(k)] = out - lo;
    }
  };
  {
    std::vector<std::thread> pool;
    const unsigned t = m < 100000 ? 1u : threads;
    for (unsigned k = 1; k < t; ++k) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
  }
  // Compact the buckets.
  b.start.assign(static_cast<std::size_t>(buckets) + 1, 0);
  std::size_t out = 0;
  for (int32_t k = 0; k < buckets; ++k) {
    const auto ku = static_cast<std::size_t>(k);
    b.start[ku] = out;
    const std::size_t lo = count[ku];
    if (out != lo)
      for (std::size_t q = 0; q < kept[ku]; ++q) {
        b.x[out + q] = b.x[lo + q];
        b.y[out + q] = b.y[lo + q];
        b.w[out + q] = b.w[lo + q];
      }
    out += kept[ku];
  }
  b.start[static_cast<std::size_t>(buckets)] = out;
  b.x.resize(out);
  b.y.resize(out);
  b.w.resize(out);
  return b;
}

// Adds the kernels of the binned points that can reach rows [r0, r1) into those
// rows of `out`. Each point touches the pixels of the box around it whose row and
// column centres are within the reach (widened by 1e-7 pixel so that rounding never
// drops a pixel the profile counts: pixels left out have u^2 > 1, > 25 for
// gaussian, where every profile is 0). The squared column offsets are computed
// once per point; the row loop is a plain vectorisable loop over the box (cheaper
// than computing each row's chord of the circle: the corners add zeros). The terms
// are those of the naive sum; each pixel adds them in the binned order.
template <Kernel K>
void accumulate(const Layout& L, const Binned& b, double h, double reach, int32_t r0, int32_t r1, double* out) {
  const double inv_h2 = 1.0 / (h * h);
  constexpr double kSlack = 1e-7;
  const int32_t k0 = std::max(0, r0 - 1), k1 = std::min(L.rows + 2 * b.pad, r1 + 2 * b.pad + 1);
  std::vector<double> ax;
  for (std::size_t p = b.start[static_cast<std::size_t>(k0)]; p < b.start[static_cast<std::size_t>(k1)]; ++p) {
    const double px = b.x[p], py = b.y[p], wp = b.w[p];
    // Rows whose centre is within reach: centre_y(r) in [py - reach, py + reach].
    const auto ra = static_cast<int32_t>(std::max<double>(r0, std::ceil((L.y1 - (py + reach)) / L.cell - 0.5 - kSlack)));
    const auto rb = static_cast<int32_t>(std::min<double>(r1 - 1, std::floor((L.y1 - (py - reach)) / L.cell - 0.5 + kSlack)));
    if (ra > rb) continue;
    const auto ca0 = static_cast<int32_t>(std::max(0.0, std::ceil((px - reach - L.x0) / L.cell - 0.5 - kSlack)));
    const auto cb0 =
        static_cast<int32_t>(std::min<double>(L.cols - 1, std::floor((px + reach - L.x0) / L.cell - 0.5 + kSlack)));
    if (ca0 > cb0) continue;
    ax.resize(static_cast<std::size_t>(cb0 - ca0 + 1));
    for (int32_t c = ca0; c <= cb0; ++c) {
      const double dx = (L.x0 + (c + 0.5) * L.cell) - px;
      ax[static_cast<std::size_t>(c - ca0)] = dx * dx * inv_h2;
    }
    for (int32_t r = ra; r <= rb; ++r) {
      const double dy = (L.y1 - (r + 0.5) * L.cell) - py;
      const double dy2 = dy * dy * inv_h2;
      double* __restrict row =
          out + static_cast<std::size_t>(r) * static_cast<std::size_t>(L.cols) + static_cast<std::size_t>(ca0);
      const double* __restrict a = ax.data();
      for (std::size_t c = 0; c < ax.size(); ++c) row[c] += wp * profile<K>(a[c] + dy2);
    }
  }
}

void run(Kernel k, const Layout& L, const Binned& b, double h, double reach, int32_t r0, int32_t r1, double* out) {
  switch (k) {
    case Kernel::quartic: return accumulate<Kernel::quartic>(L, b, h, reach, r0, r1, out);
    case Kernel::triangular: return accumulate<Kernel::triangular>(L, b, h, reach, r0, r1, out);
    case Kernel::uniform: return accumulate<Kernel::uniform>(L, b, h, reach, r0, r1, out);
    case Kernel::epanechnikov: return accumulate<Kernel::epanechnikov>(L, b, h, reach, r0, r1, out);
    case Kernel::triweight: return accumulate<Kernel::triweight>(L, b, h, reach, r0, r1, out);
    case Kernel::gaussian: return accumulate<Kernel::gaussian>(L, b, h, reach, r0, r1, out);
  }
}

bool extent_of(std::span<const double> x, std::span<const double> y, Box& box, std::size_t& finite) {
  double xmin = std::numeric_limits<double>::max(), ymin = xmin, xmax = -xmin, ymax = -xmin;
  finite = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    ++finite;
    xmin = std::min(xmin, x[k]);
    xmax = std::max(xmax, x[k]);
    ymin = std::min(ymin, y[k]);
    ymax = std::max(ymax, y[k]);
  }
  box = Box(Point(xmin, ymin), Point(xmax, ymax));
  return finite > 0;
}

// Resolves radius, cell and layout; fills `r` (without values).
std::optional<KdeError> plan(std::span<const double> x, std::span<const double> y, std::span<const double> w,
                             const Box& data_box, const KdeOptions& o, KdeRaster& r, Layout& L) {
  r.kernel = o.kernel;
  r.unit = o.unit;
  r.radius_m = o.radius_m;
  if (r.radius_m == 0) {
    r.radius_m = arcgis_default_radius(x, y, w);
    r.radius_from_rule = true;
  }
  if (!(r.radius_m > 0) || !std::isfinite(r.radius_m)) return KdeError::bad_radius;
  double cell = o.cell_m;
  if (cell == 0) {
    const double wdt = data_box.max_corner().x() - data_box.min_corner().x();
    const double hgt = data_box.max_corner().y() - data_box.min_corner().y();
    cell = std::min(wdt, hgt) / 250.0;
    if (!(cell > 0)) cell = r.radius_m / 10.0;
  }
  if (!(cell > 0) || !std::isfinite(cell)) return KdeError::bad_cell;
  const double reach = r.radius_m * kernel_reach(o.kernel);
  double x0, y0, x1, y1;
  if (o.extent) {
    x0 = o.extent->min_corner().x();
    y0 = o.extent->min_corner().y();
    x1 = o.extent->max_corner().x();
    y1 = o.extent->max_corner().y();
    if (!(x1 > x0 && y1 > y0)) return KdeError::bad_cell;
  } else {
    x0 = std::floor((data_box.min_corner().x() - reach) / cell) * cell;
    y0 = std::floor((data_box.min_corner().y() - reach) / cell) * cell;
    x1 = std::ceil((data_box.max_corner().x() + reach) / cell) * cell;
    y1 = std::ceil((data_box.max_corner().y() + reach) / cell) * cell;
  }
  const double cols = std::ceil((x1 - x0) / cell - 1e-9), rows = std::ceil((y1 - y0) / cell - 1e-9);
  if (cols * rows > static_cast<double>(std::size_t{1} << 28) || cols < 1 || rows < 1)
    return KdeError::too_many_cells;
  r.cell_m = cell;
  r.x0 = x0;
  r.columns = static_cast<int32_t>(cols);
  r.rows = static_cast<int32_t>(rows);
  r.y1 = o.extent ? y1 : y0 + rows * cell;  // the default extent is whole cells from y0
  L = {r.x0, r.y1, cell, r.columns, r.rows};
  return std::nullopt;
}

// Returns {points within reach, distinct locations}.
std::pair<std::size_t, std::size_t> fill(const KdeRaster& r, const Layout& L, std::span<const double> x,
                                         std::span<const double> y, std::span<const double> w, unsigned threads,
                                         std::vector<double>& out) {
  out.assign(static_cast<std::size_t>(L.cols) * static_cast<std::size_t>(L.rows), 0.0);
  const double reach = r.radius_m * kernel_reach(r.kernel);
  const unsigned t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  const Binned b = bin_points(L, x, y, w, reach, t);
  // Bands of rows, claimed in turn; a pixel's sum does not depend on the bands.
  const int32_t bands = std::min<int32_t>(L.rows, static_cast<int32_t>(t) * 8);
  std::vector<std::thread> pool;
  std::atomic<int32_t> next{0};
  auto worker = [&] {
    for (int32_t band = next++; band < bands; band = next++) {
      const int32_t r0 = static_cast<int32_t>(static_cast<int64_t>(L.rows) * band / bands);
      const int32_t r1 = static_cast<int32_t>(static_cast<int64_t>(L.rows) * (band + 1) / bands);
      run(r.kernel, L, b, r.radius_m, reach, r0, r1, out.data());
    }
  };
  for (unsigned k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  const double scale = kernel_constant(r.kernel) / (r.radius_m * r.radius_m) * unit_factor(r.unit);
  for (double& v : out) v *= scale;
  return {b.points, b.x.size()};
}

}  // namespace

const char* kernel_name(Kernel k) {
  switch (k) {
    case Kernel::quartic: return "quartic";
    case Kernel::triangular: return "triangular";
    case Kernel::uniform: return "uniform";
    case Kernel::epanechnikov: return "epanechnikov";
    case Kernel::triweight: return "triweight";
    case Kernel::gaussian: return "gaussian";
  }
  return "?";
}

std::optional<Kernel> parse_kernel(std::string_view s) {
  if (s == "quartic" || s == "biweight") return Kernel::quartic;
  if (s == "triangular" || s == "cone") return Kernel::triangular;
  if (s == "uniform" || s == "flat") return Kernel::uniform;
  if (s == "epanechnikov") return Kernel::epanechnikov;
  if (s == "triweight") return Kernel::triweight;
  if (s == "gaussian" || s == "normal") return Kernel::gaussian;
  return std::nullopt;
}

double kernel_constant(Kernel k) {
  switch (k) {
    case Kernel::quartic: return 3.0 / kPi;
    case Kernel::triangular: return 3.0 / kPi;
    case Kernel::uniform: return 1.0 / kPi;
    case Kernel::epanechnikov: return 2.0 / kPi;
    case Kernel::triweight: return 4.0 / kPi;
    case Kernel::gaussian: return 1.0 / (2.0 * kPi);
  }
  return 0;
}

double kernel_profile(Kernel k, double u2) {
  switch (k) {
    case Kernel::quartic: return profile<Kernel::quartic>(u2);
    case Kernel::triangular: return profile<Kernel::triangular>(u2);
    case Kernel::uniform: return profile<Kernel::uniform>(u2);
    case Kernel::epanechnikov: return profile<Kernel::epanechnikov>(u2);
    case Kernel::triweight: return profile<Kernel::triweight>(u2);
    case Kernel::gaussian: return profile<Kernel::gaussian>(u2);
  }
  return 0;
}

double kernel_reach(Kernel k) { return k == Kernel::gaussian ? 5.0 : 1.0; }

const char* density_unit_name(DensityUnit u) {
  switch (u) {
    case DensityUnit::per_km2: return "incidents per km2";
    case DensityUnit::per_hectare: return "incidents per hectare";
    case DensityUnit::per_m2: return "incidents per m2";
  }
  return "?";
}

const char* describe(KdeError e) {
  switch (e) {
    case KdeError::no_points: return "no point has finite coordinates";
    case KdeError::bad_radius:
      return "the radius must be a positive number of metres (the default rule needs at least two distinct points)";
    case KdeError::bad_cell: return "the cell size must be a positive number of metres and the extent not empty";
    case KdeError::too_many_cells: return "the raster would have more than 2^28 cells: use a larger cell or a smaller extent";
    case KdeError::bad_weight: return "a weight is negative or not a finite number";
  }
  return "unknown KDE error";
}

double arcgis_default_radius(std::span<const double> x, std::span<const double> y, std::span<const double> w) {
  HOTSPOT_ASSERT(x.size() == y.size() && (w.empty() || w.size() == x.size()));
  double sw = 0, mx = 0, my = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    const double wk = w.empty() ? 1.0 : w[k];
    sw += wk;
    mx += wk * x[k];
    my += wk * y[k];
  }
  if (!(sw > 0)) return 0;
  mx /= sw;
  my /= sw;
  std::vector<std::pair<double, double>> d;  // (distance, weight)
  double ss = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    const double wk = w.empty() ? 1.0 : w[k];
    const double dx = x[k] - mx, dy = y[k] - my;
    ss += wk * (dx * dx + dy * dy);
    d.emplace_back(std::sqrt(dx * dx + dy * dy), wk);
  }
  const double sd = std::sqrt(ss / sw);
  std::sort(d.begin(), d.end());
  double dm = 0;
  if (w.empty()) {
    const std::size_t m = d.size();
    dm = m % 2 ? d[m / 2].first : 0.5 * (d[m / 2 - 1].first + d[m / 2].first);
  } else {
    double cum = 0;
    for (const auto& [dist, wk] : d) {
      cum += wk;
      if (cum >= 0.5 * sw) {
        dm = dist;
        break;
      }
    }
  }
  return 0.9 * std::min(sd, std::sqrt(1.0 / std::log(2.0)) * dm) * std::pow(sw, -0.2);
}

Result<KdeRaster, KdeError> kde(std::span<const double> x, std::span<const double> y, std::span<const double> w,
                                const KdeOptions& o) {
  HOTSPOT_ASSERT(x.size() == y.size() && (w.empty() || w.size() == x.size()));
  for (double v : w)
    if (!(v >= 0) || !std::isfinite(v)) return fail(KdeError::bad_weight);
  Box box;
  std::size_t finite = 0;
  if (!extent_of(x, y, box, finite)) return fail(KdeError::no_points);
  KdeRaster r;
  Layout L{};
  if (auto e = plan(x, y, w, box, o, r, L)) return fail(*e);
  r.points = finite;
  for (std::size_t k = 0; k < x.size(); ++k)
    if (std::isfinite(x[k]) && std::isfinite(y[k])) r.total_weight += w.empty() ? 1.0 : w[k];
  std::tie(r.points_in_reach, r.locations) = fill(r, L, x, y, w, o.threads, r.values);
  return r;
}

Result<KdeRaster, KdeError> dual_kde(std::span<const double> ax, std::span<const double> ay,
                                     std::span<const double> aw, std::span<const double> bx,
                                     std::span<const double> by, std::span<const double> bw,
                                     const KdeOptions& o, DualMode mode, double min_denominator) {
  for (auto ws : {aw, bw})
    for (double v : ws)
      if (!(v >= 0) || !std::isfinite(v)) return fail(KdeError::bad_weight);
  Box a, b;
  std::size_t fa = 0, fb = 0;
  if (!extent_of(ax, ay, a, fa) || !extent_of(bx, by, b, fb)) return fail(KdeError::no_points);
  boost::geometry::expand(a, b);
  KdeRaster r;
  Layout L{};
  if (auto e = plan(ax, ay, aw, a, o, r, L)) return fail(*e);
  r.points = fa;
  std::vector<double> den;
  std::tie(r.points_in_reach, r.locations) = fill(r, L, ax, ay, aw, o.threads, r.values);
  fill(r, L, bx, by, bw, o.threads, den);
  for (std::size_t k = 0; k < r.values.size(); ++k) {
    if (mode == DualMode::difference) r.values[k] -= den[k];
    else r.values[k] = den[k] >= min_denominator && den[k] > 0 ? r.values[k] / den[k]
                                                              : std::numeric_limits<double>::quiet_NaN();
  }
  return r;
}

}  // namespace hotspot::core
