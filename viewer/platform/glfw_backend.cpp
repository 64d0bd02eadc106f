// GLFW + OpenGL 3.3 core + Dear ImGui backends.
#include "viewer/platform/gl.hpp"  // before GLFW: the core profile API, not GL/gl.h
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <filesystem>
#include <optional>

#include "core/base/error.hpp"
#include "viewer/platform/backend.hpp"
#include "viewer/app/input.hpp"
#include "viewer/platform/damage.hpp"
#include "viewer/platform/gl.hpp"

namespace hotspot::viewer {

namespace {

// The last GLFW error as text (glfwGetError: no global callback state needed).
std::string last_glfw_error() {
  const char* description = nullptr;
  const int code = glfwGetError(&description);
  if (code == GLFW_NO_ERROR) return "no details from GLFW";
  std::string out = "GLFW error ";
  out += std::to_string(code);
  out += ": ";
  out += description ? description : "";
  return out;
}

// Does the back buffer keep its pixels across a swap? True for Mesa's software
// rasteriser under X (one back buffer, copied to the window), false for swap chains
// that alternate buffers. Two swaps, each painting one pixel: both must survive.
bool back_buffer_preserved(GLFWwindow* window) {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window, &w, &h);
  if (w < 2 || h < 1) return false;
  glDisable(GL_SCISSOR_TEST);
  for (int i = 0; i < 3; ++i) {  // a swap chain of up to three buffers, all grey
    glClearColor(0.25f, 0.25f, 0.25f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glfwSwapBuffers(window);
  }
  glEnable(GL_SCISSOR_TEST);
  glScissor(0, 0, 1, 1);
  glClearColor(1.0f, 0.0f, 0.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glfwSwapBuffers(window);
  glScissor(1, 0, 1, 1);
  glClearColor(0.0f, 0.0f, 1.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glfwSwapBuffers(window);
  glDisable(GL_SCISSOR_TEST);
  uint8_t px[8] = {};
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, 2, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
  return px[0] == 255 && px[1] == 0 && px[2] == 0 && px[4] == 0 && px[5] == 0 && px[6] == 255;
}

// Draws `draw_data` clipped to `r`: every command's clip rectangle is narrowed to it
// for the call and restored after (the OpenGL3 backend skips empty ones).
void render_clipped(ImDrawData* draw_data, const DamageRect& r) {
  std::vector<ImVec4> saved;
  for (int n = 0; n < draw_data->CmdListsCount; ++n)
    for (ImDrawCmd& c : draw_data->CmdLists[n]->CmdBuffer) {
      saved.push_back(c.ClipRect);
      c.ClipRect = ImVec4(std::max(c.ClipRect.x, r.x0), std::max(c.ClipRect.y, r.y0), std::min(c.ClipRect.z, r.x1),
                          std::min(c.ClipRect.w, r.y1));
    }
  ImGui_ImplOpenGL3_RenderDrawData(draw_data);
  std::size_t i = 0;
  for (int n = 0; n < draw_data->CmdListsCount; ++n)
    for (ImDrawCmd& c : draw_data->CmdLists[n]->CmdBuffer) c.ClipRect = saved[i++];
}

class GlfwBackend final : public Backend {
 public:
  explicit GlfwBackend(const BackendOptions& o) : m_ignore_mouse(o.ignore_mouse), m_capture_partial(o.capture_partial) {
    if (!glfwInit())
      throw Error("cannot start GLFW (is there a display? set DISPLAY, or run under xvfb-run): " + last_glfw_error());
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_FALSE);
    m_window = glfwCreateWindow(o.width, o.height, o.title.c_str(), nullptr, nullptr);
    if (m_window == nullptr) {
      const std::string why = last_glfw_error();
      glfwTerminate();
      throw Error("cannot create an OpenGL 3.3 core window: " + why);
    }
    glfwMakeContextCurrent(m_window);
    glfwSwapInterval(o.vsync ? 1 : 0);
    glfwSetWindowUserPointer(m_window, this);
    glfwSetDropCallback(m_window, [](GLFWwindow* w, int count, const char** paths) {
      auto* self = static_cast<GlfwBackend*>(glfwGetWindowUserPointer(w));
      for (int i = 0; i < count; ++i) self->m_dropped.emplace_back(paths[i]);
    });
    glfwSetWindowRefreshCallback(m_window, [](GLFWwindow* w) {
      static_cast<GlfwBackend*>(glfwGetWindowUserPointer(w))->m_damage.invalidate_all();  // exposed: repaint all
    });
    const auto* r = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    m_renderer = r ? r : "unknown";
    m_software = m_renderer.find("llvmpipe") != std::string::npos || m_renderer.find("softpipe") != std::string::npos ||
                 m_renderer.find("SwiftShader") != std::string::npos;
    // Partial redraw only where it pays (a CPU rasteriser) and is safe (pixels kept).
    m_redraw.partial_enabled = o.partial_redraw && m_software && back_buffer_preserved(m_window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is fixed by the viewer; no imgui.ini next to the data
    ImGui_ImplGlfw_InitForOpenGL(m_window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
  }

  ~GlfwBackend() override {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(m_window);
    glfwTerminate();
  }
  GlfwBackend(const GlfwBackend&) = delete;
  GlfwBackend& operator=(const GlfwBackend&) = delete;

  bool should_close() const override { return glfwWindowShouldClose(m_window) != 0; }
  void request_close() override { glfwSetWindowShouldClose(m_window, GLFW_TRUE); }

  void begin_frame() override {
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    if (m_ignore_mouse) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    if (m_input) apply_input(*m_input);
    m_input.reset();
    ImGui::NewFrame();
  }

  void end_frame(Pixels* capture) override {
    ImGui::Render();
    ImDrawData* draw_data = ImGui::GetDrawData();
    int w = 0, h = 0;
    glfwGetFramebufferSize(m_window, &w, &h);
    if (w != m_fb_w || h != m_fb_h) m_damage.invalidate_all();
    m_fb_w = w;
    m_fb_h = h;
    Damage damage;
    damage.full = true;
    if (m_redraw.partial_enabled) damage = m_damage.update(*draw_data);
    if (capture != nullptr && !m_capture_partial) damage.full = true;  // screenshots: the whole frame, freshly drawn
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, w, h);
    glClearColor(0.94f, 0.94f, 0.95f, 1.0f);
    if (damage.none()) {  // nothing changed: the window already shows this frame
      ++m_redraw.skipped_frames;
    } else if (damage.full) {
      glDisable(GL_SCISSOR_TEST);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(draw_data);
      ++m_redraw.full_frames;
      m_redraw.pixels_redrawn += static_cast<uint64_t>(w) * static_cast<uint64_t>(h);
    } else {
      const ImVec2 scale = draw_data->FramebufferScale, origin = draw_data->DisplayPos;
      for (const DamageRect& r : damage.rects) {
        const int x0 = static_cast<int>((r.x0 - origin.x) * scale.x), x1 = static_cast<int>((r.x1 - origin.x) * scale.x);
        const int y0 = static_cast<int>((r.y0 - origin.y) * scale.y), y1 = static_cast<int>((r.y1 - origin.y) * scale.y);
        glEnable(GL_SCISSOR_TEST);
        // Clear what the frame may not paint over: the rectangle less the opaque area.
        for (const DamageRect& c : subtract(r, m_opaque)) {
          const int cx0 = static_cast<int>((c.x0 - origin.x) * scale.x), cx1 = static_cast<int>((c.x1 - origin.x) * scale.x);
          const int cy0 = static_cast<int>((c.y0 - origin.y) * scale.y), cy1 = static_cast<int>((c.y1 - origin.y) * scale.y);
          glScissor(cx0, h - cy1, cx1 - cx0, cy1 - cy0);  // GL rows go up
          glClear(GL_COLOR_BUFFER_BIT);
        }
        render_clipped(draw_data, r);
        m_redraw.pixels_redrawn += static_cast<uint64_t>(x1 - x0) * static_cast<uint64_t>(y1 - y0);
      }
      glDisable(GL_SCISSOR_TEST);
      ++m_redraw.partial_frames;
    }
    m_opaque = {};
    if (capture != nullptr) {
      capture->width = w;
      capture->height = h;
      capture->rgba.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4, 0);
      glReadBuffer(GL_BACK);
      glPixelStorei(GL_PACK_ALIGNMENT, 1);
      glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, capture->rgba.data());
      // GL rows are bottom-up: flip to top-down.
      const std::size_t row = static_cast<std::size_t>(w) * 4;
      std::vector<uint8_t> tmp(row);
      for (int y = 0; y < h / 2; ++y) {
        uint8_t* a = capture->rgba.data() + static_cast<std::size_t>(y) * row;
        uint8_t* b = capture->rgba.data() + static_cast<std::size_t>(h - 1 - y) * row;
        std::memcpy(tmp.data(), a, row);
        std::memcpy(a, b, row);
        std::memcpy(b, tmp.data(), row);
      }
    }
    if (!damage.none()) glfwSwapBuffers(m_window);
  }

  std::vector<std::string> take_dropped_files() override {
    std::vector<std::string> out;
    out.swap(m_dropped);
    return out;
  }
  double time_s() const override { return glfwGetTime(); }
  std::string renderer() const override { return m_renderer; }
  bool software_renderer() const override { return m_software; }
  void set_title(const std::string& title) override {
    if (title == m_title) return;
    m_title = title;
    glfwSetWindowTitle(m_window, title.c_str());
  }
  void wait_events(double timeout_s) override { glfwWaitEventsTimeout(timeout_s); }
  RedrawStats redraw_stats() const override { return m_redraw; }
  void set_opaque_area(float x0, float y0, float x1, float y1) override { m_opaque = {x0, y0, x1, y1}; }
  void set_input(const InputFrame& frame) override { m_input = frame; }

 private:
  GLFWwindow* m_window = nullptr;
  std::vector<std::string> m_dropped;
  std::string m_renderer;
  bool m_software = false;
  bool m_ignore_mouse = false;
  bool m_capture_partial = false;
  std::string m_title;
  DamageTracker m_damage;
  RedrawStats m_redraw;
  DamageRect m_opaque;
  std::optional<InputFrame> m_input;  // synthetic input for the next frame
  int m_synthetic_key = -1;           // a key pressed by the last synthetic frame

  // Writes a synthetic frame into ImGui's input state, over what GLFW reported.
  void apply_input(const InputFrame& f) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(static_cast<float>(f.x), static_cast<float>(f.y));
    for (bool& down : io.MouseDown) down = false;
    io.MouseDown[0] = f.left;
    io.KeyCtrl = f.ctrl;
    io.KeyShift = f.shift;
    io.KeyAlt = false;
    io.KeySuper = false;
    io.MouseWheel += f.wheel;
    if (m_synthetic_key >= 0) io.KeysDown[m_synthetic_key] = false;  // released
    m_synthetic_key = -1;
    int key = -1;
    switch (f.key) {
      case InputKey::left: key = GLFW_KEY_LEFT; break;
      case InputKey::right: key = GLFW_KEY_RIGHT; break;
      case InputKey::up: key = GLFW_KEY_UP; break;
      case InputKey::down: key = GLFW_KEY_DOWN; break;
      case InputKey::escape: key = GLFW_KEY_ESCAPE; break;
      case InputKey::enter: key = GLFW_KEY_ENTER; break;
      case InputKey::none: break;
    }
    if (key >= 0) {
      io.KeysDown[key] = true;
      m_synthetic_key = key;
    }
    if (f.character != 0) io.AddInputCharacter(f.character);
    if (!f.drop.empty()) m_dropped.push_back(f.drop);
  }
  int m_fb_w = 0, m_fb_h = 0;
};

}  // namespace

std::unique_ptr<Backend> make_glfw_backend(const BackendOptions& options) {
  return std::make_unique<GlfwBackend>(options);
}

}  // namespace hotspot::viewer
