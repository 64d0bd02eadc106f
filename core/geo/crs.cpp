#include "core/geo/crs.hpp"

#include <proj.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "core/base/assert.hpp"
#include "core/base/error.hpp"

namespace hotspot::core {

// [SECTION] PROJ handles and messages ---------------------------------------------------

namespace detail {
namespace {

struct PjDeleter {
  void operator()(PJ* pj) const { proj_destroy(pj); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

struct ListDeleter {
  void operator()(PJ_OBJ_LIST* list) const { proj_list_destroy(list); }
};
using ListPtr = std::unique_ptr<PJ_OBJ_LIST, ListDeleter>;

struct FactoryDeleter {
  void operator()(PJ_OPERATION_FACTORY_CONTEXT* f) const {
    proj_operation_factory_context_destroy(f);
  }
};

// PROJ's own logger would print to stderr. We keep the last error text instead, to quote
// it in exceptions, and only while building; afterwards the level is PJ_LOG_NONE.
void capture_log(void* app_data, int level, const char* message) {
  if (app_data == nullptr || message == nullptr || level > PJ_LOG_ERROR) return;
  auto* last = static_cast<std::string*>(app_data);
  *last = message;
}

// proj_create_crs_to_crs appends "+type=crs" to PROJ strings that lack it; we build the
// CRS objects ourselves (to name the one that fails), so we do the same.
std::string with_type_crs(std::string_view text) {
  std::string s(text);
  const bool proj_string = s.starts_with("proj=") || s.starts_with("+proj=") ||
                           s.starts_with("+init=") || s.starts_with("+title=");
  if (proj_string && s.find("type=crs") == std::string::npos) s += " +type=crs";
  return s;
}

// A CRS text for a message: WKT can be kilobytes long, so long texts are shortened.
std::string quote_crs(std::string_view text) {
  constexpr std::size_t kMaxQuoted = 80;
  std::string out = "'";
  if (text.size() <= kMaxQuoted) {
    out += text;
  } else {
    out += text.substr(0, kMaxQuoted);
    out += "...";
  }
  out += "'";
  return out;
}

std::string pj_definition(PJ* pj) {
  if (pj == nullptr) return {};
  const PJ_PROJ_INFO info = proj_pj_info(pj);
  return info.definition != nullptr ? std::string(info.definition) : std::string();
}

}  // namespace
}  // namespace detail

struct Transformer::Impl {
  PJ_CONTEXT* ctx = nullptr;
  PJ* pj = nullptr;
  std::string from;
  std::string to;
  detail::PjPtr src, dst;  // kept to compute definition() on demand
  mutable std::string definition;  // the first-ranked operation's pipeline (see definition())
  mutable bool definition_known = false;
  std::string proj_log;    // last PROJ error message while building

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    src.reset();  // PROJ objects go before their context
    dst.reset();
    proj_destroy(pj);
    if (ctx != nullptr) proj_context_destroy(ctx);
  }

  // PROJ's reason for the last failure, for messages: the captured log line, else the
  // text of the context's errno.
  std::string reason() const {
    if (!proj_log.empty()) return proj_log;
    const int err = proj_context_errno(ctx);
    const char* s = err != 0 ? proj_context_errno_string(ctx, err) : nullptr;
    return s != nullptr ? std::string(s) : std::string("unknown PROJ error");
  }
};

namespace {

// The pipeline of the operation proj_create_crs_to_crs ranks first, asked of the same
// operation factory with the same settings (PROJ 9.1 4D_api.cpp: partial intersection of
// areas, operations needing a missing grid discarded when the network is off).
std::string first_ranked_definition(PJ_CONTEXT* ctx, const PJ* src, const PJ* dst) {
  std::unique_ptr<PJ_OPERATION_FACTORY_CONTEXT, detail::FactoryDeleter> factory(
      proj_create_operation_factory_context(ctx, nullptr), detail::FactoryDeleter{});
  if (!factory) return {};
  proj_operation_factory_context_set_spatial_criterion(ctx, factory.get(),
                                                       PROJ_SPATIAL_CRITERION_PARTIAL_INTERSECTION);
  proj_operation_factory_context_set_grid_availability_use(
      ctx, factory.get(), PROJ_GRID_AVAILABILITY_DISCARD_OPERATION_IF_MISSING_GRID);
  const detail::ListPtr ops(proj_create_operations(ctx, src, dst, factory.get()));
  if (!ops) return {};
  const int count = proj_list_get_count(ops.get());
  for (int i = 0; i < count; ++i) {
    const detail::PjPtr op(proj_list_get(ctx, ops.get(), i));
    if (!op || proj_coordoperation_is_instantiable(ctx, op.get()) == 0) continue;
    const detail::PjPtr norm(proj_normalize_for_visualization(ctx, op.get()));
    return detail::pj_definition(norm ? norm.get() : op.get());
  }
  return {};
}

}  // namespace

// [SECTION] Transformer -----------------------------------------------------------------

Transformer::Transformer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Transformer::Transformer(Transformer&& other) noexcept = default;
Transformer& Transformer::operator=(Transformer&& other) noexcept = default;
Transformer::~Transformer() = default;

Transformer Transformer::create(std::string_view from, std::string_view to) {
  auto impl = std::make_unique<Impl>();
  impl->from = std::string(from);
  impl->to = std::string(to);
  impl->ctx = proj_context_create();
  if (impl->ctx == nullptr) throw Error("PROJ: cannot create a context");
  PJ_CONTEXT* ctx = impl->ctx;
  proj_context_set_enable_network(ctx, 0);
  proj_log_func(ctx, &impl->proj_log, detail::capture_log);
  proj_log_level(ctx, PJ_LOG_ERROR);

  auto make_crs = [&](std::string_view text, const char* role) {
    impl->proj_log.clear();
    detail::PjPtr crs(proj_create(ctx, detail::with_type_crs(text).c_str()));
    if (!crs) {
      throw UsageError(std::string("PROJ cannot build the ") + role + " CRS " +
                       detail::quote_crs(text) + ": " + impl->reason());
    }
    if (proj_is_crs(crs.get()) == 0) {
      throw UsageError(std::string("the ") + role + " CRS " + detail::quote_crs(text) +
                       " is not a coordinate reference system");
    }
    return crs;
  };
  impl->src = make_crs(from, "source");
  impl->dst = make_crs(to, "target");
  const PJ* src = impl->src.get();
  const PJ* dst = impl->dst.get();

  impl->proj_log.clear();
  const detail::PjPtr op(
      proj_create_crs_to_crs_from_pj(ctx, src, dst, nullptr, nullptr));
  if (!op) {
    throw UsageError("PROJ finds no transformation from " + detail::quote_crs(from) + " to " +
                     detail::quote_crs(to) + ": " + impl->reason());
  }
  impl->pj = proj_normalize_for_visualization(ctx, op.get());
  if (impl->pj == nullptr) {
    throw UsageError("PROJ cannot normalise the axis order of the transformation from " +
                     detail::quote_crs(from) + " to " + detail::quote_crs(to) + ": " +
                     impl->reason());
  }
  // definition() is computed on first use: the operation search costs as much as
  // building the transformer itself (tens of milliseconds).

  // Silent from now on: per-point failures are reported as NaN, not as log lines.
  proj_log_level(ctx, PJ_LOG_NONE);
  impl->proj_log.clear();
  return Transformer(std::move(impl));
}

Transformer Transformer::wgs84_to_bng() { return create("EPSG:4326", "EPSG:27700"); }
Transformer Transformer::bng_to_wgs84() { return create("EPSG:27700", "EPSG:4326"); }

Transformer Transformer::clone() const {
  HOTSPOT_ASSERT_MSG(m_impl, "use of a moved-from Transformer");
  // Rebuilding from the CRS texts is the simplest way to get a fully independent
  // context and PJ (proj_clone of a multi-operation PJ is version-dependent).
  return create(m_impl->from, m_impl->to);
}

std::size_t Transformer::transform(std::span<double> x, std::span<double> y) const {
  HOTSPOT_ASSERT_MSG(m_impl, "use of a moved-from Transformer");
  HOTSPOT_ASSERT_MSG(x.size() == y.size(), "x and y must have the same length");
  const std::size_t n = x.size();
  if (n == 0) return 0;
  // proj_trans_generic transforms every point even when some fail (those get HUGE_VAL).
  // With n == 1 the arrays are "constants" broadcast to length 1: the same thing.
  proj_trans_generic(m_impl->pj, PJ_FWD, x.data(), sizeof(double), n, y.data(), sizeof(double), n,
                     nullptr, 0, 0, nullptr, 0, 0);
  std::size_t failed = 0;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      x[i] = kNaN;
      y[i] = kNaN;
      ++failed;
    }
  }
  return failed;
}

Point Transformer::transform(double x, double y) const {
  transform(std::span<double>(&x, 1), std::span<double>(&y, 1));
  return Point(x, y);
}

std::string Transformer::definition() const {
  HOTSPOT_ASSERT_MSG(m_impl, "use of a moved-from Transformer");
  if (!m_impl->definition_known) {
    m_impl->definition = first_ranked_definition(m_impl->ctx, m_impl->src.get(), m_impl->dst.get());
    if (m_impl->definition.empty()) m_impl->definition = detail::pj_definition(m_impl->pj);
    m_impl->definition_known = true;
  }
  return m_impl->definition;
}

std::string Transformer::last_used_definition() const {
  HOTSPOT_ASSERT_MSG(m_impl, "use of a moved-from Transformer");
  // proj_trans_get_last_used_operation returns a new object (or the PJ itself, cloned,
  // when there is a single operation); null before the first transformation.
  const detail::PjPtr op(proj_trans_get_last_used_operation(m_impl->pj));
  if (!op) return definition();
  std::string def = detail::pj_definition(op.get());
  return def.empty() ? definition() : def;
}

const std::string& Transformer::source_crs() const {
  HOTSPOT_ASSERT_MSG(m_impl, "use of a moved-from Transformer");
  return m_impl->from;
}

const std::string& Transformer::target_crs() const {
  HOTSPOT_ASSERT_MSG(m_impl, "use of a moved-from Transformer");
  return m_impl->to;
}

// [SECTION] TransformCache --------------------------------------------------------------

namespace {

// A free slot has this x key. It is a NaN bit pattern no arithmetic produces; an input
// whose x has exactly these bits is transformed without being cached.
constexpr uint64_t kEmptyKey = 0x7FF4'E3B7'11C0'FFEEULL;
// out_y of a slot inserted in the current chunk whose value is not known yet. Never
// equal to a stored result: Transformer::transform returns finite values or the
// canonical quiet NaN.
constexpr uint64_t kPendingBits = 0x7FF4'5045'4E44'494EULL;
constexpr uint32_t kNoSlot = std::numeric_limits<uint32_t>::max();
constexpr std::size_t kChunk = 65536;
constexpr std::size_t kInitialSlots = 4096;

// SplitMix64's finaliser over both keys: cheap, and every input bit reaches the low bits
// used to index the table.
inline uint64_t hash_key(uint64_t kx, uint64_t ky) {
  uint64_t z = kx ^ std::rotl(ky, 29) ^ 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

TransformCache::TransformCache(Transformer transformer, std::size_t max_entries)
    : m_transformer(std::move(transformer)), m_max_entries(max_entries) {
  HOTSPOT_ASSERT_MSG(max_entries >= 1 && max_entries <= (std::size_t{1} << 30),
                     "TransformCache max_entries must be in 1..2^30");
  m_max_slots = std::bit_ceil(max_entries) * 2;
}

void TransformCache::clear() {
  std::fill(m_slots.begin(), m_slots.end(), Slot{kEmptyKey, 0, 0.0, 0.0});
  m_size = 0;
}

void TransformCache::rehash(std::size_t slot_count) {
  std::vector<Slot> old(slot_count, Slot{kEmptyKey, 0, 0.0, 0.0});
  old.swap(m_slots);
  const std::size_t mask = slot_count - 1;
  for (const Slot& s : old) {
    if (s.key_x == kEmptyKey) continue;
    std::size_t i = hash_key(s.key_x, s.key_y) & mask;
    while (m_slots[i].key_x != kEmptyKey) i = (i + 1) & mask;
    m_slots[i] = s;
  }
}

std::size_t TransformCache::transform(std::span<double> x, std::span<double> y) {
  HOTSPOT_ASSERT_MSG(x.size() == y.size(), "x and y must have the same length");
  if (m_slots.empty()) rehash(std::min(kInitialSlots, m_max_slots));
  for (std::size_t begin = 0; begin < x.size(); begin += kChunk) {
    const std::size_t len = std::min(kChunk, x.size() - begin);
    transform_chunk(x.subspan(begin, len), y.subspan(begin, len));
  }
  std::size_t failed = 0;
  for (const double v : x) failed += std::isnan(v) ? 1u : 0u;
  return failed;
}

// Pass 1 answers hits and gives each new key a pending slot and a place in the miss
// batch; flush() transforms the batch (one PROJ call) and fills the slots and the points
// waiting for them. A table at its load limit is flushed first, then grown or cleared,
// so growth and clearing never see a pending slot, and a full table is only cleared
// when a new key actually needs room.
void TransformCache::transform_chunk(std::span<double> x, std::span<double> y) {
  std::size_t p = 0;
  while (p < x.size()) {
    const auto kx = std::bit_cast<uint64_t>(x[p]);
    const auto ky = std::bit_cast<uint64_t>(y[p]);
    const auto point = static_cast<uint32_t>(p);
    if (kx == kEmptyKey) {  // uncacheable key: transform, do not store
      m_waiting.push_back({point, static_cast<uint32_t>(m_batch_x.size())});
      m_batch_x.push_back(x[p]);
      m_batch_y.push_back(y[p]);
      m_batch_slot.push_back(kNoSlot);
      ++m_misses;
      ++p;
      continue;
    }
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = hash_key(kx, ky) & mask;
    while (m_slots[i].key_x != kEmptyKey && !(m_slots[i].key_x == kx && m_slots[i].key_y == ky)) {
      i = (i + 1) & mask;
    }
    Slot& s = m_slots[i];
    if (s.key_x != kEmptyKey) {  // hit
      if (std::bit_cast<uint64_t>(s.out_y) == kPendingBits) {
        m_waiting.push_back({point, static_cast<uint32_t>(s.out_x)});
      } else {
        x[p] = s.out_x;
        y[p] = s.out_y;
      }
      ++m_hits;
      ++p;
      continue;
    }
    if (m_size + 1 > std::min(m_slots.size() / 2, m_max_entries)) {  // no room: make some
      flush(x, y);
      if (m_slots.size() < m_max_slots) {
        rehash(m_slots.size() * 2);
      } else {
        clear();
        ++m_clears;
      }
      continue;  // probe again for the same point
    }
    const auto batch = static_cast<uint32_t>(m_batch_x.size());
    s = Slot{kx, ky, static_cast<double>(batch), std::bit_cast<double>(kPendingBits)};
    ++m_size;
    m_waiting.push_back({point, batch});
    m_batch_x.push_back(x[p]);
    m_batch_y.push_back(y[p]);
    m_batch_slot.push_back(static_cast<uint32_t>(i));
    ++m_misses;
    ++p;
  }
  flush(x, y);
}

void TransformCache::flush(std::span<double> x, std::span<double> y) {
  if (!m_batch_x.empty()) {
    m_transformer.transform(m_batch_x, m_batch_y);
    for (std::size_t b = 0; b < m_batch_x.size(); ++b) {
      if (m_batch_slot[b] == kNoSlot) continue;
      Slot& s = m_slots[m_batch_slot[b]];
      s.out_x = m_batch_x[b];
      s.out_y = m_batch_y[b];
    }
    for (const Waiting& w : m_waiting) {
      x[w.point] = m_batch_x[w.batch];
      y[w.point] = m_batch_y[w.batch];
    }
  }
  m_batch_x.clear();
  m_batch_y.clear();
  m_batch_slot.clear();
  m_waiting.clear();
}

}  // namespace hotspot::core
