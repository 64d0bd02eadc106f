#pragma once
// The viewer's script language: what `hotspot-viewer --script steps.txt` runs before
// a screenshot, and what tests use to drive the viewer headless. One command per
// line; words separated by spaces; "double quotes" for words with spaces; '#'
// followed by a space starts a comment ("#12" is a word: a feature id). Paths are
// relative to the script's folder.
//
//   open out/ashfield/study.gpkg            # every layer of a dataset, or a study.toml
//   open grid.gpkg layer cells              # one layer
//   basemap roads.gpkg                      # drawn underneath, thin and grey
//   show wards_counts  |  hide incidents
//   style wards_counts total quantile classes 5 ramp YlOrRd [reverse] [per-km2]
//   style cells bin gi                      # methods: single equal quantile jenks gi ehsa categorical
//   opacity wards_counts 0.6
//   labels wards_counts name                # or: labels wards_counts off
//   points incidents group radius 2         # colouring: single group category
//   categories Burglary "Vehicle crime"     # crime types shown and counted; or: categories all
//   months 2023-04 2024-03                  # the month window (inclusive)
//   compare wards_counts E05012345 golive 2023-10 before 12 after 12 buffer 250 mode side
//   compare off                             # mode: side (two maps), swipe (one, divided) or difference
//   swipe 0.3                               # swipe mode: the divider at 30% of the map's width
//   zoom layer wards_counts  |  zoom feature wards_counts "Kirkby Cross & Portland"
//   zoom extent 445000 350000 455000 362000  |  zoom centre 450000 356000 5
//   select wards_counts E05012345 E05012346  |  select none
//   panel inspector                         # right-hand tab: inspector compare targets log
//   colourblind on                          # colour-blind-safe ramps everywhere
//   wait [SECONDS]                          # let loading and drawing finish [and keep drawing]
//   screenshot extra.png                    # a screenshot in the middle of a script
//   export png view.png | export selection sel.geojson   # as the Export buttons, to a path
//   mouse world 449700 358700               # input (input.hpp): AT = X Y | world E N [pane P] | ui NAME
//   click world 449700 358700 [shift] [ctrl] [double]  |  click ui play
//   drag world 451000 350200 to world 455500 347000 ctrl   # Ctrl: box select; plain: pan
//   wheel 800 500 2                         # + zooms in around the pointer
//   key +  |  key left                      # keys go to the map while the pointer is over it
//   drop grid.gpkg                          # as a file dropped on the window
//
// parse_script() checks every line (verb, number of words, numbers, months, methods,
// ramps) before anything runs, so a typo fails fast with "steps.txt:3: error: ...".
// Names of layers and features are checked when the command runs (the data is not
// loaded yet at parse time).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace hotspot::viewer {

struct ScriptCommand {
  int line = 0;                    // 1-based line in the script
  std::string verb;                // "open", "show", ...
  std::vector<std::string> args;   // the words after the verb, quotes removed
};

// Error codes; the message reads "steps.txt:3: error: unknown command 'zom' (known: ...)".
enum class ScriptError : uint8_t {
  syntax,           // an unterminated quote
  unknown_command,  // a verb the language does not have
  bad_arguments,    // wrong number of words, not a number, not a month, unknown method/ramp
};

// Splits one line into words (quotes, comments). `where` prefixes error messages.
Result<std::vector<std::string>, ScriptError> split_words(std::string_view line, std::string_view where);

// Parses and checks a whole script. `source` names it in messages.
Result<std::vector<ScriptCommand>, ScriptError> parse_script(std::string_view text, std::string_view source);

// The value after `key` in args ("classes 5" -> "5"), or "" if absent.
std::string option_value(const std::vector<std::string>& args, std::string_view key);
bool has_flag(const std::vector<std::string>& args, std::string_view flag);

}  // namespace hotspot::viewer
