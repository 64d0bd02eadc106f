#pragma once
// Label placement: which feature labels fit on screen without overlapping.
// Greedy in priority order (larger areas first, as cartographers label them): a
// label is placed when its box, grown by a small gap, overlaps no placed label and
// lies inside the viewport. Pure; the panel measures the text and draws the result.
//
//   std::vector<LabelCandidate> c = ...;          // centre + text size in pixels
//   std::vector<bool> shown = place_labels(c, 900, 950, 4);

#include <vector>

namespace hotspot::viewer {

struct LabelCandidate {
  double x = 0, y = 0;          // centre on screen, pixels
  double width = 0, height = 0; // text size, pixels
  double priority = 0;          // larger first
};

// Requires: nothing. Returns one flag per candidate (in the given order).
std::vector<bool> place_labels(const std::vector<LabelCandidate>& candidates, double viewport_w,
                               double viewport_h, double gap_px);

}  // namespace hotspot::viewer
