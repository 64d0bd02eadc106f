#pragma once
// Polygon layers as triangle meshes for the GPU: built once per layer on load and
// uploaded once (the renderer keys the buffers on Layer::geometry_version).
//
// Method: a convex ring without holes (grid cells, most simple shapes) is a
// triangle fan; anything else (concave rings, holes: wards, LSOAs) goes through
// GEOS's constrained Delaunay triangulation (GEOSConstrainedDelaunayTriangulation,
// which keeps the polygon's own vertices and edges). Triangle vertices are mapped
// back to the ring vertices by exact coordinate, so outlines and fills share one
// vertex buffer. A part GEOS cannot triangulate (invalid geometry) falls back to a
// fan and is counted in `fallbacks`.
//
// Coordinates are floats relative to `origin` (the layer's bounding-box centre): a
// float holds a BNG coordinate only to ~3 cm, but an offset within a county to
// well under a millimetre.
//
//   PolygonMesh mesh = triangulate_polygons(*layer.features);
//   upload(mesh.xy, mesh.feature, mesh.triangles, mesh.lines);
//   // total area == sum of triangle areas (tests/viewer/triangulate_test.cpp)

#include <cstdint>
#include <vector>

#include "layers/io/feature_reader.hpp"

namespace hotspot::viewer {

struct PolygonMesh {
  double origin_x_m = 0, origin_y_m = 0;
  std::vector<float> xy;             // vertex v at (xy[2v], xy[2v+1]) + origin
  std::vector<uint32_t> feature;     // vertex v belongs to feature[v]
  std::vector<uint32_t> triangles;   // 3 vertex indices per triangle
  std::vector<uint32_t> lines;       // 2 vertex indices per ring edge (outlines)
  std::size_t fallbacks = 0;         // parts triangulated as a fan after GEOS failed

  [[nodiscard]] std::size_t vertex_count() const { return feature.size(); }
  // Sum of the triangles' areas, m2 (for tests and sanity checks).
  [[nodiscard]] double area_m2() const;
};

// Triangulates every polygon feature of `features` (other features add nothing).
PolygonMesh triangulate_polygons(const layers::FeatureSet& features);

// Line layers: one vertex per line vertex, 2 indices per segment (no triangles).
PolygonMesh line_mesh(const layers::FeatureSet& features);

}  // namespace hotspot::viewer
