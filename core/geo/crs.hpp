#pragma once
// Coordinate transformations through PROJ: Transformer (one PROJ pipeline) and
// TransformCache (an exact cache in front of it for the repeated coordinates of
// police.uk data).
//
// Axis order, always: x = longitude or easting, y = latitude or northing. EPSG:4326
// officially lists latitude first; we normalise every pipeline "for visualisation"
// (proj_normalize_for_visualization), so callers never swap axes.
//
// Which transformation PROJ uses between WGS 84 and British National Grid:
// - Without the OSTN15 grid (the case on Debian: proj-data does not ship it), PROJ uses
//   the 7-parameter Helmert "OSGB36 to WGS 84 (6)" (EPSG:1314). EPSG rates it at 2 m;
//   expect errors of a few metres (up to ~5 m) against Ordnance Survey's definitive
//   OSTN15 ("OSGB36 to WGS 84 (9)", EPSG:7710). Fine for hotspot maps, not for survey.
// - If the user installs the grid file uk_os_OSTN15_NTv2_OSGBtoETRS.tif (from PROJ-data
//   or `projsync --file uk_os_OSTN15_NTv2_OSGBtoETRS.tif`) in a PROJ data directory
//   (/usr/share/proj, ~/.local/share/proj, or $PROJ_DATA), PROJ picks it up
//   automatically and the results move by those few metres; definition() then names it.
//   We never fetch grids over the network (network access is disabled per context).
// - A point outside the Helmert's area of use (bbox lon -8.82..1.92, lat 49.79..60.94)
//   falls back to another candidate, ultimately a "ballpark" transformation with no
//   datum shift (errors of ~100 m). extent.hpp's UK checks keep data inside it.
//
// Cost (measured on the shared 2-core development machine, one core): the Helmert
// pipeline takes 0.55-0.9 us of CPU per point (1.1-1.8 M points/s); TransformCache
// avoids it for repeated points.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo/geometry.hpp"

namespace hotspot::core {

// Transformer: one PROJ coordinate operation from a source CRS to a target CRS, with its
// own PROJ context.
//
// Ownership: owns its PJ_CONTEXT and PJ (released in the destructor). Move-only; a
// moved-from Transformer may only be destroyed or assigned to.
// Threads: NOT thread-safe, even through const methods (PROJ keeps per-call state in
// the PJ). Give each thread its own: `Transformer mine = shared.clone();`.
// Failures: a point PROJ cannot transform (or a NaN/infinite input) becomes
// (NaN, NaN) and is counted; it never throws per point.
//
//   Transformer t = Transformer::wgs84_to_bng();
//   std::vector<double> x{-1.376821}, y{53.039341};   // lon, lat (degrees)
//   std::size_t failed = t.transform(x, y);           // x, y now easting, northing (m)
//   Point p = t.transform(-1.25, 53.1);               // one point
//   std::string how = t.definition();                 // "proj=pipeline ... helmert ..."
class Transformer {
 public:
  // A transformation between any two CRSs PROJ understands: "EPSG:4326", "EPSG:27700",
  // WKT, PROJJSON or a PROJ string ("+proj=longlat +datum=WGS84"; "+type=crs" is added
  // when missing, as proj_create_crs_to_crs does).
  // Cost: tens of milliseconds (it queries proj.db); build once, reuse for every batch.
  // @throws hotspot::UsageError when PROJ cannot build either CRS (the message quotes the
  //         CRS text and PROJ's reason) or finds no operation between them.
  // @throws hotspot::Error when PROJ cannot allocate a context.
  static Transformer create(std::string_view from, std::string_view to);
  // EPSG:4326 (lon, lat degrees) -> EPSG:27700 (easting, northing metres).
  static Transformer wgs84_to_bng();
  // EPSG:27700 -> EPSG:4326 (lon, lat degrees).
  static Transformer bng_to_wgs84();

  Transformer(Transformer&& other) noexcept;
  Transformer& operator=(Transformer&& other) noexcept;
  Transformer(const Transformer&) = delete;
  Transformer& operator=(const Transformer&) = delete;
  ~Transformer();

  // An independent Transformer (own context) for the same CRS pair, for another thread.
  // Cost: as create().
  [[nodiscard]] Transformer clone() const;

  // Transforms the points (x[i], y[i]) in place with ONE proj_trans_generic call.
  // Points PROJ fails on (and non-finite inputs) become (NaN, NaN).
  // Returns the number of such points.
  // Requires: x.size() == y.size().
  std::size_t transform(std::span<double> x, std::span<double> y) const;
  // One point; (NaN, NaN) on failure. Prefer the batch form for many points.
  [[nodiscard]] Point transform(double x, double y) const;

  // The PROJ pipeline of the operation PROJ ranks first for this CRS pair, normalised to
  // x = lon/easting: the one it uses for every point inside that operation's area of use
  // (on Debian, for WGS 84 -> BNG, the Helmert pipeline; with OSTN15 installed, the grid
  // shift). Stable: available before any point is transformed (proj_pj_info alone only
  // knows the operation after the first proj_trans call when there are several
  // candidates). Points outside that area may use another candidate (see the top of
  // this file); last_used_definition() tells which one served the last point.
  [[nodiscard]] std::string definition() const;
  // The pipeline PROJ actually used for the most recently transformed point, or
  // definition() before any transformation.
  [[nodiscard]] std::string last_used_definition() const;

  // The CRS texts as given to create().
  [[nodiscard]] const std::string& source_crs() const;
  [[nodiscard]] const std::string& target_crs() const;

 private:
  struct Impl;
  explicit Transformer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// TransformCache: an exact cache in front of a Transformer, for data whose coordinates
// repeat. data.police.uk snaps every crime to one of ~750,000 anonymous map points, so a
// force's data has few distinct coordinates (City of London, 12 months in
// tests/fixtures: 8,713 located rows, 361 distinct points), and PROJ's Helmert pipeline
// costs ~0.6-0.9 us per point.
//
// Exactness: keys are the bit patterns of the input doubles (so -0.0 and 0.0, or two
// NaN payloads, are different keys) and values are what Transformer::transform returned,
// so the output is bit-identical to the uncached transform (tested on random data).
//
// Representation: one open-addressing (linear probing) table of 32-byte slots
// {x bits, y bits, out x, out y}; no per-entry heap allocation. The table starts at
// 4,096 slots and doubles up to 2 * bit_ceil(max_entries) slots (load <= 1/2). When it
// holds max_entries entries and a new key arrives, it is cleared and starts again, so
// memory is bounded: the default (2^20 entries, more than the ~750,000 police.uk map
// points in the country) peaks at 2^21 slots = 64 MiB, plus ~2 MiB of scratch.
// Points are processed in chunks of up to 65,536; a chunk's misses are transformed with
// one Transformer::transform (one proj_trans_generic) call, plus one more each time the
// table has to grow or clear in the middle of the chunk.
//
// Ownership: owns its Transformer. Threads: not thread-safe; one cache per thread
// (`TransformCache c(shared.clone());`). Move-only.
//
//   TransformCache cache(Transformer::wgs84_to_bng());
//   std::size_t failed = cache.transform(lon, lat);   // in place, like Transformer
//   log("hits {} misses {}", cache.hits(), cache.misses());
class TransformCache {
 public:
  static constexpr std::size_t kDefaultMaxEntries = std::size_t{1} << 20;

  // Requires: 1 <= max_entries <= 2^30.
  explicit TransformCache(Transformer transformer, std::size_t max_entries = kDefaultMaxEntries);

  // As Transformer::transform: in place, failures become (NaN, NaN); returns the number
  // of points whose result is NaN (failed now or when first cached).
  // Requires: x.size() == y.size().
  std::size_t transform(std::span<double> x, std::span<double> y);

  // Points answered from the cache (including repeats of a point first seen in the same
  // call) and points sent to PROJ, since construction. hits() + misses() = points seen.
  [[nodiscard]] uint64_t hits() const { return m_hits; }
  [[nodiscard]] uint64_t misses() const { return m_misses; }
  // Times the table was full and started again.
  [[nodiscard]] uint64_t clears() const { return m_clears; }
  // Entries currently cached, and the bound.
  [[nodiscard]] std::size_t size() const { return m_size; }
  [[nodiscard]] std::size_t max_entries() const { return m_max_entries; }

  // Forgets every entry (keeps the counters and the allocated table).
  void clear();

  [[nodiscard]] const Transformer& transformer() const { return m_transformer; }

 private:
  struct Slot {
    uint64_t key_x;  // bit pattern of the input x; kEmptyKey marks a free slot
    uint64_t key_y;
    double out_x;  // while pending within a chunk: the index into the miss batch
    double out_y;  // while pending within a chunk: the bits kPendingBits
  };
  static_assert(sizeof(Slot) == 32);
  struct Waiting {  // an input point whose result comes from the miss batch
    uint32_t point;
    uint32_t batch;
  };

  void transform_chunk(std::span<double> x, std::span<double> y);
  void flush(std::span<double> x, std::span<double> y);
  void rehash(std::size_t slot_count);

  Transformer m_transformer;
  std::size_t m_max_entries;
  std::size_t m_max_slots;
  std::vector<Slot> m_slots;  // size is 0 or a power of two
  std::size_t m_size = 0;
  uint64_t m_hits = 0;
  uint64_t m_misses = 0;
  uint64_t m_clears = 0;
  // Scratch, reused between calls.
  std::vector<double> m_batch_x, m_batch_y;
  std::vector<uint32_t> m_batch_slot;
  std::vector<Waiting> m_waiting;
};

}  // namespace hotspot::core
