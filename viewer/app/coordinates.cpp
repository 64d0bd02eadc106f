#include "viewer/app/coordinates.hpp"

#include <cmath>
#include <cstdio>

#include "core/geo/osgrid.hpp"
#include "viewer/app/classify.hpp"

namespace hotspot::viewer {

CursorText cursor_text(const core::Transformer* bng_to_wgs84, WorldPoint p) {
  CursorText t;
  t.bng = "E " + format_number(p.x_m, true) + " m  N " + format_number(p.y_m, true) + " m";
  if (bng_to_wgs84 != nullptr) {
    const core::Point ll = bng_to_wgs84->transform(p.x_m, p.y_m);
    if (std::isfinite(ll.x()) && std::isfinite(ll.y())) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "%.5f\u00b0 %c  %.5f\u00b0 %c", std::abs(ll.y()), ll.y() >= 0 ? 'N' : 'S',
                    std::abs(ll.x()), ll.x() >= 0 ? 'E' : 'W');
      t.lonlat = buf;
    }
  }
  auto ref = core::format_grid_reference(p.x_m, p.y_m, 10);
  t.grid_ref = ref ? *ref : std::string("off the National Grid");
  return t;
}

}  // namespace hotspot::viewer
