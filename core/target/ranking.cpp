// Ranking target areas: harm weights, per-unit sums and the transparent score.
// See ranking.hpp for the definitions; this file holds the default harm table and
// the reasons of every row.

#include "core/target/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <unordered_set>

#include "core/base/assert.hpp"

namespace hotspot::core {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The default harm table. Days of custody at the Sentencing Council (England and
// Wales) guideline starting point for a first offender, for the offence that makes
// up most of each police.uk type, in the manner of the Cambridge Crime Harm Index
// (Sherman, Neyroud & Neyroud 2016). Non-custodial starting points (fines,
// community orders) and ASB get a nominal 1 day. Approximate by construction: one
// police.uk type mixes many offences; replace with force CCHI values in [rank].
struct DefaultRow {
  const char* category;
  double days;
  const char* basis;
};
constexpr DefaultRow kDefaults[] = {
    {"Anti-social behaviour", 1, "not a notifiable crime: nominal 1 day"},
    {"Bicycle theft", 1, "theft (general guideline), low value: non-custodial starting point, nominal 1 day"},
    {"Burglary", 365, "domestic burglary, category 2: starting point 1 year custody"},
    {"Criminal damage and arson", 1, "criminal damage under 5000 GBP: non-custodial starting point, nominal 1 day"},
    {"Drugs", 1, "possession of a controlled drug (class B): non-custodial starting point, nominal 1 day"},
    {"Other crime", 1, "mixed offences: nominal 1 day"},
    {"Other theft", 1, "theft (general guideline), low value: non-custodial starting point, nominal 1 day"},
    {"Possession of weapons", 90,
     "possession of a bladed article or offensive weapon: custodial starting points of weeks to 6 months, "
     "approximated as 90 days"},
    {"Public order", 1, "Public Order Act s.4/4A/5: non-custodial starting point, nominal 1 day"},
    {"Robbery", 365, "street robbery, lowest category: starting point 1 year custody"},
    {"Shoplifting", 1, "theft from a shop, low value: non-custodial starting point, nominal 1 day"},
    {"Theft from the person", 1, "theft from the person, low value: non-custodial starting point, nominal 1 day"},
    {"Vehicle crime", 1, "theft from or of a vehicle, interference: non-custodial starting point, nominal 1 day"},
    {"Violence and sexual offences", 90,
     "mix of common assault (non-custodial), assault occasioning ABH (custodial, about 6 months) and sexual "
     "offences: approximated as 90 days"},
};

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& ch : r)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return r;
}

// Percentile rank: share of units with a strictly lower value (NaN values count as
// lowest and get 0). O(n log n).
std::vector<double> percentile_ranks(std::span<const double> v) {
  const std::size_t n = v.size();
  std::vector<double> sorted;
  sorted.reserve(n);
  for (double x : v)
    if (!std::isnan(x)) sorted.push_back(x);
  std::sort(sorted.begin(), sorted.end());
  const std::size_t nan_count = n - sorted.size();
  std::vector<double> out(n, 0.0);
  if (n == 0) return out;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(v[i])) continue;
    const auto below = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), v[i]) - sorted.begin());
    out[i] = static_cast<double>(below + nan_count) / static_cast<double>(n);
  }
  return out;
}

std::string fmt_number(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// "top 3%" from a percentile rank (share strictly lower).
std::string top_share(double pct) {
  const double top = std::max(1.0, std::ceil((1.0 - pct) * 100.0 - 1e-9));
  return "top " + fmt_number(top) + "%";
}

const char* gi_words(int8_t bin) {
  switch (bin) {
    case 3: return "99% Gi* hot spot";
    case 2: return "95% Gi* hot spot";
    case 1: return "90% Gi* hot spot";
    case -1: return "90% Gi* cold spot";
    case -2: return "95% Gi* cold spot";
    case -3: return "99% Gi* cold spot";
    default: return nullptr;
  }
}

}  // namespace

std::vector<HarmWeight> default_harm_weights() {
  std::vector<HarmWeight> out;
  for (const auto& r : kDefaults) out.push_back({r.category, r.days, r.basis});
  return out;
}

const char* default_harm_source() {
  return "Hotspot's default harm weights: days of custody at the Sentencing Council (England and Wales) guideline "
         "starting point for a first offender, per police.uk crime type, in the style of the Cambridge Crime Harm "
         "Index (Sherman, Neyroud & Neyroud 2016, Policing 10(3):171-183); non-custodial starting points and ASB "
         "weigh a nominal 1 day; approximate, not the published CCHI table";
}

HarmLookup harm_lookup(const Taxonomy& taxonomy, std::span<const HarmWeight> overrides, double unknown_days) {
  HarmLookup out;
  out.days_by_category.assign(taxonomy.size(), unknown_days);
  auto find = [&](const std::string& name) -> std::optional<CategoryId> {
    if (auto id = taxonomy.find(name)) return id;
    if (auto id = taxonomy.find_slug(lower(name))) return id;
    std::string slug = slugify(name);
    if (auto id = taxonomy.find_slug(slug)) return id;
    std::replace(slug.begin(), slug.end(), '_', '-');
    return taxonomy.find_slug(slug);
  };
  for (const auto& r : kDefaults)
    if (auto id = find(r.category)) out.days_by_category[*id] = r.days;
  for (const auto& w : overrides) {
    if (auto id = find(w.category)) out.days_by_category[*id] = w.days;
    else out.unmatched.push_back(w.category);
  }
  return out;
}

std::vector<double> harm_per_unit(std::span<const uint32_t> unit_of_incident, std::span<const CategoryId> category,
                                  std::span<const double> days_by_category, std::size_t units) {
  HOTSPOT_ASSERT(unit_of_incident.size() == category.size());
  std::vector<double> out(units, 0.0);
  for (std::size_t i = 0; i < unit_of_incident.size(); ++i) {
    const uint32_t u = unit_of_incident[i];
    if (u == kNoUnit) continue;
    HOTSPOT_ASSERT(u < units);
    HOTSPOT_ASSERT(category[i] < days_by_category.size());
    out[u] += days_by_category[category[i]];
  }
  return out;
}

std::vector<double> count_per_unit(std::span<const uint32_t> unit_of_incident, std::size_t units) {
  std::vector<double> out(units, 0.0);
  for (uint32_t u : unit_of_incident) {
    if (u == kNoUnit) continue;
    HOTSPOT_ASSERT(u < units);
    out[u] += 1.0;
  }
  return out;
}

double emerging_weight(EmergingCategory c) {
  switch (c) {
    case EmergingCategory::new_hot:
    case EmergingCategory::consecutive_hot:
    case EmergingCategory::intensifying_hot:
    case EmergingCategory::persistent_hot: return 1.0;
    case EmergingCategory::sporadic_hot:
    case EmergingCategory::oscillating_hot:
    case EmergingCategory::diminishing_hot: return 0.5;
    case EmergingCategory::historical_hot: return 0.25;
    default: return 0.0;
  }
}

const char* describe(RankError e) {
  switch (e) {
    case RankError::empty: return "there are no units to rank";
    case RankError::size_mismatch: return "a column has a different number of values than there are units";
    case RankError::duplicate_id: return "two units share an id";
    case RankError::bad_value: return "a count, harm or denominator is negative or not a number, or a Gi* bin is outside -3..3";
  }
  return "unknown ranking error";
}

Result<Ranking, RankError> rank_units(const RankInput& in, const RankOptions& o) {
  using R = Result<Ranking, RankError>;
  const std::size_t n = in.ids.size();
  if (n == 0) return R::failure(RankError::empty, describe(RankError::empty));
  auto check_size = [&](std::size_t s, const char* what) -> std::optional<std::string> {
    if (s != 0 && s != n)
      return std::string(what) + " has " + std::to_string(s) + " values for " + std::to_string(n) + " units";
    return std::nullopt;
  };
  if (in.count.size() != n)
    return R::failure(RankError::size_mismatch,
                      "count has " + std::to_string(in.count.size()) + " values for " + std::to_string(n) + " units");
  for (auto m : {check_size(in.names.size(), "names"), check_size(in.harm_days.size(), "harm_days"),
                 check_size(in.denominator.size(), "denominator"), check_size(in.gi_bin.size(), "gi_bin"),
                 check_size(in.emerging.size(), "emerging")})
    if (m) return R::failure(RankError::size_mismatch, *m);
  {
    std::unordered_set<std::string_view> seen;
    seen.reserve(n * 2);
    for (const auto& id : in.ids)
      if (!seen.insert(id).second) return R::failure(RankError::duplicate_id, "duplicate unit id '" + id + "'");
  }
  auto bad = [](double v) { return !std::isfinite(v) || v < 0; };
  for (std::size_t i = 0; i < n; ++i) {
    if (bad(in.count[i]))
      return R::failure(RankError::bad_value, "unit '" + in.ids[i] + "': count " + fmt_number(in.count[i]) + " is not a count");
    if (!in.harm_days.empty() && bad(in.harm_days[i]))
      return R::failure(RankError::bad_value, "unit '" + in.ids[i] + "': harm " + fmt_number(in.harm_days[i]) + " is negative or not a number");
    if (!in.denominator.empty() && !std::isnan(in.denominator[i]) && (std::isinf(in.denominator[i]) || in.denominator[i] < 0))
      return R::failure(RankError::bad_value, "unit '" + in.ids[i] + "': denominator " + fmt_number(in.denominator[i]) + " is negative");
    if (!in.gi_bin.empty() && (in.gi_bin[i] < -3 || in.gi_bin[i] > 3))
      return R::failure(RankError::bad_value, "unit '" + in.ids[i] + "': Gi* bin " + std::to_string(in.gi_bin[i]) + " is outside -3..3");
  }

  Ranking out;
  out.total_units = n;
  out.has_rate = !in.denominator.empty();
  out.has_harm = !in.harm_days.empty();
  out.has_hotspot = !in.gi_bin.empty();
  out.has_emerging = !in.emerging.empty();

  std::vector<double> rate(n, kNaN);
  if (out.has_rate)
    for (std::size_t i = 0; i < n; ++i) {
      const double d = in.denominator[i];
      if (std::isnan(d) || d <= 0 || d < o.min_denominator) {
        out.no_denominator.push_back(static_cast<uint32_t>(i));
        continue;
      }
      rate[i] = in.count[i] / d * o.rate_per;
    }
  const std::vector<double> pc = percentile_ranks(in.count);
  const std::vector<double> pr = out.has_rate ? percentile_ranks(rate) : std::vector<double>{};
  const std::vector<double> ph = out.has_harm ? percentile_ranks(in.harm_days) : std::vector<double>{};

  std::vector<RankedUnit> units(n);
  for (std::size_t i = 0; i < n; ++i) {
    RankedUnit& u = units[i];
    u.unit = static_cast<uint32_t>(i);
    u.count = in.count[i];
    u.rate = rate[i];
    u.harm_days = out.has_harm ? in.harm_days[i] : kNaN;
    u.gi_bin = out.has_hotspot ? in.gi_bin[i] : int8_t{0};
    u.emerging = out.has_emerging ? in.emerging[i] : EmergingCategory::no_pattern;
    u.count_part = o.weights.count * pc[i];
    if (out.has_rate && !std::isnan(rate[i])) u.rate_part = o.weights.rate * pr[i];
    if (out.has_harm) u.harm_part = o.weights.harm * ph[i];
    if (out.has_hotspot) u.hotspot_part = o.weights.hotspot * std::max(0, static_cast<int>(u.gi_bin)) / 3.0;
    if (out.has_emerging) u.emerging_part = o.weights.emerging * emerging_weight(u.emerging);
    u.score = u.count_part + u.rate_part + u.harm_part + u.hotspot_part + u.emerging_part;
  }
  std::sort(units.begin(), units.end(), [&](const RankedUnit& a, const RankedUnit& b) {
    if (a.score != b.score) return a.score > b.score;
    return in.ids[a.unit] < in.ids[b.unit];
  });
  for (std::size_t k = 0; k < n; ++k) {
    RankedUnit& u = units[k];
    u.rank = static_cast<uint32_t>(k + 1);
    // Reasons: hotspot status first, then the measures, strongest first.
    std::vector<std::string> parts;
    if (const char* g = out.has_hotspot ? gi_words(u.gi_bin) : nullptr; g && u.gi_bin > 0) parts.emplace_back(g);
    if (out.has_emerging && u.emerging != EmergingCategory::no_pattern && emerging_weight(u.emerging) > 0)
      parts.emplace_back(emerging_category_name(u.emerging));
    struct M {
      double pct;
      std::string text;
    };
    std::vector<M> measures;
    const std::size_t i = u.unit;
    measures.push_back({pc[i], fmt_number(u.count) + (u.count == 1 ? " incident (" : " incidents (") + top_share(pc[i]) + ")"});
    if (out.has_rate && !std::isnan(u.rate))
      measures.push_back({pr[i], fmt_number(std::round(u.rate * 10) / 10) + " per " + fmt_number(o.rate_per) + " (" + top_share(pr[i]) + ")"});
    if (out.has_harm)
      measures.push_back({ph[i], "harm " + fmt_number(std::round(u.harm_days)) + " days (" + top_share(ph[i]) + ")"});
    std::stable_sort(measures.begin(), measures.end(), [](const M& a, const M& b) { return a.pct > b.pct; });
    for (auto& m : measures) parts.push_back(std::move(m.text));
    for (std::size_t p = 0; p < parts.size(); ++p) u.reasons += (p ? "; " : "") + parts[p];
  }
  if (o.top_n > 0 && units.size() > o.top_n) units.resize(o.top_n);
  out.units = std::move(units);
  return out;
}

}  // namespace hotspot::core
