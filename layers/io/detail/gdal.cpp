#include "layers/io/detail/gdal.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>

#include <mutex>

#include "core/base/error.hpp"

namespace hotspot::layers::detail {

void ensure_gdal() {
  static std::once_flag once;
  std::call_once(once, [] {
    // No network: remote virtual file systems and PROJ's CDN stay off.
    CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
    CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".none");
    CPLSetConfigOption("PROJ_NETWORK", "OFF");
    CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
    GDALAllRegister();
  });
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

}  // namespace hotspot::layers::detail
