// [SECTION] index
//  - Helpers
//  - Pipeline: the state shared by the stages
//  - Stage 1: boundaries
//  - Stage 2: ingest
//  - Stage 3: counts
//  - Stage 4: outputs (GeoPackage, CSV, GeoJSON)
//  - Stage 5: report.md and summary.json
//  - run_study()

#include "layers/study/run.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include "core/base/error.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv_writer.hpp"
#include "layers/io/incident_writer.hpp"
#include "layers/io/ingest.hpp"
#include "layers/io/vector_writer.hpp"

namespace hotspot::layers {

namespace fs = std::filesystem;
using nlohmann::json;

// [SECTION] Helpers --------------------------------------------------------------

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string field_name(const core::Category& c) {
  std::string s = c.slug;
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

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

std::string percent(double num, double den, int decimals = 1) {
  if (den <= 0) return "n/a";
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(decimals);
  os << 100.0 * num / den << "%";
  return os.str();
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

// One boundary layer and the incidents' areas in it.
struct Boundary {
  const BoundarySpec* spec;
  AreaReadResult read;
  std::vector<uint32_t> area_of;  // per incident
  std::vector<uint64_t> counts;   // area x category
  uint64_t outside = 0;

  [[nodiscard]] uint64_t total(uint32_t area, std::span<const core::CategoryId> cats, std::size_t ncat) const {
    uint64_t t = 0;
    for (auto c : cats) t += counts[area * ncat + c];
    return t;
  }
};

// [SECTION] Pipeline ---------------------------------------------------------------

class Pipeline {
 public:
  Pipeline(const Study& study, const RunOptions& o) : m_study(study), m_o(o), m_tax(study.taxonomy()) {}

  RunResult run() {
    const auto t_start = Clock::now();
    prepare_output();
    timed("boundaries", [&] { read_boundaries(); });
    timed("ingest", [&] { ingest_inputs(); });
    timed("counts", [&] { count(); });
    timed("write", [&] { write_layers(); });
    write_summary_and_report(since(t_start));
    return std::move(m_result);
  }

 private:
  template <typename F>
  void timed(const char* stage, F&& f) {
    if (m_o.on_stage) m_o.on_stage(stage);
    const auto t = Clock::now();
    f();
    m_timings[std::string(stage) + "_s"] = since(t);
  }

  void prepare_output() {
    if (m_o.out.empty()) throw UsageError("run: no output folder given (--out DIR or [study] output)");
    std::error_code ec;
    fs::create_directories(m_o.out / "tables", ec);
    if (!ec) fs::create_directories(m_o.out / "geojson", ec);
    if (ec) throw IoError(m_o.out.string() + ": cannot create the output folder: " + ec.message());
  }

  Boundary* boundary(const std::string& key) {
    for (auto& b : m_bounds)
      if (b.spec->key == key) return &b;
    return nullptr;
  }

  // [SECTION] Stage 1: boundaries ---------------------------------------------------
  void read_boundaries() {
    m_bounds.reserve(m_study.boundaries.size());
    for (const auto& b : m_study.boundaries) {
      Boundary bd{&b, read_areas(b.path.string(), {b.layer, b.code_field, b.name_field, ""}), {}, {}, 0};
      for (const auto& w : bd.read.warnings) m_result.warnings.push_back(w);
      m_bounds.push_back(std::move(bd));
    }
  }

  // [SECTION] Stage 2: ingest -------------------------------------------------------
  void ingest_inputs() {
    const core::AreaSet* study_area =
        m_study.study_area.empty() ? nullptr : &boundary(m_study.study_area)->read.areas;
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
    RejectsWriter rejects(m_o.out / "rejects.csv", m_input_files);
    for (std::size_t k = 0; k < m_study.inputs.size(); ++k) {
      const InputSpec& in = m_study.inputs[k];
      IngestOptions io;
      io.format = in.format;
      io.location = in.location;
      io.date_column = in.date_column;
      io.date_format = in.date_format;
      io.category_column = in.category_column;
      io.category_value = in.category_value;
      io.area_column = in.area_column;
      io.ogr_layer = in.ogr_layer;
      io.first_month = m_study.first_month;
      io.last_month = m_study.last_month;
      io.study_area = study_area;
      io.threads = m_o.threads;
      io.keep_issues = 20;
      io.issue_sink = [&](const core::RowIssue& issue) { rejects.write(issue); };
      io.progress = m_o.progress;
      IngestResult r = ingest(files_per_input[k], m_tax, io);
      if (!in.area_layer.empty() && m_published_layer.empty()) m_published_layer = in.area_layer;
      m_result.counts.add(r.counts);
      m_result.issues_total += r.issues.total();
      for (const auto& issue : r.issues.kept())
        if (m_result.first_issues.size() < 10) m_result.first_issues.push_back(issue);
      json by_reason = json::object();
      for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
        if (r.counts.by_code[c]) by_reason[core::issue_code_name(static_cast<core::IssueCode>(c))] = r.counts.by_code[c];
      m_inputs_json.push_back({{"name", in.name},
                               {"files", files_per_input[k].size()},
                               {"read", r.counts.read},
                               {"accepted", r.counts.accepted},
                               {"rejected", r.counts.rejected},
                               {"by_reason", by_reason},
                               {"blank_lines", r.blank_lines}});
      if (m_table.empty()) m_table = std::move(r.table);
      else m_table.append(r.table);
    }
    rejects.commit();
  }

  // [SECTION] Stage 3: counts -------------------------------------------------------
  void count() {
    m_ncat = m_tax.size();
    m_by_cat.assign(m_ncat, 0);
    for (auto c : m_table.category()) ++m_by_cat[c];
    // Reported categories: every current and local one, and historic ones present.
    for (const auto& c : m_tax.categories())
      if (c.kind != core::CategoryKind::police_uk_historic || m_by_cat[c.id] > 0) m_cats.push_back(c.id);
    for (auto c : m_cats) m_cat_fields.push_back({field_name(m_tax.get(c)), FieldType::integer});

    if (m_study.first_month && m_study.last_month) {
      m_first = *m_study.first_month;
      m_last = *m_study.last_month;
    } else if (!m_table.empty()) {
      const auto [lo, hi] = std::minmax_element(m_table.month().begin(), m_table.month().end());
      m_first = *lo;
      m_last = *hi;
    }
    m_nmonths = m_last >= m_first ? static_cast<std::size_t>(m_last - m_first + 1) : 0;
    m_monthly.assign(m_nmonths * m_ncat, 0);
    for (std::size_t i = 0; i < m_table.size(); ++i) {
      const auto m = m_table.month()[i];
      if (m < m_first || m > m_last) continue;
      ++m_monthly[static_cast<std::size_t>(m - m_first) * m_ncat + m_table.category()[i]];
    }

    for (auto& b : m_bounds) {
      const auto& areas = b.read.areas;
      b.area_of.assign(m_table.size(), core::AreaSet::kNone);
      areas.locate_many(m_table.x_m(), m_table.y_m(), b.area_of, m_o.threads);
      b.counts.assign(areas.size() * m_ncat, 0);
      for (std::size_t i = 0; i < m_table.size(); ++i) {
        const uint32_t a = b.area_of[i];
        if (a == core::AreaSet::kNone) ++b.outside;
        else ++b.counts[a * m_ncat + m_table.category()[i]];
      }
      m_areas_json[b.spec->key] = {{"areas", areas.size()},
                                   {"assigned", m_table.size() - b.outside},
                                   {"outside", b.outside},
                                   {"file", b.spec->path.string()}};
    }
    count_published_codes();
  }

  // Published area codes (police.uk LSOA codes) against point in polygon.
  void count_published_codes() {
    m_pub = m_published_layer.empty() ? nullptr : boundary(m_published_layer);
    for (std::size_t i = 0; i < m_table.size(); ++i) {
      const uint32_t a = m_table.area()[i];
      if (a == StringPool::kEmpty) continue;
      ++m_with_code;
      const std::string_view code = m_table.area_codes().get(a);
      auto& row = m_published[std::string(code)];
      if (row.empty()) row.assign(m_ncat, 0);
      ++row[m_table.category()[i]];
      if (m_pub) {
        const uint32_t pip = m_pub->area_of[i];
        if (pip != core::AreaSet::kNone && m_pub->read.areas[pip].code == code) ++m_agree;
        if (!m_pub->read.areas.find_code(code)) ++m_code_not_in_layer;
      }
    }
    if (m_with_code == 0) return;
    m_published_json = {{"rows_with_code", m_with_code}, {"codes", m_published.size()}};
    if (!m_pub) return;
    m_published_json["layer"] = m_published_layer;
    m_published_json["agree_with_point_in_polygon"] = m_agree;
    m_published_json["agreement"] = static_cast<double>(m_agree) / static_cast<double>(m_with_code);
    m_published_json["rows_with_code_not_in_layer"] = m_code_not_in_layer;
    if (static_cast<double>(m_agree) < 0.9 * static_cast<double>(m_with_code))
      m_result.warnings.push_back("only " + percent(static_cast<double>(m_agree), static_cast<double>(m_with_code)) +
                                  " of the published area codes agree with the '" + m_published_layer +
                                  "' polygons: check the boundary vintage (police.uk used 2011 LSOAs until 2023)");
  }

  [[nodiscard]] uint64_t month_total(std::size_t m) const {
    uint64_t t = 0;
    for (auto c : m_cats) t += m_monthly[m * m_ncat + c];
    return t;
  }

  // [SECTION] Stage 4: outputs ------------------------------------------------------
  void write_layers() {
    write_geopackage();
    write_monthly_csv();
    for (const auto& b : m_bounds) {
      write_area_csv(b);
      write_area_geojson(b);
    }
    if (!m_published.empty()) write_published_csv();
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
      f.values.emplace_back(static_cast<int64_t>(b.total(a, m_cats, m_ncat)));
      for (auto c : m_cats) f.values.emplace_back(static_cast<int64_t>(b.counts[a * m_ncat + c]));
      layer.add(f);
    }
  }

  void write_geopackage() {
    AtomicOutput gpkg(m_o.out / "study.gpkg", m_input_files);
    for (auto& w : add_incident_layer(m_table, m_tax, gpkg.temp_path(), "incidents"))
      m_result.warnings.push_back(std::move(w));
    VectorWriter vw(gpkg.temp_path());
    {
      LayerSpec spec{"monthly_counts", GeometryKind::none, core::kWorkingEpsg,
                     {{"month", FieldType::text}, {"total", FieldType::integer}}};
      spec.fields.insert(spec.fields.end(), m_cat_fields.begin(), m_cat_fields.end());
      auto& layer = vw.add_layer(spec);
      FeatureValues f;
      for (std::size_t m = 0; m < m_nmonths; ++m) {
        f.values.clear();
        f.values.emplace_back(core::format_month(m_first + static_cast<core::MonthIndex>(m)));
        f.values.emplace_back(static_cast<int64_t>(month_total(m)));
        for (auto c : m_cats) f.values.emplace_back(static_cast<int64_t>(m_monthly[m * m_ncat + c]));
        layer.add(f);
      }
    }
    for (const auto& b : m_bounds) add_area_layer(vw, b, /*with_area=*/true);
    if (!m_published.empty()) {
      LayerSpec spec{"published_area_counts", GeometryKind::none, core::kWorkingEpsg,
                     {{"code", FieldType::text}, {"in_layer", FieldType::integer}, {"total", FieldType::integer}}};
      spec.fields.insert(spec.fields.end(), m_cat_fields.begin(), m_cat_fields.end());
      auto& layer = vw.add_layer(spec);
      FeatureValues f;
      for (const auto& [code, row] : m_published) {
        f.values.clear();
        f.values.emplace_back(code);
        if (m_pub) f.values.emplace_back(static_cast<int64_t>(m_pub->read.areas.find_code(code) ? 1 : 0));
        else f.values.emplace_back(std::monostate{});
        uint64_t total = 0;
        for (auto c : m_cats) total += row[c];
        f.values.emplace_back(static_cast<int64_t>(total));
        for (auto c : m_cats) f.values.emplace_back(static_cast<int64_t>(row[c]));
        layer.add(f);
      }
    }
    vw.close();
    for (const auto& w : vw.warnings()) m_result.warnings.push_back(w);
    gpkg.commit();
  }

  void write_category_header(CsvWriter& w) const {
    for (auto c : m_cats) w.field(m_tax.get(c).name);
    w.end_row();
  }

  void write_monthly_csv() const {
    CsvWriter w(m_o.out / "tables" / "monthly_counts.csv", m_input_files);
    w.field("month");
    w.field("total");
    write_category_header(w);
    for (std::size_t m = 0; m < m_nmonths; ++m) {
      w.field(core::format_month(m_first + static_cast<core::MonthIndex>(m)));
      w.field(month_total(m));
      for (auto c : m_cats) w.field(m_monthly[m * m_ncat + c]);
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
      w.field(b.total(a, m_cats, m_ncat));
      for (auto c : m_cats) w.field(b.counts[a * m_ncat + c]);
      w.end_row();
    }
    w.commit();
  }

  // GeoJSON for web maps (RFC 7946, WGS84).
  void write_area_geojson(const Boundary& b) const {
    AtomicOutput gj(m_o.out / "geojson" / (b.spec->key + "_counts.geojson"), m_input_files);
    {
      VectorWriter vw(gj.temp_path());
      add_area_layer(vw, b, /*with_area=*/false);
      vw.close();
    }
    gj.commit();
  }

  void write_published_csv() const {
    CsvWriter w(m_o.out / "tables" / "published_area_counts.csv", m_input_files);
    w.field("code");
    w.field("in_layer");
    w.field("total");
    write_category_header(w);
    for (const auto& [code, row] : m_published) {
      w.field(code);
      if (m_pub) w.field(static_cast<uint64_t>(m_pub->read.areas.find_code(code) ? 1 : 0));
      else w.empty_field();
      uint64_t total = 0;
      for (auto c : m_cats) total += row[c];
      w.field(total);
      for (auto c : m_cats) w.field(row[c]);
      w.end_row();
    }
    w.commit();
  }

  // [SECTION] Stage 5: report.md and summary.json -----------------------------------
  void write_summary_and_report(double total_s) {
    json by_reason = json::object();
    for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
      if (m_result.counts.by_code[c])
        by_reason[core::issue_code_name(static_cast<core::IssueCode>(c))] = m_result.counts.by_code[c];
    json by_category = json::object();
    for (auto c : m_cats)
      if (m_by_cat[c]) by_category[m_tax.get(c).name] = m_by_cat[c];
    json& s = m_result.summary;
    s["command"] = "run";
    s["study"] = m_study.name;
    s["study_file"] = m_study.file.string();
    if (m_nmonths) s["period"] = {core::format_month(m_first), core::format_month(m_last)};
    s["inputs"] = m_inputs_json;
    s["counts"] = {{"read", m_result.counts.read},
                   {"accepted", m_result.counts.accepted},
                   {"rejected", m_result.counts.rejected},
                   {"by_reason", by_reason}};
    s["incidents"] = m_table.size();
    s["by_category"] = by_category;
    s["areas"] = m_areas_json;
    if (!m_published_json.is_null()) s["published_area_codes"] = m_published_json;
    s["outputs"] = {{"geopackage", (m_o.out / "study.gpkg").string()},
                    {"tables", (m_o.out / "tables").string()},
                    {"geojson", (m_o.out / "geojson").string()},
                    {"rejects", (m_o.out / "rejects.csv").string()},
                    {"report", (m_o.out / "report.md").string()},
                    {"summary", (m_o.out / "summary.json").string()}};
    s["warnings"] = m_result.warnings;
    write_text_atomic(m_o.out / "report.md", report());
    m_timings["total_s"] = total_s;
    s["timings"] = m_timings;
    write_text_atomic(m_o.out / "summary.json", s.dump(2) + "\n");
  }

  // What an analyst reads first.
  [[nodiscard]] std::string report() const {
    std::ostringstream md;
    md << "# " << m_study.name << ": incidents and data quality\n\n";
    if (!m_study.description.empty()) md << m_study.description << "\n\n";
    if (m_nmonths)
      md << "Period: " << core::format_month(m_first) << " to " << core::format_month(m_last) << " (" << m_nmonths
         << " months). Study file: `" << m_study.file.string() << "`.\n\n";
    md << "## Data quality\n\n";
    md << "| input | files | rows read | accepted | rejected |\n|---|---:|---:|---:|---:|\n";
    for (const auto& in : m_inputs_json)
      md << "| " << in["name"].get<std::string>() << " | " << in["files"].get<std::size_t>() << " | "
         << thousands(in["read"].get<uint64_t>()) << " | " << thousands(in["accepted"].get<uint64_t>()) << " | "
         << thousands(in["rejected"].get<uint64_t>()) << " |\n";
    const auto& counts = m_result.counts;
    md << "\nEvery row is accounted for: rows read = accepted + rejected (" << thousands(counts.read) << " = "
       << thousands(counts.accepted) << " + " << thousands(counts.rejected)
       << "). Rejected rows, with file, line and reason, are in `rejects.csv`.\n\n";
    if (counts.rejected) {
      md << "| reason | rows | meaning |\n|---|---:|---|\n";
      for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
        if (counts.by_code[c])
          md << "| " << core::issue_code_name(static_cast<core::IssueCode>(c)) << " | " << thousands(counts.by_code[c])
             << " | " << core::describe(static_cast<core::IssueCode>(c)) << " |\n";
      md << "\n";
    }
    if (!m_published_json.is_null() && m_pub)
      md << "Published area codes (" << m_published_layer << "): " << thousands(m_agree) << " of "
         << thousands(m_with_code) << " rows ("
         << percent(static_cast<double>(m_agree), static_cast<double>(m_with_code))
         << ") carry the same code as the polygon their point falls in. police.uk snaps points to anonymous map "
            "points, which can cross boundaries, and older files use 2011 LSOA codes.\n\n";
    md << "## Incidents by category\n\n| category | incidents | share |\n|---|---:|---:|\n";
    for (auto c : m_cats)
      if (m_by_cat[c])
        md << "| " << m_tax.get(c).name << " | " << thousands(m_by_cat[c]) << " | "
           << percent(static_cast<double>(m_by_cat[c]), static_cast<double>(m_table.size())) << " |\n";
    md << "| **all** | **" << thousands(m_table.size()) << "** | |\n\n";
    for (const auto& b : m_bounds) {
      if (m_study.study_area == b.spec->key) continue;
      md << "## " << b.spec->key << ": the ten areas with most incidents\n\n";
      std::vector<std::pair<uint64_t, uint32_t>> order;
      for (uint32_t a = 0; a < b.read.areas.size(); ++a) order.emplace_back(b.total(a, m_cats, m_ncat), a);
      std::sort(order.begin(), order.end(), [&](const auto& x, const auto& y) {
        return x.first > y.first || (x.first == y.first && b.read.areas[x.second].code < b.read.areas[y.second].code);
      });
      md << "| rank | code | name | incidents | per km2 |\n|---:|---|---|---:|---:|\n";
      for (std::size_t r = 0; r < std::min<std::size_t>(10, order.size()); ++r) {
        const auto& area = b.read.areas[order[r].second];
        std::ostringstream dens;
        dens.setf(std::ios::fixed);
        dens.precision(1);
        dens << static_cast<double>(order[r].first) / (area.area_m2 / 1e6);
        md << "| " << r + 1 << " | " << area.code << " | " << area.name << " | " << thousands(order[r].first) << " | "
           << dens.str() << " |\n";
      }
      md << "\n" << thousands(b.outside) << " incidents fall outside every " << b.spec->key << " polygon.\n\n";
    }
    md << "## Monthly totals\n\n| month | incidents |\n|---|---:|\n";
    for (std::size_t m = 0; m < m_nmonths; ++m)
      md << "| " << core::format_month(m_first + static_cast<core::MonthIndex>(m)) << " | " << thousands(month_total(m))
         << " |\n";
    if (!m_result.warnings.empty()) {
      md << "\n## Warnings\n\n";
      for (const auto& w : m_result.warnings) md << "- " << w << "\n";
    }
    md << "\n## Outputs\n\n- `study.gpkg`: layers `incidents`, `monthly_counts`";
    for (const auto& b : m_bounds) md << ", `" << b.spec->key << "_counts`";
    if (!m_published.empty()) md << ", `published_area_counts`";
    md << " (EPSG:27700)\n- `tables/*.csv`, `geojson/*.geojson` (WGS84), `rejects.csv`, `summary.json`\n";
    return md.str();
  }

  const Study& m_study;
  const RunOptions& m_o;
  const core::Taxonomy m_tax;
  RunResult m_result;
  json m_timings = json::object();

  std::vector<Boundary> m_bounds;
  std::vector<fs::path> m_input_files;
  core::IncidentTable m_table;
  json m_inputs_json = json::array();
  std::string m_published_layer;  // boundary whose codes the inputs carry

  std::size_t m_ncat = 0;
  std::vector<uint64_t> m_by_cat;
  std::vector<core::CategoryId> m_cats;
  std::vector<FieldSpec> m_cat_fields;
  core::MonthIndex m_first = 0, m_last = -1;
  std::size_t m_nmonths = 0;
  std::vector<uint64_t> m_monthly;  // month x category
  json m_areas_json = json::object();

  Boundary* m_pub = nullptr;
  std::map<std::string, std::vector<uint64_t>> m_published;  // code -> by category
  uint64_t m_with_code = 0, m_agree = 0, m_code_not_in_layer = 0;
  json m_published_json;
};

}  // namespace

// [SECTION] run_study() --------------------------------------------------------------

RunResult run_study(const Study& study, const RunOptions& options) { return Pipeline(study, options).run(); }

}  // namespace hotspot::layers
