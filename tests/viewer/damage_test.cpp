// DamageTracker: which parts of the window a frame changed, from Dear ImGui's draw
// lists alone (a real ImGui context, no window, no GL).
#include <gtest/gtest.h>
#include <imgui.h>

#include <functional>
#include <string>

#include "viewer/platform/damage.hpp"

using namespace hotspot::viewer;

namespace {

class DamageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // One frame: two fixed windows (left "A" at 0,0 200x300; right "B" at 400,0 300x300)
  // and whatever `extra` adds.
  Damage frame(const std::string& a_text, const std::string& b_text, const std::function<void()>& extra = {}) {
    ImGui::NewFrame();
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(200, 300));
    ImGui::Begin("A", nullptr, flags);
    ImGui::TextUnformatted(a_text.c_str());
    ImGui::End();
    ImGui::SetNextWindowPos(ImVec2(400, 0));
    ImGui::SetNextWindowSize(ImVec2(300, 300));
    ImGui::Begin("B", nullptr, flags);
    ImGui::TextUnformatted(b_text.c_str());
    ImGui::End();
    if (extra) extra();
    ImGui::Render();
    return tracker.update(*ImGui::GetDrawData());
  }

  DamageTracker tracker;
};

bool inside(const DamageRect& inner, const DamageRect& outer) {
  return inner.x0 >= outer.x0 && inner.y0 >= outer.y0 && inner.x1 <= outer.x1 && inner.y1 <= outer.y1;
}

}  // namespace

TEST_F(DamageTest, TheFirstFrameIsFullAndAnIdenticalFrameChangesNothing) {
  EXPECT_TRUE(frame("a", "b").full);
  frame("a", "b");  // ImGui settles window sizes over the first frames
  const Damage d = frame("a", "b");
  EXPECT_TRUE(d.none()) << d.rects.size() << " rects";
}

TEST_F(DamageTest, ChangedTextDamagesOnlyItsWindow) {
  frame("a", "b");
  frame("a", "b");
  const Damage d = frame("a", "b changed");
  ASSERT_FALSE(d.full);
  ASSERT_EQ(d.rects.size(), 1u);
  EXPECT_TRUE(inside(d.rects[0], {397, -3, 703, 303})) << d.rects[0].x0 << "," << d.rects[0].y0 << " " << d.rects[0].x1
                                                          << "," << d.rects[0].y1;
  EXPECT_GT(d.rects[0].x0, 200.0f);  // window A (x < 200) is untouched
}

TEST_F(DamageTest, AWindowThatAppearsAndGoesDamagesItsArea) {
  frame("a", "b");
  frame("a", "b");
  auto popup = [] {
    ImGui::SetNextWindowPos(ImVec2(250, 400));
    ImGui::SetNextWindowSize(ImVec2(100, 50));
    ImGui::Begin("C", nullptr, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
    ImGui::TextUnformatted("c");
    ImGui::End();
  };
  const Damage shown = frame("a", "b", popup);
  ASSERT_FALSE(shown.full);
  ASSERT_FALSE(shown.rects.empty());
  for (const DamageRect& r : shown.rects) EXPECT_TRUE(inside(r, {247, 397, 353, 453}));
  frame("a", "b", popup);
  EXPECT_TRUE(frame("a", "b", popup).none());
  const Damage gone = frame("a", "b");
  ASSERT_EQ(gone.rects.size(), 1u);
  EXPECT_TRUE(inside(gone.rects[0], {247, 397, 353, 453}));
}

TEST_F(DamageTest, ANewDisplaySizeOrAnInvalidationIsFull) {
  frame("a", "b");
  frame("a", "b");
  ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
  EXPECT_TRUE(frame("a", "b").full);
  frame("a", "b");
  tracker.invalidate_all();
  EXPECT_TRUE(frame("a", "b").full);
}

TEST_F(DamageTest, ALargeChangeBecomesAFullRedraw) {
  DamageTracker::Options o;
  o.full_fraction = 0.1f;  // window B alone is 19% of 800x600
  tracker = DamageTracker(o);
  frame("a", "b");
  frame("a", "b");
  EXPECT_TRUE(frame("a", "b changed").full);
}

TEST(DamageRects, OverlapsMergeAndTooManyBecomeFewer) {
  auto merged = merge_rects({{0, 0, 10, 10}, {5, 5, 20, 20}, {100, 100, 110, 110}}, 4);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_FLOAT_EQ(merged[0].x1, 20.0f);
  // Five separate squares along a line, at most two rectangles: neighbours join.
  std::vector<DamageRect> five;
  for (float x = 0; x < 100; x += 20) five.push_back({x, 0, x + 10, 10});
  five.push_back({500, 500, 510, 510});
  merged = merge_rects(five, 2);
  ASSERT_EQ(merged.size(), 2u);
  float area = 0;
  for (const auto& r : merged) area += r.area();
  EXPECT_LE(area, 90.0f * 10 + 100 + 1);  // the line's bounding box plus the far square
  EXPECT_TRUE(merge_rects({{5, 5, 5, 10}}, 4).empty());  // empty rectangles vanish
}

TEST(DamageRects, SubtractingAHoleLeavesTheFrame) {
  const auto pieces = subtract({0, 0, 100, 100}, {20, 30, 60, 70});
  ASSERT_EQ(pieces.size(), 4u);
  float area = 0;
  for (const auto& r : pieces) area += r.area();
  EXPECT_FLOAT_EQ(area, 100 * 100 - 40 * 40);
  EXPECT_TRUE(subtract({0, 0, 10, 10}, {-5, -5, 20, 20}).empty());   // wholly covered
  EXPECT_EQ(subtract({0, 0, 10, 10}, {50, 50, 60, 60}).size(), 1u);  // disjoint
}
