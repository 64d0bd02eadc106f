#include "core/evaluate/displacement.hpp"

#include <cmath>

#include "core/base/assert.hpp"
#include "core/evaluate/distributions.hpp"

namespace hotspot::core {

const char* describe(WdqReading r) {
  switch (r) {
    case WdqReading::no_success:
      return "the target did not improve against the control (success measure >= 0): WDQ is not interpreted";
    case WdqReading::diffusion_exceeds_direct:
      return "diffusion of benefits larger than the direct effect (WDQ > 1)";
    case WdqReading::diffusion: return "diffusion of benefits into the buffer (0 < WDQ <= 1)";
    case WdqReading::no_spillover: return "no spill-over to speak of (WDQ near 0)";
    case WdqReading::displacement: return "some displacement, smaller than the direct gain (-1 <= WDQ < 0)";
    case WdqReading::displacement_exceeds_gain:
      return "displacement exceeds the direct gain (WDQ < -1): net harm";
  }
  return "unknown";
}

const char* name(WdqReading r) {
  switch (r) {
    case WdqReading::no_success: return "no_success";
    case WdqReading::diffusion_exceeds_direct: return "diffusion_exceeds_direct";
    case WdqReading::diffusion: return "diffusion";
    case WdqReading::no_spillover: return "no_spillover";
    case WdqReading::displacement: return "displacement";
    case WdqReading::displacement_exceeds_gain: return "displacement_exceeds_gain";
  }
  return "unknown";
}

Result<Wdq, EffectError> wdq(const WdqCounts& n) {
  if (n.control_before <= 0.0 || n.control_after <= 0.0)
    return Result<Wdq, EffectError>::failure(
        EffectError::no_control_incidents,
        "the control area has no incidents in the before or the after window: WDQ divides by both");
  Wdq w;
  const double c0 = n.control_before, c1 = n.control_after;
  w.success_measure = n.target_after / c1 - n.target_before / c0;
  w.buffer_measure = n.buffer_after / c1 - n.buffer_before / c0;
  const double trend = c1 / c0;
  w.total_net_effect = (n.target_before * trend - n.target_after) + (n.buffer_before * trend - n.buffer_after);
  const double baseline = n.target_before / c0;
  w.unstable = w.success_measure == 0.0 || std::fabs(w.success_measure) < 0.1 * baseline;
  if (w.success_measure != 0.0) w.wdq = w.buffer_measure / w.success_measure;
  if (w.success_measure >= 0.0) {
    w.reading = WdqReading::no_success;
  } else {
    const double q = *w.wdq;
    if (q > 1.0) w.reading = WdqReading::diffusion_exceeds_direct;
    else if (q >= 0.1) w.reading = WdqReading::diffusion;
    else if (q > -0.1) w.reading = WdqReading::no_spillover;
    else if (q >= -1.0) w.reading = WdqReading::displacement;
    else w.reading = WdqReading::displacement_exceeds_gain;
  }
  return w;
}

Wdd wdd(const WddCounts& n, const WddWeights& w, double confidence) {
  HOTSPOT_ASSERT(w.time_before > 0 && w.time_after > 0 && w.area_control > 0 && w.area_treated > 0 &&
                 w.area_disp_control > 0 && w.area_disp > 0);
  // Coefficient of each count: estimate = sum k_i N_i, variance = sum k_i^2 N_i.
  const double kt0 = -1.0 / (w.time_before * w.area_treated), kt1 = 1.0 / (w.time_after * w.area_treated);
  const double kc0 = 1.0 / (w.time_before * w.area_control), kc1 = -1.0 / (w.time_after * w.area_control);
  const double kd0 = -1.0 / (w.time_before * w.area_disp), kd1 = 1.0 / (w.time_after * w.area_disp);
  const double kdc0 = 1.0 / (w.time_before * w.area_disp_control),
               kdc1 = -1.0 / (w.time_after * w.area_disp_control);
  Wdd r;
  r.confidence = confidence;
  r.local.estimate = kt0 * n.treated_before + kt1 * n.treated_after + kc0 * n.control_before + kc1 * n.control_after;
  const double var_local = kt0 * kt0 * n.treated_before + kt1 * kt1 * n.treated_after +
                           kc0 * kc0 * n.control_before + kc1 * kc1 * n.control_after;
  const double dc0 = n.shared_control ? n.control_before : n.disp_control_before;
  const double dc1 = n.shared_control ? n.control_after : n.disp_control_after;
  r.displacement.estimate = kd0 * n.disp_before + kd1 * n.disp_after + kdc0 * dc0 + kdc1 * dc1;
  const double var_disp = kd0 * kd0 * n.disp_before + kd1 * kd1 * n.disp_after + kdc0 * kdc0 * dc0 + kdc1 * kdc1 * dc1;
  r.local.se = std::sqrt(var_local);
  r.displacement.se = std::sqrt(var_disp);
  r.total.estimate = r.local.estimate + r.displacement.estimate;
  double var_total = var_local + var_disp;
  if (n.shared_control) {
    // The control counts appear in both terms: (kc + kdc)^2 C instead of (kc^2 + kdc^2) C.
    var_total = kt0 * kt0 * n.treated_before + kt1 * kt1 * n.treated_after + kd0 * kd0 * n.disp_before +
                kd1 * kd1 * n.disp_after + (kc0 + kdc0) * (kc0 + kdc0) * n.control_before +
                (kc1 + kdc1) * (kc1 + kdc1) * n.control_after;
  }
  r.total.se = std::sqrt(var_total);
  const double zc = critical_z(confidence);
  r.low = r.total.estimate - zc * r.total.se;
  r.high = r.total.estimate + zc * r.total.se;
  if (r.total.se > 0.0) {
    r.z = r.total.estimate / r.total.se;
    r.p = two_sided_p(r.z);
  }
  return r;
}

}  // namespace hotspot::core
