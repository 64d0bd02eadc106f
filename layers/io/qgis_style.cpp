// QGIS styles (QML) into a GeoPackage's layer_styles table. See qgis_style.hpp.
// The QML uses the <prop k v> symbol-layer properties that QGIS 3.x reads (3.22
// writes them; later versions read them too).

#include "layers/io/qgis_style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/base/error.hpp"
#include "core/stats/emerging.hpp"
#include "layers/io/detail/gpkg_rtree.hpp"

namespace hotspot::layers {
namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string sql_ident(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string rgb(const char* hex, int alpha = 255) {
  unsigned r = 0, g = 0, b = 0;
  std::sscanf(hex + 1, "%02x%02x%02x", &r, &g, &b);
  return std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b) + "," + std::to_string(alpha);
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// One symbol of the layer's geometry in `colour`.
std::string symbol(const std::string& geometry, int index, const char* colour, int alpha = 255) {
  std::string s;
  const std::string name = std::to_string(index);
  if (geometry == "point") {
    s += "<symbol type=\"marker\" name=\"" + name + "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">";
    s += "<layer class=\"SimpleMarker\" enabled=\"1\" pass=\"0\" locked=\"0\">";
    s += "<prop k=\"name\" v=\"circle\"/><prop k=\"color\" v=\"" + rgb(colour, alpha) + "\"/>";
    s += "<prop k=\"outline_color\" v=\"35,35,35,255\"/><prop k=\"outline_width\" v=\"0.1\"/>";
    s += "<prop k=\"size\" v=\"1.6\"/><prop k=\"size_unit\" v=\"MM\"/></layer></symbol>";
  } else if (geometry == "line") {
    s += "<symbol type=\"line\" name=\"" + name + "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">";
    s += "<layer class=\"SimpleLine\" enabled=\"1\" pass=\"0\" locked=\"0\">";
    s += "<prop k=\"line_color\" v=\"" + rgb(colour, alpha) + "\"/><prop k=\"line_width\" v=\"0.6\"/>";
    s += "<prop k=\"line_style\" v=\"solid\"/></layer></symbol>";
  } else {
    s += "<symbol type=\"fill\" name=\"" + name + "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">";
    s += "<layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">";
    s += "<prop k=\"color\" v=\"" + rgb(colour, alpha) + "\"/><prop k=\"style\" v=\"solid\"/>";
    s += "<prop k=\"outline_color\" v=\"80,80,80,255\"/><prop k=\"outline_style\" v=\"solid\"/>";
    s += "<prop k=\"outline_width\" v=\"0.1\"/><prop k=\"outline_width_unit\" v=\"MM\"/></layer></symbol>";
  }
  return s;
}

constexpr const char* kYlOrRd[] = {"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"};

struct Bin {
  int value;
  const char* colour;
  const char* label;
};
constexpr Bin kGiBins[] = {
    {3, "#d62f27", "Hot spot, 99% confidence"},  {2, "#ed7551", "Hot spot, 95% confidence"},
    {1, "#fab984", "Hot spot, 90% confidence"},  {0, "#ffffbf", "Not significant"},
    {-1, "#c0ccbe", "Cold spot, 90% confidence"}, {-2, "#849eba", "Cold spot, 95% confidence"},
    {-3, "#4575b5", "Cold spot, 99% confidence"},
};

const char* emerging_colour(core::EmergingCategory c) {
  using E = core::EmergingCategory;
  switch (c) {
    case E::new_hot: return "#d7191c";
    case E::consecutive_hot: return "#e34a33";
    case E::intensifying_hot: return "#b30000";
    case E::persistent_hot: return "#7f0000";
    case E::diminishing_hot: return "#fc8d59";
    case E::sporadic_hot: return "#fdbb84";
    case E::oscillating_hot: return "#fdd49e";
    case E::historical_hot: return "#fee8c8";
    case E::new_cold: return "#2c7bb6";
    case E::consecutive_cold: return "#4a90c2";
    case E::intensifying_cold: return "#08306b";
    case E::persistent_cold: return "#08519c";
    case E::diminishing_cold: return "#6baed6";
    case E::sporadic_cold: return "#9ecae1";
    case E::oscillating_cold: return "#c6dbef";
    case E::historical_cold: return "#deebf7";
    case E::no_pattern: return "#e6e6e6";
  }
  return "#e6e6e6";
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

}  // namespace

std::vector<double> quantile_breaks(std::vector<double> values, int classes) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  std::sort(values.begin(), values.end());
  std::vector<double> out;
  if (values.empty() || classes < 1) return out;
  for (int q = 1; q <= classes; ++q) {
    const double pos = static_cast<double>(q) / classes * static_cast<double>(values.size());
    std::size_t idx = static_cast<std::size_t>(std::ceil(pos));
    idx = std::min(values.size(), std::max<std::size_t>(1, idx)) - 1;
    const double v = values[idx];
    if (out.empty() || v > out.back()) out.push_back(v);
  }
  return out;
}

std::string qgis_qml(const LayerStyle& st) {
  std::string q = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
  q += "<qgis version=\"3.22.16\" styleCategories=\"Symbology|Labeling\">\n";
  const std::string geom = st.geometry;
  switch (st.kind) {
    case StyleKind::single:
      q += "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><symbols>";
      q += symbol(geom, 0, geom == "polygon" ? "#ffffff" : "#3a3a3a", geom == "polygon" ? 0 : 200);
      q += "</symbols></renderer-v2>\n";
      break;
    case StyleKind::graduated: {
      q += "<renderer-v2 type=\"graduatedSymbol\" attr=\"" + xml_escape(st.field) +
           "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">";
      q += "<ranges>";
      std::string symbols;
      double lower_bound = st.breaks.empty() ? 0 : std::min(0.0, st.breaks.front());
      const std::size_t n = st.breaks.size();
      for (std::size_t i = 0; i < n; ++i) {
        const double upper = st.breaks[i];
        const std::string label = number(lower_bound) + " - " + number(upper);
        q += "<range lower=\"" + number(lower_bound) + "\" upper=\"" + number(upper) + "\" symbol=\"" +
             std::to_string(i) + "\" label=\"" + label + "\" render=\"true\"/>";
        // spread the classes over the ramp
        const std::size_t c = n <= 1 ? 4 : (i * 4) / (n - 1);
        symbols += symbol(geom, static_cast<int>(i), kYlOrRd[c]);
        lower_bound = upper;
      }
      q += "</ranges><symbols>" + symbols + "</symbols>";
      q += "<mode name=\"quantile\"/><classificationMethod id=\"Quantile\"/></renderer-v2>\n";
      break;
    }
    case StyleKind::gistar_bins: {
      q += "<renderer-v2 type=\"categorizedSymbol\" attr=\"" + xml_escape(st.field) +
           "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><categories>";
      std::string symbols;
      int i = 0;
      for (const Bin& b : kGiBins) {
        q += "<category value=\"" + std::to_string(b.value) + "\" symbol=\"" + std::to_string(i) + "\" label=\"" +
             b.label + "\" render=\"true\"/>";
        symbols += symbol(geom, i, b.colour);
        ++i;
      }
      q += "</categories><symbols>" + symbols + "</symbols></renderer-v2>\n";
      break;
    }
    case StyleKind::emerging: {
      q += "<renderer-v2 type=\"categorizedSymbol\" attr=\"" + xml_escape(st.field) +
           "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><categories>";
      std::string symbols;
      for (std::size_t i = 0; i < core::kEmergingCategories; ++i) {
        const auto c = static_cast<core::EmergingCategory>(i);
        const std::string name = core::emerging_category_name(c);
        q += "<category value=\"" + xml_escape(name) + "\" symbol=\"" + std::to_string(i) + "\" label=\"" +
             xml_escape(name) + "\" render=\"true\"/>";
        symbols += symbol(geom, static_cast<int>(i), emerging_colour(c));
      }
      q += "</categories><symbols>" + symbols + "</symbols></renderer-v2>\n";
      break;
    }
  }
  q += "<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode><layerOpacity>1</layerOpacity>\n";
  q += "</qgis>\n";
  return q;
}

std::vector<LayerStyle> auto_styles(const std::filesystem::path& gpkg) {
  detail::SqliteDb db(gpkg, "");
  std::vector<std::pair<std::string, std::string>> layers;  // name, geometry class
  {
    auto st = db.prepare(
        "SELECT c.table_name, COALESCE(g.geometry_type_name, '') FROM gpkg_contents c "
        "LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
        "WHERE c.data_type = 'features' ORDER BY c.table_name",
        "listing the layers");
    while (sqlite3_step(st.get()) == SQLITE_ROW) {
      const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
      const std::string type = lower(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 1)));
      std::string geom = "polygon";
      if (type.find("point") != std::string::npos) geom = "point";
      else if (type.find("line") != std::string::npos) geom = "line";
      layers.emplace_back(name, geom);
    }
  }
  std::vector<LayerStyle> out;
  for (const auto& [name, geom] : layers) {
    std::vector<std::pair<std::string, std::string>> fields;  // name, declared type
    {
      auto st = db.prepare("PRAGMA table_info(" + sql_ident(name) + ")", "reading the fields");
      while (sqlite3_step(st.get()) == SQLITE_ROW)
        fields.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 1)),
                            lower(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 2))));
    }
    auto find = [&](std::initializer_list<const char*> names) -> std::string {
      for (const char* n : names)
        for (const auto& f : fields)
          if (lower(f.first) == n) return f.first;
      return {};
    };
    LayerStyle s;
    s.layer = name;
    s.geometry = geom;
    if (std::string bin = find({"bin", "gi_bin"}); !bin.empty()) {
      s.kind = StyleKind::gistar_bins;
      s.field = bin;
      s.title = "Gi* hot and cold spots (" + bin + ")";
    } else if (std::string cat = find({"emerging", "ehsa_category", "pattern", "category"}); !cat.empty() &&
               db.query_int("SELECT COUNT(*) FROM " + sql_ident(name) + " WHERE " + sql_ident(cat) +
                                " LIKE '%Hot Spot' OR " + sql_ident(cat) + " LIKE '%Cold Spot' OR " + sql_ident(cat) +
                                " = 'No Pattern Detected'",
                            "looking for emerging hot spot categories") > 0) {
      s.kind = StyleKind::emerging;
      s.field = cat;
      s.title = "Emerging hot spots (" + cat + ")";
    } else if (std::string num = find({"score", "density", "count", "total", "harm_days", "rate"});
               !num.empty() && geom != "point") {
      s.kind = StyleKind::graduated;
      s.field = num;
      std::vector<double> values;
      auto st = db.prepare("SELECT " + sql_ident(num) + " FROM " + sql_ident(name) + " WHERE " + sql_ident(num) +
                               " IS NOT NULL ORDER BY 1",
                           "reading the values to classify");
      while (sqlite3_step(st.get()) == SQLITE_ROW) values.push_back(sqlite3_column_double(st.get(), 0));
      s.breaks = quantile_breaks(std::move(values));
      s.title = "Quantiles of " + num;
      if (s.breaks.empty()) s.kind = StyleKind::single;
    } else {
      s.kind = StyleKind::single;
      s.title = "Outline";
    }
    out.push_back(std::move(s));
  }
  db.close();
  return out;
}

void write_layer_styles(const std::filesystem::path& gpkg, const std::vector<LayerStyle>& styles) {
  detail::SqliteDb db(gpkg, "layer_styles");
  db.exec("BEGIN IMMEDIATE", "starting the style transaction");
  db.exec(
      "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
      "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), "
      "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
      "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
      "creating layer_styles");
  db.exec(
      "INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change) SELECT 'layer_styles', "
      "'attributes', 'layer_styles', strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE NOT EXISTS (SELECT 1 FROM "
      "gpkg_contents WHERE table_name = 'layer_styles')",
      "registering layer_styles");
  auto del = db.prepare("DELETE FROM layer_styles WHERE f_table_name = ?1", "replacing styles");
  auto ins = db.prepare(
      "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
      "styleQML, styleSLD, useAsDefault, description, owner, ui) VALUES ('', '', ?1, 'geom', ?2, ?3, '', 1, ?4, "
      "'hotspot', '')",
      "writing a style");
  for (const auto& s : styles) {
    if (s.geometry == "none") continue;
    const std::string qml = qgis_qml(s);
    sqlite3_bind_text(del.get(), 1, s.layer.c_str(), -1, SQLITE_TRANSIENT);
    db.step_done(del.get(), "replacing a style");
    sqlite3_bind_text(ins.get(), 1, s.layer.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.get(), 2, s.layer.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.get(), 3, qml.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.get(), 4, s.title.c_str(), -1, SQLITE_TRANSIENT);
    db.step_done(ins.get(), "writing a style");
  }
  del.reset();
  ins.reset();
  db.exec("COMMIT", "committing the styles");
  db.close();
}

}  // namespace hotspot::layers
