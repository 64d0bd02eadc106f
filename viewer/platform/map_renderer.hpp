#pragma once
// MapRenderer: draws the layers of a map view into a cached canvas texture that the
// map panel shows with ImGui::Image. The design is driven by two requirements:
// a million incident points and 250k grid cells must stay interactive, including on
// Mesa's software renderer (llvmpipe), and unchanged geometry is never re-uploaded.
//
// Geometry (uploaded once per Layer::geometry_version, kept while the layer exists):
//   polygons  one VBO of float vertices relative to the layer origin + a feature
//             index per vertex, an index buffer of triangles and one of outline
//             segments (viewer/app/triangulate.hpp);
//   lines     vertices + segment indices;
//   incidents GPU-instanced discs: one instance VBO {x, y, category<<16 | month}; the
//             month window and crime-type filter are uniforms / a 256-texel colour
//             table, so moving the month slider uploads no geometry at all.
// Colours (re-uploaded when a LayerPaint's version changes; 4 bytes per feature):
//   a feature-colour texture per (layer, view), read by feature index in the shader.
//
// Canvases: each view renders into an off-screen canvas 1 + 2 * margin times the
// viewport (margin 25% per side), at the camera's scale. While the camera pans within
// the margin, or zooms within 25% of the canvas scale, the panel shows the canvas
// shifted/scaled (no re-render). Otherwise (and for a crisp picture once the camera
// stops) a new canvas is rendered in the background, a few draw chunks per frame
// within a CPU time budget, and swapped in when complete: frames stay smooth while
// the picture refines. While the view moves and the front canvas covers it within 10%
// of its scale, no new canvas is started. On a software renderer, large incident
// layers are drawn by a CPU point splatter (viewer/app/point_splat.hpp; ~50x faster
// than llvmpipe per point) into one texture instead of instanced quads, and
// full-canvas quads are drawn in bands of rows, a bounded number of pixels per frame
// (llvmpipe shades them after the frame, outside the CPU budget).
//
// Invalidation keys: content key = hash of every visible layer's id, style version,
// paint version and opacity, plus the incident window and filter; geometry version
// per layer; paint version per (layer, view).
//
//   MapRenderer r({.software = backend.software_renderer()});
//   r.begin_frame();
//   MapImage img = r.render(state, view, slot, camera);   // per view per frame
//   ImGui::GetWindowDrawList()->AddImage(img.texture_id(), p0, p1, img.uv0(), img.uv1());

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "viewer/app/app_state.hpp"
#include "viewer/app/point_splat.hpp"

struct ImDrawList;  // Dear ImGui (imgui.h), for opaque_draw_callback
struct ImDrawCmd;

namespace hotspot::viewer {

struct RenderStats {
  uint64_t geometry_uploads = 0;  // VBO/IBO uploads (layer geometry)
  uint64_t geometry_bytes = 0;
  uint64_t colour_bytes = 0;      // feature-colour and raster textures (style/window changes)
  uint64_t splat_bytes = 0;       // CPU point images (software renderer)
  uint64_t canvases_started = 0;
  uint64_t canvases_completed = 0;
  uint64_t chunks = 0;
};

struct MapImage {
  unsigned texture = 0;
  float u0 = 0, v0 = 0, u1 = 1, v1 = 1;  // texture coordinates of the viewport's top-left / bottom-right
  bool valid = false;     // something to show
  bool exact = false;     // canvas at this exact scale and current content
  bool complete = true;   // no canvas is being rendered for this view
  // Changes whenever the pixels behind texture() change (a canvas swapped in, a
  // partial canvas progressed, the sampling filter switched): the map panel puts it in
  // its draw list so that partial redraw (damage.hpp) sees the change.
  uint64_t generation = 0;
};

// An ImGui draw callback that turns blending off for the commands after it, until
// ImDrawCallback_ResetRenderState: canvases are opaque, and a software renderer
// shades an unblended quad ~40% cheaper.
void opaque_draw_callback(const ImDrawList* list, const ImDrawCmd* cmd);

struct MapRendererOptions {
  bool software = false;       // Mesa llvmpipe & co: CPU splat for big point layers, small chunks
  double budget_ms = 6.0;      // CPU time per frame for background canvas rendering
  double margin = 0.25;        // canvas margin on each side, fraction of the viewport
  bool gpu_only = false;       // benchmarks: no CPU splat and no grid textures (pure VBO/instancing path)
};

class MapRenderer {
 public:
  explicit MapRenderer(const MapRendererOptions& options);
  ~MapRenderer();
  MapRenderer(const MapRenderer&) = delete;
  MapRenderer& operator=(const MapRenderer&) = delete;

  // Starts a frame: resets the time budget.
  void begin_frame();
  // The image for one view (slot 0, 1, ...), rendering or continuing a canvas if needed.
  MapImage render(AppState& s, const MapView& view, int slot, const Camera& cam);
  // Drops the canvases of slots >= count (compare mode turned off).
  void retain_slots(int count);
  // True when every view rendered in the last frame showed an exact, complete canvas.
  [[nodiscard]] bool idle() const { return m_frame_idle; }
  [[nodiscard]] const RenderStats& stats() const { return m_stats; }
  [[nodiscard]] const MapRendererOptions& options() const { return m_options; }

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  MapRendererOptions m_options;
  RenderStats m_stats;
  bool m_frame_idle = true;
};

}  // namespace hotspot::viewer
