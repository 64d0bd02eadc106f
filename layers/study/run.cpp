// [SECTION] index
//  - Helpers
//  - Pipeline: the stages in order
//  - Stage: boundaries
//  - Stage: ingest (and geocoding)
//  - Stage: counts
//  - Stage: grid and hot spots (Gi* + FDR)
//  - Stage: KDE
//  - Stage: emerging hot spots
//  - Stage: evaluation
//  - Stage: ranking
//  - Stage: outputs (GeoPackage, CSV, GeoJSON, GeoTIFF)
//  - Stage: summary.json
//  - run_study()

#include "layers/study/run.hpp"

#include <boost/geometry/algorithms/centroid.hpp>
#include <boost/geometry/algorithms/expand.hpp>
#include <boost/geometry/strategies/strategies.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/base/error.hpp"
#include "core/geocode/geocoder.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv_writer.hpp"
#include "layers/io/export.hpp"
#include "layers/io/feature_reader.hpp"
#include "layers/io/gazetteer_reader.hpp"
#include "layers/io/incident_writer.hpp"
#include "layers/io/ingest.hpp"
#include "layers/io/qgis_style.hpp"
#include "layers/io/raster_writer.hpp"
#include "layers/io/vector_writer.hpp"
#include "layers/study/detail/run_payloads.hpp"
#include "layers/study/detail/run_state.hpp"
#include "layers/study/report.hpp"
#include "layers/study/run_cache.hpp"

namespace hotspot::layers {

namespace fs = std::filesystem;
using nlohmann::json;
using detail::Boundary;
using detail::RunState;
using detail::UnitRanking;
using namespace detail::payload;

// [SECTION] Helpers --------------------------------------------------------------

namespace detail {

std::string thousands(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(decimals);
  os << v;
  return os.str();
}

std::string percent(double num, double den, int decimals) {
  if (den <= 0) return "n/a";
  return fixed(100.0 * num / den, decimals) + "%";
}

}  // namespace detail

namespace {

using detail::percent;
using detail::thousands;
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string field_name(const core::Category& c) {
  std::string s = c.slug;
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

void write_text_atomic(const fs::path& p, const std::string& text) {
  AtomicOutput out(p);
  {
    std::ofstream f(out.temp_path(), std::ios::binary);
    f << text;
    f.flush();
    if (!f) throw IoError(p.string() + ": write failed");
  }
  out.commit();
}

bool is_geocode_method(uint8_t m) {
  using M = core::GeocodeMethod;
  const auto g = static_cast<M>(m);
  return g == M::uprn || g == M::address || g == M::address_fuzzy || g == M::street || g == M::postcode ||
         g == M::postcode_sector;
}

// [SECTION] Pipeline ---------------------------------------------------------------

class Pipeline {
 public:
  Pipeline(const Study& study, const RunOptions& o)
      : m_study(study), m_o(o), m_cache(o.out / "cache", o.use_cache) {
    s.study = &study;
    s.out = o.out;
    s.tax = study.taxonomy();
    m_exp = study.exports.value_or(ExportSpec{});
  }

  RunResult run() {
    const auto t_start = Clock::now();
    prepare_output();
    std::vector<const char*> stages{"boundaries", "ingest", "counts"};
    if (m_study.grid) stages.push_back("hotspots");
    if (m_study.stats && m_study.stats->kde) stages.push_back("kde");
    if (m_study.spacetime) stages.push_back("emerging");
    if (m_study.evaluate) stages.push_back("evaluate");
    if (m_study.rank) stages.push_back("rank");
    stages.push_back("write");
    if (m_exp.maps) stages.push_back("maps");
    for (std::size_t k = 0; k < stages.size(); ++k) {
      const std::string name = stages[k];
      if (m_o.on_stage) m_o.on_stage(name);
      if (m_o.on_step) m_o.on_step(k, stages.size(), name);
      const auto t = Clock::now();
      const std::clock_t c = std::clock();
      run_stage(name);
      m_timings[name + "_s"] = since(t);
      // CPU time of the whole process (every thread) during the stage: on a loaded
      // machine the figure to compare, as wall time then mostly measures waiting.
      m_timings[name + "_cpu_s"] = static_cast<double>(std::clock() - c) / CLOCKS_PER_SEC;
    }
    if (m_o.on_step) m_o.on_step(stages.size(), stages.size(), "report");
    write_summary_and_report(since(t_start));
    m_result.warnings = s.warnings;
    return std::move(m_result);
  }

 private:
  void run_stage(const std::string& name) {
    if (name == "boundaries") read_boundaries();
    else if (name == "ingest") ingest_inputs();
    else if (name == "counts") count();
    else if (name == "hotspots") grid_hotspots();
    else if (name == "kde") run_kde();
    else if (name == "emerging") run_emerging();
    else if (name == "evaluate") run_evaluation();
    else if (name == "rank") run_ranking();
    else if (name == "write") write_layers();
    else if (name == "maps") detail::draw_maps(s);
  }

  void prepare_output() {
    if (m_o.out.empty()) throw UsageError("run: no output folder given (--out DIR or [study] output)");
    std::error_code ec;
    fs::create_directories(m_o.out / "tables", ec);
    if (!ec) fs::create_directories(m_o.out / "geojson", ec);
    if (ec) throw IoError(m_o.out.string() + ": cannot create the output folder: " + ec.message());
  }

  Boundary* boundary(const std::string& key) {
    for (auto& b : s.bounds)
      if (b.spec->key == key) return &b;
    return nullptr;
  }

  // The study's GeoPackage, assembled in a temporary file and committed by the
  // write stage (the evaluation adds its layers before that).
  const fs::path* gpkg_temp() {
    if (!m_exp.gpkg) return nullptr;
    if (!m_gpkg) m_gpkg.emplace(m_o.out / "study.gpkg", m_input_files);
    return &m_gpkg->temp_path();
  }

  void reuse_or_compute(const std::string& stage, bool reused) {
    (reused ? s.reused : s.computed).push_back(stage);
  }

  // [SECTION] Stage: boundaries ---------------------------------------------------
  void read_boundaries() {
    s.bounds.reserve(m_study.boundaries.size());
    for (const auto& b : m_study.boundaries) {
      Boundary bd;
      bd.spec = &b;
      bd.read = read_areas(b.path.string(), {b.layer, b.code_field, b.name_field, ""});
      for (const auto& w : bd.read.warnings) s.warnings.push_back(w);
      s.bounds.push_back(std::move(bd));
    }
  }

  // [SECTION] Stage: ingest ---------------------------------------------------------
  json ingest_settings() const {
    json j;
    j["version"] = "run-ingest-1";
    j["period"] = {m_study.first_month.value_or(0), m_study.last_month.value_or(0), m_study.first_month.has_value()};
    j["study_area"] = m_study.study_area;
    if (const auto* b = m_study.boundary(m_study.study_area))
      j["study_area_layer"] = {b->path.string(), b->layer, b->code_field};
    json ins = json::array();
    for (const auto& in : m_study.inputs)
      ins.push_back({in.name, input_format_name(in.format), in.paths, in.location.lon, in.location.lat, in.location.x,
                     in.location.y, in.location.epsg, in.location.grid_ref, in.location.address, in.location.postcode,
                     in.location.uprn, in.date_column, in.date_format, in.category_column, in.category_value,
                     in.area_column, in.area_layer, in.ogr_layer});
    j["inputs"] = ins;
    json cats = json::array();
    for (const auto& c : m_study.local_categories) cats.push_back({c.name, c.group});
    j["local"] = cats;
    j["aliases"] = m_study.aliases;
    if (m_study.geocode)
      j["geocode"] = {m_study.geocode->gazetteer.string(), m_study.geocode->columns, m_study.geocode->postcodes.string(),
                      m_study.geocode->streets.string(), m_study.geocode->min_score};
    return j;
  }

  void ingest_inputs() {
    std::vector<std::vector<std::string>> files_per_input;
    for (const auto& in : m_study.inputs) {
      try {
        files_per_input.push_back(expand_globs(in.paths));
      } catch (const UsageError& e) {
        std::string hint;
        if (m_study.synth)
          hint = "; if this is the synthetic data, generate it first: hotspot synth --study " + m_study.file.string();
        throw UsageError(m_study.file.string() + ":" + std::to_string(in.line) + ": error: input '" + in.name +
                         "': " + e.what() + hint);
      }
      for (const auto& f : files_per_input.back()) m_input_files.emplace_back(f);
    }
    // The cache key: every file the ingest reads, and the settings.
    std::vector<fs::path> key_files = m_input_files;
    if (const auto* b = m_study.boundary(m_study.study_area)) key_files.push_back(b->path);
    if (m_study.geocode)
      for (const auto& p : {m_study.geocode->gazetteer, m_study.geocode->postcodes, m_study.geocode->streets})
        if (!p.empty()) key_files.push_back(p);
    m_ingest_key = ingest_settings().dump() + "\n" + RunCache::file_key(key_files);
    if (fs::exists(m_o.out / "rejects.csv"))
      if (auto blob = m_cache.load("ingest", m_ingest_key)) {
        try {
          s.table = get_table(*blob);
          s.counts = blob->get<core::IngestCounts>();
          s.inputs_json = json::parse(blob->get_string());
          const auto n = blob->get<uint64_t>();
          for (uint64_t i = 0; i < n; ++i) m_result.first_issues.push_back(get_issue(*blob));
          m_result.issues_total = blob->get<uint64_t>();
          for (auto& w : get_strings(*blob)) s.warnings.push_back(std::move(w));
          finish_ingest();
          reuse_or_compute("ingest", true);
          return;
        } catch (const Error&) {
          s.table = {};
          s.counts = {};
          s.inputs_json = json::array();
          m_result.first_issues.clear();
        }
      }
    reuse_or_compute("ingest", false);

    // Geocoding: one gazetteer for every address input.
    std::optional<GazetteerLoad> gaz;
    std::optional<core::geocode::Geocoder> geocoder;
    std::vector<std::string> ingest_warnings;
    const bool any_address = std::any_of(m_study.inputs.begin(), m_study.inputs.end(),
                                         [](const InputSpec& in) { return !in.location.address.empty(); });
    if (any_address && m_study.geocode) {
      GazetteerSources src;
      src.addresses = m_study.geocode->gazetteer;
      if (!m_study.geocode->columns.empty()) parse_gazetteer_columns(m_study.geocode->columns, src.columns);
      src.postcodes = m_study.geocode->postcodes;
      src.streets = m_study.geocode->streets;
      gaz.emplace(load_gazetteer(src));
      if (gaz->warning_count)
        ingest_warnings.push_back("gazetteer: " + thousands(gaz->warning_count) + " row(s) skipped with a warning" +
                                  (gaz->warnings.empty() ? "" : " (first: " + gaz->warnings.front() + ")"));
      core::geocode::GeocodeOptions go;
      if (m_study.geocode->min_score > 0) go.min_score = m_study.geocode->min_score;
      geocoder.emplace(gaz->gazetteer, go);
    }

    const Boundary* area = m_study.study_area.empty() ? nullptr : boundary(m_study.study_area);
    const core::AreaSet* study_area = area ? &area->read.areas : nullptr;
    RejectsWriter rejects(m_o.out / "rejects.csv", m_input_files);
    for (std::size_t k = 0; k < m_study.inputs.size(); ++k) {
      const InputSpec& in = m_study.inputs[k];
      IngestOptions io = ingest_options(m_study, in);
      io.study_area = study_area;
      io.geocoder = geocoder ? &*geocoder : nullptr;
      io.threads = m_o.threads;
      io.keep_issues = 20;
      io.issue_sink = [&](const core::RowIssue& issue) { rejects.write(issue); };
      io.progress = m_o.progress;
      IngestResult r = ingest(files_per_input[k], s.tax, io);
      s.counts.add(r.counts);
      m_result.issues_total += r.issues.total();
      for (const auto& issue : r.issues.kept())
        if (m_result.first_issues.size() < 10) m_result.first_issues.push_back(issue);
      json by_reason = json::object();
      for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
        if (r.counts.by_code[c]) by_reason[core::issue_code_name(static_cast<core::IssueCode>(c))] = r.counts.by_code[c];
      s.inputs_json.push_back({{"name", in.name},
                               {"files", files_per_input[k].size()},
                               {"read", r.counts.read},
                               {"accepted", r.counts.accepted},
                               {"rejected", r.counts.rejected},
                               {"by_reason", by_reason},
                               {"blank_lines", r.blank_lines},
                               {"by_address", !in.location.address.empty()}});
      if (s.table.empty()) s.table = std::move(r.table);
      else s.table.append(r.table);
    }
    rejects.commit();
    for (auto& w : ingest_warnings) s.warnings.push_back(w);
    finish_ingest();
    CacheBlob b;
    put_table(b, s.table);
    b.put(s.counts);
    b.put_string(s.inputs_json.dump());
    b.put<uint64_t>(m_result.first_issues.size());
    for (const auto& i : m_result.first_issues) put_issue(b, i);
    b.put<uint64_t>(m_result.issues_total);
    put_strings(b, ingest_warnings);
    if (auto w = m_cache.store("ingest", m_ingest_key, b); !w.empty()) s.warnings.push_back(w);
  }

  void finish_ingest() {
    m_result.counts = s.counts;
    for (const auto& in : m_study.inputs)
      if (!in.area_layer.empty() && s.published_layer.empty()) s.published_layer = in.area_layer;
    // Geocoding hit rate over the address inputs.
    for (const auto& in : s.inputs_json)
      if (in.value("by_address", false)) s.address_rows += in["read"].get<uint64_t>();
    if (s.address_rows) {
      for (uint8_t m : s.table.method())
        if (is_geocode_method(m)) ++s.geocoded;
      s.not_geocoded = s.counts.by_code[static_cast<std::size_t>(core::IssueCode::not_geocoded)];
    }
  }

  // [SECTION] Stage: counts -------------------------------------------------------
  void count() {
    s.ncat = s.tax.size();
    s.by_cat.assign(s.ncat, 0);
    for (auto c : s.table.category()) ++s.by_cat[c];
    // Reported categories: every current and local one, and historic ones present.
    for (const auto& c : s.tax.categories())
      if (c.kind != core::CategoryKind::police_uk_historic || s.by_cat[c.id] > 0) s.cats.push_back(c.id);
    for (auto c : s.cats) m_cat_fields.push_back({field_name(s.tax.get(c)), FieldType::integer});

    if (m_study.first_month && m_study.last_month) {
      s.first = *m_study.first_month;
      s.last = *m_study.last_month;
    } else if (!s.table.empty()) {
      const auto [lo, hi] = std::minmax_element(s.table.month().begin(), s.table.month().end());
      s.first = *lo;
      s.last = *hi;
    }
    s.nmonths = s.last >= s.first ? static_cast<std::size_t>(s.last - s.first + 1) : 0;
    s.monthly.assign(s.nmonths * s.ncat, 0);
    for (std::size_t i = 0; i < s.table.size(); ++i) {
      const auto m = s.table.month()[i];
      if (m < s.first || m > s.last) continue;
      ++s.monthly[static_cast<std::size_t>(m - s.first) * s.ncat + s.table.category()[i]];
    }

    for (auto& b : s.bounds) {
      const auto& areas = b.read.areas;
      b.area_of.assign(s.table.size(), core::AreaSet::kNone);
      areas.locate_many(s.table.x_m(), s.table.y_m(), b.area_of, m_o.threads);
      b.counts.assign(areas.size() * s.ncat, 0);
      for (std::size_t i = 0; i < s.table.size(); ++i) {
        const uint32_t a = b.area_of[i];
        if (a == core::AreaSet::kNone) ++b.outside;
        else ++b.counts[a * s.ncat + s.table.category()[i]];
      }
      m_areas_json[b.spec->key] = {{"areas", areas.size()},
                                   {"assigned", s.table.size() - b.outside},
                                   {"outside", b.outside},
                                   {"file", b.spec->path.string()}};
    }
    count_published_codes();
  }

  // Published area codes (police.uk LSOA codes) against point in polygon.
  void count_published_codes() {
    s.pub = s.published_layer.empty() ? nullptr : boundary(s.published_layer);
    for (std::size_t i = 0; i < s.table.size(); ++i) {
      const uint32_t a = s.table.area()[i];
      if (a == StringPool::kEmpty) continue;
      ++s.with_code;
      const std::string_view code = s.table.area_codes().get(a);
      auto& row = s.published[std::string(code)];
      if (row.empty()) row.assign(s.ncat, 0);
      ++row[s.table.category()[i]];
      if (s.pub) {
        const uint32_t pip = s.pub->area_of[i];
        if (pip != core::AreaSet::kNone && s.pub->read.areas[pip].code == code) ++s.agree;
        if (!s.pub->read.areas.find_code(code)) ++s.code_not_in_layer;
      }
    }
    if (s.with_code == 0) return;
    s.published_json = {{"rows_with_code", s.with_code}, {"codes", s.published.size()}};
    if (!s.pub) return;
    s.published_json["layer"] = s.published_layer;
    s.published_json["agree_with_point_in_polygon"] = s.agree;
    s.published_json["agreement"] = static_cast<double>(s.agree) / static_cast<double>(s.with_code);
    s.published_json["rows_with_code_not_in_layer"] = s.code_not_in_layer;
    if (static_cast<double>(s.agree) < 0.9 * static_cast<double>(s.with_code))
      s.warnings.push_back("only " + percent(static_cast<double>(s.agree), static_cast<double>(s.with_code)) +
                           " of the published area codes agree with the '" + s.published_layer +
                           "' polygons: check the boundary vintage (police.uk used 2011 LSOAs until 2023)");
  }

  // [SECTION] Stage: grid and hot spots ---------------------------------------------
  // The incidents the grid analyses ([grid] categories), as coordinates.
  void select_incidents() {
    const auto& g = *m_study.grid;
    if (g.categories.empty()) {
      s.grid_selection = "all incidents";
      m_sel_x = s.table.x_m();
      m_sel_y = s.table.y_m();
      return;
    }
    std::vector<uint8_t> keep(s.ncat, 0);
    for (const auto& name : g.categories) keep[*s.tax.find(name)] = 1;
    for (std::size_t i = 0; i < s.table.size(); ++i)
      if (keep[s.table.category()[i]]) {
        m_own_x.push_back(s.table.x_m()[i]);
        m_own_y.push_back(s.table.y_m()[i]);
        m_sel_rows.push_back(static_cast<uint32_t>(i));
      }
    m_sel_x = m_own_x;
    m_sel_y = m_own_y;
    for (const auto& name : g.categories) s.grid_selection += (s.grid_selection.empty() ? "" : ", ") + name;
  }

  const core::AreaSet* grid_boundary() {
    const auto& key = m_study.grid->boundary;
    return key.empty() ? nullptr : &boundary(key)->read.areas;
  }

  void grid_hotspots() {
    select_incidents();
    const auto& g = *m_study.grid;
    const core::AreaSet* gb = grid_boundary();
    const core::CellShape shape = g.hex ? core::CellShape::hex : core::CellShape::square;
    const bool gistar = m_study.stats && m_study.stats->gistar;
    json settings = {{"grid", {g.hex, g.cell_m, g.boundary, g.categories}}, {"gistar", gistar}};
    if (m_study.stats) settings["band_m"] = m_study.stats->band_m;
    m_hot_key = m_ingest_key + "\nhotspots-1 " + settings.dump();
    bool reused = false;
    if (auto blob = m_cache.load("hotspots", m_hot_key)) {
      try {
        if (auto r = get_hotspots(*blob, gb, shape)) {
          s.hot = std::move(*r);
          reused = true;
        }
      } catch (const Error&) {
      }
    }
    if (!reused) {
      if (gistar) {
        core::OptimizedOptions oo;
        oo.boundary = gb;
        oo.shape = shape;
        oo.cell_m = g.cell_m;
        oo.band_m = m_study.stats->band_m;
        oo.threads = m_o.threads;
        auto r = g.cell_m > 0 && oo.band_m > 0 ? core::grid_hotspots(m_sel_x, m_sel_y, oo)
                                                : core::optimized_hotspots(m_sel_x, m_sel_y, oo);
        if (!r)
          throw InputError(m_study.file.string() + ":" + std::to_string(m_study.stats->line) +
                           ": error: hot spot analysis of " + s.grid_selection + ": " + r.error().message);
        s.hot = std::move(r).value();
      } else {
        // Cells and counts only (for emerging hot spots and ranking).
        core::OptimizedResult r;
        r.cell_m = g.cell_m > 0 ? g.cell_m : 250.0;
        const core::GridSpec spec{shape, r.cell_m, 0, 0};
        auto grid = gb ? core::Grid::over_boundary(spec, *gb) : core::Grid::over_points(spec, m_sel_x, m_sel_y);
        if (!grid) throw InputError(m_study.file.string() + ": error: [grid]: " + grid.error().message);
        r.grid = std::move(grid).value();
        r.decisions.push_back("Grid: " + thousands(r.grid.size()) + " cells of " + detail::fixed(r.cell_m, 0) +
                              " m (no Gi*: [stats] gistar = false or no [stats] section).");
        s.hot = std::move(r);
      }
      CacheBlob b;
      put_hotspots(b, *s.hot);
      if (auto w = m_cache.store("hotspots", m_hot_key, b); !w.empty()) s.warnings.push_back(w);
    }
    s.has_gistar = gistar;
    reuse_or_compute("hotspots", reused);
    // Cells of every incident (kNone for those not selected or in no cell), and counts.
    auto& hot = *s.hot;
    s.cell_of.assign(s.table.size(), core::Grid::kNone);
    if (m_sel_rows.empty() && g.categories.empty()) {
      hot.grid.locate_many(s.table.x_m(), s.table.y_m(), s.cell_of);
    } else {
      std::vector<uint32_t> sel(m_sel_x.size());
      hot.grid.locate_many(m_sel_x, m_sel_y, sel);
      for (std::size_t k = 0; k < sel.size(); ++k) s.cell_of[m_sel_rows[k]] = sel[k];
    }
    if (hot.counts.size() != hot.grid.size()) {
      hot.counts.assign(hot.grid.size(), 0.0);
      for (uint32_t c : s.cell_of)
        if (c != core::Grid::kNone) hot.counts[c] += 1;
    }
  }

  // [SECTION] Stage: KDE --------------------------------------------------------------
  void run_kde() {
    if (!s.hot) return;
    const auto& st = *m_study.stats;
    core::KdeOptions ko;
    ko.kernel = *core::parse_kernel(st.kernel);
    ko.radius_m = st.kde_radius_m;
    ko.threads = m_o.threads;
    // Extent: the grid's boundary, else the cells; cell: given, else the shorter side / 500.
    core::Box box;
    if (const core::AreaSet* gb = grid_boundary()) {
      box = core::Box({1e300, 1e300}, {-1e300, -1e300});
      for (std::size_t a = 0; a < gb->size(); ++a) boost::geometry::expand(box, (*gb)[static_cast<uint32_t>(a)].bbox);
    } else {
      const auto& gr = s.hot->grid;
      const auto [xl, xh] = std::minmax_element(gr.centres_x().begin(), gr.centres_x().end());
      const auto [yl, yh] = std::minmax_element(gr.centres_y().begin(), gr.centres_y().end());
      const double h = gr.cell_m() / 2;
      box = core::Box({*xl - h, *yl - h}, {*xh + h, *yh + h});
    }
    const double shorter = std::min(box.max_corner().x() - box.min_corner().x(), box.max_corner().y() - box.min_corner().y());
    ko.cell_m = st.kde_cell_m > 0 ? st.kde_cell_m : std::max(10.0, std::round(shorter / 500.0));
    // Grow by the reach so the surface is not cut at the boundary.
    const double reach = (ko.radius_m > 0 ? ko.radius_m : 2000.0) * core::kernel_reach(ko.kernel);
    auto snap_lo = [&](double v) { return std::floor((v - reach) / ko.cell_m) * ko.cell_m; };
    auto snap_hi = [&](double v) { return std::ceil((v + reach) / ko.cell_m) * ko.cell_m; };
    if (grid_boundary())
      ko.extent = core::Box({snap_lo(box.min_corner().x()), snap_lo(box.min_corner().y())},
                            {snap_hi(box.max_corner().x()), snap_hi(box.max_corner().y())});
    const json settings = {st.kernel, st.kde_radius_m, ko.cell_m, ko.extent.has_value()};
    const std::string key = m_ingest_key + "\nkde-1 " + settings.dump() + json{m_study.grid->categories}.dump();
    bool reused = false;
    if (auto blob = m_cache.load("kde", key)) {
      try {
        s.kde = get_kde(*blob);
        reused = true;
      } catch (const Error&) {
      }
    }
    if (!reused) {
      auto r = core::kde(m_sel_x, m_sel_y, {}, ko);
      if (!r)
        throw InputError(m_study.file.string() + ":" + std::to_string(st.line) + ": error: KDE: " + r.error().message);
      s.kde = std::move(r).value();
      CacheBlob b;
      put_kde(b, *s.kde);
      if (auto w = m_cache.store("kde", key, b); !w.empty()) s.warnings.push_back(w);
    }
    reuse_or_compute("kde", reused);
  }

  // [SECTION] Stage: emerging hot spots -------------------------------------------------
  void run_emerging() {
    if (!s.hot || s.nmonths == 0) return;
    const auto& sp = *m_study.spacetime;
    const auto& grid = s.hot->grid;
    s.emerging_band_m = sp.band_m > 0 ? sp.band_m : (s.hot->band_m > 0 ? s.hot->band_m : 3 * grid.cell_m());
    const core::PeriodScheme scheme =
        sp.period == "month" ? core::PeriodScheme::months(s.first, s.last) : core::PeriodScheme::quarters(s.first, s.last);
    if (scheme.size() < 2) {
      s.warnings.push_back("emerging hot spots: the study covers one " + sp.period + " only; at least two are needed");
      return;
    }
    const json settings = {sp.period, s.emerging_band_m, sp.time_window, s.first, s.last};
    const std::string key = m_hot_key + "\nemerging-1 " + settings.dump();
    if (auto blob = m_cache.load("emerging", key)) {
      try {
        s.emerging = get_emerging(*blob, s.emerging_periods);
        reuse_or_compute("emerging", true);
        return;
      } catch (const Error&) {
      }
    }
    core::EmergingOptions eo;
    eo.time_window = sp.time_window;
    eo.threads = m_o.threads;
    auto r = core::emerging_on_grid(grid, s.cell_of, s.table.month(), scheme, s.emerging_band_m, eo);
    if (!r) {
      s.warnings.push_back("emerging hot spots: " + r.error().message);
      return;
    }
    s.emerging = std::move(r->result);
    for (const auto& p : scheme.periods()) s.emerging_periods.push_back(p.label);
    CacheBlob b;
    put_emerging(b, *s.emerging, s.emerging_periods);
    if (auto w = m_cache.store("emerging", key, b); !w.empty()) s.warnings.push_back(w);
    reuse_or_compute("emerging", false);
  }

  // [SECTION] Stage: evaluation ---------------------------------------------------------
  void run_evaluation() {
    EvaluationOutputs out;
    out.json = m_o.out / "evaluation.json";
    out.markdown = m_o.out / "evaluation.md";
    out.tables = m_o.out / "tables";
    if (const fs::path* g = gpkg_temp()) out.gpkg = *g;
    out.inputs = m_input_files;
    const BoundaryLookup lookup = [&](const std::string& key) -> const core::AreaSet* {
      const Boundary* b = boundary(key);
      return b ? &b->read.areas : nullptr;
    };
    s.evaluation = evaluate_study(m_study, s.table, s.tax, lookup, out, m_o.threads);
    for (const auto& w : s.evaluation->warnings) s.warnings.push_back("evaluation: " + w);
  }

  // [SECTION] Stage: ranking --------------------------------------------------------------
  void run_ranking() {
    const auto& rs = *m_study.rank;
    std::vector<core::HarmWeight> overrides;
    for (const auto& [name, days] : rs.harm) overrides.push_back({name, days, "study file [rank.harm]"});
    const core::HarmLookup harm = core::harm_lookup(s.tax, overrides);
    for (const auto& u : harm.unmatched) s.warnings.push_back("[rank.harm] '" + u + "' matches no crime type");
    for (const auto& unit : rs.units) {
      UnitRanking ur;
      ur.unit = unit;
      core::RankInput& in = ur.input;
      if (unit == "cells") {
        if (!s.hot) continue;
        const auto& grid = s.hot->grid;
        in.ids.reserve(grid.size());
        for (uint32_t c = 0; c < grid.size(); ++c) {
          in.ids.push_back(std::to_string(grid.id(c).value()));
          ur.centre.emplace_back(grid.centre_x(c), grid.centre_y(c));
        }
        in.count = s.hot->counts;
        // Each cell named after the reference area (ward) holding its centre, so
        // the list says where a cell is.
        if (const Boundary* ref = s.reference_layer()) {
          in.names.resize(grid.size());
          for (uint32_t c = 0; c < grid.size(); ++c) {
            const uint32_t a = ref->read.areas.locate(grid.centre_x(c), grid.centre_y(c));
            if (a != core::AreaSet::kNone) in.names[c] = ref->read.areas[a].name;
          }
        }
        in.harm_days = core::harm_per_unit(s.cell_of, s.table.category(), harm.days_by_category, grid.size());
        if (s.has_gistar) in.gi_bin = s.hot->bins;
        if (s.emerging && s.emerging->category.size() == grid.size()) in.emerging = s.emerging->category;
      } else {
        const Boundary* b = boundary(unit);
        if (!b) continue;  // load_study checked the key; kept for safety
        ur.boundary = b;
        const auto& areas = b->read.areas;
        std::map<std::string, int> seen;
        for (uint32_t a = 0; a < areas.size(); ++a) {
          std::string id = areas[a].code;
          if (int n = ++seen[id]; n > 1) id += "#" + std::to_string(n);  // duplicate codes stay distinct
          in.ids.push_back(id);
          in.names.push_back(areas[a].name);
          in.count.push_back(static_cast<double>(b->total(a, s.cats, s.ncat)));
          core::Point c;
          boost::geometry::centroid(areas[a].geometry, c);
          ur.centre.push_back(c);
        }
        in.harm_days = core::harm_per_unit(b->area_of, s.table.category(), harm.days_by_category, areas.size());
        if (!rs.denominator.empty()) in.denominator = read_denominator(*b, rs);
      }
      auto r = core::rank_units(in, {});
      if (!r) {
        s.warnings.push_back("ranking " + unit + ": " + r.error().message);
        continue;
      }
      ur.ranking = std::move(r).value();
      s.rankings.push_back(std::move(ur));
    }
    m_harm_source = core::default_harm_source();
  }

  // [rank] denominator: a numeric field of the boundary layer, matched by area code.
  std::vector<double> read_denominator(const Boundary& b, const RankStudySpec& rs) {
    const FeatureSet fs_ = read_features(b.spec->path.string(), {b.spec->layer, "", {}});
    const int fi = fs_.field_index(rs.denominator);
    const int ci = fs_.field_index(b.spec->code_field);
    if (fi < 0)
      throw UsageError(m_study.file.string() + ":" + std::to_string(rs.line) + ": error: [rank] denominator '" +
                       rs.denominator + "' is not a field of " + b.spec->path.string());
    std::map<std::string, double> by_code;
    for (std::size_t f = 0; f < fs_.size(); ++f)
      by_code[fs_.fields[static_cast<std::size_t>(ci)].text(f)] = fs_.fields[static_cast<std::size_t>(fi)].number(f);
    std::vector<double> out;
    for (uint32_t a = 0; a < b.read.areas.size(); ++a) {
      auto it = by_code.find(b.read.areas[a].code);
      out.push_back(it == by_code.end() ? std::nan("") : it->second);
    }
    return out;
  }

  // [SECTION] Stage: outputs -----------------------------------------------------------
  // The layers published as GeoJSON: [export] geojson, "all" meaning every polygon
  // layer a web map wants (counts, hot spots, emerging, targets; not the incident
  // points nor the full grid, which are in study.gpkg).
  [[nodiscard]] std::vector<std::string> geojson_layers() const {
    std::vector<std::string> all;
    for (const auto& b : s.bounds) all.push_back(b.spec->key + "_counts");
    if (s.hot && s.has_gistar) all.push_back("hotspots");
    if (s.hot && s.emerging) all.push_back("emerging");
    for (const auto& ur : s.rankings) all.push_back("targets_" + ur.unit);
    std::vector<std::string> out;
    for (const auto& l : m_exp.geojson) {
      if (l == "all") {
        for (const auto& a : all)
          if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
      } else if (std::find(out.begin(), out.end(), l) == out.end()) {
        out.push_back(l);
      }
    }
    return out;
  }

  void write_layers() {
    const std::vector<std::string> gj = geojson_layers();
    fs::path source;
    if (m_exp.gpkg) {
      write_geopackage();
      source = m_o.out / "study.gpkg";
    } else if (!gj.empty() || !m_exp.postgis.empty()) {
      // No study.gpkg wanted: the layers to publish go through a scratch GeoPackage.
      source = m_o.out / "cache" / "export.gpkg";
      std::error_code ec;
      fs::create_directories(source.parent_path(), ec);
      fs::remove(source, ec);
      VectorWriter vw(source);
      add_layers(vw, &gj);
      vw.close();
    }
    write_monthly_csv();
    for (const auto& b : s.bounds) write_area_csv(b);
    if (!s.published.empty()) write_published_csv();
    if (s.hot) write_cells_csv();
    for (const auto& ur : s.rankings) write_rank_csv(ur);
    if (s.kde) {
      RasterData rd;
      rd.x0_m = s.kde->x0;
      rd.y1_m = s.kde->y1;
      rd.cell_m = s.kde->cell_m;
      rd.columns = s.kde->columns;
      rd.rows = s.kde->rows;
      rd.values = s.kde->values;
      rd.float32 = true;
      rd.description = std::string(core::density_unit_name(s.kde->unit)) + " (" + core::kernel_name(s.kde->kernel) +
                       ", radius " + detail::fixed(s.kde->radius_m, 0) + " m)";
      write_geotiff(m_o.out / "kde.tif", rd, m_input_files);
    }
    // GeoJSON (and PostGIS) through the export stage (layers/io/export.hpp): RFC 7946,
    // feature ids, the [export] precision and, for a public release, disclosure control.
    DisclosureRules rules;
    rules.public_release = m_exp.public_release;
    rules.min_count = m_exp.min_count;
    rules.point_precision_m = m_exp.point_precision_m;
    rules.categories = m_exp.categories;
    if (!gj.empty()) {
      ExportOptions eo;
      eo.source = source;
      eo.layers = gj;
      eo.geojson_dir = m_o.out / "geojson";
      eo.precision = m_exp.precision;
      eo.disclosure = rules;
      eo.inputs = m_input_files;
      const ExportReport er = export_layers(eo);
      record_export(er);
    }
    if (!m_exp.postgis.empty()) {
      ExportOptions eo;
      eo.source = source;
      eo.postgis = PostgisTarget{m_exp.postgis, m_exp.postgis_schema, ""};
      eo.disclosure = rules;
      eo.inputs = m_input_files;
      const ExportReport er = export_layers(eo);
      record_export(er);
    }
    if (!m_exp.gpkg && !source.empty()) {
      std::error_code ec;
      fs::remove(source, ec);
    }
  }

  void record_export(const ExportReport& er) {
    for (const auto& w : er.warnings) s.warnings.push_back("export: " + w);
    for (const auto& p : er.written)
      if (p.extension() == ".geojson") m_geojson.push_back(p.string());
    for (const auto& l : er.layers) {
      json d = {{"layer", l.layer}, {"features", l.features}, {"skipped", l.skipped}};
      if (m_exp.public_release)
        d["disclosure"] = {{"suppressed_features", l.disclosure.suppressed_features},
                           {"suppressed_values", l.disclosure.suppressed_values},
                           {"dropped_points", l.disclosure.dropped_points},
                           {"snapped_points", l.disclosure.snapped_points},
                           {"removed_fields", l.disclosure.removed_fields}};
      if (!l.note.empty()) d["note"] = l.note;
      m_export_json.push_back(d);
    }
    if (er.postgis)
      for (const auto& l : er.postgis->layers) m_export_json.push_back({{"postgis_table", l.table}, {"features", l.features}});
  }

  // The geometry layers of the study (all, or only those named in `only`).
  void add_layers(VectorWriter& vw, const std::vector<std::string>* only) const {
    auto want = [&](const std::string& name) {
      return !only || std::find(only->begin(), only->end(), name) != only->end();
    };
    for (const auto& b : s.bounds)
      if (want(b.spec->key + "_counts")) add_area_layer(vw, b, /*with_area=*/true);
    if (s.hot) {
      if (!only) add_cells_layer(vw, "grid_cells", CellFilter::all);
      if (s.has_gistar && want("hotspots")) add_cells_layer(vw, "hotspots", CellFilter::significant);
      if (s.emerging && want("emerging")) add_cells_layer(vw, "emerging", CellFilter::pattern);
    }
    for (const auto& ur : s.rankings)
      if (want("targets_" + ur.unit)) add_targets_layer(vw, ur);
  }

  // The counts layer of one boundary, into any VectorWriter.
  void add_area_layer(VectorWriter& vw, const Boundary& b, bool with_area) const {
    LayerSpec spec{b.spec->key + "_counts", GeometryKind::multipolygon, core::kWorkingEpsg,
                   {{"code", FieldType::text}, {"name", FieldType::text}}};
    if (with_area) spec.fields.push_back({"area_km2", FieldType::real});
    spec.fields.push_back({"total", FieldType::integer});
    spec.fields.insert(spec.fields.end(), m_cat_fields.begin(), m_cat_fields.end());
    auto& layer = vw.add_layer(spec);
    FeatureValues f;
    for (uint32_t a = 0; a < b.read.areas.size(); ++a) {
      const auto& area = b.read.areas[a];
      f.geometry = area.geometry;
      f.values.clear();
      f.values.emplace_back(area.code);
      f.values.emplace_back(area.name);
      if (with_area) f.values.emplace_back(area.area_m2 / 1e6);
      f.values.emplace_back(static_cast<int64_t>(b.total(a, s.cats, s.ncat)));
      for (auto c : s.cats) f.values.emplace_back(static_cast<int64_t>(b.counts[a * s.ncat + c]));
      layer.add(f);
    }
  }

  enum class CellFilter { all, significant, pattern };

  // Grid cells with their count, Gi* and emerging hot spot results.
  void add_cells_layer(VectorWriter& vw, const std::string& name, CellFilter filter) const {
    const auto& h = *s.hot;
    LayerSpec spec{name, GeometryKind::multipolygon, core::kWorkingEpsg,
                   {{"cell_id", FieldType::integer}, {"x", FieldType::real}, {"y", FieldType::real},
                    {"count", FieldType::integer}}};
    if (s.has_gistar)
      for (const char* f : {"z", "p", "p_fdr"}) spec.fields.push_back({f, FieldType::real});
    if (s.has_gistar) spec.fields.push_back({"bin", FieldType::integer});
    if (s.emerging) {
      spec.fields.push_back({"category", FieldType::text});
      spec.fields.push_back({"trend_z", FieldType::real});
      spec.fields.push_back({"trend_p", FieldType::real});
    }
    auto& layer = vw.add_layer(spec);
    FeatureValues f;
    for (uint32_t c = 0; c < h.grid.size(); ++c) {
      if (filter == CellFilter::significant && h.bins[c] == 0) continue;
      if (filter == CellFilter::pattern && s.emerging->category[c] == core::EmergingCategory::no_pattern) continue;
      f.geometry = core::MultiPolygon{h.grid.polygon(c)};
      f.values.clear();
      f.values.emplace_back(h.grid.id(c).as_int64());
      f.values.emplace_back(h.grid.centre_x(c));
      f.values.emplace_back(h.grid.centre_y(c));
      f.values.emplace_back(static_cast<int64_t>(h.counts[c]));
      if (s.has_gistar) {
        f.values.emplace_back(h.gi.z[c]);
        f.values.emplace_back(h.gi.p[c]);
        f.values.emplace_back(h.p_fdr[c]);
        f.values.emplace_back(int64_t{h.bins[c]});
      }
      if (s.emerging) {
        f.values.emplace_back(std::string(core::emerging_category_name(s.emerging->category[c])));
        f.values.emplace_back(s.emerging->trend[c].z);
        f.values.emplace_back(s.emerging->trend[c].p);
      }
      layer.add(f);
    }
  }

  // The ranked units with every part of the score: all of them for areas, the top
  // [rank] top for cells (the full cell ranking is in tables/rank_cells.csv).
  void add_targets_layer(VectorWriter& vw, const UnitRanking& ur) const {
    LayerSpec spec{"targets_" + ur.unit, GeometryKind::multipolygon, core::kWorkingEpsg,
                   {{"rank", FieldType::integer}, {"id", FieldType::text}, {"name", FieldType::text},
                    {"count", FieldType::integer}, {"rate", FieldType::real}, {"harm_days", FieldType::real},
                    {"gi_bin", FieldType::integer}, {"emerging", FieldType::text}, {"count_part", FieldType::real},
                    {"rate_part", FieldType::real}, {"harm_part", FieldType::real}, {"hotspot_part", FieldType::real},
                    {"emerging_part", FieldType::real}, {"score", FieldType::real}, {"reasons", FieldType::text}}};
    auto& layer = vw.add_layer(spec);
    const std::size_t n = ur.boundary ? ur.ranking.units.size()
                                      : std::min<std::size_t>(ur.ranking.units.size(), static_cast<std::size_t>(m_study.rank->top));
    FeatureValues f;
    for (std::size_t k = 0; k < n; ++k) {
      const auto& u = ur.ranking.units[k];
      f.geometry = ur.boundary ? ur.boundary->read.areas[u.unit].geometry : core::MultiPolygon{s.hot->grid.polygon(u.unit)};
      f.values.clear();
      f.values.emplace_back(int64_t{u.rank});
      f.values.emplace_back(ur.input.ids[u.unit]);
      f.values.emplace_back(ur.input.names.empty() ? std::string() : ur.input.names[u.unit]);
      f.values.emplace_back(static_cast<int64_t>(u.count));
      f.values.emplace_back(u.rate);
      f.values.emplace_back(u.harm_days);
      f.values.emplace_back(int64_t{u.gi_bin});
      f.values.emplace_back(std::string(core::emerging_category_name(u.emerging)));
      for (double v : {u.count_part, u.rate_part, u.harm_part, u.hotspot_part, u.emerging_part, u.score}) f.values.emplace_back(v);
      f.values.emplace_back(u.reasons);
      layer.add(f);
    }
  }

  void write_geopackage() {
    const fs::path tmp = *gpkg_temp();
    if (m_exp.incidents)
      for (auto& w : add_incident_layer(s.table, s.tax, tmp, "incidents")) s.warnings.push_back(std::move(w));
    VectorWriter vw(tmp);
    {
      LayerSpec spec{"monthly_counts", GeometryKind::none, core::kWorkingEpsg,
                     {{"month", FieldType::text}, {"total", FieldType::integer}}};
      spec.fields.insert(spec.fields.end(), m_cat_fields.begin(), m_cat_fields.end());
      auto& layer = vw.add_layer(spec);
      FeatureValues f;
      for (std::size_t m = 0; m < s.nmonths; ++m) {
        f.values.clear();
        f.values.emplace_back(core::format_month(s.first + static_cast<core::MonthIndex>(m)));
        f.values.emplace_back(static_cast<int64_t>(s.month_total(m)));
        for (auto c : s.cats) f.values.emplace_back(static_cast<int64_t>(s.monthly[m * s.ncat + c]));
        layer.add(f);
      }
    }
    add_layers(vw, nullptr);
    if (!s.published.empty()) {
      LayerSpec spec{"published_area_counts", GeometryKind::none, core::kWorkingEpsg,
                     {{"code", FieldType::text}, {"in_layer", FieldType::integer}, {"total", FieldType::integer}}};
      spec.fields.insert(spec.fields.end(), m_cat_fields.begin(), m_cat_fields.end());
      auto& layer = vw.add_layer(spec);
      FeatureValues f;
      for (const auto& [code, row] : s.published) {
        f.values.clear();
        f.values.emplace_back(code);
        if (s.pub) f.values.emplace_back(static_cast<int64_t>(s.pub->read.areas.find_code(code) ? 1 : 0));
        else f.values.emplace_back(std::monostate{});
        uint64_t total = 0;
        for (auto c : s.cats) total += row[c];
        f.values.emplace_back(static_cast<int64_t>(total));
        for (auto c : s.cats) f.values.emplace_back(static_cast<int64_t>(row[c]));
        layer.add(f);
      }
    }
    vw.close();
    for (const auto& w : vw.warnings()) s.warnings.push_back(w);
    write_layer_styles(tmp, auto_styles(tmp));  // QGIS opens every layer styled
    m_gpkg->commit();
  }

  void write_category_header(CsvWriter& w) const {
    for (auto c : s.cats) w.field(s.tax.get(c).name);
    w.end_row();
  }

  void write_monthly_csv() const {
    CsvWriter w(m_o.out / "tables" / "monthly_counts.csv", m_input_files);
    w.field("month");
    w.field("total");
    write_category_header(w);
    for (std::size_t m = 0; m < s.nmonths; ++m) {
      w.field(core::format_month(s.first + static_cast<core::MonthIndex>(m)));
      w.field(s.month_total(m));
      for (auto c : s.cats) w.field(s.monthly[m * s.ncat + c]);
      w.end_row();
    }
    w.commit();
  }

  void write_area_csv(const Boundary& b) const {
    CsvWriter w(m_o.out / "tables" / (b.spec->key + "_counts.csv"), m_input_files);
    w.field("code");
    w.field("name");
    w.field("area_km2");
    w.field("total");
    write_category_header(w);
    for (uint32_t a = 0; a < b.read.areas.size(); ++a) {
      const auto& area = b.read.areas[a];
      w.field(area.code);
      w.field(area.name);
      w.field(area.area_m2 / 1e6, 3);
      w.field(b.total(a, s.cats, s.ncat));
      for (auto c : s.cats) w.field(b.counts[a * s.ncat + c]);
      w.end_row();
    }
    w.commit();
  }

  void write_published_csv() const {
    CsvWriter w(m_o.out / "tables" / "published_area_counts.csv", m_input_files);
    w.field("code");
    w.field("in_layer");
    w.field("total");
    write_category_header(w);
    for (const auto& [code, row] : s.published) {
      w.field(code);
      if (s.pub) w.field(static_cast<uint64_t>(s.pub->read.areas.find_code(code) ? 1 : 0));
      else w.empty_field();
      uint64_t total = 0;
      for (auto c : s.cats) total += row[c];
      w.field(total);
      for (auto c : s.cats) w.field(row[c]);
      w.end_row();
    }
    w.commit();
  }

  // tables/grid_cells.csv: every cell (DESIGN.md's gistar columns id,z,p,p_fdr,bin
  // and emerging's category,trend_z,trend_p, with the cell's count and centre).
  void write_cells_csv() const {
    const auto& h = *s.hot;
    CsvWriter w(m_o.out / "tables" / "grid_cells.csv", m_input_files);
    for (const char* c : {"id", "x", "y", "count"}) w.field(c);
    if (s.has_gistar)
      for (const char* c : {"z", "p", "p_fdr", "significant_fdr", "bin"}) w.field(c);
    if (s.emerging)
      for (const char* c : {"category", "trend_z", "trend_p"}) w.field(c);
    w.end_row();
    for (uint32_t c = 0; c < h.grid.size(); ++c) {
      w.field(std::to_string(h.grid.id(c).value()));
      w.field(h.grid.centre_x(c), 1);
      w.field(h.grid.centre_y(c), 1);
      w.field(static_cast<uint64_t>(h.counts[c]));
      if (s.has_gistar) {
        w.field(h.gi.z[c], 6);
        w.field(h.gi.p[c], 8);
        w.field(h.p_fdr[c], 8);
        w.field(static_cast<uint64_t>(h.bins[c] != 0 ? 1 : 0));
        w.field(int64_t{h.bins[c]});
      }
      if (s.emerging) {
        w.field(core::emerging_category_name(s.emerging->category[c]));
        w.field(s.emerging->trend[c].z, 6);
        w.field(s.emerging->trend[c].p, 8);
      }
      w.end_row();
    }
    w.commit();
  }

  void write_rank_csv(const UnitRanking& ur) const {
    CsvWriter w(m_o.out / "tables" / ("rank_" + ur.unit + ".csv"), m_input_files);
    for (const char* c : {"rank", "id", "name", "count", "rate", "harm_days", "gi_bin", "emerging", "count_part",
                          "rate_part", "harm_part", "hotspot_part", "emerging_part", "score", "reasons"})
      w.field(c);
    w.end_row();
    for (const auto& u : ur.ranking.units) {
      w.field(uint64_t{u.rank});
      w.field(ur.input.ids[u.unit]);
      w.field(ur.input.names.empty() ? std::string() : ur.input.names[u.unit]);
      w.field(static_cast<uint64_t>(u.count));
      if (std::isfinite(u.rate)) w.field(u.rate, 4);
      else w.empty_field();
      if (std::isfinite(u.harm_days)) w.field(u.harm_days, 1);
      else w.empty_field();
      w.field(int64_t{u.gi_bin});
      w.field(core::emerging_category_name(u.emerging));
      for (double v : {u.count_part, u.rate_part, u.harm_part, u.hotspot_part, u.emerging_part, u.score}) w.field(v, 4);
      w.field(u.reasons);
      w.end_row();
    }
    w.commit();
  }

  // [SECTION] Stage: summary.json ----------------------------------------------------------
  void write_summary_and_report(double total_s) {
    json by_reason = json::object();
    for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
      if (s.counts.by_code[c]) by_reason[core::issue_code_name(static_cast<core::IssueCode>(c))] = s.counts.by_code[c];
    json by_category = json::object();
    for (auto c : s.cats)
      if (s.by_cat[c]) by_category[s.tax.get(c).name] = s.by_cat[c];
    json& j = m_result.summary;
    j["command"] = "run";
    j["study"] = m_study.name;
    j["study_file"] = m_study.file.string();
    if (s.nmonths) j["period"] = {core::format_month(s.first), core::format_month(s.last)};
    j["inputs"] = s.inputs_json;
    j["counts"] = {{"read", s.counts.read},
                   {"accepted", s.counts.accepted},
                   {"rejected", s.counts.rejected},
                   {"by_reason", by_reason}};
    if (s.address_rows)
      j["geocoding"] = {{"address_rows", s.address_rows},
                        {"geocoded", s.geocoded},
                        {"not_geocoded", s.not_geocoded},
                        {"hit_rate", static_cast<double>(s.geocoded) / static_cast<double>(s.geocoded + s.not_geocoded)}};
    j["incidents"] = s.table.size();
    j["by_category"] = by_category;
    j["areas"] = m_areas_json;
    if (!s.published_json.is_null()) j["published_area_codes"] = s.published_json;
    if (s.hot) {
      const auto& h = *s.hot;
      json g = {{"selection", s.grid_selection},
                {"cells", h.grid.size()},
                {"cell_m", h.cell_m},
                {"shape", h.grid.shape() == core::CellShape::hex ? "hex" : "square"},
                {"decisions", h.decisions}};
      if (s.has_gistar) {
        g["band_m"] = h.band_m;
        g["band_rule"] = h.band_rule;
        g["hot_cells"] = h.hot;
        g["cold_cells"] = h.cold;
        std::array<std::size_t, 7> bins{};
        for (int8_t b : h.bins) ++bins[static_cast<std::size_t>(b + 3)];
        g["bins"] = {{"-3", bins[0]}, {"-2", bins[1]}, {"-1", bins[2]}, {"0", bins[3]}, {"1", bins[4]}, {"2", bins[5]}, {"3", bins[6]}};
      }
      j["hotspots"] = g;
    }
    if (s.kde)
      j["kde"] = {{"columns", s.kde->columns},
                  {"rows", s.kde->rows},
                  {"cell_m", s.kde->cell_m},
                  {"radius_m", s.kde->radius_m},
                  {"radius_rule", s.kde->radius_from_rule ? "ArcGIS default" : "given"},
                  {"kernel", core::kernel_name(s.kde->kernel)},
                  {"unit", core::density_unit_name(s.kde->unit)},
                  {"max", s.kde->values.empty() ? 0.0 : *std::max_element(s.kde->values.begin(), s.kde->values.end())}};
    if (s.emerging) {
      json cats = json::object();
      for (std::size_t k = 0; k < core::kEmergingCategories; ++k)
        if (s.emerging->category_counts[k])
          cats[core::emerging_category_name(static_cast<core::EmergingCategory>(k))] = s.emerging->category_counts[k];
      j["emerging"] = {{"periods", s.emerging_periods.size()}, {"band_m", s.emerging_band_m}, {"categories", cats}};
    }
    if (s.evaluation) j["evaluation"] = s.evaluation->summary;
    if (!s.rankings.empty()) {
      json rk = json::object();
      for (const auto& ur : s.rankings) {
        json top = json::array();
        for (std::size_t k = 0; k < std::min<std::size_t>(ur.ranking.units.size(), static_cast<std::size_t>(m_study.rank->top)); ++k) {
          const auto& u = ur.ranking.units[k];
          top.push_back({{"rank", u.rank}, {"id", ur.input.ids[u.unit]}, {"score", u.score}, {"count", u.count},
                         {"reasons", u.reasons}});
        }
        rk[ur.unit] = {{"units", ur.ranking.total_units}, {"top", top}};
      }
      rk["harm_source"] = m_harm_source;
      j["ranking"] = rk;
    }
    j["cache"] = {{"folder", m_cache.enabled() ? (m_o.out / "cache").string() : ""},
                  {"reused", s.reused},
                  {"computed", s.computed}};
    json outputs = {{"tables", (m_o.out / "tables").string()},
                    {"geojson", m_geojson},
                    {"rejects", (m_o.out / "rejects.csv").string()},
                    {"report", (m_o.out / "report.md").string()},
                    {"summary", (m_o.out / "summary.json").string()}};
    if (m_exp.gpkg) outputs["geopackage"] = (m_o.out / "study.gpkg").string();
    if (s.kde) outputs["kde"] = (m_o.out / "kde.tif").string();
    if (m_exp.maps) {
      outputs["report_html"] = (m_o.out / "report.html").string();
      json maps = json::array();
      for (const auto& [title, path] : s.maps) maps.push_back((m_o.out / path).string());
      outputs["maps"] = maps;
    }
    if (s.evaluation) outputs["evaluation"] = (m_o.out / "evaluation.json").string();
    j["outputs"] = outputs;
    if (!m_export_json.empty()) j["export"] = {{"public", m_exp.public_release}, {"min_count", m_exp.min_count},
                                               {"precision", m_exp.precision}, {"layers", m_export_json}};
    j["warnings"] = s.warnings;
    const std::string md = detail::tasking_report(s);
    write_text_atomic(m_o.out / "report.md", md);
    if (m_exp.maps) write_text_atomic(m_o.out / "report.html", markdown_to_html(md, m_study.name + ": tasking pack"));
    m_timings["total_s"] = total_s;
    j["timings"] = m_timings;
    write_text_atomic(m_o.out / "summary.json", j.dump(2) + "\n");
  }

  const Study& m_study;
  const RunOptions& m_o;
  RunCache m_cache;
  ExportSpec m_exp;
  RunState s;
  RunResult m_result;
  json m_timings = json::object();
  std::optional<AtomicOutput> m_gpkg;

  std::vector<fs::path> m_input_files;
  std::string m_ingest_key, m_hot_key;
  std::vector<FieldSpec> m_cat_fields;
  json m_areas_json = json::object();
  std::span<const double> m_sel_x, m_sel_y;
  std::vector<double> m_own_x, m_own_y;
  std::vector<uint32_t> m_sel_rows;
  std::vector<std::string> m_geojson;
  json m_export_json = json::array();
  std::string m_harm_source;
};

}  // namespace

// [SECTION] run_study() --------------------------------------------------------------

RunResult run_study(const Study& study, const RunOptions& options) { return Pipeline(study, options).run(); }

}  // namespace hotspot::layers
