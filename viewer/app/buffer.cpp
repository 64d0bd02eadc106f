#include "viewer/app/buffer.hpp"

#include <geos_c.h>

#include <boost/geometry/algorithms/correct.hpp>
#include <vector>

namespace hotspot::viewer {

namespace {

void quiet(const char*, void*) {}

GEOSGeometry* ring_to_geos(GEOSContextHandle_t h, const core::Ring& ring) {
  std::vector<double> buf;
  buf.reserve(2 * ring.size() + 2);
  for (const auto& p : ring) {
    buf.push_back(p.x());
    buf.push_back(p.y());
  }
  if (ring.size() < 3) return nullptr;
  if (buf[0] != buf[buf.size() - 2] || buf[1] != buf[buf.size() - 1]) {
    buf.push_back(buf[0]);
    buf.push_back(buf[1]);
  }
  GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(h, buf.data(), static_cast<unsigned>(buf.size() / 2), 0, 0);
  return seq ? GEOSGeom_createLinearRing_r(h, seq) : nullptr;
}

core::Ring ring_from_geos(GEOSContextHandle_t h, const GEOSGeometry* ring) {
  core::Ring out;
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n)) return out;
  std::vector<double> buf(2 * static_cast<std::size_t>(n));
  if (n == 0 || !GEOSCoordSeq_copyToBuffer_r(h, seq, buf.data(), 0, 0)) return out;
  for (unsigned i = 0; i < n; ++i) out.emplace_back(buf[2 * i], buf[2 * i + 1]);
  return out;
}

void collect(GEOSContextHandle_t h, const GEOSGeometry* g, core::MultiPolygon& out) {
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    core::Polygon p;
    p.outer() = ring_from_geos(h, GEOSGetExteriorRing_r(h, g));
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i) p.inners().push_back(ring_from_geos(h, GEOSGetInteriorRingN_r(h, g, i)));
    if (!p.outer().empty()) out.push_back(std::move(p));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) collect(h, GEOSGetGeometryN_r(h, g, i), out);
  }
}

}  // namespace

core::MultiPolygon buffer(const core::MultiPolygon& polygon, double distance_m) {
  core::MultiPolygon out;
  GEOSContextHandle_t h = GEOS_init_r();
  GEOSContext_setNoticeMessageHandler_r(h, quiet, nullptr);
  GEOSContext_setErrorMessageHandler_r(h, quiet, nullptr);
  std::vector<GEOSGeometry*> polys;
  for (const auto& p : polygon) {
    GEOSGeometry* shell = ring_to_geos(h, p.outer());
    if (!shell) continue;
    std::vector<GEOSGeometry*> holes;
    for (const auto& r : p.inners())
      if (GEOSGeometry* g = ring_to_geos(h, r)) holes.push_back(g);
    if (GEOSGeometry* g = GEOSGeom_createPolygon_r(h, shell, holes.data(), static_cast<unsigned>(holes.size())))
      polys.push_back(g);
  }
  if (!polys.empty()) {
    GEOSGeometry* multi =
        GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(), static_cast<unsigned>(polys.size()));
    if (multi) {
      if (GEOSGeometry* grown = GEOSBuffer_r(h, multi, distance_m, 8)) {
        collect(h, grown, out);
        GEOSGeom_destroy_r(h, grown);
      }
      GEOSGeom_destroy_r(h, multi);
    }
  }
  GEOS_finish_r(h);
  boost::geometry::correct(out);
  return out;
}

}  // namespace hotspot::viewer
