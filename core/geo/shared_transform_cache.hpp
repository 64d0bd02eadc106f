#pragma once
// SharedTransformCache: one exact coordinate cache used by several threads at once.
//
// TransformCache (crs.hpp) is per thread, so with two ingest workers every unique
// police.uk map point is transformed twice and cached twice. This cache is shared:
// each unique point goes through PROJ once, whatever thread meets it first.
//
// Design: 64 shards, each an open-addressing table behind its own mutex. A call
// buckets its points by shard, then locks each shard once to look its points up and
// once to insert the misses; PROJ runs outside any lock, on the calling thread's own
// Transformer. Results are bit-identical to Transformer::transform (keys are the exact
// input bits). Two threads may transform the same new point concurrently; both get
// the same value and one insert wins, so results never depend on timing.
// Memory: at most max_entries entries of 32 bytes (x2 for the load factor), spread
// over the shards; a full shard is cleared and refilled.
//
//   SharedTransformCache cache;                       // shared by the workers
//   Transformer mine = Transformer::wgs84_to_bng();   // one per thread
//   cache.transform(mine, lon, lat);                  // in place, like Transformer
//
// Thread-safe. The Transformer passed in is used only by the calling thread.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "core/geo/crs.hpp"

namespace hotspot::core {

class SharedTransformCache {
 public:
  static constexpr std::size_t kShards = 64;
  static constexpr std::size_t kDefaultMaxEntries = std::size_t{1} << 21;

  // Requires: 64 <= max_entries <= 2^30.
  explicit SharedTransformCache(std::size_t max_entries = kDefaultMaxEntries);
  ~SharedTransformCache();
  SharedTransformCache(const SharedTransformCache&) = delete;
  SharedTransformCache& operator=(const SharedTransformCache&) = delete;

  // As Transformer::transform: in place; failures become (NaN, NaN); returns their
  // number. `transformer` must always map the same CRS pair for a given cache.
  // Requires: x.size() == y.size().
  std::size_t transform(const Transformer& transformer, std::span<double> x, std::span<double> y);

  [[nodiscard]] uint64_t hits() const { return m_hits.load(std::memory_order_relaxed); }
  [[nodiscard]] uint64_t misses() const { return m_misses.load(std::memory_order_relaxed); }
  // Bytes held by the tables now.
  [[nodiscard]] std::size_t bytes() const;

 private:
  struct Shard;
  std::unique_ptr<Shard[]> m_shards;
  std::size_t m_max_per_shard;
  std::atomic<uint64_t> m_hits{0}, m_misses{0};
};

}  // namespace hotspot::core
