#pragma once
// Ratcliffe's hotspot matrix (Police Practice and Research 5(1), 2004): each hot
// spot gets a spatial type (dispersed / clustered / hotpoints) and a temporal type
// (diffused / focused / acute), whose combination suggests the tactic (e.g. a
// hotpoint-acute burglary spot: target hardening at a few addresses at one time of
// day). Times come from aoristic hour-of-week profiles: an incident known only to
// lie between "from" and "to" (a burglary discovered after a weekend away) spreads
// a weight of 1 over the hours of its window in proportion to the minutes of each
// hour it covers (Ratcliffe 2002, J. Quant. Criminol. 18(1)).
//
//   std::vector<MatrixHotspot> h = hotspot_matrix(grid, bins, cell_of, x, y, from, to, {});
//   spatial_pattern_name(h[0].spatial);  temporal_pattern_name(h[0].temporal);
//   h[0].hour_of_day;  h[0].peak_start_hour;  h[0].peak_hours;   // "50% between 18:00 and 22:00"
//
// Times: minutes since 1970-01-01 00:00 on the local clock (UK civil time as
// recorded, no zone arithmetic); a window is [from, to) with to > from; an exact
// time is [t, t + 1); a date without a time is the whole day. Hours of the week run
// from Monday 00:00 (hour 0) to Sunday 23:00 (hour 167). Windows of a week or more
// are spread evenly (they say nothing about the time).
// The paper leaves the cut-offs to the analyst; ours are MatrixOptions, documented:
// - hot spots: 8-connected groups (queen contiguity) of grid cells whose Gi_Bin >=
//   min_bin (2: hot at 95 % or more after FDR);
// - spatial: hotpoints when the hotpoint_locations busiest distinct locations
//   (coincident coordinates: one address) hold >= hotpoint_share of the hot spot's
//   incidents; else clustered when the distinct locations' Clark-Evans nearest
//   neighbour index over the hot spot's cell area is significantly below 1
//   (z <= -clustered_z; R = mean NN distance / (0.5 sqrt(A / n)),
//   SE = 0.26136 / sqrt(n^2 / A)); else dispersed;
// - temporal (hour-of-day profile, 24 h, circular): the shortest run of whole hours
//   holding >= window_share of the weight; acute when it is <= acute_hours long,
//   focused when <= focused_hours, else diffused (an even spread needs 12 h for 50 %).
// Hot spots with fewer than min_incidents incidents get no types (too few to say).
// Limits: no edge correction in the nearest neighbour index; hour profiles ignore
// British Summer Time changes (clock times are taken as recorded).

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace hotspot::core {

class Grid;

inline constexpr int64_t kMinutesPerDay = 1440;
inline constexpr int64_t kMinutesPerWeek = 7 * kMinutesPerDay;
using HourOfWeek = std::array<double, 168>;
using HourOfDay = std::array<double, 24>;

// Hour of the week (0 = Monday 00:00-00:59) of a minute since 1970-01-01 (a Thursday).
int hour_of_week(int64_t minute);
// Adds `weight` spread over [from, to) to `profile` (see the header comment).
// Requires: to > from.
void add_aoristic(int64_t from_minute, int64_t to_minute, HourOfWeek& profile, double weight = 1.0);
HourOfDay hour_of_day(const HourOfWeek& profile);

enum class SpatialPattern : uint8_t { dispersed, clustered, hotpoints, unclassified };
enum class TemporalPattern : uint8_t { diffused, focused, acute, unclassified };
const char* spatial_pattern_name(SpatialPattern p);    // "dispersed", ...
const char* temporal_pattern_name(TemporalPattern p);  // "diffused", ...

struct MatrixOptions {
  int min_bin = 2;
  double hotpoint_share = 0.5;
  unsigned hotpoint_locations = 3;
  double clustered_z = 1.96;
  double window_share = 0.5;
  int acute_hours = 3;
  int focused_hours = 8;
  std::size_t min_incidents = 10;
};

// The shortest circular run of hours holding >= share of the day's weight.
struct PeakWindow {
  int start_hour = 0;   // 0..23
  int hours = 24;       // 1..24
  double share = 1.0;   // of the weight it holds
};
PeakWindow peak_window(const HourOfDay& profile, double share);
TemporalPattern classify_temporal(const HourOfDay& profile, const MatrixOptions& options);

struct SpatialMeasures {
  std::size_t incidents = 0, locations = 0;
  double top_share = 0;     // share of incidents at the hotpoint_locations busiest locations
  double nni = 0, nni_z = 0;  // Clark-Evans over the distinct locations (NaN with < 2 locations)
};
// area_m2: the hot spot's area (its cells). Returns the measures and the type.
SpatialPattern classify_spatial(std::span<const double> x_m, std::span<const double> y_m, double area_m2,
                                const MatrixOptions& options, SpatialMeasures* measures = nullptr);

struct MatrixHotspot {
  std::vector<uint32_t> cells;   // grid cell indexes, ascending
  double x_m = 0, y_m = 0;       // mean of the cell centres
  double area_m2 = 0;
  SpatialMeasures measures;
  SpatialPattern spatial = SpatialPattern::unclassified;
  TemporalPattern temporal = TemporalPattern::unclassified;
  HourOfWeek hour_of_week{};
  HourOfDay hour_of_day{};
  PeakWindow peak;
  std::size_t timed = 0;         // incidents with a usable time window
};

// Hot spots of `grid` from per-cell bins (Gi_Bin, -3..3), with their incidents
// (cell[i] = the incident's grid cell or kNoZone) and time windows. from/to may be
// empty (no times: temporal = unclassified). Ordered by incidents, most first.
// Requires: bins.size() == grid.size(); cell, x, y (and from, to when given) of equal length.
std::vector<MatrixHotspot> hotspot_matrix(const Grid& grid, std::span<const int8_t> bins,
                                          std::span<const uint32_t> cell, std::span<const double> x_m,
                                          std::span<const double> y_m, std::span<const int64_t> from_minute,
                                          std::span<const int64_t> to_minute, const MatrixOptions& options = {});

}  // namespace hotspot::core
