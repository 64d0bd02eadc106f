// The tasking pack of `hotspot run`: PNG maps of the layers (DIR/maps/*.png) and
// report.md, the document a tasking meeting reads (report.html is rendered from it).
//
// [SECTION] index
//  - Map helpers (extent, reference layer, furniture text)
//  - draw_maps(): hot spots, density, emerging hot spots, targets
//  - tasking_report()

#include <boost/geometry/algorithms/centroid.hpp>
#include <boost/geometry/algorithms/expand.hpp>
#include <boost/geometry/strategies/strategies.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "core/base/error.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/render/map_png.hpp"
#include "layers/study/detail/run_state.hpp"

namespace hotspot::layers::detail {

namespace fs = std::filesystem;

namespace {

// [SECTION] Map helpers ----------------------------------------------------------------

constexpr Rgba kOutline{60, 60, 60, 255};
constexpr Rgba kStudyOutline{20, 20, 20, 255};
constexpr Rgba kNoPattern{235, 235, 235, 255};

core::Box expand_box(core::Box b, const core::Box& other) {
  boost::geometry::expand(b, other);
  return b;
}

// The area the maps show: the study boundary, else the grid's cells, else the incidents.
core::Box map_extent(const RunState& s) {
  core::Box box({1e300, 1e300}, {-1e300, -1e300});
  if (const Boundary* b = s.boundary(s.study->study_area)) {
    for (uint32_t a = 0; a < b->read.areas.size(); ++a) box = expand_box(box, b->read.areas[a].bbox);
    return box;
  }
  if (s.hot) {
    const auto& g = s.hot->grid;
    const double h = g.cell_m() / 2;
    for (uint32_t c = 0; c < g.size(); ++c)
      box = expand_box(box, core::Box({g.centre_x(c) - h, g.centre_y(c) - h}, {g.centre_x(c) + h, g.centre_y(c) + h}));
    return box;
  }
  for (std::size_t i = 0; i < s.table.size(); ++i)
    boost::geometry::expand(box, core::Point(s.table.x_m()[i], s.table.y_m()[i]));
  return box;
}

const Boundary* reference_layer(const RunState& s) { return s.reference_layer(); }

std::string period_text(const RunState& s) {
  if (!s.nmonths) return "";
  return core::format_month(s.first) + " to " + core::format_month(s.last);
}

void draw_reference(MapImage& map, const RunState& s, bool labels) {
  if (const Boundary* ref = reference_layer(s)) {
    std::vector<core::MultiPolygon> shapes;
    std::vector<std::string> names;
    std::vector<core::Point> at;
    for (uint32_t a = 0; a < ref->read.areas.size(); ++a) {
      const auto& area = ref->read.areas[a];
      shapes.push_back(area.geometry);
      names.push_back(area.name.empty() ? area.code : area.name);
      core::Point c;
      boost::geometry::centroid(area.geometry, c);
      at.push_back(c);
    }
    map.outlines(shapes, kOutline, 1.2);
    if (labels) map.labels(names, at, 13);
  }
  if (const Boundary* b = s.boundary(s.study->study_area)) {
    std::vector<core::MultiPolygon> shapes;
    for (uint32_t a = 0; a < b->read.areas.size(); ++a) shapes.push_back(b->read.areas[a].geometry);
    map.outlines(shapes, kStudyOutline, 2.6);
  }
}

std::string ref_note(const RunState& s) {
  const Boundary* ref = reference_layer(s);
  std::string n = ref ? "Outlines: " + ref->spec->key + " (" + std::to_string(ref->read.areas.size()) + ")" : "";
  if (s.boundary(s.study->study_area)) n += std::string(n.empty() ? "" : "; ") + "bold: the study boundary.";
  return n;
}

std::vector<core::Polygon> cell_polygons(const core::Grid& g) {
  std::vector<core::Polygon> out;
  out.reserve(g.size());
  for (uint32_t c = 0; c < g.size(); ++c) out.push_back(g.polygon(c));
  return out;
}

MapOptions map_options(const RunState& s, const std::string& title, const std::string& what) {
  MapOptions o;
  o.title = title;
  o.subtitle = s.study->name + (s.nmonths ? ", " + period_text(s) : "") + (what.empty() ? "" : ". " + what);
  o.extent = map_extent(s);
  return o;
}

void save(RunState& s, MapImage& map, const std::string& file, const std::string& title) {
  map.save(s.out / "maps" / file);
  for (const auto& w : map.warnings())
    if (std::find(s.warnings.begin(), s.warnings.end(), w) == s.warnings.end()) s.warnings.push_back(w);
  s.maps.emplace_back(title, "maps/" + file);
}

const char* bin_label(int b) {
  switch (b) {
    case 3: return "Hot spot, 99% confidence";
    case 2: return "Hot spot, 95% confidence";
    case 1: return "Hot spot, 90% confidence";
    case -1: return "Cold spot, 90% confidence";
    case -2: return "Cold spot, 95% confidence";
    case -3: return "Cold spot, 99% confidence";
    default: return "Not significant";
  }
}

}  // namespace

// [SECTION] draw_maps() ------------------------------------------------------------------

void draw_maps(RunState& s) {
  std::error_code ec;
  fs::create_directories(s.out / "maps", ec);
  if (ec) throw IoError((s.out / "maps").string() + ": cannot create: " + ec.message());
  const std::string incidents_note =
      thousands(s.hot ? static_cast<uint64_t>(std::accumulate(s.hot->counts.begin(), s.hot->counts.end(), 0.0))
                      : s.table.size()) +
      " incidents (" + s.grid_selection + ").";

  // Hot spots (Gi* bins).
  if (s.hot && s.has_gistar) {
    const auto& h = *s.hot;
    MapImage map(map_options(s, "Hot spots: where incidents cluster (Gi*)",
                             fixed(h.cell_m, 0) + " m cells, " + fixed(h.band_m, 0) + " m neighbourhood, FDR-corrected"));
    std::vector<Rgba> fill(h.grid.size());
    std::array<std::size_t, 7> n{};
    for (uint32_t c = 0; c < h.grid.size(); ++c) {
      fill[c] = palette::gi_bin(h.bins[c]);
      ++n[static_cast<std::size_t>(h.bins[c] + 3)];
    }
    const auto polys = cell_polygons(h.grid);
    map.polygons(polys, fill);
    draw_reference(map, s, true);
    std::vector<LegendItem> items;
    for (int b = 3; b >= -3; --b)
      items.push_back({palette::gi_bin(b), std::string(bin_label(b)) + " (" + thousands(n[static_cast<std::size_t>(b + 3)]) + ")"});
    map.legend("Getis-Ord Gi* (cells)", items);
    map.note(incidents_note);
    map.note("Hot spot: a cell whose neighbourhood has significantly more incidents than the study average. Colours: "
             "ColorBrewer RdBu (colour-blind safe).");
    if (auto n2 = ref_note(s); !n2.empty()) map.note(n2);
    save(s, map, "hotspots.png", "Hot spots (Gi*)");
  }

  // Density (KDE).
  if (s.kde) {
    const auto& k = *s.kde;
    std::vector<double> nz;
    for (double v : k.values)
      if (v > 0 && std::isfinite(v)) nz.push_back(v);
    double top = 0;
    if (!nz.empty()) {
      const std::size_t at = static_cast<std::size_t>(0.995 * static_cast<double>(nz.size() - 1));
      std::nth_element(nz.begin(), nz.begin() + static_cast<std::ptrdiff_t>(at), nz.end());
      top = nz[at];
    }
    MapImage map(map_options(s, "Incident density (kernel density)",
                             std::string(kernel_name(k.kernel)) + " kernel, " + fixed(k.radius_m, 0) + " m radius, " +
                                 fixed(k.cell_m, 0) + " m pixels"));
    const double floor_v = top * 0.02;
    auto ramp = [&](double v) -> Rgba {
      if (!(v > floor_v) || !(top > 0)) return {0, 0, 0, 0};
      Rgba c = palette::viridis(std::sqrt(std::min(1.0, v / top)));
      c.a = 235;
      return c;
    };
    map.raster(k.x0, k.y1, k.cell_m, k.columns, k.rows, k.values, ramp);
    draw_reference(map, s, true);
    map.ramp_legend("Incidents per km\u00b2", [](double t) { return palette::viridis(t); },
                    fixed(floor_v, floor_v < 10 ? 1 : 0) + " (below: blank)", "\u2265 " + fixed(top, top < 10 ? 1 : 0));
    map.note("Square-root colour scale (viridis, colour-blind safe); the top is the 99.5th percentile.");
    map.note(incidents_note);
    if (auto n2 = ref_note(s); !n2.empty()) map.note(n2);
    save(s, map, "density.png", "Incident density (KDE)");
  }

  // Emerging hot spots.
  if (s.hot && s.emerging && s.emerging->category.size() == s.hot->grid.size()) {
    const auto& e = *s.emerging;
    MapImage map(map_options(s, "Emerging hot spots: how hot spots change over time",
                             std::to_string(e.periods) + " periods, " + fixed(s.emerging_band_m, 0) + " m neighbourhood"));
    std::vector<Rgba> fill(e.cells);
    for (std::size_t c = 0; c < e.cells; ++c) {
      const auto k = static_cast<int>(e.category[c]);
      fill[c] = k == 0 ? kNoPattern : palette::emerging(k);
    }
    map.polygons(cell_polygons(s.hot->grid), fill);
    draw_reference(map, s, true);
    std::vector<LegendItem> items;
    for (std::size_t k = 1; k < core::kEmergingCategories; ++k)
      if (e.category_counts[k])
        items.push_back({palette::emerging(static_cast<int>(k)),
                         std::string(core::emerging_category_name(static_cast<core::EmergingCategory>(k))) + " (" +
                             thousands(e.category_counts[k]) + ")"});
    items.push_back({kNoPattern, "No Pattern Detected (" + thousands(e.category_counts[0]) + ")"});
    map.legend("Emerging hot spot category", items);
    map.note("Esri's categories from space-time Gi* and the Mann-Kendall trend of each cell.");
    if (auto n2 = ref_note(s); !n2.empty()) map.note(n2);
    save(s, map, "emerging.png", "Emerging hot spots");
  }

  // Targets: the top units of each ranking, numbered.
  for (const auto& ur : s.rankings) {
    const std::size_t top = std::min<std::size_t>(ur.ranking.units.size(), static_cast<std::size_t>(s.study->rank->top));
    if (top == 0) continue;
    MapImage map(map_options(s, "Target areas: the top " + std::to_string(top) + " " + (ur.boundary ? ur.unit : "cells"),
                             "ranked by score (count, harm, hot spot status)"));
    std::vector<core::Point> at;
    std::vector<std::string> text;
    std::vector<LegendItem> items;
    const double max_score = ur.ranking.units.front().score;
    auto score_colour = [&](double sc) {
      Rgba c = palette::viridis(max_score > 0 ? sc / max_score : 0);
      c.a = 200;
      return c;
    };
    if (ur.boundary) {
      std::vector<core::MultiPolygon> shapes;
      std::vector<Rgba> fill;
      for (const auto& u : ur.ranking.units) {
        shapes.push_back(ur.boundary->read.areas[u.unit].geometry);
        fill.push_back(score_colour(u.score));
      }
      map.polygons(shapes, fill);
      map.outlines(shapes, Rgba{255, 255, 255, 255}, 0.8);
      map.ramp_legend("Score", [](double t) { return palette::viridis(t); }, "0", fixed(max_score, 2));
    } else {
      std::vector<core::Polygon> shapes;
      std::vector<Rgba> fill;
      for (std::size_t k = 0; k < top; ++k) {
        shapes.push_back(s.hot->grid.polygon(ur.ranking.units[k].unit));
        fill.push_back(Rgba{178, 24, 43, 255});
      }
      map.polygons(shapes, fill);
      items.push_back({Rgba{178, 24, 43, 255}, "Top " + std::to_string(top) + " cells"});
    }
    draw_reference(map, s, ur.boundary == nullptr || ur.boundary != reference_layer(s));
    for (std::size_t k = 0; k < top; ++k) {
      at.push_back(ur.centre[ur.ranking.units[k].unit]);
      text.push_back(std::to_string(k + 1));
    }
    map.markers(at, text, Rgba{33, 33, 33, 255}, 12);
    items.push_back({Rgba{33, 33, 33, 255}, "Rank (1 = first target)"});
    map.legend("Targets", items);
    map.note("Where markers would overlap, the higher rank is shown.");
    for (std::size_t k = 0; k < std::min<std::size_t>(top, 10); ++k) {
      const auto& u = ur.ranking.units[k];
      std::string name = ur.input.names.empty() || ur.input.names[u.unit].empty() ? ur.input.ids[u.unit]
                                                                                    : ur.input.names[u.unit];
      if (!ur.boundary)  // a cell: where it is
        name = "cell at " + fixed(ur.centre[u.unit].x(), 0) + ", " + fixed(ur.centre[u.unit].y(), 0) +
               (ur.input.names.empty() || ur.input.names[u.unit].empty() ? "" : " (" + ur.input.names[u.unit] + ")");
      map.note(std::to_string(k + 1) + ". " + name + ": " + fixed(u.score, 2));
    }
    save(s, map, "targets_" + ur.unit + ".png", "Target " + ur.unit);
  }
}

// [SECTION] tasking_report() ----------------------------------------------------------------

std::string tasking_report(const RunState& s) {
  const Study& st = *s.study;
  std::ostringstream md;
  md << "# " << st.name << ": tasking pack\n\n";
  if (!st.description.empty()) md << st.description << "\n\n";
  if (s.nmonths)
    md << "**Period covered:** " << core::format_month(s.first) << " to " << core::format_month(s.last) << " ("
       << s.nmonths << " months). **Incidents analysed:** " << thousands(s.table.size())
       << ". Study file: `" << st.file.string() << "`.\n\n";

  // Key points first: what a meeting needs in thirty seconds.
  md << "## Key points\n\n";
  for (const auto& ur : s.rankings) {
    if (ur.ranking.units.empty()) continue;
    const auto& u = ur.ranking.units.front();
    std::string name = ur.input.names.empty() || ur.input.names[u.unit].empty() ? ur.input.ids[u.unit]
                                                                                  : ur.input.names[u.unit];
    if (!ur.boundary)
      name = "the " + fixed(s.hot->cell_m, 0) + " m cell at " + fixed(ur.centre[u.unit].x(), 0) + ", " +
             fixed(ur.centre[u.unit].y(), 0) +
             (ur.input.names.empty() || ur.input.names[u.unit].empty() ? "" : " in " + ur.input.names[u.unit]);
    md << "- Top target (" << ur.unit << "): **" << name << "**, score " << fixed(u.score, 2) << ": " << u.reasons << ".\n";
  }
  if (s.hot && s.has_gistar)
    md << "- " << thousands(s.hot->hot) << " of " << thousands(s.hot->grid.size()) << " cells of " << fixed(s.hot->cell_m, 0)
       << " m are significant hot spots (90% confidence or more, FDR-corrected); " << thousands(s.hot->cold)
       << " are cold spots.\n";
  if (s.emerging) {
    const auto& c = s.emerging->category_counts;
    auto n = [&](core::EmergingCategory k) { return c[static_cast<std::size_t>(k)]; };
    md << "- Emerging hot spots: " << n(core::EmergingCategory::new_hot) << " new, "
       << n(core::EmergingCategory::consecutive_hot) << " consecutive, " << n(core::EmergingCategory::intensifying_hot)
       << " intensifying, " << n(core::EmergingCategory::persistent_hot) << " persistent, "
       << n(core::EmergingCategory::diminishing_hot) << " diminishing hot spot cells.\n";
  }
  if (s.evaluation)
    md << "- Before/after: " << s.evaluation->evaluated << " of " << s.evaluation->interventions
       << " interventions evaluated (section below).\n";
  md << "- Data: " << thousands(s.counts.read) << " rows read, " << thousands(s.counts.accepted) << " used, "
     << thousands(s.counts.rejected) << " rejected with a reason.\n\n";

  // Data quality.
  md << "## Data quality\n\n";
  md << "| input | files | rows read | accepted | rejected |\n|---|---:|---:|---:|---:|\n";
  for (const auto& in : s.inputs_json)
    md << "| " << in["name"].get<std::string>() << " | " << in["files"].get<std::size_t>() << " | "
       << thousands(in["read"].get<uint64_t>()) << " | " << thousands(in["accepted"].get<uint64_t>()) << " | "
       << thousands(in["rejected"].get<uint64_t>()) << " |\n";
  md << "\nEvery row is accounted for: rows read = accepted + rejected (" << thousands(s.counts.read) << " = "
     << thousands(s.counts.accepted) << " + " << thousands(s.counts.rejected)
     << "). Rejected rows, with file, line and reason, are in `rejects.csv`.\n\n";
  if (s.counts.rejected) {
    md << "| reason | rows | meaning |\n|---|---:|---|\n";
    for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
      if (s.counts.by_code[c])
        md << "| " << core::issue_code_name(static_cast<core::IssueCode>(c)) << " | " << thousands(s.counts.by_code[c])
           << " | " << core::describe(static_cast<core::IssueCode>(c)) << " |\n";
    md << "\n";
  }
  if (s.address_rows)
    md << "Geocoding hit rate: " << thousands(s.geocoded) << " of " << thousands(s.geocoded + s.not_geocoded)
       << " address rows placed ("
       << percent(static_cast<double>(s.geocoded), static_cast<double>(s.geocoded + s.not_geocoded)) << ").\n\n";
  else
    md << "Geocoding: no input is located by address (every row carries coordinates), so there is no geocoding hit "
          "rate to report.\n\n";
  if (!s.published_json.is_null() && s.pub)
    md << "Published area codes (" << s.published_layer << "): " << thousands(s.agree) << " of " << thousands(s.with_code)
       << " rows (" << percent(static_cast<double>(s.agree), static_cast<double>(s.with_code))
       << ") carry the same code as the polygon their point falls in. police.uk snaps points to anonymous map "
          "points, which can cross boundaries, and older files use 2011 LSOA codes.\n\n";

  // Targets.
  for (const auto& ur : s.rankings) {
    const std::size_t top = std::min<std::size_t>(ur.ranking.units.size(), static_cast<std::size_t>(st.rank->top));
    md << "## Target " << ur.unit << ": the top " << top << " of " << thousands(ur.ranking.total_units) << "\n\n";
    md << "| rank | " << (ur.boundary ? "code | name" : "cell id | centre (E, N)") << " | incidents | harm (days) | Gi* bin | "
       << "emerging | count | harm | hot spot | emerging | **score** | why |\n";
    md << "|---:|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|\n";
    for (std::size_t k = 0; k < top; ++k) {
      const auto& u = ur.ranking.units[k];
      md << "| " << u.rank << " | " << ur.input.ids[u.unit] << " | ";
      if (ur.boundary) md << (ur.input.names.empty() ? "" : ur.input.names[u.unit]);
      else
        md << fixed(ur.centre[u.unit].x(), 0) << ", " << fixed(ur.centre[u.unit].y(), 0)
           << (ur.input.names.empty() || ur.input.names[u.unit].empty() ? "" : " (" + ur.input.names[u.unit] + ")");
      md << " | " << thousands(static_cast<uint64_t>(u.count)) << " | "
         << (std::isfinite(u.harm_days) ? thousands(static_cast<uint64_t>(std::llround(u.harm_days))) : "n/a") << " | "
         << (ur.input.gi_bin.empty() ? std::string("n/a") : std::to_string(u.gi_bin)) << " | "
         << (ur.input.emerging.empty() ? "n/a" : core::emerging_category_name(u.emerging)) << " | "
         << fixed(u.count_part, 2) << " | " << fixed(u.harm_part, 2) << " | " << fixed(u.hotspot_part, 2) << " | "
         << fixed(u.emerging_part, 2) << " | **" << fixed(u.score, 2) << "** | " << u.reasons << " |\n";
    }
    md << "\nThe score adds parts that are each between 0 and 1: the percentile rank of the count and of the harm "
          "among all "
       << ur.unit << ", the Gi* hot spot bin / 3 and the emerging hot spot weight (new, consecutive, intensifying "
                     "and persistent hot spots 1). Ties are ordered by id. Harm: "
       << core::default_harm_source() << ". Full list: `tables/rank_" << ur.unit << ".csv`.";
    if (ur.boundary)
      md << " Gi* bins and emerging hot spot categories are properties of grid cells, so " << ur.unit
         << " are ranked by count and harm (their hot spot parts are 0; see the cell ranking and the maps for where "
            "the hot spots sit inside them).";
    md << "\n\n";
    for (const auto& [title, path] : s.maps)
      if (path == "maps/targets_" + ur.unit + ".png") md << "![" << title << "](" << path << ")\n\n";
  }

  // Hot spots.
  if (s.hot && s.has_gistar) {
    md << "## Hot spots (Gi*)\n\n";
    for (const auto& [title, path] : s.maps)
      if (path == "maps/hotspots.png") md << "![" << title << "](" << path << ")\n\n";
    md << "How the analysis was set up (each decision as made):\n\n";
    for (const auto& d : s.hot->decisions) md << "- " << d << "\n";
    md << "\n";
  }
  if (s.kde) {
    md << "## Density (KDE)\n\n";
    for (const auto& [title, path] : s.maps)
      if (path == "maps/density.png") md << "![" << title << "](" << path << ")\n\n";
    md << "Kernel density of " << s.grid_selection << ": " << kernel_name(s.kde->kernel) << " kernel, radius "
       << fixed(s.kde->radius_m, 0) << " m" << (s.kde->radius_from_rule ? " (ArcGIS's default rule)" : "") << ", "
       << fixed(s.kde->cell_m, 0) << " m pixels, in " << density_unit_name(s.kde->unit)
       << ". The surface is `kde.tif` (GeoTIFF, EPSG:27700).\n\n";
  }
  if (s.emerging) {
    md << "## Emerging hot spots\n\n";
    for (const auto& [title, path] : s.maps)
      if (path == "maps/emerging.png") md << "![" << title << "](" << path << ")\n\n";
    md << "| category | cells |\n|---|---:|\n";
    for (std::size_t k = 0; k < core::kEmergingCategories; ++k)
      if (s.emerging->category_counts[k])
        md << "| " << core::emerging_category_name(static_cast<core::EmergingCategory>(k)) << " | "
           << thousands(s.emerging->category_counts[k]) << " |\n";
    md << "\n" << s.emerging->periods << " periods";
    if (!s.emerging_periods.empty()) md << " (" << s.emerging_periods.front() << " to " << s.emerging_periods.back() << ")";
    md << ", neighbourhood " << fixed(s.emerging_band_m, 0)
       << " m and one period back; Mann-Kendall trend at 95%. Per cell: `tables/grid_cells.csv`.\n\n";
  }
  if (s.evaluation && !s.evaluation->markdown.empty()) md << s.evaluation->markdown << "\n";

  // Counts.
  md << "## Incidents by category\n\n| category | incidents | share |\n|---|---:|---:|\n";
  for (auto c : s.cats)
    if (s.by_cat[c])
      md << "| " << s.tax.get(c).name << " | " << thousands(s.by_cat[c]) << " | "
         << percent(static_cast<double>(s.by_cat[c]), static_cast<double>(s.table.size())) << " |\n";
  md << "| **all** | **" << thousands(s.table.size()) << "** | |\n\n";
  for (const auto& b : s.bounds) {
    if (st.study_area == b.spec->key) continue;
    md << "## " << b.spec->key << ": the ten areas with most incidents\n\n";
    std::vector<std::pair<uint64_t, uint32_t>> order;
    for (uint32_t a = 0; a < b.read.areas.size(); ++a) order.emplace_back(b.total(a, s.cats, s.ncat), a);
    std::sort(order.begin(), order.end(), [&](const auto& x, const auto& y) {
      return x.first > y.first || (x.first == y.first && b.read.areas[x.second].code < b.read.areas[y.second].code);
    });
    md << "| rank | code | name | incidents | per km2 |\n|---:|---|---|---:|---:|\n";
    for (std::size_t r = 0; r < std::min<std::size_t>(10, order.size()); ++r) {
      const auto& area = b.read.areas[order[r].second];
      md << "| " << r + 1 << " | " << area.code << " | " << area.name << " | " << thousands(order[r].first) << " | "
         << fixed(static_cast<double>(order[r].first) / (area.area_m2 / 1e6), 1) << " |\n";
    }
    md << "\n" << thousands(b.outside) << " incidents fall outside every " << b.spec->key << " polygon.\n\n";
  }
  md << "## Monthly totals\n\n| month | incidents |\n|---|---:|\n";
  for (std::size_t m = 0; m < s.nmonths; ++m)
    md << "| " << core::format_month(s.first + static_cast<core::MonthIndex>(m)) << " | " << thousands(s.month_total(m))
       << " |\n";
  if (!s.warnings.empty()) {
    md << "\n## Warnings\n\n";
    for (const auto& w : s.warnings) md << "- " << w << "\n";
  }
  md << "\n## Outputs\n\n";
  md << "- `study.gpkg`: every layer (EPSG:27700) with QGIS styles: `incidents`, `monthly_counts`";
  for (const auto& b : s.bounds) md << ", `" << b.spec->key << "_counts`";
  if (!s.published.empty()) md << ", `published_area_counts`";
  if (s.hot) md << ", `grid_cells`";
  for (const auto& ur : s.rankings) md << ", `targets_" << ur.unit << "`";
  if (s.evaluation) md << ", `evaluation_targets`, `evaluation_buffers`, `evaluation_controls`";
  md << "\n- `tables/*.csv`, `geojson/*.geojson` (WGS84, RFC 7946), ";
  if (s.kde) md << "`kde.tif`, ";
  md << "`maps/*.png`, `rejects.csv`, `summary.json`, `report.html` (this report)\n";
  md << "- Stages reused from `cache/` (inputs and settings unchanged): "
     << (s.reused.empty() ? std::string("none") : [&] {
          std::string r;
          for (const auto& x : s.reused) r += (r.empty() ? "" : ", ") + x;
          return r;
        }()) << "\n";
  return md.str();
}

}  // namespace hotspot::layers::detail
