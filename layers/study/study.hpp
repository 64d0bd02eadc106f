#pragma once
// Study: the study file (TOML) that describes a partnership's analysis: its period,
// boundaries, incident inputs, local categories and, for synthetic studies, the
// recipe that generates the incidents. `hotspot run STUDY.toml` executes it.
//
// The loader is strict: an unknown key, a wrong type or a bad value is an error
// naming the file, line and key ("study.toml:14:1: error: unknown key 'pathz' in
// [[inputs]]; known keys: name, format, paths, ..."), because a typo in a batch job
// must not silently change an analysis. Relative paths are relative to the study file.
//
//   Study s = load_study("data/ashfield/study.toml");   // @throws UsageError
//   core::Taxonomy tax = s.taxonomy();
//   for (const InputSpec& in : s.inputs) ...
//
// The format is documented in data/ashfield/study.toml (every key, commented).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/incidents/taxonomy.hpp"
#include "core/incidents/time.hpp"
#include "layers/io/ingest.hpp"

namespace hotspot::layers {

struct BoundarySpec {
  std::string key;                 // [boundaries.<key>]
  std::filesystem::path path;      // resolved
  std::string layer;               // OGR layer (optional)
  std::string code_field;
  std::string name_field;          // optional
  uint32_t line = 0;               // where it is defined in the study file
};

struct InputSpec {
  std::string name;
  InputFormat format = InputFormat::automatic;
  std::vector<std::string> paths;  // patterns, resolved against the study folder
  LocationColumns location;
  std::string date_column, date_format = "auto";
  std::string category_column, category_value;
  std::string area_column;
  std::string area_layer;          // boundary key whose codes the area column holds
  std::string ogr_layer;
  uint32_t line = 0;
};

struct LocalCategory {
  std::string name;
  std::string group = "local";
};

// A planted hotspot: a Gaussian cluster of one category's incidents.
struct SynthHotspotSpec {
  std::string category;
  double x_m = 0, y_m = 0, sigma_m = 150;
  double share = 0.1;  // share of the category's incidents drawn here (while active)
  std::optional<core::MonthIndex> from, to;  // active months (emerging / fading hotspots)
};

// A planted intervention effect: fewer incidents inside a circle after a month, and
// optionally more in a ring around it (displacement).
struct SynthEffectSpec {
  std::string name;
  std::vector<std::string> categories;  // empty = all
  double x_m = 0, y_m = 0, radius_m = 100;
  core::MonthIndex from = 0;
  double drop_pct = 0;       // % of target-area incidents removed from `from` on
  double ring_m = 0;         // width of the displacement ring outside the radius
  double displace_pct = 0;   // % more incidents in the ring from `from` on
};

struct SynthSpec {
  uint64_t seed = 1;
  core::MonthIndex first = 0, last = 0;
  double incidents_per_month = 1000;
  std::string boundary;      // boundary key: the area incidents fall in
  std::string area_codes;    // boundary key whose codes go in "LSOA code"/"LSOA name"
  std::filesystem::path population;  // optional CSV of points (easting,northing columns) weighting the background
  std::string force = "Synthetic Police";
  std::filesystem::path out; // folder for the monthly police.uk CSVs (resolved)
  int hotspots_per_category = 3;
  double hotspot_share = 0.35;
  double seasonality = 0.15;  // amplitude of the yearly cycle (peak in July)
  double snap_m = 0;          // snap points to a grid of this spacing (police.uk-like repeats); 0 = off
  std::vector<std::pair<std::string, double>> mix;  // category -> share
  std::vector<SynthHotspotSpec> hotspots;
  std::vector<SynthEffectSpec> effects;
  uint32_t line = 0;
};

// [evaluate]: before/after evaluation of interventions (`hotspot evaluate STUDY.toml`;
// layers/study/evaluate_study.hpp). Every key, with its default, is shown in
// data/ashfield/study.toml. Names are checked here (types, categories, the control's
// boundary key); the interventions file is read when the evaluation runs.
struct EvaluateSpec {
  std::filesystem::path interventions;  // CSV or any OGR source (resolved)
  std::string layer;                    // OGR layer; empty = the first
  std::string crs = "EPSG:27700";       // CRS of CSV x/y or WKT columns
  int before_months = 12, after_months = 12, implementation_months = 0;
  double buffer_m = 250;
  std::vector<std::pair<std::string, double>> radius_m;                     // type -> target radius
  std::vector<std::pair<std::string, std::vector<std::string>>> categories;  // type -> crime types
  std::string control = "rest";  // "rest", "matched" or a [boundaries.*] key (chosen polygons)
  double matched_cell_m = 250;
  int matched_cells = 10;
  std::string overdispersion = "monthly";  // "monthly", "farrington", "none" or "fixed"
  double overdispersion_factor = 1.0;      // for "fixed"
  double confidence = 0.95;
  bool wdd_area_weights = true;
  uint32_t line = 0;
};

// [geocode]: the gazetteer for inputs located by address (`address = [...]` in an
// [[inputs]] entry). Paths resolved; at least one source when the section exists.
struct GeocodeSpec {
  std::filesystem::path gazetteer;  // address CSV (DESIGN.md layout) or a saved index
  std::string columns;              // "part=column,..." mapping (hotspot geocode --gazetteer-columns)
  std::filesystem::path postcodes;  // OS Code-Point Open CSV
  std::filesystem::path streets;    // OGR line layer of named streets
  int min_score = 0;                // 0 = the geocoder's default
  uint32_t line = 0;
};

// [grid]: the analysis grid every cell statistic shares.
struct GridStudySpec {
  bool hex = false;        // shape = "square" | "hex"
  double cell_m = 0;       // 0 = chosen from the data (ArcGIS Optimized Hot Spot rule)
  std::string boundary;    // [boundaries.*] key the grid covers; default the study boundary;
                           // none = cells with incidents only
  std::vector<std::string> categories;  // crime types analysed (empty = all)
  uint32_t line = 0;
};

// [stats]: cell hot spots (Gi* + FDR) and the KDE surface.
struct StatsSpec {
  bool gistar = true;
  double band_m = 0;       // Gi* distance band; 0 = incremental spatial autocorrelation
  bool kde = true;
  double kde_radius_m = 0; // 0 = ArcGIS's default rule
  double kde_cell_m = 0;   // 0 = the grid's cell / 5 (at least 10 m)
  std::string kernel = "quartic";
  uint32_t line = 0;
};

// [spacetime]: emerging hot spots on the grid's space-time cube.
struct SpacetimeSpec {
  std::string period = "month";  // "month" | "quarter"
  double band_m = 0;             // 0 = the Gi* band of [stats]
  unsigned time_window = 1;      // periods looked back
  uint32_t line = 0;
};

// [rank]: the ranked target list of the tasking pack.
struct RankStudySpec {
  std::vector<std::string> units = {"cells"};  // "cells" and/or [boundaries.*] keys
  int top = 10;                                // rows in the report
  std::string denominator;                     // a numeric field of the boundary layer (rates); optional
  std::vector<std::pair<std::string, double>> harm;  // [rank.harm]: crime type -> harm weight in days (overrides the default table)
  uint32_t line = 0;
};

// [export]: what `hotspot run` publishes and the disclosure rules for public exports.
struct ExportSpec {
  bool gpkg = true;              // DIR/study.gpkg
  bool incidents = true;         // the incident points layer (GeoPackage; never in public exports)
  std::vector<std::string> geojson = {"all"};  // layers written as DIR/geojson/<layer>.geojson
  bool public_release = false;   // public = true: apply the disclosure control below
  int min_count = 0;             // k: areas/cells with fewer incidents are suppressed (public)
  double point_precision_m = 0;  // public point layers snapped to this grid; 0 = never published
  int precision = 6;             // GeoJSON coordinate decimals
  std::vector<std::string> categories;  // crime types allowed in public exports (empty = all)
  std::string postgis;           // "PG:..." connection; empty = none
  std::string postgis_schema = "hotspot";
  bool maps = true;              // PNG maps and report.html
  uint32_t line = 0;
};

struct Study {
  std::filesystem::path file;  // the study file
  std::filesystem::path dir;   // its folder
  std::string name;
  std::string description;
  std::optional<core::MonthIndex> first_month, last_month;  // study period, inclusive
  std::string study_area;      // boundary key of the study boundary (optional)
  std::vector<BoundarySpec> boundaries;
  std::vector<InputSpec> inputs;
  std::vector<LocalCategory> local_categories;
  std::vector<std::pair<std::string, std::string>> aliases;  // other spelling -> category
  std::optional<SynthSpec> synth;
  std::optional<EvaluateSpec> evaluate;  // [evaluate]
  std::optional<GeocodeSpec> geocode;    // [geocode]
  std::optional<GridStudySpec> grid;     // [grid]
  std::optional<StatsSpec> stats;        // [stats] (needs [grid])
  std::optional<SpacetimeSpec> spacetime;  // [spacetime] (needs [grid])
  std::optional<RankStudySpec> rank;     // [rank]
  std::optional<ExportSpec> exports;     // [export]; absent = every default
  std::filesystem::path output_dir;  // default --out (resolved); empty if not set

  // police.uk types + local categories + aliases. @throws UsageError for an alias
  // to an unknown category.
  [[nodiscard]] core::Taxonomy taxonomy() const;
  [[nodiscard]] const BoundarySpec* boundary(std::string_view key) const;
};

// @throws UsageError (messages "file:line:col: error: ...") or IoError (unreadable).
Study load_study(const std::filesystem::path& file);

// How to read one of the study's [[inputs]]: its format and column mapping, and the
// study period. The caller adds the study area, geocoder, threads and issue handling.
IngestOptions ingest_options(const Study& study, const InputSpec& input);

}  // namespace hotspot::layers
