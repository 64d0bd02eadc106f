// The whole viewer, headless: hotspot-viewer renders real frames under Xvfb with
// Mesa's software renderer (run by with_display.sh), and these tests check the PNG it
// writes and the layout it reports (--state-json). Skipped, with a message, only when
// no display server could be started.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/temp_dir.hpp"
#include "tests/viewer/fixtures.hpp"
#include "viewer/app/color.hpp"
#include "viewer/platform/png.hpp"

using namespace hotspot;
using namespace hotspot::viewer;
namespace fx = hotspot::viewer::test;
namespace fs = std::filesystem;

namespace {

const std::string kExe = HOTSPOT_VIEWER_EXE;
const std::string kStudy = std::string(HOTSPOT_VIEWER_STUDY) + "/out/study.gpkg";
const std::string kFixtures = HOTSPOT_VIEWER_FIXTURES;

struct ViewerRun {
  int exit_code = -1;
  std::string stderr_text;
  Pixels png;
  nlohmann::json state;
};

class Screenshot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("HOTSPOT_NO_DISPLAY") != nullptr)
      GTEST_SKIP() << "no display server could be started (install xvfb and xauth, or set DISPLAY): "
                      "the viewer's screenshot tests need one";
  }

  // Runs the viewer on a script; reads back the PNG and the state JSON when it succeeds.
  ViewerRun run_viewer(const std::string& script, const std::string& extra_args = "") {
    const fs::path script_path = m_dir.path() / "steps.txt";
    std::ofstream(script_path) << script;
    const fs::path png = m_dir.path() / "shot.png", state = m_dir.path() / "state.json", err = m_dir.path() / "stderr.txt";
    const std::string cmd = "'" + kExe + "' --size 1600x1000 --script '" + script_path.string() + "' --screenshot '" +
                            png.string() + "' --state-json '" + state.string() + "' " + extra_args + " 2> '" +
                            err.string() + "'";
    ViewerRun r;
    const int status = std::system(cmd.c_str());
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::stringstream text;
    text << std::ifstream(err).rdbuf();
    r.stderr_text = text.str();
    if (r.exit_code == 0) {
      r.png = read_png(png.string());
      r.state = nlohmann::json::parse(std::ifstream(state));
    }
    return r;
  }

  hotspot::test::TempDir m_dir;
};

Rgba pixel(const Pixels& p, double x, double y) {
  const auto xi = static_cast<std::size_t>(std::lround(x)), yi = static_cast<std::size_t>(std::lround(y));
  const std::size_t i = (yi * static_cast<std::size_t>(p.width) + xi) * 4;
  return {p.rgba[i], p.rgba[i + 1], p.rgba[i + 2], p.rgba[i + 3]};
}

bool near(Rgba a, Rgba b, int tolerance = 3) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}

::testing::AssertionResult colour_is(Rgba got, Rgba want, int tolerance = 3) {
  if (near(got, want, tolerance)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "pixel is " << to_hex(got) << ", expected " << to_hex(want);
}

// Screen position of a world point in pane `pane` (from the state JSON).
std::pair<double, double> on_screen(const nlohmann::json& st, int pane, double x, double y) {
  const auto& r = st["rects"]["pane" + std::to_string(pane)];
  const auto& c = st["camera"];
  const double mpp = c["m_per_px"], w = c["width_px"], h = c["height_px"];
  return {r[0].get<double>() + (x - c["centre_x_m"].get<double>()) / mpp + w / 2,
          r[1].get<double>() + h / 2 - (y - c["centre_y_m"].get<double>()) / mpp};
}

// Share of pixels in a rectangle that are not the map background (241, 243, 244).
double coverage(const Pixels& p, double x0, double y0, double w, double h) {
  std::size_t on = 0, all = 0;
  for (double y = y0; y < y0 + h; y += 3)
    for (double x = x0; x < x0 + w; x += 3) {
      ++all;
      if (!near(pixel(p, x, y), {241, 243, 244, 255}, 2)) ++on;
    }
  return all ? static_cast<double>(on) / static_cast<double>(all) : 0.0;
}

std::size_t count_colour(const Pixels& p, const std::array<double, 4>& r, Rgba c, int tolerance) {
  std::size_t n = 0;
  for (double y = r[1]; y < r[1] + r[3]; y += 1)
    for (double x = r[0]; x < r[0] + r[2]; x += 1)
      if (near(pixel(p, x, y), c, tolerance)) ++n;
  return n;
}

const std::string kGiScript = "open " + kFixtures + "/gistar_grid.gpkg\nopacity gistar_cells 1\nzoom layer gistar_cells\n";

}  // namespace

TEST_F(Screenshot, TheHotCellIsDrawnInTheHotColourWhereExpected) {
  const ViewerRun r = run_viewer(kGiScript);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.png.width, 1600);
  EXPECT_EQ(r.png.height, 1000);
  const auto [hx, hy] = on_screen(r.state, 0, fx::cell_centre_x(fx::kHotCol), fx::cell_centre_y(fx::kHotRow));
  EXPECT_TRUE(colour_is(pixel(r.png, hx, hy), hex("d73027"))) << "hot cell at " << hx << "," << hy;
  const auto [cx, cy] = on_screen(r.state, 0, fx::cell_centre_x(fx::kColdCol), fx::cell_centre_y(fx::kColdRow));
  EXPECT_TRUE(colour_is(pixel(r.png, cx, cy), hex("4575b4"))) << "cold cell";
  const auto [nx, ny] = on_screen(r.state, 0, fx::cell_centre_x(3), fx::cell_centre_y(6));
  EXPECT_TRUE(colour_is(pixel(r.png, nx, ny), hex("eeeeee"))) << "not significant cell";
  const auto [ax, ay] = on_screen(r.state, 0, fx::cell_centre_x(fx::kHotCol + 1), fx::cell_centre_y(fx::kHotRow));
  EXPECT_TRUE(colour_is(pixel(r.png, ax, ay), hex("fee090"))) << "90% hot neighbour";
}

TEST_F(Screenshot, ColourBlindSafeModeDrawsTheHotCellOrangeAndTheColdCellPurple) {
  const ViewerRun r = run_viewer(kGiScript + "colourblind on\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto [hx, hy] = on_screen(r.state, 0, fx::cell_centre_x(fx::kHotCol), fx::cell_centre_y(fx::kHotRow));
  EXPECT_TRUE(colour_is(pixel(r.png, hx, hy), hex("b35806")));
  const auto [cx, cy] = on_screen(r.state, 0, fx::cell_centre_x(fx::kColdCol), fx::cell_centre_y(fx::kColdRow));
  EXPECT_TRUE(colour_is(pixel(r.png, cx, cy), hex("542788")));
}

TEST_F(Screenshot, TheLegendIsInsideTheMapAndShowsTheGiClasses) {
  const ViewerRun r = run_viewer(kGiScript);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  ASSERT_TRUE(r.state["rects"].contains("legend0"));
  const auto legend = r.state["rects"]["legend0"].get<std::array<double, 4>>();
  const auto map = r.state["rects"]["pane0"].get<std::array<double, 4>>();
  EXPECT_GE(legend[0], map[0]);
  EXPECT_GE(legend[1], map[1]);
  EXPECT_LE(legend[0] + legend[2], map[0] + map[2]);
  EXPECT_LE(legend[1] + legend[3], map[1] + map[3]);
  EXPECT_GT(legend[3], 7 * 18.0);  // seven classes
  // Swatches of the hot and cold classes are drawn inside the legend box.
  EXPECT_GT(count_colour(r.png, legend, hex("d73027"), 12), 100u);
  EXPECT_GT(count_colour(r.png, legend, hex("4575b4"), 12), 100u);
  // Mostly a light box (readable text on white).
  EXPECT_GT(count_colour(r.png, legend, {253, 253, 253, 255}, 8), static_cast<std::size_t>(legend[2] * legend[3] * 0.4));
}

TEST_F(Screenshot, CompareModeShowsTwoSynchronisedMaps) {
  const ViewerRun r = run_viewer("open " + kStudy + "\nhide incidents\n"
                    "compare wards_counts #4 golive 2023-10 before 12 after 12 mode side\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  ASSERT_TRUE(r.state["rects"].contains("pane0"));
  ASSERT_TRUE(r.state["rects"].contains("pane1"));
  const auto p0 = r.state["rects"]["pane0"].get<std::array<double, 4>>();
  const auto p1 = r.state["rects"]["pane1"].get<std::array<double, 4>>();
  const auto map = r.state["rects"]["map"].get<std::array<double, 4>>();
  EXPECT_NEAR(p0[2], p1[2], 1.0);
  EXPECT_NEAR(p0[2] + p1[2], map[2], 8.0);
  EXPECT_GT(p1[0], p0[0] + p0[2] - 1);
  EXPECT_EQ(r.state["views"][0].get<std::string>().rfind("Before: Oct 2022", 0), 0u);
  EXPECT_EQ(r.state["views"][1].get<std::string>().rfind("After: Oct 2023", 0), 0u);
  // Both panes show the map, and at the same place: the same world point is inside
  // Ashfield (choropleth colour, not background) in both.
  EXPECT_GT(coverage(r.png, p0[0] + 40, p0[1] + 120, p0[2] - 80, p0[3] - 300), 0.3);
  EXPECT_GT(coverage(r.png, p1[0] + 40, p1[1] + 120, p1[2] - 80, p1[3] - 300), 0.3);
  const double cx = r.state["camera"]["centre_x_m"], cy = r.state["camera"]["centre_y_m"];
  const auto [ax, ay] = on_screen(r.state, 0, cx, cy);
  const auto [bx, by] = on_screen(r.state, 1, cx, cy);
  EXPECT_NEAR(bx - ax, p1[0] - p0[0], 0.5);
  EXPECT_NEAR(by, ay, 0.5);
  // A dark divider between the two maps.
  EXPECT_TRUE(colour_is(pixel(r.png, p0[0] + p0[2] + 2, p0[1] + p0[3] / 2), {40, 44, 52, 255}, 4));
  ASSERT_TRUE(r.state.contains("compare_counts"));
  // The Compare tab's evaluation is core/evaluate's, for the same target and windows.
  ASSERT_TRUE(r.state.contains("compare_evaluation"));
  const auto& e = r.state["compare_evaluation"];
  EXPECT_TRUE(e["evaluated"].get<bool>()) << e.dump();
  EXPECT_EQ(e["target"], r.state["compare_counts"]["target"]);
  ASSERT_TRUE(e["odds_ratio"].is_number());
  EXPECT_LT(e["odds_ratio_ci"][0].get<double>(), e["odds_ratio"].get<double>());
  EXPECT_GT(e["odds_ratio_ci"][1].get<double>(), e["odds_ratio"].get<double>());
}

TEST_F(Screenshot, TheFittedMapKeepsClearOfTheLegend) {
  // Ashfield is tall: fitted beside the legend, no ward pixel lies under the legend box.
  const ViewerRun r = run_viewer("open " + kStudy + "\nhide incidents\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto legend = r.state["rects"]["legend0"].get<std::array<double, 4>>();
  const auto pane = r.state["rects"]["pane0"].get<std::array<double, 4>>();
  // The strip right of the legend at the same height shows the map (wards drawn) ...
  EXPECT_GT(coverage(r.png, legend[0] + legend[2] + 60, legend[1], pane[2] - legend[2] - 200, legend[3]), 0.2);
  // ... and the column above the legend is background: the data sit right of it.
  EXPECT_LT(coverage(r.png, pane[0] + 10, pane[1] + 60, legend[2] - 20, legend[1] - pane[1] - 80), 0.02);
}

TEST_F(Screenshot, DifferenceModeShowsOneMapWithADivergingLegend) {
  const ViewerRun r = run_viewer("open " + kStudy + "\nhide incidents\n"
                    "compare wards_counts #4 golive 2023-10 mode difference\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.state["compare"], "difference");
  EXPECT_FALSE(r.state["rects"].contains("pane1"));
  EXPECT_EQ(r.state["views"][0].get<std::string>().rfind("Change: Oct 2023", 0), 0u);
  const auto legend = r.state["rects"]["legend0"].get<std::array<double, 4>>();
  // RdBu ends: fewer incidents in blue, more in red.
  EXPECT_GT(count_colour(r.png, legend, hex("053061"), 40) + count_colour(r.png, legend, hex("2166ac"), 40), 50u);
  EXPECT_GT(count_colour(r.png, legend, hex("67001f"), 40) + count_colour(r.png, legend, hex("b2182b"), 40), 50u);
}

TEST_F(Screenshot, PanelsDoNotOverlapAt1600x1000) {
  const ViewerRun r = run_viewer("open " + kStudy + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const char* names[] = {"layers", "time", "details", "map"};
  for (std::size_t a = 0; a < 4; ++a) {
    const auto ra = r.state["rects"][names[a]].get<std::array<double, 4>>();
    EXPECT_GE(ra[0], 0);
    EXPECT_LE(ra[0] + ra[2], 1600.5);
    EXPECT_LE(ra[1] + ra[3], 1000.5 - 26);
    for (std::size_t b = a + 1; b < 4; ++b) {
      const auto rb = r.state["rects"][names[b]].get<std::array<double, 4>>();
      const bool overlap = ra[0] < rb[0] + rb[2] - 0.5 && rb[0] < ra[0] + ra[2] - 0.5 && ra[1] < rb[1] + rb[3] - 0.5 &&
                           rb[1] < ra[1] + ra[3] - 0.5;
      EXPECT_FALSE(overlap) << names[a] << " overlaps " << names[b];
    }
  }
  const auto map = r.state["rects"]["map"].get<std::array<double, 4>>();
  EXPECT_GT(map[2], 850);  // the map keeps most of the width
  EXPECT_GT(map[3], 900);
}

TEST_F(Screenshot, AKdeRasterIsDrawnAsATextureWithItsPeakInTheTopClass) {
  const ViewerRun r = run_viewer("open " + kFixtures + "/kde.tif\nopacity kde 1\nzoom layer kde\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto [px, py] = on_screen(r.state, 0, fx::kKdePeakX + 10, fx::kKdePeakY + 10);
  EXPECT_TRUE(colour_is(pixel(r.png, px, py), ramp_classes(Ramp::yl_or_rd, 7).back(), 4));
}

TEST_F(Screenshot, IncidentPointsAreDrawnOnTheMap) {
  const ViewerRun r = run_viewer("open " + kStudy + "\nhide wards_counts\nhide district_counts\npoints incidents single radius 3\nopacity incidents 1\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto map = r.state["rects"]["pane0"].get<std::array<double, 4>>();
  EXPECT_GT(count_colour(r.png, map, {37, 37, 37, 255}, 10), 2000u);
}

TEST_F(Screenshot, AScriptCanTakeScreenshotsOnTheWay) {
  const std::string mid = (m_dir.path() / "mid.png").string();
  const ViewerRun r = run_viewer(kGiScript + "screenshot " + mid + "\nhide gistar_cells\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const Pixels first = read_png(mid);
  const auto [hx, hy] = on_screen(r.state, 0, fx::cell_centre_x(fx::kHotCol), fx::cell_centre_y(fx::kHotRow));
  EXPECT_TRUE(colour_is(pixel(first, hx, hy), hex("d73027")));                 // before hiding
  EXPECT_FALSE(colour_is(pixel(r.png, hx, hy), hex("d73027")));                // after
  fs::remove(mid);
}

TEST_F(Screenshot, AScriptErrorFailsWithTheFileAndLine) {
  const ViewerRun r = run_viewer("open " + kStudy + "\nzom layer wards_counts\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("steps.txt:2: error: unknown command 'zom'"), std::string::npos) << r.stderr_text;
  const ViewerRun r2 = run_viewer("open " + kStudy + "\nshow wards\n");
  EXPECT_EQ(r2.exit_code, 1);
  EXPECT_NE(r2.stderr_text.find("steps.txt:2: error: show: no layer 'wards'"), std::string::npos) << r2.stderr_text;
}

TEST_F(Screenshot, AFileThatCannotBeOpenedFailsTheRun) {
  const ViewerRun r = run_viewer("open /nonexistent/study.gpkg\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("/nonexistent/study.gpkg"), std::string::npos) << r.stderr_text;
}

// Partial redraw (damage tracking on the software renderer) must leave exactly the
// pixels a full redraw draws: the same script, its final frame captured as drawn in
// part, against one with every frame drawn whole.
TEST_F(Screenshot, PartialRedrawLeavesTheSamePixelsAsAFullRedraw) {
  const std::string script = "open " + kStudy +
                             "\nzoom layer wards_counts\nselect wards_counts #3\npanel inspector\nmonths 2023-01 2023-12\n"
                             "zoom centre 449700 358700 6\nhide incidents\nlabels wards_counts name\npanel targets\n"
                             "zoom layer wards_counts\nselect none\n";
  const ViewerRun partial = run_viewer(script, "--capture-partial");
  ASSERT_EQ(partial.exit_code, 0) << partial.stderr_text;
  const ViewerRun full = run_viewer(script, "--full-redraw");
  ASSERT_EQ(full.exit_code, 0) << full.stderr_text;
  if (partial.stderr_text.find("(partial redraw on)") == std::string::npos)
    GTEST_SKIP() << "partial redraw is off on this display (the back buffer is not preserved): " << partial.stderr_text;
  EXPECT_NE(partial.stderr_text.find(", in part "), std::string::npos);
  EXPECT_EQ(partial.stderr_text.find(", in part 0,"), std::string::npos) << "no frame was drawn in part: " << partial.stderr_text;
  ASSERT_EQ(partial.png.width, full.png.width);
  ASSERT_EQ(partial.png.height, full.png.height);
  // The status bar says how long loading took, which differs between any two runs.
  const auto status = full.state["rects"]["status"].get<std::array<double, 4>>();
  const auto status_top = static_cast<std::size_t>(status[1]);
  std::size_t differ = 0, first = partial.png.rgba.size();
  for (std::size_t i = 0; i < partial.png.rgba.size(); i += 4)
    if (i / 4 / static_cast<std::size_t>(full.png.width) < status_top &&
        std::memcmp(&partial.png.rgba[i], &full.png.rgba[i], 3) != 0) {
      ++differ;
      first = std::min(first, i / 4);
    }
  EXPECT_EQ(differ, 0u) << "first differing pixel at x " << first % static_cast<std::size_t>(full.png.width) << ", y "
                        << first / static_cast<std::size_t>(full.png.width);
}

// [SECTION] mouse, keys and drops: the script's synthetic input goes through the same
// ImGui input path as a real mouse (viewer/app/input.hpp).

namespace {

// Points inside real Ashfield wards (ST_PointOnSurface of the ONS boundaries).
constexpr double kSuttonX = 450181, kSuttonY = 359110;    // Sutton Central & New Cross
constexpr double kKingswayX = 452129, kKingswayY = 355051;  // Kingsway
const std::string kWards = "open " + kStudy + "\nhide incidents\nzoom layer wards_counts\n";

std::vector<std::string> selected(const nlohmann::json& st) {
  std::vector<std::string> out;
  for (const auto& f : st["selection"]["features"]) out.push_back(f.get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_F(Screenshot, HoveringAnAreaShowsItsTooltip) {
  const ViewerRun r = run_viewer(kWards + "mouse world " + std::to_string(kSuttonX) + " " + std::to_string(kSuttonY) + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::string tip = r.state["tooltip"];
  EXPECT_NE(tip.find("Sutton Central & New Cross"), std::string::npos) << tip;
  EXPECT_NE(tip.find("Incidents"), std::string::npos) << tip;
  // The tooltip box is drawn beside the pointer: light pixels just right of it.
  const auto [px, py] = on_screen(r.state, 0, kSuttonX, kSuttonY);
  EXPECT_GT(count_colour(r.png, {px + 20, py + 10, 120, 20}, {255, 255, 255, 255}, 12), 600u);
}

TEST_F(Screenshot, ClickSelectsShiftClickAddsAndEscapeClears) {
  const std::string sutton = std::to_string(kSuttonX) + " " + std::to_string(kSuttonY);
  const std::string kingsway = std::to_string(kKingswayX) + " " + std::to_string(kKingswayY);
  const ViewerRun one = run_viewer(kWards + "panel log\nclick world " + sutton + "\n");
  ASSERT_EQ(one.exit_code, 0) << one.stderr_text;
  EXPECT_EQ(selected(one.state), std::vector<std::string>{"Sutton Central & New Cross"});
  EXPECT_EQ(one.state["selection"]["layer"], "wards_counts");
  EXPECT_EQ(one.state["tab"], "inspector");  // a click shows the inspector
  const ViewerRun two = run_viewer(kWards + "click world " + sutton + "\nclick world " + kingsway + " shift\n");
  ASSERT_EQ(two.exit_code, 0) << two.stderr_text;
  EXPECT_EQ(selected(two.state), (std::vector<std::string>{"Kingsway", "Sutton Central & New Cross"}));
  const ViewerRun none = run_viewer(kWards + "click world " + sutton + "\nkey escape\n");
  ASSERT_EQ(none.exit_code, 0) << none.stderr_text;
  EXPECT_TRUE(selected(none.state).empty());
}

TEST_F(Screenshot, CtrlDragSelectsTheAreasInTheBox) {
  const ViewerRun r = run_viewer(kWards + "drag world 451000 350200 to world 455500 347000 ctrl\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(selected(r.state),
            (std::vector<std::string>{"Hucknall Central", "Hucknall North", "Hucknall South", "Hucknall West"}));
}

TEST_F(Screenshot, DraggingPansAndTheWheelZoomsAroundThePointer) {
  const std::string start = kWards + "zoom centre 450000 356000 10\n";
  const ViewerRun pan = run_viewer(start + "drag world 450000 356000 to world 451000 355500\n");
  ASSERT_EQ(pan.exit_code, 0) << pan.stderr_text;
  // The map follows the pointer: the point grabbed is now under the release point.
  EXPECT_NEAR(pan.state["camera"]["centre_x_m"].get<double>(), 449000, 10.0);
  EXPECT_NEAR(pan.state["camera"]["centre_y_m"].get<double>(), 356500, 10.0);
  EXPECT_DOUBLE_EQ(pan.state["camera"]["m_per_px"].get<double>(), 10.0);
  const ViewerRun zoom = run_viewer(start + "wheel world 452000 357000 2\n");
  ASSERT_EQ(zoom.exit_code, 0) << zoom.stderr_text;
  EXPECT_NEAR(zoom.state["camera"]["m_per_px"].get<double>(), 10.0 / (1.25 * 1.25), 1e-6);
  // The world point under the pointer stays there.
  const auto [x, y] = on_screen(zoom.state, 0, 452000, 357000);
  const auto pane = zoom.state["rects"]["pane0"].get<std::array<double, 4>>();
  const double cx = pane[0] + pane[2] / 2 + 2000 / 10.0, cy = pane[1] + pane[3] / 2 - 1000 / 10.0;  // before the zoom
  EXPECT_NEAR(x, cx, 1.5);
  EXPECT_NEAR(y, cy, 1.5);
}

TEST_F(Screenshot, KeysZoomAndPanWhileThePointerIsOnTheMap) {
  const std::string start = kWards + "zoom centre 450000 356000 10\nmouse world 450000 356000\n";
  const ViewerRun plus = run_viewer(start + "key +\n");
  ASSERT_EQ(plus.exit_code, 0) << plus.stderr_text;
  EXPECT_NEAR(plus.state["camera"]["m_per_px"].get<double>(), 10.0 / 1.5, 1e-6);
  const ViewerRun left = run_viewer(start + "key left\n");
  ASSERT_EQ(left.exit_code, 0) << left.stderr_text;
  EXPECT_NEAR(left.state["camera"]["centre_x_m"].get<double>(), 450000 - 80 * 10, 1e-6);
}

TEST_F(Screenshot, ADroppedFileIsOpened) {
  const ViewerRun r = run_viewer("drop " + kFixtures + "/kde.tif\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  bool found = false;
  for (const auto& l : r.state["layers"]) found = found || l["name"] == "kde";
  EXPECT_TRUE(found) << r.state["layers"].dump();
}

TEST_F(Screenshot, ThePlayButtonStepsTheMonthWindow) {
  const ViewerRun r = run_viewer(kWards + "months 2022-04 2022-06\nclick ui play\nwait 2\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_TRUE(r.state["playing"].get<bool>());
  const std::string first = r.state["window"][0];
  EXPECT_GT(first, "2022-04") << "the window did not move: " << r.state["window"].dump();
  const ViewerRun paused = run_viewer(kWards + "click ui play\nclick ui play\n");
  ASSERT_EQ(paused.exit_code, 0) << paused.stderr_text;
  EXPECT_FALSE(paused.state["playing"].get<bool>());
}

TEST_F(Screenshot, TheExportButtonsWriteTheViewAndTheSelection) {
  const fs::path pack = fs::path(kStudy).parent_path() / "pack";
  const fs::path png = pack / "map-view.png", geojson = pack / "selection-wards_counts.geojson";
  fs::remove(png);
  fs::remove(geojson);
  const std::string sutton = std::to_string(kSuttonX) + " " + std::to_string(kSuttonY);
  const fs::path own_png = m_dir.path() / "view.png", own_geojson = m_dir.path() / "sel.geojson";
  const ViewerRun r = run_viewer(kWards + "click world " + sutton + "\nclick ui export_selection\nclick ui export_png\n" +
                                 "export png " + own_png.string() + "\nexport selection " + own_geojson.string() + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto map = r.state["rects"]["map"].get<std::array<double, 4>>();
  for (const fs::path& p : {png, own_png}) {
    ASSERT_TRUE(fs::exists(p)) << p;
    const Pixels view = read_png(p.string());
    EXPECT_EQ(view.width, static_cast<int>(map[2])) << p;
    EXPECT_EQ(view.height, static_cast<int>(map[3])) << p;
  }
  for (const fs::path& p : {geojson, own_geojson}) {
    ASSERT_TRUE(fs::exists(p)) << p;
    const auto j = nlohmann::json::parse(std::ifstream(p));
    ASSERT_EQ(j["features"].size(), 1u) << p;
    EXPECT_EQ(j["features"][0]["properties"]["name"], "Sutton Central & New Cross") << p;
  }
  fs::remove(png);
  fs::remove(geojson);
}

// Swipe: one pane, the before map left of the divider and the after map right of it.
// With the divider at 0.5, the left half is pixel for pixel the before map (divider at
// 1) and the right half the after map (divider at 0); the two maps differ.
TEST_F(Screenshot, SwipeShowsBeforeLeftAndAfterRightOfTheDivider) {
  const std::string base = "open " + kStudy + "\nhide incidents\n"
                           "compare wards_counts #4 golive 2023-10 before 12 after 12 mode swipe\n";
  const ViewerRun before = run_viewer(base + "swipe 1\n");
  ASSERT_EQ(before.exit_code, 0) << before.stderr_text;
  const ViewerRun after = run_viewer(base + "swipe 0\n");
  ASSERT_EQ(after.exit_code, 0) << after.stderr_text;
  const ViewerRun half = run_viewer(base + "swipe 0.5\n");
  ASSERT_EQ(half.exit_code, 0) << half.stderr_text;
  EXPECT_EQ(half.state["compare"], "swipe");
  EXPECT_EQ(half.state["views"].size(), 2u);
  EXPECT_FALSE(half.state["rects"].contains("pane1"));  // one pane
  const auto pane = half.state["rects"]["pane0"].get<std::array<double, 4>>();
  const double split = pane[0] + pane[2] * 0.5;
  std::size_t left_differs = 0, right_differs = 0, maps_differ = 0, compared = 0;
  for (double y = pane[1] + 2; y < pane[1] + pane[3] - 2; y += 2)
    for (double x = pane[0] + 20; x < pane[0] + pane[2] - 20; x += 2) {
      if (std::abs(x - split) < 18) continue;  // the divider and its handle
      const Rgba c = pixel(half.png, x, y);
      const Rgba want = x < split ? pixel(before.png, x, y) : pixel(after.png, x, y);
      ++compared;
      if (!near(c, want, 0)) ++(x < split ? left_differs : right_differs);
      if (!near(pixel(before.png, x, y), pixel(after.png, x, y), 0)) ++maps_differ;
    }
  EXPECT_EQ(left_differs, 0u);
  EXPECT_EQ(right_differs, 0u);
  EXPECT_GT(maps_differ, compared / 50) << "the before and after maps should differ somewhere";
  // The divider is drawn (dark line) at the split.
  EXPECT_TRUE(colour_is(pixel(half.png, std::round(split), pane[1] + pane[3] * 0.25), {40, 44, 52, 255}, 30));
}

TEST_F(Screenshot, TheSwipeDividerFollowsADrag) {
  const ViewerRun r = run_viewer("open " + kStudy + "\nhide incidents\n"
                                 "compare wards_counts #4 golive 2023-10 mode swipe\n"
                                 "drag ui swipe_handle to ui legend0\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto pane = r.state["rects"]["pane0"].get<std::array<double, 4>>();
  const auto legend = r.state["rects"]["legend0"].get<std::array<double, 4>>();
  EXPECT_NEAR(r.state["swipe_at"].get<double>(), (legend[0] + legend[2] / 2 - pane[0]) / pane[2], 0.01);
}

// The ranked target list (the test study ranks its wards): clicking a row selects
// that target and flies to it; clicking the ward on the map shows its rank too.
TEST_F(Screenshot, ATargetRowSelectsAndFliesToItsArea) {
  const ViewerRun r = run_viewer(kWards + "zoom centre 447000 362000 4\npanel targets\nclick ui target_row1\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.state["selection"]["layer"], "targets_wards");
  ASSERT_EQ(r.state["selection"]["features"].size(), 1u);
  EXPECT_EQ(r.state["selection"]["rank"]["rank"], 1.0);
  // Flown to: the camera's centre is now inside Annesley & Kirkby Woodhouse's extent
  // (447,800-452,800 E, 349,800-355,100 N), far from where it was.
  const double cx = r.state["camera"]["centre_x_m"], cy = r.state["camera"]["centre_y_m"];
  EXPECT_GT(cx, 447000);
  EXPECT_LT(cx, 453500);
  EXPECT_GT(cy, 349000);
  EXPECT_LT(cy, 356000);
  const ViewerRun ward = run_viewer(kWards + "click world 450243 352436\n");
  ASSERT_EQ(ward.exit_code, 0) << ward.stderr_text;
  EXPECT_EQ(ward.state["selection"]["layer"], "wards_counts");
  EXPECT_EQ(ward.state["selection"]["rank"]["layer"], "targets_wards");
  EXPECT_EQ(ward.state["selection"]["rank"]["rank"], 1.0);
}
