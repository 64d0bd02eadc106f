#pragma once
// MapImage: board-ready PNG maps of study layers, drawn without a display or GPU
// (the tasking pack's figures; `hotspot run` writes them to DIR/maps/).
//
// A software rasteriser over an RGBA buffer: polygons are filled by scanline with
// the even-odd rule (holes work) and 4x4 supersampled edges, lines are drawn as
// anti-aliased strokes, text is DejaVu Sans through stb_truetype, and the PNG is
// written by stb_image_write, atomically (AtomicOutput). Coordinates are British
// National Grid metres; the map keeps one scale on both axes (no distortion).
//
// Every map has a title, the map frame, a legend (classes or a colour ramp), a
// scale bar with a round length, a north arrow (grid north: BNG is within ~3
// degrees of true north in England and Wales) and an attribution line.
//
//   MapImage map({.title = "Hot spots (Gi*)", .extent = district_bbox});
//   map.polygons(cells, colours);                      // one fill per polygon
//   map.outlines(wards, kOutline, 1.5);  map.labels(names, centres);
//   map.legend("Gi* confidence", {{kHot99, "Hot spot, 99%"}, ...});
//   map.save("out/maps/hotspots.png");                 // @throws IoError
//
// Limits: no label collision avoidance beyond skipping labels that would overlap a
// label already drawn; one font (DejaVu Sans, found in the usual Debian paths or
// HOTSPOT_FONT); text without a font is left out and reported by warnings().
// Cost: ~10 ms per 100k cell polygons at 1600 x 1100 pixels.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/geo/geometry.hpp"

namespace hotspot::layers {

struct Rgba {
  uint8_t r = 0, g = 0, b = 0, a = 255;
  friend bool operator==(const Rgba&, const Rgba&) = default;
};

// Colour-blind-safe ramps and classes.
namespace palette {
// viridis at t in [0, 1] (perceptually uniform, readable in greyscale and by the
// common colour-vision deficiencies).
Rgba viridis(double t);
// Gi* confidence bins -3..3: ColorBrewer RdBu (colour-blind safe diverging), grey 0.
Rgba gi_bin(int bin);
// Esri's emerging hot spot categories (EmergingCategory order, 0 = no pattern).
Rgba emerging(int category);
}  // namespace palette

struct LegendItem {
  Rgba fill;
  std::string label;
};

struct MapOptions {
  std::string title;
  std::string subtitle;     // second line under the title (period, method)
  std::string attribution = "Boundaries: ONS Open Geography (OGL v3). Contains OS data (c) Crown copyright.";
  core::Box extent;         // metres, EPSG:27700; grown to the frame's aspect ratio
  int width_px = 1600, height_px = 1100;
  std::filesystem::path font;  // empty = DejaVu Sans from the system
};

class MapImage {
 public:
  // Requires: extent not empty, sizes in 300..8000.
  explicit MapImage(const MapOptions& options);
  ~MapImage();
  MapImage(const MapImage&) = delete;
  MapImage& operator=(const MapImage&) = delete;

  // A north-up raster (row 0 north): `colour` maps a value to a fill (alpha 0 = none).
  void raster(double x0_m, double y1_m, double cell_m, int32_t columns, int32_t rows, std::span<const double> values,
              const std::function<Rgba(double)>& colour);
  // Filled polygons, one colour each (alpha 0 = not drawn). Requires: sizes equal.
  void polygons(std::span<const core::MultiPolygon> shapes, std::span<const Rgba> fill);
  void polygons(std::span<const core::Polygon> shapes, std::span<const Rgba> fill);
  // Outlines of polygons.
  void outlines(std::span<const core::MultiPolygon> shapes, Rgba colour, double width_px);
  // Text labels centred on points (metres), with a light halo; overlapping labels are skipped.
  void labels(std::span<const std::string> text, std::span<const core::Point> at, double size_px = 15);
  // Numbered circular markers (e.g. ranked targets) at points (metres), drawn in
  // order; a marker that would cover an earlier one is left out.
  void markers(std::span<const core::Point> at, std::span<const std::string> text, Rgba fill, double radius_px = 13);
  // The legend: a titled list of swatches.
  void legend(const std::string& title, std::span<const LegendItem> items);
  // A continuous legend: a ramp from ramp(0) to ramp(1) labelled at both ends.
  void ramp_legend(const std::string& title, const std::function<Rgba(double)>& ramp, const std::string& low,
                   const std::string& high);
  // An extra line of text under the legend (notes such as "n = 12,345 incidents").
  void note(const std::string& text);

  // Draws the frame, title, scale bar, north arrow and attribution, then writes the
  // PNG atomically. @throws IoError.
  void save(const std::filesystem::path& path);

  // The pixels (RGBA, row-major, row 0 at the top) after the last draw; for tests.
  [[nodiscard]] const std::vector<uint8_t>& pixels() const;
  [[nodiscard]] int width() const;
  [[nodiscard]] int height() const;
  // Pixel position of a map coordinate (metres), for tests.
  [[nodiscard]] core::Point to_pixel(double x_m, double y_m) const;
  [[nodiscard]] const std::vector<std::string>& warnings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// A scale bar length: the largest 1/2/5 x 10^k metres not above max_m.
double round_scale_length(double max_m);

}  // namespace hotspot::layers
