#pragma once
// Near repeat analysis: the Knox test as Ratcliffe's Near Repeat Calculator (NRC)
// runs it. Does a burglary raise the risk nearby in the following days (the basis
// of cocooning)? Pairs of incidents are counted by distance band x time band and
// compared with what the same locations and the same dates give when the dates are
// shuffled among the locations.
//
//   NearRepeatOptions o;  o.space_bands_m = {100, 200, 300, 400};  o.time_bands_days = {7, 14, 21, 28};
//   NearRepeatTable r = near_repeat(t.x_m(), t.y_m(), t.day(), o).value();
//   r.at(1, 0).ratio;  r.at(1, 0).p;     // (0, 100] m x [0, 7] days
//   r.space_label(1);                    // "(0, 100]"
//
// Bands (every edge in metres or whole days, as given; every interval is stated):
// - space: "same location" [0, 0] (coincident points, distance exactly 0), then
//   (0, e1], (e1, e2], ..., (e_{k-1}, e_k], and "more than" (e_k, inf). Right-closed:
//   a pair exactly 100 m apart is in (0, 100]. The NRC prints "1 to 100", "101 to
//   200" and computes [a - 1, b); ours are exact, so a pair at 100.4 m is in
//   (100, 200].
// - time: [0, d1] (same day and up to d1 days apart), (d1, d2], ..., (d_{k-1}, d_k],
//   and "more than" (d_k, inf). Days are whole, so (7, 14] is 8 to 14 days apart
//   (the NRC's "8 to 14"; the NRC counts a 7-day pair in "8 to 14").
// - distance: Manhattan |dx| + |dy| (the NRC's default) or Euclidean, in metres.
// The statistic: O[s, t] = pairs (i < j) in space band s and time band t.
// Null (Knox, Monte Carlo): the dates are permuted among the fixed locations
// `iterations` times (Fisher-Yates; iteration r uses Rng(seed).stream(r), so the
// table is the same for any thread count), E_r[s, t] tabulated each time.
//   expected = mean_r E_r;  ratio = O / expected (Knox ratio; NaN when expected = 0);
//   p = (#{r: E_r >= O} + 1) / (R + 1)  (one-sided: more pairs than chance).
// With R = 999 the smallest p is 0.001; the NRC's "significance 0.05 <-> 20
// iterations" is the same rule. The "more than" space band is every pair beyond the
// last edge: counted as all pairs of the time band minus the pairs within the
// edge, so no all-pairs loop is needed (date permutation keeps the multiset of
// dates, hence the totals per time band).
// Cost: the pairs within the last space edge are found once through a bucket grid
// (PointIndex); the iterations run in batches of 8, each batch streaming the pairs
// once and classifying every pair for its 8 iterations in one SIMD register:
// O(n R + pairs x R / 8) time, 8 bytes per close pair, R x bands counts. 50,000
// burglaries with 999 iterations and 700,000 pairs within 500 m take about 1 s of
// CPU (BENCHMARKS.md, "Space-time analyses").
// Limits: incidents need days (police.uk has months only: refuse it before calling,
// the table reports no_days); times of day are ignored; the test says nothing about
// which pairs are near repeats, only how many more there are than chance.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/incidents/time.hpp"

namespace hotspot::core {

enum class DistanceMetric : uint8_t { manhattan, euclidean };
const char* distance_metric_name(DistanceMetric m);

struct NearRepeatOptions {
  std::vector<double> space_bands_m{100, 200, 300, 400};  // ascending upper edges, > 0
  std::vector<int32_t> time_bands_days{7, 14, 21, 28};    // ascending upper edges, >= 0
  DistanceMetric metric = DistanceMetric::manhattan;
  unsigned iterations = 999;  // 1 .. 99999 (99 - 999 usual)
  uint64_t seed = 1;
  unsigned threads = 0;  // 0 = all cores; the table does not depend on it
};

enum class NearRepeatError : uint8_t {
  too_few,       // fewer than 2 incidents
  no_days,       // an incident has no day (kNoDay: police.uk-style months only)
  not_finite,    // a coordinate is NaN or infinite
  bad_bands,     // no bands, edges not ascending, space edge <= 0, time edge < 0
  bad_iterations,
};
const char* describe(NearRepeatError e);

struct NearRepeatCell {
  double space_from_m = 0, space_to_m = 0;  // to = +inf for "more than"
  int32_t time_from_days = 0, time_to_days = 0;  // to = INT32_MAX for "more than"
  bool space_closed_left = false;  // [0, 0] for same location; (a, b] otherwise
  bool time_closed_left = false;   // [0, d1] for the first time band
  uint64_t observed = 0;
  double expected = 0;        // mean over iterations
  double expected_median = 0;
  double ratio = 0;           // observed / expected (NaN if expected = 0)
  double p = 1;               // (#{E >= O} + 1) / (R + 1)
  uint32_t ge = 0;            // #{E_r >= O}
};

struct NearRepeatTable {
  std::size_t space_bands = 0, time_bands = 0;  // including same-location and more-than bands
  std::vector<NearRepeatCell> cells;            // row-major: space band x time band
  uint64_t incidents = 0;
  uint64_t pairs = 0;             // n (n - 1) / 2
  uint64_t close_pairs = 0;       // pairs within the last space edge
  unsigned iterations = 0;
  uint64_t seed = 0;
  DistanceMetric metric = DistanceMetric::manhattan;
  int32_t first_day = 0, last_day = 0;

  [[nodiscard]] const NearRepeatCell& at(std::size_t s, std::size_t t) const { return cells[s * time_bands + t]; }
  // "[0, 0]", "(0, 100]", "(400, inf)"; "[0, 7]", "(7, 14]", "(28, inf)".
  [[nodiscard]] std::string space_label(std::size_t s) const;
  [[nodiscard]] std::string time_label(std::size_t t) const;
};

// Requires: x.size() == y.size() == day.size().
Result<NearRepeatTable, NearRepeatError> near_repeat(std::span<const double> x_m, std::span<const double> y_m,
                                                     std::span<const DayNumber> day, const NearRepeatOptions& options);

// A Markdown heat table for the report: rows = distance bands, columns = time
// bands, each cell "ratio" with a marker: ** for p <= 0.01, * for p <= 0.05, and
// the legend. Ratios >= 1.2 with p <= 0.05 are the NRC's "meaningful" pattern.
std::string near_repeat_markdown(const NearRepeatTable& t);

}  // namespace hotspot::core
