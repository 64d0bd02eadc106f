#pragma once
// Local and global spatial statistics on one value per feature (cell, polygon,
// point) with a Weights matrix: Getis-Ord Gi*, Anselin's local Moran's I, global
// Moran's I, conditional permutation pseudo p-values, Benjamini-Hochberg FDR and
// ArcGIS's confidence bins.
//
//   Weights w = Weights::grid_distance_band(grid, 250);
//   GiStar g = gistar(counts, w).value();                 // z, p (two-sided normal)
//   PermutationResult perm = permute_lags(counts, w, {.permutations = 999, .seed = 7});
//   std::vector<double> q = fdr_adjust(g.p);              // BH-adjusted p
//   std::vector<int8_t> bin = confidence_bins(g.z, q);     // ArcGIS Gi_Bin, -3..3
//
// Conventions (DESIGN.md "Numbers we must agree with"; tests pin each one):
// Gi* (Getis & Ord 1992, Ord & Getis 1995), exactly spdep::localG on
//   include.self() weights: mean over all n values, POPULATION variance
//   S^2 = sum (x - mean)^2 / n, w_ii = self_weight (1), and
//   z_i = (sum_j w_ij x_j - W_i mean) / (S sqrt((n S1_i - W_i^2) / (n - 1)))
//   with W_i = sum_j w_ij, S1_i = sum_j w_ij^2 (self included). z is G*_i's own
//   standard score (what ArcGIS calls GiZScore); p = 2 (1 - Phi(|z|)).
// Local Moran (Anselin 1995), exactly spdep::localmoran (mlvar = TRUE):
//   z_i = x_i - mean, m2 = sum z^2 / n (population), I_i = z_i / m2 sum_j w_ij z_j;
//   conditional randomisation (spdep >= 1.1 default):
//     E[I_i] = -z_i^2 W_i / ((n - 1) m2),
//     Var[I_i] = (z_i / m2)^2 n / (n - 2) (W2_i - W_i^2 / (n - 1)) (m2 - z_i^2 / (n - 1));
//   total randomisation (Anselin 1995, spdep conditional = FALSE):
//     E[I_i] = -W_i / (n - 1), b2 = (sum z^4 / n) / m2^2,
//     Var[I_i] = W2_i (n - b2) / (n - 1) + (W_i^2 - W2_i)(2 b2 - n) / ((n - 1)(n - 2)) - E[I_i]^2.
//   PySAL/GeoDa/ArcGIS use the sample variance (n - 1) in I_i: their I_i are ours
//   times (n - 1) / n; z-scores under total randomisation agree.
// Global Moran (Cliff & Ord), exactly spdep::moran.test(randomisation = TRUE):
//   I = n / S0 sum_i z_i lag_i / sum z^2, E[I] = -1 / (n - 1), K = n sum z^4 / (sum z^2)^2,
//   Var[I] = (n (S1 (n^2 - 3n + 3) - n S2 + 3 S0^2) - K (S1 (n^2 - n) - 2 n S2 + 6 S0^2))
//            / ((n - 1)(n - 2)(n - 3) S0^2) - E[I]^2; n counts features with neighbours.
//   p is two-sided (ArcGIS); p_greater is spdep's default alternative.
// Permutations (conditional randomisation, Anselin 1995): each feature's own value
//   is held and its neighbours' values are drawn WITHOUT replacement from the other
//   n - 1 (spdep >= 1.2 draws with replacement; esda and GeoDa without). Gi* and
//   local Moran are monotone in the lag sum_j w_ij x_j for a fixed i, so one lag
//   permutation serves both. p_sim is two-sided:
//   min(1, 2 (min(#{L >= L_obs}, #{L <= L_obs}) + 1) / (R + 1)); spdep's
//   "Pr(folded) Sim" and esda's p_sim are half of it (one folded tail).
// FDR: Benjamini-Hochberg adjusted p (R's p.adjust "BH"); BH rejects at level a
//   exactly the features with adjusted p <= a, so ArcGIS's three FDR passes
//   (90/95/99 %) are bins from the adjusted p.
// Islands (no neighbours): Gi* is the self-only standard score (as spdep); local
//   Moran's I, E and Var are 0 and z, p are NaN (as spdep with zero.policy);
//   global Moran leaves them out of n; p_sim is NaN. Every result lists them in
//   `islands` and callers report them; they are excluded from FDR.

#include <cstdint>
#include <span>
#include <vector>

#include "core/base/result.hpp"
#include "core/stats/weights.hpp"

namespace hotspot::core {

enum class StatsError : uint8_t {
  size_mismatch,  // values and weights differ in length
  too_few,        // fewer than 3 values (4 for global Moran)
  not_finite,     // a value is NaN or infinite
  zero_variance,  // every value is the same: no statistic is defined
  no_neighbours,  // global Moran: no feature has a neighbour
};
const char* describe(StatsError e);

// Two-sided normal p-value 2 (1 - Phi(|z|)); NaN for NaN.
double normal_p_two_sided(double z);
// Upper tail 1 - Phi(z).
double normal_p_upper(double z);

struct GiStarOptions {
  double self_weight = 1.0;  // w_ii (ArcGIS and spdep::include.self use 1)
};

struct GiStar {
  std::vector<double> z, p;  // standard score and two-sided normal p
  std::vector<double> g;     // G*_i = (sum_j w_ij x_j + w_ii x_i) / sum x (NaN if sum x = 0)
  double mean = 0, sd = 0;   // of the values; sd is the population SD
  std::vector<uint32_t> islands;
  std::vector<uint32_t> degenerate;  // n S1_i = W_i^2 (every feature a neighbour): z = 0, p = 1
};
Result<GiStar, StatsError> gistar(std::span<const double> x, const Weights& w, const GiStarOptions& options = {});

enum class MoranVariance : uint8_t { conditional, total };
struct LocalMoranOptions {
  MoranVariance variance = MoranVariance::conditional;
};
// Anselin's quadrants of z_i and its lag (spdep's "pysal" quadrants): z <= 0 is Low.
enum class Quadrant : uint8_t { HH, LL, HL, LH };
const char* quadrant_name(Quadrant q);

struct LocalMoran {
  std::vector<double> I, E_I, var_I, z, p;
  std::vector<Quadrant> quadrant;
  double mean = 0, m2 = 0;  // m2: population variance
  std::vector<uint32_t> islands;
};
Result<LocalMoran, StatsError> local_moran(std::span<const double> x, const Weights& w,
                                           const LocalMoranOptions& options = {});

struct GlobalMoran {
  double I = 0, expected = 0, variance = 0, z = 0;
  double p = 1, p_greater = 1;  // two-sided; upper tail (spdep's default)
  double kurtosis = 0;          // K
  WeightsConstants constants;
  std::vector<uint32_t> islands;
};
// randomisation = false: the normality assumption (spdep randomisation = FALSE).
Result<GlobalMoran, StatsError> global_moran(std::span<const double> x, const Weights& w, bool randomisation = true);

struct PermutationOptions {
  unsigned permutations = 999;  // 99 .. 9999 is usual
  uint64_t seed = 1;
  unsigned threads = 0;  // 0 = all cores; the result does not depend on it
};
struct PermutationResult {
  unsigned permutations = 0;
  std::vector<uint32_t> greater_equal;  // #{permuted lag >= observed lag}
  std::vector<uint32_t> less_equal;     // #{permuted lag <= observed lag}
  std::vector<double> p_sim;            // two-sided (see above); NaN for islands
};
// Requires: x.size() == w.size(), options.permutations >= 1, every value finite.
PermutationResult permute_lags(std::span<const double> x, const Weights& w, const PermutationOptions& options);

// Benjamini-Hochberg adjusted p-values; NaN entries stay NaN and are not counted.
std::vector<double> fdr_adjust(std::span<const double> p);
// ArcGIS Gi_Bin: sign(z) * (3 if p <= 0.01, 2 if p <= 0.05, 1 if p <= 0.10, else 0);
// NaN p or z gives 0. Pass FDR-adjusted p for ArcGIS's "Apply FDR" bins.
std::vector<int8_t> confidence_bins(std::span<const double> z, std::span<const double> p);

}  // namespace hotspot::core
