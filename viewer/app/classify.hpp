#pragma once
// Classification: how a field's values become map colours and legend rows.
// Pure: no ImGui, no GL; tests/viewer/classify_test.cpp.
//
// Numeric methods (classify_numeric):
//   equal_interval  k classes of equal width between the minimum and the maximum;
//   quantile        k classes with (about) equal numbers of features; cut values
//                   that coincide (count data full of zeros) are merged, so fewer
//                   classes may result, never an empty class;
//   natural_breaks  Jenks/Fisher optimal breaks (minimum within-class variance) on
//                   the sorted values, or on an evenly spaced sample of at most
//                   kJenksSample sorted values for larger layers (as QGIS does);
//   single          one colour for every feature (outline-only layers, basemaps).
// Fixed schemes:
//   gi_bins         Gi* confidence bins -3..3 (DESIGN.md `bin` column): 99/95/90 %
//                   cold spots, not significant, 90/95/99 % hot spots; red/blue as
//                   analysts expect, or purple/orange when colour-blind safe;
//   ehsa            Esri's Emerging Hot Spot Analysis categories ("New Hot Spot" ...
//                   "No Pattern Detected"), matched by exact name;
//   categorical     distinct text values, most frequent first, in Okabe-Ito colours;
//                   values past the eighth share "Other".
// NaN values are "no data": drawn in no_data colour and counted in no legend class.
//
// Class i of a numeric classification covers (edges[i], edges[i + 1]], the first
// class also includes edges[0]. Legend rows list classes from the top (highest or
// hottest) down, as map legends do.
//
//   Classification c = classify_numeric(values, {.method = ClassMethod::quantile,
//                                                .classes = 5, .ramp = Ramp::yl_or_rd,
//                                                .integers = true});
//   Rgba fill = c.colour_of(values[f]);

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "viewer/app/color.hpp"

namespace hotspot::viewer {

enum class ClassMethod : uint8_t {
  single,
  equal_interval,
  quantile,
  natural_breaks,
  gi_bins,
  ehsa,
  categorical,
};
// Script/UI names: "single", "equal", "quantile", "jenks", "gi", "ehsa", "categorical".
const char* class_method_name(ClassMethod m);
std::optional<ClassMethod> find_class_method(std::string_view name);
// True for methods that classify numbers (the others classify text or fixed codes).
bool is_numeric_method(ClassMethod m);

inline constexpr std::size_t kJenksSample = 2000;
inline constexpr int kMaxClasses = 9;

struct Classification {
  ClassMethod method = ClassMethod::single;
  std::vector<double> edges;             // numeric methods: class_count() + 1 edges
  std::vector<std::string> categories;   // ehsa/categorical: value of each class
  std::vector<Rgba> colours;             // one per class
  std::vector<std::string> labels;       // one per class
  Rgba no_data{0, 0, 0, 0};              // NaN / NULL / unknown category
  Rgba other{170, 170, 170, 255};        // categorical values past the palette

  [[nodiscard]] std::size_t class_count() const { return colours.size(); }
  // Class index of a number (numeric methods and gi_bins), -1 for no data.
  [[nodiscard]] int class_of(double v) const;
  // Class index of a text value (ehsa, categorical), -1 when not listed.
  [[nodiscard]] int class_of(std::string_view v) const;
  [[nodiscard]] Rgba colour_of(double v) const {
    const int c = class_of(v);
    return c < 0 ? no_data : colours[static_cast<std::size_t>(c)];
  }
  [[nodiscard]] Rgba colour_of(std::string_view v) const;
};

struct NumericClassOptions {
  ClassMethod method = ClassMethod::quantile;
  int classes = 5;           // 1..kMaxClasses
  Ramp ramp = Ramp::yl_or_rd;
  bool integers = false;     // label classes as integer ranges ("4 – 7")
  bool reverse = false;      // high values get the low end of the ramp
};

// Requires: options.method is single/equal_interval/quantile/natural_breaks;
// 1 <= classes <= kMaxClasses. Values may contain NaN (ignored). With no finite
// value the result has one class and no edges spanned (everything is no data).
Classification classify_numeric(std::span<const double> values, const NumericClassOptions& options);

// Gi* confidence bins. Codes -3..3; anything else (or NaN) is no data.
Classification gi_bin_classes(bool colour_blind_safe);
// Esri's 17 emerging hot spot categories.
Classification ehsa_classes();
// The names Esri uses, hot spots first, then cold spots, then "No Pattern Detected".
std::span<const std::string_view> ehsa_category_names();
// Distinct values, most frequent first (ties by first appearance), coloured with the
// categorical palette. `values` are the codes of a dictionary-encoded column
// (FieldColumn::kNull = no data).
Classification classify_categories(std::span<const std::string> dictionary,
                                   std::span<const uint32_t> codes);

// The break computations on their own (sorted input, NaN-free).
std::vector<double> equal_interval_edges(double lo, double hi, int classes);
std::vector<double> quantile_edges(std::span<const double> sorted, int classes);
std::vector<double> jenks_edges(std::span<const double> sorted, int classes);

// "1,234", "12.5", "0.034": numbers for legends and tables.
std::string format_number(double v, bool integer);

// The legend: one row per class, top (high/hot) first, with how many of `values`
// fall in it. Numeric values for numeric/gi methods, codes for text methods.
struct LegendRow {
  Rgba colour;
  std::string label;
  std::size_t count = 0;
  int class_index = 0;
};
std::vector<LegendRow> legend_rows(const Classification& c, std::span<const double> values);
std::vector<LegendRow> legend_rows(const Classification& c, std::span<const std::string> dictionary,
                                   std::span<const uint32_t> codes);

}  // namespace hotspot::viewer
