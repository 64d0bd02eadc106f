#include "core/stats/near_repeat.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <cmath>
#include <limits>
#include <thread>

#include "core/base/assert.hpp"
#include "core/base/random.hpp"
#include "core/stats/point_index.hpp"

// [SECTION] Names and labels
// [SECTION] Pairs and bands
// [SECTION] The test
// [SECTION] Markdown

namespace hotspot::core {

// [SECTION] Names and labels ------------------------------------------------------------

const char* distance_metric_name(DistanceMetric m) {
  return m == DistanceMetric::manhattan ? "manhattan" : "euclidean";
}

const char* describe(NearRepeatError e) {
  switch (e) {
    case NearRepeatError::too_few: return "fewer than 2 incidents: there are no pairs to count";
    case NearRepeatError::no_days:
      return "an incident has a month but no day: near repeat analysis needs dates (police.uk data gives months only)";
    case NearRepeatError::not_finite: return "an incident has no finite coordinates";
    case NearRepeatError::bad_bands:
      return "bands must be ascending upper edges: distances > 0 metres, days >= 0, at least one of each";
    case NearRepeatError::bad_iterations: return "iterations must be between 1 and 99999";
  }
  return "unknown near repeat error";
}

namespace {

std::string num(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

}  // namespace

namespace {
// Interval text built by appending (GCC 12 warns falsely on "x" + std::string).
std::string interval(bool closed_left, const std::string& from, const std::string& to, bool open_end) {
  std::string out;
  out += closed_left ? '[' : '(';
  out += from;
  out += ", ";
  out += open_end ? std::string("inf") : to;
  out += open_end ? ')' : ']';
  return out;
}
}  // namespace

std::string NearRepeatTable::space_label(std::size_t s) const {
  const NearRepeatCell& c = at(s, 0);
  return interval(c.space_closed_left, num(c.space_from_m), num(c.space_to_m), std::isinf(c.space_to_m));
}

std::string NearRepeatTable::time_label(std::size_t t) const {
  const NearRepeatCell& c = at(0, t);
  return interval(c.time_closed_left, std::to_string(c.time_from_days), std::to_string(c.time_to_days),
                  c.time_to_days == std::numeric_limits<int32_t>::max());
}

// [SECTION] Pairs and bands -------------------------------------------------------------

namespace {

struct Pair {
  uint32_t i, j;
};

// Tabulates the close pairs (grouped by space band) for one assignment of days.
// counts: (space bands - 1) x time bands (the "more than" row is derived).
void tabulate(const std::vector<std::vector<Pair>>& by_band, std::span<const DayNumber> day,
              std::span<const uint8_t> lut, uint8_t beyond, std::size_t time_bands, std::span<uint64_t> counts) {
  std::fill(counts.begin(), counts.end(), 0);
  const auto last = static_cast<int64_t>(lut.size()) - 1;
  for (std::size_t s = 0; s < by_band.size(); ++s) {
    uint64_t* row = counts.data() + s * time_bands;
    for (const Pair& p : by_band[s]) {
      const int64_t dt = std::abs(static_cast<int64_t>(day[p.i]) - static_cast<int64_t>(day[p.j]));
      ++row[dt <= last ? lut[static_cast<std::size_t>(dt)] : beyond];
    }
  }
}

}  // namespace

// [SECTION] The test --------------------------------------------------------------------

Result<NearRepeatTable, NearRepeatError> near_repeat(std::span<const double> x_m, std::span<const double> y_m,
                                                     std::span<const DayNumber> day, const NearRepeatOptions& o) {
  using Out = Result<NearRepeatTable, NearRepeatError>;
  auto fail = [](NearRepeatError e) { return Out::failure(e, describe(e)); };
  HOTSPOT_ASSERT(x_m.size() == y_m.size() && x_m.size() == day.size());
  const auto& se = o.space_bands_m;
  const auto& te = o.time_bands_days;
  if (se.empty() || te.empty() || !(se[0] > 0) || te[0] < 0) return fail(NearRepeatError::bad_bands);
  for (std::size_t k = 1; k < se.size(); ++k)
    if (!(se[k] > se[k - 1]) || !std::isfinite(se[k])) return fail(NearRepeatError::bad_bands);
  for (std::size_t k = 1; k < te.size(); ++k)
    if (te[k] <= te[k - 1]) return fail(NearRepeatError::bad_bands);
  if (o.iterations < 1 || o.iterations > 99999) return fail(NearRepeatError::bad_iterations);
  const std::size_t n = x_m.size();
  if (n < 2) return fail(NearRepeatError::too_few);
  for (std::size_t i = 0; i < n; ++i) {
    if (day[i] == kNoDay) return fail(NearRepeatError::no_days);
    if (!std::isfinite(x_m[i]) || !std::isfinite(y_m[i])) return fail(NearRepeatError::not_finite);
  }

  NearRepeatTable tab;
  const std::size_t S = se.size() + 2, T = te.size() + 1;
  tab.space_bands = S;
  tab.time_bands = T;
  tab.incidents = n;
  tab.pairs = static_cast<uint64_t>(n) * (n - 1) / 2;
  tab.iterations = o.iterations;
  tab.seed = o.seed;
  tab.metric = o.metric;
  tab.first_day = *std::min_element(day.begin(), day.end());
  tab.last_day = *std::max_element(day.begin(), day.end());

  // Time band of a day difference: lut[dt] for dt <= last edge, else T - 1.
  const auto last_edge = static_cast<std::size_t>(te.back());
  std::vector<uint8_t> lut(last_edge + 1);
  for (std::size_t dt = 0, b = 0; dt <= last_edge; ++dt) {
    while (static_cast<int64_t>(dt) > te[b]) ++b;
    lut[dt] = static_cast<uint8_t>(b);
  }
  const auto beyond = static_cast<uint8_t>(T - 1);

  // Close pairs (within the last space edge), grouped by space band 0 .. S - 2.
  const double reach = se.back();
  std::vector<std::vector<Pair>> by_band(S - 1);
  {
    PointIndex index(x_m, y_m);
    std::vector<double> se2(se.size());
    for (std::size_t k = 0; k < se.size(); ++k) se2[k] = se[k] * se[k];
    for (uint32_t i = 0; i < n; ++i) {
      index.within(i, reach, [&](uint32_t j, double d2) {
        if (j <= i) return;
        std::size_t band;
        if (o.metric == DistanceMetric::manhattan) {
          const double d = std::fabs(x_m[i] - x_m[j]) + std::fabs(y_m[i] - y_m[j]);
          if (d > reach) return;
          if (d == 0) band = 0;
          else band = 1 + static_cast<std::size_t>(std::lower_bound(se.begin(), se.end(), d) - se.begin());
        } else {
          if (d2 == 0) band = 0;
          else band = 1 + static_cast<std::size_t>(std::lower_bound(se2.begin(), se2.end(), d2) - se2.begin());
        }
        by_band[band].push_back({i, j});
      });
    }
  }
  for (const auto& b : by_band) tab.close_pairs += b.size();

  // All pairs per time band, from the histogram of days (kept by any permutation).
  std::vector<uint64_t> all(T, 0);
  {
    const auto span_days = static_cast<std::size_t>(tab.last_day - tab.first_day) + 1;
    std::vector<uint64_t> per_day(span_days, 0);
    for (DayNumber d : day) ++per_day[static_cast<std::size_t>(d - tab.first_day)];
    uint64_t within_last = 0;
    for (std::size_t lag = 0; lag <= last_edge && lag < span_days; ++lag) {
      uint64_t pairs = 0;
      for (std::size_t d = 0; d + lag < span_days; ++d)
        pairs += lag == 0 ? per_day[d] * (per_day[d] - (per_day[d] > 0 ? 1 : 0)) / 2 : per_day[d] * per_day[d + lag];
      all[lut[lag]] += pairs;
      within_last += pairs;
    }
    all[T - 1] += tab.pairs - within_last;
  }

  const std::size_t close_cells = (S - 1) * T;
  auto complete = [&](std::span<uint64_t> counts, std::span<uint64_t> full) {
    // full: S x T, with the "more than" row = all - close.
    std::copy(counts.begin(), counts.end(), full.begin());
    for (std::size_t t = 0; t < T; ++t) {
      uint64_t close = 0;
      for (std::size_t s = 0; s + 1 < S; ++s) close += counts[s * T + t];
      full[(S - 1) * T + t] = all[t] - close;
    }
  };

  std::vector<uint64_t> observed(S * T), scratch(close_cells);
  tabulate(by_band, day, lut, beyond, T, scratch);
  complete(scratch, observed);

  // Monte Carlo: iteration r permutes the days with its own stream. Iterations run
  // in batches of kLanes: the close pairs are streamed once per batch (not once per
  // iteration: with millions of pairs the pass is memory-bound), each pair is
  // classified for every iteration of the batch at once from an interleaved table
  // of the batch's day offsets (int16 lanes that the compiler vectorises), as
  // cumulative counts #{dt <= edge_k}. The counts are exact integers, so the table
  // is the same as one iteration at a time, for any thread count.
  const unsigned R = o.iterations;
  std::vector<uint64_t> sims(static_cast<std::size_t>(R) * S * T);
  constexpr unsigned kLanes = 8;
  using Lanes = int16_t __attribute__((vector_size(2 * kLanes)));
  const unsigned batches = (R + kLanes - 1) / kLanes;
  unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, batches);
  const std::size_t K = te.size();  // cumulative edges
  std::vector<int16_t> edge16(K);
  for (std::size_t k = 0; k < K; ++k) edge16[k] = static_cast<int16_t>(std::min<int32_t>(te[k], 32767));
  const bool short_span = tab.last_day - tab.first_day < 32767;
  auto work = [&](unsigned first, unsigned stride) {
    std::vector<DayNumber> shuffled(n);
    std::vector<uint64_t> counts(close_cells);
    std::vector<int16_t> lanes(short_span ? n * kLanes : 0);
    std::vector<uint32_t> cum(K * kLanes);
    std::vector<Lanes> acc(K), edges(K);
    for (std::size_t k = 0; k < K; ++k)
      for (unsigned l = 0; l < kLanes; ++l) edges[k][l] = edge16[k];
    const Rng base(o.seed);
    for (unsigned bi = first; bi < batches; bi += stride) {
      const unsigned r0 = bi * kLanes, r1 = std::min(R, r0 + kLanes);
      if (!short_span) {  // a span of 90 years or more: one iteration at a time
        for (unsigned r = r0; r < r1; ++r) {
          std::copy(day.begin(), day.end(), shuffled.begin());
          Rng rng = base.stream(r);
          for (std::size_t i = n - 1; i > 0; --i) std::swap(shuffled[i], shuffled[rng.below(i + 1)]);
          tabulate(by_band, shuffled, lut, beyond, T, counts);
          complete(counts, std::span<uint64_t>(sims).subspan(static_cast<std::size_t>(r) * S * T, S * T));
        }
        continue;
      }
      for (unsigned r = r0; r < r0 + kLanes; ++r) {
        const unsigned lane = r - r0;
        if (r < r1) {
          std::copy(day.begin(), day.end(), shuffled.begin());
          Rng rng = base.stream(r);
          for (std::size_t i = n - 1; i > 0; --i) std::swap(shuffled[i], shuffled[rng.below(i + 1)]);
        }  // lanes past R reuse the previous days and are ignored
        for (std::size_t i = 0; i < n; ++i)
          lanes[i * kLanes + lane] = static_cast<int16_t>(shuffled[i] - tab.first_day);
      }
      std::vector<std::vector<uint64_t>> batch_counts(r1 - r0, std::vector<uint64_t>(close_cells, 0));
      for (std::size_t sb = 0; sb < by_band.size(); ++sb) {
        std::fill(cum.begin(), cum.end(), 0u);
        const int16_t* L = lanes.data();
        const std::vector<Pair>& pairs = by_band[sb];
        // 8 int16 lanes as one GCC vector (one SSE register; 16 lanes in a 32-byte
        // vector were split into scalar code by GCC 12 on x86-64 and ran 5x slower):
        // per pair one load of each incident's 8 day offsets, |difference|, and per
        // edge a compare whose
        // -1/0 mask is subtracted from the lane counters; flushed into cum before an
        // int16 counter can pass 32767.
        for (std::size_t q0 = 0; q0 < pairs.size(); q0 += 32767) {
          const std::size_t q1 = std::min(pairs.size(), q0 + 32767);
          for (std::size_t k = 0; k < K; ++k) acc[k] = Lanes{};
          for (std::size_t q = q0; q < q1; ++q) {
            Lanes va, vb;
            std::memcpy(&va, L + static_cast<std::size_t>(pairs[q].i) * kLanes, sizeof va);
            std::memcpy(&vb, L + static_cast<std::size_t>(pairs[q].j) * kLanes, sizeof vb);
            const Lanes d = va - vb;
            const Lanes ad = d < 0 ? -d : d;
            for (std::size_t k = 0; k < K; ++k) acc[k] -= ad <= edges[k];
          }
          for (std::size_t k = 0; k < K; ++k)
            for (unsigned l = 0; l < kLanes; ++l) cum[k * kLanes + l] += static_cast<uint32_t>(acc[k][l]);
        }
        const auto total = static_cast<uint64_t>(by_band[sb].size());
        for (unsigned r = r0; r < r1; ++r) {
          const unsigned l = r - r0;
          uint64_t* row = batch_counts[l].data() + sb * T;
          uint64_t below = 0;
          for (std::size_t k = 0; k < K; ++k) {
            const uint64_t c = cum[k * kLanes + l];
            row[k] = c - below;
            below = c;
          }
          row[T - 1] = total - below;
        }
      }
      for (unsigned r = r0; r < r1; ++r)
        complete(batch_counts[r - r0], std::span<uint64_t>(sims).subspan(static_cast<std::size_t>(r) * S * T, S * T));
    }
  };
  if (threads <= 1) {
    work(0, 1);
  } else {
    std::vector<std::thread> pool;
    for (unsigned k = 0; k < threads; ++k) pool.emplace_back(work, k, threads);
    for (auto& th : pool) th.join();
  }

  tab.cells.resize(S * T);
  std::vector<uint64_t> column(R);
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t t = 0; t < T; ++t) {
      NearRepeatCell& c = tab.cells[s * T + t];
      c.space_closed_left = s == 0;
      c.space_from_m = s <= 1 ? 0.0 : se[s - 2];
      c.space_to_m = s == 0 ? 0.0 : (s + 1 == S ? std::numeric_limits<double>::infinity() : se[s - 1]);
      c.time_closed_left = t == 0;
      c.time_from_days = t == 0 ? 0 : te[t - 1];
      c.time_to_days = t + 1 == T ? std::numeric_limits<int32_t>::max() : te[t];
      const std::size_t k = s * T + t;
      c.observed = observed[k];
      double sum = 0;
      uint32_t ge = 0;
      for (unsigned r = 0; r < R; ++r) {
        const uint64_t e = sims[static_cast<std::size_t>(r) * S * T + k];
        column[r] = e;
        sum += static_cast<double>(e);
        ge += e >= c.observed;
      }
      c.expected = sum / R;
      std::sort(column.begin(), column.end());
      c.expected_median = R % 2 ? static_cast<double>(column[R / 2])
                                : (static_cast<double>(column[R / 2 - 1]) + static_cast<double>(column[R / 2])) / 2;
      c.ratio = c.expected > 0 ? static_cast<double>(c.observed) / c.expected : std::nan("");
      c.ge = ge;
      c.p = (static_cast<double>(ge) + 1) / (static_cast<double>(R) + 1);
    }
  return tab;
}

// [SECTION] Markdown --------------------------------------------------------------------

std::string near_repeat_markdown(const NearRepeatTable& t) {
  auto fixed = [](double v, int digits) {
    if (!std::isfinite(v)) return std::string("n/a");
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return std::string(buf);
  };
  std::string md = "| distance (m) \\ days apart |";
  for (std::size_t c = 0; c < t.time_bands; ++c) {
    md += ' ';
    md += t.time_label(c);
    md += " |";
  }
  md += "\n|---|";
  for (std::size_t c = 0; c < t.time_bands; ++c) md += "---:|";
  md += '\n';
  for (std::size_t s = 0; s < t.space_bands; ++s) {
    md += "| ";
    if (s == 0) md += "same location ";
    md += t.space_label(s);
    md += " |";
    for (std::size_t c = 0; c < t.time_bands; ++c) {
      const NearRepeatCell& cell = t.at(s, c);
      const bool meaningful = cell.p <= 0.05 && std::isfinite(cell.ratio) && cell.ratio >= 1.2;
      md += ' ';
      if (meaningful) md += "**";
      md += fixed(cell.ratio, 2);
      md += " (p ";
      md += fixed(cell.p, 3);
      md += ')';
      if (meaningful) md += "**";
      md += " |";
    }
    md += '\n';
  }
  md += "\nKnox ratio = observed pairs / expected pairs (the mean over ";
  md += std::to_string(t.iterations);
  md += " random permutations of the dates, seed ";
  md += std::to_string(t.seed);
  md += "); p = (#{expected >= observed} + 1) / (";
  md += std::to_string(t.iterations);
  md += " + 1). Bold: ratio >= 1.2 with p <= 0.05 (at least 20% more pairs than chance). Distances are ";
  md += distance_metric_name(t.metric);
  md += "; bands are right-closed: (100, 200] holds pairs more than 100 m and at most 200 m apart, [0, 7] days "
        "holds pairs 0 to 7 days apart.\n";
  return md;
}

}  // namespace hotspot::core
