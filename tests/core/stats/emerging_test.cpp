#include "core/stats/emerging.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/base/random.hpp"
#include "core/grid/counts.hpp"
#include "core/grid/grid.hpp"
#include "core/incidents/taxonomy.hpp"
#include "core/synth/synth.hpp"

using namespace hotspot;
using namespace hotspot::core;

namespace {

// A small square grid over a box and a random Poisson cube on it.
Grid box_grid(int columns, int rows, double cell_m) {
  return Grid::over_box({CellShape::square, cell_m, 0, 0},
                        Box(Point(0, 0), Point(columns * cell_m - 1, rows * cell_m - 1)))
      .value();
}
std::vector<double> random_cube(std::size_t cells, std::size_t periods, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> v(cells * periods);
  for (auto& x : v) x = static_cast<double>(rng.poisson(2.0 + 3.0 * rng.uniform()));
  return v;
}

// States from a picture: H significant hot, C significant cold, '.' neither.
std::vector<int8_t> states(const std::string& s) {
  std::vector<int8_t> v;
  for (char c : s) v.push_back(c == 'H' ? 1 : (c == 'C' ? -1 : 0));
  return v;
}
// A Gi* z series consistent with the states (+-2.5, 0) plus a trend: "up" rises
// 0.05 per period, "down" falls, "flat" wobbles with no trend.
std::vector<double> z_series(const std::string& s, const std::string& trend) {
  std::vector<double> z;
  for (std::size_t t = 0; t < s.size(); ++t) {
    const double base = s[t] == 'H' ? 2.5 : (s[t] == 'C' ? -2.5 : 0.0);
    const double tt = static_cast<double>(t);
    z.push_back(base + (trend == "up" ? 0.05 * tt : trend == "down" ? -0.05 * tt : 0.05 * static_cast<double>(t % 2)));
  }
  return z;
}

struct CategoryCase {
  const char* name;
  const char* picture;  // 20 periods, oldest first
  const char* trend;
  EmergingCategory expected;
};

class EmergingCategories : public ::testing::TestWithParam<CategoryCase> {};

}  // namespace

// Each of the 17 categories from a constructed series, plus the precedence rules
// where Esri's wordings overlap (emerging.hpp, rule 4).
TEST_P(EmergingCategories, ConstructedSeriesLandsInItsCategory) {
  const CategoryCase& c = GetParam();
  const auto st = states(c.picture);
  ASSERT_EQ(st.size(), 20u);
  const MannKendall mk = mann_kendall(z_series(c.picture, c.trend));
  EXPECT_EQ(emerging_category_name(classify_emerging(st, mk, 0.05)), std::string(emerging_category_name(c.expected)))
      << c.picture << " trend " << c.trend << " (MK z " << mk.z << ", p " << mk.p << ")";
}

INSTANTIATE_TEST_SUITE_P(
    Esri, EmergingCategories,
    ::testing::Values(
        CategoryCase{"NoPatternDetected", "....................", "flat", EmergingCategory::no_pattern},
        CategoryCase{"NewHotSpot", "...................H", "flat", EmergingCategory::new_hot},
        CategoryCase{"ConsecutiveHotSpot", "................HHHH", "flat", EmergingCategory::consecutive_hot},
        CategoryCase{"IntensifyingHotSpot", "HHHHHHHHHHHHHHHHHHHH", "up", EmergingCategory::intensifying_hot},
        CategoryCase{"PersistentHotSpot", "HHHHHHHHH.HHHHHHHHHH", "flat", EmergingCategory::persistent_hot},
        CategoryCase{"DiminishingHotSpot", "HHHHHHHHHHHHHHHHHHHH", "down", EmergingCategory::diminishing_hot},
        CategoryCase{"SporadicHotSpot", "..H...H.....HH.....H", "flat", EmergingCategory::sporadic_hot},
        CategoryCase{"OscillatingHotSpot", "..C.....H.......H..H", "flat", EmergingCategory::oscillating_hot},
        CategoryCase{"HistoricalHotSpot", "HHHHHHHHHHHHHHHHHHH.", "flat", EmergingCategory::historical_hot},
        CategoryCase{"NewColdSpot", "...................C", "flat", EmergingCategory::new_cold},
        CategoryCase{"ConsecutiveColdSpot", "...............CCCCC", "flat", EmergingCategory::consecutive_cold},
        CategoryCase{"IntensifyingColdSpot", "CCCCCCCCCCCCCCCCCCCC", "down", EmergingCategory::intensifying_cold},
        CategoryCase{"PersistentColdSpot", "CCCC.CCCCCCCCCCCCCCC", "flat", EmergingCategory::persistent_cold},
        CategoryCase{"DiminishingColdSpot", "CCCCCCCCCCCCCCCCCCCC", "up", EmergingCategory::diminishing_cold},
        CategoryCase{"SporadicColdSpot", ".C...C..CC.......C.C", "flat", EmergingCategory::sporadic_cold},
        CategoryCase{"OscillatingColdSpot", "H......C...H.......C", "flat", EmergingCategory::oscillating_cold},
        CategoryCase{"HistoricalColdSpot", "CCCCCCCCCCCCCCCCCCC.", "flat", EmergingCategory::historical_cold},
        // Precedence and edge rules.
        CategoryCase{"ColdHistoryMakesNewHotOscillating", "C..................H", "flat",
                     EmergingCategory::oscillating_hot},
        CategoryCase{"ConsecutiveNeedsNoEarlierHot", "H...............HHHH", "flat", EmergingCategory::sporadic_hot},
        CategoryCase{"SporadicNeedsFinalHot", "..H..H..H...........", "flat", EmergingCategory::no_pattern},
        CategoryCase{"NinetyPercentHotThenColdIsColdSide", "HHHHHHHHHHHHHHHHHHHC", "flat",
                     EmergingCategory::oscillating_cold},
        CategoryCase{"EightyFivePercentIsNotPersistent", "HHH.HHH.HHH.HHHHHHHH", "flat", EmergingCategory::sporadic_hot},
        CategoryCase{"PersistentWithoutFinalIsHistorical", "HHHHHHHHHHHHHHHHHHH.", "up",
                     EmergingCategory::historical_hot}),
    [](const ::testing::TestParamInfo<CategoryCase>& case_info) { return std::string(case_info.param.name); });

TEST(EmergingHotspots, EveryCategoryHasEsrisName) {
  EXPECT_STREQ(emerging_category_name(EmergingCategory::no_pattern), "No Pattern Detected");
  EXPECT_STREQ(emerging_category_name(EmergingCategory::oscillating_hot), "Oscillating Hot Spot");
  EXPECT_STREQ(emerging_category_name(EmergingCategory::historical_cold), "Historical Cold Spot");
  for (std::size_t k = 1; k < kEmergingCategories; ++k) {
    const std::string n = emerging_category_name(static_cast<EmergingCategory>(k));
    EXPECT_TRUE(n.ends_with(" Hot Spot") || n.ends_with(" Cold Spot")) << n;
  }
}

// Simple mode (sfhotspot's rules), 10 periods: recent = the last 2.
TEST(EmergingHotspots, SimpleClassifierRules) {
  const SimpleOptions o;
  EXPECT_EQ(classify_simple(states("HHHHHHHH.."), o), SimpleCategory::persistent_hot);
  EXPECT_EQ(classify_simple(states("........HH"), o), SimpleCategory::emerging_hot);
  EXPECT_EQ(classify_simple(states("HHH......."), o), SimpleCategory::former_hot);
  EXPECT_EQ(classify_simple(states("..H....H.H"), o), SimpleCategory::intermittent_hot);
  EXPECT_EQ(classify_simple(states("CCCCCCCCCC"), o), SimpleCategory::persistent_cold);
  EXPECT_EQ(classify_simple(states("HH.......C"), o), SimpleCategory::mixed);
  EXPECT_EQ(classify_simple(states(".........."), o), SimpleCategory::no_pattern);
  EXPECT_STREQ(simple_category_name(SimpleCategory::emerging_hot), "emerging hot spot");
}

// Model check: with the entire cube as the global window, the space-time Gi* of
// every bin equals gistar() on Weights::space_time() (explicit lists), for
// lattice weights and for CSR weights.
TEST(EmergingHotspots, EntireCubeEqualsGiStarOnSpaceTimeWeights) {
  const Grid g = box_grid(9, 7, 100);
  const std::size_t periods = 8;
  const std::vector<double> v = random_cube(g.size(), periods, 5);
  for (const Weights& w : {Weights::grid_distance_band(g, 150), Weights::distance_band(g.centres_x(), g.centres_y(), 230)}) {
    for (unsigned window : {0u, 1u, 3u}) {
      EmergingOptions o;
      o.time_window = window;
      const EmergingResult r = emerging_hotspots(v, g.size(), w, o).value();
      const GiStar ref = gistar(v, Weights::space_time(w, periods, window)).value();
      ASSERT_EQ(r.z.size(), ref.z.size());
      for (std::size_t i = 0; i < r.z.size(); ++i) {
        ASSERT_NEAR(r.z[i], ref.z[i], 1e-12) << "bin " << i << " window " << window;
        ASSERT_NEAR(r.p[i], ref.p[i], 1e-12) << "bin " << i;
      }
    }
  }
}

// Individual time step with no look-back is plain Gi* on each period's slice.
TEST(EmergingHotspots, IndividualTimeStepWithoutLookBackIsGiStarPerPeriod) {
  const Grid g = box_grid(8, 8, 50);
  const std::size_t periods = 5;
  const std::vector<double> v = random_cube(g.size(), periods, 11);
  const Weights w = Weights::grid_distance_band(g, 75);
  EmergingOptions o;
  o.time_window = 0;
  o.global_window = GlobalWindow::individual_time_step;
  const EmergingResult r = emerging_hotspots(v, g.size(), w, o).value();
  for (std::size_t t = 0; t < periods; ++t) {
    const std::vector<double> slice(v.begin() + static_cast<std::ptrdiff_t>(t * g.size()),
                                    v.begin() + static_cast<std::ptrdiff_t>((t + 1) * g.size()));
    const GiStar ref = gistar(slice, w).value();
    const std::vector<double> q = fdr_adjust(ref.p);
    for (std::size_t c = 0; c < g.size(); ++c) {
      ASSERT_NEAR(r.z[t * g.size() + c], ref.z[c], 1e-12);
      ASSERT_NEAR(r.p_fdr[t * g.size() + c], q[c], 1e-12);
    }
  }
}

TEST(EmergingHotspots, SameResultForAnyThreadCount) {
  const Grid g = box_grid(60, 40, 100);
  const std::vector<double> v = random_cube(g.size(), 12, 3);
  const Weights w = Weights::grid_distance_band(g, 250);
  EmergingOptions a, b;
  a.threads = 1;
  b.threads = 2;
  const EmergingResult ra = emerging_hotspots(v, g.size(), w, a).value();
  const EmergingResult rb = emerging_hotspots(v, g.size(), w, b).value();
  EXPECT_EQ(ra.z, rb.z);
  EXPECT_EQ(ra.p_fdr, rb.p_fdr);
  EXPECT_EQ(ra.category, rb.category);
}

TEST(EmergingHotspots, ErrorsAreValues) {
  const Grid g = box_grid(4, 4, 100);
  const Weights w = Weights::grid_distance_band(g, 150);
  EXPECT_EQ(emerging_hotspots(std::vector<double>(16 * 3 + 1, 1.0), 16, w).error().code, StatsError::size_mismatch);
  EXPECT_EQ(emerging_hotspots(std::vector<double>(16, 1.0), 16, w).error().code, StatsError::too_few);
  EXPECT_EQ(emerging_hotspots(std::vector<double>(48, 2.0), 16, w).error().code, StatsError::zero_variance);
  std::vector<double> bad(48, 1.0);
  bad[7] = std::nan("");
  EXPECT_EQ(emerging_hotspots(bad, 16, w).error().code, StatsError::not_finite);
}

// FDR is applied within each period (so the background is not called sporadic
// hot spots by chance): a cube of pure noise gives almost no significant bins.
TEST(EmergingHotspots, NoiseGivesNoPatternAfterFdr) {
  const Grid g = box_grid(50, 50, 100);
  Rng rng(17);
  std::vector<double> v(g.size() * 24);
  for (auto& x : v) x = static_cast<double>(rng.poisson(3.0));
  const EmergingResult r = emerging_hotspots(v, g.size(), Weights::grid_distance_band(g, 150)).value();
  const std::size_t none = r.category_counts[static_cast<std::size_t>(EmergingCategory::no_pattern)];
  EXPECT_GE(none, g.size() * 99 / 100) << "noise flagged as patterns";
}

// The planted truth: synthesize() plants three burglary hot spots, the last active
// only from the middle month on. Over 36 months, its centre cell must be an
// emerging pattern (Consecutive Hot Spot: hot without a break from the middle on,
// never before) with a rising count trend, and the two others Persistent or
// Intensifying Hot Spots.
TEST(EmergingHotspots, PlantedEmergingHotspotInSynthDataIsFound) {
  const Taxonomy tax = Taxonomy::police_uk();
  SynthConfig cfg;
  cfg.seed = 42;
  cfg.first = month_index(2022, 4);
  cfg.last = month_index(2025, 3);
  cfg.bbox = Box(Point(440000, 350000), Point(450000, 360000));
  cfg.incidents_per_month = 1500;
  cfg.mix = {{*tax.find("Burglary"), 1.0}};
  cfg.hotspots_per_category = 3;
  SynthTruth truth;
  const IncidentTable t = synthesize(cfg, tax, &truth);
  const Grid g = Grid::over_box({CellShape::square, 200, 0, 0}, cfg.bbox).value();
  std::vector<uint32_t> cell(t.size());
  g.locate_many(t.x_m(), t.y_m(), cell);
  const auto ge = emerging_on_grid(g, cell, t.month(), PeriodScheme::months(cfg.first, cfg.last), 400).value();
  const EmergingResult& r = ge.result;
  ASSERT_EQ(r.periods, 36u);
  ASSERT_EQ(truth.hotspots.size(), 3u);
  const MonthIndex mid = cfg.first + 18;
  for (const SynthHotspot& h : truth.hotspots) {
    const uint32_t c = g.locate(h.x_m, h.y_m);
    ASSERT_NE(c, Grid::kNone);
    const std::string name = emerging_category_name(r.category[c]);
    if (h.from == mid) {
      EXPECT_EQ(name, "Consecutive Hot Spot") << "hot periods " << r.hot_periods[c];
      EXPECT_GE(r.hot_periods[c], 16u);
      EXPECT_LE(r.hot_periods[c], 20u);
      EXPECT_GT(r.count_trend[c].z, 3.0);
      EXPECT_GT(r.trend[c].z, 3.0);
    } else {
      EXPECT_TRUE(name == "Persistent Hot Spot" || name == "Intensifying Hot Spot" ||
                  name == "Diminishing Hot Spot") << name;
    }
  }
  // Far from every hot spot the background shows no pattern.
  std::size_t none = r.category_counts[static_cast<std::size_t>(EmergingCategory::no_pattern)];
  EXPECT_GT(none, g.size() * 8 / 10);
}
