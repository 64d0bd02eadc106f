#pragma once
// Ranking target areas for a tasking meeting: cells, wards, LSOAs or any polygon
// layer ("units") ranked by a transparent score whose parts are all shown.
//
//   RankInput in;
//   in.ids = {"E05012345", ...};              // one per unit, unique
//   in.count = {42, 17, ...};                 // incidents in the ranking window
//   in.harm_days = harm_per_unit(unit_of_incident, table.category(), weights, units);
//   in.denominator = population;              // optional: rate per 1 000
//   in.gi_bin = bins;                         // optional: Gi* bin -3..3
//   in.emerging = categories;                 // optional: EHSA category
//   Result<Ranking, RankError> r = rank_units(in, {});
//   for (const RankedUnit& u : r->units) std::cout << u.rank << ' ' << in.ids[u.unit] << ' ' << u.score << '\n';
//
// The score (every part is reported, so a meeting can see why a unit is on top):
//   score = w_count   * pct(count)
//         + w_rate    * pct(count / denominator)          (only with a denominator)
//         + w_harm    * pct(harm_days)                    (only with harm)
//         + w_hotspot * max(0, gi_bin) / 3                (only with Gi* bins)
//         + w_emerging* emerging_weight(category)         (only with EHSA categories)
//   pct(v) is the percentile rank of v among all units: the share of units whose
//   value is strictly lower (0 for the lowest, < 1 for the highest; ties share a
//   value), so parts on different scales (counts, rates, sentencing days) are
//   comparable and one extreme unit cannot flatten the others. Each part lies in
//   [0, weight]; the score in [0, sum of the weights used].
//   emerging_weight: New, Consecutive, Intensifying, Persistent Hot Spot 1.0;
//   Sporadic and Oscillating Hot Spot 0.5; Diminishing Hot Spot 0.5; Historical
//   Hot Spot 0.25; every cold spot and "No Pattern Detected" 0.
// Order: score descending, then id ascending (byte order), so ties and reruns are
// stable. A unit with a zero or missing denominator gets rate NaN and rate part 0
// (listed in Ranking::no_denominator).
//
// Harm (Cambridge Crime Harm Index style, Sherman, Neyroud & Neyroud 2016, Policing
// 10(3):171-183): each incident weighs the days of imprisonment at the Sentencing
// Council (England and Wales) guideline starting point for a first offender.
// default_harm_weights() holds a table per police.uk crime type PREPARED FOR HOTSPOT
// in that style (see ranking.cpp for the offence and starting point behind each
// row); it is NOT the published CCHI spreadsheet (700+ offence codes, which
// police.uk's 14 broad types cannot be mapped onto exactly). Non-custodial starting
// points (fines, community orders) and ASB (not a crime) weigh a nominal 1 day so
// they still count. Partnerships with their force's CCHI values put them in the
// study file ([rank.harm]) and they replace the defaults.
//
// Limits: percentile ranks hide how far apart units are (the count, rate and harm
// themselves are reported beside them); small denominators make rates noisy (use
// RankOptions::min_denominator); a Gi* bin says a unit sits in a cluster, not that
// the unit itself is high.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/incidents/taxonomy.hpp"
#include "core/stats/emerging.hpp"

namespace hotspot::core {

// One harm weight: a category (exact name as in the Taxonomy, case-insensitive, or
// its slug) and its weight in days.
struct HarmWeight {
  std::string category;
  double days = 1.0;
  std::string basis;  // the offence and starting point behind the value (for reports)
};

// The documented default weights, one per current police.uk crime type, in
// kPoliceUkTypes order. See the header comment for the source.
std::vector<HarmWeight> default_harm_weights();
// Where the default table comes from, in one sentence (for reports and --json).
const char* default_harm_source();

// Weight in days per CategoryId of `taxonomy`: `overrides` (from the study file)
// first, then the defaults, then `unknown_days` (local categories with no weight).
// Names that match no category are returned in `unmatched` (the caller reports them).
struct HarmLookup {
  std::vector<double> days_by_category;  // index: CategoryId
  std::vector<std::string> unmatched;    // override names that match no category
};
HarmLookup harm_lookup(const Taxonomy& taxonomy, std::span<const HarmWeight> overrides,
                       double unknown_days = 1.0);

// Harm per unit: the sum of days_by_category[category[i]] over incidents i with
// unit_of_incident[i] == u. Incidents with unit kNoUnit are skipped.
// Requires: unit_of_incident.size() == category.size(); every unit < units or kNoUnit;
// every category < days_by_category.size().
inline constexpr uint32_t kNoUnit = 0xFFFFFFFFu;
std::vector<double> harm_per_unit(std::span<const uint32_t> unit_of_incident,
                                  std::span<const CategoryId> category,
                                  std::span<const double> days_by_category, std::size_t units);
// Incidents per unit (the same skipping rule).
std::vector<double> count_per_unit(std::span<const uint32_t> unit_of_incident, std::size_t units);

// The weight of an emerging hot spot category in the score (see the header comment).
double emerging_weight(EmergingCategory c);

// Everything known per unit. Optional columns are empty when unknown.
// Requires: every non-empty column has ids.size() entries.
struct RankInput {
  std::vector<std::string> ids;             // unique unit ids (cell id, ward code, ...)
  std::vector<std::string> names;           // optional display names
  std::vector<double> count;                // incidents (required)
  std::vector<double> harm_days;            // optional: harm in sentencing days
  std::vector<double> denominator;          // optional: population, households, ...
  std::vector<int8_t> gi_bin;               // optional: Gi* confidence bin -3..3
  std::vector<EmergingCategory> emerging;   // optional: EHSA category
};

struct RankWeights {
  double count = 1.0, rate = 1.0, harm = 1.0, hotspot = 1.0, emerging = 1.0;
};

struct RankOptions {
  RankWeights weights;
  double rate_per = 1000.0;        // rate = count / denominator * rate_per
  double min_denominator = 0.0;    // denominators below this give no rate (NaN)
  std::size_t top_n = 0;           // 0 = keep every unit in Ranking::units
};

enum class RankError : uint8_t {
  empty,          // no units
  size_mismatch,  // an optional column has the wrong length
  duplicate_id,   // two units share an id
  bad_value,      // a negative or non-finite count / harm / denominator, a bin outside -3..3
};
const char* describe(RankError e);

// One ranked unit with every part of its score.
struct RankedUnit {
  uint32_t unit = 0;     // index into RankInput
  uint32_t rank = 0;     // 1-based
  double count = 0;
  double rate = 0;       // NaN without a denominator
  double harm_days = 0;  // NaN without harm
  int8_t gi_bin = 0;
  EmergingCategory emerging = EmergingCategory::no_pattern;
  // Parts of the score (each in [0, weight]) and their sum.
  double count_part = 0, rate_part = 0, harm_part = 0, hotspot_part = 0, emerging_part = 0;
  double score = 0;
  // Why, in words, the strongest reasons first: "99% Gi* hot spot; Intensifying Hot
  // Spot; 42 incidents (top 3%); harm 1 234 days (top 5%)".
  std::string reasons;
};

struct Ranking {
  std::vector<RankedUnit> units;  // ranked order (top_n first ones when top_n > 0)
  std::size_t total_units = 0;
  bool has_rate = false, has_harm = false, has_hotspot = false, has_emerging = false;
  std::vector<uint32_t> no_denominator;  // units whose rate is NaN although a denominator was given
};

// See the header comment. Deterministic: the same input gives the same order.
Result<Ranking, RankError> rank_units(const RankInput& input, const RankOptions& options = {});

}  // namespace hotspot::core
