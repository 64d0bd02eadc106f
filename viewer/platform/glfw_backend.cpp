// GLFW + OpenGL 3.3 core + Dear ImGui backends.
#include "viewer/platform/gl.hpp"  // before GLFW: the core profile API, not GL/gl.h
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cfloat>
#include <cstring>
#include <filesystem>

#include "core/base/error.hpp"
#include "viewer/platform/backend.hpp"
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

class GlfwBackend final : public Backend {
 public:
  explicit GlfwBackend(const BackendOptions& o) : m_ignore_mouse(o.ignore_mouse) {
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
    const auto* r = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    m_renderer = r ? r : "unknown";
    m_software = m_renderer.find("llvmpipe") != std::string::npos || m_renderer.find("softpipe") != std::string::npos ||
                 m_renderer.find("SwiftShader") != std::string::npos;

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
    ImGui::NewFrame();
  }

  void end_frame(Pixels* capture) override {
    ImGui::Render();
    int w = 0, h = 0;
    glfwGetFramebufferSize(m_window, &w, &h);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, w, h);
    glClearColor(0.94f, 0.94f, 0.95f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
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
    glfwSwapBuffers(m_window);
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

 private:
  GLFWwindow* m_window = nullptr;
  std::vector<std::string> m_dropped;
  std::string m_renderer;
  bool m_software = false;
  bool m_ignore_mouse = false;
  std::string m_title;
};

}  // namespace

std::unique_ptr<Backend> make_glfw_backend(const BackendOptions& options) {
  return std::make_unique<GlfwBackend>(options);
}

}  // namespace hotspot::viewer
