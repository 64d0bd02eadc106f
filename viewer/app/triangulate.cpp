#include "viewer/app/triangulate.hpp"

#include <geos_c.h>

#include <bit>
#include <cmath>
#include <cstdarg>
#include <unordered_map>

namespace hotspot::viewer {

double PolygonMesh::area_m2() const {
  double sum = 0;
  for (std::size_t t = 0; t + 2 < triangles.size(); t += 3) {
    const std::size_t a = triangles[t], b = triangles[t + 1], c = triangles[t + 2];
    auto at = [&](std::size_t i) { return static_cast<double>(xy[i]); };
    const double ax = at(2 * a), ay = at(2 * a + 1);
    const double bx = at(2 * b), by = at(2 * b + 1);
    const double cx = at(2 * c), cy = at(2 * c + 1);
    sum += std::abs((bx - ax) * (cy - ay) - (cx - ax) * (by - ay)) * 0.5;
  }
  return sum;
}

namespace {

void geos_message(const char*, void*) {}  // failures are handled by return values

struct GeosContext {
  GEOSContextHandle_t h = GEOS_init_r();
  GeosContext() {
    GEOSContext_setNoticeMessageHandler_r(h, geos_message, nullptr);
    GEOSContext_setErrorMessageHandler_r(h, geos_message, nullptr);
  }
  ~GeosContext() { GEOS_finish_r(h); }
  GeosContext(const GeosContext&) = delete;
  GeosContext& operator=(const GeosContext&) = delete;
};

struct Key {
  uint64_t x, y;
  friend bool operator==(const Key&, const Key&) = default;
};
struct KeyHash {
  std::size_t operator()(const Key& k) const { return std::hash<uint64_t>{}(k.x * 0x9E3779B97F4A7C15ull ^ k.y); }
};

class Builder {
 public:
  Builder(const layers::FeatureSet& fs, PolygonMesh& mesh) : m_fs(fs), m_mesh(mesh) {}

  // Appends ring r's vertices (without the closing duplicate); returns first index and count.
  std::pair<uint32_t, uint32_t> add_ring(uint32_t feature, uint32_t r) {
    uint32_t v0 = m_fs.ring_offsets[r], v1 = m_fs.ring_offsets[r + 1];
    if (v1 - v0 >= 2 && m_fs.x_m[v0] == m_fs.x_m[v1 - 1] && m_fs.y_m[v0] == m_fs.y_m[v1 - 1]) --v1;
    const auto first = static_cast<uint32_t>(m_mesh.feature.size());
    for (uint32_t v = v0; v < v1; ++v) {
      m_mesh.xy.push_back(static_cast<float>(m_fs.x_m[v] - m_mesh.origin_x_m));
      m_mesh.xy.push_back(static_cast<float>(m_fs.y_m[v] - m_mesh.origin_y_m));
      m_mesh.feature.push_back(feature);
    }
    const uint32_t n = v1 - v0;
    for (uint32_t i = 0; i < n && n >= 2; ++i) {
      m_mesh.lines.push_back(first + i);
      m_mesh.lines.push_back(first + (i + 1) % n);
    }
    return {first, n};
  }

  bool convex(uint32_t first, uint32_t n) const {
    int sign = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t a = first + i, b = first + (i + 1) % n, c = first + (i + 2) % n;
      auto at = [&](std::size_t j) { return static_cast<double>(m_mesh.xy[j]); };
      const double cross = (at(2 * b) - at(2 * a)) * (at(2 * c + 1) - at(2 * b + 1)) -
                           (at(2 * b + 1) - at(2 * a + 1)) * (at(2 * c) - at(2 * b));
      if (cross == 0) continue;
      const int s = cross > 0 ? 1 : -1;
      if (sign == 0) sign = s;
      else if (s != sign) return false;
    }
    return true;
  }

  void fan(uint32_t first, uint32_t n) {
    for (uint32_t i = 1; i + 1 < n; ++i) {
      m_mesh.triangles.push_back(first);
      m_mesh.triangles.push_back(first + i);
      m_mesh.triangles.push_back(first + i + 1);
    }
  }

  void part(uint32_t feature, uint32_t p) {
    const uint32_t r0 = m_fs.part_offsets[p], r1 = m_fs.part_offsets[p + 1];
    if (r0 == r1) return;
    if (r1 - r0 == 1) {
      auto [first, n] = add_ring(feature, r0);
      if (n < 3) return;
      if (convex(first, n)) {
        fan(first, n);
        return;
      }
      if (!cdt(feature, r0, r1, first)) {
        fan(first, n);
        ++m_mesh.fallbacks;
      }
      return;
    }
    const auto first = static_cast<uint32_t>(m_mesh.feature.size());
    for (uint32_t r = r0; r < r1; ++r) add_ring(feature, r);
    if (!cdt(feature, r0, r1, first)) {
      auto n = static_cast<uint32_t>(m_fs.ring_offsets[r0 + 1] - m_fs.ring_offsets[r0]);
      if (n > 1) --n;
      fan(first, n);
      ++m_mesh.fallbacks;
    }
  }

  // GEOS constrained Delaunay triangulation of rings [r0, r1); vertices were added from
  // index `first` on.
  bool cdt(uint32_t feature, uint32_t r0, uint32_t r1, uint32_t first) {
    GEOSContextHandle_t h = m_geos.h;
    std::unordered_map<Key, uint32_t, KeyHash> index;
    std::vector<GEOSGeometry*> rings;
    for (uint32_t r = r0; r < r1; ++r) {
      const uint32_t v0 = m_fs.ring_offsets[r], v1 = m_fs.ring_offsets[r + 1];
      if (v1 - v0 < 3) continue;
      std::vector<double> buf;
      buf.reserve(2 * (v1 - v0 + 1));
      for (uint32_t v = v0; v < v1; ++v) {
        buf.push_back(m_fs.x_m[v]);
        buf.push_back(m_fs.y_m[v]);
      }
      if (buf[0] != buf[buf.size() - 2] || buf[1] != buf[buf.size() - 1]) {
        buf.push_back(buf[0]);
        buf.push_back(buf[1]);
      }
      GEOSCoordSequence* seq =
          GEOSCoordSeq_copyFromBuffer_r(h, buf.data(), static_cast<unsigned>(buf.size() / 2), 0, 0);
      GEOSGeometry* ring = seq ? GEOSGeom_createLinearRing_r(h, seq) : nullptr;
      if (!ring) {
        for (auto* g : rings) GEOSGeom_destroy_r(h, g);
        return false;
      }
      rings.push_back(ring);
    }
    if (rings.empty()) return false;
    // Map the ring vertices (in mesh order) by their exact input coordinates.
    uint32_t mesh_v = first;
    for (uint32_t r = r0; r < r1; ++r) {
      uint32_t v0 = m_fs.ring_offsets[r], v1 = m_fs.ring_offsets[r + 1];
      if (v1 - v0 >= 2 && m_fs.x_m[v0] == m_fs.x_m[v1 - 1] && m_fs.y_m[v0] == m_fs.y_m[v1 - 1]) --v1;
      for (uint32_t v = v0; v < v1; ++v, ++mesh_v)
        index.try_emplace(Key{std::bit_cast<uint64_t>(m_fs.x_m[v]), std::bit_cast<uint64_t>(m_fs.y_m[v])}, mesh_v);
    }
    GEOSGeometry* shell = rings.front();
    GEOSGeometry* poly = GEOSGeom_createPolygon_r(h, shell, rings.data() + 1,
                                                   static_cast<unsigned>(rings.size() - 1));
    if (!poly) {
      for (auto* g : rings) GEOSGeom_destroy_r(h, g);
      return false;
    }
    GEOSGeometry* tris = GEOSConstrainedDelaunayTriangulation_r(h, poly);
    GEOSGeom_destroy_r(h, poly);
    if (!tris) return false;
    const int n = GEOSGetNumGeometries_r(h, tris);
    bool ok = n > 0;
    for (int i = 0; i < n && ok; ++i) {
      const GEOSGeometry* tri = GEOSGetGeometryN_r(h, tris, i);
      const GEOSGeometry* ring = GEOSGetExteriorRing_r(h, tri);
      const GEOSCoordSequence* seq = ring ? GEOSGeom_getCoordSeq_r(h, ring) : nullptr;
      double buf[8];
      unsigned size = 0;
      if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &size) || size != 4 ||
          !GEOSCoordSeq_copyToBuffer_r(h, seq, buf, 0, 0)) {
        ok = false;
        break;
      }
      for (int k = 0; k < 3; ++k) {
        const Key key{std::bit_cast<uint64_t>(buf[2 * k]), std::bit_cast<uint64_t>(buf[2 * k + 1])};
        auto it = index.find(key);
        uint32_t vi;
        if (it != index.end()) {
          vi = it->second;
        } else {  // a vertex GEOS added: keep it
          vi = static_cast<uint32_t>(m_mesh.feature.size());
          m_mesh.xy.push_back(static_cast<float>(buf[2 * k] - m_mesh.origin_x_m));
          m_mesh.xy.push_back(static_cast<float>(buf[2 * k + 1] - m_mesh.origin_y_m));
          m_mesh.feature.push_back(feature);
          index.emplace(key, vi);
        }
        m_mesh.triangles.push_back(vi);
      }
    }
    GEOSGeom_destroy_r(h, tris);
    return ok;
  }

 private:
  const layers::FeatureSet& m_fs;
  PolygonMesh& m_mesh;
  GeosContext m_geos;
};

void set_origin(const layers::FeatureSet& features, PolygonMesh& mesh) {
  const core::Box b = features.bounds();
  if (b.min_corner().x() <= b.max_corner().x()) {
    mesh.origin_x_m = std::round((b.min_corner().x() + b.max_corner().x()) * 0.5);
    mesh.origin_y_m = std::round((b.min_corner().y() + b.max_corner().y()) * 0.5);
  }
}

}  // namespace

PolygonMesh triangulate_polygons(const layers::FeatureSet& features) {
  PolygonMesh mesh;
  set_origin(features, mesh);
  mesh.xy.reserve(features.x_m.size() * 2);
  mesh.feature.reserve(features.x_m.size());
  Builder b(features, mesh);
  for (std::size_t f = 0; f < features.size(); ++f) {
    if (features.feature_class[f] != layers::GeometryClass::polygon) continue;
    for (uint32_t p = features.feature_offsets[f]; p < features.feature_offsets[f + 1]; ++p)
      b.part(static_cast<uint32_t>(f), p);
  }
  return mesh;
}

PolygonMesh line_mesh(const layers::FeatureSet& features) {
  PolygonMesh mesh;
  set_origin(features, mesh);
  for (std::size_t f = 0; f < features.size(); ++f) {
    if (features.feature_class[f] != layers::GeometryClass::line &&
        features.feature_class[f] != layers::GeometryClass::polygon)
      continue;
    for (uint32_t p = features.feature_offsets[f]; p < features.feature_offsets[f + 1]; ++p)
      for (uint32_t r = features.part_offsets[p]; r < features.part_offsets[p + 1]; ++r) {
        const uint32_t v0 = features.ring_offsets[r], v1 = features.ring_offsets[r + 1];
        const auto first = static_cast<uint32_t>(mesh.feature.size());
        for (uint32_t v = v0; v < v1; ++v) {
          mesh.xy.push_back(static_cast<float>(features.x_m[v] - mesh.origin_x_m));
          mesh.xy.push_back(static_cast<float>(features.y_m[v] - mesh.origin_y_m));
          mesh.feature.push_back(static_cast<uint32_t>(f));
        }
        for (uint32_t i = 0; i + 1 < v1 - v0; ++i) {
          mesh.lines.push_back(first + i);
          mesh.lines.push_back(first + i + 1);
        }
      }
  }
  return mesh;
}

}  // namespace hotspot::viewer
