#include "layers/study/study.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/base/error.hpp"
#include "core/evaluate/intervention.hpp"
#include "core/stats/kde.hpp"

namespace hotspot::layers {

namespace {

namespace fs = std::filesystem;

// A name that becomes part of an output file or layer name.
bool is_safe_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string where(const std::string& file, const toml::source_region& r) {
  return file + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

// A TOML table under validation: typed getters that remember which keys were read,
// then finish() rejects every key nobody asked for.
class Section {
 public:
  Section(const toml::table& t, std::string label, const std::string& file)
      : m_t(t), m_label(std::move(label)), m_file(file) {}

  [[noreturn]] void fail(const toml::node& n, const std::string& key, const std::string& what) const {
    throw UsageError(where(m_file, n.source()) + ": error: " + m_label + " " + key + " " + what);
  }
  [[noreturn]] void fail_here(const std::string& what) const {
    throw UsageError(where(m_file, m_t.source()) + ": error: " + m_label + " " + what);
  }

  const toml::node* get(const std::string& key, bool required) {
    m_known.push_back(key);
    const toml::node* n = m_t.get(key);
    if (!n && required) {
      // A typo ("pathz") is the likely cause: name it and its line.
      for (const auto& [k, v] : m_t)
        if (near_miss(k.str(), key))
          throw UsageError(where(m_file, k.source()) + ": error: unknown key '" + std::string(k.str()) + "' in " +
                           m_label + " (did you mean '" + key + "'?)");
      fail_here("needs the key '" + key + "'");
    }
    return n;
  }

  std::optional<std::string> str(const std::string& key, bool required = false) {
    const toml::node* n = get(key, required);
    if (!n) return std::nullopt;
    if (!n->is_string()) fail(*n, key, std::string("must be a string, got ") + type_name(*n));
    return std::string(n->as_string()->get());
  }
  std::optional<double> num(const std::string& key, bool required = false) {
    const toml::node* n = get(key, required);
    if (!n) return std::nullopt;
    if (n->is_integer()) return static_cast<double>(n->as_integer()->get());
    if (n->is_floating_point()) {
      // TOML has nan and inf; no setting of a study means either.
      const double v = n->as_floating_point()->get();
      if (!std::isfinite(v)) fail(*n, key, "must be a finite number, got " + std::string(std::isnan(v) ? "nan" : "inf"));
      return v;
    }
    fail(*n, key, std::string("must be a number, got ") + type_name(*n));
  }
  std::optional<int64_t> integer(const std::string& key, bool required = false) {
    const toml::node* n = get(key, required);
    if (!n) return std::nullopt;
    if (!n->is_integer()) fail(*n, key, std::string("must be an integer, got ") + type_name(*n));
    return n->as_integer()->get();
  }
  std::optional<std::vector<std::string>> strings(const std::string& key, bool required = false) {
    const toml::node* n = get(key, required);
    if (!n) return std::nullopt;
    std::vector<std::string> out;
    if (n->is_string()) {
      out.emplace_back(n->as_string()->get());
      return out;
    }
    if (!n->is_array()) fail(*n, key, std::string("must be a string or an array of strings, got ") + type_name(*n));
    for (const auto& e : *n->as_array()) {
      if (!e.is_string()) fail(e, key, std::string("must hold strings, found ") + type_name(e));
      out.emplace_back(e.as_string()->get());
    }
    return out;
  }
  std::optional<core::MonthIndex> month(const std::string& key, bool required = false) {
    const toml::node* n = get(key, required);
    if (!n) return std::nullopt;
    if (!n->is_string()) fail(*n, key, std::string("must be a month string like \"2023-05\", got ") + type_name(*n));
    auto m = core::parse_month(n->as_string()->get());
    if (!m) fail(*n, key, "'" + std::string(n->as_string()->get()) + "': " + m.error().message);
    return *m;
  }
  const toml::table* table(const std::string& key, bool required = false) {
    const toml::node* n = get(key, required);
    if (!n) return nullptr;
    if (!n->is_table()) fail(*n, key, std::string("must be a table, got ") + type_name(*n));
    return n->as_table();
  }
  const toml::array* array(const std::string& key) {
    const toml::node* n = get(key, false);
    if (!n) return nullptr;
    if (!n->is_array()) fail(*n, key, std::string("must be an array, got ") + type_name(*n));
    return n->as_array();
  }

  void finish() const {
    for (const auto& [k, v] : m_t) {
      const std::string key(k.str());
      if (std::find(m_known.begin(), m_known.end(), key) != m_known.end()) continue;
      std::string known;
      for (const auto& kk : m_known) known += (known.empty() ? "" : ", ") + kk;
      throw UsageError(where(m_file, k.source()) + ": error: unknown key '" + key + "' in " + m_label +
                       "; known keys: " + known);
    }
  }

  const toml::table& raw() const { return m_t; }

 private:
  // Same length and one character different, or one character more or less.
  static bool near_miss(std::string_view a, std::string_view b) {
    if (a == b) return false;
    if (a.size() == b.size()) {
      std::size_t diff = 0;
      for (std::size_t i = 0; i < a.size(); ++i) diff += a[i] != b[i];
      return diff == 1;
    }
    if (a.size() + 1 == b.size()) std::swap(a, b);
    if (b.size() + 1 != a.size()) return false;
    std::size_t i = 0;
    while (i < b.size() && a[i] == b[i]) ++i;
    return a.substr(i + 1) == b.substr(i);
  }

  const toml::table& m_t;
  std::string m_label;
  const std::string& m_file;
  std::vector<std::string> m_known;
};

fs::path resolve(const fs::path& dir, const std::string& p) {
  const fs::path path(p);
  return path.is_absolute() ? path : dir / path;
}

uint32_t line_of(const toml::node& n) { return static_cast<uint32_t>(n.source().begin.line); }

// [geocode], [grid], [stats], [spacetime], [rank], [export] (issue 7).
void parse_issue7_sections(Section& top, Study& s, const std::string& fname) {
  auto boolean = [&](Section& sec, const char* key, bool fallback) {
    const toml::node* n = sec.get(key, false);
    if (!n) return fallback;
    if (!n->is_boolean()) sec.fail(*n, key, std::string("must be true or false, got ") + type_name(*n));
    return n->as_boolean()->get();
  };
  auto metres = [&](Section& sec, const char* key, double fallback) {
    const auto v = sec.num(key);
    if (v && !(*v >= 0 && *v <= 100000)) sec.fail(*sec.raw().get(key), key, "must be between 0 and 100000 metres (0 = automatic)");
    return v.value_or(fallback);
  };
  auto check_categories = [&](Section& sec, const char* key, const std::vector<std::string>& names) {
    const core::Taxonomy tax = s.taxonomy();
    for (const auto& name : names)
      if (!tax.find(name)) sec.fail(*sec.raw().get(key), key, "'" + name + "' is not a known crime type");
  };
  auto boundary_key = [&](Section& sec, const char* key, const std::string& value) {
    if (!s.boundary(value))
      sec.fail(*sec.raw().get(key), key, "'" + value + "' is not a [boundaries.*] table");
  };

  if (const toml::table* t = top.table("geocode")) {
    Section g(*t, "[geocode]", fname);
    GeocodeSpec spec;
    spec.line = line_of(*t);
    if (auto p = g.str("gazetteer")) spec.gazetteer = resolve(s.dir, *p);
    spec.columns = g.str("columns").value_or("");
    if (auto p = g.str("postcodes")) spec.postcodes = resolve(s.dir, *p);
    if (auto p = g.str("streets")) spec.streets = resolve(s.dir, *p);
    if (auto v = g.integer("min_score")) {
      if (*v < 0 || *v > 100) g.fail(*g.raw().get("min_score"), "min_score", "must be between 0 and 100");
      spec.min_score = static_cast<int>(*v);
    }
    g.finish();
    if (spec.gazetteer.empty() && spec.postcodes.empty() && spec.streets.empty())
      g.fail_here("needs at least one of gazetteer, postcodes, streets");
    s.geocode = std::move(spec);
  }

  if (const toml::table* t = top.table("grid")) {
    Section g(*t, "[grid]", fname);
    GridStudySpec spec;
    spec.line = line_of(*t);
    if (auto shape = g.str("shape")) {
      if (*shape != "square" && *shape != "hex")
        g.fail(*g.raw().get("shape"), "shape", "'" + *shape + "' is not \"square\" or \"hex\"");
      spec.hex = *shape == "hex";
    }
    spec.cell_m = metres(g, "cell_m", 0);
    if (spec.cell_m > 0 && spec.cell_m < 5) g.fail(*g.raw().get("cell_m"), "cell_m", "must be at least 5 metres (or 0 = automatic)");
    spec.boundary = g.str("boundary").value_or(s.study_area);
    if (!spec.boundary.empty() && spec.boundary != "none") boundary_key(g, "boundary", spec.boundary);
    if (spec.boundary == "none") spec.boundary.clear();
    if (auto cats = g.strings("categories")) {
      check_categories(g, "categories", *cats);
      spec.categories = std::move(*cats);
    }
    g.finish();
    s.grid = std::move(spec);
  }

  if (const toml::table* t = top.table("stats")) {
    Section st(*t, "[stats]", fname);
    StatsSpec spec;
    spec.line = line_of(*t);
    spec.gistar = boolean(st, "gistar", true);
    spec.band_m = metres(st, "band_m", 0);
    spec.kde = boolean(st, "kde", true);
    spec.kde_radius_m = metres(st, "kde_radius_m", 0);
    spec.kde_cell_m = metres(st, "kde_cell_m", 0);
    spec.kernel = st.str("kernel").value_or(spec.kernel);
    if (!core::parse_kernel(spec.kernel))
      st.fail(*st.raw().get("kernel"), "kernel",
              "'" + spec.kernel + "' is not quartic, triangular, uniform, epanechnikov, triweight or gaussian");
    st.finish();
    if (!s.grid) st.fail_here("needs a [grid] section (the cells Gi* runs on)");
    s.stats = std::move(spec);
  }

  if (const toml::table* t = top.table("spacetime")) {
    Section st(*t, "[spacetime]", fname);
    SpacetimeSpec spec;
    spec.line = line_of(*t);
    spec.period = st.str("period").value_or(spec.period);
    if (spec.period != "month" && spec.period != "quarter")
      st.fail(*st.raw().get("period"), "period", "'" + spec.period + "' is not \"month\" or \"quarter\"");
    spec.band_m = metres(st, "band_m", 0);
    if (auto w = st.integer("time_window")) {
      if (*w < 1 || *w > 24) st.fail(*st.raw().get("time_window"), "time_window", "must be between 1 and 24 periods");
      spec.time_window = static_cast<unsigned>(*w);
    }
    st.finish();
    if (!s.grid) st.fail_here("needs a [grid] section (the cells of the space-time cube)");
    s.spacetime = std::move(spec);
  }

  if (const toml::table* t = top.table("rank")) {
    Section r(*t, "[rank]", fname);
    RankStudySpec spec;
    spec.line = line_of(*t);
    if (auto units = r.strings("units")) {
      for (const auto& u : *units)
        if (u != "cells" && !s.boundary(u))
          r.fail(*r.raw().get("units"), "units", "'" + u + "' is not \"cells\" or a [boundaries.*] table");
      spec.units = std::move(*units);
    }
    if (auto top_n = r.integer("top")) {
      if (*top_n < 1 || *top_n > 1000) r.fail(*r.raw().get("top"), "top", "must be between 1 and 1000");
      spec.top = static_cast<int>(*top_n);
    }
    spec.denominator = r.str("denominator").value_or("");
    if (const toml::table* w = r.table("harm"))
      for (const auto& [k, v] : *w) {
        const std::string key(k.str());
        if (!v.is_number() || !(v.value<double>().value() >= 0))
          throw UsageError(where(fname, v.source()) + ": error: [rank.harm] '" + key +
                           "' must be a number >= 0 (a harm weight)");
        if (!s.taxonomy().find(key))
          throw UsageError(where(fname, k.source()) + ": error: [rank.harm] '" + key + "' is not a known crime type");
        spec.harm.emplace_back(key, v.value<double>().value());
      }
    r.finish();
    if (std::find(spec.units.begin(), spec.units.end(), "cells") != spec.units.end() && !s.grid)
      r.fail_here("ranks \"cells\" but the study has no [grid] section");
    s.rank = std::move(spec);
  }

  if (const toml::table* t = top.table("export")) {
    Section e(*t, "[export]", fname);
    ExportSpec spec;
    spec.line = line_of(*t);
    spec.gpkg = boolean(e, "gpkg", true);
    spec.incidents = boolean(e, "incidents", true);
    if (auto layers = e.strings("geojson")) spec.geojson = std::move(*layers);
    spec.public_release = boolean(e, "public", false);
    if (auto k = e.integer("min_count")) {
      if (*k < 0 || *k > 1000) e.fail(*e.raw().get("min_count"), "min_count", "must be between 0 and 1000 incidents");
      spec.min_count = static_cast<int>(*k);
    }
    if (auto pm = e.num("point_precision_m")) {
      if (!(*pm >= 0 && *pm <= 100000))
        e.fail(*e.raw().get("point_precision_m"), "point_precision_m", "must be between 0 and 100000 metres");
      spec.point_precision_m = *pm;
    }
    if (auto p = e.integer("precision")) {
      if (*p < 0 || *p > 15) e.fail(*e.raw().get("precision"), "precision", "must be between 0 and 15 decimals");
      spec.precision = static_cast<int>(*p);
    }
    if (auto cats = e.strings("categories")) {
      check_categories(e, "categories", *cats);
      spec.categories = std::move(*cats);
    }
    spec.postgis = e.str("postgis").value_or("");
    spec.postgis_schema = e.str("postgis_schema").value_or(spec.postgis_schema);
    if (!spec.postgis.empty() && spec.postgis.rfind("PG:", 0) != 0)
      e.fail(*e.raw().get("postgis"), "postgis", "must be a GDAL connection string starting \"PG:\"");
    spec.maps = boolean(e, "maps", true);
    e.finish();
    s.exports = std::move(spec);
  }
}

}  // namespace

core::Taxonomy Study::taxonomy() const {
  core::Taxonomy t = core::Taxonomy::police_uk();
  for (const auto& c : local_categories) t.add_local(c.name, c.group);
  for (const auto& [alias, target] : aliases) {
    auto id = t.find(target);
    if (!id)
      throw UsageError(file.string() + ": error: [categories.aliases] '" + alias + "' maps to unknown category '" +
                       target + "'");
    t.add_alias(alias, *id);
  }
  return t;
}

const BoundarySpec* Study::boundary(std::string_view key) const {
  for (const auto& b : boundaries)
    if (b.key == key) return &b;
  return nullptr;
}

Study load_study(const fs::path& file) {
  Study s;
  s.file = file;
  s.dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const std::string fname = file.string();
  std::error_code ec;
  if (!fs::exists(file, ec)) throw IoError(fname + ": no such study file");
  toml::table root;
  try {
    root = toml::parse_file(fname);
  } catch (const toml::parse_error& e) {
    throw UsageError(where(fname, e.source()) + ": error: " + std::string(e.description()));
  }
  Section top(root, "the study file", fname);

  // [study]
  if (const toml::table* st = top.table("study", true)) {
    Section sec(*st, "[study]", fname);
    s.name = sec.str("name", true).value();
    s.description = sec.str("description").value_or("");
    if (const toml::table* per = sec.table("period")) {
      Section p(*per, "[study] period", fname);
      s.first_month = p.month("from", true);
      s.last_month = p.month("to", true);
      p.finish();
      if (*s.last_month < *s.first_month) sec.fail(*per, "period", "ends before it starts");
    }
    s.study_area = sec.str("boundary").value_or("");
    if (auto out = sec.str("output")) s.output_dir = resolve(s.dir, *out);
    sec.finish();
  }

  // [boundaries.<key>]
  if (const toml::table* bs = top.table("boundaries")) {
    for (const auto& [k, v] : *bs) {
      const std::string key(k.str());
      if (!v.is_table())
        throw UsageError(where(fname, v.source()) + ": error: [boundaries] " + key + " must be a table");
      // The key names output files and layers (tables/<key>_counts.csv): nothing that
      // could leave the output folder or break a layer name.
      if (!is_safe_name(key))
        throw UsageError(where(fname, k.source()) + ": error: [boundaries] key '" + key +
                         "' is not a safe name (letters, digits, '_' and '-', at most 64, not starting "
                         "with '-'): it names output files and layers");
      Section b(*v.as_table(), "[boundaries." + key + "]", fname);
      BoundarySpec spec;
      spec.key = key;
      spec.path = resolve(s.dir, b.str("path", true).value());
      spec.layer = b.str("layer").value_or("");
      spec.code_field = b.str("code", true).value();
      spec.name_field = b.str("name").value_or("");
      spec.line = line_of(v);
      b.finish();
      s.boundaries.push_back(std::move(spec));
    }
  }
  if (!s.study_area.empty() && !s.boundary(s.study_area))
    throw UsageError(fname + ": error: [study] boundary = '" + s.study_area + "' is not a [boundaries.*] table");

  // [[inputs]]
  if (const toml::array* ins = top.array("inputs")) {
    for (const auto& node : *ins) {
      if (!node.is_table())
        throw UsageError(where(fname, node.source()) + ": error: [[inputs]] entries must be tables");
      Section in(*node.as_table(), "[[inputs]]", fname);
      InputSpec spec;
      spec.line = line_of(node);
      spec.name = in.str("name").value_or("input " + std::to_string(s.inputs.size() + 1));
      if (auto f = in.str("format")) {
        auto fmt = parse_input_format(*f);
        if (!fmt) in.fail(*in.raw().get("format"), "format", "'" + *f + "' is not one of police-uk, csv, ogr, auto");
        spec.format = *fmt;
      }
      const std::vector<std::string> patterns = in.strings("paths", true).value();
      for (const auto& p : patterns) spec.paths.push_back(resolve(s.dir, p).string());
      spec.location.lon = in.str("lon").value_or("");
      spec.location.lat = in.str("lat").value_or("");
      spec.location.x = in.str("x").value_or("");
      spec.location.y = in.str("y").value_or("");
      spec.location.grid_ref = in.str("grid_ref").value_or("");
      if (auto crs = in.str("crs")) {
        const std::string c = *crs;
        if (c.rfind("EPSG:", 0) != 0) in.fail(*in.raw().get("crs"), "crs", "must be written EPSG:<code>");
        try {
          spec.location.epsg = std::stoi(c.substr(5));
        } catch (...) {
          in.fail(*in.raw().get("crs"), "crs", "'" + c + "' is not EPSG:<code>");
        }
      }
      if (auto addr = in.strings("address")) spec.location.address = std::move(*addr);
      spec.location.postcode = in.str("postcode").value_or("");
      spec.location.uprn = in.str("uprn").value_or("");
      spec.date_column = in.str("date").value_or("");
      spec.date_format = in.str("date_format").value_or("auto");
      spec.category_column = in.str("category").value_or("");
      spec.category_value = in.str("category_value").value_or("");
      spec.area_column = in.str("area").value_or("");
      spec.area_layer = in.str("area_layer").value_or("");
      spec.ogr_layer = in.str("layer").value_or("");
      in.finish();
      if (!spec.area_layer.empty() && !s.boundary(spec.area_layer))
        throw UsageError(fname + ":" + std::to_string(spec.line) + ": error: [[inputs]] area_layer = '" +
                         spec.area_layer + "' is not a [boundaries.*] table");
      s.inputs.push_back(std::move(spec));
    }
  }

  // [categories]
  if (const toml::table* cat = top.table("categories")) {
    Section c(*cat, "[categories]", fname);
    if (const toml::array* locals = c.array("local")) {
      for (const auto& node : *locals) {
        if (node.is_string()) {
          s.local_categories.push_back({std::string(node.as_string()->get()), "local"});
          continue;
        }
        if (!node.is_table())
          throw UsageError(where(fname, node.source()) + ": error: [categories] local entries must be strings or tables");
        Section l(*node.as_table(), "[categories] local entry", fname);
        LocalCategory lc;
        lc.name = l.str("name", true).value();
        lc.group = l.str("group").value_or("local");
        l.finish();
        s.local_categories.push_back(std::move(lc));
      }
    }
    if (const toml::table* al = c.table("aliases")) {
      for (const auto& [k, v] : *al) {
        if (!v.is_string())
          throw UsageError(where(fname, v.source()) + ": error: [categories.aliases] '" + std::string(k.str()) +
                           "' must map to a category name (a string)");
        s.aliases.emplace_back(std::string(k.str()), std::string(v.as_string()->get()));
      }
    }
    c.finish();
  }

  // [synth]
  if (const toml::table* sy = top.table("synth")) {
    Section y(*sy, "[synth]", fname);
    SynthSpec spec;
    spec.line = line_of(*sy);
    spec.seed = static_cast<uint64_t>(y.integer("seed", true).value());
    spec.first = y.month("from", true).value();
    spec.last = y.month("to", true).value();
    spec.incidents_per_month = y.num("incidents_per_month", true).value();
    spec.boundary = y.str("boundary", true).value();
    spec.area_codes = y.str("area_codes").value_or("");
    if (auto pop = y.str("population")) spec.population = resolve(s.dir, *pop);
    spec.force = y.str("force").value_or(spec.force);
    spec.out = resolve(s.dir, y.str("out", true).value());
    if (auto k = y.integer("hotspots_per_category")) {
      if (*k < 0 || *k > 1000)
        y.fail(*y.raw().get("hotspots_per_category"), "hotspots_per_category", "must be between 0 and 1000");
      spec.hotspots_per_category = static_cast<int>(*k);
    }
    spec.hotspot_share = y.num("hotspot_share").value_or(0.35);
    spec.seasonality = y.num("seasonality").value_or(0.15);
    spec.snap_m = y.num("snap_m").value_or(0.0);
    if (const toml::table* mix = y.table("mix"))
      for (const auto& [k, v] : *mix) {
        if (!v.is_number())
          throw UsageError(where(fname, v.source()) + ": error: [synth.mix] '" + std::string(k.str()) +
                           "' must be a number (a share)");
        spec.mix.emplace_back(std::string(k.str()), v.value<double>().value());
      }
    if (const toml::array* hs = y.array("hotspots"))
      for (const auto& node : *hs) {
        if (!node.is_table()) throw UsageError(where(fname, node.source()) + ": error: [[synth.hotspots]] must be tables");
        Section h(*node.as_table(), "[[synth.hotspots]]", fname);
        SynthHotspotSpec hs_spec;
        hs_spec.category = h.str("category", true).value();
        hs_spec.x_m = h.num("x", true).value();
        hs_spec.y_m = h.num("y", true).value();
        hs_spec.sigma_m = h.num("sigma_m").value_or(150);
        hs_spec.share = h.num("share").value_or(0.1);
        hs_spec.from = h.month("from");
        hs_spec.to = h.month("to");
        h.finish();
        spec.hotspots.push_back(std::move(hs_spec));
      }
    if (const toml::array* es = y.array("effects"))
      for (const auto& node : *es) {
        if (!node.is_table()) throw UsageError(where(fname, node.source()) + ": error: [[synth.effects]] must be tables");
        Section e(*node.as_table(), "[[synth.effects]]", fname);
        SynthEffectSpec ef;
        ef.name = e.str("name", true).value();
        if (auto cats = e.strings("categories")) ef.categories = std::move(*cats);
        ef.x_m = e.num("x", true).value();
        ef.y_m = e.num("y", true).value();
        ef.radius_m = e.num("radius_m").value_or(100);
        ef.from = e.month("from", true).value();
        ef.drop_pct = e.num("drop_pct").value_or(0);
        ef.ring_m = e.num("ring_m").value_or(0);
        ef.displace_pct = e.num("displace_pct").value_or(0);
        e.finish();
        spec.effects.push_back(std::move(ef));
      }
    y.finish();
    if (!s.boundary(spec.boundary))
      throw UsageError(fname + ":" + std::to_string(spec.line) + ": error: [synth] boundary = '" + spec.boundary +
                       "' is not a [boundaries.*] table");
    if (!spec.area_codes.empty() && !s.boundary(spec.area_codes))
      throw UsageError(fname + ":" + std::to_string(spec.line) + ": error: [synth] area_codes = '" + spec.area_codes +
                       "' is not a [boundaries.*] table");
    s.synth = std::move(spec);
  }
  // [evaluate]
  if (const toml::table* ev = top.table("evaluate")) {
    Section e(*ev, "[evaluate]", fname);
    EvaluateSpec spec;
    spec.line = line_of(*ev);
    spec.interventions = resolve(s.dir, e.str("interventions", true).value());
    spec.layer = e.str("layer").value_or("");
    spec.crs = e.str("crs").value_or(spec.crs);
    auto months = [&](const char* key, int fallback, int min) {
      const auto v = e.integer(key);
      if (v && (*v < min || *v > 240)) {
        std::string why = "must be between ";  // (not "literal" + to_string: GCC 12 -Wrestrict)
        why += std::to_string(min);
        why += " and 240 months";
        e.fail(*e.raw().get(key), key, why);
      }
      return v ? static_cast<int>(*v) : fallback;
    };
    spec.before_months = months("before_months", spec.before_months, 1);
    spec.after_months = months("after_months", spec.after_months, 1);
    spec.implementation_months = months("implementation_months", spec.implementation_months, 0);
    auto metres = [&](const char* key, double fallback, bool zero_ok) {
      const auto v = e.num(key);
      if (v && !(zero_ok ? *v >= 0 : *v > 0))
        e.fail(*e.raw().get(key), key, zero_ok ? "must be >= 0 metres" : "must be > 0 metres");
      return v.value_or(fallback);
    };
    spec.buffer_m = metres("buffer_m", spec.buffer_m, true);
    spec.matched_cell_m = metres("matched_cell_m", spec.matched_cell_m, false);
    if (auto k = e.integer("matched_cells")) {
      if (*k < 1 || *k > 10000) e.fail(*e.raw().get("matched_cells"), "matched_cells", "must be between 1 and 10000");
      spec.matched_cells = static_cast<int>(*k);
    }
    auto type_key = [&](const toml::node& n, const std::string& table, const std::string& key) {
      if (!core::parse_intervention_type(key))
        throw UsageError(where(fname, n.source()) + ": error: [evaluate." + table + "] '" + key +
                         "' is not an intervention type (cctv, street_lighting, alleygate, alleyway_closure, "
                         "safe_space, target_hardening, other)");
    };
    if (const toml::table* radii = e.table("radius_m"))
      for (const auto& [k, v] : *radii) {
        const std::string key(k.str());
        type_key(v, "radius_m", key);
        if (!v.is_number() || !(v.value<double>().value() > 0))
          throw UsageError(where(fname, v.source()) + ": error: [evaluate.radius_m] " + key + " must be a number > 0 (metres)");
        spec.radius_m.emplace_back(key, v.value<double>().value());
      }
    if (const toml::table* cats = e.table("categories"))
      for (const auto& [k, v] : *cats) {
        const std::string key(k.str());
        type_key(v, "categories", key);
        std::vector<std::string> names;
        if (v.is_string()) names.emplace_back(v.as_string()->get());
        else if (v.is_array())
          for (const auto& item : *v.as_array()) {
            if (!item.is_string())
              throw UsageError(where(fname, item.source()) + ": error: [evaluate.categories] " + key + " must hold crime types (strings)");
            names.emplace_back(item.as_string()->get());
          }
        else
          throw UsageError(where(fname, v.source()) + ": error: [evaluate.categories] " + key +
                           " must be a crime type or an array of them");
        const core::Taxonomy tax = s.taxonomy();
        for (const auto& name : names)
          if (!tax.find(name))
            throw UsageError(where(fname, v.source()) + ": error: [evaluate.categories] " + key + ": '" + name +
                             "' is not a known crime type");
        spec.categories.emplace_back(key, std::move(names));
      }
    spec.control = e.str("control").value_or(spec.control);
    if (spec.control != "rest" && spec.control != "matched" && !s.boundary(spec.control))
      e.fail(*e.raw().get("control"), "control",
             "'" + spec.control + "' is not \"rest\", \"matched\" or a [boundaries.*] table");
    if (const toml::node* od = e.get("overdispersion", false)) {
      if (od->is_string()) {
        spec.overdispersion = std::string(od->as_string()->get());
        if (spec.overdispersion != "monthly" && spec.overdispersion != "farrington" && spec.overdispersion != "none")
          e.fail(*od, "overdispersion", "'" + spec.overdispersion + "' is not \"monthly\", \"farrington\", \"none\" or a factor >= 1");
      } else if (od->is_number() && od->value<double>().value() >= 1.0) {
        spec.overdispersion = "fixed";
        spec.overdispersion_factor = od->value<double>().value();
      } else {
        e.fail(*od, "overdispersion", "must be \"monthly\", \"farrington\", \"none\" or a factor >= 1");
      }
    }
    if (auto c = e.num("confidence")) {
      if (!(*c >= 0.5 && *c < 1.0)) e.fail(*e.raw().get("confidence"), "confidence", "must be at least 0.5 and below 1 (e.g. 0.95)");
      spec.confidence = *c;
    }
    if (const toml::node* w = e.get("wdd_area_weights", false)) {
      if (!w->is_boolean()) e.fail(*w, "wdd_area_weights", std::string("must be true or false, got ") + type_name(*w));
      spec.wdd_area_weights = w->as_boolean()->get();
    }
    e.finish();
    s.evaluate = std::move(spec);
  }
  parse_issue7_sections(top, s, fname);
  top.finish();
  for (const auto& in : s.inputs)
    if (!in.location.address.empty() && !s.geocode)
      throw UsageError(fname + ":" + std::to_string(in.line) + ": error: [[inputs]] '" + in.name +
                       "' is located by address but the study has no [geocode] section (gazetteer, postcodes)");
  // Validate categories now, so errors point at the study file before any data is read.
  (void)s.taxonomy();
  return s;
}

IngestOptions ingest_options(const Study& study, const InputSpec& in) {
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
  return io;
}

}  // namespace hotspot::layers
