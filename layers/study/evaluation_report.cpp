// [SECTION] index
//  - Helpers (number formatting, labels)
//  - JSON
//  - Markdown
//  - CSV tables
//  - GeoPackage layers

#include "layers/study/evaluation_report.hpp"

#include <boost/geometry/algorithms/convert.hpp>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "core/base/error.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/io/csv_writer.hpp"
#include "layers/io/vector_writer.hpp"

namespace hotspot::layers {

namespace fs = std::filesystem;
using nlohmann::json;

// [SECTION] Helpers --------------------------------------------------------------

namespace {

// Concatenation without `"literal" + std::string&&` (GCC 12 reports a false -Wrestrict
// inside the resulting std::string::insert).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out.append(p);
  return out;
}

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json num(const std::optional<double>& v) { return v ? num(*v) : json(nullptr); }

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(decimals);
  os << v;
  return os.str();
}

std::string signed_pct(double v, int decimals = 0) { return cat({v > 0 ? "+" : "", fixed(v, decimals), "%"}); }

std::string p_text(double p) {
  if (p < 0.001) return "p < 0.001";
  return cat({"p = ", fixed(p, 3)});
}

std::string thousands(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string category_list(const core::InterventionResult& r, const core::Taxonomy& tax) {
  if (r.all_categories) return "all crime types";
  std::string s;
  for (std::size_t k = 0; k < r.categories.size(); ++k) s += (k ? ", " : "") + tax.get(r.categories[k]).name;
  return s;
}

std::string month_range(core::MonthIndex a, core::MonthIndex b) {
  return a == b ? core::format_month(a) : cat({core::format_month(a), " to ", core::format_month(b)});
}

// "27% fewer" / "12% more" for a relative change in percent.
std::string fewer_more(double pct) {
  return fixed(std::fabs(pct), 0) + (pct < 0 ? "% fewer" : "% more");
}

// The relative change (1/OR - 1) x 100 and its interval, from an odds-ratio interval.
struct RelativeChange {
  double pct, low, high;
};
RelativeChange relative(const core::RatioInterval& ri) {
  return {(1.0 / ri.ratio - 1.0) * 100.0, (1.0 / ri.high - 1.0) * 100.0, (1.0 / ri.low - 1.0) * 100.0};
}

const char* spillover_text(core::Spillover s) {
  switch (s) {
    case core::Spillover::not_assessed: return "not assessed";
    case core::Spillover::none: return "no significant spill-over";
    case core::Spillover::displacement: return "displacement";
    case core::Spillover::diffusion: return "diffusion of benefits";
  }
  return "";
}

std::string control_kind_text(const core::EvaluationSettings& s) {
  switch (s.control) {
    case core::ControlKind::rest: return "rest";
    case core::ControlKind::polygons: return "chosen polygons";
    case core::ControlKind::matched:
      return cat({std::to_string(s.matched_cells), " matched ", fixed(s.matched_cell_m, 0), " m cells"});
  }
  return "";
}

std::string dispersion_text(const core::EvaluationSettings& s) {
  switch (s.overdispersion) {
    case core::OverdispersionMode::none: return "none (Poisson intervals)";
    case core::OverdispersionMode::monthly:
      return "monthly (the Pearson dispersion of each comparison's monthly counts, at least 1)";
    case core::OverdispersionMode::farrington: return "Farrington's D(N) = 0.0008 N + 1.2 per count";
    case core::OverdispersionMode::fixed: return cat({"a fixed factor of ", fixed(s.overdispersion_factor, 2)});
  }
  return "";
}

json ratio_json(const core::RatioInterval& ri) {
  return {{"ratio", num(ri.ratio)}, {"ci", {num(ri.low), num(ri.high)}}, {"z", num(ri.z)}, {"p", num(ri.p)},
          {"se_log", num(ri.se)}};
}

json area_json(const core::AreaCounts& a, const core::InterventionResult& r, const core::Taxonomy& tax) {
  json by = json::object();
  for (std::size_t k = 0; k < r.categories.size() && k < a.by_category.size(); ++k) {
    const auto& w = a.by_category[k];
    if (r.all_categories && w.before == 0 && w.after == 0) continue;
    by[tax.get(r.categories[k]).name] = {{"before", w.before}, {"after", w.after}};
  }
  return {{"before", a.total.before}, {"after", a.total.after}, {"change_pct", num(a.change_pct)},
          {"area_km2", num(a.area_m2 / 1e6)}, {"by_category", by}};
}

json pooled_json(const core::SchemeResult& s) {
  json j = {{"scheme", s.scheme},
            {"interventions", s.interventions},
            {"sites", s.sites.size()},
            {"target", {{"before", s.target.before}, {"after", s.target.after}}},
            {"buffer", {{"before", s.buffer.before}, {"after", s.buffer.after}}}};
  auto block = [](const core::PooledEffect& p) {
    json f = ratio_json(p.fixed);
    json r = ratio_json(p.random);
    r["tau2"] = num(p.tau2);
    return json{{"fixed", f}, {"random", r},
                {"heterogeneity", {{"q", num(p.q)}, {"df", num(p.df)}, {"p", num(p.q_p)}, {"i2", num(p.i2)}}}};
  };
  if (s.adjusted) {
    const json b = block(*s.adjusted);
    j["fixed"] = b["fixed"];
    j["random"] = b["random"];
    j["heterogeneity"] = b["heterogeneity"];
    const RelativeChange rc = relative(s.adjusted->random);  // the random-effects estimate (= fixed when tau2 = 0)
    j["relative_change_pct"] = num(rc.pct);
    j["relative_change_ci"] = {num(rc.low), num(rc.high)};
  } else {
    j["fixed"] = nullptr;
    j["random"] = nullptr;
    j["heterogeneity"] = nullptr;
    j["note"] = "no intervention in this scheme has an effect to pool";
  }
  j["poisson"] = s.poisson ? block(*s.poisson) : json(nullptr);
  return j;
}

}  // namespace

// [SECTION] JSON -----------------------------------------------------------------

json evaluation_json(const core::Evaluation& e, std::span<const core::Intervention> ivs, const core::Taxonomy& tax,
                     const core::EvaluationSettings& s, const EvaluationContext& ctx) {
  json list = json::array();
  for (const auto& r : e.results) {
    const core::Intervention& iv = ivs[r.index];
    json j = {{"id", iv.id},
              {"name", iv.name},
              {"type", core::type_name(iv.type)},
              {"scheme", r.scheme},
              {"geometry", core::geometry_kind(iv.geometry)},
              {"source", iv.source},
              {"status", r.evaluated ? "evaluated" : "not_evaluated"},
              {"go_live", core::format_month(iv.start_month)},
              {"start", iv.start_day != core::kNoDay ? core::format_day(iv.start_day) : core::format_month(iv.start_month)},
              {"end", iv.end_month ? json(core::format_month(*iv.end_month)) : json(nullptr)},
              {"radius_m", r.radius_m > 0 ? json(r.radius_m) : json(nullptr)},
              {"radius_source", r.radius_source},
              {"buffer_m", r.buffer_m}};
    json cats = json::array();
    if (r.all_categories) cats.push_back("all");
    else
      for (auto c : r.categories) cats.push_back(tax.get(c).name);
    j["categories"] = cats;
    if (!r.evaluated) j["reason"] = r.reason;
    const auto& w = r.windows;
    if (r.evaluated) {
      j["windows"] = {{"before", {core::format_month(w.before_first), core::format_month(w.before_last)}},
                      {"implementation", w.gap_last >= w.gap_first ? json{core::format_month(w.gap_first), core::format_month(w.gap_last)} : json(nullptr)},
                      {"after", {core::format_month(w.after_first), core::format_month(w.after_last)}},
                      {"months_before", w.months_before},
                      {"months_after", w.months_after}};
      j["target"] = area_json(r.target, r, tax);
      j["buffer"] = area_json(r.buffer, r, tax);
      json control = area_json(r.control, r, tax);
      control["kind"] = core::control_kind_name(s.control);
      control["label"] = r.control_label;
      if (!r.matched_cells.empty()) {
        json cells = json::array();
        for (uint32_t k : r.matched_cells)
          cells.push_back({{"x_m", e.cells[k].box.min_corner().x()}, {"y_m", e.cells[k].box.min_corner().y()}});
        control["matched_cells"] = cells;
      }
      j["control"] = control;
    } else {
      j["windows"] = nullptr;
      j["target"] = nullptr;
      j["buffer"] = nullptr;
      j["control"] = nullptr;
    }
    if (r.effect) {
      const auto& ef = *r.effect;
      const RelativeChange rc = relative(ef.adjusted);
      j["odds_ratio"] = num(ef.odds_ratio);
      j["odds_ratio_ci"] = {num(ef.adjusted.low), num(ef.adjusted.high)};
      j["odds_ratio_p"] = num(ef.adjusted.p);
      j["relative_change_pct"] = num(rc.pct);
      j["relative_change_ci"] = {num(rc.low), num(rc.high)};
      j["effect"] = {{"poisson", ratio_json(ef.poisson)},
                     {"adjusted", ratio_json(ef.adjusted)},
                     {"overdispersion", {{"method", core::overdispersion_name(r.dispersion_mode)},
                                         {"factor", num(r.dispersion)},
                                         {"variance_inflation", num(ef.inflation)}}},
                     {"zero_corrected", ef.zero_corrected},
                     {"small_counts", ef.small_counts}};
    } else {
      j["odds_ratio"] = nullptr;
      j["odds_ratio_ci"] = nullptr;
      j["odds_ratio_p"] = nullptr;
      j["relative_change_pct"] = nullptr;
      j["effect"] = nullptr;
    }
    if (r.buffer_effect)
      j["spillover"] = {{"verdict", core::spillover_name(r.spillover)},
                        {"buffer_odds_ratio", num(r.buffer_effect->odds_ratio)},
                        {"ci", {num(r.buffer_effect->adjusted.low), num(r.buffer_effect->adjusted.high)}},
                        {"p", num(r.buffer_effect->adjusted.p)},
                        {"poisson", ratio_json(r.buffer_effect->poisson)}};
    else
      j["spillover"] = {{"verdict", core::spillover_name(r.spillover)}};
    if (r.wdq) {
      j["wdq"] = num(r.wdq->wdq);
      j["wdq_detail"] = {{"success_measure", num(r.wdq->success_measure)},
                         {"buffer_measure", num(r.wdq->buffer_measure)},
                         {"total_net_effect", num(r.wdq->total_net_effect)},
                         {"reading", core::name(r.wdq->reading)},
                         {"reading_text", core::describe(r.wdq->reading)},
                         {"unstable", r.wdq->unstable}};
    } else {
      j["wdq"] = nullptr;
      j["wdq_detail"] = nullptr;
    }
    if (r.wdd) {
      const auto& d = *r.wdd;
      j["wdd"] = {{"estimate", num(d.total.estimate)},
                  {"se", num(d.total.se)},
                  {"z", num(d.z)},
                  {"p", num(d.p)},
                  {"ci", {num(d.low), num(d.high)}},
                  {"confidence", d.confidence},
                  {"local", {{"estimate", num(d.local.estimate)}, {"se", num(d.local.se)}}},
                  {"displacement", {{"estimate", num(d.displacement.estimate)}, {"se", num(d.displacement.se)}}},
                  {"units", s.wdd_area_weights ? "crimes in the target (and buffer) over the after window, control scaled by area and time"
                                               : "crimes over the after window, control scaled by time"}};
    } else {
      j["wdd"] = nullptr;
    }
    j["did"] = r.did ? json{{"rate_ratio", num(r.did->poisson.ratio)},
                            {"ci", {num(r.did->quasi.low), num(r.did->quasi.high)}},
                            {"poisson_ci", {num(r.did->poisson.low), num(r.did->poisson.high)}},
                            {"dispersion", num(r.did->dispersion)},
                            {"df", r.did->df},
                            {"months", r.did->months_used}}
                     : json(nullptr);
    j["pre_trend"] = r.pre_trend ? json{{"change_pct_per_month", num((std::exp(r.pre_trend->slope) - 1.0) * 100.0)},
                                        {"slope", num(r.pre_trend->slope)},
                                        {"se", num(r.pre_trend->se_adjusted)},
                                        {"p", num(r.pre_trend->p)},
                                        {"comparable", r.pre_trend->p >= 1.0 - s.confidence},
                                        {"months", r.pre_trend->months_used}}
                                 : json(nullptr);
    j["warnings"] = r.warnings;
    list.push_back(std::move(j));
  }
  json pooled = pooled_json(e.overall);
  json by_scheme = json::array();
  for (const auto& sr : e.schemes) by_scheme.push_back(pooled_json(sr));
  pooled["by_scheme"] = by_scheme;
  json overlaps = json::array();
  for (const auto& o : e.overlaps)
    overlaps.push_back({{"first", ivs[o.first].id}, {"first_area", core::role_name(o.first_role)},
                        {"second", ivs[o.second].id}, {"second_area", core::role_name(o.second_role)},
                        {"area_m2", num(o.area_m2)}, {"shared_incidents", o.shared_incidents},
                        {"counted_for", ivs[o.first].id}});
  json radii = json::object();
  for (std::size_t t = 0; t < core::kInterventionTypeCount; ++t)
    radii[core::type_name(static_cast<core::InterventionType>(t))] = s.radius_m[t];
  std::size_t evaluated = 0;
  for (const auto& r : e.results) evaluated += r.evaluated ? 1 : 0;
  return {{"interventions", list},
          {"pooled", pooled},
          {"overlaps", overlaps},
          {"settings",
           {{"interventions_file", ctx.interventions_source},
            {"before_months", s.before_months},
            {"after_months", s.after_months},
            {"implementation_months", s.implementation_months},
            {"buffer_m", s.buffer_m},
            {"radius_m", radii},
            {"control", core::control_kind_name(s.control)},
            {"control_description", ctx.control_description},
            {"matched_cell_m", s.matched_cell_m},
            {"matched_cells", s.matched_cells},
            {"overdispersion", core::overdispersion_name(s.overdispersion)},
            {"overdispersion_factor", s.overdispersion_factor},
            {"confidence", s.confidence},
            {"wdd_area_weights", s.wdd_area_weights}}},
          {"data_period", e.data_last >= e.data_first ? json{core::format_month(e.data_first), core::format_month(e.data_last)} : json(nullptr)},
          {"counts",
           {{"interventions", e.results.size()},
            {"evaluated", evaluated},
            {"incidents_considered", e.incidents_considered},
            {"in_targets", e.in_targets},
            {"in_buffers", e.in_buffers},
            {"in_controls", e.in_controls},
            {"elsewhere", e.elsewhere}}},
          {"warnings", e.warnings},
          {"timings", {{"geometry_s", e.geometry_s}, {"locate_s", e.locate_s}, {"measures_s", e.measures_s}}}};
}

// [SECTION] Markdown -------------------------------------------------------------

std::string evaluation_markdown(const core::Evaluation& e, std::span<const core::Intervention> ivs,
                                const core::Taxonomy& tax, const core::EvaluationSettings& s,
                                const EvaluationContext& ctx) {
  std::ostringstream md;
  const std::string level = fixed(s.confidence * 100.0, s.confidence * 100.0 == std::floor(s.confidence * 100.0) ? 0 : 1) + "%";
  std::size_t evaluated = 0;
  for (const auto& r : e.results) evaluated += r.evaluated ? 1 : 0;
  md << "## Interventions: before and after\n\n";
  md << "Did crime fall where we acted, more than elsewhere, and did it move next door or did the benefit "
        "spread? " << e.results.size() << (e.results.size() == 1 ? " intervention" : " interventions")
     << (ctx.interventions_source.empty() ? "" : " from `" + ctx.interventions_source + "`") << "; " << evaluated
     << " evaluated";
  if (e.data_last >= e.data_first) md << " against incidents from " << month_range(e.data_first, e.data_last);
  md << ".\n\n";
  md << "- Windows: " << s.before_months << " months before go-live and " << s.after_months
     << " months after";
  if (s.implementation_months > 0) md << ", leaving out " << s.implementation_months << " implementation month(s) from go-live";
  md << " (a go-live date after the 1st of a month leaves that month out; an installation period is left out whole).\n";
  md << "- Areas: the target (the polygon, or the site buffered by its radius) and a buffer ring of " << fixed(s.buffer_m, 0)
     << " m around it unless the file says otherwise; each incident is counted once (see overlaps).\n";
  md << "- Control: " << (ctx.control_description.empty() ? control_kind_text(s) : ctx.control_description)
     << "; it never includes a target or a buffer.\n";
  md << "- Over-dispersion: " << dispersion_text(s) << "; the tables show the adjusted " << level
     << " intervals, the JSON both.\n\n";

  md << "| id | intervention | go-live | crime counted | target before → after | control before → after | change against control [" << level
     << " CI] | odds ratio [" << level << " CI] | buffer before → after | spill-over | WDQ | WDD (SE) |\n";
  md << "|---|---|---|---|---:|---:|---|---|---:|---|---:|---:|\n";
  for (const auto& r : e.results) {
    const core::Intervention& iv = ivs[r.index];
    if (!r.evaluated) continue;
    md << "| " << iv.id << " | " << iv.name << " (" << core::type_label(iv.type) << ") | " << core::format_month(iv.start_month)
       << " | " << category_list(r, tax) << " | " << thousands(r.target.total.before) << " → " << thousands(r.target.total.after);
    if (r.target.change_pct) md << " (" << signed_pct(*r.target.change_pct) << ")";
    md << " | " << thousands(r.control.total.before) << " → " << thousands(r.control.total.after);
    if (r.control.change_pct) md << " (" << signed_pct(*r.control.change_pct) << ")";
    md << " | ";
    if (r.effect) {
      const RelativeChange rc = relative(r.effect->adjusted);
      md << signed_pct(rc.pct) << " [" << signed_pct(rc.low) << ", " << signed_pct(rc.high) << "]";
      md << " | " << fixed(r.effect->odds_ratio, 2) << " [" << fixed(r.effect->adjusted.low, 2) << ", "
         << fixed(r.effect->adjusted.high, 2) << "]";
    } else {
      md << "n/a | n/a";
    }
    md << " | " << thousands(r.buffer.total.before) << " → " << thousands(r.buffer.total.after) << " | "
       << spillover_text(r.spillover) << " | " << (r.wdq && r.wdq->wdq ? fixed(*r.wdq->wdq, 2) : "n/a")
       << (r.wdq && r.wdq->unstable ? " (unstable)" : "") << " | ";
    if (r.wdd) md << fixed(r.wdd->total.estimate, 1) << " (" << fixed(r.wdd->total.se, 1) << ")";
    else md << "n/a";
    md << " |\n";
  }
  md << "\n### What the numbers say\n\n";
  for (const auto& r : e.results) {
    const core::Intervention& iv = ivs[r.index];
    md << "- **" << iv.id << ", " << iv.name << "** (" << core::type_label(iv.type) << ", live "
       << (iv.start_day != core::kNoDay ? core::format_day(iv.start_day) : core::format_month(iv.start_month)) << "): ";
    if (!r.evaluated) {
      md << "not evaluated: " << r.reason << ".\n";
      continue;
    }
    const std::string what = r.all_categories ? "crime" : category_list(r, tax);
    md << what << " went from " << thousands(r.target.total.before) << " to " << thousands(r.target.total.after)
       << " in the target area";
    if (r.target.change_pct) md << " (" << signed_pct(*r.target.change_pct) << ")";
    md << " while the control went from " << thousands(r.control.total.before) << " to " << thousands(r.control.total.after);
    if (r.control.change_pct) md << " (" << signed_pct(*r.control.change_pct) << ")";
    md << ". ";
    if (r.effect) {
      const RelativeChange rc = relative(r.effect->adjusted);
      const auto& a = r.effect->adjusted;
      if (a.low > 1.0)
        md << "That is " << fewer_more(rc.pct) << " than the control's trend predicts (" << level << " CI "
           << fixed(-rc.high, 0) << "% to " << fixed(-rc.low, 0) << "% fewer; " << p_text(a.p) << "): a significant reduction.";
      else if (a.high < 1.0)
        md << "That is " << fewer_more(rc.pct) << " than the control's trend predicts (" << level << " CI "
           << fixed(rc.low, 0) << "% to " << fixed(rc.high, 0) << "% more; " << p_text(a.p) << "): a significant increase.";
      else
        md << "Against the control that is " << signed_pct(rc.pct) << ", which is not significant (" << level << " CI "
           << signed_pct(rc.low) << " to " << signed_pct(rc.high) << "; " << p_text(a.p) << "): no measurable effect.";
    } else {
      md << "No effect can be measured (see the warnings).";
    }
    if (r.buffer_effect) {
      md << " The buffer went from " << thousands(r.buffer.total.before) << " to " << thousands(r.buffer.total.after);
      switch (r.spillover) {
        case core::Spillover::displacement:
          md << ", rising significantly against the control: **displacement**";
          break;
        case core::Spillover::diffusion:
          md << ", falling significantly against the control: **diffusion of benefits**";
          break;
        default: md << ", no significant change against the control"; break;
      }
      md << " (buffer odds ratio " << fixed(r.buffer_effect->odds_ratio, 2) << ", " << level << " CI "
         << fixed(r.buffer_effect->adjusted.low, 2) << " to " << fixed(r.buffer_effect->adjusted.high, 2) << ").";
    }
    if (r.wdq) {
      md << " WDQ " << (r.wdq->wdq ? fixed(*r.wdq->wdq, 2) : "undefined") << ": " << core::describe(r.wdq->reading)
         << (r.wdq->unstable && r.wdq->reading != core::WdqReading::no_success ? " (unstable: the success measure is near 0)" : "")
         << "; total net effect " << fixed(r.wdq->total_net_effect, 1) << " crimes.";
    }
    if (r.wdd)
      md << " WDD " << fixed(r.wdd->total.estimate, 1) << " crimes (SE " << fixed(r.wdd->total.se, 1) << ", z "
         << fixed(r.wdd->z, 2) << "; local " << fixed(r.wdd->local.estimate, 1) << ", displacement "
         << fixed(r.wdd->displacement.estimate, 1) << ").";
    if (r.pre_trend)
      md << (r.pre_trend->p >= 1.0 - s.confidence ? " Pre-period trends were comparable (" : " **Pre-period trends differed** (")
         << p_text(r.pre_trend->p) << ").";
    md << "\n";
    for (const auto& w : r.warnings) md << "  - warning: " << w << "\n";
  }

  md << "\n### Pooled by scheme\n\n";
  md << "Inverse-variance pooling of the sites' log odds ratios (fixed effect, and DerSimonian-Laird random effects "
        "when sites differ). An odds ratio above 1 means crime fell in the targets relative to the control.\n\n";
  md << "| scheme | sites | target before → after | fixed effect OR [" << level << " CI] | random effects OR [" << level
     << " CI] | change against control | heterogeneity |\n|---|---:|---:|---|---|---|---|\n";
  auto pooled_row = [&](const core::SchemeResult& sr, const std::string& label) {
    md << "| " << label << " | " << sr.sites.size() << " of " << sr.interventions << " | " << thousands(sr.target.before)
       << " → " << thousands(sr.target.after) << " | ";
    if (!sr.adjusted) {
      md << "n/a | n/a | n/a | n/a |\n";
      return;
    }
    const auto& p = *sr.adjusted;
    const RelativeChange rc = relative(p.random);
    md << fixed(p.fixed.ratio, 2) << " [" << fixed(p.fixed.low, 2) << ", " << fixed(p.fixed.high, 2) << "] | "
       << fixed(p.random.ratio, 2) << " [" << fixed(p.random.low, 2) << ", " << fixed(p.random.high, 2) << "] | "
       << signed_pct(rc.pct) << " [" << signed_pct(rc.low) << ", " << signed_pct(rc.high) << "] | ";
    if (p.q_p) md << "Q " << fixed(p.q, 1) << " (df " << fixed(p.df, 0) << ", " << p_text(*p.q_p) << "), I² " << fixed(p.i2 * 100, 0) << "%";
    else md << "one site";
    md << " |\n";
  };
  for (const auto& sr : e.schemes) pooled_row(sr, sr.scheme);
  pooled_row(e.overall, "**all**");

  if (!e.overlaps.empty()) {
    md << "\n### Overlapping areas\n\nEach incident is counted once: targets before buffers, earlier go-live first.\n\n"
          "| counted for | area | overlaps | area | overlap (m²) | incidents in it |\n|---|---|---|---|---:|---:|\n";
    for (const auto& o : e.overlaps)
      md << "| " << ivs[o.first].id << " | " << core::role_name(o.first_role) << " | " << ivs[o.second].id << " | "
         << core::role_name(o.second_role) << " | " << thousands(static_cast<uint64_t>(std::llround(o.area_m2))) << " | "
         << thousands(o.shared_incidents) << " |\n";
  }
  if (!e.warnings.empty()) {
    md << "\n### Notes\n\n";
    for (const auto& w : e.warnings) md << "- " << w << "\n";
  }
  md << "\n### Method\n\n"
        "Relative effect size (Farrington & Welsh): OR = (a·d)/(b·c) for target before/after a, b and control "
        "before/after c, d; VAR(ln OR) = 1/a + 1/b + 1/c + 1/d for Poisson counts, widened for over-dispersion as above; "
        "a zero count adds 0.5 to every cell. Change against control = 1/OR − 1. Spill-over: the same odds ratio for the "
        "buffer against the control. WDQ (Bowers & Johnson 2003) = (B1/C1 − B0/C0) / (A1/C1 − A0/C0), read only when the "
        "target improved. WDD (Wheeler & Ratcliffe 2018) = (T1 − T0) − (C1 − C0) plus the same for the buffer, with "
        "Poisson variance, the control scaled to the target's size and the windows' lengths. The monthly "
        "difference-in-differences (Poisson, month effects) gives the same rate ratio as 1/OR and checks the Poisson "
        "assumption month by month; the pre-period trend test compares the target's and the control's trends before "
        "go-live. Outputs: `evaluation.json`, `evaluation.gpkg` (layers `evaluation_targets`, `evaluation_buffers`, "
        "`evaluation_controls`), `tables/evaluation_*.csv` (the monthly series for charts in "
        "`evaluation_monthly.csv`).\n";
  return md.str();
}

// [SECTION] CSV tables -----------------------------------------------------------

std::vector<fs::path> write_evaluation_tables(const core::Evaluation& e, std::span<const core::Intervention> ivs,
                                              const core::Taxonomy& tax, const fs::path& dir,
                                              std::span<const fs::path> inputs) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot create the folder: " + ec.message());
  std::vector<fs::path> written;
  auto opt = [](CsvWriter& w, const std::optional<double>& v, int decimals) {
    if (v && std::isfinite(*v)) w.field(*v, decimals);
    else w.empty_field();
  };
  {
    CsvWriter w(dir / "evaluation_interventions.csv", inputs);
    w.row({"id", "name", "type", "scheme", "status", "reason", "go_live", "before_from", "before_to", "after_from",
           "after_to", "months_before", "months_after", "categories", "target_before", "target_after",
           "target_change_pct", "buffer_before", "buffer_after", "buffer_change_pct", "control", "control_before",
           "control_after", "control_change_pct", "odds_ratio", "or_low", "or_high", "or_p", "or_low_poisson",
           "or_high_poisson", "or_p_poisson", "overdispersion", "dispersion_factor", "relative_change_pct",
           "buffer_odds_ratio", "buffer_or_low", "buffer_or_high", "spillover", "wdq", "success_measure",
           "buffer_measure", "total_net_effect", "wdq_reading", "wdq_unstable", "wdd", "wdd_se", "wdd_z", "wdd_p",
           "wdd_low", "wdd_high", "wdd_local", "wdd_local_se", "wdd_displacement", "wdd_displacement_se",
           "did_rate_ratio", "did_low", "did_high", "did_dispersion", "pre_trend_pct_per_month", "pre_trend_p",
           "target_km2", "buffer_km2", "control_km2", "warnings"});
    for (const auto& r : e.results) {
      const core::Intervention& iv = ivs[r.index];
      const auto& wd = r.windows;
      w.field(iv.id);
      w.field(iv.name);
      w.field(core::type_name(iv.type));
      w.field(r.scheme);
      w.field(r.evaluated ? "evaluated" : "not_evaluated");
      w.field(r.reason);
      w.field(core::format_month(iv.start_month));
      if (r.evaluated) {
        w.field(core::format_month(wd.before_first));
        w.field(core::format_month(wd.before_last));
        w.field(core::format_month(wd.after_first));
        w.field(core::format_month(wd.after_last));
        w.field(static_cast<int64_t>(wd.months_before));
        w.field(static_cast<int64_t>(wd.months_after));
      } else {
        for (int k = 0; k < 6; ++k) w.empty_field();
      }
      w.field(category_list(r, tax));
      for (const core::AreaCounts* a : {&r.target, &r.buffer}) {
        if (r.evaluated) {
          w.field(a->total.before);
          w.field(a->total.after);
        } else {
          w.empty_field();
          w.empty_field();
        }
        opt(w, a->change_pct, 1);
      }
      w.field(r.control_label);
      if (r.evaluated) {
        w.field(r.control.total.before);
        w.field(r.control.total.after);
      } else {
        w.empty_field();
        w.empty_field();
      }
      opt(w, r.control.change_pct, 1);
      if (r.effect) {
        w.field(r.effect->odds_ratio, 4);
        w.field(r.effect->adjusted.low, 4);
        w.field(r.effect->adjusted.high, 4);
        w.field(r.effect->adjusted.p, 6);
        w.field(r.effect->poisson.low, 4);
        w.field(r.effect->poisson.high, 4);
        w.field(r.effect->poisson.p, 6);
        w.field(core::overdispersion_name(r.dispersion_mode));
        w.field(r.dispersion, 3);
        w.field(relative(r.effect->adjusted).pct, 1);
      } else {
        for (int k = 0; k < 10; ++k) w.empty_field();
      }
      if (r.buffer_effect) {
        w.field(r.buffer_effect->odds_ratio, 4);
        w.field(r.buffer_effect->adjusted.low, 4);
        w.field(r.buffer_effect->adjusted.high, 4);
      } else {
        for (int k = 0; k < 3; ++k) w.empty_field();
      }
      w.field(core::spillover_name(r.spillover));
      if (r.wdq) {
        opt(w, r.wdq->wdq, 4);
        w.field(r.wdq->success_measure, 6);
        w.field(r.wdq->buffer_measure, 6);
        w.field(r.wdq->total_net_effect, 2);
        w.field(core::name(r.wdq->reading));
        w.field(r.wdq->unstable ? "yes" : "no");
      } else {
        for (int k = 0; k < 6; ++k) w.empty_field();
      }
      if (r.wdd) {
        w.field(r.wdd->total.estimate, 3);
        w.field(r.wdd->total.se, 3);
        w.field(r.wdd->z, 3);
        w.field(r.wdd->p, 6);
        w.field(r.wdd->low, 3);
        w.field(r.wdd->high, 3);
        w.field(r.wdd->local.estimate, 3);
        w.field(r.wdd->local.se, 3);
        w.field(r.wdd->displacement.estimate, 3);
        w.field(r.wdd->displacement.se, 3);
      } else {
        for (int k = 0; k < 10; ++k) w.empty_field();
      }
      if (r.did) {
        w.field(r.did->poisson.ratio, 4);
        w.field(r.did->quasi.low, 4);
        w.field(r.did->quasi.high, 4);
        opt(w, r.did->dispersion, 3);
      } else {
        for (int k = 0; k < 4; ++k) w.empty_field();
      }
      if (r.pre_trend) {
        w.field((std::exp(r.pre_trend->slope) - 1.0) * 100.0, 3);
        w.field(r.pre_trend->p, 6);
      } else {
        w.empty_field();
        w.empty_field();
      }
      w.field(r.target.area_m2 / 1e6, 6);
      w.field(r.buffer.area_m2 / 1e6, 6);
      w.field(r.control.area_m2 / 1e6, 6);
      std::string warnings;
      for (const auto& x : r.warnings) warnings += (warnings.empty() ? "" : "; ") + x;
      w.field(warnings);
      w.end_row();
    }
    w.commit();
    written.push_back(w.path());
  }
  {
    CsvWriter w(dir / "evaluation_schemes.csv", inputs);
    w.row({"scheme", "interventions", "sites", "target_before", "target_after", "buffer_before", "buffer_after",
           "fixed_or", "fixed_low", "fixed_high", "fixed_p", "random_or", "random_low", "random_high", "random_p", "tau2",
           "q", "q_df", "q_p", "i2", "fixed_or_poisson", "fixed_low_poisson", "fixed_high_poisson", "random_or_poisson",
           "random_low_poisson", "random_high_poisson"});
    auto row = [&](const core::SchemeResult& sr) {
      w.field(sr.scheme);
      w.field(static_cast<uint64_t>(sr.interventions));
      w.field(static_cast<uint64_t>(sr.sites.size()));
      w.field(sr.target.before);
      w.field(sr.target.after);
      w.field(sr.buffer.before);
      w.field(sr.buffer.after);
      if (sr.adjusted) {
        const auto& p = *sr.adjusted;
        for (const auto* ri : {&p.fixed, &p.random}) {
          w.field(ri->ratio, 4);
          w.field(ri->low, 4);
          w.field(ri->high, 4);
          w.field(ri->p, 6);
        }
        w.field(p.tau2, 6);
        w.field(p.q, 4);
        w.field(p.df, 0);
        opt(w, p.q_p, 6);
        w.field(p.i2, 4);
      } else {
        for (int k = 0; k < 13; ++k) w.empty_field();
      }
      if (sr.poisson) {
        for (const auto* ri : {&sr.poisson->fixed, &sr.poisson->random}) {
          w.field(ri->ratio, 4);
          w.field(ri->low, 4);
          w.field(ri->high, 4);
        }
      } else {
        for (int k = 0; k < 6; ++k) w.empty_field();
      }
      w.end_row();
    };
    for (const auto& sr : e.schemes) row(sr);
    row(e.overall);
    w.commit();
    written.push_back(w.path());
  }
  {
    CsvWriter w(dir / "evaluation_categories.csv", inputs);
    w.row({"id", "category", "area", "before", "after", "change_pct"});
    for (const auto& r : e.results) {
      if (!r.evaluated) continue;
      for (std::size_t k = 0; k < r.categories.size(); ++k)
        for (const auto& [label, a] : {std::pair<const char*, const core::AreaCounts*>{"target", &r.target},
                                       {"buffer", &r.buffer}, {"control", &r.control}}) {
          const auto& wc = a->by_category[k];
          if (r.all_categories && wc.before == 0 && wc.after == 0) continue;
          w.field(ivs[r.index].id);
          w.field(tax.get(r.categories[k]).name);
          w.field(label);
          w.field(wc.before);
          w.field(wc.after);
          if (wc.before > 0)
            w.field((static_cast<double>(wc.after) - static_cast<double>(wc.before)) / static_cast<double>(wc.before) * 100.0, 1);
          else
            w.empty_field();
          w.end_row();
        }
    }
    w.commit();
    written.push_back(w.path());
  }
  {
    CsvWriter w(dir / "evaluation_monthly.csv", inputs);
    w.row({"id", "month", "period", "target", "buffer", "control"});
    for (const auto& r : e.results) {
      if (!r.evaluated) continue;
      for (std::size_t m = 0; m < r.series_target.size(); ++m) {
        const core::MonthIndex month = r.series_first + static_cast<core::MonthIndex>(m);
        w.field(ivs[r.index].id);
        w.field(core::format_month(month));
        w.field(month <= r.windows.before_last ? "before" : month >= r.windows.after_first ? "after" : "implementation");
        w.field(static_cast<uint64_t>(r.series_target[m]));
        w.field(static_cast<uint64_t>(r.series_buffer[m]));
        w.field(static_cast<uint64_t>(r.series_control[m]));
        w.end_row();
      }
    }
    w.commit();
    written.push_back(w.path());
  }
  {
    CsvWriter w(dir / "evaluation_overlaps.csv", inputs);
    w.row({"counted_for", "counted_area", "overlaps", "overlapped_area", "overlap_m2", "shared_incidents"});
    for (const auto& o : e.overlaps) {
      w.field(ivs[o.first].id);
      w.field(core::role_name(o.first_role));
      w.field(ivs[o.second].id);
      w.field(core::role_name(o.second_role));
      w.field(o.area_m2, 1);
      w.field(o.shared_incidents);
      w.end_row();
    }
    w.commit();
    written.push_back(w.path());
  }
  return written;
}

// [SECTION] GeoPackage layers ----------------------------------------------------

std::vector<std::string> write_evaluation_layers(const core::Evaluation& e, std::span<const core::Intervention> ivs,
                                                 const core::ControlAreas& controls,
                                                 const core::EvaluationSettings& s, const fs::path& gpkg) {
  VectorWriter vw(gpkg);
  FeatureValues f;
  auto optional_real = [](const std::optional<double>& v) -> FieldValue {
    if (v && std::isfinite(*v)) return *v;
    return std::monostate{};
  };
  {
    auto& layer = vw.add_layer({"evaluation_targets", GeometryKind::multipolygon, core::kWorkingEpsg,
                                {{"id", FieldType::text}, {"name", FieldType::text}, {"type", FieldType::text},
                                 {"scheme", FieldType::text}, {"status", FieldType::text}, {"go_live", FieldType::text},
                                 {"before", FieldType::integer}, {"after", FieldType::integer},
                                 {"change_pct", FieldType::real}, {"odds_ratio", FieldType::real},
                                 {"or_low", FieldType::real}, {"or_high", FieldType::real}, {"or_p", FieldType::real},
                                 {"relative_change_pct", FieldType::real}, {"wdq", FieldType::real},
                                 {"wdd", FieldType::real}, {"wdd_se", FieldType::real}, {"area_km2", FieldType::real},
                                 {"reason", FieldType::text}}});
    for (const auto& r : e.results) {
      if (!r.has_areas) continue;
      const core::Intervention& iv = ivs[r.index];
      f.geometry = r.areas.target;
      f.values = {iv.id, iv.name, std::string(core::type_name(iv.type)), r.scheme,
                  std::string(r.evaluated ? "evaluated" : "not_evaluated"), core::format_month(iv.start_month)};
      if (r.evaluated) {
        f.values.emplace_back(static_cast<int64_t>(r.target.total.before));
        f.values.emplace_back(static_cast<int64_t>(r.target.total.after));
      } else {
        f.values.emplace_back(std::monostate{});
        f.values.emplace_back(std::monostate{});
      }
      f.values.push_back(optional_real(r.target.change_pct));
      if (r.effect) {
        f.values.emplace_back(r.effect->odds_ratio);
        f.values.emplace_back(r.effect->adjusted.low);
        f.values.emplace_back(r.effect->adjusted.high);
        f.values.emplace_back(r.effect->adjusted.p);
        f.values.emplace_back(relative(r.effect->adjusted).pct);
      } else {
        for (int k = 0; k < 5; ++k) f.values.emplace_back(std::monostate{});
      }
      f.values.push_back(optional_real(r.wdq ? r.wdq->wdq : std::nullopt));
      f.values.push_back(optional_real(r.wdd ? std::optional<double>(r.wdd->total.estimate) : std::nullopt));
      f.values.push_back(optional_real(r.wdd ? std::optional<double>(r.wdd->total.se) : std::nullopt));
      f.values.emplace_back(r.areas.target_m2 / 1e6);
      f.values.emplace_back(r.reason);
      layer.add(f);
    }
  }
  {
    auto& layer = vw.add_layer({"evaluation_buffers", GeometryKind::multipolygon, core::kWorkingEpsg,
                                {{"id", FieldType::text}, {"name", FieldType::text}, {"buffer_m", FieldType::real},
                                 {"before", FieldType::integer}, {"after", FieldType::integer},
                                 {"change_pct", FieldType::real}, {"buffer_odds_ratio", FieldType::real},
                                 {"or_low", FieldType::real}, {"or_high", FieldType::real},
                                 {"spillover", FieldType::text}, {"wdq", FieldType::real},
                                 {"wdq_reading", FieldType::text}, {"area_km2", FieldType::real}}});
    for (const auto& r : e.results) {
      if (!r.has_areas || r.areas.buffer.empty()) continue;
      const core::Intervention& iv = ivs[r.index];
      f.geometry = r.areas.buffer;
      f.values = {iv.id, iv.name, r.buffer_m};
      if (r.evaluated) {
        f.values.emplace_back(static_cast<int64_t>(r.buffer.total.before));
        f.values.emplace_back(static_cast<int64_t>(r.buffer.total.after));
      } else {
        f.values.emplace_back(std::monostate{});
        f.values.emplace_back(std::monostate{});
      }
      f.values.push_back(optional_real(r.buffer.change_pct));
      if (r.buffer_effect) {
        f.values.emplace_back(r.buffer_effect->odds_ratio);
        f.values.emplace_back(r.buffer_effect->adjusted.low);
        f.values.emplace_back(r.buffer_effect->adjusted.high);
      } else {
        for (int k = 0; k < 3; ++k) f.values.emplace_back(std::monostate{});
      }
      f.values.emplace_back(std::string(core::spillover_name(r.spillover)));
      f.values.push_back(optional_real(r.wdq ? r.wdq->wdq : std::nullopt));
      f.values.push_back(r.wdq ? FieldValue(std::string(core::name(r.wdq->reading))) : FieldValue(std::monostate{}));
      f.values.emplace_back(r.areas.buffer_m2 / 1e6);
      layer.add(f);
    }
  }
  {
    auto& layer = vw.add_layer({"evaluation_controls", GeometryKind::multipolygon, core::kWorkingEpsg,
                                {{"code", FieldType::text}, {"name", FieldType::text}, {"kind", FieldType::text},
                                 {"interventions", FieldType::text}, {"area_km2", FieldType::real}}});
    // Which interventions use each control geometry.
    std::map<std::string, std::string> users;
    auto use = [&](const std::string& key, const std::string& id) {
      std::string& list = users[key];
      list += (list.empty() ? "" : ",") + id;
    };
    for (const auto& r : e.results) {
      if (!r.evaluated) continue;
      const std::string& id = ivs[r.index].id;
      if (s.control == core::ControlKind::matched)
        for (uint32_t k : r.matched_cells) use(cat({"cell:", std::to_string(k)}), id);
      else if (s.control == core::ControlKind::polygons)
        for (const auto& code : ivs[r.index].control_codes.empty() ? std::vector<std::string>{"*"} : ivs[r.index].control_codes)
          use("polygon:" + code, id);
      else
        use("rest", id);
    }
    if (s.control == core::ControlKind::rest && controls.study_area) {
      for (const auto& a : controls.study_area->areas()) {
        f.geometry = a.geometry;
        f.values = {a.code, a.name, std::string("rest (targets and buffers excluded)"), users["rest"], a.area_m2 / 1e6};
        layer.add(f);
      }
    } else if (s.control == core::ControlKind::polygons && controls.polygons) {
      for (const auto& a : controls.polygons->areas()) {
        std::string list = users["polygon:" + a.code];
        const std::string all = users["polygon:*"];
        if (!all.empty()) list += (list.empty() ? "" : ",") + all;
        if (list.empty()) continue;
        f.geometry = a.geometry;
        f.values = {a.code, a.name, std::string("chosen polygon"), list, a.area_m2 / 1e6};
        layer.add(f);
      }
    } else if (s.control == core::ControlKind::matched) {
      for (std::size_t k = 0; k < e.cells.size(); ++k) {
        const auto& c = e.cells[k];
        core::Polygon square;
        boost::geometry::convert(c.box, square);
        f.geometry = core::MultiPolygon{square};
        const std::string code = cat({"E", std::to_string(static_cast<int64_t>(c.box.min_corner().x())), "N",
                                      std::to_string(static_cast<int64_t>(c.box.min_corner().y()))});
        f.values = {code, std::string(), std::string("matched cell"), users[cat({"cell:", std::to_string(k)})],
                    e.cell_m * e.cell_m / 1e6};
        layer.add(f);
      }
    }
  }
  vw.close();
  return vw.warnings();
}

}  // namespace hotspot::layers
