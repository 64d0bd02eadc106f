#include "viewer/app/labels.hpp"

#include <algorithm>
#include <numeric>

namespace hotspot::viewer {

std::vector<bool> place_labels(const std::vector<LabelCandidate>& candidates, double viewport_w,
                               double viewport_h, double gap_px) {
  std::vector<bool> shown(candidates.size(), false);
  std::vector<std::size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return candidates[a].priority > candidates[b].priority; });
  struct Box {
    double x0, y0, x1, y1;
  };
  std::vector<Box> placed;
  for (const std::size_t i : order) {
    const auto& c = candidates[i];
    const Box b{c.x - c.width / 2 - gap_px, c.y - c.height / 2 - gap_px, c.x + c.width / 2 + gap_px,
                c.y + c.height / 2 + gap_px};
    if (b.x0 < 0 || b.y0 < 0 || b.x1 > viewport_w || b.y1 > viewport_h) continue;
    const bool overlaps = std::any_of(placed.begin(), placed.end(), [&](const Box& p) {
      return b.x0 < p.x1 && p.x0 < b.x1 && b.y0 < p.y1 && p.y0 < b.y1;
    });
    if (overlaps) continue;
    placed.push_back(b);
    shown[i] = true;
  }
  return shown;
}

}  // namespace hotspot::viewer
