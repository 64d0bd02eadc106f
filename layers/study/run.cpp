// [SECTION] index
//  - Helpers
//  - Stage 1-2: boundaries and ingest
//  - Stage 3: counts
//  - Stage 4: outputs (GeoPackage, CSV, GeoJSON, report, summary)

#include "layers/study/run.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
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

struct Boundary {
  const BoundarySpec* spec;
  AreaReadResult read;
  std::vector<uint32_t> area_of;  // per incident
  std::vector<uint64_t> counts;   // area x category
  uint64_t outside = 0;
};

}  // namespace

RunResult run_study(const Study& study, const RunOptions& o) {
  const auto t_start = Clock::now();
  auto stage = [&](const char* s) {
    if (o.on_stage) o.on_stage(s);
  };
  RunResult result;
  if (o.out.empty()) throw UsageError("run: no output folder given (--out DIR or [study] output)");
  std::error_code ec;
  fs::create_directories(o.out / "tables", ec);
  fs::create_directories(o.out / "geojson", ec);
  if (ec) throw IoError(o.out.string() + ": cannot create the output folder: " + ec.message());
  const core::Taxonomy tax = study.taxonomy();

  // [SECTION] Stage 1-2: boundaries and ingest ------------------------------------
  stage("boundaries");
  auto t = Clock::now();
  std::vector<Boundary> bounds;
  bounds.reserve(study.boundaries.size());
  for (const auto& b : study.boundaries) {
    Boundary bd{&b, read_areas(b.path.string(), {b.layer, b.code_field, b.name_field, ""}), {}, {}, 0};
    for (const auto& w : bd.read.warnings) result.warnings.push_back(w);
    bounds.push_back(std::move(bd));
  }
  auto boundary_named = [&](const std::string& key) -> Boundary* {
    for (auto& b : bounds)
      if (b.spec->key == key) return &b;
    return nullptr;
  };
  const core::AreaSet* study_area = study.study_area.empty() ? nullptr : &boundary_named(study.study_area)->read.areas;
  const double boundaries_s = since(t);

  stage("ingest");
  t = Clock::now();
  std::vector<fs::path> input_files;
  std::vector<std::vector<std::string>> files_per_input;
  for (const auto& in : study.inputs) {
    try {
      files_per_input.push_back(expand_globs(in.paths));
    } catch (const UsageError& e) {
      std::string hint;
      if (study.synth)
        hint = "; if this is the synthetic data, generate it first: hotspot synth --study " + study.file.string();
      throw UsageError(study.file.string() + ":" + std::to_string(in.line) + ": error: input '" + in.name +
                       "': " + e.what() + hint);
    }
    for (const auto& f : files_per_input.back()) input_files.emplace_back(f);
  }
  RejectsWriter rejects(o.out / "rejects.csv", input_files);
  core::IncidentTable table;
  json inputs_json = json::array();
  std::string published_layer;  // boundary whose codes the inputs carry
  uint64_t issues_total = 0;
  for (std::size_t k = 0; k < study.inputs.size(); ++k) {
    const InputSpec& in = study.inputs[k];
    IngestOptions io;
    io.format = in.format;
    io.location = in.location;
    io.date_column = in.date_column;
    io.date_format = in.date_format;
    io.category_column = in.category_column;
    io.category_value = in.category_value;
    io.area_column = in.area_column;
    io.ogr_layer = in.ogr_layer;
    io.first_month = study.first_month;
    io.last_month = study.last_month;
    io.study_area = study_area;
    io.threads = o.threads;
    io.keep_issues = 20;
    io.issue_sink = [&](const core::RowIssue& issue) { rejects.write(issue); };
    io.progress = o.progress;
    IngestResult r = ingest(files_per_input[k], tax, io);
    if (!in.area_layer.empty() && published_layer.empty()) published_layer = in.area_layer;
    result.counts.add(r.counts);
    issues_total += r.issues.total();
    for (const auto& issue : r.issues.kept())
      if (result.first_issues.size() < 10) result.first_issues.push_back(issue);
    json by_reason = json::object();
    for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
      if (r.counts.by_code[c]) by_reason[core::issue_code_name(static_cast<core::IssueCode>(c))] = r.counts.by_code[c];
    inputs_json.push_back({{"name", in.name},
                           {"files", files_per_input[k].size()},
                           {"read", r.counts.read},
                           {"accepted", r.counts.accepted},
                           {"rejected", r.counts.rejected},
                           {"by_reason", by_reason},
                           {"blank_lines", r.blank_lines}});
    if (table.empty()) table = std::move(r.table);
    else table.append(r.table);
  }
  result.issues_total = issues_total;
  const double ingest_s = since(t);

  // [SECTION] Stage 3: counts ------------------------------------------------------
  stage("counts");
  t = Clock::now();
  const std::size_t ncat = tax.size();
  // Categories reported: every current/local category, and historic ones present.
  std::vector<uint64_t> by_cat(ncat, 0);
  for (auto c : table.category()) ++by_cat[c];
  std::vector<core::CategoryId> cats;
  for (const auto& c : tax.categories())
    if (c.kind != core::CategoryKind::police_uk_historic || by_cat[c.id] > 0) cats.push_back(c.id);

  core::MonthIndex first = 0, last = -1;
  if (study.first_month && study.last_month) {
    first = *study.first_month;
    last = *study.last_month;
  } else if (!table.empty()) {
    const auto [lo, hi] = std::minmax_element(table.month().begin(), table.month().end());
    first = *lo;
    last = *hi;
  }
  const std::size_t nmonths = last >= first ? static_cast<std::size_t>(last - first + 1) : 0;
  std::vector<uint64_t> monthly(nmonths * ncat, 0);
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto m = table.month()[i];
    if (m < first || m > last) continue;
    ++monthly[static_cast<std::size_t>(m - first) * ncat + table.category()[i]];
  }

  json areas_json = json::object();
  for (auto& b : bounds) {
    const auto& areas = b.read.areas;
    b.area_of.assign(table.size(), core::AreaSet::kNone);
    areas.locate_many(table.x_m(), table.y_m(), b.area_of, o.threads);
    b.counts.assign(areas.size() * ncat, 0);
    for (std::size_t i = 0; i < table.size(); ++i) {
      const uint32_t a = b.area_of[i];
      if (a == core::AreaSet::kNone) ++b.outside;
      else ++b.counts[a * ncat + table.category()[i]];
    }
    areas_json[b.spec->key] = {{"areas", areas.size()},
                               {"assigned", table.size() - b.outside},
                               {"outside", b.outside},
                               {"file", b.spec->path.string()}};
  }

  // Published area codes (police.uk LSOA codes) against point in polygon.
  std::map<std::string, std::vector<uint64_t>> published;
  uint64_t with_code = 0, agree = 0, code_not_in_layer = 0;
  Boundary* pub = published_layer.empty() ? nullptr : boundary_named(published_layer);
  for (std::size_t i = 0; i < table.size(); ++i) {
    const uint32_t a = table.area()[i];
    if (a == StringPool::kEmpty) continue;
    ++with_code;
    const std::string_view code = table.area_codes().get(a);
    auto& row = published[std::string(code)];
    if (row.empty()) row.assign(ncat, 0);
    ++row[table.category()[i]];
    if (pub) {
      const uint32_t pip = pub->area_of[i];
      if (pip != core::AreaSet::kNone && pub->read.areas[pip].code == code) ++agree;
      if (!pub->read.areas.find_code(code)) ++code_not_in_layer;
    }
  }
  json published_json;
  if (with_code > 0) {
    published_json = {{"rows_with_code", with_code}, {"codes", published.size()}};
    if (pub) {
      published_json["layer"] = published_layer;
      published_json["agree_with_point_in_polygon"] = agree;
      published_json["agreement"] = static_cast<double>(agree) / static_cast<double>(with_code);
      published_json["rows_with_code_not_in_layer"] = code_not_in_layer;
      if (static_cast<double>(agree) < 0.9 * static_cast<double>(with_code))
        result.warnings.push_back("only " + percent(static_cast<double>(agree), static_cast<double>(with_code)) +
                                  " of the published area codes agree with the '" + published_layer +
                                  "' polygons: check the boundary vintage (police.uk used 2011 LSOAs until 2023)");
    }
  }
  const double counts_s = since(t);

  // [SECTION] Stage 4: outputs ------------------------------------------------------
  stage("write");
  t = Clock::now();
  std::vector<FieldSpec> cat_fields;
  for (auto c : cats) cat_fields.push_back({field_name(tax.get(c)), FieldType::integer});

  {
    AtomicOutput gpkg(o.out / "study.gpkg", input_files);
    for (auto& w : add_incident_layer(table, tax, gpkg.temp_path(), "incidents")) result.warnings.push_back(std::move(w));
    VectorWriter vw(gpkg.temp_path());
    {
      LayerSpec spec{"monthly_counts", GeometryKind::none, core::kWorkingEpsg, {{"month", FieldType::text}, {"total", FieldType::integer}}};
      spec.fields.insert(spec.fields.end(), cat_fields.begin(), cat_fields.end());
      auto& layer = vw.add_layer(spec);
      FeatureValues f;
      for (std::size_t m = 0; m < nmonths; ++m) {
        f.values.clear();
        f.values.emplace_back(core::format_month(first + static_cast<core::MonthIndex>(m)));
        uint64_t total = 0;
        for (auto c : cats) total += monthly[m * ncat + c];
        f.values.emplace_back(static_cast<int64_t>(total));
        for (auto c : cats) f.values.emplace_back(static_cast<int64_t>(monthly[m * ncat + c]));
        layer.add(f);
      }
    }
    for (auto& b : bounds) {
      LayerSpec spec{b.spec->key + "_counts", GeometryKind::multipolygon, core::kWorkingEpsg,
                     {{"code", FieldType::text}, {"name", FieldType::text}, {"area_km2", FieldType::real},
                      {"total", FieldType::integer}}};
      spec.fields.insert(spec.fields.end(), cat_fields.begin(), cat_fields.end());
      auto& layer = vw.add_layer(spec);
      FeatureValues f;
      for (uint32_t a = 0; a < b.read.areas.size(); ++a) {
        const auto& area = b.read.areas[a];
        f.geometry = area.geometry;
        f.values.clear();
        f.values.emplace_back(area.code);
        f.values.emplace_back(area.name);
        f.values.emplace_back(area.area_m2 / 1e6);
        uint64_t total = 0;
        for (auto c : cats) total += b.counts[a * ncat + c];
        f.values.emplace_back(static_cast<int64_t>(total));
        for (auto c : cats) f.values.emplace_back(static_cast<int64_t>(b.counts[a * ncat + c]));
        layer.add(f);
      }
    }
    if (!published.empty()) {
      LayerSpec spec{"published_area_counts", GeometryKind::none, core::kWorkingEpsg,
                     {{"code", FieldType::text}, {"in_layer", FieldType::integer}, {"total", FieldType::integer}}};
      spec.fields.insert(spec.fields.end(), cat_fields.begin(), cat_fields.end());
      auto& layer = vw.add_layer(spec);
      FeatureValues f;
      for (const auto& [code, row] : published) {
        f.values.clear();
        f.values.emplace_back(code);
        if (pub) f.values.emplace_back(static_cast<int64_t>(pub->read.areas.find_code(code) ? 1 : 0));
        else f.values.emplace_back(std::monostate{});
        uint64_t total = 0;
        for (auto c : cats) total += row[c];
        f.values.emplace_back(static_cast<int64_t>(total));
        for (auto c : cats) f.values.emplace_back(static_cast<int64_t>(row[c]));
        layer.add(f);
      }
    }
    vw.close();
    for (const auto& w : vw.warnings()) result.warnings.push_back(w);
    gpkg.commit();
  }

  // CSV tables.
  {
    CsvWriter w(o.out / "tables" / "monthly_counts.csv", input_files);
    w.field("month");
    w.field("total");
    for (auto c : cats) w.field(tax.get(c).name);
    w.end_row();
    for (std::size_t m = 0; m < nmonths; ++m) {
      w.field(core::format_month(first + static_cast<core::MonthIndex>(m)));
      uint64_t total = 0;
      for (auto c : cats) total += monthly[m * ncat + c];
      w.field(total);
      for (auto c : cats) w.field(monthly[m * ncat + c]);
      w.end_row();
    }
    w.commit();
  }
  for (auto& b : bounds) {
    CsvWriter w(o.out / "tables" / (b.spec->key + "_counts.csv"), input_files);
    w.field("code");
    w.field("name");
    w.field("area_km2");
    w.field("total");
    for (auto c : cats) w.field(tax.get(c).name);
    w.end_row();
    for (uint32_t a = 0; a < b.read.areas.size(); ++a) {
      const auto& area = b.read.areas[a];
      w.field(area.code);
      w.field(area.name);
      w.field(area.area_m2 / 1e6, 3);
      uint64_t total = 0;
      for (auto c : cats) total += b.counts[a * ncat + c];
      w.field(total);
      for (auto c : cats) w.field(b.counts[a * ncat + c]);
      w.end_row();
    }
    w.commit();
    // GeoJSON for web maps (RFC 7946, WGS84).
    AtomicOutput gj(o.out / "geojson" / (b.spec->key + "_counts.geojson"), input_files);
    {
      {
        VectorWriter vw(gj.temp_path());
        LayerSpec spec{b.spec->key + "_counts", GeometryKind::multipolygon, core::kWorkingEpsg,
                       {{"code", FieldType::text}, {"name", FieldType::text}, {"total", FieldType::integer}}};
        spec.fields.insert(spec.fields.end(), cat_fields.begin(), cat_fields.end());
        auto& layer = vw.add_layer(spec);
        FeatureValues f;
        for (uint32_t a = 0; a < b.read.areas.size(); ++a) {
          const auto& area = b.read.areas[a];
          f.geometry = area.geometry;
          f.values.clear();
          f.values.emplace_back(area.code);
          f.values.emplace_back(area.name);
          uint64_t total = 0;
          for (auto c : cats) total += b.counts[a * ncat + c];
          f.values.emplace_back(static_cast<int64_t>(total));
          for (auto c : cats) f.values.emplace_back(static_cast<int64_t>(b.counts[a * ncat + c]));
          layer.add(f);
        }
        vw.close();
      }
    }
    gj.commit();
  }
  if (!published.empty()) {
    CsvWriter w(o.out / "tables" / "published_area_counts.csv", input_files);
    w.field("code");
    w.field("in_layer");
    w.field("total");
    for (auto c : cats) w.field(tax.get(c).name);
    w.end_row();
    for (const auto& [code, row] : published) {
      w.field(code);
      if (pub) w.field(static_cast<uint64_t>(pub->read.areas.find_code(code) ? 1 : 0));
      else w.empty_field();
      uint64_t total = 0;
      for (auto c : cats) total += row[c];
      w.field(total);
      for (auto c : cats) w.field(row[c]);
      w.end_row();
    }
    w.commit();
  }
  rejects.commit();
  const double write_s = since(t);

  // Summary.
  json by_reason = json::object();
  for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
    if (result.counts.by_code[c])
      by_reason[core::issue_code_name(static_cast<core::IssueCode>(c))] = result.counts.by_code[c];
  json by_category = json::object();
  for (auto c : cats)
    if (by_cat[c]) by_category[tax.get(c).name] = by_cat[c];
  json& s = result.summary;
  s["command"] = "run";
  s["study"] = study.name;
  s["study_file"] = study.file.string();
  if (nmonths) s["period"] = {core::format_month(first), core::format_month(last)};
  s["inputs"] = inputs_json;
  s["counts"] = {{"read", result.counts.read},
                 {"accepted", result.counts.accepted},
                 {"rejected", result.counts.rejected},
                 {"by_reason", by_reason}};
  s["incidents"] = table.size();
  s["by_category"] = by_category;
  s["areas"] = areas_json;
  if (!published_json.is_null()) s["published_area_codes"] = published_json;
  s["outputs"] = {{"geopackage", (o.out / "study.gpkg").string()},
                  {"tables", (o.out / "tables").string()},
                  {"geojson", (o.out / "geojson").string()},
                  {"rejects", (o.out / "rejects.csv").string()},
                  {"report", (o.out / "report.md").string()},
                  {"summary", (o.out / "summary.json").string()}};
  s["warnings"] = result.warnings;

  // report.md: what an analyst reads first.
  std::ostringstream md;
  md << "# " << study.name << ": incidents and data quality\n\n";
  if (!study.description.empty()) md << study.description << "\n\n";
  if (nmonths)
    md << "Period: " << core::format_month(first) << " to " << core::format_month(last) << " (" << nmonths
       << " months). Study file: `" << study.file.string() << "`.\n\n";
  md << "## Data quality\n\n";
  md << "| input | files | rows read | accepted | rejected |\n|---|---:|---:|---:|---:|\n";
  for (const auto& in : inputs_json)
    md << "| " << in["name"].get<std::string>() << " | " << in["files"].get<std::size_t>() << " | "
       << thousands(in["read"].get<uint64_t>()) << " | " << thousands(in["accepted"].get<uint64_t>()) << " | "
       << thousands(in["rejected"].get<uint64_t>()) << " |\n";
  md << "\nEvery row is accounted for: rows read = accepted + rejected ("
     << thousands(result.counts.read) << " = " << thousands(result.counts.accepted) << " + "
     << thousands(result.counts.rejected) << "). Rejected rows, with file, line and reason, are in `rejects.csv`.\n\n";
  if (result.counts.rejected) {
    md << "| reason | rows | meaning |\n|---|---:|---|\n";
    for (std::size_t c = 0; c < core::kIssueCodeCount; ++c)
      if (result.counts.by_code[c])
        md << "| " << core::issue_code_name(static_cast<core::IssueCode>(c)) << " | "
           << thousands(result.counts.by_code[c]) << " | " << core::describe(static_cast<core::IssueCode>(c))
           << " |\n";
    md << "\n";
  }
  if (!published_json.is_null() && pub)
    md << "Published area codes (" << published_layer << "): " << thousands(agree) << " of "
       << thousands(with_code) << " rows (" << percent(static_cast<double>(agree), static_cast<double>(with_code))
       << ") carry the same code as the polygon their point falls in. police.uk snaps points to anonymous map "
          "points, which can cross boundaries, and older files use 2011 LSOA codes.\n\n";
  md << "## Incidents by category\n\n| category | incidents | share |\n|---|---:|---:|\n";
  for (auto c : cats)
    if (by_cat[c])
      md << "| " << tax.get(c).name << " | " << thousands(by_cat[c]) << " | "
         << percent(static_cast<double>(by_cat[c]), static_cast<double>(table.size())) << " |\n";
  md << "| **all** | **" << thousands(table.size()) << "** | |\n\n";
  for (auto& b : bounds) {
    if (study.study_area == b.spec->key) continue;
    md << "## " << b.spec->key << ": the ten areas with most incidents\n\n";
    std::vector<std::pair<uint64_t, uint32_t>> order;
    for (uint32_t a = 0; a < b.read.areas.size(); ++a) {
      uint64_t total = 0;
      for (auto c : cats) total += b.counts[a * ncat + c];
      order.emplace_back(total, a);
    }
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
  for (std::size_t m = 0; m < nmonths; ++m) {
    uint64_t total = 0;
    for (auto c : cats) total += monthly[m * ncat + c];
    md << "| " << core::format_month(first + static_cast<core::MonthIndex>(m)) << " | " << thousands(total) << " |\n";
  }
  if (!result.warnings.empty()) {
    md << "\n## Warnings\n\n";
    for (const auto& w : result.warnings) md << "- " << w << "\n";
  }
  md << "\n## Outputs\n\n- `study.gpkg`: layers `incidents`, `monthly_counts`";
  for (auto& b : bounds) md << ", `" << b.spec->key << "_counts`";
  if (!published.empty()) md << ", `published_area_counts`";
  md << " (EPSG:27700)\n- `tables/*.csv`, `geojson/*.geojson` (WGS84), `rejects.csv`, `summary.json`\n";
  write_text_atomic(o.out / "report.md", md.str());

  s["timings"] = {{"boundaries_s", boundaries_s}, {"ingest_s", ingest_s}, {"counts_s", counts_s},
                  {"write_s", write_s}, {"total_s", since(t_start)}};
  write_text_atomic(o.out / "summary.json", s.dump(2) + "\n");
  return result;
}

}  // namespace hotspot::layers
