#pragma once
// QGIS styles for the layers of a GeoPackage, stored in its `layer_styles` table
// (the table QGIS reads and writes: "Save as default" in the layer's style menu),
// so opening study.gpkg in QGIS shows styled maps at once.
//
//   std::vector<LayerStyle> styles = auto_styles("out/study.gpkg");    // by field names
//   write_layer_styles("out/study.gpkg", styles);                     // @throws IoError
//
// Styles (QML, QGIS 3 renderer-v2):
// - graduated: counts, totals, KDE densities, rates, harm and scores: 5 quantile
//   classes (breaks from the data; fewer when values repeat) on ColorBrewer YlOrRd;
// - gistar_bins: the Gi* confidence bin -3..3 in ArcGIS Pro's hot spot colours:
//   hot 99/95/90 % #d62f27 #ed7551 #fab984, not significant #ffffbf,
//   cold 90/95/99 % #c0ccbe #849eba #4575b5 (red hot, blue cold);
// - emerging: Esri's Emerging Hot Spot categories by their names (reds for hot
//   patterns, blues for cold, light grey for "No Pattern Detected");
// - single: one outline colour (boundaries, incidents as small points).
// auto_styles() picks per layer: a field "bin"/"gi_bin" -> gistar_bins; "category"
// holding EHSA names or "emerging" -> emerging; else "score", "density", "count",
// "total", "harm_days", "rate" (first present) -> graduated; else single.
//
// Limits: QGIS's own defaults apply to anything a QML leaves out; the table is
// created if missing, and rows for the same layer and style name are replaced.

#include <filesystem>
#include <string>
#include <vector>

namespace hotspot::layers {

enum class StyleKind : uint8_t { single, graduated, gistar_bins, emerging };

struct LayerStyle {
  std::string layer;
  StyleKind kind = StyleKind::single;
  std::string field;                // the classified field (not for single)
  std::vector<double> breaks;       // graduated: class upper bounds, ascending
  std::string geometry = "polygon"; // "polygon", "point", "line" or "none"
  std::string title;                // style description
};

// Quantile class upper bounds of `values` (any order; NaN ignored): `classes`
// classes, distinct and ascending (fewer when values repeat). Empty for no values.
std::vector<double> quantile_breaks(std::vector<double> values, int classes = 5);

// The QML document of a style.
std::string qgis_qml(const LayerStyle& style);

// One style per vector layer of a GeoPackage, chosen as the header comment says.
// @throws IoError when the file cannot be read.
std::vector<LayerStyle> auto_styles(const std::filesystem::path& gpkg);

// Writes the styles into `gpkg`'s layer_styles table (default style of each layer).
// @throws IoError naming the file.
void write_layer_styles(const std::filesystem::path& gpkg, const std::vector<LayerStyle>& styles);

}  // namespace hotspot::layers
