// Index of this file:
// [SECTION] values and geometry round-trip through GDAL
// [SECTION] the spatial index (and the bulk loader on its own)
// [SECTION] GeoPackage metadata
// [SECTION] layers in one file
// [SECTION] failure and misuse (disk full through a failing SQLite VFS)

#include "layers/io/gpkg_point_writer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/base/error.hpp"
#include "layers/io/detail/gdal.hpp"
#include "layers/io/detail/gpkg_rtree.hpp"

using namespace hotspot;
using namespace hotspot::layers;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir = fs::temp_directory_path() / ("hotspot_gpkg_" + std::to_string(::getpid()) + "_" +
                                         info->test_suite_name() + "_" + info->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }
  [[nodiscard]] fs::path operator/(const std::string& name) const { return m_dir / name; }

 private:
  fs::path m_dir;
};

// Read-only SQLite access for checking what was written.
class Db {
 public:
  explicit Db(const fs::path& path) {
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path.string());
  }
  ~Db() { sqlite3_close(m_db); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // All rows, columns joined by '|', NULL as "NULL".
  std::vector<std::string> rows(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(m_db));
    std::vector<std::string> out;
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        if (c) row += '|';
        if (sqlite3_column_type(s, c) == SQLITE_NULL) {
          row += "NULL";
        } else if (sqlite3_column_type(s, c) == SQLITE_BLOB) {
          const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(s, c));
          static const char* hex = "0123456789ABCDEF";
          for (int i = 0; i < sqlite3_column_bytes(s, c); ++i) {
            row += hex[p[i] >> 4];
            row += hex[p[i] & 15];
          }
        } else {
          row += reinterpret_cast<const char*>(sqlite3_column_text(s, c));
        }
      }
      out.push_back(row);
    }
    sqlite3_finalize(s);
    return out;
  }
  double real(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(m_db, sql.c_str(), -1, &s, nullptr);
    const double v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_double(s, 0) : -1;
    sqlite3_finalize(s);
    return v;
  }
  // Creates a plain SQLite file and runs `sql` in it.
  static void create(const fs::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "?";
      sqlite3_free(err);
      sqlite3_close(db);
      throw std::runtime_error(msg);
    }
    sqlite3_close(db);
  }
  std::string one(const std::string& sql) const {
    const auto r = rows(sql);
    return r.empty() ? "<no row>" : r.front();
  }

 private:
  sqlite3* m_db = nullptr;
};

detail::DatasetPtr open_gdal(const fs::path& path, bool update = false) {
  detail::ensure_gdal();
  detail::DatasetPtr ds(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : 0),
                                   nullptr, nullptr, nullptr));
  if (!ds) throw std::runtime_error("GDAL cannot open " + path.string());
  return ds;
}

struct Row {
  double x, y;
  std::int64_t count;
  double share;
  std::string label;
  bool label_null;
};

std::vector<Row> random_rows(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(440000, 460000), uy(350000, 370000), us(-1, 1);
  std::uniform_int_distribution<std::int64_t> uc(-5'000'000'000, 5'000'000'000);
  std::vector<Row> rows;
  for (std::size_t i = 0; i < n; ++i) {
    Row r{ux(rng),   uy(rng), uc(rng), us(rng), "label " + std::to_string(i % 97) + " Café ü",
          i % 7 == 0};
    rows.push_back(r);
  }
  return rows;
}

const std::vector<FieldSpec> kFields = {
    {"count", FieldType::integer}, {"share", FieldType::real}, {"label", FieldType::text}};

void write_rows(const fs::path& path, const std::string& layer, const std::vector<Row>& rows,
                GpkgPointWriter::Options options = {}) {
  GpkgPointWriter w(path, layer, 27700, kFields, options);
  for (const Row& r : rows) {
    w.begin_row(r.x, r.y);
    if (r.label_null) {
      w.set_null(2);
    } else {
      w.set(2, r.label);
    }
    w.set(0, r.count);
    if (&r - rows.data() != 3) w.set(1, r.share);  // row 4 leaves "share" unset: NULL
    w.end_row();
  }
  EXPECT_EQ(w.row_count(), rows.size());
  w.finish();
  EXPECT_TRUE(w.warnings().empty()) << w.warnings().front();
}

std::set<GIntBig> fids_in_rect(OGRLayerH layer, double x0, double y0, double x1, double y1) {
  OGR_L_SetSpatialFilterRect(layer, x0, y0, x1, y1);
  OGR_L_ResetReading(layer);
  std::set<GIntBig> fids;
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
    fids.insert(OGR_F_GetFID(f));
    OGR_F_Destroy(f);
  }
  OGR_L_SetSpatialFilter(layer, nullptr);
  return fids;
}

}  // namespace

// [SECTION] values and geometry round-trip through GDAL -------------------------------

TEST(GpkgPointWriter, WritesPointsAndFieldsThatGdalReadsBack) {
  TempDir dir;
  const auto path = dir / "pts.gpkg";
  const auto rows = random_rows(10'000, 1);
  write_rows(path, "incidents", rows);

  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "incidents");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 10'000);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, FALSE), 10'000);  // gpkg_ogr_contents
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  ASSERT_EQ(OGR_FD_GetFieldCount(defn), 3);
  EXPECT_EQ(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, 0)), OFTInteger64);
  EXPECT_EQ(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, 1)), OFTReal);
  EXPECT_EQ(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, 2)), OFTString);
  EXPECT_STREQ(OGR_L_GetGeometryColumn(layer), "geom");
  EXPECT_STREQ(OGR_L_GetFIDColumn(layer), "fid");
  EXPECT_EQ(wkbFlatten(OGR_L_GetGeomType(layer)), wkbPoint);

  std::size_t i = 0;
  OGR_L_ResetReading(layer);
  while (OGRFeatureH raw = OGR_L_GetNextFeature(layer)) {
    detail::FeaturePtr f(raw);
    ASSERT_LT(i, rows.size());
    const Row& r = rows[i];
    EXPECT_EQ(OGR_F_GetFID(f.get()), static_cast<GIntBig>(i + 1));
    OGRGeometryH g = OGR_F_GetGeometryRef(f.get());
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(OGR_G_GetX(g, 0), r.x) << i;  // doubles round-trip exactly
    EXPECT_EQ(OGR_G_GetY(g, 0), r.y) << i;
    EXPECT_EQ(OGR_F_GetFieldAsInteger64(f.get(), 0), r.count) << i;
    if (i == 3) {
      EXPECT_TRUE(OGR_F_IsFieldNull(f.get(), 1)) << "unset field is NULL";
    } else {
      EXPECT_EQ(OGR_F_GetFieldAsDouble(f.get(), 1), r.share) << i;
    }
    if (r.label_null) {
      EXPECT_TRUE(OGR_F_IsFieldNull(f.get(), 2)) << i;
    } else {
      EXPECT_EQ(OGR_F_GetFieldAsString(f.get(), 2), r.label) << i;
    }
    ++i;
  }
  EXPECT_EQ(i, rows.size());
}

TEST(GpkgPointWriter, PointBlobIsByteForByteWhatGdalWrites) {
  TempDir dir;
  const auto ours = dir / "ours.gpkg";
  const auto gdal = dir / "gdal.gpkg";
  const double x = 451234.56789, y = 358765.4321;
  {
    GpkgPointWriter w(ours, "p", 27700, {});
    w.begin_row(x, y);
    w.end_row();
    w.finish();
  }
  {
    detail::ensure_gdal();
    detail::DatasetPtr ds(
        GDALCreate(GDALGetDriverByName("GPKG"), gdal.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    auto srs = detail::make_srs_epsg(27700);
    const char* opts[] = {"GEOMETRY_NAME=geom", nullptr};
    OGRLayerH l =
        GDALDatasetCreateLayer(ds.get(), "p", srs.get(), wkbPoint, const_cast<char**>(opts));
    detail::FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(l)));
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, x, y);
    OGR_F_SetGeometryDirectly(f.get(), g);
    ASSERT_EQ(OGR_L_CreateFeature(l, f.get()), OGRERR_NONE);
  }
  const std::string ours_blob = Db(ours).one("SELECT geom FROM p");
  EXPECT_EQ(ours_blob, Db(gdal).one("SELECT geom FROM p"));
  EXPECT_EQ(ours_blob.size(), 2u * 29u);
  EXPECT_EQ(ours_blob.substr(0, 16), "47500001346C0000");  // "GP", v0, LE no envelope, 27700
}

// [SECTION] the spatial index (and the bulk loader on its own) -----------------
// ---------------------------------------------------------

TEST(GpkgPointWriter, SpatialFilterReturnsExactlyTheBruteForceSet) {
  TempDir dir;
  const auto path = dir / "pts.gpkg";
  const auto rows = random_rows(10'000, 2);
  write_rows(path, "incidents", rows);

  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "incidents");
  ASSERT_NE(layer, nullptr);
  EXPECT_TRUE(OGR_L_TestCapability(layer, OLCFastSpatialFilter)) << "GDAL sees the R-tree";
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> ux(439000, 461000), uy(349000, 371000), size(10, 6000);
  for (int q = 0; q < 20; ++q) {
    const double x0 = ux(rng), y0 = uy(rng), x1 = x0 + size(rng), y1 = y0 + size(rng);
    std::set<GIntBig> expected;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].x >= x0 && rows[i].x <= x1 && rows[i].y >= y0 && rows[i].y <= y1)
        expected.insert(static_cast<GIntBig>(i + 1));
    EXPECT_EQ(fids_in_rect(layer, x0, y0, x1, y1), expected) << "rectangle " << q;
  }
}

TEST(GpkgPointWriter, RtreeCheckAndIntegrityCheckPass) {
  TempDir dir;
  const auto path = dir / "pts.gpkg";
  write_rows(path, "incidents", random_rows(10'000, 4));
  Db db(path);
  EXPECT_EQ(db.one("SELECT rtreecheck('rtree_incidents_geom')"), "ok");
  EXPECT_EQ(db.one("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db.one("SELECT count(*) FROM rtree_incidents_geom_rowid"), "10000");
  // 10 000 rows in full nodes of 51: 197 leaves, 4 interior nodes, 1 root (depth 2).
  EXPECT_EQ(db.one("SELECT count(*) FROM rtree_incidents_geom_node"), "202");
  EXPECT_EQ(db.one("SELECT hex(substr(data, 1, 2)) FROM rtree_incidents_geom_node "
                   "WHERE nodeno = 1"),
            "0002");
  EXPECT_EQ(db.one("SELECT DISTINCT length(data) FROM rtree_incidents_geom_node"), "1228");
}

TEST(GpkgPointWriter, BulkIndexHoldsTheSameCellsAsSqlitesOwnInserts) {
  TempDir dir;
  const auto bulk = dir / "bulk.gpkg";
  const auto slow = dir / "slow.gpkg";
  const auto rows = random_rows(3'000, 5);
  write_rows(bulk, "p", rows);
  write_rows(slow, "p", rows, {.index = SpatialIndexBuild::incremental});
  const std::string q = "SELECT id, minx, maxx, miny, maxy FROM rtree_p_geom ORDER BY id";
  const auto a = Db(bulk).rows(q);
  EXPECT_EQ(a.size(), 3'000u);
  EXPECT_EQ(a, Db(slow).rows(q));
  EXPECT_EQ(Db(slow).one("SELECT rtreecheck('rtree_p_geom')"), "ok");
  // Bounds are rounded outward to float32: every point lies inside its cell.
  Db db(bulk);
  for (std::size_t i = 0; i < rows.size(); i += 97) {
    const auto cell = db.rows("SELECT minx <= " + std::to_string(rows[i].x) +
                              " AND maxx >= " + std::to_string(rows[i].x) +
                              " FROM rtree_p_geom WHERE id = " + std::to_string(i + 1));
    ASSERT_EQ(cell.size(), 1u);
  }
}

TEST(GpkgPointWriter, GdalKeepsTheIndexUpToDateThroughOurTriggers) {
  TempDir dir;
  const auto path = dir / "pts.gpkg";
  write_rows(path, "incidents", random_rows(500, 6));
  {
    auto ds = open_gdal(path, true);
    OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "incidents");
    detail::FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(layer)));
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, 100.5, 200.5);  // far from the others
    OGR_F_SetGeometryDirectly(f.get(), g);
    ASSERT_EQ(OGR_L_CreateFeature(layer, f.get()), OGRERR_NONE);
    ASSERT_EQ(OGR_L_DeleteFeature(layer, 1), OGRERR_NONE);
  }
  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "incidents");
  EXPECT_EQ(fids_in_rect(layer, 0, 0, 1000, 1000), (std::set<GIntBig>{501}));
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, FALSE), 500);  // feature-count triggers restored
  Db db(path);
  EXPECT_EQ(db.one("SELECT rtreecheck('rtree_incidents_geom')"), "ok");
  EXPECT_EQ(db.one("SELECT count(*) FROM rtree_incidents_geom WHERE id = 1"), "0");
}

TEST(GpkgPointWriter, IndexTriggersAndExtensionAreGdals) {
  TempDir dir;
  const std::string name = "it's a \"test\" layer";
  const auto ours = dir / "ours.gpkg";
  const auto gdal = dir / "gdal.gpkg";
  {
    GpkgPointWriter w(ours, name, 27700, {{"label", FieldType::text}});
    w.begin_row(1, 2);
    w.end_row();
    w.finish();
  }
  {
    detail::ensure_gdal();
    detail::DatasetPtr ds(
        GDALCreate(GDALGetDriverByName("GPKG"), gdal.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    auto srs = detail::make_srs_epsg(27700);
    const char* opts[] = {"GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES", nullptr};
    OGRLayerH l = GDALDatasetCreateLayer(ds.get(), name.c_str(), srs.get(), wkbPoint,
                                         const_cast<char**>(opts));
    OGRFieldDefnH fd = OGR_Fld_Create("label", OFTString);
    OGR_L_CreateField(l, fd, TRUE);
    OGR_Fld_Destroy(fd);
    detail::FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(l)));
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, 1, 2);
    OGR_F_SetGeometryDirectly(f.get(), g);
    ASSERT_EQ(OGR_L_CreateFeature(l, f.get()), OGRERR_NONE);
  }
  const std::string schema =
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type != 'index' AND "
      "(name LIKE 'rtree%' OR tbl_name = 'it''s a \"test\" layer') ORDER BY type, name";
  const auto expected = Db(gdal).rows(schema);
  EXPECT_EQ(expected.size(), 13u);  // table, rtree + 3 shadow tables, 6 + 2 triggers
  EXPECT_EQ(Db(ours).rows(schema), expected);
  EXPECT_EQ(Db(ours).rows("SELECT * FROM gpkg_extensions"),
            Db(gdal).rows("SELECT * FROM gpkg_extensions"));
  EXPECT_EQ(Db(ours).rows("SELECT * FROM gpkg_ogr_contents"),
            Db(gdal).rows("SELECT * FROM gpkg_ogr_contents"));
  const std::string nodes = "SELECT * FROM \"rtree_it's a \"\"test\"\" layer_geom_node\"";
  EXPECT_EQ(Db(ours).rows(nodes), Db(gdal).rows(nodes));
  EXPECT_EQ(Db(ours).one("SELECT rtreecheck('rtree_it''s a \"test\" layer_geom')"), "ok");
}

// The bulk loader on its own: a plain SQLite file with a table "t" (fid, geom) and
// `n` points on a jittered grid, indexed with `method`.
struct LoaderRun {
  detail::RtreeBuild build;
  std::vector<detail::RtreeBox> boxes;
};
LoaderRun run_loader(const fs::path& path, int page_size, std::size_t n,
                     detail::RtreeMethod method) {
  {
    Db::create(path, "PRAGMA page_size = " + std::to_string(page_size) +
                         "; CREATE TABLE t (fid INTEGER PRIMARY KEY, geom BLOB)");
  }
  LoaderRun run;
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> jitter(0, 1);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(i % 300) * 10 + jitter(rng);
    const double y = static_cast<double>(i / 300) * 10 + jitter(rng);
    run.boxes.push_back(
        detail::make_rtree_box(static_cast<std::int64_t>(i + 1), x, x + 2, y, y + 1));
  }
  detail::SqliteDb db(path, "t");
  db.exec("BEGIN", "begin");
  run.build = detail::create_gpkg_rtree(db, "t", "geom", "fid", run.boxes, method);
  db.exec("COMMIT", "commit");
  db.close();
  return run;
}

TEST(GpkgRtreeBulkLoader, FollowsTheNodeSizeOfOtherPageSizes) {
  TempDir dir;
  // node size = min(page size - 64, 4 + 51 * 24): 18 cells at 512, 51 from 4096 up.
  for (const auto& [page, node_bytes] :
       {std::pair{512, "448"}, std::pair{1024, "960"}, std::pair{65536, "1228"}}) {
    const auto path = dir / ("p" + std::to_string(page) + ".sqlite");
    const LoaderRun run = run_loader(path, page, 5'000, detail::RtreeMethod::bulk);
    EXPECT_TRUE(run.build.bulk) << page;
    EXPECT_EQ(run.build.warning, "") << page;
    Db db(path);
    EXPECT_EQ(db.one("SELECT rtreecheck('rtree_t_geom')"), "ok") << page;
    EXPECT_EQ(db.one("SELECT DISTINCT length(data) FROM rtree_t_geom_node"), node_bytes) << page;
    // A window query through the rtree module equals brute force over the boxes.
    std::size_t expected = 0;
    for (const auto& b : run.boxes)
      if (b.min_x <= 1500 && b.max_x >= 1000 && b.min_y <= 120 && b.max_y >= 50) ++expected;
    EXPECT_EQ(db.one("SELECT count(*) FROM rtree_t_geom WHERE minx <= 1500 AND maxx >= 1000 "
                     "AND miny <= 120 AND maxy >= 50"),
              std::to_string(expected))
        << page;
  }
}

TEST(GpkgRtreeBulkLoader, AFailedSelfCheckFallsBackToRowByRowAndSaysSo) {
  TempDir dir;
  const auto path = dir / "fault.sqlite";
  const LoaderRun run =
      run_loader(path, 4096, 2'000, detail::RtreeMethod::bulk_with_injected_fault);
  EXPECT_FALSE(run.build.bulk);
  EXPECT_EQ(run.build.warning,
            path.string() +
                ": layer 't': the bulk spatial index build failed its self-check "
                "(1999 rows in rtree_t_geom_rowid, expected 2000); rebuilt it row by "
                "row instead (slower, same index)");
  Db db(path);
  EXPECT_EQ(db.one("SELECT rtreecheck('rtree_t_geom')"), "ok");
  EXPECT_EQ(db.one("SELECT count(*) FROM rtree_t_geom"), "2000");
  EXPECT_EQ(db.one("SELECT count(*) FROM sqlite_master WHERE name LIKE 'rtree_t_geom%'"), "10");
  EXPECT_EQ(db.one("SELECT extension_name FROM gpkg_extensions"), "gpkg_rtree_index");
}

TEST(GpkgRtreeBulkLoader, RoundsBoundsOutwardToFloat) {
  // Normal floats only, as in rtree.c (coordinates never are subnormal).
  for (const double d : {451234.56789, -0.1, 1e-30, 3.0, -123456.789, 0.0, 1e30}) {
    const float lo = detail::rtree_round_down(d), hi = detail::rtree_round_up(d);
    EXPECT_LE(static_cast<double>(lo), d) << d;
    EXPECT_GE(static_cast<double>(hi), d) << d;
    EXPECT_LE(static_cast<double>(hi) - static_cast<double>(lo), std::abs(d) * 1e-6) << d;
  }
}

TEST(GpkgRtreeBulkLoader, HilbertIndexVisitsNeighboursInTurn) {
  // The first 4^6 positions of the curve fill the 64 x 64 corner, one step at a time.
  std::vector<std::pair<int, int>> at(64 * 64, {-1, -1});
  for (std::uint32_t x = 0; x < 64; ++x)
    for (std::uint32_t y = 0; y < 64; ++y) {
      const std::uint32_t d = detail::hilbert_index16(x, y);
      ASSERT_LT(d, at.size());
      ASSERT_EQ(at[d].first, -1) << "position " << d << " visited twice";
      at[d] = {static_cast<int>(x), static_cast<int>(y)};
    }
  for (std::size_t d = 1; d < at.size(); ++d)
    EXPECT_EQ(std::abs(at[d].first - at[d - 1].first) + std::abs(at[d].second - at[d - 1].second),
              1)
        << d;
  EXPECT_EQ(detail::hilbert_index16(65535, 0), 0xffffffffu);  // the curve ends at the far corner
}

TEST(GpkgRtreeBulkLoader, QuotesIdentifiersAndLiterals) {
  EXPECT_EQ(detail::quote_identifier("a\"b c"), "\"a\"\"b c\"");
  EXPECT_EQ(detail::quote_literal("it's"), "'it''s'");
}

// [SECTION] GeoPackage metadata -------------------------------------------------------

TEST(GpkgPointWriter, ExtentSrsAndHeaderAreSet) {
  TempDir dir;
  const auto path = dir / "pts.gpkg";
  const auto rows = random_rows(1'000, 7);
  write_rows(path, "incidents", rows);
  double x0 = rows[0].x, x1 = x0, y0 = rows[0].y, y1 = y0;
  for (const Row& r : rows) {
    x0 = std::min(x0, r.x);
    x1 = std::max(x1, r.x);
    y0 = std::min(y0, r.y);
    y1 = std::max(y1, r.y);
  }
  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "incidents");
  OGREnvelope env;
  // GDAL reads gpkg_contents' extent as text with 15 significant digits.
  ASSERT_EQ(OGR_L_GetExtent(layer, &env, FALSE), OGRERR_NONE);
  EXPECT_NEAR(env.MinX, x0, 1e-6);
  EXPECT_NEAR(env.MaxX, x1, 1e-6);
  EXPECT_NEAR(env.MinY, y0, 1e-6);
  EXPECT_NEAR(env.MaxY, y1, 1e-6);
  OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
  ASSERT_NE(srs, nullptr);
  EXPECT_STREQ(OSRGetAuthorityName(srs, nullptr), "EPSG");
  EXPECT_STREQ(OSRGetAuthorityCode(srs, nullptr), "27700");
  Db db(path);
  EXPECT_EQ(db.one("PRAGMA application_id"), "1196444487");  // "GPKG"
  EXPECT_EQ(db.one("PRAGMA user_version"), "10200");
  EXPECT_EQ(db.one("SELECT data_type, srs_id FROM gpkg_contents WHERE table_name = 'incidents'"),
            "features|27700");
  EXPECT_EQ(db.one("SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns"),
            "geom|POINT|27700");
  EXPECT_EQ(db.one("SELECT feature_count FROM gpkg_ogr_contents"), "1000");
  EXPECT_EQ(db.real("SELECT min_x FROM gpkg_contents"), x0);  // stored exactly
  EXPECT_EQ(db.real("SELECT max_x FROM gpkg_contents"), x1);
  EXPECT_EQ(db.real("SELECT min_y FROM gpkg_contents"), y0);
  EXPECT_EQ(db.real("SELECT max_y FROM gpkg_contents"), y1);
}

TEST(GpkgPointWriter, EmptyLayerIsValid) {
  TempDir dir;
  const auto path = dir / "empty.gpkg";
  {
    GpkgPointWriter w(path, "none", 27700, kFields);
    w.finish();
    EXPECT_EQ(w.row_count(), 0u);
  }
  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "none");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 0);
  EXPECT_EQ(fids_in_rect(layer, 0, 0, 1e6, 1e6).size(), 0u);
  Db db(path);
  EXPECT_EQ(db.one("SELECT rtreecheck('rtree_none_geom')"), "ok");
  EXPECT_EQ(db.one("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db.one("SELECT feature_count FROM gpkg_ogr_contents"), "0");
  EXPECT_EQ(db.one("SELECT min_x FROM gpkg_contents"), "NULL");
}

// [SECTION] layers in one file ----------------------------------------------------------

TEST(GpkgPointWriter, AddsASecondLayerToTheSameFile) {
  TempDir dir;
  const auto path = dir / "two.gpkg";
  write_rows(path, "first", random_rows(300, 8));
  write_rows(path, "second", random_rows(200, 9));
  auto ds = open_gdal(path);
  ASSERT_EQ(GDALDatasetGetLayerCount(ds.get()), 2);
  EXPECT_EQ(OGR_L_GetFeatureCount(GDALDatasetGetLayerByName(ds.get(), "first"), TRUE), 300);
  EXPECT_EQ(OGR_L_GetFeatureCount(GDALDatasetGetLayerByName(ds.get(), "second"), TRUE), 200);
  Db db(path);
  EXPECT_EQ(db.one("SELECT rtreecheck('rtree_first_geom')"), "ok");
  EXPECT_EQ(db.one("SELECT rtreecheck('rtree_second_geom')"), "ok");
  EXPECT_EQ(db.one("SELECT count(*) FROM gpkg_extensions"), "2");
}

TEST(GpkgPointWriter, ReplacesALayerOfTheSameNameIgnoringCase) {
  TempDir dir;
  const auto path = dir / "replace.gpkg";
  write_rows(path, "other", random_rows(10, 10));
  write_rows(path, "incidents", random_rows(300, 11));
  const auto rows = random_rows(120, 12);
  write_rows(path, "Incidents", rows);
  auto ds = open_gdal(path);
  ASSERT_EQ(GDALDatasetGetLayerCount(ds.get()), 2);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "Incidents");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 120);
  detail::FeaturePtr f(OGR_L_GetFeature(layer, 1));
  ASSERT_TRUE(f);
  EXPECT_EQ(OGR_G_GetX(OGR_F_GetGeometryRef(f.get()), 0), rows[0].x);
  Db db(path);
  EXPECT_EQ(db.one("SELECT rtreecheck('rtree_Incidents_geom')"), "ok");
  EXPECT_EQ(db.one("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db.one("SELECT count(*) FROM gpkg_extensions"), "2");
}

TEST(GpkgPointWriter, QuotesAndSpacesInTheLayerNameAreSafe) {
  TempDir dir;
  const auto path = dir / "quoted.gpkg";
  const std::string name = "Bob's \"hot\" spots; DROP TABLE x";
  const auto rows = random_rows(700, 13);
  write_rows(path, name, rows);
  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), name.c_str());
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 700);
  EXPECT_EQ(fids_in_rect(layer, rows[5].x, rows[5].y, rows[5].x, rows[5].y),
            (std::set<GIntBig>{6}));
  Db db(path);
  EXPECT_EQ(db.one("SELECT rtreecheck('rtree_Bob''s \"hot\" spots; DROP TABLE x_geom')"), "ok");
}

// [SECTION] failure and misuse (disk full through a failing SQLite VFS) -------
// --------------------------------------------------------

TEST(GpkgPointWriter, DestructorWithoutFinishRollsTheRowsBack) {
  TempDir dir;
  const auto path = dir / "abandoned.gpkg";
  {
    GpkgPointWriter w(path, "incidents", 27700, kFields);
    for (int i = 0; i < 100; ++i) {
      w.begin_row(i, i);
      w.end_row();
    }
  }
  auto ds = open_gdal(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), "incidents");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 0);
  EXPECT_EQ(Db(path).one("PRAGMA integrity_check"), "ok");
}

TEST(GpkgPointWriter, RejectsBadSchemasWithUsageError) {
  TempDir dir;
  const auto path = dir / "bad.gpkg";
  const auto make = [&](std::vector<FieldSpec> fields, int epsg = 27700, std::string layer = "x") {
    GpkgPointWriter w(path, std::move(layer), epsg, std::move(fields));
  };
  EXPECT_THROW(make({{"", FieldType::text}}), UsageError);
  EXPECT_THROW(make({{"FID", FieldType::integer}}), UsageError);
  EXPECT_THROW(make({{"geom", FieldType::text}}), UsageError);
  EXPECT_THROW(make({}, 27700, ""), UsageError);
  EXPECT_THROW(make({}, 999999), UsageError);
  try {
    make({{"month", FieldType::text}, {"Month", FieldType::text}});
    FAIL() << "duplicate field accepted";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              path.string() + ": layer 'x': field name 'Month' is used twice");
  }
}

TEST(GpkgPointWriter, AFileThatIsNotAGeoPackageIsAnIoErrorNamingFileAndLayer) {
  TempDir dir;
  const auto path = dir / "notes.gpkg";
  std::ofstream(path) << "this is not a database\n";
  try {
    GpkgPointWriter w(path, "incidents", 27700, {});
    FAIL() << "no error";
  } catch (const IoError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind(path.string() + ": layer 'incidents': cannot open", 0), 0u) << msg;
  }
}

// A SQLite VFS that forwards to the default one but, once armed, fails writes that
// grow a file by more than a byte budget with SQLITE_FULL, as a full disk does
// (overwriting allocated bytes still works, so SQLite can roll back).
namespace full_disk {

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs{};
long long g_budget = -1;  // bytes left; < 0: unlimited

struct File {
  sqlite3_file base;
  sqlite3_file* real;
};
sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }
const sqlite3_io_methods* m(sqlite3_file* f) { return real(f)->pMethods; }

int x_close(sqlite3_file* f) { return m(f)->xClose(real(f)); }
int x_read(sqlite3_file* f, void* p, int n, sqlite3_int64 o) {
  return m(f)->xRead(real(f), p, n, o);
}
int x_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 o) {
  sqlite3_int64 size = 0;
  if (g_budget >= 0 && m(f)->xFileSize(real(f), &size) == SQLITE_OK && o + n > size) {
    const long long growth = o + n - std::max(size, o);
    if (g_budget < growth) return SQLITE_FULL;
    g_budget -= growth;
  }
  return m(f)->xWrite(real(f), p, n, o);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 s) { return m(f)->xTruncate(real(f), s); }
int x_sync(sqlite3_file* f, int fl) { return m(f)->xSync(real(f), fl); }
int x_file_size(sqlite3_file* f, sqlite3_int64* s) { return m(f)->xFileSize(real(f), s); }
int x_lock(sqlite3_file* f, int l) { return m(f)->xLock(real(f), l); }
int x_unlock(sqlite3_file* f, int l) { return m(f)->xUnlock(real(f), l); }
int x_check_reserved(sqlite3_file* f, int* r) { return m(f)->xCheckReservedLock(real(f), r); }
int x_file_control(sqlite3_file* f, int op, void* a) { return m(f)->xFileControl(real(f), op, a); }
int x_sector_size(sqlite3_file* f) { return m(f)->xSectorSize(real(f)); }
int x_device(sqlite3_file* f) { return m(f)->xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int i, int sz, int e, void volatile** p) {
  return m(f)->xShmMap(real(f), i, sz, e, p);
}
int x_shm_lock(sqlite3_file* f, int o, int n, int fl) { return m(f)->xShmLock(real(f), o, n, fl); }
void x_shm_barrier(sqlite3_file* f) { m(f)->xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int d) { return m(f)->xShmUnmap(real(f), d); }
int x_fetch(sqlite3_file* f, sqlite3_int64 o, int n, void** p) {
  return m(f)->xFetch(real(f), o, n, p);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 o, void* p) { return m(f)->xUnfetch(real(f), o, p); }

const sqlite3_io_methods g_methods = {3,           x_close,          x_read,         x_write,
                                      x_truncate,  x_sync,           x_file_size,    x_lock,
                                      x_unlock,    x_check_reserved, x_file_control, x_sector_size,
                                      x_device,    x_shm_map,        x_shm_lock,     x_shm_barrier,
                                      x_shm_unmap, x_fetch,          x_unfetch};

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out) {
  auto* file = reinterpret_cast<File*>(f);
  file->real = reinterpret_cast<sqlite3_file*>(file + 1);
  const int rc = g_real->xOpen(g_real, name, file->real, flags, out);
  file->base.pMethods = rc == SQLITE_OK && file->real->pMethods ? &g_methods : nullptr;
  return rc;
}

// Makes the failing VFS SQLite's default while it lives.
struct Installed {
  Installed() {
    g_real = sqlite3_vfs_find(nullptr);
    g_vfs = *g_real;
    g_vfs.pNext = nullptr;
    g_vfs.zName = "hotspot_full_disk";
    g_vfs.szOsFile = static_cast<int>(sizeof(File)) + g_real->szOsFile;
    g_vfs.xOpen = x_open;
    g_budget = -1;
    sqlite3_vfs_register(&g_vfs, 1);
  }
  ~Installed() {
    g_budget = -1;
    sqlite3_vfs_unregister(&g_vfs);
  }
};

}  // namespace full_disk

// Writes `rows` rows of `text_bytes` of text each while the disk holds only 200 KiB
// more; returns the error message (or "" when nothing failed).
std::string write_onto_a_full_disk(const fs::path& path, int rows, std::size_t text_bytes) {
  // PROJ wraps whatever VFS is the default when it first opens proj.db: let it do so
  // before ours is installed.
  static_cast<void>(detail::make_srs_epsg(27700));
  full_disk::Installed vfs;
  GpkgPointWriter w(path, "incidents", 27700, {{"label", FieldType::text}});
  full_disk::g_budget = 200 * 1024;
  const std::string text(text_bytes, 'x');
  try {
    for (int i = 0; i < rows; ++i) {
      w.begin_row(i, i);
      w.set(0, text);
      w.end_row();
    }
    w.finish();
  } catch (const IoError& e) {
    return e.what();
  }
  return "";
}

TEST(GpkgPointWriter, DiskFullIsAnIoErrorSayingSoAndLeavesTheFileUsable) {
  TempDir dir;
  // 20 MB of rows fit SQLite's 64 MiB page cache: the disk fills up at COMMIT. 80 MB
  // do not: the cache spills to disk while rows are inserted.
  for (const auto& [rows, bytes, step] : {std::tuple{100'000, 200, "committing the rows"},
                                          std::tuple{40'000, 2'000, "writing row "}}) {
    const auto path = dir / ("full" + std::to_string(rows) + ".gpkg");
    const std::string msg = write_onto_a_full_disk(path, rows, static_cast<std::size_t>(bytes));
    EXPECT_EQ(msg.rfind(path.string() + ": layer 'incidents': " + step, 0), 0u) << msg;
    EXPECT_NE(msg.find(": database or disk is full"), std::string::npos) << msg;
    // Nothing half-written: the layer is there, empty.
    EXPECT_EQ(Db(path).one("PRAGMA integrity_check"), "ok");
    auto ds = open_gdal(path);
    EXPECT_EQ(OGR_L_GetFeatureCount(GDALDatasetGetLayerByName(ds.get(), "incidents"), TRUE), 0);
  }
}

TEST(GpkgPointWriterDeathTest, APointWithoutLocationIsAProgrammingError) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TempDir dir;
  const auto path = dir / "nan.gpkg";
  EXPECT_DEATH(
      {
        GpkgPointWriter w(path, "incidents", 27700, {});
        w.begin_row(std::numeric_limits<double>::quiet_NaN(), 1.0);
      },
      "points must have a location");
}
