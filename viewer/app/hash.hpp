#pragma once
// Cache keys of the view model (app_state.cpp, compare.cpp): a hash combiner and a
// month range as one word.

#include <cstdint>

#include "viewer/app/incidents.hpp"

namespace hotspot::viewer {

inline uint64_t mix_hash(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h;
}

inline uint64_t hash_range(MonthRange r) {
  return static_cast<uint64_t>(static_cast<uint32_t>(r.first)) << 32 | static_cast<uint32_t>(r.last);
}

}  // namespace hotspot::viewer
