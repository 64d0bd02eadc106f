#include "viewer/app/script.hpp"

#include <charconv>
#include <cmath>

#include "core/incidents/time.hpp"
#include "viewer/app/classify.hpp"
#include "viewer/app/color.hpp"
#include "viewer/app/input.hpp"

namespace hotspot::viewer {

namespace {

using Words = std::vector<std::string>;

constexpr std::string_view kVerbs[] = {"open",   "basemap", "show",    "hide",   "style",      "opacity",
                                       "labels", "points",  "categories", "months", "compare", "zoom",
                                       "select", "panel",   "colourblind", "wait", "screenshot", "export",
                                       "mouse",  "click",   "drag",    "wheel",  "key",        "drop",
                                       "swipe"};

std::string known_verbs() {
  std::string s;
  for (auto v : kVerbs) {
    if (!s.empty()) s += ", ";
    s += v;
  }
  return s;
}

bool is_number(const std::string& s) {
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(v);
}

bool is_month(const std::string& s) { return core::parse_month(s).ok(); }

}  // namespace

Result<std::vector<std::string>, ScriptError> split_words(std::string_view line, std::string_view where) {
  Words words;
  std::string cur;
  bool in_word = false, quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        quoted = false;
      } else {
        cur.push_back(c);
      }
      continue;
    }
    // A comment: '#' at the start of a word and followed by a space or the end
    // (so "#12", a feature id, is a word).
    if (c == '#' && !in_word && (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t' || line[i + 1] == '#'))
      break;
    if (c == '"') {
      quoted = true;
      in_word = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
      continue;
    }
    cur.push_back(c);
    in_word = true;
  }
  if (quoted)
    return Result<Words, ScriptError>::failure(ScriptError::syntax,
                                               std::string(where) + "error: unterminated quote");
  if (in_word) words.push_back(std::move(cur));
  return words;
}

std::string option_value(const std::vector<std::string>& args, std::string_view key) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == key) return args[i + 1];
  return {};
}

bool has_flag(const std::vector<std::string>& args, std::string_view flag) {
  for (const auto& a : args)
    if (a == flag) return true;
  return false;
}

Result<std::vector<ScriptCommand>, ScriptError> parse_script(std::string_view text, std::string_view source) {
  using R = Result<std::vector<ScriptCommand>, ScriptError>;
  std::vector<ScriptCommand> out;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    std::string where(source);
    where += ':';
    where += std::to_string(line_no);
    where += ": ";
    auto split = split_words(line, where);
    if (!split) return R::failure(split.error().code, split.error().message);
    Words words = std::move(split).value();
    if (words.empty()) continue;
    ScriptCommand cmd{line_no, words.front(), Words(words.begin() + 1, words.end())};
    const auto& a = cmd.args;
    auto bad = [&](const std::string& why) {
      return R::failure(ScriptError::bad_arguments, where + "error: " + cmd.verb + ": " + why);
    };
    const std::string& v = cmd.verb;
    bool known = false;
    for (auto k : kVerbs) known = known || v == k;
    if (!known)
      return R::failure(ScriptError::unknown_command,
                        where + "error: unknown command '" + v + "' (known: " + known_verbs() + ")");

    if (v == "open" || v == "basemap") {
      if (a.size() != 1 && !(a.size() == 3 && a[1] == "layer")) return bad("expected PATH [layer NAME]");
    } else if (v == "show" || v == "hide") {
      if (a.size() != 1) return bad("expected one layer name");
    } else if (v == "style") {
      if (a.size() < 2) return bad("expected LAYER FIELD [METHOD] [classes N] [ramp NAME] [reverse] [per-km2]");
      for (std::size_t i = 2; i < a.size(); ++i) {
        if (a[i] == "classes" || a[i] == "ramp") {
          if (i + 1 >= a.size()) return bad("'" + a[i] + "' needs a value");
          if (a[i] == "classes") {
            if (!is_number(a[i + 1]) || std::stoi(a[i + 1]) < 1 || std::stoi(a[i + 1]) > kMaxClasses)
              return bad("classes must be 1.." + std::to_string(kMaxClasses) + ", not '" + a[i + 1] + "'");
          } else if (!find_ramp(a[i + 1])) {
            std::string names;
            for (const auto& r : all_ramps()) names += (names.empty() ? "" : ", ") + std::string(r.name);
            return bad("unknown ramp '" + a[i + 1] + "' (known: " + names + ")");
          }
          ++i;
        } else if (a[i] == "reverse" || a[i] == "per-km2") {
        } else if (i == 2 && find_class_method(a[i])) {
        } else {
          return bad("unexpected '" + a[i] +
                     "' (methods: single equal quantile jenks gi ehsa categorical; options: classes N, ramp NAME, reverse, per-km2)");
        }
      }
    } else if (v == "opacity") {
      if (a.size() != 2 || !is_number(a[1]) || std::stod(a[1]) < 0 || std::stod(a[1]) > 1)
        return bad("expected LAYER VALUE with VALUE in 0..1");
    } else if (v == "labels") {
      if (a.size() != 2) return bad("expected LAYER FIELD (or LAYER off)");
    } else if (v == "points") {
      if (a.size() < 2 || (a[1] != "single" && a[1] != "group" && a[1] != "category"))
        return bad("expected LAYER single|group|category [radius PX]");
      const std::string r = option_value(a, "radius");
      if (has_flag(a, "radius") && (!is_number(r) || std::stod(r) <= 0 || std::stod(r) > 20))
        return bad("radius must be a number of pixels in (0, 20]");
    } else if (v == "categories") {
      if (a.empty()) return bad("expected 'all' or one or more crime types");
    } else if (v == "months") {
      if (a.size() != 2 || !is_month(a[0]) || !is_month(a[1])) return bad("expected FROM TO as YYYY-MM YYYY-MM");
      if (*core::parse_month(a[1]) < *core::parse_month(a[0])) return bad("TO is before FROM");
    } else if (v == "compare") {
      if (a.size() == 1 && a[0] == "off") {
      } else {
        if (a.size() < 2) return bad("expected LAYER FEATURE golive YYYY-MM [before N] [after N] [buffer M] [radius M] [mode side|difference], or 'off'");
        if (!is_month(option_value(a, "golive"))) return bad("needs 'golive YYYY-MM'");
        for (const char* key : {"before", "after", "buffer", "radius"})
          if (has_flag(a, key) && (!is_number(option_value(a, key)) || std::stod(option_value(a, key)) < 0))
            return bad(std::string("'") + key + "' needs a non-negative number");
        const std::string mode = option_value(a, "mode");
        if (has_flag(a, "mode") && mode != "side" && mode != "difference" && mode != "swipe")
          return bad("mode is 'side', 'swipe' or 'difference'");
      }
    } else if (v == "zoom") {
      if (a.empty()) return bad("expected layer NAME | feature LAYER VALUE | extent XMIN YMIN XMAX YMAX | centre X Y M_PER_PX");
      if (a[0] == "layer") {
        if (a.size() != 2) return bad("expected 'zoom layer NAME'");
      } else if (a[0] == "feature") {
        if (a.size() != 3) return bad("expected 'zoom feature LAYER VALUE'");
      } else if (a[0] == "extent" || a[0] == "centre") {
        const std::size_t n = a[0] == "extent" ? 5 : 4;
        if (a.size() != n) return bad("expected " + std::to_string(n - 1) + " numbers after '" + a[0] + "'");
        for (std::size_t i = 1; i < n; ++i)
          if (!is_number(a[i])) return bad("'" + a[i] + "' is not a number");
      } else {
        return bad("unknown target '" + a[0] + "' (layer, feature, extent, centre)");
      }
    } else if (v == "select") {
      if (a.empty() || (a.size() == 1 && a[0] != "none")) return bad("expected LAYER VALUE... or 'none'");
    } else if (v == "panel") {
      if (a.size() != 1 || (a[0] != "inspector" && a[0] != "compare" && a[0] != "targets" && a[0] != "log"))
        return bad("expected inspector, compare, targets or log");
    } else if (v == "colourblind") {
      if (a.size() != 1 || (a[0] != "on" && a[0] != "off")) return bad("expected on or off");
    } else if (v == "wait") {
      if (a.size() > 1 || (a.size() == 1 && (!is_number(a[0]) || std::stod(a[0]) < 0 || std::stod(a[0]) > 600)))
        return bad("expected nothing, or SECONDS (0..600) to keep drawing for");
    } else if (v == "screenshot") {
      if (a.size() != 1) return bad("expected one PNG path");
    } else if (v == "swipe") {
      if (a.size() != 1 || !is_number(a[0]) || std::stod(a[0]) < 0 || std::stod(a[0]) > 1)
        return bad("expected the divider's place, 0..1 of the map's width");
    } else if (v == "export") {
      if (a.size() != 2 || (a[0] != "png" && a[0] != "selection")) return bad("expected 'png PATH' or 'selection PATH'");
    } else if (is_input_command(v)) {
      if (std::string why = check_input_command(cmd); !why.empty()) return bad(why);
    }
    out.push_back(std::move(cmd));
  }
  return out;
}

}  // namespace hotspot::viewer
