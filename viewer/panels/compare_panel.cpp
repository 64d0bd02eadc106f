// Compare before and after: the target (a selected feature, an intervention, or an
// area drawn on the map), the go-live month and the windows either side, how the maps
// show it (side by side, or the difference), and the numbers: the evaluation, counts
// from core aggregation (what the maps show), and the monthly chart with go-live marked.
// The evaluation (odds ratio with CI, WDQ, WDD) is core/evaluate's, computed in
// process for the target and settings shown (compare_evaluation), plus the study's
// published result from evaluation.json when the target is one of its interventions.
#include <cmath>

#include "viewer/panels/panels.hpp"

namespace hotspot::viewer {

namespace {

std::string pct(std::optional<double> v) {
  if (!v) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", *v);
  return buf;
}

std::string num(std::optional<double> v, int decimals = 2) {
  if (!v) return "\u2013";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  return buf;
}

std::string target_name(const AppState& s) {
  if (s.compare.drawn.size() >= 3) return "Drawn area (" + std::to_string(s.compare.drawn.size()) + " vertices)";
  const Layer* l = find_layer(s, s.compare.target_layer);
  if (l == nullptr) return "no target";
  return l->feature_title(s.compare.target_feature) + " (" + l->name + ")";
}

void counts_table(const BeforeAfterCounts& c) {
  if (!ImGui::BeginTable("ba", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp))
    return;
  ImGui::TableSetupColumn("Area", ImGuiTableColumnFlags_WidthStretch, 1.6f);
  ImGui::TableSetupColumn("Before");
  ImGui::TableSetupColumn("After");
  ImGui::TableSetupColumn("Change");
  ImGui::TableSetupColumn("%");
  ImGui::TableHeadersRow();
  auto row = [](const char* name, const WindowPair& w) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(name);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(format_number(static_cast<double>(w.before), true).c_str());
    ImGui::TableSetColumnIndex(2);
    ImGui::TextUnformatted(format_number(static_cast<double>(w.after), true).c_str());
    ImGui::TableSetColumnIndex(3);
    const double d = static_cast<double>(w.after) - static_cast<double>(w.before);
    std::string change(d > 0 ? "+" : "");
    change += format_number(d, true);
    ImGui::TextUnformatted(change.c_str());
    ImGui::TableSetColumnIndex(4);
    ImGui::TextUnformatted(pct(w.percent_change()).c_str());
  };
  row("Target", c.target);
  row("Buffer ring", c.buffer);
  row("Rest of area", c.rest);
  ImGui::EndTable();
}

void evaluation_block(const EvaluationRecord& r, const Theme& theme, const char* heading) {
  ImGui::PushFont(theme.bold);
  ImGui::TextUnformatted(heading);
  ImGui::PopFont();
  if (!r.evaluated) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.55f, 0.35f, 0.0f, 1.0f));
    ImGui::TextWrapped("Not evaluated: %s", r.reason.c_str());
    ImGui::PopStyleColor();
    return;
  }
  if (r.odds_ratio) {
    ImGui::Text("Odds ratio %s  (%.0f%% CI %s to %s%s)", num(r.odds_ratio, 2).c_str(), r.confidence * 100,
                num(r.odds_ratio_low, 2).c_str(), num(r.odds_ratio_high, 2).c_str(),
                r.odds_ratio_p ? (", p " + num(r.odds_ratio_p, 3)).c_str() : "");
    const bool significant = r.odds_ratio_low && r.odds_ratio_high && (*r.odds_ratio_low > 1 || *r.odds_ratio_high < 1);
    if (r.relative_change_pct)
      ImGui::TextWrapped("Target vs control: %s relative change%s", pct(r.relative_change_pct).c_str(),
                         significant ? " (the CI excludes 1)" : " (the CI includes 1: not significant)");
    ImGui::TextDisabled("OR > 1: the target improved relative to the control");
  }
  if (r.wdq)
    ImGui::TextWrapped("WDQ %s%s%s", num(r.wdq, 2).c_str(), r.wdq_reading.empty() ? "" : ": ", r.wdq_reading.c_str());
  else if (!r.wdq_reading.empty())
    ImGui::TextWrapped("WDQ: %s", r.wdq_reading.c_str());
  if (r.wdd_estimate)
    ImGui::Text("WDD %s (SE %s, z %s)", num(r.wdd_estimate, 1).c_str(), num(r.wdd_se, 1).c_str(), num(r.wdd_z, 2).c_str());
  if (!r.spillover.empty() && r.spillover != "not_assessed") ImGui::TextDisabled("Buffer ring: %s", r.spillover.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  if (!r.control_label.empty())
    ImGui::TextWrapped("Control: %s (%s before, %s after)", r.control_label.c_str(),
                        r.control_before ? format_number(static_cast<double>(*r.control_before), true).c_str() : "\u2013",
                        r.control_after ? format_number(static_cast<double>(*r.control_after), true).c_str() : "\u2013");
  if (!r.dispersion.empty()) ImGui::TextWrapped("Over-dispersion: %s", r.dispersion.c_str());
  for (const auto& w : r.warnings) ImGui::TextWrapped("Note: %s", w.c_str());
  ImGui::PopStyleColor();
  ImGui::Spacing();
}

}  // namespace

void draw_compare_panel(AppState& s, const Theme& theme) {
  CompareState& c = s.compare;
  bool changed = false;
  ImGui::PushFont(theme.bold);
  ImGui::TextUnformatted("Before and after");
  ImGui::PopFont();
  int mode = static_cast<int>(c.mode);
  changed |= ImGui::RadioButton("Off", &mode, 0);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("Side by side", &mode, 1);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("Swipe", &mode, 3);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("Difference", &mode, 2);
  c.mode = static_cast<CompareMode>(mode);

  ImGui::Separator();
  ImGui::TextDisabled("Target");
  ImGui::TextWrapped("%s", target_name(s).c_str());
  if (ImGui::Button("Use selection") && !s.selection.features.empty()) {
    compare_feature(s, s.selection.layer, s.selection.features.front());
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The selected area, cell or intervention becomes the target");
  ImGui::SameLine();
  if (ImGui::Button(c.drawing ? "Drawing\u2026 (Enter ends)" : "Draw area")) {
    c.drawn.clear();
    c.drawing = true;
    c.target_layer = kNoLayer;
    changed = true;
  }
  if (s.incidents) {
    const MonthRange period = s.incidents->period;
    int go = c.go_live;
    ImGui::SetNextItemWidth(-110);
    if (ImGui::SliderInt("Go-live", &go, period.first + 1, period.last, month_label(go).c_str())) {
      c.go_live = go;
      changed = true;
    }
    ImGui::SetNextItemWidth(-110);
    changed |= ImGui::SliderInt("Months before", &c.before_months, 1, 36);
    ImGui::SetNextItemWidth(-110);
    changed |= ImGui::SliderInt("Months after", &c.after_months, 1, 36);
    ImGui::SetNextItemWidth(-110);
    changed |= ImGui::SliderInt("Left out", &c.implementation_months, 0, 12, "%d months");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Implementation months from go-live, left out of both windows' counts");
    float buf = static_cast<float>(c.buffer_m), rad = static_cast<float>(c.radius_m);
    ImGui::SetNextItemWidth(-110);
    if (ImGui::SliderFloat("Buffer ring m", &buf, 0, 1000, "%.0f")) {
      c.buffer_m = buf;
      changed = true;
    }
    const Layer* tl = find_layer(s, c.target_layer);
    if (tl && tl->is_point()) {
      ImGui::SetNextItemWidth(-110);
      if (ImGui::SliderFloat("Target radius m", &rad, 25, 1000, "%.0f")) {
        c.radius_m = rad;
        changed = true;
      }
    }
  }
  if (changed) ++c.version;
  if (!c.has_target()) {
    ImGui::Spacing();
    ImGui::TextWrapped("Choose a target: select an area or an intervention and press \"Use selection\" "
                       "(or \"Compare before/after\" in the inspector), or draw an area on the map.");
    return;
  }
  ImGui::Separator();
  ImGui::TextDisabled("Before  %s", format_month_range(c.before()).c_str());
  ImGui::TextDisabled("After   %s", format_month_range(c.after()).c_str());
  if (s.evaluation && s.evaluation->settings) {
    const auto& st = *s.evaluation->settings;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Statistics as the study: %s over-dispersion, %.0f%% intervals",
                       core::overdispersion_name(st.overdispersion), st.confidence * 100);
    ImGui::PopStyleColor();
    if (!s.evaluation->control.empty() && s.evaluation->control != "rest")
      ImGui::TextWrapped("The study's evaluation compares with %s; here the control is the rest of the study area.",
                         s.evaluation->control_description.empty() ? s.evaluation->control.c_str()
                                                                   : s.evaluation->control_description.c_str());
  } else {
    ImGui::TextDisabled("Statistics: core defaults (no evaluation.json settings)");
  }

  // 1. core/evaluate for this target and these settings (in process), and the
  //    study's published result from evaluation.json when the target is one of its
  //    interventions.
  const auto& live = compare_evaluation(s);
  if (live) evaluation_block(*live, theme, "Evaluation (core/evaluate, these settings)");
  if (const EvaluationRecord* rec = compare_published_evaluation(s))
    evaluation_block(*rec, theme, "As published (evaluation.json, study settings)");

  // 2. Counts from core aggregation (always shown; they are what the maps show).
  const auto& counts = compare_counts(s);
  if (!counts) return;
  ImGui::PushFont(theme.bold);
  ImGui::TextUnformatted("Incident counts (core aggregation)");
  ImGui::PopFont();
  counts_table(*counts);
  if (counts->before_clipped || counts->after_clipped)
    ImGui::TextColored(ImVec4(0.7f, 0.3f, 0.0f, 1), "The data do not cover the whole %s window.",
                       counts->before_clipped ? "before" : "after");
  ImGui::TextDisabled("Target %.2f km\u00b2, buffer ring %.2f km\u00b2 (%s m)", counts->target_area_km2,
                      counts->buffer_area_km2, format_number(c.buffer_m, true).c_str());
  ImGui::Spacing();
  ImGui::TextDisabled("Per month: target (blue), buffer ring (orange)");
  draw_month_bars("compare_months", counts->monthly_target, counts->chart, c.after(),
                  c.go_live, ImVec2(ImGui::GetContentRegionAvail().x, 110), theme, &counts->monthly_buffer);
}

}  // namespace hotspot::viewer
