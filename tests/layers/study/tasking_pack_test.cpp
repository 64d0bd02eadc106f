// The pieces of the tasking pack: PNG maps (layers/render/map_png.hpp), the HTML
// rendering of report.md (layers/study/report.hpp) and the run cache
// (layers/study/run_cache.hpp).

#include <gtest/gtest.h>

#include <gdal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/base/error.hpp"
#include "layers/render/map_png.hpp"
#include "layers/study/report.hpp"
#include "layers/study/run_cache.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
using hotspot::test::TempDir;

namespace {

Rgba pixel(const MapImage& m, int x, int y) {
  const auto& p = m.pixels();
  const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(m.width()) + static_cast<std::size_t>(x)) * 4;
  return {p[i], p[i + 1], p[i + 2], p[i + 3]};
}

core::MultiPolygon square(double x0, double y0, double side) {
  core::Polygon p;
  p.outer() = {{x0, y0}, {x0, y0 + side}, {x0 + side, y0 + side}, {x0 + side, y0}, {x0, y0}};
  return core::MultiPolygon{p};
}

}  // namespace

// [SECTION] map_png

TEST(MapPng, ScaleBarLengthsAreRound) {
  EXPECT_EQ(round_scale_length(3700), 2000);
  EXPECT_EQ(round_scale_length(5000), 5000);
  EXPECT_EQ(round_scale_length(999), 500);
  EXPECT_EQ(round_scale_length(160000), 100000);
  EXPECT_EQ(round_scale_length(0), 0);
}

TEST(MapPng, KeepsOneScaleAndPutsNorthUp) {
  MapOptions o;
  o.extent = core::Box({440000, 350000}, {460000, 360000});  // 20 x 10 km
  MapImage m(o);
  const auto sw = m.to_pixel(440000, 350000), ne = m.to_pixel(460000, 360000);
  EXPECT_LT(sw.x(), ne.x());
  EXPECT_GT(sw.y(), ne.y());  // north is up: larger northing, smaller row
  EXPECT_NEAR((ne.x() - sw.x()) / (sw.y() - ne.y()), 2.0, 1e-9);  // no distortion
}

TEST(MapPng, FillsPolygonsWithHolesAndDrawsOutlines) {
  MapOptions o;
  o.extent = core::Box({0, 0}, {1000, 1000});
  MapImage m(o);
  core::MultiPolygon donut = square(100, 100, 800);
  donut[0].inners().push_back({{400, 400}, {600, 400}, {600, 600}, {400, 600}, {400, 400}});
  const std::vector<core::MultiPolygon> shapes{donut};
  const std::vector<Rgba> fill{Rgba{178, 24, 43, 255}};
  m.polygons(shapes, fill);
  const auto in_ring = m.to_pixel(250, 250), in_hole = m.to_pixel(500, 500), outside = m.to_pixel(50, 50);
  EXPECT_EQ(pixel(m, static_cast<int>(in_ring.x()), static_cast<int>(in_ring.y())), (Rgba{178, 24, 43, 255}));
  EXPECT_EQ(pixel(m, static_cast<int>(in_hole.x()), static_cast<int>(in_hole.y())), (Rgba{255, 255, 255, 255}));
  EXPECT_EQ(pixel(m, static_cast<int>(outside.x()), static_cast<int>(outside.y())), (Rgba{255, 255, 255, 255}));
  m.outlines(shapes, Rgba{0, 0, 0, 255}, 3);
  const auto edge = m.to_pixel(100, 500);  // the west edge, mid-height
  EXPECT_EQ(pixel(m, static_cast<int>(edge.x()), static_cast<int>(edge.y())), (Rgba{0, 0, 0, 255}));
}

TEST(MapPng, RasterIsSampledNorthUp) {
  MapOptions o;
  o.extent = core::Box({0, 0}, {200, 200});
  MapImage m(o);
  // 2 x 2 raster over the extent: row 0 is the north row.
  const std::vector<double> v{1, 2, 3, 4};
  m.raster(0, 200, 100, 2, 2, v, [](double x) {
    return Rgba{static_cast<uint8_t>(x * 50), 0, 0, 255};
  });
  const auto nw = m.to_pixel(50, 150), se = m.to_pixel(150, 50);
  EXPECT_EQ(pixel(m, static_cast<int>(nw.x()), static_cast<int>(nw.y())).r, 50);
  EXPECT_EQ(pixel(m, static_cast<int>(se.x()), static_cast<int>(se.y())).r, 200);
}

TEST(MapPng, SavesAPngWithLegendTextAndFurniture) {
  TempDir d;
  MapOptions o;
  o.title = "Test map";
  o.extent = core::Box({0, 0}, {5000, 5000});
  MapImage m(o);
  const std::vector<LegendItem> items{{palette::gi_bin(3), "Hot spot, 99% confidence"}};
  m.legend("Gi*", items);
  m.save(d / "maps" / "x.png");
  EXPECT_TRUE(m.warnings().empty()) << m.warnings().front();
  // Read back through GDAL's PNG driver.
  GDALAllRegister();
  GDALDatasetH ds = GDALOpen((d / "maps" / "x.png").c_str(), GA_ReadOnly);
  ASSERT_NE(ds, nullptr);
  EXPECT_EQ(GDALGetRasterXSize(ds), 1600);
  EXPECT_EQ(GDALGetRasterYSize(ds), 1100);
  EXPECT_EQ(GDALGetRasterCount(ds), 4);
  GDALClose(ds);
  // The legend swatch (first item at the top of the legend panel) is the 99% red.
  int red = 0, dark = 0;
  for (int y = 0; y < m.height(); ++y)
    for (int x = m.width() * 3 / 4; x < m.width(); ++x) {
      const Rgba p = pixel(m, x, y);
      if (p == palette::gi_bin(3)) ++red;
      if (p.r < 80 && p.g < 80 && p.b < 80) ++dark;
    }
  EXPECT_EQ(red, 28 * 18);  // the 30 x 20 px swatch less the edge pixels its 1 px frame half covers
  EXPECT_GT(dark, 200);     // legend text was drawn
  // Title text in the header, scale bar (black segments) at the bottom left of the frame.
  int header_ink = 0, bar_ink = 0;
  for (int y = 0; y < 60; ++y)
    for (int x = 0; x < 300; ++x)
      if (pixel(m, x, y).r < 100) ++header_ink;
  for (int y = m.height() - 80; y < m.height() - 40; ++y)
    for (int x = 20; x < 300; ++x)
      if (pixel(m, x, y) == (Rgba{33, 33, 33, 255})) ++bar_ink;
  EXPECT_GT(header_ink, 100);
  EXPECT_GT(bar_ink, 100);
}

TEST(MapPng, PalettesAreTheDocumentedColourBlindSafeRamps) {
  EXPECT_EQ(palette::viridis(0), (Rgba{68, 1, 84, 255}));
  EXPECT_EQ(palette::viridis(1), (Rgba{253, 231, 37, 255}));
  EXPECT_EQ(palette::gi_bin(-3), (Rgba{33, 102, 172, 255}));
  EXPECT_EQ(palette::gi_bin(0), (Rgba{238, 238, 238, 255}));
  EXPECT_EQ(palette::viridis(std::nan("")).a, 0);
}

// [SECTION] report.html

TEST(ReportHtml, RendersTheMarkdownThePipelineWrites) {
  const std::string md =
      "# Title & more\n\nA *para* with `code <x>`\nand **bold**.\n\n| a | b |\n|---|---:|\n| 1 | 2 |\n\n"
      "- one\n- two\n\n![Hot spots](maps/hotspots.png)\n";
  const std::string h = markdown_to_html(md, "T");
  EXPECT_NE(h.find("<h1>Title &amp; more</h1>"), std::string::npos);
  EXPECT_NE(h.find("<p>A <em>para</em> with <code>code &lt;x&gt;</code> and <strong>bold</strong>.</p>"),
            std::string::npos);
  EXPECT_NE(h.find("<thead><tr><th style=\"text-align:left\">a</th><th style=\"text-align:right\">b</th></tr></thead>"),
            std::string::npos);
  EXPECT_NE(h.find("<tr><td style=\"text-align:left\">1</td><td style=\"text-align:right\">2</td></tr>"),
            std::string::npos);
  EXPECT_NE(h.find("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"), std::string::npos);
  EXPECT_NE(h.find("<img src=\"maps/hotspots.png\" alt=\"Hot spots\">"), std::string::npos);
  EXPECT_EQ(html_escape("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
}

// [SECTION] run cache

TEST(RunCache, StoresAndReloadsByExactKey) {
  TempDir d;
  RunCache c(d / "cache", true);
  CacheBlob b;
  b.put<int32_t>(42);
  b.put_string("hello");
  const std::vector<double> v{1.5, 2.5};
  b.put_vector(std::span<const double>(v));
  EXPECT_EQ(c.store("stage", "key-1", b), "");
  auto r = c.load("stage", "key-1");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->get<int32_t>(), 42);
  EXPECT_EQ(r->get_string(), "hello");
  EXPECT_EQ(r->get_vector<double>(), v);
  EXPECT_FALSE(c.load("stage", "key-2").has_value());
  EXPECT_FALSE(c.load("other", "key-1").has_value());
  EXPECT_FALSE(RunCache(d / "cache", false).load("stage", "key-1").has_value());  // --no-cache
}

TEST(RunCache, DamagedEntriesAreMisses) {
  TempDir d;
  RunCache c(d / "cache", true);
  CacheBlob b;
  b.put<int64_t>(7);
  ASSERT_EQ(c.store("s", "k", b), "");
  {
    std::fstream f(d / "cache" / "s.bin", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-1, std::ios::end);
    f.put('\x55');  // flip the payload's last byte
  }
  EXPECT_FALSE(c.load("s", "k").has_value());
  std::filesystem::resize_file(d / "cache" / "s.bin", 5);
  EXPECT_FALSE(c.load("s", "k").has_value());
}

TEST(RunCache, FileKeyChangesWhenAFileChanges) {
  TempDir d;
  const auto p = d.write("a.csv", "x,y\n1,2\n");
  const std::vector<std::filesystem::path> files{p};
  const std::string k1 = RunCache::file_key(files);
  EXPECT_EQ(RunCache::file_key(files), k1);
  d.write("a.csv", "x,y\n1,3\n");  // same size, new content
  EXPECT_NE(RunCache::file_key(files), k1);
  EXPECT_THROW(RunCache::file_key(std::vector<std::filesystem::path>{d / "missing.csv"}), IoError);
}
