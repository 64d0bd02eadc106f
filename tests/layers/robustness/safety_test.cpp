// Sensitive data (issue 9): nothing reaches the network, untrusted files cannot make
// the tool write outside its output folder, SQL identifiers are quoted.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <gdal.h>
#include <netinet/in.h>
#include <ogr_api.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/incidents/taxonomy.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/gpkg_point_writer.hpp"
#include "layers/io/ingest.hpp"
#include "layers/io/intervention_reader.hpp"
#include "layers/io/value_reader.hpp"
#include "layers/study/study.hpp"
#include "tests/support/cli.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
using hotspot::test::run_cli;
using hotspot::test::TempDir;

namespace {

template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception: ") + e.what();
  }
  return "no exception";
}

std::string refused(const std::string& path) {
  return path + ": a remote data source; hotspot reads local files only, so nothing reaches the network (set "
                "HOTSPOT_ALLOW_NETWORK=1 to allow remote sources)";
}

// A TCP listener on 127.0.0.1 that counts the connections it was offered.
class Listener {
 public:
  Listener() {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(m_fd, 16);
    socklen_t len = sizeof a;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
    m_port = ntohs(a.sin_port);
  }
  ~Listener() { ::close(m_fd); }
  [[nodiscard]] int port() const { return m_port; }
  int connections() {
    int n = 0;
    for (int c; (c = ::accept(m_fd, nullptr, nullptr)) >= 0; ++n) ::close(c);
    return n;
  }

 private:
  int m_fd = -1;
  int m_port = 0;
};

}  // namespace

TEST(Safety, RemotePathsAreRefusedByEveryReader) {
  Listener net;
  const std::string url = "http://127.0.0.1:" + std::to_string(net.port());
  const std::string vsi = "/vsicurl/" + url + "/areas.geojson";
  EXPECT_EQ(message_of<UsageError>([&] { (void)read_areas(vsi, {}); }), refused(vsi));
  EXPECT_EQ(message_of<UsageError>([&] { (void)read_areas(url + "/areas.geojson", {}); }),
            refused(url + "/areas.geojson"));
  const std::string s3 = "/vsis3/bucket/areas.gpkg";
  EXPECT_EQ(message_of<UsageError>([&] { (void)read_areas(s3, {}); }), refused(s3));
  const std::string nested = "/vsizip//vsicurl/" + url + "/a.zip/a.shp";
  EXPECT_EQ(message_of<UsageError>([&] { (void)read_areas(nested, {}); }), refused(nested));
  const std::string wfs = "WFS:" + url + "/wfs";
  EXPECT_EQ(message_of<UsageError>([&] { (void)read_areas(wfs, {}); }), refused(wfs));
  ValueReadOptions vo;
  EXPECT_EQ(message_of<UsageError>([&] { (void)read_values(vsi, vo); }), refused(vsi));
  EXPECT_EQ(message_of<UsageError>([&] { (void)read_interventions(vsi, core::Taxonomy::police_uk()); }),
            refused(vsi));
  const std::vector<std::string> files{url + "/2023-05-street.csv"};
  EXPECT_EQ(message_of<UsageError>([&] { (void)expand_globs(files); }), refused(files[0]));
  TempDir d;
  const auto r = run_cli("ingest " + vsi + " --out " + (d / "o.csv").string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "hotspot ingest: error: " + refused(vsi) + "\n");
  EXPECT_EQ(net.connections(), 0);
}

TEST(Safety, LocalFilesPointingAtTheNetworkReachNothing) {
  Listener net;
  const std::string url = "http://127.0.0.1:" + std::to_string(net.port());
  TempDir d;
  // An OGR VRT whose source is a URL, and one through /vsicurl/: local files, so
  // they pass the path check; GDAL's own settings must stop them.
  for (const std::string& src : {url + "/areas.geojson", "/vsicurl/" + url + "/areas.geojson"}) {
    const auto vrt = d.write("remote.vrt", "<OGRVRTDataSource><OGRVRTLayer name=\"areas\"><SrcDataSource>" + src +
                                               "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>");
    EXPECT_ANY_THROW((void)read_areas(vrt.string(), {})) << src;
  }
  EXPECT_EQ(net.connections(), 0);
}

TEST(Safety, BoundaryKeysThatWouldLeaveTheOutputFolderAreRefused) {
  TempDir d;
  const auto study = d.write("study.toml",
                             "[study]\nname = \"x\"\nperiod = { from = \"2023-01\", to = \"2023-12\" }\n\n"
                             "[boundaries.\"../../escaped\"]\npath = \"a.geojson\"\ncode = \"c\"\n");
  EXPECT_EQ(message_of<UsageError>([&] { (void)load_study(study); }),
            study.string() + ":5:13: error: [boundaries] key '../../escaped' is not a safe name (letters, digits, "
                             "'_' and '-', at most 64, not starting with '-'): it names output files and layers");
  const auto r = run_cli("run " + study.string() + " --out " + (d / "out").string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(std::filesystem::exists(d.path().parent_path() / "escaped_counts.csv"));
}

TEST(Safety, SqlIdentifiersAreQuotedInGeoPackages) {
  TempDir d;
  const auto p = d / "q.gpkg";
  {
    // Field names that would end the statement if pasted into SQL unquoted.
    GpkgPointWriter w(p, "select", 27700,
                      {{"a\"); DROP TABLE gpkg_contents; --", FieldType::text}, {"order", FieldType::integer}});
    w.begin_row(451000, 358000);
    w.set(0, std::string_view("x'); DELETE FROM select; --"));
    w.set(1, 7);
    w.end_row();
    w.finish();
  }
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  ASSERT_NE(ds, nullptr);
  OGRLayerH l = GDALDatasetGetLayerByName(ds, "select");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(OGR_L_GetFeatureCount(l, 1), 1);
  OGRFeatureH f = OGR_L_GetNextFeature(l);
  ASSERT_NE(f, nullptr);
  EXPECT_STREQ(OGR_F_GetFieldAsString(f, 0), "x'); DELETE FROM select; --");
  EXPECT_EQ(OGR_F_GetFieldAsInteger64(f, 1), 7);
  EXPECT_STREQ(OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, 0)), "a\"); DROP TABLE gpkg_contents; --");
  OGR_F_Destroy(f);
  GDALClose(ds);
}
