#include "viewer/app/labels.hpp"

#include <gtest/gtest.h>

using namespace hotspot::viewer;

TEST(Labels, HigherPriorityWinsAnOverlap) {
  const std::vector<LabelCandidate> c{{100, 100, 80, 14, 1}, {110, 102, 80, 14, 5}, {300, 100, 80, 14, 2}};
  EXPECT_EQ(place_labels(c, 800, 600, 2), (std::vector<bool>{false, true, true}));
}

TEST(Labels, LabelsMustFitInTheViewport) {
  const std::vector<LabelCandidate> c{{10, 100, 80, 14, 1}, {400, 595, 80, 14, 1}, {400, 300, 80, 14, 1}};
  EXPECT_EQ(place_labels(c, 800, 600, 2), (std::vector<bool>{false, false, true}));
}

TEST(Labels, PlacedLabelsNeverOverlap) {
  std::vector<LabelCandidate> c;
  for (int i = 0; i < 200; ++i) c.push_back({static_cast<double>(50 + (i * 37) % 700), static_cast<double>(30 + (i * 53) % 540), 60, 14, static_cast<double>(i % 17)});
  const auto shown = place_labels(c, 800, 600, 3);
  for (std::size_t a = 0; a < c.size(); ++a)
    for (std::size_t b = a + 1; b < c.size(); ++b) {
      if (!shown[a] || !shown[b]) continue;
      const bool overlap = std::abs(c[a].x - c[b].x) < (c[a].width + c[b].width) / 2 + 6 &&
                           std::abs(c[a].y - c[b].y) < (c[a].height + c[b].height) / 2 + 6;
      EXPECT_FALSE(overlap) << a << " and " << b;
    }
}
