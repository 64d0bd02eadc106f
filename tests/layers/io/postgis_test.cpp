// PostGIS export against a real server: a throw-away PostgreSQL 15 + PostGIS 3
// cluster (Debian packages postgresql + postgresql-15-postgis-3) started in a temp
// folder, listening on a Unix socket only, stopped at the end. Skipped, with the
// reason, only where the server binaries or PostGIS are not installed.

#include "layers/io/postgis.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>

#include "core/base/error.hpp"
#include "layers/io/export.hpp"
#include "tests/layers/io/export_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace hotspot::layers {
namespace {

namespace fs = std::filesystem;

const fs::path kBin = "/usr/lib/postgresql/15/bin";

// A PostgreSQL cluster of this test process. As root the server runs as "postgres"
// (PostgreSQL refuses to run as root).
class PostgresServer {
 public:
  PostgresServer() {
    if (!fs::exists(kBin / "initdb") || !fs::exists(kBin / "pg_ctl")) {
      m_skip = "PostgreSQL 15 server binaries not installed (apt-get install postgresql postgresql-15-postgis-3)";
      return;
    }
    if (!fs::exists("/usr/share/postgresql/15/extension/postgis.control")) {
      m_skip = "PostGIS for PostgreSQL 15 not installed (apt-get install postgresql-15-postgis-3)";
      return;
    }
    std::string name = "hotspot-pg-";
    name += std::to_string(::getpid());
    m_dir = fs::path("/tmp") / name;
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    m_as = ::geteuid() == 0 ? "runuser -u postgres -- " : "";
    if (::geteuid() == 0 && std::system(("chown postgres " + m_dir.string()).c_str()) != 0) {
      m_skip = "cannot hand the cluster folder to the postgres user";
      return;
    }
    const std::string data = (m_dir / "data").string(), log = (m_dir / "log.txt").string();
    if (!run(m_as + (kBin / "initdb").string() + " -D " + data + " -A trust -U postgres --no-sync -E UTF8 >" +
             (m_dir / "initdb.txt").string() + " 2>&1")) {
      m_error = "initdb failed: " + test::read_file(m_dir / "initdb.txt");
      return;
    }
    if (!run(m_as + (kBin / "pg_ctl").string() + " -D " + data + " -l " + log + " -w -t 60 -o \"-k " +
             m_dir.string() + " -c listen_addresses='' -p 5432 -c fsync=off\" start >/dev/null 2>&1")) {
      m_error = "pg_ctl start failed: " + test::read_file(log);
      return;
    }
    m_started = true;
    if (!run(m_as + "psql -h " + m_dir.string() + " -p 5432 -U postgres -d postgres -q -c 'CREATE EXTENSION postgis' "
                     ">/dev/null 2>&1"))
      m_error = "CREATE EXTENSION postgis failed";
  }
  ~PostgresServer() {
    if (m_started)
      run(m_as + (kBin / "pg_ctl").string() + " -D " + (m_dir / "data").string() + " -m immediate -w stop >/dev/null 2>&1");
    if (!m_dir.empty()) fs::remove_all(m_dir);
  }
  [[nodiscard]] const std::string& skip() const { return m_skip; }
  [[nodiscard]] const std::string& error() const { return m_error; }
  [[nodiscard]] std::string connection() const {
    return "PG:host=" + m_dir.string() + " port=5432 user=postgres dbname=postgres";
  }
  bool psql(const std::string& sql, std::string* out = nullptr) const {
    const auto f = m_dir / "psql.txt";
    const bool ok = run("psql -h " + m_dir.string() + " -p 5432 -U postgres -d postgres -At -c \"" + sql + "\" >" +
                        f.string() + " 2>&1");
    if (out) *out = test::read_file(f);
    return ok;
  }

 private:
  static bool run(const std::string& cmd) { return std::system(cmd.c_str()) == 0; }
  fs::path m_dir;
  std::string m_as, m_skip, m_error;
  bool m_started = false;
};

class Postgis : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_server = new PostgresServer(); }
  static void TearDownTestSuite() {
    delete s_server;
    s_server = nullptr;
  }
  void SetUp() override {
    if (!s_server->skip().empty()) GTEST_SKIP() << s_server->skip();
    ASSERT_TRUE(s_server->error().empty()) << s_server->error();
  }
  static PostgresServer* s_server;
};
PostgresServer* Postgis::s_server = nullptr;

std::vector<FeatureSet> fixture_layers(const test::TempDir& dir, int64_t scale) {
  std::string name = "study";
  name += std::to_string(scale);
  name += ".gpkg";
  const auto src = dir / name;
  test::write_export_fixture(src, {{"A", 40 * scale, 2, 38}, {"B", 12 * scale, 6, 6}}, {1, 2, 3 * scale, 4});
  std::vector<FeatureSet> out;
  for (const char* l : {"wards_counts", "cells", "emerging", "incidents", "monthly_counts"})
    out.push_back(read_features(src.string(), {.layer = l}));
  return out;
}

TEST_F(Postgis, EveryLayerRoundTrips) {
  test::TempDir dir;
  const PostgisTarget target{s_server->connection(), "ashfield", ""};
  const std::vector<FeatureSet> layers = fixture_layers(dir, 1);
  const PostgisReport r = write_postgis(target, layers);
  ASSERT_EQ(r.layers.size(), 5u);
  EXPECT_EQ(r.layers[0].table, "\"ashfield\".\"wards_counts\"");
  for (const auto& in : layers) {
    const FeatureSet back = read_postgis(target, table_name_for(in.layer));
    ASSERT_EQ(back.size(), in.size()) << in.layer;
    for (const auto& col : in.fields) {
      const int bi = back.field_index(col.name);
      ASSERT_GE(bi, 0) << in.layer << "." << col.name;
      for (std::size_t f = 0; f < in.size(); ++f)
        EXPECT_EQ(back.fields[static_cast<std::size_t>(bi)].text(f), col.text(f)) << in.layer << "." << col.name;
    }
    for (std::size_t f = 0; f < in.size(); ++f) {
      if (in.feature_class[f] == GeometryClass::none) continue;
      const core::Box a = in.feature_bbox(f), b = back.feature_bbox(f);
      EXPECT_DOUBLE_EQ(a.min_corner().x(), b.min_corner().x()) << in.layer;
      EXPECT_DOUBLE_EQ(a.max_corner().y(), b.max_corner().y()) << in.layer;
    }
  }
  std::string srid;
  ASSERT_TRUE(s_server->psql("SELECT Find_SRID('ashfield', 'wards_counts', 'geom')", &srid));
  EXPECT_EQ(srid, "27700\n");
}

TEST_F(Postgis, ReRunReplacesLayersWithoutLeftovers) {
  test::TempDir dir;
  const PostgisTarget target{s_server->connection(), "rerun", ""};
  write_postgis(target, fixture_layers(dir, 1));
  write_postgis(target, fixture_layers(dir, 10));  // the second run's values replace the first's
  const FeatureSet w = read_postgis(target, "wards_counts");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w.fields[static_cast<std::size_t>(w.field_index("total"))].number(0), 400);
  std::string tables;
  ASSERT_TRUE(s_server->psql("SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class c JOIN pg_namespace n ON "
                             "n.oid = c.relnamespace WHERE n.nspname = 'rerun' AND relkind = 'r'",
                             &tables));
  EXPECT_EQ(tables, "cells,emerging,incidents,monthly_counts,wards_counts\n");
  std::string staging;
  ASSERT_TRUE(s_server->psql("SELECT count(*) FROM pg_class WHERE relname LIKE '%hotspot_new%'", &staging));
  EXPECT_EQ(staging, "0\n");
}

TEST_F(Postgis, ExportLayersPublishesThroughPostgisWithDisclosureControl) {
  test::TempDir dir;
  const auto src = dir / "study.gpkg";
  test::write_export_fixture(src, {{"A", 40, 2, 38}, {"B", 3, 1, 2}}, {1, 9});
  ExportOptions o;
  o.source = src;
  o.layers = {"wards_counts"};
  o.postgis = PostgisTarget{s_server->connection(), "public_web", "pub_"};
  o.disclosure = {.public_release = true, .min_count = 5};
  const ExportReport r = export_layers(o);
  ASSERT_TRUE(r.postgis.has_value());
  const FeatureSet w = read_postgis(*o.postgis, "pub_wards_counts");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_TRUE(std::isnan(w.fields[static_cast<std::size_t>(w.field_index("total"))].number(1)));
}

TEST(PostgisNames, AreQuotedAndCheckedSoNoNameInjectsSql) {
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(table_name_for("Wards Counts; DROP TABLE x"), "wards_counts__drop_table_x");
  EXPECT_EQ(table_name_for("2023 cells"), "l_2023_cells");
  EXPECT_THROW(table_name_for("---"), UsageError);
  EXPECT_THROW(write_postgis({"PG:dbname=x", "bad schema\"", ""}, {}), UsageError);
}

TEST(PostgisCredentials, PasswordsAreRefusedAndRedacted) {
  EXPECT_EQ(redact_connection("PG:host=db dbname=x password=secret user=me"),
            "PG:host=db dbname=x password=*** user=me");
  try {
    write_postgis({"PG:host=db password=secret", "hotspot", ""}, {});
    FAIL() << "no throw";
  } catch (const UsageError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.find("secret"), std::string::npos) << m;
    EXPECT_NE(m.find("~/.pgpass"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace hotspot::layers
