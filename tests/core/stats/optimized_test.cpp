#include "core/stats/optimized.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/incidents/taxonomy.hpp"
#include "core/synth/synth.hpp"

using namespace hotspot;
using namespace hotspot::core;

namespace {
SynthConfig base(uint64_t seed) {
  SynthConfig c;
  c.seed = seed;
  c.first = month_index(2023, 1);
  c.last = month_index(2023, 12);
  c.total_rows = 6000;
  c.bbox = Box(Point(440000, 340000), Point(452000, 352000));
  c.hotspots_per_category = 0;
  c.threads = 1;
  return c;
}
}  // namespace

// Planted truth: on synthetic incidents with known hotspots, Gi* + FDR finds the
// cells within one sigma of each planted centre (recall >= 0.9).
TEST(OptimizedHotspots, FindsPlantedHotspots) {
  const Taxonomy tax = Taxonomy::police_uk();
  SynthConfig c = base(2024);
  const CategoryId burglary = *tax.find("Burglary");
  c.mix = {{burglary, 1.0}};
  c.hotspots = {{burglary, 443000, 344000, 250, 0.08, c.first, c.last, false},
                {burglary, 448000, 349000, 250, 0.08, c.first, c.last, false},
                {burglary, 450000, 342500, 300, 0.08, c.first, c.last, false}};
  SynthTruth truth;
  const IncidentTable t = synthesize(c, tax, &truth);
  OptimizedOptions o;
  o.cell_m = 200;
  o.band_m = 500;
  const OptimizedResult r = grid_hotspots(t.x_m(), t.y_m(), o).value();
  std::size_t planted = 0, found = 0;
  for (uint32_t i = 0; i < r.grid.size(); ++i)
    for (const auto& h : truth.hotspots)
      if (std::hypot(r.grid.centre_x(i) - h.x_m, r.grid.centre_y(i) - h.y_m) <= h.sigma_m) {
        ++planted;
        found += r.bins[i] > 0;
      }
  ASSERT_GT(planted, 10u);
  EXPECT_GE(static_cast<double>(found) / static_cast<double>(planted), 0.9) << found << " of " << planted;
  // The data-driven path finds them too and explains itself.
  const OptimizedResult auto_r = optimized_hotspots(t.x_m(), t.y_m(), {}).value();
  EXPECT_GT(auto_r.hot, 0u);
  EXPECT_GT(auto_r.cell_m, 0);
  EXPECT_GT(auto_r.band_m, 0);
  EXPECT_GE(auto_r.decisions.size(), 6u);
  EXPECT_FALSE(auto_r.band_rule.empty());
}

// Pure background (uniform incidents, a boundary box keeping every cell): with
// BH at 95% every discovery is false, so the share of runs with any discovery
// estimates the FDR; it must stay at or below the nominal 5% (with sampling slack).
TEST(OptimizedHotspots, FalseDiscoveriesInPureBackgroundStayAtTheNominalRate) {
  const Taxonomy tax = Taxonomy::police_uk();
  int runs_with_discoveries = 0;
  const int runs = 20;
  std::size_t cells = 0, flagged = 0;
  for (int s = 0; s < runs; ++s) {
    SynthConfig c = base(100 + static_cast<uint64_t>(s));
    c.total_rows = 4000;
    const IncidentTable t = synthesize(c, tax);
    OptimizedOptions o;
    o.cell_m = 400;
    o.band_m = 900;
    const OptimizedResult r = grid_hotspots(t.x_m(), t.y_m(), o).value();
    std::size_t d = 0;
    for (std::size_t i = 0; i < r.bins.size(); ++i) d += std::abs(r.bins[i]) >= 2;
    cells += r.bins.size();
    flagged += d;
    runs_with_discoveries += d > 0;
  }
  EXPECT_LE(runs_with_discoveries, 2) << "of " << runs;
  EXPECT_LE(static_cast<double>(flagged) / static_cast<double>(cells), 0.01);
}

TEST(OptimizedHotspots, TooFewIncidentsIsAnError) {
  const std::vector<double> x(10, 1.0), y(10, 2.0);
  EXPECT_EQ(optimized_hotspots(x, y, {}).error().code, OptimizedError::too_few_incidents);
}
