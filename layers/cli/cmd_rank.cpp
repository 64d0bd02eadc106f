// hotspot rank STUDY.toml --out DIR [--evaluate] [--units cells,wards] [--top N] [--json]
// (DESIGN.md "Interfaces other tools rely on"; core/target/ranking.hpp, accuracy.hpp.)
//
// Ranks the study's units (grid cells and/or [boundaries.*] polygons, the [rank]
// section's `units`) by a transparent score (count, rate, harm, Gi* bin, emerging
// category; every part written), and with --evaluate measures how well the hotspot
// layers fitted on the first half of the study period predict the second half
// (hit rate, PAI, PPAI, PEI, Levine's RRI for the top 1/2/5/10% of area).
// Writes DIR/targets_<unit>.csv (every unit, ranked), DIR/targets.gpkg (one layer
// per unit kind, with geometry, for QGIS), DIR/ranking.json, and with --evaluate
// DIR/accuracy.csv.
//
// [SECTION] arguments
// [SECTION] loading       boundaries, incidents
// [SECTION] units         cells (Gi*, emerging) and polygons (Gi* on contiguity)
// [SECTION] evaluation    fit on the first half, test on the second
// [SECTION] outputs

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/base/error.hpp"
#include "core/grid/counts.hpp"
#include "core/grid/grid.hpp"
#include "core/spatial/area_set.hpp"
#include "core/stats/emerging.hpp"
#include "core/stats/kde.hpp"
#include "core/stats/local_stats.hpp"
#include "core/stats/optimized.hpp"
#include "core/stats/weights.hpp"
#include "core/target/accuracy.hpp"
#include "core/target/ranking.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/feature_reader.hpp"
#include "layers/io/ingest.hpp"
#include "layers/io/qgis_style.hpp"
#include "layers/io/vector_writer.hpp"
#include "layers/study/study.hpp"

namespace hotspot::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// [SECTION] arguments ----------------------------------------------------------------

struct RankArgs {
  std::string study, out, units;
  int top = -1;
  bool evaluate = false, json = false, quiet = false;
  unsigned threads = 0;
};

std::string num(double v, int decimals) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
json jnum(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// [SECTION] loading ------------------------------------------------------------------

struct Loaded {
  core::Taxonomy tax;
  core::IncidentTable table;
  core::IngestCounts counts;
  std::map<std::string, layers::AreaReadResult> boundaries;
  std::vector<fs::path> inputs;
};

void load_boundary(const layers::Study& study, const std::string& key, Loaded& l, Console& con) {
  if (key.empty() || l.boundaries.count(key)) return;
  const layers::BoundarySpec* b = study.boundary(key);
  if (!b)
    throw UsageError(study.file.string() + ": [rank] units: '" + key +
                     "' is neither \"cells\" nor a [boundaries.*] key");
  layers::AreaReadResult r = layers::read_areas(b->path.string(), {b->layer, b->code_field, b->name_field, ""});
  for (const auto& w : r.warnings) con.warning(w);
  l.inputs.push_back(b->path);
  l.boundaries.emplace(key, std::move(r));
}

void ingest_study(const layers::Study& study, Loaded& l, unsigned threads) {
  const core::AreaSet* area = nullptr;
  if (auto it = l.boundaries.find(study.study_area); it != l.boundaries.end()) area = &it->second.areas;
  for (const auto& in : study.inputs) {
    std::vector<std::string> files;
    try {
      files = layers::expand_globs(in.paths);
    } catch (const UsageError& e) {
      std::string hint;
      if (study.synth)
        hint = "; if this is the synthetic data, generate it first: hotspot synth --study " + study.file.string();
      throw UsageError(study.file.string() + ":" + std::to_string(in.line) + ": error: input '" + in.name + "': " +
                       e.what() + hint);
    }
    for (const auto& f : files) l.inputs.emplace_back(f);
    layers::IngestOptions io = layers::ingest_options(study, in);
    io.study_area = area;
    io.threads = threads;
    io.keep_issues = 0;
    layers::IngestResult r = layers::ingest(files, l.tax, io);
    l.counts.add(r.counts);
    if (l.table.empty()) l.table = std::move(r.table);
    else l.table.append(r.table);
  }
}

// [SECTION] units --------------------------------------------------------------------

// One kind of unit with everything the ranking and the outputs need.
struct Units {
  std::string key;  // "cells" or the boundary key
  core::RankInput input;
  std::vector<core::MultiPolygon> geometry;
  std::vector<double> area_m2;
  std::vector<uint32_t> unit_of_incident;  // kNoUnit outside every unit
  std::string gi_note;                      // how Gi* was computed
  core::Ranking ranking;
  // For evaluation on grids.
  std::optional<core::Grid> grid;
  double band_m = 0;
  const core::AreaSet* areas = nullptr;  // polygon units (owned by Loaded)
};

std::vector<double> denominators(const layers::Study& study, const std::string& key, const std::string& field,
                                 const core::AreaSet& areas, Console& con) {
  const layers::BoundarySpec* b = study.boundary(key);
  layers::FeatureSet fs = layers::read_features(b->path.string(), {b->layer, "", {}});
  const int fi = fs.field_index(field);
  if (fi < 0 || !fs.fields[static_cast<std::size_t>(fi)].is_numeric())
    throw UsageError(study.file.string() + ": [rank] denominator: '" + field + "' is not a numeric field of " +
                     b->path.string());
  const int ci = fs.field_index(b->code_field);
  std::map<std::string, double> by_code;
  for (std::size_t f = 0; f < fs.size(); ++f) {
    const std::string code = ci >= 0 ? fs.fields[static_cast<std::size_t>(ci)].text(f) : std::to_string(fs.fid[f]);
    by_code.emplace(code, fs.fields[static_cast<std::size_t>(fi)].number(f));
  }
  std::vector<double> out(areas.size(), std::numeric_limits<double>::quiet_NaN());
  std::size_t missing = 0;
  for (uint32_t a = 0; a < areas.size(); ++a) {
    auto it = by_code.find(areas[a].code);
    if (it != by_code.end()) out[a] = it->second;
    else ++missing;
  }
  if (missing) con.warning(std::to_string(missing) + " " + key + " have no '" + field + "' value: no rate for them");
  return out;
}

Units cell_units(const layers::Study& study, const Loaded& l, const core::HarmLookup& harm, const RankArgs& a,
                 Console& con) {
  Units u;
  u.key = "cells";
  core::OptimizedOptions o;
  if (auto it = l.boundaries.find(study.study_area); it != l.boundaries.end()) o.boundary = &it->second.areas;
  if (study.grid) {
    o.shape = study.grid->hex ? core::CellShape::hex : core::CellShape::square;
    o.cell_m = study.grid->cell_m;
  }
  if (study.stats) o.band_m = study.stats->band_m;
  o.threads = a.threads;
  auto r = (o.cell_m > 0 && o.band_m > 0) ? core::grid_hotspots(l.table.x_m(), l.table.y_m(), o)
                                          : core::optimized_hotspots(l.table.x_m(), l.table.y_m(), o);
  if (!r) throw InputError(study.file.string() + ": error: hot spot grid: " + r.error().message);
  core::OptimizedResult h = std::move(r).value();
  for (const auto& d : h.decisions) con.info(d);
  const core::Grid& grid = h.grid;
  const std::size_t n = grid.size();
  u.unit_of_incident.resize(l.table.size());
  grid.locate_many(l.table.x_m(), l.table.y_m(), u.unit_of_incident);
  for (auto& c : u.unit_of_incident)
    if (c != core::Grid::kNone && !grid.inside(c)) c = core::kNoUnit;
  static_assert(core::Grid::kNone == core::kNoUnit, "one 'no unit' value");
  u.input.ids.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    u.input.ids.push_back(std::to_string(grid.id(i).as_int64()));
    u.geometry.push_back(core::MultiPolygon{grid.polygon(i)});
    u.area_m2.push_back(grid.cell_area_m2() * grid.area_fraction(i));
  }
  u.input.count = core::count_per_unit(u.unit_of_incident, n);
  u.input.harm_days = core::harm_per_unit(u.unit_of_incident, l.table.category(), harm.days_by_category, n);
  u.input.gi_bin = h.bins;
  u.band_m = h.band_m;
  u.gi_note = "Gi* on " + num(h.cell_m, 0) + " m cells, distance band " + num(h.band_m, 0) + " m (" + h.band_rule +
              "), FDR-corrected bins";
  // Emerging hot spots on the same grid and band, when the data span enough periods.
  const auto [lo, hi] = std::minmax_element(l.table.month().begin(), l.table.month().end());
  const std::string period = study.spacetime ? study.spacetime->period : "month";
  const core::PeriodScheme scheme =
      period == "quarter" ? core::PeriodScheme::quarters(*lo, *hi) : core::PeriodScheme::months(*lo, *hi);
  if (scheme.size() >= 4) {
    core::EmergingOptions eo;
    eo.threads = a.threads;
    if (study.spacetime) eo.time_window = study.spacetime->time_window;
    const double band = study.spacetime && study.spacetime->band_m > 0 ? study.spacetime->band_m : h.band_m;
    auto e = core::emerging_on_grid(grid, u.unit_of_incident, l.table.month(), scheme, band, eo);
    if (e) u.input.emerging = e->result.category;
    else con.warning(std::string("emerging hot spots left out of the score: ") + e.error().message);
  } else {
    con.warning("emerging hot spots left out of the score: fewer than 4 periods");
  }
  u.grid = std::move(h.grid);
  return u;
}

Units area_units(const layers::Study& study, const std::string& key, const Loaded& l, const core::HarmLookup& harm,
                 const std::string& denominator, Console& con) {
  Units u;
  u.key = key;
  const core::AreaSet& areas = l.boundaries.at(key).areas;
  u.areas = &areas;
  const std::size_t n = areas.size();
  u.unit_of_incident.resize(l.table.size());
  areas.locate_many(l.table.x_m(), l.table.y_m(), u.unit_of_incident);
  std::map<std::string, int> seen;
  for (uint32_t i = 0; i < n; ++i) {
    std::string id = areas[i].code;
    if (int c = seen[id]++; c > 0) id += "#" + std::to_string(c + 1);  // duplicate codes stay apart
    u.input.ids.push_back(id);
    u.input.names.push_back(areas[i].name);
    u.geometry.push_back(areas[i].geometry);
    u.area_m2.push_back(areas[i].area_m2);
  }
  u.input.count = core::count_per_unit(u.unit_of_incident, n);
  u.input.harm_days = core::harm_per_unit(u.unit_of_incident, l.table.category(), harm.days_by_category, n);
  if (!denominator.empty()) u.input.denominator = denominators(study, key, denominator, areas, con);
  // Gi* on queen contiguity, FDR bins.
  const core::Weights w = core::Weights::polygon_contiguity(areas, core::Contiguity::queen);
  auto g = core::gistar(u.input.count, w);
  if (g) {
    const std::vector<double> q = core::fdr_adjust(g->p);
    u.input.gi_bin = core::confidence_bins(g->z, q);
    u.gi_note = "Gi* on queen contiguity of the " + key + ", FDR-corrected bins";
  } else {
    con.warning("Gi* for " + key + " left out of the score: " + g.error().message);
  }
  return u;
}

// [SECTION] evaluation ---------------------------------------------------------------

struct Evaluation {
  std::string layer, method;
  core::AccuracyTable table;
};

std::vector<Evaluation> evaluate(const Loaded& l, const std::vector<Units>& all, core::MonthIndex split,
                                 Console& con) {
  std::vector<Evaluation> out;
  const auto month = l.table.month();
  for (const Units& u : all) {
    const std::size_t n = u.input.ids.size();
    core::AccuracyInput base;
    base.fit_count.assign(n, 0.0);
    base.test_count.assign(n, 0.0);
    base.area_m2 = u.area_m2;
    std::vector<double> fx, fy;
    for (std::size_t i = 0; i < l.table.size(); ++i) {
      const uint32_t c = u.unit_of_incident[i];
      if (month[i] < split) {
        fx.push_back(l.table.x_m()[i]);
        fy.push_back(l.table.y_m()[i]);
      }
      if (c == core::kNoUnit) continue;
      (month[i] < split ? base.fit_count : base.test_count)[c] += 1.0;
    }
    auto run = [&](const std::string& method, std::vector<double> prediction) {
      core::AccuracyInput in = base;
      in.prediction = std::move(prediction);
      auto t = core::hotspot_accuracy(in);
      if (!t) {
        con.warning(u.key + " " + method + ": " + t.error().message);
        return;
      }
      out.push_back({u.key, method, *t});
    };
    run("counts", base.fit_count);
    if (u.grid) {
      const core::Weights w = core::Weights::grid_distance_band(*u.grid, u.band_m);
      if (auto g = core::gistar(base.fit_count, w)) run("gistar", g->z);
      else con.warning("gistar on the fitting period: " + g.error().message);
      core::KdeOptions ko;
      ko.cell_m = u.grid->cell_m();
      const core::Box b(core::Point(*std::min_element(u.grid->centres_x().begin(), u.grid->centres_x().end()) - ko.cell_m,
                                    *std::min_element(u.grid->centres_y().begin(), u.grid->centres_y().end()) - ko.cell_m),
                        core::Point(*std::max_element(u.grid->centres_x().begin(), u.grid->centres_x().end()) + ko.cell_m,
                                    *std::max_element(u.grid->centres_y().begin(), u.grid->centres_y().end()) + ko.cell_m));
      ko.extent = b;
      if (auto k = core::kde(fx, fy, {}, ko)) {
        std::vector<double> pred(n, std::numeric_limits<double>::quiet_NaN());
        for (uint32_t c = 0; c < n; ++c) {
          const auto col = static_cast<int32_t>(std::floor((u.grid->centre_x(c) - k->x0) / k->cell_m));
          const auto row = static_cast<int32_t>(std::floor((k->y1 - u.grid->centre_y(c)) / k->cell_m));
          if (col >= 0 && row >= 0 && col < k->columns && row < k->rows) pred[c] = k->at(col, row);
        }
        run("kde", pred);
      } else {
        con.warning("KDE on the fitting period: " + k.error().message);
      }
    } else if (u.areas) {
      // Polygons: Gi* z of the fitting period on the same contiguity.
      const core::Weights w = core::Weights::polygon_contiguity(*u.areas, core::Contiguity::queen);
      if (auto g = core::gistar(base.fit_count, w)) run("gistar", g->z);
      else con.warning(u.key + " gistar on the fitting period: " + g.error().message);
    }
  }
  return out;
}

// [SECTION] outputs ------------------------------------------------------------------

void write_outputs(const fs::path& dir, const std::vector<Units>& all, const std::vector<fs::path>& inputs,
                   std::vector<fs::path>& written) {
  using layers::FieldType;
  for (const Units& u : all) {
    const fs::path target = dir / ("targets_" + u.key + ".csv");
    layers::AtomicOutput out(target, inputs);
    {
      layers::VectorWriter w(out.temp_path());
      layers::LayerSpec spec{"targets_" + u.key, layers::GeometryKind::none, core::kWorkingEpsg, {}};
      spec.fields = {{"rank", FieldType::integer},     {"id", FieldType::text},
                     {"name", FieldType::text},        {"score", FieldType::real},
                     {"count", FieldType::integer},    {"rate", FieldType::real},
                     {"harm_days", FieldType::real},   {"gi_bin", FieldType::integer},
                     {"emerging", FieldType::text},    {"count_part", FieldType::real},
                     {"rate_part", FieldType::real},   {"harm_part", FieldType::real},
                     {"hotspot_part", FieldType::real}, {"emerging_part", FieldType::real},
                     {"area_km2", FieldType::real},    {"reasons", FieldType::text}};
      auto& layer = w.add_layer(spec);
      layers::FeatureValues f;
      for (const auto& r : u.ranking.units) {
        f.values = {int64_t{r.rank},
                    u.input.ids[r.unit],
                    u.input.names.empty() ? std::string() : u.input.names[r.unit],
                    r.score,
                    static_cast<int64_t>(r.count),
                    r.rate,
                    r.harm_days,
                    u.input.gi_bin.empty() ? layers::FieldValue{} : layers::FieldValue{int64_t{r.gi_bin}},
                    u.input.emerging.empty() ? layers::FieldValue{}
                                             : layers::FieldValue{std::string(core::emerging_category_name(r.emerging))},
                    r.count_part,
                    r.rate_part,
                    r.harm_part,
                    r.hotspot_part,
                    r.emerging_part,
                    u.area_m2[r.unit] / 1e6,
                    r.reasons};
        layer.add(f);
      }
      w.close();
    }
    out.commit();
    written.push_back(target);
  }
  const fs::path gpkg = dir / "targets.gpkg";
  layers::AtomicOutput out(gpkg, inputs);
  {
    layers::VectorWriter w(out.temp_path());
    for (const Units& u : all) {
      layers::LayerSpec spec{"targets_" + u.key, layers::GeometryKind::multipolygon, core::kWorkingEpsg, {}};
      spec.fields = {{"rank", FieldType::integer},   {"id", FieldType::text},        {"name", FieldType::text},
                     {"score", FieldType::real},     {"count", FieldType::integer}, {"rate", FieldType::real},
                     {"harm_days", FieldType::real}, {"gi_bin", FieldType::integer}, {"emerging", FieldType::text},
                     {"reasons", FieldType::text}};
      auto& layer = w.add_layer(spec);
      layers::FeatureValues f;
      for (const auto& r : u.ranking.units) {
        f.geometry = u.geometry[r.unit];
        f.values = {int64_t{r.rank},
                    u.input.ids[r.unit],
                    u.input.names.empty() ? std::string() : u.input.names[r.unit],
                    r.score,
                    static_cast<int64_t>(r.count),
                    r.rate,
                    r.harm_days,
                    u.input.gi_bin.empty() ? layers::FieldValue{} : layers::FieldValue{int64_t{r.gi_bin}},
                    u.input.emerging.empty() ? layers::FieldValue{}
                                             : layers::FieldValue{std::string(core::emerging_category_name(r.emerging))},
                    r.reasons};
        layer.add(f);
      }
    }
    w.close();
  }
  // Styled by score (graduated) for QGIS.
  std::vector<layers::LayerStyle> styles;
  for (const Units& u : all) {
    std::vector<double> scores;
    for (const auto& r : u.ranking.units) scores.push_back(r.score);
    styles.push_back({"targets_" + u.key, layers::StyleKind::graduated, "score", layers::quantile_breaks(scores),
                      "polygon", "Target score (quantiles)"});
  }
  layers::write_layer_styles(out.temp_path(), styles);
  out.commit();
  written.push_back(gpkg);
}

int run_rank(const RankArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  Console con("rank", a.quiet);
  const layers::Study study = layers::load_study(a.study);
  layers::RankStudySpec spec = study.rank.value_or(layers::RankStudySpec{});
  if (!a.units.empty()) {
    spec.units.clear();
    std::string cur;
    for (char c : a.units + ",") {
      if (c == ',') {
        if (!cur.empty()) spec.units.push_back(cur);
        cur.clear();
      } else if (c != ' ') {
        cur += c;
      }
    }
  }
  if (a.top >= 0) spec.top = a.top;
  if (spec.units.empty()) throw UsageError("--units: name at least one unit kind (cells or a [boundaries.*] key)");

  Loaded l;
  l.tax = study.taxonomy();
  l.inputs.push_back(study.file);
  load_boundary(study, study.study_area, l, con);
  for (const auto& k : spec.units)
    if (k != "cells") load_boundary(study, k, l, con);
  ingest_study(study, l, a.threads);
  if (l.table.empty()) throw InputError(study.file.string() + ": error: no incidents to rank (every row rejected?)");
  con.info(thousands(l.counts.read) + " rows read, " + thousands(l.counts.accepted) + " accepted, " +
           thousands(l.counts.rejected) + " rejected");

  std::vector<core::HarmWeight> overrides;
  for (const auto& [cat, w] : spec.harm) overrides.push_back({cat, w, "study file"});
  const core::HarmLookup harm = core::harm_lookup(l.tax, overrides, 1.0);
  for (const auto& u : harm.unmatched) con.warning("[rank.harm]: '" + u + "' is not a crime type of the study");

  std::vector<Units> all;
  for (const auto& k : spec.units) {
    Units u = k == "cells" ? cell_units(study, l, harm, a, con) : area_units(study, k, l, harm, spec.denominator, con);
    auto r = core::rank_units(u.input, {});
    if (!r) throw InputError(study.file.string() + ": error: ranking " + k + ": " + r.error().message);
    u.ranking = *r;
    all.push_back(std::move(u));
  }

  std::vector<Evaluation> evals;
  core::MonthIndex split = 0, first = 0, last = 0;
  if (a.evaluate) {
    const auto [lo, hi] = std::minmax_element(l.table.month().begin(), l.table.month().end());
    first = *lo;
    last = *hi;
    if (last - first < 1) throw InputError(study.file.string() + ": error: --evaluate needs at least two months of data");
    split = static_cast<core::MonthIndex>(first + (last - first + 1) / 2);
    evals = evaluate(l, all, split, con);
  }

  const fs::path dir = a.out;
  fs::create_directories(dir);
  std::vector<fs::path> written;
  write_outputs(dir, all, l.inputs, written);

  // Human output: the top targets, then the accuracy table.
  json units_json = json::array();
  for (const Units& u : all) {
    const std::size_t top = std::min<std::size_t>(static_cast<std::size_t>(std::max(spec.top, 0)), u.ranking.units.size());
    std::string text = "top " + std::to_string(top) + " of " + thousands(u.ranking.total_units) + " " + u.key + " (" +
                       u.gi_note + "):\n";
    json top_json = json::array();
    for (std::size_t k = 0; k < top; ++k) {
      const auto& r = u.ranking.units[k];
      std::string name = u.input.names.empty() ? std::string() : u.input.names[r.unit];
      text += "  " + std::to_string(r.rank) + ". " + u.input.ids[r.unit] + (name.empty() ? "" : " " + name) +
              "  score " + num(r.score, 3) + "  " + r.reasons + "\n";
      top_json.push_back({{"rank", r.rank}, {"id", u.input.ids[r.unit]}, {"name", name}, {"score", r.score},
                          {"count", r.count}, {"rate", jnum(r.rate)}, {"harm_days", jnum(r.harm_days)},
                          {"gi_bin", r.gi_bin}, {"emerging", core::emerging_category_name(r.emerging)},
                          {"parts", {{"count", r.count_part}, {"rate", r.rate_part}, {"harm", r.harm_part},
                                     {"hotspot", r.hotspot_part}, {"emerging", r.emerging_part}}},
                          {"reasons", r.reasons}});
    }
    if (!a.json) std::cout << text;
    else con.line(text);
    units_json.push_back({{"units", u.key}, {"total", u.ranking.total_units}, {"gistar", u.gi_note},
                          {"has_rate", u.ranking.has_rate}, {"has_emerging", u.ranking.has_emerging},
                          {"top", top_json}});
  }
  json eval_json = json::array();
  if (a.evaluate) {
    const fs::path csv = dir / "accuracy.csv";
    layers::AtomicOutput out(csv, l.inputs);
    {
      layers::VectorWriter w(out.temp_path());
      using layers::FieldType;
      layers::LayerSpec s{"accuracy", layers::GeometryKind::none, core::kWorkingEpsg,
                          {{"units", FieldType::text},       {"method", FieldType::text},
                           {"top_pct", FieldType::real},     {"selected", FieldType::integer},
                           {"area_km2", FieldType::real},    {"coverage_pct", FieldType::real},
                           {"hits", FieldType::integer},     {"test_total", FieldType::integer},
                           {"hit_rate", FieldType::real},    {"pai", FieldType::real},
                           {"ppai", FieldType::real},        {"pei", FieldType::real},
                           {"rri", FieldType::real}}};
      auto& layer = w.add_layer(s);
      layers::FeatureValues f;
      std::string text = "hotspot accuracy: fitted on " + core::format_month(first) + " to " +
                         core::format_month(split - 1) + ", tested on " + core::format_month(split) + " to " +
                         core::format_month(last) + "\n" +
                         "  PAI = (n/N)/(a/A) (Chainey et al. 2008); PPAI = (n/N)/(a/A)^0.5; PEI = n/n* (Hunt 2016);\n"
                         "  RRI = (n_test/n_fit)/(N_test/N_fit), Levine's (2008) Recapture Rate Index\n";
      char line[256];
      std::snprintf(line, sizeof line, "  %-8s %-7s %5s %6s %9s %9s %7s %7s %6s %6s %5s %5s\n", "units", "method",
                    "top", "cells", "area km2", "coverage", "hits", "hit%", "PAI", "PPAI", "PEI", "RRI");
      text += line;
      for (const auto& e : evals) {
        json rows = json::array();
        for (const auto& r : e.table.rows) {
          std::snprintf(line, sizeof line, "  %-8s %-7s %4.0f%% %6zu %9.3f %8.2f%% %7.0f %6.1f%% %6s %6s %5s %5s\n",
                        e.layer.c_str(), e.method.c_str(), r.target_area_share * 100, r.units, r.area_m2 / 1e6,
                        r.area_share * 100, r.hits, r.hit_rate * 100, num(r.pai, 2).c_str(), num(r.ppai, 2).c_str(),
                        num(r.pei, 2).c_str(), num(r.rri, 2).c_str());
          text += line;
          f.values = {e.layer,
                      e.method,
                      r.target_area_share * 100,
                      static_cast<int64_t>(r.units),
                      r.area_m2 / 1e6,
                      r.area_share * 100,
                      static_cast<int64_t>(r.hits),
                      static_cast<int64_t>(e.table.test_total),
                      r.hit_rate,
                      r.pai,
                      r.ppai,
                      r.pei,
                      r.rri};
          layer.add(f);
          rows.push_back({{"top_pct", r.target_area_share * 100}, {"selected", r.units},
                          {"area_km2", r.area_m2 / 1e6}, {"coverage_pct", r.area_share * 100}, {"hits", r.hits},
                          {"hit_rate", jnum(r.hit_rate)}, {"pai", jnum(r.pai)}, {"ppai", jnum(r.ppai)},
                          {"pei", jnum(r.pei)}, {"rri", jnum(r.rri)}});
        }
        eval_json.push_back({{"units", e.layer}, {"method", e.method}, {"test_total", e.table.test_total},
                             {"fit_total", e.table.fit_total}, {"area_km2", e.table.total_area_m2 / 1e6},
                             {"rows", rows}});
      }
      if (!a.json) std::cout << text;
      else con.line(text);
      w.close();
    }
    out.commit();
    written.push_back(csv);
  }
  if (a.json) {
    json files = json::array();
    for (const auto& p : written) files.push_back(p.string());
    json j = {{"study", study.name},
              {"ingest", {{"read", l.counts.read}, {"accepted", l.counts.accepted}, {"rejected", l.counts.rejected}}},
              {"harm_source", core::default_harm_source()},
              {"rankings", units_json},
              {"outputs", files},
              {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
    if (a.evaluate)
      j["accuracy"] = {{"fit", {core::format_month(first), core::format_month(split - 1)}},
                       {"test", {core::format_month(split), core::format_month(last)}},
                       {"ppai_alpha", 0.5},
                       {"layers", eval_json}};
    std::cout << j.dump(2) << '\n';
  }
  return 0;
}

}  // namespace

Runner register_rank(CLI::App& app) {
  auto a = std::make_shared<RankArgs>();
  app.add_option("study", a->study, "the study file (its [rank] section: units, top, denominator, harm weights)")
      ->required();
  app.add_option("--out", a->out, "output folder")->required();
  app.add_flag("--evaluate", a->evaluate,
               "fit the hotspot layers on the first half of the period, test on the second: hit rate, PAI, PPAI, "
               "PEI, RRI for the top 1/2/5/10% of area");
  app.add_option("--units", a->units, "unit kinds to rank, comma-separated: cells and/or [boundaries.*] keys "
                                      "(default: [rank] units, else cells)");
  app.add_option("--top", a->top, "rows printed per unit kind (default: [rank] top, else 10)");
  app.add_option("--threads", a->threads, "worker threads (default: all cores)");
  app.add_flag("--json", a->json, "print the JSON summary on stdout");
  app.add_flag("--quiet", a->quiet, "no progress or messages on stderr");
  return [a] { return run_rank(*a); };
}

}  // namespace hotspot::cli
