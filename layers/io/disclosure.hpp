#pragma once
// Disclosure control for public exports: what a partnership may publish on a web
// map or an open-data portal without identifying victims or places.
//
//   DisclosureRules rules{.public_release = true, .min_count = 5, .point_precision_m = 250};
//   FeatureSet wards = read_features("study.gpkg", {.layer = "wards_counts"});
//   DisclosureReport r = apply_disclosure(wards, rules);   // in place
//   // every published count of `wards` is now >= 5 or NULL
//
// Private exports (public_release = false) keep everything: apply_disclosure()
// changes nothing and reports nothing.
//
// Public exports, per layer (a FeatureSet):
// - Count fields (disclosure_count_fields(): integer fields except ids, codes, bins,
//   ranks and months; or the caller's list). The primary count is the first of
//   "total", "count", "incidents", "n" present (else the first count field).
// - Polygon and table layers, DisclosureMode::suppress: a feature whose primary count
//   is below k keeps its geometry, id and text fields; every other numeric field
//   becomes NULL (rates, densities, z-scores, bins are derived from the counts) and
//   the added field `suppressed` = 1. In a published feature, any other count below
//   k (e.g. burglary 2 of 40 incidents) is NULL too, and when exactly one is
//   suppressed, the next smallest is also suppressed (complementary suppression:
//   total minus the others would give it back); such a feature has `suppressed` = 2.
//   Zero counts are below k and suppressed as well. Kept in a suppressed feature:
//   text fields and identity fields (fid, id, cell_id, code, *_id, *_code, *cd,
//   x, y, area_km2, area_m2, area_fraction, column, row).
// - DisclosureMode::merge (polygon layers only): a feature below k is merged with its
//   neighbour (touching polygon) of the smallest primary count, repeatedly, until
//   every feature reaches k; counts are summed, other numeric fields become NULL, the
//   id lists the merged ids ("E01.. + E01.."), `merged` = number of features merged.
//   A feature with no neighbour that stays below k is suppressed instead.
// - Point layers: coordinates snapped to the centre of the point_precision_m square
//   (British National Grid) they fall in, never finer; points whose category is not
//   allowed are removed (counted). point_precision_m must be > 0 for a public point
//   layer (else the layer is refused: DisclosureReport::refused).
// - Category fields: with an allowed list, count fields named after a crime type not
//   on the list (slug with '_', e.g. "violent_crime") are removed, and point features
//   of such categories are dropped.
// The invariant (tested): after apply_disclosure() in public mode, no published
// count field of any feature holds a value below min_count.
//
// Limits: differencing across layers (a ward total against the sum of its LSOAs)
// is not prevented; publish one geography per count, or use merge. Suppression
// keeps the feature's shape, so an analyst can still see that it is low.

#include <cstdint>
#include <string>
#include <vector>

#include "layers/io/feature_reader.hpp"

namespace hotspot::layers {

enum class DisclosureMode : uint8_t { suppress, merge };

struct DisclosureRules {
  bool public_release = false;      // false: a private export, nothing changes
  int64_t min_count = 0;            // k
  DisclosureMode mode = DisclosureMode::suppress;
  double point_precision_m = 0;     // public point layers: snap to this grid (> 0)
  std::vector<std::string> categories;  // allowed crime types (names or slugs); empty = all
  std::string category_field = "category";  // point layers: the field holding the crime type
};

struct DisclosureReport {
  std::string layer;
  std::size_t features_in = 0, features_out = 0;
  std::size_t suppressed_features = 0;  // primary count below k: numbers nulled
  std::size_t suppressed_values = 0;    // other count values nulled (incl. complementary)
  std::size_t merged_features = 0;      // features folded into a neighbour
  std::size_t dropped_points = 0;       // points of categories not allowed
  std::size_t snapped_points = 0;
  std::vector<std::string> removed_fields;  // count fields of categories not allowed
  std::vector<std::string> count_fields;    // the fields treated as counts
  bool refused = false;                 // the layer must not be published (reason in `note`)
  std::string note;
};

// The count fields of a layer, by the rule in the header comment.
std::vector<std::string> disclosure_count_fields(const FeatureSet& layer);

// Applies the rules in place. `count_fields` empty = disclosure_count_fields().
// Merge uses GEOS through OGR (union of touching polygons).
// @throws UsageError when public_release with min_count < 1 and point_precision_m <= 0
//         (nothing would be controlled).
DisclosureReport apply_disclosure(FeatureSet& layer, const DisclosureRules& rules,
                                  const std::vector<std::string>& count_fields = {});

}  // namespace hotspot::layers
