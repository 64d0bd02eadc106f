#include "viewer/app/classify.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "core/base/assert.hpp"

namespace hotspot::viewer {

namespace {

constexpr uint32_t kNullCode = std::numeric_limits<uint32_t>::max();

constexpr std::string_view kEhsaNames[] = {
    "New Hot Spot",         "Consecutive Hot Spot", "Intensifying Hot Spot", "Persistent Hot Spot",
    "Diminishing Hot Spot", "Sporadic Hot Spot",    "Oscillating Hot Spot",  "Historical Hot Spot",
    "New Cold Spot",        "Consecutive Cold Spot", "Intensifying Cold Spot", "Persistent Cold Spot",
    "Diminishing Cold Spot", "Sporadic Cold Spot",  "Oscillating Cold Spot", "Historical Cold Spot",
    "No Pattern Detected"};
constexpr std::string_view kEhsaColours[] = {
    "fcbba1", "fb6a4a", "cb181d", "67000d", "fdae6b", "e6550d", "c51b8a", "8c6d31",
    "c6dbef", "6baed6", "2171b5", "08306b", "9ecae1", "3182bd", "756bb1", "54788a",
    "f0f0f0"};

constexpr std::string_view kGiRedBlue[] = {"4575b4", "91bfdb", "e0f3f8", "eeeeee", "fee090", "fc8d59", "d73027"};
constexpr std::string_view kGiPurpleOrange[] = {"542788", "998ec3", "d8daeb", "eeeeee", "fee0b6", "f1a340", "b35806"};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string range_label(double lo, double hi, bool integers, bool first) {
  if (integers) {
    const double a = first ? std::ceil(lo) : std::floor(lo) + 1;
    const double b = std::floor(hi);
    if (a >= b) return format_number(b, true);
    return format_number(a, true) + " \u2013 " + format_number(b, true);
  }
  // A bound that is zero but for floating-point dust (a KDE surface's 6.1e-08 next to
  // a class 1,578 wide) reads as 0.
  const double width = std::abs(hi - lo);
  if (lo != 0 && width > 0 && std::abs(lo) < width * 1e-6) lo = 0;
  return format_number(lo, false) + " \u2013 " + format_number(hi, false);
}

}  // namespace

const char* class_method_name(ClassMethod m) {
  switch (m) {
    case ClassMethod::single: return "single";
    case ClassMethod::equal_interval: return "equal";
    case ClassMethod::quantile: return "quantile";
    case ClassMethod::natural_breaks: return "jenks";
    case ClassMethod::gi_bins: return "gi";
    case ClassMethod::ehsa: return "ehsa";
    case ClassMethod::categorical: return "categorical";
  }
  return "single";
}

std::optional<ClassMethod> find_class_method(std::string_view name) {
  for (const ClassMethod m : {ClassMethod::single, ClassMethod::equal_interval, ClassMethod::quantile,
                              ClassMethod::natural_breaks, ClassMethod::gi_bins, ClassMethod::ehsa,
                              ClassMethod::categorical})
    if (iequals(name, class_method_name(m))) return m;
  if (iequals(name, "natural") || iequals(name, "natural_breaks")) return ClassMethod::natural_breaks;
  if (iequals(name, "equal_interval")) return ClassMethod::equal_interval;
  return std::nullopt;
}

bool is_numeric_method(ClassMethod m) {
  return m == ClassMethod::single || m == ClassMethod::equal_interval || m == ClassMethod::quantile ||
         m == ClassMethod::natural_breaks || m == ClassMethod::gi_bins;
}

int Classification::class_of(double v) const {
  if (!std::isfinite(v)) return -1;
  if (method == ClassMethod::gi_bins) {
    const double r = std::round(v);
    if (r < -3 || r > 3 || r != v) return -1;
    return static_cast<int>(r) + 3;
  }
  if (method == ClassMethod::single) return colours.empty() ? -1 : 0;
  if (edges.size() < 2) return -1;
  if (v < edges.front() || v > edges.back()) {
    // Values outside the edges (breaks fixed over another window) take the end classes.
    return v < edges.front() ? 0 : static_cast<int>(class_count()) - 1;
  }
  // First edge e[i + 1] >= v: class i covers (e[i], e[i + 1]].
  const auto it = std::lower_bound(edges.begin() + 1, edges.end(), v);
  const auto i = static_cast<int>(it - edges.begin()) - 1;
  return std::clamp(i, 0, static_cast<int>(class_count()) - 1);
}

int Classification::class_of(std::string_view v) const {
  for (std::size_t i = 0; i < categories.size(); ++i)
    if (categories[i] == v) return static_cast<int>(i);
  return -1;
}

Rgba Classification::colour_of(std::string_view v) const {
  const int c = class_of(v);
  if (c >= 0) return colours[static_cast<std::size_t>(c)];
  return method == ClassMethod::categorical && !v.empty() ? other : no_data;
}

std::vector<double> equal_interval_edges(double lo, double hi, int classes) {
  if (hi <= lo) return {lo, hi};
  std::vector<double> e{lo};
  for (int i = 1; i < classes; ++i) e.push_back(lo + (hi - lo) * i / classes);
  e.push_back(hi);
  return e;
}

std::vector<double> quantile_edges(std::span<const double> sorted, int classes) {
  if (sorted.empty()) return {};
  std::vector<double> e{sorted.front()};
  const std::size_t n = sorted.size();
  for (int i = 1; i < classes; ++i) {
    const std::size_t k = std::min(n - 1, (n * static_cast<std::size_t>(i)) / static_cast<std::size_t>(classes));
    const double cut = sorted[k == 0 ? 0 : k - 1];
    if (cut > e.back()) e.push_back(cut);
  }
  if (sorted.back() > e.back() || e.size() == 1) e.push_back(sorted.back());
  return e;
}

std::vector<double> jenks_edges(std::span<const double> sorted_all, int classes) {
  if (sorted_all.empty()) return {};
  // Sample evenly (keeping both ends) to bound the O(k n^2) dynamic programme.
  std::vector<double> v;
  if (sorted_all.size() > kJenksSample) {
    v.reserve(kJenksSample);
    for (std::size_t i = 0; i < kJenksSample; ++i)
      v.push_back(sorted_all[i * (sorted_all.size() - 1) / (kJenksSample - 1)]);
  } else {
    v.assign(sorted_all.begin(), sorted_all.end());
  }
  const std::size_t n = v.size();
  const auto k = static_cast<std::size_t>(std::clamp(classes, 1, static_cast<int>(n)));
  // Fisher's algorithm (Jenks 1977): lower[i][j] = start index of the last class in
  // the best split of v[0..i] into j+1 classes.
  std::vector<double> prefix(n + 1, 0.0), prefix2(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    prefix[i + 1] = prefix[i] + v[i];
    prefix2[i + 1] = prefix2[i] + v[i] * v[i];
  }
  auto ssd = [&](std::size_t a, std::size_t b) {  // sum of squared deviations of v[a..b]
    const double cnt = static_cast<double>(b - a + 1);
    const double s = prefix[b + 1] - prefix[a];
    return (prefix2[b + 1] - prefix2[a]) - s * s / cnt;
  };
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> cost(n * k, inf);
  std::vector<std::size_t> start(n * k, 0);
  for (std::size_t i = 0; i < n; ++i) cost[i * k] = ssd(0, i);
  for (std::size_t j = 1; j < k; ++j)
    for (std::size_t i = j; i < n; ++i)
      for (std::size_t m = j; m <= i; ++m) {
        const double c = cost[(m - 1) * k + (j - 1)] + ssd(m, i);
        if (c < cost[i * k + j]) {
          cost[i * k + j] = c;
          start[i * k + j] = m;
        }
      }
  std::vector<double> inner;  // upper values of classes k-2 .. 0, collected backwards
  std::size_t i = n - 1;
  for (std::size_t j = k - 1; j >= 1; --j) {
    const std::size_t m = start[i * k + j];
    inner.push_back(v[m - 1]);
    i = m - 1;
  }
  std::vector<double> edges{sorted_all.front()};
  edges.insert(edges.end(), inner.rbegin(), inner.rend());
  edges.push_back(sorted_all.back());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  if (edges.size() == 1) edges.push_back(edges.front());
  return edges;
}

std::string format_number(double v, bool integer) {
  if (!std::isfinite(v)) return "no data";
  char buf[64];
  if (integer || (std::abs(v) >= 1000 && std::abs(v - std::round(v)) < 1e-9)) {
    std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
    std::string s = buf;
    // Thousands separators.
    const std::size_t digits_start = s[0] == '-' ? 1 : 0;
    for (auto pos = static_cast<std::ptrdiff_t>(s.size()) - 3; pos > static_cast<std::ptrdiff_t>(digits_start); pos -= 3)
      s.insert(static_cast<std::size_t>(pos), 1, ',');
    return s;
  }
  const double a = std::abs(v);
  if (a == 0) return "0";
  if (a >= 100) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (a >= 10) std::snprintf(buf, sizeof buf, "%.1f", v);
  else if (a >= 0.01) std::snprintf(buf, sizeof buf, "%.2f", v);
  else std::snprintf(buf, sizeof buf, "%.2g", v);
  return buf;
}

Classification classify_numeric(std::span<const double> values, const NumericClassOptions& o) {
  HOTSPOT_ASSERT(o.classes >= 1 && o.classes <= kMaxClasses);
  HOTSPOT_ASSERT(o.method == ClassMethod::single || o.method == ClassMethod::equal_interval ||
                 o.method == ClassMethod::quantile || o.method == ClassMethod::natural_breaks);
  Classification c;
  c.method = o.method;
  std::vector<double> sorted;
  sorted.reserve(values.size());
  for (const double v : values)
    if (std::isfinite(v)) sorted.push_back(v);
  std::sort(sorted.begin(), sorted.end());
  if (o.method == ClassMethod::single || sorted.empty()) {
    c.method = ClassMethod::single;
    c.colours.push_back(ramp_colour(o.ramp, 0.6));
    c.labels.emplace_back(sorted.empty() ? "no data" : "all features");
    if (!sorted.empty()) c.edges = {sorted.front(), sorted.back()};
    return c;
  }
  switch (o.method) {
    case ClassMethod::equal_interval:
      c.edges = equal_interval_edges(sorted.front(), sorted.back(), o.classes);
      break;
    case ClassMethod::quantile: c.edges = quantile_edges(sorted, o.classes); break;
    default: c.edges = jenks_edges(sorted, o.classes); break;
  }
  if (c.edges.size() < 2) c.edges = {sorted.front(), sorted.back()};
  const auto n = static_cast<int>(c.edges.size()) - 1;
  c.colours = ramp_classes(o.ramp, n);
  if (o.reverse) std::reverse(c.colours.begin(), c.colours.end());
  for (int i = 0; i < n; ++i) {
    const auto u = static_cast<std::size_t>(i);
    c.labels.push_back(range_label(c.edges[u], c.edges[u + 1], o.integers, i == 0));
  }
  return c;
}

Classification gi_bin_classes(bool colour_blind_safe) {
  Classification c;
  c.method = ClassMethod::gi_bins;
  c.edges = {-3, -2, -1, 0, 1, 2, 3};
  for (const auto& h : colour_blind_safe ? kGiPurpleOrange : kGiRedBlue) c.colours.push_back(hex(h));
  c.labels = {"Cold spot, 99% confidence", "Cold spot, 95% confidence", "Cold spot, 90% confidence",
              "Not significant",           "Hot spot, 90% confidence",  "Hot spot, 95% confidence",
              "Hot spot, 99% confidence"};
  return c;
}

std::span<const std::string_view> ehsa_category_names() { return kEhsaNames; }

Classification ehsa_classes() {
  Classification c;
  c.method = ClassMethod::ehsa;
  for (std::size_t i = 0; i < std::size(kEhsaNames); ++i) {
    c.categories.emplace_back(kEhsaNames[i]);
    c.labels.emplace_back(kEhsaNames[i]);
    c.colours.push_back(hex(kEhsaColours[i]));
  }
  return c;
}

Classification classify_categories(std::span<const std::string> dictionary,
                                   std::span<const uint32_t> codes) {
  Classification c;
  c.method = ClassMethod::categorical;
  std::vector<std::size_t> count(dictionary.size(), 0);
  for (const uint32_t code : codes)
    if (code != kNullCode && code < count.size()) ++count[code];
  std::vector<std::size_t> order(dictionary.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return count[a] > count[b]; });
  for (std::size_t i = 0; i < order.size() && i < kCategoricalColours; ++i) {
    if (count[order[i]] == 0) break;
    c.categories.push_back(dictionary[order[i]]);
    c.labels.push_back(dictionary[order[i]].empty() ? "(empty)" : dictionary[order[i]]);
    c.colours.push_back(categorical_colour(i));
  }
  return c;
}

namespace {

std::vector<LegendRow> rows_from(const Classification& c, const std::vector<std::size_t>& counts,
                                 std::size_t other) {
  std::vector<LegendRow> rows;
  const bool top_down = is_numeric_method(c.method);  // high values first
  for (std::size_t k = 0; k < c.class_count(); ++k) {
    const std::size_t i = top_down ? c.class_count() - 1 - k : k;
    rows.push_back({c.colours[i], c.labels[i], counts[i], static_cast<int>(i)});
  }
  if (other > 0) rows.push_back({c.other, "Other", other, -1});
  return rows;
}

}  // namespace

std::vector<LegendRow> legend_rows(const Classification& c, std::span<const double> values) {
  std::vector<std::size_t> counts(c.class_count(), 0);
  for (const double v : values) {
    const int k = c.class_of(v);
    if (k >= 0) ++counts[static_cast<std::size_t>(k)];
  }
  return rows_from(c, counts, 0);
}

std::vector<LegendRow> legend_rows(const Classification& c, std::span<const std::string> dictionary,
                                   std::span<const uint32_t> codes) {
  std::vector<int> class_of_code(dictionary.size());
  for (std::size_t i = 0; i < dictionary.size(); ++i) class_of_code[i] = c.class_of(dictionary[i]);
  std::vector<std::size_t> counts(c.class_count(), 0);
  std::size_t other = 0;
  for (const uint32_t code : codes) {
    if (code == kNullCode || code >= dictionary.size()) continue;
    const int k = class_of_code[code];
    if (k >= 0)
      ++counts[static_cast<std::size_t>(k)];
    else if (c.method == ClassMethod::categorical)
      ++other;
  }
  return rows_from(c, counts, other);
}

}  // namespace hotspot::viewer
