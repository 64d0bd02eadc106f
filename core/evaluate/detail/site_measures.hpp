#pragma once
// Internal to the evaluation engine: the measures of one intervention from its window
// counts and monthly series (core/evaluate/evaluation.hpp "Measures per intervention").

#include "core/evaluate/evaluation.hpp"

namespace hotspot::core::detail {

// Fills r.did, r.buffer_did, r.pre_trend, r.effect, r.buffer_effect, r.spillover,
// r.wdq, r.wdd, r.dispersion(_mode) and appends warnings. Requires: r.evaluated, its
// counts, areas and series filled.
void site_measures(InterventionResult& r, const EvaluationSettings& s);

}  // namespace hotspot::core::detail
