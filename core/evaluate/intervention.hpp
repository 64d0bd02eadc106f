#pragma once
// Interventions (Safer Streets measures) and the areas an evaluation compares.
//
// An Intervention is what the partnership did, where and when: a type (CCTV, street
// lighting, an alley gate, ...), a geometry in British National Grid metres (points
// for cameras, lines for a lit street or a gated alley, polygons for an estate), and
// a go-live date (YYYY-MM, or YYYY-MM-DD), optionally the end of an installation
// period. Readers (layers/io/intervention_reader.hpp) build them from files.
//
// Its areas (build_areas):
//   target  the polygon itself, or the geometry buffered by radius_m (points and lines:
//           a camera's viewshed, a lit street's corridor; round ends and joins);
//   buffer  the ring from the target's edge out to buffer_m more metres: the
//           displacement / diffusion catchment. Always disjoint from the target.
// Circles are polygons of `points_per_circle` vertices (default 72: within 0.13% of
// the circle's area and 0.25 m of its edge at 250 m). For a single point the target
// and the ring's outer edge are regular polygons inscribed in the circles of radius r
// and r + w (built directly); other geometries are buffered with Boost.Geometry
// (round joins and ends) and the ring is the difference of the two.
//
//   Intervention iv;  iv.id = "AG1";  iv.type = InterventionType::alleygate;
//   iv.geometry = MultiLineString{{{449650, 359000}, {449750, 359020}}};
//   auto areas = build_areas(iv.geometry, /*radius_m=*/50, /*buffer_m=*/250);
//   if (areas) use(areas->target, areas->buffer, areas->target_m2);

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/base/result.hpp"
#include "core/geo/geometry.hpp"
#include "core/incidents/taxonomy.hpp"
#include "core/incidents/time.hpp"

namespace hotspot::core {

enum class InterventionType : uint8_t {
  cctv,
  street_lighting,
  alleygate,
  alleyway_closure,
  safe_space,
  target_hardening,
  other,
  kCount
};
inline constexpr std::size_t kInterventionTypeCount = static_cast<std::size_t>(InterventionType::kCount);

// "cctv", "street_lighting", ... (the names a file or study uses).
const char* type_name(InterventionType t);
// Human label: "CCTV", "street lighting", "alley gates", ...
const char* type_label(InterventionType t);
// Accepts the names above in any case, with spaces or hyphens for '_', and common
// variants ("alley gate", "alley gating", "lighting", "street lights", "camera",
// "alley closure", "target hardening"). nullopt when unknown.
std::optional<InterventionType> parse_intervention_type(std::string_view text);

using InterventionGeometry = std::variant<MultiPoint, MultiLineString, MultiPolygon>;
// "point", "line" or "polygon".
const char* geometry_kind(const InterventionGeometry& g);

struct Intervention {
  std::string id;
  InterventionType type = InterventionType::other;
  std::string name;
  std::string scheme;  // groups sites for pooling; empty = the type's name
  MonthIndex start_month = 0;
  DayNumber start_day = kNoDay;  // when the start had a day
  std::optional<MonthIndex> end_month;  // end of the installation period, inclusive
  InterventionGeometry geometry;
  std::optional<double> radius_m;  // target radius for points/lines (per intervention)
  std::optional<double> buffer_m;  // buffer width (per intervention)
  std::vector<CategoryId> categories;  // empty = the type's default categories
  std::vector<std::string> control_codes;  // control polygons by code (polygon controls)
  std::string source;  // where it was read: "interventions.csv:4" (for messages)
};

enum class GeometryError : uint8_t { empty, not_finite, invalid, bad_distance };
const char* describe(GeometryError e);

struct InterventionAreas {
  MultiPolygon target;
  MultiPolygon buffer;  // ring around the target (target excluded)
  double target_m2 = 0;
  double buffer_m2 = 0;
};

// Requires: points_per_circle >= 8. Fails on an empty geometry, non-finite
// coordinates, an invalid polygon (self-intersection; the message says why), or a
// radius <= 0 for points/lines or buffer_m < 0 (bad_distance). buffer_m == 0 gives an
// empty buffer. Polygons ignore radius_m.
Result<InterventionAreas, GeometryError> build_areas(const InterventionGeometry& geometry, double radius_m,
                                                     double buffer_m, int points_per_circle = 72);

}  // namespace hotspot::core
