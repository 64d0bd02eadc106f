#pragma once
// Rng: a small, seeded, portable pseudo-random generator (xoshiro256** seeded with
// SplitMix64). Every randomised result in Hotspot (synthetic data, permutation
// p-values, Monte Carlo) is reproducible from its seed on any platform: we do not
// use <random> distributions, whose output differs between standard libraries.
//
//   Rng rng(2024);                     // same seed -> same stream, everywhere
//   double u = rng.uniform();          // [0, 1)
//   uint64_t k = rng.below(10);        // 0..9, unbiased
//   Rng worker = rng.stream(3);        // independent stream for worker 3
//
// Not cryptographic. Not thread-safe: give each thread its own stream().

#include <cmath>
#include <cstdint>
#include <numbers>

namespace hotspot {

class Rng {
 public:
  explicit Rng(uint64_t seed) : m_seed(seed) {
    uint64_t s = seed;
    for (auto& word : m_s) word = splitmix64(s);
  }

  // An independent generator for sub-task `id` (worker, cell, iteration block).
  // Deterministic in (seed, id) and not overlapping in practice.
  [[nodiscard]] Rng stream(uint64_t id) const {
    uint64_t s = m_seed ^ (0x9E3779B97F4A7C15ULL * (id + 1));
    return Rng(splitmix64(s));
  }

  uint64_t next() {
    const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). Requires n > 0.
  uint64_t below(uint64_t n) {
    __uint128_t m = static_cast<__uint128_t>(next()) * n;
    auto low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<__uint128_t>(next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Standard normal deviate (Box-Muller; one value per call, the pair's twin is cached).
  double normal() {
    if (m_has_spare) {
      m_has_spare = false;
      return m_spare;
    }
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 2.0 * std::numbers::pi * u2;
    m_spare = r * std::sin(a);
    m_has_spare = true;
    return r * std::cos(a);
  }

  // Poisson deviate with mean `lambda` >= 0. Exact (multiplication method) for
  // lambda < 30; above that the normal approximation with continuity correction,
  // whose error is irrelevant for synthetic counts of that size.
  uint64_t poisson(double lambda) {
    if (lambda <= 0.0) return 0;
    if (lambda < 30.0) {
      const double limit = std::exp(-lambda);
      uint64_t k = 0;
      double p = uniform();
      while (p > limit) {
        ++k;
        p *= uniform();
      }
      return k;
    }
    const double v = std::floor(lambda + std::sqrt(lambda) * normal() + 0.5);
    return v < 0.0 ? 0 : static_cast<uint64_t>(v);
  }

  [[nodiscard]] uint64_t seed() const { return m_seed; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix64(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  uint64_t m_seed;
  uint64_t m_s[4]{};
  double m_spare = 0.0;
  bool m_has_spare = false;
};

}  // namespace hotspot
