#include "core/evaluate/detail/site_measures.hpp"

#include <boost/geometry/algorithms/is_empty.hpp>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace bg = boost::geometry;

namespace hotspot::core::detail {

namespace {

std::string fixed(double v, int decimals) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(decimals);
  os << v;
  return os.str();
}

}  // namespace

void site_measures(InterventionResult& r, const EvaluationSettings& s) {
  const Windows& w = r.windows;
  const std::size_t len = r.series_target.size();
  // Panels: before and after months only.
  std::vector<double> pt, pb, pc;
  std::vector<uint8_t> pafter;
  for (std::size_t m = 0; m < len; ++m) {
    const MonthIndex month = w.before_first + static_cast<MonthIndex>(m);
    if (month > w.before_last && month < w.after_first) continue;
    pt.push_back(r.series_target[m]);
    pb.push_back(r.series_buffer[m]);
    pc.push_back(r.series_control[m]);
    pafter.push_back(month >= w.after_first ? 1 : 0);
  }
  if (auto d = did_panel(pt, pc, pafter, s.confidence)) r.did = std::move(d).value();
  const bool has_buffer = !bg::is_empty(r.areas.buffer);
  if (has_buffer)
    if (auto d = did_panel(pb, pc, pafter, s.confidence)) r.buffer_did = std::move(d).value();
  {
    const auto mb = static_cast<std::size_t>(w.months_before);
    const std::vector<double> tpre(pt.begin(), pt.begin() + static_cast<std::ptrdiff_t>(mb));
    const std::vector<double> cpre(pc.begin(), pc.begin() + static_cast<std::ptrdiff_t>(mb));
    auto trend = pre_trend(tpre, cpre, s.confidence);
    if (trend) {
      r.pre_trend = std::move(trend).value();
      if (r.pre_trend->p < 1.0 - s.confidence)
        r.warnings.push_back("pre-period trends differ (p = " + fixed(r.pre_trend->p, 3) + "): before go-live the "
                             "target changed by " + fixed((std::exp(r.pre_trend->slope) - 1.0) * 100.0, 1) +
                             "% a month against the control; the control may not be a fair counterfactual");
    } else {
      r.warnings.push_back("pre-period trend check not possible: " + trend.error().message);
    }
  }

  // Over-dispersion for a comparison, from its panel when asked.
  auto dispersion_for = [&](const std::optional<PanelDid>& panel, const char* what, double& phi,
                            OverdispersionMode& mode) -> Overdispersion {
    mode = s.overdispersion;
    phi = 1.0;
    switch (s.overdispersion) {
      case OverdispersionMode::none: return Overdispersion::none();
      case OverdispersionMode::farrington: return Overdispersion::farrington();
      case OverdispersionMode::fixed:
        phi = s.overdispersion_factor;
        return Overdispersion::factor(phi);
      case OverdispersionMode::monthly:
        if (panel && panel->dispersion && panel->df >= 4) {
          phi = std::max(1.0, *panel->dispersion);
          return Overdispersion::factor(phi);
        }
        r.warnings.push_back(std::string("over-dispersion of the ") + what +
                             " comparison could not be estimated from the monthly counts (" +
                             (panel ? std::to_string(panel->months_used) + " months with incidents"
                                    : std::string("a window with no incidents")) +
                             "); Farrington's D(N) = 0.0008 N + 1.2 is used instead");
        mode = OverdispersionMode::farrington;
        return Overdispersion::farrington();
    }
    return Overdispersion::none();
  };

  const TwoByTwo main{static_cast<double>(r.target.total.before), static_cast<double>(r.target.total.after),
                      static_cast<double>(r.control.total.before), static_cast<double>(r.control.total.after)};
  double phi = 1.0;
  OverdispersionMode mode = OverdispersionMode::none;
  const Overdispersion od = dispersion_for(r.did, "target", phi, mode);
  r.dispersion = phi;
  r.dispersion_mode = mode;
  if (auto e = odds_ratio(main, od, s.confidence)) {
    r.effect = std::move(e).value();
    if (r.effect->zero_corrected)
      r.warnings.push_back("odds ratio: a zero count, so 0.5 was added to every cell (Haldane-Anscombe); "
                           "the odds ratio and its interval are rough");
    else if (r.effect->small_counts)
      r.warnings.push_back("odds ratio: fewer than 5 incidents in a cell; the interval relies on a normal "
                           "approximation that is poor here: treat it as indicative only");
  } else {
    r.warnings.push_back("odds ratio: " + e.error().message);
  }
  if (has_buffer) {
    const TwoByTwo spill{static_cast<double>(r.buffer.total.before), static_cast<double>(r.buffer.total.after),
                         static_cast<double>(r.control.total.before), static_cast<double>(r.control.total.after)};
    double bphi = 1.0;
    OverdispersionMode bmode = OverdispersionMode::none;
    const Overdispersion bod = dispersion_for(r.buffer_did, "buffer", bphi, bmode);
    if (auto e = odds_ratio(spill, bod, s.confidence)) {
      r.buffer_effect = std::move(e).value();
      // The buffer vs control odds ratio is < 1 when the buffer rose against the control.
      if (r.buffer_effect->adjusted.high < 1.0) r.spillover = Spillover::displacement;
      else if (r.buffer_effect->adjusted.low > 1.0) r.spillover = Spillover::diffusion;
      else r.spillover = Spillover::none;
    } else {
      r.warnings.push_back("buffer comparison: " + e.error().message);
    }
  }
  if (auto q = wdq({main.treated_before, main.treated_after, static_cast<double>(r.buffer.total.before),
                    static_cast<double>(r.buffer.total.after), main.control_before, main.control_after})) {
    r.wdq = std::move(q).value();
    if (r.wdq->unstable && r.wdq->reading != WdqReading::no_success)
      r.warnings.push_back("WDQ is unstable: the target moved less than 10% against the control (success "
                           "measure near 0), so the quotient mostly reflects noise");
  } else {
    r.warnings.push_back("WDQ: " + q.error().message);
  }
  {
    WddCounts c;
    c.treated_before = main.treated_before;
    c.treated_after = main.treated_after;
    c.control_before = main.control_before;
    c.control_after = main.control_after;
    c.disp_before = static_cast<double>(r.buffer.total.before);
    c.disp_after = static_cast<double>(r.buffer.total.after);
    c.shared_control = true;
    WddWeights wt;
    wt.time_before = static_cast<double>(w.months_before) / static_cast<double>(w.months_after);
    wt.time_after = 1.0;
    bool weights_ok = true;
    if (s.wdd_area_weights) {
      if (r.target.area_m2 > 0 && r.control.area_m2 > 0) {
        wt.area_control = r.control.area_m2 / r.target.area_m2;
        wt.area_disp_control = r.buffer.area_m2 > 0 ? r.control.area_m2 / r.buffer.area_m2 : 1.0;
      } else {
        weights_ok = false;
      }
    }
    if (!weights_ok) {
      r.warnings.push_back("WDD: an area is zero, so its density weights cannot be formed; WDD is not reported");
    } else {
      r.wdd = wdd(c, wt, s.confidence);
      if (r.wdd->total.se == 0.0) {
        r.wdd.reset();
        r.warnings.push_back("WDD: no incidents in any window: the test has no variance");
      }
    }
  }
}

}  // namespace hotspot::core::detail
