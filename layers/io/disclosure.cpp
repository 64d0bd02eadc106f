// Disclosure control for public exports. See disclosure.hpp for the rules.
//
// [SECTION] field roles   which fields are counts, ids, areas
// [SECTION] rebuilding    copying a FeatureSet feature by feature
// [SECTION] suppression   primary and secondary (complementary) suppression
// [SECTION] merging       folding small polygons into a neighbour
// [SECTION] points        snapping and allowed categories

#include "layers/io/disclosure.hpp"

// Boost.Geometry's overlay code trips GCC 12's -Wmaybe-uninitialized (a false
// positive in rescale_policy.hpp), as in core/evaluate/detail/area_tools.cpp.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/intersects.hpp>
#include <boost/geometry/algorithms/union.hpp>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "core/base/error.hpp"
#include "core/incidents/taxonomy.hpp"

namespace hotspot::layers {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// [SECTION] field roles -----------------------------------------------------------

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Identifiers and geometry descriptors: never counts, kept when a feature is suppressed.
bool is_identity_field(std::string_view name) {
  const std::string n = lower(name);
  static const char* const kIds[] = {"fid", "id", "cell_id", "code", "x", "y", "area_km2", "area_m2",
                                     "area_fraction", "inside", "column", "row", "col"};
  for (const char* k : kIds)
    if (n == k) return true;
  return ends_with(n, "_id") || ends_with(n, "_code") || ends_with(n, "cd");
}
// Integer fields that are not counts although integer: statuses, ranks, time.
bool is_non_count_integer(std::string_view name) {
  const std::string n = lower(name);
  static const char* const kNot[] = {"bin", "gi_bin", "rank", "month", "year", "period", "quadrant",
                                     "suppressed", "merged", "in_layer", "significant_fdr", "units"};
  for (const char* k : kNot)
    if (n == k) return true;
  return ends_with(n, "_bin") || ends_with(n, "_rank");
}
constexpr const char* kPrimaryNames[] = {"total", "count", "incidents", "n"};

// The police.uk types as field names ("violent_crime", "anti_social_behaviour").
std::string as_field_name(std::string_view category) {
  std::string s = core::slugify(category);
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

// [SECTION] rebuilding ------------------------------------------------------------

// An empty FeatureSet with `in`'s layer description and field columns (dictionaries
// copied so text codes stay valid).
FeatureSet empty_like(const FeatureSet& in) {
  FeatureSet out;
  out.source = in.source;
  out.layer = in.layer;
  out.geometry = in.geometry;
  out.warnings = in.warnings;
  for (const auto& c : in.fields) {
    FieldColumn n;
    n.name = c.name;
    n.kind = c.kind;
    n.dictionary = c.dictionary;
    out.fields.push_back(std::move(n));
  }
  return out;
}

void copy_values(FeatureSet& out, const FeatureSet& in, std::size_t f) {
  for (std::size_t c = 0; c < in.fields.size(); ++c) {
    if (in.fields[c].is_numeric()) out.fields[c].numbers.push_back(in.fields[c].numbers[f]);
    else out.fields[c].codes.push_back(in.fields[c].codes[f]);
  }
}

void copy_geometry(FeatureSet& out, const FeatureSet& in, std::size_t f) {
  out.begin_feature(in.feature_class[f], in.fid[f]);
  for (uint32_t p = in.feature_offsets[f]; p < in.feature_offsets[f + 1]; ++p) {
    out.add_part();
    for (uint32_t r = in.part_offsets[p]; r < in.part_offsets[p + 1]; ++r) {
      out.add_ring();
      for (uint32_t v = in.ring_offsets[r]; v < in.ring_offsets[r + 1]; ++v) out.add_vertex(in.x_m[v], in.y_m[v]);
    }
  }
}

void add_polygons(FeatureSet& out, const core::MultiPolygon& mp, int64_t fid) {
  out.begin_feature(GeometryClass::polygon, fid);
  for (const auto& poly : mp) {
    out.add_part();
    out.add_ring();
    for (const auto& p : poly.outer()) out.add_vertex(p.x(), p.y());
    for (const auto& ring : poly.inners()) {
      out.add_ring();
      for (const auto& p : ring) out.add_vertex(p.x(), p.y());
    }
  }
}

uint32_t text_code(FieldColumn& c, const std::string& value) {
  for (uint32_t i = 0; i < c.dictionary.size(); ++i)
    if (c.dictionary[i] == value) return i;
  c.dictionary.push_back(value);
  return static_cast<uint32_t>(c.dictionary.size() - 1);
}

// Adds an integer column (0 everywhere) unless present; returns its index.
int ensure_flag_field(FeatureSet& fs, const char* name) {
  const int existing = fs.field_index(name);
  if (existing >= 0) return existing;
  FieldColumn c;
  c.name = name;
  c.kind = FieldKind::integer;
  c.numbers.assign(fs.size(), 0.0);
  fs.fields.push_back(std::move(c));
  return static_cast<int>(fs.fields.size() - 1);
}

// [SECTION] suppression -----------------------------------------------------------

struct Roles {
  std::vector<int> counts;  // field indexes
  int primary = -1;
};

Roles roles_of(const FeatureSet& fs, const std::vector<std::string>& count_fields) {
  Roles r;
  for (const auto& name : count_fields) {
    const int i = fs.field_index(name);
    if (i >= 0 && fs.fields[static_cast<std::size_t>(i)].is_numeric()) r.counts.push_back(i);
  }
  for (const char* p : kPrimaryNames)
    for (int i : r.counts)
      if (r.primary < 0 && lower(fs.fields[static_cast<std::size_t>(i)].name) == p) r.primary = i;
  if (r.primary < 0 && !r.counts.empty()) r.primary = r.counts.front();
  return r;
}

void suppress(FeatureSet& fs, const Roles& roles, double k, DisclosureReport& rep) {
  const int flag = ensure_flag_field(fs, "suppressed");
  auto& pc = fs.fields[static_cast<std::size_t>(roles.primary)];
  for (std::size_t f = 0; f < fs.size(); ++f) {
    const double primary = pc.numbers[f];
    if (!std::isnan(primary) && primary < k) {
      ++rep.suppressed_features;
      fs.fields[static_cast<std::size_t>(flag)].numbers[f] = 1;
      for (std::size_t c = 0; c < fs.fields.size(); ++c) {
        auto& col = fs.fields[c];
        if (static_cast<int>(c) == flag || !col.is_numeric() || is_identity_field(col.name)) continue;
        col.numbers[f] = kNaN;
      }
      continue;
    }
    // Secondary counts of a published feature.
    std::size_t nulled = 0;
    for (int c : roles.counts) {
      if (c == roles.primary) continue;
      double& v = fs.fields[static_cast<std::size_t>(c)].numbers[f];
      if (!std::isnan(v) && v < k) {
        v = kNaN;
        ++nulled;
        ++rep.suppressed_values;
      }
    }
    if (nulled == 1 && !std::isnan(primary)) {
      // Complementary suppression: the smallest remaining secondary count.
      int pick = -1;
      for (int c : roles.counts) {
        if (c == roles.primary) continue;
        const double v = fs.fields[static_cast<std::size_t>(c)].numbers[f];
        if (std::isnan(v)) continue;
        if (pick < 0 || v < fs.fields[static_cast<std::size_t>(pick)].numbers[f]) pick = c;
      }
      if (pick >= 0) {
        fs.fields[static_cast<std::size_t>(pick)].numbers[f] = kNaN;
        ++rep.suppressed_values;
      }
    }
    if (nulled > 0) fs.fields[static_cast<std::size_t>(flag)].numbers[f] = 2;
  }
}

// [SECTION] merging ---------------------------------------------------------------

void merge(FeatureSet& fs, const Roles& roles, double k, DisclosureReport& rep) {
  const std::size_t n = fs.size();
  std::vector<core::MultiPolygon> geom(n);
  std::vector<bool> alive(n, true);
  std::vector<double> bx(fs.bbox);
  for (std::size_t f = 0; f < n; ++f) geom[f] = fs.polygons(f);
  // Values per feature, mutable during merging.
  std::vector<std::vector<double>> counts(roles.counts.size(), std::vector<double>(n));
  for (std::size_t c = 0; c < roles.counts.size(); ++c)
    for (std::size_t f = 0; f < n; ++f) counts[c][f] = fs.fields[static_cast<std::size_t>(roles.counts[c])].numbers[f];
  std::size_t primary_slot = 0;
  for (std::size_t c = 0; c < roles.counts.size(); ++c)
    if (roles.counts[c] == roles.primary) primary_slot = c;
  std::vector<std::vector<std::string>> texts(fs.fields.size());
  for (std::size_t c = 0; c < fs.fields.size(); ++c)
    if (!fs.fields[c].is_numeric()) {
      texts[c].resize(n);
      for (std::size_t f = 0; f < n; ++f) texts[c][f] = fs.fields[c].text(f);
    }
  std::vector<double> merged_n(n, 0.0);
  auto touches = [&](std::size_t a, std::size_t b) {
    if (std::isnan(bx[4 * a]) || std::isnan(bx[4 * b])) return false;
    const double eps = 1e-6;
    if (bx[4 * a] > bx[4 * b + 2] + eps || bx[4 * b] > bx[4 * a + 2] + eps || bx[4 * a + 1] > bx[4 * b + 3] + eps ||
        bx[4 * b + 1] > bx[4 * a + 3] + eps)
      return false;
    return boost::geometry::intersects(geom[a], geom[b]);
  };
  std::vector<bool> isolated(n, false);
  for (;;) {
    // The smallest live feature below k (ties: lowest index).
    std::size_t small = n;
    for (std::size_t f = 0; f < n; ++f) {
      if (!alive[f] || isolated[f]) continue;
      const double v = counts[primary_slot][f];
      if (std::isnan(v) || v >= k) continue;
      if (small == n || v < counts[primary_slot][small]) small = f;
    }
    if (small == n) break;
    std::size_t partner = n;
    for (std::size_t f = 0; f < n; ++f) {
      if (f == small || !alive[f] || !touches(small, f)) continue;
      const double v = std::isnan(counts[primary_slot][f]) ? 0 : counts[primary_slot][f];
      const double best = partner == n ? 0 : (std::isnan(counts[primary_slot][partner]) ? 0 : counts[primary_slot][partner]);
      if (partner == n || v < best) partner = f;
    }
    if (partner == n) {
      isolated[small] = true;
      continue;
    }
    // Fold `small` into the feature with the lower index (stable ids: the survivor).
    const std::size_t keep = std::min(small, partner), gone = std::max(small, partner);
    core::MultiPolygon u;
    boost::geometry::union_(geom[keep], geom[gone], u);
    geom[keep] = std::move(u);
    bx[4 * keep] = std::min(bx[4 * keep], bx[4 * gone]);
    bx[4 * keep + 1] = std::min(bx[4 * keep + 1], bx[4 * gone + 1]);
    bx[4 * keep + 2] = std::max(bx[4 * keep + 2], bx[4 * gone + 2]);
    bx[4 * keep + 3] = std::max(bx[4 * keep + 3], bx[4 * gone + 3]);
    for (auto& col : counts) {
      const double a = col[keep], b = col[gone];
      col[keep] = (std::isnan(a) && std::isnan(b)) ? kNaN : (std::isnan(a) ? 0 : a) + (std::isnan(b) ? 0 : b);
    }
    for (auto& t : texts)
      if (!t.empty() && t[keep] != t[gone]) t[keep] = t[keep] + " + " + t[gone];
    merged_n[keep] += 1 + merged_n[gone];
    alive[gone] = false;
    ++rep.merged_features;
  }
  // Rebuild: survivors in input order; merged ones get summed counts, NULL derived values.
  FeatureSet out = empty_like(fs);
  for (std::size_t f = 0; f < n; ++f) {
    if (!alive[f]) continue;
    if (merged_n[f] > 0) add_polygons(out, geom[f], fs.fid[f]);
    else copy_geometry(out, fs, f);
    for (std::size_t c = 0; c < fs.fields.size(); ++c) {
      FieldColumn& col = out.fields[c];
      if (!col.is_numeric()) {
        col.codes.push_back(merged_n[f] > 0 ? text_code(col, texts[c][f]) : fs.fields[c].codes[f]);
        continue;
      }
      double v = fs.fields[c].numbers[f];
      if (merged_n[f] > 0) {
        const auto it = std::find(roles.counts.begin(), roles.counts.end(), static_cast<int>(c));
        if (it != roles.counts.end()) v = counts[static_cast<std::size_t>(it - roles.counts.begin())][f];
        else if (lower(col.name) == "area_km2") v = boost::geometry::area(geom[f]) / 1e6;
        else if (!is_identity_field(col.name)) v = kNaN;
      }
      col.numbers.push_back(v);
    }
  }
  out.finish();
  const int mf = ensure_flag_field(out, "merged");
  for (std::size_t f = 0, o = 0; f < n; ++f)
    if (alive[f]) out.fields[static_cast<std::size_t>(mf)].numbers[o++] = merged_n[f];
  fs = std::move(out);
}

// [SECTION] points ----------------------------------------------------------------

bool category_allowed(const std::string& value, const std::vector<std::string>& allowed) {
  const std::string slug = core::slugify(value);
  for (const auto& a : allowed)
    if (lower(a) == lower(value) || core::slugify(a) == slug) return true;
  return false;
}

}  // namespace

std::vector<std::string> disclosure_count_fields(const FeatureSet& layer) {
  std::vector<std::string> out;
  for (const auto& c : layer.fields) {
    if (is_identity_field(c.name) || is_non_count_integer(c.name)) continue;
    bool primary_name = false;
    for (const char* p : kPrimaryNames) primary_name = primary_name || lower(c.name) == p;
    if (c.kind == FieldKind::integer || (c.kind == FieldKind::real && primary_name)) out.push_back(c.name);
  }
  return out;
}

DisclosureReport apply_disclosure(FeatureSet& fs, const DisclosureRules& rules,
                                  const std::vector<std::string>& count_fields_in) {
  DisclosureReport rep;
  rep.layer = fs.layer;
  rep.features_in = fs.size();
  rep.features_out = fs.size();
  if (!rules.public_release) return rep;
  if (rules.min_count < 1 && rules.point_precision_m <= 0)
    throw UsageError("public export: set a minimum count k (>= 1) or a point precision: nothing would be controlled");

  // Point layers: snap and filter categories; never published finer than the precision.
  if (fs.geometry == GeometryClass::point) {
    if (!(rules.point_precision_m > 0)) {
      rep.refused = true;
      rep.note = "a point layer is published only with a point precision (point_precision_m > 0)";
      return rep;
    }
    const double p = rules.point_precision_m;
    const int cat = rules.categories.empty() ? -1 : fs.field_index(rules.category_field);
    if (!rules.categories.empty() && cat < 0) {
      rep.refused = true;
      rep.note = "an allowed category list is set but the layer has no '" + rules.category_field + "' field";
      return rep;
    }
    FeatureSet out = empty_like(fs);
    for (std::size_t f = 0; f < fs.size(); ++f) {
      if (cat >= 0 && !category_allowed(fs.fields[static_cast<std::size_t>(cat)].text(f), rules.categories)) {
        ++rep.dropped_points;
        continue;
      }
      copy_geometry(out, fs, f);
      copy_values(out, fs, f);
    }
    for (std::size_t v = 0; v < out.x_m.size(); ++v) {
      out.x_m[v] = (std::floor(out.x_m[v] / p) + 0.5) * p;
      out.y_m[v] = (std::floor(out.y_m[v] / p) + 0.5) * p;
      ++rep.snapped_points;
    }
    out.finish();
    fs = std::move(out);
    rep.features_out = fs.size();
    return rep;
  }

  // Count fields of categories that are not allowed are removed.
  std::vector<std::string> count_fields = count_fields_in.empty() ? disclosure_count_fields(fs) : count_fields_in;
  if (!rules.categories.empty()) {
    std::unordered_set<std::string> allowed;
    for (const auto& a : rules.categories) allowed.insert(as_field_name(a));
    std::unordered_set<std::string> known;
    for (const auto& t : core::kPoliceUkTypes) known.insert(as_field_name(t.name));
    known.insert("public_disorder_and_weapons");
    for (std::size_t c = 0; c < fs.fields.size();) {
      const std::string n = lower(fs.fields[c].name);
      if (known.count(n) && !allowed.count(n)) {
        rep.removed_fields.push_back(fs.fields[c].name);
        count_fields.erase(std::remove(count_fields.begin(), count_fields.end(), fs.fields[c].name), count_fields.end());
        fs.fields.erase(fs.fields.begin() + static_cast<std::ptrdiff_t>(c));
      } else {
        ++c;
      }
    }
  }
  const Roles roles = roles_of(fs, count_fields);
  for (int i : roles.counts) rep.count_fields.push_back(fs.fields[static_cast<std::size_t>(i)].name);
  if (rules.min_count < 1) return rep;
  if (roles.primary < 0) {
    rep.refused = true;
    rep.note = "no count field to check against k (name it, or leave the layer out of the public export)";
    return rep;
  }
  const auto k = static_cast<double>(rules.min_count);
  if (rules.mode == DisclosureMode::merge && fs.geometry == GeometryClass::polygon) {
    merge(fs, roles, k, rep);
    // A feature left below k (no neighbour) and small secondary counts: suppressed.
    const Roles after = roles_of(fs, rep.count_fields);
    suppress(fs, after, k, rep);
  } else {
    suppress(fs, roles, k, rep);
  }
  rep.features_out = fs.size();
  return rep;
}

}  // namespace hotspot::layers
