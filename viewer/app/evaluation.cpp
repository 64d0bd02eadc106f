#include "viewer/app/evaluation.hpp"

#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>

#include "core/evaluate/evaluation.hpp"
#include "core/spatial/area_set.hpp"
#include "viewer/app/buffer.hpp"

namespace hotspot::viewer {

std::optional<double> WindowPair::percent_change() const {
  if (before == 0) return std::nullopt;
  return (static_cast<double>(after) - static_cast<double>(before)) / static_cast<double>(before) * 100.0;
}

core::MultiPolygon circle(double x_m, double y_m, double radius_m, int segments) {
  core::Polygon p;
  for (int i = 0; i <= segments; ++i) {
    const double a = -2.0 * std::numbers::pi * (i % segments) / segments;  // clockwise
    p.outer().emplace_back(x_m + radius_m * std::cos(a), y_m + radius_m * std::sin(a));
  }
  return core::MultiPolygon{p};
}

BeforeAfterCounts before_after_counts(const IncidentData& incidents, const core::MultiPolygon& target,
                                      double buffer_m, core::MonthIndex go_live, int before_months,
                                      int after_months, const CategoryFilter& filter, int implementation_months) {
  BeforeAfterCounts r;
  r.go_live = go_live;
  const int gap = std::max(0, implementation_months);
  const MonthRange before_full{go_live - before_months, go_live - 1};
  const MonthRange after_full{go_live + gap, go_live + gap + after_months - 1};
  r.before = intersect(before_full, incidents.period);
  r.after = intersect(after_full, incidents.period);
  r.before_clipped = !(r.before == before_full);
  r.after_clipped = !(r.after == after_full);
  r.chart = {before_full.first, after_full.last};

  // Area 0 = target, area 1 = target grown by the buffer: AreaSet gives a point the
  // lowest-index area covering it, so area 1 holds exactly the ring.
  core::AreaSet areas;
  areas.add("target", "target", target);
  r.target_area_km2 = std::abs(boost::geometry::area(target)) / 1e6;
  if (buffer_m > 0) {
    core::MultiPolygon grown = buffer(target, buffer_m);
    r.buffer_area_km2 = std::abs(boost::geometry::area(grown)) / 1e6 - r.target_area_km2;
    areas.add("buffer", "buffer", std::move(grown));
  }
  areas.build();
  const auto& t = incidents.table;
  std::vector<uint32_t> area_of(t.size());
  areas.locate_many(t.x_m(), t.y_m(), area_of);
  r.monthly_target.assign(static_cast<std::size_t>(r.chart.months()), 0);
  r.monthly_buffer.assign(static_cast<std::size_t>(r.chart.months()), 0);
  const auto month = t.month();
  const auto cat = t.category();
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!filter.allows(cat[i])) continue;
    const core::MonthIndex m = month[i];
    WindowPair& w = area_of[i] == 0 ? r.target : area_of[i] == 1 ? r.buffer : r.rest;
    if (r.before.contains(m)) ++w.before;
    if (r.after.contains(m)) ++w.after;
    if (r.chart.contains(m) && area_of[i] <= 1)
      ++(area_of[i] == 0 ? r.monthly_target : r.monthly_buffer)[static_cast<std::size_t>(m - r.chart.first)];
  }
  return r;
}

const EvaluationRecord* EvaluationFile::find(std::string_view id) const {
  for (const auto& r : interventions)
    if (r.id == id) return &r;
  return nullptr;
}

namespace {

constexpr const char* kKnown[] = {"id", "target", "buffer", "control", "odds_ratio", "odds_ratio_ci", "wdq", "wdd"};

std::optional<double> number_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}
std::optional<uint64_t> count_at(const nlohmann::json& j, const char* area, const char* window) {
  auto a = j.find(area);
  if (a == j.end() || !a->is_object()) return std::nullopt;
  auto w = a->find(window);
  if (w == a->end() || !w->is_number()) return std::nullopt;
  return static_cast<uint64_t>(std::llround(w->get<double>()));
}

}  // namespace

namespace {

// evaluation.json's "settings" (core::EvaluationSettings as `hotspot evaluate` wrote
// them). Fields that are absent or of the wrong type keep core's defaults.
void file_settings(const nlohmann::json& j, EvaluationFile& file) {
  core::EvaluationSettings s;
  auto integer = [&](const char* key, int& out, int low) {
    if (auto v = number_at(j, key); v && *v >= low && *v <= 1200) out = static_cast<int>(*v);
  };
  integer("before_months", s.before_months, 1);
  integer("after_months", s.after_months, 1);
  integer("implementation_months", s.implementation_months, 0);
  if (auto v = number_at(j, "buffer_m"); v && *v >= 0) s.buffer_m = *v;
  if (auto v = number_at(j, "confidence"); v && *v > 0 && *v < 1) s.confidence = *v;
  if (auto v = number_at(j, "overdispersion_factor"); v && *v >= 1) s.overdispersion_factor = *v;
  if (auto od = j.find("overdispersion"); od != j.end() && od->is_string()) {
    const std::string m = od->get<std::string>();
    if (m == "none") s.overdispersion = core::OverdispersionMode::none;
    else if (m == "monthly") s.overdispersion = core::OverdispersionMode::monthly;
    else if (m == "farrington") s.overdispersion = core::OverdispersionMode::farrington;
    else if (m == "fixed") s.overdispersion = core::OverdispersionMode::fixed;
  }
  if (auto w = j.find("wdd_area_weights"); w != j.end() && w->is_boolean()) s.wdd_area_weights = w->get<bool>();
  if (auto radii = j.find("radius_m"); radii != j.end() && radii->is_object())
    for (auto it = radii->begin(); it != radii->end(); ++it)
      if (auto type = core::parse_intervention_type(it.key()); type && it->is_number() && it->get<double>() > 0)
        s.radius_m[static_cast<std::size_t>(*type)] = it->get<double>();
  if (auto c = j.find("control"); c != j.end() && c->is_string()) file.control = c->get<std::string>();
  if (auto c = j.find("control_description"); c != j.end() && c->is_string()) file.control_description = c->get<std::string>();
  file.settings = s;
}

}  // namespace

EvaluationFile read_evaluation_json(const std::filesystem::path& path) {
  EvaluationFile file;
  file.path = path;
  std::ifstream in(path);
  if (!in) {
    file.error = path.string() + ": cannot open";
    return file;
  }
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    file.error = path.string() + ": not a JSON object";
    return file;
  }
  if (auto st = doc.find("settings"); st != doc.end() && st->is_object()) file_settings(*st, file);
  auto list = doc.find("interventions");
  if (list == doc.end() || !list->is_array()) {
    file.error = path.string() + ": no \"interventions\" array";
    return file;
  }
  for (const auto& j : *list) {
    if (!j.is_object()) continue;
    EvaluationRecord r;
    if (auto id = j.find("id"); id != j.end())
      r.id = id->is_string() ? id->get<std::string>() : id->dump();
    r.target_before = count_at(j, "target", "before");
    r.target_after = count_at(j, "target", "after");
    r.buffer_before = count_at(j, "buffer", "before");
    r.buffer_after = count_at(j, "buffer", "after");
    r.control_before = count_at(j, "control", "before");
    r.control_after = count_at(j, "control", "after");
    r.odds_ratio = number_at(j, "odds_ratio");
    if (auto ci = j.find("odds_ratio_ci"); ci != j.end() && ci->is_array() && ci->size() == 2 &&
                                           (*ci)[0].is_number() && (*ci)[1].is_number()) {
      r.odds_ratio_low = (*ci)[0].get<double>();
      r.odds_ratio_high = (*ci)[1].get<double>();
    }
    r.wdq = number_at(j, "wdq");
    if (file.settings) r.confidence = file.settings->confidence;
    r.odds_ratio_p = number_at(j, "odds_ratio_p");
    r.relative_change_pct = number_at(j, "relative_change_pct");
    if (auto st = j.find("status"); st != j.end() && st->is_string() && st->get<std::string>() == "not_evaluated") {
      r.evaluated = false;
      if (auto why = j.find("reason"); why != j.end() && why->is_string()) r.reason = why->get<std::string>();
    }
    if (auto sp = j.find("spillover"); sp != j.end() && sp->is_object())
      if (auto v = sp->find("verdict"); v != sp->end() && v->is_string()) r.spillover = v->get<std::string>();
    if (auto c = j.find("control"); c != j.end() && c->is_object())
      if (auto v = c->find("label"); v != c->end() && v->is_string()) r.control_label = v->get<std::string>();
    if (auto wdd = j.find("wdd"); wdd != j.end() && wdd->is_object()) {
      r.wdd_estimate = number_at(*wdd, "estimate");
      r.wdd_se = number_at(*wdd, "se");
      r.wdd_z = number_at(*wdd, "z");
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = false;
      for (const char* k : kKnown) known = known || it.key() == k;
      if (known || it->is_object() || it->is_array()) continue;
      r.other.emplace_back(it.key(), it->is_string() ? it->get<std::string>() : it->dump());
    }
    file.interventions.push_back(std::move(r));
  }
  return file;
}

std::optional<EvaluationRecord> evaluate_in_process(const IncidentData& incidents, const core::MultiPolygon& target,
                                                    double buffer_m, core::MonthIndex go_live, int before_months,
                                                    int after_months, const CategoryFilter& filter,
                                                    const core::AreaSet* study_area,
                                                    const core::EvaluationSettings* study, int implementation_months) {
  if (target.empty() || before_months < 1 || after_months < 1 || incidents.period.empty()) return std::nullopt;
  EvaluationRecord rec;
  rec.in_process = true;
  rec.id = "viewer target";
  core::Intervention iv;
  iv.id = rec.id;
  iv.name = "compare target";
  iv.type = core::InterventionType::other;
  iv.start_month = go_live;
  iv.geometry = target;
  iv.buffer_m = std::max(0.0, buffer_m);
  iv.source = "viewer";
  if (!filter.all()) {
    for (std::size_t c = 0; c < incidents.taxonomy.size(); ++c)
      if (filter.allows(static_cast<core::CategoryId>(c))) iv.categories.push_back(static_cast<core::CategoryId>(c));
    if (iv.categories.empty()) {
      rec.evaluated = false;
      rec.reason = "no crime type is selected";
      return rec;
    }
  }
  core::EvaluationSettings settings;
  if (study != nullptr) {  // the study's statistics; the viewer's windows and target
    settings.overdispersion = study->overdispersion;
    settings.overdispersion_factor = study->overdispersion_factor;
    settings.confidence = study->confidence;
    settings.wdd_area_weights = study->wdd_area_weights;
  }
  rec.confidence = settings.confidence;
  settings.before_months = before_months;
  settings.after_months = after_months;
  settings.implementation_months = std::max(0, implementation_months);
  settings.buffer_m = std::max(0.0, buffer_m);
  settings.control = core::ControlKind::rest;
  settings.data_first = incidents.period.first;
  settings.data_last = incidents.period.last;
  settings.threads = 2;  // the UI thread asks; leave the other cores to the loader and the driver
  const core::Evaluation e = core::evaluate(incidents.table, incidents.taxonomy, std::span(&iv, 1), settings,
                                                core::ControlAreas{.study_area = study_area});
  if (e.results.empty()) return std::nullopt;
  const core::InterventionResult& r = e.results.front();
  rec.evaluated = r.evaluated;
  rec.reason = r.reason;
  rec.warnings = r.warnings;
  for (const auto& w : e.warnings) rec.warnings.push_back(w);
  if (!r.evaluated) return rec;
  rec.target_before = r.target.total.before;
  rec.target_after = r.target.total.after;
  rec.buffer_before = r.buffer.total.before;
  rec.buffer_after = r.buffer.total.after;
  rec.control_before = r.control.total.before;
  rec.control_after = r.control.total.after;
  rec.control_label = r.control_label;
  if (r.effect) {
    rec.odds_ratio = r.effect->odds_ratio;
    rec.odds_ratio_low = r.effect->adjusted.low;
    rec.odds_ratio_high = r.effect->adjusted.high;
    rec.odds_ratio_p = r.effect->adjusted.p;
    rec.relative_change_pct = r.effect->relative_change_pct;
  }
  if (r.wdq) {
    rec.wdq = r.wdq->wdq;
    rec.wdq_reading = core::describe(r.wdq->reading);
  }
  if (r.wdd) {
    rec.wdd_estimate = r.wdd->total.estimate;
    rec.wdd_se = r.wdd->total.se;
    rec.wdd_z = r.wdd->z;
  }
  rec.spillover = core::spillover_name(r.spillover);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s, phi %.2f", core::overdispersion_name(r.dispersion_mode), r.dispersion);
  rec.dispersion = buf;
  return rec;
}

}  // namespace hotspot::viewer
