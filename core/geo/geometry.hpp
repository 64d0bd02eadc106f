#pragma once
// Plain geometry value types shared by every module: Boost.Geometry models in the
// working CRS, British National Grid (EPSG:27700), coordinates in metres.
//
// Orientation: Boost's default polygon model is used (outer rings clockwise, closed;
// holes counter-clockwise). Readers call boost::geometry::correct() after building a
// polygon; writers that need RFC 7946's counter-clockwise outer rings reverse them.
//
//   MultiPolygon ward = ...;                       // metres, EPSG:27700
//   double a = boost::geometry::area(ward);        // m^2 (positive when corrected)
//   bool in = boost::geometry::covered_by(Point(451000, 358000), ward);

#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/multi_linestring.hpp>
#include <boost/geometry/geometries/multi_point.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/geometries/ring.hpp>

namespace hotspot::core {

using Point = boost::geometry::model::d2::point_xy<double>;
using Ring = boost::geometry::model::ring<Point>;
using Polygon = boost::geometry::model::polygon<Point>;
using MultiPolygon = boost::geometry::model::multi_polygon<Polygon>;
using LineString = boost::geometry::model::linestring<Point>;
using MultiLineString = boost::geometry::model::multi_linestring<LineString>;
using MultiPoint = boost::geometry::model::multi_point<Point>;
using Box = boost::geometry::model::box<Point>;

// The EPSG code of the working CRS. Every IncidentTable, AreaSet and grid is in it.
inline constexpr int kWorkingEpsg = 27700;

}  // namespace hotspot::core
