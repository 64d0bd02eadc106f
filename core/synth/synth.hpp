#pragma once
// synthesize(): deterministic synthetic incidents with a known truth, so every later
// analysis (hotspots, emerging hotspots, before/after evaluation) can be checked
// against what was planted.
//
// The model, month by month (each month has its own random stream, so the output is
// identical for any thread count):
// 1. The expected count is incidents_per_month x a yearly cycle
//    1 + a cos(2 pi (month - peak) / 12): peak in July for ASB, violence, disorder
//    and damage; in January for neighbourhood crime (burglary, robbery, vehicle);
//    other groups at a third of the amplitude. Each category's count is Poisson with
//    mean expected x its share of the mix.
// 2. Each incident comes from an active hotspot of its category with probability
//    equal to that hotspot's share (a 2-D Gaussian around its centre, sigma_m), else
//    from the background: a random population point (e.g. postcode centroids)
//    jittered by population_jitter_m, or uniform in the boundary when there are no
//    population points. Locations are redrawn until they fall inside the boundary.
// 3. With snap on, each location moves to the nearest population point, as
//    data.police.uk moves every crime to the nearest of its anonymous map points (so
//    coordinates repeat as they do in real data).
// 4. Effects: from the effect's month on, incidents of its categories inside the
//    target circle are removed with probability drop_pct/100, and incidents in the
//    ring (radius, radius + ring_m] are duplicated with probability displace_pct/100.
// Auto hotspots: hotspots_per_category per category, centred on random population
// points, sharing hotspot_share of the category; when there are 3 or more, the last
// one is "emerging": active only from the middle month of the period on.
//
//   SynthConfig cfg;  cfg.seed = 7;  cfg.first = month_index(2022, 4); ...
//   SynthTruth truth;
//   IncidentTable t = synthesize(cfg, Taxonomy::police_uk(), &truth);

#include <cstdint>
#include <string>
#include <vector>

#include "core/geo/geometry.hpp"
#include "core/incidents/incident_table.hpp"
#include "core/incidents/taxonomy.hpp"
#include "core/incidents/time.hpp"

namespace hotspot::core {

class AreaSet;

struct SynthHotspot {
  CategoryId category = 0;
  double x_m = 0, y_m = 0, sigma_m = 150;
  double share = 0.1;  // probability that an incident of the category comes from here
  MonthIndex from = 0, to = 0;  // active months, inclusive
  bool automatic = false;
};

struct SynthEffect {
  std::string name;
  std::vector<CategoryId> categories;  // empty = every category
  double x_m = 0, y_m = 0, radius_m = 100;
  MonthIndex from = 0;
  double drop_pct = 0;
  double ring_m = 0;
  double displace_pct = 0;
};

// A planted near-repeat process (off unless listed in SynthConfig::near_repeats):
// after the months are generated, every incident of `category` spawns, with
// probability `probability`, one follow-up of the same category 1..days days
// later (uniform) at a point within distance_m of it (uniform in the disc), or,
// with probability repeat_share, at the very same point (a repeat victimisation).
// Follow-ups after the last month or that cannot be placed inside the boundary in
// 50 draws are not added; they do not spawn follow-ups themselves. Each process has
// its own random stream, so the rest of the output is unchanged by it.
struct SynthNearRepeat {
  CategoryId category = 0;
  double probability = 0;
  double distance_m = 100;
  int days = 7;
  double repeat_share = 0;
};

struct SynthConfig {
  uint64_t seed = 1;
  MonthIndex first = 0, last = 0;  // inclusive
  double incidents_per_month = 1000;
  // When > 0: exactly this many incidents before effects, spread over months and
  // categories by the same weights (largest-remainder rounding) instead of Poisson.
  uint64_t total_rows = 0;
  std::vector<std::pair<CategoryId, double>> mix;  // shares, normalised internally; empty = a national-like mix
  const AreaSet* boundary = nullptr;  // incidents fall inside it; else inside `bbox`
  Box bbox{Point(0, 0), Point(0, 0)};
  std::vector<Point> population;      // background weighting points (may be empty)
  double population_jitter_m = 120;
  bool snap = false;                  // snap to the nearest population point
  int hotspots_per_category = 3;
  double hotspot_share = 0.35;
  double seasonality = 0.15;
  std::vector<SynthHotspot> hotspots;  // planted by hand, in addition to the automatic ones
  std::vector<SynthEffect> effects;
  std::vector<SynthNearRepeat> near_repeats;  // appended after the generated rows
  const AreaSet* area_codes = nullptr;  // assign each incident the code of its area (e.g. LSOA)
  unsigned threads = 0;
};

struct SynthEffectTruth {
  std::string name;
  // Final incidents (after the effect) of the effect's categories, by window:
  // before = months < from, after = months >= from.
  uint64_t target_before = 0, target_after = 0;
  uint64_t ring_before = 0, ring_after = 0;
  uint64_t removed = 0;    // incidents the effect removed from the target
  uint64_t displaced = 0;  // incidents the effect added to the ring
  int months_before = 0, months_after = 0;
};

struct SynthTruth {
  std::vector<SynthHotspot> hotspots;          // all, automatic ones included
  std::vector<uint64_t> hotspot_counts;        // incidents generated by each hotspot
  std::vector<SynthEffectTruth> effects;
  std::vector<uint64_t> category_counts;       // by category id
  uint64_t near_repeat_follow_ups = 0;         // rows added by SynthConfig::near_repeats
  uint64_t total = 0;
};

// The default mix: roughly England and Wales police.uk shares (ASB included).
std::vector<std::pair<CategoryId, double>> default_mix(const Taxonomy& taxonomy);

// Requires: first <= last, incidents_per_month >= 0, a boundary or a non-empty bbox.
IncidentTable synthesize(const SynthConfig& config, const Taxonomy& taxonomy, SynthTruth* truth = nullptr);

// A police.uk-like set of `n` anonymous map points inside `bbox`: towns with
// heavy-tailed sizes, points scattered around them. Deterministic in `seed`.
std::vector<Point> synthetic_map_points(const Box& bbox, std::size_t n, uint64_t seed);

}  // namespace hotspot::core
