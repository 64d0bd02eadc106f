#include "viewer/app/incidents.hpp"

#include <algorithm>
#include <cmath>

namespace hotspot::viewer {

namespace {
constexpr const char* kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
}

std::string month_label(core::MonthIndex m) {
  return std::string(kMonthNames[core::month_of(m) - 1]) + " " + std::to_string(core::year_of(m));
}

std::string format_month_range(MonthRange r) {
  if (r.empty()) return "no months";
  if (r.first == r.last) return month_label(r.first);
  return month_label(r.first) + " \u2013 " + month_label(r.last);
}

MonthRange intersect(MonthRange a, MonthRange b) {
  return {std::max(a.first, b.first), std::min(a.last, b.last)};
}

bool looks_like_incidents(const layers::FeatureSet& features) {
  if (features.geometry != layers::GeometryClass::point) return false;
  const int m = features.field_index("month");
  const int c = features.field_index("category");
  return m >= 0 && c >= 0 && !features.fields[static_cast<std::size_t>(m)].is_numeric() &&
         !features.fields[static_cast<std::size_t>(c)].is_numeric();
}

IncidentData incidents_from_features(const layers::FeatureSet& features) {
  IncidentData d;
  d.taxonomy = core::Taxonomy::police_uk();
  const auto& month = features.fields[static_cast<std::size_t>(features.field_index("month"))];
  const auto& category = features.fields[static_cast<std::size_t>(features.field_index("category"))];
  const int line_field = features.field_index("line");
  const int source_field = features.field_index("source");

  // Parse each distinct value once (the columns are dictionary-encoded).
  std::vector<core::MonthIndex> month_of_code(month.dictionary.size(), 0);
  std::vector<bool> month_ok(month.dictionary.size(), false);
  for (std::size_t i = 0; i < month.dictionary.size(); ++i) {
    auto r = core::parse_month(month.dictionary[i]);
    if (!r) {
      // Dates written as YYYY-MM-DD: take the month.
      if (month.dictionary[i].size() >= 7) r = core::parse_month(std::string_view(month.dictionary[i]).substr(0, 7));
    }
    if (r) {
      month_of_code[i] = *r;
      month_ok[i] = true;
    }
  }
  std::vector<core::CategoryId> category_of_code(category.dictionary.size(), 0);
  for (std::size_t i = 0; i < category.dictionary.size(); ++i) {
    const std::string& name = category.dictionary[i];
    auto id = d.taxonomy.find(name);
    category_of_code[i] = id ? *id : d.taxonomy.add_local(name.empty() ? "(no category)" : name);
  }
  std::vector<uint16_t> source_of_code;
  if (source_field >= 0) {
    const auto& col = features.fields[static_cast<std::size_t>(source_field)];
    for (const auto& s : col.dictionary) source_of_code.push_back(d.table.add_source(s));
  }
  const uint16_t unknown_source = d.table.add_source(features.source + ":" + features.layer);

  std::size_t bad_month = 0, no_point = 0;
  d.table.reserve(features.size());
  d.feature_of_row.reserve(features.size());
  core::MonthIndex lo = 0, hi = -1;
  for (std::size_t f = 0; f < features.size(); ++f) {
    const uint32_t mc = month.codes[f];
    if (mc == layers::FieldColumn::kNull || !month_ok[mc]) {
      ++bad_month;
      continue;
    }
    if (features.feature_class[f] != layers::GeometryClass::point) {
      ++no_point;
      continue;
    }
    const uint32_t v = features.ring_offsets[features.part_offsets[features.feature_offsets[f]]];
    core::IncidentTable::Row row;
    row.x_m = features.x_m[v];
    row.y_m = features.y_m[v];
    row.month = month_of_code[mc];
    const uint32_t cc = category.codes[f];
    row.category = cc == layers::FieldColumn::kNull ? d.taxonomy.add_local("(no category)") : category_of_code[cc];
    row.source = unknown_source;
    if (source_field >= 0) {
      const uint32_t sc = features.fields[static_cast<std::size_t>(source_field)].codes[f];
      if (sc != layers::FieldColumn::kNull) row.source = source_of_code[sc];
    }
    row.line = static_cast<uint32_t>(f + 1);
    if (line_field >= 0) {
      const double l = features.fields[static_cast<std::size_t>(line_field)].number(f);
      if (std::isfinite(l) && l >= 0) row.line = static_cast<uint32_t>(l);
    }
    if (d.table.empty()) lo = hi = row.month;
    lo = std::min(lo, row.month);
    hi = std::max(hi, row.month);
    d.table.push_back(row);
    d.feature_of_row.push_back(static_cast<uint32_t>(f));
  }
  d.period = {lo, hi};
  d.uncounted = bad_month + no_point;
  const std::string where = features.source + ":" + features.layer + ": warning: ";
  if (bad_month > 0)
    d.warnings.push_back(where + std::to_string(bad_month) +
                         " features have no valid month (YYYY-MM) and are not counted");
  if (no_point > 0)
    d.warnings.push_back(where + std::to_string(no_point) +
                         " features have no point geometry and are not counted");
  return d;
}

bool CategoryFilter::all() const {
  return std::all_of(enabled.begin(), enabled.end(), [](bool b) { return b; });
}

std::size_t CategoryFilter::count() const {
  return static_cast<std::size_t>(std::count(enabled.begin(), enabled.end(), true));
}

std::vector<uint32_t> monthly_totals(const core::IncidentTable& table, MonthRange period,
                                     const CategoryFilter& filter) {
  std::vector<uint32_t> out(static_cast<std::size_t>(period.months()), 0);
  const auto month = table.month();
  const auto cat = table.category();
  for (std::size_t i = 0; i < table.size(); ++i)
    if (period.contains(month[i]) && filter.allows(cat[i]))
      ++out[static_cast<std::size_t>(month[i] - period.first)];
  return out;
}

}  // namespace hotspot::viewer
