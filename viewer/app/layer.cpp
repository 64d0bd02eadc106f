#include "viewer/app/layer.hpp"

#include <algorithm>
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/centroid.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#include <cmath>
#include <limits>

namespace hotspot::viewer {

const char* layer_role_name(LayerRole r) {
  switch (r) {
    case LayerRole::generic: return "layer";
    case LayerRole::incidents: return "incidents";
    case LayerRole::area_counts: return "area counts";
    case LayerRole::hotspot_grid: return "hot spots";
    case LayerRole::interventions: return "interventions";
    case LayerRole::targets: return "targets";
    case LayerRole::basemap: return "basemap";
    case LayerRole::density: return "density";
  }
  return "layer";
}

core::Box Layer::bounds() const {
  if (kind == LayerKind::raster && raster) return raster->bounds();
  if (features) return features->bounds();
  constexpr double kHuge = std::numeric_limits<double>::max();
  return core::Box(core::Point(kHuge, kHuge), core::Point(-kHuge, -kHuge));
}

std::string Layer::field_text(const std::string& field, std::size_t f) const {
  if (!features) return {};
  const int i = features->field_index(field);
  if (i < 0) return {};
  return features->fields[static_cast<std::size_t>(i)].text(f);
}

std::string Layer::feature_title(std::size_t f) const {
  if (!features || f >= features->size()) return {};
  for (const char* key : {"name", "NAME", "title", "code", "id"}) {
    std::string t = field_text(key, f);
    if (!t.empty()) return t;
  }
  std::string title(1, '#');
  title += std::to_string(features->fid[f]);
  return title;
}

WorldPoint label_point(const core::MultiPolygon& polygon) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (polygon.empty()) return {nan, nan};
  const core::Polygon* largest = &polygon.front();
  double best = -1;
  for (const auto& p : polygon) {
    const double a = std::abs(boost::geometry::area(p));
    if (a > best) {
      best = a;
      largest = &p;
    }
  }
  core::Point c(0.0, 0.0);
  boost::geometry::centroid(*largest, c);
  if (boost::geometry::covered_by(c, *largest)) return {c.x(), c.y()};
  // The widest inside span on the line y = c.y(): crossings of every ring edge.
  const double y = c.y();
  std::vector<double> xs;
  auto crossings = [&](const core::Ring& ring) {
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      const auto& a = ring[i];
      const auto& b = ring[i + 1];
      if ((a.y() > y) != (b.y() > y)) xs.push_back(a.x() + (y - a.y()) * (b.x() - a.x()) / (b.y() - a.y()));
    }
  };
  crossings(largest->outer());
  for (const auto& hole : largest->inners()) crossings(hole);
  std::sort(xs.begin(), xs.end());
  double best_w = -1, best_x = c.x();
  for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
    if (xs[i + 1] - xs[i] > best_w) {
      best_w = xs[i + 1] - xs[i];
      best_x = (xs[i] + xs[i + 1]) * 0.5;
    }
  }
  return {best_x, y};
}

double typical_feature_size(const layers::FeatureSet& features) {
  std::vector<double> d;
  d.reserve(features.size());
  for (std::size_t f = 0; f < features.size(); ++f) {
    const double w = features.bbox[4 * f + 2] - features.bbox[4 * f];
    const double h = features.bbox[4 * f + 3] - features.bbox[4 * f + 1];
    if (std::isfinite(w) && std::isfinite(h)) d.push_back(std::hypot(w, h));
  }
  if (d.empty()) return 0;
  auto mid = d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2);
  std::nth_element(d.begin(), mid, d.end());
  return *mid;
}

}  // namespace hotspot::viewer
