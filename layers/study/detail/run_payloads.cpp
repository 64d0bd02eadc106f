#include "layers/study/detail/run_payloads.hpp"

#include "core/base/error.hpp"
#include "core/grid/grid.hpp"
#include "core/spatial/area_set.hpp"

namespace hotspot::layers::detail::payload {

namespace {

template <typename T>
std::span<const T> cspan(const std::vector<T>& v) {
  return std::span<const T>(v);
}

}  // namespace

void put_table(CacheBlob& b, const core::IncidentTable& t) {
  b.put_vector(t.x_m());
  b.put_vector(t.y_m());
  b.put_vector(t.month());
  b.put_vector(t.day());
  b.put_vector(t.category());
  b.put_vector(t.method());
  b.put_vector(t.score());
  b.put_vector(t.source());
  b.put_vector(t.line());
  b.put_vector(t.area());
  b.put<uint64_t>(t.sources().size());
  for (const auto& s : t.sources()) b.put_string(s);
  b.put<uint64_t>(t.area_codes().size());
  for (uint32_t i = 1; i < t.area_codes().size(); ++i) b.put_string(std::string(t.area_codes().get(i)));
}

core::IncidentTable get_table(CacheBlob& b) {
  const auto x = b.get_vector<double>(), y = b.get_vector<double>();
  const auto month = b.get_vector<core::MonthIndex>();
  const auto day = b.get_vector<core::DayNumber>();
  const auto cat = b.get_vector<core::CategoryId>();
  const auto method = b.get_vector<uint8_t>(), score = b.get_vector<uint8_t>();
  const auto source = b.get_vector<uint16_t>();
  const auto line = b.get_vector<uint32_t>(), area = b.get_vector<uint32_t>();
  core::IncidentTable t;
  const auto nsrc = b.get<uint64_t>();
  for (uint64_t i = 0; i < nsrc; ++i) t.add_source(b.get_string());
  const auto ncodes = b.get<uint64_t>();
  for (uint64_t i = 1; i < ncodes; ++i) t.area_codes().intern(b.get_string());
  const std::size_t n = x.size();
  if (y.size() != n || month.size() != n || day.size() != n || cat.size() != n || method.size() != n ||
      score.size() != n || source.size() != n || line.size() != n || area.size() != n)
    throw InputError("cache entry is inconsistent");
  t.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    t.push_back({x[i], y[i], month[i], day[i], cat[i], static_cast<core::GeocodeMethod>(method[i]), score[i], source[i],
                 line[i], area[i]});
  return t;
}

void put_issue(CacheBlob& b, const core::RowIssue& i) {
  b.put_string(i.source);
  b.put(i.line);
  b.put(i.column);
  b.put_string(i.field);
  b.put(i.code);
  b.put(i.severity);
  b.put_string(i.message);
  b.put_string(i.raw);
}

core::RowIssue get_issue(CacheBlob& b) {
  core::RowIssue i;
  i.source = b.get_string();
  i.line = b.get<uint64_t>();
  i.column = b.get<uint32_t>();
  i.field = b.get_string();
  i.code = b.get<core::IssueCode>();
  i.severity = b.get<core::Severity>();
  i.message = b.get_string();
  i.raw = b.get_string();
  return i;
}

void put_strings(CacheBlob& b, const std::vector<std::string>& v) {
  b.put<uint64_t>(v.size());
  for (const auto& s : v) b.put_string(s);
}
std::vector<std::string> get_strings(CacheBlob& b) {
  std::vector<std::string> v(b.get<uint64_t>());
  for (auto& s : v) s = b.get_string();
  return v;
}

void put_hotspots(CacheBlob& b, const core::OptimizedResult& r) {
  put_strings(b, r.decisions);
  b.put<uint64_t>(r.incidents);
  b.put<uint64_t>(r.locations);
  b.put<uint64_t>(r.outlier_locations);
  b.put<uint64_t>(r.incidents_in_no_cell);
  b.put(r.nn_mean_m);
  b.put(r.nn_median_m);
  b.put(r.cell_m);
  b.put(r.band_m);
  b.put_string(r.band_rule);
  b.put_vector(cspan(r.isa));
  std::vector<uint64_t> ids(r.grid.size());
  for (uint32_t i = 0; i < r.grid.size(); ++i) ids[i] = r.grid.id(i).value();
  b.put_vector(cspan(ids));
  b.put_vector(r.grid.centres_x());
  b.put_vector(r.grid.centres_y());
  b.put_vector(cspan(r.counts));
  b.put_vector(cspan(r.neighbours));
  b.put_vector(cspan(r.gi.z));
  b.put_vector(cspan(r.gi.p));
  b.put(r.gi.mean);
  b.put(r.gi.sd);
  b.put_vector(cspan(r.gi.islands));
  b.put_vector(cspan(r.p_fdr));
  b.put_vector(cspan(r.bins));
  b.put<uint64_t>(r.hot);
  b.put<uint64_t>(r.cold);
}

// The grid is rebuilt (over the boundary, or over the cached cell centres, which
// gives the same cells in the same order) and checked against the cached ids.
std::optional<core::OptimizedResult> get_hotspots(CacheBlob& b, const core::AreaSet* boundary, core::CellShape shape) {
  core::OptimizedResult r;
  r.decisions = get_strings(b);
  r.incidents = b.get<uint64_t>();
  r.locations = b.get<uint64_t>();
  r.outlier_locations = b.get<uint64_t>();
  r.incidents_in_no_cell = b.get<uint64_t>();
  r.nn_mean_m = b.get<double>();
  r.nn_median_m = b.get<double>();
  r.cell_m = b.get<double>();
  r.band_m = b.get<double>();
  r.band_rule = b.get_string();
  r.isa = b.get_vector<core::IsaBand>();
  const auto ids = b.get_vector<uint64_t>();
  const auto cx = b.get_vector<double>(), cy = b.get_vector<double>();
  r.counts = b.get_vector<double>();
  r.neighbours = b.get_vector<uint32_t>();
  r.gi.z = b.get_vector<double>();
  r.gi.p = b.get_vector<double>();
  r.gi.mean = b.get<double>();
  r.gi.sd = b.get<double>();
  r.gi.islands = b.get_vector<uint32_t>();
  r.p_fdr = b.get_vector<double>();
  r.bins = b.get_vector<int8_t>();
  r.hot = b.get<uint64_t>();
  r.cold = b.get<uint64_t>();
  const core::GridSpec spec{shape, r.cell_m, 0, 0};
  auto g = boundary ? core::Grid::over_boundary(spec, *boundary) : core::Grid::over_points(spec, cx, cy);
  if (!g || g->size() != ids.size()) return std::nullopt;
  for (uint32_t i = 0; i < g->size(); ++i)
    if (g->id(i).value() != ids[i]) return std::nullopt;
  r.grid = std::move(g).value();
  return r;
}

void put_kde(CacheBlob& b, const core::KdeRaster& k) {
  b.put(k.x0);
  b.put(k.y1);
  b.put(k.cell_m);
  b.put(k.columns);
  b.put(k.rows);
  b.put_vector(cspan(k.values));
  b.put(k.kernel);
  b.put(k.radius_m);
  b.put(k.radius_from_rule);
  b.put(k.unit);
  b.put(k.total_weight);
  b.put<uint64_t>(k.points);
}

core::KdeRaster get_kde(CacheBlob& b) {
  core::KdeRaster k;
  k.x0 = b.get<double>();
  k.y1 = b.get<double>();
  k.cell_m = b.get<double>();
  k.columns = b.get<int32_t>();
  k.rows = b.get<int32_t>();
  k.values = b.get_vector<double>();
  k.kernel = b.get<core::Kernel>();
  k.radius_m = b.get<double>();
  k.radius_from_rule = b.get<bool>();
  k.unit = b.get<core::DensityUnit>();
  k.total_weight = b.get<double>();
  k.points = b.get<uint64_t>();
  if (k.values.size() != static_cast<std::size_t>(k.columns) * static_cast<std::size_t>(k.rows))
    throw InputError("cache entry is inconsistent");
  return k;
}

// What the outputs use of an emerging result (not the per-bin arrays).
void put_emerging(CacheBlob& b, const core::EmergingResult& r, const std::vector<std::string>& periods) {
  b.put<uint64_t>(r.cells);
  b.put<uint64_t>(r.periods);
  b.put_vector(cspan(r.category));
  b.put_vector(cspan(r.simple));
  b.put_vector(cspan(r.trend));
  b.put_vector(cspan(r.count_trend));
  b.put_vector(cspan(r.hot_periods));
  b.put_vector(cspan(r.cold_periods));
  b.put(r.category_counts);
  b.put(r.simple_counts);
  b.put_vector(cspan(r.islands));
  put_strings(b, periods);
}

core::EmergingResult get_emerging(CacheBlob& b, std::vector<std::string>& periods) {
  core::EmergingResult r;
  r.cells = b.get<uint64_t>();
  r.periods = b.get<uint64_t>();
  r.category = b.get_vector<core::EmergingCategory>();
  r.simple = b.get_vector<core::SimpleCategory>();
  r.trend = b.get_vector<core::MannKendall>();
  r.count_trend = b.get_vector<core::MannKendall>();
  r.hot_periods = b.get_vector<uint16_t>();
  r.cold_periods = b.get_vector<uint16_t>();
  r.category_counts = b.get<std::array<std::size_t, core::kEmergingCategories>>();
  r.simple_counts = b.get<std::array<std::size_t, core::kSimpleCategories>>();
  r.islands = b.get_vector<uint32_t>();
  periods = get_strings(b);
  if (r.category.size() != r.cells || r.trend.size() != r.cells) throw InputError("cache entry is inconsistent");
  return r;
}

}  // namespace hotspot::layers::detail::payload
