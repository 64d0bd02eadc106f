#include "core/stats/kde.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <thread>

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

// Adds every point's kernel into the rows [r0, r1) of `out`, points in input order.
template <Kernel K>
void accumulate(const Layout& L, std::span<const double> x, std::span<const double> y,
                std::span<const double> w, double h, double reach, int32_t r0, int32_t r1, double* out) {
  const double inv_h2 = 1.0 / (h * h);
  const double top = L.y1 - (r0 + 0.5) * L.cell, bottom = L.y1 - (r1 - 0.5) * L.cell;
  for (std::size_t p = 0; p < x.size(); ++p) {
    const double px = x[p], py = y[p];
    if (!std::isfinite(px) || !std::isfinite(py)) continue;
    if (py - reach > top || py + reach < bottom) continue;
    const double wp = w.empty() ? 1.0 : w[p];
    // Rows whose centre is within reach: centre_y(r) in [py - reach, py + reach].
    const auto ra = static_cast<int32_t>(std::max<double>(r0, std::ceil((L.y1 - (py + reach)) / L.cell - 0.5)));
    const auto rb = static_cast<int32_t>(std::min<double>(r1 - 1, std::floor((L.y1 - (py - reach)) / L.cell - 0.5)));
    const auto ca = static_cast<int32_t>(std::max(0.0, std::ceil((px - reach - L.x0) / L.cell - 0.5)));
    const auto cb = static_cast<int32_t>(std::min<double>(L.cols - 1, std::floor((px + reach - L.x0) / L.cell - 0.5)));
    if (ca > cb) continue;
    for (int32_t r = ra; r <= rb; ++r) {
      const double dy = (L.y1 - (r + 0.5) * L.cell) - py;
      const double dy2 = dy * dy * inv_h2;
      double* row = out + static_cast<std::size_t>(r) * static_cast<std::size_t>(L.cols);
      for (int32_t c = ca; c <= cb; ++c) {
        const double dx = (L.x0 + (c + 0.5) * L.cell) - px;
        row[c] += wp * profile<K>(dx * dx * inv_h2 + dy2);
      }
    }
  }
}

void run(Kernel k, const Layout& L, std::span<const double> x, std::span<const double> y,
         std::span<const double> w, double h, double reach, int32_t r0, int32_t r1, double* out) {
  switch (k) {
    case Kernel::quartic: return accumulate<Kernel::quartic>(L, x, y, w, h, reach, r0, r1, out);
    case Kernel::triangular: return accumulate<Kernel::triangular>(L, x, y, w, h, reach, r0, r1, out);
    case Kernel::uniform: return accumulate<Kernel::uniform>(L, x, y, w, h, reach, r0, r1, out);
    case Kernel::epanechnikov: return accumulate<Kernel::epanechnikov>(L, x, y, w, h, reach, r0, r1, out);
    case Kernel::triweight: return accumulate<Kernel::triweight>(L, x, y, w, h, reach, r0, r1, out);
    case Kernel::gaussian: return accumulate<Kernel::gaussian>(L, x, y, w, h, reach, r0, r1, out);
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

void fill(const KdeRaster& r, const Layout& L, std::span<const double> x, std::span<const double> y,
          std::span<const double> w, unsigned threads, std::vector<double>& out) {
  out.assign(static_cast<std::size_t>(L.cols) * static_cast<std::size_t>(L.rows), 0.0);
  const double reach = r.radius_m * kernel_reach(r.kernel);
  unsigned t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  // Bands of rows; each pixel sums its points in input order whatever the bands.
  const int32_t bands = std::min<int32_t>(L.rows, static_cast<int32_t>(t) * 4);
  std::vector<std::thread> pool;
  std::atomic<int32_t> next{0};
  auto worker = [&] {
    for (int32_t b = next++; b < bands; b = next++) {
      const int32_t r0 = static_cast<int32_t>(static_cast<int64_t>(L.rows) * b / bands);
      const int32_t r1 = static_cast<int32_t>(static_cast<int64_t>(L.rows) * (b + 1) / bands);
      run(r.kernel, L, x, y, w, r.radius_m, reach, r0, r1, out.data());
    }
  };
  for (unsigned k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  const double scale = kernel_constant(r.kernel) / (r.radius_m * r.radius_m) * unit_factor(r.unit);
  for (double& v : out) v *= scale;
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
  fill(r, L, x, y, w, o.threads, r.values);
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
  fill(r, L, ax, ay, aw, o.threads, r.values);
  fill(r, L, bx, by, bw, o.threads, den);
  for (std::size_t k = 0; k < r.values.size(); ++k) {
    if (mode == DualMode::difference) r.values[k] -= den[k];
    else r.values[k] = den[k] >= min_denominator && den[k] > 0 ? r.values[k] / den[k]
                                                              : std::numeric_limits<double>::quiet_NaN();
  }
  return r;
}

}  // namespace hotspot::core
