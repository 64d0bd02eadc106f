// Benchmarks of issue 5, run by `scripts/bench.sh spacetime` (disabled in the normal
// suite; the script passes --gtest_also_run_disabled_tests). Each prints
// "BENCH <name> <seconds>" for the script to collect.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "core/base/random.hpp"
#include "core/grid/grid.hpp"
#include "core/incidents/taxonomy.hpp"
#include "core/stats/emerging.hpp"
#include "core/stats/near_repeat.hpp"
#include "core/synth/synth.hpp"

using namespace hotspot;
using namespace hotspot::core;

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

// 316 x 316 = 99,856 cells of 50 m x 36 months, Poisson counts with a rising block
// of cells; 250 m neighbourhood (80 neighbours), one month back, entire cube.
TEST(SpaceTimeBench, DISABLED_EmergingHotSpots100kCells36Months) {
  const Grid g =
      Grid::over_box({CellShape::square, 50, 0, 0}, Box(Point(400000, 300000), Point(415799.9, 315799.9))).value();
  ASSERT_EQ(g.size(), 99856u);
  const std::size_t periods = 36;
  Rng rng(5);
  std::vector<double> v(g.size() * periods);
  for (std::size_t t = 0; t < periods; ++t)
    for (uint32_t c = 0; c < g.size(); ++c) {
      const bool block = g.lattice_column(c) / 40 == 3 && g.lattice_row(c) / 40 == 5;
      v[t * g.size() + c] = static_cast<double>(rng.poisson(block ? 1.0 + 0.1 * static_cast<double>(t) : 1.0));
    }
  const auto t0 = std::chrono::steady_clock::now();
  const Weights w = Weights::grid_distance_band(g, 250);
  const EmergingResult r = emerging_hotspots(v, g.size(), w, {}).value();
  const double secs = seconds_since(t0);
  std::printf("BENCH ehsa_100k_36 %.3f\n", secs);
  std::printf("BENCH ehsa_100k_36_intensifying %zu\n",
              r.category_counts[static_cast<std::size_t>(EmergingCategory::intensifying_hot)] +
                  r.category_counts[static_cast<std::size_t>(EmergingCategory::consecutive_hot)]);
  EXPECT_GT(r.category_counts[static_cast<std::size_t>(EmergingCategory::no_pattern)], g.size() / 2);
}

// 50,000 burglaries in a year over a 45 x 45 km force area (about Nottinghamshire's
// size), with a planted near-repeat process; NRC-style bands, 999 iterations.
TEST(SpaceTimeBench, DISABLED_NearRepeat50kBurglaries999Iterations) {
  const Taxonomy tax = Taxonomy::police_uk();
  SynthConfig cfg;
  cfg.seed = 2024;
  cfg.first = month_index(2023, 1);
  cfg.last = month_index(2023, 12);
  cfg.bbox = Box(Point(430000, 330000), Point(475000, 375000));
  cfg.population = synthetic_map_points(cfg.bbox, 60000, 3);
  cfg.population_jitter_m = 150;
  cfg.total_rows = 45000;
  cfg.mix = {{*tax.find("Burglary"), 1.0}};
  cfg.near_repeats.push_back({*tax.find("Burglary"), 0.12, 200, 14, 0.2});
  SynthTruth truth;
  const IncidentTable t = synthesize(cfg, tax, &truth);
  std::printf("BENCH nr_incidents %zu\n", t.size());
  for (const double reach : {500.0, 1000.0}) {
    NearRepeatOptions o;
    o.space_bands_m.clear();
    for (double e = 100; e <= reach; e += 100) o.space_bands_m.push_back(e);
    o.time_bands_days = {7, 14, 21, 28};
    o.iterations = 999;
    o.seed = 1;
    const auto t0 = std::chrono::steady_clock::now();
    const NearRepeatTable r = near_repeat(t.x_m(), t.y_m(), t.day(), o).value();
    const double secs = seconds_since(t0);
    const int m = static_cast<int>(reach);
    std::printf("BENCH nr_50k_999_%dm %.3f\n", m, secs);
    std::printf("BENCH nr_50k_999_%dm_pairs %llu\n", m, static_cast<unsigned long long>(r.close_pairs));
    std::printf("BENCH nr_50k_999_%dm_ratio_close %.3f\n", m, r.at(1, 0).ratio);
    EXPECT_GT(r.at(1, 0).ratio, 1.5);
  }
}
