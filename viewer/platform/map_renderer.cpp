// [SECTION] index
//   shaders        GLSL sources and program setup
//   gpu data       per-layer geometry buffers and per-view colour textures
//   canvases       off-screen targets, job lists, progressive rendering
//   render         choosing, continuing and showing canvases
#include "viewer/platform/map_renderer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>

#include "core/base/error.hpp"
#include "viewer/platform/gl.hpp"

namespace hotspot::viewer {

namespace {

using Clock = std::chrono::steady_clock;

// [SECTION] shaders ---------------------------------------------------------------

constexpr const char* kMeshVs = R"(#version 330 core
layout(location = 0) in vec2 a_pos;
layout(location = 1) in uint a_feature;
uniform vec2 u_offset;
uniform vec2 u_scale;
flat out uint v_feature;
void main() {
  gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0);
  v_feature = a_feature;
}
)";
constexpr const char* kFillFs = R"(#version 330 core
flat in uint v_feature;
uniform sampler2D u_colours;
uniform float u_opacity;
out vec4 o_colour;
void main() {
  vec4 c = texelFetch(u_colours, ivec2(int(v_feature % 2048u), int(v_feature / 2048u)), 0);
  float a = c.a * u_opacity;
  if (a <= 0.0) discard;
  o_colour = vec4(c.rgb, a);
}
)";
constexpr const char* kLineFs = R"(#version 330 core
flat in uint v_feature;
uniform vec4 u_colour;
out vec4 o_colour;
void main() { o_colour = u_colour; }
)";
// Instanced discs: 4 corners per instance (triangle strip); instances filtered by
// month window and a per-category colour table (alpha 0 = hidden).
constexpr const char* kPointVs = R"(#version 330 core
layout(location = 0) in vec2 a_inst_pos;
layout(location = 1) in uint a_inst_code;
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform vec2 u_px;        // NDC units per pixel
uniform float u_radius;   // pixels
uniform int u_month0;
uniform int u_month1;
uniform sampler2D u_categories;
flat out vec4 v_colour;
out vec2 v_local;
const vec2 kCorners[4] = vec2[4](vec2(-1.0, -1.0), vec2(1.0, -1.0), vec2(-1.0, 1.0), vec2(1.0, 1.0));
void main() {
  int month = int(a_inst_code & 0xFFFFu);
  int category = int(a_inst_code >> 16u);
  vec4 c = texelFetch(u_categories, ivec2(category % 256, category / 256), 0);
  if (month < u_month0 || month > u_month1 || c.a == 0.0) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // outside the clip volume: culled
    v_colour = vec4(0.0);
    v_local = vec2(0.0);
    return;
  }
  vec2 corner = kCorners[gl_VertexID] * (u_radius + 1.0);
  v_colour = c;
  v_local = corner;
  gl_Position = vec4((a_inst_pos + u_offset) * u_scale + corner * u_px, 0.0, 1.0);
}
)";
constexpr const char* kPointFs = R"(#version 330 core
flat in vec4 v_colour;
in vec2 v_local;
uniform float u_radius;
uniform float u_opacity;
out vec4 o_colour;
void main() {
  float coverage = clamp(u_radius + 0.5 - length(v_local), 0.0, 1.0);
  float a = v_colour.a * u_opacity * coverage;
  if (a <= 0.0) discard;
  o_colour = vec4(v_colour.rgb, a);
}
)";
// A textured rectangle in NDC (rasters, CPU point images), from gl_VertexID.
constexpr const char* kQuadVs = R"(#version 330 core
uniform vec4 u_rect;  // x0, y0, x1, y1 in NDC
out vec2 v_uv;
void main() {
  vec2 t = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  v_uv = vec2(t.x, t.y);
  gl_Position = vec4(mix(u_rect.xy, u_rect.zw, t), 0.0, 1.0);
}
)";
constexpr const char* kQuadFs = R"(#version 330 core
in vec2 v_uv;
uniform sampler2D u_image;
uniform float u_opacity;
uniform int u_flip;       // 1: image rows are top-down
uniform int u_premultiplied;
out vec4 o_colour;
void main() {
  vec2 uv = u_flip == 1 ? vec2(v_uv.x, 1.0 - v_uv.y) : v_uv;
  vec4 c = texture(u_image, uv);
  if (u_premultiplied == 1) {
    o_colour = c * u_opacity;
  } else {
    o_colour = vec4(c.rgb * c.a * u_opacity, c.a * u_opacity);
  }
  if (o_colour.a <= 0.0) discard;
}
)";

// A regular grid as one texture: a texel per cell, outlines drawn here (1 px) when
// the cells are large enough on screen.
constexpr const char* kGridFs = R"(#version 330 core
in vec2 v_uv;
uniform sampler2D u_cells;   // cols x rows, row 0 at the south; alpha 0 = no cell
uniform vec2 u_size;         // cols, rows
uniform float u_opacity;
uniform vec4 u_outline;      // alpha 0: no outlines
out vec4 o_colour;
void main() {
  vec2 g = v_uv * u_size;
  vec4 c = texelFetch(u_cells, ivec2(min(floor(g), u_size - 1.0)), 0);
  if (c.a <= 0.0) discard;
  vec2 f = fract(g);
  vec2 w = fwidth(g);
  if (u_outline.a > 0.0 && (f.x < w.x || f.y < w.y)) {
    o_colour = u_outline;
    return;
  }
  o_colour = vec4(c.rgb, c.a * u_opacity);
}
)";

GLuint compile(GLenum type, const char* source) {
  const GLuint s = glCreateShader(type);
  glShaderSource(s, 1, &source, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    throw Error(std::string("map renderer: shader does not compile: ") + log);
  }
  return s;
}

GLuint link(const char* vs, const char* fs) {
  const GLuint p = glCreateProgram();
  const GLuint v = compile(GL_VERTEX_SHADER, vs), f = compile(GL_FRAGMENT_SHADER, fs);
  glAttachShader(p, v);
  glAttachShader(p, f);
  glLinkProgram(p);
  glDeleteShader(v);
  glDeleteShader(f);
  GLint ok = 0;
  glGetProgramiv(p, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetProgramInfoLog(p, sizeof log, nullptr, log);
    throw Error(std::string("map renderer: program does not link: ") + log);
  }
  return p;
}

struct Program {
  GLuint id = 0;
  std::map<std::string, GLint> uniforms;
  GLint operator[](const char* name) {
    auto it = uniforms.find(name);
    if (it == uniforms.end()) it = uniforms.emplace(name, glGetUniformLocation(id, name)).first;
    return it->second;
  }
};

void* offset_ptr(std::size_t bytes) { return reinterpret_cast<void*>(bytes); }

float rgba_f(uint8_t v) { return static_cast<float>(v) / 255.0f; }

// [SECTION] gpu data ---------------------------------------------------------------

struct GpuMesh {
  uint64_t version = 0;
  GLuint vao = 0, vbo_xy = 0, vbo_feature = 0, ibo_tri = 0, ibo_line = 0;
  std::size_t triangles = 0, lines = 0;  // index counts
  double origin_x = 0, origin_y = 0;
  void release() {
    glDeleteVertexArrays(1, &vao);
    GLuint b[4] = {vbo_xy, vbo_feature, ibo_tri, ibo_line};
    glDeleteBuffers(4, b);
    *this = {};
  }
};

struct GpuPoints {
  uint64_t version = 0;
  GLuint vao = 0, vbo = 0;
  std::size_t count = 0;
  double origin_x = 0, origin_y = 0;
  core::MonthIndex month_base = 0;
  void release() {
    glDeleteVertexArrays(1, &vao);
    glDeleteBuffers(1, &vbo);
    *this = {};
  }
};

struct GpuTexture {
  uint64_t version = 0;
  GLuint tex = 0;
  int w = 0, h = 0;
  void release() {
    glDeleteTextures(1, &tex);
    *this = {};
  }
};

// [SECTION] canvases ---------------------------------------------------------------

enum class JobKind : uint8_t { clear, fill, lines, grid, points_gpu, points_cpu, points_cpu_draw, raster };

struct Job {
  JobKind kind = JobKind::clear;
  LayerId layer = kNoLayer;
  std::size_t begin = 0, end = 0;  // primitive range (indices / instances / rows), or band begin of end
};

struct Canvas {
  GLuint fbo = 0, tex = 0;
  int w = 0, h = 0;
  Camera cam;               // centre and scale; viewport = canvas size
  uint64_t content = 0;
  bool complete = false;
  bool started = false;
  std::vector<Job> jobs;
  std::size_t next = 0;
  void release() {
    glDeleteFramebuffers(1, &fbo);
    glDeleteTextures(1, &tex);
    *this = {};
  }
};

struct Slot {
  Canvas front, back;
  bool has_front = false;
  SplatImage splat;      // CPU point image of the back canvas
  GLuint splat_tex = 0;
  int splat_w = 0, splat_h = 0;
  uint64_t generation = 0;  // MapImage::generation of what the slot shows
  Camera last_cam;          // the previous frame's camera: is the view moving?
};

// Chunk sizes on a software renderer: each takes a few milliseconds of CPU.
constexpr std::size_t kTriChunkSoft = 15000, kLineChunkSoft = 25000, kPointChunkSoft = 3000,
                      kSplatChunk = 60000;
// Full-canvas quads (grid, raster, point image) on a software renderer are drawn in
// horizontal bands, at most kBandPixelsSoft canvas pixels per frame: llvmpipe shades
// them after the frame's flush, outside the CPU time budget, and a 1335x1432 canvas
// quad costs it ~10-20 ms at once.
constexpr std::size_t kBandsSoft = 4;
constexpr double kBandPixelsSoft = 400000;
constexpr std::size_t kCpuPointThreshold = 20000;  // incidents above this: CPU splat on software GL
constexpr float kBackground[3] = {241.0f / 255.0f, 243.0f / 255.0f, 244.0f / 255.0f};

}  // namespace

struct MapRenderer::Impl {
  MapRendererOptions options;
  RenderStats& stats;
  Program mesh_fill, mesh_line, points, quad, grid;
  GLuint empty_vao = 0;
  std::map<LayerId, GpuMesh> meshes;
  std::map<LayerId, GpuPoints> point_sets;
  std::map<std::pair<LayerId, int>, GpuTexture> colours;   // feature colours per view slot
  std::map<std::pair<LayerId, int>, GpuTexture> rasters;   // raster images per view slot
  std::map<std::pair<LayerId, int>, GpuTexture> categories;  // incident category colours per slot
  std::map<std::pair<LayerId, int>, GpuTexture> grids;       // regular-grid cell colours per slot
  std::map<int, Slot> slots;
  Clock::time_point budget_end;
  bool budget_used = false;
  double band_pixels_left = 0;  // this frame's allowance of banded quad pixels
  // The incidents in spatial order for the CPU splatter, built on first use per dataset.
  std::weak_ptr<const IncidentData> sorted_of;
  std::size_t sorted_rows = 0;
  SplatPoints sorted;

  const SplatPoints& sorted_points(const AppState& s) {
    const std::shared_ptr<const IncidentData> now = s.incidents;
    if (sorted_of.lock() != now || sorted_rows != now->table.size()) {
      sorted = SplatPoints::from(now->table);
      sorted_of = now;
      sorted_rows = now->table.size();
    }
    return sorted;
  }

  Impl(const MapRendererOptions& o, RenderStats& st) : options(o), stats(st) {
    mesh_fill.id = link(kMeshVs, kFillFs);
    mesh_line.id = link(kMeshVs, kLineFs);
    points.id = link(kPointVs, kPointFs);
    quad.id = link(kQuadVs, kQuadFs);
    grid.id = link(kQuadVs, kGridFs);
    glGenVertexArrays(1, &empty_vao);
  }

  ~Impl() {
    for (auto& [id, m] : meshes) m.release();
    for (auto& [id, p] : point_sets) p.release();
    for (auto& [k, t] : colours) t.release();
    for (auto& [k, t] : rasters) t.release();
    for (auto& [k, t] : categories) t.release();
    for (auto& [k, t] : grids) t.release();
    for (auto& [k, s] : slots) release_slot(s);
    glDeleteVertexArrays(1, &empty_vao);
    glDeleteProgram(mesh_fill.id);
    glDeleteProgram(mesh_line.id);
    glDeleteProgram(points.id);
    glDeleteProgram(quad.id);
    glDeleteProgram(grid.id);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  static void release_slot(Slot& s) {
    s.front.release();
    s.back.release();
    glDeleteTextures(1, &s.splat_tex);
    s = {};
  }

  // Drops GPU data of layers that no longer exist.
  void collect_garbage(const AppState& s) {
    auto gone = [&](LayerId id) { return find_layer(s, id) == nullptr; };
    for (auto it = meshes.begin(); it != meshes.end();)
      if (gone(it->first)) { it->second.release(); it = meshes.erase(it); } else ++it;
    for (auto it = point_sets.begin(); it != point_sets.end();)
      if (gone(it->first)) { it->second.release(); it = point_sets.erase(it); } else ++it;
    for (auto* m : {&colours, &rasters, &categories, &grids})
      for (auto it = m->begin(); it != m->end();)
        if (gone(it->first.first)) { it->second.release(); it = m->erase(it); } else ++it;
  }

  GpuMesh& mesh_for(const Layer& l) {
    GpuMesh& g = meshes[l.id];
    const uint64_t version = l.geometry_version + 1;
    if (g.version == version) return g;
    g.release();
    const PolygonMesh& m = *l.mesh;
    g.version = version;
    g.origin_x = m.origin_x_m;
    g.origin_y = m.origin_y_m;
    glGenVertexArrays(1, &g.vao);
    glBindVertexArray(g.vao);
    GLuint b[4];
    glGenBuffers(4, b);
    g.vbo_xy = b[0];
    g.vbo_feature = b[1];
    g.ibo_tri = b[2];
    g.ibo_line = b[3];
    auto upload = [&](GLenum target, GLuint buf, const void* data, std::size_t bytes) {
      glBindBuffer(target, buf);
      glBufferData(target, static_cast<GLsizeiptr>(bytes), data, GL_STATIC_DRAW);
      stats.geometry_uploads++;
      stats.geometry_bytes += bytes;
    };
    upload(GL_ARRAY_BUFFER, g.vbo_xy, m.xy.data(), m.xy.size() * sizeof(float));
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    upload(GL_ARRAY_BUFFER, g.vbo_feature, m.feature.data(), m.feature.size() * sizeof(uint32_t));
    glEnableVertexAttribArray(1);
    glVertexAttribIPointer(1, 1, GL_UNSIGNED_INT, 0, nullptr);
    upload(GL_ELEMENT_ARRAY_BUFFER, g.ibo_tri, m.triangles.data(), m.triangles.size() * sizeof(uint32_t));
    glBindVertexArray(0);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.ibo_line);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(m.lines.size() * sizeof(uint32_t)), m.lines.data(),
                 GL_STATIC_DRAW);
    stats.geometry_uploads++;
    stats.geometry_bytes += m.lines.size() * sizeof(uint32_t);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, 0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    g.triangles = m.triangles.size();
    g.lines = m.lines.size();
    return g;
  }

  GpuPoints& points_for(const AppState& s, const Layer& l) {
    GpuPoints& g = point_sets[l.id];
    const uint64_t version = l.geometry_version + 1;
    if (g.version == version) return g;
    g.release();
    g.version = version;
    const auto& t = s.incidents->table;
    const core::Box b = l.bounds();
    g.origin_x = std::round((b.min_corner().x() + b.max_corner().x()) * 0.5);
    g.origin_y = std::round((b.min_corner().y() + b.max_corner().y()) * 0.5);
    g.month_base = s.incidents->period.first;
    struct Instance {
      float x, y;
      uint32_t code;
    };
    static_assert(sizeof(Instance) == 12);
    std::vector<Instance> inst(t.size());
    const auto xs = t.x_m(), ys = t.y_m();
    const auto month = t.month();
    const auto cat = t.category();
    for (std::size_t i = 0; i < t.size(); ++i) {
      const auto m = static_cast<uint32_t>(std::clamp(month[i] - g.month_base, 0, 0xFFFF));
      inst[i] = {static_cast<float>(xs[i] - g.origin_x), static_cast<float>(ys[i] - g.origin_y),
                 static_cast<uint32_t>(cat[i]) << 16 | m};
    }
    glGenVertexArrays(1, &g.vao);
    glGenBuffers(1, &g.vbo);
    glBindVertexArray(g.vao);
    glBindBuffer(GL_ARRAY_BUFFER, g.vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(inst.size() * sizeof(Instance)), inst.data(), GL_STATIC_DRAW);
    stats.geometry_uploads++;
    stats.geometry_bytes += inst.size() * sizeof(Instance);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Instance), nullptr);
    glVertexAttribDivisor(0, 1);
    glEnableVertexAttribArray(1);
    glVertexAttribIPointer(1, 1, GL_UNSIGNED_INT, sizeof(Instance), offset_ptr(8));
    glVertexAttribDivisor(1, 1);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    g.count = t.size();
    return g;
  }

  // A texture holding `values` (packed RGBA) `width` per row; updated when version changes.
  GpuTexture& texture_for(std::map<std::pair<LayerId, int>, GpuTexture>& cache, std::pair<LayerId, int> key,
                          uint64_t version, const std::vector<uint32_t>& values, int width, int height, bool nearest) {
    GpuTexture& g = cache[key];
    if (g.version == version && g.tex != 0) return g;
    const bool resize = g.tex == 0 || g.w != width || g.h != height;
    if (g.tex == 0) glGenTextures(1, &g.tex);
    glBindTexture(GL_TEXTURE_2D, g.tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    std::vector<uint32_t> padded;
    const uint32_t* data = values.data();
    const auto cells = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    if (values.size() < cells) {
      padded.assign(cells, 0u);
      std::copy(values.begin(), values.end(), padded.begin());
      data = padded.data();
    }
    if (resize) {
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, data);
      const GLint filter = nearest ? GL_NEAREST : GL_LINEAR;
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    } else {
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, data);
    }
    stats.colour_bytes += cells * 4;
    g.version = version;
    g.w = width;
    g.h = height;
    return g;
  }

  GpuTexture& feature_colours(const Layer& l, int slot, const LayerPaint& p) {
    const int n = static_cast<int>(std::max<std::size_t>(p.colours.size(), 1));
    const int w = std::min(n, 2048);
    const int h = (n + 2047) / 2048;
    return texture_for(colours, {l.id, slot}, p.version, p.colours, w, h, true);
  }

  // [SECTION] canvas jobs ----------------------------------------------------------

  bool cpu_points(const AppState& s, const Layer& l) const {
    return options.software && !options.gpu_only && l.id == s.incidents_layer && s.incidents && s.incidents->table.size() > kCpuPointThreshold;
  }

  bool outlines_visible(const Layer& l, double m_per_px) const {
    if (!l.style.outline_on) return false;
    if (l.features && l.features->size() <= 1) return true;
    return l.typical_size_m / m_per_px > 6.0;
  }

  std::vector<Job> build_jobs(AppState& s, double m_per_px) const {
    std::vector<Job> jobs{{JobKind::clear, kNoLayer, 0, 0}};
    auto chunked = [&](JobKind kind, LayerId id, std::size_t total, std::size_t chunk) {
      if (!options.software) chunk = total;
      for (std::size_t b = 0; b < total; b += std::max<std::size_t>(chunk, 1))
        jobs.push_back({kind, id, b, std::min(total, b + chunk)});
    };
    auto banded = [&](JobKind kind, LayerId id) {
      const std::size_t bands = options.software ? kBandsSoft : 1;
      for (std::size_t b = 0; b < bands; ++b) jobs.push_back({kind, id, b, bands});
    };
    for (const Layer& l : s.layers) {
      if (!l.visible || l.style.opacity <= 0) continue;
      if (l.kind == LayerKind::raster) {
        banded(JobKind::raster, l.id);
        continue;
      }
      if (!l.features) continue;
      if (l.id == s.incidents_layer && s.incidents) {
        const std::size_t n = s.incidents->table.size();
        if (cpu_points(s, l)) {
          chunked(JobKind::points_cpu, l.id, n, kSplatChunk);
          banded(JobKind::points_cpu_draw, l.id);
        } else {
          chunked(JobKind::points_gpu, l.id, n, kPointChunkSoft);
        }
        continue;
      }
      if (l.grid && l.style.fill_on && !options.gpu_only) {
        banded(JobKind::grid, l.id);
        continue;
      }
      if (!l.mesh) continue;  // small point layers are drawn as overlays by the map panel
      const std::size_t tris = l.mesh->triangles.size() / 3, segs = l.mesh->lines.size() / 2;
      if (l.is_polygon() && l.style.fill_on) chunked(JobKind::fill, l.id, tris, kTriChunkSoft);
      if ((l.is_polygon() && outlines_visible(l, m_per_px)) || l.is_line()) chunked(JobKind::lines, l.id, segs, kLineChunkSoft);
    }
    return jobs;
  }

  static uint64_t mix(uint64_t h, uint64_t v) { return h ^ (v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2)); }

  uint64_t content_key(AppState& s, const MapView& view, int slot, double m_per_px) {
    uint64_t h = 0xC0FFEE;
    for (const Layer& l : s.layers) {
      if (!l.visible) continue;
      h = mix(h, l.id);
      h = mix(h, l.style_version);
      h = mix(h, l.geometry_version);
      h = mix(h, paint(s, l, view, slot).version);
      h = mix(h, outlines_visible(l, m_per_px) ? 1 : 0);
    }
    return h;
  }

  void set_transform(Program& p, const Canvas& c, double origin_x, double origin_y) {
    const double ww = c.w * c.cam.m_per_px, wh = c.h * c.cam.m_per_px;
    glUniform2f(p["u_offset"], static_cast<float>(origin_x - c.cam.centre_x_m),
                static_cast<float>(origin_y - c.cam.centre_y_m));
    glUniform2f(p["u_scale"], static_cast<float>(2.0 / ww), static_cast<float>(2.0 / wh));
  }

  void ensure_canvas(Canvas& c, int w, int h) {
    if (c.tex != 0 && c.w == w && c.h == h) return;
    c.release();
    glGenTextures(1, &c.tex);
    glBindTexture(GL_TEXTURE_2D, c.tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_BORDER);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_BORDER);
    const float border[4] = {kBackground[0], kBackground[1], kBackground[2], 1.0f};
    glTexParameterfv(GL_TEXTURE_2D, GL_TEXTURE_BORDER_COLOR, border);
    glGenFramebuffers(1, &c.fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, c.fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, c.tex, 0);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
      throw Error("map renderer: cannot create a " + std::to_string(w) + "x" + std::to_string(h) + " canvas");
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    c.w = w;
    c.h = h;
  }

  void run_job(AppState& s, const MapView& view, int slot, Slot& sl, Canvas& c, const Job& job) {
    ++stats.chunks;
    glBindFramebuffer(GL_FRAMEBUFFER, c.fbo);
    glViewport(0, 0, c.w, c.h);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    if (job.kind == JobKind::clear) {
      glClearColor(kBackground[0], kBackground[1], kBackground[2], 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      return;
    }
    const Layer* lp = find_layer(s, job.layer);
    if (lp == nullptr) return;
    const Layer& l = *lp;
    const float opacity = static_cast<float>(std::clamp(l.style.opacity, 0.0, 1.0));
    if (banded(job) && job.end > 1) {  // this band of rows only
      const int y0 = static_cast<int>(static_cast<std::size_t>(c.h) * job.begin / job.end);
      const int y1 = static_cast<int>(static_cast<std::size_t>(c.h) * (job.begin + 1) / job.end);
      glEnable(GL_SCISSOR_TEST);
      glScissor(0, y0, c.w, y1 - y0);
    }
    if (banded(job)) band_pixels_left -= static_cast<double>(c.w) * c.h / static_cast<double>(std::max<std::size_t>(job.end, 1));
    switch (job.kind) {
      case JobKind::fill: {
        GpuMesh& g = mesh_for(l);
        const LayerPaint& p = paint(s, l, view, slot);
        GpuTexture& t = feature_colours(l, slot, p);
        glUseProgram(mesh_fill.id);
        set_transform(mesh_fill, c, g.origin_x, g.origin_y);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, t.tex);
        glUniform1i(mesh_fill["u_colours"], 0);
        glUniform1f(mesh_fill["u_opacity"], opacity);
        glBindVertexArray(g.vao);
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.ibo_tri);
        glDrawElements(GL_TRIANGLES, static_cast<GLsizei>((job.end - job.begin) * 3), GL_UNSIGNED_INT,
                       offset_ptr(job.begin * 3 * sizeof(uint32_t)));
        break;
      }
      case JobKind::lines: {
        GpuMesh& g = mesh_for(l);
        glUseProgram(mesh_line.id);
        set_transform(mesh_line, c, g.origin_x, g.origin_y);
        const Rgba o = l.style.outline;
        const float a = rgba_f(o.a) * (l.role == LayerRole::area_counts && l.style.fill_on ? opacity : 1.0f);
        glUniform4f(mesh_line["u_colour"], rgba_f(o.r), rgba_f(o.g), rgba_f(o.b), a);
        glBindVertexArray(g.vao);
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.ibo_line);
        glDrawElements(GL_LINES, static_cast<GLsizei>((job.end - job.begin) * 2), GL_UNSIGNED_INT,
                       offset_ptr(job.begin * 2 * sizeof(uint32_t)));
        break;
      }
      case JobKind::grid: {
        const LayerPaint& p = paint(s, l, view, slot);
        const RegularGrid& rg = *l.grid;
        GpuTexture& g = grids[{l.id, slot}];
        if (g.version != p.version || g.tex == 0) {
          std::vector<uint32_t> cells(rg.feature_of_cell.size(), 0u);
          for (std::size_t k = 0; k < cells.size(); ++k) {
            const int32_t f = rg.feature_of_cell[k];
            if (f >= 0 && static_cast<std::size_t>(f) < p.colours.size()) cells[k] = p.colours[static_cast<std::size_t>(f)];
          }
          texture_for(grids, {l.id, slot}, p.version, cells, rg.cols, rg.rows, true);
        }
        const double ww = c.w * c.cam.m_per_px, wh = c.h * c.cam.m_per_px;
        auto nx = [&](double x) { return static_cast<float>((x - c.cam.centre_x_m) * 2.0 / ww); };
        auto ny = [&](double y) { return static_cast<float>((y - c.cam.centre_y_m) * 2.0 / wh); };
        glUseProgram(grid.id);
        glUniform4f(grid["u_rect"], nx(rg.x0_m), ny(rg.y0_m), nx(rg.x0_m + rg.cols * rg.cell_w_m),
                    ny(rg.y0_m + rg.rows * rg.cell_h_m));
        glUniform2f(grid["u_size"], static_cast<float>(rg.cols), static_cast<float>(rg.rows));
        glUniform1f(grid["u_opacity"], opacity);
        const Rgba o = l.style.outline;
        const bool outline = outlines_visible(l, c.cam.m_per_px);
        glUniform4f(grid["u_outline"], rgba_f(o.r), rgba_f(o.g), rgba_f(o.b), outline ? rgba_f(o.a) : 0.0f);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, grids[{l.id, slot}].tex);
        glUniform1i(grid["u_cells"], 0);
        glBindVertexArray(empty_vao);
        glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
        break;
      }
      case JobKind::points_gpu: {
        GpuPoints& g = points_for(s, l);
        const LayerPaint& p = paint(s, l, view, slot);
        // Category colour table: alpha 0 hides a category (filter).
        std::vector<uint32_t> table(p.colours.size());
        for (std::size_t k = 0; k < table.size(); ++k)
          table[k] = s.categories.allows(static_cast<core::CategoryId>(k)) ? p.colours[k] : 0u;
        const int n = static_cast<int>(std::max<std::size_t>(table.size(), 1));
        GpuTexture& t = texture_for(categories, {l.id, slot}, p.version ^ (s.filter_version << 20), table,
                                    std::min(n, 256), (n + 255) / 256, true);
        glUseProgram(points.id);
        set_transform(points, c, g.origin_x, g.origin_y);
        glUniform2f(points["u_px"], 2.0f / static_cast<float>(c.w), 2.0f / static_cast<float>(c.h));
        glUniform1f(points["u_radius"], static_cast<float>(l.style.point_radius_px));
        glUniform1f(points["u_opacity"], opacity);
        glUniform1i(points["u_month0"], view.window.first - g.month_base);
        glUniform1i(points["u_month1"], view.window.last - g.month_base);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, t.tex);
        glUniform1i(points["u_categories"], 0);
        glBindVertexArray(g.vao);
        // The chunk's instances: point the instance attributes at its first one.
        glBindBuffer(GL_ARRAY_BUFFER, g.vbo);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 12, offset_ptr(job.begin * 12));
        glVertexAttribIPointer(1, 1, GL_UNSIGNED_INT, 12, offset_ptr(job.begin * 12 + 8));
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(job.end - job.begin));
        glBindBuffer(GL_ARRAY_BUFFER, 0);
        break;
      }
      case JobKind::points_cpu: {
        if (job.begin == 0) {
          if (sl.splat.width != c.w || sl.splat.height != c.h) sl.splat = SplatImage(c.w, c.h);
          else sl.splat.clear();
        }
        const LayerPaint& p = paint(s, l, view, slot);
        SplatStyle st;
        st.colour_of_category.resize(p.colours.size());
        for (std::size_t k = 0; k < p.colours.size(); ++k) {
          const uint32_t v = p.colours[k];
          st.colour_of_category[k] = {static_cast<uint8_t>(v & 0xFF), static_cast<uint8_t>((v >> 8) & 0xFF),
                                      static_cast<uint8_t>((v >> 16) & 0xFF), static_cast<uint8_t>(v >> 24)};
        }
        st.filter = s.categories;
        st.window = view.window;
        st.radius_px = l.style.point_radius_px;
        st.opacity = l.style.opacity;
        const SplatView sv{c.cam.centre_x_m - c.w * 0.5 * c.cam.m_per_px, c.cam.centre_y_m + c.h * 0.5 * c.cam.m_per_px,
                           c.cam.m_per_px};
        splat_points(sorted_points(s), job.begin, job.end, st, sv, sl.splat);
        break;
      }
      case JobKind::points_cpu_draw: {
        if (sl.splat_tex == 0) glGenTextures(1, &sl.splat_tex);
        glBindTexture(GL_TEXTURE_2D, sl.splat_tex);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        const int w = sl.splat.width, h = sl.splat.height;
        if (sl.splat_w != w || sl.splat_h != h) {
          glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
          glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
          glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
          sl.splat_w = w;
          sl.splat_h = h;
        }
        // Upload this band's rows only. The quad flips the image, so the band's GL rows
        // [y0, y1) (bottom up, as scissored above) show image rows [h - y1, h - y0).
        const std::size_t bands = std::max<std::size_t>(job.end, 1);
        const int y0 = static_cast<int>(static_cast<std::size_t>(h) * job.begin / bands);
        const int y1 = static_cast<int>(static_cast<std::size_t>(h) * (job.begin + 1) / bands);
        const std::size_t first_row = static_cast<std::size_t>(h - y1);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, h - y1, w, y1 - y0, GL_RGBA, GL_UNSIGNED_BYTE,
                        sl.splat.pixels.data() + first_row * static_cast<std::size_t>(w));
        stats.splat_bytes += static_cast<uint64_t>(y1 - y0) * static_cast<uint64_t>(w) * 4;
        glUseProgram(quad.id);
        glUniform4f(quad["u_rect"], -1.0f, -1.0f, 1.0f, 1.0f);
        glUniform1f(quad["u_opacity"], 1.0f);  // opacity is in the splat already
        glUniform1i(quad["u_flip"], 1);
        glUniform1i(quad["u_premultiplied"], 1);
        glActiveTexture(GL_TEXTURE0);
        glUniform1i(quad["u_image"], 0);
        glBlendFuncSeparate(GL_ONE, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        glBindVertexArray(empty_vao);
        glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
        break;
      }
      case JobKind::raster: {
        const LayerPaint& p = paint(s, l, view, slot);
        const auto& g = *l.raster;
        GpuTexture& t = texture_for(rasters, {l.id, slot}, p.version, p.colours, g.width, g.height, true);
        const core::Box b = g.bounds();
        const double ww = c.w * c.cam.m_per_px, wh = c.h * c.cam.m_per_px;
        auto nx = [&](double x) { return static_cast<float>((x - c.cam.centre_x_m) * 2.0 / ww); };
        auto ny = [&](double y) { return static_cast<float>((y - c.cam.centre_y_m) * 2.0 / wh); };
        glUseProgram(quad.id);
        glUniform4f(quad["u_rect"], nx(b.min_corner().x()), ny(b.min_corner().y()), nx(b.max_corner().x()),
                    ny(b.max_corner().y()));
        glUniform1f(quad["u_opacity"], opacity);
        glUniform1i(quad["u_flip"], 1);
        glUniform1i(quad["u_premultiplied"], 0);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, t.tex);
        glUniform1i(quad["u_image"], 0);
        glBlendFuncSeparate(GL_ONE, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        glBindVertexArray(empty_vao);
        glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
        break;
      }
      case JobKind::clear: break;
    }
    glBindVertexArray(0);
    glUseProgram(0);
    glDisable(GL_SCISSOR_TEST);
  }

  static bool banded(const Job& job) {
    return job.kind == JobKind::grid || job.kind == JobKind::raster || job.kind == JobKind::points_cpu_draw;
  }
  bool over_budget() const { return Clock::now() >= budget_end; }
  // May `job` run in this frame? (The first job of a frame always runs.)
  bool affordable(const Job& job) const { return !over_budget() && (!banded(job) || band_pixels_left > 0); }
};

void opaque_draw_callback(const ImDrawList* /*list*/, const ImDrawCmd* /*cmd*/) { glDisable(GL_BLEND); }

MapRenderer::MapRenderer(const MapRendererOptions& options)
    : m_impl(std::make_unique<Impl>(options, m_stats)), m_options(options) {}

MapRenderer::~MapRenderer() = default;

void MapRenderer::begin_frame() {
  m_impl->budget_end = Clock::now() + std::chrono::microseconds(static_cast<int64_t>(m_options.budget_ms * 1000));
  m_impl->budget_used = false;
  m_impl->band_pixels_left = m_options.software ? kBandPixelsSoft : 1e18;
  m_frame_idle = true;
}

void MapRenderer::retain_slots(int count) {
  for (auto it = m_impl->slots.begin(); it != m_impl->slots.end();) {
    if (it->first >= count) {
      Impl::release_slot(it->second);
      it = m_impl->slots.erase(it);
    } else {
      ++it;
    }
  }
}

namespace {

// Does canvas c cover the view `cam` at a usable scale?
bool usable(const Canvas& c, const Camera& cam, double margin) {
  if (c.tex == 0 || !c.started) return false;
  const double ratio = cam.m_per_px / c.cam.m_per_px;
  if (ratio < 1.0 / 1.25 || ratio > 1.25) return false;
  const core::Box v = cam.visible_box();
  const double hw = c.w * 0.5 * c.cam.m_per_px, hh = c.h * 0.5 * c.cam.m_per_px;
  // Allow the view to leave the canvas by up to half the margin before re-rendering.
  const double slack_x = hw * margin * 0.5, slack_y = hh * margin * 0.5;
  return v.min_corner().x() >= c.cam.centre_x_m - hw - slack_x && v.max_corner().x() <= c.cam.centre_x_m + hw + slack_x &&
         v.min_corner().y() >= c.cam.centre_y_m - hh - slack_y && v.max_corner().y() <= c.cam.centre_y_m + hh + slack_y;
}

bool covers(const Canvas& c, const Camera& cam) {
  if (c.tex == 0) return false;
  const double ratio = cam.m_per_px / c.cam.m_per_px;
  if (ratio < 1.0 / 1.25 || ratio > 1.25) return false;
  const core::Box v = cam.visible_box();
  const double hw = c.w * 0.5 * c.cam.m_per_px, hh = c.h * 0.5 * c.cam.m_per_px;
  return v.min_corner().x() >= c.cam.centre_x_m - hw && v.max_corner().x() <= c.cam.centre_x_m + hw &&
         v.min_corner().y() >= c.cam.centre_y_m - hh && v.max_corner().y() <= c.cam.centre_y_m + hh;
}

bool holds_centre(const Canvas& c, const Camera& cam) {
  if (c.tex == 0) return false;
  const double hw = c.w * 0.5 * c.cam.m_per_px, hh = c.h * 0.5 * c.cam.m_per_px;
  return std::abs(cam.centre_x_m - c.cam.centre_x_m) <= hw && std::abs(cam.centre_y_m - c.cam.centre_y_m) <= hh;
}

MapImage image_of(const Canvas& c, const Camera& cam, bool exact) {
  MapImage img;
  img.texture = c.tex;
  img.valid = c.tex != 0;
  const double ww = c.w * c.cam.m_per_px, wh = c.h * c.cam.m_per_px;
  const double left = c.cam.centre_x_m - ww * 0.5, bottom = c.cam.centre_y_m - wh * 0.5;
  const core::Box v = cam.visible_box();
  double px0 = (v.min_corner().x() - left) / c.cam.m_per_px, py0 = (v.min_corner().y() - bottom) / c.cam.m_per_px;
  double px1 = (v.max_corner().x() - left) / c.cam.m_per_px, py1 = (v.max_corner().y() - bottom) / c.cam.m_per_px;
  if (exact) {  // whole texels: the picture is pixel-identical to the canvas
    px0 = std::round(px0);
    py0 = std::round(py0);
    px1 = px0 + cam.width_px;
    py1 = py0 + cam.height_px;
  }
  img.u0 = static_cast<float>(px0 / c.w);
  img.u1 = static_cast<float>(px1 / c.w);
  img.v0 = static_cast<float>(py1 / c.h);  // top of the view (texture rows go up)
  img.v1 = static_cast<float>(py0 / c.h);
  return img;
}

}  // namespace

MapImage MapRenderer::render(AppState& s, const MapView& view, int slot, const Camera& cam) {
  Impl& im = *m_impl;
  if (slot == 0) im.collect_garbage(s);
  Slot& sl = im.slots[slot];
  const uint64_t content = im.content_key(s, view, slot, cam.m_per_px);

  const bool front_ok = sl.has_front && sl.front.content == content && usable(sl.front, cam, m_options.margin);
  const bool front_exact = front_ok && std::abs(cam.m_per_px / sl.front.cam.m_per_px - 1.0) < 1e-9 &&
                           covers(sl.front, cam);
  // While the view moves and the front canvas still covers it at nearly its scale,
  // showing it shifted/scaled is enough: a canvas for a camera that will have moved on
  // by the time it completes is wasted work (on a software renderer, most of a frame).
  const bool moving = cam.centre_x_m != sl.last_cam.centre_x_m || cam.centre_y_m != sl.last_cam.centre_y_m ||
                      cam.m_per_px != sl.last_cam.m_per_px;
  const double front_ratio = sl.has_front ? cam.m_per_px / sl.front.cam.m_per_px : 0.0;
  const bool comfortable = front_ok && front_ratio > 1 / 1.1 && front_ratio < 1.1 && covers(sl.front, cam);
  // Start (or restart) a background canvas when the front is not exact for this view.
  if (!front_exact && !(moving && comfortable)) {
    // Keep an in-progress canvas while it is worth finishing: when still, if it covers
    // the view within 25% of its scale; while moving, if it holds the view's centre and
    // is nearer the view's scale than the front (a zoom outruns any canvas restarted
    // on every frame, and then none ever completes).
    const double back_ratio = sl.back.started ? cam.m_per_px / sl.back.cam.m_per_px : 1.0;
    const bool back_closer = !front_ok || std::abs(std::log(back_ratio)) < std::abs(std::log(front_ratio));
    const bool back_useful = moving ? back_ratio > 0.5 && back_ratio < 2.0 && back_closer && holds_centre(sl.back, cam)
                                    : covers(sl.back, cam) && std::abs(back_ratio - 1.0) < 0.25;
    const bool back_ok = sl.back.started && !sl.back.complete && sl.back.content == content && back_useful;
    const bool back_stale = !sl.back.started || sl.back.complete || !back_ok;
    // While the front is still usable (pan/zoom within tolerance), only restart the
    // back canvas when the camera has settled at a new scale or content changed:
    // the in-progress back canvas is kept if it still covers the view.
    if (back_stale) {
      const int w = std::max(1, static_cast<int>(std::lround(cam.width_px * (1 + 2 * m_options.margin))));
      const int h = std::max(1, static_cast<int>(std::lround(cam.height_px * (1 + 2 * m_options.margin))));
      im.ensure_canvas(sl.back, w, h);
      sl.back.cam = cam;
      sl.back.cam.set_viewport(w, h);
      sl.back.content = content;
      sl.back.complete = false;
      sl.back.started = true;
      sl.back.jobs = im.build_jobs(s, cam.m_per_px);
      sl.back.next = 0;
      ++m_stats.canvases_started;
    }
    // Progress within the frame's budget (at least one job per frame per view).
    bool first = true;
    if (!sl.has_front) ++sl.generation;  // the partial back canvas is on show and changes
    while (sl.back.next < sl.back.jobs.size() && (first || im.affordable(sl.back.jobs[sl.back.next]))) {
      im.run_job(s, view, slot, sl, sl.back, sl.back.jobs[sl.back.next]);
      ++sl.back.next;
      first = false;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (sl.back.next >= sl.back.jobs.size()) {
      sl.back.complete = true;
      std::swap(sl.front, sl.back);
      sl.has_front = true;
      ++sl.generation;
      sl.back.complete = false;
      sl.back.started = false;
      ++m_stats.canvases_completed;
    }
  }
  const bool exact = sl.has_front && sl.front.content == content &&
                     std::abs(cam.m_per_px / sl.front.cam.m_per_px - 1.0) < 1e-9 && covers(sl.front, cam);
  MapImage img;
  bool linear = true;
  if (sl.has_front) {
    img = image_of(sl.front, cam, exact);
    // Texel-aligned: nearest sampling (exact and cheapest); scaled: bilinear, except
    // on a software renderer while the view moves (bilinear costs it ~4 ms a frame on
    // a 1000x1000 pane; the moving picture is replaced by an exact one when it stops).
    linear = !exact && !(m_options.software && moving);
    glBindTexture(GL_TEXTURE_2D, sl.front.tex);
    const GLint filter = linear ? GL_LINEAR : GL_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  } else if (sl.back.started) {
    img = image_of(sl.back, cam, false);
  }
  img.exact = exact;
  img.complete = !sl.back.started || sl.back.complete;
  img.generation = sl.generation * 4 + (exact ? 1 : 0) + (linear ? 2 : 0);
  sl.last_cam = cam;
  m_frame_idle = m_frame_idle && img.exact && img.complete;
  return img;
}

}  // namespace hotspot::viewer
