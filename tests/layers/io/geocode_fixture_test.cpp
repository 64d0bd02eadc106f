// The messy-address fixture (tests/fixtures/geocode/README.md): the hit rate and the
// wrong-match rate of the geocoder on realistic partner data with known truth.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/geocode/geocoder.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/gazetteer_reader.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot::layers;
namespace geo = hotspot::core::geocode;

namespace {

std::filesystem::path fixture(const std::string& name) { return hotspot::test::fixtures() / "geocode" / name; }

struct MessyRow {
  uint64_t line = 0;
  std::string id, address, postcode, uprn, variant, expect, kind;
  double x = std::nan(""), y = std::nan(""), x2 = std::nan(""), y2 = std::nan("");
};

std::vector<MessyRow> read_messy() {
  std::vector<MessyRow> rows;
  CsvChunker chunker(fixture("messy.csv"));
  const CsvHeader& h = chunker.header();
  auto col = [&](const char* n) { return static_cast<std::size_t>(h.find(n)); };
  CsvChunk chunk;
  while (chunker.next(chunk))
    parse_records(chunk, h.delimiter, [&](const CsvRecord& r) {
      MessyRow m;
      m.line = r.line;
      auto f = [&](const char* n) { return std::string(r.fields[col(n)]); };
      m.id = f("id");
      m.address = f("address");
      m.postcode = f("postcode");
      m.uprn = f("uprn");
      m.variant = f("variant");
      m.expect = f("expect");
      m.kind = f("truth_kind");
      auto num = [&](const char* n) { return f(n).empty() ? std::nan("") : std::stod(f(n)); };
      m.x = num("truth_x");
      m.y = num("truth_y");
      m.x2 = num("truth_x2");
      m.y2 = num("truth_y2");
      rows.push_back(std::move(m));
    });
  return rows;
}

// Distance from a match to the truth: the point, or for street rows the segment.
double error_m(const MessyRow& t, double x, double y) {
  if (t.kind != "street") return std::hypot(x - t.x, y - t.y);
  const double dx = t.x2 - t.x, dy = t.y2 - t.y;
  const double u = std::clamp(((x - t.x) * dx + (y - t.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
  return std::hypot(x - (t.x + u * dx), y - (t.y + u * dy));
}

struct Outcome {
  std::size_t rows = 0, matched = 0, wrong = 0;
  std::size_t ambiguous_rows = 0, ambiguous_reported = 0, empty_rows = 0, empty_reported = 0;
  double worst_m = 0;
  std::vector<geo::GeocodeResult> results;
};

Outcome run(const geo::Gazetteer& g, const std::vector<MessyRow>& rows, const char* label) {
  Outcome o;
  geo::Geocoder geocoder(g);
  auto session = geocoder.session();
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_variant;
  std::map<std::string, std::size_t> by_method;
  for (const MessyRow& t : rows) {
    const geo::GeocodeResult r = session.geocode(t.address, t.postcode, t.uprn);
    o.results.push_back(r);
    ++o.rows;
    auto& v = by_variant[t.variant];
    ++v.second;
    if (t.variant == "ambiguous") {
      ++o.ambiguous_rows;
      if (!r.matched() && r.reason == geo::UnmatchedReason::ambiguous) ++o.ambiguous_reported;
    }
    if (t.variant == "garbage") {
      ++o.empty_rows;
      if (!r.matched()) ++o.empty_reported;
    }
    if (!r.matched()) continue;
    ++o.matched;
    ++v.first;
    ++by_method[geo::method_name(r.method)];
    if (std::isnan(t.x)) continue;
    const double e = error_m(t, r.x_m, r.y_m);
    o.worst_m = std::max(o.worst_m, e);
    if (e > 100.0) {
      ++o.wrong;
      ADD_FAILURE() << label << ": " << t.id << " (line " << t.line << ", " << t.variant << ") '" << t.address << "' "
                    << t.postcode << " matched " << e << " m from the truth by " << geo::method_name(r.method) << ": "
                    << session.explanation();
    }
  }
  std::printf("  %s: %zu of %zu rows matched (%.2f%%), %zu more than 100 m off, worst %.1f m\n", label, o.matched,
              o.rows, 100.0 * static_cast<double>(o.matched) / static_cast<double>(o.rows), o.wrong, o.worst_m);
  for (const auto& [variant, c] : by_variant) std::printf("    %-16s %4zu / %4zu\n", variant.c_str(), c.first, c.second);
  for (const auto& [method, n] : by_method) std::printf("    method %-20s %4zu\n", method.c_str(), n);
  return o;
}

GazetteerSources fixture_sources() {
  GazetteerSources s;
  s.addresses = fixture("gazetteer.csv");
  s.postcodes = fixture("codepoint_ng_sectors.csv");
  return s;
}

}  // namespace

TEST(GeocodeFixture, HitRateAtLeast95PercentAndNoMatchMoreThan100mOff) {
  const std::vector<MessyRow> rows = read_messy();
  ASSERT_EQ(rows.size(), 2000u);
  const GazetteerLoad g = load_gazetteer(fixture_sources());
  const Outcome o = run(g.gazetteer, rows, "addresses + postcodes");
  EXPECT_GE(static_cast<double>(o.matched) / static_cast<double>(o.rows), 0.95);
  EXPECT_EQ(o.wrong, 0u);
  // Ties are reported, never guessed; rows with no address are not placed.
  EXPECT_GT(o.ambiguous_rows, 10u);
  EXPECT_EQ(o.ambiguous_reported, o.ambiguous_rows);
  EXPECT_GT(o.empty_rows, 5u);
  EXPECT_EQ(o.empty_reported, o.empty_rows);
}

TEST(GeocodeFixture, StreetLinesKeepTheRatesAndPlaceJunctionsOnTheCrossing) {
  const std::vector<MessyRow> rows = read_messy();
  GazetteerSources s = fixture_sources();
  s.streets = fixture("streets.geojson");
  s.street_options.town_field = "town";
  const GazetteerLoad g = load_gazetteer(s);
  const Outcome o = run(g.gazetteer, rows, "addresses + postcodes + street lines");
  EXPECT_GE(static_cast<double>(o.matched) / static_cast<double>(o.rows), 0.95);
  EXPECT_EQ(o.wrong, 0u);
  EXPECT_EQ(o.ambiguous_reported, o.ambiguous_rows);
  // With lines a junction is the crossing: within a few metres of the true junction.
  double worst = 0;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (o.results[i].method == geo::MatchMethod::junction && rows[i].kind == "junction")
      worst = std::max(worst, error_m(rows[i], o.results[i].x_m, o.results[i].y_m));
  std::printf("  junctions from lines: worst %.2f m from the true junction\n", worst);
  EXPECT_LT(worst, 5.0);
}

TEST(GeocodeFixture, TheSavedIndexGivesTheSameAnswers) {
  hotspot::test::TempDir d;
  const std::vector<MessyRow> rows = read_messy();
  const GazetteerLoad built = load_gazetteer(fixture_sources());
  save_gazetteer_index(built.gazetteer, d / "fixture.hsgaz");
  GazetteerSources by_index;
  by_index.index = d / "fixture.hsgaz";
  const GazetteerLoad loaded = load_gazetteer(by_index);
  geo::Geocoder a(built.gazetteer), b(loaded.gazetteer);
  auto sa = a.session();
  auto sb = b.session();
  for (const MessyRow& t : rows) {
    const auto ra = sa.geocode(t.address, t.postcode, t.uprn), rb = sb.geocode(t.address, t.postcode, t.uprn);
    ASSERT_EQ(ra.method, rb.method) << t.id;
    ASSERT_EQ(ra.score, rb.score) << t.id;
    if (ra.matched()) {
      ASSERT_EQ(ra.x_m, rb.x_m) << t.id;
      ASSERT_EQ(ra.y_m, rb.y_m) << t.id;
    }
  }
}
