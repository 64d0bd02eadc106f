// Compare mode: the target (a feature, a circle around a point, or a drawn area),
// its buffer ring, before/after counts from core aggregation and the evaluation from
// core/evaluate in process, each cached on what it depends on. Declared in
// app_state.hpp ([SECTION] compare).
#include <algorithm>
#include <boost/geometry/algorithms/correct.hpp>
#include <cstdlib>

#include "core/evaluate/intervention.hpp"
#include "viewer/app/app_state.hpp"
#include "viewer/app/buffer.hpp"
#include "viewer/app/hash.hpp"

namespace hotspot::viewer {

std::optional<core::MultiPolygon> compare_target(const AppState& s) {
  if (s.compare.drawn.size() >= 3) {
    core::Polygon p;
    for (const auto& v : s.compare.drawn) p.outer().emplace_back(v.x_m, v.y_m);
    p.outer().push_back(p.outer().front());
    core::MultiPolygon mp{p};
    boost::geometry::correct(mp);
    return mp;
  }
  const Layer* l = find_layer(s, s.compare.target_layer);
  if (l == nullptr || !l->features || s.compare.target_feature >= l->features->size()) return std::nullopt;
  const auto& fs = *l->features;
  const uint32_t f = s.compare.target_feature;
  if (fs.feature_class[f] == layers::GeometryClass::polygon) return fs.polygons(f);
  if (fs.feature_class[f] == layers::GeometryClass::point) {
    const uint32_t v = fs.ring_offsets[fs.part_offsets[fs.feature_offsets[f]]];
    return circle(fs.x_m[v], fs.y_m[v], s.compare.radius_m);
  }
  return std::nullopt;
}

void compare_feature(AppState& s, LayerId layer_id, uint32_t feature) {
  const Layer* l = find_layer(s, layer_id);
  if (l == nullptr || !l->features) return;
  s.compare.target_layer = layer_id;
  s.compare.target_feature = feature;
  s.compare.drawn.clear();
  s.compare.drawing = false;
  std::string start = l->field_text("start", feature);
  if (start.empty()) start = l->field_text("go_live", feature);  // evaluation_targets (hotspot evaluate)
  if (start.size() >= 7) {
    if (auto m = core::parse_month(std::string_view(start).substr(0, 7))) s.compare.go_live = *m;
  }
  // An intervention's crime types (`categories`, ';'-separated, as `hotspot evaluate`
  // counts them) become the crime-type filter, so the counts and the evaluation are
  // of what the measure was for.
  if (const std::string cats = l->field_text("categories", feature); !cats.empty() && s.incidents) {
    std::vector<core::CategoryId> ids;
    std::size_t from = 0;
    while (from <= cats.size()) {
      const std::size_t to = std::min(cats.find(';', from), cats.size());
      std::string_view name = std::string_view(cats).substr(from, to - from);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      if (auto id = s.incidents->taxonomy.find(name)) ids.push_back(*id);
      from = to + 1;
    }
    if (!ids.empty()) {
      set_all_categories(s, false);
      for (core::CategoryId id : ids) set_category(s, id, true);
      std::string msg("Compare: counting ");
      msg += cats;
      msg += " (the intervention's crime types)";
      log_message(s, LogLevel::info, std::move(msg));
    }
  }
  // Target radius of a point site: its own radius_m, else the study's radius for its type.
  const std::string radius = l->field_text("radius_m", feature);
  const auto type = core::parse_intervention_type(l->field_text("type", feature));
  if (!radius.empty())
    s.compare.radius_m = std::max(1.0, std::strtod(radius.c_str(), nullptr));
  else if (type && s.evaluation && s.evaluation->settings)
    s.compare.radius_m = s.evaluation->settings->radius_m[static_cast<std::size_t>(*type)];
  const std::string buf = l->field_text("buffer_m", feature);
  if (!buf.empty()) s.compare.buffer_m = std::max(0.0, std::strtod(buf.c_str(), nullptr));
  if (s.compare.mode == CompareMode::off) s.compare.mode = CompareMode::side_by_side;
  ++s.compare.version;
  s.tab = SideTab::compare;
  s.tab_requested = true;
}

const CompareCache& compare_geometry(AppState& s) {
  CompareCache& c = s.compare_cache;
  const uint64_t key = mix_hash(s.compare.version + 1, s.compare.drawn.size());
  if (c.geometry_key == key) return c;
  c.geometry_key = key;
  c.target = compare_target(s);
  c.grown.clear();
  if (c.target && s.compare.buffer_m > 0) c.grown = buffer(*c.target, s.compare.buffer_m);
  c.counts_key = 0;
  return c;
}

const std::optional<BeforeAfterCounts>& compare_counts(AppState& s) {
  CompareCache& c = s.compare_cache;
  compare_geometry(s);
  const uint64_t key = mix_hash(mix_hash(c.geometry_key, s.filter_version), hash_range(s.compare.before()) ^
                                                                               (hash_range(s.compare.after()) << 1));
  if (c.counts_key == key) return c.counts;
  c.counts_key = key;
  c.counts.reset();
  if (c.target && s.incidents)
    c.counts = before_after_counts(*s.incidents, *c.target, s.compare.buffer_m, s.compare.go_live,
                                   s.compare.before_months, s.compare.after_months, s.categories,
                                   s.compare.implementation_months);
  return c.counts;
}

const std::optional<EvaluationRecord>& compare_evaluation(AppState& s) {
  CompareCache& c = s.compare_cache;
  compare_counts(s);  // refreshes the geometry; the counts key covers every input
  if (c.evaluation_key == c.counts_key) return c.evaluation;
  c.evaluation_key = c.counts_key;
  c.evaluation.reset();
  // The study boundary (a one-area counts layer, e.g. district_counts) is the control's extent.
  const core::AreaSet* study_area = nullptr;
  for (const Layer& l : s.layers)
    if (l.role == LayerRole::area_counts && l.areas && l.areas->size() == 1) study_area = l.areas.get();
  if (c.target && s.incidents)
    c.evaluation = evaluate_in_process(*s.incidents, *c.target, s.compare.buffer_m, s.compare.go_live,
                                       s.compare.before_months, s.compare.after_months, s.categories, study_area,
                                       s.evaluation && s.evaluation->settings ? &*s.evaluation->settings : nullptr,
                                       s.compare.implementation_months);
  return c.evaluation;
}

const EvaluationRecord* compare_published_evaluation(const AppState& s) {
  const Layer* l = find_layer(s, s.compare.target_layer);
  if (!s.evaluation || l == nullptr || !s.compare.drawn.empty()) return nullptr;
  const std::string id = l->field_text("id", s.compare.target_feature);
  return id.empty() ? nullptr : s.evaluation->find(id);
}

}  // namespace hotspot::viewer
