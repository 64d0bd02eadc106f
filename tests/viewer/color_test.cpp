#include "viewer/app/color.hpp"

#include <gtest/gtest.h>

using namespace hotspot::viewer;

TEST(Colour, ParsesAndFormatsHex) {
  const Rgba c = hex("#d73027");
  EXPECT_EQ(c, (Rgba{215, 48, 39, 255}));
  EXPECT_EQ(to_hex(c), "#d73027");
  EXPECT_EQ(hex("4575b4"), (Rgba{69, 117, 180, 255}));
}

TEST(Colour, PacksAsImGuiAndGlBytes) { EXPECT_EQ((Rgba{1, 2, 3, 4}).packed(), 0x04030201u); }

TEST(Colour, RampsStartAndEndAtTheirStops) {
  EXPECT_EQ(ramp_colour(Ramp::yl_or_rd, 0), hex("ffffcc"));
  EXPECT_EQ(ramp_colour(Ramp::yl_or_rd, 1), hex("800026"));
  EXPECT_EQ(ramp_colour(Ramp::viridis, 1), hex("fde725"));
  EXPECT_EQ(ramp_colour(Ramp::rd_bu, 0.5), hex("f7f7f7"));  // diverging midpoint is neutral
  EXPECT_EQ(ramp_colour(Ramp::yl_or_rd, -3), ramp_colour(Ramp::yl_or_rd, 0));  // clamped
}

TEST(Colour, SequentialClassesGetDarkerMonotonically) {
  for (const RampInfo& r : all_ramps()) {
    if (r.kind != RampKind::sequential || r.id == Ramp::viridis || r.id == Ramp::cividis || r.id == Ramp::inferno) continue;
    const auto cs = ramp_classes(r.id, 7);
    ASSERT_EQ(cs.size(), 7u);
    for (std::size_t i = 1; i < cs.size(); ++i) EXPECT_LT(luminance(cs[i]), luminance(cs[i - 1])) << r.name << " class " << i;
  }
}

TEST(Colour, PerceptualRampsGetLighterMonotonically) {
  for (const Ramp r : {Ramp::viridis, Ramp::cividis, Ramp::inferno}) {
    const auto cs = ramp_classes(r, 9);
    for (std::size_t i = 1; i < cs.size(); ++i) EXPECT_GT(luminance(cs[i]), luminance(cs[i - 1])) << ramp_info(r).name;
  }
}

TEST(Colour, FindsRampsByNameIgnoringCase) {
  EXPECT_EQ(find_ramp("ylorrd"), Ramp::yl_or_rd);
  EXPECT_EQ(find_ramp("Viridis"), Ramp::viridis);
  EXPECT_FALSE(find_ramp("rainbow").has_value());
  for (const RampInfo& r : all_ramps()) EXPECT_EQ(find_ramp(r.name), r.id);
}

TEST(Colour, CategoricalPaletteIsOkabeItoAndCycles) {
  EXPECT_EQ(categorical_colour(0), hex("E69F00"));
  EXPECT_EQ(categorical_colour(4), hex("0072B2"));
  EXPECT_EQ(categorical_colour(kCategoricalColours), categorical_colour(0));
}

TEST(Colour, MixIsLinearAndClamped) {
  EXPECT_EQ(mix({0, 0, 0, 0}, {200, 100, 50, 250}, 0.5), (Rgba{100, 50, 25, 125}));
  EXPECT_EQ(mix({0, 0, 0, 0}, {200, 100, 50, 250}, 2), (Rgba{200, 100, 50, 250}));
}
