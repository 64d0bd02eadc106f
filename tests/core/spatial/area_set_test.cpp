#include "core/spatial/area_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <cmath>
#include <iomanip>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "core/base/random.hpp"

using hotspot::Rng;
using namespace hotspot::core;
namespace bg = boost::geometry;

namespace {

// A polygon from (x, y) pairs; orientation and closure are left to AreaSet::add.
Polygon polygon(
    std::initializer_list<std::pair<double, double>> outer,
    std::initializer_list<std::initializer_list<std::pair<double, double>>> holes = {}) {
  Polygon p;
  for (const auto& [x, y] : outer) p.outer().emplace_back(x, y);
  for (const auto& hole : holes) {
    p.inners().emplace_back();
    for (const auto& [x, y] : hole) p.inners().back().emplace_back(x, y);
  }
  return p;
}

MultiPolygon multi(std::initializer_list<Polygon> parts) { return MultiPolygon(parts); }

MultiPolygon square(double x0, double y0, double side) {
  return multi({polygon({{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}})});
}

// prefix + number, without GCC 12's false -Wrestrict on `"c" + std::to_string(i)`.
std::string label(const char* prefix, std::size_t n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

// The rule AreaSet documents, written the obvious way. The box test only skips
// areas the point is clearly outside of (by far more than covered_by's tolerance);
// it keeps the model fast enough for Debug + sanitizer builds.
uint32_t brute_force(const AreaSet& set, double x, double y) {
  for (uint32_t i = 0; i < set.size(); ++i) {
    const Box& b = set[i].bbox;
    const double margin = 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)});
    if (x < b.min_corner().x() - margin || x > b.max_corner().x() + margin ||
        y < b.min_corner().y() - margin || y > b.max_corner().y() + margin)
      continue;
    if (bg::covered_by(Point(x, y), set[i].geometry)) return i;
  }
  return AreaSet::kNone;
}

// Four unit squares in a 2x2 block, indices 0 1 (bottom row) 2 3 (top row).
AreaSet four_squares() {
  AreaSet set;
  set.add("sw", "south-west", square(0, 0, 1));
  set.add("se", "south-east", square(1, 0, 1));
  set.add("nw", "north-west", square(0, 1, 1));
  set.add("ne", "north-east", square(1, 1, 1));
  set.build();
  return set;
}

}  // namespace

// --- misuse and empty input first ---------------------------------------------

TEST(AreaSetDeathTest, LocateBeforeBuildIsMisuse) {
  AreaSet set;
  set.add("a", "", square(0, 0, 1));
  EXPECT_DEATH((void)set.locate(0.5, 0.5), "build");
}

TEST(AreaSetDeathTest, AddAfterBuildRequiresAnotherBuild) {
  AreaSet set = four_squares();
  set.add("x", "", square(5, 5, 1));
  EXPECT_FALSE(set.built());
  EXPECT_DEATH((void)set.locate(0.5, 0.5), "build");
}

TEST(AreaSet, EmptySetLocatesNothing) {
  AreaSet set;
  set.build();
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.locate(0, 0), AreaSet::kNone);
  EXPECT_FALSE(set.find_code("x").has_value());
  const Box b = set.bounds();
  EXPECT_GT(b.min_corner().x(), b.max_corner().x());  // inverted: nothing inside
  std::vector<double> x{1, 2}, y{3, 4};
  std::vector<uint32_t> out(2, 0);
  set.locate_many(x, y, out);
  EXPECT_EQ(out, (std::vector<uint32_t>{AreaSet::kNone, AreaSet::kNone}));
}

TEST(AreaSet, AreaWithEmptyGeometryContainsNoPoint) {
  AreaSet set;
  EXPECT_EQ(set.add("empty", "", MultiPolygon{}), 0u);
  EXPECT_EQ(set.add("sq", "", square(0, 0, 1)), 1u);
  set.build();
  EXPECT_EQ(set.locate(0.5, 0.5), 1u);
  EXPECT_EQ(set[0].area_m2, 0.0);
}

TEST(AreaSet, NanAndInfinityAreInNoArea) {
  const AreaSet set = four_squares();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(set.locate(nan, 0.5), AreaSet::kNone);
  EXPECT_EQ(set.locate(0.5, nan), AreaSet::kNone);
  EXPECT_EQ(set.locate(inf, 0.5), AreaSet::kNone);
}

// --- the assignment rule --------------------------------------------------------

TEST(AreaSet, InteriorPointsGetTheirSquare) {
  const AreaSet set = four_squares();
  EXPECT_EQ(set.locate(0.5, 0.5), 0u);
  EXPECT_EQ(set.locate(1.5, 0.5), 1u);
  EXPECT_EQ(set.locate(0.5, 1.5), 2u);
  EXPECT_EQ(set.locate(1.5, 1.5), 3u);
}

TEST(AreaSet, PointOnSharedEdgeGoesToLowestIndex) {
  const AreaSet set = four_squares();
  EXPECT_EQ(set.locate(1.0, 0.5), 0u);  // 0 | 1
  EXPECT_EQ(set.locate(0.5, 1.0), 0u);  // 0 / 2
  EXPECT_EQ(set.locate(1.5, 1.0), 1u);  // 1 / 3
  EXPECT_EQ(set.locate(1.0, 1.5), 2u);  // 2 | 3
}

TEST(AreaSet, PointOnSharedVertexGoesToLowestIndex) {
  const AreaSet set = four_squares();
  EXPECT_EQ(set.locate(1.0, 1.0), 0u);  // all four meet
  EXPECT_EQ(set.locate(1.0, 2.0), 2u);  // 2 and 3 meet on the outer edge
  EXPECT_EQ(set.locate(2.0, 1.0), 1u);  // 1 and 3
}

TEST(AreaSet, LowestIndexRuleFollowsAddOrderNotGeometry) {
  AreaSet set;
  set.add("ne", "", square(1, 1, 1));
  set.add("sw", "", square(0, 0, 1));
  set.build();
  EXPECT_EQ(set.locate(1.0, 1.0), 0u);  // "ne" was added first
}

TEST(AreaSet, PointOnOuterEdgeOfUnionIsInside) {
  const AreaSet set = four_squares();
  EXPECT_EQ(set.locate(0.0, 0.5), 0u);
  EXPECT_EQ(set.locate(0.0, 0.0), 0u);
  EXPECT_EQ(set.locate(2.0, 2.0), 3u);
  EXPECT_EQ(set.locate(2.0, 1.5), 3u);
  EXPECT_EQ(set.locate(1.5, 0.0), 1u);
}

TEST(AreaSet, PointOutsideEveryAreaIsNone) {
  const AreaSet set = four_squares();
  EXPECT_EQ(set.locate(-0.001, 0.5), AreaSet::kNone);
  EXPECT_EQ(set.locate(2.0 + 1e-9, 1.0), AreaSet::kNone);
  EXPECT_EQ(set.locate(100, 100), AreaSet::kNone);
  EXPECT_EQ(set.locate(-5, -5), AreaSet::kNone);
}

TEST(AreaSet, PointInHoleIsOutsideAndHoleEdgeIsInside) {
  AreaSet set;
  set.add(
      "donut", "",
      multi({polygon({{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{{4, 4}, {6, 4}, {6, 6}, {4, 6}}})}));
  set.build();
  EXPECT_EQ(set.locate(5, 5), AreaSet::kNone);
  EXPECT_EQ(set.locate(4, 5), 0u);  // on the hole's edge
  EXPECT_EQ(set.locate(6, 6), 0u);  // on the hole's corner
  EXPECT_EQ(set.locate(2, 2), 0u);
  EXPECT_DOUBLE_EQ(set[0].area_m2, 96.0);
}

TEST(AreaSet, IslandInsideHoleIsItsOwnArea) {
  AreaSet set;
  set.add(
      "donut", "",
      multi({polygon({{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{{4, 4}, {6, 4}, {6, 6}, {4, 6}}})}));
  set.add("island", "", square(4.5, 4.5, 1));
  set.build();
  EXPECT_EQ(set.locate(5, 5), 1u);
  EXPECT_EQ(set.locate(4.2, 5), AreaSet::kNone);  // water between
  EXPECT_EQ(set.locate(1, 1), 0u);
}

TEST(AreaSet, MultiPolygonCoversAllItsParts) {
  AreaSet set;
  set.add("two", "",
          multi({polygon({{0, 0}, {1, 0}, {1, 1}, {0, 1}}),
                 polygon({{3, 0}, {4, 0}, {4, 1}, {3, 1}})}));
  set.build();
  EXPECT_EQ(set.locate(0.5, 0.5), 0u);
  EXPECT_EQ(set.locate(3.5, 0.5), 0u);
  EXPECT_EQ(set.locate(2.0, 0.5), AreaSet::kNone);
  EXPECT_DOUBLE_EQ(set[0].area_m2, 2.0);
}

TEST(AreaSet, OverlappingAreasFirstAddedWins) {
  AreaSet set;
  set.add("study", "", square(0, 0, 10));
  set.add("ward", "", square(2, 2, 2));
  set.build();
  EXPECT_EQ(set.locate(3, 3), 0u);
  AreaSet reversed;
  reversed.add("ward", "", square(2, 2, 2));
  reversed.add("study", "", square(0, 0, 10));
  reversed.build();
  EXPECT_EQ(reversed.locate(3, 3), 0u);
  EXPECT_EQ(reversed.locate(8, 8), 1u);
}

TEST(AreaSet, AddCorrectsOrientationAndClosure) {
  AreaSet set;
  // Counter-clockwise and not closed: add() makes it clockwise and closed.
  set.add("ccw", "", multi({polygon({{0, 0}, {2, 0}, {2, 2}, {0, 2}})}));
  set.build();
  EXPECT_DOUBLE_EQ(set[0].area_m2, 4.0);
  ASSERT_EQ(set[0].geometry[0].outer().size(), 5u);
  EXPECT_EQ(set.locate(1, 1), 0u);
  EXPECT_DOUBLE_EQ(set[0].bbox.max_corner().x(), 2.0);
}

TEST(AreaSet, FindCodeReturnsFirstAreaWithThatCode) {
  AreaSet set;
  set.add("E05010673", "Abbey Hill", square(0, 0, 1));
  set.add("E05010674", "Annesley", square(1, 0, 1));
  set.add("E05010673", "duplicate", square(2, 0, 1));
  set.build();
  EXPECT_EQ(set.find_code("E05010674"), 1u);
  EXPECT_EQ(set.find_code("E05010673"), 0u);
  EXPECT_FALSE(set.find_code("E0501067").has_value());
  EXPECT_EQ(set[1].name, "Annesley");
  EXPECT_EQ(set.size(), 3u);
  const Box b = set.bounds();
  EXPECT_EQ(b.min_corner().x(), 0.0);
  EXPECT_EQ(b.max_corner().x(), 3.0);
  EXPECT_EQ(b.max_corner().y(), 1.0);
}

TEST(AreaSet, InvalidGeometryIsAnsweredLikeCoveredBy) {
  AreaSet set;
  // A bow-tie: self-intersecting at (1, 1).
  set.add("bowtie", "", multi({polygon({{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}})}));
  set.add("square", "", square(3, 0, 1));
  set.build();
  EXPECT_EQ(set.grid_stats().slow_areas, 1u);
  for (const auto& [x, y] : std::vector<std::pair<double, double>>{
           {0.2, 1.0}, {1.8, 1.0}, {1.0, 0.2}, {1.0, 1.0}, {1.0, 1.8}, {3.5, 0.5}, {2.5, 0.5}})
    EXPECT_EQ(set.locate(x, y), brute_force(set, x, y)) << x << "," << y;
}

TEST(AreaSet, LocateManyMatchesLocateForAnyThreadCount) {
  const AreaSet set = four_squares();
  Rng rng(7);
  const std::size_t n = 100000;
  std::vector<double> x(n), y(n);
  for (std::size_t k = 0; k < n; ++k) {
    x[k] = rng.uniform(-0.5, 2.5);
    y[k] = rng.uniform(-0.5, 2.5);
  }
  std::vector<uint32_t> expected(n);
  for (std::size_t k = 0; k < n; ++k) expected[k] = set.locate(x[k], y[k]);
  for (unsigned threads : {0u, 1u, 2u, 3u, 8u}) {
    std::vector<uint32_t> out(n, 12345);
    set.locate_many(x, y, out, threads);
    EXPECT_EQ(out, expected) << threads << " threads";
  }
}

TEST(AreaSet, AutomaticGridSizeFollowsVertexCount) {
  AreaSet small = four_squares();  // 20 vertices: the minimum grid
  const auto g = small.grid_stats();
  EXPECT_NEAR(static_cast<double>(g.columns * g.rows),
              static_cast<double>(AreaSet::kMinAutoGridCells), 1000.0);
  EXPECT_LT(g.bytes, std::size_t{1} << 20);
}

TEST(AreaSet, GridStatsDescribeTheLookupGrid) {
  AreaSet set;
  set.add("a", "", square(0, 0, 1000));
  set.build(10000);
  const auto g = set.grid_stats();
  EXPECT_NEAR(static_cast<double>(g.columns * g.rows), 10000.0, 500.0);
  EXPECT_NEAR(g.cell_m, 10.0, 0.1);
  EXPECT_GT(g.mixed_cells, 0u);
  EXPECT_LT(g.mixed_cells, 1000u);  // only along the square's outline
  EXPECT_EQ(g.slow_areas, 0u);
  EXPECT_GE(g.bytes, g.columns * g.rows * 4);
}

// --- model-based: locate() == brute-force covered_by loop --------------------------

namespace {

// Random convex polygons (points on a circle at sorted random angles), some with
// a convex hole, scattered so that they overlap; at BNG-like coordinates.
AreaSet random_convex_set(Rng& rng, int count, double x0, double y0, double extent) {
  AreaSet set;
  for (int i = 0; i < count; ++i) {
    const double cx = x0 + rng.uniform(0, extent), cy = y0 + rng.uniform(0, extent);
    const double r = rng.uniform(0.02, 0.2) * extent;
    const auto k = 3 + static_cast<int>(rng.below(30));
    std::vector<double> angles(static_cast<std::size_t>(k));
    for (double& a : angles) a = rng.uniform(0, 2 * std::numbers::pi);
    std::sort(angles.begin(), angles.end());
    Polygon p;
    for (double a : angles) p.outer().emplace_back(cx + r * std::cos(a), cy + r * std::sin(a));
    if (rng.below(3) == 0) {
      p.inners().emplace_back();
      const double hr = r * 0.3;
      for (int h = 0; h < 6; ++h) {
        const double a = h * std::numbers::pi / 3;
        p.inners().back().emplace_back(cx + hr * std::cos(a), cy + hr * std::sin(a));
      }
    }
    set.add(label("c", static_cast<std::size_t>(i)), "", MultiPolygon{p});
  }
  return set;
}

// A partition of a square into n x n jittered quads sharing their vertices.
// Most areas are one quad; every 7th is a two-part multipolygon (with the quad
// two columns to its right); the first quad gets a hole with an island area in it.
AreaSet jittered_partition(Rng& rng, int n, double x0, double y0, double extent) {
  const double step = extent / n;
  std::vector<Point> v(static_cast<std::size_t>((n + 1) * (n + 1)));
  auto at = [&](int i, int j) -> Point& { return v[static_cast<std::size_t>(j * (n + 1) + i)]; };
  for (int j = 0; j <= n; ++j)
    for (int i = 0; i <= n; ++i) {
      const bool border_x = i == 0 || i == n, border_y = j == 0 || j == n;
      const double jx = border_x ? 0 : rng.uniform(-0.35, 0.35) * step;
      const double jy = border_y ? 0 : rng.uniform(-0.35, 0.35) * step;
      at(i, j) = Point(x0 + i * step + jx, y0 + j * step + jy);
    }
  auto quad = [&](int i, int j) {
    Polygon q;
    q.outer() = {at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)};
    return q;
  };
  AreaSet set;
  std::vector<bool> used(static_cast<std::size_t>(n * n), false);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const auto k = static_cast<std::size_t>(j * n + i);
      if (used[k]) continue;
      used[k] = true;
      MultiPolygon area{quad(i, j)};
      if (k == 0) {
        // A hole around the quad's centre (the quads are convex, jitter < 0.35).
        const double cx = x0 + 0.5 * step, cy = y0 + 0.5 * step, h = 0.1 * step;
        area[0].inners().push_back(Ring{{cx - h, cy - h},
                                        {cx - h, cy + h},
                                        {cx + h, cy + h},
                                        {cx + h, cy - h},
                                        {cx - h, cy - h}});
        set.add("island", "",
                MultiPolygon{Polygon{{{cx - h / 2, cy - h / 2},
                                      {cx + h / 2, cy - h / 2},
                                      {cx + h / 2, cy + h / 2},
                                      {cx - h / 2, cy + h / 2}}}});
      } else if (k % 7 == 3 && i + 2 < n && !used[k + 2]) {
        used[k + 2] = true;
        area.push_back(quad(i + 2, j));
      }
      set.add(label("q", k), "", std::move(area));
    }
  return set;
}

struct Probe {
  std::vector<double> x, y;
  std::vector<uint32_t> expected;  // brute_force() for each point

  void compute_expected(const AreaSet& set) {
    expected.clear();
    expected.reserve(x.size());
    for (std::size_t k = 0; k < x.size(); ++k) expected.push_back(brute_force(set, x[k], y[k]));
  }
};

// Random points over (and around) the bounds, plus points exactly on vertices,
// on edge midpoints, and very close to edges: where a fast test goes wrong.
Probe probes(const AreaSet& set, Rng& rng, std::size_t random_count) {
  Probe p;
  const Box b = set.bounds();
  const double w = b.max_corner().x() - b.min_corner().x();
  const double h = b.max_corner().y() - b.min_corner().y();
  for (std::size_t k = 0; k < random_count; ++k) {
    p.x.push_back(rng.uniform(b.min_corner().x() - 0.05 * w, b.max_corner().x() + 0.05 * w));
    p.y.push_back(rng.uniform(b.min_corner().y() - 0.05 * h, b.max_corner().y() + 0.05 * h));
  }
  for (const Area& a : set.areas())
    for (const Polygon& poly : a.geometry) {
      auto ring_probes = [&](const Ring& r) {
        for (std::size_t k = 0; k + 1 < r.size(); ++k) {
          const Point& s = r[k];
          const Point& e = r[k + 1];
          p.x.push_back(s.x());
          p.y.push_back(s.y());
          const double t = rng.uniform();
          p.x.push_back(s.x() + t * (e.x() - s.x()));
          p.y.push_back(s.y() + t * (e.y() - s.y()));
          for (double off : {1e-11, 1e-9, 1e-7, 1e-4}) {
            p.x.push_back(0.5 * (s.x() + e.x()) + off * (rng.uniform() - 0.5));
            p.y.push_back(0.5 * (s.y() + e.y()) + off * (rng.uniform() - 0.5));
          }
        }
      };
      ring_probes(poly.outer());
      for (const Ring& hole : poly.inners()) ring_probes(hole);
    }
  return p;
}

// Requires: p.compute_expected(set) was called for the same areas.
void expect_agreement(const AreaSet& set, const Probe& p, const std::string& what) {
  if (p.expected.size() != p.x.size()) {
    ADD_FAILURE() << what << ": compute_expected() first";
    return;
  }
  std::vector<uint32_t> got(p.x.size());
  set.locate_many(p.x, p.y, got, 2);
  std::size_t mismatches = 0;
  for (std::size_t k = 0; k < p.x.size(); ++k) {
    const uint32_t want = p.expected[k];
    if (got[k] != want && ++mismatches <= 10)
      ADD_FAILURE() << what << ": point " << k << " (" << std::setprecision(17) << p.x[k] << ", "
                    << p.y[k] << ") located in " << got[k] << ", covered_by says " << want;
  }
  EXPECT_EQ(mismatches, 0u) << what << ": " << p.x.size() << " points";
}

}  // namespace

// Each random set is checked against the brute force at several grid sizes: a
// single cell (everything goes through splits and leaves), coarse, fine, automatic.
TEST(AreaSetModel, RandomConvexPolygonsAgreeWithCoveredBy) {
  Rng rng(20240601);
  for (int round = 0; round < 2; ++round) {
    AreaSet set = random_convex_set(rng, 40, 450000, 350000, 5000);
    set.build();
    Probe p = probes(set, rng, 100000);
    p.compute_expected(set);
    for (const std::size_t cells :
         {std::size_t{1}, std::size_t{16}, std::size_t{4096}, AreaSet::kAutoGridCells}) {
      set.build(cells);
      // Coarse grids split their crowded cells: that path is tested too.
      if (cells != AreaSet::kAutoGridCells && cells <= 16) {
        EXPECT_GT(set.grid_stats().split_cells, 0u);
      }
      // A hexagonal hole can poke out of a thin triangle: those few areas are
      // invalid and take the covered_by path; the rest take the fast paths.
      EXPECT_LT(set.grid_stats().slow_areas, 10u);
      expect_agreement(set, p, label("convex, cells: ", cells));
    }
  }
}

TEST(AreaSetModel, JitteredPartitionAgreesWithCoveredBy) {
  Rng rng(77);
  for (int round = 0; round < 2; ++round) {
    AreaSet set = jittered_partition(rng, 20, 440000, 330000, 8000);
    set.build();
    Probe p = probes(set, rng, 100000);
    p.compute_expected(set);
    for (const std::size_t cells :
         {std::size_t{4}, std::size_t{64}, std::size_t{65536}, AreaSet::kAutoGridCells}) {
      set.build(cells);
      EXPECT_EQ(set.grid_stats().slow_areas, 0u);  // all valid: the fast paths
      if (cells != AreaSet::kAutoGridCells && cells <= 64) {
        EXPECT_GT(set.grid_stats().split_cells, 0u);
      }
      expect_agreement(set, p, label("partition, cells: ", cells));
    }
  }
}

TEST(AreaSetModel, SmallCoordinatesAgreeWithCoveredBy) {
  Rng rng(5);
  AreaSet set = jittered_partition(rng, 7, -3, -3, 6);
  set.build();
  Probe p = probes(set, rng, 50000);
  p.compute_expected(set);
  expect_agreement(set, p, "partition around the origin");
}

TEST(AreaSetModel, LatticeSquaresWithPointsOnEdgesAndVerticesAgreeWithCoveredBy) {
  // Unit squares on an integer lattice at BNG magnitudes: many probes lie exactly
  // on shared edges, on vertices where four squares meet, and on cell borders.
  AreaSet set;
  for (int j = 0; j < 10; ++j)
    for (int i = 0; i < 10; ++i)
      if ((i * 7 + j * 3) % 11 != 0)  // leave some holes in the lattice
        set.add(label("s", static_cast<std::size_t>(j * 10 + i)), "",
                square(450000.0 + i, 350000.0 + j, 1.0));
  Probe p;
  for (int j = -4; j <= 44; ++j)
    for (int i = -4; i <= 44; ++i) {
      p.x.push_back(450000.0 + 0.25 * i);
      p.y.push_back(350000.0 + 0.25 * j);
    }
  set.build();
  p.compute_expected(set);
  for (const std::size_t cells :
       {std::size_t{1}, std::size_t{100}, std::size_t{400}, AreaSet::kAutoGridCells}) {
    set.build(cells);
    expect_agreement(set, p, label("lattice, cells: ", cells));
  }
}
