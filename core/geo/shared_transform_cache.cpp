#include "core/geo/shared_transform_cache.hpp"

#include <bit>
#include <cmath>
#include <limits>

#include "core/base/assert.hpp"

namespace hotspot::core {

namespace {

// A free slot has this x key: a NaN payload no arithmetic produces. An input whose x
// has exactly these bits is transformed without being cached.
constexpr uint64_t kEmptyKey = 0x7FF4'E3B7'11C0'FFEEULL;
constexpr std::size_t kInitialSlots = 1024;  // per shard
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

struct Slot {
  uint64_t kx, ky;
  double ox, oy;
};
static_assert(sizeof(Slot) == 32);

inline uint64_t mix(uint64_t kx, uint64_t ky) {
  uint64_t z = kx ^ std::rotl(ky, 29) ^ 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The top 6 bits choose the shard; the low bits index inside it.
inline std::size_t shard_of(uint64_t h) { return static_cast<std::size_t>(h >> 58); }

}  // namespace

struct SharedTransformCache::Shard {
  std::mutex mutex;
  std::vector<Slot> slots;  // empty or a power of two
  std::size_t size = 0;

  // Index of the key's slot, or of the free slot where it belongs. Requires: slots not empty.
  std::size_t find(uint64_t kx, uint64_t ky, uint64_t h) const {
    const std::size_t mask = slots.size() - 1;
    std::size_t i = static_cast<std::size_t>(h) & mask;
    while (slots[i].kx != kEmptyKey && !(slots[i].kx == kx && slots[i].ky == ky)) i = (i + 1) & mask;
    return i;
  }

  void rehash(std::size_t count) {
    std::vector<Slot> old(count, Slot{kEmptyKey, 0, 0.0, 0.0});
    old.swap(slots);
    for (const Slot& s : old) {
      if (s.kx == kEmptyKey) continue;
      slots[find(s.kx, s.ky, mix(s.kx, s.ky))] = s;
    }
  }
};

SharedTransformCache::SharedTransformCache(std::size_t max_entries)
    : m_shards(std::make_unique<Shard[]>(kShards)), m_max_per_shard(max_entries / kShards) {
  HOTSPOT_ASSERT_MSG(max_entries >= kShards && max_entries <= (std::size_t{1} << 30),
                     "SharedTransformCache max_entries must be in 64..2^30");
}

SharedTransformCache::~SharedTransformCache() = default;

std::size_t SharedTransformCache::bytes() const {
  std::size_t total = 0;
  for (std::size_t s = 0; s < kShards; ++s) {
    std::lock_guard lock(m_shards[s].mutex);
    total += m_shards[s].slots.capacity() * sizeof(Slot);
  }
  return total;
}

std::size_t SharedTransformCache::transform(const Transformer& transformer, std::span<double> x,
                                            std::span<double> y) {
  HOTSPOT_ASSERT_MSG(x.size() == y.size(), "x and y must have the same length");
  const std::size_t n = x.size();
  if (n == 0) return 0;

  // 1. Hash every point and bucket the points by shard (counting sort).
  std::vector<uint64_t> hash(n);
  std::vector<uint32_t> start(kShards + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    hash[i] = mix(std::bit_cast<uint64_t>(x[i]), std::bit_cast<uint64_t>(y[i]));
    ++start[shard_of(hash[i]) + 1];
  }
  for (std::size_t s = 0; s < kShards; ++s) start[s + 1] += start[s];
  std::vector<uint32_t> order(n);
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) order[fill[shard_of(hash[i])]++] = static_cast<uint32_t>(i);
  }

  // 2. Look up, one lock per shard. Misses are collected in shard order.
  std::vector<uint32_t> missed;  // point indexes
  uint64_t hits = 0;
  for (std::size_t s = 0; s < kShards; ++s) {
    if (start[s] == start[s + 1]) continue;
    Shard& shard = m_shards[s];
    std::lock_guard lock(shard.mutex);
    for (uint32_t k = start[s]; k < start[s + 1]; ++k) {
      const uint32_t i = order[k];
      const auto kx = std::bit_cast<uint64_t>(x[i]);
      const auto ky = std::bit_cast<uint64_t>(y[i]);
      if (kx != kEmptyKey && !shard.slots.empty()) {
        const Slot& slot = shard.slots[shard.find(kx, ky, hash[i])];
        if (slot.kx != kEmptyKey) {
          x[i] = slot.ox;
          y[i] = slot.oy;
          ++hits;
          continue;
        }
      }
      missed.push_back(i);
    }
  }
  m_hits.fetch_add(hits, std::memory_order_relaxed);
  auto count_failed = [&] {
    std::size_t failed = 0;
    for (const double v : x) failed += std::isnan(v) ? 1u : 0u;
    return failed;
  };
  if (missed.empty()) return count_failed();

  // 3. Unique missed keys (a point may repeat within the call): a small local table.
  std::vector<uint32_t> batch_of(missed.size());
  std::vector<double> bx, by;
  std::vector<uint32_t> first_point;  // a point index per batch entry
  {
    std::size_t cap = std::bit_ceil(missed.size() * 2);
    std::vector<uint32_t> local(cap, kNone);  // batch index per slot
    for (std::size_t m = 0; m < missed.size(); ++m) {
      const uint32_t i = missed[m];
      const auto kx = std::bit_cast<uint64_t>(x[i]);
      const auto ky = std::bit_cast<uint64_t>(y[i]);
      std::size_t j = static_cast<std::size_t>(hash[i]) & (cap - 1);
      for (;;) {
        const uint32_t b = local[j];
        if (b == kNone) {
          local[j] = static_cast<uint32_t>(bx.size());
          batch_of[m] = static_cast<uint32_t>(bx.size());
          bx.push_back(x[i]);
          by.push_back(y[i]);
          first_point.push_back(i);
          break;
        }
        const uint32_t p = first_point[b];
        if (std::bit_cast<uint64_t>(x[p]) == kx && std::bit_cast<uint64_t>(y[p]) == ky) {
          batch_of[m] = b;
          break;
        }
        j = (j + 1) & (cap - 1);
      }
    }
  }
  m_misses.fetch_add(bx.size(), std::memory_order_relaxed);
  m_hits.fetch_add(missed.size() - bx.size(), std::memory_order_relaxed);

  // 4. PROJ, outside any lock: one call for the whole batch.
  std::vector<double> kx_in(bx), ky_in(by);  // the keys (transform works in place)
  transformer.transform(bx, by);

  // 5. Insert, one lock per shard (batch entries are already in shard order).
  for (std::size_t b = 0; b < bx.size();) {
    const uint64_t h0 = hash[first_point[b]];
    const std::size_t s = shard_of(h0);
    Shard& shard = m_shards[s];
    std::lock_guard lock(shard.mutex);
    for (; b < bx.size() && shard_of(hash[first_point[b]]) == s; ++b) {
      const auto kx = std::bit_cast<uint64_t>(kx_in[b]);
      const auto ky = std::bit_cast<uint64_t>(ky_in[b]);
      if (kx == kEmptyKey) continue;  // uncacheable
      if (shard.slots.empty()) shard.rehash(std::min(kInitialSlots, 2 * std::bit_ceil(m_max_per_shard)));
      if (shard.size + 1 > shard.slots.size() / 2) {
        if (shard.size < m_max_per_shard) {
          shard.rehash(shard.slots.size() * 2);
        } else {  // full: start again
          std::fill(shard.slots.begin(), shard.slots.end(), Slot{kEmptyKey, 0, 0.0, 0.0});
          shard.size = 0;
        }
      }
      Slot& slot = shard.slots[shard.find(kx, ky, hash[first_point[b]])];
      if (slot.kx == kEmptyKey) {  // another thread may have inserted it meanwhile
        slot = Slot{kx, ky, bx[b], by[b]};
        ++shard.size;
      }
    }
  }

  // 6. Results for every missed point (and its repeats).
  for (std::size_t m = 0; m < missed.size(); ++m) {
    const uint32_t i = missed[m];
    x[i] = bx[batch_of[m]];
    y[i] = by[batch_of[m]];
  }
  return count_failed();
}

}  // namespace hotspot::core
