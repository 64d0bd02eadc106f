#include "core/evaluate/intervention.hpp"

// Boost.Geometry's buffer and overlay code trips GCC 12's -Wmaybe-uninitialized
// (false positives inside the headers, at -O3); silence it for them only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/buffer.hpp>
#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/difference.hpp>
#include <boost/geometry/algorithms/is_empty.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>
#include <boost/geometry/algorithms/union.hpp>
#include <boost/geometry/strategies/agnostic/buffer_distance_symmetric.hpp>
#include <boost/geometry/strategies/buffer.hpp>
#include <boost/geometry/strategies/cartesian/buffer_end_round.hpp>
#include <boost/geometry/strategies/cartesian/buffer_join_round.hpp>
#include <boost/geometry/strategies/cartesian/buffer_point_circle.hpp>
#include <boost/geometry/strategies/cartesian/buffer_side_straight.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#pragma GCC diagnostic pop

#include <cctype>
#include <cmath>
#include <numbers>

#include "core/base/assert.hpp"

namespace bg = boost::geometry;

namespace hotspot::core {

namespace {

struct TypeInfo {
  InterventionType type;
  const char* name;
  const char* label;
};
constexpr TypeInfo kTypes[] = {
    {InterventionType::cctv, "cctv", "CCTV"},
    {InterventionType::street_lighting, "street_lighting", "street lighting"},
    {InterventionType::alleygate, "alleygate", "alley gates"},
    {InterventionType::alleyway_closure, "alleyway_closure", "alleyway closure"},
    {InterventionType::safe_space, "safe_space", "safe space"},
    {InterventionType::target_hardening, "target_hardening", "target hardening"},
    {InterventionType::other, "other", "other measure"},
};

struct Alias {
  const char* text;
  InterventionType type;
};
constexpr Alias kAliases[] = {
    {"camera", InterventionType::cctv},
    {"cameras", InterventionType::cctv},
    {"cctv_camera", InterventionType::cctv},
    {"lighting", InterventionType::street_lighting},
    {"street_light", InterventionType::street_lighting},
    {"street_lights", InterventionType::street_lighting},
    {"streetlighting", InterventionType::street_lighting},
    {"alley_gate", InterventionType::alleygate},
    {"alley_gates", InterventionType::alleygate},
    {"alleygates", InterventionType::alleygate},
    {"alley_gating", InterventionType::alleygate},
    {"alleygating", InterventionType::alleygate},
    {"gating", InterventionType::alleygate},
    {"alley_closure", InterventionType::alleyway_closure},
    {"alleyway_closures", InterventionType::alleyway_closure},
    {"safe_spaces", InterventionType::safe_space},
    {"hardening", InterventionType::target_hardening},
};

}  // namespace

const char* type_name(InterventionType t) {
  const auto i = static_cast<std::size_t>(t);
  HOTSPOT_ASSERT(i < kInterventionTypeCount);
  return kTypes[i].name;
}

const char* type_label(InterventionType t) {
  const auto i = static_cast<std::size_t>(t);
  HOTSPOT_ASSERT(i < kInterventionTypeCount);
  return kTypes[i].label;
}

std::optional<InterventionType> parse_intervention_type(std::string_view text) {
  std::string s;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isspace(c) || ch == '-') {
      if (!s.empty() && s.back() != '_') s.push_back('_');
    } else {
      s.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  while (!s.empty() && s.back() == '_') s.pop_back();
  for (const auto& t : kTypes)
    if (s == t.name) return t.type;
  for (const auto& a : kAliases)
    if (s == a.text) return a.type;
  return std::nullopt;
}

const char* geometry_kind(const InterventionGeometry& g) {
  switch (g.index()) {
    case 0: return "point";
    case 1: return "line";
    default: return "polygon";
  }
}

const char* describe(GeometryError e) {
  switch (e) {
    case GeometryError::empty: return "the geometry is empty";
    case GeometryError::not_finite: return "a coordinate is not a finite number";
    case GeometryError::invalid: return "the polygon is not valid";
    case GeometryError::bad_distance: return "the radius must be > 0 and the buffer width >= 0 metres";
  }
  return "unknown error";
}

namespace {

template <typename G>
bool finite_coordinates(const G& g) {
  bool ok = true;
  bg::for_each_point(g, [&](const Point& p) { ok = ok && std::isfinite(p.x()) && std::isfinite(p.y()); });
  return ok;
}

template <typename G>
MultiPolygon buffered(const G& g, double distance, int points) {
  const bg::strategy::buffer::distance_symmetric<double> dist(distance);
  const bg::strategy::buffer::join_round join(static_cast<std::size_t>(points));
  const bg::strategy::buffer::end_round end(static_cast<std::size_t>(points));
  const bg::strategy::buffer::point_circle circle(static_cast<std::size_t>(points));
  const bg::strategy::buffer::side_straight side;
  MultiPolygon out;
  bg::buffer(g, out, dist, side, join, end, circle);
  return out;
}

}  // namespace

Result<InterventionAreas, GeometryError> build_areas(const InterventionGeometry& geometry, double radius_m,
                                                     double buffer_m, int points_per_circle) {
  using R = Result<InterventionAreas, GeometryError>;
  HOTSPOT_ASSERT(points_per_circle >= 8);
  const bool is_polygon = std::holds_alternative<MultiPolygon>(geometry);
  if (!(buffer_m >= 0.0) || !std::isfinite(buffer_m) || (!is_polygon && (!(radius_m > 0.0) || !std::isfinite(radius_m))))
    return R::failure(GeometryError::bad_distance, describe(GeometryError::bad_distance));
  InterventionAreas areas;
  bool empty = false, finite = true;
  std::visit([&](const auto& g) {
    empty = bg::is_empty(g);
    finite = finite_coordinates(g);
  }, geometry);
  if (empty) return R::failure(GeometryError::empty, describe(GeometryError::empty));
  if (!finite) return R::failure(GeometryError::not_finite, describe(GeometryError::not_finite));
  const auto* points = std::get_if<MultiPoint>(&geometry);
  if (points && points->size() == 1) {
    // One point: the target and the ring's outer edge are regular polygons inscribed
    // in circles of radius r and r + w (exactly what Boost's point_circle strategy
    // builds for the target), without any overlay operation.
    const Point c = (*points)[0];
    auto circle = [&](double radius, bool clockwise) {
      Ring ring;
      const double step = 2.0 * std::numbers::pi / points_per_circle;
      for (int k = 0; k < points_per_circle; ++k) {
        const double a = (clockwise ? -step : step) * k;
        ring.emplace_back(c.x() + radius * std::cos(a), c.y() + radius * std::sin(a));
      }
      ring.push_back(ring.front());
      return ring;
    };
    Polygon target;
    target.outer() = circle(radius_m, true);
    areas.target.push_back(target);
    if (buffer_m > 0.0) {
      Polygon ring;
      ring.outer() = circle(radius_m + buffer_m, true);
      ring.inners().push_back(circle(radius_m, false));
      areas.buffer.push_back(std::move(ring));
    }
    areas.target_m2 = bg::area(areas.target);
    areas.buffer_m2 = bg::area(areas.buffer);
    return areas;
  }
  if (is_polygon) {
    MultiPolygon poly = std::get<MultiPolygon>(geometry);
    bg::correct(poly);
    std::string reason;
    if (!bg::is_valid(poly, reason))
      return R::failure(GeometryError::invalid, std::string(describe(GeometryError::invalid)) + ": " + reason);
    areas.target = std::move(poly);
  } else {
    std::visit([&](const auto& g) {
      using G = std::decay_t<decltype(g)>;
      if constexpr (!std::is_same_v<G, MultiPolygon>) areas.target = buffered(g, radius_m, points_per_circle);
    }, geometry);
  }
  if (bg::is_empty(areas.target)) return R::failure(GeometryError::empty, describe(GeometryError::empty));
  if (buffer_m > 0.0) {
    const MultiPolygon outer = buffered(areas.target, buffer_m, points_per_circle);
    bg::difference(outer, areas.target, areas.buffer);
  }
  areas.target_m2 = bg::area(areas.target);
  areas.buffer_m2 = bg::area(areas.buffer);
  return areas;
}

}  // namespace hotspot::core
