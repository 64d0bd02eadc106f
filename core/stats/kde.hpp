#pragma once
// Kernel density estimation of incident points on a raster: the exact kernel sum
// at every true pixel centre, normalised as ArcGIS Kernel Density does, in
// incidents per km^2 by default.
//
//   KdeOptions o;  o.radius_m = 500;  o.cell_m = 50;          // quartic by default
//   KdeRaster r = kde(table.x_m(), table.y_m(), {}, o).value();
//   double d = r.at(col, row);                                 // per km^2; row 0 is the north row
//   double h = arcgis_default_radius(x, y, {});                // ArcGIS's rule when no radius
//
// Kernels, u = d / h for a point at distance d and radius (bandwidth) h, each
// integrating to 1 over the plane (so the raster's integral is the total weight):
//   quartic (biweight, default)  3 / (pi h^2) (1 - u^2)^2     u < 1  (Silverman 1986 eq 4.5; ArcGIS)
//   triangular (cone)            3 / (pi h^2) (1 - u)
//   uniform (flat disc)          1 / (pi h^2)                 u <= 1
//   epanechnikov                 2 / (pi h^2) (1 - u^2)
//   triweight                    4 / (pi h^2) (1 - u^2)^3
//   gaussian                     1 / (2 pi h^2) exp(-u^2 / 2) h = standard deviation,
//                                truncated at 5 h (the mass beyond is 3.7e-6 of each point)
// density(c) = sum_p w_p K(|c - p|) per m^2, times 1e6 for per km^2 (1e4 per hectare).
//
// Radius: KdeOptions::radius_m, or 0 for ArcGIS's default rule (10.2.1 and later):
// h = 0.9 min(SD, sqrt(1 / ln 2) D_m) n^-0.2, SD the (weighted) standard distance
// from the (weighted) mean centre, D_m the (weighted) median distance to it, n
// the number of points (the sum of weights when weighted).
// Raster: cells of cell_m (0: the shorter side of the points' extent / 250, as
// ArcGIS), over KdeOptions::extent or, by default, the points' extent grown by the
// kernel's reach and snapped outward to multiples of cell_m from the National Grid
// origin (so rasters of one cell size line up). Pixel (c, r) has its centre at
// (x0 + (c + 0.5) cell, y1 - (r + 0.5) cell): values are exact there, with no
// pixel shift and in double precision.
//
// How it differs from QGIS 3.22's Heatmap (tests/fixtures/stats/README.md has the
// measured comparison): QGIS "Raw" is sum (1 - u^2)^2 without the 3/(pi h^2) and
// summed in float32; "Scaled" multiplies by 116/(5 pi h^2), 7.25x the correct
// 16/(5 pi h^2) of its own formula (qgis/QGIS#60616, fixed in 3.42); and it places
// each kernel up to a pixel off vertically. We do none of those.
//
// Cost: points are first binned by raster row with coincident points merged (their
// weights summed: police.uk's snapped locations make duplicates the rule), then
// each distinct location adds its kernel to the pixels within the reach only
// (per row, the columns inside the circle): O(points + locations x pixels within
// the reach), on all cores. The result is identical for any thread count (each
// pixel sums the locations in a fixed order given by the input alone). No pixel is
// approximated: the kernel is evaluated at every true centre, never from a
// pre-computed stencil of cell-snapped points (that would move each point to its
// cell centre, up to half a cell).

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/geo/geometry.hpp"

namespace hotspot::core {

enum class Kernel : uint8_t { quartic, triangular, uniform, epanechnikov, triweight, gaussian };
const char* kernel_name(Kernel k);
std::optional<Kernel> parse_kernel(std::string_view name);  // also "biweight", "normal"
// The constant c of K = c / h^2 * profile(u) (e.g. 3/pi for quartic).
double kernel_constant(Kernel k);
// profile(u^2): (1 - u^2)^2 for quartic, ...; 0 outside the support.
double kernel_profile(Kernel k, double u2);
// How far the kernel reaches, in radii (1; 5 for gaussian).
double kernel_reach(Kernel k);

enum class DensityUnit : uint8_t { per_km2, per_hectare, per_m2 };
const char* density_unit_name(DensityUnit u);  // "incidents per km2", ...

struct KdeOptions {
  Kernel kernel = Kernel::quartic;
  double radius_m = 0;          // 0 = ArcGIS's default rule
  double cell_m = 0;            // 0 = shorter side of the points' extent / 250
  std::optional<Box> extent;    // default: points' extent + reach, snapped to cell_m
  DensityUnit unit = DensityUnit::per_km2;
  unsigned threads = 0;         // 0 = all cores
};

enum class KdeError : uint8_t { no_points, bad_radius, bad_cell, too_many_cells, bad_weight };
const char* describe(KdeError e);

// A north-up raster: columns x rows, row 0 the northernmost (GeoTIFF order).
struct KdeRaster {
  double x0 = 0, y1 = 0;  // west edge, north edge (metres)
  double cell_m = 0;
  int32_t columns = 0, rows = 0;
  std::vector<double> values;  // row-major, row 0 north
  Kernel kernel = Kernel::quartic;
  double radius_m = 0;
  bool radius_from_rule = false;  // the ArcGIS default rule chose radius_m
  DensityUnit unit = DensityUnit::per_km2;
  double total_weight = 0;        // sum of the point weights used
  std::size_t points = 0;         // points used (non-finite ones skipped)
  // Of those, the points within the kernel's reach of some pixel, and the distinct
  // locations among them (coincident points are merged: police.uk snaps crimes to
  // anonymised map points). For dual_kde: the numerator's.
  std::size_t points_in_reach = 0, locations = 0;

  [[nodiscard]] double at(int32_t c, int32_t r) const {
    return values[static_cast<std::size_t>(r) * static_cast<std::size_t>(columns) + static_cast<std::size_t>(c)];
  }
  [[nodiscard]] double centre_x(int32_t c) const { return x0 + (c + 0.5) * cell_m; }
  [[nodiscard]] double centre_y(int32_t r) const { return y1 - (r + 0.5) * cell_m; }
};

// Requires: weights empty or weights.size() == x.size() == y.size(). Points with a
// non-finite coordinate are skipped (counted out of KdeRaster::points); a negative
// or non-finite weight is KdeError::bad_weight.
Result<KdeRaster, KdeError> kde(std::span<const double> x_m, std::span<const double> y_m,
                                std::span<const double> weights, const KdeOptions& options);

// ArcGIS's default search radius (see above); 0 when it is undefined (one point,
// all points coincident).
double arcgis_default_radius(std::span<const double> x_m, std::span<const double> y_m,
                             std::span<const double> weights);

enum class DualMode : uint8_t { ratio, difference };
// Dual KDE (risk-adjusted surfaces, CrimeStat): both sets on one raster (the union
// of both extents unless options.extent) with one radius (the numerator's default
// rule when 0); ratio = a / b where b >= min_denominator (else NaN, nodata), or
// difference = a - b.
Result<KdeRaster, KdeError> dual_kde(std::span<const double> ax, std::span<const double> ay,
                                     std::span<const double> aw, std::span<const double> bx,
                                     std::span<const double> by, std::span<const double> bw,
                                     const KdeOptions& options, DualMode mode, double min_denominator);

}  // namespace hotspot::core
