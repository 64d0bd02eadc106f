#pragma once
// The OpenGL 3.3 core API for the viewer's own drawing. On Linux, libGL (glvnd)
// exports every core entry point, so no loader is needed; the ImGui OpenGL3 backend
// uses its own (imgui_impl_opengl3_loader.h) in its own translation unit.
// Only viewer/platform includes this header.

#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/glcorearb.h>
