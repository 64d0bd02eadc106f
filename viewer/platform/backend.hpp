#pragma once
// Backend: the window, input and frame loop behind a small interface (like Tracy's
// Backend.hpp), so the rest of the viewer does not know about GLFW. The only
// implementation is GLFW + OpenGL 3.3 core + Dear ImGui's GLFW/OpenGL3 backends
// (glfw_backend.cpp); headless runs use it under Xvfb with Mesa's software renderer.
//
//   auto backend = make_glfw_backend({.width = 1600, .height = 1000, .title = "Hotspot"});
//   while (!backend->should_close()) {
//     backend->begin_frame();      // events + ImGui::NewFrame()
//     ... ImGui calls, GL drawing into textures ...
//     backend->end_frame();        // ImGui::Render() + present
//   }

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hotspot::viewer {

struct InputFrame;

struct BackendOptions {
  int width = 1600;
  int height = 1000;
  std::string title = "Hotspot";
  bool vsync = true;
  bool ignore_mouse = false;  // headless runs: the pointer (wherever Xvfb put it) hovers nothing
  // On a software renderer whose back buffer keeps its pixels between frames (probed at
  // start-up), redraw only the parts of the window that changed (damage.hpp).
  bool partial_redraw = true;
  // Tests: a captured frame is drawn like any other (in part, or not at all when
  // unchanged) instead of whole, so its pixels show what partial redraw left on screen.
  bool capture_partial = false;
};

// What the last frames cost the rasteriser: how many were redrawn whole, in part, or
// not at all (nothing changed), and how many pixels were redrawn.
struct RedrawStats {
  bool partial_enabled = false;  // the back buffer is preserved and partial redraw is on
  uint64_t full_frames = 0, partial_frames = 0, skipped_frames = 0;
  uint64_t pixels_redrawn = 0;
};

// An RGBA image, rows top to bottom.
struct Pixels {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;
};

class Backend {
 public:
  virtual ~Backend() = default;
  [[nodiscard]] virtual bool should_close() const = 0;
  virtual void request_close() = 0;
  virtual void begin_frame() = 0;
  // Renders ImGui's draw data; if `capture` is set, reads the finished frame back
  // before presenting it.
  virtual void end_frame(Pixels* capture = nullptr) = 0;
  // Files dropped on the window since the last call.
  virtual std::vector<std::string> take_dropped_files() = 0;
  [[nodiscard]] virtual double time_s() const = 0;
  // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
  [[nodiscard]] virtual std::string renderer() const = 0;
  // Mesa llvmpipe/softpipe or another CPU rasteriser.
  [[nodiscard]] virtual bool software_renderer() const = 0;
  virtual void set_title(const std::string& title) = 0;
  // Sleeps until an input event arrives or `timeout_s` passes (an idle window uses no CPU).
  virtual void wait_events(double timeout_s) = 0;
  [[nodiscard]] virtual RedrawStats redraw_stats() const = 0;
  // A rectangle (display pixels, y down) that this frame's drawing covers with opaque
  // paint (the map pane): a partial redraw does not clear it first. Applies to the next
  // end_frame() only.
  virtual void set_opaque_area(float x0, float y0, float x1, float y1) = 0;
  // Synthetic input for the next begin_frame() instead of the real mouse and keyboard
  // (scripts and tests; viewer/app/input.hpp). A dropped file joins the drop queue.
  virtual void set_input(const InputFrame& frame) = 0;
};

// @throws hotspot::Error when no window/OpenGL 3.3 context can be created (no
// display, no GL): the message says which.
std::unique_ptr<Backend> make_glfw_backend(const BackendOptions& options);

}  // namespace hotspot::viewer
