#include "viewer/app/input.hpp"

#include <charconv>
#include <cmath>

#include "viewer/app/app_state.hpp"
#include "viewer/app/script.hpp"

namespace hotspot::viewer {

namespace {

using Words = std::vector<std::string>;

std::optional<double> number(const std::string& s) {
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<InputKey> key_named(const std::string& k) {
  if (k == "left") return InputKey::left;
  if (k == "right") return InputKey::right;
  if (k == "up") return InputKey::up;
  if (k == "down") return InputKey::down;
  if (k == "escape") return InputKey::escape;
  if (k == "enter") return InputKey::enter;
  return std::nullopt;
}

struct Point {
  double x = 0, y = 0;
};

// Resolves the AT at args[i] against this frame's camera and UI rectangles.
std::string resolve_at(const AppState& s, const Words& a, std::size_t i, Point& out) {
  if (a[i] == "ui") {
    const auto it = s.ui_rects.find(a[i + 1]);
    if (it == s.ui_rects.end()) {
      std::string known;
      for (const auto& [name, rect] : s.ui_rects)
        if (rect[2] > 0 && rect[3] > 0) known += (known.empty() ? "" : ", ") + name;
      return "no UI element '" + a[i + 1] + "' on screen (recorded: " + known + ")";
    }
    out = {it->second[0] + it->second[2] * 0.5, it->second[1] + it->second[3] * 0.5};
    return {};
  }
  if (a[i] == "world") {
    int pane = 0;
    if (i + 4 < a.size() && a[i + 3] == "pane") pane = static_cast<int>(*number(a[i + 4]));
    const auto it = s.ui_rects.find("pane" + std::to_string(pane));
    if (it == s.ui_rects.end()) return "map pane " + std::to_string(pane) + " is not shown";
    const ScreenPoint p = s.camera.to_screen(*number(a[i + 1]), *number(a[i + 2]));
    out = {it->second[0] + p.x, it->second[1] + p.y};
    return {};
  }
  out = {*number(a[i]), *number(a[i + 1])};
  return {};
}

}  // namespace

bool is_input_command(const std::string& verb) {
  return verb == "mouse" || verb == "click" || verb == "drag" || verb == "wheel" || verb == "key" || verb == "drop";
}

std::optional<std::size_t> at_length(const Words& a, std::size_t i) {
  if (i >= a.size()) return std::nullopt;
  if (a[i] == "ui") return i + 1 < a.size() ? std::optional<std::size_t>(2) : std::nullopt;
  if (a[i] == "world") {
    if (i + 2 >= a.size() || !number(a[i + 1]) || !number(a[i + 2])) return std::nullopt;
    if (i + 3 < a.size() && a[i + 3] == "pane") {
      if (i + 4 >= a.size() || !number(a[i + 4]) || *number(a[i + 4]) < 0) return std::nullopt;
      return 5;
    }
    return 3;
  }
  if (i + 1 < a.size() && number(a[i]) && number(a[i + 1])) return 2;
  return std::nullopt;
}

std::string check_input_command(const ScriptCommand& c) {
  const Words& a = c.args;
  const std::string at = "X Y | world E N [pane P] | ui NAME";
  auto modifiers_from = [&](std::size_t i, std::initializer_list<const char*> allowed) -> std::string {
    for (; i < a.size(); ++i) {
      bool ok = false;
      for (const char* m : allowed) ok = ok || a[i] == m;
      if (!ok) {
        std::string list;
        for (const char* m : allowed) list += (list.empty() ? "" : ", ") + std::string(m);
        return "unexpected '" + a[i] + "' (modifiers: " + list + ")";
      }
    }
    return {};
  };
  const std::string& v = c.verb;
  if (v == "mouse") {
    const auto n = at_length(a, 0);
    if (!n || *n != a.size()) return "expected AT: " + at;
  } else if (v == "click") {
    const auto n = at_length(a, 0);
    if (!n) return "expected AT [shift] [ctrl] [double]: AT is " + at;
    return modifiers_from(*n, {"shift", "ctrl", "double"});
  } else if (v == "drag") {
    const auto n = at_length(a, 0);
    if (!n || *n >= a.size() || a[*n] != "to") return "expected AT to AT [ctrl] [shift]: AT is " + at;
    const auto m = at_length(a, *n + 1);
    if (!m) return "expected AT after 'to': " + at;
    return modifiers_from(*n + 1 + *m, {"ctrl", "shift"});
  } else if (v == "wheel") {
    const auto n = at_length(a, 0);
    if (!n || *n + 1 != a.size() || !number(a[*n])) return "expected AT STEPS (+ zooms in): AT is " + at;
  } else if (v == "key") {
    if (a.size() != 1 || (!key_named(a[0]) && a[0].size() != 1))
      return "expected one key: left right up down escape enter, or one character such as + - f";
  } else if (v == "drop") {
    if (a.size() != 1) return "expected one path";
  }
  return {};
}

std::string queue_input(AppState& s, const ScriptCommand& c) {
  const Words& a = c.args;
  auto& q = s.input_queue;
  const std::string& v = c.verb;
  if (v == "key") {
    InputFrame f;
    f.x = s.pointer_x;
    f.y = s.pointer_y;
    if (auto k = key_named(a[0]))
      f.key = *k;
    else
      f.character = static_cast<unsigned char>(a[0][0]);
    q.push_back(f);
    f.key = InputKey::none;
    f.character = 0;
    q.push_back(f);  // released
    return {};
  }
  if (v == "drop") {
    InputFrame f;
    f.x = s.pointer_x;
    f.y = s.pointer_y;
    f.drop = a[0];
    q.push_back(f);
    return {};
  }
  Point p;
  if (auto e = resolve_at(s, a, 0, p); !e.empty()) return e;
  const std::size_t n = *at_length(a, 0);
  InputFrame f;
  f.x = p.x;
  f.y = p.y;
  f.shift = has_flag(a, "shift");
  f.ctrl = has_flag(a, "ctrl");
  // Every pointer command first arrives and rests for two frames, as a hand does:
  // hover state, tooltips and ImGui's hovered window settle before anything is pressed.
  q.push_back(f);
  q.push_back(f);
  if (v == "mouse") {
  } else if (v == "click") {
    const int clicks = has_flag(a, "double") ? 2 : 1;
    for (int i = 0; i < clicks; ++i) {
      f.left = true;
      q.push_back(f);
      f.left = false;
      q.push_back(f);
    }
  } else if (v == "drag") {
    Point to;
    if (auto e = resolve_at(s, a, n + 1, to); !e.empty()) return e;
    f.left = true;
    q.push_back(f);
    constexpr int kSteps = 10;  // past ImGui's drag threshold in the first step
    for (int i = 1; i <= kSteps; ++i) {
      f.x = p.x + (to.x - p.x) * i / kSteps;
      f.y = p.y + (to.y - p.y) * i / kSteps;
      q.push_back(f);
    }
    f.left = false;
    q.push_back(f);
  } else if (v == "wheel") {
    f.wheel = static_cast<float>(*number(a[n]));
    q.push_back(f);
    f.wheel = 0;
    q.push_back(f);
  }
  s.pointer_x = q.back().x;
  s.pointer_y = q.back().y;
  return {};
}

}  // namespace hotspot::viewer
