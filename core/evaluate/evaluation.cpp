// [SECTION] index
//  - Names and defaults
//  - Helpers
//  - Stage 1: windows, categories, geometry per intervention
//  - Stage 2: study-area clipping, priority, overlaps, the AreaSet
//  - Stage 3: matched-cell grid
//  - Stage 4: locating and counting incidents
//  - Stage 5: measures per intervention
//  - Stage 6: pooling per scheme

#include "core/evaluate/evaluation.hpp"

#include <algorithm>
// Boost.Geometry's buffer and overlay code trips GCC 12's -Wmaybe-uninitialized
// (false positives inside the headers, at -O3); silence it for them only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/convert.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/algorithms/intersection.hpp>
#include <boost/geometry/algorithms/intersects.hpp>
#include <boost/geometry/algorithms/is_empty.hpp>
#include <boost/geometry/algorithms/union.hpp>
#include <boost/geometry/index/rtree.hpp>
#pragma GCC diagnostic pop

#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "core/base/assert.hpp"
#include "core/evaluate/detail/area_tools.hpp"
#include "core/evaluate/detail/matched_cells.hpp"
#include "core/evaluate/detail/site_measures.hpp"
#include "core/spatial/area_set.hpp"

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace hotspot::core {

// [SECTION] Names and defaults ---------------------------------------------------

const char* control_kind_name(ControlKind k) {
  switch (k) {
    case ControlKind::rest: return "rest";
    case ControlKind::polygons: return "polygons";
    case ControlKind::matched: return "matched";
  }
  return "unknown";
}

const char* overdispersion_name(OverdispersionMode m) {
  switch (m) {
    case OverdispersionMode::none: return "none";
    case OverdispersionMode::monthly: return "monthly";
    case OverdispersionMode::farrington: return "farrington";
    case OverdispersionMode::fixed: return "fixed";
  }
  return "unknown";
}

const char* spillover_name(Spillover s) {
  switch (s) {
    case Spillover::not_assessed: return "not_assessed";
    case Spillover::none: return "none";
    case Spillover::displacement: return "displacement";
    case Spillover::diffusion: return "diffusion";
  }
  return "unknown";
}

const char* role_name(AreaRole r) { return r == AreaRole::target ? "target" : "buffer"; }

std::array<double, kInterventionTypeCount> default_radii_m() {
  std::array<double, kInterventionTypeCount> r{};
  r[static_cast<std::size_t>(InterventionType::cctv)] = 100;
  r[static_cast<std::size_t>(InterventionType::street_lighting)] = 50;
  r[static_cast<std::size_t>(InterventionType::alleygate)] = 50;
  r[static_cast<std::size_t>(InterventionType::alleyway_closure)] = 50;
  r[static_cast<std::size_t>(InterventionType::safe_space)] = 100;
  r[static_cast<std::size_t>(InterventionType::target_hardening)] = 100;
  r[static_cast<std::size_t>(InterventionType::other)] = 100;
  return r;
}

// [SECTION] Helpers --------------------------------------------------------------

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string fixed(double v, int decimals) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(decimals);
  os << v;
  return os.str();
}

std::string months_text(int n) { return std::to_string(n) + (n == 1 ? " month" : " months"); }

Box inverted_box() {
  Box b;
  bg::assign_inverse(b);
  return b;
}

bool box_empty(const Box& b) {
  return !(b.min_corner().x() <= b.max_corner().x() && b.min_corner().y() <= b.max_corner().y());
}

double intersection_area(const MultiPolygon& a, const MultiPolygon& b) { return detail::overlap_area(a, b); }

// Every vertex of `g` inside the study area (a cheap test for "needs no clipping").
bool vertices_inside(const MultiPolygon& g, const AreaSet& study) {
  bool inside = true;
  bg::for_each_point(g, [&](const Point& p) {
    if (inside && study.locate(p.x(), p.y()) == AreaSet::kNone) inside = false;
  });
  return inside;
}

std::optional<double> change_pct(const WindowCounts& w) {
  if (w.before == 0) return std::nullopt;
  return (static_cast<double>(w.after) - static_cast<double>(w.before)) / static_cast<double>(w.before) * 100.0;
}

// Windows of months around go-live, clipped to the data period. Returns a reason
// when the intervention cannot be evaluated; appends warnings for shortened windows.
std::string make_windows(const Intervention& iv, const EvaluationSettings& s, MonthIndex data_first,
                         MonthIndex data_last, Windows& w, std::vector<std::string>& warnings) {
  w.go_live = iv.start_month;
  int gap = s.implementation_months;
  if (iv.start_day != kNoDay && civil_from_days(iv.start_day).day > 1) gap = std::max(gap, 1);
  if (iv.end_month) {
    if (*iv.end_month < iv.start_month)
      return "the installation period ends (" + format_month(*iv.end_month) + ") before it starts (" +
             format_month(iv.start_month) + ")";
    gap = std::max(gap, *iv.end_month - iv.start_month + 1);
  }
  w.before_first = iv.start_month - s.before_months;
  w.before_last = iv.start_month - 1;
  w.gap_first = iv.start_month;
  w.gap_last = iv.start_month + gap - 1;
  w.after_first = iv.start_month + gap;
  w.after_last = w.after_first + s.after_months - 1;
  if (data_last < data_first) return "there are no incidents to evaluate against";
  if (w.before_last < data_first)
    return "go-live " + format_month(iv.start_month) + " leaves no before window inside the data (" +
           format_month(data_first) + " to " + format_month(data_last) + ")";
  if (w.after_first > data_last)
    return "the after window would start in " + format_month(w.after_first) + ", after the data end in " +
           format_month(data_last) + ": not yet evaluable";
  if (w.before_first < data_first) {
    warnings.push_back("before window shortened to " + months_text(w.before_last - data_first + 1) + " of " +
                       std::to_string(s.before_months) + ": the data start in " + format_month(data_first));
    w.before_first = data_first;
  }
  if (w.after_last > data_last) {
    warnings.push_back("after window shortened to " + months_text(data_last - w.after_first + 1) + " of " +
                       std::to_string(s.after_months) + ": the data end in " + format_month(data_last));
    w.after_last = data_last;
  }
  w.months_before = w.before_last - w.before_first + 1;
  w.months_after = w.after_last - w.after_first + 1;
  if (w.months_before != w.months_after)
    warnings.push_back("unequal windows (" + months_text(w.months_before) + " before, " +
                       months_text(w.months_after) +
                       " after): ratios compare like with like, but seasonality may differ between them");
  return {};
}

}  // namespace

// [SECTION] The engine -----------------------------------------------------------

Evaluation evaluate(const IncidentTable& incidents, const Taxonomy& taxonomy,
                    std::span<const Intervention> interventions, const EvaluationSettings& s,
                    const ControlAreas& controls) {
  HOTSPOT_ASSERT(s.before_months >= 1 && s.after_months >= 1 && s.implementation_months >= 0);
  HOTSPOT_ASSERT(s.buffer_m >= 0 && s.matched_cell_m > 0 && s.matched_cells >= 1);
  HOTSPOT_ASSERT(s.confidence > 0 && s.confidence < 1 && s.points_per_circle >= 8);
  HOTSPOT_ASSERT(s.overdispersion != OverdispersionMode::fixed || s.overdispersion_factor >= 1.0);
  HOTSPOT_ASSERT_MSG(s.control != ControlKind::polygons || controls.polygons != nullptr,
                     "ControlKind::polygons needs ControlAreas::polygons");
  HOTSPOT_ASSERT(!controls.study_area || controls.study_area->built());
  HOTSPOT_ASSERT(!controls.polygons || controls.polygons->built());

  Evaluation ev;
  const std::size_t n = interventions.size();
  ev.results.resize(n);
  ev.cell_m = s.control == ControlKind::matched ? s.matched_cell_m : 0.0;

  // Data period.
  if (s.data_first && s.data_last) {
    ev.data_first = *s.data_first;
    ev.data_last = *s.data_last;
  } else if (!incidents.empty()) {
    const auto [lo, hi] = std::minmax_element(incidents.month().begin(), incidents.month().end());
    ev.data_first = s.data_first.value_or(*lo);
    ev.data_last = s.data_last.value_or(*hi);
  }

  // [SECTION] Stage 1: windows, categories, geometry per intervention ---------------
  auto t0 = Clock::now();
  const std::size_t ncat_all = taxonomy.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Intervention& iv = interventions[i];
    InterventionResult& r = ev.results[i];
    r.index = i;
    const auto type = static_cast<std::size_t>(iv.type);
    r.scheme = iv.scheme.empty() ? type_name(iv.type) : iv.scheme;
    const std::vector<CategoryId>& wanted = !iv.categories.empty() ? iv.categories : s.categories[type];
    if (wanted.empty()) {
      r.all_categories = true;
      for (std::size_t c = 0; c < ncat_all; ++c) r.categories.push_back(static_cast<CategoryId>(c));
    } else {
      for (CategoryId c : wanted) {
        HOTSPOT_ASSERT_MSG(c < ncat_all, "intervention category outside the taxonomy");
        if (std::find(r.categories.begin(), r.categories.end(), c) == r.categories.end()) r.categories.push_back(c);
      }
    }
    const bool polygon = std::holds_alternative<MultiPolygon>(iv.geometry);
    r.radius_m = iv.radius_m.value_or(s.radius_m[type]);
    r.radius_source = polygon ? "polygon" : iv.radius_m ? "interventions file" : std::string("default for ") + type_name(iv.type);
    if (polygon) r.radius_m = 0;
    r.buffer_m = iv.buffer_m.value_or(s.buffer_m);
    r.reason = make_windows(iv, s, ev.data_first, ev.data_last, r.windows, r.warnings);
    auto areas = build_areas(iv.geometry, r.radius_m, r.buffer_m, s.points_per_circle);
    if (areas) {
      r.areas = std::move(areas).value();
      r.has_areas = true;
    } else if (r.reason.empty()) {
      r.reason = "geometry: " + areas.error().message;
    }
    r.evaluated = r.reason.empty();
  }

  // [SECTION] Stage 2: study-area clipping, priority, overlaps, the AreaSet ---------
  std::optional<MultiPolygon> study_union;
  auto study_geometry = [&]() -> const MultiPolygon& {
    if (!study_union) {
      study_union.emplace();
      for (const Area& a : controls.study_area->areas()) {
        if (study_union->empty()) {
          *study_union = a.geometry;
        } else {
          MultiPolygon u;
          bg::union_(*study_union, a.geometry, u);
          *study_union = std::move(u);
        }
      }
    }
    return *study_union;
  };
  std::vector<bool> clipped(n, false);
  if (controls.study_area) {
    for (auto& r : ev.results) {
      if (!r.has_areas) continue;
      for (int part = 0; part < 2; ++part) {
        MultiPolygon& g = part == 0 ? r.areas.target : r.areas.buffer;
        if (bg::is_empty(g) || vertices_inside(g, *controls.study_area)) continue;
        const double before = bg::area(g);
        MultiPolygon cut;
        bg::intersection(g, study_geometry(), cut);
        const double after = bg::area(cut);
        g = std::move(cut);
        clipped[r.index] = true;
        r.warnings.push_back(std::string(part == 0 ? "the target" : "the buffer") +
                             " reaches outside the study area: clipped to it (" +
                             fixed(before > 0 ? 100.0 * after / before : 0.0, 1) + "% of its area kept)");
      }
      r.areas.target_m2 = bg::area(r.areas.target);
      r.areas.buffer_m2 = bg::area(r.areas.buffer);
      if (bg::is_empty(r.areas.target) || r.areas.target_m2 <= 0) {
        r.has_areas = false;
        if (r.evaluated) {
          r.evaluated = false;
          r.reason = "the target lies outside the study area";
        }
      }
    }
  }
  // Priority: go-live month, then input order.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i)
    if (ev.results[i].has_areas) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return interventions[a].start_month < interventions[b].start_month;
  });
  // Slots of the histogram: target of i = i, buffer of i = n + i, controls from 2n.
  AreaSet areas;
  std::vector<uint32_t> slot_of_area;
  std::vector<std::pair<std::size_t, AreaRole>> owner_of_area;
  // Point sites (one point, not clipped): their true circles, for exact overlap areas.
  std::vector<std::optional<detail::Circle>> circle_of_area;
  auto circle = [&](std::size_t i, AreaRole role) -> std::optional<detail::Circle> {
    const auto* pts = std::get_if<MultiPoint>(&interventions[i].geometry);
    if (!pts || pts->size() != 1 || clipped[i]) return std::nullopt;
    const InterventionResult& r = ev.results[i];
    const Point& c = (*pts)[0];
    if (role == AreaRole::target) return detail::Circle{c.x(), c.y(), 0.0, r.radius_m};
    return detail::Circle{c.x(), c.y(), r.radius_m, r.radius_m + r.buffer_m};
  };
  for (std::size_t i : order) {
    areas.add(interventions[i].id, "target", ev.results[i].areas.target);
    slot_of_area.push_back(static_cast<uint32_t>(i));
    owner_of_area.emplace_back(i, AreaRole::target);
    circle_of_area.push_back(circle(i, AreaRole::target));
  }
  for (std::size_t i : order) {
    if (bg::is_empty(ev.results[i].areas.buffer)) continue;
    areas.add(interventions[i].id, "buffer", ev.results[i].areas.buffer);
    slot_of_area.push_back(static_cast<uint32_t>(n + i));
    owner_of_area.emplace_back(i, AreaRole::buffer);
    circle_of_area.push_back(circle(i, AreaRole::buffer));
  }
  const auto treated_areas = static_cast<uint32_t>(areas.size());
  const uint32_t control_slot0 = static_cast<uint32_t>(2 * n);
  std::size_t control_slots = 1;
  if (s.control == ControlKind::rest && controls.study_area) {
    for (const Area& a : controls.study_area->areas()) {
      areas.add(a.code, a.name, a.geometry);
      slot_of_area.push_back(control_slot0);
    }
  } else if (s.control == ControlKind::polygons) {
    control_slots = controls.polygons->size();
    for (uint32_t p = 0; p < controls.polygons->size(); ++p) {
      const Area& a = (*controls.polygons)[p];
      areas.add(a.code, a.name, a.geometry);
      slot_of_area.push_back(control_slot0 + p);
    }
  }
  areas.build();

  // Overlaps between targets and buffers of different interventions.
  using TreeValue = std::pair<Box, uint32_t>;
  std::vector<TreeValue> boxes;
  for (uint32_t a = 0; a < treated_areas; ++a) boxes.emplace_back(areas[a].bbox, a);
  const bgi::rtree<TreeValue, bgi::rstar<16>> treated_tree(boxes.begin(), boxes.end());
  std::vector<std::vector<std::pair<std::size_t, uint32_t>>> partners(treated_areas);  // area -> (overlap, loser area)
  std::vector<double> lost_m2(treated_areas, 0.0);
  for (uint32_t a = 0; a < treated_areas; ++a) {
    std::vector<TreeValue> hits;
    treated_tree.query(bgi::intersects(areas[a].bbox), std::back_inserter(hits));
    for (const auto& [box, b] : hits) {
      if (b <= a || owner_of_area[a].first == owner_of_area[b].first) continue;
      const double overlap = circle_of_area[a] && circle_of_area[b]
                                 ? detail::circle_overlap(*circle_of_area[a], *circle_of_area[b])
                                 : intersection_area(areas[a].geometry, areas[b].geometry);
      if (!(overlap > 0.01)) continue;  // shared edges and rounding slivers
      Overlap o;
      o.first = owner_of_area[a].first;
      o.first_role = owner_of_area[a].second;
      o.second = owner_of_area[b].first;
      o.second_role = owner_of_area[b].second;
      o.area_m2 = overlap;
      partners[a].emplace_back(ev.overlaps.size(), b);
      lost_m2[b] += overlap;
      ev.overlaps.push_back(o);
    }
  }
  for (uint32_t a = 0; a < treated_areas; ++a) {
    auto& r = ev.results[owner_of_area[a].first];
    AreaCounts& c = owner_of_area[a].second == AreaRole::target ? r.target : r.buffer;
    const double nominal = owner_of_area[a].second == AreaRole::target ? r.areas.target_m2 : r.areas.buffer_m2;
    c.area_m2 = std::max(0.0, nominal - lost_m2[a]);
  }
  // Exact fast membership tests for the areas that lost incidents to another.
  std::vector<detail::AreaMask> masks(treated_areas);
  std::vector<bool> masked(treated_areas, false);
  for (uint32_t a = 0; a < treated_areas; ++a)
    for (const auto& [o, loser] : partners[a])
      if (!masked[loser]) {
        masks[loser] = detail::AreaMask(areas[loser].geometry);
        masked[loser] = true;
      }
  // A target (almost) wholly inside earlier targets has no incidents of its own.
  for (auto& r : ev.results) {
    if (!r.evaluated || r.target.area_m2 > 0.01 * r.areas.target_m2) continue;
    std::string winners;
    for (const Overlap& o : ev.overlaps)
      if (o.second == r.index && o.second_role == AreaRole::target && o.first_role == AreaRole::target)
        winners += (winners.empty() ? "" : ", ") + interventions[o.first].id;
    r.evaluated = false;
    r.reason = "its target lies inside the target of " + winners +
               " (live earlier or listed first), where the incidents are counted: nothing of its own to evaluate";
  }
  for (const Overlap& o : ev.overlaps) {
    auto& loser = ev.results[o.second];
    loser.warnings.push_back("its " + std::string(role_name(o.second_role)) + " overlaps the " +
                             role_name(o.first_role) + " of " + interventions[o.first].id + " by " +
                             fixed(o.area_m2, 0) + " m2; incidents there are counted for " +
                             interventions[o.first].id + " only");
  }
  // Effective control areas (for WDD's density weights).
  double treated_total_m2 = 0;
  for (uint32_t a = 0; a < treated_areas; ++a) treated_total_m2 += std::max(0.0, areas[a].area_m2 - lost_m2[a]);
  double rest_m2 = 0;
  if (s.control == ControlKind::rest) {
    if (controls.study_area) {
      for (const Area& a : controls.study_area->areas()) rest_m2 += a.area_m2;
      rest_m2 = std::max(0.0, rest_m2 - treated_total_m2);
    } else {
      Box bb = inverted_box();
      for (std::size_t k = 0; k < incidents.size(); ++k) bg::expand(bb, Point(incidents.x_m()[k], incidents.y_m()[k]));
      if (!box_empty(bb)) rest_m2 = std::max(0.0, bg::area(bb) - treated_total_m2);
      ev.warnings.push_back(
          "no study area: the control is every incident outside the targets and buffers; its area for WDD's "
          "density weights is the incidents' bounding box less the targets and buffers");
    }
  }
  // (sized at construction: GCC 12 reports a false null dereference for resize() of an empty vector)
  std::vector<double> polygon_m2(s.control == ControlKind::polygons ? controls.polygons->size() : 0, 0.0);
  if (s.control == ControlKind::polygons) {
    for (uint32_t p = 0; p < controls.polygons->size(); ++p) {
      const Area& a = (*controls.polygons)[p];
      double m2 = a.area_m2;
      std::vector<TreeValue> hits;
      treated_tree.query(bgi::intersects(a.bbox), std::back_inserter(hits));
      for (const auto& hit : hits) m2 -= intersection_area(a.geometry, areas[hit.second].geometry);
      polygon_m2[p] = std::max(0.0, m2);
    }
  }
  ev.geometry_s = since(t0);

  // Evaluation months and categories (the union over evaluable interventions).
  MonthIndex gfirst = 0, glast = -1;
  std::vector<int32_t> compact(ncat_all, -1);
  std::vector<CategoryId> used_cats;
  for (const auto& r : ev.results) {
    if (!r.evaluated) continue;
    if (glast < gfirst) {
      gfirst = r.windows.before_first;
      glast = r.windows.after_last;
    } else {
      gfirst = std::min(gfirst, r.windows.before_first);
      glast = std::max(glast, r.windows.after_last);
    }
    for (CategoryId c : r.categories)
      if (compact[c] < 0) {
        compact[c] = static_cast<int32_t>(used_cats.size());
        used_cats.push_back(c);
      }
  }
  const std::size_t M = glast >= gfirst ? static_cast<std::size_t>(glast - gfirst + 1) : 0;
  const std::size_t K = used_cats.size();

  // [SECTION] Stage 3: matched-cell grid --------------------------------------------
  detail::MatchedGrid grid;
  if (s.control == ControlKind::matched && M > 0) {
    Box extent = controls.study_area ? controls.study_area->bounds() : inverted_box();
    if (!controls.study_area)
      for (std::size_t k = 0; k < incidents.size(); ++k) bg::expand(extent, Point(incidents.x_m()[k], incidents.y_m()[k]));
    grid = detail::MatchedGrid(s.matched_cell_m, extent, controls.study_area, [&](const Box& box) {
      std::vector<TreeValue> hits;
      treated_tree.query(bgi::intersects(box), std::back_inserter(hits));
      Polygon square;
      bg::convert(box, square);
      for (const auto& hit : hits)
        if (bg::intersects(square, areas[hit.second].geometry)) return true;
      return false;
    });
    if (grid.failure().empty() && grid.size() * M * K > (std::size_t{1} << 28))
      grid.fail("matched control: " + std::to_string(grid.size()) +
                " candidate cells x months x categories is too large: use larger cells");
    if (!grid.failure().empty()) ev.warnings.push_back(grid.failure());
  }

  // [SECTION] Stage 4: locating and counting incidents ---------------------------------
  // Every incident is located once (AreaSet, all threads); the counting is split into
  // contiguous ranges, each with its own tallies, summed afterwards (integer sums:
  // the result does not depend on the thread count).
  t0 = Clock::now();
  const std::size_t nslots = 2 * n + control_slots;
  std::vector<uint32_t> hist(nslots * M * K, 0);
  std::vector<uint32_t> cell_hist(grid.size() * M * K, 0);
  if (M > 0 && K > 0 && !incidents.empty()) {
    const std::size_t rows = incidents.size();
    std::vector<uint32_t> located(rows);
    areas.locate_many(incidents.x_m(), incidents.y_m(), located, s.threads);
    const auto month = incidents.month();
    const auto cat = incidents.category();
    const auto xs = incidents.x_m();
    const auto ys = incidents.y_m();
    const bool none_is_control = s.control == ControlKind::rest && !controls.study_area;
    struct Tally {
      std::vector<uint32_t> hist, cell_hist;
      std::vector<uint64_t> shared;
      uint64_t considered = 0, targets = 0, buffers = 0, controls = 0, elsewhere = 0;
    };
    auto count_range = [&](std::size_t begin, std::size_t end, Tally& t) {
      for (std::size_t j = begin; j < end; ++j) {
        if (month[j] < gfirst || month[j] > glast || compact[cat[j]] < 0) continue;
        ++t.considered;
        const uint32_t a = located[j];
        const auto m = static_cast<std::size_t>(month[j] - gfirst);
        const auto kc = static_cast<std::size_t>(compact[cat[j]]);
        if (a == AreaSet::kNone) {
          if (!none_is_control) {
            ++t.elsewhere;
          } else {
            ++t.controls;
            ++t.hist[(control_slot0 * M + m) * K + kc];
          }
        } else {
          ++t.hist[(static_cast<std::size_t>(slot_of_area[a]) * M + m) * K + kc];
          if (a < treated_areas) {
            (owner_of_area[a].second == AreaRole::target ? t.targets : t.buffers)++;
            for (const auto& [o, loser] : partners[a])
              if (masks[loser].covers(xs[j], ys[j])) ++t.shared[o];
          } else {
            ++t.controls;
          }
        }
        if (grid.size() > 0 && (a == AreaSet::kNone || a >= treated_areas)) {
          const int32_t cand = grid.candidate(xs[j], ys[j]);
          if (cand >= 0) ++t.cell_hist[(static_cast<std::size_t>(cand) * M + m) * K + kc];
        }
      }
    };
    // Threads: at most one per 256 Ki rows, and one only when the tallies are large.
    unsigned threads = s.threads ? s.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, rows >> 18)));
    if ((hist.size() + cell_hist.size()) * sizeof(uint32_t) > (std::size_t{64} << 20)) threads = 1;
    // (a unique_ptr array: GCC 12 reports a false null dereference for vector<Tally>(n))
    const auto tallies = std::make_unique<Tally[]>(threads);
    for (unsigned k = 0; k < threads; ++k) {
      Tally& t = tallies[k];
      t.hist.assign(hist.size(), 0);
      t.cell_hist.assign(cell_hist.size(), 0);
      t.shared.assign(ev.overlaps.size(), 0);
    }
    if (threads == 1) {
      count_range(0, rows, tallies[0]);
    } else {
      std::vector<std::thread> pool;
      for (unsigned k = 0; k < threads; ++k)
        pool.emplace_back([&, k] { count_range(rows * k / threads, rows * (k + 1) / threads, tallies[k]); });
      for (auto& th : pool) th.join();
    }
    for (unsigned th = 0; th < threads; ++th) {
      const Tally& t = tallies[th];
      for (std::size_t k = 0; k < hist.size(); ++k) hist[k] += t.hist[k];
      for (std::size_t k = 0; k < cell_hist.size(); ++k) cell_hist[k] += t.cell_hist[k];
      for (std::size_t o = 0; o < ev.overlaps.size(); ++o) ev.overlaps[o].shared_incidents += t.shared[o];
      ev.incidents_considered += t.considered;
      ev.in_targets += t.targets;
      ev.in_buffers += t.buffers;
      ev.in_controls += t.controls;
      ev.elsewhere += t.elsewhere;
    }
  }
  ev.locate_s = since(t0);

  // [SECTION] Stage 5: measures per intervention -------------------------------------
  t0 = Clock::now();
  std::map<std::size_t, uint32_t> cell_out;  // candidate -> index in ev.cells
  for (std::size_t i = 0; i < n; ++i) {
    InterventionResult& r = ev.results[i];
    const Intervention& iv = interventions[i];
    if (!r.evaluated) continue;
    const Windows& w = r.windows;
    const auto off = static_cast<std::size_t>(w.before_first - gfirst);
    const auto len = static_cast<std::size_t>(w.after_last - w.before_first + 1);
    r.series_first = w.before_first;
    auto series_of = [&](std::size_t slot, std::vector<uint32_t>& out) {
      out.assign(len, 0);
      for (std::size_t m = 0; m < len; ++m)
        for (CategoryId c : r.categories) out[m] += hist[(slot * M + off + m) * K + static_cast<std::size_t>(compact[c])];
    };
    series_of(i, r.series_target);
    series_of(n + i, r.series_buffer);
    // The control: its slots (or matched cells) summed.
    std::vector<std::size_t> control_slot_list;
    std::vector<std::size_t> chosen_cells;
    if (s.control == ControlKind::rest) {
      control_slot_list.push_back(control_slot0);
      r.control_label = controls.study_area ? "rest of the study area" : "everything outside the targets and buffers";
      r.control.area_m2 = rest_m2;
    } else if (s.control == ControlKind::polygons) {
      std::vector<std::string> missing;
      if (iv.control_codes.empty()) {
        for (uint32_t p = 0; p < controls.polygons->size(); ++p) control_slot_list.push_back(control_slot0 + p);
        r.control_label = "all " + std::to_string(controls.polygons->size()) + " control polygons";
      } else {
        for (const auto& code : iv.control_codes) {
          auto p = controls.polygons->find_code(code);
          if (!p) missing.push_back(code);
          else control_slot_list.push_back(control_slot0 + *p);
          r.control_label += (r.control_label.empty() ? "" : ", ") + code;
        }
      }
      if (!missing.empty()) {
        r.evaluated = false;
        r.reason = "control code(s) not among the control polygons: ";
        for (std::size_t k = 0; k < missing.size(); ++k) r.reason += (k ? ", " : "") + missing[k];
        continue;
      }
      for (std::size_t slot : control_slot_list) r.control.area_m2 += polygon_m2[slot - control_slot0];
    } else {
      if (!grid.failure().empty()) {
        r.evaluated = false;
        r.reason = grid.failure();
        continue;
      }
      const auto mb = static_cast<std::size_t>(w.months_before);
      const std::vector<double> target_pre(r.series_target.begin(), r.series_target.begin() + static_cast<std::ptrdiff_t>(mb));
      chosen_cells = detail::match_cells(
          target_pre, std::max(r.target.area_m2, 1.0) / 1e6, s.matched_cell_m * s.matched_cell_m / 1e6, grid.size(),
          static_cast<std::size_t>(s.matched_cells), [&](std::size_t cand, std::vector<double>& out) {
            for (std::size_t m = 0; m < mb; ++m) {
              double v = 0;
              for (CategoryId c : r.categories) v += cell_hist[(cand * M + off + m) * K + static_cast<std::size_t>(compact[c])];
              out[m] = v;
            }
          });
      if (chosen_cells.empty()) {
        r.evaluated = false;
        r.reason = "matched control: no candidate cell had an incident of these categories in the before window";
        continue;
      }
      const std::size_t take = chosen_cells.size();
      if (take < static_cast<std::size_t>(s.matched_cells))
        r.warnings.push_back("matched control: only " + std::to_string(take) + " candidate cells had incidents in the "
                             "before window (" + std::to_string(s.matched_cells) + " asked for)");
      r.control_label = std::to_string(take) + " matched " + fixed(s.matched_cell_m, 0) + " m cells";
      r.control.area_m2 = static_cast<double>(take) * s.matched_cell_m * s.matched_cell_m;
      for (std::size_t cand : chosen_cells) {
        auto [it, inserted] = cell_out.try_emplace(cand, static_cast<uint32_t>(ev.cells.size()));
        if (inserted) ev.cells.push_back({grid.box(cand), grid.column(cand), grid.row(cand)});
        r.matched_cells.push_back(it->second);
      }
    }
    r.series_control.assign(len, 0);
    r.control.by_category.assign(r.categories.size(), {});
    r.target.by_category.assign(r.categories.size(), {});
    r.buffer.by_category.assign(r.categories.size(), {});
    for (std::size_t m = 0; m < len; ++m) {
      const MonthIndex month = w.before_first + static_cast<MonthIndex>(m);
      const bool before = month <= w.before_last;
      const bool after = month >= w.after_first;
      for (std::size_t k = 0; k < r.categories.size(); ++k) {
        const auto kc = static_cast<std::size_t>(compact[r.categories[k]]);
        uint64_t cv = 0;
        for (std::size_t slot : control_slot_list) cv += hist[(slot * M + off + m) * K + kc];
        for (std::size_t cand : chosen_cells) cv += cell_hist[(cand * M + off + m) * K + kc];
        r.series_control[m] += static_cast<uint32_t>(cv);
        const uint64_t tv = hist[(i * M + off + m) * K + kc];
        const uint64_t bv = hist[((n + i) * M + off + m) * K + kc];
        if (before) {
          r.target.by_category[k].before += tv;
          r.buffer.by_category[k].before += bv;
          r.control.by_category[k].before += cv;
        } else if (after) {
          r.target.by_category[k].after += tv;
          r.buffer.by_category[k].after += bv;
          r.control.by_category[k].after += cv;
        }
      }
    }
    for (AreaCounts* c : {&r.target, &r.buffer, &r.control}) {
      for (const auto& wc : c->by_category) {
        c->total.before += wc.before;
        c->total.after += wc.after;
      }
      c->change_pct = change_pct(c->total);
    }

    detail::site_measures(r, s);
  }
  ev.measures_s = since(t0);

  // [SECTION] Stage 6: pooling per scheme -------------------------------------------
  std::map<std::string, SchemeResult> schemes;
  auto add_site = [&](SchemeResult& sr, std::size_t i) {
    const auto& r = ev.results[i];
    ++sr.interventions;
    if (!r.evaluated) return;
    sr.target.before += r.target.total.before;
    sr.target.after += r.target.total.after;
    sr.buffer.before += r.buffer.total.before;
    sr.buffer.after += r.buffer.total.after;
    if (r.effect) sr.sites.push_back(i);
  };
  auto pool = [&](SchemeResult& sr) {
    if (sr.sites.empty()) return;
    std::vector<SiteEffect> adj, poi;
    for (std::size_t i : sr.sites) {
      const auto& e = *ev.results[i].effect;
      adj.push_back({e.adjusted.log_ratio, e.adjusted.variance});
      poi.push_back({e.poisson.log_ratio, e.poisson.variance});
    }
    if (auto p = pool_effects(adj, s.confidence)) sr.adjusted = std::move(p).value();
    if (auto p = pool_effects(poi, s.confidence)) sr.poisson = std::move(p).value();
  };
  ev.overall.scheme = "all";
  for (std::size_t i = 0; i < n; ++i) {
    auto& sr = schemes[ev.results[i].scheme];
    sr.scheme = ev.results[i].scheme;
    add_site(sr, i);
    add_site(ev.overall, i);
  }
  for (auto& [name, sr] : schemes) {
    pool(sr);
    ev.schemes.push_back(std::move(sr));
  }
  pool(ev.overall);
  if (s.control == ControlKind::rest && ev.overall.sites.size() > 1)
    ev.warnings.push_back("the sites share one control area, so their effects are correlated and the pooled "
                          "intervals are somewhat too narrow");
  return ev;
}

}  // namespace hotspot::core
