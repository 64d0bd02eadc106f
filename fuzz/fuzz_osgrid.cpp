// Fuzzes the OS grid-reference parser (core/geo/osgrid). Invariants checked on every
// input: a parsed reference satisfies GridRef's documented invariants, lies on the
// grid, and formatting it back with the same digits parses to the same square.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/geo/extent.hpp"
#include "core/geo/osgrid.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = hotspot::core::parse_grid_reference(text);
  if (!r) {
    if (r.error().message.empty()) std::abort();  // every error says why
    return 0;
  }
  const hotspot::core::GridRef g = *r;
  if (g.digits < 0 || g.digits > 10 || g.digits % 2 != 0) std::abort();
  if (g.precision_m != std::pow(10.0, 5 - g.digits / 2)) std::abort();
  if (!(g.easting_m >= 0 && g.easting_m < 700000 && g.northing_m >= 0 && g.northing_m < 1300000)) std::abort();
  const auto back = hotspot::core::format_grid_reference(g.easting_m, g.northing_m, g.digits, size % 2 == 0);
  if (!back) std::abort();
  const auto again = hotspot::core::parse_grid_reference(*back);
  if (!again || !(*again == g)) std::abort();
  // The centre of the square formats to the same square.
  const auto c = g.centre();
  const auto from_centre = hotspot::core::format_grid_reference(c.x(), c.y(), g.digits, true);
  if (!from_centre) std::abort();
  const auto c2 = hotspot::core::parse_grid_reference(*from_centre);
  if (!c2 || !(*c2 == g)) std::abort();
  return 0;
}
