#pragma once
// Colours and colour ramps for thematic maps. Pure: no ImGui, no GL.
//
// Ramps are ColorBrewer (Brewer, Harrower; colorbrewer2.org) and matplotlib's
// perceptually uniform maps (viridis, cividis, inferno), given as evenly spaced
// stops and interpolated in sRGB. `colour_blind_safe` marks the ramps that stay
// distinguishable under the common colour-vision deficiencies (ColorBrewer's
// "colorblind safe" flag; viridis/cividis by design); the UI offers them first.
//
//   Rgba c = ramp_colour(Ramp::yl_or_rd, 0.8);          // t in [0, 1]
//   std::vector<Rgba> five = ramp_classes(Ramp::viridis, 5);
//   Rgba okabe = categorical_colour(2);                   // Okabe-Ito, cycles

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::viewer {

struct Rgba {
  uint8_t r = 0, g = 0, b = 0, a = 255;
  friend bool operator==(const Rgba&, const Rgba&) = default;
  // Packed as ImGui's ImU32 / GL_RGBA8 little-endian bytes: 0xAABBGGRR.
  [[nodiscard]] uint32_t packed() const {
    return static_cast<uint32_t>(r) | static_cast<uint32_t>(g) << 8 |
           static_cast<uint32_t>(b) << 16 | static_cast<uint32_t>(a) << 24;
  }
  [[nodiscard]] Rgba with_alpha(double alpha01) const;
};

// "#d73027" or "d73027" (alpha 255). Requires: 6 hex digits.
Rgba hex(std::string_view rrggbb);
// "#d73027".
std::string to_hex(Rgba c);
// Linear interpolation in sRGB, t in [0, 1].
Rgba mix(Rgba a, Rgba b, double t);
// Relative luminance (WCAG), 0..1: to pick black or white text on a swatch.
double luminance(Rgba c);

enum class Ramp : uint8_t {
  // sequential
  yl_or_rd,
  viridis,
  cividis,
  inferno,
  blues,
  purples,
  greys,
  // diverging (low end first)
  rd_bu,  // blue (low) .. white .. red (high)
  pu_or,  // purple (low) .. white .. orange (high)
  kCount
};
enum class RampKind : uint8_t { sequential, diverging };

struct RampInfo {
  Ramp id;
  std::string_view name;  // "YlOrRd", "Viridis"; stable, used by scripts
  RampKind kind;
  bool colour_blind_safe;
};
const RampInfo& ramp_info(Ramp r);
std::span<const RampInfo> all_ramps();
std::optional<Ramp> find_ramp(std::string_view name);  // case-insensitive

// The ramp at t in [0, 1] (clamped).
Rgba ramp_colour(Ramp r, double t);
// n colours evenly spaced over the ramp, ends included (n == 1: the middle).
// Requires: n >= 1.
std::vector<Rgba> ramp_classes(Ramp r, int n);

// Categorical colours: Okabe & Ito (2008), safe for colour-blind readers; index
// cycles after 8.
Rgba categorical_colour(std::size_t index);
inline constexpr std::size_t kCategoricalColours = 8;

}  // namespace hotspot::viewer
