#pragma once
// Did crime move next door, or did the benefit spread? Two measures over the
// treated area A, its buffer B (the displacement catchment) and a control area C,
// each counted before (0) and after (1) the intervention.
//
// Weighted Displacement Quotient, Bowers & Johnson (2003), J Quant Criminol 19(3):275-301
// (research/peers.md 2.9):
//   success measure  SM  = A1/C1 - A0/C0     (< 0: the target improved against control)
//   buffer measure   BM  = B1/C1 - B0/C0     (> 0: the buffer worsened: displacement)
//   WDQ = BM / SM
//   total net effect TNE = [A0 (C1/C0) - A1] + [B0 (C1/C0) - B1]
//                    (crimes prevented in target plus buffer against the control's
//                    trend; negative = net harm)
// Reading (only when SM < 0; otherwise the scheme shows no success and WDQ is not
// interpreted): WDQ > 1 diffusion of benefits larger than the direct effect;
// 0 < WDQ <= 1 diffusion of benefits; |WDQ| below 0.1 no spill-over to speak of;
// -1 <= WDQ < 0 displacement smaller than the direct gain; WDQ < -1 displacement
// exceeds the gain (net harm). WDQ has no sampling distribution: it is UNSTABLE when
// SM is near 0 (small denominators swing it wildly). We flag it when |SM| is below 10%
// of the target's baseline ratio A0/C0, i.e. the target moved less than 10% against
// the control. No peer ships an interval for WDQ; use the WDD test for inference.
// [V: the formula and a hand-computed example (A0=100, A1=50, B0=100, B1=150,
// C=100 -> WDQ = -1); TNE and the "< -1 net harm" band are [L].]
//
// Weighted Displacement Difference test, Wheeler & Ratcliffe (2018), Crime Science 7(1)
// (research/peers.md 2.11), a difference in differences on counts:
//   WDD_local = (T1 - T0) - (Ct1 - Ct0)   Var = T1 + T0 + Ct1 + Ct0     (Poisson)
//   WDD_disp  = (D1 - D0) - (Cd1 - Cd0)   Var = D1 + D0 + Cd1 + Cd0
//   WDD_total = WDD_local + WDD_disp;  Z = WDD_total / sqrt(Var_total); CI at `confidence`
// Weights (ptools::wdd): each count is divided by its time weight x area weight and its
// variance by the square of that. The paper's example
//   wdd(control = (308, 318), treated = (207, 110), disp_control = (150, 140),
//       disp_treated = (178, 157)) -> -118, SE sqrt(1568), Z -2.98
// is a regression test. Negative = fewer crimes than the control's change predicts.
// Extension (`shared_control`): the displacement area is compared with the SAME control
// counts as the treated area (e.g. the rest of a district serves both). The estimate
// is the same expression; the variance adds the control's coefficients before squaring
// (the two terms are not independent), which is what Var(sum of Poisson counts x
// coefficients) gives.

#include <optional>

#include "core/base/result.hpp"
#include "core/evaluate/effect_size.hpp"  // EffectError

namespace hotspot::core {

struct WdqCounts {
  double target_before = 0, target_after = 0;    // A0, A1
  double buffer_before = 0, buffer_after = 0;    // B0, B1
  double control_before = 0, control_after = 0;  // C0, C1
};

enum class WdqReading : uint8_t {
  no_success,                  // SM >= 0: WDQ not interpreted
  diffusion_exceeds_direct,    // WDQ > 1
  diffusion,                   // 0.1 <= WDQ <= 1
  no_spillover,                // |WDQ| < 0.1
  displacement,                // -1 <= WDQ <= -0.1: displacement smaller than the gain
  displacement_exceeds_gain,   // WDQ < -1: net harm
};
const char* describe(WdqReading r);
const char* name(WdqReading r);  // "diffusion", "displacement", ... (machine name)

struct Wdq {
  double success_measure = 0;  // SM
  double buffer_measure = 0;   // BM
  std::optional<double> wdq;   // BM / SM; none when SM == 0
  double total_net_effect = 0; // TNE, crimes
  WdqReading reading = WdqReading::no_success;
  bool unstable = false;       // |SM| < 10% of A0/C0 (or SM == 0)
};

// Fails (EffectError::no_control_incidents) when C0 or C1 is 0: every ratio divides by them.
Result<Wdq, EffectError> wdq(const WdqCounts& counts);

struct WddCounts {
  double treated_before = 0, treated_after = 0;            // T0, T1
  double control_before = 0, control_after = 0;            // Ct0, Ct1
  double disp_before = 0, disp_after = 0;                  // D0, D1 (the buffer)
  double disp_control_before = 0, disp_control_after = 0;  // Cd0, Cd1 (ignored when shared)
  bool shared_control = false;  // the displacement control is the control itself
};

struct WddWeights {
  double time_before = 1, time_after = 1;
  // control, treated, displacement control, displacement treated (ptools' order)
  double area_control = 1, area_treated = 1, area_disp_control = 1, area_disp = 1;
};

struct WddTerm {
  double estimate = 0;
  double se = 0;
};

struct Wdd {
  WddTerm local, displacement, total;
  double z = 0;  // total / se; 0 when se == 0
  double p = 1;
  double low = 0, high = 0;  // total -+ critical_z(confidence) se
  double confidence = 0.95;
};

// Requires: every weight > 0; counts >= 0; 0 < confidence < 1.
Wdd wdd(const WddCounts& counts, const WddWeights& weights = {}, double confidence = 0.90);

}  // namespace hotspot::core
