#include "core/geo/crs.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <proj.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "core/base/error.hpp"
#include "core/base/random.hpp"
#include "core/geo/osgrid.hpp"

using namespace hotspot::core;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double dms(double deg, double min, double sec) { return deg + min / 60.0 + sec / 3600.0; }

// Without the OSTN15 grid PROJ uses the Helmert; the cs2cs fixture was made that way.
bool uses_ostn15(const Transformer& t) {
  return t.definition().find("OSTN15") != std::string::npos;
}

// --- the cs2cs fixture ---------------------------------------------------------------------

struct FixtureRow {
  int line;
  double lon, lat, easting, northing, lon_back, lat_back;
  std::string place;
};

// PROJ's inverse Helmert is not an exact inverse of its forward one: cs2cs itself
// returns lon/lat up to ~1.4e-8 degrees (~1 mm) from where it started. So the round
// trip is checked at 2e-8 degrees, and our inverse against cs2cs's inverse at 1e-9.
constexpr double kRoundTripDeg = 2e-8;
constexpr double kSameAsCs2csDeg = 1e-9;

bool parse_double(std::string_view field, double& out) {
  const auto r = std::from_chars(field.data(), field.data() + field.size(), out);
  return r.ec == std::errc() && r.ptr == field.data() + field.size();
}

const char* const kFixture = HOTSPOT_FIXTURES_DIR "/geo/cs2cs_wgs84_to_bng.txt";

std::vector<FixtureRow> read_fixture() {
  std::ifstream in(kFixture);
  EXPECT_TRUE(in) << "cannot open " << kFixture;
  std::vector<FixtureRow> rows;
  std::string text;
  int line = 0;
  bool header_seen = false;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text[0] == '#') continue;
    if (!header_seen) {
      EXPECT_EQ(text, "lon,lat,easting,northing,lon_back,lat_back,place")
          << kFixture << ":" << line;
      header_seen = true;
      continue;
    }
    std::vector<std::string_view> fields;
    std::string_view rest(text);
    for (int f = 0; f < 6; ++f) {
      const auto comma = rest.find(',');
      if (comma == std::string_view::npos) break;
      fields.push_back(rest.substr(0, comma));
      rest.remove_prefix(comma + 1);
    }
    FixtureRow row{.line = line, .place = std::string(rest)};
    const bool ok = fields.size() == 6 && parse_double(fields[0], row.lon) &&
                    parse_double(fields[1], row.lat) && parse_double(fields[2], row.easting) &&
                    parse_double(fields[3], row.northing) &&
                    parse_double(fields[4], row.lon_back) && parse_double(fields[5], row.lat_back);
    EXPECT_TRUE(ok) << kFixture << ":" << line << ": malformed row '" << text << "'";
    if (ok) rows.push_back(row);
  }
  return rows;
}

}  // namespace

// --- construction and errors (invalid input first) ----------------------------------------

TEST(Transformer, CreateThrowsUsageErrorNamingAnUnknownSourceCrs) {
  try {
    (void)Transformer::create("EPSG:99999", "EPSG:27700");
    FAIL() << "expected UsageError";
  } catch (const hotspot::UsageError& e) {
    EXPECT_THAT(e.what(), StartsWith("PROJ cannot build the source CRS 'EPSG:99999': "));
  }
}

TEST(Transformer, CreateThrowsUsageErrorNamingAnUnknownTargetCrs) {
  try {
    (void)Transformer::create("EPSG:4326", "not a crs at all");
    FAIL() << "expected UsageError";
  } catch (const hotspot::UsageError& e) {
    EXPECT_THAT(e.what(), StartsWith("PROJ cannot build the target CRS 'not a crs at all': "));
  }
}

TEST(Transformer, CreateRejectsObjectsThatAreNotCrss) {
  // EPSG transformation 1314 (OSGB36 to WGS 84 (6)) is an operation, not a CRS.
  try {
    (void)Transformer::create("EPSG:4326", "urn:ogc:def:coordinateOperation:EPSG::1314");
    FAIL() << "expected UsageError";
  } catch (const hotspot::UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "the target CRS 'urn:ogc:def:coordinateOperation:EPSG::1314' is not a "
                 "coordinate reference system");
  }
}

TEST(Transformer, CreateShortensLongCrsTextsInMessages) {
  const std::string junk(500, 'x');
  try {
    (void)Transformer::create(junk, "EPSG:27700");
    FAIL() << "expected UsageError";
  } catch (const hotspot::UsageError& e) {
    EXPECT_THAT(e.what(),
                StartsWith("PROJ cannot build the source CRS '" + std::string(80, 'x') + "...': "));
  }
}

TEST(Transformer, FailedPointsBecomeNaNAndAreCounted) {
  const Transformer t = Transformer::wgs84_to_bng();
  std::vector<double> x{-1.25, kNaN, std::numeric_limits<double>::infinity(), -1.25, 0.0};
  std::vector<double> y{53.1, 53.1, 53.1, 95.0, kNaN};
  EXPECT_EQ(t.transform(x, y), 4u);
  EXPECT_NEAR(x[0], 450314.7716, 0.001);
  for (std::size_t i = 1; i < x.size(); ++i) {
    EXPECT_TRUE(std::isnan(x[i])) << i;
    EXPECT_TRUE(std::isnan(y[i])) << i;
  }
  const Point p = t.transform(kNaN, 53.0);
  EXPECT_TRUE(std::isnan(p.x()) && std::isnan(p.y()));
}

TEST(Transformer, EmptyBatchIsANoOp) {
  const Transformer t = Transformer::wgs84_to_bng();
  std::vector<double> x, y;
  EXPECT_EQ(t.transform(x, y), 0u);
}

// --- published values -----------------------------------------------------------------

TEST(Transformer, Osgb36ToBngMatchesTheOrdnanceSurveyWorkedExample) {
  // OS "A guide to coordinate systems in Great Britain", worked example (Caister water
  // tower): OSGB36 lat 52°39'27.2531"N, lon 1°43'4.5177"E -> E 651409.903, N 313177.270.
  // EPSG:4277 -> EPSG:27700 is the projection alone (no datum shift).
  const Transformer t = Transformer::create("EPSG:4277", "EPSG:27700");
  const Point p = t.transform(dms(1, 43, 4.5177), dms(52, 39, 27.2531));
  EXPECT_NEAR(p.x(), 651409.903, 0.001);
  EXPECT_NEAR(p.y(), 313177.270, 0.001);
  EXPECT_THAT(t.definition(), HasSubstr("proj=tmerc"));

  // And back: the example's angles are given to 0.0001" (~3 mm).
  const Transformer inv = Transformer::create("EPSG:27700", "EPSG:4277");
  const Point q = inv.transform(651409.903, 313177.270);
  EXPECT_NEAR(q.x(), dms(1, 43, 4.5177), 5e-8);
  EXPECT_NEAR(q.y(), dms(52, 39, 27.2531), 5e-8);
}

TEST(Transformer, AxisOrderIsLonLatEvenForEpsg4326) {
  // EPSG:4326 officially lists latitude first; we normalise to x = longitude.
  const Transformer t = Transformer::wgs84_to_bng();
  const Point p = t.transform(-1.376821, 53.039341);
  EXPECT_NEAR(p.x(), 441882.0100, 0.001);  // cs2cs, see the fixture
  EXPECT_NEAR(p.y(), 349299.9999, 0.001);
  const Point back = Transformer::bng_to_wgs84().transform(441882.0100, 349299.9999);
  EXPECT_NEAR(back.x(), -1.3768209876, kSameAsCs2csDeg);  // cs2cs, see the fixture
  EXPECT_NEAR(back.y(), 53.0393409967, kSameAsCs2csDeg);
}

TEST(Transformer, AcceptsWktAndProjStrings) {
  // WKT of EPSG:27700 as PROJ writes it, and the classic PROJ strings with the Helmert
  // written as +towgs84 (the same seven parameters as "OSGB36 to WGS 84 (6)").
  PJ_CONTEXT* ctx = proj_context_create();
  PJ* bng = proj_create(ctx, "EPSG:27700");
  ASSERT_NE(bng, nullptr);
  const std::string wkt = proj_as_wkt(ctx, bng, PJ_WKT2_2019, nullptr);
  proj_destroy(bng);
  proj_context_destroy(ctx);

  const Point ref = Transformer::wgs84_to_bng().transform(-1.25, 53.1);
  const Point from_wkt = Transformer::create("EPSG:4326", wkt).transform(-1.25, 53.1);
  EXPECT_NEAR(from_wkt.x(), ref.x(), 0.001);
  EXPECT_NEAR(from_wkt.y(), ref.y(), 0.001);

  const Transformer from_proj = Transformer::create(
      "+proj=longlat +datum=WGS84 +no_defs",
      "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy "
      "+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs");
  const Point p = from_proj.transform(-1.25, 53.1);
  EXPECT_NEAR(p.x(), ref.x(), 0.001);
  EXPECT_NEAR(p.y(), ref.y(), 0.001);
}

// --- batches, threads, ownership ------------------------------------------------------------

TEST(Transformer, BatchAndSinglePointResultsAreBitIdentical) {
  const Transformer t = Transformer::wgs84_to_bng();
  hotspot::Rng rng(1);
  std::vector<double> x(1000), y(1000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = rng.uniform(-6.0, 1.7);
    y[i] = rng.uniform(50.0, 58.5);
  }
  std::vector<double> bx = x, by = y;
  EXPECT_EQ(t.transform(bx, by), 0u);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const Point p = t.transform(x[i], y[i]);
    ASSERT_EQ(std::bit_cast<uint64_t>(p.x()), std::bit_cast<uint64_t>(bx[i])) << i;
    ASSERT_EQ(std::bit_cast<uint64_t>(p.y()), std::bit_cast<uint64_t>(by[i])) << i;
  }
}

TEST(Transformer, ClonesWorkIndependentlyOnOtherThreads) {
  const Transformer shared = Transformer::wgs84_to_bng();
  std::vector<double> ref_x(5000), ref_y(5000);
  hotspot::Rng rng(2);
  for (std::size_t i = 0; i < ref_x.size(); ++i) {
    ref_x[i] = rng.uniform(-5.0, 1.5);
    ref_y[i] = rng.uniform(50.5, 57.0);
  }
  std::vector<double> expect_x = ref_x, expect_y = ref_y;
  ASSERT_EQ(shared.transform(expect_x, expect_y), 0u);

  std::vector<std::vector<double>> xs(2, ref_x), ys(2, ref_y);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < 2; ++k) {
    threads.emplace_back([&, k, mine = shared.clone()] {
      for (int rep = 0; rep < 3; ++rep) {
        xs[k] = ref_x;
        ys[k] = ref_y;
        mine.transform(xs[k], ys[k]);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(xs[k], expect_x);
    EXPECT_EQ(ys[k], expect_y);
  }
  EXPECT_EQ(shared.clone().source_crs(), "EPSG:4326");
  EXPECT_EQ(shared.clone().target_crs(), "EPSG:27700");
}

TEST(Transformer, MovedToObjectKeepsTheTransformation) {
  Transformer a = Transformer::wgs84_to_bng();
  Transformer b = std::move(a);
  EXPECT_NEAR(b.transform(-1.376821, 53.039341).x(), 441882.0100, 0.001);
  a = Transformer::bng_to_wgs84();  // a moved-from object may be assigned to
  EXPECT_NEAR(a.transform(441882.0100, 349299.9999).x(), -1.3768209876, kSameAsCs2csDeg);
}

// --- definition ---------------------------------------------------------------------------

TEST(Transformer, DefinitionIsKnownBeforeTheFirstPointAndIsTheOperationUsed) {
  const Transformer t = Transformer::wgs84_to_bng();
  const std::string before = t.definition();
  ASSERT_FALSE(before.empty());
  EXPECT_THAT(before, HasSubstr("proj=pipeline"));
  EXPECT_THAT(before, HasSubstr("proj=tmerc"));
  EXPECT_THAT(before, ::testing::Not(HasSubstr("axisswap")));  // normalised: lon first
  if (!uses_ostn15(t)) {
    EXPECT_THAT(before, HasSubstr("proj=helmert"));
  }
  EXPECT_EQ(t.last_used_definition(), before);  // nothing transformed yet

  (void)t.transform(-1.25, 53.1);  // Ashfield: inside the first-ranked operation's area
  EXPECT_EQ(t.last_used_definition(), before);
  EXPECT_EQ(t.definition(), before);
}

TEST(Transformer, OutsideTheHelmertAreaPROJFallsBackToAnotherOperation) {
  const Transformer t = Transformer::wgs84_to_bng();
  (void)t.transform(2.35, 48.86);  // Paris: outside every OSGB36 operation's area of use
  EXPECT_NE(t.last_used_definition(), t.definition());
}

// --- the cs2cs reference fixture ------------------------------------------------------------

TEST(Transformer, AgreesWithCs2csOnEveryFixtureRow) {
  const Transformer fwd = Transformer::wgs84_to_bng();
  if (uses_ostn15(fwd))
    GTEST_SKIP() << kFixture << " was made with the Helmert; this machine has OSTN15";
  const auto rows = read_fixture();
  ASSERT_GE(rows.size(), 40u) << kFixture;
  std::vector<double> x, y;
  for (const auto& r : rows) {
    x.push_back(r.lon);
    y.push_back(r.lat);
  }
  ASSERT_EQ(fwd.transform(x, y), 0u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_NEAR(x[i], rows[i].easting, 0.001)
        << kFixture << ":" << rows[i].line << " " << rows[i].place;
    EXPECT_NEAR(y[i], rows[i].northing, 0.001)
        << kFixture << ":" << rows[i].line << " " << rows[i].place;
  }
}

TEST(Transformer, InverseAgreesWithCs2csAndReturnsTheFixtureLonLat) {
  const Transformer inv = Transformer::bng_to_wgs84();
  if (uses_ostn15(inv))
    GTEST_SKIP() << kFixture << " was made with the Helmert; this machine has OSTN15";
  const auto rows = read_fixture();
  ASSERT_GE(rows.size(), 40u) << kFixture;
  for (const auto& r : rows) {
    const Point p = inv.transform(r.easting, r.northing);
    EXPECT_NEAR(p.x(), r.lon_back, kSameAsCs2csDeg) << kFixture << ":" << r.line << " " << r.place;
    EXPECT_NEAR(p.y(), r.lat_back, kSameAsCs2csDeg) << kFixture << ":" << r.line << " " << r.place;
    EXPECT_NEAR(p.x(), r.lon, kRoundTripDeg) << kFixture << ":" << r.line << " " << r.place;
    EXPECT_NEAR(p.y(), r.lat, kRoundTripDeg) << kFixture << ":" << r.line << " " << r.place;
  }
}

TEST(Transformer, BenNevisSummitFallsInItsPublishedGridSquare) {
  // A WGS 84 position of the summit (fixture row "Ben Nevis") projects into NN 166 712,
  // the 100 m square Ordnance Survey publishes for it; the Helmert's few metres of error
  // are far smaller than the distance to the square's edges (> 20 m).
  const Point p = Transformer::wgs84_to_bng().transform(-5.003508, 56.796850);
  auto ref = format_grid_reference(p.x(), p.y(), 6);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref.value(), "NN 166 712");
}

// --- TransformCache -----------------------------------------------------------------------

namespace {

uint64_t bits(double v) { return std::bit_cast<uint64_t>(v); }

// Random lon/lat from a pool of `unique` points, so most points repeat.
void random_with_duplicates(hotspot::Rng& rng, std::size_t n, std::size_t unique,
                            std::vector<double>& x, std::vector<double>& y) {
  std::vector<double> px(unique), py(unique);
  for (std::size_t i = 0; i < unique; ++i) {
    px[i] = rng.uniform(-5.5, 1.7);
    py[i] = rng.uniform(50.1, 58.6);
  }
  x.resize(n);
  y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(rng.below(unique));
    x[i] = px[k];
    y[i] = py[k];
  }
}

void expect_bit_identical(const std::vector<double>& ax, const std::vector<double>& ay,
                          const std::vector<double>& bx, const std::vector<double>& by) {
  ASSERT_EQ(ax.size(), bx.size());
  for (std::size_t i = 0; i < ax.size(); ++i) {
    ASSERT_EQ(bits(ax[i]), bits(bx[i])) << "x at " << i;
    ASSERT_EQ(bits(ay[i]), bits(by[i])) << "y at " << i;
  }
}

}  // namespace

TEST(TransformCache, ResultsAreBitIdenticalToTheUncachedTransform) {
  hotspot::Rng rng(27700);
  const Transformer plain = Transformer::wgs84_to_bng();
  for (const std::size_t max_entries : {std::size_t{1} << 20, std::size_t{512}, std::size_t{1}}) {
    TransformCache cache(Transformer::wgs84_to_bng(), max_entries);
    for (int call = 0; call < 4; ++call) {
      std::vector<double> x, y;
      random_with_duplicates(rng, 30000, 3000, x, y);
      // A few awkward keys: NaN payloads, signed zeros, a point PROJ fails on, and the
      // bit pattern the cache uses internally to mark free slots.
      x[0] = -0.0;
      y[0] = 51.0;
      x[1] = 0.0;
      y[1] = 51.0;
      x[2] = kNaN;
      x[3] = std::bit_cast<double>(uint64_t{0x7FF4'E3B7'11C0'FFEEULL});
      x[4] = std::bit_cast<double>(uint64_t{0x7FF4'5045'4E44'494EULL});
      y[5] = 95.0;
      x[6] = x[3];
      y[6] = y[3];
      std::vector<double> ux = x, uy = y;
      const std::size_t failed_plain = plain.transform(ux, uy);
      const std::size_t failed_cached = cache.transform(x, y);
      EXPECT_EQ(failed_cached, failed_plain);
      expect_bit_identical(x, y, ux, uy);
    }
    EXPECT_LE(cache.size(), max_entries);
    EXPECT_EQ(cache.hits() + cache.misses(), 4u * 30000u);
    if (max_entries <= 512) {
      EXPECT_GT(cache.clears(), 0u) << max_entries;
    } else {
      EXPECT_EQ(cache.clears(), 0u);
      EXPECT_LE(cache.misses(), 4u * 3000u + 4u * 8u);
    }
  }
}

TEST(TransformCache, CountsHitsAndMissesIncludingRepeatsWithinOneCall) {
  TransformCache cache(Transformer::wgs84_to_bng());
  std::vector<double> x{-1.25, -1.26, -1.25, -1.25, -1.26, -1.30};
  std::vector<double> y{53.10, 53.12, 53.10, 53.10, 53.12, 53.05};
  EXPECT_EQ(cache.transform(x, y), 0u);
  EXPECT_EQ(cache.misses(), 3u);
  EXPECT_EQ(cache.hits(), 3u);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(x[0], x[2]);
  EXPECT_EQ(x[0], x[3]);
  EXPECT_NEAR(x[0], 450314.7716, 0.001);

  std::vector<double> x2{-1.26, -1.30}, y2{53.12, 53.05};
  cache.transform(x2, y2);
  EXPECT_EQ(cache.misses(), 3u);
  EXPECT_EQ(cache.hits(), 5u);
  EXPECT_EQ(x2[0], x[1]);
}

TEST(TransformCache, FailuresAreCachedAndCountedEveryTime) {
  TransformCache cache(Transformer::wgs84_to_bng());
  std::vector<double> x{-1.25, -1.25}, y{95.0, 95.0};
  EXPECT_EQ(cache.transform(x, y), 2u);
  EXPECT_EQ(cache.misses(), 1u);
  std::vector<double> x2{-1.25}, y2{95.0};
  EXPECT_EQ(cache.transform(x2, y2), 1u);
  EXPECT_TRUE(std::isnan(x2[0]) && std::isnan(y2[0]));
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(TransformCache, ClearsWhenFullAndKeepsMemoryBounded) {
  TransformCache cache(Transformer::wgs84_to_bng(), 16);
  hotspot::Rng rng(3);
  std::vector<double> x, y;
  random_with_duplicates(rng, 2000, 1000, x, y);
  std::vector<double> ux = x, uy = y;
  Transformer::wgs84_to_bng().transform(ux, uy);
  cache.transform(x, y);
  expect_bit_identical(x, y, ux, uy);
  EXPECT_GT(cache.clears(), 0u);
  EXPECT_LE(cache.size(), 16u);
  EXPECT_EQ(cache.max_entries(), 16u);
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
}

TEST(TransformCache, GrowsPastItsInitialTableAcrossManyChunks) {
  // 200,000 points (4 chunks) with 20,000 distinct: the table doubles from 4,096 slots.
  TransformCache cache(Transformer::wgs84_to_bng());
  hotspot::Rng rng(4);
  std::vector<double> x, y;
  random_with_duplicates(rng, 200000, 20000, x, y);
  std::vector<double> ux = x, uy = y;
  Transformer::wgs84_to_bng().transform(ux, uy);
  EXPECT_EQ(cache.transform(x, y), 0u);
  expect_bit_identical(x, y, ux, uy);
  EXPECT_EQ(cache.clears(), 0u);
  EXPECT_EQ(cache.size(), cache.misses());
  EXPECT_LE(cache.misses(), 20000u);
  EXPECT_GT(cache.misses(), 19000u);
}

TEST(TransformCache, EmptyInputDoesNothing) {
  TransformCache cache(Transformer::wgs84_to_bng());
  std::vector<double> x, y;
  EXPECT_EQ(cache.transform(x, y), 0u);
  EXPECT_EQ(cache.hits() + cache.misses(), 0u);
}
