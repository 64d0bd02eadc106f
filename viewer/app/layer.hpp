#pragma once
// The viewer's layer model: what is drawn, in which order, and how it is styled.
// Generic on purpose: any OGR vector layer or GDAL raster is a Layer, whatever its
// fields; roles and default styles are guessed from geometry and field names
// (auto_style.hpp), so layers added by later stages (Gi* grids, KDE rasters,
// emerging hot spots, interventions, ranked targets) appear without viewer changes.
//
// Data is immutable after loading and shared (shared_ptr<const ...>): the loader
// thread builds it, the UI thread only reads it. Mutable state is the style, the
// visibility and the version counters that key every cache (STYLE.md section 6:
// "cache only what is costly, with an explicit invalidation key").

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/spatial/area_set.hpp"
#include "layers/io/feature_reader.hpp"
#include "layers/io/raster_reader.hpp"
#include "viewer/app/camera.hpp"
#include "viewer/app/classify.hpp"
#include "viewer/app/color.hpp"
#include "viewer/app/regular_grid.hpp"
#include "viewer/app/triangulate.hpp"

namespace hotspot::viewer {

using LayerId = uint32_t;
inline constexpr LayerId kNoLayer = 0xFFFFFFFFu;

enum class LayerKind : uint8_t { vector, raster };

// What a layer is for. Decides defaults and which panels use it, never what can be drawn.
enum class LayerRole : uint8_t {
  generic,        // anything else
  incidents,      // points with `month` (YYYY-MM) and `category`: filtered by time and type
  area_counts,    // polygons with incident counts (`total` + category fields): recounted per window
  hotspot_grid,   // polygons with Gi* results (`bin`, `z`, `p`) or EHSA categories
  interventions,  // points/polygons with `type` and `start` (DESIGN.md interventions layout)
  targets,        // features with a `rank` field (ranked target list)
  basemap,        // lines/polygons drawn underneath, thin and grey
  density,        // a raster (KDE)
};
const char* layer_role_name(LayerRole r);

// How incident points are coloured.
enum class PointColouring : uint8_t { single, group, category };

// Per-layer style. Plain value; every change bumps Layer::style_version.
struct LayerStyle {
  // Thematic fill (polygons, rasters, small point layers): `field` empty = single colour.
  std::string field;
  ClassMethod method = ClassMethod::single;
  int classes = 5;
  Ramp ramp = Ramp::yl_or_rd;
  bool reverse = false;
  bool per_km2 = false;           // counts divided by the feature's area (km2)
  bool breaks_over_period = false;  // breaks from the whole study period, not the window
  Rgba fill{49, 130, 189, 255};   // single colour
  bool fill_on = true;
  Rgba outline{60, 60, 60, 255};
  bool outline_on = true;
  double opacity = 0.8;           // 0..1, for the whole layer
  // Points.
  double point_radius_px = 2.5;
  PointColouring colouring = PointColouring::single;
  // Labels (polygon layers): field shown at each feature's label point, "" = none.
  std::string label_field;
  // Rings around point features (interventions): target radius and buffer width, 0 = none.
  double ring_target_m = 0;
  double ring_buffer_m = 0;
};

struct Layer {
  LayerId id = kNoLayer;
  std::string name;    // shown in the layers panel: the layer name, unique within the app
  std::string source;  // file path
  LayerKind kind = LayerKind::vector;
  LayerRole role = LayerRole::generic;
  bool visible = true;
  LayerStyle style;

  std::shared_ptr<const layers::FeatureSet> features;  // kind == vector
  std::shared_ptr<const layers::RasterGrid> raster;    // kind == raster
  // Polygon layers: the features as a core AreaSet (index = feature index), for
  // point-in-polygon selection and for recounting incidents per window.
  std::shared_ptr<const core::AreaSet> areas;
  // Polygon layers: a point inside each feature to hang its label on (NaN if none).
  std::shared_ptr<const std::vector<WorldPoint>> label_points;
  // Polygon and line layers: the triangle/outline mesh the renderer uploads once.
  std::shared_ptr<const PolygonMesh> mesh;
  // Polygon layers that are a regular grid of rectangles: drawn as one texture.
  std::shared_ptr<const RegularGrid> grid;
  // Median feature size in metres (bounding-box diagonal): decides when outlines and
  // labels are drawn.
  double typical_size_m = 0;

  uint64_t geometry_version = 0;  // changes only if the data is replaced
  uint64_t style_version = 0;     // bumped by every style/visibility edit

  [[nodiscard]] bool is_polygon() const {
    return kind == LayerKind::vector && features && features->geometry == layers::GeometryClass::polygon;
  }
  [[nodiscard]] bool is_point() const {
    return kind == LayerKind::vector && features && features->geometry == layers::GeometryClass::point;
  }
  [[nodiscard]] bool is_line() const {
    return kind == LayerKind::vector && features && features->geometry == layers::GeometryClass::line;
  }
  [[nodiscard]] core::Box bounds() const;
  // The value of `field` in feature f as text (for tooltips), "" if none.
  [[nodiscard]] std::string field_text(const std::string& field, std::size_t f) const;
  // A human name for feature f: its `name`, else `code`, else "#fid".
  [[nodiscard]] std::string feature_title(std::size_t f) const;
};

// A representative point inside a polygon (for labels): the centroid of its largest
// part when that lies inside, else the middle of the widest inside span on the
// horizontal line through that centroid. Pure geometry (Boost.Geometry).
WorldPoint label_point(const core::MultiPolygon& polygon);

// Median of the features' bounding-box diagonals (metres); 0 when none.
double typical_feature_size(const layers::FeatureSet& features);

}  // namespace hotspot::viewer
