#include "layers/io/detail/gdal.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string_view>

#include "core/base/error.hpp"
#include "core/geo/geometry.hpp"

namespace hotspot::layers::detail {

void ensure_gdal() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Nothing in a file may run code: VRT Python pixel functions stay off.
    CPLSetConfigOption("GDAL_VRT_ENABLE_PYTHON", "NO");
    CPLSetConfigOption("PROJ_NETWORK", "OFF");
    if (!network_allowed()) {
      // No network: remote virtual file systems, PROJ's CDN and the drivers that
      // only talk to web services stay off (check_local_source() refuses the paths;
      // this also covers a local VRT that points at a URL).
      CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
      CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".none");
      CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
      // Drivers that fetch URLs themselves (the GeoJSON driver given "http://..." by a
      // local VRT) go through CPLHTTPFetch: send any such request to a closed port on
      // this machine, so it fails at once and nothing leaves it.
      CPLSetConfigOption("GDAL_HTTP_PROXY", "127.0.0.1:1");
      CPLSetConfigOption("GDAL_HTTPS_PROXY", "127.0.0.1:1");
    }
    GDALAllRegister();
    if (!network_allowed()) {
      // Deregistered after registration rather than through GDAL_SKIP, which warns on
      // stderr about every name a given GDAL build does not have.
      for (const char* name : {"HTTP", "WMS", "WMTS", "WCS", "WFS", "OAPIF", "OGCAPI", "CSW", "EEDA", "EEDAI", "NGW",
                               "Elasticsearch", "CouchDB", "AmigoCloud", "Carto", "PLSCENES", "DAAS", "ESRIC",
                               "MongoDBv3", "GNMDatabase"}) {
        if (GDALDriverH d = GDALGetDriverByName(name)) {
          GDALDeregisterDriver(d);
          GDALDestroyDriver(d);
        }
      }
    }
  });
}

bool network_allowed() {
  const char* v = std::getenv("HOTSPOT_ALLOW_NETWORK");
  return v && std::string_view(v) == "1";
}

void check_local_source(const std::string& path) {
  if (network_allowed()) return;
  std::string lower(path);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  bool remote = lower.find("://") != std::string::npos;
  for (const char* fs : {"/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls", "/vsioss", "/vsiswift",
                         "/vsiwebhdfs", "/vsihdfs"})
    if (lower.find(fs) != std::string::npos) remote = true;
  // Driver connection strings ("WFS:...", "ES:..."), but not a file that exists.
  static const char* const kNetworkDrivers[] = {"wfs:", "wms:", "wcs:", "wmts:", "oapif:", "ogcapi:", "csw:",
                                                "eeda:", "eedai:", "ngw:", "es:", "couchdb:", "amigocloud:",
                                                "carto:", "plscenes:", "daas:", "esric:", "mongodbv3:", "mongodb:"};
  for (const char* d : kNetworkDrivers)
    if (lower.rfind(d, 0) == 0) remote = true;
  if (!remote) return;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return;  // a local file that happens to look like one
  throw UsageError(path + ": a remote data source; hotspot reads local files only, so nothing reaches "
                          "the network (set HOTSPOT_ALLOW_NETWORK=1 to allow remote sources)");
}

SrsPtr make_srs(const std::string& definition) {
  ensure_gdal();
  CplErrorCapture errors;
  SrsPtr srs(OSRNewSpatialReference(nullptr));
  if (OSRSetFromUserInput(srs.get(), definition.c_str()) != OGRERR_NONE)
    throw UsageError("unknown coordinate reference system '" + definition +
                     "': " + errors.message_or("not recognised by PROJ"));
  OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

SrsPtr make_srs_epsg(int epsg) { return make_srs("EPSG:" + std::to_string(epsg)); }

namespace {
thread_local std::vector<CplErrorCapture*> t_captures;
}

CplErrorCapture::CplErrorCapture() {
  t_captures.push_back(this);
  CPLPushErrorHandler(&CplErrorCapture::handler);
}

CplErrorCapture::~CplErrorCapture() {
  CPLPopErrorHandler();
  t_captures.pop_back();
}

void CplErrorCapture::handler(CPLErr level, CPLErrorNum, const char* msg) {
  if (level == CE_Debug || t_captures.empty()) return;
  t_captures.back()->m_messages.emplace_back(msg ? msg : "");
}

std::string CplErrorCapture::message_or(const std::string& fallback) const {
  return m_messages.empty() ? fallback : m_messages.back();
}

DatasetPtr open_for_reading(const std::string& path, unsigned flags) {
  ensure_gdal();
  CplErrorCapture errors;
  check_local_source(path);  // nothing is read from the network
  DatasetPtr ds(GDALOpenEx(path.c_str(), flags | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr, nullptr, nullptr));
  if (!ds) {
    std::string reason = errors.message_or("not a dataset GDAL can read");
    if (reason.rfind(path + ": ", 0) == 0) reason.erase(0, path.size() + 2);  // said once
    throw IoError(path + ": cannot open: " + reason);
  }
  return ds;
}

std::vector<std::string> layer_names(GDALDatasetH ds) {
  std::vector<std::string> names;
  const int n = GDALDatasetGetLayerCount(ds);
  for (int i = 0; i < n; ++i) names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
  return names;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& s : names) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out.empty() ? "(none)" : out;
}

OGRLayerH find_layer(GDALDatasetH ds, const std::string& path, const std::string& name,
                     std::vector<std::string>* warnings) {
  const int count = GDALDatasetGetLayerCount(ds);
  if (name.empty()) {
    if (count == 0) throw InputError(path + ": no vector layers");
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    if (count > 1 && warnings != nullptr)
      warnings->push_back(path + ": warning: " + std::to_string(count) + " layers; reading the first, '" +
                          OGR_L_GetName(layer) + "' (choose one by name; available: " + join_names(layer_names(ds)) +
                          ")");
    return layer;
  }
  OGRLayerH layer = GDALDatasetGetLayerByName(ds, name.c_str());
  if (layer == nullptr)
    throw UsageError(path + ": no layer '" + name + "'; available layers: " + join_names(layer_names(ds)));
  return layer;
}

SrsPtr layer_crs(GDALDatasetH ds, OGRLayerH layer, const std::string& path, const std::string& assume_crs) {
  if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer)) {
    SrsPtr source(OSRClone(srs));
    OSRSetAxisMappingStrategy(source.get(), OAMS_TRADITIONAL_GIS_ORDER);
    return source;
  }
  if (!assume_crs.empty()) return make_srs(assume_crs);
  const char* driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
  if (driver != nullptr && (std::strcmp(driver, "GeoJSON") == 0 || std::strcmp(driver, "GeoJSONSeq") == 0))
    return make_srs("OGC:CRS84");  // RFC 7946: lon/lat WGS84
  throw UsageError(path + ": layer '" + OGR_L_GetName(layer) +
                   "' has no coordinate reference system (a shapefile without .prj?); "
                   "say which CRS its coordinates are in (e.g. EPSG:27700)");
}

TransformPtr transform_to_bng(OGRSpatialReferenceH source, const std::string& where) {
  SrsPtr target = make_srs_epsg(core::kWorkingEpsg);
  if (OSRIsSame(source, target.get())) return nullptr;
  CplErrorCapture errors;
  TransformPtr t(OCTNewCoordinateTransformation(source, target.get()));
  if (!t) throw IoError(where + ": cannot transform to EPSG:27700: " + errors.message_or("PROJ found no transformation"));
  return t;
}

}  // namespace hotspot::layers::detail
