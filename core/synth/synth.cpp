#include "core/synth/synth.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <thread>

#include "core/base/assert.hpp"
#include "core/base/random.hpp"
#include "core/spatial/area_set.hpp"

namespace hotspot::core {

namespace {

// Nearest-point lookup over the population points, for police.uk-style snapping:
// a uniform grid of buckets searched in growing rings.
class NearestIndex {
 public:
  explicit NearestIndex(const std::vector<Point>& pts) : m_pts(pts) {
    if (pts.empty()) return;
    double minx = pts[0].x(), maxx = minx, miny = pts[0].y(), maxy = miny;
    for (const auto& p : pts) {
      minx = std::min(minx, p.x());
      maxx = std::max(maxx, p.x());
      miny = std::min(miny, p.y());
      maxy = std::max(maxy, p.y());
    }
    const double area = std::max(1.0, (maxx - minx) * (maxy - miny));
    m_cell = std::max(1.0, std::sqrt(area / static_cast<double>(pts.size()) * 4.0));
    m_x0 = minx;
    m_y0 = miny;
    m_nx = static_cast<int>((maxx - minx) / m_cell) + 1;
    m_ny = static_cast<int>((maxy - miny) / m_cell) + 1;
    std::vector<uint32_t> counts(static_cast<std::size_t>(m_nx) * static_cast<std::size_t>(m_ny) + 1, 0);
    for (const auto& p : pts) ++counts[cell_of(p.x(), p.y()) + 1];
    for (std::size_t i = 1; i < counts.size(); ++i) counts[i] += counts[i - 1];
    m_start = counts;
    m_items.resize(pts.size());
    for (uint32_t i = 0; i < pts.size(); ++i) m_items[counts[cell_of(pts[i].x(), pts[i].y())]++] = i;
  }

  // Index of the nearest point. Requires: at least one point.
  uint32_t nearest(double x, double y) const {
    const int cx = std::clamp(static_cast<int>((x - m_x0) / m_cell), 0, m_nx - 1);
    const int cy = std::clamp(static_cast<int>((y - m_y0) / m_cell), 0, m_ny - 1);
    double best = std::numeric_limits<double>::infinity();
    uint32_t best_i = 0;
    for (int r = 0;; ++r) {
      for (int gy = cy - r; gy <= cy + r; ++gy) {
        if (gy < 0 || gy >= m_ny) continue;
        for (int gx = cx - r; gx <= cx + r; ++gx) {
          if (gx < 0 || gx >= m_nx) continue;
          if (std::max(std::abs(gx - cx), std::abs(gy - cy)) != r) continue;  // ring only
          const std::size_t c = static_cast<std::size_t>(gy) * static_cast<std::size_t>(m_nx) + static_cast<std::size_t>(gx);
          for (uint32_t k = m_start[c]; k < m_start[c + 1]; ++k) {
            const Point& p = m_pts[m_items[k]];
            const double d = (p.x() - x) * (p.x() - x) + (p.y() - y) * (p.y() - y);
            if (d < best || (d == best && m_items[k] < best_i)) {
              best = d;
              best_i = m_items[k];
            }
          }
        }
      }
      // Every point outside ring r is at least r * cell away from the query's cell.
      const double reach = static_cast<double>(r) * m_cell;
      if (best < std::numeric_limits<double>::infinity() && reach * reach >= best) break;
      if (r > m_nx + m_ny) break;
    }
    return best_i;
  }

 private:
  std::size_t cell_of(double x, double y) const {
    const int cx = std::clamp(static_cast<int>((x - m_x0) / m_cell), 0, m_nx - 1);
    const int cy = std::clamp(static_cast<int>((y - m_y0) / m_cell), 0, m_ny - 1);
    return static_cast<std::size_t>(cy) * static_cast<std::size_t>(m_nx) + static_cast<std::size_t>(cx);
  }
  const std::vector<Point>& m_pts;
  double m_cell = 1, m_x0 = 0, m_y0 = 0;
  int m_nx = 1, m_ny = 1;
  std::vector<uint32_t> m_start, m_items;
};

double seasonal_peak_month(const Category& c) {
  if (c.group == "asb" || c.group == "violence" || c.group == "disorder" || c.group == "damage") return 7;
  if (c.group == "neighbourhood") return 1;
  return 7;
}

double seasonal_amplitude(const Category& c, double a) {
  if (c.group == "asb" || c.group == "violence" || c.group == "disorder" || c.group == "damage" ||
      c.group == "neighbourhood")
    return a;
  return a / 3.0;
}

int days_in_month(MonthIndex m) {
  const int y = year_of(m);
  const unsigned mo = month_of(m);
  const int ny = mo == 12 ? y + 1 : y;
  const unsigned nm = mo == 12 ? 1 : mo + 1;
  return days_from_civil(ny, nm, 1) - days_from_civil(y, mo, 1);
}

struct MonthPart {
  IncidentTable table;
  std::vector<int32_t> component;  // hotspot index or -1 (background) per row
  std::vector<uint64_t> removed, displaced;  // per effect
};

class Generator {
 public:
  Generator(const SynthConfig& cfg, const Taxonomy& tax)
      : m_cfg(cfg), m_tax(tax), m_population(inside_only(cfg)), m_nearest(m_population) {
    HOTSPOT_ASSERT(cfg.first <= cfg.last);
    HOTSPOT_ASSERT(cfg.incidents_per_month >= 0);
    HOTSPOT_ASSERT(cfg.boundary || (cfg.bbox.max_corner().x() > cfg.bbox.min_corner().x() &&
                                    cfg.bbox.max_corner().y() > cfg.bbox.min_corner().y()));
    auto mix = cfg.mix.empty() ? default_mix(tax) : cfg.mix;
    double total = 0;
    for (const auto& [c, w] : mix) total += w;
    HOTSPOT_ASSERT(total > 0);
    for (const auto& [c, w] : mix) m_mix.emplace_back(c, w / total);
    if (cfg.boundary) {
      m_box = cfg.boundary->bounds();
    } else {
      m_box = cfg.bbox;
    }
    make_hotspots();
    if (cfg.total_rows > 0) allocate_fixed_counts();
  }

  const std::vector<SynthHotspot>& hotspots() const { return m_hotspots; }

  // A follow-up location for the near-repeat process: within r of p (or p itself
  // with probability repeat), inside the study area and snapped as the rest;
  // false when 50 draws all fall outside.
  bool near_point(const Point& p, const SynthNearRepeat& nr, Rng& rng, Point& out) const {
    if (rng.uniform() < nr.repeat_share) {
      out = p;
      return true;
    }
    for (int attempt = 0; attempt < 50; ++attempt) {
      const double r = nr.distance_m * std::sqrt(rng.uniform());
      const double a = 2.0 * std::numbers::pi * rng.uniform();
      Point q(p.x() + r * std::cos(a), p.y() + r * std::sin(a));
      if (!inside(q)) continue;
      if (m_cfg.snap && !m_population.empty()) q = m_population[m_nearest.nearest(q.x(), q.y())];
      out = q;
      return true;
    }
    return false;
  }

  void month(MonthIndex m, MonthPart& part) const {
    Rng rng = Rng(m_cfg.seed).stream(static_cast<uint64_t>(m - m_cfg.first) + 1000);
    part.removed.assign(m_cfg.effects.size(), 0);
    part.displaced.assign(m_cfg.effects.size(), 0);
    const int ndays = days_in_month(m);
    const DayNumber day0 = days_from_civil(year_of(m), month_of(m), 1);
    std::vector<uint32_t> active;
    for (std::size_t ci = 0; ci < m_mix.size(); ++ci) {
      const CategoryId cat = m_mix[ci].first;
      const uint64_t n = m_fixed.empty()
                             ? rng.poisson(m_cfg.incidents_per_month * weight(m, ci))
                             : m_fixed[static_cast<std::size_t>(m - m_cfg.first) * m_mix.size() + ci];
      active.clear();
      for (uint32_t h = 0; h < m_hotspots.size(); ++h)
        if (m_hotspots[h].category == cat && m >= m_hotspots[h].from && m <= m_hotspots[h].to) active.push_back(h);
      for (uint64_t k = 0; k < n; ++k) {
        int32_t comp = -1;
        double u = rng.uniform();
        for (uint32_t h : active) {
          if (u < m_hotspots[h].share) {
            comp = static_cast<int32_t>(h);
            break;
          }
          u -= m_hotspots[h].share;
        }
        Point p = comp >= 0 ? hotspot_point(m_hotspots[static_cast<std::size_t>(comp)], rng) : background_point(rng);
        if (m_cfg.snap && !m_population.empty()) p = m_population[m_nearest.nearest(p.x(), p.y())];
        const DayNumber day = day0 + static_cast<DayNumber>(rng.below(static_cast<uint64_t>(ndays)));
        // Effects: removal in the target, duplication in the ring.
        bool keep = true;
        int copies = 1;
        for (std::size_t e = 0; e < m_cfg.effects.size(); ++e) {
          const SynthEffect& ef = m_cfg.effects[e];
          if (m < ef.from || !applies(ef, cat)) continue;
          const double d = std::hypot(p.x() - ef.x_m, p.y() - ef.y_m);
          if (d <= ef.radius_m) {
            if (rng.uniform() < ef.drop_pct / 100.0) {
              keep = false;
              ++part.removed[e];
              break;
            }
          } else if (d <= ef.radius_m + ef.ring_m) {
            if (rng.uniform() < ef.displace_pct / 100.0) {
              ++copies;
              ++part.displaced[e];
            }
          }
        }
        if (!keep) continue;
        for (int c2 = 0; c2 < copies; ++c2) {
          IncidentTable::Row row;
          row.x_m = p.x();
          row.y_m = p.y();
          row.month = m;
          row.day = day;
          row.category = cat;
          row.method = GeocodeMethod::xy;
          row.score = 100;
          if (m_cfg.area_codes) {
            const uint32_t a = m_cfg.area_codes->locate(p.x(), p.y());
            if (a != AreaSet::kNone) row.area = part.table.area_codes().intern((*m_cfg.area_codes)[a].code);
          }
          part.table.push_back(row);
          part.component.push_back(comp);
        }
      }
    }
  }

 private:
  // Expected share of a month's incidents in category ci (mix share x yearly cycle).
  double weight(MonthIndex m, std::size_t ci) const {
    const Category& c = m_tax.get(m_mix[ci].first);
    const double moy = static_cast<double>(month_of(m));
    return m_mix[ci].second * (1.0 + seasonal_amplitude(c, m_cfg.seasonality) *
                                         std::cos(2.0 * std::numbers::pi * (moy - seasonal_peak_month(c)) / 12.0));
  }

  // Exactly total_rows incidents over (month, category) cells in proportion to their
  // weights: floor of each expected count, then the largest remainders get one more.
  void allocate_fixed_counts() {
    const auto months = static_cast<std::size_t>(m_cfg.last - m_cfg.first + 1);
    const std::size_t cells = months * m_mix.size();
    std::vector<double> w(cells);
    double total = 0;
    for (std::size_t mi = 0; mi < months; ++mi)
      for (std::size_t ci = 0; ci < m_mix.size(); ++ci) {
        w[mi * m_mix.size() + ci] = weight(m_cfg.first + static_cast<MonthIndex>(mi), ci);
        total += w[mi * m_mix.size() + ci];
      }
    m_fixed.assign(cells, 0);
    std::vector<std::pair<double, std::size_t>> remainder(cells);
    uint64_t assigned = 0;
    for (std::size_t k = 0; k < cells; ++k) {
      const double exact = static_cast<double>(m_cfg.total_rows) * w[k] / total;
      m_fixed[k] = static_cast<uint64_t>(exact);
      assigned += m_fixed[k];
      remainder[k] = {exact - static_cast<double>(m_fixed[k]), k};
    }
    std::sort(remainder.begin(), remainder.end(),
              [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    for (std::size_t k = 0; assigned < m_cfg.total_rows && k < cells; ++k, ++assigned) ++m_fixed[remainder[k].second];
  }

  // Population points outside the boundary are ignored: snapping to one would move
  // an incident out of the study area.
  static std::vector<Point> inside_only(const SynthConfig& cfg) {
    if (!cfg.boundary) return cfg.population;
    std::vector<Point> in;
    for (const auto& p : cfg.population)
      if (cfg.boundary->locate(p.x(), p.y()) != AreaSet::kNone) in.push_back(p);
    return in;
  }

  static bool applies(const SynthEffect& e, CategoryId c) {
    return e.categories.empty() || std::find(e.categories.begin(), e.categories.end(), c) != e.categories.end();
  }

  bool inside(const Point& p) const {
    if (m_cfg.boundary) return m_cfg.boundary->locate(p.x(), p.y()) != AreaSet::kNone;
    return p.x() >= m_box.min_corner().x() && p.x() <= m_box.max_corner().x() && p.y() >= m_box.min_corner().y() &&
           p.y() <= m_box.max_corner().y();
  }

  Point uniform_point(Rng& rng) const {
    for (int attempt = 0; attempt < 10000; ++attempt) {
      Point p(rng.uniform(m_box.min_corner().x(), m_box.max_corner().x()),
              rng.uniform(m_box.min_corner().y(), m_box.max_corner().y()));
      if (inside(p)) return p;
    }
    return Point((m_box.min_corner().x() + m_box.max_corner().x()) / 2, (m_box.min_corner().y() + m_box.max_corner().y()) / 2);
  }

  Point background_point(Rng& rng) const {
    if (m_population.empty()) return uniform_point(rng);
    for (int attempt = 0; attempt < 50; ++attempt) {
      const Point& c = m_population[rng.below(m_population.size())];
      Point p(c.x() + rng.normal() * m_cfg.population_jitter_m, c.y() + rng.normal() * m_cfg.population_jitter_m);
      if (inside(p)) return p;
    }
    return uniform_point(rng);
  }

  Point hotspot_point(const SynthHotspot& h, Rng& rng) const {
    for (int attempt = 0; attempt < 50; ++attempt) {
      Point p(h.x_m + rng.normal() * h.sigma_m, h.y_m + rng.normal() * h.sigma_m);
      if (inside(p)) return p;
    }
    return Point(h.x_m, h.y_m);
  }

  void make_hotspots() {
    Rng rng = Rng(m_cfg.seed).stream(1);
    const int k = std::max(0, m_cfg.hotspots_per_category);
    const MonthIndex mid = m_cfg.first + (m_cfg.last - m_cfg.first + 1) / 2;
    for (const auto& entry : m_mix) {
      const CategoryId cat = entry.first;
      for (int i = 0; i < k; ++i) {
        SynthHotspot h;
        h.category = cat;
        const Point c = m_population.empty() ? uniform_point(rng)
                                                 : m_population[rng.below(m_population.size())];
        h.x_m = c.x();
        h.y_m = c.y();
        h.sigma_m = rng.uniform(80.0, 250.0);
        h.share = m_cfg.hotspot_share / static_cast<double>(k);
        h.from = (k >= 3 && i == k - 1) ? mid : m_cfg.first;
        h.to = m_cfg.last;
        h.automatic = true;
        m_hotspots.push_back(h);
      }
    }
    for (const auto& h : m_cfg.hotspots) m_hotspots.push_back(h);
  }

  const SynthConfig& m_cfg;
  const Taxonomy& m_tax;
  std::vector<Point> m_population;  // inside the boundary
  NearestIndex m_nearest;
  std::vector<std::pair<CategoryId, double>> m_mix;
  Box m_box;
  std::vector<SynthHotspot> m_hotspots;
  std::vector<uint64_t> m_fixed;  // per (month, category) when total_rows > 0
};

}  // namespace

std::vector<std::pair<CategoryId, double>> default_mix(const Taxonomy& t) {
  const std::pair<const char*, double> shares[] = {
      {"Anti-social behaviour", 0.17},   {"Violence and sexual offences", 0.33},
      {"Criminal damage and arson", 0.08}, {"Other theft", 0.06},
      {"Shoplifting", 0.07},              {"Vehicle crime", 0.06},
      {"Burglary", 0.04},                 {"Public order", 0.09},
      {"Drugs", 0.03},                    {"Other crime", 0.02},
      {"Robbery", 0.01},                  {"Theft from the person", 0.015},
      {"Bicycle theft", 0.01},            {"Possession of weapons", 0.01}};
  std::vector<std::pair<CategoryId, double>> mix;
  for (const auto& [name, share] : shares) mix.emplace_back(*t.find(name), share);
  return mix;
}

IncidentTable synthesize(const SynthConfig& config, const Taxonomy& taxonomy, SynthTruth* truth) {
  Generator gen(config, taxonomy);
  const auto months = static_cast<std::size_t>(config.last - config.first + 1);
  std::vector<MonthPart> parts(months);
  unsigned threads = config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, months));
  if (threads <= 1) {
    for (std::size_t i = 0; i < months; ++i) gen.month(config.first + static_cast<MonthIndex>(i), parts[i]);
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        for (std::size_t i = t; i < months; i += threads) gen.month(config.first + static_cast<MonthIndex>(i), parts[i]);
      });
    for (auto& th : pool) th.join();
  }

  IncidentTable out;
  std::size_t total = 0;
  for (const auto& p : parts) total += p.table.size();
  out.reserve(total);
  for (auto& p : parts) {
    p.table.add_source("synthetic");  // every row has source 0 = "synthetic"
    out.append(p.table);
  }
  // Planted near repeats: follow-ups of the generated rows, appended in row order.
  uint64_t follow_ups = 0;
  const std::size_t generated = out.size();
  for (std::size_t k = 0; k < config.near_repeats.size(); ++k) {
    const SynthNearRepeat& nr = config.near_repeats[k];
    if (!(nr.probability > 0) || nr.days < 1) continue;
    Rng rng = Rng(config.seed).stream(500000 + k);
    for (std::size_t i = 0; i < generated; ++i) {
      if (out.category()[i] != nr.category || !(rng.uniform() < nr.probability)) continue;
      const DayNumber day = out.day()[i] + 1 + static_cast<DayNumber>(rng.below(static_cast<uint64_t>(nr.days)));
      Point q;
      if (month_of_day(day) > config.last || !gen.near_point(Point(out.x_m()[i], out.y_m()[i]), nr, rng, q)) continue;
      IncidentTable::Row row = out.row(i);
      row.x_m = q.x();
      row.y_m = q.y();
      row.day = day;
      row.month = month_of_day(day);
      row.area = StringPool::kEmpty;
      if (config.area_codes) {
        const uint32_t a = config.area_codes->locate(q.x(), q.y());
        if (a != AreaSet::kNone) row.area = out.area_codes().intern((*config.area_codes)[a].code);
      }
      out.push_back(row);
      ++follow_ups;
    }
  }
  // Line numbers: the row's position in the output, 1-based, as if written to one file.
  auto lines = out.line_mut();
  for (std::size_t i = 0; i < lines.size(); ++i) lines[i] = static_cast<uint32_t>(i + 1);

  if (truth) {
    *truth = SynthTruth{};
    truth->hotspots = gen.hotspots();
    truth->hotspot_counts.assign(truth->hotspots.size(), 0);
    truth->category_counts.assign(taxonomy.size(), 0);
    for (const auto& p : parts)
      for (int32_t c : p.component)
        if (c >= 0) ++truth->hotspot_counts[static_cast<std::size_t>(c)];
    for (std::size_t i = 0; i < out.size(); ++i) ++truth->category_counts[out.category()[i]];
    truth->total = out.size();
    truth->near_repeat_follow_ups = follow_ups;
    for (std::size_t e = 0; e < config.effects.size(); ++e) {
      const SynthEffect& ef = config.effects[e];
      SynthEffectTruth et;
      et.name = ef.name;
      et.months_before = std::max(0, ef.from - config.first);
      et.months_after = std::max(0, config.last - ef.from + 1);
      for (const auto& p : parts) {
        et.removed += p.removed[e];
        et.displaced += p.displaced[e];
      }
      for (std::size_t i = 0; i < out.size(); ++i) {
        const CategoryId c = out.category()[i];
        if (!ef.categories.empty() && std::find(ef.categories.begin(), ef.categories.end(), c) == ef.categories.end())
          continue;
        const double d = std::hypot(out.x_m()[i] - ef.x_m, out.y_m()[i] - ef.y_m);
        const bool after = out.month()[i] >= ef.from;
        if (d <= ef.radius_m) (after ? et.target_after : et.target_before)++;
        else if (d <= ef.radius_m + ef.ring_m) (after ? et.ring_after : et.ring_before)++;
      }
      truth->effects.push_back(std::move(et));
    }
  }
  return out;
}

std::vector<Point> synthetic_map_points(const Box& bbox, std::size_t n, uint64_t seed) {
  Rng rng = Rng(seed).stream(7);
  const double w = bbox.max_corner().x() - bbox.min_corner().x();
  const double h = bbox.max_corner().y() - bbox.min_corner().y();
  // Towns with Pareto-like sizes; each point belongs to a town chosen by size.
  const std::size_t towns = std::max<std::size_t>(1, n / 250);
  std::vector<Point> centre(towns);
  std::vector<double> cum(towns);
  double total = 0;
  for (std::size_t i = 0; i < towns; ++i) {
    centre[i] = Point(bbox.min_corner().x() + rng.uniform() * w, bbox.min_corner().y() + rng.uniform() * h);
    total += 1.0 / std::pow(1.0 - rng.uniform() * 0.999, 1.0 / 1.2);  // Pareto(alpha = 1.2)
    cum[i] = total;
  }
  std::vector<Point> pts;
  pts.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double u = rng.uniform() * total;
    const auto idx = static_cast<std::size_t>(std::lower_bound(cum.begin(), cum.end(), u) - cum.begin());
    const std::size_t t = std::min(idx, towns - 1);
    const double size = cum[t] - (t ? cum[t - 1] : 0.0);
    const double sigma = 800.0 * std::sqrt(size);
    Point p(centre[t].x() + rng.normal() * sigma, centre[t].y() + rng.normal() * sigma);
    p = Point(std::clamp(p.x(), bbox.min_corner().x(), bbox.max_corner().x()),
              std::clamp(p.y(), bbox.min_corner().y(), bbox.max_corner().y()));
    pts.push_back(p);
  }
  return pts;
}

}  // namespace hotspot::core
