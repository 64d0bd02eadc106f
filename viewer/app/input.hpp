#pragma once
// Synthetic input: what the script commands `mouse`, `click`, `drag`, `wheel`, `key`
// and `drop` feed to the viewer, one frame at a time, through the same path as a
// real mouse and keyboard (the backend writes it into Dear ImGui's input state before
// the frame, and dropped files into its drop queue). Tests use it to drive hover
// tooltips, click and shift-click selection, Ctrl+drag box selection, panning,
// wheel zoom, keys, drag-and-drop and the panels' buttons headless.
//
// Where the pointer goes (AT, in the script):
//   X Y                  window pixels
//   world E N [pane P]   a BNG point in map pane P (default 0), through the camera
//   ui NAME              the centre of a rectangle the UI recorded this frame
//                        (AppState::ui_rects: "play", "export_png", "legend0", ...)
//
//   queue_input(state, {.verb = "click", .args = {"world", "449700", "358700", "shift"}});
//   // -> frames: move, press, release (shift held), consumed one per frame

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotspot::viewer {

struct AppState;
struct ScriptCommand;

enum class InputKey : uint8_t { none, left, right, up, down, escape, enter };

// The input of one frame. The pointer position persists after the queue empties
// (like a real mouse left where it was); buttons, keys and wheel do not.
struct InputFrame {
  double x = 0, y = 0;          // pointer, window pixels
  bool left = false;            // left button held during this frame
  bool ctrl = false, shift = false;
  float wheel = 0;              // wheel steps this frame (+ = away from the user: zoom in)
  InputKey key = InputKey::none;  // pressed this frame (released the next)
  uint32_t character = 0;       // typed this frame ('+', '-', 'f', ...)
  std::string drop;             // a file dropped on the window this frame
};

// How many words an AT takes at args[i] (2, 3, 5 or 2), or nullopt when they are not
// one ("X Y", "world E N [pane P]", "ui NAME").
std::optional<std::size_t> at_length(const std::vector<std::string>& args, std::size_t i);

// Checks an input command's words at parse time: "" or what is wrong.
std::string check_input_command(const ScriptCommand& c);

// Appends the frames of an input command to s.input_queue; "" or an error (an unknown
// ui rectangle, a pane that is not shown).
std::string queue_input(AppState& s, const ScriptCommand& c);

// Is `verb` one of the input commands?
bool is_input_command(const std::string& verb);

}  // namespace hotspot::viewer
